/*
 * pc-dimm: a memory module plugged into the machine's device memory, its RAM
 * given by a memory backend (memdev=); the machine places and announces it.
 */
#ifndef HW_MEM_PC_DIMM_H
#define HW_MEM_PC_DIMM_H

#include "hw/qdev-core.h"
#include "qom/user-creatable.h"

#define TYPE_PC_DIMM "pc-dimm"

typedef struct PCDIMMDevice {
    DeviceState parent;
    uint64_t addr; /* guest-physical; 0: the machine picks the first free range */
    uint32_t node; /* NUMA node */
    int32_t slot;  /* -1: the first free slot */
    char *memdev;  /* the backend's id */
    uint64_t size; /* the backend's size, once plugged */
    HostMemoryBackend *backend;
    bool hotplugged;     /* device_add (not -device) */
    bool unplug_pending; /* device_del asked; the guest is releasing its blocks */
    unsigned lmbs_left;  /* blocks the guest still holds during an unplug */
} PCDIMMDevice;

#define PC_DIMM(dev) ((PCDIMMDevice *)(dev))

/* The plugged DIMMs, in creation order (query-memory-devices). */
GPtrArray *pc_dimm_list(void);
/* The plugged modules' memory, bytes (query-memory-size-summary). */
uint64_t pc_dimm_plugged_size(void);

#endif

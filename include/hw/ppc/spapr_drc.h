/*
 * Dynamic reconfiguration connectors (PAPR / LoPAPR "Dynamic Reconfiguration"):
 * one per hot-pluggable unit, their states, and the hot-plug event logs.
 */
#ifndef HW_PPC_SPAPR_DRC_H
#define HW_PPC_SPAPR_DRC_H

#include "hw/ppc/spapr.h"
#include "hw/qdev-core.h"

/*
 * Connector types as QEMU numbers them: the top nibble of a DRC index.  The
 * rest of the index is the connector's id (vCPU id of a core's first
 * thread, PHB index, PHB index << 16 | bus << 8 | devfn, LMB number).
 */
typedef enum SpaprDrcType {
    SPAPR_DRC_TYPE_CPU = 1,
    SPAPR_DRC_TYPE_PHB = 2,
    SPAPR_DRC_TYPE_VIO = 3,
    SPAPR_DRC_TYPE_PCI = 4,
    SPAPR_DRC_TYPE_LMB = 8,
} SpaprDrcType;

#define SPAPR_DRC_INDEX(type, id) ((uint32_t)(type) << 28 | ((id)&0x0fffffffu))
#define SPAPR_DRC_INDEX_TYPE(index) ((index) >> 28)

/* RTAS set-indicator / get-sensor-state numbers (PAPR) */
#define RTAS_SENSOR_TYPE_ISOLATION_STATE 9001
#define RTAS_SENSOR_TYPE_DR 9002
#define RTAS_SENSOR_TYPE_ALLOCATION_STATE 9003
#define RTAS_SENSOR_TYPE_ENTITY_SENSE RTAS_SENSOR_TYPE_ALLOCATION_STATE
#define SPAPR_DR_ISOLATION_STATE_ISOLATED 0
#define SPAPR_DR_ISOLATION_STATE_UNISOLATED 1
#define SPAPR_DR_ALLOCATION_STATE_UNUSABLE 0
#define SPAPR_DR_ALLOCATION_STATE_USABLE 1
#define SPAPR_DR_ENTITY_SENSE_EMPTY 0
#define SPAPR_DR_ENTITY_SENSE_PRESENT 1
#define SPAPR_DR_ENTITY_SENSE_UNUSABLE 2

/* ibm,configure-connector replies (PAPR), in the status cell */
#define SPAPR_DR_CC_RESPONSE_SUCCESS 0
#define SPAPR_DR_CC_RESPONSE_NEXT_SIB 1
#define SPAPR_DR_CC_RESPONSE_NEXT_CHILD 2
#define SPAPR_DR_CC_RESPONSE_NEXT_PROPERTY 3
#define SPAPR_DR_CC_RESPONSE_PREV_PARENT 4
#define SPAPR_DR_CC_RESPONSE_ERROR -1
#define SPAPR_DR_CC_RESPONSE_NOT_CONFIGURABLE -9003

/*
 * Connector states.  Physical connectors (PCI slots) have power-on
 * (isolated), unisolated and configured; logical ones (cores, LMBs, PHBs)
 * add the allocation state in front: unusable, available, unisolated,
 * configured.
 */
typedef enum SpaprDrcState {
    SPAPR_DRC_STATE_LOGICAL_UNUSABLE,
    SPAPR_DRC_STATE_LOGICAL_AVAILABLE,
    SPAPR_DRC_STATE_LOGICAL_UNISOLATE,
    SPAPR_DRC_STATE_LOGICAL_CONFIGURED,
    SPAPR_DRC_STATE_PHYSICAL_POWERON,
    SPAPR_DRC_STATE_PHYSICAL_UNISOLATE,
    SPAPR_DRC_STATE_PHYSICAL_CONFIGURED,
} SpaprDrcState;

typedef struct SpaprDrc SpaprDrc;

/*
 * What plugs into a connector.  populate builds the device-tree fragment
 * configure-connector hands out: nodes added under parent in fdt, the
 * offset of the top node in *start; 0 or a negative libfdt error.  release
 * removes the unit once the guest gave it up (or at reset after device_del).
 */
typedef struct SpaprDrcOps {
    int (*populate)(SpaprDrc *drc, void *fdt, int parent, int *start);
    void (*release)(SpaprDrc *drc);
    /* the guest unisolated the unit while its removal was asked: it keeps it (or NULL) */
    void (*unplug_rejected)(SpaprDrc *drc);
} SpaprDrcOps;

struct SpaprDrc {
    uint32_t index;
    SpaprDrcType type;
    SpaprDrcState state;
    bool present;          /* something is plugged (a device, or a boot core) */
    bool unplug_requested; /* device_del asked; released once the guest lets go */
    DeviceState *dev;      /* the plugged device, or NULL (boot cores) */
    void *opaque;          /* the plugging facility's own data */
    const SpaprDrcOps *ops;
    uint32_t dr_indicator; /* physical only: the slot's indicator as the guest set it */
    /* configure-connector's walk of the fragment, built at the first call */
    void *fdt;
    int fdt_start;
    int ccs_offset;
    int ccs_depth;
};

/* PHB connectors: one per PHB index the machine can place (QEMU's SPAPR_MAX_PHBS). */
#define SPAPR_DRC_MAX_PHBS 31

/*
 * The machine's connectors (at its creation): cores up to maxcpus, the
 * boot cores plugged; LMBs of the hot-pluggable memory; PHBs.  The PCI
 * slots come with their PHB.
 */
void spapr_drc_machine_init(SpaprMachineState *spapr);
/* A new connector (at machine or PHB creation); an index taken twice aborts. */
SpaprDrc *spapr_drc_new(SpaprDrcType type, uint32_t id);
/* The connector with that index, or NULL. */
SpaprDrc *spapr_drc_by_index(uint32_t index);
SpaprDrc *spapr_drc_by_id(SpaprDrcType type, uint32_t id);
/* PCI slots are physical connectors; the others logical. */
bool spapr_drc_is_physical(const SpaprDrc *drc);
/*
 * Plug: the unit is there (dev may be NULL).  A cold-plugged unit is
 * configured at the next reset; a hot-plugged one waits for the guest.
 */
void spapr_drc_attach(SpaprDrc *drc, DeviceState *dev, const SpaprDrcOps *ops, void *opaque);
/*
 * device_del: released at once when the guest holds nothing (connector
 * isolated and unusable), else once it isolates (and deallocates) it.
 */
void spapr_drc_unplug_request(SpaprDrc *drc);
/* Machine reset: pending unplugs complete, plugged units are configured. */
void spapr_drc_reset_all(void);
/* Remove one connector (its PHB goes away); NULL is ignored. */
void spapr_drc_free(SpaprDrc *drc);
/* Forget every connector (machine teardown, unit tests). */
void spapr_drc_clear_all(void);
/* fn(drc) for every connector of a type, by ascending index. */
void spapr_drc_foreach(SpaprDrcType type, void (*fn)(SpaprDrc *drc, void *opaque), void *opaque);

/*
 * Queue a hot-plug event log (PAPR "HP" section) for the connector: action
 * add or remove, identified by its index.  Through the hot-plug event source
 * when the guest agreed to it at CAS, else through EPOW.
 */
void spapr_hotplug_req_add_by_index(SpaprMachineState *spapr, SpaprDrc *drc);
void spapr_hotplug_req_remove_by_index(SpaprMachineState *spapr, SpaprDrc *drc);

/*
 * The /cpus node of the core whose first thread is vCPU index, added under
 * parent in fdt (hw/ppc/spapr_fdt.c): its offset, or a libfdt error.
 */
int spapr_dt_core(SpaprMachineState *spapr, void *fdt, int parent, unsigned index);

/* ---- PCI slots (hw/ppc/spapr_pci_hotplug.c) ---- */

typedef struct SpaprPhbState SpaprPhbState;
typedef struct PCIDevice PCIDevice;

/*
 * The node of one device on the PHB, added under parent in fdt (the
 * fragment configure-connector hands out; hw/ppc/spapr_pci_fdt.c).  Its
 * offset, or a libfdt error.
 */
int spapr_pci_dt_device(SpaprPhbState *phb, PCIDevice *dev, void *fdt, int parent);
/* The PHB's slot connectors (at its realize when DR is enabled) and their hot-plug handler. */
void spapr_pci_hotplug_init(SpaprPhbState *phb);
void spapr_pci_hotplug_fini(SpaprPhbState *phb);
/* Machine reset: cold-plugged devices take their slot's connector. */
void spapr_pci_hotplug_reset(void);

/* QMP DEVICE_DELETED for dev (and, first, its virtio backend as QEMU 7.2 reports it). */
void spapr_drc_device_deleted(DeviceState *dev);

#endif

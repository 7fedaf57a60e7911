/*
 * The VIO bus: PAPR virtual devices addressed by a 32-bit unit address
 * ("reg"), listed under /vdevice in the device tree.
 */
#ifndef HW_PPC_SPAPR_VIO_H
#define HW_PPC_SPAPR_VIO_H

#include "hw/ppc/spapr.h"
#include "qemu/option.h"

typedef struct SpaprVioDevice SpaprVioDevice;

/* A device property beyond the bus's own "reg" and "id" (for -device help). */
typedef struct SpaprVioProp {
    const char *name; /* "chardev" */
    const char *type; /* "str" */
    const char *desc;
} SpaprVioProp;

/* Interrupt numbers of VIO devices start here, as in QEMU's pseries. */
#define SPAPR_IRQ_VIO 0x1100

typedef struct SpaprVioDeviceType {
    const char *name;          /* -device name: "spapr-vty" */
    const char *desc;          /* for -device help */
    const char *dt_name;       /* node name: "vty" */
    const char *dt_type;       /* device_type: "serial" */
    const char *dt_compatible; /* compatible: "hvterm1" */
    uint32_t base_reg;         /* first automatic reg */
    size_t instance_size;      /* >= sizeof(SpaprVioDevice) */
    const SpaprVioProp *props; /* terminated by a NULL name */
    /* Take the properties (-device NAME,key=val); false + *err on error. */
    bool (*realize)(SpaprVioDevice *dev, QemuOpts *opts, char **err);
    void (*reset)(SpaprVioDevice *dev);
    /* Add type-specific properties to the device's node. */
    int (*devnode)(SpaprVioDevice *dev, void *fdt, int node_off);
} SpaprVioDeviceType;

struct SpaprVioDevice {
    const SpaprVioDeviceType *type;
    uint32_t reg;
    uint32_t irq;
    SpaprVioBus *bus;
    char *id; /* -device ...,id=, or NULL */
};

SpaprVioBus *spapr_vio_bus_new(void);
void spapr_vio_bus_free(SpaprVioBus *bus);
void spapr_vio_register_type(const SpaprVioDeviceType *type);
const SpaprVioDeviceType *spapr_vio_find_type(const char *name);
void spapr_vio_list_types(FILE *out);
/* "-device NAME,help": the properties of a type. */
void spapr_vio_list_props(const SpaprVioDeviceType *type, FILE *out);

/*
 * Create a device: opts holds "driver" and the properties, "reg" included
 * (auto-assigned from the type's base when absent).  NULL + *err when the
 * reg is taken or a property is bad.
 */
SpaprVioDevice *spapr_vio_create(SpaprVioBus *bus, const SpaprVioDeviceType *type, QemuOpts *opts,
                                 char **err);
SpaprVioDevice *spapr_vio_find_by_reg(SpaprVioBus *bus, uint32_t reg);
/* Devices in ascending reg order: fn(dev) for each. */
void spapr_vio_foreach(SpaprVioBus *bus, void (*fn)(SpaprVioDevice *dev, void *opaque),
                       void *opaque);
void spapr_vio_bus_reset(SpaprVioBus *bus);
/* Build /vdevice and its children. */
int spapr_dt_vdevice(SpaprVioBus *bus, void *fdt);

/* spapr-vty: connect a console device to a chardev (-serial). */
struct Chardev;
SpaprVioDevice *spapr_vty_create(SpaprVioBus *bus, struct Chardev *chr, char **err);
/* The console RTAS display-character writes to: the vty with lowest reg. */
SpaprVioDevice *spapr_vty_get_default(SpaprVioBus *bus);
void spapr_vty_write(SpaprVioDevice *vty, const uint8_t *buf, int len);

#endif

/*
 * The VIO bus: PAPR virtual devices addressed by a 32-bit unit address
 * ("reg"), listed under /vdevice in the device tree, each with one interrupt.
 */
#ifndef HW_PPC_SPAPR_VIO_H
#define HW_PPC_SPAPR_VIO_H

#include "hw/ppc/spapr.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"

#define TYPE_SPAPR_VIO_DEVICE "vio-spapr-device"
#define TYPE_SPAPR_VIO_BUS "spapr-vio-bus"
#define TYPE_SPAPR_VIO_BRIDGE "spapr-vio-bridge"

/* Unit addresses the platform assigns start here (QEMU's pseries). */
#define SPAPR_VIO_REG_BASE 0x71000000
/* Interrupt numbers of VIO devices: this base ORed with 8 bits from the reg. */
#define SPAPR_IRQ_VIO 0x1100

struct SpaprVioDevice;

/* What every VIO device type adds to DeviceClass: its device-tree identity. */
typedef struct SpaprVioDeviceClass {
    DeviceClass parent;
    const char *dt_name;       /* node name: "vty" */
    const char *dt_type;       /* device_type: "serial" */
    const char *dt_compatible; /* compatible: "hvterm1" */
    uint32_t signal_mask;      /* H_VIO_SIGNAL mode bits the device takes */
    /*
     * Non-zero: the device does DMA through a TCE window of this many bytes
     * from bus address 0, whose LIOBN is its reg (ibm,my-dma-window).
     */
    uint64_t rtce_window_size;
    /*
     * Non-NULL: the device has a command/response queue (CRQ): H_SEND_CRQ
     * hands it the guest's 16-byte element; the result is the hcall's.
     */
    target_ulong (*crq_receive)(struct SpaprVioDevice *dev, const uint8_t *crq);
} SpaprVioDeviceClass;

typedef struct SpaprVioDevice {
    DeviceState qdev;
    uint32_t reg;               /* property "reg"; -1 (the default): assign one */
    uint32_t irq;               /* its interrupt source number, assigned at plug */
    uint32_t signal_state;      /* the last H_VIO_SIGNAL mode */
    struct SpaprTceTable *tcet; /* its DMA window, when the class has one */
    /* The queue the guest registered with H_REG_CRQ (bus addresses); size 0: none. */
    uint64_t crq_addr;
    uint32_t crq_size, crq_next;
    /* RTAS ibm,set-tce-bypass: bus addresses are guest-physical (SLOF's drivers). */
    bool tce_bypass;
} SpaprVioDevice;

/*
 * Migration: a VIO device type's table includes vmstate_spapr_vio
 * (VMSTATE_STRUCT(sdev, ...)); its post_load calls spapr_vio_check_loaded.
 */
extern const VMStateDescription vmstate_spapr_vio;
bool spapr_vio_check_loaded(SpaprVioDevice *dev, Error **errp);

/* The abstract parent of every VIO device type (the "reg" property). */
extern const SpaprVioDeviceClass spapr_vio_device_class;

/*
 * What the board gives the bus: an interrupt-number allocator and the line
 * that feeds each source of its interrupt controller.  The bus wires every
 * device's interrupt output (line 0) to line(irq).
 */
typedef struct SpaprVioIrqOps {
    /* Take irq for a device; false + errp ("IRQ 4352 is not free"). */
    bool (*claim)(void *opaque, uint32_t irq, Error **errp);
    void (*release)(void *opaque, uint32_t irq);
    /* The controller's input for irq, or NULL when none exists yet. */
    qemu_irq (*line)(void *opaque, uint32_t irq);
    /*
     * Optional: the number for a new device, when the board hands numbers
     * out in order (pseries-3.0 and older) rather than from its reg.
     */
    bool (*number)(void *opaque, uint32_t *irq, Error **errp);
} SpaprVioIrqOps;

struct SpaprVioBus {
    BusState bus;
    uint32_t next_reg; /* the next platform-assigned unit address */
    const SpaprVioIrqOps *irq_ops;
    void *irq_opaque;
};

/*
 * The bus and the "spapr-vio-bridge" device providing it, on the machine's
 * root bus.  irq_ops may be NULL (no interrupts: unit tests).
 */
SpaprVioBus *spapr_vio_bus_new(const SpaprVioIrqOps *irq_ops, void *opaque);
/* Free the bus, its bridge and every device on it. */
void spapr_vio_bus_free(SpaprVioBus *bus);

/* The device with unit address reg, or NULL. */
SpaprVioDevice *spapr_vio_find_by_reg(SpaprVioBus *bus, uint32_t reg);
/* Devices in ascending reg order: fn(dev) for each. */
void spapr_vio_foreach(SpaprVioBus *bus, void (*fn)(SpaprVioDevice *dev, void *opaque),
                       void *opaque);
/* The class of a VIO device. */
const SpaprVioDeviceClass *spapr_vio_get_class(SpaprVioDevice *dev);
/* The interrupt number QEMU gives a device at unit address reg. */
uint32_t spapr_vio_reg_to_irq(uint32_t reg);
/*
 * DMA by a VIO device through its TCE window: every page of [ioba, ioba+len)
 * must be mapped with the access's permission (and be RAM) or nothing moves
 * and the call returns false.  A device without a window has no DMA.
 */
bool spapr_vio_dma_valid(SpaprVioDevice *dev, uint64_t ioba, uint64_t len, bool is_write);
bool spapr_vio_dma_read(SpaprVioDevice *dev, uint64_t ioba, void *buf, uint64_t len);
bool spapr_vio_dma_write(SpaprVioDevice *dev, uint64_t ioba, const void *buf, uint64_t len);
/*
 * Put a 16-byte element in the device's CRQ for the guest (and interrupt it
 * if enabled).  H_SUCCESS; H_RESOURCE without a queue; H_BUSY when the next
 * element is still valid (the queue is full); H_PARAMETER on a DMA failure.
 */
target_ulong spapr_vio_send_crq(SpaprVioDevice *dev, const uint8_t *crq);
/*
 * RTAS quiesce (SLOF hands the machine to the OS): every device's TCEs are
 * cleared, its bypass ends and its CRQ is freed, as QEMU 7.2 does.
 */
void spapr_vio_quiesce(SpaprVioBus *bus);
/* What every VIO device's reset does: interrupts masked, TCEs cleared, CRQ freed. */
void spapr_vio_device_reset(SpaprVioDevice *dev);
/* "/vdevice/NAME@REG" for a VIO device (bootindex paths), else NULL. */
char *spapr_vio_fw_path(DeviceState *dev);
/* Build /vdevice and its children. */
int spapr_dt_vdevice(SpaprVioBus *bus, void *fdt);

/* spapr-vty: a console device on a chardev (-serial).  NULL + errp. */
struct Chardev;
SpaprVioDevice *spapr_vty_create(SpaprVioBus *bus, struct Chardev *chr, Error **errp);
/* The console RTAS display-character writes to: the vty with lowest reg. */
SpaprVioDevice *spapr_vty_get_default(SpaprVioBus *bus);
void spapr_vty_write(SpaprVioDevice *vty, const uint8_t *buf, int len);

/*
 * spapr-vlan: one per -nic / -net nic of model spapr-vlan or ibmveth, or
 * without a model (the default on pseries; hw/net/spapr_llan.c).  Other
 * models are left to the PCI NICs (virtio_net_create_nics).  false + errp.
 */
bool spapr_vlan_create_nics(SpaprVioBus *bus, Error **errp);

/*
 * spapr-vscsi: one adapter per SCSI bus number given with -drive if=scsi,
 * each with a scsi-hd/scsi-cd per drive (hw/ppc/spapr_vscsi.c).  false + errp.
 */
bool spapr_vscsi_create_for_drives(SpaprVioBus *bus, Error **errp);

/* spapr-nvram, backed by the -drive if=pflash image if any (hw/nvram).  NULL + errp. */
SpaprVioDevice *spapr_nvram_create(SpaprVioBus *bus, Error **errp);

#endif

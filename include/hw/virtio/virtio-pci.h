/*
 * virtio over PCI as QEMU 7.2's -pci devices: the virtio 1.0 capabilities in
 * a 64-bit memory BAR, the legacy I/O BAR, MSI-X vectors and the INTx line.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
/* Transitional device ids (legacy interface present). */
#define PCI_DEVICE_ID_VIRTIO_NET 0x1000
#define PCI_DEVICE_ID_VIRTIO_BLOCK 0x1001
#define PCI_DEVICE_ID_VIRTIO_BALLOON 0x1002
#define PCI_DEVICE_ID_VIRTIO_CONSOLE 0x1003
#define PCI_DEVICE_ID_VIRTIO_RNG 0x1005
#define PCI_DEVICE_ID_VIRTIO_SCSI 0x1004
/* Modern-only devices: 0x1040 plus the virtio device id. */
#define PCI_DEVICE_ID_VIRTIO_10_BASE 0x1040

#define PCI_CLASS_STORAGE_SCSI 0x0100
#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PCI_CLASS_OTHERS 0x00ff
#define PCI_CLASS_COMMUNICATION_OTHER 0x0780

/* QEMU's "vectors" default: decided by the device type at realize. */
#define DEV_NVECTORS_UNSPECIFIED UINT32_MAX

typedef struct VirtIOPCIProxy {
    PCIDevice pci;
    VirtIODevice vdev;
    /* properties */
    char *disable_legacy; /* on, off or auto (auto: legacy on a conventional PCI bus) */
    bool disable_modern;
    bool iommu_platform;
    /* The common virtio feature switches (QEMU's VirtIODevice properties), default on. */
    bool any_layout, event_idx, indirect_desc, notify_on_empty, queue_reset;
    uint32_t nvectors;
    /* decided at realize */
    bool legacy, modern;
    /* modern common configuration state */
    uint32_t dfselect, gfselect;
    uint32_t guest_features[2];
    uint16_t queue_sel;
} VirtIOPCIProxy;

/* Which interfaces a type's devices have (QEMU 7.2's virtio-*-pci type families). */
enum {
    VIRTIO_PCI_GENERIC,          /* chosen by the properties; transitional by default here */
    VIRTIO_PCI_TRANSITIONAL,     /* legacy and modern, no properties to change it */
    VIRTIO_PCI_NON_TRANSITIONAL, /* modern only (device id 0x1040 + virtio id) */
};

/* What a virtio PCI device type adds: its virtio identity and set-up. */
typedef struct VirtIOPCIClass {
    PCIDeviceClass parent;
    uint16_t virtio_id;
    uint16_t legacy_device_id;
    /*
     * VIRTIO_PCI_GENERIC for the types devices register ("virtio-blk-pci": the
     * disable-legacy/disable-modern properties decide); virtio-pci.c adds the
     * "-transitional" and "-non-transitional" variants of QEMU 7.2's list itself.
     */
    uint8_t variant;
    /* Fill proxy->vdev (virtio_init, queues, features) and set the default vectors. */
    bool (*vdev_realize)(VirtIOPCIProxy *proxy, Error **errp);
    void (*vdev_unrealize)(VirtIOPCIProxy *proxy);
} VirtIOPCIClass;

/* The proxy a device type's core callbacks get their state from. */
static inline VirtIOPCIProxy *virtio_pci_proxy(VirtIODevice *vdev)
{
    return (VirtIOPCIProxy *)((char *)vdev - offsetof(VirtIOPCIProxy, vdev));
}

/*
 * The abstract parent of the virtio PCI device types: a device type sets
 * .parent = &virtio_pci_class.parent.parent and registers itself as usual.
 */
extern const VirtIOPCIClass virtio_pci_class;

/*
 * Migration: the transport's state (PCI config and MSI-X, the virtio core,
 * the common configuration's selectors).  A device type's table includes
 * vmstate_virtio_pci first (VMSTATE_STRUCT(proxy, ...)); its post_load calls
 * virtio_pci_check_loaded before changing anything, then virtio_pci_post_load.
 */
extern const VMStateDescription vmstate_virtio_pci;
bool virtio_pci_check_loaded(VirtIOPCIProxy *p, Error **errp);
void virtio_pci_post_load(VirtIOPCIProxy *p);
/* The post_load of a type whose device has no state beyond the proxy's (its first member). */
bool virtio_pci_plain_post_load(DeviceState *dev, Error **errp);

/* -drive if=virtio: one virtio-blk-pci per such drive (after the -device options, as QEMU). */
void virtio_blk_add_drives(void);

#endif

/*
 * PCI devices and buses: 256-byte configuration spaces with the standard
 * header, BARs that host bridges map into the guest's memory map, INTx pins,
 * MSI and MSI-X (hw/pci/msi.c), and DMA through the host bridge's IOMMU.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "exec/memory.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/pci/pci_regs.h"

#define TYPE_PCI_BUS "PCI"
#define TYPE_PCI_DEVICE "pci-device"

/* devfn: slot in bits 3-7, function in bits 0-2 (PCI Local Bus 3.0, 3.2.2.3.2) */
#define PCI_DEVFN(slot, fn) ((((slot)&0x1f) << 3) | ((fn)&0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)
#define PCI_SLOT_MAX 32
#define PCI_FUNC_MAX 8
#define PCI_DEVFN_MAX 256
#define PCI_NUM_PINS 4
#define PCI_NUM_REGIONS 7 /* six BARs and the expansion ROM */
#define PCI_ROM_SLOT 6

/* QEMU's subsystem ids for devices that do not set their own. */
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU 0x1100

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;
typedef struct PCIMsixState PCIMsixState;

/* A BAR: what the device declared and where the guest put it. */
typedef struct PCIIORegion {
    uint64_t size;              /* a power of two; 0: no BAR here */
    uint8_t type;               /* PCI_BASE_ADDRESS_SPACE_IO / MEM_TYPE_64 / PREFETCH bits */
    const MemoryRegionOps *ops; /* the device's registers (NULL: only MSI-X lives here) */
    void *opaque;               /* for ops */
    MemoryRegionOps mapped_ops; /* ops as mapped: the core dispatches MSI-X, then the device */
    uint64_t addr;              /* the bus address the guest programmed; -1: not mapped */
    MemoryRegion *mr;           /* the guest-physical mapping while enabled, or NULL */
    PCIDevice *dev;
} PCIIORegion;

#define PCI_BAR_UNMAPPED UINT64_MAX

/*
 * What a PCI device type adds to DeviceClass: its identity in the config
 * header, and hooks to see config accesses (both optional; call the
 * pci_default_* functions for the standard behaviour).
 */
typedef struct PCIDeviceClass {
    DeviceClass parent;
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint16_t class_id; /* base class << 8 | subclass */
    uint8_t prog_if;
    uint16_t subsystem_vendor_id; /* 0: QEMU's 0x1af4 */
    uint16_t subsystem_id;        /* 0: QEMU's 0x1100 */
    bool is_express;              /* a PCIe device: 4 KiB config space */
    /* After the core has set up the header: registers, BARs, capabilities. */
    bool (*realize)(PCIDevice *dev, Error **errp);
    void (*exit)(PCIDevice *dev);
    /* After the core's reset of the header, MSI and MSI-X. */
    void (*reset)(PCIDevice *dev);
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, unsigned len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);
} PCIDeviceClass;

struct PCIDevice {
    DeviceState qdev;
    int32_t devfn;      /* property "addr": -1 picks the first free slot */
    bool multifunction; /* property "multifunction" */
    char *romfile;      /* property "romfile" (no option ROM is loaded) */
    uint32_t rom_bar;   /* property "rombar" */
    uint32_t rom_size;  /* property "romsize" */
    uint32_t acpi_index;
    char *failover_pair_id;
    bool pcie_extcap_init, pcie_lnksta_dllla; /* QEMU's x-pcie-* compatibility switches */

    uint32_t config_size; /* 256, or 4096 for PCIe */
    uint8_t *config;      /* the registers, little-endian as on the bus */
    uint8_t *wmask;       /* bits the guest may write */
    uint8_t *w1cmask;     /* bits a guest write of 1 clears */
    uint8_t *used;        /* bytes taken by a capability (for pci_add_capability) */
    PCIIORegion io_regions[PCI_NUM_REGIONS];
    PCIBus *bus;

    int irq_level;    /* the INTx pin's level as the device drives it */
    int intx_counted; /* 1 while the bus counts this device asserting its pin */

    /* MSI (hw/pci/msi.c): capability offset, 0 when absent */
    uint8_t msi_cap;
    unsigned msi_vectors;
    /* MSI-X: capability offset (0: none) and the table state */
    uint8_t msix_cap;
    PCIMsixState *msix;
};

/*
 * What a host bridge gives its bus.  Addresses here are bus addresses; the
 * bridge turns them into guest-physical ones.
 */
typedef struct PCIBusOps {
    /* Where [addr, addr + size) of the bus's memory (or I/O) space appears to the CPU. */
    bool (*map_window)(void *opaque, bool io, uint64_t addr, uint64_t size, hwaddr *cpu);
    /* The level of the bus's interrupt pin (0-3: INTA-INTD after the swizzle) changed. */
    void (*set_irq)(void *opaque, int pin, int level);
    /* A device wrote an MSI message. */
    void (*msi)(void *opaque, uint64_t addr, uint32_t data);
    /* A device's DMA through the bridge's IOMMU; false: the access faulted. */
    bool (*dma_rw)(void *opaque, PCIDevice *dev, uint64_t iova, void *buf, uint64_t len,
                   bool is_write);
} PCIBusOps;

struct PCIBus {
    BusState qbus;
    uint8_t bus_num;
    PCIDevice *devices[PCI_DEVFN_MAX];
    int irq_count[PCI_NUM_PINS]; /* devices asserting each pin */
    const PCIBusOps *ops;
    void *opaque;
};

/* The abstract parent of every PCI device type ("addr", "multifunction", ...). */
extern const PCIDeviceClass pci_device_class;

/* A bus for a host bridge (dev provides it), named name ("pci.0"). */
PCIBus *pci_bus_new(DeviceState *parent, const char *name, const PCIBusOps *ops, void *opaque);
PCIDevice *pci_bus_find(PCIBus *bus, unsigned devfn);
/* fn(dev) for each device in devfn order. */
void pci_bus_foreach(PCIBus *bus, void (*fn)(PCIBus *bus, PCIDevice *dev, void *opaque),
                     void *opaque);
const PCIDeviceClass *pci_get_class(const PCIDevice *dev);

/* The bus address a PCI device's INTx pin (1 = INTA) reaches: the standard swizzle. */
static inline int pci_swizzle(int slot, int pin)
{
    return (slot + pin - 1) % PCI_NUM_PINS;
}

/* ---- Config space -------------------------------------------------------- */

/*
 * An access of len 1, 2 or 4 bytes at addr, naturally aligned and inside
 * config_size (the caller checks).  Runs the class's hook if any.
 */
uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len);
void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);
/* The standard behaviour the hooks build on. */
uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, unsigned len);
void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}

/*
 * Declare BAR n: size (a power of two, at least 16 for memory, 4 for I/O)
 * and type (PCI_BASE_ADDRESS_SPACE_IO, or memory with MEM_TYPE_64 and
 * MEM_PREFETCH).  ops serve the device's registers at offsets from the BAR's
 * start; MSI-X tables placed in the BAR take precedence over them.
 */
void pci_register_bar(PCIDevice *dev, int n, uint8_t type, uint64_t size,
                      const MemoryRegionOps *ops, void *opaque);
/* The bus address BAR n holds while it is mapped, or PCI_BAR_UNMAPPED. */
uint64_t pci_bar_address(PCIDevice *dev, int n);

/*
 * Add a capability with id at offset (0: the first free dword-aligned
 * place after the header) of size bytes, linked at the head of the list.
 * Returns its offset, or 0 with errp when it does not fit or overlaps.
 */
uint8_t pci_add_capability(PCIDevice *dev, uint8_t id, uint8_t offset, uint8_t size, Error **errp);
/* The offset of the first capability with id, or 0. */
uint8_t pci_find_capability(PCIDevice *dev, uint8_t id);

/* ---- Interrupts and DMA -------------------------------------------------- */

/* The device's INTx pin (the one its config header names) goes to level. */
void pci_set_irq(PCIDevice *dev, int level);
/*
 * DMA of len bytes at the device's bus address iova, through the bridge's
 * IOMMU.  false when bus mastering is off or any page is outside a window
 * or lacks permission: nothing is written then (reads may leave buf
 * partly filled).
 */
bool pci_dma_read(PCIDevice *dev, uint64_t iova, void *buf, uint64_t len);
bool pci_dma_write(PCIDevice *dev, uint64_t iova, const void *buf, uint64_t len);

/* ---- MSI and MSI-X (hw/pci/msi.c) ------------------------------------------ */

/*
 * MSI capability with nvectors (1, 2, 4, 8, 16 or 32) vectors, 64-bit
 * addresses, at offset (0: anywhere).  false + errp when it does not fit.
 */
bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nvectors, Error **errp);
bool msi_enabled(const PCIDevice *dev);
/* The vectors the guest enabled (the multiple message enable field). */
unsigned msi_nr_vectors_allocated(const PCIDevice *dev);
/* Send vector (no-op when MSI is off or the vector is beyond the enabled ones). */
void msi_notify(PCIDevice *dev, unsigned vector);

/*
 * MSI-X capability of nvectors entries: the table at table_offset of BAR
 * table_bar, the pending-bit array at pba_offset of BAR pba_bar (both BARs
 * registered before).  false + errp when they do not fit.
 */
bool msix_init(PCIDevice *dev, unsigned nvectors, int table_bar, uint32_t table_offset, int pba_bar,
               uint32_t pba_offset, uint8_t cap_offset, Error **errp);
/* A BAR of its own for an nvectors table and PBA (QEMU's layout). */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nvectors, int bar, Error **errp);
bool msix_enabled(const PCIDevice *dev);
unsigned msix_nr_vectors(const PCIDevice *dev);
/* Send vector, or mark it pending when masked. */
void msix_notify(PCIDevice *dev, unsigned vector);
/* Write each vector's address and data (what ibm,change-msi sets up). */
void msix_set_message(PCIDevice *dev, unsigned vector, uint64_t addr, uint32_t data);
/* Write the MSI address and data registers. */
void msi_set_message(PCIDevice *dev, uint64_t addr, uint32_t data);

/* Internal to the core: the MSI-X overlay of a BAR, and teardown. */
bool pci_msix_bar_access(PCIDevice *dev, int bar, hwaddr off, uint64_t *val, unsigned size,
                         bool is_write);
void pci_msix_reset(PCIDevice *dev);
void pci_msi_write_config(PCIDevice *dev, uint32_t addr, unsigned len);
void pci_msi_free(PCIDevice *dev);

/* ---- Migration ----------------------------------------------------------- */

/*
 * A PCI device's state: its whole configuration space (BARs, command,
 * capabilities, the INTx status bit) and its MSI-X table and pending bits.
 * A device type's table includes it (VMSTATE_STRUCT(pci, ..., vmstate_pci_device,
 * PCIDevice)) and its post_load calls pci_device_post_load.
 */
extern const VMStateDescription vmstate_pci_device;
extern const struct VMStateCustom vmstate_pci_msix;
/* After a load: the BARs mapped where the config says, INTx back on the bus. */
bool pci_device_post_load(PCIDevice *dev, Error **errp);

#endif

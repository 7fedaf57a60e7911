/*
 * The PCI bus kind and the common part of every PCI device: placement by
 * devfn, the standard configuration header, BAR sizing and mapping, INTx.
 */
#include "hw/pci/pci.h"
#include "hw/qdev-state.h"
#include "qemu/log.h"
#include "qemu/module.h"

static PCIDevice *pci_dev(DeviceState *dev)
{
    return (PCIDevice *)dev;
}

const PCIDeviceClass *pci_get_class(const PCIDevice *dev)
{
    return (const PCIDeviceClass *)dev->qdev.cls;
}

/*
 * A hook of PCIDeviceClass, looked up from the device's type towards
 * pci-device: a type may inherit it from an intermediate parent.
 */
#define PCI_CLASS_HOOK(dev, hook)                                                                  \
    ({                                                                                             \
        const DeviceClass *c_ = (dev)->qdev.cls;                                                   \
        typeof(((PCIDeviceClass *)0)->hook) h_ = NULL;                                             \
        while (c_ && !h_) {                                                                        \
            h_ = ((const PCIDeviceClass *)c_)->hook;                                               \
            c_ = c_ == &pci_device_class.parent ? NULL : c_->parent;                               \
        }                                                                                          \
        h_;                                                                                        \
    })

/* The same for an identity field: the nearest type that sets it. */
#define PCI_CLASS_FIELD(dev, field)                                                                \
    ({                                                                                             \
        const DeviceClass *c_ = (dev)->qdev.cls;                                                   \
        typeof(((PCIDeviceClass *)0)->field) v_ = 0;                                               \
        while (c_ && !v_) {                                                                        \
            v_ = ((const PCIDeviceClass *)c_)->field;                                              \
            c_ = c_ == &pci_device_class.parent ? NULL : c_->parent;                               \
        }                                                                                          \
        v_;                                                                                        \
    })

/* ---- The bus ---------------------------------------------------------------- */

PCIDevice *pci_bus_find(PCIBus *bus, unsigned devfn)
{
    return devfn < PCI_DEVFN_MAX ? bus->devices[devfn] : NULL;
}

void pci_bus_foreach(PCIBus *bus, void (*fn)(PCIBus *bus, PCIDevice *dev, void *opaque),
                     void *opaque)
{
    for (unsigned devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
        if (bus->devices[devfn]) {
            fn(bus, bus->devices[devfn], opaque);
        }
    }
}

/* The device QEMU names in "slot N already occupied by": function 0 if present. */
static PCIDevice *slot_owner(PCIBus *bus, unsigned devfn)
{
    PCIDevice *f0 = bus->devices[PCI_DEVFN(PCI_SLOT(devfn), 0)];

    return f0 ? f0 : bus->devices[devfn];
}

/*
 * Before realize: take the devfn asked for, or the first slot whose
 * function 0 is free, with QEMU's checks and words for multifunction
 * slots.
 */
static bool pci_bus_plug(BusState *qbus, DeviceState *qdev, Error **errp)
{
    PCIBus *bus = (PCIBus *)qbus;
    PCIDevice *dev = pci_dev(qdev);
    unsigned slot, fn;

    if (dev->devfn < 0) {
        for (slot = 0; slot < PCI_SLOT_MAX; slot++) {
            if (!bus->devices[PCI_DEVFN(slot, 0)]) {
                break;
            }
        }
        if (slot == PCI_SLOT_MAX) {
            error_setg(errp, "PCI: no slot/function available for %s, all in use or reserved",
                       qdev->cls->name);
            return false;
        }
        dev->devfn = PCI_DEVFN(slot, 0);
    }
    slot = PCI_SLOT(dev->devfn);
    fn = PCI_FUNC(dev->devfn);
    if (bus->devices[dev->devfn]) {
        error_setg(errp, "PCI: slot %u already occupied by %s", slot,
                   slot_owner(bus, dev->devfn)->qdev.cls->name);
        return false;
    }
    if (fn) {
        PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];

        if (f0 && !f0->multifunction) {
            error_setg(errp, "PCI: single function device can't be populated in function %x.%x",
                       slot, fn);
            return false;
        }
    } else if (!dev->multifunction) {
        for (unsigned f = 1; f < PCI_FUNC_MAX; f++) {
            if (bus->devices[PCI_DEVFN(slot, f)]) {
                error_setg(errp,
                           "PCI: %x.0 indicates single function, but %x.%x is already "
                           "populated.",
                           slot, slot, f);
                return false;
            }
        }
    }
    bus->devices[dev->devfn] = dev;
    dev->bus = bus;
    return true;
}

static void pci_bus_unplug(BusState *qbus, DeviceState *qdev)
{
    PCIBus *bus = (PCIBus *)qbus;
    PCIDevice *dev = pci_dev(qdev);

    if (dev->devfn >= 0 && bus->devices[dev->devfn] == dev) {
        bus->devices[dev->devfn] = NULL;
    }
    dev->bus = NULL;
}

static int pci_bus_compare(DeviceState *a, DeviceState *b)
{
    return pci_dev(a)->devfn - pci_dev(b)->devfn;
}

static const BusClass pci_bus_class = {
    .name = TYPE_PCI_BUS,
    .instance_size = sizeof(PCIBus),
    .plug = pci_bus_plug,
    .unplug = pci_bus_unplug,
    .compare = pci_bus_compare,
};

PCIBus *pci_bus_new(DeviceState *parent, const char *name, const PCIBusOps *ops, void *opaque)
{
    PCIBus *bus = (PCIBus *)qbus_new(&pci_bus_class, parent, name);

    bus->ops = ops;
    bus->opaque = opaque;
    return bus;
}

/* ---- INTx ----------------------------------------------------------------------- */

static int pci_intx_pin(const PCIDevice *dev)
{
    return dev->config[PCI_INTERRUPT_PIN];
}

/* The level the device puts on the bus: its own, unless INTx is disabled. */
static int pci_intx_on_bus(const PCIDevice *dev)
{
    return dev->irq_level && !(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
}

static void pci_bus_change_irq(PCIDevice *dev, int change)
{
    PCIBus *bus = dev->bus;
    int n;

    if (!bus || !change || !pci_intx_pin(dev)) {
        return;
    }
    n = pci_swizzle(PCI_SLOT(dev->devfn), pci_intx_pin(dev));
    bus->irq_count[n] += change;
    dev->intx_counted += change;
    if (bus->ops && bus->ops->set_irq && (bus->irq_count[n] == 0 || bus->irq_count[n] == change)) {
        bus->ops->set_irq(bus->opaque, n, bus->irq_count[n] != 0);
    }
}

void pci_set_irq(PCIDevice *dev, int level)
{
    int before = pci_intx_on_bus(dev);
    uint16_t status;

    if (!pci_intx_pin(dev)) {
        return;
    }
    dev->irq_level = !!level;
    status = pci_get_word(dev->config + PCI_STATUS);
    pci_set_word(dev->config + PCI_STATUS,
                 dev->irq_level ? status | PCI_STATUS_INTERRUPT : status & ~PCI_STATUS_INTERRUPT);
    pci_bus_change_irq(dev, pci_intx_on_bus(dev) - before);
}

/* ---- BARs ------------------------------------------------------------------------ */

static uint32_t bar_offset(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * n;
}

static uint64_t bar_read(void *opaque, hwaddr off, unsigned size)
{
    PCIIORegion *r = opaque;
    uint64_t val = 0;

    if (pci_msix_bar_access(r->dev, r - r->dev->io_regions, off, &val, size, false)) {
        return val;
    }
    return r->ops && r->ops->read ? r->ops->read(r->opaque, off, size) : 0;
}

static void bar_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    PCIIORegion *r = opaque;

    if (pci_msix_bar_access(r->dev, r - r->dev->io_regions, off, &val, size, true)) {
        return;
    }
    if (r->ops && r->ops->write) {
        r->ops->write(r->opaque, off, val, size);
    }
}

void pci_register_bar(PCIDevice *dev, int n, uint8_t type, uint64_t size,
                      const MemoryRegionOps *ops, void *opaque)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint32_t off = bar_offset(n);
    uint64_t wmask;

    g_assert(n >= 0 && n < PCI_NUM_REGIONS && size && !(size & (size - 1)));
    r->size = size;
    r->type = type;
    r->ops = ops;
    r->opaque = opaque;
    r->addr = PCI_BAR_UNMAPPED;
    r->dev = dev;
    if (ops) {
        r->mapped_ops = *ops;
    } else {
        r->mapped_ops = (MemoryRegionOps){ .endianness = MEMORY_LITTLE_ENDIAN };
    }
    r->mapped_ops.read = bar_read;
    r->mapped_ops.write = bar_write;

    /* The low bits of a BAR say what it is; the size's bits read back as zero. */
    wmask = ~(size - 1);
    if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        wmask &= PCI_BASE_ADDRESS_IO_MASK;
    } else if (n != PCI_ROM_SLOT) {
        wmask &= PCI_BASE_ADDRESS_MEM_MASK;
    } else {
        wmask = (wmask & ~0x7ffULL) | 1; /* the ROM's enable bit */
    }
    pci_set_long(dev->config + off, type);
    pci_set_long(dev->wmask + off, wmask);
    if (type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        pci_set_long(dev->config + off + 4, 0);
        pci_set_long(dev->wmask + off + 4, wmask >> 32);
    }
}

/* Where the guest put BAR n, as the command register lets it decode. */
static uint64_t bar_decoded(PCIDevice *dev, int n)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    uint32_t off = bar_offset(n);
    uint64_t addr, last;

    if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(dev->config + off) & ~(r->size - 1) & PCI_BASE_ADDRESS_IO_MASK;
        addr &= 0xffffffff;
    } else {
        if (!(cmd & PCI_COMMAND_MEMORY)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(dev->config + off);
        if (n == PCI_ROM_SLOT && !(addr & 1)) {
            return PCI_BAR_UNMAPPED;
        }
        if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
            addr |= (uint64_t)pci_get_long(dev->config + off + 4) << 32;
        }
        addr &= ~(r->size - 1) & PCI_BASE_ADDRESS_MEM_MASK;
    }
    last = addr + r->size - 1;
    /* All ones written to size the BAR (or a wrap) is no placement. */
    if (!addr || last < addr || (!(r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) && last > UINT32_MAX)) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static void pci_update_mappings(PCIDevice *dev)
{
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &dev->io_regions[n];
        uint64_t addr;
        hwaddr cpu;

        if (!r->size) {
            continue;
        }
        addr = bar_decoded(dev, n);
        if (addr == r->addr) {
            continue;
        }
        memory_map_remove(r->mr);
        r->mr = NULL;
        r->addr = addr;
        if (addr == PCI_BAR_UNMAPPED || !dev->bus || !dev->bus->ops ||
            !dev->bus->ops->map_window(dev->bus->opaque, r->type & PCI_BASE_ADDRESS_SPACE_IO, addr,
                                       r->size, &cpu)) {
            continue;
        }
        g_autoptr(GError) err = NULL;
        g_autofree char *name = g_strdup_printf("%s-bar%d", dev->qdev.cls->name, n);

        r->mr = memory_map_add_io(name, cpu, r->size, &r->mapped_ops, r, &err);
        if (!r->mr) {
            qemu_log_mask(LOG_GUEST_ERROR, "pci: %s BAR %d not mapped: %s\n", dev->qdev.cls->name,
                          n, err->message);
        }
    }
}

uint64_t pci_bar_address(PCIDevice *dev, int n)
{
    return n >= 0 && n < PCI_NUM_REGIONS && dev->io_regions[n].mr ? dev->io_regions[n].addr
                                                                  : PCI_BAR_UNMAPPED;
}

static void pci_unmap_all(PCIDevice *dev)
{
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        memory_map_remove(dev->io_regions[n].mr);
        dev->io_regions[n].mr = NULL;
        dev->io_regions[n].addr = PCI_BAR_UNMAPPED;
    }
}

/* ---- Config space ---------------------------------------------------------------- */

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, unsigned len)
{
    uint32_t val = 0;

    for (unsigned i = 0; i < len && addr + i < dev->config_size; i++) {
        val |= (uint32_t)dev->config[addr + i] << (8 * i);
    }
    return val;
}

static bool ranges_meet(uint32_t a, unsigned alen, uint32_t b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len)
{
    int intx_before = pci_intx_on_bus(dev);

    for (unsigned i = 0; i < len && addr + i < dev->config_size; i++) {
        uint8_t b = val >> (8 * i), wm = dev->wmask[addr + i], w1c = dev->w1cmask[addr + i];
        uint8_t *p = &dev->config[addr + i];

        *p = (*p & ~wm) | (b & wm);
        *p &= ~(b & w1c);
    }
    if (ranges_meet(addr, len, PCI_BASE_ADDRESS_0, 24) ||
        ranges_meet(addr, len, PCI_ROM_ADDRESS, 4) || ranges_meet(addr, len, PCI_COMMAND, 2)) {
        pci_update_mappings(dev);
    }
    if (ranges_meet(addr, len, PCI_COMMAND, 2)) {
        pci_bus_change_irq(dev, pci_intx_on_bus(dev) - intx_before);
    }
    pci_msi_write_config(dev, addr, len);
}

uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len)
{
    uint32_t (*fn)(PCIDevice *, uint32_t, unsigned) = PCI_CLASS_HOOK(dev, config_read);

    return fn ? fn(dev, addr, len) : pci_default_read_config(dev, addr, len);
}

void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len)
{
    void (*fn)(PCIDevice *, uint32_t, uint32_t, unsigned) = PCI_CLASS_HOOK(dev, config_write);

    if (fn) {
        fn(dev, addr, val, len);
    } else {
        pci_default_write_config(dev, addr, val, len);
    }
}

uint8_t pci_find_capability(PCIDevice *dev, uint8_t id)
{
    unsigned hops = 0;
    uint8_t off;

    if (!(pci_get_word(dev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    for (off = dev->config[PCI_CAPABILITY_LIST]; off && hops < 64; hops++) {
        if (dev->config[off + PCI_CAP_LIST_ID] == id) {
            return off;
        }
        off = dev->config[off + PCI_CAP_LIST_NEXT];
    }
    return 0;
}

uint8_t pci_add_capability(PCIDevice *dev, uint8_t id, uint8_t offset, uint8_t size, Error **errp)
{
    unsigned off = offset;

    if (!off) {
        for (off = PCI_CONFIG_HEADER_SIZE; off + size <= PCI_CONFIG_SPACE_SIZE; off += 4) {
            bool free = true;

            for (unsigned i = 0; i < size && free; i++) {
                free = !dev->used[off + i];
            }
            if (free) {
                break;
            }
        }
    }
    if (off < PCI_CONFIG_HEADER_SIZE || off + size > PCI_CONFIG_SPACE_SIZE || size < 2) {
        error_setg(errp, "pci: no room for capability 0x%x of %u bytes", id, size);
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        if (dev->used[off + i]) {
            error_setg(errp, "pci: capability 0x%x at 0x%x overlaps another", id, off);
            return 0;
        }
    }
    memset(dev->used + off, 0xff, size);
    memset(dev->wmask + off, 0, size);
    dev->config[off + PCI_CAP_LIST_ID] = id;
    dev->config[off + PCI_CAP_LIST_NEXT] = dev->config[PCI_CAPABILITY_LIST];
    dev->config[PCI_CAPABILITY_LIST] = off;
    pci_set_word(dev->config + PCI_STATUS,
                 pci_get_word(dev->config + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    return off;
}

/* ---- DMA ---------------------------------------------------------------------------- */

static bool pci_dma_rw(PCIDevice *dev, uint64_t iova, void *buf, uint64_t len, bool is_write)
{
    PCIBus *bus = dev->bus;

    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER) || !bus || !bus->ops ||
        !bus->ops->dma_rw) {
        return false;
    }
    return bus->ops->dma_rw(bus->opaque, dev, iova, buf, len, is_write);
}

bool pci_dma_read(PCIDevice *dev, uint64_t iova, void *buf, uint64_t len)
{
    return pci_dma_rw(dev, iova, buf, len, false);
}

bool pci_dma_write(PCIDevice *dev, uint64_t iova, const void *buf, uint64_t len)
{
    return pci_dma_rw(dev, iova, (void *)buf, len, true);
}

/* ---- The device type ------------------------------------------------------------------ */

static void pci_free_config(PCIDevice *dev)
{
    g_free(dev->config);
    g_free(dev->wmask);
    g_free(dev->w1cmask);
    g_free(dev->used);
    dev->config = dev->wmask = dev->w1cmask = dev->used = NULL;
}

/* The standard header a device type's identity fills, with what the guest may write. */
static void pci_init_header(PCIDevice *dev)
{
    uint8_t *c = dev->config;
    uint16_t subvendor = PCI_CLASS_FIELD(dev, subsystem_vendor_id);
    uint16_t subid = PCI_CLASS_FIELD(dev, subsystem_id);

    pci_set_word(c + PCI_VENDOR_ID, PCI_CLASS_FIELD(dev, vendor_id));
    pci_set_word(c + PCI_DEVICE_ID, PCI_CLASS_FIELD(dev, device_id));
    c[PCI_REVISION_ID] = PCI_CLASS_FIELD(dev, revision);
    c[PCI_CLASS_PROG] = PCI_CLASS_FIELD(dev, prog_if);
    pci_set_word(c + PCI_CLASS_DEVICE, PCI_CLASS_FIELD(dev, class_id));
    pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID,
                 subvendor ? subvendor : PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(c + PCI_SUBSYSTEM_ID, subid ? subid : PCI_SUBDEVICE_ID_QEMU);
    if (dev->multifunction) {
        c[PCI_HEADER_TYPE] |= PCI_HEADER_TYPE_MULTI_FUNCTION;
    }
    pci_set_word(dev->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                                               PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
                                               PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
    pci_set_word(dev->w1cmask + PCI_STATUS,
                 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | PCI_STATUS_REC_TARGET_ABORT |
                     PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR |
                     PCI_STATUS_DETECTED_PARITY);
    dev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    dev->wmask[PCI_LATENCY_TIMER] = 0xff;
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    memset(dev->used, 0xff, PCI_CONFIG_HEADER_SIZE);
}

static bool pci_device_realize(DeviceState *qdev, Error **errp)
{
    PCIDevice *dev = pci_dev(qdev);
    bool (*realize)(PCIDevice *, Error **) = PCI_CLASS_HOOK(dev, realize);

    dev->config_size =
        PCI_CLASS_FIELD(dev, is_express) ? PCIE_CONFIG_SPACE_SIZE : PCI_CONFIG_SPACE_SIZE;
    dev->config = g_malloc0(dev->config_size);
    dev->wmask = g_malloc0(dev->config_size);
    dev->w1cmask = g_malloc0(dev->config_size);
    dev->used = g_malloc0(dev->config_size);
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        dev->io_regions[n].addr = PCI_BAR_UNMAPPED;
    }
    pci_init_header(dev);
    if (realize && !realize(dev, errp)) {
        pci_msi_free(dev);
        pci_free_config(dev);
        return false;
    }
    return true;
}

static void pci_device_unrealize(DeviceState *qdev)
{
    PCIDevice *dev = pci_dev(qdev);
    void (*fn)(PCIDevice *) = PCI_CLASS_HOOK(dev, exit);

    if (fn) {
        fn(dev);
    }
    pci_set_irq(dev, 0);
    pci_unmap_all(dev);
    pci_msi_free(dev);
    pci_free_config(dev);
}

/* Power-on state of the registers the guest writes; the type's own reset follows. */
static void pci_device_reset(DeviceState *qdev)
{
    PCIDevice *dev = pci_dev(qdev);
    void (*fn)(PCIDevice *) = PCI_CLASS_HOOK(dev, reset);

    pci_set_irq(dev, 0);
    for (uint32_t a = PCI_COMMAND; a < PCI_CONFIG_HEADER_SIZE; a++) {
        dev->config[a] &= ~(dev->wmask[a] | dev->w1cmask[a]);
    }
    pci_unmap_all(dev);
    pci_msix_reset(dev);
    if (fn) {
        fn(dev);
    }
}

/* ---- Migration ------------------------------------------------------------------- */

static const VMStateField vmstate_pci_fields[] = {
    VMSTATE_UINT32_EQUAL(config_size, PCIDevice),
    VMSTATE_VBUFFER_UINT32(config, PCIDevice, config_size),
    VMSTATE_CUSTOM(msix, PCIDevice, vmstate_pci_msix),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_pci_device = {
    .name = "PCIDevice",
    .version_id = 1,
    .fields = vmstate_pci_fields,
};

bool pci_device_post_load(PCIDevice *dev, Error **errp)
{
    uint16_t status = pci_get_word(dev->config + PCI_STATUS);

    (void)errp;
    /* The pin's level travels as the status register's Interrupt Status bit. */
    dev->irq_level = !!(status & PCI_STATUS_INTERRUPT);
    pci_bus_change_irq(dev, pci_intx_on_bus(dev) - dev->intx_counted);
    pci_update_mappings(dev);
    return true;
}

static const Property pci_props[] = {
    DEFINE_PROP_PCI_DEVFN("addr", PCIDevice, devfn, -1),
    DEFINE_PROP_STRING("romfile", PCIDevice, romfile),
    DEFINE_PROP_UINT32("romsize", PCIDevice, rom_size, UINT32_MAX),
    DEFINE_PROP_UINT32("rombar", PCIDevice, rom_bar, 1),
    DEFINE_PROP_BOOL("multifunction", PCIDevice, multifunction, false),
    DEFINE_PROP_BOOL("x-pcie-lnksta-dllla", PCIDevice, pcie_lnksta_dllla, true),
    DEFINE_PROP_BOOL("x-pcie-extcap-init", PCIDevice, pcie_extcap_init, true),
    DEFINE_PROP_STRING("failover_pair_id", PCIDevice, failover_pair_id),
    DEFINE_PROP_UINT32("acpi-index", PCIDevice, acpi_index, 0),
    DEFINE_PROP_END_OF_LIST(),
};

const PCIDeviceClass pci_device_class = {
    .parent = {
        .name = TYPE_PCI_DEVICE,
        .abstract = true,
        .bus_type = TYPE_PCI_BUS,
        .instance_size = sizeof(PCIDevice),
        .props = pci_props,
        .realize = pci_device_realize,
        .unrealize = pci_device_unrealize,
        .reset = pci_device_reset,
    },
};

static void pci_register_types(void)
{
    qdev_register_type(&pci_device_class.parent);
}

module_init(pci_register_types)

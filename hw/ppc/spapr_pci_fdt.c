/*
 * The device-tree nodes of sPAPR PHBs and of the PCI devices on them, with
 * QEMU 7.2's properties in its order (the firmware and Linux read them).
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include <libfdt.h>

typedef struct PciDt {
    void *fdt;
    int err;
} PciDt;

static void pdt_prop(PciDt *d, int node, const char *name, const void *val, int len)
{
    if (!d->err) {
        d->err = fdt_setprop(d->fdt, node, name, val, len);
    }
}

static void pdt_cells(PciDt *d, int node, const char *name, const uint32_t *cells, unsigned n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, n ? n : 1);

    for (unsigned i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    pdt_prop(d, node, name, be, n * sizeof(fdt32_t));
}

static void pdt_u32(PciDt *d, int node, const char *name, uint32_t v)
{
    pdt_cells(d, node, name, &v, 1);
}

static void pdt_str(PciDt *d, int node, const char *name, const char *s)
{
    pdt_prop(d, node, name, s, strlen(s) + 1);
}

/* ---- Device nodes ------------------------------------------------------------------ */

/* Open Firmware PCI binding names by class (base class, subclass, programming interface). */
typedef struct PciClassName {
    uint8_t base;
    int16_t sub;  /* -1: any */
    int16_t prog; /* -1: any */
    const char *name;
} PciClassName;

static const PciClassName pci_class_names[] = {
    { 0x00, -1, -1, "legacy-device" },
    { 0x01, 0x00, -1, "scsi" },
    { 0x01, 0x01, -1, "ide" },
    { 0x01, 0x02, -1, "fdc" },
    { 0x01, 0x04, -1, "raid" },
    { 0x01, 0x05, -1, "ata" },
    { 0x01, 0x06, -1, "sata" },
    { 0x01, 0x07, -1, "sas" },
    { 0x01, -1, -1, "mass-storage" },
    { 0x02, 0x00, -1, "ethernet" },
    { 0x02, 0x01, -1, "token-ring" },
    { 0x02, 0x02, -1, "fddi" },
    { 0x02, 0x03, -1, "atm" },
    { 0x02, -1, -1, "network" },
    { 0x03, 0x00, -1, "vga" },
    { 0x03, 0x01, -1, "xga" },
    { 0x03, 0x02, -1, "3d-controller" },
    { 0x03, -1, -1, "display" },
    { 0x04, 0x00, -1, "video" },
    { 0x04, 0x01, -1, "sound" },
    { 0x04, -1, -1, "multimedia-device" },
    { 0x05, 0x00, -1, "ram" },
    { 0x05, 0x01, -1, "flash" },
    { 0x05, -1, -1, "memory-controller" },
    { 0x06, 0x00, -1, "host" },
    { 0x06, 0x01, -1, "isa" },
    { 0x06, 0x04, -1, "pci" },
    { 0x06, -1, -1, "unknown-bridge" },
    { 0x07, 0x00, -1, "serial" },
    { 0x07, 0x01, -1, "parallel" },
    { 0x07, 0x02, -1, "multiport-serial" },
    { 0x07, 0x03, -1, "modem" },
    { 0x07, -1, -1, "communication-controller" },
    { 0x08, 0x00, -1, "interrupt-controller" },
    { 0x08, 0x01, -1, "dma-controller" },
    { 0x08, 0x02, -1, "timer" },
    { 0x08, 0x03, -1, "rtc" },
    { 0x08, -1, -1, "system-peripheral" },
    { 0x09, 0x00, -1, "keyboard" },
    { 0x09, 0x02, -1, "mouse" },
    { 0x09, -1, -1, "input-controller" },
    { 0x0c, 0x00, -1, "firewire" },
    { 0x0c, 0x03, 0x00, "usb-uhci" },
    { 0x0c, 0x03, 0x10, "usb-ohci" },
    { 0x0c, 0x03, 0x20, "usb-ehci" },
    { 0x0c, 0x03, 0x30, "usb-xhci" },
    { 0x0c, 0x03, -1, "usb" },
    { 0x0c, 0x04, -1, "fibre-channel" },
    { 0x0c, -1, -1, "serial-bus" },
};

static const char *pci_dt_name(PCIDevice *dev)
{
    uint8_t base = dev->config[PCI_CLASS_DEVICE + 1], sub = dev->config[PCI_CLASS_DEVICE];
    uint8_t prog = dev->config[PCI_CLASS_PROG];

    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_names); i++) {
        const PciClassName *c = &pci_class_names[i];

        if (c->base == base && (c->sub < 0 || c->sub == sub) && (c->prog < 0 || c->prog == prog)) {
            return c->name;
        }
    }
    return "pci";
}

/*
 * "reg": the config space (phys.hi = bus, devfn, register 0), then one
 * entry per BAR with its size; phys.hi's space code: 1 I/O, 2 32-bit
 * memory, 3 64-bit memory (Open Firmware PCI binding).  The binding's
 * prefetchable bit stays clear even for a prefetchable BAR, as QEMU 7.2
 * writes it (Linux then keeps such a BAR out of prefetchable windows).
 */
static void pci_dt_reg(PciDt *d, int node, PCIDevice *dev, uint32_t hi)
{
    uint32_t cells[5 * (PCI_NUM_REGIONS + 1)] = { hi, 0, 0, 0, 0 };
    unsigned n = 5;

    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        const PCIIORegion *r = &dev->io_regions[i];
        uint32_t space;

        if (!r->size) {
            continue;
        }
        if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
            space = 0x01000000;
        } else {
            space = r->type & PCI_BASE_ADDRESS_MEM_TYPE_64 ? 0x03000000 : 0x02000000;
        }
        cells[n++] =
            space | hi | (i == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * i);
        cells[n++] = 0;
        cells[n++] = 0;
        cells[n++] = r->size >> 32;
        cells[n++] = r->size;
    }
    pdt_cells(d, node, "reg", cells, n);
}

static int pci_dt_device(PciDt *d, int parent, SpaprPhbState *phb, PCIDevice *dev)
{
    const uint8_t *c = dev->config;
    uint32_t hi = phb->bus->bus_num << 16 | dev->devfn << 8;
    g_autofree char *name = PCI_FUNC(dev->devfn)
                                ? g_strdup_printf("%s@%x,%x", pci_dt_name(dev),
                                                  PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn))
                                : g_strdup_printf("%s@%x", pci_dt_name(dev), PCI_SLOT(dev->devfn));
    g_autofree char *loc =
        g_strdup_printf("qemu_%s:%04x:%02x:%02x.%x", dev->qdev.cls->name, 0, phb->bus->bus_num,
                        PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
    uint16_t status = pci_get_word(c + PCI_STATUS);
    int node;

    if (d->err) {
        return d->err;
    }
    node = fdt_add_subnode(d->fdt, parent, name);
    if (node < 0) {
        d->err = node;
        return node;
    }
    pdt_u32(d, node, "vendor-id", pci_get_word(c + PCI_VENDOR_ID));
    pdt_u32(d, node, "device-id", pci_get_word(c + PCI_DEVICE_ID));
    pdt_u32(d, node, "revision-id", c[PCI_REVISION_ID]);
    pdt_u32(d, node, "class-code", pci_get_long(c + PCI_REVISION_ID) >> 8);
    if (c[PCI_INTERRUPT_PIN]) {
        pdt_u32(d, node, "interrupts", c[PCI_INTERRUPT_PIN]);
    }
    if (pci_get_word(c + PCI_SUBSYSTEM_ID)) {
        pdt_u32(d, node, "subsystem-id", pci_get_word(c + PCI_SUBSYSTEM_ID));
    }
    if (pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID)) {
        pdt_u32(d, node, "subsystem-vendor-id", pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID));
    }
    pdt_u32(d, node, "cache-line-size", c[PCI_CACHE_LINE_SIZE]);
    /* DEVSEL timing: status bits 9-10 */
    pdt_u32(d, node, "devsel-speed", (status >> 9) & 3);
    if (status & PCI_STATUS_FAST_BACK) {
        pdt_prop(d, node, "fast-back-to-back", NULL, 0);
    }
    if (status & PCI_STATUS_66MHZ) {
        pdt_prop(d, node, "66mhz-capable", NULL, 0);
    }
    pdt_str(d, node, "ibm,loc-code", loc);
    if (phb->dr_enabled) {
        pdt_u32(d, node, "ibm,my-drc-index",
                SPAPR_DRC_PCI_BASE | phb->index << 16 | phb->bus->bus_num << 8 | dev->devfn);
    }
    if (dev->msi_cap) {
        pdt_u32(d, node, "ibm,req#msi", dev->msi_vectors);
    }
    if (dev->msix) {
        pdt_u32(d, node, "ibm,req#msi-x", msix_nr_vectors(dev));
    }
    pci_dt_reg(d, node, dev, hi);
    if (phb->pcie_ecs && dev->config_size == PCIE_CONFIG_SPACE_SIZE) {
        pdt_u32(d, node, "ibm,pci-config-space-type", 1);
    }
    pdt_u32(d, node, "min-grant", c[PCI_MIN_GNT]);
    pdt_u32(d, node, "max-latency", c[PCI_MAX_LAT]);
    return d->err ? d->err : node;
}

int spapr_pci_dt_device(SpaprPhbState *phb, PCIDevice *dev, void *fdt, int parent)
{
    PciDt d = { fdt, 0 };

    return pci_dt_device(&d, parent, phb, dev);
}

/* ---- PHB nodes ---------------------------------------------------------------------- */

/*
 * interrupt-map: for each slot and pin, the LSI the swizzle gives it
 * (unit address masked to the slot, then the XICS source, level).
 */
static void phb_dt_interrupt_map(PciDt *d, int node, SpaprPhbState *phb)
{
    static const uint32_t mask[] = { PCI_DEVFN(PCI_SLOT_MAX - 1, 0) << 8, 0, 0, 0xffffffff };
    uint32_t map[PCI_SLOT_MAX * PCI_NUM_PINS * 7];
    unsigned n = 0;

    for (unsigned slot = 0; slot < PCI_SLOT_MAX; slot++) {
        for (unsigned pin = 1; pin <= PCI_NUM_PINS; pin++) {
            map[n++] = PCI_DEVFN(slot, 0) << 8;
            map[n++] = 0;
            map[n++] = 0;
            map[n++] = pin;
            map[n++] = SPAPR_PHANDLE_INTC;
            map[n++] = phb->lsi[pci_swizzle(slot, pin)];
            map[n++] = 1;
        }
    }
    pdt_cells(d, node, "interrupt-map-mask", mask, G_N_ELEMENTS(mask));
    pdt_cells(d, node, "interrupt-map", map, n);
}

/* One dynamic-reconfiguration connector per devfn: "C<n>" slots of type "28" (PCI). */
static void phb_dt_drc(PciDt *d, int node, SpaprPhbState *phb)
{
    uint32_t idx[PCI_DEVFN_MAX + 1], pwr[PCI_DEVFN_MAX + 1];
    GString *names = g_string_new(NULL), *types = g_string_new(NULL);
    uint32_t count = cpu_to_fdt32(PCI_DEVFN_MAX);

    idx[0] = pwr[0] = PCI_DEVFN_MAX;
    g_string_append_len(names, (const char *)&count, 4);
    g_string_append_len(types, (const char *)&count, 4);
    for (unsigned i = 0; i < PCI_DEVFN_MAX; i++) {
        idx[i + 1] = SPAPR_DRC_PCI_BASE | phb->index << 16 | i;
        pwr[i + 1] = UINT32_MAX;
        g_string_append_printf(names, "C%u", phb->index << 16 | i);
        g_string_append_c(names, '\0');
        g_string_append_len(types, "28", 3);
    }
    pdt_cells(d, node, "ibm,drc-indexes", idx, G_N_ELEMENTS(idx));
    pdt_cells(d, node, "ibm,drc-power-domains", pwr, G_N_ELEMENTS(pwr));
    pdt_prop(d, node, "ibm,drc-names", names->str, names->len);
    pdt_prop(d, node, "ibm,drc-types", types->str, types->len);
    g_string_free(names, TRUE);
    g_string_free(types, TRUE);
}

static void phb_dt(SpaprPhbState *phb, void *opaque)
{
    PciDt *d = opaque;
    g_autofree char *name = g_strdup_printf("pci@%" PRIx64, phb->buid);
    const uint32_t bus_range[] = { 0, 0xff };
    /* child (phys.hi, 64-bit address), parent (64-bit), size (64-bit) */
    const uint32_t ranges[] = {
        0x01000000,
        0,
        0,
        phb->io_win_addr >> 32,
        (uint32_t)phb->io_win_addr,
        phb->io_win_size >> 32,
        (uint32_t)phb->io_win_size,
        0x02000000,
        0,
        SPAPR_PCI_MEM_WIN_BUS_OFFSET,
        phb->mem_win_addr >> 32,
        (uint32_t)phb->mem_win_addr,
        phb->mem_win_size >> 32,
        (uint32_t)phb->mem_win_size,
        0x03000000,
        phb->mem64_win_addr >> 32,
        (uint32_t)phb->mem64_win_addr,
        phb->mem64_win_addr >> 32,
        (uint32_t)phb->mem64_win_addr,
        phb->mem64_win_size >> 32,
        (uint32_t)phb->mem64_win_size,
    };
    const uint32_t reg[] = { phb->buid >> 32, (uint32_t)phb->buid, 0, 0 };
    const uint32_t ddw_applicable[] = { RTAS_IBM_QUERY_PE_DMA_WINDOW, RTAS_IBM_CREATE_PE_DMA_WINDOW,
                                        RTAS_IBM_REMOVE_PE_DMA_WINDOW };
    /* Two extensions: the reset token, and the 64-bit "largest block" output of query. */
    const uint32_t ddw_extensions[] = { 2, RTAS_IBM_RESET_PE_DMA_WINDOW, 1 };
    const uint32_t dma_window[] = { phb->tcet[0]->liobn, phb->dma_win_addr >> 32,
                                    (uint32_t)phb->dma_win_addr, phb->dma_win_size >> 32,
                                    (uint32_t)phb->dma_win_size };
    int node;

    if (d->err) {
        return;
    }
    node = fdt_add_subnode(d->fdt, 0, name);
    if (node < 0) {
        d->err = node;
        return;
    }
    pdt_str(d, node, "device_type", "pci");
    pdt_str(d, node, "compatible", "IBM,Logical_PHB");
    pdt_u32(d, node, "#interrupt-cells", 1);
    pdt_prop(d, node, "used-by-rtas", NULL, 0);
    pdt_cells(d, node, "bus-range", bus_range, 2);
    pdt_cells(d, node, "ranges", ranges, phb->mem64_win_size ? 21 : 14);
    pdt_cells(d, node, "reg", reg, 4);
    pdt_u32(d, node, "ibm,pci-config-space-type", phb->pcie_ecs ? 1 : 0);
    pdt_u32(d, node, "ibm,pe-total-#msi", SPAPR_XIRQ_BASE + SPAPR_NR_XIRQS - SPAPR_IRQ_MSI);
    if (phb->ddw_enabled) {
        pdt_cells(d, node, "ibm,ddw-applicable", ddw_applicable, 3);
        pdt_cells(d, node, "ibm,ddw-extensions", ddw_extensions, 3);
    }
    phb_dt_interrupt_map(d, node, phb);
    pdt_u32(d, node, "ibm,#dma-address-cells", 2);
    pdt_u32(d, node, "ibm,#dma-size-cells", 2);
    pdt_cells(d, node, "ibm,dma-window", dma_window, 5);
    if (phb->dr_enabled) {
        pdt_u32(d, node, "ibm,my-drc-index", SPAPR_DRC_PHB_BASE + phb->index);
    }
    pdt_u32(d, node, "qemu,phb-enumerated", 1);
    pdt_u32(d, node, "#address-cells", 3);
    pdt_u32(d, node, "#size-cells", 2);
    if (phb->dr_enabled) {
        phb_dt_drc(d, node, phb);
    }
    /* Nodes are added in front: the last devfn first leaves them in devfn order. */
    for (int devfn = PCI_DEVFN_MAX - 1; devfn >= 0; devfn--) {
        PCIDevice *dev = pci_bus_find(phb->bus, devfn);

        if (dev) {
            pci_dt_device(d, node, phb, dev);
        }
    }
}

static void phb_collect(SpaprPhbState *phb, void *opaque)
{
    g_ptr_array_add(opaque, phb);
}

int spapr_dt_phbs(void *fdt)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new();
    PciDt d = { .fdt = fdt };

    spapr_pci_foreach_phb(phb_collect, list);
    /* Also in front: the highest index first leaves PHB 0 first. */
    for (guint i = list->len; i > 0 && !d.err; i--) {
        phb_dt(g_ptr_array_index(list, i - 1), &d);
    }
    return d.err;
}

/*
 * The Open Firmware path of a device on a PHB's bus, as its node is named above
 * ("/pci@800000020000000/scsi@3"), for qemu,boot-list; NULL for any other device.
 */
char *spapr_pci_fw_path(DeviceState *dev)
{
    BusState *bus = dev->parent_bus;
    SpaprPhbState *phb;
    PCIDevice *pdev;

    if (!qdev_class_is(dev->cls, &pci_device_class.parent) || !bus || !bus->parent ||
        !qdev_class_is(bus->parent->cls, qdev_find_type(TYPE_SPAPR_PCI_HOST_BRIDGE))) {
        return NULL;
    }
    phb = (SpaprPhbState *)bus->parent;
    pdev = (PCIDevice *)dev;
    if (PCI_FUNC(pdev->devfn)) {
        return g_strdup_printf("/pci@%" PRIx64 "/%s@%x,%x", phb->buid, pci_dt_name(pdev),
                               PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
    }
    return g_strdup_printf("/pci@%" PRIx64 "/%s@%x", phb->buid, pci_dt_name(pdev),
                           PCI_SLOT(pdev->devfn));
}

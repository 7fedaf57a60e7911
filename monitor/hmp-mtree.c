/*
 * HMP "info mtree": the machine's address spaces and memory regions in QEMU
 * 7.2's layout, drawn from what this machine has (RAM and its backends,
 * each PHB's windows, DMA windows and BARs, the VIO devices' DMA windows).
 */
#include "monitor/hmp-internal.h"
#include "exec/guest-memory.h"
#include "hw/mem/pc-dimm.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_regs.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_lmb.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr_vio.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"

/* QEMU's spapr PHB gives its MSI region one 4 KiB page of the MSI window. */
#define MTREE_PHB_MSI_SIZE 0x1000ULL
/* The size of a region spanning the whole 64-bit space: 2^64, which wraps to 0. */
#define MTREE_ALL 0

static void mtree_line(GString *out, unsigned depth, hwaddr base, uint64_t size, unsigned prio,
                       bool ram, const char *name)
{
    g_string_append_printf(out, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %u, %s): %s\n", 2 * depth,
                           "", base, base + size - 1, prio, ram ? "ram" : "i/o", name);
}

/* An alias line: its place, then the region it shows and the part of it. */
static void mtree_alias(GString *out, unsigned depth, hwaddr base, uint64_t size, const char *name,
                        const char *target, hwaddr offset)
{
    g_string_append_printf(out,
                           "%*s%016" PRIx64 "-%016" PRIx64
                           " (prio 0, i/o): alias %s @%s %016" PRIx64 "-%016" PRIx64 "\n",
                           2 * depth, "", base, base + size - 1, name, target, offset,
                           offset + size - 1);
}

static char *phb_name(const SpaprPhbState *phb)
{
    return g_strdup_printf("pci@%" PRIx64, phb->buid);
}

/*
 * RAM as QEMU's regions name it: ppc_spapr.ram, or the machine's backend,
 * or a ppc_spapr.ram container of the NUMA nodes' backends; then the
 * device memory container with each plugged module's backend.
 */
static void mtree_ram(GString *out)
{
    const NumaState *ns = numa_state();
    bool memdevs = false;
    hwaddr addr = 0;

    for (unsigned i = 0; i < ns->num_nodes; i++) {
        memdevs |= ns->nodes[i].memdev != NULL;
    }
    if (numa_ram_backend_id()) {
        mtree_line(out, 2, 0, guest_ram_size(), 0, true, numa_ram_backend_id());
    } else if (memdevs) {
        mtree_line(out, 2, 0, guest_ram_size(), 0, false, "ppc_spapr.ram");
        for (unsigned i = 0; i < ns->num_nodes; i++) {
            if (ns->nodes[i].memdev && ns->nodes[i].mem) {
                mtree_line(out, 3, addr, ns->nodes[i].mem, 0, true, ns->nodes[i].memdev);
            }
            addr += ns->nodes[i].mem;
        }
    } else {
        mtree_line(out, 2, 0, guest_ram_size(), 0, true, "ppc_spapr.ram");
    }
    if (spapr_machine && spapr_machine->maxmem > spapr_machine->ram_size) {
        g_autoptr(GPtrArray) dimms = spapr_lmb_dimms_by_addr();

        mtree_line(out, 2, QEMU_ALIGN_UP(spapr_machine->ram_size, SPAPR_DEVICE_MEM_ALIGN),
                   spapr_machine->maxmem - spapr_machine->ram_size, 0, false, "device-memory");
        for (guint i = 0; i < dimms->len; i++) {
            PCDIMMDevice *d = g_ptr_array_index(dimms, i);

            mtree_line(out, 3, d->addr, d->size, 0, true, d->memdev);
        }
    }
}

/* One PHB window as the system address space shows it: an alias of the PHB's bus region. */
typedef struct MtreeWindow {
    hwaddr base;
    uint64_t size;
    hwaddr offset; /* the bus address the window starts at */
    char *name;
    char *target;
} MtreeWindow;

static void mtree_window_free(gpointer p)
{
    MtreeWindow *w = p;

    g_free(w->name);
    g_free(w->target);
    g_free(w);
}

static void mtree_window_add(GPtrArray *wins, const SpaprPhbState *phb, const char *what,
                             const char *target, hwaddr base, uint64_t size, hwaddr offset)
{
    g_autofree char *n = phb_name(phb);
    MtreeWindow *w;

    if (!size) {
        return;
    }
    w = g_new0(MtreeWindow, 1);
    w->base = base;
    w->size = size;
    w->offset = offset;
    w->name = g_strdup_printf("%s.%s-alias", n, what);
    w->target = g_strdup_printf("%s.%s", n, target);
    g_ptr_array_add(wins, w);
}

static void mtree_collect_windows(SpaprPhbState *phb, void *opaque)
{
    /* QEMU 7.2 maps 64 KiB of I/O whatever io_win_size says. */
    mtree_window_add(opaque, phb, "io", "io", phb->io_win_addr, SPAPR_PCI_IO_WIN_SIZE, 0);
    mtree_window_add(opaque, phb, "mmio32", "mmio", phb->mem_win_addr, phb->mem_win_size,
                     SPAPR_PCI_MEM_WIN_BUS_OFFSET);
    mtree_window_add(opaque, phb, "mmio64", "mmio", phb->mem64_win_addr, phb->mem64_win_size,
                     phb->mem64_win_addr);
}

static gint mtree_window_cmp(gconstpointer a, gconstpointer b)
{
    const MtreeWindow *x = *(MtreeWindow *const *)a, *y = *(MtreeWindow *const *)b;

    return x->base < y->base ? -1 : x->base > y->base;
}

/* The system region: RAM, then the PHB windows by address. */
static void mtree_system(GString *out, unsigned depth)
{
    g_autoptr(GPtrArray) wins = g_ptr_array_new_with_free_func(mtree_window_free);

    mtree_line(out, depth, 0, MTREE_ALL, 0, false, "system");
    if (guest_ram_size()) {
        mtree_ram(out);
    }
    spapr_pci_foreach_phb(mtree_collect_windows, wins);
    g_ptr_array_sort(wins, mtree_window_cmp);
    for (guint i = 0; i < wins->len; i++) {
        MtreeWindow *w = g_ptr_array_index(wins, i);

        mtree_alias(out, depth + 1, w->base, w->size, w->name, w->target, w->offset);
    }
}

/*
 * A PHB's DMA side: the IOMMU root holding one TCE root per DMA window
 * (the later window first, as QEMU lists equal subregions), the open
 * window's TCE region, and the MSI page.
 */
static void mtree_phb_iommu(GString *out, const SpaprPhbState *phb)
{
    g_autofree char *n = phb_name(phb);
    g_autofree char *root = g_strdup_printf("%s.iommu-root", n);

    mtree_line(out, 1, 0, MTREE_ALL, 0, false, root);
    for (int i = SPAPR_PCI_DMA_MAX_WINDOWS - 1; i >= 0; i--) {
        const SpaprTceTable *t = phb->tcet[i];
        g_autofree char *tce = NULL;

        /* Without DDW, QEMU creates only the default window's table. */
        if (!t || (i && !phb->ddw_enabled)) {
            continue;
        }
        tce = g_strdup_printf("tce-root-%x", t->liobn);
        mtree_line(out, 2, 0, MTREE_ALL, 0, false, tce);
        if (t->nb_table) {
            g_autofree char *win = g_strdup_printf("tce-iommu-%x", t->liobn);

            mtree_line(out, 3, t->bus_offset, spapr_tce_window_size(t), 0, false, win);
        }
    }
    mtree_line(out, 2, SPAPR_PCI_MSI_WINDOW, MTREE_PHB_MSI_SIZE, 0, false, "msi");
}

typedef struct MtreeCtx {
    GString *out;
    const SpaprPhbState *phb;
    bool io; /* mtree_bars: the I/O BARs, else the memory BARs */
    unsigned count;
} MtreeCtx;

static void mtree_phb_as(SpaprPhbState *phb, void *opaque)
{
    g_autofree char *n = phb_name(phb);
    GString *out = opaque;

    g_string_append_printf(out, "address-space: %s\n", n);
    mtree_phb_iommu(out, phb);
    g_string_append(out, "\n");
}

/* Each PCI device's bus-master address space: its path to the PHB's IOMMU while it may master. */
static void mtree_device_as(PCIBus *bus, PCIDevice *dev, void *opaque)
{
    MtreeCtx *c = opaque;
    g_autofree char *n = phb_name(c->phb);

    (void)bus;
    g_string_append_printf(c->out, "address-space: %s\n", dev->qdev.cls->name);
    mtree_line(c->out, 1, 0, MTREE_ALL, 0, false, "bus master container");
    if (pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER) {
        g_autofree char *root = g_strdup_printf("%s.iommu-root", n);

        mtree_alias(c->out, 2, 0, MTREE_ALL, "bus master", root, 0);
    }
    g_string_append(c->out, "\n");
}

static void mtree_phb_devices_as(SpaprPhbState *phb, void *opaque)
{
    MtreeCtx c = { .out = opaque, .phb = phb };

    pci_bus_foreach(phb->bus, mtree_device_as, &c);
}

/* The VIO devices with a DMA window: their IOMMU, as big as RAM. */
static void mtree_vio_as(SpaprVioDevice *dev, void *opaque)
{
    const SpaprVioDeviceClass *vc = (const SpaprVioDeviceClass *)dev->qdev.cls;
    MtreeCtx *c = opaque;
    g_autofree char *tce = NULL, *win = NULL;

    if (!dev->tcet) {
        return;
    }
    c->count++;
    tce = g_strdup_printf("tce-root-%x", dev->tcet->liobn);
    win = g_strdup_printf("tce-iommu-%x", dev->tcet->liobn);
    g_string_append_printf(c->out, "address-space: %s@%x\n", vc->dt_name, dev->reg);
    mtree_line(c->out, 1, 0, spapr_machine ? spapr_machine->ram_size : guest_ram_size(), 0, false,
               "iommu-spapr-root");
    mtree_line(c->out, 2, 0, MTREE_ALL, 2, false, tce);
    if (dev->tcet->nb_table) {
        mtree_line(c->out, 3, dev->tcet->bus_offset, spapr_tce_window_size(dev->tcet), 0, false,
                   win);
    }
    g_string_append(c->out, "\n");
}

/* The BARs the guest has mapped in a PHB's memory (or I/O) space, at their bus addresses. */
static void mtree_bars(PCIBus *bus, PCIDevice *dev, void *opaque)
{
    MtreeCtx *c = opaque;

    (void)bus;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        const PCIIORegion *r = &dev->io_regions[n];
        g_autofree char *name = NULL;

        if (!r->size || !r->mr || !(r->type & PCI_BASE_ADDRESS_SPACE_IO) != !c->io) {
            continue;
        }
        name = g_strdup_printf("%s-bar%d", dev->qdev.cls->name, n);
        mtree_line(c->out, 2, r->addr, r->size, 1, false, name);
    }
}

static void mtree_phb_region(SpaprPhbState *phb, GString *out, bool io)
{
    g_autofree char *n = phb_name(phb);
    g_autofree char *name = g_strdup_printf("%s.%s", n, io ? "io" : "mmio");
    MtreeCtx c = { .out = out, .phb = phb, .io = io };

    g_string_append_printf(out, "memory-region: %s\n", name);
    mtree_line(out, 1, 0, io ? SPAPR_PCI_IO_WIN_SIZE : MTREE_ALL, 0, false, name);
    pci_bus_foreach(phb->bus, mtree_bars, &c);
    g_string_append(out, "\n");
}

static void mtree_phb_io_region(SpaprPhbState *phb, void *opaque)
{
    mtree_phb_region(phb, opaque, true);
}

static void mtree_phb_mmio_region(SpaprPhbState *phb, void *opaque)
{
    mtree_phb_region(phb, opaque, false);
}

static void mtree_count_dev(PCIBus *bus, PCIDevice *dev, void *opaque)
{
    (void)bus;
    (void)dev;
    (*(unsigned *)opaque)++;
}

/* The IOMMU root of a PHB with devices: their bus-master aliases lead there. */
static void mtree_phb_iommu_region(SpaprPhbState *phb, void *opaque)
{
    g_autofree char *n = phb_name(phb);
    unsigned devs = 0;

    pci_bus_foreach(phb->bus, mtree_count_dev, &devs);
    if (!devs) {
        return;
    }
    g_string_append_printf(opaque, "memory-region: %s.iommu-root\n", n);
    mtree_phb_iommu(opaque, phb);
    g_string_append(opaque, "\n");
}

/*
 * QEMU prints each address space (those sharing a root under one tree),
 * then each region an alias leads to that no address space roots.  QEMU's
 * order of the blocks follows a hash table; ours is fixed: memory, I/O,
 * the PHBs, the PCI devices, the VIO devices.
 */
void hmp_info_mtree(HmpContext *ctx)
{
    MtreeCtx vio = { .out = ctx->out };

    for (unsigned i = 0; i < cpus_count(); i++) {
        g_string_append_printf(ctx->out, "address-space: cpu-memory-%d\n", cpus_get(i)->cpu_index);
    }
    g_string_append(ctx->out, "address-space: memory\n");
    mtree_system(ctx->out, 1);
    g_string_append(ctx->out, "\n");
    /* QEMU's I/O space exists on every machine, 64 KiB and empty here. */
    g_string_append(ctx->out, "address-space: I/O\n");
    mtree_line(ctx->out, 1, 0, 0x10000, 0, false, "io");
    g_string_append(ctx->out, "\n");
    if (!spapr_machine) {
        return;
    }
    spapr_pci_foreach_phb(mtree_phb_as, ctx->out);
    spapr_pci_foreach_phb(mtree_phb_devices_as, ctx->out);
    if (spapr_machine->vio_bus) {
        spapr_vio_foreach(spapr_machine->vio_bus, mtree_vio_as, &vio);
    }
    if (vio.count) {
        /* The VIO IOMMUs' bypass alias (off until ibm,set-tce-bypass) leads to system. */
        g_string_append(ctx->out, "memory-region: system\n");
        mtree_system(ctx->out, 1);
        g_string_append(ctx->out, "\n");
    }
    spapr_pci_foreach_phb(mtree_phb_io_region, ctx->out);
    spapr_pci_foreach_phb(mtree_phb_mmio_region, ctx->out);
    spapr_pci_foreach_phb(mtree_phb_iommu_region, ctx->out);
}

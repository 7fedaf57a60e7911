/*
 * spapr-pci-host-bridge: a PAPR logical PHB.  Its bus's memory and I/O
 * windows in the guest's address space, INTx as XICS level sources, MSIs
 * through a message window, DMA through its TCE windows, and the RTAS
 * configuration-space services.
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "qemu/log.h"
#include "qemu/module.h"

static GPtrArray *phbs;          /* SpaprPhbState *, realized ones */
static unsigned anonymous_buses; /* PCI buses named "pci.N" so far (QEMU never reuses N) */

static gint phb_cmp(gconstpointer a, gconstpointer b)
{
    const SpaprPhbState *pa = *(SpaprPhbState *const *)a, *pb = *(SpaprPhbState *const *)b;

    return pa->index < pb->index ? -1 : pa->index > pb->index;
}

SpaprPhbState *spapr_pci_find_phb(uint64_t buid)
{
    for (guint i = 0; phbs && i < phbs->len; i++) {
        SpaprPhbState *phb = g_ptr_array_index(phbs, i);

        if (phb->buid == buid) {
            return phb;
        }
    }
    return NULL;
}

PCIDevice *spapr_pci_find_dev(uint64_t buid, uint32_t config_addr)
{
    SpaprPhbState *phb = spapr_pci_find_phb(buid);

    /* One bus per PHB: bus numbers other than its own reach nothing. */
    if (!phb || ((config_addr >> 16) & 0xff) != phb->bus->bus_num) {
        return NULL;
    }
    return pci_bus_find(phb->bus, (config_addr >> 8) & 0xff);
}

void spapr_pci_foreach_phb(void (*fn)(SpaprPhbState *phb, void *opaque), void *opaque)
{
    for (guint i = 0; phbs && i < phbs->len; i++) {
        fn(g_ptr_array_index(phbs, i), opaque);
    }
}

/* ---- What the bus asks of its bridge ------------------------------------------------ */

static bool phb_map_window(void *opaque, bool io, uint64_t addr, uint64_t size, hwaddr *cpu)
{
    SpaprPhbState *phb = opaque;
    uint64_t base = io ? 0 : SPAPR_PCI_MEM_WIN_BUS_OFFSET;
    uint64_t win = io ? phb->io_win_size : phb->mem_win_size;

    if (addr >= base && addr - base < win && size <= win - (addr - base)) {
        *cpu = (io ? phb->io_win_addr : phb->mem_win_addr) + (addr - base);
        return true;
    }
    /* The 64-bit window is mapped one to one. */
    if (!io && addr >= phb->mem64_win_addr && addr - phb->mem64_win_addr < phb->mem64_win_size &&
        size <= phb->mem64_win_size - (addr - phb->mem64_win_addr)) {
        *cpu = addr;
        return true;
    }
    return false;
}

static void phb_set_irq(void *opaque, int pin, int level)
{
    SpaprPhbState *phb = opaque;

    qemu_set_irq(spapr_qirq(phb->spapr, phb->lsi[pin]), level);
}

/* A message to the MSI window raises the source its data names. */
static void phb_msi(void *opaque, uint64_t addr, uint32_t data)
{
    SpaprPhbState *phb = opaque;

    if (addr < SPAPR_PCI_MSI_WINDOW || addr - SPAPR_PCI_MSI_WINDOW >= SPAPR_PCI_MSI_WINDOW_SIZE) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr_pci: MSI to 0x%" PRIx64 " outside the window\n",
                      addr);
        return;
    }
    qemu_irq_pulse(spapr_qirq(phb->spapr, data));
}

/* A DMA must fall in one window: the PE's windows do not join up. */
static bool phb_dma_rw(void *opaque, PCIDevice *dev, uint64_t iova, void *buf, uint64_t len,
                       bool is_write)
{
    SpaprPhbState *phb = opaque;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = phb->tcet[i];

        if (t->nb_table && iova >= t->bus_offset &&
            iova - t->bus_offset < spapr_tce_window_size(t)) {
            return is_write ? spapr_tce_dma_write(t, iova, buf, len)
                            : spapr_tce_dma_read(t, iova, buf, len);
        }
    }
    qemu_log_mask(LOG_GUEST_ERROR, "spapr_pci: %s DMA at 0x%" PRIx64 " outside every window\n",
                  dev->qdev.cls->name, iova);
    return false;
}

static const PCIBusOps phb_bus_ops = {
    .map_window = phb_map_window,
    .set_irq = phb_set_irq,
    .msi = phb_msi,
    .dma_rw = phb_dma_rw,
};

/* ---- The device -------------------------------------------------------------------- */

static SpaprPhbState *phb_of(DeviceState *dev)
{
    return (SpaprPhbState *)dev;
}

unsigned spapr_phb_active_windows(SpaprPhbState *phb)
{
    unsigned n = 0;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        n += phb->tcet[i]->nb_table != 0;
    }
    return n;
}

void spapr_phb_dma_reset(SpaprPhbState *phb)
{
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        spapr_tce_table_disable(phb->tcet[i]);
    }
    if (phb->dma_win_size) {
        spapr_tce_table_enable(phb->tcet[0], SPAPR_TCE_PAGE_SHIFT, phb->dma_win_addr,
                               phb->dma_win_size >> SPAPR_TCE_PAGE_SHIFT);
    }
}

void spapr_phb_msi_reset(SpaprPhbState *phb)
{
    for (guint i = 0; phb->msi && i < phb->msi->len; i++) {
        SpaprPciMsi *m = &g_array_index(phb->msi, SpaprPciMsi, i);

        spapr_irq_free(phb->spapr, m->first_irq, m->num);
    }
    if (phb->msi) {
        g_array_set_size(phb->msi, 0);
    }
}

static bool phb_claim_lsis(SpaprPhbState *phb, Error **errp)
{
    SpaprMachineState *spapr = phb->spapr;
    char *err = NULL;

    for (int i = 0; i < PCI_NUM_PINS; i++) {
        phb->lsi[i] = SPAPR_IRQ_PCI_LSI + phb->index * PCI_NUM_PINS + i;
        if (!spapr->irq) {
            continue;
        }
        if (spapr->caps.ic_mode == SPAPR_IC_MODE_LEGACY) {
            int n = spapr_irq_findone(spapr, &err);

            if (n < 0) {
                goto fail;
            }
            phb->lsi[i] = n;
        }
        if (!spapr_irq_claim(spapr, phb->lsi[i], true, &err)) {
            if (i) {
                spapr_irq_free(spapr, phb->lsi[0], i);
            }
            goto fail;
        }
    }
    return true;
fail:
    error_setg(errp, "%s", err);
    g_free(err);
    return false;
}

static bool phb_realize(DeviceState *dev, Error **errp)
{
    SpaprPhbState *phb = phb_of(dev);
    g_autofree char *busname = NULL;

    if (!phb->spapr) {
        phb->spapr = spapr_machine;
    }
    if (!phb->spapr) {
        error_setg(errp, "spapr-pci-host-bridge needs a pseries machine");
        return false;
    }
    if (phb->index == UINT32_MAX) {
        error_setg(errp, "\"index\" for PAPR PHB is mandatory");
        return false;
    }
    if (phb->index >= SPAPR_MAX_PHBS) {
        error_setg(errp, "\"index\" for PAPR PHB is too large (max %llu)",
                   (unsigned long long)SPAPR_MAX_PHBS - 1);
        return false;
    }
    for (guint i = 0; phbs && i < phbs->len; i++) {
        if (((SpaprPhbState *)g_ptr_array_index(phbs, i))->index == phb->index) {
            error_setg(errp, "PHB %u already attached", phb->index);
            return false;
        }
    }
    phb->buid = SPAPR_PCI_BASE_BUID + phb->index;
    phb->io_win_addr = SPAPR_PCI_BASE + phb->index * SPAPR_PCI_IO_WIN_SIZE;
    phb->mem_win_addr = SPAPR_PCI_BASE + (phb->index + 1ULL) * SPAPR_PCI_MEM32_WIN_SIZE;
    phb->mem64_win_addr = SPAPR_PCI_BASE + (phb->index + 1ULL) * SPAPR_PCI_MEM64_WIN_SIZE;

    if (!phb_claim_lsis(phb, errp)) {
        return false;
    }
    phb->win[0] = memory_map_add_window(phb->io_win_addr, phb->io_win_size);
    phb->win[1] = memory_map_add_window(phb->mem_win_addr, phb->mem_win_size);
    phb->win[2] = memory_map_add_window(phb->mem64_win_addr, phb->mem64_win_size);
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        phb->tcet[i] = spapr_tce_new_table(SPAPR_PCI_LIOBN(phb->index, i));
    }
    spapr_phb_dma_reset(phb);
    phb->msi = g_array_new(FALSE, TRUE, sizeof(SpaprPciMsi));
    /*
     * QEMU 7.2's bus names: a PHB with an id gives "ID.0"; the others
     * "pci.N", N counting the anonymous PCI buses in creation order (the
     * board's PHB first), whatever their index.
     */
    if (dev->id) {
        busname = g_strdup_printf("%s.0", dev->id);
    } else {
        busname = g_strdup_printf("pci.%u", anonymous_buses++);
    }
    phb->bus = pci_bus_new(dev, busname, &phb_bus_ops, phb);
    if (!phbs) {
        phbs = g_ptr_array_new();
    }
    g_ptr_array_add(phbs, phb);
    g_ptr_array_sort(phbs, phb_cmp);
    spapr_pci_hotplug_init(phb);
    return true;
}

static void phb_unrealize(DeviceState *dev)
{
    SpaprPhbState *phb = phb_of(dev);

    spapr_pci_hotplug_fini(phb);
    spapr_phb_msi_reset(phb);
    g_array_free(phb->msi, TRUE);
    phb->msi = NULL;
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        spapr_tce_table_free(phb->tcet[i]);
        phb->tcet[i] = NULL;
    }
    for (int i = 0; i < PCI_NUM_PINS; i++) {
        spapr_irq_free(phb->spapr, phb->lsi[i], 1);
    }
    for (int i = 0; i < 3; i++) {
        memory_map_remove_window(phb->win[i]);
        phb->win[i] = NULL;
    }
    g_ptr_array_remove(phbs, phb);
}

/* Machine reset: the default DMA window only, empty; no MSIs. */
static void phb_reset(DeviceState *dev)
{
    SpaprPhbState *phb = phb_of(dev);

    spapr_phb_dma_reset(phb);
    spapr_phb_msi_reset(phb);
}

static const Property phb_props[] = {
    DEFINE_PROP_UINT32("index", SpaprPhbState, index, UINT32_MAX),
    DEFINE_PROP_UINT64("mem_win_size", SpaprPhbState, mem_win_size, SPAPR_PCI_MEM32_WIN_SIZE),
    DEFINE_PROP_UINT64("mem64_win_size", SpaprPhbState, mem64_win_size, SPAPR_PCI_MEM64_WIN_SIZE),
    DEFINE_PROP_UINT64("io_win_size", SpaprPhbState, io_win_size, SPAPR_PCI_IO_WIN_SIZE),
    DEFINE_PROP_BOOL("dynamic-reconfiguration", SpaprPhbState, dr_enabled, true),
    DEFINE_PROP_UINT64("dma_win_addr", SpaprPhbState, dma_win_addr, 0),
    DEFINE_PROP_UINT64("dma_win_size", SpaprPhbState, dma_win_size, SPAPR_PCI_DMA32_SIZE),
    DEFINE_PROP_UINT64("dma64_win_addr", SpaprPhbState, dma64_win_addr, SPAPR_PCI_DMA64_START),
    DEFINE_PROP_BOOL("ddw", SpaprPhbState, ddw_enabled, true),
    DEFINE_PROP_UINT64("pgsz", SpaprPhbState, page_size_mask,
                       (1ULL << 12) | (1ULL << 16) | (1ULL << 21) | (1ULL << 24)),
    DEFINE_PROP_UINT32("numa_node", SpaprPhbState, numa_node, UINT32_MAX),
    DEFINE_PROP_BOOL("pre-2.8-migration", SpaprPhbState, pre_2_8_migration, false),
    DEFINE_PROP_BOOL("pcie-extended-configuration-space", SpaprPhbState, pcie_ecs, true),
    DEFINE_PROP_UINT64("gpa", SpaprPhbState, gpa, 0),
    DEFINE_PROP_UINT64("atsd", SpaprPhbState, atsd, 0),
    DEFINE_PROP_BOOL("pre-5.1-associativity", SpaprPhbState, pre_5_1_assoc, false),
    DEFINE_PROP_BOOL("x-config-reg-migration-enabled", SpaprPhbState, migrate_config, true),
    DEFINE_PROP_BOOL("bypass-iommu", SpaprPhbState, bypass_iommu, false),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * The PHB's guest-visible state, its DMA windows (TCE tables) and MSI
 * allocations, travels in the machine's migration section
 * (hw/ppc/spapr_migration.c): both are variable-sized and shared with the
 * RTAS and hcall code that owns them.
 */
static const VMStateField phb_fields[] = {
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_pci = {
    .name = "spapr_pci",
    .version_id = 2,
    .fields = phb_fields,
};

static const DeviceClass spapr_phb_class = {
    .name = TYPE_SPAPR_PCI_HOST_BRIDGE,
    .vmsd = &vmstate_spapr_pci,
    .category = DEVICE_CATEGORY_BRIDGE,
    .bus_type = "System",
    .instance_size = sizeof(SpaprPhbState),
    .props = phb_props,
    .realize = phb_realize,
    .unrealize = phb_unrealize,
    .reset = phb_reset,
};

PCIBus *spapr_pci_create_default(SpaprMachineState *spapr)
{
    DeviceState *dev = qdev_new(TYPE_SPAPR_PCI_HOST_BRIDGE);

    ((SpaprPhbState *)dev)->spapr = spapr;
    qdev_prop_set_uint32(dev, "index", 0);
    qdev_realize_and_unref(dev, qdev_root_bus(), &error_fatal);
    return ((SpaprPhbState *)dev)->bus;
}

/* ---- RTAS: configuration space ----------------------------------------------------- */

/* The register number: bits 0-7 of the address, extended by bits 28-31 (PCIe). */
static uint32_t rtas_pci_cfgaddr(uint32_t arg)
{
    return ((arg >> 20) & 0xf00) | (arg & 0xff);
}

/* The device and register an access names, or NULL: size 1, 2 or 4, aligned, inside. */
static PCIDevice *rtas_config_target(uint64_t buid, uint32_t addr, uint32_t size, uint32_t *reg)
{
    PCIDevice *dev;

    if (size != 1 && size != 2 && size != 4) {
        return NULL;
    }
    dev = spapr_pci_find_dev(buid, addr);
    *reg = rtas_pci_cfgaddr(addr);
    if (!dev || *reg % size || *reg >= dev->config_size) {
        return NULL;
    }
    return dev;
}

static void finish_read_config(const SpaprRtasCall *call, uint64_t buid, uint32_t addr,
                               uint32_t size)
{
    uint32_t reg;
    PCIDevice *dev = rtas_config_target(buid, addr, size, &reg);

    if (!dev) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, pci_config_read(dev, reg, size));
}

static void finish_write_config(const SpaprRtasCall *call, uint64_t buid, uint32_t addr,
                                uint32_t size, uint32_t val)
{
    uint32_t reg;
    PCIDevice *dev = rtas_config_target(buid, addr, size, &reg);

    if (!dev) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    pci_config_write(dev, reg, val, size);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

static uint64_t rtas_ldq(const SpaprRtasCall *call, unsigned i)
{
    return (uint64_t)rtas_ld(call, i) << 32 | rtas_ld(call, i + 1);
}

/* ibm,read-pci-config: config address, BUID high, BUID low, size; status, value. */
static void rtas_ibm_read_pci_config(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                     const SpaprRtasCall *call)
{
    if (call->nargs != 4 || call->nret != 2) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    finish_read_config(call, rtas_ldq(call, 1), rtas_ld(call, 0), rtas_ld(call, 3));
}

/*
 * read-pci-config: config address, size.  It names no BUID, and QEMU 7.2
 * looks it up as BUID 0, which no PHB has: it always fails there.
 */
static void rtas_read_pci_config(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    if (call->nargs != 2 || call->nret != 2) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    finish_read_config(call, 0, rtas_ld(call, 0), rtas_ld(call, 1));
}

/* ibm,write-pci-config: config address, BUID high, BUID low, size, value; status. */
static void rtas_ibm_write_pci_config(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                      const SpaprRtasCall *call)
{
    if (call->nargs != 5 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    finish_write_config(call, rtas_ldq(call, 1), rtas_ld(call, 0), rtas_ld(call, 3),
                        rtas_ld(call, 4));
}

static void rtas_write_pci_config(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                  const SpaprRtasCall *call)
{
    if (call->nargs != 3 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    finish_write_config(call, 0, rtas_ld(call, 0), rtas_ld(call, 1), rtas_ld(call, 2));
}

static void spapr_pci_register(void)
{
    qdev_register_type(&spapr_phb_class);
    spapr_rtas_register(RTAS_READ_PCI_CONFIG, "read-pci-config", rtas_read_pci_config);
    spapr_rtas_register(RTAS_WRITE_PCI_CONFIG, "write-pci-config", rtas_write_pci_config);
    spapr_rtas_register(RTAS_IBM_READ_PCI_CONFIG, "ibm,read-pci-config", rtas_ibm_read_pci_config);
    spapr_rtas_register(RTAS_IBM_WRITE_PCI_CONFIG, "ibm,write-pci-config",
                        rtas_ibm_write_pci_config);
}

module_init(spapr_pci_register)

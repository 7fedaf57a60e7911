/*
 * RTAS services of PCI host bridges beyond config access: MSI set-up
 * (ibm,change-msi, ibm,query-interrupt-source-number), dynamic DMA windows
 * (ibm,query/create/remove/reset-pe-dma-window) and the EEH calls, which
 * emulated devices do not offer.
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "qemu/error-report.h"
#include "qemu/module.h"

/* ibm,change-msi functions and the interrupt types it answers (PAPR 7.3.10.5) */
#define RTAS_QUERY_FN 0
#define RTAS_CHANGE_FN 1
#define RTAS_RESET_FN 2
#define RTAS_CHANGE_MSI_FN 3
#define RTAS_CHANGE_MSIX_FN 4
#define RTAS_TYPE_MSI 1
#define RTAS_TYPE_MSIX 2

/* ibm,query-pe-dma-window page sizes (LoPAPR) */
static const struct {
    unsigned shift;
    uint32_t mask;
} ddw_page_sizes[] = {
    { 12, 0x01 }, { 16, 0x02 }, { 21, 0x100 }, { 24, 0x04 }, { 25, 0x08 },
    { 26, 0x10 }, { 27, 0x20 }, { 28, 0x40 },  { 34, 0x80 },
};

/* A window larger than this many TCEs is refused as a hardware error (8 GiB of table). */
#define SPAPR_DDW_MAX_TCES (1ULL << 30)

static uint64_t rtas_ldq(const SpaprRtasCall *call, unsigned i)
{
    return (uint64_t)rtas_ld(call, i) << 32 | rtas_ld(call, i + 1);
}

static void rtas_status(const SpaprRtasCall *call, int status)
{
    rtas_st(call, 0, (uint32_t)status);
}

/* ---- MSI ------------------------------------------------------------------------------ */

static SpaprPciMsi *phb_msi_find(SpaprPhbState *phb, uint32_t config_addr, guint *pos)
{
    for (guint i = 0; i < phb->msi->len; i++) {
        SpaprPciMsi *m = &g_array_index(phb->msi, SpaprPciMsi, i);

        if (m->config_addr == config_addr) {
            if (pos) {
                *pos = i;
            }
            return m;
        }
    }
    return NULL;
}

static void phb_msi_drop(SpaprMachineState *spapr, SpaprPhbState *phb, uint32_t config_addr)
{
    guint pos;
    SpaprPciMsi *m = phb_msi_find(phb, config_addr, &pos);

    if (m) {
        spapr_irq_free(spapr, m->first_irq, m->num);
        g_array_remove_index(phb->msi, pos);
    }
}

/*
 * num consecutive free message sources, the first a multiple of the power
 * of two above num when MSI needs it (its vectors are the low data bits).
 * Claimed on success.
 */
static bool msi_alloc(SpaprMachineState *spapr, uint32_t num, bool align, uint32_t *first)
{
    uint32_t step = 1, end = SPAPR_XIRQ_BASE + SPAPR_NR_XIRQS;
    char *err = NULL;

    while (align && step < num) {
        step <<= 1;
    }
    for (uint32_t base = SPAPR_IRQ_MSI; base + num <= end; base += step) {
        uint32_t i;

        for (i = 0; i < num; i++) {
            if (!spapr_irq_claim(spapr, base + i, false, &err)) {
                g_free(err);
                err = NULL;
                break;
            }
        }
        if (i == num) {
            *first = base;
            return true;
        }
        spapr_irq_free(spapr, base, i);
    }
    return false;
}

/*
 * ibm,change-msi: config address, BUID high, BUID low, function, requested
 * number, sequence number; status, number given, next sequence number and
 * (nret 4) the type.  A request beyond what the device has gets the
 * device's number back without any change, so the guest can ask again.
 */
static void rtas_ibm_change_msi(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                const SpaprRtasCall *call)
{
    uint32_t config_addr = rtas_ld(call, 0), func = rtas_ld(call, 3);
    uint32_t req = rtas_ld(call, 4), seq = rtas_ld(call, 5);
    SpaprPhbState *phb = spapr_pci_find_phb(rtas_ldq(call, 1));
    PCIDevice *dev = phb ? spapr_pci_find_dev(phb->buid, config_addr) : NULL;
    uint32_t type, max, first = 0;

    if (!dev) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    switch (func) {
    case RTAS_CHANGE_FN:
        type = dev->msi_cap ? RTAS_TYPE_MSI : dev->msix ? RTAS_TYPE_MSIX : 0;
        break;
    case RTAS_CHANGE_MSI_FN:
        type = dev->msi_cap ? RTAS_TYPE_MSI : 0;
        break;
    case RTAS_CHANGE_MSIX_FN:
        type = dev->msix ? RTAS_TYPE_MSIX : 0;
        break;
    default:
        error_report("rtas_ibm_change_msi(%u) is not implemented", func);
        type = 0;
        break;
    }
    if (!type) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (!req) {
        if (!phb_msi_find(phb, config_addr, NULL)) {
            rtas_status(call, RTAS_OUT_HW_ERROR);
            return;
        }
        if (dev->msi_cap) {
            msi_set_message(dev, 0, 0);
        }
        for (unsigned v = 0; v < msix_nr_vectors(dev); v++) {
            msix_set_message(dev, v, 0, 0);
        }
        phb_msi_drop(spapr, phb, config_addr);
        rtas_status(call, RTAS_OUT_SUCCESS);
        rtas_st(call, 1, 0);
        return;
    }
    max = type == RTAS_TYPE_MSI ? 1u << ((pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS) &
                                          PCI_MSI_FLAGS_QSIZE) >>
                                         4)
                                : msix_nr_vectors(dev);
    if (req > max) {
        req = max;
    } else {
        if (!msi_alloc(spapr, req, type == RTAS_TYPE_MSI, &first)) {
            error_report("Can't allocate MSIs for device %x: Unable to allocate %u irqs",
                         config_addr, req);
            rtas_status(call, RTAS_OUT_HW_ERROR);
            return;
        }
        phb_msi_drop(spapr, phb, config_addr);
        if (type == RTAS_TYPE_MSI) {
            msi_set_message(dev, SPAPR_PCI_MSI_WINDOW, first);
        } else {
            for (uint32_t v = 0; v < req; v++) {
                msix_set_message(dev, v, SPAPR_PCI_MSI_WINDOW, first + v);
            }
        }
        g_array_append_val(
            phb->msi,
            ((SpaprPciMsi){ .config_addr = config_addr, .first_irq = first, .num = req }));
    }
    rtas_status(call, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, req);
    rtas_st(call, 2, seq + 1);
    if (call->nret > 3) {
        rtas_st(call, 3, type);
    }
}

/*
 * ibm,query-interrupt-source-number: config address, BUID high, BUID low,
 * vector; status, interrupt source number, 1 (edge-triggered).
 */
static void rtas_ibm_query_interrupt_source_number(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                                   const SpaprRtasCall *call)
{
    uint32_t config_addr = rtas_ld(call, 0), vector = rtas_ld(call, 3);
    SpaprPhbState *phb = spapr_pci_find_phb(rtas_ldq(call, 1));
    SpaprPciMsi *m;

    if (!phb || !spapr_pci_find_dev(phb->buid, config_addr)) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    m = phb_msi_find(phb, config_addr, NULL);
    if (!m || !m->num || vector >= m->num) {
        rtas_status(call, RTAS_OUT_HW_ERROR);
        return;
    }
    rtas_status(call, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, m->first_irq + vector);
    rtas_st(call, 2, 1);
}

/* ---- Dynamic DMA windows ---------------------------------------------------------------- */

static SpaprPhbState *ddw_phb(const SpaprRtasCall *call)
{
    SpaprPhbState *phb = spapr_pci_find_phb(rtas_ldq(call, 1));

    return phb && phb->ddw_enabled ? phb : NULL;
}

/*
 * ibm,query-pe-dma-window: config address, BUID high, BUID low; status,
 * windows available, largest block of TCEs (one cell, or two with the
 * extension when nret is 6), page sizes, migration capabilities (none).
 * QEMU 7.2 answers fixed largest blocks whatever the RAM: 2^31 TCEs in one
 * cell, 2^37 (2^58 bytes of 2 MiB pages) in two.
 */
static void rtas_ibm_query_pe_dma_window(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                         const SpaprRtasCall *call)
{
    SpaprPhbState *phb;
    uint32_t pgmask = 0;

    if (call->nargs != 3 || (call->nret != 5 && call->nret != 6) || !(phb = ddw_phb(call))) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(ddw_page_sizes); i++) {
        if (phb->page_size_mask & (1ULL << ddw_page_sizes[i].shift)) {
            pgmask |= ddw_page_sizes[i].mask;
        }
    }
    rtas_status(call, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, SPAPR_PCI_DMA_MAX_WINDOWS - spapr_phb_active_windows(phb));
    if (call->nret == 6) {
        rtas_st(call, 2, (1ULL << 37) >> 32);
        rtas_st(call, 3, 0);
        rtas_st(call, 4, pgmask);
        rtas_st(call, 5, 0);
    } else {
        rtas_st(call, 2, 0x80000000u);
        rtas_st(call, 3, pgmask);
        rtas_st(call, 4, 0);
    }
}

/*
 * ibm,create-pe-dma-window: config address, BUID high, BUID low, page
 * shift, window shift; status, LIOBN, bus address high, low.  The first
 * window opened goes at dma_win_addr, a second at dma64_win_addr.
 */
static void rtas_ibm_create_pe_dma_window(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                          const SpaprRtasCall *call)
{
    SpaprPhbState *phb;
    uint32_t page_shift = rtas_ld(call, 3), window_shift = rtas_ld(call, 4);
    SpaprTceTable *free = NULL;
    unsigned windows;
    uint64_t addr;

    if (call->nargs != 5 || call->nret != 4 || !(phb = ddw_phb(call))) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (page_shift >= 64 || !(phb->page_size_mask & (1ULL << page_shift)) ||
        window_shift < page_shift || window_shift >= 64) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS && !free; i++) {
        free = phb->tcet[i]->nb_table ? NULL : phb->tcet[i];
    }
    windows = spapr_phb_active_windows(phb);
    if (!free || windows == SPAPR_PCI_DMA_MAX_WINDOWS || window_shift - page_shift >= 63 ||
        (1ULL << (window_shift - page_shift)) > SPAPR_DDW_MAX_TCES) {
        rtas_status(call, RTAS_OUT_HW_ERROR);
        return;
    }
    addr = windows ? phb->dma64_win_addr : phb->dma_win_addr;
    spapr_tce_table_enable(free, page_shift, addr, 1ULL << (window_shift - page_shift));
    rtas_status(call, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, free->liobn);
    rtas_st(call, 2, addr >> 32);
    rtas_st(call, 3, addr);
}

typedef struct TableOwner {
    SpaprTceTable *table;
    SpaprPhbState *phb;
} TableOwner;

static void phb_owning(SpaprPhbState *phb, void *opaque)
{
    TableOwner *o = opaque;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (phb->tcet[i] == o->table) {
            o->phb = phb;
        }
    }
}

/* ibm,remove-pe-dma-window: LIOBN; status.  Only an open window of a PHB. */
static void rtas_ibm_remove_pe_dma_window(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                          const SpaprRtasCall *call)
{
    SpaprTceTable *t;
    TableOwner o = { 0 };

    if (call->nargs != 1 || call->nret != 1 || !(t = spapr_tce_find_by_liobn(rtas_ld(call, 0)))) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    o.table = t;
    spapr_pci_foreach_phb(phb_owning, &o);
    if (!o.phb || !o.phb->ddw_enabled || !t->nb_table) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    spapr_tce_table_disable(t);
    rtas_status(call, RTAS_OUT_SUCCESS);
}

/* ibm,reset-pe-dma-window: config address, BUID high, BUID low; status. */
static void rtas_ibm_reset_pe_dma_window(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                         const SpaprRtasCall *call)
{
    SpaprPhbState *phb;

    if (call->nargs != 3 || call->nret != 1 || !(phb = ddw_phb(call))) {
        rtas_status(call, RTAS_OUT_PARAM_ERROR);
        return;
    }
    spapr_phb_dma_reset(phb);
    rtas_status(call, RTAS_OUT_SUCCESS);
}

/* ---- EEH --------------------------------------------------------------------------- */

/*
 * The EEH services exist in /rtas, but no emulated PHB offers EEH: every
 * call is refused, so the guest leaves EEH off for its devices.
 */
static void rtas_eeh_unavailable(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    rtas_status(call, RTAS_OUT_PARAM_ERROR);
}

static void spapr_rtas_pci_register(void)
{
    spapr_rtas_register(RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, "ibm,query-interrupt-source-number",
                        rtas_ibm_query_interrupt_source_number);
    spapr_rtas_register(RTAS_IBM_CHANGE_MSI, "ibm,change-msi", rtas_ibm_change_msi);
    spapr_rtas_register(RTAS_IBM_SET_EEH_OPTION, "ibm,set-eeh-option", rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_GET_CONFIG_ADDR_INFO2, "ibm,get-config-addr-info2",
                        rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_READ_SLOT_RESET_STATE2, "ibm,read-slot-reset-state2",
                        rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_SET_SLOT_RESET, "ibm,set-slot-reset", rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_CONFIGURE_PE, "ibm,configure-pe", rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_SLOT_ERROR_DETAIL, "ibm,slot-error-detail", rtas_eeh_unavailable);
    spapr_rtas_register(RTAS_IBM_QUERY_PE_DMA_WINDOW, "ibm,query-pe-dma-window",
                        rtas_ibm_query_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_CREATE_PE_DMA_WINDOW, "ibm,create-pe-dma-window",
                        rtas_ibm_create_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_REMOVE_PE_DMA_WINDOW, "ibm,remove-pe-dma-window",
                        rtas_ibm_remove_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_RESET_PE_DMA_WINDOW, "ibm,reset-pe-dma-window",
                        rtas_ibm_reset_pe_dma_window);
}

module_init(spapr_rtas_pci_register)

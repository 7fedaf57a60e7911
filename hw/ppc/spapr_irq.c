/*
 * The pseries interrupt layer: builds the controller ic-mode asks for
 * (XICS, in QEMU's numbering), hands out interrupt numbers and lines, and
 * describes the controller in the device tree.
 */
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/xics.h"
#include "qemu/error-report.h"

/*
 * The one place ic-mode is read.  "dual" (the default) offers XICS only
 * until XIVE exists; "xive" cannot be built yet.
 */
static SpaprIrqMode spapr_irq_mode(SpaprMachineState *spapr)
{
    switch (spapr->caps.ic_mode) {
    case SPAPR_IC_MODE_XIVE:
        error_exit("ic-mode=xive: the XIVE interrupt controller is not implemented yet "
                   "(use ic-mode=xics or dual)");
    case SPAPR_IC_MODE_LEGACY:
        return SPAPR_IRQ_XICS_LEGACY;
    case SPAPR_IC_MODE_XICS:
    case SPAPR_IC_MODE_DUAL:
        break;
    }
    return SPAPR_IRQ_XICS;
}

void spapr_irq_init(SpaprMachineState *spapr)
{
    SpaprIrqState *irq = g_new0(SpaprIrqState, 1);
    uint32_t nr_servers = spapr_max_server_number(spapr);
    /*
     * QEMU's /machine/unattached starts with the XIVE controller (ic-mode
     * dual builds one even when the guest picks XICS), then the CPU cores,
     * each of whose threads holds an ICP.
     */
    bool xive_slot = spapr->caps.ic_mode == SPAPR_IC_MODE_DUAL;
    unsigned threads = MAX(spapr->smp_threads, 1);

    irq->first_core =
        qdev_unattached_reserve(xive_slot + (spapr->smp_cpus + threads - 1) / threads) + xive_slot;

    irq->mode = spapr_irq_mode(spapr);
    irq->ics =
        ics_create(TYPE_ICS_SPAPR, "ics", SPAPR_XIRQ_BASE,
                   irq->mode == SPAPR_IRQ_XICS_LEGACY ? SPAPR_NR_XIRQS_LEGACY : SPAPR_NR_XIRQS,
                   MAX(nr_servers, 1), &error_fatal);
    irq->nr_icps = spapr_cpu_slots(spapr);
    irq->icps = g_new0(ICPState *, irq->nr_icps);
    spapr->irq = irq;
    for (unsigned i = 0; i < irq->nr_icps; i++) {
        g_autofree char *core =
            g_strdup_printf("unattached/device[%u]", irq->first_core + i / threads);

        if (spapr_cpu_present(spapr, i)) {
            spapr_irq_cpu_add(spapr, i, core);
        }
    }
}

void spapr_irq_cpu_add(SpaprMachineState *spapr, unsigned i, const char *core)
{
    SpaprIrqState *irq = spapr->irq;
    PowerPCCPU *cpu = spapr->cpus[i];
    g_autofree char *name =
        g_strdup_printf("%s/thread[%u]/icp", core, i % MAX(spapr->smp_threads, 1));

    if (!irq || i >= irq->nr_icps || irq->icps[i]) {
        return;
    }
    irq->icps[i] =
        icp_create(irq->ics, name, spapr_vcpu_id(spapr, cpu->cpu_index), cpu, &error_fatal);
}

void spapr_irq_cpu_remove(SpaprMachineState *spapr, unsigned i)
{
    SpaprIrqState *irq = spapr->irq;

    if (irq && i < irq->nr_icps && irq->icps[i]) {
        qdev_free(&irq->icps[i]->qdev);
        irq->icps[i] = NULL;
    }
}

void spapr_irq_free_all(SpaprMachineState *spapr)
{
    SpaprIrqState *irq = spapr->irq;

    if (!irq) {
        return;
    }
    for (unsigned i = 0; i < irq->nr_icps; i++) {
        if (irq->icps[i]) {
            qdev_free(&irq->icps[i]->qdev);
        }
    }
    g_free(irq->icps);
    qdev_free(&irq->ics->qdev);
    g_free(irq);
    spapr->irq = NULL;
}

bool spapr_irq_claim(SpaprMachineState *spapr, uint32_t irq, bool lsi, char **err)
{
    ICSState *ics = spapr->irq ? spapr->irq->ics : NULL;

    if (!ics || !ics_valid_irq(ics, irq)) {
        *err = g_strdup_printf("IRQ %" PRIu32 " is invalid", irq);
        return false;
    }
    if (ics_irq(ics, irq)->flags) {
        *err = g_strdup_printf("IRQ %" PRIu32 " is not free", irq);
        return false;
    }
    ics_set_irq_type(ics, irq - ics->offset, lsi ? XICS_FLAGS_IRQ_LSI : XICS_FLAGS_IRQ_MSI);
    return true;
}

void spapr_irq_free(SpaprMachineState *spapr, uint32_t irq, uint32_t num)
{
    ICSState *ics = spapr->irq ? spapr->irq->ics : NULL;

    for (uint32_t i = 0; ics && i < num; i++) {
        if (ics_valid_irq(ics, irq + i)) {
            ics_set_irq_type(ics, irq + i - ics->offset, 0);
        }
    }
}

int spapr_irq_findone(SpaprMachineState *spapr, char **err)
{
    ICSState *ics = spapr->irq ? spapr->irq->ics : NULL;

    for (uint32_t i = 0; ics && i < ics->nr_irqs; i++) {
        if (!ics->irqs[i].flags) {
            return ics->offset + i;
        }
    }
    *err = g_strdup("can't find a free 1-IRQ block");
    return -1;
}

qemu_irq spapr_qirq(SpaprMachineState *spapr, uint32_t irq)
{
    return spapr->irq ? ics_qirq(spapr->irq->ics, irq) : NULL;
}

ICPState *spapr_cpu_icp(SpaprMachineState *spapr, PowerPCCPU *cpu)
{
    if (!spapr || !spapr->irq || !cpu || cpu->cpu_index < 0) {
        return NULL;
    }
    return xics_icp_get(spapr->irq->ics, spapr_vcpu_id(spapr, cpu->cpu_index));
}

uint8_t spapr_irq_ov5_platform(SpaprMachineState *spapr)
{
    (void)spapr;
    return 0x00;
}

int spapr_irq_dt(SpaprMachineState *spapr, void *fdt)
{
    if (!spapr->irq) {
        return 0;
    }
    return xics_spapr_dt(spapr->irq->ics, fdt, SPAPR_PHANDLE_INTC);
}

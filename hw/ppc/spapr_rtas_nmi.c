/*
 * Firmware-assisted NMI (PAPR FWNMI, cap-fwnmi): ibm,nmi-register tells the
 * platform where the guest's system-reset and machine-check handlers are;
 * ibm,nmi-interlock says a machine-check handler has read its error log.
 */
#include "hw/ppc/spapr_rtas.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"

/* PAPR: both handlers must lie in the first 32 MiB, inside the RMA. */
#define FWNMI_ADDR_LIMIT (32 * MiB)

static bool fwnmi_addr_ok(SpaprMachineState *spapr, uint32_t addr)
{
    return addr < FWNMI_ADDR_LIMIT && addr < spapr->rma_size;
}

/*
 * ibm,nmi-register: system-reset handler address, machine-check handler
 * address; status.  -3 when cap-fwnmi is off or an address is out of range.
 */
static void rtas_ibm_nmi_register(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                  const SpaprRtasCall *call)
{
    uint32_t sreset, mce;

    if (call->nargs != 2 || call->nret != 1 || !spapr || !spapr->caps.fwnmi) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_NOT_SUPPORTED);
        return;
    }
    sreset = rtas_ld(call, 0);
    mce = rtas_ld(call, 1);
    if (!fwnmi_addr_ok(spapr, sreset) || !fwnmi_addr_ok(spapr, mce)) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    spapr->fwnmi_system_reset_addr = sreset;
    spapr->fwnmi_machine_check_addr = mce;
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/*
 * ibm,nmi-interlock: no arguments; status.  -3 before ibm,nmi-register.
 * Linux calls it after system resets too, where no machine check is being
 * handled: that succeeds, as on QEMU.
 */
static void rtas_ibm_nmi_interlock(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                   const SpaprRtasCall *call)
{
    if (call->nargs != 0 || call->nret != 1 || !spapr || !spapr->caps.fwnmi) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_NOT_SUPPORTED);
        return;
    }
    if (spapr->fwnmi_machine_check_addr == (target_ulong)-1) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "FWNMI: ibm,nmi-interlock RTAS called with FWNMI not registered.\n");
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (cpu && spapr->fwnmi_machine_check_interlock == cpu->cpu_index) {
        spapr->fwnmi_machine_check_interlock = -1;
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

static void spapr_rtas_nmi_init(void)
{
    spapr_rtas_register(RTAS_IBM_NMI_REGISTER, "ibm,nmi-register", rtas_ibm_nmi_register);
    spapr_rtas_register(RTAS_IBM_NMI_INTERLOCK, "ibm,nmi-interlock", rtas_ibm_nmi_interlock);
}

module_init(spapr_rtas_nmi_init)

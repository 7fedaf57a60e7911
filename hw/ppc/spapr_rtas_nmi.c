/*
 * Firmware-assisted NMI (PAPR FWNMI, cap-fwnmi): ibm,nmi-register tells the
 * platform where the guest's system-reset and machine-check handlers are;
 * ibm,nmi-interlock says a machine-check handler has read its error log.
 * System resets (QMP inject-nmi, H_SIGNAL_SYS_RESET) are delivered there.
 */
#include "hw/ppc/spapr_rtas.h"
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/runstate.h"
#include <libfdt.h>

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

/* The RTAS area the guest instantiated (/rtas linux,rtas-base), 0 if none. */
static uint32_t rtas_base(SpaprMachineState *spapr)
{
    const void *fdt = spapr->fdt_blob;
    int node = fdt ? fdt_path_offset(fdt, "/rtas") : -1;
    int len = 0;
    const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "linux,rtas-base", &len) : NULL;

    return p && len == 4 ? fdt32_to_cpu(*p) : 0;
}

/*
 * With FWNMI registered, a system reset enters the guest's handler with r3
 * pointing at a two-doubleword block holding the interrupted r3 and 0.  The
 * blocks follow the RTAS error log in the RTAS area, one per processor
 * (rtas-size leaves room for them): base + 2048 + 16 * cpu index, as QEMU
 * 7.2.  Without an RTAS area in the tree the guest cannot be told: a panic.
 */
void spapr_fwnmi_system_reset(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    SpaprMachineState *spapr = (SpaprMachineState *)vhyp;
    CPUPPCState *env = &cpu->env;
    uint64_t addr;
    uint32_t base;

    if (spapr->fwnmi_system_reset_addr == (target_ulong)-1) {
        return;
    }
    base = rtas_base(spapr);
    if (!base) {
        qemu_system_guest_panicked();
        return;
    }
    addr = base + RTAS_ERROR_LOG_MAX + (uint64_t)cpu->cpu_index * 16;
    guest_stq_be(addr, env->gpr[3]);
    guest_stq_be(addr + 8, 0);
    env->gpr[3] = addr;
    env->nip = spapr->fwnmi_system_reset_addr;
}

/* QMP inject-nmi: a system reset on every processor (each at its next instruction). */
static void spapr_nmi(void *opaque)
{
    SpaprMachineState *spapr = opaque;

    for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
        if (!spapr_cpu_present(spapr, i)) {
            continue;
        }
        ppc_cpu_set_irq(spapr->cpus[i], PPC_INTERRUPT_RESET, true);
    }
}

void spapr_nmi_init(SpaprMachineState *spapr)
{
    qemu_register_nmi_handler(spapr_nmi, spapr);
}

static void spapr_rtas_nmi_init(void)
{
    spapr_rtas_register(RTAS_IBM_NMI_REGISTER, "ibm,nmi-register", rtas_ibm_nmi_register);
    spapr_rtas_register(RTAS_IBM_NMI_INTERLOCK, "ibm,nmi-interlock", rtas_ibm_nmi_interlock);
}

module_init(spapr_rtas_nmi_init)

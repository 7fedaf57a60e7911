/*
 * Processor idling and signalling: H_CEDE (sleep until an interrupt is
 * pending), H_PROD (wake a ceded processor) and H_SIGNAL_SYS_RESET (a
 * system reset interrupt on one processor or all).
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"
#include "sysemu/cpus.h"

/*
 * H_CEDE: enable external interrupts (MSR[EE] = 1) and give the processor
 * back until an interrupt it can take is pending; then the hcall returns
 * H_SUCCESS and the interrupt is taken right after the sc.  The vCPU
 * thread sleeps meanwhile.  A prod that came first makes it return at once.
 */
static target_ulong h_cede(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    SpaprCpuState *state = spapr_cpu_state(spapr, cpu);

    cpu->env.msr |= MSR_EE;
    if (state->prod) {
        state->prod = false;
        return H_SUCCESS;
    }
    if (!ppc_cpu_has_work(cpu)) {
        cpu->halted = true;
        cpu->env.exit_request = 1;
    }
    return H_SUCCESS;
}

/* r4: the processor to wake; it returns from H_CEDE, or skips its next one. */
static target_ulong h_prod(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    PowerPCCPU *target = spapr_find_cpu(spapr, args[0]);

    if (!target) {
        return H_PARAMETER;
    }
    spapr_cpu_state(spapr, target)->prod = true;
    target->halted = false;
    cpu_kick(target);
    return H_SUCCESS;
}

/*
 * r4: a processor number, H_SIGNAL_SYS_RESET_ALL or _ALLBUTSELF.  Each
 * target takes a system reset interrupt (0x100) before its next
 * instruction — the caller right after the sc, with r3 = H_SUCCESS.
 */
static target_ulong h_signal_sys_reset(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args)
{
    int64_t target = (int64_t)args[0];
    PowerPCCPU *c;

    if (target >= 0) {
        c = spapr_find_cpu(spapr, target);
        if (!c) {
            return H_PARAMETER;
        }
        ppc_cpu_set_irq(c, PPC_INTERRUPT_RESET, true);
        return H_SUCCESS;
    }
    if (target < H_SIGNAL_SYS_RESET_ALLBUTSELF) {
        return H_PARAMETER;
    }
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        c = spapr->cpus[i];
        if (target == H_SIGNAL_SYS_RESET_ALLBUTSELF && c == cpu) {
            continue;
        }
        ppc_cpu_set_irq(c, PPC_INTERRUPT_RESET, true);
    }
    return H_SUCCESS;
}

static void spapr_idle_init(void)
{
    spapr_register_hypercall(H_CEDE, h_cede);
    spapr_register_hypercall(H_PROD, h_prod);
    spapr_register_hypercall(H_SIGNAL_SYS_RESET, h_signal_sys_reset);
}

module_init(spapr_idle_init)

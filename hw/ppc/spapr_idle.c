/*
 * Processor idling and signalling: H_CEDE (sleep until an interrupt is
 * pending), H_CONFER and H_JOIN (give the processor to others), H_PROD
 * (wake a ceded, conferred or joined processor) and H_SIGNAL_SYS_RESET (a
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

    cpu_synchronize_state(cpu); /* under KVM: the MSR from the kernel, put back at entry */
    cpu->env.msr |= MSR_EE;
    if (state->prod) {
        state->prod = false;
        return H_SUCCESS;
    }
    if (!ppc_cpu_has_work(cpu)) {
        cpu->halted = true;
        ppc_request_exit(&cpu->env);
    }
    return H_SUCCESS;
}

/*
 * r4: the processor to wake; it returns from H_CEDE, H_CONFER to itself or
 * H_JOIN, or skips its next H_CEDE.  A processor in the RTAS stopped state
 * stays there: only start-cpu dispatches it (QEMU 7.2 wakes it).
 */
static target_ulong h_prod(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    PowerPCCPU *target = spapr_find_cpu(spapr, args[0]);
    SpaprCpuState *state;

    if (!target) {
        return H_PARAMETER;
    }
    state = spapr_cpu_state(spapr, target);
    state->prod = true;
    /*
     * A running processor is left alone: kicked, it would be dispatched
     * again, and a new dispatch forgets the prod (spapr_vpa_exec_enter).
     */
    if (!state->stopped && target->halted) {
        target->halted = false;
        cpu_kick(target);
    }
    return H_SUCCESS;
}

/*
 * r4: a processor number, or -1 for all; r5: its dispatch count (the VPA's
 * counter, odd while it is not dispatched).  Conferring to itself sleeps
 * until an H_PROD (or an interrupt the MSR lets through); to another
 * processor or to all it only gives up the host for a moment.
 */
static target_ulong h_confer(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    int64_t target = (int64_t)args[0];
    SpaprCpuState *state = spapr_cpu_state(spapr, cpu);

    if (target != -1) {
        PowerPCCPU *c = spapr_find_cpu(spapr, target);

        if (!c) {
            return H_PARAMETER;
        }
        if (c == cpu) {
            if (state->prod) {
                state->prod = false;
            } else {
                cpu->halted = true;
                ppc_request_exit(&cpu->env);
            }
            return H_SUCCESS;
        }
    }
    ppc_request_exit(&cpu->env);
    return H_SUCCESS;
}

/*
 * H_JOIN: with MSR[EE] off, sleep until an H_PROD.  The last processor of
 * the partition not joined (asleep with EE off) may not: H_CONTINUE.
 */
static target_ulong h_join(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    bool last = true;

    cpu_synchronize_state(cpu);
    if (cpu->env.msr & MSR_EE) {
        return H_BAD_MODE;
    }
    for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
        PowerPCCPU *c = spapr->cpus[i];

        if (!spapr_cpu_present(spapr, i)) {
            continue;
        }
        /*
         * Another CPU's MSR is read only once it is halted: halted is set and
         * cleared under the big lock (held here), by the CPU itself in its
         * hypercall or RTAS call after its last MSR write, and a halted CPU
         * runs no guest code, so the lock orders that write before this read.
         */
        if (c != cpu && (!c->halted || (c->env.msr & MSR_EE))) {
            last = false;
            break;
        }
    }
    if (last) {
        return H_CONTINUE;
    }
    cpu->halted = true;
    ppc_request_exit(&cpu->env);
    return H_SUCCESS;
}

/*
 * r4: a processor number, H_SIGNAL_SYS_RESET_ALL or _ALLBUTSELF.  Each
 * target takes a system reset interrupt (0x100) before its next
 * instruction — the caller right after the sc, with r3 = H_SUCCESS.  A
 * processor in the RTAS stopped state is not dispatched and takes none
 * (start-cpu gives it a fresh state anyway).
 *
 * As in QEMU 7.2 (which runs the interrupt on each target and waits), the
 * call returns once every other target has taken it: Linux gives a target
 * one second from the call to reach its handler, then forgets the request
 * and takes a late reset for a crash ("System Reset").  A target that lags
 * (its host thread preempted) would otherwise miss that second.
 */
static void signal_sys_reset(SpaprMachineState *spapr, PowerPCCPU *c)
{
    if (!spapr_cpu_state(spapr, c)->stopped) {
        ppc_cpu_set_irq(c, PPC_INTERRUPT_RESET, true);
    }
}

/* The system resets signalled to other processors have been taken. */
typedef struct ResetWait {
    SpaprMachineState *spapr;
    PowerPCCPU *self;
} ResetWait;

static bool resets_taken(void *opaque)
{
    ResetWait *w = opaque;

    for (unsigned i = 0; i < spapr_cpu_slots(w->spapr); i++) {
        PowerPCCPU *c = w->spapr->cpus[i];

        if (spapr_cpu_present(w->spapr, i) && c != w->self &&
            !spapr_cpu_state(w->spapr, c)->stopped &&
            (__atomic_load_n(&c->env.pending_interrupts, __ATOMIC_ACQUIRE) & PPC_INTERRUPT_RESET)) {
            return false;
        }
    }
    return true;
}

static target_ulong h_signal_sys_reset(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args)
{
    int64_t target = (int64_t)args[0];
    ResetWait w = { spapr, cpu };
    PowerPCCPU *c;

    if (target >= 0) {
        c = spapr_find_cpu(spapr, target);
        if (!c) {
            return H_PARAMETER;
        }
        if (c != cpu) {
            signal_sys_reset(spapr, c);
        }
    } else if (target < H_SIGNAL_SYS_RESET_ALLBUTSELF) {
        return H_PARAMETER;
    } else {
        for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
            c = spapr->cpus[i];
            if (spapr_cpu_present(spapr, i) && c != cpu) {
                signal_sys_reset(spapr, c);
            }
        }
        c = target == H_SIGNAL_SYS_RESET_ALL ? cpu : NULL;
    }
    if (cpu) {
        cpus_wait_for(cpu, resets_taken, &w);
    }
    /* The caller's own, after the wait (a reset pending for it ends a wait). */
    if (c == cpu && cpu) {
        signal_sys_reset(spapr, cpu);
    }
    return H_SUCCESS;
}

static void spapr_idle_init(void)
{
    spapr_register_hypercall(H_CEDE, h_cede);
    spapr_register_hypercall(H_PROD, h_prod);
    spapr_register_hypercall(H_CONFER, h_confer);
    spapr_register_hypercall(H_JOIN, h_join);
    spapr_register_hypercall(H_SIGNAL_SYS_RESET, h_signal_sys_reset);
}

module_init(spapr_idle_init)

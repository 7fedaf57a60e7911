/*
 * The RTAS processor services: start-cpu, stop-self and
 * query-cpu-stopped-state, which move a processor between PAPR's stopped
 * state (not dispatched, waiting for start-cpu) and running.
 */
#include "hw/ppc/spapr_rtas.h"
#include "qemu/module.h"
#include "sysemu/cpus.h"

/* query-cpu-stopped-state results (PAPR) */
#define RTAS_CPU_STATE_STOPPED 0
#define RTAS_CPU_STATE_RUNNING 2

/* What a started processor takes from its starter's LPCR: interrupt endianness and location, MMU. */
#define START_CPU_LPCR (LPCR_ILE | LPCR_AIL | LPCR_UPRT | LPCR_HR | LPCR_GTSE)

/*
 * query-cpu-stopped-state: a processor number; status and state (0
 * stopped, 2 running).  A ceded processor is running for PAPR: it is
 * dispatched again by any interrupt.  An id naming no CPU is -3.
 */
static void rtas_query_cpu_stopped_state(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                         const SpaprRtasCall *call)
{
    PowerPCCPU *target;

    if (call->nargs != 1 || call->nret != 2) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    target = spapr_find_cpu(spapr, rtas_ld(call, 0));
    if (!target) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1,
            spapr_cpu_state(spapr, target)->stopped ? RTAS_CPU_STATE_STOPPED
                                                    : RTAS_CPU_STATE_RUNNING);
}

/*
 * start-cpu: processor number, start address, r3; status.  The processor
 * must be in the stopped state (else -1).  It starts at the address in
 * real mode, big-endian, 64-bit, with machine checks enabled (MSR = SF|ME)
 * and r3 as given, r1 and r4 zero, as QEMU 7.2 starts it; it takes the
 * caller's interrupt endianness and location and MMU mode (LPCR).
 */
static void rtas_start_cpu(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    PowerPCCPU *target, *caller;
    SpaprCpuState *state;
    CPUPPCState *env;
    uint64_t lpcr;

    if (call->nargs != 3 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    target = spapr_find_cpu(spapr, rtas_ld(call, 0));
    if (!target) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    state = spapr_cpu_state(spapr, target);
    if (!state->stopped) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    /* A processor that has just called stop-self may still be leaving guest code. */
    cpus_wait_parked(target);
    /* Under KVM: the registers from the kernel first, put back when it enters. */
    cpu_synchronize_state(target);
    if (cpu) {
        cpu_synchronize_state(cpu);
    }
    env = &target->env;
    /* Without a calling processor (a host-side test call): as the boot processor. */
    caller = cpu ? cpu : spapr->cpus[0];
    lpcr =
        (ppc_lpcr(env) & ~START_CPU_LPCR) | (ppc_lpcr(&caller->env) & START_CPU_LPCR) | LPCR_PECE;
    ppc_store_lpcr(target, lpcr);
    env->msr = MSR_SF | MSR_ME;
    env->nip = rtas_ld(call, 1);
    env->gpr[1] = 0;
    env->gpr[3] = rtas_ld(call, 2);
    env->gpr[4] = 0;
    env->reserve_addr = (uint64_t)-1;
    state->stopped = false;
    state->prod = false;
    target->halted = false;
    cpu_kick(target);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/*
 * stop-self: no arguments, and no return on success: the caller enters
 * the stopped state, where no interrupt dispatches it again, until another
 * processor's start-cpu.
 */
static void rtas_stop_self(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    SpaprCpuState *state;

    if (!cpu) {
        return;
    }
    state = spapr_cpu_state(spapr, cpu);
    cpu_synchronize_state(cpu);
    state->stopped = true;
    state->prod = false;
    /* Only a system reset could be taken with EE off; start-cpu sets the MSR anew. */
    cpu->env.msr &= ~MSR_EE;
    /* No power-saving exit cause either, as QEMU 7.2 leaves a stopped processor. */
    ppc_store_lpcr(cpu, ppc_lpcr(&cpu->env) & ~LPCR_PECE);
    cpu->halted = true;
    ppc_request_exit(&cpu->env);
}

static void spapr_rtas_cpu_init(void)
{
    spapr_rtas_register(RTAS_QUERY_CPU_STOPPED_STATE, "query-cpu-stopped-state",
                        rtas_query_cpu_stopped_state);
    spapr_rtas_register(RTAS_START_CPU, "start-cpu", rtas_start_cpu);
    spapr_rtas_register(RTAS_STOP_SELF, "stop-self", rtas_stop_self);
}

module_init(spapr_rtas_cpu_init)

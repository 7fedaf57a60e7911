/*
 * The POWER8/POWER9 performance monitor as QEMU 7.2's TCG models it: MMCR0/1/2/A,
 * PMC1-6, SIAR, SDAR, SIER and their problem-state views, instructions and cycles
 * counted while not frozen, counter overflow and the performance monitor alert,
 * whose interrupt (which QEMU 7.2 never takes) follows the architecture.
 */
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "target/ppc/internal.h"

/* SPR numbers (Book III 9.4); the problem-state view of SPR n is n - 16. */
#define SPR_USIER 768
#define SPR_UMMCR2 769
#define SPR_UMMCRA 770
#define SPR_UPMC1 771
#define SPR_UPMC4 774
#define SPR_UPMC5 775
#define SPR_UPMC6 776
#define SPR_UMMCR0 779
#define SPR_USIAR 780
#define SPR_USDAR 781
#define SPR_UMMCR1 782
#define SPR_SIER 784
#define SPR_MMCR2 785
#define SPR_MMCRA 786
#define SPR_PMC1 787
#define SPR_PMC4 790
#define SPR_PMC5 791
#define SPR_PMC6 792
#define SPR_MMCR0 795
#define SPR_SIAR 796
#define SPR_SDAR 797
#define SPR_MMCR1 798
#define SPR_PMU_USER_OFFSET 16
#define SPR_CTRL 152

/* MMCR0 */
#define MMCR0_FC PPC_BIT(32)    /* freeze counters */
#define MMCR0_PMAE PPC_BIT(37)  /* performance monitor alert enable */
#define MMCR0_FCECE PPC_BIT(38) /* freeze counters on enabled condition or event */
#define MMCR0_PMCC0 PPC_BIT(44) /* PMC control: problem-state access */
#define MMCR0_PMCC1 PPC_BIT(45)
#define MMCR0_PMC1CE PPC_BIT(48) /* PMC1 condition enable */
#define MMCR0_PMCJCE PPC_BIT(49) /* PMC2-6 condition enable */
#define MMCR0_PMAO PPC_BIT(56)   /* performance monitor alert occurred */
#define MMCR0_FC14 PPC_BIT(58)   /* freeze PMC1-4 */
#define MMCR0_FC56 PPC_BIT(59)   /* freeze PMC5-6 */
/* What a problem-state program sees of MMCR0 through its view (ISA 3.1 10.4.4). */
#define MMCR0_UREG_MASK (MMCR0_FC | MMCR0_PMAO | MMCR0_PMAE)
/* MMCR2: the FCnP0 bits (freeze PMCn in problem state), all a problem-state view shows. */
#define MMCR2_UREG_MASK                                                                            \
    (PPC_BIT(1) | PPC_BIT(10) | PPC_BIT(19) | PPC_BIT(28) | PPC_BIT(37) | PPC_BIT(46))
/* CTRL[RUN]: the run latch, which event 0xfa of PMC4 follows. */
#define CTRL_RUN PPC_BIT(63)

/* A PMC whose value reaches this (bit 32 of the register) has overflowed. */
#define PMC_NEGATIVE 0x80000000ULL

/* Event selectors of MMCR1 that QEMU 7.2 models, by PMC. */
#define EVT_INSNS 0x02
#define EVT_CYCLES 0x1e
#define EVT_PMC1_CYCLES 0xf0
#define EVT_PMC1_INSNS 0xfe
#define EVT_PMC4_RUN_INSNS 0xfa

/* The event PMCn (1..4) counts: MMCR1 bits 32 + 8(n - 1) .. 39 + 8(n - 1). */
static unsigned pmc_event(const CPUPPCState *env, unsigned n)
{
    return (env->spr[SPR_MMCR1] >> (8 * (4 - n))) & 0xff;
}

/*
 * Which PMCs count instructions and which count cycles now (bit n for PMCn),
 * and the key bits of the blocks translated from now on: none while no PMC
 * counts instructions, so that the usual blocks (compiled, chained) run.
 */
static void pmu_update_summaries(CPUPPCState *env)
{
    uint64_t mmcr0 = env->spr[SPR_MMCR0];
    uint32_t ins = 0, cyc = 0;

    if (!(mmcr0 & MMCR0_FC)) {
        if (!(mmcr0 & MMCR0_FC14)) {
            for (unsigned n = 1; n <= 4; n++) {
                unsigned evt = pmc_event(env, n);

                if (evt == EVT_INSNS || (n == 1 && evt == EVT_PMC1_INSNS) ||
                    (n == 4 && evt == EVT_PMC4_RUN_INSNS)) {
                    ins |= 1u << n;
                } else if (evt == EVT_CYCLES || (n == 1 && evt == EVT_PMC1_CYCLES)) {
                    cyc |= 1u << n;
                }
            }
        }
        if (!(mmcr0 & MMCR0_FC56)) {
            ins |= 1u << 5;
            cyc |= 1u << 6;
        }
    }
    env->pmu_ins_cnt = ins;
    env->pmu_cyc_cnt = cyc;
    /*
     * QEMU 7.2 adds a block's instructions to PMC5 when the block ends,
     * whatever MMCR0 says by then, unless PMC1-4 count instructions too: then
     * every counter is updated by the state at the end of the block.
     */
    env->pmu_tb_flags = !ins ? 0 : (ins & 0x1e) ? PPC_TB_PMU_RUNTIME : PPC_TB_PMU_INLINE;
}

static bool pmc_overflow_enabled(const CPUPPCState *env, unsigned n)
{
    return env->spr[SPR_MMCR0] & (n == 1 ? MMCR0_PMC1CE : MMCR0_PMCJCE);
}

/* MMCR0[PMAO] is the performance monitor exception: an interrupt with MSR[EE]. */
static void pmu_update_alert(CPUPPCState *env)
{
    ppc_cpu_set_irq(env_cpu(env), PPC_INTERRUPT_PERFM, !!(env->spr[SPR_MMCR0] & MMCR0_PMAO));
}

/*
 * A counter with its condition enabled went negative: with FCECE the counters
 * freeze; with PMAE an alert occurs (PMAO set, PMAE cleared).
 */
static void pmu_overflow(CPUPPCState *env)
{
    uint64_t mmcr0 = env->spr[SPR_MMCR0];

    if (mmcr0 & MMCR0_FCECE) {
        mmcr0 = (mmcr0 & ~MMCR0_FCECE) | MMCR0_FC;
    }
    if (mmcr0 & MMCR0_PMAE) {
        mmcr0 = (mmcr0 & ~MMCR0_PMAE) | MMCR0_PMAO;
    }
    env->spr[SPR_MMCR0] = mmcr0;
    pmu_update_summaries(env);
    pmu_update_alert(env);
}

/*
 * Bring the cycle counters up to now: one cycle per nanosecond of virtual
 * time (QEMU's 1 GHz).  A counter with its condition enabled that crosses
 * into negative values overflows at that moment, which may freeze the
 * others (FCECE) from then on.
 */
static void pmu_update_cycles(CPUPPCState *env)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t delta = now > env->pmu_base_ns ? now - env->pmu_base_ns : 0;

    env->pmu_base_ns = now;
    while (delta && env->pmu_cyc_cnt) {
        uint64_t step = delta;
        bool overflow = false;

        for (unsigned n = 1; n <= 6; n++) {
            uint64_t v = env->spr[SPR_PMC1 + n - 1];

            if ((env->pmu_cyc_cnt & (1u << n)) && pmc_overflow_enabled(env, n) &&
                v < PMC_NEGATIVE && PMC_NEGATIVE - v <= step) {
                step = PMC_NEGATIVE - v;
                overflow = true;
            }
        }
        for (unsigned n = 1; n <= 6; n++) {
            if (env->pmu_cyc_cnt & (1u << n)) {
                env->spr[SPR_PMC1 + n - 1] = (uint32_t)(env->spr[SPR_PMC1 + n - 1] + step);
            }
        }
        delta -= step;
        if (!overflow) {
            break;
        }
        pmu_overflow(env);
    }
}

/*
 * With an alert enabled (PMAE), the timer is armed for the first cycle
 * counter (with its condition enabled) to go negative, so the alert and its
 * interrupt come then and not at the next PMU SPR access.  timer_mod and
 * timer_del need the big lock.
 */
static void pmu_arm_timer(CPUPPCState *env)
{
    PowerPCCPU *cpu = env_cpu(env);
    uint64_t first = UINT64_MAX;

    if (env->spr[SPR_MMCR0] & MMCR0_PMAE) {
        for (unsigned n = 1; n <= 6; n++) {
            uint64_t v = env->spr[SPR_PMC1 + n - 1];

            if ((env->pmu_cyc_cnt & (1u << n)) && pmc_overflow_enabled(env, n) &&
                v < PMC_NEGATIVE && PMC_NEGATIVE - v < first) {
                first = PMC_NEGATIVE - v;
            }
        }
    }
    if (first == UINT64_MAX && !env->pmu_timer_armed) {
        return;
    }
    ppc_cpu_lock_iothread(env);
    if (first == UINT64_MAX) {
        timer_del(cpu->pmu_timer);
    } else {
        timer_mod(cpu->pmu_timer, env->pmu_base_ns + first);
    }
    ppc_cpu_unlock_iothread(env);
    env->pmu_timer_armed = first != UINT64_MAX;
}

/* The timer fired (main loop, big lock held): the vCPU does the work. */
static void pmu_timer_expired(void *opaque)
{
    ppc_cpu_set_irq(opaque, PPC_INTERRUPT_PMU_TIMER, true);
}

void ppc_pmu_timer_check(CPUPPCState *env)
{
    __atomic_fetch_and(&env->pending_interrupts, ~PPC_INTERRUPT_PMU_TIMER, __ATOMIC_SEQ_CST);
    env->pmu_timer_armed = false;
    pmu_update_cycles(env);
    pmu_arm_timer(env);
}

void ppc_pmu_init(PowerPCCPU *cpu)
{
    cpu->pmu_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pmu_timer_expired, cpu);
}

void ppc_pmu_free(PowerPCCPU *cpu)
{
    g_clear_pointer(&cpu->pmu_timer, timer_free);
}

void ppc_pmu_reset(CPUPPCState *env)
{
    env->spr[SPR_MMCR0] = MMCR0_FC;
    pmu_update_summaries(env);
    env->pmu_base_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Add n instructions to PMCn by the state now; true when one overflowed. */
static bool pmu_add_insns(CPUPPCState *env, unsigned n_insns)
{
    bool overflow = false;

    for (unsigned n = 1; n <= 5; n++) {
        uint64_t *pmc = &env->spr[SPR_PMC1 + n - 1];

        if (!(env->pmu_ins_cnt & (1u << n))) {
            continue;
        }
        if (n == 4 && pmc_event(env, 4) == EVT_PMC4_RUN_INSNS && !(env->spr[SPR_CTRL] & CTRL_RUN)) {
            continue;
        }
        *pmc = (uint32_t)(*pmc + n_insns);
        if (*pmc >= PMC_NEGATIVE && pmc_overflow_enabled(env, n)) {
            *pmc = PMC_NEGATIVE;
            overflow = true;
        }
    }
    return overflow;
}

void ppc_pmu_count_block(CPUPPCState *env, uint64_t tb_flags, unsigned n_insns)
{
    uint64_t *pmc5 = &env->spr[SPR_PMC5];

    if (tb_flags & PPC_TB_PMU_RUNTIME) {
        if (pmu_add_insns(env, n_insns)) {
            pmu_overflow(env);
        }
        return;
    }
    *pmc5 = (uint32_t)(*pmc5 + n_insns);
    if (*pmc5 >= PMC_NEGATIVE && (env->spr[SPR_MMCR0] & MMCR0_PMCJCE)) {
        *pmc5 = PMC_NEGATIVE;
        pmu_update_cycles(env);
        pmu_overflow(env);
    }
}

/* ---- mfspr / mtspr ------------------------------------------------------- */

/*
 * Problem-state access to the views (QEMU 7.2 after ISA 3.1 10.4.4):
 * MMCR0[PMCC] = 0b01 refuses reads and writes of group A (MMCR0, MMCR2,
 * MMCRA, PMCs), 0b00 refuses writes, 0b11 leaves PMC5-6 out.  Every refusal
 * is a privileged-instruction program interrupt for a partition.  Returns
 * false when the access was refused (the interrupt is raised).
 */
static bool pmu_user_allowed(CPUPPCState *env, const PPCOp *op, bool write, bool pmc56)
{
    uint64_t pmcc = env->spr[SPR_MMCR0] & (MMCR0_PMCC0 | MMCR0_PMCC1);

    if (!(env->msr & MSR_PR)) {
        return true;
    }
    if (pmcc == MMCR0_PMCC1 || (write && !pmcc) || (pmc56 && pmcc == (MMCR0_PMCC0 | MMCR0_PMCC1))) {
        ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
        return false;
    }
    return true;
}

/* The supervisor numbers (784-798) are privileged. */
#define PMU_SUPERVISOR(env, op)                                                                    \
    do {                                                                                           \
        if (unlikely((env)->msr & MSR_PR)) {                                                       \
            return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);                                  \
        }                                                                                          \
    } while (0)

/* The supervisor register a view stands for. */
static unsigned view_target(const PPCOp *op)
{
    return op->imm < SPR_SIER ? op->imm + SPR_PMU_USER_OFFSET : op->imm;
}

/* MMCR0 first sees a cycle counter's overflow that is due (PMAO, FC). */
static const PPCOp *op_mf_pmu(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    pmu_update_cycles(env);
    env->gpr[op->rt] = env->spr[op->imm];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mt_pmu(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    env->spr[op->imm] = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/*
 * PMC1-6: the cycle counters first come up to date.  The PMCs are 32-bit
 * registers (Book III 9.4.2); QEMU 7.2 keeps and counts 64 bits.
 */
static const PPCOp *op_mf_pmc(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    pmu_update_cycles(env);
    env->gpr[op->rt] = env->spr[op->imm];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mt_pmc(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    pmu_update_cycles(env);
    env->spr[op->imm] = (uint32_t)env->gpr[op->rt];
    pmu_arm_timer(env);
    return PPC_NEXT(env, op);
}

/* MMCR0 and MMCR1 change what counts: the block ends after them (see decode). */
static void store_control(CPUPPCState *env, unsigned sprn, uint64_t val)
{
    pmu_update_cycles(env);
    env->spr[sprn] = val;
    pmu_update_summaries(env);
    if (sprn == SPR_MMCR0) {
        pmu_update_alert(env);
    }
    pmu_arm_timer(env);
}

static const PPCOp *op_mt_control(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    store_control(env, view_target(op), env->gpr[op->rt]);
    return ppc_goto(env, ppc_next_pc(op));
}

/* The views in problem state: MMCR0 and MMCR2 show only some bits. */
static uint64_t view_mask(unsigned target)
{
    return target == SPR_MMCR0 ? MMCR0_UREG_MASK : target == SPR_MMCR2 ? MMCR2_UREG_MASK : ~0ULL;
}

static bool view_is_pmc56(const PPCOp *op)
{
    return op->imm == SPR_UPMC5 || op->imm == SPR_UPMC6;
}

/* mfspr of a group A view (MMCR0, MMCR2, PMC1-6). */
static const PPCOp *op_mf_view_a(CPUPPCState *env, const PPCOp *op)
{
    unsigned target = view_target(op);
    uint64_t mask = (env->msr & MSR_PR) ? view_mask(target) : ~0ULL;

    if (!pmu_user_allowed(env, op, false, view_is_pmc56(op))) {
        return NULL;
    }
    pmu_update_cycles(env);
    env->gpr[op->rt] = env->spr[target] & mask;
    return PPC_NEXT(env, op);
}

/*
 * QEMU 7.2 stores a view written in supervisor state as it is: not even an
 * MMCR0 so written changes what counts (until the next write of SPR 795 or
 * 798 does).
 */
static void view_store_sup(CPUPPCState *env, unsigned target, uint64_t val)
{
    env->spr[target] = (target >= SPR_PMC1 && target <= SPR_PMC6) ? (uint32_t)val : val;
}

static const PPCOp *op_mt_view_a(CPUPPCState *env, const PPCOp *op)
{
    unsigned target = view_target(op);
    uint64_t mask = view_mask(target);
    uint64_t val = (env->spr[target] & ~mask) | (env->gpr[op->rt] & mask);

    if (!(env->msr & MSR_PR)) {
        view_store_sup(env, target, env->gpr[op->rt]);
        return PPC_NEXT(env, op);
    }
    if (!pmu_user_allowed(env, op, true, view_is_pmc56(op))) {
        return NULL;
    }
    if (target == SPR_MMCR0) {
        store_control(env, target, val);
        return ppc_goto(env, ppc_next_pc(op));
    }
    pmu_update_cycles(env);
    env->spr[target] = (target >= SPR_PMC1 && target <= SPR_PMC6) ? (uint32_t)val : val;
    pmu_arm_timer(env);
    return PPC_NEXT(env, op);
}

/* SIER, MMCR1, MMCRA, SIAR, SDAR views: read by anyone, written in supervisor state only. */
static const PPCOp *op_mf_view(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = env->spr[view_target(op)];
    return PPC_NEXT(env, op);
}

/* The other views in supervisor state (problem state may not write them). */
static const PPCOp *op_mt_view_sup(CPUPPCState *env, const PPCOp *op)
{
    PMU_SUPERVISOR(env, op);
    view_store_sup(env, view_target(op), env->gpr[op->rt]);
    return PPC_NEXT(env, op);
}

PPCOpFn *ppc_pmu_mfspr_fn(unsigned sprn)
{
    switch (sprn) {
    case SPR_UMMCR2:
    case SPR_UPMC1 ... SPR_UPMC6:
    case SPR_UMMCR0:
        return op_mf_view_a;
    case SPR_USIER:
        /* SIER's view; QEMU 7.2 reads a register of its own that nothing writes */
    case SPR_UMMCRA:
    case SPR_USIAR:
    case SPR_USDAR:
    case SPR_UMMCR1:
        return op_mf_view;
    case SPR_PMC1 ... SPR_PMC6:
        return op_mf_pmc;
    case SPR_SIER:
    case SPR_MMCR2:
    case SPR_MMCRA:
    case SPR_MMCR0:
    case SPR_SIAR:
    case SPR_SDAR:
    case SPR_MMCR1:
        return op_mf_pmu;
    }
    return NULL;
}

PPCOpFn *ppc_pmu_mtspr_fn(unsigned sprn, bool *ends_block)
{
    /* (a problem-state write of UMMCR0 counts as an MMCR0 write) */
    *ends_block = sprn == SPR_MMCR0 || sprn == SPR_MMCR1 || sprn == SPR_UMMCR0;
    switch (sprn) {
    case SPR_USIER:
    case SPR_UMMCRA:
    case SPR_USIAR:
    case SPR_USDAR:
    case SPR_UMMCR1:
        /* supervisor state writes the register; problem state may not */
        return op_mt_view_sup;
    case SPR_UMMCR2:
    case SPR_UPMC1 ... SPR_UPMC6:
    case SPR_UMMCR0:
        return op_mt_view_a;
    case SPR_PMC1 ... SPR_PMC6:
        return op_mt_pmc;
    case SPR_MMCR0:
    case SPR_MMCR1:
        return op_mt_control;
    case SPR_SIER:
    case SPR_MMCR2:
    case SPR_MMCRA:
    case SPR_SIAR:
    case SPR_SDAR:
        return op_mt_pmu;
    }
    return NULL;
}

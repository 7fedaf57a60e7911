/*
 * Processor control (Book III, chapter 11): directed privileged doorbells
 * between the threads of a core (msgsndp, msgclrp, DPDES), and the
 * hypervisor's message instructions, which a partition may not use.
 */
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

/*
 * The message in RB: its type in bits 32:36 and, for msgsndp, the target
 * thread's number (TIR) in bits 57:63.  Type 5 is the directed privileged
 * doorbell; msgsndp and msgclrp ignore any other type.
 */
#define DBELL_TYPE_SHIFT (63 - 36)
#define DBELL_TYPE_MASK 0x1f
#define DBELL_TYPE_PRIVILEGED 5
#define DBELL_TIR_MASK 0x7f

void ppc_cpu_set_core(PowerPCCPU *cpu, PowerPCCPU *const *threads, unsigned nr, unsigned thread)
{
    cpu->core_threads = threads;
    cpu->core_nr_threads = nr;
    cpu->core_thread = thread;
}

/* Thread @tir of cpu's core, or NULL when the core has no such thread. */
static PowerPCCPU *core_thread(PowerPCCPU *cpu, uint64_t tir)
{
    if (!cpu->core_threads) {
        return tir == 0 ? cpu : NULL;
    }
    return tir < cpu->core_nr_threads ? cpu->core_threads[tir] : NULL;
}

/*
 * DPDES holds one bit per thread of the core, thread n at bit 63 - n (the
 * least significant bit is thread 0): the doorbells sent and not yet taken
 * or cleared.  Every thread of the core reads the same value.
 */
uint64_t ppc_cpu_load_dpdes(PowerPCCPU *cpu)
{
    unsigned nr = cpu->core_threads ? cpu->core_nr_threads : 1;
    uint64_t dpdes = 0;

    for (unsigned n = 0; n < nr; n++) {
        PowerPCCPU *t = core_thread(cpu, n);

        if (t && (__atomic_load_n(&t->env.pending_interrupts, __ATOMIC_ACQUIRE) &
                  PPC_INTERRUPT_DOORBELL)) {
            dpdes |= 1ULL << n;
        }
    }
    return dpdes;
}

/*
 * The partition sees HFSCR[MSGP] = 1, as under PowerVM (Linux then uses
 * msgsndp for IPIs between SMT siblings): msgsndp, msgclrp and mfspr DPDES
 * are privileged instructions, never a hypervisor facility unavailable
 * interrupt.  Writing DPDES stays the hypervisor's (insn-system.c).
 */
#define PRIVILEGED(env, op)                                                                        \
    do {                                                                                           \
        if (unlikely((env)->msr & MSR_PR)) {                                                       \
            return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);                                  \
        }                                                                                          \
    } while (0)

static inline bool dbell_is_privileged(uint64_t rb)
{
    return ((rb >> DBELL_TYPE_SHIFT) & DBELL_TYPE_MASK) == DBELL_TYPE_PRIVILEGED;
}

const PPCOp *ppc_op_mfdpdes(CPUPPCState *env, const PPCOp *op)
{
    PRIVILEGED(env, op);
    env->gpr[op->rt] = ppc_cpu_load_dpdes(env_cpu(env));
    return PPC_NEXT(env, op);
}

/*
 * msgsndp RB: a directed privileged doorbell exception for thread TIR of
 * this core (itself included); nothing when the core has no such thread.
 * The target takes it at 0xa00 once its MSR[EE] is 1; a target ceded in
 * H_CEDE wakes.  Raising it takes the big lock, so a sleeping vCPU thread
 * cannot miss the wake-up; like a store, it is ordered after the sender's
 * earlier accesses (the locked update is a full fence on the host).
 */
static const PPCOp *op_msgsndp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t rb = env->gpr[op->rb];
    PowerPCCPU *target;

    PRIVILEGED(env, op);
    if (!dbell_is_privileged(rb)) {
        return PPC_NEXT(env, op);
    }
    target = core_thread(env_cpu(env), rb & DBELL_TIR_MASK);
    if (target) {
        ppc_cpu_lock_iothread(env);
        ppc_cpu_set_irq(target, PPC_INTERRUPT_DOORBELL, true);
        ppc_cpu_unlock_iothread(env);
    }
    return PPC_NEXT(env, op);
}

/* msgclrp RB: withdraw this thread's own directed privileged doorbell. */
static const PPCOp *op_msgclrp(CPUPPCState *env, const PPCOp *op)
{
    PRIVILEGED(env, op);
    if (dbell_is_privileged(env->gpr[op->rb])) {
        __atomic_fetch_and(&env->pending_interrupts, ~PPC_INTERRUPT_DOORBELL, __ATOMIC_SEQ_CST);
    }
    return PPC_NEXT(env, op);
}

/*
 * msgsnd, msgclr (hypervisor doorbells, 0xe80) and msgsync are hypervisor
 * privileged: a partition, never in hypervisor state, takes the
 * privileged-instruction program interrupt in either state, as on QEMU 7.2.
 */
static const PPCOp *op_hv_only(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
}

static bool decode_msg(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = def->fn;
    op->rb = INSN_RB(insn);
    return true;
}

#define X31(xo) (0x7c000000u | ((xo) << 1))
#define XO_MASK 0xfc0007feu
/* RT, RA and bit 31 are reserved (msgsync: RB too); QEMU 7.2 refuses them set. */
#define RSV_RB_ONLY 0x03ff0001u
#define RSV_ALL 0x03fff801u

static const PPCInsnDef dbell_insns[] = {
    { "msgsndp", X31(142), XO_MASK | RSV_RB_ONLY, decode_msg, op_msgsndp, 0 },
    { "msgclrp", X31(174), XO_MASK | RSV_RB_ONLY, decode_msg, op_msgclrp, 0 },
    { "msgsnd", X31(206), XO_MASK | RSV_RB_ONLY, decode_msg, op_hv_only, 0 },
    { "msgclr", X31(238), XO_MASK | RSV_RB_ONLY, decode_msg, op_hv_only, 0 },
    { "msgsync", X31(886), XO_MASK | RSV_ALL, decode_msg, op_hv_only, PPC_INSN_ISA300 },
};

static void ppc_insn_dbell_register(void)
{
    ppc_insn_register(dbell_insns, ARRAY_SIZE(dbell_insns));
}

module_init(ppc_insn_dbell_register)

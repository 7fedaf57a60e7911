/*
 * Interrupts: delivery as Book III describes it for a partition (SRR0/SRR1,
 * the new MSR, LPCR[AIL] relocation and LPCR[ILE] endianness), the MSR
 * write side effects, and the asynchronous sources (system reset, external,
 * decrementer, doorbell) that wait in pending_interrupts until the MSR lets them in.
 */
#include "qemu/log.h"
#include "sysemu/cpus.h"
#include "target/ppc/internal.h"

/* SRR1 keeps MSR bits 0:32, 37:41 and 48:63; the rest carry the reason. */
#define SRR1_MSR_MASK (PPC_BITMASK(0, 32) | PPC_BITMASK(37, 41) | PPC_BITMASK(48, 63))

/* Where LPCR[AIL] = 2 and 3 move the vectors. */
#define AIL_2_OFFSET 0x18000ULL
#define AIL_3_OFFSET 0xc000000000004000ULL

/*
 * Alternate interrupt location: with AIL = 2 or 3, an interrupt taken while
 * both IR and DR are on is delivered with translation still on, at an
 * offset vector.  System reset and machine check are always delivered in
 * real mode at their architected address; AIL = 1 is reserved (none).
 */
static uint64_t ail_offset(const CPUPPCState *env, unsigned vector, uint64_t *new_msr)
{
    unsigned ail = (ppc_lpcr(env) & LPCR_AIL) >> LPCR_AIL_SHIFT;

    if (vector == PPC_VEC_SYSTEM_RESET || vector == PPC_VEC_MACHINE_CHECK || ail < 2 ||
        (env->msr & (MSR_IR | MSR_DR)) != (MSR_IR | MSR_DR)) {
        return 0;
    }
    *new_msr |= MSR_IR | MSR_DR;
    return ail == 2 ? AIL_2_OFFSET : AIL_3_OFFSET;
}

const PPCOp *ppc_raise(CPUPPCState *env, unsigned vector, uint64_t srr0, uint64_t srr1_bits)
{
    /* A partition's interrupts keep ME (and HV, which stays 0), set SF. */
    uint64_t new_msr = (env->msr & (MSR_ME | MSR_HV)) | MSR_SF;
    uint64_t target;

    if (ppc_lpcr(env) & LPCR_ILE) {
        new_msr |= MSR_LE;
    }
    target = vector + ail_offset(env, vector, &new_msr);
    qemu_log_mask(CPU_LOG_INT,
                  "interrupt 0x%x at 0x%" PRIx64 " msr 0x%" PRIx64 " srr1 bits 0x%" PRIx64
                  " -> 0x%" PRIx64 "\n",
                  vector, srr0, env->msr, srr1_bits, target);
    env->spr[SPR_SRR0] = srr0;
    env->spr[SPR_SRR1] = (env->msr & SRR1_MSR_MASK) | srr1_bits;
    env->excp_count++;
    ppc_store_msr(env, new_msr);
    env->nip = target;
    return NULL;
}

const PPCOp *ppc_raise_program(CPUPPCState *env, const PPCOp *op, uint64_t reason)
{
    return ppc_raise(env, PPC_VEC_PROGRAM, op->pc, reason);
}

/*
 * The soft TLBs keep entries of every translation regime (PR, IR, DR) apart
 * by their tags, so an MSR change only selects another regime.  (SF needs
 * nothing either: a 32-bit effective address translates as its
 * zero-extended 64-bit self.)
 */
void ppc_store_msr(CPUPPCState *env, uint64_t msr)
{
    /* A partition never runs in hypervisor state. */
    msr &= ~MSR_HV;
    env->msr = msr;
    env->tlb_regime = ppc_tlb_regime_of(msr);
}

void ppc_store_lpcr(PowerPCCPU *cpu, uint64_t lpcr)
{
    CPUPPCState *env = &cpu->env;

    /*
     * Changing the translation scheme drops what the soft TLBs hold (the
     * machine may set another CPU's LPCR: then at its next block).
     */
    if ((ppc_lpcr(env) ^ lpcr) & (LPCR_HR | LPCR_UPRT)) {
        ppc_tlb_flush_cpu(cpu);
    }
    __atomic_store_n(&env->spr[SPR_LPCR], lpcr, __ATOMIC_RELAXED);
}

/* ---- Asynchronous interrupts ------------------------------------------- */

static uint32_t pending(const CPUPPCState *env)
{
    return __atomic_load_n(&env->pending_interrupts, __ATOMIC_ACQUIRE);
}

/* The pending interrupts the MSR lets through now. */
static uint32_t deliverable(const CPUPPCState *env)
{
    uint32_t p = pending(env);

    if (!(env->msr & MSR_EE)) {
        p &= PPC_INTERRUPT_RESET;
    }
    return p;
}

bool ppc_cpu_has_work(PowerPCCPU *cpu)
{
    return deliverable(&cpu->env) != 0;
}

void ppc_cpu_set_irq(PowerPCCPU *cpu, unsigned irq, bool level)
{
    CPUPPCState *env = &cpu->env;

    if (!level) {
        __atomic_fetch_and(&env->pending_interrupts, ~irq, __ATOMIC_SEQ_CST);
        return;
    }
    __atomic_fetch_or(&env->pending_interrupts, irq, __ATOMIC_SEQ_CST);
    if (cpu->halted) {
        /* Its vCPU thread sleeps (H_CEDE): wake it if it can take this. */
        if (ppc_cpu_has_work(cpu)) {
            cpu->halted = false;
            cpu_kick(cpu);
        }
        return;
    }
    /*
     * A running CPU delivers it at its next block boundary, without leaving
     * its loop (no big-lock round trip, no new dispatch): chain_stop makes
     * it return to the loop, which looks at pending_interrupts after
     * clearing chain_stop.
     */
    __atomic_store_n(&env->chain_stop, 1, __ATOMIC_SEQ_CST);
}

/*
 * Called between blocks.  Priority (Book III 7.5): system reset, then
 * external, then decrementer, then the directed privileged doorbell, then
 * the performance monitor.
 * System reset and the doorbell are edges, consumed here (the doorbell's
 * DPDES bit clears when its interrupt is taken); the external and
 * decrementer sources are levels their owners lower (the decrementer when
 * DEC is written with a non-negative value).  SRR0 is the instruction that
 * would have run next.
 */
void ppc_deliver_pending(CPUPPCState *env)
{
    uint32_t p = deliverable(env);

    if (p & PPC_INTERRUPT_PMU_TIMER) {
        ppc_pmu_timer_check(env);
        p = deliverable(env);
    }
    if (p & PPC_INTERRUPT_RESET) {
        PowerPCCPU *cpu = (PowerPCCPU *)env;

        __atomic_fetch_and(&env->pending_interrupts, ~PPC_INTERRUPT_RESET, __ATOMIC_SEQ_CST);
        ppc_raise(env, PPC_VEC_SYSTEM_RESET, env->nip, 0);
        if (cpu->vhyp_ops && cpu->vhyp_ops->system_reset) {
            cpu->vhyp_ops->system_reset(cpu->vhyp, cpu);
        }
    } else if (p & PPC_INTERRUPT_EXT) {
        ppc_raise(env, PPC_VEC_EXTERNAL, env->nip, 0);
    } else if (p & PPC_INTERRUPT_DECR) {
        ppc_raise(env, PPC_VEC_DECREMENTER, env->nip, 0);
    } else if (p & PPC_INTERRUPT_DOORBELL) {
        __atomic_fetch_and(&env->pending_interrupts, ~PPC_INTERRUPT_DOORBELL, __ATOMIC_SEQ_CST);
        ppc_raise(env, PPC_VEC_DOORBELL, env->nip, 0);
    } else if (p & PPC_INTERRUPT_PERFM) {
        /* pending while MMCR0[PMAO] = 1: the handler clears it */
        ppc_raise(env, PPC_VEC_PERFM, env->nip, 0);
    }
}

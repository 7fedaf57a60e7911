/*
 * MMU control instructions: TLB invalidation (tlbie, tlbiel, tlbsync) for a
 * partition.  (The storage-key registers AMR and IAMR are SPRs:
 * insn-system.c.)
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "target/ppc/internal.h"

/* ---- tlbie / tlbiel --------------------------------------------------------- */

/* RIC: what to invalidate (ISA 3.0B Book III 5.9.3.3) */
#define TLBIE_RIC_TLB 0
#define TLBIE_RIC_PWC 1 /* page-walk cache */
#define TLBIE_RIC_ALL 2
#define TLBIE_RIC_GRP 3 /* reserved in ISA 3.0 */

/* RB: IS (bits 52:53) says which entries; tlbiel's set number is in 40:51. */
#define TLBIE_IS_VA 0
#define TLBIE_IS_PID 1
#define TLBIE_RB_IS(rb) (((rb) >> 10) & 3)
#define TLBIEL_RB_SET(rb) (((rb) >> 12) & 0xfff)

/* op->aux: the instruction's RIC, PRS and R fields and whether it is tlbiel. */
#define TLBI_RIC(aux) ((aux)&3)
#define TLBI_PRS 0x04
#define TLBI_R 0x08
#define TLBI_LOCAL 0x10

/* RB's AP field (bits 56:58): the page size of a radix tlbie by address. */
#define TLBIE_RB_AP(rb) (((rb) >> 5) & 7)
/* RS: the PID in bits 0:31. */
#define TLBIE_RS_PID(rs) ((uint32_t)((rs) >> 32))

/*
 * A process-scoped radix invalidation this CPU's soft TLB can honour with
 * less than emptying it (Linux issues one per page it unmaps or changes;
 * a boot makes ~100000).  By PID: the page-walk cache drops that process's
 * entries (any RIC: a superset of RIC=1 and 2); the soft TLB, which holds
 * only PIDR's (user addresses) and 0's (the kernel's) translations, is
 * emptied for those two and kept for any other.  By address, only the
 * entries of that page, and the page-walk cache's entry for the address's
 * 2 MiB region (RIC=0 need not touch it: a superset).  False: empty the
 * whole TLB and page-walk cache.
 */
static bool tlbie_radix_narrow(CPUPPCState *env, const PPCOp *op, uint64_t rb, unsigned ric,
                               unsigned is)
{
    uint32_t pid = TLBIE_RS_PID(env->gpr[op->rt]);

    if (is == TLBIE_IS_PID) {
        ppc_pwc_flush_pid(env, pid);
        if (ppc_tlb_quadrant_off && (pid == 0 || pid == (uint32_t)env->spr[SPR_PIDR])) {
            ppc_tlb_flush_keep_pwc(env);
            return true;
        }
        /* PIDR's process is quadrant 0's, process 0 quadrant 3's (both when PIDR is 0) */
        if (pid == (uint32_t)env->spr[SPR_PIDR]) {
            ppc_tlb_flush_quadrant(env, 0);
        }
        if (pid == 0) {
            ppc_tlb_flush_quadrant(env, 3);
        }
        return true;
    }
    if (is != TLBIE_IS_VA || ric != TLBIE_RIC_TLB) {
        return false;
    }
    if (TLBIE_RB_AP(rb) == 2) {
        ppc_pwc_flush(env);
    } else {
        ppc_pwc_flush_region(env, rb);
    }
    switch (TLBIE_RB_AP(rb)) {
    case 0:
        ppc_tlb_flush_range(env, rb, 4 * KiB);
        return true;
    case 5:
        ppc_tlb_flush_range(env, rb & ~(64 * KiB - 1), 64 * KiB);
        return true;
    case 1:
        ppc_tlb_flush_range(env, rb & ~(2 * MiB - 1), 2 * MiB);
        return true;
    case 2:
        ppc_tlb_flush_range(env, rb & ~(1 * GiB - 1), 1 * GiB);
        return true;
    default:
        return false;
    }
}

/*
 * A partition may use tlbie[l] in supervisor state, except for the
 * partition-scoped forms (PRS=0) under radix and, for tlbie, when the
 * hypervisor did not grant GTSE: those are hypervisor-privileged, which
 * without a hypervisor state means a privileged-instruction interrupt.
 * For radix forms (R=1 with LPCR[HR]) QEMU 7.2 rejects the combinations
 * the ISA calls invalid with an illegal-instruction interrupt.  A valid
 * one empties the whole soft TLB (always a correct superset), except the
 * narrow radix forms tlbie_radix_narrow() takes; another CPU's soft TLB
 * is always emptied whole.
 */
static const PPCOp *op_tlbie(CPUPPCState *env, const PPCOp *op)
{
    uint64_t lpcr = ppc_lpcr(env), rb = env->gpr[op->rb];
    unsigned ric = TLBI_RIC(op->aux), is = TLBIE_RB_IS(rb);
    bool prs = op->aux & TLBI_PRS, local = op->aux & TLBI_LOCAL;

    if ((env->msr & MSR_PR) || (!prs && (lpcr & LPCR_HR)) || (!local && !(lpcr & LPCR_GTSE))) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    if ((op->aux & TLBI_R) && (lpcr & LPCR_HR)) {
        if (ric == TLBIE_RIC_GRP ||
            ((ric == TLBIE_RIC_PWC || ric == TLBIE_RIC_ALL) && is == TLBIE_IS_VA) ||
            (!prs && is == TLBIE_IS_PID) ||
            (local && ric == TLBIE_RIC_PWC && TLBIEL_RB_SET(rb) != 0)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: invalid form at 0x%" PRIx64 " (ric %u prs %d is %u)\n",
                          local ? "tlbiel" : "tlbie", op->pc, ric, prs, is);
            return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
        }
    }
    /*
     * tlbiel: this processor's TLB; tlbie: every processor's, the others
     * before this one passes tlbsync or ptesync (ppc_tlb_sync).
     */
    if ((op->aux & TLBI_R) && (lpcr & LPCR_HR) && prs && tlbie_radix_narrow(env, op, rb, ric, is)) {
        if (!local) {
            ppc_tlb_flush_others();
        }
    } else if (local) {
        ppc_tlb_flush(env);
    } else {
        ppc_tlb_flush_all_cpus();
    }
    return PPC_NEXT(env, op);
}

static void decode_tlbi(uint32_t insn, PPCOp *op, unsigned local)
{
    op->fn = op_tlbie;
    op->rb = INSN_RB(insn);
    op->rt = insn_field(insn, 6, 10); /* RS */
    op->aux = insn_field(insn, 12, 13) | (insn_field(insn, 14, 14) ? TLBI_PRS : 0) |
              (insn_field(insn, 15, 15) ? TLBI_R : 0) | local;
}

static bool decode_tlbie(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_tlbi(insn, op, 0);
    return true;
}

static bool decode_tlbiel(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_tlbi(insn, op, TLBI_LOCAL);
    return true;
}

/*
 * tlbsync: with GTSE the partition may wait for its own tlbie; without it
 * the instruction is the hypervisor's (a privileged-instruction interrupt).
 * It waits until the other CPUs have dropped what this one's tlbie asked
 * (as ptesync does).
 */
static const PPCOp *op_tlbsync(CPUPPCState *env, const PPCOp *op)
{
    if ((env->msr & MSR_PR) || !(ppc_lpcr(env) & LPCR_GTSE)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    ppc_tlb_sync(env);
    return PPC_NEXT(env, op);
}

static bool decode_tlbsync(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_tlbsync;
    return true;
}

/* ---- Registration ----------------------------------------------------------- */

#define X31(xo) (0x7c000000u | ((xo) << 1))
#define XO_MASK 0xfc0007feu

/*
 * tlbie and tlbiel ignore bits 11 and 31 (QEMU 7.2 decodes them so) and
 * take every RIC/PRS/R value; tlbsync's other bits are reserved.
 */
static const PPCInsnDef mmu_insns[] = {
    { "tlbie", X31(306), XO_MASK, decode_tlbie, NULL, 0 },
    { "tlbiel", X31(274), XO_MASK, decode_tlbiel, NULL, 0 },
    { "tlbsync", X31(566), XO_MASK | 0x03fff801, decode_tlbsync, NULL, 0 },
};

static void ppc_insn_mmu_register(void)
{
    ppc_insn_register(mmu_insns, ARRAY_SIZE(mmu_insns));
}

module_init(ppc_insn_mmu_register)

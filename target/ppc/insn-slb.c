/*
 * Segment lookaside buffer instructions of the hash MMU: slbmte, slbmfee,
 * slbmfev, slbfee., slbie, slbieg, slbia, slbsync, with QEMU 7.2's operand
 * checks.
 */
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"
#include "target/ppc/mmu-hash64.h"

/* ESID word bits slbmte must find clear: everything but ESID, V and the index. */
#define SLBMTE_RB_RESERVED (~(SLB_ESID_ESID | SLB_ESID_V | SLB_RB_INDEX))

/* Every SLB instruction is privileged: problem state gets a program interrupt. */
static inline bool slb_privileged(CPUPPCState *env)
{
    return (env->msr & MSR_PR) != 0;
}

/*
 * The entry slbmte/slbmfee/slbmfev name (RB bits 52:63), or -1 when it is
 * beyond the model's SLB: QEMU 7.2 raises an illegal-instruction program
 * interrupt then.
 */
static int slb_index(CPUPPCState *env, uint64_t rb)
{
    unsigned index = rb & SLB_RB_INDEX;

    return index < env_cpu(env)->model->slb_size ? (int)index : -1;
}

/*
 * slbmte RS,RB: entry RB[52:63] = ESID word RB[0:36] (with V), VSID word RS.
 * Refused (illegal instruction) for reserved ESID bits, a segment size other
 * than 256 MB / 1 TB, or a base page size the partition does not offer
 * (16 MB and 16 GB segments need a large enough cap-hpt-max-page-size).
 */
static const PPCOp *op_slbmte(CPUPPCState *env, const PPCOp *op)
{
    uint64_t rb = env->gpr[op->rb], rs = env->gpr[op->rt];
    int index;

    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    index = slb_index(env, rb);
    if (index < 0 || (rb & SLBMTE_RB_RESERVED) || (rs & SLB_VSID_B & ~SLB_VSID_B_1T)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
    }
    if (!ppc_hash64_cpu_slb_page_shift(env_cpu(env), rs)) {
        /* QEMU 7.2 says so on stderr, this one refusal only. */
        error_report("Bad page size encoding in SLB store: slot %d esid 0x%016" PRIx64
                     " vsid 0x%016" PRIx64,
                     index, (uint64_t)(rb & ~SLB_RB_INDEX), rs);
        return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
    }
    env->slb[index].esid = rb & (SLB_ESID_ESID | SLB_ESID_V);
    env->slb[index].vsid = rs;
    ppc_tlb_flush(env);
    return PPC_NEXT(env, op);
}

/* slbmfee / slbmfev RT,RB: read an entry's ESID word (with V) or VSID word. */
static const PPCOp *slbmf(CPUPPCState *env, const PPCOp *op, bool vsid)
{
    int index;

    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    index = slb_index(env, env->gpr[op->rb]);
    if (index < 0) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
    }
    env->gpr[op->rt] = vsid ? env->slb[index].vsid : env->slb[index].esid;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_slbmfee(CPUPPCState *env, const PPCOp *op)
{
    return slbmf(env, op, false);
}

static const PPCOp *op_slbmfev(CPUPPCState *env, const PPCOp *op)
{
    return slbmf(env, op, true);
}

/* The valid entry translating ea (as the MMU looks it up), or NULL. */
static PPCSLBEntry *slb_find(CPUPPCState *env, uint64_t ea)
{
    uint64_t esid_256m = (ea & ~((1ULL << SEGMENT_SHIFT_256M) - 1)) | SLB_ESID_V;
    uint64_t esid_1t = (ea & ~((1ULL << SEGMENT_SHIFT_1T) - 1)) | SLB_ESID_V;

    for (unsigned i = 0; i < env_cpu(env)->model->slb_size; i++) {
        PPCSLBEntry *slb = &env->slb[i];
        uint64_t b = slb->vsid & SLB_VSID_B;

        if ((b == SLB_VSID_B_256M && slb->esid == esid_256m) ||
            (b == SLB_VSID_B_1T && slb->esid == esid_1t)) {
            return slb;
        }
    }
    return NULL;
}

/*
 * slbfee. RT,RB: the VSID word of the entry translating RB, CR0[EQ] set;
 * none: RT = 0 and EQ clear (QEMU 7.2; CR0 keeps only SO besides).
 */
static const PPCOp *op_slbfee(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ppc_ea(op, env->gpr[op->rb]);
    PPCSLBEntry *slb;

    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    slb = slb_find(env, ea);
    env->gpr[op->rt] = slb ? slb->vsid : 0;
    env->crf[0] = env->so | (slb ? CRF_EQ : 0);
    return PPC_NEXT(env, op);
}

/* slbie RB: invalidate the entry translating RB, if any. */
static const PPCOp *op_slbie(CPUPPCState *env, const PPCOp *op)
{
    PPCSLBEntry *slb;

    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    slb = slb_find(env, env->gpr[op->rb]);
    if (slb) {
        slb->esid &= ~SLB_ESID_V;
    }
    ppc_tlb_flush(env);
    return PPC_NEXT(env, op);
}

/*
 * slbia IH: invalidate every entry but entry 0.  ISA 3.0 (POWER9) adds IH=3
 * (entry 0 too, but keep class-0 entries), IH=4 (entry 0 too) and IH=7
 * (no entry, only lookaside information); other values act as 0.
 */
static const PPCOp *op_slbia(CPUPPCState *env, const PPCOp *op)
{
    bool isa300 = env_cpu(env)->model->has_radix;
    unsigned ih = op->aux, first = 1;

    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    ppc_tlb_flush(env);
    if (isa300 && ih == 7) {
        return PPC_NEXT(env, op);
    }
    if (isa300 && (ih == 3 || ih == 4)) {
        first = 0;
    }
    for (unsigned i = first; i < env_cpu(env)->model->slb_size; i++) {
        PPCSLBEntry *slb = &env->slb[i];

        if (isa300 && ih == 3 && !(slb->vsid & SLB_VSID_C)) {
            continue;
        }
        slb->esid &= ~SLB_ESID_V;
    }
    return PPC_NEXT(env, op);
}

/*
 * slbieg RS,RB: invalidate the entry translating RB on every processor;
 * with the one SLB per CPU we keep, that is slbie here.  slbsync: nothing
 * to wait for.  QEMU 7.2 lets a partition run both in supervisor state.
 */
static const PPCOp *op_slbsync(CPUPPCState *env, const PPCOp *op)
{
    if (slb_privileged(env)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
    }
    return PPC_NEXT(env, op);
}

static bool decode_slb(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = def->fn;
    op->rt = INSN_RT(insn);
    op->rb = INSN_RB(insn);
    op->aux = insn_field(insn, 8, 10); /* slbia IH */
    return true;
}

#define X31(xo) (0x7c000000u | ((xo) << 1))
#define XO_MASK 0xfc0007feu
/*
 * QEMU 7.2 decodes these ignoring their reserved fields (RA of slbmte, RS/RA
 * of slbie, bit 15 of slbmfee/slbmfev, Rc ...), and so do we; slbfee needs
 * its record bit (slbfee without the dot is illegal).
 */
#define SLB_INSN(name, xo, fn)                                                                     \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_slb, fn, 0                                                  \
    }

static const PPCInsnDef slb_insns[] = {
    SLB_INSN("slbmte", 402, op_slbmte),
    SLB_INSN("slbmfee", 915, op_slbmfee),
    SLB_INSN("slbmfev", 851, op_slbmfev),
    { "slbfee.", X31(979) | 1, XO_MASK | 1, decode_slb, op_slbfee, 0 },
    SLB_INSN("slbie", 434, op_slbie),
    SLB_INSN("slbieg", 466, op_slbie),
    SLB_INSN("slbia", 498, op_slbia),
    SLB_INSN("slbsync", 338, op_slbsync),
};

static void ppc_insn_slb_register(void)
{
    ppc_insn_register(slb_insns, ARRAY_SIZE(slb_insns));
}

module_init(ppc_insn_slb_register)

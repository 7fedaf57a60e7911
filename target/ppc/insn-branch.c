/*
 * Branch and condition-register instructions: b, bc, bclr, bcctr, bctar,
 * the CR logical operations, mcrf, and moves between the CR and a GPR.
 */
#include "qemu/module.h"
#include "target/ppc/internal.h"

/* ---- Branch targets and conditions ------------------------------------- */

/*
 * BO field of bc/bclr/bcctr/bctar (bit 0 is the MSB of the 5-bit field):
 * bit 0 set: ignore the CR bit; bit 1: the CR value that branches; bit 2
 * set: leave CTR alone, else decrement it; bit 3: branch on CTR == 0
 * instead of != 0; bit 4 (and bit 1 or 3 where unused): prediction hints.
 */
#define BO_NO_CR 0x10
#define BO_CR_TRUE 0x08
#define BO_NO_CTR 0x04
#define BO_CTR_ZERO 0x02

/* A register-held target: word aligned, and truncated in 32-bit mode. */
static inline uint64_t branch_addr(const PPCOp *op, uint64_t v)
{
    v &= ~3ULL;
    return (op->flags & PPC_OPF_SF) ? v : (uint32_t)v;
}

/* Decrement CTR; in 32-bit mode only its low word is compared with zero. */
static inline bool ctr_dec_nonzero(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ctr = --env->ctr;

    return ((op->flags & PPC_OPF_SF) ? ctr : (uint32_t)ctr) != 0;
}

/* op->ra holds BI, op->aux the CR bit value that satisfies the condition. */
static inline bool cr_cond(const CPUPPCState *env, const PPCOp *op)
{
    return cr_bit(env, op->ra) == op->aux;
}

/* ---- b, ba, bl, bla ------------------------------------------------------ */

static const PPCOp *op_b(CPUPPCState *env, const PPCOp *op)
{
    return ppc_goto_chain(env, op, op->imm);
}

static const PPCOp *op_bl(CPUPPCState *env, const PPCOp *op)
{
    env->lr = ppc_next_pc(op);
    return ppc_goto_chain(env, op, op->imm);
}

/* The target is known at decode: LI sign-extended, relative unless AA. */
static bool decode_b(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    int64_t disp = ((int32_t)(insn << 6) >> 6) & ~3;
    uint64_t target = (insn & 2) ? (uint64_t)disp : op->pc + disp;

    op->imm = (op->flags & PPC_OPF_SF) ? target : (uint32_t)target;
    op->fn = (insn & 1) ? op_bl : op_b;
    return true;
}

/*
 * ---- bc, bclr, bcctr, bctar --------------------------------------------
 * One handler per (target source, condition kind), chosen at decode, so a
 * loop's bdnz or bne tests only what its BO asks.  The target is read
 * before LR is written, so bclrl returns to the old LR.
 */
#define BC_HANDLER(name, target, cond)                                                             \
    static const PPCOp *name(CPUPPCState *env, const PPCOp *op)                                    \
    {                                                                                              \
        uint64_t t = (target);                                                                     \
                                                                                                   \
        if (op->flags & PPC_OPF_LK) {                                                              \
            env->lr = ppc_next_pc(op);                                                             \
        }                                                                                          \
        return ppc_goto_chain(env, op, (cond) ? t : ppc_next_pc(op));                              \
    }

#define BC_FAMILY(src, target)                                                                     \
    BC_HANDLER(op_##src##_always, target, true)                                                    \
    BC_HANDLER(op_##src##_cr, target, cr_cond(env, op))                                            \
    BC_HANDLER(op_##src##_dnz, target, ctr_dec_nonzero(env, op))                                   \
    BC_HANDLER(op_##src##_dz, target, !ctr_dec_nonzero(env, op))                                   \
    BC_HANDLER(op_##src##_dnz_cr, target, ctr_dec_nonzero(env, op) && cr_cond(env, op))            \
    BC_HANDLER(op_##src##_dz_cr, target, !ctr_dec_nonzero(env, op) && cr_cond(env, op))

BC_FAMILY(bc, op->imm)
BC_FAMILY(bclr, branch_addr(op, env->lr))
BC_FAMILY(bctar, branch_addr(op, env->tar))
BC_HANDLER(op_bcctr_always, branch_addr(op, env->ctr), true)
BC_HANDLER(op_bcctr_cr, branch_addr(op, env->ctr), cr_cond(env, op))

/*
 * bc without link, the loops' case, one handler per mode: no LR update, and
 * in 32-bit mode only CTR's low word counts and the next address wraps.
 */
#define BC_HANDLER_MODE(name, next_t, cond)                                                        \
    static const PPCOp *name(CPUPPCState *env, const PPCOp *op)                                    \
    {                                                                                              \
        return ppc_goto_chain(env, op, (cond) ? (uint64_t)op->imm : (next_t)(op->pc + 4));         \
    }

#define BC_FAMILY_MODE(sfx, t)                                                                     \
    BC_HANDLER_MODE(op_bc_always##sfx, t, true)                                                    \
    BC_HANDLER_MODE(op_bc_cr##sfx, t, cr_cond(env, op))                                            \
    BC_HANDLER_MODE(op_bc_dnz##sfx, t, (t)--env->ctr != 0)                                         \
    BC_HANDLER_MODE(op_bc_dz##sfx, t, (t)--env->ctr == 0)                                          \
    BC_HANDLER_MODE(op_bc_dnz_cr##sfx, t, (t)--env->ctr != 0 && cr_cond(env, op))                  \
    BC_HANDLER_MODE(op_bc_dz_cr##sfx, t, (t)--env->ctr == 0 && cr_cond(env, op))

BC_FAMILY_MODE(_64, uint64_t)
BC_FAMILY_MODE(_32, uint32_t)

enum { BC_ALWAYS, BC_CR, BC_DNZ, BC_DZ, BC_DNZ_CR, BC_DZ_CR, BC_KINDS };

static PPCOpFn *const bc_fns[BC_KINDS] = {
    op_bc_always, op_bc_cr, op_bc_dnz, op_bc_dz, op_bc_dnz_cr, op_bc_dz_cr,
};
static PPCOpFn *const bc_fns_64[BC_KINDS] = {
    op_bc_always_64, op_bc_cr_64, op_bc_dnz_64, op_bc_dz_64, op_bc_dnz_cr_64, op_bc_dz_cr_64,
};
static PPCOpFn *const bc_fns_32[BC_KINDS] = {
    op_bc_always_32, op_bc_cr_32, op_bc_dnz_32, op_bc_dz_32, op_bc_dnz_cr_32, op_bc_dz_cr_32,
};
static PPCOpFn *const bclr_fns[BC_KINDS] = {
    op_bclr_always, op_bclr_cr, op_bclr_dnz, op_bclr_dz, op_bclr_dnz_cr, op_bclr_dz_cr,
};
static PPCOpFn *const bctar_fns[BC_KINDS] = {
    op_bctar_always, op_bctar_cr, op_bctar_dnz, op_bctar_dz, op_bctar_dnz_cr, op_bctar_dz_cr,
};
/*
 * bcctr with a BO that decrements CTR is an invalid form in the ISA; QEMU
 * 7.2 (and 2.x server processors) implement "test and decrement": CTR is
 * both the target and the counter, the test looks at CTR before the
 * decrement.  Linux uses the form only for its count-cache flush.
 */
static inline bool ctr_test_then_dec(CPUPPCState *env, const PPCOp *op, bool want_zero)
{
    uint64_t ctr = (op->flags & PPC_OPF_SF) ? env->ctr : (uint32_t)env->ctr;

    env->ctr--;
    return (ctr == 0) == want_zero;
}

BC_HANDLER(op_bcctr_dnz, branch_addr(op, env->ctr), ctr_test_then_dec(env, op, false))
BC_HANDLER(op_bcctr_dz, branch_addr(op, env->ctr), ctr_test_then_dec(env, op, true))
BC_HANDLER(op_bcctr_dnz_cr, branch_addr(op, env->ctr),
           ctr_test_then_dec(env, op, false) && cr_cond(env, op))
BC_HANDLER(op_bcctr_dz_cr, branch_addr(op, env->ctr),
           ctr_test_then_dec(env, op, true) && cr_cond(env, op))

static PPCOpFn *const bcctr_fns[BC_KINDS] = {
    op_bcctr_always, op_bcctr_cr, op_bcctr_dnz, op_bcctr_dz, op_bcctr_dnz_cr, op_bcctr_dz_cr,
};

/* The condition kind of a BO value, and BI / the CR value it wants. */
static unsigned decode_bo(uint32_t insn, PPCOp *op)
{
    unsigned bo = INSN_RT(insn);
    bool test_cr = !(bo & BO_NO_CR);

    op->rt = bo;
    op->ra = INSN_RA(insn); /* BI */
    op->aux = (bo & BO_CR_TRUE) != 0;
    if (insn & 1) {
        op->flags |= PPC_OPF_LK;
    }
    if (bo & BO_NO_CTR) {
        return test_cr ? BC_CR : BC_ALWAYS;
    }
    if (bo & BO_CTR_ZERO) {
        return test_cr ? BC_DZ_CR : BC_DZ;
    }
    return test_cr ? BC_DNZ_CR : BC_DNZ;
}

static bool decode_bc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    int64_t disp = (int16_t)(insn & 0xfffc);
    uint64_t target = (insn & 2) ? (uint64_t)disp : op->pc + disp;
    unsigned kind = decode_bo(insn, op);

    op->imm = (op->flags & PPC_OPF_SF) ? target : (uint32_t)target;
    if (op->flags & PPC_OPF_LK) {
        op->fn = bc_fns[kind];
    } else {
        op->fn = (op->flags & PPC_OPF_SF) ? bc_fns_64[kind] : bc_fns_32[kind];
    }
    return true;
}

bool ppc_bc_tests_crf(const PPCOp *bc, unsigned bf)
{
    bool cr_only = bc->fn == op_bc_cr || bc->fn == op_bc_cr_64 || bc->fn == op_bc_cr_32;

    return cr_only && !(bc->flags & PPC_OPF_LK) && (bc->ra >> 2) == bf;
}

static bool decode_bclr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = bclr_fns[decode_bo(insn, op)];
    return true;
}

static bool decode_bctar(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    /* QEMU 7.2 rejects bctar with its reserved bits 16-18 set. */
    if (insn_field(insn, 16, 18)) {
        return false;
    }
    op->fn = bctar_fns[decode_bo(insn, op)];
    return true;
}

static bool decode_bcctr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = bcctr_fns[decode_bo(insn, op)];
    return true;
}

/* ---- CR logical operations and mcrf --------------------------------------- */

/* op->rt = BT, op->ra = BA, op->rb = BB (bit numbers of the whole CR). */
#define CR_LOGIC(name, expr)                                                                       \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        unsigned a = cr_bit(env, op->ra), b = cr_bit(env, op->rb);                                 \
                                                                                                   \
        cr_set_bit(env, op->rt, (expr));                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }

CR_LOGIC(crand, a &b)
CR_LOGIC(crandc, a & ~b)
CR_LOGIC(creqv, ~(a ^ b))
CR_LOGIC(crnand, ~(a &b))
CR_LOGIC(crnor, ~(a | b))
CR_LOGIC(cror, a | b)
CR_LOGIC(crorc, a | ~b)
CR_LOGIC(crxor, a ^ b)

/* XL-form with bit 31 reserved: as QEMU, a set bit 31 is an invalid form. */
static bool decode_crlogic(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    return !(insn & 1);
}

static const PPCOp *op_mcrf(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->rt] = env->crf[op->ra];
    return PPC_NEXT(env, op);
}

static bool decode_mcrf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_mcrf;
    op->rt = insn_field(insn, 6, 8);   /* BF */
    op->ra = insn_field(insn, 11, 13); /* BFA */
    return !(insn & 1);
}

/* ---- mfcr, mfocrf, mtcrf, mtocrf ------------------------------------------ */

static const PPCOp *op_mfcr(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = ppc_get_cr(env);
    return PPC_NEXT(env, op);
}

/* mfocrf: the one selected field in place (op->aux), the other bits zero. */
static const PPCOp *op_mfocrf(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = (uint64_t)(env->crf[op->aux] & 0xf) << (4 * (7 - op->aux));
    return PPC_NEXT(env, op);
}

/* An mfocrf/mtocrf whose FXM does not select exactly one field: QEMU 7.2
 * leaves everything unchanged (the ISA leaves the result undefined). */
static const PPCOp *op_nop(CPUPPCState *env, const PPCOp *op)
{
    return PPC_NEXT(env, op);
}

/* FXM bit 0 (the MSB of the 8-bit field) selects CR field 0. */
static const PPCOp *op_mtcrf(CPUPPCState *env, const PPCOp *op)
{
    uint32_t rs = env->gpr[op->rt];

    for (unsigned i = 0; i < 8; i++) {
        if (op->aux & (0x80 >> i)) {
            env->crf[i] = (rs >> (28 - 4 * i)) & 0xf;
        }
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtocrf(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->aux] = (env->gpr[op->rt] >> (28 - 4 * op->aux)) & 0xf;
    return PPC_NEXT(env, op);
}

/*
 * XFX-form: bit 11 set selects the "one field" variants (mfocrf/mtocrf),
 * FXM is bits 12-19; bits 20 and 31 are reserved.
 */
static bool decode_crmove(uint32_t insn, PPCOp *op, PPCOpFn *whole, PPCOpFn *one)
{
    unsigned fxm = insn_field(insn, 12, 19);

    op->rt = INSN_RT(insn);
    if (insn & 0x801) {
        return false;
    }
    if (!insn_field(insn, 11, 11)) {
        op->fn = whole;
        op->aux = fxm;
        return true;
    }
    if (fxm == 0 || (fxm & (fxm - 1))) {
        op->fn = op_nop;
        return true;
    }
    op->fn = one;
    op->aux = __builtin_clz(fxm) - 24; /* the selected field's number */
    return true;
}

static bool decode_mfcr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    /* mfcr has no FXM: bits 12-19 are reserved but ignored, as QEMU does. */
    return decode_crmove(insn, op, op_mfcr, op_mfocrf);
}

static bool decode_mtcrf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return decode_crmove(insn, op, op_mtcrf, op_mtocrf);
}

/* ---- Registration --------------------------------------------------------- */

#define XL(xo) (0x4c000000u | ((xo) << 1))
#define X31(xo) (0x7c000000u | ((xo) << 1))
#define XL_MASK 0xfc0007feu
#define E PPC_INSN_ENDS_BLOCK

static const PPCInsnDef branch_insns[] = {
    { "b", 0x48000000, 0xfc000000, decode_b, NULL, E },
    { "bc", 0x40000000, 0xfc000000, decode_bc, NULL, E },
    { "bclr", XL(16), XL_MASK, decode_bclr, NULL, E },
    { "bcctr", XL(528), XL_MASK, decode_bcctr, NULL, E },
    { "bctar", XL(560), XL_MASK, decode_bctar, NULL, E },
    { "crand", XL(257), XL_MASK, decode_crlogic, op_crand, 0 },
    { "crandc", XL(129), XL_MASK, decode_crlogic, op_crandc, 0 },
    { "creqv", XL(289), XL_MASK, decode_crlogic, op_creqv, 0 },
    { "crnand", XL(225), XL_MASK, decode_crlogic, op_crnand, 0 },
    { "crnor", XL(33), XL_MASK, decode_crlogic, op_crnor, 0 },
    { "cror", XL(449), XL_MASK, decode_crlogic, op_cror, 0 },
    { "crorc", XL(417), XL_MASK, decode_crlogic, op_crorc, 0 },
    { "crxor", XL(193), XL_MASK, decode_crlogic, op_crxor, 0 },
    { "mcrf", XL(0), XL_MASK, decode_mcrf, NULL, 0 },
    { "mfcr", X31(19), XL_MASK, decode_mfcr, NULL, 0 },
    { "mtcrf", X31(144), XL_MASK, decode_mtcrf, NULL, 0 },
};

static void ppc_insn_branch_register(void)
{
    ppc_insn_register(branch_insns, ARRAY_SIZE(branch_insns));
}

module_init(ppc_insn_branch_register)

/*
 * Floating-point arithmetic, multiply-add, rounding, conversion, compare and
 * estimate instructions (Power ISA 3.0B Book I 4.6.6-4.6.8), and the FPSCR
 * update every one of them shares with the VSX scalar instructions.
 */
#include "qemu/module.h"
#include "target/ppc/insn-fp.h"

/* ---- FPSCR update ---------------------------------------------------------- */

/* The invalid-operation kinds that clear FR and FI in the vector mode (QEMU 7.2). */
#define FLAGS_CLEAR_FI_VECTOR                                                                      \
    (float_flag_invalid_isi | float_flag_invalid_idi | float_flag_invalid_zdz |                    \
     float_flag_invalid_imz | float_flag_invalid_sqrt | float_flag_invalid_cvi |                   \
     float_flag_divbyzero)

static unsigned fprf_of(uint64_t r, uint64_t r_lo, int fprf)
{
    if (fprf == PPC_FPRF_QUAD) {
        float128 q = { r, r_lo };
        bool neg = r >> 63;

        switch (float128_classify(q)) {
        case float_class_zero:
            return neg ? FPRF_NEG_ZERO : FPRF_POS_ZERO;
        case float_class_denormal:
            return neg ? FPRF_NEG_DENORMAL : FPRF_POS_DENORMAL;
        case float_class_normal:
            return neg ? FPRF_NEG_NORMAL : FPRF_POS_NORMAL;
        case float_class_inf:
            return neg ? FPRF_NEG_INF : FPRF_POS_INF;
        default:
            return FPRF_QNAN;
        }
    }
    return ppc_fprf_of(r, fprf == PPC_FPRF_SINGLE);
}

unsigned ppc_fp_result(CPUPPCState *env, uint32_t sflags, uint64_t r, int fprf)
{
    uint64_t old = env->fpscr;

    /*
     * The common case: no exception but inexact, and inexact not enabled.
     * No summary bit can change but FX.
     */
    if (likely(!(sflags & ~(float_flag_inexact | float_flag_rounded_up)) && !(old & FPSCR_XE) &&
               fprf <= PPC_FPRF_SINGLE)) {
        uint64_t f = old & ~(FPSCR_FR | FPSCR_FI);

        if (sflags & float_flag_inexact) {
            f |= FPSCR_FI | FPSCR_XX | ((old & FPSCR_XX) ? 0 : FPSCR_FX);
        }
        if (sflags & float_flag_rounded_up) {
            f |= FPSCR_FR;
        }
        if (fprf >= PPC_FPRF_DOUBLE) {
            f = (f & ~FPSCR_FPRF) |
                ((uint64_t)ppc_fprf_of(r, fprf == PPC_FPRF_SINGLE) << FPSCR_FPRF_SHIFT);
        }
        env->fpscr = f;
        return PPC_FP_WRITE;
    }
    return ppc_fp_result_quad(env, sflags, r, 0, fprf);
}

/*
 * Everything else: exceptions, enabled exceptions, target-not-written rules,
 * quad-precision results and the vector mode.
 */
unsigned ppc_fp_result_quad(CPUPPCState *env, uint32_t sflags, uint64_t r, uint64_t r_lo, int fprf)
{
    uint64_t old = env->fpscr;
    bool vector = fprf == PPC_FPRF_VECTOR;
    uint64_t f = vector ? old : old & ~(FPSCR_FR | FPSCR_FI);
    uint64_t raised = 0;
    unsigned how = PPC_FP_WRITE;
    bool enabled = false;

    if (vector && (sflags & FLAGS_CLEAR_FI_VECTOR)) {
        f &= ~(FPSCR_FR | FPSCR_FI);
    }
    if (unlikely(sflags & float_flag_invalid)) {
        raised |= (sflags & float_flag_invalid_snan) ? FPSCR_VXSNAN : 0;
        raised |= (sflags & float_flag_invalid_isi) ? FPSCR_VXISI : 0;
        raised |= (sflags & float_flag_invalid_idi) ? FPSCR_VXIDI : 0;
        raised |= (sflags & float_flag_invalid_zdz) ? FPSCR_VXZDZ : 0;
        raised |= (sflags & float_flag_invalid_imz) ? FPSCR_VXIMZ : 0;
        raised |= (sflags & float_flag_invalid_vc) ? FPSCR_VXVC : 0;
        raised |= (sflags & float_flag_invalid_sqrt) ? FPSCR_VXSQRT : 0;
        raised |= (sflags & float_flag_invalid_cvi) ? FPSCR_VXCVI : 0;
        enabled = (f & FPSCR_VE) != 0;
    }
    if (unlikely(sflags & float_flag_divbyzero)) {
        raised |= FPSCR_ZX;
        enabled |= (f & FPSCR_ZE) != 0;
    }
    if (enabled) {
        /* An enabled invalid or zero divide: the target and FPRF stay as they were. */
        how = 0;
    } else if (fprf == PPC_FPRF_CVT && (sflags & float_flag_invalid)) {
        f = (f & ~FPSCR_FPRF) | ((uint64_t)FPRF_QNAN << FPSCR_FPRF_SHIFT);
    }
    /*
     * A scalar operation raising invalid or zero divide has no other
     * exception; the elements of a vector one may.
     */
    if (vector || !(sflags & (float_flag_invalid | float_flag_divbyzero))) {
        if (sflags & float_flag_overflow) {
            raised |= FPSCR_OX;
            enabled |= (f & FPSCR_OE) != 0;
        }
        if (sflags & float_flag_underflow) {
            raised |= FPSCR_UX;
            enabled |= (f & FPSCR_UE) != 0;
        }
        if (sflags & float_flag_inexact) {
            raised |= FPSCR_XX;
            enabled |= (f & FPSCR_XE) != 0;
        }
        if (!vector) {
            f |= (sflags & float_flag_inexact) ? FPSCR_FI : 0;
            f |= (sflags & float_flag_rounded_up) ? FPSCR_FR : 0;
        }
    }
    if ((how & PPC_FP_WRITE) && fprf >= PPC_FPRF_DOUBLE && !vector) {
        f = (f & ~FPSCR_FPRF) | ((uint64_t)fprf_of(r, r_lo, fprf) << FPSCR_FPRF_SHIFT);
    }
    f |= raised;
    if (raised & ~old) {
        f |= FPSCR_FX;
    }
    env->fpscr = ppc_fpscr_summaries(f);
    if (enabled && (env->msr & (MSR_FE0 | MSR_FE1))) {
        how |= PPC_FP_TRAP;
    }
    return how;
}

#define FRA (*ppc_fpr(env, op->ra))
#define FRB (*ppc_fpr(env, op->rb))
#define FRC (*ppc_fpr(env, op->rc))

/*
 * Deliver result r of an operation that raised sflags: FPSCR, the target,
 * the FP-enabled program interrupt (SRR0 = this instruction, CR1 not set;
 * false then), CR1 for record forms.
 */
static inline bool fp_finish(CPUPPCState *env, const PPCOp *op, uint64_t r, uint32_t sflags,
                             int fprf)
{
    unsigned how = ppc_fp_result(env, sflags, r, fprf);

    if (likely(how & PPC_FP_WRITE)) {
        ppc_fp_set(env, op->rt, r);
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        ppc_raise_program(env, op, SRR1_PROGRAM_FP);
        return false;
    }
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    return true;
}

/* ---- Arithmetic (A-form) ----------------------------------------------------- */

/* fp_NAME runs the instruction (false: it raised an interrupt); op_NAME is its handler. */
#define FP_OP2(name, expr, fprf)                                                                   \
    static bool fp_##name(CPUPPCState *env, const PPCOp *op)                                       \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        uint64_t r = (expr);                                                                       \
        return fp_finish(env, op, r, s.flags, fprf);                                               \
    }                                                                                              \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return fp_##name(env, op) ? PPC_NEXT(env, op) : NULL;                                      \
    }

FP_OP2(fadd, float64_add(FRA, FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fsub, float64_sub(FRA, FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fmul, float64_mul(FRA, FRC, &s), PPC_FPRF_DOUBLE)
FP_OP2(fdiv, float64_div(FRA, FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fsqrt, float64_sqrt(FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fadds, float64r32_add(FRA, FRB, &s), PPC_FPRF_SINGLE)
FP_OP2(fsubs, float64r32_sub(FRA, FRB, &s), PPC_FPRF_SINGLE)
FP_OP2(fmuls, float64r32_mul(FRA, FRC, &s), PPC_FPRF_SINGLE)
FP_OP2(fdivs, float64r32_div(FRA, FRB, &s), PPC_FPRF_SINGLE)
FP_OP2(fsqrts, float64r32_sqrt(FRB, &s), PPC_FPRF_SINGLE)
FP_OP2(frsp, float64r32_round(FRB, &s), PPC_FPRF_SINGLE)

/* FRA * FRC + FRB, precedence FRA, FRB, FRC for NaNs. */
FP_OP2(fmadd, float64_muladd(FRA, FRC, FRB, 0, &s), PPC_FPRF_DOUBLE)
FP_OP2(fmsub, float64_muladd(FRA, FRC, FRB, float_muladd_negate_c, &s), PPC_FPRF_DOUBLE)
FP_OP2(fnmadd, float64_muladd(FRA, FRC, FRB, float_muladd_negate_result, &s), PPC_FPRF_DOUBLE)
FP_OP2(fnmsub,
       float64_muladd(FRA, FRC, FRB, float_muladd_negate_c | float_muladd_negate_result, &s),
       PPC_FPRF_DOUBLE)
FP_OP2(fmadds, float64r32_muladd(FRA, FRC, FRB, 0, &s), PPC_FPRF_SINGLE)
FP_OP2(fmsubs, float64r32_muladd(FRA, FRC, FRB, float_muladd_negate_c, &s), PPC_FPRF_SINGLE)
FP_OP2(fnmadds, float64r32_muladd(FRA, FRC, FRB, float_muladd_negate_result, &s), PPC_FPRF_SINGLE)
FP_OP2(fnmsubs,
       float64r32_muladd(FRA, FRC, FRB, float_muladd_negate_c | float_muladd_negate_result, &s),
       PPC_FPRF_SINGLE)

/*
 * Estimates.  The ISA bounds their error; QEMU 7.2 returns the correctly
 * rounded 1/x (1/sqrt(x) as two roundings: the square root, then the
 * reciprocal), and so do we, bit for bit.  Exception: for a zero operand
 * the ISA's result is an infinity of its sign (QEMU 7.2 returns 0.5).
 */
static inline uint64_t estimate_recip(uint64_t b, bool single, float_status *s)
{
    if (float64_is_zero(b)) {
        s->flags |= float_flag_divbyzero;
        return (b & PPC_BIT(0)) | 0x7ff0000000000000ULL;
    }
    return single ? float64r32_div(float64_one, b, s) : float64_div(float64_one, b, s);
}

static inline uint64_t estimate_rsqrt(uint64_t b, bool single, float_status *s)
{
    uint64_t root = float64_sqrt(b, s);

    return single ? float64r32_div(float64_one, root, s) : float64_div(float64_one, root, s);
}

FP_OP2(fre, estimate_recip(FRB, false, &s), PPC_FPRF_DOUBLE)
FP_OP2(fres, estimate_recip(FRB, true, &s), PPC_FPRF_SINGLE)
FP_OP2(frsqrte, estimate_rsqrt(FRB, false, &s), PPC_FPRF_DOUBLE)
FP_OP2(frsqrtes, estimate_rsqrt(FRB, true, &s), PPC_FPRF_SINGLE)

/* ---- Round to integral value: FR, FI cleared and XX untouched ------------------- */

static inline bool fp_round_int(CPUPPCState *env, const PPCOp *op, int mode)
{
    float_status s = ppc_fp_status(env);
    uint64_t r;

    s.rounding_mode = mode;
    r = float64_round_to_int(FRB, &s);
    return fp_finish(env, op, r, s.flags & ~(float_flag_inexact | float_flag_rounded_up),
                     PPC_FPRF_DOUBLE);
}

#define FP_RND(name, mode)                                                                         \
    static bool fp_##name(CPUPPCState *env, const PPCOp *op)                                       \
    {                                                                                              \
        return fp_round_int(env, op, mode);                                                        \
    }                                                                                              \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return fp_##name(env, op) ? PPC_NEXT(env, op) : NULL;                                      \
    }

FP_RND(frin, float_round_ties_away)
FP_RND(friz, float_round_to_zero)
FP_RND(frip, float_round_up)
FP_RND(frim, float_round_down)

/* ---- Conversions ------------------------------------------------------------------ */

/*
 * fcti*: the integer in FRT.  The word forms leave the high word as QEMU
 * 7.2 does (the ISA leaves it undefined): the signed word sign-extended, the
 * unsigned one zero-extended, a NaN's 0x80000000 zero-extended.  FPRF is
 * left alone.
 */
#define FP_CVT(name, expr, round_to_zero)                                                          \
    static bool fp_##name(CPUPPCState *env, const PPCOp *op)                                       \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        uint64_t b = FRB, r;                                                                       \
        if (round_to_zero) {                                                                       \
            s.rounding_mode = float_round_to_zero;                                                 \
        }                                                                                          \
        r = (expr);                                                                                \
        return fp_finish(env, op, r, s.flags, PPC_FPRF_CVT);                                       \
    }                                                                                              \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return fp_##name(env, op) ? PPC_NEXT(env, op) : NULL;                                      \
    }

static inline uint64_t cvt_w(uint64_t b, float_status *s)
{
    int32_t v = float64_to_int32(b, s);

    return float64_is_any_nan(b) ? 0x80000000u : (uint64_t)(int64_t)v;
}

FP_CVT(fctiw, cvt_w(b, &s), false)
FP_CVT(fctiwz, cvt_w(b, &s), true)
FP_CVT(fctiwu, float64_to_uint32(b, &s), false)
FP_CVT(fctiwuz, float64_to_uint32(b, &s), true)
FP_CVT(fctid, (uint64_t)float64_to_int64(b, &s), false)
FP_CVT(fctidz, (uint64_t)float64_to_int64(b, &s), true)
FP_CVT(fctidu, float64_to_uint64(b, &s), false)
FP_CVT(fctiduz, float64_to_uint64(b, &s), true)

FP_OP2(fcfid, int64_to_float64((int64_t)FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fcfidu, uint64_to_float64(FRB, &s), PPC_FPRF_DOUBLE)
FP_OP2(fcfids, int64_to_float64r32((int64_t)FRB, &s), PPC_FPRF_SINGLE)
FP_OP2(fcfidus, uint64_to_float64r32(FRB, &s), PPC_FPRF_SINGLE)

/* ---- Compare and tests --------------------------------------------------------------- */

/*
 * fcmpu/fcmpo BF: CR field BF and FPCC get LT GT EQ UN.  fcmpo also signals
 * VXVC for any NaN, except that with VE=1 an sNaN gives only VXSNAN (ISA;
 * QEMU 7.2 sets both).  The CR field is set whatever the exception; FR
 * and FI are left alone (QEMU 7.2 clears FI).
 */
static inline bool fp_cmp(CPUPPCState *env, const PPCOp *op, bool ordered)
{
    float_status s = ppc_fp_status(env);
    uint64_t a = FRA, b = FRB;
    FloatRelation rel = float64_compare_quiet(a, b, &s);
    unsigned c = rel == float_relation_less      ? CRF_LT
                 : rel == float_relation_greater ? CRF_GT
                 : rel == float_relation_equal   ? CRF_EQ
                                                 : CRF_SO;

    if (ordered && rel == float_relation_unordered &&
        !((s.flags & float_flag_invalid_snan) && (env->fpscr & FPSCR_VE))) {
        s.flags |= float_flag_invalid_vc;
    }
    env->crf[op->rt] = c;
    env->fpscr = (env->fpscr & ~FPSCR_FPCC) | ((uint64_t)c << FPSCR_FPRF_SHIFT);
    if (s.flags) {
        /* A compare does not round: FR and FI keep their values. */
        uint64_t fr_fi = env->fpscr & (FPSCR_FR | FPSCR_FI);
        unsigned how = ppc_fp_result(env, s.flags, 0, PPC_FPRF_NONE);

        env->fpscr |= fr_fi;
        if (how & PPC_FP_TRAP) {
            ppc_raise_program(env, op, SRR1_PROGRAM_FP);
            return false;
        }
    }
    return true;
}

static bool fp_fcmpu(CPUPPCState *env, const PPCOp *op)
{
    return fp_cmp(env, op, false);
}

static bool fp_fcmpo(CPUPPCState *env, const PPCOp *op)
{
    return fp_cmp(env, op, true);
}

static const PPCOp *op_fcmpu(CPUPPCState *env, const PPCOp *op)
{
    return fp_fcmpu(env, op) ? PPC_NEXT(env, op) : NULL;
}

static const PPCOp *op_fcmpo(CPUPPCState *env, const PPCOp *op)
{
    return fp_fcmpo(env, op) ? PPC_NEXT(env, op) : NULL;
}

/*
 * ftdiv BF,FRA,FRB: whether a software divide needs care: fe_flag (an
 * operand is special or the exponents are extreme) and fg_flag (an
 * infinity, zero or denormal is involved).  CR[BF] = 0b1 fg fe 0.
 */
static const PPCOp *op_ftdiv(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->rt] = 8 | ppc_ftdiv_flags(&ppc_ftest_dp, FRA, FRB);
    return PPC_NEXT(env, op);
}

/* ftsqrt BF,FRB: the same for a software square root. */
static const PPCOp *op_ftsqrt(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->rt] = 8 | ppc_ftsqrt_flags(&ppc_ftest_dp, FRB, FRB >> 63);
    return PPC_NEXT(env, op);
}

/* fsel: FRC when FRA >= 0 (a zero of either sign counts, a NaN does not), else FRB. */
static const PPCOp *op_fsel(CPUPPCState *env, const PPCOp *op)
{
    uint64_t a = FRA;

    ppc_fp_set(env, op->rt,
               (!float64_is_any_nan(a) && (!float64_is_neg(a) || float64_is_zero(a))) ? FRC : FRB);
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    return PPC_NEXT(env, op);
}

/* ---- Decoding ----------------------------------------------------------------------- */

/*
 * Reserved fields are part of each definition's mask (they must be 0), so
 * a form with one set matches nothing here and is illegal.
 */
static bool decode_fp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    op->rc = INSN_RC(insn);
    if (INSN_RCBIT(insn)) {
        op->flags |= PPC_OPF_RC;
    }
    if (ppc_decode_facility(op, PPC_OPF_FP)) {
        op->fn = def->fn;
    }
    return true;
}

/* Compares and tests: BF (bits 6-8) instead of FRT. */
static bool decode_fp_bf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_fp(def, insn, op);
    op->rt = insn_field(insn, 6, 8);
    return true;
}

#define OPCD(po) ((uint32_t)(po) << 26)
#define A_MASK 0xfc00003eu
#define X_MASK 0xfc0007feu
/* Reserved fields */
#define R_FRA 0x001f0000u
#define R_FRB 0x0000f800u
#define R_FRC 0x000007c0u
#define R_RC 0x00000001u
#define R_BF 0x00600001u /* bits 9-10 after BF, and Rc */

#define A(name, po, xo, resv)                                                                      \
    {                                                                                              \
#name, OPCD(po) | (xo) << 1, A_MASK | (resv), decode_fp, op_##name, 0                      \
    }
#define X(name, po, xo, resv)                                                                      \
    {                                                                                              \
#name, OPCD(po) | (xo) << 1, X_MASK | (resv), decode_fp, op_##name, 0                      \
    }
#define XBF(name, po, xo, resv)                                                                    \
    {                                                                                              \
#name, OPCD(po) | (xo) << 1, X_MASK | (resv), decode_fp_bf, op_##name, 0                   \
    }

static const PPCInsnDef fp_arith_insns[] = {
    A(fdiv, 63, 18, R_FRC),
    A(fsub, 63, 20, R_FRC),
    A(fadd, 63, 21, R_FRC),
    A(fsqrt, 63, 22, R_FRA | R_FRC),
    A(fsel, 63, 23, 0),
    A(fre, 63, 24, R_FRA | R_FRC),
    A(fmul, 63, 25, R_FRB),
    A(frsqrte, 63, 26, R_FRA | R_FRC),
    A(fmsub, 63, 28, 0),
    A(fmadd, 63, 29, 0),
    A(fnmsub, 63, 30, 0),
    A(fnmadd, 63, 31, 0),
    A(fdivs, 59, 18, R_FRC),
    A(fsubs, 59, 20, R_FRC),
    A(fadds, 59, 21, R_FRC),
    A(fsqrts, 59, 22, R_FRA | R_FRC),
    A(fres, 59, 24, R_FRA | R_FRC),
    A(fmuls, 59, 25, R_FRB),
    A(frsqrtes, 59, 26, R_FRA | R_FRC),
    A(fmsubs, 59, 28, 0),
    A(fmadds, 59, 29, 0),
    A(fnmsubs, 59, 30, 0),
    A(fnmadds, 59, 31, 0),
    XBF(fcmpu, 63, 0, R_BF),
    XBF(fcmpo, 63, 32, R_BF),
    XBF(ftdiv, 63, 128, R_BF),
    XBF(ftsqrt, 63, 160, R_BF | R_FRA),
    X(frsp, 63, 12, R_FRA),
    X(fctiw, 63, 14, R_FRA),
    X(fctiwz, 63, 15, R_FRA),
    X(fctiwu, 63, 142, R_FRA),
    X(fctiwuz, 63, 143, R_FRA),
    X(fctid, 63, 814, R_FRA),
    X(fctidz, 63, 815, R_FRA),
    X(fctidu, 63, 942, R_FRA),
    X(fctiduz, 63, 943, R_FRA),
    X(fcfid, 63, 846, R_FRA),
    X(fcfidu, 63, 974, R_FRA),
    X(fcfids, 59, 846, R_FRA),
    X(fcfidus, 59, 974, R_FRA),
    X(frin, 63, 392, R_FRA),
    X(friz, 63, 424, R_FRA),
    X(frip, 63, 456, R_FRA),
    X(frim, 63, 488, R_FRA),
};

/* The JIT calls these directly (no step through the handler and the next op). */
static const struct {
    PPCOpFn *handler;
    PPCFpHelper *helper;
} fp_helpers[] = {
#define H(name)                                                                                    \
    {                                                                                              \
        op_##name, fp_##name                                                                       \
    }
    H(fadd),   H(fsub),    H(fmul),   H(fdiv),    H(fsqrt),   H(fadds),    H(fsubs),
    H(fmuls),  H(fdivs),   H(fsqrts), H(frsp),    H(fmadd),   H(fmsub),    H(fnmadd),
    H(fnmsub), H(fmadds),  H(fmsubs), H(fnmadds), H(fnmsubs), H(fcfid),    H(fcfidu),
    H(fcfids), H(fcfidus), H(fcmpu),  H(fcmpo),   H(frin),    H(friz),     H(frip),
    H(frim),   H(fctiw),   H(fctiwz), H(fctiwu),  H(fctiwuz), H(fctid),    H(fctidz),
    H(fctidu), H(fctiduz), H(fre),    H(fres),    H(frsqrte), H(frsqrtes),
#undef H
};

PPCFpHelper *ppc_fp_helper_of(PPCOpFn *handler)
{
    for (size_t i = 0; i < ARRAY_SIZE(fp_helpers); i++) {
        if (fp_helpers[i].handler == handler) {
            return fp_helpers[i].helper;
        }
    }
    return NULL;
}

PPCFpKind ppc_fp_kind_of(PPCOpFn *handler)
{
    return handler == op_fadd   ? PPC_FP_KIND_ADD
           : handler == op_fsub ? PPC_FP_KIND_SUB
           : handler == op_fmul ? PPC_FP_KIND_MUL
           : handler == op_fdiv ? PPC_FP_KIND_DIV
                                : PPC_FP_KIND_OTHER;
}

static void ppc_fp_arith_insns_register(void)
{
    ppc_insn_register(fp_arith_insns, ARRAY_SIZE(fp_arith_insns));
}

module_init(ppc_fp_arith_insns_register)

/*
 * VSX scalar floating point (Power ISA 3.0B Book I 7.6): double and single
 * arithmetic, multiply-add, min/max, compares, tests, conversions and
 * rounding on doubleword 0, and the FPSCR bookkeeping all VSX FP shares.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx-fp.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])
#define XA VsrD(A, 0)
#define XB VsrD(B, 0)
#define XT VsrD(T, 0)

/* FPSCR bits, ISA numbering */
#define FX PPC_BIT(32)
#define FEX PPC_BIT(33)
#define VX PPC_BIT(34)
#define OX PPC_BIT(35)
#define UX PPC_BIT(36)
#define ZX PPC_BIT(37)
#define XX PPC_BIT(38)
#define VXSNAN PPC_BIT(39)
#define VXISI PPC_BIT(40)
#define VXIDI PPC_BIT(41)
#define VXZDZ PPC_BIT(42)
#define VXIMZ PPC_BIT(43)
#define VXVC PPC_BIT(44)
#define FR PPC_BIT(45)
#define FI PPC_BIT(46)
#define FPRF_SHIFT 12
#define FPRF_MASK (0x1full << FPRF_SHIFT)
#define VXSOFT PPC_BIT(53)
#define VXSQRT PPC_BIT(54)
#define VXCVI PPC_BIT(55)
#define VE PPC_BIT(56)
#define OE PPC_BIT(57)
#define UE PPC_BIT(58)
#define ZE PPC_BIT(59)
#define XE PPC_BIT(60)
#define VX_ALL (VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI)

/* FPRF: C FL FG FE FU */
static unsigned fprf_class(bool neg, int cls)
{
    static const unsigned pos[] = { 0x02, 0x14, 0x04, 0x05, 0x11, 0x11 };
    static const unsigned negc[] = { 0x12, 0x18, 0x08, 0x09, 0x11, 0x11 };

    return neg ? negc[cls] : pos[cls];
}

static unsigned fprf_of(int fprf, uint64_t r, uint64_t r_lo)
{
    float128 q = { r, r_lo };

    switch (fprf) {
    case VSX_FPRF_SINGLE: {
        /* a binary32 value held as binary64: denormal below 2^-126 */
        uint64_t m = r & ~PPC_BIT(0);

        if (m && m < 0x3810000000000000ull) {
            return fprf_class(r >> 63, float_class_denormal);
        }
        return fprf_class(r >> 63, float64_classify(r));
    }
    case VSX_FPRF_QUAD:
        return fprf_class(r >> 63, float128_classify(q));
    default:
        return fprf_class(r >> 63, float64_classify(r));
    }
}

unsigned vsx_fp_finish(CPUPPCState *env, uint32_t sf, int fprf, uint64_t r, uint64_t r_lo)
{
    uint64_t old = env->fpscr, f = old, raised = 0;
    bool scalar = fprf != VSX_FPRF_VECTOR;
    bool enabled = false;
    unsigned how = VSX_FP_WRITE;

    /*
     * Scalar forms set FR and FI from this operation; vector forms leave
     * them alone but for an invalid-operation or zero-divide exception,
     * which clears both (as for scalars).
     */
    if (scalar || (sf & (float_flag_invalid | float_flag_divbyzero))) {
        f &= ~(FR | FI);
    }
    if (unlikely(sf & float_flag_invalid)) {
        raised |= (sf & float_flag_invalid_snan) ? VXSNAN : 0;
        raised |= (sf & float_flag_invalid_isi) ? VXISI : 0;
        raised |= (sf & float_flag_invalid_idi) ? VXIDI : 0;
        raised |= (sf & float_flag_invalid_zdz) ? VXZDZ : 0;
        raised |= (sf & float_flag_invalid_imz) ? VXIMZ : 0;
        raised |= (sf & float_flag_invalid_vc) ? VXVC : 0;
        raised |= (sf & float_flag_invalid_sqrt) ? VXSQRT : 0;
        raised |= (sf & float_flag_invalid_cvi) ? VXCVI : 0;
        if (f & VE) {
            enabled = true;
            how = 0;
        }
    }
    if (unlikely(sf & float_flag_divbyzero)) {
        raised |= ZX;
        if (f & ZE) {
            enabled = true;
            how = 0;
        }
    }
    if (sf & float_flag_overflow) {
        raised |= OX;
        enabled |= (f & OE) != 0;
    }
    if (sf & float_flag_underflow) {
        raised |= UX;
        enabled |= (f & UE) != 0;
    }
    if (sf & float_flag_inexact) {
        raised |= XX;
        enabled |= (f & XE) != 0;
    }
    if (scalar && how) {
        if (sf & float_flag_inexact) {
            f |= FI;
        }
        if (sf & float_flag_rounded_up) {
            f |= FR;
        }
        if (fprf >= VSX_FPRF_DOUBLE) {
            f = (f & ~FPRF_MASK) | ((uint64_t)fprf_of(fprf, r, r_lo) << FPRF_SHIFT);
        }
    }
    f |= raised;
    if (raised & ~old) {
        f |= FX;
    }
    f &= ~(FEX | VX);
    if (f & VX_ALL) {
        f |= VX;
    }
    if (((f >> (63 - 38)) & (f >> (63 - 60)) & 0x1f) || ((f & VX) && (f & VE))) {
        f |= FEX;
    }
    env->fpscr = f;
    if (enabled && (env->msr & (MSR_FE0 | MSR_FE1))) {
        how |= VSX_FP_TRAP;
    }
    return how;
}

/*
 * A scalar result r for doubleword 0 (doubleword 1 becomes 0, as QEMU 7.2
 * does; the ISA leaves it undefined).
 */
static inline const PPCOp *xs_done(CPUPPCState *env, const PPCOp *op, uint64_t r, uint32_t sf,
                                   int fprf)
{
    unsigned how = vsx_fp_finish(env, sf, fprf, r, 0);

    if (likely(how & VSX_FP_WRITE)) {
        XT = r;
        VsrD(T, 1) = 0;
    }
    if (unlikely(how & VSX_FP_TRAP)) {
        return vsx_fp_trap(env, op);
    }
    return PPC_NEXT(env, op);
}

#define XS_OP(name, expr, fprf)                                                                    \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = vsx_fp_status(env);                                                       \
        uint64_t r = (expr);                                                                       \
        return xs_done(env, op, r, s.flags, fprf);                                                 \
    }

#define D VSX_FPRF_DOUBLE
#define S VSX_FPRF_SINGLE

XS_OP(xsadddp, float64_add(XA, XB, &s), D)
XS_OP(xssubdp, float64_sub(XA, XB, &s), D)
XS_OP(xsmuldp, float64_mul(XA, XB, &s), D)
XS_OP(xsdivdp, float64_div(XA, XB, &s), D)
XS_OP(xssqrtdp, float64_sqrt(XB, &s), D)
XS_OP(xsaddsp, float64r32_add(XA, XB, &s), S)
XS_OP(xssubsp, float64r32_sub(XA, XB, &s), S)
XS_OP(xsmulsp, float64r32_mul(XA, XB, &s), S)
XS_OP(xsdivsp, float64r32_div(XA, XB, &s), S)
XS_OP(xssqrtsp, float64r32_sqrt(XB, &s), S)
XS_OP(xsrsp, float64r32_round(XB, &s), S)

/*
 * Estimates: QEMU 7.2 computes them exactly (1/x; 1/sqrt(x) as a square
 * root then a division) and so do we.
 */
static uint64_t rsqrt64(uint64_t b, float_status *s)
{
    uint64_t r = float64_sqrt(b, s);

    if (float64_is_any_nan(r)) {
        return r;
    }
    return float64_div(float64_one, r, s);
}

static uint64_t rsqrt64r32(uint64_t b, float_status *s)
{
    uint64_t r = float64_sqrt(b, s);

    if (float64_is_any_nan(r)) {
        return float64r32_round(r, s);
    }
    return float64r32_div(float64_one, r, s);
}

XS_OP(xsredp, float64_div(float64_one, XB, &s), D)
XS_OP(xsresp, float64r32_div(float64_one, XB, &s), S)
XS_OP(xsrsqrtedp, rsqrt64(XB, &s), D)
XS_OP(xsrsqrtesp, rsqrt64r32(XB, &s), S)

/*
 * Multiply-add.  A forms: XT = XA * XB + XT; M forms: XT = XA * XT + XB.
 * NaN precedence XA, then the addend, then the other multiplicand, which
 * is softfloat's muladd(a, b, c) order.
 */
#define XS_FMA(name, fn, fl, fprf)                                                                 \
    XS_OP(name##a, fn(XA, XB, XT, fl, &s), fprf)                                                   \
    XS_OP(name##m, fn(XA, XT, XB, fl, &s), fprf)

#define NEG_C float_muladd_negate_c
#define NEG_R float_muladd_negate_result

XS_FMA(xsmadd_dp, float64_muladd, 0, D)
XS_FMA(xsmsub_dp, float64_muladd, NEG_C, D)
XS_FMA(xsnmadd_dp, float64_muladd, NEG_R, D)
XS_FMA(xsnmsub_dp, float64_muladd, NEG_C | NEG_R, D)
XS_FMA(xsmadd_sp, float64r32_muladd, 0, S)
XS_FMA(xsmsub_sp, float64r32_muladd, NEG_C, S)
XS_FMA(xsnmadd_sp, float64r32_muladd, NEG_R, S)
XS_FMA(xsnmsub_sp, float64r32_muladd, NEG_C | NEG_R, S)

/* Rounding to an integral value; only xsrdpic reports inexact. */
static uint64_t round_int(uint64_t b, int mode, bool report_inexact, float_status *s)
{
    uint64_t r;

    if (mode >= 0) {
        s->rounding_mode = mode;
    }
    r = float64_round_to_int(b, s);
    if (!report_inexact) {
        s->flags &= ~(float_flag_inexact | float_flag_rounded_up);
    }
    return r;
}

XS_OP(xsrdpi, round_int(XB, float_round_ties_away, false, &s), D)
XS_OP(xsrdpic, round_int(XB, -1, true, &s), D)
XS_OP(xsrdpim, round_int(XB, float_round_down, false, &s), D)
XS_OP(xsrdpip, round_int(XB, float_round_up, false, &s), D)
XS_OP(xsrdpiz, round_int(XB, float_round_to_zero, false, &s), D)

/* ---- Conversions ---------------------------------------------------------- */

/* xscvdpsp: the single result in words 0 and 1 (QEMU 7.2), doubleword 1 zero. */
static const PPCOp *op_xscvdpsp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = vsx_fp_status(env);
    uint64_t w = float64_to_float32(XB, &s);
    unsigned how = vsx_fp_finish(env, s.flags, VSX_FPRF_SINGLE, float32_to_float64_raw(w), 0);

    if (likely(how & VSX_FP_WRITE)) {
        XT = w | (w << 32);
        VsrD(T, 1) = 0;
    }
    return unlikely(how & VSX_FP_TRAP) ? vsx_fp_trap(env, op) : PPC_NEXT(env, op);
}

/* The non-signalling forms: format changes without exceptions or FPSCR change. */
static const PPCOp *op_xscvdpspn(CPUPPCState *env, const PPCOp *op)
{
    uint64_t w = vsx_dp_to_sp(XB);

    XT = w | (w << 32);
    VsrD(T, 1) = 0;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xscvspdpn(CPUPPCState *env, const PPCOp *op)
{
    XT = vsx_sp_to_dp(VsrW(B, 0));
    VsrD(T, 1) = 0;
    return PPC_NEXT(env, op);
}

XS_OP(xscvspdp, float32_to_float64(VsrW(B, 0), &s), D)

/*
 * To integer, rounding toward zero, saturating (NaN: the most negative
 * value, 0 unsigned).  Word results fill both words of doubleword 0.
 */
static inline const PPCOp *cvt_int_done(CPUPPCState *env, const PPCOp *op, uint64_t r, uint32_t sf)
{
    return xs_done(env, op, r, sf, VSX_FPRF_NONE);
}

#define XS_CVT_INT(name, expr, word)                                                               \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = vsx_fp_status(env);                                                       \
        uint64_t r;                                                                                \
                                                                                                   \
        s.rounding_mode = float_round_to_zero;                                                     \
        r = (expr);                                                                                \
        if (word) {                                                                                \
            r = (uint32_t)r | (r << 32);                                                           \
        }                                                                                          \
        return cvt_int_done(env, op, r, s.flags);                                                  \
    }

XS_CVT_INT(xscvdpsxds, (uint64_t)float64_to_int64(XB, &s), false)
XS_CVT_INT(xscvdpuxds, float64_to_uint64(XB, &s), false)
XS_CVT_INT(xscvdpsxws, (uint32_t)float64_to_int32(XB, &s), true)
XS_CVT_INT(xscvdpuxws, float64_to_uint32(XB, &s), true)

XS_OP(xscvsxddp, int64_to_float64((int64_t)XB, &s), D)
XS_OP(xscvuxddp, uint64_to_float64(XB, &s), D)
XS_OP(xscvsxdsp, int64_to_float64r32((int64_t)XB, &s), S)
XS_OP(xscvuxdsp, uint64_to_float64r32(XB, &s), S)

/* ---- Maximum and minimum ------------------------------------------------------- */

XS_OP(xsmaxdp, float64_maxnum(XA, XB, &s), VSX_FPRF_VECTOR)
XS_OP(xsmindp, float64_minnum(XA, XB, &s), VSX_FPRF_VECTOR)

/*
 * xsmaxcdp/xsmincdp (the C "?:" forms), as QEMU 7.2: max gives XA unless
 * XA < XB or a NaN is involved, min gives XA only when XA < XB; otherwise
 * XB.  A signalling NaN sets VXSNAN.
 */
static const PPCOp *do_maxmin_c(CPUPPCState *env, const PPCOp *op, bool max)
{
    float_status s = vsx_fp_status(env);
    uint64_t a = XA, b = XB;
    FloatRelation rel = float64_compare_quiet(a, b, &s);
    bool first = max ? (rel == float_relation_greater || rel == float_relation_equal)
                     : rel == float_relation_less;

    return xs_done(env, op, first ? a : b, s.flags, VSX_FPRF_VECTOR);
}

static const PPCOp *op_xsmaxcdp(CPUPPCState *env, const PPCOp *op)
{
    return do_maxmin_c(env, op, true);
}

static const PPCOp *op_xsmincdp(CPUPPCState *env, const PPCOp *op)
{
    return do_maxmin_c(env, op, false);
}

/*
 * xsmaxjdp/xsminjdp (Java): a NaN operand is the result, unquieted (XA's
 * first); -0 < +0.
 */
static const PPCOp *do_maxmin_j(CPUPPCState *env, const PPCOp *op, bool max)
{
    uint64_t a = XA, b = XB, r;
    uint32_t sf = 0;

    if (float64_is_any_nan(a) || float64_is_any_nan(b)) {
        r = float64_is_any_nan(a) ? a : b;
        if (float64_is_signaling_nan(a) || float64_is_signaling_nan(b)) {
            sf = float_flag_invalid_snan;
        }
    } else if (float64_is_zero(a) && float64_is_zero(b)) {
        r = max ? (a & b) : (a | b);
    } else {
        float_status s = vsx_fp_status(env);
        bool less = float64_compare_quiet(a, b, &s) == float_relation_less;

        r = (max ? !less : less) ? a : b;
    }
    return xs_done(env, op, r, sf, VSX_FPRF_VECTOR);
}

static const PPCOp *op_xsmaxjdp(CPUPPCState *env, const PPCOp *op)
{
    return do_maxmin_j(env, op, true);
}

static const PPCOp *op_xsminjdp(CPUPPCState *env, const PPCOp *op)
{
    return do_maxmin_j(env, op, false);
}

/* ---- Compares ------------------------------------------------------------------- */

/*
 * xscmpudp/xscmpodp: CR field BF and FPCC.  Ordered: any NaN sets VXVC
 * (not for a signalling NaN when VE=1); both: a signalling NaN sets VXSNAN.
 * An enabled exception leaves CR and FPCC alone.
 */
static const PPCOp *do_cmp(CPUPPCState *env, const PPCOp *op, uint64_t a, uint64_t b, bool ordered,
                           bool quad, uint64_t alo, uint64_t blo)
{
    float_status s = vsx_fp_status(env);
    float128 qa = { a, alo }, qb = { b, blo };
    FloatRelation rel = quad ? float128_compare_quiet(qa, qb, &s) : float64_compare_quiet(a, b, &s);
    uint32_t sf = s.flags;
    unsigned crf, how;

    if (ordered && rel == float_relation_unordered &&
        !((sf & float_flag_invalid_snan) && (env->fpscr & VE))) {
        sf |= float_flag_invalid_vc;
    }
    how = vsx_fp_finish(env, sf, VSX_FPRF_VECTOR, 0, 0);
    if (how & VSX_FP_WRITE) {
        crf = rel == float_relation_less      ? CRF_LT
              : rel == float_relation_greater ? CRF_GT
              : rel == float_relation_equal   ? CRF_EQ
                                              : CRF_SO;
        env->crf[op->aux2] = crf;
        vsx_set_fpcc(env, crf);
    }
    return unlikely(how & VSX_FP_TRAP) ? vsx_fp_trap(env, op) : PPC_NEXT(env, op);
}

static const PPCOp *op_xscmpudp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, false, false, 0, 0);
}

static const PPCOp *op_xscmpodp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, true, false, 0, 0);
}

static const PPCOp *op_xscmpuqp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, false, true, VsrD(A, 1), VsrD(B, 1));
}

static const PPCOp *op_xscmpoqp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, true, true, VsrD(A, 1), VsrD(B, 1));
}

/*
 * xscmpeqdp/gtdp/gedp: an all-ones or zero mask in doubleword 0.  eq is
 * quiet; gt and ge signal VXVC for any NaN (not for a signalling NaN when
 * VE=1).  An enabled exception leaves XT alone.
 */
static const PPCOp *do_cmp_mask(CPUPPCState *env, const PPCOp *op, int want, bool ge, bool sig)
{
    float_status s = vsx_fp_status(env);
    FloatRelation rel = float64_compare_quiet(XA, XB, &s);
    uint32_t sf = s.flags;
    bool t = rel == want || (ge && rel == float_relation_equal);

    if (sig && rel == float_relation_unordered &&
        !((sf & float_flag_invalid_snan) && (env->fpscr & VE))) {
        sf |= float_flag_invalid_vc;
    }
    return xs_done(env, op, t ? ~0ull : 0, sf, VSX_FPRF_VECTOR);
}

static const PPCOp *op_xscmpeqdp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp_mask(env, op, float_relation_equal, false, false);
}

static const PPCOp *op_xscmpgtdp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp_mask(env, op, float_relation_greater, false, true);
}

static const PPCOp *op_xscmpgedp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp_mask(env, op, float_relation_greater, true, true);
}

/* ---- Tests for software divide and square root ------------------------------------ */

static inline int dp_exp(uint64_t d)
{
    return (int)((d >> 52) & 0x7ff) - 1023;
}

/* CR field BF = 0b1 || fg || fe || 0 (Book I 7.6: xstdivdp, xstsqrtdp). */
static bool tdiv_dp(uint64_t a, uint64_t b, bool *fg)
{
    bool fe = false;

    *fg = false;
    if (float64_is_infinity(a) || float64_is_infinity(b) || float64_is_zero(b)) {
        *fg = true;
        return true;
    }
    if (float64_is_any_nan(a) || float64_is_any_nan(b)) {
        fe = true;
    } else if (dp_exp(b) <= -1022 || dp_exp(b) >= 1023 - 2) {
        fe = true;
    } else if (!float64_is_zero(a) &&
               (dp_exp(a) - dp_exp(b) >= 1023 || dp_exp(a) - dp_exp(b) <= -1022 + 1 ||
                dp_exp(a) <= -1022 + 52)) {
        fe = true;
    }
    if (float64_is_zero(b) || float64_is_denormal(b)) {
        *fg = true;
    }
    return fe;
}

static bool tsqrt_dp(uint64_t b, bool *fg)
{
    bool fe = false;

    *fg = false;
    if (float64_is_infinity(b) || float64_is_zero(b)) {
        *fg = true;
        return true;
    }
    if (float64_is_any_nan(b) || float64_is_neg(b) || dp_exp(b) <= -1022 + 52) {
        fe = true;
    }
    if (float64_is_denormal(b)) {
        *fg = true;
    }
    return fe;
}

static const PPCOp *op_xstdivdp(CPUPPCState *env, const PPCOp *op)
{
    bool fg, fe = tdiv_dp(XA, XB, &fg);

    env->crf[op->aux2] = 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xstsqrtdp(CPUPPCState *env, const PPCOp *op)
{
    bool fg, fe = tsqrt_dp(XB, &fg);

    env->crf[op->aux2] = 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
    return PPC_NEXT(env, op);
}

/* ---- Decoders and table ------------------------------------------------------------- */

/* BF in bits 6-8 (compares, tests). */
static bool decode_xx_bf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    return true;
}

/* xscmpudp/xscmpodp: BF; bit 31 reserved (set: invalid, as in QEMU 7.2). */
static bool decode_xx_bf_nor(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return !INSN_RCBIT(insn) && decode_xx_bf(def, insn, op);
}

/* Quad-precision compares: BF, VRA, VRB; bits 9-10 and 31 reserved. */
static bool decode_qp_cmp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (insn_field(insn, 9, 10) || INSN_RCBIT(insn)) {
        return false;
    }
    vsx_decode_vr(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    return true;
}

#define XX3(name, xo)                                                                              \
    {                                                                                              \
#name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, op_##name, 0                              \
    }
#define XX2(name, xo)                                                                              \
    {                                                                                              \
#name, VSX_XX2(xo), VSX_XX2_MASK, vsx_decode_xx, op_##name, 0                              \
    }
#define FMA_ROWS(name, xo) XX3(name##a, xo), XX3(name##m, (xo) + 8)

static const PPCInsnDef vsx_fp_insns[] = {
    XX3(xsadddp, 32),
    XX3(xssubdp, 40),
    XX3(xsmuldp, 48),
    XX3(xsdivdp, 56),
    XX2(xssqrtdp, 75),
    XX3(xsaddsp, 0),
    XX3(xssubsp, 8),
    XX3(xsmulsp, 16),
    XX3(xsdivsp, 24),
    XX2(xssqrtsp, 11),
    XX2(xsrsp, 281),
    XX2(xsredp, 90),
    XX2(xsresp, 26),
    XX2(xsrsqrtedp, 74),
    XX2(xsrsqrtesp, 10),
    FMA_ROWS(xsmadd_dp, 33),
    FMA_ROWS(xsmsub_dp, 49),
    FMA_ROWS(xsnmadd_dp, 161),
    FMA_ROWS(xsnmsub_dp, 177),
    FMA_ROWS(xsmadd_sp, 1),
    FMA_ROWS(xsmsub_sp, 17),
    FMA_ROWS(xsnmadd_sp, 129),
    FMA_ROWS(xsnmsub_sp, 145),
    XX2(xsrdpi, 73),
    XX2(xsrdpic, 107),
    XX2(xsrdpim, 121),
    XX2(xsrdpip, 105),
    XX2(xsrdpiz, 89),
    XX2(xscvdpsp, 265),
    XX2(xscvdpspn, 267),
    XX2(xscvspdp, 329),
    XX2(xscvspdpn, 331),
    XX2(xscvdpsxds, 344),
    XX2(xscvdpuxds, 328),
    XX2(xscvdpsxws, 88),
    XX2(xscvdpuxws, 72),
    XX2(xscvsxddp, 376),
    XX2(xscvuxddp, 360),
    XX2(xscvsxdsp, 312),
    XX2(xscvuxdsp, 296),
    XX3(xsmaxdp, 160),
    XX3(xsmindp, 168),
    XX3(xsmaxcdp, 128),
    XX3(xsmincdp, 136),
    XX3(xsmaxjdp, 144),
    XX3(xsminjdp, 152),
    { "xscmpudp", VSX_XX3(35), VSX_XX3_MASK, decode_xx_bf_nor, op_xscmpudp, 0 },
    { "xscmpodp", VSX_XX3(43), VSX_XX3_MASK, decode_xx_bf_nor, op_xscmpodp, 0 },
    { "xscmpuqp", VSX_X(63, 644), VSX_X_MASK, decode_qp_cmp, op_xscmpuqp, 0 },
    { "xscmpoqp", VSX_X(63, 132), VSX_X_MASK, decode_qp_cmp, op_xscmpoqp, 0 },
    XX3(xscmpeqdp, 3),
    XX3(xscmpgtdp, 11),
    XX3(xscmpgedp, 19),
    { "xstdivdp", VSX_XX3(61), VSX_XX3_MASK, decode_xx_bf, op_xstdivdp, 0 },
    { "xstsqrtdp", VSX_XX2(106), VSX_XX2_MASK, decode_xx_bf, op_xstsqrtdp, 0 },
};

static void ppc_vsx_fp_register(void)
{
    ppc_insn_register(vsx_fp_insns, ARRAY_SIZE(vsx_fp_insns));
}

module_init(ppc_vsx_fp_register)

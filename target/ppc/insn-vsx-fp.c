/*
 * VSX scalar floating point (Power ISA 3.0B Book I 7.6): double and single
 * arithmetic, multiply-add, min/max, compares, tests, conversions and
 * rounding on doubleword 0.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx-fp.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])
#define XA VsrD(A, 0)
#define XB VsrD(B, 0)
#define XT VsrD(T, 0)

/*
 * A scalar result r for doubleword 0 (doubleword 1 becomes 0, as QEMU 7.2
 * does; the ISA leaves it undefined); false after the FP-enabled program
 * interrupt.
 */
static inline bool xs_finish(CPUPPCState *env, const PPCOp *op, uint64_t r, uint32_t sf, int fprf)
{
    unsigned how = ppc_fp_result(env, sf, r, fprf);

    if (likely(how & PPC_FP_WRITE)) {
        XT = r;
        VsrD(T, 1) = 0;
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        vsx_fp_trap(env, op);
        return false;
    }
    return true;
}

static inline const PPCOp *xs_done(CPUPPCState *env, const PPCOp *op, uint64_t r, uint32_t sf,
                                   int fprf)
{
    return xs_finish(env, op, r, sf, fprf) ? PPC_NEXT(env, op) : NULL;
}

/*
 * xs_NAME runs the instruction (false: it raised an interrupt), for the
 * JIT's direct calls (vsx_fp_helper_of); op_NAME is its handler.
 */
#define XS_HANDLER(name)                                                                           \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return xs_##name(env, op) ? PPC_NEXT(env, op) : NULL;                                      \
    }

#define XS_OP(name, expr, fprf)                                                                    \
    static bool xs_##name(CPUPPCState *env, const PPCOp *op)                                       \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        uint64_t r = (expr);                                                                       \
        return xs_finish(env, op, r, s.flags, fprf);                                               \
    }                                                                                              \
    XS_HANDLER(name)

#define D PPC_FPRF_DOUBLE
#define S PPC_FPRF_SINGLE

XS_OP(xsadddp, float64_add(XA, XB, &s), D)
XS_OP(xssubdp, float64_sub(XA, XB, &s), D)
XS_OP(xsmuldp, float64_mul(XA, XB, &s), D)
XS_OP(xsdivdp, float64_div(XA, XB, &s), D)
XS_OP(xssqrtdp, float64_sqrt(XB, &s), D)
/*
 * Single-precision arithmetic rounds the binary64 result to binary32.  For
 * operands representable in single precision (the only ones the ISA
 * defines results for) that equals rounding the exact result once: p = 53
 * >= 2 * 24 + 2 makes double rounding innocuous for + - * / and sqrt, in
 * every mode.  For other operands it gives QEMU 7.2's results.  FR comes
 * from the final rounding.
 */
static uint64_t round_sp(uint64_t d, float_status *s)
{
    uint32_t first = s->flags & ~float_flag_rounded_up;
    uint64_t r;

    s->flags = 0;
    r = float64r32_round(d, s);
    s->flags |= first;
    return r;
}

XS_OP(xsaddsp, round_sp(float64_add(XA, XB, &s), &s), S)
XS_OP(xssubsp, round_sp(float64_sub(XA, XB, &s), &s), S)
XS_OP(xsmulsp, round_sp(float64_mul(XA, XB, &s), &s), S)
XS_OP(xsdivsp, round_sp(float64_div(XA, XB, &s), &s), S)
XS_OP(xssqrtsp, round_sp(float64_sqrt(XB, &s), &s), S)
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
static bool xs_xscvdpsp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    uint64_t w = float64_to_float32(XB, &s);
    unsigned how = ppc_fp_result(env, s.flags, float32_to_float64_raw(w), PPC_FPRF_SINGLE);

    if (likely(how & PPC_FP_WRITE)) {
        XT = w | (w << 32);
        VsrD(T, 1) = 0;
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        vsx_fp_trap(env, op);
        return false;
    }
    return true;
}
XS_HANDLER(xscvdpsp)

/* The non-signalling forms: format changes without exceptions or FPSCR change. */
static bool xs_xscvdpspn(CPUPPCState *env, const PPCOp *op)
{
    uint64_t w = float64_to_float32_raw(XB);

    XT = w | (w << 32);
    VsrD(T, 1) = 0;
    return true;
}
XS_HANDLER(xscvdpspn)

static bool xs_xscvspdpn(CPUPPCState *env, const PPCOp *op)
{
    XT = float32_to_float64_raw(VsrW(B, 0));
    VsrD(T, 1) = 0;
    return true;
}
XS_HANDLER(xscvspdpn)

XS_OP(xscvspdp, float32_to_float64(VsrW(B, 0), &s), D)

/*
 * To integer, rounding toward zero, saturating (NaN: the most negative
 * value, 0 unsigned).  Word results fill both words of doubleword 0.
 */
#define XS_CVT_INT(name, expr, word)                                                               \
    static bool xs_##name(CPUPPCState *env, const PPCOp *op)                                       \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        uint64_t r;                                                                                \
                                                                                                   \
        s.rounding_mode = float_round_to_zero;                                                     \
        r = (expr);                                                                                \
        if (word) {                                                                                \
            r = (uint32_t)r | (r << 32);                                                           \
        }                                                                                          \
        return xs_finish(env, op, r, s.flags, PPC_FPRF_NONE);                                      \
    }                                                                                              \
    XS_HANDLER(name)

XS_CVT_INT(xscvdpsxds, (uint64_t)float64_to_int64(XB, &s), false)
XS_CVT_INT(xscvdpuxds, float64_to_uint64(XB, &s), false)
XS_CVT_INT(xscvdpsxws, (uint32_t)float64_to_int32(XB, &s), true)
XS_CVT_INT(xscvdpuxws, float64_to_uint32(XB, &s), true)

XS_OP(xscvsxddp, int64_to_float64((int64_t)XB, &s), D)
XS_OP(xscvuxddp, uint64_to_float64(XB, &s), D)
XS_OP(xscvsxdsp, int64_to_float64r32((int64_t)XB, &s), S)
XS_OP(xscvuxdsp, uint64_to_float64r32(XB, &s), S)

/* ---- Maximum and minimum ------------------------------------------------------- */

XS_OP(xsmaxdp, float64_maxnum(XA, XB, &s), PPC_FPRF_VECTOR)
XS_OP(xsmindp, float64_minnum(XA, XB, &s), PPC_FPRF_VECTOR)

/*
 * xsmaxcdp/xsmincdp (the C "?:" forms), as QEMU 7.2: max gives XA unless
 * XA < XB or a NaN is involved, min gives XA only when XA < XB; otherwise
 * XB.  A signalling NaN sets VXSNAN.
 */
static const PPCOp *do_maxmin_c(CPUPPCState *env, const PPCOp *op, bool max)
{
    float_status s = ppc_fp_status(env);
    uint64_t a = XA, b = XB;
    FloatRelation rel = float64_compare_quiet(a, b, &s);
    bool first = max ? (rel == float_relation_greater || rel == float_relation_equal)
                     : rel == float_relation_less;

    return xs_done(env, op, first ? a : b, s.flags, PPC_FPRF_VECTOR);
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
        /* only the NaN returned signals (QEMU 7.2: a qNaN XA hides an sNaN XB) */
        r = float64_is_any_nan(a) ? a : b;
        if (float64_is_signaling_nan(r)) {
            sf = float_flag_invalid_snan;
        }
    } else if (float64_is_zero(a) && float64_is_zero(b)) {
        r = max ? (a & b) : (a | b);
    } else {
        float_status s = ppc_fp_status(env);
        bool less = float64_compare_quiet(a, b, &s) == float_relation_less;

        r = (max ? !less : less) ? a : b;
    }
    return xs_done(env, op, r, sf, PPC_FPRF_VECTOR);
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
static bool do_cmp(CPUPPCState *env, const PPCOp *op, uint64_t a, uint64_t b, bool ordered,
                   bool quad, uint64_t alo, uint64_t blo)
{
    float_status s = ppc_fp_status(env);
    float128 qa = { a, alo }, qb = { b, blo };
    FloatRelation rel = quad ? float128_compare_quiet(qa, qb, &s) : float64_compare_quiet(a, b, &s);
    uint32_t sf = s.flags;
    unsigned crf, how;

    if (ordered && rel == float_relation_unordered &&
        !((sf & float_flag_invalid_snan) && (env->fpscr & FPSCR_VE))) {
        sf |= float_flag_invalid_vc;
    }
    how = ppc_fp_result(env, sf, 0, PPC_FPRF_VECTOR);
    if (how & PPC_FP_WRITE) {
        crf = rel == float_relation_less      ? CRF_LT
              : rel == float_relation_greater ? CRF_GT
              : rel == float_relation_equal   ? CRF_EQ
                                              : CRF_SO;
        env->crf[op->aux2] = crf;
        vsx_set_fpcc(env, crf);
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        vsx_fp_trap(env, op);
        return false;
    }
    return true;
}

static bool xs_xscmpudp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, false, false, 0, 0);
}
XS_HANDLER(xscmpudp)

static bool xs_xscmpodp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, true, false, 0, 0);
}
XS_HANDLER(xscmpodp)

static bool xs_xscmpuqp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, false, true, VsrD(A, 1), VsrD(B, 1));
}
XS_HANDLER(xscmpuqp)

static bool xs_xscmpoqp(CPUPPCState *env, const PPCOp *op)
{
    return do_cmp(env, op, XA, XB, true, true, VsrD(A, 1), VsrD(B, 1));
}
XS_HANDLER(xscmpoqp)

/*
 * xscmpeqdp/gtdp/gedp: an all-ones or zero mask in doubleword 0.  eq is
 * quiet; gt and ge signal VXVC for any NaN (not for a signalling NaN when
 * VE=1).  An enabled exception leaves XT alone.
 */
static const PPCOp *do_cmp_mask(CPUPPCState *env, const PPCOp *op, int want, bool ge, bool sig)
{
    float_status s = ppc_fp_status(env);
    FloatRelation rel = float64_compare_quiet(XA, XB, &s);
    uint32_t sf = s.flags;
    bool t = rel == want || (ge && rel == float_relation_equal);

    if (sig && rel == float_relation_unordered &&
        !((sf & float_flag_invalid_snan) && (env->fpscr & FPSCR_VE))) {
        sf |= float_flag_invalid_vc;
    }
    return xs_done(env, op, t ? ~0ull : 0, sf, PPC_FPRF_VECTOR);
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

static const PPCOp *op_xstdivdp(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->aux2] = 8 | ppc_ftdiv_flags(&ppc_ftest_dp, XA, XB);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xstsqrtdp(CPUPPCState *env, const PPCOp *op)
{
    env->crf[op->aux2] = 8 | ppc_ftsqrt_flags(&ppc_ftest_dp, XB, XB >> 63);
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
/* Power ISA 3.0 instructions: illegal on POWER8. */
#define XX3_300(name, xo)                                                                          \
    {                                                                                              \
#name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, op_##name, PPC_INSN_ISA300                \
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
    XX3_300(xsmaxcdp, 128),
    XX3_300(xsmincdp, 136),
    XX3_300(xsmaxjdp, 144),
    XX3_300(xsminjdp, 152),
    { "xscmpudp", VSX_XX3(35), VSX_XX3_MASK, decode_xx_bf_nor, op_xscmpudp, 0 },
    { "xscmpodp", VSX_XX3(43), VSX_XX3_MASK, decode_xx_bf_nor, op_xscmpodp, 0 },
    { "xscmpuqp", VSX_X(63, 644), VSX_X_MASK, decode_qp_cmp, op_xscmpuqp, PPC_INSN_ISA300 },
    { "xscmpoqp", VSX_X(63, 132), VSX_X_MASK, decode_qp_cmp, op_xscmpoqp, PPC_INSN_ISA300 },
    XX3_300(xscmpeqdp, 3),
    XX3_300(xscmpgtdp, 11),
    XX3_300(xscmpgedp, 19),
    { "xstdivdp", VSX_XX3(61), VSX_XX3_MASK, decode_xx_bf, op_xstdivdp, 0 },
    { "xstsqrtdp", VSX_XX2(106), VSX_XX2_MASK, decode_xx_bf, op_xstsqrtdp, 0 },
};

/* The JIT calls these directly (no step through the handler and the next op). */
static const struct {
    PPCOpFn *handler;
    PPCFpHelper *helper;
} xs_helpers[] = {
#define H(name)                                                                                    \
    {                                                                                              \
        op_##name, xs_##name                                                                       \
    }
    H(xsadddp),     H(xssubdp),     H(xsmuldp),     H(xsdivdp),     H(xssqrtdp),    H(xsaddsp),
    H(xssubsp),     H(xsmulsp),     H(xsdivsp),     H(xssqrtsp),    H(xsrsp),       H(xsmadd_dpa),
    H(xsmadd_dpm),  H(xsmsub_dpa),  H(xsmsub_dpm),  H(xsnmadd_dpa), H(xsnmadd_dpm), H(xsnmsub_dpa),
    H(xsnmsub_dpm), H(xsmadd_spa),  H(xsmadd_spm),  H(xsmsub_spa),  H(xsmsub_spm),  H(xsnmadd_spa),
    H(xsnmadd_spm), H(xsnmsub_spa), H(xsnmsub_spm), H(xsrdpi),      H(xsrdpic),     H(xsrdpim),
    H(xsrdpip),     H(xsrdpiz),     H(xscvdpsp),    H(xscvdpspn),   H(xscvspdp),    H(xscvspdpn),
    H(xscvdpsxds),  H(xscvdpuxds),  H(xscvdpsxws),  H(xscvdpuxws),  H(xscvsxddp),   H(xscvuxddp),
    H(xscvsxdsp),   H(xscvuxdsp),   H(xsmaxdp),     H(xsmindp),     H(xscmpudp),    H(xscmpodp),
#undef H
};

PPCFpHelper *vsx_fp_helper_of(PPCOpFn *handler)
{
    for (size_t i = 0; i < ARRAY_SIZE(xs_helpers); i++) {
        if (xs_helpers[i].handler == handler) {
            return xs_helpers[i].helper;
        }
    }
    return NULL;
}

static void ppc_vsx_fp_register(void)
{
    ppc_insn_register(vsx_fp_insns, ARRAY_SIZE(vsx_fp_insns));
}

module_init(ppc_vsx_fp_register)

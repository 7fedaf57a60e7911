/*
 * VSX vector floating point (Power ISA 3.0B Book I 7.6): two binary64 or
 * four binary32 elements per register; arithmetic, multiply-add, min/max,
 * compares (with Rc), tests, conversions and rounding.  Vector forms leave
 * FR, FI and FPRF alone; an enabled invalid or zero-divide exception in any
 * element leaves XT unchanged.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx-fp.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])

static inline const PPCOp *xv_done(CPUPPCState *env, const PPCOp *op, const ppc_vsr_t *r,
                                   uint32_t sf)
{
    unsigned how = ppc_fp_result(env, sf, 0, PPC_FPRF_VECTOR);

    if (likely(how & PPC_FP_WRITE)) {
        *T = *r;
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        return vsx_fp_trap(env, op);
    }
    return PPC_NEXT(env, op);
}

/*
 * Element loops: i over the n elements that elem (VsrD: doublewords, VsrW:
 * words) picks; a, b, t the operands.
 */
#define XV_LOOP(name, n, elem, expr)                                                               \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        ppc_vsr_t a = *A, b = *B, t = *T, r;                                                       \
        (void)a;                                                                                   \
        (void)t;                                                                                   \
        for (int i = 0; i < (n); i++) {                                                            \
            elem(&r, i) = (expr);                                                                  \
        }                                                                                          \
        return xv_done(env, op, &r, s.flags);                                                      \
    }
#define XV_LOOP_D(name, expr) XV_LOOP(name, 2, VsrD, expr)
#define XV_LOOP_W(name, expr) XV_LOOP(name, 4, VsrW, expr)

#define AD VsrD(&a, i)
#define BD VsrD(&b, i)
#define TD VsrD(&t, i)
#define AW VsrW(&a, i)
#define BW VsrW(&b, i)
#define TW VsrW(&t, i)

XV_LOOP_D(xvadddp, float64_add(AD, BD, &s))
XV_LOOP_D(xvsubdp, float64_sub(AD, BD, &s))
XV_LOOP_D(xvmuldp, float64_mul(AD, BD, &s))
XV_LOOP_D(xvdivdp, float64_div(AD, BD, &s))
XV_LOOP_D(xvsqrtdp, float64_sqrt(BD, &s))
XV_LOOP_D(xvredp, float64_div(float64_one, BD, &s))
XV_LOOP_D(xvmaxdp, float64_maxnum(AD, BD, &s))
XV_LOOP_D(xvmindp, float64_minnum(AD, BD, &s))
XV_LOOP_W(xvaddsp, float32_add(AW, BW, &s))
XV_LOOP_W(xvsubsp, float32_sub(AW, BW, &s))
XV_LOOP_W(xvmulsp, float32_mul(AW, BW, &s))
XV_LOOP_W(xvdivsp, float32_div(AW, BW, &s))
XV_LOOP_W(xvsqrtsp, float32_sqrt(BW, &s))
XV_LOOP_W(xvresp, float32_div(float32_one, BW, &s))
XV_LOOP_W(xvmaxsp, float32_maxnum(AW, BW, &s))
XV_LOOP_W(xvminsp, float32_minnum(AW, BW, &s))

static uint64_t rsqrt64(uint64_t b, float_status *s)
{
    uint64_t r = float64_sqrt(b, s);

    return float64_is_any_nan(r) ? r : float64_div(float64_one, r, s);
}

static uint32_t rsqrt32(uint32_t b, float_status *s)
{
    uint32_t r = float32_sqrt(b, s);

    return float32_is_any_nan(r) ? r : float32_div(float32_one, r, s);
}

XV_LOOP_D(xvrsqrtedp, rsqrt64(BD, &s))
XV_LOOP_W(xvrsqrtesp, rsqrt32(BW, &s))

/* A forms: XT = XA * XB + XT; M forms: XT = XA * XT + XB. */
#define NEG_C float_muladd_negate_c
#define NEG_R float_muladd_negate_result
#define XV_FMA(name, fl)                                                                           \
    XV_LOOP_D(name##adp, float64_muladd(AD, BD, TD, fl, &s))                                       \
    XV_LOOP_D(name##mdp, float64_muladd(AD, TD, BD, fl, &s))                                       \
    XV_LOOP_W(name##asp, float32_muladd(AW, BW, TW, fl, &s))                                       \
    XV_LOOP_W(name##msp, float32_muladd(AW, TW, BW, fl, &s))

XV_FMA(xvmadd, 0)
XV_FMA(xvmsub, NEG_C)
XV_FMA(xvnmadd, NEG_R)
XV_FMA(xvnmsub, NEG_C | NEG_R)

/*
 * Rounding to integral values: only the "c" forms (current mode, mode < 0)
 * report inexact.  round64/round32 for binary64/binary32 elements.
 */
#define ROUND_INT(bits)                                                                            \
    static uint##bits##_t round##bits(uint##bits##_t b, int mode, float_status *s)                 \
    {                                                                                              \
        uint32_t keep = s->flags;                                                                  \
        uint##bits##_t r;                                                                          \
        if (mode < 0) {                                                                            \
            return float##bits##_round_to_int(b, s);                                               \
        }                                                                                          \
        s->rounding_mode = mode;                                                                   \
        r = float##bits##_round_to_int(b, s);                                                      \
        s->flags = keep | (s->flags & ~(float_flag_inexact | float_flag_rounded_up));              \
        return r;                                                                                  \
    }

ROUND_INT(64)
ROUND_INT(32)

XV_LOOP_D(xvrdpi, round64(BD, float_round_ties_away, &s))
XV_LOOP_D(xvrdpic, round64(BD, -1, &s))
XV_LOOP_D(xvrdpim, round64(BD, float_round_down, &s))
XV_LOOP_D(xvrdpip, round64(BD, float_round_up, &s))
XV_LOOP_D(xvrdpiz, round64(BD, float_round_to_zero, &s))
XV_LOOP_W(xvrspi, round32(BW, float_round_ties_away, &s))
XV_LOOP_W(xvrspic, round32(BW, -1, &s))
XV_LOOP_W(xvrspim, round32(BW, float_round_down, &s))
XV_LOOP_W(xvrspip, round32(BW, float_round_up, &s))
XV_LOOP_W(xvrspiz, round32(BW, float_round_to_zero, &s))

/* ---- Conversions ------------------------------------------------------------- */

/* Doubleword element i from/to word 2i (the odd words get a copy, as QEMU 7.2). */
#define W2 VsrW(&b, 2 * (i >> 1))
#define W2I (i >> 1)

static const PPCOp *op_xvcvspdp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    ppc_vsr_t b = *B, r;

    for (int i = 0; i < 2; i++) {
        VsrD(&r, i) = float32_to_float64(VsrW(&b, 2 * i), &s);
    }
    return xv_done(env, op, &r, s.flags);
}

/* Each doubleword's 32-bit result fills both of its words. */
#define XV_D_TO_W(name, expr)                                                                      \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        ppc_vsr_t b = *B, r;                                                                       \
        for (int i = 0; i < 2; i++) {                                                              \
            uint64_t bd = VsrD(&b, i), w;                                                          \
            (void)bd;                                                                              \
            w = (uint32_t)(expr);                                                                  \
            VsrD(&r, i) = w | (w << 32);                                                           \
        }                                                                                          \
        return xv_done(env, op, &r, s.flags);                                                      \
    }

/* Doubleword results from words 0 and 2. */
#define XV_W_TO_D(name, expr)                                                                      \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        ppc_vsr_t b = *B, r;                                                                       \
        for (int i = 0; i < 2; i++) {                                                              \
            uint32_t bw = VsrW(&b, 2 * i);                                                         \
            VsrD(&r, i) = (expr);                                                                  \
        }                                                                                          \
        return xv_done(env, op, &r, s.flags);                                                      \
    }

#define RZ (s.rounding_mode = float_round_to_zero)

XV_D_TO_W(xvcvdpsp, float64_to_float32(bd, &s))
XV_D_TO_W(xvcvdpsxws, (RZ, float64_to_int32(bd, &s)))
XV_D_TO_W(xvcvdpuxws, (RZ, float64_to_uint32(bd, &s)))
XV_D_TO_W(xvcvsxdsp, int64_to_float32((int64_t)bd, &s))
XV_D_TO_W(xvcvuxdsp, uint64_to_float32(bd, &s))
XV_W_TO_D(xvcvspsxds, (RZ, (uint64_t)float32_to_int64(bw, &s)))
XV_W_TO_D(xvcvspuxds, (RZ, float32_to_uint64(bw, &s)))
XV_W_TO_D(xvcvsxwdp, int32_to_float64((int32_t)bw, &s))
XV_W_TO_D(xvcvuxwdp, uint32_to_float64(bw, &s))
XV_LOOP_D(xvcvdpsxds, (RZ, (uint64_t)float64_to_int64(BD, &s)))
XV_LOOP_D(xvcvdpuxds, (RZ, float64_to_uint64(BD, &s)))
XV_LOOP_D(xvcvsxddp, int64_to_float64((int64_t)BD, &s))
XV_LOOP_D(xvcvuxddp, uint64_to_float64(BD, &s))
XV_LOOP_W(xvcvspsxws, (RZ, (uint32_t)float32_to_int32(BW, &s)))
XV_LOOP_W(xvcvspuxws, (RZ, float32_to_uint32(BW, &s)))
XV_LOOP_W(xvcvsxwsp, int32_to_float32((int32_t)BW, &s))
XV_LOOP_W(xvcvuxwsp, uint32_to_float32(BW, &s))

/* ---- Compares ------------------------------------------------------------------ */

/*
 * Each element: all ones when the relation holds, else zeros (a NaN
 * operand gives zeros, also for "not equal", as QEMU 7.2).  eq and ne are
 * quiet; ge and gt also set VXVC for any NaN.  Rc: CR6 = all true || 0 ||
 * all false || 0.
 */
enum { CMP_EQ, CMP_GT, CMP_GE, CMP_NE };

static inline bool cmp_holds(FloatRelation rel, int kind)
{
    switch (kind) {
    case CMP_EQ:
        return rel == float_relation_equal;
    case CMP_GT:
        return rel == float_relation_greater;
    case CMP_GE:
        return rel == float_relation_greater || rel == float_relation_equal;
    default:
        return rel == float_relation_less || rel == float_relation_greater;
    }
}

static const PPCOp *do_xvcmp(CPUPPCState *env, const PPCOp *op, int kind, bool sp)
{
    float_status s = ppc_fp_status(env);
    ppc_vsr_t a = *A, b = *B, r;
    bool all_true = true, all_false = true;
    unsigned n = sp ? 4 : 2;
    unsigned how;

    for (unsigned i = 0; i < n; i++) {
        FloatRelation rel = sp ? float32_compare_quiet(VsrW(&a, i), VsrW(&b, i), &s)
                               : float64_compare_quiet(VsrD(&a, i), VsrD(&b, i), &s);
        bool t = cmp_holds(rel, kind);

        if (rel == float_relation_unordered && (kind == CMP_GT || kind == CMP_GE)) {
            s.flags |= float_flag_invalid_vc;
        }
        if (sp) {
            VsrW(&r, i) = t ? ~0u : 0;
        } else {
            VsrD(&r, i) = t ? ~0ull : 0;
        }
        all_true &= t;
        all_false &= !t;
    }
    how = ppc_fp_result(env, s.flags, 0, PPC_FPRF_VECTOR);
    if (likely(how & PPC_FP_WRITE)) {
        *T = r;
        if (op->flags & PPC_OPF_RC) {
            env->crf[6] = (all_true ? 8 : 0) | (all_false ? 2 : 0);
        }
    }
    return unlikely(how & PPC_FP_TRAP) ? vsx_fp_trap(env, op) : PPC_NEXT(env, op);
}

#define XV_CMP(name, kind, sp)                                                                     \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return do_xvcmp(env, op, kind, sp);                                                        \
    }

XV_CMP(xvcmpeqdp, CMP_EQ, false)
XV_CMP(xvcmpgtdp, CMP_GT, false)
XV_CMP(xvcmpgedp, CMP_GE, false)
XV_CMP(xvcmpnedp, CMP_NE, false)
XV_CMP(xvcmpeqsp, CMP_EQ, true)
XV_CMP(xvcmpgtsp, CMP_GT, true)
XV_CMP(xvcmpgesp, CMP_GE, true)
XV_CMP(xvcmpnesp, CMP_NE, true)

/* ---- Tests for software divide and square root ------------------------------------ */

/* CR field BF = 0b1 || fg || fe || 0, fg and fe ORed over the elements. */
#define XV_TEST(name, n, expr)                                                                     \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        unsigned cr = 8;                                                                           \
        for (int i = 0; i < (n); i++) {                                                            \
            cr |= (expr);                                                                          \
        }                                                                                          \
        env->crf[op->aux2] = cr;                                                                   \
        return PPC_NEXT(env, op);                                                                  \
    }

XV_TEST(xvtdivdp, 2, ppc_ftdiv_flags(&ppc_ftest_dp, VsrD(A, i), VsrD(B, i)))
XV_TEST(xvtdivsp, 4, ppc_ftdiv_flags(&ppc_ftest_sp, VsrW(A, i), VsrW(B, i)))
XV_TEST(xvtsqrtdp, 2, ppc_ftsqrt_flags(&ppc_ftest_dp, VsrD(B, i), VsrD(B, i) >> 63))
XV_TEST(xvtsqrtsp, 4, ppc_ftsqrt_flags(&ppc_ftest_sp, VsrW(B, i), VsrW(B, i) >> 31))

/* ---- Decoders and table ------------------------------------------------------------- */

static bool decode_xx_bf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    return true;
}

/* Compares: Rc is bit 21. */
static bool decode_xx_rc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    if (insn_field(insn, 21, 21)) {
        op->flags |= PPC_OPF_RC;
    }
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
#define CMP(name, xo)                                                                              \
    {                                                                                              \
#name, VSX_XX3(xo), 0xfc0003f8u, decode_xx_rc, op_##name, 0                                \
    }
/* xvcmpne: QEMU 7.2 has them as Power ISA 3.0 instructions (illegal on POWER8). */
#define CMP_300(name, xo)                                                                          \
    {                                                                                              \
#name, VSX_XX3(xo), 0xfc0003f8u, decode_xx_rc, op_##name, PPC_INSN_ISA300                  \
    }

static const PPCInsnDef vsx_vec_insns[] = {
    XX3(xvadddp, 96),
    XX3(xvsubdp, 104),
    XX3(xvmuldp, 112),
    XX3(xvdivdp, 120),
    XX2(xvsqrtdp, 203),
    XX2(xvredp, 218),
    XX2(xvrsqrtedp, 202),
    XX3(xvmaxdp, 224),
    XX3(xvmindp, 232),
    XX3(xvaddsp, 64),
    XX3(xvsubsp, 72),
    XX3(xvmulsp, 80),
    XX3(xvdivsp, 88),
    XX2(xvsqrtsp, 139),
    XX2(xvresp, 154),
    XX2(xvrsqrtesp, 138),
    XX3(xvmaxsp, 192),
    XX3(xvminsp, 200),
    XX3(xvmaddadp, 97),
    XX3(xvmaddmdp, 105),
    XX3(xvmsubadp, 113),
    XX3(xvmsubmdp, 121),
    XX3(xvnmaddadp, 225),
    XX3(xvnmaddmdp, 233),
    XX3(xvnmsubadp, 241),
    XX3(xvnmsubmdp, 249),
    XX3(xvmaddasp, 65),
    XX3(xvmaddmsp, 73),
    XX3(xvmsubasp, 81),
    XX3(xvmsubmsp, 89),
    XX3(xvnmaddasp, 193),
    XX3(xvnmaddmsp, 201),
    XX3(xvnmsubasp, 209),
    XX3(xvnmsubmsp, 217),
    XX2(xvrdpi, 201),
    XX2(xvrdpic, 235),
    XX2(xvrdpim, 249),
    XX2(xvrdpip, 233),
    XX2(xvrdpiz, 217),
    XX2(xvrspi, 137),
    XX2(xvrspic, 171),
    XX2(xvrspim, 185),
    XX2(xvrspip, 169),
    XX2(xvrspiz, 153),
    XX2(xvcvdpsp, 393),
    XX2(xvcvspdp, 457),
    XX2(xvcvdpsxds, 472),
    XX2(xvcvdpsxws, 216),
    XX2(xvcvdpuxds, 456),
    XX2(xvcvdpuxws, 200),
    XX2(xvcvsxddp, 504),
    XX2(xvcvuxddp, 488),
    XX2(xvcvsxwdp, 248),
    XX2(xvcvuxwdp, 232),
    XX2(xvcvspsxds, 408),
    XX2(xvcvspsxws, 152),
    XX2(xvcvspuxds, 392),
    XX2(xvcvspuxws, 136),
    XX2(xvcvsxdsp, 440),
    XX2(xvcvuxdsp, 424),
    XX2(xvcvsxwsp, 184),
    XX2(xvcvuxwsp, 168),
    CMP(xvcmpeqdp, 99),
    CMP(xvcmpgtdp, 107),
    CMP(xvcmpgedp, 115),
    CMP_300(xvcmpnedp, 123),
    CMP(xvcmpeqsp, 67),
    CMP(xvcmpgtsp, 75),
    CMP(xvcmpgesp, 83),
    CMP_300(xvcmpnesp, 91),
    { "xvtdivdp", VSX_XX3(125), VSX_XX3_MASK, decode_xx_bf, op_xvtdivdp, 0 },
    { "xvtdivsp", VSX_XX3(93), VSX_XX3_MASK, decode_xx_bf, op_xvtdivsp, 0 },
    { "xvtsqrtdp", VSX_XX2(234), VSX_XX2_MASK, decode_xx_bf, op_xvtsqrtdp, 0 },
    { "xvtsqrtsp", VSX_XX2(170), VSX_XX2_MASK, decode_xx_bf, op_xvtsqrtsp, 0 },
};

static void ppc_vsx_vec_register(void)
{
    ppc_insn_register(vsx_vec_insns, ARRAY_SIZE(vsx_vec_insns));
}

module_init(ppc_vsx_vec_register)

/*
 * VSX instructions that work on the bits of floating-point values without
 * arithmetic (Power ISA 3.0B Book I 7.6): sign manipulation, exponent and
 * significand insert/extract, data-class tests and exponent compares, for
 * double, single and quad precision.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])

#define DP_SIGN (1ull << 63)
#define SP_SIGN 0x8000000080000000ull
#define DP_FRAC ((1ull << 52) - 1)
#define QP_FRAC_HI ((1ull << 48) - 1)

/* ---- Sign manipulation ----------------------------------------------------- */

/*
 * Scalar double forms write doubleword 0 and zero doubleword 1 (QEMU 7.2;
 * the ISA leaves it undefined); vector forms work on every element; the
 * quad forms change bit 0 and keep the rest of VRB.
 */
#define SIGN_OPS(name, mask, scalar)                                                               \
    static const PPCOp *op_##name##abs(CPUPPCState *env, const PPCOp *op)                          \
    {                                                                                              \
        uint64_t hi = VsrD(B, 0) & ~(mask), lo = scalar ? 0 : VsrD(B, 1) & ~(mask);                \
        VsrD(T, 0) = hi;                                                                           \
        VsrD(T, 1) = lo;                                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }                                                                                              \
    static const PPCOp *op_##name##nabs(CPUPPCState *env, const PPCOp *op)                         \
    {                                                                                              \
        uint64_t hi = VsrD(B, 0) | (mask), lo = scalar ? 0 : VsrD(B, 1) | (mask);                  \
        VsrD(T, 0) = hi;                                                                           \
        VsrD(T, 1) = lo;                                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }                                                                                              \
    static const PPCOp *op_##name##neg(CPUPPCState *env, const PPCOp *op)                          \
    {                                                                                              \
        uint64_t hi = VsrD(B, 0) ^ (mask), lo = scalar ? 0 : VsrD(B, 1) ^ (mask);                  \
        VsrD(T, 0) = hi;                                                                           \
        VsrD(T, 1) = lo;                                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }                                                                                              \
    static const PPCOp *op_##name##cpsgn(CPUPPCState *env, const PPCOp *op)                        \
    {                                                                                              \
        uint64_t hi = (VsrD(A, 0) & (mask)) | (VsrD(B, 0) & ~(mask));                              \
        uint64_t lo = scalar ? 0 : (VsrD(A, 1) & (mask)) | (VsrD(B, 1) & ~(mask));                 \
        VsrD(T, 0) = hi;                                                                           \
        VsrD(T, 1) = lo;                                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }

SIGN_OPS(xs_dp_, DP_SIGN, true)
SIGN_OPS(xv_dp_, DP_SIGN, false)
SIGN_OPS(xv_sp_, SP_SIGN, false)

#define QP_SIGN_OP(name, expr)                                                                     \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        uint64_t hi = VsrD(B, 0), lo = VsrD(B, 1);                                                 \
        VsrD(T, 0) = (expr);                                                                       \
        VsrD(T, 1) = lo;                                                                           \
        return PPC_NEXT(env, op);                                                                  \
    }

QP_SIGN_OP(xsabsqp, hi & ~DP_SIGN)
QP_SIGN_OP(xsnabsqp, hi | DP_SIGN)
QP_SIGN_OP(xsnegqp, hi ^ DP_SIGN)
QP_SIGN_OP(xscpsgnqp, (VsrD(A, 0) & DP_SIGN) | (hi & ~DP_SIGN))

/* ---- Exponent and significand ------------------------------------------------ */

/* xsiexpdp: sign and fraction of GPR[RA], exponent from GPR[RB] bits 53:63. */
static const PPCOp *op_xsiexpdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t a = env->gpr[op->ra], b = env->gpr[op->rb];

    VsrD(T, 0) = (a & (DP_SIGN | DP_FRAC)) | ((b & 0x7ff) << 52);
    VsrD(T, 1) = 0;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xsxexpdp(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = (VsrD(B, 0) >> 52) & 0x7ff;
    return PPC_NEXT(env, op);
}

/* The significand: the fraction with the implicit bit of a normal number. */
static inline uint64_t dp_significand(uint64_t d)
{
    unsigned exp = (d >> 52) & 0x7ff;

    return (d & DP_FRAC) | (exp != 0 && exp != 0x7ff ? 1ull << 52 : 0);
}

static inline uint32_t sp_significand(uint32_t w)
{
    unsigned exp = (w >> 23) & 0xff;

    return (w & 0x7fffff) | (exp != 0 && exp != 0xff ? 1u << 23 : 0);
}

static const PPCOp *op_xsxsigdp(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = dp_significand(VsrD(B, 0));
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xviexpdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t r[2];

    for (int i = 0; i < 2; i++) {
        r[i] = (VsrD(A, i) & (DP_SIGN | DP_FRAC)) | ((VsrD(B, i) & 0x7ff) << 52);
    }
    VsrD(T, 0) = r[0];
    VsrD(T, 1) = r[1];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xviexpsp(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        VsrW(&r, i) = (VsrW(A, i) & 0x807fffffu) | ((VsrW(B, i) & 0xff) << 23);
    }
    *T = r;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xvxexpdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = (VsrD(B, 0) >> 52) & 0x7ff, lo = (VsrD(B, 1) >> 52) & 0x7ff;

    VsrD(T, 0) = hi;
    VsrD(T, 1) = lo;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xvxsigdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = dp_significand(VsrD(B, 0)), lo = dp_significand(VsrD(B, 1));

    VsrD(T, 0) = hi;
    VsrD(T, 1) = lo;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xvxexpsp(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        VsrW(&r, i) = (VsrW(B, i) >> 23) & 0xff;
    }
    *T = r;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xvxsigsp(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        VsrW(&r, i) = sp_significand(VsrW(B, i));
    }
    *T = r;
    return PPC_NEXT(env, op);
}

/* xsiexpqp: sign and fraction of VRA, exponent from VRB bits 49:63. */
static const PPCOp *op_xsiexpqp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = (VsrD(A, 0) & (DP_SIGN | QP_FRAC_HI)) | ((VsrD(B, 0) & 0x7fff) << 48);

    VsrD(T, 1) = VsrD(A, 1);
    VsrD(T, 0) = hi;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xsxexpqp(CPUPPCState *env, const PPCOp *op)
{
    VsrD(T, 0) = (VsrD(B, 0) >> 48) & 0x7fff;
    VsrD(T, 1) = 0;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xsxsigqp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = VsrD(B, 0);
    unsigned exp = (hi >> 48) & 0x7fff;

    VsrD(T, 0) = (hi & QP_FRAC_HI) | (exp != 0 && exp != 0x7fff ? 1ull << 48 : 0);
    VsrD(T, 1) = VsrD(B, 1);
    return PPC_NEXT(env, op);
}

/* ---- Data class ----------------------------------------------------------- */

/*
 * DCMX (7 bits; bit 6 is the leftmost): 6 NaN, 5 +Infinity, 4 -Infinity,
 * 3 +Zero, 2 -Zero, 1 +Denormal, 0 -Denormal.  The bit a value of the given
 * class and sign selects:
 */
enum { CLASS_NAN = 6, CLASS_INF = 4, CLASS_ZERO = 2, CLASS_DENORM = 0, CLASS_NORMAL = -1 };

static inline int dcmx_bit(int cls, bool neg)
{
    return cls == CLASS_NORMAL ? -1 : cls == CLASS_NAN ? CLASS_NAN : cls + !neg;
}

static inline bool dcmx_match(unsigned dcmx, int cls, bool neg)
{
    int bit = dcmx_bit(cls, neg);

    return bit >= 0 && ((dcmx >> bit) & 1);
}

static inline int class_of(unsigned exp, unsigned exp_max, bool frac_nonzero)
{
    if (exp == exp_max) {
        return frac_nonzero ? CLASS_NAN : CLASS_INF;
    }
    if (exp == 0) {
        return frac_nonzero ? CLASS_DENORM : CLASS_ZERO;
    }
    return CLASS_NORMAL;
}

static inline int dp_class(uint64_t d)
{
    return class_of((d >> 52) & 0x7ff, 0x7ff, (d & DP_FRAC) != 0);
}

static inline int sp_class(uint32_t w)
{
    return class_of((w >> 23) & 0xff, 0xff, (w & 0x7fffff) != 0);
}

static inline int qp_class(uint64_t hi, uint64_t lo)
{
    return class_of((hi >> 48) & 0x7fff, 0x7fff, (hi & QP_FRAC_HI) != 0 || lo != 0);
}

/*
 * xststdc[dq]p/sp: CR field BF (and FPSCR[FPCC]) = sign, 0, match, and for
 * sp whether the value is not exactly representable in single precision.
 * xststdcsp classifies the double in doubleword 0 against the single
 * format: a double below the single normal range is a single denormal.
 */
static inline const PPCOp *set_test_result(CPUPPCState *env, const PPCOp *op, bool neg, bool match,
                                           bool so)
{
    unsigned crf = (neg ? CRF_LT : 0) | (match ? CRF_EQ : 0) | (so ? CRF_SO : 0);

    env->crf[op->aux2] = crf;
    vsx_set_fpcc(env, crf);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xststdcdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t d = VsrD(B, 0);

    return set_test_result(env, op, d >> 63, dcmx_match(op->aux, dp_class(d), d >> 63), false);
}

static const PPCOp *op_xststdcsp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t d = VsrD(B, 0);
    unsigned exp = (d >> 52) & 0x7ff;
    int cls = dp_class(d);

    if (cls == CLASS_NORMAL && exp < 0x381) {
        cls = CLASS_DENORM;
    }
    return set_test_result(env, op, d >> 63, dcmx_match(op->aux, cls, d >> 63),
                           float32_to_float64_raw(float64_to_float32_raw(d)) != d);
}

static const PPCOp *op_xststdcqp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = VsrD(B, 0), lo = VsrD(B, 1);

    return set_test_result(env, op, hi >> 63, dcmx_match(op->aux, qp_class(hi, lo), hi >> 63),
                           false);
}

static const PPCOp *op_xvtstdcdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t r[2];

    for (int i = 0; i < 2; i++) {
        uint64_t d = VsrD(B, i);

        r[i] = dcmx_match(op->aux, dp_class(d), d >> 63) ? ~0ull : 0;
    }
    VsrD(T, 0) = r[0];
    VsrD(T, 1) = r[1];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xvtstdcsp(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        uint32_t w = VsrW(B, i);

        VsrW(&r, i) = dcmx_match(op->aux, sp_class(w), w >> 31) ? ~0u : 0;
    }
    *T = r;
    return PPC_NEXT(env, op);
}

/*
 * xscmpexp[dq]p: compare the biased exponents; unordered when either
 * operand is a NaN.  CR field BF and FPSCR[FPCC]; no exception.
 */
static inline const PPCOp *cmpexp_result(CPUPPCState *env, const PPCOp *op, unsigned ea,
                                         unsigned eb, bool unordered)
{
    unsigned crf = unordered ? CRF_SO : ea < eb ? CRF_LT : ea > eb ? CRF_GT : CRF_EQ;

    env->crf[op->aux2] = crf;
    vsx_set_fpcc(env, crf);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xscmpexpdp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t a = VsrD(A, 0), b = VsrD(B, 0);

    return cmpexp_result(env, op, (a >> 52) & 0x7ff, (b >> 52) & 0x7ff,
                         dp_class(a) == CLASS_NAN || dp_class(b) == CLASS_NAN);
}

static const PPCOp *op_xscmpexpqp(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ah = VsrD(A, 0), al = VsrD(A, 1), bh = VsrD(B, 0), bl = VsrD(B, 1);

    return cmpexp_result(env, op, (ah >> 48) & 0x7fff, (bh >> 48) & 0x7fff,
                         qp_class(ah, al) == CLASS_NAN || qp_class(bh, bl) == CLASS_NAN);
}

/* ---- Decoders --------------------------------------------------------------- */

/* Scalar results in GPRs: RT is a GPR (bits 6-10). */
static bool decode_xx2_gpr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->rt = INSN_RT(insn);
    return true;
}

/* xsiexpdp: XT, GPRs RA and RB. */
static bool decode_xsiexpdp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    return true;
}

/* xststdc[ds]p: BF bits 6-8, DCMX bits 9-15. */
static bool decode_xststdc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    op->aux = insn_field(insn, 9, 15);
    return true;
}

/* xststdcqp: BF, DCMX, VRB; bit 31 reserved. */
static bool decode_xststdcqp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (INSN_RCBIT(insn)) {
        return false;
    }
    vsx_decode_vr(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    op->aux = insn_field(insn, 9, 15);
    return true;
}

/* xvtstdc[ds]p: DCMX = dc (bit 25) || dm (bit 29) || dx (bits 11-15). */
static bool decode_xvtstdc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->aux = (insn_field(insn, 25, 25) << 6) | (insn_field(insn, 29, 29) << 5) |
              insn_field(insn, 11, 15);
    return true;
}

/* xscmpexpdp: BF bits 6-8. */
static bool decode_xscmpexpdp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    vsx_decode_xx(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    return true;
}

/* xscmpexpqp: BF; bits 9-10 and 31 reserved (set: invalid, as in QEMU). */
static bool decode_xscmpexpqp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (insn_field(insn, 9, 10) || INSN_RCBIT(insn)) {
        return false;
    }
    vsx_decode_vr(def, insn, op);
    op->aux2 = insn_field(insn, 6, 8);
    return true;
}

/* Quad-precision X forms whose bit 31 is reserved. */
static bool decode_vr_nor(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return !INSN_RCBIT(insn) && vsx_decode_vr(def, insn, op);
}

/* ---- Table ------------------------------------------------------------------ */

#define XX2_ROW(name, xo, fn)                                                                      \
    {                                                                                              \
        name, VSX_XX2(xo), VSX_XX2_MASK, vsx_decode_xx, fn, 0                                      \
    }
#define XX3_ROW(name, xo, fn)                                                                      \
    {                                                                                              \
        name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, fn, 0                                      \
    }
#define XX2_EO_ROW(name, xo, eo, dec, fn)                                                          \
    {                                                                                              \
        name, VSX_XX2_EO(xo, eo), VSX_XX2_EO_MASK, dec, fn, PPC_INSN_ISA300                        \
    }
#define QP_ROW(name, xo, dec, fn)                                                                  \
    {                                                                                              \
        name, VSX_X(63, xo), VSX_X_MASK, dec, fn, PPC_INSN_ISA300                                  \
    }
/* Power ISA 3.0 XX3 rows (illegal on POWER8); the XX2_EO and QP rows all are. */
#define XX3_ROW300(name, xo, fn)                                                                   \
    {                                                                                              \
        name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, fn, PPC_INSN_ISA300                        \
    }
#define QP_EO_ROW(name, xo, eo, fn)                                                                \
    {                                                                                              \
        name, VSX_X_EO(63, xo, eo), VSX_X_EO_MASK, decode_vr_nor, fn, PPC_INSN_ISA300              \
    }

static const PPCInsnDef vsx_bits_insns[] = {
    XX2_ROW("xsabsdp", 345, op_xs_dp_abs),
    XX2_ROW("xsnabsdp", 361, op_xs_dp_nabs),
    XX2_ROW("xsnegdp", 377, op_xs_dp_neg),
    XX3_ROW("xscpsgndp", 176, op_xs_dp_cpsgn),
    XX2_ROW("xvabsdp", 473, op_xv_dp_abs),
    XX2_ROW("xvnabsdp", 489, op_xv_dp_nabs),
    XX2_ROW("xvnegdp", 505, op_xv_dp_neg),
    XX3_ROW("xvcpsgndp", 240, op_xv_dp_cpsgn),
    XX2_ROW("xvabssp", 409, op_xv_sp_abs),
    XX2_ROW("xvnabssp", 425, op_xv_sp_nabs),
    XX2_ROW("xvnegsp", 441, op_xv_sp_neg),
    XX3_ROW("xvcpsgnsp", 208, op_xv_sp_cpsgn),
    QP_EO_ROW("xsabsqp", 804, 0, op_xsabsqp),
    QP_EO_ROW("xsnabsqp", 804, 8, op_xsnabsqp),
    QP_EO_ROW("xsnegqp", 804, 16, op_xsnegqp),
    QP_ROW("xscpsgnqp", 100, decode_vr_nor, op_xscpsgnqp),
    { "xsiexpdp", VSX_X(60, 918), VSX_X_MASK, decode_xsiexpdp, op_xsiexpdp, PPC_INSN_ISA300 },
    XX2_EO_ROW("xsxexpdp", 347, 0, decode_xx2_gpr, op_xsxexpdp),
    XX2_EO_ROW("xsxsigdp", 347, 1, decode_xx2_gpr, op_xsxsigdp),
    XX3_ROW300("xviexpsp", 216, op_xviexpsp),
    XX3_ROW300("xviexpdp", 248, op_xviexpdp),
    XX2_EO_ROW("xvxexpdp", 475, 0, vsx_decode_xx, op_xvxexpdp),
    XX2_EO_ROW("xvxsigdp", 475, 1, vsx_decode_xx, op_xvxsigdp),
    XX2_EO_ROW("xvxexpsp", 475, 8, vsx_decode_xx, op_xvxexpsp),
    XX2_EO_ROW("xvxsigsp", 475, 9, vsx_decode_xx, op_xvxsigsp),
    QP_ROW("xsiexpqp", 868, decode_vr_nor, op_xsiexpqp),
    QP_EO_ROW("xsxexpqp", 804, 2, op_xsxexpqp),
    QP_EO_ROW("xsxsigqp", 804, 18, op_xsxsigqp),
    { "xststdcdp", VSX_XX2(362), VSX_XX2_MASK, decode_xststdc, op_xststdcdp, PPC_INSN_ISA300 },
    { "xststdcsp", VSX_XX2(298), VSX_XX2_MASK, decode_xststdc, op_xststdcsp, PPC_INSN_ISA300 },
    QP_ROW("xststdcqp", 708, decode_xststdcqp, op_xststdcqp),
    /* xvtstdc: bits 21-24 and 26-28 are the opcode; 25 and 29 belong to DCMX */
    { "xvtstdcdp", VSX_OPCD(60) | (0xf << 7) | (5 << 3), 0xfc0007b8u, decode_xvtstdc, op_xvtstdcdp,
      PPC_INSN_ISA300 },
    { "xvtstdcsp", VSX_OPCD(60) | (0xd << 7) | (5 << 3), 0xfc0007b8u, decode_xvtstdc, op_xvtstdcsp,
      PPC_INSN_ISA300 },
    { "xscmpexpdp", VSX_XX3(59), VSX_XX3_MASK, decode_xscmpexpdp, op_xscmpexpdp, PPC_INSN_ISA300 },
    QP_ROW("xscmpexpqp", 164, decode_xscmpexpqp, op_xscmpexpqp),
};

static void ppc_vsx_bits_register(void)
{
    ppc_insn_register(vsx_bits_insns, ARRAY_SIZE(vsx_bits_insns));
}

module_init(ppc_vsx_bits_register)

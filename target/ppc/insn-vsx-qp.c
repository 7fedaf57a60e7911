/*
 * VSX quad-precision floating point (Power ISA 3.0B Book I 7.6, opcode 63
 * on VRs): arithmetic and multiply-add (RO = round to odd), square root,
 * conversions to and from double and integers, round to integral.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx-fp.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])

static inline float128 qreg(const ppc_vsr_t *v)
{
    float128 q = { VsrD(v, 0), VsrD(v, 1) };

    return q;
}

/* The op's float_status: RO (aux) rounds to odd. */
static inline float_status qp_status(const CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);

    if (op->aux) {
        s.rounding_mode = float_round_to_odd;
    }
    return s;
}

static inline const PPCOp *qp_done(CPUPPCState *env, const PPCOp *op, uint64_t hi, uint64_t lo,
                                   uint32_t sf, int fprf)
{
    unsigned how = ppc_fp_result_quad(env, sf, hi, lo, fprf);

    if (likely(how & PPC_FP_WRITE)) {
        VsrD(T, 0) = hi;
        VsrD(T, 1) = lo;
    }
    if (unlikely(how & PPC_FP_TRAP)) {
        return vsx_fp_trap(env, op);
    }
    return PPC_NEXT(env, op);
}

#define QP_OP(name, expr)                                                                          \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = qp_status(env, op);                                                       \
        float128 r = (expr);                                                                       \
        return qp_done(env, op, r.hi, r.lo, s.flags, PPC_FPRF_QUAD);                               \
    }

QP_OP(xsaddqp, float128_add(qreg(A), qreg(B), &s))
QP_OP(xssubqp, float128_sub(qreg(A), qreg(B), &s))
QP_OP(xsmulqp, float128_mul(qreg(A), qreg(B), &s))
QP_OP(xsdivqp, float128_div(qreg(A), qreg(B), &s))
QP_OP(xssqrtqp, float128_sqrt(qreg(B), &s))

/* VRT = VRA * VRB + VRT; NaN precedence VRA, VRT, VRB. */
QP_OP(xsmaddqp, float128_muladd(qreg(A), qreg(B), qreg(T), 0, &s))
QP_OP(xsmsubqp, float128_muladd(qreg(A), qreg(B), qreg(T), float_muladd_negate_c, &s))
QP_OP(xsnmaddqp, float128_muladd(qreg(A), qreg(B), qreg(T), float_muladd_negate_result, &s))
QP_OP(xsnmsubqp, float128_muladd(qreg(A), qreg(B), qreg(T),
                                 float_muladd_negate_c | float_muladd_negate_result, &s))

QP_OP(xscvdpqp, float64_to_float128(VsrD(B, 0), &s))
QP_OP(xscvsdqp, int64_to_float128((int64_t)VsrD(B, 0), &s))
QP_OP(xscvudqp, uint64_to_float128(VsrD(B, 0), &s))

/* xscvqpdp[o]: the double in doubleword 0, doubleword 1 zero. */
static const PPCOp *op_xscvqpdp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = qp_status(env, op);
    uint64_t r = float128_to_float64(qreg(B), &s);
    unsigned how = ppc_fp_result(env, s.flags, r, PPC_FPRF_DOUBLE);

    if (likely(how & PPC_FP_WRITE)) {
        VsrD(T, 0) = r;
        VsrD(T, 1) = 0;
    }
    return unlikely(how & PPC_FP_TRAP) ? vsx_fp_trap(env, op) : PPC_NEXT(env, op);
}

/* To integer, toward zero, saturating; the 64-bit result in doubleword 0. */
#define QP_CVT_INT(name, expr)                                                                     \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        float_status s = ppc_fp_status(env);                                                       \
        uint64_t r;                                                                                \
        s.rounding_mode = float_round_to_zero;                                                     \
        r = (expr);                                                                                \
        return qp_done(env, op, r, 0, s.flags, PPC_FPRF_NONE);                                     \
    }

QP_CVT_INT(xscvqpsdz, (uint64_t)float128_to_int64(qreg(B), &s))
QP_CVT_INT(xscvqpudz, float128_to_uint64(qreg(B), &s))
QP_CVT_INT(xscvqpswz, (uint64_t)(int64_t)float128_to_int32(qreg(B), &s))
QP_CVT_INT(xscvqpuwz, (uint64_t)float128_to_uint32(qreg(B), &s))

/*
 * xsrqpi[x]: round to an integral value in the mode R and RMC select
 * (vsx_decode_z23_round).  Without EX (aux) inexact is not reported.
 */
static const PPCOp *op_xsrqpi(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    float128 r;

    if (op->aux2 != 0xff) {
        s.rounding_mode = op->aux2;
    }
    r = float128_round_to_int(qreg(B), &s);
    if (!op->aux) {
        s.flags &= ~(float_flag_inexact | float_flag_rounded_up);
    }
    return qp_done(env, op, r.hi, r.lo, s.flags, PPC_FPRF_QUAD);
}

/* ---- Decoders and table ------------------------------------------------------------- */

static bool decode_qp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return vsx_decode_vr(def, insn, op);
}

/* Forms whose bit 31 is reserved (invalid when set, as in QEMU 7.2). */
static bool decode_qp_nor(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return !INSN_RCBIT(insn) && vsx_decode_vr(def, insn, op);
}

/*
 * Z23 form (xsrqpi[x], xsrqpxp): R bit 15, RMC bits 21-22, the mode in
 * aux2.  R=1: RMC 0-3 nearest even, zero, +inf, -inf.  R=0: RMC 0 nearest
 * away, 3 the FPSCR's mode (0xff); RMC 1 and 2 are reserved, QEMU 7.2
 * rounds to nearest even.  Bits 11-14 are in the rows' masks (QEMU 7.2:
 * illegal when set).
 */
bool vsx_decode_z23_round(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    static const uint8_t r1[4] = { float_round_nearest_even, float_round_to_zero, float_round_up,
                                   float_round_down };
    static const uint8_t r0[4] = { float_round_ties_away, float_round_nearest_even,
                                   float_round_nearest_even, 0xff };
    unsigned r = insn_field(insn, 15, 15), rmc = insn_field(insn, 21, 22);

    vsx_decode_vr(def, insn, op);
    op->aux2 = r ? r1[rmc] : r0[rmc];
    return true;
}

#define QP(name, xo, dec)                                                                          \
    {                                                                                              \
#name, VSX_X(63, xo), VSX_X_MASK, dec, op_##name, PPC_INSN_ISA300                          \
    }
#define QP_EO(name, xo, eo, dec)                                                                   \
    {                                                                                              \
#name, VSX_X_EO(63, xo, eo), VSX_X_EO_MASK, dec, op_##name, PPC_INSN_ISA300                \
    }

static const PPCInsnDef vsx_qp_insns[] = {
    QP(xsaddqp, 4, decode_qp),
    QP(xssubqp, 516, decode_qp),
    QP(xsmulqp, 36, decode_qp),
    QP(xsdivqp, 548, decode_qp),
    QP(xsmaddqp, 388, decode_qp),
    QP(xsmsubqp, 420, decode_qp),
    QP(xsnmaddqp, 452, decode_qp),
    QP(xsnmsubqp, 484, decode_qp),
    QP_EO(xssqrtqp, 804, 27, decode_qp),
    QP_EO(xscvdpqp, 836, 22, decode_qp_nor),
    QP_EO(xscvqpdp, 836, 20, decode_qp),
    QP_EO(xscvqpsdz, 836, 25, decode_qp_nor),
    QP_EO(xscvqpswz, 836, 9, decode_qp_nor),
    QP_EO(xscvqpudz, 836, 17, decode_qp_nor),
    QP_EO(xscvqpuwz, 836, 1, decode_qp_nor),
    QP_EO(xscvsdqp, 836, 10, decode_qp_nor),
    QP_EO(xscvudqp, 836, 2, decode_qp_nor),
    /* Z23 form: XO in bits 23-30, RMC 21-22, R bit 15, EX bit 31, bits 11-14 reserved */
    { "xsrqpi", VSX_OPCD(63) | (5 << 1), 0xfc1e01feu, vsx_decode_z23_round, op_xsrqpi,
      PPC_INSN_ISA300 },
};

static void ppc_vsx_qp_register(void)
{
    ppc_insn_register(vsx_qp_insns, ARRAY_SIZE(vsx_qp_insns));
}

module_init(ppc_vsx_qp_register)

/*
 * VSX half-precision conversions (xscvhpdp, xscvdphp, xvcvhpsp, xvcvsphp)
 * and xsrqpxp, quad precision rounded to a 64-bit significand (Power ISA
 * 3.0B Book I 7.6).
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx-fp.h"

#define T (&env->vsr[op->rt])
#define B (&env->vsr[op->rb])

/* FPRF (C FL FG FE FU) of a result's class, Book I 4.2.2 table 2. */
static unsigned fprf_of_class(bool neg, FloatClass cls)
{
    switch (cls) {
    case float_class_zero:
        return neg ? 0x12 : 0x02;
    case float_class_denormal:
        return neg ? 0x18 : 0x14;
    case float_class_normal:
        return neg ? 0x08 : 0x04;
    case float_class_inf:
        return neg ? 0x09 : 0x05;
    default:
        return 0x11;
    }
}

static inline const PPCOp *half_done(CPUPPCState *env, const PPCOp *op, unsigned how)
{
    return unlikely(how & PPC_FP_TRAP) ? vsx_fp_trap(env, op) : PPC_NEXT(env, op);
}

/*
 * xscvdphp: the double in doubleword 0 rounded to binary16, delivered in
 * halfword 3 (the rest of the register zero); FPRF from the binary16 class.
 */
static const PPCOp *op_xscvdphp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    float16 r = float64_to_float16(VsrD(B, 0), &s);
    unsigned how = ppc_fp_result(env, s.flags, 0, PPC_FPRF_NONE);

    if (likely(how & PPC_FP_WRITE)) {
        VsrD(T, 0) = r;
        VsrD(T, 1) = 0;
        env->fpscr = (env->fpscr & ~FPSCR_FPRF) |
                     ((uint64_t)fprf_of_class(r >> 15, float16_classify(r)) << FPSCR_FPRF_SHIFT);
    }
    return half_done(env, op, how);
}

/* xscvhpdp: halfword 3 widened (exactly) to the double in doubleword 0. */
static const PPCOp *op_xscvhpdp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    float64 r = float16_to_float64((float16)VsrD(B, 0), &s);
    unsigned how = ppc_fp_result(env, s.flags, r, PPC_FPRF_DOUBLE);

    if (likely(how & PPC_FP_WRITE)) {
        VsrD(T, 0) = r;
        VsrD(T, 1) = 0;
    }
    return half_done(env, op, how);
}

/*
 * The vector forms convert the low halfword of each word to the word, or
 * each word to its low halfword (the high one zero).  As every vector
 * instruction they leave FR, FI and FPRF alone, even for an sNaN (the ISA
 * lists neither; QEMU 7.2 agrees).
 */
static const PPCOp *xv_half_done(CPUPPCState *env, const PPCOp *op, const ppc_vsr_t *r, uint32_t sf)
{
    uint64_t keep = env->fpscr & (FPSCR_FR | FPSCR_FI);
    unsigned how = ppc_fp_result(env, sf, 0, PPC_FPRF_VECTOR);

    env->fpscr = (env->fpscr & ~(FPSCR_FR | FPSCR_FI)) | keep;
    if (likely(how & PPC_FP_WRITE)) {
        *T = *r;
    }
    return half_done(env, op, how);
}

static const PPCOp *op_xvcvhpsp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        VsrW(&r, i) = float16_to_float32((float16)VsrW(B, i), &s);
    }
    return xv_half_done(env, op, &r, s.flags);
}

static const PPCOp *op_xvcvsphp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    ppc_vsr_t r;

    for (int i = 0; i < 4; i++) {
        VsrW(&r, i) = float32_to_float16(VsrW(B, i), &s);
    }
    return xv_half_done(env, op, &r, s.flags);
}

/*
 * xsrqpxp: VRB rounded to 64 significant bits within binary128's exponent
 * range, in the mode R and RMC select (aux2, as xsrqpi: R=0 RMC=0 nearest
 * away, RMC=3 the FPSCR's mode; R=1 RMC 0-3 nearest even, zero, +inf,
 * -inf).  FPRF, FR and FI from the result.
 */
static const PPCOp *op_xsrqpxp(CPUPPCState *env, const PPCOp *op)
{
    float_status s = ppc_fp_status(env);
    float128 b = { VsrD(B, 0), VsrD(B, 1) }, r;
    unsigned how;

    if (op->aux2 != 0xff) {
        s.rounding_mode = op->aux2;
    }
    r = float128_round_to_x80(b, &s);
    how = ppc_fp_result_quad(env, s.flags, r.hi, r.lo, PPC_FPRF_QUAD);
    if (likely(how & PPC_FP_WRITE)) {
        VsrD(T, 0) = r.hi;
        VsrD(T, 1) = r.lo;
    }
    return half_done(env, op, how);
}

/* ---- Decoders and table ------------------------------------------------------------- */

/* All of them are Power ISA 3.0 instructions (illegal on POWER8). */
#define I300 PPC_INSN_ISA300

static const PPCInsnDef vsx_half_insns[] = {
    { "xscvdphp", VSX_XX2_EO(347, 17), VSX_XX2_EO_MASK, vsx_decode_xx, op_xscvdphp, I300 },
    { "xscvhpdp", VSX_XX2_EO(347, 16), VSX_XX2_EO_MASK, vsx_decode_xx, op_xscvhpdp, I300 },
    { "xvcvhpsp", VSX_XX2_EO(475, 24), VSX_XX2_EO_MASK, vsx_decode_xx, op_xvcvhpsp, I300 },
    { "xvcvsphp", VSX_XX2_EO(475, 25), VSX_XX2_EO_MASK, vsx_decode_xx, op_xvcvsphp, I300 },
    /* XO 37 in bits 23-30; bits 11-14 must be 0 (QEMU 7.2 ignores bit 31) */
    { "xsrqpxp", VSX_OPCD(63) | (37 << 1), 0xfc1e01feu, vsx_decode_z23_round, op_xsrqpxp, I300 },
};

static void ppc_vsx_half_register(void)
{
    ppc_insn_register(vsx_half_insns, ARRAY_SIZE(vsx_half_insns));
}

module_init(ppc_vsx_half_register)

/*
 * VSX floating point shared by the scalar, vector and quad-precision files:
 * the operation's float_status from FPSCR and how its IEEE flags land in
 * the FPSCR (Power ISA 3.0B Book I 7.3.3 and 7.4).
 */
#ifndef TARGET_PPC_INSN_VSX_FP_H
#define TARGET_PPC_INSN_VSX_FP_H

#include "fpu/softfloat.h"
#include "target/ppc/insn-vsx.h"

#define VSX_FPSCR_RN 3ull
#define VSX_FPSCR_OE PPC_BIT(57)
#define VSX_FPSCR_UE PPC_BIT(58)

static inline float_status vsx_fp_status(const CPUPPCState *env)
{
    float_status s = { .rounding_mode = (uint8_t)(env->fpscr & VSX_FPSCR_RN),
                       .rebias_overflow = (env->fpscr & VSX_FPSCR_OE) != 0,
                       .rebias_underflow = (env->fpscr & VSX_FPSCR_UE) != 0 };
    return s;
}

/* How vsx_fp_finish() sets FR, FI and FPRF. */
enum {
    VSX_FPRF_VECTOR, /* vector forms: FR, FI and FPRF are left alone */
    VSX_FPRF_NONE,   /* scalar forms without a class (conversions to integer): FR, FI */
    VSX_FPRF_DOUBLE, /* FR, FI, and FPRF from the binary64 result */
    VSX_FPRF_SINGLE, /* FR, FI, and FPRF from a binary32 value held as binary64 */
    VSX_FPRF_QUAD,   /* FR, FI, and FPRF from the binary128 result (hi, lo) */
};

/* What vsx_fp_finish() tells the instruction to do. */
#define VSX_FP_WRITE 1 /* write the target: no enabled invalid or zero-divide exception */
#define VSX_FP_TRAP 2  /* an enabled exception with MSR[FE0|FE1] set: program interrupt */

/*
 * Record the float_flag_* an instruction raised (ORed over its elements)
 * in the FPSCR: sticky exception bits, FX when one went from 0 to 1, the
 * VX and FEX summaries, and for scalar forms FR, FI and FPRF (from r, or
 * r and r_lo for quad precision).  An enabled invalid-operation or
 * zero-divide exception leaves the target and FPRF alone and clears FR and
 * FI.
 */
unsigned vsx_fp_finish(CPUPPCState *env, uint32_t sflags, int fprf, uint64_t r, uint64_t r_lo);

/* The FP-enabled program interrupt for op (SRR1[43]). */
static inline const PPCOp *vsx_fp_trap(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise_program(env, op, SRR1_PROGRAM_FP);
}

#endif

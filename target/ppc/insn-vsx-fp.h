/*
 * VSX floating point shared by the scalar, vector and quad-precision files:
 * the FPSCR update is the FP one (insn-fp.h: ppc_fp_result*, with the
 * PPC_FPRF_VECTOR and PPC_FPRF_QUAD modes), plus the FP-enabled interrupt.
 */
#ifndef TARGET_PPC_INSN_VSX_FP_H
#define TARGET_PPC_INSN_VSX_FP_H

#include "fpu/softfloat.h"
#include "target/ppc/insn-fp.h"
#include "target/ppc/insn-vsx.h"

/* The FP-enabled program interrupt for op (SRR1[43]). */
static inline const PPCOp *vsx_fp_trap(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise_program(env, op, SRR1_PROGRAM_FP);
}

#endif

/*
 * Shared by the VSX instruction files (insn-vsx-*.c): operand fields of the
 * XX forms, table-row builders, decoders that choose the facility, and the
 * 128-bit register helpers.
 */
#ifndef TARGET_PPC_INSN_VSX_H
#define TARGET_PPC_INSN_VSX_H

#include "fpu/softfloat.h"
#include "target/ppc/internal.h"

/*
 * VSR numbers: a 5-bit field plus an extension bit that selects VSRs 32-63
 * (XX1/XX2/XX3: TX is bit 31, AX bit 29, BX bit 30; XX4: CX bit 28).
 */
#define XX_T(i) (insn_field(i, 6, 10) | (insn_field(i, 31, 31) << 5))
#define XX_A(i) (insn_field(i, 11, 15) | (insn_field(i, 29, 29) << 5))
#define XX_B(i) (insn_field(i, 16, 20) | (insn_field(i, 30, 30) << 5))
#define XX_C(i) (insn_field(i, 21, 25) | (insn_field(i, 28, 28) << 5))

/* Table rows: opcode 60 XX3 (XO in bits 21-28) and XX2 (bits 21-29) forms. */
#define VSX_OPCD(po) ((uint32_t)(po) << 26)
#define VSX_XX3(xo) (VSX_OPCD(60) | ((uint32_t)(xo) << 3))
#define VSX_XX3_MASK 0xfc0007f8u
#define VSX_XX2(xo) (VSX_OPCD(60) | ((uint32_t)(xo) << 2))
#define VSX_XX2_MASK 0xfc0007fcu
/* An XX2 form whose bits 11-15 extend the opcode. */
#define VSX_XX2_EO(xo, eo) (VSX_XX2(xo) | ((uint32_t)(eo) << 16))
#define VSX_XX2_EO_MASK (VSX_XX2_MASK | 0x001f0000u)
/* X forms of opcodes 31 and 63 (XO in bits 21-30). */
#define VSX_X(po, xo) (VSX_OPCD(po) | ((uint32_t)(xo) << 1))
#define VSX_X_MASK 0xfc0007feu
#define VSX_X_EO(po, xo, eo) (VSX_X(po, xo) | ((uint32_t)(eo) << 16))
#define VSX_X_EO_MASK (VSX_X_MASK | 0x001f0000u)

/*
 * Decoders (insn-vsx-ldst.c): the operands as VSR numbers in rt, ra, rb,
 * rc and the instruction's immediate fields left to the handler (op->insn).
 * vsx_decode_xx: XX forms needing MSR[VSX].
 * vsx_decode_xx_split: MSR[VSX] for VSRs 0-31, MSR[VEC] for 32-63 (by XT).
 * vsx_decode_vr: quad-precision X forms of opcode 63, VRs (VSRs 32-63),
 * bit 31 (RO) kept in aux; MSR[VSX].
 * vsx_decode_z23_round (insn-vsx-qp.c): vsx_decode_vr plus the rounding
 * mode of the Z23 forms' R and RMC in aux2 (0xff: FPSCR[RN]).
 */
bool vsx_decode_xx(const PPCInsnDef *def, uint32_t insn, PPCOp *op);
bool vsx_decode_xx_split(const PPCInsnDef *def, uint32_t insn, PPCOp *op);
bool vsx_decode_vr(const PPCInsnDef *def, uint32_t insn, PPCOp *op);
bool vsx_decode_z23_round(const PPCInsnDef *def, uint32_t insn, PPCOp *op);

static inline ppc_vsr_t *vsx_reg(CPUPPCState *env, unsigned n)
{
    return &env->vsr[n];
}

/* FPSCR[FPCC], bits 48:51: the class/compare result of some VSX instructions. */
#define VSX_FPSCR_FPCC_SHIFT 12
#define VSX_FPSCR_FPCC_MASK (0xfull << VSX_FPSCR_FPCC_SHIFT)

static inline void vsx_set_fpcc(CPUPPCState *env, unsigned crf)
{
    env->fpscr = (env->fpscr & ~VSX_FPSCR_FPCC_MASK) | ((uint64_t)crf << VSX_FPSCR_FPCC_SHIFT);
}

#endif

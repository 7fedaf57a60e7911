/*
 * 128-bit vector helpers shared by the VMX (insn-vmx*.c) and VSX files: the
 * VMX opcode-4 decode tables, VSCR bits, saturation and element access.
 */
#ifndef TARGET_PPC_VEC_HELPERS_H
#define TARGET_PPC_VEC_HELPERS_H

#include "target/ppc/internal.h"

/*
 * VSCR (Book I 6.3.2), a 32-bit register: NJ (bit 47 of the 64-bit view,
 * 0x10000) flushes denormals in vector float, SAT (bit 63, 0x1) is sticky
 * saturation.  As in QEMU 7.2, mtvscr keeps all 32 bits and mfvscr shows them.
 */
#define VSCR_NJ 0x00010000u
#define VSCR_SAT 0x00000001u

/* VR n as a pointer into the VSR file. */
#define VMX_VR(env, n) (&(env)->vsr[32 + (n)])

/*
 * Opcode-4 instructions (VX, VC and VA forms) are filed by extended opcode
 * in tables the family files fill at start-up.  The form says which fields
 * the instruction uses; decode checks the reserved ones (per instruction,
 * inval: the bits of 6..25 that must be 0, as QEMU 7.2 checks them).
 */
typedef enum VMXForm {
    VMX_F_TAB,  /* vD, vA, vB */
    VMX_F_TABC, /* VA-form: vD, vA, vB, vC */
    VMX_F_CMP,  /* VC-form: vD, vA, vB, Rc (bit 21) sets CR6 */
    VMX_F_IMM,  /* vD, vB and the A field as an immediate (op->aux) */
    VMX_F_SHB,  /* vsldoi: vD, vA, vB, SHB (bits 22-25) in op->aux */
    VMX_F_PS,   /* BCD: vD, vA, vB, PS (bit 22) in op->aux */
} VMXForm;

typedef struct VMXInsn {
    const char *name;
    /*
     * VX/VC: the 11-bit extended opcode (VC: with Rc = 0); VA: 32-63;
     * VMX_XO_SUB(xo, a): an A-field sub-opcode of xo (1538, 1409).
     */
    uint16_t xo;
    uint8_t form;
    uint32_t inval;
    PPCOpFn *fn;
} VMXInsn;

#define VMX_XO_SUB(xo, a) (0x8000u | ((xo) == 1538 ? 0 : 0x20) | (a))
/*
 * ORed into xo (into a of VMX_XO_SUB): a Power ISA 3.0 instruction, illegal
 * on POWER8 (decoded without PPC_OPF_ISA300).
 */
#define VMX_XO_ISA300 0x4000u

/* File a family's instructions (from a module_init function). */
void ppc_vmx_register(const VMXInsn *insns, size_t n);
/* The mnemonic of an opcode-4 instruction word (the JIT's look-up); NULL: none. */
const char *ppc_vmx_insn_name(uint32_t insn);

/* Field masks (bits of the instruction word) for VMXInsn.inval. */
#define VMX_RT_FIELD 0x03e00000u
#define VMX_RA_FIELD 0x001f0000u
#define VMX_RB_FIELD 0x0000f800u

/* Saturation: set VSCR[SAT] when any element saturated. */
static inline void vmx_set_sat(CPUPPCState *env, bool sat)
{
    if (sat) {
        env->vscr |= VSCR_SAT;
    }
}

static inline int64_t vmx_clamp_s(int64_t v, int64_t lo, int64_t hi, bool *sat)
{
    if (v < lo) {
        *sat = true;
        return lo;
    }
    if (v > hi) {
        *sat = true;
        return hi;
    }
    return v;
}

static inline uint64_t vmx_clamp_u(int64_t v, uint64_t hi, bool *sat)
{
    if (v < 0) {
        *sat = true;
        return 0;
    }
    if ((uint64_t)v > hi) {
        *sat = true;
        return hi;
    }
    return v;
}

/* CR6 of a vector compare with Rc=1: all true (LT) or all false (EQ). */
static inline void vmx_set_cr6(CPUPPCState *env, const ppc_vsr_t *r)
{
    env->crf[6] = (~r->u64[0] == 0 && ~r->u64[1] == 0 ? CRF_LT : 0) |
                  (r->u64[0] == 0 && r->u64[1] == 0 ? CRF_EQ : 0);
}

/*
 * The common shape of a handler: compute t from the sources, store it to
 * vD (sources may alias vD), continue.
 */
#define VMX_OP_BEGIN(name)                                                                         \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        const ppc_vsr_t *a = VMX_VR(env, op->ra);                                                  \
        const ppc_vsr_t *b = VMX_VR(env, op->rb);                                                  \
        const ppc_vsr_t *c = VMX_VR(env, op->rc);                                                  \
        ppc_vsr_t t;                                                                               \
        (void)a;                                                                                   \
        (void)b;                                                                                   \
        (void)c;

#define VMX_OP_END                                                                                 \
    *VMX_VR(env, op->rt) = t;                                                                      \
    return PPC_NEXT(env, op);                                                                      \
    }

/* Element-wise binary operation over field (u8 ... s64): t = expr(x, y). */
#define VMX_ELEMWISE(name, field, expr)                                                            \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        __typeof__(t.field[0]) x = a->field[i], y = b->field[i];                                   \
        t.field[i] = (expr);                                                                       \
    }                                                                                              \
    VMX_OP_END

/* Element-wise unary operation on vB. */
#define VMX_UNARY(name, field, expr)                                                               \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        __typeof__(t.field[0]) x = b->field[i];                                                    \
        t.field[i] = (expr);                                                                       \
    }                                                                                              \
    VMX_OP_END

#endif

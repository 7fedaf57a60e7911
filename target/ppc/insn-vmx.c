/*
 * Vector (VMX) instructions: for now only their availability (MSR[VEC]
 * off: the vector-unavailable interrupt; on: not implemented yet, illegal).
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

static const PPCOp *op_unimplemented(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "unimplemented VMX instruction 0x%08x at 0x%" PRIx64 "\n", op->insn,
                  op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

static bool decode_unit(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (ppc_decode_facility(op, PPC_OPF_VEC)) {
        op->fn = op_unimplemented;
    }
    return true;
}

#define OPCD(po) ((uint32_t)(po) << 26)
#define OPCD_MASK 0xfc000000u
#define X31(xo) (OPCD(31) | ((xo) << 1))
#define XO_MASK 0xfc0007feu
#define E PPC_INSN_ENDS_BLOCK

#define OPCD_ROW(name, po)                                                                         \
    {                                                                                              \
        name, OPCD(po), OPCD_MASK, decode_unit, NULL, E                                            \
    }
#define X31_ROW(name, xo)                                                                          \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_unit, NULL, E                                               \
    }

static const PPCInsnDef vmx_insns[] = {
    /* Vector (VMX): opcode 4 (the fixed-point maddhd/maddld forms are more specific) */
    { "vmx-4", OPCD(4), OPCD_MASK, decode_unit, NULL, E },
    X31_ROW("lvsl", 6),
    X31_ROW("lvsr", 38),
    X31_ROW("lvebx", 7),
    X31_ROW("lvehx", 39),
    X31_ROW("lvewx", 71),
    X31_ROW("lvx", 103),
    X31_ROW("lvxl", 359),
    X31_ROW("stvebx", 135),
    X31_ROW("stvehx", 167),
    X31_ROW("stvewx", 199),
    X31_ROW("stvx", 231),
    X31_ROW("stvxl", 487),
};

static void ppc_vmx_insns_register(void)
{
    ppc_insn_register(vmx_insns, ARRAY_SIZE(vmx_insns));
}

module_init(ppc_vmx_insns_register)

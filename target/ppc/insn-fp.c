/*
 * Floating-point, vector (VMX) and VSX instructions: for now only their
 * availability.  With MSR[FP], MSR[VEC] or MSR[VSX] off, an instruction
 * of the class (its loads and stores included) raises the floating-point,
 * vector or VSX unavailable interrupt, SRR0 = the instruction; with the
 * bit on, the instruction is not implemented yet: illegal, and logged.
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

static const PPCOp *unavailable_or_unimp(CPUPPCState *env, const PPCOp *op, uint64_t msr_bit,
                                         unsigned vector)
{
    if (!(env->msr & msr_bit)) {
        return ppc_raise(env, vector, op->pc, 0);
    }
    qemu_log_mask(LOG_UNIMP, "unimplemented FP/vector instruction 0x%08x at 0x%" PRIx64 "\n",
                  op->insn, op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

static const PPCOp *op_fp(CPUPPCState *env, const PPCOp *op)
{
    return unavailable_or_unimp(env, op, MSR_FP, PPC_VEC_FP_UNAVAIL);
}

static const PPCOp *op_vmx(CPUPPCState *env, const PPCOp *op)
{
    return unavailable_or_unimp(env, op, MSR_VEC, PPC_VEC_VMX_UNAVAIL);
}

static const PPCOp *op_vsx(CPUPPCState *env, const PPCOp *op)
{
    return unavailable_or_unimp(env, op, MSR_VSX, PPC_VEC_VSX_UNAVAIL);
}

static bool decode_unit(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = def->fn;
    return true;
}

#define OPCD(po) ((uint32_t)(po) << 26)
#define OPCD_MASK 0xfc000000u
#define X31(xo) (OPCD(31) | ((xo) << 1))
#define XO_MASK 0xfc0007feu
#define E PPC_INSN_ENDS_BLOCK

#define FP_OPCD(name, po)                                                                          \
    {                                                                                              \
        name, OPCD(po), OPCD_MASK, decode_unit, op_fp, E                                           \
    }
#define FP_X31(name, xo)                                                                           \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_unit, op_fp, E                                              \
    }
#define VMX_X31(name, xo)                                                                          \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_unit, op_vmx, E                                             \
    }
#define VSX_X31(name, xo)                                                                          \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_unit, op_vsx, E                                             \
    }

static const PPCInsnDef fp_insns[] = {
    /* Floating point (and decimal floating point): opcodes 59 and 63, loads and stores */
    FP_OPCD("fp-59", 59),
    FP_OPCD("fp-63", 63),
    FP_OPCD("lfs", 48),
    FP_OPCD("lfsu", 49),
    FP_OPCD("lfd", 50),
    FP_OPCD("lfdu", 51),
    FP_OPCD("stfs", 52),
    FP_OPCD("stfsu", 53),
    FP_OPCD("stfd", 54),
    FP_OPCD("stfdu", 55),
    { "lfdp", OPCD(57), OPCD_MASK | 3, decode_unit, op_fp, E },
    { "stfdp", OPCD(61), OPCD_MASK | 3, decode_unit, op_fp, E },
    FP_X31("lfsx", 535),
    FP_X31("lfsux", 567),
    FP_X31("lfdx", 599),
    FP_X31("lfdux", 631),
    FP_X31("lfiwax", 855),
    FP_X31("lfiwzx", 887),
    FP_X31("stfsx", 663),
    FP_X31("stfsux", 695),
    FP_X31("stfdx", 727),
    FP_X31("stfdux", 759),
    FP_X31("stfiwx", 983),
    FP_X31("lfdpx", 791),
    FP_X31("stfdpx", 919),
    /* Vector (VMX): opcode 4 (the fixed-point maddhd/maddld forms are more specific) */
    { "vmx-4", OPCD(4), OPCD_MASK, decode_unit, op_vmx, E },
    VMX_X31("lvsl", 6),
    VMX_X31("lvsr", 38),
    VMX_X31("lvebx", 7),
    VMX_X31("lvehx", 39),
    VMX_X31("lvewx", 71),
    VMX_X31("lvx", 103),
    VMX_X31("lvxl", 359),
    VMX_X31("stvebx", 135),
    VMX_X31("stvehx", 167),
    VMX_X31("stvewx", 199),
    VMX_X31("stvx", 231),
    VMX_X31("stvxl", 487),
    /* ISA 3.0 scalar loads and stores of VSRs 32-63: vector availability */
    { "lxsd", OPCD(57) | 2, OPCD_MASK | 3, decode_unit, op_vmx, E },
    { "lxssp", OPCD(57) | 3, OPCD_MASK | 3, decode_unit, op_vmx, E },
    { "stxsd", OPCD(61) | 2, OPCD_MASK | 3, decode_unit, op_vmx, E },
    { "stxssp", OPCD(61) | 3, OPCD_MASK | 3, decode_unit, op_vmx, E },
    /* VSX: opcode 60, lxv/stxv and the indexed loads and stores */
    { "vsx-60", OPCD(60), OPCD_MASK, decode_unit, op_vsx, E },
    { "lxv", OPCD(61) | 1, OPCD_MASK | 7, decode_unit, op_vsx, E },
    { "stxv", OPCD(61) | 5, OPCD_MASK | 7, decode_unit, op_vsx, E },
    VSX_X31("lxsiwzx", 12),
    VSX_X31("lxsiwax", 76),
    VSX_X31("lxsspx", 524),
    VSX_X31("lxsdx", 588),
    VSX_X31("lxvx", 268),
    VSX_X31("lxvl", 269),
    VSX_X31("lxvll", 301),
    VSX_X31("lxvdsx", 332),
    VSX_X31("lxvwsx", 364),
    VSX_X31("lxvw4x", 780),
    VSX_X31("lxsibzx", 781),
    VSX_X31("lxvh8x", 812),
    VSX_X31("lxsihzx", 813),
    VSX_X31("lxvd2x", 844),
    VSX_X31("lxvb16x", 876),
    VSX_X31("stxsiwx", 140),
    VSX_X31("stxvx", 396),
    VSX_X31("stxvl", 397),
    VSX_X31("stxvll", 429),
    VSX_X31("stxsspx", 652),
    VSX_X31("stxsdx", 716),
    VSX_X31("stxvw4x", 908),
    VSX_X31("stxsibx", 909),
    VSX_X31("stxvh8x", 940),
    VSX_X31("stxsihx", 941),
    VSX_X31("stxvd2x", 972),
    VSX_X31("stxvb16x", 1004),
};

static void ppc_insn_fp_register(void)
{
    ppc_insn_register(fp_insns, ARRAY_SIZE(fp_insns));
}

module_init(ppc_insn_fp_register)

/*
 * Floating-point instructions (Book I chapter 4): for now only their
 * availability.  With MSR[FP] off an instruction of the class, its loads
 * and stores included, raises the FP-unavailable interrupt; with it on, it
 * is not implemented yet: illegal, and logged.
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

static const PPCOp *op_unimplemented(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "unimplemented FP instruction 0x%08x at 0x%" PRIx64 "\n", op->insn,
                  op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

static bool decode_unit(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (ppc_decode_facility(op, PPC_OPF_FP)) {
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

static const PPCInsnDef fp_insns[] = {
    /* Floating point (and decimal floating point): opcodes 59 and 63, loads and stores */
    OPCD_ROW("fp-59", 59),
    OPCD_ROW("fp-63", 63),
    OPCD_ROW("lfs", 48),
    OPCD_ROW("lfsu", 49),
    OPCD_ROW("lfd", 50),
    OPCD_ROW("lfdu", 51),
    OPCD_ROW("stfs", 52),
    OPCD_ROW("stfsu", 53),
    OPCD_ROW("stfd", 54),
    OPCD_ROW("stfdu", 55),
    { "lfdp", OPCD(57), OPCD_MASK | 3, decode_unit, NULL, E },
    { "stfdp", OPCD(61), OPCD_MASK | 3, decode_unit, NULL, E },
    X31_ROW("lfsx", 535),
    X31_ROW("lfsux", 567),
    X31_ROW("lfdx", 599),
    X31_ROW("lfdux", 631),
    X31_ROW("lfiwax", 855),
    X31_ROW("lfiwzx", 887),
    X31_ROW("stfsx", 663),
    X31_ROW("stfsux", 695),
    X31_ROW("stfdx", 727),
    X31_ROW("stfdux", 759),
    X31_ROW("stfiwx", 983),
    X31_ROW("lfdpx", 791),
    X31_ROW("stfdpx", 919),
};

static void ppc_fp_insns_register(void)
{
    ppc_insn_register(fp_insns, ARRAY_SIZE(fp_insns));
}

module_init(ppc_fp_insns_register)

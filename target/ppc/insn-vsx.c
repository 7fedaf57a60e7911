/*
 * VSX instructions: for now only their availability (MSR[VSX] off: the
 * VSX-unavailable interrupt; on: not implemented yet, illegal).
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

static const PPCOp *op_unimplemented(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "unimplemented VSX instruction 0x%08x at 0x%" PRIx64 "\n", op->insn,
                  op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

static bool decode_unit(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (ppc_decode_facility(op, def->flags & PPC_INSN_NEEDS_VEC ? PPC_OPF_VEC : PPC_OPF_VSX)) {
        op->fn = op_unimplemented;
    }
    return true;
}

#define OPCD(po) ((uint32_t)(po) << 26)
#define OPCD_MASK 0xfc000000u
#define X31(xo) (OPCD(31) | ((xo) << 1))
#define XO_MASK 0xfc0007feu
#define E PPC_INSN_ENDS_BLOCK
#define V (PPC_INSN_ENDS_BLOCK | PPC_INSN_NEEDS_VEC)

#define OPCD_ROW(name, po)                                                                         \
    {                                                                                              \
        name, OPCD(po), OPCD_MASK, decode_unit, NULL, E                                            \
    }
#define X31_ROW(name, xo)                                                                          \
    {                                                                                              \
        name, X31(xo), XO_MASK, decode_unit, NULL, E                                               \
    }

static const PPCInsnDef vsx_insns[] = {
    /* ISA 3.0 scalar loads and stores of VSRs 32-63: vector availability */
    { "lxsd", OPCD(57) | 2, OPCD_MASK | 3, decode_unit, NULL, V },
    { "lxssp", OPCD(57) | 3, OPCD_MASK | 3, decode_unit, NULL, V },
    { "stxsd", OPCD(61) | 2, OPCD_MASK | 3, decode_unit, NULL, V },
    { "stxssp", OPCD(61) | 3, OPCD_MASK | 3, decode_unit, NULL, V },
    /* VSX: opcode 60, lxv/stxv and the indexed loads and stores */
    { "vsx-60", OPCD(60), OPCD_MASK, decode_unit, NULL, E },
    { "lxv", OPCD(61) | 1, OPCD_MASK | 7, decode_unit, NULL, E },
    { "stxv", OPCD(61) | 5, OPCD_MASK | 7, decode_unit, NULL, E },
    X31_ROW("lxsiwzx", 12),
    X31_ROW("lxsiwax", 76),
    X31_ROW("lxsspx", 524),
    X31_ROW("lxsdx", 588),
    X31_ROW("lxvx", 268),
    X31_ROW("lxvl", 269),
    X31_ROW("lxvll", 301),
    X31_ROW("lxvdsx", 332),
    X31_ROW("lxvwsx", 364),
    X31_ROW("lxvw4x", 780),
    X31_ROW("lxsibzx", 781),
    X31_ROW("lxvh8x", 812),
    X31_ROW("lxsihzx", 813),
    X31_ROW("lxvd2x", 844),
    X31_ROW("lxvb16x", 876),
    X31_ROW("stxsiwx", 140),
    X31_ROW("stxvx", 396),
    X31_ROW("stxvl", 397),
    X31_ROW("stxvll", 429),
    X31_ROW("stxsspx", 652),
    X31_ROW("stxsdx", 716),
    X31_ROW("stxvw4x", 908),
    X31_ROW("stxsibx", 909),
    X31_ROW("stxvh8x", 940),
    X31_ROW("stxsihx", 941),
    X31_ROW("stxvd2x", 972),
    X31_ROW("stxvb16x", 1004),
};

static void ppc_vsx_insns_register(void)
{
    ppc_insn_register(vsx_insns, ARRAY_SIZE(vsx_insns));
}

module_init(ppc_vsx_insns_register)

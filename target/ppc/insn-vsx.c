/*
 * VSX instructions not implemented yet: the rest of opcode 60 (MSR[VSX]
 * off: the VSX-unavailable interrupt; on: illegal, and logged).  The
 * implemented ones live in insn-vsx-*.c with more specific table rows.
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
    if (ppc_decode_facility(op, PPC_OPF_VSX)) {
        op->fn = op_unimplemented;
    }
    return true;
}

static const PPCInsnDef vsx_insns[] = {
    { "vsx-60", 60u << 26, 0xfc000000u, decode_unit, NULL, PPC_INSN_ENDS_BLOCK },
};

static void ppc_vsx_insns_register(void)
{
    ppc_insn_register(vsx_insns, ARRAY_SIZE(vsx_insns));
}

module_init(ppc_vsx_insns_register)

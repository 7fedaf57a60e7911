/*
 * The rest of opcode 60: words that are no VSX instruction.  The VSX
 * instructions live in insn-vsx-*.c with more specific table rows.
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

/*
 * Not the facility check first: a word that is no instruction is an
 * illegal-instruction program interrupt whatever MSR[VSX] says (the ISA's
 * VSX-unavailable interrupt is for VSX instructions only; QEMU 7.2 agrees).
 */
static bool decode_unit(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_unimplemented;
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

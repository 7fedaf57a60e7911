/*
 * System instructions: sc (system call, and `sc 1` to the virtual
 * hypervisor).  More (mfspr/mtspr, mfmsr/mtmsr[d], rfid, isync, sync,
 * mftb, cache management) join this file.
 */
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

/*
 * sc LEV: LEV=1 in supervisor state is a hypercall, served by the machine
 * through the vhyp interface with the big lock held; execution continues
 * after the sc.  Otherwise (LEV=0, or from problem state) it is a system
 * call interrupt, SRR0 = the next instruction.
 */
static const PPCOp *op_sc(CPUPPCState *env, const PPCOp *op)
{
    PowerPCCPU *cpu = env_cpu(env);

    if (op->aux == 1 && !(env->msr & MSR_PR) && cpu->vhyp_ops) {
        env->nip = ppc_next_pc(op);
        qemu_mutex_lock_iothread();
        cpu->vhyp_ops->hypercall(cpu->vhyp, cpu);
        qemu_mutex_unlock_iothread();
        return NULL;
    }
    return ppc_raise(env, PPC_VEC_SYSCALL, ppc_next_pc(op), 0);
}

static bool decode_sc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_sc;
    op->aux = insn_field(insn, 20, 26); /* LEV */
    return op->aux <= 1;
}

static const PPCInsnDef system_insns[] = {
    { "sc", 0x44000002, 0xfc000003, decode_sc, NULL, PPC_INSN_ENDS_BLOCK },
};

static void ppc_insn_system_register(void)
{
    ppc_insn_register(system_insns, ARRAY_SIZE(system_insns));
}

module_init(ppc_insn_system_register)

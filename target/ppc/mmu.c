/*
 * Address translation for the soft TLB: real mode, or the radix or hash
 * MMU the partition uses, and the interrupts a failed translation raises.
 */
#include "qemu/log.h"
#include "target/ppc/internal.h"

/*
 * Real mode in a partition: the top four bits of the effective address are
 * ignored, the rest is a guest real address (the machine keeps the real
 * mode area's limit in the device tree, as QEMU's pseries does).
 */
#define REAL_ADDR_MASK 0x0fffffffffffffffULL

bool ppc_mmu_is_radix(const CPUPPCState *env)
{
    return env_cpu((CPUPPCState *)env)->model->has_radix && (ppc_lpcr(env) & LPCR_HR);
}

bool ppc_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
               PPCXlateFault *fault)
{
    uint64_t relocate = type == PPC_ACCESS_FETCH ? MSR_IR : MSR_DR;

    if (!(env->msr & relocate)) {
        *ra = ea & REAL_ADDR_MASK;
        return true;
    }
    if (ppc_mmu_is_radix(env)) {
        return ppc_radix64_xlate(env, ea, type, probe, ra, fault);
    }
    return ppc_hash64_xlate(env, ea, type, probe, ra, fault);
}

void ppc_raise_xlate_fault(CPUPPCState *env, uint64_t pc, uint64_t ea, const PPCXlateFault *fault)
{
    qemu_log_mask(CPU_LOG_MMU,
                  "translation fault: ea 0x%" PRIx64 " pc 0x%" PRIx64
                  " vector 0x%x dsisr 0x%" PRIx64 " srr1 0x%" PRIx64 "\n",
                  ea, pc, fault->vector, fault->dsisr, fault->srr1_bits);
    switch (fault->vector) {
    case PPC_VEC_DSI:
        env->spr[SPR_DAR] = ea;
        env->spr[SPR_DSISR] = fault->dsisr;
        ppc_raise(env, PPC_VEC_DSI, pc, 0);
        break;
    case PPC_VEC_DSEG:
        env->spr[SPR_DAR] = ea;
        ppc_raise(env, PPC_VEC_DSEG, pc, 0);
        break;
    case PPC_VEC_ISI:
    case PPC_VEC_ISEG:
        ppc_raise(env, fault->vector, pc, fault->srr1_bits);
        break;
    default:
        ppc_raise(env, PPC_VEC_MACHINE_CHECK, pc, 0);
        break;
    }
}

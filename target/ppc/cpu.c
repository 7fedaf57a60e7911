/*
 * POWER CPU models and their architected reset state.
 */
#include "target/ppc/internal.h"
#include "target/ppc/cpu-models.h"
#include "qemu/units.h"

static const PowerPCCPUModel ppc_models[] = {
    {
        .name = "power9_v2.0",
        .alias = "power9",
        .dt_name = "PowerPC,POWER9",
        .pvr = CPU_POWERPC_POWER9_v20,
        .has_radix = true,
        .isa300 = true,
        .l1_dcache_size = 32 * KiB,
        .l1_icache_size = 32 * KiB,
        .cache_line_size = 128,
        .slb_size = 32,
    },
    {
        .name = "power8_v2.0",
        .alias = "power8",
        .dt_name = "PowerPC,POWER8",
        .pvr = CPU_POWERPC_POWER8_v20,
        .has_radix = false,
        .l1_dcache_size = 32 * KiB,
        .l1_icache_size = 32 * KiB,
        .cache_line_size = 128,
        .slb_size = 32,
    },
};

const PowerPCCPUModel *ppc_cpu_model_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(ppc_models); i++) {
        if (!g_ascii_strcasecmp(name, ppc_models[i].name) ||
            !g_ascii_strcasecmp(name, ppc_models[i].alias)) {
            return &ppc_models[i];
        }
    }
    return NULL;
}

const PowerPCCPUModel *ppc_cpu_model_default(void)
{
    return &ppc_models[0];
}

const char *ppc_cpu_model_name(const PowerPCCPUModel *m)
{
    return m->name;
}

const char *ppc_cpu_model_alias(const PowerPCCPUModel *m)
{
    return m->alias;
}

void ppc_cpu_model_foreach(void (*fn)(const PowerPCCPUModel *m, void *opaque), void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(ppc_models); i++) {
        fn(&ppc_models[i], opaque);
    }
}

void ppc_cpu_list(FILE *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(ppc_models); i++) {
        fprintf(out, "PowerPC %-16s PVR %08x\n", ppc_models[i].name, ppc_models[i].pvr);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ppc_models); i++) {
        fprintf(out, "PowerPC %-16s (alias for %s)\n", ppc_models[i].alias, ppc_models[i].name);
    }
}

PowerPCCPU *ppc_cpu_create(const PowerPCCPUModel *model, int index)
{
    PowerPCCPU *cpu = g_new0(PowerPCCPU, 1);

    cpu->model = model;
    cpu->cpu_index = index;
    ppc_cpu_timebase_init(cpu);
    ppc_pmu_init(cpu);
    ppc_cpu_reset(cpu);
    return cpu;
}

void ppc_cpu_free(PowerPCCPU *cpu)
{
    ppc_tb_cache_free(cpu);
    ppc_cpu_timebase_free(cpu);
    ppc_pmu_free(cpu);
    g_free(cpu);
}

void ppc_cpu_set_vhyp(PowerPCCPU *cpu, PPCVirtualHypervisor *vhyp,
                      const PPCVirtualHypervisorOps *ops)
{
    cpu->vhyp = vhyp;
    cpu->vhyp_ops = ops;
}

void ppc_cpu_exec_enter(PowerPCCPU *cpu)
{
    /*
     * A partition runs with MSR[ME] = 1 and cannot change it (rfid and
     * mtmsr[d] keep ME out of hypervisor state): its hypervisor dispatches
     * it so.  Until it first runs, the CPU shows its reset MSR (0, as QEMU
     * 7.2's, whose firmware or kernel sets ME).
     */
    if (cpu->vhyp_ops) {
        cpu->env.msr |= MSR_ME;
    }
    if (cpu->vhyp_ops && cpu->vhyp_ops->cpu_exec_enter) {
        cpu->vhyp_ops->cpu_exec_enter(cpu->vhyp, cpu);
    }
}

void ppc_cpu_exec_exit(PowerPCCPU *cpu)
{
    if (cpu->vhyp_ops && cpu->vhyp_ops->cpu_exec_exit) {
        cpu->vhyp_ops->cpu_exec_exit(cpu->vhyp, cpu);
    }
}

void ppc_cpu_reset(PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;
    PPCTLBStats stats = env->tlb_stats;

    /* the soft TLB's entries are zero, not empty: unlisted, the flush below empties them */
    memset(env, 0, sizeof(*env));
    env->tlb_stats = stats;
    /*
     * A partition's CPU starts as QEMU 7.2's pseries resets it: big-endian,
     * in real mode, 32-bit, MSR = 0 (firmware switches to 64-bit itself).
     * HV is never set under a virtual hypervisor; ME is the hypervisor's to
     * set: ppc_cpu_exec_enter() sets it when it dispatches the CPU.
     */
    env->msr = 0;
    env->nip = 0x100;
    env->spr[SPR_PVR] = cpu->model->pvr;
    env->spr[SPR_PIR] = cpu->cpu_index;
    env->reserve_addr = (uint64_t)-1;
    ppc_tlb_flush(env);
    ppc_cpu_timebase_reset(cpu);
    ppc_pmu_reset(env);
    if (cpu->tbs) {
        ppc_tb_flush(cpu);
    }
    cpu->halted = cpu->cpu_index != 0;
}

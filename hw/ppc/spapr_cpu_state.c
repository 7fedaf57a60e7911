/*
 * The hypervisor's per-processor bookkeeping for the partition (VPA
 * registrations and the like), and finding a CPU by its processor number.
 */
#include "hw/ppc/spapr.h"
#include "sysemu/cpus.h"

uint32_t spapr_vcpu_id(SpaprMachineState *spapr, int cpu_index)
{
    unsigned threads = MAX(spapr->smp_threads, 1);
    uint32_t vsmt = MAX(spapr->vsmt, 1);

    return cpu_index / threads * vsmt + cpu_index % threads;
}

uint32_t spapr_max_server_number(SpaprMachineState *spapr)
{
    unsigned threads = MAX(spapr->smp_threads, 1);

    return (spapr->max_cpus * MAX(spapr->vsmt, 1) + threads - 1) / threads;
}

unsigned spapr_cpu_slots(const SpaprMachineState *spapr)
{
    return spapr->cpu_present ? spapr->max_cpus : spapr->smp_cpus;
}

bool spapr_cpu_present(const SpaprMachineState *spapr, unsigned i)
{
    return spapr->cpu_present ? i < spapr->max_cpus && spapr->cpu_present[i] : i < spapr->smp_cpus;
}

void spapr_cpu_set_present(SpaprMachineState *spapr, unsigned i, bool present)
{
    unsigned k = 0;

    g_assert(spapr->cpu_present && i < spapr->max_cpus);
    if (spapr->cpu_present[i] == present) {
        return;
    }
    spapr->cpu_present[i] = present;
    if (present) {
        spapr->cpu_order[spapr->nr_present++] = i;
        return;
    }
    while (spapr->cpu_order[k] != i) {
        k++;
    }
    memmove(&spapr->cpu_order[k], &spapr->cpu_order[k + 1],
            (--spapr->nr_present - k) * sizeof(spapr->cpu_order[0]));
}

PowerPCCPU *spapr_find_cpu(SpaprMachineState *spapr, target_ulong procno)
{
    for (unsigned i = 0; spapr && spapr->cpus && i < spapr_cpu_slots(spapr); i++) {
        if (spapr_cpu_present(spapr, i) && spapr->cpus[i] &&
            spapr_vcpu_id(spapr, spapr->cpus[i]->cpu_index) == procno) {
            return spapr->cpus[i];
        }
    }
    return NULL;
}

SpaprCpuState *spapr_cpu_state(SpaprMachineState *spapr, PowerPCCPU *cpu)
{
    unsigned i;

    if (!spapr->cpu_states) {
        spapr->cpu_states = g_new0(SpaprCpuState, spapr_cpu_slots(spapr));
    }
    for (i = 0; i < spapr_cpu_slots(spapr); i++) {
        if (spapr->cpus[i] == cpu) {
            return &spapr->cpu_states[i];
        }
    }
    fprintf(stderr, "spapr_cpu_state: CPU %d does not belong to the machine\n", cpu->cpu_index);
    abort();
}

void spapr_cpu_states_reset(SpaprMachineState *spapr)
{
    if (spapr->cpu_states) {
        memset(spapr->cpu_states, 0, spapr_cpu_slots(spapr) * sizeof(SpaprCpuState));
    }
}

typedef struct LpcrUpdate {
    uint64_t value, mask;
} LpcrUpdate;

static void update_lpcr(PowerPCCPU *cpu, void *opaque)
{
    const LpcrUpdate *u = opaque;

    cpu_synchronize_state(cpu);
    ppc_store_lpcr(cpu, (ppc_lpcr(&cpu->env) & ~u->mask) | (u->value & u->mask));
}

void spapr_cpu_update_lpcr(PowerPCCPU *cpu, uint64_t value, uint64_t mask)
{
    LpcrUpdate u = { .value = value, .mask = mask };

    run_on_cpu(cpu, update_lpcr, &u);
}

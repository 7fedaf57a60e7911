/*
 * NUMA affinity the partition sees: the associativity strings of the device
 * tree (form 1, or form 2 once CAS agreed to it) for the -numa nodes, and
 * H_HOME_NODE_ASSOCIATIVITY.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "hw/ppc/spapr_numa.h"
#include "qemu/module.h"
#include "sysemu/numa.h"

/* r4 flag: the identifier in r5 is a processor number (as H_REGISTER_VPA takes). */
#define H_HOME_NODE_VCPU 1
/* Six output registers, two 32-bit domains in each. */
#define HOME_NODE_OUT_REGS 6
/* QEMU 7.2 describes pseries-5.1 and older partitions the legacy way. */
#define SPAPR_NUMA_LEGACY_VERSION 501

bool spapr_numa_form2(SpaprMachineState *spapr)
{
    return spapr_cas_ov5_test(&spapr->cas, OV5_AFFINITY_BYTE, OV5_FORM2_AFFINITY);
}

unsigned spapr_numa_nodes(void)
{
    return MAX(numa_state()->num_nodes, 1);
}

unsigned spapr_numa_levels(SpaprMachineState *spapr)
{
    return spapr_numa_form2(spapr) ? SPAPR_NUMA_FORM2_LEVELS : SPAPR_NUMA_FORM1_LEVELS;
}

bool spapr_numa_legacy(SpaprMachineState *spapr)
{
    return numa_state()->num_nodes <= 1 ||
           (spapr->version && spapr_version_number(spapr->version) <= SPAPR_NUMA_LEGACY_VERSION);
}

/*
 * Form 1 levels from the distances (QEMU 7.2's mapping): a distance picks how
 * many of the most significant levels two nodes share: 10: all four; 12-30:
 * three; 32-60: two; 62-120: one; anything else (11, 31, 61, above 120): none.
 */
static unsigned form1_shared_levels(uint8_t distance)
{
    if (distance == NUMA_DISTANCE_MIN) {
        return 4;
    }
    if (distance >= 12 && distance <= 30) {
        return 3;
    }
    if (distance >= 32 && distance <= 60) {
        return 2;
    }
    if (distance >= 62 && distance <= 120) {
        return 1;
    }
    return 0;
}

/*
 * Form 1 domains of every node.  Without distances (or legacy) a node differs
 * from the others at the last level only.  With distances every level of node
 * n starts as n, then for each pair (src < dst, in order) dst takes src's
 * domains at the levels they share.
 */
static const uint32_t (*form1_domains(SpaprMachineState *spapr))[SPAPR_NUMA_FORM1_LEVELS]
{
    static uint32_t dom[NUMA_MAX_NODES][SPAPR_NUMA_FORM1_LEVELS];
    static bool done, done_legacy;
    const NumaState *ns = numa_state();
    bool legacy = spapr_numa_legacy(spapr);

    if (done && done_legacy == legacy) {
        return (const uint32_t(*)[SPAPR_NUMA_FORM1_LEVELS])dom;
    }
    memset(dom, 0, sizeof(dom));
    for (unsigned n = 0; n < ns->num_nodes; n++) {
        bool spread = !legacy && ns->have_distance;

        for (unsigned l = spread ? 0 : SPAPR_NUMA_FORM1_LEVELS - 1; l < SPAPR_NUMA_FORM1_LEVELS;
             l++) {
            dom[n][l] = n;
        }
    }
    if (!legacy && ns->have_distance) {
        for (unsigned src = 0; src < ns->num_nodes; src++) {
            for (unsigned dst = src + 1; dst < ns->num_nodes; dst++) {
                unsigned shared = form1_shared_levels(ns->nodes[src].distance[dst]);

                for (unsigned l = 0; l < shared; l++) {
                    dom[dst][l] = dom[src][l];
                }
            }
        }
    }
    done = true;
    done_legacy = legacy;
    return (const uint32_t(*)[SPAPR_NUMA_FORM1_LEVELS])dom;
}

void spapr_numa_node_domains(SpaprMachineState *spapr, unsigned node, uint32_t *domains)
{
    if (spapr_numa_form2(spapr)) {
        domains[0] = node;
        return;
    }
    memcpy(domains, form1_domains(spapr)[node], SPAPR_NUMA_FORM1_LEVELS * sizeof(*domains));
}

unsigned spapr_numa_cpu_domains(SpaprMachineState *spapr, unsigned cpu_index, uint32_t *domains)
{
    unsigned n = spapr_numa_levels(spapr);

    spapr_numa_node_domains(spapr, numa_cpu_node(cpu_index), domains);
    domains[n] = spapr_vcpu_id(spapr, cpu_index);
    return n + 1;
}

uint64_t spapr_numa_node0_size(uint64_t ram_size)
{
    const NumaState *ns = numa_state();

    for (unsigned n = 0; n < ns->num_nodes; n++) {
        if (ns->nodes[n].mem) {
            uint64_t p2 = 1ULL << (63 - __builtin_clzll(ns->nodes[n].mem));

            return MIN(p2, ram_size);
        }
    }
    return ram_size;
}

/*
 * r4 = H_HOME_NODE_VCPU, r5 = processor number.  r4..r9 = the processor's
 * associativity domains, two per register (the first in the high word),
 * padded with all-ones.  Other flags: H_FUNCTION; no such processor: H_P2.
 */
static target_ulong h_home_node_associativity(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                              target_ulong opcode, target_ulong *args)
{
    uint32_t domains[SPAPR_NUMA_FORM1_LEVELS + 1];
    unsigned n, next = 0;
    PowerPCCPU *target;

    (void)cpu;
    (void)opcode;
    if (args[0] != H_HOME_NODE_VCPU) {
        return H_FUNCTION;
    }
    target = spapr_find_cpu(spapr, args[1]);
    if (!target) {
        return H_P2;
    }
    n = spapr_numa_cpu_domains(spapr, target->cpu_index, domains);
    for (unsigned i = 0; i < HOME_NODE_OUT_REGS; i++) {
        uint64_t hi = next < n ? domains[next++] : 0xffffffffu;
        uint64_t lo = next < n ? domains[next++] : 0xffffffffu;

        args[i] = hi << 32 | lo;
    }
    return H_SUCCESS;
}

static void spapr_numa_init(void)
{
    spapr_register_hypercall(H_HOME_NODE_ASSOCIATIVITY, h_home_node_associativity);
}

module_init(spapr_numa_init)

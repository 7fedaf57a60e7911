/*
 * NUMA affinity the partition sees: the associativity strings of the device
 * tree (form 1, or form 2 once CAS agreed to it) and H_HOME_NODE_ASSOCIATIVITY.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "hw/ppc/spapr_numa.h"
#include "qemu/module.h"

/* r4 flag: the identifier in r5 is a processor number (as H_REGISTER_VPA takes). */
#define H_HOME_NODE_VCPU 1
/* Six output registers, two 32-bit domains in each. */
#define HOME_NODE_OUT_REGS 6

bool spapr_numa_form2(SpaprMachineState *spapr)
{
    return spapr_cas_ov5_test(&spapr->cas, OV5_AFFINITY_BYTE, OV5_FORM2_AFFINITY);
}

/*
 * A processor's associativity domains, without the count that leads the
 * device-tree form: with form 1 the four reference levels (all node 0: one
 * NUMA node) then the processor number; with form 2 the node, then the
 * processor number.
 */
unsigned spapr_numa_cpu_domains(SpaprMachineState *spapr, uint32_t vcpu_id, uint32_t *domains)
{
    unsigned n = spapr_numa_form2(spapr) ? SPAPR_NUMA_FORM2_LEVELS : SPAPR_NUMA_FORM1_LEVELS;

    memset(domains, 0, n * sizeof(*domains));
    domains[n] = vcpu_id;
    return n + 1;
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
    n = spapr_numa_cpu_domains(spapr, spapr_vcpu_id(spapr, target->cpu_index), domains);
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

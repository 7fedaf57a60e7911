/*
 * NUMA affinity of the pseries partition (hw/ppc/spapr_numa.c): the -numa nodes,
 * described in form 1 until CAS agrees to form 2, as QEMU 7.2 describes them.
 */
#ifndef HW_PPC_SPAPR_NUMA_H
#define HW_PPC_SPAPR_NUMA_H

#include "hw/ppc/spapr.h"

/* Associativity levels below the count cell: form 1 has four reference levels, form 2 one. */
#define SPAPR_NUMA_FORM1_LEVELS 4
#define SPAPR_NUMA_FORM2_LEVELS 1

/* Whether CAS agreed to form 2 affinity. */
bool spapr_numa_form2(SpaprMachineState *spapr);
/* The nodes the partition describes: the -numa nodes, or the one node holding everything. */
unsigned spapr_numa_nodes(void);
/* The associativity levels now in use (form 1 or form 2). */
unsigned spapr_numa_levels(SpaprMachineState *spapr);
/* Node node's associativity domains, SPAPR_NUMA_FORM1_LEVELS at most, into domains[]. */
void spapr_numa_node_domains(SpaprMachineState *spapr, unsigned node, uint32_t *domains);
/*
 * A processor's associativity domains (its node's levels, then its vcpu id)
 * into domains[], which has room for SPAPR_NUMA_FORM1_LEVELS + 1; returns how many.
 */
unsigned spapr_numa_cpu_domains(SpaprMachineState *spapr, unsigned cpu_index, uint32_t *domains);
/*
 * The size of the first node with memory, a power of two at most ram_size:
 * the real mode area must fit in it.
 */
uint64_t spapr_numa_node0_size(uint64_t ram_size);
/*
 * Form 1 as QEMU describes a partition of at most one node, or any partition
 * of pseries-5.1 and older: every node's domains 0 but the last level.
 */
bool spapr_numa_legacy(SpaprMachineState *spapr);

#endif

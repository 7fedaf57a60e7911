/*
 * NUMA affinity of the pseries partition (hw/ppc/spapr_numa.c): one node, described in
 * form 1 until CAS agrees to form 2.
 */
#ifndef HW_PPC_SPAPR_NUMA_H
#define HW_PPC_SPAPR_NUMA_H

#include "hw/ppc/spapr.h"

/* Associativity levels below the count cell: form 1 has four reference levels, form 2 one. */
#define SPAPR_NUMA_FORM1_LEVELS 4
#define SPAPR_NUMA_FORM2_LEVELS 1

/* Whether CAS agreed to form 2 affinity. */
bool spapr_numa_form2(SpaprMachineState *spapr);
/*
 * A processor's associativity domains (node levels, then vcpu_id) into domains[],
 * which has room for SPAPR_NUMA_FORM1_LEVELS + 1; returns how many.
 */
unsigned spapr_numa_cpu_domains(SpaprMachineState *spapr, uint32_t vcpu_id, uint32_t *domains);

#endif

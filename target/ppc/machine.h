/* A vCPU's architected state as a migration stream section (target/ppc/machine.c). */
#ifndef TARGET_PPC_MACHINE_H
#define TARGET_PPC_MACHINE_H

#include "qapi/error.h"
#include "target/ppc/cpu.h"

/* Append the CPU's section payload (docs/specs/migration-stream.rst); the VM is stopped. */
void ppc_cpu_state_save(PowerPCCPU *cpu, GByteArray *out);
/*
 * Load a payload ppc_cpu_state_save wrote.  The whole payload is checked
 * (exact length, same processor version) before the CPU changes: false + errp.
 */
bool ppc_cpu_state_load(PowerPCCPU *cpu, const uint8_t *buf, size_t len, Error **errp);

#endif

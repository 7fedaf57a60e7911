/*
 * The CPU model list for front ends (QMP query-cpu-definitions), apart from
 * cpu.h so that listing models does not pull in the CPU state.
 */
#ifndef TARGET_PPC_CPU_MODELS_H
#define TARGET_PPC_CPU_MODELS_H

typedef struct PowerPCCPUModel PowerPCCPUModel;

/* The model's name ("power9_v2.0") and alias ("power9"). */
const char *ppc_cpu_model_name(const PowerPCCPUModel *m);
const char *ppc_cpu_model_alias(const PowerPCCPUModel *m);
/* fn(model) for every model, in table order. */
void ppc_cpu_model_foreach(void (*fn)(const PowerPCCPUModel *m, void *opaque), void *opaque);

#endif

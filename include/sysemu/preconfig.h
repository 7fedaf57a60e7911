/*
 * --preconfig: the monitors run before the machine is built; QMP
 * x-exit-preconfig builds it, set-numa-node adds NUMA settings before that.
 */
#ifndef SYSEMU_PRECONFIG_H
#define SYSEMU_PRECONFIG_H

#include "qemu/osdep.h"
#include "hw/boards.h"
#include "qapi/qmp.h"

/* False only while --preconfig waits for x-exit-preconfig. */
bool phase_machine_ready(void);

/*
 * Serve the monitors until x-exit-preconfig has run build() (true), or a
 * quit or signal ended the process first (false, *status its exit status).
 * numas is the -numa list set-numa-node appends to.
 */
bool preconfig_run(void (*build)(void), GPtrArray *numas, int *status);

/*
 * The CPU slots the machine mo describes will have (cpu: -cpu or NULL), for
 * query-hotpluggable-cpus before it is built.
 */
void preconfig_set_cpu_slots(const char *cpu, const MachineOptions *mo);

/*
 * True when arg (an element of the -numa list) came from set-numa-node,
 * which has checked it and printed its warning already.
 */
bool preconfig_numa_arg_checked(const char *arg);
/* query-hotpluggable-cpus while waiting: the slots, node-id only where -numa or set-numa-node put one. */
JsonNode *preconfig_query_hotpluggable_cpus(QmpError *err);

#endif

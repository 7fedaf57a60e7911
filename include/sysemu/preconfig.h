/*
 * --preconfig: the monitors run before the machine is built; QMP
 * x-exit-preconfig builds it, set-numa-node adds NUMA settings before that.
 */
#ifndef SYSEMU_PRECONFIG_H
#define SYSEMU_PRECONFIG_H

#include "qemu/osdep.h"

/* False only while --preconfig waits for x-exit-preconfig. */
bool phase_machine_ready(void);

/*
 * Serve the monitors until x-exit-preconfig has run build() (true), or a
 * quit or signal ended the process first (false, *status its exit status).
 * numas is the -numa list set-numa-node appends to.
 */
bool preconfig_run(void (*build)(void), GPtrArray *numas, int *status);

#endif

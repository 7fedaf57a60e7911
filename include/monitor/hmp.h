/*
 * The human monitor (HMP): one command line in, the text QEMU's HMP prints out.
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

#include "qemu/osdep.h"

/* Run cmdline with cpu_index as the current CPU; the output ("\n" lines), g_free it. */
char *hmp_run(const char *cmdline, int64_t cpu_index);
/* cpu_index names a vCPU of the machine. */
bool hmp_cpu_index_valid(int64_t cpu_index);

#endif

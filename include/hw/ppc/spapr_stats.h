/*
 * The PAPR interface's profile (QMP x-query-hcalls, HMP info hcalls): per
 * hypercall opcode and RTAS token, calls, host time and errors.
 */
#ifndef HW_PPC_SPAPR_STATS_H
#define HW_PPC_SPAPR_STATS_H

#include "hw/ppc/spapr.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

/*
 * A cheap clock for the dispatch paths: the time-stamp counter where the
 * host has one (converted to ns when the stats are read), else ns.
 */
static inline uint64_t spapr_stats_clock(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
#endif
}

/*
 * A hypercall (RTAS call) by cpu (NULL: qtest) that started at t0
 * (spapr_stats_clock()) has returned ret (an RTAS status); negative is an
 * error.  No lock: each vCPU counts in its own table.
 */
void spapr_stats_hcall(PowerPCCPU *cpu, target_ulong opcode, uint64_t t0, int64_t ret);
void spapr_stats_rtas(PowerPCCPU *cpu, uint32_t token, uint64_t t0, int64_t status);

/* PAPR's name of a hypercall opcode ("H_CEDE"), or NULL. */
const char *spapr_hcall_name(target_ulong opcode);

#endif

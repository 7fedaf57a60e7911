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
 * One opcode's or token's counters in one vCPU's table.  Only that vCPU's
 * thread writes them (relaxed atomic loads and stores: no lock, no locked
 * instruction); readers add the tables up.
 */
typedef struct SpaprStat {
    uint64_t count;
    uint64_t errors;
    uint64_t timed; /* calls whose host time was measured */
    uint64_t total; /* their clock ticks */
    uint64_t max;
} SpaprStat;

/*
 * Reading a clock costs more than a fast hypercall on some hosts (~45 ns a
 * time-stamp counter read in a VM), so a hypercall's first calls are all
 * timed, then one in SPAPR_STATS_SAMPLE; RTAS calls always are.
 */
#define SPAPR_STATS_TIME_ALL 1024
#define SPAPR_STATS_SAMPLE 64

/* The time-stamp counter where the host has one (ns when read out), else ns. */
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

/* The calling vCPU's counters of a hypercall (cpu NULL: qtest); NULL outside the table. */
SpaprStat *spapr_stats_hcall_slot(PowerPCCPU *cpu, target_ulong opcode);
SpaprStat *spapr_stats_rtas_slot(PowerPCCPU *cpu, uint32_t token);

/* Before the call: its start time when this call is timed, else 0. */
static inline uint64_t spapr_stats_begin(SpaprStat *st, bool always)
{
    uint64_t n;

    if (!st) {
        return 0;
    }
    n = __atomic_load_n(&st->count, __ATOMIC_RELAXED);
    if (always || n < SPAPR_STATS_TIME_ALL || !(n % SPAPR_STATS_SAMPLE)) {
        return spapr_stats_clock() | 1; /* never 0 */
    }
    return 0;
}

void spapr_stats_time(SpaprStat *st, uint64_t t0);

static inline void spapr_stats_add(uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

/* After the call: ret (an hcall return code, an RTAS status) below 0 is an error. */
static inline void spapr_stats_end(SpaprStat *st, uint64_t t0, int64_t ret)
{
    if (!st) {
        return;
    }
    spapr_stats_add(&st->count, 1);
    if (ret < 0) {
        spapr_stats_add(&st->errors, 1);
    }
    if (t0) {
        spapr_stats_time(st, t0);
    }
}

/* PAPR's name of a hypercall opcode ("H_CEDE"), or NULL. */
const char *spapr_hcall_name(target_ulong opcode);

#endif

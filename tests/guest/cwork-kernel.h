/* The C workload of the cwork guest program and of its host reference: printf-style
 * formatting of doubles, qsort, polynomial libm, every rounding mode; one checksum. */
#ifndef CWORK_KERNEL_H
#define CWORK_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* format, qsort, libm, rounding, single */
#define CWORK_PARTS 5
#define CWORK_SAMPLE_LEN 160

/* Sets the rounding mode: 0 to nearest, 1 toward zero, 2 toward +inf, 3 toward -inf. */
typedef void cwork_round_fn(int mode);

/*
 * Runs every part and returns the hash of all, with each part's hash in part[]; @sample
 * gets one formatted line (NUL-terminated, at most CWORK_SAMPLE_LEN bytes with it).
 * Leaves the rounding mode at nearest.
 */
uint64_t cwork_checksum(uint64_t part[CWORK_PARTS], cwork_round_fn *set_round, char *sample);

#endif

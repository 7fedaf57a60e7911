/*
 * CPU benchmark kernels, shared by the bare-metal guest and the host reference build.
 * Freestanding: no libc, output goes through a caller-supplied line printer.
 */
#ifndef TESTS_BENCH_CPU_KERNELS_H
#define TESTS_BENCH_CPU_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* How much work each kernel does; the guest and the host use the same table. */
typedef struct CpuBenchParams {
    const char *name;
    uint32_t sieve_limit; /* primes below this */
    uint32_t sieve_rounds;
    uint32_t crc_bytes; /* buffer for the table-driven CRC */
    uint32_t crc_rounds;
    uint32_t crc_bit_bytes; /* prefix also run through the bitwise CRC */
    uint32_t muldiv_iters;
    uint32_t sort_elems;
    uint32_t sort_rounds;
    uint32_t interp_limit; /* the bytecode program walks Collatz chains 1..limit */
} CpuBenchParams;

extern const CpuBenchParams cpubench_full;
extern const CpuBenchParams cpubench_small;

/* Bytes of work area cpubench_run() needs for these parameters. */
size_t cpubench_arena_size(const CpuBenchParams *p);

/*
 * The environment of one run: where results go (one NUL-terminated line without
 * newline per call) and an optional clock read before and after each kernel
 * (NULL: no timing lines are printed).
 */
typedef struct CpuBenchEnv {
    void (*print_line)(const char *line);
    uint64_t (*read_clock)(void);
    uint8_t *arena;
} CpuBenchEnv;

/*
 * Run every kernel; result lines look the same on every machine, timing lines
 * start with '#'. Returns the total clock ticks spent in the kernels.
 */
uint64_t cpubench_run(const CpuBenchParams *p, const CpuBenchEnv *env);

/*
 * The floating-point and vector benchmark (fp-kernels.c): dense linear algebra with
 * FMA, conversions and rounding, square root and division, single-precision axpy,
 * byte/halfword vector arithmetic and permutes, a sort of doubles.  Built with hard
 * float and -O3 for the guest so the compiler vectorises with VMX/VSX.
 */
typedef struct FpBenchParams {
    const char *name;
    uint32_t dgemm_n; /* n x n matrices */
    uint32_t dgemm_rounds;
    uint32_t convert_elems;
    uint32_t convert_rounds;
    uint32_t sqrt_elems;
    uint32_t sqrt_rounds;
    uint32_t axpy_elems;
    uint32_t axpy_rounds;
    uint32_t vec_bytes;
    uint32_t vec_rounds;
    uint32_t sort_elems;
    uint32_t sort_rounds;
} FpBenchParams;

extern const FpBenchParams fpbench_full;
extern const FpBenchParams fpbench_small;

size_t fpbench_arena_size(const FpBenchParams *p);
uint64_t fpbench_run(const FpBenchParams *p, const CpuBenchEnv *env);

/* The benchmark a guest image or host build runs: -DFPBENCH picks the FP one. */
#ifdef FPBENCH
typedef FpBenchParams BenchParams;
#define bench_full fpbench_full
#define bench_small fpbench_small
#define bench_arena_size fpbench_arena_size
#define bench_run fpbench_run
#else
typedef CpuBenchParams BenchParams;
#define bench_full cpubench_full
#define bench_small cpubench_small
#define bench_arena_size cpubench_arena_size
#define bench_run cpubench_run
#endif

#endif

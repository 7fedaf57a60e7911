/*
 * Result lines of the benchmark guests (no libc: fixed-size buffers) and the loop
 * that runs a table of kernels, timing each with the caller's clock.
 */
#ifndef TESTS_BENCH_CPU_BENCH_LINE_H
#define TESTS_BENCH_CPU_BENCH_LINE_H

#include "kernels.h"

/* ---- Output: one fixed-size line, decimal and hex numbers, no libc ---- */

typedef struct Line {
    char buf[128];
    size_t len;
} Line;

static inline void line_str(Line *l, const char *s)
{
    while (*s && l->len < sizeof(l->buf) - 1) {
        l->buf[l->len++] = *s++;
    }
    l->buf[l->len] = '\0';
}

static inline void line_dec(Line *l, uint64_t v)
{
    char tmp[24];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && l->len < sizeof(l->buf) - 1) {
        l->buf[l->len++] = tmp[--n];
    }
    l->buf[l->len] = '\0';
}

static inline void line_hex(Line *l, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";

    line_str(l, "0x");
    for (int i = digits - 1; i >= 0 && l->len < sizeof(l->buf) - 1; i--) {
        l->buf[l->len++] = hex[(v >> (4 * i)) & 0xf];
    }
    l->buf[l->len] = '\0';
}

/* "name key=value ..." helpers: a key followed by a number. */
static inline void line_kdec(Line *l, const char *key, uint64_t v)
{
    line_str(l, " ");
    line_str(l, key);
    line_str(l, "=");
    line_dec(l, v);
}

static inline void line_khex(Line *l, const char *key, uint64_t v, int digits)
{
    line_str(l, " ");
    line_str(l, key);
    line_str(l, "=");
    line_hex(l, v, digits);
}

static inline void line_start(Line *l, const char *name)
{
    l->len = 0;
    line_str(l, name);
    line_str(l, ":");
}

/* ---- Pseudo-random stream: Marsaglia's xorshift64 ---- */

static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* One kernel: runs with its parameters and leaves its result line in l. */
typedef struct BenchKernel {
    const char *name;
    void (*fn)(const void *params, const CpuBenchEnv *env, Line *l);
} BenchKernel;

/*
 * Print "title: size=NAME", then run each kernel and print its line, followed by a
 * "# ticks NAME N" line when env has a clock.  Returns the total ticks.
 */
static inline uint64_t bench_run_kernels(const char *title, const char *size_name,
                                         const BenchKernel *k, size_t n, const void *params,
                                         const CpuBenchEnv *env)
{
    uint64_t total = 0;
    Line l;

    line_start(&l, title);
    line_str(&l, " size=");
    line_str(&l, size_name);
    env->print_line(l.buf);
    for (size_t i = 0; i < n; i++) {
        uint64_t t0 = env->read_clock ? env->read_clock() : 0;
        k[i].fn(params, env, &l);
        uint64_t t1 = env->read_clock ? env->read_clock() : 0;
        env->print_line(l.buf);
        total += t1 - t0;
        if (env->read_clock) {
            l.len = 0;
            line_str(&l, "# ticks ");
            line_str(&l, k[i].name);
            line_str(&l, " ");
            line_dec(&l, t1 - t0);
            env->print_line(l.buf);
        }
    }
    return total;
}

#endif

/*
 * Benchmark (not a test): H_LOGICAL_MEMOP copy throughput through the qtest
 * `hcall` command, against the host's memmove on buffers of the same size.
 */
#include "tests/qtest/libqtest.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MiB ((uint64_t)1024 * 1024)
#define H_LOGICAL_MEMOP 0xf001
#define MEMOP_ESIZE_8 3
#define MEMOP_COPY 0

static unsigned opt_mib = 64;
static unsigned opt_iterations = 20;

static double rate_mbs(uint64_t bytes, int64_t usec)
{
    return usec > 0 ? (double)bytes / MiB / ((double)usec / G_USEC_PER_SEC) : 0;
}

/* One guest copy of len bytes between the two halves of the work area. */
static void guest_copy(QTestState *s, uint64_t dst, uint64_t src, uint64_t len)
{
    const uint64_t args[5] = { dst, src, MEMOP_ESIZE_8, len / 8, MEMOP_COPY };

    if (qtest_hcall(s, H_LOGICAL_MEMOP, args, 5, NULL) != 0) {
        fprintf(stderr, "memop-bench: H_LOGICAL_MEMOP failed\n");
        exit(1);
    }
}

static double bench_guest(uint64_t len)
{
    /* Room for source and destination above the first 64 MiB. */
    g_autofree char *extra = g_strdup_printf("-m %" PRIu64 "M", MAX(1024, 64 + 2 * len / MiB + 64));
    QTestState *s = qtest_init(extra);
    const uint64_t a = 64 * MiB, b = a + len;
    int64_t t0, t1;

    /* Touch both ranges once, so page faults are not measured. */
    qtest_memset(s, a, 0x5a, len);
    guest_copy(s, b, a, len);
    t0 = g_get_monotonic_time();
    for (unsigned i = 0; i < opt_iterations; i++) {
        guest_copy(s, i & 1 ? a : b, i & 1 ? b : a, len);
    }
    t1 = g_get_monotonic_time();
    qtest_quit(s);
    return rate_mbs(len * opt_iterations, t1 - t0);
}

static double bench_host(uint64_t len)
{
    uint8_t *buf = g_malloc(2 * len);
    int64_t t0, t1;

    memset(buf, 0x5a, 2 * len);
    t0 = g_get_monotonic_time();
    for (unsigned i = 0; i < opt_iterations; i++) {
        if (i & 1) {
            memmove(buf, buf + len, len);
        } else {
            memmove(buf + len, buf, len);
        }
    }
    t1 = g_get_monotonic_time();
    /* Keep the copies observable so they cannot be optimised away. */
    if (buf[len / 2] != 0x5a) {
        fprintf(stderr, "memop-bench: host copy went wrong\n");
        exit(1);
    }
    g_free(buf);
    return rate_mbs(len * opt_iterations, t1 - t0);
}

int main(int argc, char **argv)
{
    GOptionEntry entries[] = {
        { "size", 's', 0, G_OPTION_ARG_INT, &opt_mib, "MiB per copy (64)", "N" },
        { "iterations", 'n', 0, G_OPTION_ARG_INT, &opt_iterations, "copies to time (20)", "N" },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("- H_LOGICAL_MEMOP copy speed against the host's memmove");
    g_autoptr(GError) err = NULL;
    double guest, host;
    uint64_t len;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err) || opt_mib == 0 || opt_mib > 4096 ||
        opt_iterations == 0) {
        fprintf(stderr, "memop-bench: %s\n", err ? err->message : "bad value");
        return 1;
    }
#ifdef BENCH_QEMU_BINARY
    g_setenv("QTEST_QEMU_BINARY", BENCH_QEMU_BINARY, FALSE);
#endif
    len = opt_mib * MiB;
    guest = bench_guest(len);
    host = bench_host(len);
    printf("H_LOGICAL_MEMOP copy (%u x %u MiB via qtest hcall): %.0f MB/s\n", opt_iterations,
           opt_mib, guest);
    printf("host memmove (%u x %u MiB):                      %.0f MB/s\n", opt_iterations, opt_mib,
           host);
    printf("ratio memop/memmove: %.2f\n", host > 0 ? guest / host : 0);
    return 0;
}

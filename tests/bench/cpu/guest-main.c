/*
 * The bare-metal CPU benchmark guest: runs the kernels, prints their results on the
 * console and powers the machine off through RTAS.
 */
#include "kernels.h"
#include "runtime.h"

/* From cpu-bench.ld. */
extern uint8_t __bss_start[], __bss_end[], __arena_start[];

#ifdef CPUBENCH_SMALL
#define CPUBENCH_PARAMS bench_small
#else
#define CPUBENCH_PARAMS bench_full
#endif

static void print_line(const char *line)
{
    cpubench_puts(line);
    cpubench_puts("\n");
}

static void print_number(const char *label, uint64_t v)
{
    char buf[24];
    size_t n = sizeof(buf) - 1;

    buf[n] = '\0';
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n);
    cpubench_puts(label);
    cpubench_puts(buf + n);
    cpubench_puts("\n");
}

void cpubench_main(const void *fdt);

void cpubench_main(const void *fdt)
{
    CpuBenchEnv env = {
        .print_line = print_line,
        .read_clock = cpubench_mftb,
        .arena = __arena_start,
    };
    uint32_t tb_freq = 0;

    for (uint8_t *p = __bss_start; p < __bss_end; p++) {
        *p = 0;
    }
    /* Everything is read from the tree before the kernels may overwrite it. */
    if (cpubench_rtas_init(fdt)) {
        cpubench_puts("cpubench: no /rtas/power-off token in the device tree\n");
        cpubench_os_term("cpubench: no power-off token");
        for (;;) {
        }
    }
    if (!cpubench_fdt_u32(fdt, NULL, "timebase-frequency", &tb_freq)) {
        print_number("# timebase-frequency ", tb_freq);
    }
    uint64_t total = bench_run(&CPUBENCH_PARAMS, &env);
    print_number("# ticks total ", total);
    if (cpubench_power_off() != 0) {
        cpubench_puts("cpubench: RTAS power-off failed\n");
        cpubench_os_term("cpubench: RTAS power-off failed");
    }
    /* Like Linux after power-off: wait for the machine to stop. */
    for (;;) {
    }
}

/*
 * Minimal bare-metal runtime of the CPU benchmark guest: console and RTAS through
 * PAPR hypercalls, device tree look-ups.
 */
#ifndef TESTS_BENCH_CPU_RUNTIME_H
#define TESTS_BENCH_CPU_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* In start.S. */
uint64_t cpubench_hcall(uint64_t opcode, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5, uint64_t a6);
uint64_t cpubench_mftb(void);

/* Write bytes to the spapr-vty console. */
void cpubench_puts(const char *s);

/*
 * The u32 value of property prop of the first device-tree node whose name (before
 * any '@') is node, or of any node if node is NULL; returns 0 when found.
 */
int cpubench_fdt_u32(const void *fdt, const char *node, const char *prop, uint32_t *val);

/* Read the RTAS tokens from the device tree; returns 0 when power-off was found. */
int cpubench_rtas_init(const void *fdt);
/*
 * RTAS power-off; returns its RTAS status if it returns at all (the machine may stop
 * the calling CPU at once, or a little later as its shutdown completes).
 */
int32_t cpubench_power_off(void);
/* RTAS ibm,os-term with a message: the emulator reports it and exits. */
void cpubench_os_term(const char *msg);

#endif

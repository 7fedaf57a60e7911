/*
 * A guest that leans on the host as hard as it can, for tests/guest/run-abuse.py:
 * the monitor must keep answering, the host's memory and log must stay bounded,
 * and `quit` must end the process. Built once per mode (-DABUSE_MODE=N):
 *   1 pageinit  H_PAGE_INIT zeroing every page of RAM above 16 MiB, round after round
 *   2 memop     H_LOGICAL_MEMOP copying and inverting 256 MiB blocks back and forth
 *   3 console   H_PUT_TERM_CHAR with 16 bytes per call, without end
 *   4 exception the program interrupt vector holds an illegal instruction: each
 *               program interrupt raises the next one, at 0x700, forever
 *   5 storm     an IPI that is never withdrawn: taken through H_CEDE, accepted,
 *               EOIed (so presented again), without end
 * Each prints "abuse: MODE started" before its loop; the loops never end by
 * themselves (the test script quits the machine).
 */
#include "insn.h"

#define H_PAGE_INIT 0x2c
#define H_ZERO_PAGE PPC_BIT(48)
#define H_LOGICAL_MEMOP 0xf001
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_XIRR 0x74
#define MSR_EE PPC_BIT(48)
#define XISR_IPI 2
#define XIRR(cppr, xisr) ((uint64_t)(cppr) << 24 | (xisr))

#define MiB (1ULL << 20)
#define RAM_START (16 * MiB)
#define PAGE 4096ULL

static int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                     uint64_t a4)
{
    uint64_t regs[9] = { a0, a1, a2, a3, a4 };

    return guest_hcall(opcode, regs);
}

/* The RAM size from /memory@0's reg (address and size cells are 2 each). */
static uint64_t ram_size(void *fdt)
{
    uint32_t len = 0;
    const uint8_t *reg = guest_fdt_prop(fdt, guest_fdt_node(fdt, "/memory@0"), "reg", &len);

    if (!reg || len < 16) {
        guest_fail("no /memory@0 reg");
    }
    return (uint64_t)guest_be32(reg + 8) << 32 | guest_be32(reg + 12);
}

static void pageinit(uint64_t ram)
{
    for (uint32_t round = 0;; round++) {
        for (uint64_t pa = RAM_START; pa < ram; pa += PAGE) {
            if (hcall(H_PAGE_INIT, H_ZERO_PAGE, pa, 0, 0, 0) != H_SUCCESS) {
                guest_fail("H_PAGE_INIT refused a page of RAM");
            }
        }
    }
}

static void memop(uint64_t ram)
{
    uint64_t block = 256 * MiB, a = ram - 2 * block, b = ram - block;

    if (a < RAM_START) {
        guest_fail("the memop mode needs 512 MiB above 16 MiB");
    }
    for (uint32_t round = 0;; round++) {
        /* dst, src, element size 8 (esize 3), count, copy (0) or invert (1) */
        if (hcall(H_LOGICAL_MEMOP, b, a, 3, block / 8, round & 1) != H_SUCCESS ||
            hcall(H_LOGICAL_MEMOP, a, b, 3, block / 8, 0) != H_SUCCESS) {
            guest_fail("H_LOGICAL_MEMOP refused a block of RAM");
        }
    }
}

static void console(void)
{
    /* 16 bytes per call: "abuse: flooding\n" */
    for (;;) {
        hcall(H_PUT_TERM_CHAR, GUEST_VTY_UNIT, 16, 0x61627573653a2066ULL, 0x6c6f6f64696e670aULL, 0);
    }
}

static void exception(void)
{
    /* Through an asm barrier: GCC takes a constant address for an empty array. */
    volatile uint32_t *vector = (volatile uint32_t *)0x700;

    __asm__("" : "+r"(vector));

    /* 0 is no instruction (primary opcode 0): the vector itself raises the next one. */
    *vector = 0;
    __asm__ volatile("dcbst 0,%0; sync; icbi 0,%0; isync" : : "r"(vector) : "memory");
    __asm__ volatile(".long 0");
    guest_fail("the illegal instruction did not trap");
}

static void storm(void)
{
    struct guest_trap t;
    uint64_t regs[9] = { 0 };

    hcall(H_CPPR, 0xff, 0, 0, 0, 0);
    hcall(H_IPI, 0, 5, 0, 0, 0);
    for (;;) {
        guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
        guest_cede();
        if (!guest_trap_taken(&t) || t.vector != 0x500) {
            guest_fail("the IPI was not taken through H_CEDE");
        }
        regs[0] = 0;
        if (guest_hcall(H_XIRR, regs) != H_SUCCESS || regs[0] != XIRR(0xff, XISR_IPI)) {
            guest_fail("H_XIRR did not present the IPI");
        }
        hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, 0, 0, 0);
    }
}

static const char *const names[] = { "?", "pageinit", "memop", "console", "exception", "storm" };

int main(void *fdt)
{
    uint64_t ram = ram_size(fdt);

    guest_printf("abuse: %s started (%llu MiB of RAM)\n", names[ABUSE_MODE],
                 (unsigned long long)(ram / MiB));
    guest_flush();
    switch (ABUSE_MODE) {
    case 1:
        pageinit(ram);
        break;
    case 2:
        memop(ram);
        break;
    case 3:
        console();
        break;
    case 4:
        exception();
        break;
    case 5:
        storm();
        break;
    }
    return 1;
}

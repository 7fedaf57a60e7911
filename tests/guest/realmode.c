/*
 * Real-mode loads and stores at the end of RAM (this machine has 1 GiB), where
 * compiled code stops loading straight from RAM and takes the soft TLB's slow
 * path (target/ppc/jit-x86_64.c, real_load_range()): each load size at every
 * offset of RAM's last kilobyte, one compiled block for all, must give the
 * bytes stored there; a load or store across RAM's end or past it raises the
 * machine check the interpreter raises (SRR0, SRR1, DAR, DSISR) and changes
 * nothing; the effective address's top four bits are ignored.  Then code
 * written in real mode into a page that is read (through the same loads) and
 * run, again and again: each new instruction is the one that runs.
 */
#include "insn.h"

#define RAM_END 0x40000000ULL
#define EDGE 1024 /* RAM's last bytes under test */
#define VEC_MACHINE_CHECK 0x200
#define SRR1_MC_LOADSTORE PPC_BIT(42)
#define SRR1_MC_STORE_RA (PPC_BIT(36) | PPC_BIT(43) | PPC_BIT(45))
#define DSISR_MC_LOAD_RA PPC_BIT(57)
#define SPR_DSISR 18

/* The byte the pattern puts at address a. */
static uint8_t pattern(uint64_t a)
{
    return (uint8_t)(a * 37 + (a >> 8) * 11 + 5);
}

/* The size bytes at a as a load of this byte order assembles them. */
static uint64_t expected(uint64_t a, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = v << 8 | pattern(a + i);
#else
        v |= (uint64_t)pattern(a + i) << (8 * i);
#endif
    }
    return v;
}

/*
 * One load of each size, at the address a (one compiled block each, whatever
 * the address); *at is the load's own address (SRR0 when it faults).  v keeps
 * its value when the load faults.
 */
#define LOAD_FN(name, insn)                                                                        \
    static uint64_t __attribute__((noinline)) name(uint64_t a, uint64_t v, uint64_t *at)           \
    {                                                                                              \
        uint64_t pc;                                                                               \
        asm volatile("lis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\t" insn " %1,0(%2)"                      \
                     : "=&b"(pc), "+r"(v)                                                          \
                     : "b"(a)                                                                      \
                     : "memory");                                                                  \
        *at = pc;                                                                                  \
        return v;                                                                                  \
    }
LOAD_FN(load1, "lbz")
LOAD_FN(load2, "lhz")
LOAD_FN(load4, "lwz")
LOAD_FN(load8, "ld")

static uint64_t __attribute__((noinline)) store8(uint64_t a, uint64_t v)
{
    uint64_t pc;

    asm volatile("lis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\tstd %1,0(%2)"
                 : "=&b"(pc)
                 : "r"(v), "b"(a)
                 : "memory");
    return pc;
}

static uint64_t load(unsigned size, uint64_t a, uint64_t v, uint64_t *at)
{
    switch (size) {
    case 1:
        return load1(a, v, at);
    case 2:
        return load2(a, v, at);
    case 4:
        return load4(a, v, at);
    default:
        return load8(a, v, at);
    }
}

static uint64_t mfmsr(void)
{
    uint64_t m;

    asm volatile("mfmsr %0" : "=r"(m));
    return m;
}

static void fill_edge(void)
{
    for (uint64_t a = RAM_END - EDGE; a < RAM_END; a++) {
        *(volatile uint8_t *)a = pattern(a);
    }
}

/* Every size at every offset of RAM's last kilobyte, and the first ones past it. */
static void test_loads_at_end(void)
{
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    uint64_t m = mfmsr();
    unsigned faults = 0;

    fill_edge();
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned k = 0; k < 4; k++) {
            unsigned size = sizes[k];

            for (uint64_t a = RAM_END - EDGE; a < RAM_END + 8; a++) {
                struct guest_trap t;
                uint64_t at, v;
                bool inside = a + size <= RAM_END;

                asm volatile("mtspr %0,%1" : : "i"(SPR_DSISR), "r"(0x1234));
                guest_trap_expect();
                v = load(size, a, 0x5555, &at);
                guest_trap_taken(&t);
                if (inside || guest_oracle()) {
                    /* QEMU 7.2 reads zeros past RAM */
                    CHECK_EQ(t.vector, 0);
                    if (inside) {
                        CHECK_EQ(v, expected(a, size));
                    }
                    continue;
                }
                faults++;
                CHECK_EQ(t.vector, VEC_MACHINE_CHECK);
                CHECK_EQ(t.srr0, at);
                CHECK_EQ(t.srr1, m | SRR1_MC_LOADSTORE);
                /* the first byte with nothing there */
                CHECK_EQ(t.dar, a < RAM_END ? RAM_END : a);
                CHECK_EQ(t.dsisr, DSISR_MC_LOAD_RA);
                CHECK_EQ(v, 0x5555);
            }
        }
    }
    CHECK_EQ(faults, guest_oracle() ? 0 : 2 * (8 + 9 + 11 + 15));
}

/* The top four bits of a real-mode effective address are ignored. */
static void test_top_bits(void)
{
    uint64_t at;

    fill_edge();
    for (uint64_t top = 1; top < 16; top++) {
        uint64_t a = RAM_END - 8 * top;

        CHECK_EQ(load(8, top << 60 | a, 0, &at), expected(a, 8));
        CHECK_EQ(load(4, top << 60 | (RAM_END - EDGE + top), 0, &at),
                 expected(RAM_END - EDGE + top, 4));
        CHECK_EQ(load(8, top << 60 | 0x100000, 0, &at), load(8, 0x100000, 0, &at));
    }
}

/* A doubleword store across RAM's end or past it: a machine check, nothing written. */
static void test_store_across_end(void)
{
    uint64_t m = mfmsr();

    fill_edge();
    for (uint64_t a = RAM_END - 7; a <= RAM_END; a++) {
        struct guest_trap t;
        uint64_t at;

        asm volatile("mtspr %0,%1" : : "i"(SPR_DSISR), "r"(0x1234));
        guest_trap_expect();
        at = store8(a, 0x1122334455667788ULL);
        guest_trap_taken(&t);
        if (guest_oracle()) {
            continue; /* QEMU 7.2 drops the store's bytes past RAM, no interrupt */
        }
        CHECK_EQ(t.vector, VEC_MACHINE_CHECK);
        CHECK_EQ(t.srr0, at);
        CHECK_EQ(t.srr1, m | SRR1_MC_STORE_RA);
        CHECK_EQ(t.dar, RAM_END);
        CHECK_EQ(t.dsisr, 0x1234);
        for (uint64_t b = RAM_END - 8; b < RAM_END; b++) {
            CHECK_EQ(*(volatile uint8_t *)b, pattern(b));
        }
    }
    /* The last doubleword in RAM is stored and loaded back (compiled loads). */
    for (int i = 0; i < 3; i++) {
        uint64_t at, v = 0x0102030405060708ULL * (uint64_t)(i + 1);

        store8(RAM_END - 8, v);
        CHECK_EQ(load(8, RAM_END - 8, 0, &at), v);
        CHECK_EQ(load(8, RAM_END - 520, 0, &at), expected(RAM_END - 520, 8));
    }
}

/* li r3,v; blr: written at the code page, read back through loads, run. */
#define LI3(v) ((14u << 26) | (3u << 21) | ((uint32_t)(v)&0xffff))
#define BLR 0x4e800020u

static uint32_t code_page[1024] __attribute__((aligned(4096)));

static void test_code_rewritten(void)
{
    uint64_t (*volatile fn)(void) = (uint64_t(*)(void))(uintptr_t)code_page;
    /* ELFv2 calls through a pointer need r12 = the entry: the code sets no TOC */
    volatile uint32_t *p = code_page;
    uint64_t at;

    for (uint32_t v = 1; v <= 40; v++) {
        p[0] = LI3(v);
        p[1] = BLR;
        asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(p) : "memory");
        /* the page's words through compiled loads, then the code itself */
        CHECK_EQ(load(4, (uint64_t)(uintptr_t)p, 0, &at), LI3(v));
        CHECK_EQ(load(4, (uint64_t)(uintptr_t)&p[1], 0, &at), BLR);
        for (int k = 0; k < 3; k++) {
            CHECK_EQ(fn(), v);
        }
    }
}

int main(void *fdt)
{
    CHECK_EQ(mfmsr() & (PPC_BIT(58) | PPC_BIT(59)), 0); /* IR, DR: real mode */
    test_loads_at_end();
    test_top_bits();
    test_store_across_end();
    test_code_rewritten();
    return 0;
}

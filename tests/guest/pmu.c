/* The performance monitor in supervisor state, checked against QEMU 7.2: the SPRs'
 * reset values and widths, PMC5 counting instructions and PMC6 cycles while not
 * frozen, overflow, the alert (MMCR0[PMAO]) and its interrupt at 0xf00, which QEMU
 * 7.2 never delivers, and 32-bit PMCs, which QEMU 7.2 keeps in 64 bits. Problem-state access rules are in tests/unit/test-ppc-pmu.c. */
#include "insn.h"

#define SPR_USIER 768
#define SPR_UPMC1 771
#define SPR_UMMCR0 779
#define SPR_SIER 784
#define SPR_MMCR2 785
#define SPR_MMCRA 786
#define SPR_PMC1 787
#define SPR_PMC5 791
#define SPR_PMC6 792
#define SPR_MMCR0 795
#define SPR_SIAR 796
#define SPR_SDAR 797
#define SPR_MMCR1 798

#define MMCR0_FC PPC_BIT(32)
#define MMCR0_PMAE PPC_BIT(37)
#define MMCR0_FCECE PPC_BIT(38)
#define MMCR0_PMCJCE PPC_BIT(49)
#define MMCR0_PMAO PPC_BIT(56)
#define MMCR0_FC14 PPC_BIT(58)
#define MMCR0_FC56 PPC_BIT(59)
#define FROZEN (MMCR0_FC | MMCR0_FC56)

#define MSR_EE PPC_BIT(48)
#define VEC_PROGRAM 0x700
#define VEC_PERFM 0xf00
#define SRR1_ILLEGAL PPC_BIT(44)

#define MF(n)                                                                                      \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        asm volatile("mfspr %0, %1" : "=r"(v_) : "i"(n));                                          \
        v_;                                                                                        \
    })
#define MT(n, v) asm volatile("mtspr %0, %1" ::"i"(n), "r"((uint64_t)(v)) : "memory")

/* PMC5 counts: a bdnz loop of n turns between unfreezing and freezing again. */
static __attribute__((noinline)) uint64_t count_loop(uint64_t n)
{
    MT(SPR_MMCR0, FROZEN);
    MT(SPR_PMC5, 0);
    MT(SPR_MMCR0, 0);
    asm volatile("mtctr %0\n1: bdnz 1b" ::"r"(n) : "ctr");
    MT(SPR_MMCR0, FROZEN);
    return MF(SPR_PMC5);
}

/* Run 20 nops with MMCR1 = mmcr1 and MMCR0 = mmcr0, PMC1-5 starting at 0. */
static void count_nops(uint64_t mmcr1, uint64_t mmcr0, uint64_t pmc[5])
{
    MT(SPR_MMCR0, FROZEN);
    MT(SPR_PMC1, 0);
    MT(SPR_PMC1 + 1, 0);
    MT(SPR_PMC1 + 2, 0);
    MT(SPR_PMC1 + 3, 0);
    MT(SPR_PMC5, 0);
    MT(SPR_MMCR1, mmcr1);
    MT(SPR_MMCR0, mmcr0);
    asm volatile(".rept 20\n\tnop\n\t.endr" ::: "memory");
    MT(SPR_MMCR0, FROZEN);
    pmc[0] = MF(SPR_PMC1);
    pmc[1] = MF(SPR_PMC1 + 1);
    pmc[2] = MF(SPR_PMC1 + 2);
    pmc[3] = MF(SPR_PMC1 + 3);
    pmc[4] = MF(SPR_PMC5);
    MT(SPR_MMCR1, 0);
}

/* PMC5 after 20 nops counted from start. */
static __attribute__((noinline)) uint64_t nops_from(uint64_t start)
{
    MT(SPR_PMC5, start);
    MT(SPR_MMCR0, 0);
    asm volatile(".rept 20\n\tnop\n\t.endr" ::: "memory");
    MT(SPR_MMCR0, FROZEN);
    return MF(SPR_PMC5);
}

/* PMC5 after 20 nops and a loop with MMCR0 = mmcr0 (PMC5 from 0). */
static __attribute__((noinline)) uint64_t count_with(uint64_t mmcr0)
{
    MT(SPR_MMCR0, FROZEN);
    MT(SPR_PMC5, 0);
    MT(SPR_MMCR0, mmcr0);
    asm volatile(".rept 20\n\tnop\n\t.endr" ::: "memory");
    for (volatile int i = 0; i < 1000; i++) {
    }
    MT(SPR_MMCR0, FROZEN);
    return MF(SPR_PMC5);
}

static void spin(void)
{
    for (volatile int i = 0; i < 100000; i++) {
    }
}

static void test_reset_and_width(void)
{
    const uint64_t v = 0xfedcba9876543210ULL;

    CHECK_EQ(MF(SPR_MMCR0), MMCR0_FC);
    CHECK_EQ(MF(SPR_MMCR1), 0);
    CHECK_EQ(MF(SPR_PMC5), 0);
    CHECK_EQ(MF(SPR_PMC6), 0);
    /* every register keeps 64 bits */
#define ROUNDTRIP(n)                                                                               \
    do {                                                                                           \
        MT(n, v);                                                                                  \
        CHECK_EQ(MF(n), v);                                                                        \
        MT(n, 0);                                                                                  \
    } while (0)
    ROUNDTRIP(SPR_SIER);
    ROUNDTRIP(SPR_MMCR2);
    ROUNDTRIP(SPR_MMCRA);
    /* the PMCs are 32-bit registers (Book III 9.4.2); QEMU 7.2 keeps 64 bits */
    MT(SPR_PMC1, v);
    CHECK_EQ(MF(SPR_PMC1), guest_oracle() ? v : (uint32_t)v);
    MT(SPR_PMC6, v);
    CHECK_EQ(MF(SPR_PMC6), guest_oracle() ? v : (uint32_t)v);
    MT(SPR_UPMC1 + 4, v);
    CHECK_EQ(MF(SPR_PMC5), guest_oracle() ? v : (uint32_t)v);
    MT(SPR_PMC1, 0);
    MT(SPR_PMC5, 0);
    MT(SPR_PMC6, 0);
    ROUNDTRIP(SPR_SIAR);
    ROUNDTRIP(SPR_SDAR);
    MT(SPR_MMCR1, v);
    CHECK_EQ(MF(SPR_MMCR1), v);
    MT(SPR_MMCR1, 0);
    MT(SPR_MMCR0, ~0ULL);
    CHECK_EQ(MF(SPR_MMCR0), ~0ULL);
    MT(SPR_MMCR0, FROZEN);
    /* the problem-state numbers reach the same registers in supervisor state */
    CHECK_EQ(MF(SPR_UMMCR0), FROZEN);
    MT(SPR_UMMCR0, FROZEN | 0x1200);
    CHECK_EQ(MF(SPR_MMCR0), FROZEN | 0x1200);
    MT(SPR_MMCR0, FROZEN);
    MT(SPR_PMC1, 0x77);
    CHECK_EQ(MF(SPR_UPMC1), 0x77);
    MT(SPR_PMC1, 0);
    /* 768 is SIER's view; QEMU 7.2 reads a register of its own there */
    MT(SPR_SIER, 5);
    CHECK_EQ(MF(SPR_USIER), guest_oracle() ? 0 : 5);
    MT(SPR_SIER, 0);
}

static void test_counting(void)
{
    uint64_t a, b, pmc[5];

    /* FC alone cleared: FC56 still freezes PMC5 and PMC6 */
    MT(SPR_PMC5, 0);
    MT(SPR_PMC6, 0);
    MT(SPR_MMCR0, MMCR0_FC56);
    spin();
    CHECK_EQ(MF(SPR_PMC5), 0);
    CHECK_EQ(MF(SPR_PMC6), 0);
    MT(SPR_MMCR0, 0);
    spin();
    MT(SPR_MMCR0, FROZEN);
    CHECK(MF(SPR_PMC5) > 100000);
    CHECK(MF(SPR_PMC6) > 0);
    a = MF(SPR_PMC6);
    spin();
    CHECK_EQ(MF(SPR_PMC6), a);

    /* exactly one per instruction */
    a = count_loop(100);
    b = count_loop(1000);
    CHECK_EQ(b - a, 900);

    /* the block that freezes the counters counts, the freezing mtspr included */
    count_nops(0, 0, pmc);
    CHECK_EQ(pmc[4], 21);
    CHECK_EQ(pmc[0], 0);
    /* PMC1-4 counting cycles (event 0x1e) */
    count_nops(0x1e1e1e1eULL, 0, pmc);
    CHECK_EQ(pmc[4], 21);
    MT(SPR_MMCR1, 0x1e1e1e1eULL);
    MT(SPR_MMCR0, 0);
    spin();
    MT(SPR_MMCR0, FROZEN);
    CHECK(MF(SPR_PMC1) > 0 && MF(SPR_PMC1 + 1) > 0 && MF(SPR_PMC1 + 2) > 0 && MF(SPR_PMC1 + 3) > 0);
    MT(SPR_MMCR1, 0);
    /*
     * PMC1-4 counting instructions (event 2): QEMU 7.2 then updates every
     * counter by the state at the end of the block, frozen here: nothing.
     */
    count_nops(0x02020202ULL, 0, pmc);
    CHECK_EQ(pmc[0] | pmc[1] | pmc[2] | pmc[3] | pmc[4], 0);
    count_nops(0x02020202ULL, MMCR0_FC14, pmc);
    CHECK_EQ(pmc[0] | pmc[1] | pmc[2] | pmc[3], 0);
    CHECK_EQ(pmc[4], 21);

    /*
     * QEMU 7.2 freezes nothing by state: MMCR0[FCS] (supervisor), [FCP] (problem),
     * [FCM1], [FCM0] and MMCR2's FC5S0/FC5P0 count as if clear.
     */
    a = count_with(0);
    CHECK(a > 1000);
    CHECK_EQ(count_with(PPC_BIT(33)), a);
    CHECK_EQ(count_with(PPC_BIT(34)), a);
    CHECK_EQ(count_with(PPC_BIT(35) | PPC_BIT(36)), a);
    MT(SPR_MMCR2, PPC_BIT(36) | PPC_BIT(37));
    CHECK_EQ(count_with(0), a);
    MT(SPR_MMCR2, 0);

    /* without a condition the count wraps at 32 bits (QEMU 7.2: at 64) */
    a = nops_from(0);
    CHECK(a >= 20);
    CHECK_EQ(nops_from(0xfffffff0ULL),
             guest_oracle() ? 0xfffffff0ULL + a : (uint32_t)(0xfffffff0ULL + a));
}

static void test_overflow(void)
{
    /* PMCjCE: PMC5 stops at 0x80000000; with PMAE an alert, with FCECE a freeze */
    MT(SPR_PMC5, 0x7ffffff0ULL);
    MT(SPR_MMCR0, MMCR0_PMCJCE);
    asm volatile(".rept 20\n\tnop\n\t.endr" ::: "memory");
    MT(SPR_MMCR0, FROZEN | MMCR0_PMCJCE);
    CHECK_EQ(MF(SPR_PMC5), 0x80000000ULL);
    CHECK_EQ(MF(SPR_MMCR0), FROZEN | MMCR0_PMCJCE);

    MT(SPR_PMC5, 0x7ffffff0ULL);
    MT(SPR_MMCR0, MMCR0_PMCJCE | MMCR0_PMAE | MMCR0_FCECE);
    asm volatile("li 10, 100\n\tmtctr 10\n1: bdnz 1b" ::: "r10", "ctr", "memory");
    CHECK_EQ(MF(SPR_MMCR0), MMCR0_FC | MMCR0_PMCJCE | MMCR0_PMAO);
    CHECK_EQ(MF(SPR_PMC5), 0x80000000ULL);
    MT(SPR_MMCR0, FROZEN);

    /* a cycle counter goes on past 0x80000000 */
    MT(SPR_PMC6, 0x7fff0000ULL);
    MT(SPR_MMCR0, MMCR0_PMCJCE | MMCR0_PMAE);
    spin();
    CHECK_EQ(MF(SPR_MMCR0), MMCR0_PMCJCE | MMCR0_PMAO);
    MT(SPR_MMCR0, FROZEN);
    CHECK(MF(SPR_PMC6) > 0x80000000ULL);
    CHECK(MF(SPR_PMC6) < 0x90000000ULL);
    MT(SPR_PMC6, 0);
    MT(SPR_PMC5, 0);
}

extern char pmi_landing[], pmi_spin[];

/*
 * A cycle counter overflowing while MSR[EE] is on: the alert's interrupt comes
 * then (QEMU 7.2: none), SRR0 inside the spin loop.
 */
static void test_cycle_alert_interrupt(void)
{
    struct guest_trap t;

    MT(SPR_PMC6, 0x7fff0000ULL); /* 65536 cycles (ns) from overflow */
    MT(SPR_MMCR0, MMCR0_PMCJCE | MMCR0_PMAE);
    guest_trap_expect_resume((void (*)(void))pmi_spin, MSR_EE);
    asm volatile("mfmsr 9\n\tori 9, 9, 0x8000\n\tmtmsrd 9, 1\n\t"
                 "lis 10, 0x100\n\tmtctr 10\n"
                 "1:\tbdnz 1b\n\t"
                 ".globl pmi_spin\npmi_spin:\n\t"
                 "mfmsr 9\n\trldicl 9, 9, 48, 1\n\trotldi 9, 9, 16\n\tmtmsrd 9, 1" ::
                     : "r9", "r10", "ctr", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, guest_oracle() ? 0 : VEC_PERFM);
    CHECK_EQ(MF(SPR_MMCR0), MMCR0_PMCJCE | MMCR0_PMAO);
    MT(SPR_MMCR0, FROZEN);
    MT(SPR_PMC6, 0);
}

/*
 * MMCR0[PMAO] with MSR[EE]: the architecture's performance monitor interrupt
 * (Book III 7.5.22), SRR0 the next instruction. QEMU 7.2 takes none on pseries.
 */
static void test_alert_interrupt(void)
{
    struct guest_trap t;

    MT(SPR_MMCR0, FROZEN | MMCR0_PMAO);
    guest_trap_expect_resume((void (*)(void))pmi_landing, MSR_EE);
    asm volatile("mfmsr 9\n\tori 9, 9, 0x8000\n\tmtmsrd 9, 1\n\t"
                 "nop\n\tnop\n\tnop\n\tnop\n\t"
                 ".globl pmi_landing\npmi_landing:\n\t"
                 "mfmsr 9\n\trldicl 9, 9, 48, 1\n\trotldi 9, 9, 16\n\tmtmsrd 9, 1" ::
                     : "r9", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, guest_oracle() ? 0 : VEC_PERFM);
    if (t.vector) {
        /* right after the mtmsrd that let it in */
        CHECK_EQ(t.srr0, (uint64_t)pmi_landing - 16);
        CHECK(t.srr1 & MSR_EE);
    }
    /* the handler must clear PMAO: the interrupt stays pending while it is set */
    CHECK_EQ(MF(SPR_MMCR0), FROZEN | MMCR0_PMAO);
    MT(SPR_MMCR0, FROZEN);
}

/* The branch history rolling buffer instructions are illegal (no BHRB). */
static void test_bhrb(void)
{
    struct guest_trap t;

    guest_trap_expect();
    asm volatile(".long 0x7c00035c" ::: "memory"); /* clrbhrb */
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK(t.srr1 & SRR1_ILLEGAL);
    guest_trap_expect();
    asm volatile(".long 0x7c60025c" ::: "r3", "memory"); /* mfbhrbe r3, 0 */
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK(t.srr1 & SRR1_ILLEGAL);
}

int main(void *fdt)
{
    guest_trap_init();
    test_reset_and_width();
    test_counting();
    test_overflow();
    test_alert_interrupt();
    test_cycle_alert_interrupt();
    test_bhrb();
    return 0;
}

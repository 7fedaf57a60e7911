/* The time base and decrementer, the decrementer interrupt (spinning and from
 * H_CEDE), H_CEDE's wake-up rules, and H_SIGNAL_SYS_RESET on the caller. */
#include "insn.h"

#define H_SIGNAL_SYS_RESET 0x380
#define H_PARAMETER (-4)

#define VEC_SYSTEM_RESET 0x100
#define VEC_DECREMENTER 0x900
#define MSR_EE PPC_BIT(48)

/* 512 MHz: ticks per microsecond. */
#define TB_PER_US 512ULL

/* Labels inside the asm below, where the interrupt handler resumes. */
extern const char spin_loop[], spin_landing[], reset_return[];

/*
 * Turn EE on and spin until the time base reaches @deadline, then turn EE off.
 * An expected interrupt resumes at spin_landing with EE off (see
 * guest_trap_expect_resume), skipping the rest of the loop.
 */
static void __attribute__((noinline)) spin_with_ee(uint64_t deadline)
{
    asm volatile("mfmsr %%r3\n\t"
                 "ori %%r3, %%r3, 0x8000\n\t"
                 "mtmsrd %%r3, 1\n"
                 ".globl spin_loop\n"
                 "spin_loop:\n\t"
                 "mfspr %%r4, 268\n\t"
                 "cmpld %%r4, %0\n\t"
                 "blt spin_loop\n\t"
                 "li %%r4, 2\n\t" /* EE = 0, RI = 1 */
                 "mtmsrd %%r4, 1\n"
                 ".globl spin_landing\n"
                 "spin_landing:\n"
                 :
                 : "r"(deadline)
                 : "r3", "r4", "cr0", "memory");
}

/* H_SIGNAL_SYS_RESET(@target); the interrupt resumes at reset_return. */
static int64_t __attribute__((noinline)) signal_sys_reset(int64_t target)
{
    register uint64_t r3 asm("r3") = H_SIGNAL_SYS_RESET;
    register uint64_t r4 asm("r4") = (uint64_t)target;

    asm volatile("sc 1\n"
                 ".globl reset_return\n"
                 "reset_return:\n"
                 : "+r"(r3), "+r"(r4)
                 :
                 : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1", "cr5",
                   "cr6", "cr7", "ctr", "xer", "memory");
    return (int64_t)r3;
}

/* Whether this CPU has the 56-bit decrementer (ibm,dec-bits in its node). */
static bool large_decrementer(const void *fdt)
{
    uint32_t bits;

    return guest_fdt_u32(fdt, "/cpus/PowerPC,POWER9@0", "ibm,dec-bits", &bits) && bits == 56;
}

/* The time base counts up, at 512 MHz: 1 ms of spinning is about 512,000 ticks. */
static void test_timebase(const void *fdt)
{
    uint32_t freq = 0;
    uint64_t t0 = guest_mftb(), t1;

    CHECK(guest_fdt_u32(fdt, "/cpus/PowerPC,POWER9@0", "timebase-frequency", &freq));
    CHECK_EQ(freq, 512000000);
    while ((t1 = guest_mftb()) == t0) {
    }
    CHECK(t1 > t0);
}

/* The decrementer counts down; the large one holds values beyond 32 bits. */
static void test_decrementer_counts(bool large)
{
    uint64_t d0, d1;

    guest_mtdec(0x7fff0000);
    d0 = guest_mfdec();
    for (uint64_t until = guest_mftb() + 10 * TB_PER_US; guest_mftb() < until;) {
    }
    d1 = guest_mfdec();
    /* (The bounds leave a second for the host to deschedule us in between.) */
    CHECK(d0 <= 0x7fff0000 && d0 > 0x7fff0000 - 1000000 * TB_PER_US);
    CHECK(d1 < d0);
    if (large) {
        /* 2^40 is positive in 56 bits; reads back sign-extended, just below. */
        guest_mtdec(1ULL << 40);
        d0 = guest_mfdec();
        CHECK(d0 <= (1ULL << 40) && d0 > (1ULL << 40) - 1000000 * TB_PER_US);
        /* A negative value reads back sign-extended to 64 bits. */
        guest_mtdec(-5000LL);
        d1 = guest_mfdec();
        CHECK((int64_t)d1 <= -5000 && (int64_t)d1 > -5000 - 1000000 * (int64_t)TB_PER_US);
    } else {
        guest_mtdec(0xfffff000);
        CHECK_EQ(guest_mfdec() >> 32, 0);
    }
    guest_mtdec(0x7fffffff);
}

/* DEC turns negative while spinning with EE on: 0x900 inside the loop. */
static void test_decrementer_interrupt(void)
{
    struct guest_trap t;
    uint64_t start = guest_mftb();

    guest_mtdec(20 * TB_PER_US);
    guest_trap_expect_resume((void (*)(void))spin_landing, MSR_EE);
    spin_with_ee(start + 1000000 * TB_PER_US);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    /* SRR0: the spin loop (its three instructions); SRR1: EE was on. */
    CHECK(t.srr0 >= (uintptr_t)spin_loop && t.srr0 < (uintptr_t)spin_loop + 12);
    CHECK(t.srr1 & MSR_EE);
    CHECK_EQ(t.srr1 & 0x78000000ULL, 0); /* no SRR1 reason bits 33:36 */
    CHECK(guest_mftb() - start >= 20 * TB_PER_US);
    CHECK_EQ(guest_mfmsr() & MSR_EE, 0);

    /*
     * The interrupt is a level on POWER9: DEC is still negative, so turning EE
     * on again interrupts at once, at the loop's first instruction.
     */
    guest_trap_expect_resume((void (*)(void))spin_landing, MSR_EE);
    spin_with_ee(guest_mftb() + 1000000 * TB_PER_US);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    CHECK_EQ(t.srr0, (uintptr_t)spin_loop);

    /* Writing a positive value lowers it: no interrupt in a short spin. */
    guest_mtdec(0x7fffffff);
    guest_trap_expect_resume((void (*)(void))spin_landing, MSR_EE);
    spin_with_ee(guest_mftb() + 50 * TB_PER_US);
    CHECK(!guest_trap_taken(&t));

    /* Writing a negative value raises it at once. */
    guest_mtdec(-1LL);
    guest_trap_expect_resume((void (*)(void))spin_landing, MSR_EE);
    spin_with_ee(guest_mftb() + 1000000 * TB_PER_US);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    CHECK_EQ(t.srr0, (uintptr_t)spin_loop);
    guest_mtdec(0x7fffffff);
}

/* H_CEDE sleeps until the decrementer fires; the interrupt comes right after the sc. */
static void test_cede(void)
{
    struct guest_trap t;
    uint64_t start;
    int64_t rc;

    /* 2 ms from now. */
    start = guest_mftb();
    guest_mtdec(2000 * TB_PER_US);
    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    rc = guest_cede();
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(rc, 0);
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    CHECK_EQ(t.srr0, (uintptr_t)guest_cede_return);
    /* H_CEDE turned EE on: the interrupted MSR has it. */
    CHECK(t.srr1 & MSR_EE);
    CHECK(guest_mftb() - start >= 2000 * TB_PER_US);

    /* With the decrementer already negative, H_CEDE returns at once into the interrupt. */
    guest_mtdec(-1LL);
    start = guest_mftb();
    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    rc = guest_cede();
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(rc, 0);
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    CHECK_EQ(t.srr0, (uintptr_t)guest_cede_return);
    CHECK(guest_mftb() - start < 1000000 * TB_PER_US);
    guest_mtdec(0x7fffffff);
}

/*
 * Instructions for a system-reset vector that hands over to the runtime's
 * common handler at 0x1000 (as the other vectors do): mtsprg0 r3; mtsprg1 r4;
 * li r3,0x100; b 0x1000. Stored big-endian: interrupts run big-endian.
 */
static const uint32_t reset_vector[4] = {
    0x7c7043a6,
    0x7c9143a6,
    0x38600100,
    0x48000000 | ((0x1000 - 0x10c) & 0x03fffffc),
};

static void store_be32(volatile uint32_t *p, uint32_t v)
{
#ifdef __LITTLE_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    *p = v;
}

/* H_SIGNAL_SYS_RESET on the calling processor: 0x100 right after the sc. */
static void test_signal_sys_reset(void)
{
    volatile uint32_t *vec;
    uint32_t saved[4];
    struct guest_trap t;
    int64_t rc;

    /* Errors: no such processor, a negative target other than -1 and -2. */
    guest_trap_expect();
    CHECK_EQ(signal_sys_reset(1), H_PARAMETER);
    CHECK_EQ(signal_sys_reset(-3), H_PARAMETER);
    CHECK(!guest_trap_taken(&t));

    /* The entry code at 0x100 is not needed any more: a vector there, for a while.
     * (The address goes through an asm so the compiler does not judge it.) */
    asm("" : "=r"(vec) : "0"((uintptr_t)VEC_SYSTEM_RESET));
    for (int i = 0; i < 4; i++) {
        saved[i] = vec[i];
        store_be32(&vec[i], reset_vector[i]);
        asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(&vec[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");

    for (int64_t target = 0; target >= -1; target--) {
        uint64_t msr = guest_mfmsr();

        guest_trap_expect_resume((void (*)(void))reset_return, 0);
        rc = signal_sys_reset(target);
        CHECK(guest_trap_taken(&t));
        CHECK_EQ(rc, 0);
        CHECK_EQ(t.vector, VEC_SYSTEM_RESET);
        CHECK_EQ(t.srr0, (uintptr_t)reset_return);
        CHECK_EQ(t.srr1, msr);
    }

    for (int i = 0; i < 4; i++) {
        vec[i] = saved[i];
        asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(&vec[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");
}

int main(void *fdt)
{
    bool large = large_decrementer(fdt);

    /* The decrementer's width, for the runs with cap-large-decr=off (meson.build). */
    guest_printf("timer: decrementer %d bits\n", large ? 56 : 32);
    test_timebase(fdt);
    test_decrementer_counts(large);
    test_decrementer_interrupt();
    test_cede();
    test_signal_sys_reset();
    return 0;
}

/*
 * A floating-point and vector workload for live migration tests: its state
 * lives in registers for the whole run, never in memory, so a migration that
 * loses or garbles any of it changes the result.
 *
 * - VSR 0-31, both doublewords (doubleword 0 is FPR 0-31): coupled tent maps,
 *   x' = 1 - A|x| + x_next / 16, computed with VSX vector double-precision
 *   instructions (a scalar FP instruction would zero doubleword 1). The map
 *   is chaotic: one ulp of difference grows to the whole value in about a
 *   hundred iterations.
 * - FPSCR: rounding toward zero (RN = 1), so each result depends on it, and
 *   the sticky OX, ZX and VXSOFT bits set once at the start.
 * - VR 0-28 (VSR 32-60): integer mixing (rotate, add, saturating add), a
 *   vector float multiply-add, and the FP state XORed in each iteration.
 * - VR 29-31 (VSR 61-63): the constants A = 1.8, 1.0 and 1/16.
 * - VSCR: NJ = 1 (vector float denormals flushed to zero) and SAT.
 * - The decrementer, armed at the start for 3 s of time base with MSR[EE]
 *   off (or, -DMIGFP_DEC_ARM=1, for one tick: its interrupt is pending when
 *   the migration comes); once 'q' is typed the program checks that DEC
 *   still counts toward the zero it was given, then turns EE on and waits
 *   for its interrupt. -DMIGFP_DEC_WRAP with DEC_ARM 0x80000000 on a 32-bit
 *   DEC (migfp-decwrap): the exception is raised at the write and stays
 *   pending while DEC reads positive; it must come before DEC's next zero.
 *
 * Each round runs ITERS iterations in one asm statement, then stores all 64
 * VSRs, the FPSCR and the VSCR to memory (put back at once) and prints a
 * digest of them. After round 2 it waits for 's' (the test types it once the
 * copy is active, so the source computes rounds during the copy however fast
 * rounds go), after half the rounds for 'g', after ROUNDS rounds for 'q' on the
 * console (the test types those once the migration is over, so the destination
 * always runs the second half), then prints a checksum
 * over every round. A migrated run must print the same rounds and checksum as
 * an unmigrated one (tests/guest/run-migration.py, mode live-sum).
 */
#include "insn.h"

#ifndef MIGFP_ROUNDS
#define MIGFP_ROUNDS 400
#endif
#define ITERS 64
#define VEC_DECREMENTER 0x900
#define MSR_EE PPC_BIT(48)
#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)
/* Built with -DMIGFP_DEC_ARM=1 (migfp-decpast) DEC is negative long before the migration. */
#ifdef MIGFP_DEC_ARM
#define DEC_ARM MIGFP_DEC_ARM
#else
#define DEC_ARM GUEST_TB_MS(3000)
#endif

/* Labels inside the asm below, where the interrupt handler resumes. */
extern const char migfp_spin[], migfp_landing[];

/* Initial values of the 64 VSRs, then the VSCR image (NJ in every word). */
static uint64_t init[66 * 2] __attribute__((aligned(16)));
/* The 64 VSRs of a round, then the FPSCR (doubleword 128) and VR 0 of mfvscr (130-131). */
static uint64_t dump[66 * 2] __attribute__((aligned(16)));

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

static void set_msr(uint64_t msr)
{
    asm volatile("mtmsrd %0\n\tisync" : : "r"(msr) : "memory");
}

/* Load every VSR, the FPSCR and the VSCR. */
static void load_state(void)
{
    asm volatile(
        /* VSCR first, through VR 0 (loaded for real below). */
        "lxv 32, 1024(%0)\n\t"
        "mtvscr 0\n\t"
        ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,"
        "28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,"
        "56,57,58,59,60,61,62,63\n\t"
        "lxv \\i, \\i*16(%0)\n\t"
        ".endr\n\t"
        /* RN = 01 (toward zero), then sticky OX, ZX, VXSOFT (FX with them). */
        "mtfsfi 7, 1\n\t"
        "mtfsb1 3\n\t"
        "mtfsb1 5\n\t"
        "mtfsb1 21\n\t"
        :
        : "b"(init)
        : "memory");
}

/* @n iterations of the workload, all in registers. */
static void iterate(uint64_t n)
{
    asm volatile("mtctr %0\n"
                 "1:\n\t"
                 /* The tent maps on VSR 0-31, both lanes. */
                 ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
                 "25,26,27,28,29,30,31\n\t"
                 "xvnabsdp \\i, \\i\n\t"
                 "xvmaddmdp \\i, 61, 62\n\t"
                 "xvmaddadp \\i, 63, (\\i + 1) %% 32\n\t"
                 ".endr\n\t"
                 /* The integer and float mixing on VR 0-28. */
                 ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
                 "25,26,27,28\n\t"
                 "xxlxor 32 + \\i, 32 + \\i, \\i\n\t"
                 "vrlw \\i, \\i, (\\i + 5) %% 29\n\t"
                 "vadduwm \\i, \\i, (\\i + 1) %% 29\n\t"
                 "vaddsws \\i, \\i, (\\i + 11) %% 29\n\t"
                 ".if \\i %% 4 == 0\n\t"
                 "vmaddfp \\i, \\i, (\\i + 3) %% 29, (\\i + 7) %% 29\n\t"
                 ".endif\n\t"
                 ".endr\n\t"
                 "bdnz 1b\n\t"
                 :
                 : "r"(n)
                 : "ctr", "memory");
}

/* Store the VSRs, FPSCR and VSCR to dump[]; the registers keep their values. */
static void snapshot(void)
{
    asm volatile(".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,"
                 "26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,"
                 "52,53,54,55,56,57,58,59,60,61,62,63\n\t"
                 "stxv \\i, \\i*16(%0)\n\t"
                 ".endr\n\t"
                 /* mffs and mfvscr overwrite VSR 0 and VR 0: put them back. */
                 "mffs 0\n\t"
                 "stfd 0, 1024(%0)\n\t"
                 "lxv 0, 0(%0)\n\t"
                 "mfvscr 0\n\t"
                 "stxv 32, 1040(%0)\n\t"
                 "lxv 32, 512(%0)\n\t"
                 :
                 : "b"(dump)
                 : "memory");
}

/* Whether this CPU has the 56-bit decrementer (ibm,dec-bits in its node). */
static unsigned dec_bits(const void *fdt)
{
    uint32_t bits;

    return guest_fdt_u32(fdt, "/cpus/PowerPC,POWER9@0", "ibm,dec-bits", &bits) && bits == 56 ? 56
                                                                                             : 32;
}

/* Turn EE on and spin until the time base reaches @deadline (or an interrupt comes). */
static void __attribute__((noinline)) spin_with_ee(uint64_t deadline)
{
    asm volatile("mfmsr %%r3\n\t"
                 "ori %%r3, %%r3, 0x8000\n\t"
                 "mtmsrd %%r3, 1\n"
                 ".globl migfp_spin\n"
                 "migfp_spin:\n\t"
                 "mfspr %%r4, 268\n\t"
                 "cmpld %%r4, %0\n\t"
                 "blt migfp_spin\n\t"
                 "mfmsr %%r3\n\t"
                 "li %%r4, 0x7fff\n\t"
                 "addi %%r4, %%r4, 1\n\t"
                 "andc %%r3, %%r3, %%r4\n\t"
                 "mtmsrd %%r3, 1\n"
                 ".globl migfp_landing\n"
                 "migfp_landing:\n"
                 :
                 : "r"(deadline)
                 : "r3", "r4", "cr0", "memory");
}

int main(void *fdt)
{
    uint64_t sum = 0x0123456789abcdefull, seed = 1, t1, t2, t3, t4, landed, dec, lo, hi, mask;
    unsigned bits = dec_bits(fdt);
    struct guest_trap t;

    for (unsigned i = 0; i < 32 * 2; i++) {
        /* A double in +-[0.5, 1): random mantissa and sign. */
        seed = mix(seed + i);
        init[i] = 0x3fe0000000000000ull | (seed & 0x800fffffffffffffull);
    }
    for (unsigned i = 32 * 2; i < 61 * 2; i++) {
        seed = mix(seed + i);
        init[i] = seed;
    }
    init[61 * 2] = init[61 * 2 + 1] = 0x3ffccccccccccccdull; /* 1.8 */
    init[62 * 2] = init[62 * 2 + 1] = 0x3ff0000000000000ull; /* 1.0 */
    init[63 * 2] = init[63 * 2 + 1] = 0x3fb0000000000000ull; /* 1/16 */
    init[64 * 2] = init[64 * 2 + 1] = 0x0001000000010000ull; /* VSCR: NJ */

    set_msr(guest_mfmsr() | MSR_FP | MSR_VEC | MSR_VSX);
    load_state();
    /* EE is off: the interrupt waits until the end, whenever DEC goes negative. */
    CHECK_EQ(guest_mfmsr() & MSR_EE, 0);
    t1 = guest_mftb();
    guest_mtdec(DEC_ARM);
    t2 = guest_mftb();

    for (uint32_t r = 0; r < MIGFP_ROUNDS; r++) {
        uint64_t digest = 0;

        iterate(ITERS);
        snapshot();
        for (unsigned i = 0; i < 66 * 2; i++) {
            digest = mix(digest ^ dump[i]);
        }
        sum = mix(sum ^ digest);
        guest_printf("migfp: round %u sum %016lx fpscr %08lx\n", r, digest, dump[128]);
        if (r == 2) {
            guest_printf("migfp: waiting for s\n");
            while (guest_getc() != 's') {
            }
        }
        if (r == MIGFP_ROUNDS / 2 - 1) {
            /* The test types 'g' on the destination: it gets the second half, however slowly the copy went. */
            guest_printf("migfp: half way, waiting for g\n");
            while (guest_getc() != 'g') {
            }
        }
    }
    guest_printf("migfp: all rounds done, waiting for q\n");
    while (guest_getc() != 'q') {
    }

    /* The state as the last round left it: FPSCR and VSCR included. */
    CHECK_EQ(dump[128] & 3, 1);
    CHECK_EQ(dump[128] & 0x34000400ull, 0x34000400ull);     /* OX ZX VXSOFT */
    CHECK((dump[130] | dump[131]) & 0x0001000000010000ull); /* NJ */

    /*
     * DEC still counts toward the zero set at the start, t1 + DEC_ARM to
     * t2 + DEC_ARM (in the decrementer's width: it may have gone past it).
     */
    t3 = guest_mftb();
    dec = guest_mfdec();
    t4 = guest_mftb();
    mask = (1ull << bits) - 1;
    lo = t1 + DEC_ARM - t4;
    hi = t2 + DEC_ARM - t3;
    CHECK(((dec - lo) & mask) <= hi - lo);
    guest_printf("migfp: decrementer %s its zero\n", t3 < t1 + DEC_ARM ? "before" : "past");

    /* Its interrupt comes once EE is on (at the latest 20 s past the zero). */
    guest_trap_expect_resume((void (*)(void))migfp_landing, MSR_EE);
    spin_with_ee(t2 + DEC_ARM + GUEST_TB_MS(20000));
    landed = guest_mftb();
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    CHECK(t.srr0 >= (uintptr_t)migfp_spin && t.srr0 < (uintptr_t)migfp_spin + 12);
#ifdef MIGFP_DEC_WRAP
    /*
     * 32-bit DEC written 0x80000000: the exception is raised at once, and a
     * tick later DEC reads positive again. The exception stays pending
     * (until a positive mtdec or delivery): taken as soon as EE is on.
     */
    CHECK_EQ(bits, 32);
    if (t3 < t1 + DEC_ARM) {
        /* EE went on before DEC's next zero: the interrupt came before it too. */
        CHECK(landed < t1 + DEC_ARM);
    } else {
        guest_printf("migfp: EE on after DEC's next zero: pending exception not checked\n");
    }
#else
    CHECK(landed >= t1 + DEC_ARM);
#endif
    guest_mtdec(0x7fffffff);

    guest_printf("migfp: checksum %016lx\n", sum);
    return 0;
}

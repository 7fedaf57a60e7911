/* Alignment interrupts (0x600) of the load-and-reserve and store-conditional
 * instructions and, little-endian, of lmw/stmw and the string instructions, with
 * SRR0/SRR1/DAR/DSISR; program interrupts (0x700) of an illegal instruction and a trap.
 * Only what QEMU 7.2 agrees on: no lq/stq or misaligned stqcx. (see README.rst). */
#include "insn.h"

/* Expected value when the same bytes are read big-endian or little-endian. */
#ifdef __LITTLE_ENDIAN__
#define E(be, le) (le)
#else
#define E(be, le) (be)
#endif

#define VEC_ALIGNMENT 0x600
#define VEC_PROGRAM 0x700
/* SRR1 reason bits of a program interrupt */
#define SRR1_ILLEGAL PPC_BIT(44)
#define SRR1_TRAP PPC_BIT(46)

/* DAR and DSISR are set to these before each instruction under test. */
#define DAR_MARK 0x0dad0000ULL
#define DSISR_START 0

/* Registers of one probe: r9 = base, r7 = index, r10/r11 = data in and out. */
struct probe {
    uint64_t base, index, d0, d1;
    uint64_t pc;  /* address of the instruction under test */
    uint64_t cr;  /* CR after it */
    uint64_t msr; /* MSR after it */
    struct guest_trap trap;
};

/*
 * Run @insn (its first instruction is the one under test, at label 1) after
 * @setup, with r9, r7, r10, r11 from @pr and DAR/DSISR set to known values; an
 * interrupt resumes after that first instruction. r6 is free for @setup; lmw and
 * stmw may use r30 and r31.
 */
#define PROBE(pr, setup, insn)                                                                     \
    do {                                                                                           \
        struct probe *p_ = (pr);                                                                   \
                                                                                                   \
        guest_trap_expect();                                                                       \
        asm volatile(                                                                              \
            "mtdsisr %[dsisr]\n\tmtdar %[dar]\n\t"                                                 \
            "ld 9,%[o_base](%[p])\n\tld 7,%[o_index](%[p])\n\t"                                    \
            "ld 10,%[o_d0](%[p])\n\tld 11,%[o_d1](%[p])\n\t"                                       \
            "lis 8,1f@ha\n\taddi 8,8,1f@l\n\t" setup "\n"                                          \
            "1:\t" insn "\n\t"                                                                     \
            "std 8,%[o_pc](%[p])\n\tstd 10,%[o_d0](%[p])\n\tstd 11,%[o_d1](%[p])\n\t"              \
            "mfcr 6\n\tstd 6,%[o_cr](%[p])\n\tmfmsr 6\n\tstd 6,%[o_msr](%[p])"                     \
            :                                                                                      \
            : [p] "b"(p_), [dsisr] "r"((uint64_t)DSISR_START), [dar] "r"(DAR_MARK),                \
              [o_base] "i"(offsetof(struct probe, base)),                                          \
              [o_index] "i"(offsetof(struct probe, index)),                                        \
              [o_d0] "i"(offsetof(struct probe, d0)), [o_d1] "i"(offsetof(struct probe, d1)),      \
              [o_pc] "i"(offsetof(struct probe, pc)), [o_cr] "i"(offsetof(struct probe, cr)),      \
              [o_msr] "i"(offsetof(struct probe, msr))                                             \
            : "r6", "r7", "r8", "r9", "r10", "r11", "r30", "r31", "cr0", "xer", "memory");         \
        guest_trap_taken(&p_->trap);                                                               \
    } while (0)

/* An interrupt at the instruction under test, with the interrupted MSR in SRR1. */
#define CHECK_INTERRUPT(p, vec, reason)                                                            \
    do {                                                                                           \
        CHECK_EQ((p)->trap.vector, vec);                                                           \
        CHECK_EQ((p)->trap.srr0, (p)->pc);                                                         \
        CHECK_EQ((p)->trap.srr1, (p)->msr | (reason));                                             \
    } while (0)

/* An alignment interrupt: DAR = the effective address, DSISR as QEMU sets it. */
#define CHECK_ALIGNMENT(p, ea, want_dsisr)                                                         \
    do {                                                                                           \
        CHECK_INTERRUPT(p, VEC_ALIGNMENT, 0);                                                      \
        CHECK_EQ((p)->trap.dar, (uint64_t)(uintptr_t)(ea));                                        \
        CHECK((p)->trap.dsisr == (want_dsisr) || (p)->trap.dsisr == DSISR_REGS(10, 9));            \
    } while (0)

/* Marker values in the data registers, to see that they were left alone. */
#define MARK0 0x1111111111111111ULL
#define MARK1 0x2222222222222222ULL

/*
 * DSISR of an alignment interrupt: ISA 3.0 leaves it undefined. QEMU 7.2 ORs bits 6:15
 * of the instruction word (RT/RS and RA) into DSISR bits 54:63, so the probes clear it
 * first. For l*arx and st*cx. it reads that word big-endian even in little-endian
 * mode, so the LE image gets bits 6:15 of the byte-reversed word (the low two bits of
 * the instruction's last byte in 54:55, its third byte in 56:63); with RT/RS = r10,
 * RA = r9, RB = r7:
 *
 *   instruction        BE image  LE image
 *   lharx/lwarx/ldarx  0x149     0x038
 *   lqarx              0x149     0x03a
 *   sthcx.             0x149     0x13d
 *   stwcx./stdcx.      0x149     0x139
 *
 * lmw, stmw and the string instructions in LE mode get the real fields. Later QEMU
 * versions read the word in the right byte order; our CPU gives the real fields in
 * both images, so the LE image accepts either value (CHECK_ALIGNMENT).
 */
#define DSISR_REGS(rt, ra) (((rt) << 5) | (ra))
#define DSISR_R10_R9(le) E(DSISR_REGS(10, 9), le)

static uint8_t buf[64] __attribute__((aligned(16)));

static struct probe *fresh(struct probe *p, uint64_t index)
{
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = 0x10 + i;
    }
    memset(p, 0, sizeof(*p));
    p->base = (uintptr_t)buf;
    p->index = index;
    p->d0 = MARK0;
    p->d1 = MARK1;
    return p;
}

static bool buf_untouched(void)
{
    for (unsigned i = 0; i < sizeof(buf); i++) {
        if (buf[i] != 0x10 + i) {
            return false;
        }
    }
    return true;
}

/* The bytes at @p read big-endian, independently of the CPU's byte order. */
static uint64_t bytes_be(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* l*arx at an EA that is not a multiple of the size: nothing loaded. */
static void test_larx_misaligned(void)
{
    struct probe p;

    PROBE(fresh(&p, 1), "", "lharx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 1, DSISR_R10_R9(0x038));
    CHECK_EQ(p.d0, MARK0);
    PROBE(fresh(&p, 2), "", "lwarx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 2, DSISR_R10_R9(0x038));
    CHECK_EQ(p.d0, MARK0);
    PROBE(fresh(&p, 3), "", "lwarx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 3, DSISR_R10_R9(0x038));
    CHECK_EQ(p.d0, MARK0);
    PROBE(fresh(&p, 4), "", "ldarx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 4, DSISR_R10_R9(0x038));
    CHECK_EQ(p.d0, MARK0);
    PROBE(fresh(&p, 1), "", "ldarx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 1, DSISR_R10_R9(0x038));
    CHECK_EQ(p.d0, MARK0);
    PROBE(fresh(&p, 8), "", "lqarx 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 8, DSISR_R10_R9(0x03a));
    CHECK_EQ(p.d0, MARK0);
    CHECK_EQ(p.d1, MARK1);
}

/* The same at aligned EAs: loaded, no interrupt. */
static void test_larx_aligned(void)
{
    struct probe p;

    PROBE(fresh(&p, 2), "", "lharx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, E(0x1213, 0x1312));
    PROBE(fresh(&p, 4), "", "lwarx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, E(0x14151617, 0x17161514));
    PROBE(fresh(&p, 8), "", "ldarx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, E(0x18191a1b1c1d1e1fULL, 0x1f1e1d1c1b1a1918ULL));
    /* lqarx: RTp+1 always gets the doubleword at the higher address in BE, the lower in LE */
    PROBE(fresh(&p, 16), "", "lqarx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, E(0x2021222324252627ULL, 0x2f2e2d2c2b2a2928ULL));
    CHECK_EQ(p.d1, E(0x28292a2b2c2d2e2fULL, 0x2726252423222120ULL));
}

/*
 * st*cx. at a misaligned EA: nothing stored. The ISA wants the interrupt whether or
 * not a reservation exists; QEMU 7.2 checks the alignment only when the EA is the
 * reserved address (otherwise the store just fails), so each probe first reserves
 * that EA with lbarx. stqcx. is left out: QEMU 7.2 never checks its alignment.
 */
static void test_stcx_misaligned(void)
{
    struct probe p;

    PROBE(fresh(&p, 1), "lbarx 6,9,7", "sthcx. 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 1, DSISR_R10_R9(0x13d));
    CHECK(buf_untouched());
    PROBE(fresh(&p, 2), "lbarx 6,9,7", "stwcx. 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 2, DSISR_R10_R9(0x139));
    CHECK(buf_untouched());
    PROBE(fresh(&p, 3), "lbarx 6,9,7", "stwcx. 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 3, DSISR_R10_R9(0x139));
    CHECK(buf_untouched());
    PROBE(fresh(&p, 4), "lbarx 6,9,7", "stdcx. 10,9,7");
    CHECK_ALIGNMENT(&p, buf + 4, DSISR_R10_R9(0x139));
    CHECK(buf_untouched());
}

/*
 * Aligned, after a matching l*arx: stored, CR0[EQ] = 1, no interrupt. For stqcx. only
 * the absence of an interrupt: QEMU 7.2's lqarx leaves no reservation for it, so it
 * always fails there.
 */
static void test_stcx_aligned(void)
{
    struct probe p;

    fresh(&p, 2)->d0 = 0xa1a2;
    PROBE(&p, "lharx 6,9,7", "sthcx. 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(CR_FIELD(p.cr, 0), CR_EQ);
    CHECK_EQ(bytes_be(buf + 2, 2), E(0xa1a2, 0xa2a1));
    fresh(&p, 4)->d0 = 0xa1a2a3a4;
    PROBE(&p, "lwarx 6,9,7", "stwcx. 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(CR_FIELD(p.cr, 0), CR_EQ);
    CHECK_EQ(bytes_be(buf + 4, 4), E(0xa1a2a3a4, 0xa4a3a2a1));
    fresh(&p, 8)->d0 = 0xa1a2a3a4a5a6a7a8ULL;
    PROBE(&p, "ldarx 6,9,7", "stdcx. 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(CR_FIELD(p.cr, 0), CR_EQ);
    CHECK_EQ(bytes_be(buf + 8, 8), E(0xa1a2a3a4a5a6a7a8ULL, 0xa8a7a6a5a4a3a2a1ULL));
    /* lqarx needs an even register pair other than r10/r11: r30/r31 */
    PROBE(fresh(&p, 16), "lqarx 30,9,7", "stqcx. 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
}

#ifdef __LITTLE_ENDIAN__
/* The assembler refuses these mnemonics in little-endian code: their words (ISA encodings). */
#define D_FORM(po, rt, ra, d) ".long (" #po " << 26) | (" #rt " << 21) | (" #ra " << 16) | " #d
#define X_FORM(rt, ra, rb, xo)                                                                     \
    ".long (31 << 26) | (" #rt " << 21) | (" #ra " << 16) | (" #rb " << 11) | (" #xo " << 1)"
#define LMW(rt, d, ra) D_FORM(46, rt, ra, d)
#define STMW(rs, d, ra) D_FORM(47, rs, ra, d)
#define LSWI(rt, ra, nb) X_FORM(rt, ra, nb, 597)
#define LSWX(rt, ra, rb) X_FORM(rt, ra, rb, 533)
#define STSWI(rs, ra, nb) X_FORM(rs, ra, nb, 725)
#define STSWX(rs, ra, rb) X_FORM(rs, ra, rb, 661)

/*
 * Little-endian mode: lmw, stmw and the string instructions cause an alignment
 * interrupt whatever the EA. Nothing is loaded or stored. DAR is not checked: the
 * ISA sets it to the EA, QEMU 7.2 leaves it unchanged.
 */
#define CHECK_ALIGNMENT_LE(p, want_dsisr)                                                          \
    do {                                                                                           \
        CHECK_INTERRUPT(p, VEC_ALIGNMENT, 0);                                                      \
        CHECK_EQ((p)->trap.dsisr, want_dsisr);                                                     \
    } while (0)

static void test_multiple_string_le(void)
{
    struct probe p;

    PROBE(fresh(&p, 0), "mr 30,10\n\tmr 31,11", LMW(30, 0, 9) "\n\tmr 10,30\n\tmr 11,31");
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(30, 9));
    CHECK_EQ(p.d0, MARK0);
    CHECK_EQ(p.d1, MARK1);
    PROBE(fresh(&p, 0), "mr 30,10\n\tmr 31,11", LMW(30, 1, 9) "\n\tmr 10,30\n\tmr 11,31");
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(30, 9));
    CHECK_EQ(p.d0, MARK0);
    CHECK_EQ(p.d1, MARK1);
    PROBE(fresh(&p, 0), "mr 30,10\n\tmr 31,11", STMW(30, 4, 9));
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(30, 9));
    CHECK(buf_untouched());
    PROBE(fresh(&p, 0), "", LSWI(10, 9, 8));
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(10, 9));
    CHECK_EQ(p.d0, MARK0);
    CHECK_EQ(p.d1, MARK1);
    PROBE(fresh(&p, 4), "li 6,8\n\tmtxer 6", LSWX(10, 9, 7));
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(10, 9));
    CHECK_EQ(p.d0, MARK0);
    CHECK_EQ(p.d1, MARK1);
    PROBE(fresh(&p, 0), "", STSWI(10, 9, 8));
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(10, 9));
    CHECK(buf_untouched());
    PROBE(fresh(&p, 4), "li 6,8\n\tmtxer 6", STSWX(10, 9, 7));
    CHECK_ALIGNMENT_LE(&p, DSISR_REGS(10, 9));
    CHECK(buf_untouched());
}
#else
/* Big-endian mode: they just run, also at EAs that are not word-aligned. */
static void test_multiple_string_be(void)
{
    struct probe p;

    PROBE(fresh(&p, 0), "", "lmw 30,0(9)\n\tmr 10,30\n\tmr 11,31");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, 0x10111213);
    CHECK_EQ(p.d1, 0x14151617);
    PROBE(fresh(&p, 0), "", "lmw 30,1(9)\n\tmr 10,30\n\tmr 11,31");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, 0x11121314);
    CHECK_EQ(p.d1, 0x15161718);
    fresh(&p, 0)->d0 = 0xa1a2a3a4;
    p.d1 = 0xb1b2b3b4;
    PROBE(&p, "mr 30,10\n\tmr 31,11", "stmw 30,33(9)");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(bytes_be(buf + 32, 8), 0x30a1a2a3a4b1b2b3ULL);
    CHECK_EQ(bytes_be(buf + 40, 2), 0xb439);
    PROBE(fresh(&p, 0), "", "lswi 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, 0x10111213);
    CHECK_EQ(p.d1, 0x14151600);
    PROBE(fresh(&p, 3), "li 6,5\n\tmtxer 6", "lswx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(p.d0, 0x13141516);
    CHECK_EQ(p.d1, 0x17000000);
    fresh(&p, 0)->d0 = 0xa1a2a3a4;
    p.d1 = 0xb1b2b3b4;
    PROBE(&p, "", "stswi 10,9,6");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(bytes_be(buf, 8), 0xa1a2a3a4b1b21617ULL);
    fresh(&p, 5)->d0 = 0xa1a2a3a4;
    p.d1 = 0xb1b2b3b4;
    PROBE(&p, "li 6,7\n\tmtxer 6", "stswx 10,9,7");
    CHECK_EQ(p.trap.vector, 0);
    CHECK_EQ(bytes_be(buf, 8), 0x1011121314a1a2a3ULL);
    CHECK_EQ(bytes_be(buf + 8, 4), 0xa4b1b2b3);
    CHECK_EQ(buf[12], 0x1c);
}
#endif

/* Program interrupts: SRR1 holds the MSR plus the reason; DAR and DSISR stay. */
static void test_program(void)
{
    struct probe p;

    PROBE(fresh(&p, 0), "", ".long 0");
    CHECK_INTERRUPT(&p, VEC_PROGRAM, SRR1_ILLEGAL);
    CHECK_EQ(p.trap.dar, DAR_MARK);
    CHECK_EQ(p.trap.dsisr, DSISR_START);
    PROBE(fresh(&p, 0), "", "tw 31,0,0");
    CHECK_INTERRUPT(&p, VEC_PROGRAM, SRR1_TRAP);
    CHECK_EQ(p.trap.dar, DAR_MARK);
    CHECK_EQ(p.trap.dsisr, DSISR_START);
    /* tw 4 (equal) traps when r9 = r7, twi 4 not when r9 != 0 */
    fresh(&p, 0);
    p.index = p.base;
    PROBE(&p, "", "tw 4,9,7");
    CHECK_INTERRUPT(&p, VEC_PROGRAM, SRR1_TRAP);
    PROBE(fresh(&p, 0), "", "twi 4,9,0");
    CHECK_EQ(p.trap.vector, 0);
}

int main(void *fdt)
{
    test_larx_misaligned();
    test_larx_aligned();
    test_stcx_misaligned();
    test_stcx_aligned();
#ifdef __LITTLE_ENDIAN__
    test_multiple_string_le();
#else
    test_multiple_string_be();
#endif
    test_program();
    return 0;
}

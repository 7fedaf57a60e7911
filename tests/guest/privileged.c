/* Supervisor-state rules of mfspr/mtspr for a partition, checked against QEMU 7.2:
 * the SPRs a pseries guest may use, the read-only ones, hypervisor SPRs and
 * undefined SPR numbers (privileged-instruction program interrupts or no-ops), the
 * transactional-memory SPRs (facility unavailable) and mtmsrd L=1. Each mfspr or
 * mtspr under test is built at run time in a small code buffer, so any SPR number
 * can be tried. Problem state needs translation, which this program does not set
 * up: its rules are covered by tests/unit/test-ppc-system.c. */
#include "insn.h"

#define VEC_PROGRAM 0x700
#define VEC_FAC_UNAVAIL 0xf60
#define SRR1_PRIV PPC_BIT(45)

#define MFSPR(rt, spr)                                                                             \
    ((31u << 26) | ((rt) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (339 << 1))
#define MTSPR(spr, rs)                                                                             \
    ((31u << 26) | ((rs) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (467 << 1))
#define BLR 0x4e800020u

/* A value no SPR read gives: a read that is a no-op leaves it in r3. */
#define MARK 0x5a5a5a5a5a5aULL

/* SPR numbers */
#define SPR_DSISR 18
#define SPR_DAR 19
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_FSCR 153
#define SPR_PVR 287

static uint32_t code[4] __attribute__((aligned(64)));

/*
 * Run w1 then w2 (in this image's byte order) with r3 = in; returns r3 after
 * them. An interrupt of w1 is recorded in *t and resumes at w2.
 */
static uint64_t run2(uint32_t w1, uint32_t w2, uint64_t in, struct guest_trap *t)
{
    uint64_t out;

    code[0] = w1;
    code[1] = w2;
    code[2] = BLR;
    asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(code) : "memory");
    guest_trap_expect();
    asm volatile("mr 3,%2\n\tmtctr %1\n\tbctrl\n\tmr %0,3"
                 : "=r"(out)
                 : "r"(code), "r"(in)
                 : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr",
                   "cr0", "xer", "memory");
    guest_trap_taken(t);
    return out;
}

#define NOP 0x60000000u

static uint64_t mfspr(unsigned spr, struct guest_trap *t)
{
    return run2(MFSPR(3, spr), NOP, MARK, t);
}

static void mtspr(unsigned spr, uint64_t v, struct guest_trap *t)
{
    run2(MTSPR(spr, 3), NOP, v, t);
}

/* mtspr then mfspr of the same SPR: the value read back. */
static uint64_t roundtrip(unsigned spr, uint64_t v, struct guest_trap *t)
{
    return run2(MTSPR(spr, 3), MFSPR(3, spr), v, t);
}

static uint64_t msr(void)
{
    uint64_t m;

    asm volatile("mfmsr %0" : "=r"(m));
    return m;
}

/* A privileged-instruction program interrupt at the code buffer's first word. */
#define CHECK_PRIV(t)                                                                              \
    do {                                                                                           \
        CHECK_EQ((t).vector, VEC_PROGRAM);                                                         \
        CHECK_EQ((t).srr0, (uintptr_t)code);                                                       \
        CHECK_EQ((t).srr1, msr() | SRR1_PRIV);                                                     \
    } while (0)

/* SPRs a partition reads and writes whole in supervisor state. */
static void test_storage_sprs(void)
{
    static const unsigned sprs[] = {
        SPR_SRR0,        SPR_SRR1,        274 /* SPRG2 */, 275 /* SPRG3 */, SPR_DAR,
        17 /* DSCR */,   29 /* AMR */,    157 /* UAMOR */, 28 /* CFAR */,   896 /* PPR */,
        815 /* TAR */,   144 /* TIDR */,  61 /* IAMR */,   797 /* SDAR */,  796 /* SIAR */,
        785 /* MMCR2 */, 798 /* MMCR1 */, 786 /* MMCRA */, 784 /* SIER */,  804 /* EBBHR */,
    };
    static const uint64_t values[] = { 0x0123456789abcdefULL, 0, ~0ULL };
    struct guest_trap t;

    for (unsigned i = 0; i < sizeof(sprs) / sizeof(sprs[0]); i++) {
        for (unsigned k = 0; k < 3; k++) {
            uint64_t v = roundtrip(sprs[i], values[k], &t);

            if (!CHECK_EQ(v, values[k]) || !CHECK_EQ(t.vector, 0)) {
                guest_printf("  SPR %u\n", sprs[i]);
            }
        }
        mtspr(sprs[i], 0, &t);
    }
    /* AMR through its problem-state number 13 reads 0 in supervisor state on QEMU 7.2 */
    mtspr(29, 0x3c, &t);
    CHECK_EQ(mfspr(13, &t), guest_oracle() ? 0 : 0x3c);
    mtspr(29, 0, &t);
    /* 32-bit registers: DSISR (QEMU 7.2 keeps 64 bits), PSPB */
    CHECK_EQ(roundtrip(SPR_DSISR, 0x87654321ULL, &t), 0x87654321ULL);
    CHECK_EQ(roundtrip(159, ~0ULL, &t), 0xffffffffULL);
    mtspr(159, 0, &t);
    mtspr(SPR_DSISR, 0, &t);
}

/*
 * VRSAVE and PMC1-6 (also through the problem-state numbers 771-776) are 32-bit
 * registers: the upper word reads 0 (Book II/III). QEMU 7.2 keeps 64 bits.
 */
static void test_32bit_sprs(void)
{
    static const unsigned sprs[] = { 256, 787, 788, 789, 790, 791, 792 };
    const uint64_t v = 0x8123456789abcdefULL;
    struct guest_trap t;

    for (unsigned i = 0; i < sizeof(sprs) / sizeof(sprs[0]); i++) {
        if (!CHECK_EQ(roundtrip(sprs[i], v, &t), guest_oracle() ? v : 0x89abcdefULL)) {
            guest_printf("  SPR %u\n", sprs[i]);
        }
        CHECK_EQ(t.vector, 0);
        mtspr(sprs[i], 0, &t);
    }
    for (unsigned i = 771; i <= 776; i++) {
        mtspr(i, v, &t);
        CHECK_EQ(t.vector, 0);
        if (!CHECK_EQ(mfspr(i + 16, &t), guest_oracle() ? v : 0x89abcdefULL)) {
            guest_printf("  SPR %u\n", i);
        }
        CHECK_EQ(mfspr(i, &t), mfspr(i + 16, &t));
        mtspr(i, 0, &t);
    }
    /* CTRL, written as 152 and read as 136 (QEMU 7.2 keeps 64 bits there too) */
    mtspr(152, v, &t);
    CHECK_EQ(t.vector, 0);
    CHECK_EQ(mfspr(136, &t), guest_oracle() ? v : 0x89abcdefULL);
    mtspr(152, 1, &t);
}

/*
 * BESCRS (800), BESCRSU (801), BESCRR (802) and BESCRRU (803) are views of BESCR
 * (806): writing sets (S) or clears (R) the bits that are 1 in RS, in BESCR's
 * upper word with RS's low word for the U forms; reading gives BESCR, or its
 * upper word for the U forms (Book II). QEMU 7.2 keeps five separate registers
 * (the U forms of 32 bits).
 */
static void test_bescr_views(void)
{
    struct guest_trap t;

    mtspr(806, 0x0000000100000010ULL, &t);
    CHECK_EQ(t.vector, 0);
    mtspr(800, 0x0000000200000020ULL, &t);
    CHECK_EQ(t.vector, 0);
    CHECK_EQ(mfspr(806, &t), guest_oracle() ? 0x0000000100000010ULL : 0x0000000300000030ULL);
    CHECK_EQ(mfspr(800, &t), guest_oracle() ? 0x0000000200000020ULL : 0x0000000300000030ULL);
    mtspr(801, 0xffffffff00000400ULL, &t);
    CHECK_EQ(mfspr(806, &t), guest_oracle() ? 0x0000000100000010ULL : 0x0000040300000030ULL);
    CHECK_EQ(mfspr(801, &t), guest_oracle() ? 0x00000400ULL : 0x00000403ULL);
    mtspr(802, 0x0000000100000010ULL, &t);
    CHECK_EQ(mfspr(806, &t), guest_oracle() ? 0x0000000100000010ULL : 0x0000040200000020ULL);
    CHECK_EQ(mfspr(802, &t), guest_oracle() ? 0x0000000100000010ULL : 0x0000040200000020ULL);
    mtspr(803, 0x00000402ULL, &t);
    CHECK_EQ(mfspr(806, &t), guest_oracle() ? 0x0000000100000010ULL : 0x0000000000000020ULL);
    CHECK_EQ(mfspr(803, &t), guest_oracle() ? 0x00000402ULL : 0);
    CHECK_EQ(t.vector, 0);
    for (unsigned spr = 800; spr <= 803; spr++) {
        mtspr(spr, 0, &t);
    }
    mtspr(806, 0, &t);
}

/* Aliases: SPRG3 as 259, CTRL written as 152 and read as 136, PMCs as 771.. */
static void test_alias_sprs(void)
{
    struct guest_trap t;

    /* DSCR's problem-state number 3 is undefined in supervisor state: no-ops */
    mtspr(17, 0x11, &t);
    mtspr(3, 0x22, &t);
    CHECK_EQ(t.vector, 0);
    CHECK_EQ(mfspr(17, &t), 0x11);
    CHECK_EQ(mfspr(3, &t), MARK);
    CHECK_EQ(t.vector, 0);
    mtspr(17, 0, &t);
    mtspr(275, 0x3333, &t);
    CHECK_EQ(mfspr(259, &t), 0x3333);
    mtspr(152, 1, &t);
    CHECK_EQ(mfspr(136, &t), 1);
    CHECK_EQ(t.vector, 0);
    mtspr(787, 0x1234, &t);
    CHECK_EQ(mfspr(771, &t), 0x1234);
    mtspr(771, 0x4321, &t);
    CHECK_EQ(mfspr(787, &t), 0x4321);
    mtspr(787, 0, &t);
    /* the PVR is POWER9's */
    CHECK_EQ(mfspr(SPR_PVR, &t) >> 16, 0x004e);
    /* the time base through 268 and 269 moves forward */
    uint64_t tb0 = mfspr(268, &t), tb1 = mfspr(268, &t);
    CHECK(tb1 > tb0);
    CHECK_EQ(mfspr(269, &t), tb1 >> 32);
}

/* Read-only SPRs refuse writes and CTRL's write number refuses reads: privileged. */
static void test_readonly_sprs(void)
{
    static const unsigned ro[] = { SPR_PVR, 1023 /* PIR */, 259, 136, 268, 269 };
    struct guest_trap t;
    uint64_t pvr = mfspr(SPR_PVR, &t);

    for (unsigned i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
        mtspr(ro[i], 0x42, &t);
        CHECK_PRIV(t);
    }
    CHECK_EQ(mfspr(SPR_PVR, &t), pvr);
    CHECK_EQ(mfspr(152, &t), MARK);
    CHECK_PRIV(t);
}

/*
 * Hypervisor SPRs: HSPRG0/1, HDSISR, HDAR, HDEC, HRMOR, HSRR0/1, LPCR, LPIDR,
 * HMER, HMEER, PTCR, TBU40, HID0. QEMU 7.2 raises the hypervisor emulation
 * assistance interrupt, which a partition sees as a privileged-instruction
 * program interrupt; RT is left alone. Writes are not tried for LPCR, HDEC and
 * HRMOR: if the rule were broken, the partition would break with it.
 */
static void test_hypervisor_sprs(void)
{
    static const unsigned hv[] = { 304, 305, 306, 307, 310, 313, 314, 315,
                                   318, 319, 336, 337, 464, 286, 1008 };
    struct guest_trap t;

    for (unsigned i = 0; i < sizeof(hv) / sizeof(hv[0]); i++) {
        if (!CHECK_EQ(mfspr(hv[i], &t), MARK)) {
            guest_printf("  SPR %u\n", hv[i]);
        }
        CHECK_PRIV(t);
        if (hv[i] == 318 || hv[i] == 310 || hv[i] == 313) {
            continue;
        }
        mtspr(hv[i], 0, &t);
        CHECK_PRIV(t);
    }
}

/*
 * SPR numbers nothing defines: with bit 0x10 of the number set, no-ops; without
 * it, mfspr of 0, 4, 5, 6 and mtspr of 0 are privileged, the rest no-ops.
 */
static void test_undefined_sprs(void)
{
    static const unsigned noop[] = { 2, 7, 16, 20, 30, 512, 1013 };
    static const unsigned priv_read[] = { 0, 4, 5, 6 };
    struct guest_trap t;

    for (unsigned i = 0; i < sizeof(noop) / sizeof(noop[0]); i++) {
        if (!CHECK_EQ(roundtrip(noop[i], 0x77, &t), 0x77)) {
            guest_printf("  SPR %u\n", noop[i]);
        }
        CHECK_EQ(t.vector, 0);
        CHECK_EQ(mfspr(noop[i], &t), MARK);
        CHECK_EQ(t.vector, 0);
    }
    for (unsigned i = 0; i < sizeof(priv_read) / sizeof(priv_read[0]); i++) {
        CHECK_EQ(mfspr(priv_read[i], &t), MARK);
        CHECK_PRIV(t);
    }
    mtspr(4, 0x77, &t);
    CHECK_EQ(t.vector, 0);
    mtspr(0, 0x77, &t);
    CHECK_PRIV(t);
}

/*
 * TFHAR, TFIAR, TEXASR, TEXASRU with transactional memory off: facility
 * unavailable, FSCR[IC] (bits 0:7) = 5, SRR1 = the MSR.
 */
static void test_tm_sprs(void)
{
    struct guest_trap t;

    for (unsigned spr = 128; spr <= 131; spr++) {
        mtspr(SPR_FSCR, 0, &t);
        CHECK_EQ(mfspr(spr, &t), MARK);
        CHECK_EQ(t.vector, VEC_FAC_UNAVAIL);
        CHECK_EQ(t.srr0, (uintptr_t)code);
        CHECK_EQ(t.srr1, msr());
        CHECK_EQ(mfspr(SPR_FSCR, &t) >> 56, 5);
        mtspr(spr, 0, &t);
        CHECK_EQ(t.vector, VEC_FAC_UNAVAIL);
    }
    mtspr(SPR_FSCR, 0, &t);
}

/* The FSCR facility bits are kept; a facility interrupt replaces only IC. */
static void test_fscr(void)
{
    struct guest_trap t;

    mtspr(SPR_FSCR, PPC_BIT(55) | PPC_BIT(51), &t);
    CHECK_EQ(mfspr(SPR_FSCR, &t), PPC_BIT(55) | PPC_BIT(51));
    mfspr(128, &t);
    CHECK_EQ(mfspr(SPR_FSCR, &t), PPC_BIT(55) | PPC_BIT(51) | (5ULL << 56));
    mtspr(SPR_FSCR, 0, &t);
}

/* mfmsr, mtmsrd L=1 (EE and RI only) and mtmsrd L=0 of EE, RI, FP. */
#define MSR_EE PPC_BIT(48)
#define MSR_FP PPC_BIT(50)
#define MSR_RI PPC_BIT(62)

static void test_msr_moves(void)
{
    uint64_t m0 = msr(), m1;

    asm volatile("mtmsrd %1,1\n\tmfmsr %0\n\tmtmsrd %2,0" : "=&r"(m1) : "r"(~MSR_EE), "r"(m0));
    CHECK_EQ(m1, (m0 & ~MSR_EE) | MSR_RI);
    asm volatile("mtmsrd %1,0\n\tmfmsr %0\n\tmtmsrd %2,0"
                 : "=&r"(m1)
                 : "r"(m0 | MSR_FP | MSR_RI), "r"(m0));
    CHECK_EQ(m1, m0 | MSR_FP | MSR_RI);
    CHECK_EQ(msr(), m0);
}

/*
 * MSR[ME]: a partition runs with machine checks enabled and cannot change that:
 * mtmsrd, mtmsr and rfid out of hypervisor state keep ME (Book III). QEMU 7.2
 * enters a -bios image with ME = 0 and lets rfid change ME (mtmsr[d] do not).
 */
#define MSR_ME PPC_BIT(51)

static uint64_t rfid_with_msr(uint64_t srr1)
{
    uint64_t r;

    asm volatile("lis 9,1f@ha\n\taddi 9,9,1f@l\n\tmtsrr0 9\n\tmtsrr1 %1\n\trfid\n1:\tmfmsr %0"
                 : "=r"(r)
                 : "r"(srr1)
                 : "r9", "memory");
    return r;
}

static void test_msr_me(void)
{
    uint64_t m = msr(), r;

    CHECK_EQ(guest_boot_msr & MSR_ME, guest_oracle() ? 0 : MSR_ME);
    CHECK_EQ(m & MSR_ME, guest_oracle() ? 0 : MSR_ME);
    asm volatile("mtmsrd %1\n\tmfmsr %0" : "=r"(r) : "r"(m ^ MSR_ME));
    CHECK_EQ(r, m);
    asm volatile("mtmsr %1\n\tmfmsr %0" : "=r"(r) : "r"(m ^ MSR_ME));
    CHECK_EQ(r, m);
    CHECK_EQ(rfid_with_msr(m ^ MSR_ME), guest_oracle() ? m ^ MSR_ME : m);
    CHECK_EQ(rfid_with_msr(m), m);
}

/*
 * The cache-inhibited loads and stores (lbzcix ... stdcix) are hypervisor
 * privileged: a partition takes the privileged-instruction program interrupt,
 * RT and memory unchanged.
 */
#define X31(xo, rt, ra, rb) ((31u << 26) | ((rt) << 21) | ((ra) << 16) | ((rb) << 11) | ((xo) << 1))

static void test_cache_inhibited(void)
{
    static const unsigned xo[] = { 853, 821, 789, 885, 981, 949, 917, 1013 };
    static volatile uint64_t target = 0x1234;
    struct guest_trap t;

    for (unsigned i = 0; i < sizeof(xo) / sizeof(xo[0]); i++) {
        /* r3 = the address (run2's input), and RT/RS = r3 too */
        if (!CHECK_EQ(run2(X31(xo[i], 3, 0, 3), NOP, (uintptr_t)&target, &t), (uintptr_t)&target)) {
            guest_printf("  XO %u\n", xo[i]);
        }
        CHECK_PRIV(t);
        CHECK_EQ(target, 0x1234);
    }
}

int main(void *fdt)
{
    test_storage_sprs();
    test_32bit_sprs();
    test_bescr_views();
    test_alias_sprs();
    test_readonly_sprs();
    test_hypervisor_sprs();
    test_undefined_sprs();
    test_tm_sprs();
    test_fscr();
    test_msr_moves();
    test_msr_me();
    test_cache_inhibited();
    return 0;
}

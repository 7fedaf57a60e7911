/* The SPRs a partition may write in supervisor state, as bare-metal suites check
 * them against QEMU 7.2: the value read back after a write of a pattern (64 bits, or
 * the low word for 32-bit registers), and the same value after the processor slept
 * in H_CEDE and took a decrementer interrupt. Each access is built at run time in a
 * small code buffer, so the SPR number can come from a table. */
#include "insn.h"

#define MFSPR(rt, spr)                                                                             \
    ((31u << 26) | ((rt) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (339 << 1))
#define MTSPR(spr, rs)                                                                             \
    ((31u << 26) | ((rs) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (467 << 1))
#define BLR 0x4e800020u

#define MSR_EE PPC_BIT(48)
#define VEC_DECREMENTER 0x900
#define SPR_MMCR0 795
#define MMCR0_FC PPC_BIT(32)
#define MMCR0_PMAE PPC_BIT(37)
#define MMCR0_PMAO PPC_BIT(56)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t code[4] __attribute__((aligned(64)));

/* Run one instruction with r3 = in; returns r3 after it. */
static uint64_t run1(uint32_t insn, uint64_t in)
{
    uint64_t out;

    code[0] = insn;
    code[1] = BLR;
    asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(code) : "memory");
    asm volatile("mr 3,%2\n\tmtctr %1\n\tbctrl\n\tmr %0,3"
                 : "=r"(out)
                 : "r"(code), "r"(in)
                 : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr",
                   "cr0", "xer", "memory");
    return out;
}

static uint64_t mfspr(unsigned spr)
{
    return run1(MFSPR(3, spr), 0);
}

static void mtspr(unsigned spr, uint64_t v)
{
    run1(MTSPR(spr, 3), v);
}

/*
 * How a register keeps the pattern: all 64 bits, the low word (32-bit registers),
 * or the low word here and 64 bits on QEMU 7.2, which does not narrow DSISR, PIDR,
 * VRSAVE and the PMCs.
 */
enum width { W64, W32, W32_QEMU64 };

static const struct {
    unsigned spr;
    enum width width;
} sprs[] = {
    { 17, W64 },         /* DSCR */
    { 18, W32_QEMU64 },  /* DSISR */
    { 19, W64 },         /* DAR */
    { 29, W64 },         /* AMR */
    { 48, W32_QEMU64 },  /* PIDR */
    { 61, W64 },         /* IAMR */
    { 144, W64 },        /* TIDR */
    { 157, W64 },        /* UAMOR */
    { 159, W32 },        /* PSPB */
    { 256, W32_QEMU64 }, /* VRSAVE */
    { 274, W64 },        /* SPRG2 */
    { 275, W64 },        /* SPRG3 */
    { 769, W64 },        /* MMCR2 through its problem-state number */
    { 770, W64 },        /* MMCRA, idem */
    { 771, W32_QEMU64 }, /* PMC1, idem */
    { 776, W32_QEMU64 }, /* PMC6, idem */
    { 780, W64 },        /* SIAR, idem */
    { 781, W64 },        /* SDAR, idem */
    { 782, W64 },        /* MMCR1, idem */
    { 784, W64 },        /* SIER */
    { 785, W64 },        /* MMCR2 */
    { 786, W64 },        /* MMCRA */
    { 787, W32_QEMU64 }, /* PMC1 */
    { 788, W32_QEMU64 }, /* PMC2 */
    { 789, W32_QEMU64 }, /* PMC3 */
    { 790, W32_QEMU64 }, /* PMC4 */
    { 791, W32_QEMU64 }, /* PMC5 */
    { 792, W32_QEMU64 }, /* PMC6 */
    { 796, W64 },        /* SIAR */
    { 797, W64 },        /* SDAR */
    { 798, W64 },        /* MMCR1 */
    { 804, W64 },        /* EBBHR */
    { 805, W64 },        /* EBBRR */
    { 806, W64 },        /* BESCR */
    { 815, W64 },        /* TAR */
    { 895, W64 },        /* WORT */
    { 896, W64 },        /* PPR */
};

static uint64_t expected(enum width w, uint64_t v)
{
    if (w == W64 || (w == W32_QEMU64 && guest_oracle())) {
        return v;
    }
    return (uint32_t)v;
}

static void test_pattern(uint64_t pat)
{
    uint64_t before[ARRAY_SIZE(sprs)];
    struct guest_trap t;

    /* MMCR0 first (frozen counters, no alert), so the PMCs keep still */
    mtspr(SPR_MMCR0, MMCR0_FC);
    for (unsigned i = 0; i < ARRAY_SIZE(sprs); i++) {
        mtspr(sprs[i].spr, pat);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(sprs); i++) {
        before[i] = mfspr(sprs[i].spr);
        if (!CHECK_EQ(before[i], expected(sprs[i].width, pat))) {
            guest_printf("  SPR %u\n", sprs[i].spr);
        }
    }

    /* sleep 2 ms: the decrementer interrupt ends H_CEDE */
    guest_mtdec(2 * 512000);
    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    guest_cede();
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_DECREMENTER);
    guest_mtdec(0x7fffffff);

    for (unsigned i = 0; i < ARRAY_SIZE(sprs); i++) {
        if (!CHECK_EQ(mfspr(sprs[i].spr), before[i])) {
            guest_printf("  SPR %u after H_CEDE\n", sprs[i].spr);
        }
    }
    /*
     * MMCR0 keeps 64 bits too (with EE off: the pattern may set PMAO, and clear FC,
     * which lets the PMCs count, as the suite's own sequence does)
     */
    mtspr(SPR_MMCR0, pat);
    CHECK_EQ(mfspr(SPR_MMCR0), pat);
    mtspr(SPR_MMCR0, MMCR0_FC);
}

int main(void *fdt)
{
    guest_trap_init();
    test_pattern(0xcafefacec0debabeULL);
    test_pattern(0x5555aaaa5555aaaaULL);
    test_pattern(0);
    return 0;
}

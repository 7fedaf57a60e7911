/*
 * Unit tests of the performance monitor's problem-state views (SPRs 768-782):
 * what MMCR0[PMCC] lets a problem-state program read and write, as QEMU 7.2 has it.
 */
#include "cpu-harness.h"

#define CODE HARNESS_CODE

#define spr_field(spr) (((spr)&0x1f) << 16 | ((spr) >> 5) << 11)
#define MFSPR(rt, spr) (0x7c0002a6u | (rt) << 21 | spr_field(spr))
#define MTSPR(spr, rs) (0x7c0003a6u | (rs) << 21 | spr_field(spr))

#define SPR_MMCR0 795
#define MMCR0_FC PPC_BIT(32)
#define MMCR0_PMAE PPC_BIT(37)
#define MMCR0_PMCC0 PPC_BIT(44)
#define MMCR0_PMCC1 PPC_BIT(45)
#define MMCR0_PMAO PPC_BIT(56)
#define MMCR0_FC56 PPC_BIT(59)

static PowerPCCPU *cpu;
static CPUPPCState *env;

/*
 * A reset CPU in problem state with MMCR0 = FC | FC56 | pmcc (set directly: the
 * tests build MSR[PR] = 1 with IR = DR = 0, see test-ppc-system.c).
 */
static void fresh(uint64_t pmcc)
{
    cpu = harness_fresh(cpu);
    env = &cpu->env;
    env->spr[SPR_MMCR0] = MMCR0_FC | MMCR0_FC56 | pmcc;
    env->msr = MSR_SF | MSR_ME | MSR_PR;
}

/* Run one instruction: true when it raised a privileged-instruction program interrupt. */
static bool run1_refused(uint32_t insn)
{
    harness_run(cpu, &insn, 1);
    if (env->nip == 0x704) {
        g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE);
        g_assert_true(env->spr[SPR_SRR1] & PPC_BIT(45));
        return true;
    }
    /* the closing sc 1 is a system call in problem state */
    g_assert_cmphex(env->nip, ==, 0xc04);
    return false;
}

static const uint64_t pmccs[4] = { 0, MMCR0_PMCC1, MMCR0_PMCC0, MMCR0_PMCC0 | MMCR0_PMCC1 };

/* Group A views: MMCR2 (769), PMC1-4 (771-774), PMC5-6 (775-776), MMCR0 (779). */
static void test_group_a(void)
{
    static const unsigned views[] = { 769, 771, 774, 775, 776, 779 };

    for (size_t p = 0; p < 4; p++) {
        for (size_t i = 0; i < G_N_ELEMENTS(views); i++) {
            bool pmc56 = views[i] == 775 || views[i] == 776;
            /* PMCC 01 refuses everything; 11 leaves PMC5-6 out */
            bool read_ok = p != 1 && !(pmc56 && p == 3);
            /* writes need PMCC 1x */
            bool write_ok = p >= 2 && !(pmc56 && p == 3);

            fresh(pmccs[p]);
            env->gpr[4] = 0x4444;
            g_assert_cmpint(run1_refused(MFSPR(4, views[i])), ==, !read_ok);
            fresh(pmccs[p]);
            env->gpr[4] = 0x4444;
            g_assert_cmpint(run1_refused(MTSPR(views[i], 4)), ==, !write_ok);
        }
    }
}

/* MMCRA, SIAR, SDAR, MMCR1 and SIER views: read whatever PMCC says, never written. */
static void test_read_only_views(void)
{
    static const unsigned views[] = { 768, 770, 780, 781, 782 };

    for (size_t p = 0; p < 4; p++) {
        for (size_t i = 0; i < G_N_ELEMENTS(views); i++) {
            fresh(pmccs[p]);
            env->spr[views[i] + 16] = 0x1234;
            g_assert_false(run1_refused(MFSPR(4, views[i])));
            /* 768 is SIER's (QEMU 7.2 reads a register of its own there) */
            g_assert_cmphex(env->gpr[4], ==, 0x1234);
            fresh(pmccs[p]);
            g_assert_true(run1_refused(MTSPR(views[i], 4)));
        }
    }
}

/* Through its view MMCR0 shows and takes only FC, PMAE and PMAO; MMCR2 its FCnP0 bits. */
static void test_masks(void)
{
    const uint64_t mmcr2_fcnp0 = 0x4020100804020000ULL;

    fresh(MMCR0_PMCC0);
    g_assert_false(run1_refused(MFSPR(4, 779)));
    g_assert_cmphex(env->gpr[4], ==, MMCR0_FC);

    fresh(MMCR0_PMCC0);
    env->gpr[4] = ~MMCR0_FC;
    g_assert_false(run1_refused(MTSPR(779, 4)));
    g_assert_cmphex(env->spr[SPR_MMCR0], ==, MMCR0_FC56 | MMCR0_PMCC0 | MMCR0_PMAE | MMCR0_PMAO);
    /* PMAO written: the performance monitor interrupt is pending (taken with EE) */
    g_assert_true(env->pending_interrupts & PPC_INTERRUPT_PERFM);

    fresh(MMCR0_PMCC0);
    env->spr[785] = ~0ULL;
    g_assert_false(run1_refused(MFSPR(4, 769)));
    g_assert_cmphex(env->gpr[4], ==, mmcr2_fcnp0);
    fresh(MMCR0_PMCC0);
    env->spr[785] = 0;
    env->gpr[4] = ~0ULL;
    g_assert_false(run1_refused(MTSPR(769, 4)));
    g_assert_cmphex(env->spr[785], ==, mmcr2_fcnp0);

    /* a PMC through its view: 32 bits */
    fresh(MMCR0_PMCC0);
    env->gpr[4] = 0x123456789abcdef0ULL;
    g_assert_false(run1_refused(MTSPR(772, 4)));
    g_assert_cmphex(env->spr[788], ==, 0x9abcdef0ULL);
}

/* The supervisor numbers (784-798) are privileged in problem state whatever PMCC says. */
static void test_supervisor_numbers(void)
{
    for (unsigned spr = 784; spr <= 798; spr++) {
        if (spr == 793 || spr == 794) {
            continue;
        }
        fresh(MMCR0_PMCC0);
        g_assert_true(run1_refused(MFSPR(4, spr)));
        fresh(MMCR0_PMCC0);
        g_assert_true(run1_refused(MTSPR(spr, 4)));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-pmu/problem-state/group-a", test_group_a);
    g_test_add_func("/ppc-pmu/problem-state/read-only", test_read_only_views);
    g_test_add_func("/ppc-pmu/problem-state/masks", test_masks);
    g_test_add_func("/ppc-pmu/problem-state/supervisor-numbers", test_supervisor_numbers);
    return g_test_run();
}

/*
 * Unit tests of the branch and condition-register instructions: every BO
 * form of bc/bclr/bcctr/bctar, links, 32-bit mode, the CR logical ops and
 * the moves between the CR and GPRs.
 */
#include "cpu-harness.h"
#include "target/ppc/internal.h"

#define CODE HARNESS_CODE
#define TARGET (HARNESS_CODE + 0x1000) /* where taken branches go: sc 1 */
#define NOT_TAKEN (CODE + 8)           /* after the branch and its sc 1 */
#define TAKEN (TARGET + 4)

static PowerPCCPU *cpu;
static CPUPPCState *env;

/* A reset CPU and zeroed low RAM, with sc 1 at the interrupt vectors. */
static void fresh(void)
{
    cpu = harness_fresh(cpu);
    env = &cpu->env;
}

/* sc 1 at addr, in the byte order the CPU runs in now. */
static void put_sc1(uint64_t addr)
{
    if (env->msr & MSR_LE) {
        guest_stl_le(addr, HARNESS_SC1);
    } else {
        guest_stl_be(addr, HARNESS_SC1);
    }
}

/* Run one instruction at CODE with TARGET holding sc 1; returns the nip. */
static uint64_t run1(uint32_t insn)
{
    put_sc1(TARGET);
    harness_run(cpu, &insn, 1);
    return env->nip;
}

static uint32_t b_form(int32_t li, bool aa, bool lk)
{
    return 0x48000000u | (li & 0x03fffffc) | aa << 1 | lk;
}

static uint32_t bc_form(unsigned bo, unsigned bi, int32_t bd, bool aa, bool lk)
{
    return 0x40000000u | bo << 21 | bi << 16 | (bd & 0xfffc) | aa << 1 | lk;
}

static uint32_t xl_form(unsigned xo, unsigned bt, unsigned ba, unsigned bb, bool lk)
{
    return 0x4c000000u | bt << 21 | ba << 16 | bb << 11 | xo << 1 | lk;
}

#define BCLR(bo, bi, lk) xl_form(16, bo, bi, 0, lk)
#define BCCTR(bo, bi, lk) xl_form(528, bo, bi, 0, lk)
#define BCTAR(bo, bi, lk) xl_form(560, bo, bi, 0, lk)
#define MFCR(rt) (0x7c000026u | (rt) << 21)
#define MFOCRF(rt, fxm) (MFCR(rt) | 1u << 20 | (fxm) << 12)
#define MTCRF(fxm, rs) (0x7c000120u | (rs) << 21 | (fxm) << 12)
#define MTOCRF(fxm, rs) (MTCRF(fxm, rs) | 1u << 20)

/* The program interrupt for an illegal instruction at CODE was taken. */
static void assert_illegal(void)
{
    g_assert_cmphex(env->nip, ==, 0x704);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE);
    g_assert_true(env->spr[SPR_SRR1] & PPC_BIT(44));
}

/* ---- Unconditional branches ---------------------------------------------- */

static void test_b(void)
{
    fresh();
    g_assert_cmphex(run1(b_form(TARGET - CODE, false, false)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, 0);

    /* Backwards */
    fresh();
    put_sc1(CODE - 0x800);
    g_assert_cmphex(run1(b_form(-0x800, false, false)), ==, CODE - 0x800 + 4);
}

static void test_bl_ba_bla(void)
{
    fresh();
    g_assert_cmphex(run1(b_form(TARGET - CODE, false, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);

    fresh();
    g_assert_cmphex(run1(b_form(TARGET, true, false)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, 0);

    fresh();
    g_assert_cmphex(run1(b_form(TARGET, true, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);
}

/* LI is sign-extended; in 32-bit mode the target is truncated to 32 bits. */
static void test_b_sign_and_32bit(void)
{
    fresh();
    run1(b_form(-0x1000, true, false));
    /* Outside RAM: the fetch machine-checks with SRR0 = the target. */
    g_assert_cmphex(env->nip, ==, 0x204);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, 0xfffffffffffff000ULL);

    fresh();
    env->msr &= ~MSR_SF;
    run1(b_form(-0x1000, true, false));
    g_assert_cmphex(env->nip, ==, 0x204);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, 0xfffff000ULL);
}

/* ---- Every BO form ------------------------------------------------------ */

typedef struct BORow {
    unsigned bo;
    uint64_t ctr;
    unsigned crbit;
    bool taken;
    uint64_t ctr_after;
} BORow;

#define BI 6 /* CR1[EQ] */

static const BORow bo_rows[] = {
    { 20, 5, 0, true, 5 },
    { 20, 5, 1, true, 5 }, /* always */
    { 12, 5, 1, true, 5 },
    { 12, 5, 0, false, 5 }, /* CR bit true */
    { 4, 5, 0, true, 5 },
    { 4, 5, 1, false, 5 }, /* CR bit false */
    { 16, 2, 0, true, 1 },
    { 16, 1, 0, false, 0 }, /* bdnz */
    { 16, 0, 0, true, UINT64_MAX },
    { 18, 1, 0, true, 0 },
    { 18, 2, 0, false, 1 }, /* bdz */
    { 8, 2, 1, true, 1 },
    { 8, 2, 0, false, 1 }, /* bdnzt */
    { 8, 1, 1, false, 0 },
    { 0, 2, 0, true, 1 },
    { 0, 2, 1, false, 1 }, /* bdnzf */
    { 0, 1, 0, false, 0 },
    { 10, 1, 1, true, 0 },
    { 10, 1, 0, false, 0 }, /* bdzt */
    { 10, 2, 1, false, 1 },
    { 2, 1, 0, true, 0 },
    { 2, 1, 1, false, 0 }, /* bdzf */
    { 2, 2, 0, false, 1 },
    /* prediction hints ("at" and "t" bits) change nothing */
    { 15, 5, 1, true, 5 },
    { 15, 5, 0, false, 5 },
    { 7, 5, 0, true, 5 },
    { 7, 5, 1, false, 5 },
    { 25, 2, 0, true, 1 },
    { 25, 1, 0, false, 0 },
    { 27, 1, 0, true, 0 },
    { 27, 2, 1, false, 1 },
    { 31, 0, 0, true, 0 },
    { 28, 7, 1, true, 7 },
};

enum { VIA_BC, VIA_BCLR, VIA_BCTAR, VIA_BCCTR };

static void check_bo_row(const BORow *r, int via)
{
    uint32_t insn;

    fresh();
    env->ctr = r->ctr;
    cr_set_bit(env, BI, r->crbit);
    switch (via) {
    case VIA_BC:
        insn = bc_form(r->bo, BI, TARGET - CODE, false, false);
        break;
    case VIA_BCLR:
        env->lr = TARGET;
        insn = BCLR(r->bo, BI, false);
        break;
    case VIA_BCTAR:
        env->tar = TARGET;
        insn = BCTAR(r->bo, BI, false);
        break;
    default:
        env->ctr = TARGET;
        insn = BCCTR(r->bo, BI, false);
        break;
    }
    g_assert_cmphex(run1(insn), ==, r->taken ? TAKEN : NOT_TAKEN);
    if (via != VIA_BCCTR) {
        g_assert_cmphex(env->ctr, ==, r->ctr_after);
    }
    g_assert_cmpuint(cr_bit(env, BI), ==, r->crbit);
    g_assert_cmphex(env->lr, ==, via == VIA_BCLR ? TARGET : 0);
}

static void test_bc_bo_forms(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bo_rows); i++) {
        check_bo_row(&bo_rows[i], VIA_BC);
    }
}

static void test_bclr_bo_forms(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bo_rows); i++) {
        check_bo_row(&bo_rows[i], VIA_BCLR);
    }
}

static void test_bctar_bo_forms(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bo_rows); i++) {
        check_bo_row(&bo_rows[i], VIA_BCTAR);
    }
}

/* bcctr with the forms that leave CTR alone. */
static void test_bcctr_bo_forms(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bo_rows); i++) {
        if (bo_rows[i].bo & 4) {
            check_bo_row(&bo_rows[i], VIA_BCCTR);
        }
    }
}

/*
 * bcctr with a CTR-decrementing BO: QEMU 7.2's "test and decrement" (the
 * ISA calls the form invalid): the test sees CTR before the decrement, and
 * CTR is also the target.
 */
static void test_bcctr_test_and_decrement(void)
{
    fresh();
    env->ctr = TARGET;
    g_assert_cmphex(run1(BCCTR(16, 0, false)), ==, TAKEN); /* bdnzctr: old CTR != 0 */
    g_assert_cmphex(env->ctr, ==, TARGET - 1);
    fresh();
    env->ctr = TARGET;
    g_assert_cmphex(run1(BCCTR(18, 0, false)), ==, NOT_TAKEN); /* bdzctr: old CTR != 0 */
    g_assert_cmphex(env->ctr, ==, TARGET - 1);
}

/* bc/bca: relative forwards and backwards, and absolute. */
static void test_bc_displacements(void)
{
    fresh();
    put_sc1(CODE - 0x400);
    g_assert_cmphex(run1(bc_form(20, 0, -0x400, false, false)), ==, CODE - 0x400 + 4);

    fresh();
    put_sc1(0x4000);
    g_assert_cmphex(run1(bc_form(20, 0, 0x4000, true, false)), ==, 0x4004);

    /* bcla, not taken: LR is still written */
    fresh();
    g_assert_cmphex(run1(bc_form(12, 0, 0x4000, true, true)), ==, NOT_TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);
}

static void test_branch_links(void)
{
    fresh();
    g_assert_cmphex(run1(bc_form(20, 0, TARGET - CODE, false, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);

    /* bclrl goes to the old LR; the low two bits of LR are ignored */
    fresh();
    env->lr = TARGET | 3;
    g_assert_cmphex(run1(BCLR(20, 0, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);

    fresh();
    env->ctr = TARGET | 2;
    g_assert_cmphex(run1(BCCTR(20, 0, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);
    g_assert_cmphex(env->ctr, ==, TARGET | 2);

    fresh();
    env->tar = TARGET | 1;
    g_assert_cmphex(run1(BCTAR(20, 0, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);

    /* bdnzlrl not taken: CTR decremented, LR still written */
    fresh();
    env->lr = TARGET;
    env->ctr = 1;
    g_assert_cmphex(run1(BCLR(16, 0, true)), ==, NOT_TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);
    g_assert_cmphex(env->ctr, ==, 0);
}

/* In 32-bit mode register targets are truncated and CTR tests its low word. */
static void test_branch_32bit(void)
{
    fresh();
    env->msr &= ~MSR_SF;
    env->lr = 0xffffffff00000000ULL | TARGET;
    g_assert_cmphex(run1(BCLR(20, 0, false)), ==, TAKEN);

    fresh();
    env->lr = 0xffffffff00000000ULL | TARGET;
    run1(BCLR(20, 0, false));
    g_assert_cmphex(env->nip, ==, 0x204); /* 64-bit: outside RAM */

    fresh();
    env->msr &= ~MSR_SF;
    env->ctr = 0x100000001ULL;
    g_assert_cmphex(run1(bc_form(16, 0, TARGET - CODE, false, false)), ==, NOT_TAKEN);
    g_assert_cmphex(env->ctr, ==, 0x100000000ULL);

    fresh();
    env->ctr = 0x100000001ULL;
    g_assert_cmphex(run1(bc_form(16, 0, TARGET - CODE, false, false)), ==, TAKEN);

    fresh();
    env->msr &= ~MSR_SF;
    env->ctr = 0x7fffffff00000000ULL | TARGET;
    g_assert_cmphex(run1(BCCTR(20, 0, true)), ==, TAKEN);
    g_assert_cmphex(env->lr, ==, CODE + 4);
}

/* Little-endian mode: the same results from byte-swapped code. */
static void test_branch_le(void)
{
    fresh();
    env->msr |= MSR_LE;
    env->ctr = 2;
    g_assert_cmphex(run1(bc_form(16, 0, TARGET - CODE, false, true)), ==, TAKEN);
    g_assert_cmphex(env->ctr, ==, 1);
    g_assert_cmphex(env->lr, ==, CODE + 4);
    g_assert_cmphex(run1(bc_form(18, 0, TARGET - CODE, false, false)), ==, TAKEN);
    g_assert_cmphex(run1(bc_form(18, 0, TARGET - CODE, false, false)), ==, NOT_TAKEN);
}

/* A loop: bdnz back to itself runs CTR times, then falls through. */
static void test_bdnz_loop(void)
{
    const uint32_t insns[] = { bc_form(16, 0, 0, false, false) };

    fresh();
    env->ctr = 1000;
    harness_run(cpu, insns, 1);
    g_assert_cmphex(env->nip, ==, NOT_TAKEN);
    g_assert_cmphex(env->ctr, ==, 0);
}

static void test_bctar_reserved(void)
{
    fresh();
    env->tar = TARGET;
    run1(BCTAR(20, 0, false) | 0x2000);
    assert_illegal();
}

/* ---- CR logical operations, mcrf ------------------------------------------- */

typedef struct CRLogic {
    const char *name;
    unsigned xo;
    unsigned truth[4]; /* result for (a, b) = 00, 01, 10, 11 */
} CRLogic;

static const CRLogic cr_logic[] = {
    { "crand", 257, { 0, 0, 0, 1 } }, { "crandc", 129, { 0, 0, 1, 0 } },
    { "creqv", 289, { 1, 0, 0, 1 } }, { "crnand", 225, { 1, 1, 1, 0 } },
    { "crnor", 33, { 1, 0, 0, 0 } },  { "cror", 449, { 0, 1, 1, 1 } },
    { "crorc", 417, { 1, 0, 1, 1 } }, { "crxor", 193, { 0, 1, 1, 0 } },
};

static void test_cr_logical(void)
{
    const unsigned ba = 5, bb = 30, bt = 17;

    for (size_t i = 0; i < G_N_ELEMENTS(cr_logic); i++) {
        for (unsigned ab = 0; ab < 4; ab++) {
            for (unsigned old = 0; old < 2; old++) {
                uint32_t insn = xl_form(cr_logic[i].xo, bt, ba, bb, false);
                uint32_t cr = old ? 0x5a5a5a5a : 0xa5a5a5a5, want;

                fresh();
                ppc_set_cr(env, cr);
                cr_set_bit(env, ba, ab >> 1);
                cr_set_bit(env, bb, ab & 1);
                cr_set_bit(env, bt, old);
                want = ppc_get_cr(env) & ~(0x80000000u >> bt);
                want |= cr_logic[i].truth[ab] ? 0x80000000u >> bt : 0;
                g_assert_cmphex(run1(insn), ==, NOT_TAKEN);
                if (ppc_get_cr(env) != want) {
                    g_error("%s a=%u b=%u: CR %08x, want %08x", cr_logic[i].name, ab >> 1, ab & 1,
                            ppc_get_cr(env), want);
                }
            }
        }
    }
}

/* crset/crclr idioms: all three operands the same bit. */
static void test_cr_same_operands(void)
{
    fresh();
    ppc_set_cr(env, 0);
    run1(xl_form(289, 9, 9, 9, false)); /* creqv 9,9,9 */
    g_assert_cmphex(ppc_get_cr(env), ==, 0x00400000);
    run1(xl_form(193, 9, 9, 9, false)); /* crxor 9,9,9 */
    g_assert_cmphex(ppc_get_cr(env), ==, 0);
}

static void test_mcrf(void)
{
    fresh();
    ppc_set_cr(env, 0x12345678);
    run1(xl_form(0, 5 << 2, 2 << 2, 0, false));
    g_assert_cmphex(ppc_get_cr(env), ==, 0x12345378);
    run1(xl_form(0, 0, 7 << 2, 0, false));
    g_assert_cmphex(ppc_get_cr(env), ==, 0x82345378);
}

static void test_cr_reserved_bits(void)
{
    fresh();
    run1(xl_form(0, 4, 8, 0, true)); /* mcrf with bit 31 set */
    assert_illegal();
    fresh();
    run1(xl_form(257, 1, 2, 3, true)); /* crand with bit 31 set */
    assert_illegal();
    fresh();
    run1(MFCR(4) | 0x800); /* mfcr with bit 20 set */
    assert_illegal();
    fresh();
    run1(MTCRF(0xff, 4) | 1);
    assert_illegal();
}

/* ---- CR <-> GPR ------------------------------------------------------------- */

static void test_mfcr_mfocrf(void)
{
    fresh();
    ppc_set_cr(env, 0x9abcdef1);
    env->gpr[4] = UINT64_MAX;
    run1(MFCR(4));
    g_assert_cmphex(env->gpr[4], ==, 0x9abcdef1);

    /* One field, in place, the rest zero */
    run1(MFOCRF(5, 0x20));
    g_assert_cmphex(env->gpr[5], ==, 0x00b00000);
    run1(MFOCRF(5, 0x01));
    g_assert_cmphex(env->gpr[5], ==, 0x1);
    run1(MFOCRF(5, 0x80));
    g_assert_cmphex(env->gpr[5], ==, 0x90000000);

    /* Not exactly one field: RT unchanged (as QEMU 7.2) */
    env->gpr[6] = 0x77;
    run1(MFOCRF(6, 0x21));
    g_assert_cmphex(env->gpr[6], ==, 0x77);
    run1(MFOCRF(6, 0));
    g_assert_cmphex(env->gpr[6], ==, 0x77);
}

static void test_mtcrf_mtocrf(void)
{
    fresh();
    env->gpr[3] = 0xffffffff87654321ULL;
    run1(MTCRF(0xff, 3));
    g_assert_cmphex(ppc_get_cr(env), ==, 0x87654321);

    ppc_set_cr(env, 0xaaaaaaaa);
    run1(MTCRF(0x81, 3));
    g_assert_cmphex(ppc_get_cr(env), ==, 0x8aaaaaa1);
    run1(MTCRF(0, 3));
    g_assert_cmphex(ppc_get_cr(env), ==, 0x8aaaaaa1);

    ppc_set_cr(env, 0xaaaaaaaa);
    run1(MTOCRF(0x04, 3));
    g_assert_cmphex(ppc_get_cr(env), ==, 0xaaaaa3aa);
    /* Not exactly one field: nothing changes (as QEMU 7.2) */
    run1(MTOCRF(0x06, 3));
    g_assert_cmphex(ppc_get_cr(env), ==, 0xaaaaa3aa);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-branch/b", test_b);
    g_test_add_func("/ppc-branch/bl-ba-bla", test_bl_ba_bla);
    g_test_add_func("/ppc-branch/b-sign-32bit", test_b_sign_and_32bit);
    g_test_add_func("/ppc-branch/bc-bo-forms", test_bc_bo_forms);
    g_test_add_func("/ppc-branch/bclr-bo-forms", test_bclr_bo_forms);
    g_test_add_func("/ppc-branch/bctar-bo-forms", test_bctar_bo_forms);
    g_test_add_func("/ppc-branch/bcctr-bo-forms", test_bcctr_bo_forms);
    g_test_add_func("/ppc-branch/bcctr-test-and-decrement", test_bcctr_test_and_decrement);
    g_test_add_func("/ppc-branch/bc-displacements", test_bc_displacements);
    g_test_add_func("/ppc-branch/links", test_branch_links);
    g_test_add_func("/ppc-branch/32bit", test_branch_32bit);
    g_test_add_func("/ppc-branch/le", test_branch_le);
    g_test_add_func("/ppc-branch/bdnz-loop", test_bdnz_loop);
    g_test_add_func("/ppc-branch/bctar-reserved", test_bctar_reserved);
    g_test_add_func("/ppc-branch/cr-logical", test_cr_logical);
    g_test_add_func("/ppc-branch/cr-same-operands", test_cr_same_operands);
    g_test_add_func("/ppc-branch/mcrf", test_mcrf);
    g_test_add_func("/ppc-branch/cr-reserved-bits", test_cr_reserved_bits);
    g_test_add_func("/ppc-branch/mfcr-mfocrf", test_mfcr_mfocrf);
    g_test_add_func("/ppc-branch/mtcrf-mtocrf", test_mtcrf_mtocrf);
    return g_test_run();
}

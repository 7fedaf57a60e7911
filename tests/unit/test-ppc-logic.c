/*
 * Unit tests of the fixed-point logical, rotate, shift and count
 * instructions (target/ppc/insn-logic.c): results, CR0 and XER[CA/CA32].
 */
#include "cpu-harness.h"
#include "ppc-values.h"

#define SRR1_N 27
#define VEC_PROGRAM 0x700

/* Every case computes RA=r3 from RS=r4 and RB=r5. */
static uint32_t xl(unsigned xo, unsigned rc)
{
    return 31u << 26 | 4u << 21 | 3u << 16 | 5u << 11 | xo << 1 | rc;
}

/* The unary X-forms (RB=0), and srawi with SH in the RB field. */
static uint32_t xl1(unsigned xo, unsigned rc)
{
    return xl(xo, rc) & ~(0x1fu << 11);
}

static uint32_t srawi(unsigned sh, unsigned rc)
{
    return xl1(824, rc) | sh << 11;
}

static uint32_t dl(unsigned opcd, uint16_t imm)
{
    return opcd << 26 | 4u << 21 | 3u << 16 | imm;
}

/* M-form (rlwinm 21, rlwnm 23 with SH ignored for RB=5, rlwimi 20) */
static uint32_t m(unsigned opcd, unsigned sh, unsigned mb, unsigned me, unsigned rc)
{
    return opcd << 26 | 4u << 21 | 3u << 16 | sh << 11 | mb << 6 | me << 1 | rc;
}

/* MD-form (rldicl 0, rldicr 1, rldic 2, rldimi 3): 6-bit sh and mb/me split. */
static uint32_t md(unsigned xo, unsigned sh, unsigned mb, unsigned rc)
{
    return 30u << 26 | 4u << 21 | 3u << 16 | (sh & 31) << 11 | (mb & 31) << 6 | (mb >> 5) << 5 |
           xo << 2 | (sh >> 5) << 1 | rc;
}

/* MDS-form (rldcl 8, rldcr 9): rotate by RB=r5. */
static uint32_t mds(unsigned xo, unsigned mb, unsigned rc)
{
    return 30u << 26 | 4u << 21 | 3u << 16 | 5u << 11 | (mb & 31) << 6 | (mb >> 5) << 5 | xo << 1 |
           rc;
}

/* XS-form (sradi 413, extswsli 445) */
static uint32_t xs(unsigned xo, unsigned sh, unsigned rc)
{
    return 31u << 26 | 4u << 21 | 3u << 16 | (sh & 31) << 11 | xo << 2 | (sh >> 5) << 1 | rc;
}

typedef struct Case {
    const char *name;
    uint32_t insn;
    uint64_t s, b;   /* RS (r4), RB (r5) */
    uint64_t xer_in; /* XER before */
    uint64_t ra;     /* r3 after (it starts as POISON) */
    uint64_t xer;    /* XER after */
    uint32_t cr;     /* CR after (it starts at 0) */
    bool mode32;     /* run with MSR[SF]=0 */
    bool le;         /* run little-endian */
} Case;

static void run_cases(const Case *cases, size_t n)
{
    PowerPCCPU *cpu = harness_cpu();
    CPUPPCState *env = &cpu->env;

    for (size_t i = 0; i < n; i++) {
        const Case *c = &cases[i];

        env->msr = c->mode32 ? env->msr & ~MSR_SF : env->msr | MSR_SF;
        env->msr = c->le ? env->msr | MSR_LE : env->msr & ~MSR_LE;
        env->gpr[3] = POISON;
        env->gpr[4] = c->s;
        env->gpr[5] = c->b;
        ppc_set_xer(env, c->xer_in);
        ppc_set_cr(env, 0);
        harness_run(cpu, &c->insn, 1);
        if (env->gpr[3] != c->ra || ppc_get_xer(env) != c->xer || ppc_get_cr(env) != c->cr) {
            g_test_message("%s: nip 0x%" PRIx64 " ra 0x%" PRIx64 " xer 0x%" PRIx64 " cr 0x%08x",
                           c->name, env->nip, env->gpr[3], ppc_get_xer(env), ppc_get_cr(env));
        }
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 8);
        g_assert_cmphex(env->gpr[3], ==, c->ra);
        g_assert_cmphex(ppc_get_xer(env), ==, c->xer);
        g_assert_cmphex(ppc_get_cr(env), ==, c->cr);
    }
    ppc_cpu_free(cpu);
}

static void test_logical(void)
{
    const Case cases[] = {
        { "and", xl(28, 0), 0xff00ff00ff00ff00ULL, 0x0ff00ff00ff00ff0ULL, 0, 0x0f000f000f000f00ULL,
          0, 0 },
        { "and. zero", xl(28, 1), 0xf0, 0x0f, SO, 0, SO, CR0_EQ | CR0_SO },
        { "and. 32-bit mode", xl(28, 1), 0xffffffff80000000ULL, ALL1, 0, 0xffffffff80000000ULL, 0,
          CR0_LT, true },
        { "and. 32-bit mode high bits only", xl(28, 1), 0x100000000ULL, ALL1, 0, 0x100000000ULL, 0,
          CR0_EQ, true },
        { "andc", xl(60, 0), 0xff, 0x0f, 0, 0xf0, 0, 0 },
        { "or", xl(444, 0), 0xf0, 0x0f, 0, 0xff, 0, 0 },
        { "or. negative", xl(444, 1), I64MIN, 1, 0, I64MIN | 1, 0, CR0_LT },
        { "orc", xl(412, 0), 1, 0xffffffffffffff00ULL, 0, 0xff, 0, 0 },
        { "xor", xl(316, 1), 0xff, 0x0f, 0, 0xf0, 0, CR0_GT },
        { "nand", xl(476, 1), ALL1, ALL1, 0, 0, 0, CR0_EQ },
        { "nor", xl(124, 1), 0, 0, 0, ALL1, 0, CR0_LT },
        { "eqv", xl(284, 0), 5, 5, 0, ALL1, 0, 0 },
        { "eqv differs", xl(284, 0), 5, 4, 0, ~1ULL, 0, 0 },
        { "andi.", dl(28, 0x8000), 0xffffffffffff00ffULL, 0, 0, 0, 0, CR0_EQ },
        { "andi. keeps low", dl(28, 0xff0f), ALL1, 0, SO, 0xff0f, SO, CR0_GT | CR0_SO },
        { "andis.", dl(29, 0xffff), ALL1, 0, 0, 0xffff0000ULL, 0, CR0_GT },
        { "andis. 32-bit mode", dl(29, 0xffff), ALL1, 0, 0, 0xffff0000ULL, 0, CR0_LT, true },
        { "ori", dl(24, 0x8000), 1, 0, 0, 0x8001, 0, 0 },
        { "nop", 0x60000000, 1, 0, 0, POISON, 0, 0 },
        { "oris", dl(25, 0x8000), 1, 0, 0, 0x80000001ULL, 0, 0 },
        { "xori", dl(26, 0xffff), 0xff, 0, 0, 0xff00, 0, 0 },
        { "xoris", dl(27, 0xffff), ALL1, 0, 0, 0xffffffff0000ffffULL, 0, 0 },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static void test_extend_count(void)
{
    const Case cases[] = {
        { "extsb", xl1(954, 1), 0x1280, 0, 0, 0xffffffffffffff80ULL, 0, CR0_LT },
        { "extsb positive", xl1(954, 0), 0xff7f, 0, 0, 0x7f, 0, 0 },
        { "extsh", xl1(922, 0), 0x12348000, 0, 0, 0xffffffffffff8000ULL, 0, 0 },
        { "extsw", xl1(986, 0), 0x80000000, 0, 0, 0xffffffff80000000ULL, 0, 0 },
        { "extsw.", xl1(986, 1), 0x123456787fffffffULL, 0, 0, 0x7fffffff, 0, CR0_GT },
        { "cntlzw 0", xl1(26, 0), 0, 0, 0, 32, 0, 0 },
        { "cntlzw high word ignored", xl1(26, 0), 0x100000000ULL, 0, 0, 32, 0, 0 },
        { "cntlzw 1", xl1(26, 0), 1, 0, 0, 31, 0, 0 },
        { "cntlzw.", xl1(26, 1), 0x80000000, 0, 0, 0, 0, CR0_EQ },
        { "cntlzd 0", xl1(58, 0), 0, 0, 0, 64, 0, 0 },
        { "cntlzd 1", xl1(58, 1), 1, 0, 0, 63, 0, CR0_GT },
        { "cnttzw", xl1(538, 1), 0x100000000ULL, 0, 0, 32, 0, CR0_GT },
        { "cnttzw 8", xl1(538, 0), 0x100, 0, 0, 8, 0, 0 },
        { "cnttzd 0", xl1(570, 0), 0, 0, 0, 64, 0, 0 },
        { "cnttzd top", xl1(570, 0), I64MIN, 0, 0, 63, 0, 0 },
        { "popcntb", xl1(122, 0), 0xff0f030100000080ULL, 0, 0, 0x0804020100000001ULL, 0, 0 },
        { "popcntw", xl1(378, 0), 0xffffffff00000003ULL, 0, 0, 0x0000002000000002ULL, 0, 0 },
        { "popcntd", xl1(506, 0), ALL1, 0, 0, 64, 0, 0 },
        { "prtyw even", xl1(154, 0), 0x0100000101010101ULL, 0, 0, 0, 0, 0 },
        { "prtyw odd", xl1(154, 0), 0x00000001fe0000feULL, 0, 0, 0x0000000100000000ULL, 0, 0 },
        { "prtyw only low bits", xl1(154, 0), 0xfefefefe000000ffULL, 0, 0, 1, 0, 0 },
        { "prtyd even", xl1(186, 0), 0x0000000100000001ULL, 0, 0, 0, 0, 0 },
        { "prtyd odd", xl1(186, 0), 0x0100000000000000ULL, 0, 0, 1, 0, 0 },
        { "cmpb", xl(508, 0), 0x1122334455667788ULL, 0x1100334400667700ULL, 0,
          0xff00ffff00ffff00ULL, 0, 0 },
        { "bpermd", xl(252, 0), 0x00013f40ff3e0203ULL, 0x8000000000000003ULL, 0, 0xa4, 0, 0 },
        { "bpermd all", xl(252, 0), 0x0001020304050607ULL, 0xa500000000000000ULL, 0, 0xa5, 0, 0 },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static void test_shift(void)
{
    const Case cases[] = {
        { "slw", xl(24, 0), 0xffffffff00000001ULL, 31, 0, 0x80000000, 0, 0 },
        { "slw. 64-bit CR0", xl(24, 1), 1, 31, 0, 0x80000000, 0, CR0_GT },
        { "slw 32", xl(24, 0), 1, 32, 0, 0, 0, 0 },
        { "slw 63", xl(24, 0), 1, 63, 0, 0, 0, 0 },
        { "slw amount 64 wraps to 0", xl(24, 0), 0xffffffff00000001ULL, 64, 0, 1, 0, 0 },
        { "srw", xl(536, 0), 0x80000000, 31, 0, 1, 0, 0 },
        { "srw 32", xl(536, 1), 0x80000000, 32, 0, 0, 0, CR0_EQ },
        { "srw low 6 bits", xl(536, 0), 0xffffffff00000080ULL, 0x47, 0, 1, 0, 0 },
        { "sld", xl(27, 1), 1, 63, 0, I64MIN, 0, CR0_LT },
        { "sld 64", xl(27, 0), 1, 64, 0, 0, 0, 0 },
        { "sld amount 128 wraps to 0", xl(27, 0), 5, 128, 0, 5, 0, 0 },
        { "srd", xl(539, 0), I64MIN, 63, 0, 1, 0, 0 },
        { "srd 64", xl(539, 0), I64MIN, 64, 0, 0, 0, 0 },
        { "srd 127", xl(539, 0), ALL1, 127, 0, 0, 0, 0 },
        { "sraw 40", xl(792, 1), 0x80000001, 40, 0, ALL1, CA | CA32, CR0_LT },
        { "sraw 1", xl(792, 0), 0x80000001, 1, 0, 0xffffffffc0000000ULL, CA | CA32, 0 },
        { "sraw positive", xl(792, 0), 0x7ffffff1, 4, CA | CA32, 0x07ffffff, 0, 0 },
        { "sraw 0", xl(792, 0), 0x80000000, 0, CA, 0xffffffff80000000ULL, 0, 0 },
        { "sraw no 1 bits out", xl(792, 0), 0xfffffff0, 4, 0, ALL1, 0, 0 },
        { "sraw 32 positive", xl(792, 0), 0x7fffffff, 32, 0, 0, 0, 0 },
        { "srawi", srawi(1, 1), 0x80000001, 0, 0, 0xffffffffc0000000ULL, CA | CA32, CR0_LT },
        { "srawi 31", srawi(31, 0), 0x80000000, 0, 0, ALL1, 0, 0 },
        { "srad", xl(794, 1), -3, 1, 0, -2, CA | CA32, CR0_LT },
        { "srad 65", xl(794, 0), I64MIN | 1, 0x41, 0, ALL1, CA | CA32, 0 },
        { "srad amount 128 wraps to 0", xl(794, 0), I64MIN | 1, 0x80, CA, I64MIN | 1, 0, 0 },
        { "sradi 63", xs(413, 63, 0), I64MIN, 0, 0, ALL1, 0, 0 },
        { "sradi 32", xs(413, 32, 1), 0xffffffff00000001ULL, 0, 0, ALL1, CA | CA32, CR0_LT },
        { "sradi 4 positive", xs(413, 4, 0), 0x7ff, 0, 0, 0x7f, 0, 0 },
        { "extswsli 63", xs(445, 63, 0), 3, 0, 0, I64MIN, 0, 0 },
        { "extswsli.", xs(445, 4, 1), 0x80000000, 0, 0, 0xfffffff800000000ULL, 0, CR0_LT },
        { "extswsli 0", xs(445, 0, 0), 0x1ffffffffULL, 0, 0, ALL1, 0, 0 },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static void test_rotate(void)
{
    const Case cases[] = {
        { "rlwinm. wrapping mask", m(21, 8, 28, 3, 1), 0x12345678, 0, 0, 0x3456781230000002ULL, 0,
          CR0_GT },
        { "rlwinm slwi", m(21, 4, 0, 27, 0), 0xffffffff12345678ULL, 0, 0, 0x23456780, 0, 0 },
        { "rlwinm clrlwi", m(21, 0, 16, 31, 0), 0xffffffff12345678ULL, 0, 0, 0x5678, 0, 0 },
        { "rlwinm. 32-bit mode", m(21, 0, 0, 0, 1), 0x80000000, 0, 0, 0x80000000, 0, CR0_LT, true },
        { "rlwnm", m(23, 5, 0, 31, 0), 0x8000000012345678ULL, 36, 0, 0x23456781, 0, 0 },
        { "rlwimi", m(20, 8, 16, 23, 0), 0xab, 0, 0, 0x5a5a5a5a5a5aab5aULL, 0, 0 },
        { "rldicl extract", md(0, 8, 56, 0), 0x1234567890abcdefULL, 0, 0, 0x12, 0, 0 },
        { "rldicl clrldi", md(0, 0, 32, 1), 0x1234567890abcdefULL, 0, 0, 0x90abcdef, 0, CR0_GT },
        { "rldicl rotldi", md(0, 36, 0, 0), 0x1234567890abcdefULL, 0, 0, 0x0abcdef123456789ULL, 0,
          0 },
        { "rldicr sldi", md(1, 4, 59, 0), 0x1234567890abcdefULL, 0, 0, 0x234567890abcdef0ULL, 0,
          0 },
        { "rldicr.", md(1, 0, 0, 1), I64MIN | 1, 0, 0, I64MIN, 0, CR0_LT },
        { "rldic", md(2, 8, 4, 0), ALL1, 0, 0, 0x0fffffffffffff00ULL, 0, 0 },
        { "rldimi", md(3, 8, 4, 0), 0xffff, 0, 0, 0x5000000000ffff5aULL, 0, 0 },
        { "rldimi insrdi", md(3, 32, 0, 0), 0x11111111, 0, 0, 0x111111115a5a5a5aULL, 0, 0 },
        { "rldcl", mds(8, 0, 0), 0x1234567890abcdefULL, 68, 0, 0x234567890abcdef1ULL, 0, 0 },
        { "rldcl mask", mds(8, 60, 1), 0x1234567890abcdefULL, 4, 0, 1, 0, CR0_GT },
        { "rldcr", mds(9, 7, 0), 0x1234567890abcdefULL, 4, 0, 0x2300000000000000ULL, 0, 0 },
        /* Little-endian code: the instructions decode the same. */
        { "rlwinm LE", m(21, 4, 0, 27, 0), 0x12345678, 0, 0, 0x23456780, 0, 0, false, true },
        { "sraw LE", xl(792, 0), 0x80000001, 1, 0, 0xffffffffc0000000ULL, CA | CA32, 0, false,
          true },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static uint64_t run_darn(PowerPCCPU *cpu, unsigned l)
{
    const uint32_t insn = 31u << 26 | 3u << 21 | l << 16 | 755u << 1;

    harness_run(cpu, &insn, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    return cpu->env.gpr[3];
}

/* darn: random numbers; all ones means "none", and L=3 is reserved (QEMU: all ones). */
static void test_darn(void)
{
    PowerPCCPU *cpu = harness_cpu();
    uint64_t a = run_darn(cpu, 0), b = run_darn(cpu, 0);

    g_assert_cmphex(a >> 32, ==, 0);
    g_assert_cmphex(b >> 32, ==, 0);
    g_assert_cmphex(a, !=, 0xffffffff);
    g_assert_cmphex(a, !=, b);
    a = run_darn(cpu, 1);
    b = run_darn(cpu, 1);
    g_assert_cmphex(a, !=, ALL1);
    g_assert_cmphex(a, !=, b);
    g_assert_cmphex(a >> 32 | b >> 32, !=, 0);
    g_assert_cmphex(run_darn(cpu, 2), !=, ALL1);
    g_assert_cmphex(run_darn(cpu, 3), ==, ALL1);
    ppc_cpu_free(cpu);
}

/* Reserved fields that QEMU checks make the form illegal. */
static void test_invalid_forms(void)
{
    PowerPCCPU *cpu = harness_cpu();
    const uint32_t bad[] = {
        xl1(122, 1),                                 /* popcntb. */
        xl(122, 0),                                  /* popcntb with RB */
        xl1(154, 1),                                 /* prtyw. */
        xl(508, 1),                                  /* cmpb. */
        xl(252, 1),                                  /* bpermd. */
        31u << 26 | 3u << 21 | 1u << 18 | 755u << 1, /* darn with bit 13 */
    };

    guest_stl_be(VEC_PROGRAM, HARNESS_SC1);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        cpu->env.spr[SRR1_N] = 0;
        harness_run(cpu, &bad[i], 1);
        g_assert_cmphex(cpu->env.nip, ==, VEC_PROGRAM + 4);
        g_assert_true(cpu->env.spr[SRR1_N] & PPC_BIT(44));
    }
    ppc_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-logic/logical", test_logical);
    g_test_add_func("/ppc-logic/extend-count", test_extend_count);
    g_test_add_func("/ppc-logic/shift", test_shift);
    g_test_add_func("/ppc-logic/rotate", test_rotate);
    g_test_add_func("/ppc-logic/darn", test_darn);
    g_test_add_func("/ppc-logic/invalid-forms", test_invalid_forms);
    return g_test_run();
}

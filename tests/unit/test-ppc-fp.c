/*
 * Unit tests of the floating-point instructions (target/ppc/insn-fp.c,
 * insn-fp-arith.c): results, FPSCR and CR1, availability, invalid forms,
 * loads and stores, and the FP-enabled program interrupt.  Expected values
 * are worked out from Power ISA 3.0B.
 */
#include "cpu-harness.h"
#include "ppc-values.h"

#define SRR0_N 26
#define SRR1_N 27
#define FPSCR_BIT(n) PPC_BIT(n)
#define FX FPSCR_BIT(32)
#define FEX FPSCR_BIT(33)
#define VX FPSCR_BIT(34)
#define OX FPSCR_BIT(35)
#define UX FPSCR_BIT(36)
#define ZX FPSCR_BIT(37)
#define XX FPSCR_BIT(38)
#define VXSNAN FPSCR_BIT(39)
#define VXISI FPSCR_BIT(40)
#define VXIDI FPSCR_BIT(41)
#define VXZDZ FPSCR_BIT(42)
#define VXIMZ FPSCR_BIT(43)
#define FR FPSCR_BIT(45)
#define FI FPSCR_BIT(46)
#define FPRF(c) ((uint64_t)(c) << 12)
#define VXSQRT FPSCR_BIT(54)
#define VXCVI FPSCR_BIT(55)
#define VE FPSCR_BIT(56)
#define ZE FPSCR_BIT(59)

#define ONE 0x3ff0000000000000ULL
#define TWO 0x4000000000000000ULL
#define THREE 0x4008000000000000ULL
#define INF 0x7ff0000000000000ULL
#define DNAN 0x7ff8000000000000ULL
#define MARK 0x5555555555555555ULL

/* A-form (opcode po, XO xo): FRT=1, FRA=2, FRB=3, FRC=4; fields not used must be 0. */
static uint32_t afrm(unsigned po, unsigned xo, bool a, bool b, bool c, unsigned rc)
{
    return po << 26 | 1u << 21 | (a ? 2u : 0) << 16 | (b ? 3u : 0) << 11 | (c ? 4u : 0) << 6 |
           xo << 1 | rc;
}

/* X-form of opcode 63: FRT=1, FRA=2 (when a), FRB=3. */
static uint32_t xfrm(unsigned xo, bool a, unsigned rc)
{
    return 63u << 26 | 1u << 21 | (a ? 2u : 0) << 16 | 3u << 11 | xo << 1 | rc;
}

typedef struct Case {
    const char *name;
    uint32_t insn;
    uint64_t a, b, c; /* FR2, FR3, FR4 */
    uint64_t fpscr_in;
    uint64_t frt;   /* FR1 after (MARK: untouched) */
    uint64_t fpscr; /* FPSCR after */
    uint32_t cr;    /* CR after (it starts at 0) */
} Case;

static PowerPCCPU *cpu;

static void run_cases(const Case *cases, size_t n)
{
    CPUPPCState *env;

    cpu = harness_fresh(cpu);
    env = &cpu->env;
    for (size_t i = 0; i < n; i++) {
        const Case *c = &cases[i];

        env->msr = MSR_SF | MSR_ME | MSR_FP;
        *ppc_fpr(env, 1) = MARK;
        *ppc_fpr(env, 2) = c->a;
        *ppc_fpr(env, 3) = c->b;
        *ppc_fpr(env, 4) = c->c;
        env->fpscr = c->fpscr_in;
        ppc_set_cr(env, 0);
        harness_run(cpu, &c->insn, 1);
        if (*ppc_fpr(env, 1) != c->frt || env->fpscr != c->fpscr || ppc_get_cr(env) != c->cr) {
            g_test_message("%s: frt 0x%" PRIx64 " fpscr 0x%" PRIx64 " cr 0x%08x", c->name,
                           *ppc_fpr(env, 1), env->fpscr, ppc_get_cr(env));
        }
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 8);
        g_assert_cmphex(*ppc_fpr(env, 1), ==, c->frt);
        g_assert_cmphex(env->fpscr, ==, c->fpscr);
        g_assert_cmphex(ppc_get_cr(env), ==, c->cr);
    }
}

static void test_arith(void)
{
    const Case cases[] = {
        { "fadd", afrm(63, 21, 1, 1, 0, 0), ONE, TWO, 0, 0, THREE, FPRF(0x04), 0 },
        { "fadd inexact rounds up: FR FI XX FX", afrm(63, 21, 1, 1, 0, 0), ONE,
          0x3ca8000000000000ULL, 0, 0, 0x3ff0000000000001ULL, FX | XX | FR | FI | FPRF(0x04), 0 },
        { "fadd XX already set: no FX", afrm(63, 21, 1, 1, 0, 0), ONE, 0x3c90000000000000ULL, 0, XX,
          ONE, XX | FI | FPRF(0x04), 0 },
        { "fsub. inf-inf", afrm(63, 20, 1, 1, 0, 1), INF, INF, 0, 0, DNAN,
          FX | VX | VXISI | FPRF(0x11), 0x0a000000 },
        { "fdiv 0/0", afrm(63, 18, 1, 1, 0, 0), 0, 0, 0, 0, DNAN, FX | VX | VXZDZ | FPRF(0x11), 0 },
        { "fdiv inf/inf", afrm(63, 18, 1, 1, 0, 0), INF, INF, 0, 0, DNAN,
          FX | VX | VXIDI | FPRF(0x11), 0 },
        { "fdiv 1/-0", afrm(63, 18, 1, 1, 0, 0), ONE, PPC_BIT(0), 0, 0, INF | PPC_BIT(0),
          FX | ZX | FPRF(0x09), 0 },
        { "fdiv ZE=1: target kept", afrm(63, 18, 1, 1, 0, 0), ONE, 0, 0, ZE, MARK,
          FX | FEX | ZX | ZE, 0 },
        { "fmul inf*0", afrm(63, 25, 1, 0, 1, 0), INF, 0, 0, 0, DNAN, FX | VX | VXIMZ | FPRF(0x11),
          0 },
        { "fmul VE=1: target kept", afrm(63, 25, 1, 0, 1, 0), INF, 0, 0, VE, MARK,
          FX | FEX | VX | VXIMZ | VE, 0 },
        { "fsqrt -1", afrm(63, 22, 0, 1, 0, 0), 0, 0xbff0000000000000ULL, 0, 0, DNAN,
          FX | VX | VXSQRT | FPRF(0x11), 0 },
        { "fmadd 2*3+1", afrm(63, 29, 1, 1, 1, 0), TWO, ONE, THREE, 0, 0x401c000000000000ULL,
          FPRF(0x04), 0 },
        { "fnmsub -(2*3-1)", afrm(63, 30, 1, 1, 1, 0), TWO, ONE, THREE, 0, 0xc014000000000000ULL,
          FPRF(0x08), 0 },
        { "fmsubs rounds once to single", afrm(59, 28, 1, 1, 1, 0), 0x3ff0000010000000ULL, ONE,
          0x3ff0000010000000ULL, 0, 0x3e80000000000000ULL, FX | XX | FI | FPRF(0x04), 0 },
        { "fadd sNaN", afrm(63, 21, 1, 1, 0, 0), 0x7ff0000000000001ULL, ONE, 0, 0,
          0x7ff8000000000001ULL, FX | VX | VXSNAN | FPRF(0x11), 0 },
        { "fmul tiny before rounding: UX", afrm(63, 25, 1, 0, 1, 0), 0x3ff0000000000001ULL, 0,
          0x000fffffffffffffULL, 0, 0x0010000000000000ULL, FX | UX | XX | FR | FI | FPRF(0x04), 0 },
        { "frsp overflow", xfrm(12, false, 0), 0, 0x47f0000000000000ULL, 0, 0, INF,
          FX | OX | XX | FI | FPRF(0x05), 0 },
        { "fres of a denormal single", afrm(59, 24, 0, 1, 0, 0), 0, 0x47d0000000000000ULL, 0, 0,
          0x3810000000000000ULL, FPRF(0x04), 0 },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static void test_convert_round(void)
{
    const Case cases[] = {
        { "fctiw -1.5 nearest", xfrm(14, false, 0), 0, 0xbff8000000000000ULL, 0, 0,
          0xfffffffffffffffeULL, FX | XX | FR | FI, 0 },
        { "fctiwz NaN", xfrm(15, false, 0), 0, DNAN, 0, 0, 0x80000000ULL,
          FX | VX | VXCVI | FPRF(0x11), 0 },
        { "fctidu -1", xfrm(942, false, 0), 0, 0xbff0000000000000ULL, 0, 0, 0,
          FX | VX | VXCVI | FPRF(0x11), 0 },
        { "fctid RN=3 (down)", xfrm(814, false, 0), 0, 0x3ff8000000000000ULL, 0, 3, 1,
          FX | XX | FI | 3, 0 },
        { "fcfidu 2^64-1", xfrm(974, false, 0), 0, UINT64_MAX, 0, 0, 0x43f0000000000000ULL,
          FX | XX | FR | FI | FPRF(0x04), 0 },
        { "frin -2.5", xfrm(392, false, 0), 0, 0xc004000000000000ULL, 0, 0, 0xc008000000000000ULL,
          FPRF(0x08), 0 },
        { "frip 0.1", xfrm(456, false, 0), 0, 0x3fb999999999999aULL, 0, 0, ONE, FPRF(0x04), 0 },
        { "fcmpu 2,1 < 2", 63u << 26 | 2u << 23 | 2u << 16 | 3u << 11, ONE, TWO, 0, 0, MARK,
          FPRF(0x08), 0x00800000 },
        { "fsel NaN: FRB", afrm(63, 23, 1, 1, 1, 0), DNAN, ONE, TWO, 0, ONE, 0, 0 },
        { "fneg.", xfrm(40, false, 1), 0, ONE, 0, FX | OX, 0xbff0000000000000ULL, FX | OX,
          0x09000000 },
        { "mffs", xfrm(583, false, 0) & ~(3u << 11), 0, 0, 0, FX | XX | 2, FX | XX | 2, FX | XX | 2,
          0 },
        { "mtfsf L=1", 63u << 26 | 1u << 25 | 3u << 11 | 711u << 1, 0, ~0ULL, 0, 0, MARK,
          0x7fffff7ffULL, 0 },
        { "mtfsb1 UX: FX", 63u << 26 | 4u << 21 | 38u << 1, 0, 0, 0, 0, MARK, FX | UX, 0 },
    };

    run_cases(cases, G_N_ELEMENTS(cases));
}

static void test_loads_stores(void)
{
    CPUPPCState *env;
    uint32_t w;
    uint64_t d;
    const uint32_t prog[] = {
        0xc0240000, /* lfs 1,0(4): binary32 2^-149, a binary64 normal */
        0xc8440008, /* lfd 2,8(4) */
        0xd0440010, /* stfs 2,16(4): back to the binary32 denormal */
        0xdc240018, /* stfdu 1,24(4) */
        31u << 26 | 3u << 21 | 5u << 11 | 855u << 1, /* lfiwax 3,0,5 */
    };

    cpu = harness_fresh(cpu);
    env = &cpu->env;
    env->msr |= MSR_FP;
    guest_stl_be(HARNESS_DATA, 0x00000001);
    guest_stq_be(HARNESS_DATA + 8, 0x36a0000000000000ULL);
    guest_stl_be(HARNESS_DATA + 0x40, 0xfffffffe);
    env->gpr[4] = HARNESS_DATA;
    env->gpr[5] = HARNESS_DATA + 0x40;
    harness_run(cpu, prog, G_N_ELEMENTS(prog));
    g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * G_N_ELEMENTS(prog) + 4);
    g_assert_cmphex(*ppc_fpr(env, 1), ==, 0x36a0000000000000ULL);
    g_assert_cmphex(*ppc_fpr(env, 2), ==, 0x36a0000000000000ULL);
    g_assert_true(guest_ldl_be(HARNESS_DATA + 16, &w));
    g_assert_cmphex(w, ==, 1);
    g_assert_true(guest_ldq_be(HARNESS_DATA + 24, &d));
    g_assert_cmphex(d, ==, 0x36a0000000000000ULL);
    g_assert_cmphex(env->gpr[4], ==, HARNESS_DATA + 24);
    g_assert_cmphex(*ppc_fpr(env, 3), ==, 0xfffffffffffffffeULL);
}

/* MSR[FP]=0: 0x800 at the instruction; invalid forms are illegal either way. */
static void test_availability(void)
{
    CPUPPCState *env;
    const uint32_t fadd = afrm(63, 21, 1, 1, 0, 0);
    const uint32_t fadd_bad = fadd | 4u << 6;       /* FRC set */
    const uint32_t lfdu_ra0 = 51u << 26 | 1u << 21; /* update form with RA=0 */
    const uint32_t lfdp_odd = 57u << 26 | 1u << 21 | 4u << 16;

    cpu = harness_fresh(cpu);
    env = &cpu->env;
    harness_run(cpu, &fadd, 1);
    g_assert_cmphex(env->nip, ==, 0x800 + 4);
    g_assert_cmphex(env->spr[SRR0_N], ==, HARNESS_CODE);
    g_assert_cmphex(*ppc_fpr(env, 1), ==, 0);
    const uint32_t bad[] = { fadd_bad, lfdu_ra0, lfdp_odd };
    for (int fp = 0; fp < 2; fp++) {
        for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
            env->msr = MSR_SF | MSR_ME | (fp ? MSR_FP : 0);
            harness_run(cpu, &bad[i], 1);
            g_assert_cmphex(env->nip, ==, 0x700 + 4);
            g_assert_cmphex(env->spr[SRR1_N] & PPC_BIT(44), ==, PPC_BIT(44));
        }
    }
}

/* Enabled invalid operation with MSR[FE0|FE1]: program interrupt, SRR1 bit 43, target kept. */
static void test_enabled_interrupt(void)
{
    CPUPPCState *env;
    const uint32_t fsub_rc = afrm(63, 20, 1, 1, 0, 1);

    cpu = harness_fresh(cpu);
    env = &cpu->env;
    env->msr |= MSR_FP | MSR_FE0 | MSR_FE1;
    env->fpscr = VE;
    *ppc_fpr(env, 1) = MARK;
    *ppc_fpr(env, 2) = INF;
    *ppc_fpr(env, 3) = INF;
    ppc_set_cr(env, 0);
    harness_run(cpu, &fsub_rc, 1);
    g_assert_cmphex(env->nip, ==, 0x700 + 4);
    g_assert_cmphex(env->spr[SRR0_N], ==, HARNESS_CODE);
    g_assert_cmphex(env->spr[SRR1_N] & (PPC_BIT(43) | PPC_BIT(44)), ==, PPC_BIT(43));
    g_assert_cmphex(*ppc_fpr(env, 1), ==, MARK);
    g_assert_cmphex(env->fpscr, ==, FX | FEX | VX | VXISI | VE);
    g_assert_cmphex(ppc_get_cr(env), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-fp/arith", test_arith);
    g_test_add_func("/ppc-fp/convert-round-compare-fpscr", test_convert_round);
    g_test_add_func("/ppc-fp/loads-stores", test_loads_stores);
    g_test_add_func("/ppc-fp/availability", test_availability);
    g_test_add_func("/ppc-fp/enabled-interrupt", test_enabled_interrupt);
    return g_test_run();
}

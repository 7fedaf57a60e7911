/*
 * Unit tests of the floating-point instructions (target/ppc/insn-fp.c,
 * insn-fp-arith.c): results, FPSCR and CR1, availability, invalid forms,
 * loads and stores, and the FP-enabled program interrupt.  Expected values
 * are worked out from Power ISA 3.0B.
 */
#include <fenv.h>

#include "cpu-harness.h"
#include "fpu/host-float.h"
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

/* ftdiv (xo 128) / ftsqrt (xo 160) BF=1, FRA=fra, FRB=3. */
#define FTEST(xo, fra) (63u << 26 | 1u << 23 | (fra) << 16 | 3u << 11 | (xo) << 1)

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
        /* Power ISA 3.0B 4.4.1: an enabled invalid operation of an arithmetic instruction
         * leaves the target and FPRF alone and clears FR and FI, also when the cause is an
         * sNaN operand (QEMU 7.2 keeps FI then). */
        { "fadd sNaN VE=1: FR FI cleared", afrm(63, 21, 1, 1, 0, 0), 0x7ff0000000000001ULL, ONE, 0,
          VE | FR | FI | FPRF(0x04), MARK, FX | FEX | VX | VXSNAN | VE | FPRF(0x04), 0 },
        { "frsp sNaN VE=1: FR FI cleared", xfrm(12, false, 0), 0, 0xfff0000000000010ULL, 0,
          VE | FI | FPRF(0x08), MARK, FX | FEX | VX | VXSNAN | VE | FPRF(0x08), 0 },
        { "fmul tiny before rounding: UX", afrm(63, 25, 1, 0, 1, 0), 0x3ff0000000000001ULL, 0,
          0x000fffffffffffffULL, 0, 0x0010000000000000ULL, FX | UX | XX | FR | FI | FPRF(0x04), 0 },
        { "frsp overflow", xfrm(12, false, 0), 0, 0x47f0000000000000ULL, 0, 0, INF,
          FX | OX | XX | FI | FPRF(0x05), 0 },
        { "fres of a denormal single", afrm(59, 24, 0, 1, 0, 0), 0, 0x47d0000000000000ULL, 0, 0,
          0x3810000000000000ULL, FPRF(0x04), 0 },
        /* ftdiv/ftsqrt BF=1: CR1 = 0b1 fg fe 0, the FPSCR untouched */
        { "ftdiv 1/3", FTEST(128, 2), ONE, THREE, 0, 0, MARK, 0, 0x08000000 },
        { "ftdiv 1/0: fe fg", FTEST(128, 2), ONE, 0, 0, 0, MARK, 0, 0x0e000000 },
        { "ftdiv 2^1000/2^-100: fe", FTEST(128, 2), 0x7e70000000000000ULL, 0x39b0000000000000ULL, 0,
          0, MARK, 0, 0x0a000000 },
        { "ftdiv 1/denormal: fe fg", FTEST(128, 2), ONE, 1, 0, 0, MARK, 0, 0x0e000000 },
        { "ftdiv NaN/1: fe", FTEST(128, 2), DNAN, ONE, 0, 0, MARK, 0, 0x0a000000 },
        { "ftsqrt 4", FTEST(160, 0), 0, 0x4010000000000000ULL, 0, 0, MARK, 0, 0x08000000 },
        { "ftsqrt -4: fe", FTEST(160, 0), 0, 0xc010000000000000ULL, 0, 0, MARK, 0, 0x0a000000 },
        { "ftsqrt 2^-1000: fe", FTEST(160, 0), 0, 0x0170000000000000ULL, 0, 0, MARK, 0,
          0x0a000000 },
        { "ftsqrt inf: fe fg", FTEST(160, 0), 0, INF, 0, 0, MARK, 0, 0x0e000000 },
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

/* D-form FP load/store: opcode po, FRT rt, displacement d from GPR ra. */
static uint32_t dfrm(unsigned po, unsigned rt, unsigned ra, unsigned d)
{
    return po << 26 | rt << 21 | ra << 16 | (d & 0xffff);
}

/*
 * The compiled (JIT) loads, stores and moves, in both byte orders: lfs of
 * every kind of binary32 value (its binary64 value, NaN payloads kept) and
 * stfs back (the same word), stfs of binary64 values (truncated to binary32,
 * as the host converts toward zero), lfd/stfd, the indexed and update forms,
 * fmr, fneg, fabs, fnabs, fcpsgn, and fcmpu (against the host's compares).
 */
static void test_jit_loads_stores(void)
{
    enum { N = 32 };
    static const uint32_t special[] = {
        0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff800000,
        0x7f800000, 0x7fc00000, 0x7f800001, 0xffbfffff, 0x3f800000, 0xc0490fdb, 0x00400000,
    };
    uint32_t prog[3 * N + 8];
    uint64_t state = 0x1234567887654321ULL;

    for (int le = 0; le < 2; le++) {
        for (int round = 0; round < 8; round++) {
            CPUPPCState *env;
            uint32_t words[N];
            uint64_t doubles[N];
            size_t n = 0;

            cpu = harness_fresh(cpu);
            env = &cpu->env;
            env->msr |= MSR_FP | (le ? MSR_LE : 0);
            for (int k = 0; k < N; k++) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                words[k] =
                    round == 0 && k < (int)G_N_ELEMENTS(special) ? special[k] : (uint32_t)state;
                /* binary64 values in binary32's normal range, most not binary32 numbers */
                doubles[k] = (state & 0x800fffffffffffffULL) |
                             (uint64_t)(1023 - 126 + (state >> 52) % 254) << 52;
                if (le) {
                    guest_stl_le(HARNESS_DATA + 4 * k, words[k]);
                    guest_stq_le(HARNESS_DATA + 0x1000 + 8 * k, doubles[k]);
                } else {
                    guest_stl_be(HARNESS_DATA + 4 * k, words[k]);
                    guest_stq_be(HARNESS_DATA + 0x1000 + 8 * k, doubles[k]);
                }
            }
            env->gpr[4] = HARNESS_DATA;
            env->gpr[5] = HARNESS_DATA + 0x200;
            env->gpr[6] = HARNESS_DATA + 0x400;
            env->gpr[7] = HARNESS_DATA + 0x1000;
            env->gpr[8] = HARNESS_DATA + 0x800;
            for (int k = 0; k < N; k++) {
                prog[n++] = dfrm(48, 1, 4, 4 * k); /* lfs 1,4k(4) */
                prog[n++] = dfrm(52, 1, 5, 4 * k); /* stfs 1,4k(5) */
                prog[n++] = dfrm(54, 1, 6, 8 * k); /* stfd 1,8k(6) */
            }
            harness_run(cpu, prog, n);
            g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * n + 4);
            for (int k = 0; k < N; k++) {
                uint32_t w = words[k], back;
                uint64_t d, want;

                g_assert_true(le ? guest_ldl_le(HARNESS_DATA + 0x200 + 4 * k, &back)
                                 : guest_ldl_be(HARNESS_DATA + 0x200 + 4 * k, &back));
                g_assert_cmphex(back, ==, w);
                g_assert_true(le ? guest_ldq_le(HARNESS_DATA + 0x400 + 8 * k, &d)
                                 : guest_ldq_be(HARNESS_DATA + 0x400 + 8 * k, &d));
                if ((w & 0x7fffffff) > 0x7f800000) {
                    /* a NaN: sign, payload (quiet bit included) in the top fraction bits */
                    want = (uint64_t)(w >> 31) << 63 | 0x7ff0000000000000ULL |
                           (uint64_t)(w & 0x7fffff) << 29;
                } else {
                    want = host_double_bits((double)host_float(w));
                }
                g_assert_cmphex(d, ==, want);
            }

            /* stfs of binary64 values: truncated toward zero; lfdux/stfsux/lfdx/stfdx */
            n = 0;
            for (int k = 0; k < N / 2; k++) {
                prog[n++] = 31u << 26 | 2u << 21 | 7u << 16 | 9u << 11 | 631u << 1;  /* lfdux */
                prog[n++] = 31u << 26 | 2u << 21 | 8u << 16 | 10u << 11 | 695u << 1; /* stfsux */
            }
            prog[n++] = 31u << 26 | 3u << 21 | 0u << 16 | 7u << 11 | 599u << 1;  /* lfdx 3,0,7 */
            prog[n++] = 31u << 26 | 3u << 21 | 4u << 16 | 10u << 11 | 727u << 1; /* stfdx */
            env->gpr[7] = HARNESS_DATA + 0x1000 - 8;
            env->gpr[9] = 8;
            env->gpr[8] = HARNESS_DATA + 0x800 - 4;
            env->gpr[10] = 4;
            harness_run(cpu, prog, n);
            g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * n + 4);
            g_assert_cmphex(env->gpr[7], ==, HARNESS_DATA + 0x1000 + 8 * (N / 2 - 1));
            g_assert_cmphex(env->gpr[8], ==, HARNESS_DATA + 0x800 + 4 * (N / 2 - 1));
            g_assert_cmphex(*ppc_fpr(env, 3), ==, doubles[N / 2 - 1]);
            g_assert_cmphex(VsrD(&env->vsr[3], 1), ==, 0);
            for (int k = 0; k < N / 2; k++) {
                uint32_t w;
                double v;

                volatile double vv;
                volatile float vf;

                memcpy(&v, &doubles[k], 8);
                vv = v;
                fesetround(FE_TOWARDZERO);
                vf = (float)vv;
                fesetround(FE_TONEAREST);
                uint32_t want = host_float_bits(vf);
                g_assert_true(le ? guest_ldl_le(HARNESS_DATA + 0x800 + 4 * k, &w)
                                 : guest_ldl_be(HARNESS_DATA + 0x800 + 4 * k, &w));
                g_assert_cmphex(w, ==, want);
            }
            {
                uint64_t d;

                g_assert_true(le ? guest_ldq_le(HARNESS_DATA + 4, &d)
                                 : guest_ldq_be(HARNESS_DATA + 4, &d));
                g_assert_cmphex(d, ==, doubles[N / 2 - 1]);
            }

            /* moves: FR20 = x, FR21 = y; FR1.. = fmr, fneg, fabs, fnabs, fcpsgn(y, x) */
            n = 0;
            prog[n++] = 63u << 26 | 1u << 21 | 20u << 11 | 72u << 1;
            prog[n++] = 63u << 26 | 2u << 21 | 20u << 11 | 40u << 1;
            prog[n++] = 63u << 26 | 3u << 21 | 20u << 11 | 264u << 1;
            prog[n++] = 63u << 26 | 4u << 21 | 20u << 11 | 136u << 1;
            prog[n++] = 63u << 26 | 5u << 21 | 21u << 16 | 20u << 11 | 8u << 1;
            prog[n++] = 63u << 26 | 3u << 23 | 20u << 16 | 21u << 11; /* fcmpu 3,20,21 */
            for (int k = 0; k < N; k++) {
                uint64_t x = doubles[k] ^ ((uint64_t)k << 63), y = doubles[(k + 1) % N];
                const uint64_t sign = 1ULL << 63;

                double dx, dy;
                unsigned want_c;

                if (k % 4 == 3) {
                    y = x; /* equal */
                } else if (k % 8 == 5) {
                    y = (k & 8) ? 0x7ff8000000000001ULL : 0x8000000000000000ULL; /* NaN, -0 */
                    x = (k & 16) ? 0 : 0x000fffffffffffffULL;                    /* +0, denormal */
                }
                *ppc_fpr(env, 20) = x;
                *ppc_fpr(env, 21) = y ^ ((uint64_t)(k & 2) << 62);
                env->fpscr = 0;
                memcpy(&dx, ppc_fpr(env, 20), 8);
                memcpy(&dy, ppc_fpr(env, 21), 8);
                want_c = dx < dy ? 8 : dx > dy ? 4 : dx == dy ? 2 : 1;
                for (int r = 1; r <= 5; r++) {
                    VsrD(&env->vsr[r], 1) = MARK;
                }
                harness_run(cpu, prog, n);
                g_assert_cmphex(*ppc_fpr(env, 1), ==, x);
                g_assert_cmphex(*ppc_fpr(env, 2), ==, x ^ sign);
                g_assert_cmphex(*ppc_fpr(env, 3), ==, x & ~sign);
                g_assert_cmphex(*ppc_fpr(env, 4), ==, x | sign);
                g_assert_cmphex(*ppc_fpr(env, 5), ==, (x & ~sign) | (*ppc_fpr(env, 21) & sign));
                for (int r = 1; r <= 5; r++) {
                    g_assert_cmphex(VsrD(&env->vsr[r], 1), ==, 0);
                }
                g_assert_cmphex(env->crf[3], ==, want_c);
                g_assert_cmphex(env->fpscr, ==, FPRF(want_c));
            }
        }
    }
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

    /* fdivs of an sNaN with FI set before: the interrupt is taken with FR and FI clear */
    const uint32_t fdivs = afrm(59, 18, 1, 1, 0, 0);
    env->msr = MSR_SF | MSR_ME | MSR_FP | MSR_FE0 | MSR_FE1;
    env->fpscr = VE | FR | FI;
    *ppc_fpr(env, 2) = 0x7ff4000000000000ULL;
    *ppc_fpr(env, 3) = ONE;
    harness_run(cpu, &fdivs, 1);
    g_assert_cmphex(env->nip, ==, 0x700 + 4);
    g_assert_cmphex(env->spr[SRR1_N] & (PPC_BIT(43) | PPC_BIT(44)), ==, PPC_BIT(43));
    g_assert_cmphex(*ppc_fpr(env, 1), ==, MARK);
    g_assert_cmphex(env->fpscr, ==, FX | FEX | VX | VXSNAN | VE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-fp/arith", test_arith);
    g_test_add_func("/ppc-fp/convert-round-compare-fpscr", test_convert_round);
    g_test_add_func("/ppc-fp/loads-stores", test_loads_stores);
    g_test_add_func("/ppc-fp/jit-loads-stores-moves", test_jit_loads_stores);
    g_test_add_func("/ppc-fp/availability", test_availability);
    g_test_add_func("/ppc-fp/enabled-interrupt", test_enabled_interrupt);
    return g_test_run();
}

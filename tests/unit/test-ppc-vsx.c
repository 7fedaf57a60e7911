/*
 * Unit tests of the VSX instructions (target/ppc/insn-vsx-*.c): oracle cases
 * (QEMU 7.2's results, test-ppc-vsx-data.c) in both byte orders, facility
 * availability by register number, and invalid forms.
 */
#include "cpu-harness.h"
#include "target/ppc/internal.h"

typedef struct VsxVal {
    uint8_t reg; /* 255: unused slot */
    uint64_t hi, lo;
} VsxVal;

typedef struct VsxCase {
    const char *name;
    bool le;
    unsigned n_insns;
    uint32_t insns[2];
    VsxVal in_vsr[4];
    uint64_t in_gpr[8]; /* r3..r10; r3 is an offset into the data area */
    const char *in_mem; /* 64 bytes at HARNESS_DATA, hex */
    uint64_t in_fpscr;
    VsxVal out_vsr[2]; /* the VSRs that changed */
    uint64_t out_gpr[8];
    const char *out_mem;
    uint32_t out_cr;
    uint64_t out_fpscr;
    uint64_t fpscr_mask; /* the FPSCR bits compared (design-notes: FX, FR) */
} VsxCase;

#include "test-ppc-vsx-data.c"
#include "test-ppc-vsx-fp-data.c"
#include "test-ppc-vsx-half-data.c"

#define DATA HARNESS_DATA
#define MSR_ALL_FACILITIES (MSR_FP | MSR_VEC | MSR_VSX)

static PowerPCCPU *cpu;

static void hex_to_bytes(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;

        g_assert_true(sscanf(hex + 2 * i, "%2x", &v) == 1);
        out[i] = v;
    }
}

static uint32_t read_cr(const CPUPPCState *env)
{
    uint32_t cr = 0;

    for (int i = 0; i < 8; i++) {
        cr = (cr << 4) | env->crf[i];
    }
    return cr;
}

static void set_vsr(CPUPPCState *env, unsigned n, uint64_t hi, uint64_t lo)
{
    VsrD(&env->vsr[n], 0) = hi;
    VsrD(&env->vsr[n], 1) = lo;
}

static void run_case(const VsxCase *c)
{
    CPUPPCState *env;
    uint8_t mem[64], want_mem[64];
    uint64_t want[64][2] = { { 0 } };

    cpu = harness_fresh(cpu);
    env = &cpu->env;
    env->msr |= MSR_ALL_FACILITIES | (c->le ? MSR_LE : 0);
    for (int i = 0; i < 4; i++) {
        if (c->in_vsr[i].reg != 255) {
            want[c->in_vsr[i].reg][0] = c->in_vsr[i].hi;
            want[c->in_vsr[i].reg][1] = c->in_vsr[i].lo;
        }
    }
    for (int i = 0; i < 64; i++) {
        set_vsr(env, i, want[i][0], want[i][1]);
    }
    for (int i = 0; i < 8; i++) {
        env->gpr[3 + i] = c->in_gpr[i];
    }
    env->gpr[3] += DATA;
    hex_to_bytes(c->in_mem, mem, 64);
    g_assert_true(guest_write(DATA, mem, 64));
    env->fpscr = c->in_fpscr;

    harness_run(cpu, c->insns, c->n_insns);

    g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * c->n_insns + 4);
    for (int i = 0; i < 2; i++) {
        if (c->out_vsr[i].reg != 255) {
            want[c->out_vsr[i].reg][0] = c->out_vsr[i].hi;
            want[c->out_vsr[i].reg][1] = c->out_vsr[i].lo;
        }
    }
    for (int i = 0; i < 64; i++) {
        if (VsrD(&env->vsr[i], 0) != want[i][0] || VsrD(&env->vsr[i], 1) != want[i][1]) {
            g_test_message("VSR %d: %016" PRIx64 " %016" PRIx64 ", want %016" PRIx64 " %016" PRIx64,
                           i, VsrD(&env->vsr[i], 0), VsrD(&env->vsr[i], 1), want[i][0], want[i][1]);
            g_test_fail();
        }
    }
    env->gpr[3] -= DATA;
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(env->gpr[3 + i], ==, c->out_gpr[i]);
    }
    g_assert_true(guest_read(DATA, mem, 64));
    hex_to_bytes(c->out_mem, want_mem, 64);
    g_assert_cmpmem(mem, 64, want_mem, 64);
    g_assert_cmphex(read_cr(env), ==, c->out_cr);
    g_assert_cmphex(env->fpscr & c->fpscr_mask, ==, c->out_fpscr & c->fpscr_mask);
}

static void test_oracle_case(gconstpointer data)
{
    run_case(data);
}

/* ---- Availability -------------------------------------------------------- */

#define X31(xo, t, a, b)                                                                           \
    ((31u << 26) | (((t)&31) << 21) | ((a) << 16) | ((b) << 11) | ((xo) << 1) | ((t) >> 5))
#define XX3(xo, t, a, b)                                                                           \
    ((60u << 26) | (((t)&31) << 21) | (((a)&31) << 16) | (((b)&31) << 11) | ((xo) << 3) |          \
     (((a) >> 5) << 2) | (((b) >> 5) << 1) | ((t) >> 5))
#define LXVX(t, a, b) X31(268u, t, a, b)
#define LXVD2X(t, a, b) X31(844u, t, a, b)
#define MTVSRD(t, a) X31(179u, t, a, 0)
#define MFVSRLD(t, a) X31(307u, t, a, 0)
#define XXLOR(t, a, b) XX3(146u, t, a, b)
#define LXSD(vrt, ra, ds) ((57u << 26) | ((vrt) << 21) | ((ra) << 16) | ((ds)&0xfffc) | 2)

/*
 * With msr's facilities, insn either completes or raises vector (SRR0 =
 * the instruction).  vector 0: completes.
 */
static void check_availability(uint32_t insn, uint64_t msr, unsigned vector)
{
    cpu = harness_fresh(cpu);
    cpu->env.msr |= msr;
    guest_stl_be(PPC_VEC_VMX_UNAVAIL, HARNESS_SC1);
    guest_stl_be(PPC_VEC_VSX_UNAVAIL, HARNESS_SC1);
    cpu->env.gpr[3] = DATA;
    harness_run(cpu, &insn, 1);
    if (!vector) {
        g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    } else {
        g_assert_cmphex(cpu->env.nip, ==, vector + 4);
        g_assert_cmphex(cpu->env.spr[SPR_SRR0], ==, HARNESS_CODE);
    }
}

static void test_availability(void)
{
    /* The ISA 2.06 forms need MSR[VSX] for every VSR. */
    check_availability(LXVD2X(1, 3, 0), MSR_FP | MSR_VEC, PPC_VEC_VSX_UNAVAIL);
    check_availability(LXVD2X(33, 3, 0), MSR_FP | MSR_VEC, PPC_VEC_VSX_UNAVAIL);
    check_availability(LXVD2X(33, 3, 0), MSR_VSX, 0);
    check_availability(XXLOR(40, 41, 42), MSR_FP | MSR_VEC, PPC_VEC_VSX_UNAVAIL);
    check_availability(XXLOR(40, 41, 42), MSR_VSX, 0);
    /* lxvx, mfvsrld: MSR[VSX] for VSRs 0-31, MSR[VEC] for 32-63 */
    check_availability(LXVX(1, 3, 0), MSR_VEC, PPC_VEC_VSX_UNAVAIL);
    check_availability(LXVX(1, 3, 0), MSR_VSX, 0);
    check_availability(LXVX(33, 3, 0), MSR_VSX, PPC_VEC_VMX_UNAVAIL);
    check_availability(LXVX(33, 3, 0), MSR_VEC, 0);
    check_availability(MFVSRLD(2, 5), MSR_FP | MSR_VEC, PPC_VEC_VSX_UNAVAIL);
    check_availability(MFVSRLD(34, 5), MSR_VSX | MSR_FP, PPC_VEC_VMX_UNAVAIL);
    /* mtvsrd: MSR[FP] for the FPRs, MSR[VEC] for the VRs, never MSR[VSX] */
    check_availability(MTVSRD(1, 5), MSR_VSX | MSR_VEC, PPC_VEC_FP_UNAVAIL);
    check_availability(MTVSRD(1, 5), MSR_FP, 0);
    check_availability(MTVSRD(33, 5), MSR_VSX | MSR_FP, PPC_VEC_VMX_UNAVAIL);
    check_availability(MTVSRD(33, 5), MSR_VEC, 0);
    /* lxsd: a VR, MSR[VEC] only */
    check_availability(LXSD(1, 3, 0), MSR_VSX | MSR_FP, PPC_VEC_VMX_UNAVAIL);
    check_availability(LXSD(1, 3, 0), MSR_VEC, 0);
}

/* An invalid form is illegal whatever the MSR says. */
static void check_illegal(uint32_t insn, uint64_t msr)
{
    cpu = harness_fresh(cpu);
    cpu->env.msr |= msr;
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(cpu->env.nip, ==, PPC_VEC_PROGRAM + 4);
    g_assert_true(cpu->env.spr[SPR_SRR1] & SRR1_PROGRAM_ILLEGAL);
}

static void test_invalid_forms(void)
{
    /* mtvsrd with bits 16-20 set */
    check_illegal(X31(179u, 1, 5, 1), MSR_ALL_FACILITIES);
    check_illegal(X31(179u, 1, 5, 1), 0);
    /* xxspltib with bits 11-12 not 00 */
    check_illegal((60u << 26) | (1 << 21) | (1 << 19) | (360 << 1), 0);
    /* xxinsertw with bit 11 set */
    check_illegal((60u << 26) | (1 << 21) | (1 << 20) | (181 << 2), MSR_ALL_FACILITIES);
    /* xsabsqp with bit 31 set */
    check_illegal((63u << 26) | (1 << 21) | (2 << 11) | (804 << 1) | 1, MSR_ALL_FACILITIES);
    /* xsrqpi and xsrqpix with bit 14 or bit 11 set (QEMU 7.2: illegal) */
    check_illegal((63u << 26) | (1 << 21) | (1 << 17) | (2 << 11) | (5 << 1), MSR_ALL_FACILITIES);
    check_illegal((63u << 26) | (1 << 21) | (1 << 20) | (2 << 11) | (5 << 1) | 1,
                  MSR_ALL_FACILITIES);
    /*
     * An opcode-60 word that is no instruction (XX3 XO 4): illegal under
     * every combination of FP, VEC and VSX, never VSX-unavailable.
     */
    for (unsigned m = 0; m < 8; m++) {
        uint64_t msr = (m & 1 ? MSR_FP : 0) | (m & 2 ? MSR_VEC : 0) | (m & 4 ? MSR_VSX : 0);

        check_illegal(0xf0000020u, msr);
    }
}

/*
 * A 16-byte load crossing into an unmapped page: QEMU loads lxvd2x's first
 * doubleword first, lxvx's second first in little-endian mode; either way
 * the register is left unchanged.  (Real mode: outside RAM is a machine check.)
 */
static void test_fault_leaves_register(void)
{
    uint64_t end = 16 * MiB - 8;
    uint32_t insn = LXVX(1, 3, 0);

    cpu = harness_fresh(cpu);
    cpu->env.msr |= MSR_ALL_FACILITIES | MSR_LE;
    guest_stl_be(PPC_VEC_MACHINE_CHECK, HARNESS_SC1);
    set_vsr(&cpu->env, 1, 0x1111, 0x2222);
    cpu->env.gpr[3] = end;
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(cpu->env.nip, ==, PPC_VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(VsrD(&cpu->env.vsr[1], 0), ==, 0x1111);
    g_assert_cmphex(VsrD(&cpu->env.vsr[1], 1), ==, 0x2222);
}

/*
 * xststdcsp on a double in the single-precision denormal range (biased
 * exponent 1..896): the ISA matches it only with DCMX's +Denormal (bit 1)
 * or -Denormal (bit 0); QEMU 7.2 reports a match for any DCMX, even 0
 * (design-notes.rst).  SO: not exactly representable in single precision.
 */
static void check_xststdcsp(uint64_t d, unsigned dcmx, unsigned want_crf)
{
    uint32_t insn = (60u << 26) | (3u << 23) | (dcmx << 16) | (1u << 11) | (298u << 2);

    cpu = harness_fresh(cpu);
    cpu->env.msr |= MSR_ALL_FACILITIES;
    set_vsr(&cpu->env, 1, d, 0);
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(cpu->env.crf[3], ==, want_crf);
    g_assert_cmphex((cpu->env.fpscr >> 12) & 0xf, ==, want_crf);
}

static void test_xststdcsp_single_denormal(void)
{
    /* 2^-128: a single denormal, exact */
    check_xststdcsp(0x37f0000000000000ull, 0x7c, 0);
    check_xststdcsp(0x37f0000000000000ull, 0x00, 0);
    check_xststdcsp(0x37f0000000000000ull, 0x02, CRF_EQ);
    check_xststdcsp(0x37f0000000000000ull, 0x01, 0);
    /* -2^-128 */
    check_xststdcsp(0xb7f0000000000000ull, 0x01, CRF_LT | CRF_EQ);
    check_xststdcsp(0xb7f0000000000000ull, 0x7e, CRF_LT);
    /* 2^-127 (1 + 2^-24): below the single normal range and not exact */
    check_xststdcsp(0x3800000010000000ull, 0x40, CRF_SO);
    check_xststdcsp(0x3800000010000000ull, 0x02, CRF_EQ | CRF_SO);
    /* 2^-126: the smallest single normal */
    check_xststdcsp(0x3810000000000000ull, 0x03, 0);
}

/*
 * Where VSX floating point follows the ISA over QEMU 7.2 (design-notes.rst):
 * xsredp of +0 is +infinity with ZX; xvmuldp with one element overflowing
 * and the other underflowing sets both OX and UX.
 */
static void test_fp_isa_over_qemu(void)
{
    uint32_t xsredp = (60u << 26) | (1u << 21) | (2u << 11) | (90u << 2);
    uint32_t xvmuldp = XX3(112u, 1, 2, 3);
    const uint64_t fpscr_zx = PPC_BIT(37), fpscr_ox = PPC_BIT(35), fpscr_ux = PPC_BIT(36);

    cpu = harness_fresh(cpu);
    cpu->env.msr |= MSR_ALL_FACILITIES;
    set_vsr(&cpu->env, 2, 0, 0);
    harness_run(cpu, &xsredp, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(VsrD(&cpu->env.vsr[1], 0), ==, 0x7ff0000000000000ull);
    g_assert_true(cpu->env.fpscr & fpscr_zx);

    cpu = harness_fresh(cpu);
    cpu->env.msr |= MSR_ALL_FACILITIES;
    /* 2^1000 * 2^1000 overflows; 2^-1000 * 2^-70 (inexact: 1.5 * 2^-70) underflows */
    set_vsr(&cpu->env, 2, 0x7e70000000000000ull, 0x0170000000000000ull);
    set_vsr(&cpu->env, 3, 0x7e70000000000000ull, 0x3b98000000000001ull);
    harness_run(cpu, &xvmuldp, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_true(cpu->env.fpscr & fpscr_ox);
    g_assert_true(cpu->env.fpscr & fpscr_ux);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* one report per failing case, not only the first */
    g_test_set_nonfatal_assertions();
    for (size_t i = 0; i < G_N_ELEMENTS(vsx_cases); i++) {
        g_autofree char *path = g_strdup_printf("/ppc/vsx/oracle/%s/%s/%zu", vsx_cases[i].name,
                                                vsx_cases[i].le ? "le" : "be", i);

        g_test_add_data_func(path, &vsx_cases[i], test_oracle_case);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vsx_fp_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/ppc/vsx/oracle-fp/%s/%s/%zu", vsx_fp_cases[i].name,
                            vsx_fp_cases[i].le ? "le" : "be", i);

        g_test_add_data_func(path, &vsx_fp_cases[i], test_oracle_case);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vsx_half_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/ppc/vsx/oracle-half/%s/%s/%zu", vsx_half_cases[i].name,
                            vsx_half_cases[i].le ? "le" : "be", i);

        g_test_add_data_func(path, &vsx_half_cases[i], test_oracle_case);
    }
    g_test_add_func("/ppc/vsx/availability", test_availability);
    g_test_add_func("/ppc/vsx/invalid-forms", test_invalid_forms);
    g_test_add_func("/ppc/vsx/fault-leaves-register", test_fault_leaves_register);
    g_test_add_func("/ppc/vsx/xststdcsp-single-denormal", test_xststdcsp_single_denormal);
    g_test_add_func("/ppc/vsx/fp-isa-over-qemu", test_fp_isa_over_qemu);
    return g_test_run();
}

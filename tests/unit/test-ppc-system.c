/*
 * Unit tests of the system instructions: SPR moves, the time base, MSR
 * moves, rfid, the endianness trampoline, barriers, cache ops and dcbz.
 */
#include "cpu-harness.h"
#include "qemu/timer.h"

#define CODE HARNESS_CODE
#define TARGET (HARNESS_CODE + 0x1000)
#define DATA HARNESS_DATA

static PowerPCCPU *cpu;
static CPUPPCState *env;

/* A reset CPU and zeroed low RAM, with sc 1 at the interrupt vectors. */
static void fresh(void)
{
    cpu = harness_fresh(cpu);
    env = &cpu->env;
}

static void put_sc1(uint64_t addr, bool le)
{
    if (le) {
        guest_stl_le(addr, HARNESS_SC1);
    } else {
        guest_stl_be(addr, HARNESS_SC1);
    }
}

static void run(const uint32_t *insns, size_t n)
{
    harness_run(cpu, insns, n);
}

static void run1(uint32_t insn)
{
    harness_run(cpu, &insn, 1);
}

/* Continue at CODE without rewriting the code (no host write to it). */
static void rerun(void)
{
    env->nip = CODE;
    env->exit_request = 0;
    ppc_cpu_exec(cpu);
}

/* The SPR field: the number's two 5-bit halves, swapped. */
#define spr_field(spr) (((spr)&0x1f) << 16 | ((spr) >> 5) << 11)

#define MFSPR(rt, spr) (0x7c0002a6u | (rt) << 21 | spr_field(spr))
#define MTSPR(spr, rs) (0x7c0003a6u | (rs) << 21 | spr_field(spr))
#define MFTB(rt, tbr) (0x7c0002e6u | (rt) << 21 | spr_field(tbr))
#define MFMSR(rt) (0x7c0000a6u | (rt) << 21)
#define MTMSR(rs, l) (0x7c000124u | (rs) << 21 | (l) << 16)
#define MTMSRD(rs, l) (0x7c000164u | (rs) << 21 | (l) << 16)
#define RFID 0x4c000024u
#define ISYNC 0x4c00012cu
#define SYNC(l) (0x7c0004acu | (l) << 21)
#define EIEIO 0x7c0006acu
#define X31(xo, ra, rb) (0x7c000000u | (ra) << 16 | (rb) << 11 | (xo) << 1)
#define ICBI(ra, rb) X31(982, ra, rb)
#define DCBST(ra, rb) X31(54, ra, rb)
#define DCBF(ra, rb) X31(86, ra, rb)
#define DCBT(ra, rb) X31(278, ra, rb)
#define DCBTST(ra, rb) X31(246, ra, rb)
#define DCBI(ra, rb) X31(470, ra, rb)
#define DCBZ(ra, rb) X31(1014, ra, rb)
#define ATTN 0x00000200u
#define XORI(ra, rs, ui) (0x68000000u | (rs) << 21 | (ra) << 16 | (ui))
#define ADDI(rt, ra, si) (0x38000000u | (rt) << 21 | (ra) << 16 | ((si)&0xffff))
#define TDI(to, ra, si) (0x08000000u | (to) << 21 | (ra) << 16 | ((si)&0xffff))
#define BCL_20_31_4 0x429f0005u /* bcl 20,31,$+4: LR = next address */

#define SPR_SIAR 796

#define XER_SO PPC_BIT(32)
#define XER_OV PPC_BIT(33)
#define XER_CA PPC_BIT(34)
#define XER_OV32 PPC_BIT(44)
#define XER_CA32 PPC_BIT(45)
#define MSR_TM PPC_BIT(31)
#define MSR_PMM PPC_BIT(61)

static void assert_illegal(uint64_t at)
{
    g_assert_cmphex(env->nip, ==, 0x704);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, at);
    g_assert_true(env->spr[SPR_SRR1] & PPC_BIT(44));
}

/* ---- SPRs ------------------------------------------------------------------- */

/* mtspr then mfspr of SPRs kept whole, and where the value lands. */
static void test_spr_roundtrip(void)
{
    static const unsigned sprs[] = { 17, 896, 26, 27, 272, 273, 274, 275, 19, 806 };
    const uint64_t v = 0xfedcba9876543210ULL;

    for (size_t i = 0; i < G_N_ELEMENTS(sprs); i++) {
        const uint32_t insns[] = { MTSPR(sprs[i], 3), MFSPR(4, sprs[i]) };

        fresh();
        env->gpr[3] = v;
        run(insns, 2);
        g_assert_cmphex(env->gpr[4], ==, v);
        g_assert_cmphex(env->spr[sprs[i]], ==, v);
    }
}

/*
 * 32-bit SPRs: VRSAVE, CTRL (written as 152, read as 136): the upper word
 * reads 0.  QEMU 7.2 keeps all 64 bits of PMC1-6 (pmu-be checks it).
 */
static void test_spr_32bit(void)
{
    static const unsigned sprs[][2] = {
        { 256, 256 },
        { 152, 136 },
    };
    const uint64_t v = 0xfedcba9876543210ULL;

    for (size_t i = 0; i < G_N_ELEMENTS(sprs); i++) {
        const uint32_t insns[] = { MTSPR(sprs[i][0], 3), MFSPR(4, sprs[i][1]) };

        fresh();
        env->gpr[3] = v;
        run(insns, 2);
        g_assert_cmphex(env->nip, ==, CODE + 12);
        g_assert_cmphex(env->gpr[4], ==, 0x76543210);
    }
}

/*
 * BESCRS/BESCRSU/BESCRR/BESCRRU (800-803) set and clear bits of BESCR (806),
 * the U forms in its upper word; reads give BESCR or its upper word.
 */
static void test_bescr_views(void)
{
    static const struct {
        unsigned spr;
        uint64_t rs, bescr, read;
    } cases[] = {
        { 800, 0x0000000200000020ULL, 0x8000000300000031ULL, 0x8000000300000031ULL },
        { 801, 0xffffffff00000400ULL, 0x8000040100000011ULL, 0x80000401ULL },
        { 802, 0x8000000000000011ULL, 0x0000000100000000ULL, 0x0000000100000000ULL },
        { 803, 0x0000000080000001ULL, 0x0000000000000011ULL, 0x0 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const uint32_t insns[] = { MTSPR(cases[i].spr, 3), MFSPR(4, cases[i].spr) };

        fresh();
        env->spr[806] = 0x8000000100000011ULL;
        env->gpr[3] = cases[i].rs;
        run(insns, 2);
        g_assert_cmphex(env->spr[806], ==, cases[i].bescr);
        g_assert_cmphex(env->gpr[4], ==, cases[i].read);
        g_assert_cmphex(env->spr[cases[i].spr], ==, 0);
    }
}

static void test_lr_ctr_tar(void)
{
    const uint32_t insns[] = { MTSPR(8, 3), MTSPR(9, 4), MTSPR(815, 5),
                               MFSPR(6, 8), MFSPR(7, 9), MFSPR(8, 815) };

    fresh();
    env->gpr[3] = 0x1111222233334447ULL;
    env->gpr[4] = UINT64_MAX;
    env->gpr[5] = 0x8000000000000003ULL;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->lr, ==, 0x1111222233334447ULL);
    g_assert_cmphex(env->ctr, ==, UINT64_MAX);
    g_assert_cmphex(env->tar, ==, 0x8000000000000003ULL);
    g_assert_cmphex(env->gpr[6], ==, env->lr);
    g_assert_cmphex(env->gpr[7], ==, env->ctr);
    g_assert_cmphex(env->gpr[8], ==, env->tar);
}

static void test_xer(void)
{
    const uint32_t insns[] = { MTSPR(1, 3), MFSPR(4, 1) };

    fresh();
    env->gpr[3] = XER_SO | XER_CA | XER_OV32 | 0x45;
    run(insns, 2);
    g_assert_cmpuint(env->so, ==, 1);
    g_assert_cmpuint(env->ov, ==, 0);
    g_assert_cmpuint(env->ca, ==, 1);
    g_assert_cmpuint(env->ov32, ==, 1);
    g_assert_cmpuint(env->ca32, ==, 0);
    g_assert_cmphex(env->gpr[4], ==, XER_SO | XER_CA | XER_OV32 | 0x45);
}

/*
 * DSCR is SPR 17; its problem-state number 3 is a no-op in supervisor state
 * (as on QEMU 7.2).  DSISR holds 32 bits.
 */
static void test_dscr_dsisr(void)
{
    const uint32_t insns[] = { MTSPR(17, 3), MTSPR(3, 8),  MFSPR(4, 17),
                               MFSPR(5, 3),  MTSPR(18, 6), MFSPR(7, 18) };

    fresh();
    env->gpr[3] = 0x1f;
    env->gpr[5] = 0x55;
    env->gpr[6] = UINT64_MAX;
    env->gpr[8] = 0x3;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->gpr[4], ==, 0x1f);
    g_assert_cmphex(env->gpr[5], ==, 0x55);
    g_assert_cmphex(env->gpr[7], ==, 0xffffffffULL);
}

/* An interrupt at vector vec (whose sc 1 ended the run) for the instruction at at. */
static void assert_interrupt(unsigned vec, uint64_t at, uint64_t srr1_bits)
{
    g_assert_cmphex(env->nip, ==, vec + 4);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, at);
    g_assert_cmphex(env->spr[SPR_SRR1] & (PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47)), ==,
                    srr1_bits);
}

#define SRR1_PRIV PPC_BIT(45)

static void assert_privileged(uint64_t at)
{
    assert_interrupt(0x700, at, SRR1_PRIV);
}

/* PVR and PIR read; unknown SPR numbers with no rule of their own are no-ops. */
static void test_readonly_and_unknown(void)
{
    const uint32_t insns[] = { MFSPR(4, 287), MFSPR(5, 1023), MTSPR(1000, 3), MFSPR(6, 1000) };

    fresh();
    env->gpr[3] = 0x5555;
    env->gpr[5] = 0x77;
    env->gpr[6] = 0x1234;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->gpr[4], ==, CPU_POWERPC_POWER9_v20);
    g_assert_cmphex(env->gpr[5], ==, 0); /* CPU 0 */
    g_assert_cmphex(env->gpr[6], ==, 0x1234);
    g_assert_cmphex(env->spr[1000], ==, 0);
    g_assert_cmphex(env->nip, ==, CODE + 4 * G_N_ELEMENTS(insns) + 4);
}

/*
 * Writes to read-only SPRs (PVR, PIR, the time base, SPRG3's and CTRL's
 * read numbers) and reads of CTRL's write number are privileged in
 * supervisor state too, as QEMU 7.2 has them: nothing changes.
 */
static void test_readonly_write_privileged(void)
{
    static const unsigned writes[] = { 287, 1023, 268, 269, 259, 136, 308, 309 };

    for (size_t i = 0; i < G_N_ELEMENTS(writes); i++) {
        fresh();
        env->gpr[3] = 0x5555;
        run1(MTSPR(writes[i], 3));
        assert_privileged(CODE);
        g_assert_cmphex(env->spr[SPR_PVR], ==, CPU_POWERPC_POWER9_v20);
        g_assert_cmphex(env->spr[SPR_PIR], ==, 0);
        g_assert_cmphex(env->spr[SPR_SPRG3], ==, 0);
        g_assert_cmphex(env->spr[SPR_CTRL_WRITE], ==, 0);
    }
    fresh();
    env->gpr[4] = 0x77;
    run1(MFSPR(4, 152));
    assert_privileged(CODE);
    g_assert_cmphex(env->gpr[4], ==, 0x77);
}

/* CTRL: written as 152, read as 136; SPRG3 read as 259 too. */
static void test_ctrl_sprg3(void)
{
    const uint32_t insns[] = { MTSPR(152, 3), MFSPR(4, 136), MTSPR(275, 5), MFSPR(6, 259) };

    fresh();
    env->gpr[3] = 1;
    env->gpr[5] = 0xabcdef;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->gpr[4], ==, 1);
    g_assert_cmphex(env->gpr[6], ==, 0xabcdef);
}

/*
 * Hypervisor SPRs from supervisor state: a privileged-instruction program
 * interrupt for mfspr and mtspr (QEMU 7.2 on pseries), RT and the SPR unchanged.
 */
static void test_hypervisor_sprs(void)
{
    static const unsigned sprs[] = { 304, 305, 310, 313, 314, 315, 318, 319, 336, 464, 1008 };

    for (size_t i = 0; i < G_N_ELEMENTS(sprs); i++) {
        fresh();
        env->spr[SPR_LPCR] = LPCR_HR;
        env->gpr[4] = 0x1234;
        run1(MFSPR(4, sprs[i]));
        assert_privileged(CODE);
        g_assert_cmphex(env->gpr[4], ==, 0x1234);
        fresh();
        env->spr[SPR_LPCR] = LPCR_HR;
        env->gpr[4] = 0x5678;
        run1(MTSPR(sprs[i], 4));
        assert_privileged(CODE);
        g_assert_cmphex(env->spr[sprs[i]], ==, sprs[i] == SPR_LPCR ? LPCR_HR : 0);
    }
}

/*
 * SPR numbers nothing defines: QEMU 7.2 makes mfspr of 0, 4, 5, 6 and
 * mtspr of 0 privileged, and every other such access a no-op.
 */
static void test_undefined_sprs(void)
{
    static const unsigned priv_reads[] = { 0, 4, 5, 6 };
    static const unsigned noop[] = { 2, 7, 16, 20, 30, 512, 1000 };

    for (size_t i = 0; i < G_N_ELEMENTS(priv_reads); i++) {
        fresh();
        env->gpr[4] = 0x99;
        run1(MFSPR(4, priv_reads[i]));
        assert_privileged(CODE);
        g_assert_cmphex(env->gpr[4], ==, 0x99);
    }
    fresh();
    run1(MTSPR(0, 4));
    assert_privileged(CODE);
    for (size_t i = 0; i < G_N_ELEMENTS(noop); i++) {
        const uint32_t insns[] = { MTSPR(noop[i], 3), MFSPR(4, noop[i]), MTSPR(4, 3) };

        fresh();
        env->gpr[3] = 0x1111;
        env->gpr[4] = 0x99;
        run(insns, noop[i] == 2 ? 3 : 2);
        g_assert_cmphex(env->nip, ==, CODE + 4 * (noop[i] == 2 ? 3 : 2) + 4);
        g_assert_cmphex(env->gpr[4], ==, 0x99);
    }
}

/* Transactional-memory SPRs: facility unavailable with FSCR[IC] = 5 (TM). */
static void test_tm_sprs(void)
{
    fresh();
    put_sc1(0xf60, false);
    env->spr[SPR_FSCR] = 0xff00000000000000ULL | 0x100;
    run1(MFSPR(4, 130));
    assert_interrupt(0xf60, CODE, 0);
    g_assert_cmphex(env->spr[SPR_FSCR], ==, 0x0500000000000100ULL);
}

/* AMR: SPR 29 whole in supervisor state; SPR 13 reads it. */
static void test_amr(void)
{
    const uint32_t insns[] = { MTSPR(29, 3), MFSPR(4, 13), MTSPR(157, 5), MFSPR(6, 157) };

    fresh();
    env->gpr[3] = 0x0123456789abcdefULL;
    env->gpr[5] = 0xf0f0f0f0f0f0f0f0ULL;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->gpr[4], ==, 0x0123456789abcdefULL);
    g_assert_cmphex(env->gpr[6], ==, 0xf0f0f0f0f0f0f0f0ULL);
}

/*
 * Problem state.  Its fetches are translated and this harness has no page
 * table, so these tests build MSR[PR] = 1 with IR = DR = 0 directly, a
 * state the architecture never produces (rfid and mtmsrd set IR and DR
 * with PR): the instructions then run from real memory, to check their
 * privilege rules.
 */
static void problem_state(void)
{
    env->msr = MSR_SF | MSR_ME | MSR_PR;
}

static void test_problem_state_privileged_insns(void)
{
    static const uint32_t insns[] = {
        MFMSR(4),      MTMSR(4, 0),    MTMSRD(4, 0),
        MTMSRD(4, 1),  RFID,           0x4c0000a4u /* rfscv */,
        MFSPR(4, 26),  MTSPR(272, 4),  MFSPR(4, 22),
        MTSPR(22, 4),  MFSPR(4, 287),  MFSPR(4, 1023),
        MFSPR(4, 48),  MTSPR(48, 4),   MFSPR(4, 17),
        MFSPR(4, 152), MTSPR(136, 4),  MTSPR(268, 4),
        MFSPR(4, 318), MFSPR(4, 1000), MTSPR(1000, 4),
        MFSPR(4, 16),  MTSPR(16, 4),   MFSPR(4, 2),
        MTSPR(779, 4),
    };

    for (size_t i = 0; i < G_N_ELEMENTS(insns); i++) {
        fresh();
        problem_state();
        env->gpr[4] = 0x4444;
        run1(insns[i]);
        assert_privileged(CODE);
        g_assert_cmphex(env->gpr[4], ==, 0x4444);
        g_assert_true(env->spr[SPR_SRR1] & MSR_PR);
        g_assert_cmphex(env->spr[SPR_SPRG0], ==, 0);
        g_assert_cmphex(env->spr[SPR_PIDR], ==, 0);
    }
}

/* What problem state may use: LR, CTR, XER, DSCR (3), AMR (13), PPR, VRSAVE, TB, CTRL, SPRG3. */
static void test_problem_state_user_sprs(void)
{
    const uint32_t insns[] = {
        MTSPR(8, 3),    MFSPR(5, 8),   MTSPR(3, 3),   MFSPR(6, 3),    MTSPR(896, 3),
        MFSPR(7, 896),  MTSPR(256, 3), MFSPR(8, 256), MFSPR(9, 268),  MFSPR(10, 136),
        MFSPR(11, 259), MTSPR(13, 3),  MFSPR(12, 13), MFSPR(13, 771),
    };

    fresh();
    problem_state();
    env->gpr[3] = 0x00ff00ff00ff00ffULL;
    env->spr[SPR_CTRL_WRITE] = 1;
    env->spr[SPR_SPRG3] = 0x333;
    env->spr[SPR_UAMOR] = 0xffff0000ffff0000ULL;
    env->spr[SPR_AMR] = 0x1111111111111111ULL;
    env->spr[787] = 0x787;
    run(insns, G_N_ELEMENTS(insns));
    /* the closing sc 1 is a system call in problem state */
    g_assert_cmphex(env->nip, ==, 0xc04);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 4 * G_N_ELEMENTS(insns) + 4);
    g_assert_cmphex(env->gpr[5], ==, 0x00ff00ff00ff00ffULL);
    g_assert_cmphex(env->gpr[6], ==, 0x00ff00ff00ff00ffULL);
    g_assert_cmphex(env->gpr[7], ==, 0x00ff00ff00ff00ffULL);
    g_assert_cmphex(env->gpr[8], ==, 0x00ff00ffULL); /* VRSAVE: 32 bits */
    g_assert_cmphex(env->gpr[10], ==, 1);
    g_assert_cmphex(env->gpr[11], ==, 0x333);
    /* only the bits UAMOR allows changed */
    g_assert_cmphex(env->gpr[12], ==, 0x00ff111100ff1111ULL);
    g_assert_cmphex(env->gpr[13], ==, 0x787);
}

/* TAR in problem state needs FSCR[TAR]: else facility unavailable, FSCR[IC] = 8. */
static void test_problem_state_tar(void)
{
    const uint32_t insns[] = { MTSPR(815, 3), MFSPR(4, 815) };

    fresh();
    problem_state();
    put_sc1(0xf60, false);
    env->gpr[3] = 0x1230;
    run1(MTSPR(815, 3));
    assert_interrupt(0xf60, CODE, 0);
    g_assert_cmphex(env->spr[SPR_FSCR] >> 56, ==, 8);
    g_assert_cmphex(env->tar, ==, 0);
    fresh();
    problem_state();
    env->spr[SPR_FSCR] = PPC_BIT(55); /* TAR */
    env->gpr[3] = 0x1230;
    run(insns, 2);
    g_assert_cmphex(env->gpr[4], ==, 0x1230);
}

/* sc from problem state, LEV 0 or 1: a system call interrupt, SRR0 = the next instruction. */
static void test_problem_state_sc(void)
{
    for (unsigned lev = 0; lev < 2; lev++) {
        fresh();
        problem_state();
        run1(0x44000002u | lev << 5);
        g_assert_cmphex(env->nip, ==, 0xc04);
        g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 4);
        g_assert_true(env->spr[SPR_SRR1] & MSR_PR);
        g_assert_false(env->msr & MSR_PR);
    }
}

/* ---- scv and rfscv ------------------------------------------------------------ */

#define SCV(lev) (0x44000001u | (lev) << 5)
#define RFSCV 0x4c0000a4u
#define FSCR_SCV PPC_BIT(51)

static void test_scv_disabled(void)
{
    fresh();
    put_sc1(0xf60, false);
    run1(SCV(0));
    assert_interrupt(0xf60, CODE, 0);
    g_assert_cmphex(env->spr[SPR_FSCR] >> 56, ==, 12);
}

/* scv 2: vector 0x17040, LR = next, CTR = MSR; SRR0/SRR1 untouched; EE and RI kept. */
static void test_scv(void)
{
    fresh();
    put_sc1(0x17000 + 2 * 32, false);
    env->spr[SPR_FSCR] = FSCR_SCV;
    env->msr |= MSR_EE | MSR_RI | MSR_FP;
    env->spr[SPR_SRR0] = 0x5550;
    env->spr[SPR_SRR1] = 0x6660;
    run1(SCV(2));
    g_assert_cmphex(env->nip, ==, 0x17044);
    g_assert_cmphex(env->lr, ==, CODE + 4);
    g_assert_cmphex(env->ctr, ==, MSR_SF | MSR_ME | MSR_EE | MSR_RI | MSR_FP);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_EE | MSR_RI);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, 0x5550);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, 0x6660);
}

/* rfscv: to LR with the MSR in CTR. */
static void test_rfscv(void)
{
    fresh();
    put_sc1(TARGET, false);
    env->lr = TARGET;
    env->ctr = MSR_SF | MSR_ME | MSR_EE | MSR_FP;
    run1(RFSCV);
    g_assert_cmphex(env->nip, ==, TARGET + 4);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_EE | MSR_FP);
}

/* ---- Trace -------------------------------------------------------------------- */

#define MSR_SE PPC_BIT(53)
#define MSR_BE PPC_BIT(54)

/* MSR[SE]: a trace interrupt after the first instruction, SRR0 = the next one. */
static void test_single_step(void)
{
    const uint32_t insns[] = { ADDI(3, 3, 1), ADDI(3, 3, 1) };

    fresh();
    env->msr |= MSR_SE;
    run(insns, 2);
    g_assert_cmphex(env->nip, ==, 0xd04);
    g_assert_cmphex(env->gpr[3], ==, 1);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 4);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | MSR_SE);
    g_assert_false(env->msr & MSR_SE);
    /* SIAR: the traced instruction */
    g_assert_cmphex(env->spr[SPR_SIAR], ==, CODE);
}

/*
 * rfid is never traced (Book III 6.5.15): with SE kept on, the trace comes
 * after the instruction it returns to (SIAR = that instruction); an rfid
 * clearing SE takes none; an rfid setting SE traces the first instruction
 * at its target.  (QEMU 7.2 traces the rfid itself.)
 */
static void test_single_step_rfid(void)
{
    static const uint64_t before[] = { MSR_SE, MSR_SE, 0 };
    static const uint64_t after[] = { MSR_SE, 0, MSR_SE };

    for (size_t i = 0; i < G_N_ELEMENTS(before); i++) {
        fresh();
        guest_stl_be(TARGET, ADDI(4, 4, 1));
        put_sc1(TARGET + 4, false);
        env->msr |= before[i];
        env->spr[SPR_SRR0] = TARGET;
        env->spr[SPR_SRR1] = MSR_SF | MSR_ME | after[i];
        env->spr[SPR_SIAR] = 0x1234;
        run1(RFID);
        g_assert_cmphex(env->gpr[4], ==, 1);
        if (after[i]) {
            g_assert_cmphex(env->nip, ==, 0xd04);
            g_assert_cmphex(env->spr[SPR_SRR0], ==, TARGET + 4);
            g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | MSR_SE);
            g_assert_cmphex(env->spr[SPR_SIAR], ==, TARGET);
        } else {
            g_assert_cmphex(env->nip, ==, TARGET + 8);
            g_assert_cmphex(env->spr[SPR_SIAR], ==, 0x1234);
        }
    }
}

/* mtmsrd turning SE off is traced (as on QEMU 7.2), with SE off in SRR1. */
static void test_single_step_mtmsrd(void)
{
    const uint32_t insns[] = { MTMSRD(3, 0), ADDI(4, 4, 1) };

    fresh();
    env->msr |= MSR_SE;
    env->gpr[3] = MSR_SF;
    run(insns, 2);
    g_assert_cmphex(env->nip, ==, 0xd04);
    g_assert_cmphex(env->gpr[4], ==, 0);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 4);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME);
}

/* An instruction that interrupts is not traced: the interrupt clears SE. */
static void test_single_step_interrupt(void)
{
    fresh();
    env->msr |= MSR_SE;
    run1(0);
    assert_illegal(CODE);
}

/* MSR[BE]: a trace after a branch, taken (SRR0 = its target) or not; none before. */
static void test_branch_trace(void)
{
    const uint32_t insns[] = { ADDI(3, 3, 1), 0x48000008u /* b +8 */, ADDI(3, 3, 1),
                               0x41820008u /* beq +8 (not taken) */, ADDI(3, 3, 1) };

    fresh();
    env->msr |= MSR_BE;
    env->crf[0] = 0;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->nip, ==, 0xd04);
    g_assert_cmphex(env->gpr[3], ==, 1);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 12);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | MSR_BE);
    /* from the beq: traced though not taken */
    env->msr |= MSR_BE;
    env->nip = CODE + 12;
    env->exit_request = 0;
    ppc_cpu_exec(cpu);
    g_assert_cmphex(env->nip, ==, 0xd04);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 16);
    g_assert_cmphex(env->gpr[3], ==, 1);
}

/* ---- FP, vector and VSX availability ------------------------------------------ */

#define LFD(frt, d, ra) (0xc8000000u | (frt) << 21 | (ra) << 16 | (d))
#define FMR(frt, frb) (0xfc000090u | (frt) << 21 | (frb) << 11)
#define VOR(vt, va, vb) (0x10000484u | (vt) << 21 | (va) << 16 | (vb) << 11)
#define LVX(vt, ra, rb) (0x7c0000ceu | (vt) << 21 | (ra) << 16 | (rb) << 11)
#define XXLOR(t, a, b) (0xf0000490u | (t) << 21 | (a) << 16 | (b) << 11)
#define LXVD2X(t, ra, rb) (0x7c000698u | (t) << 21 | (ra) << 16 | (rb) << 11)

static void test_unit_unavailable(void)
{
    static const struct {
        uint32_t insn;
        unsigned vector;
        uint64_t bit;
    } cases[] = {
        { LFD(1, 0, 3), 0x800, MSR_FP },    { FMR(1, 2), 0x800, MSR_FP },
        { VOR(1, 2, 3), 0xf20, MSR_VEC },   { LVX(1, 3, 4), 0xf20, MSR_VEC },
        { XXLOR(1, 2, 3), 0xf40, MSR_VSX }, { LXVD2X(1, 3, 4), 0xf40, MSR_VSX },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        fresh();
        put_sc1(0xf20, false);
        put_sc1(0xf40, false);
        env->gpr[3] = DATA;
        run1(cases[i].insn);
        assert_interrupt(cases[i].vector, CODE, 0);
        /* with the unit on: the instruction runs to the closing sc */
        fresh();
        env->msr |= cases[i].bit;
        env->gpr[3] = DATA;
        run1(cases[i].insn);
        g_assert_cmphex(env->nip, ==, CODE + 8);
    }
}

/* mftb 268/269 and mfspr 268/269 read the time base (512 MHz). */
static void test_time_base(void)
{
    const uint32_t insns[] = { MFTB(3, 268), MFTB(4, 269), MFSPR(5, 268), MFSPR(6, 269) };
    const int64_t ns = 125LL * 1000000007;
    const uint64_t tb = 64ULL * 1000000007 + 0x1234567800000000ULL;

    fresh();
    qemu_clock_virtual_set_manual(true);
    qemu_clock_virtual_advance_to(ns);
    env->tb_offset = 0x1234567800000000ULL;
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->gpr[3], ==, tb);
    g_assert_cmphex(env->gpr[4], ==, tb >> 32);
    g_assert_cmphex(env->gpr[5], ==, tb);
    g_assert_cmphex(env->gpr[6], ==, tb >> 32);
    qemu_clock_virtual_set_manual(false);
}

static void test_spr_reserved_bit(void)
{
    fresh();
    run1(MFSPR(4, 8) | 1);
    assert_illegal(CODE);
}

/* ---- MSR -------------------------------------------------------------------- */

static void test_mfmsr(void)
{
    fresh();
    env->msr |= MSR_EE | MSR_FP;
    run1(MFMSR(4));
    g_assert_cmphex(env->gpr[4], ==, MSR_SF | MSR_ME | MSR_EE | MSR_FP);
    fresh();
    run1(MFMSR(4) | 0x800); /* reserved bit 20 */
    assert_illegal(CODE);
}

/* Bits that would change how this test runs (PR, translation, tracing). */
#define MSR_UNSAFE (MSR_PR | MSR_IR | MSR_DR | MSR_SE | MSR_BE)

/* mtmsrd L=0 takes everything implemented but HV, ME and LE from RS. */
static void test_mtmsrd(void)
{
    fresh();
    env->gpr[3] = ~MSR_UNSAFE & ~MSR_ME;
    run1(MTMSRD(3, 0));
    g_assert_cmphex(env->msr, ==,
                    MSR_SF | MSR_TM | MSR_VEC | MSR_VSX | MSR_EE | MSR_FP | MSR_ME | MSR_FE0 |
                        MSR_FE1 | MSR_PMM | MSR_RI);
    g_assert_cmphex(env->nip, ==, CODE + 8);

    /* To 32-bit mode, little-endian kept */
    fresh();
    env->msr |= MSR_LE;
    env->gpr[3] = 0;
    run1(MTMSRD(3, 0));
    g_assert_cmphex(env->msr, ==, MSR_ME | MSR_LE);
    g_assert_cmphex(env->nip, ==, CODE + 8);
}

/*
 * Reset: 0x100, big-endian, real mode, 32-bit, MSR 0 as QEMU 7.2's; a
 * partition's CPU gets ME, which it cannot change, when its hypervisor
 * dispatches it (a CPU without one keeps its MSR).
 */
static void test_reset_msr(void)
{
    static const PPCVirtualHypervisorOps no_hooks;
    const PPCVirtualHypervisorOps *saved;

    fresh();
    saved = cpu->vhyp_ops;
    ppc_cpu_reset(cpu);
    g_assert_cmphex(env->msr, ==, 0);
    g_assert_cmphex(env->nip, ==, 0x100);
    cpu->vhyp_ops = NULL;
    ppc_cpu_exec_enter(cpu);
    g_assert_cmphex(env->msr, ==, 0);
    cpu->vhyp_ops = &no_hooks;
    ppc_cpu_exec_enter(cpu);
    g_assert_cmphex(env->msr, ==, MSR_ME);
    cpu->vhyp_ops = saved;
}

/* L=1: only EE and RI. */
static void test_mtmsrd_l1(void)
{
    fresh();
    env->gpr[3] = UINT64_MAX;
    run1(MTMSRD(3, 1));
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_EE | MSR_RI);
    env->gpr[3] = 0;
    run1(MTMSR(3, 1));
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);
}

/* mtmsr L=0 changes only the low word (never SF), still not ME or LE. */
static void test_mtmsr(void)
{
    fresh();
    env->gpr[3] = ~MSR_UNSAFE & ~MSR_SF;
    run1(MTMSR(3, 0));
    g_assert_cmphex(env->msr, ==,
                    MSR_SF | MSR_VEC | MSR_VSX | MSR_EE | MSR_FP | MSR_ME | MSR_FE0 | MSR_FE1 |
                        MSR_PMM | MSR_RI);
    env->gpr[3] = 0;
    run1(MTMSR(3, 0));
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);
}

/*
 * Setting PR also sets EE, IR and DR: the next fetch is translated, and
 * with no page table or segment (this harness sets up none) it takes an
 * instruction storage or segment interrupt (radix or hash) at the
 * instruction after the mtmsrd.
 */
static void test_mtmsrd_problem_state(void)
{
    fresh();
    put_sc1(0x480, false);
    env->gpr[3] = MSR_SF | MSR_PR;
    run1(MTMSRD(3, 0));
    g_assert_true(env->nip == 0x404 || env->nip == 0x484);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 4);
    g_assert_cmphex(env->spr[SPR_SRR1] & (MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_ME), ==,
                    MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_ME);
}

static void test_mtmsr_reserved(void)
{
    fresh();
    run1(MTMSRD(3, 0) | 0x1000); /* bit 19 */
    assert_illegal(CODE);
}

/* ---- rfid ------------------------------------------------------------------- */

static void test_rfid(void)
{
    fresh();
    put_sc1(TARGET, false);
    env->spr[SPR_SRR0] = TARGET | 3;
    env->spr[SPR_SRR1] = MSR_SF | MSR_ME | MSR_EE | MSR_RI | MSR_FP;
    run1(RFID);
    g_assert_cmphex(env->nip, ==, TARGET + 4);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_EE | MSR_RI | MSR_FP);
}

/* Out of hypervisor state HV and ME keep their values; reason bits drop. */
static void test_rfid_kept_bits(void)
{
    fresh();
    put_sc1(TARGET, false);
    env->spr[SPR_SRR0] = TARGET;
    env->spr[SPR_SRR1] = MSR_SF | MSR_HV | PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47);
    run1(RFID);
    g_assert_cmphex(env->nip, ==, TARGET + 4);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);
}

static void test_rfid_32bit(void)
{
    fresh();
    put_sc1(TARGET, false);
    env->spr[SPR_SRR0] = 0xffffffff00000000ULL | TARGET;
    env->spr[SPR_SRR1] = MSR_ME;
    run1(RFID);
    g_assert_cmphex(env->nip, ==, TARGET + 4);
    g_assert_cmphex(env->msr, ==, MSR_ME);
}

/* rfid with LE set in SRR1 continues in little-endian. */
static void test_rfid_le(void)
{
    fresh();
    put_sc1(TARGET, true);
    env->spr[SPR_SRR0] = TARGET;
    env->spr[SPR_SRR1] = MSR_SF | MSR_ME | MSR_LE;
    run1(RFID);
    g_assert_cmphex(env->nip, ==, TARGET + 4);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_LE);
}

/*
 * The endianness trampoline little-endian kernels start with: a word that
 * is a no-op trap when read little-endian and "b .+8" big-endian, then a
 * branch over big-endian code that flips MSR[LE] through SRR1 and rfid.
 * Here it is followed by LE code: mfmsr r20; sc 1.  Run it from BE (takes
 * the trampoline) and again from LE (skips it).
 */
static void write_trampoline(void)
{
    static const uint32_t be_code[] = {
        MFMSR(11),    XORI(11, 11, 1),  ADDI(10, 0, 0), MTMSRD(10, 1), BCL_20_31_4,
        MFSPR(10, 8), ADDI(10, 10, 20), MTSPR(26, 10),  MTSPR(27, 11), RFID,
    };
    uint64_t a = CODE;
    uint64_t le_code = CODE + 8 + 4 * G_N_ELEMENTS(be_code);

    guest_stl_le(a, TDI(0, 0, 0x48));
    guest_stl_le(a + 4, 0x48000000u | (uint32_t)(le_code - (a + 4)));
    a += 8;
    for (size_t i = 0; i < G_N_ELEMENTS(be_code); i++, a += 4) {
        guest_stl_be(a, be_code[i]);
    }
    guest_stl_le(le_code, MFMSR(20));
    guest_stl_le(le_code + 4, HARNESS_SC1);
}

static void test_endian_trampoline(void)
{
    uint64_t le_end = CODE + 8 + 40 + 8;

    fresh();
    write_trampoline();
    rerun();
    g_assert_cmphex(env->nip, ==, le_end);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME | MSR_LE);
    g_assert_cmphex(env->gpr[20], ==, MSR_SF | MSR_ME | MSR_LE);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE + 48);

    /* Already little-endian: the trap does nothing and the branch skips. */
    env->gpr[20] = 0;
    env->gpr[11] = 0;
    rerun();
    g_assert_cmphex(env->nip, ==, le_end);
    g_assert_cmphex(env->gpr[20], ==, MSR_SF | MSR_ME | MSR_LE);
    g_assert_cmphex(env->gpr[11], ==, 0);
}

/* ---- Barriers and cache management -------------------------------------- */

static void test_barriers_and_cache_ops(void)
{
    const uint32_t insns[] = { ISYNC,      SYNC(0),      SYNC(1),     SYNC(2),
                               EIEIO,      ICBI(3, 4),   DCBST(3, 4), DCBF(3, 4),
                               DCBT(3, 4), DCBTST(3, 4), DCBI(3, 4),  ISYNC };
    uint64_t gpr[32];
    uint32_t cr;

    fresh();
    for (int i = 0; i < 32; i++) {
        env->gpr[i] = 0x0101010101010101ULL * i;
    }
    env->gpr[3] = DATA;
    env->gpr[4] = 0x40;
    guest_stq_be(DATA + 0x40, 0x1122334455667788ULL);
    ppc_set_cr(env, 0x12345678);
    memcpy(gpr, env->gpr, sizeof(gpr));
    cr = ppc_get_cr(env);
    run(insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->nip, ==, CODE + 4 * G_N_ELEMENTS(insns) + 4);
    g_assert_cmpmem(env->gpr, sizeof(gpr), gpr, sizeof(gpr));
    g_assert_cmphex(ppc_get_cr(env), ==, cr);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);
    {
        uint64_t v;

        g_assert_true(guest_ldq_be(DATA + 0x40, &v));
        g_assert_cmphex(v, ==, 0x1122334455667788ULL);
    }
}

static void test_reserved_forms_illegal(void)
{
    static const uint32_t bad[] = { SYNC(0) | 1,
                                    ICBI(3, 4) | 1u << 21,
                                    DCBST(3, 4) | 1u << 22,
                                    EIEIO | 1u << 11,
                                    ISYNC | 1u << 11,
                                    RFID | 1,
                                    ATTN };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        fresh();
        run1(bad[i]);
        assert_illegal(CODE);
    }
}

/* ---- dcbz ---------------------------------------------------------------- */

static uint8_t byte_at(uint64_t a)
{
    uint8_t b;

    g_assert_true(guest_ldub(a, &b));
    return b;
}

static void test_dcbz(void)
{
    fresh();
    guest_memset(DATA, 0xff, 0x200);
    env->gpr[3] = DATA;
    env->gpr[4] = 0x85;
    run1(DCBZ(3, 4));
    g_assert_cmpuint(byte_at(DATA + 0x7f), ==, 0xff);
    for (uint64_t a = DATA + 0x80; a < DATA + 0x100; a++) {
        g_assert_cmpuint(byte_at(a), ==, 0);
    }
    g_assert_cmpuint(byte_at(DATA + 0x100), ==, 0xff);

    /* RA = 0 means 0, not r0; 32-bit mode truncates the address */
    env->gpr[0] = 0x1000;
    env->gpr[4] = 0xffffffff00000000ULL | (DATA + 0x1ff);
    env->msr &= ~MSR_SF;
    run1(DCBZ(0, 4));
    g_assert_cmpuint(byte_at(DATA + 0x17f), ==, 0xff);
    g_assert_cmpuint(byte_at(DATA + 0x180), ==, 0);
    g_assert_cmpuint(byte_at(DATA + 0x1ff), ==, 0);
    g_assert_cmphex(env->nip, ==, CODE + 8);
}

/* Two blocks in one run: the second takes the soft TLB's fast path. */
static void test_dcbz_twice(void)
{
    const uint32_t insns[] = { DCBZ(0, 3), DCBZ(0, 4) };

    fresh();
    guest_memset(DATA, 0xff, 0x300);
    env->gpr[3] = DATA + 0x100;
    env->gpr[4] = DATA + 0x200;
    run(insns, 2);
    for (uint64_t a = DATA; a < DATA + 0x300; a++) {
        bool zeroed =
            (a >= DATA + 0x100 && a < DATA + 0x180) || (a >= DATA + 0x200 && a < DATA + 0x280);

        g_assert_cmpuint(byte_at(a), ==, zeroed ? 0 : 0xff);
    }
}

/* Outside RAM: a machine check, and nothing written. */
static void test_dcbz_outside_ram(void)
{
    fresh();
    env->gpr[4] = 32 * MiB;
    run1(DCBZ(0, 4));
    g_assert_cmphex(env->nip, ==, 0x204);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, CODE);
}

/* dcbz over translated code: the zeroed word is then fetched afresh. */
static void test_dcbz_code(void)
{
    const uint32_t insns[] = { DCBZ(0, 4), 0x48000000u | 0x7c /* b .+0x7c */ };

    fresh();
    guest_stl_be(CODE + 0x80, HARNESS_SC1);
    env->gpr[4] = DATA;
    run(insns, 2);
    g_assert_cmphex(env->nip, ==, CODE + 0x84);
    env->gpr[4] = CODE + 0x80;
    rerun();
    assert_illegal(CODE + 0x80);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-system/spr-roundtrip", test_spr_roundtrip);
    g_test_add_func("/ppc-system/spr-32bit", test_spr_32bit);
    g_test_add_func("/ppc-system/bescr-views", test_bescr_views);
    g_test_add_func("/ppc-system/lr-ctr-tar", test_lr_ctr_tar);
    g_test_add_func("/ppc-system/xer", test_xer);
    g_test_add_func("/ppc-system/dscr-dsisr", test_dscr_dsisr);
    g_test_add_func("/ppc-system/readonly-unknown", test_readonly_and_unknown);
    g_test_add_func("/ppc-system/readonly-write-privileged", test_readonly_write_privileged);
    g_test_add_func("/ppc-system/ctrl-sprg3", test_ctrl_sprg3);
    g_test_add_func("/ppc-system/hypervisor-sprs", test_hypervisor_sprs);
    g_test_add_func("/ppc-system/undefined-sprs", test_undefined_sprs);
    g_test_add_func("/ppc-system/tm-sprs", test_tm_sprs);
    g_test_add_func("/ppc-system/amr", test_amr);
    g_test_add_func("/ppc-system/problem-state/privileged", test_problem_state_privileged_insns);
    g_test_add_func("/ppc-system/problem-state/user-sprs", test_problem_state_user_sprs);
    g_test_add_func("/ppc-system/problem-state/tar", test_problem_state_tar);
    g_test_add_func("/ppc-system/problem-state/sc", test_problem_state_sc);
    g_test_add_func("/ppc-system/scv-disabled", test_scv_disabled);
    g_test_add_func("/ppc-system/scv", test_scv);
    g_test_add_func("/ppc-system/rfscv", test_rfscv);
    g_test_add_func("/ppc-system/trace/single-step", test_single_step);
    g_test_add_func("/ppc-system/trace/single-step-mtmsrd", test_single_step_mtmsrd);
    g_test_add_func("/ppc-system/trace/single-step-rfid", test_single_step_rfid);
    g_test_add_func("/ppc-system/trace/single-step-interrupt", test_single_step_interrupt);
    g_test_add_func("/ppc-system/trace/branch", test_branch_trace);
    g_test_add_func("/ppc-system/unit-unavailable", test_unit_unavailable);
    g_test_add_func("/ppc-system/time-base", test_time_base);
    g_test_add_func("/ppc-system/spr-reserved-bit", test_spr_reserved_bit);
    g_test_add_func("/ppc-system/mfmsr", test_mfmsr);
    g_test_add_func("/ppc-system/reset-msr", test_reset_msr);
    g_test_add_func("/ppc-system/mtmsrd", test_mtmsrd);
    g_test_add_func("/ppc-system/mtmsrd-l1", test_mtmsrd_l1);
    g_test_add_func("/ppc-system/mtmsr", test_mtmsr);
    g_test_add_func("/ppc-system/mtmsrd-problem-state", test_mtmsrd_problem_state);
    g_test_add_func("/ppc-system/mtmsr-reserved", test_mtmsr_reserved);
    g_test_add_func("/ppc-system/rfid", test_rfid);
    g_test_add_func("/ppc-system/rfid-kept-bits", test_rfid_kept_bits);
    g_test_add_func("/ppc-system/rfid-32bit", test_rfid_32bit);
    g_test_add_func("/ppc-system/rfid-le", test_rfid_le);
    g_test_add_func("/ppc-system/endian-trampoline", test_endian_trampoline);
    g_test_add_func("/ppc-system/barriers-cache-ops", test_barriers_and_cache_ops);
    g_test_add_func("/ppc-system/reserved-forms", test_reserved_forms_illegal);
    g_test_add_func("/ppc-system/dcbz", test_dcbz);
    g_test_add_func("/ppc-system/dcbz-twice", test_dcbz_twice);
    g_test_add_func("/ppc-system/dcbz-outside-ram", test_dcbz_outside_ram);
    g_test_add_func("/ppc-system/dcbz-code", test_dcbz_code);
    return g_test_run();
}

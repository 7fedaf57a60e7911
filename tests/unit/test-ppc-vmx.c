/*
 * VMX cases worked out by hand from Power ISA 3.0B where QEMU 7.2 departs
 * from it (vrldmi's insertion, bcdcpsgn/bcdctsq/bcdsetsgn with vT = vB), and the facility
 * check: MSR[VEC] off gives 0xf20 only for real instructions, and words that
 * are no POWER9 instruction are illegal with MSR[VEC] on or off.
 */
#include "cpu-harness.h"

#define MSR_VEC_BIT (1ull << 25)
#define MSR_LE_BIT 1ull

static PowerPCCPU *cpu;

static ppc_vsr_t *vr(unsigned n)
{
    return &cpu->env.vsr[32 + n];
}

static void set_vr(unsigned n, uint64_t hi, uint64_t lo)
{
    VsrD(vr(n), 0) = hi;
    VsrD(vr(n), 1) = lo;
}

static void setup(bool le)
{
    cpu = harness_fresh(cpu);
    cpu->env.msr |= MSR_VEC_BIT | (le ? MSR_LE_BIT : 0);
}

static void go(uint32_t insn)
{
    harness_run(cpu, &insn, 1);
}

/*
 * vrldmi: rotate each doubleword, then insert under mask mb..me into vD,
 * keeping vD's other bits (QEMU 7.2 zeroes them).
 */
static void test_vrldmi_inserts(void)
{
    for (int le = 0; le < 2; le++) {
        setup(le);
        set_vr(1, 0x1122334455667788ull, 0x1122334455667788ull);
        set_vr(2, 0xffull, 0xffull);
        /* dw 0: mb 56, me 63, sh 8: the rotated 0xff00 has nothing under the mask */
        /* dw 1: mb 56, me 63, sh 0: 0xff goes into the low byte */
        set_vr(3, (56ull << 16) | (63ull << 8) | 8, (56ull << 16) | (63ull << 8) | 0);
        go(4u << 26 | 1u << 21 | 2u << 16 | 3u << 11 | 197);
        g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
        g_assert_cmphex(VsrD(vr(1), 0), ==, 0x1122334455667700ull);
        g_assert_cmphex(VsrD(vr(1), 1), ==, 0x11223344556677ffull);
    }
}

/*
 * bcdcpsgn. vT,vA,vB takes vB's sign even when vT is vB (QEMU 7.2 writes vT
 * first and so copies vA's own sign).
 */
static void test_bcdcpsgn_alias(void)
{
    setup(false);
    set_vr(20, 0, 0x123c); /* +123 */
    set_vr(5, 0, 0x456d);  /* -456 */
    go(4u << 26 | 5u << 21 | 20u << 16 | 5u << 11 | 833);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(VsrD(vr(5), 0), ==, 0);
    g_assert_cmphex(VsrD(vr(5), 1), ==, 0x123d);
    g_assert_cmphex(cpu->env.crf[6], ==, 8); /* LT: negative, nonzero */
}

/*
 * bcdctsq. and bcdsetsgn. with vT = vB set CR6 from vB as it was (QEMU 7.2 reads
 * the result it has already written).
 */
static void test_bcd_alias_cr6(void)
{
    setup(false);
    set_vr(5, 0, 0x123d);                  /* -123 */
    go(0x10000581u | 5u << 21 | 5u << 11); /* bcdctsq. v5,v5 */
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(VsrD(vr(5), 0), ==, ~0ull);
    g_assert_cmphex(VsrD(vr(5), 1), ==, (uint64_t)-123);
    g_assert_cmphex(cpu->env.crf[6], ==, 8); /* LT: the decimal was negative */

    setup(false);
    set_vr(6, 0, 0x1230);                  /* sign code 0: not a valid signed decimal */
    go(0x101f0581u | 6u << 21 | 6u << 11); /* bcdsetsgn. v6,v6,0 */
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(cpu->env.crf[6], ==, 1); /* SO: invalid */
}

/* MSR[VEC] off: a VMX instruction takes 0xf20; a word that is none is illegal. */
static void test_unavailable(void)
{
    static const struct {
        uint32_t insn;
        uint64_t vector;
    } cases[] = {
        { 0x10000484u, 0xf20 }, /* vor */
        { 0x7c0000ceu, 0xf20 }, /* lvx */
        { 0x10000604u, 0xf20 }, /* mfvscr */
        { 0x12345678u, 0x700 }, /* VA-form extended opcode 56: none */
        { 0x10000e04u, 0x700 }, /* mfvscr with a reserved field (vB) set */
        { 0x7c0000cfu, 0x700 }, /* lvx with bit 31 set */
        { 0x7e00066cu, 0 },     /* dssall: no facility needed */
        /* no POWER9 instruction, so illegal, not vector-unavailable (QEMU 7.2: 0xf20,
         * its decoder tries the POWER9 entry that differs in bit 31 first) */
        { 0x10000005u, 0x700 }, /* vrlq (POWER10) */
        { 0x1000000du, 0x700 }, /* VX extended opcode 13 (vmrghb's with bit 31 set) */
        { 0x10000017u, 0x700 }, /* vmsumcud (POWER10) */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        cpu = harness_fresh(cpu);
        /* the harness fills the 0x100-aligned vectors only */
        guest_stl_be(0xf20, HARNESS_SC1);
        go(cases[i].insn);
        if (cases[i].vector) {
            g_assert_cmphex(cpu->env.nip, ==, cases[i].vector + 4);
            g_assert_cmphex(cpu->env.spr[SPR_SRR0], ==, HARNESS_CODE);
        } else {
            g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
        }
    }
}

/*
 * With MSR[VEC] on, a VX-form word with bit 31 set is still no instruction: QEMU 7.2
 * runs 0x1000000d as vmrghb (it ignores bit 31), we take the illegal-instruction
 * interrupt and leave vD alone.
 */
static void test_low_bit_not_ignored(void)
{
    const uint32_t word = 0x1000000du | 1u << 21 | 2u << 16 | 3u << 11;

    setup(false);
    set_vr(1, 0x1111111111111111ull, 0x2222222222222222ull);
    set_vr(2, 0x0001020304050607ull, 0x08090a0b0c0d0e0full);
    set_vr(3, 0x1011121314151617ull, 0x18191a1b1c1d1e1full);
    go(word);
    g_assert_cmphex(cpu->env.nip, ==, 0x700 + 4);
    g_assert_cmphex(cpu->env.spr[SPR_SRR1] & PPC_BIT(44), ==, PPC_BIT(44));
    g_assert_cmphex(VsrD(vr(1), 0), ==, 0x1111111111111111ull);
    g_assert_cmphex(VsrD(vr(1), 1), ==, 0x2222222222222222ull);
    /* the same word with bit 31 clear is vmrghb */
    setup(false);
    set_vr(2, 0x0001020304050607ull, 0x08090a0b0c0d0e0full);
    set_vr(3, 0x1011121314151617ull, 0x18191a1b1c1d1e1full);
    go(word & ~1u);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8);
    g_assert_cmphex(VsrD(vr(1), 0), ==, 0x0010011102120313ull);
    g_assert_cmphex(VsrD(vr(1), 1), ==, 0x0414051506160717ull);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc/vmx/vrldmi-inserts", test_vrldmi_inserts);
    g_test_add_func("/ppc/vmx/bcdcpsgn-alias", test_bcdcpsgn_alias);
    g_test_add_func("/ppc/vmx/bcd-alias-cr6", test_bcd_alias_cr6);
    g_test_add_func("/ppc/vmx/unavailable", test_unavailable);
    g_test_add_func("/ppc/vmx/low-bit-not-ignored", test_low_bit_not_ignored);
    return g_test_run();
}

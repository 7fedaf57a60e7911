/*
 * Unit tests of the fixed-point loads and stores (target/ppc/insn-ldst.c):
 * every form, byte orders, 32-bit mode, invalid forms, and interrupts.
 */
#include "cpu-harness.h"
#include "target/ppc/internal.h"

/* Instruction encodings: D, DS (xo in the low 2 bits), DQ and X forms */
#define D(opcd, rt, ra, d) (((opcd) << 26) | ((rt) << 21) | ((ra) << 16) | ((d)&0xffff))
#define DS(opcd, rt, ra, d, xo) (D(opcd, rt, ra, (d)&0xfffc) | (xo))
#define X(xo, rt, ra, rb) ((31u << 26) | ((rt) << 21) | ((ra) << 16) | ((rb) << 11) | ((xo) << 1))
#define XRC(xo, rt, ra, rb) (X(xo, rt, ra, rb) | 1)

#define LBZ(rt, ra, d) D(34u, rt, ra, d)
#define LBZU(rt, ra, d) D(35u, rt, ra, d)
#define LHZ(rt, ra, d) D(40u, rt, ra, d)
#define LHZU(rt, ra, d) D(41u, rt, ra, d)
#define LHA(rt, ra, d) D(42u, rt, ra, d)
#define LHAU(rt, ra, d) D(43u, rt, ra, d)
#define LWZ(rt, ra, d) D(32u, rt, ra, d)
#define LWZU(rt, ra, d) D(33u, rt, ra, d)
#define LD(rt, ra, d) DS(58u, rt, ra, d, 0)
#define LDU(rt, ra, d) DS(58u, rt, ra, d, 1)
#define LWA(rt, ra, d) DS(58u, rt, ra, d, 2)
#define STB(rs, ra, d) D(38u, rs, ra, d)
#define STBU(rs, ra, d) D(39u, rs, ra, d)
#define STH(rs, ra, d) D(44u, rs, ra, d)
#define STHU(rs, ra, d) D(45u, rs, ra, d)
#define STW(rs, ra, d) D(36u, rs, ra, d)
#define STWU(rs, ra, d) D(37u, rs, ra, d)
#define STD(rs, ra, d) DS(62u, rs, ra, d, 0)
#define STDU(rs, ra, d) DS(62u, rs, ra, d, 1)
#define STQ(rs, ra, d) DS(62u, rs, ra, d, 2)
#define LQ(rt, ra, dq) D(56u, rt, ra, (dq)&0xfff0)
#define LMW(rt, ra, d) D(46u, rt, ra, d)
#define STMW(rs, ra, d) D(47u, rs, ra, d)

#define DATA HARNESS_DATA
#define OUTSIDE_RAM (64 * MiB)

/* A CPU whose machine-check, alignment and program vectors stop the run. */
static PowerPCCPU *new_cpu(void)
{
    PowerPCCPU *cpu = harness_cpu();

    guest_stl_be(PPC_VEC_MACHINE_CHECK, HARNESS_SC1);
    guest_stl_be(PPC_VEC_ALIGNMENT, HARNESS_SC1);
    guest_stl_be(PPC_VEC_PROGRAM, HARNESS_SC1);
    return cpu;
}

static void run1(PowerPCCPU *cpu, uint32_t insn)
{
    harness_run(cpu, &insn, 1);
}

/* The run ended at the sc 1 after the code: no interrupt. */
static void assert_completed(PowerPCCPU *cpu, size_t n)
{
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 4 * n + 4);
}

/* The instruction at index i took the interrupt at vector. */
static void assert_interrupt(PowerPCCPU *cpu, unsigned vector, size_t i)
{
    g_assert_cmphex(cpu->env.nip, ==, vector + 4);
    g_assert_cmphex(cpu->env.spr[SPR_SRR0], ==, HARNESS_CODE + 4 * i);
}

static void assert_illegal(PowerPCCPU *cpu)
{
    assert_interrupt(cpu, PPC_VEC_PROGRAM, 0);
    g_assert_true(cpu->env.spr[SPR_SRR1] & SRR1_PROGRAM_ILLEGAL);
}

static const uint8_t pattern[16] = { 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7,
                                     0x08, 0x19, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f };

static uint64_t mem_be64(uint64_t addr)
{
    uint64_t v;

    g_assert_true(guest_ldq_be(addr, &v));
    return v;
}

static void test_load_d(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        LBZ(3, 1, 0),       LHZ(4, 1, 0),      LHA(5, 1, 0),  LWZ(6, 1, 0),  LWA(7, 1, 0),
        LD(8, 1, 0),        LBZ(9, 2, -1),     LHA(10, 1, 8), LWA(11, 1, 8), LD(12, 2, -8),
        LWZ(13, 0, 0x1004), LD(14, 0, 0x1000), LHZ(15, 1, 3),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    guest_write(0x1000, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = DATA + 8;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x80);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x8091);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xffffffffffff8091ULL);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[7], ==, 0xffffffff8091a2b3ULL);
    g_assert_cmphex(cpu->env.gpr[8], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(cpu->env.gpr[9], ==, 0xf7);
    g_assert_cmphex(cpu->env.gpr[10], ==, 0x0819);
    g_assert_cmphex(cpu->env.gpr[11], ==, 0x08192a3b);
    g_assert_cmphex(cpu->env.gpr[12], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(cpu->env.gpr[13], ==, 0xc4d5e6f7);
    g_assert_cmphex(cpu->env.gpr[14], ==, 0x8091a2b3c4d5e6f7ULL);
    /* Unaligned accesses are fine for plain loads */
    g_assert_cmphex(cpu->env.gpr[15], ==, 0xb3c4);
    ppc_cpu_free(cpu);
}

static void test_load_x(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        X(87, 3, 1, 2), X(279, 4, 1, 2), X(343, 5, 1, 2),   X(23, 6, 1, 2),    X(341, 7, 1, 2),
        X(21, 8, 1, 2), X(87, 9, 0, 20), X(343, 10, 0, 21), X(341, 11, 0, 21), X(21, 12, 0, 20),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA - 0x100;
    cpu->env.gpr[2] = 0x100;
    cpu->env.gpr[20] = DATA;
    cpu->env.gpr[21] = DATA + 8;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x80);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x8091);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xffffffffffff8091ULL);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[7], ==, 0xffffffff8091a2b3ULL);
    g_assert_cmphex(cpu->env.gpr[8], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(cpu->env.gpr[9], ==, 0x80);
    g_assert_cmphex(cpu->env.gpr[10], ==, 0x0819);
    g_assert_cmphex(cpu->env.gpr[11], ==, 0x08192a3b);
    g_assert_cmphex(cpu->env.gpr[12], ==, 0x8091a2b3c4d5e6f7ULL);
    ppc_cpu_free(cpu);
}

static void test_load_update(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        LBZU(3, 1, 1),   LHZU(4, 1, 1),    LHAU(5, 1, -2),   LWZU(6, 1, 4),
        LDU(7, 1, 4),    X(119, 8, 2, 9),  X(311, 10, 2, 9), X(375, 11, 2, 9),
        X(55, 12, 2, 9), X(373, 13, 2, 9), X(53, 14, 2, 9),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = DATA - 2;
    cpu->env.gpr[9] = 2;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x91);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0xa2b3);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xffffffffffff8091ULL);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0xc4d5e6f7);
    g_assert_cmphex(cpu->env.gpr[7], ==, 0x08192a3b4c5d6e7fULL);
    g_assert_cmphex(cpu->env.gpr[1], ==, DATA + 8);
    /* The indexed forms step r2 by 2 each time */
    g_assert_cmphex(cpu->env.gpr[8], ==, 0x80);
    g_assert_cmphex(cpu->env.gpr[10], ==, 0xa2b3);
    g_assert_cmphex(cpu->env.gpr[11], ==, 0xffffffffffffc4d5ULL);
    g_assert_cmphex(cpu->env.gpr[12], ==, 0xe6f70819);
    g_assert_cmphex(cpu->env.gpr[13], ==, 0x08192a3b);
    g_assert_cmphex(cpu->env.gpr[14], ==, 0x2a3b4c5d6e7f0000ULL);
    g_assert_cmphex(cpu->env.gpr[2], ==, DATA + 10);
    ppc_cpu_free(cpu);
}

static void test_store(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        STD(3, 1, 0),     STW(4, 1, 8),     STH(5, 1, 12),    STB(6, 1, 14),     X(149, 3, 2, 20),
        X(151, 4, 2, 21), X(407, 5, 0, 22), X(215, 6, 0, 23), STW(4, 0, 0x1000),
    };

    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = 0x10;
    cpu->env.gpr[20] = DATA;
    cpu->env.gpr[21] = DATA + 8;
    cpu->env.gpr[22] = DATA + 0x1c;
    cpu->env.gpr[23] = DATA + 0x1e;
    cpu->env.gpr[3] = 0x0123456789abcdefULL;
    cpu->env.gpr[4] = 0xdeadbeef11223344ULL;
    cpu->env.gpr[5] = 0xffffffffffff5566ULL;
    cpu->env.gpr[6] = 0x1234567890abcd77ULL;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(mem_be64(DATA), ==, 0x0123456789abcdefULL);
    g_assert_cmphex(mem_be64(DATA + 8), ==, 0x1122334455667700ULL);
    g_assert_cmphex(mem_be64(DATA + 0x10), ==, 0x0123456789abcdefULL);
    g_assert_cmphex(mem_be64(DATA + 0x18), ==, 0x1122334455667700ULL);
    g_assert_cmphex(mem_be64(0x1000) >> 32, ==, 0x11223344);
    ppc_cpu_free(cpu);
}

static void test_store_update(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        STBU(3, 1, 1),   STHU(3, 1, 1),   STWU(3, 1, 2),   STDU(3, 1, 4), X(247, 3, 2, 9),
        X(439, 3, 2, 9), X(183, 3, 2, 9), X(181, 3, 2, 9), STWU(4, 4, 8), /* RS = RA: the old value is stored */
    };

    cpu->env.gpr[1] = DATA - 1;
    cpu->env.gpr[2] = DATA + 0x10 - 8;
    cpu->env.gpr[3] = 0x0102030405060708ULL;
    cpu->env.gpr[4] = DATA + 0x40;
    cpu->env.gpr[9] = 8;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    /* 08 | 07 08 | 05 06 07 08 | 01 02 .. 08, each at the previous EA + D */
    g_assert_cmphex(cpu->env.gpr[1], ==, DATA + 7);
    g_assert_cmphex(mem_be64(DATA), ==, 0x0807080506070801ULL);
    g_assert_cmphex(mem_be64(DATA + 8), ==, 0x0203040506070800ULL);
    g_assert_cmphex(cpu->env.gpr[2], ==, DATA + 0x28);
    g_assert_cmphex(mem_be64(DATA + 0x10), ==, 0x0800000000000000ULL);
    g_assert_cmphex(mem_be64(DATA + 0x18), ==, 0x0708000000000000ULL);
    g_assert_cmphex(mem_be64(DATA + 0x20), ==, 0x0506070800000000ULL);
    g_assert_cmphex(mem_be64(DATA + 0x28), ==, 0x0102030405060708ULL);
    g_assert_cmphex(mem_be64(DATA + 0x48) >> 32, ==, DATA + 0x40);
    g_assert_cmphex(cpu->env.gpr[4], ==, DATA + 0x48);
    ppc_cpu_free(cpu);
}

/* Update forms with RA=0, update loads with RA=RT, and Rc=1 X forms */
static void test_invalid_forms(void)
{
    const uint32_t bad[] = {
        /* update forms: RA=0, and loads with RA=RT */
        LBZU(3, 0, 0),
        LBZU(3, 3, 0),
        LHZU(5, 5, 0),
        LHAU(0, 0, 0),
        LWZU(7, 7, 4),
        LDU(8, 8, 0),
        LDU(8, 0, 0),
        X(119, 3, 3, 4),
        X(311, 3, 0, 4),
        X(375, 6, 6, 1),
        X(55, 3, 3, 4),
        X(373, 3, 3, 4),
        X(373, 3, 0, 4),
        X(53, 9, 9, 1),
        STBU(3, 0, 0),
        STHU(3, 0, 0),
        STWU(3, 0, 0),
        STDU(3, 0, 0),
        X(247, 3, 0, 4),
        X(439, 3, 0, 4),
        X(183, 3, 0, 4),
        X(181, 3, 0, 4),
        /* bit 31 set where QEMU 7.2 refuses it: byte-reversed loads, strings */
        XRC(790, 3, 1, 2),
        XRC(534, 3, 1, 2),
        XRC(532, 3, 1, 2),
        XRC(533, 3, 1, 2),
        XRC(597, 3, 1, 2),
        XRC(725, 3, 1, 2),
        XRC(661, 3, 1, 2),
        /* opcodes 58 and 62 with XO 3 */
        DS(58u, 3, 1, 0, 3),
        DS(62u, 3, 1, 0, 3),
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        PowerPCCPU *cpu = new_cpu();

        for (int r = 0; r < 32; r++) {
            cpu->env.gpr[r] = DATA + 16 * r;
        }
        run1(cpu, bad[i]);
        assert_illegal(cpu);
        for (int r = 0; r < 32; r++) {
            g_assert_cmphex(cpu->env.gpr[r], ==, DATA + 16 * r);
        }
        ppc_cpu_free(cpu);
    }
}

/*
 * Bit 31 set in the plain indexed forms and byte-reversed stores, clear in a
 * store conditional: QEMU 7.2 ignores it, and so do we.
 */
static void test_ignored_bit31(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = { XRC(87, 3, 1, 2), XRC(151, 3, 1, 20), XRC(662, 3, 1, 21),
                               X(20, 4, 0, 1), X(150, 5, 0, 1) };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = 1;
    cpu->env.gpr[5] = 0x55555555;
    cpu->env.gpr[20] = 0x20;
    cpu->env.gpr[21] = 0x24;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x91);
    g_assert_cmphex(mem_be64(DATA + 0x20), ==, 0x0000009191000000ULL);
    g_assert_cmphex(cpu->env.crf[0], ==, CRF_EQ);
    g_assert_cmphex(mem_be64(DATA) >> 32, ==, 0x55555555);
    ppc_cpu_free(cpu);
}

static void test_byte_reversed(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        X(790, 3, 1, 2),   X(534, 4, 1, 2),   X(532, 5, 1, 2),   X(790, 6, 0, 20),
        X(918, 10, 1, 21), X(662, 10, 1, 22), X(660, 10, 1, 23),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = 0;
    cpu->env.gpr[20] = DATA + 8;
    cpu->env.gpr[21] = 0x20;
    cpu->env.gpr[22] = 0x28;
    cpu->env.gpr[23] = 0x30;
    cpu->env.gpr[10] = 0x0123456789abcdefULL;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x9180);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0xb3a29180);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xf7e6d5c4b3a29180ULL);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0x1908);
    g_assert_cmphex(mem_be64(DATA + 0x20) >> 48, ==, 0xefcd);
    g_assert_cmphex(mem_be64(DATA + 0x28) >> 32, ==, 0xefcdab89);
    g_assert_cmphex(mem_be64(DATA + 0x30), ==, 0xefcdab8967452301ULL);
    ppc_cpu_free(cpu);
}

/* MSR[LE]: data in little-endian order; the byte-reversed forms read big-endian */
static void test_little_endian(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        LHZ(3, 1, 0),    LHA(4, 1, 0),    LWZ(5, 1, 0),    LD(6, 1, 0),
        LWA(7, 1, 0),    X(534, 8, 0, 1), X(532, 9, 0, 1), STD(6, 1, 0x10),
        STW(5, 1, 0x18), STH(3, 1, 0x1c), X(662, 5, 1, 2),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.msr |= MSR_LE;
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = 0x20;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x9180);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0xffffffffffff9180ULL);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xb3a29180);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0xf7e6d5c4b3a29180ULL);
    g_assert_cmphex(cpu->env.gpr[7], ==, 0xffffffffb3a29180ULL);
    g_assert_cmphex(cpu->env.gpr[8], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[9], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(mem_be64(DATA + 0x10), ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(mem_be64(DATA + 0x18), ==, 0x8091a2b380910000ULL);
    g_assert_cmphex(mem_be64(DATA + 0x20) >> 32, ==, 0xb3a29180);
    ppc_cpu_free(cpu);
}

/* MSR[SF]=0: EAs wrap at 4 GiB and update forms write the 32-bit EA */
static void test_32bit_mode(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = {
        LWZ(3, 1, 0),
        LBZU(4, 2, 8),
        X(21, 5, 6, 7),
        STW(3, 6, 0x10),
    };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.msr &= ~MSR_SF;
    cpu->env.gpr[1] = 0xffffffff00000000ULL | DATA;
    cpu->env.gpr[2] = 0xfffffffcULL;  /* + 8 wraps to 4 */
    cpu->env.gpr[6] = 0x100000000ULL; /* + 0x20000 = 0x1_0002_0000: truncated */
    cpu->env.gpr[7] = DATA;
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[3], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[2], ==, 4);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(mem_be64(0x10) >> 32, ==, 0x8091a2b3);
    ppc_cpu_free(cpu);
}

/* An access outside RAM: machine check, and no register changes */
static void test_fault_leaves_registers(void)
{
    const uint32_t insns[] = { LWZU(3, 1, 0), X(53, 3, 1, 2), STDU(3, 1, 0), LD(3, 1, 0) };

    for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.gpr[1] = OUTSIDE_RAM;
        cpu->env.gpr[2] = 8;
        cpu->env.gpr[3] = 0x33;
        run1(cpu, insns[i]);
        assert_interrupt(cpu, PPC_VEC_MACHINE_CHECK, 0);
        g_assert_cmphex(cpu->env.gpr[1], ==, OUTSIDE_RAM);
        g_assert_cmphex(cpu->env.gpr[3], ==, 0x33);
        ppc_cpu_free(cpu);
    }
}

static void test_multiple(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = { STMW(28, 1, 4), LMW(27, 1, 0) };

    cpu->env.gpr[1] = DATA;
    for (int r = 27; r < 32; r++) {
        cpu->env.gpr[r] = 0xaaaaaaaa00000000ULL | (0x1111 * r);
    }
    guest_stl_be(DATA, 0xfedcba98);
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(mem_be64(DATA + 8), ==, (0x1111ULL * 29 << 32) | 0x1111 * 30);
    g_assert_cmphex(cpu->env.gpr[27], ==, 0xfedcba98);
    for (int r = 28; r < 32; r++) {
        g_assert_cmphex(cpu->env.gpr[r], ==, 0x1111 * r);
    }
    ppc_cpu_free(cpu);
}

/* Multiple and string forms in little-endian mode: alignment interrupt */
static void test_multiple_string_le(void)
{
    const uint32_t insns[] = { LMW(28, 1, 8),    STMW(28, 1, 8),   X(597, 28, 1, 4),
                               X(725, 28, 1, 4), X(533, 28, 1, 2), X(661, 28, 1, 2) };
    const uint64_t ea[] = { DATA + 8, DATA + 8, DATA, DATA, DATA + 8, DATA + 8 };

    for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.msr |= MSR_LE;
        cpu->env.gpr[1] = DATA;
        cpu->env.gpr[2] = 8;
        cpu->env.gpr[28] = 0x28;
        ppc_set_xer(&cpu->env, 8);
        run1(cpu, insns[i]);
        assert_interrupt(cpu, PPC_VEC_ALIGNMENT, 0);
        g_assert_cmphex(cpu->env.spr[SPR_DAR], ==, ea[i]);
        g_assert_cmphex(cpu->env.spr[SPR_DSISR] & 0x3ff, ==, (28 << 5) | 1);
        g_assert_cmphex(cpu->env.gpr[28], ==, 0x28);
        g_assert_cmphex(mem_be64(DATA + 8), ==, 0);
        ppc_cpu_free(cpu);
    }
}

static void test_string_imm(void)
{
    PowerPCCPU *cpu = new_cpu();
    /* lswi r5,r1,7; lswi r29,r2,16 (wrapping to r0); lswi r8,r1,0 (32 bytes); stswi r5,r3,7 */
    const uint32_t insns[] = { X(597, 5, 1, 7), X(597, 29, 2, 16), X(597, 8, 1, 0),
                               X(725, 5, 3, 7) };

    guest_write(DATA, pattern, sizeof(pattern));
    guest_write(DATA + 16, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = DATA;
    cpu->env.gpr[3] = DATA + 0x40;
    cpu->env.gpr[6] = -1;
    guest_stq_be(DATA + 0x40, 0x1111111111111111ULL);
    harness_run(cpu, insns, ARRAY_SIZE(insns));
    assert_completed(cpu, ARRAY_SIZE(insns));
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[6], ==, 0xc4d5e600);
    g_assert_cmphex(cpu->env.gpr[29], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[30], ==, 0xc4d5e6f7);
    g_assert_cmphex(cpu->env.gpr[31], ==, 0x08192a3b);
    g_assert_cmphex(cpu->env.gpr[0], ==, 0x4c5d6e7f);
    g_assert_cmphex(cpu->env.gpr[8], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[10], ==, 0x08192a3b);
    g_assert_cmphex(cpu->env.gpr[12], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[15], ==, 0x4c5d6e7f);
    g_assert_cmphex(mem_be64(DATA + 0x40), ==, 0x8091a2b3c4d5e611ULL);
    ppc_cpu_free(cpu);
}

static void test_string_indexed(void)
{
    PowerPCCPU *cpu = new_cpu();
    /* lswx r10,r1,r2; stswx r10,r3,r4 with 6 bytes; then with a count of 0 */
    const uint32_t insns[] = { X(533, 10, 1, 2), X(661, 10, 3, 4) };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA - 4;
    cpu->env.gpr[2] = 4;
    cpu->env.gpr[3] = DATA + 0x40;
    cpu->env.gpr[4] = 1;
    cpu->env.gpr[11] = -1;
    ppc_set_xer(&cpu->env, 6);
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(cpu->env.gpr[10], ==, 0x8091a2b3);
    g_assert_cmphex(cpu->env.gpr[11], ==, 0xc4d50000);
    g_assert_cmphex(mem_be64(DATA + 0x40), ==, 0x008091a2b3c4d500ULL);

    cpu->env.gpr[10] = 7;
    ppc_set_xer(&cpu->env, 0);
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(cpu->env.gpr[10], ==, 7);
    ppc_cpu_free(cpu);
}

/* lswi with RA among its targets; lswx with RB among them: illegal */
static void test_string_invalid(void)
{
    const uint32_t insns[] = { X(597, 5, 6, 8), X(597, 30, 0, 12), X(533, 5, 1, 6) };

    for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.gpr[1] = DATA;
        cpu->env.gpr[6] = 0;
        ppc_set_xer(&cpu->env, 8);
        run1(cpu, insns[i]);
        assert_illegal(cpu);
        g_assert_cmphex(cpu->env.gpr[5], ==, 0);
        ppc_cpu_free(cpu);
    }
}

static void test_quad(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = { LQ(4, 1, 0), STQ(4, 1, 0x20) };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x08192a3b4c5d6e7fULL);
    g_assert_cmphex(mem_be64(DATA + 0x20), ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(mem_be64(DATA + 0x28), ==, 0x08192a3b4c5d6e7fULL);
    ppc_cpu_free(cpu);

    /* Little-endian: the 16 bytes are one integer; RTp gets its high half */
    cpu = new_cpu();
    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.msr |= MSR_LE;
    cpu->env.gpr[1] = DATA;
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x7f6e5d4c3b2a1908ULL);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0xf7e6d5c4b3a29180ULL);
    g_assert_cmphex(mem_be64(DATA + 0x20), ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(mem_be64(DATA + 0x28), ==, 0x08192a3b4c5d6e7fULL);
    ppc_cpu_free(cpu);
}

static void test_quad_errors(void)
{
    /* misaligned lq, stq, lqarx and stqcx.: alignment interrupt */
    const uint32_t misaligned[] = { LQ(4, 1, 0), STQ(4, 1, 0), X(276, 4, 0, 1), XRC(182, 4, 0, 1) };
    /* lq RTp odd or = RA; stq RSp odd; lqarx RTp odd or = RA/RB; stqcx. odd */
    const uint32_t invalid[] = { LQ(5, 1, 0),      LQ(4, 4, 0),     STQ(5, 1, 0),
                                 X(276, 5, 0, 1),  X(276, 4, 4, 1), X(276, 4, 1, 4),
                                 XRC(182, 5, 0, 1) };

    for (size_t i = 0; i < ARRAY_SIZE(misaligned); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.gpr[1] = DATA + 8;
        cpu->env.gpr[4] = 0x44;
        run1(cpu, misaligned[i]);
        assert_interrupt(cpu, PPC_VEC_ALIGNMENT, 0);
        g_assert_cmphex(cpu->env.spr[SPR_DAR], ==, DATA + 8);
        g_assert_cmphex(cpu->env.gpr[4], ==, 0x44);
        g_assert_cmphex(mem_be64(DATA + 8), ==, 0);
        ppc_cpu_free(cpu);
    }
    for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.gpr[1] = DATA;
        cpu->env.gpr[4] = DATA;
        run1(cpu, invalid[i]);
        assert_illegal(cpu);
        ppc_cpu_free(cpu);
    }
}

/* larx then stcx. of each width: success once, then the reservation is gone */
static void test_reservation_pairs(void)
{
    static const struct {
        unsigned larx, stcx, size;
    } pairs[] = { { 52, 694, 1 }, { 116, 726, 2 }, { 20, 150, 4 }, { 84, 214, 8 } };

    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
        PowerPCCPU *cpu = new_cpu();
        const uint32_t insns[] = { X(pairs[i].larx, 3, 0, 1), XRC(pairs[i].stcx, 4, 0, 1) };
        unsigned shift = 64 - 8 * pairs[i].size;

        guest_write(DATA, pattern, sizeof(pattern));
        cpu->env.gpr[1] = DATA;
        cpu->env.gpr[4] = 0x0123456789abcdefULL;
        cpu->env.so = 1;
        harness_run(cpu, insns, 2);
        assert_completed(cpu, 2);
        g_assert_cmphex(cpu->env.gpr[3], ==, 0x8091a2b3c4d5e6f7ULL >> shift);
        g_assert_cmphex(cpu->env.crf[0], ==, CRF_EQ | CRF_SO);
        g_assert_cmphex(mem_be64(DATA) >> shift, ==, 0x0123456789abcdefULL << shift >> shift);
        g_assert_cmphex(cpu->env.reserve_addr, ==, (uint64_t)-1);
        /* Again without a reservation: fails, CR0 = SO only, memory kept */
        cpu->env.gpr[4] = 0;
        run1(cpu, insns[1]);
        assert_completed(cpu, 1);
        g_assert_cmphex(cpu->env.crf[0], ==, CRF_SO);
        g_assert_cmphex(mem_be64(DATA) >> shift, ==, 0x0123456789abcdefULL << shift >> shift);
        ppc_cpu_free(cpu);
    }
}

static void test_reservation_lost(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t lwarx = X(20, 3, 0, 1), stwcx = XRC(150, 4, 0, 1);
    const uint32_t changed[] = { lwarx, STW(6, 1, 0), stwcx };
    const uint32_t same_value[] = { lwarx, STW(3, 1, 0), stwcx };
    const uint32_t other_addr[] = { lwarx, XRC(150, 4, 0, 2) };
    const uint32_t other_len[] = { X(52, 3, 0, 1), stwcx };

    guest_stl_be(DATA, 0x11111111);
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[2] = DATA + 4;
    cpu->env.gpr[4] = 0x44444444;
    cpu->env.gpr[6] = 0x66666666;
    /* Memory changed since the lwarx: fails, and stores nothing */
    harness_run(cpu, changed, 3);
    g_assert_cmphex(cpu->env.crf[0], ==, 0);
    g_assert_cmphex(mem_be64(DATA) >> 32, ==, 0x66666666);
    /* Rewritten with the same value: QEMU's rule says it still succeeds */
    harness_run(cpu, same_value, 3);
    g_assert_cmphex(cpu->env.crf[0], ==, CRF_EQ);
    g_assert_cmphex(mem_be64(DATA) >> 32, ==, 0x44444444);
    harness_run(cpu, other_addr, 2);
    g_assert_cmphex(cpu->env.crf[0], ==, 0);
    g_assert_cmphex(mem_be64(DATA) >> 32, ==, 0x44444444);
    g_assert_cmphex(mem_be64(DATA + 4) >> 32, ==, 0);
    harness_run(cpu, other_len, 2);
    g_assert_cmphex(cpu->env.crf[0], ==, 0);
    g_assert_cmphex(mem_be64(DATA) >> 32, ==, 0x44444444);
    /* No reservation at all */
    run1(cpu, stwcx);
    assert_completed(cpu, 1);
    g_assert_cmphex(cpu->env.crf[0], ==, 0);
    ppc_cpu_free(cpu);
}

/* Misaligned larx/stcx.: alignment interrupt, DAR = EA, DSISR[22:31] = RT||RA */
static void test_reservation_alignment(void)
{
    const uint32_t insns[] = { X(116, 3, 0, 1),   X(20, 3, 0, 1),    X(84, 3, 0, 1),
                               XRC(726, 3, 0, 1), XRC(150, 3, 0, 1), XRC(214, 3, 0, 1) };

    for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
        PowerPCCPU *cpu = new_cpu();

        cpu->env.gpr[1] = DATA + 1;
        cpu->env.gpr[3] = 0x33;
        run1(cpu, insns[i]);
        assert_interrupt(cpu, PPC_VEC_ALIGNMENT, 0);
        g_assert_cmphex(cpu->env.spr[SPR_DAR], ==, DATA + 1);
        g_assert_cmphex(cpu->env.spr[SPR_DSISR], ==, 3 << 5);
        g_assert_cmphex(cpu->env.gpr[3], ==, 0x33);
        g_assert_cmphex(mem_be64(DATA), ==, 0);
        ppc_cpu_free(cpu);
    }
}

static void test_quad_reservation(void)
{
    PowerPCCPU *cpu = new_cpu();
    const uint32_t insns[] = { X(276, 4, 0, 1), XRC(182, 6, 0, 1) };

    guest_write(DATA, pattern, sizeof(pattern));
    cpu->env.gpr[1] = DATA;
    cpu->env.gpr[6] = 0x6666666666666666ULL;
    cpu->env.gpr[7] = 0x7777777777777777ULL;
    harness_run(cpu, insns, 2);
    assert_completed(cpu, 2);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x8091a2b3c4d5e6f7ULL);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x08192a3b4c5d6e7fULL);
    g_assert_cmphex(cpu->env.crf[0], ==, CRF_EQ);
    g_assert_cmphex(mem_be64(DATA), ==, 0x6666666666666666ULL);
    g_assert_cmphex(mem_be64(DATA + 8), ==, 0x7777777777777777ULL);
    /* The second half changed under the reservation: fails */
    guest_write(DATA, pattern, sizeof(pattern));
    run1(cpu, insns[0]);
    guest_stb(DATA + 15, 0);
    run1(cpu, insns[1]);
    g_assert_cmphex(cpu->env.crf[0], ==, 0);
    g_assert_cmphex(mem_be64(DATA), ==, 0x8091a2b3c4d5e6f7ULL);
    ppc_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-ldst/load-d", test_load_d);
    g_test_add_func("/ppc-ldst/load-x", test_load_x);
    g_test_add_func("/ppc-ldst/load-update", test_load_update);
    g_test_add_func("/ppc-ldst/store", test_store);
    g_test_add_func("/ppc-ldst/store-update", test_store_update);
    g_test_add_func("/ppc-ldst/invalid-forms", test_invalid_forms);
    g_test_add_func("/ppc-ldst/ignored-bit31", test_ignored_bit31);
    g_test_add_func("/ppc-ldst/byte-reversed", test_byte_reversed);
    g_test_add_func("/ppc-ldst/little-endian", test_little_endian);
    g_test_add_func("/ppc-ldst/32bit-mode", test_32bit_mode);
    g_test_add_func("/ppc-ldst/fault-leaves-registers", test_fault_leaves_registers);
    g_test_add_func("/ppc-ldst/multiple", test_multiple);
    g_test_add_func("/ppc-ldst/multiple-string-le", test_multiple_string_le);
    g_test_add_func("/ppc-ldst/string-imm", test_string_imm);
    g_test_add_func("/ppc-ldst/string-indexed", test_string_indexed);
    g_test_add_func("/ppc-ldst/string-invalid", test_string_invalid);
    g_test_add_func("/ppc-ldst/quad", test_quad);
    g_test_add_func("/ppc-ldst/quad-errors", test_quad_errors);
    g_test_add_func("/ppc-ldst/reservation-pairs", test_reservation_pairs);
    g_test_add_func("/ppc-ldst/reservation-lost", test_reservation_lost);
    g_test_add_func("/ppc-ldst/reservation-alignment", test_reservation_alignment);
    g_test_add_func("/ppc-ldst/quad-reservation", test_quad_reservation);
    return g_test_run();
}

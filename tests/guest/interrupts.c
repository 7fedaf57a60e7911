/* Synchronous interrupts a partition sees, with SRR0/SRR1 (and FSCR, LR, CTR where
 * they take part), checked against QEMU 7.2: system call (sc), privileged
 * program interrupt, floating-point/vector/VSX unavailable, facility unavailable
 * and system call vectored (scv), trace (MSR[SE] single step and MSR[BE] branch
 * trace) and an access outside RAM. The trace and scv handlers are written here
 * (big-endian, as every interrupt is taken) over free space: 0xd00 (trace, after
 * the runtime's four words are saved) and 0x17000 (scv). */
#include "insn.h"

#define VEC_MACHINE_CHECK 0x200
#define VEC_PROGRAM 0x700
#define VEC_FP_UNAVAIL 0x800
#define VEC_SYSCALL 0xc00
#define VEC_VMX_UNAVAIL 0xf20
#define VEC_VSX_UNAVAIL 0xf40
#define VEC_FAC_UNAVAIL 0xf60
#define SRR1_PRIV PPC_BIT(45)

#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)
#define MSR_SE PPC_BIT(53)
#define MSR_BE PPC_BIT(54)

#define SPR_CTR 9
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_FSCR 153
#define SPR_SPRG0 272
#define SPR_SPRG1 273
#define SPR_SIAR 796
#define FSCR_SCV PPC_BIT(51)
#define FSCR_IC(fscr) ((fscr) >> 56)
#define FSCR_IC_SCV 12

/* Instruction words for code this program writes at run time (big-endian handlers). */
#define MFSPR(rt, spr)                                                                             \
    ((31u << 26) | ((rt) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (339 << 1))
#define MTSPR(spr, rs)                                                                             \
    ((31u << 26) | ((rs) << 21) | (((spr)&0x1f) << 16) | (((spr) >> 5) << 11) | (467 << 1))
#define LIS(rt, v) ((15u << 26) | ((rt) << 21) | ((v)&0xffff))
#define ORI(ra, rs, v) ((24u << 26) | ((rs) << 21) | ((ra) << 16) | ((v)&0xffff))
#define LI(rt, v) ((14u << 26) | ((rt) << 21) | ((v)&0xffff))
#define ADDI(rt, ra, v) ((14u << 26) | ((rt) << 21) | ((ra) << 16) | ((v)&0xffff))
#define LD(rt, d, ra) ((58u << 26) | ((rt) << 21) | ((ra) << 16) | ((d)&0xfffc))
#define STD(rs, d, ra) ((62u << 26) | ((rs) << 21) | ((ra) << 16) | ((d)&0xfffc))
#define AND(ra, rs, rb) ((31u << 26) | ((rs) << 21) | ((ra) << 16) | ((rb) << 11) | (28 << 1))
#define MFMSR(rt) ((31u << 26) | ((rt) << 21) | (83 << 1))
#define B(from, to) ((18u << 26) | (((to) - (from)) & 0x03fffffc))
#define RFID 0x4c000024u
#define RFSCV 0x4c0000a4u

static uint64_t msr(void)
{
    uint64_t m;

    asm volatile("mfmsr %0" : "=r"(m));
    return m;
}

static void set_msr(uint64_t m)
{
    asm volatile("mtmsrd %0" : : "r"(m) : "memory");
}

static uint64_t be64(uint64_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

static uint32_t be32(uint32_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

/* Write big-endian handler words at addr and make them visible to fetch. */
static void write_code(uintptr_t addr, const uint32_t *w, unsigned n, uint32_t *save)
{
    volatile uint32_t *p = (volatile uint32_t *)addr;

    for (unsigned i = 0; i < n; i++) {
        if (save) {
            save[i] = p[i];
        }
        p[i] = be32(w[i]);
    }
    for (unsigned i = 0; i < n; i += 8) {
        asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0" : : "r"(p + i) : "memory");
    }
    asm volatile("sync\n\tisync" ::: "memory");
}

/* ---- sc --------------------------------------------------------------------------- */

/* sc: SRR0 = the instruction after it, SRR1 = the MSR (the handler skips one nop). */
static void test_sc(void)
{
    struct guest_trap t;
    uint64_t after;

    guest_trap_expect();
    asm volatile("sc\n1:\tnop\n\tlis %0,1b@ha\n\taddi %0,%0,1b@l" : "=b"(after) : : "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_SYSCALL);
    CHECK_EQ(t.srr0, after);
    CHECK_EQ(t.srr1, msr());
}

/* ---- Program interrupt: privileged instruction ------------------------------------ */

/* mfspr of a hypervisor SPR (HSRR0) and hrfid: privileged, SRR0 = the instruction. */
static void test_privileged(void)
{
    struct guest_trap t;
    uint64_t at;

    guest_trap_expect();
    asm volatile("lis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\tmfspr 9,314" : "=b"(at) : : "r9");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr0, at);
    CHECK_EQ(t.srr1, msr() | SRR1_PRIV);
    guest_trap_expect();
    asm volatile("lis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\t.long 0x4c000224" : "=b"(at));
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr0, at);
    CHECK_EQ(t.srr1, msr() | SRR1_PRIV);
}

/* ---- FP, vector and VSX unavailable ------------------------------------------------ */

/*
 * With MSR[FP], MSR[VEC] and MSR[VSX] off (as this program runs), an instruction
 * of the class raises its unavailable interrupt: SRR0 = the instruction, SRR1 =
 * the MSR. The words are ISA encodings (this program is built without FP and
 * vector code); r9 points to a buffer.
 */
#define UNAVAILABLE(word, vec)                                                                     \
    do {                                                                                           \
        struct guest_trap t_;                                                                      \
        uint64_t at_;                                                                              \
                                                                                                   \
        guest_trap_expect();                                                                       \
        asm volatile("mr 9,%1\n\tlis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\t.long " #word                \
                     : "=&b"(at_)                                                                  \
                     : "r"(buf)                                                                    \
                     : "r9", "memory");                                                            \
        guest_trap_taken(&t_);                                                                     \
        if (!CHECK_EQ(t_.vector, vec)) {                                                           \
            guest_printf("  instruction " #word "\n");                                             \
        }                                                                                          \
        CHECK_EQ(t_.srr0, at_);                                                                    \
        CHECK_EQ(t_.srr1, msr());                                                                  \
    } while (0)

static uint64_t buf[8] __attribute__((aligned(64)));

static void test_unit_unavailable(void)
{
    CHECK_EQ(msr() & (MSR_FP | MSR_VEC | MSR_VSX), 0);
    /* floating point: fmr f1,f2; fadd f1,f2,f3; fadds; lfd f1,0(r9); stfd; lfs; lfdx f1,r9,r0 */
    UNAVAILABLE(0xfc201090, VEC_FP_UNAVAIL);
    UNAVAILABLE(0xfc22182a, VEC_FP_UNAVAIL);
    UNAVAILABLE(0xec22182a, VEC_FP_UNAVAIL);
    UNAVAILABLE(0xc8290000, VEC_FP_UNAVAIL);
    UNAVAILABLE(0xd8290000, VEC_FP_UNAVAIL);
    UNAVAILABLE(0xc0290000, VEC_FP_UNAVAIL);
    UNAVAILABLE(0x7c2904ae, VEC_FP_UNAVAIL);
    /* vector: vor v1,v2,v3; vaddubm; lvx v1,r9,r0 (RA=r9); stvx; mfvscr v1 */
    UNAVAILABLE(0x10221c84, VEC_VMX_UNAVAIL);
    UNAVAILABLE(0x10221800, VEC_VMX_UNAVAIL);
    UNAVAILABLE(0x7c2900ce, VEC_VMX_UNAVAIL);
    UNAVAILABLE(0x7c2901ce, VEC_VMX_UNAVAIL);
    UNAVAILABLE(0x10200604, VEC_VMX_UNAVAIL);
    /* VSX: xxlor vs1,vs2,vs3; lxvd2x vs1,r9,r0; stxvd2x; lxv vs1,0(r9); lxvx */
    UNAVAILABLE(0xf0221c90, VEC_VSX_UNAVAIL);
    UNAVAILABLE(0x7c290698, VEC_VSX_UNAVAIL);
    UNAVAILABLE(0x7c290798, VEC_VSX_UNAVAIL);
    UNAVAILABLE(0xf4290001, VEC_VSX_UNAVAIL);
    UNAVAILABLE(0x7c290218, VEC_VSX_UNAVAIL);
}

/* ---- scv and the facility unavailable interrupt ----------------------------------- */

/* Where the handlers write: LR, CTR, the MSR in the handler and LEV, big-endian. */
static volatile uint64_t scv_rec[4];
extern char __stack_top[];

#define SCV_BASE 0x17000
#define SCV_COMMON (SCV_BASE + 0x100)

static void install_scv(void)
{
    uintptr_t rec = (uintptr_t)scv_rec;
    const uint32_t common[] = {
        LIS(4, rec >> 16), ORI(4, 4, rec), MFSPR(3, 8),   STD(3, 0, 4),  MFSPR(3, SPR_CTR),
        STD(3, 8, 4),      MFMSR(3),       STD(3, 16, 4), STD(5, 24, 4), RFSCV,
    };

    for (unsigned lev = 0; lev < 3; lev++) {
        const uint32_t entry[] = { LI(5, lev), B(SCV_BASE + 32 * lev + 4, SCV_COMMON) };

        write_code(SCV_BASE + 32 * lev, entry, 2, NULL);
    }
    write_code(SCV_COMMON, common, sizeof(common) / 4, NULL);
}

/* scv LEV: returns LR and CTR as the handler saw them; r3-r5 are the handler's. */
#define SCV(lev, after)                                                                            \
    asm volatile(".long 0x44000001 | (" #lev " << 5)\n1:\tlis %0,1b@ha\n\taddi %0,%0,1b@l"         \
                 : "=b"(after)                                                                     \
                 :                                                                                 \
                 : "r3", "r4", "r5", "lr", "ctr", "memory")

static void test_scv(void)
{
    struct guest_trap t;
    uint64_t after, fscr, m = msr();

    /* FSCR[SCV] = 0: facility unavailable at the scv, FSCR[IC] = 12 */
    asm volatile("mtspr %0,%1" : : "i"(SPR_FSCR), "r"(0ULL));
    guest_trap_expect();
    asm volatile("lis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\t.long 0x44000001"
                 : "=b"(after)
                 :
                 : "lr", "ctr", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_FAC_UNAVAIL);
    CHECK_EQ(t.srr0, after);
    CHECK_EQ(t.srr1, m);
    asm volatile("mfspr %0,%1" : "=r"(fscr) : "i"(SPR_FSCR));
    CHECK_EQ(FSCR_IC(fscr), FSCR_IC_SCV);

    /* FSCR[SCV] = 1: the vector 0x17000 + 32 * LEV in real mode, big-endian */
    if (!CHECK((uintptr_t)__stack_top <= SCV_BASE)) {
        return;
    }
    install_scv();
    asm volatile("mtspr %0,%1" : : "i"(SPR_FSCR), "r"(FSCR_SCV));
    for (unsigned lev = 0; lev < 3; lev++) {
        uint64_t srr0 = 0x1230 + lev, srr1 = 0x4560;

        asm volatile("mtsrr0 %0\n\tmtsrr1 %1" : : "r"(srr0), "r"(srr1));
        scv_rec[0] = scv_rec[1] = scv_rec[2] = scv_rec[3] = 0;
        if (lev == 0) {
            SCV(0, after);
        } else if (lev == 1) {
            SCV(1, after);
        } else {
            SCV(2, after);
        }
        CHECK_EQ(be64(scv_rec[3]), lev);
        CHECK_EQ(be64(scv_rec[0]), after);
        CHECK_EQ(be64(scv_rec[1]), m);
        /* the handler ran big-endian in real mode: the MSR of an interrupt */
        CHECK_EQ(be64(scv_rec[2]), PPC_BIT(0) | (m & PPC_BIT(51)));
        /* SRR0 and SRR1 are left alone; rfscv brought the MSR back */
        asm volatile("mfsrr0 %0\n\tmfsrr1 %1" : "=r"(srr0), "=r"(srr1));
        CHECK_EQ(srr0, 0x1230 + lev);
        CHECK_EQ(srr1, 0x4560);
        CHECK_EQ(msr(), m);
    }
    asm volatile("mtspr %0,%1" : : "i"(SPR_FSCR), "r"(0ULL));
}

/* ---- Trace ---------------------------------------------------------------------- */

/*
 * The trace handler at 0xd00 records SRR0, SRR1 and a count, and returns to SRR0
 * with SE and BE cleared in SRR1, so exactly one trace interrupt is taken.
 */
static volatile uint64_t trace_rec[5]; /* SRR0, SRR1, count, SRR1 mask, SIAR */
static uint32_t saved_d00[24];

static unsigned trace_install(void)
{
    uintptr_t rec = (uintptr_t)trace_rec;
    const uint32_t w[] = {
        MTSPR(SPR_SPRG0, 3), MTSPR(SPR_SPRG1, 4), LIS(3, rec >> 16),   ORI(3, 3, rec),
        MFSPR(4, SPR_SRR0),  STD(4, 0, 3),        MFSPR(4, SPR_SRR1),  STD(4, 8, 3),
        LD(4, 16, 3),        ADDI(4, 4, 1),       STD(4, 16, 3),       MFSPR(4, SPR_SIAR),
        STD(4, 32, 3),       MFSPR(4, SPR_SRR1),  LD(3, 24, 3),        AND(4, 4, 3),
        MTSPR(SPR_SRR1, 4),  MFSPR(3, SPR_SPRG0), MFSPR(4, SPR_SPRG1), RFID,
    };

    trace_rec[0] = trace_rec[1] = trace_rec[2] = trace_rec[4] = 0;
    trace_rec[3] = be64(~(MSR_SE | MSR_BE));
    write_code(0xd00, w, sizeof(w) / 4, saved_d00);
    return sizeof(w) / 4;
}

static void trace_remove(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        saved_d00[i] = be32(saved_d00[i]);
    }
    write_code(0xd00, saved_d00, n, NULL);
}

/*
 * Run @body with MSR | @bit set by mtmsrd (%2 is the MSR without it); %0 gets the
 * address of label 2 in it.
 */
#define TRACED(bit, body, at)                                                                      \
    asm volatile("lis %0,2f@ha\n\taddi %0,%0,2f@l\n\tmtmsrd %1\n\t" body                           \
                 : "=&b"(at)                                                                       \
                 : "r"(msr() | (bit)), "r"(msr())                                                  \
                 : "r9", "r10", "cr0", "lr", "memory")

static void check_trace(uint64_t at, uint64_t bit)
{
    CHECK_EQ(be64(trace_rec[2]), 1);
    CHECK_EQ(be64(trace_rec[0]), at);
    CHECK_EQ(be64(trace_rec[1]), msr() | bit);
    CHECK_EQ(msr() & (MSR_SE | MSR_BE), 0);
    trace_rec[0] = trace_rec[1] = trace_rec[2] = 0;
}

static void check_trace_siar(uint64_t at, uint64_t bit, uint64_t siar)
{
    CHECK_EQ(be64(trace_rec[4]), siar);
    check_trace(at, bit);
}

static void test_trace(void)
{
    unsigned n = trace_install();
    uint64_t at;

    /* single step: after the first instruction that runs with SE on */
    TRACED(MSR_SE, "addi 9,9,1\n2:\tnop", at);
    check_trace(at, MSR_SE);
    /* a taken branch: SRR0 = its target */
    TRACED(MSR_SE, "b 2f\n\tnop\n2:\tnop", at);
    check_trace(at, MSR_SE);
    /* a load, a trap that does not trap, mtmsrd keeping SE */
    TRACED(MSR_SE, "ld 10,0(1)\n2:\tnop", at);
    check_trace(at, MSR_SE);
    TRACED(MSR_SE, "tw 0,0,0\n2:\tnop", at);
    check_trace(at, MSR_SE);
    /* an mtmsrd that turns SE off is traced too (SRR1 then has SE off) */
    TRACED(MSR_SE, "mtmsrd %2\n2:\tnop", at);
    check_trace(at, 0);
    /*
     * branch trace: after a branch, not after other instructions; a branch not
     * taken is traced too (Book III: "whether or not the branch is taken")
     */
    TRACED(MSR_BE, "nop\n\taddi 9,9,1\n\tb 2f\n\tnop\n2:\tnop", at);
    check_trace(at, MSR_BE);
    TRACED(MSR_BE, "nop\n\tcmpdi 1,0\n\tbeq 1f\n2:\tnop\n1:\tnop", at);
    check_trace(at, MSR_BE);
    TRACED(MSR_BE, "nop\n\tbl 2f\n2:\tnop", at);
    check_trace(at, MSR_BE);
    trace_remove(n);
}

/*
 * Single step switched on by rfid: the instruction rfid returns to is the first
 * one traced (rfid itself, run with SE off, is not). SIAR records the address of
 * the traced instruction on every trace interrupt (Book III 6.5.15); QEMU 7.2
 * leaves SIAR alone.
 */
static void test_trace_rfid_siar(void)
{
    unsigned n = trace_install();
    uint64_t at, insn, siar0 = 0x4000;

    asm volatile("mtspr %0,%1" : : "i"(SPR_SIAR), "r"(siar0));
    asm volatile("lis %0,2f@ha\n\taddi %0,%0,2f@l\n\tlis %1,1f@ha\n\taddi %1,%1,1f@l\n\t"
                 "mtsrr0 %1\n\tmtsrr1 %2\n\trfid\n1:\taddi 10,10,1\n2:\tnop"
                 : "=&b"(at), "=&b"(insn)
                 : "r"(msr() | MSR_SE)
                 : "r10", "memory");
    check_trace_siar(at, MSR_SE, guest_oracle() ? siar0 : insn);
    /* a taken branch: SRR0 = its target, SIAR = the branch */
    asm volatile("mtspr %0,%1" : : "i"(SPR_SIAR), "r"(siar0));
    asm volatile("lis %0,2f@ha\n\taddi %0,%0,2f@l\n\tlis %1,1f@ha\n\taddi %1,%1,1f@l\n\t"
                 "mtmsrd %2\n1:\tb 2f\n\tnop\n2:\tnop"
                 : "=&b"(at), "=&b"(insn)
                 : "r"(msr() | MSR_SE)
                 : "memory");
    check_trace_siar(at, MSR_SE, guest_oracle() ? siar0 : insn);
    /*
     * rfid is never traced (Book III 6.5.15 excepts rfid, hrfid and rfscv): with
     * SE on, an rfid that clears SE takes no trace interrupt, and one that keeps
     * SE traces the instruction it returns to. QEMU 7.2 traces the rfid itself
     * (SRR0 = its target) in both cases.
     */
    asm volatile("mtspr %0,%1" : : "i"(SPR_SIAR), "r"(siar0));
    asm volatile("lis %0,2f@ha\n\taddi %0,%0,2f@l\n\tmtsrr0 %0\n\tmtsrr1 %1\n\t"
                 "mtmsrd %2\n\trfid\n2:\tnop"
                 : "=&b"(at)
                 : "r"(msr()), "r"(msr() | MSR_SE)
                 : "memory");
    CHECK_EQ(be64(trace_rec[2]), guest_oracle() ? 1 : 0);
    CHECK_EQ(be64(trace_rec[0]), guest_oracle() ? at : 0);
    CHECK_EQ(msr() & MSR_SE, 0);
    trace_rec[0] = trace_rec[1] = trace_rec[2] = trace_rec[4] = 0;
    asm volatile("lis %0,2f@ha\n\taddi %0,%0,2f@l\n\tlis %1,1f@ha\n\taddi %1,%1,1f@l\n\t"
                 "mtsrr0 %1\n\tmtsrr1 %2\n\tmtmsrd %2\n\trfid\n1:\taddi 10,10,1\n2:\tnop"
                 : "=&b"(at), "=&b"(insn)
                 : "r"(msr() | MSR_SE)
                 : "r10", "memory");
    if (guest_oracle()) {
        check_trace_siar(insn, MSR_SE, siar0);
    } else {
        check_trace_siar(at, MSR_SE, insn);
    }
    trace_remove(n);
}

/* ---- Access outside RAM ---------------------------------------------------------- */

/* POWER9's machine check reasons for a load/store to a real address with nothing there */
#define SRR1_MC_LOADSTORE PPC_BIT(42)
#define SRR1_MC_STORE_RA (PPC_BIT(36) | PPC_BIT(43) | PPC_BIT(45))
#define DSISR_MC_LOAD_RA PPC_BIT(57)
#define SPR_DSISR 18
#define SPR_DAR 19

/*
 * A load or store at a real address beyond RAM (this machine has 1 GiB) where no
 * device is. We raise a machine check at the instruction with POWER9's registers:
 * a load sets SRR1[42] (load/store error) and DSISR[57] (load real address error),
 * a store SRR1[36,43,45] (store real address error); DAR = the address. QEMU 7.2
 * reads zeros and drops the store, with no interrupt: checked as such on the
 * oracle.
 */
static void test_outside_ram(void)
{
    struct guest_trap t;
    uint64_t at, v = 0x55, m = msr();

    asm volatile("mtspr %0,%1" : : "i"(SPR_DSISR), "r"(0x1234));
    guest_trap_expect();
    asm volatile("lis 9,0x4000\n\tlis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\tld %1,0x18(9)"
                 : "=&b"(at), "+r"(v)
                 :
                 : "r9", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, guest_oracle() ? 0 : VEC_MACHINE_CHECK);
    CHECK_EQ(t.srr0, guest_oracle() ? 0 : at);
    CHECK_EQ(v, guest_oracle() ? 0 : 0x55);
    if (!guest_oracle()) {
        CHECK_EQ(t.srr1, m | SRR1_MC_LOADSTORE);
        CHECK_EQ(t.dar, 0x40000018);
        CHECK_EQ(t.dsisr, DSISR_MC_LOAD_RA);
    }
    asm volatile("mtspr %0,%1" : : "i"(SPR_DSISR), "r"(0x1234));
    guest_trap_expect();
    asm volatile("lis 9,0x4000\n\tlis %0,1f@ha\n\taddi %0,%0,1f@l\n1:\tstw %1,0x24(9)"
                 : "=&b"(at)
                 : "r"(v)
                 : "r9", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, guest_oracle() ? 0 : VEC_MACHINE_CHECK);
    CHECK_EQ(t.srr0, guest_oracle() ? 0 : at);
    if (!guest_oracle()) {
        CHECK_EQ(t.srr1, m | SRR1_MC_STORE_RA);
        CHECK_EQ(t.dar, 0x40000024);
        /* a store error is not described in DSISR */
        CHECK_EQ(t.dsisr, 0x1234);
    }
}

/*
 * An instruction fetch from a real address with nothing there: a machine check
 * with SRR0 = that address and SRR1[36,44,45] (POWER9's "instruction fetch real
 * address error"). QEMU 7.2 fetches zeros: an illegal-instruction program
 * interrupt. The handler resumes after the bctrl.
 */
#define SRR1_MC_IFETCH_RA (PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45))
#define SRR1_ILLEGAL PPC_BIT(44)

void fetch_back(void);

static void __attribute__((noinline)) test_fetch_outside_ram(void)
{
    struct guest_trap t;
    uint64_t m = msr();

    guest_trap_expect_resume(fetch_back, 0);
    asm volatile("lis 9,0x4000\n\tmtctr 9\n\tbctrl\n\t.globl fetch_back\nfetch_back:"
                 :
                 :
                 : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "lr",
                   "cr0", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, guest_oracle() ? VEC_PROGRAM : VEC_MACHINE_CHECK);
    CHECK_EQ(t.srr0, 0x40000000);
    CHECK_EQ(t.srr1, m | (guest_oracle() ? SRR1_ILLEGAL : SRR1_MC_IFETCH_RA));
}

int main(void *fdt)
{
    test_sc();
    test_privileged();
    test_unit_unavailable();
    test_scv();
    test_trace();
    test_trace_rfid_siar();
    test_outside_ram();
    test_fetch_outside_ram();
    (void)set_msr;
    return 0;
}

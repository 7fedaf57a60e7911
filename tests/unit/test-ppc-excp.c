/*
 * Unit tests of asynchronous interrupt delivery: pending interrupts wait
 * for MSR[EE] (system reset does not), their priority, SRR0/SRR1 and the new
 * MSR, LPCR[ILE], the decrementer's level, and waking a halted CPU.
 */
#include "cpu-harness.h"
#include "target/ppc/internal.h"

#define SRR0 26
#define SRR1 27
#define NOP 0x60000000u
#define SC1_LE 0x22000044u /* sc 1 as a little-endian CPU reads it from a BE word */

static PowerPCCPU *cpu;

/*
 * harness_run, continuing when raising an interrupt asked the CPU to leave
 * its loop (a vCPU thread re-enters at once), up to the next sc 1.
 */
static void run(const uint32_t *code, size_t n)
{
    int calls = harness_hcalls;

    harness_run(cpu, code, n);
    while (harness_hcalls == calls) {
        cpu->env.exit_request = 0;
        ppc_cpu_exec(cpu);
    }
}

static void fresh(void)
{
    cpu = harness_fresh(cpu);
    for (unsigned irq = 1; irq <= PPC_INTERRUPT_DECR; irq <<= 1) {
        ppc_cpu_set_irq(cpu, irq, false);
    }
    cpu->halted = false;
}

/* An external interrupt waits while EE is off and is taken before the next block with it on. */
static void test_external_waits_for_ee(void)
{
    const uint32_t code[] = { NOP };

    fresh();
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, true);
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 8); /* ran to the sc 1 */

    cpu->env.msr |= MSR_EE;
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x504);
    g_assert_cmphex(cpu->env.spr[SRR0], ==, HARNESS_CODE);
    g_assert_cmphex(cpu->env.spr[SRR1], ==, MSR_SF | MSR_ME | MSR_EE);
    /* The new MSR: EE off, SF on, ME kept. */
    g_assert_cmphex(cpu->env.msr, ==, MSR_SF | MSR_ME);
    /* A level: still pending until its source lowers it. */
    g_assert_true(cpu->env.pending_interrupts & PPC_INTERRUPT_EXT);
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, false);
    g_assert_false(cpu->env.pending_interrupts & PPC_INTERRUPT_EXT);
}

/* System reset is taken with EE off, and consumed; it comes before the others. */
static void test_reset_priority(void)
{
    const uint32_t code[] = { NOP };

    fresh();
    cpu->env.msr |= MSR_EE;
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, true);
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, true);
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_RESET, true);
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x104);
    g_assert_cmphex(cpu->env.spr[SRR0], ==, HARNESS_CODE);
    g_assert_false(cpu->env.pending_interrupts & PPC_INTERRUPT_RESET);

    /* External before decrementer. */
    cpu->env.msr |= MSR_EE;
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x504);
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, false);
    cpu->env.msr |= MSR_EE;
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x904);

    /* Reset with EE off. */
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, false);
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_RESET, true);
    cpu->env.msr &= ~MSR_EE;
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x104);
}

/* LPCR[ILE]: interrupts are taken little-endian. */
static void test_ile(void)
{
    const uint32_t code[] = { NOP };

    fresh();
    guest_stl_be(0x500, SC1_LE);
    ppc_store_lpcr(cpu, LPCR_ILE);
    cpu->env.msr |= MSR_EE;
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, true);
    run(code, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x504);
    g_assert_cmphex(cpu->env.msr, ==, MSR_SF | MSR_ME | MSR_LE);
    g_assert_false(cpu->env.spr[SRR1] & MSR_LE);
    ppc_store_lpcr(cpu, 0);
}

/*
 * mtdec with a negative value raises the decrementer at once (taken after
 * the block once EE is on); a non-negative one lowers it.
 */
static void test_decrementer_level(void)
{
    /* li r3,-1; mtdec r3; mfmsr r4; ori r4,r4,0x8000; mtmsrd r4,1; nop */
    const uint32_t raise[] = { 0x3860ffff, 0x7c7603a6, 0x7c8000a6, 0x60848000, 0x7c810164, NOP };
    /* li r3,0x1000; mtdec r3; mfmsr r4; ori r4,r4,0x8000; mtmsrd r4,1; nop */
    const uint32_t lower[] = { 0x38601000, 0x7c7603a6, 0x7c8000a6, 0x60848000, 0x7c810164, NOP };

    fresh();
    run(raise, 6);
    g_assert_cmphex(cpu->env.nip, ==, 0x904);
    g_assert_cmphex(cpu->env.spr[SRR0], ==, HARNESS_CODE + 20);
    g_assert_true(cpu->env.pending_interrupts & PPC_INTERRUPT_DECR);

    /* Still negative: taken again as soon as EE is back on. */
    cpu->env.msr |= MSR_EE;
    run((const uint32_t[]){ NOP }, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x904);
    g_assert_cmphex(cpu->env.spr[SRR0], ==, HARNESS_CODE);

    cpu->env.msr &= ~MSR_EE;
    run(lower, 6);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 28);
    g_assert_false(cpu->env.pending_interrupts & PPC_INTERRUPT_DECR);
}

/* A halted CPU wakes for what it can take: anything with EE on, only reset with it off. */
static void test_halted_wakeup(void)
{
    fresh();
    cpu->halted = true;
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_EXT, true);
    g_assert_true(cpu->halted);
    g_assert_false(ppc_cpu_has_work(cpu));
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_RESET, true);
    g_assert_false(cpu->halted);
    g_assert_true(ppc_cpu_has_work(cpu));

    fresh();
    cpu->env.msr |= MSR_EE;
    cpu->halted = true;
    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, true);
    g_assert_false(cpu->halted);
    g_assert_true(ppc_cpu_has_work(cpu));
}

/*
 * Emptying another CPU's soft TLB: a CPU that has run (on another thread, in
 * a real machine) gets a request it honours before its next block; this
 * thread's own CPU is flushed at once.
 */
static void test_tlb_flush_request(void)
{
    PowerPCCPU *other = ppc_cpu_create(ppc_cpu_model_default(), 1);
    const uint32_t code[] = { NOP };

    ppc_cpu_set_vhyp(other, NULL, &harness_vhyp);
    fresh();
    /* Both have run; this thread last ran cpu. */
    other->env.msr = MSR_SF | MSR_ME;
    other->env.nip = HARNESS_CODE;
    harness_run(other, code, 1);
    run(code, 1);

    /* Entries written by hand are not among the filled ones a flush lists. */
    other->env.tlb_read[5].tag = 0x5000;
    other->env.tlb_listed = false;
    cpu->env.tlb_read[5].tag = 0x5000;
    cpu->env.tlb_listed = false;
    other->env.chain_stop = 0;
    ppc_tlb_flush_cpu(other);
    /* Not yet: the other CPU is told to leave its block chain and flush. */
    g_assert_cmphex(other->env.tlb_read[5].tag, ==, 0x5000);
    g_assert_cmpint(other->env.chain_stop, ==, 1);
    harness_run(other, code, 1);
    g_assert_cmphex(other->env.tlb_read[5].tag, ==, ~0ULL);

    /* This thread's CPU (the last one it ran): at once. */
    run(code, 1);
    ppc_tlb_flush_cpu(cpu);
    g_assert_cmphex(cpu->env.tlb_read[5].tag, ==, ~0ULL);

    /* A broadcast reaches both. */
    other->env.tlb_read[5].tag = 0x5000;
    other->env.tlb_listed = false;
    cpu->env.tlb_read[5].tag = 0x5000;
    cpu->env.tlb_listed = false;
    ppc_tlb_flush_all_cpus();
    g_assert_cmphex(cpu->env.tlb_read[5].tag, ==, ~0ULL);
    harness_run(other, code, 1);
    g_assert_cmphex(other->env.tlb_read[5].tag, ==, ~0ULL);
    ppc_cpu_free(other);
}

/* The entries of a soft-TLB table that are not empty. */
static unsigned tlb_used(const PPCTLBEntry *t)
{
    unsigned n = 0;

    for (unsigned i = 0; i < PPC_TLB_SIZE; i++) {
        n += t[i].tag != ~0ULL;
    }
    return n;
}

/*
 * Load and store a doubleword in each of n pages from 1 MiB (real mode: n
 * entries each).  The addresses have their top four bits set, which real
 * mode ignores: the JIT's real-mode loads within RAM do not use the soft
 * TLB, the others do.
 */
static void touch_pages(unsigned n)
{
    const uint32_t code[] = {
        0x38800000u | n, /* li r4,n */
        0x7c8903a6u,     /* mtctr r4 */
        0x38600001u,     /* li r3,1 */
        0x7863e0c6u,     /* sldi r3,r3,60 */
        0x64630010u,     /* oris r3,r3,0x10 */
        0xe8a30000u,     /* ld r5,0(r3) */
        0xf8a30008u,     /* std r5,8(r3) */
        0x38631000u,     /* addi r3,r3,4096 */
        0x4200fff4u,     /* bdnz the ld */
    };

    run(code, G_N_ELEMENTS(code));
}

/*
 * A whole flush empties every entry filled since the last one: listed one
 * by one, or all of them when the list is incomplete (more fills than
 * PPC_TLB_FILLED_MAX, which needs tlbie-emptied slots filled again: made
 * up here by clearing tlb_listed); a data flush (AMR) the load and store
 * entries.  (Real mode: no code entries.)
 */
static void test_tlb_flush_filled(void)
{
    static const unsigned counts[] = { 10, 3000, 3000 };

    fresh();
    ppc_tlb_flush(&cpu->env);
    g_assert_true(cpu->env.tlb_listed);
    for (unsigned k = 0; k < G_N_ELEMENTS(counts); k++) {
        unsigned n = counts[k];
        bool unlisted = k == 2;

        touch_pages(n);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_read), >=, n);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_write), >=, n);
        g_assert_true(cpu->env.tlb_listed);
        g_assert_cmpuint(cpu->env.tlb_filled_n, >=, 2 * n);
        cpu->env.tlb_listed = !unlisted;
        ppc_tlb_flush_data(&cpu->env);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_read), ==, 0);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_write), ==, 0);
        touch_pages(n);
        g_assert_true(cpu->env.tlb_listed == !unlisted);
        ppc_tlb_flush(&cpu->env);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_read), ==, 0);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_write), ==, 0);
        g_assert_cmpuint(tlb_used(cpu->env.tlb_code), ==, 0);
        g_assert_true(cpu->env.tlb_listed);
        g_assert_cmpuint(cpu->env.tlb_filled_n, ==, 0);
    }
}

/*
 * LPCR[AIL]: with IR and DR on, 2 moves vectors to 0x18000 + vector and 3 to
 * 0xc000000000004000 + vector, keeping translation on; 0 and the reserved 1
 * do not; neither do system reset and machine check, nor interrupts taken
 * with translation off.
 */
static void test_ail(void)
{
    static const struct {
        unsigned ail, vector;
        uint64_t msr, nip;
    } cases[] = {
        { 0, 0x700, MSR_IR | MSR_DR, 0x700 },
        { 1, 0x700, MSR_IR | MSR_DR, 0x700 },
        { 2, 0x700, MSR_IR | MSR_DR, 0x18700 },
        { 3, 0x700, MSR_IR | MSR_DR, 0xc000000000004700ULL },
        { 3, 0x900, MSR_IR | MSR_DR, 0xc000000000004900ULL },
        { 3, 0x700, MSR_IR, 0x700 },
        { 3, 0x700, MSR_DR, 0x700 },
        { 3, 0x100, MSR_IR | MSR_DR, 0x100 },
        { 2, 0x200, MSR_IR | MSR_DR, 0x200 },
    };

    fresh();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        bool moved = cases[i].nip != cases[i].vector;

        ppc_store_lpcr(cpu, (uint64_t)cases[i].ail << LPCR_AIL_SHIFT);
        ppc_store_msr(&cpu->env, MSR_SF | MSR_ME | MSR_EE | cases[i].msr);
        ppc_raise(&cpu->env, cases[i].vector, 0x1234, 0);
        g_assert_cmphex(cpu->env.nip, ==, cases[i].nip);
        g_assert_cmphex(cpu->env.msr, ==, MSR_SF | MSR_ME | (moved ? MSR_IR | MSR_DR : 0));
        g_assert_cmphex(cpu->env.spr[SRR0], ==, 0x1234);
        g_assert_cmphex(cpu->env.spr[SRR1], ==, MSR_SF | MSR_ME | MSR_EE | cases[i].msr);
    }
    ppc_store_lpcr(cpu, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc-excp/external-waits-for-ee", test_external_waits_for_ee);
    g_test_add_func("/ppc-excp/reset-priority", test_reset_priority);
    g_test_add_func("/ppc-excp/ile", test_ile);
    g_test_add_func("/ppc-excp/ail", test_ail);
    g_test_add_func("/ppc-excp/decrementer-level", test_decrementer_level);
    g_test_add_func("/ppc-excp/halted-wakeup", test_halted_wakeup);
    g_test_add_func("/ppc-excp/tlb-flush-request", test_tlb_flush_request);
    g_test_add_func("/ppc-excp/tlb-flush-filled", test_tlb_flush_filled);
    return g_test_run();
}

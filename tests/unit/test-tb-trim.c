/*
 * The translation caches give memory back (util/host-mem.c's
 * qemu_anon_trim, target/ppc/exec.c's tb_flush_now): a cache refilled from
 * its start keeps resident only what its latest filling used, not the pages
 * of its fullest filling ever.  Residency is read with mincore(2).  And a
 * write into code drops only the written page's blocks (tb_retire_page).
 */
#include <sys/mman.h>

#include "qemu/host-mem.h"
#include "target/ppc/internal.h"
#include "tests/unit/cpu-harness.h"
#include "tests/unit/vma-flags.h"

#define BIG_CODE 0x100000 /* the large program, past the harness's code and data */
#define BIG_BLOCKS 57344  /* one-instruction blocks: `b .+4` each, 8.75 MiB of arena */
#define INSN_B_NEXT 0x48000004u

static void test_trim(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 8 * MiB;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    size_t keep = 1 * MiB + 100, high = 6 * MiB + 100;
    size_t from = QEMU_ALIGN_UP(keep, page), to = QEMU_ALIGN_DOWN(high, page);

    g_assert_true(p != MAP_FAILED);
    memset(p, 0x5a, len);
    g_assert_cmpuint(qemu_anon_resident(p, len), ==, len);
    g_assert_cmpuint(qemu_anon_trim(p, keep, high), ==, to - from);
    g_assert_cmpuint(qemu_anon_resident(p, len), ==, len - (to - from));
    g_assert_cmpuint(qemu_anon_resident(p + from, to - from), ==, 0);
    /* The kept pages keep their bytes, on both sides; the others read zero. */
    g_assert_cmpuint(p[from - 1], ==, 0x5a);
    g_assert_cmpuint(p[to], ==, 0x5a);
    g_assert_cmpuint(p[from], ==, 0);
    g_assert_cmpuint(p[to - 1], ==, 0);
    /* Nothing between keep and high once both round into one page. */
    g_assert_cmpuint(qemu_anon_trim(p, 3 * page + 1, 4 * page - 1), ==, 0);
    g_assert_cmpuint(qemu_anon_trim(p, 4 * page, 2 * page), ==, 0);
    munmap(p, len);
}

/*
 * A translation cache's mapping: aligned on a huge page, zeroed, writable,
 * huge pages asked for, and a trim never splits the huge page its filling
 * ends in.
 */
static void test_map_cache(void)
{
    size_t len = 8 * MiB, hp = QEMU_HUGE_PAGE_SIZE;
    uint8_t *p = qemu_anon_map_cache(len, PROT_READ | PROT_WRITE);

    g_assert_nonnull(p);
    g_assert_cmpuint((uintptr_t)p % hp, ==, 0);
    g_assert_cmpuint(p[0], ==, 0);
    g_assert_cmpuint(p[len - 1], ==, 0);
    if (host_has_thp()) {
        g_assert_true(vma_has_flag(p, "hg"));
        g_assert_true(vma_has_flag(p + len - 1, "hg"));
    } else {
        g_test_message("no transparent huge pages on this host: the advice is not checked");
    }
    memset(p, 0x5a, len);
    g_assert_cmpuint(qemu_anon_resident(p, len), ==, len);
    /* keep 1 MiB + 100 and high 6 MiB - 100 round up: [2 MiB, 6 MiB) goes back */
    g_assert_cmpuint(qemu_anon_trim_cache(p, 1 * MiB + 100, 6 * MiB - 100), ==, 4 * MiB);
    g_assert_cmpuint(qemu_anon_resident(p, 2 * MiB), ==, 2 * MiB);
    g_assert_cmpuint(qemu_anon_resident(p + 2 * MiB, 4 * MiB), ==, 0);
    g_assert_cmpuint(qemu_anon_resident(p + 6 * MiB, 2 * MiB), ==, 2 * MiB);
    g_assert_cmpuint(p[2 * MiB - 1], ==, 0x5a);
    g_assert_cmpuint(p[2 * MiB], ==, 0);
    g_assert_cmpuint(p[6 * MiB], ==, 0x5a);
    /* Within one huge page: nothing. */
    g_assert_cmpuint(qemu_anon_trim_cache(p, 6 * MiB + 1, 8 * MiB - 1), ==, 0);
    g_assert_cmpuint(qemu_anon_resident(p + 6 * MiB, 2 * MiB), ==, 2 * MiB);
    /* high 6 MiB + 1 rounds up: the huge page it ends in goes back whole. */
    memset(p, 0x5a, len);
    g_assert_cmpuint(qemu_anon_trim_cache(p, 2 * MiB, 6 * MiB + 1), ==, 6 * MiB);
    g_assert_cmpuint(qemu_anon_resident(p, len), ==, 2 * MiB);
    qemu_anon_free(p, len);
}

/* Run the code at addr, which ends in sc 1, from the start of the loop. */
static void run_at(PowerPCCPU *cpu, uint64_t addr)
{
    cpu->env.nip = addr;
    cpu->env.exit_request = 0;
    ppc_cpu_exec(cpu);
    g_assert_cmphex(cpu->env.nip, >, addr);
}

static PowerPCCPU *cpu_jit, *cpu_interp;

static void test_flush_gives_back(gconstpointer data)
{
    PowerPCCPU *cpu = GPOINTER_TO_INT(data) ? cpu_jit : cpu_interp;
    size_t big, after_big_flush, small;

    for (unsigned i = 0; i < BIG_BLOCKS; i++) {
        guest_stl_be(BIG_CODE + 4 * i, INSN_B_NEXT);
    }
    guest_stl_be(BIG_CODE + 4 * BIG_BLOCKS, HARNESS_SC1);
    guest_stl_be(HARNESS_CODE, HARNESS_SC1);

    /* 65536 blocks: each at least two ops (its instruction and its end) in the arena. */
    run_at(cpu, BIG_CODE);
    g_assert_cmphex(cpu->env.nip, ==, BIG_CODE + 4 * BIG_BLOCKS + 4);
    big = ppc_tb_resident(cpu);
    g_assert_cmpuint(big, >=, (size_t)BIG_BLOCKS * 2 * sizeof(PPCOp));

    /* This flush ends the big filling: its pages are the next filling's. */
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    after_big_flush = ppc_tb_resident(cpu);
    g_assert_cmpuint(after_big_flush, >=, big - 1 * MiB);

    /* This one ends a filling of one block: the big one's pages go back. */
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    small = ppc_tb_resident(cpu);
    g_test_message("resident: %zu after the big program, %zu after one flush, %zu after two", big,
                   after_big_flush, small);
    /* at most the huge page each cache's filling ends in (the arena's, the JIT's) */
    g_assert_cmpuint(small, <=, 2 * QEMU_HUGE_PAGE_SIZE);
    g_assert_cmpuint(small, <, big / 2);

    /* The big program translates again into the given-back pages and runs. */
    run_at(cpu, BIG_CODE);
    g_assert_cmphex(cpu->env.nip, ==, BIG_CODE + 4 * BIG_BLOCKS + 4);
    g_assert_cmpuint(ppc_tb_resident(cpu), >=, (size_t)BIG_BLOCKS * 2 * sizeof(PPCOp));
    /* Left small for the next test (the big filling's pages go back). */
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

#define PAGE_A 0x30000
#define PAGE_B 0x31000
#define INSN_LI_R3_0 0x38600000u            /* li r3,0 */
#define INSN_ADDI_R3(n) (0x38630000u | (n)) /* addi r3,r3,n */
#define INSN_STW_R4_0_R5 0x90850000u        /* stw r4,0(r5) */
#define INSN_B(from, to) (0x48000000u | (((to) - (from)) & 0x03fffffcu))

/* Run from addr (real mode) to B's sc 1: r3 as B's code left it. */
static uint64_t run_a(PowerPCCPU *cpu, uint64_t addr)
{
    run_at(cpu, addr);
    g_assert_cmphex(cpu->env.nip, ==, PAGE_B + 8);
    return cpu->env.gpr[3];
}

/*
 * Code on page A jumps to code on page B.  Rewriting B, by a host write or
 * by a guest store from A, translates B's block again and keeps A's (whose
 * jump, chained or compiled, now leads to B's new code).
 */
static void test_retire_page(gconstpointer data)
{
    PowerPCCPU *cpu = GPOINTER_TO_INT(data) ? cpu_jit : cpu_interp;
    uint64_t n;

    guest_stl_be(PAGE_A, INSN_LI_R3_0);
    guest_stl_be(PAGE_A + 4, INSN_B(PAGE_A + 4, PAGE_B));
    guest_stl_be(PAGE_A + 0x100, INSN_LI_R3_0);
    guest_stl_be(PAGE_A + 0x104, INSN_STW_R4_0_R5);
    guest_stl_be(PAGE_A + 0x108, INSN_B(PAGE_A + 0x108, PAGE_B));
    guest_stl_be(PAGE_B, INSN_ADDI_R3(1));
    guest_stl_be(PAGE_B + 4, HARNESS_SC1);

    g_assert_cmpuint(run_a(cpu, PAGE_A), ==, 1);
    n = ppc_tb_blocks(cpu);
    g_assert_cmpuint(run_a(cpu, PAGE_A), ==, 1);
    g_assert_cmpuint(ppc_tb_blocks(cpu), ==, n); /* both blocks found again */

    /* A host write into B: B's one block again, A's block kept. */
    guest_stl_be(PAGE_B, INSN_ADDI_R3(5));
    g_assert_cmpuint(run_a(cpu, PAGE_A), ==, 5);
    g_assert_cmpuint(ppc_tb_blocks(cpu), ==, n + 1);
    g_assert_cmpuint(run_a(cpu, PAGE_A), ==, 5);
    g_assert_cmpuint(ppc_tb_blocks(cpu), ==, n + 1);

    /* A's second block stores into B, then jumps there: the new code runs. */
    cpu->env.gpr[4] = INSN_ADDI_R3(7);
    cpu->env.gpr[5] = PAGE_B;
    g_assert_cmpuint(run_a(cpu, PAGE_A + 0x100), ==, 7);
    g_assert_cmpuint(ppc_tb_blocks(cpu), ==, n + 3); /* A's new block, B's again */
    g_assert_cmpuint(run_a(cpu, PAGE_A), ==, 7);
    g_assert_cmpuint(ppc_tb_blocks(cpu), ==, n + 3); /* A's first block kept */
}

/*
 * A decoded op is 40 bytes and a block's chain slots are kept once after
 * its end, not in every op (target/ppc/internal.h's ppc_op_chain()): blocks
 * of eight instructions take TB_BYTES each in the arena, 6.75 MiB for the
 * program below (8 MiB resident in huge pages).  With the slots in every op
 * (56-byte ops) they took 560 bytes, 8.75 MiB (10 MiB resident).
 */
#define ARENA_BLOCKS 16384
#define ARENA_BLOCK_INSNS 8
#define TB_BYTES 432 /* the block header (56), 9 ops of 40 and 2 slots of 8 */
#define INSN_ADDI_R3_1 0x38630001u

static void test_arena_per_op(void)
{
    PowerPCCPU *cpu = cpu_interp;
    uint64_t end = BIG_CODE + 4ull * ARENA_BLOCKS * ARENA_BLOCK_INSNS;
    size_t used;

    for (unsigned i = 0; i < ARENA_BLOCKS * ARENA_BLOCK_INSNS; i++) {
        bool last = i % ARENA_BLOCK_INSNS == ARENA_BLOCK_INSNS - 1;

        guest_stl_be(BIG_CODE + 4 * i, last ? INSN_B_NEXT : INSN_ADDI_R3_1);
    }
    guest_stl_be(end, HARNESS_SC1);
    guest_stl_be(HARNESS_CODE, HARNESS_SC1);
    /* an empty arena first: the earlier tests' pages go back */
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    cpu->env.gpr[3] = 0;
    run_at(cpu, BIG_CODE);
    g_assert_cmphex(cpu->env.nip, ==, end + 4);
    g_assert_cmpuint(cpu->env.gpr[3], ==, (uint64_t)ARENA_BLOCKS * (ARENA_BLOCK_INSNS - 1));
    /* the interpreter's caches are the arena alone; its huge pages round up */
    used = ppc_tb_resident(cpu);
    g_test_message("arena resident after %u blocks of %u instructions: %zu bytes", ARENA_BLOCKS,
                   ARENA_BLOCK_INSNS, used);
    g_assert_cmpuint(sizeof(PPCOp), <=, 40);
    g_assert_cmpuint(used, >=, (size_t)ARENA_BLOCKS * (ARENA_BLOCK_INSNS + 1) * sizeof(PPCOp));
    g_assert_cmpuint(used, <=, QEMU_ALIGN_UP((size_t)ARENA_BLOCKS * TB_BYTES, QEMU_HUGE_PAGE_SIZE));
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

/*
 * Supervisor code without FP, VMX or VSX instructions is one translation
 * whatever MSR[FP], [VEC] and [VSX] say (exec.c's TB_FACILITY); a block
 * with an FP instruction is translated for each setting, and one that
 * shares is never linked to it: B's fmr raises FP unavailable (0x800)
 * exactly when MSR[FP] is 0, however often the settings alternate.
 */
#define FAC_A 0x200000      /* addi r3,r3,1; b FAC_B */
#define FAC_B (FAC_A + 256) /* fmr f1,f2; addi r3,r3,16; sc 1 */
#define INSN_FMR_F1_F2 0xfc201090u
#define INSN_ADDI_R3_16 0x38630010u

static void run_facility(PowerPCCPU *cpu, uint64_t fac)
{
    CPUPPCState *env = &cpu->env;

    env->msr = (env->msr & ~(uint64_t)(MSR_FP | MSR_VEC | MSR_VSX)) | fac;
    env->gpr[3] = 0;
    env->nip = FAC_A;
    env->exit_request = 0;
    ppc_cpu_exec(cpu);
    if (fac & MSR_FP) {
        g_assert_cmphex(env->nip, ==, FAC_B + 12);
        g_assert_cmpuint(env->gpr[3], ==, 17);
    } else {
        /* the vector's sc 1 ran: SRR0 is the fmr */
        g_assert_cmphex(env->nip, ==, 0x804);
        g_assert_cmphex(env->spr[SPR_SRR0], ==, FAC_B);
        g_assert_cmpuint(env->gpr[3], ==, 1);
    }
}

static void test_facility_shared(gconstpointer data)
{
    PowerPCCPU *cpu = GPOINTER_TO_INT(data) ? cpu_jit : cpu_interp;
    static const uint64_t settings[] = {
        0, MSR_FP, MSR_VEC, MSR_FP | MSR_VEC | MSR_VSX, 0, MSR_FP
    };
    size_t count;

    guest_stl_be(FAC_A, INSN_ADDI_R3_1);
    guest_stl_be(FAC_A + 4, 0x48000000u | (FAC_B - FAC_A - 4));
    guest_stl_be(FAC_B, INSN_FMR_F1_F2);
    guest_stl_be(FAC_B + 4, INSN_ADDI_R3_16);
    guest_stl_be(FAC_B + 8, HARNESS_SC1);
    guest_stl_be(HARNESS_CODE, HARNESS_SC1);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
            run_facility(cpu, settings[i]);
        }
    }
    /* The integer-only code: one block, translated once under all four settings. */
    ppc_tb_flush(cpu);
    guest_stl_be(HARNESS_CODE, INSN_ADDI_R3_1);
    guest_stl_be(HARNESS_CODE + 4, INSN_ADDI_R3_1);
    guest_stl_be(HARNESS_CODE + 8, HARNESS_SC1);
    run_at(cpu, HARNESS_CODE);
    count = ppc_tb_count(cpu);
    g_assert_cmpuint(count, >=, 1);
    for (size_t i = 1; i < 4; i++) {
        cpu->env.msr = (cpu->env.msr & ~(uint64_t)(MSR_FP | MSR_VEC | MSR_VSX)) | settings[i];
        run_at(cpu, HARNESS_CODE);
    }
    g_assert_cmpuint(ppc_tb_count(cpu), ==, count);
    /* In problem state nothing is shared: left to the other tests. */
    cpu->env.msr &= ~(uint64_t)(MSR_FP | MSR_VEC | MSR_VSX);
    guest_stl_be(HARNESS_CODE, HARNESS_SC1);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

/*
 * A block is interpreted for its first jit_after - 1 runs and compiled at
 * its jit_after'th (exec.c's op_tb_wait and tb_compile), however it is
 * entered: from the loop or through a chain slot, its own included.
 * WAIT_A: li r3,0; mtctr r4; b WAIT_L.  WAIT_L: addi r3,r3,1; bdnz WAIT_L.
 * Then sc 1 (WAIT_S): L runs r4 times a run.
 */
#define WAIT_A 0x280000
#define WAIT_L (WAIT_A + 12)
#define WAIT_S (WAIT_L + 8)
#define INSN_MTCTR_R4 0x7c8903a6u
#define INSN_BDNZ_BACK 0x4200fffcu /* bdnz .-4 */

static PowerPCCPU *cpu_wait; /* compiles at the 8th run */

static uint64_t run_wait(PowerPCCPU *cpu, uint64_t loops)
{
    cpu->env.gpr[4] = loops;
    run_at(cpu, WAIT_A);
    g_assert_cmphex(cpu->env.nip, ==, WAIT_S + 4);
    return cpu->env.gpr[3];
}

static void test_jit_after(void)
{
    PowerPCCPU *cpu = cpu_wait;
    uint64_t c;

    guest_stl_be(WAIT_A, INSN_LI_R3_0);
    guest_stl_be(WAIT_A + 4, INSN_MTCTR_R4);
    guest_stl_be(WAIT_A + 8, INSN_B(WAIT_A + 8, WAIT_L));
    guest_stl_be(WAIT_L, INSN_ADDI_R3_1);
    guest_stl_be(WAIT_L + 4, INSN_BDNZ_BACK);
    guest_stl_be(WAIT_S, HARNESS_SC1);

    /* L run 7 times (chained to itself): nothing compiled; its 8th run compiles it. */
    ppc_tb_flush(cpu);
    c = ppc_tb_compiled(cpu);
    g_assert_cmpuint(run_wait(cpu, 7), ==, 7);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c);
    g_assert_cmpuint(run_wait(cpu, 1), ==, 1);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c + 1);

    /* A loop of 1000: L compiled at its 8th run, the rest run compiled. */
    ppc_tb_flush(cpu);
    c = ppc_tb_compiled(cpu);
    g_assert_cmpuint(run_wait(cpu, 1000), ==, 1000);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c + 1);

    /*
     * Every block run once a run: A (entered from the loop), L and S
     * (entered through chain slots) all compiled at the 8th.
     */
    ppc_tb_flush(cpu);
    c = ppc_tb_compiled(cpu);
    for (int i = 0; i < 7; i++) {
        g_assert_cmpuint(run_wait(cpu, 1), ==, 1);
    }
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c);
    g_assert_cmpuint(run_wait(cpu, 1), ==, 1);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c + 3);
    g_assert_cmpuint(run_wait(cpu, 5), ==, 5);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c + 3);

    /*
     * L rewritten after 3 runs: its waiting block retired, the new one
     * counts from 0 (3 + 5 runs: the 8th compiles it).  The write retires
     * A's and S's blocks too (one page): they are at their 2nd run.
     */
    ppc_tb_flush(cpu);
    c = ppc_tb_compiled(cpu);
    g_assert_cmpuint(run_wait(cpu, 3), ==, 3);
    guest_stl_be(WAIT_L, INSN_ADDI_R3(2));
    g_assert_cmpuint(run_wait(cpu, 3), ==, 6);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c);
    g_assert_cmpuint(run_wait(cpu, 5), ==, 10);
    g_assert_cmpuint(ppc_tb_compiled(cpu), ==, c + 1);
    g_assert_cmpuint(run_wait(cpu, 50), ==, 100);

    /* With jit_after 1 (the other tests' CPUs) every block is compiled when translated. */
    guest_stl_be(WAIT_L, INSN_ADDI_R3_1);
    ppc_tb_flush(cpu_jit);
    run_at(cpu_jit, HARNESS_CODE);
    c = ppc_tb_compiled(cpu_jit);
    g_assert_cmpuint(run_wait(cpu_jit, 1), ==, 1);
    g_assert_cmpuint(ppc_tb_compiled(cpu_jit), ==, c + 3);
    g_assert_cmpuint(run_wait(cpu_jit, 9), ==, 9);
    g_assert_cmpuint(ppc_tb_compiled(cpu_jit), ==, c + 3);
    /* the interpreter compiles none */
    c = ppc_tb_compiled(cpu_interp);
    g_assert_cmpuint(run_wait(cpu_interp, 20), ==, 20);
    g_assert_cmpuint(ppc_tb_compiled(cpu_interp), ==, c);
}

/*
 * Threaded code (SLOF's Forth engine): a dispatcher loads the next word's
 * address from a table and jumps there with bctr, each word jumps back.  A
 * register branch looks in the indirect-branch cache (env->ind_cache) before
 * its two chain slots, and a hit jumps straight to the host code the entry
 * names, when the block is compiled.  Swapping two entries' code shows
 * both: with the slots first (they hold the last two words the loop found,
 * W2 and W3) the second swap would change nothing, and with the block
 * entered through op->fn neither would.
 */
#define IND_DISPATCH 0x40000
#define IND_DONE (IND_DISPATCH + 0x100)
#define IND_WORD(i) (IND_DISPATCH + 0x200 + 0x100 * (i))
#define IND_TABLE 0x48000
#define INSN_LD_R6_0_R5 0xe8c50000u /* ld r6,0(r5) */
#define INSN_ADDI_R5_8 0x38a50008u  /* addi r5,r5,8 */
#define INSN_CMPDI_R6_0 0x2c260000u /* cmpdi r6,0 */
#define INSN_BEQ(from, to) (0x41820000u | (((to) - (from)) & 0xfffcu))
#define INSN_MTCTR_R6 0x7cc903a6u
#define INSN_BCTR 0x4e800420u

static PPCIndCacheEntry *ind_entry(PowerPCCPU *cpu, uint64_t pc)
{
    return &cpu->env.ind_cache[(pc >> 2) & (PPC_IND_CACHE_SIZE - 1)];
}

static uint64_t run_dispatch(PowerPCCPU *cpu)
{
    cpu->env.gpr[3] = 0;
    cpu->env.gpr[5] = IND_TABLE;
    run_at(cpu, IND_DISPATCH);
    g_assert_cmphex(cpu->env.nip, ==, IND_DONE + 4);
    return cpu->env.gpr[3];
}

/* Two dispatches, then each word's cache entry: its pc, and code or none. */
static void dispatch_twice_check_entries(PowerPCCPU *cpu, bool have_code)
{
    g_assert_cmphex(run_dispatch(cpu), ==, 0x484c);
    g_assert_cmphex(run_dispatch(cpu), ==, 0x484c);
    for (unsigned i = 0; i < 4; i++) {
        PPCIndCacheEntry *e = ind_entry(cpu, IND_WORD(i));

        g_assert_cmphex(e->pc, ==, IND_WORD(i));
        if (have_code) {
            g_assert_nonnull(e->code);
        } else {
            g_assert_null(e->code);
        }
    }
}

static void test_ind_cache(gconstpointer data)
{
    bool jit = GPOINTER_TO_INT(data);
    PowerPCCPU *cpu = jit ? cpu_jit : cpu_interp;
    /* word i adds 16^i to r3: 12 of W0, 4 of W1, 8 of W2, 4 of W3 */
    static const unsigned seq[] = { 0, 0, 0, 1, 2, 2, 3 };
    unsigned n = 0;
    const void *code;

    guest_stl_be(IND_DISPATCH, INSN_LD_R6_0_R5);
    guest_stl_be(IND_DISPATCH + 4, INSN_ADDI_R5_8);
    guest_stl_be(IND_DISPATCH + 8, INSN_CMPDI_R6_0);
    guest_stl_be(IND_DISPATCH + 12, INSN_BEQ(IND_DISPATCH + 12, IND_DONE));
    guest_stl_be(IND_DISPATCH + 16, INSN_MTCTR_R6);
    guest_stl_be(IND_DISPATCH + 20, INSN_BCTR);
    guest_stl_be(IND_DONE, HARNESS_SC1);
    for (unsigned i = 0; i < 4; i++) {
        guest_stl_be(IND_WORD(i), INSN_ADDI_R3(1u << (4 * i)));
        guest_stl_be(IND_WORD(i) + 4, INSN_B(IND_WORD(i) + 4, IND_DISPATCH));
    }
    for (unsigned r = 0; r < 4; r++) {
        for (size_t k = 0; k < ARRAY_SIZE(seq); k++, n++) {
            guest_stl_be(IND_TABLE + 8 * n, 0);
            guest_stl_be(IND_TABLE + 8 * n + 4, IND_WORD(seq[k]));
        }
    }
    guest_stl_be(IND_TABLE + 8 * n, 0);
    guest_stl_be(IND_TABLE + 8 * n + 4, 0);
    ppc_tb_flush(cpu);

    /* The loop found every word once: each has its entry, naming its code when compiled. */
    dispatch_twice_check_entries(cpu, jit);
    if (jit) {
        for (unsigned i = 0; i < 4; i += 2) {
            code = ind_entry(cpu, IND_WORD(i))->code;
            ind_entry(cpu, IND_WORD(i))->code = ind_entry(cpu, IND_WORD(i + 1))->code;
            ind_entry(cpu, IND_WORD(i + 1))->code = code;
        }
        /* 12 x W1's 0x10, 4 x W0's 1, 8 x W3's 0x1000, 4 x W2's 0x100 */
        g_assert_cmphex(run_dispatch(cpu), ==, 0x84c4);
    }
    /* A flush empties the cache: the words' own code again. */
    ppc_tb_flush(cpu);
    g_assert_cmphex(run_dispatch(cpu), ==, 0x484c);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

/*
 * Compiled at the 8th run (cpu_wait): the words' entries are made while
 * their blocks wait, without code; compiling a block gives its entry the
 * code, or a hot word would leave and re-enter through op->fn for good.
 * W1 and W3 run 4 times a dispatch, W0 12 and W2 8: two dispatches compile all.
 */
static void test_ind_cache_wait(void)
{
    PowerPCCPU *cpu = cpu_wait;

    test_ind_cache(GINT_TO_POINTER(1)); /* writes the program (on cpu_jit) */
    ppc_tb_flush(cpu);
    dispatch_twice_check_entries(cpu, true);
    g_assert_cmphex(run_dispatch(cpu), ==, 0x484c);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

/*
 * A trace (exec.c's tb_jit: a compiled block that ends in a bc testing a
 * CR bit runs on past it) in one page, with a store into that page:
 * TRACE_T: li r3,0; cmpd r4,r5; beq TRACE_SC; addi r3,r3,1; stw r6,0(r7);
 * addi r3,r3,2; addi r3,r3,4; TRACE_SC: sc 1.  Equal registers take the
 * side exit (r3 0); else the extension runs (r3 7).  Rewriting its
 * instructions, by the host or by the trace's own store, retires the trace
 * like any block of the page: the next run sees the new code.  Runs start
 * at TRACE_E, in another page, whose b TRACE_T is linked to the trace's
 * code: the retired trace must leave at once when entered that way too.
 */
#define TRACE_T 0x2c0000
#define TRACE_SC (TRACE_T + 0x1c)
#define TRACE_E 0x2bf000
#define INSN_CMPD_R4_R5 0x7c242800u
#define INSN_STW_R6_0_R7 0x90c70000u

static uint64_t run_trace(PowerPCCPU *cpu, uint64_t r4, uint64_t r5)
{
    cpu->env.gpr[4] = r4;
    cpu->env.gpr[5] = r5;
    run_at(cpu, TRACE_E);
    g_assert_cmphex(cpu->env.nip, ==, TRACE_SC + 4);
    return cpu->env.gpr[3];
}

static void test_trace_code_write(gconstpointer data)
{
    PowerPCCPU *cpu = GPOINTER_TO_INT(data) == 1 ? cpu_jit
                      : GPOINTER_TO_INT(data)    ? cpu_wait
                                                 : cpu_interp;
    uint64_t traces, n;

    guest_stl_be(TRACE_T, INSN_LI_R3_0);
    guest_stl_be(TRACE_T + 4, INSN_CMPD_R4_R5);
    guest_stl_be(TRACE_T + 8, INSN_BEQ(TRACE_T + 8, TRACE_SC));
    guest_stl_be(TRACE_T + 0xc, INSN_ADDI_R3(1));
    guest_stl_be(TRACE_T + 0x10, INSN_STW_R6_0_R7);
    guest_stl_be(TRACE_T + 0x14, INSN_ADDI_R3(2));
    guest_stl_be(TRACE_T + 0x18, INSN_ADDI_R3(4));
    guest_stl_be(TRACE_SC, HARNESS_SC1);
    guest_stl_be(TRACE_E, INSN_B(TRACE_E, TRACE_T));
    ppc_tb_flush(cpu);
    traces = ppc_tb_traces(cpu);
    cpu->env.gpr[7] = HARNESS_DATA; /* the store out of the way */
    /* (cpu_wait compiles at the 8th run) */
    for (int i = 0; i < 9; i++) {
        g_assert_cmpuint(run_trace(cpu, 1, 2), ==, 7);
        g_assert_cmpuint(run_trace(cpu, 3, 3), ==, 0);
    }
    g_assert_cmpuint(ppc_tb_traces(cpu), ==, traces + (cpu == cpu_interp ? 0 : 1));
    n = ppc_tb_blocks(cpu);

    /* A host write into the extension: the trace is translated again. */
    guest_stl_be(TRACE_T + 0x14, INSN_ADDI_R3(16));
    for (int i = 0; i < 9; i++) {
        g_assert_cmpuint(run_trace(cpu, 1, 2), ==, 21);
    }
    g_assert_cmpuint(run_trace(cpu, 3, 3), ==, 0);
    g_assert_cmpuint(ppc_tb_blocks(cpu), >, n);
    g_assert_cmpuint(ppc_tb_traces(cpu), ==, traces + (cpu == cpu_interp ? 0 : 2));

    /*
     * The extension stores into itself (addi r3,r3,4 becomes addi r3,r3,8):
     * the run that stores may still run the old instruction (it did not
     * isync); every later one runs the new one.
     */
    cpu->env.gpr[6] = INSN_ADDI_R3(8);
    cpu->env.gpr[7] = TRACE_T + 0x18;
    g_assert_cmpuint(run_trace(cpu, 1, 2), ==, 21);
    for (int i = 0; i < 9; i++) {
        g_assert_cmpuint(run_trace(cpu, 1, 2), ==, 25);
    }
    g_assert_cmpuint(run_trace(cpu, 3, 3), ==, 0);
    ppc_tb_flush(cpu);
    run_at(cpu, HARNESS_CODE);
}

/*
 * A loop made of one trace must stop when asked to: TRACE_L: addi r3,r3,1;
 * stw r3,0(r5); cmpwi r3,0; beq TRACE_LS; addi r4,r4,1; cmpd r4,r4; then
 * beq TRACE_L (the loop form, emit_loop_back(), which keeps the registers
 * across turns) or b TRACE_L (a jump linked to the trace's own entry).  It
 * turns until r3 wraps round (never here); another thread asks the CPU to
 * exit once the guest has counted to 100000 in memory.  A trace that did
 * not check the exit request hangs the test.
 */
#define TRACE_L 0x2d0000
#define TRACE_LS (TRACE_L + 0x1c)
#define TRACE_COUNT (HARNESS_DATA + 0x800)
#define INSN_STW_R3_0_R5 0x90650000u
#define INSN_CMPWI_R3_0 0x2c030000u
#define INSN_ADDI_R4_1 0x38840001u
#define INSN_CMPD_R4_R4 0x7c242000u

static gpointer trace_stopper(gpointer data)
{
    PowerPCCPU *cpu = data;
    uint32_t count = 0;

    while (count < 100000) {
        g_usleep(1000);
        g_assert_true(guest_ldl_be(TRACE_COUNT, &count));
    }
    ppc_request_exit(&cpu->env);
    return NULL;
}

static void test_trace_exit_request(gconstpointer data)
{
    PowerPCCPU *cpu = GPOINTER_TO_INT(data) ? cpu_jit : cpu_interp;

    for (int form = 0; form < 2; form++) {
        uint64_t traces = ppc_tb_traces(cpu);
        uint32_t count;
        GThread *t;

        guest_stl_be(TRACE_L, INSN_ADDI_R3(1));
        guest_stl_be(TRACE_L + 4, INSN_STW_R3_0_R5);
        guest_stl_be(TRACE_L + 8, INSN_CMPWI_R3_0);
        guest_stl_be(TRACE_L + 0xc, INSN_BEQ(TRACE_L + 0xc, TRACE_LS));
        guest_stl_be(TRACE_L + 0x10, INSN_ADDI_R4_1);
        guest_stl_be(TRACE_L + 0x14, INSN_CMPD_R4_R4);
        guest_stl_be(TRACE_L + 0x18,
                     form ? INSN_B(TRACE_L + 0x18, TRACE_L) : INSN_BEQ(TRACE_L + 0x18, TRACE_L));
        guest_stl_be(TRACE_LS, HARNESS_SC1);
        guest_stl_be(TRACE_COUNT, 0);
        cpu->env.gpr[3] = 0;
        cpu->env.gpr[4] = 0;
        cpu->env.gpr[5] = TRACE_COUNT;
        t = g_thread_new("trace-stopper", trace_stopper, cpu);
        cpu->env.nip = TRACE_L;
        cpu->env.exit_request = 0;
        ppc_cpu_exec(cpu);
        g_thread_join(t);
        /* stopped in the loop, with its registers and memory as one turn left them */
        g_assert_cmphex(cpu->env.nip, >=, TRACE_L);
        g_assert_cmphex(cpu->env.nip, <, TRACE_LS);
        g_assert_cmpuint(cpu->env.gpr[3], >=, 100000);
        g_assert_true(guest_ldl_be(TRACE_COUNT, &count));
        g_assert_cmpuint(count, ==, (uint32_t)cpu->env.gpr[3]);
        g_assert_cmpuint(cpu->env.gpr[4] + 1, >=, cpu->env.gpr[3]);
        g_assert_cmpuint(ppc_tb_traces(cpu), ==, traces + (cpu == cpu_jit));
    }
    cpu->env.exit_request = 0;
}

/*
 * The way a trace follows is the one its bc went more often while the
 * block waited to be compiled (cpu_wait: 7 interpreted runs), and a way
 * into another page is not followed.  TRACE_P: cmpd r4,r5; beq TRACE_P2
 * (the next page: sc 1); addi r3,r3,1; sc 1.  Taken at every waiting run,
 * the block is compiled without a trace; not taken, with one.  Compiled
 * when translated (cpu_jit: no runs to count), a forward branch is guessed
 * not taken.
 */
#define TRACE_P 0x2e0f00
#define TRACE_P2 0x2e1000

static void run_profiled(PowerPCCPU *cpu, uint64_t r4, int runs)
{
    for (int i = 0; i < runs; i++) {
        cpu->env.gpr[3] = 0;
        cpu->env.gpr[4] = r4;
        cpu->env.gpr[5] = 5;
        run_at(cpu, TRACE_P);
        g_assert_cmphex(cpu->env.nip, ==, r4 == 5 ? TRACE_P2 + 4 : TRACE_P + 0x10);
        g_assert_cmpuint(cpu->env.gpr[3], ==, r4 != 5);
    }
}

static void test_trace_profile(void)
{
    uint64_t traces;

    guest_stl_be(TRACE_P, INSN_CMPD_R4_R5);
    guest_stl_be(TRACE_P + 4, INSN_BEQ(TRACE_P + 4, TRACE_P2));
    guest_stl_be(TRACE_P + 8, INSN_ADDI_R3(1));
    guest_stl_be(TRACE_P + 0xc, HARNESS_SC1);
    guest_stl_be(TRACE_P2, HARNESS_SC1);

    ppc_tb_flush(cpu_wait);
    traces = ppc_tb_traces(cpu_wait);
    run_profiled(cpu_wait, 5, 7);
    run_profiled(cpu_wait, 1, 3); /* the 8th run compiles it */
    g_assert_cmpuint(ppc_tb_traces(cpu_wait), ==, traces);

    ppc_tb_flush(cpu_wait);
    run_profiled(cpu_wait, 1, 7);
    run_profiled(cpu_wait, 5, 3);
    g_assert_cmpuint(ppc_tb_traces(cpu_wait), ==, traces + 1);

    ppc_tb_flush(cpu_jit);
    traces = ppc_tb_traces(cpu_jit);
    run_profiled(cpu_jit, 5, 2);
    run_profiled(cpu_jit, 1, 2);
    g_assert_cmpuint(ppc_tb_traces(cpu_jit), ==, traces + 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    harness_jit_pair(&cpu_jit, &cpu_interp);
    ppc_cpu_set_jit_after(8);
    cpu_wait = ppc_cpu_create(ppc_cpu_model_default(), 2);
    ppc_cpu_set_vhyp(cpu_wait, NULL, &harness_vhyp);
    cpu_wait->env.msr = MSR_SF | MSR_ME;
    harness_run(cpu_wait, NULL, 0);
    ppc_cpu_set_jit_after(1);
    g_test_add_func("/host-mem/trim", test_trim);
    g_test_add_func("/host-mem/map-cache", test_map_cache);
    g_test_add_data_func("/ppc/tb/flush-gives-back/jit", GINT_TO_POINTER(1), test_flush_gives_back);
    g_test_add_data_func("/ppc/tb/flush-gives-back/interp", GINT_TO_POINTER(0),
                         test_flush_gives_back);
    g_test_add_data_func("/ppc/tb/retire-page/jit", GINT_TO_POINTER(1), test_retire_page);
    g_test_add_data_func("/ppc/tb/retire-page/interp", GINT_TO_POINTER(0), test_retire_page);
    g_test_add_func("/ppc/tb/arena-per-op", test_arena_per_op);
    g_test_add_data_func("/ppc/tb/facility-shared/jit", GINT_TO_POINTER(1), test_facility_shared);
    g_test_add_data_func("/ppc/tb/facility-shared/interp", GINT_TO_POINTER(0),
                         test_facility_shared);
    g_test_add_func("/ppc/tb/jit-after", test_jit_after);
    g_test_add_data_func("/ppc/tb/ind-cache/jit", GINT_TO_POINTER(1), test_ind_cache);
    g_test_add_data_func("/ppc/tb/ind-cache/interp", GINT_TO_POINTER(0), test_ind_cache);
    g_test_add_func("/ppc/tb/ind-cache/wait", test_ind_cache_wait);
    g_test_add_data_func("/ppc/tb/trace-code-write/jit", GINT_TO_POINTER(1), test_trace_code_write);
    g_test_add_data_func("/ppc/tb/trace-code-write/wait", GINT_TO_POINTER(2),
                         test_trace_code_write);
    g_test_add_data_func("/ppc/tb/trace-code-write/interp", GINT_TO_POINTER(0),
                         test_trace_code_write);
    g_test_add_func("/ppc/tb/trace-profile", test_trace_profile);
    g_test_add_data_func("/ppc/tb/trace-exit-request/jit", GINT_TO_POINTER(1),
                         test_trace_exit_request);
    g_test_add_data_func("/ppc/tb/trace-exit-request/interp", GINT_TO_POINTER(0),
                         test_trace_exit_request);
    return g_test_run();
}

/*
 * An SMP workload for live migration tests (run with -smp 2 or -smp 4): every
 * processor mixes a slice of its own, round after round, with the sums the
 * others published for the round before, so the result depends on each one's
 * registers, memory and the order the rounds keep. Between rounds:
 *
 * - each processor paces its round with its own decrementer (set at the
 *   start of the round) and ends the round when it takes the decrementer
 *   interrupt, spinning with MSR[EE] on: a decrementer lost or moved by a
 *   migration hangs the round;
 * - the secondaries wait for the next round in turn on an XICS IPI taken as
 *   an external interrupt, with EE on, then accepted with H_XIRR (even rounds;
 *   the IPI may be pending in the ICP, or being delivered, when the state is
 *   saved) and in H_JOIN until an H_PROD (odd rounds; the processor may be
 *   asleep in H_JOIN when the state is saved; the boot processor prods until
 *   it has started the round, as a prod before the H_JOIN is lost).
 *
 * Every processor takes its interrupts through the runtime's handler at once
 * (each has its own trap record); one of another vector counts as bad.
 *
 * The boot processor prints a line per round with the sums. After round 2 it
 * waits for 's' on the console (the test script types it once the copy is
 * active, so the source computes rounds during the copy however fast rounds
 * go), after half the rounds for 'g', after ROUNDS rounds for 'q' (the script
 * types those once the migration is over, so the destination always runs the
 * second half), then prints a checksum over every slice and an 8 MiB
 * ballast written once at the start. A migrated run
 * must print the same round lines and checksum as an unmigrated one
 * (tests/guest/run-migration.py, mode live-sum).
 *
 * Built with -DMIGSMP_RESERVE (migsmp-stopped) the last processor is never
 * started before the 'q': it stays in the RTAS stopped state through the
 * migration (each round checks query-cpu-stopped-state), and is then started
 * on the destination to compute a last sum over the whole array.
 */
#include "insn.h"
#include "runtime/guest.h"

#define MAXCPUS 8
#define SLICE_WORDS (1u << 15) /* 256 KiB a processor */
#define ROUNDS 24
#define PACE_MS 40
#define STACK_SIZE 16384
/*
 * Written once at the start and summed at the end: 8 MiB that pre-copy's first
 * pass must send (about 250 ms at run-migration.py's 32 MiB/s), so that the
 * migration spans several rounds however few processors dirty their slices.
 */
#define BALLAST_WORDS (2u << 20)
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_EOI 0x64
#define H_XIRR 0x74
#define H_PROD 0xe8
#define H_JOIN 0x298
#define H_CONTINUE 18
#define XISR_IPI 2
#define VEC_EXTERNAL 0x500
#define VEC_DECREMENTER 0x900
#define MSR_EE PPC_BIT(48)
#define DEC_IDLE 0x7fffffff /* positive: lowers the decrementer's level */
#define IPI_PRIORITY 5
#define CPU_STOPPED 0
#define RTAS_PARAM_ERROR (-3)

/* What one processor shares, on a page of its own. */
struct slot {
    volatile uint32_t done;    /* the last round it finished */
    volatile uint32_t go;      /* the round it may start (written by the boot CPU) */
    volatile uint32_t started; /* the last round it started */
    volatile uint64_t sum[2];  /* its sum after each round, by the round's parity */
    volatile uint32_t bad;     /* what it saw go wrong (for the boot CPU to check) */
    volatile uint64_t final;   /* the reserved processor's sum over everything */
} __attribute__((aligned(65536)));

static uint32_t words[MAXCPUS][SLICE_WORDS] __attribute__((aligned(65536)));
static uint32_t ballast[BALLAST_WORDS] __attribute__((aligned(65536)));
static struct slot slots[MAXCPUS];
static uint8_t stacks[MAXCPUS][STACK_SIZE] __attribute__((aligned(65536)));
static struct guest_cpu cpus[MAXCPUS];
static uint32_t ncpus, nworkers;

/* Labels inside spin_with_ee's asm. */
extern const char migsmp_spin[], migsmp_landing[];

/*
 * Turn EE on and spin until the time base reaches @deadline, then turn EE off.
 * An expected interrupt resumes at migsmp_landing with EE off (see
 * guest_trap_expect_resume), skipping the rest of the loop.
 */
static void __attribute__((noinline)) spin_with_ee(uint64_t deadline)
{
    asm volatile("mfmsr %%r3\n\t"
                 "ori %%r3, %%r3, 0x8000\n\t"
                 "mtmsrd %%r3, 1\n"
                 ".globl migsmp_spin\n"
                 "migsmp_spin:\n\t"
                 "mfspr %%r4, 268\n\t"
                 "cmpld %%r4, %0\n\t"
                 "blt migsmp_spin\n\t"
                 "li %%r4, 2\n\t" /* EE = 0, RI = 1 */
                 "mtmsrd %%r4, 1\n"
                 ".globl migsmp_landing\n"
                 "migsmp_landing:\n"
                 :
                 : "r"(deadline)
                 : "r3", "r4", "cr0", "memory");
}

/* Wait with EE on (a second at a time) for an interrupt: its vector. */
static uint64_t take_interrupt(void)
{
    struct guest_trap t;

    do {
        guest_trap_expect_resume((void (*)(void))migsmp_landing, MSR_EE);
        spin_with_ee(guest_mftb() + GUEST_TB_MS(1000));
    } while (!guest_trap_taken(&t));
    return t.vector;
}

static uint64_t rotl(uint64_t v, unsigned n)
{
    return v << n | v >> (64 - n);
}

static int64_t hcall2(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t *r4)
{
    uint64_t regs[9] = { a0, a1 };
    int64_t rc = guest_hcall(opcode, regs);

    if (r4) {
        *r4 = regs[0];
    }
    return rc;
}

/* Round @r of processor @id: its slice, mixed with what the next one published. */
static void work(uint32_t id, uint32_t r)
{
    uint32_t *w = words[id];
    uint32_t prev = (r - 1) & 1;
    /* (the next one writes its other sum this round: no race) */
    uint64_t sum = slots[id].sum[prev] ^ rotl(slots[(id + 1) % nworkers].sum[prev], id + 1);
    uint32_t k = (uint32_t)sum;

    /* Paced by its own decrementer; the last processor's pace is the longest. */
    guest_mtdec(GUEST_TB_MS(PACE_MS) + id * GUEST_TB_MS(PACE_MS) / 8);
    for (uint32_t i = 0; i < SLICE_WORDS; i++) {
        uint32_t x = w[i] ^ (w[(i * 13 + r) & (SLICE_WORDS - 1)] >> 5) ^ k;

        x = x * 2654435761u + r + id;
        w[i] = x;
        sum = rotl(sum, 7) ^ x;
    }
    /* The round ends with the decrementer's interrupt; nothing else may come. */
    if (take_interrupt() != VEC_DECREMENTER) {
        slots[id].bad++;
    }
    guest_mtdec(DEC_IDLE);
    slots[id].sum[r & 1] = sum;
}

/*
 * The IPI of an even round, taken as an external interrupt and accepted with
 * H_XIRR. A decrementer run out meanwhile (a long wait) is set idle again.
 */
static void wait_ipi(uint32_t id)
{
    struct slot *s = &slots[id];

    for (;;) {
        uint64_t vector = take_interrupt(), xirr = 0;

        if (vector == VEC_DECREMENTER) {
            guest_mtdec(DEC_IDLE);
            continue;
        }
        if (vector != VEC_EXTERNAL) {
            s->bad++;
            continue;
        }
        hcall2(H_XIRR, 0, 0, &xirr);
        if ((xirr & 0xffffff) != XISR_IPI) {
            s->bad++;
        }
        hcall2(H_IPI, id, 0xff, NULL);
        hcall2(H_EOI, xirr, 0, NULL);
        return;
    }
}

/*
 * A secondary's wait for round @r: H_JOIN until prodded (odd rounds), or the
 * round's one IPI, sent once go is set (even rounds).
 */
static void wait_round(uint32_t id, uint32_t r)
{
    struct slot *s = &slots[id];

    if (r & 1) {
        while (s->go != r) {
            int64_t rc = hcall2(H_JOIN, 0, 0, NULL);

            if (rc != H_SUCCESS && rc != H_CONTINUE) {
                s->bad++;
            }
        }
    } else {
        wait_ipi(id);
        if (s->go != r) {
            s->bad++;
        }
    }
    asm volatile("sync" ::: "memory");
    s->started = r;
}

static void secondary(struct guest_cpu *cpu)
{
    uint32_t id = cpu->id;

    if (id >= nworkers) {
        /* The reserved processor, started on the destination: a sum over all. */
        uint64_t sum = 0;

        for (uint32_t c = 0; c < nworkers; c++) {
            for (uint32_t i = 0; i < SLICE_WORDS; i++) {
                sum = rotl(sum, 3) + words[c][i];
            }
        }
        slots[id].final = sum;
        return;
    }
    hcall2(H_CPPR, 0xff, 0, NULL);
    for (uint32_t r = 1; r <= ROUNDS; r++) {
        wait_round(id, r);
        work(id, r);
        asm volatile("sync" ::: "memory");
        slots[id].done = r;
    }
}

/* The boot CPU starts round @r on every secondary. */
static void release(uint32_t r)
{
    for (uint32_t id = 1; id < nworkers; id++) {
        slots[id].go = r;
    }
    asm volatile("sync" ::: "memory");
    for (uint32_t id = 1; id < nworkers; id++) {
        if (r & 1) {
            /*
             * A prod that comes before the H_JOIN is lost (as in QEMU 7.2: only
             * H_CEDE and H_CONFER keep one): prod until the processor is on its way.
             */
            int64_t rc;

            do {
                rc = hcall2(H_PROD, id, 0, NULL);
            } while (rc == H_SUCCESS && slots[id].started != r);
            CHECK_EQ(rc, H_SUCCESS);
        } else {
            CHECK_EQ(hcall2(H_IPI, id, IPI_PRIORITY, NULL), H_SUCCESS);
        }
    }
}

int main(void *fdt)
{
    uint64_t sum = 0x0123456789abcdefULL;
    uint32_t seed = 1;

    /* The processors there are: query-cpu-stopped-state knows each. */
    for (ncpus = 1; ncpus < MAXCPUS && guest_cpu_state(ncpus) != RTAS_PARAM_ERROR; ncpus++) {
    }
#ifdef MIGSMP_RESERVE
    nworkers = ncpus - 1;
#else
    nworkers = ncpus;
#endif
    guest_printf("migsmp: %u processors, %u at work\n", ncpus, nworkers);
    CHECK(ncpus >= 2);
    for (uint32_t c = 0; c < nworkers; c++) {
        for (uint32_t i = 0; i < SLICE_WORDS; i++) {
            seed = seed * 1103515245u + 12345u;
            words[c][i] = seed;
        }
        slots[c].sum[0] = seed;
    }
    for (uint32_t i = 0; i < BALLAST_WORDS; i++) {
        seed = seed * 1103515245u + 12345u;
        ballast[i] = seed;
    }
    asm volatile("sync" ::: "memory");
    guest_cpus_start(cpus, nworkers, secondary, &stacks[0][0], STACK_SIZE);
    for (uint32_t r = 1; r <= ROUNDS; r++) {
        uint64_t digest = 0;

        release(r);
        work(0, r);
        for (uint32_t id = 1; id < nworkers; id++) {
            CHECK(guest_wait_u32(&slots[id].done, r, 30000));
        }
        asm volatile("sync" ::: "memory");
        for (uint32_t id = 0; id < nworkers; id++) {
            digest = rotl(digest, 11) ^ slots[id].sum[r & 1];
        }
        if (nworkers < ncpus) {
            CHECK_EQ(guest_cpu_state(nworkers), CPU_STOPPED);
        }
        guest_printf("migsmp: round %u sum %016lx\n", r, digest);
        /* The secondaries wait for the next round without a time limit. */
        if (r == 2) {
            guest_printf("migsmp: waiting for s\n");
            while (!guest_typed('s')) {
            }
        }
        if (r == ROUNDS / 2) {
            guest_printf("migsmp: half way, waiting for g\n");
            while (!guest_typed('g')) {
            }
        }
    }
    CHECK_EQ(slots[0].bad, 0);
    for (uint32_t id = 1; id < nworkers; id++) {
        CHECK(guest_cpu_wait_stopped(&cpus[id], 30000));
        CHECK_EQ(slots[id].bad, 0);
    }
    /* The script types 'q' once the migration is over. */
    while (!guest_typed('q')) {
    }
    for (uint32_t c = 0; c < nworkers; c++) {
        for (uint32_t i = 0; i < SLICE_WORDS; i++) {
            sum = rotl(sum, 3) + words[c][i];
        }
    }
    for (uint32_t i = 0; i < BALLAST_WORDS; i++) {
        sum = rotl(sum, 5) ^ ballast[i];
    }
    if (nworkers < ncpus) {
        /* The processor kept stopped through the migration starts here. */
        uint32_t id = nworkers;

        CHECK_EQ(guest_cpu_state(id), CPU_STOPPED);
        CHECK_EQ(guest_cpu_start(&cpus[id], id, secondary, stacks[id], STACK_SIZE), 0);
        CHECK(guest_cpu_wait_stopped(&cpus[id], 30000));
        guest_printf("migsmp: processor %u started after the migration, sum %016lx\n", id,
                     slots[id].final);
        sum ^= slots[id].final;
    }
    guest_printf("migsmp: checksum %016lx\n", sum);
    return 0;
}

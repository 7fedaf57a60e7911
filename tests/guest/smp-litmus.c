/*
 * Memory-ordering litmus tests between two processors (-smp 2), many runs each:
 * MP (message passing) with lwsync on both sides must never show the flag
 * without the data; SB (store buffering) with sync on both sides must never
 * show both loads missing the other CPU's store (Book II 1.7).  SB without a
 * barrier is run too: it may show that outcome, which is reported only.
 */
#include "runtime/guest.h"

#define STACK_SIZE 16384
#define BATCH 512
#define RUN_MS 600

static uint8_t stack1[STACK_SIZE] __attribute__((aligned(16)));
static struct guest_cpu cpu1;

/* The two locations of each run sit in different granules. */
static volatile uint64_t xs[BATCH][16] __attribute__((aligned(128)));
static volatile uint64_t ys[BATCH][16] __attribute__((aligned(128)));
static uint64_t r0[BATCH], r1[BATCH];

/* Both CPUs meet at each step (a step number, only CPU 0 advances it). */
static volatile uint64_t step __attribute__((aligned(128)));
static volatile uint64_t acked __attribute__((aligned(128)));
static volatile uint64_t started __attribute__((aligned(128)));

enum { TEST_SB_SYNC, TEST_SB_NONE, TEST_MP, TEST_STOP };
static volatile uint64_t test;

#define X(i) (xs[i][0])
#define Y(i) (ys[i][0])

static void cpu1_batch(void)
{
    switch (test) {
    case TEST_SB_SYNC:
        for (unsigned i = 0; i < BATCH; i++) {
            Y(i) = 1;
            asm volatile("sync" ::: "memory");
            r1[i] = X(i);
        }
        break;
    case TEST_SB_NONE:
        for (unsigned i = 0; i < BATCH; i++) {
            Y(i) = 1;
            asm volatile("" ::: "memory");
            r1[i] = X(i);
        }
        break;
    case TEST_MP:
        /* The reader: flag (Y) then data (X). */
        for (unsigned i = 0; i < BATCH; i++) {
            uint64_t f = Y(i);

            asm volatile("lwsync" ::: "memory");
            r1[i] = X(i);
            r0[i] = f;
        }
        break;
    }
}

static void cpu0_batch(void)
{
    switch (test) {
    case TEST_SB_SYNC:
        for (unsigned i = 0; i < BATCH; i++) {
            X(i) = 1;
            asm volatile("sync" ::: "memory");
            r0[i] = Y(i);
        }
        break;
    case TEST_SB_NONE:
        for (unsigned i = 0; i < BATCH; i++) {
            X(i) = 1;
            asm volatile("" ::: "memory");
            r0[i] = Y(i);
        }
        break;
    case TEST_MP:
        /* The writer: data (X) then flag (Y). */
        for (unsigned i = 0; i < BATCH; i++) {
            X(i) = 1;
            asm volatile("lwsync" ::: "memory");
            Y(i) = 1;
        }
        break;
    }
}

static void other(struct guest_cpu *cpu)
{
    uint64_t seen = 0;

    for (;;) {
        while (step == seen) {
        }
        seen = step;
        asm volatile("sync" ::: "memory");
        if (test == TEST_STOP) {
            break;
        }
        /* CPU 0 starts when it sees this: both run their batch at about the same time. */
        started = seen;
        cpu1_batch();
        asm volatile("sync" ::: "memory");
        acked = seen;
    }
}

/* One batch of runs of the current test; returns the forbidden outcomes. */
static uint64_t batch(uint64_t *relaxed)
{
    uint64_t bad = 0;

    for (unsigned i = 0; i < BATCH; i++) {
        X(i) = 0;
        Y(i) = 0;
    }
    asm volatile("sync" ::: "memory");
    step = step + 1;
    while (started != step) {
    }
    cpu0_batch();
    while (acked != step) {
    }
    asm volatile("sync" ::: "memory");
    for (unsigned i = 0; i < BATCH; i++) {
        if (test == TEST_MP) {
            bad += r0[i] == 1 && r1[i] == 0;
            *relaxed += r0[i] == 1 && r1[i] == 1;
        } else {
            bad += r0[i] == 0 && r1[i] == 0;
            *relaxed += r0[i] == 0 && r1[i] == 1;
        }
    }
    return bad;
}

static uint64_t run(unsigned which, uint64_t *runs, uint64_t *other_outcome)
{
    uint64_t end = guest_mftb() + GUEST_TB_MS(RUN_MS), bad = 0;

    test = which;
    *runs = 0;
    *other_outcome = 0;
    while (guest_mftb() < end) {
        bad += batch(other_outcome);
        *runs += BATCH;
    }
    return bad;
}

int main(void *fdt)
{
    uint64_t runs, seen, bad;

    CHECK_EQ(guest_cpu_start(&cpu1, 1, other, stack1, sizeof(stack1)), 0);

    bad = run(TEST_SB_SYNC, &runs, &seen);
    guest_printf("SB+syncs: %lu runs, %lu forbidden, %lu with one store seen\n", runs, bad, seen);
    CHECK(runs > 0);
    CHECK_EQ(bad, 0);

    bad = run(TEST_MP, &runs, &seen);
    guest_printf("MP+lwsyncs: %lu runs, %lu forbidden, %lu with flag and data\n", runs, bad, seen);
    CHECK(runs > 0);
    CHECK_EQ(bad, 0);

    /* Allowed without barriers: shows the test can see reordering at all. */
    bad = run(TEST_SB_NONE, &runs, &seen);
    guest_printf("SB (no barrier): %lu runs, %lu with both loads old\n", runs, bad);

    test = TEST_STOP;
    asm volatile("sync" ::: "memory");
    step = step + 1;
    CHECK(guest_wait_u32(&cpu1.done, 1, 10000));
    return 0;
}

/* Secondary processors through RTAS (run with -smp 4): query-cpu-stopped-state,
 * start-cpu (entry state, r3, errors), stop-self, restart, and all three
 * secondaries counting in parallel. */
#include "runtime/guest.h"

#define NCPUS 4
#define RTAS_PARAM_ERROR (-3)
#define CPU_STOPPED 0
#define CPU_RUNNING 2
#define MSR_SF (1ULL << 63)
#define MSR_ME (1ULL << 12)
#define STACK_SIZE 8192
#define SPINS 200000

/*
 * What the processors share, on pages of their own: a store to a page that also
 * holds code costs a code-invalidation check in an emulator (QEMU's too).
 */
#define SHARED __attribute__((aligned(65536)))
static uint8_t stacks[NCPUS][STACK_SIZE] SHARED;
static struct guest_cpu cpus[NCPUS] SHARED;
/* The boot CPU sets it to let the secondaries return (and stop). */
static volatile uint32_t release SHARED;
static volatile uint64_t counts[NCPUS];
static volatile uint32_t runs[NCPUS];

/* Wait up to 5 s for query-cpu-stopped-state to answer @state. */
static bool wait_state(uint32_t id, int32_t state)
{
    uint64_t start = guest_mftb();

    while (guest_cpu_state(id) != state) {
        if (guest_mftb() - start > GUEST_TB_MS(5000)) {
            return false;
        }
    }
    return true;
}

/* A secondary: counts until released. */
static void worker(struct guest_cpu *cpu)
{
    uint32_t id = cpu->id;

    runs[id]++;
    while (!release) {
        counts[id]++;
    }
}

/* A secondary: counts SPINS times and returns at once. */
static void counter(struct guest_cpu *cpu)
{
    uint32_t id = cpu->id;

    for (uint32_t i = 0; i < SPINS; i++) {
        counts[id]++;
    }
    runs[id]++;
}

static void test_initial_states(void)
{
    uint32_t args[2] = { 0, 0 }, rets[2];

    CHECK_EQ(guest_cpu_state(0), CPU_RUNNING);
    for (uint32_t id = 1; id < NCPUS; id++) {
        CHECK_EQ(guest_cpu_state(id), CPU_STOPPED);
    }
    /* No processor 4 or 0xffffffff; wrong cell counts. */
    CHECK_EQ(guest_cpu_state(NCPUS), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_cpu_state(0xffffffff), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("query-cpu-stopped-state", 2, 2, args, rets), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("query-cpu-stopped-state", 1, 1, args, rets), RTAS_PARAM_ERROR);
}

static void test_start_errors(void)
{
    uint32_t args[3] = { 0, 0x100, 0 };

    /* The boot CPU runs; processor 4 does not exist; start-cpu takes 3 arguments. */
    CHECK_EQ(guest_rtas("start-cpu", 3, 1, args, NULL), RTAS_HW_ERROR);
    args[0] = NCPUS;
    CHECK_EQ(guest_rtas("start-cpu", 3, 1, args, NULL), RTAS_PARAM_ERROR);
    args[0] = 1;
    CHECK_EQ(guest_rtas("start-cpu", 2, 1, args, NULL), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("start-cpu", 3, 2, args, NULL), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_cpu_state(1), CPU_STOPPED);
}

/* Start, a second start refused, stop-self, and a restart of processor 1. */
static void test_start_stop_restart(void)
{
    for (int round = 0; round < 3; round++) {
        release = 0;
        CHECK_EQ(guest_cpu_start(&cpus[1], 1, worker, stacks[1], STACK_SIZE), 0);
        CHECK(guest_wait_u32(&runs[1], round + 1, 5000));
        /* r3 was our struct (the entry code found its stack there); SF and ME only. */
        CHECK_EQ(cpus[1].entry_msr, MSR_SF | MSR_ME);
        CHECK_EQ(guest_cpu_state(1), CPU_RUNNING);
        CHECK_EQ(guest_cpu_start(&cpus[2], 1, worker, stacks[2], STACK_SIZE), RTAS_HW_ERROR);
        /* It runs while we do: its count moves. */
        {
            uint64_t before = counts[1], start = guest_mftb();

            while (counts[1] == before && guest_mftb() - start < GUEST_TB_MS(5000)) {
            }
            CHECK(counts[1] != before);
        }
        release = 1;
        CHECK(guest_wait_u32(&cpus[1].done, 1, 5000));
        CHECK(wait_state(1, CPU_STOPPED));
        CHECK_EQ(cpus[1].done, 1);
        /* It stays stopped. */
        {
            uint64_t after = counts[1], start = guest_mftb();

            while (guest_mftb() - start < GUEST_TB_MS(20)) {
            }
            CHECK_EQ(counts[1], after);
        }
    }
    CHECK_EQ(runs[1], 3);
}

/* Every secondary at once, each counting on its own stack. */
static void test_parallel(void)
{
    for (uint32_t id = 1; id < NCPUS; id++) {
        counts[id] = 0;
        runs[id] = 0;
        CHECK_EQ(guest_cpu_start(&cpus[id], id, counter, stacks[id], STACK_SIZE), 0);
    }
    for (uint32_t id = 1; id < NCPUS; id++) {
        if (!CHECK(guest_wait_u32(&cpus[id].done, 1, 5000))) {
            guest_printf("cpu %u: count %lu, runs %u, state %d, msr %lx\n", id,
                         (unsigned long)counts[id], runs[id], guest_cpu_state(id),
                         (unsigned long)cpus[id].entry_msr);
        }
        CHECK(wait_state(id, CPU_STOPPED));
        CHECK_EQ(counts[id], SPINS);
        CHECK_EQ(runs[id], 1);
        CHECK_EQ(cpus[id].entry_msr, MSR_SF | MSR_ME);
    }
    CHECK_EQ(guest_cpu_state(0), CPU_RUNNING);
}

int main(void *fdt)
{
    test_initial_states();
    test_start_errors();
    test_start_stop_restart();
    test_parallel();
    return 0;
}

/* The SMP benchmark guest: 192 units of work (each a sieve of Eratosthenes below
 * 500,000 in the CPU's own array) handed out through a shared counter to every
 * CPU the machine has (1 or 2), timed with the time base.  scripts/bench.sh runs
 * it at -smp 1 and -smp 2, on ours and on QEMU, and compares the speed-ups. */
#include "../../guest/runtime/guest.h"

#define MAX_CPUS 2
#define UNITS 192
#define LIMIT 500000
#define STACK_SIZE 16384

static uint8_t stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
static struct guest_cpu cpus[MAX_CPUS];
/* Each CPU's sieve in its own pages (no cache line shared). */
static struct {
    uint8_t s[LIMIT];
} __attribute__((aligned(4096))) sieve[MAX_CPUS];
static volatile uint32_t next_unit __attribute__((aligned(128)));
static volatile uint64_t checksum[MAX_CPUS][16] __attribute__((aligned(128)));
static volatile uint64_t units_done[MAX_CPUS][16] __attribute__((aligned(128)));

static inline uint32_t fetch_inc32(volatile uint32_t *p)
{
    uint32_t t;

    asm volatile("1: lwarx %0,0,%1\n\t"
                 "addi %0,%0,1\n\t"
                 "stwcx. %0,0,%1\n\t"
                 "bne- 1b"
                 : "=&b"(t)
                 : "r"(p)
                 : "cr0", "memory");
    return t - 1;
}

/* Primes below LIMIT, counted with the unit number mixed in. */
static uint64_t unit(unsigned cpu, uint32_t k)
{
    uint8_t *s = sieve[cpu].s;
    uint64_t count = 0;

    for (uint32_t i = 0; i < LIMIT; i++) {
        s[i] = i >= 2;
    }
    for (uint32_t i = 2; i * i < LIMIT; i++) {
        if (s[i]) {
            for (uint32_t j = i * i; j < LIMIT; j += i) {
                s[j] = 0;
            }
        }
    }
    for (uint32_t i = 0; i < LIMIT; i++) {
        count += s[i];
    }
    return count * (k + 1);
}

static void work(unsigned cpu)
{
    for (;;) {
        uint32_t k = fetch_inc32(&next_unit);

        if (k >= UNITS) {
            break;
        }
        checksum[cpu][0] += unit(cpu, k);
        units_done[cpu][0]++;
    }
}

static void secondary(struct guest_cpu *c)
{
    work(c->id);
}

int main(void *fdt)
{
    unsigned n = 1;
    uint64_t t0, ticks, sum = 0;

    /* CPU 1 exists only with -smp 2: start-cpu refuses it otherwise. */
    t0 = guest_mftb();
    if (guest_cpu_start(&cpus[1], 1, secondary, stacks[1], STACK_SIZE) == 0) {
        n = 2;
    }
    work(0);
    if (n == 2) {
        while (!cpus[1].done) {
        }
    }
    ticks = guest_mftb() - t0;
    for (unsigned i = 0; i < n; i++) {
        sum += checksum[i][0];
        guest_printf("cpu %u: %lu units\n", i, units_done[i][0]);
    }
    /* 41538 primes below 500,000: the sum of 41538 * k for k = 1..192. */
    CHECK_EQ(sum, 41538ULL * UNITS * (UNITS + 1) / 2);
    guest_printf("smp-bench: %u cpus, %lu ms\n", n, ticks / 512000);
    return 0;
}

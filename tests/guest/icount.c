/* Time as the guest sees it over fixed instruction sequences: the time-base ticks
 * across counted loops, and the loop iteration a decrementer interrupt stops. It
 * prints them for tests/cli/test-icount.sh, which runs it under -icount (the same
 * lines on every run, in the ratio of the shifts); alone it checks that time moves. */
#include "runtime/guest.h"

#define VEC_DECREMENTER 0x900
#define MSR_EE (1ULL << 15)

extern const char icount_spin[], icount_landing[];

/* The time-base ticks across @n rounds of a four-instruction loop. */
static uint64_t __attribute__((noinline)) timed_loop(uint64_t n)
{
    uint64_t t0, t1, x = 0;

    asm volatile("mfspr %0, 268\n\t"
                 "mtctr %3\n"
                 "1:\n\t"
                 "addi %2, %2, 1\n\t"
                 "xor %2, %2, %3\n\t"
                 "nop\n\t"
                 "bdnz 1b\n\t"
                 "mfspr %1, 268"
                 : "=&r"(t0), "=&r"(t1), "+r"(x)
                 : "r"(n)
                 : "ctr", "memory");
    return t1 - t0;
}

/*
 * Set DEC to @ticks, turn EE on and count rounds of a two-instruction loop until
 * the decrementer interrupts it (the handler resumes at icount_landing with EE
 * off); returns the rounds, *srr0 where it came.
 */
static uint64_t __attribute__((noinline)) rounds_until_decrementer(uint64_t ticks, uint64_t *srr0)
{
    uint64_t count;
    struct guest_trap t;

    guest_trap_expect_resume((void (*)(void))icount_landing, MSR_EE);
    asm volatile("li %0, 0\n\t"
                 "mtspr 22, %1\n\t"
                 "mfmsr %%r3\n\t"
                 "ori %%r3, %%r3, 0x8000\n\t"
                 "mtmsrd %%r3, 1\n"
                 ".globl icount_spin\n"
                 "icount_spin:\n\t"
                 "addi %0, %0, 1\n\t"
                 "b icount_spin\n"
                 ".globl icount_landing\n"
                 "icount_landing:\n"
                 : "=&r"(count)
                 : "r"(ticks)
                 : "r3", "memory");
    guest_mtdec(0x7fffffff);
    *srr0 = 0;
    if (CHECK(guest_trap_taken(&t)) && CHECK_EQ(t.vector, VEC_DECREMENTER)) {
        *srr0 = t.srr0;
    }
    return count;
}

int main(void *fdt)
{
    static const uint64_t loops[] = { 1000, 100000 };
    static const uint64_t decs[] = { 5120, 51200 };

    guest_mtdec(0x7fffffff);
    for (unsigned i = 0; i < 2; i++) {
        uint64_t ticks = timed_loop(loops[i]);

        guest_printf("icount: loop %lu: %lu ticks\n", (unsigned long)loops[i],
                     (unsigned long)ticks);
        CHECK(ticks > 0);
    }
    for (unsigned i = 0; i < 2; i++) {
        uint64_t srr0, rounds = rounds_until_decrementer(decs[i], &srr0);

        guest_printf("icount: decrementer %lu: %lu rounds, at spin+%lu\n", (unsigned long)decs[i],
                     (unsigned long)rounds, (unsigned long)(srr0 - (uintptr_t)icount_spin));
        CHECK(srr0 == (uintptr_t)icount_spin || srr0 == (uintptr_t)icount_spin + 4);
    }
    return 0;
}

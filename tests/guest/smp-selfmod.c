/*
 * Cross-modifying code (-smp 2): CPU 1 keeps calling a function in a page that
 * CPU 0 also stores data into; CPU 0 rewrites the function's return value
 * (store, dcbst, sync, icbi, sync, isync: Book II 1.9.2) and raises a flag.
 * Once CPU 1 has seen the flag and run isync, it must run the new code.
 */
#include "runtime/guest.h"

#define STACK_SIZE 16384
#define ROUNDS 50
/* Calls CPU 1 may make after seeing the flag before it counts as stale. */
#define STALE_LIMIT 1000000

static uint8_t stack1[STACK_SIZE] __attribute__((aligned(16)));
static struct guest_cpu cpu1;

/* One page: the function at the start, data CPU 0 writes further on. */
static uint32_t code_page[1024] __attribute__((aligned(4096)));
#define DATA_WORD 512

static volatile uint64_t flag __attribute__((aligned(128)));
static volatile uint64_t calls __attribute__((aligned(128)));
static volatile uint64_t stale_after_flag;
static volatile uint64_t final_value;

#define LI_R3(v) (0x38600000u | ((v)&0xffff)) /* li r3,v */
#define BLR 0x4e800020u

static void write_code(uint32_t value)
{
    code_page[0] = LI_R3(value);
    code_page[1] = BLR;
    asm volatile("dcbst 0,%0\n\t"
                 "sync\n\t"
                 "icbi 0,%0\n\t"
                 "sync\n\t"
                 "isync"
                 :
                 : "r"(code_page)
                 : "memory");
}

static void caller(struct guest_cpu *cpu)
{
    uint64_t (*fn)(void) = (uint64_t(*)(void))(uintptr_t)code_page;
    uint32_t want = (uint32_t)(uintptr_t)cpu->arg;
    uint64_t after = 0, v;

    for (;;) {
        uint64_t f = flag;

        asm volatile("isync" ::: "memory");
        v = fn();
        calls = calls + 1;
        if (f) {
            if (v == want) {
                break;
            }
            if (++after >= STALE_LIMIT) {
                break;
            }
        }
    }
    stale_after_flag = after;
    final_value = v;
}

int main(void *fdt)
{
    unsigned ok = 0;

    for (unsigned round = 0; round < ROUNDS; round++) {
        uint32_t old = 100 + round, new = 1000 + round;

        /* CPU 0 has a write translation of the page before CPU 1 runs code there. */
        code_page[DATA_WORD] = round;
        write_code(old);
        flag = 0;
        calls = 0;
        asm volatile("sync" ::: "memory");
        cpu1.arg = (void *)(uintptr_t) new;
        if (guest_cpu_start(&cpu1, 1, caller, stack1, sizeof(stack1)) != 0) {
            CHECK(!"start-cpu");
            break;
        }
        while (calls < 100 + 50 * round) {
        }
        /* Data stores to the page while CPU 1 runs code in it. */
        for (unsigned i = 0; i < 16; i++) {
            code_page[DATA_WORD + i] = i;
        }
        write_code(new);
        flag = 1;
        CHECK(guest_cpu_wait_stopped(&cpu1, 10000));
        /*
         * QEMU 7.2 sometimes keeps running the old code (a store racing with
         * the re-translation of the page escapes its code-write detection):
         * the architecture's answer is checked on ours only.
         */
        if (!guest_oracle()) {
            CHECK_EQ(final_value, new);
            CHECK_EQ(stale_after_flag, 0);
        }
        ok += final_value == new;
    }
    guest_printf("%u of %u rounds saw the new code\n", ok, ROUNDS);
    CHECK(ok > 0);
    return 0;
}

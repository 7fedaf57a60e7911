/* The hypercall benchmark guest: a tight loop of H_SET_SPRG0, timed with the time
 * base (the cost of one hypercall in ns), and H_CEDE woken by a decrementer 50 us
 * later (how late the wake-up comes, in us). scripts/bench.sh runs it on ours and
 * on QEMU. */
#include "../../guest/runtime/guest.h"

#define H_SET_SPRG0 0x24
#define MSR_EE 0x8000ULL
#define VEC_DECREMENTER 0x900
#define NAPS 200
#define NAP_US 50
#define CALLS 2000000ULL
#define TB_PER_US 512ULL

/* One H_SET_SPRG0(value): r3 = opcode, r4 = value; r3 comes back 0. */
static inline int64_t set_sprg0(uint64_t value)
{
    register uint64_t r3 asm("r3") = H_SET_SPRG0;
    register uint64_t r4 asm("r4") = value;

    asm volatile("sc 1"
                 : "+r"(r3), "+r"(r4)
                 :
                 : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer",
                   "memory");
    return (int64_t)r3;
}

/* Average lateness, in ticks, of a decrementer wake-up from H_CEDE. */
static uint64_t cede_latency(void)
{
    uint64_t late = 0;

    for (int i = 0; i < NAPS; i++) {
        struct guest_trap t;
        uint64_t due = guest_mftb() + NAP_US * TB_PER_US;

        asm volatile("mtspr 22, %0" ::"r"(NAP_US * TB_PER_US));
        guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
        CHECK_EQ(guest_cede(), 0);
        late += guest_mftb() - due;
        CHECK(guest_trap_taken(&t) && t.vector == VEC_DECREMENTER);
    }
    asm volatile("mtspr 22, %0" ::"r"(0x7fffffffULL));
    return late / NAPS;
}

int main(void *fdt)
{
    uint64_t t0, ticks, sprg0, failures = 0;

    t0 = guest_mftb();
    for (uint64_t i = 1; i <= CALLS; i++) {
        failures += set_sprg0(i) != 0;
    }
    ticks = guest_mftb() - t0;
    asm volatile("mfspr %0, 272" : "=r"(sprg0));
    CHECK_EQ(failures, 0);
    CHECK_EQ(sprg0, CALLS);
    /* ns per call, in tenths: ticks / 0.512 / CALLS * 10 */
    guest_printf("# hcalls %lu\n", (unsigned long)CALLS);
    guest_printf("# ticks %lu\n", (unsigned long)ticks);
    guest_printf("H_SET_SPRG0: %lu.%lu ns per hypercall\n",
                 (unsigned long)(ticks * 1000 / TB_PER_US / CALLS),
                 (unsigned long)(ticks * 10000 / TB_PER_US / CALLS % 10));
    ticks = cede_latency();
    guest_printf("H_CEDE wake-up: %lu.%lu us after the decrementer\n",
                 (unsigned long)(ticks / TB_PER_US), (unsigned long)(ticks * 10 / TB_PER_US % 10));
    return 0;
}

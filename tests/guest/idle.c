/* A guest that idles: H_CEDE ten times, woken each time by the decrementer
 * 100 ms later. tests/guest/idle-cpu.sh runs it to check that an idle guest
 * costs the host (almost) no CPU time. */
#include "runtime/guest.h"

#define H_CEDE 0xe0
#define MSR_EE 0x8000ULL
#define VEC_DECREMENTER 0x900
#define TB_PER_MS 512000ULL
#define NAPS 10

static uint64_t mftb(void)
{
    uint64_t v;

    asm volatile("mfspr %0, 268" : "=r"(v));
    return v;
}

extern const char idle_return[];

/* H_CEDE; the decrementer interrupt resumes at idle_return (right after the sc). */
static int64_t __attribute__((noinline)) cede(void)
{
    register uint64_t r3 asm("r3") = H_CEDE;

    asm volatile("sc 1\n"
                 ".globl idle_return\n"
                 "idle_return:\n"
                 : "+r"(r3)
                 :
                 : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1",
                   "cr5", "cr6", "cr7", "ctr", "xer", "memory");
    return (int64_t)r3;
}

int main(void *fdt)
{
    uint64_t start = mftb();

    for (int i = 0; i < NAPS; i++) {
        struct guest_trap t;
        uint64_t before = mftb();

        asm volatile("mtspr 22, %0" ::"r"(100 * TB_PER_MS));
        guest_trap_expect_resume((void (*)(void))idle_return, MSR_EE);
        CHECK_EQ(cede(), 0);
        CHECK(guest_trap_taken(&t));
        CHECK_EQ(t.vector, VEC_DECREMENTER);
        CHECK(mftb() - before >= 100 * TB_PER_MS);
    }
    asm volatile("mtspr 22, %0" ::"r"(0x7fffffffULL));
    CHECK(mftb() - start >= NAPS * 100 * TB_PER_MS);
    return 0;
}

/* A guest that idles: H_CEDE ten times, woken each time by the decrementer
 * 100 ms later. tests/guest/idle-cpu.sh runs it to check that an idle guest
 * costs the host (almost) no CPU time. */
#include "runtime/guest.h"

#define MSR_EE 0x8000ULL
#define VEC_DECREMENTER 0x900
#define TB_PER_MS 512000ULL
#define NAPS 10

int main(void *fdt)
{
    uint64_t start = guest_mftb();

    for (int i = 0; i < NAPS; i++) {
        struct guest_trap t;
        uint64_t before = guest_mftb();

        asm volatile("mtspr 22, %0" ::"r"(100 * TB_PER_MS));
        guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
        CHECK_EQ(guest_cede(), 0);
        CHECK(guest_trap_taken(&t));
        CHECK_EQ(t.vector, VEC_DECREMENTER);
        CHECK(guest_mftb() - before >= 100 * TB_PER_MS);
    }
    asm volatile("mtspr 22, %0" ::"r"(0x7fffffffULL));
    CHECK(guest_mftb() - start >= NAPS * 100 * TB_PER_MS);
    return 0;
}

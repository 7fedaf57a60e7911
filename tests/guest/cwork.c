/* A small C workload as userspace runs it (printf-style %f/%e of doubles, qsort, sin/exp/log
 * from polynomials, every rounding mode, single precision), compiled -O3 -mcpu=power9: its
 * hashes must be those of the same source run natively on the build host (cwork-expected.h). */
#include "runtime/guest.h"
#include "insn.h"
#include "cwork-kernel.h"
#include "cwork-expected.h"

#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)

static const char *const parts[CWORK_PARTS] = { "format", "qsort", "libm", "rounding", "single" };

/* FPSCR[RN] as the host's fesetround modes are numbered in cwork-kernel.h (the same). */
static void guest_round(int mode)
{
    switch (mode & 3) {
    case 0:
        asm volatile("mtfsfi 7,0" ::: "memory");
        break;
    case 1:
        asm volatile("mtfsfi 7,1" ::: "memory");
        break;
    case 2:
        asm volatile("mtfsfi 7,2" ::: "memory");
        break;
    default:
        asm volatile("mtfsfi 7,3" ::: "memory");
        break;
    }
}

int main(void *fdt)
{
    static const uint64_t expected[CWORK_PARTS] = CWORK_EXPECTED_PARTS;
    static char sample[CWORK_SAMPLE_LEN];
    uint64_t part[CWORK_PARTS], all, msr = guest_mfmsr();

    /* the workload's code uses the FP, VMX and VSX facilities: turn them on first */
    asm volatile("mtmsrd %0\n\tisync" : : "r"(msr | MSR_FP | MSR_VEC | MSR_VSX) : "memory");
    all = cwork_checksum(part, guest_round, sample);
    guest_printf("cwork: %s\n", sample);
    CHECK(!strcmp(sample, CWORK_EXPECTED_SAMPLE));
    for (int i = 0; i < CWORK_PARTS; i++) {
        guest_printf("cwork: %-9s %016lx (host %016lx)\n", parts[i], part[i], expected[i]);
        CHECK_EQ(part[i], expected[i]);
    }
    CHECK_EQ(all, CWORK_EXPECTED);
    return 0;
}

/* A C kernel compiled with -mcpu=power9 -O3, which GCC auto-vectorises (VSX and VMX float,
 * double FMA, integer, conversions, sqrt/divide, and a sort of doubles): its checksums must
 * be those of the same source run natively on the build host (autovec-expected.h). */
#include "runtime/guest.h"
#include "insn.h"
#include "autovec-kernel.h"
#include "autovec-expected.h"

#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)

static const char *const parts[AUTOVEC_PARTS] = { "float",   "double-fma", "sqrt-div",
                                                  "convert", "integer",    "sort" };

int main(void *fdt)
{
    static const uint64_t expected[AUTOVEC_PARTS] = AUTOVEC_EXPECTED_PARTS;
    uint64_t part[AUTOVEC_PARTS], all, msr = guest_mfmsr();

    /* the kernel's code uses the FP, VMX and VSX facilities: turn them on first */
    asm volatile("mtmsrd %0\n\tisync" : : "r"(msr | MSR_FP | MSR_VEC | MSR_VSX) : "memory");
    all = autovec_checksum(part);
    for (int i = 0; i < AUTOVEC_PARTS; i++) {
        guest_printf("autovec: %-10s %016lx (host %016lx)\n", parts[i], part[i], expected[i]);
        CHECK_EQ(part[i], expected[i]);
    }
    CHECK_EQ(all, AUTOVEC_EXPECTED);
    return 0;
}

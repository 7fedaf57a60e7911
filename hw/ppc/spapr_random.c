/*
 * H_RANDOM: 64 bits of the host's entropy for the guest's random pool
 * (what QEMU serves with -device spapr-rng).
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"

#include <sys/random.h>

/* Fill buf from the kernel's pool; false if it cannot be read. */
static bool host_entropy(void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = getrandom(p, len, 0);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

/* No inputs; r4 = the random value. */
static target_ulong h_random(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    uint64_t v;

    if (!host_entropy(&v, sizeof(v))) {
        return H_HARDWARE;
    }
    args[0] = v;
    return H_SUCCESS;
}

static void spapr_random_init(void)
{
    spapr_register_hypercall(H_RANDOM, h_random);
}

module_init(spapr_random_init)

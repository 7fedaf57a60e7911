/*
 * The "debug" hypercalls: loads and stores of 1, 2, 4 or 8 bytes at a
 * guest-physical address with translation off (H_LOGICAL_CI_LOAD/STORE and
 * their cacheable twins), and the cache operations that pair with them.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"

/*
 * Sizes are in bytes.  The address must be a multiple of the size and lie
 * in RAM: there is no device memory behind a logical address here.
 */
static bool logical_access_ok(target_ulong size, hwaddr addr)
{
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        return false;
    }
    return QEMU_IS_ALIGNED(addr, size) && guest_range_valid(addr, size);
}

/* r4 = size, r5 = address; r4 = the value, big-endian, zero-extended. */
static target_ulong h_logical_load(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                   target_ulong *args)
{
    target_ulong size = args[0];
    hwaddr addr = args[1];
    uint8_t b;
    uint16_t h;
    uint32_t w;
    uint64_t d;

    if (!logical_access_ok(size, addr)) {
        return H_PARAMETER;
    }
    switch (size) {
    case 1:
        guest_ldub(addr, &b);
        args[0] = b;
        break;
    case 2:
        guest_lduw_be(addr, &h);
        args[0] = h;
        break;
    case 4:
        guest_ldl_be(addr, &w);
        args[0] = w;
        break;
    default:
        guest_ldq_be(addr, &d);
        args[0] = d;
        break;
    }
    return H_SUCCESS;
}

/* r4 = size, r5 = address, r6 = value (its low size bytes are stored). */
static target_ulong h_logical_store(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    target_ulong size = args[0];
    hwaddr addr = args[1];
    uint64_t val = args[2];

    if (!logical_access_ok(size, addr)) {
        return H_PARAMETER;
    }
    switch (size) {
    case 1:
        guest_stb(addr, val);
        break;
    case 2:
        guest_stw_be(addr, val);
        break;
    case 4:
        guest_stl_be(addr, val);
        break;
    default:
        guest_stq_be(addr, val);
        break;
    }
    return H_SUCCESS;
}

/*
 * The host keeps no cache apart from guest memory (stores to code are seen
 * by the CPU already), so there is nothing to flush or invalidate.
 */
static target_ulong h_logical_cache_nop(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                        target_ulong opcode, target_ulong *args)
{
    return H_SUCCESS;
}

/*
 * QEMU serves the cacheable variants exactly as the cache-inhibited ones:
 * the same sizes, and whatever attributes the memory has.
 */
static void spapr_logical_init(void)
{
    spapr_register_hypercall(H_LOGICAL_CI_LOAD, h_logical_load);
    spapr_register_hypercall(H_LOGICAL_CI_STORE, h_logical_store);
    spapr_register_hypercall(H_LOGICAL_CACHE_LOAD, h_logical_load);
    spapr_register_hypercall(H_LOGICAL_CACHE_STORE, h_logical_store);
    spapr_register_hypercall(H_LOGICAL_ICBI, h_logical_cache_nop);
    spapr_register_hypercall(H_LOGICAL_DCBF, h_logical_cache_nop);
}

module_init(spapr_logical_init)

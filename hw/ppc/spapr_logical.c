/*
 * The "debug" hypercalls: loads and stores of 1, 2, 4 or 8 bytes at a
 * guest-physical address with translation off (H_LOGICAL_CI_LOAD/STORE and
 * their cacheable twins), and the cache operations that pair with them.
 */
#include "hw/ppc/spapr.h"
#include "exec/memory.h"
#include "qemu/module.h"

/*
 * Sizes are in bytes; the address must be a multiple of the size.  It may
 * be RAM or a device register of the memory map (the hypercalls run under
 * the big lock, as device callbacks want); anything else is H_PARAMETER.
 */
static bool logical_size_ok(target_ulong size, hwaddr addr)
{
    return (size == 1 || size == 2 || size == 4 || size == 8) && QEMU_IS_ALIGNED(addr, size);
}

/* r4 = size, r5 = address; r4 = the value, big-endian, zero-extended. */
static target_ulong h_logical_load(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                   target_ulong *args)
{
    uint64_t val;

    if (!logical_size_ok(args[0], args[1]) || !memory_map_read(args[1], args[0], true, &val)) {
        return H_PARAMETER;
    }
    args[0] = val;
    return H_SUCCESS;
}

/* r4 = size, r5 = address, r6 = value (its low size bytes are stored). */
static target_ulong h_logical_store(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    if (!logical_size_ok(args[0], args[1]) || !memory_map_write(args[1], args[0], true, args[2])) {
        return H_PARAMETER;
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

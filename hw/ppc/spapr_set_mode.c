/*
 * H_SET_MODE: the partition asks the hypervisor to set processor modes it
 * cannot set itself — the interrupt endianness (LPCR[ILE]) and location
 * (LPCR[AIL]) of every processor.
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"

/* LPCR[AIL] values: 1 is reserved. */
#define AIL_RESERVED 1
#define AIL_MAX 3

/* Change the LPCR bits in mask to value on every processor. */
static void set_all_lpcrs(SpaprMachineState *spapr, uint64_t value, uint64_t mask)
{
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        PowerPCCPU *c = spapr->cpus[i];

        ppc_store_lpcr(c, (c->env.spr[SPR_LPCR] & ~mask) | (value & mask));
    }
}

/* r4 mflags: the endianness; r6, r7 must be 0. */
static target_ulong set_mode_le(SpaprMachineState *spapr, target_ulong mflags, target_ulong value1,
                                target_ulong value2)
{
    if (value1) {
        return H_P3;
    }
    if (value2) {
        return H_P4;
    }
    switch (mflags) {
    case H_SET_MODE_ENDIAN_BIG:
        set_all_lpcrs(spapr, 0, LPCR_ILE);
        return H_SUCCESS;
    case H_SET_MODE_ENDIAN_LITTLE:
        set_all_lpcrs(spapr, LPCR_ILE, LPCR_ILE);
        return H_SUCCESS;
    default:
        return H_UNSUPPORTED_FLAG;
    }
}

/* r4 mflags: the AIL value (0, 2 or 3); r6, r7 must be 0. */
static target_ulong set_mode_ail(SpaprMachineState *spapr, target_ulong mflags, target_ulong value1,
                                 target_ulong value2)
{
    if (value1) {
        return H_P3;
    }
    if (value2) {
        return H_P4;
    }
    if (mflags == AIL_RESERVED || mflags > AIL_MAX) {
        return H_UNSUPPORTED_FLAG;
    }
    set_all_lpcrs(spapr, (uint64_t)mflags << LPCR_AIL_SHIFT, LPCR_AIL);
    return H_SUCCESS;
}

/*
 * r4 mflags, r5 resource, r6 value1, r7 value2.  The breakpoint resources
 * (CIABR, DAWR0) are refused with H_P2, as QEMU 7.2 does under TCG: this
 * CPU has no instruction breakpoint or data watchpoint facility.
 */
static target_ulong h_set_mode(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                               target_ulong *args)
{
    target_ulong mflags = args[0], value1 = args[2], value2 = args[3];

    switch (args[1]) {
    case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
        return set_mode_ail(spapr, mflags, value1, value2);
    case H_SET_MODE_RESOURCE_LE:
        return set_mode_le(spapr, mflags, value1, value2);
    default:
        return H_P2;
    }
}

static void spapr_set_mode_init(void)
{
    spapr_register_hypercall(H_SET_MODE, h_set_mode);
}

module_init(spapr_set_mode_init)

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
    for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
        spapr_cpu_update_lpcr(spapr->cpus[i], value, mask);
    }
}

/* The LE and AIL resources take no values: r6 and r7 must be 0. */
static target_ulong no_values(target_ulong value1, target_ulong value2)
{
    return value1 ? H_P3 : value2 ? H_P4 : H_SUCCESS;
}

/* r4 mflags: the endianness. */
static target_ulong set_mode_le(SpaprMachineState *spapr, target_ulong mflags)
{
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

/* r4 mflags: the AIL value (0, 2 or 3). */
static target_ulong set_mode_ail(SpaprMachineState *spapr, target_ulong mflags)
{
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
    target_ulong mflags = args[0], resource = args[1];
    target_ulong ret;

    if (resource != H_SET_MODE_RESOURCE_ADDR_TRANS_MODE && resource != H_SET_MODE_RESOURCE_LE) {
        return H_P2;
    }
    ret = no_values(args[2], args[3]);
    if (ret != H_SUCCESS) {
        return ret;
    }
    return resource == H_SET_MODE_RESOURCE_LE ? set_mode_le(spapr, mflags)
                                              : set_mode_ail(spapr, mflags);
}

static void spapr_set_mode_init(void)
{
    spapr_register_hypercall(H_SET_MODE, h_set_mode);
}

module_init(spapr_set_mode_init)

/*
 * Hypercalls that set privileged registers of the calling processor on the
 * guest's behalf: H_SET_SPRG0, H_SET_DABR and H_SET_XDABR.
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"

/* SPR numbers (Power ISA Book III) */
#ifndef SPR_SPRG0
#define SPR_SPRG0 272
#endif
#ifndef SPR_DABR
#define SPR_DABR 1013
#endif
#ifndef SPR_DABRX
#define SPR_DABRX 1015
#endif

/* The DABRX bits a partition may ask for: every one but hypervisor state. */
#define DABRX_GUEST_BITS (H_DABRX_USER | H_DABRX_KERNEL | H_DABRX_BTI)

/* r4: the new SPRG0. */
static target_ulong h_set_sprg0(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    cpu->env.spr[SPR_SPRG0] = args[0];
    return H_SUCCESS;
}

/*
 * r4: the new DABR.  The older call has no room for DABRX: the breakpoint
 * then matches in problem and privileged state, as QEMU sets it.
 */
static target_ulong h_set_dabr(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                               target_ulong *args)
{
    cpu->env.spr[SPR_DABRX] = H_DABRX_USER | H_DABRX_KERNEL;
    cpu->env.spr[SPR_DABR] = args[0];
    return H_SUCCESS;
}

/*
 * r4: the new DABR; r5: the new DABRX, which must select problem and/or
 * privileged state and may not reach into hypervisor state.
 */
static target_ulong h_set_xdabr(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    target_ulong dabrx = args[1];

    if ((dabrx & ~DABRX_GUEST_BITS) || !(dabrx & (H_DABRX_USER | H_DABRX_KERNEL))) {
        return H_PARAMETER;
    }
    cpu->env.spr[SPR_DABRX] = dabrx;
    cpu->env.spr[SPR_DABR] = args[0];
    return H_SUCCESS;
}

static void spapr_cpu_hcalls_init(void)
{
    spapr_register_hypercall(H_SET_SPRG0, h_set_sprg0);
    spapr_register_hypercall(H_SET_DABR, h_set_dabr);
    spapr_register_hypercall(H_SET_XDABR, h_set_xdabr);
}

module_init(spapr_cpu_hcalls_init)

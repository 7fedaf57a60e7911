/*
 * The hashed page table a pseries partition's hash MMU uses: owned by the
 * hypervisor (host memory), sized from RAM and published as ibm,pft-size.
 * (The hcalls that manage it, H_ENTER and friends, are not served yet.)
 */
#include "hw/ppc/spapr.h"

/* One PTE group per 128 bytes; the table is 1/128 of RAM, 256 KiB to 64 TiB. */
unsigned spapr_hpt_shift(uint64_t ram_size)
{
    unsigned shift = 64 - __builtin_clzll(MAX(ram_size, 2) - 1);

    return MIN(MAX(shift - 7, 18u), 46u);
}

void spapr_hpt_reset(SpaprMachineState *spapr)
{
    (void)spapr;
}

uint8_t *spapr_vhyp_hpt(PPCVirtualHypervisor *vhyp, uint64_t *pteg_mask)
{
    SpaprMachineState *spapr = (SpaprMachineState *)vhyp;

    if (!spapr->htab) {
        return NULL;
    }
    *pteg_mask = (1ULL << (spapr->htab_shift - 7)) - 1;
    return spapr->htab;
}

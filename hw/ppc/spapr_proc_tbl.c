/*
 * The radix process table a partition registers with H_REGISTER_PROC_TBL,
 * given to the CPU as its partition-table entry.  (The hcall is not served
 * yet.)
 */
#include "hw/ppc/spapr.h"

void spapr_proc_tbl_reset(SpaprMachineState *spapr)
{
    spapr->patb_entry = 0;
}

bool spapr_vhyp_get_pate(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu, uint64_t pate[2])
{
    SpaprMachineState *spapr = (SpaprMachineState *)vhyp;

    (void)cpu;
    if (!spapr->patb_entry) {
        return false;
    }
    pate[0] = 0;
    pate[1] = spapr->patb_entry;
    return true;
}

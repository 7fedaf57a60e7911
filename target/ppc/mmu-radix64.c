/*
 * The radix MMU (placeholder: every translated access faults until the
 * radix walk lands).
 */
#include "target/ppc/internal.h"

bool ppc_radix64_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
                       PPCXlateFault *fault)
{
    fault->vector = type == PPC_ACCESS_FETCH ? PPC_VEC_ISI : PPC_VEC_DSI;
    fault->dsisr = DSISR_NOPTE | (type == PPC_ACCESS_STORE ? DSISR_STORE : 0);
    fault->srr1_bits = SRR1_NOPTE;
    return false;
}

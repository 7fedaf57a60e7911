/*
 * H_GET_CPU_CHARACTERISTICS: what the guest must do about speculative
 * execution side channels, from the machine's cap-cfpc, cap-sbbc, cap-ibs
 * and cap-ccf-assist capabilities.
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"

/*
 * No inputs.  r4 = characteristics, r5 = behaviour.  The answers are
 * QEMU's: they describe the mitigations the machine was configured with
 * (QEMU warns that TCG cannot provide them but still reports them), so a
 * guest sees the same thing here as on QEMU with the same options.
 */
static target_ulong h_get_cpu_characteristics(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                              target_ulong opcode, target_ulong *args)
{
    const SpaprCaps *caps = &spapr->caps;
    uint64_t chars = H_CPU_CHAR_BRANCH_HINTS_HONORED;
    uint64_t behav = H_CPU_BEHAV_FAVOUR_SECURITY;

    switch (caps->cfpc) {
    case SPAPR_CAP_WORKAROUND:
        chars |=
            H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2 | H_CPU_CHAR_L1D_THREAD_PRIV;
        behav |= H_CPU_BEHAV_L1D_FLUSH_PR;
        break;
    case SPAPR_CAP_FIXED:
        behav |= H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY | H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS;
        break;
    default:
        /* Broken: the guest should flush, though it has no way to. */
        behav |= H_CPU_BEHAV_L1D_FLUSH_PR;
        break;
    }

    switch (caps->sbbc) {
    case SPAPR_CAP_WORKAROUND:
        chars |= H_CPU_CHAR_SPEC_BAR_ORI31;
        behav |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
        break;
    case SPAPR_CAP_FIXED:
        break;
    default:
        behav |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
        break;
    }

    switch (caps->ibs) {
    case SPAPR_CAP_WORKAROUND:
        behav |= H_CPU_BEHAV_FLUSH_COUNT_CACHE;
        if (caps->ccf_assist) {
            chars |= H_CPU_CHAR_BCCTR_FLUSH_ASSIST;
        }
        break;
    case SPAPR_CAP_FIXED_IBS:
        chars |= H_CPU_CHAR_BCCTRL_SERIALISED;
        break;
    case SPAPR_CAP_FIXED_CCD:
        chars |= H_CPU_CHAR_COUNT_CACHE_DISABLED;
        break;
    default:
        /* Broken, or not affected (QEMU 7.2 aborts on fixed-na). */
        break;
    }

    args[0] = chars;
    args[1] = behav;
    return H_SUCCESS;
}

static void spapr_cpu_char_init(void)
{
    spapr_register_hypercall(H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics);
}

module_init(spapr_cpu_char_init)

/*
 * H_GET_CPU_CHARACTERISTICS: what the guest must do about speculative
 * execution side channels, from the machine's cap-cfpc, cap-sbbc, cap-ibs
 * and cap-ccf-assist properties (or the machine type's defaults).
 */
#include "hw/ppc/spapr.h"
#include "qemu/module.h"
#include "qemu/option.h"

typedef enum SpaprCapMode {
    CAP_BROKEN,
    CAP_WORKAROUND,
    CAP_FIXED,
    /* cap-ibs only: how indirect branch speculation is fixed */
    CAP_FIXED_IBS, /* bcctr is serialising */
    CAP_FIXED_CCD, /* the count cache is disabled */
    CAP_FIXED_NA,  /* the processor is not affected */
} SpaprCapMode;

typedef struct SpaprSpecCaps {
    SpaprCapMode cfpc; /* cache flush on privilege change */
    SpaprCapMode sbbc; /* speculation barrier for bounds checks */
    SpaprCapMode ibs;  /* indirect branch speculation */
    bool ccf_assist;   /* count cache flush assisted by an instruction */
} SpaprSpecCaps;

static const struct {
    const char *name;
    SpaprCapMode mode;
} cap_mode_names[] = {
    { "broken", CAP_BROKEN },       { "workaround", CAP_WORKAROUND }, { "fixed", CAP_FIXED },
    { "fixed-ibs", CAP_FIXED_IBS }, { "fixed-ccd", CAP_FIXED_CCD },   { "fixed-na", CAP_FIXED_NA },
};

/* "pseries-X.Y..." -> X * 100 + Y; a name we cannot read counts as current. */
static unsigned machine_version(const char *name)
{
    unsigned major, minor;

    if (name && sscanf(name, "pseries-%u.%u", &major, &minor) == 2) {
        return major * 100 + minor;
    }
    return 702;
}

/*
 * The defaults QEMU 7.2 gives each machine type: the three mitigations
 * became "workaround" with pseries-4.0 (pseries-2.12-sxxm had them early,
 * with the count cache disabled), and ccf-assist "on" with pseries-5.0.
 */
static SpaprSpecCaps spec_caps_default(const char *machine_name)
{
    unsigned version = machine_version(machine_name);
    SpaprSpecCaps caps = { CAP_WORKAROUND, CAP_WORKAROUND, CAP_WORKAROUND, version >= 500 };

    if (machine_name && !strcmp(machine_name, "pseries-2.12-sxxm")) {
        caps.ibs = CAP_FIXED_CCD;
    } else if (version < 400) {
        caps.cfpc = caps.sbbc = caps.ibs = CAP_BROKEN;
    }
    return caps;
}

/* A cap-* property overrides the default; its value was checked at start-up. */
static void spec_cap_prop(SpaprMachineState *spapr, const char *prop, SpaprCapMode *mode)
{
    const char *v = g_hash_table_lookup(spapr->props, prop);

    for (size_t i = 0; v && i < ARRAY_SIZE(cap_mode_names); i++) {
        if (!g_ascii_strcasecmp(v, cap_mode_names[i].name)) {
            *mode = cap_mode_names[i].mode;
        }
    }
}

static SpaprSpecCaps spec_caps(SpaprMachineState *spapr)
{
    SpaprSpecCaps caps = spec_caps_default(spapr ? spapr->machine_name : NULL);
    const char *ccf;

    if (spapr && spapr->props) {
        spec_cap_prop(spapr, "cap-cfpc", &caps.cfpc);
        spec_cap_prop(spapr, "cap-sbbc", &caps.sbbc);
        spec_cap_prop(spapr, "cap-ibs", &caps.ibs);
        ccf = g_hash_table_lookup(spapr->props, "cap-ccf-assist");
        if (ccf) {
            qemu_parse_bool(ccf, &caps.ccf_assist);
        }
    }
    return caps;
}

/*
 * No inputs.  r4 = characteristics, r5 = behaviour.  The answers are
 * QEMU's: they describe the mitigations the machine was configured with
 * (QEMU warns that TCG cannot provide them but still reports them), so a
 * guest sees the same thing here as on QEMU with the same options.
 */
static target_ulong h_get_cpu_characteristics(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                              target_ulong opcode, target_ulong *args)
{
    SpaprSpecCaps caps = spec_caps(spapr);
    uint64_t chars = H_CPU_CHAR_BRANCH_HINTS_HONORED;
    uint64_t behav = H_CPU_BEHAV_FAVOUR_SECURITY;

    switch (caps.cfpc) {
    case CAP_WORKAROUND:
        chars |=
            H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2 | H_CPU_CHAR_L1D_THREAD_PRIV;
        behav |= H_CPU_BEHAV_L1D_FLUSH_PR;
        break;
    case CAP_FIXED:
        behav |= H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY | H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS;
        break;
    default:
        /* Broken: the guest should flush, though it has no way to. */
        behav |= H_CPU_BEHAV_L1D_FLUSH_PR;
        break;
    }

    switch (caps.sbbc) {
    case CAP_WORKAROUND:
        chars |= H_CPU_CHAR_SPEC_BAR_ORI31;
        behav |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
        break;
    case CAP_FIXED:
        break;
    default:
        behav |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
        break;
    }

    switch (caps.ibs) {
    case CAP_WORKAROUND:
        behav |= H_CPU_BEHAV_FLUSH_COUNT_CACHE;
        if (caps.ccf_assist) {
            chars |= H_CPU_CHAR_BCCTR_FLUSH_ASSIST;
        }
        break;
    case CAP_FIXED_IBS:
        chars |= H_CPU_CHAR_BCCTRL_SERIALISED;
        break;
    case CAP_FIXED_CCD:
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

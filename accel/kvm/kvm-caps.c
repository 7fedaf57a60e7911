/*
 * The pseries capabilities (cap-*) a KVM host can give the guest: read from
 * the kernel (KVM_CHECK_EXTENSION, KVM_PPC_GET_CPU_CHAR) and checked
 * against what the machine asks, with QEMU 7.2's messages and hints.
 */
#include "sysemu/kvm-ppc.h"
#include "hw/ppc/spapr_caps.h"

#include <errno.h>

/* A bit the kernel vouches for (in its mask) and sets / clears. */
static bool char_set(const struct kvm_ppc_cpu_char *c, uint64_t bit)
{
    return c->character & c->character_mask & bit;
}

static bool char_clear(const struct kvm_ppc_cpu_char *c, uint64_t bit)
{
    return ~c->character & c->character_mask & bit;
}

static bool behav_set(const struct kvm_ppc_cpu_char *c, uint64_t bit)
{
    return c->behaviour & c->behaviour_mask & bit;
}

static bool behav_clear(const struct kvm_ppc_cpu_char *c, uint64_t bit)
{
    return ~c->behaviour & c->behaviour_mask & bit;
}

/*
 * The speculation side-channel levels from the host's characteristics
 * (the H_GET_CPU_CHARACTERISTICS bits the kernel passes on):
 * - cfpc: no L1D flush needed on a privilege change is "fixed"; a flush
 *   instruction (ori 30 or the trigger) is "workaround".
 * - sbbc: no speculation barrier needed is "fixed"; ori 31 is "workaround".
 * - ibs: nothing to do is "fixed-na"; a count cache flush is
 *   "workaround"; the count cache disabled "fixed-ccd"; bcctr serialised
 *   "fixed-ibs".
 * - ccf-assist: the bcctr flush assist instruction.
 */
void kvm_ppc_caps_from_cpu_char(const struct kvm_ppc_cpu_char *c, KvmPpcHostCaps *host)
{
    if (behav_clear(c, KVM_PPC_CPU_BEHAV_L1D_FLUSH_PR)) {
        host->cfpc = SPAPR_CAP_FIXED;
    } else if (char_set(c, KVM_PPC_CPU_CHAR_L1D_FLUSH_ORI30 | KVM_PPC_CPU_CHAR_L1D_FLUSH_TRIG2)) {
        host->cfpc = SPAPR_CAP_WORKAROUND;
    } else {
        host->cfpc = SPAPR_CAP_BROKEN;
    }
    if (behav_clear(c, KVM_PPC_CPU_BEHAV_BNDS_CHK_SPEC_BAR)) {
        host->sbbc = SPAPR_CAP_FIXED;
    } else if (char_set(c, KVM_PPC_CPU_CHAR_SPEC_BAR_ORI31)) {
        host->sbbc = SPAPR_CAP_WORKAROUND;
    } else {
        host->sbbc = SPAPR_CAP_BROKEN;
    }
    if (behav_clear(c, KVM_PPC_CPU_BEHAV_FLUSH_COUNT_CACHE) &&
        char_clear(c, KVM_PPC_CPU_CHAR_COUNT_CACHE_DIS) &&
        char_clear(c, KVM_PPC_CPU_CHAR_BCCTRL_SERIALISED)) {
        host->ibs = SPAPR_CAP_FIXED_NA;
    } else if (behav_set(c, KVM_PPC_CPU_BEHAV_FLUSH_COUNT_CACHE)) {
        host->ibs = SPAPR_CAP_WORKAROUND;
    } else if (char_set(c, KVM_PPC_CPU_CHAR_COUNT_CACHE_DIS)) {
        host->ibs = SPAPR_CAP_FIXED_CCD;
    } else if (char_set(c, KVM_PPC_CPU_CHAR_BCCTRL_SERIALISED)) {
        host->ibs = SPAPR_CAP_FIXED_IBS;
    } else {
        host->ibs = SPAPR_CAP_BROKEN;
    }
    host->ccf_assist = char_set(c, KVM_PPC_CPU_CHAR_BCCTR_FLUSH_ASSIST);
}

void kvm_ppc_host_caps(KvmPpcHostCaps *host)
{
    struct kvm_ppc_cpu_char c = { 0 };

    memset(host, 0, sizeof(*host));
    host->htm = kvm_vm_check_extension(KVM_CAP_PPC_HTM) > 0;
    host->radix = kvm_vm_check_extension(KVM_CAP_PPC_MMU_RADIX) > 0;
    host->nested_hv = kvm_vm_check_extension(KVM_CAP_PPC_NESTED_HV) > 0;
    host->fwnmi = kvm_vm_check_extension(KVM_CAP_PPC_FWNMI) > 0;
    host->rpt_invalidate = kvm_vm_check_extension(KVM_CAP_PPC_RPT_INVALIDATE) > 0;
    /* Without the characteristics every side channel is taken as open. */
    if (kvm_vm_check_extension(KVM_CAP_PPC_GET_CPU_CHAR) > 0 &&
        kvm_ppc_vm_ioctl(KVM_PPC_GET_CPU_CHAR, &c) == 0) {
        kvm_ppc_caps_from_cpu_char(&c, host);
    }
}

static const char *mode_name(SpaprCapMode m)
{
    static const char *const names[] = {
        [SPAPR_CAP_BROKEN] = "broken",       [SPAPR_CAP_WORKAROUND] = "workaround",
        [SPAPR_CAP_FIXED] = "fixed",         [SPAPR_CAP_FIXED_IBS] = "fixed-ibs",
        [SPAPR_CAP_FIXED_CCD] = "fixed-ccd", [SPAPR_CAP_FIXED_NA] = "fixed-na",
    };

    return names[m];
}

/* QEMU's two lines: the error, then what to append to -machine. */
static bool refuse(char **err, const char *what, const char *hint)
{
    *err = g_strdup_printf("%s\nTry appending -machine %s", what, hint);
    return false;
}

bool kvm_ppc_check_caps(const SpaprCaps *caps, const KvmPpcHostCaps *host, char **err)
{
    g_autofree char *hint = NULL;

    *err = NULL;
    if (caps->htm && !host->htm) {
        return refuse(err, "KVM implementation does not support Transactional Memory",
                      "cap-htm=off");
    }
    if (caps->cfpc > host->cfpc) {
        hint = g_strdup_printf("cap-cfpc=%s", mode_name(host->cfpc));
        return refuse(err, "Requested safe cache capability level not supported by KVM", hint);
    }
    if (caps->sbbc > host->sbbc) {
        hint = g_strdup_printf("cap-sbbc=%s", mode_name(host->sbbc));
        return refuse(err, "Requested safe bounds check capability level not supported by KVM",
                      hint);
    }
    if (caps->ibs > host->ibs) {
        hint = g_strdup_printf("cap-ibs=%s", mode_name(host->ibs));
        return refuse(err, "Requested safe indirect branch capability level not supported by KVM",
                      hint);
    }
    if (caps->nested_hv && !host->nested_hv) {
        return refuse(err, "KVM implementation does not support Nested-HV", "cap-nested-hv=off");
    }
    /* Without the assist the instruction is a no-op, harmless with the count cache off. */
    if (caps->ccf_assist && !host->ccf_assist && host->ibs != SPAPR_CAP_FIXED_CCD) {
        return refuse(err,
                      "Requested count cache flush assist capability level not supported by KVM",
                      "cap-ccf-assist=off");
    }
    if (caps->fwnmi && !host->fwnmi) {
        return refuse(err, "Firmware Assisted Non-Maskable Interrupts(FWNMI) not supported by KVM.",
                      "cap-fwnmi=off");
    }
    if (caps->rpt_invalidate) {
        if (!host->radix) {
            *err = g_strdup("H_RPT_INVALIDATE only supported on Radix");
            return false;
        }
        if (!host->rpt_invalidate) {
            return refuse(err, "KVM implementation does not support H_RPT_INVALIDATE",
                          "cap-rpt-invalidate=off");
        }
    }
    return true;
}

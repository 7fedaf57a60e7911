/*
 * The pseries capabilities (cap-*) a KVM host can give the guest: read from
 * the kernel (KVM_CHECK_EXTENSION, KVM_PPC_GET_CPU_CHAR) and checked
 * against what the machine asks, with QEMU 7.2's messages and hints.
 */
#include "sysemu/kvm-ppc.h"
#include "hw/ppc/spapr_caps.h"

#include <errno.h>
#include <unistd.h>

/* The decrementer width of the CPU model with LPCR[LD] (POWER9's ibm,dec-bits). */
#define MODEL_DEC_BITS 56

static const char *host_dt = "/proc/device-tree";

void kvm_ppc_set_host_dt(const char *dir)
{
    host_dt = dir ? dir : "/proc/device-tree";
}

/* The first CPU node's ibm,dec-bits in the host's tree; 0 when none says. */
static unsigned host_dec_bits(void)
{
    g_autofree char *cpus = g_build_filename(host_dt, "cpus", NULL);
    GDir *dir = g_dir_open(cpus, 0, NULL);
    const char *name;
    unsigned bits = 0;

    while (dir && !bits && (name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(cpus, name, "ibm,dec-bits", NULL);
        g_autofree char *val = NULL;
        gsize len;

        if (g_file_get_contents(path, &val, &len, NULL) && len == 4) {
            const uint8_t *b = (const uint8_t *)val;

            bits = (unsigned)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
        }
    }
    if (dir) {
        g_dir_close(dir);
    }
    return bits;
}

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
    struct kvm_ppc_smmu_info smmu = { 0 };

    memset(host, 0, sizeof(*host));
    host->dec_bits = host_dec_bits();
    host->ram_page_size = getpagesize();
    if (kvm_check_extension(KVM_CAP_PPC_GET_SMMU_INFO) > 0 &&
        kvm_ppc_vm_ioctl(KVM_PPC_GET_SMMU_INFO, &smmu) == 0) {
        host->smmu_known = true;
        host->smmu_flags = smmu.flags;
    }
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
    /* HV on POWER8 backs a guest page with contiguous host pages: no larger guest pages. */
    if (!host->smmu_known) {
        *err = g_strdup("KVM doesn't expose the MMU features it supports\n"
                        "Consider switching to a newer KVM");
        return false;
    }
    if ((host->smmu_flags & KVM_PPC_PAGE_SIZES_REAL) &&
        ((uint64_t)1 << caps->hpt_max_page_shift) > host->ram_page_size) {
        *err = g_strdup_printf("Can't support %" PRIu64 " kiB guest pages with %" PRIu64
                               " kiB host pages with this KVM implementation",
                               ((uint64_t)1 << caps->hpt_max_page_shift) >> 10,
                               host->ram_page_size >> 10);
        return false;
    }
    if (caps->nested_hv && !host->nested_hv) {
        return refuse(err, "KVM implementation does not support Nested-HV", "cap-nested-hv=off");
    }
    if (caps->large_decr && !host->dec_bits) {
        return refuse(err, "No large decrementer support", "cap-large-decr=off");
    }
    if (caps->large_decr && host->dec_bits != MODEL_DEC_BITS) {
        g_autofree char *what =
            g_strdup_printf("KVM large decrementer size (%u) differs to model (%u)", host->dec_bits,
                            MODEL_DEC_BITS);

        return refuse(err, what, "cap-large-decr=off");
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

int kvm_ppc_set_large_decr(PowerPCCPU *cpu, bool enable)
{
    uint64_t lpcr = 0;
    struct kvm_one_reg reg = { .id = KVM_REG_PPC_LPCR_64, .addr = (uintptr_t)&lpcr };
    int r = kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_GET_ONE_REG, &reg);

    if (r < 0) {
        return r;
    }
    if (!(lpcr & LPCR_LD) == !enable) {
        return 0;
    }
    lpcr = enable ? lpcr | LPCR_LD : lpcr & ~LPCR_LD;
    kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_SET_ONE_REG, &reg);
    lpcr = 0;
    r = kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_GET_ONE_REG, &reg);
    if (r < 0) {
        return r;
    }
    return !(lpcr & LPCR_LD) == !enable ? 0 : -EINVAL;
}

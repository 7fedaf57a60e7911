/*
 * The exits of KVM_RUN a pseries vCPU handles in user space: hypercalls the
 * kernel leaves to us, MMIO outside guest RAM, and the reasons to stop.
 */
#include "sysemu/kvm-exit.h"
#include "exec/memory.h"
#include "hw/ppc/spapr.h"
#include "qemu/log.h"

static const struct {
    uint32_t reason;
    const char *name;
} exit_names[] = {
    { KVM_EXIT_UNKNOWN, "KVM_EXIT_UNKNOWN" },
    { KVM_EXIT_EXCEPTION, "KVM_EXIT_EXCEPTION" },
    { KVM_EXIT_IO, "KVM_EXIT_IO" },
    { KVM_EXIT_HYPERCALL, "KVM_EXIT_HYPERCALL" },
    { KVM_EXIT_DEBUG, "KVM_EXIT_DEBUG" },
    { KVM_EXIT_HLT, "KVM_EXIT_HLT" },
    { KVM_EXIT_MMIO, "KVM_EXIT_MMIO" },
    { KVM_EXIT_IRQ_WINDOW_OPEN, "KVM_EXIT_IRQ_WINDOW_OPEN" },
    { KVM_EXIT_SHUTDOWN, "KVM_EXIT_SHUTDOWN" },
    { KVM_EXIT_FAIL_ENTRY, "KVM_EXIT_FAIL_ENTRY" },
    { KVM_EXIT_INTR, "KVM_EXIT_INTR" },
    { KVM_EXIT_SET_TPR, "KVM_EXIT_SET_TPR" },
    { KVM_EXIT_TPR_ACCESS, "KVM_EXIT_TPR_ACCESS" },
    { KVM_EXIT_DCR, "KVM_EXIT_DCR" },
    { KVM_EXIT_NMI, "KVM_EXIT_NMI" },
    { KVM_EXIT_INTERNAL_ERROR, "KVM_EXIT_INTERNAL_ERROR" },
    { KVM_EXIT_OSI, "KVM_EXIT_OSI" },
    { KVM_EXIT_PAPR_HCALL, "KVM_EXIT_PAPR_HCALL" },
    { KVM_EXIT_WATCHDOG, "KVM_EXIT_WATCHDOG" },
    { KVM_EXIT_EPR, "KVM_EXIT_EPR" },
    { KVM_EXIT_SYSTEM_EVENT, "KVM_EXIT_SYSTEM_EVENT" },
};

const char *kvm_exit_reason_name(uint32_t reason)
{
    for (size_t i = 0; i < G_N_ELEMENTS(exit_names); i++) {
        if (exit_names[i].reason == reason) {
            return exit_names[i].name;
        }
    }
    return NULL;
}

/*
 * r3 = opcode, r4..r12 = arguments on entry and outputs on return: the
 * kernel saved them in papr_hcall and loads them back on the next KVM_RUN.
 * The copy keeps the table's target_ulong apart from the kernel's __u64
 * (unsigned long on ppc64, unsigned long long elsewhere).
 */
static void handle_papr_hcall(PowerPCCPU *cpu, struct kvm_run *run)
{
    target_ulong args[SPAPR_HCALL_NARGS];

    G_STATIC_ASSERT(G_N_ELEMENTS(run->papr_hcall.args) == SPAPR_HCALL_NARGS);
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = run->papr_hcall.args[i];
    }
    run->papr_hcall.ret = spapr_hypercall(cpu, run->papr_hcall.nr, args);
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        run->papr_hcall.args[i] = args[i];
    }
}

/*
 * mmio.data holds the bytes as they lie in memory: a load of len bytes is
 * the big-endian value of the bytes at phys_addr, whatever the guest's
 * endianness (the kernel swaps for a little-endian access).  A naturally
 * aligned 1/2/4/8-byte access is one access of the device; anything else
 * goes byte range by byte range, as a debugger's would.
 */
static bool handle_mmio(struct kvm_run *run, char **msg)
{
    uint64_t addr = run->mmio.phys_addr;
    uint32_t len = run->mmio.len;
    bool natural = (len == 1 || len == 2 || len == 4 || len == 8) && !(addr & (len - 1));
    uint64_t val = 0;

    if (len == 0 || len > sizeof(run->mmio.data)) {
        *msg = g_strdup_printf("KVM: MMIO %s of %u bytes at 0x%" PRIx64 " (at most 8)",
                               run->mmio.is_write ? "write" : "read", len, addr);
        return false;
    }
    if (run->mmio.is_write) {
        for (uint32_t i = 0; i < len; i++) {
            val = val << 8 | run->mmio.data[i];
        }
        if (natural ? !memory_map_write(addr, len, true, val)
                    : !memory_map_write_bytes(addr, run->mmio.data, len)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "KVM: MMIO write of %u bytes at 0x%" PRIx64 " reached no device\n", len,
                          addr);
        }
        return true;
    }
    if (natural ? memory_map_read(addr, len, true, &val) : memory_map_read_bytes(addr, &val, len)) {
        if (natural) {
            for (uint32_t i = 0; i < len; i++) {
                run->mmio.data[i] = val >> (8 * (len - 1 - i));
            }
        } else {
            memcpy(run->mmio.data, &val, len);
        }
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "KVM: MMIO read of %u bytes at 0x%" PRIx64 " reached no device\n", len, addr);
        memset(run->mmio.data, 0, len);
    }
    return true;
}

static char *internal_error_msg(const struct kvm_run *run)
{
    GString *s = g_string_new(NULL);
    uint32_t n = MIN(run->internal.ndata, (uint32_t)G_N_ELEMENTS(run->internal.data));

    g_string_append_printf(s, "KVM internal error. Suberror: %u", run->internal.suberror);
    for (uint32_t i = 0; i < n; i++) {
        g_string_append_printf(s, "\nextra data[%u]: 0x%016" PRIx64, i,
                               (uint64_t)run->internal.data[i]);
    }
    return g_string_free(s, false);
}

KvmExitAction kvm_handle_exit(PowerPCCPU *cpu, struct kvm_run *run, char **msg)
{
    *msg = NULL;
    switch (run->exit_reason) {
    case KVM_EXIT_PAPR_HCALL:
        handle_papr_hcall(cpu, run);
        return KVM_EXIT_ACTION_RESUME;
    case KVM_EXIT_MMIO:
        return handle_mmio(run, msg) ? KVM_EXIT_ACTION_RESUME : KVM_EXIT_ACTION_INTERNAL;
    case KVM_EXIT_INTR:
        return KVM_EXIT_ACTION_RESUME;
    case KVM_EXIT_DEBUG:
        return KVM_EXIT_ACTION_DEBUG;
    case KVM_EXIT_SHUTDOWN:
        return KVM_EXIT_ACTION_RESET;
    case KVM_EXIT_FAIL_ENTRY:
        *msg = g_strdup_printf("KVM: entry failed, hardware error 0x%" PRIx64,
                               (uint64_t)run->fail_entry.hardware_entry_failure_reason);
        return KVM_EXIT_ACTION_INTERNAL;
    case KVM_EXIT_INTERNAL_ERROR:
        *msg = internal_error_msg(run);
        return KVM_EXIT_ACTION_INTERNAL;
    default:
        if (kvm_exit_reason_name(run->exit_reason)) {
            *msg = g_strdup_printf("KVM: unhandled exit %s (%u) on a pseries vCPU",
                                   kvm_exit_reason_name(run->exit_reason), run->exit_reason);
        } else {
            *msg = g_strdup_printf("KVM: unknown exit reason %u", run->exit_reason);
        }
        return KVM_EXIT_ACTION_INTERNAL;
    }
}

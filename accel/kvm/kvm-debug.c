/*
 * The gdbstub under KVM: software breakpoints are the instruction the
 * kernel traps on (ONE_REG KVM_REG_PPC_DEBUG_INST) written over the guest's,
 * single steps are asked of the kernel, both through KVM_SET_GUEST_DEBUG;
 * KVM_EXIT_DEBUG stops the vCPU for the debugger.  The breakpoint list is the
 * gdbstub's (ppc_debug_breakpoints()); this file makes guest memory and the
 * kernel's debug state follow it each time a vCPU is about to run.
 */
#include "sysemu/kvm-ppc.h"
#include "qemu/error-report.h"
#include "target/ppc/internal.h"

/* A breakpoint written into guest memory, and the instruction it replaced. */
typedef struct KvmSwBp {
    uint64_t addr;
    uint8_t saved[4];
} KvmSwBp;

static GArray *patched; /* KvmSwBp, under the big lock */
static uint32_t debug_inst;

void kvm_ppc_debug_reset(void)
{
    if (patched) {
        g_array_set_size(patched, 0);
    }
    debug_inst = 0;
}

uint32_t kvm_ppc_debug_inst(void)
{
    return debug_inst;
}

void kvm_ppc_debug_init_vcpu(PowerPCCPU *cpu)
{
    uint32_t inst = 0;
    struct kvm_one_reg reg = { .id = KVM_REG_PPC_DEBUG_INST, .addr = (uintptr_t)&inst };

    if (!debug_inst && kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_GET_ONE_REG, &reg) == 0) {
        debug_inst = inst;
    }
}

static bool wanted(const uint64_t *bps, unsigned n, uint64_t addr)
{
    for (unsigned i = 0; i < n; i++) {
        if (bps[i] == addr) {
            return true;
        }
    }
    return false;
}

static bool is_patched(uint64_t addr)
{
    for (guint i = 0; patched && i < patched->len; i++) {
        if (g_array_index(patched, KvmSwBp, i).addr == addr) {
            return true;
        }
    }
    return false;
}

bool kvm_ppc_debug_is_sw_bp(uint64_t addr)
{
    return is_patched(addr);
}

/* The instruction in the bytes the guest fetches it from (its endianness now). */
static void inst_bytes(PowerPCCPU *cpu, uint32_t inst, uint8_t b[4])
{
    bool le = cpu->env.msr & MSR_LE;

    for (unsigned i = 0; i < 4; i++) {
        b[le ? i : 3 - i] = inst >> (8 * i);
    }
}

int kvm_ppc_update_guest_debug(PowerPCCPU *cpu)
{
    unsigned n;
    const uint64_t *bps = ppc_debug_breakpoints(cpu, &n);
    struct kvm_guest_debug dbg = { 0 };
    int r;

    if (!patched) {
        patched = g_array_new(false, false, sizeof(KvmSwBp));
    }
    /* Breakpoints removed: the guest's instruction back. */
    for (guint i = patched->len; i-- > 0;) {
        KvmSwBp *bp = &g_array_index(patched, KvmSwBp, i);

        if (!wanted(bps, n, bp->addr)) {
            if (!ppc_gdb_memory_rw(cpu, bp->addr, bp->saved, 4, true)) {
                error_report("KVM: cannot restore the instruction at 0x%" PRIx64, bp->addr);
            }
            g_array_remove_index(patched, i);
        }
    }
    /* Breakpoints added: the trap instruction over the guest's. */
    for (unsigned i = 0; i < n; i++) {
        KvmSwBp bp = { .addr = bps[i] };
        uint8_t trap[4];

        if (is_patched(bp.addr)) {
            continue;
        }
        if (!debug_inst) {
            error_report("KVM: this kernel gives no breakpoint instruction "
                         "(KVM_REG_PPC_DEBUG_INST): breakpoint at 0x%" PRIx64 " not set",
                         bp.addr);
            continue;
        }
        inst_bytes(cpu, debug_inst, trap);
        if (!ppc_gdb_memory_rw(cpu, bp.addr, bp.saved, 4, false) ||
            !ppc_gdb_memory_rw(cpu, bp.addr, trap, 4, true)) {
            error_report("KVM: cannot set a breakpoint at 0x%" PRIx64, bp.addr);
            continue;
        }
        g_array_append_val(patched, bp);
    }
    if (patched->len) {
        dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
    }
    if (ppc_debug_stepping(cpu)) {
        dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
    }
    if (dbg.control == cpu->kvm->guest_debug) {
        return 0;
    }
    r = kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_SET_GUEST_DEBUG, &dbg);
    if (r == 0) {
        cpu->kvm->guest_debug = dbg.control;
    }
    return r;
}

int kvm_ppc_debug_stop_reason(PowerPCCPU *cpu, const struct kvm_run *run)
{
    if (ppc_debug_stepping(cpu)) {
        return PPC_DEBUG_STEP;
    }
    if (is_patched(run->debug.arch.address) || is_patched(cpu->env.nip)) {
        return PPC_DEBUG_BREAK;
    }
    return 0;
}

void kvm_ppc_debug_not_ours(PowerPCCPU *cpu)
{
    /* The guest's own instruction, illegal to it: its program interrupt. */
    ppc_raise(&cpu->env, PPC_VEC_PROGRAM, cpu->env.nip, SRR1_PROGRAM_ILLEGAL);
}

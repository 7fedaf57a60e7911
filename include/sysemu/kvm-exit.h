/*
 * What a vCPU does when KVM_RUN returns (accel/kvm/kvm-exit.c): a function of
 * the struct kvm_run the kernel filled in, so that it runs, and is tested,
 * without /dev/kvm.  Needs <linux/kvm.h> (any Linux host: the exits used
 * here are in the generic part of struct kvm_run).
 */
#ifndef SYSEMU_KVM_EXIT_H
#define SYSEMU_KVM_EXIT_H

#include "target/ppc/cpu.h"

#include <linux/kvm.h>

typedef enum KvmExitAction {
    KVM_EXIT_ACTION_RESUME,   /* handled: enter the guest again */
    KVM_EXIT_ACTION_DEBUG,    /* a breakpoint or single step: stop for the gdbstub */
    KVM_EXIT_ACTION_RESET,    /* the kernel asks for a system reset (KVM_EXIT_SHUTDOWN) */
    KVM_EXIT_ACTION_INTERNAL, /* the vCPU cannot go on: stop the VM (internal-error) */
} KvmExitAction;

/*
 * Handle run->exit_reason for cpu, with the big lock held (hypercall
 * handlers and device callbacks run under it):
 * - KVM_EXIT_PAPR_HCALL: papr_hcall.nr and args[0..8] (r3, r4..r12) go to
 *   spapr_hypercall(), the dispatch function `sc 1` under TCG reaches
 *   through the vhyp hook; the return code goes to papr_hcall.ret (r3) and
 *   the outputs to papr_hcall.args (r4..).
 * - KVM_EXIT_MMIO: mmio.len bytes (1..8) at mmio.phys_addr, in guest memory
 *   order in mmio.data, read from or written to the memory map.  An address
 *   nothing answers reads as zeros and drops writes (a -d guest_errors line),
 *   as QEMU's unassigned memory under KVM.
 * - KVM_EXIT_INTR: a signal kicked the vCPU out; nothing to do.
 * - KVM_EXIT_DEBUG: the caller stops for the debugger.
 * - KVM_EXIT_SHUTDOWN: the caller requests a reset.
 * - KVM_EXIT_FAIL_ENTRY, KVM_EXIT_INTERNAL_ERROR, an MMIO exit longer than
 *   8 bytes, and any other reason: KVM_EXIT_ACTION_INTERNAL, with *msg (the
 *   caller frees it) saying what the kernel reported, one line per fact.
 * *msg is NULL for the other actions.
 */
KvmExitAction kvm_handle_exit(PowerPCCPU *cpu, struct kvm_run *run, char **msg);

/* The name of a KVM exit reason ("KVM_EXIT_MMIO"), or NULL for one we do not know. */
const char *kvm_exit_reason_name(uint32_t reason);

#endif

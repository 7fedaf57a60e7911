/*
 * KVM on a ppc64 host (CONFIG_KVM): the vCPU state as the kernel's
 * structures carry it (accel/kvm/kvm-ppc.c, pure conversions the unit tests
 * run under qemu-ppc64le), and the VM and vCPU ioctls (accel/kvm/kvm-all.c).
 */
#ifndef SYSEMU_KVM_PPC_H
#define SYSEMU_KVM_PPC_H

#include "sysemu/kvm-exit.h"
#include "sysemu/kvm.h"

#include <asm/kvm.h>

/* GPRs, CR, XER, LR, CTR, PC, MSR, SRR0/1, SPRG0-3 <-> struct kvm_regs. */
void kvm_ppc_regs_from_env(const CPUPPCState *env, struct kvm_regs *regs);
void kvm_ppc_regs_to_env(CPUPPCState *env, const struct kvm_regs *regs);
/* PVR, SDR1 and the SLB (Book3S 64-bit) <-> struct kvm_sregs. */
void kvm_ppc_sregs_from_env(const CPUPPCState *env, struct kvm_sregs *sregs);
void kvm_ppc_sregs_to_env(CPUPPCState *env, const struct kvm_sregs *sregs);

/*
 * One ONE_REG register of the vCPU: its KVM id and where its value lives
 * in CPUPPCState.  kvm_ppc_one_reg_get() copies env's value into buf in the
 * layout the kernel uses for that id (size from the id: 4, 8 or 16 bytes);
 * kvm_ppc_one_reg_set() the other way.  false: the id is not one of ours.
 */
typedef struct KvmPpcOneReg {
    uint64_t id;
    const char *name;
} KvmPpcOneReg;
/* The SPRs, FP, VMX and VSX registers synchronised through ONE_REG. */
size_t kvm_ppc_one_regs(const KvmPpcOneReg **regs);
unsigned kvm_ppc_one_reg_size(uint64_t id);
bool kvm_ppc_one_reg_get(const CPUPPCState *env, uint64_t id, void *buf);
bool kvm_ppc_one_reg_set(CPUPPCState *env, uint64_t id, const void *buf);

/*
 * The VM (kvm-all.c).  kvm_ppc_vm_fd() is -1 before kvm_accel_init().
 * Every call returns 0 or -errno, and leaves the message to the caller.
 */
int kvm_ppc_vm_fd(void);
bool kvm_ppc_is_hv(void);
int kvm_check_extension(unsigned cap);
int kvm_vm_check_extension(unsigned cap);
int kvm_set_user_memory(unsigned slot, uint64_t guest_addr, void *host, uint64_t size);
int kvm_ppc_enable_hcall(uint64_t opcode, bool enable);
int kvm_ppc_define_rtas_token(const char *name, uint32_t token);
int kvm_ppc_allocate_htab(uint32_t *shift);
int kvm_ppc_configure_v3_mmu(bool radix, bool gtse, uint64_t proc_tbl);

/* One vCPU: its fd and the kvm_run page the kernel shares with us. */
typedef struct KvmVcpu {
    int fd;
    struct kvm_run *run;
    size_t run_size;
} KvmVcpu;
int kvm_vcpu_create(KvmVcpu *vcpu, unsigned long vcpu_id);
void kvm_vcpu_destroy(KvmVcpu *vcpu);
/* Whole-state copies between env and the kernel (regs, sregs, ONE_REGs). */
int kvm_vcpu_get_state(KvmVcpu *vcpu, CPUPPCState *env);
int kvm_vcpu_put_state(KvmVcpu *vcpu, const CPUPPCState *env);
/* Raise or lower the external interrupt line (KVM_INTERRUPT). */
int kvm_vcpu_set_external_irq(KvmVcpu *vcpu, bool level);
/*
 * Enter the guest until an exit user space must handle; the exit is
 * handled (kvm_handle_exit) with the big lock taken.  Returns the action,
 * or KVM_EXIT_ACTION_INTERNAL with *msg when KVM_RUN itself failed.
 */
KvmExitAction kvm_vcpu_run_once(KvmVcpu *vcpu, PowerPCCPU *cpu, char **msg);

#endif

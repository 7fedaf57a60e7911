/*
 * KVM on a ppc64 host (CONFIG_KVM): the vCPU state as the kernel's
 * structures carry it (accel/kvm/kvm-ppc.c, pure conversions the unit tests
 * run under qemu-ppc64le), and the VM and vCPU ioctls (accel/kvm/kvm-all.c).
 */
#ifndef SYSEMU_KVM_PPC_H
#define SYSEMU_KVM_PPC_H

#include "sysemu/kvm-exit.h"
#include "sysemu/cpus.h"
#include "sysemu/kvm.h"

#include <asm/kvm.h>
#include <pthread.h>

/*
 * The kernel interface accel/kvm goes through: the host's /dev/kvm by
 * default, a scripted one in the unit tests (which run the real run loop
 * and state sync under qemu-ppc64le, where no KVM ioctl reaches a kernel).
 * open_dev and ioctl return -errno on failure; ioctl returns the kernel's
 * non-negative result (an fd, a size) and is not retried on EINTR.
 */
typedef struct KvmOps {
    int (*open_dev)(void);
    int (*ioctl)(int fd, unsigned long req, void *arg);
    void *(*mmap_run)(int fd, size_t size); /* NULL (errno set) on failure */
    void (*munmap_run)(void *run, size_t size);
    void (*close)(int fd);
    /* read/write on an fd the kernel gave (the HPT stream): bytes, or -errno. */
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
} KvmOps;
/* NULL: the host's /dev/kvm again. */
void kvm_set_ops(const KvmOps *ops);

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
 * The VM (kvm-all.c).  kvm_ppc_vm_fd() is -1 before kvm_init_vm().
 * Every call returns 0 or -errno, and leaves the message to the caller,
 * except kvm_init_vm(), which prints QEMU's ("Could not access KVM kernel
 * module: ...", "failed to initialize kvm: ...").
 */
int kvm_init_vm(void);
void kvm_shutdown_vm(void);
int kvm_ppc_vm_fd(void);
bool kvm_ppc_is_hv(void);
int kvm_check_extension(unsigned cap);
int kvm_vm_check_extension(unsigned cap);
int kvm_set_user_memory(unsigned slot, uint64_t guest_addr, void *host, uint64_t size);
int kvm_ppc_enable_hcall(uint64_t opcode, bool enable);
int kvm_ppc_define_rtas_token(const char *name, uint32_t token);
int kvm_ppc_allocate_htab(uint32_t *shift);
int kvm_ppc_configure_v3_mmu(bool radix, bool gtse, uint64_t proc_tbl);
/*
 * Whether the VM can be migrated: not a KVM-HV guest on the hashed MMU,
 * whose table only the kernel has (false, *err to g_free).
 */
bool kvm_ppc_migration_allowed(char **err);
/*
 * KVM-HV's hashed page table as a stream (KVM_PPC_GET_HTAB_FD): the
 * building blocks of its migration, which is not wired up yet.
 * kvm_ppc_htab_open(): an fd to read the table (each read pass returns
 * what changed since the last) or, with write, to write entries into it.
 * kvm_ppc_htab_read(): one pass into htab (nptes entries of 16 bytes,
 * big-endian as in guest memory; invalid ones zeroed); the number of
 * entries the pass named, or -errno (-EINVAL for a record outside the
 * table).  kvm_ppc_htab_write(): the whole table, valid entries (V bit
 * set) as they are, runs of invalid ones as counts; 0 or -errno.
 */
int kvm_ppc_htab_open(bool write);
int64_t kvm_ppc_htab_read(int fd, uint8_t *htab, uint64_t nptes);
int kvm_ppc_htab_write(int fd, const uint8_t *htab, uint64_t nptes);

/* One vCPU: its fd and the kvm_run page the kernel shares with us. */
typedef struct KvmVcpu {
    int fd;
    struct kvm_run *run;
    size_t run_size;
    /* env is newer than the kernel's copy: put it before the next KVM_RUN. */
    bool dirty;
    bool has_thread;      /* thread is the vCPU thread (kvm_cpu_thread_init) */
    pthread_t thread;     /* the thread a kick signals */
    uint64_t exits;       /* KVM_RUN returns handled, for tests and statistics */
    uint32_t guest_debug; /* the KVM_SET_GUEST_DEBUG control in the kernel */
} KvmVcpu;
int kvm_vcpu_create(KvmVcpu *vcpu, unsigned long vcpu_id);
void kvm_vcpu_destroy(KvmVcpu *vcpu);
/* Whole-state copies between env and the kernel (regs, sregs, ONE_REGs). */
int kvm_vcpu_get_state(KvmVcpu *vcpu, CPUPPCState *env);
int kvm_vcpu_put_state(KvmVcpu *vcpu, const CPUPPCState *env);
/* Raise or lower the external interrupt line (KVM_INTERRUPT). */
int kvm_vcpu_set_external_irq(KvmVcpu *vcpu, bool level);

/*
 * A PowerPCCPU under KVM (cpu->kvm): its vCPU (KVM_CREATE_VCPU with the
 * cpu_index as id), the state sync and the run loop.
 */
int kvm_cpu_init(PowerPCCPU *cpu);
void kvm_cpu_fini(PowerPCCPU *cpu);
/* From the vCPU thread, before its first kvm_cpu_exec(): where kicks go. */
void kvm_cpu_thread_init(PowerPCCPU *cpu);
/* From any thread, after ppc_request_exit(): get cpu out of KVM_RUN. */
void kvm_cpu_kick(PowerPCCPU *cpu);
/*
 * With cpu parked (or from its own thread): bring env up to date from the
 * kernel, and mark it to be put back before the next KVM_RUN.
 */
void kvm_cpu_synchronize_state(PowerPCCPU *cpu);
/* env was set whole (an incoming migration): put it before the next KVM_RUN. */
void kvm_cpu_state_loaded(PowerPCCPU *cpu);
/*
 * The vCPU thread's turn, with the big lock held (dropped around KVM_RUN):
 * env is put to the kernel if it changed, then KVM_RUN and the exits
 * (kvm_handle_exit) until cpu's exit request is set or it halts
 * (RESUME), a debug exit (DEBUG: cpu->debug_stop set), a kernel reset
 * request (RESET: qemu_system_reset_request) or an error (INTERNAL: the
 * message printed, the VM stopped in internal-error).  env is read back
 * from the kernel before it returns.
 */
KvmExitAction kvm_cpu_exec(PowerPCCPU *cpu);
/*
 * The pseries machine under KVM, once its RAM and CPUs exist: guest RAM
 * as memory slot 0, a vCPU per PowerPCCPU, the kernel's optional hcalls
 * enabled, the vCPU threads run by kvm_cpu_exec.  false with *err (to
 * g_free) when the host refuses, nothing left half done.
 */
bool kvm_ppc_machine_init(PowerPCCPU *const *cpus, unsigned n, char **err);
/* The XICS presenter's output for cpu: its external interrupt line (KVM_INTERRUPT). */
void kvm_ppc_set_irq(PowerPCCPU *cpu, bool level);
/*
 * The gdbstub under KVM (accel/kvm/kvm-debug.c).  kvm_ppc_debug_init_vcpu()
 * reads the kernel's breakpoint instruction (KVM_REG_PPC_DEBUG_INST).
 * kvm_ppc_update_guest_debug(), before cpu enters, with the big lock held:
 * the gdbstub's breakpoints written into guest memory (the guest's
 * instruction kept) or taken out, and KVM_SET_GUEST_DEBUG (software
 * breakpoints, single step) when it changed; 0 or -errno.
 * kvm_ppc_debug_stop_reason() after KVM_EXIT_DEBUG: PPC_DEBUG_STEP while
 * stepping, PPC_DEBUG_BREAK at one of ours, 0 for a trap that is not ours.
 */
void kvm_ppc_debug_init_vcpu(PowerPCCPU *cpu);
int kvm_ppc_update_guest_debug(PowerPCCPU *cpu);
int kvm_ppc_debug_stop_reason(PowerPCCPU *cpu, const struct kvm_run *run);
bool kvm_ppc_debug_is_sw_bp(uint64_t addr);
/* A KVM_EXIT_DEBUG that is not the debugger's: the guest's program interrupt (env synced). */
void kvm_ppc_debug_not_ours(PowerPCCPU *cpu);
uint32_t kvm_ppc_debug_inst(void);
/* Forget the breakpoints written and the instruction (the VM is gone). */
void kvm_ppc_debug_reset(void);
/* A VM ioctl (KVM_PPC_GET_CPU_CHAR...): 0 or -errno. */
int kvm_ppc_vm_ioctl(unsigned long req, void *arg);
/* An ioctl on another fd of ours (a vCPU, a device): 0 or -errno; and closing one. */
int kvm_ppc_fd_ioctl(int fd, unsigned long req, void *arg);
void kvm_ppc_close_fd(int fd);
/* -accel kvm,kernel-irqchip=: "on", "off", "split", or NULL when not given. */
const char *kvm_irqchip_mode(void);

/*
 * The in-kernel XICS (accel/kvm/kvm-xics.c).  kvm_ppc_irqchip_init(), once
 * the vCPUs exist: kernel-irqchip=split is refused, off keeps the emulated
 * XICS, on connects the kernel's or fails (false, *err: QEMU's "kernel_irqchip
 * requested but unavailable: ..."), unset tries and falls back with QEMU's
 * warning.  Connecting defines the XICS RTAS tokens of /rtas in the kernel
 * (KVM_PPC_RTAS_DEFINE_TOKEN), creates the device (KVM_CREATE_DEVICE), joins
 * each vCPU of icps to it (KVM_CAP_IRQ_XICS with its server number) and hands
 * it the claimed sources' configuration; a failure undoes all of it.
 */
struct ICSState;
struct ICPState;
struct ICSIRQState;
bool kvm_ppc_irqchip_init(struct ICSState *ics, struct ICPState *const *icps, unsigned n,
                          char **err);
bool kvm_ppc_xics_in_kernel(void);
void kvm_ppc_xics_disconnect(void);
/* A source line of ics changed: KVM_IRQ_LINE (an MSI's rising edge only). */
void kvm_ppc_xics_set_irq(struct ICSState *ics, uint32_t srcno, bool level);
/* Source srcno of ics was claimed or freed: its configuration goes to the kernel. */
void kvm_ppc_xics_source_changed(struct ICSState *ics, uint32_t srcno);
/* A source's configuration in the kernel's KVM_DEV_XICS_GRP_SOURCES layout. */
uint64_t kvm_ppc_xics_source_state(const struct ICSIRQState *irq);
/* The other way: a claimed source as the kernel describes it. */
void kvm_ppc_xics_source_from_state(struct ICSIRQState *irq, uint64_t state);
/* ics is the one the kernel serves. */
bool kvm_ppc_xics_owns(const struct ICSState *ics);
/*
 * The kernel's XICS state and the emulated copy (a no-op when ics, or
 * icp's vCPU, is not the kernel's): *_get reads the kernel's into the copy
 * (before a migration save; an error is printed, -errno), *_put writes the
 * copy to the kernel (after a load or a reset; -errno with *err: QEMU's
 * "Unable to restore KVM interrupt controller state ..."). The sources are
 * the claimed ones; an ICP is KVM_REG_PPC_ICP_STATE of its vCPU.
 */
int kvm_ppc_xics_ics_get(struct ICSState *ics);
int kvm_ppc_xics_ics_put(struct ICSState *ics, char **err);
int kvm_ppc_xics_icp_get(struct ICPState *icp);
int kvm_ppc_xics_icp_put(struct ICPState *icp, char **err);
/* An ICP's registers in the KVM_REG_PPC_ICP_STATE layout. */
uint64_t kvm_ppc_xics_icp_state(const struct ICPState *icp);

/*
 * What the host's KVM can give a pseries guest, for the cap-* checks
 * (accel/kvm/kvm-caps.c).  The modes are SpaprCapMode values.
 */
typedef struct KvmPpcHostCaps {
    bool htm, radix, nested_hv, fwnmi, rpt_invalidate, ccf_assist;
    unsigned cfpc, sbbc, ibs; /* SpaprCapMode */
    unsigned dec_bits;        /* the host's ibm,dec-bits; 0: no large decrementer */
    bool smmu_known;          /* KVM_PPC_GET_SMMU_INFO answered */
    uint64_t smmu_flags;      /* its flags (KVM_PPC_PAGE_SIZES_REAL: HV on POWER8) */
    uint64_t ram_page_size;   /* the host pages behind guest RAM */
} KvmPpcHostCaps;
void kvm_ppc_host_caps(KvmPpcHostCaps *host);
/* Where kvm_ppc_host_caps() reads the host's device tree (tests); NULL: /proc/device-tree. */
void kvm_ppc_set_host_dt(const char *dir);
/*
 * cap-large-decr on a vCPU: LPCR[LD] set or cleared in the kernel's LPCR
 * (ONE_REG), read back; -EINVAL when the kernel does not keep it.
 */
int kvm_ppc_set_large_decr(PowerPCCPU *cpu, bool enable);
void kvm_ppc_caps_from_cpu_char(const struct kvm_ppc_cpu_char *c, KvmPpcHostCaps *host);
struct SpaprCaps;
/* false with *err (QEMU's message, then its "Try appending" hint line) when the host falls short. */
bool kvm_ppc_check_caps(const struct SpaprCaps *caps, const KvmPpcHostCaps *host, char **err);
/* What system/cpus.c runs the vCPU threads with under KVM. */
extern const CpusAccelOps kvm_cpus_ops;

#endif

/*
 * KVM on a ppc64 host: /dev/kvm, the VM (HV or PR), guest RAM slots, vCPUs
 * and their state, the pseries-specific VM ioctls (in-kernel hcalls, RTAS
 * tokens, the hashed page table, the radix MMU), and one KVM_RUN round.
 */
#include "sysemu/kvm-ppc.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The host kernel's /dev/kvm, the default KvmOps. */
static int host_open_dev(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    return fd < 0 ? -errno : fd;
}

/* ioctl's non-negative result matters for some requests (fds, sizes). */
static int host_ioctl_value(int fd, unsigned long req, void *arg)
{
    int r = ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

static void *host_mmap_run(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

    return p == MAP_FAILED ? NULL : p;
}

static void host_munmap_run(void *run, size_t size)
{
    munmap(run, size);
}

static void host_close(int fd)
{
    close(fd);
}

static ssize_t host_read(int fd, void *buf, size_t n)
{
    ssize_t r = read(fd, buf, n);

    return r < 0 ? -errno : r;
}

static ssize_t host_write(int fd, const void *buf, size_t n)
{
    ssize_t r = write(fd, buf, n);

    return r < 0 ? -errno : r;
}

static const KvmOps host_ops = {
    .read = host_read,
    .write = host_write,
    .open_dev = host_open_dev,
    .ioctl = host_ioctl_value,
    .mmap_run = host_mmap_run,
    .munmap_run = host_munmap_run,
    .close = host_close,
};
static const KvmOps *ops = &host_ops;

void kvm_set_ops(const KvmOps *o)
{
    ops = o ? o : &host_ops;
}

static struct {
    int fd;    /* /dev/kvm */
    int vm_fd; /* the VM */
    bool enabled;
    bool hv;             /* KVM-HV (the host's hypervisor mode), else KVM-PR */
    const char *irqchip; /* kernel-irqchip=: on, off or split */
    uint64_t shadow_mem; /* kvm-shadow-mem= (PR's shadow page table), 0: default */
    bool hpt_in_kernel;  /* KVM_PPC_ALLOCATE_HTAB gave HV's table */
    bool radix;          /* the guest's MMU is radix (KVM_PPC_CONFIGURE_V3_MMU) */
} kvm = { .fd = -1, .vm_fd = -1 };

bool kvm_enabled(void)
{
    return kvm.enabled;
}

int kvm_ppc_vm_fd(void)
{
    return kvm.vm_fd;
}

bool kvm_ppc_is_hv(void)
{
    return kvm.hv;
}

bool kvm_accel_set_property(const char *name, const char *value, char **err)
{
    *err = NULL;
    if (!strcmp(name, "kernel-irqchip")) {
        bool on;

        if (!strcmp(value, "split")) {
            kvm.irqchip = "split";
        } else if (qemu_parse_bool(value, &on)) {
            kvm.irqchip = on ? "on" : "off";
        } else {
            *err = g_strdup_printf("Parameter 'kernel-irqchip' does not accept value '%s'", value);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "kvm-shadow-mem")) {
        if (!qemu_strtosz(value, 1, &kvm.shadow_mem)) {
            *err = g_strdup_printf("Parameter 'kvm-shadow-mem' expects an int64 value");
            return false;
        }
        return true;
    }
    return false;
}

/* ioctl, again while a signal interrupts it; -errno on failure. */
static int kvm_ioctl(int fd, unsigned long req, unsigned long arg)
{
    int r;

    do {
        r = ops->ioctl(fd, req, (void *)arg);
    } while (r == -EINTR);
    return r;
}

int kvm_check_extension(unsigned cap)
{
    int r = kvm_ioctl(kvm.fd, KVM_CHECK_EXTENSION, cap);

    return r < 0 ? 0 : r;
}

int kvm_vm_check_extension(unsigned cap)
{
    int r = kvm_ioctl(kvm.vm_fd, KVM_CHECK_EXTENSION, cap);

    return r < 0 ? kvm_check_extension(cap) : r;
}

const char *kvm_irqchip_mode(void)
{
    return kvm.irqchip;
}

int kvm_ppc_fd_ioctl(int fd, unsigned long req, void *arg)
{
    return MIN(kvm_ioctl(fd, req, (uintptr_t)arg), 0);
}

void kvm_ppc_close_fd(int fd)
{
    ops->close(fd);
}

/* Close what kvm_init_vm() opened. */
static void kvm_close_vm(void)
{
    kvm_ppc_xics_disconnect();
    kvm_ppc_debug_reset();
    if (kvm.vm_fd >= 0) {
        ops->close(kvm.vm_fd);
    }
    if (kvm.fd >= 0) {
        ops->close(kvm.fd);
    }
    kvm.fd = kvm.vm_fd = -1;
    kvm.enabled = false;
    kvm.hpt_in_kernel = kvm.radix = false;
}

int kvm_init_vm(void)
{
    int r;

    r = ops->open_dev();
    if (r < 0) {
        error_report("Could not access KVM kernel module: %s", g_strerror(-r));
        goto fail;
    }
    kvm.fd = r;
    r = kvm_ioctl(kvm.fd, KVM_GET_API_VERSION, 0);
    if (r != KVM_API_VERSION) {
        error_report("kvm version not supported");
        r = -EINVAL;
        goto fail;
    }
    /*
     * Type 0 lets the kernel choose: HV when the host runs in hypervisor
     * mode with kvm_hv loaded, else PR.  PR exposes the paravirtual info
     * (KVM_CAP_PPC_GET_PVINFO) that HV does not.
     */
    r = kvm_ioctl(kvm.fd, KVM_CREATE_VM, 0);
    if (r < 0) {
        error_report("ioctl(KVM_CREATE_VM) failed: %d %s", -r, g_strerror(-r));
        goto fail;
    }
    kvm.vm_fd = r;
    if (!kvm_vm_check_extension(KVM_CAP_PPC_PAPR) &&
        !kvm_vm_check_extension(KVM_CAP_PPC_MMU_RADIX)) {
        error_report("KVM on this host cannot run a PAPR guest (no KVM_CAP_PPC_PAPR)");
        r = -EINVAL;
        goto fail;
    }
    kvm.hv = !kvm_vm_check_extension(KVM_CAP_PPC_GET_PVINFO);
    kvm.enabled = true;
    return 0;

fail:
    error_report("failed to initialize kvm: %s", g_strerror(-r));
    kvm_close_vm();
    return r;
}

void kvm_shutdown_vm(void)
{
    kvm_close_vm();
    kvm.irqchip = NULL; /* the accelerator's properties go with it */
}

/*
 * -accel kvm: the VM.  The machine then hands it guest RAM, the HPT or the
 * radix process table, the vCPUs and the interrupt controller
 * (spapr_machine_cpus_start), and the vCPU threads run kvm_cpu_exec().
 * false: QEMU's messages were printed; accel=kvm:tcg goes on to TCG.
 */
bool kvm_accel_init(void)
{
    return kvm_init_vm() == 0;
}

int kvm_ppc_vm_ioctl(unsigned long req, void *arg)
{
    return MIN(kvm_ioctl(kvm.vm_fd, req, (uintptr_t)arg), 0);
}

int kvm_set_user_memory(unsigned slot, uint64_t guest_addr, void *host, uint64_t size)
{
    struct kvm_userspace_memory_region mr = {
        .slot = slot,
        .guest_phys_addr = guest_addr,
        .memory_size = size,
        .userspace_addr = (uintptr_t)host,
    };

    return kvm_ioctl(kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, (uintptr_t)&mr);
}

/*
 * With KVM_CAP_PPC_ENABLE_HCALL the kernel handles an hcall it implements
 * only when user space enables it; the others exit as KVM_EXIT_PAPR_HCALL.
 */
int kvm_ppc_enable_hcall(uint64_t opcode, bool enable)
{
    struct kvm_enable_cap cap = {
        .cap = KVM_CAP_PPC_ENABLE_HCALL,
        .args = { opcode, enable },
    };

    if (!kvm_vm_check_extension(KVM_CAP_PPC_ENABLE_HCALL)) {
        return -ENOSYS;
    }
    return kvm_ioctl(kvm.vm_fd, KVM_ENABLE_CAP, (uintptr_t)&cap);
}

/* An RTAS service the kernel runs itself (the XICS ones): its token. */
int kvm_ppc_define_rtas_token(const char *name, uint32_t token)
{
    struct kvm_rtas_token_args args = { .token = token };

    if (!kvm_vm_check_extension(KVM_CAP_PPC_RTAS)) {
        return -ENOSYS;
    }
    if (strlen(name) >= sizeof(args.name)) {
        return -EINVAL;
    }
    strcpy(args.name, name);
    return kvm_ioctl(kvm.vm_fd, KVM_PPC_RTAS_DEFINE_TOKEN, (uintptr_t)&args);
}

/*
 * HV keeps the hashed page table in the host kernel: ask for 2^*shift
 * bytes; the kernel may give another size and says which.  -ENOSYS: PR,
 * where the table stays in user space (the vhyp HPT).
 */
int kvm_ppc_allocate_htab(uint32_t *shift)
{
    if (!kvm_vm_check_extension(KVM_CAP_PPC_ALLOC_HTAB) || !kvm.hv) {
        return -ENOSYS;
    }
    int r = MIN(kvm_ioctl(kvm.vm_fd, KVM_PPC_ALLOCATE_HTAB, (uintptr_t)shift), 0);

    if (r == 0) {
        kvm.hpt_in_kernel = true; /* the guest starts on the hashed MMU */
        kvm.radix = false;
    }
    return r;
}

bool kvm_ppc_migration_allowed(char **err)
{
    *err = NULL;
    if (kvm.enabled && kvm.hpt_in_kernel && !kvm.radix) {
        *err = g_strdup("migration of a KVM-HV guest on the hashed MMU is not supported yet: "
                        "its page table is in the host kernel (KVM_PPC_GET_HTAB_FD)");
        return false;
    }
    return true;
}

#define HTAB_HPTE 16         /* bytes of one entry */
#define HTAB_BUF (64 * 1024) /* one read or write of the stream */

int kvm_ppc_htab_open(bool write)
{
    struct kvm_get_htab_fd g = { .flags = write ? KVM_GET_HTAB_WRITE : 0 };

    return kvm_ioctl(kvm.vm_fd, KVM_PPC_GET_HTAB_FD, (uintptr_t)&g);
}

int64_t kvm_ppc_htab_read(int fd, uint8_t *htab, uint64_t nptes)
{
    g_autofree uint8_t *buf = g_malloc(HTAB_BUF);
    int64_t named = 0;

    for (;;) {
        ssize_t n;
        size_t pos = 0;

        do {
            n = ops->read(fd, buf, HTAB_BUF);
        } while (n == -EINTR);
        if (n <= 0) {
            return n < 0 ? n : named; /* 0: the end of this pass */
        }
        while (pos < (size_t)n) {
            struct kvm_get_htab_header h;
            size_t valid;

            if ((size_t)n - pos < sizeof(h)) {
                return -EINVAL;
            }
            memcpy(&h, buf + pos, sizeof(h));
            pos += sizeof(h);
            valid = (size_t)h.n_valid * HTAB_HPTE;
            if ((uint64_t)h.index + h.n_valid + h.n_invalid > nptes || (size_t)n - pos < valid) {
                return -EINVAL;
            }
            memcpy(htab + (uint64_t)h.index * HTAB_HPTE, buf + pos, valid);
            memset(htab + ((uint64_t)h.index + h.n_valid) * HTAB_HPTE, 0,
                   (size_t)h.n_invalid * HTAB_HPTE);
            pos += valid;
            named += h.n_valid + h.n_invalid;
        }
    }
}

/* The V bit: the low bit of the first (big-endian) doubleword. */
static bool htab_valid(const uint8_t *hpte)
{
    return hpte[7] & 1;
}

static int htab_flush(int fd, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = ops->write(fd, buf + done, len - done);

        if (n == -EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? (int)n : -EIO;
        }
        done += n;
    }
    return 0;
}

int kvm_ppc_htab_write(int fd, const uint8_t *htab, uint64_t nptes)
{
    g_autofree uint8_t *buf = g_malloc(HTAB_BUF);
    const size_t max_valid = (HTAB_BUF - sizeof(struct kvm_get_htab_header)) / HTAB_HPTE;
    size_t len = 0;
    uint64_t i = 0;

    while (i < nptes) {
        struct kvm_get_htab_header h = { .index = i };
        int r;

        while (i < nptes && h.n_valid < MIN(max_valid, UINT16_MAX) &&
               htab_valid(htab + i * HTAB_HPTE)) {
            h.n_valid++;
            i++;
        }
        while (i < nptes && h.n_invalid < UINT16_MAX && !htab_valid(htab + i * HTAB_HPTE)) {
            h.n_invalid++;
            i++;
        }
        if (len + sizeof(h) + (size_t)h.n_valid * HTAB_HPTE > HTAB_BUF) {
            r = htab_flush(fd, buf, len);
            if (r < 0) {
                return r;
            }
            len = 0;
        }
        memcpy(buf + len, &h, sizeof(h));
        len += sizeof(h);
        memcpy(buf + len, htab + (uint64_t)h.index * HTAB_HPTE, (size_t)h.n_valid * HTAB_HPTE);
        len += (size_t)h.n_valid * HTAB_HPTE;
    }
    return htab_flush(fd, buf, len);
}

/* POWER9: radix or hash, GTSE, and the process table H_REGISTER_PROC_TBL gave. */
int kvm_ppc_configure_v3_mmu(bool radix, bool gtse, uint64_t proc_tbl)
{
    struct kvm_ppc_mmuv3_cfg cfg = {
        .flags = (radix ? KVM_PPC_MMUV3_RADIX : 0) | (gtse ? KVM_PPC_MMUV3_GTSE : 0),
        .process_table = proc_tbl,
    };

    int r = kvm_ioctl(kvm.vm_fd, KVM_PPC_CONFIGURE_V3_MMU, (uintptr_t)&cfg);

    if (r == 0) {
        kvm.radix = radix;
    }
    return r;
}

int kvm_vcpu_create(KvmVcpu *vcpu, unsigned long vcpu_id)
{
    int size = kvm_ioctl(kvm.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    int fd;

    if (size < (int)sizeof(struct kvm_run)) {
        return size < 0 ? size : -EINVAL;
    }
    fd = kvm_ioctl(kvm.vm_fd, KVM_CREATE_VCPU, vcpu_id);
    if (fd < 0) {
        return fd;
    }
    vcpu->run = ops->mmap_run(fd, size);
    if (!vcpu->run) {
        int e = -errno;

        ops->close(fd);
        return e ? e : -ENOMEM;
    }
    vcpu->fd = fd;
    vcpu->run_size = size;
    return 0;
}

void kvm_vcpu_destroy(KvmVcpu *vcpu)
{
    if (vcpu->run) {
        ops->munmap_run(vcpu->run, vcpu->run_size);
    }
    if (vcpu->fd >= 0) {
        ops->close(vcpu->fd);
    }
    vcpu->run = NULL;
    vcpu->fd = -1;
}

static int one_reg(KvmVcpu *vcpu, bool set, uint64_t id, void *buf)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };

    return kvm_ioctl(vcpu->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, (uintptr_t)&reg);
}

int kvm_vcpu_get_state(KvmVcpu *vcpu, CPUPPCState *env)
{
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    const KvmPpcOneReg *list;
    size_t n = kvm_ppc_one_regs(&list);
    int r;

    r = kvm_ioctl(vcpu->fd, KVM_GET_REGS, (uintptr_t)&regs);
    if (r < 0) {
        return r;
    }
    kvm_ppc_regs_to_env(env, &regs);
    r = kvm_ioctl(vcpu->fd, KVM_GET_SREGS, (uintptr_t)&sregs);
    if (r < 0) {
        return r;
    }
    kvm_ppc_sregs_to_env(env, &sregs);
    for (size_t i = 0; i < n; i++) {
        uint64_t buf[2];

        /* A register this host's KVM lacks (POWER8 has no PSSCR) stays as it was. */
        if (one_reg(vcpu, false, list[i].id, buf) == 0) {
            kvm_ppc_one_reg_set(env, list[i].id, buf);
        }
    }
    return 0;
}

int kvm_vcpu_put_state(KvmVcpu *vcpu, const CPUPPCState *env)
{
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    const KvmPpcOneReg *list;
    size_t n = kvm_ppc_one_regs(&list);
    int r;

    kvm_ppc_regs_from_env(env, &regs);
    r = kvm_ioctl(vcpu->fd, KVM_SET_REGS, (uintptr_t)&regs);
    if (r < 0) {
        return r;
    }
    /* HV owns the MMU state of a radix or HPT guest; PR takes SDR1 and the SLB. */
    if (!kvm.hv) {
        kvm_ppc_sregs_from_env(env, &sregs);
        r = kvm_ioctl(vcpu->fd, KVM_SET_SREGS, (uintptr_t)&sregs);
        if (r < 0) {
            return r;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t buf[2];

        kvm_ppc_one_reg_get(env, list[i].id, buf);
        one_reg(vcpu, true, list[i].id, buf);
    }
    return 0;
}

int kvm_vcpu_set_external_irq(KvmVcpu *vcpu, bool level)
{
    struct kvm_interrupt irq = { .irq = level ? KVM_INTERRUPT_SET_LEVEL : KVM_INTERRUPT_UNSET };

    return kvm_ioctl(vcpu->fd, KVM_INTERRUPT, (uintptr_t)&irq);
}

/*
 * Kicking a vCPU out of KVM_RUN: a signal to its thread, whose handler sets
 * immediate_exit in the thread's kvm_run.  A signal that lands inside
 * KVM_RUN makes it return -EINTR; one that lands between the caller's look
 * at exit_request and the ioctl leaves immediate_exit set, and the kernel
 * (KVM_CAP_IMMEDIATE_EXIT, Linux 4.11) returns -EINTR at once: no lost kick.
 */
#define SIG_KVM_KICK SIGUSR1
static __thread struct kvm_run *thread_run;

static void kick_handler(int sig)
{
    (void)sig;
    if (thread_run) {
        __atomic_store_n(&thread_run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    }
}

int kvm_cpu_init(PowerPCCPU *cpu)
{
    KvmVcpu *vcpu = g_new0(KvmVcpu, 1);
    int r;

    vcpu->fd = -1;
    r = kvm_vcpu_create(vcpu, cpu->cpu_index);
    if (r < 0) {
        g_free(vcpu);
        return r;
    }
    /* env is what reset made it: the kernel gets it before the first KVM_RUN. */
    vcpu->dirty = true;
    cpu->kvm = vcpu;
    kvm_ppc_debug_init_vcpu(cpu);
    return 0;
}

void kvm_cpu_fini(PowerPCCPU *cpu)
{
    if (cpu->kvm) {
        kvm_vcpu_destroy(cpu->kvm);
        g_free(cpu->kvm);
        cpu->kvm = NULL;
    }
}

void kvm_cpu_thread_init(PowerPCCPU *cpu)
{
    static gsize installed;
    KvmVcpu *vcpu = cpu->kvm;

    if (g_once_init_enter(&installed)) {
        /* No SA_RESTART: KVM_RUN must come back with EINTR. */
        struct sigaction sa = { .sa_handler = kick_handler };

        sigemptyset(&sa.sa_mask);
        sigaction(SIG_KVM_KICK, &sa, NULL);
        g_once_init_leave(&installed, 1);
    }
    vcpu->thread = pthread_self();
    __atomic_store_n(&vcpu->has_thread, true, __ATOMIC_RELEASE);
    thread_run = vcpu->run;
}

void kvm_cpu_kick(PowerPCCPU *cpu)
{
    KvmVcpu *vcpu = cpu->kvm;

    if (vcpu && __atomic_load_n(&vcpu->has_thread, __ATOMIC_ACQUIRE)) {
        pthread_kill(vcpu->thread, SIG_KVM_KICK);
    }
}

void kvm_cpu_synchronize_state(PowerPCCPU *cpu)
{
    KvmVcpu *vcpu = cpu->kvm;

    if (vcpu && !vcpu->dirty) {
        int r = kvm_vcpu_get_state(vcpu, &cpu->env);

        if (r < 0) {
            error_report("KVM: reading the registers of CPU %d failed: %s", cpu->cpu_index,
                         g_strerror(-r));
        }
        vcpu->dirty = true;
    }
}

/* Stop the VM for an error of this vCPU, as QEMU does (internal-error). */
static void kvm_cpu_fail(PowerPCCPU *cpu, const char *msg)
{
    error_report("%s", msg);
    kvm_cpu_synchronize_state(cpu);
    qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
}

/*
 * With the big lock held, from cpu's vCPU thread: give env to the kernel if
 * it changed, enter the guest, handle the exits user space must, until a
 * reason to leave: an exit request (a kick: stop, reset, quit, a halt), a
 * debug exit, a reset the kernel asked for, or an error.  env is brought
 * back from the kernel before returning, for the monitor, the debugger,
 * migration and reset, which run while every vCPU is parked.
 */
KvmExitAction kvm_cpu_exec(PowerPCCPU *cpu)
{
    KvmVcpu *vcpu = cpu->kvm;
    KvmExitAction act = KVM_EXIT_ACTION_RESUME;
    g_autofree char *msg = NULL;
    int r;

    /* The debugger's breakpoints and stepping, as it left them while the vCPUs were parked. */
    r = kvm_ppc_update_guest_debug(cpu);
    if (r < 0) {
        error_report("KVM: KVM_SET_GUEST_DEBUG on CPU %d failed: %s", cpu->cpu_index,
                     g_strerror(-r));
    }
    while (act == KVM_EXIT_ACTION_RESUME && !cpu->halted) {
        /* Before every entry: an exit's handler may have synchronized and changed env. */
        if (vcpu->dirty) {
            r = kvm_vcpu_put_state(vcpu, &cpu->env);
            if (r < 0) {
                msg = g_strdup_printf("KVM: setting the registers of CPU %d failed: %s",
                                      cpu->cpu_index, g_strerror(-r));
                act = KVM_EXIT_ACTION_INTERNAL;
                break;
            }
            vcpu->dirty = false;
        }
        if (ppc_exit_requested(&cpu->env)) {
            break;
        }
        qemu_mutex_unlock_iothread();
        r = ops->ioctl(vcpu->fd, KVM_RUN, NULL);
        qemu_mutex_lock_iothread();
        if (r == -EINTR || r == -EAGAIN) {
            /* A kick: the loop looks at exit_request again. */
            __atomic_store_n(&vcpu->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
            continue;
        }
        if (r < 0) {
            msg = g_strdup_printf("error: kvm run failed %s", g_strerror(-r));
            act = KVM_EXIT_ACTION_INTERNAL;
            break;
        }
        vcpu->exits++;
        act = kvm_handle_exit(cpu, vcpu->run, &msg);
        if (vcpu->dirty && vcpu->run->exit_reason == KVM_EXIT_PAPR_HCALL) {
            /*
             * The handler synchronized: env has r3-r12 as the guest made
             * the call.  The kernel loads the results from papr_hcall after
             * KVM_SET_REGS; env gets them too, to stay what the guest sees.
             */
            cpu->env.gpr[3] = vcpu->run->papr_hcall.ret;
            for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
                cpu->env.gpr[4 + i] = vcpu->run->papr_hcall.args[i];
            }
        }
    }
    kvm_cpu_synchronize_state(cpu);
    switch (act) {
    case KVM_EXIT_ACTION_RESUME:
        break;
    case KVM_EXIT_ACTION_DEBUG:
        /* A step or one of the debugger's breakpoints: the gdbstub reports the stop. */
        cpu->debug_stop = kvm_ppc_debug_stop_reason(cpu, vcpu->run);
        if (!cpu->debug_stop) {
            kvm_ppc_debug_not_ours(cpu);
            act = KVM_EXIT_ACTION_RESUME;
        }
        break;
    case KVM_EXIT_ACTION_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    case KVM_EXIT_ACTION_INTERNAL:
        kvm_cpu_fail(cpu, msg);
        break;
    }
    return act;
}

static void kvm_cpus_exec(PowerPCCPU *cpu)
{
    kvm_cpu_exec(cpu);
}

void kvm_cpu_state_loaded(PowerPCCPU *cpu)
{
    if (cpu->kvm) {
        cpu->kvm->dirty = true;
    }
}

const CpusAccelOps kvm_cpus_ops = {
    .name = "KVM",
    .thread_init = kvm_cpu_thread_init,
    .exec = kvm_cpus_exec,
    .kick = kvm_cpu_kick,
    .synchronize_state = kvm_cpu_synchronize_state,
    .state_loaded = kvm_cpu_state_loaded,
};

/*
 * Hypercalls the kernel implements but leaves to user space until enabled
 * (KVM_CAP_PPC_ENABLE_HCALL): those QEMU enables.  The others the kernel
 * accelerates (H_ENTER, H_REMOVE, H_CEDE, H_PROD, the XICS ones...) are on
 * by default; the rest exit as KVM_EXIT_PAPR_HCALL into spapr_hypercall().
 */
static const uint32_t kernel_hcalls[] = {
    H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE, H_SET_MODE, H_CLEAR_REF, H_CLEAR_MOD, H_PAGE_INIT,
};

bool kvm_ppc_machine_init(PowerPCCPU *const *cpus, unsigned n, char **err)
{
    uint64_t size = guest_ram_size();
    void *host = guest_ram_ptr(0, size);
    int r;

    *err = NULL;
    r = host ? kvm_set_user_memory(0, 0, host, size) : -EINVAL;
    if (r < 0) {
        *err = g_strdup_printf("KVM: guest RAM (0x%" PRIx64 " bytes) cannot be a memory slot: %s",
                               size, g_strerror(-r));
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        r = kvm_cpu_init(cpus[i]);
        if (r < 0) {
            *err = g_strdup_printf("KVM: creating vCPU %d failed: %s", cpus[i]->cpu_index,
                                   g_strerror(-r));
            while (i--) {
                kvm_cpu_fini(cpus[i]);
            }
            return false;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kernel_hcalls); i++) {
        /* An older kernel lacking one leaves it to user space: no harm. */
        kvm_ppc_enable_hcall(kernel_hcalls[i], true);
    }
    cpus_set_accel_ops(&kvm_cpus_ops);
    return true;
}

void kvm_ppc_set_irq(PowerPCCPU *cpu, bool level)
{
    int r = kvm_vcpu_set_external_irq(cpu->kvm, level);

    if (r < 0) {
        error_report("KVM: KVM_INTERRUPT on CPU %d failed: %s", cpu->cpu_index, g_strerror(-r));
    }
}

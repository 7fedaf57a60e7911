/*
 * Unit tests of the KVM run loop and state sync (accel/kvm/kvm-all.c)
 * against a scripted /dev/kvm (kvm_set_ops): the real kvm_cpu_exec() enters
 * KVM_RUN, which returns the exits a test lists; run under qemu-ppc64le by
 * make check-cross.
 */
#include "exec/memory.h"
#include "qemu/main-loop.h"
#include "sysemu/cpus.h"
#include "spapr-test-machine.h"
#include "sysemu/kvm-ppc.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/xics.h"
#include "hw/qdev-state.h"
#include "qapi/error.h"
#include "sysemu/runstate.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#define RAM_SIZE (16 * MiB)
#define DEV_BASE 0x40000000ULL
#define SPR_PSSCR 823
#define DEBUG_INST                                                                                 \
    0x00dddd00u /* what KVM-HV answers for KVM_REG_PPC_DEBUG_INST */ /* Power ISA 3.0: a register POWER8 hosts lack */

enum { FD_KVM = 10, FD_VM = 11, FD_VCPU0 = 20, FD_XICS = 40, FD_HTAB = 50 };

/* One KVM_RUN of the script: fills run (the "kernel" side), returns the ioctl's result. */
typedef int (*Step)(struct kvm_run *run);

/* The scripted kernel. */
static struct {
    int open_error;       /* open_dev's -errno, 0: succeeds */
    bool pvinfo;          /* KVM_CAP_PPC_GET_PVINFO: a PR host */
    const Step *script;   /* KVM_RUN's results, in order */
    unsigned steps, pos;  /* script length, KVM_RUN calls so far */
    struct kvm_regs regs; /* the vCPU's registers in the kernel */
    struct kvm_sregs sregs;
    unsigned set_regs, get_regs, set_sregs;
    GHashTable *one_regs; /* id -> 16-byte value; ids the kernel has */
    unsigned closes;
    struct kvm_userspace_memory_region slot;
    PowerPCCPU *cpu; /* the test's vCPU, for steps that act on it */
    int vcpu_error;  /* KVM_CREATE_VCPU of vcpu_error_id fails with it */
    unsigned long vcpu_error_id;
    int slot_error;  /* KVM_SET_USER_MEMORY_REGION fails with it */
    GArray *enabled; /* KVM_ENABLE_CAP(ENABLE_HCALL): the opcodes, in order */
    GArray *irqs;    /* KVM_INTERRUPT: (vCPU fd << 32 | irq) */
    struct kvm_ppc_mmuv3_cfg mmu;
    unsigned mmu_calls;
    bool htm, cpu_char; /* KVM_CAP_PPC_HTM, KVM_CAP_PPC_GET_CPU_CHAR */
    struct kvm_ppc_cpu_char chars;
    /* Threaded mode: every vCPU's KVM_RUN waits for its kick (system/cpus.c's threads). */
    bool threaded;
    struct kvm_run *pages[2]; /* per vCPU */
    int runs[2];              /* KVM_RUN entries per vCPU */
    uint64_t put_gpr4[2];     /* r4 of each vCPU's last KVM_SET_REGS */
    uint64_t lpcr[2];         /* each vCPU's LPCR in the kernel (ONE_REG LPCR_64) */
    pthread_t get_thread[2];  /* the thread of each vCPU's last KVM_GET_REGS */
    int blocked;              /* a blocking step is waiting for a kick */
    /* The in-kernel XICS. */
    bool xics;            /* KVM_CAP_IRQ_XICS */
    bool has_nr_servers;  /* the device has KVM_DEV_XICS_NR_SERVERS (POWER9) */
    GHashTable *tokens;   /* KVM_PPC_RTAS_DEFINE_TOKEN: name -> last token */
    unsigned devices;     /* KVM_CREATE_DEVICE calls */
    uint32_t nr_servers;  /* set through the device attribute */
    GHashTable *sources;  /* KVM_DEV_XICS_GRP_SOURCES: irq -> state */
    GArray *xics_cpus;    /* KVM_ENABLE_CAP(IRQ_XICS): vCPU fd << 48 | device fd << 32 | server */
    int xics_cpu_error;   /* KVM_ENABLE_CAP(IRQ_XICS) of vCPU 1 fails with it */
    GArray *lines;        /* KVM_IRQ_LINE: irq << 32 | level */
    bool smmu;            /* KVM_CAP_PPC_GET_SMMU_INFO */
    bool lpcr_reg;        /* ONE_REG LPCR_64 kept in lpcr[] outside threaded mode too */
    bool no_ld;           /* the kernel drops LPCR[LD] (no large decrementer) */
    uint32_t guest_debug; /* KVM_SET_GUEST_DEBUG's control, last set */
    unsigned guest_debug_sets;
    uint64_t icp[2];          /* each vCPU's ONE_REG ICP_STATE */
    unsigned icp_sets;        /* KVM_SET_ONE_REG of ICP_STATE */
    int icp_set_error;        /* ... fails with it */
    int source_get_error;     /* KVM_GET_DEVICE_ATTR of a source fails with it */
    uint64_t htab_flags;      /* KVM_PPC_GET_HTAB_FD's flags, last */
    GByteArray *htab_stream;  /* what the HTAB fd reads: one read, then the end of the pass */
    GByteArray *htab_written; /* what was written to it */
} k;

static int fake_open(void)
{
    return k.open_error ? k.open_error : FD_KVM;
}

static int fake_one_reg(bool set, struct kvm_one_reg *reg)
{
    uint8_t *val = g_hash_table_lookup(k.one_regs, &reg->id);
    unsigned size = kvm_ppc_one_reg_size(reg->id);

    if (!val) {
        return -EINVAL;
    }
    if (set) {
        memcpy(val, (void *)(uintptr_t)reg->addr, size);
    } else {
        memcpy((void *)(uintptr_t)reg->addr, val, size);
    }
    return 0;
}

static struct kvm_run *vcpu_run_page;

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
    switch (req) {
    case KVM_GET_API_VERSION:
        g_assert_cmpint(fd, ==, FD_KVM);
        return KVM_API_VERSION;
    case KVM_CREATE_VM:
        g_assert_cmpint(fd, ==, FD_KVM);
        return FD_VM;
    case KVM_CHECK_EXTENSION:
        switch ((uintptr_t)arg) {
        case KVM_CAP_PPC_PAPR:
            return 1;
        case KVM_CAP_PPC_GET_PVINFO:
            return k.pvinfo;
        case KVM_CAP_PPC_ENABLE_HCALL:
        case KVM_CAP_PPC_ALLOC_HTAB:
            return 1;
        case KVM_CAP_PPC_HTM:
            return k.htm;
        case KVM_CAP_PPC_GET_CPU_CHAR:
            return k.cpu_char;
        case KVM_CAP_IRQ_XICS:
            return k.xics;
        case KVM_CAP_PPC_RTAS:
            return 1;
        case KVM_CAP_PPC_GET_SMMU_INFO:
            return k.smmu;
        default:
            return 0;
        }
    case KVM_GET_VCPU_MMAP_SIZE:
        return 3 * 4096;
    case KVM_CREATE_VCPU:
        g_assert_cmpint(fd, ==, FD_VM);
        if (k.vcpu_error && (uintptr_t)arg == k.vcpu_error_id) {
            return k.vcpu_error;
        }
        return FD_VCPU0 + (int)(uintptr_t)arg;
    case KVM_SET_USER_MEMORY_REGION:
        g_assert_cmpint(fd, ==, FD_VM);
        memcpy(&k.slot, arg, sizeof(k.slot));
        return k.slot_error;
    case KVM_ENABLE_CAP: {
        struct kvm_enable_cap *cap = arg;

        if (cap->cap == KVM_CAP_IRQ_XICS) {
            uint64_t v = (uint64_t)fd << 48 | cap->args[0] << 32 | cap->args[1];

            g_assert_cmpint(fd, >=, FD_VCPU0);
            if (k.xics_cpu_error && fd == FD_VCPU0 + 1) {
                return k.xics_cpu_error;
            }
            g_array_append_val(k.xics_cpus, v);
            return 0;
        }
        g_assert_cmpint(fd, ==, FD_VM);
        g_assert_cmpuint(cap->cap, ==, KVM_CAP_PPC_ENABLE_HCALL);
        g_assert_cmpuint(cap->args[1], ==, 1);
        g_array_append_val(k.enabled, cap->args[0]);
        return 0;
    }
    case KVM_PPC_RTAS_DEFINE_TOKEN: {
        struct kvm_rtas_token_args *t = arg;

        g_assert_cmpint(fd, ==, FD_VM);
        g_hash_table_insert(k.tokens, g_strdup(t->name), GUINT_TO_POINTER(t->token));
        return 0;
    }
    case KVM_CREATE_DEVICE: {
        struct kvm_create_device *cd = arg;

        g_assert_cmpint(fd, ==, FD_VM);
        g_assert_cmpuint(cd->type, ==, KVM_DEV_TYPE_XICS);
        k.devices++;
        cd->fd = FD_XICS;
        return 0;
    }
    case KVM_SET_GUEST_DEBUG:
        g_assert_cmpint(fd, >=, FD_VCPU0);
        k.guest_debug = ((struct kvm_guest_debug *)arg)->control;
        k.guest_debug_sets++;
        return 0;
    case KVM_PPC_GET_SMMU_INFO:
        g_assert_true(k.smmu);
        ((struct kvm_ppc_smmu_info *)arg)->flags = KVM_PPC_PAGE_SIZES_REAL | KVM_PPC_1T_SEGMENTS;
        return 0;
    case KVM_HAS_DEVICE_ATTR:
        g_assert_cmpint(fd, ==, FD_XICS);
        return k.has_nr_servers ? 0 : -ENXIO;
    case KVM_SET_DEVICE_ATTR: {
        struct kvm_device_attr *a = arg;
        uint64_t *val = (uint64_t *)(uintptr_t)a->addr;

        g_assert_cmpint(fd, ==, FD_XICS);
        if (a->group == KVM_DEV_XICS_GRP_CTRL) {
            g_assert_cmpuint(a->attr, ==, KVM_DEV_XICS_NR_SERVERS);
            k.nr_servers = *(uint32_t *)val;
            return 0;
        }
        g_assert_cmpuint(a->group, ==, KVM_DEV_XICS_GRP_SOURCES);
        g_hash_table_insert(k.sources, GUINT_TO_POINTER(a->attr), g_memdup2(val, 8));
        return 0;
    }
    case KVM_GET_DEVICE_ATTR: {
        struct kvm_device_attr *a = arg;
        uint64_t *v = g_hash_table_lookup(k.sources, GUINT_TO_POINTER(a->attr));

        g_assert_cmpint(fd, ==, FD_XICS);
        g_assert_cmpuint(a->group, ==, KVM_DEV_XICS_GRP_SOURCES);
        if (k.source_get_error) {
            return k.source_get_error;
        }
        if (!v) {
            return -ENOENT; /* a source the kernel was never given */
        }
        memcpy((void *)(uintptr_t)a->addr, v, 8);
        return 0;
    }
    case KVM_PPC_GET_HTAB_FD:
        g_assert_cmpint(fd, ==, FD_VM);
        k.htab_flags = ((struct kvm_get_htab_fd *)arg)->flags;
        return FD_HTAB;
    case KVM_IRQ_LINE: {
        struct kvm_irq_level *l = arg;
        uint64_t v = (uint64_t)l->irq << 32 | l->level;

        g_assert_cmpint(fd, ==, FD_VM);
        g_array_append_val(k.lines, v);
        return 0;
    }
    case KVM_INTERRUPT: {
        uint64_t v = (uint64_t)fd << 32 | ((struct kvm_interrupt *)arg)->irq;

        g_array_append_val(k.irqs, v);
        return 0;
    }
    case KVM_PPC_CONFIGURE_V3_MMU:
        g_assert_cmpint(fd, ==, FD_VM);
        memcpy(&k.mmu, arg, sizeof(k.mmu));
        k.mmu_calls++;
        return 0;
    case KVM_PPC_GET_CPU_CHAR:
        g_assert_true(k.cpu_char);
        memcpy(arg, &k.chars, sizeof(k.chars));
        return 0;
    case KVM_PPC_ALLOCATE_HTAB:
        g_assert_cmpint(fd, ==, FD_VM);
        /* The kernel may give another size: the smallest it allows here is 2^20. */
        *(uint32_t *)arg = MAX(*(uint32_t *)arg, 20u);
        return 0;
    case KVM_GET_REGS:
        __atomic_fetch_add(&k.get_regs, 1, __ATOMIC_SEQ_CST);
        if (k.threaded) {
            /* Each vCPU's guest left its own fd in r3; r4 is what it was given. */
            k.get_thread[fd - FD_VCPU0] = pthread_self();
            struct kvm_regs r = { .gpr[3] = (uint64_t)fd,
                                  .gpr[4] = __atomic_load_n(&k.put_gpr4[fd - FD_VCPU0],
                                                            __ATOMIC_SEQ_CST) };

            memcpy(arg, &r, sizeof(r));
            return 0;
        }
        memcpy(arg, &k.regs, sizeof(k.regs));
        return 0;
    case KVM_SET_REGS:
        __atomic_fetch_add(&k.set_regs, 1, __ATOMIC_SEQ_CST);
        if (k.threaded) {
            __atomic_store_n(&k.put_gpr4[fd - FD_VCPU0], ((struct kvm_regs *)arg)->gpr[4],
                             __ATOMIC_SEQ_CST);
            return 0;
        }
        memcpy(&k.regs, arg, sizeof(k.regs));
        return 0;
    case KVM_GET_SREGS:
        memcpy(arg, &k.sregs, sizeof(k.sregs));
        return 0;
    case KVM_SET_SREGS:
        k.set_sregs++;
        memcpy(&k.sregs, arg, sizeof(k.sregs));
        return 0;
    case KVM_GET_ONE_REG:
    case KVM_SET_ONE_REG: {
        struct kvm_one_reg *reg = arg;

        if (reg->id == KVM_REG_PPC_ICP_STATE) {
            uint64_t *val = (uint64_t *)(uintptr_t)reg->addr;

            g_assert_cmpint(fd, >=, FD_VCPU0);
            g_assert_cmpint(fd, <=, FD_VCPU0 + 1);
            if (req == KVM_GET_ONE_REG) {
                *val = k.icp[fd - FD_VCPU0];
                return 0;
            }
            k.icp_sets++;
            if (k.icp_set_error) {
                return k.icp_set_error;
            }
            k.icp[fd - FD_VCPU0] = *val;
            return 0;
        }
        if ((k.threaded || k.lpcr_reg) && reg->id == KVM_REG_PPC_LPCR_64) {
            uint64_t *val = (uint64_t *)(uintptr_t)reg->addr;

            if (req == KVM_SET_ONE_REG) {
                __atomic_store_n(&k.lpcr[fd - FD_VCPU0], *val & ~(k.no_ld ? LPCR_LD : 0),
                                 __ATOMIC_SEQ_CST);
            } else {
                *val = __atomic_load_n(&k.lpcr[fd - FD_VCPU0], __ATOMIC_SEQ_CST);
            }
            return 0;
        }
        return fake_one_reg(req == KVM_SET_ONE_REG, arg);
    }
    case KVM_RUN:
        if (k.threaded) {
            struct kvm_run *run = k.pages[fd - FD_VCPU0];

            __atomic_fetch_add(&k.runs[fd - FD_VCPU0], 1, __ATOMIC_SEQ_CST);
            while (!__atomic_load_n(&run->immediate_exit, __ATOMIC_SEQ_CST)) {
                g_usleep(1000);
            }
            return -EINTR;
        }
        g_assert_cmpint(fd, ==, FD_VCPU0 + k.cpu->cpu_index);
        g_assert_cmpuint(k.pos, <, k.steps);
        return k.script[k.pos++](vcpu_run_page);
    default:
        g_error("unexpected ioctl 0x%lx", req);
    }
}

static void *fake_mmap_run(int fd, size_t size)
{
    g_assert_cmpuint(size, >=, sizeof(struct kvm_run));
    vcpu_run_page = g_malloc0(size);
    k.pages[fd - FD_VCPU0] = vcpu_run_page;
    return vcpu_run_page;
}

static void fake_munmap_run(void *run, size_t size)
{
    if (run == vcpu_run_page) {
        vcpu_run_page = NULL;
    }
    g_free(run);
}

static void fake_close(int fd)
{
    k.closes++;
}

static ssize_t fake_read(int fd, void *buf, size_t n)
{
    size_t len = k.htab_stream ? k.htab_stream->len : 0;

    g_assert_cmpint(fd, ==, FD_HTAB);
    g_assert_cmpuint(n, >=, len);
    if (len) {
        memcpy(buf, k.htab_stream->data, len);
        g_byte_array_set_size(k.htab_stream, 0);
    }
    return len;
}

static ssize_t fake_write(int fd, const void *buf, size_t n)
{
    g_assert_cmpint(fd, ==, FD_HTAB);
    g_byte_array_append(k.htab_written, buf, n);
    return n;
}

static const KvmOps fake_ops = {
    .read = fake_read,
    .write = fake_write,
    .open_dev = fake_open,
    .ioctl = fake_ioctl,
    .mmap_run = fake_mmap_run,
    .munmap_run = fake_munmap_run,
    .close = fake_close,
};

static SpaprMachineState *machine;

/* A fresh scripted kernel with a VM and cpu 1's vCPU, env reset to known values. */
static PowerPCCPU *setup(const Step *script, unsigned steps)
{
    static const uint64_t ids[] = { KVM_REG_PPC_DAR, KVM_REG_PPC_VSR(0), KVM_REG_PPC_FPSCR,
                                    KVM_REG_PPC_DEBUG_INST };
    PowerPCCPU *cpu = machine->cpus[1];

    if (k.one_regs) {
        g_hash_table_destroy(k.one_regs);
        g_array_free(k.enabled, true);
        g_array_free(k.irqs, true);
        g_hash_table_destroy(k.tokens);
        g_hash_table_destroy(k.sources);
        g_array_free(k.xics_cpus, true);
        g_array_free(k.lines, true);
    }
    memset(&k, 0, sizeof(k));
    k.enabled = g_array_new(false, false, sizeof(uint64_t));
    k.irqs = g_array_new(false, false, sizeof(uint64_t));
    k.tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    k.sources = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    k.xics_cpus = g_array_new(false, false, sizeof(uint64_t));
    k.lines = g_array_new(false, false, sizeof(uint64_t));
    k.one_regs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_hash_table_insert(k.one_regs, (gpointer)&ids[i], g_malloc0(16));
    }
    /* The kernel's breakpoint instruction. */
    *(uint32_t *)g_hash_table_lookup(k.one_regs, &ids[3]) = DEBUG_INST;
    k.script = script;
    k.steps = steps;
    k.cpu = cpu;
    kvm_set_ops(&fake_ops);
    g_assert_cmpint(kvm_init_vm(), ==, 0);
    g_assert_cmpint(kvm_cpu_init(cpu), ==, 0);
    for (unsigned i = 0; i < 32; i++) {
        cpu->env.gpr[i] = 0x100 + i;
    }
    cpu->env.nip = 0x4000;
    cpu->env.spr[SPR_DAR] = 0xdada;
    cpu->env.vsr[0].u128 = (unsigned __int128)0x1111222233334444ULL << 64 | 0x5555666677778888ULL;
    cpu->env.exit_request = 0;
    cpu->halted = false;
    cpu->debug_stop = 0;
    return cpu;
}

static void teardown(PowerPCCPU *cpu)
{
    kvm_cpu_fini(cpu);
    g_assert_null(cpu->kvm);
    kvm_shutdown_vm();
    g_assert_cmpuint(k.closes, ==, 3); /* the vCPU, the VM, /dev/kvm */
    g_assert_false(kvm_enabled());
    kvm_set_ops(NULL);
}

static KvmExitAction exec_locked(PowerPCCPU *cpu)
{
    KvmExitAction act;

    qemu_mutex_lock_iothread();
    act = kvm_cpu_exec(cpu);
    qemu_mutex_unlock_iothread();
    return act;
}

static void test_init(void)
{
    k.open_error = -ENOENT;
    kvm_set_ops(&fake_ops);
    g_assert_cmpint(kvm_init_vm(), ==, -ENOENT);
    g_assert_false(kvm_enabled());
    g_assert_cmpint(kvm_ppc_vm_fd(), ==, -1);

    PowerPCCPU *cpu = setup(NULL, 0);

    g_assert_true(kvm_enabled());
    g_assert_cmpint(kvm_ppc_vm_fd(), ==, FD_VM);
    g_assert_true(kvm_ppc_is_hv()); /* no PVINFO: HV */
    g_assert_cmpint(cpu->kvm->fd, ==, FD_VCPU0 + 1);
    teardown(cpu);
    k.pvinfo = true;
    kvm_set_ops(&fake_ops);
    g_assert_cmpint(kvm_init_vm(), ==, 0);
    g_assert_false(kvm_ppc_is_hv());
    kvm_shutdown_vm();
    kvm_set_ops(NULL);
}

/* The test's hypercall: r4+i comes back as r4+i + 1, returns H_PARTIAL. */
static target_ulong hcall_opcode;
static target_ulong hcall_args[SPAPR_HCALL_NARGS];
static unsigned hcalls;

static target_ulong h_test(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    g_assert_true(cpu == k.cpu);
    hcalls++;
    memcpy(hcall_args, args, sizeof(hcall_args));
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i]++;
    }
    return H_PARTIAL;
}

static struct {
    unsigned writes, reads;
    hwaddr offset;
    uint64_t value;
} dev;

static uint64_t dev_read(void *opaque, hwaddr offset, unsigned size)
{
    dev.reads++;
    dev.offset = offset;
    return 0xbeef;
}

static void dev_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    dev.writes++;
    dev.offset = offset;
    dev.value = value;
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_BIG_ENDIAN,
};

/* The guest ran (its r5 changed) and made the test hypercall. */
static int step_hcall(struct kvm_run *run)
{
    /* Before the first KVM_RUN the kernel got env's registers. */
    g_assert_cmpuint(k.set_regs, ==, 1);
    g_assert_cmphex(k.regs.gpr[7], ==, 0x107);
    g_assert_cmphex(k.regs.pc, ==, 0x4000);
    k.regs.gpr[5] = 0x5555;
    k.regs.pc = 0x4100;
    run->exit_reason = KVM_EXIT_PAPR_HCALL;
    run->papr_hcall.nr = hcall_opcode;
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        run->papr_hcall.args[i] = 0x40 + i;
    }
    return 0;
}

/* The hypercall's results are in kvm_run; the guest stores 4 bytes to the device. */
static int step_mmio_write(struct kvm_run *run)
{
    g_assert_cmpuint(k.set_regs, ==, 1); /* the handler did not synchronize: nothing to put */
    g_assert_cmphex(run->papr_hcall.ret, ==, H_PARTIAL);
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        g_assert_cmphex(run->papr_hcall.args[i], ==, 0x41 + i);
    }
    memset(&run->mmio, 0, sizeof(run->mmio));
    run->exit_reason = KVM_EXIT_MMIO;
    run->mmio.phys_addr = DEV_BASE + 8;
    run->mmio.len = 4;
    run->mmio.is_write = 1;
    memcpy(run->mmio.data, "\x12\x34\x56\x78", 4);
    return 0;
}

static int step_mmio_read(struct kvm_run *run)
{
    g_assert_cmpuint(dev.writes, ==, 1);
    g_assert_cmphex(dev.value, ==, 0x12345678);
    memset(&run->mmio, 0, sizeof(run->mmio));
    run->exit_reason = KVM_EXIT_MMIO;
    run->mmio.phys_addr = DEV_BASE + 0x10;
    run->mmio.len = 2;
    return 0;
}

/* A signal interrupted KVM_RUN after the machine asked this vCPU to stop. */
static int step_eintr_stop(struct kvm_run *run)
{
    g_assert_cmphex(run->mmio.data[0], ==, 0xbe);
    g_assert_cmphex(run->mmio.data[1], ==, 0xef);
    ppc_request_exit(&k.cpu->env);
    run->immediate_exit = 1; /* what the kick's handler would have set */
    return -EINTR;
}

/* HCALL, MMIO both ways, then a stop request: the loop leaves, env synced back. */
static void test_run_loop(void)
{
    static const Step script[] = { step_hcall, step_mmio_write, step_mmio_read, step_eintr_stop };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));

    hcalls = 0;
    memset(&dev, 0, sizeof(dev));
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpuint(k.pos, ==, 4);
    g_assert_cmpuint(cpu->kvm->exits, ==, 3);
    g_assert_cmpuint(hcalls, ==, 1);
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        g_assert_cmphex(hcall_args[i], ==, 0x40 + i);
    }
    g_assert_cmpuint(dev.reads, ==, 1);
    g_assert_cmphex(dev.offset, ==, 0x10);
    g_assert_cmpint(vcpu_run_page->immediate_exit, ==, 0);
    /* env has what the guest did; it goes back to the kernel on the next entry. */
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x5555);
    g_assert_cmphex(cpu->env.nip, ==, 0x4100);
    g_assert_true(cpu->kvm->dirty);
    g_assert_cmpuint(k.get_regs, ==, 1);
    g_assert_cmpuint(k.set_sregs, ==, 0); /* HV keeps the MMU state */
    teardown(cpu);
}

/* The test's hypercall that needs more than r3-r12: it synchronizes, reads r5, sets r20. */
static target_ulong hsync_opcode;
static uint64_t hsync_saw_r14;

static target_ulong h_sync(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    cpu_synchronize_state(cpu);
    hsync_saw_r14 = cpu->env.gpr[14];
    cpu->env.gpr[20] = 0x2020;
    args[0] = 0x77;
    return H_SUCCESS;
}

static int step_hcall_sync(struct kvm_run *run)
{
    /* The guest's registers in the kernel: r3-r12 are also the call's number and arguments. */
    k.regs.gpr[14] = 0x1414;
    k.regs.gpr[3] = hsync_opcode;
    run->exit_reason = KVM_EXIT_PAPR_HCALL;
    run->papr_hcall.nr = hsync_opcode;
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        k.regs.gpr[4 + i] = run->papr_hcall.args[i] = 0x5000 + i;
    }
    return 0;
}

/* The handler's change reached the kernel before this entry, with the hcall's results. */
static int step_after_sync(struct kvm_run *run)
{
    g_assert_cmpuint(k.set_regs, ==, 2);
    g_assert_cmpuint(k.get_regs, ==, 1);
    g_assert_cmphex(k.regs.gpr[20], ==, 0x2020);
    g_assert_cmphex(k.regs.gpr[14], ==, 0x1414);
    g_assert_cmphex(k.regs.gpr[3], ==, H_SUCCESS);
    g_assert_cmphex(k.regs.gpr[4], ==, 0x77);
    g_assert_cmphex(k.regs.gpr[5], ==, 0x5001);
    ppc_request_exit(&k.cpu->env);
    run->immediate_exit = 1;
    return -EINTR;
}

/*
 * A hypercall handler that reads and writes registers beyond r3-r12
 * synchronizes: env comes from the kernel, and goes back before re-entry.
 */
static void test_hcall_sync(void)
{
    static const Step script[] = { step_hcall_sync, step_after_sync };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));

    cpus_set_accel_ops(&kvm_cpus_ops);
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESUME);
    cpus_set_accel_ops(NULL);
    g_assert_cmpuint(k.pos, ==, 2);
    g_assert_cmphex(hsync_saw_r14, ==, 0x1414);
    g_assert_cmphex(cpu->env.gpr[3], ==, H_SUCCESS);
    g_assert_cmphex(cpu->env.gpr[4], ==, 0x77);
    teardown(cpu);
}

static int step_never(struct kvm_run *run)
{
    g_assert_not_reached();
}

/* A vCPU asked to stop before it entered: no KVM_RUN, and env changes still reach the kernel. */
static void test_exit_requested(void)
{
    static const Step script[] = { step_never };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));
    uint8_t *vsr0;
    uint64_t dw[2];

    ppc_request_exit(&cpu->env);
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpuint(k.pos, ==, 0);
    g_assert_cmpuint(k.set_regs, ==, 1);
    g_assert_cmphex(k.regs.gpr[31], ==, 0x11f);
    vsr0 = g_hash_table_lookup(k.one_regs, &(uint64_t){ KVM_REG_PPC_VSR(0) });
    memcpy(dw, vsr0, 16);
    g_assert_cmphex(dw[0], ==, 0x1111222233334444ULL);
    g_assert_cmphex(dw[1], ==, 0x5555666677778888ULL);
    /* Read back: registers the kernel lacks (PSSCR here) keep env's value. */
    cpu->env.spr[SPR_PSSCR] = 0x77;
    cpu->env.spr[SPR_DAR] = 0;
    cpu->kvm->dirty = false;
    kvm_cpu_synchronize_state(cpu);
    g_assert_cmphex(cpu->env.spr[SPR_DAR], ==, 0xdada);
    g_assert_cmphex(cpu->env.spr[SPR_PSSCR], ==, 0x77);
    teardown(cpu);
}

#define BP_ADDR 0x4000

/* The guest reaches the breakpoint: the trap instruction is in its memory, in its byte order. */
static int step_bp(struct kvm_run *run)
{
    const uint8_t *m = guest_ram_ptr(BP_ADDR, 4);

    g_assert_cmphex(m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3], ==, DEBUG_INST);
    g_assert_cmphex(k.guest_debug, ==, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP);
    k.regs.pc = BP_ADDR;
    run->exit_reason = KVM_EXIT_DEBUG;
    run->debug.arch.address = BP_ADDR;
    return 0;
}

/* Breakpoint removed, stepping: the guest's instruction is back; one step. */
static int step_step(struct kvm_run *run)
{
    g_assert_cmpmem(guest_ram_ptr(BP_ADDR, 4), 4, "\x60\0\0\0", 4);
    g_assert_cmphex(k.guest_debug, ==, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);
    k.regs.pc = BP_ADDR + 4;
    run->exit_reason = KVM_EXIT_DEBUG;
    run->debug.arch.address = BP_ADDR + 4;
    return 0;
}

/* Debugging off; the guest runs into a trap of its own at 0x5000. */
static int step_not_ours(struct kvm_run *run)
{
    g_assert_cmphex(k.guest_debug, ==, 0);
    k.regs.pc = 0x5000;
    run->exit_reason = KVM_EXIT_DEBUG;
    run->debug.arch.address = 0x5000;
    return 0;
}

static int step_stop(struct kvm_run *run)
{
    g_assert_cmphex(k.regs.pc, ==, 0x700); /* the program interrupt went to the kernel */
    g_assert_cmphex(k.regs.srr0, ==, 0x5000);
    ppc_request_exit(&k.cpu->env);
    run->immediate_exit = 1;
    return -EINTR;
}

/*
 * The gdbstub's software breakpoint and single step under KVM: the kernel's
 * trap instruction written over the guest's and KVM_SET_GUEST_DEBUG; each
 * KVM_EXIT_DEBUG stops the vCPU with the reason the gdbstub reports.  A
 * trap that is not the debugger's is the guest's program interrupt.
 */
static void test_debug(void)
{
    static const Step script[] = { step_bp, step_step, step_not_ours, step_stop };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));
    uint8_t *m = guest_ram_ptr(BP_ADDR, 4);

    memcpy(m, "\x60\0\0\0", 4); /* nop, big-endian */
    cpu->env.msr = MSR_SF | MSR_ME;
    g_assert_cmphex(kvm_ppc_debug_inst(), ==, DEBUG_INST);
    ppc_debug_breakpoint_insert(cpu, BP_ADDR);
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_DEBUG);
    g_assert_cmpint(cpu->debug_stop, ==, PPC_DEBUG_BREAK);
    g_assert_true(cpu->kvm->dirty);
    g_assert_true(kvm_ppc_debug_is_sw_bp(BP_ADDR));

    g_assert_true(ppc_debug_breakpoint_remove(cpu, BP_ADDR));
    ppc_debug_single_step(cpu, true);
    cpu->debug_stop = 0;
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_DEBUG);
    g_assert_cmpint(cpu->debug_stop, ==, PPC_DEBUG_STEP);
    g_assert_false(kvm_ppc_debug_is_sw_bp(BP_ADDR));

    ppc_debug_single_step(cpu, false);
    cpu->debug_stop = 0;
    cpu->env.spr[SPR_LPCR] &= ~LPCR_AIL;
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpint(cpu->debug_stop, ==, 0);
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpuint(k.pos, ==, 4);
    g_assert_cmpuint(k.guest_debug_sets, ==, 3);
    teardown(cpu);
}

static GPtrArray *events;

static void record_event(const char *event, const char *data)
{
    g_ptr_array_add(events, g_strdup(event));
}

static bool saw_event(const char *name)
{
    for (guint i = 0; i < events->len; i++) {
        if (!strcmp(g_ptr_array_index(events, i), name)) {
            return true;
        }
    }
    return false;
}

static int step_shutdown(struct kvm_run *run)
{
    run->exit_reason = KVM_EXIT_SHUTDOWN;
    return 0;
}

/* KVM_EXIT_SHUTDOWN: the main loop resets the machine. */
static void test_shutdown_resets(void)
{
    static const Step script[] = { step_shutdown };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));
    int status = -1;

    g_ptr_array_set_size(events, 0);
    g_assert_cmpint(exec_locked(cpu), ==, KVM_EXIT_ACTION_RESET);
    g_assert_false(saw_event("RESET"));
    qemu_mutex_lock_iothread();
    g_assert_false(main_loop_should_exit(&status));
    qemu_mutex_unlock_iothread();
    g_assert_true(saw_event("RESET"));
    teardown(cpu);
}

static int step_fail_entry(struct kvm_run *run)
{
    run->exit_reason = KVM_EXIT_FAIL_ENTRY;
    run->fail_entry.hardware_entry_failure_reason = 0x42;
    return 0;
}

static int step_efault(struct kvm_run *run)
{
    return -EFAULT;
}

/*
 * An exit the vCPU cannot go on from, or KVM_RUN failing: the message on
 * stderr (caught in a file: a re-executed test binary cannot run under
 * qemu-user), the VM in internal-error.
 */
static void run_failing(Step step, const char *want)
{
    const Step script[] = { step };
    PowerPCCPU *cpu = setup(script, 1);
    FILE *f = tmpfile();
    int saved = dup(2), status = -1;
    g_autofree char *text = g_malloc0(4096);

    g_assert_nonnull(f);
    vm_start();
    fflush(stderr);
    dup2(fileno(f), 2);
    KvmExitAction act = exec_locked(cpu);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    g_assert_cmpint(act, ==, KVM_EXIT_ACTION_INTERNAL);
    rewind(f);
    g_assert_cmpuint(fread(text, 1, 4095, f), >, 0);
    fclose(f);
    g_assert_nonnull(strstr(text, want));
    qemu_mutex_lock_iothread();
    g_assert_false(main_loop_should_exit(&status));
    qemu_mutex_unlock_iothread();
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_INTERNAL_ERROR);
    teardown(cpu);
}

static void test_fail_entry(void)
{
    run_failing(step_fail_entry, ": KVM: entry failed, hardware error 0x42\n");
}

static void test_run_error(void)
{
    run_failing(step_efault, ": error: kvm run failed Bad address\n");
}

/* Waits in "KVM_RUN" until a kick's signal handler sets immediate_exit. */
static int step_block(struct kvm_run *run)
{
    __atomic_store_n(&k.blocked, 1, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&run->immediate_exit, __ATOMIC_SEQ_CST)) {
        g_usleep(1000);
    }
    return -EINTR;
}

static gpointer vcpu_thread(gpointer opaque)
{
    PowerPCCPU *cpu = opaque;

    kvm_cpu_thread_init(cpu);
    return GINT_TO_POINTER(exec_locked(cpu));
}

/* Another thread stops the vCPU while it is in KVM_RUN: the kick gets it out. */
static void test_kick(void)
{
    static const Step script[] = { step_block };
    PowerPCCPU *cpu = setup(script, G_N_ELEMENTS(script));
    GThread *t = g_thread_new("test vcpu", vcpu_thread, cpu);

    while (!__atomic_load_n(&k.blocked, __ATOMIC_SEQ_CST)) {
        g_usleep(1000);
    }
    ppc_request_exit(&cpu->env);
    kvm_cpu_kick(cpu);
    g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(t)), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpuint(k.pos, ==, 1);
    g_assert_cmpuint(cpu->kvm->exits, ==, 0);
    g_assert_cmpint(vcpu_run_page->immediate_exit, ==, 0);
    teardown(cpu);
}

/* Guest RAM as a memory slot. */
static void test_memory_slot(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    void *host = g_malloc(4096);

    g_assert_cmpint(kvm_set_user_memory(0, 0, host, 1 * GiB), ==, 0);
    g_assert_cmpuint(k.slot.slot, ==, 0);
    g_assert_cmphex(k.slot.guest_phys_addr, ==, 0);
    g_assert_cmphex(k.slot.memory_size, ==, 1 * GiB);
    g_assert_cmphex(k.slot.userspace_addr, ==, (uintptr_t)host);
    g_free(host);
    teardown(cpu);
}

/*
 * The machine's part: RAM as slot 0, a vCPU per CPU, the optional kernel
 * hcalls enabled; a refusal undoes what was done and says why.
 */
static void test_machine_init(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    PowerPCCPU *cpu0 = machine->cpus[0];
    static const uint64_t want[] = { H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE, H_SET_MODE,
                                     H_CLEAR_REF,       H_CLEAR_MOD,        H_PAGE_INIT };
    char *err = NULL;

    kvm_cpu_fini(cpu); /* setup's vCPU: the machine makes its own */
    k.closes = 0;
    g_assert_true(kvm_ppc_machine_init(machine->cpus, 2, &err));
    g_assert_null(err);
    g_assert_cmpuint(k.slot.slot, ==, 0);
    g_assert_cmphex(k.slot.guest_phys_addr, ==, 0);
    g_assert_cmphex(k.slot.memory_size, ==, RAM_SIZE);
    g_assert_cmphex(k.slot.userspace_addr, ==, (uintptr_t)guest_ram_ptr(0, RAM_SIZE));
    g_assert_cmpint(cpu0->kvm->fd, ==, FD_VCPU0);
    g_assert_cmpint(cpu->kvm->fd, ==, FD_VCPU0 + 1);
    g_assert_true(cpu0->kvm->dirty);
    g_assert_cmpuint(k.enabled->len, ==, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_cmphex(g_array_index(k.enabled, uint64_t, i), ==, want[i]);
    }
    cpus_set_accel_ops(NULL);
    kvm_cpu_fini(cpu0);
    g_assert_cmpuint(k.closes, ==, 1);
    k.closes = 0;
    teardown(cpu);

    /* vCPU 1 refused: vCPU 0 is closed again. */
    cpu = setup(NULL, 0);
    kvm_cpu_fini(cpu);
    k.closes = 0;
    k.vcpu_error = -EINVAL;
    k.vcpu_error_id = 1;
    g_assert_false(kvm_ppc_machine_init(machine->cpus, 2, &err));
    g_assert_cmpstr(err, ==, "KVM: creating vCPU 1 failed: Invalid argument");
    g_free(err);
    g_assert_null(cpu0->kvm);
    g_assert_null(cpu->kvm);
    g_assert_cmpuint(k.closes, ==, 1);
    g_assert_cmpuint(k.enabled->len, ==, 0);

    k.slot_error = -ENOMEM;
    g_assert_false(kvm_ppc_machine_init(machine->cpus, 2, &err));
    g_assert_cmpstr(
        err, ==,
        "KVM: guest RAM (0x1000000 bytes) cannot be a memory slot: Cannot allocate memory");
    g_free(err);
    g_assert_null(cpu0->kvm);
    kvm_shutdown_vm();
    kvm_set_ops(NULL);
}

/* The XICS output, the radix MMU and the HPT go to the VM's ioctls. */
static void test_vm_ioctls(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    uint32_t shift = 18;
    char *err = NULL;

    kvm_ppc_set_irq(cpu, true);
    kvm_ppc_set_irq(cpu, false);
    g_assert_cmpuint(k.irqs->len, ==, 2);
    g_assert_cmphex(g_array_index(k.irqs, uint64_t, 0), ==,
                    (uint64_t)(FD_VCPU0 + 1) << 32 | KVM_INTERRUPT_SET_LEVEL);
    g_assert_cmphex(g_array_index(k.irqs, uint64_t, 1), ==,
                    (uint64_t)(FD_VCPU0 + 1) << 32 | KVM_INTERRUPT_UNSET);
    g_assert_cmpint(kvm_ppc_configure_v3_mmu(true, true, 0x8000000001234005ULL), ==, 0);
    g_assert_cmpuint(k.mmu_calls, ==, 1);
    g_assert_cmphex(k.mmu.flags, ==, KVM_PPC_MMUV3_RADIX | KVM_PPC_MMUV3_GTSE);
    g_assert_cmphex(k.mmu.process_table, ==, 0x8000000001234005ULL);
    g_assert_cmpint(kvm_ppc_configure_v3_mmu(false, false, 0), ==, 0);
    g_assert_cmphex(k.mmu.flags, ==, 0);
    g_assert_true(kvm_ppc_migration_allowed(&err));
    /* HV: the kernel's HPT, of the size it chose. */
    g_assert_cmpint(kvm_ppc_allocate_htab(&shift), ==, 0);
    g_assert_cmpuint(shift, ==, 20);
    /* A hash guest cannot migrate (the table is the kernel's); a radix one can. */
    g_assert_false(kvm_ppc_migration_allowed(&err));
    g_assert_cmpstr(err, ==,
                    "migration of a KVM-HV guest on the hashed MMU is not supported yet: its "
                    "page table is in the host kernel (KVM_PPC_GET_HTAB_FD)");
    g_free(err);
    g_assert_cmpint(kvm_ppc_configure_v3_mmu(true, true, 0x8000000001234005ULL), ==, 0);
    g_assert_true(kvm_ppc_migration_allowed(&err));
    g_assert_null(err);
    g_assert_cmpint(kvm_ppc_configure_v3_mmu(false, false, 0), ==, 0);
    g_assert_false(kvm_ppc_migration_allowed(&err));
    g_free(err);
    teardown(cpu);
    g_assert_true(kvm_ppc_migration_allowed(&err)); /* no VM */
    /* PR: the HPT stays in user space. */
    cpu = setup(NULL, 0);
    kvm_shutdown_vm();
    k.pvinfo = true;
    k.closes = 0;
    g_assert_cmpint(kvm_init_vm(), ==, 0);
    shift = 18;
    g_assert_cmpint(kvm_ppc_allocate_htab(&shift), ==, -ENOSYS);
    g_assert_cmpuint(shift, ==, 18);
    g_assert_true(kvm_ppc_migration_allowed(&err)); /* PR's table is migrated from here */
    teardown(cpu);
}

static void htab_record(GByteArray *out, uint32_t index, uint16_t valid, uint16_t invalid)
{
    struct kvm_get_htab_header h = { .index = index, .n_valid = valid, .n_invalid = invalid };

    g_byte_array_append(out, (const uint8_t *)&h, sizeof(h));
}

/* An entry: 16 bytes of tag, with the V bit (byte 7's low bit) set. */
static void htab_entry(uint8_t *e, uint8_t tag)
{
    memset(e, tag, 16);
    e[7] |= 1;
}

/*
 * KVM-HV's table as the kernel streams it (KVM_PPC_GET_HTAB_FD): records
 * of a header, the valid entries, and a count of invalid ones.  A pass is
 * read into a table, a record outside it is refused, and a table is
 * written back as such records.
 */
static void test_htab_stream(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    uint8_t a[16], b[16], c[16], zero[16] = { 0 };
    uint8_t htab[8 * 16];
    int fd;

    htab_entry(a, 0xa0);
    htab_entry(b, 0xb0);
    htab_entry(c, 0xc0);
    k.htab_stream = g_byte_array_new();
    k.htab_written = g_byte_array_new();

    fd = kvm_ppc_htab_open(false);
    g_assert_cmpint(fd, ==, FD_HTAB);
    g_assert_cmphex(k.htab_flags, ==, 0);
    htab_record(k.htab_stream, 1, 2, 1);
    g_byte_array_append(k.htab_stream, a, 16);
    g_byte_array_append(k.htab_stream, b, 16);
    htab_record(k.htab_stream, 6, 1, 0);
    g_byte_array_append(k.htab_stream, c, 16);
    memset(htab, 0xee, sizeof(htab));
    g_assert_cmpint(kvm_ppc_htab_read(fd, htab, 8), ==, 4);
    g_assert_cmpmem(htab + 1 * 16, 16, a, 16);
    g_assert_cmpmem(htab + 2 * 16, 16, b, 16);
    g_assert_cmpmem(htab + 3 * 16, 16, zero, 16); /* named invalid */
    g_assert_cmpmem(htab + 6 * 16, 16, c, 16);
    for (unsigned i = 0; i < 8; i++) {
        if (i == 0 || i == 4 || i == 5 || i == 7) {
            g_assert_cmpuint(htab[i * 16], ==, 0xee); /* not in this pass: unchanged */
        }
    }
    /* A record that runs past the table's end. */
    htab_record(k.htab_stream, 7, 1, 1);
    g_byte_array_append(k.htab_stream, a, 16);
    g_assert_cmpint(kvm_ppc_htab_read(fd, htab, 8), ==, -EINVAL);
    /* A header cut short. */
    g_byte_array_append(k.htab_stream, (const uint8_t *)"\1\0", 2);
    g_assert_cmpint(kvm_ppc_htab_read(fd, htab, 8), ==, -EINVAL);

    /* Writing: 0 invalid, 1-2 valid, 3-5 invalid, 6 valid, 7 invalid. */
    g_assert_cmpint(kvm_ppc_htab_open(true), ==, FD_HTAB);
    g_assert_cmphex(k.htab_flags, ==, KVM_GET_HTAB_WRITE);
    memset(htab, 0, sizeof(htab));
    memcpy(htab + 1 * 16, a, 16);
    memcpy(htab + 2 * 16, b, 16);
    memcpy(htab + 6 * 16, c, 16);
    htab[4 * 16] = 0x55; /* not valid (no V bit), whatever else it holds */
    g_assert_cmpint(kvm_ppc_htab_write(FD_HTAB, htab, 8), ==, 0);
    {
        g_autoptr(GByteArray) want = g_byte_array_new();

        htab_record(want, 0, 0, 1);
        htab_record(want, 1, 2, 3);
        g_byte_array_append(want, a, 16);
        g_byte_array_append(want, b, 16);
        htab_record(want, 6, 1, 1);
        g_byte_array_append(want, c, 16);
        g_assert_cmpmem(k.htab_written->data, k.htab_written->len, want->data, want->len);
    }
    g_byte_array_unref(k.htab_stream);
    g_byte_array_unref(k.htab_written);
    k.htab_stream = k.htab_written = NULL;
    teardown(cpu);
}

#define ALL ~0ULL

/* The host's side-channel characteristics become the cap-* levels. */
static void test_caps_from_cpu_char(void)
{
    /* Nothing known: every channel open. */
    struct kvm_ppc_cpu_char c = { 0 };
    KvmPpcHostCaps h;

    memset(&h, 0xff, sizeof(h));
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_BROKEN);
    g_assert_cmpuint(h.sbbc, ==, SPAPR_CAP_BROKEN);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_BROKEN);
    g_assert_false(h.ccf_assist);
    /* Not affected at all (every behaviour known and off). */
    c = (struct kvm_ppc_cpu_char){ .character_mask = ALL, .behaviour_mask = ALL };
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_FIXED);
    g_assert_cmpuint(h.sbbc, ==, SPAPR_CAP_FIXED);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_FIXED_NA);
    /* A POWER9 with the workarounds: flushes needed and available. */
    c.behaviour = KVM_PPC_CPU_BEHAV_L1D_FLUSH_PR | KVM_PPC_CPU_BEHAV_BNDS_CHK_SPEC_BAR |
                  KVM_PPC_CPU_BEHAV_FLUSH_COUNT_CACHE;
    c.character = KVM_PPC_CPU_CHAR_L1D_FLUSH_ORI30 | KVM_PPC_CPU_CHAR_SPEC_BAR_ORI31 |
                  KVM_PPC_CPU_CHAR_BCCTR_FLUSH_ASSIST;
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_WORKAROUND);
    g_assert_cmpuint(h.sbbc, ==, SPAPR_CAP_WORKAROUND);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_WORKAROUND);
    g_assert_true(h.ccf_assist);
    /* Count cache disabled, then bcctr serialised; a bit outside the mask counts for nothing. */
    c.behaviour = KVM_PPC_CPU_BEHAV_L1D_FLUSH_PR;
    c.character = KVM_PPC_CPU_CHAR_COUNT_CACHE_DIS | KVM_PPC_CPU_CHAR_BCCTRL_SERIALISED;
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_FIXED_CCD);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_BROKEN);
    c.character = KVM_PPC_CPU_CHAR_BCCTRL_SERIALISED;
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_FIXED_IBS);
    c.character_mask = 0;
    kvm_ppc_caps_from_cpu_char(&c, &h);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_BROKEN);
}

/* The VM's answers (KVM_CHECK_EXTENSION, KVM_PPC_GET_CPU_CHAR) reach the host caps. */
static void test_host_caps(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    KvmPpcHostCaps h;

    kvm_ppc_host_caps(&h);
    g_assert_false(h.htm);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_BROKEN); /* no GET_CPU_CHAR: all open */
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_BROKEN);
    k.htm = true;
    k.cpu_char = true;
    k.chars = (struct kvm_ppc_cpu_char){ .character_mask = ALL, .behaviour_mask = ALL };
    kvm_ppc_host_caps(&h);
    g_assert_true(h.htm);
    g_assert_false(h.nested_hv);
    g_assert_cmpuint(h.cfpc, ==, SPAPR_CAP_FIXED);
    g_assert_cmpuint(h.ibs, ==, SPAPR_CAP_FIXED_NA);
    g_assert_false(h.smmu_known);
    g_assert_cmpuint(h.ram_page_size, ==, getpagesize());

    /* The MMU's page sizes, and the host tree's ibm,dec-bits (of its first CPU with one). */
    g_autofree char *dt = g_dir_make_tmp("kvm-host-dt-XXXXXX", NULL);
    g_autofree char *node = g_build_filename(dt, "cpus", "PowerPC,POWER9@0", NULL);
    g_autofree char *bits = g_build_filename(node, "ibm,dec-bits", NULL);

    k.smmu = true;
    g_assert_cmpint(g_mkdir_with_parents(node, 0700), ==, 0);
    g_assert_true(g_file_set_contents(bits, "\0\0\0\x38", 4, NULL));
    kvm_ppc_set_host_dt(dt);
    kvm_ppc_host_caps(&h);
    kvm_ppc_set_host_dt(NULL);
    g_assert_true(h.smmu_known);
    g_assert_cmphex(h.smmu_flags, ==, KVM_PPC_PAGE_SIZES_REAL | KVM_PPC_1T_SEGMENTS);
    g_assert_cmpuint(h.dec_bits, ==, 56);
    unlink(bits);
    kvm_ppc_set_host_dt(dt);
    kvm_ppc_host_caps(&h);
    kvm_ppc_set_host_dt(NULL);
    g_assert_cmpuint(h.dec_bits, ==, 0);
    g_assert_cmpint(rmdir(node), ==, 0);
    g_autofree char *cpus = g_path_get_dirname(node);
    g_assert_cmpint(rmdir(cpus), ==, 0);
    g_assert_cmpint(rmdir(dt), ==, 0);
    teardown(cpu);
}

/* cap-large-decr on a vCPU: LPCR[LD] in the kernel's LPCR, read back. */
static void test_large_decr(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);

    k.lpcr_reg = true;
    k.lpcr[1] = LPCR_LPES0;
    g_assert_cmpint(kvm_ppc_set_large_decr(cpu, true), ==, 0);
    g_assert_cmphex(k.lpcr[1], ==, LPCR_LPES0 | LPCR_LD);
    g_assert_cmpint(kvm_ppc_set_large_decr(cpu, false), ==, 0);
    g_assert_cmphex(k.lpcr[1], ==, LPCR_LPES0);
    k.no_ld = true; /* a kernel without the large decrementer */
    g_assert_cmpint(kvm_ppc_set_large_decr(cpu, true), ==, -EINVAL);
    g_assert_cmpint(kvm_ppc_set_large_decr(cpu, false), ==, 0);
    k.lpcr_reg = false; /* no LPCR at all */
    g_assert_cmpint(kvm_ppc_set_large_decr(cpu, true), ==, -EINVAL);
    teardown(cpu);
}

static void expect_refused(const SpaprCaps *caps, const KvmPpcHostCaps *h, const char *want)
{
    g_autofree char *err = NULL;

    g_assert_false(kvm_ppc_check_caps(caps, h, &err));
    g_assert_cmpstr(err, ==, want);
}

/* Each cap the host cannot give is refused with QEMU's message and hint. */
static void test_check_caps(void)
{
    SpaprCaps caps = machine->caps;
    KvmPpcHostCaps h = { .cfpc = SPAPR_CAP_WORKAROUND,
                         .sbbc = SPAPR_CAP_WORKAROUND,
                         .ibs = SPAPR_CAP_WORKAROUND,
                         .ccf_assist = true,
                         .fwnmi = true,
                         .dec_bits = 56,
                         .smmu_known = true,
                         .smmu_flags = KVM_PPC_1T_SEGMENTS,
                         .ram_page_size = 64 * KiB };
    char *err = (char *)"unset";

    /* pseries-7.2's defaults (cap-fwnmi=on among them) on a host with the workarounds. */
    g_assert_true(caps.fwnmi);
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err));
    g_assert_null(err);
    caps.htm = true;
    expect_refused(&caps, &h,
                   "KVM implementation does not support Transactional Memory\n"
                   "Try appending -machine cap-htm=off");
    h.htm = true;
    h.cfpc = SPAPR_CAP_BROKEN;
    expect_refused(&caps, &h,
                   "Requested safe cache capability level not supported by KVM\n"
                   "Try appending -machine cap-cfpc=broken");
    h.cfpc = SPAPR_CAP_FIXED;
    caps.sbbc = SPAPR_CAP_FIXED;
    expect_refused(&caps, &h,
                   "Requested safe bounds check capability level not supported by KVM\n"
                   "Try appending -machine cap-sbbc=workaround");
    caps.sbbc = SPAPR_CAP_BROKEN;
    caps.ibs = SPAPR_CAP_FIXED_CCD;
    h.ibs = SPAPR_CAP_FIXED_IBS;
    expect_refused(&caps, &h,
                   "Requested safe indirect branch capability level not supported by KVM\n"
                   "Try appending -machine cap-ibs=fixed-ibs");
    h.ibs = SPAPR_CAP_FIXED_CCD;
    caps.ccf_assist = true;
    h.ccf_assist = false;
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err)); /* the count cache is off anyway */
    h.ibs = SPAPR_CAP_FIXED_NA;
    expect_refused(&caps, &h,
                   "Requested count cache flush assist capability level not supported by KVM\n"
                   "Try appending -machine cap-ccf-assist=off");
    caps.ccf_assist = false;
    caps.nested_hv = true;
    expect_refused(&caps, &h,
                   "KVM implementation does not support Nested-HV\n"
                   "Try appending -machine cap-nested-hv=off");
    h.nested_hv = true;
    h.fwnmi = false;
    expect_refused(&caps, &h,
                   "Firmware Assisted Non-Maskable Interrupts(FWNMI) not supported by KVM.\n"
                   "Try appending -machine cap-fwnmi=off");
    h.fwnmi = true;
    caps.rpt_invalidate = true;
    expect_refused(&caps, &h, "H_RPT_INVALIDATE only supported on Radix");
    h.radix = true;
    expect_refused(&caps, &h,
                   "KVM implementation does not support H_RPT_INVALIDATE\n"
                   "Try appending -machine cap-rpt-invalidate=off");
    h.rpt_invalidate = true;
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err));

    /* cap-large-decr (pseries-7.2's default on POWER9): the host's ibm,dec-bits. */
    g_assert_true(caps.large_decr);
    h.dec_bits = 0;
    expect_refused(&caps, &h,
                   "No large decrementer support\n"
                   "Try appending -machine cap-large-decr=off");
    h.dec_bits = 64;
    expect_refused(&caps, &h,
                   "KVM large decrementer size (64) differs to model (56)\n"
                   "Try appending -machine cap-large-decr=off");
    caps.large_decr = false;
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err));

    /* cap-hpt-max-page-size: HV on POWER8 needs host pages at least as large. */
    g_assert_cmpuint(caps.hpt_max_page_shift, ==, 16);
    h.smmu_flags |= KVM_PPC_PAGE_SIZES_REAL;
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err)); /* 64 kiB on 64 kiB */
    caps.hpt_max_page_shift = 24;
    expect_refused(&caps, &h,
                   "Can't support 16384 kiB guest pages with 64 kiB host pages with this KVM "
                   "implementation");
    h.smmu_flags &= ~KVM_PPC_PAGE_SIZES_REAL; /* POWER9: any size */
    g_assert_true(kvm_ppc_check_caps(&caps, &h, &err));
    h.smmu_known = false;
    expect_refused(&caps, &h,
                   "KVM doesn't expose the MMU features it supports\n"
                   "Consider switching to a newer KVM");
}

/* At reset the hashed page table goes to the kernel under HV, stays here (SDR1) under PR. */
static void test_hpt_reset(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);

    machine->caps.resize_hpt = SPAPR_RESIZE_HPT_ENABLED;
    machine->ram_size = 16 * MiB; /* a 2^18 table: the scripted kernel gives 2^20 */
    spapr_hpt_reset(machine);
    g_assert_null(machine->htab);
    g_assert_cmpuint(machine->htab_shift, ==, 20);
    teardown(cpu);

    cpu = setup(NULL, 0);
    kvm_shutdown_vm();
    k.pvinfo = true;
    k.closes = 0;
    g_assert_cmpint(kvm_init_vm(), ==, 0);
    spapr_hpt_reset(machine);
    g_assert_nonnull(machine->htab);
    g_assert_cmpuint(machine->htab_shift, ==, 18);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_cmphex(machine->cpus[i]->env.spr[SPR_SDR1], ==, (uintptr_t)machine->htab | 0);
    }
    spapr_hpt_free(machine);
    teardown(cpu);
}

/* Runs fn with stderr caught: what it printed. */
static char *capture_stderr(void (*fn)(void *opaque), void *opaque)
{
    FILE *f = tmpfile();
    int saved = dup(2);
    char *text = g_malloc0(4096);

    g_assert_nonnull(f);
    fflush(stderr);
    dup2(fileno(f), 2);
    fn(opaque);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(f);
    g_assert_cmpuint(fread(text, 1, 4095, f), <, 4095);
    fclose(f);
    return text;
}

/* The interrupt controller of the XICS tests: 64 sources from 4096, one ICP per CPU. */
static ICSState *xics;
static ICPState *xics_icps[2];

static uint64_t source_state(uint32_t irq)
{
    uint64_t *v = g_hash_table_lookup(k.sources, GUINT_TO_POINTER(irq));

    g_assert_nonnull(v);
    return *v;
}

/* Both CPUs get a vCPU (setup made cpu 1's), kernel-irqchip as given (NULL: unset). */
static PowerPCCPU *xics_setup(const char *irqchip)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    char *err = NULL;

    if (irqchip) {
        g_assert_true(kvm_accel_set_property("kernel-irqchip", irqchip, &err));
    }
    g_assert_cmpint(kvm_cpu_init(machine->cpus[0]), ==, 0);
    return cpu;
}

static void xics_teardown(PowerPCCPU *cpu, unsigned closes)
{
    kvm_cpu_fini(machine->cpus[0]);
    kvm_cpu_fini(cpu);
    kvm_shutdown_vm();
    g_assert_cmpuint(k.closes, ==, closes);
    g_assert_false(kvm_ppc_xics_in_kernel());
    g_assert_null(kvm_irqchip_mode());
    kvm_set_ops(NULL);
}

/*
 * The kernel's XICS: the four RTAS services under the tokens /rtas
 * publishes, the device sized by the servers, each vCPU joined under its
 * ICP's server number, the claimed sources handed over, then every line
 * change of a source goes to KVM_IRQ_LINE instead of the emulated ICS.
 */
static void test_xics_connect(void)
{
    static const char *const names[] = { "ibm,set-xive", "ibm,get-xive", "ibm,int-on",
                                         "ibm,int-off" };
    PowerPCCPU *cpu = xics_setup(NULL);
    char *err = (char *)"unset";
    uint64_t st;

    k.xics = true;
    k.has_nr_servers = true;
    ics_set_irq_type(xics, 3, XICS_FLAGS_IRQ_LSI);
    ics_set_irq_type(xics, 4, XICS_FLAGS_IRQ_MSI);
    ics_write_xive(xics, 4, 1, 5, 5);
    ics_write_xive(xics, 3, 0, XICS_PRIORITY_MASKED, 6); /* int-off'd: 6 comes back at int-on */
    g_assert_true(kvm_ppc_irqchip_init(xics, xics_icps, 2, &err));
    g_assert_null(err);
    g_assert_true(kvm_ppc_xics_in_kernel());
    g_assert_cmpuint(k.devices, ==, 1);
    g_assert_cmpuint(g_hash_table_size(k.tokens), ==, 4);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        uint32_t token = GPOINTER_TO_UINT(g_hash_table_lookup(k.tokens, names[i]));

        g_assert_cmpuint(token, !=, 0);
        g_assert_cmpint(token, ==, spapr_rtas_token(names[i]));
    }
    g_assert_cmpuint(k.nr_servers, ==, 2);
    g_assert_cmpuint(k.xics_cpus->len, ==, 2);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_cmphex(g_array_index(k.xics_cpus, uint64_t, i), ==,
                        (uint64_t)(FD_VCPU0 + i) << 48 | (uint64_t)FD_XICS << 32 |
                            xics_icps[i]->server);
    }
    /* Only the claimed sources. */
    g_assert_cmpuint(g_hash_table_size(k.sources), ==, 2);
    st = source_state(4096 + 3);
    g_assert_cmphex(st, ==, KVM_XICS_LEVEL_SENSITIVE | KVM_XICS_MASKED | 6ULL << 32 | 0);
    st = source_state(4096 + 4);
    g_assert_cmphex(st, ==, 5ULL << 32 | 1);

    /* Lines: an LSI both ways, an MSI's rising edge only; the emulated ICS is left alone. */
    ics_set_irq(xics, 3, 1);
    ics_set_irq(xics, 3, 0);
    ics_set_irq(xics, 4, 1);
    ics_set_irq(xics, 4, 0);
    g_assert_cmpuint(k.lines->len, ==, 3);
    g_assert_cmphex(g_array_index(k.lines, uint64_t, 0), ==,
                    (uint64_t)4099 << 32 | KVM_INTERRUPT_SET_LEVEL);
    g_assert_cmphex(g_array_index(k.lines, uint64_t, 1), ==,
                    (uint64_t)4099 << 32 | KVM_INTERRUPT_UNSET);
    g_assert_cmphex(g_array_index(k.lines, uint64_t, 2), ==,
                    (uint64_t)4100 << 32 | KVM_INTERRUPT_SET);
    g_assert_cmpuint(xics->irqs[4].status, ==, 0);
    g_assert_false(xics_icps[1]->output);
    /* A source claimed later (hot plug) reaches the kernel too. */
    ics_set_irq_type(xics, 9, XICS_FLAGS_IRQ_MSI);
    g_assert_cmphex(source_state(4096 + 9), ==, 0xffULL << 32);
    xics_teardown(cpu, 5); /* 2 vCPUs, the device, the VM, /dev/kvm */
    for (uint32_t s = 0; s < xics->nr_irqs; s++) {
        ics_set_irq_type(xics, s, 0);
    }
}

static void init_irqchip(void *opaque)
{
    char **err = opaque;

    g_assert_true(kvm_ppc_irqchip_init(xics, xics_icps, 2, err));
}

/* kernel-irqchip=: split refused, off never tries, on requires, unset falls back with a warning. */
static void test_xics_modes(void)
{
    PowerPCCPU *cpu = xics_setup("split");
    g_autofree char *text = NULL;
    char *err = NULL;

    k.xics = true;
    g_assert_false(kvm_ppc_irqchip_init(xics, xics_icps, 2, &err));
    g_assert_cmpstr(err, ==, "kernel_irqchip split mode not supported on pseries");
    g_free(err);
    g_assert_cmpuint(k.devices, ==, 0);
    xics_teardown(cpu, 4);

    cpu = xics_setup("off");
    k.xics = true;
    g_assert_true(kvm_ppc_irqchip_init(xics, xics_icps, 2, &err));
    g_assert_null(err);
    g_assert_cmpuint(k.devices, ==, 0);
    g_assert_cmpuint(g_hash_table_size(k.tokens), ==, 0);
    g_assert_false(kvm_ppc_xics_in_kernel());
    xics_teardown(cpu, 4);

    /* No KVM_CAP_IRQ_XICS. */
    cpu = xics_setup("on");
    g_assert_false(kvm_ppc_irqchip_init(xics, xics_icps, 2, &err));
    g_assert_cmpstr(err, ==,
                    "kernel_irqchip requested but unavailable: KVM and IRQ_XICS capability must "
                    "be present for in-kernel XICS");
    g_free(err);
    xics_teardown(cpu, 4);

    cpu = xics_setup(NULL);
    text = capture_stderr(init_irqchip, &err);
    g_assert_null(err);
    g_assert_nonnull(strstr(text, ": warning: kernel_irqchip allowed but unavailable: KVM and "
                                  "IRQ_XICS capability must be present for in-kernel XICS\n"
                                  "Falling back to kernel-irqchip=off\n"));
    g_assert_false(kvm_ppc_xics_in_kernel());
    xics_teardown(cpu, 4);

    /* A vCPU the kernel will not join: everything undone (tokens back to 0, device closed). */
    cpu = xics_setup("on");
    k.xics = true;
    k.xics_cpu_error = -EBUSY;
    g_assert_false(kvm_ppc_irqchip_init(xics, xics_icps, 2, &err));
    g_assert_cmpstr(err, ==,
                    "kernel_irqchip requested but unavailable: Unable to connect CPU1 to kernel "
                    "XICS: Device or resource busy");
    g_free(err);
    g_assert_cmpuint(k.devices, ==, 1);
    g_assert_cmpuint(k.closes, ==, 1);
    g_assert_cmpuint(g_hash_table_size(k.tokens), ==, 4);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(k.tokens, "ibm,int-on")), ==, 0);
    g_assert_false(kvm_ppc_xics_in_kernel());
    ics_set_irq_type(xics, 5, XICS_FLAGS_IRQ_MSI);
    ics_set_irq(xics, 5, 1); /* the emulated ICS again */
    g_assert_cmpuint(k.lines->len, ==, 0);
    ics_set_irq_type(xics, 5, 0);
    xics_teardown(cpu, 5);
}

static void set_source(uint32_t irq, uint64_t state)
{
    g_hash_table_insert(k.sources, GUINT_TO_POINTER(irq), g_memdup2(&state, 8));
}

static uint64_t icp_reg(unsigned cppr, unsigned xisr, unsigned mfrr, unsigned ppri)
{
    return (uint64_t)cppr << KVM_REG_PPC_ICP_CPPR_SHIFT |
           (uint64_t)xisr << KVM_REG_PPC_ICP_XISR_SHIFT |
           (uint64_t)mfrr << KVM_REG_PPC_ICP_MFRR_SHIFT |
           (uint64_t)ppri << KVM_REG_PPC_ICP_PPRI_SHIFT;
}

static void save_xics_stderr(void *opaque)
{
    g_byte_array_unref(qdev_state_save(&xics->qdev));
    (void)opaque;
}

/*
 * With the kernel's XICS the state lives there: a save reads it (the
 * sources through KVM_DEV_XICS_GRP_SOURCES, each ICP through ONE_REG
 * ICP_STATE), a machine reset writes the reset state to it, a load writes
 * what was saved, and a load the kernel refuses is refused.
 */
static void test_xics_state(void)
{
    PowerPCCPU *cpu = xics_setup("on");
    const uint64_t lsi = KVM_XICS_LEVEL_SENSITIVE | KVM_XICS_PENDING | KVM_XICS_PRESENTED |
                         5ULL << KVM_XICS_PRIORITY_SHIFT | 1;
    const uint64_t msi = KVM_XICS_MASKED | KVM_XICS_PENDING | 7ULL << KVM_XICS_PRIORITY_SHIFT;
    GByteArray *ics_saved, *icp_saved[2];
    g_autofree char *text = NULL;
    Error *err = NULL;
    char *msg = NULL;
    unsigned irqs;

    k.xics = true;
    ics_set_irq_type(xics, 3, XICS_FLAGS_IRQ_LSI);
    ics_set_irq_type(xics, 4, XICS_FLAGS_IRQ_MSI);
    g_assert_true(kvm_ppc_irqchip_init(xics, xics_icps, 2, &msg));
    g_assert_null(msg);
    g_assert_true(kvm_ppc_xics_owns(xics));

    /* What the guest did meanwhile, all in the kernel. */
    set_source(4099, lsi); /* asserted, presented to server 1 at priority 5 */
    set_source(4100, msi); /* fired while int-off'd, priority 7 saved */
    k.icp[0] = icp_reg(5, 4099, 0xff, 5);
    k.icp[1] = icp_reg(0xff, XICS_XISR_IPI, 3, 3);

    /* Save: the emulated copies are read from the kernel first. */
    ics_saved = qdev_state_save(&xics->qdev);
    g_assert_cmpuint(xics->irqs[3].server, ==, 1);
    g_assert_cmpuint(xics->irqs[3].priority, ==, 5);
    g_assert_cmpuint(xics->irqs[3].saved_priority, ==, 5);
    g_assert_cmpuint(xics->irqs[3].status, ==, XICS_STATUS_ASSERTED | XICS_STATUS_SENT);
    g_assert_cmpuint(xics->irqs[3].flags, ==, XICS_FLAGS_IRQ_LSI);
    g_assert_cmpuint(xics->irqs[4].server, ==, 0);
    g_assert_cmpuint(xics->irqs[4].priority, ==, XICS_PRIORITY_MASKED);
    g_assert_cmpuint(xics->irqs[4].saved_priority, ==, 7);
    g_assert_cmpuint(xics->irqs[4].status, ==, XICS_STATUS_MASKED_PENDING);
    g_assert_cmpuint(xics->irqs[4].flags, ==, XICS_FLAGS_IRQ_MSI);
    g_assert_cmpuint(xics->irqs[5].flags, ==, 0); /* unclaimed: not asked for */
    for (unsigned i = 0; i < 2; i++) {
        icp_saved[i] = qdev_state_save(&xics_icps[i]->qdev);
    }
    g_assert_cmphex(xics_icps[0]->xirr, ==, 5u << 24 | 4099);
    g_assert_cmpuint(xics_icps[0]->pending_priority, ==, 5);
    g_assert_cmpuint(xics_icps[0]->mfrr, ==, 0xff);
    g_assert_cmphex(xics_icps[1]->xirr, ==, 0xffu << 24 | XICS_XISR_IPI);
    g_assert_cmpuint(xics_icps[1]->mfrr, ==, 3);
    g_assert_cmpuint(xics_icps[1]->pending_priority, ==, 3);
    /* The stream carries them: ics is nr_irqs, then 8 bytes a source; icp is xirr first. */
    g_assert_cmpuint(ics_saved->data[4 + 3 * 8 + 3], ==, 1); /* source 3's server, low byte */
    g_assert_cmpuint(ics_saved->data[4 + 3 * 8 + 4], ==, 5);
    g_assert_cmpuint(icp_saved[0]->data[0], ==, 5);

    /* Machine reset: every claimed source masked at server 0, each ICP cleared, in the kernel. */
    irqs = k.irqs->len;
    qdev_reset(&xics->qdev);
    for (unsigned i = 0; i < 2; i++) {
        qdev_reset(&xics_icps[i]->qdev);
    }
    g_assert_cmphex(source_state(4099), ==, KVM_XICS_LEVEL_SENSITIVE | 0xffULL << 32);
    g_assert_cmphex(source_state(4100), ==, 0xffULL << 32);
    g_assert_cmphex(k.icp[0], ==, icp_reg(0, 0, 0xff, 0xff));
    g_assert_cmphex(k.icp[1], ==, icp_reg(0, 0, 0xff, 0xff));
    g_assert_cmpuint(k.irqs->len, ==, irqs); /* no KVM_INTERRUPT: the kernel's XICS owns the line */

    /* Load: what was saved goes back to the kernel, unchanged. */
    g_assert_true(qdev_state_load(&xics->qdev, ics_saved->data, ics_saved->len, &error_abort));
    g_assert_cmphex(source_state(4099), ==, lsi);
    g_assert_cmphex(source_state(4100), ==, msi);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_true(qdev_state_load(&xics_icps[i]->qdev, icp_saved[i]->data, icp_saved[i]->len,
                                      &error_abort));
    }
    g_assert_cmphex(k.icp[0], ==, icp_reg(5, 4099, 0xff, 5));
    g_assert_cmphex(k.icp[1], ==, icp_reg(0xff, XICS_XISR_IPI, 3, 3));
    g_assert_cmpuint(k.irqs->len, ==, irqs);

    /* A state the kernel refuses: the load is refused and the copy left as it was. */
    k.icp[0] = icp_reg(0, 0, 0xff, 0xff);
    k.icp_set_error = -EINVAL;
    g_assert_false(
        qdev_state_load(&xics_icps[0]->qdev, icp_saved[0]->data, icp_saved[0]->len, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Unable to restore KVM interrupt controller state (0x5001003ff050000) for "
                    "CPU 0: Invalid argument");
    error_free(err);
    g_assert_cmphex(xics_icps[0]->xirr, ==, 0); /* what the kernel had before the load */
    k.icp_set_error = 0;

    /* A source the kernel will not give: QEMU's message, the copy kept. */
    k.source_get_error = -EIO;
    text = capture_stderr(save_xics_stderr, NULL);
    g_assert_nonnull(strstr(text, "Unable to retrieve KVM interrupt controller state for IRQ 4099: "
                                  "Input/output error\n"));
    k.source_get_error = 0;

    g_byte_array_unref(ics_saved);
    for (unsigned i = 0; i < 2; i++) {
        g_byte_array_unref(icp_saved[i]);
    }
    xics_teardown(cpu, 5);
    for (uint32_t s = 0; s < xics->nr_irqs; s++) {
        ics_set_irq_type(xics, s, 0);
    }
    ics_reset(xics);
    for (unsigned i = 0; i < 2; i++) {
        icp_reset(xics_icps[i]);
    }
}

static void wait_runs(unsigned i, int n)
{
    while (__atomic_load_n(&k.runs[i], __ATOMIC_SEQ_CST) < n) {
        g_usleep(1000);
    }
}

/*
 * system/cpus.c's vCPU threads under KVM: both vCPUs enter KVM_RUN; a pause
 * (stop, reset, migration) kicks them out and parks them with their
 * registers read back; a register changed while parked reaches the kernel
 * when they run again.  Last: the threads stay for the rest of the process.
 */
static void test_cpus_threads(void)
{
    PowerPCCPU *cpu = setup(NULL, 0);
    char *err = NULL;

    kvm_cpu_fini(cpu);
    k.threaded = true;
    g_assert_true(kvm_ppc_machine_init(machine->cpus, 2, &err));
    for (unsigned i = 0; i < 2; i++) {
        machine->cpus[i]->halted = false;
        machine->cpus[i]->env.gpr[4] = 0x400 + i;
    }
    qemu_mutex_lock_iothread();
    vm_start();
    cpus_start(machine->cpus, 2);
    qemu_mutex_unlock_iothread();
    wait_runs(0, 1);
    wait_runs(1, 1);
    g_assert_cmphex(k.put_gpr4[0], ==, 0x400);
    g_assert_cmphex(k.put_gpr4[1], ==, 0x401);

    qemu_mutex_lock_iothread();
    pause_all_vcpus();
    for (unsigned i = 0; i < 2; i++) {
        g_assert_cmphex(machine->cpus[i]->env.gpr[3], ==, FD_VCPU0 + i);
        g_assert_true(machine->cpus[i]->kvm->dirty);
    }
    g_assert_cmpint(k.runs[0], ==, 1);
    g_assert_cmpint(k.runs[1], ==, 1);
    machine->cpus[0]->env.gpr[4] = 0x1234; /* as the debugger or a reset would */
    resume_all_vcpus();
    qemu_mutex_unlock_iothread();
    wait_runs(0, 2);
    wait_runs(1, 2);
    g_assert_cmphex(k.put_gpr4[0], ==, 0x1234);
    g_assert_cmphex(k.put_gpr4[1], ==, 0x401);

    /*
     * The monitor's thread reads a running vCPU's registers: they are
     * fetched on the vCPU's own thread (run_on_cpu), which then re-enters.
     */
    qemu_mutex_lock_iothread();
    machine->cpus[1]->env.gpr[3] = 0;
    cpu_synchronize_state(machine->cpus[1]);
    g_assert_cmphex(machine->cpus[1]->env.gpr[3], ==, FD_VCPU0 + 1);
    g_assert_false(pthread_equal(k.get_thread[1], pthread_self()));
    g_assert_cmpint(k.runs[0], ==, 2); /* the other vCPU was left alone */
    qemu_mutex_unlock_iothread();
    wait_runs(1, 3);

    /*
     * H_SET_MODE (little-endian interrupts) from vCPU 0's hcall, as the
     * main thread here: every vCPU's LPCR, running in the kernel, gets ILE
     * on its own thread and takes it into the kernel at its next entry.
     */
    qemu_mutex_lock_iothread();
    for (unsigned i = 0; i < 2; i++) {
        g_assert_false(ppc_lpcr(&machine->cpus[i]->env) & LPCR_ILE);
        g_assert_false(k.lpcr[i] & LPCR_ILE);
    }
    target_ulong args[SPAPR_HCALL_NARGS] = { H_SET_MODE_ENDIAN_LITTLE, H_SET_MODE_RESOURCE_LE };
    g_assert_cmpint(spapr_hypercall(machine->cpus[0], H_SET_MODE, args), ==, H_SUCCESS);
    qemu_mutex_unlock_iothread();
    wait_runs(0, 3);
    wait_runs(1, 4);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_true(ppc_lpcr(&machine->cpus[i]->env) & LPCR_ILE);
        g_assert_true(__atomic_load_n(&k.lpcr[i], __ATOMIC_SEQ_CST) & LPCR_ILE);
    }
    qemu_mutex_lock_iothread();
    pause_all_vcpus();
    qemu_mutex_unlock_iothread();
}

int main(int argc, char **argv)
{
    GError *err = NULL;

    g_test_init(&argc, &argv, NULL);
    machine = test_machine_new(RAM_SIZE, 2, NULL, NULL);
    g_assert_nonnull(memory_map_add_io("test-dev", DEV_BASE, 0x1000, &dev_ops, NULL, &err));
    for (hcall_opcode = 4; spapr_hypercall_registered(hcall_opcode); hcall_opcode += 4) {
    }
    spapr_register_hypercall(hcall_opcode, h_test);
    for (hsync_opcode = hcall_opcode + 4; spapr_hypercall_registered(hsync_opcode);
         hsync_opcode += 4) {
    }
    spapr_register_hypercall(hsync_opcode, h_sync);
    xics = ics_create(TYPE_ICS_SPAPR, "ics", 4096, 64, 2, &error_fatal);
    g_assert_nonnull(xics);
    for (unsigned i = 0; i < 2; i++) {
        g_autofree char *name = g_strdup_printf("icp%u", i);

        xics_icps[i] = icp_create(xics, name, i, machine->cpus[i], &error_fatal);
        g_assert_nonnull(xics_icps[i]);
    }
    events = g_ptr_array_new_with_free_func(g_free);
    runstate_set_event_hook(record_event);
    g_test_add_func("/kvm-run/init", test_init);
    g_test_add_func("/kvm-run/loop", test_run_loop);
    g_test_add_func("/kvm-run/exit-requested", test_exit_requested);
    g_test_add_func("/kvm-run/hcall-sync", test_hcall_sync);
    g_test_add_func("/kvm-run/debug", test_debug);
    g_test_add_func("/kvm-run/shutdown-resets", test_shutdown_resets);
    g_test_add_func("/kvm-run/fail-entry", test_fail_entry);
    g_test_add_func("/kvm-run/run-error", test_run_error);
    g_test_add_func("/kvm-run/kick", test_kick);
    g_test_add_func("/kvm-run/memory-slot", test_memory_slot);
    g_test_add_func("/kvm-run/machine-init", test_machine_init);
    g_test_add_func("/kvm-run/vm-ioctls", test_vm_ioctls);
    g_test_add_func("/kvm-run/hpt-reset", test_hpt_reset);
    g_test_add_func("/kvm-run/htab-stream", test_htab_stream);
    g_test_add_func("/kvm-caps/from-cpu-char", test_caps_from_cpu_char);
    g_test_add_func("/kvm-caps/host", test_host_caps);
    g_test_add_func("/kvm-caps/check", test_check_caps);
    g_test_add_func("/kvm-caps/large-decr", test_large_decr);
    g_test_add_func("/kvm-xics/connect", test_xics_connect);
    g_test_add_func("/kvm-xics/modes", test_xics_modes);
    g_test_add_func("/kvm-xics/state", test_xics_state);
    /* Last: it starts the vCPU threads, which live on. */
    g_test_add_func("/kvm-threads/cpus", test_cpus_threads);
    return g_test_run();
}

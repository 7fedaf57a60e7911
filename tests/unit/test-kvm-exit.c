/*
 * Unit tests of the KVM exit handling (accel/kvm/kvm-exit.c) on struct
 * kvm_run as the kernel fills it: PAPR hypercalls into the one dispatch
 * table, MMIO of each size in both directions, and the exits that stop.
 * Built wherever <linux/kvm.h> is; no /dev/kvm needed.
 */
#include "exec/memory.h"
#include "spapr-test-machine.h"
#include "sysemu/kvm-exit.h"

#define RAM_SIZE (16 * MiB)
#define DEV_BASE 0x40000000ULL
#define HOLE 0x50000000ULL

static SpaprMachineState *machine;

/* What the last test hypercall saw. */
static struct {
    PowerPCCPU *cpu;
    target_ulong opcode;
    target_ulong args[SPAPR_HCALL_NARGS];
} seen;

/* Records its inputs, writes every output register: r4+i = ~(argument i). */
static target_ulong h_record(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    seen.cpu = cpu;
    seen.opcode = opcode;
    memcpy(seen.args, args, sizeof(seen.args));
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = ~args[i];
    }
    return H_PARTIAL;
}

/* The first PAPR opcode nothing registered: the test's own hypercall. */
static target_ulong free_opcode(void)
{
    for (target_ulong op = 4; op <= MAX_HCALL_OPCODE; op += 4) {
        if (!spapr_hypercall_registered(op)) {
            return op;
        }
    }
    g_assert_not_reached();
}

static struct kvm_run *run_new(uint32_t reason)
{
    struct kvm_run *run = g_malloc0(sizeof(*run));

    run->exit_reason = reason;
    return run;
}

/* Every argument register reaches the handler and every output comes back. */
static void test_hcall_all_registers(void)
{
    static target_ulong opcode;
    g_autofree struct kvm_run *run = run_new(KVM_EXIT_PAPR_HCALL);
    char *msg = (char *)"unset";

    if (!opcode) {
        opcode = free_opcode();
        spapr_register_hypercall(opcode, h_record);
    }
    run->papr_hcall.nr = opcode;
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        run->papr_hcall.args[i] = 0x0123456789abcdefULL * (i + 1);
    }
    run->papr_hcall.ret = 0xdead;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[1], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_null(msg);
    g_assert_true(seen.cpu == machine->cpus[1]);
    g_assert_cmphex(seen.opcode, ==, opcode);
    for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
        uint64_t in = 0x0123456789abcdefULL * (i + 1);

        g_assert_cmphex(seen.args[i], ==, in);
        g_assert_cmphex(run->papr_hcall.args[i], ==, ~in);
    }
    g_assert_cmpint((int64_t)run->papr_hcall.ret, ==, H_PARTIAL);
    /* Still an hcall exit: the kernel reads ret and args from it. */
    g_assert_cmpuint(run->exit_reason, ==, KVM_EXIT_PAPR_HCALL);
}

/* An opcode nobody serves is H_FUNCTION, as under TCG; the arguments stay. */
static void test_hcall_unknown(void)
{
    static const uint64_t opcodes[] = { 0x2, 0x4a0, 0xefff, 0xf004, 0xf100, 0xffffffffffffffffULL };

    for (size_t k = 0; k < G_N_ELEMENTS(opcodes); k++) {
        g_autofree struct kvm_run *run = run_new(KVM_EXIT_PAPR_HCALL);
        char *msg = NULL;

        run->papr_hcall.nr = opcodes[k];
        run->papr_hcall.args[0] = 7;
        run->papr_hcall.args[8] = 9;
        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
        g_assert_cmpint((int64_t)run->papr_hcall.ret, ==, H_FUNCTION);
        g_assert_cmpuint(run->papr_hcall.args[0], ==, 7);
        g_assert_cmpuint(run->papr_hcall.args[8], ==, 9);
    }
}

/* A device register as seen through the memory map. */
typedef struct TestDev {
    unsigned reads, writes;
    hwaddr offset;
    unsigned size;
    uint64_t written;
} TestDev;

#define PATTERN 0x1122334455667788ULL

static uint64_t dev_read(void *opaque, hwaddr offset, unsigned size)
{
    TestDev *d = opaque;

    d->reads++;
    d->offset = offset;
    d->size = size;
    return (PATTERN + offset) & (size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1);
}

static void dev_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    TestDev *d = opaque;

    d->writes++;
    d->offset = offset;
    d->size = size;
    d->written = value;
}

static const MemoryRegionOps be_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_BIG_ENDIAN,
};

static const MemoryRegionOps le_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
};

static TestDev be_dev, le_dev;

/* The value of len bytes in memory order, read big-endian. */
static uint64_t bytes_be(const uint8_t *b, unsigned len)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < len; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

static uint64_t mask(unsigned len)
{
    return len == 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
}

/*
 * Loads of 1, 2, 4 and 8 bytes: one device access of that size at the
 * offset; data holds the register's bytes in the device's byte order.
 */
static void test_mmio_read_sizes(void)
{
    for (unsigned len = 1; len <= 8; len *= 2) {
        for (int le = 0; le < 2; le++) {
            TestDev *d = le ? &le_dev : &be_dev;
            hwaddr base = DEV_BASE + (le ? 0x1000 : 0);
            hwaddr off = 0x10 + 8 * len;
            uint64_t reg = (PATTERN + off) & mask(len);
            g_autofree struct kvm_run *run = run_new(KVM_EXIT_MMIO);
            char *msg = NULL;

            memset(d, 0, sizeof(*d));
            memset(run->mmio.data, 0xee, sizeof(run->mmio.data));
            run->mmio.phys_addr = base + off;
            run->mmio.len = len;
            run->mmio.is_write = 0;
            g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==,
                            KVM_EXIT_ACTION_RESUME);
            g_assert_null(msg);
            g_assert_cmpuint(d->reads, ==, 1);
            g_assert_cmpuint(d->writes, ==, 0);
            g_assert_cmphex(d->offset, ==, off);
            g_assert_cmpuint(d->size, ==, len);
            g_assert_cmphex(bytes_be(run->mmio.data, len), ==,
                            le ? memory_bswap_size(reg, len) : reg);
            /* Bytes past len are not the kernel's business: left alone. */
            for (unsigned i = len; i < 8; i++) {
                g_assert_cmphex(run->mmio.data[i], ==, 0xee);
            }
        }
    }
}

/* Stores of 1, 2, 4 and 8 bytes reach the device with the value in its order. */
static void test_mmio_write_sizes(void)
{
    static const uint8_t bytes[8] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18 };

    for (unsigned len = 1; len <= 8; len *= 2) {
        for (int le = 0; le < 2; le++) {
            TestDev *d = le ? &le_dev : &be_dev;
            hwaddr base = DEV_BASE + (le ? 0x1000 : 0);
            g_autofree struct kvm_run *run = run_new(KVM_EXIT_MMIO);
            uint64_t be = bytes_be(bytes, len);
            char *msg = NULL;

            memset(d, 0, sizeof(*d));
            run->mmio.phys_addr = base + 0x40;
            run->mmio.len = len;
            run->mmio.is_write = 1;
            memcpy(run->mmio.data, bytes, len);
            g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==,
                            KVM_EXIT_ACTION_RESUME);
            g_assert_null(msg);
            g_assert_cmpuint(d->writes, ==, 1);
            g_assert_cmpuint(d->reads, ==, 0);
            g_assert_cmphex(d->offset, ==, 0x40);
            g_assert_cmpuint(d->size, ==, len);
            g_assert_cmphex(d->written, ==, le ? memory_bswap_size(be, len) : be);
        }
    }
}

/*
 * A misaligned load is done in the largest pieces the alignment allows
 * (0x21: 1 byte, 0x22: 2, 0x24: 1), each piece's bytes as they lie.
 */
static void test_mmio_misaligned(void)
{
    g_autofree struct kvm_run *run = run_new(KVM_EXIT_MMIO);
    char *msg = NULL;
    uint16_t mid = (uint16_t)(PATTERN + 0x22);
    const uint8_t want[4] = { (uint8_t)(PATTERN + 0x21), mid >> 8, (uint8_t)mid,
                              (uint8_t)(PATTERN + 0x24) };

    memset(&be_dev, 0, sizeof(be_dev));
    run->mmio.phys_addr = DEV_BASE + 0x21;
    run->mmio.len = 4;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_null(msg);
    g_assert_cmpuint(be_dev.reads, ==, 3);
    g_assert_cmpmem(run->mmio.data, 4, want, 4);
}

/* Nothing at the address: reads give zeros, writes vanish, the guest goes on. */
static void test_mmio_hole(void)
{
    for (unsigned len = 1; len <= 8; len *= 2) {
        g_autofree struct kvm_run *run = run_new(KVM_EXIT_MMIO);
        char *msg = NULL;

        memset(run->mmio.data, 0xee, sizeof(run->mmio.data));
        run->mmio.phys_addr = HOLE;
        run->mmio.len = len;
        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
        g_assert_null(msg);
        for (unsigned i = 0; i < len; i++) {
            g_assert_cmphex(run->mmio.data[i], ==, 0);
        }
        run->mmio.is_write = 1;
        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
        g_assert_null(msg);
    }
}

/* A length the kernel never sends (0, more than data holds) stops the VM. */
static void test_mmio_bad_length(void)
{
    static const uint32_t lens[] = { 0, 9, 16, 0xffffffffu };

    for (size_t k = 0; k < G_N_ELEMENTS(lens); k++) {
        g_autofree struct kvm_run *run = run_new(KVM_EXIT_MMIO);
        g_autofree char *msg = NULL;
        g_autofree char *want =
            g_strdup_printf("KVM: MMIO read of %u bytes at 0x40000000 (at most 8)", lens[k]);

        memset(&be_dev, 0, sizeof(be_dev));
        run->mmio.phys_addr = DEV_BASE;
        run->mmio.len = lens[k];
        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_INTERNAL);
        g_assert_cmpstr(msg, ==, want);
        g_assert_cmpuint(be_dev.reads, ==, 0);
    }
}

/* A real handler through the exit: H_LOGICAL_CI_LOAD of the device register. */
static void test_hcall_reaches_device(void)
{
    g_autofree struct kvm_run *run = run_new(KVM_EXIT_PAPR_HCALL);
    char *msg = NULL;

    memset(&be_dev, 0, sizeof(be_dev));
    run->papr_hcall.nr = H_LOGICAL_CI_LOAD;
    run->papr_hcall.args[0] = 4; /* size */
    run->papr_hcall.args[1] = DEV_BASE + 0x80;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_RESUME);
    g_assert_cmpint((int64_t)run->papr_hcall.ret, ==, H_SUCCESS);
    g_assert_cmphex(run->papr_hcall.args[0], ==, (PATTERN + 0x80) & 0xffffffffULL);
    g_assert_cmpuint(be_dev.reads, ==, 1);
}

static void test_exit_actions(void)
{
    static const struct {
        uint32_t reason;
        KvmExitAction action;
    } cases[] = {
        { KVM_EXIT_INTR, KVM_EXIT_ACTION_RESUME },
        { KVM_EXIT_DEBUG, KVM_EXIT_ACTION_DEBUG },
        { KVM_EXIT_SHUTDOWN, KVM_EXIT_ACTION_RESET },
    };

    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        g_autofree struct kvm_run *run = run_new(cases[k].reason);
        char *msg = NULL;

        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, cases[k].action);
        g_assert_null(msg);
    }
}

static void test_fail_entry(void)
{
    g_autofree struct kvm_run *run = run_new(KVM_EXIT_FAIL_ENTRY);
    g_autofree char *msg = NULL;

    run->fail_entry.hardware_entry_failure_reason = 0x80000021ULL;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_INTERNAL);
    g_assert_cmpstr(msg, ==, "KVM: entry failed, hardware error 0x80000021");
}

static void test_internal_error(void)
{
    g_autofree struct kvm_run *run = run_new(KVM_EXIT_INTERNAL_ERROR);
    g_autofree char *msg = NULL;
    g_autofree char *many = NULL;
    g_auto(GStrv) lines = NULL;

    run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
    run->internal.ndata = 2;
    run->internal.data[0] = 0x7c0004ac;
    run->internal.data[1] = 0xc000000000012340ULL;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_INTERNAL);
    g_assert_cmpstr(msg, ==,
                    "KVM internal error. Suberror: 1\n"
                    "extra data[0]: 0x000000007c0004ac\n"
                    "extra data[1]: 0xc000000000012340");
    /* ndata beyond the array: only what the array holds is read. */
    run->internal.ndata = 1000;
    g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &many), ==, KVM_EXIT_ACTION_INTERNAL);
    lines = g_strsplit(many, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 1 + G_N_ELEMENTS(run->internal.data));
}

static void test_unknown_reasons(void)
{
    static const struct {
        uint32_t reason;
        const char *msg;
    } cases[] = {
        { KVM_EXIT_IO, "KVM: unhandled exit KVM_EXIT_IO (2) on a pseries vCPU" },
        { KVM_EXIT_HLT, "KVM: unhandled exit KVM_EXIT_HLT (5) on a pseries vCPU" },
        { KVM_EXIT_OSI, "KVM: unhandled exit KVM_EXIT_OSI (18) on a pseries vCPU" },
        { KVM_EXIT_EPR, "KVM: unhandled exit KVM_EXIT_EPR (23) on a pseries vCPU" },
        { 9999, "KVM: unknown exit reason 9999" },
        { 0xffffffffu, "KVM: unknown exit reason 4294967295" },
    };

    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        g_autofree struct kvm_run *run = run_new(cases[k].reason);
        g_autofree char *msg = NULL;

        g_assert_cmpint(kvm_handle_exit(machine->cpus[0], run, &msg), ==, KVM_EXIT_ACTION_INTERNAL);
        g_assert_cmpstr(msg, ==, cases[k].msg);
    }
    g_assert_cmpstr(kvm_exit_reason_name(KVM_EXIT_PAPR_HCALL), ==, "KVM_EXIT_PAPR_HCALL");
    g_assert_null(kvm_exit_reason_name(9999));
}

int main(int argc, char **argv)
{
    GError *err = NULL;

    g_test_init(&argc, &argv, NULL);
    machine = test_machine_new(RAM_SIZE, 2, NULL, NULL);
    g_assert_nonnull(memory_map_add_io("be-dev", DEV_BASE, 0x1000, &be_ops, &be_dev, &err));
    g_assert_nonnull(
        memory_map_add_io("le-dev", DEV_BASE + 0x1000, 0x1000, &le_ops, &le_dev, &err));
    g_test_add_func("/kvm-exit/hcall/all-registers", test_hcall_all_registers);
    g_test_add_func("/kvm-exit/hcall/unknown", test_hcall_unknown);
    g_test_add_func("/kvm-exit/hcall/reaches-device", test_hcall_reaches_device);
    g_test_add_func("/kvm-exit/mmio/read-sizes", test_mmio_read_sizes);
    g_test_add_func("/kvm-exit/mmio/write-sizes", test_mmio_write_sizes);
    g_test_add_func("/kvm-exit/mmio/misaligned", test_mmio_misaligned);
    g_test_add_func("/kvm-exit/mmio/hole", test_mmio_hole);
    g_test_add_func("/kvm-exit/mmio/bad-length", test_mmio_bad_length);
    g_test_add_func("/kvm-exit/actions", test_exit_actions);
    g_test_add_func("/kvm-exit/fail-entry", test_fail_entry);
    g_test_add_func("/kvm-exit/internal-error", test_internal_error);
    g_test_add_func("/kvm-exit/unknown-reasons", test_unknown_reasons);
    return g_test_run();
}

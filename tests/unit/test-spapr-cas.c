/*
 * H_CAS, H_UPDATE_DT and H_HOME_NODE_ASSOCIATIVITY with the option vectors Linux 6.1 sends,
 * checked against the trees QEMU 7.2 gave the same kernel; the device tree around them.
 */
#include "spapr-test-machine.h"
#include "spapr-cas-vectors.h"
#include "qemu/units.h"
#include <libfdt.h>

#define RAM (1 * GiB)
#define VEC_ADDR 0x10000
#define BUF_ADDR 0x100000
#define BUF_SIZE 0x200000
#define RTAS_ADDR 0x3fde0000

static const char *const xics_props[] = { "ic-mode=xics", NULL };

/* A machine as reset leaves it: CAS state, tree built and published. */
static SpaprMachineState *cas_machine(const char *cpu, const char *const *props)
{
    SpaprMachineState *m = test_machine_new(RAM, 1, NULL, props);

    if (cpu) {
        SpaprCaps user = { 0 };

        m->cpu_model = ppc_cpu_model_find(cpu);
        g_assert_nonnull(m->cpu_model);
        ppc_cpu_free(m->cpus[0]);
        m->cpus[0] = ppc_cpu_create(m->cpu_model, 0);
        user.max_compat_pvr = m->caps.max_compat_pvr;
        spapr_caps_free(&m->caps);
        spapr_caps_resolve(&m->caps, m->version, &user, spapr_caps_cpu_max_pvr(m->cpu_model->name));
        m->caps.ic_mode = SPAPR_IC_MODE_XICS;
    }
    m->maxmem = RAM;
    m->rtas_addr = RTAS_ADDR;
    m->rtas_size = 0x814;
    spapr_cas_reset(m);
    m->fdt_blob = spapr_build_fdt(m, &m->fdt_size);
    g_assert_nonnull(m->fdt_blob);
    m->fdt_initial_size = m->fdt_size;
    return m;
}

static void cas_machine_free(SpaprMachineState *m)
{
    g_free(m->fdt_blob);
    test_machine_free(m);
}

static target_ulong h_cas(SpaprMachineState *m, target_ulong vec, target_ulong buf,
                          target_ulong size)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { vec, buf, size };

    return test_hcall(m, 0, KVMPPC_H_CAS, args);
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
    int node = fdt_path_offset(fdt, path);

    g_assert_cmpint(node, >=, 0);
    return fdt_getprop(fdt, node, name, len);
}

/* A property equals the given bytes. */
static void assert_prop_bytes(const void *fdt, const char *path, const char *name,
                              const uint8_t *want, int want_len)
{
    int len = -1;
    const void *v = prop(fdt, path, name, &len);

    g_assert_nonnull(v);
    g_assert_cmpmem(v, len, want, want_len);
}

/* A property equals the given 32-bit cells. */
static void assert_prop_cells(const void *fdt, const char *path, const char *name,
                              const uint32_t *cells, int n)
{
    fdt32_t want[16];

    g_assert_cmpint(n, <=, 16);
    for (int i = 0; i < n; i++) {
        want[i] = cpu_to_fdt32(cells[i]);
    }
    assert_prop_bytes(fdt, path, name, (const uint8_t *)want, n * 4);
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *name)
{
    int len = -1;
    const fdt32_t *v = prop(fdt, path, name, &len);

    g_assert_nonnull(v);
    g_assert_cmpint(len, ==, 4);
    return fdt32_to_cpu(*v);
}

#define CELLS(...) (const uint32_t[]){ __VA_ARGS__ }, sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4
#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/*
 * The tree QEMU 7.2 returned to Linux 6.1 at CAS with ic-mode=xics on
 * POWER9: ISA 3.00, radix with GTSE, form 2 affinity.  Vector 5 byte 6 is
 * 0x05: hot-plug events (0x04) and HPT resizing (0x01).
 */
static void test_linux_power9(void)
{
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    uint8_t hdr[4];
    void *fdt;

    guest_write(VEC_ADDR, linux_vec_xics, sizeof(linux_vec_xics));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);

    guest_read(BUF_ADDR, hdr, 4);
    g_assert_cmpmem(hdr, 4, ((const uint8_t[]){ 1, 0, 0, 0 }), 4);
    /* After a 4-byte header: copied out, as libfdt wants 8-byte alignment. */
    fdt = g_malloc(m->fdt_size);
    guest_read(BUF_ADDR + 4, fdt, m->fdt_size);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpuint(fdt_totalsize(fdt), ==, m->fdt_size);
    g_assert_cmpmem(fdt, fdt_totalsize(fdt), m->fdt_blob, m->fdt_size);
    g_assert_cmpint(fdt_num_mem_rsv(fdt), ==, 0);

    assert_prop_bytes(fdt, "/chosen", "ibm,architecture-vec-5",
                      BYTES(0x19, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00,
                            0x40, 0x00, 0x40));
    assert_prop_cells(fdt, "/chosen", "ibm,arch-vec-5-platform-support",
                      CELLS(0x170018c0, 0x19001a40));
    g_assert_cmpuint(prop_u32(fdt, "/cpus/PowerPC,POWER9@0", "cpu-version"), ==, 0x0f000005);
    assert_prop_cells(fdt, "/rtas", "ibm,associativity-reference-points", CELLS(1));
    assert_prop_cells(fdt, "/rtas", "ibm,max-associativity-domains", CELLS(1, 1));
    assert_prop_cells(fdt, "/rtas", "ibm,numa-lookup-index-table", CELLS(1, 0));
    assert_prop_bytes(fdt, "/rtas", "ibm,numa-distance-table", BYTES(0, 0, 0, 1, 10));
    assert_prop_cells(fdt, "/rtas", "ibm,lrdr-capacity", CELLS(0, 0, 0, 0x10000000, 1));
    assert_prop_cells(fdt, "/memory@0", "ibm,associativity", CELLS(1, 0));
    g_assert_cmpuint(m->cas.compat_pvr, ==, 0x0f000005);
    g_assert_true(spapr_cas_isa300(m));
    g_free(fdt);
    cas_machine_free(m);
}

/* -cpu power8: hash only; QEMU 7.2 agreed to level 2.07. */
static void test_linux_power8(void)
{
    SpaprMachineState *m = cas_machine("power8", NULL);
    const void *fdt;
    int len;

    assert_prop_cells(m->fdt_blob, "/chosen", "ibm,arch-vec-5-platform-support",
                      CELLS(0x17001800, 0x19001a40));
    guest_write(VEC_ADDR, linux_vec_power8, sizeof(linux_vec_power8));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    fdt = m->fdt_blob;
    assert_prop_bytes(fdt, "/chosen", "ibm,architecture-vec-5",
                      BYTES(0x15, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80));
    g_assert_cmpuint(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "cpu-version"), ==, 0x0f000004);
    g_assert_nonnull(prop(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pa-features", &len));
    g_assert_cmpint(len, ==, 26);
    cas_machine_free(m);
}

/*
 * max-cpu-compat=power8 on POWER9: the tree starts at 2.07 (no radix
 * offered, the 2.07 features), and CAS stays there.
 */
static void test_max_compat(void)
{
    static const char *const props[] = { "ic-mode=xics", "max-cpu-compat=power8", NULL };
    SpaprMachineState *m = cas_machine(NULL, props);
    const char *cpu = "/cpus/PowerPC,POWER9@0";
    int len;

    g_assert_cmpuint(prop_u32(m->fdt_blob, cpu, "cpu-version"), ==, 0x0f000004);
    assert_prop_cells(m->fdt_blob, "/chosen", "ibm,arch-vec-5-platform-support",
                      CELLS(0x17001800, 0x19001a40));
    g_assert_nonnull(prop(m->fdt_blob, cpu, "ibm,pa-features", &len));
    g_assert_cmpint(len, ==, 26);
    guest_write(VEC_ADDR, linux_vec_power8, sizeof(linux_vec_power8));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_cmpuint(prop_u32(m->fdt_blob, cpu, "cpu-version"), ==, 0x0f000004);
    g_assert_false(spapr_cas_isa300(m));
    cas_machine_free(m);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* Vector 1 byte 3 build_block writes: ISA 3.00 and 3.1 listed (Linux's 0xc0). */
static uint8_t ov1_isa3 = 0xc0;

/* A PVR list then vectors 1 and 5 (ov5 bytes given), ending the list with the terminator. */
static size_t build_block(uint8_t *b, const uint32_t *pvrs, unsigned npairs, const uint8_t *ov5,
                          unsigned ov5_len, unsigned nvec)
{
    size_t n = 0;

    for (unsigned i = 0; i < 2 * npairs; i++) {
        put_be32(b + n, pvrs[i]);
        n += 4;
    }
    put_be32(b + n, 0xfffffffe);
    put_be32(b + n + 4, 0x0f000001);
    n += 8;
    b[n++] = nvec - 1;
    b[n++] = 2; /* vector 1: three bytes, ISA 3.00 listed */
    b[n++] = 0;
    b[n++] = 0xff;
    b[n++] = ov1_isa3;
    for (unsigned v = 2; v < nvec && v < 5; v++) {
        b[n++] = 0; /* vectors 2-4: one zero byte */
        b[n++] = 0;
    }
    if (nvec >= 5) {
        b[n++] = ov5_len - 1;
        memcpy(b + n, ov5, ov5_len);
        n += ov5_len;
    }
    return n;
}

/* The guest lists only the processor's own PVR: raw mode, cpu-version is the PVR. */
static void test_raw_mode(void)
{
    static const uint32_t pvrs[] = { 0xffff0000, 0x004e0000 };
    static const uint8_t ov5[] = { 0, 0, 0, 0, 0x80 };
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    uint8_t block[128];
    size_t n = build_block(block, pvrs, 1, ov5, sizeof(ov5), 5);

    guest_write(VEC_ADDR, block, n);
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_cmpuint(m->cas.compat_pvr, ==, 0);
    g_assert_cmpuint(prop_u32(m->fdt_blob, "/cpus/PowerPC,POWER9@0", "cpu-version"), ==,
                     m->cpu_model->pvr);
    /* Form 1 only: the form 1 tree, and a one-byte vector 5 with it. */
    assert_prop_bytes(m->fdt_blob, "/chosen", "ibm,architecture-vec-5",
                      BYTES(0x04, 0x00, 0x00, 0x00, 0x00, 0x80));
    assert_prop_cells(m->fdt_blob, "/rtas", "ibm,associativity-reference-points", CELLS(4, 4, 2));
    assert_prop_cells(m->fdt_blob, "/memory@0", "ibm,associativity", CELLS(4, 0, 0, 0, 0));
    cas_machine_free(m);
}

/* Nothing both sides accept: H_HARDWARE, and the machine as it was. */
static void test_no_common_level(void)
{
    static const uint32_t foreign[] = { 0xffff0000, 0x003f0000 };
    static const uint32_t newer[] = { 0xffffffff, 0x0f000005 };
    static const char *const props[] = { "ic-mode=xics", "max-cpu-compat=power8", NULL };
    static const uint8_t ov5[] = { 0 };
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    uint8_t block[128];
    void *blob = m->fdt_blob;

    guest_write(VEC_ADDR, block, build_block(block, foreign, 1, ov5, 1, 5));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_HARDWARE);
    g_assert_true(m->fdt_blob == blob);
    g_assert_false(m->cas.done);
    cas_machine_free(m);

    /* 3.00 alone while max-cpu-compat=power8 holds the processor at 2.07. */
    m = cas_machine(NULL, props);
    guest_write(VEC_ADDR, block, build_block(block, newer, 1, ov5, 1, 5));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_HARDWARE);
    g_assert_cmpuint(m->cas.compat_pvr, ==, 0x0f000004);
    cas_machine_free(m);
}

/* Every bad block or buffer: H_PARAMETER, nothing written, nothing changed. */
static void test_bad_arguments(void)
{
    static const uint32_t pvrs[] = { 0xffffffff, 0x0f000005 };
    static const uint8_t ov5[] = { 0, 0, 0, 0, 0x80 };
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    uint8_t block[128], zero[64] = { 0 }, got[64];
    void *blob = m->fdt_blob;
    size_t n;

    /* The block outside RAM, or running off its end. */
    g_assert_cmpint(h_cas(m, RAM, BUF_ADDR, BUF_SIZE), ==, H_PARAMETER);
    g_assert_cmpint(h_cas(m, RAM + 0x10000, BUF_ADDR, BUF_SIZE), ==, H_PARAMETER);
    guest_write(RAM - 100, linux_vec_xics, 100);
    g_assert_cmpint(h_cas(m, RAM - 100, BUF_ADDR, BUF_SIZE), ==, H_PARAMETER);
    n = build_block(block, pvrs, 1, ov5, sizeof(ov5), 5);
    guest_write(RAM - (n - 2), block, n - 2);
    g_assert_cmpint(h_cas(m, RAM - (n - 2), BUF_ADDR, BUF_SIZE), ==, H_PARAMETER);

    /* No vector 5 (only vectors 1 to 4). */
    guest_write(VEC_ADDR, block, build_block(block, pvrs, 1, ov5, sizeof(ov5), 4));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_PARAMETER);

    /* A good block, but a buffer too small for the tree, or outside RAM. */
    guest_write(VEC_ADDR, linux_vec_xics, sizeof(linux_vec_xics));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, 64), ==, H_PARAMETER);
    g_assert_cmpint(h_cas(m, VEC_ADDR, RAM - 0x100, BUF_SIZE), ==, H_PARAMETER);
    g_assert_cmpint(h_cas(m, VEC_ADDR, RAM + 0x1000, BUF_SIZE), ==, H_PARAMETER);
    guest_read(BUF_ADDR, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), zero, sizeof(zero));
    guest_read(RAM - 0x100, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), zero, sizeof(zero));
    g_assert_true(m->fdt_blob == blob);
    g_assert_false(m->cas.done);
    g_assert_cmpuint(m->cas.compat_pvr, ==, 0);
    cas_machine_free(m);
}

/* Another processor running: QEMU refuses with H_MULTI_THREADS_ACTIVE. */
static void test_other_cpu_running(void)
{
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    PowerPCCPU *second = ppc_cpu_create(m->cpu_model, 1);
    PowerPCCPU **cpus = g_new0(PowerPCCPU *, 2);

    cpus[0] = m->cpus[0];
    cpus[1] = second;
    g_free(m->cpus);
    m->cpus = cpus;
    m->smp_cpus = 2;
    guest_write(VEC_ADDR, linux_vec_xics, sizeof(linux_vec_xics));
    second->halted = false;
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_MULTI_THREADS_ACTIVE);
    second->halted = true;
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    cas_machine_free(m);
}

/* What QEMU 7.2 stops the machine for: XIVE (Linux asks when offered both), both MMUs. */
static void test_fatal_requests(void)
{
    if (g_test_subprocess()) {
        SpaprMachineState *m = cas_machine(NULL, xics_props);
        const char *which = g_getenv("CAS_FATAL");

        if (!strcmp(which, "xive")) {
            guest_write(VEC_ADDR, linux_vec_dual, sizeof(linux_vec_dual));
        } else {
            static const uint32_t pvrs[] = { 0xffffffff, 0x0f000005 };
            uint8_t ov5[24] = { 0 }, block[128];

            ov5[OV5_MMU_BYTE - 1] = OV5_MMU_BOTH;
            guest_write(VEC_ADDR, block, build_block(block, pvrs, 1, ov5, sizeof(ov5), 5));
        }
        h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE);
        return;
    }
    g_setenv("CAS_FATAL", "xive", TRUE);
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*: Guest requested unavailable interrupt mode "
                              "(XIVE)*");
    g_setenv("CAS_FATAL", "mmu", TRUE);
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*: guest requested hash and radix MMU*");
}

/*
 * The tree before CAS: reserved ranges for the kernel, initrd and RTAS,
 * form 1 affinity, and ibm,lrdr-capacity's hot-plug ceiling (QEMU 7.2:
 * -m 1536M,maxmem=4G reaches 4.5 GiB).
 */
static void test_reset_tree(void)
{
    SpaprMachineState *m = test_machine_new(RAM + 512 * MiB, 1, NULL, xics_props);
    uint64_t addr, size;
    void *fdt;
    uint32_t n;

    m->maxmem = 4 * GiB;
    m->kernel_addr = 0x400000;
    m->kernel_size = 0x287ca18;
    m->initrd_base = 0x2c90000;
    m->initrd_size = 0x123456;
    m->rtas_addr = RTAS_ADDR;
    m->rtas_size = 0x814;
    spapr_cas_reset(m);
    fdt = spapr_build_fdt(m, &n);
    g_assert_nonnull(fdt);
    g_assert_cmpint(fdt_num_mem_rsv(fdt), ==, 3);
    fdt_get_mem_rsv(fdt, 0, &addr, &size);
    g_assert_cmpuint(addr, ==, 0x400000);
    g_assert_cmpuint(size, ==, 0x287ca18);
    fdt_get_mem_rsv(fdt, 1, &addr, &size);
    g_assert_cmpuint(addr, ==, 0x2c90000);
    g_assert_cmpuint(size, ==, 0x123456);
    fdt_get_mem_rsv(fdt, 2, &addr, &size);
    g_assert_cmpuint(addr, ==, RTAS_ADDR);
    g_assert_cmpuint(size, ==, 0x814);
    assert_prop_bytes(fdt, "/chosen", "ibm,architecture-vec-5", BYTES(0, 0));
    assert_prop_cells(fdt, "/rtas", "ibm,lrdr-capacity", CELLS(1, 0x20000000, 0, 0x10000000, 1));
    assert_prop_cells(fdt, "/rtas", "ibm,associativity-reference-points", CELLS(4, 4, 2));
    assert_prop_cells(fdt, "/rtas", "ibm,max-associativity-domains", CELLS(4, 0, 0, 0, 1));
    assert_prop_cells(fdt, "/memory@0", "ibm,associativity", CELLS(4, 0, 0, 0, 0));
    g_assert_cmpuint(prop_u32(fdt, "/ibm,persistent-memory", "#address-cells"), ==, 1);
    g_free(fdt);
    test_machine_free(m);
}

static target_ulong h_update_dt(SpaprMachineState *m, target_ulong addr)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { addr };

    return test_hcall(m, 0, KVMPPC_H_UPDATE_DT, args);
}

/* H_UPDATE_DT takes a whole tree of at most twice the size last given. */
static void test_update_dt(void)
{
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    uint32_t initial = m->fdt_initial_size;
    void *blob = m->fdt_blob;
    void *fdt = g_malloc0(4 * initial);

    g_assert_cmpint(fdt_open_into(m->fdt_blob, fdt, 4 * initial), ==, 0);
    g_assert_cmpint(fdt_setprop_string(fdt, 0, "slof,from-fdt", "yes"), ==, 0);
    fdt_pack(fdt);
    guest_write(BUF_ADDR, fdt, fdt_totalsize(fdt));
    g_assert_cmpint(h_update_dt(m, BUF_ADDR), ==, H_SUCCESS);
    g_assert_cmpuint(m->fdt_size, ==, fdt_totalsize(fdt));
    g_assert_cmpstr(prop(m->fdt_blob, "/", "slof,from-fdt", NULL), ==, "yes");
    blob = m->fdt_blob;

    /* Too big (2x + 1), broken, outside RAM: refused, the copy kept. */
    fdt_open_into(m->fdt_blob, fdt, 2 * initial + 8);
    fdt_set_totalsize(fdt, 2 * initial + 8);
    guest_write(BUF_ADDR, fdt, 2 * initial + 8);
    g_assert_cmpint(h_update_dt(m, BUF_ADDR), ==, H_PARAMETER);
    guest_write(BUF_ADDR, blob, m->fdt_size);
    guest_stl_be(BUF_ADDR + 8, 0xfffffff0); /* structure block offset */
    g_assert_cmpint(h_update_dt(m, BUF_ADDR), ==, H_PARAMETER);
    g_assert_cmpint(h_update_dt(m, RAM - 4), ==, H_PARAMETER);
    g_assert_cmpint(h_update_dt(m, RAM - 64), ==, H_PARAMETER);
    g_assert_true(m->fdt_blob == blob);
    g_free(fdt);
    cas_machine_free(m);
}

static target_ulong home_node(SpaprMachineState *m, target_ulong flags, target_ulong procno,
                              target_ulong *out)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { flags, procno };
    target_ulong ret = test_hcall(m, 0, H_HOME_NODE_ASSOCIATIVITY, args);

    memcpy(out, args, 6 * sizeof(*out));
    return ret;
}

/*
 * After Linux's CAS (form 2) QEMU 7.2 answered processor 0 with r4 = 0
 * (node 0, processor 0) and all-ones after; with form 1 the four levels
 * come first.
 */
static void test_home_node(void)
{
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    target_ulong out[6];
    const target_ulong ones = ~(target_ulong)0;

    g_assert_cmpint(home_node(m, 1, 0, out), ==, H_SUCCESS);
    g_assert_cmpuint(out[0], ==, 0);
    g_assert_cmpuint(out[1], ==, 0);
    g_assert_cmpuint(out[2], ==, 0x00000000ffffffffULL);
    g_assert_cmpuint(out[3], ==, ones);
    g_assert_cmpuint(out[5], ==, ones);
    guest_write(VEC_ADDR, linux_vec_xics, sizeof(linux_vec_xics));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_cmpint(home_node(m, 1, 0, out), ==, H_SUCCESS);
    g_assert_cmpuint(out[0], ==, 0);
    for (int i = 1; i < 6; i++) {
        g_assert_cmpuint(out[i], ==, ones);
    }
    g_assert_cmpint(home_node(m, 0, 0, out), ==, H_FUNCTION);
    g_assert_cmpint(home_node(m, 2, 0, out), ==, H_FUNCTION);
    g_assert_cmpint(home_node(m, 1, 1, out), ==, H_P2);
    g_assert_cmpint(home_node(m, 1, ones, out), ==, H_P2);
    cas_machine_free(m);
}

/*
 * A guest that lists no ISA 3.00 in vector 1 does not see the radix bit of
 * ibm,pa-features (byte 40 after the header), as on QEMU 7.2.
 */
static void test_pre_isa3_guest(void)
{
    static const uint32_t pvrs[] = { 0xffffffff, 0x0f000004 };
    static const uint8_t ov5[] = { 0 };
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    const char *cpu = "/cpus/PowerPC,POWER9@0";
    const uint8_t *pa;
    uint8_t block[128];
    int len;

    pa = prop(m->fdt_blob, cpu, "ibm,pa-features", &len);
    g_assert_cmpint(len, ==, 68);
    g_assert_cmphex(pa[42], ==, 0x80);
    ov1_isa3 = 0;
    guest_write(VEC_ADDR, block, build_block(block, pvrs, 1, ov5, sizeof(ov5), 5));
    ov1_isa3 = 0xc0;
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_true(m->cas.pre_isa3_guest);
    /* Level 2.07 agreed: the 2.07 feature bytes, which have no byte 40. */
    pa = prop(m->fdt_blob, cpu, "ibm,pa-features", &len);
    g_assert_cmpint(len, ==, 26);
    cas_machine_free(m);

    /* Raw mode (the processor's own PVR), still no 3.00 in vector 1. */
    m = cas_machine(NULL, xics_props);
    {
        static const uint32_t raw[] = { 0xffff0000, 0x004e0000 };

        ov1_isa3 = 0;
        guest_write(VEC_ADDR, block, build_block(block, raw, 1, ov5, sizeof(ov5), 5));
        ov1_isa3 = 0xc0;
    }
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    pa = prop(m->fdt_blob, cpu, "ibm,pa-features", &len);
    g_assert_cmpint(len, ==, 68);
    g_assert_cmphex(pa[42], ==, 0x00);
    cas_machine_free(m);
}

/*
 * A partition that registered a radix process table and then asks for hash
 * at CAS leaves radix: a fresh hashed page table, no partition-table entry,
 * LPCR[HR] and [UPRT] clear.
 */
static void test_back_to_hash(void)
{
    static const uint32_t pvrs[] = { 0xffffffff, 0x0f000005 };
    static const uint8_t ov5[] = { 0 };
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    CPUPPCState *env = &m->cpus[0]->env;
    uint8_t block[128];

    m->patb_entry = PPC_BIT(0) | 0x3e000000 | 0xc;
    ppc_store_lpcr(m->cpus[0], env->spr[SPR_LPCR] | LPCR_HR | LPCR_UPRT | LPCR_GTSE);
    guest_write(VEC_ADDR, block, build_block(block, pvrs, 1, ov5, sizeof(ov5), 5));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_cmphex(m->patb_entry, ==, 0);
    g_assert_nonnull(m->htab);
    g_assert_cmphex(env->spr[SPR_LPCR] & (LPCR_HR | LPCR_UPRT), ==, 0);
    g_assert_cmphex(env->spr[SPR_LPCR] & LPCR_GTSE, ==, LPCR_GTSE);
    spapr_hpt_free(m);
    cas_machine_free(m);
}

/*
 * With room to plug memory (maxmem 2G over 1G of RAM), CAS adds
 * /ibm,dynamic-reconfiguration-memory: QEMU 7.2's answer to Linux 6.1 (v2
 * runs, form 2), and the one-entry-per-block form for a guest without v2.
 */
static void test_drconf_memory(void)
{
    static const uint32_t pvrs[] = { 0xffffffff, 0x0f000005 };
    static const uint8_t ov5[] = { 0, 0x20, 0, 0, 0x80 };
    const char *drconf = "/ibm,dynamic-reconfiguration-memory";
    SpaprMachineState *m = cas_machine(NULL, xics_props);
    const fdt32_t *cells;
    uint8_t block[128];
    int len;

    m->maxmem = 2 * GiB;
    g_assert_cmpint(fdt_path_offset(m->fdt_blob, drconf), <, 0);
    guest_write(VEC_ADDR, linux_vec_xics, sizeof(linux_vec_xics));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    assert_prop_cells(
        m->fdt_blob, drconf, "ibm,dynamic-memory-v2",
        CELLS(2, 4, 0, 0, 0, 0xffffffff, 0xa0, 4, 0, 0x40000000, 0x80000004, 0xffffffff, 0));
    assert_prop_cells(m->fdt_blob, drconf, "ibm,associativity-lookup-arrays", CELLS(1, 1, 0));
    assert_prop_cells(m->fdt_blob, drconf, "ibm,lmb-size", CELLS(0, 0x10000000));
    assert_prop_cells(m->fdt_blob, drconf, "ibm,memory-flags-mask", CELLS(0xff));
    assert_prop_cells(m->fdt_blob, drconf, "ibm,memory-preservation-time", CELLS(0));
    cas_machine_free(m);

    m = cas_machine(NULL, xics_props);
    m->maxmem = 2 * GiB;
    guest_write(VEC_ADDR, block, build_block(block, pvrs, 1, ov5, sizeof(ov5), 5));
    g_assert_cmpint(h_cas(m, VEC_ADDR, BUF_ADDR, BUF_SIZE), ==, H_SUCCESS);
    g_assert_null(prop(m->fdt_blob, drconf, "ibm,dynamic-memory-v2", NULL));
    cells = prop(m->fdt_blob, drconf, "ibm,dynamic-memory", &len);
    g_assert_nonnull(cells);
    g_assert_cmpint(len, ==, (1 + 8 * 6) * 4);
    g_assert_cmpuint(fdt32_to_cpu(cells[0]), ==, 8);
    /* Block 3 (RAM): reserved, no connector; block 4 (pluggable): its DRC, empty. */
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 3 * 6 + 1]), ==, 0x30000000);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 3 * 6 + 2]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 3 * 6 + 5]), ==, 0xa0);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 4 * 6 + 1]), ==, 0x40000000);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 4 * 6 + 2]), ==, 0x80000004);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 4 * 6 + 4]), ==, 0xffffffff);
    g_assert_cmphex(fdt32_to_cpu(cells[1 + 4 * 6 + 5]), ==, 0);
    assert_prop_cells(m->fdt_blob, drconf, "ibm,associativity-lookup-arrays",
                      CELLS(1, 4, 0, 0, 0, 0));
    cas_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-cas/linux-power9", test_linux_power9);
    g_test_add_func("/spapr-cas/linux-power8", test_linux_power8);
    g_test_add_func("/spapr-cas/max-cpu-compat", test_max_compat);
    g_test_add_func("/spapr-cas/raw-mode", test_raw_mode);
    g_test_add_func("/spapr-cas/no-common-level", test_no_common_level);
    g_test_add_func("/spapr-cas/bad-arguments", test_bad_arguments);
    g_test_add_func("/spapr-cas/other-cpu-running", test_other_cpu_running);
    g_test_add_func("/spapr-cas/fatal-requests", test_fatal_requests);
    g_test_add_func("/spapr-cas/reset-tree", test_reset_tree);
    g_test_add_func("/spapr-cas/update-dt", test_update_dt);
    g_test_add_func("/spapr-cas/home-node", test_home_node);
    g_test_add_func("/spapr-cas/pre-isa3-guest", test_pre_isa3_guest);
    g_test_add_func("/spapr-cas/back-to-hash", test_back_to_hash);
    g_test_add_func("/spapr-cas/drconf-memory", test_drconf_memory);
    return g_test_run();
}

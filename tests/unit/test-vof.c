/*
 * Unit tests of the VOF client interface: every service and its bad-argument
 * cases, driven through vof_client_call() on a hand-built tree and fake RAM.
 */
#include "hw/ppc/vof.h"
#include "exec/guest-memory.h"
#include <libfdt.h>

#define RAM_SIZE (16 * 1024 * 1024)
/* Where the tests put the argument block, the service name and their data. */
#define BLOCK 0x1000
#define NAME 0x1100
#define STR 0x2000
#define STR2 0x2400
#define BUF 0x3000
#define PH_IC 0x1111 /* the interrupt controller comes with its own phandle */
#define FILL 0xa5

static Vof vof;

/* What the machine hooks saw. */
static GString *console;
static unsigned setprop_calls, cas_calls, quiesce_calls, exit_calls, boot_calls;
static uint32_t cas_vec, cas_ret;
static char *boot_spec;
static char *refused_prop;

static int64_t t_write(Vof *v, const char *path, const uint8_t *buf, uint32_t len)
{
    if (strcmp(path, "/vdevice/vty@71000000")) {
        return -1;
    }
    g_string_append_len(console, (const char *)buf, len);
    return len;
}

static int64_t t_read(Vof *v, const char *path, uint8_t *buf, uint32_t len)
{
    return strcmp(path, "/vdevice/vty@71000000") ? -1 : 0;
}

static bool t_setprop(Vof *v, const char *path, const char *name, const void *val, uint32_t len)
{
    setprop_calls++;
    return !refused_prop || strcmp(name, refused_prop);
}

static uint32_t t_cas(Vof *v, uint32_t vec)
{
    cas_calls++;
    cas_vec = vec;
    return cas_ret;
}

static bool t_rtas(Vof *v, uint32_t base, uint32_t *entry)
{
    if (!guest_range_valid(base, 20)) {
        return false;
    }
    *entry = base + 4;
    return true;
}

static uint32_t t_ms(Vof *v)
{
    return 12345;
}

static void t_quiesce(Vof *v)
{
    quiesce_calls++;
}

static void t_exit(Vof *v)
{
    exit_calls++;
}

static void t_boot(Vof *v, const char *spec)
{
    boot_calls++;
    g_free(boot_spec);
    boot_spec = g_strdup(spec);
}

static const VofMachineOps test_ops = {
    .setprop = t_setprop,
    .write = t_write,
    .read = t_read,
    .cas = t_cas,
    .instantiate_rtas = t_rtas,
    .milliseconds = t_ms,
    .quiesce = t_quiesce,
    .exit = t_exit,
    .boot = t_boot,
};

/* A small pseries-like tree: 64 MiB of memory, one console, RTAS, a CPU. */
static void *build_tree(void)
{
    void *fdt = g_malloc0(8192);
    int node, vdev;

    g_assert_cmpint(fdt_create_empty_tree(fdt, 8192), ==, 0);
    fdt_setprop_u32(fdt, 0, "#address-cells", 2);
    fdt_setprop_u32(fdt, 0, "#size-cells", 2);
    fdt_setprop_string(fdt, 0, "compatible", "qemu,pseries");
    node = fdt_add_subnode(fdt, 0, "interrupt-controller");
    fdt_setprop_u32(fdt, node, "phandle", PH_IC);
    node = fdt_add_subnode(fdt, 0, "memory@0");
    fdt_setprop_string(fdt, node, "device_type", "memory");
    fdt_setprop_u64(fdt, node, "reg", 0);
    fdt_appendprop_u64(fdt, node, "reg", 64 * 1024 * 1024);
    vdev = fdt_add_subnode(fdt, 0, "vdevice");
    node = fdt_add_subnode(fdt, vdev, "vty@71000000");
    fdt_setprop_string(fdt, node, "device_type", "serial");
    node = fdt_add_subnode(fdt, vdev, "l-lan@7100000a");
    fdt_setprop_string(fdt, node, "device_type", "network");
    node = fdt_add_subnode(fdt, 0, "cpus");
    node = fdt_add_subnode(fdt, node, "PowerPC,POWER9@0");
    /* 32 characters: longer than IEEE 1275 allows, as QEMU's tree has it */
    fdt_setprop_u32(fdt, node, "ibm,processor-radix-AP-encodings", 0xc);
    fdt_setprop_u32(fdt, node, "reg", 0);
    node = fdt_add_subnode(fdt, 0, "rtas");
    fdt_setprop_u32(fdt, node, "rtas-size", 0x82c);
    node = fdt_add_subnode(fdt, 0, "chosen");
    fdt_setprop_string(fdt, node, "bootargs", "console=hvc0");
    fdt_setprop_string(fdt, node, "stdout-path", "/vdevice/vty@71000000");
    g_assert_cmpint(fdt_pack(fdt), ==, 0);
    return fdt;
}

static void setup(void)
{
    g_autofree void *fdt = build_tree();

    guest_ram_init(RAM_SIZE);
    console = g_string_new("");
    setprop_calls = cas_calls = quiesce_calls = exit_calls = boot_calls = 0;
    cas_ret = 0;
    refused_prop = NULL;
    memset(&vof, 0, sizeof(vof));
    vof_init(&vof, &test_ops, NULL, RAM_SIZE, 8 * 1024 * 1024);
    g_assert_cmphex(vof_claim(&vof, 0, VOF_FW_SIZE, 0), ==, 0);
    g_assert_cmphex(vof_claim(&vof, 0, VOF_STACK_SIZE, VOF_STACK_SIZE), ==, 0x8000);
    vof.stdout_path = g_strdup("/vdevice/vty@71000000");
    g_assert_true(vof_adopt_tree(&vof, fdt));
}

static void teardown(void)
{
    vof_cleanup(&vof);
    g_string_free(console, true);
    g_free(boot_spec);
    boot_spec = NULL;
    guest_ram_free();
}

static void put_str(uint64_t addr, const char *s)
{
    g_assert_true(guest_write(addr, s, strlen(s) + 1));
}

static uint32_t ld32(uint64_t addr)
{
    uint32_t v;

    g_assert_true(guest_ldl_be(addr, &v));
    return v;
}

/*
 * Call service with the cells in args; results land in rets (nret of them,
 * the first the status).  Returns the status (or 0xdeadbeef without results).
 */
static uint32_t call_at(uint64_t block, const char *service, uint32_t nargs, const uint32_t *args,
                        uint32_t nret, uint32_t *rets)
{
    put_str(NAME, service);
    guest_stl_be(block, NAME);
    guest_stl_be(block + 4, nargs);
    guest_stl_be(block + 8, nret);
    for (uint32_t i = 0; i < nargs; i++) {
        guest_stl_be(block + 12 + 4 * i, args[i]);
    }
    for (uint32_t i = 0; i < nret; i++) {
        guest_stl_be(block + 12 + 4 * (nargs + i), 0xdeadbeef);
    }
    g_assert_true(vof_client_call(&vof, block));
    for (uint32_t i = 0; i < nret; i++) {
        rets[i] = ld32(block + 12 + 4 * (nargs + i));
    }
    return nret ? rets[0] : 0xdeadbeef;
}

#define CALL(svc, nret, ...)                                                                       \
    ({                                                                                             \
        const uint32_t a_[] = { __VA_ARGS__ };                                                     \
        uint32_t r_[VOF_MAX_CELLS];                                                                \
        call_at(BLOCK, svc, ARRAY_SIZE(a_), a_, nret, r_);                                         \
    })
#define CALL0(svc)                                                                                 \
    ({                                                                                             \
        uint32_t r_[1];                                                                            \
        call_at(BLOCK, svc, 0, NULL, 1, r_);                                                       \
    })

static uint32_t finddevice(const char *path)
{
    put_str(STR, path);
    return CALL("finddevice", 1, STR);
}

static int node_of(const char *path)
{
    int off = fdt_path_offset(vof.fdt, path);

    g_assert_cmpint(off, >=, 0);
    return off;
}

static uint32_t phandle_of(const char *path)
{
    return fdt_get_phandle(vof.fdt, node_of(path));
}

/* Fill n bytes at addr with FILL. */
static void fill(uint64_t addr, uint32_t n)
{
    g_assert_true(guest_memset(addr, FILL, n));
}

static bool untouched(uint64_t addr, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b;

        g_assert_true(guest_ldub(addr + i, &b));
        if (b != FILL) {
            return false;
        }
    }
    return true;
}

/* ---- The argument block ------------------------------------------------- */

static void test_block_bad(void)
{
    uint32_t before;

    setup();
    /* The block itself outside RAM, or straddling its end */
    g_assert_false(vof_client_call(&vof, RAM_SIZE));
    g_assert_false(vof_client_call(&vof, RAM_SIZE - 8));
    g_assert_false(vof_client_call(&vof, UINT64_MAX - 4));
    /* Too many cells: nothing is written */
    put_str(NAME, "milliseconds");
    guest_stl_be(BLOCK, NAME);
    guest_stl_be(BLOCK + 4, 11);
    guest_stl_be(BLOCK + 8, 1);
    fill(BLOCK + 12, 64);
    g_assert_false(vof_client_call(&vof, BLOCK));
    g_assert_true(untouched(BLOCK + 12, 64));
    guest_stl_be(BLOCK + 4, 4);
    guest_stl_be(BLOCK + 8, 7);
    g_assert_false(vof_client_call(&vof, BLOCK));
    g_assert_true(untouched(BLOCK + 12, 64));
    guest_stl_be(BLOCK + 4, 0xffffffff);
    guest_stl_be(BLOCK + 8, 2);
    g_assert_false(vof_client_call(&vof, BLOCK));
    /* The service name outside RAM, or not terminated within 64 bytes */
    guest_stl_be(BLOCK + 4, 0);
    guest_stl_be(BLOCK + 8, 1);
    guest_stl_be(BLOCK, RAM_SIZE - 2);
    fill(RAM_SIZE - 2, 2);
    g_assert_false(vof_client_call(&vof, BLOCK));
    fill(NAME, 64);
    guest_stl_be(BLOCK, NAME);
    g_assert_false(vof_client_call(&vof, BLOCK));
    g_assert_true(untouched(BLOCK + 12, 64));
    /* Results beyond RAM: the service does not run (this claim is not made). */
    before = vof.claimed->len;
    put_str(NAME, "claim");
    guest_stl_be(RAM_SIZE - 20, NAME);
    guest_stl_be(RAM_SIZE - 16, 3);
    guest_stl_be(RAM_SIZE - 12, 1);
    guest_stl_be(RAM_SIZE - 8, 0x100000);
    guest_stl_be(RAM_SIZE - 4, 0x1000);
    g_assert_false(vof_client_call(&vof, RAM_SIZE - 20));
    g_assert_cmpuint(vof.claimed->len, ==, before);
    teardown();
}

static void test_block_counts(void)
{
    uint32_t rets[3];
    const uint32_t args[2] = { 0, 0 };

    setup();
    g_assert_cmphex(CALL0("no-such-service"), ==, VOF_ERROR);
    /* A known service with the wrong counts */
    g_assert_cmphex(call_at(BLOCK, "milliseconds", 1, args, 1, rets), ==, VOF_ERROR);
    g_assert_cmphex(call_at(BLOCK, "milliseconds", 0, NULL, 2, rets), ==, VOF_ERROR);
    g_assert_cmphex(rets[1], ==, 0);
    g_assert_cmphex(call_at(BLOCK, "finddevice", 2, args, 1, rets), ==, VOF_ERROR);
    /* No results asked: none written */
    fill(BLOCK + 12, 16);
    put_str(NAME, "milliseconds");
    guest_stl_be(BLOCK, NAME);
    guest_stl_be(BLOCK + 4, 0);
    guest_stl_be(BLOCK + 8, 0);
    g_assert_true(vof_client_call(&vof, BLOCK));
    g_assert_true(untouched(BLOCK + 12, 16));
    /* The block may sit at the very end of RAM */
    put_str(NAME, "milliseconds");
    guest_stl_be(RAM_SIZE - 16, NAME);
    guest_stl_be(RAM_SIZE - 12, 0);
    guest_stl_be(RAM_SIZE - 8, 1);
    g_assert_true(vof_client_call(&vof, RAM_SIZE - 16));
    g_assert_cmpuint(ld32(RAM_SIZE - 4), ==, 12345);
    teardown();
}

/* ---- Tree ----------------------------------------------------------------- */

static void test_phandles(void)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    uint32_t expect = PH_IC;

    setup();
    /* Every node has one, unique; new ones count up from the largest in tree order. */
    for (int off = fdt_next_node(vof.fdt, -1, NULL); off >= 0;
         off = fdt_next_node(vof.fdt, off, NULL)) {
        uint32_t ph = fdt_get_phandle(vof.fdt, off);
        const char *name = fdt_get_name(vof.fdt, off, NULL);

        g_assert_cmphex(ph, !=, 0);
        g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(ph)));
        g_hash_table_add(seen, GUINT_TO_POINTER(ph));
        if (strcmp(name, "interrupt-controller")) {
            g_assert_cmphex(ph, ==, ++expect);
        } else {
            g_assert_cmphex(ph, ==, PH_IC);
        }
    }
    g_assert_cmphex(phandle_of("/"), ==, PH_IC + 1);
    teardown();
}

static void test_finddevice(void)
{
    char longpath[300];

    setup();
    g_assert_cmphex(finddevice("/"), ==, phandle_of("/"));
    g_assert_cmphex(finddevice("/chosen"), ==, phandle_of("/chosen"));
    g_assert_cmphex(finddevice("/vdevice/vty@71000000"), ==, phandle_of("/vdevice/vty@71000000"));
    /* Unit addresses in upper case, or left out */
    g_assert_cmphex(finddevice("/vdevice/l-lan@7100000A"), ==,
                    phandle_of("/vdevice/l-lan@7100000a"));
    g_assert_cmphex(finddevice("/vdevice/vty"), ==, phandle_of("/vdevice/vty@71000000"));
    g_assert_cmphex(finddevice("/vdevice/vtpm"), ==, VOF_ERROR);
    g_assert_cmphex(finddevice("/nonexistent"), ==, VOF_ERROR);
    /* The string outside RAM, or longer than a path may be */
    g_assert_cmphex(CALL("finddevice", 1, RAM_SIZE), ==, VOF_ERROR);
    g_assert_cmphex(CALL("finddevice", 1, 0xfffffff0), ==, VOF_ERROR);
    memset(longpath, 'a', sizeof(longpath));
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = 0;
    g_assert_cmphex(finddevice(longpath), ==, VOF_ERROR);
    /* A string running into the end of RAM */
    fill(RAM_SIZE - 8, 8);
    g_assert_cmphex(CALL("finddevice", 1, RAM_SIZE - 8), ==, VOF_ERROR);
    teardown();
}

static void test_getprop(void)
{
    uint32_t chosen, vty;
    char buf[64];

    setup();
    chosen = phandle_of("/chosen");
    vty = phandle_of("/vdevice/vty@71000000");
    put_str(STR, "bootargs");
    fill(BUF, 64);
    g_assert_cmpuint(CALL("getprop", 1, chosen, STR, BUF, 64), ==, 13);
    g_assert_true(guest_read(BUF, buf, 13));
    g_assert_cmpstr(buf, ==, "console=hvc0");
    g_assert_true(untouched(BUF + 13, 51));
    /* A short buffer: only that much is copied, the full size returned. */
    fill(BUF, 64);
    g_assert_cmpuint(CALL("getprop", 1, chosen, STR, BUF, 4), ==, 13);
    g_assert_true(guest_read(BUF, buf, 4));
    g_assert_cmpmem(buf, 4, "cons", 4);
    g_assert_true(untouched(BUF + 4, 60));
    /* A huge buffer length copies the property only */
    fill(BUF, 64);
    g_assert_cmpuint(CALL("getprop", 1, chosen, STR, BUF, 0xffffffff), ==, 13);
    g_assert_true(untouched(BUF + 13, 51));
    /* "name" comes from the node name, without the unit address */
    put_str(STR, "name");
    fill(BUF, 64);
    g_assert_cmpuint(CALL("getprop", 1, vty, STR, BUF, 64), ==, 4);
    g_assert_true(guest_read(BUF, buf, 4));
    g_assert_cmpstr(buf, ==, "vty");
    g_assert_true(untouched(BUF + 4, 60));
    /* Absent, bad phandles, bad strings and buffers: -1, nothing written */
    put_str(STR, "no-such-prop");
    fill(BUF, 64);
    g_assert_cmphex(CALL("getprop", 1, chosen, STR, BUF, 64), ==, VOF_ERROR);
    put_str(STR, "bootargs");
    g_assert_cmphex(CALL("getprop", 1, 0, STR, BUF, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("getprop", 1, 0xffffffff, STR, BUF, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("getprop", 1, 0x7777, STR, BUF, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("getprop", 1, chosen, RAM_SIZE + 4, BUF, 64), ==, VOF_ERROR);
    g_assert_true(untouched(BUF, 64));
    g_assert_cmphex(CALL("getprop", 1, chosen, STR, RAM_SIZE - 4, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("getprop", 1, chosen, STR, 0xfffffffc, 64), ==, VOF_ERROR);
    fill(RAM_SIZE - 8, 8);
    g_assert_cmphex(CALL("getprop", 1, chosen, STR, RAM_SIZE - 8, 64), ==, VOF_ERROR);
    g_assert_true(untouched(RAM_SIZE - 8, 8));
    /* A property name longer than 63 characters */
    put_str(STR, "a-property-name-of-sixty-four-characters-which-no-tree-here-has0");
    g_assert_cmphex(CALL("getprop", 1, chosen, STR, BUF, 64), ==, VOF_ERROR);
    teardown();
}

static void test_getproplen(void)
{
    uint32_t chosen;

    setup();
    chosen = phandle_of("/chosen");
    put_str(STR, "stdout-path");
    g_assert_cmpuint(CALL("getproplen", 1, chosen, STR), ==, 22);
    put_str(STR, "name");
    g_assert_cmpuint(CALL("getproplen", 1, chosen, STR), ==, 7);
    g_assert_cmpuint(CALL("getproplen", 1, phandle_of("/"), STR), ==, 1);
    put_str(STR, "nope");
    g_assert_cmphex(CALL("getproplen", 1, chosen, STR), ==, VOF_ERROR);
    put_str(STR, "stdout-path");
    g_assert_cmphex(CALL("getproplen", 1, 0x4242, STR), ==, VOF_ERROR);
    g_assert_cmphex(CALL("getproplen", 1, chosen, RAM_SIZE), ==, VOF_ERROR);
    teardown();
}

static void test_setprop(void)
{
    uint32_t rtas, chosen;
    const void *val;
    int len;

    setup();
    rtas = phandle_of("/rtas");
    chosen = phandle_of("/chosen");
    put_str(STR, "linux,rtas-base");
    guest_stl_be(BUF, 0x2fff0000);
    g_assert_cmpuint(CALL("setprop", 1, rtas, STR, BUF, 4), ==, 4);
    val = fdt_getprop(vof.fdt, node_of("/rtas"), "linux,rtas-base", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(*(const fdt32_t *)val), ==, 0x2fff0000);
    g_assert_cmpuint(setprop_calls, ==, 1);
    /* An empty value */
    put_str(STR, "linux,flag");
    g_assert_cmpuint(CALL("setprop", 1, rtas, STR, BUF, 0), ==, 0);
    g_assert_nonnull(fdt_getprop(vof.fdt, node_of("/rtas"), "linux,flag", &len));
    g_assert_cmpint(len, ==, 0);
    /* Refused, too long, out of RAM, bad phandle: -1, nothing stored */
    put_str(STR, "refuse-me");
    refused_prop = "refuse-me";
    g_assert_cmphex(CALL("setprop", 1, rtas, STR, BUF, 4), ==, VOF_ERROR);
    put_str(STR, "new-prop");
    g_assert_cmphex(CALL("setprop", 1, rtas, STR, BUF, VOF_MAX_SETPROPLEN + 1), ==, VOF_ERROR);
    g_assert_cmphex(CALL("setprop", 1, rtas, STR, RAM_SIZE - 2, 4), ==, VOF_ERROR);
    g_assert_cmphex(CALL("setprop", 1, rtas, STR, BUF, 0xffffffff), ==, VOF_ERROR);
    g_assert_cmphex(CALL("setprop", 1, 0x999, STR, BUF, 4), ==, VOF_ERROR);
    g_assert_cmphex(CALL("setprop", 1, rtas, RAM_SIZE, BUF, 4), ==, VOF_ERROR);
    g_assert_null(fdt_getprop(vof.fdt, node_of("/rtas"), "refuse-me", NULL));
    g_assert_null(fdt_getprop(vof.fdt, node_of("/rtas"), "new-prop", NULL));
    /* Many large values: the tree grows */
    guest_memset(BUF, 'x', VOF_MAX_SETPROPLEN);
    for (int i = 0; i < 100; i++) {
        char name[32];

        snprintf(name, sizeof(name), "big-%d", i);
        put_str(STR, name);
        g_assert_cmpuint(CALL("setprop", 1, chosen, STR, BUF, VOF_MAX_SETPROPLEN), ==,
                         VOF_MAX_SETPROPLEN);
    }
    g_assert_nonnull(fdt_getprop(vof.fdt, node_of("/chosen"), "big-0", &len));
    g_assert_cmpint(len, ==, VOF_MAX_SETPROPLEN);
    g_assert_cmpint(fdt_check_header(vof.fdt), ==, 0);
    teardown();
}

/* bootargs the client sets survive a rebuild of the tree (CAS). */
static void test_setprop_bootargs_kept(void)
{
    g_autofree void *fresh = build_tree();
    const char *val;

    setup();
    put_str(STR, "bootargs");
    put_str(BUF, "console=hvc0 quiet");
    g_assert_cmpuint(CALL("setprop", 1, phandle_of("/chosen"), STR, BUF, 19), ==, 19);
    g_assert_true(vof_adopt_tree(&vof, fresh));
    val = fdt_getprop(vof.fdt, node_of("/chosen"), "bootargs", NULL);
    g_assert_cmpstr(val, ==, "console=hvc0 quiet");
    teardown();
}

static void test_nextprop(void)
{
    uint32_t chosen;
    int off, n = 0;
    char name[64];

    setup();
    chosen = phandle_of("/chosen");
    /* The client walks the same properties, in the same order, as libfdt. */
    put_str(STR, "");
    fdt_for_each_property_offset(off, vof.fdt, node_of("/chosen"))
    {
        const char *expect;

        fdt_getprop_by_offset(vof.fdt, off, &expect, NULL);
        g_assert_cmpuint(CALL("nextprop", 1, chosen, STR, BUF), ==, 1);
        g_assert_true(vof_read_string(BUF, name, sizeof(name)));
        g_assert_cmpstr(name, ==, expect);
        put_str(STR, name);
        n++;
    }
    g_assert_cmpint(n, >=, 4); /* bootargs, stdout-path, phandle, stdout */
    g_assert_cmpuint(CALL("nextprop", 1, chosen, STR, BUF), ==, 0);
    /* Names longer than IEEE 1275's 31 characters still walk and read */
    put_str(STR, "reg");
    g_assert_cmpuint(CALL("nextprop", 1, phandle_of("/cpus/PowerPC,POWER9@0"), STR, BUF), ==, 1);
    g_assert_true(vof_read_string(BUF, name, sizeof(name)));
    g_assert_cmpstr(name, ==, "ibm,processor-radix-AP-encodings");
    g_assert_cmpuint(CALL("getproplen", 1, phandle_of("/cpus/PowerPC,POWER9@0"), BUF), ==, 4);
    /* An unknown previous name, a bad phandle, bad buffers */
    put_str(STR, "not-there");
    g_assert_cmphex(CALL("nextprop", 1, chosen, STR, BUF), ==, VOF_ERROR);
    put_str(STR, "");
    g_assert_cmphex(CALL("nextprop", 1, 0x5555, STR, BUF), ==, VOF_ERROR);
    g_assert_cmphex(CALL("nextprop", 1, chosen, RAM_SIZE, BUF), ==, VOF_ERROR);
    g_assert_cmphex(CALL("nextprop", 1, chosen, STR, RAM_SIZE - 3), ==, VOF_ERROR);
    teardown();
}

static void test_peer_child_parent(void)
{
    uint32_t root, vdev, vty, lan, chosen;

    setup();
    root = phandle_of("/");
    vdev = phandle_of("/vdevice");
    vty = phandle_of("/vdevice/vty@71000000");
    lan = phandle_of("/vdevice/l-lan@7100000a");
    chosen = phandle_of("/chosen");
    /* libfdt adds a node before its older siblings: the tree reads chosen, rtas, ... */
    g_assert_cmphex(CALL("peer", 1, 0), ==, root);
    g_assert_cmphex(CALL("peer", 1, root), ==, 0);
    g_assert_cmphex(CALL("child", 1, root), ==, chosen);
    g_assert_cmphex(CALL("peer", 1, chosen), ==, phandle_of("/rtas"));
    g_assert_cmphex(CALL("child", 1, vdev), ==, lan);
    g_assert_cmphex(CALL("peer", 1, lan), ==, vty);
    g_assert_cmphex(CALL("peer", 1, vty), ==, 0);
    g_assert_cmphex(CALL("child", 1, vty), ==, 0);
    g_assert_cmphex(CALL("peer", 1, phandle_of("/interrupt-controller")), ==, 0);
    g_assert_cmphex(CALL("parent", 1, lan), ==, vdev);
    g_assert_cmphex(CALL("parent", 1, vdev), ==, root);
    g_assert_cmphex(CALL("parent", 1, root), ==, 0);
    /* Bad phandles end a walk: 0 */
    g_assert_cmphex(CALL("peer", 1, 0x9999), ==, 0);
    g_assert_cmphex(CALL("child", 1, 0x9999), ==, 0);
    g_assert_cmphex(CALL("child", 1, 0), ==, 0);
    g_assert_cmphex(CALL("parent", 1, 0xffffffff), ==, 0);
    teardown();
}

static void test_package_to_path(void)
{
    uint32_t vty;
    char buf[64];

    setup();
    vty = phandle_of("/vdevice/vty@71000000");
    fill(BUF, 64);
    g_assert_cmpuint(CALL("package-to-path", 1, vty, BUF, 64), ==, 21);
    g_assert_true(vof_read_string(BUF, buf, sizeof(buf)));
    g_assert_cmpstr(buf, ==, "/vdevice/vty@71000000");
    g_assert_true(untouched(BUF + 22, 42));
    /* Never beyond buflen */
    fill(BUF, 64);
    g_assert_cmpuint(CALL("package-to-path", 1, vty, BUF, 8), ==, 21);
    g_assert_true(guest_read(BUF, buf, 8));
    g_assert_cmpmem(buf, 8, "/vdevice", 8);
    g_assert_true(untouched(BUF + 8, 56));
    fill(BUF, 64);
    g_assert_cmpuint(CALL("package-to-path", 1, vty, BUF, 0), ==, 21);
    g_assert_true(untouched(BUF, 64));
    g_assert_cmpuint(CALL("package-to-path", 1, phandle_of("/"), BUF, 64), ==, 1);
    g_assert_true(vof_read_string(BUF, buf, sizeof(buf)));
    g_assert_cmpstr(buf, ==, "/");
    /* Bad phandle, buffer outside RAM */
    fill(BUF, 64);
    g_assert_cmphex(CALL("package-to-path", 1, 0x4321, BUF, 64), ==, VOF_ERROR);
    g_assert_true(untouched(BUF, 64));
    fill(RAM_SIZE - 8, 8);
    g_assert_cmphex(CALL("package-to-path", 1, vty, RAM_SIZE - 8, 64), ==, VOF_ERROR);
    g_assert_true(untouched(RAM_SIZE - 8, 8));
    teardown();
}

static void test_canon(void)
{
    char buf[64];

    setup();
    put_str(STR, "/vdevice/l-lan@7100000A");
    g_assert_cmpuint(CALL("canon", 1, STR, BUF, 64), ==, 23);
    g_assert_true(vof_read_string(BUF, buf, sizeof(buf)));
    g_assert_cmpstr(buf, ==, "/vdevice/l-lan@7100000a");
    put_str(STR, "/vdevice/l-lan");
    g_assert_cmpuint(CALL("canon", 1, STR, BUF, 64), ==, 23);
    put_str(STR, "/nothing");
    g_assert_cmphex(CALL("canon", 1, STR, BUF, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("canon", 1, RAM_SIZE, BUF, 64), ==, VOF_ERROR);
    put_str(STR, "/vdevice");
    g_assert_cmphex(CALL("canon", 1, STR, RAM_SIZE, 64), ==, VOF_ERROR);
    teardown();
}

/* ---- Instances -------------------------------------------------------------- */

static void test_open_close(void)
{
    uint32_t ih, stdout_ih;
    const void *val;
    char buf[64];

    setup();
    /* /chosen stdout: the console, opened when the tree was served */
    val = fdt_getprop(vof.fdt, node_of("/chosen"), "stdout", NULL);
    g_assert_nonnull(val);
    stdout_ih = fdt32_to_cpu(*(const fdt32_t *)val);
    g_assert_cmpuint(stdout_ih, ==, 1);
    g_assert_cmphex(CALL("instance-to-package", 1, stdout_ih), ==,
                    phandle_of("/vdevice/vty@71000000"));
    put_str(STR, "/rtas");
    ih = CALL("open", 1, STR);
    g_assert_cmpuint(ih, ==, 2);
    g_assert_cmphex(CALL("instance-to-package", 1, ih), ==, phandle_of("/rtas"));
    g_assert_cmpuint(CALL("instance-to-path", 1, ih, BUF, 64), ==, 5);
    g_assert_true(vof_read_string(BUF, buf, sizeof(buf)));
    g_assert_cmpstr(buf, ==, "/rtas");
    /* Every open gives a new ihandle; closed ones are gone */
    g_assert_cmpuint(CALL("open", 1, STR), ==, 3);
    CALL("close", 0, ih);
    g_assert_cmphex(CALL("instance-to-package", 1, ih), ==, VOF_ERROR);
    g_assert_cmphex(CALL("instance-to-path", 1, ih, BUF, 64), ==, VOF_ERROR);
    g_assert_cmphex(CALL("close", 1, ih), ==, VOF_ERROR);
    g_assert_cmphex(CALL("instance-to-package", 1, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("instance-to-path", 1, 3, RAM_SIZE, 64), ==, VOF_ERROR);
    /* Bad paths */
    put_str(STR, "/nowhere");
    g_assert_cmphex(CALL("open", 1, STR), ==, VOF_ERROR);
    g_assert_cmphex(CALL("open", 1, RAM_SIZE - 1), ==, VOF_ERROR);
    teardown();
}

static void test_write_read_seek(void)
{
    uint32_t ih;

    setup();
    put_str(BUF, "Preparing to boot Linux");
    g_assert_cmpuint(CALL("write", 1, 1, BUF, 23), ==, 23);
    g_assert_cmpstr(console->str, ==, "Preparing to boot Linux");
    /* More than one chunk */
    guest_memset(0x10000, 'z', 10000);
    g_assert_cmpuint(CALL("write", 1, 1, 0x10000, 10000), ==, 10000);
    g_assert_cmpuint(console->len, ==, 10023);
    g_assert_cmpuint(CALL("write", 1, 1, BUF, 0), ==, 0);
    /* Bad ihandle, range outside RAM, huge length: nothing goes out */
    g_string_truncate(console, 0);
    g_assert_cmphex(CALL("write", 1, 77, BUF, 4), ==, VOF_ERROR);
    g_assert_cmphex(CALL("write", 1, 1, RAM_SIZE - 4, 8), ==, VOF_ERROR);
    g_assert_cmphex(CALL("write", 1, 1, BUF, 0xffffffff), ==, VOF_ERROR);
    g_assert_cmphex(CALL("write", 1, 1, 0xfffffff0, 0x20), ==, VOF_ERROR);
    g_assert_cmpuint(console->len, ==, 0);
    /* A device that takes no output */
    put_str(STR, "/rtas");
    ih = CALL("open", 1, STR);
    g_assert_cmphex(CALL("write", 1, ih, BUF, 4), ==, VOF_ERROR);
    /* read: nothing waiting on the console; errors as for write */
    fill(BUF, 16);
    g_assert_cmpuint(CALL("read", 1, 1, BUF, 16), ==, 0);
    g_assert_true(untouched(BUF, 16));
    g_assert_cmphex(CALL("read", 1, ih, BUF, 16), ==, VOF_ERROR);
    g_assert_cmphex(CALL("read", 1, 99, BUF, 16), ==, VOF_ERROR);
    g_assert_cmphex(CALL("read", 1, 1, RAM_SIZE - 4, 16), ==, VOF_ERROR);
    /* seek: the console has no position */
    g_assert_cmphex(CALL("seek", 1, 1, 0, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("seek", 1, 99, 0, 0), ==, VOF_ERROR);
    teardown();
}

/* ---- Memory ---------------------------------------------------------------- */

/* /memory@0 "available" as (start, size) pairs of two cells each. */
static GArray *available(void)
{
    GArray *a = g_array_new(false, false, sizeof(uint64_t));
    const fdt32_t *c;
    int len;

    c = fdt_getprop(vof.fdt, node_of("/memory@0"), "available", &len);
    g_assert_nonnull(c);
    g_assert_cmpint(len % 16, ==, 0);
    for (int i = 0; i < len / 4; i += 2) {
        uint64_t v = ((uint64_t)fdt32_to_cpu(c[i]) << 32) | fdt32_to_cpu(c[i + 1]);

        g_array_append_val(a, v);
    }
    return a;
}

static void assert_available(const uint64_t *expect, unsigned n)
{
    g_autoptr(GArray) a = available();

    g_assert_cmpuint(a->len, ==, n);
    for (unsigned i = 0; i < n; i++) {
        g_assert_cmphex(g_array_index(a, uint64_t, i), ==, expect[i]);
    }
}

static void test_claim_release(void)
{
    static const uint64_t at_start[] = { 0xda0, 0x8000 - 0xda0, 0x10000, 0x4000000 - 0x10000 };
    static const uint64_t after[] = { 0xda0,    0x8000 - 0xda0, 0x10000,
                                      0x3f0000, 0x500000,       0x4000000 - 0x500000 };

    setup();
    assert_available(at_start, 4);
    g_assert_cmphex(CALL("claim", 1, 0x400000, 0x100000, 0), ==, 0x400000);
    assert_available(after, 6);
    /* Overlapping, empty, outside RAM, wrapping: refused, map unchanged */
    g_assert_cmphex(CALL("claim", 1, 0x4ff000, 0x2000, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, 0x3ff000, 0x2000, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, 0x600000, 0, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, RAM_SIZE - 0x1000, 0x2000, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, 0xfffff000, 0x2000, 0), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, 0x100, 0xffffffff, 0), ==, VOF_ERROR);
    assert_available(after, 6);
    /* The last page of RAM can be claimed */
    g_assert_cmphex(CALL("claim", 1, RAM_SIZE - 0x1000, 0x1000, 0), ==, RAM_SIZE - 0x1000);
    /* Aligned claims: from the end of the highest claim, below top_addr (8 MiB here) */
    g_assert_cmphex(CALL("release", 1, RAM_SIZE - 0x1000, 0x1000), ==, 0);
    vof.claimed_base = 0x500000;
    g_assert_cmphex(CALL("claim", 1, 0, 0x10000, 0x100000), ==, 0x500000);
    g_assert_cmphex(CALL("claim", 1, 0, 0x10000, 0x100000), ==, 0x600000);
    g_assert_cmphex(CALL("claim", 1, 0, 0x200000, 0x100000), ==, VOF_ERROR);
    g_assert_cmphex(CALL("claim", 1, 0, 0x100000, 0x100000), ==, 0x700000);
    g_assert_cmphex(CALL("claim", 1, 0, 0x1000, 0x1000), ==, VOF_ERROR);
    /* release: only as claimed */
    g_assert_cmphex(CALL("release", 1, 0x400000, 0x1000), ==, VOF_ERROR);
    g_assert_cmphex(CALL("release", 1, 0x400001, 0x100000), ==, VOF_ERROR);
    g_assert_cmphex(CALL("release", 1, 0x700000, 0x100000), ==, 0);
    g_assert_cmphex(CALL("release", 1, 0x600000, 0x10000), ==, 0);
    g_assert_cmphex(CALL("release", 1, 0x500000, 0x10000), ==, 0);
    g_assert_cmphex(CALL("release", 1, 0x500000, 0x10000), ==, VOF_ERROR);
    assert_available(after, 6);
    g_assert_cmphex(CALL("release", 1, 0x400000, 0x100000), ==, 0);
    assert_available(at_start, 4);
    teardown();
}

/* ---- Methods and the rest --------------------------------------------------- */

static void test_call_method(void)
{
    uint32_t rets[3];
    uint32_t root_ih, rtas_ih;

    setup();
    put_str(STR, "/");
    root_ih = CALL("open", 1, STR);
    put_str(STR, "/rtas");
    rtas_ih = CALL("open", 1, STR);
    put_str(STR, "ibm,client-architecture-support");
    {
        const uint32_t a[] = { STR, root_ih, 0x2b20c80 };

        g_assert_cmphex(call_at(BLOCK, "call-method", 3, a, 2, rets), ==, 0);
        g_assert_cmphex(rets[1], ==, 0);
        g_assert_cmpuint(cas_calls, ==, 1);
        g_assert_cmphex(cas_vec, ==, 0x2b20c80);
        cas_ret = 0xfffffffe;
        g_assert_cmphex(call_at(BLOCK, "call-method", 3, a, 2, rets), ==, 0xfffffffe);
    }
    {
        /* CAS on another instance, or without the vector: not a method there */
        const uint32_t a[] = { STR, rtas_ih, 0x2b20c80 };
        const uint32_t b[] = { STR, root_ih };

        g_assert_cmphex(call_at(BLOCK, "call-method", 3, a, 2, rets), ==, VOF_ERROR);
        g_assert_cmphex(call_at(BLOCK, "call-method", 2, b, 2, rets), ==, VOF_ERROR);
        g_assert_cmpuint(cas_calls, ==, 2);
    }
    put_str(STR, "instantiate-rtas");
    {
        const uint32_t a[] = { STR, rtas_ih, 0x800000 };
        const uint32_t b[] = { STR, rtas_ih, RAM_SIZE };
        const uint32_t c[] = { STR, root_ih, 0x800000 };

        g_assert_cmphex(call_at(BLOCK, "call-method", 3, a, 2, rets), ==, 0);
        g_assert_cmphex(rets[1], ==, 0x800004);
        g_assert_cmphex(call_at(BLOCK, "call-method", 3, b, 2, rets), ==, VOF_ERROR);
        g_assert_cmphex(call_at(BLOCK, "call-method", 3, c, 2, rets), ==, VOF_ERROR);
    }
    {
        const uint32_t bad_ih[] = { STR, 1234, 0 };
        const uint32_t bad_str[] = { RAM_SIZE, rtas_ih, 0 };
        const uint32_t one[] = { STR };

        g_assert_cmphex(call_at(BLOCK, "call-method", 3, bad_ih, 2, rets), ==, VOF_ERROR);
        g_assert_cmphex(call_at(BLOCK, "call-method", 3, bad_str, 2, rets), ==, VOF_ERROR);
        g_assert_cmphex(call_at(BLOCK, "call-method", 1, one, 1, rets), ==, VOF_ERROR);
        put_str(STR, "no-such-method");
        g_assert_cmphex(call_at(BLOCK, "call-method", 3, bad_ih, 2, rets), ==, VOF_ERROR);
    }
    put_str(STR, "see");
    g_assert_cmphex(CALL("interpret", 1, STR), ==, VOF_ERROR);
    teardown();
}

static void test_misc(void)
{
    setup();
    g_assert_cmpuint(CALL0("milliseconds"), ==, 12345);
    put_str(STR, "getprop");
    g_assert_cmpuint(CALL("test", 1, STR), ==, 0);
    put_str(STR, "frobnicate");
    g_assert_cmphex(CALL("test", 1, STR), ==, VOF_ERROR);
    g_assert_cmphex(CALL("test", 1, RAM_SIZE), ==, VOF_ERROR);
    put_str(STR, "disk:2");
    CALL("boot", 0, STR);
    g_assert_cmpuint(boot_calls, ==, 1);
    g_assert_cmpstr(boot_spec, ==, "disk:2");
    g_assert_cmphex(CALL("boot", 1, RAM_SIZE), ==, VOF_ERROR);
    g_assert_cmpuint(boot_calls, ==, 1);
    {
        uint32_t r[1];

        call_at(BLOCK, "exit", 0, NULL, 0, r);
        g_assert_cmpuint(exit_calls, ==, 1);
    }
    teardown();
}

static void test_quiesce(void)
{
    uint32_t r[1];
    uint32_t before;

    setup();
    before = fdt_totalsize(vof.fdt);
    call_at(BLOCK, "quiesce", 0, NULL, 0, r);
    g_assert_cmpuint(quiesce_calls, ==, 1);
    g_assert_true(vof.quiesced);
    /* Packed: no free space left at the end */
    g_assert_cmpuint(fdt_totalsize(vof.fdt), <, before);
    g_assert_cmpuint(fdt_totalsize(vof.fdt), ==,
                     fdt_off_dt_strings(vof.fdt) + fdt_size_dt_strings(vof.fdt));
    /* Output still works after it (Linux prints its last words) */
    put_str(BUF, "Booting");
    g_assert_cmpuint(CALL("write", 1, 1, BUF, 7), ==, 7);
    g_assert_cmpstr(console->str, ==, "Booting");
    /* and a later setprop still fits */
    put_str(STR, "late");
    g_assert_cmpuint(CALL("setprop", 1, phandle_of("/chosen"), STR, BUF, 7), ==, 7);
    teardown();
}

/* A rebuilt tree keeps the claims and phandles, and opens stdout anew. */
static void test_adopt_rebuild(void)
{
    g_autofree void *fresh = build_tree();
    uint32_t chosen_ph, ih;
    const void *val;
    static const uint64_t avail[] = { 0xda0,    0x8000 - 0xda0, 0x10000,
                                      0x3f0000, 0x500000,       0x4000000 - 0x500000 };

    setup();
    chosen_ph = phandle_of("/chosen");
    g_assert_cmphex(CALL("claim", 1, 0x400000, 0x100000, 0), ==, 0x400000);
    g_assert_true(vof_adopt_tree(&vof, fresh));
    g_assert_cmphex(phandle_of("/chosen"), ==, chosen_ph);
    assert_available(avail, 6);
    val = fdt_getprop(vof.fdt, node_of("/chosen"), "stdout", NULL);
    ih = fdt32_to_cpu(*(const fdt32_t *)val);
    g_assert_cmpuint(ih, ==, 2);
    /* The old console instance still works */
    put_str(BUF, "x");
    g_assert_cmpuint(CALL("write", 1, 1, BUF, 1), ==, 1);
    /* A tree that is not one is refused, the old one kept */
    memset(fresh, 0, 64);
    g_assert_false(vof_adopt_tree(&vof, fresh));
    g_assert_cmphex(phandle_of("/chosen"), ==, chosen_ph);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vof/block/bad", test_block_bad);
    g_test_add_func("/vof/block/counts", test_block_counts);
    g_test_add_func("/vof/tree/phandles", test_phandles);
    g_test_add_func("/vof/tree/finddevice", test_finddevice);
    g_test_add_func("/vof/tree/getprop", test_getprop);
    g_test_add_func("/vof/tree/getproplen", test_getproplen);
    g_test_add_func("/vof/tree/setprop", test_setprop);
    g_test_add_func("/vof/tree/setprop-bootargs-kept", test_setprop_bootargs_kept);
    g_test_add_func("/vof/tree/nextprop", test_nextprop);
    g_test_add_func("/vof/tree/peer-child-parent", test_peer_child_parent);
    g_test_add_func("/vof/tree/package-to-path", test_package_to_path);
    g_test_add_func("/vof/tree/canon", test_canon);
    g_test_add_func("/vof/instance/open-close", test_open_close);
    g_test_add_func("/vof/instance/write-read-seek", test_write_read_seek);
    g_test_add_func("/vof/memory/claim-release", test_claim_release);
    g_test_add_func("/vof/method/call-method", test_call_method);
    g_test_add_func("/vof/misc", test_misc);
    g_test_add_func("/vof/quiesce", test_quiesce);
    g_test_add_func("/vof/tree/rebuild", test_adopt_rebuild);
    return g_test_run();
}

/*
 * The built-in Open Firmware on the real machine (qtest `hcall` H_VOF_CLIENT):
 * the tree served, CAS with Linux 6.1's vectors, instantiate-rtas, time,
 * exit, boot and system reset.
 */
#include "libqtest.h"
#include "../unit/spapr-cas-vectors.h"

#include <string.h>

#define H_SUCCESS 0
#define H_FUNCTION ((uint64_t)-2)
#define H_PARAMETER ((uint64_t)-4)
#define H_VOF_CLIENT 0xf005
#define OF_ERROR 0xffffffffu

#define BLOCK 0x20000
#define NAME 0x20100
#define STR 0x20200
#define BUF 0x21000
#define VEC 0x30000
#define RAM_SIZE 0x40000000ULL

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* One client call: the hypercall's status; rets[] gets the nret results. */
static uint64_t ci(QTestState *s, const char *service, uint32_t nargs, const uint32_t *args,
                   uint32_t nret, uint32_t *rets)
{
    uint64_t hargs[1] = { BLOCK };
    uint64_t ret;

    qtest_bufwrite(s, NAME, service, strlen(service) + 1);
    qtest_writel(s, BLOCK, NAME);
    qtest_writel(s, BLOCK + 4, nargs);
    qtest_writel(s, BLOCK + 8, nret);
    for (uint32_t i = 0; i < nargs; i++) {
        qtest_writel(s, BLOCK + 12 + 4 * i, args[i]);
    }
    ret = qtest_hcall(s, H_VOF_CLIENT, hargs, 1, NULL);
    for (uint32_t i = 0; i < nret; i++) {
        rets[i] = qtest_readl(s, BLOCK + 12 + 4 * (nargs + i));
    }
    return ret;
}

/* A service with one result: that result (the call must succeed). */
static uint32_t ci1(QTestState *s, const char *service, uint32_t nargs, const uint32_t *args)
{
    uint32_t r = 0;

    g_assert_cmphex(ci(s, service, nargs, args, 1, &r), ==, H_SUCCESS);
    return r;
}

static void put_str(QTestState *s, uint64_t addr, const char *str)
{
    qtest_bufwrite(s, addr, str, strlen(str) + 1);
}

static uint32_t finddevice(QTestState *s, const char *path)
{
    put_str(s, STR, path);
    return ci1(s, "finddevice", 1, (uint32_t[]){ STR });
}

/* getprop into BUF; its length (or -1). */
static uint32_t getprop(QTestState *s, uint32_t ph, const char *name, uint8_t *val, uint32_t size)
{
    uint32_t len;

    put_str(s, STR, name);
    len = ci1(s, "getprop", 4, (uint32_t[]){ ph, STR, BUF, size });
    if (len != OF_ERROR && len) {
        qtest_bufread(s, BUF, val, len < size ? len : size);
    }
    return len;
}

static uint32_t getprop_u32(QTestState *s, uint32_t ph, const char *name)
{
    uint8_t v[4];

    g_assert_cmpuint(getprop(s, ph, name, v, 4), ==, 4);
    return be32(v);
}

static uint32_t open_path(QTestState *s, const char *path)
{
    put_str(s, STR, path);
    return ci1(s, "open", 1, (uint32_t[]){ STR });
}

/* Without x-vof=on the hypercall is not served. */
static void test_off(void)
{
    QTestState *s = qtest_init("-m 1G");
    uint64_t args[1] = { BLOCK };

    g_assert_cmphex(qtest_hcall(s, H_VOF_CLIENT, args, 1, NULL), ==, H_FUNCTION);
    qtest_quit(s);
}

/* The tree at reset: /chosen stdout is the console; bad blocks fail the hypercall. */
static void test_tree(void)
{
    QTestState *s = qtest_init("-m 1G -machine x-vof=on");
    uint64_t args[1] = { RAM_SIZE - 4 };
    uint32_t chosen, ih, len;
    char path[64];

    chosen = finddevice(s, "/chosen");
    g_assert_cmphex(chosen, !=, OF_ERROR);
    g_assert_cmphex(getprop_u32(s, chosen, "phandle"), ==, chosen);
    ih = getprop_u32(s, chosen, "stdout");
    g_assert_cmpuint(ih, ==, 1);
    len = ci1(s, "instance-to-path", 3, (uint32_t[]){ ih, BUF, sizeof(path) });
    g_assert_cmpuint(len, ==, strlen("/vdevice/vty@71000000"));
    qtest_bufread(s, BUF, path, len + 1);
    g_assert_cmpstr(path, ==, "/vdevice/vty@71000000");
    /* The block outside RAM, too many cells: H_PARAMETER */
    g_assert_cmphex(qtest_hcall(s, H_VOF_CLIENT, args, 1, NULL), ==, H_PARAMETER);
    qtest_writel(s, BLOCK + 4, 9);
    qtest_writel(s, BLOCK + 8, 2);
    args[0] = BLOCK;
    g_assert_cmphex(qtest_hcall(s, H_VOF_CLIENT, args, 1, NULL), ==, H_PARAMETER);
    /* The top four bits of the address are ignored, as in real mode */
    put_str(s, STR, "/chosen");
    qtest_bufwrite(s, NAME, "finddevice", 11);
    qtest_writel(s, BLOCK, NAME);
    qtest_writel(s, BLOCK + 4, 1);
    qtest_writel(s, BLOCK + 8, 1);
    qtest_writel(s, BLOCK + 12, STR);
    args[0] = 0xc000000000000000ULL | BLOCK;
    g_assert_cmphex(qtest_hcall(s, H_VOF_CLIENT, args, 1, NULL), ==, H_SUCCESS);
    g_assert_cmphex(qtest_readl(s, BLOCK + 16), ==, chosen);
    qtest_quit(s);
}

/* QEMU 7.2's vector 5 answer to Linux 6.1 under ic-mode=xics (see test-cas-qtest.c). */
static const uint8_t vec5_xics[] = { 0x19, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x40, 0x00, 0x40 };

/*
 * call-method ibm,client-architecture-support: the tree served afterwards is
 * the negotiated one; phandles, claims and bootargs survive, and stdout is
 * opened anew (ihandle 3 after the root's 2, as in QEMU's trace).
 */
static void test_cas(void)
{
    QTestState *s = qtest_init("-m 1G -machine x-vof=on,ic-mode=xics");
    uint32_t chosen, root_ih, rets[2];
    uint8_t v[64];

    chosen = finddevice(s, "/chosen");
    g_assert_cmpuint(getprop(s, chosen, "ibm,architecture-vec-5", v, sizeof(v)), ==, 2);
    g_assert_cmphex(ci1(s, "claim", 3, (uint32_t[]){ 0x2fff0000, 0x82c, 0 }), ==, 0x2fff0000);
    put_str(s, BUF + 0x800, "console=hvc0 quiet");
    put_str(s, STR, "bootargs");
    g_assert_cmpuint(ci1(s, "setprop", 4, (uint32_t[]){ chosen, STR, BUF + 0x800, 19 }), ==, 19);
    root_ih = open_path(s, "/");
    g_assert_cmpuint(root_ih, ==, 2);
    qtest_bufwrite(s, VEC, linux_vec_xics, sizeof(linux_vec_xics));
    put_str(s, STR + 0x100, "ibm,client-architecture-support");
    g_assert_cmphex(ci(s, "call-method", 3, (uint32_t[]){ STR + 0x100, root_ih, VEC }, 2, rets), ==,
                    H_SUCCESS);
    g_assert_cmphex(rets[0], ==, 0);
    g_assert_cmphex(rets[1], ==, 0);
    /* The negotiated tree is the one served now */
    g_assert_cmphex(finddevice(s, "/chosen"), ==, chosen);
    g_assert_cmpuint(getprop(s, chosen, "ibm,architecture-vec-5", v, sizeof(v)), ==,
                     sizeof(vec5_xics));
    g_assert_cmpmem(v, sizeof(vec5_xics), vec5_xics, sizeof(vec5_xics));
    g_assert_cmphex(getprop_u32(s, finddevice(s, "/cpus/PowerPC,POWER9@0"), "cpu-version"), ==,
                    0x0f000005);
    g_assert_cmpuint(getprop_u32(s, chosen, "stdout"), ==, 3);
    g_assert_cmpuint(getprop(s, chosen, "bootargs", v, sizeof(v)), ==, 19);
    g_assert_cmpstr((char *)v, ==, "console=hvc0 quiet");
    /* The claim is still there: claiming it again fails */
    g_assert_cmphex(ci1(s, "claim", 3, (uint32_t[]){ 0x2fff0000, 0x1000, 0 }), ==, OF_ERROR);
    /* The old console instance still answers */
    g_assert_cmphex(ci1(s, "instance-to-package", 1, (uint32_t[]){ 1 }), ==,
                    finddevice(s, "/vdevice/vty@71000000"));
    qtest_quit(s);
}

/* instantiate-rtas copies the RTAS entry stub (docs/specs/ppc-spapr-rtas.rst) to the base. */
static void test_instantiate_rtas(void)
{
    static const uint32_t stub[] = { 0x7c641b78, 0x3c600000, 0x6063f000, 0x44000022, 0x4e800020 };
    QTestState *s = qtest_init("-m 1G -machine x-vof=on");
    uint32_t rtas_ih, rets[2];

    g_assert_cmphex(ci1(s, "claim", 3, (uint32_t[]){ 0x2fff0000, 0x82c, 0 }), ==, 0x2fff0000);
    rtas_ih = open_path(s, "/rtas");
    put_str(s, STR + 0x100, "instantiate-rtas");
    g_assert_cmphex(
        ci(s, "call-method", 3, (uint32_t[]){ STR + 0x100, rtas_ih, 0x2fff0000 }, 2, rets), ==,
        H_SUCCESS);
    g_assert_cmphex(rets[0], ==, 0);
    g_assert_cmphex(rets[1], ==, 0x2fff0000);
    for (unsigned i = 0; i < G_N_ELEMENTS(stub); i++) {
        g_assert_cmphex(qtest_readl(s, 0x2fff0000 + 4 * i), ==, stub[i]);
    }
    /* Outside RAM: -1 */
    g_assert_cmphex(
        ci(s, "call-method", 3, (uint32_t[]){ STR + 0x100, rtas_ih, 0xfffffff0 }, 2, rets), ==,
        H_SUCCESS);
    g_assert_cmphex(rets[0], ==, OF_ERROR);
    qtest_quit(s);
}

/* milliseconds follows the virtual clock. */
static void test_milliseconds(void)
{
    QTestState *s = qtest_init("-m 1G -machine x-vof=on");
    uint32_t t0, t1;

    t0 = ci1(s, "milliseconds", 0, NULL);
    qtest_clock_step(s, 2500000000LL);
    t1 = ci1(s, "milliseconds", 0, NULL);
    g_assert_cmpuint(t1 - t0, >=, 2500);
    g_assert_cmpuint(t1 - t0, <, 2600);
    qtest_quit(s);
}

static char *query_status(QTestState *s)
{
    JsonObject *r = qtest_qmp(s, "{\"execute\": \"query-status\"}");
    char *status;

    g_assert_true(json_object_has_member(r, "return"));
    status = g_strdup(
        json_object_get_string_member(json_object_get_object_member(r, "return"), "status"));
    json_object_unref(r);
    return status;
}

/* exit pauses the VM; boot resets the machine, after which the firmware starts afresh. */
static void test_exit_boot_reset(void)
{
    QTestState *s = qtest_init("-m 1G -machine x-vof=on");
    g_autofree char *before = query_status(s);
    g_autofree char *after = NULL;
    uint32_t r[1];
    JsonObject *ev;

    g_assert_cmpstr(before, ==, "running");
    g_assert_cmphex(ci(s, "exit", 0, NULL, 0, r), ==, H_SUCCESS);
    ev = qtest_qmp_eventwait(s, "STOP");
    json_object_unref(ev);
    after = query_status(s);
    g_assert_cmpstr(after, ==, "paused");
    json_object_unref(qtest_qmp(s, "{\"execute\": \"cont\"}"));
    /* Open something, then boot: a reset forgets it */
    g_assert_cmpuint(open_path(s, "/rtas"), ==, 2);
    put_str(s, STR + 0x100, "disk");
    g_assert_cmphex(ci(s, "boot", 1, (uint32_t[]){ STR + 0x100 }, 0, r), ==, H_SUCCESS);
    ev = qtest_qmp_eventwait(s, "RESET");
    json_object_unref(ev);
    g_assert_cmpuint(getprop_u32(s, finddevice(s, "/chosen"), "stdout"), ==, 1);
    g_assert_cmpuint(open_path(s, "/rtas"), ==, 2);
    /* and a system_reset likewise */
    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    g_assert_cmpuint(open_path(s, "/rtas"), ==, 2);
    g_assert_cmpuint(open_path(s, "/rtas"), ==, 3);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vof-qtest/off", test_off);
    g_test_add_func("/vof-qtest/tree", test_tree);
    g_test_add_func("/vof-qtest/cas", test_cas);
    g_test_add_func("/vof-qtest/instantiate-rtas", test_instantiate_rtas);
    g_test_add_func("/vof-qtest/milliseconds", test_milliseconds);
    g_test_add_func("/vof-qtest/exit-boot-reset", test_exit_boot_reset);
    return g_test_run();
}

/*
 * H_CAS through the real binary (qtest `hcall`): Linux 6.1's option vectors, the tree
 * written back, machine types without form 2 affinity, reset, and the requests that stop QEMU.
 */
#include "libqtest.h"
#include "../unit/spapr-cas-vectors.h"

#include <libfdt.h>
#include <string.h>

#define H_SUCCESS 0
#define H_PARAMETER ((uint64_t)-4)
#define H_CAS 0xf002
#define H_HOME_NODE_ASSOCIATIVITY 0x2ec

#define VEC 0x10000
#define BUF 0x1000000
#define BUF_SIZE 0x200000
/* -m 1G: the tree sits 2 MiB below the top of RAM. */
#define FDT_ADDR (0x40000000 - 0x200000)

static uint64_t h_cas(QTestState *s, const uint8_t *vec, size_t len, uint64_t buf, uint64_t size)
{
    uint64_t args[3] = { VEC, buf, size };

    qtest_bufwrite(s, VEC, vec, len);
    return qtest_hcall(s, H_CAS, args, 3, NULL);
}

/* The flattened tree at addr (g_free it). */
static void *read_fdt(QTestState *s, uint64_t addr)
{
    uint8_t hdr[8];
    uint32_t size;
    void *fdt;

    qtest_bufread(s, addr, hdr, sizeof(hdr));
    g_assert_cmphex((uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3], ==, FDT_MAGIC);
    size = (uint32_t)hdr[4] << 24 | hdr[5] << 16 | hdr[6] << 8 | hdr[7];
    g_assert_cmpuint(size, <, BUF_SIZE);
    fdt = g_malloc(size);
    qtest_bufread(s, addr, fdt, size);
    g_assert_cmpint(fdt_check_full(fdt, size), ==, 0);
    return fdt;
}

static void assert_prop(const void *fdt, const char *path, const char *name, const uint8_t *want,
                        int want_len)
{
    int node = fdt_path_offset(fdt, path), len = -1;
    const void *v;

    g_assert_cmpint(node, >=, 0);
    v = fdt_getprop(fdt, node, name, &len);
    g_assert_nonnull(v);
    g_assert_cmpmem(v, len, want, want_len);
}

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/* QEMU 7.2's answer to Linux 6.1 under ic-mode=xics (byte 6: hot-plug events, HPT resizing). */
static const uint8_t vec5_form2[] = { 0x19, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x40, 0x00, 0x40 };

/*
 * The default machine (ic-mode=dual, XICS only here): the tree comes back
 * after the version header, and the vty and the interrupt controller are in it.
 */
static void test_linux_vectors(void)
{
    QTestState *s = qtest_init("-m 1G");
    uint8_t hdr[4];
    void *fdt;

    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), BUF, BUF_SIZE), ==, H_SUCCESS);
    qtest_bufread(s, BUF, hdr, 4);
    g_assert_cmpmem(hdr, 4, ((const uint8_t[]){ 1, 0, 0, 0 }), 4);
    fdt = read_fdt(s, BUF + 4);
    assert_prop(fdt, "/chosen", "ibm,architecture-vec-5", vec5_form2, sizeof(vec5_form2));
    assert_prop(fdt, "/cpus/PowerPC,POWER9@0", "cpu-version", BYTES(0x0f, 0, 0, 5));
    assert_prop(fdt, "/memory@0", "ibm,associativity", BYTES(0, 0, 0, 1, 0, 0, 0, 0));
    assert_prop(fdt, "/vdevice/vty@71000000", "compatible",
                BYTES('h', 'v', 't', 'e', 'r', 'm', '1', 0));
    g_assert_cmpint(fdt_path_offset(fdt, "/interrupt-controller"), >=, 0);
    g_assert_cmpint(fdt_num_mem_rsv(fdt), ==, 0);
    g_free(fdt);
    qtest_quit(s);
}

/* pseries-6.1 offers form 1 affinity only: Linux's form 2 request is not agreed. */
static void test_pseries_6_1(void)
{
    QTestState *s = qtest_init("-m 1G -machine pseries-6.1");
    void *fdt;

    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), BUF, BUF_SIZE), ==, H_SUCCESS);
    fdt = read_fdt(s, BUF + 4);
    assert_prop(fdt, "/chosen", "ibm,architecture-vec-5",
                BYTES(0x19, 0x00, 0x20, 0x00, 0x00, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x40, 0x00,
                      0x40));
    assert_prop(fdt, "/rtas", "ibm,associativity-reference-points",
                BYTES(0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 2));
    g_free(fdt);
    qtest_quit(s);
}

/*
 * A system reset forgets the agreement: the tree in guest memory is the
 * reset one again (empty vector 5, form 1), and so is the home node answer.
 */
static void test_reset(void)
{
    QTestState *s = qtest_init("-m 1G");
    uint64_t args[2] = { 1, 0 }, out[9];
    JsonObject *r;
    void *fdt;

    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), BUF, BUF_SIZE), ==, H_SUCCESS);
    g_assert_cmphex(qtest_hcall(s, H_HOME_NODE_ASSOCIATIVITY, args, 2, out), ==, H_SUCCESS);
    g_assert_cmphex(out[1], ==, ~0ULL);
    r = qtest_qmp(s, "{\"execute\": \"system_reset\"}");
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    fdt = read_fdt(s, FDT_ADDR);
    assert_prop(fdt, "/chosen", "ibm,architecture-vec-5", BYTES(0, 0));
    assert_prop(fdt, "/memory@0", "ibm,associativity",
                BYTES(0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    g_assert_cmphex(qtest_hcall(s, H_HOME_NODE_ASSOCIATIVITY, args, 2, out), ==, H_SUCCESS);
    g_assert_cmphex(out[1], ==, 0);
    g_free(fdt);
    qtest_quit(s);
}

/* A buffer outside RAM: refused, and a later good call still works. */
static void test_bad_buffer(void)
{
    QTestState *s = qtest_init("-m 1G");

    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), 0x40000000, BUF_SIZE), ==,
                    H_PARAMETER);
    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), BUF, 0x100), ==, H_PARAMETER);
    g_assert_cmphex(h_cas(s, linux_vec_xics, sizeof(linux_vec_xics), BUF, BUF_SIZE), ==, H_SUCCESS);
    qtest_quit(s);
}

/*
 * Linux asks for XIVE when the platform offers both controllers (its vector
 * under QEMU's default); XIVE is not offered here, and QEMU 7.2 stops a guest
 * that asks for what it was not offered, with status 1.
 */
static void test_xive_request_stops(void)
{
    static const char line[] = "hcall 0xf002 0x10000 0x1000000 0x200000\n";
    QTestState *s = qtest_init("-m 1G");
    char *err;

    qtest_bufwrite(s, VEC, linux_vec_dual, sizeof(linux_vec_dual));
    qtest_send_raw(s, line, strlen(line));
    g_assert_cmpint(qtest_wait_exit(s), ==, 1);
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, "qemu-system-ppc64: Guest requested unavailable interrupt "
                                 "mode (XIVE), try the ic-mode=xive or ic-mode=dual machine "
                                 "property\n"));
    g_free(err);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cas-qtest/linux-vectors", test_linux_vectors);
    g_test_add_func("/cas-qtest/pseries-6.1", test_pseries_6_1);
    g_test_add_func("/cas-qtest/reset", test_reset);
    g_test_add_func("/cas-qtest/bad-buffer", test_bad_buffer);
    g_test_add_func("/cas-qtest/xive-request-stops", test_xive_request_stops);
    return g_test_run();
}

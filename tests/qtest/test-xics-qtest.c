/*
 * XICS through the real binary: the RTAS source services (qtest `rtas`) and
 * the interrupt hypercalls (qtest `hcall`, as CPU 0) with their errors, and
 * everything forgotten at machine reset.
 */
#include "libqtest.h"

#include <string.h>

#define H_SUCCESS 0
#define H_PARAMETER ((uint64_t)-4)
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_XIRR_X 0x2fc

#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_PARAM_ERROR 0xfffffffdU /* -3 in a 32-bit cell */
#define UNTOUCHED 0xeeeeeeeeU

#define ARGS_ADDR 0x1000
#define RETS_ADDR 0x2000
#define XIRR(cppr, xisr) ((uint64_t)(cppr) << 24 | (xisr))

/* Two processors of four possible: servers 2 and 3 do not exist. */
#define MACHINE_ARGS "-m 256M -smp 2,maxcpus=4"

/* Call a service; returns ret[0], rets[] gets 4 cells (pre-filled). */
static uint32_t rtas(QTestState *s, const char *name, const uint32_t *args, uint32_t nargs,
                     uint32_t *rets, uint32_t nret)
{
    for (uint32_t i = 0; i < nargs; i++) {
        qtest_writel(s, ARGS_ADDR + 4 * i, args[i]);
    }
    for (uint32_t i = 0; i < 4; i++) {
        qtest_writel(s, RETS_ADDR + 4 * i, UNTOUCHED);
    }
    g_assert_cmphex(qtest_rtas_call(s, name, nargs, ARGS_ADDR, nret, RETS_ADDR), ==, H_SUCCESS);
    for (uint32_t i = 0; i < 4; i++) {
        rets[i] = qtest_readl(s, RETS_ADDR + 4 * i);
    }
    return rets[0];
}

static uint32_t set_xive(QTestState *s, uint32_t nr, uint32_t server, uint32_t prio)
{
    uint32_t args[3] = { nr, server, prio }, rets[4];

    return rtas(s, "ibm,set-xive", args, 3, rets, 1);
}

/* get-xive of a valid source: server << 8 | priority. */
static uint32_t get_xive(QTestState *s, uint32_t nr)
{
    uint32_t rets[4];

    g_assert_cmphex(rtas(s, "ibm,get-xive", &nr, 1, rets, 3), ==, RTAS_OUT_SUCCESS);
    return rets[1] << 8 | rets[2];
}

static void test_rtas_services(void)
{
    QTestState *s = qtest_init(MACHINE_ARGS);
    uint32_t rets[4], nr, args[3];

    /* Reset: every source masked, aimed at server 0. */
    g_assert_cmphex(get_xive(s, 0x1000), ==, 0x00ff);
    g_assert_cmphex(get_xive(s, 0x1fff), ==, 0x00ff);
    g_assert_cmphex(set_xive(s, 0x1100, 1, 5), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x0105);
    /* Bad servers, priority, sources: -3 and nothing changed. */
    g_assert_cmphex(set_xive(s, 0x1100, 2, 7), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(set_xive(s, 0x1100, 4, 7), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(set_xive(s, 0x1100, 0xffffffff, 7), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(set_xive(s, 0x1100, 0, 0x100), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x0105);
    g_assert_cmphex(set_xive(s, 0xfff, 0, 1), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(set_xive(s, 0x2000, 0, 1), ==, RTAS_OUT_PARAM_ERROR);
    nr = 0x2000;
    g_assert_cmphex(rtas(s, "ibm,get-xive", &nr, 1, rets, 3), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    g_assert_cmphex(rtas(s, "ibm,int-on", &nr, 1, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,int-off", &nr, 1, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    /* Wrong counts. */
    args[0] = 0x1100;
    args[1] = 0;
    args[2] = 1;
    g_assert_cmphex(rtas(s, "ibm,set-xive", args, 3, rets, 2), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,set-xive", args, 2, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,get-xive", args, 1, rets, 2), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,get-xive", args, 2, rets, 3), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,int-off", args, 1, rets, 2), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,int-on", args, 0, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x0105);
    /* int-off keeps the priority for int-on. */
    nr = 0x1100;
    g_assert_cmphex(rtas(s, "ibm,int-off", &nr, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x01ff);
    g_assert_cmphex(rtas(s, "ibm,int-on", &nr, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x0105);
    /* A machine reset masks everything again. */
    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    g_assert_cmphex(get_xive(s, 0x1100), ==, 0x00ff);
    qtest_quit(s);
}

static uint64_t hcall2(QTestState *s, uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t out[9])
{
    uint64_t args[2] = { a0, a1 };

    return qtest_hcall(s, opcode, args, 2, out);
}

static void test_hcalls(void)
{
    QTestState *s = qtest_init(MACHINE_ARGS);
    uint64_t out[9];

    /* Reset: CPPR 0, nothing pending, no IPI requested. */
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0);
    g_assert_cmphex(out[1], ==, 0xff);
    /* An IPI to ourselves, held off by CPPR 0, then let through. */
    g_assert_cmphex(hcall2(s, H_IPI, 0, 5, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0);
    g_assert_cmphex(out[1], ==, 5);
    g_assert_cmphex(hcall2(s, H_CPPR, 0xff, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_cmphex(hcall2(s, H_XIRR, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(5, 0));
    /* Still requested: the EOI brings it back; withdrawn, it does not. */
    g_assert_cmphex(hcall2(s, H_EOI, XIRR(0xff, 2), 0, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_XIRR_X, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_cmphex(hcall2(s, H_IPI, 0, 0xff, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_EOI, XIRR(0xff, 2), 0, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_XIRR, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 0));
    /* Servers: 1 exists, 2..3 have no processor, 4 is none; r4's low 32 bits count. */
    g_assert_cmphex(hcall2(s, H_IPI, 1, 5, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_IPI, 2, 5, out), ==, H_PARAMETER);
    g_assert_cmphex(hcall2(s, H_IPI, 4, 5, out), ==, H_PARAMETER);
    g_assert_cmphex(hcall2(s, H_IPI, 0x100000002ULL, 5, out), ==, H_PARAMETER);
    g_assert_cmphex(hcall2(s, H_IPI, 0x100000000ULL, 6, out), ==, H_SUCCESS);
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[1], ==, 6);
    /* Reset forgets the CPPR and the request. */
    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    g_assert_cmphex(hcall2(s, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0);
    g_assert_cmphex(out[1], ==, 0xff);
    qtest_quit(s);
}

/*
 * Each CPU core is where QEMU 7.2 creates it under /machine/unattached (its
 * thread holds the ICP): after the XIVE controller of ic-mode=dual, first
 * with ic-mode=xics (paths read from the oracle's query-cpus-fast).
 */
static void check_cpu_paths(const char *args, const char *path0, const char *path1)
{
    QTestState *s = qtest_init(args);
    JsonObject *r = qtest_qmp(s, "{\"execute\": \"query-cpus-fast\"}");
    JsonArray *cpus = json_object_get_array_member(r, "return");

    g_assert_cmpuint(json_array_get_length(cpus), ==, 2);
    g_assert_cmpstr(
        json_object_get_string_member(json_array_get_object_element(cpus, 0), "qom-path"), ==,
        path0);
    g_assert_cmpstr(
        json_object_get_string_member(json_array_get_object_element(cpus, 1), "qom-path"), ==,
        path1);
    json_object_unref(r);
    qtest_quit(s);
}

static void test_cpu_paths(void)
{
    check_cpu_paths("-smp 2 -nodefaults", "/machine/unattached/device[1]/thread[0]",
                    "/machine/unattached/device[2]/thread[0]");
    check_cpu_paths("-machine pseries,ic-mode=xics -smp 2 -nodefaults",
                    "/machine/unattached/device[0]/thread[0]",
                    "/machine/unattached/device[1]/thread[0]");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xics/rtas", test_rtas_services);
    g_test_add_func("/xics/hcalls", test_hcalls);
    g_test_add_func("/xics/cpu-paths", test_cpu_paths);
    return g_test_run();
}

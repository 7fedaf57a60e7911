/*
 * RTAS services through the real binary, called by qtest's `rtas` command and
 * through H_RTAS (hcall 0xf000) with an argument block in guest memory.
 */
#include "libqtest.h"

#include <string.h>
#include <unistd.h>

#define H_SUCCESS 0
#define H_PARAMETER ((uint64_t)-4)
#define KVMPPC_H_RTAS 0xf000
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_NO_ERRORS_FOUND 1
#define RTAS_OUT_PARAM_ERROR 0xfffffffdU  /* -3 in a 32-bit cell */
#define RTAS_GET_TIME_OF_DAY_TOKEN 0x2001 /* QEMU's numbering */
#define RTAS_SYSPARM_SPLPAR_CHARACTERISTICS 20
#define RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE 42
#define RTAS_SYSPARM_UUID 48
#define CPU_STATE_STOPPED 0
#define CPU_STATE_RUNNING 2

#define RAM_SIZE (256ULL << 20)
/*
 * Above the firmware (SLOF, 1 MiB at 0): a reset copies it in again, as
 * QEMU does, over whatever a call left there.
 */
#define ARGS_ADDR 0x201000
#define RETS_ADDR 0x202000
#define DATA_ADDR 0x203000
#define BLOCK_ADDR 0x204000
#define MAX_CELLS 16

/*
 * Call a service by name: args go to ARGS_ADDR as big-endian cells, the
 * return cells (pre-filled with a marker) come back in rets.  Returns the
 * hypercall status.
 */
static uint64_t rtas(QTestState *s, const char *name, const uint32_t *args, uint32_t nargs,
                     uint32_t *rets, uint32_t nret)
{
    uint64_t res;

    g_assert_cmpuint(nargs, <=, MAX_CELLS);
    g_assert_cmpuint(nret, <=, MAX_CELLS);
    for (uint32_t i = 0; i < nargs; i++) {
        qtest_writel(s, ARGS_ADDR + 4 * i, args[i]);
    }
    qtest_memset(s, RETS_ADDR, 0xee, 4 * MAX_CELLS);
    res = qtest_rtas_call(s, name, nargs, ARGS_ADDR, nret, RETS_ADDR);
    for (uint32_t i = 0; i < nret; i++) {
        rets[i] = qtest_readl(s, RETS_ADDR + 4 * i);
    }
    return res;
}

/* The status cell of a call, which must itself have gone through. */
static uint32_t rtas_status(QTestState *s, const char *name, const uint32_t *args, uint32_t nargs,
                            uint32_t *rets, uint32_t nret)
{
    g_assert_cmphex(rtas(s, name, args, nargs, rets, nret), ==, H_SUCCESS);
    return rets[0];
}

/*
 * A call after which the process ends (power-off, reboot with -no-reboot,
 * os-term): send it without waiting for the reply, which may never come.
 */
static void rtas_last(QTestState *s, const char *name, uint32_t nargs)
{
    char *line = g_strdup_printf("rtas %s %u 0x%x 1 0x%x\n", name, nargs, ARGS_ADDR, RETS_ADDR);

    qtest_send_raw(s, line, strlen(line));
    g_free(line);
}

static void test_display_character(void)
{
    char *dir = g_dir_make_tmp("rtas-XXXXXX", NULL);
    char *path = g_build_filename(dir, "console", NULL);
    char *args = g_strdup_printf("-nodefaults -chardev file,id=c0,path=%s "
                                 "-serial chardev:c0",
                                 path);
    QTestState *s = qtest_init(args);
    const char *text = "Hi RTAS!\n";
    uint32_t rets[1];
    char *contents;

    for (const char *p = text; *p; p++) {
        uint32_t c = (uint8_t)*p;

        g_assert_cmphex(rtas_status(s, "display-character", &c, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    }
    g_assert_cmphex(rtas_status(s, "display-character", NULL, 0, rets, 1), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, text);
    g_free(contents);
    qtest_quit(s);
    unlink(path);
    rmdir(dir);
    g_free(args);
    g_free(path);
    g_free(dir);
}

/* Seconds since the epoch of an RTAS date (year, month, ... second). */
static gint64 rtas_to_unix(const uint32_t *tod)
{
    GDateTime *dt = g_date_time_new_utc(tod[0], tod[1], tod[2], tod[3], tod[4], tod[5]);
    gint64 t;

    g_assert_nonnull(dt);
    t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return t;
}

static void get_tod(QTestState *s, uint32_t *tod)
{
    uint32_t rets[8];

    g_assert_cmphex(rtas_status(s, "get-time-of-day", NULL, 0, rets, 8), ==, RTAS_OUT_SUCCESS);
    memcpy(tod, rets + 1, 7 * sizeof(uint32_t));
    g_assert_cmpuint(tod[6], <, 1000000000);
}

static void test_get_time_of_day(void)
{
    QTestState *s = qtest_init("");
    uint32_t tod[7], rets[8];
    gint64 host = g_get_real_time() / G_USEC_PER_SEC;

    get_tod(s, tod);
    g_assert_cmpint(ABS(rtas_to_unix(tod) - host), <=, 5);
    /* Wrong numbers of cells. */
    g_assert_cmphex(rtas_status(s, "get-time-of-day", NULL, 0, rets, 3), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas_status(s, "get-time-of-day", tod, 1, rets, 8), ==, RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

static void test_rtc_base(void)
{
    QTestState *s = qtest_init("-rtc base=2006-06-17");
    uint32_t tod[7];

    get_tod(s, tod);
    g_assert_cmpuint(tod[0], ==, 2006);
    g_assert_cmpuint(tod[1], ==, 6);
    g_assert_cmpuint(tod[2], ==, 17);
    qtest_quit(s);
}

static void test_set_time_of_day(void)
{
    QTestState *s = qtest_init("");
    uint32_t set[7] = { 2010, 1, 2, 3, 4, 5, 0 };
    uint32_t tod[7], rets[1];
    gint64 delta;

    g_assert_cmphex(rtas_status(s, "set-time-of-day", set, 7, rets, 1), ==, RTAS_OUT_SUCCESS);
    get_tod(s, tod);
    delta = rtas_to_unix(tod) - rtas_to_unix(set);
    g_assert_cmpint(delta, >=, 0);
    g_assert_cmpint(delta, <=, 3);
    g_assert_cmphex(rtas_status(s, "set-time-of-day", set, 6, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

static void test_power_off(void)
{
    QTestState *s = qtest_init("");
    uint32_t args[2] = { 0, 0 };
    uint32_t rets[1];

    /* Wrong argument count: refused, and the machine stays up. */
    g_assert_cmphex(rtas_status(s, "power-off", args, 1, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_true(qtest_alive(s));
    rtas_last(s, "power-off", 2);
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    qtest_quit(s);
}

static void test_system_reboot(void)
{
    QTestState *s = qtest_init("");
    uint32_t rets[1];
    JsonObject *ev;

    g_assert_cmphex(rtas_status(s, "system-reboot", NULL, 0, rets, 1), ==, RTAS_OUT_SUCCESS);
    ev = qtest_qmp_eventwait(s, "RESET");
    json_object_unref(ev);
    g_assert_true(qtest_alive(s));
    /* The machine still answers after its reset. */
    g_assert_cmphex(rtas_status(s, "system-reboot", rets, 1, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

static void test_system_reboot_no_reboot(void)
{
    QTestState *s = qtest_init("-no-reboot");

    rtas_last(s, "system-reboot", 0);
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    qtest_quit(s);
}

static void test_os_term(void)
{
    QTestState *s = qtest_init("");
    static const char msg[] = "guest says goodbye 4711";
    char *err;

    qtest_memwrite(s, DATA_ADDR, msg, sizeof(msg));
    qtest_writel(s, ARGS_ADDR, DATA_ADDR);
    rtas_last(s, "ibm,os-term", 1);
    /* QEMU 7.2's default panic action powers off with status 0. */
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, msg));
    g_free(err);
    qtest_quit(s);
}

static void test_event_scan_check_exception(void)
{
    QTestState *s = qtest_init("");
    uint32_t scan[4] = { 0xffffffff, 0, DATA_ADDR, 1024 };
    uint32_t check[6] = { 0x500, 0, 0xffffffff, 0, DATA_ADDR, 1024 };
    uint32_t rets[1];

    g_assert_cmphex(rtas_status(s, "event-scan", scan, 4, rets, 1), ==, RTAS_OUT_NO_ERRORS_FOUND);
    g_assert_cmphex(rtas_status(s, "check-exception", check, 6, rets, 1), ==,
                    RTAS_OUT_NO_ERRORS_FOUND);
    g_assert_cmphex(rtas_status(s, "event-scan", scan, 3, rets, 1), ==, RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

static void test_query_cpu_stopped_state(void)
{
    QTestState *s = qtest_init("-smp 2");
    uint32_t id, rets[2];

    id = 0;
    g_assert_cmphex(rtas_status(s, "query-cpu-stopped-state", &id, 1, rets, 2), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmpuint(rets[1], ==, CPU_STATE_RUNNING);
    id = 1;
    g_assert_cmphex(rtas_status(s, "query-cpu-stopped-state", &id, 1, rets, 2), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmpuint(rets[1], ==, CPU_STATE_STOPPED);
    id = 5;
    g_assert_cmphex(rtas_status(s, "query-cpu-stopped-state", &id, 1, rets, 2), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas_status(s, "query-cpu-stopped-state", &id, 1, rets, 1), ==,
                    RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

static void test_get_system_parameter(void)
{
    QTestState *s = qtest_init("");
    uint32_t args[3] = { RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE, DATA_ADDR, 64 };
    uint32_t rets[1];
    char buf[256];
    uint16_t len;

    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 3, rets, 1), ==,
                    RTAS_OUT_SUCCESS);
    /* A 16-bit big-endian length, then the value. */
    g_assert_cmphex(qtest_readw(s, DATA_ADDR), ==, 1);
    g_assert_cmphex(qtest_readb(s, DATA_ADDR + 2), ==, 0);

    args[0] = RTAS_SYSPARM_SPLPAR_CHARACTERISTICS;
    args[2] = sizeof(buf);
    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 3, rets, 1), ==,
                    RTAS_OUT_SUCCESS);
    len = qtest_readw(s, DATA_ADDR);
    g_assert_cmpuint(len, >, 10);
    g_assert_cmpuint(len, <=, sizeof(buf) - 2);
    qtest_memread(s, DATA_ADDR + 2, buf, len);
    g_assert_true(g_str_has_prefix(buf, "MaxEntCap="));

    args[0] = 999;
    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 3, rets, 1), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 2, rets, 1), ==,
                    RTAS_OUT_PARAM_ERROR);
    qtest_quit(s);
}

/* The UUID parameter: empty without -uuid, its 16 bytes with it. */
static void test_get_system_parameter_uuid(void)
{
    static const uint8_t want[16] = { 0x5b, 0x1d, 0x2a, 0x6e, 0x0c, 0x3f, 0x4d, 0x2c,
                                      0x9b, 0x6a, 0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a };
    uint32_t args[3] = { RTAS_SYSPARM_UUID, DATA_ADDR, 64 };
    uint32_t rets[1];
    uint8_t got[16];
    QTestState *s = qtest_init("");

    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 3, rets, 1), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmphex(qtest_readw(s, DATA_ADDR), ==, 0);
    qtest_quit(s);

    s = qtest_init("-uuid 5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a");
    g_assert_cmphex(rtas_status(s, "ibm,get-system-parameter", args, 3, rets, 1), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmphex(qtest_readw(s, DATA_ADDR), ==, 16);
    qtest_memread(s, DATA_ADDR + 2, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), want, sizeof(want));
    qtest_quit(s);
}

/* H_RTAS with a block: token, nargs, nret, args..., rets... */
static uint64_t h_rtas(QTestState *s, uint64_t block)
{
    uint64_t args[1] = { block };

    return qtest_hcall(s, KVMPPC_H_RTAS, args, 1, NULL);
}

static void write_block(QTestState *s, uint64_t addr, uint32_t token, uint32_t nargs, uint32_t nret)
{
    qtest_writel(s, addr, token);
    qtest_writel(s, addr + 4, nargs);
    qtest_writel(s, addr + 8, nret);
}

static void test_h_rtas_block(void)
{
    QTestState *s = qtest_init("-m 256M");
    uint8_t before[64], after[64];
    uint32_t year;

    write_block(s, BLOCK_ADDR, RTAS_GET_TIME_OF_DAY_TOKEN, 0, 8);
    g_assert_cmphex(h_rtas(s, BLOCK_ADDR), ==, H_SUCCESS);
    g_assert_cmphex(qtest_readl(s, BLOCK_ADDR + 12), ==, RTAS_OUT_SUCCESS);
    year = qtest_readl(s, BLOCK_ADDR + 16);
    g_assert_cmpuint(year, >=, 2024);
    g_assert_cmpuint(year, <, 2200);

    /* Unknown token. */
    write_block(s, BLOCK_ADDR, 0x1234, 0, 1);
    g_assert_cmphex(h_rtas(s, BLOCK_ADDR), ==, H_PARAMETER);

    /* Blocks at and after the end of RAM, or whose rets cross it. */
    qtest_memset(s, RAM_SIZE - sizeof(before), 0x77, sizeof(before));
    write_block(s, RAM_SIZE - 8 - 12, RTAS_GET_TIME_OF_DAY_TOKEN, 0, 8);
    qtest_memread(s, RAM_SIZE - sizeof(before), before, sizeof(before));
    g_assert_cmphex(h_rtas(s, RAM_SIZE - 8 - 12), ==, H_PARAMETER);
    g_assert_cmphex(h_rtas(s, RAM_SIZE - 8), ==, H_PARAMETER);
    g_assert_cmphex(h_rtas(s, RAM_SIZE), ==, H_PARAMETER);
    g_assert_cmphex(h_rtas(s, RAM_SIZE + 0x1000), ==, H_PARAMETER);
    g_assert_cmphex(h_rtas(s, ~0ULL - 3), ==, H_PARAMETER);
    qtest_memread(s, RAM_SIZE - sizeof(after), after, sizeof(after));
    g_assert(memcmp(before, after, sizeof(before)) == 0);
    qtest_quit(s);
}

static void test_unknown_name(void)
{
    QTestState *s = qtest_init("");

    g_assert_cmphex(qtest_rtas_call(s, "no-such-service", 0, ARGS_ADDR, 1, RETS_ADDR), ==,
                    H_PARAMETER);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtas-qtest/display-character", test_display_character);
    g_test_add_func("/rtas-qtest/get-time-of-day", test_get_time_of_day);
    g_test_add_func("/rtas-qtest/rtc-base", test_rtc_base);
    g_test_add_func("/rtas-qtest/set-time-of-day", test_set_time_of_day);
    g_test_add_func("/rtas-qtest/power-off", test_power_off);
    g_test_add_func("/rtas-qtest/system-reboot", test_system_reboot);
    g_test_add_func("/rtas-qtest/system-reboot-no-reboot", test_system_reboot_no_reboot);
    g_test_add_func("/rtas-qtest/os-term", test_os_term);
    g_test_add_func("/rtas-qtest/event-scan-check-exception", test_event_scan_check_exception);
    g_test_add_func("/rtas-qtest/query-cpu-stopped-state", test_query_cpu_stopped_state);
    g_test_add_func("/rtas-qtest/get-system-parameter/uuid", test_get_system_parameter_uuid);
    g_test_add_func("/rtas-qtest/get-system-parameter", test_get_system_parameter);
    g_test_add_func("/rtas-qtest/h-rtas-block", test_h_rtas_block);
    g_test_add_func("/rtas-qtest/unknown-name", test_unknown_name);
    return g_test_run();
}

/*
 * Unit tests for RTAS: argument-block checking behind H_RTAS, the qtest
 * entry point, every service's results and errors, /rtas properties.
 */
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "chardev/char.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/runstate.h"

#include <glib/gstdio.h>
#include <libfdt.h>
#include <time.h>

#define RAM (1 * MiB)
#define BLOCK 0x1000 /* where the tests put argument blocks */
#define BUF 0x8000   /* result buffers of services */
#define MAX_CELLS 16

static SpaprMachineState ms;

/* A fresh machine: 1 MiB of RAM filled with a pattern, 2 of 4 CPUs. */
static void setup(void)
{
    module_call_init();
    guest_ram_init(RAM);
    guest_memset(0, 0xa5, RAM);
    if (!ms.cpus) {
        ms.cpu_model = ppc_cpu_model_find("power9");
        ms.cpus = g_new0(PowerPCCPU *, 2);
        ms.cpus[0] = ppc_cpu_create(ms.cpu_model, 0);
        ms.cpus[1] = ppc_cpu_create(ms.cpu_model, 1);
    }
    ms.smp_cpus = 2;
    ms.max_cpus = 4;
    ms.ram_size = 1 * GiB;
    ms.rtc_offset = 0;
    ms.vio_bus = NULL;
    ms.cpus[0]->halted = false;
    ms.cpus[1]->halted = true;
    spapr_cpu_states_reset(&ms);
    spapr_cpu_state(&ms, ms.cpus[1])->stopped = true;
    spapr_machine = &ms;
}

/* A copy of all of RAM, to show that a failed call wrote nothing. */
static uint8_t *ram_snapshot(void)
{
    return g_memdup2(guest_ram_ptr(0, RAM), RAM);
}

/* Compare RAM with a snapshot and free it. */
static void assert_ram_is(uint8_t *snap)
{
    g_assert_true(memcmp(snap, guest_ram_ptr(0, RAM), RAM) == 0);
    g_free(snap);
}

/*
 * Lay out a block at addr (token, nargs, nret, args) and issue H_RTAS on
 * it; rets[] gets the nret result cells (when the block is in RAM).
 */
static target_ulong rtas_block(hwaddr addr, uint32_t token, uint32_t nargs, const uint32_t *args,
                               uint32_t nret, uint32_t *rets)
{
    target_ulong hargs[SPAPR_HCALL_NARGS] = { addr };
    target_ulong ret;

    g_assert_true(guest_stl_be(addr, token));
    g_assert_true(guest_stl_be(addr + 4, nargs));
    g_assert_true(guest_stl_be(addr + 8, nret));
    for (uint32_t i = 0; i < nargs; i++) {
        g_assert_true(guest_stl_be(addr + 12 + 4 * i, args[i]));
    }
    ret = spapr_hypercall(NULL, KVMPPC_H_RTAS, hargs);
    for (uint32_t i = 0; rets && i < nret; i++) {
        g_assert_true(guest_ldl_be(addr + 12 + 4 * (nargs + i), &rets[i]));
    }
    return ret;
}

/* Call a service by token with the block at BLOCK; returns rets[0]. */
static int32_t rtas(uint32_t token, uint32_t nargs, const uint32_t *args, uint32_t nret,
                    uint32_t *rets)
{
    uint32_t local[MAX_CELLS];

    g_assert_cmpuint(nret, <=, MAX_CELLS);
    rets = rets ? rets : local;
    g_assert_cmpint(rtas_block(BLOCK, token, nargs, args, nret, rets), ==, H_SUCCESS);
    return nret ? (int32_t)rets[0] : 0;
}

/* Drain pending run-state requests; true when the VM would end. */
static bool should_exit(int *status)
{
    return main_loop_should_exit(status);
}

static void test_block_outside_ram(void)
{
    target_ulong hargs[SPAPR_HCALL_NARGS] = { RAM - 8 };
    uint8_t *before;

    setup();
    before = ram_snapshot();
    g_assert_cmpint(spapr_hypercall(NULL, KVMPPC_H_RTAS, hargs), ==, H_PARAMETER);
    hargs[0] = RAM;
    g_assert_cmpint(spapr_hypercall(NULL, KVMPPC_H_RTAS, hargs), ==, H_PARAMETER);
    hargs[0] = ~(target_ulong)0 - 4;
    g_assert_cmpint(spapr_hypercall(NULL, KVMPPC_H_RTAS, hargs), ==, H_PARAMETER);
    assert_ram_is(before);
}

/* Header in RAM, results past its end: refused before the service runs. */
static void test_rets_cross_ram_end(void)
{
    uint32_t args[4] = { 0 };
    uint8_t *before;

    setup();
    rtas_block(RAM - 28, RTAS_EVENT_SCAN, 4, args, 1, NULL);
    before = ram_snapshot();
    /* 12 header bytes + 16 argument bytes end at RAM; the result does not. */
    g_assert_cmpint(rtas_block(RAM - 28, RTAS_EVENT_SCAN, 4, args, 1, NULL), ==, H_PARAMETER);
    assert_ram_is(before);
}

/* Lay a bare header at BLOCK and issue H_RTAS on it. */
static target_ulong rtas_header(uint32_t token, uint32_t nargs, uint32_t nret)
{
    target_ulong hargs[SPAPR_HCALL_NARGS] = { BLOCK };

    guest_stl_be(BLOCK, token);
    guest_stl_be(BLOCK + 4, nargs);
    guest_stl_be(BLOCK + 8, nret);
    return spapr_hypercall(NULL, KVMPPC_H_RTAS, hargs);
}

static void test_huge_counts(void)
{
    uint8_t *before;

    setup();
    rtas_header(RTAS_EVENT_SCAN, 4, 0x40000000);
    before = ram_snapshot();
    /* Arrays of 4 GiB and more: they would wrap a 32-bit size. */
    g_assert_cmpint(rtas_header(RTAS_EVENT_SCAN, 4, 0x40000000), ==, H_PARAMETER);
    g_assert_cmpint(rtas_header(RTAS_EVENT_SCAN, 0x40000000, 1), ==, H_PARAMETER);
    g_assert_cmpint(rtas_header(RTAS_EVENT_SCAN, 0xffffffff, 1), ==, H_PARAMETER);
    g_assert_cmpint(rtas_header(RTAS_EVENT_SCAN, 4, 0xffffffff), ==, H_PARAMETER);
    g_assert_cmpint(rtas_header(RTAS_EVENT_SCAN, 0xffffffff, 0xffffffff), ==, H_PARAMETER);
    rtas_header(RTAS_EVENT_SCAN, 4, 0x40000000);
    /* Addresses that wrap around the top of the address space. */
    g_assert_cmpint(spapr_rtas_call(NULL, &ms, RTAS_EVENT_SCAN, 4, ~(hwaddr)0 - 3, 1, BLOCK), ==,
                    H_PARAMETER);
    g_assert_cmpint(spapr_rtas_call(NULL, &ms, RTAS_EVENT_SCAN, 4, BLOCK, 1, ~(hwaddr)0 - 1), ==,
                    H_PARAMETER);
    assert_ram_is(before);
}

static void test_unknown_token(void)
{
    static const uint32_t tokens[] = {
        0, 0x1234, RTAS_TOKEN_BASE - 1, RTAS_TOKEN_MAX, 0xffffffff,
    };
    uint32_t rets[2];
    uint8_t *before;

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(tokens); i++) {
        guest_stl_be(BLOCK + 12, 0);
        g_assert_cmpint(rtas_block(BLOCK, tokens[i], 0, NULL, 2, rets), ==, H_PARAMETER);
        g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_PARAM_ERROR);
        g_assert_cmphex(rets[1], ==, 0xa5a5a5a5);
    }
    /* With no result cell nothing is written at all. */
    rtas_block(BLOCK, 0x1234, 0, NULL, 0, NULL);
    before = ram_snapshot();
    rtas_block(BLOCK, 0x1234, 0, NULL, 0, NULL);
    assert_ram_is(before);
    /* By name, through the qtest entry point. */
    g_assert_cmpint(qtest_rtas_call("no-such-service", 0, BLOCK, 1, BUF), ==, H_PARAMETER);
    g_assert_cmpint(qtest_rtas_call("", 0, BLOCK, 1, BUF), ==, H_PARAMETER);
}

/* Expected cell counts (QEMU's) for services with one fixed shape. */
typedef struct Shape {
    uint32_t token, nargs, nret;
} Shape;

static const Shape shapes[] = {
    { RTAS_DISPLAY_CHARACTER, 1, 1 },
    { RTAS_GET_TIME_OF_DAY, 0, 8 },
    { RTAS_SET_TIME_OF_DAY, 7, 1 },
    { RTAS_POWER_OFF, 2, 1 },
    { RTAS_SYSTEM_REBOOT, 0, 1 },
    { RTAS_QUERY_CPU_STOPPED_STATE, 1, 2 },
    { RTAS_IBM_GET_SYSTEM_PARAMETER, 3, 1 },
    { RTAS_IBM_SET_SYSTEM_PARAMETER, 2, 1 },
    { RTAS_EVENT_SCAN, 4, 1 },
    { RTAS_IBM_OS_TERM, 1, 1 },
};

static void test_wrong_counts(void)
{
    uint32_t args[MAX_CELLS] = { 0 };
    int status = -1;

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(shapes); i++) {
        const Shape *s = &shapes[i];

        g_assert_cmpint(rtas(s->token, s->nargs + 1, args, s->nret, NULL), ==,
                        RTAS_OUT_PARAM_ERROR);
        g_assert_cmpint(rtas(s->token, s->nargs, args, s->nret + 1, NULL), ==,
                        RTAS_OUT_PARAM_ERROR);
        if (s->nargs) {
            g_assert_cmpint(rtas(s->token, s->nargs - 1, args, s->nret, NULL), ==,
                            RTAS_OUT_PARAM_ERROR);
        }
    }
    for (uint32_t n = 0; n < 9; n++) {
        if (n != 6 && n != 7) {
            g_assert_cmpint(rtas(RTAS_CHECK_EXCEPTION, n, args, 1, NULL), ==, RTAS_OUT_PARAM_ERROR);
        }
    }
    /* No refused call may have asked for a shutdown or reset. */
    g_assert_false(should_exit(&status));
}

/* rtas_ld/rtas_st stay inside nargs/nret: a probe service shows it. */
static uint32_t probe_seen[3];

static void rtas_probe(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    probe_seen[0] = rtas_ld(call, 0);
    probe_seen[1] = rtas_ld(call, call->nargs);
    probe_seen[2] = rtas_ld(call, 1000);
    rtas_st(call, 0, 0x11111111);
    rtas_st(call, call->nret, 0x22222222);
}

static void test_ld_st_bounds(void)
{
    uint32_t args[2] = { 0xcafe, 0xbeef };
    uint32_t after;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        return;
    }
    setup();
    spapr_rtas_table_clear();
    spapr_rtas_register(RTAS_TOKEN_BASE, "probe", rtas_probe);
    /* nargs = 1: the second argument cell must read as 0. */
    g_assert_cmpint(rtas(RTAS_TOKEN_BASE, 1, args, 1, NULL), ==, 0x11111111);
    g_assert_cmphex(probe_seen[0], ==, 0xcafe);
    g_assert_cmphex(probe_seen[1], ==, 0);
    g_assert_cmphex(probe_seen[2], ==, 0);
    guest_ldl_be(BLOCK + 12 + 4 + 4, &after);
    g_assert_cmphex(after, ==, 0xa5a5a5a5);
    g_assert_cmpint(spapr_rtas_token("probe"), ==, RTAS_TOKEN_BASE);
    g_assert_cmpstr(spapr_rtas_name(RTAS_TOKEN_BASE), ==, "probe");
    g_assert_null(spapr_rtas_name(RTAS_TOKEN_BASE + 1));
    g_assert_cmpint(spapr_rtas_token("get-time-of-day"), ==, -1);
}

/* A registration that must abort, run in a child process. */
static void rtas_register_must_abort(int first, const char *first_name, int second,
                                     const char *second_name)
{
    if (g_test_subprocess()) {
        spapr_rtas_table_clear();
        if (first_name) {
            spapr_rtas_register(first, first_name, rtas_probe);
        }
        spapr_rtas_register(second, second_name, rtas_probe);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*spapr_rtas_register*");
}

static void test_register_twice_aborts(void)
{
    rtas_register_must_abort(RTAS_TOKEN_BASE, "a", RTAS_TOKEN_BASE, "b");
}

static void test_register_same_name_aborts(void)
{
    rtas_register_must_abort(RTAS_TOKEN_BASE, "a", RTAS_TOKEN_BASE + 1, "a");
}

static void test_register_low_token_aborts(void)
{
    rtas_register_must_abort(0, NULL, RTAS_TOKEN_BASE - 1, "a");
}

static void test_register_high_token_aborts(void)
{
    rtas_register_must_abort(0, NULL, RTAS_TOKEN_MAX, "a");
}

/*
 * The guest's date for host time now + offset, via the C library.  The clock
 * is the one RTAS reads (g_get_real_time): time() may lag it by a tick and
 * still show the previous second.
 */
static void expected_tm(int64_t offset, struct tm *tm)
{
    time_t t = g_get_real_time() / G_USEC_PER_SEC + offset;

    g_assert_nonnull(gmtime_r(&t, tm));
}

static void test_get_time_of_day(void)
{
    /* 2020-01-02T03:04:05Z */
    const int64_t base = 1577934245;
    uint32_t rets[8];
    int64_t offset;
    struct tm lo, hi;

    setup();
    offset = base - g_get_real_time() / G_USEC_PER_SEC;
    ms.rtc_offset = offset;
    expected_tm(offset, &lo);
    g_assert_cmpint(rtas(RTAS_GET_TIME_OF_DAY, 0, NULL, 8, rets), ==, RTAS_OUT_SUCCESS);
    expected_tm(offset, &hi);
    g_assert_cmpuint(rets[1], ==, 2020);
    g_assert_cmpuint(rets[2], ==, 1);
    g_assert_cmpuint(rets[3], ==, 2);
    g_assert_cmpuint(rets[4], ==, 3);
    g_assert_cmpuint(rets[5], ==, 4);
    g_assert_cmpuint(rets[6], >=, (unsigned)lo.tm_sec);
    g_assert_cmpuint(rets[6], <=, (unsigned)hi.tm_sec);
    g_assert_cmpuint(rets[7], <, 1000000000);

    /* No offset: today's date, as the host sees it. */
    ms.rtc_offset = 0;
    expected_tm(0, &lo);
    rtas(RTAS_GET_TIME_OF_DAY, 0, NULL, 8, rets);
    expected_tm(0, &hi);
    g_assert_cmpuint(rets[1], >=, (unsigned)lo.tm_year + 1900);
    g_assert_cmpuint(rets[1], <=, (unsigned)hi.tm_year + 1900);

    /* Without a machine there is no clock to read. */
    spapr_machine = NULL;
    g_assert_cmpint(spapr_rtas_call(NULL, NULL, RTAS_GET_TIME_OF_DAY, 0, BLOCK, 8, BLOCK), ==,
                    H_SUCCESS);
    guest_ldl_be(BLOCK, &rets[0]);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_HW_ERROR);
}

static void test_set_time_of_day(void)
{
    const uint32_t when[7] = { 2001, 2, 3, 4, 5, 6, 999999999 };
    uint32_t rets[8];
    int64_t expect;

    setup();
    g_assert_cmpint(rtas(RTAS_SET_TIME_OF_DAY, 7, when, 1, NULL), ==, RTAS_OUT_SUCCESS);
    /* 2001-02-03T04:05:06Z is 981173106 s after the epoch. */
    expect = 981173106 - time(NULL);
    g_assert_cmpint(ms.rtc_offset, >=, expect - 1);
    g_assert_cmpint(ms.rtc_offset, <=, expect + 1);
    rtas(RTAS_GET_TIME_OF_DAY, 0, NULL, 8, rets);
    g_assert_cmpuint(rets[1], ==, 2001);
    g_assert_cmpuint(rets[2], ==, 2);
    g_assert_cmpuint(rets[3], ==, 3);
    g_assert_cmpuint(rets[4], ==, 4);
    g_assert_cmpuint(rets[5], ==, 5);
    g_assert_cmpuint(rets[6], >=, 5);
    g_assert_cmpuint(rets[6], <=, 7);

    /* A leap day exists in 2000 (divisible by 400) only. */
    {
        const uint32_t leap[7] = { 2000, 2, 29, 23, 59, 59, 0 };

        g_assert_cmpint(rtas(RTAS_SET_TIME_OF_DAY, 7, leap, 1, NULL), ==, RTAS_OUT_SUCCESS);
        rtas(RTAS_GET_TIME_OF_DAY, 0, NULL, 8, rets);
        g_assert_cmpuint(rets[1], ==, 2000);
        g_assert_cmpuint(rets[2], >=, 2);
    }
}

static void test_set_time_invalid(void)
{
    static const uint32_t bad[][7] = {
        { 2001, 13, 1, 0, 0, 0, 0 },  { 2001, 0, 1, 0, 0, 0, 0 },
        { 2001, 2, 29, 0, 0, 0, 0 },  { 1900, 2, 29, 0, 0, 0, 0 },
        { 2001, 4, 31, 0, 0, 0, 0 },  { 2001, 1, 0, 0, 0, 0, 0 },
        { 2001, 1, 1, 24, 0, 0, 0 },  { 2001, 1, 1, 0, 60, 0, 0 },
        { 2001, 1, 1, 0, 0, 60, 0 },  { 2001, 1, 1, 0, 0, 0, 1000000000 },
        { 1899, 12, 31, 0, 0, 0, 0 }, { 0xffffffff, 1, 1, 0, 0, 0, 0 },
    };

    setup();
    ms.rtc_offset = 12345;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_assert_cmpint(rtas(RTAS_SET_TIME_OF_DAY, 7, bad[i], 1, NULL), ==, RTAS_OUT_PARAM_ERROR);
        g_assert_cmpint(ms.rtc_offset, ==, 12345);
    }
}

static void test_power_off(void)
{
    const uint32_t args[2] = { 0, 0 };
    int status = -1;

    setup();
    g_assert_false(should_exit(&status));
    g_assert_cmpint(rtas(RTAS_POWER_OFF, 2, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    g_assert_true(should_exit(&status));
    g_assert_cmpint(status, ==, 0);
}

static int resets;

static void count_reset(void *opaque)
{
    resets++;
}

static void test_system_reboot(void)
{
    int status = -1;

    setup();
    qemu_register_reset(count_reset, NULL);
    resets = 0;
    g_assert_cmpint(rtas(RTAS_SYSTEM_REBOOT, 0, NULL, 1, NULL), ==, RTAS_OUT_SUCCESS);
    g_assert_false(should_exit(&status));
    g_assert_cmpint(resets, ==, 1);

    /* -no-reboot: the reboot ends the VM with status 0. */
    no_reboot = true;
    rtas(RTAS_SYSTEM_REBOOT, 0, NULL, 1, NULL);
    g_assert_true(should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpint(resets, ==, 1);
    no_reboot = false;
    qemu_register_reset(NULL, NULL);
}

/*
 * os-term reports the message and, by default (-action panic=shutdown),
 * powers the VM off with status 0, as QEMU 7.2: run it in a child.
 */
static void test_os_term(void)
{
    const char msg[] = "kernel panic\n - not syncing";
    const uint32_t args[1] = { BUF };
    int status = -1;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        g_test_trap_assert_stderr("*OS terminated: kernel panic? - not syncing\n*");
        return;
    }
    setup();
    guest_write(BUF, msg, sizeof(msg));
    g_assert_cmpint(rtas(RTAS_IBM_OS_TERM, 1, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    g_assert_true(should_exit(&status));
    g_assert_cmpint(status, ==, 0);
}

/* -action panic=exit-failure: the same power-off, with status 1. */
static void test_os_term_exit_failure(void)
{
    const uint32_t args[1] = { BUF };
    char *err = NULL;
    int status = -1;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        g_test_trap_assert_stderr("*OS terminated: bye\n*");
        return;
    }
    setup();
    g_assert_true(runstate_parse_action("panic=exit-failure", &err));
    guest_write(BUF, "bye", 4);
    g_assert_cmpint(rtas(RTAS_IBM_OS_TERM, 1, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    g_assert_true(should_exit(&status));
    g_assert_cmpint(status, ==, 1);
}

/* -action panic=none: the guest runs on; nothing for the main loop to do. */
static void test_os_term_panic_none(void)
{
    const uint32_t args[1] = { BUF };
    char *err = NULL;
    int status = -1;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        return;
    }
    setup();
    g_assert_true(runstate_parse_action("panic=none", &err));
    guest_write(BUF, "bye", 4);
    g_assert_cmpint(rtas(RTAS_IBM_OS_TERM, 1, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    g_assert_false(should_exit(&status));
    g_assert_cmpint(status, ==, -1);
}

/* -action: keys and values QEMU 7.2 accepts; a bad list changes nothing. */
static void test_action_parse(void)
{
    static const char *const bad[] = { "panic=foo", "x=1", "reboot=reset,shutdown=halt",
                                       "watchdog=explode", "panic" };
    char *err = NULL;

    g_assert_true(runstate_parse_action("reboot=shutdown,shutdown=pause,panic=pause,"
                                        "watchdog=inject-nmi",
                                        &err));
    g_assert_true(no_reboot);
    g_assert_true(no_shutdown);
    g_assert_cmpint(panic_action, ==, PANIC_ACTION_PAUSE);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_assert_false(runstate_parse_action(bad[i], &err));
        g_assert_nonnull(err);
        g_free(err);
        err = NULL;
        g_assert_true(no_reboot);
        g_assert_true(no_shutdown);
        g_assert_cmpint(panic_action, ==, PANIC_ACTION_PAUSE);
    }
    g_assert_false(runstate_parse_action("panic=foo", &err));
    g_assert_cmpstr(err, ==, "Parameter 'panic' does not accept value 'foo'");
    g_free(err);
    err = NULL;
    g_assert_false(runstate_parse_action("x=1", &err));
    g_assert_cmpstr(err, ==, "Invalid parameter 'x'");
    g_free(err);
    err = NULL;
    g_assert_true(runstate_parse_action("reboot=reset,shutdown=poweroff,panic=shutdown", &err));
    g_assert_false(no_reboot);
    g_assert_false(no_shutdown);
    g_assert_cmpint(panic_action, ==, PANIC_ACTION_SHUTDOWN);
}

/* A message with no NUL before the end of RAM is cut there, or at 511. */
static void test_os_term_unterminated(void)
{
    uint32_t args[1] = { RAM - 3 };
    int status = -1;

    if (!g_test_subprocess()) {
        g_autofree char *pattern =
            g_strdup_printf("*OS terminated: %.511s\n*",
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
                            "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc");

        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        g_test_trap_assert_stderr("*OS terminated: xyz\n*");
        g_test_trap_assert_stderr(pattern);
        return;
    }
    setup();
    guest_write(RAM - 3, "xyz", 3);
    rtas(RTAS_IBM_OS_TERM, 1, args, 1, NULL);
    for (int i = 0; i < 600; i++) {
        guest_stb(BUF + i, "abc"[i % 3]);
    }
    args[0] = BUF;
    rtas(RTAS_IBM_OS_TERM, 1, args, 1, NULL);
    g_assert_true(should_exit(&status));
    g_assert_cmpint(status, ==, 0);
}

static void test_query_cpu_stopped_state(void)
{
    uint32_t args[1], rets[2];

    setup();
    args[0] = 0;
    g_assert_cmpint(rtas(RTAS_QUERY_CPU_STOPPED_STATE, 1, args, 2, rets), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(rets[1], ==, 2);
    args[0] = 1;
    g_assert_cmpint(rtas(RTAS_QUERY_CPU_STOPPED_STATE, 1, args, 2, rets), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(rets[1], ==, 0);
    /* A ceded processor (halted, not stopped) is running. */
    ms.cpus[0]->halted = true;
    args[0] = 0;
    rtas(RTAS_QUERY_CPU_STOPPED_STATE, 1, args, 2, rets);
    g_assert_cmpuint(rets[1], ==, 2);
    /* CPU 2 exists only up to max_cpus; 0xffffffff nowhere. */
    for (uint32_t id = 2; id < 5; id++) {
        args[0] = id == 4 ? 0xffffffff : id;
        guest_stl_be(BLOCK + 12 + 4 + 4, 0x55);
        g_assert_cmpint(rtas(RTAS_QUERY_CPU_STOPPED_STATE, 1, args, 2, rets), ==,
                        RTAS_OUT_PARAM_ERROR);
        g_assert_cmphex(rets[1], ==, 0x55);
    }
}

/* start-cpu and stop-self on the machine's state (no vCPU threads here). */
static void test_start_cpu_stop_self(void)
{
    uint32_t args[3], rets[2];
    CPUPPCState *env = &ms.cpus[1]->env;

    setup();
    ppc_store_lpcr(ms.cpus[0], LPCR_ILE | LPCR_HR | LPCR_UPRT);
    env->msr = MSR_EE | MSR_PR | MSR_LE;
    env->gpr[1] = env->gpr[4] = 0x77;
    args[0] = 1;
    args[1] = 0x12340;
    args[2] = 0xabcdef;
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 1, rets), ==, RTAS_OUT_SUCCESS);
    g_assert_false(ms.cpus[1]->halted);
    g_assert_cmphex(env->nip, ==, 0x12340);
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);
    g_assert_cmphex(env->gpr[3], ==, 0xabcdef);
    g_assert_cmphex(env->gpr[1], ==, 0);
    g_assert_cmphex(env->gpr[4], ==, 0);
    g_assert_cmphex(env->spr[SPR_LPCR] & (LPCR_ILE | LPCR_HR | LPCR_UPRT), ==,
                    LPCR_ILE | LPCR_HR | LPCR_UPRT);
    /* Running now: a second start is a hardware error, and changes nothing. */
    args[1] = 0x500;
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 1, rets), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmphex(env->nip, ==, 0x12340);
    /* So is starting a ceded processor. */
    ms.cpus[1]->halted = true;
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 1, rets), ==, RTAS_OUT_HW_ERROR);
    ms.cpus[1]->halted = false;
    /* Bad numbers and counts. */
    args[0] = 2;
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 1, rets), ==, RTAS_OUT_PARAM_ERROR);
    args[0] = 1;
    g_assert_cmpint(rtas(RTAS_START_CPU, 2, args, 1, rets), ==, RTAS_OUT_PARAM_ERROR);
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 2, rets), ==, RTAS_OUT_PARAM_ERROR);
    /* stop-self from CPU 1: stopped, EE off, and start-cpu works again. */
    env->msr |= MSR_EE;
    g_assert_cmpint(spapr_rtas_call(ms.cpus[1], &ms, RTAS_STOP_SELF, 0, BLOCK + 12, 1, BLOCK + 12),
                    ==, H_SUCCESS);
    g_assert_true(ms.cpus[1]->halted);
    g_assert_false(env->msr & MSR_EE);
    rtas(RTAS_QUERY_CPU_STOPPED_STATE, 1, args, 2, rets);
    g_assert_cmpuint(rets[1], ==, 0);
    args[1] = 0x800;
    g_assert_cmpint(rtas(RTAS_START_CPU, 3, args, 1, rets), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(env->nip, ==, 0x800);
    ppc_store_lpcr(ms.cpus[0], 0);
}

static void test_event_scan_check_exception(void)
{
    uint32_t args[7] = { 0, 0, 0, 0, BUF, 1024, 0 };
    g_autofree uint8_t *before = g_malloc(1024);
    g_autofree uint8_t *after = g_malloc(1024);

    setup();
    guest_read(BUF, before, 1024);
    g_assert_cmpint(rtas(RTAS_EVENT_SCAN, 4, args, 1, NULL), ==, RTAS_OUT_NO_ERRORS_FOUND);
    args[2] = BUF;
    args[3] = 1024;
    g_assert_cmpint(rtas(RTAS_CHECK_EXCEPTION, 6, args, 1, NULL), ==, RTAS_OUT_NO_ERRORS_FOUND);
    g_assert_cmpint(rtas(RTAS_CHECK_EXCEPTION, 7, args, 1, NULL), ==, RTAS_OUT_NO_ERRORS_FOUND);
    /* No event: the log buffer is left alone. */
    guest_read(BUF, after, 1024);
    g_assert_cmpmem(before, 1024, after, 1024);
}

/* ibm,get-system-parameter into BUF with a buffer of len bytes. */
static int32_t get_sysparm(uint32_t param, hwaddr buf, uint32_t len)
{
    const uint32_t args[3] = { param, buf, len };

    return rtas(RTAS_IBM_GET_SYSTEM_PARAMETER, 3, args, 1, NULL);
}

static void test_sysparm_splpar(void)
{
    const char *want = "MaxEntCap=4,DesMem=1024,DesProcs=2,MaxPlatProcs=4,"
                       "HostThrs=4";
    char got[128] = { 0 };
    uint16_t len;

    setup();
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF, 200), ==,
                    RTAS_OUT_SUCCESS);
    guest_lduw_be(BUF, &len);
    g_assert_cmpuint(len, ==, strlen(want) + 1);
    guest_read(BUF + 2, got, len);
    g_assert_cmpstr(got, ==, want);

    /* A POWER8 has 8 threads per core. */
    ms.cpu_model = ppc_cpu_model_find("power8");
    get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF, 200);
    guest_read(BUF + 2, got, sizeof(got));
    g_assert_true(g_str_has_suffix(got, ",HostThrs=8"));
    ms.cpu_model = ppc_cpu_model_find("power9");

    /* A short buffer gets the full length and as many bytes as fit. */
    guest_memset(BUF, 0xa5, 64);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF, 5), ==, RTAS_OUT_SUCCESS);
    guest_read(BUF, got, 6);
    g_assert_cmpmem(got, 6, "\0\x3dMax\xa5", 6);
}

static void test_sysparm_others(void)
{
    uint8_t got[4];

    setup();
    guest_memset(BUF, 0xa5, 16);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE, BUF, 16), ==, RTAS_OUT_SUCCESS);
    guest_read(BUF, got, 4);
    g_assert_cmpmem(got, 4, "\0\x01\0\xa5", 4);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_UUID, BUF, 16), ==, RTAS_OUT_SUCCESS);
    guest_read(BUF, got, 4);
    g_assert_cmpmem(got, 4, "\0\0\0\xa5", 4);

    /* Errors store nothing but the status. */
    guest_memset(BUF, 0xa5, 16);
    g_assert_cmpint(get_sysparm(21, BUF, 16), ==, RTAS_OUT_NOT_SUPPORTED);
    g_assert_cmpint(get_sysparm(0xffffffff, BUF, 16), ==, RTAS_OUT_NOT_SUPPORTED);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF, 1), ==,
                    RTAS_OUT_SYSPARM_PARAM_ERROR);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF, 0), ==,
                    RTAS_OUT_SYSPARM_PARAM_ERROR);
    guest_read(BUF, got, 4);
    g_assert_cmpmem(got, 4, "\xa5\xa5\xa5\xa5", 4);
    /* A buffer running past the end of RAM is refused whole. */
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, RAM - 10, 200), ==,
                    RTAS_OUT_SYSPARM_PARAM_ERROR);
    guest_read(RAM - 4, got, 4);
    g_assert_cmpmem(got, 4, "\xa5\xa5\xa5\xa5", 4);
    g_assert_cmpint(get_sysparm(RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE, 0xfffffffe, 16), ==,
                    RTAS_OUT_SYSPARM_PARAM_ERROR);
}

static void test_set_sysparm(void)
{
    uint32_t args[2] = { RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, BUF };

    setup();
    g_assert_cmpint(rtas(RTAS_IBM_SET_SYSTEM_PARAMETER, 2, args, 1, NULL), ==,
                    RTAS_OUT_NOT_AUTHORIZED);
    args[0] = RTAS_SYSPARM_UUID;
    g_assert_cmpint(rtas(RTAS_IBM_SET_SYSTEM_PARAMETER, 2, args, 1, NULL), ==,
                    RTAS_OUT_NOT_AUTHORIZED);
    args[0] = 21;
    g_assert_cmpint(rtas(RTAS_IBM_SET_SYSTEM_PARAMETER, 2, args, 1, NULL), ==,
                    RTAS_OUT_NOT_SUPPORTED);
}

static void test_display_character(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-rtas-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "console", NULL);
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    g_autofree char *err = NULL;
    g_autofree char *out = NULL;
    uint32_t args[1];
    Chardev *chr;

    setup();
    /* No console: a hardware error. */
    args[0] = 'x';
    g_assert_cmpint(rtas(RTAS_DISPLAY_CHARACTER, 1, args, 1, NULL), ==, RTAS_OUT_HW_ERROR);
    ms.vio_bus = spapr_vio_bus_new(NULL, NULL);
    chr = qemu_chr_new("rtas-test", spec, &err);
    g_assert_nonnull(chr);
    g_assert_nonnull(spapr_vty_create(ms.vio_bus, chr, &error_abort));
    for (const char *p = "OK\n"; *p; p++) {
        args[0] = (uint8_t)*p;
        g_assert_cmpint(rtas(RTAS_DISPLAY_CHARACTER, 1, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    }
    /* The token some early Linux code uses without reading /rtas. */
    args[0] = '!';
    g_assert_cmpint(rtas(0xa, 1, args, 1, NULL), ==, RTAS_OUT_SUCCESS);
    spapr_vio_bus_free(ms.vio_bus);
    ms.vio_bus = NULL;
    qemu_chr_cleanup_all();
    g_assert_true(g_file_get_contents(path, &out, NULL, NULL));
    g_assert_cmpstr(out, ==, "OK\n!");
    g_unlink(path);
    g_rmdir(dir);
}

static void test_qtest_entry(void)
{
    uint32_t rets[2];

    setup();
    guest_stl_be(BUF, 0);
    g_assert_cmpint(qtest_rtas_call("query-cpu-stopped-state", 1, BUF, 2, BUF + 0x100), ==,
                    H_SUCCESS);
    guest_ldl_be(BUF + 0x100, &rets[0]);
    guest_ldl_be(BUF + 0x104, &rets[1]);
    g_assert_cmpuint(rets[0], ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(rets[1], ==, 2);
    g_assert_cmpint(qtest_rtas_call("event-scan", 4, BUF, 1, RAM), ==, H_PARAMETER);
    g_assert_cmpint(qtest_rtas_call("event-scan", 4, RAM - 8, 1, BUF), ==, H_PARAMETER);
}

/* Every registered service appears in /rtas with its token. */
static void test_fdt(void)
{
    g_autofree void *fdt = g_malloc(64 * KiB);
    const char *hypertas;
    const fdt32_t *val;
    int node, len, props = 0, services = 0, off;

    setup();
    g_assert_cmpint(fdt_create_empty_tree(fdt, 64 * KiB), ==, 0);
    node = fdt_add_subnode(fdt, 0, "rtas");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpint(spapr_rtas_fdt(fdt, node), ==, 0);
    node = fdt_path_offset(fdt, "/rtas");
    for (int t = RTAS_TOKEN_BASE; t < RTAS_TOKEN_MAX; t++) {
        const char *name = spapr_rtas_name(t);

        if (name) {
            services++;
            val = fdt_getprop(fdt, node, name, &len);
            g_assert_nonnull(val);
            g_assert_cmpint(len, ==, 4);
            g_assert_cmphex(fdt32_to_cpu(*val), ==, t);
        }
    }
    fdt_for_each_property_offset(off, fdt, node)
    {
        props++;
    }
    /* The services this phase registers, plus 6 fixed properties. */
    g_assert_cmpint(services, >=, 11);
    g_assert_cmpint(props, ==, services + 6);
    /* ibm,change-msi is registered: it does MSI-X too */
    g_assert_nonnull(fdt_getprop(fdt, node, "ibm,change-msix-capable", &len));
    g_assert_cmpint(len, ==, 0);
    val = fdt_getprop(fdt, node, "ibm,set-system-parameter", &len);
    g_assert_cmphex(fdt32_to_cpu(*val), ==, 0x2009);
    val = fdt_getprop(fdt, node, "rtas-error-log-max", &len);
    g_assert_cmpuint(fdt32_to_cpu(*val), ==, 2048);
    val = fdt_getprop(fdt, node, "rtas-event-scan-rate", &len);
    g_assert_cmpuint(fdt32_to_cpu(*val), ==, 1);
    g_assert_nonnull(fdt_getprop(fdt, node, "ibm,extended-os-term", &len));
    g_assert_cmpint(len, ==, 0);
    g_assert_cmpstr(fdt_getprop(fdt, node, "qemu,hypertas-functions", &len), ==, "hcall-memop1");
    /* spapr-vty serves the console pair, so "hcall-term" is advertised. */
    hypertas = fdt_getprop(fdt, node, "ibm,hypertas-functions", &len);
    g_assert_nonnull(hypertas);
    g_assert_cmpint(hypertas[len - 1], ==, 0);
    g_assert_true(memmem(hypertas, len, "hcall-term", sizeof("hcall-term")));
}

static target_ulong h_dummy(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                            target_ulong *args)
{
    return H_SUCCESS;
}

/* hypertas strings follow the table: only complete sets, in QEMU's order. */
static void test_fdt_hypertas_sets(void)
{
    g_autofree void *fdt = g_malloc(64 * KiB);
    const char *list;
    int node, len;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        return;
    }
    spapr_hypercall_table_clear();
    spapr_register_hypercall(H_SET_MODE, h_dummy);
    spapr_register_hypercall(H_PUT_TERM_CHAR, h_dummy); /* half of a set */
    spapr_register_hypercall(H_SET_DABR, h_dummy);
    fdt_create_empty_tree(fdt, 64 * KiB);
    node = fdt_add_subnode(fdt, 0, "rtas");
    g_assert_cmpint(spapr_rtas_fdt(fdt, node), ==, 0);
    list = fdt_getprop(fdt, node, "ibm,hypertas-functions", &len);
    g_assert_cmpint(len, ==, sizeof("hcall-dabr\0hcall-set-mode"));
    g_assert_cmpmem(list, len, "hcall-dabr\0hcall-set-mode", len);
    g_assert_null(fdt_getprop(fdt, node, "qemu,hypertas-functions", &len));

    spapr_hypercall_table_clear();
    fdt_create_empty_tree(fdt, 64 * KiB);
    node = fdt_add_subnode(fdt, 0, "rtas");
    g_assert_cmpint(spapr_rtas_fdt(fdt, node), ==, 0);
    g_assert_null(fdt_getprop(fdt, node, "ibm,hypertas-functions", &len));
}

/*
 * The stub, checked against what an assembler (llvm-mc) encodes for
 * "mr 4,3; lis 3,0; ori 3,3,0xf000; sc 1; blr".
 */
static void test_stub(void)
{
    static const uint32_t want[] = {
        0x7c641b78, 0x3c600000, 0x6063f000, 0x44000022, 0x4e800020,
    };

    g_assert_cmpuint(spapr_rtas_stub_len, ==, sizeof(want));
    g_assert_cmpmem(spapr_rtas_stub, spapr_rtas_stub_len, want, sizeof(want));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtas/block/outside-ram", test_block_outside_ram);
    g_test_add_func("/rtas/block/rets-cross-ram-end", test_rets_cross_ram_end);
    g_test_add_func("/rtas/block/huge-counts", test_huge_counts);
    g_test_add_func("/rtas/block/unknown-token", test_unknown_token);
    g_test_add_func("/rtas/block/wrong-counts", test_wrong_counts);
    g_test_add_func("/rtas/table/ld-st-bounds", test_ld_st_bounds);
    g_test_add_func("/rtas/table/twice-aborts", test_register_twice_aborts);
    g_test_add_func("/rtas/table/same-name-aborts", test_register_same_name_aborts);
    g_test_add_func("/rtas/table/low-token-aborts", test_register_low_token_aborts);
    g_test_add_func("/rtas/table/high-token-aborts", test_register_high_token_aborts);
    g_test_add_func("/rtas/time/get", test_get_time_of_day);
    g_test_add_func("/rtas/time/set", test_set_time_of_day);
    g_test_add_func("/rtas/time/set-invalid", test_set_time_invalid);
    g_test_add_func("/rtas/power-off", test_power_off);
    g_test_add_func("/rtas/system-reboot", test_system_reboot);
    g_test_add_func("/rtas/os-term", test_os_term);
    g_test_add_func("/rtas/os-term-unterminated", test_os_term_unterminated);
    g_test_add_func("/rtas/os-term-exit-failure", test_os_term_exit_failure);
    g_test_add_func("/rtas/os-term-panic-none", test_os_term_panic_none);
    g_test_add_func("/rtas/action-parse", test_action_parse);
    g_test_add_func("/rtas/query-cpu-stopped-state", test_query_cpu_stopped_state);
    g_test_add_func("/rtas/start-cpu-stop-self", test_start_cpu_stop_self);
    g_test_add_func("/rtas/event-scan", test_event_scan_check_exception);
    g_test_add_func("/rtas/sysparm/splpar", test_sysparm_splpar);
    g_test_add_func("/rtas/sysparm/others", test_sysparm_others);
    g_test_add_func("/rtas/sysparm/set", test_set_sysparm);
    g_test_add_func("/rtas/display-character", test_display_character);
    g_test_add_func("/rtas/qtest", test_qtest_entry);
    g_test_add_func("/rtas/fdt", test_fdt);
    g_test_add_func("/rtas/fdt-hypertas-sets", test_fdt_hypertas_sets);
    g_test_add_func("/rtas/stub", test_stub);
    return g_test_run();
}

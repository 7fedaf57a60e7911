/*
 * The machine every target of tests/fuzz drives: the real pseries board
 * built through the machine interface as system/vl.c builds it, once.
 */
#include "fuzz.h"
#include <setjmp.h>
#include "exec/guest-memory.h"
#include "hw/boards.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qtest/qtest.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

static unsigned fuzz_cpus = 2;

void fuzz_machine_set_cpus(unsigned cpus)
{
    g_assert_null(spapr_machine);
    fuzz_cpus = cpus;
}

SpaprMachineState *fuzz_machine(void)
{
    static SpaprMachineState *spapr;
    const MachineClassOps *board;
    MachineOptions mo = { 0 };
    QemuOpts *opts;
    const char *type;
    char *err = NULL;

    if (spapr) {
        return spapr;
    }
    qtest_set_enabled(true);
    module_call_init();
    main_loop_init();
    qemu_clock_virtual_set_manual(true);
    board = machine_find("pseries", &type);
    g_assert_nonnull(board);
    opts = qemu_opts_parse("x-vof=on", NULL, &err);
    g_assert_nonnull(opts);
    mo.type = type;
    mo.props = board->parse_props(type, opts, &err);
    if (!mo.props) {
        fuzz_fail("fuzz machine: %s", err);
    }
    qemu_opts_free(opts);
    mo.ram_size = mo.maxmem = FUZZ_RAM_SIZE;
    mo.smp_cpus = mo.max_cpus = fuzz_cpus;
    mo.smp_sockets = 1;
    mo.smp_cores = fuzz_cpus;
    mo.smp_threads = 1;
    machine_create(board, &mo);
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    spapr = spapr_machine;
    return spapr;
}

void fuzz_machine_register_cpus(void)
{
    static bool done;
    MachineState *m = &fuzz_machine()->parent_obj;

    if (!done) {
        cpus_set_threadless(true);
        m->ops->cpus_start(m);
        done = true;
    }
}

void fuzz_machine_reset(void)
{
    fuzz_machine();
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
}

static sigjmp_buf exit_jmp;

static G_NORETURN void fuzz_exit_handler(void)
{
    siglongjmp(exit_jmp, 1);
}

bool fuzz_catch_exit(void (*fn)(void *opaque), void *opaque)
{
    if (sigsetjmp(exit_jmp, 0)) {
        error_exit_set_handler(NULL);
        return true;
    }
    error_exit_set_handler(fuzz_exit_handler);
    fn(opaque);
    error_exit_set_handler(NULL);
    return false;
}

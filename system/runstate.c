/*
 * Run state and the shutdown/reset/powerdown requests, carried out by the
 * main loop between events.
 */
#include "sysemu/runstate.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "sysemu/cpus.h"

bool no_reboot;
bool no_shutdown;
PanicAction panic_action = PANIC_ACTION_SHUTDOWN;

static RunState current_state = RUN_STATE_PRELAUNCH;
static ShutdownCause shutdown_requested;
/* QMP quit sent its SHUTDOWN event already (before its reply, as QEMU 7.2). */
static bool shutdown_event_sent;
static ShutdownCause reset_requested;
static bool powerdown_requested;
static bool debug_requested;
/* A stop asked from a vCPU thread, carried out by the main loop (RUN_STATE_RUNNING: none). */
static RunState vmstop_requested = RUN_STATE_RUNNING;
static void (*nmi_fn)(void *opaque);
static void *nmi_opaque;
static RunstateEventFn event_hook;

static void (*reset_fn)(void *opaque);
static void *reset_opaque;
static void (*powerdown_fn)(void *opaque);
static void *powerdown_opaque;

static const char *const runstate_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_FINISH_MIGRATE] = "finish-migrate",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
};

#define VM_CHANGE_HANDLERS_MAX 4
static struct {
    VMChangeStateFn fn;
    void *opaque;
} vm_change_handlers[VM_CHANGE_HANDLERS_MAX];

void qemu_add_vm_change_state_handler(VMChangeStateFn fn, void *opaque)
{
    for (unsigned i = 0; i < VM_CHANGE_HANDLERS_MAX; i++) {
        if (!vm_change_handlers[i].fn) {
            vm_change_handlers[i].fn = fn;
            vm_change_handlers[i].opaque = opaque;
            return;
        }
    }
    g_assert_not_reached();
}

static void vm_state_notify(bool running, RunState state)
{
    for (unsigned i = 0; i < VM_CHANGE_HANDLERS_MAX && vm_change_handlers[i].fn; i++) {
        vm_change_handlers[i].fn(vm_change_handlers[i].opaque, running, state);
    }
}

static const char *const shutdown_cause_names[] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
};

RunState runstate_get(void)
{
    return current_state;
}

const char *runstate_name(RunState state)
{
    return runstate_names[state];
}

bool runstate_valid(uint32_t state)
{
    return state < G_N_ELEMENTS(runstate_names) && runstate_names[state];
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

void runstate_set_event_hook(RunstateEventFn fn)
{
    event_hook = fn;
}

void runstate_emit_event(const char *event, const char *data_json)
{
    if (event_hook) {
        event_hook(event, data_json);
    }
}

void vm_start(void)
{
    if (current_state == RUN_STATE_RUNNING) {
        return;
    }
    current_state = RUN_STATE_RUNNING;
    qemu_clock_virtual_resume();
    vm_state_notify(true, RUN_STATE_RUNNING);
    resume_all_vcpus();
    runstate_emit_event("RESUME", NULL);
    main_loop_wakeup();
}

void vm_stop(RunState state)
{
    if (current_state == RUN_STATE_RUNNING) {
        current_state = state;
        pause_all_vcpus();
        qemu_clock_virtual_pause();
        vm_state_notify(false, state);
        runstate_emit_event("STOP", NULL);
    } else {
        current_state = state;
    }
}

static bool cause_is_guest(ShutdownCause cause)
{
    return cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN && cause <= SHUTDOWN_CAUSE_GUEST_PANIC;
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    cpus_request_stop();
    shutdown_requested = cause;
    main_loop_wakeup();
}

/*
 * QMP quit: QEMU 7.2 sends the SHUTDOWN event before quit's reply (its
 * main loop handles the request before the monitor writes the reply out);
 * clients that read up to the event and then the reply expect that order.
 */
/* SHUTDOWN or RESET with QEMU's data: whether the guest asked, and the cause's name. */
static void emit_cause_event(const char *event, ShutdownCause cause)
{
    g_autofree char *data =
        g_strdup_printf("{\"guest\": %s, \"reason\": \"%s\"}",
                        cause_is_guest(cause) ? "true" : "false", shutdown_cause_names[cause]);

    runstate_emit_event(event, data);
}

void qemu_system_quit_request(void)
{
    emit_cause_event("SHUTDOWN", SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    shutdown_event_sent = true;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

void qemu_system_reset_request(ShutdownCause cause)
{
    cpus_request_stop();
    if (no_reboot && cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        shutdown_requested = cause;
    } else {
        reset_requested = cause;
    }
    main_loop_wakeup();
}

void qemu_system_powerdown_request(void)
{
    powerdown_requested = true;
    main_loop_wakeup();
}

void qemu_system_vmstop_request(RunState state)
{
    cpus_request_stop();
    vmstop_requested = state;
    main_loop_wakeup();
}

bool qemu_system_inject_nmi(void)
{
    if (!nmi_fn) {
        return false;
    }
    nmi_fn(nmi_opaque);
    return true;
}

void qemu_register_nmi_handler(void (*fn)(void *opaque), void *opaque)
{
    nmi_fn = fn;
    nmi_opaque = opaque;
}

void qemu_system_debug_request(void)
{
    debug_requested = true;
    main_loop_wakeup();
}

/*
 * What QEMU 7.2 does: -action panic=pause (or shutdown with
 * -action shutdown=pause, i.e. -no-shutdown) stops the VM in the
 * guest-panicked state; shutdown and exit-failure power it off (exit status
 * 0, or 1 for exit-failure); none lets the guest run on.
 */
void qemu_system_guest_panicked(void)
{
    qemu_log_mask(LOG_GUEST_ERROR, "Guest crashed\n");
    if (panic_action == PANIC_ACTION_PAUSE ||
        (panic_action == PANIC_ACTION_SHUTDOWN && no_shutdown)) {
        runstate_emit_event("GUEST_PANICKED", "{\"action\": \"pause\"}");
        qemu_system_vmstop_request(RUN_STATE_GUEST_PANICKED);
    } else if (panic_action == PANIC_ACTION_SHUTDOWN || panic_action == PANIC_ACTION_EXIT_FAILURE) {
        runstate_emit_event("GUEST_PANICKED", "{\"action\": \"poweroff\"}");
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_PANIC);
    } else {
        runstate_emit_event("GUEST_PANICKED", "{\"action\": \"run\"}");
    }
}

void qemu_register_powerdown_notifier(void (*fn)(void *opaque), void *opaque)
{
    powerdown_fn = fn;
    powerdown_opaque = opaque;
}

/* One -action key: its value among the allowed ones, as an index; -1 if not. */
static int action_value(const char *val, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++) {
        if (!strcmp(val, allowed[i])) {
            return i;
        }
    }
    return -1;
}

bool runstate_parse_action(const char *arg, char **err)
{
    static const char *const reboot[] = { "reset", "shutdown", NULL };
    static const char *const shutdown[] = { "poweroff", "pause", NULL };
    /* In PanicAction order. */
    static const char *const panic[] = { "shutdown", "pause", "exit-failure", "none", NULL };
    static const char *const watchdog[] = { "reset", "shutdown", "poweroff", "inject-nmi",
                                            "pause", "debug",    "none",     NULL };
    static const struct {
        const char *key;
        const char *const *allowed;
    } keys[] = {
        { "panic", panic }, { "reboot", reboot }, { "shutdown", shutdown }, { "watchdog", watchdog }
    };
    int chosen[4] = { -1, -1, -1, -1 };
    QemuOpts *opts = qemu_opts_parse(arg, NULL, err);
    const char *unused;

    if (!opts) {
        return false;
    }
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        const char *val = qemu_opt_get(opts, keys[k].key);

        if (val && (chosen[k] = action_value(val, keys[k].allowed)) < 0) {
            *err = g_strdup_printf("Parameter '%s' does not accept value '%s'", keys[k].key, val);
            qemu_opts_free(opts);
            return false;
        }
    }
    unused = qemu_opts_first_unused(opts);
    if (unused) {
        *err = g_strdup_printf("Invalid parameter '%s'", unused);
        qemu_opts_free(opts);
        return false;
    }
    qemu_opts_free(opts);
    /* Applied only once the whole list is valid (the watchdog has no device yet). */
    if (chosen[0] >= 0) {
        panic_action = chosen[0];
    }
    if (chosen[1] >= 0) {
        no_reboot = chosen[1] == 1;
    }
    if (chosen[2] >= 0) {
        no_shutdown = chosen[2] == 1;
    }
    return true;
}

void runstate_reset_actions(void)
{
    panic_action = PANIC_ACTION_SHUTDOWN;
    no_reboot = false;
    no_shutdown = false;
}

void qemu_register_reset(void (*fn)(void *opaque), void *opaque)
{
    reset_fn = fn;
    reset_opaque = opaque;
}

void qemu_system_reset(ShutdownCause cause)
{
    /* CPU state is rewritten: no vCPU may be in guest code meanwhile. */
    pause_all_vcpus();
    if (reset_fn) {
        reset_fn(reset_opaque);
    }
    if (current_state == RUN_STATE_RUNNING) {
        resume_all_vcpus();
    }
    if (cause != SHUTDOWN_CAUSE_NONE) {
        emit_cause_event("RESET", cause);
    }
}

void qemu_system_reset_pending(void)
{
    ShutdownCause cause = reset_requested;

    if (cause == SHUTDOWN_CAUSE_NONE) {
        return;
    }
    reset_requested = SHUTDOWN_CAUSE_NONE;
    qemu_system_reset(cause);
    /* A stopped VM comes out of reset waiting for cont, as QEMU's. */
    if (current_state != RUN_STATE_RUNNING) {
        current_state = RUN_STATE_PRELAUNCH;
    }
}

bool main_loop_should_exit(int *status)
{
    if (shutdown_requested) {
        ShutdownCause cause = shutdown_requested;

        shutdown_requested = SHUTDOWN_CAUSE_NONE;
        if (!shutdown_event_sent) {
            emit_cause_event("SHUTDOWN", cause);
        }
        shutdown_event_sent = false;
        /* -no-shutdown stops the VM, unless QMP quit or a signal asked. */
        if (no_shutdown && cause != SHUTDOWN_CAUSE_HOST_QMP_QUIT &&
            cause != SHUTDOWN_CAUSE_HOST_SIGNAL) {
            vm_stop(RUN_STATE_SHUTDOWN);
            return false;
        }
        *status = cause == SHUTDOWN_CAUSE_GUEST_PANIC && panic_action == PANIC_ACTION_EXIT_FAILURE
                      ? 1
                      : 0;
        pause_all_vcpus();
        return true;
    }
    qemu_system_reset_pending();
    if (vmstop_requested != RUN_STATE_RUNNING) {
        RunState st = vmstop_requested;

        vmstop_requested = RUN_STATE_RUNNING;
        if (current_state == RUN_STATE_RUNNING) {
            vm_stop(st);
        }
    }
    if (debug_requested) {
        debug_requested = false;
        vm_stop(RUN_STATE_DEBUG);
    }
    if (powerdown_requested) {
        powerdown_requested = false;
        runstate_emit_event("POWERDOWN", NULL);
        if (powerdown_fn) {
            powerdown_fn(powerdown_opaque);
        }
    }
    return false;
}

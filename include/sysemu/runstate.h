/*
 * The VM's run state and the requests (shutdown, reset, powerdown) that the
 * guest, QMP, signals and qtest make of the main loop.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "qemu/osdep.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE_DEBUG,          /* stopped by the debugger: a breakpoint, a step */
    RUN_STATE_INMIGRATE,      /* -incoming: waiting for, or loading, a migration stream */
    RUN_STATE_FINISH_MIGRATE, /* stopped while the source writes its last state */
    RUN_STATE_POSTMIGRATE,    /* stopped after the state went to the destination */
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
} ShutdownCause;

RunState runstate_get(void);
const char *runstate_name(RunState state);
/* state is one of the RunState values (a number read from outside). */
bool runstate_valid(uint32_t state);
bool runstate_is_running(void);

/* Start or stop guest execution (QMP cont/stop, -S). */
void vm_start(void);
void vm_stop(RunState state);

/* -action panic=: what a guest panic (ibm,os-term) does; QEMU's default is shutdown. */
typedef enum PanicAction {
    PANIC_ACTION_SHUTDOWN,
    PANIC_ACTION_PAUSE,
    PANIC_ACTION_EXIT_FAILURE,
    PANIC_ACTION_NONE,
} PanicAction;

/*
 * Set by -no-reboot (-action reboot=shutdown), -no-shutdown
 * (-action shutdown=pause) and -action panic=.
 */
extern bool no_reboot;
extern bool no_shutdown;
extern PanicAction panic_action;
/* -action KEY=VALUE,...: false and *err (to g_free) when malformed; nothing changed then. */
bool runstate_parse_action(const char *arg, char **err);
/* -action, -no-reboot and -no-shutdown back to their defaults. */
void runstate_reset_actions(void);

/*
 * Requests are recorded here and carried out by the main loop, never inside
 * the hypercall or command that asked.  A reset request with -no-reboot
 * becomes a shutdown.
 */
void qemu_system_shutdown_request(ShutdownCause cause);
/* QMP quit: the SHUTDOWN event now, then the request. */
void qemu_system_quit_request(void);
void qemu_system_reset_request(ShutdownCause cause);
void qemu_system_powerdown_request(void);
/* Stop the VM in @state from any thread (the main loop carries it out). */
void qemu_system_vmstop_request(RunState state);
/*
 * QMP inject-nmi: the machine's NMI (pseries: a system reset on every
 * processor).  false when the machine has none.
 */
bool qemu_system_inject_nmi(void);
void qemu_register_nmi_handler(void (*fn)(void *opaque), void *opaque);
/* A vCPU stopped for the debugger: the main loop stops the VM (RUN_STATE_DEBUG). */
void qemu_system_debug_request(void);
/* The guest said it crashed (ibm,os-term): the panic action decides what follows. */
void qemu_system_guest_panicked(void);
/*
 * The machine's answer to a powerdown request (QMP system_powerdown), run by
 * the main loop after the POWERDOWN event: pseries raises an EPOW event.
 */
void qemu_register_powerdown_notifier(void (*fn)(void *opaque), void *opaque);

/*
 * Carry out a pending reset request now (main thread): QMP system_reset
 * answers after the reset and its events, as QEMU 7.2 does.
 */
void qemu_system_reset_pending(void);
/* Called by the main loop: handle pending requests; true when it must end. */
bool main_loop_should_exit(int *status);

/*
 * The machine's reset hook, set by the board: rebuilds CPU state, the device
 * tree and device state.
 */
void qemu_register_reset(void (*fn)(void *opaque), void *opaque);
void qemu_system_reset(ShutdownCause cause);

/*
 * Called on every change between running and stopped (vm_start, vm_stop of
 * a running VM), after the vCPUs have parked when stopping.
 */
typedef void (*VMChangeStateFn)(void *opaque, bool running, RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateFn fn, void *opaque);

/* Hook for the monitor to announce events (SHUTDOWN, RESET, STOP, ...). */
typedef void (*RunstateEventFn)(const char *event, const char *data_json);
void runstate_set_event_hook(RunstateEventFn fn);
void runstate_emit_event(const char *event, const char *data_json);

#endif

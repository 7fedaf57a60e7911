/*
 * The main thread's event loop (glib's default GMainContext): chardevs,
 * monitors, qtest, timers, signals.
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "qemu/osdep.h"
#include "qemu/thread.h"

void main_loop_init(void);
/* Run until a shutdown is carried out; returns the process exit status. */
int main_loop_run(void);
/* Wake the loop from another thread or from inside a handler. */
void main_loop_wakeup(void);
/*
 * In the main thread, inside a handler: run the main loop nested until fd
 * meets cond (G_IO_IN, G_IO_HUP...), so the monitors keep reading and
 * answer out-of-band commands meanwhile (in-band ones wait for the handler).
 * For what QEMU does blocking in its main thread (blkdebug's config FIFO).
 */
void main_loop_wait_fd(int fd, GIOCondition cond);

/*
 * Completions a halted vCPU may reap itself while it polls (see "halt
 * polling" in system/cpus.c) instead of waiting for the main loop to wake
 * on them and then wake the vCPU: ready() says whether some are waiting
 * (any thread, no lock), reap() handles them (big lock held), as the main
 * loop's own handler does.  Registered once, by the module that owns them.
 */
void main_loop_add_halt_poll(bool (*ready)(void), void (*reap)(void));
bool main_loop_halt_poll_ready(void);
void main_loop_halt_poll_reap(void);

/*
 * The big lock: vCPU threads take it when they leave guest code; the main
 * loop holds it while it dispatches.
 */
void qemu_mutex_lock_iothread(void);
void qemu_mutex_unlock_iothread(void);
/* Wait on cond with the big lock held; it is released while waiting. */
void qemu_cond_wait_iothread(QemuCond *cond);
/* The same for @ns of host time at most. */
void qemu_cond_timedwait_iothread(QemuCond *cond, int64_t ns);
/* Whether this thread holds the big lock. */
bool qemu_mutex_iothread_locked(void);
/*
 * Let threads waiting for the big lock have it for a moment, if this thread
 * holds it: for long operations done in steps (a hypercall copying RAM).
 */
void qemu_mutex_iothread_yield(void);

#endif

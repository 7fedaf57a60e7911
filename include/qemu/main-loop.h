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
 * The big lock: vCPU threads take it when they leave guest code; the main
 * loop holds it while it dispatches.
 */
void qemu_mutex_lock_iothread(void);
void qemu_mutex_unlock_iothread(void);
/* Wait on cond with the big lock held; it is released while waiting. */
void qemu_cond_wait_iothread(QemuCond *cond);
/* The same for @ns of host time at most. */
void qemu_cond_timedwait_iothread(QemuCond *cond, int64_t ns);

#endif

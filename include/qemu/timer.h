/*
 * Clocks and timers.  The virtual clock stops while the VM is stopped and is
 * driven by hand under qtest (clock_step, clock_set); the realtime and host
 * clocks follow the host.  Timers fire from the main loop.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME, /* monotonic host time */
    QEMU_CLOCK_VIRTUAL,  /* guest time: stops with the VM, qtest-driven */
    QEMU_CLOCK_HOST,     /* host wall-clock time (UTC, ns since the epoch) */
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);
typedef struct QEMUTimer QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);

/* The virtual clock follows the host while running, unless qtest owns it. */
void qemu_clock_virtual_set_manual(bool manual);
void qemu_clock_virtual_pause(void);
void qemu_clock_virtual_resume(void);
/* Advance the manual virtual clock to ns, running the timers due on the way. */
void qemu_clock_virtual_advance_to(int64_t ns);
/* Earliest armed virtual-clock deadline, or -1. */
int64_t qemu_clock_virtual_deadline(void);
/*
 * -icount: the virtual clock reads @source, and its timers are left to the
 * caller of qemu_clock_virtual_run_due() (the vCPU thread, big lock held).
 */
void qemu_clock_virtual_set_source(int64_t (*source)(void));
/* Run the virtual-clock timers due now (big lock held; any thread). */
void qemu_clock_virtual_run_due(void);
/*
 * The earliest virtual-clock deadline on the realtime clock's scale, or -1
 * (none, or the virtual clock is not following the host: stopped, manual,
 * -icount).  Big lock held.
 */
int64_t qemu_clock_virtual_deadline_host(void);

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque);
void timer_mod(QEMUTimer *t, int64_t expire_ns);
void timer_del(QEMUTimer *t);
void timer_free(QEMUTimer *t);
bool timer_pending(QEMUTimer *t);

/*
 * Run the expired timers of every clock; returns ns until the next, or -1.
 * The main loop calls it before each sleep.
 */
int64_t timers_run_expired(void);
/*
 * Called by the main loop's thread: from now on a timer armed by another
 * thread earlier than the deadline the loop sleeps toward calls wakeup.
 */
void timers_set_wakeup(void (*wakeup)(void));

#endif

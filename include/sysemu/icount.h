/*
 * -icount: virtual time counted in executed guest instructions (2^shift ns
 * each), so a guest sees the same time base and timer interrupts at the same
 * instruction on every run.  The vCPUs then run round-robin in one thread.
 */
#ifndef SYSEMU_ICOUNT_H
#define SYSEMU_ICOUNT_H

#include "qemu/osdep.h"
#include "qemu/thread.h"

/* QEMU 7.2's largest shift: 1024 ns per instruction. */
#define ICOUNT_MAX_SHIFT 10

/*
 * Parse the -icount argument (shift=N|auto, align=on|off, sleep=on|off; a bare
 * N is shift=N); a bad one exits with QEMU 7.2's message.  Without shift, icount
 * stays off.
 */
void icount_configure(const char *arg);
/* Back to no -icount (before any vCPU ran). */
void icount_reset(void);
bool icount_enabled(void);
/* The current shift (auto adjusts it). */
int icount_shift(void);

/* The virtual clock under icount: ns of virtual time counted so far. */
int64_t icount_clock_ns(void);

/*
 * The vCPU thread, big lock not held, between blocks: runs the virtual-clock
 * timers that are due (taking the big lock), then returns how many more
 * instructions may run before the next deadline or the end of the CPU's time
 * slice; 0 means the slice is over.
 */
uint64_t icount_budget(void);
/* @n instructions are about to run. */
void icount_account(uint64_t n);
/* The round-robin thread gives the next CPU a slice (big lock held). */
void icount_start_slice(void);
/*
 * No CPU can run (big lock held, the VM running): let virtual time pass to the
 * next deadline (at once with sleep=off, in real time otherwise; a kick on
 * @cond ends the wait early) and run the timers due.
 */
void icount_idle(QemuCond *cond);

#endif

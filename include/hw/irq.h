/*
 * Interrupt lines: a device raises, lowers or pulses a line; whoever wired
 * it (the board, to an interrupt-controller source) decides what that does.
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "qemu/osdep.h"

/* Called with the line's new level (0 or 1); n tells lines of one sink apart. */
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

typedef struct IRQState *qemu_irq;

/* A line that calls handler(opaque, n, level) on every change. */
qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);

/* Set the level.  A NULL line (not wired) ignores it. */
void qemu_set_irq(qemu_irq irq, int level);

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

/* An edge: raise then lower (message-signalled sources). */
static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

#endif

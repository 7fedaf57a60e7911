/*
 * Interrupt lines (include/hw/irq.h): a handler, its opaque pointer and a
 * line number.
 */
#include "hw/irq.h"

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
};

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq irq = g_new(struct IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}

void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

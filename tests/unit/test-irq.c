/*
 * Interrupt lines: levels reach the handler with its opaque pointer and line
 * number; an unwired (NULL) line ignores them.
 */
#include "hw/irq.h"

typedef struct Sink {
    int calls;
    int last_n;
    int levels[4];
} Sink;

static void sink_handler(void *opaque, int n, int level)
{
    Sink *s = opaque;

    s->last_n = n;
    s->levels[s->calls++ % 4] = level;
}

static void test_levels(void)
{
    Sink s = { 0 };
    qemu_irq irq = qemu_allocate_irq(sink_handler, &s, 7);

    qemu_irq_raise(irq);
    qemu_irq_lower(irq);
    g_assert_cmpint(s.calls, ==, 2);
    g_assert_cmpint(s.levels[0], ==, 1);
    g_assert_cmpint(s.levels[1], ==, 0);
    g_assert_cmpint(s.last_n, ==, 7);
    qemu_irq_pulse(irq);
    g_assert_cmpint(s.calls, ==, 4);
    g_assert_cmpint(s.levels[2], ==, 1);
    g_assert_cmpint(s.levels[3], ==, 0);
    qemu_free_irq(irq);
}

static void test_unwired(void)
{
    qemu_irq_raise(NULL);
    qemu_irq_pulse(NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/irq/levels", test_levels);
    g_test_add_func("/irq/unwired", test_unwired);
    return g_test_run();
}

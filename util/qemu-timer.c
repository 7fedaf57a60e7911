/*
 * Clocks (realtime, virtual, host) and timers on them, run by the main loop.
 */
#include "qemu/timer.h"

struct QEMUTimer {
    QEMUClockType type;
    QEMUTimerCB *cb;
    void *opaque;
    int64_t expire; /* -1 when not armed */
};

static GPtrArray *timers;

/*
 * The main loop sleeps until the earliest deadline it saw (timers_run_expired);
 * a timer armed earlier than that from another thread (a vCPU writing the
 * decrementer, a device in a hypercall) must wake it, or it fires late.
 */
static void (*loop_wakeup)(void);
static GThread *loop_thread;
static bool loop_counts[QEMU_CLOCK_MAX];      /* the clock's timers set the loop's sleep */
static int64_t loop_deadline[QEMU_CLOCK_MAX]; /* the earliest it saw, -1: none */

/* Virtual clock: frozen value while paused or manual, else host - offset. */
static bool vclock_manual;
static bool vclock_running;
static int64_t vclock_frozen;
static int64_t vclock_offset;

/* -icount: the virtual clock counts instructions; the vCPU thread runs its timers. */
static int64_t (*vclock_source)(void);

void qemu_clock_virtual_set_source(int64_t (*source)(void))
{
    vclock_source = source;
}

/*
 * The host's monotonic clock in nanoseconds.  Not g_get_monotonic_time(),
 * which counts microseconds: the time base (512 MHz) then stood still for
 * 512 ticks, and two mftb a few instructions apart read the same value.
 */
static int64_t host_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return host_monotonic_ns();
    case QEMU_CLOCK_HOST:
        return g_get_real_time() * 1000;
    case QEMU_CLOCK_VIRTUAL:
    default:
        if (vclock_source) {
            return vclock_source();
        }
        if (vclock_running && !vclock_manual) {
            return host_monotonic_ns() - vclock_offset;
        }
        return vclock_frozen;
    }
}

void qemu_clock_virtual_set_manual(bool manual)
{
    vclock_frozen = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    vclock_manual = manual;
    vclock_offset = host_monotonic_ns() - vclock_frozen;
}

void qemu_clock_virtual_pause(void)
{
    vclock_frozen = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    vclock_running = false;
}

void qemu_clock_virtual_resume(void)
{
    if (!vclock_running) {
        vclock_offset = host_monotonic_ns() - vclock_frozen;
        vclock_running = true;
    }
}

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *t = g_new0(QEMUTimer, 1);

    t->type = type;
    t->cb = cb;
    t->opaque = opaque;
    t->expire = -1;
    if (!timers) {
        timers = g_ptr_array_new();
    }
    g_ptr_array_add(timers, t);
    return t;
}

void timers_set_wakeup(void (*wakeup)(void))
{
    loop_wakeup = wakeup;
    loop_thread = g_thread_self();
}

void timer_mod(QEMUTimer *t, int64_t expire_ns)
{
    t->expire = expire_ns < 0 ? 0 : expire_ns;
    /* The loop's own thread recomputes its deadline before it sleeps again. */
    if (loop_wakeup && loop_counts[t->type] && g_thread_self() != loop_thread &&
        (loop_deadline[t->type] < 0 || t->expire < loop_deadline[t->type])) {
        loop_deadline[t->type] = t->expire;
        loop_wakeup();
    }
}

void timer_del(QEMUTimer *t)
{
    t->expire = -1;
}

bool timer_pending(QEMUTimer *t)
{
    return t->expire >= 0;
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        g_ptr_array_remove(timers, t);
        g_free(t);
    }
}

static int64_t deadline_of(QEMUClockType type)
{
    int64_t best = -1;

    for (guint i = 0; timers && i < timers->len; i++) {
        QEMUTimer *t = g_ptr_array_index(timers, i);

        if (t->type == type && t->expire >= 0 && (best < 0 || t->expire < best)) {
            best = t->expire;
        }
    }
    return best;
}

int64_t qemu_clock_virtual_deadline(void)
{
    return deadline_of(QEMU_CLOCK_VIRTUAL);
}

/* Fire every timer of type due at now; true when one fired. */
static bool run_due(QEMUClockType type, int64_t now)
{
    for (guint i = 0; timers && i < timers->len; i++) {
        QEMUTimer *t = g_ptr_array_index(timers, i);

        if (t->type == type && t->expire >= 0 && t->expire <= now) {
            t->expire = -1;
            t->cb(t->opaque);
            /* The callback may have changed the list: rescan. */
            return true;
        }
    }
    return false;
}

int64_t qemu_clock_virtual_deadline_host(void)
{
    int64_t d = deadline_of(QEMU_CLOCK_VIRTUAL);

    if (d < 0 || !vclock_running || vclock_manual || vclock_source) {
        return -1;
    }
    return d + vclock_offset;
}

void qemu_clock_virtual_run_due(void)
{
    while (run_due(QEMU_CLOCK_VIRTUAL, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL))) {
    }
}

void qemu_clock_virtual_advance_to(int64_t ns)
{
    int64_t next;

    /* Step through each deadline so timers see the clock at their time. */
    while ((next = qemu_clock_virtual_deadline()) >= 0 && next <= ns) {
        if (next > vclock_frozen) {
            vclock_frozen = next;
        }
        run_due(QEMU_CLOCK_VIRTUAL, vclock_frozen);
    }
    if (ns > vclock_frozen) {
        vclock_frozen = ns;
    }
}

int64_t timers_run_expired(void)
{
    int64_t wait_ns = -1;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        int64_t d;

        loop_counts[type] =
            !(type == QEMU_CLOCK_VIRTUAL && (vclock_manual || !vclock_running || vclock_source));
        if (!loop_counts[type]) {
            continue;
        }
        while (run_due(type, qemu_clock_get_ns(type))) {
        }
        d = deadline_of(type);
        loop_deadline[type] = d;
        if (d >= 0) {
            int64_t delta = d - qemu_clock_get_ns(type);

            if (delta < 0) {
                delta = 0;
            }
            if (wait_ns < 0 || delta < wait_ns) {
                wait_ns = delta;
            }
        }
    }
    return wait_ns;
}

/*
 * The main thread's loop: glib's default context for I/O, our timers, and
 * the run-state requests checked after every dispatch.
 */
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

#include <glib-unix.h>
#include <signal.h>
#include <sys/timerfd.h>

static QemuMutex iothread_lock = QEMU_MUTEX_INITIALIZER;
static GPollFunc default_poll;
/*
 * Wakes the loop for the next timer with nanosecond precision (glib's own
 * timeouts count milliseconds: a guest's decrementer would fire up to 1 ms
 * late).  -1 if the host has no timerfd: then millisecond timeouts.
 */
static int timer_fd = -1;

void qemu_mutex_lock_iothread(void)
{
    qemu_mutex_lock(&iothread_lock);
}

void qemu_mutex_unlock_iothread(void)
{
    qemu_mutex_unlock(&iothread_lock);
}

void qemu_cond_wait_iothread(QemuCond *cond)
{
    qemu_cond_wait(cond, &iothread_lock);
}

/* Drop the big lock while blocked in poll so vCPU threads can take it. */
static gint locked_poll(GPollFD *fds, guint nfds, gint timeout)
{
    gint ret;

    qemu_mutex_unlock_iothread();
    ret = default_poll(fds, nfds, timeout);
    qemu_mutex_lock_iothread();
    return ret;
}

static gboolean on_signal(gpointer data)
{
    int sig = GPOINTER_TO_INT(data);

    fprintf(stderr, "%s: terminating on signal %d\n",
            g_get_prgname() ? g_get_prgname() : "qemu-system-ppc64", sig);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

static gboolean timer_fd_ready(gint fd, GIOCondition cond, gpointer data)
{
    uint64_t expirations;

    if (read(fd, &expirations, sizeof(expirations)) < 0) {
        /* nothing to drain (EAGAIN): the loop re-arms it anyway */
    }
    return G_SOURCE_CONTINUE;
}

/* Arm the timer fd to fire after ns (> 0), or disarm it (ns < 0). */
static void timer_fd_arm(int64_t ns)
{
    struct itimerspec when = { 0 };

    if (ns >= 0) {
        ns = MAX(ns, 1);
        when.it_value.tv_sec = ns / NANOSECONDS_PER_SECOND;
        when.it_value.tv_nsec = ns % NANOSECONDS_PER_SECOND;
    }
    timerfd_settime(timer_fd, 0, &when, NULL);
}

void main_loop_init(void)
{
    GMainContext *ctx = g_main_context_default();

    default_poll = g_main_context_get_poll_func(ctx);
    g_main_context_set_poll_func(ctx, locked_poll);
    g_unix_signal_add(SIGTERM, on_signal, GINT_TO_POINTER(SIGTERM));
    g_unix_signal_add(SIGINT, on_signal, GINT_TO_POINTER(SIGINT));
    g_unix_signal_add(SIGHUP, on_signal, GINT_TO_POINTER(SIGHUP));
    timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (timer_fd >= 0) {
        g_unix_fd_add(timer_fd, G_IO_IN, timer_fd_ready, NULL);
    }
    qemu_mutex_lock_iothread();
}

void main_loop_wakeup(void)
{
    g_main_context_wakeup(g_main_context_default());
}

static gboolean timer_wakeup(gpointer data)
{
    guint *id = data;

    *id = 0;
    return G_SOURCE_REMOVE;
}

int main_loop_run(void)
{
    int status = 0;

    while (!main_loop_should_exit(&status)) {
        int64_t ns = timers_run_expired();
        guint id = 0;

        if (main_loop_should_exit(&status)) {
            break;
        }
        if (timer_fd >= 0) {
            timer_fd_arm(ns);
        } else if (ns >= 0) {
            id = g_timeout_add(MIN((ns + 999999) / 1000000, G_MAXINT), timer_wakeup, &id);
        }
        g_main_context_iteration(NULL, TRUE);
        if (id) {
            g_source_remove(id);
        }
    }
    return status;
}

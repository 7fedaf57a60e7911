/*
 * The main thread's loop: glib's default context for I/O, our timers, and
 * the run-state requests checked after every dispatch.
 */
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qtest/qtest.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <sched.h>
#include <signal.h>
#include <sys/timerfd.h>
#include <unistd.h>

static QemuMutex iothread_lock = QEMU_MUTEX_INITIALIZER;
static GPollFunc default_poll;
/*
 * Wakes the loop for the next timer with nanosecond precision (glib's own
 * timeouts count milliseconds: a guest's decrementer would fire up to 1 ms
 * late).  -1 if the host has no timerfd: then millisecond timeouts.
 */
static int timer_fd = -1;
/* When the timer fd fires (CLOCK_MONOTONIC ns), or -1 when disarmed. */
static int64_t timer_fd_when = -1;
static GThread *main_thread;
/* A wakeup is on its way to the loop's poll: more need not write the eventfd again. */
static bool wakeup_pending;

/*
 * Threads blocked on the big lock.  pthread mutexes are not fair: a vCPU that
 * drops the lock between two hypercalls takes it again before the waiter it
 * woke gets to run, so a guest making long hypercalls back to back kept the
 * monitor waiting for seconds (tests/guest/run-abuse.py, memop).  A thread that
 * finds others blocked lets them go first: it yields until they have the lock,
 * for IOTHREAD_POLITE_NS at most (a woken thread may wait for a CPU that long
 * on a loaded host).
 */
static int iothread_waiters;
static __thread bool iothread_held;
#define IOTHREAD_POLITE_NS (20 * 1000 * 1000)

void qemu_mutex_lock_iothread(void)
{
    if (__atomic_load_n(&iothread_waiters, __ATOMIC_ACQUIRE)) {
        int64_t end = g_get_monotonic_time() * 1000 + IOTHREAD_POLITE_NS;

        do {
            sched_yield();
        } while (__atomic_load_n(&iothread_waiters, __ATOMIC_ACQUIRE) &&
                 g_get_monotonic_time() * 1000 < end);
    }
    if (pthread_mutex_trylock(&iothread_lock.m) != 0) {
        __atomic_add_fetch(&iothread_waiters, 1, __ATOMIC_SEQ_CST);
        qemu_mutex_lock(&iothread_lock);
        __atomic_sub_fetch(&iothread_waiters, 1, __ATOMIC_SEQ_CST);
    }
    iothread_held = true;
}

bool qemu_mutex_iothread_locked(void)
{
    return iothread_held;
}

void qemu_mutex_iothread_yield(void)
{
    if (iothread_held && __atomic_load_n(&iothread_waiters, __ATOMIC_ACQUIRE)) {
        qemu_mutex_unlock_iothread();
        qemu_mutex_lock_iothread();
    }
}

void qemu_mutex_unlock_iothread(void)
{
    iothread_held = false;
    qemu_mutex_unlock(&iothread_lock);
}

void qemu_cond_wait_iothread(QemuCond *cond)
{
    qemu_cond_wait(cond, &iothread_lock);
}

void qemu_cond_timedwait_iothread(QemuCond *cond, int64_t ns)
{
    qemu_cond_timedwait(cond, &iothread_lock, ns);
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

/*
 * SIGTERM, SIGINT, SIGHUP: the handler only passes the signal and its
 * sender on through a pipe; the loop reports and shuts down.
 */
typedef struct SignalNote {
    int sig;
    pid_t pid; /* 0: not sent by a process (a terminal's ^C) */
} SignalNote;

static int signal_pipe[2] = { -1, -1 };

static void signal_handler(int sig, siginfo_t *info, void *ctx)
{
    SignalNote note = { sig, info ? info->si_pid : 0 };
    int saved = errno;

    if (write(signal_pipe[1], &note, sizeof(note)) < 0) {
        /* the pipe is full: a shutdown is on its way already */
    }
    errno = saved;
}

/* The sender's name as QEMU 7.2 gives it: the first word of its command line. */
static char *pid_name(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return NULL;
    }
    return text;
}

static gboolean on_signal(gint fd, GIOCondition cond, gpointer data)
{
    const char *prog = g_get_prgname() ? g_get_prgname() : "qemu-system-ppc64";
    static bool reported;
    SignalNote note;

    while (read(fd, &note, sizeof(note)) == sizeof(note)) {
        if (reported) {
            /*
             * QEMU 7.2 reports once, when it leaves its loop (timeout(1)
             * signals its child, then the child's whole group: two SIGTERMs).
             */
        } else if (qtest_driver()) {
            /* A qtest driver ends its machines by signal: QEMU 7.2 says nothing then. */
        } else if (note.pid) {
            g_autofree char *name = pid_name(note.pid);

            fprintf(stderr, "%s: terminating on signal %d from pid %d (%s)\n", prog, note.sig,
                    (int)note.pid, name ? name : "<unknown process>");
        } else {
            fprintf(stderr, "%s: terminating on signal %d\n", prog, note.sig);
        }
        reported = true;
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    }
    return G_SOURCE_CONTINUE;
}

static void signals_init(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction sa = { 0 };

    if (!g_unix_open_pipe(signal_pipe, FD_CLOEXEC, NULL)) {
        return;
    }
    g_unix_set_fd_nonblocking(signal_pipe[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(signal_pipe[1], TRUE, NULL);
    g_unix_fd_add(signal_pipe[0], G_IO_IN, on_signal, NULL);
    sa.sa_sigaction = signal_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
}

static gboolean timer_fd_ready(gint fd, GIOCondition cond, gpointer data)
{
    uint64_t expirations;

    if (read(fd, &expirations, sizeof(expirations)) < 0) {
        /* nothing to drain (EAGAIN): the loop re-arms it anyway */
    }
    timer_fd_when = -1; /* a one-shot timer: it is disarmed now */
    return G_SOURCE_CONTINUE;
}

/*
 * Arm the timer fd to fire after ns (>= 0), or disarm it (ns < 0).  Each
 * round asks again; the fd is only re-armed when the deadline moved (a
 * syscall per round costs more than the round itself).  One that fires a
 * little early just gives another round.
 */
static void timer_fd_arm(int64_t ns)
{
    struct itimerspec when = { 0 };
    int64_t at = -1;

    if (ns >= 0) {
        at = g_get_monotonic_time() * 1000 + ns;
        if (timer_fd_when >= 0 && at >= timer_fd_when && at - timer_fd_when < 50000) {
            return;
        }
        when.it_value.tv_sec = at / NANOSECONDS_PER_SECOND;
        when.it_value.tv_nsec = at % NANOSECONDS_PER_SECOND;
    } else if (timer_fd_when < 0) {
        return;
    }
    timer_fd_when = at;
    timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &when, NULL);
}

void main_loop_init(void)
{
    GMainContext *ctx = g_main_context_default();

    default_poll = g_main_context_get_poll_func(ctx);
    g_main_context_set_poll_func(ctx, locked_poll);
    signals_init();
    timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (timer_fd >= 0) {
        guint id = g_unix_fd_add(timer_fd, G_IO_IN, timer_fd_ready, NULL);

        /*
         * A source that may not recurse has its descriptors detached while
         * it is dispatched, which wakes the loop again at once.
         */
        g_source_set_can_recurse(g_main_context_find_source_by_id(NULL, id), TRUE);
    }
    main_thread = g_thread_self();
    timers_set_wakeup(main_loop_wakeup);
    qemu_mutex_lock_iothread();
}

/*
 * From the loop's own thread a wakeup is not needed: it recomputes its
 * timers and sources before it sleeps again.  From other threads, one
 * eventfd write per round is enough.
 */
void main_loop_wakeup(void)
{
    if (g_thread_self() == main_thread) {
        return;
    }
    if (!__atomic_exchange_n(&wakeup_pending, true, __ATOMIC_SEQ_CST)) {
        g_main_context_wakeup(g_main_context_default());
    }
}

#define HALT_POLL_SOURCES 4
static struct {
    bool (*ready)(void);
    void (*reap)(void);
} halt_poll[HALT_POLL_SOURCES];
static unsigned n_halt_poll;

void main_loop_add_halt_poll(bool (*ready)(void), void (*reap)(void))
{
    g_assert(n_halt_poll < HALT_POLL_SOURCES);
    halt_poll[n_halt_poll].ready = ready;
    halt_poll[n_halt_poll].reap = reap;
    /* Published after the entry: pollers read the count without the lock. */
    __atomic_store_n(&n_halt_poll, n_halt_poll + 1, __ATOMIC_RELEASE);
}

bool main_loop_halt_poll_ready(void)
{
    unsigned n = __atomic_load_n(&n_halt_poll, __ATOMIC_ACQUIRE);

    for (unsigned i = 0; i < n; i++) {
        if (halt_poll[i].ready()) {
            return true;
        }
    }
    return false;
}

void main_loop_halt_poll_reap(void)
{
    unsigned n = __atomic_load_n(&n_halt_poll, __ATOMIC_ACQUIRE);

    for (unsigned i = 0; i < n; i++) {
        halt_poll[i].reap();
    }
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
        int64_t ns;
        guint id = 0;

        /* Wakeups from now on must reach the poll below. */
        __atomic_store_n(&wakeup_pending, false, __ATOMIC_SEQ_CST);
        ns = timers_run_expired();

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

static gboolean nested_fd_ready(gint fd, GIOCondition cond, gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

void main_loop_wait_fd(int fd, GIOCondition cond)
{
    bool ready = false;
    guint id = g_unix_fd_add(fd, cond, nested_fd_ready, &ready);

    while (!ready) {
        g_main_context_iteration(NULL, TRUE);
    }
    (void)id; /* removed by nested_fd_ready */
}

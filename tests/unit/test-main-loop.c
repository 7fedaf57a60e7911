/*
 * The main loop's sleep (system/main-loop.c, util/qemu-timer.c, net/slirp.c): a
 * timer armed from another thread earlier than the loop's deadline wakes it, and
 * the loop sleeps while sources with descriptors (user networking, the timer fd)
 * are attached instead of spinning on glib's own wakeups.
 */
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "net/net-backends.h"
#include "net/net.h"
#include "sysemu/runstate.h"

#include <sys/socket.h>
#include <netinet/in.h>

#define MS 1000000LL

/* Rounds of the loop, counted by a source's prepare (glib calls it once per round). */
static unsigned rounds;

static gboolean count_prepare(GSource *source, gint *timeout)
{
    rounds++;
    *timeout = -1;
    return FALSE;
}

static gboolean count_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs count_funcs = {
    .prepare = count_prepare,
    .dispatch = count_dispatch,
};

static void quit(void *opaque)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

/* Run the loop until a timer calls quit(); returns the wall time in ns. */
static int64_t run_loop(void)
{
    int64_t t0 = now_ns();

    g_assert_cmpint(main_loop_run(), ==, 0);
    return now_ns() - t0;
}

static gpointer arm_later(gpointer timer)
{
    g_usleep(50000);
    qemu_mutex_lock_iothread();
    timer_mod(timer, now_ns() + MS);
    qemu_mutex_unlock_iothread();
    return NULL;
}

/* A vCPU-like thread arms a near timer while the loop sleeps toward a far one. */
static void test_timer_from_thread(void)
{
    QEMUTimer *far = timer_new_ns(QEMU_CLOCK_REALTIME, quit, NULL);
    QEMUTimer *near = timer_new_ns(QEMU_CLOCK_REALTIME, quit, NULL);
    GThread *t;
    int64_t took, t0;

    timer_mod(far, now_ns() + 20000 * MS);
    /* From before the thread starts its 50 ms sleep (a loaded host may run it first). */
    t0 = now_ns();
    t = g_thread_new("arm", arm_later, near);
    run_loop();
    took = now_ns() - t0;
    g_thread_join(t);
    /* Without the wakeup the loop would sleep the 20 s of the far timer. */
    g_assert_cmpint(took, <, 5000 * MS);
    g_assert_cmpint(took, >=, 50 * MS);
    timer_free(far);
    timer_free(near);
}

static QEMUTimer *tick_timer;
static unsigned ticks;

static void tick(void *opaque)
{
    if (++ticks == 10) {
        quit(NULL);
    } else {
        timer_mod(tick_timer, now_ns() + 20 * MS);
    }
}

/*
 * Ten timer expiries take about ten rounds: the timer fd's dispatch must not
 * wake the loop again (glib detaches and re-attaches the descriptors of a
 * source that may not recurse, and each of those wakes the loop).
 */
static void test_timer_rounds(void)
{
    GSource *counter = g_source_new(&count_funcs, sizeof(GSource));

    g_source_attach(counter, NULL);
    tick_timer = timer_new_ns(QEMU_CLOCK_REALTIME, tick, NULL);
    ticks = 0;
    timer_mod(tick_timer, now_ns() + 20 * MS);
    rounds = 0;
    run_loop();
    g_assert_cmpuint(ticks, ==, 10);
    g_assert_cmpuint(rounds, <=, 16);
    g_source_destroy(counter);
    g_source_unref(counter);
    timer_free(tick_timer);
}

/* A free TCP port on loopback. */
static int free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(s, >=, 0);
    g_assert_cmpint(bind(s, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_assert_cmpint(getsockname(s, (struct sockaddr *)&a, &len), ==, 0);
    close(s);
    return ntohs(a.sin_port);
}

/*
 * User networking with a listening hostfwd socket: an idle loop sleeps (slirp
 * asks for its 500 ms timer) rather than going round without pause.
 */
static void test_slirp_idle(void)
{
    g_autofree char *arg = g_strdup_printf("user,hostfwd=tcp:127.0.0.1:%d-:22", free_port());
    GSource *counter = g_source_new(&count_funcs, sizeof(GSource));
    QEMUTimer *stop = timer_new_ns(QEMU_CLOCK_REALTIME, quit, NULL);
    char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "type", &perr);
    Error *err = NULL;
    NetClientState *nc;

    g_assert_nonnull(opts);
    nc = net_init_slirp(opts, "n0", &err);
    g_assert_null(err);
    g_assert_nonnull(nc);
    g_source_attach(counter, NULL);
    timer_mod(stop, now_ns() + 300 * MS);
    rounds = 0;
    run_loop();
    g_assert_cmpuint(rounds, <=, 10);
    g_source_destroy(counter);
    g_source_unref(counter);
    timer_free(stop);
    qemu_del_net_client(nc);
    qemu_opts_free(opts);
}

/*
 * The clocks count nanoseconds, not microseconds times 1000: otherwise the
 * guest's time base (512 MHz, from the virtual clock) stands still for 512
 * ticks and two mftb in a row read the same value.  Of 64 readings of each,
 * at least one is not a whole microsecond (all 64 are with a clock in
 * microseconds; with nanoseconds the chance is 1000^-64).
 */
static void test_clock_resolution(void)
{
    unsigned sub_us[2] = { 0, 0 };

    qemu_clock_virtual_resume();
    for (int i = 0; i < 64; i++) {
        sub_us[0] += qemu_clock_get_ns(QEMU_CLOCK_REALTIME) % 1000 != 0;
        sub_us[1] += qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) % 1000 != 0;
    }
    qemu_clock_virtual_pause();
    g_assert_cmpuint(sub_us[0], >, 0);
    g_assert_cmpuint(sub_us[1], >, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    g_test_add_func("/main-loop/timer-from-thread", test_timer_from_thread);
    g_test_add_func("/main-loop/timer-rounds", test_timer_rounds);
    g_test_add_func("/main-loop/slirp-idle", test_slirp_idle);
    g_test_add_func("/main-loop/clock-resolution", test_clock_resolution);
    return g_test_run();
}

/*
 * -icount: the virtual clock counts executed guest instructions, 2^shift ns
 * each, instead of following the host; its timers fire from the vCPU thread at
 * the instruction their deadline falls on.  Idle time (every CPU halted) passes
 * in real time (sleep=on) or at once (sleep=off).
 */
#include "sysemu/icount.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "qemu/thread.h"
#include "qemu/timer.h"

/*
 * A round-robin time slice: 10 ms of virtual time, counted in instructions
 * (deterministic, unlike a host-time kick).
 */
#define SLICE_NS 10000000LL
/* shift=auto: the shift it starts with, and how often it is adjusted (host ns). */
#define AUTO_START_SHIFT 3
#define AUTO_PERIOD_NS 100000000LL

static bool enabled;
static bool auto_shift;
static bool sleep_on = true;
static bool align_on;
static int shift;
/*
 * Instructions counted so far, and the virtual ns that come from elsewhere
 * (idle time, a shift change): written by the vCPU thread, read by any.
 */
static uint64_t insns;
static int64_t bias_ns;
/* The instruction count at which the current slice ends. */
static uint64_t slice_end;
/* shift=auto and align=on: when they last looked (host ns, virtual ns). */
static int64_t last_host_ns, last_virt_ns;
static int64_t start_host_ns, start_virt_ns;

bool icount_enabled(void)
{
    return enabled;
}

int icount_shift(void)
{
    return __atomic_load_n(&shift, __ATOMIC_RELAXED);
}

int64_t icount_clock_ns(void)
{
    return __atomic_load_n(&bias_ns, __ATOMIC_RELAXED) +
           (int64_t)(__atomic_load_n(&insns, __ATOMIC_RELAXED) << icount_shift());
}

static int64_t host_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

/* Move the clock forward by @ns without instructions (idle time). */
static void warp(int64_t ns)
{
    if (ns > 0) {
        __atomic_store_n(&bias_ns, bias_ns + ns, __ATOMIC_RELAXED);
    }
}

/* A new shift that keeps the clock where it is. */
static void set_shift(int s)
{
    int64_t now = icount_clock_ns();

    __atomic_store_n(&shift, s, __ATOMIC_RELAXED);
    __atomic_store_n(&bias_ns, now - (int64_t)(insns << s), __ATOMIC_RELAXED);
}

/*
 * shift=auto: a guest clock running ahead of the host's gets a smaller shift,
 * one falling behind a larger one (as QEMU adapts it), every 100 ms of host time.
 */
static void auto_adjust(void)
{
    int64_t h = host_ns(), v = icount_clock_ns();
    int64_t drift = (v - start_virt_ns) - (h - start_host_ns);

    if (h - last_host_ns < AUTO_PERIOD_NS) {
        return;
    }
    last_host_ns = h;
    if (drift > 0 && shift > 0) {
        set_shift(shift - 1);
    } else if (drift < 0 && shift < ICOUNT_MAX_SHIFT) {
        set_shift(shift + 1);
    }
}

/* align=on: a guest clock ahead of the host's waits for it (sleeps). */
static void align_with_host(void)
{
    int64_t ahead = (icount_clock_ns() - start_virt_ns) - (host_ns() - start_host_ns);

    if (ahead > 1000000) {
        g_usleep(ahead / 1000);
    }
}

static void run_due_timers(void)
{
    qemu_mutex_lock_iothread();
    qemu_clock_virtual_run_due();
    qemu_mutex_unlock_iothread();
}

uint64_t icount_budget(void)
{
    int64_t deadline, now;
    uint64_t left;

    if (auto_shift) {
        auto_adjust();
    }
    for (;;) {
        deadline = qemu_clock_virtual_deadline();
        now = icount_clock_ns();
        if (deadline < 0 || deadline > now) {
            break;
        }
        run_due_timers();
    }
    if (insns >= slice_end) {
        return 0;
    }
    left = slice_end - insns;
    if (deadline >= 0) {
        /* Instructions until the clock reaches the deadline (rounded up). */
        uint64_t to_deadline = ((uint64_t)(deadline - now) + (1ULL << shift) - 1) >> shift;

        left = MIN(left, to_deadline);
    }
    return left;
}

void icount_account(uint64_t n)
{
    __atomic_store_n(&insns, insns + n, __ATOMIC_RELAXED);
}

void icount_start_slice(void)
{
    if (align_on) {
        qemu_mutex_unlock_iothread();
        align_with_host();
        qemu_mutex_lock_iothread();
    }
    slice_end = insns + MAX(1, SLICE_NS >> shift);
}

void icount_idle(QemuCond *cond)
{
    int64_t deadline = qemu_clock_virtual_deadline();
    int64_t now = icount_clock_ns();

    if (deadline < 0) {
        /* Nothing will happen in virtual time: wait for the outside world. */
        qemu_cond_wait_iothread(cond);
        return;
    }
    if (deadline > now && sleep_on) {
        int64_t start = host_ns();

        qemu_cond_timedwait_iothread(cond, deadline - now);
        /* Woken early (a device, a monitor command): only the time that passed. */
        warp(MIN(host_ns() - start, deadline - now));
    } else {
        warp(deadline - now);
    }
    qemu_clock_virtual_run_due();
}

/* The guest's clock source from now on. */
static void start(void)
{
    enabled = true;
    start_host_ns = last_host_ns = host_ns();
    start_virt_ns = last_virt_ns = 0;
    qemu_clock_virtual_set_source(icount_clock_ns);
}

/*
 * The -icount options while they are checked: every error below exits, and a
 * static keeps them reachable until then (LeakSanitizer's check at exit).
 */
static QemuOpts *icount_opts;

void icount_reset(void)
{
    if (enabled) {
        qemu_clock_virtual_set_source(NULL);
    }
    enabled = auto_shift = align_on = false;
    sleep_on = true;
    shift = 0;
    g_clear_pointer(&icount_opts, qemu_opts_free);
}

void icount_configure(const char *arg)
{
    g_autofree char *err = NULL;
    QemuOpts *opts = icount_opts = qemu_opts_parse(arg, "shift", &err);
    const char *s, *unused;
    bool sleep = true, align = false;

    if (!opts) {
        error_exit("%s", err);
    }
    if (!qemu_opt_get_bool(opts, "sleep", true, &sleep, &err) ||
        !qemu_opt_get_bool(opts, "align", false, &align, &err)) {
        error_exit("%s", err);
    }
    s = qemu_opt_get(opts, "shift");
    /*
     * Record and replay: QEMU 7.2's options.  A file name alone changes
     * nothing there either; rr=record|replay is not supported here.
     */
    qemu_opt_get(opts, "rrsnapshot");
    if (qemu_opt_get(opts, "rr") && strcmp(qemu_opt_get(opts, "rr"), "off")) {
        if (!qemu_opt_get(opts, "rrfile")) {
            error_exit("File name not specified for replay");
        }
        error_exit("record/replay is not supported");
    }
    qemu_opt_get(opts, "rrfile");
    unused = qemu_opts_first_unused(opts);
    if (unused) {
        error_exit("Invalid parameter '%s'", unused);
    }
    if (!s) {
        if (qemu_opt_has(opts, "align")) {
            error_exit("Please specify shift option when using align");
        }
        qemu_opts_free(opts);
        icount_opts = NULL;
        return;
    }
    if (align && !sleep) {
        error_exit("align=on and sleep=off are incompatible");
    }
    if (!strcmp(s, "auto")) {
        /* QEMU 7.2 accepts align=on and sleep=off with auto (it checks too early). */
        auto_shift = true;
        shift = AUTO_START_SHIFT;
    } else {
        /* strtol's rules: leading blanks, a sign, 0x hex, 0 octal. */
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 0);
        if (errno || end == s || *end || v < 0 || v > ICOUNT_MAX_SHIFT) {
            error_exit("icount: Invalid shift value");
        }
        shift = (int)v;
    }
    sleep_on = sleep;
    align_on = align;
    qemu_opts_free(opts);
    icount_opts = NULL;
    start();
}

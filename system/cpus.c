/*
 * vCPU threads.  A vCPU holds the big lock whenever it is not running guest
 * code; ppc_cpu_exec() takes it around hypercalls.  Pausing sets each CPU's
 * exit request and waits, with the big lock released, until every thread
 * has parked.  With -accel tcg,thread=single one thread runs every vCPU in
 * turn, a time slice each.
 */
#include "sysemu/cpus.h"
#include "gdbstub/gdbstub.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "sysemu/icount.h"
#include "sysemu/runstate.h"

/* A function run_on_cpu() queued for a vCPU's thread. */
typedef struct CpuWork {
    void (*fn)(PowerPCCPU *cpu, void *opaque);
    void *opaque;
    bool done;
    struct CpuWork *next;
} CpuWork;

typedef struct VCPU {
    PowerPCCPU *cpu;
    CpuWork *work; /* queued by run_on_cpu, under the big lock */
    GThread *thread;
    int tid;         /* the host thread's id, for query-cpus-fast */
    bool stop;       /* asked to park */
    bool stopped;    /* parked, not in guest code */
    int64_t poll_ns; /* halt polling: how long the next halt spins first */
} VCPU;

static VCPU *vcpus;
static unsigned n_vcpus;
static QemuCond vcpu_cond = QEMU_COND_INITIALIZER;  /* wakes parked vCPUs */
static QemuCond pause_cond = QEMU_COND_INITIALIZER; /* a vCPU parked */
static QemuCond work_cond = QEMU_COND_INITIALIZER;  /* run_on_cpu work done or queued */
static __thread VCPU *self_vcpu;                    /* the vCPU of this thread, if any */
/* a starting thread records its id under it */
static QemuMutex tid_lock = QEMU_MUTEX_INITIALIZER;
static QemuCond tid_cond = QEMU_COND_INITIALIZER;

/* thread=single: the round-robin thread and its time-slice kicker. */
static bool single_thread;
#define RR_SLICE_US 1000
static GThread *kick_thread;
static QemuMutex kick_lock = QEMU_MUTEX_INITIALIZER;
static QemuCond kick_cond = QEMU_COND_INITIALIZER;
static PowerPCCPU *rr_current; /* the vCPU in guest code, under kick_lock */
static uint64_t rr_slices;     /* slices begun, under kick_lock */

void cpus_set_single_thread(bool on)
{
    single_thread = on;
}

/* NULL: TCG (ppc_cpu_exec). */
static const CpusAccelOps *accel_ops;

void cpus_set_accel_ops(const CpusAccelOps *ops)
{
    accel_ops = ops;
}

/* Make cpu leave guest code: TCG looks at exit_request, KVM needs a kick too. */
static void vcpu_request_exit(PowerPCCPU *cpu)
{
    ppc_request_exit(&cpu->env);
    if (accel_ops) {
        accel_ops->kick(cpu);
    }
}

static bool vcpu_can_run(VCPU *v)
{
    return !v->stop && !v->cpu->halted && runstate_is_running();
}

/* With the big lock held: run v until it leaves guest code. */
static void vcpu_run(VCPU *v)
{
    v->stopped = false;
    __atomic_store_n(&v->cpu->env.exit_request, 0, __ATOMIC_SEQ_CST);
    if (accel_ops) {
        /* It drops the big lock around guest code itself. */
        accel_ops->exec(v->cpu);
        if (v->cpu->debug_stop) {
            gdb_cpu_debug_stop(v->cpu);
        }
        return;
    }
    ppc_cpu_exec_enter(v->cpu);
    qemu_mutex_unlock_iothread();
    ppc_cpu_exec(v->cpu);
    qemu_mutex_lock_iothread();
    ppc_cpu_exec_exit(v->cpu);
    if (v->cpu->debug_stop) {
        gdb_cpu_debug_stop(v->cpu);
    }
}

static void record_tid(VCPU *v)
{
    qemu_mutex_lock(&tid_lock);
    v->tid = gettid();
    qemu_cond_broadcast(&tid_cond);
    qemu_mutex_unlock(&tid_lock);
}

/*
 * Halt polling (KVM's halt_poll_ns).  A vCPU that halts (H_CEDE) is often
 * woken again within tens of microseconds: by the completion of the disk
 * request it just made, a network frame, a decrementer due soon.  Sleeping
 * on the condition variable makes each such wake-up two host thread
 * wake-ups (the main loop on the completion's eventfd, then the vCPU),
 * each costing tens of microseconds on a host whose idle cores sleep.  So
 * a halted vCPU first spins for poll_ns, watching its exit request (what
 * every kick sets), the completions registered for halt polling, which it
 * reaps itself (main_loop_add_halt_poll), and the virtual-clock timer due
 * first (a decrementer), which it fires itself.
 *
 * poll_ns adapts per vCPU: a halt that ended after the spin but within
 * HALT_POLL_MAX_NS doubles it, one that lasted longer halves it (a guest
 * that idles for milliseconds stops spinning).  At most one vCPU less than
 * the host has cores spins at a time, so the main loop and the I/O workers
 * keep a core.
 */
#define HALT_POLL_MAX_NS 200000
#define HALT_POLL_START_NS 10000
static unsigned halt_spinners, halt_spinners_max;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

/* With the big lock held, v halted: spin until a kick or poll_ns has passed. */
static void vcpu_halt_poll(VCPU *v)
{
    CPUPPCState *env = &v->cpu->env;
    int64_t until, timer_due;

    if (!v->poll_ns || single_thread || icount_enabled()) {
        return;
    }
    if (__atomic_fetch_add(&halt_spinners, 1, __ATOMIC_RELAXED) >= halt_spinners_max) {
        __atomic_fetch_sub(&halt_spinners, 1, __ATOMIC_RELAXED);
        return;
    }
    /* Every kick sets it, and none came since the caller looked (lock held). */
    __atomic_store_n(&env->exit_request, 0, __ATOMIC_SEQ_CST);
    until = now_ns() + v->poll_ns;
    timer_due = qemu_clock_virtual_deadline_host();
    qemu_mutex_unlock_iothread();
    do {
        if (ppc_exit_requested(env)) {
            break;
        }
        if (timer_due >= 0 && now_ns() >= timer_due) {
            /* A decrementer due: fire it here rather than wait for the main loop's. */
            qemu_mutex_lock_iothread();
            qemu_clock_virtual_run_due();
            timer_due = qemu_clock_virtual_deadline_host();
            qemu_mutex_unlock_iothread();
            continue;
        }
        if (main_loop_halt_poll_ready()) {
            qemu_mutex_lock_iothread();
            main_loop_halt_poll_reap();
            qemu_mutex_unlock_iothread();
            continue; /* what it completed may have kicked this vCPU */
        }
        cpu_relax();
    } while (now_ns() < until);
    qemu_mutex_lock_iothread();
    __atomic_fetch_sub(&halt_spinners, 1, __ATOMIC_RELAXED);
}

static void halt_poll_adapt(VCPU *v, int64_t halted_ns)
{
    if (halted_ns <= v->poll_ns) {
        return; /* the spin caught it */
    }
    if (halted_ns <= HALT_POLL_MAX_NS) {
        v->poll_ns = v->poll_ns ? MIN(v->poll_ns * 2, HALT_POLL_MAX_NS) : HALT_POLL_START_NS;
    } else {
        v->poll_ns = v->poll_ns / 2 < HALT_POLL_START_NS ? 0 : v->poll_ns / 2;
    }
}

/* With the big lock held: until v may run (halted by the guest, paused, VM stopped). */
static void vcpu_wait_runnable(VCPU *v)
{
    bool halted = v->cpu->halted && !v->stop && runstate_is_running();
    int64_t start = halted ? now_ns() : 0;
    bool polled = false;

    while (!vcpu_can_run(v)) {
        v->stopped = true;
        qemu_cond_broadcast(&pause_cond);
        if (halted && !polled) {
            /* A kick may also have come after the spin: look again first. */
            polled = true;
            vcpu_halt_poll(v);
            continue;
        }
        qemu_cond_wait_iothread(&vcpu_cond);
    }
    if (halted) {
        halt_poll_adapt(v, now_ns() - start);
    }
}

/* With the big lock held, on v's thread: what other threads queued for it. */
static void vcpu_do_work(VCPU *v)
{
    if (!v->work) {
        return;
    }
    while (v->work) {
        CpuWork *w = v->work;

        v->work = w->next;
        w->fn(v->cpu, w->opaque);
        w->done = true;
    }
    qemu_cond_broadcast(&work_cond);
}

static gpointer vcpu_thread(gpointer opaque)
{
    VCPU *v = opaque;

    self_vcpu = v;
    if (accel_ops) {
        accel_ops->thread_init(v->cpu);
    }
    record_tid(v);
    qemu_mutex_lock_iothread();
    for (;;) {
        vcpu_wait_runnable(v);
        vcpu_run(v);
        vcpu_do_work(v);
    }
    return NULL;
}

/*
 * The kicker of thread=single: a vCPU that has run a whole slice is made to
 * leave guest code (at its next block boundary) so the next one runs.  It
 * sleeps while no vCPU runs.
 */
static gpointer rr_kick_thread(gpointer opaque)
{
    qemu_mutex_lock(&kick_lock);
    for (;;) {
        uint64_t slice;
        PowerPCCPU *cpu;

        while (!rr_current) {
            qemu_cond_wait(&kick_cond, &kick_lock);
        }
        slice = rr_slices;
        cpu = rr_current;
        qemu_mutex_unlock(&kick_lock);
        g_usleep(RR_SLICE_US);
        qemu_mutex_lock(&kick_lock);
        if (rr_current == cpu && rr_slices == slice) {
            ppc_request_exit(&cpu->env);
        }
    }
    return NULL;
}

static void rr_set_current(PowerPCCPU *cpu)
{
    qemu_mutex_lock(&kick_lock);
    rr_current = cpu;
    rr_slices++;
    qemu_cond_signal(&kick_cond);
    qemu_mutex_unlock(&kick_lock);
}

/* thread=single: every vCPU, in turn, from the one after the last that ran. */
static gpointer rr_thread(gpointer opaque)
{
    unsigned next = 0;

    for (unsigned i = 0; i < n_vcpus; i++) {
        record_tid(&vcpus[i]);
    }
    qemu_mutex_lock_iothread();
    for (;;) {
        VCPU *v = NULL;

        for (unsigned k = 0; k < n_vcpus && !v; k++) {
            VCPU *c = &vcpus[(next + k) % n_vcpus];

            if (vcpu_can_run(c)) {
                v = c;
            } else {
                c->stopped = true;
            }
        }
        if (!v) {
            qemu_cond_broadcast(&pause_cond);
            if (icount_enabled() && runstate_is_running()) {
                /* Virtual time passes while every CPU idles. */
                icount_idle(&vcpu_cond);
            } else {
                qemu_cond_wait_iothread(&vcpu_cond);
            }
            continue;
        }
        next = (unsigned)(v - vcpus + 1) % n_vcpus;
        if (icount_enabled()) {
            icount_start_slice();
        }
        rr_set_current(v->cpu);
        vcpu_run(v);
        rr_set_current(NULL);
        v->stopped = true;
        qemu_cond_broadcast(&pause_cond);
    }
    return NULL;
}

static bool threadless;

void cpus_set_threadless(bool on)
{
    threadless = on;
}

void cpus_start(PowerPCCPU **cpus, unsigned count)
{
    vcpus = g_new0(VCPU, count);
    n_vcpus = count;
    halt_spinners_max = g_get_num_processors() - 1; /* none on one core: the main loop needs it */
    for (unsigned i = 0; i < count; i++) {
        vcpus[i].cpu = cpus[i];
        vcpus[i].stopped = true;
    }
    if (threadless) {
        return; /* known to the monitor and the debugger, parked for good */
    }
    if (single_thread) {
        GThread *t = g_thread_new("ALL CPUs/TCG", rr_thread, NULL);

        /* Under icount a slice ends after so many instructions instead. */
        if (!icount_enabled()) {
            kick_thread = g_thread_new("TCG kick", rr_kick_thread, NULL);
        }
        for (unsigned i = 0; i < count; i++) {
            vcpus[i].thread = t;
        }
    } else {
        for (unsigned i = 0; i < count; i++) {
            g_autofree char *name =
                g_strdup_printf("CPU %u/%s", i, accel_ops ? accel_ops->name : "TCG");

            vcpus[i].thread = g_thread_new(name, vcpu_thread, &vcpus[i]);
        }
    }
    /* Each id is known before anyone can ask for it. */
    qemu_mutex_lock(&tid_lock);
    for (unsigned i = 0; i < count; i++) {
        while (!vcpus[i].tid) {
            qemu_cond_wait(&tid_cond, &tid_lock);
        }
    }
    qemu_mutex_unlock(&tid_lock);
}

static bool (*present_hook)(PowerPCCPU *cpu);

void cpus_set_present_hook(bool (*present)(PowerPCCPU *cpu))
{
    present_hook = present;
}

unsigned cpus_count(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < n_vcpus; i++) {
        n += !present_hook || present_hook(vcpus[i].cpu);
    }
    return n;
}

PowerPCCPU *cpus_get(unsigned i)
{
    for (unsigned k = 0; k < n_vcpus; k++) {
        if (!present_hook || present_hook(vcpus[k].cpu)) {
            if (!i--) {
                return vcpus[k].cpu;
            }
        }
    }
    return NULL;
}

int cpus_thread_id(PowerPCCPU *cpu)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        if (vcpus[i].cpu == cpu) {
            return vcpus[i].tid;
        }
    }
    return 0;
}

void pause_all_vcpus(void)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        vcpus[i].stop = true;
        vcpu_request_exit(vcpus[i].cpu);
    }
    qemu_cond_broadcast(&vcpu_cond);
    for (unsigned i = 0; i < n_vcpus; i++) {
        while (!vcpus[i].stopped) {
            qemu_cond_wait_iothread(&pause_cond);
        }
    }
}

void cpus_request_stop(void)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        vcpus[i].stop = true;
        vcpu_request_exit(vcpus[i].cpu);
    }
}

void resume_all_vcpus(void)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        vcpus[i].stop = false;
    }
    qemu_cond_broadcast(&vcpu_cond);
}

void cpus_wait_parked(PowerPCCPU *cpu)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        if (vcpus[i].cpu == cpu) {
            while (!vcpus[i].stopped && cpu->halted) {
                qemu_cond_wait_iothread(&pause_cond);
            }
            return;
        }
    }
}

/* What cpus_wait_for() gives up after, in polls of WAIT_POLL_US. */
#define WAIT_POLL_US 20
#define WAIT_LIMIT_US (5 * 1000 * 1000)

bool cpus_wait_for(PowerPCCPU *self, bool (*done)(void *opaque), void *opaque)
{
    VCPU *v = NULL;

    for (unsigned i = 0; i < n_vcpus; i++) {
        if (vcpus[i].cpu == self) {
            v = &vcpus[i];
        }
    }
    for (unsigned waited = 0; !done(opaque); waited += WAIT_POLL_US) {
        if (!v || single_thread || v->stop || waited >= WAIT_LIMIT_US ||
            (__atomic_load_n(&self->env.pending_interrupts, __ATOMIC_ACQUIRE) &
             PPC_INTERRUPT_RESET)) {
            return false;
        }
        qemu_mutex_unlock_iothread();
        g_usleep(WAIT_POLL_US);
        qemu_mutex_lock_iothread();
    }
    return true;
}

void cpu_kick(PowerPCCPU *cpu)
{
    vcpu_request_exit(cpu);
    qemu_cond_broadcast(&vcpu_cond);
}

static VCPU *vcpu_of(PowerPCCPU *cpu)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        if (vcpus[i].cpu == cpu) {
            return &vcpus[i];
        }
    }
    return NULL;
}

void run_on_cpu(PowerPCCPU *cpu, void (*fn)(PowerPCCPU *cpu, void *opaque), void *opaque)
{
    VCPU *v = vcpu_of(cpu);
    CpuWork w = { .fn = fn, .opaque = opaque };
    CpuWork **tail;

    /*
     * Under TCG the state is in env; a thread that is cpu's, not started or
     * parked (it needs the big lock we hold to go on) cannot race with us.
     */
    if (!accel_ops || !v || v == self_vcpu || v->stopped) {
        fn(cpu, opaque);
        return;
    }
    for (tail = &v->work; *tail; tail = &(*tail)->next) {
    }
    *tail = &w;
    vcpu_request_exit(cpu);
    qemu_cond_broadcast(&vcpu_cond);
    qemu_cond_broadcast(&work_cond);
    while (!w.done) {
        /* A vCPU that waits here may be what another waiting vCPU waits for. */
        if (self_vcpu && self_vcpu->work) {
            vcpu_do_work(self_vcpu);
            continue;
        }
        qemu_cond_wait_iothread(&work_cond);
    }
}

static void sync_state(PowerPCCPU *cpu, void *opaque)
{
    accel_ops->synchronize_state(cpu);
}

void cpu_synchronize_state(PowerPCCPU *cpu)
{
    if (accel_ops && accel_ops->synchronize_state) {
        run_on_cpu(cpu, sync_state, NULL);
    }
}

void cpu_synchronize_all_states(void)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        cpu_synchronize_state(vcpus[i].cpu);
    }
}

static void state_loaded(PowerPCCPU *cpu, void *opaque)
{
    accel_ops->state_loaded(cpu);
}

void cpu_synchronize_all_post_init(void)
{
    for (unsigned i = 0; accel_ops && accel_ops->state_loaded && i < n_vcpus; i++) {
        run_on_cpu(vcpus[i].cpu, state_loaded, NULL);
    }
}

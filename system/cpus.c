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
#include "sysemu/icount.h"
#include "sysemu/runstate.h"

typedef struct VCPU {
    PowerPCCPU *cpu;
    GThread *thread;
    int tid;      /* the host thread's id, for query-cpus-fast */
    bool stop;    /* asked to park */
    bool stopped; /* parked, not in guest code */
} VCPU;

static VCPU *vcpus;
static unsigned n_vcpus;
static QemuCond vcpu_cond = QEMU_COND_INITIALIZER;  /* wakes parked vCPUs */
static QemuCond pause_cond = QEMU_COND_INITIALIZER; /* a vCPU parked */
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

static bool vcpu_can_run(VCPU *v)
{
    return !v->stop && !v->cpu->halted && runstate_is_running();
}

/* With the big lock held: run v until it leaves guest code. */
static void vcpu_run(VCPU *v)
{
    v->stopped = false;
    __atomic_store_n(&v->cpu->env.exit_request, 0, __ATOMIC_SEQ_CST);
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

static gpointer vcpu_thread(gpointer opaque)
{
    VCPU *v = opaque;

    record_tid(v);
    qemu_mutex_lock_iothread();
    for (;;) {
        while (!vcpu_can_run(v)) {
            v->stopped = true;
            qemu_cond_broadcast(&pause_cond);
            qemu_cond_wait_iothread(&vcpu_cond);
        }
        vcpu_run(v);
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

void cpus_start(PowerPCCPU **cpus, unsigned count)
{
    vcpus = g_new0(VCPU, count);
    n_vcpus = count;
    for (unsigned i = 0; i < count; i++) {
        vcpus[i].cpu = cpus[i];
        vcpus[i].stopped = true;
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
            g_autofree char *name = g_strdup_printf("CPU %u/TCG", i);

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
        ppc_request_exit(&vcpus[i].cpu->env);
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
        ppc_request_exit(&vcpus[i].cpu->env);
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
    ppc_request_exit(&cpu->env);
    qemu_cond_broadcast(&vcpu_cond);
}

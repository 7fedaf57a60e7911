/*
 * vCPU threads.  A vCPU holds the big lock whenever it is not running guest
 * code; ppc_cpu_exec() takes it around hypercalls.  Pausing sets each CPU's
 * exit request and waits, with the big lock released, until every thread
 * has parked.
 */
#include "sysemu/cpus.h"
#include "gdbstub/gdbstub.h"
#include "qemu/main-loop.h"
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
static GCond vcpu_cond;  /* wakes parked vCPUs */
static GCond pause_cond; /* a vCPU parked */
static GMutex tid_lock;  /* a starting thread records its id under it */
static GCond tid_cond;

static bool vcpu_can_run(VCPU *v)
{
    return !v->stop && !v->cpu->halted && runstate_is_running();
}

static gpointer vcpu_thread(gpointer opaque)
{
    VCPU *v = opaque;

    g_mutex_lock(&tid_lock);
    v->tid = gettid();
    g_cond_broadcast(&tid_cond);
    g_mutex_unlock(&tid_lock);
    qemu_mutex_lock_iothread();
    for (;;) {
        while (!vcpu_can_run(v)) {
            v->stopped = true;
            g_cond_broadcast(&pause_cond);
            qemu_cond_wait_iothread(&vcpu_cond);
        }
        v->stopped = false;
        v->cpu->env.exit_request = 0;
        ppc_cpu_exec_enter(v->cpu);
        qemu_mutex_unlock_iothread();
        ppc_cpu_exec(v->cpu);
        qemu_mutex_lock_iothread();
        ppc_cpu_exec_exit(v->cpu);
        if (v->cpu->debug_stop) {
            gdb_cpu_debug_stop(v->cpu);
        }
    }
    return NULL;
}

void cpus_start(PowerPCCPU **cpus, unsigned count)
{
    vcpus = g_new0(VCPU, count);
    n_vcpus = count;
    for (unsigned i = 0; i < count; i++) {
        g_autofree char *name = g_strdup_printf("CPU %u/TCG", i);

        vcpus[i].cpu = cpus[i];
        vcpus[i].stopped = true;
        vcpus[i].thread = g_thread_new(name, vcpu_thread, &vcpus[i]);
    }
    /* Each id is known before anyone can ask for it. */
    g_mutex_lock(&tid_lock);
    for (unsigned i = 0; i < count; i++) {
        while (!vcpus[i].tid) {
            g_cond_wait(&tid_cond, &tid_lock);
        }
    }
    g_mutex_unlock(&tid_lock);
}

unsigned cpus_count(void)
{
    return n_vcpus;
}

PowerPCCPU *cpus_get(unsigned i)
{
    return i < n_vcpus ? vcpus[i].cpu : NULL;
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
        vcpus[i].cpu->env.exit_request = 1;
    }
    g_cond_broadcast(&vcpu_cond);
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
        vcpus[i].cpu->env.exit_request = 1;
    }
}

void resume_all_vcpus(void)
{
    for (unsigned i = 0; i < n_vcpus; i++) {
        vcpus[i].stop = false;
    }
    g_cond_broadcast(&vcpu_cond);
}

void cpu_kick(PowerPCCPU *cpu)
{
    cpu->env.exit_request = 1;
    g_cond_broadcast(&vcpu_cond);
}

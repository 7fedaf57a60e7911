/*
 * vCPU threads: one per CPU, running guest code outside the big lock,
 * paused and resumed by the run state (stop, cont, reset, exit).
 */
#ifndef SYSEMU_CPUS_H
#define SYSEMU_CPUS_H

#include "target/ppc/cpu.h"

/*
 * -accel tcg,thread=single: one thread runs every vCPU in turn (time
 * slices); by default (multi) each vCPU has its own thread.  Before
 * cpus_start().
 */
void cpus_set_single_thread(bool on);
/*
 * An accelerator other than TCG (KVM): thread_init runs first in each vCPU
 * thread; exec runs the vCPU with the big lock held (dropping it around
 * guest code) until its exit request is set, it halts or stops; kick gets
 * a vCPU out of guest code once its exit request is set, from any thread.
 * name goes into the thread names ("CPU 0/KVM").  Before cpus_start().
 */
typedef struct CpusAccelOps {
    const char *name;
    void (*thread_init)(PowerPCCPU *cpu);
    void (*exec)(PowerPCCPU *cpu);
    void (*kick)(PowerPCCPU *cpu);
    /* From cpu's thread: env from the accelerator's copy, unless env is newer. */
    void (*synchronize_state)(PowerPCCPU *cpu);
    /* From cpu's thread: env was loaded whole (migration): the accelerator takes it. */
    void (*state_loaded)(PowerPCCPU *cpu);
} CpusAccelOps;
void cpus_set_accel_ops(const CpusAccelOps *ops);
/* Start a thread for each CPU; they run while the VM runs. */
void cpus_start(PowerPCCPU **cpus, unsigned count);
/*
 * Before cpus_start(): register the vCPUs without starting threads, so
 * none ever runs guest code but the debugger and the monitor see them
 * (the gdbstub fuzz target on its qtest-accelerated machine).
 */
void cpus_set_threadless(bool on);
/*
 * The vCPUs cpus_start() was given (0 before, and with -accel qtest) that
 * the machine has (the monitor and the debugger see those): all of them,
 * or those the hook says are present (CPUs of an empty hot-plug slot are not).
 */
unsigned cpus_count(void);
PowerPCCPU *cpus_get(unsigned i);
void cpus_set_present_hook(bool (*present)(PowerPCCPU *cpu));
/* The host thread id (gettid) of cpu's vCPU thread; 0 before cpus_start. */
int cpus_thread_id(PowerPCCPU *cpu);
/* With the big lock held: make every vCPU leave guest code and wait. */
void pause_all_vcpus(void);
void resume_all_vcpus(void);
/*
 * With the big lock held, from any thread (a vCPU in a hypercall too): ask
 * every vCPU to park at its next block boundary, without waiting.  A guest
 * that powers off or reboots stops running at once, as on QEMU.
 */
void cpus_request_stop(void);
/*
 * With the big lock held, from another vCPU's hypercall: wait until the
 * halted cpu's thread has left guest code (its state may then be set).
 * Returns at once for a CPU that is not halted or has no thread.
 */
void cpus_wait_parked(PowerPCCPU *cpu);
/*
 * With the big lock held, from self's hypercall: wait, with the big lock
 * released, until done(opaque) holds (checked every few microseconds).
 * Gives up (false) when self is asked to park (a pause, a reset), when a
 * system reset is pending for self (another processor may be waiting for
 * it), after a few seconds, and at once with thread=single, where the other
 * vCPUs run only once self's turn ends.
 */
bool cpus_wait_for(PowerPCCPU *self, bool (*done)(void *opaque), void *opaque);
/*
 * With the big lock held, from any thread: run fn(cpu, opaque) on cpu's
 * vCPU thread, out of guest code, and wait for it (the big lock released
 * meanwhile).  Called at once when the caller is cpu's thread, cpu is
 * parked or has no thread yet, and under TCG (env is the state there).
 */
void run_on_cpu(PowerPCCPU *cpu, void (*fn)(PowerPCCPU *cpu, void *opaque), void *opaque);
/*
 * Before reading or writing a vCPU's registers outside its own guest code
 * (an hcall handler beyond r3-r12, another vCPU's state, the monitor, the
 * debugger, migration): under KVM, env is fetched from the kernel on the
 * vCPU's thread and marked to be put back before it re-enters the guest
 * (KVM_SET_REGS, SREGS, ONE_REG).  Nothing to do under TCG.  A change to
 * a running vCPU's env other than its own goes through run_on_cpu (whose
 * function synchronizes first), or the vCPU may enter with the old value.
 */
void cpu_synchronize_state(PowerPCCPU *cpu);
void cpu_synchronize_all_states(void);
/* After loading every vCPU's env whole (incoming migration, loadvm). */
void cpu_synchronize_all_post_init(void);
/* A halted CPU was started (or a state change wants a look): wake it. */
void cpu_kick(PowerPCCPU *cpu);

#endif

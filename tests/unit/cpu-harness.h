/*
 * Running a few guest instructions in a unit test: RAM, one CPU whose
 * hypercall hook stops execution, and a helper that places code and runs it
 * up to its closing `sc 1`.
 */
#ifndef TESTS_UNIT_CPU_HARNESS_H
#define TESTS_UNIT_CPU_HARNESS_H

#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "target/ppc/cpu.h"

#define HARNESS_CODE 0x10000
#define HARNESS_DATA 0x20000
#define HARNESS_SC1 0x44000022u /* sc 1 */

static int harness_hcalls;

static void harness_stop(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    harness_hcalls++;
    cpu->env.exit_request = 1;
}

static const PPCVirtualHypervisorOps harness_vhyp = {
    .hypercall = harness_stop,
};

/*
 * Every interrupt vector holds sc 1, so an unexpected interrupt ends the run
 * (nip = vector + 4) instead of looping on zeroed memory forever.
 */
static inline void harness_set_vectors(void)
{
    for (hwaddr v = 0x100; v < 0x1000; v += 0x100) {
        guest_stl_be(v, HARNESS_SC1);
    }
}

/* A fresh CPU in 64-bit big-endian real mode, with 16 MiB of zeroed RAM. */
static inline PowerPCCPU *harness_cpu(void)
{
    PowerPCCPU *cpu;

    module_call_init();
    guest_ram_init(16 * MiB);
    /* Unit tests check the JIT on all the code they run: compile blocks when translated. */
    ppc_cpu_set_jit_after(1);
    cpu = ppc_cpu_create(ppc_cpu_model_default(), 0);
    ppc_cpu_set_vhyp(cpu, NULL, &harness_vhyp);
    /* Reset leaves the CPU in 32-bit mode, as QEMU's; tests start in 64-bit. */
    cpu->env.msr = MSR_SF;
    harness_set_vectors();
    return cpu;
}

/*
 * For tests that reuse one CPU: the first call makes it, later ones reset
 * it and zero low RAM.  Either way 64-bit with machine checks enabled, and
 * sc 1 at every vector.
 */
static inline PowerPCCPU *harness_fresh(PowerPCCPU *cpu)
{
    if (!cpu) {
        cpu = harness_cpu();
    } else {
        guest_memset(0, 0, 1 * MiB);
        ppc_cpu_reset(cpu);
        harness_set_vectors();
    }
    cpu->env.msr = MSR_SF | MSR_ME;
    return cpu;
}

/*
 * Run insns (in the CPU's current byte order) placed at HARNESS_CODE,
 * followed by `sc 1`.  Returns with env->nip after the sc (or wherever an
 * interrupt sent it, if the code never reached the sc: then the vector
 * must hold code that ends in sc 1 too).
 */
static inline void harness_run(PowerPCCPU *cpu, const uint32_t *insns, size_t n)
{
    bool le = cpu->env.msr & MSR_LE;

    for (size_t i = 0; i <= n; i++) {
        uint32_t w = i < n ? insns[i] : HARNESS_SC1;

        if (le) {
            guest_stl_le(HARNESS_CODE + 4 * i, w);
        } else {
            guest_stl_be(HARNESS_CODE + 4 * i, w);
        }
    }
    cpu->env.nip = HARNESS_CODE;
    cpu->env.exit_request = 0;
    ppc_cpu_exec(cpu);
}

/*
 * Two CPUs on ram_size bytes of RAM for comparing the JIT with the
 * interpreter: *jit compiles its blocks, *interp never does (a CPU takes the
 * JIT setting when it first runs), both in 64-bit mode with sc 1 at every
 * vector.
 */
static inline void harness_jit_pair_ram(PowerPCCPU **jit, PowerPCCPU **interp, uint64_t ram_size)
{
    module_call_init();
    guest_ram_init(ram_size);
    ppc_cpu_set_jit_after(1); /* all the code compiled, as harness_cpu() */
    *jit = ppc_cpu_create(ppc_cpu_model_default(), 0);
    *interp = ppc_cpu_create(ppc_cpu_model_default(), 1);
    ppc_cpu_set_vhyp(*jit, NULL, &harness_vhyp);
    ppc_cpu_set_vhyp(*interp, NULL, &harness_vhyp);
    harness_set_vectors();
    ppc_cpu_set_jit(false);
    (*interp)->env.msr = MSR_SF | MSR_ME;
    harness_run(*interp, NULL, 0);
    ppc_cpu_set_jit(true);
    (*jit)->env.msr = MSR_SF | MSR_ME;
    harness_run(*jit, NULL, 0);
}

/* The pair on 16 MiB of RAM. */
static inline void harness_jit_pair(PowerPCCPU **jit, PowerPCCPU **interp)
{
    harness_jit_pair_ram(jit, interp, 16 * MiB);
}

#endif

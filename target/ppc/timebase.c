/*
 * Time base and decrementer.  The time base counts at 512 MHz of virtual
 * time (it stops with the VM and follows qtest's clock).  The decrementer
 * is kept as the time-base value at which it reads zero; a virtual-clock
 * timer raises its interrupt when it turns negative.  As on POWER9 the
 * interrupt is a level: it stays pending until DEC is written with a
 * non-negative value.
 */
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "target/ppc/internal.h"

/* Width of the decrementer with LPCR[LD] set (POWER9: ibm,dec-bits = 56). */
#define LARGE_DECR_BITS 56

/*
 * 512 MHz: 64 ticks every 125 ns.  In 128 bits: the products overflow 64
 * bits after about nine years of virtual time, which qtest's clock_set
 * reaches at once.
 */
static uint64_t ns_to_tb(int64_t ns)
{
    return (uint64_t)((unsigned __int128)(uint64_t)ns * 64 / 125);
}

/* The virtual time at which the time base (without offset) reaches tb, rounded up. */
static int64_t tb_to_ns(uint64_t tb)
{
    unsigned __int128 ns = ((unsigned __int128)tb * 125 + 63) / 64;

    return ns > INT64_MAX ? INT64_MAX : (int64_t)ns;
}

uint64_t ppc_load_tb(CPUPPCState *env)
{
    return ns_to_tb(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) + env->tb_offset;
}

uint64_t ppc_cpu_load_tb(PowerPCCPU *cpu)
{
    return ppc_load_tb(&cpu->env);
}

static unsigned decr_bits(const CPUPPCState *env)
{
    return (ppc_lpcr(env) & LPCR_LD) ? LARGE_DECR_BITS : 32;
}

/* DEC's value in its width, sign-extended to 64 bits. */
static int64_t decr_value(CPUPPCState *env)
{
    unsigned shift = 64 - decr_bits(env);

    return (int64_t)((env->decr_zero - ppc_load_tb(env)) << shift) >> shift;
}

/*
 * mfspr DEC: the large decrementer reads sign-extended, the 32-bit one as
 * an unsigned word (as QEMU shows it).
 */
uint64_t ppc_load_decr(CPUPPCState *env)
{
    int64_t v = decr_value(env);

    return (ppc_lpcr(env) & LPCR_LD) ? (uint64_t)v : (uint32_t)v;
}

/*
 * Arm the timer for the tick at which DEC turns negative (in the future).
 * A tick beyond the virtual clock's range never comes: no timer, as one at
 * the clock's last instant would fire there again and again.
 */
static void decr_arm(PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;
    int64_t ns = tb_to_ns(env->decr_zero + 1 - env->tb_offset);

    if (ns == INT64_MAX) {
        timer_del(cpu->decr_timer);
        return;
    }
    /* timer_mod wakes the main loop when it sleeps toward a later deadline. */
    timer_mod(cpu->decr_timer, ns);
}

/* Big lock held (the mtspr op takes it). */
void ppc_store_decr(CPUPPCState *env, uint64_t value)
{
    PowerPCCPU *cpu = env_cpu(env);
    unsigned shift = 64 - decr_bits(env);
    int64_t v = (int64_t)(value << shift) >> shift;

    env->decr_zero = ppc_load_tb(env) + v;
    if (v < 0) {
        timer_del(cpu->decr_timer);
        ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, true);
    } else {
        ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, false);
        decr_arm(cpu);
    }
}

/*
 * The timer fired (main loop, big lock held): DEC turned negative once the
 * time base passed decr_zero.  Compared in 64 bits, not in DEC's width:
 * after a clock_set far ahead a 32-bit DEC may read positive again, and
 * re-arming for a tick in the past fired the timer forever (make fuzz).
 */
static void decr_expired(void *opaque)
{
    PowerPCCPU *cpu = opaque;
    CPUPPCState *env = &cpu->env;

    if ((int64_t)(ppc_load_tb(env) - env->decr_zero) > 0) {
        ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, true);
    } else {
        decr_arm(cpu);
    }
}

void ppc_cpu_timebase_init(PowerPCCPU *cpu)
{
    cpu->decr_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, decr_expired, cpu);
}

void ppc_cpu_timebase_free(PowerPCCPU *cpu)
{
    g_clear_pointer(&cpu->decr_timer, timer_free);
}

/*
 * Reset: nothing pending, DEC counts down from 0x7fffffff (about 4 s
 * until the first interrupt, for a guest that enables EE first).
 */
void ppc_cpu_timebase_reset(PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;

    ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, false);
    env->decr_zero = ppc_load_tb(env) + 0x7fffffff;
    decr_arm(cpu);
}

/*
 * H_WATCHDOG (PAPR hcall-watchdog): four guest watchdog timers on the
 * virtual clock that power the partition off, restart it or send it a
 * system reset when the guest stops feeding them.
 */
#include "hw/ppc/spapr.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

#define SPAPR_WDT_COUNT 4
#define SPAPR_WDT_MIN_TIMEOUT_MS 1

/* r4, the flags: bits 0:46 reserved, 47 leave the others running, 48:55 op, 56:63 action */
#define WDTF_RESERVED (~0ULL << 17)
#define WDTF_LEAVE_OTHERS PPC_BIT(47)
#define WDTF_OP(flags) (((flags) >> 8) & 0xff)
#define WDTF_ACTION(flags) ((flags)&0xff)
#define WDT_OP_START 1
#define WDT_OP_STOP 2
#define WDT_OP_QUERY 3
#define WDT_OP_QUERY_LPM 4
#define WDT_ACTION_HARD_POWER_OFF 1
#define WDT_ACTION_HARD_RESTART 2
#define WDT_ACTION_DUMP_RESTART 3
/* r5 of a stop: every watchdog */
#define WDT_ALL (~0ULL)
/* Query: the minimum timeout in ms (bits 0:15) and the number of watchdogs (16:31). */
#define WDTQ_CAPS(min_ms, count) (((uint64_t)(min_ms) << 48) | ((uint64_t)(count) << 32))
/* Query LPM: the watchdog need not be stopped before a migration. */
#define WDTQL_NOT_STOPPED 2

struct SpaprWatchdog {
    SpaprMachineState *spapr;
    QEMUTimer *timer;
    uint8_t action;
    bool leave_others;
};

/* H_SUCCESS when it was running, H_NOOP when there was nothing to stop. */
static target_ulong wdt_stop(SpaprWatchdog *w)
{
    if (!timer_pending(w->timer)) {
        return H_NOOP;
    }
    timer_del(w->timer);
    return H_SUCCESS;
}

/* As QEMU 7.2: stopping them all answers H_NOOP, whatever was running. */
static target_ulong wdt_stop_all(SpaprMachineState *spapr)
{
    for (unsigned i = 0; i < SPAPR_WDT_COUNT; i++) {
        wdt_stop(&spapr->watchdogs[i]);
    }
    return H_NOOP;
}

static void wdt_expired(void *opaque)
{
    SpaprWatchdog *w = opaque;
    SpaprMachineState *spapr = w->spapr;

    switch (w->action) {
    case WDT_ACTION_HARD_POWER_OFF:
        /* QEMU 7.2 stops the VM in the shutdown state; the process stays. */
        qemu_system_vmstop_request(RUN_STATE_SHUTDOWN);
        break;
    case WDT_ACTION_HARD_RESTART:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    case WDT_ACTION_DUMP_RESTART:
        for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
            if (!spapr_cpu_present(spapr, i)) {
                continue;
            }
            ppc_cpu_set_irq(spapr->cpus[i], PPC_INTERRUPT_RESET, true);
        }
        break;
    }
    if (!w->leave_others) {
        wdt_stop_all(spapr);
    }
}

static void wdt_init(SpaprMachineState *spapr)
{
    if (spapr->watchdogs) {
        return;
    }
    spapr->watchdogs = g_new0(SpaprWatchdog, SPAPR_WDT_COUNT);
    for (unsigned i = 0; i < SPAPR_WDT_COUNT; i++) {
        spapr->watchdogs[i].spapr = spapr;
        spapr->watchdogs[i].timer =
            timer_new_ns(QEMU_CLOCK_VIRTUAL, wdt_expired, &spapr->watchdogs[i]);
    }
}

/*
 * H_WATCHDOG(flags, number, timeout_ms).  Watchdogs are numbered from 1.
 * Start: H_P2 for a number out of range, H_P3 for a timeout of 1 ms or
 * less, H_PARAMETER for an unknown action.  Stop: one, or WDT_ALL; H_NOOP
 * when nothing was running.  Query: r4 = the capabilities.  Query LPM:
 * r4 = 2, the watchdog may keep running across a migration.  QEMU 7.2
 * crashes on number 0 for a start or a stop; here it is out of range.
 */
static target_ulong h_watchdog(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                               target_ulong *args)
{
    target_ulong flags = args[0], number = args[1], timeout_ms = args[2];
    bool in_range = number >= 1 && number <= SPAPR_WDT_COUNT;
    SpaprWatchdog *w;

    if (flags & WDTF_RESERVED) {
        return H_PARAMETER;
    }
    wdt_init(spapr);
    w = in_range ? &spapr->watchdogs[number - 1] : NULL;
    switch (WDTF_OP(flags)) {
    case WDT_OP_START:
        if (!w) {
            return H_P2;
        }
        if (timeout_ms <= SPAPR_WDT_MIN_TIMEOUT_MS) {
            return H_P3;
        }
        if (WDTF_ACTION(flags) < WDT_ACTION_HARD_POWER_OFF ||
            WDTF_ACTION(flags) > WDT_ACTION_DUMP_RESTART) {
            return H_PARAMETER;
        }
        w->action = WDTF_ACTION(flags);
        w->leave_others = flags & WDTF_LEAVE_OTHERS;
        /* A timeout beyond the clock's range never expires. */
        timer_mod(w->timer,
                  timeout_ms > INT64_MAX / 2 / 1000000
                      ? INT64_MAX
                      : qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + (int64_t)timeout_ms * 1000000);
        /* The main loop runs the timers: it must see the new deadline now. */
        main_loop_wakeup();
        return H_SUCCESS;
    case WDT_OP_STOP:
        if (number == WDT_ALL) {
            return wdt_stop_all(spapr);
        }
        if (!w) {
            return H_P2;
        }
        return wdt_stop(w);
    case WDT_OP_QUERY:
        args[0] = WDTQ_CAPS(SPAPR_WDT_MIN_TIMEOUT_MS, SPAPR_WDT_COUNT);
        return H_SUCCESS;
    case WDT_OP_QUERY_LPM:
        if (number > SPAPR_WDT_COUNT) {
            return H_P2;
        }
        args[0] = WDTQL_NOT_STOPPED;
        return H_SUCCESS;
    default:
        return H_PARAMETER;
    }
}

static void spapr_watchdog_register(void)
{
    spapr_register_hypercall(H_WATCHDOG, h_watchdog);
}

module_init(spapr_watchdog_register)

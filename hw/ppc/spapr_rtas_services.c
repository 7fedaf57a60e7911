/*
 * The basic RTAS services: console character, power off, reboot, OS
 * termination, firmware quiesce, power levels.  The event log is
 * spapr_events.c's; processor states are spapr_rtas_cpu.c's.
 */
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "sysemu/runstate.h"

/* The longest ibm,os-term message we print, without its NUL. */
#define RTAS_OS_TERM_MSG_MAX 511

/* True (and -3 stored) when the call's cell counts are not the expected ones. */
static bool rtas_bad_counts(const SpaprRtasCall *call, uint32_t nargs, uint32_t nret)
{
    if (call->nargs == nargs && call->nret == nret) {
        return false;
    }
    rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
    return true;
}

/* display-character: one character to the default console; status. */
static void rtas_display_character(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                   const SpaprRtasCall *call)
{
    SpaprVioDevice *vty;
    uint8_t c;

    if (rtas_bad_counts(call, 1, 1)) {
        return;
    }
    vty = spapr && spapr->vio_bus ? spapr_vty_get_default(spapr->vio_bus) : NULL;
    if (!vty) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    c = rtas_ld(call, 0);
    spapr_vty_write(vty, &c, 1);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/* power-off: two power-on mask words we ignore; status. */
static void rtas_power_off(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    if (rtas_bad_counts(call, 2, 1)) {
        return;
    }
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/* system-reboot: no arguments; status.  -no-reboot makes it a shutdown. */
static void rtas_system_reboot(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    if (rtas_bad_counts(call, 0, 1)) {
        return;
    }
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/*
 * Read the guest's NUL-terminated message, at most max bytes, stopping at
 * the end of RAM.  Control characters become '?' so the host log stays one
 * line.
 */
static void rtas_read_msg(hwaddr addr, char *msg, size_t max)
{
    size_t n = 0;
    uint8_t c;

    while (n < max && guest_ldub(addr + n, &c) && c) {
        msg[n++] = (c < 0x20 || c == 0x7f) ? '?' : c;
    }
    msg[n] = 0;
}

/*
 * ibm,os-term: the address of a message; status.  The guest has crashed:
 * report its message; the panic action (-action panic=, -no-shutdown)
 * decides what follows.  The call returns to the guest (ibm,extended-os-term).
 */
static void rtas_ibm_os_term(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    char msg[RTAS_OS_TERM_MSG_MAX + 1];

    if (rtas_bad_counts(call, 1, 1)) {
        return;
    }
    rtas_read_msg(rtas_ld(call, 0), msg, RTAS_OS_TERM_MSG_MAX);
    error_report("OS terminated: %s", msg);
    qemu_system_guest_panicked();
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/*
 * quiesce: SLOF's client-interface quiesce calls it before handing the
 * machine to the OS.  No arguments; status.  The VIO devices drop what the
 * firmware set up (TCEs, bypass, CRQs), as QEMU 7.2's; only the argument
 * count is checked.
 */
static void rtas_quiesce(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    if (call->nargs != 0) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (spapr) {
        spapr_vio_quiesce(spapr->vio_bus);
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/*
 * get-power-level / set-power-level: the machine has one power domain, the
 * "live insertion" domain -1, always at full power (100).  Another domain
 * is not supported; set-power-level reports the level it keeps.
 */
#define RTAS_POWER_DOMAIN_LIVE_INSERTION 0xffffffffu
#define RTAS_POWER_LEVEL_FULL 100

/* Both calls: NARGS cells (the domain first); status and the domain's level. */
static void rtas_power_level(const SpaprRtasCall *call, uint32_t nargs)
{
    if (rtas_bad_counts(call, nargs, 2)) {
        return;
    }
    if (rtas_ld(call, 0) != RTAS_POWER_DOMAIN_LIVE_INSERTION) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_NOT_SUPPORTED);
        return;
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, RTAS_POWER_LEVEL_FULL);
}

static void rtas_get_power_level(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    rtas_power_level(call, 1);
}

static void rtas_set_power_level(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    rtas_power_level(call, 2);
}

static void spapr_rtas_services_init(void)
{
    spapr_rtas_register(RTAS_DISPLAY_CHARACTER, "display-character", rtas_display_character);
    spapr_rtas_register(RTAS_POWER_OFF, "power-off", rtas_power_off);
    spapr_rtas_register(RTAS_SYSTEM_REBOOT, "system-reboot", rtas_system_reboot);
    spapr_rtas_register(RTAS_IBM_OS_TERM, "ibm,os-term", rtas_ibm_os_term);
    spapr_rtas_register(RTAS_QUIESCE, "quiesce", rtas_quiesce);
    spapr_rtas_register(RTAS_GET_POWER_LEVEL, "get-power-level", rtas_get_power_level);
    spapr_rtas_register(RTAS_SET_POWER_LEVEL, "set-power-level", rtas_set_power_level);
}

module_init(spapr_rtas_services_init)

/*
 * RTAS system parameters: ibm,get-system-parameter answers the few the
 * guest asks at boot; ibm,set-system-parameter changes none of them.
 */
#include "sysemu/sysemu.h"
#include "hw/ppc/spapr_rtas.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "qemu/units.h"

/* Processor families by the upper half of the PVR. */
#define PVR_FAMILY_POWER7 0x003f
#define PVR_FAMILY_POWER7P 0x004a
#define PVR_FAMILY_POWER8E 0x004b
#define PVR_FAMILY_POWER8NVL 0x004c
#define PVR_FAMILY_POWER8 0x004d
#define PVR_FAMILY_POWER9 0x004e
#define PVR_FAMILY_POWER10 0x0080

/* Hardware threads per core of the CPU model, hinted as HostThrs; 0 unknown. */
static unsigned sysparm_host_threads(const PowerPCCPUModel *model)
{
    if (!model) {
        return 0;
    }
    switch (model->pvr >> 16) {
    case PVR_FAMILY_POWER7:
    case PVR_FAMILY_POWER7P:
    case PVR_FAMILY_POWER9:
        return 4;
    case PVR_FAMILY_POWER8E:
    case PVR_FAMILY_POWER8NVL:
    case PVR_FAMILY_POWER8:
    case PVR_FAMILY_POWER10:
        return 8;
    default:
        return 0;
    }
}

/*
 * The SPLPAR characteristics: a NUL-terminated "key=value,..." string the
 * guest parses for its entitlement and topology (lparcfg).
 */
static char *sysparm_splpar(SpaprMachineState *spapr)
{
    GString *s = g_string_new(NULL);
    unsigned threads = sysparm_host_threads(spapr->cpu_model);

    g_string_append_printf(s, "MaxEntCap=%u,DesMem=%" PRIu64 ",DesProcs=%u,MaxPlatProcs=%u",
                           spapr->max_cpus, spapr->ram_size / MiB, spapr->smp_cpus,
                           spapr->max_cpus);
    if (threads) {
        g_string_append_printf(s, ",HostThrs=%u", threads);
    }
    return g_string_free(s, FALSE);
}

/*
 * The result buffer holds a big-endian 16-bit length (of the whole value)
 * followed by as much of the value as fits in the guest's buffer.
 */
static int sysparm_store(hwaddr buf, uint32_t len, const void *val, uint16_t vallen)
{
    uint32_t n;

    if (len < 2) {
        return RTAS_OUT_SYSPARM_PARAM_ERROR;
    }
    n = MIN(len - 2, vallen);
    if (!guest_range_valid(buf, 2ULL + n)) {
        return RTAS_OUT_SYSPARM_PARAM_ERROR;
    }
    guest_stw_be(buf, vallen);
    if (n) {
        guest_write(buf + 2, val, n);
    }
    return RTAS_OUT_SUCCESS;
}

/*
 * ibm,get-system-parameter: parameter, buffer address, buffer length;
 * returns status.  Unknown parameters are "not supported" (-3).
 */
static void rtas_get_system_parameter(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                      const SpaprRtasCall *call)
{
    uint32_t param = rtas_ld(call, 0);
    hwaddr buf = rtas_ld(call, 1);
    uint32_t len = rtas_ld(call, 2);
    static const uint8_t diag_run_mode_disabled;
    int ret;

    if (call->nargs != 3 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (!spapr) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    switch (param) {
    case RTAS_SYSPARM_SPLPAR_CHARACTERISTICS: {
        g_autofree char *val = sysparm_splpar(spapr);

        ret = sysparm_store(buf, len, val, strlen(val) + 1);
        break;
    }
    case RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE:
        ret = sysparm_store(buf, len, &diag_run_mode_disabled, 1);
        break;
    case RTAS_SYSPARM_UUID: {
        /* The 16 UUID bytes with -uuid; an empty value without, as QEMU. */
        uint8_t uuid[16];

        qemu_uuid_bytes(uuid);
        ret = sysparm_store(buf, len, uuid, qemu_uuid ? sizeof(uuid) : 0);
        break;
    }
    default:
        ret = RTAS_OUT_NOT_SUPPORTED;
        break;
    }
    rtas_st(call, 0, (uint32_t)ret);
}

/*
 * ibm,set-system-parameter: parameter, buffer address; returns status.  The
 * parameters we publish are read-only to the guest.
 */
static void rtas_set_system_parameter(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                      const SpaprRtasCall *call)
{
    int ret;

    if (call->nargs != 2 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    switch (rtas_ld(call, 0)) {
    case RTAS_SYSPARM_SPLPAR_CHARACTERISTICS:
    case RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE:
    case RTAS_SYSPARM_UUID:
        ret = RTAS_OUT_NOT_AUTHORIZED;
        break;
    default:
        ret = RTAS_OUT_NOT_SUPPORTED;
        break;
    }
    rtas_st(call, 0, (uint32_t)ret);
}

static void spapr_rtas_sysparm_init(void)
{
    spapr_rtas_register(RTAS_IBM_GET_SYSTEM_PARAMETER, "ibm,get-system-parameter",
                        rtas_get_system_parameter);
    spapr_rtas_register(RTAS_IBM_SET_SYSTEM_PARAMETER, "ibm,set-system-parameter",
                        rtas_set_system_parameter);
}

module_init(spapr_rtas_sysparm_init)

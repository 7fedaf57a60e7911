/*
 * RTAS events: the EPOW and hot-plug event sources (/event-sources and their
 * XICS interrupts), the queue of PAPR error logs that check-exception drains,
 * and the EPOW log a host powerdown request (QMP system_powerdown) queues.
 */
#include "hw/ppc/spapr_events.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "sysemu/runstate.h"

#include <libfdt.h>
#include <time.h>

/*
 * The fixed part of an error log: one summary word, then the length of the
 * extended part.  Summary fields (PAPR, big-endian bit numbers): version in
 * bits 0-7, severity 8-10, disposition 11-12, "extended log present" 13,
 * type 24-31.
 */
#define RTAS_LOG_HDR_LEN 8
#define RTAS_LOG_VERSION_6 (6u << 24)
#define RTAS_LOG_SEVERITY_EVENT (1u << 21)
#define RTAS_LOG_DISPOSITION_NOT_RECOVERED (2u << 19)
#define RTAS_LOG_EXTENDED PPC_BIT32(13)

/*
 * Version 6 extended log: a 16-byte header, then sections, each starting
 * with a two-character id, its length, version, subtype and creator.
 */
#define V6_HDR_LEN 16
#define V6_B0_VALID 0x80
#define V6_B0_NEW_LOG 0x04
#define V6_B0_BIGENDIAN 0x02
#define V6_B2_POWERPC_FORMAT 0x80
#define V6_B2_PSERIES_EVENT 0x0e
#define V6_COMPANY_IBM 0x49424d00 /* "IBM\0" */

#define SECTION_ID_MAINA 0x5048   /* "PH": private header */
#define SECTION_ID_MAINB 0x5548   /* "UH": user header */
#define SECTION_ID_EPOW 0x4550    /* "EP" */
#define SECTION_ID_HOTPLUG 0x4850 /* "HP" */
#define MAINA_LEN 48
#define MAINB_LEN 24
#define EPOW_LEN 20
#define HOTPLUG_LEN 20

/* Main-B of a powerdown: external environment, informational, normal shutdown. */
#define MAINB_SUBSYSTEM_EXTERNAL 0xa0
#define MAINB_SEVERITY_INFORMATIONAL 0x00
#define MAINB_SUBTYPE_NORMAL_SHUTDOWN 0xd0
/* EPOW section version 2 has the extended modifier. */
#define EPOW_SECTION_VERSION 2
#define EPOW_ACTION_SYSTEM_SHUTDOWN 3
#define EPOW_MODIFIER_NORMAL 1
#define EPOW_XMODIFIER_PARTITION 1

#define EPOW_EXT_LEN (V6_HDR_LEN + MAINA_LEN + MAINB_LEN + EPOW_LEN)

/* A hot-plug log: initiator "hot plug" (summary bits 16-19), Main-B's subsystem 0x80. */
#define RTAS_LOG_INITIATOR_HOTPLUG (6u << 12)
#define MAINB_SUBSYSTEM_HOTPLUG 0x80
#define HOTPLUG_SECTION_VERSION 1
#define HOTPLUG_EXT_LEN (V6_HDR_LEN + MAINA_LEN + MAINB_LEN + HOTPLUG_LEN)

typedef struct SpaprEventLog {
    uint32_t summary;
    uint32_t ext_len;
    uint8_t *ext;
} SpaprEventLog;

typedef struct SpaprEventSource {
    bool enabled;
    uint32_t irq;
} SpaprEventSource;

struct SpaprEvents {
    SpaprEventSource sources[SPAPR_EVENT_CLASS_MAX];
    GQueue pending; /* SpaprEventLog *, oldest first */
    /* CAS agreed to the dedicated hot-plug source (read when a log is queued). */
    bool hotplug_negotiated;
};

/* The node names Linux looks for under /event-sources. */
static const char *const event_source_names[SPAPR_EVENT_CLASS_MAX] = {
    [SPAPR_EVENT_CLASS_INTERNAL_ERRORS] = "internal-errors",
    [SPAPR_EVENT_CLASS_EPOW] = "epow-events",
    [SPAPR_EVENT_CLASS_HOT_PLUG] = "hot-plug-events",
    [SPAPR_EVENT_CLASS_IO] = "ibm,io-events",
};

/* Platform log ids count up for the whole process, as QEMU's do. */
static uint32_t next_plid;

static void st16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, v >> 16);
    st16(p + 2, v);
}

static uint8_t to_bcd(unsigned v)
{
    return (v / 10) << 4 | (v % 10);
}

/* The class a log of this type is reported through. */
static SpaprEventClass log_class(SpaprEvents *ev, uint32_t summary)
{
    uint8_t type = summary & 0xff;

    /*
     * Hot-plug events have their own source once the guest agreed to it at
     * CAS; before, and without it, they travel as EPOW ones.
     */
    if (type == RTAS_LOG_TYPE_HOTPLUG && ev->sources[SPAPR_EVENT_CLASS_HOT_PLUG].enabled &&
        ev->hotplug_negotiated) {
        return SPAPR_EVENT_CLASS_HOT_PLUG;
    }
    return SPAPR_EVENT_CLASS_EPOW;
}

static void log_free(gpointer p)
{
    SpaprEventLog *log = p;

    g_free(log->ext);
    g_free(log);
}

static void pulse_class(SpaprMachineState *spapr, SpaprEventClass c)
{
    qemu_irq line = spapr_qirq(spapr, spapr->events->sources[c].irq);

    if (line) {
        qemu_irq_pulse(line);
    }
}

/* PAPR: while events of a class wait, its interrupt stays signalled. */
static void pulse_pending(SpaprMachineState *spapr)
{
    SpaprEvents *ev = spapr->events;
    bool pending[SPAPR_EVENT_CLASS_MAX] = { false };

    for (GList *l = ev->pending.head; l; l = l->next) {
        pending[log_class(ev, ((SpaprEventLog *)l->data)->summary)] = true;
    }
    for (int c = 0; c < SPAPR_EVENT_CLASS_MAX; c++) {
        if (pending[c]) {
            pulse_class(spapr, c);
        }
    }
}

bool spapr_events_queue(SpaprMachineState *spapr, uint32_t summary, const void *ext,
                        uint32_t ext_len)
{
    SpaprEvents *ev = spapr->events;
    SpaprEventLog *log;
    SpaprEventClass c;

    if (!ev) {
        return false;
    }
    ev->hotplug_negotiated = spapr_cas_ov5_test(&spapr->cas, OV5_HOTPLUG_BYTE, OV5_HP_EVT);
    c = log_class(ev, summary);
    if (!ev->sources[c].enabled) {
        return false;
    }
    log = g_new0(SpaprEventLog, 1);
    log->summary = summary;
    log->ext_len = ext_len;
    log->ext = g_memdup2(ext, ext_len);
    g_queue_push_tail(&ev->pending, log);
    pulse_class(spapr, c);
    return true;
}

unsigned spapr_events_pending(SpaprMachineState *spapr)
{
    return spapr->events ? g_queue_get_length(&spapr->events->pending) : 0;
}

void spapr_events_reset(SpaprMachineState *spapr)
{
    if (spapr->events) {
        g_queue_clear_full(&spapr->events->pending, log_free);
    }
}

/* The v6 header and Main-A every log starts with; sections counts Main-A too. */
static void fill_v6_maina(SpaprMachineState *spapr, uint8_t *v6, unsigned sections)
{
    uint8_t *ma = v6 + V6_HDR_LEN;
    struct tm tm;
    unsigned year;

    v6[0] = V6_B0_VALID | V6_B0_NEW_LOG | V6_B0_BIGENDIAN;
    v6[2] = V6_B2_POWERPC_FORMAT | V6_B2_PSERIES_EVENT;
    st32(v6 + 12, V6_COMPANY_IBM);

    st16(ma, SECTION_ID_MAINA);
    st16(ma + 2, MAINA_LEN);
    /* Creation date and time in BCD, from the guest's clock: YYYYMMDD, HHMMSS00. */
    spapr_rtc_read(spapr, &tm);
    year = tm.tm_year + 1900;
    ma[8] = to_bcd(year / 100 % 100);
    ma[9] = to_bcd(year % 100);
    ma[10] = to_bcd(tm.tm_mon + 1);
    ma[11] = to_bcd(tm.tm_mday);
    ma[12] = to_bcd(tm.tm_hour);
    ma[13] = to_bcd(tm.tm_min);
    ma[14] = to_bcd(tm.tm_sec);
    ma[24] = 'H'; /* created by the hypervisor */
    ma[27] = sections;
    st32(ma + 40, next_plid++);
}

/* The Main-B section: which subsystem the event is about, its severity and subtype. */
static void fill_v6_mainb(uint8_t *mb, uint8_t subsystem, uint8_t severity, uint8_t subtype)
{
    st16(mb, SECTION_ID_MAINB);
    st16(mb + 2, MAINB_LEN);
    mb[8] = subsystem;
    mb[10] = severity;
    mb[11] = subtype;
}

/*
 * A host powerdown request: an EPOW event asking for an orderly system
 * shutdown (what Linux answers with orderly_poweroff()).
 */
static void spapr_powerdown_request(void *opaque)
{
    SpaprMachineState *spapr = opaque;
    uint8_t ext[EPOW_EXT_LEN] = { 0 };
    uint8_t *mb = ext + V6_HDR_LEN + MAINA_LEN, *ep = mb + MAINB_LEN;

    fill_v6_maina(spapr, ext, 3);
    fill_v6_mainb(mb, MAINB_SUBSYSTEM_EXTERNAL, MAINB_SEVERITY_INFORMATIONAL,
                  MAINB_SUBTYPE_NORMAL_SHUTDOWN);
    st16(ep, SECTION_ID_EPOW);
    st16(ep + 2, EPOW_LEN);
    ep[4] = EPOW_SECTION_VERSION;
    ep[8] = EPOW_ACTION_SYSTEM_SHUTDOWN;
    ep[9] = EPOW_MODIFIER_NORMAL;
    ep[10] = EPOW_XMODIFIER_PARTITION;
    spapr_events_queue(spapr,
                       RTAS_LOG_VERSION_6 | RTAS_LOG_SEVERITY_EVENT |
                           RTAS_LOG_DISPOSITION_NOT_RECOVERED | RTAS_LOG_EXTENDED |
                           RTAS_LOG_TYPE_EPOW,
                       ext, sizeof(ext));
}

bool spapr_events_hotplug(SpaprMachineState *spapr, uint8_t type, uint8_t action, uint8_t id_type,
                          uint32_t a, uint32_t b)
{
    uint8_t ext[HOTPLUG_EXT_LEN] = { 0 };
    uint8_t *mb = ext + V6_HDR_LEN + MAINA_LEN, *hp = mb + MAINB_LEN;

    fill_v6_maina(spapr, ext, 3);
    fill_v6_mainb(mb, MAINB_SUBSYSTEM_HOTPLUG, 0, 0);
    st16(hp, SECTION_ID_HOTPLUG);
    st16(hp + 2, HOTPLUG_LEN);
    hp[4] = HOTPLUG_SECTION_VERSION;
    hp[8] = type;
    hp[9] = action;
    hp[10] = id_type;
    /* The identifier: an index or a count, or a count then the first index. */
    st32(hp + 12, a);
    st32(hp + 16, b);
    return spapr_events_queue(spapr,
                              RTAS_LOG_VERSION_6 | RTAS_LOG_SEVERITY_EVENT |
                                  RTAS_LOG_DISPOSITION_NOT_RECOVERED | RTAS_LOG_EXTENDED |
                                  RTAS_LOG_INITIATOR_HOTPLUG | RTAS_LOG_TYPE_HOTPLUG,
                              ext, sizeof(ext));
}

/* A source's number: QEMU's fixed one, or the next free one on pseries-3.0 and older. */
static void claim_source(SpaprMachineState *spapr, SpaprEventClass c, uint32_t fixed)
{
    char *err = NULL;
    int irq = fixed;

    if (spapr->caps.ic_mode == SPAPR_IC_MODE_LEGACY) {
        irq = spapr_irq_findone(spapr, &err);
    }
    if (irq < 0 || !spapr_irq_claim(spapr, irq, false, &err)) {
        error_exit("%s", err);
    }
    spapr->events->sources[c] = (SpaprEventSource){ .enabled = true, .irq = irq };
}

void spapr_events_init(SpaprMachineState *spapr)
{
    spapr->events = g_new0(SpaprEvents, 1);
    g_queue_init(&spapr->events->pending);
    claim_source(spapr, SPAPR_EVENT_CLASS_EPOW, SPAPR_IRQ_EPOW);
    if (spapr->caps.modern_hotplug_events) {
        claim_source(spapr, SPAPR_EVENT_CLASS_HOT_PLUG, SPAPR_IRQ_HOTPLUG);
    }
    qemu_register_powerdown_notifier(spapr_powerdown_request, spapr);
}

int spapr_events_dt(SpaprMachineState *spapr, void *fdt)
{
    fdt32_t ranges[SPAPR_EVENT_CLASS_MAX * 2];
    unsigned n = 0;
    int node, ret;

    if (!spapr->events) {
        return 0;
    }
    node = fdt_add_subnode(fdt, 0, "event-sources");
    if (node < 0) {
        return node;
    }
    ret = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
    ret = ret ? ret : fdt_setprop_u32(fdt, node, "#interrupt-cells", 2);
    for (int c = 0; c < SPAPR_EVENT_CLASS_MAX && !ret; c++) {
        const SpaprEventSource *src = &spapr->events->sources[c];
        /* Number and sense: 0, a message (edge) source. */
        fdt32_t cells[2] = { cpu_to_fdt32(src->irq), 0 };
        int sub;

        if (!src->enabled) {
            continue;
        }
        sub = fdt_add_subnode(fdt, node, event_source_names[c]);
        ret = sub < 0 ? sub : fdt_setprop(fdt, sub, "interrupts", cells, sizeof(cells));
        ranges[n++] = cells[0];
        ranges[n++] = cpu_to_fdt32(1);
    }
    return ret ? ret : fdt_setprop(fdt, node, "interrupt-ranges", ranges, n * sizeof(ranges[0]));
}

/* The queue link of the oldest event in one of the mask's classes, or NULL. */
static GList *find_event(SpaprEvents *ev, uint32_t mask)
{
    for (GList *l = ev->pending.head; l; l = l->next) {
        SpaprEventLog *log = l->data;

        if (mask & SPAPR_EVENT_CLASS_MASK(log_class(ev, log->summary))) {
            return l;
        }
    }
    return NULL;
}

/*
 * check-exception: vector, extended information, event mask, critical,
 * buffer, length and (optionally) the extended information's length;
 * status.  Hands out the oldest event of the mask's classes: its fixed part
 * and extended log, cut to the buffer's length.  A buffer outside RAM is a
 * parameter error and the event stays queued.
 */
static void rtas_check_exception(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    uint8_t hdr[RTAS_LOG_HDR_LEN];
    uint32_t mask, buf, len;
    SpaprEventLog *log;
    GList *link;

    if ((call->nargs != 6 && call->nargs != 7) || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    mask = rtas_ld(call, 2);
    buf = rtas_ld(call, 4);
    len = rtas_ld(call, 5);
    link = spapr && spapr->events ? find_event(spapr->events, mask) : NULL;
    if (!link) {
        rtas_st(call, 0, RTAS_OUT_NO_ERRORS_FOUND);
        return;
    }
    log = link->data;
    len = MIN(len, RTAS_LOG_HDR_LEN + log->ext_len);
    if (!guest_range_valid(buf, len)) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    g_queue_delete_link(&spapr->events->pending, link);
    st32(hdr, log->summary);
    st32(hdr + 4, log->ext_len);
    guest_write(buf, hdr, MIN(len, RTAS_LOG_HDR_LEN));
    if (len > RTAS_LOG_HDR_LEN) {
        guest_write(buf + RTAS_LOG_HDR_LEN, log->ext, len - RTAS_LOG_HDR_LEN);
    }
    log_free(log);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    /* Interrupts are edges here: signal again for what is still queued. */
    pulse_pending(spapr);
}

/*
 * event-scan: event mask, critical, buffer, length; status.  Events are
 * delivered through their interrupts: this only signals again for those
 * still queued, and reports nothing itself (as QEMU does).
 */
static void rtas_event_scan(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    if (call->nargs != 4 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (spapr && spapr->events) {
        pulse_pending(spapr);
    }
    rtas_st(call, 0, RTAS_OUT_NO_ERRORS_FOUND);
}

static void spapr_events_register(void)
{
    spapr_rtas_register(RTAS_CHECK_EXCEPTION, "check-exception", rtas_check_exception);
    spapr_rtas_register(RTAS_EVENT_SCAN, "event-scan", rtas_event_scan);
}

module_init(spapr_events_register)

/*
 * virtio-scsi-pci (virtio 1.0, 5.6): a SCSI host adapter whose request
 * queues carry CDBs to the units of its SCSI bus, a control queue for task
 * management, and an event queue: units plugged and unplugged at run time
 * (the bus takes hot-plug) and a unit's capacity changed.
 */
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-state.h"
#include "hw/boards.h"
#include "hw/qdev-hotplug.h"
#include "monitor/monitor.h"
#include "hw/scsi/scsi.h"
#include "block/block-backend.h"
#include "qemu/log.h"
#include "qemu/module.h"

/* Feature bits (5.6.3): QEMU 7.2 offers hotplug and parameter-change events. */
#define VIRTIO_SCSI_F_HOTPLUG 1
#define VIRTIO_SCSI_F_CHANGE 2

/* struct virtio_scsi_config. */
#define CFG_NUM_QUEUES 0
#define CFG_SEG_MAX 4
#define CFG_MAX_SECTORS 8
#define CFG_CMD_PER_LUN 12
#define CFG_EVENT_INFO_SIZE 16
#define CFG_SENSE_SIZE 20
#define CFG_CDB_SIZE 24
#define CFG_MAX_CHANNEL 28
#define CFG_MAX_TARGET 30
#define CFG_MAX_LUN 32
#define CFG_SIZE 36

/* QEMU 7.2's limits and default sizes. */
#define VIRTIO_SCSI_MAX_TARGET 255
#define VIRTIO_SCSI_MAX_LUN 16383
#define VIRTIO_SCSI_SENSE_DEFAULT 96
#define VIRTIO_SCSI_CDB_DEFAULT 32
#define VIRTIO_SCSI_EVENT_LEN 16
#define NUM_QUEUES_AUTO 0xffffffff

/* Response codes (5.6.6.1). */
#define VIRTIO_SCSI_S_OK 0
#define VIRTIO_SCSI_S_OVERRUN 1
#define VIRTIO_SCSI_S_ABORTED 2
#define VIRTIO_SCSI_S_BAD_TARGET 3
#define VIRTIO_SCSI_S_RESET 4
#define VIRTIO_SCSI_S_FAILURE 9
#define VIRTIO_SCSI_S_FUNCTION_SUCCEEDED 10
#define VIRTIO_SCSI_S_FUNCTION_REJECTED 11
#define VIRTIO_SCSI_S_INCORRECT_LUN 12

/* Control queue requests (5.6.6.2) and task management functions. */
#define VIRTIO_SCSI_T_TMF 0
#define VIRTIO_SCSI_T_AN_QUERY 1
#define VIRTIO_SCSI_T_AN_SUBSCRIBE 2
#define VIRTIO_SCSI_T_TMF_ABORT_TASK 0
#define VIRTIO_SCSI_T_TMF_ABORT_TASK_SET 1
#define VIRTIO_SCSI_T_TMF_CLEAR_ACA 2
#define VIRTIO_SCSI_T_TMF_CLEAR_TASK_SET 3
#define VIRTIO_SCSI_T_TMF_I_T_NEXUS_RESET 4
#define VIRTIO_SCSI_T_TMF_LOGICAL_UNIT_RESET 5
#define VIRTIO_SCSI_T_TMF_QUERY_TASK 6
#define VIRTIO_SCSI_T_TMF_QUERY_TASK_SET 7

/* Events (5.6.6.3): event, lun[8], reason, 16 bytes in the driver's buffer. */
#define VIRTIO_SCSI_T_NO_EVENT 0
#define VIRTIO_SCSI_T_TRANSPORT_RESET 1
#define VIRTIO_SCSI_T_PARAM_CHANGE 3
#define VIRTIO_SCSI_T_EVENTS_MISSED 0x80000000u
#define VIRTIO_SCSI_EVT_RESET_RESCAN 1
#define VIRTIO_SCSI_EVT_RESET_REMOVED 2

/* The request header is lun[8], tag, attribute, priority, crn, then the CDB. */
#define REQ_HDR 19
/* The response header: sense_len, resid, status qualifier, status, response; then sense. */
#define RESP_HDR 12

typedef struct VirtIOSCSIPCI {
    VirtIOPCIProxy proxy;
    uint32_t num_queues, virtqueue_size, max_sectors, cmd_per_lun;
    bool seg_max_adjust, hotplug, param_change;
    uint32_t sense_size, cdb_size; /* the driver may change them */
    SCSIBus *bus;
    unsigned resetting;
    VirtQueue *event_vq;
    bool events_dropped; /* an event found no buffer: the next one says so */
} VirtIOSCSIPCI;

typedef struct VirtIOSCSIReq {
    VirtQueueElement elem; /* first: virtqueue_pop allocates the request */
    VirtIOSCSIPCI *s;
    VirtQueue *vq;
    uint32_t req_size, resp_size; /* with the sizes in force when it came */
    SCSIRequest *sreq;
} VirtIOSCSIReq;

static VirtIOSCSIPCI *scsi_of(VirtIODevice *vdev)
{
    return (VirtIOSCSIPCI *)virtio_pci_proxy(vdev);
}

/*
 * A virtio LUN: byte 0 is 1, byte 1 the target, bytes 2-3 the LUN in
 * single-level flat (0x40) or peripheral (0x00) addressing.
 */
static SCSIDevice *find_unit(VirtIOSCSIPCI *s, const uint8_t *lun, unsigned *unit_lun)
{
    if (lun[0] != 1 || (lun[2] != 0 && (lun[2] < 0x40 || lun[2] >= 0x80))) {
        return NULL;
    }
    *unit_lun = ((lun[2] << 8) | lun[3]) & 0x3fff;
    return scsi_device_find(s->bus, 0, lun[1], *unit_lun);
}

/* Write the response header (and sense) and hand the buffers back. */
static void req_done(VirtIOSCSIReq *r, uint8_t response, uint8_t status, const uint8_t *sense,
                     uint32_t sense_len, uint32_t resid, uint64_t in_data)
{
    VirtIODevice *vdev = &r->s->proxy.vdev;
    g_autofree uint8_t *resp = g_malloc0(r->resp_size);

    sense_len = MIN(sense_len, r->resp_size - RESP_HDR);
    virtio_stl_p(vdev, resp, sense_len);
    virtio_stl_p(vdev, resp + 4, resid);
    resp[10] = status;
    resp[11] = response;
    if (sense_len) {
        memcpy(resp + RESP_HDR, sense, sense_len);
    }
    if (virtqueue_elem_write(r->vq, &r->elem, 0, resp, r->resp_size)) {
        virtqueue_push(r->vq, &r->elem, r->resp_size + in_data);
        virtio_notify(vdev, r->vq);
    }
    virtqueue_elem_free(&r->elem);
}

/* ---- The SCSI bus's side ---------------------------------------------------------------- */

static bool vs_data_in(SCSIRequest *sreq, uint64_t off, const void *buf, size_t len)
{
    VirtIOSCSIReq *r = sreq->hba_private;

    return virtqueue_elem_write(r->vq, &r->elem, r->resp_size + off, buf, len);
}

static bool vs_data_out(SCSIRequest *sreq, uint64_t off, void *buf, size_t len)
{
    VirtIOSCSIReq *r = sreq->hba_private;

    return virtqueue_elem_read(r->vq, &r->elem, r->req_size + off, buf, len);
}

static void vs_complete(SCSIRequest *sreq)
{
    VirtIOSCSIReq *r = sreq->hba_private;
    uint64_t len = sreq->in_len ? sreq->in_len : sreq->out_len;
    uint32_t resid = len > sreq->moved ? len - sreq->moved : 0;

    if (sreq->cancelled) {
        req_done(r, r->s->resetting ? VIRTIO_SCSI_S_RESET : VIRTIO_SCSI_S_ABORTED, 0, NULL, 0, 0,
                 0);
    } else if (sreq->overrun) {
        req_done(r, VIRTIO_SCSI_S_OVERRUN, 0, NULL, 0, 0, 0);
    } else if (sreq->host_error) {
        req_done(r, VIRTIO_SCSI_S_FAILURE, 0, NULL, 0, 0, 0);
    } else {
        req_done(r, VIRTIO_SCSI_S_OK, sreq->status, sreq->sense, sreq->sense_len, resid,
                 sreq->in_len ? sreq->moved : 0);
    }
}

/*
 * SLOF's unit address: 0x0100 | target, then the LUN (flat addressing from
 * 256), in the top 32 bits.
 */
static uint64_t vs_fw_unit_address(const SCSIDevice *dev)
{
    uint32_t id = 0x1000000 | dev->id << 16 | dev->lun | (dev->lun >= 256 ? 0x4000 : 0);

    return (uint64_t)id << 32;
}

static void vs_change(SCSIBus *bus, SCSIDevice *dev, SCSISense sense);

static const SCSIBusInfo virtio_scsi_bus_info = {
    .tcq = true,
    .max_channel = 0,
    .max_target = VIRTIO_SCSI_MAX_TARGET,
    .max_lun = VIRTIO_SCSI_MAX_LUN,
    .data_in = vs_data_in,
    .data_out = vs_data_out,
    .complete = vs_complete,
    .fw_unit_address = vs_fw_unit_address,
    .change = vs_change,
};

/* ---- Request queues ------------------------------------------------------------------------ */

static void handle_cmd(VirtIOSCSIPCI *s, VirtIOSCSIReq *r)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    g_autofree uint8_t *hdr = NULL;
    SCSIDevice *dev;
    unsigned lun;

    r->req_size = REQ_HDR + s->cdb_size;
    r->resp_size = RESP_HDR + s->sense_size;
    if (r->elem.out_len < r->req_size || r->elem.in_len < r->resp_size) {
        virtio_error(vdev, "virtio-scsi: wrong size for virtio-scsi headers");
        virtqueue_elem_free(&r->elem);
        return;
    }
    hdr = g_malloc(r->req_size);
    if (!virtqueue_elem_read(r->vq, &r->elem, 0, hdr, r->req_size)) {
        virtqueue_elem_free(&r->elem);
        return;
    }
    /* Data both ways (VIRTIO_SCSI_F_INOUT) is not offered. */
    if (r->elem.out_len > r->req_size && r->elem.in_len > r->resp_size) {
        req_done(r, VIRTIO_SCSI_S_FAILURE, 0, NULL, 0, 0, 0);
        return;
    }
    dev = find_unit(s, hdr, &lun);
    if (!dev) {
        req_done(r, VIRTIO_SCSI_S_BAD_TARGET, 0, NULL, 0, 0, 0);
        return;
    }
    r->sreq = scsi_req_new(dev, lun, virtio_ldq_p(vdev, hdr + 8), hdr + REQ_HDR, s->cdb_size, r);
    r->sreq->in_len = r->elem.in_len - r->resp_size;
    r->sreq->out_len = r->elem.out_len - r->req_size;
    scsi_req_submit(r->sreq);
}

static void handle_cmd_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);
    VirtIOSCSIReq *r;

    while ((r = virtqueue_pop(vq, sizeof(VirtIOSCSIReq)))) {
        r->s = s;
        r->vq = vq;
        handle_cmd(s, r);
    }
}

/* ---- Control queue ------------------------------------------------------------------------------ */

/* The requests of the bus's units matching fn; cancel them when abort. */
static unsigned for_tasks(VirtIOSCSIPCI *s, SCSIDevice *d, bool by_tag, uint64_t tag, bool abort)
{
    unsigned n = 0;

    for (guint i = 0; i < s->bus->qbus.children->len; i++) {
        SCSIDevice *u = g_ptr_array_index(s->bus->qbus.children, i);
        g_autoptr(GPtrArray) reqs = NULL;

        if (u != d || !u->requests) {
            continue;
        }
        reqs = g_ptr_array_copy(u->requests, NULL, NULL);
        for (guint j = 0; j < reqs->len; j++) {
            SCSIRequest *sreq = g_ptr_array_index(reqs, j);

            if (sreq->bus != s->bus || sreq->cancelled || (by_tag && sreq->tag != tag)) {
                continue;
            }
            n++;
            if (abort) {
                scsi_req_cancel(sreq);
            }
        }
    }
    return n;
}

static uint8_t handle_tmf(VirtIOSCSIPCI *s, const uint8_t *req)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    uint32_t subtype = virtio_ldl_p(vdev, req + 4);
    const uint8_t *lunb = req + 8;
    uint64_t tag = virtio_ldq_p(vdev, req + 16);
    unsigned lun = 0;
    SCSIDevice *d = find_unit(s, lunb, &lun);

    if (!d) {
        return VIRTIO_SCSI_S_BAD_TARGET;
    }
    switch (subtype) {
    case VIRTIO_SCSI_T_TMF_ABORT_TASK:
    case VIRTIO_SCSI_T_TMF_QUERY_TASK:
        if ((unsigned)d->lun != lun) {
            return VIRTIO_SCSI_S_INCORRECT_LUN;
        }
        if (subtype == VIRTIO_SCSI_T_TMF_QUERY_TASK) {
            return for_tasks(s, d, true, tag, false) ? VIRTIO_SCSI_S_FUNCTION_SUCCEEDED
                                                     : VIRTIO_SCSI_S_OK;
        }
        for_tasks(s, d, true, tag, true);
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_LOGICAL_UNIT_RESET:
        if ((unsigned)d->lun != lun) {
            return VIRTIO_SCSI_S_INCORRECT_LUN;
        }
        s->resetting++;
        scsi_device_reset(d);
        s->resetting--;
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_ABORT_TASK_SET:
    case VIRTIO_SCSI_T_TMF_CLEAR_TASK_SET:
    case VIRTIO_SCSI_T_TMF_QUERY_TASK_SET:
        if ((unsigned)d->lun != lun) {
            return VIRTIO_SCSI_S_INCORRECT_LUN;
        }
        if (subtype == VIRTIO_SCSI_T_TMF_QUERY_TASK_SET) {
            return for_tasks(s, d, false, 0, false) ? VIRTIO_SCSI_S_FUNCTION_SUCCEEDED
                                                    : VIRTIO_SCSI_S_OK;
        }
        for_tasks(s, d, false, 0, true);
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_I_T_NEXUS_RESET:
        /* Every unit of the target. */
        s->resetting++;
        for (guint i = 0; i < s->bus->qbus.children->len; i++) {
            SCSIDevice *u = g_ptr_array_index(s->bus->qbus.children, i);

            if (u->channel == d->channel && u->id == d->id) {
                scsi_device_reset(u);
            }
        }
        s->resetting--;
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_CLEAR_ACA:
    default:
        return VIRTIO_SCSI_S_FUNCTION_REJECTED;
    }
}

static void handle_ctrl_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        uint8_t req[24] = { 0 }, resp[5] = { 0 };
        uint32_t type, rlen;

        if (e->out_len < 4 || !virtqueue_elem_read(vq, e, 0, req, 4)) {
            virtio_error(vdev, "virtio-scsi: missing control request type");
            virtqueue_elem_free(e);
            return;
        }
        type = virtio_ldl_p(vdev, req);
        if (type == VIRTIO_SCSI_T_TMF) {
            if (e->out_len < 24 || e->in_len < 1 || !virtqueue_elem_read(vq, e, 0, req, 24)) {
                virtio_error(vdev, "virtio-scsi: wrong size for a task management request");
                virtqueue_elem_free(e);
                return;
            }
            resp[0] = handle_tmf(s, req);
            rlen = 1;
        } else if (type == VIRTIO_SCSI_T_AN_QUERY || type == VIRTIO_SCSI_T_AN_SUBSCRIBE) {
            if (e->out_len < 16 || e->in_len < 5) {
                virtio_error(vdev, "virtio-scsi: wrong size for an asynchronous notification");
                virtqueue_elem_free(e);
                return;
            }
            /* No events supported: event_actual 0, response OK. */
            rlen = 5;
        } else {
            qemu_log_mask(LOG_GUEST_ERROR, "virtio-scsi: control request type %u\n", type);
            resp[0] = VIRTIO_SCSI_S_FAILURE;
            rlen = MIN(e->in_len, 1);
        }
        if (virtqueue_elem_write(vq, e, 0, resp, rlen)) {
            virtqueue_push(vq, e, rlen);
            virtio_notify(vdev, vq);
        }
        virtqueue_elem_free(e);
    }
}

/*
 * Report an event about dev (NULL: none) in the driver's next event buffer,
 * once the driver is ready.  Without a buffer the event is lost and the
 * next one carries VIRTIO_SCSI_T_EVENTS_MISSED, so the driver rescans.
 */
static void push_event(VirtIOSCSIPCI *s, SCSIDevice *dev, uint32_t event, uint32_t reason)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    uint8_t ev[VIRTIO_SCSI_EVENT_LEN] = { 0 };
    VirtQueueElement *e;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) || vdev->broken) {
        return;
    }
    e = virtqueue_pop(s->event_vq, sizeof(*e));
    if (!e) {
        s->events_dropped = true;
        return;
    }
    if (s->events_dropped) {
        event |= VIRTIO_SCSI_T_EVENTS_MISSED;
        s->events_dropped = false;
    }
    if (e->out_len || e->in_len < VIRTIO_SCSI_EVENT_LEN) {
        virtio_error(vdev, "virtio-scsi: wrong size for an event buffer");
        virtqueue_elem_free(e);
        return;
    }
    virtio_stl_p(vdev, ev, event);
    if (dev) {
        /* The unit's LUN as the request queues take it (flat addressing from 256). */
        ev[4] = 1;
        ev[5] = dev->id;
        ev[6] = dev->lun >= 256 ? 0x40 | (dev->lun >> 8) : 0;
        ev[7] = dev->lun & 0xff;
    }
    virtio_stl_p(vdev, ev + 12, reason);
    if (virtqueue_elem_write(s->event_vq, e, 0, ev, sizeof(ev))) {
        virtqueue_push(s->event_vq, e, sizeof(ev));
        virtio_notify(vdev, s->event_vq);
    }
    virtqueue_elem_free(e);
}

/* New event buffers: events lost for want of one are reported now. */
static void handle_event_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);

    (void)vq;
    if (s->events_dropped) {
        push_event(s, NULL, VIRTIO_SCSI_T_NO_EVENT, 0);
    }
}

/* ---- Units coming and going, and changing ------------------------------------------------------ */

/* block_resize of a disk: the parameter-change event with its sense code, if negotiated. */
static void vs_change(SCSIBus *bus, SCSIDevice *dev, SCSISense sense)
{
    VirtIOSCSIPCI *s = bus->opaque;

    if (virtio_vdev_has_feature(&s->proxy.vdev, VIRTIO_SCSI_F_CHANGE)) {
        push_event(s, dev, VIRTIO_SCSI_T_PARAM_CHANGE, sense.asc | sense.ascq << 8);
    }
}

/* A unit was hot-plugged: the driver rescans, and the bus's next command says so. */
static void vs_plug(BusState *qbus, DeviceState *qdev)
{
    SCSIBus *bus = (SCSIBus *)qbus;
    VirtIOSCSIPCI *s = bus->opaque;

    if (virtio_vdev_has_feature(&s->proxy.vdev, VIRTIO_SCSI_F_HOTPLUG)) {
        push_event(s, (SCSIDevice *)qdev, VIRTIO_SCSI_T_TRANSPORT_RESET,
                   VIRTIO_SCSI_EVT_RESET_RESCAN);
        bus->unit_attention = SENSE_REPORTED_LUNS_CHANGED;
    }
}

/* QEMU 7.2 sends DEVICE_DELETED once the device is finalized, after device_del's reply. */
static gboolean device_deleted_event(gpointer json)
{
    monitor_qapi_event("DEVICE_DELETED", json);
    g_free(json);
    return G_SOURCE_REMOVE;
}

/*
 * device_del of a unit: it goes at once, as in QEMU (the driver learns it
 * from the event and the unit attention; a command still sent to it finds
 * no unit), and its -drive with it.
 */
static bool vs_unplug_request(BusState *qbus, DeviceState *qdev, Error **errp)
{
    SCSIBus *bus = (SCSIBus *)qbus;
    VirtIOSCSIPCI *s = bus->opaque;
    char *json;

    (void)errp;
    if (virtio_vdev_has_feature(&s->proxy.vdev, VIRTIO_SCSI_F_HOTPLUG)) {
        push_event(s, (SCSIDevice *)qdev, VIRTIO_SCSI_T_TRANSPORT_RESET,
                   VIRTIO_SCSI_EVT_RESET_REMOVED);
        bus->unit_attention = SENSE_REPORTED_LUNS_CHANGED;
    }
    json = qdev->id
               ? g_strdup_printf("{\"device\": \"%s\", \"path\": \"%s\"}", qdev->id, qdev->path)
               : g_strdup_printf("{\"path\": \"%s\"}", qdev->path);
    qdev_free(qdev);
    g_idle_add(device_deleted_event, json);
    return true;
}

static const HotplugHandler vs_hotplug = {
    .plug = vs_plug,
    .unplug_request = vs_unplug_request,
};

/* ---- Configuration ------------------------------------------------------------------------------ */

static void vs_get_config(VirtIODevice *vdev)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);
    uint8_t *c = vdev->config;

    memset(c, 0, CFG_SIZE);
    virtio_stl_p(vdev, c + CFG_NUM_QUEUES, s->num_queues);
    virtio_stl_p(vdev, c + CFG_SEG_MAX, s->seg_max_adjust ? s->virtqueue_size - 2 : 128 - 2);
    virtio_stl_p(vdev, c + CFG_MAX_SECTORS, s->max_sectors);
    virtio_stl_p(vdev, c + CFG_CMD_PER_LUN, s->cmd_per_lun);
    virtio_stl_p(vdev, c + CFG_EVENT_INFO_SIZE, VIRTIO_SCSI_EVENT_LEN);
    virtio_stl_p(vdev, c + CFG_SENSE_SIZE, s->sense_size);
    virtio_stl_p(vdev, c + CFG_CDB_SIZE, s->cdb_size);
    virtio_stw_p(vdev, c + CFG_MAX_CHANNEL, 0);
    virtio_stw_p(vdev, c + CFG_MAX_TARGET, VIRTIO_SCSI_MAX_TARGET);
    virtio_stl_p(vdev, c + CFG_MAX_LUN, VIRTIO_SCSI_MAX_LUN);
}

/* The driver may set sense_size and cdb_size; other fields are read-only. */
static void vs_set_config(VirtIODevice *vdev, uint32_t offset, unsigned len)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);
    uint32_t sense = virtio_ldl_p(vdev, vdev->config + CFG_SENSE_SIZE);
    uint32_t cdb = virtio_ldl_p(vdev, vdev->config + CFG_CDB_SIZE);

    (void)offset;
    (void)len;
    if (sense >= 65536 || cdb >= 256) {
        virtio_error(vdev, "virtio-scsi: bad data written to virtio-scsi configuration space");
        vs_get_config(vdev);
        return;
    }
    s->sense_size = sense;
    s->cdb_size = cdb;
}

/* Requests in flight end (their I/O completes into the old rings); sizes back to default. */
static void vs_reset(VirtIODevice *vdev)
{
    VirtIOSCSIPCI *s = scsi_of(vdev);

    s->resetting++;
    scsi_bus_reset(s->bus);
    blk_drain_all();
    s->resetting--;
    s->sense_size = VIRTIO_SCSI_SENSE_DEFAULT;
    s->cdb_size = VIRTIO_SCSI_CDB_DEFAULT;
    s->events_dropped = false;
}

static bool vs_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIOSCSIPCI *s = (VirtIOSCSIPCI *)p;
    VirtIODevice *vdev = &p->vdev;
    DeviceState *dev = &p->pci.qdev;
    static unsigned anonymous;
    g_autofree char *name = NULL;

    if (s->num_queues == NUM_QUEUES_AUTO) {
        /* QEMU 7.2's default: one request queue per vCPU. */
        s->num_queues = 1;
        if (current_machine && current_machine->ops->cpu_count) {
            s->num_queues = MAX(current_machine->ops->cpu_count(current_machine), 1);
        }
        s->num_queues = MIN(s->num_queues, VIRTIO_QUEUE_MAX - 2);
    }
    /* QEMU 7.2's limits (1022 request queues, sizes above 2), then this core's. */
    if (s->num_queues == 0 || s->num_queues > 1022) {
        error_setg(errp,
                   "Invalid number of queues (= %" PRIu32
                   "), must be a positive integer less than 1022.",
                   s->num_queues);
        return false;
    }
    if (s->num_queues > VIRTIO_QUEUE_MAX - 2) {
        error_setg(errp, "num_queues %" PRIu32 " is not supported here (at most %d)", s->num_queues,
                   VIRTIO_QUEUE_MAX - 2);
        return false;
    }
    if (s->virtqueue_size <= 2) {
        error_setg(errp, "invalid virtqueue_size property (= %" PRIu32 "), must be > 2",
                   s->virtqueue_size);
        return false;
    }
    if (s->virtqueue_size > VIRTQUEUE_MAX_SIZE) {
        error_setg(errp, "virtqueue_size %" PRIu32 " is not supported here (at most %d)",
                   s->virtqueue_size, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    s->sense_size = VIRTIO_SCSI_SENSE_DEFAULT;
    s->cdb_size = VIRTIO_SCSI_CDB_DEFAULT;
    virtio_init(vdev, "virtio-scsi", VIRTIO_ID_SCSI, CFG_SIZE);
    if (s->hotplug) {
        vdev->host_features |= 1ull << VIRTIO_SCSI_F_HOTPLUG;
    }
    if (s->param_change) {
        vdev->host_features |= 1ull << VIRTIO_SCSI_F_CHANGE;
    }
    vdev->get_config = vs_get_config;
    vdev->set_config = vs_set_config;
    vdev->reset = vs_reset;
    virtio_add_queue(vdev, s->virtqueue_size, handle_ctrl_queue);
    s->event_vq = virtio_add_queue(vdev, s->virtqueue_size, handle_event_queue);
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_add_queue(vdev, s->virtqueue_size, handle_cmd_queue);
    }
    if (p->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        p->nvectors = s->num_queues + 3;
    }
    vs_get_config(vdev);
    /* The bus is "<id>.0", or "scsi.N" for an adapter without an id, as QEMU names it. */
    name = dev->id ? g_strdup_printf("%s.0", dev->id) : g_strdup_printf("scsi.%u", anonymous++);
    s->bus = scsi_bus_new(dev, name, &virtio_scsi_bus_info, s);
    qbus_set_hotplug_handler(&s->bus->qbus, &vs_hotplug);
    return true;
}

static const Property virtio_scsi_props[] = {
    DEFINE_PROP_UINT32("num_queues", VirtIOSCSIPCI, num_queues, NUM_QUEUES_AUTO),
    DEFINE_PROP_UINT32("virtqueue_size", VirtIOSCSIPCI, virtqueue_size, 256),
    DEFINE_PROP_BOOL("seg_max_adjust", VirtIOSCSIPCI, seg_max_adjust, true),
    DEFINE_PROP_UINT32("max_sectors", VirtIOSCSIPCI, max_sectors, 0xffff),
    DEFINE_PROP_UINT32("cmd_per_lun", VirtIOSCSIPCI, cmd_per_lun, 128),
    DEFINE_PROP_BOOL("hotplug", VirtIOSCSIPCI, hotplug, true),
    DEFINE_PROP_BOOL("param_change", VirtIOSCSIPCI, param_change, true),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Migration: the transport, the sizes the driver set, a dropped event not yet
 * reported and the bus's unit attention.  Requests are not in the stream:
 * migration drains the block layer, so each has completed on the source.
 */
static bool scsi_post_load(DeviceState *dev, Error **errp)
{
    VirtIOSCSIPCI *s = (VirtIOSCSIPCI *)dev;

    /* What the configuration write accepts. */
    if (s->sense_size >= 65536 || s->cdb_size >= 256) {
        error_setg(errp, "virtio-scsi: sense size %u, CDB size %u", s->sense_size, s->cdb_size);
        return false;
    }
    return virtio_pci_plain_post_load(dev, errp);
}

static const VMStateField vmstate_virtio_scsi_fields[] = {
    VMSTATE_STRUCT(proxy, VirtIOSCSIPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_UINT32(sense_size, VirtIOSCSIPCI),
    VMSTATE_UINT32(cdb_size, VirtIOSCSIPCI),
    VMSTATE_BOOL(events_dropped, VirtIOSCSIPCI),
    VMSTATE_STRUCT_POINTER(bus, VirtIOSCSIPCI, vmstate_scsi_bus, SCSIBus),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_scsi = {
    .name = "virtio-scsi",
    .version_id = 1,
    .fields = vmstate_virtio_scsi_fields,
    .post_load = scsi_post_load,
};

static const VirtIOPCIClass virtio_scsi_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-scsi-pci",
            .alias = "virtio-scsi",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_STORAGE,
            .instance_size = sizeof(VirtIOSCSIPCI),
            .props = virtio_scsi_props,
            .vmsd = &vmstate_virtio_scsi,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_SCSI,
        .class_id = PCI_CLASS_STORAGE_SCSI,
    },
    .virtio_id = VIRTIO_ID_SCSI,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_SCSI,
    .vdev_realize = vs_vdev_realize,
};

static void virtio_scsi_register(void)
{
    qdev_register_type(&virtio_scsi_pci_class.parent.parent);
}

module_init(virtio_scsi_register)

/*
 * The SCSI bus: units addressed by channel/target/LUN, the life of a
 * request from the adapter's CDB to its completion, sense data, and what a
 * target answers for a LUN that has no unit (REPORT LUNS, INQUIRY...).
 */
#include "hw/scsi/scsi.h"
#include "hw/qdev-state.h"
#include "sysemu/blockdev.h"
#include "qemu/error-report.h"
#include "qemu/module.h"

/* Operation codes the bus answers for a target. */
#define CMD_TEST_UNIT_READY 0x00
#define CMD_REQUEST_SENSE 0x03
#define CMD_INQUIRY 0x12
#define CMD_REPORT_LUNS 0xa0
#define CMD_GET_CONFIGURATION 0x46
#define CMD_GET_EVENT_STATUS_NOTIFICATION 0x4a

/* ---- CDB fields -------------------------------------------------------------------- */

/*
 * SPC's groups: the top three bits of the operation code give the CDB
 * length; groups 3 (reserved) and 6, 7 (vendor specific) have none here.
 */
unsigned scsi_cdb_length(uint8_t opcode)
{
    static const uint8_t len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

    return len[opcode >> 5];
}

static uint32_t be24(const uint8_t *p)
{
    return p[0] << 16 | p[1] << 8 | p[2];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t scsi_cdb_lba(const uint8_t *cdb)
{
    switch (scsi_cdb_length(cdb[0])) {
    case 6:
        return be24(&cdb[1]) & 0x1fffff; /* 21 bits */
    case 10:
    case 12:
        return be32(&cdb[2]);
    case 16:
        return (uint64_t)be32(&cdb[2]) << 32 | be32(&cdb[6]);
    }
    return 0;
}

uint32_t scsi_cdb_xfer_blocks(const uint8_t *cdb)
{
    switch (scsi_cdb_length(cdb[0])) {
    case 6:
        return cdb[4] ? cdb[4] : 256; /* READ(6)/WRITE(6): 0 means 256 */
    case 10:
        return cdb[7] << 8 | cdb[8];
    case 12:
        return be32(&cdb[6]);
    case 16:
        return be32(&cdb[10]);
    }
    return 0;
}

/* ---- Sense and completion ----------------------------------------------------------- */

void scsi_build_sense(uint8_t *buf, SCSISense sense)
{
    memset(buf, 0, SCSI_SENSE_LEN);
    buf[0] = 0x70; /* current error, fixed format */
    buf[2] = sense.key;
    buf[7] = SCSI_SENSE_LEN - 8; /* additional sense length */
    buf[12] = sense.asc;
    buf[13] = sense.ascq;
}

void scsi_req_complete(SCSIRequest *req, uint8_t status)
{
    SCSIBus *bus = req->bus;

    req->status = status;
    req->in_flight = false;
    if (req->dev) {
        g_ptr_array_remove(req->dev->requests, req);
    }
    bus->info->complete(req);
    g_free(req->dev_state);
    g_free(req);
}

void scsi_req_check_condition(SCSIRequest *req, SCSISense sense)
{
    scsi_build_sense(req->sense, sense);
    req->sense_len = SCSI_SENSE_LEN;
    scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
}

void scsi_req_reply(SCSIRequest *req, const void *buf, size_t len)
{
    len = MIN(len, req->in_len);
    if (len && !req->bus->info->data_in(req, 0, buf, len)) {
        req->host_error = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    req->moved = len;
    scsi_req_complete(req, SCSI_STATUS_GOOD);
}

/* ---- What a target answers where it has no unit --------------------------------------- */

/* A LUN in SAM's single-level format: peripheral (< 256) or flat addressing. */
static void put_lun(uint8_t *p, uint32_t lun)
{
    memset(p, 0, 8);
    if (lun < 256) {
        p[1] = lun;
    } else {
        p[0] = 0x40 | (lun >> 8);
        p[1] = lun & 0xff;
    }
}

/* Every unit of the request's target, LUN 0 first whether or not it exists. */
static void target_report_luns(SCSIRequest *req)
{
    GPtrArray *kids = req->bus->qbus.children;
    uint32_t alloc = be32(&req->cdb[6]);
    g_autofree uint8_t *buf = NULL;
    size_t n = 8;

    if (req->cdb[2] > 2 || alloc < 16) {
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    buf = g_malloc0(8 + 8 * (kids->len + 1));
    put_lun(&buf[n], 0);
    n += 8;
    for (guint i = 0; i < kids->len; i++) {
        SCSIDevice *d = g_ptr_array_index(kids, i);

        if (d->channel == req->dev->channel && d->id == req->dev->id && d->lun != 0) {
            put_lun(&buf[n], d->lun);
            n += 8;
        }
    }
    buf[0] = (n - 8) >> 24;
    buf[1] = (n - 8) >> 16;
    buf[2] = (n - 8) >> 8;
    buf[3] = n - 8;
    scsi_req_reply(req, buf, MIN(n, alloc));
}

/* INQUIRY for a LUN with no unit: peripheral qualifier 3, the target's identity. */
static void target_inquiry(SCSIRequest *req)
{
    uint8_t buf[36] = { 0 };
    size_t alloc = req->cdb[3] << 8 | req->cdb[4];

    if (req->cdb[1] & 1) {
        /* Vital product data: only the list of pages, which lists itself. */
        if (req->cdb[2] != 0) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
            return;
        }
        buf[0] = SCSI_TYPE_NO_LUN;
        buf[3] = 1;
        scsi_req_reply(req, buf, MIN(alloc, 5));
        return;
    }
    if (req->cdb[2] != 0) {
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    buf[0] = SCSI_TYPE_NO_LUN;
    buf[2] = 5;                                       /* SPC-3 */
    buf[3] = 0x10 | 2;                                /* HiSup, response data format 2 */
    buf[4] = 36 - 5;                                  /* additional length */
    buf[7] = 0x10 | (req->bus->info->tcq ? 0x02 : 0); /* Sync, CmdQue */
    memcpy(&buf[8], "QEMU    ", 8);
    memcpy(&buf[16], "QEMU TARGET     ", 16);
    memcpy(&buf[32], "2.5+", 4);
    scsi_req_reply(req, buf, MIN(alloc, sizeof(buf)));
}

/* REQUEST SENSE for a LUN with no unit: the sense says so (fixed format). */
static void target_request_sense(SCSIRequest *req)
{
    uint8_t buf[SCSI_SENSE_LEN];

    scsi_build_sense(buf, SENSE_LUN_NOT_SUPPORTED);
    scsi_req_reply(req, buf, MIN(req->cdb[4], sizeof(buf)));
}

static void target_execute(SCSIRequest *req)
{
    req->mode = SCSI_XFER_FROM_DEV;
    switch (req->cdb[0]) {
    case CMD_REPORT_LUNS:
        target_report_luns(req);
        break;
    case CMD_INQUIRY:
        target_inquiry(req);
        break;
    case CMD_REQUEST_SENSE:
        target_request_sense(req);
        break;
    default:
        req->mode = SCSI_XFER_NONE;
        scsi_req_check_condition(req, SENSE_LUN_NOT_SUPPORTED);
        break;
    }
}

/* ---- Requests ---------------------------------------------------------------------- */

SCSIRequest *scsi_req_new(SCSIDevice *dev, uint32_t lun, uint64_t tag, const uint8_t *cdb,
                          size_t cdb_max, void *hba_private)
{
    SCSIRequest *req = g_new0(SCSIRequest, 1);

    req->bus = (SCSIBus *)dev->qdev.parent_bus;
    req->dev = dev;
    req->lun = lun;
    req->tag = tag;
    req->hba_private = hba_private;
    req->cdb_len = cdb_max ? scsi_cdb_length(cdb[0]) : 0;
    memcpy(req->cdb, cdb, MIN(cdb_max, sizeof(req->cdb)));
    if (req->cdb_len > cdb_max) {
        req->cdb_len = 0; /* a truncated CDB is refused at submission */
    }
    return req;
}

void scsi_req_submit(SCSIRequest *req)
{
    SCSIDevice *dev = req->dev;
    const SCSIDeviceClass *dc = (const SCSIDeviceClass *)dev->qdev.cls;

    g_ptr_array_add(dev->requests, req);
    if (!req->cdb_len) {
        scsi_req_check_condition(req, SENSE_INVALID_OPCODE);
        return;
    }
    /*
     * REPORT LUNS is the target's, whichever LUN it is sent to; it answers
     * the bus's REPORTED LUNS DATA HAS CHANGED (SPC-4: the list is read).
     */
    if (req->cdb[0] == CMD_REPORT_LUNS && req->bus->unit_attention.asc == 0x3f) {
        req->bus->unit_attention = SENSE_NO_SENSE;
    }
    if (req->lun != (uint32_t)dev->lun || req->cdb[0] == CMD_REPORT_LUNS) {
        target_execute(req);
        return;
    }
    /*
     * A pending unit attention fails the next command, except INQUIRY and
     * REQUEST SENSE (which reports it), and MMC's GET CONFIGURATION and GET
     * EVENT STATUS NOTIFICATION, which never report one.  The unit's own
     * first, then the bus's, which one command of any unit reports.
     */
    if ((dev->unit_attention.key || req->bus->unit_attention.key) && req->cdb[0] != CMD_INQUIRY &&
        req->cdb[0] != CMD_REQUEST_SENSE && req->cdb[0] != CMD_GET_CONFIGURATION &&
        req->cdb[0] != CMD_GET_EVENT_STATUS_NOTIFICATION) {
        bool own = dev->unit_attention.key;
        SCSISense *pending = own ? &dev->unit_attention : &req->bus->unit_attention;
        SCSISense ua = *pending;

        *pending = SENSE_NO_SENSE;
        scsi_req_check_condition(req, ua);
        if (own) {
            scsi_device_unit_attention_reported(dev);
        }
        return;
    }
    for (const DeviceClass *c = dev->qdev.cls; c; c = c->parent) {
        if (((const SCSIDeviceClass *)c)->execute) {
            dc = (const SCSIDeviceClass *)c;
            break;
        }
    }
    if (!dc->execute) {
        scsi_req_check_condition(req, SENSE_INVALID_OPCODE);
        return;
    }
    dc->execute(req);
}

void scsi_device_unit_attention_reported(SCSIDevice *dev)
{
    for (const DeviceClass *c = dev->qdev.cls; c; c = c->parent) {
        if (((const SCSIDeviceClass *)c)->unit_attention_reported) {
            ((const SCSIDeviceClass *)c)->unit_attention_reported(dev);
            return;
        }
    }
}

void scsi_req_cancel(SCSIRequest *req)
{
    req->cancelled = true;
    if (!req->in_flight) {
        scsi_req_complete(req, SCSI_STATUS_GOOD);
    }
    /* In flight: the unit's I/O completion sees cancelled and ends it. */
}

void scsi_device_reset(SCSIDevice *dev)
{
    g_autoptr(GPtrArray) reqs = g_ptr_array_copy(dev->requests, NULL, NULL);

    /* Those waiting for I/O end when it completes; the others end here. */
    for (guint i = 0; i < reqs->len; i++) {
        SCSIRequest *req = g_ptr_array_index(reqs, i);

        if (!req->cancelled) {
            scsi_req_cancel(req);
        }
    }
    dev->unit_attention = SENSE_NO_SENSE;
    for (const DeviceClass *c = dev->qdev.cls; c; c = c->parent) {
        if (((const SCSIDeviceClass *)c)->unit_reset) {
            ((const SCSIDeviceClass *)c)->unit_reset(dev);
            break;
        }
    }
}

void scsi_bus_reset(SCSIBus *bus)
{
    bus->unit_attention = SENSE_NO_SENSE;
    for (guint i = 0; i < bus->qbus.children->len; i++) {
        scsi_device_reset(g_ptr_array_index(bus->qbus.children, i));
    }
}

/* ---- The bus and its units ------------------------------------------------------------ */

SCSIDevice *scsi_device_find(SCSIBus *bus, unsigned channel, unsigned id, unsigned lun)
{
    SCSIDevice *target = NULL;

    for (guint i = 0; bus && i < bus->qbus.children->len; i++) {
        SCSIDevice *d = g_ptr_array_index(bus->qbus.children, i);

        if (d->channel == channel && (unsigned)d->id == id) {
            if ((unsigned)d->lun == lun) {
                return d;
            }
            target = target ? target : d;
        }
    }
    return target;
}

static SCSIDevice *find_exact(SCSIBus *bus, SCSIDevice *self, uint32_t channel, int32_t id,
                              int32_t lun)
{
    for (guint i = 0; i < bus->qbus.children->len; i++) {
        SCSIDevice *d = g_ptr_array_index(bus->qbus.children, i);

        if (d != self && d->channel == channel && d->id == id && d->lun == lun) {
            return d;
        }
    }
    return NULL;
}

/* Check the address, or give the first free target (or LUN) as QEMU does. */
static bool scsi_plug(BusState *qbus, DeviceState *qdev, Error **errp)
{
    SCSIBus *bus = (SCSIBus *)qbus;
    SCSIDevice *dev = (SCSIDevice *)qdev;
    const SCSIBusInfo *info = bus->info;
    SCSIDevice *other;

    if (dev->channel > info->max_channel) {
        error_setg(errp, "bad scsi channel id: %u", dev->channel);
        return false;
    }
    if (dev->id != -1 && (dev->id < 0 || (unsigned)dev->id > info->max_target)) {
        error_setg(errp, "bad scsi device id: %d", dev->id);
        return false;
    }
    if (dev->lun != -1 && (dev->lun < 0 || (unsigned)dev->lun > info->max_lun)) {
        error_setg(errp, "bad scsi device lun: %d", dev->lun);
        return false;
    }
    if (dev->id == -1) {
        int32_t lun = dev->lun == -1 ? 0 : dev->lun;
        int32_t id = 0;

        while ((unsigned)id <= info->max_target && find_exact(bus, dev, dev->channel, id, lun)) {
            id++;
        }
        if ((unsigned)id > info->max_target) {
            error_setg(errp, "no free target");
            return false;
        }
        dev->id = id;
        dev->lun = lun;
    } else if (dev->lun == -1) {
        int32_t lun = 0;

        while ((unsigned)lun <= info->max_lun && find_exact(bus, dev, dev->channel, dev->id, lun)) {
            lun++;
        }
        if ((unsigned)lun > info->max_lun) {
            error_setg(errp, "no free lun");
            return false;
        }
        dev->lun = lun;
    } else if ((other = find_exact(bus, dev, dev->channel, dev->id, dev->lun))) {
        /* QEMU prints the other unit's id, "(null)" when it has none. */
        error_setg(errp, "lun already used by '%s'", other->qdev.id ? other->qdev.id : "(null)");
        return false;
    }
    dev->requests = g_ptr_array_new();
    return true;
}

/* After the unit's unrealize (which waits for its I/O): end what is left. */
static void scsi_unplug(BusState *qbus, DeviceState *qdev)
{
    SCSIDevice *dev = (SCSIDevice *)qdev;

    (void)qbus;
    if (dev->requests) {
        scsi_device_reset(dev);
        g_ptr_array_free(dev->requests, TRUE);
        dev->requests = NULL;
    }
}

static const BusClass scsi_bus_class = {
    .name = TYPE_SCSI_BUS,
    .instance_size = sizeof(SCSIBus),
    .plug = scsi_plug,
    .unplug = scsi_unplug,
};

SCSIBus *scsi_bus_new(DeviceState *parent, const char *name, const SCSIBusInfo *info, void *opaque)
{
    SCSIBus *bus = (SCSIBus *)qbus_new(&scsi_bus_class, parent, name);

    bus->info = info;
    bus->opaque = opaque;
    return bus;
}

static const Property scsi_device_props[] = {
    DEFINE_PROP_UINT32("channel", SCSIDevice, channel, 0),
    DEFINE_PROP_INT32("scsi-id", SCSIDevice, id, -1),
    DEFINE_PROP_INT32("lun", SCSIDevice, lun, -1),
    DEFINE_PROP_END_OF_LIST(),
};

const SCSIDeviceClass scsi_device_class = {
    .parent = {
        .name = TYPE_SCSI_DEVICE,
        .abstract = true,
        .bus_type = TYPE_SCSI_BUS,
        .instance_size = sizeof(SCSIDevice),
        .props = scsi_device_props,
    },
};

char *scsi_unit_fw_path(DeviceState *dev, char *(*adapter_path)(DeviceState *adapter))
{
    SCSIBus *bus = (SCSIBus *)dev->parent_bus;
    g_autofree char *parent = NULL;

    if (!qdev_class_is(dev->cls, &scsi_device_class.parent) || !bus || !bus->qbus.parent ||
        !bus->info->fw_unit_address) {
        return NULL;
    }
    parent = adapter_path(bus->qbus.parent);
    if (!parent) {
        return NULL;
    }
    return g_strdup_printf("%s/disk@%" PRIX64, parent,
                           bus->info->fw_unit_address((SCSIDevice *)dev));
}

bool scsi_bus_legacy_handle_cmdline(SCSIBus *bus, int busnr, Error **errp)
{
    for (unsigned unit = 0; unit <= bus->info->max_target; unit++) {
        DriveInfo *d = drive_get_bus(IF_SCSI, busnr, unit);
        DeviceState *dev;

        if (!d) {
            continue;
        }
        dev = qdev_new(drive_is_cdrom(d) ? "scsi-cd" : "scsi-hd");
        qdev_prop_set_int32(dev, "scsi-id", unit);
        /* QEMU's QOM tree has the unit below its bus, not in /machine/unattached. */
        if (bus->qbus.parent->path && g_str_has_prefix(bus->qbus.parent->path, "/machine/")) {
            g_autofree char *child =
                g_strdup_printf("%s/%s/legacy[%u]", bus->qbus.parent->path + strlen("/machine/"),
                                bus->qbus.name, unit);

            qdev_set_child_name(dev, child);
        }
        /* QEMU names the -drive in its device's errors (printed as they are set). */
        if (drive_arg(d)) {
            loc_set_cmdline("-drive", drive_arg(d));
        }
        if (!qdev_prop_set_text(dev, "drive", drive_id(d), errp)) {
            qdev_free(dev);
            loc_clear();
            return false;
        }
        if (!qdev_realize_and_unref(dev, &bus->qbus, errp)) {
            loc_clear();
            return false;
        }
        loc_clear();
    }
    return true;
}

/* ---- Migration ------------------------------------------------------------------ */

static const VMStateField vmstate_scsi_sense_fields[] = {
    VMSTATE_UINT8(key, SCSISense),
    VMSTATE_UINT8(asc, SCSISense),
    VMSTATE_UINT8(ascq, SCSISense),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_scsi_sense = {
    .name = "SCSISense",
    .version_id = 1,
    .fields = vmstate_scsi_sense_fields,
};

static size_t requests_size(const void *member)
{
    return 4;
}

static void requests_save(const void *member, GByteArray *out)
{
    const GPtrArray *reqs = *(GPtrArray *const *)member;
    uint32_t n = GUINT32_TO_BE(reqs ? reqs->len : 0);

    g_byte_array_append(out, (const guint8 *)&n, 4);
}

static bool requests_check(const void *member, const uint8_t *buf, size_t len, Error **errp)
{
    uint32_t n = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];

    if (n) {
        error_setg(errp, "%u SCSI requests in flight", n);
        return false;
    }
    return true;
}

static void requests_load(void *member, const uint8_t *buf, size_t len)
{
}

static const VMStateCustom vmstate_scsi_requests = {
    .size = requests_size,
    .save = requests_save,
    .check = requests_check,
    .load = requests_load,
};

static const VMStateField vmstate_scsi_device_fields[] = {
    VMSTATE_STRUCT(unit_attention, SCSIDevice, vmstate_scsi_sense, SCSISense),
    VMSTATE_CUSTOM(requests, SCSIDevice, vmstate_scsi_requests),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_scsi_device = {
    .name = "SCSIDevice",
    .version_id = 1,
    .fields = vmstate_scsi_device_fields,
};

static const VMStateField vmstate_scsi_bus_fields[] = {
    VMSTATE_STRUCT(unit_attention, SCSIBus, vmstate_scsi_sense, SCSISense),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_scsi_bus = {
    .name = "SCSIBus",
    .version_id = 1,
    .fields = vmstate_scsi_bus_fields,
};

static void scsi_bus_register(void)
{
    qdev_register_type(&scsi_device_class.parent);
}

module_init(scsi_bus_register)

/*
 * spapr-vscsi: the PAPR virtual SCSI adapter ("v-scsi", Linux's ibmvscsi):
 * SRP information units and MADs over the VIO command/response queue, data
 * through the device's TCE window, a SCSI bus for scsi-hd/scsi-cd behind it.
 */
#include "hw/ppc/spapr_vio.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/scsi/scsi.h"
#include "hw/qdev-state.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "block/block-backend.h"
#include "sysemu/blockdev.h"
#include <libfdt.h>

#define TYPE_SPAPR_VSCSI "spapr-vscsi"

/* Requests in flight, and what a login grants the initiator (two kept back, as QEMU). */
#define VSCSI_REQ_LIMIT 24
/* The largest transfer the adapter announces (MAD adapter info), 4096 sectors. */
#define VSCSI_MAX_SECTORS 4096
/* Information units are at most this long (viosrp.h). */
#define SRP_MAX_IU_LEN 256

/* CRQ element: valid byte, format, reserved, status, timeout(2), IU length(2), IU address(8). */
#define CRQ_VALID_CMD 0x80
#define CRQ_VALID_INIT 0xc0
#define CRQ_VALID_TRANSPORT 0xff
#define CRQ_INIT 0x01
#define CRQ_INIT_COMPLETE 0x02
#define CRQ_FORMAT_SRP 0x01
#define CRQ_FORMAT_MAD 0x02
#define CRQ_STATUS_OK 0x00
#define CRQ_STATUS_ADAPTER_FAIL 0x10

/* SRP opcodes (SRP r16a). */
#define SRP_LOGIN_REQ 0x00
#define SRP_TSK_MGMT 0x01
#define SRP_CMD 0x02
#define SRP_LOGIN_RSP 0xc0
#define SRP_RSP 0xc1

/* SRP_CMD fields. */
#define CMD_BUF_FMT 5
#define CMD_OUT_CNT 6
#define CMD_IN_CNT 7
#define IU_TAG 8
#define CMD_LUN 20
#define CMD_ADD_CDB_LEN 31
#define CMD_CDB 32
#define CMD_ADD_DATA 48
/* Buffer formats: none, one direct descriptor, an indirect table. */
#define SRP_NO_DATA_DESC 0
#define SRP_DATA_DESC_DIRECT 1
#define SRP_DATA_DESC_INDIRECT 2
/* A direct descriptor: address (8), key (4), length (4); an indirect one adds a table. */
#define SRP_DESC_LEN 16
#define SRP_INDIRECT_HDR 20
/* Descriptors an indirect table may hold here (a 64 KiB table). */
#define SRP_MAX_DESCS 4096

/* SRP_RSP fields and flags. */
#define RSP_REQ_LIM 4
#define RSP_FLAGS 18
#define RSP_STATUS 19
#define RSP_DOUT_RES 20
#define RSP_DIN_RES 24
#define RSP_SENSE_LEN 28
#define RSP_RESP_LEN 32
#define RSP_DATA 36
#define SRP_RSP_FLAG_RSPVALID 0x01
#define SRP_RSP_FLAG_SNSVALID 0x02
#define SRP_RSP_FLAG_DOOVER 0x04
#define SRP_RSP_FLAG_DIOVER 0x10

/* SRP_TSK_MGMT fields, functions and response codes. */
#define TSK_LUN 20
#define TSK_FUNC 30
#define TSK_TASK_TAG 32
#define SRP_TSK_ABORT_TASK 0x01
#define SRP_TSK_ABORT_TASK_SET 0x02
#define SRP_TSK_CLEAR_TASK_SET 0x04
#define SRP_TSK_LUN_RESET 0x08
#define SRP_TSK_CLEAR_ACA 0x40
#define SRP_TSK_MGMT_COMPLETE 0
#define SRP_TSK_MGMT_FIELDS_INVALID 2
#define SRP_TSK_MGMT_NOT_SUPPORTED 4

/* The well-known LUN REPORT LUNS may be sent to. */
#define SRP_REPORT_LUNS_WLUN 0xc101000000000000ULL

/* MADs: a common header (type 4, status 2, length 2, tag 8), then a buffer address. */
#define MAD_TYPE 0
#define MAD_STATUS 4
#define MAD_LENGTH 6
#define MAD_BUFFER 16
#define VIOSRP_EMPTY_IU_TYPE 0x01
#define VIOSRP_ERROR_LOG_TYPE 0x02
#define VIOSRP_ADAPTER_INFO_TYPE 0x03
#define VIOSRP_HOST_CONFIG_TYPE 0x04
#define VIOSRP_CAPABILITIES_TYPE 0x05
#define VIOSRP_MAD_NOT_SUPPORTED 0xf1
/* The adapter-info reply: version "16.a", partition "qemu", MAD version 1, OS type 2 (Linux). */
#define ADAPTER_INFO_LEN 148
/* struct capabilities: flags, name, location, migration and reservation capabilities. */
#define CAPS_LEN 92

typedef struct VscsiDesc {
    uint64_t va;
    uint32_t len;
} VscsiDesc;

typedef struct VscsiReq {
    bool active;
    uint8_t iu[SRP_MAX_IU_LEN];
    uint64_t iu_addr;  /* where the guest put the IU: the response goes there */
    uint8_t format;    /* CRQ format: SRP or MAD */
    SCSIRequest *sreq; /* the SCSI layer's, while it runs */
    bool writing;      /* data-out (the descriptors are the data-out ones) */
    VscsiDesc *desc;
    unsigned ndesc;
    uint64_t buf_len; /* the descriptors' total */
} VscsiReq;

typedef struct SpaprVscsi {
    SpaprVioDevice vdev;
    SCSIBus *bus;
    VscsiReq reqs[VSCSI_REQ_LIMIT];
} SpaprVscsi;

static const SpaprVioDeviceClass spapr_vscsi_class;

static uint16_t ld16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)ld16(p) << 16 | ld16(p + 2);
}

static uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)ld32(p) << 32 | ld32(p + 4);
}

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

static void req_free(VscsiReq *req)
{
    g_free(req->desc);
    req->desc = NULL;
    req->ndesc = 0;
    req->sreq = NULL;
    req->active = false;
}

/*
 * Write len bytes of the request's IU back to where the guest had it and
 * tell the guest through the CRQ: the element carries the IU's tag bytes as
 * the guest wrote them, and the DMA's outcome as its status.
 */
static void send_iu(SpaprVscsi *s, VscsiReq *req, uint16_t len)
{
    uint8_t crq[16] = { 0 };
    bool ok = spapr_vio_dma_write(&s->vdev, req->iu_addr, req->iu, len);

    if (!ok) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "spapr-vscsi: cannot write the response IU at %#" PRIx64 "\n", req->iu_addr);
    }
    crq[0] = CRQ_VALID_CMD;
    crq[1] = req->format;
    crq[3] = ok ? CRQ_STATUS_OK : CRQ_STATUS_ADAPTER_FAIL;
    st16(&crq[6], len);
    memcpy(&crq[8], &req->iu[IU_TAG], 8);
    if (spapr_vio_send_crq(&s->vdev, crq) != H_SUCCESS) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: the response queue is full or gone\n");
    }
}

/* An SRP_RSP for a command: status, residuals, sense. */
static void send_rsp(SpaprVscsi *s, VscsiReq *req, uint8_t status, const uint8_t *sense,
                     unsigned sense_len, uint32_t res_in, uint32_t res_out)
{
    uint8_t tag[8], sol_not = req->iu[1];

    memcpy(tag, &req->iu[IU_TAG], 8);
    memset(req->iu, 0, RSP_DATA);
    req->iu[0] = SRP_RSP;
    st32(&req->iu[RSP_REQ_LIM], 1);
    memcpy(&req->iu[IU_TAG], tag, 8);
    if (res_in) {
        req->iu[RSP_FLAGS] |= SRP_RSP_FLAG_DIOVER;
        st32(&req->iu[RSP_DIN_RES], res_in);
    }
    if (res_out) {
        req->iu[RSP_FLAGS] |= SRP_RSP_FLAG_DOOVER;
        st32(&req->iu[RSP_DOUT_RES], res_out);
    }
    req->iu[RSP_STATUS] = status;
    /* Solicited notification: SOLNT for a good status, UCSOLNT for an error. */
    if (status) {
        req->iu[1] = (sol_not & 0x04) >> 2;
        if (sense_len) {
            req->iu[RSP_FLAGS] |= SRP_RSP_FLAG_SNSVALID;
            st32(&req->iu[RSP_SENSE_LEN], sense_len);
            memcpy(&req->iu[RSP_DATA], sense, sense_len);
        }
    } else {
        req->iu[1] = (sol_not & 0x02) >> 1;
    }
    send_iu(s, req, RSP_DATA + (status ? sense_len : 0));
}

static void send_check_condition(SpaprVscsi *s, VscsiReq *req, SCSISense sense)
{
    uint8_t buf[SCSI_SENSE_LEN];

    scsi_build_sense(buf, sense);
    send_rsp(s, req, SCSI_STATUS_CHECK_CONDITION, buf, sizeof(buf), 0, 0);
}

/* ---- Data descriptors ---------------------------------------------------------------- */

/*
 * The descriptors of one direction: the direct one, or an indirect list
 * (from the IU when it holds them all, else from the table in guest memory).
 * false: malformed or unreachable.
 */
static bool parse_descs(SpaprVscsi *s, VscsiReq *req, unsigned iu_len, unsigned off, int fmt,
                        unsigned count)
{
    const uint8_t *iu = req->iu;

    req->buf_len = 0;
    if (fmt == SRP_NO_DATA_DESC) {
        return true;
    }
    if (fmt == SRP_DATA_DESC_DIRECT) {
        if (off + SRP_DESC_LEN > iu_len) {
            return false;
        }
        req->desc = g_new(VscsiDesc, 1);
        req->ndesc = 1;
        req->desc[0].va = ld64(&iu[off]);
        req->desc[0].len = ld32(&iu[off + 12]);
        req->buf_len = req->desc[0].len;
        return true;
    }
    if (fmt == SRP_DATA_DESC_INDIRECT) {
        uint64_t tva;
        uint32_t tlen;
        unsigned total;
        g_autofree uint8_t *table = NULL;
        const uint8_t *list;

        if (off + SRP_INDIRECT_HDR > iu_len) {
            return false;
        }
        tva = ld64(&iu[off]);
        tlen = ld32(&iu[off + 12]);
        total = tlen / SRP_DESC_LEN;
        if (!total || total > SRP_MAX_DESCS) {
            return false;
        }
        if (total <= count && off + SRP_INDIRECT_HDR + total * SRP_DESC_LEN <= iu_len) {
            list = &iu[off + SRP_INDIRECT_HDR];
        } else {
            table = g_malloc(total * SRP_DESC_LEN);
            if (!spapr_vio_dma_read(&s->vdev, tva, table, total * SRP_DESC_LEN)) {
                return false;
            }
            list = table;
        }
        req->desc = g_new(VscsiDesc, total);
        req->ndesc = total;
        for (unsigned i = 0; i < total; i++) {
            req->desc[i].va = ld64(&list[i * SRP_DESC_LEN]);
            req->desc[i].len = ld32(&list[i * SRP_DESC_LEN + 12]);
            req->buf_len += req->desc[i].len;
        }
        return true;
    }
    return false;
}

/* Move len bytes at offset off of the request's data to or from the descriptors' memory. */
static bool desc_copy(SpaprVscsi *s, VscsiReq *req, uint64_t off, void *buf, size_t len,
                      bool to_guest)
{
    uint8_t *p = buf;

    for (unsigned i = 0; i < req->ndesc && len; i++) {
        const VscsiDesc *d = &req->desc[i];
        uint64_t n;

        if (off >= d->len) {
            off -= d->len;
            continue;
        }
        n = MIN(d->len - off, len);
        if (to_guest ? !spapr_vio_dma_write(&s->vdev, d->va + off, p, n)
                     : !spapr_vio_dma_read(&s->vdev, d->va + off, p, n)) {
            return false;
        }
        p += n;
        len -= n;
        off = 0;
    }
    return len == 0;
}

/* A reply of the adapter's own (REPORT LUNS, INQUIRY without a target). */
static void reply_data(SpaprVscsi *s, VscsiReq *req, const uint8_t *buf, size_t len)
{
    len = MIN(len, req->writing ? 0 : req->buf_len);
    if (!desc_copy(s, req, 0, (void *)buf, len, true)) {
        send_check_condition(s, req, (SCSISense){ SCSI_SENSE_HARDWARE_ERROR, 0, 0 });
        return;
    }
    send_rsp(s, req, SCSI_STATUS_GOOD, NULL, 0, req->buf_len - len, 0);
}

/* ---- The SCSI bus's side ---------------------------------------------------------------- */

static bool vscsi_data_in(SCSIRequest *sreq, uint64_t off, const void *buf, size_t len)
{
    VscsiReq *req = sreq->hba_private;

    return !req->writing && desc_copy(sreq->bus->opaque, req, off, (void *)buf, len, true);
}

static bool vscsi_data_out(SCSIRequest *sreq, uint64_t off, void *buf, size_t len)
{
    VscsiReq *req = sreq->hba_private;

    return req->writing && desc_copy(sreq->bus->opaque, req, off, buf, len, false);
}

static void vscsi_complete(SCSIRequest *sreq)
{
    SpaprVscsi *s = sreq->bus->opaque;
    VscsiReq *req = sreq->hba_private;

    if (sreq->cancelled) {
        /* An aborted command gets no response of its own (the TMF's tells). */
    } else if (sreq->host_error || sreq->overrun) {
        send_check_condition(s, req, (SCSISense){ SCSI_SENSE_HARDWARE_ERROR, 0, 0 });
    } else {
        uint64_t res = req->buf_len > sreq->moved ? req->buf_len - sreq->moved : 0;

        send_rsp(s, req, sreq->status, sreq->sense, sreq->sense_len,
                 sreq->status || req->writing ? 0 : res, sreq->status || !req->writing ? 0 : res);
    }
    req_free(req);
}

/*
 * SLOF's unit address: the SRP LUN in logical unit addressing, 0x8000 |
 * target << 8 | bus << 5 | LUN, in the top 16 bits.
 */
static uint64_t vscsi_fw_unit_address(const SCSIDevice *dev)
{
    return (uint64_t)(0x8000 | dev->id << 8 | dev->channel << 5 | dev->lun) << 48;
}

static const SCSIBusInfo vscsi_bus_info = {
    .tcq = true,
    .max_channel = 7, /* logical unit addressing: 3 bits of bus, 6 of target, 5 of LUN */
    .max_target = 63,
    .max_lun = 31,
    .data_in = vscsi_data_in,
    .data_out = vscsi_data_out,
    .complete = vscsi_complete,
    .fw_unit_address = vscsi_fw_unit_address,
};

/* ---- SRP ---------------------------------------------------------------------------------- */

/*
 * The unit an SRP LUN names (SAM's addressing methods): peripheral (one or
 * two levels), flat, or logical unit (bus, target, LUN in two bytes).
 */
static SCSIDevice *find_unit(SpaprVscsi *s, uint64_t srp_lun, unsigned *lun)
{
    unsigned channel = 0, id = 0;

    switch (srp_lun >> 62) {
    case 0:
        if (srp_lun >> 56) {
            channel = (srp_lun >> 56) & 0x3f;
            id = (srp_lun >> 48) & 0xff;
            srp_lun <<= 16;
            if (srp_lun >> 62) {
                return NULL;
            }
        }
        *lun = (srp_lun >> 48) & 0xff;
        break;
    case 1:
        *lun = (srp_lun >> 48) & 0x3fff;
        break;
    case 2:
        id = (srp_lun >> 56) & 0x3f;
        channel = (srp_lun >> 53) & 0x7;
        *lun = (srp_lun >> 48) & 0x1f;
        break;
    default:
        return NULL;
    }
    return scsi_device_find(s->bus, channel, id, *lun);
}

static void process_login(SpaprVscsi *s, VscsiReq *req)
{
    uint8_t tag[8];

    memcpy(tag, &req->iu[IU_TAG], 8);
    memset(req->iu, 0, 52);
    req->iu[0] = SRP_LOGIN_RSP;
    st32(&req->iu[4], VSCSI_REQ_LIMIT - 2); /* request limit delta */
    memcpy(&req->iu[IU_TAG], tag, 8);
    st32(&req->iu[16], SRP_MAX_IU_LEN); /* initiator to target IU length */
    st32(&req->iu[20], SRP_MAX_IU_LEN); /* target to initiator */
    st16(&req->iu[24], 0x06);           /* direct and indirect buffer formats */
    send_iu(s, req, 52);
}

/* REPORT LUNS to LUN 0 or the well-known LUN: every unit of the adapter, LUN 0 first. */
static void report_luns(SpaprVscsi *s, VscsiReq *req)
{
    GPtrArray *kids = s->bus->qbus.children;
    g_autofree uint8_t *buf = g_malloc0(16 + 8 * kids->len);
    bool lun0 = false;
    size_t n;

    for (guint i = 0; i < kids->len; i++) {
        SCSIDevice *d = g_ptr_array_index(kids, i);

        lun0 |= d->channel == 0 && d->id == 0 && d->lun == 0;
    }
    n = lun0 ? 8 : 16;
    for (guint i = 0; i < kids->len; i++) {
        SCSIDevice *d = g_ptr_array_index(kids, i);

        /* Peripheral addressing for target 0 of bus 0, logical unit addressing otherwise. */
        buf[n] = (d->id == 0 && d->channel == 0 ? 0 : 0x80) | d->id;
        buf[n + 1] = d->channel << 5 | d->lun;
        n += 8;
    }
    st32(buf, n - 8);
    reply_data(s, req, buf, n);
}

/* INQUIRY for a target with no unit: peripheral qualifier 3, "QEMU EMPTY". */
static void inquiry_no_target(SpaprVscsi *s, VscsiReq *req)
{
    const uint8_t *cdb = &req->iu[CMD_CDB];
    uint8_t buf[36] = { 0 };

    if ((cdb[1] & 1) || cdb[2]) {
        send_check_condition(s, req, SENSE_INVALID_FIELD);
        return;
    }
    buf[0] = SCSI_TYPE_NO_LUN;
    buf[2] = 0x06;
    buf[3] = 0x02;
    buf[4] = 36 - 5;
    buf[7] = 0x10;
    memcpy(&buf[8], "QEMU    ", 8);
    memcpy(&buf[16], "QEMU EMPTY      ", 16);
    reply_data(s, req, buf, MIN(sizeof(buf), (size_t)ld16(&cdb[3])));
}

/* SRP_CMD: returns true when the request is over (answered or dropped). */
static bool queue_cmd(SpaprVscsi *s, VscsiReq *req, unsigned iu_len)
{
    const uint8_t *iu = req->iu;
    uint8_t fmt_out = iu[CMD_BUF_FMT] >> 4, fmt_in = iu[CMD_BUF_FMT] & 0xf;
    unsigned cdb_off = CMD_ADD_DATA + (iu[CMD_ADD_CDB_LEN] & ~3u), out_size = 0;
    uint64_t srp_lun = ld64(&iu[CMD_LUN]);
    SCSIDevice *dev;
    unsigned lun;

    if (iu_len < CMD_ADD_DATA) {
        send_check_condition(s, req, SENSE_INVALID_FIELD);
        return true;
    }
    /* The data-out descriptor comes first; the data-in one after it. */
    if (fmt_out == SRP_DATA_DESC_DIRECT) {
        out_size = SRP_DESC_LEN;
    } else if (fmt_out == SRP_DATA_DESC_INDIRECT) {
        out_size = SRP_INDIRECT_HDR + SRP_DESC_LEN * iu[CMD_OUT_CNT];
    }
    req->writing = fmt_out != SRP_NO_DATA_DESC;
    if (fmt_out > SRP_DATA_DESC_INDIRECT || fmt_in > SRP_DATA_DESC_INDIRECT ||
        (fmt_out && fmt_in) ||
        !(req->writing ? parse_descs(s, req, iu_len, cdb_off, fmt_out, iu[CMD_OUT_CNT])
                       : parse_descs(s, req, iu_len, cdb_off + out_size, fmt_in, iu[CMD_IN_CNT]))) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: bad data descriptors (format %#x)\n",
                      iu[CMD_BUF_FMT]);
        send_check_condition(s, req, (SCSISense){ SCSI_SENSE_HARDWARE_ERROR, 0, 0 });
        return true;
    }
    if ((srp_lun == 0 || srp_lun == SRP_REPORT_LUNS_WLUN) && iu[CMD_CDB] == 0xa0) {
        report_luns(s, req);
        return true;
    }
    dev = find_unit(s, srp_lun, &lun);
    if (!dev) {
        if (iu[CMD_CDB] == 0x12) {
            inquiry_no_target(s, req);
        } else {
            send_check_condition(s, req, SENSE_INVALID_FIELD);
        }
        return true;
    }
    req->sreq = scsi_req_new(dev, lun, ld64(&iu[IU_TAG]), &iu[CMD_CDB], 16, req);
    req->sreq->in_len = req->writing ? 0 : req->buf_len;
    req->sreq->out_len = req->writing ? req->buf_len : 0;
    scsi_req_submit(req->sreq); /* its completion frees req */
    return false;
}

static VscsiReq *find_by_tag(SpaprVscsi *s, const uint8_t *tag)
{
    for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
        if (s->reqs[i].active && s->reqs[i].sreq && !memcmp(&s->reqs[i].iu[IU_TAG], tag, 8)) {
            return &s->reqs[i];
        }
    }
    return NULL;
}

/* SRP_TSK_MGMT: abort a task or a LUN's tasks, reset a LUN; the answer is a response code. */
static void process_tsk_mgmt(SpaprVscsi *s, VscsiReq *req)
{
    uint8_t *iu = req->iu, tag[8], sol_not = iu[1];
    uint64_t srp_lun = ld64(&iu[TSK_LUN]);
    int resp = SRP_TSK_MGMT_COMPLETE;
    unsigned lun = 0;
    SCSIDevice *d = find_unit(s, srp_lun, &lun);

    if (!d || (iu[TSK_FUNC] != SRP_TSK_CLEAR_ACA && (unsigned)d->lun != lun)) {
        resp = SRP_TSK_MGMT_FIELDS_INVALID;
    } else {
        switch (iu[TSK_FUNC]) {
        case SRP_TSK_ABORT_TASK: {
            VscsiReq *t = find_by_tag(s, &iu[TSK_TASK_TAG]);

            if (t && t != req) {
                scsi_req_cancel(t->sreq);
            }
            break;
        }
        case SRP_TSK_LUN_RESET:
            scsi_device_reset(d);
            break;
        case SRP_TSK_ABORT_TASK_SET:
        case SRP_TSK_CLEAR_TASK_SET:
            for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
                VscsiReq *t = &s->reqs[i];

                if (t != req && t->active && t->sreq && ld64(&t->iu[CMD_LUN]) == srp_lun) {
                    scsi_req_cancel(t->sreq);
                }
            }
            break;
        case SRP_TSK_CLEAR_ACA:
            resp = SRP_TSK_MGMT_NOT_SUPPORTED;
            break;
        default:
            resp = SRP_TSK_MGMT_FIELDS_INVALID;
            break;
        }
    }
    memcpy(tag, &iu[IU_TAG], 8);
    memset(iu, 0, RSP_DATA + 4);
    iu[0] = SRP_RSP;
    st32(&iu[RSP_REQ_LIM], 1);
    memcpy(&iu[IU_TAG], tag, 8);
    iu[RSP_FLAGS] = SRP_RSP_FLAG_RSPVALID;
    st32(&iu[RSP_RESP_LEN], 4);
    iu[1] = resp ? (sol_not & 0x04) >> 2 : (sol_not & 0x02) >> 1;
    iu[RSP_DATA + 3] = resp;
    send_iu(s, req, RSP_DATA + 4);
}

/* ---- MADs --------------------------------------------------------------------------------- */

static void mad_adapter_info(SpaprVscsi *s, VscsiReq *req)
{
    uint8_t info[ADAPTER_INFO_LEN] = { 0 };
    uint16_t len = MIN(ld16(&req->iu[MAD_LENGTH]), sizeof(info));
    bool ok;

    memcpy(info, "16.a", 4);                  /* SRP version */
    memcpy(&info[8], "qemu", 4);              /* partition name */
    st32(&info[108], 1);                      /* MAD version */
    st32(&info[112], 2);                      /* OS type: Linux */
    st32(&info[116], VSCSI_MAX_SECTORS << 9); /* maximum transfer of port 0 */
    ok = spapr_vio_dma_write(&s->vdev, ld64(&req->iu[MAD_BUFFER]), info, len);
    st16(&req->iu[MAD_STATUS], ok ? 0 : 1);
    send_iu(s, req, 24);
}

/* Capabilities: the guest's list comes back saying migration and reservation are unsupported. */
static void mad_capabilities(SpaprVscsi *s, VscsiReq *req)
{
    uint8_t caps[CAPS_LEN] = { 0 };
    uint16_t req_len = ld16(&req->iu[MAD_LENGTH]), len = MIN(req_len, sizeof(caps));
    uint64_t buffer = ld64(&req->iu[MAD_BUFFER]);
    bool ok = spapr_vio_dma_read(&s->vdev, buffer, caps, len);

    memset(&caps[0], 0, 4);  /* flags */
    memset(&caps[74], 0, 2); /* migration: server support */
    memset(&caps[76], 0, 4); /* migration: ECL */
    memset(&caps[86], 0, 2); /* reservation: server support */
    memset(&caps[88], 0, 4); /* reservation: type */
    ok = spapr_vio_dma_write(&s->vdev, buffer, caps, len) && ok;
    if (req_len > len) {
        g_autofree uint8_t *zero = g_malloc0(req_len - len);

        spapr_vio_dma_write(&s->vdev, buffer + len, zero, req_len - len);
    }
    st16(&req->iu[MAD_STATUS], ok ? 0 : 1);
    send_iu(s, req, 24);
}

/*
 * Other MADs are not supported.  As QEMU 7.2, the answer for an unknown
 * type is zero bytes long: the guest's IU, status included, stays as sent.
 */
static void process_mad(SpaprVscsi *s, VscsiReq *req)
{
    uint16_t retlen = 0;

    switch (ld32(&req->iu[MAD_TYPE])) {
    case VIOSRP_ADAPTER_INFO_TYPE:
        mad_adapter_info(s, req);
        return;
    case VIOSRP_CAPABILITIES_TYPE:
        mad_capabilities(s, req);
        return;
    case VIOSRP_EMPTY_IU_TYPE:
        retlen = 32;
        break;
    case VIOSRP_ERROR_LOG_TYPE:
    case VIOSRP_HOST_CONFIG_TYPE:
        retlen = 24;
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: unknown MAD type %#x\n",
                      ld32(&req->iu[MAD_TYPE]));
        break;
    }
    st16(&req->iu[MAD_STATUS], VIOSRP_MAD_NOT_SUPPORTED);
    send_iu(s, req, retlen);
}

/* ---- The queue ------------------------------------------------------------------------------ */

static void got_payload(SpaprVscsi *s, const uint8_t *crq)
{
    uint16_t len = ld16(&crq[6]);
    VscsiReq *req = NULL;
    bool done = true;

    for (int i = 0; i < VSCSI_REQ_LIMIT && !req; i++) {
        req = s->reqs[i].active ? NULL : &s->reqs[i];
    }
    if (!req) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: more than %d requests\n", VSCSI_REQ_LIMIT);
        return;
    }
    if (len > SRP_MAX_IU_LEN) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: IU of %u bytes\n", len);
        return;
    }
    memset(req, 0, sizeof(*req));
    req->iu_addr = ld64(&crq[8]);
    req->format = crq[1];
    if (!spapr_vio_dma_read(&s->vdev, req->iu_addr, req->iu, len)) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: cannot read the IU at %#" PRIx64 "\n",
                      req->iu_addr);
        return;
    }
    req->active = true;
    if (req->format == CRQ_FORMAT_MAD) {
        process_mad(s, req);
    } else {
        switch (req->iu[0]) {
        case SRP_LOGIN_REQ:
            process_login(s, req);
            break;
        case SRP_TSK_MGMT:
            process_tsk_mgmt(s, req);
            break;
        case SRP_CMD:
            done = queue_cmd(s, req, len);
            break;
        default:
            qemu_log_mask(LOG_UNIMP, "spapr-vscsi: SRP opcode %#x\n", req->iu[0]);
            break;
        }
    }
    if (done) {
        req_free(req);
    }
}

/* H_SEND_CRQ from the guest: initialization handshake or an IU to process. */
static target_ulong vscsi_crq_receive(SpaprVioDevice *dev, const uint8_t *crq)
{
    SpaprVscsi *s = (SpaprVscsi *)dev;

    switch (crq[0]) {
    case CRQ_VALID_INIT:
        if (crq[1] == CRQ_INIT) {
            uint8_t rsp[16] = { CRQ_VALID_INIT, CRQ_INIT_COMPLETE };

            spapr_vio_send_crq(dev, rsp);
        }
        break;
    case CRQ_VALID_TRANSPORT:
        break;
    case CRQ_VALID_CMD:
        if (crq[1] == CRQ_FORMAT_SRP || crq[1] == CRQ_FORMAT_MAD) {
            got_payload(s, crq);
        } else {
            qemu_log_mask(LOG_UNIMP, "spapr-vscsi: payload format %#x\n", crq[1]);
        }
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vscsi: CRQ element %02x %02x\n", crq[0], crq[1]);
        break;
    }
    return H_SUCCESS;
}

/* ---- The device ------------------------------------------------------------------------------ */

static bool vscsi_realize(DeviceState *dev, Error **errp)
{
    SpaprVscsi *s = (SpaprVscsi *)dev;
    g_autofree char *name =
        dev->id ? g_strdup_printf("%s.0", dev->id) : g_strdup_printf("v-scsi@%x.0", s->vdev.reg);

    (void)errp;
    s->bus = scsi_bus_new(dev, name, &vscsi_bus_info, s);
    return true;
}

/* Requests in flight end without answers; the queue and TCEs go (spapr_vio_device_reset). */
static void vscsi_reset(DeviceState *dev)
{
    SpaprVscsi *s = (SpaprVscsi *)dev;

    spapr_vio_device_reset(&s->vdev);
    for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
        if (s->reqs[i].active && s->reqs[i].sreq) {
            scsi_req_cancel(s->reqs[i].sreq);
        }
    }
    blk_drain_all();
    for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
        req_free(&s->reqs[i]);
    }
}

static void vscsi_unrealize(DeviceState *dev)
{
    SpaprVscsi *s = (SpaprVscsi *)dev;

    for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
        req_free(&s->reqs[i]);
    }
}

/* Its node: SCSI addresses are two cells (the SRP LUN), no size. */
static int vscsi_fdt(DeviceState *dev, void *fdt, int node)
{
    int ret = fdt_setprop_cell(fdt, node, "#address-cells", 2);

    return ret ? ret : fdt_setprop_cell(fdt, node, "#size-cells", 0);
}

/* ---- Migration ---------------------------------------------------------------------- */

static size_t vscsi_reqs_size(const void *member)
{
    return 4;
}

static void vscsi_reqs_save(const void *member, GByteArray *out)
{
    const VscsiReq *reqs = member;
    uint32_t n = 0;

    for (int i = 0; i < VSCSI_REQ_LIMIT; i++) {
        n += reqs[i].active;
    }
    n = GUINT32_TO_BE(n);
    g_byte_array_append(out, (const guint8 *)&n, 4);
}

/* Migration drains the block layer first: every SRP request has been answered. */
static bool vscsi_reqs_check(const void *member, const uint8_t *buf, size_t len, Error **errp)
{
    uint32_t n = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];

    if (n) {
        error_setg(errp, "spapr-vscsi: %u SRP requests in flight", n);
        return false;
    }
    return true;
}

static void vscsi_reqs_load(void *member, const uint8_t *buf, size_t len)
{
}

static const VMStateCustom vmstate_vscsi_reqs = {
    .size = vscsi_reqs_size,
    .save = vscsi_reqs_save,
    .check = vscsi_reqs_check,
    .load = vscsi_reqs_load,
};

static bool vscsi_post_load(DeviceState *dev, Error **errp)
{
    return spapr_vio_check_loaded(&((SpaprVscsi *)dev)->vdev, errp);
}

/* The CRQ (in the VIO part), the bus's unit attention, no request in flight. */
static const VMStateField vmstate_spapr_vscsi_fields[] = {
    VMSTATE_STRUCT(vdev, SpaprVscsi, vmstate_spapr_vio, SpaprVioDevice),
    VMSTATE_STRUCT_POINTER(bus, SpaprVscsi, vmstate_scsi_bus, SCSIBus),
    VMSTATE_CUSTOM(reqs, SpaprVscsi, vmstate_vscsi_reqs),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_vscsi = {
    .name = "spapr_vscsi",
    .version_id = 1,
    .fields = vmstate_spapr_vscsi_fields,
    .post_load = vscsi_post_load,
};

static const SpaprVioDeviceClass spapr_vscsi_class = {
    .parent = {
        .name = TYPE_SPAPR_VSCSI,
        .parent = &spapr_vio_device_class.parent,
        .category = DEVICE_CATEGORY_STORAGE,
        .instance_size = sizeof(SpaprVscsi),
        .realize = vscsi_realize,
        .unrealize = vscsi_unrealize,
        .reset = vscsi_reset,
        .fdt = vscsi_fdt,
        .vmsd = &vmstate_spapr_vscsi,
    },
    .dt_name = "v-scsi",
    .dt_type = "vscsi",
    .dt_compatible = "IBM,v-scsi",
    .signal_mask = 1,
    .rtce_window_size = SPAPR_VIO_DMA_WINDOW_SIZE,
    .crq_receive = vscsi_crq_receive,
};

/* The highest SCSI bus number -drive gave (-1: none); units 0-6 per bus, as QEMU's. */
static int max_scsi_bus(void)
{
    int max = -1;

    for (int busnr = 0; busnr < 1024; busnr++) {
        for (int unit = 0; unit < 7; unit++) {
            if (drive_get_bus(IF_SCSI, busnr, unit)) {
                max = busnr;
            }
        }
    }
    return max;
}

bool spapr_vscsi_create_for_drives(SpaprVioBus *bus, Error **errp)
{
    int max = max_scsi_bus();

    for (int busnr = 0; busnr <= max; busnr++) {
        DeviceState *dev = qdev_new(TYPE_SPAPR_VSCSI);

        if (!qdev_realize_and_unref(dev, &bus->bus, errp) ||
            !scsi_bus_legacy_handle_cmdline(((SpaprVscsi *)dev)->bus, busnr, errp)) {
            return false;
        }
    }
    return true;
}

static void spapr_vscsi_register(void)
{
    qdev_register_type(&spapr_vscsi_class.parent);
}

module_init(spapr_vscsi_register)

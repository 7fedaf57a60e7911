/*
 * scsi-hd and scsi-cd: a disk (SBC) and a CD/DVD drive (MMC) on a drive's
 * BlockBackend, answering the commands Linux's sd/sr and SLOF send as
 * QEMU 7.2's scsi-disk does; block I/O runs asynchronously in bounded chunks.
 */
#include "hw/scsi/scsi.h"
#include "hw/qdev-state.h"
#include "block/block-backend.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"
#include "sysemu/sysemu.h"

/* Operation codes (SPC, SBC, MMC). */
enum {
    CMD_TEST_UNIT_READY = 0x00,
    CMD_REQUEST_SENSE = 0x03,
    CMD_READ_6 = 0x08,
    CMD_WRITE_6 = 0x0a,
    CMD_INQUIRY = 0x12,
    CMD_MODE_SELECT = 0x15,
    CMD_RESERVE = 0x16,
    CMD_RELEASE = 0x17,
    CMD_MODE_SENSE = 0x1a,
    CMD_START_STOP = 0x1b,
    CMD_ALLOW_MEDIUM_REMOVAL = 0x1e,
    CMD_READ_CAPACITY_10 = 0x25,
    CMD_READ_10 = 0x28,
    CMD_WRITE_10 = 0x2a,
    CMD_SEEK_10 = 0x2b,
    CMD_WRITE_VERIFY_10 = 0x2e,
    CMD_VERIFY_10 = 0x2f,
    CMD_SYNCHRONIZE_CACHE = 0x35,
    CMD_WRITE_SAME_10 = 0x41,
    CMD_UNMAP = 0x42,
    CMD_READ_TOC = 0x43,
    CMD_GET_CONFIGURATION = 0x46,
    CMD_GET_EVENT_STATUS_NOTIFICATION = 0x4a,
    CMD_READ_DISC_INFORMATION = 0x51,
    CMD_MODE_SELECT_10 = 0x55,
    CMD_RESERVE_10 = 0x56,
    CMD_RELEASE_10 = 0x57,
    CMD_MODE_SENSE_10 = 0x5a,
    CMD_READ_16 = 0x88,
    CMD_WRITE_16 = 0x8a,
    CMD_WRITE_VERIFY_16 = 0x8e,
    CMD_VERIFY_16 = 0x8f,
    CMD_SYNCHRONIZE_CACHE_16 = 0x91,
    CMD_WRITE_SAME_16 = 0x93,
    CMD_SERVICE_ACTION_IN_16 = 0x9e,
    CMD_READ_12 = 0xa8,
    CMD_WRITE_12 = 0xaa,
    CMD_WRITE_VERIFY_12 = 0xae,
    CMD_VERIFY_12 = 0xaf,
    CMD_MECHANISM_STATUS = 0xbd,
};
/* SERVICE ACTION IN(16): READ CAPACITY(16). */
#define SAI_READ_CAPACITY_16 0x10

/* Mode pages. */
#define MODE_PAGE_R_W_ERROR 0x01
#define MODE_PAGE_HD_GEOMETRY 0x04
#define MODE_PAGE_FLEXIBLE_DISK_GEOMETRY 0x05
#define MODE_PAGE_CACHING 0x08
#define MODE_PAGE_AUDIO_CTL 0x0e
#define MODE_PAGE_CAPABILITIES 0x2a
#define MODE_PAGE_ALL 0x3f

/* MMC profiles and the largest CD (80 minutes of 2048-byte sectors, in 512-byte units). */
#define MMC_PROFILE_NONE 0x0000
#define MMC_PROFILE_CD_ROM 0x0008
#define MMC_PROFILE_DVD_ROM 0x0010
#define CD_MAX_SECTORS (80ULL * 60 * 75 * 2048 / 512)

/* Block I/O moves at most this much per block-layer request. */
#define IO_CHUNK (256 * 1024)
/* The largest emulated reply (mode pages, VPD, TOC...). */
#define REPLY_MAX 512

typedef struct SCSIDisk {
    SCSIDevice qdev;
    DriveInfo *drive;
    BlockBackend *blk; /* NULL: a CD drive without a medium */
    bool is_cd;
    char *serial, *vendor, *product, *version, *device_id;
    bool removable;
    bool share_rw; /* others may write the image too */
    uint32_t logical_block_size, physical_block_size;
    uint32_t discard_granularity;
    uint64_t max_unmap_size, max_io_size;
    uint16_t rotation_rate;
    uint64_t wwn, port_wwn;
    uint32_t blocksize; /* 512 for a disk, 2048 for a CD */
    bool tray_open, tray_locked;
    /* GET EVENT STATUS NOTIFICATION's pending media events: new medium, eject request. */
    bool media_event, eject_request;
    /* A medium came: once the first unit attention is out, report "medium may have changed". */
    bool media_changed;
} SCSIDisk;

/* A block read or write in progress. */
typedef struct DiskIO {
    SCSIDisk *s;
    bool write;
    int64_t offset; /* the next byte on the device */
    uint64_t done;  /* bytes already moved for the initiator */
    uint64_t total;
    uint64_t chunk; /* bytes of the request now with the block layer */
    uint8_t *buf;
    /* UNMAP: the descriptors still to discard. */
    uint8_t *unmap;
    unsigned unmap_left;
} DiskIO;

static SCSIDisk *disk_of(SCSIRequest *req)
{
    return (SCSIDisk *)req->dev;
}

static bool has_medium(SCSIDisk *s)
{
    return s->blk && blk_bs(s->blk) && !s->tray_open;
}

/* Blocks on the medium (0 without one). */
static uint64_t medium_bytes(SCSIDisk *s)
{
    int64_t len = has_medium(s) ? blk_getlength(s->blk) : 0;

    return len > 0 ? len : 0;
}

static uint64_t nb_blocks(SCSIDisk *s)
{
    return medium_bytes(s) / s->blocksize;
}

static uint64_t nb_sectors512(SCSIDisk *s)
{
    return medium_bytes(s) / 512;
}

static void stw_be(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void stl_be(uint8_t *p, uint32_t v)
{
    stw_be(p, v >> 16);
    stw_be(p + 2, v);
}

static void stq_be(uint8_t *p, uint64_t v)
{
    stl_be(p, v >> 32);
    stl_be(p + 4, v);
}

static uint32_t ldl_be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t ldq_be(const uint8_t *p)
{
    return (uint64_t)ldl_be(p) << 32 | ldl_be(p + 4);
}

/* A blank-padded ASCII field. */
static void strpad(uint8_t *p, size_t n, const char *s)
{
    size_t l = strlen(s);

    memset(p, ' ', n);
    memcpy(p, s, MIN(l, n));
}

/* SENSE for a failed block request: QEMU's mapping of host errors. */
static SCSISense errno_sense(int ret)
{
    switch (ret) {
    case -ENOSPC:
        return SENSE_SPACE_ALLOC_FAILED;
    case -EPERM:
    case -EACCES:
    case -EROFS:
        return SENSE_WRITE_PROTECTED;
    case -ENOMEDIUM:
        return SENSE_NO_MEDIUM;
    default:
        return SENSE_IO_ERROR;
    }
}

/* ---- INQUIRY ---------------------------------------------------------------------- */

/* Vital product data pages, as QEMU 7.2's; length 0: the page does not exist. */
static size_t inquiry_vpd(SCSIDisk *s, uint8_t page, uint8_t *buf)
{
    size_t n = 4;

    buf[0] = s->is_cd ? SCSI_TYPE_ROM : SCSI_TYPE_DISK;
    buf[1] = page;
    switch (page) {
    case 0x00: /* supported pages */
        buf[n++] = 0x00;
        if (s->serial) {
            buf[n++] = 0x80;
        }
        buf[n++] = 0x83;
        if (!s->is_cd) {
            buf[n++] = 0xb0;
            buf[n++] = 0xb1;
            buf[n++] = 0xb2;
        }
        break;
    case 0x80: /* unit serial number */
        if (!s->serial) {
            return 0;
        }
        memcpy(&buf[n], s->serial, MIN(strlen(s->serial), 36));
        n += MIN(strlen(s->serial), 36);
        break;
    case 0x83: { /* device identification */
        size_t id_len = s->device_id ? MIN(strlen(s->device_id), 255 - 8) : 0;

        if (id_len) {
            buf[n++] = 0x2; /* ASCII */
            buf[n++] = 0;   /* vendor-specific association and type */
            buf[n++] = 0;
            buf[n++] = id_len;
            memcpy(&buf[n], s->device_id, id_len);
            n += id_len;
        }
        if (s->wwn) {
            buf[n++] = 0x1; /* binary */
            buf[n++] = 0x3; /* NAA */
            buf[n++] = 0;
            buf[n++] = 8;
            stq_be(&buf[n], s->wwn);
            n += 8;
        }
        if (s->port_wwn) {
            buf[n++] = 0x61; /* SAS, binary */
            buf[n++] = 0x93; /* PIV, target port, NAA */
            buf[n++] = 0;
            buf[n++] = 8;
            stq_be(&buf[n], s->port_wwn);
            n += 8;
        }
        break;
    }
    case 0xb0: { /* block limits */
        uint32_t max_io = s->max_io_size / s->blocksize;

        if (s->is_cd) {
            return 0;
        }
        memset(&buf[4], 0, 0x3c);
        buf[4] = 1; /* WSNZ: WRITE SAME needs a non-zero length */
        stl_be(&buf[8], max_io);
        stl_be(&buf[20], s->max_unmap_size / s->blocksize);
        stl_be(&buf[24], 255); /* unmap descriptors in one 4 KiB list */
        stl_be(&buf[28], s->discard_granularity / s->blocksize);
        stl_be(&buf[40], max_io); /* WRITE SAME: as a transfer */
        n = 4 + 0x3c;
        break;
    }
    case 0xb1: /* block device characteristics */
        if (s->is_cd) {
            return 0;
        }
        memset(&buf[4], 0, 0x3c);
        stw_be(&buf[4], s->rotation_rate);
        n = 0x40;
        break;
    case 0xb2: /* logical block provisioning */
        if (s->is_cd) {
            return 0;
        }
        buf[4] = 0;
        buf[5] = 0xe0;                           /* UNMAP, WRITE SAME(16) and (10) with UNMAP */
        buf[6] = s->discard_granularity ? 2 : 1; /* thin or resource provisioned */
        buf[7] = 0;
        n = 8;
        break;
    default:
        return 0;
    }
    buf[3] = n - 4;
    return n;
}

static void disk_inquiry(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    size_t alloc = req->cdb[3] << 8 | req->cdb[4];
    uint8_t buf[REPLY_MAX] = { 0 };
    size_t n;

    if (req->cdb[1] & 1) {
        n = inquiry_vpd(s, req->cdb[2], buf);
        if (!n) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
            return;
        }
        scsi_req_reply(req, buf, MIN(n, alloc));
        return;
    }
    if (req->cdb[2] != 0) {
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    /* Standard data: QEMU answers up to 256 bytes, zeros past the 36 it fills. */
    n = MIN(alloc, 256);
    buf[0] = s->is_cd ? SCSI_TYPE_ROM : SCSI_TYPE_DISK;
    buf[1] = s->removable ? 0x80 : 0;
    buf[2] = 5;        /* SPC-3 */
    buf[3] = 0x10 | 2; /* HiSup, response data format 2 */
    buf[4] = (n > 36 ? n : 36) - 5;
    buf[7] = 0x10 | (req->bus->info->tcq ? 0x02 : 0); /* Sync, CmdQue */
    strpad(&buf[8], 8, s->vendor);
    strpad(&buf[16], 16, s->product);
    memcpy(&buf[32], s->version, MIN(strlen(s->version), 4));
    scsi_req_reply(req, buf, n);
}

/* ---- MODE SENSE ---------------------------------------------------------------------- */

/*
 * The geometry QEMU guesses for a disk without a partition table to go by:
 * 16 heads, 63 sectors, and the cylinders that fit (2 to 16383).
 */
static uint32_t disk_cylinders(SCSIDisk *s)
{
    uint64_t c = nb_sectors512(s) / (16 * 63);

    return c > 16383 ? 16383 : c < 2 ? 2 : c;
}

/* One mode page at p (header included); 0: the unit has no such page. pc 1: changeable bits. */
static size_t mode_page(SCSIDisk *s, int page, int pc, uint8_t *p)
{
    uint8_t *d = p + 2;
    size_t len;

    switch (page) {
    case MODE_PAGE_R_W_ERROR:
        len = 10;
        if (pc == 1) {
            d[0] = s->is_cd ? 0x80 : 0;
            break;
        }
        d[0] = 0x80;                /* automatic write reallocation */
        d[1] = s->is_cd ? 0x20 : 0; /* read retry count */
        break;
    case MODE_PAGE_HD_GEOMETRY: {
        uint32_t cyl = disk_cylinders(s);

        if (s->is_cd) {
            return 0;
        }
        len = 0x16;
        if (pc == 1) {
            break;
        }
        d[0] = cyl >> 16;
        d[1] = cyl >> 8;
        d[2] = cyl;
        d[3] = 16;
        d[4] = cyl >> 16; /* write precompensation: disabled (last cylinder) */
        d[5] = cyl >> 8;
        d[6] = cyl;
        d[7] = cyl >> 16; /* reduced current: disabled */
        d[8] = cyl >> 8;
        d[9] = cyl;
        d[11] = 200;                  /* step rate */
        d[12] = d[13] = d[14] = 0xff; /* landing zone */
        stw_be(&d[18], 5400);         /* rpm */
        break;
    }
    case MODE_PAGE_FLEXIBLE_DISK_GEOMETRY: {
        uint32_t cyl = disk_cylinders(s);

        if (s->is_cd) {
            return 0;
        }
        len = 0x1e;
        if (pc == 1) {
            break;
        }
        stw_be(&d[0], 5000); /* transfer rate, kbit/s */
        d[2] = 16;
        d[3] = 63;
        d[4] = s->blocksize >> 8;
        stw_be(&d[6], cyl);
        stw_be(&d[8], cyl);
        stw_be(&d[10], cyl);
        d[13] = 1;
        d[14] = 1;
        d[16] = 1;
        d[17] = 1;
        d[18] = 1;
        stw_be(&d[26], 5400);
        break;
    }
    case MODE_PAGE_CACHING:
        len = 0x12;
        if (pc == 1 || (s->blk && blk_enable_write_cache(s->blk))) {
            d[0] = 4; /* WCE */
        }
        break;
    case MODE_PAGE_AUDIO_CTL:
        if (!s->is_cd) {
            return 0;
        }
        len = 14;
        break;
    case MODE_PAGE_CAPABILITIES:
        if (!s->is_cd) {
            return 0;
        }
        len = 0x14;
        if (pc == 1) {
            break;
        }
        d[0] = 0x3b; /* reads CD-R, CD-RW */
        d[2] = 0x7f;
        d[3] = 0xff;
        d[4] = 0x2d | (s->tray_locked ? 2 : 0); /* tray, eject, lock */
        stw_be(&d[6], 50 * 176);                /* maximum read speed, kB/s */
        stw_be(&d[8], 2);                       /* volume levels */
        stw_be(&d[10], 2048);                   /* buffer, KiB */
        stw_be(&d[12], 16 * 176);               /* current read speed */
        stw_be(&d[16], 16 * 176);
        stw_be(&d[18], 16 * 176);
        break;
    default:
        return 0;
    }
    p[0] = page;
    p[1] = len;
    return len + 2;
}

static void disk_mode_sense(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    bool ten = req->cdb[0] == CMD_MODE_SENSE_10;
    bool dbd = req->cdb[1] & 0x08;
    int page = req->cdb[2] & 0x3f, pc = req->cdb[2] >> 6;
    size_t alloc = ten ? (req->cdb[7] << 8 | req->cdb[8]) : req->cdb[4];
    uint8_t buf[REPLY_MAX] = { 0 };
    size_t hdr = ten ? 8 : 4, n = hdr;
    uint8_t specific = 0;
    uint64_t blocks = nb_blocks(s);

    if (s->is_cd) {
        dbd = true; /* MMC: no block descriptors, no device-specific byte */
    } else if (!s->blk || blk_is_read_only(s->blk)) {
        specific = 0x80; /* WP */
    }
    buf[ten ? 3 : 2] = specific;
    if (!dbd && blocks) {
        buf[ten ? 7 : 3] = 8;
        buf[n + 1] = blocks > 0xffffff ? 0 : blocks >> 16;
        buf[n + 2] = blocks > 0xffffff ? 0 : blocks >> 8;
        buf[n + 3] = blocks > 0xffffff ? 0 : blocks;
        buf[n + 6] = s->blocksize >> 8;
        n += 8;
    }
    if (pc == 3) {
        scsi_req_check_condition(req, SENSE_SAVING_PARAMS_NOT_SUPPORTED);
        return;
    }
    if (page == MODE_PAGE_ALL) {
        for (int p = 0; p < MODE_PAGE_ALL; p++) {
            n += mode_page(s, p, pc, &buf[n]);
        }
    } else {
        size_t len = mode_page(s, page, pc, &buf[n]);

        if (!len) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
            return;
        }
        n += len;
    }
    if (ten) {
        stw_be(buf, n - 2);
    } else {
        buf[0] = n - 1;
    }
    scsi_req_reply(req, buf, MIN(n, alloc));
}

/*
 * Check (apply false) or apply the mode pages of a MODE SELECT parameter
 * list: each page must exist with the length MODE SENSE gives it and change
 * only its changeable bits (the caching page's WCE).  false: the sense is set.
 */
static bool mode_select_pages(SCSIDisk *s, const uint8_t *p, size_t len, bool apply,
                              SCSISense *sense)
{
    while (len) {
        uint8_t cur[256] = { 0 }, chg[256] = { 0 };
        size_t plen, have;

        if (len < 2 || (p[0] & 0x40)) { /* no subpages */
            *sense = len < 2 ? SENSE_INVALID_PARAM_LEN : SENSE_INVALID_PARAM;
            return false;
        }
        plen = p[1];
        if (plen + 2 > len) {
            *sense = SENSE_INVALID_PARAM_LEN;
            return false;
        }
        have = mode_page(s, p[0] & 0x3f, 0, cur);
        mode_page(s, p[0] & 0x3f, 1, chg);
        if (!have || have != plen + 2) {
            *sense = SENSE_INVALID_PARAM;
            return false;
        }
        for (size_t i = 2; i < have; i++) {
            if ((cur[i] ^ p[i]) & ~chg[i]) {
                *sense = SENSE_INVALID_PARAM;
                return false;
            }
        }
        if (apply && (p[0] & 0x3f) == MODE_PAGE_CACHING && s->blk) {
            blk_set_enable_write_cache(s->blk, p[2] & 4);
        }
        p += plen + 2;
        len -= plen + 2;
    }
    return true;
}

/* MODE SELECT(6/10): page format only; a block descriptor may restate the block size. */
static void disk_mode_select(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    bool ten = req->cdb[0] == CMD_MODE_SELECT_10;
    size_t len = ten ? (req->cdb[7] << 8 | req->cdb[8]) : req->cdb[4];
    size_t hdr = ten ? 8 : 4, bd;
    g_autofree uint8_t *buf = NULL;
    SCSISense sense;

    req->mode = SCSI_XFER_TO_DEV;
    req->xfer = len;
    if ((req->cdb[1] & 0x11) != 0x10) { /* PF=1, SP=0 */
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    if (len > req->out_len) {
        req->overrun = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    if (len < hdr) {
        scsi_req_check_condition(req, SENSE_INVALID_PARAM_LEN);
        return;
    }
    buf = g_malloc(len);
    if (!req->bus->info->data_out(req, 0, buf, len)) {
        req->host_error = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    bd = ten ? (buf[6] << 8 | buf[7]) : buf[3];
    if (bd != 0 && bd != 8) {
        scsi_req_check_condition(req, SENSE_INVALID_PARAM);
        return;
    }
    if (hdr + bd > len) {
        scsi_req_check_condition(req, SENSE_INVALID_PARAM_LEN);
        return;
    }
    if (bd && (uint32_t)(buf[hdr + 5] << 16 | buf[hdr + 6] << 8 | buf[hdr + 7]) != 0 &&
        (uint32_t)(buf[hdr + 5] << 16 | buf[hdr + 6] << 8 | buf[hdr + 7]) != s->blocksize) {
        scsi_req_check_condition(req, SENSE_INVALID_PARAM);
        return;
    }
    /* Nothing changes unless every page is acceptable. */
    if (!mode_select_pages(s, buf + hdr + bd, len - hdr - bd, false, &sense)) {
        scsi_req_check_condition(req, sense);
        return;
    }
    mode_select_pages(s, buf + hdr + bd, len - hdr - bd, true, &sense);
    scsi_req_complete(req, SCSI_STATUS_GOOD);
}

/* ---- CD commands (MMC) --------------------------------------------------------------- */

/* An LBA as minutes, seconds, frames (the 2-second lead-in included). */
static void put_msf(uint8_t *p, uint32_t lba)
{
    lba += 150;
    p[0] = 0;
    p[1] = lba / (60 * 75);
    p[2] = (lba / 75) % 60;
    p[3] = lba % 75;
}

/* READ TOC: one data track from LBA 0, and the lead-out after the last block. */
static void cd_read_toc(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    bool msf = req->cdb[1] & 2;
    int format = req->cdb[2] & 0xf, start = req->cdb[6];
    size_t alloc = req->cdb[7] << 8 | req->cdb[8];
    uint8_t buf[64] = { 0 };
    size_t n = 4;

    switch (format) {
    case 0:
        if (start > 1 && start != 0xaa) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
            return;
        }
        buf[2] = 1; /* first track */
        buf[3] = 1; /* last track */
        if (start <= 1) {
            buf[n + 1] = 0x14; /* ADR 1, data track */
            buf[n + 2] = 1;
            if (msf) {
                put_msf(&buf[n + 4], 0);
            }
            n += 8;
        }
        buf[n + 1] = 0x16;
        buf[n + 2] = 0xaa; /* lead-out */
        if (msf) {
            put_msf(&buf[n + 4], nb_blocks(s));
        } else {
            stl_be(&buf[n + 4], nb_blocks(s));
        }
        n += 8;
        stw_be(buf, n - 2);
        break;
    case 1: /* multi-session: one session */
        n = 12;
        buf[1] = 0x0a;
        buf[2] = 1;
        buf[3] = 1;
        break;
    default:
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    scsi_req_reply(req, buf, MIN(n, alloc));
}

static void cd_get_configuration(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    size_t alloc = req->cdb[7] << 8 | req->cdb[8];
    uint16_t cur = !has_medium(s)                      ? MMC_PROFILE_NONE
                   : nb_sectors512(s) > CD_MAX_SECTORS ? MMC_PROFILE_DVD_ROM
                                                       : MMC_PROFILE_CD_ROM;
    uint8_t buf[40] = { 0 };

    stl_be(&buf[0], 36);
    stw_be(&buf[6], cur);
    /* Feature 0, the profile list: DVD-ROM and CD-ROM. */
    buf[10] = 0x03;
    buf[11] = 8;
    stw_be(&buf[12], MMC_PROFILE_DVD_ROM);
    buf[14] = cur == MMC_PROFILE_DVD_ROM;
    stw_be(&buf[16], MMC_PROFILE_CD_ROM);
    buf[18] = cur == MMC_PROFILE_CD_ROM;
    /* Feature 1, core: SCSI physical interface, DBE. */
    stw_be(&buf[20], 1);
    buf[22] = 0x08 | 0x03;
    buf[23] = 8;
    stl_be(&buf[24], 1);
    buf[28] = 1;
    /* Feature 3, removable medium: tray, eject, lock. */
    stw_be(&buf[32], 3);
    buf[34] = 0x08 | 0x03;
    buf[35] = 4;
    buf[36] = 0x39;
    scsi_req_reply(req, buf, MIN(sizeof(buf), alloc));
}

/* GET EVENT STATUS NOTIFICATION, polled only: the media class. */
static void cd_get_event_status(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    size_t alloc = req->cdb[7] << 8 | req->cdb[8];
    uint8_t buf[8] = { 0 };
    size_t n = 4;

    if (!(req->cdb[1] & 1)) {
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    buf[3] = 1 << 4; /* supported: media events */
    if (req->cdb[4] & (1 << 4)) {
        buf[2] = 4;
        /* Event codes: 1 eject requested, 2 new media; with the tray open, none. */
        if (!s->tray_open && s->media_event) {
            buf[4] = 2;
            s->media_event = false;
        } else if (!s->tray_open && s->eject_request) {
            buf[4] = 1;
            s->eject_request = false;
        }
        buf[5] = s->tray_open ? 1 : has_medium(s) ? 2 : 0;
        n = 8;
    } else {
        buf[2] = 0x80; /* no event available */
    }
    stw_be(buf, n - 4);
    scsi_req_reply(req, buf, MIN(n, alloc));
}

static void cd_read_disc_information(SCSIRequest *req)
{
    size_t alloc = req->cdb[7] << 8 | req->cdb[8];
    uint8_t buf[34] = { 0 };

    if (req->cdb[1] & 7) {
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    buf[1] = 32;
    buf[2] = 0xe; /* complete session, finalized disc */
    buf[3] = 1;
    buf[4] = 1;
    buf[5] = 1;
    buf[6] = 1;
    buf[7] = 0x20; /* unrestricted use */
    scsi_req_reply(req, buf, MIN(sizeof(buf), alloc));
}

/* START STOP UNIT with LOEJ opens or closes the tray of a removable unit. */
static void disk_start_stop(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    bool start = req->cdb[4] & 1, loej = req->cdb[4] & 2;

    if (!(req->cdb[4] & 0xf0) && s->removable && loej) {
        if (!start && !s->tray_open && s->tray_locked) {
            scsi_req_check_condition(req, s->blk && blk_is_inserted(s->blk)
                                              ? SENSE_REMOVAL_PREVENTED
                                              : SENSE_NOT_READY_REMOVAL_PREVENTED);
            return;
        }
        if (s->tray_open == start) {
            s->tray_open = !start;
            s->media_event = start && s->blk;
            if (s->blk) {
                blk_tray_moved(s->blk, !start); /* the guest moved it: QMP hears of it */
            }
        }
    }
    scsi_req_complete(req, SCSI_STATUS_GOOD);
}

/* ---- Block I/O --------------------------------------------------------------------------- */

static void io_step(DiskIO *io, SCSIRequest *req);

static void io_finish(SCSIRequest *req, int ret)
{
    DiskIO *io = req->dev_state;

    g_free(io->buf);
    io->buf = NULL;
    if (req->cancelled) {
        scsi_req_complete(req, SCSI_STATUS_GOOD);
    } else if (ret < 0) {
        scsi_req_check_condition(req, errno_sense(ret));
    } else {
        scsi_req_complete(req, SCSI_STATUS_GOOD);
    }
}

static void io_done(void *opaque, int ret)
{
    SCSIRequest *req = opaque;
    DiskIO *io = req->dev_state;

    req->in_flight = false;
    if (req->cancelled || ret < 0) {
        io_finish(req, ret);
        return;
    }
    if (!io->write && !req->bus->info->data_in(req, io->done, io->buf, io->chunk)) {
        req->host_error = true;
        io_finish(req, 0);
        return;
    }
    io->done += io->chunk;
    io->offset += io->chunk;
    req->moved = io->done;
    io_step(io, req);
}

/* Start the next chunk, or complete. */
static void io_step(DiskIO *io, SCSIRequest *req)
{
    struct iovec iov;

    if (io->done == io->total) {
        io_finish(req, 0);
        return;
    }
    io->chunk = MIN(io->total - io->done, IO_CHUNK);
    if (!io->buf) {
        io->buf = g_malloc(MIN(io->total, IO_CHUNK));
    }
    iov.iov_base = io->buf;
    iov.iov_len = io->chunk;
    req->in_flight = true;
    if (io->write) {
        if (!req->bus->info->data_out(req, io->done, io->buf, io->chunk)) {
            req->in_flight = false;
            req->host_error = true;
            io_finish(req, 0);
            return;
        }
        blk_aio_pwritev(io->s->blk, io->offset, &iov, 1, io_done, req);
    } else {
        blk_aio_preadv(io->s->blk, io->offset, &iov, 1, io_done, req);
    }
}

/* Check the LBA range (no wrap, within the medium) and the initiator's buffer. */
static bool io_check(SCSIRequest *req, uint64_t lba, uint64_t blocks)
{
    SCSIDisk *s = disk_of(req);

    if (lba + blocks < lba || lba + blocks > nb_blocks(s)) {
        scsi_req_check_condition(req, SENSE_LBA_OUT_OF_RANGE);
        return false;
    }
    return true;
}

static void disk_rw(SCSIRequest *req, bool write)
{
    SCSIDisk *s = disk_of(req);
    uint64_t lba = scsi_cdb_lba(req->cdb), blocks = scsi_cdb_xfer_blocks(req->cdb);
    DiskIO *io;

    if (write && (s->is_cd || blk_is_read_only(s->blk))) {
        scsi_req_check_condition(req, SENSE_WRITE_PROTECTED);
        return;
    }
    if (!io_check(req, lba, blocks)) {
        return;
    }
    req->mode = write ? SCSI_XFER_TO_DEV : SCSI_XFER_FROM_DEV;
    req->xfer = blocks * s->blocksize;
    if (req->xfer > (write ? req->out_len : req->in_len)) {
        req->overrun = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    io = g_new0(DiskIO, 1);
    io->s = s;
    io->write = write;
    io->offset = lba * s->blocksize;
    io->total = req->xfer;
    req->dev_state = io;
    io_step(io, req);
}

static void flush_done(void *opaque, int ret)
{
    SCSIRequest *req = opaque;

    req->in_flight = false;
    io_finish(req, ret);
}

static void disk_flush(SCSIRequest *req)
{
    req->dev_state = g_new0(DiskIO, 1);
    req->in_flight = true;
    blk_aio_flush(disk_of(req)->blk, flush_done, req);
}

/* UNMAP: the parameter list's block descriptors, one discard after the other. */
static void unmap_next(void *opaque, int ret)
{
    SCSIRequest *req = opaque;
    SCSIDisk *s = disk_of(req);
    DiskIO *io = req->dev_state;
    const uint8_t *d;
    uint64_t lba;
    uint32_t n;

    req->in_flight = false;
    if (req->cancelled || ret < 0 || !io->unmap_left) {
        g_free(io->unmap);
        io->unmap = NULL;
        io_finish(req, ret);
        return;
    }
    d = io->unmap + 16 * (io->unmap_left - 1);
    io->unmap_left--;
    lba = ldq_be(d);
    n = ldl_be(&d[8]);
    if (lba + n < lba || lba + n > nb_blocks(s)) {
        g_free(io->unmap);
        io->unmap = NULL;
        scsi_req_check_condition(req, SENSE_LBA_OUT_OF_RANGE);
        return;
    }
    req->in_flight = true;
    blk_aio_pdiscard(s->blk, lba * s->blocksize, (int64_t)n * s->blocksize, unmap_next, req);
}

static void disk_unmap(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    uint32_t len = req->cdb[7] << 8 | req->cdb[8];
    uint8_t *p;
    uint32_t bd_len;
    DiskIO *io;

    if (blk_is_read_only(s->blk)) {
        scsi_req_check_condition(req, SENSE_WRITE_PROTECTED);
        return;
    }
    if (req->cdb[1] & 1) { /* ANCHOR */
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    req->mode = SCSI_XFER_TO_DEV;
    req->xfer = len;
    if (len == 0) {
        scsi_req_complete(req, SCSI_STATUS_GOOD);
        return;
    }
    if (len < 8 || len > req->out_len) {
        scsi_req_check_condition(req, SENSE_INVALID_PARAM_LEN);
        return;
    }
    p = g_malloc(len);
    if (!req->bus->info->data_out(req, 0, p, len)) {
        g_free(p);
        req->host_error = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    bd_len = p[2] << 8 | p[3];
    if ((uint32_t)(p[0] << 8 | p[1]) + 2 > len || bd_len + 8 > len || bd_len % 16 ||
        bd_len / 16 > 255) {
        g_free(p);
        scsi_req_check_condition(req, SENSE_INVALID_PARAM_LEN);
        return;
    }
    io = g_new0(DiskIO, 1);
    io->s = s;
    io->unmap = g_memdup2(p + 8, bd_len);
    io->unmap_left = bd_len / 16;
    g_free(p);
    req->dev_state = io;
    unmap_next(req, 0);
}

/*
 * WRITE SAME: with UNMAP, or with a block of zeros, the range becomes zeros
 * (discarded when the drive allows it); another pattern is refused.
 */
static void disk_write_same(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    uint64_t lba = scsi_cdb_lba(req->cdb), blocks = scsi_cdb_xfer_blocks(req->cdb);
    g_autofree uint8_t *blk = NULL;

    if (req->cdb[0] == CMD_WRITE_SAME_10) {
        blocks = req->cdb[7] << 8 | req->cdb[8];
    }
    if (blk_is_read_only(s->blk)) {
        scsi_req_check_condition(req, SENSE_WRITE_PROTECTED);
        return;
    }
    if (blocks == 0 || (req->cdb[1] & 0x6)) { /* WSNZ; no PBDATA/LBDATA */
        scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        return;
    }
    if (!io_check(req, lba, blocks)) {
        return;
    }
    req->mode = SCSI_XFER_TO_DEV;
    req->xfer = s->blocksize;
    if (req->out_len < s->blocksize) {
        req->overrun = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    blk = g_malloc(s->blocksize);
    if (!req->bus->info->data_out(req, 0, blk, s->blocksize)) {
        req->host_error = true;
        scsi_req_complete(req, SCSI_STATUS_CHECK_CONDITION);
        return;
    }
    for (uint32_t i = 0; i < s->blocksize; i++) {
        if (blk[i]) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
            return;
        }
    }
    req->dev_state = g_new0(DiskIO, 1);
    req->in_flight = true;
    if (req->cdb[1] & 0x08) {
        blk_aio_pdiscard(s->blk, lba * s->blocksize, blocks * s->blocksize, flush_done, req);
    } else {
        blk_aio_pwrite_zeroes(s->blk, lba * s->blocksize, blocks * s->blocksize, flush_done, req);
    }
}

/* ---- Dispatch ------------------------------------------------------------------------ */

static void read_capacity(SCSIRequest *req, bool sixteen)
{
    SCSIDisk *s = disk_of(req);
    uint64_t last = nb_blocks(s) - 1;
    uint8_t buf[32] = { 0 };

    if (!nb_blocks(s)) {
        scsi_req_check_condition(req, SENSE_NO_MEDIUM);
        return;
    }
    if (!sixteen) {
        stl_be(buf, last > 0xffffffff ? 0xffffffff : last);
        stl_be(&buf[4], s->blocksize);
        scsi_req_reply(req, buf, 8);
        return;
    }
    stq_be(buf, last);
    stl_be(&buf[8], s->blocksize);
    /* Logical blocks per physical block, as a power of two. */
    buf[13] = s->physical_block_size > s->blocksize
                  ? __builtin_ctz(s->physical_block_size / s->blocksize)
                  : 0;
    if (s->discard_granularity) {
        buf[14] = 0x80; /* LBPME: thin provisioning */
    }
    scsi_req_reply(req, buf, MIN(sizeof(buf), (size_t)ldl_be(&req->cdb[10])));
}

static void request_sense(SCSIRequest *req)
{
    SCSIDevice *dev = req->dev;
    uint8_t buf[SCSI_SENSE_LEN];

    bool ua = dev->unit_attention.key == SCSI_SENSE_UNIT_ATTENTION;

    scsi_build_sense(buf, dev->unit_attention);
    dev->unit_attention = SENSE_NO_SENSE;
    if (ua) {
        scsi_device_unit_attention_reported(dev);
    }
    if (req->cdb[1] & 1) {
        /* Descriptor format: response code 0x72, key, ASC, ASCQ, no descriptors. */
        uint8_t d[8] = { 0x72, buf[2], buf[12], buf[13] };

        scsi_req_reply(req, d, MIN(sizeof(d), req->cdb[4]));
        return;
    }
    scsi_req_reply(req, buf, MIN(sizeof(buf), req->cdb[4]));
}

/* Commands that work without a medium; the rest report NOT READY without one. */
static bool needs_no_medium(uint8_t op)
{
    switch (op) {
    case CMD_INQUIRY:
    case CMD_MODE_SENSE:
    case CMD_MODE_SENSE_10:
    case CMD_RESERVE:
    case CMD_RESERVE_10:
    case CMD_RELEASE:
    case CMD_RELEASE_10:
    case CMD_START_STOP:
    case CMD_ALLOW_MEDIUM_REMOVAL:
    case CMD_GET_CONFIGURATION:
    case CMD_GET_EVENT_STATUS_NOTIFICATION:
    case CMD_MECHANISM_STATUS:
    case CMD_REQUEST_SENSE:
        return true;
    }
    return false;
}

static void disk_execute(SCSIRequest *req)
{
    SCSIDisk *s = disk_of(req);
    uint8_t op = req->cdb[0];

    req->mode = SCSI_XFER_NONE;
    if (!needs_no_medium(op) && !has_medium(s)) {
        scsi_req_check_condition(req, s->tray_open ? SENSE_NO_MEDIUM_TRAY_OPEN : SENSE_NO_MEDIUM);
        return;
    }
    switch (op) {
    case CMD_TEST_UNIT_READY:
    case CMD_RESERVE:
    case CMD_RESERVE_10:
    case CMD_RELEASE:
    case CMD_RELEASE_10:
    case CMD_SEEK_10:
        scsi_req_complete(req, SCSI_STATUS_GOOD);
        return;
    case CMD_VERIFY_10:
    case CMD_VERIFY_12:
    case CMD_VERIFY_16:
        /* BYTCHK 0: nothing to compare; the range must exist. */
        if (req->cdb[1] & 0x06) {
            scsi_req_check_condition(req, SENSE_INVALID_FIELD);
        } else if (io_check(req, scsi_cdb_lba(req->cdb), scsi_cdb_xfer_blocks(req->cdb))) {
            scsi_req_complete(req, SCSI_STATUS_GOOD);
        }
        return;
    case CMD_REQUEST_SENSE:
        request_sense(req);
        return;
    case CMD_INQUIRY:
        disk_inquiry(req);
        return;
    case CMD_MODE_SENSE:
    case CMD_MODE_SENSE_10:
        disk_mode_sense(req);
        return;
    case CMD_MODE_SELECT:
    case CMD_MODE_SELECT_10:
        disk_mode_select(req);
        return;
    case CMD_START_STOP:
        disk_start_stop(req);
        return;
    case CMD_ALLOW_MEDIUM_REMOVAL:
        s->tray_locked = req->cdb[4] & 1;
        scsi_req_complete(req, SCSI_STATUS_GOOD);
        return;
    case CMD_READ_CAPACITY_10:
        read_capacity(req, false);
        return;
    case CMD_SERVICE_ACTION_IN_16:
        if ((req->cdb[1] & 0x1f) == SAI_READ_CAPACITY_16) {
            read_capacity(req, true);
            return;
        }
        break;
    case CMD_READ_6:
    case CMD_READ_10:
    case CMD_READ_12:
    case CMD_READ_16:
        disk_rw(req, false);
        return;
    case CMD_WRITE_6:
    case CMD_WRITE_10:
    case CMD_WRITE_12:
    case CMD_WRITE_16:
    case CMD_WRITE_VERIFY_10:
    case CMD_WRITE_VERIFY_12:
    case CMD_WRITE_VERIFY_16:
        disk_rw(req, true);
        return;
    case CMD_SYNCHRONIZE_CACHE:
    case CMD_SYNCHRONIZE_CACHE_16:
        disk_flush(req);
        return;
    case CMD_UNMAP:
        if (!s->is_cd) {
            disk_unmap(req);
            return;
        }
        break;
    case CMD_WRITE_SAME_10:
    case CMD_WRITE_SAME_16:
        if (!s->is_cd) {
            disk_write_same(req);
            return;
        }
        break;
    case CMD_READ_TOC:
        if (s->is_cd) {
            cd_read_toc(req);
            return;
        }
        break;
    case CMD_GET_CONFIGURATION:
        if (s->is_cd) {
            cd_get_configuration(req);
            return;
        }
        break;
    case CMD_GET_EVENT_STATUS_NOTIFICATION:
        if (s->is_cd) {
            cd_get_event_status(req);
            return;
        }
        break;
    case CMD_READ_DISC_INFORMATION:
        if (s->is_cd) {
            cd_read_disc_information(req);
            return;
        }
        break;
    case CMD_MECHANISM_STATUS:
        if (s->is_cd) {
            uint8_t buf[8] = { [5] = 1 }; /* one slot */

            scsi_req_reply(req, buf, MIN(sizeof(buf), (size_t)(req->cdb[8] << 8 | req->cdb[9])));
            return;
        }
        break;
    }
    scsi_req_check_condition(req, SENSE_INVALID_OPCODE);
}

/* ---- The devices ----------------------------------------------------------------------- */

/*
 * Removable media (a CD, a removable scsi-hd): the monitor changed the
 * medium.  The guest sees "no medium" then "medium may have changed" as
 * unit attentions, and a new-media event in GET EVENT STATUS NOTIFICATION.
 */
static void disk_change_media_cb(void *opaque, bool load)
{
    SCSIDisk *s = opaque;

    s->media_changed = load;
    s->tray_open = !load;
    s->qdev.unit_attention = SENSE_UA_NO_MEDIUM;
    s->media_event = true;
    s->eject_request = false;
}

static void disk_eject_request_cb(void *opaque, bool force)
{
    SCSIDisk *s = opaque;

    s->eject_request = true;
    if (force) {
        s->tray_locked = false;
    }
}

static bool disk_is_tray_open(void *opaque)
{
    return ((SCSIDisk *)opaque)->tray_open;
}

static bool disk_is_medium_locked(void *opaque)
{
    return ((SCSIDisk *)opaque)->tray_locked;
}

/*
 * block_resize: a disk's next command other than INQUIRY, REQUEST SENSE or
 * REPORT LUNS fails with CAPACITY DATA HAS CHANGED, as QEMU's; READ
 * CAPACITY reads the length each time; the adapter may tell its driver
 * too (virtio-scsi's parameter-change event).  A CD says nothing.
 */
static void disk_resize_cb(void *opaque)
{
    SCSIDisk *s = opaque;
    SCSIBus *bus = (SCSIBus *)s->qdev.qdev.parent_bus;

    if (!s->is_cd) {
        s->qdev.unit_attention = SENSE_CAPACITY_CHANGED;
        if (bus && bus->info->change) {
            bus->info->change(bus, &s->qdev, SENSE_CAPACITY_CHANGED);
        }
    }
}

static const BlockDevOps disk_removable_ops = {
    .change_media_cb = disk_change_media_cb,
    .eject_request_cb = disk_eject_request_cb,
    .is_tray_open = disk_is_tray_open,
    .is_medium_locked = disk_is_medium_locked,
    .resize_cb = disk_resize_cb,
};

static const BlockDevOps disk_fixed_ops = {
    .resize_cb = disk_resize_cb,
};

static void disk_unit_attention_reported(SCSIDevice *dev)
{
    SCSIDisk *s = (SCSIDisk *)dev;

    if (s->media_changed) {
        s->media_changed = false;
        dev->unit_attention = SENSE_MEDIUM_CHANGED;
    }
}

static bool disk_realize_common(SCSIDisk *s, bool is_cd, Error **errp)
{
    char *err = NULL;

    s->is_cd = is_cd;
    if (s->drive && !is_cd && !drive_has_medium(s->drive)) {
        error_setg(errp, "Device needs media, but drive is empty");
        return false;
    }
    if (s->drive) {
        /*
         * QEMU's permissions: a disk writes unless read-only, a CD never;
         * others may not write (unless share-rw), nor resize a CD's image.
         */
        unsigned perm =
            BLK_PERM_CONSISTENT_READ | (is_cd || drive_read_only(s->drive) ? 0 : BLK_PERM_WRITE);
        unsigned shared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
                          (is_cd ? 0 : BLK_PERM_RESIZE) | (s->share_rw ? BLK_PERM_WRITE : 0);

        s->blk = drive_get_blk(s->drive);
        if (!drive_set_perm(s->drive, perm, shared, &err)) {
            error_setg(errp, "%s", err);
            g_free(err);
            return false;
        }
    } else if (!is_cd) {
        error_setg(errp, "drive property not set");
        return false;
    }
    if (s->logical_block_size != 512 && s->logical_block_size != 4096 && !is_cd) {
        error_setg(errp, "logical_block_size must be 512 or 4096");
        return false;
    }
    s->blocksize = is_cd ? 2048 : s->logical_block_size;
    if (s->physical_block_size < s->blocksize && !is_cd) {
        error_setg(errp, "logical_block_size > physical_block_size not supported");
        return false;
    }
    if (!s->vendor) {
        s->vendor = g_strdup("QEMU");
    }
    if (!s->product) {
        s->product = g_strdup(is_cd ? "QEMU CD-ROM" : "QEMU HARDDISK");
    }
    if (!s->version) {
        s->version = g_strdup("2.5+");
    }
    if (!s->device_id) {
        if (s->serial) {
            s->device_id = g_strdup(s->serial);
        } else if (s->drive && *drive_id(s->drive)) {
            s->device_id = g_strdup(drive_id(s->drive));
        }
    }
    if (is_cd) {
        s->removable = true;
    }
    if (s->blk) {
        blk_iostatus_enable(s->blk);
        blk_set_dev_ops(s->blk, s->removable ? &disk_removable_ops : &disk_fixed_ops, s);
    }
    return boot_index_add(s->qdev.bootindex, &s->qdev.qdev, NULL, errp);
}

static bool scsi_hd_realize(DeviceState *dev, Error **errp)
{
    return disk_realize_common((SCSIDisk *)dev, false, errp);
}

static bool scsi_cd_realize(DeviceState *dev, Error **errp)
{
    return disk_realize_common((SCSIDisk *)dev, true, errp);
}

static void disk_unrealize(DeviceState *dev)
{
    SCSIDisk *s = (SCSIDisk *)dev;

    if (s->blk) {
        blk_drain(s->blk); /* completions reference the unit */
        blk_set_dev_ops(s->blk, NULL, NULL);
    }
    s->blk = NULL;
    boot_index_del(dev);
}

/* Power-on: the tray closed and unlocked. */
static void disk_unit_reset(SCSIDevice *dev)
{
    SCSIDisk *s = (SCSIDisk *)dev;

    s->tray_locked = false;
}

static void disk_reset(DeviceState *dev)
{
    SCSIDisk *s = (SCSIDisk *)dev;

    scsi_device_reset(&s->qdev);
    s->tray_open = false;
    s->tray_locked = false;
}

#define DISK_COMMON_PROPS                                                                          \
    DEFINE_PROP_DRIVE("drive", SCSIDisk, drive),                                                   \
        DEFINE_PROP_BOOL("share-rw", SCSIDisk, share_rw, false),                                   \
        DEFINE_PROP_INT32("bootindex", SCSIDisk, qdev.bootindex, -1),                              \
        DEFINE_PROP_UINT32("logical_block_size", SCSIDisk, logical_block_size, 512),               \
        DEFINE_PROP_UINT32("physical_block_size", SCSIDisk, physical_block_size, 512),             \
        DEFINE_PROP_UINT32("discard_granularity", SCSIDisk, discard_granularity, 4096),            \
        DEFINE_PROP_STRING("ver", SCSIDisk, version),                                              \
        DEFINE_PROP_STRING("serial", SCSIDisk, serial),                                            \
        DEFINE_PROP_STRING("vendor", SCSIDisk, vendor),                                            \
        DEFINE_PROP_STRING("product", SCSIDisk, product),                                          \
        DEFINE_PROP_STRING("device_id", SCSIDisk, device_id),                                      \
        DEFINE_PROP_UINT64("wwn", SCSIDisk, wwn, 0),                                               \
        DEFINE_PROP_UINT64("port_wwn", SCSIDisk, port_wwn, 0),                                     \
        DEFINE_PROP_UINT64("max_io_size", SCSIDisk, max_io_size, INT32_MAX)

static const Property scsi_hd_props[] = {
    DISK_COMMON_PROPS,
    DEFINE_PROP_BOOL("removable", SCSIDisk, removable, false),
    DEFINE_PROP_UINT64("max_unmap_size", SCSIDisk, max_unmap_size, 1024 * 1024 * 1024),
    DEFINE_PROP_UINT16("rotation_rate", SCSIDisk, rotation_rate, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static const Property scsi_cd_props[] = {
    DISK_COMMON_PROPS,
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Migration (QEMU's "scsi-disk" section): the unit's attention and the
 * tray and media events the guest has not seen yet.  The medium itself is
 * the destination's command line's.
 */
static const VMStateField vmstate_scsi_disk_fields[] = {
    VMSTATE_STRUCT(qdev, SCSIDisk, vmstate_scsi_device, SCSIDevice),
    VMSTATE_BOOL(tray_open, SCSIDisk),
    VMSTATE_BOOL(tray_locked, SCSIDisk),
    VMSTATE_BOOL(media_event, SCSIDisk),
    VMSTATE_BOOL(eject_request, SCSIDisk),
    VMSTATE_BOOL(media_changed, SCSIDisk),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_scsi_disk = {
    .name = "scsi-disk",
    .version_id = 1,
    .fields = vmstate_scsi_disk_fields,
};

static const SCSIDeviceClass scsi_hd_class = {
    .parent = {
        .name = "scsi-hd",
        .parent = &scsi_device_class.parent,
        .desc = "virtual SCSI disk",
        .category = DEVICE_CATEGORY_STORAGE,
        .instance_size = sizeof(SCSIDisk),
        .props = scsi_hd_props,
        .realize = scsi_hd_realize,
        .unrealize = disk_unrealize,
        .reset = disk_reset,
        .vmsd = &vmstate_scsi_disk,
    },
    .execute = disk_execute,
    .unit_reset = disk_unit_reset,
    .unit_attention_reported = disk_unit_attention_reported,
};

static const SCSIDeviceClass scsi_cd_class = {
    .parent = {
        .name = "scsi-cd",
        .parent = &scsi_device_class.parent,
        .desc = "virtual SCSI CD-ROM",
        .category = DEVICE_CATEGORY_STORAGE,
        .instance_size = sizeof(SCSIDisk),
        .props = scsi_cd_props,
        .realize = scsi_cd_realize,
        .unrealize = disk_unrealize,
        .reset = disk_reset,
        .vmsd = &vmstate_scsi_disk,
    },
    .execute = disk_execute,
    .unit_reset = disk_unit_reset,
    .unit_attention_reported = disk_unit_attention_reported,
};

static void scsi_disk_register(void)
{
    qdev_register_type(&scsi_hd_class.parent);
    qdev_register_type(&scsi_cd_class.parent);
}

module_init(scsi_disk_register)

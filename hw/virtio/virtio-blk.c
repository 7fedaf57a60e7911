/*
 * virtio-blk-pci (virtio 1.0, 5.2): block requests from the guest's queues
 * run asynchronously on the drive's BlockBackend, completed in the main loop.
 */
#include "hw/qdev-state.h"
#include "hw/virtio/virtio-pci.h"
#include "block/block-backend.h"
#include "exec/guest-memory.h"
#include "hw/boards.h"
#include "hw/qdev-monitor.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"
#include "sysemu/sysemu.h"

/* Feature bits (virtio 1.0, 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_F_MQ 12
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status (virtio 1.0, 5.2.6). */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
/* The legacy ordering flag: SLOF sets it on every request (virtio 0.9.5, 2.3.5.4). */
#define VIRTIO_BLK_T_BARRIER 0x80000000u
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1
#define VIRTIO_BLK_ID_BYTES 20

/* struct virtio_blk_config, up to write_zeroes_may_unmap (what QEMU 7.2 exposes). */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX 12
#define CFG_CYLINDERS 16
#define CFG_HEADS 18
#define CFG_SECTORS 19
#define CFG_BLK_SIZE 20
#define CFG_PHYS_EXP 24
#define CFG_ALIGN_OFF 25
#define CFG_MIN_IO 26
#define CFG_OPT_IO 28
#define CFG_WCE 32
#define CFG_NUM_QUEUES 34
#define CFG_MAX_DISCARD_SECTORS 36
#define CFG_MAX_DISCARD_SEG 40
#define CFG_DISCARD_ALIGN 44
#define CFG_MAX_WZ_SECTORS 48
#define CFG_MAX_WZ_SEG 52
#define CFG_WZ_MAY_UNMAP 56
#define CFG_SIZE 57

#define BDRV_REQUEST_MAX_SECTORS 4194303u
/* A host readv/writev takes at most this many vectors (Linux's UIO_MAXIOV). */
#define BLK_MAX_IOV 1024
#define NUM_QUEUES_AUTO 0xffff

typedef struct VirtIOBlkPCI {
    VirtIOPCIProxy proxy;
    struct DriveInfo *drive;
    BlockBackend *blk;
    char *serial;
    uint64_t logical_block_size, physical_block_size;
    uint16_t num_queues, queue_size;
    bool config_wce, discard, write_zeroes, seg_max_adjust;
    bool share_rw; /* others may write the image too */
    uint32_t max_discard_sectors, max_write_zeroes_sectors;
    uint32_t cyls, heads, secs;
    int32_t bootindex; /* -1: none; else its place in the firmware's boot list */
    uint64_t sectors;  /* capacity in 512-byte sectors */
} VirtIOBlkPCI;

typedef struct VirtIOBlockReq {
    VirtQueueElement elem; /* first: virtqueue_pop allocates the request */
    VirtIOBlkPCI *s;
    VirtQueue *vq;
    uint32_t type;
    uint64_t len;
    /* The data: guest RAM in place (iovs), else a bounce buffer (buf, iov). */
    struct iovec *iovs;
    int niov;
    uint8_t *buf;
    struct iovec iov;
} VirtIOBlockReq;

static VirtIOBlkPCI *blk_of(VirtIODevice *vdev)
{
    return (VirtIOBlkPCI *)virtio_pci_proxy(vdev);
}

static void blk_req_free(VirtIOBlockReq *r)
{
    g_free(r->buf);
    g_free(r->iovs);
    virtqueue_elem_free(&r->elem);
}

static void blk_req_complete(VirtIOBlockReq *r, uint8_t status)
{
    VirtIODevice *vdev = r->vq->vdev;

    if (virtqueue_elem_write(r->vq, &r->elem, r->elem.in_len - 1, &status, 1)) {
        virtqueue_push(r->vq, &r->elem, r->elem.in_len);
        virtio_notify(vdev, r->vq);
    }
    blk_req_free(r);
}

/*
 * The host wrote guest RAM in place: report the segments (the CPU forgets code
 * translated from them) before the driver sees the request done.
 */
static void blk_note_written(VirtIOBlockReq *r)
{
    uint64_t left = r->len;

    for (unsigned i = 0; i < r->elem.in_num && left; i++) {
        uint64_t n = MIN(left, r->elem.in_sg[i].len);

        guest_ram_note_write(r->elem.in_sg[i].addr, n);
        left -= n;
    }
}

static void blk_rw_done(void *opaque, int ret)
{
    VirtIOBlockReq *r = opaque;

    if (ret == 0 && r->type == VIRTIO_BLK_T_IN) {
        if (r->iovs) {
            blk_note_written(r);
        } else if (!virtqueue_elem_write(r->vq, &r->elem, 0, r->buf, r->len)) {
            blk_req_free(r);
            return;
        }
    }
    blk_req_complete(r, ret ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK);
}

/*
 * len bytes of the segments sg[0..n), from byte skip, as host vectors into guest
 * RAM (the transport allows it for every piece); false: use a bounce buffer.
 */
static bool blk_map(VirtIOBlockReq *r, const VirtQueueSeg *sg, unsigned n, uint64_t skip,
                    uint64_t len)
{
    VirtIODevice *vdev = r->vq->vdev;

    if (!vdev->tops->map || n > BLK_MAX_IOV) {
        return false;
    }
    r->iovs = g_new(struct iovec, MAX(n, 1));
    r->niov = 0;
    for (unsigned i = 0; i < n && len; i++) {
        uint64_t chunk;
        void *p;

        if (skip >= sg[i].len) {
            skip -= sg[i].len;
            continue;
        }
        chunk = MIN(len, sg[i].len - skip);
        p = vdev->tops->map(vdev->topaque, sg[i].addr + skip, chunk);
        if (!p) {
            g_clear_pointer(&r->iovs, g_free);
            return false;
        }
        r->iovs[r->niov].iov_base = p;
        r->iovs[r->niov].iov_len = chunk;
        r->niov++;
        len -= chunk;
        skip = 0;
    }
    return true;
}

/* A byte range the guest names in sectors: inside the disk and in whole logical blocks. */
/*
 * block_resize: the capacity in config space changes and the driver gets a
 * configuration-change interrupt (the config vector, or ISR bit 1 on INTx),
 * as QEMU's; Linux then re-reads the capacity and logs the change.
 */
static void blk_get_config(VirtIODevice *vdev);

static void blk_resize_cb(void *opaque)
{
    VirtIOBlkPCI *s = opaque;
    int64_t len = blk_getlength(s->blk);

    if (len >= 0) {
        s->sectors = (uint64_t)len / 512;
    }
    blk_get_config(&s->proxy.vdev);
    virtio_notify_config(&s->proxy.vdev);
}

static const BlockDevOps blk_dev_ops = {
    .resize_cb = blk_resize_cb,
};

static bool blk_range_ok(VirtIOBlkPCI *s, uint64_t sector, uint64_t bytes)
{
    uint64_t lbs = s->logical_block_size;

    if ((sector * 512) % lbs || bytes % lbs) {
        return false;
    }
    return sector <= s->sectors && bytes / 512 <= s->sectors - sector;
}

/* One discard or write-zeroes segment: {le64 sector, le32 num_sectors, le32 flags}. */
static void blk_handle_dwz(VirtIOBlkPCI *s, VirtIOBlockReq *r)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    bool dis = r->type == VIRTIO_BLK_T_DISCARD;
    uint8_t seg[16];
    uint64_t sector;
    uint32_t num, flags;

    if (r->elem.out_len - 16 != sizeof(seg)) {
        /* QEMU 7.2 takes one segment (max_*_seg is 1). */
        blk_req_complete(r, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    if (!virtqueue_elem_read(r->vq, &r->elem, 16, seg, sizeof(seg))) {
        virtqueue_elem_free(&r->elem);
        return;
    }
    sector = virtio_ldq_p(vdev, seg);
    num = virtio_ldl_p(vdev, seg + 8);
    flags = virtio_ldl_p(vdev, seg + 12);
    if (flags & ~(dis ? 0u : VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)) {
        blk_req_complete(r, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    if (num > (dis ? s->max_discard_sectors : s->max_write_zeroes_sectors) ||
        !blk_range_ok(s, sector, (uint64_t)num * 512)) {
        blk_req_complete(r, VIRTIO_BLK_S_IOERR);
        return;
    }
    if (dis) {
        blk_aio_pdiscard(s->blk, sector * 512, (int64_t)num * 512, blk_rw_done, r);
    } else {
        blk_aio_pwrite_zeroes(s->blk, sector * 512, (int64_t)num * 512, blk_rw_done, r);
    }
}

static void blk_handle_req(VirtIOBlkPCI *s, VirtIOBlockReq *r)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    uint8_t hdr[16];
    uint64_t sector;
    uint32_t type;

    if (r->elem.out_len < sizeof(hdr) || r->elem.in_len < 1) {
        virtio_error(vdev, "virtio-blk missing headers");
        virtqueue_elem_free(&r->elem);
        return;
    }
    if (!virtqueue_elem_read(r->vq, &r->elem, 0, hdr, sizeof(hdr))) {
        virtqueue_elem_free(&r->elem);
        return;
    }
    type = virtio_ldl_p(vdev, hdr);
    sector = virtio_ldq_p(vdev, hdr + 8);
    /*
     * As QEMU 7.2: the barrier flag is ignored, and the low bit (OUT) only gives the
     * direction, so a type is recognised with that bit cleared (FLUSH_OUT is a flush,
     * GET_ID with the bit set still reads the id).
     */
    switch (type & ~(VIRTIO_BLK_T_OUT | VIRTIO_BLK_T_BARRIER)) {
    case VIRTIO_BLK_T_IN:
        r->type = type & VIRTIO_BLK_T_OUT;
        r->len = r->type == VIRTIO_BLK_T_IN ? r->elem.in_len - 1 : r->elem.out_len - sizeof(hdr);
        if (!blk_range_ok(s, sector, r->len)) {
            blk_req_complete(r, VIRTIO_BLK_S_IOERR);
            return;
        }
        /* The data after the header, or before the status byte, in place when it can be. */
        if (r->type == VIRTIO_BLK_T_IN
                ? blk_map(r, r->elem.in_sg, r->elem.in_num, 0, r->len)
                : blk_map(r, r->elem.out_sg, r->elem.out_num, sizeof(hdr), r->len)) {
            if (r->type == VIRTIO_BLK_T_IN) {
                blk_aio_preadv(s->blk, sector * 512, r->iovs, r->niov, blk_rw_done, r);
            } else {
                blk_aio_pwritev(s->blk, sector * 512, r->iovs, r->niov, blk_rw_done, r);
            }
            return;
        }
        r->buf = g_try_malloc(r->len ? r->len : 1);
        if (!r->buf) {
            blk_req_complete(r, VIRTIO_BLK_S_IOERR);
            return;
        }
        r->iov.iov_base = r->buf;
        r->iov.iov_len = r->len;
        if (r->type == VIRTIO_BLK_T_IN) {
            blk_aio_preadv(s->blk, sector * 512, &r->iov, 1, blk_rw_done, r);
            return;
        }
        if (!virtqueue_elem_read(r->vq, &r->elem, sizeof(hdr), r->buf, r->len)) {
            blk_req_free(r);
            return;
        }
        blk_aio_pwritev(s->blk, sector * 512, &r->iov, 1, blk_rw_done, r);
        return;
    case VIRTIO_BLK_T_FLUSH:
        r->type = VIRTIO_BLK_T_FLUSH;
        blk_aio_flush(s->blk, blk_rw_done, r);
        return;
    case VIRTIO_BLK_T_GET_ID: {
        char id[VIRTIO_BLK_ID_BYTES] = { 0 };

        r->type = VIRTIO_BLK_T_GET_ID;
        if (s->serial) {
            memcpy(id, s->serial, MIN(strlen(s->serial), sizeof(id)));
        }
        if (!virtqueue_elem_write(r->vq, &r->elem, 0, id, MIN(r->elem.in_len - 1, sizeof(id)))) {
            virtqueue_elem_free(&r->elem);
            return;
        }
        blk_req_complete(r, VIRTIO_BLK_S_OK);
        return;
    }
    case VIRTIO_BLK_T_DISCARD & ~VIRTIO_BLK_T_OUT:
    case VIRTIO_BLK_T_WRITE_ZEROES & ~VIRTIO_BLK_T_OUT:
        /*
         * Both types have the OUT bit; without it the request is unsupported. Only the
         * exact WRITE_ZEROES type writes zeroes, the rest of the pair discards.
         */
        r->type = (type & ~VIRTIO_BLK_T_BARRIER) == VIRTIO_BLK_T_WRITE_ZEROES
                      ? VIRTIO_BLK_T_WRITE_ZEROES
                      : VIRTIO_BLK_T_DISCARD;
        if ((type & VIRTIO_BLK_T_OUT) &&
            virtio_vdev_has_feature(vdev, r->type == VIRTIO_BLK_T_DISCARD
                                              ? VIRTIO_BLK_F_DISCARD
                                              : VIRTIO_BLK_F_WRITE_ZEROES)) {
            blk_handle_dwz(s, r);
            return;
        }
        break;
    }
    blk_req_complete(r, VIRTIO_BLK_S_UNSUPP);
}

static void blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlkPCI *s = blk_of(vdev);
    VirtIOBlockReq *r;

    while ((r = virtqueue_pop(vq, sizeof(VirtIOBlockReq)))) {
        r->s = s;
        r->vq = vq;
        blk_handle_req(s, r);
    }
}

/* ---- Configuration ------------------------------------------------------------- */

static void blk_get_config(VirtIODevice *vdev)
{
    VirtIOBlkPCI *s = blk_of(vdev);
    uint8_t *c = vdev->config;
    unsigned exp = 0;

    while ((s->logical_block_size << exp) < s->physical_block_size) {
        exp++;
    }
    memset(c, 0, CFG_SIZE);
    virtio_stq_p(vdev, c + CFG_CAPACITY, s->sectors);
    virtio_stl_p(vdev, c + CFG_SEG_MAX, s->seg_max_adjust ? s->queue_size - 2 : 128 - 2);
    virtio_stw_p(vdev, c + CFG_CYLINDERS, s->cyls);
    c[CFG_HEADS] = s->heads;
    c[CFG_SECTORS] = s->secs;
    virtio_stl_p(vdev, c + CFG_BLK_SIZE, s->logical_block_size);
    c[CFG_PHYS_EXP] = exp;
    c[CFG_WCE] = blk_enable_write_cache(s->blk);
    virtio_stw_p(vdev, c + CFG_NUM_QUEUES, s->num_queues);
    virtio_stl_p(vdev, c + CFG_MAX_DISCARD_SECTORS, s->max_discard_sectors);
    virtio_stl_p(vdev, c + CFG_MAX_DISCARD_SEG, 1);
    virtio_stl_p(vdev, c + CFG_DISCARD_ALIGN, s->logical_block_size / 512);
    virtio_stl_p(vdev, c + CFG_MAX_WZ_SECTORS, s->max_write_zeroes_sectors);
    virtio_stl_p(vdev, c + CFG_MAX_WZ_SEG, 1);
    c[CFG_WZ_MAY_UNMAP] = 1;
}

/* The driver may switch the write cache with CONFIG_WCE (the only writable field). */
static void blk_set_config(VirtIODevice *vdev, uint32_t off, unsigned len)
{
    VirtIOBlkPCI *s = blk_of(vdev);

    if (off <= CFG_WCE && off + len > CFG_WCE &&
        virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        blk_set_enable_write_cache(s->blk, vdev->config[CFG_WCE] != 0);
    }
}

static void blk_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOBlkPCI *s = blk_of(vdev);

    /* A driver that cannot flush gets a write-through cache (virtio 1.0, 5.2.5.1). */
    if (!virtio_has_feature(features, VIRTIO_BLK_F_CONFIG_WCE)) {
        blk_set_enable_write_cache(s->blk, virtio_has_feature(features, VIRTIO_BLK_F_FLUSH));
    }
}

static void blk_reset(VirtIODevice *vdev)
{
    VirtIOBlkPCI *s = blk_of(vdev);

    /* Requests in flight complete (into the old ring) before the queues forget it. */
    blk_drain(s->blk);
}

/* QEMU's guess for a disk without a partition table: 16 heads, 63 sectors. */
static void blk_guess_geometry(VirtIOBlkPCI *s)
{
    if (!s->heads || !s->secs || !s->cyls) {
        s->heads = 16;
        s->secs = 63;
        s->cyls = MIN(MAX(s->sectors / (16 * 63), 2), 16383);
    }
}

static bool blk_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIOBlkPCI *s = (VirtIOBlkPCI *)p;
    VirtIODevice *vdev = &p->vdev;
    char *err = NULL;

    if (!s->drive) {
        error_setg(errp, "drive property not set");
        return false;
    }
    if (!drive_has_medium(s->drive)) {
        error_setg(errp, "Device needs media, but drive is empty");
        return false;
    }
    s->blk = drive_get_blk(s->drive);
    if (s->logical_block_size < 512 || s->logical_block_size > 2 * 1024 * 1024 ||
        (s->logical_block_size & (s->logical_block_size - 1))) {
        error_setg(errp,
                   "Property virtio-blk-device.logical_block_size doesn't take value '%" PRIu64
                   "' (must be a power of 2 between 512 and 2097152)",
                   s->logical_block_size);
        return false;
    }
    if (!s->physical_block_size) {
        s->physical_block_size = s->logical_block_size;
    }
    if (s->physical_block_size < s->logical_block_size ||
        (s->physical_block_size & (s->physical_block_size - 1))) {
        error_setg(errp, "logical_block_size > physical_block_size not supported");
        return false;
    }
    if (s->num_queues == NUM_QUEUES_AUTO) {
        /* QEMU 7.2's default: one queue per vCPU. */
        s->num_queues = 1;
        if (current_machine && current_machine->ops->cpu_count) {
            s->num_queues = MAX(current_machine->ops->cpu_count(current_machine), 1);
        }
        s->num_queues = MIN(s->num_queues, VIRTIO_QUEUE_MAX - 1);
    }
    if (s->num_queues == 0 || s->num_queues > VIRTIO_QUEUE_MAX) {
        error_setg(errp, "num-queues property must be larger than 0");
        return false;
    }
    if (s->queue_size <= 2 || s->queue_size > VIRTQUEUE_MAX_SIZE ||
        (s->queue_size & (s->queue_size - 1))) {
        error_setg(errp,
                   "invalid queue-size property (%" PRIu16 "), must be a power of 2 "
                   "(e.g. 256) and between 3 and %d",
                   s->queue_size, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    /* QEMU's permissions: write unless read-only; others may not write unless share-rw. */
    if (!drive_set_perm(s->drive,
                        BLK_PERM_CONSISTENT_READ | (drive_read_only(s->drive) ? 0 : BLK_PERM_WRITE),
                        BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED | BLK_PERM_RESIZE |
                            (s->share_rw ? BLK_PERM_WRITE : 0),
                        &err)) {
        error_setg(errp, "%s", err);
        g_free(err);
        return false;
    }
    s->sectors = (uint64_t)blk_getlength(s->blk) / 512;
    blk_guess_geometry(s);
    blk_iostatus_enable(s->blk);
    blk_set_dev_ops(s->blk, &blk_dev_ops, s);

    virtio_init(vdev, "virtio-blk", VIRTIO_ID_BLOCK, CFG_SIZE);
    vdev->host_features |= 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_GEOMETRY |
                           1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_FLUSH |
                           1ull << VIRTIO_BLK_F_TOPOLOGY;
    if (s->config_wce) {
        vdev->host_features |= 1ull << VIRTIO_BLK_F_CONFIG_WCE;
    }
    if (drive_read_only(s->drive)) {
        vdev->host_features |= 1ull << VIRTIO_BLK_F_RO;
    }
    if (s->num_queues > 1) {
        vdev->host_features |= 1ull << VIRTIO_BLK_F_MQ;
    }
    if (s->discard) {
        vdev->host_features |= 1ull << VIRTIO_BLK_F_DISCARD;
    }
    if (s->write_zeroes) {
        vdev->host_features |= 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
    }
    vdev->get_config = blk_get_config;
    vdev->set_config = blk_set_config;
    vdev->set_features = blk_set_features;
    vdev->reset = blk_reset;
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_add_queue(vdev, s->queue_size, blk_handle_output);
    }
    if (p->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        p->nvectors = s->num_queues + 1;
    }
    blk_get_config(vdev);
    if (!boot_index_add(s->bootindex, &p->pci.qdev, NULL, errp)) {
        /* The drive must not call back into a device that was never realized. */
        blk_set_dev_ops(s->blk, NULL, NULL);
        return false;
    }
    return true;
}

static void blk_vdev_unrealize(VirtIOPCIProxy *p)
{
    VirtIOBlkPCI *s = (VirtIOBlkPCI *)p;

    if (s->blk) {
        blk_drain(s->blk);
        blk_set_dev_ops(s->blk, NULL, NULL);
    }
    boot_index_del(&p->pci.qdev);
}

static const Property virtio_blk_props[] = {
    DEFINE_PROP_DRIVE("drive", VirtIOBlkPCI, drive),
    DEFINE_PROP_BOOL("share-rw", VirtIOBlkPCI, share_rw, false),
    DEFINE_PROP_STRING("serial", VirtIOBlkPCI, serial),
    DEFINE_PROP_SIZE("logical_block_size", VirtIOBlkPCI, logical_block_size, 512),
    DEFINE_PROP_SIZE("physical_block_size", VirtIOBlkPCI, physical_block_size, 0),
    DEFINE_PROP_UINT32("cyls", VirtIOBlkPCI, cyls, 0),
    DEFINE_PROP_UINT32("heads", VirtIOBlkPCI, heads, 0),
    DEFINE_PROP_UINT32("secs", VirtIOBlkPCI, secs, 0),
    DEFINE_PROP_INT32("bootindex", VirtIOBlkPCI, bootindex, -1),
    DEFINE_PROP_BOOL("config-wce", VirtIOBlkPCI, config_wce, true),
    DEFINE_PROP_UINT16("num-queues", VirtIOBlkPCI, num_queues, NUM_QUEUES_AUTO),
    DEFINE_PROP_UINT16("queue-size", VirtIOBlkPCI, queue_size, 256),
    DEFINE_PROP_BOOL("seg-max-adjust", VirtIOBlkPCI, seg_max_adjust, true),
    DEFINE_PROP_BOOL("discard", VirtIOBlkPCI, discard, true),
    DEFINE_PROP_BOOL("write-zeroes", VirtIOBlkPCI, write_zeroes, true),
    DEFINE_PROP_UINT32("max-discard-sectors", VirtIOBlkPCI, max_discard_sectors,
                       BDRV_REQUEST_MAX_SECTORS),
    DEFINE_PROP_UINT32("max-write-zeroes-sectors", VirtIOBlkPCI, max_write_zeroes_sectors,
                       BDRV_REQUEST_MAX_SECTORS),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Migration: the transport and the virtio core hold all of it.  Requests
 * in flight are not in the stream: migration drains the block layer first,
 * so each has completed into the used ring (guest RAM) on the source.
 */
static bool blk_post_load(DeviceState *dev, Error **errp)
{
    VirtIOBlkPCI *s = (VirtIOBlkPCI *)dev;
    VirtIODevice *vdev = &s->proxy.vdev;

    if (!virtio_pci_check_loaded(&s->proxy, errp)) {
        return false;
    }
    virtio_pci_post_load(&s->proxy);
    /* The write cache the driver chose through the configuration space. */
    if (virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        blk_set_enable_write_cache(s->blk, vdev->config[CFG_WCE] != 0);
    }
    return true;
}

static const VMStateField vmstate_virtio_blk_fields[] = {
    VMSTATE_STRUCT(proxy, VirtIOBlkPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_blk = {
    .name = "virtio-blk",
    .version_id = 1,
    .fields = vmstate_virtio_blk_fields,
    .post_load = blk_post_load,
};

static const VirtIOPCIClass virtio_blk_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-blk-pci",
            .alias = "virtio-blk",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_STORAGE,
            .instance_size = sizeof(VirtIOBlkPCI),
            .props = virtio_blk_props,
            .vmsd = &vmstate_virtio_blk,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_BLOCK,
        .class_id = PCI_CLASS_STORAGE_SCSI,
    },
    .virtio_id = VIRTIO_ID_BLOCK,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_BLOCK,
    .vdev_realize = blk_vdev_realize,
    .vdev_unrealize = blk_vdev_unrealize,
};

void virtio_blk_add_drives(void)
{
    for (int unit = 0; unit < 256; unit++) {
        DriveInfo *d = drive_get(IF_VIRTIO, unit);
        g_autofree char *arg = NULL;
        Error *err = NULL;

        if (!d) {
            continue;
        }
        arg = g_strdup_printf("virtio-blk-pci,drive=%s", drive_id(d));
        /* QEMU names the -drive in its device's errors. */
        if (drive_arg(d)) {
            loc_set_cmdline("-drive", drive_arg(d));
        }
        if (!qdev_device_add_str(arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        loc_clear();
    }
}

static void virtio_blk_register(void)
{
    qdev_register_type(&virtio_blk_pci_class.parent.parent);
}

module_init(virtio_blk_register)

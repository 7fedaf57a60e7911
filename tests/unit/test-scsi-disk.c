/*
 * scsi-hd and scsi-cd behind a test adapter (hw/scsi): the replies Linux's
 * sd/sr drivers read, sense data for bad CDBs and ranges, and random CDBs
 * that must never crash, overflow the initiator's buffer or leave the image.
 */
#include "hw/scsi/scsi.h"
#include "block/block-backend.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"

#include <glib.h>
#include <glib/gstdio.h>

#define IMG_SIZE (1024 * 1024) /* 2048 blocks of 512 bytes */
#define CD_SIZE (64 * 2048)
#define BUF_MAX (128 * 1024)

/* What the test adapter saw of one request. */
typedef struct Result {
    bool done;
    uint8_t status;
    uint8_t sense[SCSI_SENSE_LEN];
    unsigned sense_len;
    uint64_t moved;
    bool host_error, overrun, cancelled;
} Result;

typedef struct Hba {
    uint8_t *in;  /* the initiator's data-in buffer */
    uint8_t *out; /* its data-out buffer */
    uint64_t in_len, out_len;
    unsigned data_in_calls;
    Result res;
} Hba;

static Hba hba;
static SCSIBus *bus;
static char *img_path, *cd_path;

static bool hba_data_in(SCSIRequest *req, uint64_t off, const void *buf, size_t len)
{
    /* The unit never writes past the buffer the adapter gave it. */
    g_assert_cmpuint(off + len, <=, req->in_len);
    memcpy(hba.in + off, buf, len);
    hba.data_in_calls++;
    return true;
}

static bool hba_data_out(SCSIRequest *req, uint64_t off, void *buf, size_t len)
{
    g_assert_cmpuint(off + len, <=, req->out_len);
    memcpy(buf, hba.out + off, len);
    return true;
}

static void hba_complete(SCSIRequest *req)
{
    g_assert_false(hba.res.done);
    hba.res.done = true;
    hba.res.status = req->status;
    memcpy(hba.res.sense, req->sense, SCSI_SENSE_LEN);
    hba.res.sense_len = req->sense_len;
    hba.res.moved = req->moved;
    hba.res.host_error = req->host_error;
    hba.res.overrun = req->overrun;
    hba.res.cancelled = req->cancelled;
}

static const SCSIBusInfo hba_info = {
    .max_channel = 0,
    .max_target = 7,
    .max_lun = 7,
    .tcq = true,
    .data_in = hba_data_in,
    .data_out = hba_data_out,
    .complete = hba_complete,
};

static const DeviceClass test_hba_class = {
    .name = "test-scsi-hba",
    .instance_size = sizeof(DeviceState),
};

/* Send a CDB to target/lun with the given buffers and wait for its completion. */
static Result *cmd_len(unsigned id, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                       uint64_t in_len, uint64_t out_len)
{
    SCSIDevice *dev = scsi_device_find(bus, 0, id, lun);
    SCSIRequest *req;

    g_assert_nonnull(dev);
    memset(&hba.res, 0, sizeof(hba.res));
    memset(hba.in, 0xee, BUF_MAX);
    hba.data_in_calls = 0;
    hba.in_len = in_len;
    hba.out_len = out_len;
    req = scsi_req_new(dev, lun, 1, cdb, cdb_len, NULL);
    req->in_len = in_len;
    req->out_len = out_len;
    scsi_req_submit(req);
    for (int i = 0; i < 100 && !hba.res.done; i++) {
        blk_drain_all();
    }
    g_assert_true(hba.res.done);
    return &hba.res;
}

static Result *cmd(unsigned id, const uint8_t *cdb, size_t cdb_len, uint64_t in_len)
{
    return cmd_len(id, 0, cdb, cdb_len, in_len, 0);
}

static void assert_sense(const Result *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    g_assert_cmpuint(r->status, ==, SCSI_STATUS_CHECK_CONDITION);
    g_assert_cmpuint(r->sense_len, ==, 18);
    g_assert_cmphex(r->sense[0], ==, 0x70);
    g_assert_cmphex(r->sense[2], ==, key);
    g_assert_cmphex(r->sense[7], ==, 10);
    g_assert_cmphex(r->sense[12], ==, asc);
    g_assert_cmphex(r->sense[13], ==, ascq);
}

static void assert_good(const Result *r)
{
    g_assert_cmpuint(r->status, ==, SCSI_STATUS_GOOD);
    g_assert_false(r->host_error);
}

static char *make_image(const char *name, size_t size, uint8_t seed)
{
    g_autofree uint8_t *data = g_malloc(size);
    char *path = NULL;
    int fd = g_file_open_tmp(name, &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)(i / 512 * 7 + i + seed);
    }
    g_assert_true(g_file_set_contents(path, (char *)data, size, NULL));
    return path;
}

static void add_unit(const char *type, const char *drive, int id, int lun)
{
    DeviceState *dev = qdev_new(type);

    if (drive) {
        g_assert_true(qdev_prop_set_text(dev, "drive", drive, &error_abort));
    }
    qdev_prop_set_int32(dev, "scsi-id", id);
    qdev_prop_set_int32(dev, "lun", lun);
    g_assert_true(qdev_realize_and_unref(dev, &bus->qbus, &error_abort));
}

/* Target 0: scsi-hd on hd0 (LUN 0) and on hd1 (LUN 3); target 1: scsi-cd on cd0; target 2: an empty scsi-cd. */
static void setup(void)
{
    static bool drives;
    DeviceState *hbadev;
    char *err = NULL;

    if (!drives) {
        g_autofree char *a = NULL, *b = NULL, *c = NULL;
        g_autofree char *hd1 = make_image("scsi-hd1-XXXXXX", IMG_SIZE, 3);

        img_path = make_image("scsi-hd-XXXXXX", IMG_SIZE, 0);
        cd_path = make_image("scsi-cd-XXXXXX", CD_SIZE, 1);
        a = g_strdup_printf("if=none,id=hd0,format=raw,file=%s", img_path);
        b = g_strdup_printf("if=none,id=cd0,format=raw,media=cdrom,file=%s", cd_path);
        c = g_strdup_printf("if=none,id=hd1,format=raw,file=%s", hd1);
        g_assert_nonnull(drive_new(a, &err));
        g_assert_nonnull(drive_new(b, &err));
        g_assert_nonnull(drive_new(c, &err));
        g_unlink(hd1);
        drives = true;
    }
    qdev_tree_reset();
    hbadev = qdev_new("test-scsi-hba");
    g_assert_true(qdev_realize_and_unref(hbadev, NULL, &error_abort));
    bus = scsi_bus_new(hbadev, "hba.0", &hba_info, NULL);
    add_unit("scsi-hd", "hd0", 0, 0);
    add_unit("scsi-hd", "hd1", 0, 3);
    add_unit("scsi-cd", "cd0", 1, 0);
    add_unit("scsi-cd", NULL, 2, 0);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* ---- Replies ------------------------------------------------------------------------------ */

static void test_inquiry(void)
{
    Result *r;

    setup();
    r = cmd(0, (uint8_t[]){ 0x12, 0, 0, 0, 96, 0 }, 6, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 96);
    g_assert_cmphex(hba.in[0], ==, 0x00);
    g_assert_cmphex(hba.in[1], ==, 0x00);
    g_assert_cmphex(hba.in[2], ==, 5);
    g_assert_cmphex(hba.in[3], ==, 0x12);
    g_assert_cmphex(hba.in[4], ==, 91);
    g_assert_cmphex(hba.in[7], ==, 0x12);
    g_assert_cmpmem(&hba.in[8], 28, "QEMU    QEMU HARDDISK   2.5+", 28);
    /* A short allocation length: the additional length still says 31. */
    r = cmd(0, (uint8_t[]){ 0x12, 0, 0, 0, 5, 0 }, 6, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 5);
    g_assert_cmphex(hba.in[4], ==, 31);
    g_assert_cmphex(hba.in[5], ==, 0xee);
    /* The CD drive: type 5, removable. */
    r = cmd(1, (uint8_t[]){ 0x12, 0, 0, 0, 36, 0 }, 6, BUF_MAX);
    g_assert_cmphex(hba.in[0], ==, 0x05);
    g_assert_cmphex(hba.in[1], ==, 0x80);
    g_assert_cmpmem(&hba.in[16], 16, "QEMU CD-ROM     ", 16);
    /* The initiator's buffer is smaller than the allocation length: it bounds the transfer. */
    r = cmd(0, (uint8_t[]){ 0x12, 0, 0, 0, 96, 0 }, 6, 10);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 10);
    /* A page code without EVPD, an unknown VPD page. */
    assert_sense(cmd(0, (uint8_t[]){ 0x12, 0, 0x83, 0, 96, 0 }, 6, BUF_MAX), 5, 0x24, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0x12, 1, 0x99, 0, 96, 0 }, 6, BUF_MAX), 5, 0x24, 0);
    assert_sense(cmd(1, (uint8_t[]){ 0x12, 1, 0xb0, 0, 96, 0 }, 6, BUF_MAX), 5, 0x24, 0);
    qdev_tree_reset();
}

static void test_vpd(void)
{
    Result *r;

    setup();
    r = cmd(0, (uint8_t[]){ 0x12, 1, 0x00, 0, 255, 0 }, 6, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 9);
    g_assert_cmpmem(hba.in, 9, ((uint8_t[]){ 0, 0, 0, 5, 0x00, 0x83, 0xb0, 0xb1, 0xb2 }), 9);
    /* Device identification: the drive's id in ASCII. */
    r = cmd(0, (uint8_t[]){ 0x12, 1, 0x83, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 4 + 4 + 3);
    g_assert_cmpmem(hba.in, 11, ((uint8_t[]){ 0, 0x83, 0, 7, 2, 0, 0, 3, 'h', 'd', '0' }), 11);
    /* Block limits: 0x3c bytes; maximum transfer 0x7fffffff / 512; unmap limits. */
    r = cmd(0, (uint8_t[]){ 0x12, 1, 0xb0, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 64);
    g_assert_cmphex(hba.in[3], ==, 0x3c);
    g_assert_cmphex(hba.in[4], ==, 1);
    g_assert_cmpuint(be32(&hba.in[8]), ==, 0x7fffffff / 512);
    g_assert_cmpuint(be32(&hba.in[20]), ==, 1024 * 1024 * 1024 / 512);
    g_assert_cmpuint(be32(&hba.in[24]), ==, 255);
    g_assert_cmpuint(be32(&hba.in[28]), ==, 8);
    r = cmd(0, (uint8_t[]){ 0x12, 1, 0xb2, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmpmem(hba.in, 8, ((uint8_t[]){ 0, 0xb2, 0, 4, 0, 0xe0, 2, 0 }), 8);
    r = cmd(0, (uint8_t[]){ 0x12, 1, 0xb1, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 64);
    /* No serial: page 0x80 does not exist. */
    assert_sense(cmd(0, (uint8_t[]){ 0x12, 1, 0x80, 0, 255, 0 }, 6, BUF_MAX), 5, 0x24, 0);
    qdev_tree_reset();
}

static void test_capacity(void)
{
    Result *r;

    setup();
    r = cmd(0, (uint8_t[]){ 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 8);
    g_assert_cmpuint(be32(hba.in), ==, IMG_SIZE / 512 - 1);
    g_assert_cmpuint(be32(&hba.in[4]), ==, 512);
    r = cmd(0, (uint8_t[]){ 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 }, 16, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 32);
    g_assert_cmpuint(be32(hba.in), ==, 0);
    g_assert_cmpuint(be32(&hba.in[4]), ==, IMG_SIZE / 512 - 1);
    g_assert_cmpuint(be32(&hba.in[8]), ==, 512);
    g_assert_cmphex(hba.in[14], ==, 0x80);
    /* The CD: 2048-byte blocks. */
    r = cmd(1, (uint8_t[]){ 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 10, BUF_MAX);
    g_assert_cmpuint(be32(hba.in), ==, CD_SIZE / 2048 - 1);
    g_assert_cmpuint(be32(&hba.in[4]), ==, 2048);
    qdev_tree_reset();
}

static void test_mode_sense(void)
{
    Result *r;

    setup();
    /* MODE SENSE(6), all pages: header, block descriptor, pages 1, 4, 5, 8. */
    r = cmd(0, (uint8_t[]){ 0x1a, 0, 0x3f, 0, 255, 0 }, 6, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 4 + 8 + 12 + 24 + 32 + 20);
    g_assert_cmphex(hba.in[0], ==, r->moved - 1);
    g_assert_cmphex(hba.in[2], ==, 0);
    g_assert_cmphex(hba.in[3], ==, 8);
    g_assert_cmpuint(hba.in[5] << 16 | hba.in[6] << 8 | hba.in[7], ==, IMG_SIZE / 512);
    g_assert_cmphex(hba.in[12], ==, 0x01);
    g_assert_cmphex(hba.in[24], ==, 0x04);
    g_assert_cmphex(hba.in[48], ==, 0x05);
    g_assert_cmphex(hba.in[80], ==, 0x08);
    g_assert_cmphex(hba.in[81], ==, 0x12);
    g_assert_cmphex(hba.in[82], ==, 0x04); /* WCE: cache=writeback */
    /* MODE SENSE(10), caching page, no block descriptor. */
    r = cmd(0, (uint8_t[]){ 0x5a, 0x08, 0x08, 0, 0, 0, 0, 0, 255, 0 }, 10, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 8 + 20);
    g_assert_cmpuint(hba.in[0] << 8 | hba.in[1], ==, 26);
    g_assert_cmphex(hba.in[8], ==, 0x08);
    /* The CD's capabilities page; the disk has none. */
    r = cmd(1, (uint8_t[]){ 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 255, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmphex(hba.in[8], ==, 0x2a);
    g_assert_cmphex(hba.in[9], ==, 0x14);
    assert_sense(cmd(0, (uint8_t[]){ 0x1a, 0, 0x2a, 0, 255, 0 }, 6, BUF_MAX), 5, 0x24, 0);
    /* Saved values are not kept. */
    assert_sense(cmd(0, (uint8_t[]){ 0x1a, 0, 0xc8, 0, 255, 0 }, 6, BUF_MAX), 5, 0x39, 0);
    /* MODE SELECT(6) of the caching page turns the write cache off, and back on. */
    hba.out = g_malloc0(64);
    hba.out[4] = 0x08;
    hba.out[5] = 0x12;
    assert_good(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 24, 0 }, 6, 0, 24));
    r = cmd(0, (uint8_t[]){ 0x1a, 0x08, 0x08, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmphex(hba.in[6], ==, 0x00);
    hba.out[6] = 0x04;
    assert_good(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 24, 0 }, 6, 0, 24));
    r = cmd(0, (uint8_t[]){ 0x1a, 0x08, 0x08, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmphex(hba.in[6], ==, 0x04);
    /* Without PF, a short list, a page of the wrong length, an unchangeable bit, no page. */
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x00, 0, 0, 24, 0 }, 6, 0, 24), 5, 0x24, 0);
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 3, 0 }, 6, 0, 24), 5, 0x1a, 0);
    hba.out[5] = 0x10;
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 22, 0 }, 6, 0, 24), 5, 0x26, 0);
    hba.out[5] = 0x12;
    hba.out[7] = 0x01;
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 24, 0 }, 6, 0, 24), 5, 0x26, 0);
    hba.out[4] = 0x07;
    hba.out[7] = 0;
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x15, 0x10, 0, 0, 24, 0 }, 6, 0, 24), 5, 0x26, 0);
    r = cmd(0, (uint8_t[]){ 0x1a, 0x08, 0x08, 0, 255, 0 }, 6, BUF_MAX);
    g_assert_cmphex(hba.in[6], ==, 0x04);
    g_free(hba.out);
    hba.out = NULL;
    qdev_tree_reset();
}

static void test_read_write(void)
{
    g_autofree uint8_t *file = NULL;
    gsize flen;
    Result *r;

    setup();
    /* READ(10) of blocks 10..13 gives the file's bytes. */
    r = cmd(0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 10, 0, 0, 4, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 2048);
    g_assert_true(g_file_get_contents(img_path, (char **)&file, &flen, NULL));
    g_assert_cmpmem(hba.in, 2048, file + 10 * 512, 2048);
    /* WRITE(16) of 300 blocks from block 100 (more than one chunk) reaches the file. */
    hba.out = g_malloc(300 * 512);
    for (int i = 0; i < 300 * 512; i++) {
        hba.out[i] = i * 13 + 5;
    }
    r = cmd_len(0, 0, (uint8_t[]){ 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 1, 44, 0, 0 }, 16, 0,
                300 * 512);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 300 * 512);
    r = cmd(0, (uint8_t[]){ 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 10, 0);
    assert_good(r);
    g_free(file);
    g_assert_true(g_file_get_contents(img_path, (char **)&file, &flen, NULL));
    g_assert_cmpuint(flen, ==, IMG_SIZE);
    g_assert_cmpmem(file + 100 * 512, 300 * 512, hba.out, 300 * 512);
    /* READ(6) with length 0 reads 256 blocks; READ(12) reads back the write. */
    r = cmd(0, (uint8_t[]){ 0x08, 0, 0, 0, 0, 0 }, 6, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 256 * 512);
    r = cmd(0, (uint8_t[]){ 0xa8, 0, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0 }, 12, BUF_MAX);
    g_assert_cmpmem(hba.in, 200 * 512, hba.out, 200 * 512);
    /* The CD reads 2048-byte blocks and refuses writes. */
    r = cmd(1, (uint8_t[]){ 0x28, 0, 0, 0, 0, 3, 0, 0, 1, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_free(file);
    g_assert_true(g_file_get_contents(cd_path, (char **)&file, &flen, NULL));
    g_assert_cmpmem(hba.in, 2048, file + 3 * 2048, 2048);
    r = cmd_len(1, 0, (uint8_t[]){ 0x2a, 0, 0, 0, 0, 3, 0, 0, 1, 0 }, 10, 0, 2048);
    assert_sense(r, 7, 0x27, 0);
    g_free(hba.out);
    hba.out = NULL;
    qdev_tree_reset();
}

/* ---- Bad CDBs, ranges and buffers ----------------------------------------------------------- */

static void test_bad_cdbs(void)
{
    g_autofree uint8_t *before = NULL, *after = NULL;
    gsize l1, l2;
    Result *r;

    setup();
    g_assert_true(g_file_get_contents(img_path, (char **)&before, &l1, NULL));
    /* Unknown operation codes, reserved groups, CDBs shorter than their group. */
    assert_sense(cmd(0, (uint8_t[]){ 0x01, 0, 0, 0, 0, 0 }, 6, BUF_MAX), 5, 0x20, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0x7f, 0, 0, 0, 0, 0 }, 6, BUF_MAX), 5, 0x20, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0xc0, 0, 0, 0, 0, 0 }, 6, BUF_MAX), 5, 0x20, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0 }, 6, BUF_MAX), 5, 0x20, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 10, BUF_MAX), 5, 0x20, 0);
    assert_sense(cmd(0, (uint8_t[]){ 0x28 }, 0, BUF_MAX), 5, 0x20, 0);
    /* CD commands on the disk. */
    assert_sense(cmd(0, (uint8_t[]){ 0x43, 0, 0, 0, 0, 0, 0, 0, 255, 0 }, 10, BUF_MAX), 5, 0x20, 0);
    /* The last block reads; one more is out of range; LBA + length wrapping too. */
    assert_good(cmd(0, (uint8_t[]){ 0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 1, 0 }, 10, BUF_MAX));
    assert_sense(cmd(0, (uint8_t[]){ 0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0 }, 10, BUF_MAX), 5, 0x21,
                 0);
    assert_sense(cmd(0,
                     (uint8_t[]){ 0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0,
                                  2, 0, 0 },
                     16, BUF_MAX),
                 5, 0x21, 0);
    /* A write past the end changes nothing. */
    hba.out = g_malloc0(BUF_MAX);
    r = cmd_len(0, 0, (uint8_t[]){ 0x2a, 0, 0, 0, 0x07, 0xf0, 0, 0, 0x20, 0 }, 10, 0, BUF_MAX);
    assert_sense(r, 5, 0x21, 0);
    /* A transfer larger than the initiator's buffer is an overrun, nothing moves. */
    r = cmd_len(0, 0, (uint8_t[]){ 0x2a, 0, 0, 0, 0, 0, 0, 0, 8, 0 }, 10, 0, 4095);
    g_assert_true(r->overrun);
    g_assert_cmpuint(r->moved, ==, 0);
    r = cmd(0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 }, 10, 512);
    g_assert_true(r->overrun);
    g_assert_cmpuint(hba.data_in_calls, ==, 0);
    g_assert_true(g_file_get_contents(img_path, (char **)&after, &l2, NULL));
    g_assert_cmpmem(before, l1, after, l2);
    /* REPORT LUNS: bad select report, short allocation length. */
    assert_sense(cmd(0, (uint8_t[]){ 0xa0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, 12, BUF_MAX), 5, 0x24,
                 0);
    assert_sense(cmd(0, (uint8_t[]){ 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0 }, 12, BUF_MAX), 5, 0x24,
                 0);
    /* UNMAP: a parameter list too short, descriptors past the end. */
    hba.out[1] = 22;
    hba.out[3] = 16;
    hba.out[8 + 7] = 0xff;
    hba.out[8 + 6] = 0x07;
    hba.out[8 + 11] = 2;
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x42, 0, 0, 0, 0, 0, 0, 0, 6, 0 }, 10, 0, 6), 5, 0x1a,
                 0);
    assert_sense(cmd_len(0, 0, (uint8_t[]){ 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 }, 10, 0, 24), 5, 0x21,
                 0);
    hba.out[8 + 11] = 1;
    assert_good(cmd_len(0, 0, (uint8_t[]){ 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 }, 10, 0, 24));
    g_free(hba.out);
    hba.out = NULL;
    qdev_tree_reset();
}

static void test_luns(void)
{
    Result *r;

    setup();
    /* REPORT LUNS of target 0: LUN 0 and LUN 3. */
    r = cmd(0, (uint8_t[]){ 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, 12, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 24);
    g_assert_cmpuint(be32(hba.in), ==, 16);
    g_assert_cmphex(hba.in[9], ==, 0);
    g_assert_cmphex(hba.in[17], ==, 3);
    /* LUN 5 of target 0 has no unit: INQUIRY says so, other commands fail. */
    r = cmd_len(0, 5, (uint8_t[]){ 0x12, 0, 0, 0, 36, 0 }, 6, BUF_MAX, 0);
    assert_good(r);
    g_assert_cmphex(hba.in[0], ==, 0x7f);
    assert_sense(cmd_len(0, 5, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, BUF_MAX, 0), 5, 0x25, 0);
    r = cmd_len(0, 5, (uint8_t[]){ 0x03, 0, 0, 0, 18, 0 }, 6, BUF_MAX, 0);
    assert_good(r);
    g_assert_cmphex(hba.in[12], ==, 0x25);
    /* LUN 3 reads its own image. */
    r = cmd_len(0, 3, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, BUF_MAX, 0);
    assert_good(r);
    g_assert_cmphex(hba.in[0], ==, 3);
    /* No target 5 at all. */
    g_assert_null(scsi_device_find(bus, 0, 5, 0));
    qdev_tree_reset();
}

static void test_cd(void)
{
    Result *r;

    setup();
    /* The empty drive: not ready, medium not present; INQUIRY still answers. */
    assert_sense(cmd(2, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, BUF_MAX), 2, 0x3a, 0);
    assert_sense(cmd(2, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, BUF_MAX), 2, 0x3a, 0);
    assert_good(cmd(2, (uint8_t[]){ 0x12, 0, 0, 0, 36, 0 }, 6, BUF_MAX));
    r = cmd(2, (uint8_t[]){ 0x46, 0, 0, 0, 0, 0, 0, 0, 40, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmphex(hba.in[7], ==, 0x00);
    /* With a medium: the CD-ROM profile, one track in the TOC. */
    assert_good(cmd(1, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, BUF_MAX));
    r = cmd(1, (uint8_t[]){ 0x46, 0, 0, 0, 0, 0, 0, 0, 40, 0 }, 10, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 40);
    g_assert_cmphex(hba.in[7], ==, 0x08);
    g_assert_cmphex(hba.in[18], ==, 1);
    r = cmd(1, (uint8_t[]){ 0x43, 0, 0, 0, 0, 0, 0, 0, 255, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 20);
    g_assert_cmpmem(hba.in, 4, ((uint8_t[]){ 0, 18, 1, 1 }), 4);
    g_assert_cmphex(hba.in[14], ==, 0xaa);
    g_assert_cmpuint(be32(&hba.in[16]), ==, CD_SIZE / 2048);
    /* MSF addresses: the lead-out at 64 + 150 frames. */
    r = cmd(1, (uint8_t[]){ 0x43, 2, 0, 0, 0, 0, 0, 0, 255, 0 }, 10, BUF_MAX);
    g_assert_cmpmem(&hba.in[16], 4, ((uint8_t[]){ 0, 0, 2, 64 }), 4);
    assert_sense(cmd(1, (uint8_t[]){ 0x43, 0, 0, 0, 0, 0, 5, 0, 255, 0 }, 10, BUF_MAX), 5, 0x24, 0);
    /* Event status: polled only. */
    r = cmd(1, (uint8_t[]){ 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8, 0 }, 10, BUF_MAX);
    assert_good(r);
    g_assert_cmpmem(hba.in, 8, ((uint8_t[]){ 0, 4, 4, 0x10, 0, 2, 0, 0 }), 8);
    assert_sense(cmd(1, (uint8_t[]){ 0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8, 0 }, 10, BUF_MAX), 5, 0x24,
                 0);
    r = cmd(1, (uint8_t[]){ 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 }, 10, BUF_MAX);
    g_assert_cmpuint(r->moved, ==, 34);
    g_assert_cmphex(hba.in[2], ==, 0x0e);
    /* Locked, the tray stays shut; unlocked it opens and the medium is gone. */
    assert_good(cmd(1, (uint8_t[]){ 0x1e, 0, 0, 0, 1, 0 }, 6, 0));
    assert_sense(cmd(1, (uint8_t[]){ 0x1b, 0, 0, 0, 2, 0 }, 6, 0), 5, 0x53, 2);
    assert_good(cmd(1, (uint8_t[]){ 0x1e, 0, 0, 0, 0, 0 }, 6, 0));
    assert_good(cmd(1, (uint8_t[]){ 0x1b, 0, 0, 0, 2, 0 }, 6, 0));
    assert_sense(cmd(1, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, 0), 2, 0x3a, 2);
    assert_good(cmd(1, (uint8_t[]){ 0x1b, 0, 0, 0, 3, 0 }, 6, 0));
    assert_good(cmd(1, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, 0));
    qdev_tree_reset();
}

static void test_plug_errors(void)
{
    Error *err = NULL;
    DeviceState *dev;

    setup();
    dev = qdev_new("scsi-hd");
    qdev_prop_set_int32(dev, "scsi-id", 8);
    g_assert_false(qdev_realize_and_unref(dev, &bus->qbus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "bad scsi device id: 8");
    error_free(err);
    err = NULL;
    dev = qdev_new("scsi-cd");
    qdev_prop_set_int32(dev, "scsi-id", 1);
    qdev_prop_set_int32(dev, "lun", 0);
    g_assert_false(qdev_realize_and_unref(dev, &bus->qbus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "lun already used by '(null)'");
    error_free(err);
    err = NULL;
    dev = qdev_new("scsi-hd");
    g_assert_false(qdev_realize_and_unref(dev, &bus->qbus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "drive property not set");
    error_free(err);
    /* No scsi-id: the first free target (3). */
    dev = qdev_new("scsi-cd");
    g_assert_true(qdev_realize_and_unref(dev, &bus->qbus, &error_abort));
    g_assert_cmpint(((SCSIDevice *)dev)->id, ==, 3);
    qdev_tree_reset();
}

/* An abort while the read is with the block layer: no data, completion says cancelled. */
static void test_cancel(void)
{
    SCSIRequest *req;

    setup();
    memset(&hba.res, 0, sizeof(hba.res));
    hba.data_in_calls = 0;
    req = scsi_req_new(scsi_device_find(bus, 0, 0, 0), 0, 9,
                       (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 }, 10, NULL);
    req->in_len = BUF_MAX;
    scsi_req_submit(req);
    g_assert_false(hba.res.done);
    scsi_device_reset(req->dev);
    g_assert_false(hba.res.done);
    blk_drain_all();
    g_assert_true(hba.res.done);
    g_assert_true(hba.res.cancelled);
    g_assert_cmpuint(hba.data_in_calls, ==, 0);
    qdev_tree_reset();
}

/*
 * Random CDBs of every length to every unit, with random buffer sizes: each
 * completes once, data stays within the buffers (checked by the adapter),
 * and the images keep their size.
 */
static void test_fuzz(void)
{
    GRand *rand = g_rand_new_with_seed(0x5c5151);
    GStatBuf st;

    setup();
    hba.out = g_malloc0(BUF_MAX);
    for (int i = 0; i < 20000; i++) {
        uint8_t cdb[16];
        unsigned id = g_rand_int_range(rand, 0, 3), len = g_rand_int_range(rand, 0, 17);
        uint64_t in = g_rand_int_range(rand, 0, BUF_MAX + 1);
        uint64_t out = g_rand_int_range(rand, 0, BUF_MAX + 1);

        for (int j = 0; j < 16; j++) {
            cdb[j] = g_rand_int(rand);
        }
        /* Half of them use real operation codes, with small lengths and LBAs near the end. */
        if (i & 1) {
            static const uint8_t ops[] = { 0x00, 0x03, 0x08, 0x0a, 0x12, 0x1a, 0x1b, 0x1e,
                                           0x25, 0x28, 0x2a, 0x2f, 0x35, 0x41, 0x42, 0x43,
                                           0x46, 0x4a, 0x51, 0x5a, 0x88, 0x8a, 0x9e, 0xa0,
                                           0xa8, 0xaa, 0x93, 0xbd, 0x15, 0x55 };
            cdb[0] = ops[g_rand_int_range(rand, 0, sizeof(ops))];
            len = MAX(len, scsi_cdb_length(cdb[0]));
            if (g_rand_boolean(rand)) {
                memset(&cdb[2], 0, 4);
                cdb[5] = g_rand_int_range(rand, 0, 8);
                memset(&cdb[6], 0, 10);
                cdb[8] = g_rand_int_range(rand, 0, 16);
                cdb[13] = g_rand_int_range(rand, 0, 16);
            }
        }
        cmd_len(id, g_rand_int_range(rand, 0, 4), cdb, len, in, out);
        g_assert_true(hba.res.done);
    }
    g_assert_cmpint(g_stat(img_path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, IMG_SIZE);
    g_assert_cmpint(g_stat(cd_path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, CD_SIZE);
    g_free(hba.out);
    hba.out = NULL;
    g_rand_free(rand);
    qdev_tree_reset();
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    module_call_init();
    qdev_register_type(&test_hba_class);
    hba.in = g_malloc(BUF_MAX);
    g_test_add_func("/scsi-disk/inquiry", test_inquiry);
    g_test_add_func("/scsi-disk/vpd", test_vpd);
    g_test_add_func("/scsi-disk/capacity", test_capacity);
    g_test_add_func("/scsi-disk/mode-sense", test_mode_sense);
    g_test_add_func("/scsi-disk/read-write", test_read_write);
    g_test_add_func("/scsi-disk/bad-cdbs", test_bad_cdbs);
    g_test_add_func("/scsi-disk/luns", test_luns);
    g_test_add_func("/scsi-disk/cd", test_cd);
    g_test_add_func("/scsi-disk/plug-errors", test_plug_errors);
    g_test_add_func("/scsi-disk/cancel", test_cancel);
    g_test_add_func("/scsi-disk/fuzz", test_fuzz);
    ret = g_test_run();
    drive_cleanup();
    g_unlink(img_path);
    g_unlink(cd_path);
    g_free(img_path);
    g_free(cd_path);
    g_free(hba.in);
    return ret;
}

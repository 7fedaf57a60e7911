/*
 * Removable media seen from both sides: the monitor's commands (the QMP
 * handlers of monitor/qmp-block-media.c) change a scsi-cd's medium, and the
 * guest's SCSI commands see the unit attentions, GET EVENT STATUS
 * NOTIFICATION's media events, the new medium's data, its own tray lock.
 */
#include "hw/scsi/scsi.h"
#include "block/block-backend.h"
#include "qapi/qapi-commands.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"

#include <glib.h>
#include <glib/gstdio.h>

#define BUF_MAX 65536

typedef struct Result {
    bool done;
    uint8_t status;
    uint8_t sense[SCSI_SENSE_LEN];
    uint64_t moved;
} Result;

static Result res;
static uint8_t *in_buf;
static SCSIBus *bus;
static char *img_a, *img_b, *img_hd;

static bool hba_data_in(SCSIRequest *req, uint64_t off, const void *buf, size_t len)
{
    g_assert_cmpuint(off + len, <=, req->in_len);
    memcpy(in_buf + off, buf, len);
    return true;
}

static bool hba_data_out(SCSIRequest *req, uint64_t off, void *buf, size_t len)
{
    return false;
}

static void hba_complete(SCSIRequest *req)
{
    res.done = true;
    res.status = req->status;
    memcpy(res.sense, req->sense, SCSI_SENSE_LEN);
    res.moved = req->moved;
}

static const SCSIBusInfo hba_info = {
    .max_target = 7,
    .data_in = hba_data_in,
    .data_out = hba_data_out,
    .complete = hba_complete,
};

static const DeviceClass test_hba_class = {
    .name = "test-media-hba",
    .instance_size = sizeof(DeviceState),
};

static Result *cmd(unsigned id, const uint8_t *cdb, size_t cdb_len)
{
    SCSIDevice *dev = scsi_device_find(bus, 0, id, 0);
    SCSIRequest *req;

    g_assert_nonnull(dev);
    memset(&res, 0, sizeof(res));
    memset(in_buf, 0xee, BUF_MAX);
    req = scsi_req_new(dev, 0, 1, cdb, cdb_len, NULL);
    req->in_len = BUF_MAX;
    scsi_req_submit(req);
    for (int i = 0; i < 100 && !res.done; i++) {
        blk_drain_all();
    }
    g_assert_true(res.done);
    return &res;
}

#define CDB(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define TUR CDB(0x00, 0, 0, 0, 0, 0)
#define GESN CDB(0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8, 0)
#define LOCK CDB(0x1e, 0, 0, 0, 1, 0)
#define UNLOCK CDB(0x1e, 0, 0, 0, 0, 0)

static void assert_sense(const Result *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    g_assert_cmpuint(r->status, ==, SCSI_STATUS_CHECK_CONDITION);
    g_assert_cmphex(r->sense[2], ==, key);
    g_assert_cmphex(r->sense[12], ==, asc);
    g_assert_cmphex(r->sense[13], ==, ascq);
}

static void assert_good(const Result *r)
{
    g_assert_cmpuint(r->status, ==, SCSI_STATUS_GOOD);
}

/* GET EVENT STATUS NOTIFICATION's media event code and media status. */
static void assert_gesn(unsigned id, uint8_t event, uint8_t status)
{
    Result *r = cmd(id, GESN);

    assert_good(r);
    g_assert_cmpuint(r->moved, ==, 8);
    g_assert_cmphex(in_buf[2], ==, 4); /* the media class */
    g_assert_cmphex(in_buf[4], ==, event);
    g_assert_cmphex(in_buf[5], ==, status);
}

/* The first 2048-byte block and the capacity the guest reads. */
static void assert_medium(unsigned id, const char *path, uint32_t blocks)
{
    g_autofree char *want = NULL;
    Result *r = cmd(id, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    assert_good(r);
    g_assert_cmphex((uint32_t)in_buf[0] << 24 | in_buf[1] << 16 | in_buf[2] << 8 | in_buf[3], ==,
                    blocks - 1);
    r = cmd(id, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0));
    assert_good(r);
    g_assert_true(g_file_get_contents(path, &want, NULL, NULL));
    g_assert_cmpmem(in_buf, 2048, want, 2048);
}

/* Run a QMP handler: NULL on success, else the error text (freed by the caller). */
static char *qmp(QmpCommandFn *fn, const char *json)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    QmpError err = { 0 };
    JsonNode *ret;

    g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
    ret = fn(json_node_get_object(json_parser_get_root(parser)), &err);
    if (ret) {
        json_node_unref(ret);
        g_assert_null(err.desc);
        return NULL;
    }
    g_assert_nonnull(err.desc);
    return err.desc;
}

#define QMP_OK(fn, json) g_assert_null(qmp(fn, json))

static void assert_qmp_error(QmpCommandFn *fn, const char *json, const char *want)
{
    g_autofree char *got = qmp(fn, json);

    g_assert_cmpstr(got, ==, want);
}

static char *make_image(const char *name, size_t size, uint8_t seed)
{
    g_autofree uint8_t *data = g_malloc(size);
    char *path = NULL;
    int fd = g_file_open_tmp(name, &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)(i * 13 + i / 2048 + seed);
    }
    g_assert_true(g_file_set_contents(path, (char *)data, size, NULL));
    return path;
}

/* Target 0: a scsi-cd on the empty drive "cd"; target 1: a scsi-hd. */
static void setup(void)
{
    static bool drives;
    DeviceState *hbadev, *dev;
    char *err = NULL;

    if (!drives) {
        g_autofree char *hd = g_strdup_printf("if=none,id=hd,format=raw,file=%s", img_hd);

        g_assert_nonnull(drive_new("if=none,id=cd,media=cdrom", &err));
        g_assert_nonnull(drive_new(hd, &err));
        drives = true;
    }
    qdev_tree_reset();
    hbadev = qdev_new("test-media-hba");
    g_assert_true(qdev_realize_and_unref(hbadev, NULL, &error_abort));
    bus = scsi_bus_new(hbadev, "hba.0", &hba_info, NULL);
    dev = qdev_new("scsi-cd");
    g_assert_true(qdev_set_id(dev, "cd0", &error_abort));
    g_assert_true(qdev_prop_set_text(dev, "drive", "cd", &error_abort));
    qdev_prop_set_int32(dev, "scsi-id", 0);
    g_assert_true(qdev_realize_and_unref(dev, &bus->qbus, &error_abort));
    dev = qdev_new("scsi-hd");
    g_assert_true(qdev_prop_set_text(dev, "drive", "hd", &error_abort));
    qdev_prop_set_int32(dev, "scsi-id", 1);
    g_assert_true(qdev_realize_and_unref(dev, &bus->qbus, &error_abort));
}

/* query-block's entry for a drive name. */
static JsonObject *block_info(const char *device)
{
    static JsonNode *last;
    QmpError err = { 0 };
    g_autoptr(JsonObject) args = json_object_new();
    JsonArray *arr;

    g_clear_pointer(&last, json_node_unref);
    last = qmp_query_block(args, &err);
    arr = json_node_get_array(last);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!strcmp(json_object_get_string_member(o, "device"), device)) {
            return o;
        }
    }
    g_assert_not_reached();
}

static void test_change(void)
{
    g_autofree char *change_a =
        g_strdup_printf("{\"id\": \"cd0\", \"filename\": \"%s\", \"format\": \"raw\"}", img_a);
    g_autofree char *change_b =
        g_strdup_printf("{\"device\": \"cd\", \"filename\": \"%s\", \"format\": \"raw\"}", img_b);
    JsonObject *info;

    setup();
    /* No medium: NOT READY, and GESN says so (no event, tray closed, empty). */
    assert_sense(cmd(0, TUR), 2, 0x3a, 0);
    assert_gesn(0, 0, 0);
    info = block_info("cd");
    g_assert_true(json_object_get_boolean_member(info, "removable"));
    g_assert_false(json_object_get_boolean_member(info, "tray_open"));
    g_assert_false(json_object_has_member(info, "inserted"));
    g_assert_cmpstr(json_object_get_string_member(info, "qdev"), ==, "cd0");

    /* A medium comes: "no medium" then "medium may have changed", then ready. */
    QMP_OK(qmp_blockdev_change_medium, change_a);
    assert_sense(cmd(0, TUR), 6, 0x3a, 0);
    assert_sense(cmd(0, TUR), 6, 0x28, 0);
    assert_good(cmd(0, TUR));
    assert_medium(0, img_a, 16);
    info = block_info("cd");
    g_assert_true(json_object_has_member(info, "inserted"));
    g_assert_false(json_object_get_boolean_member(info, "tray_open"));

    /* GESN never reports the unit attention; it has its own new-media event, once. */
    QMP_OK(qmp_blockdev_change_medium, change_b);
    assert_gesn(0, 2, 2);
    assert_gesn(0, 0, 2);
    /* REQUEST SENSE takes the first unit attention and queues the second. */
    assert_good(cmd(0, CDB(0x03, 0, 0, 0, 18, 0)));
    g_assert_cmphex(in_buf[2], ==, 6);
    g_assert_cmphex(in_buf[12], ==, 0x3a);
    assert_sense(cmd(0, TUR), 6, 0x28, 0);
    assert_medium(0, img_b, 32);

    /* Ejected: the tray opens, the medium is gone for the guest and query-block. */
    QMP_OK(qmp_eject, "{\"id\": \"cd0\"}");
    assert_sense(cmd(0, TUR), 6, 0x3a, 0);
    assert_gesn(0, 0, 1);
    assert_sense(cmd(0, TUR), 2, 0x3a, 2);
    info = block_info("cd");
    g_assert_true(json_object_get_boolean_member(info, "tray_open"));
    g_assert_false(json_object_has_member(info, "inserted"));
    /* Ejecting an open, empty drive is no error. */
    QMP_OK(qmp_eject, "{\"device\": \"cd\"}");
}

static void test_locked(void)
{
    g_autofree char *change_a =
        g_strdup_printf("{\"id\": \"cd0\", \"filename\": \"%s\", \"format\": \"raw\"}", img_a);
    g_autofree char *change_b =
        g_strdup_printf("{\"id\": \"cd0\", \"filename\": \"%s\", \"format\": \"raw\"}", img_b);
    static const char locked[] =
        "Device 'cd0' is locked and force was not specified, wait for tray to open and try again";

    setup();
    QMP_OK(qmp_blockdev_change_medium, change_a);
    assert_sense(cmd(0, TUR), 6, 0x3a, 0);
    assert_sense(cmd(0, TUR), 6, 0x28, 0);
    assert_gesn(0, 2, 2);
    /* The guest locks the medium in: eject and change fail, the guest is asked. */
    assert_good(cmd(0, LOCK));
    g_assert_true(json_object_get_boolean_member(block_info("cd"), "locked"));
    assert_qmp_error(qmp_eject, "{\"id\": \"cd0\"}", locked);
    assert_good(cmd(0, TUR));
    assert_gesn(0, 1, 2); /* eject requested, medium present */
    assert_gesn(0, 0, 2);
    assert_qmp_error(qmp_blockdev_change_medium, change_b, locked);
    assert_medium(0, img_a, 16);
    /* blockdev-open-tray on a locked tray is no error: the request is the answer. */
    QMP_OK(qmp_blockdev_open_tray, "{\"id\": \"cd0\"}");
    g_assert_false(json_object_get_boolean_member(block_info("cd"), "tray_open"));
    /* The guest cannot eject it itself either, until it unlocks. */
    assert_sense(cmd(0, CDB(0x1b, 0, 0, 0, 2, 0)), 5, 0x53, 2);
    /* force: unlocked, opened and emptied whatever the guest said. */
    QMP_OK(qmp_eject, "{\"id\": \"cd0\", \"force\": true}");
    g_assert_false(json_object_get_boolean_member(block_info("cd"), "locked"));
    g_assert_true(json_object_get_boolean_member(block_info("cd"), "tray_open"));
    assert_sense(cmd(0, TUR), 6, 0x3a, 0);
    /* The guest's own eject (START STOP UNIT, LOEJ) opens the tray, the medium stays. */
    QMP_OK(qmp_blockdev_change_medium, change_a);
    assert_sense(cmd(0, TUR), 6, 0x3a, 0);
    assert_sense(cmd(0, TUR), 6, 0x28, 0);
    assert_good(cmd(0, UNLOCK));
    assert_good(cmd(0, CDB(0x1b, 0, 0, 0, 2, 0)));
    g_assert_true(json_object_get_boolean_member(block_info("cd"), "tray_open"));
    g_assert_true(json_object_has_member(block_info("cd"), "inserted"));
    assert_good(cmd(0, CDB(0x1b, 0, 0, 0, 3, 0)));
    assert_medium(0, img_a, 16);
}

static void test_not_removable(void)
{
    g_autofree char *change =
        g_strdup_printf("{\"device\": \"hd\", \"filename\": \"%s\", \"format\": \"raw\"}", img_a);

    setup();
    assert_qmp_error(qmp_eject, "{\"device\": \"hd\"}", "Device 'hd' is not removable");
    assert_qmp_error(qmp_blockdev_change_medium, change, "Device 'hd' is not removable");
    assert_qmp_error(qmp_blockdev_open_tray, "{\"device\": \"hd\"}",
                     "Device 'hd' is not removable");
    assert_qmp_error(qmp_eject, "{\"device\": \"nope\"}", "Device 'nope' not found");
    assert_qmp_error(qmp_eject, "{}", "Need exactly one of 'device' and 'id'");
    g_assert_false(json_object_get_boolean_member(block_info("hd"), "removable"));
    g_assert_false(json_object_has_member(block_info("hd"), "tray_open"));
    g_assert_cmpstr(json_object_get_string_member(block_info("hd"), "io-status"), ==, "ok");
}

/* A CD shares no writes: an image a disk writes cannot become its medium. */
static void test_locks(void)
{
    g_autofree char *change =
        g_strdup_printf("{\"id\": \"cd0\", \"filename\": \"%s\", \"format\": \"raw\"}", img_hd);
    g_autofree char *want = g_strdup_printf("Failed to get shared \"write\" lock");

    setup();
    assert_qmp_error(qmp_blockdev_change_medium, change, want);
    g_assert_false(json_object_has_member(block_info("cd"), "inserted") &&
                   !strcmp(json_object_get_string_member(
                               json_object_get_object_member(block_info("cd"), "inserted"), "file"),
                           img_hd));
}

/* The last block's LBA READ CAPACITY(10) gives for a 512-byte-sector disk. */
static uint32_t read_capacity_last(unsigned id)
{
    Result *r = cmd(id, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    assert_good(r);
    return (uint32_t)in_buf[0] << 24 | in_buf[1] << 16 | in_buf[2] << 8 | in_buf[3];
}

/*
 * block_resize: the disk's next command (INQUIRY aside) gets CAPACITY DATA
 * HAS CHANGED once, and READ CAPACITY the new size; a CD gets nothing.
 */
static void test_resize(void)
{
    setup();
    cmd(1, TUR); /* whatever was pending before */
    g_assert_cmpuint(read_capacity_last(1), ==, 32 * 4 - 1);
    QMP_OK(qmp_block_resize, "{\"device\": \"hd\", \"size\": 131072}");
    assert_good(cmd(1, CDB(0x12, 0, 0, 0, 36, 0)));
    assert_sense(cmd(1, TUR), SCSI_SENSE_UNIT_ATTENTION, 0x2a, 0x09);
    assert_good(cmd(1, TUR));
    g_assert_cmpuint(read_capacity_last(1), ==, 255);
    g_assert_cmpint(json_object_get_int_member(
                        json_object_get_object_member(
                            json_object_get_object_member(block_info("hd"), "inserted"), "image"),
                        "virtual-size"),
                    ==, 131072);
    QMP_OK(qmp_block_resize, "{\"device\": \"hd\", \"size\": 65536}");
    assert_sense(cmd(1, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)), SCSI_SENSE_UNIT_ATTENTION, 0x2a,
                 0x09);
    g_assert_cmpuint(read_capacity_last(1), ==, 32 * 4 - 1);
    assert_qmp_error(qmp_block_resize, "{\"device\": \"cd\", \"size\": 65536}",
                     "Device 'cd' has no medium");
    assert_good(cmd(1, TUR));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    module_call_init();
    qdev_register_type(&test_hba_class);
    in_buf = g_malloc(BUF_MAX);
    img_a = make_image("media-a-XXXXXX", 16 * 2048, 1);
    img_b = make_image("media-b-XXXXXX", 32 * 2048, 2);
    img_hd = make_image("media-hd-XXXXXX", 32 * 2048, 3);
    g_test_add_func("/block-media/change", test_change);
    g_test_add_func("/block-media/locked", test_locked);
    g_test_add_func("/block-media/not-removable", test_not_removable);
    g_test_add_func("/block-media/locks", test_locks);
    g_test_add_func("/block-media/resize", test_resize);
    ret = g_test_run();
    drive_cleanup();
    g_unlink(img_a);
    g_unlink(img_b);
    g_unlink(img_hd);
    g_free(img_hd);
    g_free(img_a);
    g_free(img_b);
    g_free(in_buf);
    return ret;
}

/*
 * Removable media over QMP, as QEMU 7.2: eject, blockdev-open-tray,
 * blockdev-close-tray, blockdev-remove-medium, blockdev-insert-medium and
 * blockdev-change-medium, with QEMU's order of checks and its messages.
 */
#include "block/block-backend.h"
#include "block/block-int.h"
#include "block/qapi.h"
#include "hw/qdev-core.h"

#include <errno.h>

/* The backend whose device is dev (NULL: none). */
static BlockBackend *blk_by_dev(DeviceState *dev)
{
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (blk_get_attached_dev(blk) == dev) {
            return blk;
        }
    }
    return NULL;
}

/*
 * QEMU's qmp_get_blk: exactly one of a drive name ("device") and a device
 * id or QOM path ("id").  A virtio-blk-pci holds its disk in a child device,
 * so its own id names no backend in QEMU.
 */
static BlockBackend *get_blk(const char *device, const char *id, QmpError *err)
{
    const DeviceClass *vblk = qdev_find_type("virtio-blk-pci");
    BlockBackend *blk;
    DeviceState *dev;

    if (!device == !id) {
        qmp_error_setg(err, "Need exactly one of 'device' and 'id'");
        return NULL;
    }
    if (device) {
        blk = blk_by_name(device);
        if (!blk) {
            qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", device);
        }
        return blk;
    }
    dev = qdev_find_by_id(id);
    if (!dev) {
        dev = qdev_find_by_path(id);
    }
    if (!dev) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", id);
        return NULL;
    }
    blk = vblk && qdev_class_is(dev->cls, vblk) ? NULL : blk_by_dev(dev);
    if (!blk) {
        qmp_error_setg(err, "Device does not have a block device backend");
    }
    return blk;
}

/*
 * Open the tray (QEMU's do_open_tray): 0, or -errno and err.  A medium the
 * guest locked in gets an eject request (force: unlocked and opened anyway)
 * and -EINPROGRESS; a device without a tray gives -ENOSYS.
 */
static int open_tray(const char *device, const char *id, bool force, QmpError *err)
{
    BlockBackend *blk = get_blk(device, id, err);
    const char *name = device ? device : id;
    bool locked;

    if (!blk) {
        return -ENODEV;
    }
    if (!blk_dev_has_removable_media(blk)) {
        qmp_error_setg(err, "Device '%s' is not removable", name);
        return -ENOTSUP;
    }
    if (!blk_dev_has_tray(blk)) {
        qmp_error_setg(err, "Device '%s' does not have a tray", name);
        return -ENOSYS;
    }
    if (blk_dev_is_tray_open(blk)) {
        return 0;
    }
    locked = blk_dev_is_medium_locked(blk);
    if (locked) {
        blk_dev_eject_request(blk, force);
    }
    if (!locked || force) {
        blk_dev_change_media_cb(blk, false);
    }
    if (locked && !force) {
        qmp_error_setg(err,
                       "Device '%s' is locked and force was not specified, wait for tray to "
                       "open and try again",
                       name);
        return -EINPROGRESS;
    }
    return 0;
}

static void clear_error(QmpError *err)
{
    g_clear_pointer(&err->desc, g_free);
    err->cls = NULL;
}

/* Take the medium out of an open tray (QEMU's blockdev_remove_medium). */
static bool remove_medium(const char *device, const char *id, QmpError *err)
{
    BlockBackend *blk = get_blk(device, id, err);
    const char *name = device ? device : id;

    if (!blk) {
        return false;
    }
    if (blk_is_attached(blk) && !blk_dev_has_removable_media(blk)) {
        qmp_error_setg(err, "Device '%s' is not removable", name);
        return false;
    }
    if (blk_is_attached(blk) && blk_dev_has_tray(blk) && !blk_dev_is_tray_open(blk)) {
        qmp_error_setg(err, "Tray of device '%s' is not open", name);
        return false;
    }
    if (!blk_bs(blk)) {
        return true;
    }
    blk_remove_bs(blk);
    if (!blk_dev_has_tray(blk)) {
        blk_dev_change_media_cb(blk, false);
    }
    return true;
}

static bool insert_medium(BlockBackend *blk, const char *name, BlockDriverState *bs, QmpError *err)
{
    Error *local = NULL;

    if (!blk_dev_has_removable_media(blk)) {
        qmp_error_setg(err, "Device '%s' is not removable", name);
        return false;
    }
    if (blk_dev_has_tray(blk) && !blk_dev_is_tray_open(blk)) {
        qmp_error_setg(err, "Tray of device '%s' is not open", name);
        return false;
    }
    if (blk_bs(blk)) {
        qmp_error_setg(err, "There already is a medium in device '%s'", name);
        return false;
    }
    /* The device's permissions apply to the medium (its image locks). */
    if (!blk_insert_bs(blk, bs, &local)) {
        qmp_error_from(err, local);
        return false;
    }
    if (!blk_dev_has_tray(blk)) {
        blk_dev_change_media_cb(blk, true);
    }
    return true;
}

static bool close_tray(const char *device, const char *id, QmpError *err)
{
    BlockBackend *blk = get_blk(device, id, err);

    if (!blk) {
        return false;
    }
    if (!blk_dev_has_removable_media(blk)) {
        qmp_error_setg(err, "Device '%s' is not removable", device ? device : id);
        return false;
    }
    if (blk_dev_has_tray(blk) && blk_dev_is_tray_open(blk)) {
        blk_dev_change_media_cb(blk, true);
    }
    return true;
}

JsonNode *qmp_eject(JsonObject *args, QmpError *err)
{
    const char *device = qmp_arg_str(args, "device", NULL);
    const char *id = qmp_arg_str(args, "id", NULL);
    int rc = open_tray(device, id, qmp_arg_bool(args, "force", false), err);

    if (rc && rc != -ENOSYS) {
        return NULL;
    }
    clear_error(err);
    return remove_medium(device, id, err) ? qmp_return_empty() : NULL;
}

JsonNode *qmp_blockdev_open_tray(JsonObject *args, QmpError *err)
{
    int rc = open_tray(qmp_arg_str(args, "device", NULL), qmp_arg_str(args, "id", NULL),
                       qmp_arg_bool(args, "force", false), err);

    if (rc && rc != -ENOSYS && rc != -EINPROGRESS) {
        return NULL;
    }
    clear_error(err);
    return qmp_return_empty();
}

JsonNode *qmp_blockdev_close_tray(JsonObject *args, QmpError *err)
{
    return close_tray(qmp_arg_str(args, "device", NULL), qmp_arg_str(args, "id", NULL), err)
               ? qmp_return_empty()
               : NULL;
}

JsonNode *qmp_blockdev_remove_medium(JsonObject *args, QmpError *err)
{
    return remove_medium(NULL, qmp_arg_str(args, "id", NULL), err) ? qmp_return_empty() : NULL;
}

JsonNode *qmp_blockdev_insert_medium(JsonObject *args, QmpError *err)
{
    const char *id = qmp_arg_str(args, "id", NULL);
    const char *node = qmp_arg_str(args, "node-name", "");
    BlockBackend *blk = get_blk(NULL, id, err);
    BlockDriverState *bs;

    if (!blk) {
        return NULL;
    }
    bs = bdrv_find_node(node);
    if (!bs) {
        qmp_error_setg(err, "Node '%s' not found", node);
        return NULL;
    }
    if (blk_node_in_use(bs)) {
        qmp_error_setg(err, "Node '%s' is already in use", node);
        return NULL;
    }
    return insert_medium(blk, id, bs, err) ? qmp_return_empty() : NULL;
}

JsonNode *qmp_blockdev_change_medium(JsonObject *args, QmpError *err)
{
    const char *device = qmp_arg_str(args, "device", NULL);
    const char *id = qmp_arg_str(args, "id", NULL);
    const char *format = qmp_arg_str(args, "format", NULL);
    const char *mode = qmp_arg_str(args, "read-only-mode", "retain");
    BlockBackend *blk = get_blk(device, id, err);
    g_autoptr(GHashTable) opts = NULL;
    BlockDriverState *medium;
    Error *local = NULL;
    bool ok = false;
    int rc;

    if (!blk) {
        return NULL;
    }
    opts = bdrv_opts_new();
    bdrv_opts_set(opts, BDRV_OPT_DRIVE_MESSAGES, "1");
    bdrv_opts_set(opts, "file.driver", "file");
    bdrv_opts_set(opts, "file.filename", qmp_arg_str(args, "filename", ""));
    if (format) {
        bdrv_opts_set(opts, "driver", format);
    }
    if (!strcmp(mode, "retain")) {
        bdrv_opts_set(opts, "read-only", blk_root_read_only(blk) ? "on" : "off");
    } else {
        bdrv_opts_set(opts, "read-only", strcmp(mode, "read-only") ? "off" : "on");
    }
    medium = bdrv_open_opts(opts, &local);
    if (!medium) {
        qmp_error_from(err, local);
        return NULL;
    }
    rc = open_tray(device, id, qmp_arg_bool(args, "force", false), err);
    if (rc && rc != -ENOSYS) {
        goto out;
    }
    clear_error(err);
    if (!remove_medium(device, id, err) || !insert_medium(blk, device ? device : id, medium, err) ||
        !close_tray(device, id, err)) {
        goto out;
    }
    ok = true;
out:
    bdrv_unref(medium);
    return ok ? qmp_return_empty() : NULL;
}

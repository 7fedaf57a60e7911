/*
 * -blockdev and the block QMP commands: blockdev-add, blockdev-del,
 * query-block and query-named-block-nodes, with QEMU 7.2's messages and
 * reply shapes.
 */
#include "block/block-backend.h"
#include "block/block-int.h"
#include "block/qapi.h"
#include "sysemu/blockdev.h"
#include "qemu/error-report.h"

#include <sys/stat.h>

/* Every member at this level is one the driver (or every node) takes. */
static bool check_known(GHashTable *opts, const char *prefix, const BlockDriver *drv, Error **errp)
{
    size_t n = strlen(prefix);
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        const char *key = k;
        const char *m = key + n;

        if (strncmp(key, prefix, n) || key[0] == '\x01') {
            continue;
        }
        if (g_strv_contains(bdrv_generic_options, m) ||
            (drv->options && g_strv_contains(drv->options, m))) {
            continue;
        }
        if (drv->child_name &&
            (!strcmp(m, drv->child_name) ||
             (g_str_has_prefix(m, drv->child_name) && m[strlen(drv->child_name)] == '.'))) {
            continue;
        }
        if (drv->is_format && (!strcmp(m, "file") || !strcmp(m, "backing") ||
                               g_str_has_prefix(m, "file.") || g_str_has_prefix(m, "backing."))) {
            continue;
        }
        error_setg(errp, "Parameter '%s' is unexpected", key);
        return false;
    }
    return true;
}

/*
 * What QEMU's schema checks before any node is opened: a known driver and
 * the members it requires, for the root and each inline child.
 */
static bool check_required(GHashTable *opts, const char *prefix, Error **errp)
{
    g_autofree char *dkey = g_strconcat(prefix, "driver", NULL);
    const char *driver = g_hash_table_lookup(opts, dkey);
    const BlockDriver *drv;

    if (!driver) {
        error_setg(errp, "Parameter '%s' is missing", dkey);
        return false;
    }
    drv = bdrv_find_format(driver);
    if (!drv) {
        error_setg(errp, "Parameter '%s' does not accept value '%s'", dkey, driver);
        return false;
    }
    if (!check_known(opts, prefix, drv, errp)) {
        return false;
    }
    if (drv->child_name) {
        g_autofree char *key = g_strconcat(prefix, drv->child_name, NULL);
        g_autofree char *sub = g_strconcat(prefix, drv->child_name, ".", NULL);
        bool inline_child = false;
        GHashTableIter it;
        gpointer k;

        g_hash_table_iter_init(&it, opts);
        while (g_hash_table_iter_next(&it, &k, NULL)) {
            inline_child |= g_str_has_prefix(k, sub);
        }
        if (inline_child) {
            return check_required(opts, sub, errp);
        }
        if (!g_hash_table_contains(opts, key)) {
            error_setg(errp, "Parameter '%s' is missing", key);
            return false;
        }
        return true;
    }
    if (!drv->is_format) {
        g_autofree char *fkey = g_strconcat(prefix, "filename", NULL);

        if (drv->options && g_strv_contains(drv->options, "filename") &&
            !g_hash_table_contains(opts, fkey)) {
            error_setg(errp, "Parameter '%s' is missing", fkey);
            return false;
        }
        return true;
    }
    for (int i = 0; i < 2; i++) {
        const char *role = i ? "backing" : "file";
        g_autofree char *key = g_strconcat(prefix, role, NULL);
        g_autofree char *sub = g_strconcat(prefix, role, ".", NULL);
        bool inline_child = false;
        GHashTableIter it;
        gpointer k;

        g_hash_table_iter_init(&it, opts);
        while (g_hash_table_iter_next(&it, &k, NULL)) {
            inline_child |= g_str_has_prefix(k, sub);
        }
        if (inline_child && !check_required(opts, sub, errp)) {
            return false;
        }
        if (!i && !inline_child && !g_hash_table_contains(opts, key)) {
            error_setg(errp, "Parameter '%s' is missing", key);
            return false;
        }
    }
    return true;
}

/* Open a -blockdev/blockdev-add root node: the monitor holds its reference. */
static BlockDriverState *blockdev_open(GHashTable *opts, Error **errp)
{
    const char *name;
    BlockDriverState *bs;

    if (!check_required(opts, "", errp)) {
        return NULL;
    }
    name = g_hash_table_lookup(opts, "node-name");
    if (!name) {
        error_setg(errp, "'node-name' must be specified for the root node");
        return NULL;
    }
    if (blk_by_name(name)) {
        error_setg(errp, "node-name=%s is conflicting with a device id", name);
        return NULL;
    }
    bs = bdrv_open_opts(opts, errp);
    if (bs) {
        bs->monitor_owned = true;
    }
    return bs;
}

void blockdev_add_cmdline(const char *arg)
{
    Error *err = NULL;
    g_autoptr(GHashTable) opts = bdrv_opts_parse(arg, NULL, &err);

    if (!opts || !blockdev_open(opts, &err)) {
        error_report_err(err);
        error_exit_status(1);
    }
}

void blockdev_del_all(void)
{
    bool again = true;

    /* Dropping one may free other nodes (its children): the list is taken anew each time. */
    while (again) {
        g_autofree BlockDriverState **list = bdrv_list_nodes();

        again = false;
        for (BlockDriverState **bs = list; *bs; bs++) {
            if ((*bs)->monitor_owned) {
                (*bs)->monitor_owned = false;
                bdrv_unref(*bs);
                again = true;
                break;
            }
        }
    }
}

JsonNode *qmp_blockdev_add(JsonObject *args, QmpError *errp)
{
    g_autoptr(GHashTable) opts = bdrv_opts_from_json(args);
    Error *err = NULL;

    if (!blockdev_open(opts, &err)) {
        qmp_error_from(errp, err);
        return NULL;
    }
    return qmp_return_empty();
}

JsonNode *qmp_blockdev_del(JsonObject *args, QmpError *err)
{
    const char *name = json_object_get_string_member_with_default(args, "node-name", "");
    BlockDriverState *bs = bdrv_find_node(name);

    if (!bs) {
        qmp_error_setg(err, "Failed to find node with node-name='%s'", name);
        return NULL;
    }
    if (!bs->monitor_owned) {
        qmp_error_setg(err, "Node %s is not owned by the monitor", name);
        return NULL;
    }
    if (bs->refcnt > 1) {
        qmp_error_setg(err, "Node %s is in use", name);
        return NULL;
    }
    bdrv_unref(bs);
    return qmp_return_empty();
}

/* The qcow2 "format-specific" member, from the image header. */
static JsonObject *qcow2_specific(BlockDriverState *bs)
{
    uint8_t hdr[112] = { 0 };
    JsonObject *data = json_object_new(), *spec = json_object_new();
    uint32_t version, order = 4;
    uint64_t incompat = 0, compat = 0;

    if (bdrv_pread(bs->file, 0, hdr, sizeof(hdr)) == 0) {
        version = (uint32_t)hdr[4] << 24 | hdr[5] << 16 | hdr[6] << 8 | hdr[7];
        if (version >= 3) {
            for (int i = 0; i < 8; i++) {
                incompat = incompat << 8 | hdr[72 + i];
                compat = compat << 8 | hdr[80 + i];
            }
            order = (uint32_t)hdr[96] << 24 | hdr[97] << 16 | hdr[98] << 8 | hdr[99];
        }
        json_object_set_string_member(data, "compat", version >= 3 ? "1.1" : "0.10");
        json_object_set_string_member(data, "compression-type", "zlib");
        if (version >= 3) {
            json_object_set_boolean_member(data, "lazy-refcounts", compat & 1);
        }
        json_object_set_int_member(data, "refcount-bits", 1 << order);
        if (version >= 3) {
            json_object_set_boolean_member(data, "corrupt", incompat & 2);
            json_object_set_boolean_member(data, "extended-l2", incompat & 16);
        }
    }
    json_object_set_string_member(spec, "type", "qcow2");
    json_object_set_object_member(spec, "data", data);
    return spec;
}

static char *full_backing_name(BlockDriverState *bs)
{
    g_autofree char *dir = NULL;

    if (g_path_is_absolute(bs->backing_file) || !strchr(bdrv_get_filename(bs), '/')) {
        return g_strdup(bs->backing_file);
    }
    dir = g_path_get_dirname(bdrv_get_filename(bs));
    return g_build_filename(dir, bs->backing_file, NULL);
}

/* QEMU's dirty-flag comes from the driver's image information, which raw takes from its file. */
static bool image_has_info(const BlockDriverState *bs)
{
    while (!strcmp(bdrv_get_format_name(bs), "raw") && bs->file) {
        bs = bs->file;
    }
    return !bs->drv->no_info;
}

/* ImageInfo's snapshots (internal snapshots of qcow2), when there are any. */
static void snapshots_info(BlockDriverState *bs, JsonObject *img)
{
    BdrvSnapshotInfo *list;
    int n = bdrv_snapshot_list(bs, &list);
    JsonArray *arr;

    if (!n) {
        return;
    }
    arr = json_array_new();
    for (int i = 0; i < n; i++) {
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "id", list[i].id);
        json_object_set_string_member(o, "name", list[i].name);
        json_object_set_int_member(o, "vm-state-size", (int64_t)list[i].vm_state_size);
        json_object_set_int_member(o, "date-sec", list[i].date_sec);
        json_object_set_int_member(o, "date-nsec", list[i].date_nsec);
        json_object_set_int_member(o, "vm-clock-sec",
                                   (int64_t)(list[i].vm_clock_nsec / 1000000000));
        json_object_set_int_member(o, "vm-clock-nsec",
                                   (int64_t)(list[i].vm_clock_nsec % 1000000000));
        if (list[i].icount != -1) {
            json_object_set_int_member(o, "icount", list[i].icount);
        }
        json_array_add_object_element(arr, o);
    }
    bdrv_snapshot_list_free(list, n);
    json_object_set_array_member(img, "snapshots", arr);
}

/* ImageInfo: the node's image and, unless flat, its backing chain. */
static JsonObject *image_info(BlockDriverState *bs, bool flat)
{
    JsonObject *img = json_object_new();
    bool qcow2 = !strcmp(bdrv_get_format_name(bs), "qcow2");

    if (bs->backing && !flat) {
        json_object_set_object_member(img, "backing-image", image_info(bs->backing, false));
    }
    if (bs->backing_format) {
        json_object_set_string_member(img, "backing-filename-format", bs->backing_format);
    }
    /* QEMU counts every node's size in whole sectors. */
    json_object_set_int_member(img, "virtual-size",
                               QEMU_ALIGN_UP(bdrv_getlength(bs), BDRV_SECTOR_SIZE));
    json_object_set_string_member(img, "filename", bdrv_get_filename(bs));
    if (qcow2) {
        uint8_t bits[4] = { 0 };

        bdrv_pread(bs->file, 20, bits, 4);
        json_object_set_int_member(img, "cluster-size", 1ll << (bits[3] & 31));
    }
    json_object_set_string_member(img, "format", bdrv_get_format_name(bs));
    if (bdrv_allocated_size(bs) >= 0) {
        json_object_set_int_member(img, "actual-size", bdrv_allocated_size(bs));
    }
    if (qcow2) {
        json_object_set_object_member(img, "format-specific", qcow2_specific(bs));
    }
    if (bs->backing_file) {
        g_autofree char *full = full_backing_name(bs);

        json_object_set_string_member(img, "full-backing-filename", full);
        json_object_set_string_member(img, "backing-filename", bs->backing_file);
    }
    if (image_has_info(bs)) {
        json_object_set_boolean_member(img, "dirty-flag", false);
    }
    snapshots_info(bs, img);
    return img;
}

/* BlockDeviceInfo of a node. */
static JsonObject *node_info(BlockDriverState *bs, bool flat)
{
    JsonObject *o = json_object_new(), *cache = json_object_new();
    int depth = 0;

    /* A flat listing does not follow backing chains, not even to count them. */
    for (BlockDriverState *b = bs->backing; b && !flat; b = b->backing) {
        depth++;
    }
    json_object_set_int_member(o, "iops_rd", 0);
    json_object_set_string_member(o, "detect_zeroes", bs->detect_zeroes ? "on" : "off");
    json_object_set_object_member(o, "image", image_info(bs, flat));
    json_object_set_int_member(o, "iops_wr", 0);
    json_object_set_boolean_member(o, "ro", bs->read_only);
    json_object_set_string_member(o, "node-name", bs->node_name);
    json_object_set_int_member(o, "backing_file_depth", depth);
    json_object_set_string_member(o, "drv", bdrv_get_format_name(bs));
    json_object_set_int_member(o, "iops", 0);
    json_object_set_int_member(o, "bps_wr", 0);
    json_object_set_int_member(o, "write_threshold", 0);
    if (bs->backing) {
        g_autofree char *full = bs->backing_file ? full_backing_name(bs) : NULL;

        json_object_set_string_member(o, "backing_file",
                                      full ? full : bdrv_get_filename(bs->backing));
    }
    json_object_set_boolean_member(o, "encrypted", false);
    json_object_set_int_member(o, "bps", 0);
    json_object_set_int_member(o, "bps_rd", 0);
    json_object_set_boolean_member(cache, "no-flush", bs->cache_no_flush);
    json_object_set_boolean_member(cache, "direct", bs->cache_direct);
    json_object_set_boolean_member(cache, "writeback", true);
    json_object_set_object_member(o, "cache", cache);
    json_object_set_string_member(o, "file", bdrv_get_filename(bs));
    return o;
}

JsonNode *qmp_query_named_block_nodes(JsonObject *args, QmpError *err)
{
    bool flat = json_object_get_boolean_member_with_default(args, "flat", false);
    g_autofree BlockDriverState **nodes = bdrv_list_nodes();
    JsonArray *arr = json_array_new();
    int n = 0;

    while (nodes[n]) {
        n++;
    }
    /* Newest first, as QEMU lists them. */
    for (int i = n - 1; i >= 0; i--) {
        json_array_add_object_element(arr, node_info(nodes[i], flat));
    }
    return qmp_node_array(arr);
}

JsonNode *qmp_query_block(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        g_autofree char *qdev = blk_get_attached_dev_id(blk);
        JsonObject *o;

        if (!*blk_name(blk) && !blk_is_attached(blk)) {
            continue; /* an anonymous backend nobody uses */
        }
        o = json_object_new();
        json_object_set_string_member(o, "device", blk_name(blk));
        if (*qdev) {
            json_object_set_string_member(o, "qdev", qdev);
        }
        json_object_set_boolean_member(o, "locked", blk_dev_is_medium_locked(blk));
        json_object_set_boolean_member(o, "removable", blk_dev_has_removable_media(blk));
        if (blk_dev_has_tray(blk)) {
            json_object_set_boolean_member(o, "tray_open", blk_dev_is_tray_open(blk));
        }
        if (blk_iostatus_is_enabled(blk)) {
            json_object_set_string_member(o, "io-status", "ok");
        }
        if (blk_bs(blk)) {
            json_object_set_object_member(o, "inserted", node_info(blk_bs(blk), false));
        }
        json_object_set_string_member(o, "type", "unknown");
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

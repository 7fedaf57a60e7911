/*
 * -drive: QEMU's legacy drive option turned into a node graph (a format node
 * over a file node, a snapshot=on overlay) and a BlockBackend named by id,
 * for the board or a device (drive=ID) to attach.
 */
#include "sysemu/blockdev.h"
#include "block/block-backend.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "hw/qdev-core.h"
#include "hw/ppc/spapr_vio.h"

#include <fcntl.h>
#include <unistd.h>

struct DriveInfo {
    char *id;
    bool auto_id;   /* named by QEMU's rule, not id= */
    bool anonymous; /* a -blockdev node a device named: not a -drive */
    BlockInterfaceType type;
    int bus;
    int unit;
    bool cdrom;
    bool is_default; /* the board's own empty CD-ROM, not a -drive */
    bool deleted;    /* drive_del'd while a device used it: freed with the device */
    char *arg;       /* the -drive argument, for messages about the drive's device */
    char *serial;
    BlockBackend *blk;
};

static GPtrArray *drives;      /* of DriveInfo * in command-line order */
static bool snapshot_default;  /* -snapshot */
static GPtrArray *node_drives; /* DriveInfo for -blockdev nodes named by devices */

static const char *const if_names[] = {
    [IF_NONE] = "none",
    [IF_PFLASH] = "pflash",
    [IF_VIRTIO] = "virtio",
    [IF_SCSI] = "scsi",
};
/* Units per bus (0: one bus, any unit), as QEMU's if_max_devs. */
static const int if_max_devs[] = { [IF_SCSI] = 7 };

/* QEMU's interfaces this board has no bus for. */
static const char *const absent_ifs[] = { "ide", "floppy", "sd", "mtd", "xen", NULL };
/* QEMU image formats not implemented here. */
static const char *const absent_formats[] = { "vmdk",  "vdi", "vpc",   "vhdx",        "qed",
                                              "qcow",  "dmg", "luks",  "parallels",   "bochs",
                                              "cloop", "nbd", "vvfat", "host_device", NULL };

static void drive_free(DriveInfo *d)
{
    blk_unref(d->blk);
    g_free(d->arg);
    g_free(d->id);
    g_free(d->serial);
    g_free(d);
}

/* The -drive with that id (NULL: none). */
static DriveInfo *drive_find(const char *id)
{
    for (guint i = 0; id && drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (!strcmp(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

DriveInfo *drive_get_by_id(const char *id)
{
    BlockDriverState *bs;
    DriveInfo *d = drive_find(id);

    if (d) {
        return d;
    }
    for (guint i = 0; id && node_drives && i < node_drives->len; i++) {
        d = g_ptr_array_index(node_drives, i);
        if (!strcmp(d->id, id)) {
            return d;
        }
    }
    /* A device naming a -blockdev node gets an anonymous backend on it. */
    bs = id ? bdrv_find_node(id) : NULL;
    if (!bs || !bs->monitor_owned) {
        return NULL;
    }
    d = g_new0(DriveInfo, 1);
    d->id = g_strdup(id);
    d->anonymous = true;
    d->type = IF_NONE;
    d->blk = blk_new(bs, NULL);
    if (!node_drives) {
        node_drives = g_ptr_array_new();
    }
    g_ptr_array_add(node_drives, d);
    return d;
}

DriveInfo *drive_get_bus(BlockInterfaceType type, int bus, int unit)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (d->type == type && d->bus == bus && d->unit == unit) {
            return d;
        }
    }
    return NULL;
}

DriveInfo *drive_get(BlockInterfaceType type, int unit)
{
    return drive_get_bus(type, 0, unit);
}

/*
 * The -drive keys for the drive itself; the rest (node-name, discard,
 * file.*, the format's own) go to the nodes.
 */
static const char *const drive_keys[] = {
    "if",    "file",     "format", "id",     "unit",   "index", "bus",  "media",        "readonly",
    "cache", "snapshot", "serial", "werror", "rerror", "aio",   "addr", "copy-on-read", NULL,
};
/* QEMU -drive keys this implementation does not serve. */
static const char *const absent_keys[] = { "cyls",    "heads",   "secs",   "trans",
                                           "bps",     "iops",    "bps_rd", "bps_wr",
                                           "iops_rd", "iops_wr", "group",  NULL };

static bool drive_parse_if(DriveInfo *d, QemuOpts *opts, char **why)
{
    const char *itf = qemu_opt_get(opts, "if");

    if (!itf) {
        d->type = IF_SCSI; /* pseries' default block interface */
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(if_names); i++) {
        if (!strcmp(itf, if_names[i])) {
            d->type = i;
            return true;
        }
    }
    if (g_strv_contains(absent_ifs, itf)) {
        *why = g_strdup_printf("machine type does not support if=%s,bus=0,unit=0", itf);
    } else {
        *why = g_strdup_printf("unsupported bus type '%s'", itf);
    }
    return false;
}

/* bus/unit, or index (bus = index / units per bus), or the first free unit. */
static bool drive_parse_unit(DriveInfo *d, QemuOpts *opts, char **why)
{
    uint64_t unit = 0, index = 0, bus = 0;
    bool has_unit = qemu_opt_has(opts, "unit"), has_index = qemu_opt_has(opts, "index");
    bool has_bus = qemu_opt_has(opts, "bus");
    int max = if_max_devs[d->type];

    if (!qemu_opt_get_number(opts, "unit", 0, &unit, why) ||
        !qemu_opt_get_number(opts, "index", 0, &index, why) ||
        !qemu_opt_get_number(opts, "bus", 0, &bus, why)) {
        return false;
    }
    if (has_index && (has_unit || has_bus)) {
        *why = g_strdup("index cannot be used with bus and unit");
        return false;
    }
    if (has_index) {
        bus = max ? index / max : 0;
        unit = max ? index % max : index;
    } else if (!has_unit) {
        while (drive_get_bus(d->type, bus, unit)) {
            unit++;
        }
        if (max && unit >= (uint64_t)max) {
            unit -= max;
            bus += unit / max + 1;
            unit %= max;
        }
    }
    if (max && unit >= (uint64_t)max) {
        *why = g_strdup_printf("unit %" PRIu64 " too big (max is %d)", unit, max - 1);
        return false;
    }
    if (drive_get_bus(d->type, bus, unit)) {
        *why = g_strdup_printf("drive with bus=%" PRIu64 ", unit=%" PRIu64 " (index=%" PRId64
                               ") exists",
                               bus, unit, has_index ? (int64_t)index : (int64_t)-1);
        return false;
    }
    if (d->type == IF_PFLASH && (unit != 0 || bus != 0)) {
        *why = g_strdup_printf(
            "machine type does not support if=pflash,bus=%" PRIu64 ",unit=%" PRIu64, bus, unit);
        return false;
    }
    d->bus = bus;
    d->unit = unit;
    return true;
}

/* A boolean key; QEMU names the option it maps to (readonly: read-only). */
static bool drive_parse_bool(QemuOpts *opts, const char *key, const char *name, bool *val,
                             char **why)
{
    const char *v = qemu_opt_get(opts, key);

    if (v && !qemu_parse_bool(v, val)) {
        *why = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

/* cache=: the node's cache.direct/no-flush and the guest's write cache. */
static bool drive_parse_cache(const char *mode, bool *direct, bool *no_flush, bool *wce)
{
    *direct = *no_flush = false;
    *wce = true;
    if (!mode || !strcmp(mode, "writeback")) {
        return true;
    }
    if (!strcmp(mode, "none") || !strcmp(mode, "off")) {
        *direct = true;
    } else if (!strcmp(mode, "writethrough")) {
        *wce = false;
    } else if (!strcmp(mode, "directsync")) {
        *direct = true;
        *wce = false;
    } else if (!strcmp(mode, "unsafe")) {
        *no_flush = true;
    } else {
        return false;
    }
    return true;
}

/* The node options for the image: the format over a file node, keys the drive left. */
static GHashTable *drive_node_opts(QemuOpts *opts, bool ro, bool direct, bool no_flush, char **why)
{
    GHashTable *no = bdrv_opts_new();
    const char *format = qemu_opt_get(opts, "format");
    const char *aio = qemu_opt_get(opts, "aio");
    Error *err = NULL;

    bdrv_opts_set(no, BDRV_OPT_DRIVE_MESSAGES, "1");
    if (format) {
        bdrv_opts_set(no, "driver", format);
    }
    /* Without a file, "driver" names the node's driver (QEMU's -drive driver=null-co). */
    if (qemu_opt_get(opts, "file") &&
        !bdrv_protocol_opts(no, "file.", qemu_opt_get(opts, "file"), &err)) {
        *why = error_steal_message(err);
        g_hash_table_unref(no);
        return NULL;
    }
    bdrv_opts_set(no, "read-only", ro ? "on" : "off");
    bdrv_opts_set(no, "cache.direct", direct ? "on" : "off");
    bdrv_opts_set(no, "cache.no-flush", no_flush ? "on" : "off");
    if (aio && !g_strcmp0(g_hash_table_lookup(no, "file.driver"), "file")) {
        bdrv_opts_set(no, "file.aio", aio);
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (g_strv_contains(drive_keys, o->name)) {
            continue;
        }
        if (!strcmp(o->name, "discard") && strcmp(o->value, "ignore") && strcmp(o->value, "off") &&
            strcmp(o->value, "unmap") && strcmp(o->value, "on")) {
            *why = g_strdup("Invalid discard option");
            g_hash_table_unref(no);
            return NULL;
        }
        if (!strcmp(o->name, "file.locking") && strcmp(o->value, "on") && strcmp(o->value, "off") &&
            strcmp(o->value, "auto")) {
            *why = g_strdup_printf("invalid parameter value: %s", o->value);
            g_hash_table_unref(no);
            return NULL;
        }
        bdrv_opts_set(no, o->name, o->value);
    }
    return no;
}

/* QEMU's identifiers: a letter, then letters, digits, '-', '.', '_'. */
static bool drive_id_valid(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static bool drive_check_keys(QemuOpts *opts, char **why)
{
    const char *format = qemu_opt_get(opts, "format");
    const char *aio = qemu_opt_get(opts, "aio");
    const char *media = qemu_opt_get(opts, "media");
    const char *cor = qemu_opt_get(opts, "copy-on-read");
    const char *werror = qemu_opt_get(opts, "werror"), *rerror = qemu_opt_get(opts, "rerror");
    static const char *const werror_actions[] = { "ignore", "stop", "report", "enospc", NULL };
    const char *id = qemu_opt_get(opts, "id");

    for (guint i = 0; i < opts->list->len; i++) {
        const char *name = ((QemuOpt *)g_ptr_array_index(opts->list, i))->name;

        if (g_strv_contains(absent_keys, name) || g_str_has_prefix(name, "throttling.")) {
            *why = g_strdup_printf("option '%s' is not supported by this implementation", name);
            return false;
        }
    }
    if (id && !drive_id_valid(id)) {
        *why = g_strdup("Parameter 'id' expects an identifier\n"
                        "Identifiers consist of letters, digits, '-', '.', '_', starting with a "
                        "letter.");
        return false;
    }
    if (format && qemu_opt_get(opts, "driver")) {
        *why = g_strdup("Cannot specify both 'driver' and 'format'");
        return false;
    }
    if (format && g_strv_contains(absent_formats, format)) {
        *why = g_strdup_printf("format=%s is not supported yet (raw and qcow2 are)", format);
        return false;
    }
    if (format && !bdrv_find_format(format)) {
        *why = g_strdup_printf("Unknown driver '%s'", format);
        return false;
    }
    if (aio && strcmp(aio, "threads") && strcmp(aio, "native") && strcmp(aio, "io_uring")) {
        *why = g_strdup("invalid aio option");
        return false;
    }
    if (media && strcmp(media, "disk") && strcmp(media, "cdrom")) {
        *why = g_strdup_printf("'%s' invalid media", media);
        return false;
    }
    if (werror && !g_strv_contains(werror_actions, werror)) {
        *why = g_strdup_printf("'%s' invalid write error action", werror);
        return false;
    }
    if (rerror && (!g_strv_contains(werror_actions, rerror) || !strcmp(rerror, "enospc"))) {
        *why = g_strdup_printf("'%s' invalid read error action", rerror);
        return false;
    }
    if (cor && strcmp(cor, "off")) {
        *why = g_strdup("copy-on-read=on is not supported yet");
        return false;
    }
    return true;
}

/*
 * snapshot=on: writes go to a temporary qcow2 overlay over the image (opened
 * read-only); the overlay's file is unlinked as soon as it is open.
 */
static BlockDriverState *drive_snapshot_overlay(BlockDriverState *base, bool direct, bool no_flush,
                                                char **why)
{
    g_autofree char *tmp =
        g_build_filename(g_getenv("TMPDIR") ? g_getenv("TMPDIR") : "/var/tmp", "vl.XXXXXX", NULL);
    g_autoptr(GHashTable) no = bdrv_opts_new();
    Error *err = NULL;
    BlockDriverState *bs;
    int fd = g_mkstemp(tmp);

    if (fd < 0) {
        *why = g_strdup_printf("Could not get temporary filename: %s", g_strerror(errno));
        return NULL;
    }
    close(fd);
    if (!qcow2_create_file(tmp, bdrv_getlength(base), bdrv_get_filename(base),
                           bdrv_get_format_name(base), &err)) {
        unlink(tmp);
        *why = error_steal_message(err);
        return NULL;
    }
    bdrv_opts_set(no, "driver", "qcow2");
    bdrv_opts_set(no, "file.driver", "file");
    bdrv_opts_set(no, "file.filename", tmp);
    bdrv_opts_set(no, "backing", base->node_name);
    bdrv_opts_set(no, "cache.direct", direct ? "on" : "off");
    bdrv_opts_set(no, "cache.no-flush", no_flush ? "on" : "off");
    bs = bdrv_open_opts(no, &err);
    unlink(tmp);
    if (!bs) {
        *why = error_steal_message(err);
        return NULL;
    }
    bs->temporary = true;
    return bs;
}

/*
 * A drive without file= is empty, as QEMU 7.2's, unless it names a format or
 * options for an image node (cache=, serial=, discard=, node keys).
 */
static bool drive_check_empty(QemuOpts *opts, char **why)
{
    static const char *const drive_only[] = { "if",           "id",     "unit",     "index",
                                              "bus",          "media",  "readonly", "snapshot",
                                              "werror",       "rerror", "aio",      "addr",
                                              "copy-on-read", NULL };

    if (qemu_opt_get(opts, "format")) {
        *why = g_strdup("A block device must be specified for \"file\"");
        return false;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        const char *name = ((QemuOpt *)g_ptr_array_index(opts->list, i))->name;

        if (!g_strv_contains(drive_only, name)) {
            *why = g_strdup("Must specify either driver or file");
            return false;
        }
    }
    return true;
}

static bool drive_open(DriveInfo *d, QemuOpts *opts, bool ro, char **why)
{
    bool direct, no_flush, wce, snapshot = false;
    g_autoptr(GHashTable) no = NULL;
    BlockDriverState *bs, *top;
    Error *err = NULL;

    if (!drive_parse_cache(qemu_opt_get(opts, "cache"), &direct, &no_flush, &wce)) {
        *why = g_strdup("invalid cache option");
        return false;
    }
    snapshot = snapshot_default;
    if (!drive_parse_bool(opts, "snapshot", "snapshot", &snapshot, why)) {
        return false;
    }
    no = drive_node_opts(opts, ro || snapshot, direct, no_flush, why);
    if (!no) {
        return false;
    }
    bs = bdrv_open_opts(no, &err);
    if (!bs) {
        *why = error_steal_message(err);
        return false;
    }
    top = bs;
    if (snapshot && !ro && !bdrv_find_format("qcow2")) {
        *why = g_strdup("snapshot=on is not supported yet (it needs qcow2 overlays)");
        bdrv_unref(bs);
        return false;
    }
    if (snapshot && !ro) {
        top = drive_snapshot_overlay(bs, direct, no_flush, why);
        bdrv_unref(bs); /* the overlay holds it as its backing node */
        if (!top) {
            return false;
        }
    }
    d->blk = blk_new(top, d->id);
    bdrv_unref(top);
    blk_set_enable_write_cache(d->blk, wce);
    return true;
}

static DriveInfo *drive_parse(const char *arg, char **why)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "file", &perr);
    DriveInfo *d = g_new0(DriveInfo, 1);
    const char *id, *media;
    bool ok, ro = false;

    if (!opts) {
        *why = g_steal_pointer(&perr);
        g_free(d);
        return NULL;
    }
    id = qemu_opt_get(opts, "id");
    media = qemu_opt_get(opts, "media");
    ok = drive_check_keys(opts, why) && drive_parse_if(d, opts, why) &&
         drive_parse_unit(d, opts, why) &&
         drive_parse_bool(opts, "readonly", "read-only", &ro, why);
    d->cdrom = media && !strcmp(media, "cdrom");
    if (ok && id && drive_find(id)) {
        *why = drive_find(id)->auto_id ? g_strdup_printf("Device with id '%s' already exists", id)
                                       : g_strdup_printf("Duplicate ID '%s' for drive", id);
        ok = false;
    }
    if (ok && id && bdrv_find_node(id)) {
        *why = g_strdup_printf("Device name '%s' conflicts with an existing node name", id);
        ok = false;
    }
    if (ok && !qemu_opt_get(opts, "file") && !qemu_opt_get(opts, "driver")) {
        ok = drive_check_empty(opts, why);
    }
    if (ok) {
        /* QEMU names an unnamed drive after its interface, bus and unit. */
        if (id) {
            d->id = g_strdup(id);
        } else if (if_max_devs[d->type]) {
            d->id = g_strdup_printf("%s%d-%s%d", if_names[d->type], d->bus, d->cdrom ? "cd" : "hd",
                                    d->unit);
        } else {
            d->id = g_strdup_printf("%s%d", if_names[d->type], d->unit);
        }
        d->auto_id = !id;
        if (!id && drive_find(d->id)) {
            *why = g_strdup_printf("Device with id '%s' already exists", d->id);
            ok = false;
        }
    }
    if (ok) {
        d->arg = g_strdup(arg);
        d->serial = g_strdup(qemu_opt_get(opts, "serial"));
        if (qemu_opt_get(opts, "file") || qemu_opt_get(opts, "driver")) {
            ok = drive_open(d, opts, ro || d->cdrom, why);
        } else {
            d->blk = blk_new(NULL, d->id); /* empty: no medium */
            blk_set_root_read_only(d->blk, ro || d->cdrom);
        }
    }
    qemu_opts_free(opts);
    if (!ok) {
        drive_free(d);
        return NULL;
    }
    return d;
}

unsigned drive_commit_all(void)
{
    unsigned overlays = 0;

    /*
     * Only snapshot=on drives have something to write back (QEMU commits
     * every node with a backing file; -drive here makes no others), and
     * writing an overlay into its image is not implemented: count them.
     */
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        BlockDriverState *bs = d->blk ? blk_bs(d->blk) : NULL;

        overlays += bs && bs->temporary && bs->backing;
    }
    return overlays;
}

void drive_set_snapshot_default(bool on)
{
    snapshot_default = on;
}

DriveInfo *drive_new(const char *arg, char **err)
{
    DriveInfo *d = drive_parse(arg, err);

    if (!d) {
        return NULL;
    }
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return d;
}

/* Called while vl.c handles the option: messages get the "-drive ARG: " prefix. */
void drive_add(const char *arg)
{
    char *err = NULL;

    if (!drive_new(arg, &err)) {
        error_exit("%s", err);
    }
}

void drive_add_default_cdrom(const GPtrArray *device_args)
{
    char *err = NULL;
    DriveInfo *d;

    /* A -drive at that place or a SCSI unit of the user's own takes its place. */
    if (drive_get_bus(IF_SCSI, 0, 2)) {
        return;
    }
    for (guint i = 0; device_args && i < device_args->len; i++) {
        const char *arg = g_ptr_array_index(device_args, i);
        size_t n = strcspn(arg, ",");

        if (g_str_has_prefix(arg, "driver=")) {
            arg += strlen("driver=");
            n = strcspn(arg, ",");
        }
        if ((n == 7 && !strncmp(arg, "scsi-cd", 7)) || (n == 7 && !strncmp(arg, "scsi-hd", 7))) {
            return;
        }
    }
    d = drive_new("if=scsi,index=2,media=cdrom", &err);
    if (!d) {
        /* -drive id=scsi0-cd2 took its name: QEMU 7.2 aborts with this message, ours exits. */
        error_exit_take(err);
    }
    d->is_default = true;
}

void drive_add_legacy(const char *file, int index, const char *media)
{
    GString *arg = g_string_new(NULL);

    g_string_append_printf(arg, "index=%d,media=%s,file=", index, media);
    for (const char *p = file; *p; p++) {
        g_string_append_c(arg, *p);
        if (*p == ',') {
            g_string_append_c(arg, ','); /* a comma in the name is doubled */
        }
    }
    drive_add(arg->str);
    g_string_free(arg, TRUE);
}

/*
 * How QEMU 7.2 names a drive's device in query-block and DEVICE_TRAY_MOVED:
 * its id; a VIO device's id is its node name (QEMU gives it that id); a
 * virtio-blk-pci's disk is its child "virtio-backend" (which has no id);
 * other devices by their QOM path.
 */
static char *drive_dev_name(void *opaque)
{
    DeviceState *dev = opaque;
    const DeviceClass *vblk = qdev_find_type("virtio-blk-pci");
    g_autofree char *vio = NULL;

    if (vblk && qdev_class_is(dev->cls, vblk)) {
        return dev->path ? g_strdup_printf("%s/virtio-backend", dev->path) : NULL;
    }
    if (dev->id) {
        return g_strdup(dev->id);
    }
    vio = spapr_vio_fw_path(dev);
    if (vio) {
        return g_strdup(vio + strlen("/vdevice/"));
    }
    return g_strdup(dev->path);
}

/* QEMU's numbers for the interfaces, in its "Can't hot-add drive to type N". */
static const int if_qemu_number[] = {
    [IF_NONE] = 0,
    [IF_PFLASH] = 4,
    [IF_VIRTIO] = 7,
    [IF_SCSI] = 2,
};

static void drive_remove(DriveInfo *d)
{
    g_ptr_array_remove(drives, d);
    drive_free(d);
}

bool drive_hot_add(const char *arg, char **err)
{
    DriveInfo *d = drive_new(arg, err);

    if (!d) {
        return false;
    }
    if (d->type != IF_NONE) {
        *err = g_strdup_printf("Can't hot-add drive to type %d", if_qemu_number[d->type]);
        drive_remove(d);
        return false;
    }
    return true;
}

bool drive_delete(const char *id, char **err)
{
    BlockBackend *blk = blk_by_name(id);
    DriveInfo *d = NULL;

    for (guint i = 0; blk && drives && i < drives->len; i++) {
        if (((DriveInfo *)g_ptr_array_index(drives, i))->blk == blk) {
            d = g_ptr_array_index(drives, i);
        }
    }
    if (!d) {
        *err = g_strdup_printf("Device '%s' not found", id);
        return false;
    }
    blk_drain(blk);
    if (blk_bs(blk)) {
        blk_remove_bs(blk);
    }
    blk_remove_name(blk);
    if (blk_is_attached(blk)) {
        /* The id stays taken until the device goes, as in QEMU. */
        d->deleted = true;
    } else {
        drive_remove(d);
    }
    return true;
}

void drive_auto_delete(DriveInfo *d)
{
    blk_detach_dev(d->blk);
    if (!d->anonymous && drives && g_ptr_array_find(drives, d, NULL)) {
        drive_remove(d);
    }
}

bool drive_claim(DriveInfo *d, void *dev)
{
    blk_dev_name_hook = drive_dev_name;
    return blk_attach_dev(d->blk, dev);
}

void drive_release(DriveInfo *d)
{
    blk_detach_dev(d->blk);
    if (d->deleted) {
        drive_remove(d);
    }
}

bool drive_set_perm(DriveInfo *d, unsigned perm, unsigned shared, char **why)
{
    Error *err = NULL;

    if (!blk_set_perm(d->blk, perm, shared, &err)) {
        g_autofree char *hint = g_strdup(error_get_hint(err));
        g_autofree char *msg = error_steal_message(err);

        *why = hint ? g_strdup_printf("%s\n%s", msg, hint) : g_steal_pointer(&msg);
        return false;
    }
    return true;
}

bool drive_lock_write(DriveInfo *d, char **why)
{
    return drive_set_perm(d, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, BLK_PERM_ALL, why);
}

const char *drive_id(const DriveInfo *d)
{
    return d->id;
}

const char *drive_arg(const DriveInfo *d)
{
    return d->is_default ? NULL : d->arg;
}

bool drive_is_if_none(const DriveInfo *d)
{
    return d->type == IF_NONE;
}

bool drive_read_only(const DriveInfo *d)
{
    return blk_is_read_only(d->blk);
}

bool drive_is_cdrom(const DriveInfo *d)
{
    return d->cdrom;
}

bool drive_has_medium(const DriveInfo *d)
{
    return blk_bs(d->blk) != NULL;
}

const char *drive_serial(const DriveInfo *d)
{
    return d->serial;
}

BlockBackend *drive_get_blk(const DriveInfo *d)
{
    return d->blk;
}

uint64_t drive_length(const DriveInfo *d)
{
    int64_t len = blk_getlength(d->blk);

    return len < 0 ? 0 : len;
}

bool drive_pread(DriveInfo *d, uint64_t offset, void *buf, size_t len)
{
    return blk_pread(d->blk, offset, buf, len) == 0;
}

bool drive_pwrite(DriveInfo *d, uint64_t offset, const void *buf, size_t len)
{
    return blk_pwrite(d->blk, offset, buf, len) == 0;
}

void drive_check_orphaned(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (d->type != IF_NONE && !d->is_default && !blk_is_attached(d->blk)) {
            warn_report("Orphaned drive without device: id=%s,file=%s,if=%s,bus=%d,unit=%d", d->id,
                        blk_bs(d->blk) ? bdrv_get_filename(blk_bs(d->blk)) : "", if_names[d->type],
                        d->bus, d->unit);
        }
    }
}

void drive_flush_all(void)
{
    blk_drain_all();
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (blk_bs(d->blk) && !blk_is_read_only(d->blk)) {
            blk_flush(d->blk);
        }
    }
}

void drive_cleanup(void)
{
    blk_drain_all();
    for (guint i = 0; node_drives && i < node_drives->len; i++) {
        drive_free(g_ptr_array_index(node_drives, i));
    }
    for (guint i = 0; drives && i < drives->len; i++) {
        drive_free(g_ptr_array_index(drives, i));
    }
    g_clear_pointer(&node_drives, g_ptr_array_unref);
    g_clear_pointer(&drives, g_ptr_array_unref);
}

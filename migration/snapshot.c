/*
 * VM snapshots as QEMU 7.2 takes them: an internal snapshot of every
 * writable disk, the machine's state (our migration stream) in the VM state
 * area of the first disk that can hold one.  HMP savevm, loadvm, delvm and
 * info snapshots, and -loadvm.
 */
#include "migration/snapshot.h"
#include "block/block-backend.h"
#include "migration/migration.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

/* ---- The disks (QEMU's bdrv_first/bdrv_next order) ---------------------- */

typedef struct SnapDisk {
    BlockDriverState *bs;
    const char *name; /* the drive's id, else the node name */
    bool listed;      /* named in QMP's devices: it takes part even when read-only */
} SnapDisk;

/* The name QEMU gives a node in messages: its drive's id, else its node name. */
static const char *disk_name(BlockDriverState *bs)
{
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (blk_bs(blk) == bs && blk_name(blk) && *blk_name(blk)) {
            return blk_name(blk);
        }
    }
    return bs->node_name;
}

/* Every inserted root node: the backends', then monitor-owned nodes no backend holds. */
static GArray *snap_disks(void)
{
    GArray *a = g_array_new(false, false, sizeof(SnapDisk));
    g_autofree BlockDriverState **nodes = bdrv_list_nodes();
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        BlockDriverState *bs = blk_bs(blk);
        SnapDisk d = { bs, blk_name(blk) };

        if (!bs) {
            continue;
        }
        if (!d.name || !*d.name) {
            d.name = bs->node_name;
        }
        g_hash_table_add(seen, bs);
        g_array_append_val(a, d);
    }
    for (size_t i = 0; nodes && nodes[i]; i++) {
        SnapDisk d = { nodes[i], nodes[i]->node_name };

        if (nodes[i]->monitor_owned && !g_hash_table_contains(seen, nodes[i])) {
            g_hash_table_add(seen, nodes[i]);
            g_array_append_val(a, d);
        }
    }
    return a;
}

/* The nodes QMP's devices list names (NULL: every disk). */
static GArray *snap_disks_named(const char *const *devices, Error **errp)
{
    GArray *a;

    if (!devices) {
        return snap_disks();
    }
    a = g_array_new(false, false, sizeof(SnapDisk));
    for (size_t i = 0; devices[i]; i++) {
        SnapDisk d = { bdrv_find_node(devices[i]), NULL, true };

        if (!d.bs) {
            error_setg(errp, "No block device node '%s'", devices[i]);
            g_array_unref(a);
            return NULL;
        }
        d.name = disk_name(d.bs);
        g_array_append_val(a, d);
    }
    return a;
}

/* Writable disks all take part in a snapshot; they must all support them. */
static bool all_can_snapshot(GArray *disks, Error **errp)
{
    for (guint i = 0; i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);

        if ((d->listed || !d->bs->read_only) && !bdrv_can_snapshot(d->bs)) {
            error_setg(errp, "Device '%s' is writable but does not support snapshots", d->name);
            return false;
        }
    }
    return true;
}

/* The disk that takes the VM state: the node named so, else the first that can snapshot. */
static SnapDisk *vmstate_disk(GArray *disks, const char *node, Error **errp)
{
    if (node) {
        /* Among the disks being snapshotted, as QEMU 7.2 looks for it. */
        for (guint i = 0; i < disks->len; i++) {
            SnapDisk *d = &g_array_index(disks, SnapDisk, i);

            if (!strcmp(d->bs->node_name, node)) {
                if (!bdrv_can_snapshot(d->bs)) {
                    error_setg(errp, "vmstate block device '%s' does not support snapshots", node);
                    return NULL;
                }
                return d;
            }
        }
        error_setg(errp, "vmstate block device '%s' does not exist", node);
        return NULL;
    }
    for (guint i = 0; i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);

        if (bdrv_can_snapshot(d->bs)) {
            return d;
        }
    }
    error_setg(errp, "no block device can store vmstate for snapshot");
    return NULL;
}

/* Delete the snapshot called name (the first such) on every disk that has one. */
static bool all_delete(GArray *disks, const char *name, Error **errp)
{
    if (!all_can_snapshot(disks, errp)) {
        return false;
    }
    for (guint i = 0; i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);
        BdrvSnapshotInfo sn;

        if (bdrv_can_snapshot(d->bs) && bdrv_snapshot_find(d->bs, name, &sn)) {
            Error *err = NULL;
            int ret = bdrv_snapshot_delete(d->bs, sn.id, sn.name, &err);

            g_free(sn.id);
            g_free(sn.name);
            if (ret < 0) {
                error_prepend(&err, "Could not delete snapshot '%s' on '%s': ", name, d->name);
                error_propagate(errp, err);
                return false;
            }
        }
    }
    return true;
}

/* ---- The VM state area as a migration channel -------------------------- */

#define VMSTATE_BUF (1024 * 1024)

typedef struct VmstateIO {
    BlockDriverState *bs;
    uint64_t pos;   /* the next byte's offset in the area */
    uint64_t limit; /* reading: the snapshot's VM state size */
    GByteArray *buf;
} VmstateIO;

static bool vmstate_flush(VmstateIO *io, Error **errp)
{
    int ret;

    if (!io->buf->len) {
        return true;
    }
    ret = bdrv_save_vmstate(io->bs, io->buf->data, io->pos, io->buf->len);
    if (ret < 0) {
        error_setg(errp, "Failed to write the VM state: %s", g_strerror(-ret));
        return false;
    }
    io->pos += io->buf->len;
    g_byte_array_set_size(io->buf, 0);
    return true;
}

static bool vmstate_write(void *opaque, const void *buf, size_t len, Error **errp)
{
    VmstateIO *io = opaque;

    g_byte_array_append(io->buf, buf, len);
    return io->buf->len < VMSTATE_BUF || vmstate_flush(io, errp);
}

static ssize_t vmstate_read(void *opaque, void *buf, size_t len)
{
    VmstateIO *io = opaque;
    uint64_t n = MIN(len, io->limit - io->pos);

    if (n && bdrv_load_vmstate(io->bs, buf, io->pos, n) < 0) {
        return -1;
    }
    io->pos += n;
    return (ssize_t)n;
}

static const MigChannelOps vmstate_ops = {
    .write = vmstate_write,
    .read = vmstate_read,
};

/* ---- save, load, delete ------------------------------------------------ */

bool snapshot_save(const char *name, bool overwrite, const char *vmstate,
                   const char *const *devices, Error **errp)
{
    g_autoptr(GArray) disks = snap_disks_named(devices, errp);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *tag = name ? g_strdup(name) : g_date_time_format(now, "vm-%Y%m%d%H%M%S");
    VmstateIO io = { 0 };
    MigChannel ch = { .fd = -1, .ops = &vmstate_ops, .opaque = &io };
    uint64_t stats[2], bytes = 0;
    BdrvSnapshotInfo sn = { 0 };
    RunState state = runstate_get();
    bool was_running = runstate_is_running(), ok;
    SnapDisk *vm;

    if (!disks || !all_can_snapshot(disks, errp)) {
        return false;
    }
    if (name && overwrite && !all_delete(disks, name, errp)) {
        return false;
    }
    for (guint i = 0; name && !overwrite && i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);

        if (bdrv_can_snapshot(d->bs) && bdrv_snapshot_find(d->bs, name, NULL)) {
            error_setg(errp, "Snapshot '%s' already exists in one or more devices", name);
            return false;
        }
    }
    vm = vmstate_disk(disks, vmstate, errp);
    if (!vm) {
        return false;
    }
    if (was_running) {
        vm_stop(RUN_STATE_PAUSED);
    }
    blk_drain_all();
    sn.name = tag;
    sn.date_sec = (uint32_t)g_date_time_to_unix(now);
    sn.date_nsec = (uint32_t)g_date_time_get_microsecond(now) * 1000;
    sn.vm_clock_nsec = (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    sn.icount = -1;
    io.bs = vm->bs;
    io.buf = g_byte_array_new();
    ok = migration_save_stream(current_machine, &ch, state, stats, &bytes, errp) &&
         vmstate_flush(&io, errp);
    g_byte_array_unref(io.buf);
    for (guint i = 0; ok && i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);
        Error *err = NULL;

        if (d->bs->read_only) {
            continue;
        }
        sn.vm_state_size = d == vm ? bytes : 0;
        if (bdrv_snapshot_create(d->bs, &sn, &err) < 0) {
            error_free(err);
            error_setg(errp, "Could not create snapshot '%s' on '%s'", tag, d->name);
            all_delete(disks, tag, NULL);
            ok = false;
        }
    }
    if (was_running) {
        vm_start();
    }
    return ok;
}

/* QEMU's own VM state begins with "QEVM": what qemu-system-* wrote into the image. */
#define QEMU_VM_MAGIC "QEVM"

bool snapshot_load(const char *name, const char *vmstate, const char *const *devices, Error **errp)
{
    g_autoptr(GArray) disks = snap_disks_named(devices, errp);
    VmstateIO io = { 0 };
    MigChannel ch = { .fd = -1, .ops = &vmstate_ops, .opaque = &io };
    BdrvSnapshotInfo sn;
    RunState src_state;
    Error *err = NULL;
    char magic[4];
    SnapDisk *vm;
    bool ok;

    if (!disks || !all_can_snapshot(disks, errp)) {
        return false;
    }
    for (guint i = 0; i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);

        if (!d->bs->read_only && !bdrv_snapshot_find(d->bs, name, NULL)) {
            error_setg(errp, "Snapshot '%s' does not exist in one or more devices", name);
            return false;
        }
    }
    vm = vmstate_disk(disks, vmstate, errp);
    if (!vm) {
        return false;
    }
    if (!bdrv_snapshot_find(vm->bs, name, &sn)) {
        error_setg(errp, "Snapshot '%s' does not exist in one or more devices", name);
        return false;
    }
    g_free(sn.id);
    g_free(sn.name);
    if (sn.vm_state_size == 0) {
        error_setg(errp, "This is a disk-only snapshot. Revert to it  offline using qemu-img");
        return false;
    }
    blk_drain_all();
    for (guint i = 0; i < disks->len; i++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, i);

        if (!d->bs->read_only && bdrv_snapshot_goto(d->bs, name, &err) < 0) {
            error_prepend(&err, "Could not load snapshot '%s' on '%s': ", name, d->name);
            error_propagate(errp, err);
            return false;
        }
    }
    io.bs = vm->bs;
    io.limit = sn.vm_state_size;
    if (bdrv_load_vmstate(vm->bs, magic, 0, sizeof(magic)) == 0 &&
        !memcmp(magic, QEMU_VM_MAGIC, 4)) {
        error_setg(errp,
                   "Snapshot '%s' holds a VM state saved by QEMU, which this program cannot load",
                   name);
        return false;
    }
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    ok = migration_load_stream(current_machine, &ch, &src_state, &err);
    if (!ok) {
        /* As QEMU: the reason on stderr, the errno in the reply. */
        error_report("%s", error_get_pretty(err));
        error_free(err);
        error_setg(errp, "Error %d while loading VM state", -EINVAL);
    }
    return ok;
}

bool snapshot_delete(const char *name, const char *const *devices, Error **errp)
{
    g_autoptr(GArray) disks = snap_disks_named(devices, errp);

    return disks && all_delete(disks, name, errp);
}

/* ---- info snapshots --------------------------------------------------- */

void snapshot_info(GString *out)
{
    g_autoptr(GArray) disks = snap_disks();
    BdrvSnapshotInfo *list;
    Error *err = NULL;
    SnapDisk *vm = vmstate_disk(disks, NULL, &err);
    int n, shown = 0;

    if (!vm) {
        g_string_append_printf(out, "%s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    for (guint k = 0; k < disks->len; k++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, k);

        n = bdrv_can_snapshot(d->bs) ? bdrv_snapshot_list(d->bs, &list) : 0;
        if (n) {
            bdrv_snapshot_list_free(list, n);
            break;
        }
    }
    if (n == 0) {
        g_string_append(out, "There is no snapshot available.\n");
        return;
    }
    n = bdrv_snapshot_list(vm->bs, &list);
    g_string_append(out, "List of snapshots present on all disks:\n");
    /* A snapshot is loadable when every disk that can snapshot has one of its name. */
    for (int i = 0; i < n; i++) {
        bool everywhere = true;

        for (guint k = 0; k < disks->len; k++) {
            SnapDisk *d = &g_array_index(disks, SnapDisk, k);

            if (bdrv_can_snapshot(d->bs) && !bdrv_snapshot_find(d->bs, list[i].name, NULL)) {
                everywhere = false;
            }
        }
        if (everywhere) {
            if (!shown++) {
                bdrv_snapshot_dump(out, NULL, NULL);
                g_string_append_c(out, '\n');
            }
            bdrv_snapshot_dump(out, &list[i], "--");
            g_string_append_c(out, '\n');
        }
    }
    if (!shown) {
        g_string_append(out, "None\n");
    }
    bdrv_snapshot_list_free(list, n);
    /* Then, per disk, the snapshots some other disk lacks. */
    for (guint k = 0; k < disks->len; k++) {
        SnapDisk *d = &g_array_index(disks, SnapDisk, k);
        bool header = false;

        if (!bdrv_can_snapshot(d->bs)) {
            continue;
        }
        n = bdrv_snapshot_list(d->bs, &list);
        for (int i = 0; i < n; i++) {
            bool everywhere = true;

            for (guint j = 0; j < disks->len; j++) {
                SnapDisk *o = &g_array_index(disks, SnapDisk, j);

                if (bdrv_can_snapshot(o->bs) && !bdrv_snapshot_find(o->bs, list[i].name, NULL)) {
                    everywhere = false;
                }
            }
            if (everywhere) {
                continue;
            }
            if (!header) {
                g_string_append_printf(out, "\nList of partial (non-loadable) snapshots on '%s':\n",
                                       d->name);
                bdrv_snapshot_dump(out, NULL, NULL);
                g_string_append_c(out, '\n');
                header = true;
            }
            bdrv_snapshot_dump(out, &list[i], NULL);
            g_string_append_c(out, '\n');
        }
        bdrv_snapshot_list_free(list, n);
    }
}

/*
 * Internal snapshots of a node, whatever its driver: the calls savevm,
 * loadvm, delvm and info snapshots make (migration/snapshot.c).
 */
#include "block/block.h"

#include "qemu/option.h"

/* As QEMU's: a writable node whose driver has snapshots. */
bool bdrv_can_snapshot(BlockDriverState *bs)
{
    return bs && bs->drv->snapshot_create && !bs->read_only;
}

int bdrv_snapshot_list(BlockDriverState *bs, BdrvSnapshotInfo **list)
{
    int count = 0;

    *list = NULL;
    if (!bs || !bs->drv->snapshot_list) {
        return 0;
    }
    /* No snapshots (or a failed call): no list for the caller to free. */
    if (bs->drv->snapshot_list(bs, list, &count) < 0 || count == 0) {
        g_free(*list);
        *list = NULL;
        return 0;
    }
    return count;
}

void bdrv_snapshot_list_free(BdrvSnapshotInfo *list, int count)
{
    for (int i = 0; i < count; i++) {
        g_free(list[i].id);
        g_free(list[i].name);
    }
    g_free(list);
}

bool bdrv_snapshot_find(BlockDriverState *bs, const char *name, BdrvSnapshotInfo *out)
{
    BdrvSnapshotInfo *list;
    int n = bdrv_snapshot_list(bs, &list);
    bool found = false;

    for (int i = 0; i < n && !found; i++) {
        if (!strcmp(list[i].name, name)) {
            found = true;
            if (out) {
                *out = list[i];
                out->id = g_strdup(list[i].id);
                out->name = g_strdup(list[i].name);
            }
        }
    }
    bdrv_snapshot_list_free(list, n);
    return found;
}

/* Whether bs's format has internal snapshots; if not, QEMU's error. */
static bool snapshot_supported(BlockDriverState *bs, Error **errp)
{
    if (!bdrv_can_snapshot(bs)) {
        error_setg(errp,
                   "Block format '%s' used by device does not support feature "
                   "'internal snapshots'",
                   bdrv_get_format_name(bs));
        return false;
    }
    return true;
}

int bdrv_snapshot_create(BlockDriverState *bs, const BdrvSnapshotInfo *sn, Error **errp)
{
    if (!snapshot_supported(bs, errp)) {
        return -ENOTSUP;
    }
    return bs->drv->snapshot_create(bs, sn, errp);
}

int bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    if (!snapshot_supported(bs, errp)) {
        return -ENOTSUP;
    }
    return bs->drv->snapshot_goto(bs, id_or_name, errp);
}

int bdrv_snapshot_delete(BlockDriverState *bs, const char *id, const char *name, Error **errp)
{
    if (!snapshot_supported(bs, errp)) {
        return -ENOTSUP;
    }
    return bs->drv->snapshot_delete(bs, id, name, errp);
}

int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t len)
{
    return bs->drv->save_vmstate ? bs->drv->save_vmstate(bs, buf, pos, len) : -ENOTSUP;
}

int bdrv_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t len)
{
    return bs->drv->load_vmstate ? bs->drv->load_vmstate(bs, buf, pos, len) : -ENOTSUP;
}

void bdrv_snapshot_dump(GString *out, const BdrvSnapshotInfo *sn, const char *id)
{
    g_autoptr(GDateTime) date = NULL;
    g_autofree char *date_str = NULL, *size = NULL, *clock = NULL, *icount = NULL;
    uint64_t secs;

    if (!sn) {
        g_string_append_printf(out, "%-10s%-17s%8s%20s%13s%11s", "ID", "TAG", "VM SIZE", "DATE",
                               "VM CLOCK", "ICOUNT");
        return;
    }
    date = g_date_time_new_from_unix_local(sn->date_sec);
    date_str = date ? g_date_time_format(date, "%Y-%m-%d %H:%M:%S") : g_strdup("");
    secs = sn->vm_clock_nsec / 1000000000;
    clock = g_strdup_printf("%02d:%02d:%02d.%03d", (int)(secs / 3600), (int)((secs / 60) % 60),
                            (int)(secs % 60), (int)((sn->vm_clock_nsec / 1000000) % 1000));
    size = qemu_size_to_str(sn->vm_state_size);
    icount = sn->icount == -1 ? g_strdup("") : g_strdup_printf("%" PRId64, sn->icount);
    g_string_append_printf(out, "%-9s %-16s %8s%20s%13s%11s", id ? id : sn->id, sn->name, size,
                           date_str, clock, icount);
}

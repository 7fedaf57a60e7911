/*
 * qcow2 internal snapshots: the snapshot table (read at open, rewritten
 * whole on each change), creating, reverting to and deleting snapshots, and
 * the VM state area past the end of the disk where savevm puts the machine.
 */
#include "qcow2.h"

#include <time.h>

/* Offsets inside one snapshot table entry (all big-endian). */
#define SN_L1_OFFSET 0
#define SN_L1_SIZE 8
#define SN_ID_LEN 12
#define SN_NAME_LEN 14
#define SN_DATE_SEC 16
#define SN_DATE_NSEC 20
#define SN_VM_CLOCK 24
#define SN_VM_STATE_SIZE 32
#define SN_EXTRA_SIZE 36
#define SN_HEADER_LEN 40
/* The extra data QEMU 7.2 writes: 64-bit VM state size, disk size, icount. */
#define SN_EXTRA_LEN 24

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static uint32_t ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_BE(v);
}

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

void qcow2_free_snapshots(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    for (uint32_t i = 0; s->snapshots && i < s->nb_snapshots; i++) {
        g_free(s->snapshots[i].id);
        g_free(s->snapshots[i].name);
        g_free(s->snapshots[i].unknown_extra);
    }
    g_clear_pointer(&s->snapshots, g_free);
}

/* The table's bytes from the image: every entry checked against the bytes read. */
bool qcow2_read_snapshots(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *buf = NULL;
    int64_t flen = bdrv_getlength(bs->file);
    uint64_t pos = 0, len;
    int ret;

    s->snapshots = NULL;
    s->snapshots_size = 0;
    if (s->nb_snapshots > QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "Snapshot table too large");
        return false;
    }
    if (!s->nb_snapshots) {
        return true;
    }
    if (s->snapshots_offset & (s->cluster_size - 1)) {
        error_setg(errp, "Snapshot table offset invalid");
        return false;
    }
    /* QEMU reads zeros past the file's end; a table there is refused here. */
    if (flen < 0 || s->snapshots_offset >= (uint64_t)flen) {
        error_setg(errp, "Snapshot table lies outside the image file");
        return false;
    }
    /* The table may not reach past the file (nor past QEMU's maximum size). */
    len = MIN((uint64_t)flen - s->snapshots_offset, (uint64_t)QCOW2_MAX_SNAPSHOTS_SIZE);
    buf = g_malloc(len);
    ret = bdrv_pread(bs->file, s->snapshots_offset, buf, len);
    if (ret < 0) {
        error_setg(errp, "Failed to read snapshot table: %s", g_strerror(-ret));
        return false;
    }
    s->snapshots = g_new0(Qcow2Snapshot, s->nb_snapshots);
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        const uint8_t *e;
        uint32_t extra, id_len, name_len;

        pos = QEMU_ALIGN_UP(pos, 8);
        if (pos + SN_HEADER_LEN > len) {
            goto truncated;
        }
        e = buf + pos;
        sn->l1_offset = ld64(e + SN_L1_OFFSET);
        sn->l1_size = ld32(e + SN_L1_SIZE);
        id_len = ld16(e + SN_ID_LEN);
        name_len = ld16(e + SN_NAME_LEN);
        sn->date_sec = ld32(e + SN_DATE_SEC);
        sn->date_nsec = ld32(e + SN_DATE_NSEC);
        sn->vm_clock_nsec = ld64(e + SN_VM_CLOCK);
        sn->vm_state_size = ld32(e + SN_VM_STATE_SIZE);
        extra = ld32(e + SN_EXTRA_SIZE);
        if (extra > QCOW2_MAX_SNAPSHOT_EXTRA) {
            error_setg(errp, "Too much extra metadata in snapshot table entry %u", i);
            goto fail;
        }
        if (pos + SN_HEADER_LEN + extra + id_len + name_len > len) {
            goto truncated;
        }
        e += SN_HEADER_LEN;
        sn->disk_size = s->size;
        sn->icount = -1;
        if (extra >= 8) {
            sn->vm_state_size = ld64(e);
        }
        if (extra >= 16) {
            sn->disk_size = ld64(e + 8);
        }
        if (extra >= 24) {
            sn->icount = (int64_t)ld64(e + 16);
        }
        if (extra > SN_EXTRA_LEN) {
            sn->unknown_extra_len = extra - SN_EXTRA_LEN;
            sn->unknown_extra = g_memdup2(e + SN_EXTRA_LEN, sn->unknown_extra_len);
        }
        e += extra;
        sn->id = g_strndup((const char *)e, id_len);
        sn->name = g_strndup((const char *)e + id_len, name_len);
        pos += SN_HEADER_LEN + extra + id_len + name_len;
    }
    s->snapshots_size = pos;
    return true;

truncated:
    error_setg(errp, "Snapshot table exceeds the end of the image file");
fail:
    qcow2_free_snapshots(bs);
    return false;
}

static void put16(GByteArray *b, uint16_t v)
{
    uint8_t p[2] = { v >> 8, v & 0xff };

    g_byte_array_append(b, p, 2);
}

static void put32(GByteArray *b, uint32_t v)
{
    uint8_t p[4];

    qcow2_put_be32(p, v);
    g_byte_array_append(b, p, 4);
}

static void put64(GByteArray *b, uint64_t v)
{
    uint8_t p[8];

    qcow2_put_be64(p, v);
    g_byte_array_append(b, p, 8);
}

/*
 * Write the table (n entries of list) to new clusters, switch the header to
 * it in one write, then release the old table's clusters.
 */
static int write_snapshots(BlockDriverState *bs, Qcow2Snapshot *list, uint32_t n)
{
    BDRVQcow2State *s = bs->opaque;
    g_autoptr(GByteArray) b = g_byte_array_new();
    uint64_t old_offset = s->snapshots_offset, old_size = s->snapshots_size;
    int64_t off = 0;
    uint8_t hdr[12];
    int ret;

    for (uint32_t i = 0; i < n; i++) {
        const Qcow2Snapshot *sn = &list[i];
        size_t id_len = MIN(strlen(sn->id), 0xffff), name_len = MIN(strlen(sn->name), 0xffff);

        while (b->len % 8) {
            g_byte_array_append(b, (const guint8 *)"", 1);
        }
        put64(b, sn->l1_offset);
        put32(b, sn->l1_size);
        put16(b, id_len);
        put16(b, name_len);
        put32(b, sn->date_sec);
        put32(b, sn->date_nsec);
        put64(b, sn->vm_clock_nsec);
        put32(b, (uint32_t)MIN(sn->vm_state_size, UINT32_MAX));
        put32(b, SN_EXTRA_LEN + sn->unknown_extra_len);
        put64(b, sn->vm_state_size);
        put64(b, sn->disk_size);
        put64(b, (uint64_t)sn->icount);
        if (sn->unknown_extra_len) {
            g_byte_array_append(b, sn->unknown_extra, sn->unknown_extra_len);
        }
        g_byte_array_append(b, (const guint8 *)sn->id, id_len);
        g_byte_array_append(b, (const guint8 *)sn->name, name_len);
    }
    if (b->len > QCOW2_MAX_SNAPSHOTS_SIZE) {
        return -EFBIG;
    }
    if (b->len) {
        off = qcow2_alloc_clusters(bs, (b->len + s->cluster_size - 1) >> s->cluster_bits);
        if (off < 0) {
            return (int)off;
        }
        ret = bdrv_pwrite(bs->file, (uint64_t)off, b->data, b->len);
        if (ret < 0) {
            return ret;
        }
    }
    qcow2_put_be32(hdr, n);
    qcow2_put_be64(hdr + 4, (uint64_t)off);
    ret = bdrv_pwrite(bs->file, QCOW2_HDR_NB_SNAPSHOTS, hdr, sizeof(hdr));
    if (ret < 0) {
        return ret;
    }
    s->snapshots_offset = (uint64_t)off;
    s->snapshots_size = b->len;
    if (old_size) {
        ret = qcow2_update_refcount(bs, old_offset, old_size, -1);
    }
    return ret;
}

/*
 * Add delta to the refcount of every cluster an L1 table reaches (its L2
 * tables and their clusters): a snapshot's tables, or the active ones.
 */
static int l1_refcount(BlockDriverState *bs, const uint64_t *l1, uint32_t l1_size, int delta)
{
    BDRVQcow2State *s = bs->opaque;

    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2 = l1[i] & QCOW2_OFFSET_MASK, *t;
        g_autofree uint64_t *entries = NULL;
        int ret;

        if (!l2) {
            continue;
        }
        ret = qcow2_load_l2(bs, l2, &t);
        if (ret < 0) {
            return ret;
        }
        entries = g_memdup2(t, s->cluster_size);
        for (uint64_t j = 0; j < s->cluster_size / 8; j++) {
            ret = qcow2_entry_refcount(bs, entries[j], delta);
            if (ret < 0) {
                return ret;
            }
        }
        ret = qcow2_update_refcount(bs, l2, s->cluster_size, delta);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* The COPIED flags of the active L1 and L2 tables set exactly where the refcount is 1. */
static int fix_copied_flags(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2 = s->l1[i] & QCOW2_OFFSET_MASK, rc, *t;
        int ret;

        if (!l2) {
            continue;
        }
        ret = qcow2_get_refcount(bs, l2 >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        if ((rc == 1) != !!(s->l1[i] & QCOW2_OFLAG_COPIED)) {
            s->l1[i] ^= QCOW2_OFLAG_COPIED;
            ret = qcow2_write_l1_entry(bs, i);
            if (ret < 0) {
                return ret;
            }
        }
        for (uint64_t j = 0; j < s->cluster_size / 8; j++) {
            uint64_t e;

            /* Refcount lookups never evict L2 tables, but writes might: look again. */
            ret = qcow2_load_l2(bs, l2, &t);
            if (ret < 0) {
                return ret;
            }
            e = t[j];
            if ((e & QCOW2_OFLAG_COMPRESSED) || !(e & QCOW2_OFFSET_MASK)) {
                continue;
            }
            ret = qcow2_get_refcount(bs, (e & QCOW2_OFFSET_MASK) >> s->cluster_bits, &rc);
            if (ret < 0) {
                return ret;
            }
            if ((rc == 1) != !!(e & QCOW2_OFLAG_COPIED)) {
                ret = qcow2_write_l2_entry(bs, t, l2, j, e ^ QCOW2_OFLAG_COPIED);
                if (ret < 0) {
                    return ret;
                }
            }
        }
    }
    return 0;
}

/* The first L1 index past the disk: the VM state lives from there on, as QEMU puts it. */
static uint64_t vmstate_l1_index(const BDRVQcow2State *s)
{
    uint64_t per_l1 = 1ull << (s->l2_bits + s->cluster_bits);

    return (s->size + per_l1 - 1) / per_l1;
}

static uint64_t vmstate_offset(const BDRVQcow2State *s)
{
    return vmstate_l1_index(s) << (s->l2_bits + s->cluster_bits);
}

int qcow2_drop_vmstate(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    for (uint64_t i = vmstate_l1_index(s); i < s->l1_size; i++) {
        uint64_t old = s->l1[i];
        int ret;

        if (!(old & QCOW2_OFFSET_MASK)) {
            continue;
        }
        s->l1[i] = 0;
        ret = qcow2_write_l1_entry(bs, i);
        if (ret == 0) {
            ret = l1_refcount(bs, &old, 1, -1);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static int64_t find_snapshot(BDRVQcow2State *s, const char *id, const char *name)
{
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        if ((!id || !strcmp(s->snapshots[i].id, id)) &&
            (!name || !strcmp(s->snapshots[i].name, name))) {
            return i;
        }
    }
    return -1;
}

/* By id first, then by name, as QEMU's find_snapshot_by_id_or_name. */
static int64_t find_id_or_name(BDRVQcow2State *s, const char *id_or_name)
{
    int64_t i = find_snapshot(s, id_or_name, NULL);

    return i >= 0 ? i : find_snapshot(s, NULL, id_or_name);
}

/* The snapshot's L1 table (host order), checked to lie inside the image file. */
static int read_snapshot_l1(BlockDriverState *bs, const Qcow2Snapshot *sn, uint64_t **l1,
                            Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t flen = bdrv_getlength(bs->file);
    uint64_t bytes = (uint64_t)sn->l1_size * 8;
    int ret;

    if (sn->l1_size > QCOW2_MAX_L1_ENTRIES) {
        error_setg(errp, "Snapshot L1 table too large");
        return -EFBIG;
    }
    if ((sn->l1_offset & (s->cluster_size - 1)) || flen < 0 || sn->l1_offset > (uint64_t)flen ||
        bytes > (uint64_t)flen - sn->l1_offset) {
        error_setg(errp, "Snapshot L1 table offset invalid");
        return -EINVAL;
    }
    *l1 = g_new0(uint64_t, MAX(sn->l1_size, 1));
    ret = bdrv_pread(bs->file, sn->l1_offset, *l1, bytes);
    if (ret < 0) {
        g_clear_pointer(l1, g_free);
        error_setg(errp, "Failed to read the snapshot's L1 table: %s", g_strerror(-ret));
        return ret;
    }
    for (uint32_t i = 0; i < sn->l1_size; i++) {
        (*l1)[i] = GUINT64_FROM_BE((*l1)[i]);
    }
    return 0;
}

static int snapshot_create_locked(BlockDriverState *bs, const BdrvSnapshotInfo *info, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint64_t *table = NULL;
    g_autofree Qcow2Snapshot *list = NULL;
    Qcow2Snapshot sn = { 0 };
    g_autofree char *id = NULL;
    uint64_t clusters;
    int64_t off;
    int ret;

    if (s->nb_snapshots >= QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "Too many snapshots");
        return -EFBIG;
    }
    if (info->id && *info->id) {
        id = g_strdup(info->id);
        if (find_snapshot(s, id, NULL) >= 0) {
            error_setg(errp, "Snapshot with id '%s' already exists", id);
            return -EEXIST;
        }
    } else {
        uint64_t max = 0;

        for (uint32_t i = 0; i < s->nb_snapshots; i++) {
            max = MAX(max, g_ascii_strtoull(s->snapshots[i].id, NULL, 10));
        }
        id = g_strdup_printf("%" PRIu64, max + 1);
    }
    /* A copy of the active L1 table, which then shares every cluster it reaches. */
    clusters = ((uint64_t)s->l1_size * 8 + s->cluster_size - 1) >> s->cluster_bits;
    off = clusters ? qcow2_alloc_clusters(bs, clusters) : 0;
    if (off < 0) {
        error_setg(errp, "Failed to allocate the snapshot's L1 table: %s", g_strerror((int)-off));
        return (int)off;
    }
    table = g_new0(uint64_t, MAX(clusters << (s->cluster_bits - 3), 1));
    for (uint32_t i = 0; i < s->l1_size; i++) {
        table[i] = GUINT64_TO_BE(s->l1[i] & ~QCOW2_OFLAG_COPIED);
    }
    ret = clusters ? bdrv_pwrite(bs->file, (uint64_t)off, table, clusters << s->cluster_bits) : 0;
    if (ret == 0) {
        ret = l1_refcount(bs, s->l1, s->l1_size, 1);
    }
    if (ret == 0) {
        ret = fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg(errp, "Failed to share the clusters with the snapshot: %s", g_strerror(-ret));
        return ret;
    }
    sn.l1_offset = (uint64_t)off;
    sn.l1_size = s->l1_size;
    sn.id = id;
    sn.name = info->name ? info->name : "";
    sn.date_sec = info->date_sec;
    sn.date_nsec = info->date_nsec;
    sn.vm_clock_nsec = info->vm_clock_nsec;
    sn.vm_state_size = info->vm_state_size;
    sn.disk_size = s->size;
    sn.icount = info->icount;
    list = g_new(Qcow2Snapshot, s->nb_snapshots + 1);
    if (s->nb_snapshots) {
        memcpy(list, s->snapshots, sizeof(*list) * s->nb_snapshots);
    }
    list[s->nb_snapshots] = sn;
    ret = write_snapshots(bs, list, s->nb_snapshots + 1);
    if (ret < 0) {
        error_setg(errp, "Failed to write the snapshot table: %s", g_strerror(-ret));
        return ret;
    }
    list[s->nb_snapshots].id = g_steal_pointer(&id);
    list[s->nb_snapshots].name = g_strdup(sn.name);
    g_free(s->snapshots);
    s->snapshots = g_steal_pointer(&list);
    s->nb_snapshots++;
    /* The VM state is the snapshot's now; the active image does not need it. */
    ret = qcow2_drop_vmstate(bs);
    if (ret == 0) {
        ret = fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg(errp, "Failed to release the VM state: %s", g_strerror(-ret));
    }
    return ret;
}

int qcow2_snapshot_create(BlockDriverState *bs, const BdrvSnapshotInfo *sn, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    g_mutex_lock(&s->lock);
    ret = snapshot_create_locked(bs, sn, errp);
    g_hash_table_remove_all(s->l2_cache);
    g_mutex_unlock(&s->lock);
    return ret;
}

static int snapshot_goto_locked(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t i = find_id_or_name(s, id_or_name);
    g_autofree uint64_t *l1 = NULL;
    g_autofree uint64_t *old = NULL;
    g_autofree uint64_t *be = NULL;
    const Qcow2Snapshot *sn;
    uint32_t old_size;
    int ret;

    if (i < 0) {
        error_setg(errp, "Can't find snapshot");
        return -ENOENT;
    }
    sn = &s->snapshots[i];
    ret = read_snapshot_l1(bs, sn, &l1, errp);
    if (ret < 0) {
        return ret;
    }
    /* As QEMU 7.2: the image takes the snapshot's size back first. */
    if (sn->disk_size != s->size) {
        if (sn->disk_size % BDRV_SECTOR_SIZE) {
            error_setg(errp, "Snapshot disk size %" PRIu64 " is not a multiple of %u",
                       sn->disk_size, BDRV_SECTOR_SIZE);
            return -EINVAL;
        }
        ret = qcow2_truncate_locked(bs, sn->disk_size, errp);
        if (ret < 0) {
            return ret;
        }
    }
    if (sn->l1_size > s->l1_size) {
        ret = qcow2_grow_l1(bs, sn->l1_size);
        if (ret < 0) {
            error_setg(errp, "Failed to grow the L1 table: %s", g_strerror(-ret));
            return ret;
        }
    }
    /* The snapshot's clusters gain the active table's reference, then the old ones lose it. */
    ret = l1_refcount(bs, l1, sn->l1_size, 1);
    if (ret < 0) {
        error_setg(errp, "Failed to update the refcounts: %s", g_strerror(-ret));
        return ret;
    }
    be = g_new0(uint64_t, s->l1_size);
    for (uint32_t k = 0; k < sn->l1_size; k++) {
        be[k] = GUINT64_TO_BE(l1[k] & ~QCOW2_OFLAG_COPIED);
    }
    ret = bdrv_pwrite(bs->file, s->l1_offset, be, (uint64_t)s->l1_size * 8);
    if (ret < 0) {
        error_setg(errp, "Failed to write the L1 table: %s", g_strerror(-ret));
        return ret;
    }
    old = s->l1;
    old_size = s->l1_size;
    s->l1 = g_new0(uint64_t, s->l1_size);
    for (uint32_t k = 0; k < sn->l1_size; k++) {
        s->l1[k] = l1[k] & ~QCOW2_OFLAG_COPIED;
    }
    ret = l1_refcount(bs, old, old_size, -1);
    g_hash_table_remove_all(s->l2_cache);
    s->cc_entry = 0;
    if (ret == 0) {
        ret = fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg(errp, "Failed to update the refcounts: %s", g_strerror(-ret));
    }
    return ret;
}

int qcow2_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    g_mutex_lock(&s->lock);
    ret = snapshot_goto_locked(bs, id_or_name, errp);
    g_mutex_unlock(&s->lock);
    return ret;
}

static int snapshot_delete_locked(BlockDriverState *bs, const char *id, const char *name,
                                  Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t i = find_snapshot(s, id, name);
    g_autofree uint64_t *l1 = NULL;
    Qcow2Snapshot sn;
    int ret;

    if (i < 0) {
        error_setg(errp, "Can't find the snapshot");
        return -ENOENT;
    }
    sn = s->snapshots[i];
    ret = read_snapshot_l1(bs, &sn, &l1, errp);
    if (ret < 0) {
        return ret;
    }
    /* Out of the table first: a failure later only leaks clusters. */
    memmove(&s->snapshots[i], &s->snapshots[i + 1],
            sizeof(sn) * (s->nb_snapshots - (uint32_t)i - 1));
    s->nb_snapshots--;
    ret = write_snapshots(bs, s->snapshots, s->nb_snapshots);
    if (ret < 0) {
        memmove(&s->snapshots[i + 1], &s->snapshots[i],
                sizeof(sn) * (s->nb_snapshots - (uint32_t)i));
        s->snapshots[i] = sn;
        s->nb_snapshots++;
        error_setg(errp, "Failed to remove snapshot from snapshot list: %s", g_strerror(-ret));
        return ret;
    }
    g_free(sn.id);
    g_free(sn.name);
    g_free(sn.unknown_extra);
    ret = l1_refcount(bs, l1, sn.l1_size, -1);
    if (ret == 0 && sn.l1_size) {
        ret = qcow2_update_refcount(bs, sn.l1_offset, (uint64_t)sn.l1_size * 8, -1);
    }
    g_hash_table_remove_all(s->l2_cache);
    s->cc_entry = 0;
    if (ret == 0) {
        ret = fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg(errp, "Failed to free the cluster and L1 table: %s", g_strerror(-ret));
    }
    return ret;
}

int qcow2_snapshot_delete(BlockDriverState *bs, const char *id, const char *name, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    g_mutex_lock(&s->lock);
    ret = snapshot_delete_locked(bs, id, name, errp);
    g_mutex_unlock(&s->lock);
    return ret;
}

int qcow2_snapshot_list(BlockDriverState *bs, BdrvSnapshotInfo **list, int *count)
{
    BDRVQcow2State *s = bs->opaque;

    g_mutex_lock(&s->lock);
    *count = (int)s->nb_snapshots;
    *list = g_new0(BdrvSnapshotInfo, MAX(s->nb_snapshots, 1));
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        const Qcow2Snapshot *sn = &s->snapshots[i];

        (*list)[i] = (BdrvSnapshotInfo){
            .id = g_strdup(sn->id),
            .name = g_strdup(sn->name),
            .vm_state_size = sn->vm_state_size,
            .date_sec = sn->date_sec,
            .date_nsec = sn->date_nsec,
            .vm_clock_nsec = sn->vm_clock_nsec,
            .icount = sn->icount,
        };
    }
    g_mutex_unlock(&s->lock);
    return 0;
}

/* Bytes at pos of the VM state area: the L1 table grows to reach them. */
int qcow2_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    int shift = s->l2_bits + s->cluster_bits;
    uint64_t off = vmstate_offset(s) + pos, last;
    int ret = 0;

    if (!len) {
        return 0;
    }
    if (pos > (1ull << 56) || len > (1ull << 56)) {
        return -EFBIG;
    }
    last = (off + len - 1) >> shift;
    g_mutex_lock(&s->lock);
    if (last >= s->l1_size) {
        ret = last >= QCOW2_MAX_L1_ENTRIES ? -EFBIG : qcow2_grow_l1(bs, (uint32_t)last + 1);
    }
    if (ret == 0) {
        ret = qcow2_write_locked(bs, off, buf, len);
    }
    g_mutex_unlock(&s->lock);
    return ret;
}

int qcow2_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (pos > (1ull << 56) || len > (1ull << 56)) {
        return -EINVAL;
    }
    g_mutex_lock(&s->lock);
    ret = qcow2_read_locked(bs, vmstate_offset(s) + pos, buf, len);
    g_mutex_unlock(&s->lock);
    return ret;
}

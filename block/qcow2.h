/*
 * qcow2 internals shared by the format driver's files: the on-disk layout
 * (docs/interop/qcow2.txt in QEMU's tree) and the driver's open state.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block-int.h"

#define QCOW2_MAGIC 0x514649fbu /* "QFI" 0xfb */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_DEFAULT_CLUSTER_BITS 16

/* Header fields (big-endian) by byte offset. */
#define QCOW2_HDR_VERSION 4
#define QCOW2_HDR_BACKING_OFFSET 8
#define QCOW2_HDR_BACKING_SIZE 16
#define QCOW2_HDR_CLUSTER_BITS 20
#define QCOW2_HDR_SIZE 24
#define QCOW2_HDR_CRYPT 32
#define QCOW2_HDR_L1_SIZE 36
#define QCOW2_HDR_L1_OFFSET 40
#define QCOW2_HDR_RT_OFFSET 48
#define QCOW2_HDR_RT_CLUSTERS 56
#define QCOW2_HDR_NB_SNAPSHOTS 60
#define QCOW2_HDR_SNAPSHOTS_OFFSET 64
#define QCOW2_HDR_INCOMPAT 72
#define QCOW2_HDR_COMPAT 80
#define QCOW2_HDR_AUTOCLEAR 88
#define QCOW2_HDR_REFCOUNT_ORDER 96
#define QCOW2_HDR_LENGTH 100
#define QCOW2_HDR_COMPRESSION 104
#define QCOW2_V2_HEADER_LENGTH 72
#define QCOW2_V3_HEADER_LENGTH 104

/* Incompatible feature bits. */
#define QCOW2_INCOMPAT_DIRTY (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2 (1ull << 4)

/* Header extension types. */
#define QCOW2_EXT_END 0
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau

/*
 * L1 and L2 entries: bits 9-55 hold a host offset; bit 63 (COPIED) says
 * its refcount is exactly 1 (writable in place); in L2, bit 62 marks a
 * compressed cluster and bit 0 a cluster that reads as zeros (version 3).
 */
#define QCOW2_OFLAG_COPIED PPC_BIT(0)
#define QCOW2_OFLAG_COMPRESSED PPC_BIT(1)
#define QCOW2_OFLAG_ZERO PPC_BIT(63)
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull

/* One entry of the snapshot table (docs/interop/qcow2.txt, "Snapshot table"). */
typedef struct Qcow2Snapshot {
    uint64_t l1_offset;
    uint32_t l1_size;
    char *id, *name;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t vm_state_size; /* the 64-bit extra field when present, else the 32-bit one */
    uint64_t disk_size;     /* from the extra data; the image's size when absent */
    int64_t icount;         /* -1: absent */
    /* Extra data past the fields above, kept as read (a later QEMU's). */
    uint32_t unknown_extra_len;
    uint8_t *unknown_extra;
} Qcow2Snapshot;

/* QEMU's limits on the snapshot table. */
#define QCOW2_MAX_SNAPSHOTS 65536
#define QCOW2_MAX_SNAPSHOT_EXTRA 1024
#define QCOW2_MAX_SNAPSHOTS_SIZE (1024u * QCOW2_MAX_SNAPSHOTS)
/* Largest L1 table: 32 MiB of entries. */
#define QCOW2_MAX_L1_ENTRIES ((32u << 20) / 8)

typedef struct BDRVQcow2State {
    /* One request at a time touches the metadata (and the caches below). */
    GMutex lock;
    int version;
    int cluster_bits;
    uint64_t cluster_size;
    int l2_bits; /* log2 of the entries per L2 table */
    uint64_t size;
    uint64_t incompat, compat, autoclear;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t snapshots_size; /* bytes of the table in the image */
    Qcow2Snapshot *snapshots;

    uint64_t *l1; /* host byte order */
    uint32_t l1_size;
    uint64_t l1_offset;

    uint64_t *rt;     /* the refcount table, host byte order */
    uint64_t rt_size; /* entries */
    uint64_t rt_offset;
    int refcount_order;
    uint64_t refs_per_block;
    uint64_t refcount_max;
    uint64_t free_cluster_index;
    uint64_t alloc_end; /* clusters: past the file's end and every allocation */

    /* Tables read from the image, by host offset: L2 tables (uint64_t, host order), refcount blocks (raw bytes). */
    GHashTable *l2_cache;
    GHashTable *rb_cache;

    /* The last compressed cluster inflated (its L2 entry), for sequential reads. */
    uint64_t cc_entry;
    uint8_t *cc_buf;
} BDRVQcow2State;

/* Big-endian header fields into a byte buffer, at any alignment. */
static inline void qcow2_put_be32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void qcow2_put_be64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

/* Refcounts (block/qcow2-refcount.c). */
bool qcow2_refcount_init(BlockDriverState *bs, Error **errp);
void qcow2_refcount_close(BlockDriverState *bs);
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount);
/* Add delta to the refcount of every cluster overlapping [offset, offset + len). */
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t len, int delta);
/* n contiguous free clusters, their refcounts set to 1: the host offset, or -errno. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/* Release the host clusters an L2 entry points at (normal or compressed). */
int qcow2_free_entry(BlockDriverState *bs, uint64_t l2_entry);
/* The host range of a compressed L2 entry. */
void qcow2_compressed_range(const BDRVQcow2State *s, uint64_t entry, uint64_t *offset,
                            uint64_t *len);

/* L1/L2 access shared with the snapshot code (block/qcow2.c; the lock held). */
int qcow2_load_l2(BlockDriverState *bs, uint64_t offset, uint64_t **table);
int qcow2_write_l1_entry(BlockDriverState *bs, uint64_t index);
int qcow2_write_l2_entry(BlockDriverState *bs, uint64_t *t, uint64_t l2_offset, uint64_t index,
                         uint64_t entry);
int qcow2_grow_l1(BlockDriverState *bs, uint32_t new_size);
/* Read/write image bytes at any offset the L1 table reaches (the VM state area). */
int qcow2_read_locked(BlockDriverState *bs, uint64_t guest, uint8_t *buf, uint64_t len);
int qcow2_write_locked(BlockDriverState *bs, uint64_t guest, const uint8_t *buf, uint64_t len);
/* Add delta to the refcount of the host clusters an L2 entry points at. */
int qcow2_entry_refcount(BlockDriverState *bs, uint64_t l2_entry, int delta);

/* Resize (block/qcow2.c), the lock held. */
int qcow2_truncate_locked(BlockDriverState *bs, uint64_t size, Error **errp);
/* Drop the active L1 entries past the disk: a VM state saved or reverted to. */
int qcow2_drop_vmstate(BlockDriverState *bs);

/* The snapshot table (block/qcow2-snapshot.c). */
bool qcow2_read_snapshots(BlockDriverState *bs, Error **errp);
void qcow2_free_snapshots(BlockDriverState *bs);
int qcow2_snapshot_create(BlockDriverState *bs, const BdrvSnapshotInfo *sn, Error **errp);
int qcow2_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp);
int qcow2_snapshot_delete(BlockDriverState *bs, const char *id, const char *name, Error **errp);
int qcow2_snapshot_list(BlockDriverState *bs, BdrvSnapshotInfo **list, int *count);
int qcow2_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t len);
int qcow2_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t len);

#endif

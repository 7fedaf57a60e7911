/*
 * The block layer's graph: nodes (BlockDriverState) of a protocol driver
 * (file) or a format driver (raw, qcow2) over a "file" child and a backing
 * child, opened from flat QEMU-style option dictionaries.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "qemu/osdep.h"
#include "qapi/error.h"

#define BDRV_SECTOR_SIZE 512

typedef struct BlockDriverState BlockDriverState;

/* An internal snapshot as QEMU's QEMUSnapshotInfo (qemu-img snapshot -l, info snapshots). */
typedef struct BdrvSnapshotInfo {
    char *id;   /* "1", "2"...: given, or chosen by the driver when NULL at creation */
    char *name; /* the tag */
    uint64_t vm_state_size;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    int64_t icount; /* -1: not recorded */
} BdrvSnapshotInfo;

/*
 * A driver: synchronous operations on one node, called from any thread (the
 * block layer's workers); a driver with shared metadata locks it itself.
 * Operations return 0 or a negative errno.
 */
typedef struct BlockDriver BlockDriver;
struct BlockDriver {
    const char *format_name;
    /* A protocol driver a file name selects by its "NAME:" prefix (-drive file=). */
    const char *protocol_name;
    size_t instance_size;
    /* A format driver reads its image through a "file" child. */
    bool is_format;
    /* The score of a probe on the first bytes of an image (0: not this format). */
    int (*probe)(const uint8_t *buf, size_t len);
    /* The driver's own option names (NULL-terminated), for -blockdev's schema check. */
    const char *const *options;
    /*
     * Open bs; opts holds the options still unread (the driver removes what
     * it uses).  bs->file is already open for a format driver.
     */
    bool (*open)(BlockDriverState *bs, GHashTable *opts, Error **errp);
    void (*close)(BlockDriverState *bs);
    int (*pread)(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len);
    int (*pwrite)(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len);
    int (*flush)(BlockDriverState *bs);
    int (*discard)(BlockDriverState *bs, uint64_t offset, uint64_t len);
    int (*pwrite_zeroes)(BlockDriverState *bs, uint64_t offset, uint64_t len);
    int64_t (*getlength)(BlockDriverState *bs);
    /*
     * Change the length to size bytes (QEMU's truncate with exact=false):
     * 0, or -errno and errp with QEMU's message.  None: the node cannot resize.
     */
    int (*truncate)(BlockDriverState *bs, uint64_t size, Error **errp);
    /*
     * A format node that lets others resize its file child (raw without a
     * window).  None: a format node's file child cannot be resized by others.
     */
    bool (*shares_file_resize)(const BlockDriverState *bs);
    /* The host fd requests can go to directly, or -1 (see bdrv_get_fd). */
    int (*get_fd)(BlockDriverState *bs, uint64_t *offset, bool *direct);
    /* Bytes the node occupies on the host (query-block's actual-size), or -1. */
    int64_t (*allocated_size)(BlockDriverState *bs);
    /*
     * Whether any byte of [offset, offset + len) is allocated in this node
     * itself (data or a zero cluster, not the backing file's): 1, 0 or
     * -errno.  None: every byte is (raw, file).
     */
    int (*is_allocated)(BlockDriverState *bs, uint64_t offset, uint64_t len);
    /*
     * Turn a file name with the driver's prefix into node options (each
     * key prefixed with prefix); none: the name after the prefix is the
     * "filename" option.
     */
    bool (*parse_filename)(const BlockDriver *drv, const char *filename, GHashTable *opts,
                           const char *prefix, Error **errp);
    /*
     * Drop what the driver keeps of the image's metadata and read it again
     * (another process wrote the image: the source of a migration).  None:
     * the driver keeps nothing.
     */
    bool (*invalidate_cache)(BlockDriverState *bs, Error **errp);
    /* QEMU's driver has no image information (query-block shows no dirty-flag). */
    bool no_info;
    /* A filter's child option other than "file" (blkdebug's "image"), opened by the driver. */
    const char *child_name;
    /*
     * Internal snapshots (qcow2): create one of the current disk (with the
     * VM state saved so far by save_vmstate), make one current, delete one
     * (by id and/or name), list them (a g_new array, *count entries).
     * 0 or -errno and errp.
     */
    int (*snapshot_create)(BlockDriverState *bs, const BdrvSnapshotInfo *sn, Error **errp);
    int (*snapshot_goto)(BlockDriverState *bs, const char *id_or_name, Error **errp);
    int (*snapshot_delete)(BlockDriverState *bs, const char *id, const char *name, Error **errp);
    int (*snapshot_list)(BlockDriverState *bs, BdrvSnapshotInfo **list, int *count);
    /* The VM state area of the current disk: bytes at pos of it. */
    int (*save_vmstate)(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t len);
    int (*load_vmstate)(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t len);
};

/* discard=ignore|unmap. */
typedef enum BlockdevDiscard {
    BDRV_DISCARD_IGNORE,
    BDRV_DISCARD_UNMAP,
} BlockdevDiscard;

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque; /* the driver's instance_size bytes */
    char node_name[32];
    bool auto_node_name; /* #blockN: named by the block layer */
    /* The file name the node reads, for messages and queries. */
    char *filename;
    BlockDriverState *file;
    BlockDriverState *backing;
    /* The backing file and format recorded in the image (formats with backing). */
    char *backing_file;
    char *backing_format;
    bool read_only;
    bool cache_direct;   /* cache.direct: O_DIRECT on the host file */
    bool cache_no_flush; /* cache.no-flush: flushes do nothing (cache=unsafe) */
    BlockdevDiscard discard;
    bool detect_zeroes;
    /* Deleted when closed (snapshot=on overlays; the file is already unlinked). */
    bool temporary;
    /* The format was probed, not given (raw then guards its first sector). */
    bool probed;
    /* References: parents, backends, the node-name table (for -blockdev nodes). */
    int refcnt;
    /* Named by -blockdev/blockdev-add (monitor owned), not by a -drive. */
    bool monitor_owned;
};

const BlockDriver *bdrv_find_format(const char *name);
/*
 * The protocol node for a file name given without a driver (-drive file=):
 * set prefix"driver" and the driver's options for the name in opts.  The
 * driver is named by a "NAME:" prefix (a ':' before any '/', as QEMU), else
 * it is "file".  false and errp: an unknown protocol, a name the driver
 * refuses.
 */
bool bdrv_protocol_opts(GHashTable *opts, const char *prefix, const char *filename, Error **errp);

/*
 * Open a node from options ("driver", "node-name", "read-only",
 * "cache.direct", "cache.no-flush", "discard", "file" (a node name) or
 * "file.KEY" (an inline child), "backing" likewise, "filename" for the file
 * driver, and the driver's own).  Takes ownership of nothing: opts is copied.
 * Inline children inherit read-only and the cache options.  No "driver" with
 * a "file" child: the format is probed (probe_warn: print QEMU's warning when
 * the probe guesses raw for a writable image).
 */
BlockDriverState *bdrv_open_opts(GHashTable *opts, Error **errp);
/*
 * In opts given to bdrv_open_opts: word errors as -drive does ("Block format
 * 'raw' does not support the option 'x'") rather than as -blockdev.
 */
#define BDRV_OPT_DRIVE_MESSAGES "\x01drive"
void bdrv_ref(BlockDriverState *bs);
/* Drop a reference; the last one closes the node and its children. */
void bdrv_unref(BlockDriverState *bs);

/* Option names every node accepts (NULL-terminated). */
extern const char *const bdrv_generic_options[];

/* The node with that node-name (NULL: none). */
BlockDriverState *bdrv_find_node(const char *node_name);
/* Every named node in creation order (a NULL-terminated snapshot: g_free it). */
BlockDriverState **bdrv_list_nodes(void);

/* Synchronous I/O on a node; past its length: -EINVAL. */
int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len);
int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len);
int bdrv_flush(BlockDriverState *bs);
/* The node's and its children's invalidate_cache (bottom up); false + errp on failure. */
bool bdrv_invalidate_cache(BlockDriverState *bs, Error **errp);
int bdrv_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t len);
int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len);
int64_t bdrv_getlength(BlockDriverState *bs);
/*
 * Resize bs to size bytes, as QEMU 7.2's bdrv_co_truncate: the checks every
 * node shares (negative size, QEMU's maximum length, a read-only node, a
 * driver that cannot resize) with QEMU's messages, then the driver.  Called
 * with no request in flight on bs (blk_drain_all first).  0 or -errno and errp.
 */
int bdrv_truncate(BlockDriverState *bs, int64_t size, Error **errp);
/*
 * Whether a new user of bs may resize it, as QEMU 7.2's block_resize finds
 * out: a backing node is blocked ("Device 'DEVICE' is in use", the name the
 * user gave or "(null)"), a format node's file child is held by its parent
 * (QEMU's permission conflict).  false and errp when it may not.
 */
bool bdrv_check_resize(BlockDriverState *bs, const char *device, Error **errp);
/* QEMU's largest node length: INT64_MAX rounded down to 1 GiB. */
#define BDRV_MAX_LENGTH (INT64_MAX - (INT64_MAX & ((1ll << 30) - 1)))
int64_t bdrv_allocated_size(BlockDriverState *bs);
/* Any byte of [offset, offset + len) allocated in bs's own layer: 1, 0 or -errno. */
int bdrv_is_allocated(BlockDriverState *bs, uint64_t offset, uint64_t len);
const char *bdrv_get_format_name(const BlockDriverState *bs);
/* The node under the format layers that holds the image data's file name. */
const char *bdrv_get_filename(const BlockDriverState *bs);
/* QEMU's permissions on an image; bit n is the lock on bytes 100 + n and 200 + n. */
enum {
    BLK_PERM_CONSISTENT_READ = 1 << 0,
    BLK_PERM_WRITE = 1 << 1,
    BLK_PERM_WRITE_UNCHANGED = 1 << 2,
    BLK_PERM_RESIZE = 1 << 3,
    BLK_PERM_ALL = (1 << 4) - 1,
};
/*
 * The user of bs takes perm (consistent read always) and shares shared with
 * everyone else: QEMU's image locks on the file under bs, which other QEMU
 * processes and other drives on the image see.  false and errp (QEMU's
 * message and hint, locks unchanged) on a conflict.
 */
bool bdrv_set_perm(BlockDriverState *bs, unsigned perm, unsigned shared, Error **errp);
/* bdrv_set_perm(bs, read and write, share all): the nvram's. */
bool bdrv_lock_write(BlockDriverState *bs, Error **errp);

/* Options dictionaries: string keys and values, dotted keys for children. */
GHashTable *bdrv_opts_new(void);
void bdrv_opts_set(GHashTable *opts, const char *key, const char *value);
/*
 * Parse QEMU's -blockdev/-drive "k=v,k.sub=v" syntax or a JSON object
 * (nested objects become dotted keys; null becomes "").
 */
GHashTable *bdrv_opts_parse(const char *arg, const char *implied_key, Error **errp);

/* Internal snapshots (block/snapshot.c): the driver's, with QEMU 7.2's errors. */
bool bdrv_can_snapshot(BlockDriverState *bs);
/* The snapshots of bs (none when it cannot have any); free with bdrv_snapshot_list_free. When
 * there are none, *list is NULL and nothing needs freeing. */
int bdrv_snapshot_list(BlockDriverState *bs, BdrvSnapshotInfo **list);
void bdrv_snapshot_list_free(BdrvSnapshotInfo *list, int count);
/* The snapshot whose name is name, as QEMU's bdrv_snapshot_find: false when none. */
bool bdrv_snapshot_find(BlockDriverState *bs, const char *name, BdrvSnapshotInfo *out);
int bdrv_snapshot_create(BlockDriverState *bs, const BdrvSnapshotInfo *sn, Error **errp);
int bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp);
int bdrv_snapshot_delete(BlockDriverState *bs, const char *id, const char *name, Error **errp);
/* One row of QEMU's snapshot table (sn NULL: the heading); id, when given, replaces sn's. */
void bdrv_snapshot_dump(GString *out, const BdrvSnapshotInfo *sn, const char *id);
int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t len);
int bdrv_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t len);

/*
 * Create a qcow2 image (version 3, 64 KiB clusters) of size bytes, with an
 * optional backing file and format: the snapshot=on overlays, and tests.
 */
bool qcow2_create_file(const char *filename, uint64_t size, const char *backing_file,
                       const char *backing_fmt, Error **errp);

#endif

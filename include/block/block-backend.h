/*
 * BlockBackend: what a device (or the nvram, or a test) holds to do I/O on
 * the node graph: length, read-only, write cache, synchronous calls for
 * start-up, and asynchronous requests whose completion runs in the main loop.
 */
#ifndef BLOCK_BLOCK_BACKEND_H
#define BLOCK_BLOCK_BACKEND_H

#include "block/block.h"

#include <sys/uio.h>

typedef struct BlockBackend BlockBackend;

/* ret: 0, or a negative errno (-EIO, -ENOSPC, -EPERM...). */
typedef void BlockCompletionFunc(void *opaque, int ret);

/*
 * A backend on bs (a reference is taken).  name: the -drive id, or NULL for
 * an anonymous backend (a device naming a -blockdev node).
 */
BlockBackend *blk_new(BlockDriverState *bs, const char *name);
/* Drain, then drop the backend and its node reference. */
void blk_unref(BlockBackend *blk);
BlockBackend *blk_by_name(const char *name);
/* Iterate the backends: blk_next(NULL) is the first; NULL after the last. */
BlockBackend *blk_next(BlockBackend *blk);
/* blk is a backend still (not freed since it was seen). */
bool blk_exists(const BlockBackend *blk);
const char *blk_name(const BlockBackend *blk);
/*
 * HMP drive_del: the backend loses its name (the monitor no longer finds it)
 * and its I/O status (errors are reported to the device, as QEMU sets
 * werror/rerror=report then).
 */
void blk_remove_name(BlockBackend *blk);
BlockDriverState *blk_bs(BlockBackend *blk);

/*
 * A device attaches (false when one already has the backend).  dev is the
 * device (a DeviceState, NULL for a board user without one): query-block
 * and the tray events name it by its id, else its QOM path.
 */
bool blk_attach_dev(BlockBackend *blk, void *dev);
void blk_detach_dev(BlockBackend *blk);
bool blk_is_attached(const BlockBackend *blk);
void *blk_get_attached_dev(const BlockBackend *blk);
/*
 * How the attached device names itself in query-block's "qdev" and in
 * DEVICE_TRAY_MOVED's "id" (its id, else its QOM path): set by the device
 * model (hw/core) so the block layer does not look inside devices.  NULL or
 * "" : no name.  The caller frees the string.
 */
extern char *(*blk_dev_name_hook)(void *dev);
char *blk_get_attached_dev_id(const BlockBackend *blk);

/*
 * Removable media, as QEMU's BlockDevOps: a device with change_media_cb
 * takes media changes (its medium is removable); with is_tray_open it has
 * a tray the monitor opens and closes.
 */
typedef struct BlockDevOps {
    /* A medium was inserted (load: the tray closes) or removed (it opens). */
    void (*change_media_cb)(void *opaque, bool load);
    /* The monitor asked a locked tray to open: tell the guest (force: unlock). */
    void (*eject_request_cb)(void *opaque, bool force);
    bool (*is_tray_open)(void *opaque);
    /* The guest locked the medium in (PREVENT ALLOW MEDIUM REMOVAL). */
    bool (*is_medium_locked)(void *opaque);
    /* The disk's length changed (block_resize): tell the guest. */
    void (*resize_cb)(void *opaque);
} BlockDevOps;
void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops, void *opaque);
bool blk_dev_has_removable_media(const BlockBackend *blk);
bool blk_dev_has_tray(const BlockBackend *blk);
bool blk_dev_is_tray_open(const BlockBackend *blk);
bool blk_dev_is_medium_locked(const BlockBackend *blk);
void blk_dev_eject_request(BlockBackend *blk, bool force);
/*
 * Tell the device a medium came (load) or went; when its tray moved, send
 * QMP's DEVICE_TRAY_MOVED.
 */
void blk_dev_change_media_cb(BlockBackend *blk, bool load);
/* bs (a backend's root or a node under it through file children) was resized: tell devices. */
void blk_resized(BlockDriverState *bs);
/* The guest moved the tray itself (START STOP UNIT): the event only. */
void blk_tray_moved(BlockBackend *blk, bool open);
/* A medium is in (a node), whatever the tray. */
bool blk_is_inserted(BlockBackend *blk);
/*
 * Put a node in (a reference is taken; false and errp when the device's
 * permissions conflict with the image's locks) or take it out (after
 * draining the requests; the reference is dropped, the node's locks go back
 * to reading).  A backend holds one node at most.
 */
bool blk_insert_bs(BlockBackend *blk, BlockDriverState *bs, Error **errp);
void blk_remove_bs(BlockBackend *blk);
/*
 * The device's permissions on its media (BLK_PERM_*, include/block/block.h):
 * applied to the node now and to every medium inserted later; false and
 * errp (nothing changed) when the image's locks refuse them.
 */
bool blk_set_perm(BlockBackend *blk, unsigned perm, unsigned shared, Error **errp);
/*
 * Migration (QEMU's inactive images): blk_start_inactive before the devices
 * take their permissions (-incoming), blk_inactivate_all when the source
 * hands the images over (requests drained first), blk_activate_all when a
 * side takes them back (the destination after the load, the source after a
 * failed migration): caches reread, the devices' permissions taken, errp if
 * the image's locks refuse.
 */
void blk_start_inactive(void);
/* Undo blk_start_inactive before any image was opened (a command-line check). */
void blk_start_inactive_cancel(void);
void blk_inactivate_all(void);
bool blk_activate_all(Error **errp);
/* A backend holds bs (blockdev-insert-medium refuses such a node). */
bool blk_node_in_use(const BlockDriverState *bs);
/*
 * Whether the backend's media open read-only, as QEMU's "root state": what
 * blockdev-change-medium's read-only-mode "retain" keeps.
 */
bool blk_root_read_only(const BlockBackend *blk);
void blk_set_root_read_only(BlockBackend *blk, bool ro);
/* The device reports I/O errors (query-block's "io-status"). */
void blk_iostatus_enable(BlockBackend *blk);
bool blk_iostatus_is_enabled(const BlockBackend *blk);

int64_t blk_getlength(BlockBackend *blk);
bool blk_is_read_only(const BlockBackend *blk);
/*
 * The guest-visible write cache: off (writethrough) makes every write
 * flush before it completes.  Set by cache=, changed by devices.
 */
bool blk_enable_write_cache(const BlockBackend *blk);
void blk_set_enable_write_cache(BlockBackend *blk, bool wce);

/* Synchronous I/O in the calling thread (start-up, the nvram, tests). */
int blk_pread(BlockBackend *blk, int64_t offset, void *buf, int64_t len);
int blk_pwrite(BlockBackend *blk, int64_t offset, const void *buf, int64_t len);
int blk_flush(BlockBackend *blk);

/*
 * Asynchronous requests: run on a block-layer worker, then cb(opaque, ret)
 * in the main loop with the big lock held.  The iovec array is copied; the
 * buffers must stay valid until cb runs.  A request outside the device's
 * length completes with -EIO, a write to a read-only backend with -EPERM.
 * A flush completes after every write completed before it was submitted has
 * reached the disk (fdatasync).
 */
void blk_aio_preadv(BlockBackend *blk, int64_t offset, const struct iovec *iov, int niov,
                    BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwritev(BlockBackend *blk, int64_t offset, const struct iovec *iov, int niov,
                     BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t len, BlockCompletionFunc *cb,
                      void *opaque);
void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t len, BlockCompletionFunc *cb,
                           void *opaque);

/*
 * A device taking requests from the guest (a virtqueue notify, with the big
 * lock held) plugs first and unplugs when done: what it submitted in between
 * reaches the host in one call, and requests the host finished right away
 * (page-cache reads) complete inside blk_io_unplug, not via the main loop.
 * Callbacks never run inside the blk_aio_* call itself.
 */
void blk_io_plug(void);
void blk_io_unplug(void);

/* Wait for blk's requests (every backend's) and run their callbacks here. */
void blk_drain(BlockBackend *blk);
void blk_drain_all(void);
/* Requests submitted and not yet completed (callback not yet run). */
unsigned blk_in_flight(const BlockBackend *blk);

/*
 * Block migration's dirty tracking, in chunks of chunk bytes: start marks
 * every chunk dirty, or with allocated_only the chunks the image's top layer
 * allocates (not its backing file's: block-incremental); a write, zero write
 * or discard marks the chunks it touched when it completes (any thread); take
 * clears a chunk's bit and says whether it was set; count is the number set;
 * stop frees the map.
 */
void blk_dirty_start(BlockBackend *blk, uint64_t chunk, bool allocated_only);
void blk_dirty_stop(BlockBackend *blk);
uint64_t blk_dirty_chunks(const BlockBackend *blk);
bool blk_dirty_take(BlockBackend *blk, uint64_t chunk);
uint64_t blk_dirty_count(const BlockBackend *blk);

#endif

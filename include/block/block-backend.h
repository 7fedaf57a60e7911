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
const char *blk_name(const BlockBackend *blk);
BlockDriverState *blk_bs(BlockBackend *blk);

/*
 * A device attaches (false when one already has the backend); the backend
 * remembers the device's id or QOM path for query-block.
 */
bool blk_attach_dev(BlockBackend *blk, const char *dev);
void blk_detach_dev(BlockBackend *blk);
const char *blk_get_attached_dev(const BlockBackend *blk);

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

#endif

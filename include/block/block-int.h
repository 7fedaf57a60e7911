/*
 * What block drivers share with the block layer's core: the option helpers
 * and the drivers themselves (a fixed table: block/block.c lists them).
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"

#include <sys/uio.h>

extern const BlockDriver bdrv_file;
extern const BlockDriver bdrv_raw;
extern const BlockDriver bdrv_qcow2;
extern const BlockDriver bdrv_null_co;
extern const BlockDriver bdrv_null_aio;
extern const BlockDriver bdrv_blkdebug;

/*
 * Open bs's child called role (a node name or inline "role.KEY" options in
 * opts, which loses them), for a driver whose child is not "file": a new
 * reference, or NULL and errp.
 */
BlockDriverState *bdrv_open_child(BlockDriverState *bs, GHashTable *opts, const char *role,
                                  Error **errp);

/* The format the first bytes of an image look like ("raw" when nothing else matches). */
const char *bdrv_probe_format_name(const uint8_t *buf, size_t len);

/* Remove and return an option's value (g_free it), or NULL. */
char *bdrv_opts_take(GHashTable *opts, const char *key);
/* Remove an option that must be a size or number; false and errp when malformed. */
bool bdrv_opts_take_size(GHashTable *opts, const char *key, uint64_t *val, bool *present,
                         Error **errp);

/*
 * The host file descriptor a request on bs can go to directly (raw over
 * file: *offset is where the image starts in it), or -1: the driver must do
 * the request.  *direct: the file is opened O_DIRECT.  -1 also for
 * aio=threads.
 */
int bdrv_get_fd(BlockDriverState *bs, uint64_t *offset, bool *direct);

/* io_uring (block/io_uring.c). */
typedef void LuringDoneFunc(void *opaque, int ret);
/* A ring could be set up (tried once). */
bool luring_available(void);
/* From now on never use the ring (the worker-thread fallback, for tests). */
void luring_disable(void);
/* Requests that went to the ring so far. */
uint64_t luring_submitted(void);
/*
 * Queue a read/write of the iovec (kept by the caller until done) at
 * offset, with an fdatasync linked after it when sync; niov < 0: a lone
 * fdatasync.  done runs in the main loop (or in luring_poll).  false: no
 * ring or no room, nothing queued.
 */
bool luring_submit(int fd, bool write, uint64_t offset, const struct iovec *iov, int niov,
                   bool sync, LuringDoneFunc *done, void *opaque);
/* Reap finished requests now, without waiting (drain). */
void luring_poll(void);
/*
 * Between plug and unplug (nested, with the big lock held) submissions only
 * queue; unplug hands them to the kernel at once and completes those it
 * finished then, so their done callbacks run inside luring_unplug.
 */
void luring_plug(void);
void luring_unplug(void);

#endif

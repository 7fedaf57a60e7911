/*
 * The "file" protocol driver: a host file or block device, with QEMU's
 * image locks, O_DIRECT (cache.direct) through aligned bounce buffers, and
 * fdatasync for flushes.
 */
#include "block/block.h"
#include "qemu/fdset.h"
#include "block/block-int.h"
#include "qemu/option.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

/* O_DIRECT transfers: buffer, offset and length multiples of this. */
#define DIRECT_ALIGN 4096

typedef struct BDRVFileState {
    int fd;
    bool locking;
    unsigned perm, shared; /* the permissions the locks stand for (BLK_PERM_*) */
    bool is_blockdev;
    bool aio_threads; /* aio=threads: the worker threads, never io_uring */
    /* Serialises the read-modify-write of unaligned O_DIRECT writes. */
    GMutex rmw_lock;
} BDRVFileState;

/*
 * QEMU's image locking, which other QEMU processes (and tools) honour: open
 * file description locks, shared, one byte each.  A user holding permission
 * n locks byte 100 + n; one refusing to share it with others locks 200 + n.
 * Taking n needs byte 200 + n free of others' locks; not sharing n needs
 * byte 100 + n free.  Two drives on one image in one process have two open
 * file descriptions, so they exclude each other the same way.
 */
enum { LOCK_PERM_BASE = 100, LOCK_SHARED_BASE = 200, LOCK_NPERMS = 4 };
static const char *const perm_names[LOCK_NPERMS] = { "consistent read", "write", "write unchanged",
                                                     "resize" };

static bool set_byte(int fd, off_t byte, bool lock)
{
    struct flock fl = {
        .l_type = lock ? F_RDLCK : F_UNLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1
    };

    return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

/* Nobody else holds a lock on byte (our own locks never conflict). */
static bool byte_free(int fd, off_t byte)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

    return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
}

/* Hold exactly the bytes of perm and of what shared leaves out. */
static bool apply_locks(BDRVFileState *s, unsigned perm, unsigned shared)
{
    bool ok = true;

    for (int i = 0; i < LOCK_NPERMS; i++) {
        ok &= set_byte(s->fd, LOCK_PERM_BASE + i, perm & (1u << i));
        ok &= set_byte(s->fd, LOCK_SHARED_BASE + i, !(shared & (1u << i)));
    }
    return ok;
}

/* QEMU's check, in its order: others refusing what we take, then others using what we refuse. */
static bool check_locks(BDRVFileState *s, unsigned perm, unsigned shared, const char *filename,
                        Error **errp)
{
    for (int i = 0; i < LOCK_NPERMS; i++) {
        if ((perm & (1u << i)) && !byte_free(s->fd, LOCK_SHARED_BASE + i)) {
            error_setg(errp, "Failed to get \"%s\" lock", perm_names[i]);
            error_append_hint(errp, "Is another process using the image [%s]?", filename);
            return false;
        }
    }
    for (int i = 0; i < LOCK_NPERMS; i++) {
        if (!(shared & (1u << i)) && !byte_free(s->fd, LOCK_PERM_BASE + i)) {
            error_setg(errp, "Failed to get shared \"%s\" lock", perm_names[i]);
            error_append_hint(errp, "Is another process using the image [%s]?", filename);
            return false;
        }
    }
    return true;
}

static bool file_set_perm(BlockDriverState *bs, unsigned perm, unsigned shared, Error **errp)
{
    BDRVFileState *s = bs->opaque;

    if (!s->locking) {
        return true;
    }
    bool fewer = !(perm & ~s->perm) && !(s->shared & ~shared); /* giving up cannot conflict */

    if (!apply_locks(s, perm, shared) ||
        (!fewer && !check_locks(s, perm, shared, bs->filename, errp))) {
        if (errp && !*errp) {
            error_setg(errp, "Failed to lock the image [%s]", bs->filename);
        }
        apply_locks(s, s->perm, s->shared);
        return false;
    }
    s->perm = perm;
    s->shared = shared;
    return true;
}

/*
 * What an overlay's users ask of its backing file (QEMU's rule for a
 * copy-on-write child): to read it if they read, nothing else; writes and
 * resizes by others are shared only when the overlay's users share writes.
 */
static void backing_perms(unsigned perm, unsigned shared, unsigned *bperm, unsigned *bshared)
{
    *bperm = perm & BLK_PERM_CONSISTENT_READ;
    *bshared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
               (shared & BLK_PERM_WRITE ? BLK_PERM_WRITE | BLK_PERM_RESIZE : 0);
}

/*
 * The image's file takes perm and shared, and every backing file on the way
 * down (a backing chain recursively) its overlay's backing_perms().  A
 * refusal puts back what was held before.
 */
bool bdrv_set_perm(BlockDriverState *bs, unsigned perm, unsigned shared, Error **errp)
{
    BlockDriverState *backings[8];
    unsigned n = 0, bperm, bshared, old_perm, old_shared;
    BDRVFileState *s;

    while (bs->drv->is_format) {
        if (bs->backing && n < G_N_ELEMENTS(backings)) {
            backings[n++] = bs->backing;
        }
        bs = bs->file;
    }
    s = bs->opaque;
    old_perm = s->perm;
    old_shared = s->shared;
    if (!file_set_perm(bs, perm | BLK_PERM_CONSISTENT_READ, shared, errp)) {
        return false;
    }
    backing_perms(perm, shared, &bperm, &bshared);
    for (unsigned i = 0; i < n; i++) {
        if (!bdrv_set_perm(backings[i], bperm, bshared, errp)) {
            backing_perms(old_perm, old_shared, &bperm, &bshared);
            while (i--) {
                bdrv_set_perm(backings[i], bperm, bshared, NULL);
            }
            file_set_perm(bs, old_perm, old_shared, NULL);
            return false;
        }
    }
    return true;
}

bool bdrv_lock_write(BlockDriverState *bs, Error **errp)
{
    return bdrv_set_perm(bs, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, BLK_PERM_ALL, errp);
}

static bool file_open(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    BDRVFileState *s = bs->opaque;
    g_autofree char *filename = bdrv_opts_take(opts, "filename");
    g_autofree char *locking = bdrv_opts_take(opts, "locking");
    g_autofree char *aio = bdrv_opts_take(opts, "aio");
    int flags = (bs->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    struct stat st;

    s->fd = -1;
    g_free(bdrv_opts_take(opts, "aio-max-batch"));
    if (!filename) {
        error_setg(errp, "Parameter 'filename' is missing");
        return false;
    }
    if (locking && strcmp(locking, "on") && strcmp(locking, "off") && strcmp(locking, "auto")) {
        error_setg(errp, "Parameter 'locking' does not accept value '%s'", locking);
        return false;
    }
    if (aio && strcmp(aio, "threads") && strcmp(aio, "native") && strcmp(aio, "io_uring")) {
        error_setg(errp, "Parameter 'aio' does not accept value '%s'", aio);
        return false;
    }
    if (aio && !strcmp(aio, "native") && !bs->cache_direct) {
        error_setg(errp, "aio=native was specified, but it requires cache.direct=on, which "
                         "was not specified.");
        return false;
    }
    s->locking = !locking || strcmp(locking, "off");
    s->aio_threads = aio && !strcmp(aio, "threads");
    bs->filename = g_strdup(filename);
    if (bs->cache_direct) {
        flags |= O_DIRECT;
    }
    s->fd = qemu_open(filename, flags, 0);
    if (s->fd < 0) {
        error_setg(errp, "Could not open '%s': %s", filename, g_strerror(errno));
        return false;
    }
    if (fstat(s->fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
        error_setg(errp, "'%s' is not a file", filename);
        goto fail;
    }
    s->is_blockdev = S_ISBLK(st.st_mode);
    /* Opening the image takes the right to read it consistently, sharing everything. */
    s->perm = 0;
    s->shared = BLK_PERM_ALL;
    if (!file_set_perm(bs, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, errp)) {
        goto fail;
    }
    g_mutex_init(&s->rmw_lock);
    return true;

fail:
    qemu_close(s->fd);
    s->fd = -1;
    return false;
}

static void file_close(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;

    if (s->fd >= 0) {
        qemu_close(s->fd);
        g_mutex_clear(&s->rmw_lock);
    }
}

/* The whole transfer, retrying short ones; past the end of the file reads zeros. */
static int do_pread(int fd, uint64_t offset, uint8_t *p, uint64_t len)
{
    while (len) {
        ssize_t n = pread(fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            memset(p, 0, len);
            return 0;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static int do_pwrite(int fd, uint64_t offset, const uint8_t *p, uint64_t len)
{
    while (len) {
        ssize_t n = pwrite(fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return -ENOSPC;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static bool direct_aligned(const void *buf, uint64_t offset, uint64_t len)
{
    return QEMU_IS_ALIGNED((uintptr_t)buf, DIRECT_ALIGN) && QEMU_IS_ALIGNED(offset, DIRECT_ALIGN) &&
           QEMU_IS_ALIGNED(len, DIRECT_ALIGN);
}

/* The aligned span around [offset, offset + len) in a bounce buffer. */
static uint8_t *bounce_read(BDRVFileState *s, uint64_t offset, uint64_t len, uint64_t *start,
                            uint64_t *span, int *ret)
{
    uint8_t *bounce;

    *start = QEMU_ALIGN_DOWN(offset, DIRECT_ALIGN);
    *span = QEMU_ALIGN_UP(offset + len, DIRECT_ALIGN) - *start;
    bounce = g_aligned_alloc(*span, 1, DIRECT_ALIGN);
    *ret = do_pread(s->fd, *start, bounce, *span);
    return bounce;
}

static int file_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    BDRVFileState *s = bs->opaque;
    uint64_t start, span;
    uint8_t *bounce;
    int ret;

    if (!bs->cache_direct || direct_aligned(buf, offset, len)) {
        return do_pread(s->fd, offset, buf, len);
    }
    bounce = bounce_read(s, offset, len, &start, &span, &ret);
    if (ret == 0) {
        memcpy(buf, bounce + (offset - start), len);
    }
    g_aligned_free(bounce);
    return ret;
}

static int file_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    BDRVFileState *s = bs->opaque;
    uint64_t start, span;
    uint8_t *bounce;
    int ret;

    if (!bs->cache_direct || direct_aligned(buf, offset, len)) {
        return do_pwrite(s->fd, offset, buf, len);
    }
    g_mutex_lock(&s->rmw_lock);
    bounce = bounce_read(s, offset, len, &start, &span, &ret);
    if (ret == 0) {
        memcpy(bounce + (offset - start), buf, len);
        ret = do_pwrite(s->fd, start, bounce, span);
    }
    g_mutex_unlock(&s->rmw_lock);
    g_aligned_free(bounce);
    if (ret == 0 && !s->is_blockdev && start + span > offset + len) {
        /* The aligned write may have grown the file past the data: cut it back. */
        struct stat st;

        if (fstat(s->fd, &st) == 0 && (uint64_t)st.st_size > offset + len &&
            (uint64_t)st.st_size == start + span) {
            ret = ftruncate(s->fd, offset + len) < 0 ? -errno : 0;
        }
    }
    return ret;
}

static int file_flush(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;

    if (bs->cache_no_flush) {
        return 0;
    }
    return fdatasync(s->fd) < 0 ? -errno : 0;
}

static int file_discard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVFileState *s = bs->opaque;

    if (s->is_blockdev) {
        return 0;
    }
    /* A hint: a file system without hole punching keeps the data. */
    fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, len);
    return 0;
}

static int file_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVFileState *s = bs->opaque;
    uint64_t chunk = MIN(len, 1024 * 1024);
    uint8_t *zeros;
    int ret = 0;

    if (!s->is_blockdev && fallocate(s->fd, FALLOC_FL_ZERO_RANGE, offset, len) == 0) {
        return 0;
    }
    zeros = g_aligned_alloc0(QEMU_ALIGN_UP(chunk, DIRECT_ALIGN), 1, DIRECT_ALIGN);
    while (len && ret == 0) {
        uint64_t n = MIN(len, chunk);

        ret = file_pwrite(bs, offset, zeros, n);
        offset += n;
        len -= n;
    }
    g_aligned_free(zeros);
    return ret;
}

static int64_t file_getlength(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    struct stat st;

    if (s->is_blockdev) {
        off_t end = lseek(s->fd, 0, SEEK_END);

        return end < 0 ? -errno : end;
    }
    return fstat(s->fd, &st) < 0 ? -errno : st.st_size;
}

/*
 * A regular file takes the exact length; a block device's length is fixed:
 * growing it fails, a smaller or equal size is accepted and changes nothing
 * (QEMU's non-exact truncate).
 */
static int file_truncate(BlockDriverState *bs, uint64_t size, Error **errp)
{
    BDRVFileState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        int err = errno;

        error_setg(errp, "Failed to fstat() the file: %s", g_strerror(err));
        return -err;
    }
    if (S_ISREG(st.st_mode)) {
        if (ftruncate(s->fd, (off_t)size) < 0) {
            int err = errno;

            error_setg(errp, "Could not resize file: %s", g_strerror(err));
            return -err;
        }
        return 0;
    }
    if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) {
        int64_t cur = file_getlength(bs);

        if (cur >= 0 && size > (uint64_t)cur) {
            error_setg(errp, "Cannot grow device files");
            return -EINVAL;
        }
        return 0;
    }
    error_setg(errp, "Resizing this file is not supported");
    return -ENOTSUP;
}

static int file_get_fd(BlockDriverState *bs, uint64_t *offset, bool *direct)
{
    BDRVFileState *s = bs->opaque;

    *direct = bs->cache_direct;
    return s->aio_threads ? -1 : s->fd;
}

static int64_t file_allocated_size(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    struct stat st;

    return fstat(s->fd, &st) < 0 ? -errno : (int64_t)st.st_blocks * 512;
}

static const char *const file_options[] = { "filename", "aio", "locking", "aio-max-batch", NULL };

const BlockDriver bdrv_file = {
    .format_name = "file",
    .protocol_name = "file",
    .options = file_options,
    .instance_size = sizeof(BDRVFileState),
    .open = file_open,
    .close = file_close,
    .pread = file_pread,
    .pwrite = file_pwrite,
    .flush = file_flush,
    .discard = file_discard,
    .pwrite_zeroes = file_pwrite_zeroes,
    .getlength = file_getlength,
    .truncate = file_truncate,
    .allocated_size = file_allocated_size,
    .get_fd = file_get_fd,
};

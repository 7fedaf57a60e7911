/*
 * The "raw" format driver: the image is the file's bytes, optionally a
 * window of them (offset=, size=).
 */
#include "block/block-int.h"

typedef struct BDRVRawState {
    uint64_t offset;
    uint64_t size;
    bool has_size;
    bool probed; /* the format was guessed: block 0 must not start to look like another */
} BDRVRawState;

/* Any file can be raw: the lowest score, taken when nothing else matches. */
static int raw_probe(const uint8_t *buf, size_t len)
{
    return 1;
}

static bool raw_open(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    BDRVRawState *s = bs->opaque;
    bool has_offset;
    int64_t flen;

    if (!bdrv_opts_take_size(opts, "offset", &s->offset, &has_offset, errp) ||
        !bdrv_opts_take_size(opts, "size", &s->size, &s->has_size, errp)) {
        return false;
    }
    s->probed = bs->probed;
    flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        error_setg(errp, "Could not get the file's size: %s", g_strerror((int)-flen));
        return false;
    }
    if (s->offset > (uint64_t)flen) {
        error_setg(errp,
                   "Offset (%" PRIu64
                   ") cannot be greater than size of the containing file (%" PRId64 ")",
                   s->offset, flen);
        return false;
    }
    if (s->has_size && s->offset + s->size > (uint64_t)flen) {
        error_setg(errp,
                   "The sum of offset (%" PRIu64 ") and size (%" PRIu64
                   ") has to be smaller or equal to the  actual size of the containing file "
                   "(%" PRId64 ")",
                   s->offset, s->size, flen);
        return false;
    }
    return true;
}

static void raw_close(BlockDriverState *bs)
{
}

static int raw_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    BDRVRawState *s = bs->opaque;

    return bdrv_pread(bs->file, s->offset + offset, buf, len);
}

/*
 * A guessed raw image whose first sector would, after this write, probe as
 * another format: refused (-EPERM), or the next start would read the
 * guest's data as an image header (a backing file of the host's choosing).
 */
static int raw_check_block0(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    BDRVRawState *s = bs->opaque;
    uint8_t sector[BDRV_SECTOR_SIZE];
    int ret;

    if (!s->probed || offset >= sizeof(sector)) {
        return 0;
    }
    ret = bdrv_pread(bs->file, s->offset, sector, sizeof(sector));
    if (ret < 0) {
        return ret;
    }
    memcpy(sector + offset, buf, MIN(len, sizeof(sector) - offset));
    return strcmp(bdrv_probe_format_name(sector, sizeof(sector)), "raw") ? -EPERM : 0;
}

static int raw_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    BDRVRawState *s = bs->opaque;
    int ret = raw_check_block0(bs, offset, buf, len);

    if (ret < 0) {
        return ret;
    }

    return bdrv_pwrite(bs->file, s->offset + offset, buf, len);
}

static int raw_discard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVRawState *s = bs->opaque;

    return bdrv_pdiscard(bs->file, s->offset + offset, len);
}

static int raw_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVRawState *s = bs->opaque;

    return bdrv_pwrite_zeroes(bs->file, s->offset + offset, len);
}

static int raw_get_fd(BlockDriverState *bs, uint64_t *offset, bool *direct)
{
    BDRVRawState *s = bs->opaque;
    int fd = bdrv_get_fd(bs->file, offset, direct);

    *offset += s->offset;
    return fd;
}

/* A raw image's length counts whole sectors, as QEMU's does. */
static int64_t raw_getlength(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    int64_t flen;

    if (s->has_size) {
        return s->size;
    }
    flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        return flen;
    }
    return QEMU_ALIGN_UP((uint64_t)flen - s->offset, BDRV_SECTOR_SIZE);
}

/* The window's end moves with the file's; a window of fixed size cannot. */
static int raw_truncate(BlockDriverState *bs, uint64_t size, Error **errp)
{
    BDRVRawState *s = bs->opaque;

    if (s->has_size) {
        error_setg(errp, "Cannot resize fixed-size raw disks");
        return -ENOTSUP;
    }
    if (INT64_MAX - size < s->offset) {
        error_setg(errp, "Disk size too large for the chosen offset");
        return -EINVAL;
    }
    return bdrv_truncate(bs->file, (int64_t)(s->offset + size), errp);
}

/* Without a window raw is a filter: whoever may resize it may resize its file. */
static bool raw_shares_file_resize(const BlockDriverState *bs)
{
    const BDRVRawState *s = bs->opaque;

    return !s->offset && !s->has_size;
}

static const char *const raw_options[] = { "offset", "size", NULL };

const BlockDriver bdrv_raw = {
    .format_name = "raw",
    .options = raw_options,
    .instance_size = sizeof(BDRVRawState),
    .is_format = true,
    .probe = raw_probe,
    .open = raw_open,
    .close = raw_close,
    .pread = raw_pread,
    .pwrite = raw_pwrite,
    .discard = raw_discard,
    .pwrite_zeroes = raw_pwrite_zeroes,
    .getlength = raw_getlength,
    .truncate = raw_truncate,
    .shares_file_resize = raw_shares_file_resize,
    .get_fd = raw_get_fd,
};

/*
 * The "null-co" and "null-aio" protocol drivers, as QEMU's: a device of a
 * given size whose writes go nowhere and whose reads return zeros, for tests
 * and benchmarks (-drive file=null-co://, -blockdev driver=null-co).
 */
#include "block/block-int.h"
#include "qemu/option.h"

#include <time.h>

typedef struct BDRVNullState {
    uint64_t length;
    int64_t latency_ns;
    bool read_zeroes;
} BDRVNullState;

/* QEMU's default size: 1 GiB. */
#define NULL_DEFAULT_SIZE (1ull << 30)

static bool null_open(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    BDRVNullState *s = bs->opaque;
    g_autofree char *latency = bdrv_opts_take(opts, "latency-ns");
    g_autofree char *zeroes = bdrv_opts_take(opts, "read-zeroes");
    bool has_size;

    if (!bdrv_opts_take_size(opts, "size", &s->length, &has_size, errp)) {
        return false;
    }
    if (!has_size) {
        s->length = NULL_DEFAULT_SIZE;
    }
    if (s->length > INT64_MAX - BDRV_SECTOR_SIZE) {
        error_setg(errp, "Parameter 'size' expects a size");
        return false;
    }
    if (latency) {
        char *end;

        errno = 0;
        s->latency_ns = g_ascii_strtoll(latency, &end, 0);
        if (errno || end == latency || *end) {
            error_setg(errp, "Parameter 'latency-ns' expects a number");
            return false;
        }
        if (s->latency_ns < 0) {
            error_setg(errp, "latency-ns is invalid");
            return false;
        }
    }
    if (zeroes && !qemu_parse_bool(zeroes, &s->read_zeroes)) {
        error_setg(errp, "Parameter 'read-zeroes' expects 'on' or 'off'");
        return false;
    }
    /*
     * QEMU names the node "null-co://" unless an option other than the
     * latency was given (then a json: description this layer does not build).
     */
    bs->filename = g_strdup_printf("%s://", bs->drv->format_name);
    return true;
}

static void null_close(BlockDriverState *bs)
{
}

/* latency-ns: each request takes at least that long (on a block-layer worker). */
static void null_delay(BlockDriverState *bs)
{
    BDRVNullState *s = bs->opaque;
    struct timespec ts = {
        .tv_sec = s->latency_ns / 1000000000,
        .tv_nsec = s->latency_ns % 1000000000,
    };

    while (s->latency_ns && nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/*
 * QEMU leaves the buffer untouched unless read-zeroes=on; here it is always
 * zeroed, since a buffer the block layer bounces through would otherwise
 * hand host memory to the guest.
 */
static int null_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    null_delay(bs);
    memset(buf, 0, len);
    return 0;
}

static int null_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    null_delay(bs);
    return 0;
}

static int null_flush(BlockDriverState *bs)
{
    null_delay(bs);
    return 0;
}

static int null_discard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    null_delay(bs);
    return 0;
}

static int null_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    null_delay(bs);
    return 0;
}

/* Whole sectors, as every QEMU node's length. */
static int64_t null_getlength(BlockDriverState *bs)
{
    BDRVNullState *s = bs->opaque;

    return QEMU_ALIGN_UP(s->length, BDRV_SECTOR_SIZE);
}

/* Nothing is stored on the host. */
static int64_t null_allocated_size(BlockDriverState *bs)
{
    return 0;
}

/* QEMU's only accepted file name for the driver: "null-co://" (or "null-aio://"). */
static bool null_parse_filename(const BlockDriver *drv, const char *filename, GHashTable *opts,
                                const char *prefix, Error **errp)
{
    g_autofree char *want = g_strdup_printf("%s://", drv->format_name);

    if (strcmp(filename, want)) {
        error_setg(errp, "The only allowed filename for this driver is '%s'", want);
        return false;
    }
    return true;
}

static const char *const null_options[] = { "size", "latency-ns", "read-zeroes", NULL };

/* null-aio is the same device; in QEMU it completes requests through AIO callbacks. */
#define NULL_DRIVER(name)                                                                          \
    {                                                                                              \
        .format_name = name, .protocol_name = name, .options = null_options,                       \
        .instance_size = sizeof(BDRVNullState), .no_info = true,                                   \
        .parse_filename = null_parse_filename, .open = null_open, .close = null_close,             \
        .pread = null_pread, .pwrite = null_pwrite, .flush = null_flush, .discard = null_discard,  \
        .pwrite_zeroes = null_pwrite_zeroes, .getlength = null_getlength,                          \
        .allocated_size = null_allocated_size,                                                     \
    }

const BlockDriver bdrv_null_co = NULL_DRIVER("null-co");
const BlockDriver bdrv_null_aio = NULL_DRIVER("null-aio");

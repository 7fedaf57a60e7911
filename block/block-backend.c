/*
 * BlockBackend: a device's handle on a node (none: an empty drive, removable
 * media without a medium).  Asynchronous requests run the
 * drivers' synchronous operations on a pool of worker threads (off the vCPU
 * threads); finished requests queue up and an eventfd wakes the main loop,
 * which runs their callbacks.
 */
#include "block/block-backend.h"
#include "block/block-int.h"
#include "monitor/monitor.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Worker threads: enough to keep a few host requests in flight per disk. */
#define BLK_WORKERS 8

struct BlockBackend {
    char *name;
    BlockDriverState *bs;
    void *dev;
    bool attached;
    const BlockDevOps *dev_ops;
    void *dev_opaque;
    bool root_read_only;
    unsigned perm, shared; /* the device's permissions (BLK_PERM_*) */
    bool iostatus;
    bool wce;
    unsigned in_flight; /* atomic */
    /*
     * Block migration's dirty map: a bit per dirty_chunk bytes, set (atomically)
     * when a write, zero write or discard over it completes; NULL when off.
     */
    unsigned long *dirty;
    uint64_t dirty_chunk, dirty_bits;
};

typedef enum BlkReqType {
    BLK_REQ_READ,
    BLK_REQ_WRITE,
    BLK_REQ_FLUSH,
    BLK_REQ_DISCARD,
    BLK_REQ_ZEROES,
} BlkReqType;

typedef struct BlkRequest {
    BlockBackend *blk;
    BlkReqType type;
    int64_t offset, len;
    struct iovec *iov;
    int niov;
    BlockCompletionFunc *cb;
    void *opaque;
    int ret;
} BlkRequest;

static GPtrArray *backends; /* of BlockBackend * */
static GThreadPool *pool;
static GAsyncQueue *done;
static int done_fd = -1;

#define DIRTY_BITS_PER_LONG (8 * sizeof(unsigned long))

/* The chunks [offset, offset + len) touch become dirty for block migration. */
static void blk_mark_dirty(BlockBackend *blk, int64_t offset, int64_t len)
{
    unsigned long *map = __atomic_load_n(&blk->dirty, __ATOMIC_ACQUIRE);

    if (!map || len <= 0 || offset < 0) {
        return;
    }
    for (uint64_t c = offset / blk->dirty_chunk;
         c <= (uint64_t)(offset + len - 1) / blk->dirty_chunk && c < blk->dirty_bits; c++) {
        __atomic_fetch_or(&map[c / DIRTY_BITS_PER_LONG], 1UL << (c % DIRTY_BITS_PER_LONG),
                          __ATOMIC_SEQ_CST);
    }
}

void blk_dirty_start(BlockBackend *blk, uint64_t chunk, bool allocated_only)
{
    int64_t size = blk_getlength(blk);
    uint64_t bits = size > 0 ? ((uint64_t)size + chunk - 1) / chunk : 0;
    unsigned long *map = g_new0(unsigned long, bits / DIRTY_BITS_PER_LONG + 1);

    for (uint64_t c = 0; c < bits; c++) {
        /* A failed look-up copies the chunk: its read reports the error. */
        if (allocated_only && blk->bs &&
            bdrv_is_allocated(blk->bs, c * chunk, MIN(chunk, (uint64_t)size - c * chunk)) == 0) {
            continue;
        }
        map[c / DIRTY_BITS_PER_LONG] |= 1UL << (c % DIRTY_BITS_PER_LONG);
    }
    blk_dirty_stop(blk);
    blk->dirty_chunk = chunk;
    blk->dirty_bits = bits;
    __atomic_store_n(&blk->dirty, map, __ATOMIC_RELEASE);
}

void blk_dirty_stop(BlockBackend *blk)
{
    g_free(__atomic_exchange_n(&blk->dirty, NULL, __ATOMIC_ACQ_REL));
}

uint64_t blk_dirty_chunks(const BlockBackend *blk)
{
    return blk->dirty ? blk->dirty_bits : 0;
}

bool blk_dirty_take(BlockBackend *blk, uint64_t chunk)
{
    unsigned long bit = 1UL << (chunk % DIRTY_BITS_PER_LONG);

    if (!blk->dirty || chunk >= blk->dirty_bits) {
        return false;
    }
    return __atomic_fetch_and(&blk->dirty[chunk / DIRTY_BITS_PER_LONG], ~bit, __ATOMIC_SEQ_CST) &
           bit;
}

uint64_t blk_dirty_count(const BlockBackend *blk)
{
    uint64_t n = 0;

    for (uint64_t i = 0; blk->dirty && i * DIRTY_BITS_PER_LONG < blk->dirty_bits; i++) {
        n += __builtin_popcountl(__atomic_load_n(&blk->dirty[i], __ATOMIC_RELAXED));
    }
    return n;
}

static void blk_complete(BlkRequest *req)
{
    BlockBackend *blk = req->blk;

    /* After the data is in: a copy read before this sends the chunk again. */
    if (req->type == BLK_REQ_WRITE || req->type == BLK_REQ_ZEROES || req->type == BLK_REQ_DISCARD) {
        blk_mark_dirty(blk, req->offset, req->len);
    }

    if (req->cb) {
        req->cb(req->opaque, req->ret);
    }
    g_atomic_int_dec_and_test(&blk->in_flight);
    g_free(req->iov);
    g_free(req);
}

static gboolean done_ready(gint fd, GIOCondition cond, gpointer data)
{
    uint64_t n;
    BlkRequest *req;

    if (read(fd, &n, sizeof(n)) < 0) {
        /* EAGAIN: another drain took the requests first */
    }
    while ((req = g_async_queue_try_pop(done))) {
        blk_complete(req);
    }
    return G_SOURCE_CONTINUE;
}

/* Read or write the request's vector with one contiguous driver call. */
static int blk_do_rw(BlkRequest *req)
{
    BlockDriverState *bs = req->blk->bs;
    g_autofree uint8_t *bounce = NULL;
    uint8_t *p;
    int ret;

    if (req->niov == 1) {
        p = req->iov[0].iov_base;
    } else {
        p = bounce = g_malloc(req->len);
    }
    if (req->type == BLK_REQ_READ) {
        ret = bdrv_pread(bs, req->offset, p, req->len);
        for (int i = 0, off = 0; bounce && ret == 0 && i < req->niov; i++) {
            memcpy(req->iov[i].iov_base, bounce + off, req->iov[i].iov_len);
            off += req->iov[i].iov_len;
        }
        return ret;
    }
    for (int i = 0, off = 0; bounce && i < req->niov; i++) {
        memcpy(bounce + off, req->iov[i].iov_base, req->iov[i].iov_len);
        off += req->iov[i].iov_len;
    }
    ret = bdrv_pwrite(bs, req->offset, p, req->len);
    if (ret == 0 && !req->blk->wce) {
        ret = bdrv_flush(bs);
    }
    return ret;
}

static void blk_worker(gpointer data, gpointer user)
{
    BlkRequest *req = data;
    BlockDriverState *bs = req->blk->bs;
    uint64_t one = 1;

    switch (req->type) {
    case BLK_REQ_READ:
    case BLK_REQ_WRITE:
        req->ret = blk_do_rw(req);
        break;
    case BLK_REQ_FLUSH:
        req->ret = bdrv_flush(bs);
        break;
    case BLK_REQ_DISCARD:
        req->ret = bdrv_pdiscard(bs, req->offset, req->len);
        break;
    case BLK_REQ_ZEROES:
        req->ret = bdrv_pwrite_zeroes(bs, req->offset, req->len);
        if (req->ret == 0 && !req->blk->wce) {
            req->ret = bdrv_flush(bs);
        }
        break;
    }
    g_async_queue_push(done, req);
    if (write(done_fd, &one, sizeof(one)) < 0) {
        /* the counter is saturated: the loop is already woken */
    }
}

static void blk_init_pool(void)
{
    if (pool) {
        return;
    }
    done = g_async_queue_new();
    done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    g_assert(done_fd >= 0);
    g_unix_fd_add(done_fd, G_IO_IN, done_ready, NULL);
    pool = g_thread_pool_new(blk_worker, NULL, BLK_WORKERS, FALSE, NULL);
}

BlockBackend *blk_new(BlockDriverState *bs, const char *name)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk_init_pool();
    blk->name = g_strdup(name ? name : "");
    blk->bs = bs;
    blk->wce = true;
    blk->shared = BLK_PERM_ALL;
    if (bs) {
        bdrv_ref(bs);
        blk->root_read_only = bs->read_only;
    }
    if (!backends) {
        backends = g_ptr_array_new();
    }
    g_ptr_array_add(backends, blk);
    return blk;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    blk_drain(blk);
    g_ptr_array_remove(backends, blk);
    if (blk->bs) {
        bdrv_unref(blk->bs);
    }
    g_free(blk->name);
    g_free(blk->dirty);
    g_free(blk);
}

BlockBackend *blk_by_name(const char *name)
{
    for (guint i = 0; name && *name && backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (!strcmp(blk->name, name)) {
            return blk;
        }
    }
    return NULL;
}

BlockBackend *blk_next(BlockBackend *blk)
{
    guint i = 0;

    if (!backends) {
        return NULL;
    }
    if (blk && !g_ptr_array_find(backends, blk, &i)) {
        return NULL;
    }
    i = blk ? i + 1 : 0;
    return i < backends->len ? g_ptr_array_index(backends, i) : NULL;
}

bool blk_exists(const BlockBackend *blk)
{
    return blk && backends && g_ptr_array_find(backends, blk, NULL);
}

const char *blk_name(const BlockBackend *blk)
{
    return blk->name;
}

void blk_remove_name(BlockBackend *blk)
{
    g_free(blk->name);
    blk->name = g_strdup("");
    blk->iostatus = false;
}

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->bs;
}

bool blk_attach_dev(BlockBackend *blk, void *dev)
{
    if (blk->attached) {
        return false;
    }
    blk->attached = true;
    blk->dev = dev;
    return true;
}

void blk_detach_dev(BlockBackend *blk)
{
    blk_set_perm(blk, 0, BLK_PERM_ALL, NULL); /* dropping permissions cannot fail */
    blk->attached = false;
    blk->dev = NULL;
    blk->dev_ops = NULL;
    blk->dev_opaque = NULL;
    blk->iostatus = false;
}

bool blk_is_attached(const BlockBackend *blk)
{
    return blk->attached;
}

void *blk_get_attached_dev(const BlockBackend *blk)
{
    return blk->dev;
}

char *(*blk_dev_name_hook)(void *dev);

char *blk_get_attached_dev_id(const BlockBackend *blk)
{
    char *name = blk->dev && blk_dev_name_hook ? blk_dev_name_hook(blk->dev) : NULL;

    return name ? name : g_strdup("");
}

void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops, void *opaque)
{
    blk->dev_ops = ops;
    blk->dev_opaque = opaque;
}

/* Without a device the monitor may swap media at will, as QEMU allows. */
bool blk_dev_has_removable_media(const BlockBackend *blk)
{
    return !blk->attached || (blk->dev_ops && blk->dev_ops->change_media_cb);
}

bool blk_dev_has_tray(const BlockBackend *blk)
{
    return blk->dev_ops && blk->dev_ops->is_tray_open;
}

bool blk_dev_is_tray_open(const BlockBackend *blk)
{
    return blk_dev_has_tray(blk) && blk->dev_ops->is_tray_open(blk->dev_opaque);
}

bool blk_dev_is_medium_locked(const BlockBackend *blk)
{
    return blk->dev_ops && blk->dev_ops->is_medium_locked &&
           blk->dev_ops->is_medium_locked(blk->dev_opaque);
}

void blk_dev_eject_request(BlockBackend *blk, bool force)
{
    if (blk->dev_ops && blk->dev_ops->eject_request_cb) {
        blk->dev_ops->eject_request_cb(blk->dev_opaque, force);
    }
}

void blk_tray_moved(BlockBackend *blk, bool open)
{
    g_autofree char *id = blk_get_attached_dev_id(blk);
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
    JsonObject *data = json_object_new();
    g_autofree char *json = NULL;

    json_object_set_string_member(data, "device", blk->name);
    json_object_set_string_member(data, "id", id);
    json_object_set_boolean_member(data, "tray-open", open);
    json_node_take_object(node, data);
    json = json_to_string(node, false);
    monitor_qapi_event("DEVICE_TRAY_MOVED", json);
}

void blk_resized(BlockDriverState *bs)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        for (BlockDriverState *n = blk->bs; n; n = n->file) {
            if (n == bs) {
                if (blk->dev_ops && blk->dev_ops->resize_cb) {
                    blk->dev_ops->resize_cb(blk->dev_opaque);
                }
                break;
            }
        }
    }
}

void blk_dev_change_media_cb(BlockBackend *blk, bool load)
{
    bool was_open;

    if (!blk->dev_ops || !blk->dev_ops->change_media_cb) {
        return;
    }
    was_open = blk_dev_is_tray_open(blk);
    blk->dev_ops->change_media_cb(blk->dev_opaque, load);
    if (was_open != blk_dev_is_tray_open(blk)) {
        blk_tray_moved(blk, !was_open);
    }
}

bool blk_is_inserted(BlockBackend *blk)
{
    return blk->bs != NULL;
}

/*
 * QEMU's inactive images: while another process owns the image (the source
 * of an incoming migration, or the destination once this side has handed
 * over), a backend holds no write permission and shares everything; it
 * remembers what its device asked for and takes it on activation.
 */
static bool blk_inactive;

static unsigned blk_eff_perm(const BlockBackend *blk, unsigned perm)
{
    return blk_inactive ? perm & BLK_PERM_CONSISTENT_READ : perm;
}

static unsigned blk_eff_shared(unsigned shared)
{
    return blk_inactive ? BLK_PERM_ALL : shared;
}

void blk_start_inactive(void)
{
    blk_inactive = true;
}

void blk_start_inactive_cancel(void)
{
    blk_inactive = false;
}

void blk_inactivate_all(void)
{
    blk_drain_all();
    blk_inactive = true;
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (blk->bs) {
            /* Giving permissions up cannot fail. */
            bdrv_set_perm(blk->bs, blk_eff_perm(blk, blk->perm), BLK_PERM_ALL, NULL);
        }
    }
}

bool blk_activate_all(Error **errp)
{
    bool ok = true;

    if (!blk_inactive) {
        return true;
    }
    blk_inactive = false;
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);
        Error *err = NULL;

        if (!blk->bs) {
            continue;
        }
        /* The other process may have changed the image's metadata. */
        if (!bdrv_invalidate_cache(blk->bs, &err) ||
            !bdrv_set_perm(blk->bs, blk->perm, blk->shared, &err)) {
            if (ok) {
                error_propagate(errp, err);
            } else {
                error_free(err);
            }
            ok = false;
        }
    }
    return ok;
}

bool blk_insert_bs(BlockBackend *blk, BlockDriverState *bs, Error **errp)
{
    g_assert(!blk->bs);
    if (!bdrv_set_perm(bs, blk_eff_perm(blk, blk->perm), blk_eff_shared(blk->shared), errp)) {
        return false;
    }
    bdrv_ref(bs);
    blk->bs = bs;
    blk->root_read_only = bs->read_only;
    return true;
}

bool blk_set_perm(BlockBackend *blk, unsigned perm, unsigned shared, Error **errp)
{
    if (blk->bs && !bdrv_set_perm(blk->bs, blk_eff_perm(blk, perm), blk_eff_shared(shared), errp)) {
        return false;
    }
    blk->perm = perm;
    blk->shared = shared;
    return true;
}

void blk_remove_bs(BlockBackend *blk)
{
    BlockDriverState *bs = blk->bs;

    if (!bs) {
        return;
    }
    blk_drain(blk);
    blk->root_read_only = bs->read_only;
    blk->bs = NULL;
    bdrv_set_perm(bs, 0, BLK_PERM_ALL, NULL);
    bdrv_unref(bs);
}

bool blk_node_in_use(const BlockDriverState *bs)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        if (((BlockBackend *)g_ptr_array_index(backends, i))->bs == bs) {
            return true;
        }
    }
    return false;
}

bool blk_root_read_only(const BlockBackend *blk)
{
    return blk->bs ? blk->bs->read_only : blk->root_read_only;
}

void blk_set_root_read_only(BlockBackend *blk, bool ro)
{
    blk->root_read_only = ro;
}

void blk_iostatus_enable(BlockBackend *blk)
{
    blk->iostatus = true;
}

bool blk_iostatus_is_enabled(const BlockBackend *blk)
{
    return blk->iostatus;
}

int64_t blk_getlength(BlockBackend *blk)
{
    return blk->bs ? bdrv_getlength(blk->bs) : -ENOMEDIUM;
}

bool blk_is_read_only(const BlockBackend *blk)
{
    return blk->bs && blk->bs->read_only;
}

bool blk_enable_write_cache(const BlockBackend *blk)
{
    return blk->wce;
}

void blk_set_enable_write_cache(BlockBackend *blk, bool wce)
{
    blk->wce = wce;
}

/* The request lies inside the device: else -EIO, as QEMU's range check. */
static int blk_check_range(BlockBackend *blk, int64_t offset, int64_t len)
{
    int64_t size = blk_getlength(blk);

    if (offset < 0 || len < 0 || size < 0 || offset > size || len > size - offset) {
        return -EIO;
    }
    return 0;
}

int blk_pread(BlockBackend *blk, int64_t offset, void *buf, int64_t len)
{
    int ret = blk_check_range(blk, offset, len);

    return ret < 0 ? ret : bdrv_pread(blk->bs, offset, buf, len);
}

int blk_pwrite(BlockBackend *blk, int64_t offset, const void *buf, int64_t len)
{
    int ret = blk_check_range(blk, offset, len);

    if (ret == 0) {
        ret = bdrv_pwrite(blk->bs, offset, buf, len);
        blk_mark_dirty(blk, offset, len);
    }
    if (ret == 0 && !blk->wce) {
        ret = bdrv_flush(blk->bs);
    }
    return ret;
}

int blk_flush(BlockBackend *blk)
{
    return blk->bs ? bdrv_flush(blk->bs) : -ENOMEDIUM;
}

/*
 * io_uring finished req: this runs in the main loop (or a drain) with the big
 * lock held, so the request completes at once, without a second trip through
 * the workers' queue and another wakeup of the loop.
 */
static void blk_uring_done(void *opaque, int ret)
{
    BlkRequest *req = opaque;

    req->ret = ret;
    blk_complete(req);
}

/* O_DIRECT needs buffers, offset and lengths aligned (else the workers bounce them). */
static bool direct_ok(const BlkRequest *req, uint64_t offset)
{
    if (offset % 4096) {
        return false;
    }
    for (int i = 0; i < req->niov; i++) {
        if ((uintptr_t)req->iov[i].iov_base % 4096 || req->iov[i].iov_len % 4096) {
            return false;
        }
    }
    return true;
}

/* Raw over a host file: straight to io_uring when there is a ring. */
static bool blk_try_uring(BlockBackend *blk, BlkRequest *req)
{
    uint64_t offset;
    bool direct;
    int fd = bdrv_get_fd(blk->bs, &offset, &direct);

    if (fd < 0) {
        return false;
    }
    switch (req->type) {
    case BLK_REQ_READ:
    case BLK_REQ_WRITE:
        if (direct && !direct_ok(req, offset + req->offset)) {
            return false;
        }
        return luring_submit(fd, req->type == BLK_REQ_WRITE, offset + req->offset, req->iov,
                             req->niov, req->type == BLK_REQ_WRITE && !blk->wce, blk_uring_done,
                             req);
    case BLK_REQ_FLUSH:
        return !blk->bs->cache_no_flush &&
               luring_submit(fd, false, 0, NULL, -1, false, blk_uring_done, req);
    default:
        return false;
    }
}

/* Queue req, or complete it at once (still through the main loop) with an error. */
static void blk_submit(BlockBackend *blk, BlkRequest *req, int early_error)
{
    uint64_t one = 1;

    req->blk = blk;
    g_atomic_int_inc(&blk->in_flight);
    if (!blk->bs && !early_error) {
        early_error = -ENOMEDIUM;
    }
    if (early_error) {
        req->ret = early_error;
        g_async_queue_push(done, req);
        if (write(done_fd, &one, sizeof(one)) < 0) {
            /* already woken */
        }
        return;
    }
    if (req->len || req->type == BLK_REQ_FLUSH) {
        if (blk_try_uring(blk, req)) {
            return;
        }
    }
    g_thread_pool_push(pool, req, NULL);
}

static void blk_aio_rw(BlockBackend *blk, BlkReqType type, int64_t offset, const struct iovec *iov,
                       int niov, BlockCompletionFunc *cb, void *opaque)
{
    BlkRequest *req = g_new0(BlkRequest, 1);
    int err;

    req->type = type;
    req->offset = offset;
    req->niov = niov;
    req->iov = g_memdup2(iov, sizeof(*iov) * MAX(niov, 0));
    req->cb = cb;
    req->opaque = opaque;
    for (int i = 0; i < niov; i++) {
        req->len += iov[i].iov_len;
    }
    err = blk_check_range(blk, offset, req->len);
    if (!err && type == BLK_REQ_WRITE && blk_is_read_only(blk)) {
        err = -EPERM;
    }
    if (!err && req->len == 0) {
        req->type = BLK_REQ_READ; /* nothing to do: completes with 0 */
    }
    blk_submit(blk, req, err);
}

void blk_aio_preadv(BlockBackend *blk, int64_t offset, const struct iovec *iov, int niov,
                    BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_rw(blk, BLK_REQ_READ, offset, iov, niov, cb, opaque);
}

void blk_aio_pwritev(BlockBackend *blk, int64_t offset, const struct iovec *iov, int niov,
                     BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_rw(blk, BLK_REQ_WRITE, offset, iov, niov, cb, opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    BlkRequest *req = g_new0(BlkRequest, 1);

    req->type = BLK_REQ_FLUSH;
    req->cb = cb;
    req->opaque = opaque;
    blk_submit(blk, req, 0);
}

static void blk_aio_range(BlockBackend *blk, BlkReqType type, int64_t offset, int64_t len,
                          BlockCompletionFunc *cb, void *opaque)
{
    BlkRequest *req = g_new0(BlkRequest, 1);
    int err = blk_check_range(blk, offset, len);

    req->type = type;
    req->offset = offset;
    req->len = len;
    req->cb = cb;
    req->opaque = opaque;
    if (!err && blk_is_read_only(blk)) {
        err = -EPERM;
    }
    blk_submit(blk, req, err);
}

void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t len, BlockCompletionFunc *cb,
                      void *opaque)
{
    blk_aio_range(blk, BLK_REQ_DISCARD, offset, len, cb, opaque);
}

void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t len, BlockCompletionFunc *cb,
                           void *opaque)
{
    blk_aio_range(blk, BLK_REQ_ZEROES, offset, len, cb, opaque);
}

void blk_io_plug(void)
{
    luring_plug();
}

void blk_io_unplug(void)
{
    luring_unplug();
}

unsigned blk_in_flight(const BlockBackend *blk)
{
    return g_atomic_int_get(&blk->in_flight);
}

void blk_drain(BlockBackend *blk)
{
    while (g_atomic_int_get(&blk->in_flight)) {
        BlkRequest *req;

        luring_poll();
        req = g_async_queue_timeout_pop(done, 1000);
        if (req) {
            blk_complete(req);
        }
    }
}

void blk_drain_all(void)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        blk_drain(g_ptr_array_index(backends, i));
    }
}

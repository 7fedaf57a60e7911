/*
 * The qcow2 format driver (versions 2 and 3): the header and its extensions,
 * L1/L2 lookup, reads through backing files, zero and compressed (deflate)
 * clusters, allocating writes, zeroing and discard.
 */
#include "qcow2.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#define DIV_ROUND_UP_U64(n, d) (((n) + (d)-1) / (d))

static inline uint64_t be64_at(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static inline uint32_t be32_at(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_BE(v);
}

static int qcow2_probe(const uint8_t *buf, size_t len)
{
    if (len >= 8 && be32_at(buf) == QCOW2_MAGIC && be32_at(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

/* The header extensions from offset to the end marker: the backing format. */
static bool read_extensions(BlockDriverState *bs, const uint8_t *hdr, uint64_t start, uint64_t end,
                            Error **errp)
{
    uint64_t off = start;

    while (off + 8 <= end) {
        uint32_t type = be32_at(hdr + off), len = be32_at(hdr + off + 4);

        if (type == QCOW2_EXT_END) {
            return true;
        }
        if (off + 8 + len > end) {
            error_setg(errp, "ext_len too large");
            return false;
        }
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            if (len >= 16) {
                error_setg(errp, "ERROR: ext_backing_format: len=%u too large (>=%zu)", len,
                           (size_t)16);
                return false;
            }
            bs->backing_format = g_strndup((const char *)hdr + off + 8, len);
        }
        off += 8 + QEMU_ALIGN_UP(len, 8);
    }
    return true;
}

static bool qcow2_read_header(BlockDriverState *bs, uint8_t *hdr, size_t hdr_len, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint32_t header_length, backing_size;
    uint64_t backing_offset;

    if (be32_at(hdr) != QCOW2_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return false;
    }
    s->version = be32_at(hdr + QCOW2_HDR_VERSION);
    if (s->version < 2 || s->version > 3) {
        error_setg(errp, "Unsupported qcow2 version %d", s->version);
        return false;
    }
    s->cluster_bits = be32_at(hdr + QCOW2_HDR_CLUSTER_BITS);
    if (s->cluster_bits < QCOW2_MIN_CLUSTER_BITS || s->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%d", s->cluster_bits);
        return false;
    }
    s->cluster_size = 1ull << s->cluster_bits;
    s->l2_bits = s->cluster_bits - 3;
    s->size = be64_at(hdr + QCOW2_HDR_SIZE);
    if (be32_at(hdr + QCOW2_HDR_CRYPT)) {
        error_setg(errp, "qcow2 encryption is not supported by this implementation");
        return false;
    }
    s->l1_size = be32_at(hdr + QCOW2_HDR_L1_SIZE);
    s->l1_offset = be64_at(hdr + QCOW2_HDR_L1_OFFSET);
    s->rt_offset = be64_at(hdr + QCOW2_HDR_RT_OFFSET);
    s->rt_size = (uint64_t)be32_at(hdr + QCOW2_HDR_RT_CLUSTERS) * (s->cluster_size / 8);
    s->nb_snapshots = be32_at(hdr + QCOW2_HDR_NB_SNAPSHOTS);
    s->snapshots_offset = be64_at(hdr + QCOW2_HDR_SNAPSHOTS_OFFSET);
    header_length = QCOW2_V2_HEADER_LENGTH;
    s->refcount_order = 4;
    if (s->version == 3) {
        s->incompat = be64_at(hdr + QCOW2_HDR_INCOMPAT);
        s->compat = be64_at(hdr + QCOW2_HDR_COMPAT);
        s->autoclear = be64_at(hdr + QCOW2_HDR_AUTOCLEAR);
        s->refcount_order = be32_at(hdr + QCOW2_HDR_REFCOUNT_ORDER);
        header_length = be32_at(hdr + QCOW2_HDR_LENGTH);
        if (header_length < QCOW2_V3_HEADER_LENGTH || header_length > s->cluster_size ||
            header_length > hdr_len) {
            error_setg(errp, "qcow2 header too short");
            return false;
        }
        /* Unsigned: a header's 0x80000000 and above must not pass as negative. */
        if ((uint32_t)s->refcount_order > 6) {
            error_setg(errp, "Reference count entry width too large; may not exceed 64 bits");
            return false;
        }
        if (header_length > QCOW2_HDR_COMPRESSION && hdr[QCOW2_HDR_COMPRESSION] != 0) {
            error_setg(errp, "Unsupported compression type (only zlib is)");
            return false;
        }
    }
    if (s->incompat & ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT)) {
        error_setg(errp, "Unsupported qcow2 feature(s): incompatible feature bits 0x%" PRIx64,
                   (uint64_t)(s->incompat & ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT)));
        return false;
    }
    if ((s->incompat & QCOW2_INCOMPAT_CORRUPT) && !bs->read_only) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened read/write");
        return false;
    }
    if ((s->incompat & QCOW2_INCOMPAT_DIRTY) && !bs->read_only) {
        error_setg(errp, "qcow2: the image was not closed cleanly (lazy refcounts); repair it "
                         "with 'qemu-img check -r all' first");
        return false;
    }
    if (s->l1_size > (1u << 25) ||
        (uint64_t)s->l1_size << (s->l2_bits + s->cluster_bits) < s->size - (s->size ? 1 : 0)) {
        error_setg(errp, "L1 table is too small");
        return false;
    }
    if (s->rt_size == 0 || s->rt_size > (1u << 24)) {
        error_setg(errp, "Invalid reference count table size");
        return false;
    }
    backing_offset = be64_at(hdr + QCOW2_HDR_BACKING_OFFSET);
    backing_size = be32_at(hdr + QCOW2_HDR_BACKING_SIZE);
    if (!read_extensions(bs, hdr, header_length,
                         backing_offset ? MIN(backing_offset, hdr_len) : hdr_len, errp)) {
        return false;
    }
    if (backing_offset) {
        if (backing_size > 1023 || backing_offset + backing_size > hdr_len) {
            error_setg(errp, "Backing file name too long");
            return false;
        }
        bs->backing_file = g_strndup((const char *)hdr + backing_offset, backing_size);
    }
    return true;
}

static void l2_cache_clear(BDRVQcow2State *s)
{
    g_hash_table_remove_all(s->l2_cache);
}

static bool qcow2_open(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    const char *const *ignored = bdrv_qcow2.options;
    g_autofree uint8_t *hdr = NULL;
    size_t hdr_len = 4096;
    int64_t flen;
    int ret;

    for (int i = 0; ignored[i]; i++) {
        g_free(bdrv_opts_take(opts, ignored[i]));
    }
    hdr = g_malloc0(4096);
    ret = bdrv_pread(bs->file, 0, hdr, 4096);
    if (ret < 0) {
        error_setg(errp, "Could not read qcow2 header: %s", g_strerror(-ret));
        return false;
    }
    if (be32_at(hdr) == QCOW2_MAGIC && be32_at(hdr + QCOW2_HDR_CLUSTER_BITS) > 12 &&
        be32_at(hdr + QCOW2_HDR_CLUSTER_BITS) <= QCOW2_MAX_CLUSTER_BITS) {
        hdr_len = 1ull << be32_at(hdr + QCOW2_HDR_CLUSTER_BITS);
        hdr = g_realloc(hdr, hdr_len);
        ret = bdrv_pread(bs->file, 0, hdr, hdr_len);
        if (ret < 0) {
            error_setg(errp, "Could not read qcow2 header: %s", g_strerror(-ret));
            return false;
        }
    }
    if (!qcow2_read_header(bs, hdr, hdr_len, errp)) {
        return false;
    }
    g_mutex_init(&s->lock);
    s->l2_cache = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->l1 = g_new0(uint64_t, MAX(s->l1_size, 1));
    ret = bdrv_pread(bs->file, s->l1_offset, s->l1, (uint64_t)s->l1_size * 8);
    if (ret < 0) {
        error_setg(errp, "Could not read L1 table: %s", g_strerror(-ret));
        goto fail;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        s->l1[i] = GUINT64_FROM_BE(s->l1[i]);
    }
    if (!qcow2_refcount_init(bs, errp)) {
        goto fail;
    }
    flen = bdrv_getlength(bs->file);
    s->alloc_end = flen > 0 ? QEMU_ALIGN_UP((uint64_t)flen, s->cluster_size) >> s->cluster_bits : 0;
    if (!qcow2_read_snapshots(bs, errp)) {
        goto fail;
    }
    /* Autoclear features name extensions this driver does not keep up to date: drop them. */
    if (!bs->read_only && s->version == 3 && s->autoclear) {
        uint64_t zero = 0;

        ret = bdrv_pwrite(bs->file, QCOW2_HDR_AUTOCLEAR, &zero, 8);
        if (ret < 0) {
            error_setg(errp, "Could not update qcow2 header: %s", g_strerror(-ret));
            goto fail;
        }
        s->autoclear = 0;
    }
    s->cc_buf = g_malloc(s->cluster_size);
    s->cc_entry = 0;
    return true;

fail:
    qcow2_free_snapshots(bs);
    qcow2_refcount_close(bs);
    g_clear_pointer(&s->l2_cache, g_hash_table_unref);
    g_clear_pointer(&s->l1, g_free);
    g_mutex_clear(&s->lock);
    return false;
}

static void qcow2_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    qcow2_free_snapshots(bs);
    qcow2_refcount_close(bs);
    g_clear_pointer(&s->l2_cache, g_hash_table_unref);
    g_clear_pointer(&s->l1, g_free);
    g_clear_pointer(&s->cc_buf, g_free);
    g_mutex_clear(&s->lock);
}

/* The header, L1 table and refcounts read again; the L2 and refcount caches emptied. */
static bool qcow2_invalidate_cache(BlockDriverState *bs, Error **errp)
{
    g_autoptr(GHashTable) opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    qcow2_close(bs);
    g_clear_pointer(&bs->backing_file, g_free);
    g_clear_pointer(&bs->backing_format, g_free);
    return qcow2_open(bs, opts, errp);
}

/* An L2 table from the image (host byte order, cached, written through). */
int qcow2_load_l2(BlockDriverState *bs, uint64_t offset, uint64_t **table)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t *t = g_hash_table_lookup(s->l2_cache, GSIZE_TO_POINTER(offset));
    int ret;

    if (!t) {
        if (offset & (s->cluster_size - 1)) {
            return -EIO; /* an unaligned L2 table: a corrupt image */
        }
        t = g_malloc(s->cluster_size);
        ret = bdrv_pread(bs->file, offset, t, s->cluster_size);
        if (ret < 0) {
            g_free(t);
            return ret;
        }
        for (uint64_t i = 0; i < s->cluster_size / 8; i++) {
            t[i] = GUINT64_FROM_BE(t[i]);
        }
        if (g_hash_table_size(s->l2_cache) >= 256) {
            l2_cache_clear(s);
        }
        g_hash_table_insert(s->l2_cache, GSIZE_TO_POINTER(offset), t);
    }
    *table = t;
    return 0;
}

/* The L2 entry of a guest offset (0: no L2 table, unallocated). */
static int get_l2_entry(BlockDriverState *bs, uint64_t guest, uint64_t *entry)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = guest >> (s->l2_bits + s->cluster_bits);
    uint64_t l2_index = (guest >> s->cluster_bits) & ((1ull << s->l2_bits) - 1);
    uint64_t *t;
    int ret;

    *entry = 0;
    if (l1_index >= s->l1_size || !(s->l1[l1_index] & QCOW2_OFFSET_MASK)) {
        return 0;
    }
    ret = qcow2_load_l2(bs, s->l1[l1_index] & QCOW2_OFFSET_MASK, &t);
    if (ret == 0) {
        *entry = t[l2_index];
    }
    return ret;
}

/* Inflate a compressed cluster (raw deflate, 4 KiB window) into the cache. */
static int read_compressed(BlockDriverState *bs, uint64_t entry)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *in = NULL;
    uint64_t off, len;
    z_stream z = { 0 };
    int ret, zret;

    if (s->cc_entry == entry) {
        return 0;
    }
    qcow2_compressed_range(s, entry, &off, &len);
    in = g_malloc(len);
    ret = bdrv_pread(bs->file, off, in, len);
    if (ret < 0) {
        return ret;
    }
    if (inflateInit2(&z, -12) != Z_OK) {
        return -ENOMEM;
    }
    z.next_in = in;
    z.avail_in = len;
    z.next_out = s->cc_buf;
    z.avail_out = s->cluster_size;
    zret = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    if ((zret != Z_STREAM_END && zret != Z_BUF_ERROR) || z.avail_out) {
        s->cc_entry = 0;
        return -EIO;
    }
    s->cc_entry = entry;
    return 0;
}

/* Guest bytes with no cluster of their own: the backing file's, or zeros. */
static int read_unallocated(BlockDriverState *bs, uint64_t guest, uint8_t *buf, uint64_t len)
{
    int64_t blen;
    uint64_t n;

    memset(buf, 0, len);
    if (!bs->backing) {
        return 0;
    }
    blen = bdrv_getlength(bs->backing);
    if (blen < 0) {
        return blen;
    }
    if (guest >= (uint64_t)blen) {
        return 0;
    }
    n = MIN(len, (uint64_t)blen - guest);
    return bdrv_pread(bs->backing, guest, buf, n);
}

int qcow2_read_locked(BlockDriverState *bs, uint64_t guest, uint8_t *buf, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;

    while (len) {
        uint64_t in = guest & (s->cluster_size - 1);
        uint64_t n = MIN(len, s->cluster_size - in), entry, host;
        int ret = get_l2_entry(bs, guest, &entry);

        if (ret < 0) {
            return ret;
        }
        if (entry & QCOW2_OFLAG_COMPRESSED) {
            ret = read_compressed(bs, entry);
            if (ret == 0) {
                memcpy(buf, s->cc_buf + in, n);
            }
        } else if ((entry & QCOW2_OFLAG_ZERO) && s->version >= 3) {
            memset(buf, 0, n);
        } else if (!(entry & QCOW2_OFFSET_MASK)) {
            ret = read_unallocated(bs, guest, buf, n);
        } else {
            /* Following clusters laid out contiguously on the host: one read. */
            host = (entry & QCOW2_OFFSET_MASK) + in;
            while (n < len) {
                uint64_t next, m = MIN(len - n, s->cluster_size);

                ret = get_l2_entry(bs, guest + n, &next);
                if (ret < 0 || (next & (QCOW2_OFLAG_COMPRESSED | QCOW2_OFLAG_ZERO)) ||
                    (next & QCOW2_OFFSET_MASK) != host - in + n) {
                    break;
                }
                n += m;
            }
            ret = bdrv_pread(bs->file, host, buf, n);
        }
        if (ret < 0) {
            return ret;
        }
        guest += n;
        buf += n;
        len -= n;
    }
    return 0;
}

static int qcow2_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    g_mutex_lock(&s->lock);
    ret = qcow2_read_locked(bs, offset, buf, len);
    g_mutex_unlock(&s->lock);
    return ret;
}

/* A cluster of the range has an L2 entry (data, compressed or zero): its own, not the backing's. */
static int qcow2_is_allocated(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t csize = 1ull << s->cluster_bits;
    uint64_t end = offset + len;
    int ret = 0;

    g_mutex_lock(&s->lock);
    for (uint64_t g = offset & ~(csize - 1); g < end && ret == 0; g += csize) {
        uint64_t entry;

        ret = get_l2_entry(bs, g, &entry);
        if (ret == 0 && entry) {
            ret = 1;
        }
    }
    g_mutex_unlock(&s->lock);
    return ret;
}

int qcow2_write_l1_entry(BlockDriverState *bs, uint64_t index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = GUINT64_TO_BE(s->l1[index]);

    return bdrv_pwrite(bs->file, s->l1_offset + index * 8, &be, 8);
}

/* The L2 table for guest, allocated (zeroed) when there is none; *offset its host offset. */
static int get_l2_for_write(BlockDriverState *bs, uint64_t guest, uint64_t **table,
                            uint64_t *offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = guest >> (s->l2_bits + s->cluster_bits);
    g_autofree uint8_t *zeros = NULL;
    int64_t off;
    int ret;

    if (l1_index >= s->l1_size) {
        return -EIO;
    }
    if (!(s->l1[l1_index] & QCOW2_OFFSET_MASK)) {
        off = qcow2_alloc_clusters(bs, 1);
        if (off < 0) {
            return off;
        }
        zeros = g_malloc0(s->cluster_size);
        ret = bdrv_pwrite(bs->file, off, zeros, s->cluster_size);
        if (ret < 0) {
            return ret;
        }
        s->l1[l1_index] = off | QCOW2_OFLAG_COPIED;
        ret = qcow2_write_l1_entry(bs, l1_index);
        if (ret < 0) {
            return ret;
        }
    } else if (!(s->l1[l1_index] & QCOW2_OFLAG_COPIED)) {
        uint64_t rc;

        ret = qcow2_get_refcount(bs, (s->l1[l1_index] & QCOW2_OFFSET_MASK) >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc != 1) {
            /* Shared with a snapshot: this L1 gets a copy of its own. */
            uint64_t old = s->l1[l1_index] & QCOW2_OFFSET_MASK, *t;
            g_autofree uint64_t *copy = NULL;

            ret = qcow2_load_l2(bs, old, &t);
            if (ret < 0) {
                return ret;
            }
            copy = g_new(uint64_t, s->cluster_size / 8);
            for (uint64_t i = 0; i < s->cluster_size / 8; i++) {
                copy[i] = GUINT64_TO_BE(t[i]);
            }
            off = qcow2_alloc_clusters(bs, 1);
            if (off < 0) {
                return off;
            }
            ret = bdrv_pwrite(bs->file, off, copy, s->cluster_size);
            if (ret < 0) {
                return ret;
            }
            s->l1[l1_index] = off | QCOW2_OFLAG_COPIED;
            ret = qcow2_write_l1_entry(bs, l1_index);
            if (ret == 0) {
                ret = qcow2_update_refcount(bs, old, s->cluster_size, -1);
            }
            if (ret < 0) {
                return ret;
            }
        }
    }
    *offset = s->l1[l1_index] & QCOW2_OFFSET_MASK;
    return qcow2_load_l2(bs, *offset, table);
}

int qcow2_write_l2_entry(BlockDriverState *bs, uint64_t *t, uint64_t l2_offset, uint64_t index,
                         uint64_t entry)
{
    uint64_t be = GUINT64_TO_BE(entry);

    t[index] = entry;
    return bdrv_pwrite(bs->file, l2_offset + index * 8, &be, 8);
}

/* This cluster's refcount is 1: write in place.  Checked for entries without COPIED. */
static int cluster_is_own(BlockDriverState *bs, uint64_t entry, bool *own)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t rc;
    int ret;

    *own = false;
    if ((entry & QCOW2_OFLAG_COMPRESSED) || !(entry & QCOW2_OFFSET_MASK)) {
        return 0;
    }
    if (entry & QCOW2_OFLAG_COPIED) {
        *own = true;
        return 0;
    }
    ret = qcow2_get_refcount(bs, (entry & QCOW2_OFFSET_MASK) >> s->cluster_bits, &rc);
    *own = rc == 1;
    return ret;
}

/*
 * Write within one cluster.  A cluster of its own with data is written in
 * place; otherwise a new cluster gets the old contents (backing file, zeros,
 * inflated data) merged with the new bytes, then the L2 entry points to it
 * and the old clusters are released.
 */
static int write_cluster(BlockDriverState *bs, uint64_t guest, const uint8_t *buf, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in = guest & (s->cluster_size - 1), base = guest - in;
    uint64_t l2_index = (guest >> s->cluster_bits) & ((1ull << s->l2_bits) - 1);
    uint64_t *t, l2_off, entry;
    g_autofree uint8_t *full = NULL;
    bool own, zero_flag;
    int64_t host;
    int ret;

    ret = get_l2_for_write(bs, guest, &t, &l2_off);
    if (ret < 0) {
        return ret;
    }
    entry = t[l2_index];
    ret = cluster_is_own(bs, entry, &own);
    if (ret < 0) {
        return ret;
    }
    zero_flag = (entry & QCOW2_OFLAG_ZERO) && s->version >= 3;
    if (own && !zero_flag) {
        return bdrv_pwrite(bs->file, (entry & QCOW2_OFFSET_MASK) + in, buf, n);
    }
    full = g_malloc(s->cluster_size);
    if (n < s->cluster_size) {
        ret = qcow2_read_locked(bs, base, full, s->cluster_size);
        if (ret < 0) {
            return ret;
        }
    }
    memcpy(full + in, buf, n);
    if (own) {
        /* A preallocated zero cluster: fill it, then drop the zero flag. */
        ret = bdrv_pwrite(bs->file, entry & QCOW2_OFFSET_MASK, full, s->cluster_size);
        if (ret == 0) {
            ret = qcow2_load_l2(bs, l2_off, &t); /* the read may have evicted it */
        }
        if (ret == 0) {
            ret = qcow2_write_l2_entry(bs, t, l2_off, l2_index,
                                       (entry & QCOW2_OFFSET_MASK) | QCOW2_OFLAG_COPIED);
        }
        return ret;
    }
    host = qcow2_alloc_clusters(bs, 1);
    if (host < 0) {
        return host;
    }
    ret = bdrv_pwrite(bs->file, host, full, s->cluster_size);
    if (ret < 0) {
        return ret;
    }
    /* Allocating may have evicted the table from the cache: look it up again. */
    ret = qcow2_load_l2(bs, l2_off, &t);
    if (ret == 0) {
        ret = qcow2_write_l2_entry(bs, t, l2_off, l2_index, host | QCOW2_OFLAG_COPIED);
    }
    if (ret == 0 && (entry & QCOW2_OFLAG_COMPRESSED)) {
        s->cc_entry = 0;
    }
    return ret < 0 ? ret : qcow2_free_entry(bs, entry);
}

int qcow2_write_locked(BlockDriverState *bs, uint64_t offset, const uint8_t *p, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = 0;

    while (len && ret == 0) {
        uint64_t n = MIN(len, s->cluster_size - (offset & (s->cluster_size - 1)));

        ret = write_cluster(bs, offset, p, n);
        offset += n;
        p += n;
        len -= n;
    }
    return ret;
}

static int qcow2_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (offset > s->size || len > s->size - offset) {
        return -EIO;
    }
    g_mutex_lock(&s->lock);
    ret = qcow2_write_locked(bs, offset, buf, len);
    g_mutex_unlock(&s->lock);
    return ret;
}

/*
 * Whole clusters to new_entry (0: unallocated, or QCOW2_OFLAG_ZERO): the
 * L2 entry first, then the clusters it pointed at are released.  Partial
 * clusters at the edges are left to the caller.
 */
static int set_clusters(BlockDriverState *bs, uint64_t offset, uint64_t len, uint64_t new_entry)
{
    BDRVQcow2State *s = bs->opaque;

    for (uint64_t g = offset; g < offset + len; g += s->cluster_size) {
        uint64_t l2_index = (g >> s->cluster_bits) & ((1ull << s->l2_bits) - 1);
        uint64_t *t, l2_off, entry;
        int ret = get_l2_entry(bs, g, &entry);

        if (ret < 0) {
            return ret;
        }
        if (entry == new_entry || (!new_entry && !entry)) {
            continue;
        }
        ret = get_l2_for_write(bs, g, &t, &l2_off);
        if (ret < 0) {
            return ret;
        }
        ret = qcow2_write_l2_entry(bs, t, l2_off, l2_index, new_entry);
        if (ret == 0 && (entry & QCOW2_OFLAG_COMPRESSED)) {
            s->cc_entry = 0;
        }
        if (ret == 0) {
            ret = qcow2_free_entry(bs, entry);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static int qcow2_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t head = QEMU_ALIGN_UP(offset, s->cluster_size);
    uint64_t tail = QEMU_ALIGN_DOWN(offset + len, s->cluster_size);
    g_autofree uint8_t *zeros = NULL;
    int ret = 0;

    if (offset > s->size || len > s->size - offset) {
        return -EIO;
    }
    /* The last cluster of an image whose size is not a multiple counts as whole. */
    if (offset + len == s->size) {
        tail = QEMU_ALIGN_UP(offset + len, s->cluster_size);
    }
    if (s->version < 3 || head >= tail) {
        head = tail = offset + len;
    }
    zeros = g_malloc0(s->cluster_size);
    g_mutex_lock(&s->lock);
    for (uint64_t g = offset; g < head && ret == 0;) {
        uint64_t n = MIN(head - g, s->cluster_size - (g & (s->cluster_size - 1)));

        ret = write_cluster(bs, g, zeros, n);
        g += n;
    }
    if (ret == 0 && tail > head) {
        ret = set_clusters(bs, head, tail - head, QCOW2_OFLAG_ZERO);
    }
    for (uint64_t g = MAX(tail, head); g < offset + len && ret == 0;) {
        uint64_t n = MIN(offset + len - g, s->cluster_size - (g & (s->cluster_size - 1)));

        ret = write_cluster(bs, g, zeros, n);
        g += n;
    }
    g_mutex_unlock(&s->lock);
    return ret;
}

/* Whole clusters are released (reading zeros where a backing file would show through). */
static int qcow2_discard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t head = QEMU_ALIGN_UP(offset, s->cluster_size);
    uint64_t tail = QEMU_ALIGN_DOWN(offset + len, s->cluster_size);
    int ret = 0;

    if (offset + len == s->size) {
        tail = QEMU_ALIGN_UP(offset + len, s->cluster_size);
    }
    if (head >= tail) {
        return 0;
    }
    if (bs->backing && s->version < 3) {
        return 0; /* unallocated would show the backing file: keep the data */
    }
    g_mutex_lock(&s->lock);
    ret = set_clusters(bs, head, tail - head, bs->backing ? QCOW2_OFLAG_ZERO : 0);
    g_mutex_unlock(&s->lock);
    return ret;
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    return s->size;
}

/*
 * A larger L1 table in newly allocated clusters; the header names it (size
 * and offset in one write) before the old table's clusters are released.
 */
int qcow2_grow_l1(BlockDriverState *bs, uint32_t new_size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t clusters = DIV_ROUND_UP_U64((uint64_t)new_size * 8, s->cluster_size);
    uint64_t old_offset = s->l1_offset, old_bytes = (uint64_t)s->l1_size * 8;
    g_autofree uint64_t *table = g_malloc0(clusters * s->cluster_size);
    uint8_t hdr[12];
    int64_t off;
    int ret;

    if (new_size > QCOW2_MAX_L1_ENTRIES) {
        return -EFBIG;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        table[i] = GUINT64_TO_BE(s->l1[i]);
    }
    off = qcow2_alloc_clusters(bs, clusters);
    if (off < 0) {
        return (int)off;
    }
    ret = bdrv_pwrite(bs->file, (uint64_t)off, table, clusters * s->cluster_size);
    if (ret < 0) {
        return ret;
    }
    qcow2_put_be32(hdr, new_size);
    qcow2_put_be64(hdr + 4, (uint64_t)off);
    ret = bdrv_pwrite(bs->file, QCOW2_HDR_L1_SIZE, hdr, sizeof(hdr));
    if (ret < 0) {
        return ret;
    }
    s->l1 = g_renew(uint64_t, s->l1, new_size);
    memset(s->l1 + s->l1_size, 0, (size_t)(new_size - s->l1_size) * 8);
    s->l1_size = new_size;
    s->l1_offset = (uint64_t)off;
    return qcow2_update_refcount(bs, old_offset, old_bytes, -1);
}

/*
 * Shrinking drops every cluster past the new end, as QEMU's: the L1 entries
 * of whole L2 tables are cleared before the tables and their clusters are
 * released (a crash leaks, never corrupts); the table keeps its size.  Then
 * the file is cut after the last cluster still in use.
 */
static int shrink_clusters(BlockDriverState *bs, uint64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    int shift = s->l2_bits + s->cluster_bits;
    uint64_t start = QEMU_ALIGN_UP(size, s->cluster_size);
    uint64_t keep = DIV_ROUND_UP_U64(size, 1ull << shift), last;
    int64_t flen;
    int ret;

    if (keep < s->l1_size && start < keep << shift) {
        ret = set_clusters(bs, start, (keep << shift) - start, 0);
    } else if (keep >= s->l1_size && start < s->size) {
        ret = set_clusters(bs, start, QEMU_ALIGN_UP(s->size, s->cluster_size) - start, 0);
    } else {
        ret = 0;
    }
    for (uint64_t i = keep; ret == 0 && i < s->l1_size; i++) {
        uint64_t l2 = s->l1[i] & QCOW2_OFFSET_MASK, *t;
        g_autofree uint64_t *entries = NULL;

        if (!l2) {
            continue;
        }
        ret = qcow2_load_l2(bs, l2, &t);
        if (ret < 0) {
            break;
        }
        entries = g_memdup2(t, s->cluster_size);
        s->l1[i] = 0;
        ret = qcow2_write_l1_entry(bs, i);
        g_hash_table_remove(s->l2_cache, GSIZE_TO_POINTER(l2));
        for (uint64_t j = 0; ret == 0 && j < s->cluster_size / 8; j++) {
            ret = qcow2_free_entry(bs, entries[j]);
        }
        if (ret == 0) {
            ret = qcow2_update_refcount(bs, l2, s->cluster_size, -1);
        }
    }
    s->cc_entry = 0;
    if (ret < 0) {
        return ret;
    }
    flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        return (int)flen;
    }
    for (last = s->alloc_end; last > 0; last--) {
        uint64_t rc;

        ret = qcow2_get_refcount(bs, last - 1, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc) {
            break;
        }
    }
    s->alloc_end = last;
    if (last << s->cluster_bits < (uint64_t)flen) {
        /* As QEMU, a file that cannot be cut only wastes space. */
        g_autoptr(Error) err = NULL;

        bdrv_truncate(bs->file, (int64_t)(last << s->cluster_bits), &err);
    }
    return 0;
}

/*
 * block_resize on qcow2, as QEMU 7.2: whole sectors; growing takes a larger
 * L1 table when the new size needs one; shrinking discards the clusters past
 * the end.  The header's size is written last.  Snapshots keep their own
 * size (a revert brings it back); v2 images with snapshots cannot resize.
 */
int qcow2_truncate_locked(BlockDriverState *bs, uint64_t size, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t new_l1 = DIV_ROUND_UP_U64(size, 1ull << (s->l2_bits + s->cluster_bits));
    uint64_t be = GUINT64_TO_BE(size);
    int ret = 0;

    if (s->nb_snapshots && s->version < 3) {
        error_setg(errp, "Can't resize a v2 image which has snapshots");
        return -ENOTSUP;
    }
    /* A VM state left in the active table (after a revert) must not become disk bytes. */
    ret = qcow2_drop_vmstate(bs);
    if (ret < 0) {
        error_setg(errp, "Failed to release the VM state: %s", g_strerror(-ret));
    } else if (size < s->size) {
        ret = shrink_clusters(bs, size);
        if (ret < 0) {
            error_setg(errp, "Failed to discard cropped clusters: %s", g_strerror(-ret));
        }
    } else if (new_l1 > s->l1_size) {
        ret = new_l1 > QCOW2_MAX_L1_ENTRIES ? -EFBIG : qcow2_grow_l1(bs, (uint32_t)new_l1);
        if (ret < 0) {
            error_setg(errp, "Failed to grow the L1 table: %s", g_strerror(-ret));
        }
    }
    if (ret == 0) {
        ret = bdrv_pwrite(bs->file, QCOW2_HDR_SIZE, &be, sizeof(be));
        if (ret < 0) {
            error_setg(errp, "Failed to update the image size: %s", g_strerror(-ret));
        } else {
            s->size = size;
        }
    }
    return ret;
}

static int qcow2_truncate(BlockDriverState *bs, uint64_t size, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (size % BDRV_SECTOR_SIZE) {
        error_setg(errp, "The new size must be a multiple of %u", BDRV_SECTOR_SIZE);
        return -EINVAL;
    }
    g_mutex_lock(&s->lock);
    ret = qcow2_truncate_locked(bs, size, errp);
    g_mutex_unlock(&s->lock);
    return ret;
}

/* Cache and overlap-check tuning: accepted, nothing to tune here. */
static const char *const qcow2_options[] = {
    "lazy-refcounts",
    "cache-size",
    "l2-cache-size",
    "refcount-cache-size",
    "cache-clean-interval",
    "overlap-check",
    "pass-discard-request",
    "pass-discard-snapshot",
    "pass-discard-other",
    "l2-cache-entry-size",
    NULL,
};

const BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .options = qcow2_options,
    .instance_size = sizeof(BDRVQcow2State),
    .is_format = true,
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .pread = qcow2_pread,
    .pwrite = qcow2_pwrite,
    .discard = qcow2_discard,
    .pwrite_zeroes = qcow2_pwrite_zeroes,
    .getlength = qcow2_getlength,
    .is_allocated = qcow2_is_allocated,
    .truncate = qcow2_truncate,
    .invalidate_cache = qcow2_invalidate_cache,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_delete = qcow2_snapshot_delete,
    .snapshot_list = qcow2_snapshot_list,
    .save_vmstate = qcow2_save_vmstate,
    .load_vmstate = qcow2_load_vmstate,
};

/*
 * A new image: the header (and backing file name) in cluster 0, a one-cluster
 * refcount table, one refcount block for the first clusters, then the L1
 * table.
 */
bool qcow2_create_file(const char *filename, uint64_t size, const char *backing_file,
                       const char *backing_fmt, Error **errp)
{
    const uint64_t cs = 1ull << QCOW2_DEFAULT_CLUSTER_BITS;
    uint64_t l1_size = DIV_ROUND_UP_U64(size, cs * (cs / 8));
    uint64_t l1_clusters = MAX(DIV_ROUND_UP_U64(l1_size * 8, cs), 1);
    uint64_t total = 3 + l1_clusters, ext = QCOW2_V3_HEADER_LENGTH;
    g_autofree uint8_t *img = NULL;
    int fd, ret = 0;

    if (total > cs / 2 || (backing_file && strlen(backing_file) > 1023)) {
        error_setg(errp, "Image size or backing file name too large");
        return false;
    }
    img = g_malloc0(total * cs);
#define PUT32(off, v) qcow2_put_be32(img + (off), v)
#define PUT64(off, v) qcow2_put_be64(img + (off), v)
    PUT32(0, QCOW2_MAGIC);
    PUT32(QCOW2_HDR_VERSION, 3);
    PUT32(QCOW2_HDR_CLUSTER_BITS, QCOW2_DEFAULT_CLUSTER_BITS);
    PUT64(QCOW2_HDR_SIZE, size);
    PUT32(QCOW2_HDR_L1_SIZE, l1_size);
    PUT64(QCOW2_HDR_L1_OFFSET, 3 * cs);
    PUT64(QCOW2_HDR_RT_OFFSET, cs);
    PUT32(QCOW2_HDR_RT_CLUSTERS, 1);
    PUT32(QCOW2_HDR_REFCOUNT_ORDER, 4);
    PUT32(QCOW2_HDR_LENGTH, QCOW2_V3_HEADER_LENGTH);
    if (backing_fmt) {
        PUT32(ext, QCOW2_EXT_BACKING_FORMAT);
        PUT32(ext + 4, strlen(backing_fmt));
        memcpy(img + ext + 8, backing_fmt, strlen(backing_fmt));
        ext += 8 + QEMU_ALIGN_UP(strlen(backing_fmt), 8);
    }
    ext += 8; /* the end marker: type 0, length 0 */
    if (backing_file) {
        PUT64(QCOW2_HDR_BACKING_OFFSET, ext);
        PUT32(QCOW2_HDR_BACKING_SIZE, strlen(backing_file));
        memcpy(img + ext, backing_file, strlen(backing_file));
    }
    PUT64(cs, 2 * cs); /* refcount table entry 0: the block at cluster 2 */
    for (uint64_t c = 0; c < total; c++) {
        img[2 * cs + 2 * c + 1] = 1; /* 16-bit refcounts of 1 */
    }
#undef PUT32
#undef PUT64
    fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_setg(errp, "Could not create '%s': %s", filename, g_strerror(errno));
        return false;
    }
    for (uint64_t done = 0; done < total * cs && ret == 0;) {
        ssize_t n = pwrite(fd, img + done, total * cs - done, done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ret = n < 0 ? -errno : -ENOSPC;
            break;
        }
        done += n;
    }
    close(fd);
    if (ret < 0) {
        error_setg(errp, "Could not write '%s': %s", filename, g_strerror(-ret));
        return false;
    }
    return true;
}

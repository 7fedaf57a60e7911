/*
 * qcow2 refcounts: the refcount table and blocks, cluster allocation, and
 * growing the table.  Every change is written before the structure that
 * starts using the cluster, so a process killed mid-write leaks clusters at
 * worst and never leaves a cluster in use with a refcount of 0.
 */
#include "qcow2.h"

static inline uint64_t be64_get(const void *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

/* A refcount block from the image (cached; the cache is written through). */
static int load_refblock(BlockDriverState *bs, uint64_t offset, uint8_t **block)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *b = g_hash_table_lookup(s->rb_cache, GSIZE_TO_POINTER(offset));
    int ret;

    if (!b) {
        b = g_malloc(s->cluster_size);
        ret = bdrv_pread(bs->file, offset, b, s->cluster_size);
        if (ret < 0) {
            g_free(b);
            return ret;
        }
        if (g_hash_table_size(s->rb_cache) > 64) {
            g_hash_table_remove_all(s->rb_cache);
        }
        g_hash_table_insert(s->rb_cache, GSIZE_TO_POINTER(offset), b);
    }
    *block = b;
    return 0;
}

/* Entry i of a refcount block of 2^order-bit big-endian entries (sub-byte: LSB first). */
static uint64_t rb_get(const uint8_t *b, uint64_t i, int order)
{
    switch (order) {
    case 0:
    case 1:
    case 2: {
        int bits = 1 << order;
        uint64_t bit = i * bits;

        return (b[bit / 8] >> (bit % 8)) & ((1u << bits) - 1);
    }
    case 3:
        return b[i];
    case 4:
        return (uint64_t)b[2 * i] << 8 | b[2 * i + 1];
    case 5:
        return (uint64_t)b[4 * i] << 24 | (uint64_t)b[4 * i + 1] << 16 |
               (uint64_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    default:
        return be64_get(b + 8 * i);
    }
}

/* Set entry i; returns the byte holding it, for the write-back. */
static uint64_t rb_set(uint8_t *b, uint64_t i, int order, uint64_t v)
{
    int bytes = order <= 3 ? 1 : 1 << (order - 3);

    if (order < 3) {
        int bits = 1 << order;
        uint64_t bit = i * bits;
        uint8_t mask = ((1u << bits) - 1) << (bit % 8);

        b[bit / 8] = (b[bit / 8] & ~mask) | ((v << (bit % 8)) & mask);
        return bit / 8;
    }
    for (int k = 0; k < bytes; k++) {
        b[i * bytes + k] = v >> (8 * (bytes - 1 - k));
    }
    return i * bytes;
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t rt_index = cluster_index / s->refs_per_block;
    uint8_t *b;
    int ret;

    *refcount = 0;
    if (rt_index >= s->rt_size || !(s->rt[rt_index] & QCOW2_OFFSET_MASK)) {
        return 0;
    }
    ret = load_refblock(bs, s->rt[rt_index] & QCOW2_OFFSET_MASK, &b);
    if (ret < 0) {
        return ret;
    }
    *refcount = rb_get(b, cluster_index % s->refs_per_block, s->refcount_order);
    return 0;
}

static int write_rt_entry(BlockDriverState *bs, uint64_t index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = GUINT64_TO_BE(s->rt[index]);

    return bdrv_pwrite(bs->file, s->rt_offset + index * 8, &be, 8);
}

/*
 * A new, larger refcount table at the end of the image, with new refcount
 * blocks right after it for whatever of the new clusters no block covers
 * yet; the header switches to it in one write, then the old table is freed.
 */
static int grow_refcount_table(BlockDriverState *bs, uint64_t min_entries, uint64_t pending)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t per_cluster = s->cluster_size / 8, new_size, table_clusters, start, nb_new = 0;
    uint64_t old_offset = s->rt_offset, old_clusters = s->rt_size / per_cluster;
    int64_t flen = bdrv_getlength(bs->file);
    g_autofree uint64_t *table = NULL;
    g_autofree uint8_t *blocks = NULL;
    uint8_t hdr[12];
    int ret;

    if (flen < 0) {
        return flen;
    }
    new_size = QEMU_ALIGN_UP(MAX(min_entries + 1, s->rt_size * 2), per_cluster);
    table_clusters = new_size / per_cluster;
    /* Past the file, past every cluster handed out, past the one being counted. */
    start = QEMU_ALIGN_UP((uint64_t)flen, s->cluster_size) >> s->cluster_bits;
    start = MAX(MAX(start, s->alloc_end), pending + 1);
    /* New blocks for the uncovered indexes of [start, start + table + blocks). */
    for (;;) {
        uint64_t end = start + table_clusters + nb_new, need = 0;

        for (uint64_t i = start / s->refs_per_block; i <= (end - 1) / s->refs_per_block; i++) {
            need += i >= s->rt_size || !(s->rt[i] & QCOW2_OFFSET_MASK);
        }
        if (need == nb_new) {
            break;
        }
        nb_new = need;
    }
    if ((start + table_clusters + nb_new) / s->refs_per_block >= new_size) {
        return -EFBIG;
    }
    table = g_new0(uint64_t, new_size);
    blocks = g_malloc0(nb_new * s->cluster_size);
    memcpy(table, s->rt, s->rt_size * 8);
    {
        uint64_t next = start + table_clusters;
        uint64_t end = start + table_clusters + nb_new;

        for (uint64_t i = start / s->refs_per_block; i <= (end - 1) / s->refs_per_block; i++) {
            if (!(table[i] & QCOW2_OFFSET_MASK)) {
                table[i] = next++ << s->cluster_bits;
            }
        }
        /* Refcount 1 for every new cluster: in a new block, or in an old one now. */
        for (uint64_t c = start; c < end; c++) {
            uint64_t i = c / s->refs_per_block, boff = table[i] >> s->cluster_bits;

            if (boff >= start + table_clusters && boff < end) {
                rb_set(blocks + (boff - start - table_clusters) * s->cluster_size,
                       c % s->refs_per_block, s->refcount_order, 1);
            } else {
                ret = qcow2_update_refcount(bs, c << s->cluster_bits, s->cluster_size, 1);
                if (ret < 0) {
                    return ret;
                }
            }
        }
    }
    ret = bdrv_pwrite(bs->file, (start + table_clusters) << s->cluster_bits, blocks,
                      nb_new * s->cluster_size);
    for (uint64_t i = 0; ret == 0 && i < new_size; i++) {
        table[i] = GUINT64_TO_BE(table[i]);
    }
    if (ret == 0) {
        ret = bdrv_pwrite(bs->file, start << s->cluster_bits, table, new_size * 8);
    }
    if (ret < 0) {
        return ret;
    }
    qcow2_put_be64(hdr, start << s->cluster_bits);
    qcow2_put_be32(hdr + 8, (uint32_t)table_clusters);
    ret = bdrv_pwrite(bs->file, QCOW2_HDR_RT_OFFSET, hdr, sizeof(hdr));
    if (ret < 0) {
        return ret;
    }
    for (uint64_t i = 0; i < new_size; i++) {
        table[i] = GUINT64_FROM_BE(table[i]);
    }
    g_free(s->rt);
    s->rt = g_steal_pointer(&table);
    s->rt_size = new_size;
    s->rt_offset = start << s->cluster_bits;
    s->alloc_end = MAX(s->alloc_end, start + table_clusters + nb_new);
    return qcow2_update_refcount(bs, old_offset, old_clusters << s->cluster_bits, -1);
}

/* A refcount block for table index rt_index, placed at the free cluster c it covers. */
static int create_refblock(BlockDriverState *bs, uint64_t rt_index, uint64_t c)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *b = NULL;
    int ret;

    /*
     * Cluster 0 holds the header: only a corrupt image (no refcount block
     * for it, or a refcount of 0 there) can ask for a block there, and
     * writing one would destroy the header and leave the entry still 0.
     */
    if (c == 0) {
        return -EIO;
    }
    b = g_malloc0(s->cluster_size);
    rb_set(b, c % s->refs_per_block, s->refcount_order, 1);
    ret = bdrv_pwrite(bs->file, c << s->cluster_bits, b, s->cluster_size);
    if (ret < 0) {
        return ret;
    }
    s->rt[rt_index] = c << s->cluster_bits;
    return write_rt_entry(bs, rt_index);
}

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t len, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + len - 1) >> s->cluster_bits;

    if (!len) {
        return 0;
    }
    for (uint64_t c = first; c <= last; c++) {
        uint64_t rt_index = c / s->refs_per_block, old, byte;
        uint8_t *b;
        int ret;

        if (rt_index >= s->rt_size || !(s->rt[rt_index] & QCOW2_OFFSET_MASK)) {
            if (delta < 0) {
                return -EIO; /* freeing a cluster with no refcount: a corrupt image */
            }
            ret = rt_index >= s->rt_size ? grow_refcount_table(bs, rt_index, c)
                                         : create_refblock(bs, rt_index, c);
            if (ret < 0) {
                return ret;
            }
            c--; /* again, now that a block covers it (it may be the block itself) */
            continue;
        }
        ret = load_refblock(bs, s->rt[rt_index] & QCOW2_OFFSET_MASK, &b);
        if (ret < 0) {
            return ret;
        }
        old = rb_get(b, c % s->refs_per_block, s->refcount_order);
        if ((delta < 0 && old < (uint64_t)-delta) || (delta > 0 && old + delta > s->refcount_max)) {
            return -EIO;
        }
        byte = rb_set(b, c % s->refs_per_block, s->refcount_order, old + delta);
        ret = bdrv_pwrite(bs->file, (s->rt[rt_index] & QCOW2_OFFSET_MASK) + byte, b + byte,
                          s->refcount_order <= 3 ? 1 : 1 << (s->refcount_order - 3));
        if (ret < 0) {
            return ret;
        }
        if (delta > 0) {
            s->alloc_end = MAX(s->alloc_end, c + 1);
        }
        if (delta < 0 && old + delta == 0) {
            s->free_cluster_index = MIN(s->free_cluster_index, c);
        }
    }
    return 0;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t c = s->free_cluster_index, run = 0, start = c, rc;
    int ret;

    while (run < n) {
        ret = qcow2_get_refcount(bs, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc) {
            run = 0;
            start = ++c;
            continue;
        }
        run++;
        c++;
    }
    if (n == 1 || s->free_cluster_index == start) {
        s->free_cluster_index = start + n;
    }
    /*
     * Taking refcounts may put a new refcount block in the range (it covers
     * itself): then look again.
     */
    for (uint64_t i = 0; i < n; i++) {
        uint64_t rt_index = (start + i) / s->refs_per_block;

        if (rt_index >= s->rt_size || !(s->rt[rt_index] & QCOW2_OFFSET_MASK)) {
            /*
             * A new block sits in the first free cluster it covers, so no run
             * of refs_per_block clusters ever forms where blocks are still
             * to be made: refuse rather than make blocks forever.
             */
            if (n >= s->refs_per_block) {
                return -EFBIG;
            }
            ret = qcow2_update_refcount(bs, (start + i) << s->cluster_bits, s->cluster_size, 0);
            if (ret < 0) {
                return ret;
            }
            s->free_cluster_index = MIN(s->free_cluster_index, start);
            return qcow2_alloc_clusters(bs, n);
        }
    }
    ret = qcow2_update_refcount(bs, start << s->cluster_bits, n << s->cluster_bits, 1);
    return ret < 0 ? ret : (int64_t)(start << s->cluster_bits);
}

void qcow2_compressed_range(const BDRVQcow2State *s, uint64_t entry, uint64_t *offset,
                            uint64_t *len)
{
    int shift = 62 - (s->cluster_bits - 8);
    uint64_t sectors = ((entry >> shift) & ((1ull << (s->cluster_bits - 8)) - 1)) + 1;

    *offset = entry & ((1ull << shift) - 1);
    *len = sectors * BDRV_SECTOR_SIZE - (*offset % BDRV_SECTOR_SIZE);
}

int qcow2_entry_refcount(BlockDriverState *bs, uint64_t entry, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off, len;

    if (entry & QCOW2_OFLAG_COMPRESSED) {
        qcow2_compressed_range(s, entry, &off, &len);
        return qcow2_update_refcount(bs, off & ~(uint64_t)(BDRV_SECTOR_SIZE - 1),
                                     QEMU_ALIGN_UP(off + len, BDRV_SECTOR_SIZE) -
                                         (off & ~(uint64_t)(BDRV_SECTOR_SIZE - 1)),
                                     delta);
    }
    if (entry & QCOW2_OFFSET_MASK) {
        return qcow2_update_refcount(bs, entry & QCOW2_OFFSET_MASK, s->cluster_size, delta);
    }
    return 0;
}

int qcow2_free_entry(BlockDriverState *bs, uint64_t entry)
{
    return qcow2_entry_refcount(bs, entry, -1);
}

bool qcow2_refcount_init(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    s->refs_per_block = (s->cluster_size * 8) >> s->refcount_order;
    s->refcount_max = s->refcount_order == 6 ? UINT64_MAX : (1ull << (1 << s->refcount_order)) - 1;
    s->rb_cache = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->rt = g_new0(uint64_t, MAX(s->rt_size, 1));
    ret = bdrv_pread(bs->file, s->rt_offset, s->rt, s->rt_size * 8);
    if (ret < 0) {
        error_setg(errp, "Could not read refcount table: %s", g_strerror(-ret));
        return false;
    }
    for (uint64_t i = 0; i < s->rt_size; i++) {
        s->rt[i] = GUINT64_FROM_BE(s->rt[i]);
    }
    return true;
}

void qcow2_refcount_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    g_clear_pointer(&s->rb_cache, g_hash_table_unref);
    g_clear_pointer(&s->rt, g_free);
}

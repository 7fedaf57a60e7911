/*
 * The guest-physical memory map: MMIO regions beside RAM, kept sorted by
 * base address, and the dispatch of 1/2/4/8-byte accesses to them.
 */
#include "exec/memory.h"
#include "exec/guest-memory.h"

struct MemoryRegion {
    char *name;
    hwaddr base;
    uint64_t size;
    const MemoryRegionOps *ops;
    void *opaque;
};

/*
 * A machine has a handful of regions: a sorted array searched by
 * bisection is small and fast enough.  Changed and read under the big lock.
 */
static GPtrArray *regions;

static GQuark memory_map_error_quark(void)
{
    return g_quark_from_static_string("memory-map-error");
}

/* [a, a + alen) and [b, b + blen) intersect (lengths non-zero, no wrap). */
static bool ranges_overlap(hwaddr a, uint64_t alen, hwaddr b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Index of the first region whose base is above addr. */
static guint upper_bound(hwaddr addr)
{
    guint lo = 0, hi = regions ? regions->len : 0;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        const MemoryRegion *mr = g_ptr_array_index(regions, mid);

        if (mr->base <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

MemoryRegion *memory_map_find(hwaddr addr)
{
    guint i = upper_bound(addr);
    MemoryRegion *mr;

    if (!i) {
        return NULL;
    }
    mr = g_ptr_array_index(regions, i - 1);
    return addr - mr->base < mr->size ? mr : NULL;
}

MemoryRegion *memory_map_add_io(const char *name, hwaddr base, uint64_t size,
                                const MemoryRegionOps *ops, void *opaque, GError **errp)
{
    uint64_t ram = guest_ram_size();
    MemoryRegion *mr;
    guint i;

    if (!size || base + size - 1 < base) {
        g_set_error(errp, memory_map_error_quark(), 0,
                    "region %s at 0x%" PRIx64 ": empty or wrapping (size 0x%" PRIx64 ")", name,
                    base, size);
        return NULL;
    }
    if (ram && ranges_overlap(base, size, 0, ram)) {
        g_set_error(errp, memory_map_error_quark(), 0,
                    "region %s [0x%" PRIx64 ", 0x%" PRIx64 "] overlaps RAM", name, base,
                    base + size - 1);
        return NULL;
    }
    i = upper_bound(base);
    for (guint j = i ? i - 1 : 0; regions && j < regions->len && j <= i; j++) {
        const MemoryRegion *o = g_ptr_array_index(regions, j);

        if (ranges_overlap(base, size, o->base, o->size)) {
            g_set_error(errp, memory_map_error_quark(), 0,
                        "region %s [0x%" PRIx64 ", 0x%" PRIx64 "] overlaps %s", name, base,
                        base + size - 1, o->name);
            return NULL;
        }
    }
    if (!regions) {
        regions = g_ptr_array_new();
    }
    mr = g_new0(MemoryRegion, 1);
    mr->name = g_strdup(name);
    mr->base = base;
    mr->size = size;
    mr->ops = ops;
    mr->opaque = opaque;
    g_ptr_array_insert(regions, i, mr);
    return mr;
}

static void region_free(MemoryRegion *mr)
{
    g_free(mr->name);
    g_free(mr);
}

void memory_map_remove(MemoryRegion *mr)
{
    if (mr && regions && g_ptr_array_remove(regions, mr)) {
        region_free(mr);
    }
}

void memory_map_clear(void)
{
    while (regions && regions->len) {
        memory_map_remove(g_ptr_array_index(regions, regions->len - 1));
    }
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

hwaddr memory_region_base(const MemoryRegion *mr)
{
    return mr->base;
}

uint64_t memory_region_size(const MemoryRegion *mr)
{
    return mr->size;
}

static uint64_t bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return GUINT16_SWAP_LE_BE((uint16_t)v);
    case 4:
        return GUINT32_SWAP_LE_BE((uint32_t)v);
    case 8:
        return GUINT64_SWAP_LE_BE(v);
    default:
        return v;
    }
}

/*
 * The region an access reaches, with its offset; NULL when nothing is
 * there or the device would not take it (size outside its limits, not
 * naturally aligned, running past the region's end).
 */
static MemoryRegion *region_for(hwaddr addr, unsigned size, hwaddr *offset)
{
    MemoryRegion *mr = memory_map_find(addr);
    unsigned min, max;

    if (!mr || (size != 1 && size != 2 && size != 4 && size != 8)) {
        return NULL;
    }
    min = mr->ops->min_access_size ? mr->ops->min_access_size : 1;
    max = mr->ops->max_access_size ? mr->ops->max_access_size : 8;
    *offset = addr - mr->base;
    if (size < min || size > max || !QEMU_IS_ALIGNED(addr, size) || mr->size - *offset < size) {
        return NULL;
    }
    return mr;
}

/* RAM in the requester's byte order, at most 8 bytes. */
static bool ram_read(hwaddr addr, unsigned size, bool big_endian, uint64_t *val)
{
    uint8_t b[8];
    uint64_t v = 0;

    if (!guest_read(addr, b, size)) {
        return false;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)b[i] << (8 * (big_endian ? size - 1 - i : i));
    }
    *val = v;
    return true;
}

static bool ram_write(hwaddr addr, unsigned size, bool big_endian, uint64_t val)
{
    uint8_t b[8];

    for (unsigned i = 0; i < size; i++) {
        b[i] = val >> (8 * (big_endian ? size - 1 - i : i));
    }
    return guest_write(addr, b, size);
}

bool memory_map_read(hwaddr addr, unsigned size, bool big_endian, uint64_t *val)
{
    MemoryRegion *mr;
    hwaddr offset;
    uint64_t v;

    if (size > 8) {
        return false;
    }
    if (guest_range_valid(addr, size)) {
        return ram_read(addr, size, big_endian, val);
    }
    mr = region_for(addr, size, &offset);
    if (!mr || !mr->ops->read) {
        return false;
    }
    v = mr->ops->read(mr->opaque, offset, size);
    if (size < 8) {
        v &= (1ULL << (8 * size)) - 1;
    }
    /* The device gives its register's value; the bytes go out in its order. */
    if (big_endian != (mr->ops->endianness == MEMORY_BIG_ENDIAN)) {
        v = bswap_size(v, size);
    }
    *val = v;
    return true;
}

bool memory_map_write(hwaddr addr, unsigned size, bool big_endian, uint64_t val)
{
    MemoryRegion *mr;
    hwaddr offset;

    if (size > 8) {
        return false;
    }
    if (guest_range_valid(addr, size)) {
        return ram_write(addr, size, big_endian, val);
    }
    mr = region_for(addr, size, &offset);
    if (!mr || !mr->ops->write) {
        return false;
    }
    if (size < 8) {
        val &= (1ULL << (8 * size)) - 1;
    }
    if (big_endian != (mr->ops->endianness == MEMORY_BIG_ENDIAN)) {
        val = bswap_size(val, size);
    }
    mr->ops->write(mr->opaque, offset, val, size);
    return true;
}

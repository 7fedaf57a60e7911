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

/* Bus windows where a hole reads as zeros and drops writes; they may hold regions. */
struct MemoryWindow {
    hwaddr base;
    uint64_t size;
};
static GPtrArray *windows; /* of MemoryWindow * */

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
    if (windows) {
        g_ptr_array_set_size(windows, 0);
    }
}

MemoryWindow *memory_map_add_window(hwaddr base, uint64_t size)
{
    MemoryWindow *w = g_new0(MemoryWindow, 1);

    w->base = base;
    w->size = size;
    if (!windows) {
        windows = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(windows, w);
    return w;
}

void memory_map_remove_window(MemoryWindow *w)
{
    if (w && windows) {
        g_ptr_array_remove(windows, w);
    }
}

/* The bytes left of the window holding addr (0: none holds it). */
static uint64_t window_left(hwaddr addr)
{
    for (guint i = 0; windows && i < windows->len; i++) {
        const MemoryWindow *w = g_ptr_array_index(windows, i);

        if (addr - w->base < w->size) {
            return w->size - (addr - w->base);
        }
    }
    return 0;
}

/* [addr, addr + size) is an unmapped part of a window: no region overlaps it. */
static bool window_hole(hwaddr addr, uint64_t size)
{
    guint i = upper_bound(addr + size - 1);

    if (window_left(addr) < size) {
        return false;
    }
    if (i) {
        const MemoryRegion *mr = g_ptr_array_index(regions, i - 1);

        return !ranges_overlap(addr, size, mr->base, mr->size);
    }
    return true;
}

void memory_map_foreach(void (*fn)(MemoryRegion *mr, void *opaque), void *opaque)
{
    for (guint i = 0; regions && i < regions->len; i++) {
        fn(g_ptr_array_index(regions, i), opaque);
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

static uint64_t size_mask(unsigned size)
{
    return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static unsigned valid_min(const MemoryRegion *mr)
{
    return mr->ops->min_access_size ? mr->ops->min_access_size : 1;
}

static unsigned valid_max(const MemoryRegion *mr)
{
    return mr->ops->max_access_size ? mr->ops->max_access_size : 8;
}

/* The size the callbacks see for a valid access of size bytes. */
static unsigned impl_size(const MemoryRegion *mr, unsigned size)
{
    unsigned min = mr->ops->impl.min_access_size ? mr->ops->impl.min_access_size : valid_min(mr);
    unsigned max = mr->ops->impl.max_access_size ? mr->ops->impl.max_access_size : valid_max(mr);

    return MAX(MIN(size, max), min);
}

/*
 * The region an access reaches, with its offset; NULL when nothing is
 * there or the device would not take it (size outside its limits, not
 * naturally aligned, running past the region's end, or widened past it).
 */
static MemoryRegion *region_for(hwaddr addr, unsigned size, hwaddr *offset)
{
    MemoryRegion *mr = memory_map_find(addr);
    unsigned isz;

    if (!mr || (size != 1 && size != 2 && size != 4 && size != 8)) {
        return NULL;
    }
    *offset = addr - mr->base;
    if (size < valid_min(mr) || size > valid_max(mr) || !QEMU_IS_ALIGNED(addr, size) ||
        mr->size - *offset < size) {
        return NULL;
    }
    isz = impl_size(mr, size);
    if (isz > size && mr->size - QEMU_ALIGN_DOWN(*offset, isz) < isz) {
        return NULL;
    }
    return mr;
}

/*
 * Where the bytes of a part of pos bytes into a size-byte value go: a
 * big-endian device holds the first bytes in the high bits.
 */
static unsigned lane_shift(const MemoryRegion *mr, unsigned size, unsigned part, unsigned pos)
{
    return 8 * (mr->ops->endianness == MEMORY_BIG_ENDIAN ? size - part - pos : pos);
}

/* A valid access, as the device's callbacks implement it: the register's value. */
static uint64_t region_read(MemoryRegion *mr, hwaddr offset, unsigned size)
{
    unsigned isz = impl_size(mr, size);
    uint64_t v = 0;

    if (isz > size) {
        hwaddr unit = QEMU_ALIGN_DOWN(offset, isz);
        uint64_t w = mr->ops->read(mr->opaque, unit, isz);

        return (w >> lane_shift(mr, isz, size, offset - unit)) & size_mask(size);
    }
    for (unsigned i = 0; i < size; i += isz) {
        uint64_t part = mr->ops->read(mr->opaque, offset + i, isz) & size_mask(isz);

        v |= part << lane_shift(mr, size, isz, i);
    }
    return v;
}

static void region_write(MemoryRegion *mr, hwaddr offset, unsigned size, uint64_t val)
{
    unsigned isz = impl_size(mr, size);

    if (isz > size) {
        hwaddr unit = QEMU_ALIGN_DOWN(offset, isz);

        mr->ops->write(mr->opaque, unit, val << lane_shift(mr, isz, size, offset - unit), isz);
        return;
    }
    for (unsigned i = 0; i < size; i += isz) {
        mr->ops->write(mr->opaque, offset + i,
                       (val >> lane_shift(mr, size, isz, i)) & size_mask(isz), isz);
    }
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
    if (!mr && window_hole(addr, size)) {
        *val = 0;
        return true;
    }
    if (!mr || !mr->ops->read) {
        return false;
    }
    v = region_read(mr, offset, size);
    /* The device gives its register's value; the bytes go out in its order. */
    if (big_endian != (mr->ops->endianness == MEMORY_BIG_ENDIAN)) {
        v = memory_bswap_size(v, size);
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
    if (!mr && window_hole(addr, size)) {
        return true;
    }
    if (!mr || !mr->ops->write) {
        return false;
    }
    val &= size_mask(size);
    if (big_endian != (mr->ops->endianness == MEMORY_BIG_ENDIAN)) {
        val = memory_bswap_size(val, size);
    }
    region_write(mr, offset, size, val);
    return true;
}

/* ---- Byte ranges across RAM and regions ---------------------------------- */

/*
 * The next piece of a byte range: RAM up to its end, or one device access
 * of the largest size the region takes that fits what is left and the
 * address's alignment (QEMU's memory_access_size).  0 when nothing takes it.
 */
static uint64_t next_piece(hwaddr addr, uint64_t len, bool is_write, bool *ram)
{
    uint64_t ram_size = guest_ram_size();
    MemoryRegion *mr;
    hwaddr offset;
    uint64_t size;

    *ram = addr < ram_size;
    if (*ram) {
        return MIN(len, ram_size - addr);
    }
    /* plugged memory, a page at a time */
    *ram = guest_range_valid(addr, 1);
    if (*ram) {
        return MIN(len, 4096 - (addr & 4095));
    }
    mr = memory_map_find(addr);
    if (!mr) {
        /* A window's hole: up to the next region or the window's end. */
        guint i = upper_bound(addr);

        size = MIN(len, window_left(addr));
        if (size && regions && i < regions->len) {
            size = MIN(size, ((MemoryRegion *)g_ptr_array_index(regions, i))->base - addr);
        }
        return size;
    }
    size = MIN(MIN(len, (uint64_t)valid_max(mr)), addr ? addr & -addr : 8);
    size = 1ULL << (63 - __builtin_clzll(size)); /* down to a power of two */
    if (!region_for(addr, size, &offset) || (is_write ? !mr->ops->write : !mr->ops->read)) {
        return 0;
    }
    return size;
}

/*
 * One piece of a byte range, read into or written from p: RAM, a window's
 * hole (zeros, writes dropped) or one device access.
 */
static void piece_rw(hwaddr addr, uint8_t *p, uint64_t n, bool ram, bool is_write)
{
    uint64_t v = 0;

    if (ram) {
        if (is_write) {
            guest_write(addr, p, n);
        } else {
            guest_read(addr, p, n);
        }
    } else if (!memory_map_find(addr)) {
        if (!is_write) {
            memset(p, 0, n);
        }
    } else if (is_write) {
        for (unsigned i = 0; i < n; i++) {
            v = v << 8 | p[i];
        }
        memory_map_write(addr, n, true, v);
    } else {
        memory_map_read(addr, n, true, &v);
        for (unsigned i = 0; i < n; i++) {
            p[i] = v >> (8 * (n - 1 - i));
        }
    }
}

/*
 * How many bytes from addr (which nothing takes), at most len, are not taken
 * either: up to the next RAM, window or region, or over a whole region that
 * has no handler for the access.  A region that refuses only this access's
 * size or alignment is stepped over a byte at a time, as the next byte may
 * be taken.  A 32 MiB qtest read of a hole was 32 million lookups.
 */
static uint64_t untaken_span(hwaddr addr, uint64_t len, bool is_write)
{
    MemoryRegion *mr = memory_map_find(addr);
    guint i = upper_bound(addr);
    uint64_t n = len;

    if (mr) {
        if (is_write ? mr->ops->write != NULL : mr->ops->read != NULL) {
            return 1;
        }
        return MIN(len, mr->size - (addr - mr->base));
    }
    if (regions && i < regions->len) {
        n = MIN(n, ((MemoryRegion *)g_ptr_array_index(regions, i))->base - addr);
    }
    for (guint w = 0; windows && w < windows->len; w++) {
        const MemoryWindow *win = g_ptr_array_index(windows, w);

        if (win->base > addr) {
            n = MIN(n, win->base - addr);
        }
    }
    n = MIN(n, guest_ram_next_plugged(addr) - addr);
    return MAX(n, 1);
}

/*
 * The whole range, or (strict) nothing at all when a piece is not taken;
 * not strict: a byte nothing takes reads as zero and drops its write.
 */
static bool range_rw(hwaddr addr, uint8_t *p, uint64_t len, bool is_write, bool strict)
{
    bool ram;

    /* Strict: every piece must be taken before the first is touched. */
    for (hwaddr a = addr, left = len; strict && left;) {
        uint64_t n = next_piece(a, left, is_write, &ram);

        if (!n) {
            return false;
        }
        a += n;
        left -= n;
    }
    while (len) {
        uint64_t n = next_piece(addr, len, is_write, &ram);

        if (n) {
            piece_rw(addr, p, n, ram, is_write);
        } else {
            n = untaken_span(addr, len, is_write);
            if (!is_write) {
                memset(p, 0, n);
            }
        }
        addr += n;
        p += n;
        len -= n;
    }
    return true;
}

bool memory_map_read_bytes(hwaddr addr, void *buf, uint64_t len)
{
    return range_rw(addr, buf, len, false, true);
}

bool memory_map_write_bytes(hwaddr addr, const void *buf, uint64_t len)
{
    return range_rw(addr, (uint8_t *)buf, len, true, true);
}

void memory_map_read_bytes_unassigned_zero(hwaddr addr, void *buf, uint64_t len)
{
    range_rw(addr, buf, len, false, false);
}

void memory_map_write_bytes_unassigned_drop(hwaddr addr, const void *buf, uint64_t len)
{
    range_rw(addr, (uint8_t *)buf, len, true, false);
}

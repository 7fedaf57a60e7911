/*
 * The guest-physical memory map: RAM (exec/guest-memory.h) plus MMIO regions
 * that devices register with read/write callbacks, and the dispatch of
 * accesses that do not hit RAM (CPU slow path, cache-inhibited loads and
 * stores, H_LOGICAL_CI_LOAD/STORE).
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "qemu/osdep.h"

/* The byte order of a device's registers. */
typedef enum MemoryEndian {
    MEMORY_BIG_ENDIAN,
    MEMORY_LITTLE_ENDIAN,
} MemoryEndian;

/*
 * What a device provides for a region.  Callbacks run with the big lock
 * held (a vCPU takes it around every MMIO access).  offset is from the
 * region's base; values are the register's value, in the host's
 * arithmetic (the dispatcher has already put the bytes in the device's
 * order).
 *
 * Two pairs of sizes, as QEMU's .valid and .impl: an access of a size
 * outside [min_access_size, max_access_size], or not naturally aligned, or
 * crossing the region's end, never reaches the callbacks: it fails like an
 * access to nothing, and so does a load (store) of a region without a read
 * (write) callback.  A valid access is then fitted to what the callbacks
 * implement, impl: a wider one becomes several, in the device's byte order
 * (8 bytes to a 4-byte device: two reads, the first the high half for a
 * big-endian device); a narrower one becomes one access of impl's minimum
 * to the aligned unit holding it, of which a load keeps its bytes and a
 * store writes them with zeros in the others (no read-modify-write, as in
 * QEMU).
 */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr offset, unsigned size);
    void (*write)(void *opaque, hwaddr offset, uint64_t value, unsigned size);
    MemoryEndian endianness;
    unsigned min_access_size; /* valid sizes; 0 means 1 */
    unsigned max_access_size; /* 0 means 8 */
    struct {
        unsigned min_access_size; /* sizes the callbacks see; 0: as valid */
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

typedef struct MemoryRegion MemoryRegion;

/*
 * Map [base, base + size) to a device.  NULL, with *errp set, when the
 * range is empty, wraps, or overlaps RAM or a region already mapped.
 * Register regions after RAM exists (guest_ram_init()).
 */
MemoryRegion *memory_map_add_io(const char *name, hwaddr base, uint64_t size,
                                const MemoryRegionOps *ops, void *opaque, GError **errp);
/* Unmap a region (NULL: nothing). */
void memory_map_remove(MemoryRegion *mr);
/* Unmap every region (machine teardown, tests). */
void memory_map_clear(void);

/*
 * A bus window (a PCI host bridge's MMIO and IO windows): the parts of
 * [base, base + size) no region covers read as zeros and drop writes, as
 * QEMU's unassigned PCI memory, instead of failing.
 */
typedef struct MemoryWindow MemoryWindow;
MemoryWindow *memory_map_add_window(hwaddr base, uint64_t size);
/* Forget a window (NULL: nothing). */
void memory_map_remove_window(MemoryWindow *w);

/* fn(region) for every mapped region, by ascending address (info mtree). */
void memory_map_foreach(void (*fn)(MemoryRegion *mr, void *opaque), void *opaque);
const char *memory_region_name(const MemoryRegion *mr);
hwaddr memory_region_base(const MemoryRegion *mr);
uint64_t memory_region_size(const MemoryRegion *mr);

/* The region holding addr, or NULL (RAM or nothing). */
MemoryRegion *memory_map_find(hwaddr addr);

/*
 * One access of size bytes (1, 2, 4, 8) at a guest-physical address, in
 * RAM (any alignment) or in a region.  big_endian says how the requester
 * orders the bytes: a load's *val is the value of the bytes at addr read
 * in that order, a store's val is written in that order.  false: nothing
 * there, a range not wholly in RAM or in one region, or a region refusing
 * the size or alignment (*val untouched, nothing written; the caller
 * raises its machine check or error code).  Call with the big lock held:
 * the callbacks run under it.
 */
bool memory_map_read(hwaddr addr, unsigned size, bool big_endian, uint64_t *val);
bool memory_map_write(hwaddr addr, unsigned size, bool big_endian, uint64_t val);

/*
 * len bytes at addr as they lie in guest memory, across RAM and regions
 * (what a debugger or qtest's read/write sees): a region is accessed in the
 * largest sizes it takes that the address's alignment allows, as QEMU's
 * address_space_read/write.  false when any part is a hole or refuses its
 * accesses: a write then changes nothing; a read leaves buf undefined.
 */
bool memory_map_read_bytes(hwaddr addr, void *buf, uint64_t len);
bool memory_map_write_bytes(hwaddr addr, const void *buf, uint64_t len);
/*
 * The same, as QEMU's address_space_read/write whose result qtest ignores:
 * a byte nothing takes (a hole, an access a region refuses) reads as zero
 * and drops its write; the rest of the range is done.
 */
void memory_map_read_bytes_unassigned_zero(hwaddr addr, void *buf, uint64_t len);
void memory_map_write_bytes_unassigned_drop(hwaddr addr, const void *buf, uint64_t len);

/* The low size bytes of v (size 1, 2, 4 or 8) in the other byte order. */
static inline uint64_t memory_bswap_size(uint64_t v, unsigned size)
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

#endif

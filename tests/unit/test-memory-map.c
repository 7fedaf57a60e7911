/*
 * Unit tests of the guest-physical memory map: registration and overlap
 * refusal, dispatch by size and byte order, holes, and CPU loads/stores
 * reaching a device or taking a machine check.
 */
#include <sys/mman.h>
#include "cpu-harness.h"
#include "exec/memory.h"
#include "spapr-test-machine.h"

#define RAM_SIZE (16 * MiB)
#define DEV_BASE 0x40000000ULL
#define HOLE 0x50000000ULL
#define POISON_VALUE 0x5a5a5a5a5a5a5a5aULL
#define VEC_MACHINE_CHECK 0x200

/* What the test device saw last, and how often it was called. */
typedef struct TestDev {
    unsigned reads, writes;
    hwaddr offset;
    unsigned size;
    uint64_t written;
} TestDev;

/* A register reads as the low size bytes of this pattern plus the offset. */
#define PATTERN 0x1122334455667788ULL

static uint64_t dev_read(void *opaque, hwaddr offset, unsigned size)
{
    TestDev *d = opaque;

    d->reads++;
    d->offset = offset;
    d->size = size;
    /* More than size bytes on purpose: the dispatcher must keep only size. */
    return PATTERN + offset;
}

static void dev_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    TestDev *d = opaque;

    d->writes++;
    d->offset = offset;
    d->size = size;
    d->written = value;
}

static const MemoryRegionOps be_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_BIG_ENDIAN,
};

static const MemoryRegionOps le_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
};

/* Registers of 2 or 4 bytes only. */
static const MemoryRegionOps narrow_ops = {
    .read = dev_read,
    .write = dev_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .min_access_size = 2,
    .max_access_size = 4,
};

static const MemoryRegionOps read_only_ops = {
    .read = dev_read,
    .endianness = MEMORY_BIG_ENDIAN,
};

static void setup(void)
{
    memory_map_clear();
    guest_ram_init(RAM_SIZE);
}

static MemoryRegion *add(const char *name, hwaddr base, uint64_t size, const MemoryRegionOps *ops,
                         TestDev *d)
{
    g_autoptr(GError) err = NULL;
    MemoryRegion *mr = memory_map_add_io(name, base, size, ops, d, &err);

    g_assert_no_error(err);
    g_assert_nonnull(mr);
    return mr;
}

/* The registration is refused with a message naming what it overlaps. */
static void assert_refused(hwaddr base, uint64_t size, const char *why)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(memory_map_add_io("new", base, size, &be_ops, NULL, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, why));
}

static void test_overlap(void)
{
    MemoryRegion *a, *b;

    setup();
    a = add("a", DEV_BASE, 0x1000, &be_ops, NULL);
    b = add("b", DEV_BASE + 0x3000, 0x1000, &be_ops, NULL);
    /* RAM: [0, 16 MiB) */
    assert_refused(0, 0x1000, "overlaps RAM");
    assert_refused(RAM_SIZE - 1, 2, "overlaps RAM");
    /* another region: inside, straddling either end, covering it */
    assert_refused(DEV_BASE + 0x800, 0x10, "overlaps a");
    assert_refused(DEV_BASE - 0x10, 0x11, "overlaps a");
    assert_refused(DEV_BASE + 0xfff, 0x2000, "overlaps a");
    assert_refused(DEV_BASE + 0x2000, 0x1001, "overlaps b");
    assert_refused(DEV_BASE - 0x1000, 0x10000, "overlaps");
    /* empty and wrapping ranges */
    assert_refused(DEV_BASE + 0x8000, 0, "empty");
    assert_refused(~0ULL - 0xf, 0x20, "wrapping");
    /* adjacent on both sides, and the gap between a and b, are fine */
    add("c", RAM_SIZE, 0x1000, &be_ops, NULL);
    add("d", DEV_BASE + 0x1000, 0x2000, &be_ops, NULL);
    add("e", DEV_BASE + 0x4000, 0x1000, &be_ops, NULL);
    add("top", ~0ULL - 0xfff, 0x1000, &be_ops, NULL);

    g_assert_true(memory_map_find(DEV_BASE + 0xfff) == a);
    g_assert_true(memory_map_find(DEV_BASE + 0x3000) == b);
    g_assert_cmpstr(memory_region_name(memory_map_find(DEV_BASE + 0x2fff)), ==, "d");
    g_assert_cmpstr(memory_region_name(memory_map_find(~0ULL)), ==, "top");
    g_assert_null(memory_map_find(0));
    g_assert_null(memory_map_find(DEV_BASE + 0x5000));
    g_assert_cmphex(memory_region_base(b), ==, DEV_BASE + 0x3000);
    g_assert_cmphex(memory_region_size(b), ==, 0x1000);

    /* Removing a region frees its range. */
    memory_map_remove(a);
    g_assert_null(memory_map_find(DEV_BASE));
    add("a2", DEV_BASE, 0x1000, &be_ops, NULL);
    memory_map_clear();
    g_assert_null(memory_map_find(DEV_BASE));
}

static void test_dispatch_sizes_endianness(void)
{
    static const struct {
        const MemoryRegionOps *ops;
        bool big_endian;
        unsigned size;
        uint64_t want;
    } cases[] = {
        /* same byte order on both sides: the register's value */
        { &be_ops, true, 1, 0x88 },
        { &be_ops, true, 2, 0x7788 },
        { &be_ops, true, 4, 0x55667788 },
        { &be_ops, true, 8, 0x1122334455667788ULL },
        { &le_ops, false, 2, 0x7788 },
        { &le_ops, false, 4, 0x55667788 },
        { &le_ops, false, 8, 0x1122334455667788ULL },
        /* opposite orders: the bytes reversed */
        { &be_ops, false, 1, 0x88 },
        { &be_ops, false, 2, 0x8877 },
        { &be_ops, false, 4, 0x88776655 },
        { &be_ops, false, 8, 0x8877665544332211ULL },
        { &le_ops, true, 2, 0x8877 },
        { &le_ops, true, 4, 0x88776655 },
        { &le_ops, true, 8, 0x8877665544332211ULL },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TestDev d = { 0 };
        uint64_t v = POISON_VALUE;

        setup();
        add("dev", DEV_BASE, 0x100, cases[i].ops, &d);
        g_assert_true(memory_map_read(DEV_BASE, cases[i].size, cases[i].big_endian, &v));
        g_assert_cmphex(v, ==, cases[i].want);
        g_assert_cmpuint(d.reads, ==, 1);
        g_assert_cmpuint(d.size, ==, cases[i].size);
        g_assert_cmphex(d.offset, ==, 0);
        /* A store of the same bytes hands the device the register value back. */
        g_assert_true(
            memory_map_write(DEV_BASE + 0x10, cases[i].size, cases[i].big_endian, cases[i].want));
        g_assert_cmpuint(d.writes, ==, 1);
        g_assert_cmphex(d.offset, ==, 0x10);
        g_assert_cmpuint(d.size, ==, cases[i].size);
        g_assert_cmphex(d.written, ==,
                        cases[i].size == 8 ? PATTERN
                                           : PATTERN & ((1ULL << (8 * cases[i].size)) - 1));
    }
}

static void test_offsets(void)
{
    TestDev d = { 0 };
    uint64_t v;

    setup();
    add("dev", DEV_BASE, 0x100, &be_ops, &d);
    g_assert_true(memory_map_read(DEV_BASE + 0xf8, 8, true, &v));
    g_assert_cmphex(d.offset, ==, 0xf8);
    g_assert_cmphex(v, ==, PATTERN + 0xf8);
    g_assert_true(memory_map_read(DEV_BASE + 0x13, 1, true, &v));
    g_assert_cmphex(v, ==, 0x9b);
    g_assert_true(memory_map_write(DEV_BASE + 0x22, 2, true, 0xabcd));
    g_assert_cmphex(d.offset, ==, 0x22);
    g_assert_cmphex(d.written, ==, 0xabcd);
}

/*
 * Holes, and accesses a device does not take (size limits, misalignment,
 * running past its end, no callback): false, *val untouched, the device
 * not called.
 */
static void test_holes_and_refusals(void)
{
    TestDev d = { 0 }, n = { 0 }, r = { 0 };
    uint64_t v = POISON_VALUE;

    setup();
    add("dev", DEV_BASE, 0x100, &be_ops, &d);
    add("narrow", DEV_BASE + 0x1000, 0x100, &narrow_ops, &n);
    add("ro", DEV_BASE + 0x2000, 0x100, &read_only_ops, &r);

    g_assert_false(memory_map_read(HOLE, 4, true, &v));
    g_assert_false(memory_map_write(HOLE, 4, true, 1));
    g_assert_false(memory_map_read(DEV_BASE + 0x100, 1, true, &v)); /* just past the end */
    g_assert_false(memory_map_read(DEV_BASE + 0xfc, 8, true, &v));  /* runs past the end */
    g_assert_false(memory_map_read(DEV_BASE + 2, 4, true, &v));     /* misaligned */
    g_assert_false(memory_map_write(DEV_BASE + 1, 2, true, 1));
    g_assert_false(memory_map_read(DEV_BASE, 3, true, &v)); /* no such size */
    g_assert_false(memory_map_read(DEV_BASE, 16, true, &v));
    g_assert_false(memory_map_read(DEV_BASE + 0x1000, 1, true, &v)); /* below min */
    g_assert_false(memory_map_read(DEV_BASE + 0x1000, 8, true, &v)); /* above max */
    g_assert_false(memory_map_write(DEV_BASE + 0x1000, 8, true, 1));
    g_assert_false(memory_map_write(DEV_BASE + 0x2000, 4, true, 1)); /* no write callback */
    /* RAM's last bytes followed by nothing */
    g_assert_false(memory_map_read(RAM_SIZE - 4, 8, true, &v));
    g_assert_cmphex(v, ==, POISON_VALUE);
    g_assert_cmpuint(d.reads + d.writes + n.reads + n.writes + r.reads, ==, 0);

    /* The limits themselves are allowed. */
    g_assert_true(memory_map_read(DEV_BASE + 0x1000, 2, true, &v));
    g_assert_true(memory_map_read(DEV_BASE + 0x1004, 4, true, &v));
    g_assert_true(memory_map_read(DEV_BASE + 0x2000, 4, true, &v));
    g_assert_cmpuint(n.reads, ==, 2);
    g_assert_cmpuint(r.reads, ==, 1);
}

/* RAM goes through the same calls, at any alignment, in either byte order. */
static void test_ram(void)
{
    uint64_t v;

    setup();
    guest_stq_be(0x1001, 0x0102030405060708ULL);
    g_assert_true(memory_map_read(0x1001, 8, true, &v));
    g_assert_cmphex(v, ==, 0x0102030405060708ULL);
    g_assert_true(memory_map_read(0x1001, 4, false, &v));
    g_assert_cmphex(v, ==, 0x04030201);
    g_assert_true(memory_map_write(0x2003, 2, false, 0xbeef));
    g_assert_true(guest_lduw_be(0x2003, (uint16_t *)&v));
    g_assert_cmphex((uint16_t)v, ==, 0xefbe);
}

/* ---- Sizes the callbacks implement (QEMU's .impl) ------------------------- */

/* Every callback, in order: "r OFF/SIZE" and "w OFF=VALUE/SIZE". */
static GString *calls;

static uint64_t log_read(void *opaque, hwaddr offset, unsigned size)
{
    g_string_append_printf(calls, "r %" PRIx64 "/%u ", offset, size);
    return PATTERN + offset;
}

static void log_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    g_string_append_printf(calls, "w %" PRIx64 "=%" PRIx64 "/%u ", offset, value, size);
}

/* Any valid size, but the callbacks only do 4 bytes. */
static const MemoryRegionOps word_be_ops = {
    .read = log_read,
    .write = log_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps word_le_ops = {
    .read = log_read,
    .write = log_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* Valid: 4 bytes only; implemented: 1 byte at a time. */
static const MemoryRegionOps bytes_ops = {
    .read = log_read,
    .write = log_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .min_access_size = 4,
    .max_access_size = 4,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static void calls_reset(void)
{
    if (!calls) {
        calls = g_string_new(NULL);
    }
    g_string_truncate(calls, 0);
}

static void assert_read(hwaddr addr, unsigned size, bool be, uint64_t want, const char *want_calls)
{
    uint64_t v = POISON_VALUE;

    calls_reset();
    g_assert_true(memory_map_read(addr, size, be, &v));
    g_assert_cmphex(v, ==, want);
    g_assert_cmpstr(calls->str, ==, want_calls);
}

static void assert_write(hwaddr addr, unsigned size, bool be, uint64_t val, const char *want_calls)
{
    calls_reset();
    g_assert_true(memory_map_write(addr, size, be, val));
    g_assert_cmpstr(calls->str, ==, want_calls);
}

/*
 * Narrower than implemented: one access to the aligned word, keeping the
 * bytes asked for (a store: those bytes, zeros in the rest).  The word at 0
 * is 0x55667788, at 4 0x5566778c.
 */
static void test_impl_widen(void)
{
    setup();
    add("be", DEV_BASE, 0x100, &word_be_ops, NULL);
    add("le", DEV_BASE + 0x1000, 0x100, &word_le_ops, NULL);
    /* Big-endian device: bytes 55 66 77 88 | 55 66 77 8c. */
    assert_read(DEV_BASE + 0, 1, true, 0x55, "r 0/4 ");
    assert_read(DEV_BASE + 1, 1, true, 0x66, "r 0/4 ");
    assert_read(DEV_BASE + 7, 1, true, 0x8c, "r 4/4 ");
    assert_read(DEV_BASE + 6, 2, true, 0x778c, "r 4/4 ");
    assert_read(DEV_BASE + 6, 2, false, 0x8c77, "r 4/4 ");
    /* Little-endian device: bytes 88 77 66 55 | 8c 77 66 55. */
    assert_read(DEV_BASE + 0x1000, 1, true, 0x88, "r 0/4 ");
    assert_read(DEV_BASE + 0x1001, 1, true, 0x77, "r 0/4 ");
    assert_read(DEV_BASE + 0x1006, 2, false, 0x5566, "r 4/4 ");
    /* Stores: the byte in its lane, the other bytes zero. */
    assert_write(DEV_BASE + 1, 1, true, 0xab, "w 0=ab0000/4 ");
    assert_write(DEV_BASE + 3, 1, true, 0x1ab, "w 0=ab/4 ");
    assert_write(DEV_BASE + 0x1001, 1, true, 0xab, "w 0=ab00/4 ");
    assert_write(DEV_BASE + 0x1006, 2, true, 0xabcd, "w 4=cdab0000/4 ");
}

/* Wider than implemented: several accesses, ordered as the device orders bytes. */
static void test_impl_split(void)
{
    setup();
    add("be", DEV_BASE, 0x100, &word_be_ops, NULL);
    add("le", DEV_BASE + 0x1000, 0x100, &word_le_ops, NULL);
    add("bytes", DEV_BASE + 0x2000, 0x100, &bytes_ops, NULL);
    assert_read(DEV_BASE + 0x10, 8, true, 0x556677985566779cULL, "r 10/4 r 14/4 ");
    assert_read(DEV_BASE + 0x10, 8, false, 0x9c77665598776655ULL, "r 10/4 r 14/4 ");
    assert_read(DEV_BASE + 0x1010, 8, false, 0x5566779c55667798ULL, "r 10/4 r 14/4 ");
    assert_write(DEV_BASE + 0x8, 8, true, 0x0102030405060708ULL, "w 8=1020304/4 w c=5060708/4 ");
    assert_write(DEV_BASE + 0x1008, 8, true, 0x0102030405060708ULL, "w 8=4030201/4 w c=8070605/4 ");
    /* Valid 4 only, implemented 1: four byte accesses, lowest address first. */
    assert_read(DEV_BASE + 0x2004, 4, false, 0x8f8e8d8c, "r 4/1 r 5/1 r 6/1 r 7/1 ");
    assert_write(DEV_BASE + 0x2004, 4, false, 0x11223344, "w 4=44/1 w 5=33/1 w 6=22/1 w 7=11/1 ");
}

/* impl never makes an invalid access valid; a widened one stays inside the region. */
static void test_impl_valid_still_refuses(void)
{
    uint64_t v = POISON_VALUE;

    setup();
    add("bytes", DEV_BASE, 0x100, &bytes_ops, NULL);
    add("be", DEV_BASE + 0x1000, 0x100, &word_be_ops, NULL);
    add("tiny", DEV_BASE + 0x2000, 2, &word_be_ops, NULL);
    calls_reset();
    g_assert_false(memory_map_read(DEV_BASE, 1, true, &v));
    g_assert_false(memory_map_read(DEV_BASE, 8, true, &v));
    g_assert_false(memory_map_write(DEV_BASE + 2, 4, true, 1)); /* misaligned */
    g_assert_false(memory_map_read(DEV_BASE + 0x1002, 4, true, &v));
    g_assert_false(memory_map_read(DEV_BASE + 0x2001, 1, true, &v)); /* word past the end */
    g_assert_cmphex(v, ==, POISON_VALUE);
    g_assert_cmpstr(calls->str, ==, "");
}

/* Byte ranges across RAM, a device, and the hole after it. */
static void test_bytes(void)
{
    uint8_t buf[24], ram_before[8], ram_after[8];
    static const uint8_t want[24] = {
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* RAM */
        0x55, 0x66, 0x77, 0x88, 0x55, 0x66, 0x77, 0x8c, /* word device, big-endian */
        0x88, 0x77, 0x66, 0x55, 0x8c, 0x77, 0x66, 0x55, /* word device, little-endian */
    };

    setup();
    add("be", RAM_SIZE, 8, &word_be_ops, NULL);
    add("le", RAM_SIZE + 8, 8, &word_le_ops, NULL);
    guest_stq_be(RAM_SIZE - 8, 0x0102030405060708ULL);
    calls_reset();
    g_assert_true(memory_map_read_bytes(RAM_SIZE - 8, buf, sizeof(buf)));
    g_assert_cmpmem(buf, sizeof(buf), want, sizeof(want));
    /* Largest pieces the regions take (8), then the word callbacks: two reads each. */
    g_assert_cmpstr(calls->str, ==, "r 0/4 r 4/4 r 0/4 r 4/4 ");
    /* Unaligned start: the address's alignment limits the pieces. */
    calls_reset();
    g_assert_true(memory_map_read_bytes(RAM_SIZE + 2, buf, 7));
    g_assert_cmpmem(buf, 7, want + 10, 7);
    g_assert_cmpstr(calls->str, ==, "r 0/4 r 4/4 r 0/4 ");

    /* Writes: all pieces, or nothing when a part is a hole. */
    calls_reset();
    g_assert_true(memory_map_write_bytes(RAM_SIZE - 4, want, 12));
    g_assert_true(guest_read(RAM_SIZE - 8, ram_before, 8));
    g_assert_cmpmem(ram_before + 4, 4, want, 4);
    g_assert_cmpstr(calls->str, ==, "w 0=5060708/4 w 4=55667788/4 ");
    calls_reset();
    g_assert_false(memory_map_write_bytes(RAM_SIZE - 8, buf, 32));
    g_assert_true(guest_read(RAM_SIZE - 8, ram_after, 8));
    g_assert_cmpmem(ram_after, 8, ram_before, 8);
    g_assert_cmpstr(calls->str, ==, "");
    g_assert_false(memory_map_read_bytes(RAM_SIZE + 12, buf, 8));
    g_assert_false(memory_map_read_bytes(HOLE, buf, 1));
}

/* The low n bytes of v, most significant first. */
static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = v >> (8 * (n - 1 - i));
    }
}

/*
 * Not strict (qtest's read, write and memset): what nothing takes reads as
 * zeros and drops writes, a stretch at a time, and every device and RAM
 * byte after such a stretch is still reached: a region with no handler is
 * skipped whole, a region that refuses one size is retried a byte further,
 * and memory plugged above the hole is found.
 */
static void test_bytes_untaken(void)
{
    TestDev ro = { 0 }, narrow = { 0 };
    const uint64_t len = 0x4000 + 0x10 + 0x100;
    g_autofree uint8_t *buf = g_malloc(len);
    g_autofree uint8_t *want = g_malloc0(len);
    uint8_t *dimm, *big, wbuf[0x30];

    guest_ram_reserve(64 * MiB);
    setup();
    guest_ram_reserve(0);
    add("ro", HOLE + 0x1000, 0x1000, &read_only_ops, &ro);
    add("narrow", HOLE + 0x3000, 0x10, &narrow_ops, &narrow);
    for (uint64_t o = 0; o < 0x1000; o += 8) {
        put_be(want + 0x1000 + o, PATTERN + o, 8);
    }
    for (uint64_t o = 0; o < 0x10; o += 4) {
        put_be(want + 0x3000 + o, PATTERN + o, 4);
    }
    memset(buf, 0xee, len);
    memory_map_read_bytes_unassigned_zero(HOLE, buf, len);
    g_assert_cmpmem(buf, len, want, len);
    g_assert_cmpuint(ro.reads, ==, 0x1000 / 8);
    g_assert_cmpuint(narrow.reads, ==, 4);

    /* Narrow registers refuse a byte; the next aligned register is taken. */
    narrow.reads = 0;
    memset(buf, 0xee, 1);
    memory_map_read_bytes_unassigned_zero(HOLE + 0x3001, buf, 1);
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmpuint(narrow.reads, ==, 0);
    memory_map_read_bytes_unassigned_zero(HOLE + 0x3003, buf, 5);
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmpmem(buf + 1, 4, want + 0x3004, 4);
    g_assert_cmpuint(narrow.reads, ==, 1);
    g_assert_cmphex(narrow.offset, ==, 4);

    /* Writes over the read-only region are dropped without a call; the narrow one is written. */
    memset(wbuf, 0xab, sizeof(wbuf));
    memory_map_write_bytes_unassigned_drop(HOLE + 0xff0, wbuf, sizeof(wbuf));
    memory_map_write_bytes_unassigned_drop(HOLE + 0x2ffc, wbuf, 8);
    g_assert_cmpuint(ro.writes, ==, 0);
    g_assert_cmpuint(narrow.writes, ==, 1);
    g_assert_cmphex(narrow.written, ==, 0xabababab);

    /*
     * 16 GiB of nothing at once: a byte at a time this takes minutes (the
     * source is never read, so it is reserved, not allocated).
     */
    big = mmap(NULL, 16 * GiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    g_assert_true(big != MAP_FAILED);
    memory_map_write_bytes_unassigned_drop(0x100000000000ULL, big, 16 * GiB);
    munmap(big, 16 * GiB);

    /* A DIMM plugged above the hole between RAM and it. */
    dimm = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(dimm != MAP_FAILED);
    memset(dimm, 0x5a, MiB);
    dimm = guest_ram_place(32 * MiB, dimm, MiB);
    g_assert_nonnull(dimm);
    g_assert_true(guest_ram_plug(32 * MiB, MiB));
    memset(buf, 0xee, 32);
    memory_map_read_bytes_unassigned_zero(32 * MiB - 12, buf, 32);
    g_assert_cmpmem(buf, 12, want, 12);
    for (int i = 12; i < 32; i++) {
        g_assert_cmphex(buf[i], ==, 0x5a);
    }
    guest_ram_unplug(32 * MiB);
    guest_ram_free();
    setup();
}

/* ---- The CPU reaching the map ------------------------------------------ */

#define LD(rt, ds, ra) (0xe8000000u | (rt) << 21 | (ra) << 16 | ((ds)&0xfffc))
#define LWZ(rt, d, ra) (0x80000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define LHZ(rt, d, ra) (0xa0000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define LBZ(rt, d, ra) (0x88000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define STD(rs, ds, ra) (0xf8000000u | (rs) << 21 | (ra) << 16 | ((ds)&0xfffc))
#define STW(rs, d, ra) (0x90000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))
#define STH(rs, d, ra) (0xb0000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))

static PowerPCCPU *cpu;

static CPUPPCState *fresh_cpu(bool le)
{
    cpu = harness_fresh(cpu);
    if (le) {
        cpu->env.msr |= MSR_LE;
    }
    return &cpu->env;
}

/*
 * Loads and stores of every size reach the device, in big- and
 * little-endian mode; the device's page never enters the soft TLB, so the
 * same load twice calls the device twice.
 */
static void test_cpu_loads_stores(void)
{
    for (int le = 0; le <= 1; le++) {
        const uint32_t insns[] = {
            LD(10, 0x8, 9), LD(11, 0x8, 9), LWZ(12, 0x14, 9), LHZ(13, 0x22, 9), LBZ(14, 0x31, 9),
        };
        TestDev d = { 0 };
        CPUPPCState *env;

        setup();
        env = fresh_cpu(le);
        add("dev", DEV_BASE, 0x1000, &be_ops, &d);
        env->gpr[9] = DEV_BASE;
        harness_run(cpu, insns, G_N_ELEMENTS(insns));
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * G_N_ELEMENTS(insns) + 4);
        g_assert_cmpuint(d.reads, ==, 5);
        g_assert_cmphex(d.offset, ==, 0x31);
        g_assert_cmpuint(d.size, ==, 1);
        /* A big-endian device: a little-endian CPU sees its registers byte-reversed. */
        g_assert_cmphex(env->gpr[10], ==, le ? 0x9077665544332211ULL : 0x1122334455667790ULL);
        g_assert_cmphex(env->gpr[11], ==, env->gpr[10]);
        g_assert_cmphex(env->gpr[12], ==, le ? 0x9c776655 : 0x5566779c);
        g_assert_cmphex(env->gpr[13], ==, le ? 0xaa77 : 0x77aa);
        g_assert_cmphex(env->gpr[14], ==, 0xb9);
    }
    for (int le = 0; le <= 1; le++) {
        const uint32_t insns[] = { STD(10, 0x18, 9), STW(10, 0x24, 9), STH(10, 0x42, 9) };
        TestDev d = { 0 };
        CPUPPCState *env;

        setup();
        env = fresh_cpu(le);
        add("dev", DEV_BASE, 0x1000, &le_ops, &d);
        env->gpr[9] = DEV_BASE;
        env->gpr[10] = 0x0102030405060708ULL;
        /* one store at a time, to see each */
        harness_run(cpu, insns, 1);
        g_assert_cmpuint(d.writes, ==, 1);
        g_assert_cmphex(d.offset, ==, 0x18);
        g_assert_cmpuint(d.size, ==, 8);
        g_assert_cmphex(d.written, ==, le ? 0x0102030405060708ULL : 0x0807060504030201ULL);
        harness_run(cpu, insns + 1, 1);
        g_assert_cmphex(d.offset, ==, 0x24);
        g_assert_cmphex(d.written, ==, le ? 0x05060708 : 0x08070605);
        harness_run(cpu, insns + 2, 1);
        g_assert_cmphex(d.offset, ==, 0x42);
        g_assert_cmphex(d.written, ==, le ? 0x0708 : 0x0807);
        g_assert_cmpuint(d.writes, ==, 3);
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 8);
    }
}

/* Machine check SRR1 bits (POWER9's load/store error reporting). */
#define SRR1_MC_LOADSTORE PPC_BIT(42)
#define SRR1_MC_STORE_RA (PPC_BIT(36) | PPC_BIT(43) | PPC_BIT(45))
#define DSISR_MC_LOAD_RA PPC_BIT(57)

/*
 * A load from a hole: machine check at the load, DAR = its address, DSISR
 * "load real address error", SRR1 the MSR and the load/store bit; the
 * target register keeps its value.  A store: SRR1's store-error bits, DAR,
 * DSISR untouched.  An access a device refuses (here: too wide) is the same.
 */
static void test_machine_check_registers(void)
{
    TestDev n = { 0 };
    CPUPPCState *env;
    uint32_t insn;

    setup();
    env = fresh_cpu(false);
    add("narrow", DEV_BASE, 0x1000, &narrow_ops, &n);
    env->gpr[9] = HOLE;
    env->gpr[10] = POISON_VALUE;
    insn = LD(10, 0x18, 9);
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(env->nip, ==, VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, HARNESS_CODE);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | SRR1_MC_LOADSTORE);
    g_assert_cmphex(env->spr[SPR_DAR], ==, HOLE + 0x18);
    g_assert_cmphex(env->spr[SPR_DSISR], ==, DSISR_MC_LOAD_RA);
    g_assert_cmphex(env->gpr[10], ==, POISON_VALUE);
    /* the interrupt's MSR: real mode, ME kept */
    g_assert_cmphex(env->msr, ==, MSR_SF | MSR_ME);

    env = fresh_cpu(true);
    env->gpr[9] = HOLE;
    env->spr[SPR_DSISR] = 0x1234;
    insn = STW(10, 0x24, 9);
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(env->nip, ==, VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, HARNESS_CODE);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | MSR_LE | SRR1_MC_STORE_RA);
    g_assert_cmphex(env->spr[SPR_DAR], ==, HOLE + 0x24);
    g_assert_cmphex(env->spr[SPR_DSISR], ==, 0x1234);

    /* 8 bytes from a device of 2-4 byte registers */
    env = fresh_cpu(false);
    env->gpr[9] = DEV_BASE;
    insn = LD(10, 0x8, 9);
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(env->nip, ==, VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(env->spr[SPR_DAR], ==, DEV_BASE + 8);
    g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | SRR1_MC_LOADSTORE);
    g_assert_cmpuint(n.reads, ==, 0);
}

/* A fetch from a hole: machine check at that address, SRR1[36,44,45]. */
static void test_fetch_fault(void)
{
    const uint32_t insns[] = { 0x7d2903a6u /* mtctr 9 */, 0x4e800420u /* bctr */ };
    CPUPPCState *env;

    setup();
    env = fresh_cpu(false);
    env->gpr[9] = HOLE;
    harness_run(cpu, insns, G_N_ELEMENTS(insns));
    g_assert_cmphex(env->nip, ==, VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, HOLE);
    g_assert_cmphex(env->spr[SPR_SRR1], ==,
                    MSR_SF | MSR_ME | PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45));
}

/* ---- Cache-inhibited loads and stores ------------------------------------- */

#define X31(xo, rt, ra, rb) (0x7c000000u | (rt) << 21 | (ra) << 16 | (rb) << 11 | (xo) << 1)
#define LBZCIX(rt, ra, rb) X31(853, rt, ra, rb)
#define LHZCIX(rt, ra, rb) X31(821, rt, ra, rb)
#define LWZCIX(rt, ra, rb) X31(789, rt, ra, rb)
#define LDCIX(rt, ra, rb) X31(885, rt, ra, rb)
#define STBCIX(rs, ra, rb) X31(981, rs, ra, rb)
#define STHCIX(rs, ra, rb) X31(949, rs, ra, rb)
#define STWCIX(rs, ra, rb) X31(917, rs, ra, rb)
#define STDCIX(rs, ra, rb) X31(1013, rs, ra, rb)
#define SRR1_PRIV PPC_BIT(45)

/*
 * In hypervisor state (which only a bare CPU, never a partition, runs in)
 * the cache-inhibited forms reach devices and RAM at the real address
 * (RA|0) + RB, in the byte order of MSR[LE].
 */
static void test_cache_inhibited(void)
{
    for (int le = 0; le <= 1; le++) {
        const uint32_t insns[] = {
            LDCIX(10, 9, 8), LWZCIX(11, 9, 8), LHZCIX(12, 0, 7), LBZCIX(13, 9, 6), STDCIX(5, 9, 8),
            STWCIX(5, 9, 8), STHCIX(5, 0, 7),  STBCIX(5, 9, 4),  LDCIX(14, 0, 3),
        };
        TestDev d = { 0 };
        CPUPPCState *env;

        setup();
        env = fresh_cpu(le);
        env->msr |= MSR_HV;
        add("dev", DEV_BASE, 0x1000, &be_ops, &d);
        guest_stq_be(0x8000, 0x0102030405060708ULL);
        env->gpr[9] = DEV_BASE;
        env->gpr[8] = 0x20;
        env->gpr[7] = DEV_BASE + 0x42;
        env->gpr[6] = 0x31;
        env->gpr[5] = 0x1122334455667788ULL;
        env->gpr[4] = 0x8000 - DEV_BASE; /* RAM through RA + RB */
        env->gpr[3] = 0x8000;
        harness_run(cpu, insns, G_N_ELEMENTS(insns));
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * G_N_ELEMENTS(insns) + 4);
        g_assert_cmpuint(d.reads, ==, 4);
        g_assert_cmpuint(d.writes, ==, 3);
        g_assert_cmphex(env->gpr[10], ==, le ? 0xa877665544332211ULL : 0x11223344556677a8ULL);
        g_assert_cmphex(env->gpr[11], ==, le ? 0xa8776655 : 0x556677a8);
        g_assert_cmphex(env->gpr[12], ==, le ? 0xca77 : 0x77ca);
        g_assert_cmphex(env->gpr[13], ==, 0xb9);
        /* the last device store: sthcix */
        g_assert_cmphex(d.offset, ==, 0x42);
        g_assert_cmpuint(d.size, ==, 2);
        g_assert_cmphex(d.written, ==, le ? 0x8877 : 0x7788);
        /* stbcix into RAM, then ldcix of RAM */
        g_assert_cmphex(env->gpr[14], ==, le ? 0x0807060504030288ULL : 0x8802030405060708ULL);
    }
}

/* A partition (HV = 0), in either state: privileged-instruction program interrupt. */
static void test_cache_inhibited_privileged(void)
{
    const uint32_t insns[] = { LWZCIX(3, 0, 4), STDCIX(3, 0, 4) };

    for (size_t i = 0; i < G_N_ELEMENTS(insns); i++) {
        TestDev d = { 0 };
        CPUPPCState *env;

        setup();
        env = fresh_cpu(false);
        add("dev", DEV_BASE, 0x1000, &be_ops, &d);
        env->gpr[4] = DEV_BASE;
        env->gpr[3] = 0x77;
        harness_run(cpu, &insns[i], 1);
        g_assert_cmphex(env->nip, ==, 0x704);
        g_assert_cmphex(env->spr[SPR_SRR0], ==, HARNESS_CODE);
        g_assert_cmphex(env->spr[SPR_SRR1], ==, MSR_SF | MSR_ME | SRR1_PRIV);
        g_assert_cmphex(env->gpr[3], ==, 0x77);
        g_assert_cmpuint(d.reads + d.writes, ==, 0);
    }
}

/* In hypervisor state, a hole: the machine check of a load, DAR = the real address. */
static void test_cache_inhibited_hole(void)
{
    const uint32_t insn = LWZCIX(3, 0, 4);
    CPUPPCState *env;

    setup();
    env = fresh_cpu(false);
    env->msr |= MSR_HV;
    env->gpr[4] = HOLE + 8;
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(env->nip, ==, VEC_MACHINE_CHECK + 4);
    g_assert_cmphex(env->spr[SPR_SRR0], ==, HARNESS_CODE);
    g_assert_cmphex(env->spr[SPR_DAR], ==, HOLE + 8);
    g_assert_cmphex(env->spr[SPR_SRR1] & SRR1_MC_LOADSTORE, ==, SRR1_MC_LOADSTORE);
}

/* ---- H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE ------------------------------ */

static target_ulong logical(SpaprMachineState *m, target_ulong op, target_ulong size,
                            target_ulong addr, target_ulong val, target_ulong *out)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { size, addr, val };
    target_ulong ret = test_hcall(m, 0, op, args);

    *out = args[0];
    return ret;
}

/*
 * The hypercalls reach device registers, big-endian as PAPR defines them;
 * holes, sizes the device refuses and misaligned addresses are H_PARAMETER
 * with the device never called.
 */
static void test_logical_ci(void)
{
    SpaprMachineState *m;
    TestDev b = { 0 }, l = { 0 }, n = { 0 };
    target_ulong v;

    memory_map_clear();
    m = test_machine_new(RAM_SIZE, 1, NULL, NULL);
    add("be", DEV_BASE, 0x100, &be_ops, &b);
    add("le", DEV_BASE + 0x1000, 0x100, &le_ops, &l);
    add("narrow", DEV_BASE + 0x2000, 0x100, &narrow_ops, &n);

    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 8, DEV_BASE + 0x10, 0, &v), ==, H_SUCCESS);
    g_assert_cmphex(v, ==, PATTERN + 0x10);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 2, DEV_BASE + 0x1002, 0, &v), ==, H_SUCCESS);
    g_assert_cmphex(v, ==, 0x8a77);
    g_assert_cmphex(l.offset, ==, 2);
    g_assert_cmpint(logical(m, H_LOGICAL_CACHE_LOAD, 1, DEV_BASE + 0x21, 0, &v), ==, H_SUCCESS);
    g_assert_cmphex(v, ==, 0xa9);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_STORE, 4, DEV_BASE + 0x1040, 0x11223344, &v), ==,
                    H_SUCCESS);
    g_assert_cmphex(l.written, ==, 0x44332211);
    g_assert_cmpuint(l.size, ==, 4);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_STORE, 2, DEV_BASE + 0x2002, 0xfff1234, &v), ==,
                    H_SUCCESS);
    g_assert_cmphex(n.written, ==, 0x1234);
    g_assert_cmpuint(b.reads + l.reads, ==, 3);
    g_assert_cmpuint(l.writes + n.writes, ==, 2);

    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 4, HOLE, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_STORE, 4, HOLE, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 8, DEV_BASE + 0x2000, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_STORE, 1, DEV_BASE + 0x2000, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 4, DEV_BASE + 2, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_STORE, 3, DEV_BASE, 0, &v), ==, H_PARAMETER);
    g_assert_cmpint(logical(m, H_LOGICAL_CI_LOAD, 8, DEV_BASE + 0xfc, 0, &v), ==, H_PARAMETER);
    g_assert_cmpuint(b.reads + l.reads + n.reads, ==, 3);
    g_assert_cmpuint(b.writes + l.writes + n.writes, ==, 2);

    memory_map_clear();
    test_machine_free(m);
}

/* A CPU byte load of a word-only device goes through the same widening. */
static void test_impl_cpu_load(void)
{
    const uint32_t insn = LBZ(10, 0x5, 9);
    CPUPPCState *env;

    setup();
    env = fresh_cpu(false);
    add("be", DEV_BASE, 0x100, &word_be_ops, NULL);
    env->gpr[9] = DEV_BASE;
    calls_reset();
    harness_run(cpu, &insn, 1);
    g_assert_cmphex(env->gpr[10], ==, 0x66);
    g_assert_cmpstr(calls->str, ==, "r 4/4 ");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory-map/overlap", test_overlap);
    g_test_add_func("/memory-map/dispatch", test_dispatch_sizes_endianness);
    g_test_add_func("/memory-map/offsets", test_offsets);
    g_test_add_func("/memory-map/holes-refusals", test_holes_and_refusals);
    g_test_add_func("/memory-map/ram", test_ram);
    g_test_add_func("/memory-map/impl/widen", test_impl_widen);
    g_test_add_func("/memory-map/impl/split", test_impl_split);
    g_test_add_func("/memory-map/impl/valid-refuses", test_impl_valid_still_refuses);
    g_test_add_func("/memory-map/impl/cpu-load", test_impl_cpu_load);
    g_test_add_func("/memory-map/bytes", test_bytes);
    g_test_add_func("/memory-map/bytes-untaken", test_bytes_untaken);
    g_test_add_func("/memory-map/cpu-load-store", test_cpu_loads_stores);
    g_test_add_func("/memory-map/machine-check", test_machine_check_registers);
    g_test_add_func("/memory-map/fetch-fault", test_fetch_fault);
    g_test_add_func("/memory-map/cache-inhibited", test_cache_inhibited);
    g_test_add_func("/memory-map/cache-inhibited-privileged", test_cache_inhibited_privileged);
    g_test_add_func("/memory-map/cache-inhibited-hole", test_cache_inhibited_hole);
    g_test_add_func("/memory-map/h-logical-ci", test_logical_ci);
    return g_test_run();
}

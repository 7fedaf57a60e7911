/*
 * Guest RAM and the bounds-checked accessors every host-side user of guest
 * memory goes through.
 */
#include "exec/guest-memory.h"
#include "qemu/atomic.h"

#include <sys/mman.h>

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif

static uint8_t *ram;
static uint64_t ram_size;
static uint64_t ram_span; /* reserved guest-physical span: boot RAM and device memory */

/*
 * One bit per 4 KiB page of RAM: the page holds translated code.  vCPU
 * threads mark pages concurrently (atomic or); code_pages_any says some bit
 * may be set, so writes elsewhere skip the lookup.
 */
static unsigned long *code_bitmap;
static int code_pages_any;
static void (*code_write_notifier)(hwaddr page);

/*
 * Dirty-page tracking, one bit per 4 KiB page as well: dirty_bitmap gets
 * every page written since the last guest_ram_dirty_sync() (host writes
 * here, the CPUs when they fill a write entry of their soft TLB), which
 * moves the bits into written_bitmap: together, every page ever written.
 * The rest still reads as zeros (anonymous memory never touched).
 */
static unsigned long *dirty_bitmap;
static unsigned long *written_bitmap;
static void (*dirty_flush_fn)(void);

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static uint64_t bitmap_words(uint64_t span)
{
    return ((span >> GUEST_CODE_PAGE_BITS) + BITS_PER_WORD) / BITS_PER_WORD;
}

void guest_ram_mark_dirty(hwaddr addr)
{
    uint64_t page = addr >> GUEST_DIRTY_PAGE_BITS;
    unsigned long bit = 1UL << (page % BITS_PER_WORD);
    unsigned long *w;

    if (!dirty_bitmap || addr >= ram_span) {
        return;
    }
    w = &dirty_bitmap[page / BITS_PER_WORD];
    if (!(__atomic_load_n(w, __ATOMIC_RELAXED) & bit)) {
        __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
    }
}

static void mark_dirty_range(hwaddr addr, uint64_t len)
{
    hwaddr end = addr + len;

    if (!dirty_bitmap || addr >= ram_span || end < addr) {
        return;
    }
    end = MIN(end, ram_span);
    for (hwaddr p = addr & ~((1ULL << GUEST_DIRTY_PAGE_BITS) - 1); p < end;
         p += 1ULL << GUEST_DIRTY_PAGE_BITS) {
        guest_ram_mark_dirty(p);
    }
}

void guest_ram_set_dirty_flush(void (*fn)(void))
{
    __atomic_store_n(&dirty_flush_fn, fn, __ATOMIC_RELAXED);
}

uint64_t guest_ram_dirty_sync(unsigned long *bitmap, uint64_t npages, bool all)
{
    uint64_t words = (npages + BITS_PER_WORD - 1) / BITS_PER_WORD, count = 0;
    void (*flush)(void) = __atomic_load_n(&dirty_flush_fn, __ATOMIC_RELAXED);

    if (!dirty_bitmap) {
        return 0;
    }
    words = MIN(words, bitmap_words(ram_span));
    /*
     * Take the bits first, then have every CPU drop its write entries:
     * a store through an entry filled before the take lands before the
     * CPU lets the flush complete, so the caller, reading the pages after
     * this returns, sees it; a later store refills its entry, marking the
     * page again for the next pass.
     */
    for (uint64_t i = 0; i < words; i++) {
        unsigned long v = __atomic_exchange_n(&dirty_bitmap[i], 0, __ATOMIC_SEQ_CST);

        written_bitmap[i] |= v;
        if (all) {
            v = written_bitmap[i];
        }
        if (i == words - 1 && npages % BITS_PER_WORD) {
            v &= (1UL << (npages % BITS_PER_WORD)) - 1;
        }
        bitmap[i] |= v;
        count += __builtin_popcountl(v);
    }
    if (flush) {
        flush();
    }
    return count;
}

bool guest_ram_page_written(hwaddr addr)
{
    uint64_t page = addr >> GUEST_DIRTY_PAGE_BITS;
    unsigned long bit = 1UL << (page % BITS_PER_WORD);

    if (!dirty_bitmap || addr >= ram_span) {
        return false;
    }
    return ((__atomic_load_n(&dirty_bitmap[page / BITS_PER_WORD], __ATOMIC_SEQ_CST) |
             written_bitmap[page / BITS_PER_WORD]) &
            bit) != 0;
}

bool guest_ram_mark_code(hwaddr addr)
{
    uint64_t page = addr >> GUEST_CODE_PAGE_BITS;
    unsigned long bit = 1UL << (page % BITS_PER_WORD), old;

    if (!code_bitmap || addr >= ram_span) {
        return false;
    }
    old = __atomic_fetch_or(&code_bitmap[page / BITS_PER_WORD], bit, __ATOMIC_SEQ_CST);
    __atomic_store_n(&code_pages_any, 1, __ATOMIC_SEQ_CST);
    return !(old & bit);
}

bool guest_ram_is_code(hwaddr addr)
{
    uint64_t page = addr >> GUEST_CODE_PAGE_BITS;

    return code_bitmap && addr < ram_span &&
           (__atomic_load_n(&code_bitmap[page / BITS_PER_WORD], __ATOMIC_SEQ_CST) >>
            (page % BITS_PER_WORD)) &
               1;
}

void guest_ram_clear_code(void)
{
    if (code_bitmap && __atomic_load_n(&code_pages_any, __ATOMIC_SEQ_CST)) {
        uint64_t words = ((ram_span >> GUEST_CODE_PAGE_BITS) + BITS_PER_WORD) / BITS_PER_WORD;

        __atomic_store_n(&code_pages_any, 0, __ATOMIC_SEQ_CST);
        for (uint64_t i = 0; i < words; i++) {
            if (__atomic_load_n(&code_bitmap[i], __ATOMIC_RELAXED)) {
                __atomic_store_n(&code_bitmap[i], 0, __ATOMIC_RELAXED);
            }
        }
    }
}

/* One page is no longer code (its translations are being dropped). */
void guest_ram_clear_code_page(hwaddr addr)
{
    uint64_t page = addr >> GUEST_CODE_PAGE_BITS;

    if (code_bitmap && addr < ram_span) {
        __atomic_fetch_and(&code_bitmap[page / BITS_PER_WORD], ~(1UL << (page % BITS_PER_WORD)),
                           __ATOMIC_SEQ_CST);
    }
}

void guest_ram_set_code_write_notifier(void (*fn)(hwaddr page))
{
    /* every CPU registers it as it starts; others read it meanwhile */
    __atomic_store_n(&code_write_notifier, fn, __ATOMIC_RELAXED);
}

/*
 * A host write to [addr, addr + len), made just before: tell the CPU when it
 * hit code.  After the write, not before: a CPU that drops its blocks
 * between a notice and the write could translate the page again from the
 * old bytes, and nothing would tell it.  A CPU translating marks the page
 * (sequentially consistent) before it reads the page; the fence orders the
 * write before the look at the marks, so either the look sees the mark or
 * the translation reads the new bytes.
 */
void guest_ram_note_write(hwaddr addr, uint64_t len)
{
    /* After the write, too: a pass that took the page's bit before reads it after. */
    mark_dirty_range(addr, len);
    qemu_full_fence();
    if (likely(!__atomic_load_n(&code_pages_any, __ATOMIC_RELAXED)) || !len) {
        return;
    }
    for (hwaddr p = addr & ~((1ULL << GUEST_CODE_PAGE_BITS) - 1); p < addr + len;
         p += 1ULL << GUEST_CODE_PAGE_BITS) {
        if (guest_ram_is_code(p)) {
            void (*notify)(hwaddr) = __atomic_load_n(&code_write_notifier, __ATOMIC_RELAXED);

            if (notify) {
                notify(p); /* each code page written: its translations go */
            }
        }
    }
}

/*
 * The guest-physical span reserved at start (boot RAM, then the device
 * memory DIMMs are plugged into), and the plugged ranges above the boot RAM.
 * The vCPUs read the table without a lock: an entry's base is written
 * before its size (release) and a cleared size retires it.
 */
static uint64_t next_span;

#define GUEST_RAM_MAX_PLUGGED 64
static struct {
    hwaddr base;
    uint64_t size;
} plugged[GUEST_RAM_MAX_PLUGGED];
static int plugged_any;

void guest_ram_reserve(uint64_t span)
{
    next_span = span;
}

void guest_ram_init(uint64_t size)
{
    uint64_t span = MAX(size, next_span);

    guest_ram_free();
    /*
     * The whole span is reserved inaccessible; RAM is made of anonymous
     * memory (zeroed, costing nothing until touched) or of the backends
     * moved in, so guest-physical addresses stay one host offset.
     */
    ram = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED || (size && mmap(ram, size, PROT_READ | PROT_WRITE,
                                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                                           -1, 0) == MAP_FAILED)) {
        fprintf(stderr, "qemu-system-ppc64: cannot allocate %" PRIu64 " bytes of guest RAM: %s\n",
                size, strerror(errno));
        exit(1);
    }
#ifdef MADV_HUGEPAGE
    /*
     * Transparent huge pages, as QEMU asks for: a page fault per 2 MiB
     * instead of per 4 KiB (each about 14 us of CPU on the project machine,
     * a virtual machine: a VOF boot of Linux took 25,000 of them, 15,500
     * without this), for about 3 MiB more peak RSS.  Only a hint; the one
     * call keeps RAM one mapping.
     */
    if (size) {
        madvise(ram, size, MADV_HUGEPAGE);
    }
#endif
    ram_size = size;
    ram_span = span;
    code_bitmap = g_new0(unsigned long, bitmap_words(span));
    dirty_bitmap = g_new0(unsigned long, bitmap_words(span));
    written_bitmap = g_new0(unsigned long, bitmap_words(span));
    code_pages_any = 0;
}

uint64_t guest_ram_span(void)
{
    return ram_span;
}

void *guest_ram_place(hwaddr addr, void *host, uint64_t len)
{
    void *dst;

    if (!ram || addr > ram_span || len > ram_span - addr || !len) {
        errno = EINVAL;
        return NULL;
    }
    /* A backend brings its contents: every page of it counts as written. */
    mark_dirty_range(addr, len);
    if ((uint8_t *)host == ram + addr) {
        return host;
    }
    /* Moves the pages (and file mapping) over the reservation at once. */
    dst = mremap(host, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, ram + addr);
    if (dst == MAP_FAILED) {
        return NULL;
    }
    /*
     * When host was inside the span, its place is a hole now: reserve it
     * again unless something else took it meanwhile (the guest never
     * reaches a range that is not RAM, so a hole costs nothing).
     */
    if ((uint8_t *)host >= ram && (uint8_t *)host < ram + ram_span) {
        mmap(host, len, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    }
    return dst;
}

void guest_ram_release(void *host, uint64_t len)
{
    if (ram && (uint8_t *)host >= ram && (uint8_t *)host < ram + ram_span) {
        /* back to the reservation, atomically */
        mmap(host, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    } else if (host) {
        munmap(host, len);
    }
}

bool guest_ram_plug(hwaddr base, uint64_t size)
{
    if (!ram || base < ram_size || base > ram_span || size > ram_span - base || !size) {
        return false;
    }
    for (int i = 0; i < GUEST_RAM_MAX_PLUGGED; i++) {
        if (!__atomic_load_n(&plugged[i].size, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&plugged[i].base, base, __ATOMIC_RELAXED);
            __atomic_store_n(&plugged[i].size, size, __ATOMIC_RELEASE);
            __atomic_store_n(&plugged_any, 1, __ATOMIC_RELEASE);
            return true;
        }
    }
    return false;
}

void guest_ram_unplug(hwaddr base)
{
    for (int i = 0; i < GUEST_RAM_MAX_PLUGGED; i++) {
        if (__atomic_load_n(&plugged[i].size, __ATOMIC_ACQUIRE) &&
            __atomic_load_n(&plugged[i].base, __ATOMIC_RELAXED) == base) {
            __atomic_store_n(&plugged[i].size, 0, __ATOMIC_RELEASE);
        }
    }
}

hwaddr guest_ram_next_plugged(hwaddr addr)
{
    hwaddr next = UINT64_MAX;

    for (int i = 0; i < GUEST_RAM_MAX_PLUGGED; i++) {
        uint64_t size = __atomic_load_n(&plugged[i].size, __ATOMIC_ACQUIRE);
        hwaddr base = __atomic_load_n(&plugged[i].base, __ATOMIC_RELAXED);

        if (size && base > addr && base < next) {
            next = base;
        }
    }
    return next;
}

/* [addr, addr + len) inside plugged ranges (adjacent ones join). */
static bool plugged_range_valid(hwaddr addr, uint64_t len)
{
    hwaddr end = addr + len;

    if (end < addr) {
        return false;
    }
    for (int i = 0; i < GUEST_RAM_MAX_PLUGGED && addr < end; i++) {
        uint64_t size = __atomic_load_n(&plugged[i].size, __ATOMIC_ACQUIRE);
        hwaddr base = __atomic_load_n(&plugged[i].base, __ATOMIC_RELAXED);

        if (size && addr >= base && addr - base < size) {
            addr = base + size;
            i = -1; /* the rest may continue in any entry */
        }
    }
    return addr >= end;
}

void guest_ram_free(void)
{
    if (ram) {
        munmap(ram, ram_span);
        ram = NULL;
        g_clear_pointer(&code_bitmap, g_free);
        g_clear_pointer(&dirty_bitmap, g_free);
        g_clear_pointer(&written_bitmap, g_free);
        code_pages_any = 0;
        ram_size = 0;
        ram_span = 0;
        memset(plugged, 0, sizeof(plugged));
        plugged_any = 0;
    }
}

uint64_t guest_ram_size(void)
{
    return ram_size;
}

bool guest_range_valid(hwaddr addr, uint64_t len)
{
    if (likely(addr <= ram_size && len <= ram_size - addr)) {
        return true;
    }
    return __atomic_load_n(&plugged_any, __ATOMIC_ACQUIRE) && plugged_range_valid(addr, len);
}

void *guest_ram_ptr(hwaddr addr, uint64_t len)
{
    return guest_range_valid(addr, len) ? ram + addr : NULL;
}

bool guest_read(hwaddr addr, void *buf, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return false;
    }
    memcpy(buf, ram + addr, len);
    return true;
}

bool guest_write(hwaddr addr, const void *buf, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return false;
    }
    memcpy(ram + addr, buf, len);
    guest_ram_note_write(addr, len);
    return true;
}

bool guest_memset(hwaddr addr, int c, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return false;
    }
    memset(ram + addr, c, len);
    guest_ram_note_write(addr, len);
    return true;
}

bool guest_memmove(hwaddr dst, hwaddr src, uint64_t len)
{
    if (!guest_range_valid(dst, len) || !guest_range_valid(src, len)) {
        return false;
    }
    memmove(ram + dst, ram + src, len);
    guest_ram_note_write(dst, len);
    return true;
}

#define DEFINE_LOAD(name, type, swap)                                                              \
    bool name(hwaddr addr, type *val)                                                              \
    {                                                                                              \
        type v;                                                                                    \
        if (!guest_range_valid(addr, sizeof(v))) {                                                 \
            return false;                                                                          \
        }                                                                                          \
        memcpy(&v, ram + addr, sizeof(v));                                                         \
        *val = swap(v);                                                                            \
        return true;                                                                               \
    }

#define DEFINE_STORE(name, type, swap)                                                             \
    bool name(hwaddr addr, type val)                                                               \
    {                                                                                              \
        type v = swap(val);                                                                        \
        if (!guest_range_valid(addr, sizeof(v))) {                                                 \
            return false;                                                                          \
        }                                                                                          \
        memcpy(ram + addr, &v, sizeof(v));                                                         \
        guest_ram_note_write(addr, sizeof(v));                                                     \
        return true;                                                                               \
    }

#define NOSWAP(x) (x)

DEFINE_LOAD(guest_ldub, uint8_t, NOSWAP)
DEFINE_LOAD(guest_lduw_be, uint16_t, GUINT16_FROM_BE)
DEFINE_LOAD(guest_ldl_be, uint32_t, GUINT32_FROM_BE)
DEFINE_LOAD(guest_ldq_be, uint64_t, GUINT64_FROM_BE)
DEFINE_LOAD(guest_lduw_le, uint16_t, GUINT16_FROM_LE)
DEFINE_LOAD(guest_ldl_le, uint32_t, GUINT32_FROM_LE)
DEFINE_LOAD(guest_ldq_le, uint64_t, GUINT64_FROM_LE)
DEFINE_STORE(guest_stb, uint8_t, NOSWAP)
DEFINE_STORE(guest_stw_be, uint16_t, GUINT16_TO_BE)
DEFINE_STORE(guest_stl_be, uint32_t, GUINT32_TO_BE)
DEFINE_STORE(guest_stq_be, uint64_t, GUINT64_TO_BE)
DEFINE_STORE(guest_stw_le, uint16_t, GUINT16_TO_LE)
DEFINE_STORE(guest_stl_le, uint32_t, GUINT32_TO_LE)
DEFINE_STORE(guest_stq_le, uint64_t, GUINT64_TO_LE)

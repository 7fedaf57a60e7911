/*
 * Guest RAM and the bounds-checked accessors every host-side user of guest
 * memory goes through.
 */
#include "exec/guest-memory.h"

#include <sys/mman.h>

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif

static uint8_t *ram;
static uint64_t ram_size;

/*
 * One bit per 4 KiB page of RAM: the page holds translated code.  vCPU
 * threads mark pages concurrently (atomic or); code_pages_any says some bit
 * may be set, so writes elsewhere skip the lookup.
 */
static unsigned long *code_bitmap;
static int code_pages_any;
static void (*code_write_notifier)(void);

#define BITS_PER_WORD (8 * sizeof(unsigned long))

bool guest_ram_mark_code(hwaddr addr)
{
    uint64_t page = addr >> GUEST_CODE_PAGE_BITS;
    unsigned long bit = 1UL << (page % BITS_PER_WORD), old;

    if (!code_bitmap || addr >= ram_size) {
        return false;
    }
    old = __atomic_fetch_or(&code_bitmap[page / BITS_PER_WORD], bit, __ATOMIC_SEQ_CST);
    __atomic_store_n(&code_pages_any, 1, __ATOMIC_SEQ_CST);
    return !(old & bit);
}

bool guest_ram_is_code(hwaddr addr)
{
    uint64_t page = addr >> GUEST_CODE_PAGE_BITS;

    return code_bitmap && addr < ram_size &&
           (__atomic_load_n(&code_bitmap[page / BITS_PER_WORD], __ATOMIC_SEQ_CST) >>
            (page % BITS_PER_WORD)) &
               1;
}

void guest_ram_clear_code(void)
{
    if (code_bitmap && __atomic_load_n(&code_pages_any, __ATOMIC_SEQ_CST)) {
        uint64_t words = ((ram_size >> GUEST_CODE_PAGE_BITS) + BITS_PER_WORD) / BITS_PER_WORD;

        __atomic_store_n(&code_pages_any, 0, __ATOMIC_SEQ_CST);
        for (uint64_t i = 0; i < words; i++) {
            if (__atomic_load_n(&code_bitmap[i], __ATOMIC_RELAXED)) {
                __atomic_store_n(&code_bitmap[i], 0, __ATOMIC_RELAXED);
            }
        }
    }
}

void guest_ram_set_code_write_notifier(void (*fn)(void))
{
    /* every CPU registers it as it starts; others read it meanwhile */
    __atomic_store_n(&code_write_notifier, fn, __ATOMIC_RELAXED);
}

/* A host write to [addr, addr + len): tell the CPU when it hits code. */
void guest_ram_note_write(hwaddr addr, uint64_t len)
{
    if (likely(!__atomic_load_n(&code_pages_any, __ATOMIC_RELAXED)) || !len) {
        return;
    }
    for (hwaddr p = addr & ~((1ULL << GUEST_CODE_PAGE_BITS) - 1); p < addr + len;
         p += 1ULL << GUEST_CODE_PAGE_BITS) {
        if (guest_ram_is_code(p)) {
            void (*notify)(void) = __atomic_load_n(&code_write_notifier, __ATOMIC_RELAXED);

            if (notify) {
                notify();
            }
            return;
        }
    }
}

/* A memory backend (-machine memory-backend=) to map instead: its fd or -1, flags. */
static int backing_fd = -1;
static bool backing_share, backing_prealloc;

void guest_ram_set_backing(int fd, bool share, bool prealloc)
{
    backing_fd = fd;
    backing_share = share;
    backing_prealloc = prealloc;
}

void guest_ram_init(uint64_t size)
{
    int flags = (backing_share ? MAP_SHARED : MAP_PRIVATE) | MAP_NORESERVE |
                (backing_fd < 0 ? MAP_ANONYMOUS : 0) | (backing_prealloc ? MAP_POPULATE : 0);

    guest_ram_free();
    /* Anonymous mapping: zeroed, and pages cost nothing until touched. */
    ram = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, backing_fd, 0);
    if (ram == MAP_FAILED) {
        ram = NULL;
        fprintf(stderr, "qemu-system-ppc64: cannot allocate %" PRIu64 " bytes of guest RAM: %s\n",
                size, strerror(errno));
        exit(1);
    }
    ram_size = size;
    code_bitmap =
        g_new0(unsigned long, ((size >> GUEST_CODE_PAGE_BITS) + BITS_PER_WORD) / BITS_PER_WORD);
    code_pages_any = 0;
}

void guest_ram_free(void)
{
    if (ram) {
        munmap(ram, ram_size);
        ram = NULL;
        g_clear_pointer(&code_bitmap, g_free);
        code_pages_any = 0;
        ram_size = 0;
    }
}

uint64_t guest_ram_size(void)
{
    return ram_size;
}

bool guest_range_valid(hwaddr addr, uint64_t len)
{
    return addr <= ram_size && len <= ram_size - addr;
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
    guest_ram_note_write(addr, len);
    memcpy(ram + addr, buf, len);
    return true;
}

bool guest_memset(hwaddr addr, int c, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return false;
    }
    guest_ram_note_write(addr, len);
    memset(ram + addr, c, len);
    return true;
}

bool guest_memmove(hwaddr dst, hwaddr src, uint64_t len)
{
    if (!guest_range_valid(dst, len) || !guest_range_valid(src, len)) {
        return false;
    }
    guest_ram_note_write(dst, len);
    memmove(ram + dst, ram + src, len);
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
        guest_ram_note_write(addr, sizeof(v));                                                     \
        memcpy(ram + addr, &v, sizeof(v));                                                         \
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

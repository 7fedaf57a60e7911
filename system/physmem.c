/*
 * Guest RAM and the bounds-checked accessors every host-side user of guest
 * memory goes through.
 */
#include "exec/guest-memory.h"

#include <sys/mman.h>

static uint8_t *ram;
static uint64_t ram_size;

void guest_ram_init(uint64_t size)
{
    guest_ram_free();
    /* Anonymous mapping: zeroed, and pages cost nothing until touched. */
    ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
               0);
    if (ram == MAP_FAILED) {
        ram = NULL;
        fprintf(stderr, "qemu-system-ppc64: cannot allocate %" PRIu64 " bytes of guest RAM: %s\n",
                size, strerror(errno));
        exit(1);
    }
    ram_size = size;
}

void guest_ram_free(void)
{
    if (ram) {
        munmap(ram, ram_size);
        ram = NULL;
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
    memcpy(ram + addr, buf, len);
    return true;
}

bool guest_memset(hwaddr addr, int c, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return false;
    }
    memset(ram + addr, c, len);
    return true;
}

bool guest_memmove(hwaddr dst, hwaddr src, uint64_t len)
{
    if (!guest_range_valid(dst, len) || !guest_range_valid(src, len)) {
        return false;
    }
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

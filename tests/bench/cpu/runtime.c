/*
 * Minimal bare-metal runtime of the CPU benchmark guest: spapr-vty console output,
 * RTAS calls behind H_RTAS, a flattened device tree walker and the C library bits
 * the compiler may call.
 */
#include "runtime.h"

#define H_SUCCESS 0
#define H_BUSY 1
#define H_PUT_TERM_CHAR 0x58
#define H_RTAS 0xf000
/* Not an RTAS status: marks a return value the call did not write. */
#define RTAS_NOT_RUN (-99)

/* The spapr-vty console's unit address on the VIO bus. */
#define VTY_UNIT_ADDRESS 0x71000000
/* H_PUT_TERM_CHAR carries at most 16 bytes in two registers. */
#define VTY_CHUNK 16
#define VTY_BUSY_RETRIES 1000

/* Flattened device tree (devicetree.org specification, all fields big-endian). */
#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
/* Our walk never follows a tree bigger than this. */
#define FDT_MAX_SIZE (16u << 20)

typedef struct FdtHeader {
    uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
    uint32_t version, last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
} FdtHeader;

static uint32_t rtas_power_off_token;
static uint32_t rtas_os_term_token;
static int rtas_have_os_term;

/* Big-endian guest: a u64 built from bytes is the register image H_PUT_TERM_CHAR wants. */
static uint64_t pack_be(const char *s, size_t len)
{
    uint64_t v = 0;

    for (size_t i = 0; i < 8; i++) {
        v = (v << 8) | (i < len ? (uint8_t)s[i] : 0);
    }
    return v;
}

static void vty_write(const char *s, size_t len)
{
    uint64_t hi = pack_be(s, len < 8 ? len : 8);
    uint64_t lo = len > 8 ? pack_be(s + 8, len - 8) : 0;

    for (int tries = 0; tries < VTY_BUSY_RETRIES; tries++) {
        if (cpubench_hcall(H_PUT_TERM_CHAR, VTY_UNIT_ADDRESS, len, hi, lo, 0, 0) != H_BUSY) {
            return;
        }
    }
}

void cpubench_puts(const char *s)
{
    size_t len = 0;

    while (s[len]) {
        len++;
    }
    for (size_t off = 0; off < len; off += VTY_CHUNK) {
        vty_write(s + off, len - off < VTY_CHUNK ? len - off : VTY_CHUNK);
    }
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* A node name matches when it equals want up to its unit address ("cpu@0" ~ "cpu"). */
static int node_name_matches(const char *name, const char *want)
{
    while (*want && *name == *want) {
        name++;
        want++;
    }
    return !*want && (!*name || *name == '@');
}

static uint32_t be32_at(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static size_t str_len_bounded(const uint8_t *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n]) {
        n++;
    }
    return n;
}

int cpubench_fdt_u32(const void *fdt, const char *node, const char *prop, uint32_t *val)
{
    const FdtHeader *h = fdt;
    const uint8_t *base = fdt;

    if (!fdt || h->magic != FDT_MAGIC || h->totalsize > FDT_MAX_SIZE ||
        h->off_dt_struct > h->totalsize || h->size_dt_struct > h->totalsize - h->off_dt_struct ||
        h->off_dt_strings > h->totalsize || h->size_dt_strings > h->totalsize - h->off_dt_strings) {
        return -1;
    }
    const uint8_t *p = base + h->off_dt_struct;
    const uint8_t *end = p + h->size_dt_struct;
    const char *strings = (const char *)base + h->off_dt_strings;
    int in_node = 0;

    while (p + 4 <= end) {
        uint32_t tag = be32_at(p);
        p += 4;
        if (tag == FDT_BEGIN_NODE) {
            size_t n = str_len_bounded(p, (size_t)(end - p));
            in_node = !node || node_name_matches((const char *)p, node);
            p += (n + 4) & ~(size_t)3;
        } else if (tag == FDT_PROP) {
            if (p + 8 > end) {
                return -1;
            }
            uint32_t len = be32_at(p), nameoff = be32_at(p + 4);
            p += 8;
            if (len > (size_t)(end - p) || nameoff >= h->size_dt_strings) {
                return -1;
            }
            if (in_node && len == 4 && str_eq(strings + nameoff, prop)) {
                *val = be32_at(p);
                return 0;
            }
            p += (len + 3) & ~(uint32_t)3;
        } else if (tag == FDT_END_NODE) {
            in_node = 0;
        } else if (tag != FDT_NOP) {
            break;
        }
    }
    return -1;
}

int cpubench_rtas_init(const void *fdt)
{
    rtas_have_os_term = !cpubench_fdt_u32(fdt, "rtas", "ibm,os-term", &rtas_os_term_token);
    return cpubench_fdt_u32(fdt, "rtas", "power-off", &rtas_power_off_token);
}

/* The RTAS argument block: token, nargs, nret, then the arguments and the returns. */
static uint32_t rtas_args[16] __attribute__((aligned(8)));

/* Returns the first return value, the RTAS status (0: success). */
static int32_t rtas_call(uint32_t token, uint32_t nargs, const uint32_t *args, uint32_t nret)
{
    rtas_args[0] = token;
    rtas_args[1] = nargs;
    rtas_args[2] = nret;
    for (uint32_t i = 0; i < nargs; i++) {
        rtas_args[3 + i] = args[i];
    }
    rtas_args[3 + nargs] = (uint32_t)RTAS_NOT_RUN;
    /* Real mode: the block's address is its guest physical address. */
    cpubench_hcall(H_RTAS, (uint64_t)(uintptr_t)rtas_args, 0, 0, 0, 0, 0);
    return (int32_t)rtas_args[3 + nargs];
}

int32_t cpubench_power_off(void)
{
    static const uint32_t args[2] = { 0, 0 };

    return rtas_call(rtas_power_off_token, 2, args, 1);
}

void cpubench_os_term(const char *msg)
{
    uint32_t args[1] = { (uint32_t)(uintptr_t)msg };

    if (rtas_have_os_term) {
        rtas_call(rtas_os_term_token, 1, args, 1);
    }
}

/* GCC may emit calls to these even in freestanding code. */
void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

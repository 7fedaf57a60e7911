/* Minimal flattened-device-tree reader for guest programs: walk the structure
 * block to a node by path and fetch its properties, never reading past totalsize. */
#include "guest.h"

/* Header fields (big-endian u32 at these byte offsets) and structure tokens, as in
 * the Devicetree Specification. */
#define FDT_MAGIC 0xd00dfeed
#define FDT_HDR_TOTALSIZE 4
#define FDT_HDR_OFF_STRUCT 8
#define FDT_HDR_OFF_STRINGS 12
#define FDT_HDR_SIZE_STRINGS 32
#define FDT_HDR_SIZE_STRUCT 36
#define FDT_HDR_LEN 40
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
/* Sanity bound on a device tree; QEMU's are a few KiB. */
#define FDT_MAX_SIZE (16u << 20)

uint32_t guest_be32(const void *p)
{
    const uint8_t *b = p;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

void guest_set_be32(void *p, uint32_t v)
{
    uint8_t *b = p;

    b[0] = v >> 24;
    b[1] = v >> 16;
    b[2] = v >> 8;
    b[3] = v;
}

static uint32_t hdr(const void *fdt, unsigned off)
{
    return guest_be32((const uint8_t *)fdt + off);
}

bool guest_fdt_valid(const void *fdt)
{
    uint32_t total, st, sz, str, strsz;

    if (!fdt || hdr(fdt, 0) != FDT_MAGIC) {
        return false;
    }
    total = hdr(fdt, FDT_HDR_TOTALSIZE);
    st = hdr(fdt, FDT_HDR_OFF_STRUCT);
    sz = hdr(fdt, FDT_HDR_SIZE_STRUCT);
    str = hdr(fdt, FDT_HDR_OFF_STRINGS);
    strsz = hdr(fdt, FDT_HDR_SIZE_STRINGS);
    return total >= FDT_HDR_LEN && total <= FDT_MAX_SIZE && st <= total && sz <= total - st &&
           str <= total && strsz <= total - str && (st & 3) == 0;
}

/* The structure block as [base, base + size); offsets below are relative to base. */
struct fdt_walk {
    const uint8_t *base;
    uint32_t size;
    const char *strings;
    uint32_t strings_size;
};

static void walk_init(struct fdt_walk *w, const void *fdt)
{
    w->base = (const uint8_t *)fdt + hdr(fdt, FDT_HDR_OFF_STRUCT);
    w->size = hdr(fdt, FDT_HDR_SIZE_STRUCT);
    w->strings = (const char *)fdt + hdr(fdt, FDT_HDR_OFF_STRINGS);
    w->strings_size = hdr(fdt, FDT_HDR_SIZE_STRINGS);
}

/* Token at @off, or FDT_END when it would not fit. */
static uint32_t token(const struct fdt_walk *w, uint32_t off)
{
    if (off > w->size || w->size - off < 4) {
        return FDT_END;
    }
    return guest_be32(w->base + off);
}

/* Length of the NUL-terminated string at @off, or -1 when unterminated in bounds. */
static int bounded_strlen(const uint8_t *base, uint32_t size, uint32_t off)
{
    for (uint32_t i = off; i < size; i++) {
        if (base[i] == 0) {
            return (int)(i - off);
        }
    }
    return -1;
}

/*
 * Offset of the token following the one at @off (which must be BEGIN_NODE, PROP
 * or NOP/END_NODE), or 0 when the element is malformed.
 */
static uint32_t next_token(const struct fdt_walk *w, uint32_t off)
{
    uint32_t t = token(w, off), len;
    int n;

    switch (t) {
    case FDT_BEGIN_NODE:
        n = bounded_strlen(w->base, w->size, off + 4);
        return n < 0 ? 0 : (off + 4 + n + 1 + 3) & ~3u;
    case FDT_PROP:
        if (w->size - off < 12) {
            return 0;
        }
        len = guest_be32(w->base + off + 4);
        if (len > w->size - off - 12) {
            return 0;
        }
        return (off + 12 + len + 3) & ~3u;
    case FDT_NOP:
    case FDT_END_NODE:
        return off + 4;
    default:
        return 0;
    }
}

/* Does the node name at @name match path component [comp, comp + n)? A component
 * without '@' also matches a name with a unit address ("cpus" vs "cpus@0"). */
static bool name_matches(const char *name, const char *comp, int n)
{
    for (int i = 0; i < n; i++) {
        if (name[i] != comp[i]) {
            return false;
        }
    }
    return name[n] == 0 || name[n] == '@';
}

/* Find child @comp (length @n) of the node whose BEGIN_NODE is at @node. */
static int find_child(const struct fdt_walk *w, uint32_t node, const char *comp, int n)
{
    uint32_t off = next_token(w, node);
    int depth = 0;

    while (off) {
        uint32_t t = token(w, off);

        if (t == FDT_BEGIN_NODE) {
            if (depth == 0 && name_matches((const char *)w->base + off + 4, comp, n)) {
                return (int)off;
            }
            depth++;
        } else if (t == FDT_END_NODE) {
            if (depth-- == 0) {
                return -1;
            }
        } else if (t == FDT_END) {
            return -1;
        }
        off = next_token(w, off);
    }
    return -1;
}

int guest_fdt_node(const void *fdt, const char *path)
{
    struct fdt_walk w;
    int node = 0;

    if (!guest_fdt_valid(fdt) || path[0] != '/') {
        return -1;
    }
    walk_init(&w, fdt);
    if (token(&w, 0) != FDT_BEGIN_NODE) {
        return -1;
    }
    while (*path) {
        int n = 0;

        while (*path == '/') {
            path++;
        }
        while (path[n] && path[n] != '/') {
            n++;
        }
        if (n == 0) {
            break;
        }
        node = find_child(&w, node, path, n);
        if (node < 0) {
            return -1;
        }
        path += n;
    }
    return node;
}

const void *guest_fdt_prop(const void *fdt, int node, const char *name, uint32_t *len)
{
    struct fdt_walk w;
    uint32_t off;

    if (node < 0 || !guest_fdt_valid(fdt)) {
        return NULL;
    }
    walk_init(&w, fdt);
    if (token(&w, node) != FDT_BEGIN_NODE) {
        return NULL;
    }
    /* Properties come before the node's first child. */
    for (off = next_token(&w, node); off; off = next_token(&w, off)) {
        uint32_t t = token(&w, off), nameoff;

        if (t == FDT_NOP) {
            continue;
        }
        if (t != FDT_PROP) {
            return NULL;
        }
        nameoff = guest_be32(w.base + off + 8);
        if (nameoff < w.strings_size &&
            bounded_strlen((const uint8_t *)w.strings, w.strings_size, nameoff) >= 0 &&
            strcmp(w.strings + nameoff, name) == 0) {
            if (len) {
                *len = guest_be32(w.base + off + 4);
            }
            return w.base + off + 12;
        }
    }
    return NULL;
}

bool guest_fdt_u32(const void *fdt, const char *path, const char *name, uint32_t *val)
{
    uint32_t len;
    const void *p = guest_fdt_prop(fdt, guest_fdt_node(fdt, path), name, &len);

    if (!p || len != 4) {
        return false;
    }
    *val = guest_be32(p);
    return true;
}

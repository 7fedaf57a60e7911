/*
 * Big-endian field packing for the migration stream's sections: writers
 * append to a GByteArray, readers consume a bounded buffer and remember the
 * first overrun (every read after it yields 0), so a section is checked once.
 */
#ifndef MIGRATION_VMBUF_H
#define MIGRATION_VMBUF_H

#include "qemu/osdep.h"

static inline void vmbuf_put_u8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static inline void vmbuf_put_be32(GByteArray *b, uint32_t v)
{
    uint32_t be = GUINT32_TO_BE(v);

    g_byte_array_append(b, (const guint8 *)&be, 4);
}

static inline void vmbuf_put_be64(GByteArray *b, uint64_t v)
{
    uint64_t be = GUINT64_TO_BE(v);

    g_byte_array_append(b, (const guint8 *)&be, 8);
}

/* A length-prefixed (be32) blob. */
static inline void vmbuf_put_blob(GByteArray *b, const void *data, uint32_t len)
{
    vmbuf_put_be32(b, len);
    g_byte_array_append(b, data, len);
}

typedef struct VMBufReader {
    const uint8_t *data;
    size_t len;
    size_t pos;
    bool overrun; /* a read went past the end */
} VMBufReader;

static inline void vmbuf_reader_init(VMBufReader *r, const uint8_t *data, size_t len)
{
    *r = (VMBufReader){ .data = data, .len = len };
}

/* The next n bytes, or NULL (and overrun) when fewer are left. */
static inline const uint8_t *vmbuf_take(VMBufReader *r, size_t n)
{
    const uint8_t *p;

    if (r->overrun || n > r->len - r->pos) {
        r->overrun = true;
        return NULL;
    }
    p = r->data + r->pos;
    r->pos += n;
    return p;
}

static inline uint8_t vmbuf_get_u8(VMBufReader *r)
{
    const uint8_t *p = vmbuf_take(r, 1);

    return p ? *p : 0;
}

static inline uint32_t vmbuf_get_be32(VMBufReader *r)
{
    const uint8_t *p = vmbuf_take(r, 4);

    return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

static inline uint64_t vmbuf_get_be64(VMBufReader *r)
{
    uint64_t hi = vmbuf_get_be32(r);

    return hi << 32 | vmbuf_get_be32(r);
}

/* A length-prefixed blob: its bytes (NULL on overrun) and length. */
static inline const uint8_t *vmbuf_get_blob(VMBufReader *r, uint32_t *len)
{
    *len = vmbuf_get_be32(r);
    return vmbuf_take(r, *len);
}

/* Everything read, nothing left over. */
static inline bool vmbuf_reader_done(const VMBufReader *r)
{
    return !r->overrun && r->pos == r->len;
}

#endif

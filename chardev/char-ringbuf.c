/*
 * The ringbuf and memory chardev backends: what the frontend writes is kept
 * in a ring of size= bytes (a power of two; the oldest bytes go when it is
 * full), read back with QMP ringbuf-read, filled with ringbuf-write.
 */
#include "chardev/char-internal.h"
#include "qemu/module.h"

/* QEMU's default ring: 64 KiB. */
#define RINGBUF_DEFAULT_SIZE 65536

typedef struct RingbufChardev {
    Chardev parent;
    uint8_t *buf;
    size_t size;
    /* Free-running counters: prod - cons bytes are waiting, at most size. */
    uint64_t prod;
    uint64_t cons;
} RingbufChardev;

static const char *const ringbuf_keys[] = { "size", NULL };

static bool ringbuf_check(QemuOpts *opts, char **err)
{
    uint64_t size;

    return qemu_opt_get_size(opts, "size", 0, &size, err);
}

static bool ringbuf_open(Chardev *chr, QemuOpts *opts, char **err)
{
    RingbufChardev *r = (RingbufChardev *)chr;
    uint64_t size;

    if (!ringbuf_check(opts, err)) {
        return false;
    }
    qemu_opt_get_size(opts, "size", 0, &size, err);
    /* size=0 on the command line is the default, as in QEMU. */
    if (size == 0) {
        size = RINGBUF_DEFAULT_SIZE;
    }
    /* A ring too big to allocate is refused the same way as a bad size. */
    if ((size & (size - 1)) || size > (1u << 30)) {
        *err = g_strdup("size of ringbuf chardev must be power of two");
        return false;
    }
    r->size = size;
    r->buf = g_malloc0(size);
    chr->be_open = true;
    return true;
}

static int ringbuf_write(Chardev *chr, const uint8_t *buf, int len)
{
    RingbufChardev *r = (RingbufChardev *)chr;

    for (int i = 0; i < len; i++) {
        r->buf[r->prod++ & (r->size - 1)] = buf[i];
        if (r->prod - r->cons > r->size) {
            r->cons = r->prod - r->size;
        }
    }
    return len;
}

static void ringbuf_close(Chardev *chr)
{
    g_free(((RingbufChardev *)chr)->buf);
}

static const ChardevOps ringbuf_ops = {
    .name = "ringbuf",
    .keys = ringbuf_keys,
    .size = sizeof(RingbufChardev),
    .check = ringbuf_check,
    .open = ringbuf_open,
    .write = ringbuf_write,
    .close = ringbuf_close,
};

/* "memory" is the same ring under its older name (query-chardev says "memory"). */
static const ChardevOps memory_ops = {
    .name = "memory",
    .keys = ringbuf_keys,
    .size = sizeof(RingbufChardev),
    .check = ringbuf_check,
    .open = ringbuf_open,
    .write = ringbuf_write,
    .close = ringbuf_close,
};

bool chr_is_ringbuf(Chardev *chr)
{
    return chr->ops == &ringbuf_ops || chr->ops == &memory_ops;
}

int chr_ringbuf_write(Chardev *chr, const uint8_t *buf, int len)
{
    return ringbuf_write(chr, buf, len);
}

uint8_t *chr_ringbuf_take(Chardev *chr, uint64_t max, size_t *len)
{
    RingbufChardev *r = (RingbufChardev *)chr;
    size_t n = MIN(max, r->prod - r->cons);
    uint8_t *buf = g_malloc(n + 1);

    for (size_t i = 0; i < n; i++) {
        buf[i] = r->buf[r->cons++ & (r->size - 1)];
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static void chardev_ringbuf_init(void)
{
    chr_register_backend(&ringbuf_ops);
    chr_register_backend(&memory_ops);
}

module_init(chardev_ringbuf_init)

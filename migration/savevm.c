/*
 * The migration stream's writer and reader: a header, sections for RAM, the
 * machine, each CPU and each device, and an end marker with a CRC-32.
 * Layout: docs/specs/migration-stream.rst.
 */
#include "migration/migration.h"
#ifdef CONFIG_KVM
#include "sysemu/kvm-ppc.h"
#endif
#include "block/block-backend.h"
#include "block/block.h"
#include "exec/guest-memory.h"
#include "hw/qdev-core.h"
#include "migration/vmbuf.h"
#include "sysemu/cpus.h"

#include <zlib.h>

#define MIG_MAGIC "QSPAPRMG"
#define MIG_VERSION 1

#define SEC_RAM 0x52414d20u  /* "RAM " */
#define SEC_MACH 0x4d414348u /* "MACH" */
#define SEC_MITR 0x4d495452u /* "MITR": a pre-copy part of the machine's state */
#define SEC_CPU 0x43505520u  /* "CPU " */
#define SEC_DEV 0x44455620u  /* "DEV " */
#define SEC_END 0x454e4420u  /* "END " */
#define SEC_RUNS 0x52554e53u /* "RUNS": the run state when the VM stopped for the end */
#define SEC_BLK 0x424c4b20u  /* "BLK ": a chunk of a disk (block migration) */

#define MIG_PAGE 4096u
#define RAM_CHUNK_PAGES 1024u
/* Upper bounds a reader puts on section lengths before allocating. */
#define MAX_RAM_SECTION (12 + RAM_CHUNK_PAGES + (uint64_t)RAM_CHUNK_PAGES * MIG_PAGE)
#define MAX_CPU_SECTION (64 * 1024)
#define MAX_DEV_SECTION (64 * 1024 * 1024)
#define MAX_MACH_SECTION (16 * 1024 * 1024)
#define MAX_MITR_SECTION (64 * 1024 * 1024)
#define MAX_TYPE_LEN 256
#define MAX_BLK_NAME 256
#define MAX_BLK_SECTION (4 + MAX_BLK_NAME + 8 + 4 + 1 + (uint64_t)MIG_BLOCK_CHUNK)

/* ---- Writing ------------------------------------------------------------ */

void mig_writer_init(MigWriter *w, MigChannel *ch, GByteArray *buf)
{
    *w = (MigWriter){ .ch = ch, .buf = buf, .crc = crc32(0, NULL, 0) };
}

static void w_bytes(MigWriter *w, const void *buf, size_t len)
{
    if (w->err) {
        return;
    }
    if (w->buf) {
        g_byte_array_append(w->buf, buf, len);
    } else if (!mig_channel_write(w->ch, buf, len, &w->err)) {
        return;
    }
    w->crc = crc32(w->crc, buf, len);
    w->bytes += len;
}

void mig_writer_put(MigWriter *w, const void *buf, size_t len)
{
    w_bytes(w, buf, len);
}

static void w_section(MigWriter *w, uint32_t tag, const GByteArray *payload)
{
    g_autoptr(GByteArray) head = g_byte_array_new();

    vmbuf_put_be32(head, tag);
    vmbuf_put_be64(head, payload->len);
    w_bytes(w, head->data, head->len);
    w_bytes(w, payload->data, payload->len);
}

static bool page_is_zero(const uint8_t *p)
{
    static const uint8_t zero[MIG_PAGE];

    return !memcmp(p, zero, MIG_PAGE);
}

static bool test_bit(const unsigned long *map, uint64_t bit)
{
    return (map[bit / (8 * sizeof(long))] >> (bit % (8 * sizeof(long)))) & 1;
}

void mig_save_ram_chunk(MigWriter *w, uint64_t first, uint32_t n, const unsigned long *read,
                        uint64_t stats[2])
{
    uint64_t addr = first * MIG_PAGE;
    const uint8_t *host = guest_ram_ptr(addr, (uint64_t)n * MIG_PAGE);
    g_autoptr(GByteArray) sec = g_byte_array_new();

    vmbuf_put_be64(sec, addr);
    vmbuf_put_be32(sec, n);
    for (uint32_t i = 0; i < n; i++) {
        /* A page never written is zero: it is not even read. */
        bool zero = !test_bit(read, first + i) || page_is_zero(host + (size_t)i * MIG_PAGE);

        vmbuf_put_u8(sec, zero ? 0 : 1);
        stats[zero ? 0 : 1]++;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (sec->data[12 + i]) {
            g_byte_array_append(sec, host + (size_t)i * MIG_PAGE, MIG_PAGE);
        }
    }
    w_section(w, SEC_RAM, sec);
}

void mig_save_block_chunk(MigWriter *w, const char *drive, uint64_t offset, const uint8_t *data,
                          uint32_t len)
{
    g_autoptr(GByteArray) sec = g_byte_array_new();
    bool zero = true;

    for (uint32_t i = 0; i < len && zero; i++) {
        zero = !data[i];
    }
    vmbuf_put_blob(sec, drive, strlen(drive));
    vmbuf_put_be64(sec, offset);
    vmbuf_put_be32(sec, len);
    vmbuf_put_u8(sec, zero ? 0 : 1);
    if (!zero) {
        g_byte_array_append(sec, data, len);
    }
    w_section(w, SEC_BLK, sec);
}

/* All of RAM in chunks of RAM_CHUNK_PAGES, reading only the pages ever written. */
static void save_ram(MigWriter *w, uint64_t stats[2])
{
    uint64_t npages = guest_ram_size() / MIG_PAGE;
    g_autofree unsigned long *written = g_new0(unsigned long, npages / (8 * sizeof(long)) + 1);

    guest_ram_dirty_sync(written, npages, true);
    for (uint64_t page = 0; page < npages && !w->err; page += RAM_CHUNK_PAGES) {
        mig_save_ram_chunk(w, page, MIN(RAM_CHUNK_PAGES, npages - page), written, stats);
    }
}

typedef struct DevCtx {
    MigWriter *w;
    Error **errp;
    bool blocked;
} DevCtx;

static const VMStateDescription *dev_vmsd(const DeviceState *dev)
{
    const DeviceClass *cls = dev->cls;

    while (cls && !cls->vmsd) {
        cls = cls->parent;
    }
    return cls ? cls->vmsd : NULL;
}

static void check_one(DeviceState *dev, void *opaque)
{
    DevCtx *ctx = opaque;

    if (!ctx->blocked && !dev_vmsd(dev)) {
        /* QEMU 7.2's wording for a device that cannot be migrated. */
        error_setg(ctx->errp, "State blocked by non-migratable device '%s'",
                   dev->id ? dev->id : dev->cls->name);
        ctx->blocked = true;
    }
}

static void list_one(DeviceState *dev, void *opaque)
{
    if (!dev_vmsd(dev)) {
        g_ptr_array_add(opaque, g_strdup_printf("non-migratable device: %s",
                                                dev->id ? dev->id : dev->cls->name));
    }
}

GPtrArray *migration_blocked_reasons(void)
{
    GPtrArray *reasons = g_ptr_array_new_with_free_func(g_free);

    qdev_foreach(list_one, reasons);
    return reasons;
}

bool migration_check_blockers(Error **errp)
{
    DevCtx ctx = { .errp = errp };

    qdev_foreach(check_one, &ctx);
    return !ctx.blocked;
}

static void save_dev(DeviceState *dev, void *opaque)
{
    DevCtx *ctx = opaque;
    const VMStateDescription *vmsd = dev_vmsd(dev);
    g_autoptr(GByteArray) sec = g_byte_array_new();
    g_autoptr(GByteArray) state = NULL;

    if (!vmsd || ctx->w->err) {
        return;
    }
    state = qdev_state_save(dev);
    vmbuf_put_blob(sec, dev->path, strlen(dev->path));
    vmbuf_put_blob(sec, vmsd->name, strlen(vmsd->name));
    vmbuf_put_be32(sec, vmsd->version_id);
    g_byte_array_append(sec, state->data, state->len);
    w_section(ctx->w, SEC_DEV, sec);
}

bool mig_save_state_check(MachineState *m, Error **errp)
{
    if (!m->ops->state_save || !m->ops->cpu_state_save) {
        error_setg(errp, "machine '%s' cannot be migrated", m->type);
        return false;
    }
#ifdef CONFIG_KVM
    {
        g_autofree char *why = NULL;

        if (!kvm_ppc_migration_allowed(&why)) {
            error_setg(errp, "%s", why);
            return false;
        }
    }
#endif
    return migration_check_blockers(errp);
}

void mig_save_header(MigWriter *w, MachineState *m, RunState state)
{
    g_autoptr(GByteArray) head = g_byte_array_new();

    g_byte_array_append(head, (const guint8 *)MIG_MAGIC, 8);
    vmbuf_put_be32(head, MIG_VERSION);
    vmbuf_put_blob(head, m->type, strlen(m->type));
    vmbuf_put_be64(head, guest_ram_size());
    vmbuf_put_be32(head, m->ops->cpu_count(m));
    vmbuf_put_be32(head, state);
    w_bytes(w, head->data, head->len);
}

void mig_save_machine_part(MigWriter *w, const GByteArray *part)
{
    w_section(w, SEC_MITR, part);
}

bool mig_save_state(MigWriter *w, MachineState *m, RunState state, Error **errp)
{
    g_autoptr(GByteArray) runs = g_byte_array_new();
    g_autoptr(GByteArray) mach = g_byte_array_new();
    DevCtx ctx = { .w = w, .errp = errp };
    unsigned ncpu = m->ops->cpu_count(m);
    bool more = m->ops->state_iter_save != NULL;

    if (!mig_save_state_check(m, errp)) {
        return false;
    }
    vmbuf_put_be32(runs, state);
    w_section(w, SEC_RUNS, runs);
    /* What changed of the machine's tables since the pre-copy parts sent them. */
    while (more && !w->err) {
        g_autoptr(GByteArray) part = g_byte_array_new();

        more = m->ops->state_iter_save(m, part, MIG_MACHINE_PART_MAX);
        if (part->len) {
            w_section(w, SEC_MITR, part);
        }
    }
    /* Under KVM: each vCPU's registers from the kernel (parked vCPUs already have them). */
    cpu_synchronize_all_states();
    m->ops->state_save(m, mach);
    w_section(w, SEC_MACH, mach);
    for (unsigned i = 0; i < ncpu && !w->err; i++) {
        g_autoptr(GByteArray) sec = g_byte_array_new();

        vmbuf_put_be32(sec, i);
        m->ops->cpu_state_save(m, i, sec);
        w_section(w, SEC_CPU, sec);
    }
    qdev_foreach(save_dev, &ctx);
    return true;
}

static void size_dev(DeviceState *dev, void *opaque)
{
    g_autoptr(GByteArray) state = NULL;

    if (dev_vmsd(dev)) {
        state = qdev_state_save(dev);
        *(uint64_t *)opaque +=
            12 + 2 * 8 + strlen(dev->path) + strlen(dev_vmsd(dev)->name) + state->len;
    }
}

uint64_t mig_state_size_estimate(MachineState *m)
{
    g_autoptr(GByteArray) mach = g_byte_array_new();
    uint64_t bytes;

    m->ops->state_save(m, mach);
    bytes = 12 + mach->len + (uint64_t)m->ops->cpu_count(m) * MIG_CPU_STATE_ESTIMATE;
    qdev_foreach(size_dev, &bytes);
    return bytes;
}

bool mig_save_end(MigWriter *w, Error **errp)
{
    /* The CRC covers everything before it, the END tag and length included. */
    g_autoptr(GByteArray) end = g_byte_array_new();
    uint32_t crc;

    vmbuf_put_be32(end, SEC_END);
    vmbuf_put_be64(end, 4);
    w_bytes(w, end->data, end->len);
    crc = (uint32_t)w->crc;
    g_byte_array_set_size(end, 0);
    vmbuf_put_be32(end, crc);
    w_bytes(w, end->data, end->len);
    if (w->err) {
        error_propagate(errp, w->err);
        w->err = NULL;
        return false;
    }
    return true;
}

bool migration_save_stream(MachineState *m, MigChannel *ch, RunState state, uint64_t ram_stats[2],
                           uint64_t *bytes, Error **errp)
{
    MigWriter w;
    bool ok;

    mig_writer_init(&w, ch, NULL);
    if (!mig_save_state_check(m, errp)) {
        return false;
    }
    mig_save_header(&w, m, state);
    save_ram(&w, ram_stats);
    if (m->ops->state_iter_begin) {
        m->ops->state_iter_begin(m);
    }
    if (!mig_save_state(&w, m, state, errp)) {
        return false;
    }
    ok = mig_save_end(&w, errp);
    *bytes = w.bytes;
    return ok;
}

/* ---- Reading ------------------------------------------------------------ */

static uint32_t ld_be32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_BE(v);
}

static uint64_t ld_be64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

typedef struct Reader {
    MigChannel *ch;
    uLong crc;
    uint64_t offset;
} Reader;

static bool r_bytes(Reader *r, void *buf, size_t len, const char *what, Error **errp)
{
    ssize_t n = mig_channel_read(r->ch, buf, len);

    if (n < 0) {
        error_setg(errp, "read error at offset %" PRIu64 ": %s", r->offset, g_strerror(errno));
        return false;
    }
    if ((size_t)n < len) {
        error_setg(errp, "stream truncated at offset %" PRIu64 " (in %s)", r->offset + n, what);
        return false;
    }
    r->crc = crc32(r->crc, buf, len);
    r->offset += len;
    return true;
}

static bool load_ram(const uint8_t *p, size_t len, Error **errp)
{
    VMBufReader r;
    uint64_t addr;
    uint32_t n, data_pages = 0;
    const uint8_t *flags;

    vmbuf_reader_init(&r, p, len);
    addr = vmbuf_get_be64(&r);
    n = vmbuf_get_be32(&r);
    if (r.overrun || n == 0 || n > RAM_CHUNK_PAGES || addr % MIG_PAGE ||
        !guest_range_valid(addr, (uint64_t)n * MIG_PAGE) ||
        addr + (uint64_t)n * MIG_PAGE > guest_ram_size()) {
        error_setg(errp, "RAM section for %u pages at 0x%" PRIx64 " is outside RAM", n, addr);
        return false;
    }
    flags = vmbuf_take(&r, n);
    for (uint32_t i = 0; flags && i < n; i++) {
        if (flags[i] > 1) {
            error_setg(errp, "RAM section at 0x%" PRIx64 ": bad page flag %u", addr, flags[i]);
            return false;
        }
        data_pages += flags[i];
    }
    if (!flags || len != 12 + n + (size_t)data_pages * MIG_PAGE) {
        error_setg(errp, "RAM section at 0x%" PRIx64 " has %zu bytes, not what its flags say", addr,
                   len);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        hwaddr a = addr + (uint64_t)i * MIG_PAGE;

        if (flags[i]) {
            guest_write(a, vmbuf_take(&r, MIG_PAGE), MIG_PAGE);
        } else if (guest_ram_page_written(a) && !page_is_zero(guest_ram_ptr(a, MIG_PAGE))) {
            /* Only pages that hold something: untouched RAM is not even read. */
            guest_memset(a, 0, MIG_PAGE);
        }
    }
    return true;
}

/* A disk chunk goes into the drive of the same name, at once (block migration). */
static bool load_blk(const uint8_t *p, size_t len, Error **errp)
{
    VMBufReader r;
    uint32_t nlen, dlen;
    const uint8_t *name_b = NULL, *data = NULL;
    g_autofree char *name = NULL;
    uint64_t offset;
    uint8_t flag;
    BlockBackend *blk;
    int64_t size;
    int ret;

    vmbuf_reader_init(&r, p, len);
    name_b = vmbuf_get_blob(&r, &nlen);
    offset = vmbuf_get_be64(&r);
    dlen = vmbuf_get_be32(&r);
    flag = vmbuf_get_u8(&r);
    if (flag == 1) {
        data = vmbuf_take(&r, dlen);
    }
    if (!name_b || nlen >= MAX_BLK_NAME || memchr(name_b, 0, nlen) || flag > 1 || !dlen ||
        dlen > MIG_BLOCK_CHUNK || !vmbuf_reader_done(&r)) {
        error_setg(errp, "malformed block section (%zu bytes)", len);
        return false;
    }
    name = g_strndup((const char *)name_b, nlen);
    blk = blk_by_name(name);
    if (!nlen) {
        /* QEMU 7.2 sends such a drive under no name too, and its destination refuses it */
        error_setg(errp, "block migration: the stream has data for a drive with no name (a "
                         "-blockdev node under a device, with no -drive id), which cannot be "
                         "matched with a drive of this machine");
        return false;
    }
    if (!blk || !blk_bs(blk)) {
        error_setg(errp,
                   "block migration: the stream has data for drive '%s', which this "
                   "machine does not have",
                   name);
        return false;
    }
    size = blk_getlength(blk);
    if (size < 0 || offset > (uint64_t)size || dlen > (uint64_t)size - offset) {
        error_setg(errp,
                   "block migration: %u bytes at %" PRIu64 " are outside drive '%s' (%" PRId64
                   " bytes): the destination's image must have the source's size",
                   dlen, offset, name, size);
        return false;
    }
    ret = data ? bdrv_pwrite(blk_bs(blk), offset, data, dlen)
               : bdrv_pwrite_zeroes(blk_bs(blk), offset, dlen);
    if (ret < 0) {
        error_setg(errp, "block migration: writing drive '%s' at %" PRIu64 ": %s", name, offset,
                   g_strerror(-ret));
        return false;
    }
    return true;
}

static bool load_dev(const uint8_t *p, size_t len, GHashTable *seen, Error **errp)
{
    VMBufReader r;
    uint32_t plen, nlen, version;
    const uint8_t *path_b, *name_b;
    g_autofree char *path = NULL, *name = NULL;
    DeviceState *dev;
    const VMStateDescription *vmsd;
    Error *err = NULL;

    vmbuf_reader_init(&r, p, len);
    path_b = vmbuf_get_blob(&r, &plen);
    name_b = vmbuf_get_blob(&r, &nlen);
    version = vmbuf_get_be32(&r);
    if (r.overrun || plen > 1024 || nlen > 256) {
        error_setg(errp, "device section of %zu bytes is malformed", len);
        return false;
    }
    path = g_strndup((const char *)path_b, plen);
    name = g_strndup((const char *)name_b, nlen);
    dev = qdev_find_by_path(path);
    vmsd = dev ? dev_vmsd(dev) : NULL;
    if (!vmsd) {
        error_setg(errp, "device '%s' of the stream does not exist here", path);
        return false;
    }
    if (strcmp(vmsd->name, name) || (int)version != vmsd->version_id) {
        error_setg(errp, "device '%s' is '%s' version %u in the stream, '%s' version %d here", path,
                   name, version, vmsd->name, vmsd->version_id);
        return false;
    }
    if (g_hash_table_contains(seen, dev)) {
        error_setg(errp, "device '%s' appears twice in the stream", path);
        return false;
    }
    if (!qdev_state_load(dev, p + r.pos, len - r.pos, &err)) {
        error_setg(errp, "device '%s': %s", path, error_get_pretty(err));
        error_free(err);
        return false;
    }
    g_hash_table_add(seen, dev);
    return true;
}

typedef struct MissingCtx {
    GHashTable *seen;
    const char *missing;
} MissingCtx;

static void find_missing(DeviceState *dev, void *opaque)
{
    MissingCtx *ctx = opaque;

    if (!ctx->missing && dev_vmsd(dev) && !g_hash_table_contains(ctx->seen, dev)) {
        ctx->missing = dev->path;
    }
}

static bool load_header(MachineState *m, Reader *r, uint32_t *ncpu, RunState *state, Error **errp)
{
    uint8_t fixed[16], len_be[4], size_be[16];
    uint32_t tlen;
    uint64_t ram;
    char type[MAX_TYPE_LEN + 1];

    if (!r_bytes(r, fixed, 12, "header", errp)) {
        return false;
    }
    if (memcmp(fixed, MIG_MAGIC, 8)) {
        error_setg(errp, "not a migration stream (bad magic)");
        return false;
    }
    if (ld_be32((fixed + 8)) != MIG_VERSION) {
        error_setg(errp, "stream version %u, this program reads version %u", ld_be32((fixed + 8)),
                   MIG_VERSION);
        return false;
    }
    if (!r_bytes(r, len_be, 4, "header", errp)) {
        return false;
    }
    tlen = ld_be32(len_be);
    if (tlen == 0 || tlen > MAX_TYPE_LEN) {
        error_setg(errp, "machine type name of %u bytes in the header", tlen);
        return false;
    }
    if (!r_bytes(r, type, tlen, "header", errp)) {
        return false;
    }
    type[tlen] = 0;
    if (strcmp(type, m->type)) {
        error_setg(errp, "stream is for machine '%s', this machine is '%s'", type, m->type);
        return false;
    }
    if (!r_bytes(r, size_be, 16, "header", errp)) {
        return false;
    }
    ram = ld_be64(size_be);
    if (ram != guest_ram_size()) {
        error_setg(errp, "stream has %" PRIu64 " bytes of RAM, this machine %" PRIu64, ram,
                   guest_ram_size());
        return false;
    }
    *ncpu = ld_be32((size_be + 8));
    if (*ncpu != m->ops->cpu_count(m)) {
        error_setg(errp, "stream has %u CPUs, this machine %u", *ncpu, m->ops->cpu_count(m));
        return false;
    }
    *state = ld_be32(size_be + 12);
    if (!runstate_valid(*state)) {
        error_setg(errp, "stream has an unknown run state %u", *state);
        return false;
    }
    return true;
}

static uint64_t section_limit(uint32_t tag)
{
    switch (tag) {
    case SEC_RAM:
        return MAX_RAM_SECTION;
    case SEC_MACH:
        return MAX_MACH_SECTION;
    case SEC_MITR:
        return MAX_MITR_SECTION;
    case SEC_BLK:
        return MAX_BLK_SECTION;
    case SEC_CPU:
        return MAX_CPU_SECTION;
    case SEC_DEV:
        return MAX_DEV_SECTION;
    case SEC_END:
    case SEC_RUNS:
        return 4;
    }
    return 0;
}

/* A section whose loading waits for the end of the stream (mig_read_stream). */
typedef struct Deferred {
    uint32_t tag;
    uint64_t at;
    uint64_t len;
    uint8_t *buf;
} Deferred;

static void deferred_free(gpointer p)
{
    Deferred *d = p;

    g_free(d->buf);
    g_free(d);
}

bool mig_read_stream(MachineState *m, MigChannel *ch, RunState *state, GPtrArray **deferred,
                     Error **errp)
{
    Reader r = { .ch = ch, .crc = crc32(0, NULL, 0) };
    uint32_t ncpu;

    *deferred = g_ptr_array_new_with_free_func(deferred_free);
    if (!load_header(m, &r, &ncpu, state, errp)) {
        return false;
    }
    for (;;) {
        uint8_t head[12];
        uint32_t tag;
        uint64_t len, at = r.offset;
        g_autofree uint8_t *buf = NULL;
        uLong crc;

        if (!r_bytes(&r, head, 12, "section header", errp)) {
            return false;
        }
        tag = ld_be32(head);
        len = ld_be64((head + 4));
        if (!section_limit(tag) || (tag == SEC_MITR && !m->ops->state_iter_load)) {
            error_setg(errp, "unknown section 0x%08x at offset %" PRIu64, tag, at);
            return false;
        }
        if (len > section_limit(tag) || ((tag == SEC_END || tag == SEC_RUNS) && len != 4)) {
            error_setg(errp, "section 0x%08x at offset %" PRIu64 " has a bad length %" PRIu64, tag,
                       at, len);
            return false;
        }
        crc = r.crc;
        buf = g_try_malloc(MAX(len, 1));
        if (!buf) {
            error_setg(errp, "cannot allocate %" PRIu64 " bytes for the section at offset %" PRIu64,
                       len, at);
            return false;
        }
        if (!r_bytes(&r, buf, len, "section", errp)) {
            return false;
        }
        if (tag == SEC_END) {
            if (ld_be32(buf) != (uint32_t)crc) {
                error_setg(errp, "checksum mismatch (stream corrupted)");
                return false;
            }
            return true;
        }
        if (tag == SEC_RUNS) {
            /* The destination follows the source's state at the stop, not at migrate. */
            *state = ld_be32(buf);
            if (!runstate_valid(*state)) {
                error_setg(errp, "stream has an unknown run state %u", *state);
                return false;
            }
        } else if (tag == SEC_RAM) {
            /* RAM goes in at once (the VM is stopped); the rest at the end. */
            if (!load_ram(buf, len, errp)) {
                return false;
            }
        } else if (tag == SEC_BLK) {
            /* Disk chunks too: a later one for the same range overwrites it. */
            if (!load_blk(buf, len, errp)) {
                return false;
            }
        } else if (tag == SEC_MITR) {
            /* The machine keeps its parts aside until its MACH section. */
            if (!m->ops->state_iter_load(m, buf, len, errp)) {
                return false;
            }
        } else {
            Deferred *d = g_new(Deferred, 1);

            *d = (Deferred){ .tag = tag, .at = at, .len = len, .buf = g_steal_pointer(&buf) };
            g_ptr_array_add(*deferred, d);
        }
    }
}

bool mig_apply_sections(MachineState *m, GPtrArray *deferred, Error **errp)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    uint32_t ncpu = m->ops->cpu_count(m);
    g_autofree bool *cpu_seen = g_new0(bool, MAX(ncpu, 1));
    bool mach_seen = false;
    MissingCtx missing = { .seen = seen };

    for (guint k = 0; k < deferred->len; k++) {
        Deferred *d = g_ptr_array_index(deferred, k);
        bool ok = true;

        switch (d->tag) {
        case SEC_MACH:
            ok = !mach_seen && m->ops->state_load(m, d->buf, d->len, errp);
            if (mach_seen) {
                error_setg(errp, "two machine sections in the stream");
            }
            mach_seen = true;
            break;
        case SEC_CPU: {
            uint32_t i = d->len >= 4 ? ld_be32(d->buf) : UINT32_MAX;

            if (i >= ncpu || cpu_seen[i]) {
                error_setg(errp, "CPU section at offset %" PRIu64 " names CPU %d", d->at, (int)i);
                return false;
            }
            ok = m->ops->cpu_state_load(m, i, d->buf + 4, d->len - 4, errp);
            cpu_seen[i] = true;
            break;
        }
        case SEC_DEV:
            ok = load_dev(d->buf, d->len, seen, errp);
            break;
        }
        if (!ok) {
            return false;
        }
    }
    if (!mach_seen) {
        error_setg(errp, "stream has no machine section");
        return false;
    }
    for (uint32_t i = 0; i < ncpu; i++) {
        if (!cpu_seen[i]) {
            error_setg(errp, "stream has no state for CPU %u", i);
            return false;
        }
    }
    qdev_foreach(find_missing, &missing);
    if (missing.missing) {
        error_setg(errp, "stream has no state for device '%s'", missing.missing);
        return false;
    }
    /* Under KVM: every vCPU's loaded registers go to the kernel before it enters. */
    cpu_synchronize_all_post_init();
    return true;
}

bool migration_load_stream(MachineState *m, MigChannel *ch, RunState *state, Error **errp)
{
    g_autoptr(GPtrArray) deferred = NULL;

    return mig_read_stream(m, ch, state, &deferred, errp) && mig_apply_sections(m, deferred, errp);
}

/*
 * The migration stream (migration/savevm.c) on a hand-built pseries machine:
 * a save/load round trip restores RAM, CPU and machine state; truncated,
 * bit-flipped and mismatched streams are refused with an error, never a crash.
 */
#include "spapr-test-machine.h"
#include "block/block-backend.h"
#include "block/block.h"
#include "hw/qdev-core.h"
#include "migration/migration.h"
#include "qemu/main-loop.h"
#include "target/ppc/internal.h"

#define RAM (16 * MiB)

static SpaprMachineState *mk(void)
{
    SpaprMachineState *m = test_machine_new(RAM, 2, NULL, NULL);
    static unsigned order[2] = { 0, 1 };

    m->parent_obj.ops = &spapr_machine_ops;
    m->parent_obj.type = "pseries-7.2";
    m->parent_obj.ram_size = RAM;
    m->cpu_order = order;
    m->nr_present = 2;
    spapr_hpt_reset(m);
    return m;
}

static void done(SpaprMachineState *m)
{
    spapr_hpt_free(m);
    test_machine_free(m);
}

/* The stream of m as bytes. */
static GByteArray *save(SpaprMachineState *m)
{
    FILE *f = tmpfile();
    MigChannel ch = { .fd = fileno(f) };
    uint64_t stats[2] = { 0, 0 }, bytes = 0;
    Error *err = NULL;
    GByteArray *out = g_byte_array_new();
    uint8_t chunk[65536];
    ssize_t n;

    g_assert_true(
        migration_save_stream(&m->parent_obj, &ch, RUN_STATE_RUNNING, stats, &bytes, &err));
    g_assert_null(err);
    g_assert_cmpuint(stats[0] + stats[1], ==, RAM / 4096);
    g_assert_cmpuint(lseek(ch.fd, 0, SEEK_CUR), ==, bytes);
    lseek(ch.fd, 0, SEEK_SET);
    while ((n = read(ch.fd, chunk, sizeof(chunk))) > 0) {
        g_byte_array_append(out, chunk, n);
    }
    fclose(f);
    return out;
}

/* Load len bytes of buf; the error message (to g_free), or NULL on success. */
static char *load(SpaprMachineState *m, const uint8_t *buf, size_t len)
{
    FILE *f = tmpfile();
    MigChannel ch = { .fd = fileno(f) };
    RunState state;
    Error *err = NULL;
    char *msg = NULL;

    g_assert_cmpint(write(ch.fd, buf, len), ==, (ssize_t)len);
    lseek(ch.fd, 0, SEEK_SET);
    if (!migration_load_stream(&m->parent_obj, &ch, &state, &err)) {
        g_assert_nonnull(err);
        msg = error_steal_message(err);
        g_assert_null(strchr(msg, '\n'));
    } else {
        g_assert_cmpint(state, ==, RUN_STATE_RUNNING);
    }
    fclose(f);
    return msg;
}

static void fill_state(SpaprMachineState *m, uint64_t seed)
{
    for (unsigned i = 0; i < 2; i++) {
        CPUPPCState *env = &m->cpus[i]->env;

        for (unsigned r = 0; r < 32; r++) {
            env->gpr[r] = seed * 31 + r + i * 1000;
        }
        env->nip = 0x1000 + seed;
        env->lr = seed ^ 0x5555;
        env->ctr = seed + 7;
        VsrD(&env->vsr[40], 1) = seed * 3;
        env->fpscr = 0x8 | (seed & 3);
        env->spr[SPR_SRR0] = seed + 0x123;
        env->slb[3].esid = 0x8000000 | seed;
    }
    guest_write(0x10000, &seed, 8);
    guest_write(RAM - 8, &seed, 8);
    m->patb_entry = seed << 12;
    spapr_cpu_state(m, m->cpus[1])->vpa_addr = 0x2000 + seed;
}

static void check_state(SpaprMachineState *m, uint64_t seed)
{
    uint64_t v;

    for (unsigned i = 0; i < 2; i++) {
        CPUPPCState *env = &m->cpus[i]->env;

        for (unsigned r = 0; r < 32; r++) {
            g_assert_cmphex(env->gpr[r], ==, seed * 31 + r + i * 1000);
        }
        g_assert_cmphex(env->nip, ==, 0x1000 + seed);
        g_assert_cmphex(env->lr, ==, seed ^ 0x5555);
        g_assert_cmphex(env->ctr, ==, seed + 7);
        g_assert_cmphex(VsrD(&env->vsr[40], 1), ==, seed * 3);
        g_assert_cmphex(env->fpscr, ==, 0x8 | (seed & 3));
        g_assert_cmphex(env->spr[SPR_SRR0], ==, seed + 0x123);
        g_assert_cmphex(env->slb[3].esid, ==, 0x8000000 | seed);
        g_assert_cmphex(env->reserve_addr, ==, (uint64_t)-1);
    }
    guest_read(0x10000, &v, 8);
    g_assert_cmphex(v, ==, seed);
    guest_read(RAM - 8, &v, 8);
    g_assert_cmphex(v, ==, seed);
    guest_read(0x20000, &v, 8);
    g_assert_cmphex(v, ==, 0);
    g_assert_cmphex(m->patb_entry, ==, seed << 12);
    g_assert_cmphex(spapr_cpu_state(m, m->cpus[1])->vpa_addr, ==, 0x2000 + seed);
}

static void test_round_trip(void)
{
    SpaprMachineState *m = mk();
    g_autoptr(GByteArray) s = NULL;
    uint64_t junk = 0xdeadbeef;
    char *err;

    fill_state(m, 42);
    s = save(m);
    fill_state(m, 99);
    /* A page the stream has as zero, dirtied after the save: the load clears it. */
    guest_write(0x20000, &junk, 8);
    err = load(m, s->data, s->len);
    g_assert_null(err);
    check_state(m, 42);
    done(m);
}

static void test_truncated(void)
{
    SpaprMachineState *m = mk();
    g_autoptr(GByteArray) s = NULL;

    fill_state(m, 5);
    s = save(m);
    /* Every length up to the first sections, then spread over the whole stream. */
    for (size_t len = 0; len < s->len; len += len < 256 ? 1 : s->len / 97 + 1) {
        g_autofree char *err = load(m, s->data, len);

        g_assert_nonnull(err);
    }
    for (size_t len = s->len - 8; len < s->len; len++) {
        g_autofree char *err = load(m, s->data, len);

        g_assert_nonnull(err);
        g_assert_nonnull(strstr(err, "truncated"));
    }
    done(m);
}

static void test_flipped(void)
{
    SpaprMachineState *m = mk();
    g_autoptr(GByteArray) s = NULL;

    fill_state(m, 6);
    s = save(m);
    for (size_t at = 0; at < s->len; at += at < 128 ? 1 : s->len / 151 + 1) {
        for (unsigned bit = 0; bit < 8; bit += 7) {
            g_autofree char *err = NULL;

            s->data[at] ^= 1u << bit;
            err = load(m, s->data, s->len);
            s->data[at] ^= 1u << bit;
            if (!err) {
                g_error("a flip of bit %u at offset %zu was loaded", bit, at);
            }
        }
    }
    /* The stream itself still loads. */
    g_assert_null(load(m, s->data, s->len));
    check_state(m, 6);
    done(m);
}

static void test_trailing_and_garbage(void)
{
    SpaprMachineState *m = mk();
    g_autoptr(GByteArray) s = NULL;
    g_autofree char *err1 = NULL, *err2 = NULL;
    uint8_t junk[64];

    s = save(m);
    memset(junk, 0xa5, sizeof(junk));
    err1 = load(m, junk, sizeof(junk));
    g_assert_nonnull(strstr(err1, "not a migration stream"));
    /* A huge section length is refused before anything is allocated. */
    memset(s->data + s->len - 8, 0xff, 8);
    err2 = load(m, s->data, s->len);
    g_assert_nonnull(err2);
    done(m);
}

/* The header names another machine type or RAM size: refused with both named. */
static void test_mismatch(void)
{
    SpaprMachineState *m = mk();
    g_autoptr(GByteArray) s = save(m);
    g_autofree char *err1 = NULL, *err2 = NULL;
    /* magic 8, version 4, type length 4, "pseries-7.2" 11, RAM size 8 */
    size_t type_at = 16, ram_at = 16 + 11;

    g_assert_cmpmem(s->data + type_at, 11, "pseries-7.2", 11);
    memcpy(s->data + type_at, "pseries-7.1", 11);
    err1 = load(m, s->data, s->len);
    g_assert_cmpstr(err1, ==, "stream is for machine 'pseries-7.1', this machine is 'pseries-7.2'");
    memcpy(s->data + type_at, "pseries-7.2", 11);
    s->data[ram_at + 4] ^= 0x40;
    err2 = load(m, s->data, s->len);
    g_assert_nonnull(strstr(err2, "bytes of RAM, this machine 16777216"));
    done(m);
}

/*
 * Block migration's BLK sections load into the drive they name as they come:
 * data and zero chunks land in the image; a drive this side lacks, a range
 * past the image's end and a bad flag are refused with the reason.
 */
static void test_block(void)
{
    SpaprMachineState *m = mk();
    g_autofree char *img = g_strdup_printf("%s/mig-blk-XXXXXX", g_get_tmp_dir());
    int fd = g_mkstemp(img);
    g_autoptr(GHashTable) o = bdrv_opts_new();
    g_autofree uint8_t *data = g_malloc(MIG_BLOCK_CHUNK);
    g_autofree uint8_t *back = g_malloc(8192);
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;
    g_autoptr(GByteArray) s = g_byte_array_new();
    Error *err = NULL;
    BlockDriverState *bs;
    BlockBackend *blk;
    MigWriter w;
    size_t flag_at;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
    memset(data, 0x5a, 8192);
    g_assert_cmpint(pwrite(fd, data, 8192, 0), ==, 8192); /* 4 KiB the zero chunk clears */
    close(fd);
    bdrv_opts_set(o, "driver", "raw");
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", img);
    bs = bdrv_open_opts(o, &err);
    g_assert_nonnull(bs);
    blk = blk_new(bs, "d0");
    bdrv_unref(bs);

    for (unsigned i = 0; i < 4096; i++) {
        data[i] = i * 7 + 1;
    }
    mig_writer_init(&w, NULL, s);
    mig_save_header(&w, &m->parent_obj, RUN_STATE_RUNNING);
    mig_save_block_chunk(&w, "d0", 0, data, 4096);
    memset(data + 4096, 0, 4096);
    mig_save_block_chunk(&w, "d0", 4096, data + 4096, 4096);
    /* the stream ends here: the chunks are in, then the truncation is refused */
    e1 = load(m, s->data, s->len);
    g_assert_nonnull(strstr(e1, "truncated"));
    g_assert_cmpint(blk_pread(blk, 0, back, 8192), ==, 0);
    g_assert_cmpmem(back, 4096, data, 4096);
    for (unsigned i = 4096; i < 8192; i++) {
        g_assert_cmpuint(back[i], ==, 0);
    }

    g_byte_array_set_size(s, 0);
    mig_writer_init(&w, NULL, s);
    mig_save_header(&w, &m->parent_obj, RUN_STATE_RUNNING);
    mig_save_block_chunk(&w, "nodrive", 0, data, 512);
    e2 = load(m, s->data, s->len);
    g_assert_cmpstr(e2, ==,
                    "block migration: the stream has data for drive 'nodrive', which this "
                    "machine does not have");

    g_byte_array_set_size(s, 0);
    mig_writer_init(&w, NULL, s);
    mig_save_header(&w, &m->parent_obj, RUN_STATE_RUNNING);
    mig_save_block_chunk(&w, "d0", (1 << 20) - 512, data, 1024);
    e3 = load(m, s->data, s->len);
    g_assert_nonnull(strstr(e3, "are outside drive 'd0' (1048576 bytes)"));

    /* the flag byte: after the section header (12), name (4 + 2), offset (8), length (4) */
    g_byte_array_set_size(s, 0);
    mig_writer_init(&w, NULL, s);
    mig_save_header(&w, &m->parent_obj, RUN_STATE_RUNNING);
    flag_at = s->len + 12 + 6 + 8 + 4;
    mig_save_block_chunk(&w, "d0", 0, data, 512);
    g_assert_cmpuint(s->data[flag_at], ==, 1);
    s->data[flag_at] = 2;
    e4 = load(m, s->data, s->len);
    g_assert_nonnull(strstr(e4, "malformed block section"));

    /* a drive without a name (a -blockdev node): sent as QEMU 7.2 does, refused here */
    g_byte_array_set_size(s, 0);
    mig_writer_init(&w, NULL, s);
    mig_save_header(&w, &m->parent_obj, RUN_STATE_RUNNING);
    mig_save_block_chunk(&w, "", 0, data, 512);
    e5 = load(m, s->data, s->len);
    g_assert_nonnull(strstr(e5, "has data for a drive with no name"));

    blk_unref(blk);
    unlink(img);
    done(m);
}

/*
 * A device without a state table blocks the migration before anything is
 * written, named by its id (else its type), and is listed among the reasons
 * (info migrate, query-migrate's blocked-reasons).  Every device emulated
 * here has a table, so a class made for the test stands in for one.
 */
static const DeviceClass stateless_class = {
    .name = "test-stateless",
    .instance_size = sizeof(DeviceState),
};

static void test_blocker(void)
{
    SpaprMachineState *m = mk();
    FILE *f = tmpfile();
    MigChannel ch = { .fd = fileno(f) };
    uint64_t stats[2] = { 0, 0 }, bytes = 0;
    Error *err = NULL;
    DeviceState *dev;
    GPtrArray *why;

    why = migration_blocked_reasons();
    g_assert_cmpuint(why->len, ==, 0);
    g_ptr_array_unref(why);
    g_assert_true(migration_check_blockers(&error_abort));

    dev = qdev_new("test-stateless");
    g_assert_true(qdev_set_id(dev, "nostate0", &error_abort));
    g_assert_true(qdev_realize(dev, NULL, &error_abort));
    why = migration_blocked_reasons();
    g_assert_cmpuint(why->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(why, 0), ==, "non-migratable device: nostate0");
    g_ptr_array_unref(why);
    g_assert_false(
        migration_save_stream(&m->parent_obj, &ch, RUN_STATE_RUNNING, stats, &bytes, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "State blocked by non-migratable device 'nostate0'");
    error_free(err);
    g_assert_cmpint(lseek(ch.fd, 0, SEEK_END), ==, 0);
    fclose(f);
    qdev_free(dev);

    why = migration_blocked_reasons();
    g_assert_cmpuint(why->len, ==, 0);
    g_ptr_array_unref(why);
    done(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    g_test_add_func("/migration/round-trip", test_round_trip);
    g_test_add_func("/migration/truncated", test_truncated);
    g_test_add_func("/migration/flipped", test_flipped);
    g_test_add_func("/migration/garbage", test_trailing_and_garbage);
    g_test_add_func("/migration/mismatch", test_mismatch);
    qdev_register_type(&stateless_class);
    g_test_add_func("/migration/blocker", test_blocker);
    g_test_add_func("/migration/block", test_block);
    return g_test_run();
}

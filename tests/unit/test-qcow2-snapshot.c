/*
 * qcow2 internal snapshots against qemu-img (Debian's qemu-utils 7.2): our
 * snapshots pass `qemu-img check`, list as `qemu-img snapshot -l` lists
 * them, hold the bytes `qemu-img convert -l` reads back; qemu-img's
 * snapshots read, revert and delete here; a damaged snapshot table is
 * refused with an error.
 */
#include "block/block-backend.h"
#include "block/block-int.h"

#include <sys/wait.h>

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* Run argv; its exit status (stdout and stderr into *out when given). */
static int run(char **out, const char *first, ...)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *so = NULL, *se = NULL;
    g_autoptr(GError) err = NULL;
    const char *a;
    va_list ap;
    int status;

    g_ptr_array_add(argv, (char *)first);
    va_start(ap, first);
    while ((a = va_arg(ap, const char *))) {
        g_ptr_array_add(argv, (char *)a);
    }
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &so, &se,
                      &status, &err)) {
        g_error("cannot run %s: %s", first, err->message);
    }
    if (out) {
        g_free(*out);
        *out = g_strconcat(so, se, NULL);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void qemu_img(const char *first, ...)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *so = NULL, *se = NULL;
    g_autoptr(GError) err = NULL;
    const char *a;
    va_list ap;
    int status;

    g_ptr_array_add(argv, (char *)"qemu-img");
    g_ptr_array_add(argv, (char *)first);
    va_start(ap, first);
    while ((a = va_arg(ap, const char *))) {
        g_ptr_array_add(argv, (char *)a);
    }
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &so, &se, &status, &err));
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        g_error("qemu-img %s failed: %s%s", first, so, se);
    }
}

static BlockBackend *open_image(const char *path, bool read_only)
{
    g_autoptr(GHashTable) o = bdrv_opts_new();
    Error *err = NULL;
    BlockDriverState *bs;
    BlockBackend *blk;

    bdrv_opts_set(o, "driver", "qcow2");
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", path);
    if (read_only) {
        bdrv_opts_set(o, "read-only", "on");
    }
    bs = bdrv_open_opts(o, &err);
    if (!bs) {
        g_error("open %s: %s", path, error_get_pretty(err));
    }
    blk = blk_new(bs, NULL);
    bdrv_unref(bs);
    return blk;
}

static uint32_t header_nb_snapshots(const char *img)
{
    g_autofree char *data = NULL;
    uint32_t v;

    g_assert_true(g_file_get_contents(img, &data, NULL, NULL));
    memcpy(&v, data + 60, 4);
    return GUINT32_FROM_BE(v);
}

static void assert_check_clean(const char *img)
{
    g_autofree char *out = NULL;
    int rc = run(&out, "qemu-img", "check", "-f", "qcow2", img, NULL);

    if (rc != 0 || !strstr(out, "No errors were found on the image.")) {
        g_error("qemu-img check %s: exit %d\n%s", img, rc, out);
    }
}

/* What `qemu-img snapshot -l` prints for the snapshots we list. */
static void assert_list_same(BlockBackend *blk, const char *img)
{
    g_autofree char *out = NULL;
    g_autoptr(GString) ours = g_string_new(NULL);
    BdrvSnapshotInfo *list;
    int n = bdrv_snapshot_list(blk_bs(blk), &list);

    g_assert_cmpint(run(&out, "qemu-img", "snapshot", "-U", "-l", img, NULL), ==, 0);
    if (n) {
        g_string_append(ours, "Snapshot list:\n");
        bdrv_snapshot_dump(ours, NULL, NULL);
        g_string_append_c(ours, '\n');
        for (int i = 0; i < n; i++) {
            bdrv_snapshot_dump(ours, &list[i], NULL);
            g_string_append_c(ours, '\n');
        }
    }
    bdrv_snapshot_list_free(list, n);
    g_assert_cmpstr(ours->str, ==, out);
}

/* The disk as snapshot tag holds it (qemu-img convert -l), byte for byte. */
static void assert_snapshot_bytes(const char *img, const char *tag, const uint8_t *expected,
                                  size_t len)
{
    g_autofree char *raw = tmp_path("snap.raw"), *opt = g_strdup_printf("snapshot.name=%s", tag);
    g_autofree char *data = NULL;
    gsize n;

    qemu_img("convert", "-U", "-f", "qcow2", "-O", "raw", "-l", opt, img, raw, NULL);
    g_assert_true(g_file_get_contents(raw, &data, &n, NULL));
    /* qemu-img 7.2 writes the image's current size even for a smaller snapshot. */
    g_assert_cmpuint(n, >=, len);
    g_assert_true(memcmp(data, expected, len) == 0);
}

static void assert_reads(BlockBackend *blk, const uint8_t *expected, size_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    g_assert_cmpint(blk_pread(blk, 0, buf, len), ==, 0);
    g_assert_true(memcmp(buf, expected, len) == 0);
}

static void fill(uint8_t *p, size_t len, uint32_t seed)
{
    GRand *r = g_rand_new_with_seed(seed);

    for (size_t i = 0; i < len; i += 4096) {
        uint8_t v = g_rand_int(r);

        if (v % 5 == 0) {
            memset(p + i, 0, MIN(4096, len - i));
        } else {
            for (size_t j = i; j < MIN(len, i + 4096); j++) {
                p[j] = g_rand_int(r);
            }
        }
    }
    g_rand_free(r);
}

static void create(BlockBackend *blk, const char *name, const void *vmstate, size_t vmlen)
{
    BdrvSnapshotInfo sn = { .name = (char *)name,
                            .date_sec = 1700000000 + vmlen,
                            .vm_clock_nsec = 3723004000000ull,
                            .icount = -1,
                            .vm_state_size = vmlen };
    Error *err = NULL;

    if (vmlen) {
        g_assert_cmpint(bdrv_save_vmstate(blk_bs(blk), vmstate, 0, vmlen), ==, 0);
    }
    if (bdrv_snapshot_create(blk_bs(blk), &sn, &err) < 0) {
        g_error("snapshot %s: %s", name, error_get_pretty(err));
    }
}

/*
 * Two snapshots of different contents with a VM state each, writes after
 * them (copy on write), revert, delete: qemu-img agrees after every step.
 */
static void test_create_revert_delete(gconstpointer data)
{
    const char *opts = data;
    const size_t len = 6 * 1024 * 1024, vmlen = 700 * 1024 + 13;
    g_autofree char *img = tmp_path("s.qcow2");
    g_autofree uint8_t *a = g_malloc(len), *b = g_malloc(len), *vm1 = g_malloc(vmlen);
    g_autofree uint8_t *vm2 = g_malloc(vmlen), *back = g_malloc(vmlen);
    Error *err = NULL;
    BlockBackend *blk;

    qemu_img("create", "-q", "-f", "qcow2", "-o", opts, img, "6M", NULL);
    fill(a, len, 1);
    fill(vm1, vmlen, 2);
    fill(vm2, vmlen, 3);
    blk = open_image(img, false);
    g_assert_cmpint(blk_pwrite(blk, 0, a, len), ==, 0);
    create(blk, "first", vm1, vmlen);
    assert_check_clean(img);
    assert_list_same(blk, img);
    assert_snapshot_bytes(img, "first", a, len);

    /* Writes after the snapshot go to new clusters: the snapshot keeps a. */
    memcpy(b, a, len);
    fill(b + 65536 + 100, 2 * 1024 * 1024, 4);
    memset(b + 4 * 1024 * 1024, 0, 300000);
    g_assert_cmpint(blk_pwrite(blk, 0, b, len), ==, 0);
    assert_reads(blk, b, len);
    assert_check_clean(img);
    assert_snapshot_bytes(img, "first", a, len);
    create(blk, "second", vm2, vmlen / 2);
    create(blk, "disk-only", NULL, 0);
    assert_check_clean(img);
    assert_list_same(blk, img);
    assert_snapshot_bytes(img, "second", b, len);

    /* Back to the first: its bytes and its VM state. */
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "first", &err), ==, 0);
    assert_reads(blk, a, len);
    g_assert_cmpint(bdrv_load_vmstate(blk_bs(blk), back, 0, vmlen), ==, 0);
    g_assert_true(memcmp(back, vm1, vmlen) == 0);
    assert_check_clean(img);
    /* By id too, as QEMU's goto finds them. */
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "2", &err), ==, 0);
    assert_reads(blk, b, len);
    g_assert_cmpint(bdrv_load_vmstate(blk_bs(blk), back, 0, vmlen / 2), ==, 0);
    g_assert_true(memcmp(back, vm2, vmlen / 2) == 0);
    g_assert_cmpint(blk_pwrite(blk, 12345, a, 200000), ==, 0);
    memcpy(b + 12345, a, 200000);
    assert_check_clean(img);

    /* Deleting frees what only that snapshot held. */
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), NULL, "first", &err), ==, 0);
    assert_check_clean(img);
    assert_list_same(blk, img);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), "2", NULL, &err), ==, 0);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), NULL, "disk-only", &err), ==, 0);
    assert_check_clean(img);
    assert_list_same(blk, img);
    assert_reads(blk, b, len);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), NULL, "first", &err), ==, -ENOENT);
    g_assert_cmpstr(error_get_pretty(err), ==, "Can't find the snapshot");
    error_free(g_steal_pointer(&err));
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "first", &err), ==, -ENOENT);
    error_free(g_steal_pointer(&err));
    blk_unref(blk);
    assert_check_clean(img);
    g_assert_cmpint(header_nb_snapshots(img), ==, 0);
}

/* qemu-img's snapshots here, ours there. */
static void test_cross(void)
{
    const size_t len = 3 * 1024 * 1024;
    g_autofree char *img = tmp_path("x.qcow2"), *raw = tmp_path("x.raw");
    g_autofree uint8_t *a = g_malloc(len), *b = g_malloc(len);
    g_autofree char *out = NULL;
    Error *err = NULL;
    BlockBackend *blk;

    fill(a, len, 10);
    fill(b, len, 11);
    g_assert_true(g_file_set_contents(raw, (char *)a, len, NULL));
    qemu_img("convert", "-q", "-f", "raw", "-O", "qcow2", raw, img, NULL);
    qemu_img("snapshot", "-c", "theirs", img, NULL);
    blk = open_image(img, false);
    assert_list_same(blk, img);
    g_assert_cmpint(blk_pwrite(blk, 0, b, len), ==, 0);
    create(blk, "ours", NULL, 0);
    assert_check_clean(img);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "theirs", &err), ==, 0);
    assert_reads(blk, a, len);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), NULL, "theirs", &err), ==, 0);
    blk_unref(blk);
    assert_check_clean(img);
    /* qemu-img reverts to ours and deletes it. */
    qemu_img("snapshot", "-a", "ours", img, NULL);
    g_assert_cmpint(run(&out, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", img, raw, NULL),
                    ==, 1); /* b is not a */
    assert_snapshot_bytes(img, "ours", b, len);
    qemu_img("snapshot", "-d", "ours", img, NULL);
    assert_check_clean(img);
    blk = open_image(img, false);
    assert_reads(blk, b, len);
    assert_list_same(blk, img);
    blk_unref(blk);
}

/*
 * As QEMU 7.2: a v3 image with snapshots resizes, a revert takes the
 * snapshot's size back; a v2 image with snapshots cannot resize.
 */
static void test_resize(void)
{
    const size_t len = 2 * 1024 * 1024;
    g_autofree char *img = tmp_path("r.qcow2"), *v2 = tmp_path("r2.qcow2");
    g_autofree uint8_t *a = g_malloc(len), *b = g_malloc(3 * len);
    Error *err = NULL;
    BlockBackend *blk;

    fill(a, len, 20);
    fill(b, 3 * len, 21);
    qemu_img("create", "-q", "-f", "qcow2", img, "2M", NULL);
    blk = open_image(img, false);
    g_assert_cmpint(blk_pwrite(blk, 0, a, len), ==, 0);
    create(blk, "small", a, 3000);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 3 * len, &err), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, 3 * len);
    g_assert_cmpint(blk_pwrite(blk, 0, b, 3 * len), ==, 0);
    create(blk, "big", NULL, 0);
    assert_check_clean(img);
    assert_list_same(blk, img);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "small", &err), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, len);
    assert_reads(blk, a, len);
    assert_check_clean(img);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), len / 2, &err), ==, 0);
    assert_check_clean(img);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "big", &err), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, 3 * len);
    assert_reads(blk, b, 3 * len);
    blk_unref(blk);
    assert_check_clean(img);
    assert_snapshot_bytes(img, "small", a, len);

    qemu_img("create", "-q", "-f", "qcow2", "-o", "compat=0.10", v2, "2M", NULL);
    blk = open_image(v2, false);
    create(blk, "s", NULL, 0);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 3 * len, &err), ==, -ENOTSUP);
    g_assert_cmpstr(error_get_pretty(err), ==, "Can't resize a v2 image which has snapshots");
    error_free(err);
    blk_unref(blk);
}

/* A big-endian field of width bytes (2, 4, 8) written at offset of a copy of src. */
static char *damaged(const char *src, const char *name, uint64_t offset, int width, uint64_t v)
{
    g_autofree char *data = NULL;
    char *path = tmp_path(name);
    gsize len;

    g_assert_true(g_file_get_contents(src, &data, &len, NULL));
    g_assert_cmpuint(offset + width, <=, len);
    for (int i = 0; i < width; i++) {
        data[offset + i] = (char)(v >> (8 * (width - 1 - i)));
    }
    g_assert_true(g_file_set_contents(path, data, len, NULL));
    return path;
}

/* Our open's error (NULL: it opened). */
static char *open_error(const char *path, bool read_only)
{
    g_autoptr(GHashTable) o = bdrv_opts_new();
    Error *err = NULL;
    BlockDriverState *bs;
    char *msg;

    bdrv_opts_set(o, "driver", "qcow2");
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", path);
    bdrv_opts_set(o, "read-only", read_only ? "on" : "off");
    bs = bdrv_open_opts(o, &err);
    if (bs) {
        bdrv_unref(bs);
        return NULL;
    }
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

/* Our goto's error on an image that opens. */
static char *goto_error(const char *path, const char *tag)
{
    BlockBackend *blk = open_image(path, false);
    Error *err = NULL;
    char *msg = NULL;

    if (bdrv_snapshot_goto(blk_bs(blk), tag, &err) < 0) {
        msg = g_strdup(error_get_pretty(err));
        error_free(err);
    }
    blk_unref(blk);
    return msg;
}

/*
 * A damaged snapshot table or snapshot L1 table: an error (QEMU 7.2's
 * words where it refuses too), never a crash or a read outside the file.
 */
static void test_corrupt(void)
{
    g_autofree char *img = tmp_path("k.qcow2"), *out = NULL;
    g_autofree uint8_t *a = g_malloc(1024 * 1024);
    g_autofree char *data = NULL;
    uint64_t table;
    gsize flen;
    BlockBackend *blk;
    static const struct {
        const char *name;
        int field; /* -1: a header offset; else an offset in the first entry */
        uint64_t offset;
        int width;
        uint64_t value;
        const char *open_msg, *goto_msg;
    } cases[] = {
        { "count", -1, 60, 4, 70000, "Snapshot table too large", NULL },
        { "unaligned", -1, 64, 8, 0x8, "Snapshot table offset invalid", NULL },
        { "past-eof", -1, 64, 8, 1ull << 50, "Snapshot table lies outside the image file", NULL },
        { "count-past-eof", -1, 60, 4, 60000, "Snapshot table exceeds the end of the image file",
          NULL },
        { "extra", 0, 36, 4, 2000, "Too much extra metadata in snapshot table entry 0", NULL },
        { "name-len", 0, 14, 2, 0xffff, "Snapshot table exceeds the end of the image file", NULL },
        { "l1-far", 0, 0, 8, 1ull << 45, NULL, "Snapshot L1 table offset invalid" },
        { "l1-unaligned", 0, 0, 8, 0x10008, NULL, "Snapshot L1 table offset invalid" },
        { "l1-huge", 0, 8, 4, 1u << 30, NULL, "Snapshot L1 table too large" },
        { "l1-size-past-eof", 0, 8, 4, 1u << 20, NULL, "Snapshot L1 table offset invalid" },
    };

    qemu_img("create", "-q", "-f", "qcow2", img, "4M", NULL);
    fill(a, 1024 * 1024, 5);
    blk = open_image(img, false);
    g_assert_cmpint(blk_pwrite(blk, 0, a, 1024 * 1024), ==, 0);
    create(blk, "s", a, 5000);
    blk_unref(blk);
    assert_check_clean(img);
    g_assert_true(g_file_get_contents(img, &data, &flen, NULL));
    memcpy(&table, data + 64, 8);
    table = GUINT64_FROM_BE(table);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *name = g_strdup_printf("bad-%s.qcow2", cases[i].name);
        uint64_t off = cases[i].field < 0 ? cases[i].offset : table + cases[i].offset;
        g_autofree char *path = damaged(img, name, off, cases[i].width, cases[i].value);
        g_autofree char *ro = open_error(path, true), *rw = open_error(path, false);

        g_test_message("%s: open '%s', goto expected '%s'", cases[i].name, ro ? ro : "ok",
                       cases[i].goto_msg ? cases[i].goto_msg : "-");
        g_assert_cmpstr(ro, ==, cases[i].open_msg);
        g_assert_cmpstr(rw, ==, cases[i].open_msg);
        if (!cases[i].open_msg) {
            g_autofree char *msg = goto_error(path, "s");

            g_assert_cmpstr(msg, ==, cases[i].goto_msg);
        }
    }
    /* The image cut inside its snapshot table. */
    for (uint64_t cut = table + 1; cut < MIN(flen, table + 80); cut += 7) {
        g_autofree char *path = tmp_path("cut.qcow2");
        g_autofree char *msg = NULL;

        g_assert_true(g_file_set_contents(path, data, cut, NULL));
        msg = open_error(path, true);
        g_assert_cmpstr(msg, ==, "Snapshot table exceeds the end of the image file");
    }
    /* An intact image still works. */
    g_assert_null(goto_error(img, "s"));
    assert_check_clean(img);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-qcow2-snap-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_data_func("/qcow2-snapshot/v3-64k", "cluster_size=65536", test_create_revert_delete);
    g_test_add_data_func("/qcow2-snapshot/v3-512", "cluster_size=512", test_create_revert_delete);
    g_test_add_data_func("/qcow2-snapshot/v2", "compat=0.10", test_create_revert_delete);
    g_test_add_data_func("/qcow2-snapshot/refcount-bits-64", "refcount_bits=64",
                         test_create_revert_delete);
    g_test_add_func("/qcow2-snapshot/cross", test_cross);
    g_test_add_func("/qcow2-snapshot/resize", test_resize);
    g_test_add_func("/qcow2-snapshot/corrupt", test_corrupt);
    ret = g_test_run();
    run(NULL, "rm", "-rf", tmpdir, NULL);
    return ret;
}

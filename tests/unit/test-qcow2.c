/*
 * qcow2 and the block layer against qemu-img (Debian's qemu-utils) as the
 * oracle: images qemu-img made read back right, images we wrote pass
 * `qemu-img check` and `qemu-img compare` with the expected bytes.
 */
#include "block/block-backend.h"
#include "block/block-int.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* Run argv; its exit status (stdout/stderr into *out when given). */
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
        g_free(*out); /* callers reuse one variable for several runs */
        *out = g_strconcat(so, se, NULL);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_file(const char *path, const void *buf, size_t len)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(g_file_set_contents(path, buf, len, &err));
}

/* Bytes that differ per 512-byte sector and per seed, with runs of zeros. */
static uint8_t *pattern(size_t len, uint32_t seed)
{
    uint8_t *p = g_malloc0(len);
    GRand *r = g_rand_new_with_seed(seed);

    for (size_t i = 0; i < len; i += 512) {
        if (g_rand_int_range(r, 0, 4) == 0) {
            continue; /* a zero sector: qemu-img leaves it unallocated */
        }
        for (size_t j = i; j < MIN(len, i + 512); j++) {
            p[j] = g_rand_int(r);
        }
    }
    g_rand_free(r);
    return p;
}

static BlockBackend *open_image(const char *path, const char *format, bool discard)
{
    g_autoptr(GHashTable) o = bdrv_opts_new();
    Error *err = NULL;
    BlockDriverState *bs;
    BlockBackend *blk;

    if (format) {
        bdrv_opts_set(o, "driver", format); /* else probed */
    }
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", path);
    if (discard) {
        bdrv_opts_set(o, "discard", "unmap");
    }
    bs = bdrv_open_opts(o, &err);
    if (!bs) {
        g_error("open %s: %s", path, error_get_pretty(err));
    }
    blk = blk_new(bs, NULL);
    bdrv_unref(bs);
    return blk;
}

/* A big-endian header field of an image. */
static uint64_t header_u64(const char *img, size_t offset)
{
    g_autofree char *data = NULL;
    gsize len;
    uint64_t v;

    g_assert_true(g_file_get_contents(img, &data, &len, NULL));
    g_assert_cmpuint(len, >=, offset + 8);
    memcpy(&v, data + offset, 8);
    return GUINT64_FROM_BE(v);
}

static void assert_check_clean(const char *img)
{
    g_autofree char *out = NULL;
    int rc = run(&out, "qemu-img", "check", "-f", "qcow2", img, NULL);

    if (rc != 0 || !strstr(out, "No errors were found on the image.")) {
        g_error("qemu-img check %s: exit %d\n%s", img, rc, out);
    }
}

static void assert_same_as(const char *img, const uint8_t *expected, size_t len)
{
    g_autofree char *raw = tmp_path("expected.raw");
    g_autofree char *out = NULL;
    int rc;

    write_file(raw, expected, len);
    rc = run(&out, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", img, raw, NULL);
    if (rc != 0) {
        g_error("qemu-img compare %s: exit %d\n%s", img, rc, out);
    }
}

static void assert_reads(BlockBackend *blk, const uint8_t *expected, size_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    g_assert_cmpint(blk_getlength(blk), ==, len);
    g_assert_cmpint(blk_pread(blk, 0, buf, len), ==, 0);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != expected[i]) {
            g_error("byte %zu: read 0x%02x, expected 0x%02x", i, buf[i], expected[i]);
        }
    }
}

/* Images qemu-img converted from known bytes read back as those bytes. */
static void test_read_qemu_img(gconstpointer data)
{
    const char *const *opts = data;
    const size_t len = 3 * 1024 * 1024 + 4096;
    g_autofree uint8_t *p = pattern(len, 7);
    g_autofree char *raw = tmp_path("src.raw"), *img = tmp_path("conv.qcow2");
    g_autofree char *out = NULL;
    BlockBackend *blk;

    write_file(raw, p, len);
    if (run(&out, "qemu-img", "convert", "-f", "raw", "-O", "qcow2", opts[1] ? opts[1] : "-q", "-o",
            opts[0], raw, img, NULL)) {
        g_error("qemu-img convert: %s", out);
    }
    blk = open_image(img, "qcow2", false);
    assert_reads(blk, p, len);
    blk_unref(blk);
}

/* Random writes, zeroing and discards, mirrored in memory; checked by qemu-img. */
static void random_workload(BlockBackend *blk, uint8_t *expected, size_t len, uint32_t seed,
                            int ops)
{
    GRand *r = g_rand_new_with_seed(seed);
    g_autofree uint8_t *buf = g_malloc(256 * 1024);

    for (int i = 0; i < ops; i++) {
        int kind = g_rand_int_range(r, 0, 10);
        uint64_t n = g_rand_int_range(r, 1, 256 * 1024);
        uint64_t off = g_rand_int_range(r, 0, len - n);

        if (g_rand_boolean(r)) {
            off &= ~511ull; /* half the requests sector-aligned, as guests mostly do */
            n = MAX(n & ~511ull, 512);
        }
        if (kind < 7) {
            for (uint64_t j = 0; j < n; j++) {
                buf[j] = g_rand_int(r);
            }
            g_assert_cmpint(blk_pwrite(blk, off, buf, n), ==, 0);
            memcpy(expected + off, buf, n);
        } else if (kind < 9) {
            g_assert_cmpint(bdrv_pwrite_zeroes(blk_bs(blk), off, n), ==, 0);
            memset(expected + off, 0, n);
        } else {
            /* Discarded bytes may read as old data or zeros: rewrite them as zeros after. */
            g_assert_cmpint(bdrv_pdiscard(blk_bs(blk), off, n), ==, 0);
            g_assert_cmpint(bdrv_pwrite_zeroes(blk_bs(blk), off, n), ==, 0);
            memset(expected + off, 0, n);
        }
    }
    g_rand_free(r);
}

static void test_write_workload(gconstpointer data)
{
    const char *opts = data;
    const size_t len = 8 * 1024 * 1024;
    g_autofree uint8_t *expected = g_malloc0(len);
    g_autofree char *img = tmp_path("rw.qcow2");
    g_autofree char *out = NULL;
    BlockBackend *blk;

    if (run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o", opts, img, "8M", NULL)) {
        g_error("qemu-img create: %s", out);
    }
    blk = open_image(img, "qcow2", true);
    random_workload(blk, expected, len, 42, 300);
    assert_reads(blk, expected, len);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);
    assert_check_clean(img);
    assert_same_as(img, expected, len);
    /* And again on the image as we left it. */
    blk = open_image(img, "qcow2", true);
    assert_reads(blk, expected, len);
    random_workload(blk, expected, len, 43, 100);
    blk_unref(blk);
    assert_check_clean(img);
    assert_same_as(img, expected, len);
}

/* Small clusters: the refcount table outgrows its cluster and moves. */
static void test_refcount_table_growth(void)
{
    const size_t len = 24 * 1024 * 1024;
    g_autofree uint8_t *expected = g_malloc0(len);
    g_autofree uint8_t *buf = g_malloc(64 * 1024);
    g_autofree char *img = tmp_path("grow.qcow2");
    g_autofree char *out = NULL;
    BlockBackend *blk;

    if (run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=512", img, "24M",
            NULL)) {
        g_error("qemu-img create: %s", out);
    }
    blk = open_image(img, "qcow2", false);
    for (size_t off = 0; off < len; off += 64 * 1024) {
        memset(buf, (int)(off >> 16) | 1, 64 * 1024);
        g_assert_cmpint(blk_pwrite(blk, off, buf, 64 * 1024), ==, 0);
        memcpy(expected + off, buf, 64 * 1024);
    }
    blk_unref(blk);
    /* The table left cluster 1, where qemu-img put it. */
    g_assert_cmphex(header_u64(img, 48), !=, 512);
    assert_check_clean(img);
    assert_same_as(img, expected, len);
}

/*
 * block_resize's grow: a 1 MiB image grows to a size whose L1 table no
 * longer fits the old one, is written past its old end, then shrinks back
 * below its first write; qemu-img checks it clean and reads the same bytes
 * at every step, and the header holds the new size.
 */
static void test_resize(gconstpointer data)
{
    const char *opts = data;
    const size_t old_len = 1024 * 1024, new_len = 8 * 1024 * 1024 + 512, small = 512 * 1024;
    g_autofree uint8_t *expected = g_malloc0(new_len);
    g_autofree uint8_t *p = pattern(old_len, 11);
    g_autofree char *img = tmp_path("resize.qcow2");
    g_autofree char *out = NULL;
    Error *err = NULL;
    BlockBackend *blk;
    uint64_t l1_before;
    struct stat st_big, st_small;

    if (run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o", opts, img, "1M", NULL)) {
        g_error("qemu-img create: %s", out);
    }
    l1_before = header_u64(img, 40);
    blk = open_image(img, "qcow2", false);
    g_assert_cmpint(blk_pwrite(blk, 0, p, old_len), ==, 0);
    memcpy(expected, p, old_len);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 1000, &err), ==, -EINVAL);
    g_assert_cmpstr(error_get_pretty(err), ==, "The new size must be a multiple of 512");
    g_clear_pointer(&err, error_free);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), new_len, &err), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, new_len);
    /* Past the old end: the first sector after it and the last one of the disk. */
    memset(expected + old_len, 0x5a, 4096);
    memset(expected + new_len - 512, 0xa5, 512);
    g_assert_cmpint(blk_pwrite(blk, old_len, expected + old_len, 4096), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, new_len - 512, expected + new_len - 512, 512), ==, 0);
    assert_reads(blk, expected, new_len);
    blk_unref(blk);
    g_assert_cmpuint(header_u64(img, 24), ==, new_len);
    assert_check_clean(img);
    assert_same_as(img, expected, new_len);
    g_assert_cmpint(stat(img, &st_big), ==, 0);
    if (strstr(opts, "cluster_size=512")) {
        g_assert_cmphex(header_u64(img, 40), !=, l1_before); /* a new, larger L1 table */
    }

    blk = open_image(img, "qcow2", false);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), small, &err), ==, 0);
    assert_reads(blk, expected, small);
    blk_unref(blk);
    g_assert_cmpuint(header_u64(img, 24), ==, small);
    assert_check_clean(img);
    assert_same_as(img, expected, small);
    g_assert_cmpint(stat(img, &st_small), ==, 0);
    g_assert_cmpint(st_small.st_size, <, st_big.st_size); /* the dropped clusters are gone */
}

/*
 * An L1 table of more clusters than one refcount block covers (512-byte
 * clusters, 1 GiB) cannot be placed in fresh space here: the resize fails
 * (QEMU 7.2 grows it; it used to loop forever, growing the file) and the
 * image stays clean and unchanged.
 */
static void test_resize_huge_l1(void)
{
    g_autofree char *img = tmp_path("huge-l1.qcow2");
    g_autofree char *out = NULL;
    Error *err = NULL;
    BlockBackend *blk;

    if (run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=512", img, "64K",
            NULL)) {
        g_error("qemu-img create: %s", out);
    }
    blk = open_image(img, "qcow2", false);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 1ll << 30, &err), ==, -EFBIG);
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to grow the L1 table: File too large");
    error_free(err);
    g_assert_cmpint(blk_getlength(blk), ==, 65536);
    blk_unref(blk);
    g_assert_cmpuint(header_u64(img, 24), ==, 65536);
    assert_check_clean(img);
}

/* A backing chain: reads fall through, writes copy the rest of the cluster up. */
static void test_backing_chain(void)
{
    const size_t len = 4 * 1024 * 1024;
    g_autofree uint8_t *p = pattern(len, 11);
    g_autofree uint8_t *base_copy = NULL;
    g_autofree char *raw = tmp_path("base.raw"), *base = tmp_path("base.qcow2");
    g_autofree char *mid = tmp_path("mid.qcow2"), *top = tmp_path("top.qcow2");
    g_autofree char *out = NULL;
    BlockBackend *blk;
    uint8_t data[1000];

    write_file(raw, p, len);
    g_assert_cmpint(
        run(&out, "qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, base, NULL), ==, 0);
    g_assert_cmpint(run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
                        "qcow2", mid, NULL),
                    ==, 0);
    /* mid gets its own data over part of base; top then stacks on mid. */
    g_assert_cmpint(run(&out, "qemu-io", "-c", "write -P 0x5a 1M 64k", mid, NULL), ==, 0);
    memset(p + 1024 * 1024, 0x5a, 64 * 1024);
    g_assert_cmpint(
        run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-b", mid, "-F", "qcow2", top, NULL),
        ==, 0);
    blk = open_image(top, "qcow2", false);
    g_assert_nonnull(blk_bs(blk)->backing);
    g_assert_nonnull(blk_bs(blk)->backing->backing);
    g_assert_true(blk_bs(blk)->backing->read_only);
    assert_reads(blk, p, len);
    memset(data, 0xc3, sizeof(data));
    g_assert_cmpint(blk_pwrite(blk, 1024 * 1024 - 300, data, sizeof(data)), ==, 0);
    memcpy(p + 1024 * 1024 - 300, data, sizeof(data));
    g_assert_cmpint(blk_pwrite(blk, 3 * 1024 * 1024 + 5, data, sizeof(data)), ==, 0);
    memcpy(p + 3 * 1024 * 1024 + 5, data, sizeof(data));
    assert_reads(blk, p, len);
    /* Allocation in each layer itself (block-incremental's first pass): top's two writes, mid's. */
    g_assert_cmpint(bdrv_is_allocated(blk_bs(blk), 0, 960 * 1024), ==, 0);
    g_assert_cmpint(bdrv_is_allocated(blk_bs(blk), 1024 * 1024 - 300, 1), ==, 1);
    g_assert_cmpint(
        bdrv_is_allocated(blk_bs(blk), 1024 * 1024 + 64 * 1024, 2 * 1024 * 1024 - 64 * 1024), ==,
        0);
    g_assert_cmpint(bdrv_is_allocated(blk_bs(blk), 2 * 1024 * 1024, 2 * 1024 * 1024), ==, 1);
    g_assert_cmpint(bdrv_is_allocated(blk_bs(blk)->backing, 0, 1024 * 1024), ==, 0);
    g_assert_cmpint(bdrv_is_allocated(blk_bs(blk)->backing, 1024 * 1024 + 65535, 1), ==, 1);
    g_assert_cmpint(
        bdrv_is_allocated(blk_bs(blk)->backing, 1024 * 1024 + 64 * 1024, 3 * 1024 * 1024), ==, 0);
    blk_unref(blk);
    assert_check_clean(top);
    assert_check_clean(mid);
    assert_same_as(top, p, len);
    /* The lower images did not change. */
    g_assert_cmpint(run(&out, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", base, raw, NULL),
                    ==, 0);
}

/* Compressed clusters (qemu-img convert -c): read, then overwritten in part. */
static void test_compressed_rewrite(void)
{
    const size_t len = 2 * 1024 * 1024;
    g_autofree uint8_t *p = g_malloc(len);
    g_autofree char *raw = tmp_path("c.raw"), *img = tmp_path("c.qcow2");
    g_autofree char *out = NULL;
    BlockBackend *blk;
    uint8_t data[4096];

    for (size_t i = 0; i < len; i++) {
        p[i] = (i / 7) ^ (i >> 12); /* compressible, not trivial */
    }
    write_file(raw, p, len);
    g_assert_cmpint(
        run(&out, "qemu-img", "convert", "-q", "-c", "-f", "raw", "-O", "qcow2", raw, img, NULL),
        ==, 0);
    blk = open_image(img, "qcow2", true);
    assert_reads(blk, p, len);
    memset(data, 0x77, sizeof(data));
    g_assert_cmpint(blk_pwrite(blk, 70000, data, sizeof(data)), ==, 0);
    memcpy(p + 70000, data, sizeof(data));
    g_assert_cmpint(bdrv_pwrite_zeroes(blk_bs(blk), 512 * 1024, 128 * 1024), ==, 0);
    memset(p + 512 * 1024, 0, 128 * 1024);
    assert_reads(blk, p, len);
    blk_unref(blk);
    assert_check_clean(img);
    assert_same_as(img, p, len);
}

/* Our own new images (the snapshot=on overlays) satisfy qemu-img. */
static void test_create(void)
{
    g_autofree char *img = tmp_path("new.qcow2"), *base = tmp_path("b.raw");
    g_autofree char *out = NULL;
    g_autofree uint8_t *p = pattern(1024 * 1024, 3);
    Error *err = NULL;
    BlockBackend *blk;

    write_file(base, p, 1024 * 1024);
    g_assert_true(qcow2_create_file(img, 1024 * 1024, base, "raw", &err));
    assert_check_clean(img);
    g_assert_cmpint(run(&out, "qemu-img", "info", img, NULL), ==, 0);
    g_assert_nonnull(strstr(out, "backing file format: raw"));
    blk = open_image(img, "qcow2", false);
    assert_reads(blk, p, 1024 * 1024);
    blk_unref(blk);
    g_assert_true(qcow2_create_file(img, 5ull << 40, NULL, NULL, &err));
    assert_check_clean(img);
}

/* Killed while writing: at worst leaked clusters (qemu-img check exit 3), never corruption. */
static void test_sigkill(void)
{
    g_autofree char *img = tmp_path("kill.qcow2");
    g_autofree char *out = NULL;
    int rounds = 5, leaked = 0;

    for (int round = 0; round < rounds; round++) {
        pid_t pid;
        int rc;
        struct stat st0, st1;
        int ready[2];
        char c;

        g_assert_cmpint(run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o",
                            round & 1 ? "cluster_size=4096" : "cluster_size=65536", img, "64M",
                            NULL),
                        ==, 0);
        g_assert_cmpint(stat(img, &st0), ==, 0);
        g_assert_cmpint(pipe(ready), ==, 0);
        pid = fork();
        g_assert_cmpint(pid, >=, 0);
        if (pid == 0) {
            BlockBackend *blk = open_image(img, "qcow2", true);
            size_t len = 64 * 1024 * 1024;
            g_autofree uint8_t *exp = g_malloc0(len);

            /* Tell the parent once clusters were allocated, then go on writing. */
            random_workload(blk, exp, len, round, 20);
            if (write(ready[1], "x", 1) != 1) {
                _exit(1);
            }
            for (;;) {
                random_workload(blk, exp, len, round + 100, 50);
            }
        }
        close(ready[1]);
        g_assert_cmpint(read(ready[0], &c, 1), ==, 1);
        close(ready[0]);
        g_usleep(round * 20000);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        /* The child was killed while it had written clusters, not before. */
        g_assert_cmpint(stat(img, &st1), ==, 0);
        g_assert_cmpint(st1.st_size, >, st0.st_size);
        rc = run(&out, "qemu-img", "check", "-f", "qcow2", img, NULL);
        if (rc != 0 && rc != 3) {
            g_error("after SIGKILL (round %d): qemu-img check exit %d\n%s", round, rc, out);
        }
        if (strstr(out, "ERROR")) {
            g_error("after SIGKILL (round %d): corruption\n%s", round, out);
        }
        leaked += rc == 3;
    }
    g_test_message("%d of %d kills left leaked clusters", leaked, rounds);
}

static int completed, last_ret;

static void on_done(void *opaque, int ret)
{
    completed++;
    last_ret = ret;
    *(int *)opaque = ret;
}

/* The asynchronous API: scattered buffers, callbacks, ranges, read-only. */
static void test_aio(void)
{
    g_autofree char *img = tmp_path("aio.qcow2");
    g_autofree char *out = NULL;
    uint8_t a[3000], b[5192], c[8192];
    struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } }, one = { c, sizeof(c) };
    int r1 = 1, r2 = 1, r3 = 1, r4 = 1;
    BlockBackend *blk;

    g_assert_cmpint(run(&out, "qemu-img", "create", "-q", "-f", "qcow2", img, "1M", NULL), ==, 0);
    blk = open_image(img, "qcow2", false);
    memset(a, 1, sizeof(a));
    memset(b, 2, sizeof(b));
    completed = 0;
    blk_aio_pwritev(blk, 4096, iov, 2, on_done, &r1);
    blk_aio_flush(blk, on_done, &r2);
    blk_drain(blk);
    g_assert_cmpint(completed, ==, 2);
    g_assert_cmpint(r1, ==, 0);
    g_assert_cmpint(r2, ==, 0);
    blk_aio_preadv(blk, 4096, &one, 1, on_done, &r3);
    blk_aio_preadv(blk, 1024 * 1024 - 4096, &one, 1, on_done, &r4);
    g_assert_cmpint(blk_in_flight(blk), ==, 2);
    blk_drain(blk);
    g_assert_cmpint(r3, ==, 0);
    g_assert_cmpint(r4, ==, -EIO); /* past the end */
    g_assert_cmpint(c[0], ==, 1);
    g_assert_cmpint(c[2999], ==, 1);
    g_assert_cmpint(c[3000], ==, 2);
    g_assert_cmpint(c[8191], ==, 2);
    blk_unref(blk);
    assert_check_clean(img);
}

/*
 * Raw images: requests go to io_uring (the host offers it here), then, with
 * the ring disabled, to the worker threads; both with the write cache off
 * (a linked fdatasync), scattered buffers and reads past the file's end.
 */
static void raw_aio_round(const char *img, uint8_t fill)
{
    g_autofree uint8_t *big = g_malloc(65536);
    uint8_t a[512], b[1536], back[2048];
    struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } }, one = { big, 65536 };
    struct iovec rd = { back, sizeof(back) };
    int r1 = 1, r2 = 1, r3 = 1, r4 = 1;
    BlockBackend *blk = open_image(img, "raw", false);
    g_autofree char *data = NULL;
    gsize len;

    blk_set_enable_write_cache(blk, false);
    memset(a, fill, sizeof(a));
    memset(b, fill + 1, sizeof(b));
    memset(big, fill + 2, 65536);
    blk_aio_pwritev(blk, 8192, iov, 2, on_done, &r1);
    blk_aio_pwritev(blk, 65536, &one, 1, on_done, &r2);
    blk_drain(blk);
    g_assert_cmpint(r1, ==, 0);
    g_assert_cmpint(r2, ==, 0);
    blk_aio_preadv(blk, 8192, &rd, 1, on_done, &r3);
    blk_aio_flush(blk, on_done, &r4);
    blk_drain(blk);
    g_assert_cmpint(r3, ==, 0);
    g_assert_cmpint(r4, ==, 0);
    g_assert_cmpint(back[0], ==, fill);
    g_assert_cmpint(back[511], ==, fill);
    g_assert_cmpint(back[512], ==, fill + 1);
    g_assert_cmpint(back[2047], ==, fill + 1);
    blk_unref(blk);
    g_assert_true(g_file_get_contents(img, &data, &len, NULL));
    g_assert_cmpuint(len, ==, 1024 * 1024);
    g_assert_cmpint(data[8192], ==, (char)fill);
    g_assert_cmpint(data[65536 + 65535], ==, (char)(fill + 2));
}

static void test_aio_raw(void)
{
    g_autofree char *img = tmp_path("aio.raw");
    g_autofree uint8_t *zeros = g_malloc0(1024 * 1024);
    uint64_t before = luring_submitted();

    write_file(img, zeros, 1024 * 1024);
    if (!luring_available()) {
        g_error("the host refused an io_uring ring: the io_uring path is untested");
    }
    raw_aio_round(img, 0x10);
    g_assert_cmpuint(luring_submitted(), ==, before + 4);
    luring_disable();
    raw_aio_round(img, 0x40);
    g_assert_cmpuint(luring_submitted(), ==, before + 4);
}

/* A raw image whose format was guessed keeps its first sector from turning into a header. */
static void test_raw_probed_block0(void)
{
    g_autofree char *img = tmp_path("probed.raw");
    g_autofree uint8_t *zeros = g_malloc0(65536);
    static const uint8_t magic[8] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    uint8_t sector[512] = { 0 };
    BlockBackend *blk;

    write_file(img, zeros, 65536);
    blk = open_image(img, NULL, false);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "raw");
    g_assert_cmpint(blk_pwrite(blk, 0, magic, sizeof(magic)), ==, -EPERM);
    memcpy(sector, magic, sizeof(magic));
    g_assert_cmpint(blk_pwrite(blk, 0, sector, sizeof(sector)), ==, -EPERM);
    g_assert_cmpint(blk_pwrite(blk, 4, magic + 4, 4), ==, 0); /* not a header by itself */
    g_assert_cmpint(blk_pwrite(blk, 0, magic, 3), ==, 0);     /* "QFI" then 0: still raw */
    g_assert_cmpint(blk_pwrite(blk, 512, magic, sizeof(magic)), ==, 0);
    blk_unref(blk);
    /* format=raw given: the guest owns every byte. */
    blk = open_image(img, "raw", false);
    g_assert_cmpint(blk_pwrite(blk, 0, sector, sizeof(sector)), ==, 0);
    blk_unref(blk);
}

static void test_open_errors(void)
{
    g_autofree char *raw = tmp_path("e.raw"), *img = tmp_path("e.qcow2");
    g_autofree char *out = NULL;
    g_autoptr(GHashTable) o = bdrv_opts_new();
    Error *err = NULL;
    uint8_t zeros[4096] = { 0 };

    write_file(raw, zeros, sizeof(zeros));
    bdrv_opts_set(o, "driver", "qcow2");
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", raw);
    g_assert_null(bdrv_open_opts(o, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Image is not in qcow2 format");
    error_free(g_steal_pointer(&err));
    /* A backing file that is gone. */
    g_assert_cmpint(run(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "gone.qcow2",
                        "-F", "qcow2", img, "1M", NULL),
                    ==, 0);
    bdrv_opts_set(o, "file.filename", img);
    g_assert_null(bdrv_open_opts(o, &err));
    g_assert_true(g_str_has_prefix(error_get_pretty(err), "Could not open backing file: "));
    error_free(g_steal_pointer(&err));
}

int main(int argc, char **argv)
{
    static const char *const v3_64k[] = { "cluster_size=65536", NULL };
    static const char *const v3_512[] = { "cluster_size=512", NULL };
    static const char *const v2[] = { "compat=0.10", NULL };
    static const char *const rc1[] = { "refcount_bits=1,cluster_size=4096", NULL };
    static const char *const rc64[] = { "refcount_bits=64", NULL };
    static const char *const comp[] = { "cluster_size=4096", "-c" };
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-qcow2-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_data_func("/qcow2/read/v3-64k", v3_64k, test_read_qemu_img);
    g_test_add_data_func("/qcow2/read/v3-512", v3_512, test_read_qemu_img);
    g_test_add_data_func("/qcow2/read/v2", v2, test_read_qemu_img);
    g_test_add_data_func("/qcow2/read/refcount-bits-1", rc1, test_read_qemu_img);
    g_test_add_data_func("/qcow2/read/refcount-bits-64", rc64, test_read_qemu_img);
    g_test_add_data_func("/qcow2/read/compressed", comp, test_read_qemu_img);
    g_test_add_data_func("/qcow2/write/v3-64k", "cluster_size=65536", test_write_workload);
    g_test_add_data_func("/qcow2/write/v3-4k", "cluster_size=4096", test_write_workload);
    g_test_add_data_func("/qcow2/write/v3-512", "cluster_size=512", test_write_workload);
    g_test_add_data_func("/qcow2/write/v2", "compat=0.10", test_write_workload);
    g_test_add_data_func("/qcow2/write/refcount-bits-1", "refcount_bits=1,cluster_size=4096",
                         test_write_workload);
    g_test_add_data_func("/qcow2/write/refcount-bits-64", "refcount_bits=64", test_write_workload);
    g_test_add_func("/qcow2/refcount-table-growth", test_refcount_table_growth);
    g_test_add_func("/qcow2/backing-chain", test_backing_chain);
    g_test_add_data_func("/qcow2/resize/64k", "cluster_size=65536", test_resize);
    g_test_add_data_func("/qcow2/resize/512", "cluster_size=512", test_resize);
    g_test_add_data_func("/qcow2/resize/v2", "compat=0.10", test_resize);
    g_test_add_func("/qcow2/resize/huge-l1", test_resize_huge_l1);
    g_test_add_data_func("/qcow2/resize/refcount-bits-1", "refcount_bits=1,cluster_size=4096",
                         test_resize);
    g_test_add_func("/qcow2/compressed-rewrite", test_compressed_rewrite);
    g_test_add_func("/qcow2/create", test_create);
    g_test_add_func("/qcow2/sigkill", test_sigkill);
    g_test_add_func("/block/aio", test_aio);
    g_test_add_func("/block/open-errors", test_open_errors);
    g_test_add_func("/block/aio-raw", test_aio_raw);
    g_test_add_func("/block/raw-probed-block0", test_raw_probed_block0);
    ret = g_test_run();
    run(NULL, "rm", "-rf", tmpdir, NULL);
    return ret;
}

/*
 * spapr-nvram through the real binary: nvram-fetch/nvram-store round trips,
 * every refusal (-3 with nothing written), contents kept across a machine
 * reset, and an image file read at start and written through.
 */
#include "libqtest.h"

#include <glib/gstdio.h>
#include <string.h>

#define H_SUCCESS 0
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_PARAM_ERROR 0xfffffffdU /* -3 in a 32-bit cell */
#define UNTOUCHED 0xeeeeeeeeU

#define RAM_SIZE (256ULL << 20)
#define ARGS_ADDR 0x1000
#define RETS_ADDR 0x2000
#define BUF_ADDR 0x10000
#define NVRAM_SIZE 0x10000

/* Call a service with (offset, buffer, len) and nargs/nret as given; rets[2]. */
static uint32_t nvram_call(QTestState *s, const char *name, uint32_t offset, uint32_t buffer,
                           uint32_t len, uint32_t nargs, uint32_t nret, uint32_t rets[2])
{
    qtest_writel(s, ARGS_ADDR, offset);
    qtest_writel(s, ARGS_ADDR + 4, buffer);
    qtest_writel(s, ARGS_ADDR + 8, len);
    qtest_writel(s, RETS_ADDR, UNTOUCHED);
    qtest_writel(s, RETS_ADDR + 4, UNTOUCHED);
    g_assert_cmphex(qtest_rtas_call(s, name, nargs, ARGS_ADDR, nret, RETS_ADDR), ==, H_SUCCESS);
    rets[0] = qtest_readl(s, RETS_ADDR);
    rets[1] = qtest_readl(s, RETS_ADDR + 4);
    return rets[0];
}

static void store(QTestState *s, uint32_t offset, const void *data, uint32_t len)
{
    uint32_t rets[2];

    qtest_memwrite(s, BUF_ADDR, data, len);
    g_assert_cmphex(nvram_call(s, "nvram-store", offset, BUF_ADDR, len, 3, 2, rets), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmphex(rets[1], ==, len);
}

static void fetch(QTestState *s, uint32_t offset, void *data, uint32_t len)
{
    uint32_t rets[2];

    qtest_memset(s, BUF_ADDR, 0x5a, len);
    g_assert_cmphex(nvram_call(s, "nvram-fetch", offset, BUF_ADDR, len, 3, 2, rets), ==,
                    RTAS_OUT_SUCCESS);
    g_assert_cmphex(rets[1], ==, len);
    qtest_memread(s, BUF_ADDR, data, len);
}

static void random_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = g_test_rand_int();
    }
}

/* Round trips at the start, the middle and the very end, of several lengths. */
static void test_round_trips(void)
{
    static const uint32_t cases[][2] = {
        { 0, 1 }, { 0, 16 }, { 0x123, 777 }, { 0x8000, 4096 }, { NVRAM_SIZE - 8, 8 }, { 0, 0 },
    };
    QTestState *s = qtest_init("-m 256M -nodefaults");
    uint8_t zero[16] = { 0 }, got[4096], want[4096];

    /* A fresh nvram (no image) reads as zeros. */
    fetch(s, 0, got, 16);
    g_assert_cmpmem(got, 16, zero, 16);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint32_t off = cases[i][0], len = cases[i][1];

        random_bytes(want, len);
        store(s, off, want, len);
        fetch(s, off, got, len);
        g_assert_cmpmem(got, len, want, len);
    }
    qtest_quit(s);
}

/* Out of the nvram, or a buffer out of RAM: -3, and neither side changes. */
static void test_refusals(void)
{
    static const uint32_t bad[][3] = {
        /* offset, buffer, length */
        { NVRAM_SIZE - 8, BUF_ADDR, 9 }, { NVRAM_SIZE, BUF_ADDR, 1 },
        { NVRAM_SIZE + 1, BUF_ADDR, 0 }, { 0xffffffff, BUF_ADDR, 2 },
        { 1, BUF_ADDR, 0xffffffff },     { 0, RAM_SIZE - 8, 16 },
        { 0, 0xfffffff0, 16 },
    };
    QTestState *s = qtest_init("-m 256M -nodefaults");
    uint8_t pattern[64], got[64], zero[64] = { 0 };
    uint32_t rets[2];

    random_bytes(pattern, sizeof(pattern));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        qtest_memwrite(s, BUF_ADDR, pattern, sizeof(pattern));
        /* nvram-store: -3, length cell untouched (QEMU 7.2) */
        g_assert_cmphex(nvram_call(s, "nvram-store", bad[i][0], bad[i][1], bad[i][2], 3, 2, rets),
                        ==, RTAS_OUT_PARAM_ERROR);
        g_assert_cmphex(rets[1], ==, UNTOUCHED);
        /* nvram-fetch: -3, length 0, the buffer keeps its bytes */
        g_assert_cmphex(nvram_call(s, "nvram-fetch", bad[i][0], bad[i][1], bad[i][2], 3, 2, rets),
                        ==, RTAS_OUT_PARAM_ERROR);
        g_assert_cmphex(rets[1], ==, 0);
        qtest_memread(s, BUF_ADDR, got, sizeof(got));
        g_assert_cmpmem(got, sizeof(got), pattern, sizeof(pattern));
    }
    /* Nothing reached the nvram either (its last bytes were the targets). */
    fetch(s, NVRAM_SIZE - 64, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);
    fetch(s, 0, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);
    /* Wrong counts: -3 in the status cell only. */
    g_assert_cmphex(nvram_call(s, "nvram-fetch", 0, BUF_ADDR, 8, 2, 2, rets), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    g_assert_cmphex(nvram_call(s, "nvram-fetch", 0, BUF_ADDR, 8, 3, 1, rets), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(nvram_call(s, "nvram-store", 0, BUF_ADDR, 8, 3, 3, rets), ==,
                    RTAS_OUT_PARAM_ERROR);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    g_assert_cmphex(nvram_call(s, "nvram-store", 0, BUF_ADDR, 8, 4, 2, rets), ==,
                    RTAS_OUT_PARAM_ERROR);
    fetch(s, 0, got, 8);
    g_assert_cmpmem(got, 8, zero, 8);
    qtest_quit(s);
}

/* A machine reset keeps the contents. */
static void test_reset_keeps(void)
{
    QTestState *s = qtest_init("-m 256M -nodefaults");
    uint8_t want[256], got[256];

    random_bytes(want, sizeof(want));
    store(s, 0x4000, want, sizeof(want));
    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    fetch(s, 0x4000, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), want, sizeof(want));
    qtest_quit(s);
}

/* With an image: its bytes at start, stores written through at once. */
static void test_image(void)
{
    char *dir = g_dir_make_tmp("nvram-XXXXXX", NULL);
    char *path = g_build_filename(dir, "nvram.img", NULL);
    char *args = g_strdup_printf("-m 256M -nodefaults -drive if=pflash,file=%s,format=raw", path);
    uint8_t image[16384], got[64], want[64];
    gchar *contents;
    gsize len;
    QTestState *s;

    random_bytes(image, sizeof(image));
    g_assert_true(g_file_set_contents(path, (char *)image, sizeof(image), NULL));
    s = qtest_init(args);
    fetch(s, 0x3000, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), image + 0x3000, sizeof(got));
    random_bytes(want, sizeof(want));
    store(s, 0x3fc0, want, sizeof(want));
    /* Before the process ends, the file already holds them. */
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, sizeof(image));
    g_assert_cmpmem(contents + 0x3fc0, 64, want, 64);
    g_assert_cmpmem(contents, 0x3fc0, image, 0x3fc0);
    g_free(contents);
    qtest_quit(s);
    g_unlink(path);
    g_rmdir(dir);
    g_free(args);
    g_free(path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/nvram/round-trips", test_round_trips);
    g_test_add_func("/nvram/refusals", test_refusals);
    g_test_add_func("/nvram/reset-keeps", test_reset_keeps);
    g_test_add_func("/nvram/image", test_image);
    return g_test_run();
}

/*
 * qtest's memory commands reach device registers through the memory map, as
 * in QEMU: the server runs in this process on a file chardev and is fed lines.
 */
#include "qtest/qtest.h"
#include "chardev/char-internal.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include <glib/gstdio.h>

#define RAM_SIZE (1 * MiB)
#define DEV 0x100000u /* right after RAM (1 MiB): a range may span both */
#define DEV_SIZE 16

/* Four big-endian 32-bit registers; the callbacks only do whole registers. */
static uint32_t regs[DEV_SIZE / 4];
static GString *calls;

static uint64_t reg_read(void *opaque, hwaddr offset, unsigned size)
{
    g_string_append_printf(calls, "r%" PRIx64 " ", offset);
    return regs[offset / 4];
}

static void reg_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    g_string_append_printf(calls, "w%" PRIx64 " ", offset);
    regs[offset / 4] = value;
}

static const MemoryRegionOps reg_ops = {
    .read = reg_read,
    .write = reg_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static char *out_path;
static Chardev *chr;
static size_t out_seen;

/* Send one line; the server's reply line. */
static char *qtest(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static char *qtest(const char *fmt, ...)
{
    g_autofree char *line = NULL;
    g_autofree char *out = NULL;
    va_list ap;
    gsize len;
    char *reply;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_string_truncate(calls, 0);
    chr_be_write(chr, (const uint8_t *)line, strlen(line));
    chr_be_write(chr, (const uint8_t *)"\n", 1);
    g_assert_true(g_file_get_contents(out_path, &out, &len, NULL));
    g_assert_cmpuint(len, >, out_seen);
    g_assert_cmpint(out[len - 1], ==, '\n');
    reply = g_strndup(out + out_seen, len - out_seen - 1);
    out_seen = len;
    return reply;
}

#define assert_qtest(want, ...)                                                                    \
    do {                                                                                           \
        g_autofree char *r_ = qtest(__VA_ARGS__);                                                  \
        g_assert_cmpstr(r_, ==, want);                                                             \
    } while (0)

static void set_regs(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    regs[0] = a;
    regs[1] = b;
    regs[2] = c;
    regs[3] = d;
}

/* readb..readq and writeb..writeq: one access each, in the target's (big-endian) order. */
static void test_sized(void)
{
    set_regs(0x11223344, 0x55667788, 0, 0);
    assert_qtest("OK 0x0000000011223344", "readl 0x%x", DEV);
    assert_qtest("OK 0x1122334455667788", "readq 0x%x", DEV);
    g_assert_cmpstr(calls->str, ==, "r0 r4 ");
    assert_qtest("OK 0x0000000000000066", "readb 0x%x", DEV + 5);
    g_assert_cmpstr(calls->str, ==, "r4 ");
    assert_qtest("OK 0x0000000000003344", "readw 0x%x", DEV + 2);
    assert_qtest("OK", "writel 0x%x 0xdeadbeef", DEV + 8);
    g_assert_cmphex(regs[2], ==, 0xdeadbeef);
    /* A byte store to a word register: that byte, zeros around it (QEMU). */
    assert_qtest("OK", "writeb 0x%x 0x1ab", DEV + 9);
    g_assert_cmphex(regs[2], ==, 0x00ab0000);
    assert_qtest("OK", "writeq 0x%x 0x0102030405060708", DEV + 8);
    g_assert_cmphex(regs[2], ==, 0x01020304);
    g_assert_cmphex(regs[3], ==, 0x05060708);
    /*
     * Misaligned: QEMU's qtest reaches the device as the aligned accesses it
     * takes (here two 2-byte halves, each widened to its register).
     */
    set_regs(0x11223344, 0x55667788, 0, 0);
    assert_qtest("OK 0x0000000033445566", "readl 0x%x", DEV + 2);
    g_assert_cmpstr(calls->str, ==, "r0 r4 ");
    assert_qtest("OK", "writel 0x%x 0xa1b2c3d4", DEV + 9);
    /* Bytes 9, 10-11, 12: each piece widened to its register, zeros around it. */
    g_assert_cmpstr(calls->str, ==, "w8 w8 wc ");
    g_assert_cmphex(regs[2], ==, 0x0000b2c3);
    g_assert_cmphex(regs[3], ==, 0xd4000000);
    /*
     * Into a hole: QEMU's qtest ignores what the access returns, so the part
     * a register takes is done, the hole reads as zeros and drops the rest.
     */
    set_regs(0, 0, 0, 0x11223344);
    assert_qtest("OK", "writew 0x%x 0xabcd", DEV + 15);
    g_assert_cmpstr(calls->str, ==, "wc ");
    g_assert_cmphex(regs[3], ==, 0x000000ab);
    assert_qtest("OK 0x0000000000000000", "readb 0x%x", DEV + DEV_SIZE);
    assert_qtest("OK 0x000000000000ab00", "readw 0x%x", DEV + 15);
    assert_qtest("OK", "writeq 0x%x 1", DEV + DEV_SIZE);
    g_assert_cmpstr(calls->str, ==, "");
    /* RAM as before. */
    assert_qtest("OK", "writew 0x100 0xbeef");
    assert_qtest("OK 0x00000000000000ef", "readb 0x101");
}

/* read/write/b64read/b64write/memset: byte ranges over RAM and registers. */
static void test_ranges(void)
{
    g_autofree char *b64 = NULL;
    g_autofree char *want = NULL;

    set_regs(0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00);
    guest_stl_be(DEV - 4, 0xcafef00d);
    assert_qtest("OK 0xcafef00d112233445566778899aabbccddeeff00", "read 0x%x 20", DEV - 4);
    assert_qtest("OK 0x66778899", "read 0x%x 4", DEV + 5);
    b64 = g_base64_encode((const guchar *)"\x11\x22\x33\x44", 4);
    want = g_strdup_printf("OK %s", b64);
    assert_qtest(want, "b64read 0x%x 4", DEV);

    /* Across the end of RAM into the registers. */
    assert_qtest("OK", "write 0x%x 8 0x0102030405060708", DEV - 4);
    g_assert_cmphex(regs[0], ==, 0x05060708);
    {
        uint32_t v;

        g_assert_true(guest_ldl_be(DEV - 4, &v));
        g_assert_cmphex(v, ==, 0x01020304);
    }
    assert_qtest("OK", "b64write 0x%x 4 qrvM3Q==", DEV + 4);
    g_assert_cmphex(regs[1], ==, 0xaabbccdd);
    assert_qtest("OK", "memset 0x%x 8 0x5a", DEV + 8);
    g_assert_cmphex(regs[2], ==, 0x5a5a5a5a);
    g_assert_cmphex(regs[3], ==, 0x5a5a5a5a);

    /* Running off the registers into the hole: what they take is done, the rest dropped. */
    assert_qtest("OK", "write 0x%x 8 0x0102030405060708", DEV + 12);
    g_assert_cmphex(regs[3], ==, 0x01020304);
    assert_qtest("OK 0x0102030400", "read 0x%x 5", DEV + 12);
    assert_qtest("OK", "b64write 0x%x 4 qrvM3Q==", DEV + 14);
    g_assert_cmphex(regs[3], ==, 0x0000aabb);
    assert_qtest("OK", "memset 0x%x 21 0", DEV - 4);
    g_assert_cmphex(regs[0] | regs[1] | regs[2] | regs[3], ==, 0);
    {
        uint32_t v;

        g_assert_true(guest_ldl_be(DEV - 4, &v));
        g_assert_cmphex(v, ==, 0);
    }
    /* Wholly in a hole: zeros, and a memset larger than a transfer is refused. */
    assert_qtest("OK 0x00000000", "read 0x%x 4", DEV + 0x1000);
    assert_qtest("OK", "memset 0x%x 16 0xff", DEV + 0x1000);
    assert_qtest("FAIL size too large (max 33554432)", "memset 0x%x 0x2000001 0", DEV + 0x1000);
}

/* A bus window (a PHB's): its holes read as zeros and drop writes; its regions work as before. */
static void test_window(void)
{
    MemoryWindow *w = memory_map_add_window(DEV - 0x100, 0x200);
    uint64_t v = 1;

    set_regs(0x11223344, 0, 0, 0);
    assert_qtest("OK 0x0000000000000000", "readl 0x%x", DEV + DEV_SIZE);
    assert_qtest("OK", "writeq 0x%x 1", DEV + DEV_SIZE);
    assert_qtest("OK 0x0000000011223344", "readl 0x%x", DEV);
    /* A range from the registers into the window's hole. */
    assert_qtest("OK 0x112233440000000000000000000000000000000000", "read 0x%x 21", DEV);
    g_assert_true(memory_map_read(DEV + 0x80, 8, true, &v));
    g_assert_cmphex(v, ==, 0);
    g_assert_true(memory_map_write(DEV + 0x80, 4, false, 7));
    /*
     * A processor's access works only inside the window: across its end or a
     * region's edge it fails (qtest's reads zeros there all the same).
     */
    assert_qtest("OK 0x0000000000000000", "readb 0x%x", DEV + 0x100);
    g_assert_false(memory_map_read(DEV + 0x100, 1, true, &v));
    g_assert_false(memory_map_read(DEV + 0xfc, 8, true, &v));
    g_assert_false(memory_map_read(DEV + DEV_SIZE - 2, 4, true, &v));
    memory_map_remove_window(w);
    assert_qtest("OK 0x0000000000000000", "readl 0x%x", DEV + DEV_SIZE);
    g_assert_false(memory_map_read(DEV + DEV_SIZE, 4, true, &v));
}

int main(int argc, char **argv)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *spec = NULL;
    char *err = NULL;
    int fd;
    int ret;

    g_test_init(&argc, &argv, NULL);
    module_call_init();
    calls = g_string_new(NULL);
    guest_ram_init(RAM_SIZE);
    g_assert_nonnull(memory_map_add_io("regs", DEV, DEV_SIZE, &reg_ops, NULL, &gerr));
    fd = g_file_open_tmp("qtest-out-XXXXXX", &out_path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    spec = g_strdup_printf("file:%s", out_path);
    if (!qtest_server_init(spec, NULL, &err)) {
        g_error("qtest server: %s", err);
    }
    chr = qemu_chr_find("qtest");
    g_assert_nonnull(chr);
    g_test_add_func("/qtest-mmio/sized", test_sized);
    g_test_add_func("/qtest-mmio/ranges", test_ranges);
    g_test_add_func("/qtest-mmio/window", test_window);
    ret = g_test_run();
    g_unlink(out_path);
    return ret;
}

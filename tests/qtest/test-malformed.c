/*
 * Garbage on the qtest socket: every bad line gets one FAIL reply, nothing
 * crashes, and a good command works afterwards.  Random parts are seeded
 * (QTEST_SEED overrides the seed) so a failure can be replayed.
 */
#include "libqtest.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define RAM_SIZE (256ULL << 20)
#define ARGS "-m 256M"
#define MAX_LINE (64 << 20)

static guint32 seed = 20240611;

/* The server is alive and in sync: a known command gets its known reply. */
static void check_alive(QTestState *s)
{
    char *reply;

    qtest_writeb(s, 0x800, 0xa5);
    reply = qtest_command(s, "readb 0x800");
    g_assert_cmpstr(reply, ==, "OK 0x00000000000000a5");
    g_free(reply);
}

static void check_fail(QTestState *s, const char *line)
{
    char *reply = qtest_command(s, "%s", line);

    if (!g_str_has_prefix(reply, "FAIL")) {
        g_error("'%.100s' was accepted: '%.100s'", line, reply);
    }
    g_free(reply);
    check_alive(s);
}

static void test_bad_numbers(void)
{
    QTestState *s = qtest_init(ARGS);
    static const char *lines[] = {
        "readb -1",
        "readb +1",
        "readb -0x10",
        "writeb -5 1",
        "writeb 5 -1",
        "readb 0x10000000000000000",
        "readb 99999999999999999999999",
        "readb 18446744073709551616",
        "readb 1e3",
        "readb 0x1p3",
        "readb 0x",
        "readb 0x0x10",
        "readb x10",
        "readb 0b101",
        "readb ''",
        "readb \"0\"",
        "read 0 -1",
        "memset 0 1 -1",
        "clock_step -1",
        "clock_step 0x8000000000000000",
        "clock_set 0x8000000000000000",
        "hcall -4",
        "hcall 0x58 -1",
        "rtas get-time-of-day -1 0 8 0",
        "rtas get-time-of-day 0 0 4294967296 0",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        check_fail(s, lines[i]);
    }
    qtest_quit(s);
}

static void test_huge_sizes(void)
{
    QTestState *s = qtest_init(ARGS);
    static const char *lines[] = {
        "read 0 0xffffffffffffffff",
        "read 0 0x10000001",
        "read 0 0x2000001",
        "b64read 0 99999999999",
        "b64read 0 0x2000001",
        "memset 0 0xffffffffffffffff 0",
        "memset 0x10000000 0x2000001 0",
        "write 0 0xffffffffffffffff 0x00",
        "b64write 0 0xffffffffffffffff AA==",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        check_fail(s, lines[i]);
    }
    qtest_quit(s);
}

/*
 * Every access command, at the end of RAM and beyond, wrapping or not: as
 * QEMU 7.2's qtest, each is done (zeros where nothing is) and the session goes on.
 */
static void test_addresses(void)
{
    QTestState *s = qtest_init(ARGS);
    static const char *cmds[] = {
        "readb %s",     "readw %s",           "readl %s",       "readq %s",   "writeb %s 1",
        "writew %s 1",  "writel %s 1",        "writeq %s 1",    "read %s 16", "write %s 2 0x1234",
        "b64read %s 4", "b64write %s 3 AAAA", "memset %s 16 1",
    };
    static const uint64_t addrs[] = {
        RAM_SIZE + 1,
        RAM_SIZE << 4,
        1ULL << 63,
        ~0ULL - 0x1000,
    };

    for (size_t a = 0; a < G_N_ELEMENTS(addrs); a++) {
        char *addr = g_strdup_printf("0x%" PRIx64, addrs[a]);

        for (size_t c = 0; c < G_N_ELEMENTS(cmds); c++) {
            char *line = g_strdup_printf(cmds[c], addr);
            char *reply = qtest_command(s, "%s", line);

            if (strncmp(reply, "OK", 2) != 0) {
                g_error("'%s': %s", line, reply);
            }
            /* Nothing is there: every read is zeros, whatever was written. */
            if (!strncmp(line, "read", 4) && strspn(reply + 5, "0") != strlen(reply + 5)) {
                g_error("'%s' read non-zero: %s", line, reply);
            }
            g_free(reply);
            g_free(line);
            check_alive(s);
        }
        g_free(addr);
    }
    qtest_quit(s);
}

static void test_words(void)
{
    QTestState *s = qtest_init(ARGS);
    static const char *lines[] = {
        "",
        " ",
        "\t",
        "\r",
        "nope",
        "readb",
        "writeb 0x10",
        "read 0x10",
        "write 0x10 1",
        "b64write",
        "memset 0 1",
        "clock_set",
        "rtas",
        "rtas get-time-of-day 0 0 8",
        "hcall",
        "hcall 1 2 3 4 5 6 7 8 9 10 11",
        "readb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22",
        "endianness big",
        "OK",
        "FAIL",
        "irq_intercept_in /machine",
        "outb 0x10",
        "inb 0x10 0x20",
        "set_irq_in x y 0 1",
        "module_load a b",
        "write 0x10 1 0xgg",
        "write 0x10 1 ff",
        "b64write 0x10 1 ====",
        "b64write 0x10 1 A===",
        "b64write 0x10 2 AAA",
        "b64write 0x10 1 AA=A",
        "write 0x10 3 0x00000000",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        check_fail(s, lines[i]);
    }
    qtest_quit(s);
}

/* Random bytes lines: each gets exactly one reply (OK or FAIL). */
static void test_random_lines(void)
{
    QTestState *s = qtest_init(ARGS);
    GRand *rand = g_rand_new_with_seed(seed);
    static const char *prefixes[] = {
        "",       "readb ", "write 0x100 8 0x", "b64write 0x100 8 ",
        "hcall ", "rtas ",  "memset ",          "clock_step ",
    };

    g_test_message("seed %" G_GUINT32_FORMAT, seed);
    for (int n = 0; n < 300; n++) {
        GString *line = g_string_new(prefixes[n % G_N_ELEMENTS(prefixes)]);
        int len = g_rand_int_range(rand, 0, n % 10 == 0 ? 4000 : 60);
        char *reply;

        for (int i = 0; i < len; i++) {
            char c = g_rand_int_range(rand, 0, 256);

            /* Keep one line per request; NUL bytes stay in. */
            g_string_append_c(line, c == '\n' ? ' ' : c);
        }
        g_string_append_c(line, '\n');
        qtest_send_raw(s, line->str, line->len);
        reply = qtest_read_reply(s);
        if (!g_str_has_prefix(reply, "FAIL") && !g_str_has_prefix(reply, "OK")) {
            g_error("line %d: bad reply '%.80s'", n, reply);
        }
        g_free(reply);
        g_string_free(line, TRUE);
        check_alive(s);
    }
    g_rand_free(rand);
    qtest_quit(s);
}

/* A 1 MiB unknown line; then a line over the limit, dropped whole. */
static void test_long_lines(void)
{
    QTestState *s = qtest_init(ARGS);
    size_t len = MAX_LINE + (1 << 20);
    char *big = g_malloc(len + 1);
    char *reply;

    memset(big, 'x', 1 << 20);
    big[1 << 20] = '\n';
    qtest_send_raw(s, big, (1 << 20) + 1);
    reply = qtest_read_reply(s);
    g_assert_true(g_str_has_prefix(reply, "FAIL Unknown command"));
    g_free(reply);
    check_alive(s);

    /* "writeb 0x800 0x11" followed by junk: must not be executed. */
    memset(big, 'y', len);
    memcpy(big, "writeb 0x800 0x11 ", 18);
    big[len] = '\n';
    qtest_send_raw(s, big, len + 1);
    reply = qtest_read_reply(s);
    g_assert_cmpstr(reply, ==, "FAIL line too long");
    g_free(reply);
    check_alive(s);
    g_free(big);
    qtest_quit(s);
}

/* Many requests in one write, replies in order. */
static void test_pipelined(void)
{
    QTestState *s = qtest_init(ARGS);
    GString *batch = g_string_new(NULL);

    for (int i = 0; i < 2000; i++) {
        g_string_append_printf(batch, i % 3 ? "writeb 0x%x 0x%x\n" : "bad %d %d\n", 0x1000 + i,
                               i & 0xff);
    }
    qtest_send_raw(s, batch->str, batch->len);
    for (int i = 0; i < 2000; i++) {
        char *reply = qtest_read_reply(s);

        g_assert_cmpstr(reply, ==, i % 3 ? "OK" : "FAIL Unknown command 'bad'");
        g_free(reply);
    }
    for (int i = 1; i < 2000; i += 3) {
        g_assert_cmphex(qtest_readb(s, 0x1000 + i), ==, i & 0xff);
    }
    g_string_free(batch, TRUE);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    const char *env = getenv("QTEST_SEED");

    g_test_init(&argc, &argv, NULL);
    if (env) {
        seed = strtoul(env, NULL, 0);
    }
    g_test_add_func("/malformed/bad-numbers", test_bad_numbers);
    g_test_add_func("/malformed/huge-sizes", test_huge_sizes);
    g_test_add_func("/malformed/addresses", test_addresses);
    g_test_add_func("/malformed/words", test_words);
    g_test_add_func("/malformed/random-lines", test_random_lines);
    g_test_add_func("/malformed/long-lines", test_long_lines);
    g_test_add_func("/malformed/pipelined", test_pipelined);
    return g_test_run();
}

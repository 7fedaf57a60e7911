/*
 * The qtest line protocol through the real binary: every command, its reply
 * format, its errors, and that the session goes on after each error.
 */
#include "libqtest.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RAM_SIZE (256ULL << 20)
#define ARGS "-m 256M"

/* Send a command and check the whole reply line. */
static void check_reply(QTestState *s, const char *cmd, const char *expected)
{
    char *reply = qtest_command(s, "%s", cmd);

    if (strcmp(reply, expected) != 0) {
        g_error("'%.80s': expected '%s', got '%s'", cmd, expected, reply);
    }
    g_free(reply);
}

/* Send a command that must fail, then check that the session still works. */
static void check_fail(QTestState *s, const char *cmd)
{
    char *reply = qtest_command(s, "%s", cmd);

    if (!g_str_has_prefix(reply, "FAIL")) {
        g_error("'%.80s': expected FAIL, got '%.80s'", cmd, reply);
    }
    g_free(reply);
    check_reply(s, "endianness", "OK big");
}

static void test_endianness(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "endianness", "OK big");
    check_fail(s, "endianness extra");
    qtest_quit(s);
}

/* The I/O port space is empty on pseries, as in QEMU: writes vanish, reads are all ones. */
static void test_ports(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "outl 0xae08 0x40", "OK");
    check_reply(s, "outb 0x80 0x1", "OK");
    check_reply(s, "outw 0x10 0x1234", "OK");
    check_reply(s, "inb 0x80", "OK 0x00ff");
    check_reply(s, "inw 0x10", "OK 0xffff");
    check_reply(s, "inl 0xae08", "OK 0xffffffff");
    check_fail(s, "inb");
    check_fail(s, "outb 0x80");
    check_fail(s, "inl zz");
    qtest_quit(s);
}

/* Multi-byte accesses are big-endian in guest memory. */
static void test_widths(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "writeq 0x1000 0x1122334455667788", "OK");
    check_reply(s, "readb 0x1000", "OK 0x0000000000000011");
    check_reply(s, "readw 0x1000", "OK 0x0000000000001122");
    check_reply(s, "readl 0x1000", "OK 0x0000000011223344");
    check_reply(s, "readq 0x1000", "OK 0x1122334455667788");
    check_reply(s, "readb 0x1007", "OK 0x0000000000000088");
    check_reply(s, "read 0x1000 8", "OK 0x1122334455667788");

    qtest_writel(s, 0x2000, 0xdeadbeef);
    g_assert_cmphex(qtest_readb(s, 0x2000), ==, 0xde);
    g_assert_cmphex(qtest_readw(s, 0x2002), ==, 0xbeef);
    qtest_writew(s, 0x2000, 0x1234);
    g_assert_cmphex(qtest_readl(s, 0x2000), ==, 0x1234beef);
    qtest_writeb(s, 0x2003, 0x5a);
    g_assert_cmphex(qtest_readl(s, 0x2000), ==, 0x1234be5a);
    /* Decimal numbers are accepted too. */
    check_reply(s, "writeb 8192 255", "OK");
    check_reply(s, "readb 8192", "OK 0x00000000000000ff");
    /* As QEMU, a value wider than the access is truncated. */
    check_reply(s, "writeb 0x3000 0x1ff", "OK");
    check_reply(s, "readw 0x3000", "OK 0x000000000000ff00");
    qtest_quit(s);
}

static void test_read_write(void)
{
    QTestState *s = qtest_init(ARGS);
    uint8_t buf[4];

    check_reply(s, "write 0x4000 4 0xdeadbeef", "OK");
    check_reply(s, "read 0x4000 4", "OK 0xdeadbeef");
    check_reply(s, "read 0x4000 0", "OK 0x");
    /* Two blocks of eight and a tail of three, from an odd address. */
    check_reply(s, "write 0x4001 19 0x00112233445566778899aabbccddeeff102030", "OK");
    check_reply(s, "read 0x4001 19", "OK 0x00112233445566778899aabbccddeeff102030");
    check_reply(s, "read 0x4003 7", "OK 0x22334455667788");
    /* Short data is padded with zeros, as QEMU does. */
    check_reply(s, "write 0x4000 4 0x11", "OK");
    check_reply(s, "read 0x4000 4", "OK 0x11000000");
    check_reply(s, "write 0x4000 2 0xABcd", "OK");
    qtest_memread(s, 0x4000, buf, 4);
    g_assert_cmphex(buf[0], ==, 0xab);
    g_assert_cmphex(buf[1], ==, 0xcd);
    g_assert_cmphex(buf[2], ==, 0x00);

    check_fail(s, "write 0x4000 2 0x112233"); /* longer than size */
    check_fail(s, "write 0x4000 2 0x123");    /* odd digit count */
    check_fail(s, "write 0x4000 2 1234");     /* no 0x */
    check_fail(s, "write 0x4000 2 0xzz");
    check_fail(s, "write 0x4000 2");
    check_fail(s, "read 0x4000");
    check_fail(s, "read 0x4000 4 4");
    check_reply(s, "read 0x4000 4", "OK 0xabcd0000");
    qtest_quit(s);
}

static void test_b64(void)
{
    QTestState *s = qtest_init(ARGS);
    GRand *rand = g_rand_new_with_seed(42);
    size_t size = 8 << 20;
    uint8_t *in = g_malloc(size);
    uint8_t *out = g_malloc(size);

    check_reply(s, "b64write 0x5000 4 AQIDBA==", "OK");
    check_reply(s, "read 0x5000 4", "OK 0x01020304");
    check_reply(s, "b64read 0x5000 4", "OK AQIDBA==");
    check_reply(s, "b64read 0x5000 3", "OK AQID");
    check_fail(s, "b64write 0x5000 4 AQID");     /* 3 bytes, not 4 */
    check_fail(s, "b64write 0x5000 4 AQ!DBA=="); /* not base64 */
    check_fail(s, "b64write 0x5000 4 AQIDBA=");  /* not whole quanta */
    check_fail(s, "b64read 0x5000");
    check_reply(s, "read 0x5000 4", "OK 0x01020304");

    /* A large buffer survives both encodings. */
    for (size_t i = 0; i < size; i++) {
        in[i] = g_rand_int(rand);
    }
    qtest_bufwrite(s, 0x100000, in, size);
    qtest_memread(s, 0x100000, out, size);
    g_assert(memcmp(in, out, size) == 0);
    memset(out, 0, size);
    qtest_bufread(s, 0x100000, out, size);
    g_assert(memcmp(in, out, size) == 0);
    qtest_memwrite(s, 0x100000 + 7, in + 1000, 4097);
    qtest_bufread(s, 0x100000 + 7, out, 4097);
    g_assert(memcmp(in + 1000, out, 4097) == 0);

    g_free(in);
    g_free(out);
    g_rand_free(rand);
    qtest_quit(s);
}

static void test_memset(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "write 0x6000 6 0x010203040506", "OK");
    check_reply(s, "memset 0x6001 4 0xab", "OK");
    check_reply(s, "read 0x6000 6", "OK 0x01abababab06");
    check_reply(s, "memset 0x6001 0 0xcd", "OK");
    check_reply(s, "read 0x6000 6", "OK 0x01abababab06");
    qtest_memset(s, 0x6000, 0x5a, 2);
    check_reply(s, "read 0x6000 3", "OK 0x5a5aab");
    check_fail(s, "memset 0x6000 4");
    qtest_quit(s);
}

/* "CMD ADDR SUFFIX" with ADDR relative to the top of RAM. */
static char *at_top(const char *cmd, int64_t off, const char *suffix)
{
    return g_strdup_printf("%s 0x%" PRIx64 "%s", cmd, (uint64_t)(RAM_SIZE + off), suffix);
}

static void reply_at(QTestState *s, const char *cmd, int64_t off, const char *suffix,
                     const char *expected)
{
    char *line = at_top(cmd, off, suffix);

    check_reply(s, line, expected);
    g_free(line);
}

/*
 * Accesses at and across the top of RAM, and wrapping around the address
 * space: as QEMU 7.2's qtest (which ignores the access's result), what is
 * RAM is read or written, the rest reads as zeros and drops writes.
 */
static void test_ram_end(void)
{
    QTestState *s = qtest_init(ARGS);

    qtest_writeq(s, RAM_SIZE - 8, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readq(s, RAM_SIZE - 8), ==, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readb(s, RAM_SIZE - 1), ==, 0x08);
    g_assert_cmphex(qtest_readl(s, RAM_SIZE - 4), ==, 0x05060708);

    reply_at(s, "readb", 0, "", "OK 0x0000000000000000");
    reply_at(s, "readq", -4, "", "OK 0x0506070800000000");
    reply_at(s, "readw", -1, "", "OK 0x0000000000000800");
    reply_at(s, "writel", -2, " 0", "OK");
    reply_at(s, "writeb", 0, " 0", "OK");
    reply_at(s, "read", -4, " 5", "OK 0x0506000000");
    reply_at(s, "write", -4, " 5 0x00", "OK");
    reply_at(s, "b64read", -1, " 2", "OK AAA=");
    reply_at(s, "b64write", -1, " 2 AAA=", "OK");
    reply_at(s, "memset", -8, " 9 0", "OK");
    reply_at(s, "memset", 0x1000000, " 1 0", "OK");
    reply_at(s, "read", -4, " 4", "OK 0x00000000");
    reply_at(s, "read", 0, " 0", "OK 0x");
    check_reply(s, "read 0xffffffffffffffff 2", "OK 0x0000");
    check_reply(s, "readq 0xfffffffffffffffc", "OK 0x0000000000000000");
    /* The RAM parts were written (zeros), nothing beyond. */
    g_assert_cmphex(qtest_readq(s, RAM_SIZE - 8), ==, 0);
    /* Wrapping: the part past the top of the address space is RAM at 0. */
    check_reply(s, "memset 0xfffffffffffffff8 16 0x5a", "OK");
    g_assert_cmphex(qtest_readq(s, 0), ==, 0x5a5a5a5a5a5a5a5aULL);
    check_reply(s, "readq 0xfffffffffffffffc", "OK 0x000000005a5a5a5a");
    qtest_quit(s);
}

static void test_clock(void)
{
    QTestState *s = qtest_init(ARGS);
    int64_t t0 = qtest_clock_step(s, 0);
    int64_t t1;
    char *expected;

    g_assert_cmpint(t0, >=, 0);
    g_assert_cmpint(qtest_clock_step(s, 100), ==, t0 + 100);
    g_assert_cmpint(qtest_clock_step(s, 1000000000), ==, t0 + 1000000100);
    t1 = qtest_clock_set(s, t0 + 5000000000LL);
    g_assert_cmpint(t1, ==, t0 + 5000000000LL);
    /* The clock never goes back. */
    g_assert_cmpint(qtest_clock_set(s, t0), ==, t1);
    /* Without an argument: to the next deadline, never backwards. */
    g_assert_cmpint(qtest_clock_step(s, -1), >=, t1);
    t1 = qtest_clock_step(s, 0);
    /* Nothing else moves the clock under qtest. */
    g_usleep(50000);
    g_assert_cmpint(qtest_clock_step(s, 0), ==, t1);
    expected = g_strdup_printf("OK %" PRId64, t1 + 7);
    check_reply(s, "clock_step 7", expected);
    g_free(expected);

    check_fail(s, "clock_step -5");
    check_fail(s, "clock_step abc");
    check_fail(s, "clock_step 0xffffffffffffffff");
    check_fail(s, "clock_set");
    check_fail(s, "clock_set -1");
    check_fail(s, "clock_set 18446744073709551615");
    check_fail(s, "clock_step 1 2");
    g_assert_cmpint(qtest_clock_step(s, 0), ==, t1 + 7);
    qtest_quit(s);
}

/*
 * 158 years on, where the time base's 64-bit products overflowed: the reset
 * re-arms the decrementer, which then fired at the same instant forever.
 * Each step must return, and the decrementer's deadline is in reach.  No
 * NIC: user networking's periodic timer would be stepped through 158 years
 * of ticks (QEMU 7.2 does the same).
 */
static void test_clock_far(void)
{
    QTestState *s = qtest_init(ARGS " -nodefaults");
    int64_t t1 = qtest_clock_set(s, 5000000000000000000LL);

    g_assert_cmpint(t1, ==, 5000000000000000000LL);
    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    g_assert_cmpint(qtest_clock_step(s, 1000000000), ==, t1 + 1000000000);
    t1 = qtest_clock_step(s, -1);
    g_assert_cmpint(t1, >, 5000000001000000000LL);
    g_assert_cmpint(t1, <, 5000000001000000000LL + 10 * 1000000000LL);
    g_assert_cmpint(qtest_clock_step(s, 1000000000), ==, t1 + 1000000000);
    qtest_quit(s);
}

/*
 * hcall: an opcode no one implements returns H_FUNCTION and leaves r4..r12
 * as they were, so the reply echoes the arguments.
 */
static void test_hcall_format(void)
{
    QTestState *s = qtest_init(ARGS);
    uint64_t args[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 0xffffffffffffffffULL };
    uint64_t out[9];

    check_reply(s, "hcall 0x1 1 2 3",
                "OK 0xfffffffffffffffe 0x0000000000000001 0x0000000000000002"
                " 0x0000000000000003 0x0000000000000000 0x0000000000000000"
                " 0x0000000000000000 0x0000000000000000 0x0000000000000000"
                " 0x0000000000000000");
    g_assert_cmphex(qtest_hcall(s, 0x1, args, 9, out), ==, (uint64_t)-2);
    for (int i = 0; i < 9; i++) {
        g_assert_cmphex(out[i], ==, args[i]);
    }
    g_assert_cmphex(qtest_hcall(s, 0x7ffc, NULL, 0, out), ==, (uint64_t)-2);
    check_fail(s, "hcall");
    check_fail(s, "hcall 0x58 1 2 3 4 5 6 7 8 9 10");
    check_fail(s, "hcall 0x58 zz");
    check_fail(s, "hcall -1");
    qtest_quit(s);
}

static void test_errors(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "foo bar", "FAIL Unknown command 'foo'");
    check_reply(s, "endianness", "OK big");
    check_reply(s, "READB 0x0", "FAIL Unknown command 'READB'");
    check_fail(s, "readb");
    check_fail(s, "readb 0x0 0x1");
    check_fail(s, "writeq 0x0");
    check_fail(s, "writeq 0x0 1 2");
    check_fail(s, "readb 0xg");
    check_fail(s, "readb 0x");
    check_fail(s, "readb 12abc");
    check_fail(s, "rtas get-time-of-day 0 0");
    check_fail(s, "rtas get-time-of-day x 0 8 0");
    check_fail(s, "rtas get-time-of-day 0 0 0x100000000 0");
    check_fail(s, "inq 0x10");
    /* Extra blanks between words are fine. */
    check_reply(s, "readb   0x0 ", "OK 0x0000000000000000");
    qtest_quit(s);
}

/* Lines split across writes, and several lines in one write. */
static void test_framing(void)
{
    QTestState *s = qtest_init(ARGS);
    static const char *parts[] = {
        "writeb 0x10 0x42\nreadb 0x10\nend", "ian", "ness\r\n", "rea", "db 0x1", "0\n",
    };
    static const char *replies[] = {
        "OK",
        "OK 0x0000000000000042",
        "OK big",
        "OK 0x0000000000000042",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
        qtest_send_raw(s, parts[i], strlen(parts[i]));
        g_usleep(20000);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(replies); i++) {
        char *r = qtest_read_reply(s);

        g_assert_cmpstr(r, ==, replies[i]);
        g_free(r);
    }
    qtest_quit(s);
}

/* When the qtest peer hangs up, the process ends by itself (no orphan). */
static void test_hangup(void)
{
    QTestState *s = qtest_init(ARGS);

    check_reply(s, "endianness", "OK big");
    qtest_hangup(s);
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    qtest_quit(s);
}

/* -qtest stdio with -qtest-log: the log has QEMU's [R +t]/[S +t] lines. */
static void test_stdio_log(void)
{
    char *dir = g_dir_make_tmp("qtest-log-XXXXXX", NULL);
    char *log = g_build_filename(dir, "qtest.log", NULL);
    char *argv[] = {
        (char *)qtest_binary(),
        (char *)"-machine",
        (char *)"pseries",
        (char *)"-accel",
        (char *)"qtest",
        (char *)"-display",
        (char *)"none",
        (char *)"-qtest",
        (char *)"stdio",
        (char *)"-qtest-log",
        log,
        (char *)"-nodefaults",
        NULL,
    };
    static const char input[] = "writel 0x100 0x01020304\nreadl 0x100\nnope\n";
    int in_fd, out_fd, wstatus;
    GPid pid;
    GError *err = NULL;
    char out[256] = "";
    ssize_t n, got = 0;
    char *text = NULL;

    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, &in_fd, &out_fd, NULL, &err));
    g_assert_cmpint(write(in_fd, input, strlen(input)), ==, strlen(input));
    close(in_fd);
    /* End of input ends the session and the process. */
    while ((n = read(out_fd, out + got, sizeof(out) - 1 - got)) > 0) {
        got += n;
    }
    close(out_fd);
    g_assert_cmpint(waitpid(pid, &wstatus, 0), ==, pid);
    g_assert_true(WIFEXITED(wstatus));
    g_assert_cmpstr(out, ==,
                    "OK\nOK 0x0000000001020304\n"
                    "FAIL Unknown command 'nope'\n");

    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_true(g_regex_match_simple("^\\[R \\+[0-9]+\\.[0-9]{6}\\] readl 0x100$", text,
                                       G_REGEX_MULTILINE, 0));
    g_assert_true(g_regex_match_simple("^\\[S \\+[0-9]+\\.[0-9]{6}\\] OK 0x0000000001020304$", text,
                                       G_REGEX_MULTILINE, 0));
    g_free(text);
    unlink(log);
    rmdir(dir);
    g_free(log);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qtest-protocol/endianness", test_endianness);
    g_test_add_func("/qtest-protocol/widths", test_widths);
    g_test_add_func("/qtest-protocol/read-write", test_read_write);
    g_test_add_func("/qtest-protocol/b64", test_b64);
    g_test_add_func("/qtest-protocol/memset", test_memset);
    g_test_add_func("/qtest-protocol/ram-end", test_ram_end);
    g_test_add_func("/qtest-protocol/clock", test_clock);
    g_test_add_func("/qtest-protocol/clock-far", test_clock_far);
    g_test_add_func("/qtest-protocol/hcall-format", test_hcall_format);
    g_test_add_func("/qtest-protocol/errors", test_errors);
    g_test_add_func("/qtest-protocol/ports", test_ports);
    g_test_add_func("/qtest-protocol/framing", test_framing);
    g_test_add_func("/qtest-protocol/hangup", test_hangup);
    g_test_add_func("/qtest-protocol/stdio-log", test_stdio_log);
    return g_test_run();
}

/*
 * The spapr-vty console through the hypercall table: H_PUT_TERM_CHAR output
 * to file and socket chardevs, H_GET_TERM_CHAR input, and the error codes.
 */
#include "libqtest.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define H_SUCCESS 0
#define H_FUNCTION ((uint64_t)-2)
#define H_PARAMETER ((uint64_t)-4)
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define VTY_REG 0x71000000ULL
#define VTY_MAX_CHARS 16

typedef struct Fixture {
    char *dir;
    char *path; /* the chardev's file or socket */
    QTestState *s;
} Fixture;

static void fixture_start(Fixture *f, const char *backend)
{
    char *args;

    f->dir = g_dir_make_tmp("vty-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->path = g_build_filename(f->dir, "vty", NULL);
    if (strcmp(backend, "file") == 0) {
        args = g_strdup_printf("-nodefaults -chardev file,id=vty0,path=%s "
                               "-serial chardev:vty0",
                               f->path);
    } else {
        args = g_strdup_printf("-nodefaults -chardev socket,id=vty0,path=%s,"
                               "server=on,wait=off -serial chardev:vty0",
                               f->path);
    }
    f->s = qtest_init(args);
    g_free(args);
}

static void fixture_stop(Fixture *f)
{
    qtest_quit(f->s);
    unlink(f->path);
    rmdir(f->dir);
    g_free(f->path);
    g_free(f->dir);
}

/* Pack up to 16 bytes into two registers, first byte most significant. */
static void pack(const uint8_t *buf, size_t len, uint64_t *r6, uint64_t *r7)
{
    *r6 = *r7 = 0;
    for (size_t i = 0; i < len; i++) {
        uint64_t *r = i < 8 ? r6 : r7;

        *r |= (uint64_t)buf[i] << (56 - 8 * (i % 8));
    }
}

static void unpack(uint64_t r5, uint64_t r6, size_t len, uint8_t *buf)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t r = i < 8 ? r5 : r6;

        buf[i] = r >> (56 - 8 * (i % 8));
    }
}

static uint64_t put_chars(QTestState *s, uint64_t reg, const uint8_t *buf, uint64_t len)
{
    uint64_t args[4] = { reg, len };

    pack(buf, len > VTY_MAX_CHARS ? VTY_MAX_CHARS : len, &args[2], &args[3]);
    return qtest_hcall(s, H_PUT_TERM_CHAR, args, 4, NULL);
}

/* One H_GET_TERM_CHAR: returns the count, bytes into buf. */
static size_t get_chars(QTestState *s, uint8_t *buf)
{
    uint64_t args[1] = { VTY_REG };
    uint64_t out[9];

    g_assert_cmphex(qtest_hcall(s, H_GET_TERM_CHAR, args, 1, out), ==, H_SUCCESS);
    g_assert_cmpuint(out[0], <=, VTY_MAX_CHARS);
    unpack(out[1], out[2], out[0], buf);
    return out[0];
}

static void put_all(QTestState *s, const uint8_t *buf, size_t len, size_t chunk)
{
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = MIN(chunk, len - off);

        g_assert_cmphex(put_chars(s, VTY_REG, buf + off, n), ==, H_SUCCESS);
    }
}

static void test_put_file(void)
{
    Fixture f;
    uint8_t text[300];
    char *contents;
    gsize len;

    for (size_t i = 0; i < sizeof(text); i++) {
        text[i] = (i * 7 + 3) & 0xff;
    }
    fixture_start(&f, "file");
    /* Chunks of every length 0..16, so each packing position is used. */
    for (size_t off = 0, n = 0; off < sizeof(text); off += n, n = (n + 1) % 17) {
        n = MIN(n, sizeof(text) - off);
        g_assert_cmphex(put_chars(f.s, VTY_REG, text + off, n), ==, H_SUCCESS);
    }
    g_assert_true(g_file_get_contents(f.path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, sizeof(text));
    g_assert(memcmp(contents, text, len) == 0);
    g_free(contents);
    fixture_stop(&f);
}

static void test_put_errors(void)
{
    Fixture f;
    const uint8_t text[16] = "0123456789abcdef";
    uint64_t args[4] = { VTY_REG, 17 };
    char *contents;
    gsize len;

    fixture_start(&f, "file");
    g_assert_cmphex(qtest_hcall(f.s, H_PUT_TERM_CHAR, args, 4, NULL), ==, H_PARAMETER);
    args[1] = 0xffffffffffffffffULL;
    g_assert_cmphex(qtest_hcall(f.s, H_PUT_TERM_CHAR, args, 4, NULL), ==, H_PARAMETER);
    g_assert_cmphex(put_chars(f.s, VTY_REG + 1, text, 4), ==, H_PARAMETER);
    args[0] = VTY_REG + 0x1000;
    g_assert_cmphex(qtest_hcall(f.s, H_GET_TERM_CHAR, args, 1, NULL), ==, H_PARAMETER);
    /* An opcode nobody registered. */
    g_assert_cmphex(qtest_hcall(f.s, 0x3fc, args, 1, NULL), ==, H_FUNCTION);
    g_assert_cmphex(qtest_hcall(f.s, 0xf0fc, args, 1, NULL), ==, H_FUNCTION);
    /* None of the rejected calls wrote anything. */
    g_assert_cmphex(put_chars(f.s, VTY_REG, text, 16), ==, H_SUCCESS);
    g_assert_true(g_file_get_contents(f.path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, 16);
    g_assert(memcmp(contents, text, 16) == 0);
    g_free(contents);
    fixture_stop(&f);
}

static int connect_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    return fd;
}

/*
 * Drain the console with repeated H_GET_TERM_CHAR until want bytes came,
 * giving up after 10 s without progress.
 */
static void get_all(QTestState *s, uint8_t *buf, size_t want)
{
    size_t got = 0;
    gint64 last = g_get_monotonic_time();

    while (got < want) {
        uint8_t chunk[VTY_MAX_CHARS];
        size_t n = get_chars(s, chunk);

        g_assert_cmpuint(got + n, <=, want);
        memcpy(buf + got, chunk, n);
        got += n;
        if (n) {
            last = g_get_monotonic_time();
        } else {
            g_assert_cmpint(g_get_monotonic_time() - last, <, 10 * G_USEC_PER_SEC);
            g_usleep(1000);
        }
    }
}

/*
 * Input comes back as sent, except that every carriage return is followed by
 * a NUL (PowerVM's terminal does that and guests expect it; so does QEMU).
 */
static void test_get_socket(void)
{
    Fixture f;
    uint8_t in[1000], want[2000], out[2000], extra[VTY_MAX_CHARS];
    size_t nwant = 0;
    int fd;

    for (size_t i = 0; i < sizeof(in); i++) {
        in[i] = (i * 13 + i / 256) & 0xff;
        want[nwant++] = in[i];
        if (in[i] == '\r') {
            want[nwant++] = 0;
        }
    }
    g_assert_cmpuint(nwant, >, sizeof(in));
    fixture_start(&f, "socket");
    g_assert_cmpuint(get_chars(f.s, extra), ==, 0);
    fd = connect_unix(f.path);
    g_assert_cmpint(write(fd, in, sizeof(in)), ==, sizeof(in));
    get_all(f.s, out, nwant);
    g_assert(memcmp(want, out, nwant) == 0);
    /* Nothing more, nothing invented. */
    g_assert_cmpuint(get_chars(f.s, extra), ==, 0);
    close(fd);
    fixture_stop(&f);
}

static void read_socket(int fd, uint8_t *buf, size_t want)
{
    size_t got = 0;

    while (got < want) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        g_assert_cmpint(poll(&pfd, 1, 10000), ==, 1);
        n = read(fd, buf + got, want - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
}

static void test_put_socket(void)
{
    Fixture f;
    uint8_t text[500], out[500], sync[1];
    int fd;

    for (size_t i = 0; i < sizeof(text); i++) {
        text[i] = 255 - (i & 0xff);
    }
    fixture_start(&f, "socket");
    fd = connect_unix(f.path);
    /* A byte of input coming back proves the connection was accepted. */
    g_assert_cmpint(write(fd, "!", 1), ==, 1);
    get_all(f.s, sync, 1);
    g_assert_cmpint(sync[0], ==, '!');
    put_all(f.s, text, sizeof(text), 16);
    read_socket(fd, out, sizeof(out));
    g_assert(memcmp(text, out, sizeof(text)) == 0);
    put_all(f.s, text, 37, 5);
    read_socket(fd, out, 37);
    g_assert(memcmp(text, out, 37) == 0);
    close(fd);
    fixture_stop(&f);
}

/*
 * Unit address 0, where no device is, names the default terminal (the lowest
 * address): firmware and early debug output print there.  A unit address
 * with no device, other than 0, is still H_PARAMETER.
 */
static void test_unit_zero(void)
{
    Fixture f;
    const uint8_t text[8] = "unit0 ok";
    char *contents;
    gsize len;

    fixture_start(&f, "file");
    g_assert_cmphex(put_chars(f.s, 0, text, 5), ==, H_SUCCESS);
    g_assert_cmphex(put_chars(f.s, VTY_REG, text + 5, 3), ==, H_SUCCESS);
    g_assert_cmphex(put_chars(f.s, 1, text, 5), ==, H_PARAMETER);
    g_assert_true(g_file_get_contents(f.path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, 8);
    g_assert(memcmp(contents, text, 8) == 0);
    g_free(contents);
    fixture_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall-console/put-file", test_put_file);
    g_test_add_func("/hcall-console/put-errors", test_put_errors);
    g_test_add_func("/hcall-console/get-socket", test_get_socket);
    g_test_add_func("/hcall-console/put-socket", test_put_socket);
    g_test_add_func("/hcall-console/unit-zero", test_unit_zero);
    return g_test_run();
}

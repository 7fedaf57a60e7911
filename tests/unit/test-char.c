/*
 * Unit tests of the chardev layer: backends, option errors, legacy specs,
 * socket connect/hang-up, flow control and the mux escape key.
 */
#include "chardev/char.h"
#include "qemu/module.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char *tmpdir;

/* What a frontend saw. */
typedef struct Fe {
    GByteArray *data;
    int opened;
    int closed;
    /* can_read answers, cycled through; 0 means "full" until room_again. */
    const int *room;
    int nroom;
    int calls;
    bool full;
    int granted; /* what the last can_read allowed: read may not exceed it */
} Fe;

static void fe_init(Fe *fe)
{
    memset(fe, 0, sizeof(*fe));
    fe->data = g_byte_array_new();
}

static void fe_free(Fe *fe)
{
    g_byte_array_free(fe->data, TRUE);
}

static int fe_can_read(void *opaque)
{
    Fe *fe = opaque;
    int room;

    if (fe->full) {
        room = 0;
    } else if (!fe->nroom) {
        room = 4096;
    } else {
        room = fe->room[fe->calls++ % fe->nroom];
        fe->full = room == 0;
    }
    fe->granted = room;
    return room;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    Fe *fe = opaque;

    g_assert_cmpint(size, >, 0);
    g_assert_cmpint(size, <=, fe->granted);
    fe->granted -= size;
    g_byte_array_append(fe->data, buf, size);
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    Fe *fe = opaque;

    if (event == CHR_EVENT_OPENED) {
        fe->opened++;
    } else if (event == CHR_EVENT_CLOSED) {
        fe->closed++;
    }
}

static bool fe_attach(Chardev *chr, Fe *fe)
{
    return qemu_chr_fe_set_handlers(chr, fe_can_read, fe_read, fe_event, fe);
}

/* Run the main context until *flag reaches want; fail after 10 s. */
static void run_until_int(const int *flag, int want)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (*flag < want) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

static void run_until_len(GByteArray *data, guint want)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (data->len < want) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

/* A few idle rounds of the loop, for "nothing more happens" checks. */
static void run_briefly(void)
{
    for (int i = 0; i < 10; i++) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

static Chardev *new_from_opts(const char *str, char **err)
{
    QemuOpts *opts = qemu_opts_parse(str, "backend", err);
    Chardev *chr;

    g_assert_nonnull(opts);
    chr = qemu_chr_new_from_opts(opts, err);
    qemu_opts_free(opts);
    return chr;
}

static Chardev *must_create(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static Chardev *must_create(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;
    char *err = NULL;
    Chardev *chr;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    chr = new_from_opts(str, &err);
    if (!chr) {
        g_error("%s: %s", str, err);
    }
    return chr;
}

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static int unix_peer_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

static void peer_write(int fd, const char *text)
{
    g_assert_cmpint(write(fd, text, strlen(text)), ==, (ssize_t)strlen(text));
}

/* Read exactly text from the peer socket, running the loop meanwhile. */
static void peer_expect(int fd, const char *text)
{
    size_t len = strlen(text), got = 0;
    g_autofree char *buf = g_malloc0(len + 1);
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (got < len) {
        ssize_t n = recv(fd, buf + got, len - got, MSG_DONTWAIT);

        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        if (n > 0) {
            got += n;
        } else if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
    g_assert_cmpstr(buf, ==, text);
}

static void assert_data(Fe *fe, const char *text)
{
    g_assert_cmpuint(fe->data->len, ==, strlen(text));
    g_assert_cmpmem(fe->data->data, fe->data->len, text, strlen(text));
}

static void test_null(void)
{
    char *err = NULL;
    Chardev *chr = qemu_chr_new("null0", "null", &err);
    Fe fe;

    fe_init(&fe);
    g_assert_nonnull(chr);
    g_assert_null(err);
    g_assert_true(qemu_chr_find("null0") == chr);
    g_assert_cmpstr(qemu_chr_id(chr), ==, "null0");
    g_assert_true(fe_attach(chr, &fe));
    g_assert_cmpint(fe.opened, ==, 1);
    g_assert_cmpint(qemu_chr_fe_write_all(chr, (const uint8_t *)"abc", 3), ==, 3);
    g_assert_true(qemu_chr_fe_is_open(chr));
    /* One frontend at a time; detaching frees the place. */
    g_assert_false(qemu_chr_fe_set_handlers(chr, fe_can_read, fe_read, NULL, &err));
    g_assert_true(qemu_chr_fe_set_handlers(chr, NULL, NULL, NULL, NULL));
    g_assert_true(qemu_chr_fe_set_handlers(chr, fe_can_read, fe_read, NULL, &err));
    /* A vc is a sink too when there is no display. */
    g_assert_nonnull(qemu_chr_new("vc0", "vc:80Cx24C", &err));
    qemu_chr_cleanup_all();
    g_assert_null(qemu_chr_find("null0"));
    fe_free(&fe);
}

static char *read_file(const char *path)
{
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void test_file(void)
{
    g_autofree char *path = tmp_path("out.txt");
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    g_autofree char *text = NULL;
    char *err = NULL;
    Chardev *chr;

    g_file_set_contents(path, "old", -1, NULL);
    chr = must_create("file,id=f0,path=%s", path);
    g_assert_cmpint(qemu_chr_fe_printf(chr, "hello %d\n", 42), ==, 9);
    text = read_file(path);
    g_assert_cmpstr(text, ==, "hello 42\n");
    g_clear_pointer(&text, g_free);

    chr = must_create("file,id=f1,path=%s,append=on", path);
    g_assert_cmpint(qemu_chr_fe_write_all(chr, (const uint8_t *)"more", 4), ==, 4);
    text = read_file(path);
    g_assert_cmpstr(text, ==, "hello 42\nmore");
    g_clear_pointer(&text, g_free);

    /* Legacy spec, truncating. */
    chr = qemu_chr_new("serial0", spec, &err);
    g_assert_nonnull(chr);
    qemu_chr_fe_write_all(chr, (const uint8_t *)"x", 1);
    text = read_file(path);
    g_assert_cmpstr(text, ==, "x");
    qemu_chr_cleanup_all();
}

static void expect_opts_error(const char *str, const char *want)
{
    char *err = NULL;

    g_assert_null(new_from_opts(str, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err, ==, want);
    g_free(err);
}

static void expect_spec_error(const char *spec, const char *want)
{
    char *err = NULL;

    g_assert_null(qemu_chr_new("label", spec, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err, ==, want);
    g_free(err);
}

static void test_errors(void)
{
    char *err = NULL;
    g_autofree char *missing = tmp_path("no/such/sock");
    g_autofree char *want = NULL;
    g_autofree char *str = NULL;

    g_assert_nonnull(new_from_opts("null,id=taken", &err));
    expect_opts_error("foo,id=x", "'foo' is not a valid char driver name");
    expect_opts_error("null", "chardev: no id specified");
    expect_opts_error("id=x", "chardev: \"x\" missing backend");
    expect_opts_error("null,id=taken", "Duplicate ID 'taken' for chardev");
    expect_opts_error("null,id=1x", "Parameter 'id' expects an identifier");
    expect_opts_error("null,id=a,bogus=1", "Invalid parameter 'bogus'");
    /* A key another backend knows is accepted, as QEMU 7.2's -chardev does. */
    g_assert_nonnull(new_from_opts("null,id=known-key,path=/x", &err));
    expect_opts_error("null,bogus=1", "Invalid parameter 'bogus'");
    expect_opts_error("file,id=f", "chardev: file: no filename given");
    expect_opts_error("file,id=f,path=/no/such/dir/x",
                      "Could not open '/no/such/dir/x': No such file or directory");
    expect_opts_error("stdio,id=s,signal=maybe", "Parameter 'signal' expects 'on' or 'off'");
    expect_opts_error("null,id=m,mux=maybe", "Parameter 'mux' expects 'on' or 'off'");
    expect_opts_error("socket,id=s", "Unable to parse FD number ");
    expect_opts_error("socket,id=s,host=127.0.0.1", "chardev: socket: no port given");
    expect_opts_error("socket,id=s,path=/x,server=maybe",
                      "Parameter 'server' expects 'on' or 'off'");
    str = g_strdup_printf("socket,id=s,path=%s", missing);
    want = g_strdup_printf("Failed to connect to '%s': No such file or directory", missing);
    expect_opts_error(str, want);
    g_clear_pointer(&str, g_free);
    g_clear_pointer(&want, g_free);
    str = g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", missing);
    want = g_strdup_printf("Failed to bind socket to %s: No such file or directory", missing);
    expect_opts_error(str, want);

    expect_spec_error("bogus", "'bogus' is not a valid char driver");
    expect_spec_error("stdio,foo", "'stdio,foo' is not a valid char driver");
    expect_spec_error("chardev:nope", "chardev 'nope' not found");
    expect_spec_error("unix:/tmp/x,bogus", "Invalid parameter 'bogus'");
    expect_spec_error("file:/no/such/dir/x",
                      "Could not open '/no/such/dir/x': No such file or directory");
    /* Nothing half-made by the failures above. */
    g_assert_null(qemu_chr_find("s"));
    g_assert_null(qemu_chr_find("label"));
    g_assert_nonnull(qemu_chr_find("taken"));
    qemu_chr_cleanup_all();
}

/* A server takes a peer, sees its bytes in order, its hang-up, the next peer.
 */
static void test_socket_server(void)
{
    g_autofree char *path = tmp_path("srv.sock");
    Chardev *chr;
    struct stat st;
    Fe fe;
    int peer;

    fe_init(&fe);
    chr = must_create("socket,id=srv,path=%s,server=on,wait=off", path);
    g_assert_true(fe_attach(chr, &fe));
    g_assert_false(qemu_chr_fe_is_open(chr));
    /* No peer: output is dropped, not queued. */
    g_assert_cmpint(qemu_chr_fe_write_all(chr, (const uint8_t *)"lost", 4), ==, 4);

    peer = unix_peer_connect(path);
    run_until_int(&fe.opened, 1);
    g_assert_true(qemu_chr_fe_is_open(chr));
    peer_write(peer, "hello ");
    peer_write(peer, "world");
    run_until_len(fe.data, 11);
    assert_data(&fe, "hello world");
    qemu_chr_fe_printf(chr, "reply %s", "ok");
    peer_expect(peer, "reply ok");

    close(peer);
    run_until_int(&fe.closed, 1);
    g_assert_false(qemu_chr_fe_is_open(chr));

    peer = unix_peer_connect(path);
    run_until_int(&fe.opened, 2);
    peer_write(peer, "!");
    run_until_len(fe.data, 12);
    assert_data(&fe, "hello world!");
    close(peer);
    run_until_int(&fe.closed, 2);

    /* The socket file goes away with the chardev. */
    g_assert_cmpint(stat(path, &st), ==, 0);
    qemu_chr_cleanup_all();
    g_assert_cmpint(stat(path, &st), <, 0);
    fe_free(&fe);
}

/* A client connects at creation; the frontend hears OPENED at attach. */
static void test_socket_client(void)
{
    g_autofree char *path = tmp_path("cli.sock");
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    Chardev *chr;
    Fe fe;
    int peer;

    fe_init(&fe);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    chr = must_create("socket,id=cli,path=%s", path);
    peer = accept(lfd, NULL, NULL);
    g_assert_cmpint(peer, >=, 0);
    g_assert_true(fe_attach(chr, &fe));
    g_assert_cmpint(fe.opened, ==, 1);
    qemu_chr_fe_write_all(chr, (const uint8_t *)"ping", 4);
    peer_expect(peer, "ping");
    peer_write(peer, "pong");
    run_until_len(fe.data, 4);
    assert_data(&fe, "pong");
    close(peer);
    run_until_int(&fe.closed, 1);
    /* Writing to a peer that is gone is dropped, without SIGPIPE. */
    g_assert_cmpint(qemu_chr_fe_write_all(chr, (const uint8_t *)"x", 1), ==, 1);
    qemu_chr_cleanup_all();
    close(lfd);
    unlink(path);
    fe_free(&fe);
}

/*
 * A frontend that takes a few bytes at a time and sometimes none (until it
 * calls accept_input) still gets every byte, in order.
 */
static void test_flow_control(void)
{
    static const int room[] = { 1, 7, 3, 0, 16, 4096, 2, 0, 300 };
    g_autofree char *path = tmp_path("flow.sock");
    const size_t total = 100 * 1024;
    g_autofree uint8_t *sent = g_malloc(total);
    size_t written = 0;
    Chardev *chr;
    Fe fe;
    int peer;

    for (size_t i = 0; i < total; i++) {
        sent[i] = (uint8_t)(i * 7 + i / 251);
    }
    fe_init(&fe);
    fe.room = room;
    fe.nroom = ARRAY_SIZE(room);
    chr = must_create("socket,id=flow,path=%s,server=on,wait=off", path);
    g_assert_true(fe_attach(chr, &fe));
    peer = unix_peer_connect(path);
    fcntl(peer, F_SETFL, O_NONBLOCK);
    run_until_int(&fe.opened, 1);

    while (fe.data->len < total) {
        if (written < total) {
            ssize_t n = write(peer, sent + written, total - written);

            written += n > 0 ? n : 0;
        }
        run_briefly();
        if (fe.full) {
            /* Nothing may arrive while the frontend is full. */
            guint held = fe.data->len;

            run_briefly();
            g_assert_cmpuint(fe.data->len, ==, held);
            fe.full = false;
            qemu_chr_fe_accept_input(chr);
        }
    }
    g_assert_cmpuint(fe.data->len, ==, total);
    g_assert_cmpmem(fe.data->data, total, sent, total);
    close(peer);
    qemu_chr_cleanup_all();
    fe_free(&fe);
}

static int free_tcp_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

static void test_legacy_specs(void)
{
    g_autofree char *path = tmp_path("legacy.sock");
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off", path);
    g_autofree char *tcp = NULL;
    struct sockaddr_in sin = { .sin_family = AF_INET };
    char *err = NULL;
    Chardev *chr, *tchr;
    struct stat st;
    Fe fe, tfe;
    int peer, port;

    fe_init(&fe);
    fe_init(&tfe);
    chr = qemu_chr_new("serial0", spec, &err);
    g_assert_nonnull(chr);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    g_assert_true(qemu_chr_new("other", "chardev:serial0", &err) == chr);
    g_assert_true(fe_attach(chr, &fe));
    peer = unix_peer_connect(path);
    run_until_int(&fe.opened, 1);
    close(peer);

    port = free_tcp_port();
    tcp = g_strdup_printf("tcp:127.0.0.1:%d,server,nowait", port);
    tchr = qemu_chr_new("qtest", tcp, &err);
    g_assert_nonnull(tchr);
    g_assert_true(fe_attach(tchr, &tfe));
    peer = socket(AF_INET, SOCK_STREAM, 0);
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(peer, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    run_until_int(&tfe.opened, 1);
    peer_write(peer, "tcp");
    run_until_len(tfe.data, 3);
    assert_data(&tfe, "tcp");
    close(peer);
    run_until_int(&tfe.closed, 1);

    /* A stale socket file from an earlier run is replaced, not an error. */
    qemu_chr_cleanup_all();
    {
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);

        g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
        g_assert_cmpint(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
        close(fd);
    }
    g_assert_nonnull(qemu_chr_new("serial0", spec, &err));
    qemu_chr_cleanup_all();
    fe_free(&fe);
    fe_free(&tfe);
}

/* mux=on: C-a h prints QEMU's help, C-a C-a is one C-a, C-a c moves the focus, C-a x asks for shutdown. */
static void test_mux_escape(void)
{
    g_autofree char *path = tmp_path("mux.sock");
    Chardev *chr;
    Fe fe, fe2;
    int peer, status = -1;

    fe_init(&fe);
    fe_init(&fe2);
    chr = must_create("socket,id=mx,path=%s,server=on,wait=off,mux=on", path);
    g_assert_nonnull(qemu_chr_find("mx-base"));
    /* The frontend attached last has the focus, as in QEMU. */
    g_assert_true(fe_attach(chr, &fe2));
    g_assert_true(fe_attach(chr, &fe));
    peer = unix_peer_connect(path);
    run_until_int(&fe.opened, 1);
    g_assert_cmpint(fe2.opened, ==, 1);

    peer_write(peer, "a\x01\x01"
                     "b");
    run_until_len(fe.data, 3);
    assert_data(&fe, "a\x01"
                     "b");
    /* C-a c moves the input to the second frontend. */
    peer_write(peer, "\x01"
                     "cz");
    run_until_len(fe2.data, 1);
    assert_data(&fe2, "z");
    assert_data(&fe, "a\x01"
                     "b");
    peer_write(peer, "\x01h");
    peer_expect(peer, "\n\rC-a h    print this help\n\r");
    run_briefly();
    {
        char buf[512];
        ssize_t n = recv(peer, buf, sizeof(buf) - 1, MSG_DONTWAIT);

        g_assert_cmpint(n, >, 0);
        buf[n] = '\0';
        g_assert_nonnull(strstr(buf, "C-a x    exit emulator"));
    }
    g_assert_false(main_loop_should_exit(&status));
    peer_write(peer, "\x01x");
    peer_expect(peer, "QEMU: Terminated\n\r");
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    /* The frontends write through the mux to the peer. */
    qemu_chr_fe_write_all(chr, (const uint8_t *)"out", 3);
    peer_expect(peer, "out");
    close(peer);
    run_until_int(&fe.closed, 1);
    g_assert_cmpint(fe2.closed, ==, 1);
    qemu_chr_cleanup_all();
    fe_free(&fe);
    fe_free(&fe2);
}

static void remove_tmpdir(void)
{
    GDir *dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = tmp_path(name);

        g_remove(path);
    }
    if (dir) {
        g_dir_close(dir);
    }
    g_rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    module_call_init();
    tmpdir = g_dir_make_tmp("test-char-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/char/null", test_null);
    g_test_add_func("/char/file", test_file);
    g_test_add_func("/char/errors", test_errors);
    g_test_add_func("/char/socket-server", test_socket_server);
    g_test_add_func("/char/socket-client", test_socket_client);
    g_test_add_func("/char/flow-control", test_flow_control);
    g_test_add_func("/char/legacy-specs", test_legacy_specs);
    g_test_add_func("/char/mux-escape", test_mux_escape);
    ret = g_test_run();
    remove_tmpdir();
    g_free(tmpdir);
    return ret;
}

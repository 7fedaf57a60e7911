/*
 * libqtest: spawns qemu-system-ppc64 with a qtest socket and a QMP socket that
 * the test listens on, and speaks both protocols with bounded waits.
 */
#include "libqtest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define WAIT_MS 30000
#define QUIT_MS 10000
#define HCALL_NREGS 9

struct QTestState {
    pid_t pid;
    bool reaped;
    int status; /* exit status, or 128 + signal, once reaped */
    int qtest_fd;
    int qmp_fd;
    GString *qtest_buf;
    GString *qmp_buf;
    GQueue *events; /* JsonObject *, oldest first */
    JsonObject *greeting;
    char *dir;
    char *qtest_path;
    char *qmp_path;
    char *err_path;
    /* For the abort handler, which must not allocate. */
    char err_path_c[256];
    char qtest_path_c[256];
    char qmp_path_c[256];
    char dir_c[256];
};

/* Children alive, so that an aborting test does not leave them behind. */
#define MAX_CHILDREN 16
static QTestState *children[MAX_CHILDREN];
static bool abort_handler_installed;

static void copy_stderr_raw(const char *path)
{
    char buf[4096];
    ssize_t n;
    int fd = open(path, O_RDONLY);

    if (fd < 0) {
        return;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        if (write(STDERR_FILENO, buf, n) < 0) {
            break;
        }
    }
    close(fd);
}

static void on_abort(int sig)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i]) {
            QTestState *s = children[i];

            kill(s->pid, SIGKILL);
            copy_stderr_raw(s->err_path_c);
            unlink(s->err_path_c);
            unlink(s->qtest_path_c);
            unlink(s->qmp_path_c);
            rmdir(s->dir_c);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void track_child(QTestState *s, bool add)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (add && !children[i]) {
            children[i] = s;
            return;
        }
        if (!add && children[i] == s) {
            children[i] = NULL;
            return;
        }
    }
}

static void install_handlers(void)
{
    if (!abort_handler_installed) {
        /* g_assert aborts; g_error and fatal criticals trap. */
        signal(SIGABRT, on_abort);
        signal(SIGTRAP, on_abort);
        signal(SIGPIPE, SIG_IGN);
        abort_handler_installed = true;
    }
}

const char *qtest_binary(void)
{
    const char *bin = getenv("QTEST_QEMU_BINARY");

    if (!bin || !*bin) {
        g_error("libqtest: QTEST_QEMU_BINARY is not set");
    }
    return bin;
}

int qtest_pid(QTestState *s)
{
    return s->pid;
}

/* ---- Process handling ------------------------------------------------ */

static int decode_status(int wstatus)
{
    if (WIFEXITED(wstatus)) {
        return WEXITSTATUS(wstatus);
    }
    return 128 + WTERMSIG(wstatus);
}

/* Reap the child if it has exited; wait at most ms (0: just look). */
static bool reap(QTestState *s, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    int wstatus;

    while (!s->reaped) {
        pid_t r = waitpid(s->pid, &wstatus, WNOHANG);

        if (r == s->pid) {
            s->reaped = true;
            s->status = decode_status(wstatus);
            track_child(s, false);
            copy_stderr_raw(s->err_path);
            break;
        }
        if (r < 0 && errno != EINTR) {
            g_error("libqtest: waitpid: %s", strerror(errno));
        }
        if (g_get_monotonic_time() >= deadline) {
            break;
        }
        g_usleep(5000);
    }
    return s->reaped;
}

bool qtest_alive(QTestState *s)
{
    return !reap(s, 0);
}

int qtest_wait_exit(QTestState *s)
{
    if (!reap(s, WAIT_MS)) {
        kill(s->pid, SIGKILL);
        reap(s, QUIT_MS);
        g_error("libqtest: QEMU did not exit within %d s", WAIT_MS / 1000);
    }
    return s->status;
}

char *qtest_stderr(QTestState *s)
{
    char *text = NULL;

    if (!g_file_get_contents(s->err_path, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

static char **split_args(const char *args)
{
    char **words = g_strsplit(args ? args : "", " ", -1);
    GPtrArray *argv = g_ptr_array_new();

    for (char **w = words; *w; w++) {
        if (**w) {
            g_ptr_array_add(argv, g_strdup(*w));
        }
    }
    g_ptr_array_add(argv, NULL);
    g_strfreev(words);
    return (char **)g_ptr_array_free(argv, FALSE);
}

/* In the child: die with the test, then exec the binary. */
static G_NORETURN void exec_child(char **argv, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
        _exit(127);
    }
    execv(argv[0], argv);
    fprintf(stderr, "libqtest: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static pid_t spawn(const char *binary, const char *args, int in_fd, int out_fd, int err_fd)
{
    char **extra = split_args(args);
    GPtrArray *argv = g_ptr_array_new();
    pid_t parent = getpid();
    pid_t pid;

    g_ptr_array_add(argv, (char *)binary);
    for (char **w = extra; *w; w++) {
        g_ptr_array_add(argv, *w);
    }
    g_ptr_array_add(argv, NULL);

    pid = fork();
    if (pid < 0) {
        g_error("libqtest: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(in_fd, STDIN_FILENO);
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        exec_child((char **)argv->pdata, parent);
    }
    g_ptr_array_free(argv, TRUE);
    g_strfreev(extra);
    return pid;
}

/* ---- Sockets ---------------------------------------------------------- */

static int listen_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        g_error("libqtest: socket path too long: %s", path);
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
        g_error("libqtest: cannot listen on %s: %s", path, strerror(errno));
    }
    return fd;
}

/* Accept one connection, giving up when the child dies or after 30 s. */
static int accept_child(QTestState *s, int lfd, const char *what)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)WAIT_MS * 1000;
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };
    int fd;

    for (;;) {
        int r = poll(&pfd, 1, 100);

        if (r > 0) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            g_error("libqtest: poll: %s", strerror(errno));
        }
        if (!qtest_alive(s)) {
            g_error("libqtest: QEMU exited (status %d) before connecting %s", s->status, what);
        }
        if (g_get_monotonic_time() >= deadline) {
            g_error("libqtest: QEMU did not connect %s within %d s", what, WAIT_MS / 1000);
        }
    }
    fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        g_error("libqtest: accept: %s", strerror(errno));
    }
    return fd;
}

static void send_all(QTestState *s, int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            g_error("libqtest: write to QEMU failed: %s (QEMU %s)",
                    n < 0 ? strerror(errno) : "short write", qtest_alive(s) ? "alive" : "exited");
        }
        buf += n;
        len -= n;
    }
}

/*
 * Read more bytes into buf; fails the test on EOF or after 30 s without
 * data.
 */
static void receive_more(QTestState *s, int fd, GString *buf, const char *what)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char chunk[65536];
    ssize_t n;
    int r;

    do {
        r = poll(&pfd, 1, WAIT_MS);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        g_error("libqtest: no %s reply from QEMU within %d s", what, WAIT_MS / 1000);
    }
    do {
        n = read(fd, chunk, sizeof(chunk));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        reap(s, 1000);
        g_error("libqtest: %s connection closed by QEMU (%s)", what,
                s->reaped ? "exited" : "still running");
    }
    g_string_append_len(buf, chunk, n);
}

/* ---- qtest protocol --------------------------------------------------- */

static char *qtest_read_line(QTestState *s)
{
    for (;;) {
        char *nl = memchr(s->qtest_buf->str, '\n', s->qtest_buf->len);

        if (nl) {
            size_t len = nl - s->qtest_buf->str;
            char *line = g_strndup(s->qtest_buf->str, len);

            g_string_erase(s->qtest_buf, 0, len + 1);
            /* Interrupt notifications are asynchronous; not replies. */
            if (g_str_has_prefix(line, "IRQ ")) {
                g_free(line);
                continue;
            }
            return line;
        }
        receive_more(s, s->qtest_fd, s->qtest_buf, "qtest");
    }
}

void qtest_send_raw(QTestState *s, const void *buf, size_t len)
{
    send_all(s, s->qtest_fd, buf, len);
}

char *qtest_read_reply(QTestState *s)
{
    return qtest_read_line(s);
}

void qtest_hangup(QTestState *s)
{
    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
        s->qtest_fd = -1;
    }
}

static char *qtest_vcommand(QTestState *s, const char *fmt, va_list ap)
{
    char *line = g_strdup_vprintf(fmt, ap);
    char *reply;

    if (getenv("QTEST_LOG")) {
        fprintf(stderr, "[qtest>] %.200s\n", line);
    }
    send_all(s, s->qtest_fd, line, strlen(line));
    send_all(s, s->qtest_fd, "\n", 1);
    g_free(line);
    reply = qtest_read_line(s);
    if (getenv("QTEST_LOG")) {
        fprintf(stderr, "[qtest<] %.200s\n", reply);
    }
    return reply;
}

char *qtest_command(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *reply;

    va_start(ap, fmt);
    reply = qtest_vcommand(s, fmt, ap);
    va_end(ap);
    return reply;
}

/* Send a command that must succeed; returns the words of "OK ..." reply. */
static char **qtest_ok(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static char **qtest_ok(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *reply;
    char **words;

    va_start(ap, fmt);
    reply = qtest_vcommand(s, fmt, ap);
    va_end(ap);
    words = g_strsplit(reply, " ", -1);
    if (!words[0] || strcmp(words[0], "OK") != 0) {
        g_error("libqtest: command failed: %s", reply);
    }
    g_free(reply);
    return words;
}

static uint64_t parse_u64(const char *word, const char *reply_kind)
{
    char *end;
    uint64_t v;

    if (!word) {
        g_error("libqtest: %s reply too short", reply_kind);
    }
    errno = 0;
    v = g_ascii_strtoull(word, &end, 0);
    if (errno || end == word || *end) {
        g_error("libqtest: bad number '%s' in %s reply", word, reply_kind);
    }
    return v;
}

static uint64_t qtest_read_n(QTestState *s, const char *cmd, uint64_t addr)
{
    char **w = qtest_ok(s, "%s 0x%" PRIx64, cmd, addr);
    uint64_t v = parse_u64(w[1], cmd);

    g_strfreev(w);
    return v;
}

static void qtest_write_n(QTestState *s, const char *cmd, uint64_t addr, uint64_t val)
{
    g_strfreev(qtest_ok(s, "%s 0x%" PRIx64 " 0x%" PRIx64, cmd, addr, val));
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return qtest_read_n(s, "readb", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return qtest_read_n(s, "readw", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return qtest_read_n(s, "readl", addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return qtest_read_n(s, "readq", addr);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    qtest_write_n(s, "writeb", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    qtest_write_n(s, "writew", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    qtest_write_n(s, "writel", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    qtest_write_n(s, "writeq", addr, value);
}

static int hex_nibble(char c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    uint8_t *out = buf;
    char **w;
    const char *hex;

    if (size == 0) {
        return;
    }
    w = qtest_ok(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    hex = w[1];
    if (!hex || strncmp(hex, "0x", 2) != 0 || strlen(hex) != 2 + 2 * size) {
        g_error("libqtest: bad read reply for %zu bytes", size);
    }
    for (size_t i = 0; i < size; i++) {
        int hi = hex_nibble(hex[2 + 2 * i]);
        int lo = hex_nibble(hex[3 + 2 * i]);

        if (hi < 0 || lo < 0) {
            g_error("libqtest: bad hex digit in read reply");
        }
        out[i] = hi << 4 | lo;
    }
    g_strfreev(w);
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf, size_t size)
{
    const uint8_t *in = buf;
    GString *hex;

    if (size == 0) {
        return;
    }
    hex = g_string_sized_new(2 * size + 2);
    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", in[i]);
    }
    g_strfreev(qtest_ok(s, "write 0x%" PRIx64 " 0x%zx 0x%s", addr, size, hex->str));
    g_string_free(hex, TRUE);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    char **w;
    guchar *data;
    gsize len = 0;

    if (size == 0) {
        return;
    }
    w = qtest_ok(s, "b64read 0x%" PRIx64 " 0x%zx", addr, size);
    if (!w[1]) {
        g_error("libqtest: b64read reply without data");
    }
    data = g_base64_decode(w[1], &len);
    if (len != size) {
        g_error("libqtest: b64read returned %zu bytes, wanted %zu", (size_t)len, size);
    }
    memcpy(buf, data, size);
    g_free(data);
    g_strfreev(w);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf, size_t size)
{
    char *b64;

    if (size == 0) {
        return;
    }
    b64 = g_base64_encode(buf, size);
    g_strfreev(qtest_ok(s, "b64write 0x%" PRIx64 " 0x%zx %s", addr, size, b64));
    g_free(b64);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size)
{
    if (size == 0) {
        return;
    }
    g_strfreev(qtest_ok(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x", addr, size, pattern));
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    char **w = step < 0 ? qtest_ok(s, "clock_step") : qtest_ok(s, "clock_step %" PRId64, step);
    int64_t v = parse_u64(w[1], "clock_step");

    g_strfreev(w);
    return v;
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    char **w = qtest_ok(s, "clock_set %" PRId64, val);
    int64_t v = parse_u64(w[1], "clock_set");

    g_strfreev(w);
    return v;
}

uint64_t qtest_rtas_call(QTestState *s, const char *name, uint32_t nargs, uint64_t args,
                         uint32_t nret, uint64_t ret)
{
    char **w = qtest_ok(s, "rtas %s %" PRIu32 " 0x%" PRIx64 " %" PRIu32 " 0x%" PRIx64, name, nargs,
                        args, nret, ret);
    uint64_t v = parse_u64(w[1], "rtas");

    g_strfreev(w);
    return v;
}

uint64_t qtest_hcall(QTestState *s, uint64_t opcode, const uint64_t *args, int nargs,
                     uint64_t out[9])
{
    GString *line = g_string_new(NULL);
    char **w;
    uint64_t r3;

    g_assert(nargs >= 0 && nargs <= HCALL_NREGS);
    g_string_printf(line, "hcall 0x%" PRIx64, opcode);
    for (int i = 0; i < nargs; i++) {
        g_string_append_printf(line, " 0x%" PRIx64, args[i]);
    }
    w = qtest_ok(s, "%s", line->str);
    g_string_free(line, TRUE);
    if (g_strv_length(w) != 2 + HCALL_NREGS) {
        g_error("libqtest: hcall reply has %u words", g_strv_length(w));
    }
    r3 = parse_u64(w[1], "hcall");
    for (int i = 0; out && i < HCALL_NREGS; i++) {
        out[i] = parse_u64(w[2 + i], "hcall");
    }
    g_strfreev(w);
    return r3;
}

/* ---- QMP ---------------------------------------------------------------- */

/*
 * Length of the first complete JSON object in buf (leading whitespace
 * included), or 0 when it is not complete yet.  Bytes before a '{' that are
 * not whitespace are skipped as noise.
 */
static size_t json_object_end(const char *buf, size_t len)
{
    int depth = 0;
    bool in_string = false;
    bool escape = false;

    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        if (in_string) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"' && depth > 0) {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            if (--depth == 0) {
                return i + 1;
            }
        }
    }
    return 0;
}

static JsonObject *parse_object(const char *text, size_t len)
{
    JsonParser *parser = json_parser_new();
    GError *err = NULL;
    JsonObject *obj = NULL;

    if (!json_parser_load_from_data(parser, text, len, &err)) {
        g_error("libqtest: QEMU sent bad JSON (%s): %.*s", err->message, (int)len, text);
    }
    if (JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        obj = json_object_ref(json_node_get_object(json_parser_get_root(parser)));
    } else {
        g_error("libqtest: QEMU sent a JSON value that is not an object");
    }
    g_object_unref(parser);
    return obj;
}

static JsonObject *qmp_receive(QTestState *s)
{
    for (;;) {
        size_t end = json_object_end(s->qmp_buf->str, s->qmp_buf->len);

        if (end) {
            JsonObject *obj = parse_object(s->qmp_buf->str, end);

            g_string_erase(s->qmp_buf, 0, end);
            if (getenv("QTEST_LOG")) {
                fprintf(stderr, "[qmp<] message with %u members\n", json_object_get_size(obj));
            }
            return obj;
        }
        receive_more(s, s->qmp_fd, s->qmp_buf, "QMP");
    }
}

/* The next reply ("return" or "error"), queuing events met on the way. */
static JsonObject *qmp_reply(QTestState *s)
{
    for (;;) {
        JsonObject *obj = qmp_receive(s);

        if (json_object_has_member(obj, "event")) {
            g_queue_push_tail(s->events, obj);
        } else if (json_object_has_member(obj, "return") || json_object_has_member(obj, "error")) {
            return obj;
        } else {
            json_object_unref(obj);
        }
    }
}

JsonObject *qtest_qmp_raw(QTestState *s, const char *text)
{
    /*
     * One write: QEMU acts on a command as soon as its closing brace arrives,
     * so after "quit" a separate newline would hit a closed socket.
     */
    g_autofree char *line = g_strconcat(text, "\n", NULL);

    send_all(s, s->qmp_fd, line, strlen(line));
    return qmp_reply(s);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *text;
    JsonObject *reply;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    reply = qtest_qmp_raw(s, text);
    g_free(text);
    return reply;
}

static bool is_event(JsonObject *obj, const char *event)
{
    return json_object_has_member(obj, "event") &&
           g_strcmp0(json_object_get_string_member(obj, "event"), event) == 0;
}

JsonObject *qtest_qmp_eventwait(QTestState *s, const char *event)
{
    for (GList *l = s->events->head; l; l = l->next) {
        if (is_event(l->data, event)) {
            JsonObject *obj = l->data;

            g_queue_delete_link(s->events, l);
            return obj;
        }
    }
    for (;;) {
        JsonObject *obj = qmp_receive(s);

        if (is_event(obj, event)) {
            return obj;
        }
        if (json_object_has_member(obj, "event")) {
            g_queue_push_tail(s->events, obj);
        } else {
            json_object_unref(obj);
        }
    }
}

JsonObject *qtest_qmp_greeting(QTestState *s)
{
    return s->greeting;
}

/* ---- Start and stop ----------------------------------------------------- */

static void qmp_handshake(QTestState *s)
{
    JsonObject *reply;

    s->greeting = qmp_receive(s);
    if (!json_object_has_member(s->greeting, "QMP")) {
        g_error("libqtest: the first QMP message is not a greeting");
    }
    reply = qtest_qmp(s, "{\"execute\": \"qmp_capabilities\"}");
    if (!json_object_has_member(reply, "return")) {
        g_error("libqtest: qmp_capabilities failed");
    }
    json_object_unref(reply);
}

QTestState *qtest_init(const char *extra_args)
{
    QTestState *s = g_new0(QTestState, 1);
    const char *log = getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null";
    int qtest_lfd, qmp_lfd, null_fd, err_fd;
    char *args;

    install_handlers();
    s->dir = g_dir_make_tmp("qtest-XXXXXX", NULL);
    if (!s->dir) {
        g_error("libqtest: cannot make a temporary directory");
    }
    s->qtest_path = g_build_filename(s->dir, "qtest.sock", NULL);
    s->qmp_path = g_build_filename(s->dir, "qmp.sock", NULL);
    s->err_path = g_build_filename(s->dir, "stderr", NULL);
    g_strlcpy(s->err_path_c, s->err_path, sizeof(s->err_path_c));
    g_strlcpy(s->qtest_path_c, s->qtest_path, sizeof(s->qtest_path_c));
    g_strlcpy(s->qmp_path_c, s->qmp_path, sizeof(s->qmp_path_c));
    g_strlcpy(s->dir_c, s->dir, sizeof(s->dir_c));
    s->qtest_buf = g_string_new(NULL);
    s->qmp_buf = g_string_new(NULL);
    s->events = g_queue_new();
    s->qtest_fd = s->qmp_fd = -1;

    qtest_lfd = listen_unix(s->qtest_path);
    qmp_lfd = listen_unix(s->qmp_path);
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    err_fd = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (null_fd < 0 || err_fd < 0) {
        g_error("libqtest: cannot open /dev/null or %s", s->err_path);
    }
    args = g_strdup_printf("-qtest unix:%s -qtest-log %s -chardev socket,path=%s,"
                           "id=char0 -mon chardev=char0,mode=control "
                           "-display none -machine pseries -accel qtest %s",
                           s->qtest_path, log, s->qmp_path, extra_args ? extra_args : "");
    s->pid = spawn(qtest_binary(), args, null_fd, STDOUT_FILENO, err_fd);
    track_child(s, true);
    g_free(args);
    close(null_fd);
    close(err_fd);

    s->qtest_fd = accept_child(s, qtest_lfd, "the qtest socket");
    s->qmp_fd = accept_child(s, qmp_lfd, "the QMP socket");
    close(qtest_lfd);
    close(qmp_lfd);
    qmp_handshake(s);
    return s;
}

static void free_state(QTestState *s)
{
    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    unlink(s->qtest_path);
    unlink(s->qmp_path);
    unlink(s->err_path);
    rmdir(s->dir);
    g_queue_free_full(s->events, (GDestroyNotify)json_object_unref);
    if (s->greeting) {
        json_object_unref(s->greeting);
    }
    g_string_free(s->qtest_buf, TRUE);
    g_string_free(s->qmp_buf, TRUE);
    g_free(s->qtest_path);
    g_free(s->qmp_path);
    g_free(s->err_path);
    g_free(s->dir);
    g_free(s);
}

void qtest_quit(QTestState *s)
{
    static const char quit[] = "{\"execute\": \"quit\"}\n";

    if (qtest_alive(s)) {
        if (s->qmp_fd < 0 || write(s->qmp_fd, quit, strlen(quit)) < 0) {
            kill(s->pid, SIGTERM);
        }
        if (!reap(s, QUIT_MS)) {
            kill(s->pid, SIGKILL);
            reap(s, QUIT_MS);
        }
    }
    free_state(s);
}

/* ---- One-shot runs -------------------------------------------------------- */

/* Drain both pipes until EOF on both, or the deadline. */
static bool drain_pipes(int out_fd, int err_fd, GString *out, GString *err)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)WAIT_MS * 1000;
    struct pollfd pfd[2] = {
        { .fd = out_fd, .events = POLLIN },
        { .fd = err_fd, .events = POLLIN },
    };
    GString *dest[2] = { out, err };
    int open_count = 2;

    while (open_count > 0) {
        int left = (deadline - g_get_monotonic_time()) / 1000;
        char chunk[4096];

        if (left <= 0) {
            return false;
        }
        if (poll(pfd, 2, left) < 0 && errno != EINTR) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            ssize_t n;

            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            n = read(pfd[i].fd, chunk, sizeof(chunk));
            if (n > 0) {
                g_string_append_len(dest[i], chunk, n);
            } else if (n == 0 || errno != EINTR) {
                pfd[i].fd = -1;
                open_count--;
            }
        }
    }
    return true;
}

int qtest_run(const char *args, char **out, char **err)
{
    QTestState st = { 0 };
    int out_pipe[2], err_pipe[2];
    GString *out_s = g_string_new(NULL);
    GString *err_s = g_string_new(NULL);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

    install_handlers();
    if (null_fd < 0 || pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
        g_error("libqtest: cannot make pipes: %s", strerror(errno));
    }
    st.pid = spawn(qtest_binary(), args, null_fd, out_pipe[1], err_pipe[1]);
    close(null_fd);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (!drain_pipes(out_pipe[0], err_pipe[0], out_s, err_s)) {
        kill(st.pid, SIGKILL);
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    st.err_path = (char *)"/nonexistent";
    if (!reap(&st, WAIT_MS)) {
        kill(st.pid, SIGKILL);
        reap(&st, QUIT_MS);
    }
    if (out) {
        *out = g_string_free(out_s, FALSE);
    } else {
        g_string_free(out_s, TRUE);
    }
    if (err) {
        *err = g_string_free(err_s, FALSE);
    } else {
        g_string_free(err_s, TRUE);
    }
    return st.status;
}

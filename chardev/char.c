/*
 * Character device core: the registry of chardevs by id, -chardev and legacy
 * spec parsing, the frontend API and the flow-controlled fd reader.
 */
#include "chardev/char-internal.h"
#include "qemu/error-report.h"
#include "qemu/module.h"

#include <glib-unix.h>
#include <glib/gprintf.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* Every chardev, in creation order (a mux comes after its base). */
static GPtrArray *chardevs;
static GPtrArray *backends;
/*
 * The same chardevs by id, in the hash table QEMU 7.2 keeps its chardevs
 * container's children in (GLib's, string hash): query-chardev lists them
 * in that table's order, so the same additions and removals give QEMU's.
 */
static GHashTable *listed;

bool chr_quiet;

void qemu_chr_set_quiet(bool quiet)
{
    chr_quiet = quiet;
}

/* Keys every backend accepts. */
static const char *const common_keys[] = { "backend", "id", "mux", "logfile", "logappend", NULL };

void chr_register_backend(const ChardevOps *ops)
{
    if (!backends) {
        backends = g_ptr_array_new();
    }
    g_ptr_array_add(backends, (gpointer)ops);
}

void qemu_chr_foreach_backend(void (*fn)(const char *name, void *opaque), void *opaque)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        fn(((const ChardevOps *)g_ptr_array_index(backends, i))->name, opaque);
    }
}

void qemu_chr_foreach(void (*fn)(Chardev *chr, const char *backend, void *opaque), void *opaque)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);

        fn(chr, chr->ops->name, opaque);
    }
}

void qemu_chr_foreach_listed(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    GHashTableIter iter;
    gpointer chr;

    if (!listed) {
        return;
    }
    g_hash_table_iter_init(&iter, listed);
    while (g_hash_table_iter_next(&iter, NULL, &chr)) {
        g_ptr_array_add(order, chr);
    }
    /* QEMU builds its list by prepending: the table's last comes first. */
    for (guint i = order->len; i > 0; i--) {
        fn(g_ptr_array_index(order, i - 1), opaque);
    }
}

static const ChardevOps *find_backend(const char *name)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        const ChardevOps *ops = g_ptr_array_index(backends, i);

        if (!strcmp(ops->name, name)) {
            return ops;
        }
    }
    return NULL;
}

Chardev *qemu_chr_find(const char *id)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);

        if (!strcmp(chr->id, id)) {
            return chr;
        }
    }
    return NULL;
}

char *qemu_chr_filename(Chardev *chr)
{
    return chr->ops->filename ? chr->ops->filename(chr) : g_strdup(chr->ops->name);
}

int qemu_chr_fe_get_msgfd(Chardev *chr)
{
    return chr && chr->ops->get_msgfd ? chr->ops->get_msgfd(chr) : -1;
}

bool qemu_chr_has_frontend(Chardev *chr)
{
    /* A mux's frontends (a device, a monitor, another mux) are its own list. */
    return chr->fe_attached || chr_mux_frontend_count(chr) > 0;
}

bool qemu_chr_frontend_open(Chardev *chr)
{
    bool open;

    if (chr->ops->frontend_open) {
        return chr->ops->frontend_open(chr);
    }
    if (chr_mux_base_frontend_open(chr, &open)) {
        return open;
    }
    return chr->fe_attached;
}

const char *qemu_chr_id(Chardev *chr)
{
    return chr ? chr->id : NULL;
}

bool chr_opt_bool(QemuOpts *opts, const char *name, bool def, bool *val, char **err)
{
    const char *str = qemu_opt_get(opts, name);

    *val = def;
    if (str && !qemu_parse_bool(str, val)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

/*
 * logfile= and logappend=, which every backend takes: the file is opened
 * (emptied unless logappend=on) before the backend, as QEMU 7.2 does.
 * 0 (no log), fd + 1, or -1 and *err.
 */
static int chr_open_log(QemuOpts *opts, char **err)
{
    const char *path = opts ? qemu_opt_get(opts, "logfile") : NULL;
    bool append;
    int fd;

    if (!path) {
        return 0;
    }
    if (!chr_opt_bool(opts, "logappend", false, &append, err)) {
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        *err = g_strdup_printf("Could not create '%s': %s", path, g_strerror(errno));
        return -1;
    }
    return fd + 1;
}

/* The bytes the backend took (res of them, when res > 0) go to the log as well. */
static int chr_log(Chardev *chr, const uint8_t *buf, int res)
{
    if (chr->logfd1 > 0 && res > 0) {
        chr_fd_write_all(chr->logfd1 - 1, buf, res, false);
    }
    return res;
}

Chardev *chr_create_with_ops(const char *id, const ChardevOps *ops, QemuOpts *opts, char **err)
{
    Chardev *chr;
    int logfd1 = chr_open_log(opts, err);

    if (logfd1 < 0) {
        return NULL;
    }
    chr = g_malloc0(ops->size);
    chr->id = g_strdup(id);
    chr->ops = ops;
    chr->logfd1 = logfd1;
    if (!ops->open(chr, opts, err)) {
        if (logfd1) {
            close(logfd1 - 1);
        }
        g_free(chr->id);
        g_free(chr);
        return NULL;
    }
    if (!chardevs) {
        chardevs = g_ptr_array_new();
        /* Even an error exit removes our unix socket files, restores the tty.
         */
        atexit(qemu_chr_cleanup_all);
    }
    g_ptr_array_add(chardevs, chr);
    if (!listed) {
        listed = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (chr->id) {
        g_hash_table_insert(listed, chr->id, chr);
    }
    return chr;
}

Chardev *chr_create(const char *id, const char *backend, QemuOpts *opts, char **err)
{
    const ChardevOps *ops = find_backend(backend);

    if (!ops) {
        *err = g_strdup_printf("'%s' is not a valid char driver name", backend);
        return NULL;
    }
    return chr_create_with_ops(id, ops, opts, err);
}

/* QEMU's identifier rule: a letter, then letters, digits, '-', '.', '_'. */
static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static bool key_in(const char *key, const char *const *keys)
{
    for (; keys && *keys; keys++) {
        if (!strcmp(key, *keys)) {
            return true;
        }
    }
    return false;
}

/*
 * The first key neither common nor known to any backend: QEMU checks
 * -chardev's keys against one list for all backends, and a backend ignores
 * the keys of others (ringbuf,path=x is accepted).
 */
static const char *first_unknown_key(QemuOpts *opts, const ChardevOps *ops)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        bool known = key_in(opt->name, common_keys);

        if (ops) {
            known = known || key_in(opt->name, ops->keys);
        }
        for (guint j = 0; !known && backends && j < backends->len; j++) {
            const ChardevOps *any = g_ptr_array_index(backends, j);

            known = key_in(opt->name, any->keys);
        }
        if (!known) {
            return opt->name;
        }
    }
    return NULL;
}

/* Validate the options that do not depend on the backend's own open(). */
static bool check_opts(QemuOpts *opts, const char *id, const char *backend, char **err)
{
    const char *bad;

    if (id && !id_wellformed(id)) {
        *err = g_strdup("Parameter 'id' expects an identifier");
        return false;
    }
    if (id && qemu_chr_find(id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for chardev", id);
        return false;
    }
    bad = first_unknown_key(opts, backend ? find_backend(backend) : NULL);
    if (bad) {
        *err = g_strdup_printf("Invalid parameter '%s'", bad);
        return false;
    }
    if (!qemu_chr_opts_check(opts, err)) {
        return false;
    }
    if (!id) {
        *err = g_strdup("chardev: no id specified");
        return false;
    }
    if (!backend) {
        *err = g_strdup_printf("chardev: \"%s\" missing backend", id);
        return false;
    }
    return true;
}

const char *qemu_chr_opts_unknown_key(QemuOpts *opts)
{
    const char *backend = qemu_opt_get(opts, "backend");

    return first_unknown_key(opts, backend ? find_backend(backend) : NULL);
}

bool qemu_chr_backend_known(const char *name)
{
    return name && (find_backend(name) || !strcmp(name, "tty"));
}

bool qemu_chr_opts_check(QemuOpts *opts, char **err)
{
    const char *backend = qemu_opt_get(opts, "backend");
    const ChardevOps *ops = backend ? find_backend(backend) : NULL;

    return !ops || !ops->check || ops->check(opts, err);
}

/* Create ID (wrapped in a mux when mux=on) from already-checked options. */
static Chardev *chr_create_maybe_mux(const char *id, const char *backend, QemuOpts *opts,
                                     char **err)
{
    g_autofree char *base_id = NULL;
    Chardev *base;
    bool mux;

    if (!chr_opt_bool(opts, "mux", false, &mux, err)) {
        return NULL;
    }
    if (!mux) {
        return chr_create(id, backend, opts, err);
    }
    base_id = g_strdup_printf("%s-base", id);
    if (qemu_chr_find(base_id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for chardev", base_id);
        return NULL;
    }
    base = chr_create(base_id, backend, opts, err);
    if (!base) {
        return NULL;
    }
    return chr_mux_new(id, base, err);
}

bool qemu_chr_opts_resolve_alias(QemuOpts *opts)
{
    const char *backend = qemu_opt_get(opts, "backend");

    if (backend && !strcmp(backend, "tty")) {
        qemu_opt_set(opts, "backend", "serial");
        return true;
    }
    return false;
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, char **err)
{
    const char *id;
    const char *backend;

    if (qemu_chr_opts_resolve_alias(opts)) {
        warn_report("The alias 'tty' is deprecated, use 'serial' instead");
    }
    id = qemu_opt_get(opts, "id");
    backend = qemu_opt_get(opts, "backend");
    *err = NULL;
    if (!check_opts(opts, id, backend, err)) {
        return NULL;
    }
    if (!find_backend(backend)) {
        *err = g_strdup_printf("'%s' is not a valid char driver name", backend);
        return NULL;
    }
    return chr_create_maybe_mux(id, backend, opts, err);
}

bool qemu_chr_try_opts(QemuOpts *opts, char **err)
{
    const ChardevOps *ops = find_backend(qemu_opt_get(opts, "backend"));
    Chardev *chr;

    *err = NULL;
    if (!ops) {
        *err =
            g_strdup_printf("'%s' is not a valid char driver name", qemu_opt_get(opts, "backend"));
        return false;
    }
    chr = chr_create_with_ops("", ops, opts, err);
    if (chr) {
        qemu_chr_delete(chr);
    }
    return chr != NULL;
}

/* --- Legacy spec strings (-serial, -qmp, -qtest, -monitor) --- */

/*
 * "PATH[,opts]" or "HOST:PORT[,opts]": the part before the first comma is
 * the address, the rest key=value options (bare "server", "nowait").
 */
static QemuOpts *parse_socket_spec(const char *rest, bool inet, char **err)
{
    const char *comma = strchr(rest, ',');
    g_autofree char *addr = g_strndup(rest, comma ? (size_t)(comma - rest) : strlen(rest));
    QemuOpts *opts = qemu_opts_parse(comma ? comma + 1 : "", NULL, err);
    char *colon;

    if (!opts) {
        return NULL;
    }
    if (!inet) {
        if (*addr) {
            qemu_opt_set(opts, "path", addr);
        }
        return opts;
    }
    colon = strrchr(addr, ':');
    if (!colon || !colon[1]) {
        *err = g_strdup_printf("could not parse 'tcp:%s': expected HOST:PORT", rest);
        qemu_opts_free(opts);
        return NULL;
    }
    *colon = '\0';
    qemu_opt_set(opts, "host", addr);
    qemu_opt_set(opts, "port", colon + 1);
    return opts;
}

/* Turn a legacy spec into -chardev options; NULL and *err when unknown. */
static QemuOpts *parse_legacy_spec(const char *spec, char **err)
{
    QemuOpts *opts = NULL;
    const char *rest;
    bool mux = g_str_has_prefix(spec, "mon:");
    const char *body = mux ? spec + 4 : spec;

    if (!strcmp(body, "stdio") || !strcmp(body, "null") || !strcmp(body, "pty")) {
        opts = qemu_opts_parse("", NULL, err);
        qemu_opt_set(opts, "backend", body);
    } else if (!strcmp(body, "vc") || g_str_has_prefix(body, "vc:")) {
        /* The size after "vc:" only matters to a display, which we lack. */
        opts = qemu_opts_parse("", NULL, err);
        qemu_opt_set(opts, "backend", "vc");
    } else if (g_str_has_prefix(body, "file:")) {
        opts = qemu_opts_parse("", NULL, err);
        qemu_opt_set(opts, "backend", "file");
        qemu_opt_set(opts, "path", body + 5);
    } else if ((rest = g_str_has_prefix(body, "unix:") ? body + 5 : NULL)) {
        opts = parse_socket_spec(rest, false, err);
    } else if ((rest = g_str_has_prefix(body, "tcp:") ? body + 4 : NULL)) {
        opts = parse_socket_spec(rest, true, err);
    } else {
        *err = g_strdup_printf("'%s' is not a valid char driver", spec);
        return NULL;
    }
    if (opts && !qemu_opt_has(opts, "backend")) {
        qemu_opt_set(opts, "backend", "socket");
    }
    if (opts && mux) {
        qemu_opt_set(opts, "mux", "on");
    }
    return opts;
}

Chardev *qemu_chr_new(const char *label, const char *spec, char **err)
{
    QemuOpts *opts;
    Chardev *chr = NULL;
    const char *bad;

    *err = NULL;
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = qemu_chr_find(spec + 8);
        if (!chr) {
            *err = g_strdup_printf("chardev '%s' not found", spec + 8);
        }
        return chr;
    }
    if (qemu_chr_find(label)) {
        *err = g_strdup_printf("Duplicate ID '%s' for chardev", label);
        return NULL;
    }
    opts = parse_legacy_spec(spec, err);
    if (!opts) {
        return NULL;
    }
    bad = first_unknown_key(opts, find_backend(qemu_opt_get(opts, "backend")));
    if (bad) {
        *err = g_strdup_printf("Invalid parameter '%s'", bad);
    } else {
        chr = chr_create_maybe_mux(label, qemu_opt_get(opts, "backend"), opts, err);
    }
    qemu_opts_free(opts);
    return chr;
}

/* --- What a backend hands its frontend --- */

int chr_be_can_write(Chardev *chr)
{
    if (!chr->fe_attached || !chr->fe_can_read) {
        return 0;
    }
    return chr->fe_can_read(chr->fe_opaque);
}

void chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->fe_attached && chr->fe_read && len > 0) {
        chr->fe_read(chr->fe_opaque, buf, len);
    }
}

void chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    if (chr->fe_attached && chr->fe_event) {
        chr->fe_event(chr->fe_opaque, event);
    }
}

void chr_be_set_open(Chardev *chr, bool open)
{
    if (chr->be_open == open) {
        return;
    }
    chr->be_open = open;
    chr_be_event(chr, open ? CHR_EVENT_OPENED : CHR_EVENT_CLOSED);
}

/* --- The frontend API --- */

bool qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read, IOReadHandler *read,
                              IOEventHandler *event, void *opaque)
{
    bool detach = !can_read && !read && !event;

    if (!chr) {
        return false;
    }
    if (chr->ops->set_handlers) {
        return chr->ops->set_handlers(chr, can_read, read, event, opaque);
    }
    if (!detach && chr->fe_attached && chr->fe_opaque != opaque) {
        return false;
    }
    chr->fe_can_read = can_read;
    chr->fe_read = read;
    chr->fe_event = event;
    chr->fe_opaque = opaque;
    chr->fe_attached = !detach;
    if (!detach && chr->be_open) {
        chr_be_event(chr, CHR_EVENT_OPENED);
    }
    /* The reader polls again at the next loop iteration: wake it up. */
    g_main_context_wakeup(NULL);
    return true;
}

void qemu_chr_fe_accept_input(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chr->ops->accept_input) {
        chr->ops->accept_input(chr);
    }
    g_main_context_wakeup(NULL);
}

int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len)
{
    if (!chr || len < 0) {
        return -1;
    }
    /* Nobody is listening: the bytes are lost, as on a real wire. */
    if ((!chr->be_open && !chr->ops->write_unopened) || !chr->ops->write || len == 0) {
        return chr_log(chr, buf, len);
    }
    return chr_log(chr, buf, chr->ops->write(chr, buf, len));
}

int qemu_chr_fe_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (!chr || len < 0) {
        return -1;
    }
    if ((!chr->be_open && !chr->ops->write_unopened) || !chr->ops->write || len == 0) {
        return chr_log(chr, buf, len);
    }
    if (!chr->ops->write_nb) {
        return chr_log(chr, buf, chr->ops->write(chr, buf, len));
    }
    return chr_log(chr, buf, chr->ops->write_nb(chr, buf, len));
}

typedef struct ChrWatch {
    void (*fn)(void *opaque);
    void *opaque;
} ChrWatch;

static gboolean chr_watch_fired(gint fd, GIOCondition cond, gpointer data)
{
    ChrWatch *w = data;

    w->fn(w->opaque);
    return G_SOURCE_REMOVE;
}

guint qemu_chr_fe_add_watch(Chardev *chr, void (*fn)(void *opaque), void *opaque)
{
    int fd = chr && chr->ops->out_fd ? chr->ops->out_fd(chr) : -1;
    ChrWatch *w;

    if (fd < 0) {
        return 0;
    }
    w = g_new(ChrWatch, 1);
    w->fn = fn;
    w->opaque = opaque;
    return g_unix_fd_add_full(G_PRIORITY_DEFAULT, fd, G_IO_OUT | G_IO_HUP | G_IO_ERR,
                              chr_watch_fired, w, g_free);
}

int qemu_chr_fe_printf(Chardev *chr, const char *fmt, ...)
{
    g_autofree char *str = NULL;
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = g_vasprintf(&str, fmt, ap);
    va_end(ap);
    if (len < 0) {
        return -1;
    }
    return qemu_chr_fe_write_all(chr, (const uint8_t *)str, len);
}

bool qemu_chr_fe_is_open(Chardev *chr)
{
    return chr && chr->be_open;
}

void qemu_chr_delete(Chardev *chr)
{
    if (!chardevs || !g_ptr_array_remove(chardevs, chr)) {
        return;
    }
    if (chr->id) {
        g_hash_table_remove(listed, chr->id);
    }
    if (chr->ops->close) {
        chr->ops->close(chr);
    }
    if (chr->logfd1 > 0) {
        close(chr->logfd1 - 1);
    }
    g_free(chr->id);
    g_free(chr);
}

void qemu_chr_cleanup_all(void)
{
    if (!chardevs) {
        return;
    }
    g_clear_pointer(&listed, g_hash_table_destroy);
    /* Newest first: a mux goes before the base it writes through. */
    while (chardevs->len) {
        Chardev *chr = g_ptr_array_steal_index(chardevs, chardevs->len - 1);

        if (chr->ops->close) {
            chr->ops->close(chr);
        }
        g_free(chr->id);
        g_free(chr);
    }
}

/* --- Writing and reading file descriptors --- */

int chr_fd_write_all(int fd, const uint8_t *buf, int len, bool is_socket)
{
    int done = 0;

    while (done < len) {
        ssize_t n;

        if (is_socket) {
            n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        } else {
            n = write(fd, buf + done, len - done);
        }
        if (n >= 0) {
            done += n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };

            poll(&pfd, 1, -1);
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return len;
}

int chr_fd_read_deliver(Chardev *chr, int fd)
{
    uint8_t buf[CHR_READ_BUF_LEN];
    int room = chr_be_can_write(chr);
    ssize_t n;

    if (room <= 0) {
        errno = EAGAIN;
        return -1;
    }
    n = read(fd, buf, MIN(room, (int)sizeof(buf)));
    if (n > 0) {
        chr_be_write(chr, buf, n);
    }
    return n;
}

struct ChrFdReader {
    GSource source;
    Chardev *chr;
    int fd;
    gpointer tag; /* non-NULL while the fd is polled */
    ChrFdReady *ready;
};

/* Poll the fd only while the frontend has room (QEMU's "read poll"). */
static gboolean reader_prepare(GSource *source, gint *timeout)
{
    ChrFdReader *r = (ChrFdReader *)source;
    bool want = chr_be_can_write(r->chr) > 0;

    if (want && !r->tag) {
        r->tag = g_source_add_unix_fd(source, r->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    } else if (!want && r->tag) {
        g_source_remove_unix_fd(source, r->tag);
        r->tag = NULL;
    }
    *timeout = -1;
    return FALSE;
}

static gboolean reader_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    ChrFdReader *r = (ChrFdReader *)source;
    GIOCondition cond = r->tag ? g_source_query_unix_fd(source, r->tag) : 0;

    if (cond) {
        r->ready(r->chr, cond);
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs reader_funcs = {
    .prepare = reader_prepare,
    .dispatch = reader_dispatch,
};

ChrFdReader *chr_fd_reader_new(Chardev *chr, int fd, ChrFdReady *ready)
{
    GSource *source = g_source_new(&reader_funcs, sizeof(ChrFdReader));
    ChrFdReader *r = (ChrFdReader *)source;

    r->chr = chr;
    r->fd = fd;
    r->ready = ready;
    g_source_attach(source, NULL);
    return r;
}

void chr_fd_reader_free(ChrFdReader *reader)
{
    if (reader) {
        g_source_destroy(&reader->source);
        g_source_unref(&reader->source);
    }
}

/* --- The null backend: accepts and drops everything, never sends --- */

static bool null_open(Chardev *chr, QemuOpts *opts, char **err)
{
    /* Always "connected", so a frontend gets OPENED as QEMU's does. */
    chr->be_open = true;
    return true;
}

static const ChardevOps null_ops = {
    .name = "null",
    .size = sizeof(Chardev),
    .open = null_open,
};

/*
 * --- The vc backend: QEMU's virtual console, a text window on its display.
 * There is no display here, so it drops what it is given, like QEMU 7.2's
 * with -display none; it exists so that the default serial port is listed as
 * "vc" as there.
 */

static const char *const vc_keys[] = { "width", "height", "cols", "rows", NULL };

static const ChardevOps vc_ops = {
    .name = "vc",
    .keys = vc_keys,
    .size = sizeof(Chardev),
    .open = null_open,
};

static void chardev_init(void)
{
    /* A peer that hangs up must not kill us: writes then fail with EPIPE. */
    signal(SIGPIPE, SIG_IGN);
    chr_register_backend(&null_ops);
    chr_register_backend(&vc_ops);
}

module_init(chardev_init)

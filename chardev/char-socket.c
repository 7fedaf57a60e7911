/*
 * The socket chardev backend: a unix or TCP stream, as a client that
 * connects at creation or a server that takes one peer at a time.
 */
#include "chardev/char-internal.h"
#include "qemu/error-report.h"
#include "qemu/module.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct SocketChardev {
    Chardev parent;
    bool is_server;
    bool nodelay;
    char *path;    /* unix socket path, or NULL for TCP */
    char *desc;    /* "unix:PATH,server=on" as QEMU shows it */
    int listen_fd; /* server only */
    guint listen_watch;
    int fd; /* the connected peer, or -1 */
    ChrFdReader *reader;
    guint hangup_idle;
    GArray *msgfds; /* of int: descriptors received and not taken yet */
} SocketChardev;

typedef struct SocketOpts {
    const char *path;
    const char *host;
    const char *port;
    bool server;
    bool wait;
    bool nodelay;
    int family;
    int fd; /* fd=: an inherited socket (listening when server=on), or -1 */
} SocketOpts;

static const char *const socket_keys[] = { "path",    "host",   "port", "to",     "ipv4",
                                           "ipv6",    "server", "wait", "nowait", "telnet",
                                           "nodelay", "fd",     NULL };

/* An inherited fd= must be an open stream socket; QEMU then owns it. */
static bool socket_check_fd(int fd, char **err)
{
    int type;
    socklen_t len = sizeof(type);

    if (fcntl(fd, F_GETFD) < 0) {
        *err = g_strdup_printf("Unable to parse FD number %d", fd);
        return false;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM) {
        *err = g_strdup_printf("File descriptor '%d' is not a stream socket", fd);
        return false;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return true;
}

/* Read and check every option before anything is opened. */
static bool socket_parse(QemuOpts *opts, SocketOpts *so, char **err)
{
    bool nowait, telnet, ipv4, ipv6;
    uint64_t to;

    if (!chr_opt_bool(opts, "server", false, &so->server, err) ||
        !chr_opt_bool(opts, "wait", true, &so->wait, err) ||
        !chr_opt_bool(opts, "nowait", false, &nowait, err) ||
        !chr_opt_bool(opts, "nodelay", false, &so->nodelay, err) ||
        !chr_opt_bool(opts, "telnet", false, &telnet, err) ||
        !chr_opt_bool(opts, "ipv4", false, &ipv4, err) ||
        !chr_opt_bool(opts, "ipv6", false, &ipv6, err) ||
        !qemu_opt_get_number(opts, "to", 0, &to, err)) {
        return false;
    }
    if (telnet) {
        *err = g_strdup("chardev: socket: telnet is not supported");
        return false;
    }
    so->wait = so->wait && !nowait;
    so->fd = -1;
    if (qemu_opt_has(opts, "fd")) {
        uint64_t fd;

        if (!qemu_strtou64(qemu_opt_get(opts, "fd"), &fd) || fd > INT32_MAX) {
            *err = g_strdup_printf("Unable to parse FD number %s", qemu_opt_get(opts, "fd"));
            return false;
        }
        if (so->path || so->host || so->port) {
            *err = g_strdup("chardev: socket: fd= cannot be combined with path=, host= or "
                            "port=");
            return false;
        }
        so->fd = (int)fd;
        return socket_check_fd(so->fd, err);
    }
    so->family = ipv4 && !ipv6 ? AF_INET : ipv6 && !ipv4 ? AF_INET6 : AF_UNSPEC;
    so->path = qemu_opt_get(opts, "path");
    so->host = qemu_opt_get(opts, "host");
    so->port = qemu_opt_get(opts, "port");
    if (so->path) {
        return true;
    }
    if (!so->host && !so->port) {
        /* QEMU then expects an inherited fd= and words it this way. */
        *err = g_strdup("Unable to parse FD number ");
        return false;
    }
    if (!so->port) {
        *err = g_strdup("chardev: socket: no port given");
        return false;
    }
    return true;
}

static int socket_new_fd(int family)
{
    return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static bool unix_addr(const char *path, struct sockaddr_un *sun, char **err)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        *err = g_strdup_printf("UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

static struct addrinfo *inet_resolve(const SocketOpts *so, char **err)
{
    struct addrinfo hints = {
        .ai_family = so->family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = so->server ? AI_PASSIVE : 0,
    };
    const char *host = so->host && *so->host ? so->host : NULL;
    struct addrinfo *res;
    int rc = getaddrinfo(host, so->port, &hints, &res);

    if (rc) {
        *err = g_strdup_printf("address resolution failed for %s:%s: %s", so->host ? so->host : "",
                               so->port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int unix_connect(const SocketOpts *so, char **err)
{
    struct sockaddr_un sun;
    int fd;

    if (!unix_addr(so->path, &sun, err)) {
        return -1;
    }
    fd = socket_new_fd(AF_UNIX);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        *err = g_strdup_printf("Failed to connect to '%s': %s", so->path, g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int inet_connect(const SocketOpts *so, char **err)
{
    struct addrinfo *res = inet_resolve(so, err);
    int fd = -1;
    int saved = 0;

    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket_new_fd(ai->ai_family);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    if (res && fd < 0) {
        *err = g_strdup_printf("Failed to connect to '%s:%s': %s", so->host, so->port,
                               g_strerror(saved));
    }
    if (res) {
        freeaddrinfo(res);
    }
    return fd;
}

/* A stale socket file (a previous run's) is replaced; any other file is not. */
static int unix_listen(const SocketOpts *so, char **err)
{
    struct sockaddr_un sun;
    struct stat st;
    int fd;

    if (!unix_addr(so->path, &sun, err)) {
        return -1;
    }
    if (lstat(so->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(so->path);
    }
    fd = socket_new_fd(AF_UNIX);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 1) < 0) {
        *err = g_strdup_printf("Failed to bind socket to %s: %s", so->path, g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int inet_listen(const SocketOpts *so, char **err)
{
    struct addrinfo *res = inet_resolve(so, err);
    int fd = -1;
    int saved = 0;
    int on = 1;

    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket_new_fd(ai->ai_family);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    if (res && fd < 0) {
        *err = g_strdup_printf("Failed to bind socket to %s:%s: %s", so->host ? so->host : "",
                               so->port, g_strerror(saved));
    }
    if (res) {
        freeaddrinfo(res);
    }
    return fd;
}

/* "unix:PATH" or "tcp:ADDR:PORT" of the bound address (port=0 resolved). */
static char *socket_describe(const SocketOpts *so, int fd)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (so->path) {
        return g_strdup_printf("unix:%s", so->path);
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_UNIX) {
        /* An inherited unix socket: its bound path. */
        return g_strdup_printf("unix:%s", ((struct sockaddr_un *)&ss)->sun_path);
    }
    if (len > sizeof(ss) || ss.ss_family == AF_UNSPEC ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV)) {
        return g_strdup_printf("tcp:%s:%s", so->host ? so->host : "", so->port ? so->port : "");
    }
    return g_strdup_printf("tcp:%s:%s", host, serv);
}

static void socket_ready(Chardev *chr, GIOCondition cond);
static gboolean socket_accept_cb(gint fd, GIOCondition cond, gpointer opaque);

static void socket_connected(SocketChardev *s, int fd)
{
    int on = 1;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (s->nodelay && !s->path) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
    s->fd = fd;
    s->reader = chr_fd_reader_new(&s->parent, fd, socket_ready);
    chr_be_set_open(&s->parent, true);
}

/* The peer is gone: tell the frontend, and a server listens again. */
static void socket_disconnect(SocketChardev *s)
{
    if (s->fd < 0) {
        return;
    }
    chr_fd_reader_free(s->reader);
    s->reader = NULL;
    close(s->fd);
    s->fd = -1;
    if (s->hangup_idle) {
        g_source_remove(s->hangup_idle);
        s->hangup_idle = 0;
    }
    if (s->is_server && !s->listen_watch) {
        s->listen_watch = g_unix_fd_add(s->listen_fd, G_IO_IN, socket_accept_cb, s);
    }
    chr_be_set_open(&s->parent, false);
}

/* Descriptors from an earlier message nobody took are closed, as QEMU does. */
static void socket_drop_msgfds(SocketChardev *s)
{
    for (guint i = 0; s->msgfds && i < s->msgfds->len; i++) {
        close(g_array_index(s->msgfds, int, i));
    }
    if (s->msgfds) {
        g_array_set_size(s->msgfds, 0);
    }
}

/* recvmsg, keeping the descriptors (SCM_RIGHTS on a unix socket) that came along. */
static int socket_read_msg(SocketChardev *s)
{
    uint8_t buf[4096];
    union {
        struct cmsghdr hdr;
        char space[CMSG_SPACE(16 * sizeof(int))];
    } ctl;
    struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    int room = chr_be_can_write(&s->parent);
    ssize_t n;

    if (room <= 0) {
        errno = EAGAIN;
        return -1;
    }
    iov.iov_len = MIN((size_t)room, sizeof(buf));
    msg.msg_control = &ctl;
    msg.msg_controllen = sizeof(ctl);
    n = recvmsg(s->fd, &msg, MSG_CMSG_CLOEXEC);
    if (n <= 0) {
        return (int)n;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int fds[16];

            memcpy(fds, CMSG_DATA(c), MIN(nfds, G_N_ELEMENTS(fds)) * sizeof(int));
            socket_drop_msgfds(s);
            if (!s->msgfds) {
                s->msgfds = g_array_new(false, false, sizeof(int));
            }
            g_array_append_vals(s->msgfds, fds, MIN(nfds, G_N_ELEMENTS(fds)));
        }
    }
    chr_be_write(&s->parent, buf, (int)n);
    return (int)n;
}

static int socket_get_msgfd(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;
    int fd;

    if (!s->msgfds || !s->msgfds->len) {
        return -1;
    }
    fd = g_array_index(s->msgfds, int, s->msgfds->len - 1);
    g_array_remove_index(s->msgfds, s->msgfds->len - 1);
    return fd;
}

static void socket_ready(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = (SocketChardev *)chr;
    int n = socket_read_msg(s);

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        socket_disconnect((SocketChardev *)chr);
    }
}

static gboolean socket_accept_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;
    int peer = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (peer < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One peer at a time: stop listening until it hangs up. */
    s->listen_watch = 0;
    socket_connected(s, peer);
    return G_SOURCE_REMOVE;
}

/*
 * wait=on: block start-up until the first peer connects.  Termination
 * signals get their default action meanwhile, so the wait can be killed
 * although the main loop is not running yet.
 */
static int socket_wait_for_peer(SocketChardev *s)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction dfl = { .sa_handler = SIG_DFL }, old[ARRAY_SIZE(sigs)];
    int peer = -1;

    info_report("QEMU waiting for connection on: disconnected:%s,server=on", s->desc);
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &dfl, &old[i]);
    }
    while (peer < 0) {
        struct pollfd pfd = { .fd = s->listen_fd, .events = POLLIN };

        if (poll(&pfd, 1, -1) > 0) {
            peer = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &old[i], NULL);
    }
    return peer;
}

static bool socket_open(Chardev *chr, QemuOpts *opts, char **err)
{
    SocketChardev *s = (SocketChardev *)chr;
    SocketOpts so = { 0 };
    int fd;

    s->fd = -1;
    s->listen_fd = -1;
    if (!socket_parse(opts, &so, err)) {
        return false;
    }
    if (so.fd >= 0) {
        fd = so.fd;
    } else if (so.server) {
        fd = so.path ? unix_listen(&so, err) : inet_listen(&so, err);
    } else {
        fd = so.path ? unix_connect(&so, err) : inet_connect(&so, err);
    }
    if (fd < 0) {
        return false;
    }
    s->is_server = so.server;
    s->nodelay = so.nodelay;
    s->desc = socket_describe(&so, fd);
    if (!so.server) {
        socket_connected(s, fd);
        return true;
    }
    s->path = g_strdup(so.path);
    s->listen_fd = fd;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (so.wait) {
        socket_connected(s, socket_wait_for_peer(s));
    } else {
        s->listen_watch = g_unix_fd_add(fd, G_IO_IN, socket_accept_cb, s);
    }
    return true;
}

static gboolean socket_hangup_cb(gpointer opaque)
{
    SocketChardev *s = opaque;

    s->hangup_idle = 0;
    socket_disconnect(s);
    return G_SOURCE_REMOVE;
}

static int socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = (SocketChardev *)chr;
    int ret = chr_fd_write_all(s->fd, buf, len, true);

    /*
     * The peer hung up: the bytes are lost.  The frontend hears CLOSED from
     * the main loop, not from inside its own write.
     */
    if (ret < 0 && !s->hangup_idle) {
        s->hangup_idle = g_idle_add(socket_hangup_cb, s);
    }
    return ret;
}

/* What the peer's socket buffer takes now; a hang-up is handled as in socket_write. */
static int socket_write_nb(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = (SocketChardev *)chr;
    ssize_t n;

    do {
        n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) {
        return n;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return 0;
    }
    if (!s->hangup_idle) {
        s->hangup_idle = g_idle_add(socket_hangup_cb, s);
    }
    return -1;
}

static int socket_out_fd(Chardev *chr)
{
    return ((SocketChardev *)chr)->fd;
}

static void socket_close(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    chr_fd_reader_free(s->reader);
    socket_drop_msgfds(s);
    if (s->msgfds) {
        g_array_free(s->msgfds, true);
    }
    if (s->hangup_idle) {
        g_source_remove(s->hangup_idle);
    }
    if (s->listen_watch) {
        g_source_remove(s->listen_watch);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        if (s->path) {
            unlink(s->path);
        }
    }
    g_free(s->path);
    g_free(s->desc);
}

/* QEMU's text: the address, ",server=on" for a server, "disconnected:" while alone. */
static char *socket_filename(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    return g_strdup_printf("%s%s%s", s->fd < 0 ? "disconnected:" : "", s->desc,
                           s->is_server ? ",server=on" : "");
}

static const ChardevOps socket_ops = {
    .name = "socket",
    .keys = socket_keys,
    .size = sizeof(SocketChardev),
    .open = socket_open,
    .write = socket_write,
    .write_nb = socket_write_nb,
    .out_fd = socket_out_fd,
    .close = socket_close,
    .filename = socket_filename,
    .get_msgfd = socket_get_msgfd,
};

static void chardev_socket_init(void)
{
    chr_register_backend(&socket_ops);
}

module_init(chardev_socket_init)

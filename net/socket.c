/*
 * -netdev socket: frames to and from another QEMU over a TCP connection
 * (listen=, connect=, or an inherited socket fd=), a UDP multicast group
 * (mcast=) or a UDP peer (udp=).  The wire formats are QEMU 7.2's: on a
 * stream each frame follows its length as 4 big-endian bytes; a datagram
 * carries one frame as it is.
 */
#include "net/socket.h"
#include "qemu/error-report.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* Frames handed to the NIC per wake-up before the main loop runs again. */
#define SOCKET_BURST 64

const char *const net_socket_keys[] = {
    "fd", "listen", "connect", "mcast", "localaddr", "udp", NULL,
};

void net_socket_set_info(NetSocket *s, const char *fmt, ...)
{
    va_list ap;

    g_free(s->nc->info_str);
    va_start(ap, fmt);
    s->nc->info_str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

/*
 * "host:port" as QEMU reads it: the host empty (any), a dotted IPv4
 * address, or a name; the port a C number (strtol, base 0) of which only a
 * leading part need parse.
 */
bool net_parse_host_port(struct sockaddr_in *sa, const char *str, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(str, ":", 2);
    const char *host, *port;
    char *end;
    long p;

    memset(sa, 0, sizeof(*sa));
    if (!parts[0] || !parts[1]) {
        error_setg(errp, "host address '%s' doesn't contain ':' separating host from port", str);
        return false;
    }
    host = parts[0];
    port = parts[1];
    sa->sin_family = AF_INET;
    if (g_ascii_isdigit(host[0])) {
        if (!inet_aton(host, &sa->sin_addr)) {
            error_setg(errp, "host address '%s' is not a valid IPv4 address", host);
            return false;
        }
    } else if (host[0]) {
        struct addrinfo hints = { .ai_family = AF_INET }, *res = NULL;

        if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) {
            error_setg(errp, "can't resolve host address '%s'", host);
            return false;
        }
        sa->sin_addr = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
        freeaddrinfo(res);
    }
    p = strtol(port, &end, 0);
    if (end == port) {
        error_setg(errp, "port number '%s' is invalid", port);
        return false;
    }
    /* QEMU keeps the low 16 bits of whatever number it read. */
    sa->sin_port = htons((uint16_t)(unsigned long)p);
    return true;
}

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void watch_remove(guint *watch)
{
    if (*watch) {
        g_source_remove(*watch);
        *watch = 0;
    }
}

static gboolean socket_readable(gint fd, GIOCondition cond, gpointer opaque);
static gboolean socket_writable(gint fd, GIOCondition cond, gpointer opaque);
static gboolean socket_accept(gint fd, GIOCondition cond, gpointer opaque);

static void socket_read_watch(NetSocket *s, bool on)
{
    if (on && !s->read_watch && s->fd >= 0 && !s->connecting) {
        s->read_watch = g_unix_fd_add(s->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, socket_readable, s);
    } else if (!on) {
        watch_remove(&s->read_watch);
    }
}

/*
 * The peer went away (or sent what no QEMU sends): the connection closes,
 * the link goes down, and a listen= socket waits for the next peer.
 */
static void socket_disconnect(NetSocket *s)
{
    watch_remove(&s->read_watch);
    watch_remove(&s->write_watch);
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    s->connecting = false;
    s->len_got = s->frame_got = 0;
    g_byte_array_set_size(s->out, 0);
    s->out_off = 0;
    s->nc->link_down = true;
    net_socket_set_info(s, "%s", "");
    if (s->listen_fd >= 0 && !s->listen_watch) {
        s->listen_watch = g_unix_fd_add(s->listen_fd, G_IO_IN, socket_accept, s);
    }
}

/* Hand a frame to the NIC; false when the NIC's queue is filling (stop reading). */
static bool socket_deliver(NetSocket *s, const uint8_t *buf, size_t len)
{
    qemu_send_packet(s->nc, buf, len);
    return !(s->nc->peer && qemu_net_queue_length(s->nc->peer));
}

/* Stream bytes in: length words and frames; false when reading must pause or stop. */
static bool stream_input(NetSocket *s, const uint8_t *p, size_t n)
{
    bool more = true;

    while (n) {
        if (s->len_got < 4) {
            size_t k = MIN(n, 4 - s->len_got);

            memcpy(s->len_bytes + s->len_got, p, k);
            s->len_got += k;
            p += k;
            n -= k;
            if (s->len_got < 4) {
                break;
            }
            s->frame_len = (uint32_t)s->len_bytes[0] << 24 | (uint32_t)s->len_bytes[1] << 16 |
                           (uint32_t)s->len_bytes[2] << 8 | s->len_bytes[3];
            s->frame_got = 0;
        }
        {
            size_t k = MIN(n, s->frame_len - s->frame_got);

            if (s->frame_got + k > SOCKET_BUFSIZE) {
                /*
                 * More than any QEMU sends: the peer is dropped once the bytes
                 * overflow, with QEMU 7.2's words (a bare length does nothing).
                 */
                fprintf(stderr, "serious error: oversized packet received,"
                                "connection terminated.\n");
                socket_disconnect(s);
                return false;
            }
            memcpy(s->buf + s->frame_got, p, k);
            s->frame_got += k;
            p += k;
            n -= k;
        }
        if (s->frame_got == s->frame_len) {
            s->len_got = 0;
            more = socket_deliver(s, s->buf, s->frame_len) && more;
        }
    }
    return more;
}

static gboolean socket_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    NetSocket *s = opaque;
    uint8_t chunk[4096];

    for (int i = 0; i < SOCKET_BURST; i++) {
        ssize_t n;

        if (s->dgram) {
            n = recv(s->fd, s->buf, sizeof(s->buf), 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                break;
            }
            if (n < 0) {
                /* An ICMP error of an earlier send (udp=, no peer yet): keep going. */
                continue;
            }
            if (!socket_deliver(s, s->buf, n)) {
                s->read_watch = 0;
                return G_SOURCE_REMOVE;
            }
            continue;
        }
        n = recv(s->fd, chunk, sizeof(chunk), 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            break;
        }
        if (n <= 0) {
            s->read_watch = 0; /* the source goes with G_SOURCE_REMOVE */
            socket_disconnect(s);
            return G_SOURCE_REMOVE;
        }
        if (!stream_input(s, chunk, n)) {
            if (s->fd < 0) {
                return G_SOURCE_REMOVE; /* disconnected: the watch is gone already */
            }
            s->read_watch = 0;
            return G_SOURCE_REMOVE;
        }
    }
    return G_SOURCE_CONTINUE;
}

/* The NIC took its queue: read again. */
static void socket_sender_resume(NetClientState *nc)
{
    socket_read_watch(nc->opaque, true);
}

/* Send what the socket left over; true when nothing is left. */
static bool stream_flush_out(NetSocket *s)
{
    while (s->out_off < s->out->len) {
        ssize_t n = send(s->fd, s->out->data + s->out_off, s->out->len - s->out_off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return false;
        }
        if (n <= 0) {
            socket_disconnect(s);
            return true;
        }
        s->out_off += n;
    }
    g_byte_array_set_size(s->out, 0);
    s->out_off = 0;
    return true;
}

static void stream_connected(NetSocket *s)
{
    s->connecting = false;
    s->nc->link_down = false;
    socket_read_watch(s, true);
}

static gboolean socket_writable(gint fd, GIOCondition cond, gpointer opaque)
{
    NetSocket *s = opaque;

    if (s->connecting) {
        int err = 0;
        socklen_t len = sizeof(err);

        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
            /*
             * Refused or unreachable: QEMU says nothing, the link stays down;
             * -netdev stream says so in info network.
             */
            s->write_watch = 0;
            socket_disconnect(s);
            if (s->kind == NET_SOCKET_STREAM) {
                net_socket_set_info(s, "connection error");
            }
            return G_SOURCE_REMOVE;
        }
        if (s->connect_info) {
            net_socket_set_info(s, "%s", s->connect_info);
        }
        stream_connected(s);
        s->write_watch = 0;
        return G_SOURCE_REMOVE;
    }
    if (!stream_flush_out(s)) {
        return G_SOURCE_CONTINUE;
    }
    if (s->fd < 0) {
        return G_SOURCE_REMOVE; /* disconnected: the watch is gone already */
    }
    s->write_watch = 0;
    /* Room again: frames the NIC queued for us follow. */
    qemu_flush_queued_packets(s->nc);
    return G_SOURCE_REMOVE;
}

static void stream_append(NetSocket *s, const uint8_t *p, size_t n)
{
    g_byte_array_append(s->out, p, n);
}

/* A frame from the NIC. */
static ssize_t socket_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetSocket *s = nc->opaque;
    ssize_t n;

    if (s->fd < 0 || s->connecting) {
        return len; /* no peer yet: dropped */
    }
    if (s->dgram) {
        do {
            if (s->has_dst) {
                n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&s->dst, sizeof(s->dst));
            } else if (s->unix_dst_len) {
                n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&s->unix_dst, s->unix_dst_len);
            } else {
                n = send(s->fd, buf, len, 0);
            }
        } while (n < 0 && errno == EINTR);
        return len;
    }
    if (s->out->len) {
        return 0; /* the last frame is still going out: keep this one queued */
    }
    {
        uint8_t be[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                          (uint8_t)len };

        stream_append(s, be, 4);
        stream_append(s, buf, len);
    }
    if (!stream_flush_out(s) && !s->write_watch) {
        s->write_watch = g_unix_fd_add(s->fd, G_IO_OUT, socket_writable, s);
    }
    return len;
}

static void socket_cleanup(NetClientState *nc)
{
    NetSocket *s = nc->opaque;

    watch_remove(&s->read_watch);
    watch_remove(&s->write_watch);
    watch_remove(&s->listen_watch);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    if (s->unix_listen) {
        unlink(s->unix_path);
    }
    g_byte_array_unref(s->out);
    g_free(s->unix_path);
    g_free(s->connect_info);
    g_free(s);
}

static const NetClientInfo socket_infos[] = {
    [NET_SOCKET_SOCKET] = { .type = NET_CLIENT_DRIVER_SOCKET,
                            .receive = socket_receive,
                            .sender_resume = socket_sender_resume,
                            .cleanup = socket_cleanup },
    [NET_SOCKET_STREAM] = { .type = NET_CLIENT_DRIVER_STREAM,
                            .receive = socket_receive,
                            .sender_resume = socket_sender_resume,
                            .cleanup = socket_cleanup },
    [NET_SOCKET_DGRAM] = { .type = NET_CLIENT_DRIVER_DGRAM,
                           .receive = socket_receive,
                           .sender_resume = socket_sender_resume,
                           .cleanup = socket_cleanup },
};

static const char *const socket_models[] = { "socket", "stream", "dgram" };

NetSocket *net_socket_new(NetSocketKind kind, const char *name, int fd, bool dgram)
{
    NetSocket *s = g_new0(NetSocket, 1);

    s->kind = kind;
    s->fd = fd;
    s->listen_fd = -1;
    s->dgram = dgram;
    s->out = g_byte_array_new();
    s->nc = qemu_new_net_client(&socket_infos[kind], NULL, socket_models[kind], name, s);
    return s;
}

/* A peer connected to the listener: the one connection served until it closes. */
static gboolean socket_accept(gint fd, GIOCondition cond, gpointer opaque)
{
    NetSocket *s = opaque;
    struct sockaddr_storage peer;
    struct sockaddr_in *in = (struct sockaddr_in *)&peer;
    socklen_t len = sizeof(peer);
    int c = accept4(fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (c < 0) {
        return G_SOURCE_CONTINUE;
    }
    s->fd = c;
    s->listen_watch = 0;
    if (s->kind == NET_SOCKET_STREAM && peer.ss_family == AF_UNIX) {
        net_socket_set_info(s, "unix:%s", s->unix_path ? s->unix_path : "");
    } else if (s->kind == NET_SOCKET_STREAM && peer.ss_family == AF_INET6) {
        char host[INET6_ADDRSTRLEN];
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&peer;

        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        net_socket_set_info(s, "tcp:%s:%d", host, ntohs(in6->sin6_port));
    } else {
        net_socket_set_info(
            s, s->kind == NET_SOCKET_STREAM ? "tcp:%s:%d" : "socket: connection from %s:%d",
            inet_ntoa(in->sin_addr), ntohs(in->sin_port));
    }
    stream_connected(s);
    return G_SOURCE_REMOVE;
}

void net_socket_listen_on(NetSocket *s, int fd)
{
    s->listen_fd = fd;
    s->nc->link_down = true;
    net_socket_set_info(s, "%s", "");
    s->listen_watch = g_unix_fd_add(fd, G_IO_IN, socket_accept, s);
}

void net_socket_connect_on(NetSocket *s, bool done)
{
    if (done) {
        stream_connected(s);
        return;
    }
    s->connecting = true;
    s->nc->link_down = true;
    s->write_watch = g_unix_fd_add(s->fd, G_IO_OUT, socket_writable, s);
}

void net_socket_start(NetSocket *s)
{
    socket_read_watch(s, true);
}

static NetClientState *socket_listen(const char *name, const char *addr, Error **errp)
{
    struct sockaddr_in sa;
    NetSocket *s;
    int fd, one = 1;

    if (!net_parse_host_port(&sa, addr, errp)) {
        return NULL;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg(errp, "can't create stream socket: %s", g_strerror(errno));
        return NULL;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg(errp, "can't bind ip=%s to socket: %s", inet_ntoa(sa.sin_addr),
                   g_strerror(errno));
        close(fd);
        return NULL;
    }
    if (listen(fd, 0) < 0) {
        error_setg(errp, "can't listen on socket: %s", g_strerror(errno));
        close(fd);
        return NULL;
    }
    s = net_socket_new(NET_SOCKET_SOCKET, name, -1, false);
    net_socket_listen_on(s, fd);
    return s->nc;
}

static NetClientState *socket_connect(const char *name, const char *addr, Error **errp)
{
    struct sockaddr_in sa;
    NetSocket *s;
    int fd, ret;

    if (!net_parse_host_port(&sa, addr, errp)) {
        return NULL;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg(errp, "can't create stream socket: %s", g_strerror(errno));
        return NULL;
    }
    do {
        ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    } while (ret < 0 && errno == EINTR);
    if (ret < 0 && errno != EINPROGRESS && errno != EAGAIN) {
        error_setg(errp, "can't connect socket: %s", g_strerror(errno));
        close(fd);
        return NULL;
    }
    s = net_socket_new(NET_SOCKET_SOCKET, name, fd, false);
    net_socket_set_info(s, "socket: connect to %s:%d", inet_ntoa(sa.sin_addr), ntohs(sa.sin_port));
    net_socket_connect_on(s, ret == 0);
    return s->nc;
}

/* fd=: a socket the caller opened (a connected stream, or a datagram socket). */
static NetClientState *socket_fd(const char *name, const char *str, Error **errp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    uint64_t v;
    int fd, type;
    NetSocket *s;

    if (!g_ascii_isdigit(str[0]) || !qemu_strtou64(str, &v) || v > INT_MAX) {
        error_setg(errp, "Invalid file descriptor number '%s'", str);
        return NULL;
    }
    fd = (int)v;
    if (fcntl(fd, F_GETFL) < 0) {
        error_setg(errp, "%s: Can't use file descriptor %d: %s", name, fd, g_strerror(errno));
        return NULL;
    }
    len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg(errp, "can't get socket option SO_TYPE");
        return NULL;
    }
    if (type != SOCK_STREAM && type != SOCK_DGRAM) {
        error_setg(errp, "socket type=%d for fd=%d must be either SOCK_DGRAM or SOCK_STREAM", type,
                   fd);
        return NULL;
    }
    set_nonblock(fd);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    s = net_socket_new(NET_SOCKET_SOCKET, name, fd, type == SOCK_DGRAM);
    if (s->dgram) {
        /* QEMU names the family the socket is bound in. */
        len = sizeof(ss);
        memset(&ss, 0, sizeof(ss));
        getsockname(fd, (struct sockaddr *)&ss, &len);
        net_socket_set_info(s, "socket: fd=%d %s", fd, ss.ss_family == AF_UNIX ? "unix" : "inet");
    } else {
        net_socket_set_info(s, "socket: fd=%d", fd);
    }
    socket_read_watch(s, true);
    return s->nc;
}

int net_socket_dgram_bound(const struct sockaddr_in *bind_to, Error **errp)
{
    int one = 1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        error_setg(errp, "can't create datagram socket: %s", g_strerror(errno));
        return -1;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        error_setg(errp, "can't set socket option SO_REUSEADDR: %s", g_strerror(errno));
        close(fd);
        return -1;
    }
    if (bind(fd, (const struct sockaddr *)bind_to, sizeof(*bind_to)) < 0) {
        error_setg(errp, "can't bind ip=%s to socket: %s", inet_ntoa(bind_to->sin_addr),
                   g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * mcast=: every member of the group hears every frame, ours included (the
 * group loops back, so QEMUs on one host meet).
 */
NetClientState *net_socket_mcast(NetSocketKind kind, const char *name, const char *addr,
                                 const char *local, Error **errp)
{
    struct sockaddr_in sa;
    struct in_addr if_addr = { .s_addr = htonl(INADDR_ANY) };
    struct ip_mreq mreq;
    uint8_t loop = 1;
    NetSocket *s;
    int fd;

    if (!net_parse_host_port(&sa, addr, errp)) {
        return NULL;
    }
    if (local && !inet_aton(local, &if_addr)) {
        error_setg(errp, "localaddr '%s' is not a valid IPv4 address", local);
        return NULL;
    }
    if (!IN_MULTICAST(ntohl(sa.sin_addr.s_addr))) {
        error_setg(errp, "specified mcastaddr %s (0x%08x) does not contain a multicast address",
                   inet_ntoa(sa.sin_addr), ntohl(sa.sin_addr.s_addr));
        return NULL;
    }
    fd = net_socket_dgram_bound(&sa, errp);
    if (fd < 0) {
        return NULL;
    }
    mreq.imr_multiaddr = sa.sin_addr;
    mreq.imr_interface = if_addr;
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0) {
        error_setg(errp, "can't add socket to multicast group %s: %s", inet_ntoa(sa.sin_addr),
                   g_strerror(errno));
        goto fail;
    }
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) < 0) {
        error_setg(errp, "can't force multicast message to loopback: %s", g_strerror(errno));
        goto fail;
    }
    if (local && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &if_addr, sizeof(if_addr)) < 0) {
        error_setg(errp, "can't set socket option IP_MULTICAST_IF: %s", g_strerror(errno));
        goto fail;
    }
    s = net_socket_new(kind, name, fd, true);
    s->dst = sa;
    s->has_dst = true;
    net_socket_set_info(s, "%smcast=%s:%d", kind == NET_SOCKET_SOCKET ? "socket: " : "",
                        inet_ntoa(sa.sin_addr), ntohs(sa.sin_port));
    socket_read_watch(s, true);
    return s->nc;

fail:
    close(fd);
    return NULL;
}

/* udp=: frames to one UDP peer, from our localaddr=. */
static NetClientState *socket_udp(const char *name, const char *remote, const char *local,
                                  Error **errp)
{
    struct sockaddr_in laddr, raddr;
    NetSocket *s;
    int fd;

    if (!net_parse_host_port(&laddr, local, errp) || !net_parse_host_port(&raddr, remote, errp)) {
        return NULL;
    }
    fd = net_socket_dgram_bound(&laddr, errp);
    if (fd < 0) {
        return NULL;
    }
    s = net_socket_new(NET_SOCKET_SOCKET, name, fd, true);
    s->dst = raddr;
    s->has_dst = true;
    net_socket_set_info(s, "socket: udp=%s:%d", inet_ntoa(raddr.sin_addr), ntohs(raddr.sin_port));
    socket_read_watch(s, true);
    return s->nc;
}

NetClientState *net_init_socket(QemuOpts *opts, const char *name, Error **errp)
{
    const char *fd = qemu_opt_get(opts, "fd");
    const char *listen_addr = qemu_opt_get(opts, "listen");
    const char *connect_addr = qemu_opt_get(opts, "connect");
    const char *mcast = qemu_opt_get(opts, "mcast");
    const char *udp = qemu_opt_get(opts, "udp");
    const char *local = qemu_opt_get(opts, "localaddr");

    if (!!fd + !!listen_addr + !!connect_addr + !!mcast + !!udp != 1) {
        error_setg(errp, "exactly one of listen=, connect=, mcast= or udp= is required");
        return NULL;
    }
    if (local && !mcast && !udp) {
        error_setg(errp, "localaddr= is only valid with mcast= or udp=");
        return NULL;
    }
    if (fd) {
        return socket_fd(name, fd, errp);
    }
    if (listen_addr) {
        return socket_listen(name, listen_addr, errp);
    }
    if (connect_addr) {
        return socket_connect(name, connect_addr, errp);
    }
    if (mcast) {
        return net_socket_mcast(NET_SOCKET_SOCKET, name, mcast, local, errp);
    }
    if (!local) {
        error_setg(errp, "localaddr= is mandatory with udp=");
        return NULL;
    }
    return socket_udp(name, udp, local, errp);
}

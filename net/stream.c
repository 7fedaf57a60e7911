/*
 * -netdev stream and -netdev dgram, QEMU 7.2's address-based forms of
 * -netdev socket: addr.type=inet|unix|fd with server=on|off for a stream,
 * local.* and remote.* for datagrams.  Their options are checked as QEMU's
 * QAPI visitor checks them (missing members, then types, then unexpected
 * keys); the frames go through the socket engine (net/socket.c).
 */
#include "net/socket.h"
#include "qemu/error-report.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/un.h>
#include <unistd.h>

/* -netdev stream/dgram keys are checked here, not against a list: "*" says so. */
const char *const net_stream_keys[] = { "*", NULL };

/* A SocketAddress given as PREFIX.type, PREFIX.host... */
typedef struct SockAddrOpt {
    bool present;
    const char *type; /* inet, unix, vsock, fd */
    const char *host, *port, *path, *str;
    bool ipv4, ipv6, abstract, tight;
    bool has_ipv4, has_ipv6;
} SockAddrOpt;

static const char *const inet_members[] = {
    "type", "host", "port", "numeric", "to", "ipv4", "ipv6", "keep-alive", "mptcp", NULL,
};
static const char *const unix_members[] = { "type", "path", "abstract", "tight", NULL };
static const char *const vsock_members[] = { "type", "cid", "port", NULL };
static const char *const fd_members[] = { "type", "str", NULL };

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (!strcmp(*list, s)) {
            return true;
        }
    }
    return false;
}

static const char *member(QemuOpts *opts, const char *prefix, const char *name)
{
    g_autofree char *key = g_strdup_printf("%s.%s", prefix, name);

    return qemu_opt_get(opts, key);
}

static bool mandatory(QemuOpts *opts, const char *prefix, const char *name, const char **out,
                      Error **errp)
{
    *out = member(opts, prefix, name);
    if (!*out) {
        error_setg(errp, "Parameter '%s.%s' is missing", prefix, name);
        return false;
    }
    return true;
}

static bool opt_bool(QemuOpts *opts, const char *prefix, const char *name, bool *has, bool *val,
                     Error **errp)
{
    const char *v = member(opts, prefix, name);

    *has = v != NULL;
    if (v && !qemu_parse_bool(v, val)) {
        error_setg(errp, "Parameter '%s.%s' expects 'on' or 'off'", prefix, name);
        return false;
    }
    return true;
}

/* Read PREFIX.* as QEMU's visitor does; a = { .present = false } when none was given. */
static bool sockaddr_opt(QemuOpts *opts, const char *prefix, SockAddrOpt *a, Error **errp)
{
    size_t plen = strlen(prefix);
    const char *const *members;
    bool has, dummy;

    memset(a, 0, sizeof(*a));
    a->tight = true;
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strncmp(o->name, prefix, plen) && o->name[plen] == '.') {
            a->present = true;
        }
    }
    if (!a->present) {
        return true;
    }
    if (!mandatory(opts, prefix, "type", &a->type, errp)) {
        return false;
    }
    if (!strcmp(a->type, "inet")) {
        const char *to = member(opts, prefix, "to");
        uint64_t v;

        members = inet_members;
        if (!mandatory(opts, prefix, "host", &a->host, errp) ||
            !mandatory(opts, prefix, "port", &a->port, errp) ||
            !opt_bool(opts, prefix, "numeric", &has, &dummy, errp)) {
            return false;
        }
        if (to && !qemu_strtou64(to, &v)) {
            error_setg(errp, "Parameter '%s.to' expects integer", prefix);
            return false;
        }
        if (to && v > UINT16_MAX) {
            error_setg(errp, "Parameter '%s.to' expects uint16_t", prefix);
            return false;
        }
        if (!opt_bool(opts, prefix, "ipv4", &a->has_ipv4, &a->ipv4, errp) ||
            !opt_bool(opts, prefix, "ipv6", &a->has_ipv6, &a->ipv6, errp) ||
            !opt_bool(opts, prefix, "keep-alive", &has, &dummy, errp) ||
            !opt_bool(opts, prefix, "mptcp", &has, &dummy, errp)) {
            return false;
        }
    } else if (!strcmp(a->type, "unix")) {
        members = unix_members;
        if (!mandatory(opts, prefix, "path", &a->path, errp) ||
            !opt_bool(opts, prefix, "abstract", &has, &a->abstract, errp) ||
            !opt_bool(opts, prefix, "tight", &has, &a->tight, errp)) {
            return false;
        }
        if (!has) {
            a->tight = true;
        }
    } else if (!strcmp(a->type, "vsock")) {
        const char *unused;

        members = vsock_members;
        if (!mandatory(opts, prefix, "cid", &unused, errp) ||
            !mandatory(opts, prefix, "port", &a->port, errp)) {
            return false;
        }
    } else if (!strcmp(a->type, "fd")) {
        members = fd_members;
        if (!mandatory(opts, prefix, "str", &a->str, errp)) {
            return false;
        }
    } else {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", a->type);
        return false;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strncmp(o->name, prefix, plen) && o->name[plen] == '.' &&
            !in_list(members, o->name + plen + 1)) {
            error_setg(errp, "Parameter '%s' is unexpected", o->name);
            return false;
        }
    }
    return true;
}

/* Keys of neither the netdev nor its members: QEMU reports the first last. */
static bool no_other_keys(QemuOpts *opts, const char *const *mine, Error **errp)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        const char *dot = strchr(o->name, '.');
        g_autofree char *head = g_strndup(o->name, dot ? (size_t)(dot - o->name) : strlen(o->name));

        if (strcmp(o->name, "type") && strcmp(o->name, "id") && !in_list(mine, head)) {
            error_setg(errp, "Parameter '%s' is unexpected", o->name);
            return false;
        }
    }
    return true;
}

/* A unix socket address of path (abstract: in the abstract namespace). */
static socklen_t unix_addr(struct sockaddr_un *un, const SockAddrOpt *a)
{
    size_t len = strlen(a->path);
    size_t off = a->abstract ? 1 : 0;

    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    len = MIN(len, sizeof(un->sun_path) - 1 - off);
    memcpy(un->sun_path + off, a->path, len);
    if (a->abstract && a->tight) {
        return offsetof(struct sockaddr_un, sun_path) + off + len;
    }
    return sizeof(*un);
}

static struct addrinfo *inet_resolve(const SockAddrOpt *a, bool passive)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = passive ? AI_PASSIVE : 0 };
    struct addrinfo *res = NULL;

    hints.ai_family = a->has_ipv4 && a->ipv4 && !(a->has_ipv6 && a->ipv6)   ? AF_INET
                      : a->has_ipv6 && a->ipv6 && !(a->has_ipv4 && a->ipv4) ? AF_INET6
                                                                            : AF_UNSPEC;
    if (getaddrinfo(a->host[0] ? a->host : NULL, a->port, &hints, &res) != 0) {
        return NULL;
    }
    return res;
}

static char *sockaddr_text(const struct sockaddr *sa)
{
    char host[INET6_ADDRSTRLEN] = "";

    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        return g_strdup_printf("tcp:%s:%d", host, ntohs(in6->sin6_port));
    } else {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        return g_strdup_printf("tcp:%s:%d", host, ntohs(in->sin_port));
    }
}

/* The listening or connecting socket of a stream; -1 when it cannot be had. */
static int stream_open(NetSocket *s, const SockAddrOpt *a, bool server, bool *done)
{
    int fd = -1, one = 1, ret;

    *done = false;
    if (!strcmp(a->type, "inet")) {
        struct addrinfo *res = inet_resolve(a, server);

        if (!res) {
            return -1;
        }
        fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd >= 0 && server) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            ret = bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1) < 0 ? -1 : 0;
        } else if (fd >= 0) {
            s->connect_info = sockaddr_text(res->ai_addr);
            do {
                ret = connect(fd, res->ai_addr, res->ai_addrlen);
            } while (ret < 0 && errno == EINTR);
            *done = ret == 0;
            ret = ret < 0 && errno != EINPROGRESS ? -1 : 0;
        } else {
            ret = -1;
        }
        freeaddrinfo(res);
    } else if (!strcmp(a->type, "unix")) {
        struct sockaddr_un un;
        socklen_t len = unix_addr(&un, a);

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        s->unix_path = g_strdup(a->path);
        if (fd >= 0 && server) {
            if (!a->abstract) {
                unlink(a->path);
            }
            ret = bind(fd, (struct sockaddr *)&un, len) < 0 || listen(fd, 1) < 0 ? -1 : 0;
            s->unix_listen = ret == 0 && !a->abstract;
        } else if (fd >= 0) {
            s->connect_info = g_strdup_printf("unix:%s", a->path);
            do {
                ret = connect(fd, (struct sockaddr *)&un, len);
            } while (ret < 0 && errno == EINTR);
            *done = ret == 0;
            ret = ret < 0 && errno != EINPROGRESS && errno != EAGAIN ? -1 : 0;
        } else {
            ret = -1;
        }
    } else if (!strcmp(a->type, "fd")) {
        uint64_t v;
        int type;
        socklen_t len = sizeof(type);

        if (!g_ascii_isdigit(a->str[0]) || !qemu_strtou64(a->str, &v) || v > INT_MAX ||
            getsockopt((int)v, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM) {
            return -1;
        }
        fd = (int)v;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (!server) {
            struct sockaddr_storage peer;
            socklen_t plen = sizeof(peer);

            memset(&peer, 0, sizeof(peer));
            getpeername(fd, (struct sockaddr *)&peer, &plen);
            if (peer.ss_family == AF_UNIX) {
                struct sockaddr_un *un = (struct sockaddr_un *)&peer;

                s->connect_info = g_strdup_printf(
                    "unix:%.*s",
                    (int)MAX(0, (int)plen - (int)offsetof(struct sockaddr_un, sun_path)),
                    un->sun_path);
            } else {
                s->connect_info = sockaddr_text((struct sockaddr *)&peer);
            }
            *done = true;
        }
        return fd;
    } else {
        return -1; /* vsock: not here */
    }
    if (ret < 0 && fd >= 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static const char *const stream_own[] = { "addr", "server", NULL };

NetClientState *net_init_stream(QemuOpts *opts, const char *name, Error **errp)
{
    SockAddrOpt a;
    bool server = false;
    const char *sv;
    NetSocket *s;
    bool done;
    int fd;

    if (!sockaddr_opt(opts, "addr", &a, errp)) {
        return NULL;
    }
    if (!a.present) {
        error_setg(errp, "Parameter 'addr' is missing");
        return NULL;
    }
    sv = qemu_opt_get(opts, "server");
    if (sv && !qemu_parse_bool(sv, &server)) {
        error_setg(errp, "Parameter 'server' expects 'on' or 'off'");
        return NULL;
    }
    if (!no_other_keys(opts, stream_own, errp)) {
        return NULL;
    }
    /* Whatever fails from here is QEMU's asynchronous "connection error". */
    s = net_socket_new(NET_SOCKET_STREAM, name, -1, false);
    fd = stream_open(s, &a, server, &done);
    if (fd < 0) {
        s->nc->link_down = true;
        net_socket_set_info(s, "connection error");
    } else if (server) {
        net_socket_listen_on(s, fd);
    } else {
        s->fd = fd;
        if (done) {
            net_socket_set_info(s, "%s", s->connect_info);
        }
        net_socket_connect_on(s, done);
    }
    return s->nc;
}

/* ---- dgram --------------------------------------------------------------- */

static const char *const dgram_own[] = { "local", "remote", NULL };

static char *host_port(const SockAddrOpt *a)
{
    return g_strdup_printf("%s:%s", a->host, a->port);
}

static NetClientState *dgram_fd(const char *name, const SockAddrOpt *a, Error **errp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    uint64_t v;
    NetSocket *s;
    int fd;

    if (!g_ascii_isdigit(a->str[0]) || !qemu_strtou64(a->str, &v) || v > INT_MAX) {
        error_setg(errp, "Invalid file descriptor number '%s'", a->str);
        return NULL;
    }
    fd = (int)v;
    if (fcntl(fd, F_GETFL) < 0) {
        error_setg(errp, "%s: Can't use file descriptor %d: %s", name, fd, g_strerror(errno));
        return NULL;
    }
    memset(&ss, 0, sizeof(ss));
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        error_setg(errp, "Unable to query local socket address: %s", g_strerror(errno));
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    s = net_socket_new(NET_SOCKET_DGRAM, name, fd, true);
    net_socket_set_info(s, "fd=%d %s", fd, ss.ss_family == AF_UNIX ? "unix" : "inet");
    net_socket_start(s);
    return s->nc;
}

static NetClientState *dgram_unix(const char *name, const SockAddrOpt *l, const SockAddrOpt *r,
                                  Error **errp)
{
    struct sockaddr_un un;
    socklen_t len = unix_addr(&un, l);
    NetSocket *s;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        error_setg(errp, "can't create datagram socket: %s", g_strerror(errno));
        return NULL;
    }
    if (bind(fd, (struct sockaddr *)&un, len) < 0) {
        error_setg(errp, "can't bind unix=%s to socket: %s", l->path, g_strerror(errno));
        close(fd);
        return NULL;
    }
    s = net_socket_new(NET_SOCKET_DGRAM, name, fd, true);
    s->unix_path = g_strdup(l->path);
    s->unix_listen = !l->abstract;
    s->unix_dst_len = unix_addr(&s->unix_dst, r);
    net_socket_set_info(s, "udp=%s:%s", l->path, r->path);
    net_socket_start(s);
    return s->nc;
}

static NetClientState *dgram_inet(const char *name, const SockAddrOpt *l, const SockAddrOpt *r,
                                  Error **errp)
{
    g_autofree char *lstr = host_port(l), *rstr = host_port(r);
    struct sockaddr_in laddr, raddr;
    NetSocket *s;
    int fd;

    if (!net_parse_host_port(&laddr, lstr, errp) || !net_parse_host_port(&raddr, rstr, errp)) {
        return NULL;
    }
    fd = net_socket_dgram_bound(&laddr, errp);
    if (fd < 0) {
        return NULL;
    }
    s = net_socket_new(NET_SOCKET_DGRAM, name, fd, true);
    s->dst = raddr;
    s->has_dst = true;
    {
        char lhost[INET_ADDRSTRLEN], rhost[INET_ADDRSTRLEN];

        inet_ntop(AF_INET, &laddr.sin_addr, lhost, sizeof(lhost));
        inet_ntop(AF_INET, &raddr.sin_addr, rhost, sizeof(rhost));
        net_socket_set_info(s, "udp=%s:%d/%s:%d", lhost, ntohs(laddr.sin_port), rhost,
                            ntohs(raddr.sin_port));
    }
    net_socket_start(s);
    return s->nc;
}

/* remote= an IPv4 multicast group: the datagrams of -netdev socket,mcast=. */
static bool remote_is_mcast(const SockAddrOpt *r)
{
    struct in_addr in;

    return r->present && !strcmp(r->type, "inet") && inet_aton(r->host, &in) &&
           IN_MULTICAST(ntohl(in.s_addr));
}

NetClientState *net_init_dgram(QemuOpts *opts, const char *name, Error **errp)
{
    SockAddrOpt l, r;

    if (!sockaddr_opt(opts, "local", &l, errp) || !sockaddr_opt(opts, "remote", &r, errp) ||
        !no_other_keys(opts, dgram_own, errp)) {
        return NULL;
    }
    if (remote_is_mcast(&r)) {
        g_autofree char *group = host_port(&r);

        if (l.present && strcmp(l.type, "inet")) {
            error_setg(errp, "only support inet or fd type for local");
            return NULL;
        }
        return net_socket_mcast(NET_SOCKET_DGRAM, name, group, l.present ? l.host : NULL, errp);
    }
    if (!l.present) {
        error_setg(errp, "dgram requires local= parameter");
        return NULL;
    }
    if (r.present && strcmp(l.type, r.type)) {
        error_setg(errp, "remote and local types must be the same");
        return NULL;
    }
    if (!strcmp(l.type, "inet") || !strcmp(l.type, "unix")) {
        if (!r.present) {
            error_setg(errp, "type=inet or type=unix requires remote parameter");
            return NULL;
        }
        return !strcmp(l.type, "inet") ? dgram_inet(name, &l, &r, errp)
                                       : dgram_unix(name, &l, &r, errp);
    }
    if (!strcmp(l.type, "fd")) {
        if (r.present) {
            error_setg(errp, "don't set remote with local.fd");
            return NULL;
        }
        return dgram_fd(name, &l, errp);
    }
    error_setg(errp, "only support inet or fd type for local");
    return NULL;
}

/*
 * The udp chardev backend: each write is one datagram to host:port (bound
 * to localaddr:localport); datagrams received go to the frontend, a
 * datagram the frontend cannot take at once kept until it has room.
 */
#include "chardev/char-internal.h"
#include "qemu/module.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct UdpChardev {
    Chardev parent;
    int fd;
    ChrFdReader *reader;
    /* The rest of the last datagram, not yet taken by the frontend. */
    uint8_t buf[CHR_READ_BUF_LEN];
    int buf_len;
    int buf_pos;
} UdpChardev;

static const char *const udp_keys[] = { "host", "port", "localaddr", "localport",
                                        "ipv4", "ipv6", NULL };

/*
 * QEMU's wording, with its "(null)" for a local address not given.
 * host NULL: the wildcard address (for binding).
 */
static struct addrinfo *udp_resolve(const char *host, const char *port, int family, int flags,
                                    char **err)
{
    struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_DGRAM, .ai_flags = flags };
    struct addrinfo *res;
    int rc = getaddrinfo(host, port, &hints, &res);

    if (rc) {
        *err = g_strdup_printf("address resolution failed for %s:%s: %s", host ? host : "(null)",
                               port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

/*
 * The remote address's family from ipv4= and ipv6=, as QEMU 7.2 picks it:
 * both on or neither given, any; ipv6=on or ipv4=off, IPv6 (IPv4 addresses
 * then come mapped); ipv4=on or ipv6=off, IPv4.  -1 and *err with both off.
 */
static int udp_family(QemuOpts *opts, char **err)
{
    bool has4 = qemu_opt_get(opts, "ipv4") != NULL, has6 = qemu_opt_get(opts, "ipv6") != NULL;
    bool v4, v6;

    chr_opt_bool(opts, "ipv4", false, &v4, err);
    chr_opt_bool(opts, "ipv6", false, &v6, err);
    if (has4 && has6 && !v4 && !v6) {
        *err = g_strdup("Cannot disable IPv4 and IPv6 at same time");
        return -1;
    }
    if (has4 && has6 && v4 && v6) {
        return AF_UNSPEC;
    }
    if ((has6 && v6) || (has4 && !v4)) {
        return AF_INET6;
    }
    if ((has4 && v4) || (has6 && !v6)) {
        return AF_INET;
    }
    return AF_UNSPEC;
}

/* Hand the frontend what it takes of the kept datagram; true when all went. */
static bool udp_flush(UdpChardev *u)
{
    while (u->buf_pos < u->buf_len) {
        int n = MIN(chr_be_can_write(&u->parent), u->buf_len - u->buf_pos);

        if (n <= 0) {
            return false;
        }
        chr_be_write(&u->parent, u->buf + u->buf_pos, n);
        u->buf_pos += n;
    }
    return true;
}

static void udp_ready(Chardev *chr, GIOCondition cond)
{
    UdpChardev *u = (UdpChardev *)chr;
    ssize_t n;

    if (!udp_flush(u)) {
        return;
    }
    n = recv(u->fd, u->buf, sizeof(u->buf), MSG_DONTWAIT);
    if (n > 0) {
        u->buf_len = n;
        u->buf_pos = 0;
        udp_flush(u);
    }
}

static void udp_accept_input(Chardev *chr)
{
    udp_flush((UdpChardev *)chr);
}

static bool udp_open(Chardev *chr, QemuOpts *opts, char **err)
{
    UdpChardev *u = (UdpChardev *)chr;
    const char *host = qemu_opt_get(opts, "host");
    const char *port = qemu_opt_get(opts, "port");
    const char *localaddr = qemu_opt_get(opts, "localaddr");
    const char *localport = qemu_opt_get(opts, "localport");
    struct addrinfo *remote, *local;
    bool ok = false;
    int one = 1, family;
    bool unused;

    /* A bad ipv4=/ipv6= value is refused first, as QEMU's option parser does. */
    if (!chr_opt_bool(opts, "ipv4", false, &unused, err) ||
        !chr_opt_bool(opts, "ipv6", false, &unused, err)) {
        return false;
    }
    if (!port) {
        *err = g_strdup("chardev: udp: remote port not specified");
        return false;
    }
    family = udp_family(opts, err);
    if (family < 0) {
        return false;
    }
    remote = udp_resolve(host && *host ? host : "localhost", port, family,
                         AI_CANONNAME | AI_V4MAPPED | AI_ADDRCONFIG, err);
    if (!remote) {
        return false;
    }
    /* Bound in the remote address's family (the wildcard when no localaddr). */
    local =
        udp_resolve(localaddr && *localaddr ? localaddr : NULL,
                    localport && *localport ? localport : "0", remote->ai_family, AI_PASSIVE, err);
    if (!local) {
        freeaddrinfo(remote);
        return false;
    }
    u->fd = socket(remote->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (u->fd < 0) {
        *err = g_strdup_printf("Failed to create socket: %s", g_strerror(errno));
    } else if (setsockopt(u->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
               bind(u->fd, local->ai_addr, local->ai_addrlen) < 0) {
        *err = g_strdup_printf("Failed to bind socket: %s", g_strerror(errno));
    } else if (connect(u->fd, remote->ai_addr, remote->ai_addrlen) < 0) {
        *err = g_strdup_printf("Failed to connect socket: %s", g_strerror(errno));
    } else {
        ok = true;
    }
    freeaddrinfo(remote);
    freeaddrinfo(local);
    if (!ok) {
        if (u->fd >= 0) {
            close(u->fd);
        }
        return false;
    }
    u->reader = chr_fd_reader_new(chr, u->fd, udp_ready);
    return true;
}

/* One datagram per write; a peer that is not listening loses it, as on a wire. */
static int udp_write(Chardev *chr, const uint8_t *buf, int len)
{
    send(((UdpChardev *)chr)->fd, buf, len, MSG_NOSIGNAL);
    return len;
}

static void udp_close(Chardev *chr)
{
    UdpChardev *u = (UdpChardev *)chr;

    chr_fd_reader_free(u->reader);
    close(u->fd);
}

static const ChardevOps udp_ops = {
    .name = "udp",
    .keys = udp_keys,
    .write_unopened = true,
    .size = sizeof(UdpChardev),
    .open = udp_open,
    .write = udp_write,
    .accept_input = udp_accept_input,
    .close = udp_close,
};

static void chardev_udp_init(void)
{
    chr_register_backend(&udp_ops);
}

module_init(chardev_udp_init)

/*
 * -netdev user: the guest's network is libslirp's (a NAT with DHCP, DNS and
 * TFTP at 10.0.2.x by default), its sockets polled by the main loop.
 */
#include "net/net-backends.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

#include <arpa/inet.h>
#include <libslirp.h>
#include <poll.h>

const char *const net_slirp_keys[] = {
    "ipv4",
    "ipv6",
    "net",
    "host",
    "ipv6-net",
    "ipv6-prefix",
    "ipv6-prefixlen",
    "ipv6-host",
    "restrict",
    "hostname",
    "dhcpstart",
    "dns",
    "ipv6-dns",
    "dnssearch",
    "domainname",
    "tftp-server-name",
    "tftp",
    "bootfile",
    "hostfwd",
    "guestfwd",
    "smb",
    "smbserver",
    NULL,
};

/*
 * The sockets slirp wants polled, as GPollFDs of one GSource.  They stay
 * attached from one round to the next and change only when slirp's set
 * does: glib wakes its own loop whenever a poll record is added or removed,
 * so re-adding them every round would keep the main loop from ever sleeping.
 */
typedef struct SlirpPollFD {
    GPollFD pfd;
    unsigned round; /* the last round slirp asked for it */
} SlirpPollFD;

typedef struct SlirpSource {
    GSource source;
    GHashTable *by_fd; /* fd -> SlirpPollFD * (owned), attached to the source */
    GPtrArray *order;  /* of SlirpPollFD *: slirp's index of this round */
    unsigned round;
    bool changed;        /* this round added, removed or changed the events of one */
    uint32_t timeout;    /* ms slirp may sleep, from this round */
    int64_t prepared_us; /* when the loop last asked (g_source_get_time) */
    struct NetSlirp *ns;
} SlirpSource;

typedef struct NetSlirp {
    NetClientState *nc;
    Slirp *slirp;
    SlirpSource *src;
} NetSlirp;

/* ---- Callbacks from libslirp ---------------------------------------------- */

static ssize_t slirp_send_to_guest(const void *buf, size_t len, void *opaque)
{
    NetSlirp *ns = opaque;

    qemu_send_packet(ns->nc, buf, len);
    /* A frame the NIC could not take is queued or dropped: TCP retries. */
    return len;
}

static void slirp_guest_error(const char *msg, void *opaque)
{
    qemu_log_mask(LOG_GUEST_ERROR, "%s\n", msg);
}

static int64_t slirp_clock_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

typedef struct SlirpTimer {
    QEMUTimer *timer;
    NetSlirp *ns;
    SlirpTimerId id;
    void *cb_opaque;
} SlirpTimer;

static void slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->ns->slirp, t->id, t->cb_opaque);
}

static void *slirp_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->ns = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, slirp_timer_fire, t);
    return t;
}

static void slirp_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    timer_free(t->timer);
    g_free(t);
}

/* expire is in milliseconds of the virtual clock. */
static void slirp_timer_mod(void *timer, int64_t expire, void *opaque)
{
    timer_mod(((SlirpTimer *)timer)->timer, expire * 1000000);
}

static void slirp_fd_nop(int fd, void *opaque)
{
}

static void slirp_notify(void *opaque)
{
    main_loop_wakeup();
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_send_to_guest,
    .guest_error = slirp_guest_error,
    .clock_get_ns = slirp_clock_ns,
    .timer_free = slirp_timer_free,
    .timer_mod = slirp_timer_mod,
    .register_poll_fd = slirp_fd_nop,
    .unregister_poll_fd = slirp_fd_nop,
    .notify = slirp_notify,
    .timer_new_opaque = slirp_timer_new_opaque,
};

/* ---- Polling slirp's sockets from the main loop ------------------------------- */

static int slirp_add_poll(int fd, int events, void *opaque)
{
    SlirpSource *s = opaque;
    SlirpPollFD *p = g_hash_table_lookup(s->by_fd, GINT_TO_POINTER(fd));
    gushort want =
        (events & SLIRP_POLL_IN ? G_IO_IN : 0) | (events & SLIRP_POLL_OUT ? G_IO_OUT : 0) |
        (events & SLIRP_POLL_PRI ? G_IO_PRI : 0) | (events & SLIRP_POLL_ERR ? G_IO_ERR : 0) |
        (events & SLIRP_POLL_HUP ? G_IO_HUP : 0);

    if (!p) {
        p = g_new0(SlirpPollFD, 1);
        p->pfd.fd = fd;
        p->pfd.events = want;
        g_hash_table_insert(s->by_fd, GINT_TO_POINTER(fd), p);
        g_source_add_poll(&s->source, &p->pfd);
        s->changed = true;
    } else if (p->round == s->round) {
        p->pfd.events |= want; /* the same descriptor twice in one round */
    } else if (p->pfd.events != want) {
        /* glib reads the events at each poll: no need to re-attach. */
        p->pfd.events = want;
        s->changed = true;
    }
    /* glib sets revents only in the rounds it polls: none left from an older one. */
    p->pfd.revents = 0;
    p->round = s->round;
    g_ptr_array_add(s->order, p);
    return s->order->len - 1;
}

static gboolean slirp_poll_unused(gpointer key, gpointer value, gpointer opaque)
{
    SlirpSource *s = opaque;
    SlirpPollFD *p = value;

    if (p->round == s->round) {
        return FALSE;
    }
    g_source_remove_poll(&s->source, &p->pfd);
    s->changed = true;
    return TRUE; /* the table frees it */
}

/*
 * Ask slirp what to poll now and how long it may sleep (its delayed-ACK timer
 * wants 2 ms); true when the sockets or their events changed since the last
 * round.
 */
static bool slirp_poll_update(SlirpSource *s)
{
    uint32_t ms = UINT32_MAX;

    s->round++;
    s->changed = false;
    g_ptr_array_set_size(s->order, 0);
    slirp_pollfds_fill(s->ns->slirp, &ms, slirp_add_poll, s);
    g_hash_table_foreach_remove(s->by_fd, slirp_poll_unused, s);
    s->timeout = ms;
    return s->changed;
}

static int slirp_get_revents(int idx, void *opaque)
{
    SlirpSource *s = opaque;
    GPollFD *pfd;
    int ev = 0;

    if (idx < 0 || (guint)idx >= s->order->len) {
        return 0;
    }
    pfd = &((SlirpPollFD *)g_ptr_array_index(s->order, idx))->pfd;
    ev |= pfd->revents & G_IO_IN ? SLIRP_POLL_IN : 0;
    ev |= pfd->revents & G_IO_OUT ? SLIRP_POLL_OUT : 0;
    ev |= pfd->revents & G_IO_PRI ? SLIRP_POLL_PRI : 0;
    ev |= pfd->revents & G_IO_ERR ? SLIRP_POLL_ERR : 0;
    ev |= pfd->revents & G_IO_HUP ? SLIRP_POLL_HUP : 0;
    return ev;
}

/* Before each poll: the sockets slirp wants watched and how long it may sleep. */
static gboolean slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpSource *s = (SlirpSource *)source;

    slirp_poll_update(s);
    s->prepared_us = g_source_get_time(source);
    *timeout = s->timeout == UINT32_MAX ? -1 : (gint)MIN(s->timeout, (uint32_t)G_MAXINT);
    return FALSE;
}

/*
 * slirp runs when one of its sockets is ready or the time it asked for is up
 * (its delayed-ACK and retransmit timers are checked in slirp_pollfds_poll).
 */
static gboolean slirp_source_check(GSource *source)
{
    SlirpSource *s = (SlirpSource *)source;

    for (guint i = 0; i < s->order->len; i++) {
        if (((SlirpPollFD *)g_ptr_array_index(s->order, i))->pfd.revents) {
            return TRUE;
        }
    }
    return s->timeout != UINT32_MAX &&
           g_source_get_time(source) - s->prepared_us >= (int64_t)s->timeout * 1000;
}

static gboolean slirp_source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    SlirpSource *s = (SlirpSource *)source;

    slirp_pollfds_poll(s->ns->slirp, 0, slirp_get_revents, s);
    return G_SOURCE_CONTINUE;
}

static void slirp_source_finalize(GSource *source)
{
    SlirpSource *s = (SlirpSource *)source;

    g_ptr_array_free(s->order, TRUE);
    g_hash_table_destroy(s->by_fd);
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = slirp_source_prepare,
    .check = slirp_source_check,
    .dispatch = slirp_source_dispatch,
    .finalize = slirp_source_finalize,
};

/* ---- The client ---------------------------------------------------------------- */

/* A frame from the guest's NIC. */
static ssize_t slirp_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetSlirp *ns = nc->opaque;

    uint32_t slept_for;

    slirp_input(ns->slirp, buf, (int)len);
    /*
     * The frame may have opened a socket, left data to write, or asked for a
     * delayed ACK: the main loop, maybe asleep in poll, must learn of it.
     * Most frames change nothing there, and waking it for each of them would
     * take the big lock from the vCPU at every packet.
     */
    slept_for = ns->src->timeout;
    if (slirp_poll_update(ns->src) || ns->src->timeout < slept_for) {
        main_loop_wakeup();
    }
    return len;
}

static void slirp_client_cleanup(NetClientState *nc)
{
    NetSlirp *ns = nc->opaque;

    if (ns->src) {
        g_source_destroy(&ns->src->source);
        g_source_unref(&ns->src->source);
    }
    slirp_cleanup(ns->slirp);
    g_free(ns);
}

static const NetClientInfo slirp_info = {
    .type = NET_CLIENT_DRIVER_USER,
    .receive = slirp_receive,
    .cleanup = slirp_client_cleanup,
};

/* ---- Options ---------------------------------------------------------------------- */

/* QEMU's get_str_sep: the text up to sep, and *pp past it; -1 without sep. */
static int take_until(char *buf, size_t size, const char **pp, int sep)
{
    const char *p = *pp, *q = strchr(p, sep);
    size_t len;

    if (!q) {
        return -1;
    }
    len = MIN((size_t)(q - p), size - 1);
    memcpy(buf, p, len);
    buf[len] = '\0';
    *pp = q + 1;
    return 0;
}

/* A port number: decimal, 0x hex or 0 octal, the whole string, in [lo, 65535]. */
static bool parse_port(const char *s, int lo, int *port)
{
    uint64_t v;

    if (!qemu_strtou64(s, &v) || v < (uint64_t)lo || v > 65535) {
        return false;
    }
    *port = (int)v;
    return true;
}

/* hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport */
static bool slirp_hostfwd(NetSlirp *ns, const char *rule, struct in_addr dhcp, Error **errp)
{
    struct in_addr host_addr = { .s_addr = INADDR_ANY }, guest_addr = dhcp;
    const char *p = rule, *why;
    int host_port, guest_port, is_udp;
    char buf[256];

    if (take_until(buf, sizeof(buf), &p, ':') < 0) {
        why = "No : separators";
        goto fail;
    }
    if (!strcmp(buf, "tcp") || buf[0] == '\0') {
        is_udp = 0;
    } else if (!strcmp(buf, "udp")) {
        is_udp = 1;
    } else {
        why = "Bad protocol name";
        goto fail;
    }
    if (take_until(buf, sizeof(buf), &p, ':') < 0) {
        why = "Missing : separator";
        goto fail;
    }
    if (buf[0] != '\0' && !inet_aton(buf, &host_addr)) {
        why = "Bad host address";
        goto fail;
    }
    if (take_until(buf, sizeof(buf), &p, '-') < 0) {
        why = "Bad host port separator";
        goto fail;
    }
    if (!parse_port(buf, 0, &host_port)) {
        why = "Bad host port";
        goto fail;
    }
    if (take_until(buf, sizeof(buf), &p, ':') < 0) {
        why = "Missing guest address";
        goto fail;
    }
    if (buf[0] != '\0' && !inet_aton(buf, &guest_addr)) {
        why = "Bad guest address";
        goto fail;
    }
    if (!parse_port(p, 1, &guest_port)) {
        why = "Bad guest port";
        goto fail;
    }
    if (slirp_add_hostfwd(ns->slirp, is_udp, host_addr, host_port, guest_addr, guest_port) < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;

fail:
    error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, why);
    return false;
}

/* net=ADDR[/BITS|/MASK]; without a mask the address's class gives one, as QEMU. */
static bool parse_vnet(const char *arg, struct in_addr *net, struct in_addr *mask, Error **errp)
{
    g_autofree char *addr = g_strdup(arg);
    char *slash = strchr(addr, '/');

    if (slash) {
        *slash++ = '\0';
    }
    if (!inet_aton(addr, net)) {
        error_setg(errp, "Failed to parse netmask");
        return false;
    }
    if (slash) {
        uint64_t bits;

        if (qemu_strtou64(slash, &bits) && !strchr(slash, '.')) {
            if (bits < 4 || bits > 32) {
                error_setg(errp, "Invalid netmask provided (must be in range 4-32)");
                return false;
            }
            mask->s_addr = htonl((uint32_t)(0xffffffffULL << (32 - bits)));
        } else if (!inet_aton(slash, mask)) {
            error_setg(errp, "Failed to parse netmask");
            return false;
        }
    } else {
        uint32_t n = ntohl(net->s_addr);

        if (!(n & 0x80000000)) {
            mask->s_addr = htonl(0xff000000); /* class A */
        } else if ((n & 0xfff00000) == 0xac100000) {
            mask->s_addr = htonl(0xfff00000); /* 172.16/12 */
        } else if ((n & 0xc0000000) == 0x80000000) {
            mask->s_addr = htonl(0xffff0000); /* class B */
        } else if ((n & 0xffff0000) == 0xc0a80000) {
            mask->s_addr = htonl(0xffff0000); /* 192.168/16 */
        } else {
            mask->s_addr = htonl(0xffffff00); /* class C */
        }
    }
    net->s_addr &= mask->s_addr;
    return true;
}

static bool get_bool(QemuOpts *opts, const char *name, bool def, bool *val, Error **errp)
{
    char *err = NULL;

    if (!qemu_opt_get_bool(opts, name, def, val, &err)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
        g_free(err);
        return false;
    }
    return true;
}

/* An IPv4 address option relative to net: its default is net | low. */
static bool parse_in_net(QemuOpts *opts, const char *key, const char *what, struct in_addr net,
                         struct in_addr mask, uint32_t low, struct in_addr *out, Error **errp)
{
    const char *s = qemu_opt_get(opts, key);

    if (!s) {
        out->s_addr = net.s_addr | htonl(low);
        return true;
    }
    if (!inet_aton(s, out)) {
        error_setg(errp, "Failed to parse %s", what);
        return false;
    }
    return true;
}

static bool parse_ipv6(QemuOpts *opts, SlirpConfig *cfg, Error **errp)
{
    const char *prefix = qemu_opt_get(opts, "ipv6-prefix");
    const char *plen = qemu_opt_get(opts, "ipv6-prefixlen");
    const char *legacy = qemu_opt_get(opts, "ipv6-net");
    const char *host = qemu_opt_get(opts, "ipv6-host");
    const char *dns = qemu_opt_get(opts, "ipv6-dns");
    g_autofree char *pfx = g_strdup(prefix ? prefix : "fec0::");
    uint64_t len = 64;

    if (legacy) {
        char *slash;

        g_free(pfx);
        pfx = g_strdup(legacy);
        slash = strchr(pfx, '/');
        if (slash) {
            *slash++ = '\0';
            if (!qemu_strtou64(slash, &len)) {
                error_setg(errp, "Parameter 'ipv6-prefixlen' expects a number");
                return false;
            }
        }
    } else if (plen) {
        /* An int64 in C syntax, as QEMU's option visitor reads it; a negative one is out of range. */
        char *end;
        gint64 v;

        errno = 0;
        v = g_ascii_strtoll(plen, &end, 0);
        if (!plen[0] || *end || errno) {
            error_setg(errp, "Parameter 'ipv6-prefixlen' expects an int64 value");
            return false;
        }
        len = v < 0 ? UINT64_MAX : (uint64_t)v;
    }
    if (len > 126) {
        error_setg(errp, "Invalid IPv6 prefix provided "
                         "(IPv6 prefix length must be between 0 and 126)");
        return false;
    }
    if (inet_pton(AF_INET6, pfx, &cfg->vprefix_addr6) != 1) {
        error_setg(errp, "Failed to parse IPv6 prefix");
        return false;
    }
    cfg->vprefix_len = (uint8_t)len;
    cfg->vhost6 = cfg->vprefix_addr6;
    cfg->vhost6.s6_addr[15] |= 2;
    if (host && inet_pton(AF_INET6, host, &cfg->vhost6) != 1) {
        error_setg(errp, "Failed to parse IPv6 host");
        return false;
    }
    cfg->vnameserver6 = cfg->vprefix_addr6;
    cfg->vnameserver6.s6_addr[15] |= 3;
    if (dns && inet_pton(AF_INET6, dns, &cfg->vnameserver6) != 1) {
        error_setg(errp, "Failed to parse IPv6 DNS");
        return false;
    }
    return true;
}

NetClientState *net_init_slirp(QemuOpts *opts, const char *name, Error **errp)
{
    SlirpConfig cfg = { .version = 4 };
    struct in_addr net = { 0 }, mask = { 0 }, host, dhcp, dns;
    bool ipv4 = true, ipv6 = true, restrict_ = false;
    bool has4 = qemu_opt_has(opts, "ipv4"), has6 = qemu_opt_has(opts, "ipv6");
    g_autoptr(GPtrArray) dnssearch = g_ptr_array_new();
    NetSlirp *ns;

    if (!get_bool(opts, "ipv4", true, &ipv4, errp) || !get_bool(opts, "ipv6", true, &ipv6, errp) ||
        !get_bool(opts, "restrict", false, &restrict_, errp)) {
        return NULL;
    }
    /* Naming only one family turns the other off; "off" for one leaves the other. */
    if ((has6 && ipv6 && !has4) || (has4 && !ipv4)) {
        ipv4 = false;
    }
    if ((has4 && ipv4 && !has6) || (has6 && !ipv6)) {
        ipv6 = false;
    }
    if (!ipv4 && !ipv6) {
        error_setg(errp, "IPv4 and IPv6 disabled");
        return NULL;
    }
    if (qemu_opt_get(opts, "guestfwd") || qemu_opt_get(opts, "smb") ||
        qemu_opt_get(opts, "smbserver")) {
        error_setg(errp, "guestfwd= and smb= are not supported");
        return NULL;
    }
    if (!parse_vnet(qemu_opt_get(opts, "net") ? qemu_opt_get(opts, "net") : "10.0.2.0/24", &net,
                    &mask, errp)) {
        return NULL;
    }
    if (!parse_in_net(opts, "host", "host", net, mask, 2, &host, errp)) {
        return NULL;
    }
    if ((host.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "Host doesn't belong to network");
        return NULL;
    }
    if (!parse_in_net(opts, "dns", "DNS", net, mask, 3, &dns, errp)) {
        return NULL;
    }
    if (dns.s_addr == host.s_addr) {
        error_setg(errp, "DNS must be different from host");
        return NULL;
    }
    if (!parse_in_net(opts, "dhcpstart", "DHCP start address", net, mask, 15, &dhcp, errp)) {
        return NULL;
    }
    if ((dhcp.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "DHCP doesn't belong to network");
        return NULL;
    }
    if (dhcp.s_addr == host.s_addr || dhcp.s_addr == dns.s_addr) {
        error_setg(errp, "DHCP must be different from host and DNS");
        return NULL;
    }
    if (!parse_ipv6(opts, &cfg, errp)) {
        return NULL;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->name, "dnssearch")) {
            g_ptr_array_add(dnssearch, o->value);
        }
    }
    g_ptr_array_add(dnssearch, NULL);

    cfg.restricted = restrict_;
    cfg.in_enabled = ipv4;
    cfg.vnetwork = net;
    cfg.vnetmask = mask;
    cfg.vhost = host;
    cfg.in6_enabled = ipv6;
    cfg.vhostname = qemu_opt_get(opts, "hostname");
    cfg.tftp_server_name = qemu_opt_get(opts, "tftp-server-name");
    cfg.tftp_path = qemu_opt_get(opts, "tftp");
    cfg.bootfile = qemu_opt_get(opts, "bootfile");
    cfg.vdhcp_start = dhcp;
    cfg.vnameserver = dns;
    cfg.vdnssearch = dnssearch->len > 1 ? (const char **)dnssearch->pdata : NULL;
    cfg.vdomainname = qemu_opt_get(opts, "domainname");

    ns = g_new0(NetSlirp, 1);
    ns->slirp = slirp_new(&cfg, &slirp_callbacks, ns);
    if (!ns->slirp) {
        g_free(ns);
        error_setg(errp, "Failed to start the user network (libslirp)");
        return NULL;
    }
    ns->nc = qemu_new_net_client(&slirp_info, NULL, "user", name, ns);
    ns->nc->info_str =
        g_strdup_printf("net=%s,restrict=%s", inet_ntoa(net), restrict_ ? "on" : "off");
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->name, "hostfwd") && !slirp_hostfwd(ns, o->value, dhcp, errp)) {
            qemu_del_net_client(ns->nc);
            return NULL;
        }
    }
    ns->src = (SlirpSource *)g_source_new(&slirp_source_funcs, sizeof(SlirpSource));
    ns->src->by_fd = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    ns->src->order = g_ptr_array_new();
    ns->src->timeout = UINT32_MAX;
    ns->src->ns = ns;
    /*
     * glib detaches the descriptors of a source it dispatches unless it may
     * recurse, and that wakes its loop at once: the loop would never sleep.
     */
    g_source_set_can_recurse(&ns->src->source, TRUE);
    g_source_attach(&ns->src->source, NULL);
    return ns->nc;
}

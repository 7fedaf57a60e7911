/*
 * Network clients: each frame goes from a client to its peer, straight into
 * the peer's receive hook when it is ready, else into the peer's queue until
 * the peer asks for it (qemu_flush_queued_packets).  Everything runs under
 * the big lock.
 */
#include "net/net.h"
#include "sysemu/runstate.h"

struct NetPacket {
    size_t len;
    uint8_t data[];
};

static GPtrArray *net_clients; /* of NetClientState *, creation order */
/*
 * The VM is not running (-S, stop, an incoming migration): as QEMU, every
 * frame waits in its receiver's queue until the VM runs again.  Only the
 * program sets it (net_hold_while_stopped); unit tests deliver at once.
 */
static bool net_vm_stopped;

NetClientState *qemu_new_net_client(const NetClientInfo *info, NetClientState *peer,
                                    const char *model, const char *name, void *opaque)
{
    NetClientState *nc = g_new0(NetClientState, 1);

    nc->info = info;
    nc->model = g_strdup(model);
    nc->name = g_strdup(name);
    nc->opaque = opaque;
    nc->queue_limit = NET_QUEUE_MAX_PACKETS;
    nc->rxfilter_notify_enabled = true;
    g_queue_init(&nc->incoming);
    if (peer) {
        g_assert(!peer->peer);
        nc->peer = peer;
        peer->peer = nc;
    }
    if (!net_clients) {
        net_clients = g_ptr_array_new();
    }
    g_ptr_array_add(net_clients, nc);
    return nc;
}

void qemu_net_connect(NetClientState *a, NetClientState *b)
{
    g_assert(!a->peer && !b->peer && a != b);
    a->peer = b;
    b->peer = a;
}

static void net_queue_purge(NetClientState *nc)
{
    NetPacket *p;

    while ((p = g_queue_pop_head(&nc->incoming))) {
        g_free(p);
    }
}

void qemu_purge_queued_packets(NetClientState *nc)
{
    net_queue_purge(nc);
}

static void net_client_free(NetClientState *nc)
{
    net_queue_purge(nc);
    g_free(nc->model);
    g_free(nc->name);
    g_free(nc->info_str);
    g_free(nc);
}

void qemu_del_net_client(NetClientState *nc)
{
    NetClientState *peer;

    if (!nc || nc->removed) {
        return;
    }
    peer = nc->peer;
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    g_ptr_array_remove(net_clients, nc);
    if (peer && peer->info->type == NET_CLIENT_DRIVER_NIC &&
        nc->info->type != NET_CLIENT_DRIVER_NIC) {
        /* The NIC keeps its peer, closed; its link goes down and stays down. */
        nc->removed = true;
        net_queue_purge(nc);
        net_queue_purge(peer);
        peer->link_down = true;
        if (peer->info->link_status_changed) {
            peer->info->link_status_changed(peer);
        }
        return;
    }
    if (peer) {
        /* Frames queued for the peer came from nc: they go too. */
        net_queue_purge(peer);
        if (peer->removed) {
            net_client_free(peer);
        } else {
            peer->peer = NULL;
        }
    }
    net_client_free(nc);
}

static bool net_client_ready(NetClientState *nc)
{
    return !net_vm_stopped && !nc->receive_disabled &&
           (!nc->info->can_receive || nc->info->can_receive(nc));
}

bool qemu_can_send_packet(NetClientState *nc)
{
    /* Frames to a peer netdev_del closed are dropped at once. */
    return nc->peer && (nc->peer->removed || net_client_ready(nc->peer));
}

/* Hand one frame to nc; false when nc said "not now" (the frame is not taken). */
static bool net_deliver(NetClientState *nc, const uint8_t *buf, size_t len)
{
    ssize_t ret;

    if (nc->link_down) {
        /* A link set down takes the frame and drops it. */
        return true;
    }
    nc->delivering = true;
    ret = nc->info->receive(nc, buf, len);
    nc->delivering = false;
    if (ret == 0) {
        nc->receive_disabled = true;
        return false;
    }
    return true;
}

static bool net_enqueue(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetPacket *p;

    if (g_queue_get_length(&nc->incoming) >= nc->queue_limit) {
        return false;
    }
    p = g_malloc(sizeof(*p) + len);
    p->len = len;
    memcpy(p->data, buf, len);
    g_queue_push_tail(&nc->incoming, p);
    return true;
}

ssize_t qemu_send_packet(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetClientState *peer = nc->peer;

    /*
     * An empty frame is no Ethernet frame, and a receive hook's answer for it
     * (its size, 0) would read as "not now": it would stay queued, be handed
     * over again at every flush, and hold back every frame behind it.  It is
     * dropped here (a stream socket's zero-length record makes one).
     */
    if (!peer || len == 0) {
        return 0;
    }
    if (nc->link_down || peer->removed) {
        /* The sender's link is down: the frame counts as sent and is dropped. */
        return len;
    }
    /* Order is kept: nothing overtakes frames already waiting. */
    if (peer->delivering || !g_queue_is_empty(&peer->incoming) || !net_client_ready(peer)) {
        return net_enqueue(peer, buf, len) ? (ssize_t)len : 0;
    }
    if (!net_deliver(peer, buf, len)) {
        return net_enqueue(peer, buf, len) ? (ssize_t)len : 0;
    }
    /* A frame the receive hook sent back to itself waits in the queue. */
    if (!g_queue_is_empty(&peer->incoming)) {
        qemu_flush_queued_packets(peer);
    }
    return len;
}

void qemu_flush_queued_packets(NetClientState *nc)
{
    NetPacket *p;

    if (nc->delivering || net_vm_stopped) {
        return;
    }
    nc->receive_disabled = false;
    while ((p = g_queue_peek_head(&nc->incoming))) {
        if (!net_client_ready(nc) || !net_deliver(nc, p->data, p->len)) {
            break;
        }
        g_queue_pop_head(&nc->incoming);
        g_free(p);
    }
    if (g_queue_is_empty(&nc->incoming) && nc->peer && !nc->peer->removed &&
        nc->peer->info->sender_resume) {
        nc->peer->info->sender_resume(nc->peer);
    }
}

unsigned qemu_net_queue_length(NetClientState *nc)
{
    return g_queue_get_length(&nc->incoming);
}

NetClientState *qemu_find_netdev(const char *id)
{
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (nc->info->type != NET_CLIENT_DRIVER_NIC && nc->name && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

NetClientState *qemu_find_net_client_from(const char *name, unsigned *pos)
{
    for (; net_clients && *pos < net_clients->len; (*pos)++) {
        NetClientState *nc = g_ptr_array_index(net_clients, *pos);

        if (nc->name && !strcmp(nc->name, name)) {
            (*pos)++;
            return nc;
        }
    }
    return NULL;
}

char *qemu_net_default_name(const char *model)
{
    unsigned n = 0;

    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        n += nc->model && !strcmp(nc->model, model);
    }
    return g_strdup_printf("%s.%u", model, n);
}

void qemu_foreach_net_client(void (*fn)(NetClientState *nc, void *opaque), void *opaque)
{
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        fn(g_ptr_array_index(net_clients, i), opaque);
    }
}

/* ---- MAC addresses -------------------------------------------------------- */

/*
 * QEMU hands out 52:54:00:12:34:56 + n, skipping the addresses users gave;
 * the index is the last byte's offset from 0x56, at most 0xff - 0x56.
 */
static uint8_t mac_taken[256];

bool net_parse_macaddr(MACAddr *mac, const char *str)
{
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1])) {
            return false;
        }
        mac->a[i] = g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]);
        p += 2;
        if (i < 5) {
            if (*p != ':' && *p != '-') {
                return false;
            }
            p++;
        }
    }
    return *p == '\0';
}

static bool mac_in_default_range(const MACAddr *mac)
{
    return mac->a[0] == 0x52 && mac->a[1] == 0x54 && mac->a[2] == 0x00 && mac->a[3] == 0x12 &&
           mac->a[4] == 0x34;
}

void qemu_macaddr_claim(const MACAddr *mac)
{
    if (mac_in_default_range(mac) && mac->a[5] >= 0x56) {
        mac_taken[mac->a[5] - 0x56] = 1;
    }
}

char *qemu_mac_strdup(const MACAddr *mac)
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac->a[0], mac->a[1], mac->a[2],
                           mac->a[3], mac->a[4], mac->a[5]);
}

void qemu_macaddr_default(MACAddr *mac)
{
    unsigned index;

    for (index = 0; index < 0xff - 0x56 && mac_taken[index]; index++) {
    }
    mac_taken[index] = 1;
    *mac = (MACAddr){ { 0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + index) } };
}

/* The VM runs again: every client takes what waited for it. */
static void net_vm_state_changed(void *opaque, bool running, RunState state)
{
    net_vm_stopped = !running;
    for (guint i = 0; running && net_clients && i < net_clients->len; i++) {
        qemu_flush_queued_packets(g_ptr_array_index(net_clients, i));
    }
}

void net_hold_while_stopped(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        net_vm_stopped = !runstate_is_running();
        qemu_add_vm_change_state_handler(net_vm_state_changed, NULL);
    }
}

/*
 * Hubs: every -net client is a port on hub 0, -netdev hubport,hubid=N adds
 * a port to hub N; a frame sent into one port goes out of all the others.
 */
#include "net/net-backends.h"
#include "qemu/error-report.h"

typedef struct NetHub {
    int id;
    GPtrArray *ports; /* of NetClientState *, creation order */
    unsigned made;    /* names the next port, as QEMU's counter */
} NetHub;

static GPtrArray *hubs; /* of NetHub *, creation order */

static NetHub *hub_of_port(NetClientState *nc)
{
    for (guint i = 0; hubs && i < hubs->len; i++) {
        NetHub *hub = g_ptr_array_index(hubs, i);

        if (g_ptr_array_find(hub->ports, nc, NULL)) {
            return hub;
        }
    }
    return NULL;
}

/* A frame a port's peer sent: every other port sends it to its own peer. */
static ssize_t hub_port_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetHub *hub = hub_of_port(nc);

    for (guint i = 0; hub && i < hub->ports->len; i++) {
        NetClientState *port = g_ptr_array_index(hub->ports, i);

        if (port != nc) {
            qemu_send_packet(port, buf, len);
        }
    }
    return len;
}

static void hub_port_cleanup(NetClientState *nc)
{
    NetHub *hub = hub_of_port(nc);

    if (hub) {
        g_ptr_array_remove(hub->ports, nc);
    }
}

static const NetClientInfo hub_port_info = {
    .type = NET_CLIENT_DRIVER_HUBPORT,
    .receive = hub_port_receive,
    .cleanup = hub_port_cleanup,
};

static NetHub *hub_find(int id, bool create)
{
    NetHub *hub;

    for (guint i = 0; hubs && i < hubs->len; i++) {
        hub = g_ptr_array_index(hubs, i);
        if (hub->id == id) {
            return hub;
        }
    }
    if (!create) {
        return NULL;
    }
    if (!hubs) {
        hubs = g_ptr_array_new();
    }
    hub = g_new0(NetHub, 1);
    hub->id = id;
    hub->ports = g_ptr_array_new();
    g_ptr_array_add(hubs, hub);
    return hub;
}

NetClientState *net_hub_add_port_to(int hub_id, const char *name)
{
    NetHub *hub = hub_find(hub_id, true);
    g_autofree char *pname = NULL;
    NetClientState *nc;

    pname = name ? g_strdup(name) : g_strdup_printf("hub%dport%u", hub_id, hub->made);
    hub->made++;
    /*
     * A -net port is found as a backend ("-device ...,netdev=hub0port0" finds
     * it in use), but it is no netdev: netdev_del refuses it, as QEMU does.
     */
    nc = qemu_new_net_client(&hub_port_info, NULL, "hub", pname, NULL);
    g_ptr_array_add(hub->ports, nc);
    return nc;
}

NetClientState *net_hub_add_port(const char *name)
{
    return net_hub_add_port_to(0, name);
}

const char *const net_hubport_keys[] = { "hubid", "netdev", NULL };

NetClientState *net_init_hubport(QemuOpts *opts, const char *name, Error **errp)
{
    const char *hubid = qemu_opt_get(opts, "hubid");
    const char *netdev = qemu_opt_get(opts, "netdev");
    NetClientState *peer = NULL, *nc;
    char *end;
    gint64 id;

    if (!hubid) {
        error_setg(errp, "Parameter 'hubid' is missing");
        return NULL;
    }
    errno = 0;
    id = g_ascii_strtoll(hubid, &end, 0);
    if (end == hubid || *end || errno) {
        error_setg(errp, "Parameter 'hubid' expects an int64 value");
        return NULL;
    }
    if (id < INT32_MIN || id > INT32_MAX) {
        error_setg(errp, "Parameter 'hubid' expects int32_t");
        return NULL;
    }
    if (netdev) {
        peer = qemu_find_netdev(netdev);
        if (!peer) {
            error_setg(errp, "netdev '%s' not found", netdev);
            return NULL;
        }
        if (peer->peer) {
            /* QEMU 7.2 aborts here; a backend has one peer, so say so. */
            error_setg(errp, "netdev '%s' is already in use", netdev);
            return NULL;
        }
    }
    nc = net_hub_add_port_to((int)id, name);
    if (peer) {
        qemu_net_connect(nc, peer);
    }
    return nc;
}

/* Newest hub first, each hub's newest port first (QEMU's lists). */
unsigned net_hub_count(void)
{
    return hubs ? hubs->len : 0;
}

int net_hub_id(unsigned i)
{
    return ((NetHub *)g_ptr_array_index(hubs, hubs->len - 1 - i))->id;
}

unsigned net_hub_port_count(int hub_id)
{
    NetHub *hub = hub_find(hub_id, false);

    return hub ? hub->ports->len : 0;
}

NetClientState *net_hub_port(int hub_id, unsigned i)
{
    NetHub *hub = hub_find(hub_id, false);

    return hub && i < hub->ports->len ? g_ptr_array_index(hub->ports, i) : NULL;
}

void net_hub_check_clients(void)
{
    for (unsigned h = 0; h < net_hub_count(); h++) {
        NetHub *hub = hub_find(net_hub_id(h), false);
        bool has_nic = false, has_host = false;

        for (guint i = hub->ports->len; i-- > 0;) {
            NetClientState *port = g_ptr_array_index(hub->ports, i);

            if (!port->peer) {
                warn_report("hub port %s has no peer", port->name);
                continue;
            }
            switch (port->peer->info->type) {
            case NET_CLIENT_DRIVER_NIC:
                has_nic = true;
                break;
            case NET_CLIENT_DRIVER_USER:
            case NET_CLIENT_DRIVER_TAP:
            case NET_CLIENT_DRIVER_SOCKET:
            case NET_CLIENT_DRIVER_STREAM:
            case NET_CLIENT_DRIVER_DGRAM:
                has_host = true;
                break;
            default:
                break;
            }
        }
        if (has_host && !has_nic) {
            warn_report("hub %d with no nics", hub->id);
        }
        if (has_nic && !has_host) {
            warn_report("hub %d is not connected to host network", hub->id);
        }
    }
}

/*
 * The legacy -net hub: every -net client is a port on hub 0, and a frame
 * sent into one port goes out of all the others.
 */
#include "net/net-backends.h"
#include "qemu/error-report.h"

static GPtrArray *hub_ports;    /* of NetClientState *: the ports of hub 0 */
static unsigned hub_ports_made; /* names the next port, as QEMU's counter */

/* A frame a port's peer sent: every other port sends it to its own peer. */
static ssize_t hub_port_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    for (guint i = 0; i < hub_ports->len; i++) {
        NetClientState *port = g_ptr_array_index(hub_ports, i);

        if (port != nc) {
            qemu_send_packet(port, buf, len);
        }
    }
    return len;
}

static void hub_port_cleanup(NetClientState *nc)
{
    g_ptr_array_remove(hub_ports, nc);
}

static const NetClientInfo hub_port_info = {
    .type = NET_CLIENT_DRIVER_HUBPORT,
    .receive = hub_port_receive,
    .cleanup = hub_port_cleanup,
};

NetClientState *net_hub_add_port(const char *name)
{
    g_autofree char *pname = NULL;
    NetClientState *nc;

    if (!hub_ports) {
        hub_ports = g_ptr_array_new();
    }
    pname = name ? g_strdup(name) : g_strdup_printf("hub0port%u", hub_ports_made);
    hub_ports_made++;
    /*
     * A -net port is found as a backend ("-device ...,netdev=hub0port0" finds
     * it in use), but it is no netdev: netdev_del refuses it, as QEMU does.
     */
    nc = qemu_new_net_client(&hub_port_info, NULL, "hub", pname, NULL);
    g_ptr_array_add(hub_ports, nc);
    return nc;
}

unsigned net_hub_port_count(void)
{
    return hub_ports ? hub_ports->len : 0;
}

NetClientState *net_hub_port(unsigned i)
{
    return i < net_hub_port_count() ? g_ptr_array_index(hub_ports, i) : NULL;
}

void net_hub_check_clients(void)
{
    bool has_nic = false, has_host = false;

    if (!hub_ports || !hub_ports->len) {
        return;
    }
    for (guint i = 0; i < hub_ports->len; i++) {
        NetClientState *peer = ((NetClientState *)g_ptr_array_index(hub_ports, i))->peer;

        if (!peer) {
            continue;
        }
        if (peer->info->type == NET_CLIENT_DRIVER_NIC) {
            has_nic = true;
        } else {
            has_host = true;
        }
    }
    if (has_host && !has_nic) {
        warn_report("hub 0 with no nics");
    }
    if (has_nic && !has_host) {
        warn_report("hub 0 is not connected to host network");
    }
}

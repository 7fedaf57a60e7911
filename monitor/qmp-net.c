/*
 * QMP network commands (qapi/net.json): set_link switches a client's link,
 * query-rx-filter reads the receive filter of the NICs that keep one.
 */
#include "qapi/qapi-commands.h"
#include "net/net.h"

/*
 * Every client with that name goes down or up; a NIC peer of a named
 * backend follows it (QEMU's rule: a backend peer keeps its own state), and
 * each NIC told of a change tells its driver.
 */
JsonNode *qmp_set_link(JsonObject *args, QmpError *err)
{
    const char *name = json_object_get_string_member(args, "name");
    bool up = json_object_get_boolean_member(args, "up");
    NetClientState *nc;
    unsigned pos = 0;
    bool found = false;

    while ((nc = qemu_find_net_client_from(name, &pos))) {
        found = true;
        nc->link_down = !up;
        if (nc->info->link_status_changed) {
            nc->info->link_status_changed(nc);
        }
        if (nc->peer) {
            if (nc->peer->info->type == NET_CLIENT_DRIVER_NIC) {
                nc->peer->link_down = !up;
            }
            if (nc->peer->info->link_status_changed) {
                nc->peer->info->link_status_changed(nc->peer);
            }
        }
    }
    if (!found) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", name);
        return NULL;
    }
    return qmp_return_empty();
}

typedef struct RxFilterQuery {
    const char *name;
    JsonArray *list;
    NetClientState *named; /* the client the name gave, if any */
} RxFilterQuery;

static void rx_filter_one(NetClientState *nc, void *opaque)
{
    RxFilterQuery *q = opaque;
    JsonObject *info;

    if (q->name) {
        if (q->named || !nc->name || strcmp(nc->name, q->name)) {
            return;
        }
        q->named = nc;
    }
    if (nc->info->type != NET_CLIENT_DRIVER_NIC || !nc->info->query_rx_filter) {
        return;
    }
    info = nc->info->query_rx_filter(nc);
    /* A query turns the NIC's change event back on. */
    nc->rxfilter_notify_enabled = true;
    json_array_add_object_element(q->list, info);
}

/* Without a name, every NIC that keeps a filter; with one, that client or QEMU's errors. */
JsonNode *qmp_query_rx_filter(JsonObject *args, QmpError *err)
{
    RxFilterQuery q = {
        .name = args && json_object_has_member(args, "name")
                    ? json_object_get_string_member(args, "name")
                    : NULL,
        .list = json_array_new(),
    };

    qemu_foreach_net_client(rx_filter_one, &q);
    if (q.name && !q.named) {
        qmp_error_setg(err, "invalid net client name: %s", q.name);
    } else if (q.name && q.named->info->type != NET_CLIENT_DRIVER_NIC) {
        qmp_error_setg(err, "net client(%s) isn't a NIC", q.name);
    } else if (q.name && !q.named->info->query_rx_filter) {
        qmp_error_setg(err, "net client(%s) doesn't support rx-filter querying", q.name);
    } else {
        return qmp_node_array(q.list);
    }
    json_array_unref(q.list);
    return NULL;
}

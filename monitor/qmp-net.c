/*
 * QMP network commands (qapi/net.json): set_link switches a client's link,
 * query-rx-filter reads the receive filter of the NICs that keep one,
 * netdev_add and netdev_del create and remove backends at run time.
 */
#include "monitor/hmp-internal.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "qapi/qapi-commands.h"

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

/*
 * A descriptor named with getfd in key (of a socket address when type_key is
 * given and says "fd") becomes its number; a name not there is QEMU's error.
 * A stream's addr.str is not looked up: QEMU 7.2 connects it later, away
 * from the monitor, and a name then fails ("connection error").
 */
static bool monitor_fd_key(QemuOpts *opts, const char *key, const char *type_key, Error **errp)
{
    const char *type = type_key ? qemu_opt_get(opts, type_key) : NULL;
    const char *fd = qemu_opt_get(opts, key);
    g_autofree char *num = NULL;
    int taken;

    if (!fd || g_ascii_isdigit(fd[0]) || (type_key && (!type || strcmp(type, "fd")))) {
        return true;
    }
    /* A duplicate id fails before the descriptor is taken: it stays for a retry (QEMU 7.2). */
    if (qemu_opt_get(opts, "id") && qemu_find_netdev(qemu_opt_get(opts, "id"))) {
        error_setg(errp, "Duplicate ID '%s'", qemu_opt_get(opts, "id"));
        return false;
    }
    taken = monitor_take_named_fd(fd);
    if (taken < 0) {
        error_setg(errp, "File descriptor named '%s' has not been found", fd);
        return false;
    }
    num = g_strdup_printf("%d", taken);
    qemu_opt_set(opts, key, num);
    return true;
}

bool net_monitor_fd_opt(QemuOpts *opts, Error **errp)
{
    return monitor_fd_key(opts, "fd", NULL, errp) &&
           monitor_fd_key(opts, "local.str", "local.type", errp);
}

/*
 * The arguments as -netdev keys: on/off, decimal numbers, a key per list
 * element, an object's members as "key.member" (stream's addr, dgram's local).
 */
static void netdev_args_add(QemuOpts *opts, const char *prefix, JsonObject *args)
{
    g_autoptr(GList) members = json_object_get_members(args);

    for (GList *m = members; m; m = m->next) {
        JsonNode *v = json_object_get_member(args, m->data);
        g_autofree char *key =
            prefix ? g_strdup_printf("%s.%s", prefix, (char *)m->data) : g_strdup(m->data);

        if (JSON_NODE_HOLDS_OBJECT(v)) {
            netdev_args_add(opts, key, json_node_get_object(v));
        } else if (JSON_NODE_HOLDS_ARRAY(v)) {
            JsonArray *a = json_node_get_array(v);

            for (guint i = 0; i < json_array_get_length(a); i++) {
                JsonObject *e = json_array_get_object_element(a, i);

                qemu_opt_set(opts, key, json_object_get_string_member(e, "str"));
            }
        } else if (json_node_get_value_type(v) == G_TYPE_BOOLEAN) {
            qemu_opt_set(opts, key, json_node_get_boolean(v) ? "on" : "off");
        } else if (json_node_get_value_type(v) == G_TYPE_INT64) {
            g_autofree char *num = g_strdup_printf("%" PRId64, json_node_get_int(v));

            qemu_opt_set(opts, key, num);
        } else {
            qemu_opt_set(opts, key, json_node_get_string(v));
        }
    }
}

static QemuOpts *netdev_args_to_opts(JsonObject *args)
{
    char *why = NULL;
    QemuOpts *opts = qemu_opts_parse("", NULL, &why);

    netdev_args_add(opts, NULL, args);
    return opts;
}

JsonNode *qmp_netdev_add(JsonObject *args, QmpError *err)
{
    QemuOpts *opts = netdev_args_to_opts(args);
    Error *local = NULL;
    bool ok = net_monitor_fd_opt(opts, &local) && net_netdev_add_opts(opts, &local);

    qemu_opts_free(opts);
    if (!ok) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    return qmp_return_empty();
}

JsonNode *qmp_netdev_del(JsonObject *args, QmpError *err)
{
    Error *local = NULL;
    bool not_found;

    if (!net_netdev_del(json_object_get_string_member(args, "id"), &not_found, &local)) {
        qmp_error_set(err, not_found ? QMP_ERROR_DEVICE_NOT_FOUND : QMP_ERROR_GENERIC, "%s",
                      error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    return qmp_return_empty();
}

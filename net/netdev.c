/*
 * The network options: -netdev TYPE,id=ID,..., -nic TYPE[,model=,mac=,...]
 * and the legacy -net, checked and created as QEMU 7.2 does (netdevs first,
 * then -nic, then -net), with its error messages.
 */
#include "net/net-backends.h"
#include <json-glib/json-glib.h>
#include "qemu/error-report.h"

typedef enum NetOptKind { NET_OPT_NETDEV, NET_OPT_NIC, NET_OPT_NET } NetOptKind;

typedef struct NetOpt {
    NetOptKind kind;
    const char *arg;
    QemuOpts *opts;
} NetOpt;

static GPtrArray *net_opts; /* of NetOpt *, command-line order */
static GPtrArray *nics;     /* of NICInfo * */
static bool net_cleanup_registered;

static const char *const opt_name[] = { "-netdev", "-nic", "-net" };

/* Backend types QEMU 7.2 knows, in its order; ours: socket, stream, dgram, hubport, tap, user. */
static const char *const qemu_netdev_types[] = {
    "socket", "stream", "dgram",  "hubport",    "tap",        "user",
    "l2tpv3", "vde",    "bridge", "vhost-user", "vhost-vdpa", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (!strcmp(*list, s)) {
            return true;
        }
    }
    return false;
}

/* QEMU's identifiers: a letter, then letters, digits, '-', '.', '_'. */
static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static G_NORETURN void net_opt_exit(const NetOpt *o, const char *msg)
{
    loc_set_cmdline(opt_name[o->kind], o->arg);
    error_exit("%s", msg);
}

static void print_netdev_help(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_print_netdev_help(out);
    fputs(out->str, stdout);
}

static NetOpt *net_opt_add(NetOptKind kind, const char *arg)
{
    NetOpt *o = g_new0(NetOpt, 1);
    char *err = NULL;

    o->kind = kind;
    o->arg = arg;
    o->opts = qemu_opts_parse(arg, "type", &err);
    if (!o->opts) {
        net_opt_exit(o, err);
    }
    if (!net_opts) {
        net_opts = g_ptr_array_new();
    }
    g_ptr_array_add(net_opts, o);
    return o;
}

static void check_id(const NetOpt *o, const char *id)
{
    if (!id_wellformed(id)) {
        loc_set_cmdline(opt_name[o->kind], o->arg);
        error_report("Parameter 'id' expects an identifier");
        fprintf(stderr, "Identifiers consist of letters, digits, '-', '.', '_', "
                        "starting with a letter.\n");
        error_exit_status(1);
    }
}

/* The network is QEMU's default one (no -net, -nic or -netdev was given). */
static bool net_is_default;

/*
 * -netdev '{"type": ..., "id": ...}': the same options as key=value (strings,
 * numbers, booleans as on/off, commas doubled); NULL when arg is no JSON object.
 */
static char *netdev_json_to_opts(const char *arg)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GList) members = NULL;
    JsonObject *obj;

    if (!json_parser_load_from_data(parser, arg, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        return NULL;
    }
    obj = json_node_get_object(json_parser_get_root(parser));
    members = json_object_get_members(obj);
    for (GList *l = members; l; l = l->next) {
        JsonNode *n = json_object_get_member(obj, l->data);
        g_autofree char *val = NULL;

        if (!JSON_NODE_HOLDS_VALUE(n)) {
            return NULL;
        }
        if (json_node_get_value_type(n) == G_TYPE_BOOLEAN) {
            val = g_strdup(json_node_get_boolean(n) ? "on" : "off");
        } else if (json_node_get_value_type(n) == G_TYPE_STRING) {
            val = g_strdup(json_node_get_string(n));
        } else {
            val = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
        }
        g_string_append_printf(out, "%s%s=", out->len ? "," : "", (const char *)l->data);
        for (const char *c = val; *c; c++) {
            g_string_append_printf(out, *c == ',' ? ",," : "%c", *c);
        }
    }
    return g_strdup(out->str);
}

void net_option_netdev(const char *arg)
{
    g_autofree char *from_json = arg[0] == '{' ? netdev_json_to_opts(arg) : NULL;
    NetOpt *o;
    const char *id, *type;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        print_netdev_help();
        error_exit_status(0);
    }
    o = net_opt_add(NET_OPT_NETDEV, from_json ? from_json : arg);
    /* Messages name the option as given (the parsed copy is freed on return). */
    o->arg = arg;
    type = qemu_opt_get(o->opts, "type");
    if (type && (!strcmp(type, "help") || !strcmp(type, "?"))) {
        print_netdev_help();
        error_exit_status(0);
    }
    id = qemu_opt_get(o->opts, "id");
    if (!id) {
        net_opt_exit(o, "Parameter 'id' is missing");
    }
    check_id(o, id);
    for (guint i = 0; i + 1 < net_opts->len; i++) {
        NetOpt *p = g_ptr_array_index(net_opts, i);
        const char *pid = qemu_opt_get(p->opts, "id");

        if (p->kind == NET_OPT_NETDEV && pid && !strcmp(pid, id)) {
            g_autofree char *msg = g_strdup_printf("Duplicate ID '%s' for netdev", id);

            net_opt_exit(o, msg);
        }
    }
}

void net_option_nic(const char *arg)
{
    NetOpt *o = net_opt_add(NET_OPT_NIC, arg);
    const char *id = qemu_opt_get(o->opts, "id");

    if (id) {
        check_id(o, id);
    }
}

void net_option_net(const char *arg)
{
    net_opt_add(NET_OPT_NET, arg);
}

void net_options_reset(void)
{
    for (guint i = 0; net_opts && i < net_opts->len; i++) {
        NetOpt *o = g_ptr_array_index(net_opts, i);

        qemu_opts_free(o->opts);
        g_free(o);
    }
    g_clear_pointer(&net_opts, g_ptr_array_unref);
    net_is_default = false;
}

/* Any key outside common and the backend's: "Invalid parameter 'k'". */
static bool check_keys(QemuOpts *opts, const char *const *common, const char *const *backend,
                       Error **errp)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (backend && backend[0] && !strcmp(backend[0], "*")) {
            return true; /* the backend checks its own keys */
        }
        if (!in_list(common, opt->name) && !(backend && in_list(backend, opt->name))) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
    }
    return true;
}

/* The keys of a backend we can create; NULL + errp for a type we lack. */
static const char *const *backend_keys(const char *type, bool netdev, Error **errp)
{
    if (!strcmp(type, "user")) {
        return net_slirp_keys;
    }
    if (!strcmp(type, "tap")) {
        return net_tap_keys;
    }
    if (!strcmp(type, "socket")) {
        return net_socket_keys;
    }
    if (!strcmp(type, "hubport")) {
        return net_hubport_keys;
    }
    if (!strcmp(type, "stream") || !strcmp(type, "dgram")) {
        return net_stream_keys;
    }
    if (netdev && (!strcmp(type, "nic") || !strcmp(type, "none"))) {
        /* Types of QEMU's union that no netdev backend implements. */
        error_setg(errp, "network backend '%s' is not compiled into this binary", type);
    } else if (in_list(qemu_netdev_types, type)) {
        error_setg(errp, "network backend '%s' is not supported", type);
    } else {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
    }
    return NULL;
}

static NetClientState *backend_new(QemuOpts *opts, const char *type, const char *name, Error **errp)
{
    if (!strcmp(type, "user")) {
        return net_init_slirp(opts, name, errp);
    }
    if (!strcmp(type, "socket")) {
        return net_init_socket(opts, name, errp);
    }
    if (!strcmp(type, "hubport")) {
        return net_init_hubport(opts, name, errp);
    }
    if (!strcmp(type, "stream")) {
        return net_init_stream(opts, name, errp);
    }
    if (!strcmp(type, "dgram")) {
        return net_init_dgram(opts, name, errp);
    }
    return net_init_tap(opts, name, errp);
}

static const char *const netdev_common[] = { "type", "id", NULL };
static const char *const nic_common[] = { "type", "id", "model", "mac", NULL };
static const char *const net_common[] = { "type", "id", NULL };
static const char *const net_nic_keys[] = {
    "type", "id", "model", "macaddr", "netdev", "addr", "vectors", NULL,
};

/*
 * A -netdev, HMP or QMP netdev_add: the type, the keys, a free id, then
 * the backend (QEMU's order of checks).
 */
static NetClientState *netdev_new(QemuOpts *opts, Error **errp)
{
    const char *type = qemu_opt_get(opts, "type");
    const char *id = qemu_opt_get(opts, "id");
    const char *const *keys;
    NetClientState *nc;

    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return NULL;
    }
    keys = backend_keys(type, true, errp);
    if (!keys || !check_keys(opts, netdev_common, keys, errp)) {
        return NULL;
    }
    if (qemu_find_netdev(id)) {
        error_setg(errp, "Duplicate ID '%s'", id);
        return NULL;
    }
    nc = backend_new(opts, type, id, errp);
    if (nc) {
        nc->is_netdev = true;
    }
    return nc;
}

/* Create a -nic or -net backend, or exit with QEMU's message. */
static NetClientState *create_backend(const NetOpt *o, const char *type, const char *name)
{
    Error *err = NULL;
    NetClientState *nc;

    loc_set_cmdline(opt_name[o->kind], o->arg);
    nc = backend_new(o->opts, type, name, &err);
    if (!nc) {
        error_report_err(err);
        exit(1);
    }
    loc_clear();
    return nc;
}

static void check_keys_or_exit(const NetOpt *o, const char *const *common,
                               const char *const *backend)
{
    Error *err = NULL;

    if (!check_keys(o->opts, common, backend, &err)) {
        net_opt_exit(o, error_get_pretty(err));
    }
}

static const char *const *backend_keys_or_exit(const NetOpt *o, const char *type)
{
    Error *err = NULL;
    const char *const *keys = backend_keys(type, o->kind == NET_OPT_NETDEV, &err);

    if (!keys) {
        net_opt_exit(o, error_get_pretty(err));
    }
    return keys;
}

/* -netdev and HMP netdev_add ids, which "Duplicate ID 'x' for netdev" refers to. */
static GHashTable *netdev_opt_ids;

static void netdev_opt_id_add(const char *id)
{
    if (!netdev_opt_ids) {
        netdev_opt_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    g_hash_table_add(netdev_opt_ids, g_strdup(id));
}

static void init_netdev(NetOpt *o)
{
    Error *err = NULL;

    loc_set_cmdline(opt_name[o->kind], o->arg);
    if (!netdev_new(o->opts, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_clear();
    netdev_opt_id_add(qemu_opt_get(o->opts, "id"));
}

/* QEMU's generated ids for -nic and -net: "#net", a counter, two random digits. */
static char *net_generated_id(void)
{
    static unsigned generated;

    return g_strdup_printf("#net%u%02d", generated++, g_random_int_range(0, 100));
}

static NICInfo *nic_new(const NetOpt *o, const char *model, const char *mac_key)
{
    NICInfo *nd = g_new0(NICInfo, 1);
    const char *mac = qemu_opt_get(o->opts, mac_key);

    nd->model = g_strdup(model);
    if (mac) {
        if (!net_parse_macaddr(&nd->mac, mac)) {
            net_opt_exit(o, "invalid syntax for ethernet address");
        }
        qemu_macaddr_claim(&nd->mac);
    } else {
        qemu_macaddr_default(&nd->mac);
    }
    nd->has_mac = true;
    if (!nics) {
        nics = g_ptr_array_new();
    }
    g_ptr_array_add(nics, nd);
    return nd;
}

static void init_nic(NetOpt *o)
{
    const char *type = qemu_opt_get(o->opts, "type");
    const char *id = qemu_opt_get(o->opts, "id");
    g_autofree char *auto_id = NULL;
    NetClientState *nc;
    NICInfo *nd;

    if (type && !strcmp(type, "none")) {
        check_keys_or_exit(o, nic_common, NULL);
        return;
    }
    if (!type) {
        /* -nic without a type is user networking (QEMU's default backend). */
        type = "user";
    }
    check_keys_or_exit(o, nic_common, backend_keys_or_exit(o, type));
    if (!id) {
        id = auto_id = net_generated_id();
    } else if (qemu_find_netdev(id)) {
        g_autofree char *msg = g_strdup_printf("Duplicate ID '%s'", id);

        net_opt_exit(o, msg);
    }
    nc = create_backend(o, type, id);
    nc->is_netdev = true;
    nd = nic_new(o, qemu_opt_get(o->opts, "model"), "mac");
    nd->netdev = nc;
}

static void init_net(NetOpt *o)
{
    const char *type = qemu_opt_get(o->opts, "type");
    const char *id = qemu_opt_get(o->opts, "id");
    g_autofree char *auto_id = NULL;
    NICInfo *nd;

    if (!type) {
        net_opt_exit(o, "Parameter 'type' is missing");
    }
    if (!strcmp(type, "none")) {
        check_keys_or_exit(o, net_common, NULL);
        return;
    }
    if (!id) {
        /* Every -net without an id takes one, NICs too (QEMU's counter). */
        id = auto_id = net_generated_id();
    }
    if (!strcmp(type, "nic")) {
        const char *netdev = qemu_opt_get(o->opts, "netdev");

        check_keys_or_exit(o, net_nic_keys, NULL);
        nd = nic_new(o, qemu_opt_get(o->opts, "model"), "macaddr");
        nd->id = g_strdup(id);
        if (netdev) {
            nd->netdev = qemu_find_netdev(netdev);
            if (!nd->netdev) {
                g_autofree char *msg =
                    g_strdup_printf("Property 'netdev' can't find value '%s'", netdev);

                net_opt_exit(o, msg);
            }
        } else {
            nd->netdev = net_hub_add_port(NULL);
        }
        return;
    }
    if (!strcmp(type, "hubport")) {
        /* A port of another hub is no -net client (QEMU's check comes first). */
        net_opt_exit(o, "network backend 'hubport' is only supported with -netdev/-nic");
    }
    check_keys_or_exit(o, net_common, backend_keys_or_exit(o, type));
    qemu_net_connect(create_backend(o, type, id), net_hub_add_port(NULL));
}

void net_init_clients(void)
{
    net_hold_while_stopped();
    if (!net_opts) {
        return;
    }
    if (!net_cleanup_registered) {
        atexit(net_cleanup);
        net_cleanup_registered = true;
    }
    for (NetOptKind k = NET_OPT_NETDEV; k <= NET_OPT_NET; k++) {
        for (guint i = 0; i < net_opts->len; i++) {
            NetOpt *o = g_ptr_array_index(net_opts, i);

            if (o->kind != k) {
                continue;
            }
            switch (k) {
            case NET_OPT_NETDEV:
                init_netdev(o);
                break;
            case NET_OPT_NIC:
                init_nic(o);
                break;
            case NET_OPT_NET:
                init_net(o);
                break;
            }
        }
    }
    loc_clear();
}

unsigned net_nic_count(void)
{
    return nics ? nics->len : 0;
}

NICInfo *net_nic_get(unsigned i)
{
    return i < net_nic_count() ? g_ptr_array_index(nics, i) : NULL;
}

bool net_nic_check_model(NICInfo *nd, const char *const *supported, const char *def, Error **errp)
{
    if (!nd->model) {
        nd->model = g_strdup(def);
    }
    if (!strcmp(nd->model, "help") || !strcmp(nd->model, "?")) {
        printf("Supported NIC models:\n");
        for (; *supported; supported++) {
            printf("%s\n", *supported);
        }
        exit(0);
    }
    if (!in_list(supported, nd->model)) {
        error_setg(errp, "Unsupported NIC model: %s", nd->model);
        return false;
    }
    return true;
}

static void check_client(NetClientState *nc, void *opaque)
{
    if (!nc->peer) {
        warn_report("%s %s has no peer", nc->info->type == NET_CLIENT_DRIVER_NIC ? "nic" : "netdev",
                    nc->name);
    }
}

void net_option_default(void)
{
    net_option_net("nic");
    net_option_net("user");
    net_is_default = true;
}

void net_check_clients(void)
{
    /* QEMU does not warn about its default network (a board without a NIC, -device NICs). */
    if (net_is_default) {
        return;
    }
    net_hub_check_clients();
    qemu_foreach_net_client(check_client, NULL);
}

void net_cleanup(void)
{
    net_tap_cleanup_all();
}

/* ---- Run time ------------------------------------------------------------ */

static bool netdev_add_run_time(QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opt_get(opts, "id");

    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return false;
    }
    if (!net_cleanup_registered) {
        atexit(net_cleanup);
        net_cleanup_registered = true;
    }
    return netdev_new(opts, errp) != NULL;
}

bool net_netdev_hmp_id_check(QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opt_get(opts, "id");

    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return false;
    }
    /* HMP's options join -netdev's: an id one of those took is a duplicate there. */
    if (id && netdev_opt_ids && g_hash_table_contains(netdev_opt_ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", id);
        return false;
    }
    return true;
}

bool net_netdev_add_hmp(QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opt_get(opts, "id");
    const char *type = qemu_opt_get(opts, "type");

    if (type && !strcmp(type, "stream") && !qemu_opt_has(opts, "addr.type")) {
        /*
         * QEMU 7.2's HMP reads stream's options flat and finds no address
         * type; ours takes addr.* as -netdev does (QEMU 7.2 refuses those too).
         */
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    if (!netdev_add_run_time(opts, errp)) {
        return false;
    }
    netdev_opt_id_add(id);
    return true;
}

bool net_netdev_add_opts(QemuOpts *opts, Error **errp)
{
    return netdev_add_run_time(opts, errp);
}

bool net_netdev_del(const char *id, bool *not_found, Error **errp)
{
    NetClientState *nc = qemu_find_netdev(id);

    *not_found = !nc;
    if (!nc) {
        error_setg(errp, "Device '%s' not found", id);
        return false;
    }
    if (!nc->is_netdev) {
        error_setg(errp, "Device '%s' is not a netdev", id);
        return false;
    }
    qemu_del_net_client(nc);
    if (netdev_opt_ids) {
        g_hash_table_remove(netdev_opt_ids, id);
    }
    return true;
}

void net_print_netdev_help(GString *out)
{
    g_string_append(out, "Available netdev backend types:\n");
    for (const char *const *t = qemu_netdev_types; *t; t++) {
        if (backend_keys(*t, true, NULL)) {
            g_string_append_printf(out, "%s\n", *t);
        }
    }
}

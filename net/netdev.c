/*
 * The network options: -netdev TYPE,id=ID,..., -nic TYPE[,model=,mac=,...]
 * and the legacy -net, checked and created as QEMU 7.2 does (netdevs first,
 * then -nic, then -net), with its error messages.
 */
#include "net/net-backends.h"
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

/* Backend types QEMU 7.2 knows, in its order; ours are user and tap. */
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
    printf("Available netdev backend types:\ntap\nuser\n");
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
        exit(1);
    }
}

/* The network is QEMU's default one (no -net, -nic or -netdev was given). */
static bool net_is_default;

void net_option_netdev(const char *arg)
{
    NetOpt *o;
    const char *id, *type;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        print_netdev_help();
        exit(0);
    }
    o = net_opt_add(NET_OPT_NETDEV, arg);
    type = qemu_opt_get(o->opts, "type");
    if (type && (!strcmp(type, "help") || !strcmp(type, "?"))) {
        print_netdev_help();
        exit(0);
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

/* Any key outside common and the backend's: "Invalid parameter 'k'". */
static void check_keys(const NetOpt *o, const char *const *common, const char *const *backend)
{
    for (guint i = 0; i < o->opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(o->opts->list, i);

        if (!in_list(common, opt->name) && !(backend && in_list(backend, opt->name))) {
            g_autofree char *msg = g_strdup_printf("Invalid parameter '%s'", opt->name);

            net_opt_exit(o, msg);
        }
    }
}

static const char *const *backend_keys(const NetOpt *o, const char *type)
{
    g_autofree char *msg = NULL;

    if (!strcmp(type, "user")) {
        return net_slirp_keys;
    }
    if (!strcmp(type, "tap")) {
        return net_tap_keys;
    }
    if (in_list(qemu_netdev_types, type)) {
        msg = g_strdup_printf("network backend '%s' is not supported", type);
    } else {
        msg = g_strdup_printf("Parameter 'type' does not accept value '%s'", type);
    }
    net_opt_exit(o, msg);
}

static NetClientState *create_backend(const NetOpt *o, const char *type, const char *name)
{
    Error *err = NULL;
    NetClientState *nc;

    loc_set_cmdline(opt_name[o->kind], o->arg);
    nc = !strcmp(type, "user") ? net_init_slirp(o->opts, name, &err)
                               : net_init_tap(o->opts, name, &err);
    if (!nc) {
        error_report_err(err);
        exit(1);
    }
    loc_clear();
    return nc;
}

static const char *const netdev_common[] = { "type", "id", NULL };
static const char *const nic_common[] = { "type", "id", "model", "mac", NULL };
static const char *const net_common[] = { "type", "name", "id", NULL };
static const char *const net_nic_keys[] = {
    "type", "name", "id", "model", "macaddr", "netdev", "addr", "vectors", NULL,
};

static void init_netdev(NetOpt *o)
{
    const char *type = qemu_opt_get(o->opts, "type");
    NetClientState *nc;

    if (!type) {
        net_opt_exit(o, "Parameter 'type' is missing");
    }
    check_keys(o, netdev_common, backend_keys(o, type));
    nc = create_backend(o, type, qemu_opt_get(o->opts, "id"));
    nc->is_netdev = true;
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
        check_keys(o, nic_common, NULL);
        return;
    }
    if (!type) {
        /* -nic without a type is user networking (QEMU's default backend). */
        type = "user";
    }
    check_keys(o, nic_common, backend_keys(o, type));
    if (!id) {
        /* QEMU's generated id: "#net", a counter, then two random digits. */
        static unsigned generated;

        id = auto_id = g_strdup_printf("#net%u%02d", generated++, g_random_int_range(0, 100));
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
    NICInfo *nd;

    if (!type) {
        net_opt_exit(o, "Parameter 'type' is missing");
    }
    if (!strcmp(type, "none")) {
        check_keys(o, net_common, NULL);
        return;
    }
    if (!strcmp(type, "nic")) {
        const char *netdev = qemu_opt_get(o->opts, "netdev");

        check_keys(o, net_nic_keys, NULL);
        nd = nic_new(o, qemu_opt_get(o->opts, "model"), "macaddr");
        nd->id = g_strdup(qemu_opt_get(o->opts, "name"));
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
    check_keys(o, net_common, backend_keys(o, type));
    qemu_net_connect(create_backend(o, type, qemu_opt_get(o->opts, "name")),
                     net_hub_add_port(NULL));
}

void net_init_clients(void)
{
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
    if (!nc->peer && nc->info->type != NET_CLIENT_DRIVER_HUBPORT) {
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

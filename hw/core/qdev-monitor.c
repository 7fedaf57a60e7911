/*
 * -device and device_add over the device core: the checks QEMU makes and the
 * words it uses, in its order; "-device help" and "-device TYPE,help".
 */
#include "hw/qdev-monitor.h"
#include "hw/qdev-properties.h"
#include "qapi/qmp.h"
#include "qemu/option.h"
#include <json-glib/json-glib.h>

/* ---- Help ------------------------------------------------------------------- */

/* "-device help" groups, in the order QEMU prints them. */
static const struct {
    DeviceCategory cat;
    const char *title;
} categories[] = {
    { DEVICE_CATEGORY_BRIDGE, "Controller/Bridge/Hub" },
    { DEVICE_CATEGORY_USB, "USB" },
    { DEVICE_CATEGORY_STORAGE, "Storage" },
    { DEVICE_CATEGORY_NETWORK, "Network" },
    { DEVICE_CATEGORY_INPUT, "Input" },
    { DEVICE_CATEGORY_DISPLAY, "Display" },
    { DEVICE_CATEGORY_SOUND, "Sound" },
    { DEVICE_CATEGORY_MISC, "Misc" },
    { DEVICE_CATEGORY_CPU, "CPU" },
    { DEVICE_CATEGORY_WATCHDOG, "Watchdog" },
    { DEVICE_CATEGORY_NONE, "Uncategorized" },
};

typedef struct ListCtx {
    FILE *out;
    DeviceCategory cat;
    const char *title;
    bool any_group; /* a group was printed: separate the next by a blank line */
    bool header;    /* this group's title is out */
} ListCtx;

static void list_one(const DeviceClass *cls, void *opaque)
{
    ListCtx *ctx = opaque;
    const char *bus = qdev_class_bus_type(cls);

    if (cls->abstract || cls->no_user || cls->category != ctx->cat) {
        return;
    }
    if (!ctx->header) {
        fprintf(ctx->out, "%s%s devices:\n", ctx->any_group ? "\n" : "", ctx->title);
        ctx->header = true;
        ctx->any_group = true;
    }
    fprintf(ctx->out, "name \"%s\"", cls->name);
    if (bus) {
        fprintf(ctx->out, ", bus %s", bus);
    }
    if (cls->alias) {
        fprintf(ctx->out, ", alias \"%s\"", cls->alias);
    }
    if (cls->desc) {
        fprintf(ctx->out, ", desc \"%s\"", cls->desc);
    }
    fprintf(ctx->out, "\n");
}

void qdev_list_types(FILE *out)
{
    ListCtx ctx = { .out = out };

    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        ctx.cat = categories[i].cat;
        ctx.title = categories[i].title;
        ctx.header = false;
        qdev_type_foreach(list_one, &ctx);
    }
}

static char *default_text(const Property *p)
{
    if (!p->set_default) {
        return NULL;
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return g_strdup(p->defval ? "true" : "false");
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
    case PROP_TYPE_DEVFN:
        return g_strdup_printf("%" PRId64, (int64_t)p->defval);
    default:
        return g_strdup_printf("%" PRIu64, p->defval);
    }
}

static void print_prop(const DeviceClass *cls, const Property *p, void *opaque)
{
    FILE *out = opaque;
    char tbuf[64];
    g_autofree char *left =
        g_strdup_printf("%s=<%s>", p->name, qdev_prop_type_name(p, tbuf, sizeof(tbuf)));
    g_autofree char *def = default_text(p);
    const char *desc = p->desc ? p->desc : p->type == PROP_TYPE_BOOL ? "on/off" : NULL;

    if (!desc && !def) {
        fprintf(out, "  %s\n", left);
        return;
    }
    fprintf(out, "  %-22s - %s", left, desc ? desc : "");
    if (def) {
        fprintf(out, " (default: %s)", def);
    }
    fprintf(out, "\n");
}

static void count_prop(const DeviceClass *cls, const Property *p, void *opaque)
{
    (*(unsigned *)opaque)++;
}

bool qdev_print_type_props(const char *type, FILE *out, Error **errp)
{
    const DeviceClass *cls = qdev_find_type(type);
    unsigned n = 0;

    if (!cls || cls->abstract) {
        error_setg(errp, "'%s' is not a valid device model name", type);
        return false;
    }
    qdev_class_prop_foreach(cls, count_prop, &n);
    if (!n) {
        fprintf(out, "There are no options for %s.\n", cls->name);
        return true;
    }
    fprintf(out, "%s options:\n", cls->name);
    qdev_class_prop_foreach(cls, print_prop, out);
    return true;
}

/* ---- Checks at parse time ------------------------------------------------------- */

bool qdev_id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && *p != '_') {
            return false;
        }
    }
    return true;
}

static bool check_id(const char *id, GHashTable *ids, Error **errp)
{
    if (!qdev_id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                                "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    if (ids && g_hash_table_contains(ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for device", id);
        return false;
    }
    if (ids) {
        g_hash_table_add(ids, g_strdup(id));
    }
    return true;
}

static JsonObject *parse_json(const char *arg, Error **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    JsonNode *root;

    if (!json_parser_load_from_data(parser, arg, -1, &gerr)) {
        error_setg(errp, "JSON parse error, %s", gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "JSON parse error, not an object");
        return NULL;
    }
    return json_object_ref(json_node_get_object(root));
}

static const char *json_string_member(JsonObject *obj, const char *name)
{
    JsonNode *n = json_object_get_member(obj, name);

    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : NULL;
}

bool qdev_device_check_arg(const char *arg, GHashTable *ids, Error **errp)
{
    g_autofree char *perr = NULL;
    const char *id;
    bool ok = true;

    if (arg[0] == '{') {
        JsonObject *obj = parse_json(arg, errp);

        if (!obj) {
            return false;
        }
        id = json_string_member(obj, "id");
        ok = !id || check_id(id, ids, errp);
        json_object_unref(obj);
        return ok;
    }
    QemuOpts *opts = qemu_opts_parse(arg, "driver", &perr);

    if (!opts) {
        error_setg(errp, "%s", perr);
        return false;
    }
    id = qemu_opt_get(opts, "id");
    ok = !id || check_id(id, ids, errp);
    qemu_opts_free(opts);
    return ok;
}

/* ---- Creating ------------------------------------------------------------------- */

static BusState *find_bus_named(BusState *bus, const char *name);

static BusState *find_bus_in_dev(DeviceState *dev, const char *name)
{
    for (guint i = 0; i < dev->child_buses->len; i++) {
        BusState *found = find_bus_named(g_ptr_array_index(dev->child_buses, i), name);

        if (found) {
            return found;
        }
    }
    return NULL;
}

static BusState *find_bus_named(BusState *bus, const char *name)
{
    if (!strcmp(bus->name, name)) {
        return bus;
    }
    for (guint i = 0; i < bus->children->len; i++) {
        BusState *found = find_bus_in_dev(g_ptr_array_index(bus->children, i), name);

        if (found) {
            return found;
        }
    }
    return NULL;
}

typedef struct BusFind {
    const char *name;
    BusState *found;
} BusFind;

static void bus_in_loose(DeviceState *dev, void *opaque)
{
    BusFind *f = opaque;

    if (!f->found && !dev->parent_bus) {
        f->found = find_bus_in_dev(dev, f->name);
    }
}

/* A bus anywhere by name: in the tree, else under a device on no bus. */
static BusState *find_bus_anywhere(const char *name)
{
    BusFind f = { name, find_bus_named(qdev_root_bus(), name) };

    if (!f.found) {
        qdev_foreach(bus_in_loose, &f);
    }
    return f.found;
}

/* A child of bus by id, else by type name, as QEMU's bus paths name them. */
static DeviceState *find_child(BusState *bus, const char *elem)
{
    for (guint i = 0; i < bus->children->len; i++) {
        DeviceState *d = g_ptr_array_index(bus->children, i);

        if (d->id && !strcmp(d->id, elem)) {
            return d;
        }
    }
    for (guint i = 0; i < bus->children->len; i++) {
        DeviceState *d = g_ptr_array_index(bus->children, i);

        if (!strcmp(d->cls->name, elem)) {
            return d;
        }
    }
    return NULL;
}

/* Cut the next element of a bus path at *pos (after its slashes) into a new string. */
static char *path_elem(const char *path, size_t *pos)
{
    size_t len;

    while (path[*pos] == '/') {
        (*pos)++;
    }
    len = strcspn(path + *pos, "/");
    *pos += len;
    return len ? g_strndup(path + *pos - len, len) : NULL;
}

BusState *qdev_find_bus_path(const char *path, Error **errp)
{
    size_t pos = 0;
    BusState *bus;

    if (path[0] == '/') {
        bus = qdev_root_bus();
    } else {
        g_autofree char *first = path_elem(path, &pos);

        bus = first ? find_bus_anywhere(first) : NULL;
        if (!bus) {
            error_setg(errp, "Bus '%s' not found", first ? first : "");
            return NULL;
        }
    }
    for (;;) {
        g_autofree char *delem = path_elem(path, &pos);
        g_autofree char *belem = NULL;
        DeviceState *dev;

        if (!delem) {
            return bus;
        }
        dev = find_child(bus, delem);
        if (!dev) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", delem);
            return NULL;
        }
        belem = path_elem(path, &pos);
        if (!belem) {
            /* A path ending at a device means its one child bus. */
            guint n = dev->child_buses ? dev->child_buses->len : 0;

            if (n == 1) {
                return g_ptr_array_index(dev->child_buses, 0);
            }
            if (n) {
                error_setg(errp, "Device '%s' has multiple child buses", delem);
            } else {
                error_setg(errp, "Device '%s' has no child bus", delem);
            }
            return NULL;
        }
        bus = NULL;
        for (guint i = 0; dev->child_buses && i < dev->child_buses->len; i++) {
            BusState *b = g_ptr_array_index(dev->child_buses, i);

            if (!strcmp(b->name, belem)) {
                bus = b;
            }
        }
        if (!bus) {
            error_setg(errp, "Bus '%s' not found", belem);
            return NULL;
        }
    }
}

/*
 * The checks QEMU makes before creating anything: a driver, a type that
 * exists and that the user may create, a bus for it.
 */
static DeviceState *device_begin(const char *driver, const char *busname, const char *id,
                                 BusState **bus, Error **errp)
{
    const DeviceClass *cls;
    const char *bus_type;
    DeviceState *dev;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    cls = qdev_find_type(driver);
    if (!cls) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (cls->abstract) {
        error_setg(errp, "Parameter 'driver' expects a non-abstract device type");
        return NULL;
    }
    if (cls->no_user) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    bus_type = qdev_class_bus_type(cls);
    *bus = NULL;
    if (busname) {
        *bus = qdev_find_bus_path(busname, errp);
        if (!*bus) {
            return NULL;
        }
    } else if (bus_type) {
        *bus = qbus_find_by_type(bus_type);
        if (!*bus) {
            error_setg(errp, "No '%s' bus found for device '%s'", bus_type, driver);
            return NULL;
        }
    }
    dev = qdev_try_new(driver, errp);
    if (!dev) {
        return NULL;
    }
    dev->user_created = true;
    if (id && !qdev_set_id(dev, id, errp)) {
        qdev_free(dev);
        return NULL;
    }
    return dev;
}

static DeviceState *device_finish(DeviceState *dev, BusState *bus, Error **errp)
{
    return qdev_realize_and_unref(dev, bus, errp) ? dev : NULL;
}

static bool is_meta_key(const char *key)
{
    return !strcmp(key, "driver") || !strcmp(key, "id") || !strcmp(key, "bus");
}

DeviceState *qdev_device_add_from_opts(QemuOpts *opts, Error **errp)
{
    const char *driver = qemu_opt_get(opts, "driver");
    BusState *bus;
    DeviceState *dev;

    dev = device_begin(driver, qemu_opt_get(opts, "bus"), qemu_opt_get(opts, "id"), &bus, errp);
    if (!dev) {
        return NULL;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        bool last = true;

        /* A key given twice: the last value wins, as QEMU's keyval does. */
        for (guint j = i + 1; j < opts->list->len; j++) {
            last &= strcmp(((QemuOpt *)g_ptr_array_index(opts->list, j))->name, opt->name) != 0;
        }
        if (!last || is_meta_key(opt->name)) {
            continue;
        }
        if (!qdev_prop_parse(dev, opt->name, opt->value, PROP_SRC_CMDLINE, errp)) {
            qdev_free(dev);
            return NULL;
        }
    }
    return device_finish(dev, bus, errp);
}

static bool set_json_prop(DeviceState *dev, const char *name, JsonNode *node, Error **errp)
{
    GType t = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;

    if (t == G_TYPE_INT64) {
        return qdev_prop_set_integer(dev, name, json_node_get_int(node), false, errp);
    }
    if (qmp_node_is_big_uint64(node)) {
        return qdev_prop_set_integer(dev, name, qmp_node_get_uint64(node), true, errp);
    }
    if (t == G_TYPE_BOOLEAN) {
        return qdev_prop_set_boolean(dev, name, json_node_get_boolean(node), errp);
    }
    if (t == G_TYPE_STRING) {
        return qdev_prop_set_text(dev, name, json_node_get_string(node), errp);
    }
    return qdev_prop_set_wrong_kind(dev, name, "other", errp);
}

DeviceState *qdev_device_add_json(JsonObject *obj, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(obj);
    BusState *bus;
    DeviceState *dev;

    dev = device_begin(json_string_member(obj, "driver"), json_string_member(obj, "bus"),
                       json_string_member(obj, "id"), &bus, errp);
    if (!dev) {
        return NULL;
    }
    for (GList *l = members; l; l = l->next) {
        const char *name = l->data;

        if (is_meta_key(name)) {
            continue;
        }
        if (!set_json_prop(dev, name, json_object_get_member(obj, name), errp)) {
            qdev_free(dev);
            return NULL;
        }
    }
    return device_finish(dev, bus, errp);
}

DeviceState *qdev_device_add_str(const char *arg, Error **errp)
{
    g_autofree char *perr = NULL;
    DeviceState *dev;

    if (arg[0] == '{') {
        JsonObject *obj = parse_json(arg, errp);

        if (!obj) {
            return NULL;
        }
        dev = qdev_device_add_json(obj, errp);
        json_object_unref(obj);
        return dev;
    }
    QemuOpts *opts = qemu_opts_parse(arg, "driver", &perr);

    if (!opts) {
        error_setg(errp, "%s", perr);
        return NULL;
    }
    dev = qdev_device_add_from_opts(opts, errp);
    qemu_opts_free(opts);
    return dev;
}

/* ---- info qtree ------------------------------------------------------------- */

/* "name = value" as info qtree prints it: numbers with their hex, strings quoted. */
static void qtree_prop(GString *out, DeviceState *dev, const Property *p, int indent)
{
    g_autofree char *text = qdev_prop_to_string(dev, p);
    g_autofree char *human = NULL;
    const void *ptr = (const uint8_t *)dev + p->offset;
    uint64_t v;

    g_string_append_printf(out, "%*s%s = ", indent, "", p->name);
    switch (p->type) {
    case PROP_TYPE_STR:
    case PROP_TYPE_CHR:
    case PROP_TYPE_LINK:
    case PROP_TYPE_DRIVE:
        g_string_append_printf(out, "\"%s\"\n", text);
        return;
    case PROP_TYPE_BOOL:
    case PROP_TYPE_DEVFN:
        g_string_append_printf(out, "%s\n", text);
        return;
    case PROP_TYPE_SIZE:
        human = qemu_size_to_str(*(const uint64_t *)ptr);
        g_string_append_printf(out, "%s (%s)\n", text, human);
        return;
    case PROP_TYPE_UINT8:
        v = *(const uint8_t *)ptr;
        break;
    case PROP_TYPE_UINT16:
        v = *(const uint16_t *)ptr;
        break;
    case PROP_TYPE_UINT32:
        v = *(const uint32_t *)ptr;
        break;
    case PROP_TYPE_INT32:
        v = (uint64_t)(int64_t) * (const int32_t *)ptr;
        break;
    case PROP_TYPE_INT64:
        v = (uint64_t) * (const int64_t *)ptr;
        break;
    case PROP_TYPE_UINT64:
        v = *(const uint64_t *)ptr;
        break;
    default:
        g_assert_not_reached();
    }
    g_string_append_printf(out, "%s (0x%" PRIx64 ")\n", text, v);
}

/* The class's properties, its ancestors' first (a VIO device: reg, then its own). */
static void qtree_props(GString *out, DeviceState *dev, const DeviceClass *cls, int indent)
{
    if (!cls) {
        return;
    }
    qtree_props(out, dev, cls->parent, indent);
    for (const Property *p = cls->props; p && p->name; p++) {
        qtree_prop(out, dev, p, indent);
    }
}

static void qtree_bus(GString *out, BusState *bus, int indent);

static void qtree_dev(GString *out, DeviceState *dev, int indent)
{
    g_string_append_printf(out, "%*sdev: %s, id \"%s\"\n", indent, "", dev->cls->name,
                           dev->id ? dev->id : "");
    qtree_props(out, dev, dev->cls, indent + 2);
    for (guint i = 0; dev->child_buses && i < dev->child_buses->len; i++) {
        qtree_bus(out, g_ptr_array_index(dev->child_buses, i), indent + 2);
    }
}

/* QEMU lists a bus's children newest first (each is added at the head). */
static void qtree_bus(GString *out, BusState *bus, int indent)
{
    g_string_append_printf(out, "%*sbus: %s\n", indent, "", bus->name);
    g_string_append_printf(out, "%*stype %s\n", indent + 2, "", bus->cls->name);
    for (guint i = bus->children->len; i-- > 0;) {
        DeviceState *dev = g_ptr_array_index(bus->children, i);

        if (dev->realized) {
            qtree_dev(out, dev, indent + 2);
        }
    }
}

void qdev_print_tree(GString *out)
{
    qtree_bus(out, qdev_root_bus(), 0);
}

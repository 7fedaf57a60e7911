/*
 * QOM-style QMP commands (qapi/qom.json, qapi/qdev.json) over the device
 * model: the type list, type properties, and the /machine object tree.
 */
#include "qapi/qapi-commands.h"
#include "monitor/qmp-internal.h"
#include "hw/boards.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio-balloon.h"

/* ---- Types --------------------------------------------------------------- */

/*
 * The types that are not device classes: QEMU's roots, the machine types
 * (named "<machine>-machine") and their abstract parents.
 */
typedef struct QomType {
    char *name;
    const char *parent; /* NULL: a root */
    bool abstract;
} QomType;

static void add_type(GPtrArray *types, const char *name, const char *parent, bool abstract)
{
    QomType *t = g_new(QomType, 1);

    t->name = g_strdup(name);
    t->parent = parent;
    t->abstract = abstract;
    g_ptr_array_add(types, t);
}

static void qom_type_free(gpointer p)
{
    QomType *t = p;

    g_free(t->name);
    g_free(t);
}

static void add_device_type(const DeviceClass *cls, void *opaque)
{
    add_type(opaque, cls->name, cls->parent ? cls->parent->name : "device", cls->abstract);
}

static void add_machine_type(const MachineTypeInfo *t, void *opaque)
{
    const char *versioned;
    const MachineClassOps *ops = machine_find(t->name, &versioned);
    g_autofree char *name = g_strdup_printf("%s-machine", t->name);

    add_type(opaque, name, ops && !strcmp(ops->name, "pseries") ? "spapr-machine" : "machine",
             false);
}

static GPtrArray *all_types(void)
{
    GPtrArray *types = g_ptr_array_new_with_free_func(qom_type_free);

    add_type(types, "object", NULL, true);
    add_type(types, "device", "object", true);
    add_type(types, "bus", "object", true);
    add_type(types, "machine", "object", true);
    add_type(types, "spapr-machine", "machine", true);
    add_type(types, "container", "object", false);
    /* The accelerators -accel takes (libvirt looks for "tcg-accel"). */
    add_type(types, "accel", "object", true);
    add_type(types, "tcg-accel", "accel", false);
    add_type(types, "qtest-accel", "accel", false);
    /* What -object and object-add create (qom/user-creatable.c), QEMU's parents. */
    add_type(types, "event-loop-base", "object", true);
    add_type(types, "iothread", "event-loop-base", false);
    add_type(types, "secret_common", "object", true);
    add_type(types, "secret", "secret_common", false);
    add_type(types, "rng-backend", "object", true);
    add_type(types, "rng-random", "rng-backend", false);
    add_type(types, "memory-backend", "object", true);
    add_type(types, "memory-backend-ram", "memory-backend", false);
    add_type(types, "memory-backend-file", "memory-backend", false);
    add_type(types, "memory-backend-memfd", "memory-backend", false);
    machine_foreach_type(add_machine_type, types);
    qdev_type_foreach(add_device_type, types);
    return types;
}

static const QomType *type_find(GPtrArray *types, const char *name)
{
    for (guint i = 0; name && i < types->len; i++) {
        const QomType *t = g_ptr_array_index(types, i);

        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

/* name is ancestor or one of its descendants. */
static bool type_implements(GPtrArray *types, const char *name, const char *ancestor)
{
    for (const QomType *t = type_find(types, name); t; t = type_find(types, t->parent)) {
        if (!strcmp(t->name, ancestor)) {
            return true;
        }
    }
    return false;
}

JsonNode *qmp_qom_list_types(JsonObject *args, QmpError *err)
{
    g_autoptr(GPtrArray) types = all_types();
    const char *implements = qmp_arg_str(args, "implements", NULL);
    bool abstract = qmp_arg_bool(args, "abstract", false);
    JsonArray *arr = json_array_new();

    for (guint i = 0; i < types->len; i++) {
        const QomType *t = g_ptr_array_index(types, i);
        JsonObject *o;

        if ((t->abstract && !abstract) ||
            (implements && !type_implements(types, t->name, implements))) {
            continue;
        }
        o = json_object_new();
        if (t->abstract) {
            json_object_set_boolean_member(o, "abstract", true);
        }
        json_object_set_string_member(o, "name", t->name);
        if (t->parent) {
            json_object_set_string_member(o, "parent", t->parent);
        }
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

/* ---- Properties -------------------------------------------------------- */

/* QEMU prints "default-value" first, then name, description, type. */
static JsonObject *prop_info_dflt(const char *name, const char *type, const char *desc,
                                  JsonNode *dflt)
{
    JsonObject *o = json_object_new();

    if (dflt) {
        json_object_set_member(o, "default-value", dflt);
    }
    json_object_set_string_member(o, "name", name);
    if (desc && *desc) { /* an empty one is left out, as QEMU does */
        json_object_set_string_member(o, "description", desc);
    }
    json_object_set_string_member(o, "type", type);
    return o;
}

static JsonObject *prop_info(const char *name, const char *type, const char *desc)
{
    return prop_info_dflt(name, type, desc, NULL);
}

/* The default as QEMU shows it: integers and booleans only. */
static JsonNode *prop_default(const Property *p)
{
    if (!p->set_default) {
        return NULL;
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return qmp_node_bool(p->defval);
    case PROP_TYPE_INT32:
        return qmp_node_int((int32_t)p->defval);
    case PROP_TYPE_INT64:
        return qmp_node_int((int64_t)p->defval);
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return qmp_node_int((int64_t)p->defval);
    default:
        return NULL;
    }
}

static void add_class_prop(const DeviceClass *cls, const Property *p, void *opaque)
{
    char buf[64];

    json_array_add_object_element(opaque,
                                  prop_info_dflt(p->name, qdev_prop_type_name(p, buf, sizeof(buf)),
                                                 p->desc                     ? p->desc
                                                 : p->type == PROP_TYPE_BOOL ? "on/off"
                                                                             : NULL,
                                                 prop_default(p)));
}

/* What every device instance has besides its class's properties. */
static void add_device_builtin_props(JsonArray *arr)
{
    json_array_add_object_element(arr, prop_info("type", "string", NULL));
    json_array_add_object_element(arr, prop_info("parent_bus", "link<bus>", NULL));
    json_array_add_object_element(arr, prop_info("realized", "bool", NULL));
    json_array_add_object_element(arr, prop_info("hotplugged", "bool", NULL));
    json_array_add_object_element(arr, prop_info("hotpluggable", "bool", NULL));
}

static void add_dev_prop(const DeviceClass *cls, const Property *p, void *opaque)
{
    char buf[64];

    json_array_add_object_element(
        opaque, prop_info(p->name, qdev_prop_type_name(p, buf, sizeof(buf)), NULL));
}

JsonNode *qmp_device_list_properties(JsonObject *args, QmpError *err)
{
    const char *name = json_object_get_string_member(args, "typename");
    const DeviceClass *cls = qdev_find_type(name);
    g_autoptr(GPtrArray) types = NULL;
    JsonArray *arr;

    if (!cls) {
        types = all_types();
        if (type_find(types, name)) {
            qmp_error_setg(err, "Parameter 'typename' expects a non-abstract device type");
        } else {
            qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", name);
        }
        return NULL;
    }
    if (cls->abstract) {
        qmp_error_setg(err, "Parameter 'typename' expects a non-abstract device type");
        return NULL;
    }
    arr = json_array_new();
    qdev_class_prop_foreach(cls, add_class_prop, arr);
    return qmp_node_array(arr);
}

/* A machine type's properties, from what "-machine TYPE,help" prints. */
static void add_machine_props(JsonArray *arr, const char *qom_type)
{
    g_autofree char *type = g_strndup(qom_type, strlen(qom_type) - strlen("-machine"));
    const char *versioned = NULL;
    const MachineClassOps *ops = machine_find(type, &versioned);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    size_t len = 0;
    FILE *out;

    if (!ops || !ops->print_props || !(out = open_memstream(&text, &len))) {
        return;
    }
    ops->print_props(versioned, out);
    fclose(out);
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_autofree char *name = NULL, *ptype = NULL, *desc = NULL;

        if (qmp_parse_help_line(*l, &name, &ptype, &desc)) {
            json_array_add_object_element(arr, prop_info(name, ptype, desc));
        }
    }
}

JsonNode *qmp_qom_list_properties(JsonObject *args, QmpError *err)
{
    const char *name = json_object_get_string_member(args, "typename");
    const DeviceClass *cls = qdev_find_type(name);
    g_autoptr(GPtrArray) types = all_types();
    JsonArray *arr;

    if (!type_find(types, name)) {
        /*
         * libvirt 9.0 dereferences a NULL list when it asks for the memory
         * backends (it always does) and QEMU says DeviceNotFound; no backend
         * exists yet (-object), so the class has no properties to list.
         */
        if (g_str_has_prefix(name, "memory-backend-")) {
            return qmp_node_array(json_array_new());
        }
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Class '%s' not found", name);
        return NULL;
    }
    arr = json_array_new();
    if (cls) {
        /* An instance's view: no defaults, as in QEMU. */
        add_device_builtin_props(arr);
        qdev_class_prop_foreach(cls, add_dev_prop, arr);
    } else {
        json_array_add_object_element(arr, prop_info("type", "string", NULL));
        if (g_str_has_suffix(name, "-machine") && type_implements(types, name, "machine")) {
            add_machine_props(arr, name);
        }
    }
    return qmp_node_array(arr);
}

/* ---- The object tree ----------------------------------------------------- */

typedef struct Children {
    const char *dir;  /* "/machine/peripheral" */
    GPtrArray *names; /* (name, type) pairs, owned strings */
} Children;

static void add_child(Children *c, const char *name, const char *type)
{
    for (guint i = 0; i < c->names->len; i += 2) {
        if (!strcmp(g_ptr_array_index(c->names, i), name)) {
            return;
        }
    }
    g_ptr_array_add(c->names, g_strdup(name));
    g_ptr_array_add(c->names, g_strdup_printf("child<%s>", type));
}

/* A device at dir/name, or a container on the way to one. */
static void collect_child(DeviceState *dev, void *opaque)
{
    Children *c = opaque;
    size_t len = strlen(c->dir);
    const char *rest, *slash;

    if (!dev->path || strncmp(dev->path, c->dir, len) || dev->path[len] != '/') {
        return;
    }
    rest = dev->path + len + 1;
    slash = strchr(rest, '/');
    if (slash) {
        g_autofree char *name = g_strndup(rest, slash - rest);

        add_child(c, name, "container");
    } else {
        add_child(c, rest, dev->cls->name);
    }
}

/* A path the tree has: "/", "/machine", a container, or a device. */
static bool path_exists(const char *path, DeviceState **dev)
{
    Children c = { path, g_ptr_array_new_with_free_func(g_free) };
    bool found;

    *dev = qdev_find_by_path(path);
    if (*dev || !strcmp(path, "/") || !strcmp(path, "/machine")) {
        g_ptr_array_unref(c.names);
        return true;
    }
    qdev_foreach(collect_child, &c);
    found = c.names->len > 0;
    g_ptr_array_unref(c.names);
    return found;
}

static const char *machine_qom_type(void)
{
    static char buf[128];

    snprintf(buf, sizeof(buf), "%s-machine", current_machine ? current_machine->type : "none");
    return buf;
}

/* A partial path ("vty0") names the one device whose path ends with it. */
typedef struct Partial {
    const char *suffix;
    DeviceState *found;
    unsigned count;
} Partial;

static void match_partial(DeviceState *dev, void *opaque)
{
    Partial *p = opaque;
    size_t n = strlen(p->suffix), len = dev->path ? strlen(dev->path) : 0;

    if (len > n && !strcmp(dev->path + len - n, p->suffix) && dev->path[len - n - 1] == '/') {
        p->found = dev;
        p->count++;
    }
}

static bool resolve(const char *path, char **full, DeviceState **dev, QmpError *err)
{
    if (path[0] != '/') {
        Partial p = { path, NULL, 0 };

        qdev_foreach(match_partial, &p);
        if (p.count == 1) {
            *dev = p.found;
            *full = g_strdup(p.found->path);
            return true;
        }
    } else if (path_exists(path, dev)) {
        *full = g_strdup(path);
        return true;
    }
    qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", path);
    return false;
}

JsonNode *qmp_qom_list(JsonObject *args, QmpError *err)
{
    g_autofree char *path = NULL;
    DeviceState *dev;
    JsonArray *arr;
    Children c;

    if (qom_objects_path(json_object_get_string_member(args, "path"))) {
        return qom_objects_list(json_object_get_string_member(args, "path"), err);
    }
    if (!resolve(json_object_get_string_member(args, "path"), &path, &dev, err)) {
        return NULL;
    }
    arr = json_array_new();
    if (dev) {
        add_device_builtin_props(arr);
        qdev_class_prop_foreach(dev->cls, add_dev_prop, arr);
        return qmp_node_array(arr);
    }
    json_array_add_object_element(arr, prop_info("type", "string", NULL));
    c.dir = strcmp(path, "/") ? path : "";
    c.names = g_ptr_array_new_with_free_func(g_free);
    if (!strcmp(path, "/")) {
        add_child(&c, "objects", "container");
        add_child(&c, "machine", machine_qom_type());
        add_child(&c, "chardevs", "container");
    }
    qdev_foreach(collect_child, &c);
    for (guint i = 0; i < c.names->len; i += 2) {
        json_array_add_object_element(
            arr, prop_info(g_ptr_array_index(c.names, i), g_ptr_array_index(c.names, i + 1), NULL));
    }
    g_ptr_array_unref(c.names);
    return qmp_node_array(arr);
}

/* A property value with its JSON type (qdev keeps them as typed fields). */
static JsonNode *prop_value(DeviceState *dev, const Property *p)
{
    g_autofree char *text = qdev_prop_to_string(dev, p);

    switch (p->type) {
    case PROP_TYPE_BOOL:
        return qmp_node_bool(!strcmp(text, "true"));
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return qmp_node_int((int64_t)g_ascii_strtoull(text, NULL, 10));
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
        return qmp_node_int(g_ascii_strtoll(text, NULL, 10));
    default:
        return qmp_node_string(text);
    }
}

JsonNode *qmp_qom_get(JsonObject *args, QmpError *err)
{
    const char *prop = json_object_get_string_member(args, "property");
    g_autofree char *path = NULL;
    DeviceState *dev;
    const Property *p;
    JsonNode *ret = NULL;

    if (qom_objects_path(json_object_get_string_member(args, "path"))) {
        return qom_objects_get(json_object_get_string_member(args, "path"), prop, err);
    }
    if (!resolve(json_object_get_string_member(args, "path"), &path, &dev, err)) {
        return NULL;
    }
    if (!strcmp(prop, "type")) {
        if (dev) {
            return qmp_node_string(dev->cls->name);
        }
        return qmp_node_string(!strcmp(path, "/machine") ? machine_qom_type() : "container");
    }
    if (dev && !strcmp(prop, "realized")) {
        return qmp_node_bool(dev->realized);
    }
    /* The balloon's QOM properties first: guest-stats-polling-interval is also a qdev one. */
    if (dev && virtio_balloon_qom_get(dev, prop, &ret, err)) {
        return ret;
    }
    if (dev && (p = qdev_class_find_prop(dev->cls, prop))) {
        return prop_value(dev, p);
    }
    qmp_error_setg(err, "Property '%s.%s' not found",
                   dev                         ? dev->cls->name
                   : !strcmp(path, "/machine") ? machine_qom_type()
                                               : "container",
                   prop);
    return NULL;
}

JsonNode *qmp_qom_set(JsonObject *args, QmpError *err)
{
    const char *prop = json_object_get_string_member(args, "property");
    g_autofree char *path = NULL;
    DeviceState *dev;

    if (!resolve(json_object_get_string_member(args, "path"), &path, &dev, err)) {
        return NULL;
    }
    if (dev && virtio_balloon_qom_set(dev, prop, json_object_get_member(args, "value"), err)) {
        return err->desc ? NULL : qmp_return_empty();
    }
    if (dev && qdev_class_find_prop(dev->cls, prop)) {
        /* Every device is realized, and qdev properties are fixed then. */
        qmp_error_setg(err,
                       "Attempt to set property '%s' on device '%s' (type '%s') after it "
                       "was realized",
                       prop, dev->id ? dev->id : "<anon>", dev->cls->name);
        return NULL;
    }
    if (!strcmp(prop, "type") || (dev && !strcmp(prop, "realized"))) {
        qmp_error_setg(err, "Insufficient permission to perform this operation");
        return NULL;
    }
    qmp_error_setg(err, "Property '%s.%s' not found",
                   dev                         ? dev->cls->name
                   : !strcmp(path, "/machine") ? machine_qom_type()
                                               : "container",
                   prop);
    return NULL;
}

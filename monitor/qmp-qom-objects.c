/*
 * The /objects branch of the QOM tree for qom-list and qom-get: the
 * user-creatable objects (-object, object-add) and the machine's RAM
 * backend, with their properties named, typed and ordered as QEMU 7.2 lists
 * them.
 */
#include "monitor/qmp-internal.h"
#include "hw/boards.h"
#include "qom/user-creatable.h"
#include "sysemu/numa.h"

/* A property: its name, QOM type and value when it was not given. */
typedef struct ObjProp {
    const char *name;
    const char *type;
    const char *dflt; /* JSON text */
} ObjProp;

/*
 * QEMU lists an object's properties from its property tables (hash tables)
 * and prepends each, so the order is fixed per type; these are its orders.
 */
static const ObjProp rng_random_props[] = {
    { "type", "string", NULL },
    { "opened", "bool", "true" },
    { "filename", "string", "\"/dev/urandom\"" },
    { NULL },
};

static const ObjProp rng_builtin_props[] = {
    { "type", "string", NULL },
    { "opened", "bool", "true" },
    { NULL },
};

static const ObjProp secret_props[] = {
    { "type", "string", NULL },
    { "iv", "string", "\"\"" },
    { "keyid", "string", "\"\"" },
    { "loaded", "bool", "true" },
    { "format", "QCryptoSecretFormat", "\"raw\"" },
    { "file", "string", "\"\"" },
    { "data", "string", "\"\"" },
    { NULL },
};

static const ObjProp iothread_props[] = {
    { "type", "string", NULL },        { "thread-pool-min", "int", "0" },
    { "aio-max-batch", "int", "0" },   { "thread-pool-max", "int", "64" },
    { "poll-max-ns", "int", "32768" }, { "poll-grow", "int", "0" },
    { "poll-shrink", "int", "0" },     { NULL },
};

/* Every memory backend's, then its type's own (memory_file/memfd_props). */
static const ObjProp memory_props[] = {
    { "type", "string", NULL },
    { "share", "bool", "false" },
    { "size", "int", "0" },
    { "dump", "bool", "true" },
    { "prealloc-threads", "int", "1" },
    { "x-use-canonical-path-for-ramblock-id", "bool", "false" },
    { "policy", "HostMemPolicy", "\"default\"" },
    { "prealloc-context", "link<thread-context>", "\"\"" },
    { "prealloc", "bool", "false" },
    { "reserve", "bool", "true" },
    { "host-nodes", "int", "[]" },
    { "merge", "bool", "true" },
    { NULL },
};

static const ObjProp memory_file_props[] = {
    { "readonly", "bool", "false" },     { "align", "int", "0" },
    { "pmem", "bool", "false" },         { "mem-path", "string", "\"\"" },
    { "discard-data", "bool", "false" }, { NULL },
};

static const ObjProp memory_memfd_props[] = {
    { "hugetlb", "bool", "false" },
    { "seal", "bool", "true" },
    { "hugetlbsize", "int", "0" },
    { NULL },
};

/* An object under /objects: a user-creatable one or the machine's RAM. */
typedef struct QomObject {
    const char *id;
    const char *type;
    JsonObject *args; /* NULL for the machine's RAM backend */
    const ObjProp *props, *more;
} QomObject;

/* The RAM backend QEMU makes for the machine, when nothing else gives RAM. */
static const char *machine_ram_id(void)
{
    const MachineTypeInfo *t = current_machine ? machine_type_info(current_machine->type) : NULL;

    if (t && current_machine->ram_size && !current_machine_ram_from_backends()) {
        return t->default_ram_id;
    }
    return NULL;
}

static bool object_lookup(const char *id, QomObject *o)
{
    const char *ram = machine_ram_id();

    memset(o, 0, sizeof(*o));
    o->id = id;
    o->type = user_creatable_type(id);
    o->args = user_creatable_args(id);
    if (!o->type) {
        if (!ram || strcmp(ram, id)) {
            return false;
        }
        o->type = "memory-backend-ram";
    }
    if (!strcmp(o->type, "rng-random")) {
        o->props = rng_random_props;
    } else if (!strcmp(o->type, "rng-builtin")) {
        o->props = rng_builtin_props;
    } else if (!strcmp(o->type, "secret")) {
        o->props = secret_props;
    } else if (!strcmp(o->type, "iothread")) {
        o->props = iothread_props;
    } else {
        o->props = memory_props;
        o->more = !strcmp(o->type, "memory-backend-file")    ? memory_file_props
                  : !strcmp(o->type, "memory-backend-memfd") ? memory_memfd_props
                                                             : NULL;
    }
    return true;
}

static JsonObject *prop_entry(const char *name, const char *type)
{
    JsonObject *e = json_object_new();

    json_object_set_string_member(e, "name", name);
    json_object_set_string_member(e, "type", type);
    return e;
}

static void list_props(JsonArray *arr, const ObjProp *props)
{
    for (const ObjProp *p = props; p && p->name; p++) {
        json_array_add_object_element(arr, prop_entry(p->name, p->type));
    }
}

static void add_child_entry(const char *id, const char *type, void *opaque)
{
    g_autofree char *child = g_strdup_printf("child<%s>", type ? type : "memory-backend-ram");

    json_array_add_object_element(opaque, prop_entry(id, child));
}

/* The id after "/objects/", or "" for /objects itself; NULL elsewhere. */
static const char *objects_id(const char *path)
{
    if (!strcmp(path, "/objects")) {
        return "";
    }
    return g_str_has_prefix(path, "/objects/") ? path + strlen("/objects/") : NULL;
}

bool qom_objects_path(const char *path)
{
    return objects_id(path) != NULL;
}

JsonNode *qom_objects_list(const char *path, QmpError *err)
{
    const char *id = objects_id(path);
    JsonArray *arr;
    QomObject o;

    if (!*id) {
        arr = json_array_new();
        json_array_add_object_element(arr, prop_entry("type", "string"));
        /* Children in reverse table order, as QEMU prepends them. */
        user_creatable_foreach_qom(machine_ram_id(), true, add_child_entry, arr);
        return qmp_node_array(arr);
    }
    if (!object_lookup(id, &o)) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", path);
        return NULL;
    }
    arr = json_array_new();
    list_props(arr, o.props);
    list_props(arr, o.more);
    if (g_str_has_prefix(o.type, "memory-backend-")) {
        g_autofree char *region = g_strdup_printf("%s[0]", id);

        json_array_add_object_element(arr, prop_entry(region, "child<memory-region>"));
    }
    return qmp_node_array(arr);
}

static JsonNode *json_text_node(const char *text)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();

    if (!json_parser_load_from_data(parser, text, -1, NULL)) {
        return NULL;
    }
    return json_node_copy(json_parser_get_root(parser));
}

/* A property's value: what the object was created with, else the default. */
static JsonNode *prop_get(const QomObject *o, const ObjProp *p)
{
    if (!strcmp(p->name, "type")) {
        return qmp_node_string(o->type);
    }
    if (!o->args && !strcmp(p->name, "size")) {
        return qmp_node_int(current_machine->ram_size);
    }
    if (!strcmp(p->name, "share") && !strcmp(o->type, "memory-backend-memfd") &&
        !(o->args && json_object_has_member(o->args, "share"))) {
        return qmp_node_bool(true); /* memfd's own default */
    }
    if (o->args && json_object_has_member(o->args, p->name)) {
        /* As given (host-nodes is listed as int, its value is the list). */
        return json_node_copy(json_object_get_member(o->args, p->name));
    }
    return json_text_node(p->dflt);
}

static const ObjProp *prop_find(const ObjProp *props, const char *name)
{
    for (const ObjProp *p = props; p && p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

JsonNode *qom_objects_get(const char *path, const char *prop, QmpError *err)
{
    const char *id = objects_id(path);
    const ObjProp *p;
    QomObject o;

    if (!*id) {
        if (!strcmp(prop, "type")) {
            return qmp_node_string("container");
        }
        qmp_error_setg(err, "Property 'container.%s' not found", prop);
        return NULL;
    }
    if (!object_lookup(id, &o)) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", path);
        return NULL;
    }
    if ((p = prop_find(o.props, prop)) || (p = prop_find(o.more, prop))) {
        return prop_get(&o, p);
    }
    if (g_str_has_prefix(o.type, "memory-backend-")) {
        g_autofree char *region = g_strdup_printf("%s[0]", id);

        if (!strcmp(prop, region)) {
            g_autofree char *child = g_strdup_printf("%s/%s", path, region);

            return qmp_node_string(child);
        }
    }
    qmp_error_setg(err, "Property '%s.%s' not found", o.type, prop);
    return NULL;
}

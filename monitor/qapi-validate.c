/*
 * Checks QMP arguments against the schema's type tables (qapi-gen.py output)
 * with QEMU's input visitor's order and messages, e.g. "Parameter 'x' is missing".
 */
#include "qapi/qmp.h"
#include "qom/user-creatable.h"

#include <math.h>

/*
 * Where the visitor is: the full name ("capabilities[0].state") that most
 * messages print, and the bare member name (NULL inside a list) that enum
 * and range messages print, as QEMU does.
 */
typedef struct QapiPath {
    GString *full;
    const char *name;
} QapiPath;

static bool validate(const QapiType *type, JsonNode *value, QapiPath *path, QmpError *err);

void qmp_error_set(QmpError *err, const char *cls, const char *fmt, ...)
{
    va_list ap;

    if (err->desc) {
        return; /* the first error wins */
    }
    va_start(ap, fmt);
    err->cls = cls;
    err->desc = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void qmp_error_from(QmpError *qerr, Error *err)
{
    const char *cls = error_get_class(err) == ERROR_CLASS_DEVICE_NOT_FOUND
                          ? QMP_ERROR_DEVICE_NOT_FOUND
                          : QMP_ERROR_GENERIC;

    qmp_error_set(qerr, cls, "%s", error_get_pretty(err));
    error_free(err);
}

static const char *full_name(QapiPath *path)
{
    return path->full->len ? path->full->str : "null";
}

static const char *bare_name(QapiPath *path)
{
    return path->name ? path->name : "null";
}

static bool type_error(QapiPath *path, const char *expected, QmpError *err)
{
    qmp_error_setg(err, "Invalid parameter type for '%s', expected: %s", full_name(path), expected);
    return false;
}

/*
 * A JSON value's type; G_TYPE_UINT64 for an integer above INT64_MAX (the
 * reader's marked string node, see qmp_node_uint64).
 */
static GType value_type(JsonNode *value)
{
    if (!JSON_NODE_HOLDS_VALUE(value)) {
        return G_TYPE_INVALID;
    }
    return qmp_node_is_big_uint64(value) ? G_TYPE_UINT64 : json_node_get_value_type(value);
}

static bool is_number(JsonNode *value)
{
    GType t = value_type(value);

    return t == G_TYPE_INT64 || t == G_TYPE_UINT64 || t == G_TYPE_DOUBLE;
}

/* Signed integers: a JSON integer, then the range of the C type. */
static bool validate_int(QapiKind kind, JsonNode *value, QapiPath *path, QmpError *err)
{
    static const struct {
        int64_t min, max;
        const char *c_type;
    } ranges[] = {
        [QAPI_KIND_INT8] = { INT8_MIN, INT8_MAX, "int8_t" },
        [QAPI_KIND_INT16] = { INT16_MIN, INT16_MAX, "int16_t" },
        [QAPI_KIND_INT32] = { INT32_MIN, INT32_MAX, "int32_t" },
    };
    int64_t v;

    if (value_type(value) != G_TYPE_INT64) {
        return type_error(path, "integer", err);
    }
    v = json_node_get_int(value);
    if (kind != QAPI_KIND_INT && (v < ranges[kind].min || v > ranges[kind].max)) {
        qmp_error_setg(err, "Parameter '%s' expects %s", bare_name(path), ranges[kind].c_type);
        return false;
    }
    return true;
}

/*
 * Unsigned integers: any JSON integer from INT64_MIN to UINT64_MAX is taken
 * (a negative one wraps, as in QEMU), then the range of the C type.  QEMU
 * reads every width (and size) as a uint64 first: anything but such an
 * integer "expects uint64".  A value above INT64_MAX becomes an int64 node
 * with its bits, which the commands read back as (uint64_t)json_node_get_int.
 */
static bool validate_uint(QapiKind kind, JsonNode *value, QapiPath *path, QmpError *err)
{
    uint64_t v, max = UINT64_MAX;
    const char *c_type = NULL;

    if (value_type(value) != G_TYPE_INT64 && value_type(value) != G_TYPE_UINT64) {
        qmp_error_setg(err, "Parameter '%s' expects uint64", full_name(path));
        return false;
    }
    v = qmp_node_get_uint64(value);
    switch (kind) {
    case QAPI_KIND_UINT8:
        max = UINT8_MAX;
        c_type = "uint8_t";
        break;
    case QAPI_KIND_UINT16:
        max = UINT16_MAX;
        c_type = "uint16_t";
        break;
    case QAPI_KIND_UINT32:
        max = UINT32_MAX;
        c_type = "uint32_t";
        break;
    default:
        break;
    }
    if (v > max) {
        qmp_error_setg(err, "Parameter '%s' expects %s", bare_name(path), c_type);
        return false;
    }
    if (value_type(value) == G_TYPE_UINT64) {
        json_node_set_int(value, (int64_t)v);
    }
    return true;
}

static bool validate_enum(const QapiType *type, JsonNode *value, QapiPath *path, QmpError *err)
{
    const char *s;

    if (value_type(value) != G_TYPE_STRING) {
        return type_error(path, "string", err);
    }
    s = json_node_get_string(value);
    for (const char *const *v = type->values; *v; v++) {
        if (!strcmp(*v, s)) {
            return true;
        }
    }
    qmp_error_setg(err, "Parameter '%s' does not accept value '%s'", bare_name(path), s);
    return false;
}

/* Visit one member of an object: path gains ".name" (or "name" at the top). */
static bool validate_member(const QapiMember *m, JsonObject *obj, QapiPath *path, QmpError *err)
{
    JsonNode *value = json_object_get_member(obj, m->name);
    size_t len = path->full->len;
    const char *name = path->name;
    bool ok = true;

    if (len) {
        g_string_append_c(path->full, '.');
    }
    g_string_append(path->full, m->name);
    path->name = m->name;
    if (!value) {
        if (!m->optional) {
            qmp_error_setg(err, "Parameter '%s' is missing", path->full->str);
            ok = false;
        }
    } else {
        ok = validate(m->type, value, path, err);
    }
    g_string_truncate(path->full, len);
    path->name = name;
    return ok;
}

static bool member_known(const QapiType *type, const QapiType *variant, const char *name)
{
    for (unsigned i = 0; i < type->n_members; i++) {
        if (!strcmp(type->members[i].name, name)) {
            return true;
        }
    }
    return variant && member_known(variant, NULL, name);
}

static bool validate_fields(const QapiType *type, JsonObject *obj, QapiPath *path, QmpError *err)
{
    const QapiType *variant = NULL;
    g_autoptr(GList) keys = NULL;
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) order = NULL;

    for (unsigned i = 0; i < type->n_members; i++) {
        if (!validate_member(&type->members[i], obj, path, err)) {
            return false;
        }
    }
    if (type->tag) {
        /* The tag is a mandatory enum member, checked above. */
        const char *tag = json_object_get_string_member(obj, type->tag);

        for (unsigned i = 0; i < type->n_variants; i++) {
            if (!strcmp(type->variants[i].value, tag)) {
                variant = type->variants[i].type;
            }
        }
        for (unsigned i = 0; variant && i < variant->n_members; i++) {
            if (!validate_member(&variant->members[i], obj, path, err)) {
                return false;
            }
        }
    }
    /*
     * QEMU's visitor copies the keys into a GLib hash table (in the
     * object's own member order), removes the members it visits and names
     * the first key left in the table's slot order.
     */
    keys = json_object_get_members(obj);
    names = g_ptr_array_new();
    for (GList *l = keys; l; l = l->next) {
        g_ptr_array_add(names, l->data);
    }
    order = qom_children_order(names);
    for (guint i = 0; i < order->len; i++) {
        const char *key = g_ptr_array_index(order, i);

        if (!member_known(type, variant, key)) {
            qmp_error_setg(err, "Parameter '%s%s%s' is unexpected", path->full->str,
                           path->full->len ? "." : "", key);
            return false;
        }
    }
    return true;
}

static bool validate_array(const QapiType *type, JsonNode *value, QapiPath *path, QmpError *err)
{
    JsonArray *arr;
    size_t len = path->full->len;
    const char *name = path->name;
    bool ok = true;

    if (!JSON_NODE_HOLDS_ARRAY(value)) {
        return type_error(path, "array", err);
    }
    arr = json_node_get_array(value);
    path->name = NULL;
    for (guint i = 0; ok && i < json_array_get_length(arr); i++) {
        g_string_append_printf(path->full, "[%u]", i);
        ok = validate(type->element, json_array_get_element(arr, i), path, err);
        g_string_truncate(path->full, len);
    }
    path->name = name;
    return ok;
}

/* Which branch of an alternate a JSON value selects (QEMU picks by JSON type). */
static bool alternative_takes(const QapiType *alt, JsonNode *value)
{
    GType t = value_type(value);

    switch (alt->kind) {
    case QAPI_KIND_STR:
    case QAPI_KIND_ENUM:
        return t == G_TYPE_STRING;
    case QAPI_KIND_BOOL:
        return t == G_TYPE_BOOLEAN;
    case QAPI_KIND_NULL:
        return JSON_NODE_HOLDS_NULL(value);
    case QAPI_KIND_OBJECT:
        return JSON_NODE_HOLDS_OBJECT(value);
    case QAPI_KIND_ARRAY:
        return JSON_NODE_HOLDS_ARRAY(value);
    case QAPI_KIND_ANY:
    case QAPI_KIND_ALTERNATE:
        return false;
    default:
        return t == G_TYPE_INT64 || t == G_TYPE_UINT64 || t == G_TYPE_DOUBLE;
    }
}

static bool validate(const QapiType *type, JsonNode *value, QapiPath *path, QmpError *err)
{
    switch (type->kind) {
    case QAPI_KIND_INT:
    case QAPI_KIND_INT8:
    case QAPI_KIND_INT16:
    case QAPI_KIND_INT32:
        return validate_int(type->kind, value, path, err);
    case QAPI_KIND_UINT8:
    case QAPI_KIND_UINT16:
    case QAPI_KIND_UINT32:
    case QAPI_KIND_UINT64:
    case QAPI_KIND_SIZE:
        return validate_uint(type->kind, value, path, err);
    case QAPI_KIND_NUMBER:
        if (value_type(value) == G_TYPE_UINT64) {
            /* QEMU reads an unsigned integer as the double nearest it. */
            json_node_set_double(value, (double)qmp_node_get_uint64(value));
        }
        return is_number(value) || type_error(path, "number", err);
    case QAPI_KIND_STR:
        return value_type(value) == G_TYPE_STRING || type_error(path, "string", err);
    case QAPI_KIND_BOOL:
        return value_type(value) == G_TYPE_BOOLEAN || type_error(path, "boolean", err);
    case QAPI_KIND_NULL:
        return JSON_NODE_HOLDS_NULL(value) || type_error(path, "null", err);
    case QAPI_KIND_ANY:
        return true;
    case QAPI_KIND_ENUM:
        return validate_enum(type, value, path, err);
    case QAPI_KIND_OBJECT:
        if (!JSON_NODE_HOLDS_OBJECT(value)) {
            return type_error(path, "object", err);
        }
        return validate_fields(type, json_node_get_object(value), path, err);
    case QAPI_KIND_ARRAY:
        return validate_array(type, value, path, err);
    case QAPI_KIND_ALTERNATE:
        for (unsigned i = 0; i < type->n_alternatives; i++) {
            if (alternative_takes(type->alternatives[i], value)) {
                return validate(type->alternatives[i], value, path, err);
            }
        }
        qmp_error_setg(err, "Invalid parameter type for '%s', expected: %s", bare_name(path),
                       type->name);
        return false;
    }
    g_assert_not_reached();
}

bool qapi_validate(const QapiType *type, JsonNode *value, QmpError *err)
{
    QapiPath path = { g_string_new(NULL), NULL };
    bool ok = validate(type, value, &path, err);

    g_string_free(path.full, true);
    return ok;
}

/* A command's arguments; a NULL type takes none. */
bool qapi_validate_object(const QapiType *type, JsonObject *obj, QmpError *err)
{
    static const QapiType no_members = { .name = "q_empty", .kind = QAPI_KIND_OBJECT };
    QapiPath path = { g_string_new(NULL), NULL };
    bool ok = validate_fields(type ? type : &no_members, obj, &path, err);

    g_string_free(path.full, true);
    return ok;
}

/*
 * Helpers every QMP command handler shares: reply builders, optional
 * arguments with defaults, and lookups in the generated command table.
 */
#include "qapi/qmp.h"
#include "monitor/qmp-internal.h"

static void (*after_reply_fn)(void);

JsonNode *qmp_node_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

JsonNode *qmp_node_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

JsonNode *qmp_return_empty(void)
{
    return qmp_node_object(json_object_new());
}

JsonNode *qmp_node_string(const char *s)
{
    return json_node_init_string(json_node_alloc(), s);
}

JsonNode *qmp_node_int(int64_t v)
{
    return json_node_init_int(json_node_alloc(), v);
}

JsonNode *qmp_node_uint64(uint64_t v)
{
    g_autofree char *text = NULL;

    if (v <= INT64_MAX) {
        return qmp_node_int(v);
    }
    text = g_strdup_printf(QMP_UINT64_MARK "%" PRIu64, v);
    return qmp_node_string(text);
}

uint64_t qmp_node_get_uint64(JsonNode *node)
{
    const char *s;

    if (json_node_get_value_type(node) != G_TYPE_STRING) {
        return json_node_get_int(node);
    }
    s = json_node_get_string(node);
    if (!g_str_has_prefix(s, QMP_UINT64_MARK)) {
        return 0;
    }
    return g_ascii_strtoull(s + strlen(QMP_UINT64_MARK), NULL, 10);
}

bool qmp_node_is_big_uint64(JsonNode *node)
{
    return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING &&
           g_str_has_prefix(json_node_get_string(node), QMP_UINT64_MARK);
}

JsonNode *qmp_node_bool(bool v)
{
    return json_node_init_boolean(json_node_alloc(), v);
}

const char *qmp_arg_str(JsonObject *args, const char *name, const char *dflt)
{
    return json_object_has_member(args, name) ? json_object_get_string_member(args, name) : dflt;
}

int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt)
{
    return json_object_has_member(args, name) ? json_object_get_int_member(args, name) : dflt;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt)
{
    return json_object_has_member(args, name) ? json_object_get_boolean_member(args, name) : dflt;
}

const QmpCommand *qmp_command_find(const char *name)
{
    for (size_t i = 0; i < qmp_command_count; i++) {
        if (!strcmp(qmp_command_table[i].name, name)) {
            return &qmp_command_table[i];
        }
    }
    return NULL;
}

const QapiEvent *qapi_event_find(const char *name)
{
    for (size_t i = 0; i < qapi_event_count; i++) {
        if (!strcmp(qapi_event_table[i].name, name)) {
            return &qapi_event_table[i];
        }
    }
    return NULL;
}

void qmp_after_reply(void (*fn)(void))
{
    after_reply_fn = fn;
}

void (*qmp_take_after_reply(void))(void)
{
    void (*fn)(void) = after_reply_fn;

    after_reply_fn = NULL;
    return fn;
}

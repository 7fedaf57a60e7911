/*
 * The QMP schema from the outside: query-qmp-schema is well formed and in
 * QEMU 7.2's introspection format, query-commands lists exactly the schema's
 * commands, and arguments are checked against it with QEMU's messages.
 */
#include "libqtest.h"

#include <string.h>

static void assert_error(QTestState *qts, const char *cmd, const char *cls, const char *desc)
{
    JsonObject *r = qtest_qmp(qts, "%s", cmd);
    JsonObject *err = json_object_get_object_member(r, "error");

    if (!err) {
        g_error("%s: no error", cmd);
    }
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    json_object_unref(r);
}

/* The schema by name; the reply stays referenced by the table. */
typedef struct Schema {
    JsonObject *reply;
    GHashTable *by_name; /* name -> JsonObject */
} Schema;

static void schema_load(QTestState *qts, Schema *s)
{
    JsonArray *arr;

    s->reply = qtest_qmp(qts, "{\"execute\": \"query-qmp-schema\"}");
    arr = json_object_get_array_member(s->reply, "return");
    g_assert_nonnull(arr);
    s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *e = json_array_get_object_element(arr, i);
        const char *name = json_object_get_string_member(e, "name");

        /* Every entity appears once. */
        g_assert_false(g_hash_table_contains(s->by_name, name));
        g_hash_table_insert(s->by_name, (gpointer)name, e);
    }
}

static void schema_free(Schema *s)
{
    g_hash_table_unref(s->by_name);
    json_object_unref(s->reply);
}

static JsonObject *lookup(Schema *s, const char *name)
{
    JsonObject *e = g_hash_table_lookup(s->by_name, name);

    if (!e) {
        g_error("schema has no entity '%s'", name);
    }
    return e;
}

static const char *meta(JsonObject *e)
{
    return json_object_get_string_member(e, "meta-type");
}

static bool is_number(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

/* QEMU's format: which keys each meta-type has, and where names are masked. */
static void check_entity(Schema *s, JsonObject *e)
{
    const char *name = json_object_get_string_member(e, "name");
    const char *m = meta(e);

    if (!strcmp(m, "command") || !strcmp(m, "event")) {
        g_assert_false(is_number(name));
        lookup(s, json_object_get_string_member(e, "arg-type"));
        g_assert_cmpstr(meta(lookup(s, json_object_get_string_member(e, "arg-type"))), ==,
                        "object");
        if (!strcmp(m, "command")) {
            lookup(s, json_object_get_string_member(e, "ret-type"));
        } else {
            g_assert_false(json_object_has_member(e, "ret-type"));
        }
    } else if (!strcmp(m, "builtin")) {
        static const char *const json_types[] = { "string", "number", "int",   "boolean",
                                                  "null",   "object", "array", "value" };
        const char *jt = json_object_get_string_member(e, "json-type");
        bool known = false;

        for (size_t i = 0; i < G_N_ELEMENTS(json_types); i++) {
            known |= !strcmp(jt, json_types[i]);
        }
        g_assert_true(known);
        /* Every integer type is shown as int. */
        g_assert_true(strcmp(name, "uint8") && strcmp(name, "int64") && strcmp(name, "size"));
    } else if (!strcmp(m, "array")) {
        const char *el = json_object_get_string_member(e, "element-type");
        g_autofree char *want = g_strdup_printf("[%s]", el);

        g_assert_cmpstr(name, ==, want);
        lookup(s, el);
    } else if (!strcmp(m, "enum")) {
        JsonArray *members = json_object_get_array_member(e, "members");
        JsonArray *values = json_object_get_array_member(e, "values");

        g_assert_true(is_number(name));
        g_assert_cmpuint(json_array_get_length(members), ==, json_array_get_length(values));
        for (guint i = 0; i < json_array_get_length(values); i++) {
            g_assert_cmpstr(
                json_object_get_string_member(json_array_get_object_element(members, i), "name"),
                ==, json_array_get_string_element(values, i));
        }
    } else if (!strcmp(m, "object")) {
        JsonArray *members = json_object_get_array_member(e, "members");

        g_assert_true(is_number(name));
        for (guint i = 0; i < json_array_get_length(members); i++) {
            JsonObject *mem = json_array_get_object_element(members, i);

            lookup(s, json_object_get_string_member(mem, "type"));
            /* An optional member says "default": null. */
            if (json_object_has_member(mem, "default")) {
                g_assert_true(json_object_get_null_member(mem, "default"));
            }
        }
        if (json_object_has_member(e, "tag")) {
            JsonArray *variants = json_object_get_array_member(e, "variants");

            for (guint i = 0; i < json_array_get_length(variants); i++) {
                JsonObject *v = json_array_get_object_element(variants, i);

                lookup(s, json_object_get_string_member(v, "type"));
            }
        }
    } else if (!strcmp(m, "alternate")) {
        g_assert_true(is_number(name));
    } else {
        g_error("unknown meta-type %s", m);
    }
}

static void test_well_formed(void)
{
    QTestState *qts = qtest_init("");
    Schema s;
    GHashTableIter it;
    gpointer key, value;
    unsigned masked = 0;

    schema_load(qts, &s);
    g_hash_table_iter_init(&it, s.by_name);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        check_entity(&s, value);
        masked += is_number(key);
    }
    /* Masked names are 0..N-1, each used once. */
    for (unsigned i = 0; i < masked; i++) {
        g_autofree char *n = g_strdup_printf("%u", i);

        lookup(&s, n);
    }
    /* The builtins QMP uses are there under their own names. */
    g_assert_cmpstr(json_object_get_string_member(lookup(&s, "str"), "json-type"), ==, "string");
    g_assert_cmpstr(json_object_get_string_member(lookup(&s, "int"), "json-type"), ==, "int");
    g_assert_cmpstr(json_object_get_string_member(lookup(&s, "bool"), "json-type"), ==, "boolean");
    schema_free(&s);
    qtest_quit(qts);
}

/* Facts from QEMU 7.2's schema: shapes clients (libvirt) rely on. */
static void test_known_shapes(void)
{
    QTestState *qts = qtest_init("");
    Schema s;
    JsonObject *cmd, *ret, *arg, *m, *en;
    JsonArray *members;

    schema_load(qts, &s);
    cmd = lookup(&s, "query-status");
    g_assert_cmpstr(meta(cmd), ==, "command");
    /* No arguments: the empty object type. */
    arg = lookup(&s, json_object_get_string_member(cmd, "arg-type"));
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(arg, "members")), ==, 0);
    ret = lookup(&s, json_object_get_string_member(cmd, "ret-type"));
    members = json_object_get_array_member(ret, "members");
    g_assert_cmpuint(json_array_get_length(members), ==, 3);
    g_assert_cmpstr(
        json_object_get_string_member(json_array_get_object_element(members, 0), "name"), ==,
        "running");
    g_assert_cmpstr(
        json_object_get_string_member(json_array_get_object_element(members, 0), "type"), ==,
        "bool");
    m = json_array_get_object_element(members, 2);
    g_assert_cmpstr(json_object_get_string_member(m, "name"), ==, "status");
    en = lookup(&s, json_object_get_string_member(m, "type"));
    g_assert_cmpstr(meta(en), ==, "enum");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(en, "values")), ==, 16);

    /* qmp_capabilities takes an optional list of the enum ["oob"]. */
    cmd = lookup(&s, "qmp_capabilities");
    arg = lookup(&s, json_object_get_string_member(cmd, "arg-type"));
    m = json_array_get_object_element(json_object_get_array_member(arg, "members"), 0);
    g_assert_cmpstr(json_object_get_string_member(m, "name"), ==, "enable");
    g_assert_true(json_object_has_member(m, "default"));
    en = lookup(&s, json_object_get_string_member(
                        lookup(&s, json_object_get_string_member(m, "type")), "element-type"));
    g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(en, "values"), 0),
                    ==, "oob");

    /* A command's features and an event's data. */
    cmd = lookup(&s, "human-monitor-command");
    g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(cmd, "features"), 0),
                    ==, "savevm-monitor-nodes");
    g_assert_cmpstr(json_object_get_string_member(cmd, "ret-type"), ==, "str");
    cmd = lookup(&s, "SHUTDOWN");
    g_assert_cmpstr(meta(cmd), ==, "event");
    arg = lookup(&s, json_object_get_string_member(cmd, "arg-type"));
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(arg, "members")), ==, 2);
    schema_free(&s);
    qtest_quit(qts);
}

/* The first mandatory member of a command's arguments, or NULL. */
static const char *first_mandatory(Schema *s, JsonObject *cmd)
{
    JsonObject *arg = lookup(s, json_object_get_string_member(cmd, "arg-type"));
    JsonArray *members = json_object_get_array_member(arg, "members");

    for (guint i = 0; i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);

        if (!json_object_has_member(m, "default")) {
            return json_object_get_string_member(m, "name");
        }
    }
    return NULL;
}

/* query-commands and the schema's commands are the same set, and each is dispatched. */
static void test_commands_match(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-commands\"}");
    JsonArray *cmds = json_object_get_array_member(r, "return");
    g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer key, value;
    Schema s;

    schema_load(qts, &s);
    for (guint i = 0; i < json_array_get_length(cmds); i++) {
        const char *name =
            json_object_get_string_member(json_array_get_object_element(cmds, i), "name");
        JsonObject *cmd = lookup(&s, name);
        const char *mandatory = first_mandatory(&s, cmd);
        g_autofree char *req = NULL;
        g_autofree char *want = NULL;

        g_assert_cmpstr(meta(cmd), ==, "command");
        g_assert_false(g_hash_table_contains(listed, name));
        g_hash_table_add(listed, (gpointer)name);
        if (!strcmp(name, "qmp_capabilities")) {
            continue;
        }
        /* Checked against its schema before it runs: nothing is executed. */
        req = g_strdup_printf("{\"execute\": \"%s\", \"arguments\": {\"bogus-arg\": 1}}", name);
        if (mandatory) {
            want = g_strdup_printf("Parameter '%s' is missing", mandatory);
        } else {
            want = g_strdup("Parameter 'bogus-arg' is unexpected");
        }
        assert_error(qts, req, "GenericError", want);
    }
    g_hash_table_iter_init(&it, s.by_name);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        if (!strcmp(meta(value), "command")) {
            g_assert_true(g_hash_table_contains(listed, key));
        }
    }
    schema_free(&s);
    json_object_unref(r);
    qtest_quit(qts);
}

/* Argument errors, each text as QEMU 7.2 answers it. */
static void test_argument_errors(void)
{
    QTestState *qts = qtest_init("");

    assert_error(qts, "{\"execute\": \"human-monitor-command\"}", "GenericError",
                 "Parameter 'command-line' is missing");
    assert_error(qts,
                 "{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": 1}}",
                 "GenericError", "Invalid parameter type for 'command-line', expected: string");
    assert_error(qts,
                 "{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": \"x\", \"cpu-index\": \"a\"}}",
                 "GenericError", "Invalid parameter type for 'cpu-index', expected: integer");
    assert_error(qts,
                 "{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": \"x\", \"cpu-index\": 1.5}}",
                 "GenericError", "Invalid parameter type for 'cpu-index', expected: integer");
    assert_error(qts,
                 "{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": \"x\", \"zz\": 0}}",
                 "GenericError", "Parameter 'zz' is unexpected");
    assert_error(qts, "{\"execute\": \"query-status\", \"arguments\": {\"a\": null}}",
                 "GenericError", "Parameter 'a' is unexpected");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-schema/well-formed", test_well_formed);
    g_test_add_func("/qmp-schema/known-shapes", test_known_shapes);
    g_test_add_func("/qmp-schema/commands-match", test_commands_match);
    g_test_add_func("/qmp-schema/argument-errors", test_argument_errors);
    return g_test_run();
}

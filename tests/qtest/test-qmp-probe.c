/*
 * The QMP commands libvirt's capability probing sends, with the replies and
 * errors QEMU 7.2 gives (texts checked against Debian's QEMU 7.2).
 */
#include "libqtest.h"

#include <string.h>

static JsonObject *qmp_ok(QTestState *qts, const char *cmd)
{
    JsonObject *r = qtest_qmp(qts, "%s", cmd);

    if (!json_object_has_member(r, "return")) {
        g_error("%s: no return", cmd);
    }
    return r;
}

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

/* The element of a list of objects whose "name" is name, or NULL. */
static JsonObject *find_named(JsonArray *arr, const char *key, const char *name)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!strcmp(json_object_get_string_member(o, key), name)) {
            return o;
        }
    }
    return NULL;
}

static void test_qom_list_types(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qmp_ok(qts, "{\"execute\": \"qom-list-types\"}");
    JsonArray *arr = json_object_get_array_member(r, "return");
    JsonObject *t;

    t = find_named(arr, "name", "pseries-7.2-machine");
    g_assert_nonnull(t);
    g_assert_cmpstr(json_object_get_string_member(t, "parent"), ==, "spapr-machine");
    g_assert_nonnull(find_named(arr, "name", "tcg-accel"));
    g_assert_nonnull(find_named(arr, "name", "spapr-vty"));
    /* Abstract types only when asked for. */
    g_assert_null(find_named(arr, "name", "device"));
    json_object_unref(r);

    r = qmp_ok(qts, "{\"execute\": \"qom-list-types\", \"arguments\": "
                    "{\"implements\": \"machine\", \"abstract\": true}}");
    arr = json_object_get_array_member(r, "return");
    t = find_named(arr, "name", "spapr-machine");
    g_assert_nonnull(t);
    g_assert_true(json_object_get_boolean_member(t, "abstract"));
    g_assert_null(find_named(arr, "name", "spapr-vty"));
    json_object_unref(r);

    r = qmp_ok(qts, "{\"execute\": \"qom-list-types\", \"arguments\": {\"implements\": \"nope\"}}");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(r, "return")), ==, 0);
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_device_list_properties(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qmp_ok(qts, "{\"execute\": \"device-list-properties\", \"arguments\": "
                                "{\"typename\": \"spapr-vty\"}}");
    JsonArray *arr = json_object_get_array_member(r, "return");
    JsonObject *p;

    /* QEMU 7.2: chardev (str) and reg (uint32, default 0xffffffff). */
    p = find_named(arr, "name", "reg");
    g_assert_nonnull(p);
    g_assert_cmpstr(json_object_get_string_member(p, "type"), ==, "uint32");
    g_assert_cmpint(json_object_get_int_member(p, "default-value"), ==, 4294967295LL);
    p = find_named(arr, "name", "chardev");
    g_assert_nonnull(p);
    g_assert_cmpstr(json_object_get_string_member(p, "type"), ==, "str");
    json_object_unref(r);

    assert_error(qts,
                 "{\"execute\": \"device-list-properties\", \"arguments\": "
                 "{\"typename\": \"virtio-net-ccw\"}}",
                 "DeviceNotFound", "Device 'virtio-net-ccw' not found");
    assert_error(qts,
                 "{\"execute\": \"device-list-properties\", \"arguments\": "
                 "{\"typename\": \"pseries-7.2-machine\"}}",
                 "GenericError", "Parameter 'typename' expects a non-abstract device type");
    assert_error(qts,
                 "{\"execute\": \"qom-list-properties\", \"arguments\": "
                 "{\"typename\": \"nope\"}}",
                 "DeviceNotFound", "Class 'nope' not found");

    /* A machine type's properties, as -machine TYPE,help lists them. */
    r = qmp_ok(qts, "{\"execute\": \"qom-list-properties\", \"arguments\": "
                    "{\"typename\": \"pseries-7.2-machine\"}}");
    arr = json_object_get_array_member(r, "return");
    g_assert_nonnull(find_named(arr, "name", "type"));
    p = find_named(arr, "name", "cap-hpt-max-page-size");
    g_assert_nonnull(p);
    g_assert_cmpstr(json_object_get_string_member(p, "type"), ==, "int");
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_qom_tree(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qmp_ok(qts, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/\"}}");
    JsonArray *arr = json_object_get_array_member(r, "return");
    JsonObject *p = find_named(arr, "name", "machine");

    g_assert_nonnull(p);
    g_assert_cmpstr(json_object_get_string_member(p, "type"), ==, "child<pseries-7.2-machine>");
    json_object_unref(r);
    r = qmp_ok(qts, "{\"execute\": \"qom-get\", \"arguments\": "
                    "{\"path\": \"/machine\", \"property\": \"type\"}}");
    g_assert_cmpstr(json_object_get_string_member(r, "return"), ==, "pseries-7.2-machine");
    json_object_unref(r);
    assert_error(qts, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/nope\"}}",
                 "DeviceNotFound", "Device '/nope' not found");
    assert_error(qts,
                 "{\"execute\": \"qom-get\", \"arguments\": "
                 "{\"path\": \"/nope\", \"property\": \"type\"}}",
                 "DeviceNotFound", "Device '/nope' not found");
    qtest_quit(qts);
}

static void test_probe_queries(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r, *o;
    JsonArray *arr;

    r = qmp_ok(qts, "{\"execute\": \"query-cpu-definitions\"}");
    arr = json_object_get_array_member(r, "return");
    o = find_named(arr, "name", "power9");
    g_assert_nonnull(o);
    g_assert_cmpstr(json_object_get_string_member(o, "typename"), ==, "power9_v2.0-powerpc64-cpu");
    g_assert_false(json_object_get_boolean_member(o, "static"));
    /* QEMU 7.2 gives the versioned models an empty typename. */
    o = find_named(arr, "name", "power9_v2.0");
    g_assert_nonnull(o);
    g_assert_cmpstr(json_object_get_string_member(o, "typename"), ==, "");
    json_object_unref(r);

    r = qmp_ok(qts, "{\"execute\": \"query-tpm-models\"}");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(r, "return")), ==, 0);
    json_object_unref(r);
    r = qmp_ok(qts, "{\"execute\": \"query-tpm-types\"}");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(r, "return")), ==, 0);
    json_object_unref(r);

    r = qmp_ok(qts, "{\"execute\": \"query-command-line-options\", \"arguments\": "
                    "{\"option\": \"boot-opts\"}}");
    arr = json_object_get_array_member(r, "return");
    g_assert_cmpuint(json_array_get_length(arr), ==, 1);
    o = json_array_get_object_element(arr, 0);
    g_assert_cmpstr(json_object_get_string_member(o, "option"), ==, "boot-opts");
    g_assert_nonnull(find_named(json_object_get_array_member(o, "parameters"), "name", "menu"));
    json_object_unref(r);
    assert_error(qts,
                 "{\"execute\": \"query-command-line-options\", \"arguments\": "
                 "{\"option\": \"nope\"}}",
                 "GenericError", "invalid option name: nope");

    assert_error(qts, "{\"execute\": \"screendump\", \"arguments\": {\"filename\": \"/x\"}}",
                 "GenericError", "There is no console to take a screendump from");
    r = qmp_ok(qts, "{\"execute\": \"query-memory-size-summary\"}");
    o = json_object_get_object_member(r, "return");
    /* libqtest's machine has QEMU's default 512 MiB. */
    g_assert_cmpint(json_object_get_int_member(o, "base-memory"), ==, 512 * 1024 * 1024);
    g_assert_cmpint(json_object_get_int_member(o, "plugged-memory"), ==, 0);
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_migrate_capabilities(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qmp_ok(qts, "{\"execute\": \"query-migrate-capabilities\"}");
    JsonArray *arr = json_object_get_array_member(r, "return");
    JsonObject *c = find_named(arr, "capability", "events");

    g_assert_cmpuint(json_array_get_length(arr), ==, 21);
    g_assert_false(json_object_get_boolean_member(c, "state"));
    json_object_unref(r);
    json_object_unref(qmp_ok(qts, "{\"execute\": \"migrate-set-capabilities\", \"arguments\": "
                                  "{\"capabilities\": [{\"capability\": \"events\", "
                                  "\"state\": true}]}}"));
    r = qmp_ok(qts, "{\"execute\": \"query-migrate-capabilities\"}");
    c = find_named(json_object_get_array_member(r, "return"), "capability", "events");
    g_assert_true(json_object_get_boolean_member(c, "state"));
    json_object_unref(r);
    assert_error(qts,
                 "{\"execute\": \"migrate-set-capabilities\", \"arguments\": "
                 "{\"capabilities\": [{\"capability\": \"xbzrle\"}]}}",
                 "GenericError", "Parameter 'capabilities[0].state' is missing");
    assert_error(qts,
                 "{\"execute\": \"migrate-set-capabilities\", \"arguments\": "
                 "{\"capabilities\": [{\"capability\": \"xbzrlex\", \"state\": true}]}}",
                 "GenericError", "Parameter 'capability' does not accept value 'xbzrlex'");
    assert_error(qts,
                 "{\"execute\": \"migrate-set-capabilities\", \"arguments\": "
                 "{\"capabilities\": [1]}}",
                 "GenericError", "Invalid parameter type for 'capabilities[0]', expected: object");
    assert_error(qts,
                 "{\"execute\": \"migrate-set-capabilities\", \"arguments\": "
                 "{\"capabilities\": [{\"capability\": \"xbzrle\", \"state\": true, "
                 "\"zz\": 1}]}}",
                 "GenericError", "Parameter 'capabilities[0].zz' is unexpected");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-probe/qom-list-types", test_qom_list_types);
    g_test_add_func("/qmp-probe/device-list-properties", test_device_list_properties);
    g_test_add_func("/qmp-probe/qom-tree", test_qom_tree);
    g_test_add_func("/qmp-probe/queries", test_probe_queries);
    g_test_add_func("/qmp-probe/migrate-capabilities", test_migrate_capabilities);
    return g_test_run();
}

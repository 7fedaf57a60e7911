/*
 * The QMP balloon commands (balloon, query-balloon, the balloon's QOM
 * properties) and the virtio-serial command lines, on the real binary, with
 * QEMU 7.2's replies and errors.
 */
#include "libqtest.h"
#include <unistd.h>

#define MiB (1024 * 1024)

static void expect_error(JsonObject *r, const char *cls, const char *desc)
{
    JsonObject *e;

    g_assert_true(json_object_has_member(r, "error"));
    e = json_object_get_object_member(r, "error");
    g_assert_cmpstr(json_object_get_string_member(e, "class"), ==, cls);
    g_assert_cmpstr(json_object_get_string_member(e, "desc"), ==, desc);
    json_object_unref(r);
}

static JsonObject *ret_object(JsonObject *r)
{
    g_assert_true(json_object_has_member(r, "return"));
    return json_object_get_object_member(r, "return");
}

/* Without a balloon both commands fail as in QEMU. */
static void test_no_balloon(void)
{
    QTestState *qts = qtest_init("-m 1G");

    expect_error(qtest_qmp(qts, "{\"execute\": \"query-balloon\"}"), "DeviceNotActive",
                 "No balloon device has been activated");
    expect_error(qtest_qmp(qts, "{\"execute\": \"balloon\", \"arguments\": {\"value\": 1}}"),
                 "DeviceNotActive", "No balloon device has been activated");
    /* The argument checks come first. */
    expect_error(qtest_qmp(qts, "{\"execute\": \"balloon\"}"), "GenericError",
                 "Parameter 'value' is missing");
    qtest_quit(qts);
}

static void test_balloon(void)
{
    QTestState *qts = qtest_init("-m 1G -device virtio-balloon-pci,id=b");
    JsonObject *r;

    r = qtest_qmp(qts, "{\"execute\": \"query-balloon\"}");
    g_assert_cmpint(json_object_get_int_member(ret_object(r), "actual"), ==, 1024 * MiB);
    json_object_unref(r);
    expect_error(qtest_qmp(qts, "{\"execute\": \"balloon\", \"arguments\": {\"value\": 0}}"),
                 "GenericError", "Parameter 'target' expects a size");
    expect_error(qtest_qmp(qts, "{\"execute\": \"balloon\", \"arguments\": {\"value\": -5}}"),
                 "GenericError", "Parameter 'target' expects a size");
    expect_error(qtest_qmp(qts, "{\"execute\": \"balloon\", \"arguments\": {\"value\": \"x\"}}"),
                 "GenericError", "Invalid parameter type for 'value', expected: integer");
    r = qtest_qmp(qts, "{\"execute\": \"balloon\", \"arguments\": {\"value\": 805306368}}");
    g_assert_cmpuint(json_object_get_size(ret_object(r)), ==, 0);
    json_object_unref(r);
    /* Without a driver nothing changes: actual is what the guest reported. */
    r = qtest_qmp(qts, "{\"execute\": \"query-balloon\"}");
    g_assert_cmpint(json_object_get_int_member(ret_object(r), "actual"), ==, 1024 * MiB);
    json_object_unref(r);

    /* The QOM-only properties. */
    r = qtest_qmp(qts, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/b\", \"property\": \"guest-stats\"}}");
    g_assert_cmpint(json_object_get_int_member(ret_object(r), "last-update"), ==, 0);
    g_assert_cmpuint(json_object_get_size(json_object_get_object_member(ret_object(r), "stats")),
                     ==, 10);
    json_object_unref(r);
    expect_error(qtest_qmp(qts, "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                                "\"/machine/peripheral/b\", \"property\": "
                                "\"guest-stats-polling-interval\", \"value\": -1}}"),
                 "GenericError", "timer value must be greater than zero");
    r = qtest_qmp(qts, "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/b\", \"property\": "
                       "\"guest-stats-polling-interval\", \"value\": 5}}");
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    r = qtest_qmp(qts, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/b\", \"property\": "
                       "\"guest-stats-polling-interval\"}}");
    g_assert_cmpint(json_object_get_int_member(r, "return"), ==, 5);
    json_object_unref(r);
    qtest_quit(qts);
}

/* libvirt's guest agent channel and console, exactly as libvirt writes them. */
static void test_serial_cmdline(void)
{
    g_autofree char *dir = g_dir_make_tmp("vdev-XXXXXX", NULL);
    g_autofree char *args = g_strdup_printf(
        "-chardev socket,id=charchannel0,path=%s/qga.sock,server=on,wait=off "
        "-chardev null,id=c0 "
        "-device virtio-serial-pci,id=virtio-serial0 "
        "-device virtconsole,chardev=c0,id=console1 "
        "-device virtserialport,bus=virtio-serial0.0,nr=1,chardev=charchannel0,id=channel0,"
        "name=org.qemu.guest_agent.0",
        dir);
    QTestState *qts = qtest_init(args);
    JsonObject *r;

    r = qtest_qmp(qts, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/channel0\", \"property\": \"nr\"}}");
    g_assert_cmpint(json_object_get_int_member(r, "return"), ==, 1);
    json_object_unref(r);
    r = qtest_qmp(qts, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/console1\", \"property\": \"nr\"}}");
    g_assert_cmpint(json_object_get_int_member(r, "return"), ==, 0);
    json_object_unref(r);
    r = qtest_qmp(qts, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                       "\"/machine/peripheral/channel0\", \"property\": \"name\"}}");
    g_assert_cmpstr(json_object_get_string_member(r, "return"), ==, "org.qemu.guest_agent.0");
    json_object_unref(r);
    qtest_quit(qts);
    rmdir(dir);
}

static void expect_exit(const char *args, const char *err_line)
{
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run(args, NULL, &err), ==, 1);
    g_assert_cmpstr(err, ==, err_line);
}

static void test_serial_errors(void)
{
    expect_exit("-M pseries -device virtconsole",
                "qemu-system-ppc64: -device virtconsole: No 'virtio-serial-bus' bus found for "
                "device 'virtconsole'\n");
    expect_exit("-M pseries -device virtio-serial-pci -device virtserialport,bus=foo.0",
                "qemu-system-ppc64: -device virtserialport,bus=foo.0: Bus 'foo.0' not found\n");
    expect_exit("-M pseries -device virtio-serial-pci -device virtserialport,nr=31",
                "qemu-system-ppc64: -device virtserialport,nr=31: virtio-serial-bus: "
                "Out-of-range port id specified, max. allowed: 30\n");
    expect_exit("-M pseries -device virtio-serial-pci -device virtserialport,chardev=nope",
                "qemu-system-ppc64: -device virtserialport,chardev=nope: Property "
                "'virtserialport.chardev' can't find value 'nope'\n");
    expect_exit("-M pseries -device virtio-balloon-pci -device virtio-balloon-pci",
                "qemu-system-ppc64: -device virtio-balloon-pci: Only one balloon device is "
                "supported\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vdev/no-balloon", test_no_balloon);
    g_test_add_func("/vdev/balloon", test_balloon);
    g_test_add_func("/vdev/serial-cmdline", test_serial_cmdline);
    g_test_add_func("/vdev/serial-errors", test_serial_errors);
    return g_test_run();
}

/*
 * QMP monitor tests against the real binary: libqtest's standard command
 * line, each command's reply, events, and a raw-socket battery of bad input.
 */
#include "libqtest.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>

#define RAW_WAIT_MS 30000

/* ---- Helpers on top of libqtest ----------------------------------------- */

static JsonObject *ret_object(JsonObject *reply)
{
    g_assert_true(json_object_has_member(reply, "return"));
    return json_object_get_object_member(reply, "return");
}

static void assert_qmp_error(JsonObject *reply, const char *cls, const char *desc)
{
    JsonObject *err = json_object_get_object_member(reply, "error");

    g_assert_nonnull(err);
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    if (desc) {
        g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    }
}

static char *query_status(QTestState *qts, bool *running)
{
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-status\"}");
    JsonObject *ret = ret_object(r);
    char *status = g_strdup(json_object_get_string_member(ret, "status"));

    g_assert_false(json_object_get_boolean_member(ret, "singlestep"));
    *running = json_object_get_boolean_member(ret, "running");
    json_object_unref(r);
    return status;
}

static void assert_return_empty(JsonObject *reply)
{
    g_assert_cmpuint(json_object_get_size(ret_object(reply)), ==, 0);
    json_object_unref(reply);
}

/* ---- A raw QMP client (byte-exact writes, pre-negotiation state) --------- */

typedef struct RawQmp {
    GSubprocess *proc;
    char *dir;
    char *path;
    int fd;
    GString *in;
} RawQmp;

static int raw_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    gint64 deadline = g_get_monotonic_time() + RAW_WAIT_MS * 1000LL;

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    while (g_get_monotonic_time() < deadline) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        g_assert_cmpint(fd, >=, 0);
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            return fd;
        }
        close(fd);
        g_usleep(20 * 1000);
    }
    g_error("cannot connect to the QMP socket %s", path);
}

/* Start the binary with a QMP server socket and connect to it. */
static RawQmp *raw_start(const char *qmp_opt, const char *extra)
{
    RawQmp *r = g_new0(RawQmp, 1);
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) extra_args = g_strsplit(extra, " ", -1);
    const char *base[] = { "-display", "none", "-machine", "pseries", "-S", "-nodefaults" };

    r->dir = g_dir_make_tmp("test-qmp-XXXXXX", &err);
    g_assert_no_error(err);
    r->path = g_build_filename(r->dir, "qmp.sock", NULL);
    g_ptr_array_add(argv, g_strdup(qtest_binary()));
    for (size_t i = 0; i < G_N_ELEMENTS(base); i++) {
        g_ptr_array_add(argv, g_strdup(base[i]));
    }
    g_ptr_array_add(argv, g_strdup(qmp_opt));
    g_ptr_array_add(argv, g_strdup_printf("unix:%s,server=on,wait=off", r->path));
    for (char **a = extra_args; *a; a++) {
        if (**a) {
            g_ptr_array_add(argv, g_strdup(*a));
        }
    }
    g_ptr_array_add(argv, NULL);
    r->proc =
        g_subprocess_newv((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_STDIN_INHERIT, &err);
    g_assert_no_error(err);
    r->fd = raw_connect(r->path);
    r->in = g_string_new(NULL);
    return r;
}

static void raw_send(RawQmp *r, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(r->fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

static void raw_send_str(RawQmp *r, const char *text)
{
    raw_send(r, text, strlen(text));
}

/* The next CRLF-terminated line from the server (g_free it). */
static char *raw_line(RawQmp *r)
{
    gint64 deadline = g_get_monotonic_time() + RAW_WAIT_MS * 1000LL;

    for (;;) {
        char *nl = memchr(r->in->str, '\n', r->in->len);
        struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
        char buf[65536];
        ssize_t n;
        int left;

        if (nl) {
            size_t len = nl - r->in->str + 1;
            char *line = g_strndup(r->in->str, len);

            g_string_erase(r->in, 0, len);
            return line;
        }
        left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            g_error("no QMP reply within %d ms", RAW_WAIT_MS);
        }
        n = recv(r->fd, buf, sizeof(buf), 0);
        if (n <= 0) {
            g_error("QMP connection closed");
        }
        g_string_append_len(r->in, buf, n);
    }
}

static JsonObject *parse_line(const char *line)
{
    g_autoptr(JsonParser) p = json_parser_new();
    JsonNode *root;

    g_assert_true(g_str_has_suffix(line, "\r\n"));
    g_assert_true(json_parser_load_from_data(p, line, -1, NULL));
    root = json_parser_get_root(p);
    g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
    return json_object_ref(json_node_get_object(root));
}

/* The next reply, skipping events. */
static JsonObject *raw_reply(RawQmp *r)
{
    for (;;) {
        g_autofree char *line = raw_line(r);
        JsonObject *obj = parse_line(line);

        if (!json_object_has_member(obj, "event")) {
            return obj;
        }
        json_object_unref(obj);
    }
}

static JsonObject *raw_cmd(RawQmp *r, const char *text)
{
    raw_send_str(r, text);
    return raw_reply(r);
}

static void raw_expect_error(RawQmp *r, const char *text, const char *cls, const char *desc)
{
    JsonObject *reply = raw_cmd(r, text);

    assert_qmp_error(reply, cls, desc);
    json_object_unref(reply);
}

static void raw_greeting(RawQmp *r)
{
    JsonObject *g = raw_reply(r);

    g_assert_true(json_object_has_member(g, "QMP"));
    json_object_unref(g);
}

static void raw_negotiate(RawQmp *r)
{
    raw_greeting(r);
    assert_return_empty(raw_cmd(r, "{\"execute\": \"qmp_capabilities\"}"));
}

/*
 * Prove the session is usable and in step: every reply before the one
 * tagged with this id must be an error (for the bad input sent before).
 */
static void raw_sync(RawQmp *r, const char *id)
{
    g_autofree char *cmd = g_strdup_printf("{\"execute\": \"query-target\", \"id\": \"%s\"}", id);

    raw_send_str(r, cmd);
    for (;;) {
        JsonObject *reply = raw_reply(r);
        JsonNode *rid = json_object_get_member(reply, "id");

        if (rid && JSON_NODE_HOLDS_VALUE(rid) && !g_strcmp0(json_node_get_string(rid), id)) {
            g_assert_cmpstr(json_object_get_string_member(ret_object(reply), "arch"), ==, "ppc64");
            json_object_unref(reply);
            return;
        }
        assert_qmp_error(reply, "GenericError", NULL);
        json_object_unref(reply);
    }
}

static void raw_free(RawQmp *r)
{
    close(r->fd);
    unlink(r->path);
    rmdir(r->dir);
    g_object_unref(r->proc);
    g_string_free(r->in, true);
    g_free(r->path);
    g_free(r->dir);
    g_free(r);
}

/* The process must end by itself, with status 0. */
static void raw_expect_exit0(RawQmp *r)
{
    g_autoptr(GError) err = NULL;

    g_subprocess_wait(r->proc, NULL, &err);
    g_assert_no_error(err);
    g_assert_true(g_subprocess_get_if_exited(r->proc));
    g_assert_cmpint(g_subprocess_get_exit_status(r->proc), ==, 0);
}

static void raw_finish(RawQmp *r)
{
    assert_return_empty(raw_cmd(r, "{\"execute\": \"quit\"}"));
    raw_expect_exit0(r);
    raw_free(r);
}

/* ---- Tests through libqtest ---------------------------------------------- */

static void test_greeting(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *qmp = json_object_get_object_member(qtest_qmp_greeting(qts), "QMP");
    JsonObject *ver = json_object_get_object_member(qmp, "version");
    JsonObject *qemu = json_object_get_object_member(ver, "qemu");
    JsonArray *caps = json_object_get_array_member(qmp, "capabilities");
    JsonObject *r;

    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 7);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(qemu, "micro"), ==, 22);
    g_assert_nonnull(json_object_get_string_member(ver, "package"));
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");

    /* query-version says the same. */
    r = qtest_qmp(qts, "{\"execute\": \"query-version\"}");
    qemu = json_object_get_object_member(ret_object(r), "qemu");
    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 7);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(qemu, "micro"), ==, 22);
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_query_commands(void)
{
    static const char *const expected[] = {
        "qmp_capabilities", "query-version",    "query-status", "query-commands",
        "query-machines",   "query-name",       "query-kvm",    "query-target",
        "query-uuid",       "query-cpus-fast",  "stop",         "cont",
        "system_reset",     "system_powerdown", "quit",         "human-monitor-command",
    };
    QTestState *qts = qtest_init("");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-commands\"}");
    JsonArray *cmds = json_object_get_array_member(r, "return");
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

    g_assert_nonnull(cmds);
    for (guint i = 0; i < json_array_get_length(cmds); i++) {
        JsonObject *c = json_array_get_object_element(cmds, i);

        g_hash_table_add(names, (gpointer)json_object_get_string_member(c, "name"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        g_assert_true(g_hash_table_contains(names, expected[i]));
    }
    /* Each listed command is dispatched: test-qmp-schema (commands-match). */
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_simple_queries(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r, *ret;

    r = qtest_qmp(qts, "{\"execute\": \"query-kvm\"}");
    ret = ret_object(r);
    g_assert_false(json_object_get_boolean_member(ret, "enabled"));
    g_assert_false(json_object_get_boolean_member(ret, "present"));
    json_object_unref(r);

    r = qtest_qmp(qts, "{\"execute\": \"query-target\"}");
    g_assert_cmpstr(json_object_get_string_member(ret_object(r), "arch"), ==, "ppc64");
    json_object_unref(r);

    r = qtest_qmp(qts, "{\"execute\": \"query-uuid\"}");
    g_assert_cmpstr(json_object_get_string_member(ret_object(r), "UUID"), ==,
                    "00000000-0000-0000-0000-000000000000");
    json_object_unref(r);

    /* No -name: an empty object. */
    r = qtest_qmp(qts, "{\"execute\": \"query-name\"}");
    g_assert_cmpuint(json_object_get_size(ret_object(r)), ==, 0);
    json_object_unref(r);

    /* HMP through QMP: QEMU's text, lines ending in CR LF. */
    r = qtest_qmp(qts, "{\"execute\": \"human-monitor-command\", "
                       "\"arguments\": {\"command-line\": \"info status\"}}");
    g_assert_true(g_str_has_prefix(json_object_get_string_member(r, "return"), "VM status: "));
    g_assert_true(g_str_has_suffix(json_object_get_string_member(r, "return"), "\r\n"));
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_query_uuid(void)
{
    QTestState *qts = qtest_init("-uuid 5B1D2A6E-0C3F-4D2C-9B6A-1F2E3D4C5B6A");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-uuid\"}");

    g_assert_cmpstr(json_object_get_string_member(ret_object(r), "UUID"), ==,
                    "5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a");
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_query_name(void)
{
    QTestState *qts = qtest_init("-name guest=vm-under-test");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-name\"}");

    g_assert_cmpstr(json_object_get_string_member(ret_object(r), "name"), ==, "vm-under-test");
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_query_machines(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-machines\"}");
    JsonArray *arr = json_object_get_array_member(r, "return");
    int defaults = 0;
    bool seen_alias = false;

    g_assert_nonnull(arr);
    g_assert_cmpuint(json_array_get_length(arr), >=, 1);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *m = json_array_get_object_element(arr, i);
        const char *name = json_object_get_string_member(m, "name");

        g_assert_nonnull(name);
        g_assert_true(json_object_has_member(m, "cpu-max"));
        g_assert_true(json_object_has_member(m, "hotpluggable-cpus"));
        g_assert_true(json_object_has_member(m, "numa-mem-supported"));
        g_assert_false(json_object_get_boolean_member(m, "deprecated"));
        g_assert_true(json_object_has_member(m, "default-ram-id"));
        if (json_object_has_member(m, "is-default")) {
            g_assert_true(json_object_get_boolean_member(m, "is-default"));
            defaults++;
        }
        if (g_str_has_prefix(name, "pseries")) {
            g_assert_cmpstr(json_object_get_string_member(m, "default-ram-id"), ==,
                            "ppc_spapr.ram");
            g_assert_true(g_str_has_suffix(json_object_get_string_member(m, "default-cpu-type"),
                                           "-powerpc64-cpu"));
            g_assert_cmpint(json_object_get_int_member(m, "cpu-max"), ==, 4096);
        }
        if (!g_strcmp0(json_object_get_string_member_with_default(m, "alias", NULL), "pseries")) {
            seen_alias = true;
            g_assert_true(json_object_get_boolean_member_with_default(m, "is-default", false));
        }
    }
    g_assert_cmpint(defaults, ==, 1);
    g_assert_true(seen_alias);
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_query_cpus_fast(void)
{
    QTestState *qts = qtest_init("-smp 3");
    JsonObject *r = qtest_qmp(qts, "{\"execute\": \"query-cpus-fast\"}");
    JsonArray *arr = json_object_get_array_member(r, "return");

    g_assert_nonnull(arr);
    g_assert_cmpuint(json_array_get_length(arr), ==, 3);
    for (guint i = 0; i < 3; i++) {
        JsonObject *c = json_array_get_object_element(arr, i);

        g_assert_cmpint(json_object_get_int_member(c, "cpu-index"), ==, i);
        g_assert_cmpstr(json_object_get_string_member(c, "target"), ==, "ppc64");
        g_assert_true(g_str_has_prefix(json_object_get_string_member(c, "qom-path"), "/machine/"));
        g_assert_cmpint(json_object_get_int_member(c, "thread-id"), >, 0);
    }
    json_object_unref(r);
    qtest_quit(qts);
}

static void test_stop_cont(void)
{
    QTestState *qts = qtest_init("");
    g_autofree char *st1 = NULL, *st2 = NULL, *st3 = NULL, *st4 = NULL;
    bool running;
    JsonObject *ev;

    st1 = query_status(qts, &running);
    g_assert_cmpstr(st1, ==, "running");
    g_assert_true(running);

    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"stop\"}"));
    ev = qtest_qmp_eventwait(qts, "STOP");
    g_assert_true(json_object_has_member(ev, "timestamp"));
    json_object_unref(ev);
    st2 = query_status(qts, &running);
    g_assert_cmpstr(st2, ==, "paused");
    g_assert_false(running);

    /* stop again: nothing changes. */
    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"stop\"}"));
    st3 = query_status(qts, &running);
    g_assert_cmpstr(st3, ==, "paused");

    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"cont\"}"));
    json_object_unref(qtest_qmp_eventwait(qts, "RESUME"));
    st4 = query_status(qts, &running);
    g_assert_cmpstr(st4, ==, "running");
    g_assert_true(running);
    qtest_quit(qts);
}

static void test_prelaunch(void)
{
    QTestState *qts = qtest_init("-S");
    g_autofree char *st1 = NULL, *st2 = NULL;
    bool running;

    st1 = query_status(qts, &running);
    g_assert_cmpstr(st1, ==, "prelaunch");
    g_assert_false(running);
    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"cont\"}"));
    json_object_unref(qtest_qmp_eventwait(qts, "RESUME"));
    st2 = query_status(qts, &running);
    g_assert_cmpstr(st2, ==, "running");
    qtest_quit(qts);
}

static void test_reset_powerdown(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *ev, *data;

    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"system_reset\"}"));
    ev = qtest_qmp_eventwait(qts, "RESET");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==, "host-qmp-system-reset");
    json_object_unref(ev);

    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"system_powerdown\"}"));
    json_object_unref(qtest_qmp_eventwait(qts, "POWERDOWN"));
    g_assert_true(qtest_alive(qts));
    qtest_quit(qts);
}

static void test_quit(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *ev, *data;

    assert_return_empty(qtest_qmp(qts, "{\"execute\": \"quit\", \"id\": 42}"));
    ev = qtest_qmp_eventwait(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==, "host-qmp-quit");
    json_object_unref(ev);
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);
}

static void test_unknown_and_id(void)
{
    QTestState *qts = qtest_init("");
    JsonObject *r;
    JsonNode *id;

    r = qtest_qmp(qts, "{\"execute\": \"no-such-command\", \"id\": \"abc\"}");
    assert_qmp_error(r, "CommandNotFound", "The command no-such-command has not been found");
    g_assert_cmpstr(json_object_get_string_member(r, "id"), ==, "abc");
    json_object_unref(r);

    r = qtest_qmp(qts, "{\"execute\": \"query-kvm\", \"id\": {\"n\": [1, 2.5, null, true]}}");
    g_assert_true(json_object_has_member(r, "return"));
    id = json_object_get_member(r, "id");
    g_assert_true(JSON_NODE_HOLDS_OBJECT(id));
    g_assert_cmpuint(
        json_array_get_length(json_object_get_array_member(json_node_get_object(id), "n")), ==, 4);
    json_object_unref(r);
    qtest_quit(qts);
}

/* ---- Tests on a raw socket ----------------------------------------------- */

static void test_negotiation(void)
{
    RawQmp *r = raw_start("-qmp", "");
    static const char expecting[] = "Expecting capabilities negotiation with 'qmp_capabilities'";

    raw_greeting(r);
    raw_expect_error(r, "{\"execute\": \"query-status\"}", "CommandNotFound", expecting);
    raw_expect_error(r, "{\"execute\": \"frobnicate\"}", "CommandNotFound", expecting);
    raw_expect_error(r,
                     "{\"execute\": \"qmp_capabilities\", "
                     "\"arguments\": {\"enable\": \"oob\"}}",
                     "GenericError", "Invalid parameter type for 'enable', expected: array");
    assert_return_empty(raw_cmd(r, "{\"execute\": \"qmp_capabilities\"}"));
    raw_expect_error(r, "{\"execute\": \"qmp_capabilities\"}", "CommandNotFound",
                     "Capabilities negotiation is already complete, command ignored");

    /* A new client gets a new greeting and must negotiate again. */
    close(r->fd);
    g_string_truncate(r->in, 0);
    r->fd = raw_connect(r->path);
    raw_greeting(r);
    raw_expect_error(r, "{\"execute\": \"query-status\"}", "CommandNotFound", expecting);
    assert_return_empty(raw_cmd(r, "{\"execute\": \"qmp_capabilities\", "
                                   "\"arguments\": {\"enable\": [\"oob\"]}}"));
    raw_expect_error(r, "{\"exec-oob\": \"query-status\"}", "GenericError",
                     "The command query-status does not support OOB");
    raw_finish(r);
}

static void test_envelope_errors(void)
{
    RawQmp *r = raw_start("-qmp", "");

    raw_negotiate(r);
    raw_expect_error(r, "[1, 2]", "GenericError", "QMP input must be a JSON object");
    raw_expect_error(r, "\"text\"\n", "GenericError", "QMP input must be a JSON object");
    raw_expect_error(r, "{\"execute\": \"stop\", \"extra\": 1}", "GenericError",
                     "QMP input member 'extra' is unexpected");
    raw_expect_error(r, "{\"arguments\": {}}", "GenericError", "QMP input lacks member 'execute'");
    raw_expect_error(r, "{\"execute\": [\"stop\"]}", "GenericError",
                     "QMP input member 'execute' must be a string");
    raw_expect_error(r, "{\"execute\": \"stop\", \"arguments\": 3}", "GenericError",
                     "QMP input member 'arguments' must be an object");
    raw_expect_error(r, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}",
                     "GenericError", "Parameter 'x' is unexpected");
    raw_sync(r, "envelope");
    raw_finish(r);
}

static void test_malformed_battery(void)
{
    RawQmp *r = raw_start("-qmp", "");
    static const char *const bad[] = {
        "{\"execute\": \"query-status\",}",
        "{\"execute\" \"query-status\"}",
        "{\"execute\": \"query-status\"]",
        "}",
        "nul ",
        "{\"a\": [1, 2,, 3]}",
        "{\"a\": tru}",
    };

    raw_negotiate(r);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        JsonObject *reply = raw_cmd(r, bad[i]);
        const char *desc;

        assert_qmp_error(reply, "GenericError", NULL);
        desc = json_object_get_string_member(json_object_get_object_member(reply, "error"), "desc");
        g_assert_true(g_str_has_prefix(desc, "JSON parse error, "));
        json_object_unref(reply);
        raw_sync(r, "after-bad");
    }
    /* A truncated object, abandoned with 0xff (the resynchronisation byte). */
    raw_send_str(r, "{\"execute\": \"query-sta");
    raw_send(r, "\xff", 1);
    raw_sync(r, "after-truncated");
    raw_finish(r);
}

static void test_deep_and_huge(void)
{
    RawQmp *r = raw_start("-qmp", "");
    GString *deep = g_string_new("{\"execute\": \"query-kvm\", \"id\": ");
    GString *huge = g_string_new("{\"execute\": \"query-kvm\", \"id\": \"");
    GString *big_ok = g_string_new("{\"execute\": \"query-kvm\", \"id\": \"");
    JsonObject *reply;

    raw_negotiate(r);
    for (int i = 0; i < 10000; i++) {
        g_string_append_c(deep, '[');
    }
    for (int i = 0; i < 10000; i++) {
        g_string_append_c(deep, ']');
    }
    g_string_append_c(deep, '}');
    raw_expect_error(r, deep->str, "GenericError", "JSON nesting depth limit exceeded");
    raw_sync(r, "after-deep");

    /* 4 MiB string: QEMU takes up to 64 MiB of tokens per value. */
    while (huge->len < 4 * 1024 * 1024) {
        g_string_append(huge, "0123456789abcdef{[");
    }
    g_string_append(huge, "\"}");
    reply = raw_cmd(r, huge->str);
    g_assert_true(json_object_has_member(reply, "return"));
    g_assert_cmpuint(strlen(json_object_get_string_member(reply, "id")), ==,
                     huge->len - strlen("{\"execute\": \"query-kvm\", \"id\": \"\"}"));
    json_object_unref(reply);
    raw_sync(r, "after-huge");

    /* 512 KiB is below the limit: accepted and echoed whole. */
    while (big_ok->len < 512 * 1024) {
        g_string_append(big_ok, "0123456789abcdef");
    }
    g_string_append(big_ok, "\"}");
    reply = raw_cmd(r, big_ok->str);
    g_assert_true(json_object_has_member(reply, "return"));
    g_assert_cmpuint(strlen(json_object_get_string_member(reply, "id")), ==,
                     big_ok->len - strlen("{\"execute\": \"query-kvm\", \"id\": \"\"}"));
    json_object_unref(reply);
    g_string_free(deep, true);
    g_string_free(huge, true);
    g_string_free(big_ok, true);
    raw_finish(r);
}

static void test_random_bytes(void)
{
    RawQmp *r = raw_start("-qmp", "");
    GRand *rand = g_rand_new_with_seed(0x9e3779b9);
    uint8_t buf[8192];

    raw_negotiate(r);
    for (int round = 0; round < 16; round++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            buf[i] = g_rand_int_range(rand, 0, 256);
        }
        raw_send(r, buf, sizeof(buf));
    }
    raw_send(r, "\xff", 1);
    /* Every reply to garbage was a well-formed error; then back in step. */
    raw_sync(r, "after-random");
    g_rand_free(rand);
    raw_finish(r);
}

static void test_split_and_joined(void)
{
    RawQmp *r = raw_start("-qmp", "");
    const char *msg = "{\"execute\": \"query-status\", \"id\": \"split}\\\"{\"}";
    JsonObject *reply;
    struct pollfd pfd;

    raw_negotiate(r);
    for (size_t i = 0; msg[i]; i++) {
        raw_send(r, msg + i, 1);
        if (i % 8 == 0) {
            g_usleep(1000);
        }
    }
    reply = raw_reply(r);
    g_assert_cmpstr(json_object_get_string_member(reply, "id"), ==, "split}\"{");
    g_assert_true(json_object_has_member(reply, "return"));
    json_object_unref(reply);

    raw_send_str(r, "{\"execute\": \"query-target\", \"id\": 1}"
                    "{\"execute\": \"query-kvm\", \"id\": 2}");
    reply = raw_reply(r);
    g_assert_cmpint(json_object_get_int_member(reply, "id"), ==, 1);
    json_object_unref(reply);
    reply = raw_reply(r);
    g_assert_cmpint(json_object_get_int_member(reply, "id"), ==, 2);
    json_object_unref(reply);

    /* Half a message gets no answer. */
    raw_send_str(r, "{\"execute\": ");
    pfd = (struct pollfd){ .fd = r->fd, .events = POLLIN };
    g_assert_cmpint(poll(&pfd, 1, 200), ==, 0);
    raw_send_str(r, "\"query-target\", \"id\": 3}");
    reply = raw_reply(r);
    g_assert_cmpint(json_object_get_int_member(reply, "id"), ==, 3);
    json_object_unref(reply);
    raw_finish(r);
}

static void test_pretty(void)
{
    RawQmp *r = raw_start("-qmp-pretty", "");
    g_autofree char *line = NULL;
    GString *msg = g_string_new(NULL);

    /* A pretty message spans lines; it ends with a lone "}". */
    do {
        g_free(line);
        line = raw_line(r);
        g_string_append(msg, line);
    } while (strcmp(line, "}\r\n"));
    g_assert_true(g_str_has_prefix(msg->str, "{\r\n    \"QMP\": {\r\n"));
    g_string_truncate(msg, 0);
    raw_send_str(r, "{\"execute\": \"qmp_capabilities\"}");
    do {
        g_free(line);
        line = raw_line(r);
        g_string_append(msg, line);
    } while (strcmp(line, "}\r\n"));
    g_assert_cmpstr(msg->str, ==, "{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    g_string_free(msg, true);
    /* quit's reply is pretty too. */
    raw_send_str(r, "{\"execute\": \"quit\"}");
    g_free(line);
    line = raw_line(r);
    g_assert_cmpstr(line, ==, "{\r\n");
    raw_expect_exit0(r);
    raw_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/greeting", test_greeting);
    g_test_add_func("/qmp/query-commands", test_query_commands);
    g_test_add_func("/qmp/simple-queries", test_simple_queries);
    g_test_add_func("/qmp/query-name", test_query_name);
    g_test_add_func("/qmp/query-uuid", test_query_uuid);
    g_test_add_func("/qmp/query-machines", test_query_machines);
    g_test_add_func("/qmp/query-cpus-fast", test_query_cpus_fast);
    g_test_add_func("/qmp/stop-cont", test_stop_cont);
    g_test_add_func("/qmp/prelaunch", test_prelaunch);
    g_test_add_func("/qmp/reset-powerdown", test_reset_powerdown);
    g_test_add_func("/qmp/quit", test_quit);
    g_test_add_func("/qmp/unknown-and-id", test_unknown_and_id);
    g_test_add_func("/qmp/raw/negotiation", test_negotiation);
    g_test_add_func("/qmp/raw/envelope", test_envelope_errors);
    g_test_add_func("/qmp/raw/malformed", test_malformed_battery);
    g_test_add_func("/qmp/raw/deep-and-huge", test_deep_and_huge);
    g_test_add_func("/qmp/raw/random-bytes", test_random_bytes);
    g_test_add_func("/qmp/raw/split-and-joined", test_split_and_joined);
    g_test_add_func("/qmp/raw/pretty", test_pretty);
    return g_test_run();
}

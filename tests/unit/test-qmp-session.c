/*
 * Unit tests of a QMP session without a chardev: stream splitting, the
 * envelope checks, argument checks and the output format.
 */
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "sysemu/runstate.h"

typedef struct Fixture {
    QmpSession *s;
    GString *out;
} Fixture;

static void capture(void *opaque, const char *text, size_t len)
{
    g_string_append_len(opaque, text, len);
}

static void fx_init(Fixture *f, bool pretty)
{
    f->out = g_string_new(NULL);
    f->s = qmp_session_new(pretty, capture, f->out);
    qmp_session_open(f->s);
}

static void fx_free(Fixture *f)
{
    qmp_session_free(f->s);
    g_string_free(f->out, true);
}

/* Take everything written so far (and forget it). */
static char *take(Fixture *f)
{
    char *text = g_strdup(f->out->str);

    g_string_truncate(f->out, 0);
    return text;
}

static void input(Fixture *f, const void *buf, size_t len)
{
    qmp_session_input(f->s, buf, len);
    while (qmp_session_dispatch_one(f->s)) {
        continue;
    }
}

static void feed(Fixture *f, const char *text)
{
    input(f, text, strlen(text));
}

/* Send text; expect exactly one CRLF-terminated compact message back. */
static JsonObject *request(Fixture *f, const char *text)
{
    g_autofree char *reply = NULL;
    g_autoptr(JsonParser) p = json_parser_new();
    size_t len;

    feed(f, text);
    reply = take(f);
    len = strlen(reply);
    g_assert_cmpuint(len, >=, 2);
    g_assert_cmpstr(reply + len - 2, ==, "\r\n");
    g_assert_true(strchr(reply, '\n') == reply + len - 1);
    g_assert_true(json_parser_load_from_data(p, reply, len, NULL));
    return json_object_ref(json_node_get_object(json_parser_get_root(p)));
}

static void assert_error(JsonObject *r, const char *cls, const char *desc)
{
    JsonObject *e;

    g_assert_true(json_object_has_member(r, "error"));
    e = json_object_get_object_member(r, "error");
    g_assert_cmpstr(json_object_get_string_member(e, "class"), ==, cls);
    if (desc) {
        g_assert_cmpstr(json_object_get_string_member(e, "desc"), ==, desc);
    }
    json_object_unref(r);
}

static void assert_generic_prefix(JsonObject *r, const char *prefix)
{
    JsonObject *e = json_object_get_object_member(r, "error");

    g_assert_nonnull(e);
    g_assert_cmpstr(json_object_get_string_member(e, "class"), ==, QMP_ERROR_GENERIC);
    g_assert_true(g_str_has_prefix(json_object_get_string_member(e, "desc"), prefix));
    json_object_unref(r);
}

static void negotiate(Fixture *f)
{
    JsonObject *r = request(f, "{\"execute\": \"qmp_capabilities\"}");

    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
}

static void test_greeting(void)
{
    Fixture f;
    g_autofree char *g = NULL;

    fx_init(&f, false);
    g = take(&f);
    g_assert_cmpstr(g, ==,
                    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
                    "\"major\": 7}, \"package\": \"" QEMU_PKGVERSION "\"}, "
                    "\"capabilities\": [\"oob\"]}}\r\n");
    fx_free(&f);
}

static void test_negotiation(void)
{
    Fixture f;

    fx_init(&f, false);
    g_free(take(&f));
    assert_error(request(&f, "{\"execute\": \"query-status\"}"), QMP_ERROR_COMMAND_NOT_FOUND,
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    assert_error(request(&f, "{\"execute\": \"nonsense\"}"), QMP_ERROR_COMMAND_NOT_FOUND,
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    g_assert_false(qmp_session_negotiated(f.s));
    assert_error(request(&f, "{\"execute\": \"qmp_capabilities\", "
                             "\"arguments\": {\"enable\": [\"bogus\"]}}"),
                 QMP_ERROR_GENERIC, "Parameter 'null' does not accept value 'bogus'");
    g_assert_false(qmp_session_negotiated(f.s));
    negotiate(&f);
    g_assert_true(qmp_session_negotiated(f.s));
    assert_error(request(&f, "{\"execute\": \"qmp_capabilities\"}"), QMP_ERROR_COMMAND_NOT_FOUND,
                 "Capabilities negotiation is already complete, command ignored");
    /* A new client must negotiate again. */
    qmp_session_close(f.s);
    qmp_session_open(f.s);
    g_assert_true(g_str_has_prefix(f.out->str, "{\"QMP\": "));
    g_free(take(&f));
    g_assert_false(qmp_session_negotiated(f.s));
    fx_free(&f);
}

static void test_envelope(void)
{
    Fixture f;

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    assert_error(request(&f, "[1, 2]"), QMP_ERROR_GENERIC, "QMP input must be a JSON object");
    assert_error(request(&f, "\"str\" "), QMP_ERROR_GENERIC, "QMP input must be a JSON object");
    assert_error(request(&f, "123 "), QMP_ERROR_GENERIC, "QMP input must be a JSON object");
    assert_error(request(&f, "{\"foo\": 1}"), QMP_ERROR_GENERIC,
                 "QMP input member 'foo' is unexpected");
    assert_error(request(&f, "{}"), QMP_ERROR_GENERIC, "QMP input lacks member 'execute'");
    assert_error(request(&f, "{\"execute\": 1}"), QMP_ERROR_GENERIC,
                 "QMP input member 'execute' must be a string");
    assert_error(request(&f, "{\"execute\": \"stop\", \"arguments\": [1]}"), QMP_ERROR_GENERIC,
                 "QMP input member 'arguments' must be an object");
    assert_error(request(&f, "{\"execute\": \"stop\", \"arguments\": null}"), QMP_ERROR_GENERIC,
                 "QMP input member 'arguments' must be an object");
    assert_error(request(&f, "{\"exec-oob\": \"stop\"}"), QMP_ERROR_GENERIC,
                 "QMP input member 'exec-oob' is unexpected");
    assert_error(request(&f, "{\"execute\": \"foo\"}"), QMP_ERROR_COMMAND_NOT_FOUND,
                 "The command foo has not been found");
    assert_error(request(&f, "{\"execute\": \"query-status\", "
                             "\"arguments\": {\"x\": 1}}"),
                 QMP_ERROR_GENERIC, "Parameter 'x' is unexpected");
    assert_error(request(&f, "{\"execute\": \"human-monitor-command\"}"), QMP_ERROR_GENERIC,
                 "Parameter 'command-line' is missing");
    assert_error(request(&f, "{\"execute\": \"human-monitor-command\", "
                             "\"arguments\": {\"command-line\": 5}}"),
                 QMP_ERROR_GENERIC, "Invalid parameter type for 'command-line', expected: string");
    fx_free(&f);
}

static void test_id_echo(void)
{
    Fixture f;
    g_autofree char *text = NULL;

    fx_init(&f, false);
    g_free(take(&f));
    feed(&f, "{\"execute\": \"qmp_capabilities\", \"id\": {\"a\": [1, null, \"\\u00e9\"]}}");
    text = take(&f);
    g_assert_cmpstr(text, ==, "{\"return\": {}, \"id\": {\"a\": [1, null, \"\\u00E9\"]}}\r\n");
    g_free(text);
    feed(&f, "{\"id\": 7, \"execute\": \"foo\"}");
    text = take(&f);
    g_assert_cmpstr(text, ==,
                    "{\"id\": 7, \"error\": {\"class\": \"CommandNotFound\", "
                    "\"desc\": \"The command foo has not been found\"}}\r\n");
    fx_free(&f);
}

static void test_stream_split_and_join(void)
{
    Fixture f;
    const char *msg = "{\"execute\": \"query-kvm\", \"id\": \"a}]\\\"[{\"}";
    g_autofree char *two = NULL;
    g_autofree char *text = NULL;

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    /* One byte at a time: no reply until the last byte. */
    for (size_t i = 0; msg[i]; i++) {
        g_assert_cmpuint(f.out->len, ==, 0);
        input(&f, msg + i, 1);
    }
    text = take(&f);
    g_assert_cmpstr(text, ==,
                    "{\"return\": {\"enabled\": false, \"present\": false}, "
                    "\"id\": \"a}]\\\"[{\"}\r\n");
    /* Two messages in one write: two replies, in order. */
    two = g_strdup_printf("%s\n%s", "{\"execute\": \"query-target\", \"id\": 1}",
                          "{\"execute\": \"query-target\", \"id\": 2}");
    feed(&f, two);
    g_free(text);
    text = take(&f);
    g_assert_cmpstr(text, ==,
                    "{\"return\": {\"arch\": \"ppc64\"}, \"id\": 1}\r\n"
                    "{\"return\": {\"arch\": \"ppc64\"}, \"id\": 2}\r\n");
    /* Queued, then answered one at a time, input errors in their turn. */
    qmp_session_input(f.s, (const uint8_t *)two, strlen(two));
    qmp_session_input(f.s, (const uint8_t *)"]", 1);
    g_assert_cmpuint(qmp_session_pending(f.s), ==, 3);
    g_assert_cmpuint(f.out->len, ==, 0);
    g_assert_true(qmp_session_dispatch_one(f.s));
    g_free(text);
    text = take(&f);
    g_assert_cmpstr(text, ==, "{\"return\": {\"arch\": \"ppc64\"}, \"id\": 1}\r\n");
    g_assert_true(qmp_session_dispatch_one(f.s));
    g_assert_true(qmp_session_dispatch_one(f.s));
    g_assert_false(qmp_session_dispatch_one(f.s));
    g_free(text);
    text = take(&f);
    g_assert_true(g_str_has_suffix(text, "{\"error\": {\"class\": \"GenericError\", "
                                         "\"desc\": \"JSON parse error, expecting value\"}}\r\n"));
    fx_free(&f);
}

static void assert_usable(Fixture *f)
{
    JsonObject *r = request(f, "{\"execute\": \"query-target\"}");

    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
}

/*
 * The replies in @text, one per "\r\n"-ended line, split in one pass (strstr
 * and g_strsplit measure the whole rest of the text at each call under ASan,
 * which made these tests quadratic there).
 */
static GPtrArray *reply_lines(const char *text)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    const char *end = text + strlen(text);

    for (const char *p = text, *nl; p < end && (nl = memchr(p, '\n', end - p)); p = nl + 1) {
        if (nl > p && nl[-1] == '\r') {
            g_ptr_array_add(lines, g_strndup(p, nl - 1 - p));
        }
    }
    return lines;
}

static unsigned count_lines(const char *text)
{
    g_autoptr(GPtrArray) lines = reply_lines(text);

    return lines->len;
}

static unsigned count_errors(const char *text)
{
    g_autoptr(GPtrArray) lines = reply_lines(text);
    unsigned n = 0;

    for (guint i = 0; i < lines->len; i++) {
        n += g_str_has_prefix(lines->pdata[i], "{\"error\": {\"class\": \"GenericError\"");
    }
    return n;
}

static void assert_usable_reply(JsonObject *r)
{
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
}

static void test_malformed(void)
{
    Fixture f;
    GString *deep = g_string_new("{\"execute\": \"query-status\", \"id\": ");
    GString *huge = g_string_new("{\"execute\": \"query-status\", \"id\": \"");

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    assert_generic_prefix(request(&f, "{\"execute\": \"query-status\",}"), "JSON parse error, ");
    assert_usable(&f);
    assert_generic_prefix(request(&f, "{abc}"), "JSON parse error, ");
    assert_generic_prefix(request(&f, "}"), "JSON parse error, ");
    assert_generic_prefix(request(&f, "{\"a\": [1, 2}]"), "JSON parse error, ");
    assert_generic_prefix(request(&f, "tru "), "JSON parse error, ");
    assert_generic_prefix(request(&f, "{\"a\": \"\x80\"}"), "JSON parse error, ");
    assert_usable(&f);
    /* A byte that never occurs in UTF-8 drops a partial message. */
    feed(&f, "{\"execute\": \"query-");
    assert_generic_prefix(request(&f, "\xff"), "JSON parse error, ");
    assert_usable(&f);

    for (int i = 0; i < 10000; i++) {
        g_string_append_c(deep, '[');
    }
    for (int i = 0; i < 10000; i++) {
        g_string_append_c(deep, ']');
    }
    g_string_append_c(deep, '}');
    /*
     * As QEMU: the bracket past 1024 is refused and the message dropped;
     * the rest of it is read as more top-level values, each refused.
     */
    feed(&f, deep->str);
    g_assert_true(g_str_has_prefix(f.out->str,
                                   "{\"error\": {\"class\": \"GenericError\", "
                                   "\"desc\": \"JSON nesting depth limit exceeded\"}}\r\n"));
    g_assert_cmpuint(count_lines(f.out->str), ==, count_errors(f.out->str));
    g_assert_cmpuint(count_lines(f.out->str), >, 9000);
    g_string_truncate(f.out, 0);
    assert_usable(&f);

    /* A 2 MiB string is fine: QEMU's limit is 64 MiB of tokens per value. */
    while (huge->len < 2 * 1024 * 1024) {
        g_string_append(huge, "xxxxxxxxxxxxxxxx{[");
    }
    g_string_append(huge, "\"}");
    assert_usable_reply(request(&f, huge->str));
    /* One token past 64 MiB is cut off; 0xff then resynchronises. */
    g_string_truncate(huge, 0);
    g_string_append_c(huge, '"');
    while (huge->len <= 64 * 1024 * 1024) {
        g_string_append(huge, "xxxxxxxxxxxxxxxx");
    }
    input(&f, huge->str, huge->len);
    g_assert_true(g_str_has_prefix(f.out->str,
                                   "{\"error\": {\"class\": \"GenericError\", "
                                   "\"desc\": \"JSON token size limit exceeded\"}}\r\n"));
    g_string_truncate(f.out, 0);
    feed(&f, "\xff");
    g_string_truncate(f.out, 0);
    assert_usable(&f);
    g_string_free(deep, true);
    g_string_free(huge, true);
    fx_free(&f);
}

static void test_random_bytes(void)
{
    Fixture f;
    GRand *rand = g_rand_new_with_seed(42);
    uint8_t buf[4096];
    GPtrArray *lines;

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            buf[i] = g_rand_int_range(rand, 0, 256);
        }
        input(&f, buf, sizeof(buf));
    }
    /* Garbage only ever gets well-formed error replies. */
    lines = reply_lines(f.out->str);
    g_assert_cmpuint(lines->len, >, 0);
    for (guint i = 0; i < lines->len; i++) {
        g_autoptr(JsonParser) p = json_parser_new();
        JsonObject *e;

        g_assert_true(json_parser_load_from_data(p, lines->pdata[i], -1, NULL));
        e = json_object_get_object_member(json_node_get_object(json_parser_get_root(p)), "error");
        g_assert_nonnull(e);
        g_assert_cmpstr(json_object_get_string_member(e, "class"), ==, QMP_ERROR_GENERIC);
    }
    g_ptr_array_unref(lines);
    g_string_truncate(f.out, 0);
    /* 0xff resynchronises whatever state the garbage left behind. */
    feed(&f, "\xff");
    g_string_truncate(f.out, 0);
    assert_usable(&f);
    g_rand_free(rand);
    fx_free(&f);
}

static void test_pretty(void)
{
    Fixture f;
    g_autofree char *text = NULL;

    fx_init(&f, true);
    g_free(take(&f));
    feed(&f, "{\"execute\": \"qmp_capabilities\"}");
    text = take(&f);
    g_assert_cmpstr(text, ==, "{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    g_free(text);
    feed(&f, "{\"execute\": \"query-target\", \"id\": [1]}");
    text = take(&f);
    g_assert_cmpstr(text, ==,
                    "{\r\n    \"return\": {\r\n        \"arch\": \"ppc64\"\r\n"
                    "    },\r\n    \"id\": [\r\n        1\r\n    ]\r\n}\r\n");
    fx_free(&f);
}

static void test_commands(void)
{
    Fixture f;
    JsonObject *r;
    JsonArray *cmds;
    bool seen_quit = false;

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    r = request(&f, "{\"execute\": \"query-commands\"}");
    cmds = json_object_get_array_member(r, "return");
    g_assert_cmpuint(json_array_get_length(cmds), >=, 10);
    for (guint i = 0; i < json_array_get_length(cmds); i++) {
        JsonObject *c = json_array_get_object_element(cmds, i);
        const char *name = json_object_get_string_member(c, "name");

        /* Everything listed is dispatched. */
        g_assert_nonnull(qmp_command_find(name));
        seen_quit |= !strcmp(name, "quit");
    }
    g_assert_true(seen_quit);
    json_object_unref(r);

    qmp_set_vm_name("guest1");
    r = request(&f, "{\"execute\": \"query-name\"}");
    g_assert_cmpstr(
        json_object_get_string_member(json_object_get_object_member(r, "return"), "name"), ==,
        "guest1");
    json_object_unref(r);
    qmp_set_vm_name(NULL);
    r = request(&f, "{\"execute\": \"query-name\"}");
    g_assert_cmpuint(json_object_get_size(json_object_get_object_member(r, "return")), ==, 0);
    json_object_unref(r);
    r = request(&f, "{\"execute\": \"human-monitor-command\", "
                    "\"arguments\": {\"command-line\": \"bogus\"}}");
    g_assert_cmpstr(json_object_get_string_member(r, "return"), ==, "unknown command: 'bogus'\r\n");
    json_object_unref(r);
    fx_free(&f);
}

static void test_runstate_commands(void)
{
    Fixture f;
    g_autofree char *text = NULL;

    fx_init(&f, false);
    g_free(take(&f));
    negotiate(&f);
    runstate_set_event_hook(NULL);
    feed(&f, "{\"execute\": \"query-status\"}");
    text = take(&f);
    g_assert_cmpstr(text, ==,
                    "{\"return\": {\"status\": \"prelaunch\", "
                    "\"singlestep\": false, \"running\": false}}\r\n");
    /* stop before the VM ever ran changes nothing (as QEMU). */
    feed(&f, "{\"execute\": \"stop\"}{\"execute\": \"query-status\"}");
    g_free(text);
    text = take(&f);
    g_assert_nonnull(strstr(text, "\"prelaunch\""));
    feed(&f, "{\"execute\": \"cont\"}");
    g_assert_true(runstate_is_running());
    feed(&f, "{\"execute\": \"stop\"}");
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PAUSED);
    g_string_truncate(f.out, 0);
    qmp_session_event(f.s, "STOP", NULL);
    g_free(text);
    text = take(&f);
    g_assert_true(g_str_has_prefix(text, "{\"timestamp\": {\"seconds\": "));
    g_assert_true(g_str_has_suffix(text, "}, \"event\": \"STOP\"}\r\n"));
    fx_free(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-session/greeting", test_greeting);
    g_test_add_func("/qmp-session/negotiation", test_negotiation);
    g_test_add_func("/qmp-session/envelope", test_envelope);
    g_test_add_func("/qmp-session/id-echo", test_id_echo);
    g_test_add_func("/qmp-session/split-and-join", test_stream_split_and_join);
    g_test_add_func("/qmp-session/malformed", test_malformed);
    g_test_add_func("/qmp-session/random-bytes", test_random_bytes);
    g_test_add_func("/qmp-session/pretty", test_pretty);
    g_test_add_func("/qmp-session/commands", test_commands);
    g_test_add_func("/qmp-session/runstate", test_runstate_commands);
    return g_test_run();
}

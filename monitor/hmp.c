/*
 * The human monitor (HMP): QEMU's command table, its parser and its texts, for
 * QMP human-monitor-command (and a readline monitor later).  Commands act
 * through the QMP handlers, so both monitors do the same thing.
 */
#include "monitor/hmp.h"
#include "chardev/char.h"
#include "qapi/qapi-commands.h"

typedef struct HmpContext {
    GString *out;
    int64_t cpu_index; /* the monitor's current CPU */
    const char *args;  /* what follows the command name, trimmed */
} HmpContext;

typedef struct HmpCommand {
    const char *name;   /* "stop|s": the name, then aliases */
    const char *params; /* shown in help; "" when the command takes none */
    const char *help;
    void (*fn)(HmpContext *ctx);
    bool takes_args;
} HmpCommand;

/* Run a QMP handler; its error text is what HMP prints. */
static JsonNode *hmp_qmp(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args)
{
    QmpError err = { 0 };
    g_autoptr(JsonObject) empty = json_object_new();
    JsonNode *ret = fn(args ? args : empty, &err);

    if (!ret) {
        g_string_append_printf(ctx->out, "Error: %s\n", err.desc);
        g_free(err.desc);
    }
    return ret;
}

static void hmp_simple(HmpContext *ctx, QmpCommandFn *fn)
{
    JsonNode *ret = hmp_qmp(ctx, fn, NULL);

    if (ret) {
        json_node_unref(ret);
    }
}

static void hmp_stop(HmpContext *ctx)
{
    hmp_simple(ctx, qmp_stop);
}

static void hmp_cont(HmpContext *ctx)
{
    hmp_simple(ctx, qmp_cont);
}

static void hmp_system_reset(HmpContext *ctx)
{
    hmp_simple(ctx, qmp_system_reset);
}

static void hmp_system_powerdown(HmpContext *ctx)
{
    hmp_simple(ctx, qmp_system_powerdown);
}

static void hmp_quit(HmpContext *ctx)
{
    hmp_simple(ctx, qmp_quit);
}

/* ---- info ------------------------------------------------------------------ */

static void info_status(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_status, NULL);
    JsonObject *o;
    bool running;
    const char *status;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    running = json_object_get_boolean_member(o, "running");
    status = json_object_get_string_member(o, "status");
    g_string_append_printf(ctx->out, "VM status: %s", running ? "running" : "paused");
    /* "paused" is implied; other stopped states are named (prelaunch, shutdown...). */
    if (!running && strcmp(status, "paused")) {
        g_string_append_printf(ctx->out, " (%s)", status);
    }
    g_string_append(ctx->out, "\n");
    json_node_unref(ret);
}

static void info_cpus(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_cpus_fast, NULL);
    JsonArray *cpus;

    if (!ret) {
        return;
    }
    cpus = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(cpus); i++) {
        JsonObject *c = json_array_get_object_element(cpus, i);
        int64_t index = json_object_get_int_member(c, "cpu-index");

        g_string_append_printf(ctx->out, "%c CPU #%" PRId64 ": thread_id=%" PRId64 "\n",
                               index == ctx->cpu_index ? '*' : ' ', index,
                               json_object_get_int_member(c, "thread-id"));
    }
    json_node_unref(ret);
}

static void add_chardev_line(Chardev *chr, const char *backend, void *opaque)
{
    g_autofree char *filename = qemu_chr_filename(chr);

    g_string_append_printf(opaque, "%s: filename=%s\n", qemu_chr_id(chr), filename);
}

static void info_chardev(HmpContext *ctx)
{
    qemu_chr_foreach(add_chardev_line, ctx->out);
}

static void info_version(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_version, NULL);
    JsonObject *o, *q;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    q = json_object_get_object_member(o, "qemu");
    g_string_append_printf(
        ctx->out, "%" PRId64 ".%" PRId64 ".%" PRId64 "%s\n", json_object_get_int_member(q, "major"),
        json_object_get_int_member(q, "minor"), json_object_get_int_member(q, "micro"),
        json_object_get_string_member(o, "package"));
    json_node_unref(ret);
}

static void info_name(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_name, NULL);
    JsonObject *o = ret ? json_node_get_object(ret) : NULL;

    if (o && json_object_has_member(o, "name")) {
        g_string_append_printf(ctx->out, "%s\n", json_object_get_string_member(o, "name"));
    }
    if (ret) {
        json_node_unref(ret);
    }
}

static void info_uuid(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_uuid, NULL);

    if (ret) {
        g_string_append_printf(ctx->out, "%s\n",
                               json_object_get_string_member(json_node_get_object(ret), "UUID"));
        json_node_unref(ret);
    }
}

static void info_kvm(HmpContext *ctx)
{
    /* This binary has no KVM support at all. */
    g_string_append(ctx->out, "kvm support: not compiled\n");
}

static void info_iothreads(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_iothreads, NULL);
    JsonArray *arr;

    if (!ret) {
        return;
    }
    arr = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *t = json_array_get_object_element(arr, i);

        g_string_append_printf(
            ctx->out,
            "%s:\n  thread_id=%" PRId64 "\n  poll-max-ns=%" PRId64 "\n  poll-grow=%" PRId64
            "\n  poll-shrink=%" PRId64 "\n  aio-max-batch=%" PRId64 "\n",
            json_object_get_string_member(t, "id"), json_object_get_int_member(t, "thread-id"),
            json_object_get_int_member(t, "poll-max-ns"),
            json_object_get_int_member(t, "poll-grow"),
            json_object_get_int_member(t, "poll-shrink"),
            json_object_get_int_member(t, "aio-max-batch"));
    }
    json_node_unref(ret);
}

/* QEMU's texts, in its (alphabetical) order. */
static const HmpCommand info_cmds[] = {
    { "chardev", "", "show the character devices", info_chardev },
    { "cpus", "", "show infos for each CPU", info_cpus },
    { "iothreads", "", "show iothreads", info_iothreads },
    { "kvm", "", "show KVM information", info_kvm },
    { "name", "", "show the current VM name", info_name },
    { "status", "", "show the current VM status (running|paused)", info_status },
    { "uuid", "", "show the current VM UUID", info_uuid },
    { "version", "", "show the version of QEMU", info_version },
};

static void hmp_info(HmpContext *ctx);
static void hmp_help(HmpContext *ctx);

static const HmpCommand hmp_cmds[] = {
    { "cont|c", "", "resume emulation", hmp_cont },
    { "help|?", "[cmd]", "show the help", hmp_help, true },
    { "info", "[subcommand]", "show various information about the system state", hmp_info, true },
    { "quit|q", "", "quit the emulator", hmp_quit },
    { "stop|s", "", "stop emulation", hmp_stop },
    { "system_powerdown", "", "send system power down event", hmp_system_powerdown },
    { "system_reset", "", "reset the system", hmp_system_reset },
};

/* name is one of the '|'-separated names of c. */
static bool cmd_matches(const HmpCommand *c, const char *name, size_t len)
{
    const char *p = c->name;

    while (*p) {
        size_t n = strcspn(p, "|");

        if (n == len && !strncmp(p, name, len)) {
            return true;
        }
        p += n + (p[n] == '|');
    }
    return false;
}

static const HmpCommand *cmd_find(const HmpCommand *table, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (cmd_matches(&table[i], name, len)) {
            return &table[i];
        }
    }
    return NULL;
}

static void print_cmd_help(GString *out, const char *prefix, const HmpCommand *c)
{
    g_string_append_printf(out, "%s%s %s -- %s\n", prefix, c->name, c->params, c->help);
}

static void print_info_list(HmpContext *ctx)
{
    for (size_t i = 0; i < G_N_ELEMENTS(info_cmds); i++) {
        print_cmd_help(ctx->out, "info ", &info_cmds[i]);
    }
}

static void hmp_info(HmpContext *ctx)
{
    const char *name = ctx->args;
    size_t len = strcspn(name, " \t");
    const HmpCommand *c;

    if (!len) {
        print_info_list(ctx);
        return;
    }
    c = cmd_find(info_cmds, G_N_ELEMENTS(info_cmds), name, len);
    if (!c) {
        g_string_append_printf(ctx->out, "unknown command: 'info %.*s'\n", (int)len, name);
        return;
    }
    if (name[len + strspn(name + len, " \t")]) {
        g_string_append_printf(ctx->out,
                               "%s: extraneous characters at the end of line\n"
                               "Try \"help info %.*s\" for more information\n",
                               c->name, (int)len, name);
        return;
    }
    c->fn(ctx);
}

static void hmp_help(HmpContext *ctx)
{
    const char *name = ctx->args;
    size_t len = strcspn(name, " \t");
    const char *rest = name + len + strspn(name + len, " \t");
    const HmpCommand *c;

    if (!len) {
        for (size_t i = 0; i < G_N_ELEMENTS(hmp_cmds); i++) {
            print_cmd_help(ctx->out, "", &hmp_cmds[i]);
        }
        return;
    }
    if (len == 4 && !strncmp(name, "info", 4)) {
        size_t sub = strcspn(rest, " \t");

        if (!sub) {
            print_info_list(ctx);
            return;
        }
        c = cmd_find(info_cmds, G_N_ELEMENTS(info_cmds), rest, sub);
        if (c) {
            print_cmd_help(ctx->out, "info ", c);
        } else {
            g_string_append_printf(ctx->out, "unknown command: 'info %.*s'\n", (int)sub, rest);
        }
        return;
    }
    c = cmd_find(hmp_cmds, G_N_ELEMENTS(hmp_cmds), name, len);
    if (c) {
        print_cmd_help(ctx->out, "", c);
    } else {
        g_string_append_printf(ctx->out, "unknown command: '%.*s'\n", (int)len, name);
    }
}

/* ---- The interface ------------------------------------------------------- */

char *hmp_run(const char *cmdline, int64_t cpu_index)
{
    HmpContext ctx = { .out = g_string_new(NULL), .cpu_index = cpu_index };
    const char *p = cmdline + strspn(cmdline, " \t");
    size_t len = strcspn(p, " \t");
    const HmpCommand *c;
    g_autofree char *args = NULL;

    if (!len) {
        return g_string_free(ctx.out, false);
    }
    c = cmd_find(hmp_cmds, G_N_ELEMENTS(hmp_cmds), p, len);
    args = g_strstrip(g_strdup(p + len));
    ctx.args = args;
    if (!c) {
        g_string_append_printf(ctx.out, "unknown command: '%.*s'\n", (int)len, p);
    } else if (*args && !c->takes_args) {
        g_string_append_printf(ctx.out,
                               "%s: extraneous characters at the end of line\n"
                               "Try \"help %.*s\" for more information\n",
                               c->name, (int)len, p);
    } else {
        c->fn(&ctx);
    }
    return g_string_free(ctx.out, false);
}

bool hmp_cpu_index_valid(int64_t cpu_index)
{
    QmpError err = { 0 };
    g_autoptr(JsonObject) none = json_object_new();
    JsonNode *ret = qmp_query_cpus_fast(none, &err);
    bool found = false;
    JsonArray *cpus;

    if (!ret) {
        g_free(err.desc);
        return false;
    }
    cpus = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(cpus); i++) {
        found |= json_object_get_int_member(json_array_get_object_element(cpus, i), "cpu-index") ==
                 cpu_index;
    }
    json_node_unref(ret);
    return found;
}

/* Monitor output ends lines with CR LF, as QEMU's monitor writes them. */
static char *crlf(const char *text)
{
    GString *s = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(s, '\r');
        }
        g_string_append_c(s, *p);
    }
    return g_string_free(s, false);
}

JsonNode *qmp_human_monitor_command(JsonObject *args, QmpError *err)
{
    int64_t cpu = qmp_arg_int(args, "cpu-index", 0);
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;

    if (json_object_has_member(args, "cpu-index") && !hmp_cpu_index_valid(cpu)) {
        qmp_error_setg(err, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    out = hmp_run(qmp_arg_str(args, "command-line", ""), cpu);
    text = crlf(out);
    return qmp_node_string(text);
}

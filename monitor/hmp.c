/*
 * The human monitor (HMP): QEMU's command table, its parser and its texts,
 * for the readline monitor and QMP human-monitor-command.  Commands act
 * through the QMP handlers, so both monitors do the same thing.
 */
#include "monitor/hmp-internal.h"
#include "chardev/char.h"
#include "gdbstub/gdbstub.h"
#include "qemu/error-report.h"
#include "qapi/qapi-commands.h"
#include "qemu/log.h"
#include "qemu/option.h"

JsonNode *hmp_qmp(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args)
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

void hmp_qmp_simple(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args)
{
    JsonNode *ret = hmp_qmp(ctx, fn, args);

    if (ret) {
        json_node_unref(ret);
    }
}

void hmp_arg_error(HmpContext *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(ctx->out, fmt, ap);
    va_end(ap);
    g_string_append_printf(ctx->out, "\nTry \"help %s\" for more information\n", ctx->typed);
}

/*
 * One whitespace-delimited word of ctx->args (QEMU's 's' and 'F' argument
 * kinds); NULL after printing "CMD: WHAT expected" when there is none, or
 * the extraneous-characters error when more follows.
 */
char *hmp_one_word(HmpContext *ctx, const char *what, bool optional)
{
    size_t len = strcspn(ctx->args, " \t");

    if (!len) {
        if (!optional) {
            hmp_arg_error(ctx, "%s: %s expected", ctx->name, what);
        }
        return NULL;
    }
    if (ctx->args[len + strspn(ctx->args + len, " \t")]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return NULL;
    }
    return g_strndup(ctx->args, len);
}

bool hmp_take_flags(HmpContext *ctx, const char **p, const char *flags, bool *set)
{
    for (size_t i = 0; flags[i]; i++) {
        char c;

        *p += strspn(*p, " \t");
        set[i] = false;
        if (**p != '-') {
            continue;
        }
        c = (*p)[1];
        if (c == flags[i]) {
            set[i] = true;
            *p += 2;
        } else if (!c) {
            /* QEMU prints the NUL after the '-': its line ends there, unterminated. */
            g_string_append_printf(ctx->out,
                                   "%s: unsupported option -Try \"help %s\" for more information\n",
                                   ctx->name, ctx->typed);
            return false;
        } else if (!strchr(flags + i + 1, c)) {
            hmp_arg_error(ctx, "%s: unsupported option -%c", ctx->name, c);
            return false;
        }
    }
    *p += strspn(*p, " \t");
    return true;
}

/* An expression argument that must be all the line holds. */
static bool hmp_one_expr(HmpContext *ctx, int64_t *val)
{
    const char *p = ctx->args;

    if (!hmp_parse_expr(ctx, &p, val)) {
        return false;
    }
    if (p[strspn(p, " \t")]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return false;
    }
    return true;
}

/* ---- Run state --------------------------------------------------------- */

static void hmp_stop(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_stop, NULL);
}

static void hmp_cont(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_cont, NULL);
}

static void hmp_system_reset(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_system_reset, NULL);
}

static void hmp_system_powerdown(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_system_powerdown, NULL);
}

static void hmp_quit(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_quit, NULL);
    ctx->session->quit = true;
}

/* QEMU's HMP nmi: the NMI goes to the monitor's current CPU; ours reach all, as inject-nmi. */
static void hmp_nmi(HmpContext *ctx)
{
    hmp_qmp_simple(ctx, qmp_inject_nmi, NULL);
}

/* ---- Devices ----------------------------------------------------------- */

/* device_add driver[,prop=value]...: the keyval line becomes QMP device_add's object. */
static void hmp_device_add(HmpContext *ctx)
{
    char *err = NULL;
    QemuOpts *opts = qemu_opts_parse(ctx->args, "driver", &err);
    g_autoptr(JsonObject) args = json_object_new();
    g_auto(GStrv) pairs = NULL;

    if (!opts) {
        g_string_append_printf(ctx->out, "Error: %s\n", err);
        g_free(err);
        return;
    }
    qemu_opts_free(opts);
    /* The options as typed, in order; the last value of a repeated key wins. */
    pairs = g_strsplit(ctx->args, ",", -1);
    for (guint i = 0; pairs[i]; i++) {
        const char *eq = strchr(pairs[i], '=');

        if (!pairs[i][0]) {
            continue;
        }
        if (i == 0 && !eq) {
            json_object_set_string_member(args, "driver", pairs[i]);
        } else if (eq) {
            g_autofree char *key = g_strndup(pairs[i], eq - pairs[i]);

            json_object_set_string_member(args, key, eq + 1);
        } else {
            json_object_set_string_member(args, pairs[i], "on");
        }
    }
    hmp_qmp_simple(ctx, qmp_device_add, args);
}

static void hmp_device_del(HmpContext *ctx)
{
    g_autofree char *id = hmp_one_word(ctx, "string", false);
    g_autoptr(JsonObject) args = json_object_new();

    if (!id) {
        return;
    }
    json_object_set_string_member(args, "id", id);
    hmp_qmp_simple(ctx, qmp_device_del, args);
}

/* Commands another facility may provide: found in the QMP table at run time. */
static JsonNode *hmp_qmp_by_name(HmpContext *ctx, const char *name, JsonObject *args,
                                 const char *missing)
{
    const QmpCommand *cmd = qmp_command_find(name);

    if (!cmd) {
        g_string_append_printf(ctx->out, "Error: %s\n", missing);
        return NULL;
    }
    return hmp_qmp(ctx, cmd->fn, args);
}

/* balloon MB: QMP balloon takes bytes. */
static void hmp_balloon(HmpContext *ctx)
{
    g_autoptr(JsonObject) args = json_object_new();
    JsonNode *ret;
    int64_t mb;

    if (!hmp_one_expr(ctx, &mb)) {
        return;
    }
    json_object_set_int_member(args, "value", (int64_t)((uint64_t)mb << 20));
    ret = hmp_qmp_by_name(ctx, "balloon", args, "No balloon device has been activated");
    if (ret) {
        json_node_unref(ret);
    }
}

/* set_link NAME on|off: QMP set_link. */
static void hmp_set_link(HmpContext *ctx)
{
    size_t len = strcspn(ctx->args, " \t");
    g_autofree char *name = g_strndup(ctx->args, len);
    g_autoptr(JsonObject) args = json_object_new();
    const char *rest = ctx->args + len + strspn(ctx->args + len, " \t");
    size_t rlen = strcspn(rest, " \t");

    if (!len) {
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return;
    }
    if (!(rlen == 2 && !strncmp(rest, "on", 2)) && !(rlen == 3 && !strncmp(rest, "off", 3))) {
        hmp_arg_error(ctx, "Expected 'on' or 'off'");
        return;
    }
    if (rest[rlen + strspn(rest + rlen, " \t")]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    json_object_set_string_member(args, "name", name);
    json_object_set_boolean_member(args, "up", rlen == 2);
    hmp_qmp_simple(ctx, qmp_set_link, args);
}

/* ---- Debugging --------------------------------------------------------- */

/* gdbserver [DEV]: as -gdb, at run time; "none" stops serving. */
static void hmp_gdbserver(HmpContext *ctx)
{
    g_autofree char *dev = hmp_one_word(ctx, "string", true);
    const char *device = dev ? dev : "tcp::" DEFAULT_GDBSTUB_PORT;
    char *err = NULL;

    if (!dev && ctx->args[0]) {
        return; /* extraneous characters, reported */
    }
    if (!strcmp(device, "none")) {
        gdbserver_start("none", &err);
        g_string_append(ctx->out, "Disabled gdbserver\n");
        return;
    }
    if (!gdbserver_start(device, &err)) {
        g_string_append_printf(ctx->out, "%s\nCould not open gdbserver on device '%s'\n", err,
                               device);
        g_free(err);
        return;
    }
    g_string_append_printf(ctx->out, "Waiting for gdb connection on device '%s'\n", device);
}

/* The -d item list, as "log help" prints it. */
static void print_log_items(HmpContext *ctx)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f) {
        return;
    }
    qemu_log_print_items(f);
    fclose(f);
    g_string_append_len(ctx->out, text, len);
    free(text);
}

static void hmp_log(HmpContext *ctx)
{
    g_autofree char *items = hmp_one_word(ctx, "string", false);
    bool help;
    int mask;

    if (!items) {
        return;
    }
    if (!strcmp(items, "none")) {
        qemu_loglevel = 0;
        return;
    }
    mask = qemu_log_parse_items(items, &help);
    if (mask < 0 || help) {
        print_log_items(ctx);
        return;
    }
    qemu_loglevel = mask;
}

static void hmp_logfile(HmpContext *ctx)
{
    g_autofree char *path = hmp_one_word(ctx, "filename", false);

    if (path && !qemu_log_set_file(path)) {
        g_string_append_printf(ctx->out, "Error: could not open '%s': %s\n", path,
                               g_strerror(errno));
    }
}

/* ---- The tables -------------------------------------------------------- */

static void hmp_info(HmpContext *ctx);
static void hmp_help(HmpContext *ctx);

/* QEMU's names, parameters and texts, in its (alphabetical) order. */
static const HmpCommand hmp_cmds[] = {
    { "announce_self", "[interfaces] [id]", "Trigger GARP/RARP announcements", hmp_announce_self,
      true },
    { "balloon", "target", "request VM to change its memory allocation (in MB)", hmp_balloon,
      true },
    { "block_resize", "device size", "resize a block image", hmp_block_resize, true },
    { "change", "device [-f] filename [format [read-only-mode]]",
      "change a removable medium, optional format, use -f to force the operation", hmp_change,
      true },
    { "chardev-add", "args", "add chardev", hmp_chardev_add, true },
    { "chardev-change", "id args", "change chardev", hmp_chardev_change, true },
    { "chardev-remove", "id", "remove chardev", hmp_chardev_remove, true },
    { "chardev-send-break", "id", "send a break on chardev", hmp_chardev_send_break, true },
    { "cont|c", "", "resume emulation", hmp_cont },
    { "cpu", "index", "set the default CPU", hmp_cpu, true },
    { "delvm", "tag", "delete a VM snapshot from its tag", hmp_delvm, true },
    { "device_add", "driver[,prop=value][,...]", "add device, like -device on the command line",
      hmp_device_add, true },
    { "device_del", "device", "remove device", hmp_device_del, true },
    { "drive_add",
      "[-n] [[<domain>:]<bus>:]<slot>\n[file=file][,if=type][,bus=n]\n[,unit=m][,media=d][,index=i]"
      "\n[,snapshot=on|off][,cache=on|off]\n[,readonly=on|off][,copy-on-read=on|off]",
      "add drive to PCI storage controller", hmp_drive_add, true },
    { "drive_del", "device", "remove host block device", hmp_drive_del, true },
    { "eject", "[-f] device", "eject a removable medium (use -f to force it)", hmp_eject, true },
    { "gdbserver", "[device]",
      "start gdbserver on given device (default 'tcp::1234'), stop with 'none'", hmp_gdbserver,
      true },
    { "help|?", "[cmd]", "show the help", hmp_help, true },
    { "info", "[subcommand]", "show various information about the system state", hmp_info, true },
    { "loadvm", "tag", "restore a VM snapshot from its tag", hmp_loadvm, true },
    { "log", "item1[,...]", "activate logging of the specified items", hmp_log, true },
    { "logfile", "filename", "output logs to 'filename'", hmp_logfile, true },
    { "migrate", "[-d] [-b] [-i] [-r] uri",
      "migrate to URI (using -d to not wait for completion)\n"
      "\t\t\t -b for migration without shared storage with full copy of disk\n"
      "\t\t\t -i for migration without shared storage with incremental copy of disk "
      "(base image shared between src and destination)\n"
      "\t\t\t -r to resume a paused migration",
      hmp_migrate, true },
    { "migrate_cancel", "", "cancel the current VM migration", hmp_migrate_cancel },
    { "migrate_incoming", "uri", "Continue an incoming migration from an -incoming defer",
      hmp_migrate_incoming, true },
    { "migrate_set_capability", "capability state",
      "Enable/Disable the usage of a capability for migration", hmp_migrate_set_capability, true },
    { "migrate_set_parameter", "parameter value", "Set the parameter for migration",
      hmp_migrate_set_parameter, true },
    { "netdev_add",
      "[user|tap|socket|stream|dgram|vde|bridge|hubport|netmap|vhost-user],id=str"
      "[,prop=value][,...]",
      "add host network device", hmp_netdev_add, true },
    { "netdev_del", "id", "remove host network device", hmp_netdev_del, true },
    { "nmi", "", "inject an NMI", hmp_nmi },
    { "quit|q", "", "quit the emulator", hmp_quit },
    { "ringbuf_read", "device size", "Read from a ring buffer character device", hmp_ringbuf_read,
      true },
    { "ringbuf_write", "device data", "Write to a ring buffer character device", hmp_ringbuf_write,
      true },
    { "savevm", "tag", "save a VM snapshot. If no tag is provided, a new snapshot is created",
      hmp_savevm, true },
    { "set_link", "name on|off", "change the link status of a network adapter", hmp_set_link,
      true },
    { "stop|s", "", "stop emulation", hmp_stop },
    { "system_powerdown", "", "send system power down event", hmp_system_powerdown },
    { "system_reset", "", "reset the system", hmp_system_reset },
    { "x", "/fmt addr", "virtual memory dump starting at 'addr'", hmp_x, true },
    { "xp", "/fmt addr", "physical memory dump starting at 'addr'", hmp_xp, true },
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

void hmp_print_cmd_help(GString *out, const char *prefix, const HmpCommand *c)
{
    g_string_append_printf(out, "%s%s %s -- %s\n", prefix, c->name, c->params, c->help);
}

static void print_info_list(HmpContext *ctx)
{
    for (size_t i = 0; i < hmp_info_cmds_count; i++) {
        hmp_print_cmd_help(ctx->out, "info ", &hmp_info_cmds[i]);
    }
}

static bool (*command_filter)(const char *prefix, const char *name);

void hmp_set_command_filter(bool (*allow)(const char *prefix, const char *name))
{
    command_filter = allow;
}

/* The command name (the part after "info "), its arguments, then the handler. */
static void run_command(HmpContext *ctx, const HmpCommand *table, size_t n, const char *prefix,
                        const char *line)
{
    const char *p = line + strspn(line, " \t");
    size_t len = strcspn(p, " \t");
    const HmpCommand *c = cmd_find(table, n, p, len);
    g_autofree char *typed = g_strdup_printf("%s%.*s", prefix, (int)len, p);
    g_autofree char *args = g_strstrip(g_strdup(p + len));

    ctx->typed = typed;
    ctx->args = args;
    if (c && command_filter && !command_filter(prefix, c->name)) {
        c = NULL;
    }
    if (!c) {
        g_string_append_printf(ctx->out, "unknown command: '%s'\n", typed);
        return;
    }
    ctx->name = c->name;
    if (*args && !c->takes_args) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", c->name);
        return;
    }
    c->fn(ctx);
}

static void hmp_info(HmpContext *ctx)
{
    if (!ctx->args[0]) {
        print_info_list(ctx);
        return;
    }
    run_command(ctx, hmp_info_cmds, hmp_info_cmds_count, "info ", ctx->args);
}

static void hmp_help(HmpContext *ctx)
{
    const char *name = ctx->args;
    size_t len = strcspn(name, " \t");
    const char *rest = name + len + strspn(name + len, " \t");
    const HmpCommand *c;

    if (!len) {
        for (size_t i = 0; i < G_N_ELEMENTS(hmp_cmds); i++) {
            hmp_print_cmd_help(ctx->out, "", &hmp_cmds[i]);
        }
        return;
    }
    if (len == 4 && !strncmp(name, "info", 4)) {
        size_t sub = strcspn(rest, " \t");

        if (!sub) {
            print_info_list(ctx);
            return;
        }
        c = cmd_find(hmp_info_cmds, hmp_info_cmds_count, rest, sub);
        if (c) {
            hmp_print_cmd_help(ctx->out, "info ", c);
        } else {
            g_string_append_printf(ctx->out, "unknown command: 'info %.*s'\n", (int)sub, rest);
        }
        return;
    }
    if (len == 3 && !strncmp(name, "log", 3) && !*rest) {
        /* QEMU's "help log" is the log item list. */
        print_log_items(ctx);
        return;
    }
    c = cmd_find(hmp_cmds, G_N_ELEMENTS(hmp_cmds), name, len);
    if (c) {
        hmp_print_cmd_help(ctx->out, "", c);
    } else {
        g_string_append_printf(ctx->out, "unknown command: '%.*s'\n", (int)len, name);
    }
}

/* ---- Completion -------------------------------------------------------- */

static void add_names(GPtrArray *out, const HmpCommand *table, size_t n, const char *word,
                      size_t len)
{
    for (size_t i = 0; i < n; i++) {
        g_auto(GStrv) names = g_strsplit(table[i].name, "|", -1);

        for (guint j = 0; names[j]; j++) {
            if (!strncmp(names[j], word, len)) {
                g_ptr_array_add(out, g_strdup(names[j]));
            }
        }
    }
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *hmp_complete(const char *line, size_t *start)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    const char *p = line + strspn(line, " \t");
    size_t len = strcspn(p, " \t");
    const char *rest = p + len;

    if (!*rest) {
        /* The first word: a command name. */
        *start = p - line;
        add_names(out, hmp_cmds, G_N_ELEMENTS(hmp_cmds), p, len);
    } else {
        const char *word = rest + strspn(rest, " \t");
        bool info = len == 4 && !strncmp(p, "info", 4);
        bool help = (len == 4 && !strncmp(p, "help", 4)) || (len == 1 && *p == '?');

        /* Only the second word, and only after info or help. */
        if ((info || help) && !word[strcspn(word, " \t")]) {
            *start = word - line;
            if (info) {
                add_names(out, hmp_info_cmds, hmp_info_cmds_count, word, strlen(word));
            } else {
                add_names(out, hmp_cmds, G_N_ELEMENTS(hmp_cmds), word, strlen(word));
            }
        }
    }
    g_ptr_array_sort(out, cmp_str);
    return out;
}

/* ---- The interface ----------------------------------------------------- */

HmpSession *hmp_session_new(void)
{
    HmpSession *s = g_new0(HmpSession, 1);

    s->last_format = 'x';
    s->last_size = 4;
    return s;
}

void hmp_session_free(HmpSession *s)
{
    g_free(s);
}

void hmp_session_set_history(HmpSession *s, GPtrArray *(*fn)(void *opaque), void *opaque)
{
    s->history = fn;
    s->history_opaque = opaque;
}

static void hmp_print_report(void *opaque, const char *line)
{
    g_string_append(opaque, line);
}

char *hmp_session_run(HmpSession *s, const char *cmdline)
{
    HmpContext ctx = { .out = g_string_new(NULL), .session = s };
    ErrorReportMonitor saved;

    if (cmdline[strspn(cmdline, " \t")]) {
        /* error_report() and warn_report() print on this monitor meanwhile. */
        saved = error_report_set_monitor(
            (ErrorReportMonitor){ .active = true, .print = hmp_print_report, .opaque = ctx.out });
        run_command(&ctx, hmp_cmds, G_N_ELEMENTS(hmp_cmds), "", cmdline);
        error_report_set_monitor(saved);
    }
    return g_string_free(ctx.out, false);
}

bool hmp_session_quit(const HmpSession *s)
{
    return s->quit;
}

char *hmp_run(const char *cmdline, int64_t cpu_index)
{
    HmpSession *s = hmp_session_new();
    char *out;

    s->cpu_index = cpu_index;
    s->from_qmp = true;
    out = hmp_session_run(s, cmdline);
    hmp_session_free(s);
    return out;
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

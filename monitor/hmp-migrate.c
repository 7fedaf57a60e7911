/*
 * HMP migration commands as QEMU 7.2's: migrate, migrate_cancel,
 * migrate_incoming, migrate_set_parameter, migrate_set_capability and
 * info migrate, migrate_parameters, migrate_capabilities (over the QMP
 * commands of migration/).
 */
#include "monitor/hmp-internal.h"
#include "qapi/qapi-commands.h"
#include "qemu/error-report.h"
#include "qemu/option.h"

/* Run a QMP handler on args and print "Error: ..." when it fails. */
static void qmp_and_free(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args)
{
    hmp_qmp_simple(ctx, fn, args);
    json_object_unref(args);
}

/*
 * migrate [-d] [-b] [-i] [-r] URI (QEMU reads the flags in that order).
 * Without -d a terminal's monitor waits for the end (hmp_session_poll_wait);
 * human-monitor-command's cannot, and says what QEMU says then.
 */
void hmp_migrate(HmpContext *ctx)
{
    const char *p = ctx->args;
    bool flags[4]; /* d b i r */
    g_autofree char *uri = NULL;
    JsonObject *args;
    JsonNode *ret;

    if (!hmp_take_flags(ctx, &p, "dbir", flags)) {
        return;
    }
    uri = hmp_take_string(ctx, &p);
    if (!uri || !hmp_at_end(ctx, p)) {
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "uri", uri);
    json_object_set_boolean_member(args, "blk", flags[1]);
    json_object_set_boolean_member(args, "inc", flags[2]);
    json_object_set_boolean_member(args, "resume", flags[3]);
    ret = hmp_qmp(ctx, qmp_migrate, args);
    json_object_unref(args);
    if (!ret) {
        return;
    }
    json_node_unref(ret);
    if (flags[0]) {
        return;
    }
    if (!ctx->session->suspendable) {
        g_string_append(ctx->out,
                        "terminal does not allow synchronous migration, continuing detached\n");
        return;
    }
    ctx->session->migrate_wait = true;
    ctx->session->migrate_block = flags[1] || flags[2];
}

void hmp_session_set_suspendable(HmpSession *s)
{
    s->suspendable = true;
}

bool hmp_session_waiting(const HmpSession *s)
{
    return s->migrate_wait;
}

char *hmp_session_poll_wait(HmpSession *s)
{
    QmpError err = { 0 };
    JsonNode *ret;
    JsonObject *o;
    const char *status = NULL;
    bool block = s->migrate_block;

    if (!s->migrate_wait) {
        return g_strdup("");
    }
    ret = qmp_query_migrate(NULL, &err);
    if (!ret) {
        /* (query-migrate does not fail; stop waiting if it ever does) */
        g_free(err.desc);
        s->migrate_wait = false;
        return g_strdup("");
    }
    o = json_node_get_object(ret);
    if (json_object_has_member(o, "status")) {
        status = json_object_get_string_member(o, "status");
    }
    /* As QEMU 7.2: on while there is no status, or it is setup or active. */
    if (!status || !strcmp(status, "setup") || !strcmp(status, "active")) {
        json_node_unref(ret);
        return NULL;
    }
    if (json_object_has_member(o, "error-desc")) {
        error_report("%s", json_object_get_string_member(o, "error-desc"));
    }
    json_node_unref(ret);
    s->migrate_wait = false;
    s->migrate_block = false;
    return g_strdup(block ? "\n" : "");
}

void hmp_migrate_cancel(HmpContext *ctx)
{
    qmp_and_free(ctx, qmp_migrate_cancel, json_object_new());
}

void hmp_migrate_incoming(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *uri = hmp_take_string(ctx, &p);
    JsonObject *args;

    if (!uri || !hmp_at_end(ctx, p)) {
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "uri", uri);
    qmp_and_free(ctx, qmp_migrate_incoming, args);
}

/* on/yes/true/y and off/no/false/n, as QEMU's string input visitor. */
static bool parse_bool_word(const char *s, bool *val)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
            *val = !strcmp(s, yes[i]);
            return true;
        }
    }
    return false;
}

typedef enum HmpParamKind { K_SIZE, K_UINT8, K_UINT32, K_BOOL, K_STR, K_BW, K_ENUM } HmpParamKind;

/* QEMU's MigrationParameter names with the way its HMP reads each value. */
static const struct {
    const char *name;
    HmpParamKind kind;
} hmp_params[] = {
    { "announce-initial", K_SIZE },
    { "announce-max", K_SIZE },
    { "announce-rounds", K_SIZE },
    { "announce-step", K_SIZE },
    { "compress-level", K_UINT8 },
    { "compress-threads", K_UINT8 },
    { "compress-wait-thread", K_BOOL },
    { "decompress-threads", K_UINT8 },
    { "throttle-trigger-threshold", K_UINT8 },
    { "cpu-throttle-initial", K_UINT8 },
    { "cpu-throttle-increment", K_UINT8 },
    { "cpu-throttle-tailslow", K_BOOL },
    { "tls-creds", K_STR },
    { "tls-hostname", K_STR },
    { "tls-authz", K_STR },
    { "max-bandwidth", K_BW },
    { "downtime-limit", K_SIZE },
    { "x-checkpoint-delay", K_UINT32 },
    { "block-incremental", K_BOOL },
    { "multifd-channels", K_UINT8 },
    { "multifd-compression", K_ENUM },
    { "xbzrle-cache-size", K_SIZE },
    { "max-postcopy-bandwidth", K_SIZE },
    { "max-cpu-throttle", K_UINT8 },
    { "multifd-zlib-level", K_UINT8 },
    { "multifd-zstd-level", K_UINT8 },
    { "block-bitmap-mapping", K_STR },
};

/* A negative number wraps, as strtoull does in QEMU's visitor. */
static bool parse_uint_word(const char *s, uint64_t *val)
{
    if (*s == '-') {
        uint64_t v;

        if (!qemu_strtou64(s + 1, &v)) {
            return false;
        }
        *val = -v;
        return true;
    }
    return qemu_strtou64(s, val);
}

/* migrate_set_parameter NAME VALUE: VALUE read as QEMU's HMP reads that parameter. */
void hmp_migrate_set_parameter(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *name = hmp_take_string(ctx, &p);
    g_autofree char *value = name ? hmp_take_string(ctx, &p) : NULL;
    JsonObject *args;
    uint64_t u;
    bool b;
    int i = -1;

    if (!value || !hmp_at_end(ctx, p)) {
        return;
    }
    for (size_t j = 0; j < G_N_ELEMENTS(hmp_params); j++) {
        if (!strcmp(hmp_params[j].name, name)) {
            i = j;
        }
    }
    if (i < 0) {
        g_string_append_printf(ctx->out, "Error: invalid parameter value: %s\n", name);
        return;
    }
    if (!strcmp(name, "block-bitmap-mapping")) {
        g_string_append(ctx->out,
                        "Error: The block-bitmap-mapping parameter can only be set through QMP\n");
        return;
    }
    args = json_object_new();
    switch (hmp_params[i].kind) {
    case K_SIZE:
        if (!qemu_strtosz(value, 1, &u)) {
            g_string_append_printf(ctx->out,
                                   "Error: Parameter '%s' expects a non-negative number below "
                                   "2^64\n" QEMU_SIZE_SUFFIX_HINT "\n",
                                   name);
            goto out;
        }
        json_object_set_member(args, name, qmp_node_uint64(u));
        break;
    case K_BW:
        /* In MiB/s without a suffix, at most INT64_MAX bytes/s. */
        if (!qemu_strtosz(value, 1 << 20, &u) || u > INT64_MAX) {
            g_string_append_printf(ctx->out, "Error: Invalid size %s\n", value);
            goto out;
        }
        json_object_set_int_member(args, name, u);
        break;
    case K_UINT8:
    case K_UINT32: {
        uint64_t max = hmp_params[i].kind == K_UINT8 ? UINT8_MAX : UINT32_MAX;

        if (!parse_uint_word(value, &u)) {
            g_string_append_printf(ctx->out, "Error: Parameter '%s' expects uint64\n", name);
            goto out;
        }
        if (u > max) {
            g_string_append_printf(ctx->out, "Error: Parameter '%s' expects %s\n", name,
                                   max == UINT8_MAX ? "uint8_t" : "uint32_t");
            goto out;
        }
        json_object_set_int_member(args, name, u);
        break;
    }
    case K_BOOL:
        if (!parse_bool_word(value, &b)) {
            g_string_append_printf(ctx->out, "Error: Parameter '%s' expects 'on' or 'off'\n", name);
            goto out;
        }
        json_object_set_boolean_member(args, name, b);
        break;
    case K_STR:
        json_object_set_string_member(args, name, value);
        break;
    case K_ENUM:
        if (strcmp(value, "none") && strcmp(value, "zlib") && strcmp(value, "zstd")) {
            g_string_append_printf(ctx->out, "Error: Parameter '%s' does not accept value '%s'\n",
                                   name, value);
            goto out;
        }
        json_object_set_string_member(args, name, value);
        break;
    }
    hmp_qmp_simple(ctx, qmp_migrate_set_parameters, args);
out:
    json_object_unref(args);
}

/* migrate_set_capability NAME on|off */
void hmp_migrate_set_capability(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *name = hmp_take_string(ctx, &p);
    g_autoptr(JsonNode) caps = NULL;
    const char *s;
    size_t len;
    bool on;
    JsonArray *list;
    JsonObject *cap, *args;

    if (!name) {
        return;
    }
    /* QEMU's 'b' argument: exactly on or off. */
    s = p + strspn(p, " \t");
    len = strcspn(s, " \t");
    if ((len == 2 && !strncmp(s, "on", 2)) || (len == 3 && !strncmp(s, "off", 3))) {
        on = len == 2;
    } else {
        hmp_arg_error(ctx, "Expected 'on' or 'off'");
        return;
    }
    if (!hmp_at_end(ctx, s + len)) {
        return;
    }
    /* An unknown name is refused as QEMU's enum lookup refuses it. */
    caps = qmp_query_migrate_capabilities(NULL, NULL);
    list = json_node_get_array(caps);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *c = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(c, "capability"), name)) {
            cap = json_object_new();
            json_object_set_string_member(cap, "capability", name);
            json_object_set_boolean_member(cap, "state", on);
            list = json_array_new();
            json_array_add_object_element(list, cap);
            args = json_object_new();
            json_object_set_array_member(args, "capabilities", list);
            qmp_and_free(ctx, qmp_migrate_set_capabilities, args);
            return;
        }
    }
    g_string_append_printf(ctx->out, "Error: invalid parameter value: %s\n", name);
}

/* QEMU's migration globals (all at their pseries defaults). */
static void print_globals(GString *out)
{
    g_string_append(out, "globals:\n"
                         "store-global-state: on\n"
                         "only-migratable: off\n"
                         "send-configuration: on\n"
                         "send-section-footer: on\n"
                         "decompress-error-check: on\n"
                         "clear-bitmap-shift: 18\n");
}

static int64_t member_int(JsonObject *o, const char *name)
{
    return json_object_has_member(o, name) ? json_object_get_int_member(o, name) : 0;
}

void hmp_info_migrate(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_migrate, NULL);
    JsonObject *o, *ram;
    GString *out = ctx->out;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    print_globals(out);
    if (json_object_has_member(o, "blocked-reasons")) {
        JsonArray *reasons = json_object_get_array_member(o, "blocked-reasons");

        g_string_append(out, "Outgoing migration blocked:\n");
        for (guint i = 0; i < json_array_get_length(reasons); i++) {
            g_string_append_printf(out, "  %s\n", json_array_get_string_element(reasons, i));
        }
    }
    if (json_object_has_member(o, "status")) {
        const char *status = json_object_get_string_member(o, "status");

        g_string_append_printf(out, "Migration status: %s", status);
        if (!strcmp(status, "failed") && json_object_has_member(o, "error-desc")) {
            g_string_append_printf(out, " (%s)\n", json_object_get_string_member(o, "error-desc"));
        } else {
            g_string_append(out, "\n");
        }
        g_string_append_printf(out, "total time: %" PRId64 " ms\n", member_int(o, "total-time"));
        if (json_object_has_member(o, "expected-downtime")) {
            g_string_append_printf(out, "expected downtime: %" PRId64 " ms\n",
                                   member_int(o, "expected-downtime"));
        }
        if (json_object_has_member(o, "downtime")) {
            g_string_append_printf(out, "downtime: %" PRId64 " ms\n", member_int(o, "downtime"));
        }
        if (json_object_has_member(o, "setup-time")) {
            g_string_append_printf(out, "setup: %" PRId64 " ms\n", member_int(o, "setup-time"));
        }
    }
    if (json_object_has_member(o, "ram")) {
        ram = json_object_get_object_member(o, "ram");
        g_string_append_printf(out, "transferred ram: %" PRId64 " kbytes\n",
                               member_int(ram, "transferred") >> 10);
        g_string_append_printf(out, "throughput: %0.2f mbps\n",
                               json_object_get_double_member(ram, "mbps"));
        g_string_append_printf(out, "remaining ram: %" PRId64 " kbytes\n",
                               member_int(ram, "remaining") >> 10);
        g_string_append_printf(out, "total ram: %" PRId64 " kbytes\n",
                               member_int(ram, "total") >> 10);
        g_string_append_printf(out, "duplicate: %" PRId64 " pages\n", member_int(ram, "duplicate"));
        g_string_append_printf(out, "skipped: %" PRId64 " pages\n", member_int(ram, "skipped"));
        g_string_append_printf(out, "normal: %" PRId64 " pages\n", member_int(ram, "normal"));
        g_string_append_printf(out, "normal bytes: %" PRId64 " kbytes\n",
                               member_int(ram, "normal-bytes") >> 10);
        g_string_append_printf(out, "dirty sync count: %" PRId64 "\n",
                               member_int(ram, "dirty-sync-count"));
        g_string_append_printf(out, "page size: %" PRId64 " kbytes\n",
                               member_int(ram, "page-size") >> 10);
        g_string_append_printf(out, "multifd bytes: %" PRId64 " kbytes\n",
                               member_int(ram, "multifd-bytes") >> 10);
        g_string_append_printf(out, "pages-per-second: %" PRId64 "\n",
                               member_int(ram, "pages-per-second"));
        if (member_int(ram, "dirty-pages-rate")) {
            g_string_append_printf(out, "dirty pages rate: %" PRId64 " pages\n",
                                   member_int(ram, "dirty-pages-rate"));
        }
        if (member_int(ram, "precopy-bytes")) {
            g_string_append_printf(out, "precopy ram: %" PRId64 " kbytes\n",
                                   member_int(ram, "precopy-bytes") >> 10);
        }
        if (member_int(ram, "downtime-bytes")) {
            g_string_append_printf(out, "downtime ram: %" PRId64 " kbytes\n",
                                   member_int(ram, "downtime-bytes") >> 10);
        }
    }
    if (json_object_has_member(o, "disk")) {
        JsonObject *disk = json_object_get_object_member(o, "disk");

        g_string_append_printf(out, "transferred disk: %" PRId64 " kbytes\n",
                               member_int(disk, "transferred") >> 10);
        g_string_append_printf(out, "remaining disk: %" PRId64 " kbytes\n",
                               member_int(disk, "remaining") >> 10);
        g_string_append_printf(out, "total disk: %" PRId64 " kbytes\n",
                               member_int(disk, "total") >> 10);
    }
    json_node_unref(ret);
}

/* Units as QEMU prints them: ms for the times, bytes for the sizes. */
static const char *param_unit(const char *name)
{
    static const char *const ms[] = { "announce-initial", "announce-max", "announce-step",
                                      "downtime-limit", "x-checkpoint-delay" };

    for (size_t i = 0; i < G_N_ELEMENTS(ms); i++) {
        if (!strcmp(name, ms[i])) {
            return " ms";
        }
    }
    if (!strcmp(name, "max-bandwidth")) {
        return " bytes/second";
    }
    if (!strcmp(name, "xbzrle-cache-size")) {
        return " bytes";
    }
    return "";
}

void hmp_info_migrate_parameters(HmpContext *ctx)
{
    /* QEMU's order, not the query's. */
    static const char *const order[] = {
        "announce-initial",
        "announce-max",
        "announce-rounds",
        "announce-step",
        "compress-level",
        "compress-threads",
        "compress-wait-thread",
        "decompress-threads",
        "throttle-trigger-threshold",
        "cpu-throttle-initial",
        "cpu-throttle-increment",
        "cpu-throttle-tailslow",
        "max-cpu-throttle",
        "tls-creds",
        "tls-hostname",
        "max-bandwidth",
        "downtime-limit",
        "x-checkpoint-delay",
        "block-incremental",
        "multifd-channels",
        "multifd-compression",
        "xbzrle-cache-size",
        "max-postcopy-bandwidth",
        "tls-authz",
    };
    JsonNode *ret = hmp_qmp(ctx, qmp_query_migrate_parameters, NULL);
    JsonObject *o;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        JsonNode *n = json_object_get_member(o, order[i]);
        GType t = json_node_get_value_type(n);

        g_string_append_printf(ctx->out, "%s: ", order[i]);
        if (t == G_TYPE_BOOLEAN) {
            g_string_append(ctx->out, json_node_get_boolean(n) ? "on" : "off");
        } else if (t == G_TYPE_STRING && g_str_has_prefix(order[i], "tls-")) {
            g_string_append_printf(ctx->out, "'%s'", json_node_get_string(n));
        } else if (t == G_TYPE_STRING &&
                   !g_str_has_prefix(json_node_get_string(n), QMP_UINT64_MARK)) {
            g_string_append(ctx->out, json_node_get_string(n));
        } else {
            g_string_append_printf(ctx->out, "%" PRIu64, qmp_node_get_uint64(n));
        }
        g_string_append_printf(ctx->out, "%s\n", param_unit(order[i]));
    }
    json_node_unref(ret);
}

void hmp_info_migrate_capabilities(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_migrate_capabilities, NULL);
    JsonArray *list;

    if (!ret) {
        return;
    }
    list = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *c = json_array_get_object_element(list, i);

        g_string_append_printf(ctx->out, "%s: %s\n", json_object_get_string_member(c, "capability"),
                               json_object_get_boolean_member(c, "state") ? "on" : "off");
    }
    json_node_unref(ret);
}

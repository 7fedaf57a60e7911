/*
 * QMP sessions: split the byte stream into JSON messages, validate the QMP
 * envelope, dispatch to the command table, and send replies and events.
 */
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "monitor/json-stream.h"
#include "qemu/error-report.h"
#include "sysemu/preconfig.h"
#include "sysemu/runstate.h"

#include <math.h>

/* A complete message waiting for dispatch, or a parse error to report. */
typedef struct QmpPending {
    JsonNode *value; /* the message, or NULL for an error */
    char *error;
} QmpPending;

struct QmpSession {
    JsonStream *stream;
    GQueue pending; /* of QmpPending, answered in arrival order */
    bool pretty;
    bool negotiated;
    bool oob; /* the client enabled the "oob" capability */
    QmpOutputFn *out;
    void *opaque;
};

/* ---- Output: QEMU's JSON text format ----------------------------------- */

static void json_append_node(GString *s, JsonNode *node, bool pretty, int level);

/* QEMU's string writer: modified UTF-8 in, ASCII out, bad bytes as U+FFFD. */
static void json_append_string(GString *s, const char *str)
{
    const char *p = str;

    g_string_append_c(s, '"');
    while (*p) {
        int c = json_utf8_codepoint(p, 6, &p);

        switch (c) {
        case '"':
            g_string_append(s, "\\\"");
            break;
        case '\\':
            g_string_append(s, "\\\\");
            break;
        case '\b':
            g_string_append(s, "\\b");
            break;
        case '\f':
            g_string_append(s, "\\f");
            break;
        case '\n':
            g_string_append(s, "\\n");
            break;
        case '\r':
            g_string_append(s, "\\r");
            break;
        case '\t':
            g_string_append(s, "\\t");
            break;
        default:
            if (c < 0) {
                c = 0xfffd;
            }
            if (c >= 0x20 && c < 0x7f) {
                g_string_append_c(s, c);
            } else if (c < 0x10000) {
                g_string_append_printf(s, "\\u%04X", c);
            } else {
                /* Outside the BMP: a UTF-16 surrogate pair. */
                c -= 0x10000;
                g_string_append_printf(s, "\\u%04X\\u%04X", 0xd800 | (c >> 10),
                                       0xdc00 | (c & 0x3ff));
            }
        }
    }
    g_string_append_c(s, '"');
}

static void json_append_value(GString *s, JsonNode *node)
{
    GType type = json_node_get_value_type(node);

    if (type == G_TYPE_INT64) {
        g_string_append_printf(s, "%" PRId64, json_node_get_int(node));
    } else if (type == G_TYPE_DOUBLE) {
        char tmp[G_ASCII_DTOSTR_BUF_SIZE];

        /* As QEMU: %.17g, even where that gives "inf" or "-0". */
        g_string_append(s, g_ascii_formatd(tmp, sizeof(tmp), "%.17g", json_node_get_double(node)));
    } else if (type == G_TYPE_BOOLEAN) {
        g_string_append(s, json_node_get_boolean(node) ? "true" : "false");
    } else if (type == G_TYPE_STRING) {
        const char *str = json_node_get_string(node);

        if (g_str_has_prefix(str, QMP_UINT64_MARK)) {
            /* A uint64 above INT64_MAX (qmp_node_uint64): its digits. */
            g_string_append(s, str + strlen(QMP_UINT64_MARK));
        } else {
            json_append_string(s, str);
        }
    } else {
        g_string_append(s, "null");
    }
}

static void json_newline(GString *s, bool pretty, int level)
{
    if (pretty) {
        g_string_append_c(s, '\n');
        for (int i = 0; i < level; i++) {
            g_string_append(s, "    ");
        }
    }
}

static void json_append_object(GString *s, JsonObject *obj, bool pretty, int level)
{
    GList *members = json_object_get_members(obj);

    g_string_append_c(s, '{');
    for (GList *l = members; l; l = l->next) {
        if (l != members) {
            g_string_append(s, pretty ? "," : ", ");
        }
        json_newline(s, pretty, level + 1);
        json_append_string(s, l->data);
        g_string_append(s, ": ");
        json_append_node(s, json_object_get_member(obj, l->data), pretty, level + 1);
    }
    /* QEMU's pretty printer breaks the line even for an empty object. */
    json_newline(s, pretty, level);
    g_string_append_c(s, '}');
    g_list_free(members);
}

static void json_append_array(GString *s, JsonArray *arr, bool pretty, int level)
{
    guint n = json_array_get_length(arr);

    g_string_append_c(s, '[');
    for (guint i = 0; i < n; i++) {
        if (i) {
            g_string_append(s, pretty ? "," : ", ");
        }
        json_newline(s, pretty, level + 1);
        json_append_node(s, json_array_get_element(arr, i), pretty, level + 1);
    }
    json_newline(s, pretty, level);
    g_string_append_c(s, ']');
}

static void json_append_node(GString *s, JsonNode *node, bool pretty, int level)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT:
        json_append_object(s, json_node_get_object(node), pretty, level);
        break;
    case JSON_NODE_ARRAY:
        json_append_array(s, json_node_get_array(node), pretty, level);
        break;
    case JSON_NODE_VALUE:
        json_append_value(s, node);
        break;
    case JSON_NODE_NULL:
        g_string_append(s, "null");
        break;
    }
}

char *qmp_to_json(JsonNode *node, bool pretty)
{
    GString *s = g_string_new(NULL);

    json_append_node(s, node, pretty, 0);
    return g_string_free(s, false);
}

/* A message on the wire: every line ends with CR LF, as QEMU's monitor. */
static void qmp_send(QmpSession *s, JsonObject *msg)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), msg);
    g_autofree char *text = qmp_to_json(node, s->pretty);
    GString *wire = g_string_sized_new(strlen(text) + 8);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(wire, '\r');
        }
        g_string_append_c(wire, *p);
    }
    g_string_append(wire, "\r\n");
    s->out(s->opaque, wire->str, wire->len);
    g_string_free(wire, true);
    json_node_unref(node);
}

static void qmp_send_error(QmpSession *s, JsonNode *id, const char *cls, const char *desc)
{
    JsonObject *msg = json_object_new();
    JsonObject *err = json_object_new();

    if (id) {
        json_object_set_member(msg, "id", json_node_copy(id));
    }
    json_object_set_string_member(err, "class", cls);
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(msg, "error", err);
    qmp_send(s, msg);
    json_object_unref(msg);
}

static void qmp_send_return(QmpSession *s, JsonNode *id, JsonNode *ret)
{
    JsonObject *msg = json_object_new();

    json_object_set_member(msg, "return", ret);
    if (id) {
        json_object_set_member(msg, "id", json_node_copy(id));
    }
    qmp_send(s, msg);
    json_object_unref(msg);
}

void qmp_session_event(QmpSession *s, const char *event, JsonNode *data)
{
    gint64 now = g_get_real_time();
    JsonObject *msg, *ts;

    if (!s->negotiated) {
        return;
    }
    msg = json_object_new();
    ts = json_object_new();
    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(msg, "timestamp", ts);
    json_object_set_string_member(msg, "event", event);
    if (data) {
        json_object_set_member(msg, "data", json_node_copy(data));
    }
    qmp_send(s, msg);
    json_object_unref(msg);
}

static void qmp_send_greeting(QmpSession *s)
{
    JsonObject *msg = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonArray *caps = json_array_new();

    json_array_add_string_element(caps, "oob");
    json_object_set_member(qmp, "version", qmp_version_info());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(msg, "QMP", qmp);
    qmp_send(s, msg);
    json_object_unref(msg);
}

/* ---- Dispatch ------------------------------------------------------------ */

typedef struct QmpRequest {
    const char *execute; /* command name, from "execute" or "exec-oob" */
    bool oob;
    JsonObject *args; /* NULL when absent */
} QmpRequest;

/* The envelope's checks, in QEMU's (member) order and wording. */
static bool qmp_check_envelope(QmpSession *s, JsonObject *obj, QmpRequest *req, char **err)
{
    g_autoptr(GList) members = json_object_get_members(obj);
    const char *exec_key = NULL;

    for (GList *l = members; l; l = l->next) {
        const char *key = l->data;
        JsonNode *val = json_object_get_member(obj, key);
        bool is_str = JSON_NODE_HOLDS_VALUE(val) && json_node_get_value_type(val) == G_TYPE_STRING;

        if (!strcmp(key, "execute") || (!strcmp(key, "exec-oob") && s->oob)) {
            if (!is_str) {
                *err = g_strdup_printf("QMP input member '%s' must be a string", key);
                return false;
            }
            if (exec_key) {
                *err = g_strdup_printf("QMP input member '%s' clashes with '%s'", key, exec_key);
                return false;
            }
            exec_key = key;
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(val)) {
                *err = g_strdup("QMP input member 'arguments' must be an object");
                return false;
            }
            req->args = json_node_get_object(val);
        } else if (strcmp(key, "id")) {
            *err = g_strdup_printf("QMP input member '%s' is unexpected", key);
            return false;
        }
    }
    if (!exec_key) {
        *err = g_strdup("QMP input lacks member 'execute'");
        return false;
    }
    req->execute = json_object_get_string_member(obj, exec_key);
    req->oob = !strcmp(exec_key, "exec-oob");
    return true;
}

static bool (*command_filter)(const char *name);

void qmp_set_command_filter(bool (*allow)(const char *name))
{
    command_filter = allow;
}

/* Find the command; NULL + err when it may not run. */
static const QmpCommand *qmp_lookup(QmpSession *s, const QmpRequest *req, QmpError *err)
{
    const QmpCommand *cmd = qmp_command_find(req->execute);

    if (cmd && command_filter && !command_filter(cmd->name)) {
        cmd = NULL;
    }

    if (!s->negotiated) {
        /* Until negotiation, qmp_capabilities is the only command. */
        if (!cmd || strcmp(cmd->name, QMP_CAPABILITIES)) {
            qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND,
                          "Expecting capabilities negotiation with 'qmp_capabilities'");
            return NULL;
        }
    }
    if (!cmd) {
        qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND, "The command %s has not been found",
                      req->execute);
        return NULL;
    }
    if (req->oob && !(cmd->flags & QMP_CMD_ALLOW_OOB)) {
        qmp_error_setg(err, "The command %s does not support OOB", cmd->name);
        return NULL;
    }
    if (!phase_machine_ready() && !(cmd->flags & QMP_CMD_ALLOW_PRECONFIG)) {
        qmp_error_setg(err,
                       "The command '%s' is permitted only after machine initialization has "
                       "completed",
                       cmd->name);
        return NULL;
    }
    if (s->negotiated && !strcmp(cmd->name, QMP_CAPABILITIES)) {
        /* What QEMU's qmp_capabilities answers once negotiation is over. */
        qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND,
                      "Capabilities negotiation is already complete, command ignored");
        return NULL;
    }
    return cmd;
}

static bool qmp_args_enable_oob(JsonObject *args)
{
    JsonArray *caps;

    if (!args || !json_object_has_member(args, "enable")) {
        return false;
    }
    caps = json_object_get_array_member(args, "enable");
    return caps && json_array_get_length(caps) > 0;
}

static void qmp_execute(QmpSession *s, JsonObject *obj)
{
    JsonNode *id = json_object_get_member(obj, "id");
    QmpRequest req = { 0 };
    g_autoptr(JsonObject) empty = json_object_new();
    const QmpCommand *cmd;
    QmpError err = { 0 };
    char *envelope_err = NULL;
    void (*after)(void);
    ErrorReportMonitor saved;
    JsonNode *ret;

    if (!qmp_check_envelope(s, obj, &req, &envelope_err)) {
        qmp_send_error(s, id, QMP_ERROR_GENERIC, envelope_err);
        g_free(envelope_err);
        return;
    }
    if (!req.args) {
        req.args = empty;
    }
    if (!(cmd = qmp_lookup(s, &req, &err)) ||
        (!(cmd->flags & QMP_CMD_NO_VALIDATE) &&
         !qapi_validate_object(cmd->arg_type, req.args, &err))) {
        qmp_send_error(s, id, err.cls, err.desc);
        g_free(err.desc);
        return;
    }
    saved = error_report_set_monitor((ErrorReportMonitor){ .active = true });
    ret = cmd->fn(req.args, &err);
    error_report_set_monitor(saved);
    after = qmp_take_after_reply();
    if (!ret) {
        g_assert(err.desc);
        qmp_send_error(s, id, err.cls, err.desc);
        g_free(err.desc);
        return;
    }
    if (!strcmp(cmd->name, QMP_CAPABILITIES)) {
        s->negotiated = true;
        /* The schema only admits "oob", so any non-empty list enables it. */
        s->oob = qmp_args_enable_oob(req.args);
    }
    qmp_send_return(s, id, ret);
    if (after) {
        after();
    }
}

static void qmp_handle_message(QmpSession *s, JsonNode *root)
{
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        qmp_send_error(s, NULL, QMP_ERROR_GENERIC, "QMP input must be a JSON object");
        return;
    }
    qmp_execute(s, json_node_get_object(root));
}

static void pending_free(gpointer data)
{
    QmpPending *p = data;

    if (p->value) {
        json_node_unref(p->value);
    }
    g_free(p->error);
    g_free(p);
}

/* As QEMU: an object with "exec-oob" and no "execute" runs as it arrives. */
static bool qmp_is_oob(JsonNode *value)
{
    JsonObject *obj;

    if (!value || !JSON_NODE_HOLDS_OBJECT(value)) {
        return false;
    }
    obj = json_node_get_object(value);
    return json_object_has_member(obj, "exec-oob") && !json_object_has_member(obj, "execute");
}

/* The reader completed a value or hit an error: queue it for an answer. */
static void qmp_stream_emit(void *opaque, JsonNode *value, const char *error)
{
    QmpSession *s = opaque;
    QmpPending *p;

    if (qmp_is_oob(value)) {
        qmp_handle_message(s, value);
        json_node_unref(value);
        return;
    }
    p = g_new0(QmpPending, 1);
    p->value = value;
    p->error = g_strdup(error);
    g_queue_push_tail(&s->pending, p);
}

/* ---- Sessions ------------------------------------------------------------ */

QmpSession *qmp_session_new(bool pretty, QmpOutputFn *out, void *opaque)
{
    QmpSession *s = g_new0(QmpSession, 1);

    s->stream = json_stream_new(qmp_stream_emit, s);
    s->pretty = pretty;
    s->out = out;
    s->opaque = opaque;
    return s;
}

void qmp_session_free(QmpSession *s)
{
    if (s) {
        g_queue_clear_full(&s->pending, pending_free);
        json_stream_free(s->stream);
        g_free(s);
    }
}

void qmp_session_close(QmpSession *s)
{
    /* As QEMU: requests of a client that left are dropped. */
    g_queue_clear_full(&s->pending, pending_free);
    json_stream_reset(s->stream);
    s->negotiated = false;
    s->oob = false;
}

void qmp_session_open(QmpSession *s)
{
    qmp_session_close(s);
    qmp_send_greeting(s);
}

bool qmp_session_negotiated(QmpSession *s)
{
    return s->negotiated;
}

bool qmp_session_oob(QmpSession *s)
{
    return s->oob;
}

void qmp_session_input(QmpSession *s, const uint8_t *buf, size_t len)
{
    json_stream_feed(s->stream, buf, len);
}

unsigned qmp_session_pending(QmpSession *s)
{
    return g_queue_get_length(&s->pending);
}

bool qmp_session_dispatch_one(QmpSession *s)
{
    QmpPending *p = g_queue_pop_head(&s->pending);

    if (!p) {
        return false;
    }
    if (p->error) {
        qmp_send_error(s, NULL, QMP_ERROR_GENERIC, p->error);
    } else {
        qmp_handle_message(s, p->value);
    }
    pending_free(p);
    return true;
}

/* ---- Monitors on chardevs ------------------------------------------------ */

/* Bytes taken from the chardev per read; the reader takes any amount. */
#define QMP_READ_CHUNK 4096
/* In-band requests QEMU queues per monitor before it stops reading. */
#define QMP_QUEUE_MAX 8

typedef struct QmpMonitor {
    Chardev *chr;
    QmpSession *session;
    guint dispatch_id; /* idle source answering queued messages, or 0 */
} QmpMonitor;

static GPtrArray *qmp_monitors;

static void monitor_qmp_out(void *opaque, const char *text, size_t len)
{
    QmpMonitor *mon = opaque;

    /* A peer that went away loses the message; CLOSED follows. */
    qemu_chr_fe_write_all(mon->chr, (const uint8_t *)text, len);
}

/*
 * Read nothing while requests wait: like QEMU's monitor, the client is held
 * back until its previous requests were answered, and an EOF is only seen
 * after them.
 */
static int monitor_qmp_can_read(void *opaque)
{
    QmpMonitor *mon = opaque;
    unsigned pending = qmp_session_pending(mon->session);

    /* With OOB on, QEMU queues up to 8 requests and reads on meanwhile. */
    if (pending == 0 || (qmp_session_oob(mon->session) && pending < QMP_QUEUE_MAX)) {
        return QMP_READ_CHUNK;
    }
    return 0;
}

/* The chardev of the monitor whose command runs now (for descriptors it passed). */
static Chardev *qmp_cur_chr;

int monitor_get_msgfd(void)
{
    return qemu_chr_fe_get_msgfd(qmp_cur_chr);
}

/*
 * An in-band command that waits in a nested main loop (blkdebug's config
 * FIFO) holds every monitor's in-band queue, as QEMU's blocked main thread
 * does; out-of-band commands are still read and answered meanwhile.
 */
static bool qmp_dispatching;

static gboolean monitor_qmp_dispatch(gpointer opaque);

static void monitor_qmp_kick(QmpMonitor *mon)
{
    if (qmp_session_pending(mon->session) && !mon->dispatch_id) {
        mon->dispatch_id = g_idle_add(monitor_qmp_dispatch, mon);
    }
}

static gboolean monitor_qmp_dispatch(gpointer opaque)
{
    QmpMonitor *mon = opaque;

    if (qmp_dispatching) {
        mon->dispatch_id = 0; /* kicked again when the running command ends */
        return G_SOURCE_REMOVE;
    }
    qmp_dispatching = true;
    qmp_cur_chr = mon->chr;
    qmp_session_dispatch_one(mon->session);
    qmp_cur_chr = NULL;
    qmp_dispatching = false;
    for (guint i = 0; i < qmp_monitors->len; i++) {
        QmpMonitor *other = g_ptr_array_index(qmp_monitors, i);

        if (other != mon) {
            monitor_qmp_kick(other);
        }
    }
    if (qmp_session_pending(mon->session)) {
        return G_SOURCE_CONTINUE;
    }
    mon->dispatch_id = 0;
    qemu_chr_fe_accept_input(mon->chr);
    return G_SOURCE_REMOVE;
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, int size)
{
    QmpMonitor *mon = opaque;

    if (size > 0) {
        qmp_session_input(mon->session, buf, size);
    }
    monitor_qmp_kick(mon);
}

static void monitor_qmp_event(void *opaque, QEMUChrEvent event)
{
    QmpMonitor *mon = opaque;

    if (event == CHR_EVENT_OPENED) {
        qmp_session_open(mon->session);
    } else if (event == CHR_EVENT_CLOSED) {
        qmp_session_close(mon->session);
    } else {
        return; /* mux focus changes mean nothing to QMP */
    }
    if (mon->dispatch_id) {
        g_source_remove(mon->dispatch_id);
        mon->dispatch_id = 0;
    }
}

static void monitor_runstate_event(const char *event, const char *data_json)
{
    monitor_qapi_event(event, data_json);
}

bool monitor_init_qmp(Chardev *chr, bool pretty, char **err)
{
    QmpMonitor *mon = g_new0(QmpMonitor, 1);

    mon->chr = chr;
    mon->session = qmp_session_new(pretty, monitor_qmp_out, mon);
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
        runstate_set_event_hook(monitor_runstate_event);
    }
    /* Listed first: the chardev may report OPENED from inside the call. */
    g_ptr_array_add(qmp_monitors, mon);
    if (!qemu_chr_fe_set_handlers(chr, monitor_qmp_can_read, monitor_qmp_read, monitor_qmp_event,
                                  mon)) {
        *err = g_strdup_printf("Device '%s' is in use", qemu_chr_id(chr) ? qemu_chr_id(chr) : "?");
        g_ptr_array_remove(qmp_monitors, mon);
        qmp_session_free(mon->session);
        g_free(mon);
        return false;
    }
    return true;
}

void monitor_qapi_event(const char *event, const char *data_json)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    JsonNode *data = NULL;

    if (!qmp_monitors) {
        return;
    }
    if (data_json && json_parser_load_from_data(parser, data_json, -1, NULL)) {
        data = json_parser_get_root(parser);
    }
    for (guint i = 0; i < qmp_monitors->len; i++) {
        QmpMonitor *mon = g_ptr_array_index(qmp_monitors, i);

        qmp_session_event(mon->session, event, data);
    }
}

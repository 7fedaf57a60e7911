/*
 * Migration control: QMP migrate / migrate-incoming / query-migrate and the
 * capabilities, -incoming, the MIGRATION event and the run states around a
 * migration (stop-and-copy: the source stops, writes the stream, stays in
 * postmigrate; the destination loads it, then runs or pauses).
 */
#include "migration/migration.h"
#include "exec/guest-memory.h"
#include "qapi/qapi-commands.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

#include <glib-unix.h>
#include <signal.h>
#include <sys/socket.h>

/* ---- Capabilities (QEMU's MigrationCapability, in its order) ------------ */

static const char *const migration_caps[] = {
    "xbzrle",           "rdma-pin-all",  "auto-converge",       "zero-blocks",
    "compress",         "events",        "postcopy-ram",        "x-colo",
    "release-ram",      "block",         "return-path",         "pause-before-switchover",
    "multifd",          "dirty-bitmaps", "postcopy-blocktime",  "late-block-activate",
    "x-ignore-shared",  "validate-uuid", "background-snapshot", "zero-copy-send",
    "postcopy-preempt",
};
static bool migration_cap_state[G_N_ELEMENTS(migration_caps)];

static int migration_cap_index(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(migration_caps); i++) {
        if (!strcmp(migration_caps[i], name)) {
            return i;
        }
    }
    return -1;
}

bool migration_capability(const char *name)
{
    int i = migration_cap_index(name);

    return i >= 0 && migration_cap_state[i];
}

JsonNode *qmp_query_migrate_capabilities(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    for (size_t i = 0; i < G_N_ELEMENTS(migration_caps); i++) {
        JsonObject *o = json_object_new();

        json_object_set_boolean_member(o, "state", migration_cap_state[i]);
        json_object_set_string_member(o, "capability", migration_caps[i]);
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

/*
 * Capabilities that need something this emulator lacks are refused, as QEMU
 * refuses them when built without it; all are checked before any is set.
 */
JsonNode *qmp_migrate_set_capabilities(JsonObject *args, QmpError *err)
{
    static const char *const unsupported[] = { "rdma-pin-all", "x-colo", "zero-copy-send" };
    JsonArray *caps = json_object_get_array_member(args, "capabilities");
    guint n = json_array_get_length(caps);

    for (guint i = 0; i < n; i++) {
        JsonObject *c = json_array_get_object_element(caps, i);
        const char *name = json_object_get_string_member(c, "capability");

        for (size_t j = 0; j < G_N_ELEMENTS(unsupported); j++) {
            if (!strcmp(name, unsupported[j]) && json_object_get_boolean_member(c, "state")) {
                qmp_error_setg(err, "Capability '%s' is not supported by this emulator", name);
                return NULL;
            }
        }
    }
    for (guint i = 0; i < n; i++) {
        JsonObject *c = json_array_get_object_element(caps, i);

        migration_cap_state[migration_cap_index(json_object_get_string_member(c, "capability"))] =
            json_object_get_boolean_member(c, "state");
    }
    return qmp_return_empty();
}

/* ---- Status ----------------------------------------------------------- */

typedef enum MigStatus {
    MIG_NONE,
    MIG_SETUP,
    MIG_ACTIVE,
    MIG_COMPLETED,
    MIG_FAILED,
} MigStatus;

static const char *const mig_status_names[] = {
    [MIG_NONE] = "none",           [MIG_SETUP] = "setup",   [MIG_ACTIVE] = "active",
    [MIG_COMPLETED] = "completed", [MIG_FAILED] = "failed",
};

static struct {
    MigStatus status;
    int64_t start_ms, setup_ms, total_ms, downtime_ms;
    uint64_t zero_pages, normal_pages, bytes;
    char *error;
} out;

static struct {
    MigStatus status;
    bool autostart;
    bool pending; /* -incoming defer: waiting for migrate-incoming */
    MigChannel ch;
    guint watch;
} in;

static void set_status(MigStatus *where, MigStatus s)
{
    *where = s;
    if (migration_capability("events")) {
        g_autofree char *data = g_strdup_printf("{\"status\": \"%s\"}", mig_status_names[s]);

        runstate_emit_event("MIGRATION", data);
    }
}

static int64_t now_ms(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME) / 1000000;
}

/* QEMU 7.2's reply: {} before any migration, then status, times and RAM counters. */
JsonNode *qmp_query_migrate(JsonObject *args, QmpError *err)
{
    JsonObject *o = json_object_new();
    JsonObject *ram;
    uint64_t total = guest_ram_size();
    double secs;

    if (out.status == MIG_NONE) {
        /* The destination shows its incoming status once the stream has begun. */
        if (in.status == MIG_ACTIVE || in.status == MIG_COMPLETED) {
            json_object_set_string_member(o, "status", mig_status_names[in.status]);
        }
        return qmp_node_object(o);
    }
    json_object_set_string_member(o, "status", mig_status_names[out.status]);
    if (out.status == MIG_FAILED) {
        if (out.error) {
            json_object_set_string_member(o, "error-desc", out.error);
        }
        return qmp_node_object(o);
    }
    if (out.status != MIG_COMPLETED) {
        return qmp_node_object(o);
    }
    json_object_set_int_member(o, "setup-time", out.setup_ms);
    json_object_set_int_member(o, "downtime", out.downtime_ms);
    json_object_set_int_member(o, "total-time", out.total_ms);
    ram = json_object_new();
    secs = MAX(out.total_ms, 1) / 1000.0;
    json_object_set_int_member(ram, "total", total);
    json_object_set_int_member(ram, "postcopy-requests", 0);
    json_object_set_int_member(ram, "dirty-sync-count", 1);
    json_object_set_int_member(ram, "multifd-bytes", 0);
    json_object_set_int_member(ram, "pages-per-second",
                               (int64_t)((out.zero_pages + out.normal_pages) / secs));
    json_object_set_int_member(ram, "downtime-bytes", out.bytes);
    json_object_set_int_member(ram, "page-size", 4096);
    json_object_set_int_member(ram, "remaining", 0);
    json_object_set_int_member(ram, "postcopy-bytes", 0);
    json_object_set_double_member(ram, "mbps", out.bytes * 8 / 1e6 / secs);
    json_object_set_int_member(ram, "transferred", out.bytes);
    json_object_set_int_member(ram, "dirty-sync-missed-zero-copy", 0);
    json_object_set_int_member(ram, "precopy-bytes", 0);
    json_object_set_int_member(ram, "duplicate", out.zero_pages);
    json_object_set_int_member(ram, "dirty-pages-rate", 0);
    json_object_set_int_member(ram, "skipped", 0);
    json_object_set_int_member(ram, "normal-bytes", out.normal_pages * 4096);
    json_object_set_int_member(ram, "normal", out.normal_pages);
    json_object_set_object_member(o, "ram", ram);
    return qmp_node_object(o);
}

/* ---- Outgoing --------------------------------------------------------- */

static MigChannel out_ch;

/* After migrate's reply: stop the VM, write everything, stay stopped (postmigrate). */
static void migrate_run(void)
{
    MachineState *m = current_machine;
    uint64_t stats[2] = { 0, 0 };
    int64_t stop_ms;
    RunState src_state;
    Error *err = NULL;
    bool ok;

    set_status(&out.status, MIG_ACTIVE);
    out.setup_ms = now_ms() - out.start_ms;
    stop_ms = now_ms();
    src_state = runstate_get();
    vm_stop(RUN_STATE_FINISH_MIGRATE);
    ok = migration_save_stream(m, &out_ch, src_state, stats, &out.bytes, &err);
    if (!mig_channel_close(&out_ch) && ok) {
        error_setg(&err, "migration command failed");
        ok = false;
    }
    out.zero_pages = stats[0];
    out.normal_pages = stats[1];
    out.total_ms = now_ms() - out.start_ms;
    out.downtime_ms = now_ms() - stop_ms;
    if (!ok) {
        /* The source carries on as if nothing happened (QEMU resumes it). */
        error_report_err(err);
        out.error = g_strdup("migration failed");
        if (src_state == RUN_STATE_RUNNING) {
            vm_start();
        } else {
            vm_stop(src_state);
        }
        set_status(&out.status, MIG_FAILED);
        return;
    }
    vm_stop(RUN_STATE_POSTMIGRATE);
    set_status(&out.status, MIG_COMPLETED);
}

JsonNode *qmp_migrate(JsonObject *args, QmpError *err)
{
    const char *uri = json_object_get_string_member(args, "uri");
    Error *local = NULL;
    bool was_running = runstate_is_running();

    if (out.status == MIG_SETUP || out.status == MIG_ACTIVE) {
        qmp_error_setg(err, "There's a migration process in progress");
        return NULL;
    }
    if (runstate_get() == RUN_STATE_POSTMIGRATE) {
        qmp_error_setg(err, "Can't migrate the vm that was paused due to previous migration");
        return NULL;
    }
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        qmp_error_setg(err, "Guest is waiting for an incoming migration");
        return NULL;
    }
    if (!migration_check_blockers(&local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    if (!g_str_has_prefix(uri, "exec:") && !g_str_has_prefix(uri, "unix:") &&
        !g_str_has_prefix(uri, "tcp:") && !g_str_has_prefix(uri, "fd:")) {
        qmp_error_setg(err, "Parameter 'uri' expects a valid migration protocol");
        return NULL;
    }
    if (g_str_has_prefix(uri, "fd:") && !mig_channel_open_out(uri, &out_ch, &local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    (void)was_running;
    g_clear_pointer(&out.error, g_free);
    out.start_ms = now_ms();
    set_status(&out.status, MIG_SETUP);
    if (!g_str_has_prefix(uri, "fd:") && !mig_channel_open_out(uri, &out_ch, &local)) {
        /* QEMU reports a failed connection on stderr and in the status, not in the reply. */
        error_report_err(local);
        out.error = g_strdup("connection failed");
        set_status(&out.status, MIG_FAILED);
        return qmp_return_empty();
    }
    /* A closed reader must not kill the source. */
    signal(SIGPIPE, SIG_IGN);
    qmp_after_reply(migrate_run);
    return qmp_return_empty();
}

/* ---- Incoming --------------------------------------------------------- */

/* Load everything from in.ch; a failure ends the process (status 1), as QEMU's. */
static void incoming_load(void)
{
    MachineState *m = current_machine;
    RunState src_state = RUN_STATE_RUNNING;
    Error *err = NULL;
    bool ok;

    set_status(&in.status, MIG_ACTIVE);
    ok = migration_load_stream(m, &in.ch, &src_state, &err);
    mig_channel_close(&in.ch);
    if (!ok) {
        set_status(&in.status, MIG_FAILED);
        error_report("load of migration failed: %s", error_get_pretty(err));
        error_free(err);
        exit(1);
    }
    set_status(&in.status, MIG_COMPLETED);
    if (src_state != RUN_STATE_RUNNING) {
        vm_stop(src_state);
    } else if (in.autostart) {
        vm_start();
    } else {
        vm_stop(RUN_STATE_PAUSED);
    }
}

static gboolean incoming_accept(gint fd, GIOCondition cond, gpointer opaque)
{
    int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (conn < 0) {
        return G_SOURCE_CONTINUE;
    }
    close(fd);
    in.watch = 0;
    in.ch.fd = conn;
    incoming_load();
    return G_SOURCE_REMOVE;
}

static gboolean incoming_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    in.watch = 0;
    incoming_load();
    return G_SOURCE_REMOVE;
}

static bool incoming_start(const char *uri, Error **errp)
{
    bool listening;

    if (!mig_channel_open_in(uri, &in.ch, &listening, errp)) {
        return false;
    }
    set_status(&in.status, MIG_SETUP);
    if (listening) {
        in.watch = g_unix_fd_add(in.ch.fd, G_IO_IN, incoming_accept, NULL);
    } else {
        /* From the main loop, as QEMU: the monitor answers until the stream starts. */
        in.watch = g_unix_fd_add(in.ch.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, incoming_readable, NULL);
    }
    return true;
}

void migration_incoming_set_autostart(void)
{
    in.autostart = true;
}

void migration_incoming_setup(MachineState *m, const char *uri, bool autostart)
{
    Error *err = NULL;

    (void)m;
    in.autostart = autostart;
    vm_stop(RUN_STATE_INMIGRATE);
    if (!strcmp(uri, "defer")) {
        in.pending = true;
        return;
    }
    if (!incoming_start(uri, &err)) {
        error_report_err(err);
        exit(1);
    }
}

JsonNode *qmp_migrate_incoming(JsonObject *args, QmpError *err)
{
    const char *uri = json_object_get_string_member(args, "uri");
    Error *local = NULL;

    if (!in.pending) {
        qmp_error_setg(err, "The incoming migration has already been started");
        return NULL;
    }
    if (!incoming_start(uri, &local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    in.pending = false;
    return qmp_return_empty();
}

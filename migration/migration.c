/*
 * Migration control: QMP migrate / migrate-incoming / query-migrate and the
 * capabilities, -incoming, the MIGRATION event and the run states around a
 * migration (stop-and-copy: the source stops, writes the stream, stays in
 * postmigrate; the destination loads it, then runs or pauses).
 */
#include "migration/migration.h"
#include "exec/guest-memory.h"
#include "qapi/qapi-commands.h"
#include "block/block-backend.h"
#include "net/net.h"
#include "sysemu/blockdev.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#define MIG_PAGE_SIZE 4096u

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
    MIG_CANCELLING,
    MIG_CANCELLED,
    MIG_ACTIVE,
    MIG_COMPLETED,
    MIG_FAILED,
    MIG_PRE_SWITCHOVER, /* pause-before-switchover: stopped, until migrate-continue */
    MIG_DEVICE,         /* after migrate-continue: the device state is being sent */
} MigStatus;

static const char *const mig_status_names[] = {
    [MIG_NONE] = "none",
    [MIG_SETUP] = "setup",
    [MIG_CANCELLING] = "cancelling",
    [MIG_CANCELLED] = "cancelled",
    [MIG_ACTIVE] = "active",
    [MIG_COMPLETED] = "completed",
    [MIG_FAILED] = "failed",
    [MIG_PRE_SWITCHOVER] = "pre-switchover",
    [MIG_DEVICE] = "device",
};

/*
 * The outgoing migration.  The main thread owns status; the counters are
 * written by the migration thread and read by query-migrate, under lock.
 */
static struct {
    MigStatus status;
    QemuMutex lock;
    int64_t start_ms, setup_ms, total_ms, downtime_ms, expected_downtime_ms;
    uint64_t zero_pages, normal_pages, bytes, remaining, sync_count, dirty_rate;
    uint64_t downtime_bytes;
    double mbps;
    char *error;
} out = { .lock = QEMU_MUTEX_INITIALIZER };

static struct {
    MigStatus status; /* written by the loading thread */
    bool autostart;
    bool configured; /* -incoming was given */
    bool pending;    /* -incoming defer: waiting for migrate-incoming */
    MigChannel ch;
    guint watch;
} in;

static void emit_status(MigStatus s)
{
    if (migration_capability("events")) {
        g_autofree char *data = g_strdup_printf("{\"status\": \"%s\"}", mig_status_names[s]);

        runstate_emit_event("MIGRATION", data);
    }
}

static void set_status(MigStatus *where, MigStatus s)
{
    __atomic_store_n(where, s, __ATOMIC_RELEASE);
    emit_status(s);
}

static int64_t now_ms(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME) / 1000000;
}

/*
 * Block migration (migrate's blk/inc, or the capability block): the disks
 * of the writable drives go in the stream too, in MIG_BLOCK_CHUNK chunks,
 * every chunk in the first pass (block-incremental: those the top image
 * allocates), then those written since (the backend's dirty map), the last
 * ones with the VM stopped.  Set up and torn down by the main thread; the
 * thread reads the chunks under the big lock.
 */
static struct {
    bool on;
    bool cap_set;                /* blk/inc turned the capability on for this migration */
    GPtrArray *drives;           /* the backends copied (BlockBackend *, maybe gone) */
    uint64_t total, transferred; /* bytes, under out.lock */
} bm;

static uint64_t blkmig_dirty_bytes(void);
static JsonObject *query_migrate_object(void);

/*
 * QEMU 7.2's reply: {} before any migration, then status, times and RAM
 * counters; blocked-reasons last, while a device cannot be migrated.
 */
JsonNode *qmp_query_migrate(JsonObject *args, QmpError *err)
{
    JsonObject *o = query_migrate_object();
    g_autoptr(GPtrArray) reasons = migration_blocked_reasons();

    if (reasons->len) {
        JsonArray *a = json_array_new();

        for (guint i = 0; i < reasons->len; i++) {
            json_array_add_string_element(a, g_ptr_array_index(reasons, i));
        }
        json_object_set_array_member(o, "blocked-reasons", a);
    }
    return qmp_node_object(o);
}

static JsonObject *query_migrate_object(void)
{
    JsonObject *o = json_object_new();
    JsonObject *ram;
    uint64_t total = guest_ram_size(), pages;
    MigStatus status = out.status;
    int64_t total_ms;
    double secs;

    if (status == MIG_NONE) {
        /* The destination shows its incoming status once the stream has begun. */
        MigStatus st = __atomic_load_n(&in.status, __ATOMIC_ACQUIRE);

        if (st == MIG_ACTIVE || st == MIG_COMPLETED) {
            json_object_set_string_member(o, "status", mig_status_names[st]);
        }
        return o;
    }
    json_object_set_string_member(o, "status", mig_status_names[status]);
    if (status == MIG_FAILED) {
        if (out.error) {
            json_object_set_string_member(o, "error-desc", out.error);
        }
        return o;
    }
    if (status == MIG_SETUP || status == MIG_CANCELLED) {
        return o;
    }
    qemu_mutex_lock(&out.lock);
    if (status == MIG_COMPLETED) {
        total_ms = out.total_ms;
        json_object_set_int_member(o, "downtime", out.downtime_ms);
    } else {
        total_ms = now_ms() - out.start_ms;
        if (status == MIG_ACTIVE || status == MIG_PRE_SWITCHOVER || status == MIG_DEVICE) {
            json_object_set_int_member(o, "expected-downtime", out.expected_downtime_ms);
        }
    }
    json_object_set_int_member(o, "setup-time", out.setup_ms);
    json_object_set_int_member(o, "total-time", total_ms);
    ram = json_object_new();
    secs = MAX(total_ms, 1) / 1000.0;
    pages = out.zero_pages + out.normal_pages;
    json_object_set_int_member(ram, "total", total);
    json_object_set_int_member(ram, "postcopy-requests", 0);
    json_object_set_int_member(ram, "dirty-sync-count", out.sync_count);
    json_object_set_int_member(ram, "multifd-bytes", 0);
    json_object_set_int_member(ram, "pages-per-second", (int64_t)(pages / secs));
    json_object_set_int_member(ram, "downtime-bytes", out.downtime_bytes);
    json_object_set_int_member(ram, "page-size", 4096);
    json_object_set_int_member(ram, "remaining", status == MIG_COMPLETED ? 0 : out.remaining);
    json_object_set_int_member(ram, "postcopy-bytes", 0);
    json_object_set_double_member(ram, "mbps", out.mbps);
    json_object_set_int_member(ram, "transferred", out.bytes);
    json_object_set_int_member(ram, "dirty-sync-missed-zero-copy", 0);
    json_object_set_int_member(ram, "precopy-bytes", out.bytes - out.downtime_bytes);
    json_object_set_int_member(ram, "duplicate", out.zero_pages);
    json_object_set_int_member(ram, "dirty-pages-rate", out.dirty_rate);
    json_object_set_int_member(ram, "skipped", 0);
    json_object_set_int_member(ram, "normal-bytes", out.normal_pages * 4096);
    json_object_set_int_member(ram, "normal", out.normal_pages);
    if (bm.on && (status == MIG_ACTIVE || status == MIG_PRE_SWITCHOVER || status == MIG_DEVICE)) {
        /* QEMU 7.2 shows the disks' counters while a block migration runs */
        /* QEMU 7.2's members, in its order: only the sizes count; the rest is 0 */
        static const char *const disk_members[] = {
            "total",         "postcopy-requests", "dirty-sync-count",
            "multifd-bytes", "pages-per-second",  "downtime-bytes",
            "page-size",     "remaining",         "postcopy-bytes",
            "mbps",          "transferred",       "dirty-sync-missed-zero-copy",
            "precopy-bytes", "duplicate",         "dirty-pages-rate",
            "skipped",       "normal-bytes",      "normal",
        };
        JsonObject *disk = json_object_new();

        for (size_t i = 0; i < G_N_ELEMENTS(disk_members); i++) {
            const char *n = disk_members[i];
            uint64_t v = !strcmp(n, "total")         ? bm.total
                         : !strcmp(n, "remaining")   ? blkmig_dirty_bytes()
                         : !strcmp(n, "transferred") ? bm.transferred
                                                     : 0;

            json_object_set_int_member(disk, n, v);
        }
        json_object_set_object_member(o, "disk", disk);
    }
    qemu_mutex_unlock(&out.lock);
    json_object_set_object_member(o, "ram", ram);
    return o;
}

/* ---- Outgoing --------------------------------------------------------- */

/*
 * The migration thread sends RAM while the guest runs (pre-copy): the first
 * pass every page ever written (the rest as zero pages, without reading
 * them), then the pages dirtied meanwhile, pass after pass, until what
 * remains can be sent within downtime-limit at the bandwidth measured.  It
 * then asks the main thread to stop the VM and serialize the machine, CPU
 * and device state, sends the last dirty pages and that state, and hands
 * back.  The main thread owns the run state, the status and the events.
 */
#define BUFFER_DELAY_MS 100 /* QEMU's rate-limit and measurement window */
#define LIVE_CHUNK_PAGES 256u

static struct {
    GThread *thread;
    MigChannel ch;
    int cancel_efd;
    bool cancel;
    RunState src_state;
    /* completion: the main thread stops the VM and fills state */
    QemuMutex lock;
    QemuCond cond;
    bool stopped;
    GByteArray *state;
    Error *state_err;
    int64_t stop_ms;
} mt = { .lock = QEMU_MUTEX_INITIALIZER, .cond = QEMU_COND_INITIALIZER };

/* The i-th drive copied, or NULL if it went away (drive_del). */
static BlockBackend *blkmig_drive(guint i)
{
    BlockBackend *blk = g_ptr_array_index(bm.drives, i);

    return blk_exists(blk) ? blk : NULL;
}

static void blkmig_stop(void)
{
    for (guint i = 0; bm.drives && i < bm.drives->len; i++) {
        BlockBackend *blk = blkmig_drive(i);

        if (blk) {
            blk_dirty_stop(blk);
        }
    }
    g_clear_pointer(&bm.drives, g_ptr_array_unref);
    if (bm.cap_set) {
        migration_cap_state[migration_cap_index("block")] = false;
        migration_param_set_block_incremental(false);
    }
    bm.on = bm.cap_set = false;
}

/*
 * The drives block migration copies: those with a writable image, named by
 * their -drive id.  As QEMU 7.2, a drive without one (a -blockdev node under
 * a device) goes under the empty name, which the destination refuses.  With
 * block-incremental only the chunks their top layer allocates go in the first
 * pass (the destination has the same backing file), as QEMU 7.2.
 */
static void blkmig_start(bool cap_set)
{
    bm.drives = g_ptr_array_new();
    bm.total = bm.transferred = 0;
    bm.on = true;
    bm.cap_set = cap_set;
    if (cap_set) {
        migration_cap_state[migration_cap_index("block")] = true;
    }
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        int64_t size = blk_bs(blk) ? blk_getlength(blk) : -1;

        if (size <= 0 || blk_is_read_only(blk)) {
            continue;
        }
        blk_dirty_start(blk, MIG_BLOCK_CHUNK, migration_param_block_incremental());
        g_ptr_array_add(bm.drives, blk);
        bm.total += size;
    }
}

/* Bytes of the disks written since they were last sent (with the big lock). */
static uint64_t blkmig_dirty_bytes(void)
{
    uint64_t n = 0;

    for (guint i = 0; bm.on && i < bm.drives->len; i++) {
        BlockBackend *blk = blkmig_drive(i);

        n += blk ? blk_dirty_count(blk) * MIG_BLOCK_CHUNK : 0;
    }
    return MIN(n, bm.total);
}

static uint64_t blkmig_pending(void)
{
    uint64_t n;

    qemu_mutex_lock_iothread();
    n = blkmig_dirty_bytes();
    qemu_mutex_unlock_iothread();
    return n;
}

static bool mt_cancelled(void)
{
    return __atomic_load_n(&mt.cancel, __ATOMIC_ACQUIRE);
}

static gboolean main_event_pass(gpointer opaque)
{
    if (migration_capability("events")) {
        g_autofree char *data = g_strdup_printf("{\"pass\": %u}", GPOINTER_TO_UINT(opaque));

        runstate_emit_event("MIGRATION_PASS", data);
    }
    return G_SOURCE_REMOVE;
}

static gboolean main_status_active(gpointer opaque)
{
    if (out.status == MIG_SETUP) {
        set_status(&out.status, MIG_ACTIVE);
    }
    return G_SOURCE_REMOVE;
}

static void post_main(GSourceFunc fn, gpointer data)
{
    g_idle_add(fn, data);
    main_loop_wakeup();
}

/*
 * In the main thread, the VM stopped: serialize its state for the thread and
 * wake it (cancelled: without a state; the thread then fails the migration).
 */
static void finish_stop(void)
{
    MigWriter w;
    GByteArray *state = g_byte_array_new();
    Error *err = NULL;

    if (!mt_cancelled()) {
        /* the destination takes the images once the stream is in (QEMU's inactivation) */
        blk_inactivate_all();
        mig_writer_init(&w, NULL, state);
        mig_save_state(&w, current_machine, mt.src_state, &err);
    }
    qemu_mutex_lock(&mt.lock);
    mt.state = state;
    mt.state_err = err;
    mt.stopped = true;
    qemu_cond_broadcast(&mt.cond);
    qemu_mutex_unlock(&mt.lock);
}

/*
 * In the main thread: stop the VM for completion.  With the capability
 * pause-before-switchover, as QEMU 7.2: the status becomes pre-switchover and
 * the state is taken only on migrate-continue (or the migration ends on
 * migrate_cancel), so that management can finish its own work (NBD disk
 * copies) while the VM is stopped and this side still holds the images.
 */
static gboolean main_stop_for_completion(gpointer opaque)
{
    qemu_mutex_lock(&mt.lock);
    mt.stop_ms = now_ms();
    mt.src_state = runstate_get();
    qemu_mutex_unlock(&mt.lock);
    if (!mt_cancelled()) {
        vm_stop(RUN_STATE_FINISH_MIGRATE);
        /*
         * As QEMU: requests in flight complete on this side (into guest RAM,
         * whose dirty pages the thread sends next, and into the devices'
         * rings) and the disks are flushed before the state is taken.
         */
        drive_flush_all();
        if (migration_capability("pause-before-switchover")) {
            set_status(&out.status, MIG_PRE_SWITCHOVER);
            return G_SOURCE_REMOVE;
        }
    }
    finish_stop();
    return G_SOURCE_REMOVE;
}

JsonNode *qmp_migrate_continue(JsonObject *args, QmpError *err)
{
    const char *state = json_object_get_string_member(args, "state");

    if (strcmp(state, mig_status_names[out.status])) {
        qmp_error_setg(err, "Migration not in expected state: %s", mig_status_names[out.status]);
        return NULL;
    }
    /* QEMU only wakes a paused migration; in any other state the command does nothing. */
    if (out.status == MIG_PRE_SWITCHOVER) {
        set_status(&out.status, MIG_DEVICE);
        finish_stop();
    }
    return qmp_return_empty();
}

/* In the main thread, once the thread is done: the outcome. */
static gboolean main_migration_done(gpointer opaque)
{
    Error *err = opaque;
    bool closed = mig_channel_close(&mt.ch);
    bool stopped = runstate_get() == RUN_STATE_FINISH_MIGRATE;

    g_thread_join(mt.thread);
    mt.thread = NULL;
    close(mt.cancel_efd);
    blkmig_stop();
    if (!err && !closed) {
        error_setg(&err, "migration command failed");
    }
    qemu_mutex_lock(&out.lock);
    out.total_ms = now_ms() - out.start_ms;
    if (stopped) {
        out.downtime_ms = now_ms() - mt.stop_ms;
    }
    qemu_mutex_unlock(&out.lock);
    if (err) {
        bool cancelled = mt_cancelled();

        /* The source carries on as if nothing happened (QEMU resumes it). */
        if (!cancelled) {
            error_report_err(err);
        } else {
            error_free(err);
        }
        if (stopped) {
            blk_activate_all(NULL); /* the images come back to this side */
            if (mt.src_state == RUN_STATE_RUNNING) {
                vm_start();
            } else {
                vm_stop(mt.src_state);
            }
        }
        if (cancelled) {
            set_status(&out.status, MIG_CANCELLED);
        } else {
            out.error = g_strdup("migration failed");
            set_status(&out.status, MIG_FAILED);
        }
        return G_SOURCE_REMOVE;
    }
    vm_stop(RUN_STATE_POSTMIGRATE);
    set_status(&out.status, MIG_COMPLETED);
    return G_SOURCE_REMOVE;
}

/*
 * The channel's throughput is measured over the time spent sending data
 * only: not the dirty syncs, not the waits of the rate limit, not chunks of
 * zero pages (scanned, hardly sent).  Bytes over the wall-clock time of a
 * window instead would measure how much the guest dirties once passes get
 * small, and a tiny guest would never fit the downtime limit (each pass
 * finding a page or two, the "bandwidth" falling with it).
 */
#define RATE_MIN_NS 10000000 /* sending time a throughput measurement spans */

typedef struct Pass {
    MigWriter *w;
    uint64_t window_start_ms, window_bytes; /* query-migrate's mbps, the rate limit */
    int64_t mark_ns;                        /* where the section being sent began */
    uint64_t mark_bytes;
    uint64_t busy_ns, busy_bytes; /* sending, since the throughput was last taken */
    uint64_t rate;                /* throughput while sending, bytes per second */
    bool unlimited;               /* the VM is stopped: no rate limit */
    uint64_t stop_bytes;          /* what the stop adds to RAM (at the last sync) */
} Pass;

static int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

/* Where a section begins: what it sends and the time it takes count from here. */
static void pass_mark(Pass *p)
{
    p->mark_ns = now_ns();
    p->mark_bytes = p->w->bytes;
}

/*
 * The bandwidth the stop can expect, bytes per second: the channel's
 * throughput, at most max-bandwidth (which may have changed since it was
 * measured); 0 while unknown.
 */
static uint64_t pass_bandwidth(const Pass *p)
{
    uint64_t limit = migration_param_max_bandwidth();
    uint64_t rate = p->rate;

    if (!rate && p->busy_ns) {
        rate = p->busy_bytes * 1000000000ull / p->busy_ns;
    }
    return limit && (!rate || limit < rate) ? limit : rate;
}

/*
 * After each section (data: it sent RAM pages, a table or disk chunk, not
 * only zero pages): the throughput, the rate limit (max-bandwidth per
 * BUFFER_DELAY_MS window, as QEMU) and the measurements query-migrate
 * shows.  false: the migration was cancelled.
 */
static bool pass_account(Pass *p, uint64_t remaining_pages, bool data)
{
    uint64_t limit = migration_param_max_bandwidth();
    uint64_t quota = limit / (1000 / BUFFER_DELAY_MS);
    int64_t now = now_ms(), elapsed = now - (int64_t)p->window_start_ms;
    uint64_t sent = p->w->bytes - p->window_bytes;

    if (data) {
        p->busy_ns += (uint64_t)MAX(now_ns() - p->mark_ns, 1);
        p->busy_bytes += p->w->bytes - p->mark_bytes;
        if (p->busy_ns >= RATE_MIN_NS) {
            p->rate = p->busy_bytes * 1000000000ull / p->busy_ns;
            p->busy_ns = p->busy_bytes = 0;
        }
    }
    if (quota && !p->unlimited && sent >= quota && elapsed < BUFFER_DELAY_MS) {
        struct pollfd pfd = { .fd = mt.cancel_efd, .events = POLLIN };

        poll(&pfd, 1, BUFFER_DELAY_MS - elapsed);
        now = now_ms();
        elapsed = now - (int64_t)p->window_start_ms;
    }
    if (elapsed >= BUFFER_DELAY_MS) {
        uint64_t downtime = migration_param_downtime_limit();
        uint64_t bandwidth = pass_bandwidth(p);

        qemu_mutex_lock(&out.lock);
        out.mbps = sent * 8 / 1e6 / (elapsed / 1000.0);
        out.remaining = remaining_pages * MIG_PAGE_SIZE;
        /* As at a sync: the stop sends the device state and tables too. */
        out.expected_downtime_ms =
            bandwidth ? (int64_t)((out.remaining + p->stop_bytes) * 1000 / bandwidth)
                      : (int64_t)downtime;
        qemu_mutex_unlock(&out.lock);
        p->window_start_ms = now;
        p->window_bytes = p->w->bytes;
    }
    pass_mark(p);
    return !mt_cancelled();
}

static void stats_add(MigWriter *w, const uint64_t stats[2])
{
    qemu_mutex_lock(&out.lock);
    out.zero_pages += stats[0];
    out.normal_pages += stats[1];
    out.bytes = w->bytes;
    qemu_mutex_unlock(&out.lock);
}

/*
 * Send the pages set in map (clearing them), in runs of at most
 * LIVE_CHUNK_PAGES; first: every page, those not in map as zero pages.
 */
static bool send_pass(Pass *p, unsigned long *map, uint64_t npages, uint64_t count, bool first)
{
    const unsigned bits = 8 * sizeof(long);
    uint64_t page = 0;

    while (page < npages && !p->w->err) {
        uint64_t stats[2] = { 0, 0 };
        uint32_t n = 0;

        if (!first) {
            /* the next run of set bits */
            while (page < npages && !map[page / bits] && !(page % bits)) {
                page += bits;
            }
            while (page < npages && !((map[page / bits] >> (page % bits)) & 1)) {
                page++;
            }
            if (page >= npages) {
                break;
            }
            while (n < LIVE_CHUNK_PAGES && page + n < npages &&
                   ((map[(page + n) / bits] >> ((page + n) % bits)) & 1)) {
                n++;
            }
        } else {
            n = MIN(LIVE_CHUNK_PAGES, npages - page);
        }
        mig_save_ram_chunk(p->w, page, n, map, stats);
        for (uint32_t i = 0; i < n; i++) {
            uint64_t b = page + i;

            map[b / bits] &= ~(1UL << (b % bits));
        }
        /* QEMU's "remaining": the first pass counts every page it has not sent yet */
        count -= MIN(count, (uint64_t)(stats[0] + stats[1]));
        page += n;
        stats_add(p->w, stats);
        if (!pass_account(p, count, stats[1] != 0)) {
            return false;
        }
    }
    return !p->w->err;
}

/*
 * The machine's pre-copy parts (its HPT and TCE tables) that changed since
 * they were last sent, taken under the big lock a part at a time and sent
 * without it.  false: cancelled or the channel failed.
 */
static bool send_machine_parts(Pass *p, MachineState *m, uint64_t ram_remaining)
{
    bool more = m->ops->state_iter_save != NULL;

    while (more && !p->w->err) {
        g_autoptr(GByteArray) part = g_byte_array_new();

        qemu_mutex_lock_iothread();
        more = m->ops->state_iter_save(m, part, MIG_MACHINE_PART_MAX);
        qemu_mutex_unlock_iothread();
        if (part->len) {
            mig_save_machine_part(p->w, part);
            qemu_mutex_lock(&out.lock);
            out.bytes = p->w->bytes;
            qemu_mutex_unlock(&out.lock);
            if (!pass_account(p, ram_remaining, true)) {
                return false;
            }
        }
    }
    return !p->w->err;
}

/*
 * Block migration: each dirty chunk of each drive, read under the big lock
 * (its bit cleared first, so a write completing after the read sends it
 * again) and sent without it.  false: cancelled, a drive went away or could
 * not be read, or the channel failed (err set for the first two).
 */
static bool send_disk_pass(Pass *p, Error **err)
{
    g_autofree uint8_t *buf = bm.on ? g_malloc(MIG_BLOCK_CHUNK) : NULL;

    for (guint i = 0; bm.on && i < bm.drives->len && !p->w->err; i++) {
        g_autofree char *name = NULL;

        qemu_mutex_lock_iothread();
        name = blkmig_drive(i) ? g_strdup(blk_name(blkmig_drive(i))) : NULL;
        qemu_mutex_unlock_iothread();
        if (!name) {
            error_setg(err, "block migration: a drive went away");
            return false;
        }
        for (uint64_t c = 0;; c++) {
            BlockBackend *blk;
            int64_t size;
            uint64_t nchunks = 0;
            uint32_t len = 0;
            int ret = 0;

            qemu_mutex_lock_iothread();
            blk = blkmig_drive(i);
            size = blk && blk_bs(blk) ? blk_getlength(blk) : -1;
            nchunks = size >= 0 ? blk_dirty_chunks(blk) : 0;
            if (c < nchunks && blk_dirty_take(blk, c)) {
                len = MIN((uint64_t)MIG_BLOCK_CHUNK, (uint64_t)size - c * MIG_BLOCK_CHUNK);
                ret = blk_pread(blk, c * MIG_BLOCK_CHUNK, buf, len);
            }
            qemu_mutex_unlock_iothread();
            if (size < 0) {
                error_setg(err, "block migration: drive '%s' went away", name);
                return false;
            }
            if (ret < 0) {
                error_setg(err, "block migration: reading drive '%s': %s", name, g_strerror(-ret));
                return false;
            }
            if (c >= nchunks) {
                break;
            }
            if (!len) {
                continue;
            }
            mig_save_block_chunk(p->w, name, c * MIG_BLOCK_CHUNK, buf, len);
            qemu_mutex_lock(&out.lock);
            bm.transferred += len;
            out.bytes = p->w->bytes;
            qemu_mutex_unlock(&out.lock);
            if (!pass_account(p, 0, true)) {
                return false;
            }
        }
    }
    return !p->w->err;
}

/* Bytes of the machine's pre-copy parts still to send (big lock taken here). */
static uint64_t machine_pending(MachineState *m)
{
    uint64_t n;

    if (!m->ops->state_iter_pending) {
        return 0;
    }
    qemu_mutex_lock_iothread();
    n = m->ops->state_iter_pending(m);
    qemu_mutex_unlock_iothread();
    return n;
}

static uint64_t sync_dirty(unsigned long *map, uint64_t npages, bool all, int64_t *last_sync_ms)
{
    uint64_t n = guest_ram_dirty_sync(map, npages, all);
    int64_t now = now_ms();
    unsigned pass;

    qemu_mutex_lock(&out.lock);
    pass = ++out.sync_count;
    out.remaining = n * MIG_PAGE_SIZE;
    if (!all && now > *last_sync_ms) {
        out.dirty_rate = n * 1000 / (now - *last_sync_ms);
    }
    qemu_mutex_unlock(&out.lock);
    *last_sync_ms = now;
    post_main(main_event_pass, GUINT_TO_POINTER(pass));
    return n;
}

static gpointer migration_thread(gpointer opaque)
{
    MachineState *m = current_machine;
    uint64_t npages = guest_ram_size() / MIG_PAGE_SIZE;
    g_autofree unsigned long *map = g_new0(unsigned long, npages / (8 * sizeof(long)) + 1);
    MigWriter w;
    Pass p = { .w = &w, .window_start_ms = now_ms() };
    Error *err = NULL;
    int64_t last_sync = now_ms();
    uint64_t count, state_bytes;
    bool first = true;

    mig_writer_init(&w, &mt.ch, NULL);
    mig_save_header(&w, m, mt.src_state);
    qemu_mutex_lock_iothread();
    if (m->ops->state_iter_begin) {
        m->ops->state_iter_begin(m);
    }
    /* What the stop will add besides RAM and the machine's tables. */
    state_bytes = mig_state_size_estimate(m);
    p.stop_bytes = state_bytes;
    qemu_mutex_unlock_iothread();
    count = sync_dirty(map, npages, true, &last_sync);
    qemu_mutex_lock(&out.lock);
    out.setup_ms = now_ms() - out.start_ms;
    qemu_mutex_unlock(&out.lock);
    post_main(main_status_active, NULL);
    /*
     * Pre-copy: a pass over RAM and the machine's tables, then what was
     * dirtied during it, until all that the stop would send (dirty RAM, the
     * tables' changed parts, the CPU and device state) fits the downtime
     * limit at the bandwidth measured.
     */
    for (;;) {
        uint64_t downtime = migration_param_downtime_limit();
        uint64_t expected, bandwidth;

        pass_mark(&p);
        if (!send_disk_pass(&p, &err) ||
            !send_pass(&p, map, npages, first ? npages : count, first) ||
            !send_machine_parts(&p, m, 0)) {
            break;
        }
        first = false;
        count = sync_dirty(map, npages, false, &last_sync);
        bandwidth = pass_bandwidth(&p);
        p.stop_bytes = machine_pending(m) + blkmig_pending() + state_bytes;
        expected = count * MIG_PAGE_SIZE + p.stop_bytes;
        qemu_mutex_lock(&out.lock);
        out.expected_downtime_ms =
            bandwidth ? (int64_t)(expected * 1000 / bandwidth) : (int64_t)downtime;
        qemu_mutex_unlock(&out.lock);
        if (expected <= bandwidth * downtime / 1000) {
            break;
        }
        if (!count) {
            /*
             * Nothing was dirtied, so nothing more will be sent that
             * measures the channel: the throughput taken while the copy ran
             * (perhaps while a loaded destination read slowly) would decide
             * for ever.  It is dropped, and what the stop sends is judged at
             * max-bandwidth until data flows again (QEMU 7.2 completes once
             * nothing is pending).  If even that does not fit, the state
             * alone exceeds the limit: sync again only after a while (or a
             * cancel), not in a loop that keeps the CPUs flushing their
             * write entries.
             */
            struct pollfd pfd = { .fd = mt.cancel_efd, .events = POLLIN };
            uint64_t cap = migration_param_max_bandwidth();

            p.rate = p.busy_ns = p.busy_bytes = 0;
            if (!cap || expected <= cap * downtime / 1000) {
                break;
            }
            poll(&pfd, 1, BUFFER_DELAY_MS / 10);
        }
    }
    if (!err && !w.err && !mt_cancelled()) {
        uint64_t before;

        /* Stop-and-copy of the rest. */
        post_main(main_stop_for_completion, NULL);
        qemu_mutex_lock(&mt.lock);
        while (!mt.stopped) {
            qemu_cond_wait(&mt.cond, &mt.lock);
        }
        qemu_mutex_unlock(&mt.lock);
        before = w.bytes;
        if (mt.state_err) {
            err = mt.state_err;
        } else if (!mt_cancelled()) {
            /* what the last pass left unsent, and what was dirtied since */
            count += sync_dirty(map, npages, false, &last_sync);
            p.unlimited = true;
            /* the disks' last chunks: nothing writes them any more */
            if (send_disk_pass(&p, &err)) {
                send_pass(&p, map, npages, count, false);
                mig_writer_put(&w, mt.state->data, mt.state->len);
                mig_save_end(&w, &err);
            }
            qemu_mutex_lock(&out.lock);
            out.downtime_bytes = w.bytes - before;
            out.bytes = w.bytes;
            out.remaining = 0;
            qemu_mutex_unlock(&out.lock);
        }
        g_clear_pointer(&mt.state, g_byte_array_unref);
    }
    if (!err && w.err) {
        err = w.err;
        w.err = NULL;
    }
    if (!err && mt_cancelled()) {
        error_setg(&err, "cancelled");
    }
    post_main(main_migration_done, err);
    return NULL;
}

JsonNode *qmp_migrate_cancel(JsonObject *args, QmpError *err)
{
    uint64_t one = 1;
    MigStatus was = out.status;

    if (was == MIG_SETUP || was == MIG_ACTIVE || was == MIG_PRE_SWITCHOVER || was == MIG_DEVICE) {
        __atomic_store_n(&mt.cancel, true, __ATOMIC_RELEASE);
        if (write(mt.cancel_efd, &one, sizeof(one)) < 0) {
            /* an eventfd at its limit is readable anyway */
        }
        set_status(&out.status, MIG_CANCELLING);
        if (was == MIG_PRE_SWITCHOVER) {
            finish_stop(); /* wakes the paused thread, which ends the migration */
        }
    }
    return qmp_return_empty();
}

JsonNode *qmp_migrate(JsonObject *args, QmpError *err)
{
    const char *uri = json_object_get_string_member(args, "uri");
    bool blk = qmp_arg_bool(args, "blk", false);
    bool inc = qmp_arg_bool(args, "inc", false);
    Error *local = NULL;

    /* No postcopy here, so never a paused migration to resume (QEMU 7.2's check comes first). */
    if (qmp_arg_bool(args, "resume", false)) {
        qmp_error_setg(err, "Cannot resume if there is no paused migration");
        return NULL;
    }
    if (out.status == MIG_SETUP || out.status == MIG_ACTIVE || out.status == MIG_CANCELLING ||
        out.status == MIG_PRE_SWITCHOVER || out.status == MIG_DEVICE) {
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
    if (!mig_save_state_check(current_machine, &local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    /*
     * Block migration (blk, inc; HMP's migrate -b, -i) copies the disks too;
     * with the block capability already on QEMU 7.2 refuses the options.
     */
    if ((blk || inc) && migration_capability("block")) {
        qmp_error_setg(err, "Command options are incompatible with current migration "
                            "capabilities");
        return NULL;
    }
    if (!g_str_has_prefix(uri, "exec:") && !g_str_has_prefix(uri, "unix:") &&
        !g_str_has_prefix(uri, "tcp:") && !g_str_has_prefix(uri, "fd:")) {
        /* As QEMU 7.2: the migration has begun (setup) and failed, without a reason. */
        g_clear_pointer(&out.error, g_free);
        set_status(&out.status, MIG_SETUP);
        set_status(&out.status, MIG_FAILED);
        qmp_error_setg(err, "Parameter 'uri' expects a valid migration protocol");
        return NULL;
    }
    if (g_str_has_prefix(uri, "fd:") && !mig_channel_open_out(uri, &mt.ch, &local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    g_clear_pointer(&out.error, g_free);
    qemu_mutex_lock(&out.lock);
    out.start_ms = now_ms();
    out.setup_ms = out.total_ms = out.downtime_ms = out.expected_downtime_ms = 0;
    out.zero_pages = out.normal_pages = out.bytes = out.remaining = out.sync_count = 0;
    out.dirty_rate = out.downtime_bytes = 0;
    out.mbps = 0;
    qemu_mutex_unlock(&out.lock);
    set_status(&out.status, MIG_SETUP);
    if (!g_str_has_prefix(uri, "fd:") && !mig_channel_open_out(uri, &mt.ch, &local)) {
        /*
         * QEMU reports a failed connection on stderr (not on the monitor that
         * ran migrate: it connects later) and in the status, not in the reply.
         */
        ErrorReportMonitor saved = error_report_set_monitor((ErrorReportMonitor){ 0 });

        error_report("%s", error_get_pretty(local));
        error_report_set_monitor(saved);
        out.error = g_strdup(error_get_pretty(local));
        error_free(local);
        set_status(&out.status, MIG_FAILED);
        return qmp_return_empty();
    }
    /* A closed reader must not kill the source. */
    signal(SIGPIPE, SIG_IGN);
    mt.cancel = false;
    mt.stopped = false;
    mt.state_err = NULL;
    mt.src_state = runstate_get();
    mt.cancel_efd = eventfd(0, EFD_CLOEXEC);
    mt.ch.cancel_fd = mt.cancel_efd;
    mt.ch.cancellable = true;
    if (blk || inc || migration_capability("block")) {
        if (inc) {
            migration_param_set_block_incremental(true);
        }
        blkmig_start(blk || inc);
    }
    mt.thread = g_thread_new("migration", migration_thread, NULL);
    return qmp_return_empty();
}

/* ---- Incoming --------------------------------------------------------- */

/*
 * The incoming side: a thread reads the stream and loads RAM as it comes
 * (the VM is stopped in inmigrate), so the main loop and the monitor go on;
 * the machine, CPU and device sections are loaded by the main thread at the
 * end.  A failure ends the process (status 1), as QEMU's.
 */
static GThread *in_thread;

typedef struct InResult {
    GPtrArray *deferred;
    RunState src_state;
    Error *err;
} InResult;

static gboolean incoming_done(gpointer opaque)
{
    InResult *res = opaque;
    MachineState *m = current_machine;
    RunState src_state = res->src_state;
    Error *err = res->err;
    int64_t initial, max, rounds, step;

    g_thread_join(in_thread);
    in_thread = NULL;
    mig_channel_close(&in.ch);
    if (!err) {
        mig_apply_sections(m, res->deferred, &err);
    }
    g_clear_pointer(&res->deferred, g_ptr_array_unref);
    g_free(res);
    if (err) {
        set_status(&in.status, MIG_FAILED);
        error_report("load of migration failed: %s", error_get_pretty(err));
        error_free(err);
        exit(1);
    }
    /* Block migration wrote the images: their metadata is on disk before they are re-read. */
    drive_flush_all();
    if (!blk_activate_all(&err)) {
        /* As QEMU: the guest stays paused on images it cannot write. */
        error_report_err(err);
        err = NULL;
        src_state = RUN_STATE_PAUSED;
    }
    /* As QEMU 7.2, the NICs announce where the guest now is, with this side's parameters. */
    migration_param_announce(&initial, &max, &rounds, &step);
    net_announce_after_migration(initial, max, rounds, step);
    /* As QEMU 7.2: RESUME, then the MIGRATION event. */
    if (src_state != RUN_STATE_RUNNING) {
        vm_stop(src_state);
    } else if (in.autostart) {
        vm_start();
    } else {
        vm_stop(RUN_STATE_PAUSED);
    }
    set_status(&in.status, MIG_COMPLETED);
    return G_SOURCE_REMOVE;
}

static gpointer incoming_thread(gpointer opaque)
{
    InResult *res = g_new0(InResult, 1);

    res->src_state = RUN_STATE_RUNNING;
    mig_read_stream(current_machine, &in.ch, &res->src_state, &res->deferred, &res->err);
    post_main(incoming_done, res);
    return NULL;
}

static void incoming_load(void)
{
    set_status(&in.status, MIG_ACTIVE);
    in_thread = g_thread_new("migration-in", incoming_thread, NULL);
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
    in.configured = true;
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

    if (!in.configured) {
        qmp_error_setg(err, "'-incoming' was not specified on the command line");
        return NULL;
    }
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

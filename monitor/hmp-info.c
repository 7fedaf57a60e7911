/*
 * HMP "info" subcommands: the machine's state in the text QEMU 7.2's human
 * monitor prints, most of it from the QMP queries.
 */
#include "hw/loader.h"
#include "monitor/hmp-internal.h"
#include "chardev/char.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "hw/pci/pci_regs.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr.h"
#include "sysemu/numa.h"
#include "hw/mem/pc-dimm.h"
#include "hw/ppc/spapr_lmb.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/xics.h"
#include "hw/qdev-monitor.h"
#include "hw/qdev-properties.h"
#include "block/block.h"
#include "net/net.h"
#include "qemu/option.h"
#include "qapi/qapi-commands.h"

static const char *member_str(JsonObject *o, const char *name, const char *dflt)
{
    return json_object_has_member(o, name) ? json_object_get_string_member(o, name) : dflt;
}

static bool member_bool(JsonObject *o, const char *name)
{
    return json_object_has_member(o, name) && json_object_get_boolean_member(o, name);
}

static void info_status(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_status, NULL);
    JsonObject *o;
    const char *status;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    status = json_object_get_string_member(o, "status");
    g_string_append_printf(ctx->out, "VM status: %s",
                           member_bool(o, "running") ? "running" : "paused");
    /* "paused" is implied; other stopped states are named (prelaunch, shutdown...). */
    if (!member_bool(o, "running") && strcmp(status, "paused")) {
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
                               index == ctx->session->cpu_index ? '*' : ' ', index,
                               json_object_get_int_member(c, "thread-id"));
    }
    json_node_unref(ret);
}

static void add_chardev_line(Chardev *chr, void *opaque)
{
    g_autofree char *filename = qemu_chr_filename(chr);

    g_string_append_printf(opaque, "%s: filename=%s\n", qemu_chr_id(chr), filename);
}

static void info_chardev(HmpContext *ctx)
{
    qemu_chr_foreach_listed(add_chardev_line, ctx->out);
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

static void info_memory_devices(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_memory_devices, NULL);
    JsonArray *arr;

    if (!ret) {
        return;
    }
    arr = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *m = json_array_get_object_element(arr, i);
        JsonObject *d = json_object_get_object_member(m, "data");

        g_string_append_printf(
            ctx->out, "Memory device [%s]: \"%s\"\n", json_object_get_string_member(m, "type"),
            json_object_has_member(d, "id") ? json_object_get_string_member(d, "id") : "");
        g_string_append_printf(
            ctx->out,
            "  addr: 0x%" PRIx64 "\n  slot: %" PRId64 "\n  node: %" PRId64 "\n  size: %" PRIu64
            "\n  memdev: %s\n  hotplugged: %s\n  hotpluggable: %s\n",
            (uint64_t)json_object_get_int_member(d, "addr"), json_object_get_int_member(d, "slot"),
            json_object_get_int_member(d, "node"), (uint64_t)json_object_get_int_member(d, "size"),
            json_object_get_string_member(d, "memdev"),
            json_object_get_boolean_member(d, "hotplugged") ? "true" : "false",
            json_object_get_boolean_member(d, "hotpluggable") ? "true" : "false");
    }
    json_node_unref(ret);
}

static void info_memory_size_summary(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_query_memory_size_summary, NULL);
    JsonObject *o;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    g_string_append_printf(ctx->out, "base memory: %" PRIu64 "\n",
                           (uint64_t)json_object_get_int_member(o, "base-memory"));
    if (json_object_has_member(o, "plugged-memory")) {
        g_string_append_printf(ctx->out, "plugged memory: %" PRIu64 "\n",
                               (uint64_t)json_object_get_int_member(o, "plugged-memory"));
    }
    json_node_unref(ret);
}

/*
 * As QEMU 7.2: the node count, then per node its present CPUs (by index),
 * its memory in MiB with the memory devices plugged into it, and those.
 */
static void info_numa(HmpContext *ctx)
{
    const NumaState *ns = numa_state();
    g_autofree uint64_t *plugged = g_new0(uint64_t, NUMA_MAX_NODES);
    JsonNode *cpus, *mems;

    unsigned num_nodes = MAX(ns->num_nodes, 1);
    uint64_t base = 0;
    JsonNode *summary = hmp_qmp(ctx, qmp_query_memory_size_summary, NULL);

    /* Without -numa QEMU shows one node holding every CPU and the base memory. */
    if (summary) {
        base = json_object_get_int_member(json_node_get_object(summary), "base-memory");
        json_node_unref(summary);
    }
    g_string_append_printf(ctx->out, "%u nodes\n", num_nodes);
    cpus = hmp_qmp(ctx, qmp_query_cpus_fast, NULL);
    mems = hmp_qmp(ctx, qmp_query_memory_devices, NULL);
    for (guint i = 0; mems && i < json_array_get_length(json_node_get_array(mems)); i++) {
        JsonObject *m = json_array_get_object_element(json_node_get_array(mems), i);
        JsonObject *d = json_object_get_object_member(m, "data");
        int64_t node =
            d && json_object_has_member(d, "node") ? json_object_get_int_member(d, "node") : 0;

        if (d && node >= 0 && node < NUMA_MAX_NODES) {
            plugged[node] += (uint64_t)json_object_get_int_member(d, "size");
        }
    }
    for (unsigned n = 0; n < num_nodes; n++) {
        uint64_t mem = ns->num_nodes ? ns->nodes[n].mem : base;

        g_string_append_printf(ctx->out, "node %u cpus:", n);
        for (guint i = 0; cpus && i < json_array_get_length(json_node_get_array(cpus)); i++) {
            JsonObject *c = json_array_get_object_element(json_node_get_array(cpus), i);
            JsonObject *p = json_object_get_object_member(c, "props");

            if (!ns->num_nodes || (p && json_object_has_member(p, "node-id") &&
                                   json_object_get_int_member(p, "node-id") == (int64_t)n)) {
                g_string_append_printf(ctx->out, " %" PRId64,
                                       json_object_get_int_member(c, "cpu-index"));
            }
        }
        g_string_append_printf(ctx->out, "\nnode %u size: %" PRIu64 " MB\n", n,
                               (mem + plugged[n]) >> 20);
        g_string_append_printf(ctx->out, "node %u plugged: %" PRIu64 " MB\n", n, plugged[n] >> 20);
    }
    if (cpus) {
        json_node_unref(cpus);
    }
    if (mems) {
        json_node_unref(mems);
    }
}

static void rom_line(const char *name, hwaddr addr, uint64_t size, void *opaque)
{
    g_string_append_printf(opaque, "addr=%016" PRIx64 " size=0x%06" PRIx64 " mem=ram name=\"%s\"\n",
                           (uint64_t)addr, size, name);
}

/* The images the loader placed in guest RAM (QEMU's ROMs): firmware, kernel segments, initrd. */
static void info_roms(HmpContext *ctx)
{
    loader_foreach(rom_line, ctx->out);
}

static void info_history(HmpContext *ctx)
{
    GPtrArray *h =
        ctx->session->history ? ctx->session->history(ctx->session->history_opaque) : NULL;

    for (guint i = 0; h && i < h->len; i++) {
        g_string_append_printf(ctx->out, "%u: '%s'\n", i, (char *)g_ptr_array_index(h, i));
    }
}

/* Balloon: a facility that may be absent, found by name in the QMP table. */
static void info_balloon(HmpContext *ctx)
{
    const QmpCommand *cmd = qmp_command_find("query-balloon");
    JsonNode *ret;

    if (!cmd) {
        g_string_append(ctx->out, "Error: No balloon device has been activated\n");
        return;
    }
    ret = hmp_qmp(ctx, cmd->fn, NULL);
    if (ret) {
        g_string_append_printf(ctx->out, "balloon: actual=%" PRId64 "\n",
                               json_object_get_int_member(json_node_get_object(ret), "actual") >>
                                   20);
        json_node_unref(ret);
    }
}

/* ---- Block devices ----------------------------------------------------- */

/* A format-specific value as qemu-img info prints it: keys with spaces, nested lists. */
static void image_value(GString *out, JsonNode *v, int indent);

static void image_member(GString *out, const char *key, JsonNode *v, int indent)
{
    g_autofree char *name = g_strdelimit(g_strdup(key), "-", ' ');

    g_string_append_printf(out, "%*s%s:", indent, "", name);
    if (JSON_NODE_HOLDS_VALUE(v)) {
        g_string_append_c(out, ' ');
        image_value(out, v, indent);
    } else {
        g_string_append_c(out, '\n');
        image_value(out, v, indent + 4);
    }
}

static void image_value(GString *out, JsonNode *v, int indent)
{
    if (JSON_NODE_HOLDS_OBJECT(v)) {
        JsonObject *o = json_node_get_object(v);
        g_autoptr(GList) keys = json_object_get_members(o);

        for (GList *k = keys; k; k = k->next) {
            image_member(out, k->data, json_object_get_member(o, k->data), indent);
        }
    } else if (JSON_NODE_HOLDS_ARRAY(v)) {
        JsonArray *a = json_node_get_array(v);

        for (guint i = 0; i < json_array_get_length(a); i++) {
            g_autofree char *key = g_strdup_printf("[%u]", i);

            image_member(out, key, json_array_get_element(a, i), indent);
        }
    } else if (json_node_get_value_type(v) == G_TYPE_BOOLEAN) {
        g_string_append_printf(out, "%s\n", json_node_get_boolean(v) ? "true" : "false");
    } else if (json_node_get_value_type(v) == G_TYPE_INT64) {
        g_string_append_printf(out, "%" PRId64 "\n", json_node_get_int(v));
    } else if (json_node_get_value_type(v) == G_TYPE_STRING) {
        g_string_append_printf(out, "%s\n", json_node_get_string(v));
    } else {
        g_string_append(out, "null\n");
    }
}

/* One image and its backing chain as qemu-img info (and QEMU's info block -v) print them. */
static void print_image(GString *out, JsonObject *img)
{
    for (; img; img = json_object_has_member(img, "backing-image")
                          ? json_object_get_object_member(img, "backing-image")
                          : NULL) {
        g_autofree char *vsize = qemu_size_to_str(json_object_get_int_member(img, "virtual-size"));

        g_string_append_printf(out,
                               "image: %s\nfile format: %s\nvirtual size: %s (%" PRId64 " bytes)\n",
                               member_str(img, "filename", ""), member_str(img, "format", ""),
                               vsize, json_object_get_int_member(img, "virtual-size"));
        if (json_object_has_member(img, "actual-size")) {
            g_autofree char *dsize =
                qemu_size_to_str(json_object_get_int_member(img, "actual-size"));

            g_string_append_printf(out, "disk size: %s\n", dsize);
        }
        if (member_bool(img, "encrypted")) {
            g_string_append(out, "encrypted: yes\n");
        }
        if (json_object_has_member(img, "cluster-size")) {
            g_string_append_printf(out, "cluster_size: %" PRId64 "\n",
                                   json_object_get_int_member(img, "cluster-size"));
        }
        if (member_bool(img, "dirty-flag")) {
            g_string_append(out, "cleanly shut down: no\n");
        }
        if (json_object_has_member(img, "backing-filename")) {
            const char *bf = json_object_get_string_member(img, "backing-filename");
            const char *full = member_str(img, "full-backing-filename", bf);

            g_string_append_printf(out, "backing file: %s", bf);
            if (strcmp(bf, full)) {
                g_string_append_printf(out, " (actual path: %s)", full);
            }
            g_string_append_c(out, '\n');
        }
        if (json_object_has_member(img, "backing-filename-format")) {
            g_string_append_printf(out, "backing file format: %s\n",
                                   json_object_get_string_member(img, "backing-filename-format"));
        }
        if (json_object_has_member(img, "snapshots")) {
            JsonArray *snaps = json_object_get_array_member(img, "snapshots");

            g_string_append(out, "Snapshot list:\n");
            bdrv_snapshot_dump(out, NULL, NULL);
            g_string_append_c(out, '\n');
            for (guint i = 0; i < json_array_get_length(snaps); i++) {
                JsonObject *s = json_array_get_object_element(snaps, i);
                BdrvSnapshotInfo sn = {
                    .id = (char *)member_str(s, "id", ""),
                    .name = (char *)member_str(s, "name", ""),
                    .vm_state_size = json_object_get_int_member(s, "vm-state-size"),
                    .date_sec = json_object_get_int_member(s, "date-sec"),
                    .date_nsec = json_object_get_int_member(s, "date-nsec"),
                    .vm_clock_nsec = json_object_get_int_member(s, "vm-clock-sec") * 1000000000ULL +
                                     json_object_get_int_member(s, "vm-clock-nsec"),
                    .icount = json_object_has_member(s, "icount")
                                  ? json_object_get_int_member(s, "icount")
                                  : -1,
                };

                bdrv_snapshot_dump(out, &sn, NULL);
                g_string_append_c(out, '\n');
            }
        }
        if (json_object_has_member(img, "format-specific")) {
            JsonObject *fs = json_object_get_object_member(img, "format-specific");

            g_string_append(out, "Format specific information:\n");
            image_value(out, json_object_get_member(fs, "data"), 4);
        }
    }
}

/* The lines QEMU's info block shows of a node: cache mode, backing file. */
static void print_node_details(GString *out, JsonObject *ins)
{
    if (json_object_has_member(ins, "cache")) {
        JsonObject *c = json_object_get_object_member(ins, "cache");

        g_string_append_printf(out, "    Cache mode:       %s%s%s\n",
                               member_bool(c, "writeback") ? "writeback" : "writethrough",
                               member_bool(c, "direct") ? ", direct" : "",
                               member_bool(c, "no-flush") ? ", ignore flushes" : "");
    }
    if (json_object_has_member(ins, "backing_file")) {
        g_string_append_printf(out, "    Backing file:     %s (chain depth: %" PRId64 ")\n",
                               json_object_get_string_member(ins, "backing_file"),
                               json_object_get_int_member(ins, "backing_file_depth"));
    }
}

/* "FILE (DRIVER[, read-only][, encrypted])" after a device's or node's name. */
static void print_node_file(GString *out, JsonObject *ins)
{
    g_string_append_printf(out, ": %s (%s%s%s)\n", member_str(ins, "file", ""),
                           member_str(ins, "drv", ""), member_bool(ins, "ro") ? ", read-only" : "",
                           member_bool(ins, "encrypted") ? ", encrypted" : "");
}

/* Images: and the image chain, for -v. */
static void print_images(GString *out, JsonObject *ins)
{
    if (ins && json_object_has_member(ins, "image")) {
        g_string_append(out, "\nImages:\n");
        print_image(out, json_object_get_object_member(ins, "image"));
    }
}

static void print_block(GString *out, JsonObject *b, bool verbose)
{
    JsonObject *ins =
        json_object_has_member(b, "inserted") ? json_object_get_object_member(b, "inserted") : NULL;

    /* A backend whose drive was deleted goes by its device's name. */
    g_string_append(out, *json_object_get_string_member(b, "device")
                             ? json_object_get_string_member(b, "device")
                             : member_str(b, "qdev", ""));
    if (ins && json_object_has_member(ins, "node-name")) {
        g_string_append_printf(out, " (%s)", json_object_get_string_member(ins, "node-name"));
    }
    if (ins) {
        print_node_file(out, ins);
    } else {
        g_string_append(out, ": [not inserted]\n");
    }
    if (json_object_has_member(b, "qdev")) {
        g_string_append_printf(out, "    Attached to:      %s\n",
                               json_object_get_string_member(b, "qdev"));
    }
    if (json_object_has_member(b, "io-status") &&
        strcmp(json_object_get_string_member(b, "io-status"), "ok")) {
        g_string_append_printf(out, "    I/O status:       %s\n",
                               json_object_get_string_member(b, "io-status"));
    }
    if (member_bool(b, "removable")) {
        g_string_append_printf(out, "    Removable device: %slocked, tray %s\n",
                               member_bool(b, "locked") ? "" : "not ",
                               member_bool(b, "tray_open") ? "open" : "closed");
    }
    if (ins) {
        print_node_details(out, ins);
    }
    if (verbose) {
        print_images(out, ins);
    }
}

/*
 * info block [-n] [-v] [NAME]: the block devices (or with -n the named nodes,
 * query-named-block-nodes), NAME picking one; -v adds each image chain.
 */
static void info_block(HmpContext *ctx)
{
    const char *p = ctx->args;
    bool flags[2]; /* -n, -v */
    g_autofree char *name = NULL;
    JsonNode *ret;
    JsonArray *arr;

    if (!hmp_take_flags(ctx, &p, "nv", flags)) {
        return;
    }
    if (*p) {
        size_t len = strcspn(p, " \t");

        name = g_strndup(p, len);
        if (!hmp_at_end(ctx, p + len)) {
            return;
        }
    }
    ret = hmp_qmp(ctx, flags[0] ? qmp_query_named_block_nodes : qmp_query_block, NULL);
    if (!ret) {
        return;
    }
    arr = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *b = json_array_get_object_element(arr, i);
        const char *id = member_str(b, flags[0] ? "node-name" : "device", "");

        if (name && strcmp(name, id)) {
            continue;
        }
        /* As QEMU's: a blank line before any but the list's first, shown or not. */
        if (i > 0) {
            g_string_append(ctx->out, "\n");
        }
        if (flags[0]) {
            g_string_append(ctx->out, id);
            print_node_file(ctx->out, b);
            print_node_details(ctx->out, b);
            if (flags[1]) {
                print_images(ctx->out, b);
            }
        } else {
            print_block(ctx->out, b, flags[1]);
        }
    }
    json_node_unref(ret);
}

/* ---- CPUs, devices, memory --------------------------------------------- */

static void info_hotpluggable_cpus(HmpContext *ctx)
{
    static const char *const props[] = { "node-id",    "socket-id", "die-id",
                                         "cluster-id", "core-id",   "thread-id" };
    JsonNode *ret = hmp_qmp(ctx, qmp_query_hotpluggable_cpus, NULL);
    JsonArray *arr;

    if (!ret) {
        return;
    }
    arr = json_node_get_array(ret);
    g_string_append(ctx->out, "Hotpluggable CPUs:\n");
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *c = json_array_get_object_element(arr, i);
        JsonObject *p = json_object_get_object_member(c, "props");

        g_string_append_printf(ctx->out, "  type: \"%s\"\n  vcpus_count: \"%" PRId64 "\"\n",
                               json_object_get_string_member(c, "type"),
                               json_object_get_int_member(c, "vcpus-count"));
        if (json_object_has_member(c, "qom-path")) {
            g_string_append_printf(ctx->out, "  qom_path: \"%s\"\n",
                                   json_object_get_string_member(c, "qom-path"));
        }
        g_string_append(ctx->out, "  CPUInstance Properties:\n");
        for (size_t j = 0; p && j < G_N_ELEMENTS(props); j++) {
            if (json_object_has_member(p, props[j])) {
                g_string_append_printf(ctx->out, "    %s: \"%" PRId64 "\"\n", props[j],
                                       json_object_get_int_member(p, props[j]));
            }
        }
    }
    json_node_unref(ret);
}

static gint qom_cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(json_object_get_string_member(*(JsonObject *const *)a, "name"),
                  json_object_get_string_member(*(JsonObject *const *)b, "name"));
}

static void info_qtree(HmpContext *ctx)
{
    qdev_print_tree(ctx->out);
}

/* The child<TYPE> properties of path, sorted by name (name -> TYPE); NULL: no such path. */
static GPtrArray *qom_children(const char *path, GPtrArray **types)
{
    g_autoptr(JsonObject) args = json_object_new();
    QmpError err = { 0 };
    JsonNode *ret;
    JsonArray *arr;
    GPtrArray *names;
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    json_object_set_string_member(args, "path", path);
    ret = qmp_qom_list(args, &err);
    if (!ret) {
        g_free(err.desc);
        return NULL;
    }
    arr = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *p = json_array_get_object_element(arr, i);
        const char *type = json_object_get_string_member(p, "type");

        if (g_str_has_prefix(type, "child<")) {
            g_ptr_array_add(sorted, p);
        }
    }
    g_ptr_array_sort(sorted, qom_cmp_name);
    names = g_ptr_array_new_with_free_func(g_free);
    *types = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < sorted->len; i++) {
        JsonObject *p = g_ptr_array_index(sorted, i);
        const char *type = json_object_get_string_member(p, "type");

        g_ptr_array_add(names, g_strdup(json_object_get_string_member(p, "name")));
        g_ptr_array_add(*types, g_strndup(type + 6, strlen(type) - 7));
    }
    json_node_unref(ret);
    return names;
}

static void qom_tree(GString *out, const char *path, const char *name, const char *type, int indent)
{
    GPtrArray *types = NULL;
    g_autoptr(GPtrArray) names = qom_children(path, &types);

    g_string_append_printf(out, "%*s/%s (%s)\n", indent, "", name, type);
    for (guint i = 0; names && i < names->len; i++) {
        const char *child = g_ptr_array_index(names, i);
        g_autofree char *sub = g_strdup_printf("%s/%s", strcmp(path, "/") ? path : "", child);

        qom_tree(out, sub, child, g_ptr_array_index(types, i), indent + 2);
    }
    if (types) {
        g_ptr_array_unref(types);
    }
}

/* info qom-tree [path]: the composition tree from /machine (or path), children by name. */
static void info_qom_tree(HmpContext *ctx)
{
    g_autofree char *path = g_strdup(ctx->args[0] ? ctx->args : "/machine");
    g_autofree char *parent = NULL;
    const char *name;
    GPtrArray *types = NULL;
    g_autoptr(GPtrArray) siblings = NULL;
    char *slash;

    while (strlen(path) > 1 && path[strlen(path) - 1] == '/') {
        path[strlen(path) - 1] = '\0';
    }
    slash = strrchr(path, '/');
    if (path[0] != '/' || !slash) {
        g_string_append_printf(ctx->out, "Path '%s' could not be resolved.\n", ctx->args);
        return;
    }
    parent = slash == path ? g_strdup("/") : g_strndup(path, slash - path);
    name = slash + 1;
    siblings = qom_children(parent, &types);
    for (guint i = 0; siblings && i < siblings->len; i++) {
        if (!strcmp(g_ptr_array_index(siblings, i), name)) {
            qom_tree(ctx->out, path, name, g_ptr_array_index(types, i), 0);
            g_ptr_array_unref(types);
            return;
        }
    }
    if (types) {
        g_ptr_array_unref(types);
    }
    g_string_append_printf(ctx->out, "Path '%s' could not be resolved.\n", ctx->args);
}

static void info_irq(HmpContext *ctx)
{
    const char *type = spapr_machine ? spapr_version_name(spapr_machine->version) : "none";

    g_string_append_printf(ctx->out, "IRQ statistics not available for %s-machine.\n", type);
}

/* XICS: each presentation controller, then each claimed source. */
static void info_pic(HmpContext *ctx)
{
    SpaprIrqState *irq = spapr_machine ? spapr_machine->irq : NULL;
    ICSState *ics = irq ? irq->ics : NULL;

    if (!ics) {
        return;
    }
    for (unsigned i = 0; i < irq->nr_icps; i++) {
        ICPState *icp = irq->icps[i];

        if (!icp) {
            continue;
        }
        /* QEMU prints the ICS owning the pending interrupt: (nil) when none. */
        if (icp->xirr & XICS_XISR_MASK) {
            g_string_append_printf(ctx->out, "CPU %u XIRR=%08x (%p) PP=%02x MFRR=%02x\n", i,
                                   icp->xirr, (void *)icp->ics, icp->pending_priority, icp->mfrr);
        } else {
            g_string_append_printf(ctx->out, "CPU %u XIRR=%08x ((nil)) PP=%02x MFRR=%02x\n", i,
                                   icp->xirr, icp->pending_priority, icp->mfrr);
        }
    }
    g_string_append_printf(ctx->out, "ICS %4x..%4x %p\n", ics->offset,
                           ics->offset + ics->nr_irqs - 1, (void *)ics);
    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        ICSIRQState *s = &ics->irqs[i];

        if (!(s->flags & XICS_FLAGS_IRQ_MASK)) {
            continue;
        }
        g_string_append_printf(ctx->out, "  %4x %s %02x %02x\n", i + ics->offset,
                               (s->flags & XICS_FLAGS_IRQ_LSI) ? "LSI" : "MSI", s->priority,
                               s->status);
    }
    g_string_append(ctx->out, "irqchip: emulated\n");
}

/* ---- PCI --------------------------------------------------------------- */

/* The class names QEMU prints (the PCI code's base class and subclass). */
static const struct {
    uint16_t cls;
    const char *desc;
} pci_class_names[] = {
    { 0x0001, "VGA controller" },
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0102, "Floppy controller" },
    { 0x0103, "IPI controller" },
    { 0x0104, "RAID controller" },
    { 0x0106, "SATA controller" },
    { 0x0107, "SAS controller" },
    { 0x0108, "NVMe controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0201, "Token Ring controller" },
    { 0x0202, "FDDI controller" },
    { 0x0203, "ATM controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0301, "XGA controller" },
    { 0x0302, "3D controller" },
    { 0x0380, "Display controller" },
    { 0x0400, "Video controller" },
    { 0x0401, "Audio controller" },
    { 0x0402, "Phone" },
    { 0x0403, "Audio controller" },
    { 0x0480, "Multimedia controller" },
    { 0x0500, "RAM controller" },
    { 0x0501, "Flash controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0602, "EISA bridge" },
    { 0x0603, "MC bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0605, "PCMCIA bridge" },
    { 0x0606, "NUBUS bridge" },
    { 0x0607, "CARDBUS bridge" },
    { 0x0608, "RACEWAY bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial port" },
    { 0x0701, "Parallel port" },
    { 0x0703, "Modem" },
    { 0x0800, "PIC" },
    { 0x0801, "DMA controller" },
    { 0x0802, "Timer" },
    { 0x0803, "RTC" },
    { 0x0880, "System peripheral" },
    { 0x0900, "Keyboard" },
    { 0x0901, "Pen" },
    { 0x0902, "Mouse" },
    { 0x0980, "Input device controller" },
    { 0x0a00, "Dock station" },
    { 0x0b00, "i386 cpu" },
    { 0x0b40, "Co-processor" },
    { 0x0c00, "Fireware contorller" },
    { 0x0c01, "Access bus controller" },
    { 0x0c02, "SSA controller" },
    { 0x0c03, "USB controller" },
    { 0x0c04, "Fibre channel controller" },
    { 0x0c05, "SMBus" },
    { 0x0d00, "IRDA controller" },
    { 0x0d01, "IR controller" },
    { 0x0d10, "RF controller" },
    { 0x0d11, "Bluetooth controller" },
    { 0x0d12, "Broadband controller" },
    { 0x0e00, "I2O controller" },
    { 0x0f00, "Satellite TV controller" },
    { 0x1000, "Network and computing encryption device" },
    { 0x1100, "DPIO module" },
    { 0x1200, "Processing accelerator" },
    { 0x1300, "Non-essential instrumentation" },
};

static const char *pci_class_desc(uint16_t cls)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_names); i++) {
        if (pci_class_names[i].cls == cls) {
            return pci_class_names[i].desc;
        }
    }
    return NULL;
}

typedef struct PciInfoCtx {
    GString *out;
    int bus_nr;
} PciInfoCtx;

static void pci_info_bar(GString *out, PCIDevice *d, int n)
{
    PCIIORegion *r = &d->io_regions[n];
    uint64_t addr = pci_bar_address(d, n);
    /* An unmapped BAR shows address -1 and its end wrapped, as QEMU's. */
    uint64_t end = addr + r->size - 1;

    if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
        g_string_append_printf(out, "      BAR%d: I/O at 0x%04" PRIx64 " [0x%04" PRIx64 "].\n", n,
                               addr, end);
    } else {
        g_string_append_printf(
            out, "      BAR%d: %d bit%s memory at 0x%08" PRIx64 " [0x%08" PRIx64 "].\n", n,
            (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) ? 64 : 32,
            (r->type & PCI_BASE_ADDRESS_MEM_PREFETCH) ? " prefetchable" : "", addr, end);
    }
}

static void pci_info_dev(PCIBus *bus, PCIDevice *d, void *opaque)
{
    PciInfoCtx *pc = opaque;
    GString *out = pc->out;
    const uint8_t *c = d->config;
    uint16_t cls = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_desc(cls);
    uint8_t pin = c[PCI_INTERRUPT_PIN];

    g_string_append_printf(out, "  Bus %2d, device %3d, function %d:\n", pc->bus_nr,
                           (d->devfn >> 3) & 0x1f, d->devfn & 7);
    if (desc) {
        g_string_append_printf(out, "    %s:", desc);
    } else {
        /* QEMU prints an unnamed class in decimal. */
        g_string_append_printf(out, "    Class %04d:", cls);
    }
    g_string_append_printf(out, " PCI device %04x:%04x\n", pci_get_word(c + PCI_VENDOR_ID),
                           pci_get_word(c + PCI_DEVICE_ID));
    if (!(c[PCI_HEADER_TYPE] & 0x7f)) {
        g_string_append_printf(out, "      PCI subsystem %04x:%04x\n",
                               pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                               pci_get_word(c + PCI_SUBSYSTEM_ID));
    }
    if (pin) {
        g_string_append_printf(out, "      IRQ %d, pin %c\n", c[PCI_INTERRUPT_LINE], 'A' + pin - 1);
    }
    for (int n = 0; n < PCI_NUM_REGIONS - 1; n++) {
        if (d->io_regions[n].size) {
            pci_info_bar(out, d, n);
        }
    }
    g_string_append_printf(out, "      id \"%s\"\n", d->qdev.id ? d->qdev.id : "");
}

static void pci_info_phb(SpaprPhbState *phb, void *opaque)
{
    if (phb->bus) {
        pci_bus_foreach(phb->bus, pci_info_dev, opaque);
    }
}

static void info_pci(HmpContext *ctx)
{
    PciInfoCtx pc = { ctx->out, 0 };

    spapr_pci_foreach_phb(pci_info_phb, &pc);
}

/* ---- query-pci: the same as info pci, in QEMU's PciInfo shape -------------------- */

static JsonObject *pci_region_json(PCIDevice *d, int n)
{
    PCIIORegion *r = &d->io_regions[n];
    JsonObject *o = json_object_new();
    bool io = r->type & PCI_BASE_ADDRESS_SPACE_IO;

    json_object_set_int_member(o, "bar", n);
    json_object_set_string_member(o, "type", io ? "io" : "memory");
    /* An unmapped BAR's address is all ones: -1, as QEMU's. */
    json_object_set_int_member(o, "address", (int64_t)pci_bar_address(d, n));
    json_object_set_int_member(o, "size", (int64_t)r->size);
    if (!io) {
        json_object_set_boolean_member(o, "prefetch", r->type & PCI_BASE_ADDRESS_MEM_PREFETCH);
        json_object_set_boolean_member(o, "mem_type_64", r->type & PCI_BASE_ADDRESS_MEM_TYPE_64);
    }
    return o;
}

static void pci_device_json(PCIBus *bus, PCIDevice *d, void *opaque)
{
    JsonArray *devices = opaque;
    const uint8_t *c = d->config;
    uint16_t cls = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_desc(cls);
    JsonObject *o = json_object_new();
    JsonObject *ci = json_object_new();
    JsonObject *id = json_object_new();
    JsonArray *regions = json_array_new();

    /* Every bus here is a PHB's root bus, number 0; there are no bridges. */
    json_object_set_int_member(o, "bus", 0);
    json_object_set_int_member(o, "slot", (d->devfn >> 3) & 0x1f);
    json_object_set_int_member(o, "function", d->devfn & 7);
    if (desc) {
        json_object_set_string_member(ci, "desc", desc);
    }
    json_object_set_int_member(ci, "class", cls);
    json_object_set_object_member(o, "class_info", ci);
    json_object_set_int_member(id, "device", pci_get_word(c + PCI_DEVICE_ID));
    json_object_set_int_member(id, "vendor", pci_get_word(c + PCI_VENDOR_ID));
    if (!(c[PCI_HEADER_TYPE] & 0x7f)) {
        json_object_set_int_member(id, "subsystem", pci_get_word(c + PCI_SUBSYSTEM_ID));
        json_object_set_int_member(id, "subsystem-vendor",
                                   pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID));
    }
    json_object_set_object_member(o, "id", id);
    if (c[PCI_INTERRUPT_PIN]) {
        json_object_set_int_member(o, "irq", c[PCI_INTERRUPT_LINE]);
    }
    json_object_set_int_member(o, "irq_pin", c[PCI_INTERRUPT_PIN]);
    json_object_set_string_member(o, "qdev_id", d->qdev.id ? d->qdev.id : "");
    for (int n = 0; n < PCI_NUM_REGIONS - 1; n++) {
        if (d->io_regions[n].size) {
            json_array_add_object_element(regions, pci_region_json(d, n));
        }
    }
    json_object_set_array_member(o, "regions", regions);
    json_array_add_object_element(devices, o);
}

static void pci_phb_json(SpaprPhbState *phb, void *opaque)
{
    JsonArray *buses = opaque;
    JsonObject *o;
    JsonArray *devices;

    if (!phb->bus) {
        return;
    }
    o = json_object_new();
    devices = json_array_new();
    pci_bus_foreach(phb->bus, pci_device_json, devices);
    json_object_set_int_member(o, "bus", 0);
    json_object_set_array_member(o, "devices", devices);
    json_array_add_object_element(buses, o);
}

JsonNode *qmp_query_pci(JsonObject *args, QmpError *err)
{
    JsonArray *buses = json_array_new();

    spapr_pci_foreach_phb(pci_phb_json, buses);
    return qmp_node_array(buses);
}

/* ---- Network ----------------------------------------------------------- */

typedef struct NetInfoCtx {
    GString *out;
    NetClientState *nc;
    DeviceState *dev;
} NetInfoCtx;

static void find_nic_dev(DeviceState *dev, void *opaque)
{
    NetInfoCtx *n = opaque;

    if ((void *)dev == n->nc->opaque) {
        n->dev = dev;
    }
}

/* What QEMU's info_str says of a client. */
static void net_client_desc(GString *out, NetClientState *nc)
{
    switch (nc->info->type) {
    case NET_CLIENT_DRIVER_NIC: {
        NetInfoCtx n = { out, nc, NULL };
        const Property *mac = NULL;
        g_autofree char *addr = NULL;

        qdev_foreach(find_nic_dev, &n);
        mac = n.dev ? qdev_class_find_prop(n.dev->cls, "mac") : NULL;
        addr = mac ? qdev_prop_to_string(n.dev, mac) : NULL;
        g_string_append_printf(out, "index=0,type=nic,model=%s", nc->model);
        if (addr && addr[0]) {
            g_string_append_printf(out, ",macaddr=%s", addr);
        }
        break;
    }
    case NET_CLIENT_DRIVER_USER:
        g_string_append_printf(out, "index=0,type=user,%s", nc->info_str ? nc->info_str : "");
        break;
    case NET_CLIENT_DRIVER_TAP:
        g_string_append_printf(out, "index=0,type=tap,%s", nc->info_str ? nc->info_str : "");
        break;
    case NET_CLIENT_DRIVER_SOCKET:
    case NET_CLIENT_DRIVER_STREAM:
    case NET_CLIENT_DRIVER_DGRAM:
        g_string_append_printf(out, "index=0,type=%s,%s", nc->model,
                               nc->info_str ? nc->info_str : "");
        break;
    case NET_CLIENT_DRIVER_HUBPORT:
        g_string_append(out, "index=0,type=hubport");
        break;
    }
}

static void net_print_client(GString *out, NetClientState *nc)
{
    g_string_append_printf(out, "%s: ", nc->name);
    net_client_desc(out, nc);
    g_string_append(out, "\n");
}

static bool net_on_hub(NetClientState *nc)
{
    return nc->info->type == NET_CLIENT_DRIVER_HUBPORT ||
           (nc->peer && nc->peer->info->type == NET_CLIENT_DRIVER_HUBPORT);
}

/* A NIC with its backend below it; a backend without a NIC on its own. */
static void net_info_client(NetClientState *nc, void *opaque)
{
    GString *out = opaque;

    if (net_on_hub(nc)) {
        return; /* shown with its hub */
    }
    if (!nc->peer || nc->info->type == NET_CLIENT_DRIVER_NIC) {
        net_print_client(out, nc);
    }
    if (nc->peer && nc->info->type == NET_CLIENT_DRIVER_NIC) {
        g_string_append(out, " \\ ");
        net_print_client(out, nc->peer);
    }
}

static void info_network_port(GString *out, NetClientState *port)
{
    g_string_append_printf(out, " \\ %s", port->name);
    if (port->peer) {
        g_string_append(out, ": ");
        net_print_client(out, port->peer);
    } else {
        g_string_append(out, "\n");
    }
}

/*
 * QEMU's layout: each hub (newest first) and its ports (newest first, each
 * with its peer), then the rest.
 */
static void info_network(HmpContext *ctx)
{
    for (unsigned h = 0; h < net_hub_count(); h++) {
        int id = net_hub_id(h);

        g_string_append_printf(ctx->out, "hub %d\n", id);
        for (unsigned n = net_hub_port_count(id); n--;) {
            info_network_port(ctx->out, net_hub_port(id, n));
        }
    }
    qemu_foreach_net_client(net_info_client, ctx->out);
}

/* ---- The PAPR interface's profile (ours) ------------------------------ */

static void hcall_table(GString *out, JsonArray *arr, const char *what)
{
    g_string_append_printf(out, "%-28s %10s %8s %14s %10s\n", what, "calls", "errors", "total us",
                           "max us");
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *e = json_array_get_object_element(arr, i);

        g_string_append_printf(out, "%-28s %10" PRId64 " %8" PRId64 " %14.3f %10.3f\n",
                               json_object_get_string_member(e, "name"),
                               json_object_get_int_member(e, "count"),
                               json_object_get_int_member(e, "errors"),
                               json_object_get_int_member(e, "total-ns") / 1000.0,
                               json_object_get_int_member(e, "max-ns") / 1000.0);
    }
}

/* Every hypercall and RTAS service the guest called: x-query-hcalls as a table. */
static void info_hcalls(HmpContext *ctx)
{
    JsonNode *ret = hmp_qmp(ctx, qmp_x_query_hcalls, NULL);
    JsonObject *o;

    if (!ret) {
        return;
    }
    o = json_node_get_object(ret);
    hcall_table(ctx->out, json_object_get_array_member(o, "hcalls"), "hypercall");
    hcall_table(ctx->out, json_object_get_array_member(o, "rtas"), "RTAS service");
    json_node_unref(ret);
}

/* ---- The table --------------------------------------------------------- */

/* QEMU's texts, in its (alphabetical) order; hcalls is ours. */
const HmpCommand hmp_info_cmds[] = {
    { "balloon", "", "show balloon information", info_balloon },
    { "block", "[-n] [-v] [device]",
      "show info of one block device or all block devices (-n: show named nodes; -v: show "
      "details)",
      info_block, true },
    { "chardev", "", "show the character devices", info_chardev },
    { "cpus", "", "show infos for each CPU", info_cpus },
    { "hcalls", "", "show hypercall and RTAS call counts, host time and errors", info_hcalls },
    { "history", "", "show the command line history", info_history },
    { "hotpluggable-cpus", "", "Show information about hotpluggable CPUs", info_hotpluggable_cpus },
    { "iothreads", "", "show iothreads", info_iothreads },
    { "irq", "", "show the interrupts statistics (if available)", info_irq },
    { "kvm", "", "show KVM information", info_kvm },
    { "memory-devices", "", "show memory devices", info_memory_devices },
    { "memory_size_summary", "",
      "show the amount of initially allocated and present hotpluggable (if enabled) memory in "
      "bytes.",
      info_memory_size_summary },
    { "migrate", "", "show migration status", hmp_info_migrate },
    { "migrate_capabilities", "", "show current migration capabilities",
      hmp_info_migrate_capabilities },
    { "migrate_parameters", "", "show current migration parameters", hmp_info_migrate_parameters },
    { "mtree", "[-f][-d][-o][-D]",
      "show memory tree (-f: dump flat view for address spaces;-d: dump dispatch tree, valid "
      "with -f only);-o: dump region owners/parents;-D: dump disabled regions",
      hmp_info_mtree, true },
    { "name", "", "show the current VM name", info_name },
    { "network", "", "show the network state", info_network },
    { "numa", "", "show NUMA information", info_numa },
    { "pci", "", "show PCI info", info_pci },
    { "pic", "", "show PIC state", info_pic },
    { "qom-tree", "[path]", "show QOM composition tree", info_qom_tree, true },
    { "qtree", "", "show device tree", info_qtree },
    { "registers", "[-a|vcpu]",
      "show the cpu registers (-a: show register info for all cpus; vcpu: specific vCPU to "
      "query; show the current CPU's registers if no argument is specified)",
      hmp_info_registers, true },
    { "roms", "", "show roms", info_roms },
    { "snapshots", "", "show the currently saved VM snapshots", hmp_info_snapshots },
    { "status", "", "show the current VM status (running|paused)", info_status },
    { "tlb", "", "show virtual to physical memory mappings", hmp_info_tlb },
    { "uuid", "", "show the current VM UUID", info_uuid },
    { "version", "", "show the version of QEMU", info_version },
};

const size_t hmp_info_cmds_count = G_N_ELEMENTS(hmp_info_cmds);

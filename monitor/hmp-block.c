/*
 * The human monitor's block commands, as QEMU 7.2's: "eject" and "change" on
 * a drive name (through the QMP handlers), "drive_add" and "drive_del".
 */
#include "monitor/hmp-internal.h"
#include "block/block.h"
#include "qemu/option.h"
#include "qapi/qapi-commands.h"
#include "sysemu/blockdev.h"

/* The words of ctx->args, at most max of them (NULL and the error after that). */
static gchar **hmp_words(HmpContext *ctx, unsigned max)
{
    g_auto(GStrv) all = g_strsplit_set(ctx->args, " \t", -1);
    GPtrArray *w = g_ptr_array_new();

    for (unsigned i = 0; all[i]; i++) {
        if (*all[i]) {
            g_ptr_array_add(w, g_strdup(all[i]));
        }
    }
    if (w->len > max) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        g_ptr_array_free(w, TRUE);
        return NULL;
    }
    g_ptr_array_add(w, NULL);
    return (gchar **)g_ptr_array_free(w, FALSE);
}

/* eject [-f] device */
void hmp_eject(HmpContext *ctx)
{
    g_auto(GStrv) w = hmp_words(ctx, 2);
    JsonObject *args;
    unsigned i = 0;
    bool force = false;

    if (!w) {
        return;
    }
    if (w[i] && !strcmp(w[i], "-f")) {
        force = true;
        i++;
    }
    if (!w[i] || w[i + 1]) {
        if (!w[i]) {
            hmp_arg_error(ctx, "%s: block device name expected", ctx->name);
        } else {
            hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        }
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "device", w[i]);
    json_object_set_boolean_member(args, "force", force);
    hmp_qmp_simple(ctx, qmp_eject, args);
    json_object_unref(args);
}

/* change device [-f] filename [format [read-only-mode]] */
void hmp_change(HmpContext *ctx)
{
    static const char *const modes[] = { "retain", "read-only", "read-write", NULL };
    g_auto(GStrv) w = hmp_words(ctx, 5);
    const char *device, *file, *format, *mode;
    JsonObject *args;
    unsigned i = 0;
    bool force = false;

    if (!w) {
        return;
    }
    device = w[i] ? w[i++] : NULL;
    if (!device) {
        hmp_arg_error(ctx, "%s: block device name expected", ctx->name);
        return;
    }
    if (w[i] && !strcmp(w[i], "-f")) {
        force = true;
        i++;
    }
    file = w[i] ? w[i++] : NULL;
    if (!file) {
        hmp_arg_error(ctx, "%s: filename expected", ctx->name);
        return;
    }
    format = w[i] ? w[i++] : NULL;
    mode = format && w[i] ? w[i++] : NULL;
    if (w[i]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    if (mode && !g_strv_contains(modes, mode)) {
        g_string_append_printf(ctx->out, "Error: invalid parameter value: %s\n", mode);
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "device", device);
    json_object_set_string_member(args, "filename", file);
    if (format) {
        json_object_set_string_member(args, "format", format);
    }
    json_object_set_boolean_member(args, "force", force);
    if (mode) {
        json_object_set_string_member(args, "read-only-mode", mode);
    }
    hmp_qmp_simple(ctx, qmp_blockdev_change_medium, args);
    json_object_unref(args);
}

/*
 * drive_add -n ADDR OPTS: a node the monitor owns, as QEMU 7.2's (its
 * -drive-style tree: node-name required, a driver or a file).
 */
static void hmp_drive_add_node(HmpContext *ctx, const char *arg)
{
    Error *err = NULL;
    g_autoptr(GHashTable) opts = bdrv_opts_parse(arg, NULL, &err);
    BlockDriverState *bs;

    if (!opts) {
        g_string_append_printf(ctx->out, "%s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    if (!g_hash_table_contains(opts, "node-name")) {
        g_string_append(ctx->out, "'node-name' needs to be specified\n");
        return;
    }
    if (!g_hash_table_contains(opts, "driver") && !g_hash_table_contains(opts, "file")) {
        g_string_append(ctx->out, "Must specify either driver or file\n");
        return;
    }
    if (g_hash_table_contains(opts, "driver") &&
        !bdrv_find_format(g_hash_table_lookup(opts, "driver"))) {
        g_string_append_printf(ctx->out, "Unknown driver '%s'\n",
                               (const char *)g_hash_table_lookup(opts, "driver"));
        return;
    }
    bs = bdrv_open_opts(opts, &err);
    if (!bs) {
        g_string_append_printf(ctx->out, "%s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    bs->monitor_owned = true;
}

/* drive_add [-n] [[<domain>:]<bus>:]<slot> opts: the PCI address is QEMU's leftover, unused. */
void hmp_drive_add(HmpContext *ctx)
{
    g_auto(GStrv) w = hmp_words(ctx, 3);
    g_autofree char *err = NULL;
    unsigned i = 0;

    if (!w) {
        return;
    }
    if (w[i] && !strcmp(w[i], "-n")) {
        i++;
    }
    if (!w[i] || !w[i + 1]) {
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return;
    }
    if (w[i + 2]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    if (i) {
        hmp_drive_add_node(ctx, w[i + 1]);
        return;
    }
    if (!drive_hot_add(w[i + 1], &err)) {
        g_string_append_printf(ctx->out, "%s\n", err);
        return;
    }
    g_string_append(ctx->out, "OK\n");
}

/* drive_del device: a -drive (or drive_add) goes; a -blockdev node as blockdev-del. */
void hmp_drive_del(HmpContext *ctx)
{
    g_auto(GStrv) w = hmp_words(ctx, 1);
    g_autofree char *err = NULL;

    if (!w) {
        return;
    }
    if (!w[0]) {
        hmp_arg_error(ctx, "%s: block device name expected", ctx->name);
        return;
    }
    if (bdrv_find_node(w[0])) {
        JsonObject *args = json_object_new();
        QmpError qerr = { 0 };
        JsonNode *ret;

        json_object_set_string_member(args, "node-name", w[0]);
        ret = qmp_blockdev_del(args, &qerr);
        json_object_unref(args);
        if (ret) {
            json_node_unref(ret);
        } else {
            g_string_append_printf(ctx->out, "%s\n", qerr.desc);
            g_free(qerr.desc);
        }
        return;
    }
    if (!drive_delete(w[0], &err)) {
        g_string_append_printf(ctx->out, "%s\n", err);
    }
}

/*
 * The end of the size at the start of s as QEMU's monitor reads it: a
 * number (hex, or decimal with a fraction) and at most one unit letter.
 */
static size_t size_token_len(const char *s)
{
    char *end = (char *)s;

    if (g_str_has_prefix(s, "0x") || g_str_has_prefix(s, "0X")) {
        g_ascii_strtoull(s, &end, 16);
        if (end == s + 2) {
            end = (char *)s + 1; /* "0x" alone: the number 0, then "x" */
        }
    } else {
        g_ascii_strtod(s, &end);
    }
    if (end != s && *end && strchr("bBkKmMgGtTpPeE", *end)) {
        end++;
    }
    return (size_t)(end - s);
}

/* block_resize device size: the size in MiB unless a unit follows (QEMU's 'o' argument). */
void hmp_block_resize(HmpContext *ctx)
{
    g_auto(GStrv) w = hmp_words(ctx, 3);
    g_autofree char *num = NULL;
    JsonObject *args;
    uint64_t size;
    size_t len;

    if (!w) {
        return;
    }
    if (!w[0]) {
        hmp_arg_error(ctx, "%s: block device name expected", ctx->name);
        return;
    }
    len = w[1] ? size_token_len(w[1]) : 0;
    num = w[1] ? g_strndup(w[1], len) : NULL;
    if (!num || !qemu_strtosz(num, 1ull << 20, &size) || size > INT64_MAX) {
        hmp_arg_error(ctx, "invalid size");
        return;
    }
    if (w[1][len] || w[2]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "device", w[0]);
    json_object_set_int_member(args, "size", (int64_t)size);
    hmp_qmp_simple(ctx, qmp_block_resize, args);
    json_object_unref(args);
}

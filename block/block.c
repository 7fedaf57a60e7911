/*
 * The block graph: the driver registry, nodes and their names, opening a
 * node (and its file and backing children) from an options dictionary, and
 * format probing.
 */
#include "block/block.h"
#include "qemu/error-report.h"
#include "qemu/option.h"

#include <json-glib/json-glib.h>

#include "block/block-int.h"
#include "block/qapi.h"
#include "qapi/qmp.h"

static const BlockDriver *const drivers[] = { &bdrv_file,    &bdrv_raw,      &bdrv_qcow2,
                                              &bdrv_null_co, &bdrv_null_aio, &bdrv_blkdebug };
static GPtrArray *nodes; /* of BlockDriverState *, every open node */
static unsigned next_auto_name;

const BlockDriver *bdrv_find_format(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(drivers); i++) {
        const BlockDriver *drv = drivers[i];

        if (!strcmp(drv->format_name, name)) {
            return drv;
        }
    }
    return NULL;
}

bool bdrv_protocol_opts(GHashTable *opts, const char *prefix, const char *filename, Error **errp)
{
    size_t n = strcspn(filename, ":/");
    const BlockDriver *drv = &bdrv_file;
    g_autofree char *dkey = g_strconcat(prefix, "driver", NULL);
    g_autofree char *fkey = g_strconcat(prefix, "filename", NULL);

    if (filename[n] == ':') {
        g_autofree char *proto = g_strndup(filename, n);

        drv = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
            if (drivers[i]->protocol_name && !strcmp(drivers[i]->protocol_name, proto)) {
                drv = drivers[i];
            }
        }
        if (!drv) {
            error_setg(errp, "Unknown protocol '%s'", proto);
            return false;
        }
    }
    bdrv_opts_set(opts, dkey, drv->format_name);
    if (drv->parse_filename) {
        return drv->parse_filename(drv, filename, opts, prefix, errp);
    }
    bdrv_opts_set(opts, fkey, filename[n] == ':' ? filename + n + 1 : filename);
    return true;
}

const char *const bdrv_generic_options[] = {
    "driver",  "node-name",    "read-only",      "auto-read-only", "force-share",
    "discard", "cache.direct", "cache.no-flush", "detect-zeroes",  NULL,
};

BlockDriverState *bdrv_find_node(const char *node_name)
{
    for (guint i = 0; node_name && nodes && i < nodes->len; i++) {
        BlockDriverState *bs = g_ptr_array_index(nodes, i);

        if (!strcmp(bs->node_name, node_name)) {
            return bs;
        }
    }
    return NULL;
}

BlockDriverState **bdrv_list_nodes(void)
{
    guint n = nodes ? nodes->len : 0;
    BlockDriverState **list = g_new0(BlockDriverState *, n + 1);

    for (guint i = 0; i < n; i++) {
        list[i] = g_ptr_array_index(nodes, i);
    }
    return list;
}

GHashTable *bdrv_opts_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void bdrv_opts_set(GHashTable *opts, const char *key, const char *value)
{
    g_hash_table_replace(opts, g_strdup(key), g_strdup(value));
}

static GHashTable *opts_copy(GHashTable *src)
{
    GHashTable *dst = bdrv_opts_new();
    GHashTableIter it;
    gpointer k, v;

    g_hash_table_iter_init(&it, src);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        bdrv_opts_set(dst, k, v);
    }
    return dst;
}

char *bdrv_opts_take(GHashTable *opts, const char *key)
{
    gpointer k, v;

    if (!g_hash_table_steal_extended(opts, key, &k, &v)) {
        return NULL;
    }
    g_free(k);
    return v;
}

bool bdrv_opts_take_size(GHashTable *opts, const char *key, uint64_t *val, bool *present,
                         Error **errp)
{
    g_autofree char *v = bdrv_opts_take(opts, key);

    *present = v != NULL;
    if (v && !qemu_strtosz(v, 1, val)) {
        error_setg(errp, "Parameter '%s' expects a size", key);
        return false;
    }
    return true;
}

/* Move the "prefix.KEY" entries into a new dictionary as "KEY" (NULL: none). */
static GHashTable *opts_extract_child(GHashTable *opts, const char *prefix)
{
    g_autofree char *dotted = g_strconcat(prefix, ".", NULL);
    size_t n = strlen(dotted);
    GHashTable *child = NULL;
    GHashTableIter it;
    gpointer k, v;

    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        if (!strncmp(k, dotted, n)) {
            if (!child) {
                child = bdrv_opts_new();
            }
            bdrv_opts_set(child, (char *)k + n, v);
            g_hash_table_iter_remove(&it);
        }
    }
    return child;
}

static void json_flatten(JsonObject *obj, const char *prefix, GHashTable *opts);

static void json_flatten_member(JsonObject *obj, const gchar *name, JsonNode *node, gpointer data)
{
    GHashTable *opts = data;
    const char *key = name;

    if (JSON_NODE_HOLDS_OBJECT(node)) {
        json_flatten(json_node_get_object(node), key, opts);
    } else if (JSON_NODE_HOLDS_NULL(node)) {
        bdrv_opts_set(opts, key, "");
    } else if (json_node_get_value_type(node) == G_TYPE_BOOLEAN) {
        bdrv_opts_set(opts, key, json_node_get_boolean(node) ? "on" : "off");
    } else if (json_node_get_value_type(node) == G_TYPE_INT64) {
        g_autofree char *num = g_strdup_printf("%" PRId64, json_node_get_int(node));

        bdrv_opts_set(opts, key, num);
    } else if (qmp_node_is_big_uint64(node)) {
        g_autofree char *num = g_strdup_printf("%" PRIu64, qmp_node_get_uint64(node));

        bdrv_opts_set(opts, key, num);
    } else if (json_node_get_value_type(node) == G_TYPE_STRING) {
        bdrv_opts_set(opts, key, json_node_get_string(node));
    } else {
        /* Arrays and floats: no block option takes one; the key is refused later. */
        bdrv_opts_set(opts, key, "?");
    }
}

/* A nested object's members become "prefix.member" keys. */
static void json_flatten(JsonObject *obj, const char *prefix, GHashTable *opts)
{
    g_autoptr(GHashTable) inner = bdrv_opts_new();
    GHashTableIter it;
    gpointer k, v;

    json_object_foreach_member(obj, json_flatten_member, inner);
    g_hash_table_iter_init(&it, inner);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_autofree char *key = prefix ? g_strconcat(prefix, ".", k, NULL) : g_strdup(k);

        bdrv_opts_set(opts, key, v);
    }
}

GHashTable *bdrv_opts_from_json(JsonObject *obj)
{
    GHashTable *opts = bdrv_opts_new();

    json_flatten(obj, NULL, opts);
    return opts;
}

GHashTable *bdrv_opts_parse(const char *arg, const char *implied_key, Error **errp)
{
    GHashTable *opts = bdrv_opts_new();

    if (arg[0] == '{') {
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) gerr = NULL;
        JsonNode *root;

        if (!json_parser_load_from_data(parser, arg, -1, &gerr) ||
            !(root = json_parser_get_root(parser)) || !JSON_NODE_HOLDS_OBJECT(root)) {
            error_setg(errp, "JSON parse error, %s", gerr ? gerr->message : "not an object");
            g_hash_table_unref(opts);
            return NULL;
        }
        json_flatten(json_node_get_object(root), NULL, opts);
    } else {
        g_autofree char *perr = NULL;
        QemuOpts *qo = qemu_opts_parse(arg, implied_key, &perr);

        if (!qo) {
            error_setg(errp, "%s", perr);
            g_hash_table_unref(opts);
            return NULL;
        }
        for (guint i = 0; i < qo->list->len; i++) {
            QemuOpt *o = g_ptr_array_index(qo->list, i);

            bdrv_opts_set(opts, o->name, o->value);
        }
        qemu_opts_free(qo);
    }
    return opts;
}

/* QEMU's node names: a letter, then letters, digits, '-', '.', '_'. */
static bool node_name_valid(const char *name)
{
    if (!g_ascii_isalpha(name[0])) {
        return false;
    }
    for (const char *p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static bool opts_take_bool(GHashTable *opts, const char *key, bool *val, Error **errp)
{
    g_autofree char *v = bdrv_opts_take(opts, key);

    if (v && !qemu_parse_bool(v, val)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

/* Children opened inline get the parent's read-only and cache options unless set. */
static void opts_inherit(GHashTable *child, const BlockDriverState *parent, bool force_ro)
{
    if (!g_hash_table_contains(child, "read-only") || force_ro) {
        bdrv_opts_set(child, "read-only", parent->read_only || force_ro ? "on" : "off");
    }
    if (!g_hash_table_contains(child, "cache.direct")) {
        bdrv_opts_set(child, "cache.direct", parent->cache_direct ? "on" : "off");
    }
    if (!g_hash_table_contains(child, "cache.no-flush")) {
        bdrv_opts_set(child, "cache.no-flush", parent->cache_no_flush ? "on" : "off");
    }
    if (!g_hash_table_contains(child, "discard") && parent->discard == BDRV_DISCARD_UNMAP) {
        bdrv_opts_set(child, "discard", "unmap");
    }
}

const char *bdrv_probe_format_name(const uint8_t *buf, size_t len)
{
    const BlockDriver *best = &bdrv_raw;
    int best_score = 0;

    for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
        int score = drivers[i]->probe ? drivers[i]->probe(buf, len) : 0;

        if (score > best_score) {
            best_score = score;
            best = drivers[i];
        }
    }
    return best->format_name;
}

/* The best probe score over the image's first bytes (raw scores 1). */
static const BlockDriver *probe_format(BlockDriverState *file, Error **errp)
{
    uint8_t buf[2048] = { 0 };
    const BlockDriver *best = NULL;
    int best_score = 0, ret;
    int64_t len = bdrv_getlength(file);

    ret = bdrv_pread(file, 0, buf, MIN((int64_t)sizeof(buf), MAX(len, 0)));
    if (ret < 0) {
        error_setg(errp, "Could not read image for determining its format: %s", g_strerror(-ret));
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
        const BlockDriver *drv = drivers[i];
        int score = drv->probe ? drv->probe(buf, sizeof(buf)) : 0;

        if (score > best_score) {
            best_score = score;
            best = drv;
        }
    }
    if (!best) {
        error_setg(errp, "Could not determine image format");
    }
    return best;
}

static void bdrv_close(BlockDriverState *bs)
{
    if (bs->drv && bs->drv->close) {
        bs->drv->close(bs);
    }
    if (bs->backing) {
        bdrv_unref(bs->backing);
    }
    if (bs->file) {
        bdrv_unref(bs->file);
    }
    if (nodes) {
        g_ptr_array_remove(nodes, bs);
    }
    g_free(bs->opaque);
    g_free(bs->filename);
    g_free(bs->backing_file);
    g_free(bs->backing_format);
    g_free(bs);
}

void bdrv_ref(BlockDriverState *bs)
{
    bs->refcnt++;
}

void bdrv_unref(BlockDriverState *bs)
{
    if (bs && --bs->refcnt == 0) {
        bdrv_close(bs);
    }
}

static BlockDriverState *bdrv_open_inner(GHashTable *opts, bool force_ro, bool drive_msgs,
                                         Error **errp);

/*
 * Open the child called role ("file" or "backing"): a node name, an inline
 * dictionary, or nothing (NULL without error).
 */
static BlockDriverState *open_child(BlockDriverState *bs, GHashTable *opts, const char *role,
                                    bool force_ro, bool drive_msgs, bool *given, Error **errp)
{
    g_autofree char *ref = bdrv_opts_take(opts, role);
    g_autoptr(GHashTable) child = opts_extract_child(opts, role);
    BlockDriverState *c;

    *given = ref || child;
    if (ref && child) {
        error_setg(errp, "Cannot reference an existing block device with additional options "
                         "or a new filename");
        return NULL;
    }
    if (ref) {
        if (!*ref) {
            return NULL; /* null: explicitly none */
        }
        c = bdrv_find_node(ref);
        if (!c) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'", ref, ref);
            return NULL;
        }
        bdrv_ref(c);
        return c;
    }
    if (!child) {
        return NULL;
    }
    opts_inherit(child, bs, force_ro);
    return bdrv_open_inner(child, false, drive_msgs, errp);
}

BlockDriverState *bdrv_open_child(BlockDriverState *bs, GHashTable *opts, const char *role,
                                  Error **errp)
{
    Error *local = NULL;
    bool given;
    BlockDriverState *c = open_child(bs, opts, role, false, false, &given, &local);

    if (!c && !local) {
        error_setg(&local, "A block device must be specified for \"%s\"", role);
    }
    error_propagate(errp, local);
    return c;
}

/* "dir/of/image" + "name": a relative backing file name is relative to the image. */
static char *backing_path(const char *image, const char *backing)
{
    g_autofree char *dir = NULL;

    if (g_path_is_absolute(backing) || !strchr(image, '/')) {
        return g_strdup(backing);
    }
    dir = g_path_get_dirname(image);
    return g_build_filename(dir, backing, NULL);
}

static bool open_backing(BlockDriverState *bs, GHashTable *opts, bool drive_msgs, Error **errp)
{
    Error *local = NULL;
    bool given;
    g_autoptr(GHashTable) bo = NULL;
    g_autofree char *path = NULL;

    bs->backing = open_child(bs, opts, "backing", true, drive_msgs, &given, &local);
    if (local) {
        error_propagate(errp, local);
        error_prepend(errp, "Could not open backing file: ");
        return false;
    }
    if (given || !bs->backing_file) {
        return true;
    }
    path = backing_path(bs->file->filename, bs->backing_file);
    bo = bdrv_opts_new();
    if (bs->backing_format) {
        bdrv_opts_set(bo, "driver", bs->backing_format);
    }
    bdrv_opts_set(bo, "file.driver", "file");
    bdrv_opts_set(bo, "file.filename", path);
    opts_inherit(bo, bs, true);
    bs->backing = bdrv_open_inner(bo, true, drive_msgs, &local);
    if (!bs->backing) {
        error_propagate(errp, local);
        error_prepend(errp, "Could not open backing file: ");
        return false;
    }
    return true;
}

static bool check_leftover(const BlockDriverState *bs, GHashTable *opts, bool drive_msgs,
                           Error **errp)
{
    GHashTableIter it;
    gpointer k, v;

    g_hash_table_iter_init(&it, opts);
    if (!g_hash_table_iter_next(&it, &k, &v)) {
        return true;
    }
    if (drive_msgs) {
        error_setg(errp,
                   bs->drv->is_format ? "Block format '%s' does not support the option '%s'"
                                      : "Block protocol '%s' doesn't support the option '%s'",
                   bs->drv->format_name, (char *)k);
    } else {
        error_setg(errp, "Parameter '%s' is unexpected", (char *)k);
    }
    return false;
}

static bool parse_generic(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    g_autofree char *discard = bdrv_opts_take(opts, "discard");
    g_autofree char *dz = bdrv_opts_take(opts, "detect-zeroes");
    bool dummy;

    if (!opts_take_bool(opts, "read-only", &bs->read_only, errp) ||
        !opts_take_bool(opts, "cache.direct", &bs->cache_direct, errp) ||
        !opts_take_bool(opts, "cache.no-flush", &bs->cache_no_flush, errp) ||
        !opts_take_bool(opts, "auto-read-only", &dummy, errp) ||
        !opts_take_bool(opts, "force-share", &dummy, errp)) {
        return false;
    }
    if (discard && (!strcmp(discard, "unmap") || !strcmp(discard, "on"))) {
        bs->discard = BDRV_DISCARD_UNMAP;
    } else if (discard && strcmp(discard, "ignore") && strcmp(discard, "off")) {
        error_setg(errp, "Parameter 'discard' does not accept value '%s'", discard);
        return false;
    }
    if (dz && strcmp(dz, "off") && strcmp(dz, "on") && strcmp(dz, "unmap")) {
        error_setg(errp, "Parameter 'detect-zeroes' does not accept value '%s'", dz);
        return false;
    }
    bs->detect_zeroes = dz && strcmp(dz, "off");
    return true;
}

static BlockDriverState *bdrv_open_inner(GHashTable *in, bool force_ro, bool drive_msgs,
                                         Error **errp)
{
    g_autoptr(GHashTable) opts = opts_copy(in);
    g_autofree char *driver = bdrv_opts_take(opts, "driver");
    g_autofree char *name = bdrv_opts_take(opts, "node-name");
    const BlockDriver *drv = NULL;
    BlockDriverState *bs;
    bool given;

    if (driver) {
        drv = bdrv_find_format(driver);
        if (!drv) {
            error_setg(errp,
                       drive_msgs ? "Unknown driver '%s'"
                                  : "Parameter 'driver' does not accept value '%s'",
                       driver);
            return NULL;
        }
    }
    if (name && !node_name_valid(name)) {
        error_setg(errp, "Invalid node-name: '%s'", name);
        return NULL;
    }
    if (name && strlen(name) >= sizeof(bs->node_name)) {
        error_setg(errp, "Node name too long");
        return NULL;
    }
    if (name && bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return NULL;
    }
    bs = g_new0(BlockDriverState, 1);
    bs->refcnt = 1;
    if (name) {
        g_strlcpy(bs->node_name, name, sizeof(bs->node_name));
    } else {
        g_snprintf(bs->node_name, sizeof(bs->node_name), "#block%03u", next_auto_name++);
        bs->auto_node_name = true;
    }
    if (!parse_generic(bs, opts, errp)) {
        goto fail;
    }
    if (force_ro) {
        bs->read_only = true;
    }
    if (!drv || drv->is_format) {
        Error *local = NULL;

        bs->file = open_child(bs, opts, "file", false, drive_msgs, &given, &local);
        if (!bs->file) {
            if (!local) {
                error_setg(&local, "A block device must be specified for \"file\"");
            }
            error_propagate(errp, local);
            goto fail;
        }
        bs->filename = g_strdup(bs->file->filename);
        if (!drv) {
            drv = probe_format(bs->file, errp);
            if (!drv) {
                goto fail;
            }
            bs->probed = true;
            if (!strcmp(drv->format_name, "raw") && !bs->read_only) {
                /* QEMU's own three lines, without the program name. */
                fprintf(stderr,
                        "WARNING: Image format was not specified for '%s' and probing "
                        "guessed raw.\n"
                        "         Automatically detecting the format is dangerous for raw "
                        "images, write operations on block 0 will be restricted.\n"
                        "         Specify the 'raw' format explicitly to remove the "
                        "restrictions.\n",
                        bs->filename);
            }
        }
    }
    bs->drv = drv;
    bs->opaque = g_malloc0(MAX(drv->instance_size, 1));
    if (!drv->open(bs, opts, errp)) {
        bs->drv = NULL; /* nothing of the driver's to close */
        goto fail;
    }
    /* Listed once its file is open, before its backing chain, as QEMU lists nodes. */
    if (!nodes) {
        nodes = g_ptr_array_new();
    }
    g_ptr_array_add(nodes, bs);
    if (drv->is_format && !open_backing(bs, opts, drive_msgs, errp)) {
        goto fail_drv;
    }
    if (!check_leftover(bs, opts, drive_msgs, errp)) {
        goto fail_drv;
    }
    return bs;

fail_drv:
    drv->close(bs);
    bs->drv = NULL;
fail:
    bdrv_close(bs);
    return NULL;
}

BlockDriverState *bdrv_open_opts(GHashTable *opts, Error **errp)
{
    g_autoptr(GHashTable) o = opts_copy(opts);
    bool drive_msgs = g_hash_table_remove(o, BDRV_OPT_DRIVE_MESSAGES);

    return bdrv_open_inner(o, false, drive_msgs, errp);
}

int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    return len ? bs->drv->pread(bs, offset, buf, len) : 0;
}

int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    if (bs->read_only) {
        return -EPERM;
    }
    return len ? bs->drv->pwrite(bs, offset, buf, len) : 0;
}

int bdrv_flush(BlockDriverState *bs)
{
    int ret = 0;

    if (bs->drv->flush) {
        ret = bs->drv->flush(bs);
    }
    if (ret == 0 && bs->file) {
        ret = bdrv_flush(bs->file);
    }
    return ret;
}

int bdrv_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    if (bs->read_only) {
        return -EPERM;
    }
    if (bs->discard != BDRV_DISCARD_UNMAP || !bs->drv->discard || !len) {
        return 0; /* discard is a hint: ignoring it is allowed */
    }
    return bs->drv->discard(bs, offset, len);
}

int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    uint64_t chunk = MIN(len, 1024 * 1024);
    g_autofree uint8_t *zeros = NULL;

    if (bs->read_only) {
        return -EPERM;
    }
    if (bs->drv->pwrite_zeroes) {
        return bs->drv->pwrite_zeroes(bs, offset, len);
    }
    zeros = g_malloc0(MAX(chunk, 1));
    while (len) {
        uint64_t n = MIN(len, chunk);
        int ret = bs->drv->pwrite(bs, offset, zeros, n);

        if (ret < 0) {
            return ret;
        }
        offset += n;
        len -= n;
    }
    return 0;
}

bool bdrv_invalidate_cache(BlockDriverState *bs, Error **errp)
{
    if ((bs->file && !bdrv_invalidate_cache(bs->file, errp)) ||
        (bs->backing && !bdrv_invalidate_cache(bs->backing, errp))) {
        return false;
    }
    return !bs->drv->invalidate_cache || bs->drv->invalidate_cache(bs, errp);
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    return bs->drv->getlength(bs);
}

bool bdrv_check_resize(BlockDriverState *bs, const char *device, Error **errp)
{
    g_autofree BlockDriverState **all = bdrv_list_nodes();

    for (unsigned i = 0; all[i]; i++) {
        if (all[i]->backing == bs) {
            error_setg(errp, "Device '%s' is in use", device ? device : "(null)");
            return false;
        }
    }
    for (unsigned i = 0; all[i]; i++) {
        const BlockDriverState *p = all[i];

        if (p->file == bs && p->drv->is_format &&
            !(p->drv->shares_file_resize && p->drv->shares_file_resize(p))) {
            error_setg(errp,
                       "Permission conflict on node '%s': permissions 'resize' are both required "
                       "by an unnamed block device (uses node '%s' as 'root' child) and unshared "
                       "by node '%s' (uses node '%s' as 'file' child).",
                       bs->node_name, bs->node_name, p->node_name, bs->node_name);
            return false;
        }
    }
    return true;
}

int bdrv_truncate(BlockDriverState *bs, int64_t size, Error **errp)
{
    int64_t old = bdrv_getlength(bs);

    if (size < 0) {
        error_setg(errp, "Image size cannot be negative");
        return -EINVAL;
    }
    if (size > BDRV_MAX_LENGTH) {
        error_setg(errp, "offset(%" PRId64 ") exceeds maximum(%" PRId64 ")", size,
                   (int64_t)BDRV_MAX_LENGTH);
        return -EINVAL;
    }
    if (old < 0) {
        error_setg(errp, "Failed to get old image size: %s", g_strerror((int)-old));
        return (int)old;
    }
    if (bs->read_only) {
        error_setg(errp, "Image is read-only");
        return -EACCES;
    }
    if (!bs->drv->truncate) {
        error_setg(errp, "Image format driver does not support resize");
        return -ENOTSUP;
    }
    return bs->drv->truncate(bs, (uint64_t)size, errp);
}

int64_t bdrv_allocated_size(BlockDriverState *bs)
{
    if (bs->drv->allocated_size) {
        return bs->drv->allocated_size(bs);
    }
    return bs->file ? bdrv_allocated_size(bs->file) : -1;
}

int bdrv_is_allocated(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    return bs->drv->is_allocated && len ? bs->drv->is_allocated(bs, offset, len) : 1;
}

const char *bdrv_get_format_name(const BlockDriverState *bs)
{
    return bs->drv->format_name;
}

const char *bdrv_get_filename(const BlockDriverState *bs)
{
    return bs->filename;
}

int bdrv_get_fd(BlockDriverState *bs, uint64_t *offset, bool *direct)
{
    *offset = 0;
    *direct = false;
    return bs->drv->get_fd ? bs->drv->get_fd(bs, offset, direct) : -1;
}

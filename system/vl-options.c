/*
 * Command-line options for management tools, parsed outside vl.c: -audiodev,
 * -add-fd and -machine memory-backend=, with QEMU 7.2's messages.
 */
#include "system/vl-options.h"
#include "sysemu/numa.h"
#include "exec/guest-memory.h"
#include "qemu/fdset.h"
#include "qom/user-creatable.h"

#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

/* ---- -audiodev ------------------------------------------------------------ */

/* QEMU 7.2's AudiodevDriver values; only 'none' exists without sound hardware. */
static const char *const audio_drivers[] = { "none", "alsa", "coreaudio", "dbus",  "dsound", "jack",
                                             "oss",  "pa",   "sdl",       "spice", "wav",    NULL };

static GHashTable *audiodev_ids;

static bool audiodev_check(const char *driver, const char *id, const char *bad_key, Error **errp)
{
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return false;
    }
    if (!g_strv_contains(audio_drivers, driver)) {
        error_setg(errp, "Parameter 'driver' does not accept value '%s'", driver);
        return false;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (bad_key) {
        error_setg(errp, "%s", bad_key);
        return false;
    }
    if (strcmp(driver, "none")) {
        error_setg(errp,
                   "audio driver '%s' is not available: this machine has no sound "
                   "hardware (use driver none)",
                   driver);
        return false;
    }
    if (!audiodev_ids) {
        audiodev_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    if (g_hash_table_contains(audiodev_ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for audiodev", id);
        return false;
    }
    g_hash_table_add(audiodev_ids, g_strdup(id));
    return true;
}

/* The 'none' driver's own keys: the timer and the per-direction settings. */
static bool audiodev_key_known(const char *key)
{
    return !strcmp(key, "driver") || !strcmp(key, "id") || !strcmp(key, "timer-period") ||
           g_str_has_prefix(key, "in.") || g_str_has_prefix(key, "out.");
}

bool audiodev_option_parse(const char *arg, Error **errp)
{
    g_autofree char *bad = NULL;

    if (arg[0] == '{') {
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) gerr = NULL;
        JsonNode *root;
        JsonObject *obj;
        g_autoptr(GList) members = NULL;
        JsonNode *d, *i;

        if (!json_parser_load_from_data(parser, arg, -1, &gerr)) {
            error_setg(errp, "%s", gerr->message);
            return false;
        }
        root = json_parser_get_root(parser);
        if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
            error_setg(errp, "Invalid parameter type, expected: object");
            return false;
        }
        obj = json_node_get_object(root);
        d = json_object_get_member(obj, "driver");
        i = json_object_get_member(obj, "id");
        for (GList *l = members = json_object_get_members(obj); l && !bad; l = l->next) {
            if (strcmp(l->data, "driver") && strcmp(l->data, "id") &&
                strcmp(l->data, "timer-period") && strcmp(l->data, "in") &&
                strcmp(l->data, "out")) {
                bad = g_strdup_printf("Parameter '%s' is unexpected", (char *)l->data);
            }
        }
        if ((d && json_node_get_value_type(d) != G_TYPE_STRING) ||
            (i && json_node_get_value_type(i) != G_TYPE_STRING)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: string",
                       d && json_node_get_value_type(d) != G_TYPE_STRING ? "driver" : "id");
            return false;
        }
        return audiodev_check(d ? json_node_get_string(d) : NULL,
                              i ? json_node_get_string(i) : NULL, bad, errp);
    } else {
        g_autofree char *perr = NULL;
        QemuOpts *opts = qemu_opts_parse(arg, "driver", &perr);
        bool ok;

        if (!opts) {
            error_setg(errp, "%s", perr);
            return false;
        }
        for (guint k = 0; k < opts->list->len && !bad; k++) {
            QemuOpt *o = g_ptr_array_index(opts->list, k);

            if (!audiodev_key_known(o->name)) {
                bad = g_strdup_printf("Invalid parameter '%s'", o->name);
            }
        }
        ok = audiodev_check(qemu_opt_get(opts, "driver"), qemu_opt_get(opts, "id"), bad, errp);
        qemu_opts_free(opts);
        return ok;
    }
}

/* ---- -add-fd -------------------------------------------------------------- */

static bool opt_int(QemuOpts *opts, const char *name, int64_t *out)
{
    const char *v = qemu_opt_get(opts, name);
    uint64_t n;

    *out = -1;
    if (!v) {
        return true;
    }
    if (!qemu_strtou64(v, &n) || n > INT32_MAX) {
        return false;
    }
    *out = (int64_t)n;
    return true;
}

bool add_fd_option_parse(const char *arg, Error **errp)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, NULL, &perr);
    int64_t fd, set;
    int flags, dup_fd;

    if (!opts) {
        error_setg(errp, "%s", perr);
        return false;
    }
    if (!opt_int(opts, "fd", &fd)) {
        error_setg(errp, "Parameter 'fd' expects a number");
        goto fail;
    }
    if (!opt_int(opts, "set", &set)) {
        error_setg(errp, "Parameter 'set' expects a number");
        goto fail;
    }
    qemu_opt_get(opts, "opaque");
    if (qemu_opts_first_unused(opts)) {
        error_setg(errp, "Invalid parameter '%s'", qemu_opts_first_unused(opts));
        goto fail;
    }
    if (fd < 0) {
        error_setg(errp, "fd option is required and must be non-negative");
        goto fail;
    }
    if (fd <= STDERR_FILENO) {
        error_setg(errp, "fd cannot be a standard I/O stream");
        goto fail;
    }
    /* An inherited fd has close-on-exec clear; one QEMU opened itself has it set. */
    flags = fcntl(fd, F_GETFD);
    if (flags == -1 || (flags & FD_CLOEXEC)) {
        error_setg(errp, "fd is not valid or already in use");
        goto fail;
    }
    if (set < 0) {
        error_setg(errp, "set option is required and must be non-negative");
        goto fail;
    }
    dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dup_fd < 0) {
        error_setg(errp, "Error duplicating fd: %s", g_strerror(errno));
        goto fail;
    }
    close(fd);
    fdset_add_fd(dup_fd, set, qemu_opt_get(opts, "opaque"));
    qemu_opts_free(opts);
    return true;
fail:
    qemu_opts_free(opts);
    return false;
}

/* ---- -machine memory-backend= -------------------------------------------- */

char *machine_take_memory_backend(QemuOpts *machine)
{
    char *id = NULL;

    for (guint i = 0; machine && i < machine->list->len;) {
        QemuOpt *o = g_ptr_array_index(machine->list, i);

        if (!strcmp(o->name, "memory-backend")) {
            g_free(id);
            id = g_strdup(o->value); /* the last one wins */
            g_ptr_array_remove_index(machine->list, i);
        } else {
            i++;
        }
    }
    return id;
}

bool machine_memory_backend_apply(const char *id, bool mem_given, MachineOptions *mo, Error **errp)
{
    HostMemoryBackend *b = host_memory_backend_find(id);

    if (!b) {
        error_setg(errp, "Memory backend '%s' not found", id);
        return false;
    }
    if (mem_given && mo->ram_size != b->size) {
        error_setg(errp, "Machine memory size does not match the size of the memory backend");
        return false;
    }
    if (!mem_given || mo->maxmem < b->size) {
        mo->maxmem = b->size;
    }
    mo->ram_size = b->size;
    b->used = true;
    numa_set_ram_backend(b, id);
    return true;
}

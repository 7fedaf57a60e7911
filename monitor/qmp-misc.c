/*
 * QMP commands libvirt's capability probing and start-up send that report
 * what this emulator has (CPU models, command-line options, memory, TPM,
 * displays), with QEMU 7.2's reply shapes.  Migration capabilities are
 * migration/migration.c's.
 */
#include "qapi/qapi-commands.h"
#include "hw/boards.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "qemu/fdset.h"
#include "qom/user-creatable.h"
#include "hw/mem/pc-dimm.h"
#include "sysemu/numa.h"
#include "target/ppc/cpu-models.h"

/* ---- CPU models (qapi/machine-target.json) ------------------------------- */

static JsonObject *cpu_definition(const char *name, const char *typename)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_object_set_string_member(o, "typename", typename);
    json_object_set_boolean_member(o, "static", false);
    json_object_set_boolean_member(o, "deprecated", false);
    return o;
}

static void add_cpu_alias(const PowerPCCPUModel *m, void *opaque)
{
    g_autofree char *type = g_strdup_printf("%s-powerpc64-cpu", ppc_cpu_model_name(m));

    json_array_add_object_element(opaque, cpu_definition(ppc_cpu_model_alias(m), type));
}

/* QEMU 7.2 lists the versioned models with an empty typename. */
static void add_cpu_model(const PowerPCCPUModel *m, void *opaque)
{
    json_array_add_object_element(opaque, cpu_definition(ppc_cpu_model_name(m), ""));
}

JsonNode *qmp_query_cpu_definitions(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    /* Aliases first, then the models, as QEMU orders them. */
    ppc_cpu_model_foreach(add_cpu_alias, arr);
    ppc_cpu_model_foreach(add_cpu_model, arr);
    return qmp_node_array(arr);
}

/* ---- TPM, displays -------------------------------------------------------- */

JsonNode *qmp_query_tpm_models(JsonObject *args, QmpError *err)
{
    return qmp_node_array(json_array_new());
}

JsonNode *qmp_query_tpm_types(JsonObject *args, QmpError *err)
{
    return qmp_node_array(json_array_new());
}

JsonNode *qmp_screendump(JsonObject *args, QmpError *err)
{
    qmp_error_setg(err, "There is no console to take a screendump from");
    return NULL;
}

/* ---- Memory and the machine (qapi/machine.json) -------------------------- */

JsonNode *qmp_query_memory_size_summary(JsonObject *args, QmpError *err)
{
    JsonObject *o = json_object_new();

    json_object_set_int_member(o, "base-memory", current_machine ? current_machine->ram_size : 0);
    /* the pc-dimm modules (QEMU gives the member even when it is 0) */
    json_object_set_int_member(o, "plugged-memory", (int64_t)pc_dimm_plugged_size());
    return qmp_node_object(o);
}

static void memdev_add(JsonArray *arr, const char *id, const HostMemoryBackend *m, uint64_t size)
{
    JsonObject *o = json_object_new();

    /* QEMU prints the members in this order. */
    json_object_set_boolean_member(o, "share", m ? m->share : false);
    json_object_set_boolean_member(o, "reserve", m ? m->reserve : true);
    json_object_set_boolean_member(o, "prealloc", m ? m->prealloc : false);
    json_object_set_array_member(o, "host-nodes", json_array_new());
    json_object_set_int_member(o, "size", m ? m->size : size);
    json_object_set_boolean_member(o, "merge", m ? m->merge : true);
    json_object_set_boolean_member(o, "dump", m ? m->dump : true);
    json_object_set_string_member(o, "policy", m && m->policy ? m->policy : "default");
    json_object_set_string_member(o, "id", id);
    json_array_add_object_element(arr, o);
}

static void memdev_one(const char *id, const char *type, void *opaque)
{
    if (!type) {
        memdev_add(opaque, id, NULL, current_machine->ram_size);
    } else if (g_str_has_prefix(type, "memory-backend-")) {
        memdev_add(opaque, id, user_creatable_memdev(id), 0);
    }
}

/*
 * Every memory backend: the -object / object-add ones, and the machine's
 * own RAM backend (named by the machine type) when neither -machine
 * memory-backend= nor -numa memdev= gave the RAM, in QEMU's /objects order.
 */
JsonNode *qmp_query_memdev(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();
    const MachineTypeInfo *t = current_machine ? machine_type_info(current_machine->type) : NULL;
    const char *ram_id = NULL;

    if (t && current_machine->ram_size && !current_machine_ram_from_backends()) {
        ram_id = t->default_ram_id;
    }
    user_creatable_foreach_qom(ram_id, true, memdev_one, arr);
    return qmp_node_array(arr);
}

/* pseries wakes up from suspend through the guest, so QEMU says true. */
JsonNode *qmp_query_current_machine(JsonObject *args, QmpError *err)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "wakeup-suspend-support", true);
    return qmp_node_object(o);
}

/* ---- Character devices (qapi/char.json) ----------------------------------- */

static void add_backend(const char *name, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_array_add_object_element(opaque, o);
}

static void add_chardev(Chardev *chr, void *opaque)
{
    JsonObject *o = json_object_new();
    g_autofree char *filename = qemu_chr_filename(chr);

    /* QEMU prints the members in this order. */
    json_object_set_boolean_member(o, "frontend-open", qemu_chr_frontend_open(chr));
    json_object_set_string_member(o, "filename", filename);
    json_object_set_string_member(o, "label", qemu_chr_id(chr));
    json_array_add_object_element(opaque, o);
}

JsonNode *qmp_query_chardev(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    qemu_chr_foreach_listed(add_chardev, arr);
    return qmp_node_array(arr);
}

JsonNode *qmp_query_chardev_backends(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    qemu_chr_foreach_backend(add_backend, arr);
    return qmp_node_array(arr);
}

/* ---- Yank (qapi/yank.json) -------------------------------------------------- */

/*
 * Each socket chardev is a yank instance in QEMU (yanking closes its
 * connection).  Nothing here blocks on a socket, so yanking has nothing to
 * abort: the instances are checked and nothing else happens.
 */
static void add_yank_chardev(Chardev *chr, const char *backend, void *opaque)
{
    JsonObject *o;

    if (strcmp(backend, "socket")) {
        return;
    }
    o = json_object_new();
    json_object_set_string_member(o, "type", "chardev");
    json_object_set_string_member(o, "id", qemu_chr_id(chr));
    json_array_add_object_element(opaque, o);
}

JsonNode *qmp_query_yank(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    qemu_chr_foreach(add_yank_chardev, arr);
    return qmp_node_array(arr);
}

static bool yank_instance_known(JsonArray *known, JsonObject *inst)
{
    const char *type = json_object_get_string_member(inst, "type");

    for (guint i = 0; i < json_array_get_length(known); i++) {
        JsonObject *k = json_array_get_object_element(known, i);

        if (!strcmp(type, "chardev") && !strcmp(json_object_get_string_member(k, "id"),
                                                json_object_get_string_member(inst, "id"))) {
            return true;
        }
    }
    return false;
}

JsonNode *qmp_yank(JsonObject *args, QmpError *err)
{
    JsonArray *insts = json_object_get_array_member(args, "instances");
    g_autoptr(JsonArray) known = json_array_new();

    qemu_chr_foreach(add_yank_chardev, known);
    for (guint i = 0; i < json_array_get_length(insts); i++) {
        if (!yank_instance_known(known, json_array_get_object_element(insts, i))) {
            qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Instance not found");
            return NULL;
        }
    }
    return qmp_return_empty();
}

/* ---- File descriptors: getfd/closefd and fd sets (qapi/misc.json) -------- */

/* Descriptors named with getfd (QEMU keeps them per monitor; here one list). */
static GHashTable *named_fds;

static void close_named_fd(gpointer p)
{
    close(GPOINTER_TO_INT(p));
}

JsonNode *qmp_getfd(JsonObject *args, QmpError *err)
{
    const char *name = qmp_arg_str(args, "fdname", "");
    int fd = monitor_get_msgfd();

    if (fd < 0) {
        qmp_error_setg(err, "No file descriptor supplied via SCM_RIGHTS");
        return NULL;
    }
    if (g_ascii_isdigit(name[0])) {
        close(fd);
        qmp_error_setg(err, "Parameter 'fdname' expects a name not starting with a digit");
        return NULL;
    }
    if (!named_fds) {
        named_fds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, close_named_fd);
    }
    g_hash_table_insert(named_fds, g_strdup(name), GINT_TO_POINTER(fd));
    return qmp_return_empty();
}

int monitor_take_named_fd(const char *name)
{
    gpointer key, fd;

    if (!named_fds || !g_hash_table_steal_extended(named_fds, name, &key, &fd)) {
        return -1;
    }
    g_free(key);
    return GPOINTER_TO_INT(fd);
}

JsonNode *qmp_closefd(JsonObject *args, QmpError *err)
{
    const char *name = qmp_arg_str(args, "fdname", "");

    if (!named_fds || !g_hash_table_remove(named_fds, name)) {
        qmp_error_setg(err, "File descriptor named '%s' not found", name);
        return NULL;
    }
    return qmp_return_empty();
}

JsonNode *qmp_add_fd(JsonObject *args, QmpError *err)
{
    int64_t set = qmp_arg_int(args, "fdset-id", -1);
    JsonObject *o;
    int fd;

    fd = monitor_get_msgfd();
    if (fd < 0) {
        qmp_error_setg(err, "No file descriptor supplied via SCM_RIGHTS");
        return NULL;
    }
    if (json_object_has_member(args, "fdset-id") && set < 0) {
        close(fd);
        qmp_error_setg(err, "Parameter 'fdset-id' expects a non-negative value");
        return NULL;
    }
    o = json_object_new();
    json_object_set_int_member(o, "fd", fd);
    json_object_set_int_member(o, "fdset-id",
                               fdset_add_fd(fd, set, qmp_arg_str(args, "opaque", NULL)));
    return qmp_node_object(o);
}

JsonNode *qmp_remove_fd(JsonObject *args, QmpError *err)
{
    int64_t set = qmp_arg_int(args, "fdset-id", 0);
    bool has_fd = json_object_has_member(args, "fd");
    int64_t fd = qmp_arg_int(args, "fd", -1);

    if (!fdset_remove_fd(set, has_fd ? MAX(fd, INT32_MIN) : -1) || (has_fd && fd < 0)) {
        if (has_fd) {
            qmp_error_setg(err,
                           "File descriptor named 'fdset-id:%" PRId64 ", fd:%" PRId64 "' not found",
                           set, fd);
        } else {
            qmp_error_setg(err, "File descriptor named 'fdset-id:%" PRId64 "' not found", set);
        }
        return NULL;
    }
    return qmp_return_empty();
}

static void fdsets_add_set(int64_t set, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_array_member(o, "fds", json_array_new());
    json_object_set_int_member(o, "fdset-id", set);
    json_array_add_object_element(opaque, o);
}

static void fdsets_add_fd(int64_t set, int fd, const char *fdopaque, void *opaque)
{
    JsonArray *sets = opaque;
    JsonObject *last = json_array_get_object_element(sets, json_array_get_length(sets) - 1);
    JsonObject *o = json_object_new();

    json_object_set_int_member(o, "fd", fd);
    if (fdopaque) {
        json_object_set_string_member(o, "opaque", fdopaque);
    }
    json_array_add_object_element(json_object_get_array_member(last, "fds"), o);
}

JsonNode *qmp_query_fdsets(JsonObject *args, QmpError *err)
{
    JsonArray *sets = json_array_new();

    fdset_foreach(fdsets_add_set, fdsets_add_fd, sets);
    return qmp_node_array(sets);
}

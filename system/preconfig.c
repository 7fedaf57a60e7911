/*
 * --preconfig (QEMU 7.2): the monitors are up before the machine is built.
 * Only the commands the schema marks allow-preconfig run; set-numa-node adds
 * to the NUMA configuration; x-exit-preconfig builds the machine.
 */
#include "sysemu/preconfig.h"
#include "qapi/qapi-commands.h"
#include "qemu/main-loop.h"
#include "qom/user-creatable.h"
#include "sysemu/runstate.h"

static bool waiting;      /* in the preconfig state */
static bool built = true; /* the machine exists (always, without --preconfig) */
static void (*build_fn)(void);
static GPtrArray *numa_args;  /* of char *: the -numa list, set-numa-node appends */
static GPtrArray *numa_owned; /* the strings set-numa-node made */

bool phase_machine_ready(void)
{
    return built;
}

bool preconfig_run(void (*build)(void), GPtrArray *numas, int *status)
{
    waiting = true;
    built = false;
    build_fn = build;
    numa_args = numas;
    while (!built) {
        if (main_loop_should_exit(status)) {
            return false;
        }
        g_main_context_iteration(NULL, TRUE);
    }
    return true;
}

JsonNode *qmp_x_exit_preconfig(JsonObject *args, QmpError *err)
{
    if (!waiting) {
        qmp_error_setg(err, "The command is permitted only before machine initialization");
        return NULL;
    }
    /* As QEMU, the machine is built before the reply: its errors end the process. */
    waiting = false;
    build_fn();
    built = true;
    return qmp_return_empty();
}

/* One integer member as keyval text ("nodeid=3"), when present. */
static void append_int(GString *s, JsonObject *args, const char *name)
{
    if (json_object_has_member(args, name)) {
        g_string_append_printf(s, ",%s=%" PRId64, name, json_object_get_int_member(args, name));
    }
}

/* The NumaOptions of set-numa-node as the -numa option QEMU would read. */
static char *numa_option_text(JsonObject *args)
{
    const char *type = json_object_get_string_member(args, "type");
    GString *s = g_string_new(type);

    if (!strcmp(type, "node")) {
        append_int(s, args, "nodeid");
        if (json_object_has_member(args, "cpus")) {
            JsonArray *cpus = json_object_get_array_member(args, "cpus");

            for (guint i = 0; i < json_array_get_length(cpus); i++) {
                g_string_append_printf(s, ",cpus=%" PRId64, json_array_get_int_element(cpus, i));
            }
        }
        append_int(s, args, "mem");
        if (json_object_has_member(args, "memdev")) {
            g_string_append_printf(s, ",memdev=%s", json_object_get_string_member(args, "memdev"));
        }
        append_int(s, args, "initiator");
    } else if (!strcmp(type, "dist")) {
        append_int(s, args, "src");
        append_int(s, args, "dst");
        append_int(s, args, "val");
    } else {
        static const char *const cpu_keys[] = { "node-id",    "socket-id", "die-id",
                                                "cluster-id", "core-id",   "thread-id" };

        for (size_t i = 0; i < G_N_ELEMENTS(cpu_keys); i++) {
            append_int(s, args, cpu_keys[i]);
        }
    }
    return g_string_free(s, false);
}

/* QEMU's limit on NUMA nodes. */
#define NUMA_MAX_NODES 128

/* The node ids declared so far (command line and set-numa-node), as QEMU numbers them. */
static GArray *declared_nodes(void)
{
    GArray *ids = g_array_new(false, false, sizeof(int));

    for (guint i = 0; i < numa_args->len; i++) {
        const char *arg = g_ptr_array_index(numa_args, i);
        const char *id = strstr(arg, "nodeid=");
        int n = id ? atoi(id + strlen("nodeid=")) : (int)ids->len;

        if (g_str_has_prefix(arg, "node")) {
            g_array_append_val(ids, n);
        }
    }
    return ids;
}

/* The checks QEMU makes as a node is declared; the rest wait for the build. */
static bool numa_node_check(JsonObject *args, QmpError *err)
{
    g_autoptr(GArray) ids = declared_nodes();
    int64_t id = json_object_has_member(args, "nodeid") ? json_object_get_int_member(args, "nodeid")
                                                        : (int64_t)ids->len;

    if (id >= NUMA_MAX_NODES) {
        qmp_error_setg(err, "Max number of NUMA nodes reached: %" PRId64, id);
        return false;
    }
    for (guint i = 0; i < ids->len; i++) {
        if (g_array_index(ids, int, i) == id) {
            qmp_error_setg(err, "Duplicate NUMA nodeid: %" PRId64, id);
            return false;
        }
    }
    if (json_object_has_member(args, "memdev") &&
        !host_memory_backend_find(json_object_get_string_member(args, "memdev"))) {
        /* QEMU's words for a backend it cannot resolve. */
        qmp_error_setg(err, "memdev=%s is ambiguous",
                       json_object_get_string_member(args, "memdev"));
        return false;
    }
    return true;
}

/*
 * Node ids and backends are checked at once, as QEMU does; the other
 * checks run with the command line's when the machine is built.
 */
JsonNode *qmp_set_numa_node(JsonObject *args, QmpError *err)
{
    const char *type = json_object_get_string_member(args, "type");
    char *text;

    if (built) {
        qmp_error_setg(err, "The command is permitted only before the machine has been created");
        return NULL;
    }
    if (g_str_has_prefix(type, "hmat-")) {
        qmp_error_setg(err, "ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, "
                            "enable it with -machine hmat=on before using any of hmat specific "
                            "options");
        return NULL;
    }
    if (!strcmp(type, "node") && !numa_node_check(args, err)) {
        return NULL;
    }
    text = numa_option_text(args);
    if (!numa_owned) {
        numa_owned = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(numa_owned, text);
    g_ptr_array_add(numa_args, text);
    return qmp_return_empty();
}

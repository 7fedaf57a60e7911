/*
 * --preconfig (QEMU 7.2): the monitors are up before the machine is built.
 * Only the commands the schema marks allow-preconfig run; set-numa-node adds
 * to the NUMA configuration; x-exit-preconfig builds the machine.
 */
#include "sysemu/preconfig.h"
#include "qapi/qapi-commands.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qom/user-creatable.h"
#include "sysemu/runstate.h"
#include "target/ppc/cpu-models.h"
#include "target/ppc/cpu.h"

static bool waiting;      /* in the preconfig state */
static bool built = true; /* the machine exists (always, without --preconfig) */
static void (*build_fn)(void);
static GPtrArray *numa_args;  /* of char *: the -numa list, set-numa-node appends */
static GPtrArray *numa_owned; /* the strings set-numa-node made */
static char *slot_type;       /* "power9_v2.0-spapr-cpu-core"; NULL: no hot-pluggable CPUs */
static unsigned slot_count, slot_threads;
static bool numa_mem_ok; /* the machine type takes -numa node,mem= */

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
    if (json_object_has_member(args, "mem")) {
        /* QEMU refuses or warns during the command, the warning before its reply. */
        if (!numa_mem_ok) {
            qmp_error_setg(err, "Parameter -numa node,mem is not supported by this machine type");
            return false;
        }
        warn_report("Parameter -numa node,mem is deprecated, use -numa node,memdev instead");
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

/* A CPU's node must have been declared before, as QEMU checks at once. */
static bool numa_cpu_check(JsonObject *args, QmpError *err)
{
    g_autoptr(GArray) ids = declared_nodes();
    int64_t id =
        json_object_has_member(args, "node-id") ? json_object_get_int_member(args, "node-id") : -1;

    for (guint i = 0; id >= 0 && i < ids->len; i++) {
        if (g_array_index(ids, int, i) == id) {
            return true;
        }
    }
    if (id < 0) {
        return true; /* left to the build's checks */
    }
    qmp_error_setg(err,
                   "Invalid node-id=%" PRId64 ", NUMA node must be defined with -numa "
                   "node,nodeid=ID before it's used with -numa cpu,node-id=ID",
                   id);
    return false;
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
    if (!strcmp(type, "cpu") && !numa_cpu_check(args, err)) {
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

bool preconfig_numa_arg_checked(const char *arg)
{
    for (guint i = 0; numa_owned && i < numa_owned->len; i++) {
        if (g_ptr_array_index(numa_owned, i) == arg) {
            return true;
        }
    }
    return false;
}

/*
 * The pseries core type QEMU names the slots with: the CPU model's canonical
 * name (-cpu, or the machine type's default) and "-spapr-cpu-core".
 */
void preconfig_set_cpu_slots(const char *cpu, const MachineOptions *mo)
{
    const MachineTypeInfo *info = machine_type_info(mo->type);
    g_autofree char *model = NULL;

    g_clear_pointer(&slot_type, g_free);
    numa_mem_ok = info && info->numa_mem_supported;
    slot_threads = mo->smp_threads ? mo->smp_threads : 1;
    slot_count = mo->max_cpus / slot_threads;
    if (!info || !info->hotpluggable_cpus) {
        return;
    }
    if (cpu) {
        g_autofree char *name = g_strndup(cpu, strcspn(cpu, ","));
        const PowerPCCPUModel *m = ppc_cpu_model_find(name);

        model = g_strdup(m ? ppc_cpu_model_name(m) : name);
    } else if (info->default_cpu_type) {
        const char *t = info->default_cpu_type;
        size_t n = strlen(t);

        if (g_str_has_suffix(t, "-powerpc64-cpu")) {
            n -= strlen("-powerpc64-cpu");
        }
        model = g_strndup(t, n);
    }
    if (model) {
        slot_type = g_strdup_printf("%s-spapr-cpu-core", model);
    }
}

/* One "key=N" element of a -numa text; false when absent. */
static bool numa_text_int(char **parts, const char *key, int64_t *val)
{
    size_t n = strlen(key);

    for (int i = 1; parts[i]; i++) {
        if (!strncmp(parts[i], key, n) && parts[i][n] == '=') {
            *val = g_ascii_strtoll(parts[i] + n + 1, NULL, 10);
            return true;
        }
    }
    return false;
}

/*
 * The node the -numa list names for each core slot so far (-1: none): QEMU
 * records it for "node,cpus=" and "cpu,node-id=,core-id=" as they come;
 * the others get theirs when the machine is built.
 */
static int *explicit_core_nodes(void)
{
    int *node = g_new(int, slot_count);
    int nodes = 0; /* a node without nodeid= gets the count so far, as in QEMU */

    for (unsigned i = 0; i < slot_count; i++) {
        node[i] = -1;
    }
    for (guint a = 0; numa_args && a < numa_args->len; a++) {
        g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(numa_args, a), ",", -1);
        int64_t id, core;

        if (!parts[0]) {
            continue;
        }
        if (!strcmp(parts[0], "node")) {
            id = numa_text_int(parts, "nodeid", &id) ? id : nodes;
            nodes++;
            for (int i = 1; parts[i]; i++) {
                uint64_t first, last;
                char *end;

                if (!g_str_has_prefix(parts[i], "cpus=")) {
                    continue;
                }
                first = g_ascii_strtoull(parts[i] + 5, &end, 10);
                last = *end == '-' ? g_ascii_strtoull(end + 1, NULL, 10) : first;
                for (uint64_t c = first; c <= last && c / slot_threads < slot_count; c++) {
                    node[c / slot_threads] = (int)id;
                }
            }
        } else if (!strcmp(parts[0], "cpu") && numa_text_int(parts, "node-id", &id) &&
                   numa_text_int(parts, "core-id", &core)) {
            for (unsigned i = 0; i < slot_count; i++) {
                if ((int64_t)(i * slot_threads) == core) {
                    node[i] = (int)id;
                }
            }
        }
    }
    return node;
}

JsonNode *preconfig_query_hotpluggable_cpus(QmpError *err)
{
    g_autofree int *node = NULL;
    JsonArray *arr;

    if (!slot_type) {
        qmp_error_setg(err, "The feature 'query-hotpluggable-cpus' is not enabled");
        return NULL;
    }
    node = explicit_core_nodes();
    arr = json_array_new();
    /* The last slot first, as QEMU lists them; no qom-path: nothing is plugged yet. */
    for (unsigned i = slot_count; i-- > 0;) {
        JsonObject *c = json_object_new();
        JsonObject *props = json_object_new();

        json_object_set_int_member(props, "core-id", i * slot_threads);
        if (node[i] >= 0) {
            json_object_set_int_member(props, "node-id", node[i]);
        }
        json_object_set_object_member(c, "props", props);
        json_object_set_int_member(c, "vcpus-count", slot_threads);
        json_object_set_string_member(c, "type", slot_type);
        json_array_add_object_element(arr, c);
    }
    return qmp_node_array(arr);
}

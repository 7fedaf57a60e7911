/*
 * The QMP commands this monitor implements, their argument specs, and the
 * argument checks (with QEMU's error texts).
 */
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "block/qapi.h"
#include "hw/boards.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"

#include <unistd.h>

static char *vm_name;

void qmp_set_vm_name(const char *name)
{
    g_free(vm_name);
    vm_name = g_strdup(name);
}

/* ---- Small builders ------------------------------------------------------ */

static JsonNode *node_from_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

static JsonNode *node_from_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

static JsonNode *empty_return(void)
{
    return node_from_object(json_object_new());
}

JsonNode *qmp_version_info(void)
{
    JsonObject *ver = json_object_new();
    JsonObject *qemu = json_object_new();

    json_object_set_int_member(qemu, "micro", QEMU_VERSION_MICRO);
    json_object_set_int_member(qemu, "minor", QEMU_VERSION_MINOR);
    json_object_set_int_member(qemu, "major", QEMU_VERSION_MAJOR);
    json_object_set_object_member(ver, "qemu", qemu);
    json_object_set_string_member(ver, "package", QEMU_PKGVERSION);
    return node_from_object(ver);
}

/* ---- Commands ------------------------------------------------------------ */

static const QmpArgSpec qmp_capabilities_args[] = {
    { "enable", QMP_ARG_STR_LIST, true },
    { NULL },
};

/* The only capability QMP defines is "oob". */
static JsonNode *qmp_capabilities(JsonObject *args, char **err)
{
    JsonArray *caps;

    if (!json_object_has_member(args, "enable")) {
        return empty_return();
    }
    caps = json_object_get_array_member(args, "enable");
    for (guint i = 0; i < json_array_get_length(caps); i++) {
        const char *cap = json_array_get_string_element(caps, i);

        if (strcmp(cap, "oob")) {
            *err = g_strdup_printf("Parameter 'enable' does not accept value '%s'", cap);
            return NULL;
        }
    }
    return empty_return();
}

static JsonNode *qmp_query_version(JsonObject *args, char **err)
{
    return qmp_version_info();
}

static JsonNode *qmp_query_status(JsonObject *args, char **err)
{
    JsonObject *ret = json_object_new();

    json_object_set_string_member(ret, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(ret, "singlestep", false);
    json_object_set_boolean_member(ret, "running", runstate_is_running());
    return node_from_object(ret);
}

static JsonNode *qmp_query_commands(JsonObject *args, char **err);

static JsonObject *machine_info(const MachineTypeInfo *t)
{
    JsonObject *m = json_object_new();

    json_object_set_boolean_member(m, "hotpluggable-cpus", t->hotpluggable_cpus);
    json_object_set_string_member(m, "name", t->name);
    json_object_set_boolean_member(m, "numa-mem-supported", t->numa_mem_supported);
    if (t->default_cpu_type) {
        json_object_set_string_member(m, "default-cpu-type", t->default_cpu_type);
    }
    if (t->is_default) {
        json_object_set_boolean_member(m, "is-default", true);
    }
    json_object_set_int_member(m, "cpu-max", t->cpu_max);
    json_object_set_boolean_member(m, "deprecated", false);
    json_object_set_string_member(m, "default-ram-id", t->default_ram_id);
    if (t->alias) {
        json_object_set_string_member(m, "alias", t->alias);
    }
    return m;
}

static void add_machine_info(const MachineTypeInfo *t, void *opaque)
{
    json_array_add_object_element(opaque, machine_info(t));
}

static JsonNode *qmp_query_machines(JsonObject *args, char **err)
{
    JsonArray *arr = json_array_new();

    machine_foreach_type(add_machine_info, arr);
    return node_from_array(arr);
}

static JsonNode *qmp_query_name(JsonObject *args, char **err)
{
    JsonObject *ret = json_object_new();

    if (vm_name) {
        json_object_set_string_member(ret, "name", vm_name);
    }
    return node_from_object(ret);
}

static JsonNode *qmp_query_kvm(JsonObject *args, char **err)
{
    JsonObject *ret = json_object_new();

    json_object_set_boolean_member(ret, "enabled", false);
    json_object_set_boolean_member(ret, "present", false);
    return node_from_object(ret);
}

static JsonNode *qmp_query_target(JsonObject *args, char **err)
{
    JsonObject *ret = json_object_new();

    json_object_set_string_member(ret, "arch", "ppc64");
    return node_from_object(ret);
}

static JsonNode *qmp_query_uuid(JsonObject *args, char **err)
{
    JsonObject *ret = json_object_new();

    /* Without -uuid, QEMU reports the nil UUID. */
    json_object_set_string_member(ret, "UUID",
                                  qemu_uuid ? qemu_uuid : "00000000-0000-0000-0000-000000000000");
    return node_from_object(ret);
}

static JsonObject *cpu_info(MachineState *m, unsigned i)
{
    JsonObject *c = json_object_new();
    JsonObject *props = json_object_new();
    MachineCpuInfo info = { 0 };

    m->ops->cpu_info(m, i, &info);
    /* Without vCPU threads (qtest) the main thread stands for them. */
    json_object_set_int_member(c, "thread-id", info.thread_id ? info.thread_id : gettid());
    json_object_set_int_member(props, "core-id", info.core_id);
    json_object_set_int_member(props, "node-id", info.node_id);
    json_object_set_object_member(c, "props", props);
    json_object_set_string_member(c, "qom-path", info.qom_path);
    json_object_set_int_member(c, "cpu-index", info.cpu_index);
    json_object_set_string_member(c, "target", info.target);
    g_free(info.qom_path);
    return c;
}

static JsonNode *qmp_query_cpus_fast(JsonObject *args, char **err)
{
    JsonArray *arr = json_array_new();

    MachineState *m = current_machine;
    unsigned n = m && m->ops->cpu_count ? m->ops->cpu_count(m) : 0;

    for (unsigned i = 0; i < n; i++) {
        json_array_add_object_element(arr, cpu_info(m, i));
    }
    return node_from_array(arr);
}

static JsonNode *qmp_stop(JsonObject *args, char **err)
{
    /* As QEMU: stopping a VM that is not running changes nothing. */
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    return empty_return();
}

static JsonNode *qmp_cont(JsonObject *args, char **err)
{
    RunState st = runstate_get();

    if (st == RUN_STATE_SHUTDOWN || st == RUN_STATE_GUEST_PANICKED ||
        st == RUN_STATE_INTERNAL_ERROR) {
        *err = g_strdup("Resetting the Virtual Machine is required");
        return NULL;
    }
    vm_start();
    return empty_return();
}

static JsonNode *qmp_system_reset(JsonObject *args, char **err)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return empty_return();
}

static JsonNode *qmp_system_powerdown(JsonObject *args, char **err)
{
    qemu_system_powerdown_request();
    return empty_return();
}

static JsonNode *qmp_inject_nmi(JsonObject *args, char **err)
{
    if (!qemu_system_inject_nmi()) {
        *err = g_strdup("this feature or command is not currently supported");
        return NULL;
    }
    return empty_return();
}

static JsonNode *qmp_quit(JsonObject *args, char **err)
{
    return empty_return();
}

static void qmp_quit_after_reply(void)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static const QmpArgSpec human_monitor_command_args[] = {
    { "command-line", QMP_ARG_STR, false },
    { "cpu-index", QMP_ARG_INT, true },
    { NULL },
};

static JsonNode *qmp_human_monitor_command(JsonObject *args, char **err)
{
    *err = g_strdup("The human monitor (HMP) is not available in this "
                    "emulator; use QMP commands");
    return NULL;
}

/* Block commands (block/blockdev.c); blockdev-add takes any BlockdevOptions ("*"). */
static const QmpArgSpec query_named_block_nodes_args[] = {
    { "flat", QMP_ARG_BOOL, true },
    { NULL },
};
static const QmpArgSpec blockdev_add_args[] = {
    { "driver", QMP_ARG_STR, false },
    { "*", QMP_ARG_STR, true },
    { NULL },
};
static const QmpArgSpec blockdev_del_args[] = {
    { "node-name", QMP_ARG_STR, false },
    { NULL },
};

static const QmpCommand qmp_commands[] = {
    { QMP_CAPABILITIES, qmp_capabilities_args, qmp_capabilities },
    { "query-version", NULL, qmp_query_version },
    { "query-status", NULL, qmp_query_status },
    { "query-commands", NULL, qmp_query_commands },
    { "query-machines", NULL, qmp_query_machines },
    { "query-name", NULL, qmp_query_name },
    { "query-kvm", NULL, qmp_query_kvm },
    { "query-target", NULL, qmp_query_target },
    { "query-uuid", NULL, qmp_query_uuid },
    { "query-cpus-fast", NULL, qmp_query_cpus_fast },
    { "stop", NULL, qmp_stop },
    { "cont", NULL, qmp_cont },
    { "system_reset", NULL, qmp_system_reset },
    { "system_powerdown", NULL, qmp_system_powerdown },
    { "inject-nmi", NULL, qmp_inject_nmi },
    { "quit", NULL, qmp_quit, qmp_quit_after_reply },
    { "human-monitor-command", human_monitor_command_args, qmp_human_monitor_command },
    { "query-block", NULL, qmp_query_block },
    { "query-named-block-nodes", query_named_block_nodes_args, qmp_query_named_block_nodes },
    { "blockdev-add", blockdev_add_args, qmp_blockdev_add },
    { "blockdev-del", blockdev_del_args, qmp_blockdev_del },
};

static JsonNode *qmp_query_commands(JsonObject *args, char **err)
{
    JsonArray *arr = json_array_new();

    for (size_t i = 0; i < ARRAY_SIZE(qmp_commands); i++) {
        JsonObject *c = json_object_new();

        json_object_set_string_member(c, "name", qmp_commands[i].name);
        json_array_add_object_element(arr, c);
    }
    return node_from_array(arr);
}

const QmpCommand *qmp_command_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(qmp_commands); i++) {
        if (!strcmp(qmp_commands[i].name, name)) {
            return &qmp_commands[i];
        }
    }
    return NULL;
}

/* ---- Argument checks ----------------------------------------------------- */

static bool node_is_value(JsonNode *node, GType type)
{
    return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

static bool arg_type_ok(JsonNode *node, QmpArgType type)
{
    JsonArray *arr;

    switch (type) {
    case QMP_ARG_STR:
        return node_is_value(node, G_TYPE_STRING);
    case QMP_ARG_INT:
        return node_is_value(node, G_TYPE_INT64);
    case QMP_ARG_BOOL:
        return node_is_value(node, G_TYPE_BOOLEAN);
    case QMP_ARG_STR_LIST:
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            return false;
        }
        arr = json_node_get_array(node);
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            if (!node_is_value(json_array_get_element(arr, i), G_TYPE_STRING)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

static const char *const arg_type_names[] = {
    [QMP_ARG_STR] = "string",
    [QMP_ARG_INT] = "integer",
    [QMP_ARG_BOOL] = "boolean",
    [QMP_ARG_STR_LIST] = "array",
};

static const QmpArgSpec *arg_spec_find(const QmpArgSpec *spec, const char *name)
{
    for (; spec && spec->name; spec++) {
        if (!strcmp(spec->name, name) || !strcmp(spec->name, "*")) {
            return spec;
        }
    }
    return NULL;
}

bool qmp_command_check_args(const QmpCommand *cmd, JsonObject *args, char **err)
{
    g_autoptr(GList) members = NULL;

    /* Declared parameters first (missing, wrong type), then extras. */
    for (const QmpArgSpec *a = cmd->args; a && a->name; a++) {
        JsonNode *val = json_object_get_member(args, a->name);

        if (!val) {
            if (!a->optional) {
                *err = g_strdup_printf("Parameter '%s' is missing", a->name);
                return false;
            }
        } else if (!arg_type_ok(val, a->type)) {
            *err = g_strdup_printf("Invalid parameter type for '%s', expected: %s", a->name,
                                   arg_type_names[a->type]);
            return false;
        }
    }
    members = json_object_get_members(args);
    for (GList *l = members; l; l = l->next) {
        if (!arg_spec_find(cmd->args, l->data)) {
            *err = g_strdup_printf("Parameter '%s' is unexpected", (const char *)l->data);
            return false;
        }
    }
    return true;
}

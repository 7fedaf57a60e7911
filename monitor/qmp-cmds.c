/*
 * The QMP commands of the protocol, run state and machine modules
 * (qapi/control.json, run-state.json, machine.json, misc.json, introspect.json).
 */
#include "qemu/error-report.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "qapi/qapi-commands.h"
#include "hw/boards.h"
#include "block/block-backend.h"
#include "migration/migration.h"
#include "sysemu/preconfig.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"

#include <unistd.h>

static char *vm_name;

void qmp_set_vm_name(const char *name)
{
    g_free(vm_name);
    vm_name = g_strdup(name);
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
    return qmp_node_object(ver);
}

/* ---- Commands ------------------------------------------------------------ */

/* The session (qmp.c) records the capabilities; the schema checked them. */
JsonNode *qmp_qmp_capabilities(JsonObject *args, QmpError *err)
{
    return qmp_return_empty();
}

JsonNode *qmp_query_version(JsonObject *args, QmpError *err)
{
    return qmp_version_info();
}

JsonNode *qmp_query_status(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();

    json_object_set_string_member(ret, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(ret, "singlestep", false);
    json_object_set_boolean_member(ret, "running", runstate_is_running());
    return qmp_node_object(ret);
}

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

JsonNode *qmp_query_machines(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    machine_foreach_type(add_machine_info, arr);
    return qmp_node_array(arr);
}

JsonNode *qmp_query_name(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();

    if (vm_name) {
        json_object_set_string_member(ret, "name", vm_name);
    }
    return qmp_node_object(ret);
}

JsonNode *qmp_query_kvm(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();

    json_object_set_boolean_member(ret, "enabled", false);
    json_object_set_boolean_member(ret, "present", false);
    return qmp_node_object(ret);
}

JsonNode *qmp_query_target(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();

    json_object_set_string_member(ret, "arch", "ppc64");
    return qmp_node_object(ret);
}

JsonNode *qmp_query_uuid(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();

    /* Without -uuid, QEMU reports the nil UUID. */
    json_object_set_string_member(ret, "UUID",
                                  qemu_uuid ? qemu_uuid : "00000000-0000-0000-0000-000000000000");
    return qmp_node_object(ret);
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

JsonNode *qmp_query_cpus_fast(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    MachineState *m = current_machine;
    unsigned n = m && m->ops->cpu_count ? m->ops->cpu_count(m) : 0;

    for (unsigned i = 0; i < n; i++) {
        json_array_add_object_element(arr, cpu_info(m, i));
    }
    return qmp_node_array(arr);
}

static JsonObject *core_slot(MachineState *m, unsigned i)
{
    JsonObject *c = json_object_new();
    JsonObject *props = json_object_new();
    MachineCoreSlot slot = { 0 };

    m->ops->core_slot(m, i, &slot);
    json_object_set_int_member(props, "core-id", slot.core_id);
    json_object_set_int_member(props, "node-id", slot.node_id);
    json_object_set_object_member(c, "props", props);
    json_object_set_int_member(c, "vcpus-count", slot.vcpus_count);
    if (slot.qom_path) {
        json_object_set_string_member(c, "qom-path", slot.qom_path);
    }
    json_object_set_string_member(c, "type", slot.type);
    g_free(slot.type);
    g_free(slot.qom_path);
    return c;
}

/* Machine types without hot-pluggable CPUs refuse the command, as QEMU does. */
JsonNode *qmp_query_hotpluggable_cpus(JsonObject *args, QmpError *err)
{
    MachineState *m = current_machine;
    unsigned n = m && m->ops->core_slots ? m->ops->core_slots(m) : 0;
    JsonArray *arr;

    if (!phase_machine_ready()) {
        return preconfig_query_hotpluggable_cpus(err);
    }
    if (!n) {
        qmp_error_setg(err, "The feature 'query-hotpluggable-cpus' is not enabled");
        return NULL;
    }
    arr = json_array_new();
    for (unsigned i = 0; i < n; i++) {
        json_array_add_object_element(arr, core_slot(m, i));
    }
    return qmp_node_array(arr);
}

JsonNode *qmp_stop(JsonObject *args, QmpError *err)
{
    /* As QEMU: stopping a VM that is not running changes nothing. */
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    return qmp_return_empty();
}

JsonNode *qmp_cont(JsonObject *args, QmpError *err)
{
    RunState st = runstate_get();
    Error *local = NULL;

    if (st == RUN_STATE_SHUTDOWN || st == RUN_STATE_GUEST_PANICKED ||
        st == RUN_STATE_INTERNAL_ERROR) {
        qmp_error_setg(err, "Resetting the Virtual Machine is required");
        return NULL;
    }
    if (st == RUN_STATE_FINISH_MIGRATE) {
        qmp_error_setg(err, "Migration is not finalized yet");
        return NULL;
    }
    if (st == RUN_STATE_INMIGRATE) {
        /* As QEMU 7.2: the machine runs once the incoming stream is loaded. */
        migration_incoming_set_autostart();
        return qmp_return_empty();
    }
    /* As QEMU: a source that migrated its images away takes them back first. */
    if (!blk_activate_all(&local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        error_free(local);
        return NULL;
    }
    vm_start();
    return qmp_return_empty();
}

JsonNode *qmp_system_reset(JsonObject *args, QmpError *err)
{
    /*
     * QEMU's main loop resets, out of the command (its messages carry the
     * program name), but before the reply goes out (RESET precedes it).
     */
    ErrorReportMonitor saved = error_report_set_monitor((ErrorReportMonitor){ 0 });

    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    qemu_system_reset_pending();
    error_report_set_monitor(saved);
    return qmp_return_empty();
}

JsonNode *qmp_system_powerdown(JsonObject *args, QmpError *err)
{
    qemu_system_powerdown_request();
    return qmp_return_empty();
}

/* A system reset interrupt on every CPU, delivered through FWNMI (PAPR). */
JsonNode *qmp_inject_nmi(JsonObject *args, QmpError *err)
{
    if (!qemu_system_inject_nmi()) {
        qmp_error_setg(err, "this feature or command is not currently supported");
        return NULL;
    }
    return qmp_return_empty();
}

/*
 * As QEMU 7.2: the SHUTDOWN event, then the reply, then the process ends
 * (the main loop acts on the request after this command's reply is out).
 */
JsonNode *qmp_quit(JsonObject *args, QmpError *err)
{
    qemu_system_quit_request();
    return qmp_return_empty();
}

/* Exactly the commands of the generated table, in schema order. */
JsonNode *qmp_query_commands(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    for (size_t i = 0; i < qmp_command_count; i++) {
        JsonObject *c = json_object_new();

        json_object_set_string_member(c, "name", qmp_command_table[i].name);
        json_array_add_object_element(arr, c);
    }
    return qmp_node_array(arr);
}

/* Generated from the schema at build time, parsed at the first request. */
JsonNode *qmp_query_qmp_schema(JsonObject *args, QmpError *err)
{
    static JsonNode *schema;

    if (!schema) {
        g_autoptr(JsonParser) parser = json_parser_new_immutable();

        if (!json_parser_load_from_data(parser, qmp_schema_json, -1, NULL)) {
            g_assert_not_reached();
        }
        schema = json_node_copy(json_parser_get_root(parser));
    }
    return json_node_copy(schema);
}

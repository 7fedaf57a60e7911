/*
 * The "none" board: an empty machine with no CPUs, RAM or buses (QEMU's
 * -machine none), for probing the binary through QMP.
 */
#include "hw/boards.h"
#include "qemu/module.h"

static const MachineTypeInfo null_types[] = {
    { .name = "none", .desc = "empty machine", .default_ram_id = "ram", .cpu_max = 1 },
};

static const MachineTypeInfo *null_machine_types(size_t *count)
{
    *count = G_N_ELEMENTS(null_types);
    return null_types;
}

static void null_machine_print_props(const char *type, FILE *out)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

    machine_generic_props_help(lines);
    machine_print_props(type, lines, out);
}

/* Only the generic properties exist; their values change nothing here. */
static void *null_machine_parse_props(const char *type, QemuOpts *opts, char **err)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (strcmp(opt->name, "type") && strcmp(opt->name, "accel") &&
            !machine_generic_prop_known(opt->name)) {
            *err = g_strdup_printf("Property '%s-machine.%s' not found", type, opt->name);
            return NULL;
        }
    }
    return g_new0(char, 1);
}

static MachineState *null_machine_create(const MachineOptions *o)
{
    g_free(o->props);
    return g_new0(MachineState, 1);
}

static const MachineClassOps null_machine_ops = {
    .name = "none",
    .types = null_machine_types,
    .print_props = null_machine_print_props,
    .parse_props = null_machine_parse_props,
    .free_props = g_free,
    .create = null_machine_create,
};

static void null_machine_register(void)
{
    machine_register(&null_machine_ops);
}

module_init(null_machine_register)

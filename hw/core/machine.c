/*
 * The machine registry: boards register their ops, the front ends find a type,
 * list them all and create the one the command line names.
 */
#include "hw/boards.h"
#include "sysemu/runstate.h"

#define MAX_BOARDS 8

MachineState *current_machine;

static const MachineClassOps *boards[MAX_BOARDS];
static size_t n_boards;

void machine_register(const MachineClassOps *ops)
{
    g_assert(n_boards < MAX_BOARDS);
    boards[n_boards++] = ops;
}

const MachineClassOps *machine_find(const char *name, const char **type)
{
    for (size_t b = 0; name && b < n_boards; b++) {
        size_t count;
        const MachineTypeInfo *t = boards[b]->types(&count);

        for (size_t i = 0; i < count; i++) {
            if (!strcmp(t[i].name, name) || (t[i].alias && !strcmp(t[i].alias, name))) {
                *type = t[i].name;
                return boards[b];
            }
        }
    }
    return NULL;
}

void machine_foreach_type(void (*fn)(const MachineTypeInfo *t, void *opaque), void *opaque)
{
    for (size_t b = 0; b < n_boards; b++) {
        size_t count;
        const MachineTypeInfo *t = boards[b]->types(&count);

        for (size_t i = 0; i < count; i++) {
            fn(&t[i], opaque);
        }
    }
}

const MachineTypeInfo *machine_type_info(const char *type)
{
    for (size_t b = 0; type && b < n_boards; b++) {
        size_t count;
        const MachineTypeInfo *t = boards[b]->types(&count);

        for (size_t i = 0; i < count; i++) {
            if (!strcmp(t[i].name, type)) {
                return &t[i];
            }
        }
    }
    return NULL;
}

static void find_default(const MachineTypeInfo *t, void *opaque)
{
    const char **name = opaque;

    if (t->is_default && !*name) {
        *name = t->name;
    }
}

const char *machine_default_type(void)
{
    const char *name = NULL;

    machine_foreach_type(find_default, &name);
    return name ? name : "none";
}

static void add_type(const MachineTypeInfo *t, void *opaque)
{
    g_ptr_array_add(opaque, (gpointer)t);
}

static gint type_cmp(gconstpointer a, gconstpointer b)
{
    const MachineTypeInfo *ta = *(const MachineTypeInfo *const *)a;
    const MachineTypeInfo *tb = *(const MachineTypeInfo *const *)b;

    return strcmp(ta->name, tb->name);
}

/* QEMU's format: sorted by name, an alias on its own line before its type. */
void machine_print_list(FILE *out)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    machine_foreach_type(add_type, sorted);
    g_ptr_array_sort(sorted, type_cmp);
    fprintf(out, "Supported machines are:\n");
    for (guint i = 0; i < sorted->len; i++) {
        const MachineTypeInfo *m = g_ptr_array_index(sorted, i);

        if (m->alias) {
            fprintf(out, "%-20s %s (alias of %s)\n", m->alias, m->desc, m->name);
        }
        fprintf(out, "%-20s %s%s\n", m->name, m->desc, m->is_default ? " (default)" : "");
    }
}

/* QEMU's generic machine properties, as -machine TYPE,help lists them. */
static const struct {
    const char *name, *type, *desc;
} generic_props[] = {
    { "append", "string", "Linux kernel command line" },
    { "boot", "BootConfiguration", "Boot configuration" },
    { "confidential-guest-support", "link<confidential-guest-support>",
      "Set confidential guest scheme to support" },
    { "dt-compatible", "string", "Overrides the \"compatible\" property of the dt root node" },
    { "dtb", "string", "Linux kernel device tree file" },
    { "dump-guest-core", "bool", "Include guest memory in a core dump" },
    { "dumpdtb", "string", "Dump current dtb to a file and quit" },
    { "firmware", "string", "Firmware image" },
    { "graphics", "bool", "Set on/off to enable/disable graphics emulation" },
    { "initrd", "string", "Linux initial ramdisk file" },
    { "kernel", "string", "Linux kernel image file" },
    { "mem-merge", "bool", "Enable/disable memory merge support" },
    { "memory-backend", "link<memory-backend>",
      "Set RAM backendValid value is ID of hostmem based backend" },
    { "memory-encryption", "string", "Set memory encryption object to use" },
    { "memory", "MemorySizeConfiguration", "Memory size configuration" },
    { "phandle-start", "int", "The first phandle ID we may generate dynamically" },
    { "smp", "SMPConfiguration", "CPU topology" },
    { "suppress-vmdesc", "bool", "Set on to disable self-describing migration" },
    { "usb", "bool", "Set on/off to enable/disable usb" },
};

void machine_generic_props_help(GPtrArray *lines)
{
    for (size_t i = 0; i < G_N_ELEMENTS(generic_props); i++) {
        g_autofree char *left =
            g_strdup_printf("%s=<%s>", generic_props[i].name, generic_props[i].type);

        g_ptr_array_add(lines, g_strdup_printf("  %-22s - %s", left, generic_props[i].desc));
    }
}

bool machine_generic_prop_known(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(generic_props); i++) {
        if (!strcmp(generic_props[i].name, name)) {
            return true;
        }
    }
    return false;
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* QEMU sorts the "name=<type>" column as text: memory-backend= before memory=. */
void machine_print_props(const char *type, GPtrArray *lines, FILE *out)
{
    g_ptr_array_sort(lines, str_cmp);
    fprintf(out, "%s-machine options:\n", type);
    for (guint i = 0; i < lines->len; i++) {
        fprintf(out, "%s\n", (const char *)g_ptr_array_index(lines, i));
    }
}

static void machine_reset_handler(void *opaque)
{
    MachineState *m = opaque;

    m->ops->reset(m);
}

MachineState *machine_create(const MachineClassOps *ops, const MachineOptions *o)
{
    MachineState *m = ops->create(o);

    m->ops = ops;
    m->type = o->type;
    m->ram_size = o->ram_size;
    current_machine = m;
    if (ops->reset) {
        qemu_register_reset(machine_reset_handler, m);
    }
    return m;
}

/*
 * -boot [order=]DRIVES[,once=DRIVES][,menu=on|off][,splash=][,splash-time=]
 * [,reboot-timeout=][,strict=on|off]: checked as QEMU 7.2 checks it; the
 * devices' bootindex= list the firmware is given; -prom-env.
 */
#include "sysemu/sysemu.h"
#include "qapi/error.h"
#include "qemu/option.h"

/*
 * A drive list: letters 'a' to 'p' (QEMU's floppy, disk, cdrom, network
 * ... slots), each at most once.
 */
static bool boot_devices_valid(const char *devices, char **err)
{
    uint32_t seen = 0;

    for (const char *p = devices; *p; p++) {
        unsigned bit;

        if (*p < 'a' || *p > 'p') {
            *err = g_strdup_printf("Invalid boot device '%c'", *p);
            return false;
        }
        bit = 1u << (*p - 'a');
        if (seen & bit) {
            *err = g_strdup_printf("Boot device '%c' was given twice", *p);
            return false;
        }
        seen |= bit;
    }
    return true;
}

bool boot_opts_parse(const char *arg, BootOptions *b, char **err)
{
    static const char *const numbers[] = { "splash-time", "reboot-timeout" };
    static const char *const bools[] = { "strict" };
    QemuOpts *opts = qemu_opts_parse(arg, "order", err);
    bool ok = false, flag;
    const char *order, *once;
    uint64_t n;

    if (!opts) {
        return false;
    }
    order = qemu_opt_get(opts, "order");
    once = qemu_opt_get(opts, "once");
    if ((order && !boot_devices_valid(order, err)) || (once && !boot_devices_valid(once, err))) {
        goto out;
    }
    if (qemu_opt_has(opts, "menu")) {
        if (!qemu_parse_bool(qemu_opt_get(opts, "menu"), &flag)) {
            *err = g_strdup("Parameter 'boot.menu' expects 'on' or 'off'");
            goto out;
        }
        b->menu = flag;
    }
    for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
        const char *v = qemu_opt_get(opts, bools[i]);

        if (v && !qemu_parse_bool(v, &flag)) {
            *err = g_strdup_printf("Parameter 'boot.%s' expects 'on' or 'off'", bools[i]);
            goto out;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(numbers); i++) {
        const char *v = qemu_opt_get(opts, numbers[i]);

        if (v && !qemu_strtou64(v, &n)) {
            *err = g_strdup_printf("Parameter 'boot.%s' expects integer", numbers[i]);
            goto out;
        }
    }
    (void)qemu_opt_get(opts, "splash");
    if (qemu_opts_first_unused(opts)) {
        *err = g_strdup_printf("Parameter 'boot.%s' is unexpected", qemu_opts_first_unused(opts));
        goto out;
    }
    /* Later -boot options override earlier keys, as QEMU merges them. */
    if (order) {
        g_free(b->order);
        b->order = g_strdup(order);
    }
    if (once) {
        g_free(b->once);
        b->once = g_strdup(once);
    }
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

/*
 * bootindex: devices that have one, kept sorted by it; the board turns each
 * into a firmware path (SLOF's qemu,boot-list), lowest index first.
 */
typedef struct BootEntry {
    int32_t index;
    DeviceState *dev;
    char *suffix;
} BootEntry;

static GSList *boot_entries;

static gint boot_entry_cmp(gconstpointer a, gconstpointer b)
{
    const BootEntry *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

bool boot_index_add(int32_t index, DeviceState *dev, const char *suffix, Error **errp)
{
    BootEntry *e;

    if (index < 0) {
        return true;
    }
    for (GSList *l = boot_entries; l; l = l->next) {
        if (((BootEntry *)l->data)->index == index) {
            error_setg(errp, "The bootindex %d has already been used", index);
            return false;
        }
    }
    e = g_new0(BootEntry, 1);
    e->index = index;
    e->dev = dev;
    e->suffix = g_strdup(suffix);
    boot_entries = g_slist_insert_sorted(boot_entries, e, boot_entry_cmp);
    return true;
}

void boot_index_del(DeviceState *dev)
{
    GSList *l = boot_entries;

    while (l) {
        BootEntry *e = l->data;

        l = l->next;
        if (e->dev == dev) {
            boot_entries = g_slist_remove(boot_entries, e);
            g_free(e->suffix);
            g_free(e);
        }
    }
}

char *boot_index_list(char *(*fw_path)(DeviceState *dev, void *opaque), void *opaque)
{
    GString *s = g_string_new(NULL);

    for (GSList *l = boot_entries; l; l = l->next) {
        BootEntry *e = l->data;
        g_autofree char *path = fw_path(e->dev, opaque);

        if (!path) {
            continue;
        }
        if (s->len) {
            g_string_append_c(s, ' ');
        }
        g_string_append(s, path);
        if (e->suffix) {
            g_string_append_printf(s, "/%s", e->suffix);
        }
    }
    if (!s->len) {
        g_string_free(s, true);
        return NULL;
    }
    return g_string_free(s, false);
}

#define MAX_PROM_ENVS 128

static const char *prom_env_list[MAX_PROM_ENVS];
static unsigned prom_env_count;

bool prom_env_add(const char *var, char **err)
{
    if (prom_env_count == MAX_PROM_ENVS) {
        *err = g_strdup("too many prom variables");
        return false;
    }
    prom_env_list[prom_env_count++] = var;
    return true;
}

void prom_env_clear(void)
{
    prom_env_count = 0;
}

const char *const *prom_envs(unsigned *n)
{
    *n = prom_env_count;
    return prom_env_list;
}

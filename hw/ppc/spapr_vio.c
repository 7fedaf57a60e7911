/*
 * The VIO bus: PAPR virtual devices, each known to the guest by a 32-bit
 * unit address ("reg") and described under /vdevice in the device tree.
 */
#include "hw/ppc/spapr_vio.h"
#include <libfdt.h>

#define VIO_MAX_TYPES 16

struct SpaprVioBus {
    GPtrArray *devices; /* SpaprVioDevice *, kept in ascending reg order */
};

static const SpaprVioDeviceType *vio_types[VIO_MAX_TYPES];
static unsigned vio_ntypes;

void spapr_vio_register_type(const SpaprVioDeviceType *type)
{
    g_assert(vio_ntypes < VIO_MAX_TYPES);
    g_assert(type->instance_size >= sizeof(SpaprVioDevice));
    if (spapr_vio_find_type(type->name)) {
        return; /* module_call_init() run twice (unit tests) */
    }
    vio_types[vio_ntypes++] = type;
}

const SpaprVioDeviceType *spapr_vio_find_type(const char *name)
{
    for (unsigned i = 0; name && i < vio_ntypes; i++) {
        if (!strcmp(vio_types[i]->name, name)) {
            return vio_types[i];
        }
    }
    return NULL;
}

/* QEMU files its VIO devices by category; the console is an input device. */
void spapr_vio_list_types(FILE *out)
{
    if (!vio_ntypes) {
        return;
    }
    fprintf(out, "Input devices:\n");
    for (unsigned i = 0; i < vio_ntypes; i++) {
        fprintf(out, "name \"%s\", bus spapr-vio-bus", vio_types[i]->name);
        if (vio_types[i]->desc) {
            fprintf(out, ", desc \"%s\"", vio_types[i]->desc);
        }
        fprintf(out, "\n");
    }
}

void spapr_vio_list_props(const SpaprVioDeviceType *type, FILE *out)
{
    fprintf(out, "%s options:\n", type->name);
    for (const SpaprVioProp *p = type->props; p && p->name; p++) {
        g_autofree char *left = g_strdup_printf("%s=<%s>", p->name, p->type);

        fprintf(out, "  %-22s - %s\n", left, p->desc);
    }
    /* An unset reg means "allocate one": QEMU shows that as -1. */
    fprintf(out, "  %-22s -  (default: 4294967295)\n", "reg=<uint32>");
}

SpaprVioBus *spapr_vio_bus_new(void)
{
    SpaprVioBus *bus = g_new0(SpaprVioBus, 1);

    bus->devices = g_ptr_array_new();
    return bus;
}

void spapr_vio_bus_free(SpaprVioBus *bus)
{
    if (!bus) {
        return;
    }
    for (guint i = 0; i < bus->devices->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->devices, i);

        g_free(dev->id);
        g_free(dev);
    }
    g_ptr_array_free(bus->devices, TRUE);
    g_free(bus);
}

SpaprVioDevice *spapr_vio_find_by_reg(SpaprVioBus *bus, uint32_t reg)
{
    for (guint i = 0; bus && i < bus->devices->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->devices, i);

        if (dev->reg == reg) {
            return dev;
        }
    }
    return NULL;
}

void spapr_vio_foreach(SpaprVioBus *bus, void (*fn)(SpaprVioDevice *dev, void *opaque),
                       void *opaque)
{
    for (guint i = 0; bus && i < bus->devices->len; i++) {
        fn(g_ptr_array_index(bus->devices, i), opaque);
    }
}

static bool vio_irq_used(SpaprVioBus *bus, uint32_t irq)
{
    for (guint i = 0; i < bus->devices->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->devices, i);

        if (dev->irq == irq) {
            return true;
        }
    }
    return false;
}

/*
 * Platform-allocated addresses start at the type's base and their low byte
 * picks the interrupt, as in QEMU; any other address takes the next free
 * interrupt number.
 */
static uint32_t vio_irq_alloc(SpaprVioBus *bus, uint32_t reg)
{
    uint32_t irq = SPAPR_IRQ_VIO | (reg & 0xff);

    if (reg >= SPAPR_VTY_BASE_ADDRESS && !vio_irq_used(bus, irq)) {
        return irq;
    }
    for (irq = SPAPR_IRQ_VIO; vio_irq_used(bus, irq); irq++) {
        continue;
    }
    return irq;
}

/* "reg": absent (allocate), or a number that fits 32 bits. */
static bool vio_parse_reg(SpaprVioBus *bus, const SpaprVioDeviceType *type, QemuOpts *opts,
                          uint32_t *reg, char **err)
{
    const char *str = qemu_opt_get(opts, "reg");
    uint64_t v;

    if (!str) {
        for (*reg = type->base_reg; spapr_vio_find_by_reg(bus, *reg); (*reg)++) {
            continue;
        }
        return true;
    }
    if (str[0] == '-' && qemu_strtou64(str + 1, &v)) {
        *err = g_strdup("Parameter 'reg' expects uint32_t");
        return false;
    }
    if (!qemu_strtou64(str, &v)) {
        *err = g_strdup("Parameter 'reg' expects integer");
        return false;
    }
    if (v > UINT32_MAX) {
        *err = g_strdup("Parameter 'reg' expects uint32_t");
        return false;
    }
    *reg = v;
    return true;
}

static bool vio_id_used(SpaprVioBus *bus, const char *id)
{
    for (guint i = 0; i < bus->devices->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->devices, i);

        if (dev->id && !strcmp(dev->id, id)) {
            return true;
        }
    }
    return false;
}

/* Every option must be a property of the type (or driver/id/reg). */
static bool vio_check_props(const SpaprVioDeviceType *type, QemuOpts *opts, char **err)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        bool known =
            !strcmp(opt->name, "driver") || !strcmp(opt->name, "id") || !strcmp(opt->name, "reg");

        for (const SpaprVioProp *p = type->props; !known && p && p->name; p++) {
            known = !strcmp(opt->name, p->name);
        }
        if (!known) {
            *err = g_strdup_printf("Property '%s.%s' not found", type->name, opt->name);
            return false;
        }
    }
    return true;
}

static gint vio_cmp_reg(gconstpointer a, gconstpointer b)
{
    const SpaprVioDevice *da = *(SpaprVioDevice *const *)a;
    const SpaprVioDevice *db = *(SpaprVioDevice *const *)b;

    return da->reg < db->reg ? -1 : da->reg > db->reg;
}

SpaprVioDevice *spapr_vio_create(SpaprVioBus *bus, const SpaprVioDeviceType *type, QemuOpts *opts,
                                 char **err)
{
    const char *id = qemu_opt_get(opts, "id");
    SpaprVioDevice *dev, *other;
    uint32_t reg;

    if (!vio_check_props(type, opts, err) || !vio_parse_reg(bus, type, opts, &reg, err)) {
        return NULL;
    }
    if (id && vio_id_used(bus, id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for device", id);
        return NULL;
    }
    other = spapr_vio_find_by_reg(bus, reg);
    if (other) {
        *err = g_strdup_printf("%s and %s devices conflict at address %#x", other->type->name,
                               type->name, reg);
        return NULL;
    }
    dev = g_malloc0(type->instance_size);
    dev->type = type;
    dev->reg = reg;
    dev->bus = bus;
    dev->irq = vio_irq_alloc(bus, reg);
    if (type->realize && !type->realize(dev, opts, err)) {
        g_free(dev);
        return NULL;
    }
    dev->id = g_strdup(id);
    g_ptr_array_add(bus->devices, dev);
    g_ptr_array_sort(bus->devices, vio_cmp_reg);
    return dev;
}

void spapr_vio_bus_reset(SpaprVioBus *bus)
{
    for (guint i = 0; bus && i < bus->devices->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->devices, i);

        if (dev->type->reset) {
            dev->type->reset(dev);
        }
    }
}

static int vio_dt_device(SpaprVioDevice *dev, void *fdt, int parent)
{
    const SpaprVioDeviceType *t = dev->type;
    g_autofree char *name = g_strdup_printf("%s@%x", t->dt_name, dev->reg);
    uint32_t interrupts[2] = { cpu_to_fdt32(dev->irq), 0 };
    int node = fdt_add_subnode(fdt, parent, name);
    int ret = node < 0 ? node : 0;

    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "reg", dev->reg);
    }
    if (!ret && t->dt_type) {
        ret = fdt_setprop_string(fdt, node, "device_type", t->dt_type);
    }
    if (!ret && t->dt_compatible) {
        ret = fdt_setprop_string(fdt, node, "compatible", t->dt_compatible);
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "interrupts", interrupts, sizeof(interrupts));
    }
    if (!ret && t->devnode) {
        ret = t->devnode(dev, fdt, node);
    }
    return ret;
}

/*
 * /vdevice: the PAPR "vdevice" bus node.  Its children are addressed by one
 * cell (the unit address) and it is the interrupt parent of its devices,
 * whose interrupts are two cells (number, sense).
 */
int spapr_dt_vdevice(SpaprVioBus *bus, void *fdt)
{
    int node = fdt_add_subnode(fdt, 0, "vdevice");
    int ret = node < 0 ? node : 0;

    if (!ret) {
        ret = fdt_setprop_string(fdt, node, "device_type", "vdevice");
    }
    if (!ret) {
        ret = fdt_setprop_string(fdt, node, "compatible", "IBM,vdevice");
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#address-cells", 1);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#size-cells", 0);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#interrupt-cells", 2);
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
    }
    /* libfdt inserts a new node before its siblings: add the last first. */
    for (guint i = bus ? bus->devices->len : 0; !ret && i > 0; i--) {
        ret = vio_dt_device(g_ptr_array_index(bus->devices, i - 1), fdt, node);
    }
    return ret ? ret : node;
}

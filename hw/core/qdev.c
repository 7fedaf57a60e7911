/*
 * The device core (include/hw/qdev-core.h): the type registry, devices on
 * buses, realize/reset/free, QOM-style paths and interrupt lines.
 */
#include "hw/qdev-core.h"
#include "hw/qdev-hotplug.h"
#include "hw/qdev-properties.h"
#include "qemu/error-report.h"

static GPtrArray *types;          /* const DeviceClass * */
static BusState *root_bus;        /* "main-system-bus", owned by the machine */
static GPtrArray *loose;          /* DeviceState * on no bus (interrupt controllers) */
static unsigned anon_count;       /* /machine/peripheral-anon/device[N] */
static unsigned unattached_count; /* /machine/unattached/device[N] */

/* ---- Types ------------------------------------------------------------ */

void qdev_register_type(const DeviceClass *cls)
{
    g_assert(cls->name);
    if (!types) {
        types = g_ptr_array_new();
    }
    if (qdev_find_type(cls->name)) {
        return; /* module_call_init() run twice (unit tests) */
    }
    g_assert(qdev_class_instance_size(cls) >= sizeof(DeviceState));
    g_ptr_array_add(types, (gpointer)cls);
}

/* By type name, else by alias (QEMU's "virtio-blk" for virtio-blk-pci). */
const DeviceClass *qdev_find_type(const char *name)
{
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; name && types && i < types->len; i++) {
            const DeviceClass *cls = g_ptr_array_index(types, i);
            const char *n = pass ? cls->alias : cls->name;

            if (n && !strcmp(n, name)) {
                return cls;
            }
        }
    }
    return NULL;
}

bool qdev_class_is(const DeviceClass *cls, const DeviceClass *ancestor)
{
    for (; cls; cls = cls->parent) {
        if (cls == ancestor) {
            return true;
        }
    }
    return false;
}

size_t qdev_class_instance_size(const DeviceClass *cls)
{
    for (; cls; cls = cls->parent) {
        if (cls->instance_size) {
            return cls->instance_size;
        }
    }
    return sizeof(DeviceState);
}

const char *qdev_class_bus_type(const DeviceClass *cls)
{
    for (; cls; cls = cls->parent) {
        if (cls->bus_type) {
            return cls->bus_type;
        }
    }
    return NULL;
}

static unsigned class_num_irq_out(const DeviceClass *cls)
{
    for (; cls; cls = cls->parent) {
        if (cls->num_irq_out) {
            return cls->num_irq_out;
        }
    }
    return 0;
}

static gint class_cmp(gconstpointer a, gconstpointer b)
{
    const DeviceClass *ca = *(const DeviceClass *const *)a;
    const DeviceClass *cb = *(const DeviceClass *const *)b;

    return g_ascii_strcasecmp(ca->name, cb->name);
}

void qdev_type_foreach(void (*fn)(const DeviceClass *cls, void *opaque), void *opaque)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    for (guint i = 0; types && i < types->len; i++) {
        g_ptr_array_add(sorted, g_ptr_array_index(types, i));
    }
    g_ptr_array_sort(sorted, class_cmp);
    for (guint i = 0; i < sorted->len; i++) {
        fn(g_ptr_array_index(sorted, i), opaque);
    }
}

/* The nearest definition of a hook along the parent chain. */
#define CLASS_HOOK(cls, hook)                                                                      \
    ({                                                                                             \
        const DeviceClass *c_ = (cls);                                                             \
        while (c_ && !c_->hook) {                                                                  \
            c_ = c_->parent;                                                                       \
        }                                                                                          \
        c_ ? c_->hook : NULL;                                                                      \
    })

/* ---- Devices -------------------------------------------------------------- */

static DeviceState *device_alloc(const DeviceClass *cls)
{
    DeviceState *dev = g_malloc0(qdev_class_instance_size(cls));

    dev->cls = cls;
    dev->child_buses = g_ptr_array_new();
    dev->props_set = g_ptr_array_new_with_free_func(g_free);
    dev->num_irq_out = class_num_irq_out(cls);
    dev->irq_out = g_new0(qemu_irq, dev->num_irq_out);
    qdev_props_init(dev);
    return dev;
}

DeviceState *qdev_try_new(const char *type, Error **errp)
{
    const DeviceClass *cls = qdev_find_type(type);
    void (*init)(DeviceState *);
    DeviceState *dev;

    if (!cls || cls->abstract) {
        error_setg(errp, "'%s' is not a valid device model name", type ? type : "");
        return NULL;
    }
    dev = device_alloc(cls);
    init = CLASS_HOOK(cls, instance_init);
    if (init) {
        init(dev);
    }
    if (!qdev_global_apply(dev, errp)) {
        qdev_free(dev);
        return NULL;
    }
    return dev;
}

DeviceState *qdev_new(const char *type)
{
    return qdev_try_new(type, &error_fatal);
}

bool qdev_set_id(DeviceState *dev, const char *id, Error **errp)
{
    if (id && qdev_find_by_id(id)) {
        error_setg(errp, "Duplicate ID '%s' for device", id);
        return false;
    }
    g_free(dev->id);
    dev->id = g_strdup(id);
    return true;
}

void qdev_set_child_name(DeviceState *dev, const char *name)
{
    g_free(dev->child_name);
    dev->child_name = g_strdup(name);
}

unsigned qdev_unattached_reserve(unsigned n)
{
    unsigned first = unattached_count;

    unattached_count += n;
    return first;
}

static char *device_path(DeviceState *dev)
{
    if (dev->child_name) {
        return g_strdup_printf("/machine/%s", dev->child_name);
    }
    if (dev->id) {
        return g_strdup_printf("/machine/peripheral/%s", dev->id);
    }
    if (dev->user_created) {
        return g_strdup_printf("/machine/peripheral-anon/device[%u]", anon_count++);
    }
    return g_strdup_printf("/machine/unattached/device[%u]", unattached_count++);
}

static GPtrArray *sibling_list(DeviceState *dev)
{
    if (dev->parent_bus) {
        return dev->parent_bus->children;
    }
    if (!loose) {
        loose = g_ptr_array_new();
    }
    return loose;
}

static gint child_cmp(gconstpointer a, gconstpointer b, gpointer opaque)
{
    const BusClass *bc = opaque;

    return bc->compare(*(DeviceState *const *)a, *(DeviceState *const *)b);
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    const char *bus_type = qdev_class_bus_type(dev->cls);
    bool (*realize)(DeviceState *, Error **) = CLASS_HOOK(dev->cls, realize);
    GPtrArray *list;

    g_assert(!dev->realized);
    if (bus_type && !bus) {
        error_setg(errp, "No '%s' bus found for device '%s'", bus_type, dev->cls->name);
        return false;
    }
    if (bus && (!bus_type || strcmp(bus->cls->name, bus_type))) {
        error_setg(errp, "Device '%s' can't go on %s bus", dev->cls->name, bus->cls->name);
        return false;
    }
    if (!qdev_hotplug_pre_plug(bus, dev, errp)) {
        return false;
    }
    dev->parent_bus = bus;
    if (bus && bus->cls->plug && !bus->cls->plug(bus, dev, errp)) {
        dev->parent_bus = NULL;
        return false;
    }
    if (realize && !realize(dev, errp)) {
        if (bus && bus->cls->unplug) {
            bus->cls->unplug(bus, dev);
        }
        dev->parent_bus = NULL;
        return false;
    }
    list = sibling_list(dev);
    g_ptr_array_add(list, dev);
    if (bus && bus->cls->compare) {
        g_ptr_array_sort_with_data(list, child_cmp, (gpointer)bus->cls);
    }
    dev->path = device_path(dev);
    dev->realized = true;
    qdev_hotplug_plug(bus, dev);
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    Error *err = NULL;

    if (!qdev_realize(dev, bus, &err)) {
        qdev_free(dev);
        error_propagate(errp, err);
        return false;
    }
    return true;
}

static void qbus_free(BusState *bus);

void qdev_free(DeviceState *dev)
{
    void (*unrealize)(DeviceState *);

    if (!dev) {
        return;
    }
    unrealize = CLASS_HOOK(dev->cls, unrealize);
    /* Children first: a bus's devices go before the device providing it. */
    while (dev->child_buses->len) {
        qbus_free(g_ptr_array_index(dev->child_buses, dev->child_buses->len - 1));
    }
    if (dev->realized) {
        if (unrealize) {
            unrealize(dev);
        }
        if (dev->parent_bus && dev->parent_bus->cls->unplug) {
            dev->parent_bus->cls->unplug(dev->parent_bus, dev);
        }
        g_ptr_array_remove(sibling_list(dev), dev);
    }
    for (guint i = 0; dev->irq_in && i < dev->irq_in->len; i++) {
        qemu_free_irq(g_ptr_array_index(dev->irq_in, i));
    }
    if (dev->irq_in) {
        g_ptr_array_free(dev->irq_in, TRUE);
    }
    qdev_props_release(dev);
    g_ptr_array_free(dev->child_buses, TRUE);
    g_ptr_array_free(dev->props_set, TRUE);
    g_free(dev->irq_out);
    g_free(dev->id);
    g_free(dev->path);
    g_free(dev->child_name);
    g_free(dev);
}

void qdev_reset(DeviceState *dev)
{
    void (*reset)(DeviceState *) = CLASS_HOOK(dev->cls, reset);

    for (guint i = 0; i < dev->child_buses->len; i++) {
        qbus_reset(g_ptr_array_index(dev->child_buses, i));
    }
    if (reset) {
        reset(dev);
    }
}

/* ---- Interrupt lines ------------------------------------------------------ */

void qdev_connect_irq_out(DeviceState *dev, unsigned n, qemu_irq line)
{
    g_assert(n < dev->num_irq_out);
    dev->irq_out[n] = line;
}

qemu_irq qdev_get_irq_out(DeviceState *dev, unsigned n)
{
    g_assert(n < dev->num_irq_out);
    return dev->irq_out[n];
}

void qdev_init_irq_in(DeviceState *dev, qemu_irq_handler handler, unsigned count)
{
    if (!dev->irq_in) {
        dev->irq_in = g_ptr_array_new();
    }
    for (unsigned i = 0; i < count; i++) {
        g_ptr_array_add(dev->irq_in, qemu_allocate_irq(handler, dev, dev->irq_in->len));
    }
}

qemu_irq qdev_get_irq_in(DeviceState *dev, unsigned n)
{
    g_assert(dev->irq_in && n < dev->irq_in->len);
    return g_ptr_array_index(dev->irq_in, n);
}

/* ---- Buses ---------------------------------------------------------------- */

static const BusClass system_bus_class = {
    .name = "System",
    .instance_size = sizeof(BusState),
};

BusState *qbus_new(const BusClass *cls, DeviceState *parent, const char *name)
{
    BusState *bus;

    g_assert(cls->instance_size >= sizeof(BusState));
    bus = g_malloc0(cls->instance_size);
    bus->cls = cls;
    bus->name = g_strdup(name);
    bus->parent = parent;
    bus->children = g_ptr_array_new();
    if (parent) {
        g_ptr_array_add(parent->child_buses, bus);
    }
    return bus;
}

static void qbus_free(BusState *bus)
{
    if (!bus) {
        return;
    }
    /* The last child first, so each removal is cheap and order is mirrored. */
    while (bus->children->len) {
        qdev_free(g_ptr_array_index(bus->children, bus->children->len - 1));
    }
    if (bus->parent) {
        g_ptr_array_remove(bus->parent->child_buses, bus);
    }
    qbus_set_hotplug_handler(bus, NULL); /* a bus made later may have its address */
    g_ptr_array_free(bus->children, TRUE);
    g_free(bus->name);
    g_free(bus);
}

BusState *qdev_root_bus(void)
{
    if (!root_bus) {
        root_bus = qbus_new(&system_bus_class, NULL, "main-system-bus");
    }
    return root_bus;
}

static BusState *bus_find_type(BusState *bus, const char *type)
{
    if (!strcmp(bus->cls->name, type)) {
        return bus;
    }
    for (guint i = 0; i < bus->children->len; i++) {
        DeviceState *dev = g_ptr_array_index(bus->children, i);

        for (guint j = 0; j < dev->child_buses->len; j++) {
            BusState *found = bus_find_type(g_ptr_array_index(dev->child_buses, j), type);

            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

BusState *qbus_find_by_type(const char *type)
{
    BusState *found = bus_find_type(qdev_root_bus(), type);

    for (guint i = 0; !found && loose && i < loose->len; i++) {
        DeviceState *dev = g_ptr_array_index(loose, i);

        for (guint j = 0; !found && j < dev->child_buses->len; j++) {
            found = bus_find_type(g_ptr_array_index(dev->child_buses, j), type);
        }
    }
    return found;
}

void qbus_reset(BusState *bus)
{
    for (guint i = 0; i < bus->children->len; i++) {
        qdev_reset(g_ptr_array_index(bus->children, i));
    }
}

void qdev_reset_all(void)
{
    qbus_reset(qdev_root_bus());
    for (guint i = 0; loose && i < loose->len; i++) {
        qdev_reset(g_ptr_array_index(loose, i));
    }
}

/* ---- Walking and lookup --------------------------------------------------- */

static void walk_bus(BusState *bus, void (*fn)(DeviceState *, void *), void *opaque);

static void walk_dev(DeviceState *dev, void (*fn)(DeviceState *, void *), void *opaque)
{
    fn(dev, opaque);
    for (guint i = 0; i < dev->child_buses->len; i++) {
        walk_bus(g_ptr_array_index(dev->child_buses, i), fn, opaque);
    }
}

static void walk_bus(BusState *bus, void (*fn)(DeviceState *, void *), void *opaque)
{
    for (guint i = 0; i < bus->children->len; i++) {
        walk_dev(g_ptr_array_index(bus->children, i), fn, opaque);
    }
}

void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque)
{
    walk_bus(qdev_root_bus(), fn, opaque);
    for (guint i = 0; loose && i < loose->len; i++) {
        walk_dev(g_ptr_array_index(loose, i), fn, opaque);
    }
}

typedef struct FindCtx {
    const char *key;
    bool by_id;
    DeviceState *found;
} FindCtx;

static void find_one(DeviceState *dev, void *opaque)
{
    FindCtx *ctx = opaque;
    const char *have = ctx->by_id ? dev->id : dev->path;

    if (!ctx->found && have && !strcmp(have, ctx->key)) {
        ctx->found = dev;
    }
}

DeviceState *qdev_find_by_path(const char *path)
{
    FindCtx ctx = { path, false, NULL };

    if (path) {
        qdev_foreach(find_one, &ctx);
    }
    return ctx.found;
}

DeviceState *qdev_find_by_id(const char *id)
{
    FindCtx ctx = { id, true, NULL };

    if (id) {
        qdev_foreach(find_one, &ctx);
    }
    return ctx.found;
}

static bool tree_resetting;

bool qdev_tree_resetting(void)
{
    return tree_resetting;
}

void qdev_tree_reset(void)
{
    tree_resetting = true;
    while (loose && loose->len) {
        qdev_free(g_ptr_array_index(loose, loose->len - 1));
    }
    qbus_free(root_bus);
    root_bus = NULL;
    anon_count = 0;
    unattached_count = 0;
    tree_resetting = false;
}

/*
 * The buses' hot-plug handlers (hw/qdev-hotplug.h), kept apart from the
 * bus structures: few buses have one.
 */
#include "hw/qdev-hotplug.h"

bool qdev_hotplug;

/* BusState * -> const HotplugHandler * */
static GHashTable *handlers;

void qbus_set_hotplug_handler(BusState *bus, const HotplugHandler *h)
{
    if (!handlers) {
        handlers = g_hash_table_new(NULL, NULL);
    }
    if (h) {
        g_hash_table_insert(handlers, bus, (gpointer)h);
    } else {
        g_hash_table_remove(handlers, bus);
    }
}

const HotplugHandler *qbus_get_hotplug_handler(BusState *bus)
{
    return handlers && bus ? g_hash_table_lookup(handlers, bus) : NULL;
}

/* The machine's handlers for bus-less devices (CPU cores, DIMMs): by base type. */
#define MACHINE_HANDLERS_MAX 4
static struct {
    const char *base;
    const HotplugHandler *h;
} machine_handlers[MACHINE_HANDLERS_MAX];

void qdev_set_machine_hotplug_handler(const char *base, const HotplugHandler *h)
{
    for (unsigned i = 0; i < MACHINE_HANDLERS_MAX; i++) {
        if (!machine_handlers[i].base || !strcmp(machine_handlers[i].base, base)) {
            machine_handlers[i].base = base;
            machine_handlers[i].h = h;
            return;
        }
    }
    g_assert_not_reached();
}

const HotplugHandler *qdev_machine_hotplug_handler(const DeviceClass *cls)
{
    for (unsigned i = 0; i < MACHINE_HANDLERS_MAX && machine_handlers[i].base; i++) {
        const DeviceClass *base = qdev_find_type(machine_handlers[i].base);

        if (base && machine_handlers[i].h && qdev_class_is(cls, base)) {
            return machine_handlers[i].h;
        }
    }
    return NULL;
}

/* The handler a realize calls: the bus's when hot-plugging, the machine's for bus-less devices. */
static const HotplugHandler *handler_for(BusState *bus, DeviceState *dev)
{
    if (!bus) {
        return qdev_machine_hotplug_handler(dev->cls);
    }
    return qdev_hotplug ? qbus_get_hotplug_handler(bus) : NULL;
}

bool qdev_hotplug_pre_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    const HotplugHandler *h = handler_for(bus, dev);

    return !h || !h->pre_plug || h->pre_plug(bus, dev, errp);
}

void qdev_hotplug_plug(BusState *bus, DeviceState *dev)
{
    const HotplugHandler *h = handler_for(bus, dev);

    if (!h) {
        return;
    }
    /* A hot-plugged device starts from its reset state, as a cold-plugged one after reset. */
    qdev_reset(dev);
    if (h->plug) {
        h->plug(bus, dev);
    }
}

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

static const char *machine_base;
static const HotplugHandler *machine_handler;

void qdev_set_machine_hotplug_handler(const char *base, const HotplugHandler *h)
{
    machine_base = base;
    machine_handler = h;
}

const HotplugHandler *qdev_machine_hotplug_handler(const DeviceClass *cls)
{
    const DeviceClass *base = machine_base ? qdev_find_type(machine_base) : NULL;

    return base && qdev_class_is(cls, base) ? machine_handler : NULL;
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

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

bool qdev_hotplug_pre_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    const HotplugHandler *h = qdev_hotplug ? qbus_get_hotplug_handler(bus) : NULL;

    return !h || !h->pre_plug || h->pre_plug(bus, dev, errp);
}

void qdev_hotplug_plug(BusState *bus, DeviceState *dev)
{
    const HotplugHandler *h = qdev_hotplug ? qbus_get_hotplug_handler(bus) : NULL;

    if (!h) {
        return;
    }
    /* A hot-plugged device starts from its reset state, as a cold-plugged one after reset. */
    qdev_reset(dev);
    if (h->plug) {
        h->plug(bus, dev);
    }
}

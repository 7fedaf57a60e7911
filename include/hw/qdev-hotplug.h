/*
 * Hot-plug handlers: who plugs devices into a bus while the machine runs
 * (QMP device_add / device_del), e.g. the pseries PHB for its PCI bus.
 */
#ifndef HW_QDEV_HOTPLUG_H
#define HW_QDEV_HOTPLUG_H

#include "hw/qdev-core.h"

/*
 * pre_plug checks before the bus assigns an address and the device
 * realizes; plug tells the guest after realize; unplug_request asks the
 * guest to let go (the device goes away later, or at once).
 */
typedef struct HotplugHandler {
    bool (*pre_plug)(BusState *bus, DeviceState *dev, Error **errp);
    void (*plug)(BusState *bus, DeviceState *dev);
    bool (*unplug_request)(BusState *bus, DeviceState *dev, Error **errp);
} HotplugHandler;

/* Devices realized now are hot-plugged (device_add sets it around its work). */
extern bool qdev_hotplug;

/* Give bus a handler (NULL: none; a bus without one does not support hotplugging). */
void qbus_set_hotplug_handler(BusState *bus, const HotplugHandler *h);
const HotplugHandler *qbus_get_hotplug_handler(BusState *bus);

/*
 * The machine's handlers for devices without a bus (QEMU's machine hot-plug
 * handler: pseries CPU cores, DIMMs): devices of type base or below, cold-
 * and hot-plugged alike; bus is NULL in its calls.
 */
void qdev_set_machine_hotplug_handler(const char *base, const HotplugHandler *h);
const HotplugHandler *qdev_machine_hotplug_handler(const DeviceClass *cls);

/*
 * qdev_realize's hooks: before the bus plug (false + errp refuses), after
 * realize.  bus NULL: the machine's handler for the device, if any.
 */
bool qdev_hotplug_pre_plug(BusState *bus, DeviceState *dev, Error **errp);
void qdev_hotplug_plug(BusState *bus, DeviceState *dev);

#endif

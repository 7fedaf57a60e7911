/*
 * QMP device_add and device_del: devices go onto (and leave) a bus with a
 * hot-plug handler (the pseries PCI buses); elsewhere QEMU 7.2's errors.
 */
#include "hw/qdev-core.h"
#include "hw/qdev-hotplug.h"
#include "hw/qdev-monitor.h"
#include "qapi/qapi-commands.h"
#include "qapi/qmp.h"

static const char *member_str(JsonObject *args, const char *name, bool *bad_type)
{
    JsonNode *n = json_object_get_member(args, name);

    if (!n) {
        return NULL;
    }
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
        *bad_type = true;
        return NULL;
    }
    return json_node_get_string(n);
}

/*
 * device_add's arguments as -device options: QEMU 7.2 turns every scalar
 * into text (integers in decimal, booleans on/off) and parses it as the
 * command line does, so "multifunction": "on" and "addr": 3 both work.
 * Other values are ignored, as there.
 */
static QemuOpts *device_add_opts(JsonObject *args)
{
    g_autoptr(GList) members = json_object_get_members(args);
    char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse("", NULL, &perr);

    for (GList *l = members; l; l = l->next) {
        const char *name = l->data;
        JsonNode *n = json_object_get_member(args, name);
        GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n) : G_TYPE_INVALID;
        g_autofree char *text = NULL;

        if (qmp_node_is_big_uint64(n)) {
            text = g_strdup_printf("%" PRIu64, qmp_node_get_uint64(n));
        } else if (t == G_TYPE_STRING) {
            text = g_strdup(json_node_get_string(n));
        } else if (t == G_TYPE_INT64) {
            text = g_strdup_printf("%" PRId64, json_node_get_int(n));
        } else if (t == G_TYPE_BOOLEAN) {
            text = g_strdup(json_node_get_boolean(n) ? "on" : "off");
        } else if (t == G_TYPE_DOUBLE) {
            text = g_strdup_printf("%.17g", json_node_get_double(n));
        } else {
            continue;
        }
        qemu_opt_set(opts, name, text);
    }
    return opts;
}

/* Create and realize the device from device_add's arguments, as hot-plugged. */
static JsonNode *device_add_on(JsonObject *args, QmpError *err)
{
    QemuOpts *opts = device_add_opts(args);
    Error *local = NULL;
    DeviceState *dev;

    qdev_hotplug = true;
    dev = qdev_device_add_from_opts(opts, &local);
    qdev_hotplug = false;
    qemu_opts_free(opts);
    if (!dev) {
        qmp_error_from(err, local);
        return NULL;
    }
    return qmp_return_empty();
}

/*
 * device_add: QEMU's checks in its order (driver, type, bus, the bus's
 * hot-plug support), then the device is created and realized as a
 * hot-plugged one: its bus's handler tells the guest.  The schema marks the
 * command 'gen': false, as QEMU does: its properties are the device's, not
 * the schema's.
 */
JsonNode *qmp_device_add(JsonObject *args, QmpError *err)
{
    bool bad = false;
    const char *driver = member_str(args, "driver", &bad);
    const char *bus_name = member_str(args, "bus", &bad);
    const char *id;
    const DeviceClass *cls;
    BusState *bus;

    if (bad) {
        qmp_error_setg(err, "Invalid parameter type for '%s', expected: string",
                       json_object_has_member(args, "driver") && !driver ? "driver" : "bus");
        return NULL;
    }
    if (!driver) {
        qmp_error_setg(err, "Parameter 'driver' is missing");
        return NULL;
    }
    cls = qdev_find_type(driver);
    if (!cls) {
        qmp_error_setg(err, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (cls->abstract) {
        qmp_error_setg(err, "Parameter 'driver' expects a non-abstract device type");
        return NULL;
    }
    if (cls->no_user) {
        qmp_error_setg(err, "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    /* A device without a bus (a CPU core) is the machine's to plug, if it takes it. */
    if (!bus_name && !qdev_class_bus_type(cls)) {
        if (!qdev_machine_hotplug_handler(cls)) {
            qmp_error_setg(err, "Device '%s' can not be hotplugged on this machine", cls->name);
            return NULL;
        }
    } else {
        Error *local = NULL;

        bus = bus_name ? qdev_find_bus_path(bus_name, &local)
                       : qbus_find_by_type(qdev_class_bus_type(cls));
        if (local) {
            qmp_error_from(err, local);
            return NULL;
        }
        if (!bus) {
            qmp_error_setg(err, "No '%s' bus found for device '%s'", qdev_class_bus_type(cls),
                           cls->name);
            return NULL;
        }
        if (!qdev_class_bus_type(cls) || strcmp(bus->cls->name, qdev_class_bus_type(cls))) {
            qmp_error_setg(err, "Device '%s' can't go on %s bus", cls->name, bus->cls->name);
            return NULL;
        }
        if (!qbus_get_hotplug_handler(bus)) {
            qmp_error_setg(err, "Bus '%s' does not support hotplugging", bus->name);
            return NULL;
        }
    }
    /* QEMU names the id before any property: device_add's own words. */
    id = member_str(args, "id", &bad);
    if (id && qdev_find_by_id(id)) {
        qmp_error_setg(err, "Duplicate device ID '%s'", id);
        return NULL;
    }
    return device_add_on(args, err);
}

/*
 * device_del ID or QOM path: a device on a bus with a hot-plug handler is
 * asked for back (DEVICE_DELETED follows once the guest let it go);
 * elsewhere refused as QEMU refuses a cold-only device.
 */
JsonNode *qmp_device_del(JsonObject *args, QmpError *err)
{
    const char *id = qmp_arg_str(args, "id", "");
    DeviceState *dev = id[0] == '/' ? qdev_find_by_path(id) : qdev_find_by_id(id);

    if (!dev) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_FOUND, "Device '%s' not found", id);
        return NULL;
    }
    if (dev->parent_bus ? qbus_get_hotplug_handler(dev->parent_bus)
                        : qdev_machine_hotplug_handler(dev->cls)) {
        const HotplugHandler *h = dev->parent_bus ? qbus_get_hotplug_handler(dev->parent_bus)
                                                  : qdev_machine_hotplug_handler(dev->cls);
        Error *local = NULL;

        if (!h->unplug_request(dev->parent_bus, dev, &local)) {
            qmp_error_setg(err, "%s", error_get_pretty(local));
            error_free(local);
            return NULL;
        }
        return qmp_return_empty();
    }
    if (dev->parent_bus && dev->parent_bus->name) {
        qmp_error_setg(err, "Bus '%s' does not support hotplugging", dev->parent_bus->name);
    } else {
        qmp_error_setg(err, "Device '%s' does not support hotplugging", dev->cls->name);
    }
    return NULL;
}

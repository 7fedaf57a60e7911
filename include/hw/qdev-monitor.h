/*
 * The user's side of the device core: -device (key=value or JSON), QMP
 * device_add, "-device help" and "-device TYPE,help".
 */
#ifndef HW_QDEV_MONITOR_H
#define HW_QDEV_MONITOR_H

#include "hw/qdev-core.h"
#include "qemu/option.h"

typedef struct _JsonObject JsonObject;

/* "-device help": user-creatable types grouped by category, QEMU's format. */
void qdev_list_types(FILE *out);
/* "-device TYPE,help": "spapr-vty options:\n  chardev=<str> ...".  false + errp if no TYPE. */
bool qdev_print_type_props(const char *type, FILE *out, Error **errp);

/* An id= value is an identifier: a letter, then letters, digits, '-', '.', '_'. */
bool qdev_id_wellformed(const char *id);
/*
 * Command-line time checks of one -device argument, as QEMU makes them while
 * parsing: a malformed id, or an id another -device already took (ids is the
 * set of ids seen so far; this one is added).
 */
bool qdev_device_check_arg(const char *arg, GHashTable *ids, Error **errp);

/*
 * bus= as QEMU reads it: a bus name ("pci.0"), or a path from the root bus
 * ("/spapr-pci-host-bridge/pci.0"), devices named by id or type, a path
 * ending at a device meaning its only bus.  Errors are QEMU's: "Bus 'x' not
 * found", "Device 'x' not found" (class DeviceNotFound), "Device 'x' has no
 * child bus".
 */
BusState *qdev_find_bus_path(const char *path, Error **errp);

/*
 * Create and realize a device: from "driver=...,key=val" options (the last
 * value of a repeated key wins), from a JSON object (QMP device_add, JSON
 * -device), or from an -device argument in either form.  NULL + errp.
 */
DeviceState *qdev_device_add_from_opts(QemuOpts *opts, Error **errp);
DeviceState *qdev_device_add_json(JsonObject *obj, Error **errp);
DeviceState *qdev_device_add_str(const char *arg, Error **errp);

/*
 * "info qtree": the tree under the root bus in QEMU's format ("bus: NAME",
 * "type KIND", "dev: TYPE, id \"ID\"", then "name = value" per property,
 * two spaces per level).  Devices on no bus (the interrupt controller) are
 * not in it, as in QEMU.  A bus lists its children in reverse of its order
 * (QEMU: newest first); properties come ancestors' first.
 */
void qdev_print_tree(GString *out);

#endif

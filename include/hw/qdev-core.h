/*
 * The device core: device classes (a type name, properties, realize/reset
 * hooks, a state description), device instances on buses, their QOM-style
 * paths, and their interrupt lines.  Not QOM: one level of C structs.
 */
#ifndef HW_QDEV_CORE_H
#define HW_QDEV_CORE_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/irq.h"

typedef struct DeviceClass DeviceClass;
typedef struct DeviceState DeviceState;
typedef struct BusClass BusClass;
typedef struct BusState BusState;
typedef struct Property Property;
typedef struct VMStateDescription VMStateDescription;

/* The groups "-device help" prints, in QEMU's order. */
typedef enum DeviceCategory {
    DEVICE_CATEGORY_NONE, /* "Uncategorized devices" */
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY_WATCHDOG,
    DEVICE_CATEGORY_MAX
} DeviceCategory;

/*
 * A device type.  Bus-specific classes embed this as their first member
 * (SpaprVioDeviceClass).  Everything is static const data.
 */
struct DeviceClass {
    const char *name;          /* QEMU's type name: "spapr-vty" */
    const DeviceClass *parent; /* properties and bus_type are inherited */
    const char *desc;          /* for -device help (QEMU's, or NULL) */
    const char *alias;         /* QEMU's short name, accepted by -device: "virtio-blk" */
    DeviceCategory category;
    const char *bus_type;           /* the bus kind it plugs into ("spapr-vio-bus"); NULL: none */
    size_t instance_size;           /* >= sizeof(DeviceState); 0: inherited */
    bool abstract;                  /* only a parent of other types */
    bool no_user;                   /* the board creates it; -device refuses it */
    const Property *props;          /* this type's own; ends with DEFINE_PROP_END_OF_LIST() */
    const VMStateDescription *vmsd; /* state for migration and info qtree, or NULL */
    unsigned num_irq_out;           /* interrupt lines the device drives (inherited) */

    /* Fields are zero and properties hold their defaults; set up what realize needs. */
    void (*instance_init)(DeviceState *dev);
    /* Properties are set: check them and start working.  false + errp on failure. */
    bool (*realize)(DeviceState *dev, Error **errp);
    /* Undo realize (release chardevs, host resources). */
    void (*unrealize)(DeviceState *dev);
    /* Back to power-on state; properties stay. */
    void (*reset)(DeviceState *dev);
    /* Describe the device in the device tree; node is the one its bus made for it. */
    int (*fdt)(DeviceState *dev, void *fdt, int node);
};

/* A bus kind.  Bus-specific data follows BusState in a larger struct. */
struct BusClass {
    const char *name;     /* type name shown by -device help: "spapr-vio-bus" */
    size_t instance_size; /* >= sizeof(BusState) */
    /* Before the device's realize: check and assign addresses.  false + errp. */
    bool (*plug)(BusState *bus, DeviceState *dev, Error **errp);
    /* After the device's unrealize. */
    void (*unplug)(BusState *bus, DeviceState *dev);
    /* Order of the children (VIO: ascending reg); NULL: creation order. */
    int (*compare)(DeviceState *a, DeviceState *b);
};

struct BusState {
    const BusClass *cls;
    char *name;          /* "spapr-vio" */
    DeviceState *parent; /* the device providing the bus; NULL for the root */
    GPtrArray *children; /* DeviceState *, owned */
};

struct DeviceState {
    const DeviceClass *cls;
    char *id;   /* id=, or NULL */
    char *path; /* "/machine/peripheral/ID", set when realized */
    BusState *parent_bus;
    GPtrArray *child_buses; /* BusState *, owned */
    bool realized;
    bool user_created;    /* from -device / device_add */
    unsigned num_irq_out; /* the class's num_irq_out (inherited) */
    qemu_irq *irq_out;    /* num_irq_out lines, each NULL until wired */
    GPtrArray *irq_in;    /* qemu_irq the device serves as a sink */
    GPtrArray *props_set; /* names of properties given explicitly (not defaults) */
    char *child_name;     /* board-chosen name under /machine ("ics"), or NULL */
};

/* The state description (vmsd): include/hw/qdev-state.h. */

/* ---- Types ------------------------------------------------------------ */

/* Register a type at start-up (module_init).  Registering twice is a no-op. */
void qdev_register_type(const DeviceClass *cls);
const DeviceClass *qdev_find_type(const char *name);
/* True when cls is ancestor or one of its descendants. */
bool qdev_class_is(const DeviceClass *cls, const DeviceClass *ancestor);
/* The instance size and bus kind, looked up along the parent chain. */
size_t qdev_class_instance_size(const DeviceClass *cls);
const char *qdev_class_bus_type(const DeviceClass *cls);
/* fn(cls) for every registered type (abstract ones too), by name. */
void qdev_type_foreach(void (*fn)(const DeviceClass *cls, void *opaque), void *opaque);
/* fn(prop) for every property of cls, its parents' included, by name. */
void qdev_class_prop_foreach(const DeviceClass *cls,
                             void (*fn)(const DeviceClass *cls, const Property *p, void *opaque),
                             void *opaque);
const Property *qdev_class_find_prop(const DeviceClass *cls, const char *name);

/* ---- Devices ------------------------------------------------------------ */

/*
 * A new, unrealized device of a registered type: fields zeroed, property
 * defaults set, then -global values for the type applied.  NULL + errp when
 * the type is unknown or a -global value is bad ("can't apply global ...").
 */
DeviceState *qdev_try_new(const char *type, Error **errp);
/* The same for board code, where failure is a bug or bad -global: exits. */
DeviceState *qdev_new(const char *type);
/*
 * Plug dev into bus (NULL for a device without a bus), run the bus's plug hook
 * and the class's realize, give it its path.  On failure: false + errp, dev
 * left unrealized and unplugged (the caller frees it with qdev_free).
 */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
/* The same, but dev is freed on failure (pass &error_fatal from board code). */
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp);
/* Unrealize (if realized), unplug, free with its child buses and their devices. */
void qdev_free(DeviceState *dev);
/* Reset dev: its child buses' devices first (depth-first), then dev itself. */
void qdev_reset(DeviceState *dev);
/*
 * Board devices may take a fixed name under /machine: "ics", or a path below
 * an object this model has no device for ("unattached/device[0]/thread[0]/icp").
 */
void qdev_set_child_name(DeviceState *dev, const char *name);
/*
 * Take n numbers of /machine/unattached/device[N] for objects QEMU creates
 * there (the boot CPU cores, named with qdev_set_child_name), so later
 * devices get QEMU's N.
 * Returns the first.
 */
unsigned qdev_unattached_reserve(unsigned n);
bool qdev_set_id(DeviceState *dev, const char *id, Error **errp);

/* Interrupt lines the device drives: the board connects each to a sink. */
void qdev_connect_irq_out(DeviceState *dev, unsigned n, qemu_irq line);
qemu_irq qdev_get_irq_out(DeviceState *dev, unsigned n);
/* Lines the device receives (an interrupt controller's sources). */
void qdev_init_irq_in(DeviceState *dev, qemu_irq_handler handler, unsigned count);
qemu_irq qdev_get_irq_in(DeviceState *dev, unsigned n);

/* ---- Buses and the tree --------------------------------------------------- */

/*
 * A bus of kind cls named name, provided by parent (NULL: the machine's root,
 * "main-system-bus").  The parent owns it.
 */
BusState *qbus_new(const BusClass *cls, DeviceState *parent, const char *name);
/* The machine's root bus ("main-system-bus"), created on first use. */
BusState *qdev_root_bus(void);
/* The first bus of type name, searching the tree depth-first; NULL if none. */
BusState *qbus_find_by_type(const char *type);
/* Reset every device on bus (depth-first, children in bus order). */
void qbus_reset(BusState *bus);
/* Reset every device of the machine: the root bus, then devices with no bus. */
void qdev_reset_all(void);
/* fn(dev) for every realized device, depth-first in bus order, then bus-less ones. */
void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque);

/* Lookup: by QOM path ("/machine/peripheral/con0") or by id ("con0"). */
DeviceState *qdev_find_by_path(const char *path);
DeviceState *qdev_find_by_id(const char *id);

/* Destroy every device and bus (machine teardown; unit tests between cases). */
void qdev_tree_reset(void);
/* qdev_tree_reset() is running: devices go with the machine, not unplugged. */
bool qdev_tree_resetting(void);

/* State tables come with every device. */
#include "hw/qdev-state.h"

#endif

/*
 * Typed device properties: a static table per device class (name, type,
 * offset in the instance, default), parsed once from -device, -global, JSON
 * and QMP, and listed by "-device TYPE,help".
 */
#ifndef HW_QDEV_PROPERTIES_H
#define HW_QDEV_PROPERTIES_H

#include "hw/qdev-core.h"

struct Chardev;
struct DriveInfo;

typedef enum PropertyType {
    PROP_TYPE_END,    /* the table's terminator */
    PROP_TYPE_STR,    /* char *, owned by the device */
    PROP_TYPE_BOOL,   /* bool: on/off, yes/no, true/false */
    PROP_TYPE_UINT8,  /* uint8_t */
    PROP_TYPE_UINT16, /* uint16_t */
    PROP_TYPE_UINT32, /* uint32_t */
    PROP_TYPE_UINT64, /* uint64_t */
    PROP_TYPE_INT32,  /* int32_t */
    PROP_TYPE_INT64,  /* int64_t */
    PROP_TYPE_SIZE,   /* uint64_t, with K/M/G/T/P/E suffixes */
    PROP_TYPE_CHR,    /* struct Chardev *, by chardev id */
    PROP_TYPE_LINK,   /* DeviceState *, by id or QOM path */
    PROP_TYPE_DRIVE,  /* struct DriveInfo *, by -drive id, claimed while set */
    PROP_TYPE_DEVFN,  /* int32_t: a PCI "slot[.function]" in hex, -1: any */
} PropertyType;

struct Property {
    const char *name;
    PropertyType type;
    size_t offset;         /* of the field in the device's instance struct */
    bool set_default;      /* defval is the initial value, and help shows it */
    uint64_t defval;       /* integers (signed ones as their two's complement), bool */
    const char *desc;      /* help text; NULL: the type's own (bool: "on/off") */
    const char *link_type; /* PROP_TYPE_LINK: type named in help, "link<cpu>" */
    const char *type_name; /* help's type when not the kind's (a str parsed as "int") */
};

/* The field's offset, checked at compile time to have type T. */
#define QDEV_PROP_OFFSET(State, field, T)                                                          \
    (offsetof(State, field) +                                                                      \
     0 * sizeof(char[__builtin_types_compatible_p(typeof(((State *)0)->field), T) ? 1 : -1]))

#define DEFINE_PROP_STRING(n, State, field)                                                        \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_STR, .offset = QDEV_PROP_OFFSET(State, field, char *)       \
    }
#define DEFINE_PROP_BOOL(n, State, field, def)                                                     \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_BOOL, .offset = QDEV_PROP_OFFSET(State, field, bool),       \
        .set_default = true, .defval = (def)                                                       \
    }
#define DEFINE_PROP_UINT8(n, State, field, def)                                                    \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_UINT8, .offset = QDEV_PROP_OFFSET(State, field, uint8_t),   \
        .set_default = true, .defval = (uint8_t)(def)                                              \
    }
#define DEFINE_PROP_UINT16(n, State, field, def)                                                   \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_UINT16, .offset = QDEV_PROP_OFFSET(State, field, uint16_t), \
        .set_default = true, .defval = (uint16_t)(def)                                             \
    }
#define DEFINE_PROP_UINT32(n, State, field, def)                                                   \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_UINT32, .offset = QDEV_PROP_OFFSET(State, field, uint32_t), \
        .set_default = true, .defval = (uint32_t)(def)                                             \
    }
#define DEFINE_PROP_UINT64(n, State, field, def)                                                   \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_UINT64, .offset = QDEV_PROP_OFFSET(State, field, uint64_t), \
        .set_default = true, .defval = (def)                                                       \
    }
#define DEFINE_PROP_INT32(n, State, field, def)                                                    \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_INT32, .offset = QDEV_PROP_OFFSET(State, field, int32_t),   \
        .set_default = true, .defval = (uint64_t)(int64_t)(def)                                    \
    }
#define DEFINE_PROP_INT64(n, State, field, def)                                                    \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_INT64, .offset = QDEV_PROP_OFFSET(State, field, int64_t),   \
        .set_default = true, .defval = (uint64_t)(int64_t)(def)                                    \
    }
#define DEFINE_PROP_SIZE(n, State, field, def)                                                     \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_SIZE, .offset = QDEV_PROP_OFFSET(State, field, uint64_t),   \
        .set_default = true, .defval = (def)                                                       \
    }
#define DEFINE_PROP_CHR(n, State, field)                                                           \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_CHR,                                                        \
        .offset = QDEV_PROP_OFFSET(State, field, struct Chardev *),                                \
        .desc = "ID of a chardev to use as a backend"                                              \
    }
#define DEFINE_PROP_LINK(n, State, field, ltype)                                                   \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_LINK,                                                       \
        .offset = QDEV_PROP_OFFSET(State, field, DeviceState *), .link_type = (ltype)              \
    }
#define DEFINE_PROP_DRIVE(n, State, field)                                                         \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_DRIVE,                                                      \
        .offset = QDEV_PROP_OFFSET(State, field, struct DriveInfo *),                              \
        .desc = "Node name or ID of a block device to use as a backend"                            \
    }
#define DEFINE_PROP_PCI_DEVFN(n, State, field, def)                                                \
    {                                                                                              \
        .name = (n), .type = PROP_TYPE_DEVFN, .offset = QDEV_PROP_OFFSET(State, field, int32_t),   \
        .set_default = true, .defval = (uint64_t)(int64_t)(def),                                   \
        .desc = "Slot and optional function number, example: 06.0 or 06"                           \
    }
#define DEFINE_PROP_END_OF_LIST()                                                                  \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/*
 * Where a textual value comes from: QEMU words its errors differently for
 * -device key=value ("Parameter 'reg' expects integer") and for -global
 * ("Parameter 'reg' expects uint64").
 */
typedef enum PropSource {
    PROP_SRC_CMDLINE,
    PROP_SRC_GLOBAL,
} PropSource;

/*
 * Set a property from text.  Errors are QEMU's: "Property 'spapr-vty.foo' not
 * found", "Parameter 'reg' expects uint32_t", "Parameter 'x' expects 'on' or
 * 'off'", "Property 'spapr-vty.chardev' can't find value 'c'".
 */
bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value, PropSource src,
                     Error **errp);

/*
 * Typed setters for JSON and QMP values (no text in between): an integer for
 * an integer property, range-checked; a bool for a bool; a string for a
 * string, chardev or link.  A JSON value of the wrong kind gets QEMU's error
 * from qdev_prop_set_wrong_kind().
 */
bool qdev_prop_set_integer(DeviceState *dev, const char *name, int64_t v, bool is_unsigned,
                           Error **errp);
bool qdev_prop_set_boolean(DeviceState *dev, const char *name, bool v, Error **errp);
bool qdev_prop_set_text(DeviceState *dev, const char *name, const char *v, Error **errp);
/* A value of the wrong JSON kind ("string", "integer", "boolean", "other"). */
bool qdev_prop_set_wrong_kind(DeviceState *dev, const char *name, const char *kind, Error **errp);

/* Board setters: a mistake here is a programming error (abort). */
void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value);
void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value);
void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value);
void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value);
void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value);
void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value);
void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value);
void qdev_prop_set_chr(DeviceState *dev, const char *name, struct Chardev *chr);
void qdev_prop_set_link(DeviceState *dev, const char *name, DeviceState *target);

/* True when name was given explicitly (-device, -global, a setter), not defaulted. */
bool qdev_prop_is_set(DeviceState *dev, const char *name);

/* The value as text, as "info qtree" and qom-get show it ("4294967295", "on"). */
char *qdev_prop_to_string(DeviceState *dev, const Property *p);
/* "uint32", "str", "bool", "link<cpu>": the type name help and QMP show. */
const char *qdev_prop_type_name(const Property *p, char *buf, size_t len);

/* Internal to the core: set defaults at creation, free owned values. */
void qdev_props_init(DeviceState *dev);
void qdev_props_release(DeviceState *dev);

/* ---- -global ------------------------------------------------------------- */

/*
 * -global TYPE.PROP=VALUE or -global driver=TYPE,property=PROP,value=VALUE.
 * Values are checked when a device of TYPE is created; a type that never
 * appears is ignored, as QEMU does.  false + errp when arg is malformed.
 */
bool qdev_global_add(const char *arg, Error **errp);
/* Apply the globals for dev's type (and its parents'); "can't apply global ..." */
bool qdev_global_apply(DeviceState *dev, Error **errp);
void qdev_global_clear(void);

#endif

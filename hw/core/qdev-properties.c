/*
 * Device properties (include/hw/qdev-properties.h): defaults, typed parsing
 * with QEMU's error messages, board setters, and -global.
 */
#include "hw/qdev-properties.h"
#include "chardev/char.h"
#include "qemu/option.h"
#include "sysemu/blockdev.h"

/* ---- Tables ---------------------------------------------------------------- */

const Property *qdev_class_find_prop(const DeviceClass *cls, const char *name)
{
    for (; cls; cls = cls->parent) {
        for (const Property *p = cls->props; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

static gint prop_cmp(gconstpointer a, gconstpointer b)
{
    const Property *pa = *(const Property *const *)a;
    const Property *pb = *(const Property *const *)b;

    return strcmp(pa->name, pb->name);
}

void qdev_class_prop_foreach(const DeviceClass *cls,
                             void (*fn)(const DeviceClass *cls, const Property *p, void *opaque),
                             void *opaque)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new();

    for (const DeviceClass *c = cls; c; c = c->parent) {
        for (const Property *p = c->props; p && p->name; p++) {
            /* A subclass's property hides a parent's of the same name. */
            if (qdev_class_find_prop(cls, p->name) == p) {
                g_ptr_array_add(all, (gpointer)p);
            }
        }
    }
    g_ptr_array_sort(all, prop_cmp);
    for (guint i = 0; i < all->len; i++) {
        fn(cls, g_ptr_array_index(all, i), opaque);
    }
}

static void *prop_ptr(DeviceState *dev, const Property *p)
{
    return (uint8_t *)dev + p->offset;
}

static void store_uint(DeviceState *dev, const Property *p, uint64_t v)
{
    void *ptr = prop_ptr(dev, p);

    switch (p->type) {
    case PROP_TYPE_BOOL:
        *(bool *)ptr = v != 0;
        break;
    case PROP_TYPE_UINT8:
        *(uint8_t *)ptr = v;
        break;
    case PROP_TYPE_UINT16:
        *(uint16_t *)ptr = v;
        break;
    case PROP_TYPE_UINT32:
        *(uint32_t *)ptr = v;
        break;
    case PROP_TYPE_INT32:
    case PROP_TYPE_DEVFN:
        *(int32_t *)ptr = (int32_t)(int64_t)v;
        break;
    case PROP_TYPE_INT64:
        *(int64_t *)ptr = (int64_t)v;
        break;
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        *(uint64_t *)ptr = v;
        break;
    default:
        g_assert_not_reached();
    }
}

static void defaults_of(const DeviceClass *cls, const DeviceClass *leaf, DeviceState *dev)
{
    if (!cls) {
        return;
    }
    defaults_of(cls->parent, leaf, dev);
    for (const Property *p = cls->props; p && p->name; p++) {
        if (p->set_default && qdev_class_find_prop(leaf, p->name) == p) {
            store_uint(dev, p, p->defval);
        }
    }
}

void qdev_props_init(DeviceState *dev)
{
    defaults_of(dev->cls, dev->cls, dev);
}

static void release_one(const DeviceClass *cls, const Property *p, void *opaque)
{
    DeviceState *dev = opaque;

    if (p->type == PROP_TYPE_STR) {
        g_clear_pointer((char **)prop_ptr(dev, p), g_free);
    }
    if (p->type == PROP_TYPE_DRIVE && *(DriveInfo **)prop_ptr(dev, p)) {
        /*
         * An unplugged device takes its -drive with it (QEMU's auto-delete);
         * at machine teardown the drives stay for drive_cleanup().
         */
        if (dev->realized && !qdev_tree_resetting()) {
            drive_auto_delete(*(DriveInfo **)prop_ptr(dev, p));
        } else {
            drive_release(*(DriveInfo **)prop_ptr(dev, p));
        }
        *(DriveInfo **)prop_ptr(dev, p) = NULL;
    }
}

void qdev_props_release(DeviceState *dev)
{
    qdev_class_prop_foreach(dev->cls, release_one, dev);
}

static void mark_set(DeviceState *dev, const char *name)
{
    if (!qdev_prop_is_set(dev, name)) {
        g_ptr_array_add(dev->props_set, g_strdup(name));
    }
}

bool qdev_prop_is_set(DeviceState *dev, const char *name)
{
    for (guint i = 0; i < dev->props_set->len; i++) {
        if (!strcmp(g_ptr_array_index(dev->props_set, i), name)) {
            return true;
        }
    }
    return false;
}

static const Property *lookup(DeviceState *dev, const char *name, Error **errp)
{
    const Property *p = qdev_class_find_prop(dev->cls, name);

    if (!p) {
        error_setg(errp, "Property '%s.%s' not found", dev->cls->name, name);
    }
    return p;
}

/* ---- Integers ---------------------------------------------------------------- */

static bool is_signed_type(PropertyType t)
{
    return t == PROP_TYPE_INT32 || t == PROP_TYPE_INT64;
}

/* The C type QEMU names when a value is out of range, and the range. */
static const char *int_limits(const Property *p, int64_t *min, uint64_t *max)
{
    *min = 0;
    switch (p->type) {
    case PROP_TYPE_UINT8:
        *max = UINT8_MAX;
        return "uint8_t";
    case PROP_TYPE_UINT16:
        *max = UINT16_MAX;
        return "uint16_t";
    case PROP_TYPE_UINT32:
        *max = UINT32_MAX;
        return "uint32_t";
    case PROP_TYPE_INT32:
        *min = INT32_MIN;
        *max = INT32_MAX;
        return "int32_t";
    case PROP_TYPE_INT64:
        *min = INT64_MIN;
        *max = INT64_MAX;
        return "integer"; /* only text can be out of range: not a number to QEMU */
    default:
        *max = UINT64_MAX;
        return "uint64";
    }
}

/* Store v (negative when neg) after the range check of p's type. */
static bool store_checked(DeviceState *dev, const Property *p, uint64_t mag, bool neg, Error **errp)
{
    int64_t min;
    uint64_t max;
    const char *ctype = int_limits(p, &min, &max);

    if (p->type == PROP_TYPE_UINT64) {
        /* QEMU takes a negative uint64 modulo 2^64 ("-1" is all ones). */
        store_uint(dev, p, neg ? -mag : mag);
        return true;
    }
    if (neg ? (min == 0 || mag > (uint64_t) - (min + 1) + 1) : mag > max) {
        error_setg(errp, "Parameter '%s' expects %s", p->name, ctype);
        return false;
    }
    store_uint(dev, p, neg ? -mag : mag);
    return true;
}

static bool parse_integer(DeviceState *dev, const Property *p, const char *value, PropSource src,
                          Error **errp)
{
    bool neg = value[0] == '-';
    uint64_t mag;

    if (!qemu_strtou64(neg ? value + 1 : value, &mag)) {
        if (src == PROP_SRC_CMDLINE) {
            error_setg(errp, "Parameter '%s' expects integer", p->name);
        } else {
            error_setg(errp, "Parameter '%s' expects %s", p->name,
                       is_signed_type(p->type) ? "int64" : "uint64");
        }
        return false;
    }
    return store_checked(dev, p, mag, neg, errp);
}

/* ---- Setting from text --------------------------------------------------------- */

static bool chardev_in_use(DeviceState *self, struct Chardev *chr);

static bool set_chardev(DeviceState *dev, const Property *p, const char *value, PropSource src,
                        Error **errp)
{
    struct Chardev **slot = prop_ptr(dev, p);
    struct Chardev *chr;

    if (*slot && src == PROP_SRC_CMDLINE && qdev_prop_is_set(dev, p->name)) {
        error_setg(errp, "-global %s.%s=... conflicts with %s=%s", dev->cls->name, p->name, p->name,
                   value);
        return false;
    }
    if (!*value) {
        *slot = NULL; /* "chardev=": unset, as QEMU; realize then complains */
        return true;
    }
    chr = qemu_chr_find(value);
    if (!chr) {
        error_setg(errp, "Property '%s.%s' can't find value '%s'", dev->cls->name, p->name, value);
        return false;
    }
    if (chardev_in_use(dev, chr)) {
        error_setg(errp, "Property '%s.%s' can't take value '%s': Device '%s' is in use",
                   dev->cls->name, p->name, value, value);
        return false;
    }
    *slot = chr;
    return true;
}

static bool set_link(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    DeviceState *target = qdev_find_by_id(value);
    const DeviceClass *want = p->link_type ? qdev_find_type(p->link_type) : NULL;

    if (!target) {
        target = qdev_find_by_path(value);
    }
    if (!target) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", value);
        return false;
    }
    if (want && !qdev_class_is(target->cls, want)) {
        error_setg(errp, "Invalid link type for property '%s': expected %s", p->name, p->link_type);
        return false;
    }
    *(DeviceState **)prop_ptr(dev, p) = target;
    return true;
}

static bool global_given(DeviceState *dev, const char *property);

/*
 * drive=ID: the drive is looked up and taken when the value is set, so a bad
 * -global names itself.  A second value after a -global one is refused.
 */
static bool set_drive(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    DriveInfo **slot = prop_ptr(dev, p);
    DriveInfo *d;

    if (*slot && global_given(dev, p->name)) {
        error_setg(errp, "-global %s.%s=... conflicts with %s=%s", dev->cls->name, p->name, p->name,
                   value);
        return false;
    }
    if (!*value) {
        /* "drive=": no drive, as QEMU. */
        g_clear_pointer(slot, drive_release);
        return true;
    }
    d = drive_get_by_id(value);
    if (!d) {
        error_setg(errp, "Property '%s.%s' can't find value '%s'", dev->cls->name, p->name, value);
        return false;
    }
    if (d != *slot && !drive_claim(d, dev)) {
        error_setg(errp,
                   drive_is_if_none(d) ? "Drive '%s' is already in use by another device"
                                       : "Drive '%s' is already in use because it has been "
                                         "automatically connected to another device (did you "
                                         "need 'if=none' in the drive options?)",
                   value);
        return false;
    }
    if (*slot && *slot != d) {
        drive_release(*slot);
    }
    *slot = d;
    return true;
}

/* A PCI address as QEMU's "addr" takes it: slot[.function], both hex. */
static bool parse_pci_devfn(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    unsigned long slot, fn = 0;
    char *end;

    slot = strtoul(value, &end, 16);
    if (end != value && *end == '.' && g_ascii_isxdigit(end[1])) {
        fn = strtoul(end + 1, &end, 16);
    }
    if (end == value || *end || !g_ascii_isxdigit(value[0]) || slot > 0x1f || fn > 7) {
        error_setg(errp, "Property '%s.%s' doesn't take value '%s'", dev->cls->name, p->name,
                   value);
        return false;
    }
    store_uint(dev, p, slot << 3 | fn);
    return true;
}

static bool parse_value(DeviceState *dev, const Property *p, const char *value, PropSource src,
                        Error **errp)
{
    bool b;
    uint64_t v;

    switch (p->type) {
    case PROP_TYPE_STR:
        g_free(*(char **)prop_ptr(dev, p));
        *(char **)prop_ptr(dev, p) = g_strdup(value);
        return true;
    case PROP_TYPE_BOOL:
        if (!qemu_parse_bool(value, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", p->name);
            return false;
        }
        store_uint(dev, p, b);
        return true;
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
        return parse_integer(dev, p, value, src, errp);
    case PROP_TYPE_SIZE:
        if (!qemu_strtosz(value, 1, &v)) {
            error_setg(errp, "Parameter '%s' expects size", p->name);
            return false;
        }
        store_uint(dev, p, v);
        return true;
    case PROP_TYPE_CHR:
        return set_chardev(dev, p, value, src, errp);
    case PROP_TYPE_LINK:
        return set_link(dev, p, value, errp);
    case PROP_TYPE_DRIVE:
        return set_drive(dev, p, value, errp);
    case PROP_TYPE_DEVFN:
        return parse_pci_devfn(dev, p, value, errp);
    case PROP_TYPE_END:
        break;
    }
    g_assert_not_reached();
}

bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value, PropSource src,
                     Error **errp)
{
    const Property *p = lookup(dev, name, errp);

    if (!p || !parse_value(dev, p, value, src, errp)) {
        return false;
    }
    mark_set(dev, name);
    return true;
}

/* ---- Typed setters (JSON, QMP) ------------------------------------------------- */

static bool is_integer_type(PropertyType t)
{
    return t == PROP_TYPE_UINT8 || t == PROP_TYPE_UINT16 || t == PROP_TYPE_UINT32 ||
           t == PROP_TYPE_UINT64 || t == PROP_TYPE_INT32 || t == PROP_TYPE_INT64 ||
           t == PROP_TYPE_SIZE;
}

static bool is_text_type(PropertyType t)
{
    return t == PROP_TYPE_STR || t == PROP_TYPE_CHR || t == PROP_TYPE_LINK ||
           t == PROP_TYPE_DRIVE || t == PROP_TYPE_DEVFN;
}

/* A JSON value of the wrong kind for p, in QEMU's words. */
static bool kind_mismatch(const Property *p, Error **errp)
{
    if (p->type == PROP_TYPE_BOOL) {
        error_setg(errp, "Invalid parameter type for '%s', expected: boolean", p->name);
    } else if (is_text_type(p->type)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string", p->name);
    } else {
        error_setg(errp, "Parameter '%s' expects %s", p->name,
                   is_signed_type(p->type) ? "int64" : "uint64");
    }
    return false;
}

bool qdev_prop_set_integer(DeviceState *dev, const char *name, int64_t v, bool is_unsigned,
                           Error **errp)
{
    const Property *p = lookup(dev, name, errp);
    bool neg = !is_unsigned && v < 0;

    if (!p) {
        return false;
    }
    if (!is_integer_type(p->type)) {
        return kind_mismatch(p, errp);
    }
    if (neg && p->type == PROP_TYPE_UINT64) {
        error_setg(errp, "Parameter '%s' expects uint64", p->name);
        return false;
    }
    if (neg && p->type == PROP_TYPE_SIZE) {
        error_setg(errp, "Parameter '%s' expects size", p->name);
        return false;
    }
    if (!store_checked(dev, p, neg ? -(uint64_t)v : (uint64_t)v, neg, errp)) {
        return false;
    }
    mark_set(dev, name);
    return true;
}

bool qdev_prop_set_boolean(DeviceState *dev, const char *name, bool v, Error **errp)
{
    const Property *p = lookup(dev, name, errp);

    if (!p) {
        return false;
    }
    if (p->type != PROP_TYPE_BOOL) {
        return kind_mismatch(p, errp);
    }
    store_uint(dev, p, v);
    mark_set(dev, name);
    return true;
}

bool qdev_prop_set_text(DeviceState *dev, const char *name, const char *v, Error **errp)
{
    const Property *p = lookup(dev, name, errp);

    if (!p) {
        return false;
    }
    if (!is_text_type(p->type)) {
        return kind_mismatch(p, errp);
    }
    return qdev_prop_parse(dev, name, v, PROP_SRC_CMDLINE, errp);
}

bool qdev_prop_set_wrong_kind(DeviceState *dev, const char *name, const char *kind, Error **errp)
{
    const Property *p = lookup(dev, name, errp);

    return p ? kind_mismatch(p, errp) : false;
}

/* ---- Board setters ----------------------------------------------------------------- */

static const Property *board_prop(DeviceState *dev, const char *name, PropertyType type)
{
    const Property *p = qdev_class_find_prop(dev->cls, name);

    if (!p || p->type != type) {
        fprintf(stderr, "qdev: %s has no %s property of the type set\n", dev->cls->name, name);
        abort();
    }
    mark_set(dev, name);
    return p;
}

void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value)
{
    const Property *p = board_prop(dev, name, PROP_TYPE_STR);

    g_free(*(char **)prop_ptr(dev, p));
    *(char **)prop_ptr(dev, p) = g_strdup(value);
}

void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value)
{
    store_uint(dev, board_prop(dev, name, PROP_TYPE_BOOL), value);
}

void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value)
{
    store_uint(dev, board_prop(dev, name, PROP_TYPE_UINT8), value);
}

void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value)
{
    store_uint(dev, board_prop(dev, name, PROP_TYPE_UINT16), value);
}

void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value)
{
    store_uint(dev, board_prop(dev, name, PROP_TYPE_UINT32), value);
}

void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value)
{
    const Property *p = qdev_class_find_prop(dev->cls, name);

    store_uint(
        dev,
        board_prop(dev, name, p && p->type == PROP_TYPE_SIZE ? PROP_TYPE_SIZE : PROP_TYPE_UINT64),
        value);
}

void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value)
{
    store_uint(dev, board_prop(dev, name, PROP_TYPE_INT32), (uint64_t)(int64_t)value);
}

void qdev_prop_set_chr(DeviceState *dev, const char *name, struct Chardev *chr)
{
    *(struct Chardev **)prop_ptr(dev, board_prop(dev, name, PROP_TYPE_CHR)) = chr;
}

void qdev_prop_set_link(DeviceState *dev, const char *name, DeviceState *target)
{
    *(DeviceState **)prop_ptr(dev, board_prop(dev, name, PROP_TYPE_LINK)) = target;
}

/* ---- Reading ------------------------------------------------------------------------ */

typedef struct ChrUse {
    DeviceState *self;
    struct Chardev *chr;
    bool used;
} ChrUse;

static void chr_prop_used(const DeviceClass *cls, const Property *p, void *opaque)
{
    ChrUse *u = opaque;

    (void)cls;
    if (p->type == PROP_TYPE_CHR && *(struct Chardev **)prop_ptr(u->self, p) == u->chr) {
        u->used = true;
    }
}

static void dev_uses_chr(DeviceState *dev, void *opaque)
{
    ChrUse *u = opaque;
    ChrUse one = { dev, u->chr, false };

    qdev_class_prop_foreach(dev->cls, chr_prop_used, &one);
    u->used |= one.used;
}

/* Another realized device already takes input from chr. */
static bool chardev_in_use(DeviceState *self, struct Chardev *chr)
{
    ChrUse u = { self, chr, false };

    qdev_foreach(dev_uses_chr, &u);
    return u.used;
}

char *qdev_prop_to_string(DeviceState *dev, const Property *p)
{
    const void *ptr = prop_ptr(dev, p);
    struct Chardev *chr;
    DeviceState *target;

    switch (p->type) {
    case PROP_TYPE_STR:
        return g_strdup(*(char *const *)ptr ? *(char *const *)ptr : "");
    case PROP_TYPE_BOOL:
        return g_strdup(*(const bool *)ptr ? "true" : "false");
    case PROP_TYPE_UINT8:
        return g_strdup_printf("%u", *(const uint8_t *)ptr);
    case PROP_TYPE_UINT16:
        return g_strdup_printf("%u", *(const uint16_t *)ptr);
    case PROP_TYPE_UINT32:
        return g_strdup_printf("%" PRIu32, *(const uint32_t *)ptr);
    case PROP_TYPE_INT32:
        return g_strdup_printf("%" PRId32, *(const int32_t *)ptr);
    case PROP_TYPE_INT64:
        return g_strdup_printf("%" PRId64, *(const int64_t *)ptr);
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return g_strdup_printf("%" PRIu64, *(const uint64_t *)ptr);
    case PROP_TYPE_CHR:
        chr = *(struct Chardev *const *)ptr;
        return g_strdup(chr ? qemu_chr_id(chr) : "");
    case PROP_TYPE_LINK:
        target = *(DeviceState *const *)ptr;
        return g_strdup(target && target->path ? target->path : "");
    case PROP_TYPE_DRIVE:
        return g_strdup(*(DriveInfo *const *)ptr ? drive_id(*(DriveInfo *const *)ptr) : "");
    case PROP_TYPE_DEVFN:
        if (*(const int32_t *)ptr < 0) {
            return g_strdup("-1");
        }
        return g_strdup_printf("%02x.%x", *(const int32_t *)ptr >> 3, *(const int32_t *)ptr & 7);
    case PROP_TYPE_END:
        break;
    }
    g_assert_not_reached();
}

const char *qdev_prop_type_name(const Property *p, char *buf, size_t len)
{
    static const char *const names[] = {
        [PROP_TYPE_STR] = "str",       [PROP_TYPE_BOOL] = "bool",     [PROP_TYPE_UINT8] = "uint8",
        [PROP_TYPE_UINT16] = "uint16", [PROP_TYPE_UINT32] = "uint32", [PROP_TYPE_UINT64] = "uint64",
        [PROP_TYPE_INT32] = "int32",   [PROP_TYPE_INT64] = "int64",   [PROP_TYPE_SIZE] = "size",
        [PROP_TYPE_CHR] = "str",       [PROP_TYPE_DRIVE] = "str",     [PROP_TYPE_DEVFN] = "int32",
    };

    /* a string naming an object (pc-dimm's memdev) shows as QEMU's link too */
    if (p->type == PROP_TYPE_LINK || (p->type == PROP_TYPE_STR && p->link_type)) {
        snprintf(buf, len, "link<%s>", p->link_type ? p->link_type : "device");
        return buf;
    }
    return p->type_name ? p->type_name : names[p->type];
}

/* ---- -global --------------------------------------------------------------------- */

typedef struct GlobalProp {
    char *driver;
    char *property;
    char *value;
} GlobalProp;

static GPtrArray *globals;

static void global_free(gpointer p)
{
    GlobalProp *g = p;

    g_free(g->driver);
    g_free(g->property);
    g_free(g->value);
    g_free(g);
}

/* "TYPE.PROP=VALUE": both names non-empty, VALUE is everything after the '='. */
static bool split_dotted(const char *arg, GlobalProp *g)
{
    const char *dot = strchr(arg, '.');
    const char *eq = dot ? strchr(dot + 1, '=') : NULL;

    if (!dot || dot == arg || strchr(arg, '=') < dot || !eq || eq == dot + 1) {
        return false;
    }
    g->driver = g_strndup(arg, dot - arg);
    g->property = g_strndup(dot + 1, eq - dot - 1);
    g->value = g_strdup(eq + 1);
    return true;
}

bool qdev_global_add(const char *arg, Error **errp)
{
    GlobalProp *g = g_new0(GlobalProp, 1);
    g_autofree char *perr = NULL;
    QemuOpts *opts;
    const char *unused;

    if (!split_dotted(arg, g)) {
        opts = qemu_opts_parse(arg, NULL, &perr);
        if (!opts) {
            error_setg(errp, "%s", perr);
            global_free(g);
            return false;
        }
        g->driver = g_strdup(qemu_opt_get(opts, "driver"));
        g->property = g_strdup(qemu_opt_get(opts, "property"));
        g->value = g_strdup(qemu_opt_get(opts, "value"));
        unused = qemu_opts_first_unused(opts);
        if (unused) {
            error_setg(errp, "Invalid parameter '%s'", unused);
        } else if (!g->driver || !g->property || !g->value) {
            error_setg(errp, "Parameter '%s' is missing",
                       !g->driver     ? "driver"
                       : !g->property ? "property"
                                      : "value");
        }
        qemu_opts_free(opts);
        if (unused || !g->driver || !g->property || !g->value) {
            global_free(g);
            return false;
        }
    }
    if (!globals) {
        globals = g_ptr_array_new_with_free_func(global_free);
    }
    g_ptr_array_add(globals, g);
    return true;
}

/* A -global names this property of dev's type or a parent's. */
static bool global_given(DeviceState *dev, const char *property)
{
    for (guint i = 0; globals && i < globals->len; i++) {
        GlobalProp *g = g_ptr_array_index(globals, i);

        for (const DeviceClass *c = dev->cls; c; c = c->parent) {
            if (!strcmp(c->name, g->driver) && !strcmp(g->property, property)) {
                return true;
            }
        }
    }
    return false;
}

bool qdev_global_apply(DeviceState *dev, Error **errp)
{
    for (guint i = 0; globals && i < globals->len; i++) {
        GlobalProp *g = g_ptr_array_index(globals, i);
        const DeviceClass *c = dev->cls;
        Error *err = NULL;

        while (c && strcmp(c->name, g->driver)) {
            c = c->parent;
        }
        if (!c) {
            continue;
        }
        if (!qdev_prop_parse(dev, g->property, g->value, PROP_SRC_GLOBAL, &err)) {
            error_setg(errp, "can't apply global %s.%s=%s: %s", g->driver, g->property, g->value,
                       error_get_pretty(err));
            error_free(err);
            return false;
        }
    }
    return true;
}

void qdev_global_clear(void)
{
    if (globals) {
        g_ptr_array_set_size(globals, 0);
    }
}

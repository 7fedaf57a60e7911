/*
 * Device state streams (include/hw/qdev-state.h): a device's state fields,
 * fixed and variable length, saved as big-endian bytes and loaded all or nothing.
 */
#include "hw/qdev-state.h"

static const VMStateDescription *class_vmsd(const DeviceClass *cls)
{
    while (cls && !cls->vmsd) {
        cls = cls->parent;
    }
    return cls ? cls->vmsd : NULL;
}

static size_t vms_elem_size(VMStateType t)
{
    switch (t) {
    case VMS_BOOL:
    case VMS_UINT8:
        return 1;
    case VMS_UINT16:
        return 2;
    case VMS_UINT32:
        return 4;
    case VMS_UINT64:
        return 8;
    case VMS_END:
    case VMS_STRUCT:
    case VMS_CUSTOM:
        break;
    }
    g_assert_not_reached();
}

static uint64_t vms_get(VMStateType t, const uint8_t *p)
{
    switch (t) {
    case VMS_BOOL:
        return *(const bool *)p;
    case VMS_UINT8:
        return *p;
    case VMS_UINT16:
        return *(const uint16_t *)p;
    case VMS_UINT32:
        return *(const uint32_t *)p;
    case VMS_UINT64:
        return *(const uint64_t *)p;
    case VMS_END:
    case VMS_STRUCT:
    case VMS_CUSTOM:
        break;
    }
    g_assert_not_reached();
}

static void vms_put(VMStateType t, uint8_t *p, uint64_t v)
{
    switch (t) {
    case VMS_BOOL:
        *(bool *)p = v != 0;
        return;
    case VMS_UINT8:
        *p = v;
        return;
    case VMS_UINT16:
        *(uint16_t *)p = v;
        return;
    case VMS_UINT32:
        *(uint32_t *)p = v;
        return;
    case VMS_UINT64:
        *(uint64_t *)p = v;
        return;
    case VMS_END:
    case VMS_STRUCT:
    case VMS_CUSTOM:
        break;
    }
    g_assert_not_reached();
}

static size_t field_count(const VMStateField *f, const uint8_t *base)
{
    return f->flags & VMS_F_VARRAY ? *(const uint32_t *)(base + f->num_offset) : f->count;
}

static uint8_t *field_data(const VMStateField *f, uint8_t *base)
{
    uint8_t *p = base + f->offset;

    return f->flags & VMS_F_POINTER ? *(uint8_t **)p : p;
}

/*
 * One walk over the fields serves every use: measure the stream an instance
 * makes, save it, check a stream against the instance, or load it.
 */
typedef enum WalkMode { WALK_SIZE, WALK_SAVE, WALK_CHECK, WALK_LOAD } WalkMode;

typedef struct StateWalk {
    WalkMode mode;
    size_t pos;         /* bytes of the stream walked so far */
    GByteArray *out;    /* WALK_SAVE */
    const uint8_t *buf; /* WALK_CHECK, WALK_LOAD */
    size_t len;
    const char *dev_name;
    Error **errp;
} StateWalk;

static uint64_t read_be(const uint8_t *p, size_t size)
{
    uint64_t v = 0;

    for (size_t b = 0; b < size; b++) {
        v = (v << 8) | p[b];
    }
    return v;
}

/* One element of a scalar field; false (WALK_CHECK) when an EQUAL field differs. */
static bool walk_scalar(StateWalk *w, const VMStateField *f, uint8_t *p)
{
    size_t size = vms_elem_size(f->type);
    uint8_t be[8];
    uint64_t v;

    switch (w->mode) {
    case WALK_SIZE:
        break;
    case WALK_SAVE:
        v = vms_get(f->type, p);
        for (size_t b = 0; b < size; b++) {
            be[b] = v >> (8 * (size - 1 - b));
        }
        g_byte_array_append(w->out, be, size);
        break;
    case WALK_CHECK:
        /* A short stream is reported by its length, once the walk is done. */
        if (w->pos + size <= w->len && (f->flags & VMS_F_EQUAL)) {
            v = read_be(w->buf + w->pos, size);
            if (v != vms_get(f->type, p)) {
                error_setg(w->errp, "%s: %s is %" PRIu64 " in the state, %" PRIu64 " here",
                           w->dev_name, f->name, v, vms_get(f->type, p));
                return false;
            }
        }
        break;
    case WALK_LOAD:
        /* A length that is not EQUAL would let the walk run past the stream. */
        g_assert(w->pos + size <= w->len);
        if (!(f->flags & VMS_F_EQUAL)) {
            vms_put(f->type, p, read_be(w->buf + w->pos, size));
        }
        break;
    }
    w->pos += size;
    return true;
}

/* A VMS_CUSTOM member: its hooks write, check or read the bytes. */
static bool walk_custom(StateWalk *w, const VMStateField *f, uint8_t *member)
{
    const VMStateCustom *c = f->custom;
    size_t size = c->size(member);

    switch (w->mode) {
    case WALK_SIZE:
        break;
    case WALK_SAVE:
        c->save(member, w->out);
        break;
    case WALK_CHECK:
        if (w->pos + size <= w->len && c->check &&
            !c->check(member, w->buf + w->pos, size, w->errp)) {
            return false;
        }
        break;
    case WALK_LOAD:
        g_assert(w->pos + size <= w->len);
        c->load(member, w->buf + w->pos, size);
        break;
    }
    w->pos += size;
    return true;
}

static bool walk_fields(StateWalk *w, const VMStateField *fields, uint8_t *base)
{
    for (const VMStateField *f = fields; f && f->name; f++) {
        if (f->type == VMS_CUSTOM) {
            if (!walk_custom(w, f, base + f->offset)) {
                return false;
            }
            continue;
        }
        size_t n = field_count(f, base);
        uint8_t *p = field_data(f, base);
        size_t step = f->type == VMS_STRUCT ? f->elem_size : vms_elem_size(f->type);

        g_assert(n == 0 || p);
        for (size_t i = 0; i < n; i++) {
            bool ok = f->type == VMS_STRUCT ? walk_fields(w, f->vmsd->fields, p + i * step)
                                            : walk_scalar(w, f, p + i * step);
            if (!ok) {
                return false;
            }
        }
    }
    return true;
}

static bool walk_device(DeviceState *dev, StateWalk *w)
{
    const VMStateDescription *vmsd = class_vmsd(dev->cls);

    w->dev_name = dev->cls->name;
    return walk_fields(w, vmsd ? vmsd->fields : NULL, (uint8_t *)dev);
}

GByteArray *qdev_state_save(DeviceState *dev)
{
    const VMStateDescription *vmsd = class_vmsd(dev->cls);
    StateWalk w = { .mode = WALK_SAVE, .out = g_byte_array_new() };

    if (vmsd && vmsd->pre_save) {
        vmsd->pre_save(dev);
    }

    walk_device(dev, &w);
    return w.out;
}

bool qdev_state_load(DeviceState *dev, const uint8_t *buf, size_t len, Error **errp)
{
    const VMStateDescription *vmsd = class_vmsd(dev->cls);
    StateWalk size = { .mode = WALK_SIZE };
    StateWalk check = { .mode = WALK_CHECK, .buf = buf, .len = len, .errp = errp };
    StateWalk load = { .mode = WALK_LOAD, .buf = buf, .len = len };
    g_autoptr(GByteArray) before = NULL;

    /* Lengths come from the instance, so its own walk measures the stream. */
    walk_device(dev, &size);
    if (!walk_device(dev, &check)) {
        return false;
    }
    if (len != size.pos) {
        error_setg(errp, "%s: state is %zu bytes, expected %zu", dev->cls->name, len, size.pos);
        return false;
    }
    if (vmsd && vmsd->post_load) {
        before = qdev_state_save(dev);
    }
    walk_device(dev, &load);
    /* EQUAL fields were not written, so every length stayed what it was. */
    g_assert(load.pos == len);
    if (vmsd && vmsd->post_load && !vmsd->post_load(dev, errp)) {
        StateWalk undo = { .mode = WALK_LOAD, .buf = before->data, .len = before->len };

        walk_device(dev, &undo);
        return false;
    }
    return true;
}

void qdev_state_foreach(DeviceState *dev,
                        void (*fn)(const VMStateField *f, const void *data, size_t count,
                                   void *opaque),
                        void *opaque)
{
    const VMStateDescription *vmsd = class_vmsd(dev->cls);

    for (const VMStateField *f = vmsd ? vmsd->fields : NULL; f && f->name; f++) {
        fn(f, field_data(f, (uint8_t *)dev), field_count(f, (uint8_t *)dev), opaque);
    }
}

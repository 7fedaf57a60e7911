/*
 * Device state descriptions (QEMU's VMStateDescription): the table of a
 * device's guest-visible fields that migration, state dumps and "info qtree" read.
 */
#ifndef HW_QDEV_STATE_H
#define HW_QDEV_STATE_H

#include "hw/qdev-core.h"

typedef enum VMStateType {
    VMS_END,
    VMS_BOOL,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_STRUCT, /* elements of elem_size bytes, each described by .vmsd */
    VMS_CUSTOM, /* bytes a VMStateCustom's hooks write and read */
} VMStateType;

/*
 * State a table cannot describe (a structure private to another file, a
 * length derived from several fields): the hooks get the member's address.
 * size() is the instance's length in the stream, which load() is always
 * given; check() (optional) refuses a stream before anything is loaded.
 */
typedef struct VMStateCustom {
    size_t (*size)(const void *member);
    void (*save)(const void *member, GByteArray *out);
    bool (*check)(const void *member, const uint8_t *buf, size_t len, Error **errp);
    void (*load)(void *member, const uint8_t *buf, size_t len);
} VMStateCustom;

/* How a field's elements are found and loaded (VMStateField.flags). */
#define VMS_F_POINTER 0x1 /* the member is a pointer to the elements */
#define VMS_F_VARRAY 0x2  /* the count is the uint32_t at num_offset, not .count */
#define VMS_F_EQUAL 0x4   /* a load must bring the value already there (a length) */

/*
 * One entry: count elements of type at offset (or, VMS_F_VARRAY, as many as
 * another uint32_t field of the same struct says: the ICS's nr_irqs sources,
 * the nvram's size bytes).  The length of a variable entry is the instance's:
 * a stream made for another length is refused.  A length that is itself state
 * must come first and be VMS_F_EQUAL (VMSTATE_UINT32_EQUAL).
 */
typedef struct VMStateField {
    const char *name;
    VMStateType type;
    size_t offset;
    size_t count; /* elements (a buffer is count uint8s) */
    unsigned flags;
    size_t num_offset;              /* VMS_F_VARRAY: where the count lives */
    size_t elem_size;               /* VMS_STRUCT: sizeof one element */
    const VMStateDescription *vmsd; /* VMS_STRUCT: the element's fields */
    const VMStateCustom *custom;    /* VMS_CUSTOM */
} VMStateField;

struct VMStateDescription {
    const char *name; /* QEMU's section name: "spapr_vty" */
    int version_id;
    const VMStateField *fields; /* ends with VMSTATE_END_OF_LIST() */
    /*
     * After a load (top-level description only): check what fields cannot
     * (a server number that must exist) and rebuild derived state.  On
     * failure it changes nothing and returns false + errp; the load is then
     * undone.
     */
    bool (*post_load)(DeviceState *dev, Error **errp);
    /*
     * Before the fields are saved: bring them up to date from where the
     * state really lives (the host kernel's in-kernel XICS under KVM).
     */
    void (*pre_save)(DeviceState *dev);
};

/* Compile-time check that State's member has C type T (0, or a build error). */
#define VMSTATE_TYPE_CHECK(State, field, T)                                                        \
    (0 * sizeof(char[__builtin_types_compatible_p(typeof(((State *)0)->field), T) ? 1 : -1]))

#define VMSTATE_FIELD_OF(State, field, T, vtype, n)                                                \
    {                                                                                              \
        .name = #field, .type = (vtype), .count = (n),                                             \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, T)                     \
    }
#define VMSTATE_BOOL(field, State) VMSTATE_FIELD_OF(State, field, bool, VMS_BOOL, 1)
#define VMSTATE_UINT8(field, State) VMSTATE_FIELD_OF(State, field, uint8_t, VMS_UINT8, 1)
#define VMSTATE_UINT16(field, State) VMSTATE_FIELD_OF(State, field, uint16_t, VMS_UINT16, 1)
#define VMSTATE_UINT32(field, State) VMSTATE_FIELD_OF(State, field, uint32_t, VMS_UINT32, 1)
#define VMSTATE_UINT64(field, State) VMSTATE_FIELD_OF(State, field, uint64_t, VMS_UINT64, 1)
#define VMSTATE_BUFFER(field, State)                                                               \
    {                                                                                              \
        .name = #field, .type = VMS_UINT8, .offset = offsetof(State, field),                       \
        .count = sizeof(((State *)0)->field)                                                       \
    }
#define VMSTATE_UINT32_ARRAY(field, State, n)                                                      \
    VMSTATE_FIELD_OF(State, field, uint32_t[n], VMS_UINT32, n)
#define VMSTATE_UINT64_ARRAY(field, State, n)                                                      \
    VMSTATE_FIELD_OF(State, field, uint64_t[n], VMS_UINT64, n)
/* A field a load may not change (a length, a size fixed by the configuration). */
#define VMSTATE_EQUAL_OF(State, field, T, vtype)                                                   \
    {                                                                                              \
        .name = #field, .type = (vtype), .count = 1, .flags = VMS_F_EQUAL,                         \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, T)                     \
    }
#define VMSTATE_UINT16_EQUAL(field, State) VMSTATE_EQUAL_OF(State, field, uint16_t, VMS_UINT16)
#define VMSTATE_UINT64_EQUAL(field, State) VMSTATE_EQUAL_OF(State, field, uint64_t, VMS_UINT64)
/* An embedded Type field, described by desc. */
#define VMSTATE_STRUCT(field, State, desc, Type)                                                   \
    {                                                                                              \
        .name = #field, .type = VMS_STRUCT, .count = 1,                                            \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, Type),                 \
        .elem_size = sizeof(Type), .vmsd = &(desc)                                                 \
    }
/* The Type that the pointer field points to, described by desc. */
#define VMSTATE_STRUCT_POINTER(field, State, desc, Type)                                           \
    {                                                                                              \
        .name = #field, .type = VMS_STRUCT, .count = 1, .flags = VMS_F_POINTER,                    \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, Type *),               \
        .elem_size = sizeof(Type), .vmsd = &(desc)                                                 \
    }
/* The first field_num elements of the embedded array Type field[]. */
#define VMSTATE_STRUCT_VARRAY_UINT32(field, State, field_num, desc, Type)                          \
    {                                                                                              \
        .name = #field, .type = VMS_STRUCT, .flags = VMS_F_VARRAY,                                 \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field[0], Type),              \
        .num_offset = offsetof(State, field_num) + VMSTATE_TYPE_CHECK(State, field_num, uint32_t), \
        .elem_size = sizeof(Type), .vmsd = &(desc)                                                 \
    }
/* A member saved and loaded by hooks (VMStateCustom). */
#define VMSTATE_CUSTOM(field, State, hooks)                                                        \
    {                                                                                              \
        .name = #field, .type = VMS_CUSTOM, .count = 1, .offset = offsetof(State, field),          \
        .custom = &(hooks)                                                                         \
    }
/* A uint32_t a load may not change (the length of a variable entry after it). */
#define VMSTATE_UINT32_EQUAL(field, State)                                                         \
    {                                                                                              \
        .name = #field, .type = VMS_UINT32, .count = 1, .flags = VMS_F_EQUAL,                      \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, uint32_t)              \
    }
/* uint8_t *field holding as many bytes as the uint32_t field_size says. */
#define VMSTATE_VBUFFER_UINT32(field, State, field_size)                                           \
    {                                                                                              \
        .name = #field, .type = VMS_UINT8, .flags = VMS_F_POINTER | VMS_F_VARRAY,                  \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, uint8_t *),            \
        .num_offset =                                                                              \
            offsetof(State, field_size) + VMSTATE_TYPE_CHECK(State, field_size, uint32_t)          \
    }
/* Type *field pointing to field_num elements, each described by desc. */
#define VMSTATE_STRUCT_VARRAY_POINTER_UINT32(field, State, field_num, desc, Type)                  \
    {                                                                                              \
        .name = #field, .type = VMS_STRUCT, .flags = VMS_F_POINTER | VMS_F_VARRAY,                 \
        .offset = offsetof(State, field) + VMSTATE_TYPE_CHECK(State, field, Type *),               \
        .num_offset = offsetof(State, field_num) + VMSTATE_TYPE_CHECK(State, field_num, uint32_t), \
        .elem_size = sizeof(Type), .vmsd = &(desc)                                                 \
    }
#define VMSTATE_END_OF_LIST()                                                                      \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/*
 * The device's state fields (its class's vmsd, or none) as a big-endian
 * byte stream, field by field in table order, with no lengths or padding
 * (after the vmsd's pre_save).
 */
GByteArray *qdev_state_save(DeviceState *dev);
/*
 * Load what qdev_state_save wrote.  Refused, with nothing changed, when the
 * stream has the wrong length for this instance, an EQUAL field differs, or
 * the vmsd's post_load refuses: false + errp.
 */
bool qdev_state_load(DeviceState *dev, const uint8_t *buf, size_t len, Error **errp);
/*
 * fn(field, its first element, number of elements) for each top-level
 * field of the device (a VMS_STRUCT field's elements follow its .vmsd).
 */
void qdev_state_foreach(DeviceState *dev,
                        void (*fn)(const VMStateField *f, const void *data, size_t count,
                                   void *opaque),
                        void *opaque);

#endif

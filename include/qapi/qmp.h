/*
 * What a QMP command handler sees: the types the schema generator describes
 * arguments with, the handler signature, errors with QEMU's classes, reply builders.
 */
#ifndef QAPI_QMP_H
#define QAPI_QMP_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <json-glib/json-glib.h>

/* QMP error classes (QEMU's ErrorClass names). */
#define QMP_ERROR_GENERIC "GenericError"
#define QMP_ERROR_COMMAND_NOT_FOUND "CommandNotFound"
#define QMP_ERROR_DEVICE_NOT_FOUND "DeviceNotFound"
#define QMP_ERROR_DEVICE_NOT_ACTIVE "DeviceNotActive"
#define QMP_ERROR_KVM_MISSING_CAP "KVMMissingCap"

/* A failed command: its class and the "desc" text. */
typedef struct QmpError {
    const char *cls;
    char *desc;
} QmpError;

void qmp_error_set(QmpError *err, const char *cls, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
#define qmp_error_setg(err, ...) qmp_error_set(err, QMP_ERROR_GENERIC, __VA_ARGS__)
/* An error of err's class carrying its message; frees err. */
void qmp_error_from(QmpError *qerr, Error *err);

/* ---- Schema types, as generated from the qapi/ schema ----------------------- */

typedef enum QapiKind {
    QAPI_KIND_INT, /* int, int64 */
    QAPI_KIND_INT8,
    QAPI_KIND_INT16,
    QAPI_KIND_INT32,
    QAPI_KIND_UINT8,
    QAPI_KIND_UINT16,
    QAPI_KIND_UINT32,
    QAPI_KIND_UINT64,
    QAPI_KIND_SIZE,
    QAPI_KIND_NUMBER,
    QAPI_KIND_STR,
    QAPI_KIND_BOOL,
    QAPI_KIND_NULL,
    QAPI_KIND_ANY,
    QAPI_KIND_ENUM,
    QAPI_KIND_OBJECT, /* struct, union (tag + variants) */
    QAPI_KIND_ARRAY,
    QAPI_KIND_ALTERNATE,
} QapiKind;

typedef struct QapiType QapiType;

typedef struct QapiMember {
    const char *name;
    const QapiType *type;
    bool optional;
} QapiMember;

typedef struct QapiVariant {
    const char *value;    /* of the tag member */
    const QapiType *type; /* an object whose members are added */
} QapiVariant;

struct QapiType {
    const char *name;
    QapiKind kind;
    const char *const *values; /* enum, NULL-terminated */
    const QapiMember *members; /* object: base members first */
    unsigned n_members;
    const char *tag; /* union: the discriminator member */
    const QapiVariant *variants;
    unsigned n_variants;
    const QapiType *element; /* array */
    const QapiType *const *alternatives;
    unsigned n_alternatives;
};

/*
 * Check value against type (QEMU's input visitor's order and wording); false
 * + err.  name is the member's name in messages (NULL at the top level).
 */
bool qapi_validate(const QapiType *type, JsonNode *value, QmpError *err);
bool qapi_validate_object(const QapiType *type, JsonObject *obj, QmpError *err);

/* ---- Commands -------------------------------------------------------------- */

/*
 * Every handler has this shape: args were checked against the schema; return
 * the "return" value, or NULL with err set.  The generated qapi/qapi-commands.h
 * declares qmp_<name> for each command of the schema.
 */
typedef JsonNode *QmpCommandFn(JsonObject *args, QmpError *err);

enum {
    QMP_CMD_ALLOW_OOB = 1 << 0,
    QMP_CMD_ALLOW_PRECONFIG = 1 << 1,
    /* 'gen': false: the handler checks its own arguments (device_add). */
    QMP_CMD_NO_VALIDATE = 1 << 2,
};

typedef struct QmpCommand {
    const char *name;
    const QapiType *arg_type; /* NULL: no arguments */
    QmpCommandFn *fn;
    unsigned flags;
} QmpCommand;

typedef struct QapiEvent {
    const char *name;
    const QapiType *arg_type;
} QapiEvent;

/* Generated tables (qapi-commands.c). */
extern const QmpCommand qmp_command_table[];
extern const size_t qmp_command_count;
extern const QapiEvent qapi_event_table[];
extern const size_t qapi_event_count;
/* The query-qmp-schema reply, as JSON text. */
extern const char qmp_schema_json[];

const QmpCommand *qmp_command_find(const char *name);
const QapiEvent *qapi_event_find(const char *name);

/* Run fn once the reply of the current command was sent (quit: reply, then exit). */
void qmp_after_reply(void (*fn)(void));

/* ---- Reply builders ---------------------------------------------------- */

/* Wrap (and take over) an object or array. */
JsonNode *qmp_node_object(JsonObject *obj);
JsonNode *qmp_node_array(JsonArray *arr);
/* {} : the reply of a command that returns nothing. */
JsonNode *qmp_return_empty(void);
JsonNode *qmp_node_string(const char *s);
JsonNode *qmp_node_int(int64_t v);
/*
 * An unsigned 64-bit number, printed as QEMU prints a uint64
 * (18446744073709551615, not -1).  json-glib only holds int64, so a value
 * above INT64_MAX is a string node carrying a mark no parsed or UTF-8 text
 * can start with; qmp_node_get_uint64 reads either kind back.
 */
#define QMP_UINT64_MARK "\xff\xfeu64:"
JsonNode *qmp_node_uint64(uint64_t v);
uint64_t qmp_node_get_uint64(JsonNode *node);
/* Whether node is such a marked node (a uint64 above INT64_MAX). */
bool qmp_node_is_big_uint64(JsonNode *node);
JsonNode *qmp_node_bool(bool v);

/* Optional members with their defaults. */
const char *qmp_arg_str(JsonObject *args, const char *name, const char *dflt);
int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt);
bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt);

#endif

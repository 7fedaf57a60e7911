/*
 * QMP internals shared by the session code (qmp.c), the command table
 * (qmp-cmds.c) and the unit test: a session is a byte stream in, text out.
 */
#ifndef MONITOR_QMP_INTERNAL_H
#define MONITOR_QMP_INTERNAL_H

#include "qemu/osdep.h"
#include "qapi/qmp.h"

typedef struct QmpSession QmpSession;
/* Where a session's output (replies, events, greeting) goes. */
typedef void QmpOutputFn(void *opaque, const char *text, size_t len);

QmpSession *qmp_session_new(bool pretty, QmpOutputFn *out, void *opaque);
void qmp_session_free(QmpSession *s);
/* A client connected: forget any old state and send the greeting. */
void qmp_session_open(QmpSession *s);
/* The client went away: forget negotiation and any partial input. */
void qmp_session_close(QmpSession *s);
/* Feed received bytes; complete messages are queued for dispatch. */
void qmp_session_input(QmpSession *s, const uint8_t *buf, size_t len);
/* Messages (and input errors) waiting to be answered. */
unsigned qmp_session_pending(QmpSession *s);
/*
 * Answer the oldest waiting message; false when none.  One per main loop
 * iteration, so the requests a command makes (reset, quit) are carried out
 * before the next command runs, as in QEMU.
 */
bool qmp_session_dispatch_one(QmpSession *s);
bool qmp_session_negotiated(QmpSession *s);
/* The client enabled out-of-band execution (the "oob" capability). */
bool qmp_session_oob(QmpSession *s);
/* Send an event to this session if it has negotiated (data may be NULL). */
void qmp_session_event(QmpSession *s, const char *event, JsonNode *data);

/*
 * Commands sessions may run: a command allow(name) refuses is not found
 * (tests/fuzz keeps quit, migrate and host-file writers out); NULL: all.
 */
void qmp_set_command_filter(bool (*allow)(const char *name));

/* Serialise node the way QEMU prints QMP (", " and ": ", or pretty). */
char *qmp_to_json(JsonNode *node, bool pretty);

#define QMP_CAPABILITIES "qmp_capabilities"

/* What a handler asked to run after its reply (qmp_after_reply), once. */
void (*qmp_take_after_reply(void))(void);
/*
 * One "  name=<type>   - description" line of -machine help: name, type and
 * description (NULL when absent), all allocated.  false for other lines.
 */
bool qmp_parse_help_line(const char *line, char **name, char **type, char **desc);

/* qom-list and qom-get below /objects (qmp-qom-objects.c). */
bool qom_objects_path(const char *path);
JsonNode *qom_objects_list(const char *path, QmpError *err);
JsonNode *qom_objects_get(const char *path, const char *prop, QmpError *err);

/* The query-version "qemu"/"package" object, shared with the greeting. */
JsonNode *qmp_version_info(void);

#endif

/*
 * Errors passed back to the caller (QEMU's include/qapi/error.h shape): a
 * function that can fail takes "Error **errp" as its last argument, sets it
 * with error_setg() and returns false/NULL; the caller reports or propagates.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include "qemu/osdep.h"

typedef struct Error Error;

/*
 * The QMP class an error reaches a client with (QEMU's ErrorClass): almost
 * every error is generic; a few say what was not there.
 */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_DEVICE_NOT_FOUND,
} ErrorClass;

/*
 * Special destinations: error_setg(&error_fatal, ...) reports the message and
 * exits with status 1 (bad user input found late); &error_abort aborts (a
 * programming error).  A NULL errp means "the caller does not care".
 */
extern Error *error_fatal;
extern Error *error_abort;

/* Set *errp to a new error, unless errp is NULL or *errp is already set. */
void error_setg(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The same with a class other than the generic one. */
void error_set(Error **errp, ErrorClass cls, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* A second line printed after the message ("Identifiers consist of ..."). */
void error_append_hint(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Put "fmt..." in front of the message of an error already set. */
void error_prepend(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Move src into *dst (freeing src when *dst is taken or dst is NULL). */
void error_propagate(Error **dst, Error *src);

const char *error_get_pretty(const Error *err);
const char *error_get_hint(const Error *err);
ErrorClass error_get_class(const Error *err);
/* error_report() the message (and its hint), then free the error. */
void error_report_err(Error *err);
void error_free(Error *err);
/* A copy of the message (g_free it), then free the error: for char ** APIs. */
char *error_steal_message(Error *err);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Error, error_free)

#endif

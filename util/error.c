/*
 * Error objects (include/qapi/error.h): a message, an optional hint line, and
 * the two special destinations &error_fatal and &error_abort.
 */
#include "qapi/error.h"
#include "qemu/error-report.h"

struct Error {
    ErrorClass cls;
    char *msg;
    char *hint;
};

Error *error_fatal;
Error *error_abort;

static void error_handle_special(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error: %s\n", err->msg);
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
}

static void error_setv(Error **errp, ErrorClass cls, const char *fmt, va_list ap)
{
    Error *err;

    if (!errp || (errp != &error_fatal && errp != &error_abort && *errp)) {
        return;
    }
    err = g_new0(Error, 1);
    err->cls = cls;
    err->msg = g_strdup_vprintf(fmt, ap);
    error_handle_special(errp, err);
    *errp = err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, fmt, ap);
    va_end(ap);
}

void error_set(Error **errp, ErrorClass cls, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, cls, fmt, ap);
    va_end(ap);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    g_autofree char *add = NULL;
    va_list ap;
    char *old;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    add = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    old = (*errp)->hint;
    (*errp)->hint = g_strconcat(old ? old : "", add, NULL);
    g_free(old);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    g_autofree char *pre = NULL;
    va_list ap;
    char *old;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    pre = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    old = (*errp)->msg;
    (*errp)->msg = g_strconcat(pre, old, NULL);
    g_free(old);
}

void error_propagate(Error **dst, Error *src)
{
    if (!src) {
        return;
    }
    if (dst == &error_fatal || dst == &error_abort) {
        error_handle_special(dst, src);
    }
    if (!dst || *dst) {
        error_free(src);
        return;
    }
    *dst = src;
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

const char *error_get_hint(const Error *err)
{
    return err->hint;
}

ErrorClass error_get_class(const Error *err)
{
    return err->cls;
}

void error_report_err(Error *err)
{
    error_report("%s", err->msg);
    if (err->hint) {
        fputs(err->hint, stderr);
    }
    error_free(err);
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        g_free(err->hint);
        g_free(err);
    }
}

char *error_steal_message(Error *err)
{
    char *msg = g_strdup(err->msg);

    error_free(err);
    return msg;
}

/*
 * User-facing messages: one line on stderr, prefixed with the program name
 * and, while an option is handled, with that option.
 */
#include "qemu/error-report.h"

static char *loc_opt;
static char *loc_value;

void loc_set_cmdline(const char *opt, const char *value)
{
    g_free(loc_opt);
    g_free(loc_value);
    loc_opt = g_strdup(opt);
    loc_value = value ? g_strdup(value) : NULL;
}

void loc_clear(void)
{
    g_clear_pointer(&loc_opt, g_free);
    g_clear_pointer(&loc_value, g_free);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    const char *prog = g_get_prgname();

    fprintf(stderr, "%s: ", prog ? prog : "qemu-system-ppc64");
    if (loc_opt) {
        fprintf(stderr, "%s%s%s: ", loc_opt, loc_value ? " " : "", loc_value ? loc_value : "");
    }
    if (kind) {
        fprintf(stderr, "%s: ", kind);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info", fmt, ap);
    va_end(ap);
}

void error_exit(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    exit(1);
}

/*
 * User-facing messages: one line on stderr, prefixed with the program name
 * and, while an option is handled, with that option; while a monitor command
 * runs, unprefixed, and for HMP on that monitor.
 */
#include "qemu/error-report.h"

static ErrorReportMonitor cur_monitor;

static char *loc_opt;
static char *loc_value;
static char *loc_file; /* a line of a -readconfig file instead of an option */
static int loc_line;

/* "-opt\nvalue" of an option replayed from a file -> its FileLoc. */
static GHashTable *loc_aliases;

typedef struct FileLoc {
    char *file; /* NULL: no location at all */
    int line;
} FileLoc;

void loc_clear(void)
{
    g_clear_pointer(&loc_opt, g_free);
    g_clear_pointer(&loc_value, g_free);
    g_clear_pointer(&loc_file, g_free);
    loc_line = 0;
}

void loc_set_file(const char *file, int line)
{
    loc_clear();
    loc_file = g_strdup(file);
    loc_line = line;
}

static char *alias_key(const char *opt, const char *value)
{
    return g_strconcat(opt, "\n", value ? value : "", NULL);
}

void loc_alias_cmdline(const char *opt, const char *value, const char *file, int line)
{
    FileLoc *l = g_new0(FileLoc, 1);

    if (!loc_aliases) {
        loc_aliases = g_hash_table_new(g_str_hash, g_str_equal);
    }
    l->file = g_strdup(file);
    l->line = line;
    g_hash_table_insert(loc_aliases, alias_key(opt, value), l);
}

void loc_set_cmdline(const char *opt, const char *value)
{
    FileLoc *alias = NULL;

    if (loc_aliases) {
        g_autofree char *key = alias_key(opt, value);

        alias = g_hash_table_lookup(loc_aliases, key);
    }
    loc_clear();
    if (alias) {
        loc_file = g_strdup(alias->file);
        loc_line = alias->line;
        return;
    }
    loc_opt = g_strdup(opt);
    loc_value = value ? g_strdup(value) : NULL;
}

ErrorReportMonitor error_report_set_monitor(ErrorReportMonitor mon)
{
    ErrorReportMonitor old = cur_monitor;

    cur_monitor = mon;
    return old;
}

/* QEMU names neither the program nor a location inside a monitor command. */
static void vreport_monitor(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    g_autofree char *line = g_strdup_printf("%s%s%s\n", kind ? kind : "", kind ? ": " : "", msg);

    if (cur_monitor.print) {
        cur_monitor.print(cur_monitor.opaque, line);
    } else {
        fputs(line, stderr);
    }
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    const char *prog = g_get_prgname();

    if (cur_monitor.active) {
        vreport_monitor(kind, fmt, ap);
        return;
    }

    fprintf(stderr, "%s:", prog ? prog : "qemu-system-ppc64");
    if (loc_file) {
        fprintf(stderr, "%s:", loc_file);
        if (loc_line) {
            fprintf(stderr, "%d:", loc_line);
        }
    }
    fputc(' ', stderr);
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

static void (*error_exit_handler)(void);

void error_exit_set_handler(void (*fn)(void))
{
    error_exit_handler = fn;
}

void error_exit(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    error_exit_status(1);
}

void error_exit_take(char *msg)
{
    static char *last;

    g_free(last);
    last = msg;
    error_exit("%s", msg);
}

void error_exit_status(int status)
{
    if (error_exit_handler) {
        error_exit_handler();
    }
    exit(status);
}

/*
 * Messages for the user: "qemu-system-ppc64: [-opt value: ]what: why" on
 * stderr, one line each.
 */
#ifndef QEMU_ERROR_REPORT_H
#define QEMU_ERROR_REPORT_H

#include "qemu/osdep.h"

/*
 * While a command-line option is being handled, messages are prefixed with
 * "-opt value: " as QEMU does.  loc_clear() ends that.
 */
void loc_set_cmdline(const char *opt, const char *value);
void loc_clear(void);
/* Messages come from line LINE of FILE (-readconfig): "FILE:LINE: " (no LINE if 0). */
void loc_set_file(const char *file, int line);
/*
 * The option OPT VALUE was read from FILE at LINE (FILE NULL: from no place
 * QEMU would name): later loc_set_cmdline(OPT, VALUE) calls, made when the
 * option is acted on, point there instead.
 */
void loc_alias_cmdline(const char *opt, const char *value, const char *file, int line);

/*
 * While a monitor command runs (active), messages carry no program name or
 * location, as QEMU's: a QMP command's go to stderr (print NULL), an HMP
 * command's to print(opaque, line), the monitor's output.  Returns the
 * previous state, for the caller to restore.
 */
typedef struct ErrorReportMonitor {
    bool active;
    void (*print)(void *opaque, const char *line);
    void *opaque;
} ErrorReportMonitor;

ErrorReportMonitor error_report_set_monitor(ErrorReportMonitor mon);

void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* error_report() and exit(1): for bad user input at start-up. */
G_NORETURN void error_exit(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/*
 * error_exit("%s", msg) for a message the caller allocated: it is kept
 * reachable to the end (LeakSanitizer's check at exit), and freed by the
 * next call when a test harness caught the exit (error_exit_set_handler).
 */
G_NORETURN void error_exit_take(char *msg);
/*
 * For a test harness that drives code with such an exit on a path (the
 * libFuzzer targets of tests/fuzz): after the message, error_exit() calls fn
 * instead of exit(1).  fn must not return (it longjmps back to the harness);
 * if it does, the process exits as before.  NULL: the default, exit(1).
 */
void error_exit_set_handler(void (*fn)(void));
/*
 * exit(status) for the start-up paths that end the process without
 * error_exit() (help output, a message already reported): through the same
 * handler when one is set.
 */
G_NORETURN void error_exit_status(int status);

#endif

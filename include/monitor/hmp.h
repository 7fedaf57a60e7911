/*
 * The human monitor (HMP): one command line in, the text QEMU's HMP prints out.
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

#include "qemu/osdep.h"

/* What one monitor keeps between commands (current CPU, last x format...). */
typedef struct HmpSession HmpSession;

HmpSession *hmp_session_new(void);
void hmp_session_free(HmpSession *s);
/* "info history" lists what fn returns (strings, oldest first). */
void hmp_session_set_history(HmpSession *s, GPtrArray *(*fn)(void *opaque), void *opaque);
/* Run one command line in the session; the output ("\n" lines), g_free it. */
char *hmp_session_run(HmpSession *s, const char *cmdline);
/* quit ran on this session: as QEMU's, no "(qemu) " prompt follows it. */
bool hmp_session_quit(const HmpSession *s);

/*
 * A terminal's session (hmp-monitor.c), which can be suspended: there
 * migrate without -d waits for the migration's end before the next prompt,
 * as QEMU 7.2 suspends its monitor (human-monitor-command's session cannot:
 * it says so and continues detached).
 */
void hmp_session_set_suspendable(HmpSession *s);
/* The last command left the session waiting for a migration's end. */
bool hmp_session_waiting(const HmpSession *s);
/*
 * NULL while the migration waited for goes on; once it ended, the text to
 * print before the prompt (g_free it), and the session waits no more. A
 * failure's reason goes to stderr, as QEMU 7.2 reports it.
 */
char *hmp_session_poll_wait(HmpSession *s);

/*
 * Commands that may run (the fuzz target's guard, tests/fuzz/fuzz-hmp.c):
 * allow gets the table's name ("stop|s") and "" or "info " before it; a
 * command it refuses answers as an unknown one.  NULL: every command.
 */
void hmp_set_command_filter(bool (*allow)(const char *prefix, const char *name));

/* Run cmdline in a fresh session with cpu_index as the current CPU (human-monitor-command). */
char *hmp_run(const char *cmdline, int64_t cpu_index);
/* cpu_index names a vCPU of the machine. */
bool hmp_cpu_index_valid(int64_t cpu_index);

/*
 * Names the readline monitor completes: the command names (and aliases)
 * that start with the first word of line, or the info subcommands after
 * "info " and the command names after "help ".  *start is where the word
 * being completed begins.  A sorted array of strings; g_ptr_array_unref it.
 */
GPtrArray *hmp_complete(const char *line, size_t *start);

#endif

/*
 * libFuzzer target: a human monitor session: readline.c's line editor (its
 * keys, escape sequences, history and completion through hmp_complete()),
 * each line it completes run by hmp_session_run() (the command table, the
 * argument parsers, the expression reader of x/xp, the info subcommands)
 * on the real pseries machine, wired as hmp-monitor.c wires them.  Input:
 * the bytes a user types; the output is discarded.  Each input gets a fresh
 * line editor and session, so no history or current CPU carries over.
 *
 * Commands that end the process, write host files, open sockets or spawn
 * (quit, migrate, migrate_incoming, savevm, loadvm, delvm, log, logfile,
 * gdbserver, chardev-add, chardev-change, netdev_add, drive_add, change),
 * run the vCPUs (cont) or change the machine beyond a reset (device_add,
 * device_del) are filtered out through hmp_set_command_filter(): they
 * answer "unknown command".  Every info subcommand runs.
 */
#include "fuzz.h"
#include "monitor/hmp.h"
#include "monitor/readline.h"

static const char *const allowed[] = {
    "announce_self",
    "balloon",
    "block_resize",
    "chardev-remove",
    "chardev-send-break",
    "cpu",
    "drive_del",
    "eject",
    "help|?",
    "info",
    "migrate_cancel",
    "migrate_set_capability",
    "migrate_set_parameter",
    "netdev_del",
    "nmi",
    "ringbuf_read",
    "ringbuf_write",
    "set_link",
    "stop|s",
    "system_powerdown",
    "system_reset",
    "x",
    "xp",
    NULL,
};

typedef struct Session {
    HmpSession *hmp;
    ReadLineState *rs;
} Session;

static bool allow(const char *prefix, const char *name)
{
    return *prefix || g_strv_contains(allowed, name);
}

static void discard(void *opaque, const char *text)
{
}

static void run_line(void *opaque, const char *line)
{
    Session *s = opaque;

    g_free(hmp_session_run(s->hmp, line));
    readline_show_prompt(s->rs);
}

static GPtrArray *history(void *opaque)
{
    return readline_history(((Session *)opaque)->rs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    hmp_set_command_filter(allow);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Session s = { hmp_session_new(), NULL };

    s.rs = readline_new("(qemu) ", discard, run_line, hmp_complete, &s);
    hmp_session_set_history(s.hmp, history, &s);
    fuzz_machine_reset();
    readline_show_prompt(s.rs);
    for (size_t i = 0; i < size; i++) {
        readline_handle_byte(s.rs, data[i]);
    }
    readline_free(s.rs);
    hmp_session_free(s.hmp);
    return 0;
}

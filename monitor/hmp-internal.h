/*
 * What the human monitor's files share: a command's context, the command
 * tables (hmp.c, hmp-info.c) and the argument helpers with QEMU's messages.
 */
#ifndef MONITOR_HMP_INTERNAL_H
#define MONITOR_HMP_INTERNAL_H

#include "monitor/hmp.h"
#include "qapi/error.h"
#include "qapi/qmp.h"
#include "qemu/option.h"
#include "target/ppc/cpu.h"

typedef struct HmpContext {
    GString *out;
    HmpSession *session;
    const char *args;  /* what follows the command name, trimmed */
    const char *typed; /* the command as typed ("info status"), for "Try help" */
    const char *name;  /* the table's name ("stop|s"), for parse errors */
} HmpContext;

typedef struct HmpCommand {
    const char *name;   /* "stop|s": the name, then aliases */
    const char *params; /* shown in help; "" when the command takes none */
    const char *help;
    void (*fn)(HmpContext *ctx);
    bool takes_args;
} HmpCommand;

/* The monitor's state that lasts from one command to the next. */
struct HmpSession {
    /*
     * human-monitor-command: what QEMU reports while parsing the arguments
     * (error_report) goes to stderr, as the current monitor is QMP's.
     */
    bool from_qmp;
    int64_t cpu_index; /* "cpu N": the current CPU */
    char last_format;  /* x/xp: the format and unit size used last */
    int last_size;
    /* The readline history, for "info history" (NULL: none). */
    GPtrArray *(*history)(void *opaque);
    void *history_opaque;
    bool quit; /* quit ran: the monitor shows no prompt any more */
    /* A terminal's session: migrate without -d waits for the end (hmp-migrate.c). */
    bool suspendable;
    bool migrate_wait;  /* it waits now */
    bool migrate_block; /* for a block migration (-b, -i): a blank line at the end */
};

extern const HmpCommand hmp_info_cmds[];
extern const size_t hmp_info_cmds_count;

/* Run a QMP handler; on error print "Error: DESC" and return NULL. */
JsonNode *hmp_qmp(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args);
/* The same for a handler whose reply is only success. */
void hmp_qmp_simple(HmpContext *ctx, QmpCommandFn *fn, JsonObject *args);
/*
 * One whitespace-delimited word of ctx->args; NULL after "CMD: WHAT
 * expected" (unless optional) or the extraneous-characters error.
 */
char *hmp_one_word(HmpContext *ctx, const char *what, bool optional);
/* A parse error: msg, then QEMU's hint naming the command as typed. */
void hmp_arg_error(HmpContext *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * QEMU's flag arguments, declared in the order of flags ("nv" for -n then -v):
 * for each letter in turn, "-L" at *p sets set[i] and is taken; a '-' before
 * a later flag's letter leaves this one unset (so "-v -n" is -v and then the
 * word "-n"); any other "-X" is QEMU's "unsupported option -X".  *p moves
 * past what was taken and the blanks after it; false after the error.
 */
bool hmp_take_flags(HmpContext *ctx, const char **p, const char *flags, bool *set);

/*
 * An expression as QEMU's monitor reads them (numbers in C syntax,
 * 'c', $register, unary - + ~, * / % & | ^ + -, parentheses), starting at
 * *p; *p moves past it.  false after hmp_arg_error().
 */
bool hmp_parse_expr(HmpContext *ctx, const char **p, int64_t *val);
/* The current CPU (the session's, or the first one); NULL without CPUs. */
PowerPCCPU *hmp_current_cpu(HmpContext *ctx);

/*
 * A string argument at *p (QEMU's 's' kind): a word, or a double-quoted
 * string with \n \r \\ \' \" escapes; *p moves past it.  NULL after the
 * error when missing (hmp-char.c).
 */
char *hmp_take_string(HmpContext *ctx, const char **p);
/* Only blanks left at p, else the extraneous-characters error. */
bool hmp_at_end(HmpContext *ctx, const char *p);

/* The migration commands and their info subcommands (hmp-migrate.c). */
void hmp_migrate(HmpContext *ctx);
void hmp_migrate_cancel(HmpContext *ctx);
void hmp_migrate_incoming(HmpContext *ctx);
void hmp_migrate_set_parameter(HmpContext *ctx);
void hmp_migrate_set_capability(HmpContext *ctx);
void hmp_info_migrate(HmpContext *ctx);
void hmp_info_migrate_parameters(HmpContext *ctx);
void hmp_info_migrate_capabilities(HmpContext *ctx);

/* savevm, loadvm, delvm, info snapshots (hmp-snapshot.c). */
void hmp_savevm(HmpContext *ctx);
void hmp_loadvm(HmpContext *ctx);
void hmp_delvm(HmpContext *ctx);
void hmp_info_snapshots(HmpContext *ctx);

/* info mtree (hmp-mtree.c). */
void hmp_info_mtree(HmpContext *ctx);

/* netdev_add, netdev_del, chardev-add, chardev-remove (hmp-net.c). */
void hmp_netdev_add(HmpContext *ctx);
void hmp_announce_self(HmpContext *ctx);
/*
 * A netdev's fd= from a monitor: a name given with getfd unless it starts
 * with a digit; the option then holds the descriptor's number (qmp-net.c).
 */
bool net_monitor_fd_opt(QemuOpts *opts, Error **errp);
void hmp_netdev_del(HmpContext *ctx);
void hmp_chardev_add(HmpContext *ctx);
void hmp_chardev_remove(HmpContext *ctx);

/* ringbuf_write, ringbuf_read, chardev-change, chardev-send-break (hmp-char.c). */
void hmp_ringbuf_write(HmpContext *ctx);
void hmp_ringbuf_read(HmpContext *ctx);
void hmp_chardev_change(HmpContext *ctx);
void hmp_chardev_send_break(HmpContext *ctx);

/* eject, change, drive_add, drive_del, block_resize (hmp-block.c). */
void hmp_eject(HmpContext *ctx);
void hmp_block_resize(HmpContext *ctx);
void hmp_change(HmpContext *ctx);
void hmp_drive_add(HmpContext *ctx);
void hmp_drive_del(HmpContext *ctx);

/* info registers, x, xp, cpu (hmp-mem.c). */
void hmp_info_registers(HmpContext *ctx);
void hmp_info_tlb(HmpContext *ctx);
void hmp_x(HmpContext *ctx);
void hmp_xp(HmpContext *ctx);
void hmp_cpu(HmpContext *ctx);

/* The "info" command and help (hmp.c uses them). */
void hmp_print_cmd_help(GString *out, const char *prefix, const HmpCommand *c);

#endif

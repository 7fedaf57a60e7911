/*
 * HMP commands for host network backends (netdev_add, netdev_del) and
 * character devices (chardev-add, chardev-remove), as QEMU 7.2's.
 */
#include "chardev/char.h"
#include "hw/qdev-monitor.h"
#include "migration/migration.h"
#include "monitor/hmp-internal.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "qapi/qapi-commands.h"

/*
 * An option list the monitor could not parse: QEMU reports it (on the
 * monitor, or on stderr under human-monitor-command), then its hint.
 */
static void hmp_opts_error(HmpContext *ctx, const char *msg)
{
    if (ctx->session->from_qmp) {
        fprintf(stderr, "%s\n", msg);
    } else {
        g_string_append_printf(ctx->out, "%s\n", msg);
    }
    g_string_append_printf(ctx->out, "Try \"help %s\" for more information\n", ctx->typed);
}

/* netdev_add TYPE,id=ID[,prop=value]...: the -netdev syntax and checks. */
void hmp_netdev_add(HmpContext *ctx)
{
    char *why = NULL;
    QemuOpts *opts;
    Error *err = NULL;

    if (!strcmp(ctx->args, "help") || !strcmp(ctx->args, "?")) {
        net_print_netdev_help(ctx->out);
        return;
    }
    opts = qemu_opts_parse(ctx->args, "type", &why);
    if (!opts) {
        hmp_opts_error(ctx, why);
        g_free(why);
        return;
    }
    if (!net_netdev_hmp_id_check(opts, &err)) {
        hmp_opts_error(ctx, error_get_pretty(err));
        error_free(err);
        qemu_opts_free(opts);
        return;
    }
    if (net_monitor_fd_opt(opts, &err)) {
        net_netdev_add_hmp(opts, &err);
    }
    if (err) {
        g_string_append_printf(ctx->out, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
    qemu_opts_free(opts);
}

/*
 * announce_self [interfaces] [id]: QMP announce-self with the migration
 * parameters' announce timing (announce-initial, -max, -rounds, -step, as
 * QEMU); interfaces is a comma-separated list.
 */
void hmp_announce_self(HmpContext *ctx)
{
    g_auto(GStrv) words = g_strsplit_set(ctx->args, " \t", -1);
    g_autoptr(JsonObject) args = json_object_new();
    const char *w[2] = { NULL, NULL };
    unsigned n = 0;
    int64_t initial, max, rounds, step;

    for (char **p = words; *p && n < 2; p++) {
        if (**p) {
            w[n++] = *p;
        }
    }
    migration_param_announce(&initial, &max, &rounds, &step);
    json_object_set_int_member(args, "initial", initial);
    json_object_set_int_member(args, "max", max);
    json_object_set_int_member(args, "rounds", rounds);
    json_object_set_int_member(args, "step", step);
    if (w[0]) {
        g_auto(GStrv) names = g_strsplit(w[0], ",", -1);
        JsonArray *list = json_array_new();

        for (char **p = names; *p; p++) {
            json_array_add_string_element(list, *p);
        }
        json_object_set_array_member(args, "interfaces", list);
    }
    if (w[1]) {
        json_object_set_string_member(args, "id", w[1]);
    }
    hmp_qmp_simple(ctx, qmp_announce_self, args);
}

void hmp_netdev_del(HmpContext *ctx)
{
    g_autofree char *id = hmp_one_word(ctx, "string", false);
    g_autoptr(JsonObject) args = json_object_new();

    if (!id) {
        return;
    }
    json_object_set_string_member(args, "id", id);
    hmp_qmp_simple(ctx, qmp_netdev_del, args);
}

/* QEMU parses chardev-add's line as -chardev's options: what fails there is reported first. */
static bool chardev_args_ok(HmpContext *ctx, QemuOpts *opts, const char *why)
{
    const char *id = opts ? qemu_opt_get(opts, "id") : NULL;
    const char *bad = opts ? qemu_chr_opts_unknown_key(opts) : NULL;
    g_autofree char *check_err = NULL;

    if (!opts) {
        g_string_append_printf(ctx->out, "%s\n", why);
    } else if (id && !qdev_id_wellformed(id)) {
        g_string_append(ctx->out, "Parameter 'id' expects an identifier\n"
                                  "Identifiers consist of letters, digits, '-', '.', '_', "
                                  "starting with a letter.\n");
    } else if (bad) {
        g_string_append_printf(ctx->out, "Invalid parameter '%s'\n", bad);
    } else if (!qemu_chr_opts_check(opts, &check_err)) {
        g_string_append_printf(ctx->out, "%s\n", check_err);
    } else {
        return true;
    }
    g_string_append(ctx->out, "Error: Parsing chardev args failed\n");
    return false;
}

/* chardev-add BACKEND,id=ID,...: a chardev as -chardev makes one. */
void hmp_chardev_add(HmpContext *ctx)
{
    char *why = NULL;
    QemuOpts *opts;
    const char *id;
    Chardev *chr;

    if (!ctx->args[0]) {
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return;
    }
    opts = qemu_opts_parse(ctx->args, "backend", &why);
    if (!chardev_args_ok(ctx, opts, why)) {
        g_free(why);
        if (opts) {
            qemu_opts_free(opts);
        }
        return;
    }
    if (qemu_chr_opts_resolve_alias(opts)) {
        g_string_append(ctx->out, "warning: The alias 'tty' is deprecated, use 'serial' instead\n");
    }
    id = qemu_opt_get(opts, "id");
    /* The pty's line goes to this monitor only. */
    qemu_chr_set_quiet(true);
    if (id && qemu_chr_find(id) && !qemu_chr_try_opts(opts, &why)) {
        /* QEMU opens the backend before it adds the chardev to its tree. */
        g_string_append_printf(ctx->out, "Error: %s\n", why);
        g_free(why);
    } else if (id && qemu_chr_find(id)) {
        /* QEMU's object tree refuses the second child of that name. */
        g_string_append_printf(ctx->out,
                               "Error: attempt to add duplicate property '%s' to object "
                               "(type 'container')\n",
                               id);
    } else if (!(chr = qemu_chr_new_from_opts(opts, &why))) {
        g_string_append_printf(ctx->out, "Error: %s\n", why);
        g_free(why);
    } else if (!strcmp(qemu_opt_get(opts, "backend"), "pty")) {
        /*
         * QEMU tells the monitor the command came from where the pty is;
         * with mux=on the pty is the mux's base, ID-base.
         */
        g_autofree char *base_id = g_strdup_printf("%s-base", id);
        Chardev *pty = chr;
        char *name = qemu_chr_filename(chr);

        if (!g_str_has_prefix(name, "pty:")) {
            g_free(name);
            pty = qemu_chr_find(base_id);
            name = pty ? qemu_chr_filename(pty) : NULL;
        }

        if (name && g_str_has_prefix(name, "pty:")) {
            g_string_append_printf(ctx->out, "char device redirected to %s (label %s)\n",
                                   name + strlen("pty:"), qemu_chr_id(pty));
        }
        g_free(name);
    }
    qemu_chr_set_quiet(false);
    qemu_opts_free(opts);
}

void hmp_chardev_remove(HmpContext *ctx)
{
    g_autofree char *id = hmp_one_word(ctx, "string", false);
    g_autoptr(JsonObject) args = json_object_new();

    if (!id) {
        return;
    }
    json_object_set_string_member(args, "id", id);
    hmp_qmp_simple(ctx, qmp_chardev_remove, args);
}

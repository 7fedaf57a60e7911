/*
 * HMP commands for host network backends (netdev_add, netdev_del) and
 * character devices (chardev-add, chardev-remove), as QEMU 7.2's.
 */
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

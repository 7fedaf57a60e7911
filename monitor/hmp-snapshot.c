/* HMP savevm, loadvm, delvm and info snapshots (migration/snapshot.c does the work). */
#include "hmp-internal.h"
#include "migration/snapshot.h"
#include "sysemu/runstate.h"

static void hmp_error(HmpContext *ctx, Error *err)
{
    g_string_append_printf(ctx->out, "Error: %s\n", error_get_pretty(err));
    error_free(err);
}

void hmp_savevm(HmpContext *ctx)
{
    g_autofree char *name = hmp_one_word(ctx, "string", true);
    Error *err = NULL;

    if (!name && *ctx->args) {
        return; /* the word's error is printed */
    }
    if (!snapshot_save(name, true, NULL, NULL, &err)) {
        hmp_error(ctx, err);
    }
}

/* As QEMU: the VM stops; it runs again after a successful load if it ran before. */
void hmp_loadvm(HmpContext *ctx)
{
    g_autofree char *name = hmp_one_word(ctx, "string", false);
    bool was_running = runstate_is_running();
    Error *err = NULL;

    if (!name) {
        return;
    }
    if (was_running) {
        vm_stop(RUN_STATE_PAUSED);
    }
    if (!snapshot_load(name, NULL, NULL, &err)) {
        hmp_error(ctx, err);
    } else if (was_running) {
        vm_start();
    }
}

void hmp_delvm(HmpContext *ctx)
{
    g_autofree char *name = hmp_one_word(ctx, "string", false);
    Error *err = NULL;

    if (name && !snapshot_delete(name, NULL, &err)) {
        hmp_error(ctx, err);
    }
}

void hmp_info_snapshots(HmpContext *ctx)
{
    snapshot_info(ctx->out);
}

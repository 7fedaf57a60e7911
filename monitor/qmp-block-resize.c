/*
 * QMP block_resize, as QEMU 7.2's: a drive's root node or any node by name
 * changes its length; the devices on it tell the guest.
 */
#include "block/block-backend.h"
#include "block/block-int.h"
#include "qapi/qapi-commands.h"

JsonNode *qmp_block_resize(JsonObject *args, QmpError *err)
{
    const char *device = qmp_arg_str(args, "device", NULL);
    const char *node_name = qmp_arg_str(args, "node-name", NULL);
    int64_t size = qmp_arg_int(args, "size", 0);
    BlockDriverState *bs = NULL;
    g_autoptr(Error) local = NULL;
    BlockBackend *blk;

    /* QEMU's bdrv_lookup_bs: a drive name first, then a node name. */
    blk = device ? blk_by_name(device) : NULL;
    if (blk) {
        bs = blk_bs(blk);
        if (!bs) {
            qmp_error_setg(err, "Device '%s' has no medium", device);
            return NULL;
        }
    } else if (node_name) {
        bs = bdrv_find_node(node_name);
    }
    if (!bs) {
        qmp_error_setg(err, "Cannot find device='%s' nor node-name='%s'", device ? device : "",
                       node_name ? node_name : "");
        return NULL;
    }
    if (size < 0) {
        qmp_error_setg(err, "Parameter 'size' expects a >0 size");
        return NULL;
    }
    if (!bdrv_check_resize(bs, device, &local)) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        return NULL;
    }
    blk_drain_all();
    if (bdrv_truncate(bs, size, &local) < 0) {
        qmp_error_setg(err, "%s", error_get_pretty(local));
        return NULL;
    }
    blk_resized(bs);
    return qmp_return_empty();
}

/*
 * The block layer's QMP commands (block/blockdev.c), in the monitor's
 * handler shape: validated args in, the "return" value or NULL and *err out.
 */
#ifndef BLOCK_QAPI_H
#define BLOCK_QAPI_H

#include "qemu/osdep.h"

#include <json-glib/json-glib.h>

JsonNode *qmp_query_block(JsonObject *args, char **err);
/* Optional argument "flat" (bool): no backing-image chains. */
JsonNode *qmp_query_named_block_nodes(JsonObject *args, char **err);
/* The arguments are the node's options (BlockdevOptions). */
JsonNode *qmp_blockdev_add(JsonObject *args, char **err);
/* Argument "node-name": a node blockdev-add or -blockdev made, unused. */
JsonNode *qmp_blockdev_del(JsonObject *args, char **err);

/* A JSON object's members as block options (nested objects: dotted keys). */
GHashTable *bdrv_opts_from_json(JsonObject *obj);

#endif

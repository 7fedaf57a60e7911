/*
 * The block layer's QMP commands (block/blockdev.c): declared in the schema
 * (qapi/block.json), whose generated header gives their prototypes.
 */
#ifndef BLOCK_QAPI_H
#define BLOCK_QAPI_H

#include "qemu/osdep.h"

#include "qapi/qapi-commands.h"

/* A JSON object's members as block options (nested objects: dotted keys). */
GHashTable *bdrv_opts_from_json(JsonObject *obj);

#endif

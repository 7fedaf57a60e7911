/*
 * Machine-wide settings from the command line that several facilities read.
 */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H

#include "qemu/osdep.h"

/* -uuid: the machine's UUID in canonical lower-case text, or NULL. */
extern const char *qemu_uuid;
/* -name: published as ibm,partition-name; NULL without -name. */
extern const char *qemu_name;

/* The UUID's 16 bytes (all zero without -uuid). */
void qemu_uuid_bytes(uint8_t out[16]);

#endif

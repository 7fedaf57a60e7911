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

/* -boot: what the firmware is told (system/bootdevice.c). */
typedef struct BootOptions {
    char *order; /* order=: drive letters, or NULL */
    char *once;  /* once=: for the first boot only, or NULL */
    bool menu;   /* menu=on: the firmware shows its boot menu */
} BootOptions;
/* One -boot argument merged into *b; false and *err (QEMU's message) when invalid. */
bool boot_opts_parse(const char *arg, BootOptions *b, char **err);

#endif

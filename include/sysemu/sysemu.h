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

/*
 * -prom-env NAME=VALUE: variables for the firmware, stored in the nvram's
 * system partition (at most 128, as QEMU; false and *err beyond that).
 */
bool prom_env_add(const char *var, char **err);
/* Forget every -prom-env (the list holds the arguments' own strings). */
void prom_env_clear(void);
/* The variables in command-line order; *n their count. */
const char *const *prom_envs(unsigned *n);

/*
 * bootindex=N of a device (N < 0: none): registered at realize, dropped at
 * unrealize; a second device with the same N is refused with QEMU's message.
 * boot_index_list gives the devices' firmware paths (FW_PATH; NULL skips a
 * device) in index order, separated by spaces, or NULL when there are none.
 */
typedef struct DeviceState DeviceState;
typedef struct Error Error;
bool boot_index_add(int32_t index, DeviceState *dev, const char *suffix, Error **errp);
void boot_index_del(DeviceState *dev);
char *boot_index_list(char *(*fw_path)(DeviceState *dev, void *opaque), void *opaque);

#endif

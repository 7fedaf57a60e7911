/*
 * Drives given with -drive: a raw image file a device reads and writes
 * through (today the spapr-nvram; the disks later).
 */
#ifndef SYSEMU_BLOCKDEV_H
#define SYSEMU_BLOCKDEV_H

#include "qemu/osdep.h"

/* The interfaces -drive if= names that this machine can serve so far. */
typedef enum BlockInterfaceType {
    IF_NONE,   /* a backend for a device that names it (drive=ID) */
    IF_PFLASH, /* pseries: the spapr-nvram's contents */
} BlockInterfaceType;

typedef struct DriveInfo DriveInfo;

/*
 * -drive ARG: parse it, refuse what is not supported yet, and open the file
 * (read-write unless readonly=on).  Any problem: one line
 * "qemu-system-ppc64: -drive ARG: why" and exit status 1.
 */
void drive_add(const char *arg);
/* The same without exiting: NULL and *err (the reason) on a problem. */
DriveInfo *drive_new(const char *arg, char **err);
/* The drive of an interface and unit (NULL: none given). */
DriveInfo *drive_get(BlockInterfaceType type, int unit);
/* The drive with that id= (NULL: none). */
DriveInfo *drive_get_by_id(const char *id);
/*
 * A device takes the drive: false when another already has it (QEMU:
 * "Drive 'x' is already in use by ...").
 */
bool drive_claim(DriveInfo *dinfo);
void drive_release(DriveInfo *dinfo);
/*
 * The device will write: take QEMU's "write" image lock (other QEMU processes
 * see it), sharing it.  false and *err (QEMU's two lines) when another
 * process holds the image without sharing writes.
 */
bool drive_lock_write(DriveInfo *dinfo, char **err);
const char *drive_id(const DriveInfo *dinfo);
bool drive_read_only(const DriveInfo *dinfo);
/* Given with if=none (only a device naming it uses it). */
bool drive_is_if_none(const DriveInfo *dinfo);
/* The image's length, rounded up to 512-byte sectors as QEMU's raw images are. */
uint64_t drive_length(const DriveInfo *dinfo);
/* Read (bytes past the end of the file read as zero) / write through to the file. */
bool drive_pread(DriveInfo *dinfo, uint64_t offset, void *buf, size_t len);
bool drive_pwrite(DriveInfo *dinfo, uint64_t offset, const void *buf, size_t len);
/* Close every drive (end of the process, unit tests). */
void drive_cleanup(void);

#endif

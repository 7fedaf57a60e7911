/*
 * Drives given with -drive: a BlockBackend named by id (or QEMU's
 * interface-unit name) over an image, for the board or a device to attach.
 */
#ifndef SYSEMU_BLOCKDEV_H
#define SYSEMU_BLOCKDEV_H

#include "qemu/osdep.h"

typedef struct BlockBackend BlockBackend;

/* The interfaces -drive if= names that this machine can serve. */
typedef enum BlockInterfaceType {
    IF_NONE,   /* a backend for a device that names it (drive=ID) */
    IF_PFLASH, /* pseries: the spapr-nvram's contents */
    IF_VIRTIO, /* a virtio-blk-pci the board creates for it */
    IF_SCSI,   /* pseries' default: a disk on the board's SCSI adapter */
} BlockInterfaceType;

typedef struct DriveInfo DriveInfo;

/*
 * -drive ARG: parse it and open the image (read-write unless readonly=on or
 * media=cdrom).  Any problem: one line "qemu-system-ppc64: -drive ARG: why"
 * and exit status 1.
 */
void drive_add(const char *arg);
/*
 * -blockdev ARG (key=value or JSON): open the node tree; the node is named
 * (node-name) for devices and QMP.  Problems: the message and exit status 1.
 */
void blockdev_add_cmdline(const char *arg);
/* Close every -blockdev / blockdev-add node (the drives using them released first). */
void blockdev_del_all(void);
/*
 * C-a s: write the snapshot=on overlays back into their images.  Returns
 * how many overlays were left unwritten (writing back is not implemented).
 */
unsigned drive_commit_all(void);
/* -snapshot: every -drive given after this gets snapshot=on unless it says otherwise. */
void drive_set_snapshot_default(bool on);
/* -hda..-hdd, -cdrom, a lone image argument: -drive index=N,media=MEDIA,file=FILE. */
void drive_add_legacy(const char *file, int index, const char *media);
/* The same without exiting: NULL and *err (the reason) on a problem. */
DriveInfo *drive_new(const char *arg, char **err);
/*
 * HMP drive_add: a drive like -drive ARG, refused unless if=none (QEMU's
 * message).  false and *err (the reason) on a problem.
 */
bool drive_hot_add(const char *arg, char **err);
/*
 * HMP drive_del ID: the drive's medium goes and its name with it; a device
 * using it keeps an empty backend (its I/O fails) and the drive is freed
 * with the device.  A -blockdev node of that name is deleted as blockdev-del
 * would.  false and *err on a problem.
 */
bool drive_delete(const char *id, char **err);
/* A realized device that used the drive is going: a -drive goes with it (QEMU's auto-delete). */
void drive_auto_delete(DriveInfo *dinfo);
/* The drive of an interface, bus and unit (NULL: none given). */
DriveInfo *drive_get_bus(BlockInterfaceType type, int bus, int unit);
/* The same on bus 0. */
DriveInfo *drive_get(BlockInterfaceType type, int unit);
/*
 * The drive with that id= (NULL: none); a -blockdev node name gives an
 * anonymous drive on that node, as QEMU's drive= property accepts both.
 */
DriveInfo *drive_get_by_id(const char *id);
/*
 * A device (DeviceState *) takes the drive: false when another already has it (QEMU:
 * "Drive 'x' is already in use by ...").
 */
bool drive_claim(DriveInfo *dinfo, void *dev);
void drive_release(DriveInfo *dinfo);
/*
 * The device will write: take QEMU's "write" image lock (other QEMU processes
 * see it), sharing it.  false and *err (QEMU's two lines) when another
 * process holds the image without sharing writes.
 */
bool drive_lock_write(DriveInfo *dinfo, char **err);
/*
 * The device's permissions on the drive's media (BLK_PERM_* of
 * include/block/block.h): what it takes and what it lets others do, as
 * QEMU's image locks (a writable disk does not share writes unless
 * share-rw=on).  false and *err (QEMU's two lines) on a conflict.
 */
bool drive_set_perm(DriveInfo *dinfo, unsigned perm, unsigned shared, char **err);
const char *drive_id(const DriveInfo *dinfo);
bool drive_read_only(const DriveInfo *dinfo);
/* Given with if=none (only a device naming it uses it). */
bool drive_is_if_none(const DriveInfo *dinfo);
/* media=cdrom. */
bool drive_is_cdrom(const DriveInfo *dinfo);
/*
 * QEMU's default empty CD-ROM (scsi0-cd2 on the first spapr-vscsi), unless
 * -nodefaults (the caller's test), a drive at if=scsi index 2, or a -device
 * scsi-cd/scsi-hd among device_args (char *).
 */
void drive_add_default_cdrom(const GPtrArray *device_args);
/* The -drive argument (NULL for a default drive): errors of its device name it. */
const char *drive_arg(const DriveInfo *dinfo);
/* A -drive without file= is empty: removable media with no medium in it. */
bool drive_has_medium(const DriveInfo *dinfo);
/* serial= (NULL: none). */
const char *drive_serial(const DriveInfo *dinfo);
/* The backend a device does its I/O through (include/block/block-backend.h). */
BlockBackend *drive_get_blk(const DriveInfo *dinfo);
/* The image's length (a raw image's rounded up to 512-byte sectors, as QEMU's). */
uint64_t drive_length(const DriveInfo *dinfo);
/* Synchronous read/write through the backend (start-up, the nvram). */
bool drive_pread(DriveInfo *dinfo, uint64_t offset, void *buf, size_t len);
bool drive_pwrite(DriveInfo *dinfo, uint64_t offset, const void *buf, size_t len);
/*
 * After the board and -device: warn, as QEMU, about each drive of an
 * interface (not if=none) that no device took.
 */
void drive_check_orphaned(void);
/* Finish every request and flush every drive to the disk (process exit). */
void drive_flush_all(void);
/* Finish every request and close every drive (end of the process, unit tests). */
void drive_cleanup(void);

#endif

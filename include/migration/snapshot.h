/*
 * VM snapshots (migration/snapshot.c): savevm, loadvm, delvm, info
 * snapshots and -loadvm over the internal snapshots of every writable disk.
 */
#ifndef MIGRATION_SNAPSHOT_H
#define MIGRATION_SNAPSHOT_H

#include "block/block.h"

/*
 * Save the machine and snapshot the disks as name (NULL: QEMU's
 * vm-YYYYMMDDHHMMSS): with overwrite (HMP savevm) a snapshot of that name
 * is replaced, else it is an error (QMP snapshot-save).  vmstate: the node
 * for the machine's state (NULL: the first that can take it); devices: the
 * nodes to snapshot (NULL-terminated; NULL: every writable disk).  The VM
 * keeps its run state.  false + errp with QEMU 7.2's messages.
 */
bool snapshot_save(const char *name, bool overwrite, const char *vmstate,
                   const char *const *devices, Error **errp);
/* Revert the disks to name and load the machine from it; the caller stops the VM first. */
bool snapshot_load(const char *name, const char *vmstate, const char *const *devices, Error **errp);
/* Delete the snapshot called name from every disk that has one (none: not an error). */
bool snapshot_delete(const char *name, const char *const *devices, Error **errp);
/* HMP info snapshots: QEMU 7.2's tables. */
void snapshot_info(GString *out);

#endif

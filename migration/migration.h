/*
 * Migration: the outgoing side (QMP migrate), the incoming side (-incoming,
 * migrate-incoming) and their status (query-migrate, MIGRATION events).
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

#include "hw/boards.h"
#include "migration/channel.h"
#include "sysemu/runstate.h"

/*
 * The stream (docs/specs/migration-stream.rst).  Write every section of
 * the stopped machine; false + errp when a device has no state table or the
 * channel fails.  *ram_stats gets pages: [0] zero, [1] sent with data.
 */
bool migration_save_stream(MachineState *m, MigChannel *ch, RunState state, uint64_t ram_stats[2],
                           uint64_t *bytes, Error **errp);
/*
 * Read and load a whole stream into the machine (stopped); *state gets the
 * source's run state when migrate began.  false + errp.
 */
bool migration_load_stream(MachineState *m, MigChannel *ch, RunState *state, Error **errp);
/* The first device with no state table, as QEMU's blocker error: false + errp. */
bool migration_check_blockers(Error **errp);

/*
 * -incoming URI (or "defer"): the machine stays in "inmigrate" until a
 * stream is loaded.  Then, as QEMU 7.2: a source that was running makes it
 * run (autostart) or pause (-S); a stopped source's state is taken over
 * (prelaunch, paused).  A stream that fails to load ends the process with
 * status 1.
 */
void migration_incoming_setup(MachineState *m, const char *uri, bool autostart);
/* cont while in "inmigrate": run once the stream is loaded, whatever -S said. */
void migration_incoming_set_autostart(void);
/* A migration capability (migrate-set-capabilities) is on. */
bool migration_capability(const char *name);

#endif

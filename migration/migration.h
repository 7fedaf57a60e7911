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
 * source's run state when it stopped for the end (when migrate began, for a
 * stream without RUNS).  false + errp.
 */
bool migration_load_stream(MachineState *m, MigChannel *ch, RunState *state, Error **errp);
/*
 * The pieces of the stream for live migration (the writer thread sends RAM
 * in passes while the guest runs; the state once it is stopped).  A writer
 * sends to ch, or appends to buf when buf is set; the first failure stays in
 * err and makes the rest do nothing.
 */
typedef struct MigWriter {
    MigChannel *ch;
    GByteArray *buf;
    unsigned long crc;
    uint64_t bytes;
    Error *err;
} MigWriter;
void mig_writer_init(MigWriter *w, MigChannel *ch, GByteArray *buf);
/* Raw bytes (what another writer with a buf collected). */
void mig_writer_put(MigWriter *w, const void *buf, size_t len);
void mig_save_header(MigWriter *w, MachineState *m, RunState state);
/*
 * One RAM section for pages [first, first + n) (n <= 1024): the pages whose
 * bit is set in read are read (and sent unless zero), the others sent as
 * zero.  stats[0] counts zero pages, stats[1] pages sent with data.
 */
void mig_save_ram_chunk(MigWriter *w, uint64_t first, uint32_t n, const unsigned long *read,
                        uint64_t stats[2]);
/*
 * Block migration: one BLK section with len (1..MIG_BLOCK_CHUNK) bytes of the
 * drive named drive at offset (sent as a zero chunk when all zero).
 */
#define MIG_BLOCK_CHUNK (1024 * 1024)
void mig_save_block_chunk(MigWriter *w, const char *drive, uint64_t offset, const uint8_t *data,
                          uint32_t len);
/* The machine can be migrated (state hooks, no blocker): false + errp. */
bool mig_save_state_check(MachineState *m, Error **errp);
/* One pre-copy part of the machine's state (MachineClassOps.state_iter_save). */
#define MIG_MACHINE_PART_MAX (256 * 1024)
void mig_save_machine_part(MigWriter *w, const GByteArray *part);
/*
 * The run state the VM had when it stopped (RUNS), what changed of the
 * machine's pre-copy parts, then MACH, every CPU and every device of the
 * stopped machine.
 */
bool mig_save_state(MigWriter *w, MachineState *m, RunState state, Error **errp);
/*
 * Bytes the machine, CPU and device sections will take (big lock held, the
 * VM may run: the CPUs count MIG_CPU_STATE_ESTIMATE each, above their
 * section's size, without being read).
 */
#define MIG_CPU_STATE_ESTIMATE (16 * 1024)
uint64_t mig_state_size_estimate(MachineState *m);
/* The END section; false + errp when anything written failed. */
bool mig_save_end(MigWriter *w, Error **errp);
/*
 * The incoming side in two steps: read the stream, loading RAM sections as
 * they come and keeping the others (any thread); then, big lock held, load
 * the kept sections and check that none is missing.
 */
bool mig_read_stream(MachineState *m, MigChannel *ch, RunState *state, GPtrArray **deferred,
                     Error **errp);
bool mig_apply_sections(MachineState *m, GPtrArray *deferred, Error **errp);

/* The first device with no state table, as QEMU's blocker error: false + errp. */
bool migration_check_blockers(Error **errp);
/*
 * What query-migrate lists in blocked-reasons: "non-migratable device: NAME"
 * for each device with no state table (QEMU 7.2's words); empty when none.
 */
GPtrArray *migration_blocked_reasons(void);

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
/* Parameters (params.c): what migrate-set-parameters last set. */
#define MIGRATION_MAX_DOWNTIME_LIMIT_MS 2000000
uint64_t migration_param_downtime_limit(void);
uint64_t migration_param_max_bandwidth(void); /* bytes per second, 0: unlimited */
/* The announce-* timing (ms) and rounds, for announce_self. */
/* migrate's inc turns block-incremental on for that migration, as QEMU 7.2 (main thread). */
void migration_param_set_block_incremental(bool on);
bool migration_param_block_incremental(void);
void migration_param_announce(int64_t *initial, int64_t *max, int64_t *rounds, int64_t *step);

/* A migration capability (migrate-set-capabilities) is on. */
bool migration_capability(const char *name);

#endif

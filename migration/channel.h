/*
 * Migration channels: where a stream goes to or comes from (a descriptor,
 * a socket, a child process's stdin or stdout), named by QEMU's URIs.
 */
#ifndef MIGRATION_CHANNEL_H
#define MIGRATION_CHANNEL_H

#include "qapi/error.h"

/* A channel that is no descriptor: the stream goes through these (snapshot.c's VM state area). */
typedef struct MigChannelOps {
    bool (*write)(void *opaque, const void *buf, size_t len, Error **errp);
    /* Up to len bytes; fewer at the end, -1 on error. */
    ssize_t (*read)(void *opaque, void *buf, size_t len);
} MigChannelOps;

typedef struct MigChannel {
    int fd;
    GPid child;       /* exec: the command (0: none) */
    bool cancellable; /* cancel_fd is set: once it is readable, writes give up */
    int cancel_fd;
    const MigChannelOps *ops; /* NULL: fd */
    void *opaque;
} MigChannel;

/* exec:CMD (its stdin), unix:PATH, tcp:HOST:PORT, fd:NAME (a getfd name). */
bool mig_channel_open_out(const char *uri, MigChannel *ch, Error **errp);
/*
 * The incoming side: exec:CMD (its stdout) and fd:N are ready at once;
 * unix:PATH and tcp:HOST:PORT give a listening socket (*listening true)
 * to accept one connection from.
 */
bool mig_channel_open_in(const char *uri, MigChannel *ch, bool *listening, Error **errp);
/*
 * All of len bytes, or false + errp.  When cancellable, fd is made
 * non-blocking and each write waits for either; a readable cancel_fd fails
 * the write ("cancelled").
 */
bool mig_channel_write(MigChannel *ch, const void *buf, size_t len, Error **errp);
/* Up to len bytes; returns how many were read (fewer: end of stream), -1 on error. */
ssize_t mig_channel_read(MigChannel *ch, void *buf, size_t len);
/* Close, and reap an exec: child; false when it failed (exit status not 0). */
bool mig_channel_close(MigChannel *ch);

#endif

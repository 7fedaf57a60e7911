/*
 * Character devices: the host side of consoles, monitors and qtest.
 *
 * A backend (stdio, null, file, socket, mux) moves bytes; one frontend at a
 * time (a spapr-vty, a monitor, qtest) consumes them through can_read/read
 * handlers, so a frontend that is full makes the backend stop reading and no
 * byte is lost.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qemu/osdep.h"
#include "qemu/option.h"

typedef enum QEMUChrEvent {
    CHR_EVENT_OPENED, /* a peer is there (socket connected, stdio ready) */
    CHR_EVENT_CLOSED, /* the peer went away (socket hang-up, EOF) */
} QEMUChrEvent;

/* How many bytes the frontend accepts now (0: stop reading for a while). */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

typedef struct Chardev Chardev;

/*
 * -chardev BACKEND,id=ID,...  Backends: null, stdio, file (path=), socket
 * (path= or host=/port=, server=on|off, wait=on|off), pipe is not provided.
 * Returns NULL and sets *err on failure.
 */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, char **err);
/*
 * Legacy spec strings as -serial/-qtest/-qmp take them: "stdio", "mon:stdio",
 * "null", "file:PATH", "chardev:ID", "unix:PATH[,server=on,wait=off]",
 * "tcp:HOST:PORT[,server=on,wait=off]".  label names the new chardev.
 */
Chardev *qemu_chr_new(const char *label, const char *spec, char **err);
Chardev *qemu_chr_find(const char *id);
const char *qemu_chr_id(Chardev *chr);

/*
 * Connect a frontend.  A chardev has at most one; connecting a second one
 * fails (returns false).  Passing all-NULL handlers disconnects.  When the
 * backend is already open, the event handler gets CHR_EVENT_OPENED at once.
 */
bool qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque);
/* The frontend has room again: resume reading from the backend. */
void qemu_chr_fe_accept_input(Chardev *chr);
/* Write all of buf (blocking if the peer is slow); returns len or -1. */
int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len);
int qemu_chr_fe_printf(Chardev *chr, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
bool qemu_chr_fe_is_open(Chardev *chr);

/*
 * Create the chardevs that must exist before the machine: wait for clients
 * of server=on,wait=on sockets.  Called once by the command line code.
 */
void qemu_chr_cleanup_all(void);

#endif

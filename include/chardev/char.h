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
    CHR_EVENT_OPENED,  /* a peer is there (socket connected, stdio ready) */
    CHR_EVENT_CLOSED,  /* the peer went away (socket hang-up, EOF) */
    CHR_EVENT_MUX_IN,  /* a mux gave this frontend the input focus */
    CHR_EVENT_MUX_OUT, /* a mux took the input focus away */
    CHR_EVENT_BREAK,   /* a serial line break (QMP chardev-send-break) */
} QEMUChrEvent;

/* How many bytes the frontend accepts now (0: stop reading for a while). */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

typedef struct Chardev Chardev;

/*
 * -chardev BACKEND,id=ID,...  (opts parsed with implied key "backend").
 * Backends: null; stdio (signal=on|off); file (path=, append=on|off);
 * socket (path= for unix, or host=/port= for TCP with ipv4/ipv6/to=;
 * server=on|off, wait=on|off or bare "nowait", nodelay; telnet=on is
 * refused).  mux=on on any of them puts a mux named ID in front of a
 * chardev named ID-base.  Keys the backend does not take are rejected.
 * Returns NULL and sets *err (g_free it) to QEMU's wording on failure.
 */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, char **err);
/*
 * Backend "tty" (QEMU's deprecated name of "serial") becomes "serial": true
 * when it did, and the caller warns.  qemu_chr_new_from_opts() does this
 * itself with warn_report(); the monitor calls it first to warn its way.
 */
bool qemu_chr_opts_resolve_alias(QemuOpts *opts);
/*
 * Open the backend the (checked) options describe and close it again: what
 * creating it would report.  For HMP chardev-add of an id in use, where
 * QEMU reports a backend's failure before the duplicate.
 */
bool qemu_chr_try_opts(QemuOpts *opts, char **err);
/*
 * While set, backends print nothing about themselves (a pty's "char device
 * redirected to" line, on stdout otherwise): a monitor creating a chardev
 * reports it its own way.
 */
void qemu_chr_set_quiet(bool quiet);
/*
 * chardev-change's checks on ID (QEMU 7.2's: it exists, is no mux, has no
 * frontend, as none here can follow a swap); when they pass, the chardev
 * is deleted (the non-NULL return is only a token, not to be used) and the
 * caller adds the new one under ID.  NULL and *why (g_free it) otherwise.
 */
Chardev *qemu_chr_change_begin(const char *id, char **why);
/* The first key the options' backend (or -chardev itself) does not take, or NULL. */
const char *qemu_chr_opts_unknown_key(QemuOpts *opts);
/* -chardev knows the backend (its deprecated alias tty too). */
bool qemu_chr_backend_known(const char *name);
/* The options' values parse (a ringbuf's size=); false and *err (g_free it) if not. */
bool qemu_chr_opts_check(QemuOpts *opts, char **err);
/*
 * Legacy spec strings as -serial/-qtest/-qmp take them: "stdio", "mon:stdio"
 * (any spec after "mon:" gets the Ctrl-A escape), "null", "vc[:WxH]" (a sink:
 * no display), "file:PATH", "chardev:ID" (returns the existing chardev),
 * "unix:PATH[,server=on|server][,wait=off|nowait]",
 * "tcp:HOST:PORT[,server...]".  label is the new chardev's id.  Returns NULL
 * and always sets *err (g_free it) on failure.
 */
Chardev *qemu_chr_new(const char *label, const char *spec, char **err);
Chardev *qemu_chr_find(const char *id);
/*
 * A descriptor the peer passed (SCM_RIGHTS on a unix socket) with the bytes
 * just read, now the caller's; -1 when none.
 */
int qemu_chr_fe_get_msgfd(Chardev *chr);
const char *qemu_chr_id(Chardev *chr);
/* fn(name) for every backend -chardev knows (QMP query-chardev-backends). */
void qemu_chr_foreach_backend(void (*fn)(const char *name, void *opaque), void *opaque);
/*
 * What QMP query-chardev shows as "filename": "pty:/dev/pts/N",
 * "disconnected:unix:PATH,server=on", "null"...  g_free it.
 */
char *qemu_chr_filename(Chardev *chr);
/* A frontend is connected (a mux is one for its base): chardev-remove's "busy". */
bool qemu_chr_has_frontend(Chardev *chr);
/*
 * query-chardev's "frontend-open": a frontend is attached; a mux (and its
 * base) only once a frontend uses the mux, as QEMU 7.2 reports them.
 */
bool qemu_chr_frontend_open(Chardev *chr);
/* fn(chr, its backend's name) for every chardev, in creation order. */
void qemu_chr_foreach(void (*fn)(Chardev *chr, const char *backend, void *opaque), void *opaque);

/* -echr: the mux escape key (Ctrl-A, 1, by default). */
void qemu_chr_mux_set_escape(int key);

/* Each chardev in the order QEMU 7.2's query-chardev and info chardev list them. */
void qemu_chr_foreach_listed(void (*fn)(Chardev *chr, void *opaque), void *opaque);

/*
 * Connect a frontend.  A chardev has at most one; connecting a second one
 * fails (returns false).  Passing all-NULL handlers disconnects.  When the
 * backend is already open, the event handler gets CHR_EVENT_OPENED at once.
 * A mux chardev takes up to 4 frontends, told apart by opaque (also when
 * disconnecting); input goes to one at a time (Ctrl-A c switches).
 * can_read is asked before every read: return 0 when full, then call
 * qemu_chr_fe_accept_input() once there is room again.
 */
bool qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read, IOReadHandler *read,
                              IOEventHandler *event, void *opaque);
/* The frontend has room again: resume reading from the backend. */
void qemu_chr_fe_accept_input(Chardev *chr);
/*
 * Write all of buf (blocking if the peer is slow); returns len, or -1 when
 * the peer has hung up.  Without a peer (server not connected) the bytes
 * are dropped and len is returned.
 */
int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len);
/*
 * Write what the peer takes now, without waiting: returns the bytes taken
 * (0 when a socket peer's buffer is full), or -1 when the peer has hung up.
 * Backends that cannot tell (files, stdio) write everything, as
 * qemu_chr_fe_write_all.  Without a peer the bytes are dropped (len).
 */
int qemu_chr_fe_write(Chardev *chr, const uint8_t *buf, int len);
/*
 * Call fn(opaque) once, from the main loop, when the peer can take bytes
 * again (or hung up) after qemu_chr_fe_write took fewer than asked.
 * Returns the watch's source id (g_source_remove cancels it), or 0 when the
 * backend has nothing to wait on: the caller may write again at once.
 */
guint qemu_chr_fe_add_watch(Chardev *chr, void (*fn)(void *opaque), void *opaque);
int qemu_chr_fe_printf(Chardev *chr, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
bool qemu_chr_fe_is_open(Chardev *chr);

/* Close one chardev and forget it (its frontend detached first); not a mux's base. */
void qemu_chr_delete(Chardev *chr);
/*
 * Close every chardev: restore the terminal, remove unix server socket
 * files.  Called at exit (also registered with atexit, so error exits
 * clean up too); safe to call more than once.
 */
void qemu_chr_cleanup_all(void);

#endif

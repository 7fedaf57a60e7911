/*
 * What the chardev backends (null, stdio, file, socket, mux) share with the
 * core in char.c: the Chardev object, its operations and the fd reader.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

/* Largest chunk handed to a frontend in one read() call. */
#define CHR_READ_BUF_LEN 4096
/* Frontends one mux chardev can carry (QEMU allows 4). */
#define CHR_MUX_MAX 4

typedef struct ChrFdReader ChrFdReader;

typedef struct ChardevOps {
    const char *name;
    /* Keys this backend reads from -chardev, NULL-terminated. */
    const char *const *keys;
    /*
     * Writes go out before (without) a peer being reported: QEMU's udp
     * never tells its frontend OPENED, yet sends what it writes.
     */
    bool write_unopened;
    /* Bytes of the backend's struct (which starts with a Chardev). */
    size_t size;
    /*
     * Optional: check the options' syntax (sizes, numbers) as -chardev's
     * parser does, before anything is created; false and *err when wrong.
     */
    bool (*check)(QemuOpts *opts, char **err);
    /* Set the chardev up from its options; false and *err on failure. */
    bool (*open)(Chardev *chr, QemuOpts *opts, char **err);
    /* Send bytes to the peer; all of them, or -1.  NULL: drop them. */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /*
     * Optional: send what the peer takes now without waiting (0 when it
     * takes nothing), or -1 when it is gone; out_fd is then the descriptor
     * to watch until it takes more.
     */
    int (*write_nb)(Chardev *chr, const uint8_t *buf, int len);
    int (*out_fd)(Chardev *chr);
    /* Replaces the core's single-frontend handling (mux keeps several). */
    bool (*set_handlers)(Chardev *chr, IOCanReadHandler *can_read, IOReadHandler *read,
                         IOEventHandler *event, void *opaque);
    /* The frontend has room again. */
    void (*accept_input)(Chardev *chr);
    /* Release everything the backend holds (fds, files, tty state). */
    void (*close)(Chardev *chr);
    /* query-chardev's "frontend-open"; NULL: a frontend is attached. */
    bool (*frontend_open)(Chardev *chr);
    /* query-chardev's "filename" (g_free it); NULL: the backend's name. */
    char *(*filename)(Chardev *chr);
    /* A descriptor that came with the last bytes read (SCM_RIGHTS), or -1. */
    int (*get_msgfd)(Chardev *chr);
} ChardevOps;

struct Chardev {
    char *id;
    const ChardevOps *ops;
    /* The frontend (for a mux: the mux's own bookkeeping, see char-mux.c). */
    IOCanReadHandler *fe_can_read;
    IOReadHandler *fe_read;
    IOEventHandler *fe_event;
    void *fe_opaque;
    bool fe_attached;
    /* A peer is there: writes reach it, OPENED has been delivered. */
    bool be_open;
    /* logfile=: what the frontend writes is copied there too (0: none, else fd + 1). */
    int logfd1;
};

/*
 * Backends register themselves at start-up (module_init).  Options named in
 * ops->keys are the only ones -chardev accepts besides id, backend and mux.
 */
void chr_register_backend(const ChardevOps *ops);

/* Set by qemu_chr_set_quiet(): backends print nothing about themselves. */
extern bool chr_quiet;

/* Create and register a chardev of a backend; used by mux for its base. */
Chardev *chr_create(const char *id, const char *backend, QemuOpts *opts, char **err);
Chardev *chr_create_with_ops(const char *id, const ChardevOps *ops, QemuOpts *opts, char **err);

/* What the backend hands its frontend. */
int chr_be_can_write(Chardev *chr);
void chr_be_write(Chardev *chr, const uint8_t *buf, int len);
void chr_be_event(Chardev *chr, QEMUChrEvent event);
/* The peer arrived (OPENED) or left (CLOSED). */
void chr_be_set_open(Chardev *chr, bool open);

/*
 * Write all of buf to fd, waiting for POLLOUT when the fd is full.  Returns
 * len, or -1 with errno set (EPIPE when the peer is gone: never SIGPIPE).
 */
int chr_fd_write_all(int fd, const uint8_t *buf, int len, bool is_socket);

/*
 * Watch fd for input only while the frontend can take bytes: each time
 * the main context prepares to poll it asks chr_be_can_write(), so a full
 * frontend is never polled for and loses nothing.  ready() is called with
 * up to that many bytes available (it reads them itself).
 */
typedef void ChrFdReady(Chardev *chr, GIOCondition cond);
ChrFdReader *chr_fd_reader_new(Chardev *chr, int fd, ChrFdReady *ready);
void chr_fd_reader_free(ChrFdReader *reader);
/* Read up to what the frontend accepts and deliver it: >0 bytes, 0 EOF, -1. */
int chr_fd_read_deliver(Chardev *chr, int fd);

/* A boolean option with QEMU's wording for a bad value. */
bool chr_opt_bool(QemuOpts *opts, const char *name, bool def, bool *val, char **err);

/*
 * true when base is a mux's base; *open then says whether that mux has a
 * frontend (QEMU reports the base open only then).
 */
bool chr_mux_base_frontend_open(Chardev *base, bool *open);
/* How many frontends share chr when it is a mux (0 for any other chardev). */
unsigned chr_mux_frontend_count(Chardev *chr);

/* Wrap base in a mux chardev named id (QEMU's mux=on and "mon:"). */
Chardev *chr_mux_new(const char *id, Chardev *base, char **err);

/*
 * A chardev on host descriptors (char-fd.c: pipe, serial; file with in=):
 * fd_in is read for the frontend (-1: nothing to read), fd_out written.
 */
typedef struct FdChardev {
    Chardev parent;
    int fd_in;
    int fd_out;
    ChrFdReader *reader;
} FdChardev;

/* Take the descriptors (fd_in may be fd_out, or -1); the chardev is open. */
void chr_fd_setup(Chardev *chr, int fd_in, int fd_out);
int chr_fd_write(Chardev *chr, const uint8_t *buf, int len);
void chr_fd_close(Chardev *chr);

/* The ringbuf and memory backends (char-ringbuf.c), for QMP ringbuf-read/-write. */
bool chr_is_ringbuf(Chardev *chr);
int chr_ringbuf_write(Chardev *chr, const uint8_t *buf, int len);
/* Take up to max of the oldest bytes: *len of them, NUL-terminated (g_free it). */
uint8_t *chr_ringbuf_take(Chardev *chr, uint64_t max, size_t *len);

#endif

/*
 * Linux io_uring (liburing) for requests that go straight to a host file
 * (raw over file): submitted from the requesting thread, completed in the
 * main loop through the ring's eventfd, or at once by the submitter when it
 * plugged the ring (a read the page cache holds is done by the submit call).  When the kernel refuses a ring
 * (old kernel, seccomp, container policy) the block layer's worker threads
 * do the work instead.
 */
#include "block/block-int.h"
#include "qemu/main-loop.h"

#include <glib-unix.h>
#include <liburing.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RING_ENTRIES 256

typedef struct LuringReq {
    int fd;
    bool write;
    uint64_t offset;
    struct iovec *iov;
    int niov;
    uint64_t len;
    LuringDoneFunc *done;
    void *opaque;
    int pending;  /* completions still to come: 2 for a write with its fdatasync */
    int ret;      /* the read, write or lone fdatasync */
    int sync_ret; /* the linked fdatasync */
    bool sync;
} LuringReq;

/* A completion's user data: the request, bit 0 set for its linked fdatasync. */
#define SYNC_TAG 1

static struct io_uring ring;
static int ring_state; /* 0: not tried, 1: working, -1: refused */
static int ring_efd = -1;
static GMutex ring_lock; /* submitters: vCPU threads, the main loop */
static bool ring_disabled_for_tests;
static uint64_t submitted; /* requests that went to the ring */
/* luring_plug depth, and entries queued under it not yet given to the kernel (big lock). */
static unsigned plugged, unsubmitted;

/* The rest of a short transfer, synchronously (rare: a signal, the end of the file). */
static int finish_short(LuringReq *r, uint64_t done)
{
    uint64_t skip = done;

    for (int i = 0; i < r->niov; i++) {
        uint8_t *base = r->iov[i].iov_base;
        uint64_t len = r->iov[i].iov_len;

        if (skip >= len) {
            skip -= len;
            continue;
        }
        base += skip;
        len -= skip;
        skip = 0;
        while (len) {
            ssize_t n = r->write ? pwrite(r->fd, base, len, r->offset + done)
                                 : pread(r->fd, base, len, r->offset + done);

            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                return -errno;
            }
            if (n == 0) {
                if (r->write) {
                    return -ENOSPC;
                }
                memset(base, 0, len); /* past the end of the file: zeros */
                n = len;
            }
            base += n;
            len -= n;
            done += n;
        }
    }
    return 0;
}

static gboolean ring_ready(gint fd, GIOCondition cond, gpointer data)
{
    struct io_uring_cqe *cqe;
    uint64_t n;

    if (read(fd, &n, sizeof(n)) < 0) {
        /* EAGAIN: nothing new */
    }
    for (;;) {
        LuringReq *r;
        uintptr_t tag;
        int ret;

        g_mutex_lock(&ring_lock);
        if (io_uring_peek_cqe(&ring, &cqe) != 0) {
            g_mutex_unlock(&ring_lock);
            break;
        }
        tag = (uintptr_t)io_uring_cqe_get_data(cqe);
        ret = cqe->res;
        io_uring_cqe_seen(&ring, cqe);
        g_mutex_unlock(&ring_lock);
        r = (LuringReq *)(tag & ~(uintptr_t)SYNC_TAG);
        if (tag & SYNC_TAG) {
            r->sync_ret = ret;
        } else {
            r->ret = ret;
        }
        if (--r->pending) {
            continue;
        }
        ret = r->ret;
        if (ret >= 0 && r->iov && (uint64_t)ret < r->len) {
            ret = finish_short(r, ret);
            if (ret == 0 && r->sync && fdatasync(r->fd) < 0) {
                ret = -errno; /* the linked sync may have run before the rest */
            }
        } else if (ret > 0) {
            ret = 0;
        }
        if (ret == 0 && r->sync && r->sync_ret < 0) {
            ret = r->sync_ret;
        }
        r->done(r->opaque, ret);
        g_free(r);
    }
    return G_SOURCE_CONTINUE;
}

void luring_poll(void)
{
    if (ring_state == 1) {
        ring_ready(ring_efd, G_IO_IN, NULL);
    }
}

/* Completions are waiting in the ring (any thread, no lock: a hint). */
static bool ring_has_completions(void)
{
    return __atomic_load_n(ring.cq.ktail, __ATOMIC_ACQUIRE) !=
           __atomic_load_n(ring.cq.khead, __ATOMIC_RELAXED);
}

bool luring_available(void)
{
    if (ring_state == 0) {
        ring_state = -1;
        if (io_uring_queue_init(RING_ENTRIES, &ring, 0) == 0) {
            ring_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (ring_efd >= 0 && io_uring_register_eventfd(&ring, ring_efd) == 0) {
                g_unix_fd_add(ring_efd, G_IO_IN, ring_ready, NULL);
                main_loop_add_halt_poll(ring_has_completions, luring_poll);
                ring_state = 1;
            } else {
                io_uring_queue_exit(&ring);
            }
        }
    }
    return ring_state == 1 && !ring_disabled_for_tests;
}

uint64_t luring_submitted(void)
{
    return submitted;
}

void luring_disable(void)
{
    ring_disabled_for_tests = true;
}

/*
 * Queue a read or write (and an fdatasync linked after it when sync), or a
 * lone fdatasync when niov < 0.  false: the ring is full or absent, the
 * caller uses the workers.
 */
bool luring_submit(int fd, bool write, uint64_t offset, const struct iovec *iov, int niov,
                   bool sync, LuringDoneFunc *done, void *opaque)
{
    struct io_uring_sqe *sqe, *fsync_sqe = NULL;
    LuringReq *r;

    if (!luring_available()) {
        return false;
    }
    r = g_new0(LuringReq, 1);
    r->fd = fd;
    r->write = write;
    r->offset = offset;
    r->done = done;
    r->opaque = opaque;
    if (niov >= 0) {
        r->iov = (struct iovec *)iov; /* the caller keeps it until done */
        r->niov = niov;
        for (int i = 0; i < niov; i++) {
            r->len += iov[i].iov_len;
        }
    }
    g_mutex_lock(&ring_lock);
    if (unsubmitted && io_uring_sq_space_left(&ring) < 2) {
        /* The plug holds a full ring: give the kernel what is queued. */
        unsubmitted = 0;
        io_uring_submit(&ring);
    }
    if (io_uring_sq_space_left(&ring) < 2) {
        g_mutex_unlock(&ring_lock);
        g_free(r);
        return false;
    }
    sqe = io_uring_get_sqe(&ring);
    if (niov < 0) {
        io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
    } else if (write) {
        io_uring_prep_writev(sqe, fd, iov, niov, offset);
    } else {
        io_uring_prep_readv(sqe, fd, iov, niov, offset);
    }
    io_uring_sqe_set_data(sqe, r);
    r->pending = 1;
    if (sync && niov >= 0) {
        /* The request completes once the linked fdatasync ran too. */
        fsync_sqe = io_uring_get_sqe(&ring);
        io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
        io_uring_prep_fsync(fsync_sqe, fd, IORING_FSYNC_DATASYNC);
        io_uring_sqe_set_data(fsync_sqe, (void *)((uintptr_t)r | SYNC_TAG));
        r->sync = true;
        r->pending = 2;
    }
    if (plugged) {
        unsubmitted++;
    } else {
        io_uring_submit(&ring);
    }
    submitted++;
    g_mutex_unlock(&ring_lock);
    return true;
}

void luring_plug(void)
{
    plugged++;
}

/*
 * The kernel gets what was queued under the plug in one call; what that
 * call finished (reads from the page cache) completes now, in the caller.
 */
void luring_unplug(void)
{
    g_assert(plugged);
    if (--plugged || !unsubmitted) {
        return;
    }
    g_mutex_lock(&ring_lock);
    unsubmitted = 0;
    io_uring_submit(&ring);
    g_mutex_unlock(&ring_lock);
    ring_ready(ring_efd, G_IO_IN, NULL);
}

/*
 * File descriptor sets: descriptors a management tool hands over (-add-fd,
 * QMP add-fd) that file opens of "/dev/fdset/N" duplicate, with QEMU 7.2's
 * numbering, listing order and removal rules.
 */
#include "qemu/fdset.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <unistd.h>

typedef struct FdsetFd {
    int fd;
    char *opaque;
    bool removed;
} FdsetFd;

typedef struct Fdset {
    int64_t id;
    GPtrArray *fds; /* of FdsetFd *, oldest first */
    GArray *dups;   /* of int: descriptors opened from the set and not closed */
} Fdset;

static GPtrArray *fdsets; /* of Fdset *, by increasing id */

static Fdset *fdset_find(int64_t id)
{
    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *s = g_ptr_array_index(fdsets, i);

        if (s->id == id) {
            return s;
        }
    }
    return NULL;
}

int64_t fdset_add_fd(int fd, int64_t set, const char *opaque)
{
    Fdset *s = NULL;
    FdsetFd *f = g_new0(FdsetFd, 1);
    guint at = 0;

    if (!fdsets) {
        fdsets = g_ptr_array_new();
    }
    if (set < 0) {
        /* The first id not taken, counting up from 0. */
        set = 0;
        while (at < fdsets->len && ((Fdset *)g_ptr_array_index(fdsets, at))->id == set) {
            set++;
            at++;
        }
    } else {
        s = fdset_find(set);
        while (at < fdsets->len && ((Fdset *)g_ptr_array_index(fdsets, at))->id < set) {
            at++;
        }
    }
    if (!s) {
        s = g_new0(Fdset, 1);
        s->id = set;
        s->fds = g_ptr_array_new();
        s->dups = g_array_new(false, false, sizeof(int));
        g_ptr_array_insert(fdsets, at, s);
    }
    f->fd = fd;
    f->opaque = g_strdup(opaque);
    g_ptr_array_add(s->fds, f);
    return set;
}

/*
 * QEMU closes a set's removed descriptors only while the VM runs and
 * forgets a set once it is empty; sets in use by an open file stay.
 */
static void fdset_cleanup(Fdset *s)
{
    for (guint i = 0; i < s->fds->len;) {
        FdsetFd *f = g_ptr_array_index(s->fds, i);

        if (f->removed && runstate_is_running()) {
            close(f->fd);
            g_free(f->opaque);
            g_free(f);
            g_ptr_array_remove_index(s->fds, i);
        } else {
            i++;
        }
    }
    if (!s->fds->len && !s->dups->len) {
        g_ptr_array_remove(fdsets, s);
        g_ptr_array_free(s->fds, true);
        g_array_free(s->dups, true);
        g_free(s);
    }
}

bool fdset_remove_fd(int64_t set, int64_t fd)
{
    Fdset *s = fdset_find(set);
    bool found = false;

    if (!s) {
        return false;
    }
    for (guint i = 0; i < s->fds->len; i++) {
        FdsetFd *f = g_ptr_array_index(s->fds, i);

        if (fd < 0 || f->fd == fd) {
            f->removed = true;
            found = true;
        }
    }
    if (found) {
        fdset_cleanup(s);
    }
    return found;
}

void fdset_foreach(void (*set_fn)(int64_t set, void *opaque),
                   void (*fd_fn)(int64_t set, int fd, const char *fdopaque, void *opaque),
                   void *opaque)
{
    for (guint i = fdsets ? fdsets->len : 0; i > 0; i--) {
        Fdset *s = g_ptr_array_index(fdsets, i - 1);

        set_fn(s->id, opaque);
        for (guint k = 0; k < s->fds->len; k++) {
            FdsetFd *f = g_ptr_array_index(s->fds, k);

            fd_fn(s->id, f->fd, f->opaque, opaque);
        }
    }
}

static int fdset_dup(const char *id_str, int flags)
{
    guint64 id;
    Fdset *s;
    int fd;

    if (!g_ascii_string_to_unsigned(id_str, 10, 0, INT64_MAX, &id, NULL)) {
        errno = EINVAL;
        return -1;
    }
    s = fdset_find((int64_t)id);
    if (!s) {
        errno = ENOENT;
        return -1;
    }
    for (guint i = 0; i < s->fds->len; i++) {
        FdsetFd *f = g_ptr_array_index(s->fds, i);
        int fl = fcntl(f->fd, F_GETFL);

        if (fl != -1 && (fl & O_ACCMODE) == (flags & O_ACCMODE)) {
            fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
            if (fd < 0) {
                return -1;
            }
            /* The descriptor keeps its own status flags; O_APPEND and O_NONBLOCK follow flags. */
            fcntl(fd, F_SETFL, (fl & ~(O_APPEND | O_NONBLOCK)) | (flags & (O_APPEND | O_NONBLOCK)));
            g_array_append_val(s->dups, fd);
            return fd;
        }
    }
    errno = EACCES;
    return -1;
}

int qemu_open(const char *path, int flags, mode_t mode)
{
    if (g_str_has_prefix(path, "/dev/fdset/")) {
        return fdset_dup(path + strlen("/dev/fdset/"), flags);
    }
    return open(path, flags | O_CLOEXEC, mode);
}

int qemu_close(int fd)
{
    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *s = g_ptr_array_index(fdsets, i);

        for (guint k = 0; k < s->dups->len; k++) {
            if (g_array_index(s->dups, int, k) == fd) {
                g_array_remove_index(s->dups, k);
                if (!s->dups->len) {
                    fdset_cleanup(s);
                }
                return close(fd);
            }
        }
    }
    return close(fd);
}

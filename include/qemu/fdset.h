/*
 * File descriptor sets (monitor/fdset.c): descriptors handed over with -add-fd or
 * QMP add-fd, opened by name as /dev/fdset/N, as QEMU 7.2 keeps them.
 */
#ifndef QEMU_FDSET_H
#define QEMU_FDSET_H

#include "qemu/osdep.h"

/*
 * Put fd (now owned by the set) in set `set`, or in the lowest unused set id
 * when set < 0; opaque may be NULL.  Returns the set id.
 */
int64_t fdset_add_fd(int fd, int64_t set, const char *opaque);
/*
 * Mark fd (all of the set when fd < 0) removed; false when there is no such
 * set or fd.  Removed descriptors are closed once the VM runs and no open
 * file uses them, as QEMU does.
 */
bool fdset_remove_fd(int64_t set, int64_t fd);
/* fn for every set (highest id first) and each of its descriptors, oldest first. */
void fdset_foreach(void (*set_fn)(int64_t set, void *opaque),
                   void (*fd_fn)(int64_t set, int fd, const char *fdopaque, void *opaque),
                   void *opaque);

/*
 * open(2), but "/dev/fdset/N" duplicates the descriptor of set N whose access
 * mode matches flags' (errno ENOENT: no such set, EACCES: no such mode,
 * EINVAL: N is not a number).  Close the result with qemu_close().
 */
int qemu_open(const char *path, int flags, mode_t mode);
int qemu_close(int fd);

#endif

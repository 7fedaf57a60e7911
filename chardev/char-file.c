/*
 * The file chardev backend: output into a file created or truncated (or
 * appended to with append=on) at start-up; from QMP, input from another
 * file (in=), read to its end by the frontend.
 */
#include "chardev/char-internal.h"
#include "qemu/fdset.h"
#include "qemu/module.h"

#include <fcntl.h>
#include <unistd.h>

/* -chardev takes no in= (QEMU 7.2): only QMP chardev-add sets it. */
static const char *const file_keys[] = { "path", "append", NULL };

static bool file_open(Chardev *chr, QemuOpts *opts, char **err)
{
    const char *path = qemu_opt_get(opts, "path");
    const char *in = qemu_opt_get(opts, "in");
    bool append;
    int fd_in = -1, fd;

    if (!chr_opt_bool(opts, "append", false, &append, err)) {
        return false;
    }
    if (!path) {
        *err = g_strdup("chardev: file: no filename given");
        return false;
    }
    fd = qemu_open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        *err = g_strdup_printf("Could not open '%s': %s", path, g_strerror(errno));
        return false;
    }
    if (in) {
        fd_in = qemu_open(in, O_RDONLY | O_CLOEXEC, 0);
        if (fd_in < 0) {
            *err = g_strdup_printf("Could not open '%s': %s", in, g_strerror(errno));
            close(fd);
            return false;
        }
    }
    chr_fd_setup(chr, fd_in, fd);
    return true;
}

static const ChardevOps file_ops = {
    .name = "file",
    .keys = file_keys,
    .size = sizeof(FdChardev),
    .open = file_open,
    .write = chr_fd_write,
    .close = chr_fd_close,
};

static void chardev_file_init(void)
{
    chr_register_backend(&file_ops);
}

module_init(chardev_file_init)

/*
 * The file chardev backend: output only, into a file created or truncated
 * (or appended to with append=on) at start-up.
 */
#include "chardev/char-internal.h"
#include "qemu/fdset.h"
#include "qemu/module.h"

#include <fcntl.h>
#include <unistd.h>

typedef struct FileChardev {
    Chardev parent;
    int fd;
} FileChardev;

static const char *const file_keys[] = { "path", "append", NULL };

static bool file_open(Chardev *chr, QemuOpts *opts, char **err)
{
    FileChardev *f = (FileChardev *)chr;
    const char *path = qemu_opt_get(opts, "path");
    bool append;

    if (!chr_opt_bool(opts, "append", false, &append, err)) {
        return false;
    }
    if (!path) {
        *err = g_strdup("chardev: file: no filename given");
        return false;
    }
    f->fd = qemu_open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
    if (f->fd < 0) {
        *err = g_strdup_printf("Could not open '%s': %s", path, g_strerror(errno));
        return false;
    }
    chr->be_open = true;
    return true;
}

static int file_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write_all(((FileChardev *)chr)->fd, buf, len, false);
}

static void file_close(Chardev *chr)
{
    close(((FileChardev *)chr)->fd);
}

static const ChardevOps file_ops = {
    .name = "file",
    .keys = file_keys,
    .size = sizeof(FileChardev),
    .open = file_open,
    .write = file_write,
    .close = file_close,
};

static void chardev_file_init(void)
{
    chr_register_backend(&file_ops);
}

module_init(chardev_file_init)

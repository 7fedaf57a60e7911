/*
 * Chardevs on a pair of host descriptors: pipe (PATH.in and PATH.out, or
 * PATH both ways) and serial (a host tty, raw; "tty" is its old name), and
 * the helpers the file backend's in= uses.  Bytes read go to the frontend as
 * it takes them; writes go out whole.
 */
#include "chardev/char-internal.h"
#include "qemu/fdset.h"
#include "qemu/module.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

static void fd_ready(Chardev *chr, GIOCondition cond)
{
    FdChardev *f = (FdChardev *)chr;
    int n = chr_fd_read_deliver(chr, f->fd_in);

    /* End of input (a file read to its end, a tty hung up): stop polling. */
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        chr_fd_reader_free(f->reader);
        f->reader = NULL;
    }
}

void chr_fd_setup(Chardev *chr, int fd_in, int fd_out)
{
    FdChardev *f = (FdChardev *)chr;

    f->fd_in = fd_in;
    f->fd_out = fd_out;
    if (fd_in >= 0) {
        fcntl(fd_in, F_SETFL, fcntl(fd_in, F_GETFL) | O_NONBLOCK);
        f->reader = chr_fd_reader_new(chr, fd_in, fd_ready);
    }
    chr->be_open = true;
}

int chr_fd_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write_all(((FdChardev *)chr)->fd_out, buf, len, false);
}

void chr_fd_close(Chardev *chr)
{
    FdChardev *f = (FdChardev *)chr;

    chr_fd_reader_free(f->reader);
    if (f->fd_in >= 0 && f->fd_in != f->fd_out) {
        close(f->fd_in);
    }
    close(f->fd_out);
}

/* --- pipe --- */

static const char *const pipe_keys[] = { "path", NULL };

/*
 * Both ends open read-write: a FIFO opened so never waits for its peer,
 * and PATH.in never reads end-of-file when a writer goes away.
 */
static bool pipe_open(Chardev *chr, QemuOpts *opts, char **err)
{
    const char *path = qemu_opt_get(opts, "path");
    g_autofree char *in = NULL;
    g_autofree char *out = NULL;
    int fd_in, fd_out;

    if (!path) {
        *err = g_strdup("chardev: pipe: no device path given");
        return false;
    }
    in = g_strdup_printf("%s.in", path);
    out = g_strdup_printf("%s.out", path);
    fd_in = qemu_open(in, O_RDWR | O_CLOEXEC, 0);
    fd_out = qemu_open(out, O_RDWR | O_CLOEXEC, 0);
    if (fd_in < 0 || fd_out < 0) {
        /* Not a pair: PATH itself carries both directions. */
        if (fd_in >= 0) {
            close(fd_in);
        }
        if (fd_out >= 0) {
            close(fd_out);
        }
        fd_in = fd_out = qemu_open(path, O_RDWR | O_CLOEXEC, 0);
        if (fd_in < 0) {
            *err = g_strdup_printf("Could not open '%s': %s", path, g_strerror(errno));
            return false;
        }
    }
    chr_fd_setup(chr, fd_in, fd_out);
    return true;
}

static const ChardevOps pipe_ops = {
    .name = "pipe",
    .keys = pipe_keys,
    .size = sizeof(FdChardev),
    .open = pipe_open,
    .write = chr_fd_write,
    .close = chr_fd_close,
};

/* --- serial --- */

/* A terminal gets raw mode; anything else (a file, /dev/null) is used as it is. */
static bool serial_open(Chardev *chr, QemuOpts *opts, char **err)
{
    const char *path = qemu_opt_get(opts, "path");
    struct termios tio;
    int fd;

    if (!path) {
        *err = g_strdup("chardev: serial/tty: no device path given");
        return false;
    }
    fd = qemu_open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
    if (fd < 0) {
        *err = g_strdup_printf("Could not open '%s': %s", path, g_strerror(errno));
        return false;
    }
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cflag |= CREAD | CLOCAL;
        tcsetattr(fd, TCSANOW, &tio);
    }
    chr_fd_setup(chr, fd, fd);
    return true;
}

static const ChardevOps serial_ops = {
    .name = "serial",
    .keys = pipe_keys,
    .size = sizeof(FdChardev),
    .open = serial_open,
    .write = chr_fd_write,
    .close = chr_fd_close,
};

static void chardev_fd_init(void)
{
    chr_register_backend(&pipe_ops);
    chr_register_backend(&serial_ops);
}

module_init(chardev_fd_init)

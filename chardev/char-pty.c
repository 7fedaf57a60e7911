/*
 * The pty chardev backend: a pseudo-terminal whose slave side (/dev/pts/N) a
 * user or libvirt opens to reach the guest console.
 */
#include "chardev/char-internal.h"
#include "qemu/module.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

/* How often a pty nobody has open is checked for a reader (QEMU polls each second). */
#define PTY_POLL_MS 1000

typedef struct PtyChardev {
    Chardev parent;
    int fd; /* the master side */
    char *path;
    ChrFdReader *reader;
    guint timer;
} PtyChardev;

static void pty_ready(Chardev *chr, GIOCondition cond);

/*
 * Until someone opens the slave, the master reports a hang-up and a read
 * gives EIO; bytes written meanwhile would only fill the line discipline,
 * so they are dropped, as QEMU drops them.
 */
static bool pty_slave_open(PtyChardev *p)
{
    struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

static void pty_set_connected(PtyChardev *p, bool connected)
{
    if (connected == p->parent.be_open) {
        return;
    }
    if (connected) {
        p->reader = chr_fd_reader_new(&p->parent, p->fd, pty_ready);
    } else {
        chr_fd_reader_free(p->reader);
        p->reader = NULL;
    }
    chr_be_set_open(&p->parent, connected);
}

static gboolean pty_poll_cb(gpointer opaque)
{
    PtyChardev *p = opaque;

    if (!p->parent.be_open && pty_slave_open(p)) {
        pty_set_connected(p, true);
    }
    return G_SOURCE_CONTINUE;
}

static void pty_ready(Chardev *chr, GIOCondition cond)
{
    PtyChardev *p = (PtyChardev *)chr;
    int n = chr_fd_read_deliver(chr, p->fd);

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        pty_set_connected(p, false);
    }
}

static bool pty_open(Chardev *chr, QemuOpts *opts, char **err)
{
    PtyChardev *p = (PtyChardev *)chr;
    struct termios tio;
    const char *name;
    int slave;

    p->fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p->fd < 0 || grantpt(p->fd) < 0 || unlockpt(p->fd) < 0 || !(name = ptsname(p->fd))) {
        *err = g_strdup_printf("Failed to create PTY: %s", g_strerror(errno));
        if (p->fd >= 0) {
            close(p->fd);
        }
        return false;
    }
    p->path = g_strdup(name);
    /* Raw mode, set once through the slave: the guest sees every byte as typed. */
    slave = open(p->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave >= 0) {
        if (tcgetattr(slave, &tio) == 0) {
            cfmakeraw(&tio);
            tcsetattr(slave, TCSAFLUSH, &tio);
        }
        close(slave);
    }
    fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
    /*
     * QEMU tells the user where the console went, on stdout; a monitor
     * making the chardev reports it its own way (HMP) or not at all (QMP).
     */
    if (!chr_quiet) {
        printf("char device redirected to %s (label %s)\n", p->path, chr->id);
        fflush(stdout);
    }
    p->timer = g_timeout_add(PTY_POLL_MS, pty_poll_cb, p);
    return true;
}

static int pty_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyChardev *p = (PtyChardev *)chr;

    if (!chr->be_open) {
        if (!pty_slave_open(p)) {
            return len;
        }
        pty_set_connected(p, true);
    }
    if (chr_fd_write_all(p->fd, buf, len, false) < 0) {
        pty_set_connected(p, false);
    }
    return len;
}

static void pty_close(Chardev *chr)
{
    PtyChardev *p = (PtyChardev *)chr;

    chr_fd_reader_free(p->reader);
    if (p->timer) {
        g_source_remove(p->timer);
    }
    close(p->fd);
    g_free(p->path);
}

static char *pty_filename(Chardev *chr)
{
    return g_strdup_printf("pty:%s", ((PtyChardev *)chr)->path);
}

static const char *const pty_keys[] = { NULL };

static const ChardevOps pty_ops = {
    .name = "pty",
    .keys = pty_keys,
    .size = sizeof(PtyChardev),
    .open = pty_open,
    .write = pty_write,
    .close = pty_close,
    .filename = pty_filename,
};

static void chardev_pty_init(void)
{
    chr_register_backend(&pty_ops);
}

module_init(chardev_pty_init)

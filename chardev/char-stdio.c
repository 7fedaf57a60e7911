/*
 * The stdio chardev backend: reads the terminal (raw mode while we run,
 * restored at exit) and writes stdout.  Only one may exist.
 */
#include "chardev/char-internal.h"
#include "qemu/module.h"

#include <termios.h>
#include <unistd.h>

typedef struct StdioChardev {
    Chardev parent;
    ChrFdReader *reader;
} StdioChardev;

static const char *const stdio_keys[] = { "signal", NULL };

/* Only one chardev may own the terminal; its settings to restore at exit. */
static bool stdio_in_use;
static bool stdio_tty_saved;
static struct termios stdio_saved_tty;

static void stdio_restore_tty(void)
{
    if (stdio_tty_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &stdio_saved_tty);
        stdio_tty_saved = false;
    }
}

/*
 * Raw mode: every key reaches the guest at once and unechoed; output keeps
 * its newline translation.  With signal=on the terminal still turns Ctrl-C
 * into SIGINT, which ends the emulator.
 */
static void stdio_set_raw(bool allow_signals)
{
    struct termios tty;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty) < 0) {
        return;
    }
    if (!stdio_tty_saved) {
        stdio_saved_tty = tty;
        stdio_tty_saved = true;
        atexit(stdio_restore_tty);
    }
    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!allow_signals) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &tty);
}

static void stdio_ready(Chardev *chr, GIOCondition cond)
{
    StdioChardev *s = (StdioChardev *)chr;
    int n = chr_fd_read_deliver(chr, STDIN_FILENO);

    if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR))) {
        return;
    }
    /*
     * End of input: stop reading but keep writing to stdout, and keep
     * running (QEMU does not exit when its stdin is closed).
     */
    chr_fd_reader_free(s->reader);
    s->reader = NULL;
    chr_be_event(chr, CHR_EVENT_CLOSED);
}

static bool stdio_open(Chardev *chr, QemuOpts *opts, char **err)
{
    StdioChardev *s = (StdioChardev *)chr;
    bool allow_signals;

    if (!chr_opt_bool(opts, "signal", true, &allow_signals, err)) {
        return false;
    }
    if (stdio_in_use) {
        *err = g_strdup("cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    stdio_set_raw(allow_signals);
    s->reader = chr_fd_reader_new(chr, STDIN_FILENO, stdio_ready);
    chr->be_open = true;
    return true;
}

static int stdio_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write_all(STDOUT_FILENO, buf, len, false);
}

static void stdio_close(Chardev *chr)
{
    chr_fd_reader_free(((StdioChardev *)chr)->reader);
    stdio_restore_tty();
    stdio_in_use = false;
}

static const ChardevOps stdio_ops = {
    .name = "stdio",
    .keys = stdio_keys,
    .size = sizeof(StdioChardev),
    .open = stdio_open,
    .write = stdio_write,
    .close = stdio_close,
};

static void chardev_stdio_init(void)
{
    chr_register_backend(&stdio_ops);
}

module_init(chardev_stdio_init)

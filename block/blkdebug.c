/*
 * The "blkdebug" filter driver, the part of QEMU's that its tests use: a
 * node passing every request to its "image" child, configured by a rules
 * file ("config") read when the node opens.
 */
#include "block/block-int.h"
#include "qemu/main-loop.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Read the whole config file.  QEMU opens it blocking in its main thread, so
 * a FIFO holds the command (and the VM) until a writer came and went; here
 * the wait runs the main loop nested, which keeps out-of-band monitor
 * commands answered as QEMU's monitor thread does.
 */
static bool blkdebug_read_config(const char *path, GString *text, Error **errp)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    bool fifo;

    if (fd < 0) {
        error_setg(errp, "Could not read blkdebug config file: %s", g_strerror(errno));
        return false;
    }
    fifo = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
    for (;;) {
        char buf[4096];
        ssize_t n;

        if (fifo) {
            main_loop_wait_fd(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
        }
        n = read(fd, buf, sizeof(buf));
        if (n > 0) {
            g_string_append_len(text, buf, n);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            break;
        }
    }
    close(fd);
    return true;
}

/* Rules sections ([inject-error], [set-state]) are not implemented: refused, not ignored. */
static bool blkdebug_check_rules(const char *text, Error **errp)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];

        while (g_ascii_isspace(*l)) {
            l++;
        }
        if (*l && *l != '#') {
            error_setg(errp, "blkdebug config rules are not supported by this implementation");
            return false;
        }
    }
    return true;
}

static bool blkdebug_open(BlockDriverState *bs, GHashTable *opts, Error **errp)
{
    g_autofree char *config = bdrv_opts_take(opts, "config");
    uint64_t align;
    bool has_align;

    if (!bdrv_opts_take_size(opts, "align", &align, &has_align, errp)) {
        return false;
    }
    if (has_align && (!align || align & (align - 1))) {
        error_setg(errp, "Cannot meet constraints with align %" PRIu64, align);
        return false;
    }
    if (config) {
        g_autoptr(GString) text = g_string_new(NULL);

        if (!blkdebug_read_config(config, text, errp) || !blkdebug_check_rules(text->str, errp)) {
            return false;
        }
    }
    bs->file = bdrv_open_child(bs, opts, "image", errp);
    if (!bs->file) {
        return false;
    }
    bs->filename = g_strdup(bs->file->filename);
    return true;
}

static void blkdebug_close(BlockDriverState *bs)
{
}

static int blkdebug_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t len)
{
    return bdrv_pread(bs->file, offset, buf, len);
}

static int blkdebug_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t len)
{
    return bdrv_pwrite(bs->file, offset, buf, len);
}

static int blkdebug_discard(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    return bdrv_pdiscard(bs->file, offset, len);
}

static int blkdebug_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    return bdrv_pwrite_zeroes(bs->file, offset, len);
}

static int64_t blkdebug_getlength(BlockDriverState *bs)
{
    return bdrv_getlength(bs->file);
}

/* QEMU's blkdebug reports no host size of its own (query-block: no actual-size). */
static int64_t blkdebug_allocated_size(BlockDriverState *bs)
{
    return -1;
}

static const char *const blkdebug_options[] = { "config", "align", NULL };

const BlockDriver bdrv_blkdebug = {
    .format_name = "blkdebug",
    .options = blkdebug_options,
    .child_name = "image",
    .no_info = true,
    .open = blkdebug_open,
    .close = blkdebug_close,
    .pread = blkdebug_pread,
    .pwrite = blkdebug_pwrite,
    .discard = blkdebug_discard,
    .pwrite_zeroes = blkdebug_pwrite_zeroes,
    .getlength = blkdebug_getlength,
    .allocated_size = blkdebug_allocated_size,
};

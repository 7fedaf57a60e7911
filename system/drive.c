/*
 * -drive: the minimal part of QEMU's block layer this machine needs so far,
 * raw image files behind if=pflash (the nvram) and if=none (drive=ID).
 */
#include "sysemu/blockdev.h"
#include "qemu/error-report.h"
#include "qemu/option.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR_SIZE 512

/* The first bytes of a qcow2 image: "QFI" 0xfb. */
static const uint8_t qcow2_magic[4] = { 'Q', 'F', 'I', 0xfb };

struct DriveInfo {
    char *arg; /* the -drive argument, for messages */
    char *id;
    bool auto_id; /* named by QEMU's rule, not id= */
    BlockInterfaceType type;
    int unit;
    char *file;
    bool read_only;
    bool locking; /* file.locking: take QEMU's image locks (on unless off) */
    bool claimed;
    int fd;
    uint64_t file_size;
};

static GPtrArray *drives; /* of DriveInfo * in command-line order */

/*
 * QEMU's image locking, which other QEMU processes (and tools) honour: open
 * file description locks, shared, one byte each.  A user holding permission
 * n locks byte 100 + n; one refusing to share it with others locks 200 + n.
 * Taking n needs byte 200 + n free of others' locks.
 */
enum { LOCK_PERM_BASE = 100, LOCK_SHARED_BASE = 200 };
enum { PERM_CONSISTENT_READ, PERM_WRITE };
static const char *const perm_names[] = { "consistent read", "write" };

static bool lock_byte(int fd, off_t byte)
{
    struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

    return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

/* Nobody else holds a lock on byte (our own locks never conflict). */
static bool byte_free(int fd, off_t byte)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

    return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
}

/* Take permission perm, sharing everything: false when someone refuses to share it. */
static bool drive_lock_perm(DriveInfo *d, int perm)
{
    if (!d->locking) {
        return true;
    }
    return byte_free(d->fd, LOCK_SHARED_BASE + perm) && lock_byte(d->fd, LOCK_PERM_BASE + perm);
}

static void drive_free(DriveInfo *d)
{
    if (d->fd >= 0) {
        close(d->fd);
    }
    g_free(d->arg);
    g_free(d->id);
    g_free(d->file);
    g_free(d);
}

DriveInfo *drive_get_by_id(const char *id)
{
    for (guint i = 0; id && drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (d->id && !strcmp(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

DriveInfo *drive_get(BlockInterfaceType type, int unit)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (d->type == type && d->unit == unit) {
            return d;
        }
    }
    return NULL;
}

/* QEMU's -drive keys we do not serve yet; anything else is unknown to QEMU too. */
static const char *const later_keys[] = {
    "cache",          "aio",         "discard", "detect-zeroes", "media",     "snapshot",
    "copy-on-read",   "werror",      "rerror",  "serial",        "addr",      "bus",
    "cyls",           "heads",       "secs",    "trans",         "node-name", "driver",
    "auto-read-only", "force-share", "locking", "bps",           "iops",      NULL,
};

static bool drive_check_keys(QemuOpts *opts, char **why)
{
    static const char *const ours[] = { "if",    "file",     "format",       "id", "unit",
                                        "index", "readonly", "file.locking", NULL };

    for (guint i = 0; i < opts->list->len; i++) {
        const char *name = ((QemuOpt *)g_ptr_array_index(opts->list, i))->name;

        if (g_strv_contains(ours, name)) {
            continue;
        }
        if (g_strv_contains(later_keys, name) || strchr(name, '.') ||
            g_str_has_prefix(name, "throttling")) {
            *why = g_strdup_printf("option '%s' is not supported yet", name);
        } else {
            *why = g_strdup_printf("Block format 'raw' does not support the option '%s'", name);
        }
        return false;
    }
    return true;
}

/* if=: pflash and none work; QEMU's other interfaces are not here yet. */
static bool drive_parse_if(DriveInfo *d, QemuOpts *opts, char **why)
{
    static const char *const later_ifs[] = { "ide", "scsi", "floppy", "virtio",
                                             "sd",  "mtd",  "xen",    NULL };
    const char *itf = qemu_opt_get(opts, "if");

    if (itf && !strcmp(itf, "pflash")) {
        d->type = IF_PFLASH;
        return true;
    }
    if (itf && !strcmp(itf, "none")) {
        d->type = IF_NONE;
        return true;
    }
    if (!itf || g_strv_contains(later_ifs, itf)) {
        /* Without if=, pseries puts the drive on its SCSI adapter. */
        *why = g_strdup_printf("if=%s is not supported yet (only if=pflash and if=none)",
                               itf ? itf : "scsi");
        return false;
    }
    *why = g_strdup_printf("unsupported bus type '%s'", itf);
    return false;
}

/*
 * unit= or index= (one bus per interface here, so they are the same number),
 * else the first free unit of the interface; pseries has one flash, unit 0.
 */
static bool drive_parse_unit(DriveInfo *d, QemuOpts *opts, char **why)
{
    uint64_t unit = 0, index = 0;
    bool has_unit = qemu_opt_has(opts, "unit"), has_index = qemu_opt_has(opts, "index");

    if (!qemu_opt_get_number(opts, "unit", 0, &unit, why) ||
        !qemu_opt_get_number(opts, "index", 0, &index, why)) {
        return false;
    }
    if (has_unit && has_index) {
        *why = g_strdup("index cannot be used with bus and unit");
        return false;
    }
    if (has_index) {
        unit = index;
    } else if (!has_unit) {
        while (drive_get(d->type, unit)) {
            unit++;
        }
    }
    if (drive_get(d->type, unit)) {
        *why = g_strdup_printf("drive with bus=0, unit=%" PRIu64 " (index=%" PRId64 ") exists",
                               unit, has_index ? (int64_t)index : (int64_t)-1);
        return false;
    }
    if (d->type == IF_PFLASH && unit != 0) {
        *why = g_strdup_printf("machine type does not support if=pflash,bus=0,unit=%" PRIu64, unit);
        return false;
    }
    d->unit = unit;
    return true;
}

/* format=raw, or no format (QEMU then probes and warns); qcow2 is not here yet. */
static bool drive_check_format(DriveInfo *d, const char *format, char **why)
{
    uint8_t head[sizeof(qcow2_magic)] = { 0 };
    ssize_t n = pread(d->fd, head, sizeof(head), 0);
    bool qcow2 = n == sizeof(head) && !memcmp(head, qcow2_magic, sizeof(head));

    if (format && !strcmp(format, "raw")) {
        return true;
    }
    if (format && !strcmp(format, "qcow2") && !qcow2) {
        *why = g_strdup("Image is not in qcow2 format");
        return false;
    }
    if (format || qcow2) {
        *why =
            g_strdup_printf("format=%s is not supported yet (only raw)", format ? format : "qcow2");
        return false;
    }
    fprintf(stderr,
            "WARNING: Image format was not specified for '%s' and probing guessed raw.\n"
            "         Automatically detecting the format is dangerous for raw images, "
            "write operations on block 0 will be restricted.\n"
            "         Specify the 'raw' format explicitly to remove the restrictions.\n",
            d->file);
    return true;
}

static bool drive_open(DriveInfo *d, const char *format, char **why)
{
    struct stat st;

    d->fd = open(d->file, (d->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (d->fd < 0) {
        *why = g_strdup_printf("Could not open '%s': %s", d->file, g_strerror(errno));
        return false;
    }
    if (fstat(d->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *why = g_strdup_printf("Could not open '%s': not a regular file", d->file);
        return false;
    }
    d->file_size = st.st_size;
    /* Opening the image takes the right to read it consistently. */
    if (!drive_lock_perm(d, PERM_CONSISTENT_READ)) {
        *why = g_strdup_printf("Failed to get \"%s\" lock", perm_names[PERM_CONSISTENT_READ]);
        return false;
    }
    return drive_check_format(d, format, why);
}

/* file.locking=on|off|auto (auto: on, as QEMU where the host has OFD locks). */
static bool drive_parse_locking(DriveInfo *d, QemuOpts *opts, char **why)
{
    const char *v = qemu_opt_get(opts, "file.locking");

    d->locking = !v || strcmp(v, "off");
    if (v && strcmp(v, "on") && strcmp(v, "off") && strcmp(v, "auto")) {
        *why = g_strdup_printf("invalid parameter value: %s", v);
        return false;
    }
    return true;
}

static DriveInfo *drive_parse(const char *arg, char **why)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "file", &perr);
    DriveInfo *d = g_new0(DriveInfo, 1);
    const char *id;
    bool ok;

    d->fd = -1;
    d->arg = g_strdup(arg);
    if (!opts) {
        *why = g_steal_pointer(&perr);
        drive_free(d);
        return NULL;
    }
    id = qemu_opt_get(opts, "id");
    ok = drive_check_keys(opts, why) && drive_parse_if(d, opts, why) &&
         drive_parse_unit(d, opts, why) &&
         qemu_opt_get_bool(opts, "readonly", false, &d->read_only, why) &&
         drive_parse_locking(d, opts, why);
    if (ok && id && drive_get_by_id(id)) {
        *why = drive_get_by_id(id)->auto_id
                   ? g_strdup_printf("Device with id '%s' already exists", id)
                   : g_strdup_printf("Duplicate ID '%s' for drive", id);
        ok = false;
    }
    if (ok && !qemu_opt_get(opts, "file")) {
        *why = g_strdup("A block device must be specified for \"file\"");
        ok = false;
    }
    if (ok) {
        /* QEMU names an unnamed drive after its interface and unit. */
        d->id = id ? g_strdup(id)
                   : g_strdup_printf("%s%d", d->type == IF_PFLASH ? "pflash" : "none", d->unit);
        d->auto_id = !id;
        if (!id && drive_get_by_id(d->id)) {
            *why = g_strdup_printf("Device with id '%s' already exists", d->id);
            ok = false;
        }
    }
    if (ok) {
        d->file = g_strdup(qemu_opt_get(opts, "file"));
        ok = drive_open(d, qemu_opt_get(opts, "format"), why);
    }
    qemu_opts_free(opts);
    if (!ok) {
        drive_free(d);
        return NULL;
    }
    return d;
}

DriveInfo *drive_new(const char *arg, char **err)
{
    DriveInfo *d = drive_parse(arg, err);

    if (!d) {
        return NULL;
    }
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return d;
}

/* Called while vl.c handles the option: messages get the "-drive ARG: " prefix. */
void drive_add(const char *arg)
{
    char *err = NULL;

    if (!drive_new(arg, &err)) {
        error_exit("%s", err);
    }
}

bool drive_claim(DriveInfo *d)
{
    if (d->claimed) {
        return false;
    }
    d->claimed = true;
    return true;
}

bool drive_lock_write(DriveInfo *d, char **why)
{
    if (!drive_lock_perm(d, PERM_WRITE)) {
        *why =
            g_strdup_printf("Failed to get \"%s\" lock\nIs another process using the image [%s]?",
                            perm_names[PERM_WRITE], d->file);
        return false;
    }
    return true;
}

void drive_release(DriveInfo *d)
{
    d->claimed = false;
}

const char *drive_id(const DriveInfo *d)
{
    return d->id;
}

bool drive_is_if_none(const DriveInfo *d)
{
    return d->type == IF_NONE;
}

bool drive_read_only(const DriveInfo *d)
{
    return d->read_only;
}

uint64_t drive_length(const DriveInfo *d)
{
    return QEMU_ALIGN_UP(d->file_size, SECTOR_SIZE);
}

bool drive_pread(DriveInfo *d, uint64_t offset, void *buf, size_t len)
{
    uint8_t *p = buf;

    memset(buf, 0, len);
    while (len) {
        ssize_t n = pread(d->fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            return true; /* past the end of the file: zeros */
        }
        p += n;
        offset += n;
        len -= n;
    }
    return true;
}

bool drive_pwrite(DriveInfo *d, uint64_t offset, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (d->read_only) {
        return false;
    }
    while (len) {
        ssize_t n = pwrite(d->fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        offset += n;
        len -= n;
    }
    d->file_size = MAX(d->file_size, offset);
    return true;
}

void drive_cleanup(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        drive_free(g_ptr_array_index(drives, i));
    }
    if (drives) {
        g_ptr_array_free(drives, TRUE);
        drives = NULL;
    }
}

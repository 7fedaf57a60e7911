/*
 * QMP chardev-add: a chardev made at run time from QEMU's ChardevBackend
 * (the file, socket, pty, null and mux backends, ...), as the -chardev option it
 * stands for; a socket's "fd" address is a descriptor named with getfd.
 * chardev-remove deletes one no frontend uses.  ringbuf-write and
 * ringbuf-read fill and drain a ringbuf (or memory) chardev.
 */
#include "chardev/char-internal.h"
#include "monitor/monitor.h"
#include "qapi/qapi-commands.h"
#include "qemu/option.h"

#include <unistd.h>

/* An optional bool member as an on/off option. */
static void set_bool(QemuOpts *opts, JsonObject *o, const char *name, const char *key)
{
    if (json_object_has_member(o, name)) {
        qemu_opt_set(opts, key, json_object_get_boolean_member(o, name) ? "on" : "off");
    }
}

/* A socket's address and flags; false and *why when the address cannot be used. */
static bool socket_opts(QemuOpts *opts, JsonObject *sock, int *fd, char **why)
{
    JsonObject *addr = json_object_get_object_member(sock, "addr");
    const char *type = json_object_get_string_member(addr, "type");
    JsonObject *data = json_object_get_object_member(addr, "data");

    if (!strcmp(type, "unix")) {
        qemu_opt_set(opts, "path", json_object_get_string_member(data, "path"));
    } else if (!strcmp(type, "inet")) {
        qemu_opt_set(opts, "host", json_object_get_string_member(data, "host"));
        qemu_opt_set(opts, "port", json_object_get_string_member(data, "port"));
    } else if (!strcmp(type, "vsock")) {
        *why = g_strdup("vsock addresses are not supported");
        return false;
    } else {
        /* From a monitor, QEMU reads the string as a getfd name, even "99". */
        const char *name = json_object_get_string_member(data, "str");
        g_autofree char *num = NULL;

        *fd = monitor_take_named_fd(name);
        if (*fd < 0) {
            *why = g_strdup_printf("File descriptor named '%s' has not been found", name);
            return false;
        }
        num = g_strdup_printf("%d", *fd);
        qemu_opt_set(opts, "fd", num);
    }
    set_bool(opts, sock, "server", "server");
    /* QMP's wait defaults to off: chardev-add never blocks for a client. */
    qemu_opt_set(opts, "wait", "off");
    set_bool(opts, sock, "wait", "wait");
    set_bool(opts, sock, "nodelay", "nodelay");
    set_bool(opts, sock, "telnet", "telnet");
    return true;
}

/* An inet address of udp's remote or local end as host and port options. */
static bool udp_addr_opts(QemuOpts *opts, JsonObject *addr, const char *host_key,
                          const char *port_key, char **why)
{
    JsonObject *data = json_object_get_object_member(addr, "data");
    const char *type = json_object_get_string_member(addr, "type");

    /*
     * QEMU 7.2 reads a local unix address as if it were inet: its path is
     * looked up as a host name, port 0.
     */
    if (!strcmp(type, "unix") && !strcmp(host_key, "localaddr")) {
        qemu_opt_set(opts, host_key, json_object_get_string_member(data, "path"));
        qemu_opt_set(opts, port_key, "0");
        return true;
    }
    if (strcmp(type, "inet")) {
        *why = g_strdup("socket type unsupported for datagram");
        return false;
    }
    qemu_opt_set(opts, host_key, json_object_get_string_member(data, "host"));
    qemu_opt_set(opts, port_key, json_object_get_string_member(data, "port"));
    if (!strcmp(host_key, "host")) {
        /* The local end takes the remote's family: its own flags are not read. */
        set_bool(opts, data, "ipv4", "ipv4");
        set_bool(opts, data, "ipv6", "ipv6");
    }
    return true;
}

/*
 * The -chardev options a ChardevBackend stands for, in opts; false and *why
 * when it cannot be expressed.  *fd: a descriptor taken from the monitor.
 */
static bool backend_opts(QemuOpts *opts, const char *type, JsonObject *data, int *fd, char **why)
{
    if (json_object_has_member(data, "logfile")) {
        qemu_opt_set(opts, "logfile", json_object_get_string_member(data, "logfile"));
    }
    set_bool(opts, data, "logappend", "logappend");
    if (!strcmp(type, "file")) {
        qemu_opt_set(opts, "path", json_object_get_string_member(data, "out"));
        set_bool(opts, data, "append", "append");
        if (json_object_has_member(data, "in")) {
            qemu_opt_set(opts, "in", json_object_get_string_member(data, "in"));
        }
    } else if (!strcmp(type, "pipe") || !strcmp(type, "serial")) {
        qemu_opt_set(opts, "path", json_object_get_string_member(data, "device"));
    } else if (!strcmp(type, "udp")) {
        if (!udp_addr_opts(opts, json_object_get_object_member(data, "remote"), "host", "port",
                           why)) {
            return false;
        }
        if (json_object_has_member(data, "local") &&
            !udp_addr_opts(opts, json_object_get_object_member(data, "local"), "localaddr",
                           "localport", why)) {
            return false;
        }
    } else if (!strcmp(type, "socket")) {
        return socket_opts(opts, data, fd, why);
    } else if (!strcmp(type, "mux")) {
        /* A mux over an existing chardev, which becomes busy (its frontend is the mux). */
        qemu_opt_set(opts, "chardev", json_object_get_string_member(data, "chardev"));
    }
    if (json_object_has_member(data, "size")) {
        int64_t size = json_object_get_int_member(data, "size");
        g_autofree char *num = g_strdup_printf("%" PRId64, size);

        /* QEMU takes size 0 and then fails on the first byte: refused here. */
        qemu_opt_set(opts, "size", size > 0 ? num : "3");
    }
    return true;
}

/* A chardev ID from a QMP ChardevBackend; NULL and *why on failure. */
static Chardev *chardev_from_backend(const char *id, JsonObject *backend, char **why)
{
    const char *type = json_object_get_string_member(backend, "type");
    JsonObject *data = json_object_get_object_member(backend, "data");
    QemuOpts *opts = qemu_opts_parse("", NULL, why);
    Chardev *chr = NULL;
    int fd = -1;

    qemu_opt_set(opts, "id", id);
    qemu_opt_set(opts, "backend", type);
    if (backend_opts(opts, type, data, &fd, why)) {
        /* QMP prints nothing: the reply names the pty. */
        qemu_chr_set_quiet(true);
        /* in= is no -chardev key: the file backend is made directly. */
        chr = qemu_opt_has(opts, "in") ? chr_create(id, type, opts, why)
                                       : qemu_chr_new_from_opts(opts, why);
        qemu_chr_set_quiet(false);
    }
    qemu_opts_free(opts);
    if (!chr && fd >= 0) {
        close(fd); /* still ours: the socket backend takes it only on success */
    }
    return chr;
}

/* chardev-add once the id is known to be free; chardev-change's easy case. */
static JsonNode *chardev_add(const char *id, JsonObject *backend, QmpError *err)
{
    const char *type = json_object_get_string_member(backend, "type");
    g_autofree char *why = NULL;
    Chardev *chr;

    chr = chardev_from_backend(id, backend, &why);
    if (!chr) {
        qmp_error_setg(err, "Failed to add chardev '%s': %s", id, why);
        return NULL;
    }
    if (!strcmp(type, "pty")) {
        /* The reply names the pty's slave side ("pty:/dev/pts/N" without its prefix). */
        g_autofree char *name = qemu_chr_filename(chr);
        JsonObject *ret = json_object_new();

        json_object_set_string_member(ret, "pty", name + strlen("pty:"));
        return qmp_node_object(ret);
    }
    return qmp_return_empty();
}

JsonNode *qmp_chardev_add(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");

    if (qemu_chr_find(id)) {
        qmp_error_setg(err, "Chardev with id '%s' already exists", id);
        return NULL;
    }
    return chardev_add(id, json_object_get_object_member(args, "backend"), err);
}

static bool is_mux(Chardev *chr)
{
    return !strcmp(chr->ops->name, "mux");
}

/*
 * chardev-change, with QEMU 7.2's rules: a mux cannot be swapped, and a
 * chardev with a frontend only when the frontend can follow the swap (no
 * frontend here can: spapr-vty, the monitors, qtest, a mux's base all
 * refuse, as QEMU's do).  Without a frontend the chardev is removed and
 * the new one added under its id, through chardev-add (its errors; as in
 * QEMU, the old chardev is gone even when the new one fails).
 */
Chardev *qemu_chr_change_begin(const char *id, char **why)
{
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        *why = g_strdup_printf("Chardev '%s' does not exist", id);
    } else if (is_mux(chr)) {
        *why = g_strdup("Mux device hotswap not supported yet");
    } else if (qemu_chr_has_frontend(chr)) {
        *why = g_strdup("Chardev user does not support chardev hotswap");
    } else {
        qemu_chr_delete(chr);
        return chr;
    }
    return NULL;
}

JsonNode *qmp_chardev_change(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    g_autofree char *why = NULL;

    if (!qemu_chr_change_begin(id, &why)) {
        qmp_error_setg(err, "%s", why);
        return NULL;
    }
    return chardev_add(id, json_object_get_object_member(args, "backend"), err);
}

/* A break goes to the frontend; a mux passes none on (QEMU's neither). */
JsonNode *qmp_chardev_send_break(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        qmp_error_setg(err, "Chardev '%s' not found", id);
        return NULL;
    }
    if (!is_mux(chr)) {
        chr_be_event(chr, CHR_EVENT_BREAK);
    }
    return qmp_return_empty();
}

JsonNode *qmp_chardev_remove(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        qmp_error_setg(err, "Chardev '%s' not found", id);
        return NULL;
    }
    /*
     * A monitor, a device, qtest or a mux in front of it: QEMU's "busy".  QEMU 7.2
     * also counts every mux busy, with or without frontends: a mux stays.
     */
    if (qemu_chr_has_frontend(chr) || is_mux(chr)) {
        qmp_error_setg(err, "Chardev '%s' is busy", id);
        return NULL;
    }
    qemu_chr_delete(chr);
    return qmp_return_empty();
}

/* The ringbuf behind DEVICE, or NULL with QEMU's error. */
static Chardev *ringbuf_find(const char *device, QmpError *err)
{
    Chardev *chr = qemu_chr_find(device);

    if (!chr) {
        qmp_error_setg(err, "Device '%s' not found", device);
        return NULL;
    }
    if (!chr_is_ringbuf(chr)) {
        qmp_error_setg(err, "%s is not a ringbuf device", device);
        return NULL;
    }
    return chr;
}

static bool is_base64(const char *data)
{
    return strspn(data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
           strlen(data);
}

JsonNode *qmp_ringbuf_write(JsonObject *args, QmpError *err)
{
    const char *device = json_object_get_string_member(args, "device");
    const char *data = json_object_get_string_member(args, "data");
    const char *format = json_object_get_string_member_with_default(args, "format", "utf8");
    Chardev *chr = ringbuf_find(device, err);
    g_autofree uint8_t *bytes = NULL;
    gsize len;

    if (!chr) {
        return NULL;
    }
    if (!strcmp(format, "base64")) {
        if (!is_base64(data)) {
            qmp_error_setg(err, "Base64 data contains invalid characters");
            return NULL;
        }
        bytes = g_base64_decode(data, &len);
        chr_ringbuf_write(chr, bytes, len);
    } else {
        chr_ringbuf_write(chr, (const uint8_t *)data, strlen(data));
    }
    return qmp_return_empty();
}

JsonNode *qmp_ringbuf_read(JsonObject *args, QmpError *err)
{
    const char *device = json_object_get_string_member(args, "device");
    int64_t size = json_object_get_int_member(args, "size");
    const char *format = json_object_get_string_member_with_default(args, "format", "utf8");
    Chardev *chr = ringbuf_find(device, err);
    g_autofree uint8_t *buf = NULL;
    g_autofree char *text = NULL;
    size_t n;

    if (!chr) {
        return NULL;
    }
    if (size <= 0) {
        qmp_error_setg(err, "size must be greater than zero");
        return NULL;
    }
    buf = chr_ringbuf_take(chr, size, &n);
    if (!strcmp(format, "base64")) {
        text = g_base64_encode(buf, n);
    } else {
        /*
         * As text the bytes end at the first NUL, and a byte that is not
         * UTF-8 becomes U+FFFD: what QEMU's reply shows.
         */
        text = g_utf8_make_valid((const char *)buf, -1);
    }
    return qmp_node_string(text);
}

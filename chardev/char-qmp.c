/*
 * QMP chardev-add: a chardev made at run time from QEMU's ChardevBackend
 * (the file, socket, pty and null backends), as the -chardev option it
 * stands for; a socket's "fd" address is a descriptor named with getfd.
 * chardev-remove deletes one no frontend uses.
 */
#include "chardev/char.h"
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

JsonNode *qmp_chardev_add(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    JsonObject *backend = json_object_get_object_member(args, "backend");
    const char *type = json_object_get_string_member(backend, "type");
    JsonObject *data = json_object_get_object_member(backend, "data");
    g_autofree char *why = NULL;
    QemuOpts *opts;
    Chardev *chr = NULL;
    int fd = -1;

    if (qemu_chr_find(id)) {
        qmp_error_setg(err, "Chardev with id '%s' already exists", id);
        return NULL;
    }
    opts = qemu_opts_parse("", NULL, &why);
    qemu_opt_set(opts, "id", id);
    qemu_opt_set(opts, "backend", type);
    if (json_object_has_member(data, "logfile")) {
        qemu_opt_set(opts, "logfile", json_object_get_string_member(data, "logfile"));
    }
    set_bool(opts, data, "logappend", "logappend");
    if (!strcmp(type, "file")) {
        qemu_opt_set(opts, "path", json_object_get_string_member(data, "out"));
        set_bool(opts, data, "append", "append");
    }
    if (!strcmp(type, "file") && json_object_has_member(data, "in")) {
        why = g_strdup("a file backend's in= is not supported");
    } else if (strcmp(type, "socket") || socket_opts(opts, data, &fd, &why)) {
        chr = qemu_chr_new_from_opts(opts, &why);
    }
    qemu_opts_free(opts);
    if (!chr) {
        if (fd >= 0) {
            close(fd); /* still ours: the socket backend takes it only on success */
        }
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

JsonNode *qmp_chardev_remove(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        qmp_error_setg(err, "Chardev '%s' not found", id);
        return NULL;
    }
    /* A monitor, a device, qtest or a mux in front of it: QEMU's "busy". */
    if (qemu_chr_has_frontend(chr)) {
        qmp_error_setg(err, "Chardev '%s' is busy", id);
        return NULL;
    }
    qemu_chr_delete(chr);
    return qmp_return_empty();
}

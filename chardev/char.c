/* STUB: character devices (helper-owned; to be replaced). */
#include "chardev/char.h"

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, char **err)
{
    *err = g_strdup("chardevs are not implemented yet");
    return NULL;
}

Chardev *qemu_chr_new(const char *label, const char *spec, char **err)
{
    *err = g_strdup("chardevs are not implemented yet");
    return NULL;
}

Chardev *qemu_chr_find(const char *id) { return NULL; }
const char *qemu_chr_id(Chardev *chr) { return NULL; }
bool qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque) { return false; }
void qemu_chr_fe_accept_input(Chardev *chr) {}
int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len) { return -1; }
int qemu_chr_fe_printf(Chardev *chr, const char *fmt, ...) { return -1; }
bool qemu_chr_fe_is_open(Chardev *chr) { return false; }
void qemu_chr_cleanup_all(void) {}

/*
 * The firmware search path: -L directories, the configured data directory
 * and /usr/share/qemu (where Debian's qemu-system-data puts slof.bin).
 */
#include "qemu/osdep.h"
#include "sysemu/datadir.h"
#include "system/datadir-config.h"
#include <unistd.h>

static GPtrArray *user_dirs;

void qemu_add_data_dir(const char *dir)
{
    if (!user_dirs) {
        user_dirs = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(user_dirs, g_strdup(dir));
}

void qemu_data_dirs_clear(void)
{
    g_clear_pointer(&user_dirs, g_ptr_array_unref);
}

/* The -L directories, then the built-in ones without repeating a directory. */
static GPtrArray *data_dirs(void)
{
    static const char *const builtin[] = { CONFIG_QEMU_DATADIR, "/usr/share/qemu" };
    GPtrArray *dirs = g_ptr_array_new();

    for (guint i = 0; user_dirs && i < user_dirs->len; i++) {
        g_ptr_array_add(dirs, g_ptr_array_index(user_dirs, i));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++) {
        bool seen = false;

        for (guint j = 0; j < dirs->len; j++) {
            seen |= !strcmp(g_ptr_array_index(dirs, j), builtin[i]);
        }
        if (!seen) {
            g_ptr_array_add(dirs, (gpointer)builtin[i]);
        }
    }
    return dirs;
}

char *qemu_find_file(const char *name)
{
    g_autoptr(GPtrArray) dirs = NULL;

    if (access(name, R_OK) == 0) {
        return g_strdup(name);
    }
    dirs = data_dirs();
    for (guint i = 0; i < dirs->len; i++) {
        char *path = g_build_filename(g_ptr_array_index(dirs, i), name, NULL);

        if (access(path, R_OK) == 0) {
            return path;
        }
        g_free(path);
    }
    return NULL;
}

void qemu_list_data_dirs(FILE *out)
{
    g_autoptr(GPtrArray) dirs = data_dirs();

    for (guint i = 0; i < dirs->len; i++) {
        fprintf(out, "%s\n", (const char *)g_ptr_array_index(dirs, i));
    }
}

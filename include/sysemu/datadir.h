/*
 * Where firmware images are looked up: the -L directories, then the data
 * directory this program was configured with, then Debian's QEMU data.
 */
#ifndef SYSEMU_DATADIR_H
#define SYSEMU_DATADIR_H

#include <stdio.h>

/* -L DIR: searched before the built-in directories, in the order given. */
void qemu_add_data_dir(const char *dir);
/* Forget the -L directories. */
void qemu_data_dirs_clear(void);

/*
 * NAME as a path if it is readable as given, else the first readable
 * DIR/NAME over the data directories; NULL if none.  g_free the result.
 */
char *qemu_find_file(const char *name);

/* -L help: every directory searched, one per line. */
void qemu_list_data_dirs(FILE *out);

#endif

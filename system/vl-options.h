/*
 * Command-line options for management tools, parsed outside vl.c: -audiodev,
 * -add-fd and -machine memory-backend=.
 */
#ifndef SYSTEM_VL_OPTIONS_H
#define SYSTEM_VL_OPTIONS_H

#include "hw/boards.h"
#include "qapi/error.h"
#include "qemu/option.h"

/* -audiodev DRIVER,id=ID or JSON: only the 'none' driver (no sound hardware). */
bool audiodev_option_parse(const char *arg, Error **errp);
/* -add-fd fd=N,set=N[,opaque=S]: an inherited fd joins fd set N. */
bool add_fd_option_parse(const char *arg, Error **errp);

/* Remove memory-backend=ID from the -machine options; the id (g_free) or NULL. */
char *machine_take_memory_backend(QemuOpts *machine);
/*
 * Guest RAM comes from backend id: its size becomes the RAM size (-m, when
 * given, must match) and guest RAM maps it.
 */
bool machine_memory_backend_apply(const char *id, bool mem_given, MachineOptions *mo, Error **errp);

/*
 * The command line read and checked as at start-up, without acting on it
 * (tests/fuzz/fuzz-cmdline.c): the options, help requests, -icount, the
 * accelerator, the board and its -machine properties, -m, -smp, -numa, -rtc,
 * -mon and -name.  Nothing is created or opened except the images -drive
 * opens while it is read.  Errors and help end the process through
 * error_exit() / error_exit_status() (their handler, when set).
 */
void qemu_cmdline_check(int argc, char **argv);
/* Forget what the last qemu_cmdline_check() read, finished or not. */
void qemu_cmdline_reset(void);

#endif

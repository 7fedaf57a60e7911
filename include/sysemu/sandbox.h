/*
 * -sandbox on[,obsolete=..,elevateprivileges=..,spawn=..,resourcecontrol=..]:
 * a seccomp filter (libseccomp) over the whole process, QEMU's syscall groups.
 */
#ifndef SYSEMU_SANDBOX_H
#define SYSEMU_SANDBOX_H

#include "qemu/option.h"

/*
 * Parse one -sandbox argument as the command line is read: unknown keys and
 * a malformed on/off are errors here (QEMU's messages).  NULL and *err
 * (g_free it) on error.
 */
QemuOpts *sandbox_parse(const char *arg, char **err);

/*
 * Act on parsed options: nothing when off; otherwise check the group values
 * and load the filter into every thread of the process.  false and *err
 * ("invalid argument for spawn") when a value is wrong or the kernel refuses.
 */
bool sandbox_apply(QemuOpts *opts, char **err);

#endif

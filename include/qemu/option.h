/*
 * QEMU's "key=value,key2=value2" option strings: parsing and typed access.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qemu/osdep.h"

typedef struct QemuOpt {
    char *name;
    char *value;
    bool used;
} QemuOpt;

typedef struct QemuOpts {
    GPtrArray *list; /* of QemuOpt *, in command-line order */
} QemuOpts;

/*
 * Parse "a,b=c,,d,noe".  A first element without '=' is the value of
 * implied_key when one is given ("pseries,usb=off" -> type=pseries).  ",," is
 * an escaped comma.  A bare "key" means key=on.  On error returns NULL and sets
 * *err to a message ("Invalid parameter ..."), to be freed with g_free.
 */
QemuOpts *qemu_opts_parse(const char *str, const char *implied_key, char **err);
void qemu_opts_free(QemuOpts *opts);

/* The last value given for name, or NULL.  Marks the option used. */
const char *qemu_opt_get(QemuOpts *opts, const char *name);
bool qemu_opt_has(QemuOpts *opts, const char *name);
void qemu_opt_set(QemuOpts *opts, const char *name, const char *value);

/*
 * Typed getters: return false and set *err when the value is malformed;
 * leave *val at def when the key is absent.
 */
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool def, bool *val, char **err);
bool qemu_opt_get_number(QemuOpts *opts, const char *name, uint64_t def, uint64_t *val, char **err);
bool qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t def, uint64_t *val, char **err);

/*
 * The first option not read by any getter, or NULL: what the caller reports
 * as "Invalid parameter 'x'".
 */
const char *qemu_opts_first_unused(QemuOpts *opts);

/* "on/yes/true" and "off/no/false". */
bool qemu_parse_bool(const char *str, bool *val);
/*
 * A size with optional suffix B, K/k, M, G, T, P, E; a number without a
 * suffix is multiplied by default_unit.  Decimals may have a fraction when the
 * unit is bigger than a byte; hex numbers may not.  qemu_strtosz_err returns 0,
 * -EINVAL for garbage or a negative number, -ERANGE for 2^64 and beyond;
 * qemu_strtosz says whether it succeeded.  *val is only set on success.
 */
int qemu_strtosz_err(const char *str, uint64_t default_unit, uint64_t *val);
bool qemu_strtosz(const char *str, uint64_t default_unit, uint64_t *val);
/* The hint QEMU prints after a size it could not read. */
#define QEMU_SIZE_SUFFIX_HINT                                                                      \
    "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"                 \
    "and exabytes, respectively."
/* A whole number in decimal, 0x hex or 0 octal, without trailing garbage. */
bool qemu_strtou64(const char *str, uint64_t *val);
/*
 * A size as QEMU's monitors and qemu-img show it: three significant digits and
 * a binary unit ("196 KiB", "0.977 KiB" for 1000); free with g_free.
 */
char *qemu_size_to_str(uint64_t val);

#endif

/*
 * -readconfig FILE: QEMU's configuration file, each section handed back as
 * the command-line option it stands for.
 */
#ifndef SYSTEM_READCONFIG_H
#define SYSTEM_READCONFIG_H

/* Handle OPTION ("-drive") with ARG, which lives as long as the program. */
typedef void (*ReadConfigApply)(const char *option, const char *arg, void *opaque);

/*
 * Read FNAME and apply each section in file order; messages point at the
 * file and line as QEMU 7.2's do.  Exits with status 1 on any error.
 */
void readconfig_file(const char *fname, ReadConfigApply apply, void *opaque);

#endif

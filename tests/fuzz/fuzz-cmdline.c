/*
 * libFuzzer target: the command-line parser (system/vl.c and what it calls
 * while the options are read: QemuOpts and keyval syntax, -machine and its
 * board properties, -m, -smp, -numa, -rtc, -accel, -icount, -device /
 * -object / -netdev / -drive / -blockdev / -chardev syntax including their
 * JSON forms, -mon, -name, -global, -boot, -action, -sandbox...), through
 * qemu_cmdline_check(): everything start-up checks before it creates
 * anything.  No machine is built.
 *
 * Input: the arguments after argv[0], one per line ('\n' separated).  An
 * error or a help request ends the process in QEMU by design; here it comes
 * back through fuzz_catch_exit(), and qemu_cmdline_reset() forgets what the
 * input read either way.
 *
 * Inputs naming an option that acts on the host while it is read are
 * skipped: -readconfig (reads a file: a FIFO or /dev/zero never ends),
 * -perfmap (creates a file) and -add-fd (closes an inherited descriptor of
 * this process).  So are inputs with a '/': -drive and -blockdev open their
 * images while they are read, and only names in the current directory are
 * left to them.
 */
#include "fuzz.h"
#include "qemu/error-report.h"
#include "system/vl-options.h"

#define MAX_ARGS 64

static const char *const skipped[] = { "readconfig", "perfmap", "add-fd" };

/* The option name of a (-x or --x), or NULL when a is not an option. */
static const char *option_name(const char *a)
{
    if (a[0] != '-' || !a[1]) {
        return NULL;
    }
    return a[1] == '-' ? a + 2 : a + 1;
}

static bool input_allowed(char **argv, int argc)
{
    for (int i = 1; i < argc; i++) {
        const char *name = option_name(argv[i]);

        if (strchr(argv[i], '/')) {
            return false;
        }
        for (size_t k = 0; name && k < G_N_ELEMENTS(skipped); k++) {
            if (!strcmp(name, skipped[k])) {
                return false;
            }
        }
    }
    return true;
}

typedef struct CheckArgs {
    int argc;
    char **argv;
} CheckArgs;

static void check(void *opaque)
{
    CheckArgs *a = opaque;

    qemu_cmdline_check(a->argc, a->argv);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    char *argv[MAX_ARGS + 2];
    CheckArgs a = { .argc = 1, .argv = argv };
    char *p = text;

    /* g_strndup stops at a NUL: the rest of the input is not an argument. */
    argv[0] = (char *)"qemu-system-ppc64";
    while (*p && a.argc <= MAX_ARGS) {
        char *nl = strchr(p, '\n');

        argv[a.argc++] = p;
        if (!nl) {
            break;
        }
        *nl = '\0';
        p = nl + 1;
    }
    argv[a.argc] = NULL;
    if (!input_allowed(argv, a.argc)) {
        return 0;
    }
    fuzz_catch_exit(check, &a);
    qemu_cmdline_reset();
    return 0;
}

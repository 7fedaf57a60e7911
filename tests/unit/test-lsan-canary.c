/*
 * The sanitizer build's test setup catches leaks (tests/meson.build): this
 * program runs itself again, in the environment meson gives every test,
 * leaking a g_malloc block and then a GSlice, and expects LeakSanitizer to
 * fail each child with its report; a child that leaks nothing must pass.
 * The slice child gets G_SLICE=always-malloc (what the 'slices' setup sets):
 * without it GLib 2.74's slab keeps the leaked slice reachable.  Built only
 * with ASan.
 */
#include <glib.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CANARY_SIZE 48

static void *volatile canary_sink;

/* A child: leak CANARY_SIZE bytes the way @mode says, or nothing. */
static int canary_child(const char *mode)
{
    if (!strcmp(mode, "leak-malloc")) {
        canary_sink = g_malloc(CANARY_SIZE);
    } else if (!strcmp(mode, "leak-slice")) {
        canary_sink = g_slice_alloc(CANARY_SIZE);
    } else if (!strcmp(mode, "no-leak")) {
        canary_sink = g_malloc(CANARY_SIZE);
        g_free(canary_sink);
    } else {
        g_printerr("test-lsan-canary: unknown mode '%s'\n", mode);
        return 2;
    }
    /* The only pointer to the block goes: nothing reaches it at exit. */
    canary_sink = NULL;
    return 0;
}

/* Run the child in @mode and check its verdict; print one TAP line. */
static bool canary_check(const char *self, int n, const char *mode, bool leaks)
{
    const char *argv[] = { self, mode, NULL };
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "G_SLICE", "always-malloc", TRUE);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *size = g_strdup_printf("Direct leak of %d byte(s)", CANARY_SIZE);
    int status;
    bool ok;

    if (!g_spawn_sync(NULL, (char **)argv, strcmp(mode, "leak-slice") ? NULL : envp,
                      G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error)) {
        printf("not ok %d - %s: cannot run the child: %s\n", n, mode, error->message);
        return false;
    }
    bool exited0 = g_spawn_check_wait_status(status, NULL);
    bool report = strstr(err, "ERROR: LeakSanitizer: detected memory leaks") != NULL;
    if (leaks) {
        ok = !exited0 && report && strstr(err, size) != NULL;
    } else {
        ok = exited0 && !report;
    }
    printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", n, mode,
           leaks ? "LeakSanitizer fails the process with its report" : "no report, exit status 0");
    if (!ok) {
        printf("# child stderr:\n");
        g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
        for (char **l = lines; *l; l++) {
            printf("#   %s\n", *l);
        }
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        return canary_child(argv[1]);
    }
    printf("1..3\n");
    bool ok = canary_check(argv[0], 1, "leak-malloc", true);
    ok &= canary_check(argv[0], 2, "leak-slice", true);
    ok &= canary_check(argv[0], 3, "no-leak", false);
    return ok ? 0 : 1;
}

/*
 * The replay main of tests/fuzz: without libFuzzer, feed each file named on
 * the command line (a directory: each file in it) to the target's
 * LLVMFuzzerTestOneInput.  make check runs it on the checked-in corpus and
 * the inputs of past findings, so a fixed finding stays fixed.
 */
#include "fuzz.h"

static int replay_file(const char *path)
{
    g_autofree char *data = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "replay: %s\n", err->message);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    printf("ok %s\n", path);
    return 0;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    const char *name;
    int fails = 0;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        return replay_file(path);
    }
    dir = g_dir_open(path, 0, NULL);
    if (!dir) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    while ((name = g_dir_read_name(dir))) {
        g_ptr_array_add(names, g_build_filename(path, name, NULL));
    }
    g_ptr_array_sort(names, by_name);
    for (guint i = 0; i < names->len; i++) {
        fails += replay_path(g_ptr_array_index(names, i));
    }
    return fails;
}

int main(int argc, char **argv)
{
    unsigned files = 0;
    int fails = 0;

    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        fails += replay_path(argv[i]);
        files++;
    }
    if (!files) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 1;
    }
    return fails ? 1 : 0;
}

/*
 * util/log.c: repeated lines (a guest looping on an interrupt) are counted,
 * not written; blocks of up to 8 lines repeating are summarised too.
 */
#include "qemu/log.h"

#include <glib/gstdio.h>

static char *log_path;

/* Start a new log file and return what the previous one held. */
static char *log_restart(void)
{
    char *text = NULL;

    qemu_log_flush();
    if (log_path) {
        g_assert_true(g_file_get_contents(log_path, &text, NULL, NULL));
        g_unlink(log_path);
        g_free(log_path);
    }
    log_path = g_strdup_printf("%s/test-log-%d-%d.txt", g_get_tmp_dir(), getpid(),
                               g_random_int_range(0, 1 << 30));
    g_assert_true(qemu_log_set_file(log_path));
    return text;
}

static void test_identical_lines(void)
{
    g_autofree char *text = NULL;

    g_free(log_restart());
    qemu_log("start\n");
    for (int i = 0; i < 100000; i++) {
        qemu_log("interrupt 0x%x at 0x%x\n", 0x700, 0x700);
    }
    qemu_log("end\n");
    text = log_restart();
    g_assert_cmpstr(text, ==,
                    "start\n"
                    "interrupt 0x700 at 0x700\n"
                    "interrupt 0x700 at 0x700\n"
                    "... 1000 identical lines so far\n"
                    "... 10000 identical lines so far\n"
                    "... 99998 identical lines\n"
                    "end\n");
}

static void test_partial_lines(void)
{
    g_autofree char *text = NULL;

    g_free(log_restart());
    for (int i = 0; i < 5; i++) {
        qemu_log("GPR%02d ", 0);
        qemu_log("%d\n", 7);
    }
    text = log_restart();
    g_assert_cmpstr(text, ==, "GPR00 7\nGPR00 7\n... 3 identical lines\n");
}

static void test_block_of_lines(void)
{
    g_autofree char *text = NULL;

    g_free(log_restart());
    for (int i = 0; i < 50; i++) {
        qemu_log("a\nb\nc\n");
    }
    qemu_log("d\n");
    text = log_restart();
    g_assert_cmpstr(text, ==, "a\nb\nc\na\nb\nc\n... 144 lines repeating the last 3\nd\n");
}

static void test_no_repeat(void)
{
    g_autofree char *text = NULL;

    g_free(log_restart());
    for (int i = 0; i < 20; i++) {
        qemu_log("line %d\n", i);
    }
    text = log_restart();
    g_assert_cmpint(strlen(text), ==, 20 * 7 + 10 * 1);
    g_assert_true(g_str_has_prefix(text, "line 0\nline 1\n"));
    g_assert_true(g_str_has_suffix(text, "line 19\n"));
}

int main(int argc, char **argv)
{
    g_autofree char *last = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/log/identical-lines", test_identical_lines);
    g_test_add_func("/log/partial-lines", test_partial_lines);
    g_test_add_func("/log/block-of-lines", test_block_of_lines);
    g_test_add_func("/log/no-repeat", test_no_repeat);
    ret = g_test_run();
    last = log_restart();
    g_unlink(log_path);
    return ret;
}

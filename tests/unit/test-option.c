/*
 * Unit tests for the option-string parser and its typed values.
 */
#include "qemu/option.h"
#include "qemu/units.h"

static void test_parse_implied_and_flags(void)
{
    char *err = NULL;
    QemuOpts *o = qemu_opts_parse("pseries,cap-htm=off,usb,x-vof=on", "type", &err);

    g_assert_nonnull(o);
    g_assert_cmpstr(qemu_opt_get(o, "type"), ==, "pseries");
    g_assert_cmpstr(qemu_opt_get(o, "cap-htm"), ==, "off");
    g_assert_cmpstr(qemu_opt_get(o, "usb"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(o, "x-vof"), ==, "on");
    g_assert_null(qemu_opt_get(o, "absent"));
    g_assert_null(qemu_opts_first_unused(o));
    qemu_opts_free(o);
}

static void test_parse_escaped_comma_and_last_wins(void)
{
    char *err = NULL;
    QemuOpts *o = qemu_opts_parse("path=/tmp/a,,b,id=x,id=y", NULL, &err);

    g_assert_nonnull(o);
    g_assert_cmpstr(qemu_opt_get(o, "path"), ==, "/tmp/a,b");
    g_assert_cmpstr(qemu_opt_get(o, "id"), ==, "y");
    qemu_opts_free(o);
}

static void test_parse_errors(void)
{
    char *err = NULL;

    g_assert_null(qemu_opts_parse("a=1,=2", NULL, &err));
    g_assert_nonnull(err);
    g_free(err);
}

static void test_unused(void)
{
    char *err = NULL;
    QemuOpts *o = qemu_opts_parse("a=1,b=2", NULL, &err);

    qemu_opt_get(o, "a");
    g_assert_cmpstr(qemu_opts_first_unused(o), ==, "b");
    qemu_opts_free(o);
}

static void test_bool(void)
{
    const char *yes[] = { "on", "yes", "true" };
    const char *no[] = { "off", "no", "false" };
    bool v;

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        g_assert_true(qemu_parse_bool(yes[i], &v) && v);
        g_assert_true(qemu_parse_bool(no[i], &v) && !v);
    }
    g_assert_false(qemu_parse_bool("maybe", &v));
    g_assert_false(qemu_parse_bool("", &v));
}

static void test_typed_getters(void)
{
    char *err = NULL;
    QemuOpts *o = qemu_opts_parse("b=maybe,n=12x,s=2G,good=0x10", NULL, &err);
    bool b;
    uint64_t v;

    g_assert_false(qemu_opt_get_bool(o, "b", false, &b, &err));
    g_assert_cmpstr(err, ==, "Parameter 'b' expects 'on' or 'off'");
    g_clear_pointer(&err, g_free);
    g_assert_false(qemu_opt_get_number(o, "n", 0, &v, &err));
    g_clear_pointer(&err, g_free);
    g_assert_true(qemu_opt_get_size(o, "s", 0, &v, &err));
    g_assert_cmpuint(v, ==, 2 * GiB);
    g_assert_true(qemu_opt_get_number(o, "good", 0, &v, &err));
    g_assert_cmpuint(v, ==, 16);
    g_assert_true(qemu_opt_get_number(o, "absent", 7, &v, &err));
    g_assert_cmpuint(v, ==, 7);
    qemu_opts_free(o);
}

static void test_strtosz(void)
{
    static const struct {
        const char *in;
        uint64_t unit;
        bool ok;
        uint64_t out;
    } cases[] = {
        { "512", MiB, true, 512 * MiB },
        { "2G", MiB, true, 2 * GiB },
        { "2g", MiB, true, 2 * GiB },
        { "1.5G", MiB, true, 3 * GiB / 2 },
        { "4096K", 1, true, 4 * MiB },
        { "100B", MiB, true, 100 },
        { "1T", 1, true, TiB },
        { "0x1000", 1, true, 4096 },
        { "16E", 1, false, 0 },
        { "15E", 1, true, 15ULL << 60 },
        { "-1", 1, false, 0 },
        { "1X", MiB, false, 0 },
        { "", MiB, false, 0 },
        { "G", MiB, false, 0 },
        { "1GG", MiB, false, 0 },
        { " 1", MiB, true, MiB },
        { "1.5B", 1, false, 0 },
        { "99999999999999999999", 1, false, 0 },
        /* What QEMU's reader accepts and refuses beyond the obvious. */
        { "+1G", 1, true, GiB },
        { "1.G", 1, true, GiB },
        { "1E", 1, true, 1ULL << 60 },
        { "1.0B", 1, true, 1 },
        { "1.5k", 1, true, 1536 },
        { "0.0005k", 1, true, 1 },
        { "0.0004k", 1, true, 0 },
        { "0x10M", 1, true, 16 * MiB },
        { "1.5", MiB, true, 3 * MiB / 2 },
        { "inf", 1, false, 0 },
        { "nan", 1, false, 0 },
        { "infG", 1, false, 0 },
        { "1e3", 1, false, 0 },
        { "1.5e3G", 1, false, 0 },
        { ".5G", 1, false, 0 },
        { "0x10.5", 1, false, 0 },
        { "0x", 1, false, 0 },
        { "0.5B", 1, false, 0 },
        { "1G ", 1, false, 0 },
        { "1 G", 1, false, 0 },
        { "1.5", 1, false, 0 },
        { "- 1", 1, false, 0 },
        { "15.9999999999999999999999E", 1, false, 0 },
        { "0.99999999999999999999999K", 1, true, KiB },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t v = 0;
        bool ok = qemu_strtosz(cases[i].in, cases[i].unit, &v);

        g_test_message("strtosz(\"%s\")", cases[i].in);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok) {
            g_assert_cmpuint(v, ==, cases[i].out);
        }
    }
}

/* Garbage and numbers too big are told apart, as QEMU's two messages do. */
static void test_strtosz_errors(void)
{
    uint64_t v = 42;

    g_assert_cmpint(qemu_strtosz_err("16E", 1, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtosz_err("99999999999999999999", 1, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtosz_err("17179869184G", 1, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtosz_err("1e400", 1, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtosz_err("inf", 1, &v), ==, -EINVAL);
    g_assert_cmpuint(v, ==, 42);
    g_assert_cmpint(qemu_strtosz_err("17179869183G", 1, &v), ==, 0);
    g_assert_cmpuint(v, ==, 17179869183ULL << 30);
}

static void test_strtou64(void)
{
    uint64_t v;

    g_assert_true(qemu_strtou64("0", &v) && v == 0);
    g_assert_true(qemu_strtou64("0x71000000", &v) && v == 0x71000000);
    g_assert_true(qemu_strtou64("18446744073709551615", &v) && v == UINT64_MAX);
    g_assert_false(qemu_strtou64("18446744073709551616", &v));
    g_assert_false(qemu_strtou64("-1", &v));
    g_assert_false(qemu_strtou64("12a", &v));
    g_assert_false(qemu_strtou64("", &v));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/option/parse/implied", test_parse_implied_and_flags);
    g_test_add_func("/option/parse/escape", test_parse_escaped_comma_and_last_wins);
    g_test_add_func("/option/parse/errors", test_parse_errors);
    g_test_add_func("/option/unused", test_unused);
    g_test_add_func("/option/bool", test_bool);
    g_test_add_func("/option/typed", test_typed_getters);
    g_test_add_func("/option/strtosz", test_strtosz);
    g_test_add_func("/option/strtosz-errors", test_strtosz_errors);
    g_test_add_func("/option/strtou64", test_strtou64);
    return g_test_run();
}

/*
 * QEMU-style option strings ("pseries,cap-htm=off,,x") and typed values.
 */
#include "qemu/option.h"
#include "qemu/error-report.h"

static void opt_free(gpointer p)
{
    QemuOpt *opt = p;

    g_free(opt->name);
    g_free(opt->value);
    g_free(opt);
}

/* Read one element up to an unescaped ',' (",," is a literal comma). */
static const char *get_element(const char *p, GString *out, bool stop_at_eq)
{
    g_string_truncate(out, 0);
    while (*p) {
        if (*p == ',') {
            if (p[1] == ',') {
                g_string_append_c(out, ',');
                p += 2;
                continue;
            }
            break;
        }
        if (stop_at_eq && *p == '=') {
            break;
        }
        g_string_append_c(out, *p++);
    }
    return p;
}

QemuOpts *qemu_opts_parse(const char *str, const char *implied_key, char **err)
{
    QemuOpts *opts = g_new0(QemuOpts, 1);
    g_autoptr(GString) key = g_string_new(NULL);
    g_autoptr(GString) val = g_string_new(NULL);
    const char *p = str;
    bool first = true;

    opts->list = g_ptr_array_new_with_free_func(opt_free);
    while (*p) {
        const char *q = get_element(p, key, true);
        const char *name;

        if (*q == '=') {
            p = get_element(q + 1, val, false);
            name = key->str;
        } else if (first && implied_key) {
            p = q;
            g_string_assign(val, key->str);
            name = implied_key;
        } else {
            p = q;
            /* A bare "key" means key=on. */
            g_string_assign(val, "on");
            name = key->str;
        }
        if (!*name) {
            *err = g_strdup_printf("Invalid parameter ''");
            qemu_opts_free(opts);
            return NULL;
        }
        qemu_opt_set(opts, name, val->str);
        first = false;
        if (*p == ',') {
            p++;
        }
    }
    return opts;
}

void qemu_opts_free(QemuOpts *opts)
{
    if (opts) {
        g_ptr_array_free(opts->list, TRUE);
        g_free(opts);
    }
}

void qemu_opt_set(QemuOpts *opts, const char *name, const char *value)
{
    QemuOpt *opt = g_new0(QemuOpt, 1);

    opt->name = g_strdup(name);
    opt->value = g_strdup(value);
    g_ptr_array_add(opts->list, opt);
}

static QemuOpt *find_opt(QemuOpts *opts, const char *name)
{
    QemuOpt *found = NULL;

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!strcmp(opt->name, name)) {
            opt->used = true;
            found = opt;
        }
    }
    return found;
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    QemuOpt *opt = find_opt(opts, name);

    return opt ? opt->value : NULL;
}

bool qemu_opt_has(QemuOpts *opts, const char *name)
{
    return find_opt(opts, name) != NULL;
}

bool qemu_parse_bool(const char *str, bool *val)
{
    /* QEMU's spellings: also "y" and "n", but no other case or abbreviation. */
    if (!strcmp(str, "on") || !strcmp(str, "yes") || !strcmp(str, "true") || !strcmp(str, "y")) {
        *val = true;
        return true;
    }
    if (!strcmp(str, "off") || !strcmp(str, "no") || !strcmp(str, "false") || !strcmp(str, "n")) {
        *val = false;
        return true;
    }
    return false;
}

bool qemu_strtou64(const char *str, uint64_t *val)
{
    char *end;
    uint64_t v;

    if (!*str || *str == '-' || g_ascii_isspace(*str)) {
        return false;
    }
    errno = 0;
    v = g_ascii_strtoull(str, &end, 0);
    if (errno || *end) {
        return false;
    }
    *val = v;
    return true;
}

/* The multiplier of a size suffix letter, or 0 when @c is not one. */
static uint64_t size_suffix(char c)
{
    static const char letters[] = "BKMGTPE";
    const char *at = c ? strchr(letters, g_ascii_toupper(c)) : NULL;

    return at ? UINT64_C(1) << (10 * (at - letters)) : 0;
}

/*
 * Sizes as QEMU reads them: a decimal integer (leading blanks and '+' allowed), or a hex
 * one after "0x" without fraction, then an optional ".digits" fraction without exponent,
 * then an optional suffix letter; without one, @default_unit applies. A fraction needs a
 * unit bigger than a byte; the result is rounded to the nearest byte, halves up.
 */
int qemu_strtosz_err(const char *str, uint64_t default_unit, uint64_t *val)
{
    const char *p = str;
    char *end;
    uint64_t whole, frac = 0, mul;
    bool hex = false;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p == '+') {
        p++;
    }
    if (!g_ascii_isdigit(*p)) {
        return -EINVAL;
    }
    errno = 0;
    whole = g_ascii_strtoull(p, &end, 10);
    if (errno) {
        return -ERANGE;
    }
    if (whole == 0 && end == p + 1 && (*end == 'x' || *end == 'X')) {
        if (!g_ascii_isxdigit(end[1])) {
            return -EINVAL;
        }
        whole = g_ascii_strtoull(p, &end, 16);
        if (errno) {
            return -ERANGE;
        }
        if (*end == '.') {
            return -EINVAL;
        }
        hex = true;
    } else if (*end == '.') {
        const char *dot = end;
        double d;

        if (!g_ascii_isdigit(dot[1])) {
            end++;
        } else {
            d = g_ascii_strtod(dot, &end);
            if (memchr(dot, 'e', end - dot) || memchr(dot, 'E', end - dot)) {
                return -EINVAL;
            }
            /* 0 <= d <= 1 here; a fraction rounding up to 1 keeps just under it. */
            frac = d >= 1.0 ? UINT64_MAX : (uint64_t)(d * 18446744073709551616.0);
        }
    }
    mul = size_suffix(*end);
    if (mul) {
        if (hex) {
            warn_report("Using a multiplier suffix on hex numbers is deprecated: %s", str);
        }
        end++;
    } else {
        mul = default_unit;
    }
    if (*end) {
        return -EINVAL;
    }
    if (mul == 1) {
        if (frac) {
            return -EINVAL;
        }
        *val = whole;
        return 0;
    }
    /* whole.frac (64.64 fixed point) times mul, rounded at the binary point. */
    unsigned __int128 r = (unsigned __int128)whole * mul;
    unsigned __int128 f = (unsigned __int128)frac * mul;

    r += (f >> 64) + ((uint64_t)f >> 63);
    if (r >> 64) {
        return -ERANGE;
    }
    *val = (uint64_t)r;
    return 0;
}

bool qemu_strtosz(const char *str, uint64_t default_unit, uint64_t *val)
{
    uint64_t v;

    if (qemu_strtosz_err(str, default_unit, &v)) {
        return false;
    }
    *val = v;
    return true;
}

bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool def, bool *val, char **err)
{
    const char *s = qemu_opt_get(opts, name);

    *val = def;
    if (!s) {
        return true;
    }
    if (!qemu_parse_bool(s, val)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

bool qemu_opt_get_number(QemuOpts *opts, const char *name, uint64_t def, uint64_t *val, char **err)
{
    const char *s = qemu_opt_get(opts, name);

    *val = def;
    if (!s) {
        return true;
    }
    if (!qemu_strtou64(s, val)) {
        *err = g_strdup_printf("Parameter '%s' expects a number", name);
        return false;
    }
    return true;
}

bool qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t def, uint64_t *val, char **err)
{
    const char *s = qemu_opt_get(opts, name);

    *val = def;
    if (!s) {
        return true;
    }
    switch (qemu_strtosz_err(s, 1, val)) {
    case 0:
        return true;
    case -ERANGE:
        *err = g_strdup_printf("Value '%s' is out of range for parameter '%s'", s, name);
        return false;
    default:
        *err = g_strdup_printf("Parameter '%s' expects a non-negative number below 2^64\n%s", name,
                               QEMU_SIZE_SUFFIX_HINT);
        return false;
    }
    return true;
}

const char *qemu_opts_first_unused(QemuOpts *opts)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!opt->used) {
            return opt->name;
        }
    }
    return NULL;
}

char *qemu_size_to_str(uint64_t val)
{
    static const char *const units[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
    unsigned i = 0;

    /* A unit is used from 1000 of the one below it ("1000 B" is "0.977 KiB"). */
    while (i < G_N_ELEMENTS(units) - 1 && val >= 1000ULL << (10 * i)) {
        i++;
    }
    return g_strdup_printf("%0.3g %sB", (double)val / (double)(1ULL << (10 * i)), units[i]);
}

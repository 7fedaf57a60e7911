/*
 * QEMU-style option strings ("pseries,cap-htm=off,,x") and typed values.
 */
#include "qemu/option.h"

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

bool qemu_strtosz(const char *str, uint64_t default_unit, uint64_t *val)
{
    char *end;
    double d;
    uint64_t mul, whole;
    int shift;

    if (!*str || *str == '-' || g_ascii_isspace(*str)) {
        return false;
    }
    /* Hex is a whole number of bytes-or-units; decimals may have a fraction. */
    errno = 0;
    if (g_str_has_prefix(str, "0x") || g_str_has_prefix(str, "0X")) {
        whole = g_ascii_strtoull(str, &end, 16);
        d = (double)whole;
        if (errno || end == str + 2) {
            return false;
        }
    } else {
        d = g_ascii_strtod(str, &end);
        if (errno || end == str || d < 0) {
            return false;
        }
        whole = (uint64_t)d;
    }
    switch (g_ascii_toupper(*end)) {
    case '\0':
        mul = default_unit;
        break;
    case 'B':
        mul = 1;
        break;
    case 'K':
        shift = 10;
        goto suffix;
    case 'M':
        shift = 20;
        goto suffix;
    case 'G':
        shift = 30;
        goto suffix;
    case 'T':
        shift = 40;
        goto suffix;
    case 'P':
        shift = 50;
        goto suffix;
    case 'E':
        shift = 60;
    suffix:
        mul = UINT64_C(1) << shift;
        break;
    default:
        return false;
    }
    if (*end && end[1]) {
        return false;
    }
    if (mul == 1 && d != (double)whole) {
        return false;
    }
    /* 2^64 as a double: anything at or above it does not fit. */
    if (d * (double)mul >= 18446744073709551616.0) {
        return false;
    }
    *val = (d == (double)whole && whole <= UINT64_MAX / mul) ? whole * mul
                                                             : (uint64_t)(d * (double)mul);
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
    if (!qemu_strtosz(s, 1, val)) {
        *err = g_strdup_printf("Parameter '%s' expects a non-negative number below 2^64", name);
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

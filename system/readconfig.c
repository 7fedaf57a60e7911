/*
 * -readconfig FILE: QEMU's configuration file (INI-like sections of
 * key = "value" lines), each section replayed as the option it stands for.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qemu/units.h"
#include "system/readconfig.h"

#include <errno.h>

/*
 * A section name QEMU 7.2 knows, the option it stands for and, for options
 * whose first element may omit its key, that key (given first, bare).
 * option NULL: QEMU has the group, this program has no such option.
 */
typedef struct ConfigGroup {
    const char *name;
    const char *option;
    const char *implied;
} ConfigGroup;

static const ConfigGroup config_groups[] = {
    { "drive", "-drive", NULL },
    { "device", "-device", "driver" },
    { "chardev", "-chardev", "backend" },
    { "netdev", "-netdev", "type" },
    { "nic", "-nic", "type" },
    { "net", "-net", "type" },
    { "object", "-object", "qom-type" },
    { "machine", "-machine", NULL },
    { "memory", "-m", NULL },
    { "smp-opts", "-smp", NULL },
    { "boot-opts", "-boot", NULL },
    { "name", "-name", NULL },
    { "global", "-global", NULL },
    { "rtc", "-rtc", NULL },
    { "icount", "-icount", NULL },
    { "accel", "-accel", "accel" },
    { "mon", "-mon", NULL },
    { "numa", "-numa", "type" },
    { "action", "-action", NULL },
    { "msg", "-msg", NULL },
    { "overcommit", "-overcommit", NULL },
    { "sandbox", "-sandbox", NULL },
    { "add-fd", "-add-fd", NULL },
    { "trace", NULL, NULL },
    { "option-rom", NULL, NULL },
    { "tpmdev", NULL, NULL },
    { "semihosting-config", NULL, NULL },
    { "fw_cfg", NULL, NULL },
    { "vnc", NULL, NULL },
    { "spice", NULL, NULL },
};

/* One section: its keys in file order (a repeated key keeps its place, takes the new value). */
typedef struct Section {
    GPtrArray *keys;
    GPtrArray *values;
} Section;

typedef struct Reader {
    const char *fname;
    ReadConfigApply apply;
    void *opaque;
    /* Where messages point: the last key line read (QEMU moves it only there). */
    bool have_loc;
    int loc_line;
} Reader;

static GPtrArray *replayed; /* the option strings handed out: they live as long as argv */

static Section *section_new(void)
{
    Section *s = g_new0(Section, 1);

    s->keys = g_ptr_array_new_with_free_func(g_free);
    s->values = g_ptr_array_new_with_free_func(g_free);
    return s;
}

static void section_free(Section *s)
{
    g_ptr_array_free(s->keys, true);
    g_ptr_array_free(s->values, true);
    g_free(s);
}

static void section_put(Section *s, const char *key, const char *value)
{
    for (guint i = 0; i < s->keys->len; i++) {
        if (!strcmp(g_ptr_array_index(s->keys, i), key)) {
            g_free(g_ptr_array_index(s->values, i));
            s->values->pdata[i] = g_strdup(value);
            return;
        }
    }
    g_ptr_array_add(s->keys, g_strdup(key));
    g_ptr_array_add(s->values, g_strdup(value));
}

static void reader_set_loc(const Reader *r)
{
    if (r->have_loc) {
        loc_set_file(r->fname, r->loc_line);
    } else {
        loc_clear();
    }
}

/* VALUE with every comma doubled, as an option string escapes it. */
static void append_escaped(GString *out, const char *value)
{
    for (const char *p = value; *p; p++) {
        g_string_append_c(out, *p);
        if (*p == ',') {
            g_string_append_c(out, ',');
        }
    }
}

/* The section as the option's argument: "implied,key=value,...". */
static char *section_to_arg(const Section *s, const char *implied)
{
    GString *arg = g_string_new(NULL);

    for (guint i = 0; implied && i < s->keys->len; i++) {
        if (!strcmp(g_ptr_array_index(s->keys, i), implied)) {
            append_escaped(arg, g_ptr_array_index(s->values, i));
        }
    }
    for (guint i = 0; i < s->keys->len; i++) {
        const char *key = g_ptr_array_index(s->keys, i);

        if (implied && !strcmp(key, implied)) {
            continue;
        }
        if (strpbrk(key, ",=")) {
            /* No option string can carry this key. */
            error_exit("Invalid parameter '%s'", key);
        }
        if (arg->len) {
            g_string_append_c(arg, ',');
        }
        g_string_append_printf(arg, "%s=", key);
        append_escaped(arg, g_ptr_array_index(s->values, i));
    }
    return g_string_free(arg, false);
}

/*
 * [memory]: QEMU checks the keys and sizes as it reads the section (with its
 * place) and the rest when it builds the machine (no place).
 */
static void memory_section_check(const Section *s)
{
    for (guint i = 0; i < s->keys->len; i++) {
        const char *key = g_ptr_array_index(s->keys, i);
        const char *value = g_ptr_array_index(s->values, i);
        uint64_t v;

        if (strcmp(key, "size") && strcmp(key, "maxmem") && strcmp(key, "slots")) {
            error_exit("Invalid parameter '%s'", key);
        }
        if (strcmp(key, "slots") && !qemu_strtosz(value, MiB, &v)) {
            error_exit("Parameter '%s' expects a non-negative number below 2^64", key);
        }
        if (!strcmp(key, "slots") && !qemu_strtou64(value, &v)) {
            error_exit("Parameter 'slots' expects a number");
        }
    }
}

/* A complete section: replayed as its option, with the file's location. */
static void section_done(Reader *r, const char *group, Section *s)
{
    const ConfigGroup *g = NULL;
    char *arg;

    reader_set_loc(r);
    for (size_t i = 0; i < G_N_ELEMENTS(config_groups); i++) {
        if (!strcmp(config_groups[i].name, group)) {
            g = &config_groups[i];
        }
    }
    if (!g) {
        error_exit("There is no option group '%s'", group);
    }
    if (!g->option) {
        error_exit("option group '%s' is not supported", group);
    }
    if (g->implied && !strcmp(g->implied, "driver")) {
        bool has = false;

        for (guint i = 0; i < s->keys->len; i++) {
            has |= !strcmp(g_ptr_array_index(s->keys, i), "driver");
        }
        if (!has) {
            error_exit("Parameter 'driver' is missing");
        }
    }
    if (g->implied && !strcmp(g->implied, "backend")) {
        const char *id = "";
        bool has = false;

        for (guint i = 0; i < s->keys->len; i++) {
            const char *key = g_ptr_array_index(s->keys, i);

            has |= !strcmp(key, "backend");
            if (!strcmp(key, "id")) {
                id = g_ptr_array_index(s->values, i);
            }
        }
        if (!has) {
            error_exit("chardev: \"%s\" missing backend", id);
        }
    }
    arg = section_to_arg(s, g->implied);
    if (!replayed) {
        replayed = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(replayed, arg);
    /*
     * QEMU merges these into the machine's properties (or reads [memory])
     * and checks them when it builds the machine: those messages name no place.
     */
    if (!strcmp(g->name, "memory")) {
        memory_section_check(s);
    }
    if (!strcmp(g->name, "machine") || !strcmp(g->name, "smp-opts") ||
        !strcmp(g->name, "boot-opts") || !strcmp(g->name, "memory")) {
        loc_alias_cmdline(g->option, arg, NULL, 0);
    } else {
        loc_alias_cmdline(g->option, arg, r->have_loc ? r->fname : NULL, r->loc_line);
    }
    r->apply(g->option, arg, r->opaque);
    loc_clear();
}

/*
 * The file's grammar, QEMU's: lines of at most 1023 bytes; a blank line or
 * one starting with '#' is skipped; "[group]" or "[group "id"]" opens a
 * section; otherwise a line is KEY = "VALUE" (KEY up to 63 characters, VALUE
 * up to 1023 without a quote); a line whose first word is not followed by
 * = "VALUE" still sets that word, to the empty string.
 */
void readconfig_file(const char *fname, ReadConfigApply apply, void *opaque)
{
    char line[1024], group[64], prev_group[64], key[64], value[1024];
    Reader r = { .fname = fname, .apply = apply, .opaque = opaque };
    Section *s = NULL;
    FILE *f = fopen(fname, "r");
    int lno = 0;

    if (!f) {
        error_exit("Could not open '%s': %s", fname, g_strerror(errno));
    }
    loc_clear();
    group[0] = prev_group[0] = '\0';
    while (fgets(line, sizeof(line), f)) {
        lno++;
        if (line[0] == '\n' || line[0] == '#') {
            continue;
        }
        if (line[0] == '[') {
            Section *prev = s;

            /* The scans may leave group written even when no header matched (QEMU's too). */
            if (sscanf(line, "[%63s \"%63[^\"]\"]", group, value) == 2) {
                s = section_new();
                section_put(s, "id", value);
            } else if (sscanf(line, "[%63[^]]]", group) == 1) {
                s = section_new();
            }
            if (s != prev) {
                if (prev) {
                    section_done(&r, prev_group, prev);
                    section_free(prev);
                }
                strcpy(prev_group, group);
                continue;
            }
        }
        r.have_loc = true;
        r.loc_line = lno;
        loc_set_file(fname, lno);
        value[0] = '\0';
        if (sscanf(line, " %63s = \"%1023[^\"]\"", key, value) == 2 ||
            sscanf(line, " %63s = \"\"", key) == 1) {
            if (!s) {
                error_exit("no group defined");
            }
            section_put(s, key, value);
            continue;
        }
        error_exit("parse error");
    }
    if (ferror(f)) {
        loc_clear();
        error_exit("Cannot read config file: %s", g_strerror(errno));
    }
    fclose(f);
    if (s) {
        /* QEMU names the last section by what the last '[' line left in group. */
        section_done(&r, group, s);
        section_free(s);
    }
    loc_clear();
}

/*
 * HMP commands for character devices beyond chardev-add/-remove:
 * ringbuf_write and ringbuf_read, chardev-change and chardev-send-break,
 * as QEMU 7.2's.
 */
#include "chardev/char.h"
#include "monitor/hmp-internal.h"
#include "qapi/qapi-commands.h"

char *hmp_take_string(HmpContext *ctx, const char **p)
{
    const char *s = *p + strspn(*p, " \t");
    GString *str;

    if (!*s) {
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return NULL;
    }
    if (*s != '"') {
        size_t len = strcspn(s, " \t");

        *p = s + len;
        return g_strndup(s, len);
    }
    str = g_string_new(NULL);
    for (s++; *s && *s != '"'; s++) {
        char c = *s;

        if (c == '\\' && s[1]) {
            c = *++s;
            c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        }
        g_string_append_c(str, c);
    }
    if (*s != '"') {
        g_string_free(str, true);
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return NULL;
    }
    *p = s + 1;
    return g_string_free(str, false);
}

bool hmp_at_end(HmpContext *ctx, const char *p)
{
    if (p[strspn(p, " \t")]) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return false;
    }
    return true;
}

/* ringbuf_write DEVICE DATA: DATA's bytes into the ring (text, not base64). */
void hmp_ringbuf_write(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *device = hmp_take_string(ctx, &p);
    g_autofree char *data = device ? hmp_take_string(ctx, &p) : NULL;
    g_autoptr(JsonObject) args = json_object_new();

    if (!data || !hmp_at_end(ctx, p)) {
        return;
    }
    json_object_set_string_member(args, "device", device);
    json_object_set_string_member(args, "data", data);
    hmp_qmp_simple(ctx, qmp_ringbuf_write, args);
}

/*
 * ringbuf_read DEVICE SIZE: the bytes as text, a backslash doubled and
 * other control characters than newline and tab as \uXXXX.
 */
void hmp_ringbuf_read(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *device = hmp_take_string(ctx, &p);
    g_autoptr(JsonObject) args = json_object_new();
    JsonNode *ret;
    int64_t size;

    if (!device || !hmp_parse_expr(ctx, &p, &size)) {
        return;
    }
    /* An 'i' argument: QEMU refuses anything with its upper half set. */
    if ((uint64_t)size >> 32) {
        hmp_arg_error(ctx, "'%s' has failed: integer is for 32-bit values", ctx->name);
        return;
    }
    if (!hmp_at_end(ctx, p)) {
        return;
    }
    json_object_set_string_member(args, "device", device);
    json_object_set_int_member(args, "size", (int32_t)(uint32_t)size);
    ret = hmp_qmp(ctx, qmp_ringbuf_read, args);
    if (!ret) {
        return;
    }
    for (const char *c = json_node_get_string(ret); *c; c++) {
        unsigned char ch = *c;

        if (ch == '\\') {
            g_string_append(ctx->out, "\\\\");
        } else if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
            g_string_append_printf(ctx->out, "\\u%04X", ch);
        } else {
            g_string_append_c(ctx->out, ch);
        }
    }
    g_string_append_c(ctx->out, '\n');
    json_node_unref(ret);
}

/* chardev-change ID BACKEND,opts...: QMP chardev-change with -chardev's syntax. */
void hmp_chardev_change(HmpContext *ctx)
{
    const char *p = ctx->args;
    g_autofree char *id = hmp_take_string(ctx, &p);
    char *why = NULL;
    QemuOpts *opts;
    Chardev *chr = NULL;
    const char *bad;

    if (!id) {
        return;
    }
    p += strspn(p, " \t");
    if (!*p) {
        hmp_arg_error(ctx, "%s: string expected", ctx->name);
        return;
    }
    opts = qemu_opts_parse(p, "backend", &why);
    if (!opts) {
        g_string_append_printf(ctx->out, "%s\nError: Parsing chardev args failed\n", why);
        g_free(why);
        return;
    }
    qemu_opt_set(opts, "id", id);
    bad = qemu_chr_opts_unknown_key(opts);
    if (bad) {
        g_string_append_printf(ctx->out,
                               "Invalid parameter '%s'\n"
                               "Error: Parsing chardev args failed\n",
                               bad);
    } else if (!qemu_chr_opts_check(opts, &why)) {
        g_string_append_printf(ctx->out, "%s\nError: Parsing chardev args failed\n", why);
    } else if (!qemu_chr_backend_known(qemu_opt_get(opts, "backend"))) {
        /* QEMU turns the options into a backend before it looks at the chardev. */
        g_string_append_printf(ctx->out, "Error: '%s' is not a valid char driver name\n",
                               qemu_opt_get(opts, "backend"));
    } else if (!qemu_chr_change_begin(id, &why)) {
        g_string_append_printf(ctx->out, "Error: %s\n", why);
    } else {
        qemu_chr_set_quiet(true);
        chr = qemu_chr_new_from_opts(opts, &why);
        qemu_chr_set_quiet(false);
        if (!chr) {
            g_string_append_printf(ctx->out, "Error: Failed to add chardev '%s': %s\n", id, why);
        }
    }
    g_free(why);
    qemu_opts_free(opts);
}

void hmp_chardev_send_break(HmpContext *ctx)
{
    g_autofree char *id = hmp_one_word(ctx, "string", false);
    g_autoptr(JsonObject) args = json_object_new();

    if (!id) {
        return;
    }
    json_object_set_string_member(args, "id", id);
    hmp_qmp_simple(ctx, qmp_chardev_send_break, args);
}

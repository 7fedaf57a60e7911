/*
 * The human monitor on a character device (-monitor DEV, -mon mode=readline):
 * QEMU's banner and "(qemu) " prompt, typed characters echoed and edited with
 * backspace, each line run by hmp_run().
 */
#include "chardev/char.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "qapi/qmp.h"

/* Longest command line kept; QEMU's readline buffer is as long. */
#define HMP_LINE_MAX 4096

typedef struct HmpMonitor {
    Chardev *chr;
    GString *line;
    bool skip_lf; /* a CR ended the line: a following LF is the same end */
    int esc;      /* inside an escape sequence: bytes still to drop */
} HmpMonitor;

static void hmp_out(HmpMonitor *m, const char *text)
{
    GString *s = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(s, '\r');
        }
        g_string_append_c(s, *p);
    }
    qemu_chr_fe_write_all(m->chr, (const uint8_t *)s->str, s->len);
    g_string_free(s, true);
}

static void hmp_prompt(HmpMonitor *m)
{
    hmp_out(m, "(qemu) ");
}

static void hmp_line(HmpMonitor *m)
{
    g_autofree char *out = NULL;
    void (*after)(void);

    hmp_out(m, "\n");
    out = hmp_run(m->line->str, 0);
    g_string_truncate(m->line, 0);
    hmp_out(m, out);
    /* quit: the process ends once its output went out. */
    after = qmp_take_after_reply();
    if (after) {
        after();
        return;
    }
    hmp_prompt(m);
}

static int hmp_can_read(void *opaque)
{
    return HMP_LINE_MAX;
}

static void hmp_read(void *opaque, const uint8_t *buf, int size)
{
    HmpMonitor *m = opaque;

    for (int i = 0; i < size; i++) {
        uint8_t c = buf[i];

        if (m->esc) {
            /* ESC [ X: a cursor key; not edited here. */
            m->esc = (m->esc == 2 && c == '[') ? 1 : 0;
            continue;
        }
        if (c == '\n' && m->skip_lf) {
            m->skip_lf = false;
            continue;
        }
        m->skip_lf = c == '\r';
        if (c == '\r' || c == '\n') {
            hmp_line(m);
        } else if (c == 0x7f || c == 0x08) {
            if (m->line->len) {
                g_string_truncate(m->line, m->line->len - 1);
                hmp_out(m, "\b \b");
            }
        } else if (c == 0x1b) {
            m->esc = 2;
        } else if (c >= 0x20 && m->line->len < HMP_LINE_MAX) {
            char echo[2] = { (char)c, 0 };

            g_string_append_c(m->line, c);
            hmp_out(m, echo);
        }
    }
}

static void hmp_event(void *opaque, QEMUChrEvent event)
{
    HmpMonitor *m = opaque;

    if (event == CHR_EVENT_OPENED) {
        g_string_truncate(m->line, 0);
        hmp_out(m, "QEMU " QEMU_VERSION " monitor - type 'help' for more information\n");
        hmp_prompt(m);
    }
}

bool monitor_init_hmp(Chardev *chr, char **err)
{
    HmpMonitor *m = g_new0(HmpMonitor, 1);

    m->chr = chr;
    m->line = g_string_new(NULL);
    if (!qemu_chr_fe_set_handlers(chr, hmp_can_read, hmp_read, hmp_event, m)) {
        *err = g_strdup_printf("Device '%s' is in use", qemu_chr_id(chr) ? qemu_chr_id(chr) : "?");
        g_string_free(m->line, true);
        g_free(m);
        return false;
    }
    return true;
}

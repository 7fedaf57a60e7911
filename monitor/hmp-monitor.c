/*
 * The human monitor on a character device (-monitor DEV, -mon mode=readline,
 * the mon: prefix of a mux): QEMU's banner and "(qemu) " prompt, the line
 * editor of readline.c, each line run by hmp_session_run().
 */
#include "chardev/char.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "monitor/readline.h"
#include "qapi/qmp.h"
#include "qemu/timer.h"

typedef struct HmpMonitor {
    Chardev *chr;
    HmpSession *session;
    ReadLineState *rs;
    /*
     * On a mux, while another frontend has the input focus the monitor is
     * "out": what it prints waits here until C-a c brings it back (QEMU
     * suspends such a monitor the same way).
     */
    bool mux_out;
    bool reset_seen; /* the banner went out (OPENED happened) */
    GString *held;
    /*
     * Suspended (migrate without -d): no prompt and no input until the
     * migration ends; the timer looks every WAIT_POLL_MS. Bytes read with the
     * line that suspended it wait in pending (QEMU reads a byte at a time).
     */
    bool suspended;
    QEMUTimer *wait_timer;
    GByteArray *pending;
} HmpMonitor;

#define WAIT_POLL_MS 100

/*
 * Every human monitor, for the life of the process (as qmp.c lists its
 * monitors): the chardev that holds the only other pointer is freed at exit.
 */
static GPtrArray *hmp_monitors;

/* Monitor output ends lines with CR LF, as QEMU's monitor writes them. */
static void hmp_out(HmpMonitor *m, const char *text)
{
    GString *s = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(s, '\r');
        }
        g_string_append_c(s, *p);
    }
    if (m->mux_out) {
        g_string_append_len(m->held, s->str, s->len);
    } else {
        qemu_chr_fe_write_all(m->chr, (const uint8_t *)s->str, s->len);
    }
    g_string_free(s, true);
}

static void hmp_print(void *opaque, const char *text)
{
    hmp_out(opaque, text);
}

static void hmp_line(void *opaque, const char *line)
{
    HmpMonitor *m = opaque;
    g_autofree char *out = hmp_session_run(m->session, line);
    void (*after)(void);

    hmp_out(m, out);
    /* quit: the process ends once its output went out. */
    after = qmp_take_after_reply();
    if (after) {
        after();
        return;
    }
    if (hmp_session_waiting(m->session)) {
        m->suspended = true;
        timer_mod(m->wait_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + WAIT_POLL_MS * 1000000);
        return;
    }
    if (!hmp_session_quit(m->session)) {
        readline_show_prompt(m->rs);
    }
}

/* Feed bytes to the line editor until a line suspends the monitor; keep the rest. */
static void hmp_feed(HmpMonitor *m, const uint8_t *buf, int size)
{
    int i = 0;

    while (i < size && !m->suspended) {
        readline_handle_byte(m->rs, buf[i++]);
    }
    if (i < size) {
        g_byte_array_append(m->pending, buf + i, size - i);
    }
}

static void hmp_wait_poll(void *opaque)
{
    HmpMonitor *m = opaque;
    g_autofree char *out = hmp_session_poll_wait(m->session);
    g_autoptr(GByteArray) rest = NULL;

    if (!out) {
        timer_mod(m->wait_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + WAIT_POLL_MS * 1000000);
        return;
    }
    hmp_out(m, out);
    m->suspended = false;
    readline_show_prompt(m->rs);
    rest = m->pending;
    m->pending = g_byte_array_new();
    hmp_feed(m, rest->data, rest->len);
    if (!m->suspended) {
        qemu_chr_fe_accept_input(m->chr);
    }
}

static GPtrArray *hmp_history(void *opaque)
{
    return readline_history(((HmpMonitor *)opaque)->rs);
}

static int hmp_can_read(void *opaque)
{
    return ((HmpMonitor *)opaque)->suspended ? 0 : READLINE_LINE_MAX;
}

static void hmp_read(void *opaque, const uint8_t *buf, int size)
{
    hmp_feed(opaque, buf, size);
}

static void hmp_event(void *opaque, QEMUChrEvent event)
{
    HmpMonitor *m = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        hmp_out(m, "QEMU " QEMU_VERSION " monitor - type 'help' for more information\n");
        if (!m->mux_out && !m->suspended) {
            readline_restart(m->rs);
            readline_show_prompt(m->rs);
        }
        m->reset_seen = true;
        break;
    case CHR_EVENT_MUX_IN:
        m->mux_out = false;
        if (m->held->len) {
            qemu_chr_fe_write_all(m->chr, (const uint8_t *)m->held->str, m->held->len);
            g_string_truncate(m->held, 0);
        }
        if (m->reset_seen && !m->suspended) {
            readline_restart(m->rs);
            readline_show_prompt(m->rs);
        }
        break;
    case CHR_EVENT_MUX_OUT:
        if (m->reset_seen && !m->mux_out) {
            hmp_out(m, "\n");
        }
        m->mux_out = true;
        break;
    case CHR_EVENT_CLOSED:
    case CHR_EVENT_BREAK: /* a monitor has no use for a line break */
        break;
    }
}

bool monitor_init_hmp(Chardev *chr, char **err)
{
    HmpMonitor *m = g_new0(HmpMonitor, 1);

    m->chr = chr;
    m->session = hmp_session_new();
    m->held = g_string_new(NULL);
    m->pending = g_byte_array_new();
    m->wait_timer = timer_new_ns(QEMU_CLOCK_REALTIME, hmp_wait_poll, m);
    hmp_session_set_suspendable(m->session);
    m->rs = readline_new("(qemu) ", hmp_print, hmp_line, hmp_complete, m);
    hmp_session_set_history(m->session, hmp_history, m);
    if (!qemu_chr_fe_set_handlers(chr, hmp_can_read, hmp_read, hmp_event, m)) {
        *err = g_strdup_printf("Device '%s' is in use", qemu_chr_id(chr) ? qemu_chr_id(chr) : "?");
        readline_free(m->rs);
        g_string_free(m->held, true);
        g_byte_array_free(m->pending, true);
        timer_free(m->wait_timer);
        hmp_session_free(m->session);
        g_free(m);
        return false;
    }
    if (!hmp_monitors) {
        hmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(hmp_monitors, m);
    return true;
}

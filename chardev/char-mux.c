/*
 * The mux chardev (mux=on, "mon:"): several frontends share one backend,
 * and the escape key Ctrl-A followed by a command key talks to the emulator.
 */
#include "chardev/char-internal.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"
#include "sysemu/runstate.h"

/* The escape key: Ctrl-A unless -echr gave another (a value no byte has: none). */
static int escape_char = 0x01;

void qemu_chr_mux_set_escape(int key)
{
    escape_char = key;
}

typedef struct MuxFrontend {
    IOCanReadHandler *can_read;
    IOReadHandler *read;
    IOEventHandler *event;
    void *opaque;
    bool told_open; /* got CHR_EVENT_OPENED for the backend's current connection */
} MuxFrontend;

typedef struct MuxChardev {
    Chardev parent;
    Chardev *base;
    MuxFrontend fe[CHR_MUX_MAX];
    int count;
    int focus;           /* index into fe[] receiving input, -1: none */
    bool escape_pending; /* the last byte was the escape key */
    /*
     * Input that followed a focus switch in the same read: the new frontend
     * was not asked for room yet, so it waits here and nothing more is read
     * until it is delivered.
     */
    GByteArray *pending;
    guint flush_idle;
    bool flush_blocked; /* the frontend was full: wait for accept_input */
    guint open_idle;    /* telling new frontends the backend is open */
    bool timestamps;    /* C-a t: each output line starts with the time */
    bool line_start;    /* the last byte written ended a line */
    int64_t stamp_zero; /* ms when the first stamp was written, -1: none yet */
} MuxChardev;

/*
 * Output from the frontends and the mux's own messages.  With C-a t on, each
 * line (counted from the first newline after the toggle) starts with
 * "[HH:MM:SS.mmm] ", the time since the first stamp, as QEMU's console.
 */
static int mux_output(MuxChardev *m, const uint8_t *buf, int len)
{
    int start = 0;

    if (!m->timestamps) {
        return qemu_chr_fe_write_all(m->base, buf, len);
    }
    for (int i = 0; i < len; i++) {
        if (m->line_start) {
            int64_t ms = g_get_monotonic_time() / 1000;
            char stamp[40];
            int secs;

            if (qemu_chr_fe_write_all(m->base, buf + start, i - start) < 0) {
                return -1;
            }
            start = i;
            if (m->stamp_zero < 0) {
                m->stamp_zero = ms;
            }
            ms -= m->stamp_zero;
            secs = (int)(ms / 1000);
            snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d.%03d] ", secs / 3600, secs / 60 % 60,
                     secs % 60, (int)(ms % 1000));
            if (qemu_chr_fe_write_all(m->base, (const uint8_t *)stamp, strlen(stamp)) < 0) {
                return -1;
            }
            m->line_start = false;
        }
        m->line_start = buf[i] == '\n';
    }
    if (qemu_chr_fe_write_all(m->base, buf + start, len - start) < 0) {
        return -1;
    }
    return len;
}

/* Messages go out as the frontends' output, each line ending "\n\r" as QEMU's. */
static void mux_print(MuxChardev *m, const char *text)
{
    mux_output(m, (const uint8_t *)text, strlen(text));
}

/* C-a t: stamps start at the next line, counted from zero again. */
static void mux_toggle_timestamps(MuxChardev *m)
{
    m->timestamps = !m->timestamps;
    m->stamp_zero = -1;
    m->line_start = false;
}

/*
 * QEMU's text, one line for each key mux_escape_command handles.  The key is named "C-x" for a control key, "Escape-Char" otherwise.
 */
static void mux_help(MuxChardev *m)
{
    static const char *const lines[] = {
        "%s h    print this help\n\r",
        "%s x    exit emulator\n\r",
        "%s s    save disk data back to file (if -snapshot)\n\r",
        "%s t    toggle console timestamps\n\r",
        "%s b    send break (magic sysrq)\n\r",
        "%s c    switch between console and monitor\n\r",
    };
    g_autofree char *key = NULL;
    g_autoptr(GString) text = g_string_new(NULL);

    if (escape_char > 0 && escape_char < 26) {
        key = g_strdup_printf("C-%c", escape_char - 1 + 'a');
        g_string_append(text, "\n\r");
    } else {
        key = g_strdup("Escape-Char");
        g_string_append_printf(text, "\n\rEscape-Char set to Ascii: 0x%02x\n\r\n\r",
                               (unsigned)escape_char);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_string_append_printf(text, lines[i], key);
    }
    g_string_append_printf(text, "%s %s  sends %s\n\r", key, key, key);
    mux_print(m, text->str);
}

static void mux_send_event(MuxChardev *m, int i, QEMUChrEvent event)
{
    if (i >= 0 && i < m->count && m->fe[i].event) {
        m->fe[i].event(m->fe[i].opaque, event);
    }
}

/* Input goes to frontend i from now on: the old focus is told MUX_OUT, i MUX_IN. */
static void mux_set_focus(MuxChardev *m, int i)
{
    mux_send_event(m, m->focus, CHR_EVENT_MUX_OUT);
    m->focus = i;
    mux_send_event(m, m->focus, CHR_EVENT_MUX_IN);
}

/* True when input now goes to another frontend (C-a c cycles through them). */
static bool mux_switch_focus(MuxChardev *m)
{
    if (!m->count) {
        return false;
    }
    mux_set_focus(m, (m->focus + 1) % m->count);
    return true;
}

/*
 * The key after the escape; true when it is data for the frontend.  Sets
 * *switched when the focus moved.
 */
static bool mux_escape_command(MuxChardev *m, uint8_t key, bool *switched)
{
    if (key == escape_char) {
        return true;
    }
    switch (key) {
    case 'h':
    case '?':
        mux_help(m);
        break;
    case 'x':
        mux_print(m, "QEMU: Terminated\n\r");
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
        break;
    case 'c':
        *switched = mux_switch_focus(m) || *switched;
        break;
    case 'b':
        /* A break for the frontend with the focus (spapr-vty and monitors ignore it). */
        mux_send_event(m, m->focus, CHR_EVENT_BREAK);
        break;
    case 't':
        mux_toggle_timestamps(m);
        break;
    case 's':
        /* Without snapshot=on overlays there is nothing to write back, as in QEMU. */
        if (drive_commit_all()) {
            mux_print(m, "QEMU: C-a s: writing -snapshot overlays back is not implemented\n\r");
        }
        break;
    default:
        /* Other keys are swallowed, as QEMU's. */
        break;
    }
    return false;
}

static int mux_focus_room(MuxChardev *m)
{
    MuxFrontend *fe = m->focus >= 0 ? &m->fe[m->focus] : NULL;

    /* Without a frontend, still read so that C-a x works. */
    if (!fe) {
        return CHR_READ_BUF_LEN;
    }
    return fe->can_read ? fe->can_read(fe->opaque) : 0;
}

static void mux_deliver(MuxChardev *m, const uint8_t *buf, int len)
{
    MuxFrontend *fe = m->focus >= 0 ? &m->fe[m->focus] : NULL;

    if (fe && fe->read && len > 0) {
        fe->read(fe->opaque, buf, len);
    }
}

/* Hand pending input to the focused frontend as far as it has room. */
static gboolean mux_flush_pending(gpointer opaque)
{
    MuxChardev *m = opaque;
    int room = mux_focus_room(m);
    int n = MIN(room, (int)m->pending->len);
    g_autofree uint8_t *chunk = NULL;

    m->flush_idle = 0;
    if (n <= 0) {
        m->flush_blocked = true;
        return G_SOURCE_REMOVE;
    }
    /* Take the bytes out first: the frontend may re-enter the mux. */
    chunk = g_malloc(n);
    memcpy(chunk, m->pending->data, n);
    g_byte_array_remove_range(m->pending, 0, n);
    mux_deliver(m, chunk, n);
    return G_SOURCE_REMOVE;
}

static void mux_schedule_flush(MuxChardev *m)
{
    if (!m->flush_idle && !m->flush_blocked) {
        m->flush_idle = g_idle_add(mux_flush_pending, m);
    }
}

static int mux_can_read(void *opaque)
{
    MuxChardev *m = opaque;

    if (m->pending->len) {
        mux_schedule_flush(m);
        return 0;
    }
    return mux_focus_room(m);
}

static void mux_read(void *opaque, const uint8_t *buf, int size)
{
    MuxChardev *m = opaque;
    bool switched = false;
    int start = 0;

    for (int i = 0; i < size; i++) {
        bool data;

        if (m->escape_pending) {
            m->escape_pending = false;
            data = mux_escape_command(m, buf[i], &switched);
        } else {
            m->escape_pending = buf[i] == escape_char;
            data = !m->escape_pending;
        }
        if (switched) {
            if (data) {
                g_byte_array_append(m->pending, &buf[i], 1);
            }
            continue;
        }
        if (!data) {
            /* Hand over the run before this byte, skip the byte itself. */
            mux_deliver(m, buf + start, i - start);
            start = i + 1;
        }
    }
    if (!switched) {
        mux_deliver(m, buf + start, size - start);
    } else if (m->pending->len) {
        m->flush_blocked = false;
        mux_schedule_flush(m);
    }
}

static void mux_event(void *opaque, QEMUChrEvent event)
{
    MuxChardev *m = opaque;

    /*
     * Follow the base's state, not the event: stdio reports CLOSED at the
     * end of its input but still writes, and so must the mux.
     */
    m->parent.be_open = m->base->be_open;
    for (int i = 0; i < m->count; i++) {
        m->fe[i].told_open = event == CHR_EVENT_OPENED;
        mux_send_event(m, i, event);
    }
}

/*
 * Frontends attached while the backend is open hear OPENED once the main
 * loop runs, after all of them are attached and the focus is settled (QEMU
 * opens its muxes when machine creation is done): a monitor that is not in
 * focus then keeps its banner until C-a c brings it forward.
 */
static gboolean mux_announce_open(gpointer opaque)
{
    MuxChardev *m = opaque;

    m->open_idle = 0;
    for (int i = 0; i < m->count && m->parent.be_open; i++) {
        if (!m->fe[i].told_open) {
            m->fe[i].told_open = true;
            mux_send_event(m, i, CHR_EVENT_OPENED);
        }
    }
    return G_SOURCE_REMOVE;
}

static int mux_find(MuxChardev *m, void *opaque)
{
    for (int i = 0; i < m->count; i++) {
        if (m->fe[i].opaque == opaque) {
            return i;
        }
    }
    return -1;
}

static void mux_detach(MuxChardev *m, int i)
{
    memmove(&m->fe[i], &m->fe[i + 1], (m->count - i - 1) * sizeof(m->fe[0]));
    m->count--;
    if (i < m->focus || m->focus >= m->count) {
        m->focus--;
    }
}

/* Frontends are told apart by their opaque pointer. */
static bool mux_set_handlers(Chardev *chr, IOCanReadHandler *can_read, IOReadHandler *read,
                             IOEventHandler *event, void *opaque)
{
    MuxChardev *m = (MuxChardev *)chr;
    int i = mux_find(m, opaque);

    if (!can_read && !read && !event) {
        if (i >= 0) {
            mux_detach(m, i);
        }
        return true;
    }
    if (i < 0) {
        if (m->count == CHR_MUX_MAX) {
            return false;
        }
        i = m->count++;
    }
    m->fe[i] = (MuxFrontend){ can_read, read, event, opaque, false };
    /* As QEMU's: the frontend attached last has the focus. */
    mux_set_focus(m, i);
    if (chr->be_open && event && !m->open_idle) {
        m->open_idle = g_idle_add(mux_announce_open, m);
    }
    g_main_context_wakeup(NULL);
    return true;
}

static void mux_accept_input(Chardev *chr)
{
    MuxChardev *m = (MuxChardev *)chr;

    m->flush_blocked = false;
    qemu_chr_fe_accept_input(m->base);
}

static int mux_write(Chardev *chr, const uint8_t *buf, int len)
{
    return mux_output((MuxChardev *)chr, buf, len);
}

static void mux_close(Chardev *chr)
{
    MuxChardev *m = (MuxChardev *)chr;

    if (m->base) {
        qemu_chr_fe_set_handlers(m->base, NULL, NULL, NULL, m);
    }
    if (m->flush_idle) {
        g_source_remove(m->flush_idle);
    }
    if (m->open_idle) {
        g_source_remove(m->open_idle);
    }
    if (m->pending) {
        g_byte_array_free(m->pending, TRUE);
    }
}

static bool mux_attach(MuxChardev *m, Chardev *base, char **err)
{
    m->focus = -1;
    m->pending = g_byte_array_new();
    /* Set first: the base may report OPENED from inside the call. */
    m->base = base;
    if (!qemu_chr_fe_set_handlers(base, mux_can_read, mux_read, mux_event, m)) {
        /* Someone else's frontend: close must not detach it. */
        m->base = NULL;
        *err = g_strdup_printf("chardev '%s' is already in use", base->id);
        return false;
    }
    return true;
}

/* -chardev mux,id=ID,chardev=BASE (opts NULL: chr_mux_new sets it up). */
static bool mux_open(Chardev *chr, QemuOpts *opts, char **err)
{
    const char *name = opts ? qemu_opt_get(opts, "chardev") : NULL;
    Chardev *base;

    if (!opts) {
        return true;
    }
    if (!name) {
        *err = g_strdup("chardev: mux: no chardev given");
        return false;
    }
    base = qemu_chr_find(name);
    if (!base) {
        *err = g_strdup_printf("mux: base chardev %s not found", name);
        return false;
    }
    return mux_attach((MuxChardev *)chr, base, err);
}

static bool mux_frontend_open(Chardev *chr);

static const char *const mux_keys[] = { "chardev", NULL };

static const ChardevOps mux_ops = {
    .name = "mux",
    .keys = mux_keys,
    .frontend_open = mux_frontend_open,
    .size = sizeof(MuxChardev),
    .open = mux_open,
    .write = mux_write,
    .set_handlers = mux_set_handlers,
    .accept_input = mux_accept_input,
    .close = mux_close,
};

/* query-chardev's frontend-open: a mux is open once a frontend uses it. */
static bool mux_frontend_open(Chardev *chr)
{
    return ((MuxChardev *)chr)->count > 0;
}

bool chr_mux_base_frontend_open(Chardev *base, bool *open)
{
    /* The base's frontend is its mux (see chr_mux_new). */
    if (!base->fe_attached || base->fe_can_read != mux_can_read) {
        return false;
    }
    *open = mux_frontend_open(base->fe_opaque);
    return true;
}

unsigned chr_mux_frontend_count(Chardev *chr)
{
    return chr->ops == &mux_ops ? ((MuxChardev *)chr)->count : 0;
}

Chardev *chr_mux_new(const char *id, Chardev *base, char **err)
{
    Chardev *chr = chr_create_with_ops(id, &mux_ops, NULL, err);
    MuxChardev *m = (MuxChardev *)chr;

    if (!chr) {
        return NULL;
    }
    if (!mux_attach(m, base, err)) {
        qemu_chr_delete(chr);
        return NULL;
    }
    return chr;
}

static void chardev_mux_init(void)
{
    chr_register_backend(&mux_ops);
}

module_init(chardev_mux_init)

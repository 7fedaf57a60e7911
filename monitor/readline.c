/*
 * The human monitor's line editor, byte for byte as QEMU 7.2's: after each
 * key the terminal line is redrawn with VT100 sequences (cursor left ESC[D,
 * right ESC[C, erase to end of line ESC[K) from what was shown before.
 */
#include "monitor/readline.h"

enum { RS_NORM, RS_ESC, RS_CSI, RS_SS3 };

struct ReadLineState {
    char buf[READLINE_LINE_MAX + 1];
    size_t len, pos;
    /* What the terminal shows now, to redraw only after a change. */
    char shown[READLINE_LINE_MAX + 1];
    size_t shown_len, shown_pos;
    int esc_state;
    int esc_param;
    GPtrArray *history; /* strings, oldest first */
    int hist_entry;     /* browsing: the entry shown; -1: the new line */
    char *prompt;
    ReadLinePrintFn *print;
    ReadLineLineFn *line;
    ReadLineCompleteFn *complete;
    void *opaque;
};

static void out(ReadLineState *rs, const char *text)
{
    rs->print(rs->opaque, text);
}

static void out_repeat(ReadLineState *rs, const char *seq, size_t n)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < n; i++) {
        g_string_append(s, seq);
    }
    if (s->len) {
        out(rs, s->str);
    }
    g_string_free(s, true);
}

/*
 * Bring the terminal in line with the buffer: on a change, back to the
 * start of the line, the whole line, erase what is left of the old one;
 * then move the cursor to its place.
 */
static void update(ReadLineState *rs)
{
    if (rs->len != rs->shown_len || memcmp(rs->buf, rs->shown, rs->len)) {
        out_repeat(rs, "\033[D", rs->shown_pos);
        rs->buf[rs->len] = '\0';
        out(rs, rs->buf);
        out(rs, "\033[K");
        memcpy(rs->shown, rs->buf, rs->len);
        rs->shown_len = rs->len;
        rs->shown_pos = rs->len;
    }
    if (rs->pos != rs->shown_pos) {
        if (rs->pos > rs->shown_pos) {
            out_repeat(rs, "\033[C", rs->pos - rs->shown_pos);
        } else {
            out_repeat(rs, "\033[D", rs->shown_pos - rs->pos);
        }
        rs->shown_pos = rs->pos;
    }
}

static void insert_char(ReadLineState *rs, char c)
{
    if (rs->len >= READLINE_LINE_MAX) {
        return;
    }
    memmove(rs->buf + rs->pos + 1, rs->buf + rs->pos, rs->len - rs->pos);
    rs->buf[rs->pos++] = c;
    rs->len++;
}

static void delete_char(ReadLineState *rs)
{
    if (rs->pos < rs->len) {
        memmove(rs->buf + rs->pos, rs->buf + rs->pos + 1, rs->len - rs->pos - 1);
        rs->len--;
    }
}

static void backspace(ReadLineState *rs)
{
    if (rs->pos > 0) {
        rs->pos--;
        delete_char(rs);
    }
}

/* Ctrl-W: the word before the cursor and the blanks after it. */
static void delete_word(ReadLineState *rs)
{
    size_t start = rs->pos;

    if (!rs->pos) {
        return;
    }
    while (start > 0 && g_ascii_isspace(rs->buf[start - 1])) {
        start--;
    }
    while (start > 0 && !g_ascii_isspace(rs->buf[start - 1])) {
        start--;
    }
    memmove(rs->buf + start, rs->buf + rs->pos, rs->len - rs->pos);
    rs->len -= rs->pos - start;
    rs->pos = start;
}

static void set_line(ReadLineState *rs, const char *text)
{
    g_strlcpy(rs->buf, text, sizeof(rs->buf));
    rs->len = rs->pos = strlen(rs->buf);
}

static void history_up(ReadLineState *rs)
{
    if (rs->hist_entry == 0) {
        return;
    }
    if (rs->hist_entry < 0) {
        rs->hist_entry = rs->history->len;
    }
    rs->hist_entry--;
    if (rs->hist_entry >= 0) {
        set_line(rs, g_ptr_array_index(rs->history, rs->hist_entry));
    }
}

static void history_down(ReadLineState *rs)
{
    if (rs->hist_entry < 0) {
        return;
    }
    if ((guint)rs->hist_entry + 1 < rs->history->len) {
        rs->hist_entry++;
        set_line(rs, g_ptr_array_index(rs->history, rs->hist_entry));
    } else {
        rs->hist_entry = -1;
        set_line(rs, "");
    }
}

/* A line joins the end of the history; an equal older entry moves there. */
static void history_add(ReadLineState *rs, const char *line)
{
    if (!line[0]) {
        return;
    }
    for (guint i = 0; i < rs->history->len; i++) {
        if (!strcmp(g_ptr_array_index(rs->history, i), line)) {
            g_ptr_array_remove_index(rs->history, i);
            break;
        }
    }
    if (rs->history->len == READLINE_MAX_CMDS) {
        g_ptr_array_remove_index(rs->history, 0);
    }
    g_ptr_array_add(rs->history, g_strdup(line));
    rs->hist_entry = -1;
}

/*
 * Tab: one candidate is completed and followed by a space; several are
 * completed to their common prefix and listed in columns of an 80-column
 * terminal, then the prompt and line are shown again.
 */
static void complete(ReadLineState *rs)
{
    g_autofree char *before = g_strndup(rs->buf, rs->pos);
    size_t start = 0, typed, prefix = 0, width = 0, cols;
    GPtrArray *c;

    if (!rs->complete) {
        return;
    }
    c = rs->complete(before, &start);
    typed = rs->pos - start;
    if (c->len == 1) {
        const char *s = g_ptr_array_index(c, 0);
        size_t n = strlen(s);

        for (size_t i = typed; i < n; i++) {
            insert_char(rs, s[i]);
        }
        if (n && s[n - 1] != '/') {
            insert_char(rs, ' ');
        }
    } else if (c->len > 1) {
        const char *first = g_ptr_array_index(c, 0);
        GString *list = g_string_new("\n");

        for (guint i = 0; i < c->len; i++) {
            const char *s = g_ptr_array_index(c, i);
            size_t n = strlen(s), j = 0;

            if (i == 0) {
                prefix = n;
            }
            while (j < prefix && j < n && s[j] == first[j]) {
                j++;
            }
            prefix = j;
            width = MAX(width, n);
        }
        for (size_t i = typed; i < prefix; i++) {
            insert_char(rs, first[i]);
        }
        width = CLAMP(width + 2, 10, 80);
        cols = 80 / width;
        for (guint i = 0, col = 0; i < c->len; i++) {
            g_string_append_printf(list, "%-*s", (int)width, (char *)g_ptr_array_index(c, i));
            if (++col == cols || i == c->len - 1) {
                g_string_append(list, "\n");
                col = 0;
            }
        }
        out(rs, list->str);
        g_string_free(list, true);
        readline_show_prompt(rs);
    }
    g_ptr_array_unref(c);
}

static void enter(ReadLineState *rs)
{
    g_autofree char *line = g_strndup(rs->buf, rs->len);

    history_add(rs, line);
    out(rs, "\n");
    rs->len = rs->pos = 0;
    rs->shown_len = rs->shown_pos = 0;
    rs->line(rs->opaque, line);
}

static void handle_norm(ReadLineState *rs, uint8_t ch)
{
    switch (ch) {
    case 1: /* Ctrl-A */
        rs->pos = 0;
        break;
    case 5: /* Ctrl-E */
        rs->pos = rs->len;
        break;
    case 9:
        complete(rs);
        break;
    case 12: /* Ctrl-L */
        out(rs, "\033[2J\033[1;1H");
        readline_show_prompt(rs);
        break;
    case 10:
    case 13:
        enter(rs);
        break;
    case 23: /* Ctrl-W */
        delete_word(rs);
        break;
    case 27:
        rs->esc_state = RS_ESC;
        break;
    case 8:
    case 127:
        backspace(rs);
        break;
    case 155: /* the 8-bit CSI */
        rs->esc_state = RS_CSI;
        break;
    default:
        if (ch >= 32) {
            insert_char(rs, (char)ch);
        }
        break;
    }
}

/* ESC [ ...: cursor keys and the numbered keys (1~ Home, 3~ Delete, 4~ End). */
static void handle_csi(ReadLineState *rs, uint8_t ch)
{
    switch (ch) {
    case 'A':
    case 'F': /* QEMU also takes these as up and down */
        history_up(rs);
        break;
    case 'B':
    case 'E':
        history_down(rs);
        break;
    case 'C':
        if (rs->pos < rs->len) {
            rs->pos++;
        }
        break;
    case 'D':
        if (rs->pos > 0) {
            rs->pos--;
        }
        break;
    case '0' ... '9':
        /* Past 5 digits the number stays large: no key has one, and it cannot overflow. */
        if (rs->esc_param < 100000) {
            rs->esc_param = rs->esc_param * 10 + (ch - '0');
        }
        return;
    case '~':
        if (rs->esc_param == 1) {
            rs->pos = 0;
        } else if (rs->esc_param == 3) {
            delete_char(rs);
        } else if (rs->esc_param == 4) {
            rs->pos = rs->len;
        }
        break;
    default:
        break;
    }
    rs->esc_state = RS_NORM;
}

void readline_handle_byte(ReadLineState *rs, uint8_t ch)
{
    switch (rs->esc_state) {
    case RS_NORM:
        handle_norm(rs, ch);
        break;
    case RS_ESC:
        if (ch == '[') {
            rs->esc_state = RS_CSI;
            rs->esc_param = 0;
        } else if (ch == 'O') {
            rs->esc_state = RS_SS3;
            rs->esc_param = 0;
        } else {
            rs->esc_state = RS_NORM;
        }
        break;
    case RS_CSI:
        handle_csi(rs, ch);
        break;
    case RS_SS3:
        if (ch == 'F') {
            rs->pos = rs->len;
        } else if (ch == 'H') {
            rs->pos = 0;
        }
        rs->esc_state = RS_NORM;
        break;
    }
    update(rs);
}

void readline_show_prompt(ReadLineState *rs)
{
    out(rs, rs->prompt);
    rs->shown_len = rs->shown_pos = 0;
}

void readline_restart(ReadLineState *rs)
{
    rs->len = rs->pos = 0;
    rs->shown_len = rs->shown_pos = 0;
    rs->esc_state = RS_NORM;
    rs->hist_entry = -1;
}

GPtrArray *readline_history(ReadLineState *rs)
{
    return rs->history;
}

ReadLineState *readline_new(const char *prompt, ReadLinePrintFn *print, ReadLineLineFn *line,
                            ReadLineCompleteFn *complete_fn, void *opaque)
{
    ReadLineState *rs = g_new0(ReadLineState, 1);

    rs->prompt = g_strdup(prompt);
    rs->print = print;
    rs->line = line;
    rs->complete = complete_fn;
    rs->opaque = opaque;
    rs->history = g_ptr_array_new_with_free_func(g_free);
    rs->hist_entry = -1;
    return rs;
}

void readline_free(ReadLineState *rs)
{
    if (rs) {
        g_ptr_array_unref(rs->history);
        g_free(rs->prompt);
        g_free(rs);
    }
}

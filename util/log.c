/*
 * -d / -D: debug logs by item, to stderr or a file.  Runs of repeated lines
 * (a guest stuck in an interrupt loop) are summarised, not written out.
 */
#include "qemu/log.h"
#include "qemu/thread.h"

int qemu_loglevel;
static FILE *logfile;

/*
 * Repeat suppression.  Whole lines are compared with the LOG_HISTORY lines
 * before them: once a block of P lines (P <= LOG_HISTORY) has appeared
 * LOG_SHOW_REPEATS times in a row, further repetitions are only counted,
 * and one line says how many were left out when the pattern breaks, at a
 * power-of-ten count (so a log that is never closed still shows progress),
 * and at exit.
 */
#define LOG_HISTORY 16
#define LOG_SHOW_REPEATS 2

typedef struct LogRepeat {
    QemuMutex lock;
    char *hist[LOG_HISTORY]; /* the last lines written or counted, newest at head */
    unsigned head;
    unsigned filled;
    unsigned period;     /* the repeating block's length; 0: none */
    unsigned run;        /* lines of the current run that matched period back */
    uint64_t suppressed; /* lines counted, not written */
    uint64_t next_note;  /* count at which a progress line is due */
    bool at_exit;        /* qemu_log_flush() is registered with atexit */
} LogRepeat;

static LogRepeat log_repeat = { .lock = QEMU_MUTEX_INITIALIZER };
/* A line being assembled by this thread (qemu_log calls may end mid-line). */
static __thread GString *log_line;

typedef struct LogItem {
    int mask;
    const char *name;
    const char *help;
} LogItem;

static const LogItem log_items[] = {
    { CPU_LOG_TB_OUT_ASM, "out_asm", "show generated host code for each block" },
    { CPU_LOG_TB_IN_ASM, "in_asm", "show target assembly code for each block" },
    { CPU_LOG_TB_OP, "op", "show the decoded ops of each block" },
    { CPU_LOG_TB_OP_OPT, "op_opt", "show the ops after optimization" },
    { CPU_LOG_TB_OP_IND, "op_ind", "show the ops during indirect lowering" },
    { CPU_LOG_INT, "int", "show interrupts/exceptions in short format" },
    { CPU_LOG_EXEC, "exec", "show trace before each executed block" },
    { CPU_LOG_TB_CPU, "cpu", "show CPU registers before entering a block" },
    { CPU_LOG_TB_FPU, "fpu", "include FPU registers in the 'cpu' logging" },
    { CPU_LOG_MMU, "mmu", "log MMU-related activities" },
    { CPU_LOG_PCALL, "pcall", "x86 only: show protected mode far calls" },
    { CPU_LOG_RESET, "cpu_reset", "show CPU state before CPU resets" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors", "log when the guest OS does something invalid" },
    { CPU_LOG_PAGE, "page", "dump pages at beginning of user mode emulation" },
    { CPU_LOG_TB_NOCHAIN, "nochain", "do not chain compiled blocks" },
    { CPU_LOG_PLUGIN, "plugin", "output from plugins" },
    { LOG_STRACE, "strace", "log every user-mode syscall" },
    { LOG_PER_THREAD, "tid", "open a separate log file per thread" },
};

void qemu_log_print_items(FILE *out)
{
    fprintf(out, "Log items (comma separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        fprintf(out, "%-15s %s\n", log_items[i].name, log_items[i].help);
    }
    fprintf(out, "trace:PATTERN   enable trace events (accepted, none exist)\n");
}

int qemu_log_parse_items(const char *str, bool *help)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    int mask = 0;

    *help = false;
    for (char **p = parts; *p; p++) {
        bool found = false;

        if (!**p) {
            continue;
        }
        if (!strcmp(*p, "help") || !strcmp(*p, "?")) {
            *help = true;
            continue;
        }
        if (g_str_has_prefix(*p, "trace:")) {
            mask |= LOG_TRACE;
            continue;
        }
        if (!strcmp(*p, "all")) {
            for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
                mask |= log_items[i].mask;
            }
            continue;
        }
        for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
            if (!strcmp(*p, log_items[i].name)) {
                mask |= log_items[i].mask;
                found = true;
            }
        }
        if (!found) {
            return -1;
        }
    }
    return mask;
}

bool qemu_log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (logfile) {
        fclose(logfile);
    }
    logfile = f;
    return true;
}

static FILE *log_out(void)
{
    return logfile ? logfile : stderr;
}

/* The line n back from the newest (1 = newest), or NULL. */
static const char *hist_back(const LogRepeat *r, unsigned n)
{
    if (n == 0 || n > r->filled) {
        return NULL;
    }
    return r->hist[(r->head + LOG_HISTORY - (n - 1)) % LOG_HISTORY];
}

static void hist_push(LogRepeat *r, const char *line)
{
    r->head = (r->head + 1) % LOG_HISTORY;
    g_free(r->hist[r->head]);
    r->hist[r->head] = g_strdup(line);
    r->filled = MIN(r->filled + 1, LOG_HISTORY);
}

static void note_suppressed(LogRepeat *r, bool final)
{
    if (!r->suppressed) {
        return;
    }
    if (r->period == 1) {
        fprintf(log_out(), "... %" PRIu64 " identical lines%s\n", r->suppressed,
                final ? "" : " so far");
    } else {
        fprintf(log_out(), "... %" PRIu64 " lines repeating the last %u%s\n", r->suppressed,
                r->period, final ? "" : " so far");
    }
    if (final) {
        r->suppressed = 0;
    }
}

/*
 * The smallest period P for which line continues a block of P lines that
 * already appeared LOG_SHOW_REPEATS times in a row: each of the last
 * (LOG_SHOW_REPEATS - 1) * P lines equals the one P before it, and line
 * equals the one P back.  0: none.
 */
static unsigned find_period(const LogRepeat *r, const char *line)
{
    for (unsigned p = 1; p * LOG_SHOW_REPEATS <= LOG_HISTORY; p++) {
        unsigned need = p * LOG_SHOW_REPEATS;
        bool ok = r->filled >= need && !strcmp(hist_back(r, p), line);

        for (unsigned i = 1; ok && i + p <= need; i++) {
            ok = !strcmp(hist_back(r, i), hist_back(r, i + p));
        }
        if (ok) {
            return p;
        }
    }
    return 0;
}

/* One complete line (with its newline), under the lock. */
static void log_line_out(LogRepeat *r, const char *line)
{
    if (r->period && !strcmp(hist_back(r, r->period), line)) {
        hist_push(r, line);
        r->suppressed++;
        if (r->suppressed == r->next_note) {
            note_suppressed(r, false);
            r->next_note *= 10;
        }
        return;
    }
    if (r->period) {
        note_suppressed(r, true);
        r->period = 0;
    }
    r->period = find_period(r, line);
    hist_push(r, line);
    if (r->period) {
        r->suppressed = 1;
        r->next_note = 1000;
        return;
    }
    fputs(line, log_out());
}

void qemu_log_flush(void)
{
    qemu_mutex_lock(&log_repeat.lock);
    note_suppressed(&log_repeat, true);
    log_repeat.period = 0;
    fflush(log_out());
    qemu_mutex_unlock(&log_repeat.lock);
}

void qemu_log(const char *fmt, ...)
{
    va_list ap;
    char *nl;

    if (!log_line) {
        log_line = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf(log_line, fmt, ap);
    va_end(ap);
    if (!strchr(log_line->str, '\n')) {
        return;
    }
    qemu_mutex_lock(&log_repeat.lock);
    if (!log_repeat.at_exit) {
        log_repeat.at_exit = true;
        atexit(qemu_log_flush);
    }
    while ((nl = strchr(log_line->str, '\n'))) {
        char save = nl[1];

        nl[1] = 0;
        log_line_out(&log_repeat, log_line->str);
        nl[1] = save;
        g_string_erase(log_line, 0, nl + 1 - log_line->str);
    }
    qemu_mutex_unlock(&log_repeat.lock);
}

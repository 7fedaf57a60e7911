/*
 * -d / -D: debug logs by item, to stderr or a file.
 */
#include "qemu/log.h"

int qemu_loglevel;
static FILE *logfile;

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

void qemu_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(logfile ? logfile : stderr, fmt, ap);
    va_end(ap);
}

/*
 * Debug logs selected with -d ITEMS and sent to stderr or -D FILE.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#include "qemu/osdep.h"

#define CPU_LOG_TB_OUT_ASM (1 << 0)
#define CPU_LOG_TB_IN_ASM (1 << 1)
#define CPU_LOG_TB_OP (1 << 2)
#define CPU_LOG_TB_OP_OPT (1 << 3)
#define CPU_LOG_INT (1 << 4)
#define CPU_LOG_EXEC (1 << 5)
#define CPU_LOG_PCALL (1 << 6)
#define CPU_LOG_TB_CPU (1 << 8)
#define CPU_LOG_RESET (1 << 9)
#define LOG_UNIMP (1 << 10)
#define LOG_GUEST_ERROR (1 << 11)
#define CPU_LOG_MMU (1 << 12)
#define CPU_LOG_TB_NOCHAIN (1 << 13)
#define CPU_LOG_PAGE (1 << 14)
#define CPU_LOG_TB_OP_IND (1 << 16)
#define CPU_LOG_TB_FPU (1 << 17)
#define CPU_LOG_PLUGIN (1 << 18)
#define LOG_STRACE (1 << 19)
#define LOG_PER_THREAD (1 << 20)
#define LOG_TRACE (1 << 21)

extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

void qemu_log(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#define qemu_log_mask(mask, ...)                                                                   \
    do {                                                                                           \
        if (qemu_loglevel_mask(mask)) {                                                            \
            qemu_log(__VA_ARGS__);                                                                 \
        }                                                                                          \
    } while (0)

/*
 * Parse a -d argument ("unimp,guest_errors", "help").  Returns the mask, or
 * -1 for an unknown item.  "help" prints the list and returns 0 with *help
 * set.
 */
int qemu_log_parse_items(const char *str, bool *help);
void qemu_log_print_items(FILE *out);
/* -D FILE.  Returns false (errno set) when the file cannot be opened. */
bool qemu_log_set_file(const char *path);
/*
 * Write out what is pending: the count of repeated lines left out (see
 * util/log.c).  Runs at exit by itself.
 */
void qemu_log_flush(void);

#endif

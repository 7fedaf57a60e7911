/*
 * The human monitor's line editor: QEMU's readline keys, redraw sequences,
 * history and completion, fed one byte at a time.
 */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#include "qemu/osdep.h"

/* QEMU's limits: a 4095-byte line, 64 history entries. */
#define READLINE_LINE_MAX 4095
#define READLINE_MAX_CMDS 64

typedef struct ReadLineState ReadLineState;

/* Text for the terminal (no newline translation: the caller does it). */
typedef void ReadLinePrintFn(void *opaque, const char *text);
/* A complete line was entered. */
typedef void ReadLineLineFn(void *opaque, const char *line);
/*
 * Candidates for the text before the cursor: a sorted array of strings and
 * *start, the offset where the word they complete begins.
 */
typedef GPtrArray *ReadLineCompleteFn(const char *line, size_t *start);

ReadLineState *readline_new(const char *prompt, ReadLinePrintFn *print, ReadLineLineFn *line,
                            ReadLineCompleteFn *complete, void *opaque);
void readline_free(ReadLineState *rs);
/* Start a new line: print the prompt (the line editor's state is cleared). */
void readline_show_prompt(ReadLineState *rs);
/* Forget the line being typed and any escape sequence in progress. */
void readline_restart(ReadLineState *rs);
void readline_handle_byte(ReadLineState *rs, uint8_t ch);
/* The history, oldest first (owned by rs). */
GPtrArray *readline_history(ReadLineState *rs);

#endif

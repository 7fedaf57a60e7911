/*
 * QMP's JSON reader: QEMU 7.2's lexer, message splitter and parser, with its
 * error recovery and messages, producing json-glib nodes.
 */
#ifndef MONITOR_JSON_STREAM_H
#define MONITOR_JSON_STREAM_H

#include "qemu/osdep.h"

#include <json-glib/json-glib.h>

/*
 * One top-level value (owned by the callee) or, when value is NULL, the
 * error that replaced it ("JSON parse error, ...").
 */
typedef void JsonStreamEmit(void *opaque, JsonNode *value, const char *error);

typedef struct JsonStream JsonStream;

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque);
void json_stream_free(JsonStream *js);
/* Lex bytes; every value or error completed by them is emitted at once. */
void json_stream_feed(JsonStream *js, const uint8_t *buf, size_t len);
/* Forget any partial token or message (the client went away). */
void json_stream_reset(JsonStream *js);

/*
 * Decode one modified UTF-8 sequence (at most n bytes) as QEMU does:
 * the code point, or -1 for an invalid sequence; *end is set past the bytes
 * it consumed either way.
 */
int json_utf8_codepoint(const char *s, size_t n, const char **end);

#endif

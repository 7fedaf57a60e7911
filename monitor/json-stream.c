/*
 * QMP's JSON reader, byte compatible with QEMU 7.2: a lexer with QEMU's
 * extensions (single-quoted strings, \' escapes) and its error recovery, a
 * splitter that cuts the token stream into top-level values under QEMU's
 * limits, and a recursive-descent parser with QEMU's error messages.
 * Objects keep their members in the order QEMU's QDict iterates them.
 */
#include "monitor/json-stream.h"
#include "qapi/qmp.h"

#include <errno.h>

/* QEMU's limits: bytes of all tokens of one value, tokens, open brackets. */
#define JSON_MAX_TOKEN_SIZE (64ULL << 20)
#define JSON_MAX_TOKEN_COUNT (2ULL << 20)
#define JSON_MAX_NESTING 1024

/* QEMU's QDict has this many hash buckets; iteration walks them in order. */
#define QDICT_BUCKETS 512

/* Bytes of NUL padding after a token, so escapes never read past it. */
#define TOKEN_PAD 8

typedef enum {
    TOK_LCURLY,
    TOK_RCURLY,
    TOK_LSQUARE,
    TOK_RSQUARE,
    TOK_COLON,
    TOK_COMMA,
    TOK_INTEGER,
    TOK_FLOAT,
    TOK_KEYWORD,
    TOK_STRING,
    TOK_ERROR,    /* a byte no token may contain here */
    TOK_OVERSIZE, /* a token that outgrew JSON_MAX_TOKEN_SIZE */
} TokType;

typedef enum {
    LEX_START,
    LEX_RECOVERY, /* after an error: skip to a resynchronisation point */
    LEX_DQ,
    LEX_DQ_ESC,
    LEX_SQ,
    LEX_SQ_ESC,
    LEX_ZERO,
    LEX_SIGN,
    LEX_DIGITS,
    LEX_MANTISSA,
    LEX_MANTISSA_DIGITS,
    LEX_EXP_E,
    LEX_EXP_SIGN,
    LEX_EXP_DIGITS,
    LEX_KEYWORD,
} LexState;

typedef struct JsonToken {
    TokType type;
    size_t len;
    char str[]; /* len bytes, then TOKEN_PAD NULs */
} JsonToken;

struct JsonStream {
    LexState state;
    GString *token;    /* the token being lexed */
    GPtrArray *tokens; /* of JsonToken: the value being collected */
    int braces, brackets;
    uint64_t token_size; /* bytes of the collected tokens */
    JsonStreamEmit *emit;
    void *opaque;
};

/* ---- Modified UTF-8 (QEMU's util/unicode rules) ---------------------------- */

static bool codepoint_valid(int cp)
{
    if (cp < 0 || cp > 0x10ffff) {
        return false;
    }
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe) {
        return false; /* Unicode noncharacters */
    }
    return cp < 0xd800 || cp > 0xdfff; /* no surrogate halves */
}

int json_utf8_codepoint(const char *s, size_t n, const char **end)
{
    static const int min_cp[] = { 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
    const unsigned char *p = (const unsigned char *)s;
    unsigned lead, len = 0;
    int cp;

    if (n == 0 || *p == 0) {
        *end = s;
        return -1;
    }
    lead = *p++;
    if (lead < 0x80) {
        *end = (const char *)p;
        return lead;
    }
    if (lead >= 0xfe || !(lead & 0x40)) {
        /* 0xfe/0xff never occur; 10xxxxxx only continues a sequence. */
        *end = (const char *)p;
        return -1;
    }
    for (unsigned bit = 0x80; lead & bit; bit >>= 1) {
        len++;
    }
    cp = lead & (0xff >> (len + 1));
    for (unsigned i = 1; i < len; i++) {
        unsigned next = i < n ? *p : 0;

        if ((next & 0xc0) != 0x80) {
            *end = (const char *)p; /* the sequence stops short */
            return -1;
        }
        p++;
        cp = (cp << 6) | (next & 0x3f);
    }
    *end = (const char *)p;
    if (!codepoint_valid(cp)) {
        return -1;
    }
    /* Overlong forms are refused, except C0 80: modified UTF-8's NUL. */
    if (cp < min_cp[len - 2] && !(cp == 0 && len == 2)) {
        return -1;
    }
    return cp;
}

/* Append cp in modified UTF-8 (NUL as C0 80); false when it is no character. */
static bool utf8_append(GString *s, int cp)
{
    if (!codepoint_valid(cp)) {
        return false;
    }
    if (cp > 0 && cp < 0x80) {
        g_string_append_c(s, cp);
    } else if (cp < 0x800) {
        g_string_append_c(s, 0xc0 | (cp >> 6));
        g_string_append_c(s, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        g_string_append_c(s, 0xe0 | (cp >> 12));
        g_string_append_c(s, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(s, 0x80 | (cp & 0x3f));
    } else {
        g_string_append_c(s, 0xf0 | (cp >> 18));
        g_string_append_c(s, 0x80 | ((cp >> 12) & 0x3f));
        g_string_append_c(s, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(s, 0x80 | (cp & 0x3f));
    }
    return true;
}

/* ---- Parser ---------------------------------------------------------------- */

typedef struct Parser {
    GPtrArray *tokens;
    guint next;
    char *err; /* the first error wins */
} Parser;

static JsonNode *parse_value(Parser *p);

static void G_GNUC_PRINTF(2, 3) parse_error(Parser *p, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (p->err) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    p->err = g_strdup_printf("JSON parse error, %s", msg);
}

static JsonToken *peek(Parser *p)
{
    return p->next < p->tokens->len ? g_ptr_array_index(p->tokens, p->next) : NULL;
}

static JsonToken *pop(Parser *p)
{
    JsonToken *t = peek(p);

    if (t) {
        p->next++;
    }
    return t;
}

static int hex4(const char *s)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        if (!g_ascii_isxdigit(s[i])) {
            return -1;
        }
        v = (v << 4) | g_ascii_xdigit_value(s[i]);
    }
    return v;
}

/* The string token's text without quotes, escapes resolved; NULL on error. */
static char *parse_string(Parser *p, JsonToken *t)
{
    const char *ptr = t->str;
    char quote = *ptr++;
    GString *s = g_string_new(NULL);

    while (*ptr != quote) {
        const char *beg = ptr;
        int cp;

        if (*ptr == '\\') {
            ptr += 2;
            switch (beg[1]) {
            case '"':
            case '\'':
            case '\\':
            case '/':
                g_string_append_c(s, beg[1]);
                continue;
            case 'b':
                g_string_append_c(s, '\b');
                continue;
            case 'f':
                g_string_append_c(s, '\f');
                continue;
            case 'n':
                g_string_append_c(s, '\n');
                continue;
            case 'r':
                g_string_append_c(s, '\r');
                continue;
            case 't':
                g_string_append_c(s, '\t');
                continue;
            case 'u':
                cp = hex4(ptr);
                ptr += 4;
                /* A high surrogate pairs with a following \u low one. */
                if (cp >= 0xd800 && cp <= 0xdbff && ptr[0] == '\\' && ptr[1] == 'u') {
                    int low = hex4(ptr + 2);

                    if (low >= 0xdc00 && low <= 0xdfff) {
                        cp = 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff);
                        ptr += 6;
                    } else {
                        cp = -1;
                    }
                }
                if (!utf8_append(s, cp)) {
                    parse_error(p, "%.*s is not a valid Unicode character", (int)(ptr - beg), beg);
                    goto fail;
                }
                continue;
            default:
                parse_error(p, "invalid escape sequence in string");
                goto fail;
            }
        }
        cp = json_utf8_codepoint(ptr, 6, &ptr);
        if (cp < 0) {
            parse_error(p, "invalid UTF-8 sequence in string");
            goto fail;
        }
        utf8_append(s, cp);
    }
    return g_string_free(s, false);

fail:
    g_string_free(s, true);
    return NULL;
}

static JsonNode *parse_number(JsonToken *t)
{
    if (t->type == TOK_INTEGER) {
        char *end;
        int64_t v;
        uint64_t u;

        errno = 0;
        v = g_ascii_strtoll(t->str, &end, 10);
        if (!errno) {
            return qmp_node_int(v);
        }
        /*
         * QEMU keeps 2^63..2^64-1 as an unsigned integer: a json-glib node
         * cannot hold one, so it becomes qmp_node_uint64's marked node (the
         * schema check turns it into the integer a uint64 member reads).
         */
        errno = 0;
        u = t->str[0] == '-' ? 0 : g_ascii_strtoull(t->str, &end, 10);
        if (u && !errno) {
            return qmp_node_uint64(u);
        }
    }
    /* Larger numbers and fractions are doubles, as in QEMU. */
    return json_node_init_double(json_node_alloc(), g_ascii_strtod(t->str, NULL));
}

/* A member being collected: QEMU's QDict order is only known at the end. */
typedef struct Member {
    char *key;
    JsonNode *value;
    unsigned bucket;
    unsigned seq;
} Member;

/* QEMU's QDict hash (the TDB one) for a key. */
static unsigned qdict_bucket(const char *key)
{
    size_t len = strlen(key);
    uint32_t v = 0x238f13afu * (uint32_t)len;

    for (size_t i = 0; i < len; i++) {
        v += (uint32_t)(unsigned char)key[i] << (i * 5 % 24);
    }
    return (1103515243u * v + 12345u) % QDICT_BUCKETS;
}

/* Bucket by bucket; inside one, the member added last comes first. */
static gint member_cmp(gconstpointer a, gconstpointer b)
{
    const Member *x = a, *y = b;

    if (x->bucket != y->bucket) {
        return x->bucket < y->bucket ? -1 : 1;
    }
    return x->seq > y->seq ? -1 : 1;
}

static void member_clear(gpointer data)
{
    Member *m = data;

    g_free(m->key);
    if (m->value) {
        json_node_unref(m->value);
    }
}

static bool parse_pair(Parser *p, GArray *members, GHashTable *seen)
{
    JsonNode *key;
    JsonToken *t;
    Member m;

    if (!peek(p)) {
        parse_error(p, "premature EOI");
        return false;
    }
    key = parse_value(p);
    if (!key || !JSON_NODE_HOLDS_VALUE(key) || json_node_get_value_type(key) != G_TYPE_STRING) {
        parse_error(p, "key is not a string in object");
        if (key) {
            json_node_unref(key);
        }
        return false;
    }
    m.key = g_strdup(json_node_get_string(key));
    json_node_unref(key);
    t = pop(p);
    if (!t) {
        parse_error(p, "premature EOI");
        g_free(m.key);
        return false;
    }
    if (t->type != TOK_COLON) {
        parse_error(p, "missing : in object pair");
        g_free(m.key);
        return false;
    }
    m.value = parse_value(p);
    if (!m.value) {
        parse_error(p, "Missing value in dict");
        g_free(m.key);
        return false;
    }
    if (g_hash_table_contains(seen, m.key)) {
        parse_error(p, "duplicate key");
        member_clear(&m);
        return false;
    }
    m.bucket = qdict_bucket(m.key);
    m.seq = members->len;
    g_array_append_val(members, m);
    g_hash_table_add(seen, g_array_index(members, Member, members->len - 1).key);
    return true;
}

/*
 * json_node_init_object/array take a reference of their own: the parser's is
 * dropped here, or every parsed object and array leaks (valgrind memcheck).
 */
static JsonNode *node_take_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

static JsonNode *node_take_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

static JsonNode *parse_object(Parser *p)
{
    g_autoptr(GArray) members = g_array_new(false, false, sizeof(Member));
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    JsonObject *obj;
    JsonToken *t;

    g_array_set_clear_func(members, member_clear);
    pop(p); /* { */
    if (!peek(p)) {
        parse_error(p, "premature EOI");
        return NULL;
    }
    if (peek(p)->type == TOK_RCURLY) {
        pop(p);
    } else {
        if (!parse_pair(p, members, seen)) {
            return NULL;
        }
        while ((t = pop(p)) && t->type != TOK_RCURLY) {
            if (t->type != TOK_COMMA) {
                parse_error(p, "expected separator in dict");
                return NULL;
            }
            if (!parse_pair(p, members, seen)) {
                return NULL;
            }
        }
        if (!t) {
            parse_error(p, "premature EOI");
            return NULL;
        }
    }
    g_array_sort(members, member_cmp);
    obj = json_object_new();
    for (guint i = 0; i < members->len; i++) {
        Member *m = &g_array_index(members, Member, i);

        json_object_set_member(obj, m->key, m->value);
        m->value = NULL;
    }
    return node_take_object(obj);
}

static JsonNode *parse_array(Parser *p)
{
    JsonArray *arr = json_array_new();
    JsonNode *elem;
    JsonToken *t;

    pop(p); /* [ */
    if (!peek(p)) {
        parse_error(p, "premature EOI");
        goto fail;
    }
    if (peek(p)->type == TOK_RSQUARE) {
        pop(p);
        return node_take_array(arr);
    }
    if (!(elem = parse_value(p))) {
        parse_error(p, "expecting value");
        goto fail;
    }
    json_array_add_element(arr, elem);
    while ((t = pop(p)) && t->type != TOK_RSQUARE) {
        if (t->type != TOK_COMMA) {
            parse_error(p, "expected separator in list");
            goto fail;
        }
        if (!(elem = parse_value(p))) {
            parse_error(p, "expecting value");
            goto fail;
        }
        json_array_add_element(arr, elem);
    }
    if (!t) {
        parse_error(p, "premature EOI");
        goto fail;
    }
    return node_take_array(arr);

fail:
    json_array_unref(arr);
    return NULL;
}

static JsonNode *parse_value(Parser *p)
{
    JsonToken *t = peek(p);
    JsonNode *node;
    char *str;

    if (!t) {
        parse_error(p, "premature EOI");
        return NULL;
    }
    switch (t->type) {
    case TOK_LCURLY:
        return parse_object(p);
    case TOK_LSQUARE:
        return parse_array(p);
    case TOK_INTEGER:
    case TOK_FLOAT:
        return parse_number(pop(p));
    case TOK_STRING:
        if (!(str = parse_string(p, pop(p)))) {
            return NULL;
        }
        node = json_node_init_string(json_node_alloc(), str);
        g_free(str);
        return node;
    case TOK_KEYWORD:
        pop(p);
        if (!strcmp(t->str, "true") || !strcmp(t->str, "false")) {
            return json_node_init_boolean(json_node_alloc(), t->str[0] == 't');
        }
        if (!strcmp(t->str, "null")) {
            return json_node_init_null(json_node_alloc());
        }
        parse_error(p, "invalid keyword '%s'", t->str);
        return NULL;
    default:
        parse_error(p, "expecting value");
        return NULL;
    }
}

/* ---- The splitter: collects tokens until a top-level value is complete ---- */

static void stream_clear_tokens(JsonStream *js)
{
    g_ptr_array_set_size(js->tokens, 0);
    js->braces = js->brackets = 0;
    js->token_size = 0;
}

static void stream_emit(JsonStream *js, JsonNode *value, const char *error)
{
    stream_clear_tokens(js);
    js->emit(js->opaque, value, error);
}

static void stream_parse(JsonStream *js)
{
    Parser p = { .tokens = js->tokens };
    JsonNode *value = parse_value(&p);

    if (p.err) {
        if (value) {
            json_node_unref(value);
        }
        stream_emit(js, NULL, p.err);
        g_free(p.err);
        return;
    }
    /* Tokens after the first complete value are dropped, as in QEMU. */
    stream_emit(js, value, NULL);
}

static void stream_token(JsonStream *js, TokType type, const GString *text)
{
    JsonToken *t;

    switch (type) {
    case TOK_LCURLY:
        js->braces++;
        break;
    case TOK_RCURLY:
        js->braces--;
        break;
    case TOK_LSQUARE:
        js->brackets++;
        break;
    case TOK_RSQUARE:
        js->brackets--;
        break;
    case TOK_ERROR: {
        /* The token so far and the offending byte, up to any NUL. */
        g_autofree char *msg = g_strdup_printf("JSON parse error, stray '%s'", text->str);

        stream_emit(js, NULL, msg);
        return;
    }
    default:
        break;
    }
    if (js->token_size + text->len + 1 > JSON_MAX_TOKEN_SIZE) {
        stream_emit(js, NULL, "JSON token size limit exceeded");
        return;
    }
    if (js->tokens->len + 1 > JSON_MAX_TOKEN_COUNT) {
        stream_emit(js, NULL, "JSON token count limit exceeded");
        return;
    }
    if (js->braces + js->brackets > JSON_MAX_NESTING) {
        stream_emit(js, NULL, "JSON nesting depth limit exceeded");
        return;
    }
    t = g_malloc0(sizeof(*t) + text->len + TOKEN_PAD);
    t->type = type;
    t->len = text->len;
    memcpy(t->str, text->str, text->len);
    js->token_size += text->len;
    g_ptr_array_add(js->tokens, t);
    /* Inside brackets that all balance so far: wait for more. */
    if ((js->braces > 0 || js->brackets > 0) && js->braces >= 0 && js->brackets >= 0) {
        return;
    }
    stream_parse(js);
}

/* ---- The lexer ------------------------------------------------------------- */

static bool is_structural(uint8_t c)
{
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',';
}

static TokType structural_type(uint8_t c)
{
    switch (c) {
    case '{':
        return TOK_LCURLY;
    case '}':
        return TOK_RCURLY;
    case '[':
        return TOK_LSQUARE;
    case ']':
        return TOK_RSQUARE;
    case ':':
        return TOK_COLON;
    default:
        return TOK_COMMA;
    }
}

static void lex_token(JsonStream *js, TokType type)
{
    stream_token(js, type, js->token);
    g_string_truncate(js->token, 0);
    js->state = LEX_START;
}

/* The byte cannot continue or start a token: report it and resynchronise. */
static void lex_error(JsonStream *js, uint8_t c)
{
    g_string_append_c(js->token, c);
    stream_token(js, TOK_ERROR, js->token);
    g_string_truncate(js->token, 0);
    js->state = LEX_RECOVERY;
}

static void lex_start(JsonStream *js, uint8_t c)
{
    static const LexState first[256] = {
        ['"'] = LEX_DQ,   ['\''] = LEX_SQ,
        ['0'] = LEX_ZERO, ['1' ... '9'] = LEX_DIGITS,
        ['-'] = LEX_SIGN, ['a' ... 'z'] = LEX_KEYWORD,
    };

    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        return;
    }
    if (is_structural(c)) {
        g_string_append_c(js->token, c);
        lex_token(js, structural_type(c));
        return;
    }
    if (first[c] == LEX_START) {
        lex_error(js, c);
        return;
    }
    g_string_append_c(js->token, c);
    js->state = first[c];
}

/* Inside a string: bytes 0x20..0xfd go in, the closing quote ends it. */
static void lex_string(JsonStream *js, uint8_t c, char quote, LexState in, LexState esc)
{
    if (c < 0x20 || c > 0xfd) {
        lex_error(js, c);
        return;
    }
    g_string_append_c(js->token, c);
    if (js->state == esc) {
        js->state = in;
    } else if (c == '\\') {
        js->state = esc;
    } else if (c == quote) {
        lex_token(js, TOK_STRING);
    }
}

/* One byte; false when it ended a token without being part of it. */
static bool lex_byte(JsonStream *js, uint8_t c)
{
    bool digit = c >= '0' && c <= '9';

    switch (js->state) {
    case LEX_START:
        lex_start(js, c);
        return true;
    case LEX_RECOVERY:
        /*
         * Structural characters, control characters other than tab and the
         * bytes 0xfe/0xff (which clients send on purpose) end the skipping.
         */
        if ((c < 0x20 && c != '\t') || c >= 0xfe || is_structural(c)) {
            js->state = LEX_START;
            return false;
        }
        return true;
    case LEX_DQ:
    case LEX_DQ_ESC:
        lex_string(js, c, '"', LEX_DQ, LEX_DQ_ESC);
        return true;
    case LEX_SQ:
    case LEX_SQ_ESC:
        lex_string(js, c, '\'', LEX_SQ, LEX_SQ_ESC);
        return true;
    case LEX_ZERO:
        if (digit) {
            lex_error(js, c);
            return true;
        }
        if (c == '.') {
            js->state = LEX_MANTISSA;
            break;
        }
        lex_token(js, TOK_INTEGER);
        return false;
    case LEX_SIGN:
        if (!digit) {
            lex_error(js, c);
            return true;
        }
        js->state = c == '0' ? LEX_ZERO : LEX_DIGITS;
        break;
    case LEX_DIGITS:
        if (c == '.') {
            js->state = LEX_MANTISSA;
        } else if (c == 'e' || c == 'E') {
            js->state = LEX_EXP_E;
        } else if (!digit) {
            lex_token(js, TOK_INTEGER);
            return false;
        }
        break;
    case LEX_MANTISSA:
    case LEX_EXP_SIGN:
        if (!digit) {
            lex_error(js, c);
            return true;
        }
        js->state = js->state == LEX_MANTISSA ? LEX_MANTISSA_DIGITS : LEX_EXP_DIGITS;
        break;
    case LEX_MANTISSA_DIGITS:
        if (c == 'e' || c == 'E') {
            js->state = LEX_EXP_E;
        } else if (!digit) {
            lex_token(js, TOK_FLOAT);
            return false;
        }
        break;
    case LEX_EXP_E:
        if (c == '+' || c == '-') {
            js->state = LEX_EXP_SIGN;
        } else if (digit) {
            js->state = LEX_EXP_DIGITS;
        } else {
            lex_error(js, c);
            return true;
        }
        break;
    case LEX_EXP_DIGITS:
        if (!digit) {
            lex_token(js, TOK_FLOAT);
            return false;
        }
        break;
    case LEX_KEYWORD:
        if (c < 'a' || c > 'z') {
            lex_token(js, TOK_KEYWORD);
            return false;
        }
        break;
    }
    g_string_append_c(js->token, c);
    return true;
}

void json_stream_feed(JsonStream *js, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!lex_byte(js, buf[i])) {
            /* the byte is looked at again in the new state */
        }
        /* One token may not grow without bound either. */
        if (js->token->len > JSON_MAX_TOKEN_SIZE) {
            stream_token(js, TOK_OVERSIZE, js->token);
            g_string_truncate(js->token, 0);
            js->state = LEX_START;
        }
    }
}

void json_stream_reset(JsonStream *js)
{
    g_string_truncate(js->token, 0);
    js->state = LEX_START;
    stream_clear_tokens(js);
}

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque)
{
    JsonStream *js = g_new0(JsonStream, 1);

    js->token = g_string_new(NULL);
    js->tokens = g_ptr_array_new_with_free_func(g_free);
    js->emit = emit;
    js->opaque = opaque;
    return js;
}

void json_stream_free(JsonStream *js)
{
    if (js) {
        g_string_free(js->token, true);
        g_ptr_array_free(js->tokens, true);
        g_free(js);
    }
}

/*
 * The qtest server: QEMU's line protocol on a chardev, so that tests can read
 * and write guest memory, step the virtual clock, and call RTAS and hcalls.
 */
#include "qtest/qtest.h"
#include "chardev/char.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "sysemu/runstate.h"

/*
 * A request line may carry a whole buffer (write, b64write): accept up to
 * 64 MiB per line, and move at most 32 MiB per read or write command, so the
 * hex or base64 form of any transfer fits in a line.
 */
#define QTEST_MAX_LINE (64 * MiB)
#define QTEST_MAX_TRANSFER (32 * MiB)
#define QTEST_MAX_WORDS 16

typedef struct QTestServer {
    Chardev *chr;
    GString *inbuf;
    size_t scanned;  /* inbuf bytes already searched for a newline */
    bool discarding; /* dropping the rest of an overlong line */
    FILE *log;
    gint64 start_us; /* log times are relative to the peer's arrival */
} QTestServer;

static bool enabled;
static QTestServer *server;

bool qtest_enabled(void)
{
    return enabled;
}

bool qtest_driver(void)
{
    return server != NULL;
}

void qtest_set_enabled(bool on)
{
    enabled = on;
    if (on) {
        /* Under qtest, virtual time moves only by clock_step/clock_set. */
        qemu_clock_virtual_set_manual(true);
    }
}

/* ---- Logging (-qtest-log), in QEMU's format ---------------------------- */

static void qtest_log(char dir, const char *text)
{
    gint64 t;

    if (!server->log) {
        return;
    }
    t = g_get_monotonic_time() - server->start_us;
    fprintf(server->log, "[%c +%" PRId64 ".%06" PRId64 "] %s\n", dir, t / G_USEC_PER_SEC,
            t % G_USEC_PER_SEC, text);
    fflush(server->log);
}

static void qtest_reply(const char *text)
{
    qtest_log('S', text);
    qemu_chr_fe_write_all(server->chr, (const uint8_t *)text, strlen(text));
    qemu_chr_fe_write_all(server->chr, (const uint8_t *)"\n", 1);
}

/* ---- Argument parsing ---------------------------------------------------- */

/* A protocol number: decimal, or hexadecimal after "0x"; no sign. */
static bool parse_u64(const char *s, uint64_t *val)
{
    unsigned base = 10;
    char *end;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!s[0]) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (base == 16 ? !g_ascii_isxdigit(*p) : !g_ascii_isdigit(*p)) {
            return false;
        }
    }
    errno = 0;
    *val = g_ascii_strtoull(s, &end, base);
    return errno == 0 && *end == '\0';
}

static bool parse_u32(const char *s, uint32_t *val)
{
    uint64_t v;

    if (!parse_u64(s, &v) || v > UINT32_MAX) {
        return false;
    }
    *val = v;
    return true;
}

/* The request being answered: its words, and the reply built for it. */
typedef struct QTestCmd {
    char **argv;
    int argc;
    GString *reply;
} QTestCmd;

static void cmd_fail(QTestCmd *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void cmd_fail(QTestCmd *c, const char *fmt, ...)
{
    va_list ap;

    g_string_assign(c->reply, "FAIL ");
    va_start(ap, fmt);
    g_string_append_vprintf(c->reply, fmt, ap);
    va_end(ap);
}

static bool arg_u64(QTestCmd *c, int i, uint64_t *val)
{
    if (!parse_u64(c->argv[i], val)) {
        cmd_fail(c, "invalid number '%.64s'", c->argv[i]);
        return false;
    }
    return true;
}

/* ADDR and SIZE arguments at i, i+1, SIZE at most max. */
static bool arg_range(QTestCmd *c, int i, uint64_t max, uint64_t *addr, uint64_t *size)
{
    if (!arg_u64(c, i, addr) || !arg_u64(c, i + 1, size)) {
        return false;
    }
    if (*size > max) {
        cmd_fail(c, "size too large (max %" PRIu64 ")", max);
        return false;
    }
    return true;
}

/*
 * Guest memory as the CPU sees it: RAM and device registers (through the
 * memory map, in the target's big-endian order), as QEMU's qtest, which
 * ignores the access's result: what nothing takes (a hole, an access a
 * device refuses) reads as zeros and drops writes, and the command is OK.
 */
static void mem_read(uint64_t addr, void *buf, uint64_t size)
{
    memory_map_read_bytes_unassigned_zero(addr, buf, size);
}

static void mem_write(uint64_t addr, const void *buf, uint64_t size)
{
    memory_map_write_bytes_unassigned_drop(addr, buf, size);
}

/* ---- Commands ------------------------------------------------------------ */

static unsigned access_width(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

/*
 * readb/readw/readl/readq ADDR: big-endian, as the pseries target is.  As
 * QEMU's, a misaligned or too wide one reaches a device as the aligned
 * accesses it takes (the byte-range path), not as one access it refuses.
 */
static void cmd_readn(QTestCmd *c)
{
    unsigned width = access_width(c->argv[0]);
    uint64_t addr, val = 0;
    uint8_t b[8];

    if (!arg_u64(c, 1, &addr)) {
        return;
    }
    mem_read(addr, b, width);
    for (unsigned i = 0; i < width; i++) {
        val = val << 8 | b[i];
    }
    g_string_printf(c->reply, "OK 0x%016" PRIx64, val);
}

/* writeb/w/l/q ADDR VALUE: the value is truncated to the width, as QEMU. */
static void cmd_writen(QTestCmd *c)
{
    unsigned width = access_width(c->argv[0]);
    uint64_t addr, val;
    uint8_t b[8];

    if (!arg_u64(c, 1, &addr) || !arg_u64(c, 2, &val)) {
        return;
    }
    for (unsigned i = 0; i < width; i++) {
        b[i] = val >> (8 * (width - 1 - i));
    }
    mem_write(addr, b, width);
    g_string_assign(c->reply, "OK");
}

/*
 * read ADDR SIZE: the bytes are read into the second half of the reply and
 * turned into hex in place, eight at a time (hex pair i never reaches past
 * byte i, so no byte is overwritten before it is used).  32 MiB reads are
 * common in fuzzing and must not take seconds.
 */
static void cmd_read(QTestCmd *c)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, size, i = 0;
    char *out;
    const uint8_t *in;

    if (!arg_range(c, 1, QTEST_MAX_TRANSFER, &addr, &size)) {
        return;
    }
    g_string_set_size(c->reply, 5 + 2 * size);
    out = c->reply->str + 5;
    in = (const uint8_t *)out + size;
    mem_read(addr, out + size, size);
    memcpy(c->reply->str, "OK 0x", 5);
    for (; i + 8 <= size; i += 8) {
        uint8_t b[8];
        char pair[16];

        memcpy(b, in + i, 8);
        for (unsigned j = 0; j < 8; j++) {
            pair[2 * j] = hex[b[j] >> 4];
            pair[2 * j + 1] = hex[b[j] & 15];
        }
        memcpy(out + 2 * i, pair, 16);
    }
    for (; i < size; i++) {
        uint8_t b = in[i];

        out[2 * i] = hex[b >> 4];
        out[2 * i + 1] = hex[b & 15];
    }
}

/*
 * write ADDR SIZE 0xDATA: DATA may be shorter than SIZE bytes (QEMU pads
 * with zeros) but not longer.
 */
static void cmd_write(QTestCmd *c)
{
    const char *hex = c->argv[3];
    uint64_t addr, size, ndigits;
    uint8_t *data;

    if (!arg_range(c, 1, QTEST_MAX_TRANSFER, &addr, &size)) {
        return;
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        cmd_fail(c, "data must start with 0x");
        return;
    }
    hex += 2;
    ndigits = strlen(hex);
    if (ndigits % 2 || ndigits / 2 > size) {
        cmd_fail(c, "data length does not match size");
        return;
    }
    for (uint64_t i = 0; i < ndigits; i++) {
        if (!g_ascii_isxdigit(hex[i])) {
            cmd_fail(c, "invalid hex data");
            return;
        }
    }
    data = g_malloc0(size ? size : 1);
    for (uint64_t i = 0; i < ndigits / 2; i++) {
        data[i] = g_ascii_xdigit_value(hex[2 * i]) << 4 | g_ascii_xdigit_value(hex[2 * i + 1]);
    }
    mem_write(addr, data, size);
    g_string_assign(c->reply, "OK");
    g_free(data);
}

static void cmd_b64read(QTestCmd *c)
{
    uint64_t addr, size;
    uint8_t *data;
    char *b64;

    if (!arg_range(c, 1, QTEST_MAX_TRANSFER, &addr, &size)) {
        return;
    }
    data = g_malloc(size ? size : 1);
    mem_read(addr, data, size);
    b64 = g_base64_encode(data, size);
    g_string_assign(c->reply, "OK ");
    g_string_append(c->reply, b64);
    g_free(b64);
    g_free(data);
}

/* Strict base64: the alphabet, whole quanta, '=' only as padding. */
static bool base64_valid(const char *s)
{
    size_t len = strlen(s);
    size_t pad = 0;

    if (len % 4) {
        return false;
    }
    while (pad < 2 && pad < len && s[len - 1 - pad] == '=') {
        pad++;
    }
    for (size_t i = 0; i < len - pad; i++) {
        if (!g_ascii_isalnum(s[i]) && s[i] != '+' && s[i] != '/') {
            return false;
        }
    }
    return true;
}

/* b64write ADDR SIZE DATA: DATA must decode to exactly SIZE bytes. */
static void cmd_b64write(QTestCmd *c)
{
    const char *b64 = c->argc > 3 ? c->argv[3] : "";
    uint64_t addr, size;
    guchar *data;
    gsize len = 0;

    if (!arg_range(c, 1, QTEST_MAX_TRANSFER, &addr, &size)) {
        return;
    }
    if (!base64_valid(b64)) {
        cmd_fail(c, "invalid base64 data");
        return;
    }
    data = g_base64_decode(b64, &len);
    if (len != size) {
        cmd_fail(c, "data length %zu does not match size %" PRIu64, (size_t)len, size);
    } else {
        mem_write(addr, data, size);
        g_string_assign(c->reply, "OK");
    }
    g_free(data);
}

/* memset ADDR SIZE VALUE: the value is truncated to a byte, as QEMU. */
static void cmd_memset(QTestCmd *c)
{
    uint64_t addr, size, val;

    if (!arg_range(c, 1, UINT64_MAX, &addr, &size) || !arg_u64(c, 3, &val)) {
        return;
    }
    if (guest_range_valid(addr, size)) {
        guest_memset(addr, val & 0xff, size);
    } else {
        /* Devices and holes: as much as the other commands move at once. */
        g_autofree uint8_t *data = NULL;

        if (size > QTEST_MAX_TRANSFER) {
            cmd_fail(c, "size too large (max %" PRIu64 ")", (uint64_t)QTEST_MAX_TRANSFER);
            return;
        }
        data = g_malloc(size ? size : 1);
        memset(data, val & 0xff, size);
        mem_write(addr, data, size);
    }
    g_string_assign(c->reply, "OK");
}

static void cmd_endianness(QTestCmd *c)
{
    g_string_assign(c->reply, "OK big");
}

static void clock_advance_reply(QTestCmd *c, int64_t target)
{
    qemu_clock_virtual_advance_to(target);
    g_string_printf(c->reply, "OK %" PRId64, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

/* clock_step [NS]: without NS, up to the next virtual timer (if any). */
static void cmd_clock_step(QTestCmd *c)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t step;

    if (c->argc < 2) {
        int64_t deadline = qemu_clock_virtual_deadline();

        clock_advance_reply(c, deadline > now ? deadline : now);
        return;
    }
    if (!arg_u64(c, 1, &step)) {
        return;
    }
    if (step > (uint64_t)(INT64_MAX - now)) {
        cmd_fail(c, "step overflows the clock");
        return;
    }
    clock_advance_reply(c, now + (int64_t)step);
}

/* clock_set NS: the clock never goes back; the reply gives its value. */
static void cmd_clock_set(QTestCmd *c)
{
    uint64_t ns;

    if (!arg_u64(c, 1, &ns)) {
        return;
    }
    if (ns > INT64_MAX) {
        cmd_fail(c, "time out of range");
        return;
    }
    clock_advance_reply(c, (int64_t)ns);
}

/* A machine with CPUs and firmware interfaces to call. */
static bool have_machine(QTestCmd *c)
{
    MachineState *m = current_machine;

    if (!m || !m->ops->hcall || !m->ops->rtas || !m->ops->cpu_count(m)) {
        cmd_fail(c, "no machine");
        return false;
    }
    return true;
}

/* rtas NAME NARGS ARGS NRET RETS */
static void cmd_rtas(QTestCmd *c)
{
    uint32_t nargs, nret;
    uint64_t args, rets;

    if (!parse_u32(c->argv[2], &nargs) || !parse_u32(c->argv[4], &nret)) {
        cmd_fail(c, "invalid nargs or nret");
        return;
    }
    if (!arg_u64(c, 3, &args) || !arg_u64(c, 5, &rets) || !have_machine(c)) {
        return;
    }
    g_string_printf(
        c->reply, "OK %" PRIu64,
        current_machine->ops->rtas(current_machine, c->argv[1], nargs, args, nret, rets));
}

/* hcall OPCODE [ARG...]: ARGs are r4.., the reply r3 then r4..r12. */
static void cmd_hcall(QTestCmd *c)
{
    uint64_t args[MACHINE_HCALL_NARGS] = { 0 };
    uint64_t opcode;
    uint64_t r3;

    if (!arg_u64(c, 1, &opcode)) {
        return;
    }
    for (int i = 2; i < c->argc; i++) {
        if (!arg_u64(c, i, &args[i - 2])) {
            return;
        }
    }
    if (!have_machine(c)) {
        return;
    }
    r3 = current_machine->ops->hcall(current_machine, opcode, args);
    g_string_printf(c->reply, "OK 0x%016" PRIx64, r3);
    for (int i = 0; i < MACHINE_HCALL_NARGS; i++) {
        g_string_append_printf(c->reply, " 0x%016" PRIx64, args[i]);
    }
}

/*
 * inb/inw/inl PORT and outb/outw/outl PORT VALUE: the I/O port space, which
 * pseries leaves empty, as QEMU's: writes vanish, reads return all ones.
 */
static void cmd_in(QTestCmd *c)
{
    static const uint32_t ones[] = { ['b'] = 0xff, ['w'] = 0xffff, ['l'] = 0xffffffff };
    uint64_t port;

    if (!arg_u64(c, 1, &port)) {
        return;
    }
    g_string_printf(c->reply, "OK 0x%04" PRIx32, ones[(unsigned char)c->argv[0][2]]);
}

static void cmd_out(QTestCmd *c)
{
    uint64_t port, val;

    if (!arg_u64(c, 1, &port) || !arg_u64(c, 2, &val)) {
        return;
    }
    g_string_assign(c->reply, "OK");
}

typedef struct QTestCommandDef {
    const char *name;
    int min_args; /* not counting the command word */
    int max_args;
    void (*fn)(QTestCmd *c);
} QTestCommandDef;

static const QTestCommandDef qtest_commands[] = {
    { "readb", 1, 1, cmd_readn },
    { "readw", 1, 1, cmd_readn },
    { "readl", 1, 1, cmd_readn },
    { "readq", 1, 1, cmd_readn },
    { "writeb", 2, 2, cmd_writen },
    { "writew", 2, 2, cmd_writen },
    { "writel", 2, 2, cmd_writen },
    { "writeq", 2, 2, cmd_writen },
    { "inb", 1, 1, cmd_in },
    { "inw", 1, 1, cmd_in },
    { "inl", 1, 1, cmd_in },
    { "outb", 2, 2, cmd_out },
    { "outw", 2, 2, cmd_out },
    { "outl", 2, 2, cmd_out },
    { "read", 2, 2, cmd_read },
    { "write", 3, 3, cmd_write },
    { "b64read", 2, 2, cmd_b64read },
    { "b64write", 2, 3, cmd_b64write },
    { "memset", 3, 3, cmd_memset },
    { "endianness", 0, 0, cmd_endianness },
    { "clock_step", 0, 1, cmd_clock_step },
    { "clock_set", 1, 1, cmd_clock_set },
    { "rtas", 5, 5, cmd_rtas },
    { "hcall", 1, 1 + MACHINE_HCALL_NARGS, cmd_hcall },
};

static void qtest_dispatch(QTestCmd *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(qtest_commands); i++) {
        const QTestCommandDef *d = &qtest_commands[i];

        if (strcmp(c->argv[0], d->name) != 0) {
            continue;
        }
        if (c->argc - 1 < d->min_args || c->argc - 1 > d->max_args) {
            cmd_fail(c, "wrong number of arguments for '%s'", d->name);
            return;
        }
        d->fn(c);
        return;
    }
    cmd_fail(c, "Unknown command '%.64s'", c->argv[0]);
}

/* Split on blanks; more than QTEST_MAX_WORDS words is an error. */
static int split_words(char *line, char **argv)
{
    int argc = 0;
    char *save = NULL;

    for (char *w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        if (argc == QTEST_MAX_WORDS) {
            return -1;
        }
        argv[argc++] = w;
    }
    return argc;
}

static void qtest_process_line(char *line)
{
    char *argv[QTEST_MAX_WORDS + 1] = { NULL };
    QTestCmd c = { .argv = argv, .reply = g_string_new(NULL) };

    qtest_log('R', line);
    c.argc = split_words(line, argv);
    if (c.argc < 0) {
        cmd_fail(&c, "too many arguments");
    } else if (c.argc == 0) {
        cmd_fail(&c, "empty command");
    } else {
        qtest_dispatch(&c);
    }
    qtest_reply(c.reply->str);
    g_string_free(c.reply, TRUE);
}

/* ---- The chardev frontend ------------------------------------------------ */

static int qtest_can_read(void *opaque)
{
    return 64 * KiB;
}

/* Drop input up to the end of an overlong line; returns bytes consumed. */
static int qtest_discard(const uint8_t *buf, int size)
{
    const uint8_t *nl = memchr(buf, '\n', size);

    if (!nl) {
        return size;
    }
    server->discarding = false;
    return nl - buf + 1;
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    GString *in = server->inbuf;
    size_t start = 0;
    char *nl;

    if (server->discarding) {
        int used = qtest_discard(buf, size);

        buf += used;
        size -= used;
    }
    g_string_append_len(in, (const char *)buf, size);
    /* Bytes before 'scanned' are known to hold no newline. */
    while ((nl = memchr(in->str + server->scanned, '\n', in->len - server->scanned))) {
        *nl = '\0';
        qtest_process_line(in->str + start);
        start = nl - in->str + 1;
        server->scanned = start;
    }
    g_string_erase(in, 0, start);
    server->scanned = in->len;
    if (in->len > QTEST_MAX_LINE) {
        g_string_truncate(in, 0);
        server->scanned = 0;
        server->discarding = true;
        qtest_reply("FAIL line too long");
    }
}

/*
 * QEMU keeps running when the qtest peer goes away; we end the process
 * instead, so that a test that dies never leaves an emulator behind.
 */
static void qtest_event(void *opaque, QEMUChrEvent event)
{
    switch (event) {
    case CHR_EVENT_OPENED:
        server->start_us = g_get_monotonic_time();
        g_string_truncate(server->inbuf, 0);
        server->scanned = 0;
        server->discarding = false;
        qtest_log('I', "OPENED");
        break;
    case CHR_EVENT_CLOSED:
        qtest_log('I', "CLOSED");
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
        break;
    default: /* mux focus changes */
        break;
    }
}

bool qtest_server_init(const char *spec, const char *log, char **err)
{
    Chardev *chr;
    FILE *log_fp = NULL;

    if (server) {
        *err = g_strdup("only one qtest server is supported");
        return false;
    }
    if (log && strcmp(log, "none") != 0) {
        log_fp = fopen(log, "w");
        if (!log_fp) {
            *err = g_strdup_printf("cannot open qtest log '%s': %s", log, g_strerror(errno));
            return false;
        }
    }
    chr = qemu_chr_new("qtest", spec, err);
    if (!chr) {
        if (log_fp) {
            fclose(log_fp);
        }
        return false;
    }
    server = g_new0(QTestServer, 1);
    server->chr = chr;
    server->inbuf = g_string_new(NULL);
    server->log = log_fp;
    server->start_us = g_get_monotonic_time();
    if (!qemu_chr_fe_set_handlers(chr, qtest_can_read, qtest_read, qtest_event, server)) {
        *err = g_strdup("the qtest chardev is already in use");
        g_string_free(server->inbuf, TRUE);
        g_clear_pointer(&server, g_free);
        if (log_fp) {
            fclose(log_fp);
        }
        return false;
    }
    qtest_set_enabled(true);
    return true;
}

/*
 * The GDB remote stub: packets of GDB's remote serial protocol read from a
 * chardev by the main loop, answered as QEMU 7.2 answers them (one process,
 * one thread per vCPU; registers and memory through target/ppc/gdbstub.c).
 */
#include "gdbstub/gdbstub.h"
#include "chardev/char.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

/* QEMU's packet buffer: "PacketSize=1000" (hex) in qSupported. */
#define MAX_PACKET_LENGTH 4096

/* Signal numbers of stop replies (GDB's own numbering). */
#define GDB_SIGNAL_INT 2
#define GDB_SIGNAL_QUIT 3
#define GDB_SIGNAL_TRAP 5
#define GDB_SIGNAL_ABRT 6
#define GDB_SIGNAL_UNKNOWN 143

/* The one process QEMU shows: pid 1, threads numbered from 1 by cpu index. */
#define GDB_PID 1

typedef enum RSState {
    RS_IDLE,    /* between packets */
    RS_GETLINE, /* inside $...  */
    RS_GETLINE_ESC,
    RS_CHKSUM1, /* after # */
    RS_CHKSUM2,
} RSState;

typedef struct GDBState {
    Chardev *chr;
    bool socket; /* chr is a socket (QEMU registers it for yank) */
    bool connected;
    RSState state;
    GString *line; /* the packet being read */
    uint8_t line_sum;
    uint8_t chksum;
    /* the thread for g/G/p/P/m/M (Hg), the one to resume (Hc), the last stop */
    PowerPCCPU *g_cpu;
    PowerPCCPU *c_cpu;
    bool multiprocess; /* GDB said multiprocess+: thread ids are pPID.TID */
    bool has_xml;      /* GDB read the target description */
    unsigned thread_iter;
    /* a stop reply must follow the next stop (GDB is waiting for one) */
    bool running;
    /* the last packet sent, until GDB acknowledges it ('-' asks for it again) */
    GString *last_packet;
} GDBState;

static GDBState gdb;

/* ---- sending ----------------------------------------------------------- */

static void put_buffer(const char *buf, size_t len)
{
    if (gdb.chr) {
        qemu_chr_fe_write_all(gdb.chr, (const uint8_t *)buf, len);
    }
}

static void put_packet_len(const char *data, size_t len)
{
    GString *p = g_string_sized_new(len + 4);
    uint8_t sum = 0;

    g_string_append_c(p, '$');
    for (size_t i = 0; i < len; i++) {
        sum += (uint8_t)data[i];
    }
    g_string_append_len(p, data, len);
    g_string_append_printf(p, "#%02x", sum);
    put_buffer(p->str, p->len);
    if (gdb.last_packet) {
        g_string_free(gdb.last_packet, true);
    }
    gdb.last_packet = p;
}

static void put_packet(const char *data)
{
    put_packet_len(data, strlen(data));
}

/* Binary data in a reply: $, #, } and * go escaped ("}" then byte ^ 0x20). */
static void append_escaped(GString *s, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];

        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g_string_append_c(s, '}');
            c ^= 0x20;
        }
        g_string_append_c(s, c);
    }
}

static void append_hex(GString *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(s, "%02x", buf[i]);
    }
}

/* ---- parsing ----------------------------------------------------------- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = g_ascii_tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A hex number at *p (at least one digit); advances *p. */
static bool parse_hex(const char **p, uint64_t *val)
{
    const char *s = *p;
    uint64_t v = 0;

    if (hex_digit(*s) < 0) {
        return false;
    }
    for (; hex_digit(*s) >= 0; s++) {
        v = (v << 4) | hex_digit(*s);
    }
    *val = v;
    *p = s;
    return true;
}

/* len bytes from 2 * len hex digits; false on a short or bad string. */
static bool hex_to_bytes(const char *s, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit(s[2 * i]), lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return false;
        }
        buf[i] = hi << 4 | lo;
    }
    return true;
}

/* ---- threads ----------------------------------------------------------- */

static PowerPCCPU *first_cpu(void)
{
    return cpus_get(0);
}

static PowerPCCPU *cpu_by_tid(uint64_t tid)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        if ((uint64_t)cpus_get(i)->cpu_index + 1 == tid) {
            return cpus_get(i);
        }
    }
    return NULL;
}

static void append_thread_id(GString *s, PowerPCCPU *cpu)
{
    if (gdb.multiprocess) {
        g_string_append_printf(s, "p%02x.%02x", GDB_PID, cpu->cpu_index + 1);
    } else {
        g_string_append_printf(s, "%02x", cpu->cpu_index + 1);
    }
}

typedef enum ThreadSel { THREAD_ONE, THREAD_ALL, THREAD_ANY, THREAD_BAD } ThreadSel;

/*
 * A thread-id: "pPID.TID", "pPID", "TID", with -1 for all and 0 for any.
 * THREAD_ONE sets *cpu (NULL when no such thread).
 */
static ThreadSel parse_thread_id(const char **p, PowerPCCPU **cpu)
{
    const char *s = *p;
    uint64_t pid = GDB_PID, tid;

    *cpu = NULL;
    if (*s == 'p') {
        s++;
        if (!strncmp(s, "-1", 2)) {
            *p = s + 2;
            return THREAD_ALL;
        }
        if (!parse_hex(&s, &pid)) {
            return THREAD_BAD;
        }
        if (*s != '.') {
            *p = s;
            *cpu = pid == GDB_PID ? first_cpu() : NULL;
            return pid ? THREAD_ONE : THREAD_ANY;
        }
        s++;
    }
    if (!strncmp(s, "-1", 2)) {
        *p = s + 2;
        return THREAD_ALL;
    }
    if (!parse_hex(&s, &tid)) {
        return THREAD_BAD;
    }
    *p = s;
    if (pid == 0 || tid == 0) {
        *cpu = first_cpu();
        return THREAD_ANY;
    }
    *cpu = pid == GDB_PID ? cpu_by_tid(tid) : NULL;
    return THREAD_ONE;
}

/* ---- running and stopping ---------------------------------------------- */

static void gdb_continue(void)
{
    gdb.running = true;
    vm_start();
}

static void remove_all_breakpoints(void)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        ppc_debug_remove_all(cpus_get(i));
    }
}

static void stop_reply(GString *s, int sig, PowerPCCPU *cpu)
{
    g_string_append_printf(s, "T%02xthread:", sig);
    append_thread_id(s, cpu);
    g_string_append_c(s, ';');
}

/* The VM stopped (a breakpoint, Ctrl-C, QMP stop, shutdown...): say so. */
static void gdb_vm_state_change(void *opaque, bool running, RunState state)
{
    g_autoptr(GString) s = g_string_new(NULL);
    PowerPCCPU *cpu = gdb.c_cpu ? gdb.c_cpu : first_cpu();
    int sig;

    if (running || !gdb.connected || !cpu) {
        return;
    }
    switch (state) {
    case RUN_STATE_DEBUG:
        sig = GDB_SIGNAL_TRAP;
        if (cpu->debug_stop == PPC_DEBUG_WATCH) {
            static const char *const kinds[] = { [2] = "", [3] = "r", [4] = "a" };
            uint64_t addr;
            int kind;

            ppc_debug_watch_hit(cpu, &addr, &kind);
            stop_reply(s, sig, cpu);
            g_string_append_printf(s, "%swatch:%" PRIx64 ";", kinds[kind], addr);
        }
        break;
    case RUN_STATE_PAUSED:
        sig = GDB_SIGNAL_INT;
        break;
    case RUN_STATE_SHUTDOWN:
        sig = GDB_SIGNAL_QUIT;
        break;
    case RUN_STATE_INTERNAL_ERROR:
        sig = GDB_SIGNAL_ABRT;
        break;
    default:
        sig = GDB_SIGNAL_UNKNOWN;
        break;
    }
    if (!s->len) {
        stop_reply(s, sig, cpu);
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        cpus_get(i)->debug_stop = 0;
        ppc_debug_single_step(cpus_get(i), false);
    }
    gdb.running = false;
    put_packet(s->str);
}

void gdb_cpu_debug_stop(PowerPCCPU *cpu)
{
    if (!gdb.chr) {
        cpu->debug_stop = 0;
        return;
    }
    gdb.c_cpu = gdb.g_cpu = cpu;
    cpus_request_stop();
    qemu_system_debug_request();
}

void gdb_exit(int code)
{
    char buf[8];

    if (!gdb.connected) {
        return;
    }
    snprintf(buf, sizeof(buf), "W%02x", (uint8_t)code);
    put_packet(buf);
}

/* ---- commands ---------------------------------------------------------- */

static void handle_query_supported(const char *args)
{
    gdb.multiprocess = strstr(args, "multiprocess+") != NULL;
    put_packet(gdb.multiprocess
                   ? "PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+"
                   : "PacketSize=1000;qXfer:features:read+;vContSupported+");
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void handle_xfer_features(const char *args)
{
    const char *colon = strchr(args, ':');
    g_autofree char *annex = NULL;
    g_autoptr(GString) s = NULL;
    const char *xml, *p;
    uint64_t off, len;
    size_t total;

    if (!colon) {
        put_packet("E22");
        return;
    }
    annex = g_strndup(args, colon - args);
    p = colon + 1;
    if (!parse_hex(&p, &off) || *p++ != ',' || !parse_hex(&p, &len)) {
        put_packet("E22");
        return;
    }
    xml = ppc_gdb_get_xml(annex);
    if (!xml) {
        put_packet("E00");
        return;
    }
    gdb.has_xml = true;
    total = strlen(xml);
    len = MIN(len, MAX_PACKET_LENGTH - 5);
    s = g_string_new(NULL);
    if (off >= total) {
        g_string_append_c(s, 'l');
    } else {
        size_t n = MIN(len, total - off);

        g_string_append_c(s, n < total - off ? 'm' : 'l');
        append_escaped(s, xml + off, n);
    }
    put_packet_len(s->str, s->len);
}

static void handle_query(const char *pkt)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (g_str_has_prefix(pkt, "qSupported")) {
        handle_query_supported(pkt);
    } else if (g_str_has_prefix(pkt, "qXfer:features:read:")) {
        handle_xfer_features(pkt + strlen("qXfer:features:read:"));
    } else if (!strcmp(pkt, "qAttached") || g_str_has_prefix(pkt, "qAttached:")) {
        put_packet("1");
    } else if (!strcmp(pkt, "qC")) {
        g_string_append(s, "QC");
        append_thread_id(s, gdb.g_cpu);
        put_packet(s->str);
    } else if (!strcmp(pkt, "qfThreadInfo") || !strcmp(pkt, "qsThreadInfo")) {
        if (pkt[1] == 'f') {
            gdb.thread_iter = 0;
        }
        if (gdb.thread_iter >= cpus_count()) {
            put_packet("l");
            return;
        }
        g_string_append_c(s, 'm');
        append_thread_id(s, cpus_get(gdb.thread_iter++));
        put_packet(s->str);
    } else if (g_str_has_prefix(pkt, "qThreadExtraInfo,")) {
        const char *p = pkt + strlen("qThreadExtraInfo,");
        PowerPCCPU *cpu;
        g_autofree char *text = NULL;

        if (parse_thread_id(&p, &cpu) == THREAD_BAD || !cpu) {
            put_packet("E22");
            return;
        }
        text = g_strdup_printf("CPU#%d [%s]", cpu->cpu_index, cpu->halted ? "halted " : "running");
        append_hex(s, (const uint8_t *)text, strlen(text));
        put_packet(s->str);
    } else {
        put_packet("");
    }
}

static void handle_set_thread(const char *pkt)
{
    const char *p = pkt + 2;
    PowerPCCPU *cpu;
    ThreadSel sel = parse_thread_id(&p, &cpu);

    if (sel == THREAD_BAD || *p) {
        put_packet("E22");
        return;
    }
    if (sel == THREAD_ALL) {
        put_packet("OK");
        return;
    }
    if (!cpu) {
        put_packet("E22");
        return;
    }
    if (pkt[1] == 'g') {
        gdb.g_cpu = cpu;
    } else if (pkt[1] == 'c') {
        gdb.c_cpu = cpu;
    } else {
        put_packet("E22");
        return;
    }
    put_packet("OK");
}

static void handle_read_all_regs(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    uint8_t buf[16];

    cpu_synchronize_state(gdb.g_cpu);
    for (int n = 0; n < PPC_GDB_NUM_CORE_REGS; n++) {
        int len = ppc_gdb_read_register(gdb.g_cpu, n, gdb.has_xml, buf);

        append_hex(s, buf, len);
    }
    put_packet(s->str);
}

static void handle_write_all_regs(const char *hex)
{
    size_t have = strlen(hex) / 2;
    g_autofree uint8_t *data = g_malloc(have + 16);
    size_t off = 0;

    if (!hex_to_bytes(hex, data, have)) {
        put_packet("E22");
        return;
    }
    cpu_synchronize_state(gdb.g_cpu); /* under KVM: from the kernel, put back at entry */
    for (int n = 0; n < PPC_GDB_NUM_CORE_REGS && off < have; n++) {
        int len = ppc_gdb_write_register(gdb.g_cpu, n, gdb.has_xml, data + off, have - off);

        off += len;
    }
    put_packet("OK");
}

static void handle_read_reg(const char *args)
{
    g_autoptr(GString) s = g_string_new(NULL);
    uint8_t buf[16];
    uint64_t n;
    int len;

    if (!gdb.has_xml) {
        /* QEMU 7.2 refuses p until GDB has read the description (GDB then uses g). */
        put_packet("");
        return;
    }
    if (!parse_hex(&args, &n) || *args) {
        put_packet("E22");
        return;
    }
    cpu_synchronize_state(gdb.g_cpu); /* under KVM: from the kernel, put back at entry */
    len = n > INT_MAX ? 0 : ppc_gdb_read_register(gdb.g_cpu, n, true, buf);
    if (!len) {
        put_packet("E14");
        return;
    }
    append_hex(s, buf, len);
    put_packet(s->str);
}

static void handle_write_reg(const char *args)
{
    uint8_t buf[16] = { 0 };
    uint64_t n;
    size_t digits;

    if (!gdb.has_xml) {
        put_packet("");
        return;
    }
    if (!parse_hex(&args, &n) || *args++ != '=') {
        put_packet("E22");
        return;
    }
    digits = strlen(args);
    if (digits % 2 || digits > 2 * sizeof(buf) || !hex_to_bytes(args, buf, digits / 2)) {
        put_packet("E22");
        return;
    }
    /* An unknown register is accepted and ignored, as QEMU 7.2 does. */
    if (n <= INT_MAX) {
        cpu_synchronize_state(gdb.g_cpu);
        ppc_gdb_write_register(gdb.g_cpu, n, true, buf, digits / 2);
    }
    put_packet("OK");
}

static void handle_read_mem(const char *args)
{
    g_autoptr(GString) s = g_string_new(NULL);
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;

    if (!parse_hex(&args, &addr)) {
        put_packet("");
        return;
    }
    if (*args++ != ',' || !parse_hex(&args, &len) || len > MAX_PACKET_LENGTH / 2) {
        put_packet("E22");
        return;
    }
    buf = g_malloc(len + 1);
    if (!ppc_gdb_memory_rw(gdb.g_cpu, addr, buf, len, false)) {
        put_packet("E14");
        return;
    }
    append_hex(s, buf, len);
    put_packet(s->str);
}

static void handle_write_mem(const char *args)
{
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;

    if (!parse_hex(&args, &addr) || *args++ != ',' || !parse_hex(&args, &len) || *args++ != ':' ||
        len > MAX_PACKET_LENGTH / 2 || strlen(args) != 2 * len) {
        put_packet("E22");
        return;
    }
    buf = g_malloc(len + 1);
    if (!hex_to_bytes(args, buf, len)) {
        put_packet("E22");
        return;
    }
    put_packet(ppc_gdb_memory_rw(gdb.g_cpu, addr, buf, len, true) ? "OK" : "E14");
}

/* Z/z TYPE,ADDR,KIND: breakpoints (0, 1) and watchpoints (2..4) on every vCPU. */
static void handle_breakpoint(const char *pkt)
{
    bool insert = pkt[0] == 'Z';
    const char *p = pkt + 1;
    uint64_t type, addr, len;
    bool ok = true;

    if (!parse_hex(&p, &type) || *p++ != ',' || !parse_hex(&p, &addr) || *p++ != ',' ||
        !parse_hex(&p, &len)) {
        put_packet("E22");
        return;
    }
    if (type > 4) {
        put_packet("");
        return;
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        PowerPCCPU *cpu = cpus_get(i);

        if (type <= 1) {
            if (insert) {
                ppc_debug_breakpoint_insert(cpu, addr);
            } else {
                ok = ppc_debug_breakpoint_remove(cpu, addr) && ok;
            }
        } else if (insert) {
            ppc_debug_watchpoint_insert(cpu, addr, len, type);
        } else {
            ok = ppc_debug_watchpoint_remove(cpu, addr, len, type) && ok;
        }
    }
    put_packet(ok && cpus_count() ? "OK" : "E22");
}

/* vCont;ACTION[:THREAD]...: step the threads named with s, run the rest. */
static void handle_vcont(const char *args)
{
    const char *p = args;

    if (!strcmp(args, "?")) {
        put_packet("vCont;c;C;s;S");
        return;
    }
    while (*p == ';') {
        char action = *++p;
        PowerPCCPU *cpu = NULL;
        ThreadSel sel = THREAD_ALL;
        uint64_t sig;

        if (action != 'c' && action != 's' && action != 'C' && action != 'S') {
            put_packet("E22");
            return;
        }
        p++;
        if ((action == 'C' || action == 'S') && !parse_hex(&p, &sig)) {
            put_packet("E22");
            return;
        }
        if (*p == ':') {
            p++;
            sel = parse_thread_id(&p, &cpu);
            if (sel == THREAD_BAD || (sel == THREAD_ONE && !cpu)) {
                put_packet("E22");
                return;
            }
        }
        if (action == 's' || action == 'S') {
            /* All threads, or any one ("p0", "0"): the current one steps. */
            if (sel != THREAD_ONE) {
                cpu = gdb.c_cpu;
            }
            if (cpu) {
                ppc_debug_single_step(cpu, true);
            }
        }
    }
    if (*p) {
        put_packet("E22");
        return;
    }
    gdb_continue();
}

/* k, vKill: QEMU ends at once, with status 0. */
static G_NORETURN void kill_from_gdb(void)
{
    error_report("QEMU: Terminated via GDBstub");
    gdb_exit(0);
    qemu_chr_cleanup_all();
    exit(0);
}

static void handle_packet(const char *pkt)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (!cpus_count()) {
        put_packet("");
        return;
    }
    if (!gdb.g_cpu) {
        gdb.g_cpu = gdb.c_cpu = first_cpu();
    }
    switch (pkt[0]) {
    case '?':
        /* GDB (re)connects: forget its old breakpoints. */
        remove_all_breakpoints();
        stop_reply(s, GDB_SIGNAL_TRAP, gdb.c_cpu);
        put_packet(s->str);
        break;
    case 'c':
    case 'C':
        gdb_continue();
        break;
    case 's':
    case 'S':
        ppc_debug_single_step(gdb.c_cpu, true);
        gdb_continue();
        break;
    case 'D':
        remove_all_breakpoints();
        put_packet("OK");
        gdb_continue();
        gdb.running = false;
        break;
    case 'k':
        kill_from_gdb();
    case 'g':
        handle_read_all_regs();
        break;
    case 'G':
        handle_write_all_regs(pkt + 1);
        break;
    case 'p':
        handle_read_reg(pkt + 1);
        break;
    case 'P':
        handle_write_reg(pkt + 1);
        break;
    case 'm':
        handle_read_mem(pkt + 1);
        break;
    case 'M':
        handle_write_mem(pkt + 1);
        break;
    case 'H':
        handle_set_thread(pkt);
        break;
    case 'T': {
        const char *p = pkt + 1;
        PowerPCCPU *cpu;
        ThreadSel sel = parse_thread_id(&p, &cpu);

        put_packet(sel != THREAD_BAD && cpu ? "OK" : "E22");
        break;
    }
    case 'Z':
    case 'z':
        handle_breakpoint(pkt);
        break;
    case 'q':
        handle_query(pkt);
        break;
    case 'v':
        if (g_str_has_prefix(pkt, "vCont")) {
            handle_vcont(pkt + 5);
        } else if (g_str_has_prefix(pkt, "vKill;")) {
            kill_from_gdb();
        } else {
            put_packet("");
        }
        break;
    default:
        put_packet("");
        break;
    }
}

/* ---- the byte stream --------------------------------------------------- */

static void gdb_read_byte(uint8_t ch)
{
    if (gdb.last_packet && gdb.state == RS_IDLE) {
        /* GDB acknowledges our last packet (also after a resume: no Ctrl-C). */
        if (ch == '-') {
            put_buffer(gdb.last_packet->str, gdb.last_packet->len);
        }
        if (ch == '+' || ch == '$') {
            g_string_free(gdb.last_packet, true);
            gdb.last_packet = NULL;
        }
        if (ch != '$') {
            return;
        }
    }
    if (runstate_is_running()) {
        /*
         * While the guest runs GDB sends only Ctrl-C (0x03); as QEMU does,
         * any byte stops the VM, and a stop reply (T02) follows.
         */
        vm_stop(RUN_STATE_PAUSED);
        return;
    }
    switch (gdb.state) {
    case RS_IDLE:
        if (ch == '$') {
            g_string_truncate(gdb.line, 0);
            gdb.line_sum = 0;
            gdb.state = RS_GETLINE;
        }
        /* '+' and '-' acknowledge our replies; 0x03 while stopped means nothing */
        break;
    case RS_GETLINE:
    case RS_GETLINE_ESC:
        if (gdb.state == RS_GETLINE && ch == '#') {
            gdb.state = RS_CHKSUM1;
        } else if (gdb.line->len >= MAX_PACKET_LENGTH) {
            gdb.state = RS_IDLE; /* too long: dropped */
        } else {
            gdb.line_sum += ch;
            if (gdb.state == RS_GETLINE_ESC) {
                g_string_append_c(gdb.line, ch ^ 0x20);
                gdb.state = RS_GETLINE;
            } else if (ch == '}') {
                gdb.state = RS_GETLINE_ESC;
            } else {
                g_string_append_c(gdb.line, ch);
            }
        }
        break;
    case RS_CHKSUM1:
        gdb.chksum = (hex_digit(ch) < 0 ? 0 : hex_digit(ch)) << 4;
        gdb.state = RS_CHKSUM2;
        break;
    case RS_CHKSUM2:
        gdb.chksum |= hex_digit(ch) < 0 ? 0 : hex_digit(ch);
        gdb.state = RS_IDLE;
        if (gdb.chksum != gdb.line_sum) {
            put_buffer("-", 1);
            break;
        }
        put_buffer("+", 1);
        handle_packet(gdb.line->str);
        break;
    }
}

static int gdb_chr_can_receive(void *opaque)
{
    return MAX_PACKET_LENGTH;
}

static void gdb_chr_receive(void *opaque, const uint8_t *buf, int size)
{
    for (int i = 0; i < size; i++) {
        gdb_read_byte(buf[i]);
    }
}

static void gdb_chr_event(void *opaque, QEMUChrEvent event)
{
    if (event == CHR_EVENT_OPENED) {
        /* A debugger arrived: it finds the VM stopped, as with QEMU. */
        gdb.connected = true;
        gdb.state = RS_IDLE;
        gdb.has_xml = false;
        gdb.multiprocess = false;
        gdb.running = false;
        if (gdb.last_packet) {
            g_string_free(gdb.last_packet, true);
            gdb.last_packet = NULL;
        }
        gdb.g_cpu = gdb.c_cpu = first_cpu();
        vm_stop(RUN_STATE_PAUSED);
    } else if (event == CHR_EVENT_CLOSED) {
        gdb.connected = false;
    }
}

/* Stop serving GDB (HMP "gdbserver none", or before serving elsewhere). */
static void gdbserver_close(void)
{
    if (gdb.chr) {
        qemu_chr_fe_set_handlers(gdb.chr, NULL, NULL, NULL, NULL);
        qemu_chr_delete(gdb.chr);
        gdb.chr = NULL;
        gdb.connected = false;
    }
}

static bool is_socket_spec(const char *spec)
{
    return g_str_has_prefix(spec, "tcp:") || g_str_has_prefix(spec, "unix:");
}

bool gdbserver_start(const char *device, char **err)
{
    g_autofree char *spec = NULL;

    if (!strcmp(device, "none")) {
        gdbserver_close();
        return true;
    }
    /* QEMU 7.2 refuses a second socket while one serves (its yank instance "gdb"). */
    if (gdb.chr && gdb.socket && is_socket_spec(device)) {
        *err = g_strdup("duplicate yank instance");
        return false;
    }
    gdbserver_close();
    gdb.socket = is_socket_spec(device);
    if (g_str_has_prefix(device, "tcp:")) {
        /* a server that lets the machine start without waiting, no Nagle delay */
        spec = g_strdup_printf("%s,wait=off,nodelay=on,server=on", device);
    } else {
        spec = g_strdup(device);
    }
    gdb.chr = qemu_chr_new("gdb", spec, err);
    if (!gdb.chr) {
        return false;
    }
    if (!gdb.line) {
        gdb.line = g_string_new(NULL);
        qemu_add_vm_change_state_handler(gdb_vm_state_change, NULL);
    }
    qemu_chr_fe_set_handlers(gdb.chr, gdb_chr_can_receive, gdb_chr_receive, gdb_chr_event, NULL);
    return true;
}

/*
 * HMP commands that look at a CPU: the monitor's expressions ($registers),
 * "info registers", "info tlb", "cpu", and the x/xp memory dumps.
 */
#include "monitor/hmp-internal.h"
#include "exec/memory.h"
#include "sysemu/cpus.h"
#include "target/ppc/internal.h"

#include "qemu/capstone-lazy.h"

/* SPRs "info registers" shows beyond those cpu.h names (Power ISA numbers). */
#define HMP_SPR_VRSAVE 256
#define HMP_SPR_SPRG4 276
#define HMP_SPR_HSRR0 314
#define HMP_SPR_HSRR1 315
#define HMP_SPR_PTCR 464
#define HMP_SPR_HID0 1008

PowerPCCPU *hmp_current_cpu(HmpContext *ctx)
{
    PowerPCCPU *cpu = cpus_count() ? cpus_get(0) : NULL;

    for (unsigned i = 0; i < cpus_count(); i++) {
        if (cpus_get(i)->cpu_index == ctx->session->cpu_index) {
            cpu = cpus_get(i);
        }
    }
    /* Its registers and MMU state as they are now (under KVM: from the kernel). */
    if (cpu) {
        cpu_synchronize_state(cpu);
    }
    return cpu;
}

/* ---- Expressions ------------------------------------------------------- */

typedef struct ExprState {
    HmpContext *ctx;
    const char *p;
    bool failed;
} ExprState;

/* Registers by the names QEMU's monitor knows for ppc64. */
static const struct {
    const char *name;
    int spr;
} expr_sprs[] = {
    { "srr0", SPR_SRR0 },       { "srr1", SPR_SRR1 },     { "dar", SPR_DAR },
    { "dsisr", SPR_DSISR },     { "sprg0", SPR_SPRG0 },   { "sprg1", SPR_SPRG1 },
    { "sprg2", SPR_SPRG2 },     { "sprg3", SPR_SPRG3 },   { "pvr", SPR_PVR },
    { "lpcr", SPR_LPCR },       { "pir", SPR_PIR },       { "pidr", SPR_PIDR },
    { "cfar", SPR_CFAR },       { "amr", SPR_AMR },       { "hsrr0", HMP_SPR_HSRR0 },
    { "hsrr1", HMP_SPR_HSRR1 }, { "ptcr", HMP_SPR_PTCR }, { "hid0", HMP_SPR_HID0 },
};

static void expr_error(ExprState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void expr_error(ExprState *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (s->failed) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    hmp_arg_error(s->ctx, "%s", msg);
    s->failed = true;
}

static void skip_space(ExprState *s)
{
    s->p += strspn(s->p, " \t");
}

static bool reg_value(PowerPCCPU *cpu, const char *name, uint64_t *v)
{
    CPUPPCState *env = &cpu->env;
    unsigned n;
    char end;

    if (!strcmp(name, "pc") || !strcmp(name, "nip")) {
        *v = env->nip;
    } else if (!strcmp(name, "lr")) {
        *v = env->lr;
    } else if (!strcmp(name, "ctr")) {
        *v = env->ctr;
    } else if (!strcmp(name, "msr")) {
        *v = env->msr;
    } else if (!strcmp(name, "xer")) {
        *v = ppc_get_xer(env);
    } else if (!strcmp(name, "cr")) {
        *v = ppc_get_cr(env);
    } else if (!strcmp(name, "fpscr")) {
        *v = env->fpscr;
    } else if (!strcmp(name, "tbl")) {
        *v = (uint32_t)ppc_cpu_load_tb(cpu);
    } else if (!strcmp(name, "tbu")) {
        *v = ppc_cpu_load_tb(cpu) >> 32;
    } else if (!strcmp(name, "decr")) {
        *v = (uint32_t)ppc_load_decr(env);
    } else if (sscanf(name, "r%u%c", &n, &end) == 1 && n < 32) {
        *v = env->gpr[n];
    } else if (sscanf(name, "f%u%c", &n, &end) == 1 && n < 32) {
        *v = *ppc_fpr(env, n);
    } else {
        for (size_t i = 0; i < G_N_ELEMENTS(expr_sprs); i++) {
            if (!strcmp(name, expr_sprs[i].name)) {
                *v = env->spr[expr_sprs[i].spr];
                return true;
            }
        }
        return false;
    }
    return true;
}

static uint64_t expr_sum(ExprState *s);

static uint64_t expr_unary(ExprState *s)
{
    uint64_t v = 0;
    char c = *s->p;

    switch (c) {
    case '+':
        s->p++;
        return expr_unary(s);
    case '-':
        s->p++;
        return -expr_unary(s);
    case '~':
        s->p++;
        return ~expr_unary(s);
    case '(':
        s->p++;
        v = expr_sum(s);
        if (*s->p != ')') {
            expr_error(s, "')' expected");
        }
        s->p++;
        break;
    case '\'':
        v = (uint8_t)s->p[1];
        if (!s->p[1] || s->p[2] != '\'') {
            expr_error(s, "character constant expected");
        }
        s->p += s->p[1] ? 3 : 1;
        break;
    case '$': {
        size_t len = strspn(s->p + 1, "abcdefghijklmnopqrstuvwxyz"
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
        g_autofree char *name = g_ascii_strdown(s->p + 1, len);
        PowerPCCPU *cpu = hmp_current_cpu(s->ctx);

        s->p += len + 1;
        if (!cpu || !reg_value(cpu, name, &v)) {
            expr_error(s, "unknown register");
        }
        break;
    }
    case '\0':
        expr_error(s, "unexpected end of expression");
        break;
    default: {
        char *end;

        errno = 0;
        v = g_ascii_strtoull(s->p, &end, 0);
        if (end == s->p) {
            expr_error(s, "invalid char '%c' in expression", c);
            s->p++;
        } else if (errno == ERANGE) {
            expr_error(s, "number too large");
        }
        s->p = end;
        break;
    }
    }
    skip_space(s);
    return v;
}

static uint64_t expr_prod(ExprState *s)
{
    uint64_t v = expr_unary(s);

    while (!s->failed && (*s->p == '*' || *s->p == '/' || *s->p == '%')) {
        char op = *s->p++;
        uint64_t r;

        skip_space(s);
        r = expr_unary(s);
        if (op == '*') {
            v *= r;
        } else if (!r) {
            expr_error(s, "division by zero");
        } else {
            v = op == '/' ? (uint64_t)((int64_t)v / (int64_t)r)
                          : (uint64_t)((int64_t)v % (int64_t)r);
        }
    }
    return v;
}

static uint64_t expr_logic(ExprState *s)
{
    uint64_t v = expr_prod(s);

    while (!s->failed && (*s->p == '&' || *s->p == '|' || *s->p == '^')) {
        char op = *s->p++;
        uint64_t r;

        skip_space(s);
        r = expr_prod(s);
        v = op == '&' ? v & r : op == '|' ? v | r : v ^ r;
    }
    return v;
}

static uint64_t expr_sum(ExprState *s)
{
    uint64_t v = expr_logic(s);

    while (!s->failed && (*s->p == '+' || *s->p == '-')) {
        char op = *s->p++;
        uint64_t r;

        skip_space(s);
        r = expr_logic(s);
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

bool hmp_parse_expr(HmpContext *ctx, const char **p, int64_t *val)
{
    ExprState s = { ctx, *p, false };

    skip_space(&s);
    *val = (int64_t)expr_sum(&s);
    *p = s.p;
    return !s.failed;
}

/* ---- cpu, info registers, info tlb -------------------------------------- */

void hmp_cpu(HmpContext *ctx)
{
    const char *p = ctx->args;
    int64_t index;

    if (!hmp_parse_expr(ctx, &p, &index)) {
        return;
    }
    if (*p) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    if (!hmp_cpu_index_valid(index)) {
        g_string_append(ctx->out, "invalid CPU index\n");
        return;
    }
    ctx->session->cpu_index = index;
}

static void regs_line(GString *out, const char *label, const uint64_t *v, unsigned first)
{
    g_string_append_printf(out, "%s%02u", label, first);
    for (unsigned i = 0; i < 4; i++) {
        g_string_append_printf(out, " %016" PRIx64, v[i]);
    }
    g_string_append(out, "\n");
}

/*
 * QEMU's register dump for a 64-bit Book3S CPU.  HF and the MMU indexes are
 * QEMU's TCG bookkeeping: here HF shows the MSR bits QEMU copies into its
 * hflags (PR FP SE BE LE, the IR/DR translation bits) and the indexes follow
 * QEMU's rule (1: privileged, 2: real mode, 4: hypervisor).
 */
static void dump_registers(GString *out, PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;
    uint64_t tb;

    cpu_synchronize_state(cpu);
    tb = ppc_cpu_load_tb(cpu);
    uint64_t msr = env->msr;
    bool pr = msr & PPC_BIT(49), hv = msr & PPC_BIT(3);
    unsigned iidx = (pr ? 0 : 1) | ((msr & PPC_BIT(58)) ? 0 : 2) | (hv && !pr ? 4 : 0);
    unsigned didx = (pr ? 0 : 1) | ((msr & PPC_BIT(59)) ? 0 : 2) | (hv && !pr ? 4 : 0);
    uint32_t cr = ppc_get_cr(env);
    uint64_t fpr[4];

    g_string_append_printf(out,
                           "NIP %016" PRIx64 "   LR %016" PRIx64 " CTR %016" PRIx64
                           " XER %016" PRIx64 " CPU#%d\n",
                           env->nip, env->lr, env->ctr, ppc_get_xer(env), cpu->cpu_index);
    g_string_append_printf(out, "MSR %016" PRIx64 " HID0 %016" PRIx64 "  HF %08x iidx %u didx %u\n",
                           msr, env->spr[HMP_SPR_HID0],
                           (uint32_t)(msr & (PPC_BIT(49) | PPC_BIT(50) | PPC_BIT(53) | PPC_BIT(54) |
                                             PPC_BIT(58) | PPC_BIT(59) | PPC_BIT(63))),
                           iidx, didx);
    g_string_append_printf(out, "TB %08" PRIu32 " %08" PRIu64 " DECR %" PRIu64 "\n",
                           (uint32_t)(tb >> 32), tb & 0xffffffffu,
                           (uint64_t)(uint32_t)ppc_load_decr(env));
    for (unsigned i = 0; i < 32; i += 4) {
        regs_line(out, "GPR", &env->gpr[i], i);
    }
    g_string_append_printf(out, "CR %08x  [", cr);
    for (unsigned i = 0; i < 8; i++) {
        uint32_t f = env->crf[i];

        g_string_append_printf(out, " %c%c",
                               (f & 8)   ? 'L'
                               : (f & 4) ? 'G'
                               : (f & 2) ? 'E'
                                         : '-',
                               (f & 1) ? 'O' : ' ');
    }
    g_string_append_printf(out, " ]             RES %016" PRIx64 "\n", env->reserve_addr);
    for (unsigned i = 0; i < 32; i += 4) {
        for (unsigned j = 0; j < 4; j++) {
            fpr[j] = *ppc_fpr(env, i + j);
        }
        regs_line(out, "FPR", fpr, i);
    }
    g_string_append_printf(out, "FPSCR %016" PRIx64 "\n", env->fpscr);
    g_string_append_printf(
        out,
        " SRR0 %016" PRIx64 "  SRR1 %016" PRIx64 "    PVR %016" PRIx64 " VRSAVE %016" PRIx64 "\n",
        env->spr[SPR_SRR0], env->spr[SPR_SRR1], env->spr[SPR_PVR], env->spr[HMP_SPR_VRSAVE]);
    for (unsigned i = 0; i < 8; i += 4) {
        const uint64_t *g = i ? &env->spr[HMP_SPR_SPRG4] : &env->spr[SPR_SPRG0];

        g_string_append_printf(out,
                               "SPRG%u %016" PRIx64 " SPRG%u %016" PRIx64 "  SPRG%u %016" PRIx64
                               "  SPRG%u %016" PRIx64 "\n",
                               i, g[0], i + 1, g[1], i + 2, g[2], i + 3, g[3]);
    }
    g_string_append_printf(out, "HSRR0 %016" PRIx64 " HSRR1 %016" PRIx64 "\n",
                           env->spr[HMP_SPR_HSRR0], env->spr[HMP_SPR_HSRR1]);
    g_string_append_printf(out, " CFAR %016" PRIx64 "\n", env->spr[SPR_CFAR]);
    g_string_append_printf(out, " LPCR %016" PRIx64 "\n", ppc_lpcr(env));
    g_string_append_printf(out, " PTCR %016" PRIx64 "   DAR %016" PRIx64 "  DSISR %016" PRIx64 "\n",
                           env->spr[HMP_SPR_PTCR], env->spr[SPR_DAR], env->spr[SPR_DSISR]);
}

void hmp_info_registers(HmpContext *ctx)
{
    const char *p = ctx->args;
    bool all = !strcmp(p, "-a");
    int64_t vcpu = -1;

    if (*p && !all) {
        if (!hmp_parse_expr(ctx, &p, &vcpu)) {
            return;
        }
        if (*p) {
            hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
            return;
        }
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        PowerPCCPU *cpu = cpus_get(i);

        if (all || (vcpu >= 0 && cpu->cpu_index == vcpu)) {
            g_string_append_printf(ctx->out, "\nCPU#%d\n", cpu->cpu_index);
            dump_registers(ctx->out, cpu);
            if (!all) {
                return;
            }
        }
    }
    if (all) {
        return;
    }
    if (vcpu >= 0) {
        g_string_append_printf(ctx->out, "CPU#%" PRId64 " not available\n", vcpu);
        return;
    }
    if (hmp_current_cpu(ctx)) {
        g_string_append_printf(ctx->out, "\nCPU#%d\n", hmp_current_cpu(ctx)->cpu_index);
        dump_registers(ctx->out, hmp_current_cpu(ctx));
    }
}

/* The SLB of a hash-MMU partition (radix has no such table to show). */
void hmp_info_tlb(HmpContext *ctx)
{
    PowerPCCPU *cpu = hmp_current_cpu(ctx);
    CPUPPCState *env;

    if (!cpu) {
        return;
    }
    env = &cpu->env;
    if (ppc_mmu_is_radix(env)) {
        g_string_append(ctx->out, "PPC Radix MMU dump not yet supported\n");
        return;
    }
    g_string_append(ctx->out, "SLB\tESID\t\t\tVSID\n");
    for (unsigned i = 0; i < cpu->model->slb_size && i < PPC_SLB_MAX; i++) {
        if (!env->slb[i].esid && !env->slb[i].vsid) {
            continue;
        }
        g_string_append_printf(ctx->out, "%u\t0x%016" PRIx64 "\t0x%016" PRIx64 "\n", i,
                               env->slb[i].esid, env->slb[i].vsid);
    }
}

/* ---- x and xp ---------------------------------------------------------- */

static bool mem_read(PowerPCCPU *cpu, bool physical, uint64_t addr, uint8_t *buf, uint64_t len)
{
    if (physical) {
        return memory_map_read_bytes(addr, buf, len);
    }
    return cpu && ppc_gdb_memory_rw(cpu, addr, buf, len, false);
}

static void print_char(GString *out, uint8_t c)
{
    switch (c) {
    case '\'':
        g_string_append(out, " '\\''");
        break;
    case '\\':
        g_string_append(out, " '\\\\'");
        break;
    case '\n':
        g_string_append(out, " '\\n'");
        break;
    case '\r':
        g_string_append(out, " '\\r'");
        break;
    default:
        if (c >= 32 && c <= 126) {
            g_string_append_printf(out, " '%c'", c);
        } else {
            g_string_append_printf(out, " '\\x%02x'", c);
        }
        break;
    }
}

/* count instructions from addr, disassembled by capstone in the CPU's byte order. */
static void disas(HmpContext *ctx, PowerPCCPU *cpu, bool physical, uint64_t addr, int64_t count)
{
    bool le = cpu && (cpu->env.msr & PPC_BIT(63));
    csh handle;
    bool opened = qemu_cs_open(
        CS_ARCH_PPC, CS_MODE_64 | (le ? CS_MODE_LITTLE_ENDIAN : CS_MODE_BIG_ENDIAN), &handle);

    for (int64_t i = 0; i < count; i++, addr += 4) {
        uint8_t b[4];
        cs_insn *ci = NULL;
        size_t n;

        if (!mem_read(cpu, physical, addr, b, 4)) {
            g_string_append_printf(ctx->out, "0x%08" PRIx64 ": Cannot access memory\n", addr);
            break;
        }
        n = opened ? qemu_cs_disasm(handle, b, 4, addr, 1, &ci) : 0;
        g_string_append_printf(ctx->out, "0x%08" PRIx64 ":  %02x%02x%02x%02x  ", addr, b[0], b[1],
                               b[2], b[3]);
        if (n == 1) {
            g_string_append_printf(ctx->out, "%-8s %s\n", ci->mnemonic, ci->op_str);
        } else {
            g_string_append_printf(ctx->out, "%-8s 0x%02x, 0x%02x, 0x%02x, 0x%02x\n", ".byte", b[0],
                                   b[1], b[2], b[3]);
        }
        if (ci) {
            qemu_cs_free(ci, n);
        }
    }
    if (opened) {
        qemu_cs_close(&handle);
    }
}

/* Values of the guest's (big-endian) memory, as QEMU's ppc64 target reads them. */
static uint64_t load_unit(const uint8_t *p, int size)
{
    uint64_t v = 0;

    for (int i = 0; i < size; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static void memory_dump(HmpContext *ctx, bool physical)
{
    HmpSession *s = ctx->session;
    const char *p = ctx->args;
    int64_t count = 1, addr;
    int size = -1;
    signed char format = -1; /* -1: none given (char is unsigned on ppc64) */
    int wsize, line, digits = 0;
    PowerPCCPU *cpu = hmp_current_cpu(ctx);

    if (*p == '/') {
        p++;
        if (g_ascii_isdigit(*p)) {
            uint32_t n = 0;

            /* QEMU's count is a C int: more digits wrap, a negative count dumps nothing. */
            while (g_ascii_isdigit(*p)) {
                n = n * 10 + (uint32_t)(*p++ - '0');
            }
            count = (int32_t)n;
        }
        for (bool more = true; more;) {
            switch (*p) {
            case 'o':
            case 'd':
            case 'u':
            case 'x':
            case 'i':
            case 'c':
                format = *p++;
                break;
            case 'b':
                size = 1, p++;
                break;
            case 'h':
                size = 2, p++;
                break;
            case 'w':
                size = 4, p++;
                break;
            case 'g':
            case 'L':
                size = 8, p++;
                break;
            default:
                more = false;
                break;
            }
        }
        if (*p && *p != ' ' && *p != '\t') {
            hmp_arg_error(ctx, "invalid char in format: '%c'", *p);
            return;
        }
    }
    if (format < 0) {
        format = s->last_format;
    }
    if (format != 'i') {
        if (size < 0) {
            size = s->last_size;
        }
        s->last_size = size;
    }
    s->last_format = format;
    if (!hmp_parse_expr(ctx, &p, &addr)) {
        return;
    }
    if (*p) {
        hmp_arg_error(ctx, "%s: extraneous characters at the end of line", ctx->name);
        return;
    }
    if (format == 'i') {
        disas(ctx, cpu, physical, addr, count);
        return;
    }
    wsize = size;
    line = wsize == 1 ? 8 : 16;
    switch (format) {
    case 'o':
        digits = (wsize * 8 + 2) / 3;
        break;
    case 'u':
    case 'd':
        digits = (wsize * 8 * 10 + 32) / 33;
        break;
    case 'c':
        wsize = 1;
        break;
    default:
        digits = wsize * 2;
        break;
    }
    for (uint64_t len = count > 0 ? (uint64_t)count * size : 0; len > 0;) {
        uint64_t l = MIN(len, (uint64_t)line);
        uint8_t buf[16];

        g_string_append_printf(ctx->out, "%016" PRIx64 ":", (uint64_t)addr);
        if (!mem_read(cpu, physical, addr, buf, l)) {
            g_string_append(ctx->out, " Cannot access memory\n");
            break;
        }
        for (uint64_t i = 0; i < l; i += wsize) {
            uint64_t v = load_unit(buf + i, wsize);

            switch (format) {
            case 'o':
                g_string_append_printf(ctx->out, " %#*" PRIo64, digits, v);
                break;
            case 'u':
                g_string_append_printf(ctx->out, " %*" PRIu64, digits, v);
                break;
            case 'd':
                /* As QEMU: a unit narrower than 8 bytes is not sign-extended. */
                g_string_append_printf(ctx->out, " %*" PRId64, digits, (int64_t)v);
                break;
            case 'c':
                print_char(ctx->out, v);
                break;
            default:
                g_string_append_printf(ctx->out, " 0x%0*" PRIx64, digits, v);
                break;
            }
        }
        g_string_append(ctx->out, "\n");
        addr += l;
        len -= l;
    }
}

void hmp_x(HmpContext *ctx)
{
    memory_dump(ctx, false);
}

void hmp_xp(HmpContext *ctx)
{
    memory_dump(ctx, true);
}

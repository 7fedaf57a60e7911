/*
 * The CPU as the GDB stub sees it: QEMU's powerpc64 register numbering and
 * target description, memory by effective address, breakpoints, watchpoints
 * and single-stepping (the execution loop's side is in exec.c).
 */
#include "exec/guest-memory.h"
#include "target/ppc/internal.h"

/*
 * GDB's register numbers, as QEMU 7.2 assigns them: the core feature (r0-r31,
 * then pc at 64, msr, cr, lr, ctr, xer; 32..63 and 70 are the FPRs and FPSCR
 * of the description-less layout), then the fpu, altivec, vsx and SPR
 * features in that order.
 */
#define GDB_PC 64
#define GDB_MSR 65
#define GDB_CR 66
#define GDB_LR 67
#define GDB_CTR 68
#define GDB_XER 69
#define GDB_FPSCR_LEGACY 70
#define GDB_FPU_BASE 71                  /* f0..f31, fpscr */
#define GDB_VMX_BASE (GDB_FPU_BASE + 33) /* vr0..vr31, vscr, vrsave */
#define GDB_VSX_BASE (GDB_VMX_BASE + 34) /* vs0h..vs31h */
#define GDB_SPR_BASE (GDB_VSX_BASE + 32)

#define SPR_VRSAVE 256
#define SPR_DEC_NR 22
#define SPR_DPDES_NR 176 /* the doorbells pending in the core (insn-dbell.c) */
#define SPR_TBL_R 268
#define SPR_TBU_R 269
#define SPR_TBL_W 284
#define SPR_TBU_W 285

/*
 * The SPRs QEMU 7.2 lists for a POWER9 (its org.qemu.power.spr feature), in
 * SPR-number order, with the names it gives them.
 */
typedef struct GdbSpr {
    const char *name;
    uint16_t num;
} GdbSpr;

static const GdbSpr gdb_sprs[] = {
    { "xer", 1 },       { "lr", 8 },         { "ctr", 9 },       { "uamr", 13 },
    { "spr_dscr", 17 }, { "dsisr", 18 },     { "dar", 19 },      { "decr", 22 },
    { "srr0", 26 },     { "srr1", 27 },      { "spr_cfar", 28 }, { "amr", 29 },
    { "acop", 31 },     { "pid", 48 },       { "iamr", 61 },     { "tfhar", 128 },
    { "tfiar", 129 },   { "texasr", 130 },   { "texasru", 131 }, { "spr_uctrl", 136 },
    { "tidr", 144 },    { "spr_ctrl", 152 }, { "fscr", 153 },    { "uamor", 157 },
    { "pspb", 159 },    { "dpdes", 176 },    { "dawr0", 180 },   { "rpr", 186 },
    { "ciabr", 187 },   { "dawrx0", 188 },   { "hfscr", 190 },   { "vrsave", 256 },
    { "usprg3", 259 },  { "tbl", 268 },      { "tbu", 269 },     { "sprg0", 272 },
    { "sprg1", 273 },   { "sprg2", 274 },    { "sprg3", 275 },   { "ear", 282 },
    { "tbl", 284 },     { "tbu", 285 },      { "tbu40", 286 },   { "pvr", 287 },
    { "hsprg0", 304 },  { "hsprg1", 305 },   { "hdsisr", 306 },  { "hdar", 307 },
    { "spurr", 308 },   { "purr", 309 },     { "hdec", 310 },    { "hrmor", 313 },
    { "hsrr0", 314 },   { "hsrr1", 315 },    { "mmcrh", 316 },   { "tfmr", 317 },
    { "lpcr", 318 },    { "lpidr", 319 },    { "hmer", 336 },    { "hmeer", 337 },
    { "pcr", 338 },     { "amor", 349 },     { "tir", 446 },     { "ptcr", 464 },
    { "usier", 736 },   { "ummcr2", 769 },   { "ummcra", 770 },  { "upmc1", 771 },
    { "upmc2", 772 },   { "upmc3", 773 },    { "upmc4", 774 },   { "upmc5", 775 },
    { "upmc6", 776 },   { "ummcr0", 779 },   { "usiar", 780 },   { "usdar", 781 },
    { "ummcr1", 782 },  { "sier", 784 },     { "mmcr2", 785 },   { "mmcra", 786 },
    { "pmc1", 787 },    { "pmc2", 788 },     { "pmc3", 789 },    { "pmc4", 790 },
    { "pmc5", 791 },    { "pmc6", 792 },     { "mmcr0", 795 },   { "siar", 796 },
    { "sdar", 797 },    { "mmcr1", 798 },    { "bescrs", 800 },  { "bescrsu", 801 },
    { "bescrr", 802 },  { "bescrru", 803 },  { "ebbhr", 804 },   { "ebbrr", 805 },
    { "bescr", 806 },   { "tar", 815 },      { "asdr", 816 },    { "ic", 848 },
    { "vtb", 849 },     { "mmcrc", 851 },    { "psscr", 855 },   { "tacr", 888 },
    { "tcscr", 889 },   { "csigr", 890 },    { "spmc1", 892 },   { "spmc2", 893 },
    { "mmcrs", 894 },   { "wort", 895 },     { "ppr", 896 },     { "tscr", 921 },
    { "hid0", 1008 },   { "pir", 1023 },
};

#define GDB_NUM_REGS (GDB_SPR_BASE + (int)ARRAY_SIZE(gdb_sprs))

/* ---- register bytes ---------------------------------------------------- */

/* Register bytes follow the byte order of the moment (MSR[LE]). */
static void put_reg(uint8_t *buf, uint64_t val, int len, bool le)
{
    for (int i = 0; i < len; i++) {
        buf[le ? i : len - 1 - i] = val >> (8 * i);
    }
}

static uint64_t get_reg(const uint8_t *buf, int len, bool le)
{
    uint64_t val = 0;

    for (int i = 0; i < len; i++) {
        val |= (uint64_t)buf[le ? i : len - 1 - i] << (8 * i);
    }
    return val;
}

static uint64_t spr_read(CPUPPCState *env, unsigned num)
{
    switch (num) {
    case SPR_XER:
        return ppc_get_xer(env);
    case SPR_LR:
        return env->lr;
    case SPR_CTR:
        return env->ctr;
    case SPR_TAR:
        return env->tar;
    case SPR_DEC_NR:
        return ppc_load_decr(env);
    case SPR_TBL_R:
    case SPR_TBL_W:
        return ppc_load_tb(env);
    case SPR_TBU_R:
    case SPR_TBU_W:
        return ppc_load_tb(env) >> 32;
    case SPR_DPDES_NR:
        return ppc_cpu_load_dpdes(env_cpu(env));
    }
    return env->spr[num];
}

static void spr_write(PowerPCCPU *cpu, unsigned num, uint64_t val)
{
    CPUPPCState *env = &cpu->env;

    switch (num) {
    case SPR_XER:
        ppc_set_xer(env, val);
        return;
    case SPR_LR:
        env->lr = val;
        return;
    case SPR_CTR:
        env->ctr = val;
        return;
    case SPR_TAR:
        env->tar = val;
        return;
    case SPR_DEC_NR:
        ppc_store_decr(env, val);
        return;
    case SPR_TBL_R:
    case SPR_TBL_W:
    case SPR_TBU_R:
    case SPR_TBU_W:
    case SPR_PVR:
        return; /* the time base and the PVR are not the debugger's to change */
    case SPR_LPCR:
        ppc_store_lpcr(cpu, val);
        return;
    }
    env->spr[num] = val;
    /* PIDR, AMR and the like change translations. */
    ppc_tlb_flush_cpu(cpu);
}

int ppc_gdb_read_register(PowerPCCPU *cpu, int n, bool has_xml, uint8_t *buf)
{
    CPUPPCState *env = &cpu->env;
    bool le = env->msr & MSR_LE;

    if (n < 0 || n >= GDB_NUM_REGS) {
        return 0;
    }
    if (n < 32) {
        put_reg(buf, env->gpr[n], 8, le);
        return 8;
    }
    if (n < 64) {
        if (has_xml) {
            return 0;
        }
        put_reg(buf, *ppc_fpr(env, n - 32), 8, le);
        return 8;
    }
    switch (n) {
    case GDB_PC:
        put_reg(buf, env->nip, 8, le);
        return 8;
    case GDB_MSR:
        put_reg(buf, env->msr, 8, le);
        return 8;
    case GDB_CR:
        put_reg(buf, ppc_get_cr(env), 4, le);
        return 4;
    case GDB_LR:
        put_reg(buf, env->lr, 8, le);
        return 8;
    case GDB_CTR:
        put_reg(buf, env->ctr, 8, le);
        return 8;
    case GDB_XER:
        put_reg(buf, ppc_get_xer(env), 4, le);
        return 4;
    case GDB_FPSCR_LEGACY:
        if (has_xml) {
            return 0;
        }
        put_reg(buf, env->fpscr, 8, le);
        return 8;
    }
    if (n < GDB_FPU_BASE + 32) {
        put_reg(buf, *ppc_fpr(env, n - GDB_FPU_BASE), 8, le);
        return 8;
    }
    if (n == GDB_FPU_BASE + 32) {
        put_reg(buf, env->fpscr, 4, le);
        return 4;
    }
    if (n < GDB_VMX_BASE + 32) {
        /* All 16 bytes in the order of the moment. */
        ppc_vsr_t *vr = ppc_vr(env, n - GDB_VMX_BASE);

        put_reg(buf + (le ? 8 : 0), VsrD(vr, 0), 8, le);
        put_reg(buf + (le ? 0 : 8), VsrD(vr, 1), 8, le);
        return 16;
    }
    if (n == GDB_VMX_BASE + 32) {
        put_reg(buf, env->vscr, 4, le);
        return 4;
    }
    if (n == GDB_VMX_BASE + 33) {
        put_reg(buf, env->spr[SPR_VRSAVE], 4, le);
        return 4;
    }
    if (n < GDB_VSX_BASE + 32) {
        put_reg(buf, VsrD(&env->vsr[n - GDB_VSX_BASE], 1), 8, le);
        return 8;
    }
    put_reg(buf, spr_read(env, gdb_sprs[n - GDB_SPR_BASE].num), 8, le);
    return 8;
}

int ppc_gdb_write_register(PowerPCCPU *cpu, int n, bool has_xml, const uint8_t *buf, int len)
{
    CPUPPCState *env = &cpu->env;
    bool le = env->msr & MSR_LE;
    uint8_t probe[16];
    int size = ppc_gdb_read_register(cpu, n, has_xml, probe);
    uint64_t val;

    if (!size || len < size) {
        return 0;
    }
    val = get_reg(buf, MIN(size, 8), le);
    if (n < 32) {
        env->gpr[n] = val;
    } else if (n < 64) {
        *ppc_fpr(env, n - 32) = val;
    } else if (n == GDB_PC) {
        env->nip = val;
    } else if (n == GDB_MSR) {
        ppc_store_msr(env, val);
        ppc_tlb_flush_cpu(cpu);
    } else if (n == GDB_CR) {
        ppc_set_cr(env, val);
    } else if (n == GDB_LR) {
        env->lr = val;
    } else if (n == GDB_CTR) {
        env->ctr = val;
    } else if (n == GDB_XER) {
        ppc_set_xer(env, val);
    } else if (n == GDB_FPSCR_LEGACY) {
        env->fpscr = val;
    } else if (n < GDB_FPU_BASE + 32) {
        *ppc_fpr(env, n - GDB_FPU_BASE) = val;
    } else if (n == GDB_FPU_BASE + 32) {
        env->fpscr = (env->fpscr & ~0xffffffffULL) | val;
    } else if (n < GDB_VMX_BASE + 32) {
        ppc_vsr_t *vr = ppc_vr(env, n - GDB_VMX_BASE);

        VsrD(vr, 0) = get_reg(buf + (le ? 8 : 0), 8, le);
        VsrD(vr, 1) = get_reg(buf + (le ? 0 : 8), 8, le);
    } else if (n == GDB_VMX_BASE + 32) {
        env->vscr = val;
    } else if (n == GDB_VMX_BASE + 33) {
        env->spr[SPR_VRSAVE] = (uint32_t)val;
    } else if (n < GDB_VSX_BASE + 32) {
        VsrD(&env->vsr[n - GDB_VSX_BASE], 1) = val;
    } else {
        spr_write(cpu, gdb_sprs[n - GDB_SPR_BASE].num, val);
    }
    return size;
}

/* ---- the target description ------------------------------------------- */

static char *xml_regs(const char *feature, const char *fmt, int count, int bits, const char *type,
                      int first_regnum)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s,
                           "<?xml version=\"1.0\"?><!DOCTYPE feature SYSTEM \"gdb-target.dtd\">"
                           "<feature name=\"%s\">",
                           feature);
    for (int i = 0; i < count; i++) {
        g_string_append(s, "<reg name=\"");
        g_string_append_printf(s, fmt, i);
        g_string_append_printf(s, "\" bitsize=\"%d\" type=\"%s\"", bits, type);
        if (i == 0 && first_regnum >= 0) {
            g_string_append_printf(s, " regnum=\"%d\"", first_regnum);
        }
        g_string_append(s, "/>");
    }
    return g_string_free(s, false);
}

static char *xml_core(void)
{
    g_autofree char *head = xml_regs("org.gnu.gdb.power.core", "r%d", 32, 64, "uint64", -1);

    return g_strconcat(head,
                       "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"64\"/>"
                       "<reg name=\"msr\" bitsize=\"64\" type=\"uint64\"/>"
                       "<reg name=\"cr\" bitsize=\"32\" type=\"uint32\"/>"
                       "<reg name=\"lr\" bitsize=\"64\" type=\"code_ptr\"/>"
                       "<reg name=\"ctr\" bitsize=\"64\" type=\"uint64\"/>"
                       "<reg name=\"xer\" bitsize=\"32\" type=\"uint32\"/></feature>",
                       NULL);
}

static char *xml_fpu(void)
{
    g_autofree char *head =
        xml_regs("org.gnu.gdb.power.fpu", "f%d", 32, 64, "ieee_double", GDB_FPU_BASE);

    return g_strconcat(head, "<reg name=\"fpscr\" bitsize=\"32\" group=\"float\"/></feature>",
                       NULL);
}

static char *xml_altivec(void)
{
    GString *s = g_string_new(NULL);
    /* the vec128 union GDB's altivec feature expects */
    static const char types[] =
        "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
        "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
        "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
        "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
        "<union id=\"vec128\"><field name=\"uint128\" type=\"uint128\"/>"
        "<field name=\"v4_float\" type=\"v4f\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
        "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
        "</union>";

    g_string_append(s, "<?xml version=\"1.0\"?><!DOCTYPE feature SYSTEM \"gdb-target.dtd\">"
                       "<feature name=\"org.gnu.gdb.power.altivec\">");
    g_string_append(s, types);
    for (int i = 0; i < 32; i++) {
        g_string_append_printf(s, "<reg name=\"vr%d\" bitsize=\"128\" type=\"vec128\"/>", i);
    }
    g_string_append(s, "<reg name=\"vscr\" bitsize=\"32\" group=\"vector\"/>"
                       "<reg name=\"vrsave\" bitsize=\"32\" group=\"vector\"/></feature>");
    return g_string_free(s, false);
}

static char *xml_vsx(void)
{
    g_autofree char *head = xml_regs("org.gnu.gdb.power.vsx", "vs%dh", 32, 64, "uint64", -1);

    return g_strconcat(head, "</feature>", NULL);
}

static char *xml_spr(void)
{
    GString *s = g_string_new(NULL);

    g_string_append(s, "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                       "<feature name=\"org.qemu.power.spr\">");
    for (size_t i = 0; i < ARRAY_SIZE(gdb_sprs); i++) {
        g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"64\" group=\"spr\"/>",
                               gdb_sprs[i].name);
    }
    g_string_append(s, "</feature>");
    return g_string_free(s, false);
}

typedef struct GdbXmlFile {
    const char *annex;
    char *(*build)(void);
    char *text;
} GdbXmlFile;

static char *xml_target(void);

static GdbXmlFile gdb_xml_files[] = {
    { "target.xml", xml_target, NULL }, { "power64-core.xml", xml_core, NULL },
    { "power-fpu.xml", xml_fpu, NULL }, { "power-altivec.xml", xml_altivec, NULL },
    { "power-vsx.xml", xml_vsx, NULL }, { "power-spr.xml", xml_spr, NULL },
};

static char *xml_target(void)
{
    GString *s = g_string_new("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                              "<target><architecture>powerpc:common64</architecture>");

    for (size_t i = 1; i < ARRAY_SIZE(gdb_xml_files); i++) {
        g_string_append_printf(s, "<xi:include href=\"%s\"/>", gdb_xml_files[i].annex);
    }
    g_string_append(s, "</target>");
    return g_string_free(s, false);
}

const char *ppc_gdb_get_xml(const char *annex)
{
    for (size_t i = 0; i < ARRAY_SIZE(gdb_xml_files); i++) {
        GdbXmlFile *f = &gdb_xml_files[i];

        if (!strcmp(annex, f->annex)) {
            if (!f->text) {
                f->text = f->build();
            }
            return f->text;
        }
    }
    return NULL;
}

/* ---- memory ------------------------------------------------------------ */

/*
 * The real address of ea as a data access would see it now, or else as an
 * instruction fetch (code mapped for execution only), without setting R or C.
 */
static bool debug_xlate(CPUPPCState *env, uint64_t ea, uint64_t *ra)
{
    PPCXlateFault fault;

    return ppc_xlate(env, ea, PPC_ACCESS_LOAD, true, ra, &fault) ||
           ppc_xlate(env, ea, PPC_ACCESS_FETCH, true, ra, &fault);
}

bool ppc_gdb_memory_rw(PowerPCCPU *cpu, uint64_t addr, uint8_t *buf, size_t len, bool write)
{
    while (len) {
        size_t chunk = MIN(len, PPC_PAGE_SIZE - (addr & ~PPC_PAGE_MASK));
        uint64_t ra;

        if (!debug_xlate(&cpu->env, addr, &ra)) {
            return false;
        }
        if (write ? !guest_write(ra, buf, chunk) : !guest_read(ra, buf, chunk)) {
            return false;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}

/* ---- breakpoints, watchpoints, stepping -------------------------------- */

typedef struct PPCWatch {
    uint64_t addr, len;
    int kind;
} PPCWatch;

struct PPCDebug {
    GArray *bps;     /* uint64_t */
    GArray *watches; /* PPCWatch */
    bool step;
    PPCWatch hit;
};

static struct PPCDebug *debug_of(PowerPCCPU *cpu)
{
    if (!cpu->debug) {
        cpu->debug = g_new0(struct PPCDebug, 1);
        cpu->debug->bps = g_array_new(false, false, sizeof(uint64_t));
        cpu->debug->watches = g_array_new(false, false, sizeof(PPCWatch));
    }
    return cpu->debug;
}

/* Blocks are rebuilt around the new set; one-instruction blocks while needed. */
static void debug_changed(PowerPCCPU *cpu)
{
    struct PPCDebug *d = cpu->debug;

    cpu->env.debug_flags = (d->step || d->watches->len) ? PPC_TB_DEBUG_ONE : 0;
    ppc_tb_flush(cpu);
    ppc_tlb_flush_cpu(cpu);
}

void ppc_debug_breakpoint_insert(PowerPCCPU *cpu, uint64_t addr)
{
    g_array_append_val(debug_of(cpu)->bps, addr);
    debug_changed(cpu);
}

bool ppc_debug_breakpoint_remove(PowerPCCPU *cpu, uint64_t addr)
{
    struct PPCDebug *d = debug_of(cpu);

    for (guint i = 0; i < d->bps->len; i++) {
        if (g_array_index(d->bps, uint64_t, i) == addr) {
            g_array_remove_index(d->bps, i);
            debug_changed(cpu);
            return true;
        }
    }
    return false;
}

void ppc_debug_watchpoint_insert(PowerPCCPU *cpu, uint64_t addr, uint64_t len, int kind)
{
    PPCWatch w = { addr, len, kind };

    g_array_append_val(debug_of(cpu)->watches, w);
    debug_changed(cpu);
}

bool ppc_debug_watchpoint_remove(PowerPCCPU *cpu, uint64_t addr, uint64_t len, int kind)
{
    struct PPCDebug *d = debug_of(cpu);

    for (guint i = 0; i < d->watches->len; i++) {
        PPCWatch *w = &g_array_index(d->watches, PPCWatch, i);

        if (w->addr == addr && w->len == len && w->kind == kind) {
            g_array_remove_index(d->watches, i);
            debug_changed(cpu);
            return true;
        }
    }
    return false;
}

void ppc_debug_remove_all(PowerPCCPU *cpu)
{
    struct PPCDebug *d = debug_of(cpu);

    g_array_set_size(d->bps, 0);
    g_array_set_size(d->watches, 0);
    debug_changed(cpu);
}

const uint64_t *ppc_debug_breakpoints(PowerPCCPU *cpu, unsigned *n)
{
    *n = debug_of(cpu)->bps->len;
    return (const uint64_t *)(void *)debug_of(cpu)->bps->data;
}

bool ppc_debug_stepping(PowerPCCPU *cpu)
{
    return cpu->debug && cpu->debug->step;
}

void ppc_debug_single_step(PowerPCCPU *cpu, bool on)
{
    debug_of(cpu)->step = on;
    debug_changed(cpu);
}

void ppc_debug_watch_hit(PowerPCCPU *cpu, uint64_t *addr, int *kind)
{
    *addr = debug_of(cpu)->hit.addr;
    *kind = debug_of(cpu)->hit.kind;
}

bool ppc_debug_bp_at(PowerPCCPU *cpu, uint64_t pc)
{
    struct PPCDebug *d = cpu->debug;

    for (guint i = 0; d && i < d->bps->len; i++) {
        if (g_array_index(d->bps, uint64_t, i) == pc) {
            return true;
        }
    }
    return false;
}

void ppc_debug_check_access(CPUPPCState *env, uint64_t ea, unsigned size, bool write)
{
    PowerPCCPU *cpu = env_cpu(env);
    struct PPCDebug *d = cpu->debug;

    for (guint i = 0; d && i < d->watches->len; i++) {
        PPCWatch *w = &g_array_index(d->watches, PPCWatch, i);
        bool kind_ok = w->kind == 4 || (w->kind == 2) == write;

        if (kind_ok && ea < w->addr + w->len && w->addr < ea + size && !cpu->debug_stop) {
            d->hit = *w;
            cpu->debug_stop = PPC_DEBUG_WATCH;
        }
    }
}

bool ppc_debug_insn_done(PowerPCCPU *cpu)
{
    if (!cpu->debug_stop && cpu->debug && cpu->debug->step) {
        cpu->debug_stop = PPC_DEBUG_STEP;
    }
    if (cpu->debug_stop) {
        ppc_request_exit(&cpu->env);
        return true;
    }
    return false;
}

const PPCOp *ppc_op_debug_break(CPUPPCState *env, const PPCOp *op)
{
    env_cpu(env)->debug_stop = PPC_DEBUG_BREAK;
    ppc_request_exit(env);
    return ppc_goto(env, op->pc);
}

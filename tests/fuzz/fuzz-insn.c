/*
 * libFuzzer target: guest code on the JIT against the interpreter.  A short
 * block of instruction words runs from the given register state on a CPU
 * that compiles its blocks and on one that interprets them (the pair of
 * tests/unit/cpu-harness.h, as test-ppc-jitint and jitvec use it), and every
 * architected register, the interrupt registers (SRR0/1, DAR, DSISR: which
 * exception was taken, if any) and every byte of guest RAM must agree.
 *
 * Input, big-endian:
 *   u8   MSR bits: SF LE FP VEC VSX PR FE0 FE1 (bit 0 first); ME is always on,
 *        translation off (real mode on 1 MiB of RAM)
 *   u32  CR; u8 XER SO OV CA OV32 CA32 (bits 0-4); u8 XER byte count
 *   u64  LR, CTR; u32 FPSCR (its low word; FEX and VX are recomputed);
 *        u8 VSCR NJ (bit 0), SAT (bit 1)
 *   u32  mask of the GPRs given (bit i: ri), then a u64 for each
 *   u64  mask of the VSRs given (bit i: VSR i; FPR i is VSR i's doubleword 0,
 *        VR i is VSR 32 + i), then 16 bytes for each
 *   the rest: up to MAX_INSNS instruction words, placed at HARNESS_CODE in the
 *   CPU's byte order and followed by `sc 1`, which ends the run.
 * Registers not given point into the data window (GPRs) or hold fixed values.
 * Every interrupt vector holds `sc 1`: an exception ends the run there.
 *
 * A run is bounded: the interpreter runs under -icount's accounting for one
 * time slice (SLICE_INSNS instructions).  When it ends by `sc 1` within it,
 * the JIT runs without -icount (blocks chained, loops kept in host code);
 * when the slice ran out first (a loop), the JIT runs the same slice under
 * -icount and must stop at the same instruction.  The JIT runs twice, its
 * blocks translated and then cached.
 *
 * Instructions whose result depends on the host's time, that reach the other
 * CPU (doorbells, TLB broadcasts), change MSR[EE/IR/DR] or halt become no-ops
 * (filter()): the two runs could not agree on them.
 */
#include "fuzz.h"
#include "qemu/timer.h"
#include "sysemu/icount.h"
#include "target/ppc/internal.h"
#include "target/ppc/insn-fp.h"
#include "tests/unit/cpu-harness.h"

#define RAM_SIZE (1 * MiB)
#define MAX_INSNS 64
#define DATA_LEN 0x1000 /* the data window at HARNESS_DATA that GPRs point into */
#define NOP 0x60000000u
/* -icount shift 10: a 10 ms slice is 9765 instructions. */
#define ICOUNT_ARG "shift=10"

static PowerPCCPU *cpu_jit, *cpu_interp;
/* RAM as the run starts (vectors, code, data), and as the interpreter left it. */
static uint8_t *base_ram, *start_ram, *ref_ram;

/* What the block can read or change besides RAM. */
typedef struct InsnState {
    uint64_t gpr[32];
    ppc_vsr_t vsr[64];
    uint32_t crf[8];
    uint64_t nip, msr, lr, ctr, tar, xer_rest;
    uint8_t so, ov, ca, ov32, ca32;
    uint64_t fpscr;
    uint32_t vscr;
    uint64_t reserve_addr, reserve_len, reserve_val, reserve_val2;
    uint64_t spr[1024]; /* SRR0/1, DAR, DSISR, SPRGs...; PIR left out */
    bool halted;
} InsnState;

/* An instruction word into host memory in the given byte order. */
static void put_word(uint8_t *p, uint32_t w, bool le)
{
    for (int i = 0; i < 4; i++) {
        p[i] = w >> (le ? 8 * i : 24 - 8 * i);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    harness_jit_pair_ram(&cpu_jit, &cpu_interp, RAM_SIZE);
    base_ram = g_malloc(RAM_SIZE);
    start_ram = g_malloc(RAM_SIZE);
    ref_ram = g_malloc(RAM_SIZE);
    /* The vectors and nothing else. */
    memset(base_ram, 0, RAM_SIZE);
    for (hwaddr v = 0x100; v < 0x1000; v += 0x100) {
        put_word(base_ram + v, HARNESS_SC1, false);
    }
    return 0;
}

static bool spr_allowed(unsigned spr)
{
    switch (spr) {
    case SPR_XER:
    case 8: /* LR */
    case 9: /* CTR */
    case SPR_DSISR:
    case SPR_DAR:
    case 26:          /* SRR0 */
    case 27:          /* SRR1 */
    case 256:         /* VRSAVE */
    case 272 ... 275: /* SPRG0-3 */
    case 815:         /* TAR */
        return true;
    default:
        return false;
    }
}

/* The instruction, or a no-op for one the two CPUs could not agree on. */
static uint32_t filter(uint32_t insn)
{
    unsigned op = insn >> 26, xo = (insn >> 1) & 0x3ff;
    unsigned spr = ((insn >> 16) & 0x1f) | ((insn >> 6) & 0x3e0);

    if (op == 19) {
        /* branches to LR/CTR/TAR, CR logical, mcrf, isync, addpcis; not rfid, stop... */
        switch (xo) {
        case 0:
        case 16:
        case 33:
        case 129:
        case 150:
        case 193:
        case 225:
        case 257:
        case 289:
        case 417:
        case 449:
        case 528:
        case 560:
            return insn;
        default:
            return (xo & 0x1f) == 2 ? insn : NOP;
        }
    }
    if (op == 31) {
        switch (xo) {
        case 339: /* mfspr */
        case 467: /* mtspr */
            return spr_allowed(spr) ? insn : NOP;
        case 30:  /* wait */
        case 142: /* msgsndp */
        case 146: /* mtmsr */
        case 174: /* msgclrp */
        case 178: /* mtmsrd */
        case 206: /* msgsnd */
        case 238: /* msgclr */
        case 274: /* tlbiel */
        case 306: /* tlbie */
        case 371: /* mftb */
        case 402: /* slbmte */
        case 434: /* slbie */
        case 466: /* slbieg */
        case 498: /* slbia */
        case 566: /* tlbsync */
        case 850: /* slbiag */
            return NOP;
        default:
            return insn;
        }
    }
    return insn;
}

/* s into cpu; fresh: reset it first (its blocks and soft TLB go too). */
static void state_put(PowerPCCPU *cpu, const InsnState *s, bool fresh)
{
    CPUPPCState *env = &cpu->env;
    uint64_t pir = env->spr[SPR_PIR];

    if (fresh) {
        ppc_cpu_reset(cpu);
        timer_del(cpu->decr_timer); /* no host-time interrupt */
    }
    cpu->halted = false;
    memcpy(env->gpr, s->gpr, sizeof(env->gpr));
    memcpy(env->vsr, s->vsr, sizeof(env->vsr));
    memcpy(env->crf, s->crf, sizeof(env->crf));
    env->msr = s->msr;
    env->lr = s->lr;
    env->ctr = s->ctr;
    env->tar = s->tar;
    env->xer_rest = s->xer_rest;
    env->so = s->so;
    env->ov = s->ov;
    env->ca = s->ca;
    env->ov32 = s->ov32;
    env->ca32 = s->ca32;
    env->fpscr = s->fpscr;
    env->vscr = s->vscr;
    memcpy(env->spr, s->spr, sizeof(env->spr));
    env->spr[SPR_PIR] = pir;
    env->reserve_addr = s->reserve_addr;
    env->reserve_len = s->reserve_len;
    env->reserve_val = s->reserve_val;
    env->reserve_val2 = s->reserve_val2;
    env->pending_interrupts = 0;
    env->nip = HARNESS_CODE;
    env->exit_request = 0;
}

static void state_get(PowerPCCPU *cpu, InsnState *s)
{
    CPUPPCState *env = &cpu->env;

    memset(s, 0, sizeof(*s)); /* the padding too: states are compared whole */
    memcpy(s->gpr, env->gpr, sizeof(env->gpr));
    memcpy(s->vsr, env->vsr, sizeof(env->vsr));
    memcpy(s->crf, env->crf, sizeof(env->crf));
    s->nip = env->nip;
    s->msr = env->msr;
    s->lr = env->lr;
    s->ctr = env->ctr;
    s->tar = env->tar;
    s->xer_rest = env->xer_rest;
    s->so = env->so;
    s->ov = env->ov;
    s->ca = env->ca;
    s->ov32 = env->ov32;
    s->ca32 = env->ca32;
    s->fpscr = env->fpscr;
    s->vscr = env->vscr;
    s->reserve_addr = env->reserve_addr;
    s->reserve_len = env->reserve_len;
    s->reserve_val = env->reserve_val;
    s->reserve_val2 = env->reserve_val2;
    memcpy(s->spr, env->spr, sizeof(s->spr));
    s->spr[SPR_PIR] = 0;
    s->halted = cpu->halted;
}

/* RAM back to start_ram: only the pages that differ, so unchanged code stays translated. */
static void ram_restore(void)
{
    const uint8_t *ram = guest_ram_ptr(0, RAM_SIZE);

    for (size_t p = 0; p < RAM_SIZE; p += 0x1000) {
        if (memcmp(ram + p, start_ram + p, 0x1000)) {
            guest_write(p, start_ram + p, 0x1000);
        }
    }
}

/*
 * Run cpu from s over start_ram (fresh: from no blocks); true if it ended by
 * `sc 1`, not by the slice running out.
 */
static bool run(PowerPCCPU *cpu, const InsnState *s, bool fresh, bool bounded)
{
    int before = harness_hcalls;

    ram_restore();
    state_put(cpu, s, fresh);
    if (bounded) {
        icount_start_slice();
    }
    ppc_cpu_exec(cpu);
    return harness_hcalls != before;
}

static void report(const InsnState *jit, const InsnState *ref, const char *what,
                   const uint32_t *insns, unsigned n)
{
    GString *code = g_string_new(NULL);

    for (unsigned k = 0; k < n; k++) {
        g_string_append_printf(code, " %08x", insns[k]);
    }
    g_printerr("fuzz-insn: JIT (%s) and interpreter differ after%s\n", what, code->str);
    for (int i = 0; i < 32; i++) {
        if (jit->gpr[i] != ref->gpr[i]) {
            g_printerr("  r%d jit %016" PRIx64 " interp %016" PRIx64 "\n", i, jit->gpr[i],
                       ref->gpr[i]);
        }
    }
    for (int i = 0; i < 64; i++) {
        if (memcmp(&jit->vsr[i], &ref->vsr[i], 16)) {
            g_printerr(
                "  VSR%d jit %016" PRIx64 "%016" PRIx64 " interp %016" PRIx64 "%016" PRIx64 "\n", i,
                jit->vsr[i].u64[1], jit->vsr[i].u64[0], ref->vsr[i].u64[1], ref->vsr[i].u64[0]);
        }
    }
    for (int i = 0; i < 8; i++) {
        if (jit->crf[i] != ref->crf[i]) {
            g_printerr("  CR%d jit %x interp %x\n", i, jit->crf[i], ref->crf[i]);
        }
    }
    for (int i = 0; i < 1024; i++) {
        if (jit->spr[i] != ref->spr[i]) {
            g_printerr("  SPR %d jit %" PRIx64 " interp %" PRIx64 "\n", i, jit->spr[i],
                       ref->spr[i]);
        }
    }
    g_printerr("  nip %" PRIx64 " %" PRIx64 ", MSR %" PRIx64 " %" PRIx64 ", LR %" PRIx64 " %" PRIx64
               ", CTR %" PRIx64 " %" PRIx64 ", TAR %" PRIx64 " %" PRIx64 "\n",
               jit->nip, ref->nip, jit->msr, ref->msr, jit->lr, ref->lr, jit->ctr, ref->ctr,
               jit->tar, ref->tar);
    g_printerr("  XER SO OV CA OV32 CA32 %d%d%d%d%d %d%d%d%d%d, rest %" PRIx64 " %" PRIx64
               "; FPSCR %" PRIx64 " %" PRIx64 ", VSCR %x %x\n",
               jit->so, jit->ov, jit->ca, jit->ov32, jit->ca32, ref->so, ref->ov, ref->ca,
               ref->ov32, ref->ca32, jit->xer_rest, ref->xer_rest, jit->fpscr, ref->fpscr,
               jit->vscr, ref->vscr);
    g_printerr("  reservation %" PRIx64 "/%" PRIu64 "/%" PRIx64 " %" PRIx64 "/%" PRIu64 "/%" PRIx64
               ", halted %d %d\n",
               jit->reserve_addr, jit->reserve_len, jit->reserve_val, ref->reserve_addr,
               ref->reserve_len, ref->reserve_val, jit->halted, ref->halted);
    g_string_free(code, true);
}

static void compare(const InsnState *ref, const char *what, const uint32_t *insns, unsigned n)
{
    InsnState got;
    const uint8_t *ram = guest_ram_ptr(0, RAM_SIZE);

    state_get(cpu_jit, &got);
    if (memcmp(&got, ref, sizeof(got))) {
        report(&got, ref, what, insns, n);
        fuzz_fail("fuzz-insn: register state differs");
    }
    if (memcmp(ram, ref_ram, RAM_SIZE)) {
        report(&got, ref, what, insns, n);
        for (size_t i = 0, shown = 0; i < RAM_SIZE && shown < 16; i++) {
            if (ram[i] != ref_ram[i]) {
                g_printerr("  RAM %#zx jit %02x interp %02x\n", i, ram[i], ref_ram[i]);
                shown++;
            }
        }
        fuzz_fail("fuzz-insn: memory differs");
    }
}

/* The initial state from the input's header (see the top of the file). */
static void read_state(FuzzInput *in, InsnState *s)
{
    uint8_t bits = fuzz_u8(in), xer;
    uint32_t cr, mask;
    uint64_t vmask;

    memset(s, 0, sizeof(*s));
    s->msr = MSR_ME | (bits & 1 ? MSR_SF : 0) | (bits & 2 ? MSR_LE : 0) | (bits & 4 ? MSR_FP : 0) |
             (bits & 8 ? MSR_VEC : 0) | (bits & 16 ? MSR_VSX : 0) | (bits & 32 ? MSR_PR : 0) |
             (bits & 64 ? MSR_FE0 : 0) | (bits & 128 ? MSR_FE1 : 0);
    cr = fuzz_u32(in);
    for (int i = 0; i < 8; i++) {
        s->crf[i] = (cr >> (28 - 4 * i)) & 0xf;
    }
    xer = fuzz_u8(in);
    s->so = xer & 1;
    s->ov = (xer >> 1) & 1;
    s->ca = (xer >> 2) & 1;
    s->ov32 = (xer >> 3) & 1;
    s->ca32 = (xer >> 4) & 1;
    s->xer_rest = fuzz_u8(in) & 0x7f;
    s->lr = fuzz_u64(in);
    s->ctr = fuzz_u64(in);
    /*
     * FEX and VX as a guest can leave them: mtfsf and the rest recompute the
     * summaries, so a VX without its cause or FEX without an enabled one never
     * reaches an FP instruction (the interpreter recomputes them, the JIT's
     * direct helpers leave them).
     */
    s->fpscr = ppc_fpscr_summaries(fuzz_u32(in));
    xer = fuzz_u8(in);
    s->vscr = (xer & 1 ? 0x10000 : 0) | (xer & 2 ? 1 : 0);
    mask = fuzz_u32(in);
    for (int i = 0; i < 32; i++) {
        s->gpr[i] = mask & (1u << i) ? fuzz_u64(in) : (uint64_t)HARNESS_DATA + 0x80 * i;
    }
    vmask = fuzz_u64(in);
    for (int i = 0; i < 64; i++) {
        if (vmask & (1ull << i)) {
            s->vsr[i].u64[0] = fuzz_u64(in);
            s->vsr[i].u64[1] = fuzz_u64(in);
        } else if (i < 32) {
            double d = (i - 12) * 0.75;

            memcpy(&VsrD(&s->vsr[i], 0), &d, 8);
            VsrD(&s->vsr[i], 1) = i * 0x0101010101010101ull;
        } else {
            for (int k = 0; k < 16; k++) {
                s->vsr[i].u8[k] = (uint8_t)((i * 16 + k) * 7);
            }
        }
    }
    s->reserve_addr = (uint64_t)-1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    InsnState s, ref;
    uint32_t insns[MAX_INSNS];
    unsigned n = 0;
    bool le, ended;

    read_state(&in, &s);
    while (n < MAX_INSNS && fuzz_left(&in) >= 4) {
        insns[n++] = filter(fuzz_u32(&in));
    }
    le = s.msr & MSR_LE;
    memcpy(start_ram, base_ram, RAM_SIZE);
    for (unsigned i = 0; i <= n; i++) {
        uint32_t w = i < n ? insns[i] : HARNESS_SC1;

        put_word(start_ram + HARNESS_CODE + 4 * i, w, le);
    }
    for (int i = 0; i < DATA_LEN; i++) {
        start_ram[HARNESS_DATA + i] = (uint8_t)(i * 131 + 7);
    }

    icount_configure(ICOUNT_ARG);
    ended = run(cpu_interp, &s, true, true);
    state_get(cpu_interp, &ref);
    memcpy(ref_ram, guest_ram_ptr(0, RAM_SIZE), RAM_SIZE);
    if (getenv("FUZZ_INSN_TRACE")) {
        /* For writing seeds: where the interpreter ended, and the last interrupt. */
        g_printerr("fuzz-insn: %u insns, %s at %" PRIx64 ", SRR0 %" PRIx64 " SRR1 %" PRIx64 "\n", n,
                   ended ? "sc 1" : "slice over", ref.nip, ref.spr[26], ref.spr[27]);
    }
    if (ended) {
        icount_reset();
    }
    for (int pass = 0; pass < 2; pass++) {
        /* The first pass translates, the second runs the blocks it left. */
        run(cpu_jit, &s, !pass, !ended);
        compare(&ref, pass ? "cached" : "translated", insns, n);
    }
    icount_reset();
    return 0;
}

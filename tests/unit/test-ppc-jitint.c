/*
 * The JIT's native fixed-point instructions against the interpreter: blocks
 * of a few random instructions of the forms the JIT compiles (and their
 * neighbours it leaves to the interpreter, so both kinds mix in one block)
 * run from random registers and XER bits on a CPU with the JIT and on one
 * without, in 64-bit and in 32-bit mode, and every register, CR field, XER
 * bit and byte of the data window must agree. Carries chain through a block
 * (addc then adde), the way multi-word arithmetic and Linux's code use them;
 * loads, stores and branches see addresses whose high word 32-bit mode must
 * ignore.  Load and reserve and store conditional start from a random
 * reservation (none, busy, or one whose length and value may match), and
 * the traps end blocks, trapping or not.
 */
#include "target/ppc/internal.h"
#include "tests/unit/cpu-harness.h"

#define TRIALS 300
#define BLOCK_LEN 4
#define DATA_LEN 0x100 /* the data window at HARNESS_DATA */
#define EDGE_LEN 0x40  /* compared too: the bytes below it (another page), and RAM's last ones */
#define RAM_SIZE (16 * MiB)

typedef struct IntState {
    uint64_t gpr[32];
    uint32_t crf[8];
    uint64_t lr, ctr, nip;
    uint64_t vsr[64][2]; /* for mfvsrd/mtvsrd */
    uint8_t so, ov, ca, ov32, ca32;
    uint8_t mem[DATA_LEN];
    uint8_t below[EDGE_LEN], top[EDGE_LEN];
    /* the reservation; seq: 0 none, 1 busy, 2 the granule's word as it is, 3 stale */
    uint64_t resv_addr, resv_len, resv_val;
    uint8_t resv_seq;
    uint64_t srr0, srr1; /* where a trap came from */
    uint64_t dar, dsisr; /* ... and what a data access fault reached */
    uint64_t fpscr;
} IntState;

static PowerPCCPU *cpu_jit, *cpu_interp;
static GRand *rng;
/* MSR bits beyond SF, ME, FP, VEC, VSX for the next blocks (FE0/FE1: FP-enabled interrupts) */
static uint64_t extra_msr;

/* The sequence word of the reservation granule of real address ra. */
static uint64_t *resv_word(uint64_t ra)
{
    uint8_t *host = guest_ram_ptr(ra, 1);

    return host ? &ppc_resv_seq[ppc_resv_index(host)] : NULL;
}

static void state_put(PowerPCCPU *cpu, const IntState *s)
{
    CPUPPCState *env = &cpu->env;

    memcpy(env->gpr, s->gpr, sizeof(env->gpr));
    memcpy(env->crf, s->crf, sizeof(env->crf));
    memcpy(env->vsr, s->vsr, sizeof(env->vsr));
    env->lr = s->lr;
    env->ctr = s->ctr;
    env->so = s->so;
    env->ov = s->ov;
    env->ca = s->ca;
    env->ov32 = s->ov32;
    env->ca32 = s->ca32;
    g_assert_true(guest_write(HARNESS_DATA, s->mem, DATA_LEN));
    g_assert_true(guest_write(HARNESS_DATA - EDGE_LEN, s->below, EDGE_LEN));
    g_assert_true(guest_write(RAM_SIZE - EDGE_LEN, s->top, EDGE_LEN));
    env->reserve_addr = s->resv_addr;
    env->reserve_len = s->resv_len;
    env->reserve_val = s->resv_val;
    env->reserve_seq = s->resv_seq == 2 ? *resv_word(s->resv_addr) : PPC_RESV_SEQ_BUSY;
    env->spr[SPR_SRR0] = 0;
    env->spr[SPR_SRR1] = 0;
    env->spr[SPR_DAR] = 0;
    env->spr[SPR_DSISR] = 0;
    env->fpscr = s->fpscr;
}

static void state_get(PowerPCCPU *cpu, IntState *s)
{
    CPUPPCState *env = &cpu->env;

    memset(s, 0, sizeof(*s)); /* the padding too: states are compared whole */
    memcpy(s->gpr, env->gpr, sizeof(env->gpr));
    memcpy(s->crf, env->crf, sizeof(env->crf));
    memcpy(s->vsr, env->vsr, sizeof(s->vsr));
    s->lr = env->lr;
    s->ctr = env->ctr;
    s->nip = env->nip;
    s->so = env->so;
    s->ov = env->ov;
    s->ca = env->ca;
    s->ov32 = env->ov32;
    s->ca32 = env->ca32;
    g_assert_true(guest_read(HARNESS_DATA, s->mem, DATA_LEN));
    g_assert_true(guest_read(HARNESS_DATA - EDGE_LEN, s->below, EDGE_LEN));
    g_assert_true(guest_read(RAM_SIZE - EDGE_LEN, s->top, EDGE_LEN));
    s->resv_addr = env->reserve_addr;
    s->resv_len = env->reserve_len;
    s->resv_val = env->reserve_val;
    if (env->reserve_addr == (uint64_t)-1) {
        s->resv_seq = 0;
    } else if (env->reserve_seq == PPC_RESV_SEQ_BUSY) {
        s->resv_seq = 1;
    } else {
        uint64_t *word = resv_word(env->reserve_addr);

        s->resv_seq = word && *word == env->reserve_seq ? 2 : 3;
    }
    s->srr0 = env->spr[SPR_SRR0];
    s->srr1 = env->spr[SPR_SRR1];
    s->dar = env->spr[SPR_DAR];
    s->dsisr = env->spr[SPR_DSISR];
    s->fpscr = env->fpscr;
}

static unsigned rnd(unsigned n)
{
    return g_rand_int_range(rng, 0, (int32_t)n);
}

static uint64_t rnd64(void)
{
    return ((uint64_t)g_rand_int(rng) << 32) | g_rand_int(rng);
}

/* Values at the edges of carries, signs and word boundaries, or random ones. */
static uint64_t rnd_value(void)
{
    static const uint64_t edges[] = {
        0,
        1,
        UINT64_MAX,
        0x7fffffffffffffffull,
        0x8000000000000000ull,
        0xffffffffull,
        0x80000000ull,
        0x7fffffffull,
        0xffffffff80000000ull,
        0x100000000ull,
    };

    switch (rnd(4)) {
    case 0:
        return edges[rnd(G_N_ELEMENTS(edges))];
    case 1:
        return rnd64() & 0xffffffffull;
    default:
        return rnd64();
    }
}

static void random_state(IntState *s)
{
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < 32; i++) {
        s->gpr[i] = rnd_value();
    }
    for (int i = 0; i < 8; i++) {
        s->crf[i] = rnd(16);
    }
    for (int i = 0; i < 64; i++) {
        s->vsr[i][0] = rnd64();
        s->vsr[i][1] = rnd64();
    }
    s->lr = rnd64() & ~3ull;
    s->ctr = rnd64();
    s->so = rnd(2);
    s->ov = rnd(2);
    s->ca = rnd(2);
    s->ov32 = rnd(2);
    s->ca32 = rnd(2);
    for (int i = 0; i < DATA_LEN; i++) {
        s->mem[i] = rnd(256);
    }
    for (int i = 0; i < EDGE_LEN; i++) {
        s->below[i] = rnd(256);
        s->top[i] = rnd(256);
    }
    s->resv_addr = (uint64_t)-1;
}

static void assert_same(const IntState *jit, const IntState *ref, const char *what,
                        const uint32_t *insns, unsigned n)
{
    GString *code;

    if (memcmp(jit, ref, sizeof(*jit)) == 0) {
        return;
    }
    code = g_string_new(NULL);
    for (unsigned k = 0; k < n; k++) {
        g_string_append_printf(code, " %08x", insns[k]);
    }
    for (int i = 0; i < 32; i++) {
        if (jit->gpr[i] != ref->gpr[i]) {
            g_test_message("%s%s: r%d jit %" PRIx64 " interp %" PRIx64, what, code->str, i,
                           jit->gpr[i], ref->gpr[i]);
        }
    }
    for (int i = 0; i < 8; i++) {
        if (jit->crf[i] != ref->crf[i]) {
            g_test_message("%s%s: CR%d jit %x interp %x", what, code->str, i, jit->crf[i],
                           ref->crf[i]);
        }
    }
    for (int i = 0; i < 64; i++) {
        for (int d = 0; d < 2; d++) {
            if (jit->vsr[i][d] != ref->vsr[i][d]) {
                g_test_message("%s%s: VSR%d[%d] jit %" PRIx64 " interp %" PRIx64, what, code->str,
                               i, d, jit->vsr[i][d], ref->vsr[i][d]);
            }
        }
    }
    for (int i = 0; i < DATA_LEN; i++) {
        if (jit->mem[i] != ref->mem[i]) {
            g_test_message("%s%s: byte %#x jit %02x interp %02x", what, code->str, HARNESS_DATA + i,
                           jit->mem[i], ref->mem[i]);
        }
    }
    for (int i = 0; i < EDGE_LEN; i++) {
        if (jit->below[i] != ref->below[i] || jit->top[i] != ref->top[i]) {
            g_test_message("%s%s: bytes %#x %#x jit %02x %02x interp %02x %02x", what, code->str,
                           HARNESS_DATA - EDGE_LEN + i, (unsigned)(RAM_SIZE - EDGE_LEN + i),
                           jit->below[i], jit->top[i], ref->below[i], ref->top[i]);
        }
    }
    if (jit->fpscr != ref->fpscr) {
        g_test_message("%s%s: FPSCR jit %" PRIx64 " interp %" PRIx64 " (differing %" PRIx64 ")",
                       what, code->str, jit->fpscr, ref->fpscr, jit->fpscr ^ ref->fpscr);
    }
    if (jit->dar != ref->dar || jit->dsisr != ref->dsisr) {
        g_test_message("%s%s: DAR jit %" PRIx64 " interp %" PRIx64 ", DSISR %" PRIx64 " %" PRIx64,
                       what, code->str, jit->dar, ref->dar, jit->dsisr, ref->dsisr);
    }
    g_test_message("%s%s: SO OV CA OV32 CA32 jit %d%d%d%d%d interp %d%d%d%d%d; LR %" PRIx64
                   " %" PRIx64 ", CTR %" PRIx64 " %" PRIx64 ", nip %" PRIx64 " %" PRIx64,
                   what, code->str, jit->so, jit->ov, jit->ca, jit->ov32, jit->ca32, ref->so,
                   ref->ov, ref->ca, ref->ov32, ref->ca32, jit->lr, ref->lr, jit->ctr, ref->ctr,
                   jit->nip, ref->nip);
    g_test_message("%s%s: reservation jit %" PRIx64 "/%" PRIu64 "/%" PRIx64 "/%d interp %" PRIx64
                   "/%" PRIu64 "/%" PRIx64 "/%d; SRR0 %" PRIx64 " %" PRIx64 ", SRR1 %" PRIx64
                   " %" PRIx64,
                   what, code->str, jit->resv_addr, jit->resv_len, jit->resv_val, jit->resv_seq,
                   ref->resv_addr, ref->resv_len, ref->resv_val, ref->resv_seq, jit->srr0,
                   ref->srr0, jit->srr1, ref->srr1);
    g_string_free(code, true);
    g_test_fail();
}

/*
 * The block on both CPUs from state s (the JIT one twice: translated, then
 * cached), in 64-bit mode or (sf false) 32-bit mode; it must end at end
 * (0: after the sc 1 that follows it; END_ANY: wherever the interpreter
 * ended, an interrupt's vector say).
 */
#define END_ANY UINT64_MAX

static void check_block_at(const uint32_t *insns, unsigned n, const IntState *s, bool sf,
                           uint64_t end)
{
    IntState ref, got;
    uint64_t msr = (sf ? MSR_SF : 0) | MSR_ME | MSR_FP | MSR_VEC | MSR_VSX | extra_msr;

    cpu_interp->env.msr = msr;
    state_put(cpu_interp, s);
    harness_run(cpu_interp, insns, n);
    state_get(cpu_interp, &ref);
    /* All of them ran: none raised an interrupt (whose vector ends the run). */
    end = end ? end : HARNESS_CODE + 4 * n + 4;
    if (end != END_ANY && ref.nip != end) {
        for (unsigned k = 0; k < n; k++) {
            g_test_message("insn %08x", insns[k]);
        }
        g_assert_cmphex(ref.nip, ==, end);
    }
    for (int pass = 0; pass < 2; pass++) {
        cpu_jit->env.msr = msr;
        state_put(cpu_jit, s);
        cpu_jit->env.nip = HARNESS_CODE;
        cpu_jit->env.exit_request = 0;
        ppc_cpu_exec(cpu_jit);
        state_get(cpu_jit, &got);
        assert_same(&got, &ref,
                    pass ? (sf ? "cached" : "cached, 32-bit")
                         : (sf ? "translated" : "translated, 32-bit"),
                    insns, n);
    }
}

static void check_block(const uint32_t *insns, unsigned n, const IntState *s, bool sf)
{
    check_block_at(insns, n, s, sf, 0);
}

/* ---- Encodings ------------------------------------------------------------ */

typedef enum Form {
    XO,     /* opcode 31: RT RA RB OE xo9 Rc */
    XO_RA,  /* ... RB unused (addze, neg...) */
    X,      /* opcode 31: RS RA RB xo10 Rc (logical, shifts) */
    X_RS,   /* ... RB unused (extsb, cntlzw...) */
    X_SH,   /* srawi: RS RA SH */
    XS,     /* sradi: RS RA sh xo9 sh5 Rc */
    CMP,    /* opcode 31 cmp/cmpl: BF L RA RB */
    D,      /* opcode: RT RA SI */
    D_CMP,  /* cmpi/cmpli: BF L RA SI */
    ISEL,   /* A-form: RT RA RB BC 15 */
    ANY,    /* the opcode with every other bit random (rotates) */
    MEM_D,  /* load/store RT, d(RA): RA one of the data pointers; odd opcodes update */
    MEM_DS, /* ld/ldu/lwa, std/stdu: sub is the low two bits */
    MEM_X,  /* indexed, RB an offset register; xo & 32: update */
    CRL,    /* opcode 19 CR logical: BT BA BB xo; often BA = BB, or BT one of them */
    MCRF,   /* mcrf BF, BFA */
    XFX,    /* mfcr/mtcrf: RT, bit 11 (the one-field forms), FXM */
    SYNC,   /* sync L: hwsync, lwsync, ptesync; eieio (no L field) */
    CACHE,  /* dcbz/dcbst/icbi RA, RB: RA a data pointer, RB an offset register */
    XX_MV,  /* mfvsrd...mtvsrwz: XS/XT (T, TX in bit 31), RA */
    RESV,   /* l*arx/st*cx. RT, RA, RB as MEM_X (aligned); sub: 1 for st*cx. (bit 31 set) */
} Form;

typedef struct Spec {
    const char *name;
    Form form;
    unsigned op;  /* primary opcode (D, D_CMP, ANY, MEM_D, MEM_DS) or extended opcode */
    bool rc;      /* the form has an Rc (or OE) bit worth setting */
    unsigned sub; /* MEM_DS: the low two bits; XO, XO_RA: 1 for OE always set */
} Spec;

static const Spec specs[] = {
    /* with carry: native */
    { "addc", XO, 10, true },
    { "adde", XO, 138, true },
    { "subfc", XO, 8, true },
    { "subfe", XO, 136, true },
    { "addze", XO_RA, 202, true },
    { "addme", XO_RA, 234, true },
    { "subfze", XO_RA, 200, true },
    { "subfme", XO_RA, 232, true },
    { "addic", D, 12 },
    { "addic.", D, 13 },
    { "subfic", D, 8 },
    { "srawi", X_SH, 824, true },
    { "sradi", XS, 413, true },
    /* the OE forms: XER[OV], [OV32], SO (native) */
    { "addo", XO, 266, true, 1 },
    { "subfo", XO, 40, true, 1 },
    { "nego", XO_RA, 104, true, 1 },
    { "addco", XO, 10, true, 1 },
    { "addeo", XO, 138, true, 1 },
    { "subfco", XO, 8, true, 1 },
    { "subfeo", XO, 136, true, 1 },
    { "addzeo", XO_RA, 202, true, 1 },
    { "addmeo", XO_RA, 234, true, 1 },
    { "subfzeo", XO_RA, 200, true, 1 },
    { "subfmeo", XO_RA, 232, true, 1 },
    { "mullwo", XO, 235, true, 1 },
    { "mulldo", XO, 233, true, 1 },
    { "divwo", XO, 491, true, 1 },
    { "divwuo", XO, 459, true, 1 },
    { "divdo", XO, 489, true, 1 },
    { "divduo", XO, 457, true, 1 },
    /* CR logical operations and mcrf (native) */
    { "crand", CRL, 257 },
    { "crandc", CRL, 129 },
    { "creqv", CRL, 289 },
    { "crnand", CRL, 225 },
    { "crnor", CRL, 33 },
    { "cror", CRL, 449 },
    { "crorc", CRL, 417 },
    { "crxor", CRL, 193 },
    { "mcrf", MCRF, 0 },
    { "mfcr", XFX, 19 },
    { "mtcrf", XFX, 144 },
    { "sync", SYNC, 598 },
    /* shifts by a register, with CA */
    { "sraw", X, 792, true },
    { "srad", X, 794, true },
    /* bytes and bit counts */
    { "cmpb", X, 508 },
    { "popcntd", X_RS, 506 },
    { "popcntw", X_RS, 378 },
    /* cache blocks: dcbz zeroes the 128 bytes at HARNESS_DATA or 0x80 on */
    { "dcbst", CACHE, 54 },
    { "icbi", CACHE, 982 },
    { "dcbz", CACHE, 1014 },
    /* GPR <-> VSR doubleword 0 (MSR[FP] and [VEC] on) */
    { "mfvsrd", XX_MV, 51 },
    { "mtvsrd", XX_MV, 179 },
    { "mfvsrwz", XX_MV, 115 },
    { "mtvsrwa", XX_MV, 211 },
    { "mtvsrwz", XX_MV, 243 },
    /* hints and ordering: nothing to do */
    { "dcbt", CACHE, 278 },
    { "dcbtst", CACHE, 246 },
    { "eieio", SYNC, 854 },
    /* arithmetic */
    { "add", XO, 266, true },
    { "subf", XO, 40, true },
    { "neg", XO_RA, 104, true },
    { "mulld", XO, 233, true },
    { "mullw", XO, 235, true },
    { "mulhd", XO, 73, true },
    { "mulhdu", XO, 9, true },
    { "mulhw", XO, 75, true },
    { "mulhwu", XO, 11, true },
    { "divd", XO, 489, true },
    { "divdu", XO, 457, true },
    { "divw", XO, 491, true },
    { "divwu", XO, 459, true },
    /* ISA 3.0 modulo (X-form, no record form): the remainder comes from rdx */
    { "modsw", X, 779 },
    { "moduw", X, 267 },
    { "modsd", X, 777 },
    { "modud", X, 265 },
    { "addi", D, 14 },
    { "addis", D, 15 },
    { "mulli", D, 7 },
    /* logical, shifts, extensions, counts */
    { "and", X, 28, true },
    { "or", X, 444, true },
    { "xor", X, 316, true },
    { "andc", X, 60, true },
    { "orc", X, 412, true },
    { "nor", X, 124, true },
    { "nand", X, 476, true },
    { "eqv", X, 284, true },
    { "slw", X, 24, true },
    { "srw", X, 536, true },
    { "sld", X, 27, true },
    { "srd", X, 539, true },
    { "extsb", X_RS, 954, true },
    { "extsh", X_RS, 922, true },
    { "extsw", X_RS, 986, true },
    { "cntlzw", X_RS, 26, true },
    { "cntlzd", X_RS, 58, true },
    { "ori", D, 24 },
    { "oris", D, 25 },
    { "xori", D, 26 },
    { "xoris", D, 27 },
    { "andi.", D, 28 },
    { "andis.", D, 29 },
    { "rlwimi", ANY, 20 },
    { "rlwinm", ANY, 21 },
    { "rlwnm", ANY, 23 },
    { "rld", ANY, 30 },
    /* compares and isel */
    { "cmp", CMP, 0 },
    { "cmpl", CMP, 32 },
    { "cmpi", D_CMP, 11 },
    { "cmpli", D_CMP, 10 },
    { "isel", ISEL, 15 },
    /* loads and stores (the data window; 32-bit mode drops the high word) */
    { "lbz", MEM_D, 34 },
    { "lbzu", MEM_D, 35 },
    { "lhz", MEM_D, 40 },
    { "lhzu", MEM_D, 41 },
    { "lha", MEM_D, 42 },
    { "lhau", MEM_D, 43 },
    { "lwz", MEM_D, 32 },
    { "lwzu", MEM_D, 33 },
    { "stb", MEM_D, 38 },
    { "stbu", MEM_D, 39 },
    { "sth", MEM_D, 44 },
    { "sthu", MEM_D, 45 },
    { "stw", MEM_D, 36 },
    { "stwu", MEM_D, 37 },
    { "ld", MEM_DS, 58, false, 0 },
    { "ldu", MEM_DS, 58, false, 1 },
    { "lwa", MEM_DS, 58, false, 2 },
    { "std", MEM_DS, 62, false, 0 },
    { "stdu", MEM_DS, 62, false, 1 },
    { "lbzx", MEM_X, 87 },
    { "lbzux", MEM_X, 119 },
    { "lhzx", MEM_X, 279 },
    { "lhax", MEM_X, 343 },
    { "lwzx", MEM_X, 23 },
    { "lwzux", MEM_X, 55 },
    { "lwax", MEM_X, 341 },
    { "ldx", MEM_X, 21 },
    { "ldux", MEM_X, 53 },
    { "stbx", MEM_X, 215 },
    { "sthx", MEM_X, 407 },
    { "stwx", MEM_X, 151 },
    { "stdx", MEM_X, 149 },
    { "stdux", MEM_X, 181 },
    { "lhbrx", MEM_X, 790 },
    { "lwbrx", MEM_X, 534 },
    { "ldbrx", MEM_X, 532 },
    { "sthbrx", MEM_X, 918 },
    { "stwbrx", MEM_X, 662 },
    { "stdbrx", MEM_X, 660 },
    /* load and reserve, store conditional */
    { "lbarx", RESV, 52 },
    { "lharx", RESV, 116 },
    { "lwarx", RESV, 20 },
    { "ldarx", RESV, 84 },
    { "stbcx.", RESV, 694, false, 1 },
    { "sthcx.", RESV, 726, false, 1 },
    { "stwcx.", RESV, 150, false, 1 },
    { "stdcx.", RESV, 214, false, 1 },
};

/*
 * A register number, often one of a few so that instructions share them;
 * never r20-r25, the data pointers and offsets the loads and stores use.
 */
static unsigned rnd_reg(void)
{
    unsigned r = rnd(26);

    return rnd(2) ? 3 + rnd(4) : r < 20 ? r : r + 6;
}

static uint32_t encode(const Spec *sp)
{
    unsigned rt = rnd_reg(), ra = rnd_reg(), rb = rnd_reg();
    unsigned rc = sp->rc ? rnd(2) : 0;

    switch (sp->form) {
    case XO:
    case XO_RA: {
        /* OE set now and then (mulh* have none), always for the "o" specs */
        bool mulh = sp->op == 73 || sp->op == 9 || sp->op == 75 || sp->op == 11;

        return 31u << 26 | rt << 21 | ra << 16 | (sp->form == XO ? rb : 0) << 11 |
               (!mulh && (sp->sub == 1 || rnd(4) == 0)) << 10 | sp->op << 1 | rc;
    }
    case CRL: {
        /* crclr/crset (BA = BB), crmove/crnot (BT = BA), bits within one field or not */
        unsigned bt = rnd(32), ba = rnd(3) ? rnd(32) : bt, bb = rnd(3) ? rnd(32) : ba;

        return 19u << 26 | bt << 21 | ba << 16 | bb << 11 | sp->op << 1;
    }
    case MCRF:
        return 19u << 26 | rnd(8) << 23 | rnd(8) << 18;
    case SYNC:
        return 31u << 26 | (sp->op == 598 ? rnd(3) : 0) << 21 | sp->op << 1;
    case XX_MV:
        return 31u << 26 | (rnd(2) ? 3 + rnd(4) : rnd(32)) << 21 | ra << 16 | sp->op << 1 | rnd(2);
    case CACHE:
        return 31u << 26 | (20 + rnd(4)) << 16 | (24 + rnd(2)) << 11 | sp->op << 1;
    case XFX: {
        /* one field (mfocrf/mtocrf), several, or none (those do nothing) */
        unsigned fxm = rnd(2) ? 0x80u >> rnd(8) : rnd(256);

        return 31u << 26 | rt << 21 | rnd(2) << 20 | fxm << 12 | sp->op << 1;
    }
    case X:
        return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | sp->op << 1 | rc;
    case X_RS:
        return 31u << 26 | rt << 21 | ra << 16 | sp->op << 1 | rc;
    case X_SH:
        return 31u << 26 | rt << 21 | ra << 16 | rnd(32) << 11 | sp->op << 1 | rc;
    case XS: {
        unsigned sh = rnd(64);

        return 31u << 26 | rt << 21 | ra << 16 | (sh & 31) << 11 | sp->op << 2 | (sh >> 5) << 1 |
               rc;
    }
    case CMP:
        return 31u << 26 | rnd(8) << 23 | rnd(2) << 21 | ra << 16 | rb << 11 | sp->op << 1;
    case D:
        return sp->op << 26 | rt << 21 | ra << 16 | (rnd(3) ? rnd(0x10000) : rnd(2) ? 0xffff : 1);
    case D_CMP:
        return sp->op << 26 | rnd(8) << 23 | rnd(2) << 21 | ra << 16 | rnd(0x10000);
    case ISEL:
        return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | rnd(32) << 6 | 15u << 1;
    case MEM_D:
    case MEM_DS:
    case MEM_X: {
        /*
         * Data pointers r20-r23 start 0x40-0x78 into the window: at most four
         * updates of under 0x20 (X: 0x18) each keep every access inside it.
         * RT avoids them (a load with update into RA is invalid).
         */
        unsigned base = 20 + rnd(4), data = 3 + rnd(8);
        bool update = sp->form == MEM_D    ? (sp->op & 1)
                      : sp->form == MEM_DS ? sp->sub == 1
                                           : (sp->op & 32) != 0;
        int disp = update ? (int)rnd(0x20) : (int)rnd(0x80) - 0x40;

        if (sp->form == MEM_X) {
            return 31u << 26 | data << 21 | base << 16 | (24 + rnd(2)) << 11 | sp->op << 1;
        }
        if (sp->form == MEM_DS) {
            return sp->op << 26 | data << 21 | base << 16 | ((uint32_t)disp & 0xfffc) | sp->sub;
        }
        return sp->op << 26 | data << 21 | base << 16 | ((uint32_t)disp & 0xffff);
    }
    case RESV:
        /* the data pointers plus an offset register: aligned for every size; EH hint random */
        return 31u << 26 | (3 + rnd(8)) << 21 | (20 + rnd(4)) << 16 | (24 + rnd(2)) << 11 |
               sp->op << 1 | (sp->sub ? 1 : rnd(2));
    case ANY:
        if (sp->op == 30) {
            /* MD forms (xo 0-3 in bits 27-29, sh5) and MDS forms (xo 8-9 in 27-30) */
            unsigned low = rnd(2) ? rnd(4) << 2 | rnd(2) << 1 : (8u + rnd(2)) << 1;

            return 30u << 26 | rt << 21 | ra << 16 | (g_rand_int(rng) & 0xffe0u) | low | rc;
        }
        return sp->op << 26 | rt << 21 | ra << 16 | (g_rand_int(rng) & 0xffffu);
    }
    g_assert_not_reached();
}

/*
 * None (a third of the time), or one at an address the data pointers and
 * offsets reach, of any length, holding the value there (so a st*cx. of
 * that length may store) or another; now and then taken while busy.
 */
static void random_reservation(IntState *s)
{
    static const unsigned lens[] = { 1, 2, 4, 8 };
    unsigned off = 0x40 + 8 * rnd(8) + 8 * rnd(4);

    s->resv_len = lens[rnd(4)];
    s->resv_val = rnd64() & (s->resv_len == 8 ? ~0ull : (1ull << (8 * s->resv_len)) - 1);
    if (rnd(3) == 0) {
        s->resv_addr = (uint64_t)-1;
        s->resv_seq = 0;
        return;
    }
    s->resv_addr = HARNESS_DATA + off;
    s->resv_seq = rnd(8) ? 2 : 1;
    if (rnd(2)) {
        s->resv_val = 0;
        for (unsigned k = 0; k < s->resv_len; k++) {
            s->resv_val = s->resv_val << 8 | s->mem[off + k];
        }
    }
}

/*
 * A random state whose data pointers (r20-r23) and offsets (r24, r25) suit
 * the mode: with a random high word in 32-bit mode, which effective
 * addresses drop.
 */
static void random_state_for(IntState *s, bool sf)
{
    random_state(s);
    for (int r = 20; r < 26; r++) {
        uint64_t off = r < 24 ? HARNESS_DATA + 0x40 + 8 * rnd(8) : 8 * rnd(4);

        s->gpr[r] = off + (sf ? 0 : rnd64() << 32);
    }
    random_reservation(s);
}

/* Each form alone, then in blocks with random others; odd trials in 32-bit mode. */
static void test_spec(gconstpointer data)
{
    const Spec *sp = data;
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        uint32_t insns[BLOCK_LEN];
        unsigned n = t < TRIALS / 3 ? 1 : 1 + rnd(BLOCK_LEN);
        bool sf = t % 2 == 0;

        for (unsigned k = 0; k < n; k++) {
            const Spec *other = &specs[rnd(G_N_ELEMENTS(specs))];

            /* (after an update form, l*arx/st*cx. might be misaligned: first only) */
            while (other->form == RESV) {
                other = &specs[rnd(G_N_ELEMENTS(specs))];
            }
            insns[k] = encode(k == 0 ? sp : other);
        }
        random_state_for(&s, sf);
        check_block(insns, n, &s, sf);
    }
}

/* Multi-word arithmetic: carries through chains of the carrying forms. */
static void test_carry_chain(void)
{
    static const uint32_t chains[][BLOCK_LEN] = {
        /* addc r3,r3,r5; adde r4,r4,r6; addze r7,r7; addme r8,r8 */
        { 0x7c632814, 0x7c843114, 0x7ce70194, 0x7d0801d4 },
        /* subfc r3,r5,r3; subfe r4,r6,r4; subfze r7,r7; subfme r8,r8 */
        { 0x7c651810, 0x7c862110, 0x7ce70190, 0x7d0801d0 },
        /* addic r3,r3,-1; subfe r4,r4,r4; sradi r5,r3,1; addze r5,r5 */
        { 0x3063ffff, 0x7c842110, 0x7c650e74, 0x7ca50194 },
    };
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        random_state(&s);
        check_block(chains[t % G_N_ELEMENTS(chains)], BLOCK_LEN, &s, t % 2);
    }
}

/*
 * Branches with targets in LR and CTR, links and the CTR count: in 32-bit
 * mode the high words of LR and CTR are ignored (the target and the count's
 * test take the low word) and the link is the low word of the next address.
 */
static void test_branches(void)
{
    enum { ADDI_R3 = 0x38630001, ADDI_R4 = 0x38840001 };
    static const struct {
        uint32_t insns[3];
        unsigned n;
        bool ctr_target, ctr_count;
    } cases[] = {
        { { 0x4e800020, ADDI_R3, ADDI_R4 }, 3, false, false }, /* blr: skips to +8 */
        { { 0x4e800021, ADDI_R3, ADDI_R4 }, 3, false, false }, /* blrl */
        { { 0x4e800420, ADDI_R3, ADDI_R4 }, 3, true, false },  /* bctr */
        { { 0x4e800421, ADDI_R3, ADDI_R4 }, 3, true, false },  /* bctrl */
        { { 0x48000009, ADDI_R3, ADDI_R4 }, 3, false, false }, /* bl +8 */
        { { ADDI_R3, 0x4200fffc }, 2, false, true },           /* 1: addi; bdnz 1b */
        { { 0x42400008, ADDI_R3, ADDI_R4 }, 3, false, true },  /* bdz +8 */
        { { 0x42000009, ADDI_R3, ADDI_R4 }, 3, false, true },  /* bdnzl +8 */
    };
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        unsigned k = t % G_N_ELEMENTS(cases);
        bool sf = (t / G_N_ELEMENTS(cases)) % 2;
        uint64_t high = sf ? 0 : rnd64() << 32, target = HARNESS_CODE + 8;

        random_state(&s);
        s.lr = high | target;
        /* (a count whose tested word is 0 would run 2^32 or 2^64 turns) */
        s.ctr = cases[k].ctr_target  ? high | target
                : cases[k].ctr_count ? high | (1 + rnd(5))
                                     : s.ctr;
        check_block(cases[k].insns, cases[k].n, &s, sf);
    }
}

/*
 * The atomic update loops' bodies in one block: l*arx, a change, st*cx.
 * of the same size at the same address (stores), or at another one or of
 * another size (fails), then perhaps a second st*cx. (fails: the first one
 * dropped the reservation).
 */
static void test_resv_pairs(void)
{
    static const unsigned larx[] = { 52, 116, 20, 84 }, stcx[] = { 694, 726, 150, 214 };
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        unsigned size = rnd(4), other = rnd(4) ? size : rnd(4);
        unsigned base = 20 + rnd(4), off = 24 + rnd(2), rt = 3 + rnd(4);
        unsigned base2 = rnd(4) ? base : 20 + rnd(4), n = 3 + rnd(2);
        uint32_t insns[4] = {
            31u << 26 | rt << 21 | base << 16 | off << 11 | larx[size] << 1,
            14u << 26 | rt << 21 | rt << 16 | rnd(0x10000), /* addi rt, rt, SI */
            31u << 26 | rt << 21 | base2 << 16 | off << 11 | stcx[other] << 1 | 1,
            31u << 26 | rt << 21 | base << 16 | off << 11 | stcx[size] << 1 | 1,
        };
        bool sf = t % 2 == 0;

        random_state_for(&s, sf);
        check_block(insns, n, &s, sf);
    }
}

/*
 * Loads whose target is their own address register (RT = RA, or RB of the
 * indexed forms), which the compiled code loads into RT's host register:
 * after an ALU op or an addi that leaves that register changed but not yet
 * written back, before another ALU op.  The first run takes the soft-TLB
 * miss (the step), the cached one hits.
 */
static void test_load_into_address(void)
{
    /*
     * lwz lbz lhz lha (D), ld lwa (DS), lwzx ldx lbzx lhax lwbrx ldbrx (X);
     * with update (into RB: RA is the address's base) lbzux lhzux lhaux
     * lwzux ldux lwaux
     */
    static const unsigned d_ops[] = { 32, 34, 40, 42 }, ds_sub[] = { 0, 2 };
    static const unsigned x_ops[] = { 23, 21, 87, 343, 534, 532 };
    static const unsigned ux_ops[] = { 119, 311, 375, 55, 53, 373 };
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        unsigned base = 20 + rnd(4), off = 24 + rnd(2), kind = rnd(4), rt = base;
        uint32_t insns[3], load;
        const Spec *alu[2];
        bool sf = t % 2 == 0;

        for (int k = 0; k < 2; k++) {
            do {
                alu[k] = &specs[rnd(G_N_ELEMENTS(specs))];
            } while (alu[k]->form >= MEM_D && alu[k]->form != CRL && alu[k]->form != MCRF &&
                     alu[k]->form != XFX && alu[k]->form != SYNC);
        }
        if (kind == 0) {
            load = d_ops[rnd(4)] << 26 | rt << 21 | base << 16 | (uint16_t)(rnd(0x20) * 8);
        } else if (kind == 1) {
            load = 58u << 26 | rt << 21 | base << 16 | (uint16_t)(rnd(0x20) * 8) | ds_sub[rnd(2)];
        } else if (kind == 2) {
            rt = rnd(2) ? base : off;
            load = 31u << 26 | rt << 21 | base << 16 | off << 11 | x_ops[rnd(6)] << 1;
        } else {
            rt = off;
            load = 31u << 26 | rt << 21 | base << 16 | off << 11 | ux_ops[rnd(6)] << 1;
        }
        /* addi rt, rt, 0: RT cached and dirty when the load replaces it */
        insns[0] = rnd(2) ? 14u << 26 | rt << 21 | rt << 16 : encode(alu[0]);
        insns[1] = load;
        insns[2] = encode(alu[1]);
        random_state_for(&s, sf);
        check_block(insns, 3, &s, sf);
    }
}

/*
 * Real-mode loads at the edges of the range the JIT loads from RAM without
 * the soft TLB (jit-x86_64.c real_load_range(): boot RAM less its last 512
 * bytes; in 32-bit mode also below 4 GiB): every load form the JIT compiles
 * (D, DS, X, byte-reversed, update, lwarx/ldarx, lfs/lfd, and a run of two
 * loads 256 bytes apart), alone, at addresses around that end, at RAM's
 * last bytes, across RAM's end and beyond it (a machine check: SRR0, SRR1,
 * DAR, DSISR), and with the effective address's top four bits set, which
 * real mode ignores (and the four below them, which it does not); in 32-bit mode with a random high word, and at
 * 0xfffffffe, whose last bytes wrap to address 0.
 */
static void test_real_mode_edges(void)
{
    static const int64_t from_end[] = { -800, -769, -768, -520, -513, -512, -511, -505,
                                        -504, -257, -256, -255, -16,  -9,   -8,   -7,
                                        -4,   -2,   -1,   0,    1,    8 };
    /* RT 3, RA r20 (the address), RB r24 (0) */
    static const uint32_t loads[] = {
        34u << 26 | 3 << 21 | 20 << 16,                       /* lbz */
        40u << 26 | 3 << 21 | 20 << 16,                       /* lhz */
        42u << 26 | 3 << 21 | 20 << 16,                       /* lha */
        32u << 26 | 3 << 21 | 20 << 16,                       /* lwz */
        58u << 26 | 3 << 21 | 20 << 16,                       /* ld */
        58u << 26 | 3 << 21 | 20 << 16 | 2,                   /* lwa */
        33u << 26 | 3 << 21 | 20 << 16,                       /* lwzu */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 21 << 1,  /* ldx */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 534 << 1, /* lwbrx */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 532 << 1, /* ldbrx */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 53 << 1,  /* ldux */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 20 << 1,  /* lwarx */
        31u << 26 | 3 << 21 | 20 << 16 | 24 << 11 | 84 << 1,  /* ldarx */
        48u << 26 | 3 << 21 | 20 << 16,                       /* lfs */
        50u << 26 | 3 << 21 | 20 << 16,                       /* lfd */
    };
    uint8_t fill[1024];
    IntState s;

    for (int t = 0; t < 2 * TRIALS; t++) {
        bool sf = t % 2 == 0;
        unsigned kind = rnd(8);
        uint64_t ea = RAM_SIZE + from_end[rnd(G_N_ELEMENTS(from_end))];
        uint32_t insns[2];
        unsigned n = 1;

        /* random bytes below RAM's last EDGE_LEN (the state's top[] holds those) */
        for (unsigned k = 0; k < sizeof(fill); k++) {
            fill[k] = rnd(256);
        }
        g_assert_true(guest_write(RAM_SIZE - EDGE_LEN - sizeof(fill), fill, sizeof(fill)));
        if (kind == 0 && !sf) {
            ea = 0xfffffffe;
        } else if (kind == 1 && sf) {
            ea |= (uint64_t)(1 + rnd(15)) << 60; /* ignored in real mode */
        } else if (kind == 2) {
            ea = HARNESS_DATA + 8 * rnd(DATA_LEN / 8 - 1);
            ea |= sf ? (uint64_t)(1 + rnd(15)) << 60 : 0;
        } else if (kind == 4 && sf) {
            /* the bits below the top four count: far past RAM, a machine check */
            ea = (HARNESS_DATA + 8 * rnd(DATA_LEN / 8 - 1)) | (uint64_t)(1 + rnd(15)) << 56;
            ea |= (uint64_t)rnd(16) << 60;
        }
        random_state_for(&s, sf);
        s.gpr[20] = ea + (sf ? 0 : rnd64() << 32);
        s.gpr[24] = 0;
        if (kind == 3) {
            /* a run of two loads spanning 256 bytes: ld r3, 0(r20); ld r4, 248(r20) */
            s.gpr[20] &= ~7ull;
            insns[0] = 58u << 26 | 3 << 21 | 20 << 16;
            insns[1] = 58u << 26 | 4 << 21 | 20 << 16 | 248;
            n = 2;
        } else {
            insns[0] = loads[rnd(G_N_ELEMENTS(loads))];
            if ((insns[0] >> 26) == 31 &&
                ((insns[0] >> 1 & 0x3ff) == 20 || (insns[0] >> 1 & 0x3ff) == 84)) {
                s.gpr[20] &= (insns[0] >> 1 & 0x3ff) == 20 ? ~3ull : ~7ull; /* aligned */
            }
        }
        check_block_at(insns, n, &s, sf, END_ANY);
    }
}

/*
 * Runs of loads or of stores off one base register (the JIT checks the soft
 * TLB once for a run's span, jit-x86_64.c emit_mem_run()): 2-8 D/DS forms
 * of mixed sizes off r20, then an addi of the base.  The base lies
 *   0: in the data window (the run fits one page);
 *   1: at the window's start, with displacements below it: the span
 *      crosses into the page before (each access on its own fits a page);
 *   2: at the end of RAM: a later access of the run reaches past it (a
 *      machine check at that access: SRR0, DAR; the earlier stores done).
 * A load may replace the base mid-run (with an address in the window, or
 * with anything: the next access faults where the interpreter's does).
 */
static void test_mem_runs(void)
{
    static const unsigned loads[][3] = { /* opcode, DS sub (or D: 4), size */
                                         { 32, 4, 4 }, { 34, 4, 1 }, { 40, 4, 2 },
                                         { 42, 4, 2 }, { 58, 0, 8 }, { 58, 2, 4 }
    };
    static const unsigned stores[][3] = { { 36, 4, 4 }, { 38, 4, 1 }, { 44, 4, 2 }, { 62, 0, 8 } };
    IntState s;

    for (int t = 0; t < 4 * TRIALS; t++) {
        unsigned n = 2 + rnd(7), where = rnd(3), base = 20;
        bool store = rnd(2), sf = t % 2 == 0;
        uint64_t b;
        uint32_t insns[10];

        random_state_for(&s, sf);
        b = where == 0   ? HARNESS_DATA + 0x40 + 8 * rnd(8)
            : where == 1 ? HARNESS_DATA + 8 * rnd(4)
                         : RAM_SIZE - 8 * rnd(5);
        s.gpr[base] = b + (sf ? 0 : rnd64() << 32);
        for (unsigned k = 0; k < n; k++) {
            const unsigned *f =
                store ? stores[rnd(G_N_ELEMENTS(stores))] : loads[rnd(G_N_ELEMENTS(loads))];
            unsigned rt = 3 + rnd(8);
            /* the first byte: in the window, around its start, or around RAM's end */
            uint64_t at = where == 0   ? HARNESS_DATA + rnd(DATA_LEN - 7)
                          : where == 1 ? HARNESS_DATA - EDGE_LEN + rnd(2 * EDGE_LEN - 7)
                                       : RAM_SIZE - EDGE_LEN + rnd(EDGE_LEN + 8);
            int64_t d = (int64_t)(at - b);

            if (f[1] != 4) {
                d &= ~3ll; /* DS: a multiple of 4 (b is one of 8) */
            }
            if (!store && rnd(6) == 0) {
                rt = base; /* the base replaced: the run ends after this load */
                if (f[2] == 8 && where != 2 && rnd(2)) {
                    uint64_t p = HARNESS_DATA + 8 * rnd(24);
                    int64_t off = (int64_t)(b + d - HARNESS_DATA);

                    for (int by = 0; by < 8 && off >= 0 && off + 8 <= DATA_LEN; by++) {
                        s.mem[off + by] = p >> (56 - 8 * by);
                    }
                }
            }
            insns[k] = f[0] << 26 | rt << 21 | base << 16 | ((uint32_t)d & 0xffff) |
                       (f[1] != 4 ? f[1] : 0);
        }
        insns[n] = 14u << 26 | 3u << 21 | base << 16 | 1; /* addi r3, r20, 1 */
        check_block_at(insns, n + 1, &s, sf, END_ANY);
    }
}

/*
 * Loops in one block: random ops, then bdnz (or bdnzt/bdnzf on a random CR
 * bit) back to the first, with CTR 1-5 (its high word random in 32-bit
 * mode): the compiled loop keeps its registers cached from one turn to the
 * next.  Memory ops without update (the data pointers stay in the window);
 * the first turn takes the soft-TLB misses, the cached run none.
 */
static void test_loops(void)
{
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        unsigned n = 1 + rnd(2 * BLOCK_LEN), bo = rnd(2) ? 16 : rnd(2) ? 8 : 0;
        uint32_t insns[2 * BLOCK_LEN + 1];
        bool sf = t % 2 == 0;

        for (unsigned k = 0; k < n; k++) {
            const Spec *sp;
            bool update;

            do {
                sp = &specs[rnd(G_N_ELEMENTS(specs))];
                update = (sp->form == MEM_D && (sp->op & 1)) ||
                         (sp->form == MEM_DS && sp->sub == 1) ||
                         (sp->form == MEM_X && (sp->op & 32));
            } while (sp->form == RESV || update);
            insns[k] = encode(sp);
        }
        insns[n] = 16u << 26 | bo << 21 | rnd(32) << 16 | ((uint32_t)(-4 * (int)n) & 0xfffc);
        random_state_for(&s, sf);
        s.ctr = (sf ? 0 : rnd64() << 32) | (1 + rnd(5));
        check_block(insns, n + 1, &s, sf);
    }
}

/*
 * A compare or a record form (CR0) right before the bc that ends its
 * block, which then branches on the flags that set the field when it tests
 * LT, GT or EQ of it and nothing else: every BO form (CTR, "always"), BI in
 * that field (SO too) or in another one, after a random op or none, with SO
 * random; the taken bc skips one addi.
 */
static void test_compare_branch(void)
{
    static const unsigned bos[] = { 12, 4, 12, 4, 20, 16, 0, 8, 2, 10 };
    IntState s;

    for (int t = 0; t < 2 * TRIALS; t++) {
        uint32_t insns[5];
        unsigned n = 0, bf, rb = 32;
        bool sf = t % 2 == 0;
        const Spec *sp;

        if (rnd(2)) {
            do {
                sp = &specs[rnd(G_N_ELEMENTS(specs))];
            } while (sp->form == RESV || sp->form == MEM_D || sp->form == MEM_DS ||
                     sp->form == MEM_X);
            insns[n++] = encode(sp);
        }
        if (rnd(2)) {
            /* a record form (Rc = 1, andi., andis.), which sets CR0 */
            do {
                sp = &specs[rnd(G_N_ELEMENTS(specs))];
            } while (!sp->rc && !(sp->form == D && (sp->op == 28 || sp->op == 29)));
            insns[n] = encode(sp) | (sp->form == D ? 0 : 1);
            rb = insns[n++] >> 11 & 31;
            bf = 0;
        } else {
            do {
                sp = &specs[rnd(G_N_ELEMENTS(specs))];
            } while (sp->form != CMP && sp->form != D_CMP);
            insns[n] = encode(sp);
            if (rnd(4) == 0) { /* RB = RA (equal), or an immediate of 0 or 1 (edge values) */
                insns[n] =
                    (insns[n] & ~0xffffu) |
                    (sp->form == CMP ? (insns[n] >> 16 & 31) << 11 | (insns[n] & 0x7fe) : rnd(2));
            }
            bf = insns[n++] >> 23 & 7;
        }
        insns[n++] = 16u << 26 | bos[rnd(G_N_ELEMENTS(bos))] << 21 |
                     (rnd(4) ? 4 * bf + rnd(4) : rnd(32)) << 16 | 8;
        insns[n++] = 0x38630001; /* addi r3, r3, 1 */
        insns[n++] = 0x38840001; /* addi r4, r4, 1 */
        random_state_for(&s, sf);
        if (rb < 32 && rb != 0 && rnd(2)) {
            /* divisors of 0 and -1: the divides' stubs (then the field is in env) */
            s.gpr[rb] = rnd(2) ? 0 : UINT64_MAX;
        }
        s.ctr = (sf ? 0 : rnd64() << 32) | rnd(3);
        check_block(insns, n, &s, sf);
    }
}

/* A random op for a trace: no reservation, no update form (the data pointers stay in the window). */
static uint32_t trace_op(void)
{
    const Spec *sp;
    bool update;

    do {
        sp = &specs[rnd(G_N_ELEMENTS(specs))];
        update = (sp->form == MEM_D && (sp->op & 1)) || (sp->form == MEM_DS && sp->sub == 1) ||
                 (sp->form == MEM_X && (sp->op & 32));
    } while (sp->form == RESV || update);
    return encode(sp);
}

/* A compare, or a record form (CR0): *bf is the field it sets. */
static uint32_t trace_cr_setter(unsigned *bf)
{
    const Spec *sp;

    if (rnd(3) == 0) {
        do {
            sp = &specs[rnd(G_N_ELEMENTS(specs))];
        } while (!sp->rc || sp->form == MEM_D || sp->form == MEM_DS || sp->form == MEM_X);
        *bf = 0;
        return encode(sp) | 1;
    }
    do {
        sp = &specs[rnd(G_N_ELEMENTS(specs))];
    } while (sp->form != CMP && sp->form != D_CMP);
    uint32_t insn = encode(sp);

    *bf = insn >> 23 & 7;
    return insn;
}

/* bc BO (12: branch if the bit is set, 4: if clear), mostly on a bit of field bf, to +disp. */
static uint32_t trace_bc(unsigned bf, int disp)
{
    return 16u << 26 | (rnd(2) ? 12u : 4u) << 21 | (rnd(4) ? 4 * bf + rnd(4) : rnd(32)) << 16 |
           ((uint32_t)disp & 0xfffc);
}

/*
 * Traces (exec.c's tb_jit): a compiled block that ends in a bc testing a
 * CR bit (no CTR, no link) runs on past it into the instructions after it,
 * here up to the closing sc: the bc's taken way is a side exit (every
 * changed GPR written back first), the other way keeps the GPRs in host
 * registers.  Random ops, a compare or record form and the bc, whose
 * target is in the extension or the sc, then random ops (the extension),
 * sometimes with another compare and bc among them (the extension ends
 * there) or a load from the end of RAM (a machine check raised inside the
 * extension: SRR0, DAR and the registers written before it must agree).
 * A third of them loop: the trace ends in addi r25,r25,-1; cmpwi r25,0;
 * bne back to its start (the loop form, which compiles the trace twice),
 * r25 1-3 (random ops never write it), and their block may be the bc alone.
 * Some others branch back (the same three instructions end the block, the
 * bne to one of its ops but the first): the trace follows the target and
 * leaves when the count runs out.
 */
static void test_traces(void)
{
    uint64_t traces = ppc_tb_traces(cpu_jit);
    unsigned faults = 0;
    IntState s;

    for (int t = 0; t < 3 * TRIALS; t++) {
        uint32_t insns[20];
        unsigned n = 0, bf = rnd(8), bc_at, last, fault_at = 0, k1 = rnd(4), k2 = 1 + rnd(7);
        bool sf = t % 2 == 0, loop = rnd(3) == 0, back = !loop && rnd(3) == 0;

        for (unsigned k = 0; k < k1 + back; k++) {
            insns[n++] = trace_op();
        }
        if (back) {
            /* the bc's way back to one of those ops (not the first: the block's own start) */
            insns[n++] = 0x3b39ffff; /* addi r25, r25, -1 */
            insns[n++] = 0x2c190000; /* cmpwi r25, 0 */
            bf = 0;
        } else if (!loop || rnd(2)) {
            insns[n++] = trace_cr_setter(&bf);
        }
        bc_at = n++;
        for (unsigned k = 0; k < k2; k++) {
            insns[n++] = trace_op();
        }
        if (rnd(4) == 0) {
            unsigned bf2;

            insns[n++] = trace_cr_setter(&bf2);
            insns[n] = trace_bc(bf2, 8);
            n++;
            insns[n++] = 0x38630001; /* addi r3, r3, 1 */
        }
        last = n;
        if (loop) {
            insns[n++] = 0x3b39ffff;                                    /* addi r25, r25, -1 */
            insns[n++] = 0x2c190000;                                    /* cmpwi r25, 0 */
            insns[n] = 0x40820000 | ((uint32_t)(-4 * (int)n) & 0xfffc); /* bne to the start */
            n++;
        }
        if (rnd(4) == 0) {
            /* lwz r(3..6), 0(r26), r26 = the end of RAM */
            fault_at = bc_at + 1 + rnd(k2);
            insns[fault_at] = 32u << 26 | (3 + rnd(4)) << 21 | 26u << 16;
        }
        if (back) {
            /* bne to op 1..k1+1 of the block: the trace follows the target */
            insns[bc_at] = 0x40820000 | ((uint32_t)(-4 * (int)(bc_at - 1 - rnd(k1 + 1))) & 0xfffc);
        } else {
            /* to the next instruction (both ways alike) up to the sc, or a loop's decrement */
            insns[bc_at] = trace_bc(bf, 4 * (int)(1 + rnd((loop ? last : n) - bc_at)));
        }
        random_state_for(&s, sf);
        s.gpr[26] = RAM_SIZE + (sf ? 0 : rnd64() << 32);
        if (loop || back) {
            s.gpr[25] = 1 + rnd(3) + (sf ? 0 : rnd64() << 32);
        }
        check_block_at(insns, n, &s, sf, END_ANY);
        faults += fault_at && cpu_jit->env.spr[SPR_SRR0] == HARNESS_CODE + 4 * fault_at;
    }
    /* the blocks were traces, and some faulted inside their extension */
    g_assert_cmpuint(ppc_tb_traces(cpu_jit), >=, traces + 3 * TRIALS);
    g_assert_cmpuint(faults, >, 10);
}

/*
 * tw, td, twi, tdi (each ends its block) with random TO after an addi:
 * both CPUs must trap (SRR0/SRR1, the program vector) or go on alike.
 * Operands are often equal, or differ only in the high word.
 */
static void test_traps(void)
{
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        unsigned to = rnd(4) ? rnd(32) : 0x1f, kind = rnd(4), ra = 3 + rnd(3), rb = 3 + rnd(3);
        uint32_t insns[2] = { 0x38e70001 }; /* addi r7, r7, 1 */
        int16_t si = rnd(2) ? (int16_t)rnd(0x10000) : (int16_t)(rnd(5) - 2);
        bool sf = t % 2 == 0;

        switch (kind) {
        case 0: /* tw */
            insns[1] = 31u << 26 | to << 21 | ra << 16 | rb << 11 | 4u << 1;
            break;
        case 1: /* td */
            insns[1] = 31u << 26 | to << 21 | ra << 16 | rb << 11 | 68u << 1;
            break;
        case 2: /* twi */
            insns[1] = 3u << 26 | to << 21 | ra << 16 | (uint16_t)si;
            break;
        default: /* tdi */
            insns[1] = 2u << 26 | to << 21 | ra << 16 | (uint16_t)si;
            break;
        }
        random_state(&s);
        for (int r = 3; r < 6; r++) {
            switch (rnd(4)) {
            case 0:
                s.gpr[r] = (int64_t)si;
                break;
            case 1:
                s.gpr[r] = (rnd64() << 32) | (uint32_t)(int32_t)si;
                break;
            default:
                break;
            }
        }
        check_block_at(insns, 2, &s, sf, END_ANY);
    }
}

/* ---- Floating-point arithmetic ----------------------------------------------- */

static uint64_t dbl_bits(double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof(v));
    return v;
}

/*
 * An FP operand: the classes and boundaries the JIT's inline fadd, fsub,
 * fmul and fdiv must hand to the interpreter (NaNs, infinities, zeros,
 * denormals, values whose sums, products or quotients overflow or
 * underflow, exponents around the fast path's lower limit 0x100), pairs
 * giving halfway cases (1 + 2^-53, 1 + 3 * 2^-53), small integers (exact
 * results), and ordinary values (inexact results rounded either way).
 */
static uint64_t fp_value(void)
{
    static const uint64_t edges[] = {
        0,                     /* +0 */
        0x7ff0000000000000ull, /* infinity */
        0x7ff8000000000000ull, /* the default QNaN */
        0x7ffc00000000abcdull, /* a QNaN with a payload */
        0x7ff0000000000001ull, /* SNaN */
        0x7ff4000000001234ull, /* SNaN with a payload */
        0x0000000000000001ull, /* the smallest denormal */
        0x000fffffffffffffull, /* the largest denormal */
        0x0010000000000000ull, /* the smallest normal */
        0x0010000000000001ull,
        0x7fefffffffffffffull, /* the largest */
        0x7fe0000000000000ull, /* 2^1023 */
        0x3ff0000000000000ull, /* 1 */
        0x3ff0000000000001ull, /* 1 + ulp */
        0x3ca0000000000000ull, /* 2^-53: 1 + it is a tie */
        0x3cb8000000000000ull, /* 3 * 2^-53 */
        0x3c90000000000000ull, /* 2^-54 */
        0x0ff0000000000000ull, /* exponents 0xff, 0x100, 0x101 */
        0x1000000000000000ull,
        0x1010000000000001ull,
        0x1a70000000000000ull, /* 2^-600: its square underflows */
        0x6570000000000000ull, /* 2^600: its square overflows */
        0x2000000000000000ull, /* 2^-511: products near 0x100 */
        0x1ff0000000000000ull,
    };
    uint64_t sign = (uint64_t)rnd(2) << 63;

    switch (rnd(8)) {
    case 0:
    case 1:
        return sign | edges[rnd(G_N_ELEMENTS(edges))];
    case 2:
        return dbl_bits((double)((int)rnd(64) - 32));
    case 3:
        return rnd64();
    default:
        /* exponent within 2^+-30 of 1, random fraction */
        return sign | (uint64_t)(1023 + rnd(61) - 30) << 52 | (rnd64() >> 12);
    }
}

/*
 * An FPSCR: clear, a random rounding mode, random enable bits (VE OE UE
 * ZE XE NI RN), or all of the low word random (sticky bits, FR, FI, FPRF
 * too; XX clear or set decides FX).
 */
static uint64_t fp_fpscr(void)
{
    switch (rnd(5)) {
    case 0:
    case 1:
        return 0;
    case 2:
        return rnd(4);
    case 3:
        return rnd(256);
    default:
        return rnd64() & 0xffffffffull;
    }
}

/*
 * Blocks of three fadd, fsub, fmul, fdiv (with and without Rc) on f1..f6
 * from the values above, so results feed the next ones, with random FPSCR
 * and sometimes MSR[FE0, FE1] set (an enabled exception then interrupts):
 * the JIT's inline forms and the interpreter must agree on every FPR,
 * FPSCR bit, CR1 and interrupt.
 */
static void test_fp_arith(void)
{
    /* A-form opcode 63: xo, and whether FRB (else FRC) is the second operand */
    static const struct {
        unsigned xo;
        bool frb;
    } ops[] = { { 21, true }, { 20, true }, { 25, false }, { 18, true } };
    IntState s;

    for (int t = 0; t < 20 * TRIALS; t++) {
        uint32_t insns[3];

        for (int k = 0; k < 3; k++) {
            unsigned o = rnd(G_N_ELEMENTS(ops));
            unsigned frt = 1 + rnd(6), fra = 1 + rnd(6), frx = 1 + rnd(6);

            insns[k] = 63u << 26 | frt << 21 | fra << 16 | (ops[o].frb ? frx << 11 : frx << 6) |
                       ops[o].xo << 1 | (rnd(4) == 0);
        }
        random_state(&s);
        for (int f = 1; f <= 6; f++) {
            s.vsr[f][PPC_VSR_IDX(2, 0)] = fp_value();
        }
        s.fpscr = fp_fpscr();
        extra_msr = rnd(4) == 0 ? MSR_FE0 | MSR_FE1 : 0;
        check_block_at(insns, 3, &s, true, END_ANY);
    }
    extra_msr = 0;
}

/*
 * The comparisons below run each block once: the JIT's CPU compiles blocks
 * when it translates them (cpu-harness.h sets jit_after 1), not at their
 * 8th run as by default, or they would compare the interpreter with itself.
 */
static void test_compiled(void)
{
    static const uint32_t insns[] = { 0x38600001u /* li r3,1 */ };
    uint64_t jit = ppc_tb_compiled(cpu_jit), interp = ppc_tb_compiled(cpu_interp);

    cpu_jit->env.msr = cpu_interp->env.msr = MSR_SF | MSR_ME;
    harness_run(cpu_jit, insns, 1);
    g_assert_cmpuint(cpu_jit->env.gpr[3], ==, 1);
    g_assert_cmpuint(ppc_tb_compiled(cpu_jit), >, jit);
    harness_run(cpu_interp, insns, 1);
    g_assert_cmpuint(cpu_interp->env.gpr[3], ==, 1);
    g_assert_cmpuint(ppc_tb_compiled(cpu_interp), ==, interp);
}

/*
 * PPC_TLB_STATS's conflict counters: a loop loading from three real-mode
 * aliases of one page, whose load entries share one index (the plain page
 * number): 0x80000, 0xc000000000080000 (another quadrant: kernel and user)
 * and 0x1000000000080000 (the same quadrant).  Every fill but the first
 * evicts a live entry, counted by the quadrants of the two pages.
 */
static void test_tlb_evict_stats(void)
{
    const uint32_t loop[] = {
        0x38800010u, /* li r4,16 */
        0x7c8903a6u, /* mtctr r4 */
        0xe8a30000u, /* ld r5,0(r3) */
        0xe8e60000u, /* ld r7,0(r6) */
        0xe9280000u, /* ld r9,0(r8) */
        0x4200fff4u, /* bdnz the first ld */
    };
    for (int c = 0; c < 2; c++) {
        PowerPCCPU *cpu = c ? cpu_interp : cpu_jit;
        CPUPPCState *env = &cpu->env;
        PPCTLBStats before;

        env->msr = MSR_SF | MSR_ME;
        ppc_tlb_flush(env);
        /* top bits real mode ignores: the JIT's loads within RAM would not fill */
        env->gpr[3] = 0x2000000000080000ULL;
        env->gpr[6] = 0xc000000000080000ULL;
        env->gpr[8] = 0x1000000000080000ULL;
        before = env->tlb_stats;
        harness_run(cpu, loop, G_N_ELEMENTS(loop));
        g_assert_cmphex(env->nip, ==, HARNESS_CODE + 4 * G_N_ELEMENTS(loop) + 4);
        /*
         * 48 loads, each a fill over the one before but the first: the kernel
         * page's over a user page's and the other way (32), 0x2000000000080000's
         * over 0x1000000000080000's (15, from the second iteration)
         */
        g_assert_cmpuint(env->tlb_stats.fill[PPC_TLB_READ] - before.fill[PPC_TLB_READ], ==, 48);
        g_assert_cmpuint(env->tlb_stats.evict_other - before.evict_other, ==, 32);
        g_assert_cmpuint(env->tlb_stats.evict_same - before.evict_same, ==, 15);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rng = g_rand_new_with_seed(20261206);
    harness_jit_pair_ram(&cpu_jit, &cpu_interp, RAM_SIZE);
    g_test_add_func("/ppc/jitint/compiled", test_compiled);
    for (size_t k = 0; k < G_N_ELEMENTS(specs); k++) {
        g_autofree char *path = g_strdup_printf("/ppc/jitint/%s", specs[k].name);

        g_test_add_data_func(path, &specs[k], test_spec);
    }
    g_test_add_func("/ppc/jitint/carry-chain", test_carry_chain);
    g_test_add_func("/ppc/jitint/branches", test_branches);
    g_test_add_func("/ppc/jitint/resv-pairs", test_resv_pairs);
    g_test_add_func("/ppc/jitint/load-into-address", test_load_into_address);
    g_test_add_func("/ppc/jitint/loops", test_loops);
    g_test_add_func("/ppc/jitint/mem-runs", test_mem_runs);
    g_test_add_func("/ppc/jitint/real-mode-edges", test_real_mode_edges);
    g_test_add_func("/ppc/jitint/tlb-evict-stats", test_tlb_evict_stats);
    g_test_add_func("/ppc/jitint/traps", test_traps);
    g_test_add_func("/ppc/jitint/compare-branch", test_compare_branch);
    g_test_add_func("/ppc/jitint/fp-arith", test_fp_arith);
    g_test_add_func("/ppc/jitint/traces", test_traces);
    return g_test_run();
}

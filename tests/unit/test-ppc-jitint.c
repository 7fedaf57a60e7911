/*
 * The JIT's native fixed-point instructions against the interpreter: blocks
 * of a few random instructions of the forms the JIT compiles (and their
 * neighbours it leaves to the interpreter, so both kinds mix in one block)
 * run from random registers and XER bits on a CPU with the JIT and on one
 * without, and every register, CR field and XER bit must agree. Carries
 * chain through a block (addc then adde), the way multi-word arithmetic
 * and Linux's code use them.
 */
#include "tests/unit/cpu-harness.h"

#define TRIALS 300
#define BLOCK_LEN 4

typedef struct IntState {
    uint64_t gpr[32];
    uint32_t crf[8];
    uint64_t lr, ctr, nip;
    uint8_t so, ov, ca, ov32, ca32;
} IntState;

static PowerPCCPU *cpu_jit, *cpu_interp;
static GRand *rng;

static void state_put(PowerPCCPU *cpu, const IntState *s)
{
    CPUPPCState *env = &cpu->env;

    memcpy(env->gpr, s->gpr, sizeof(env->gpr));
    memcpy(env->crf, s->crf, sizeof(env->crf));
    env->lr = s->lr;
    env->ctr = s->ctr;
    env->so = s->so;
    env->ov = s->ov;
    env->ca = s->ca;
    env->ov32 = s->ov32;
    env->ca32 = s->ca32;
}

static void state_get(PowerPCCPU *cpu, IntState *s)
{
    CPUPPCState *env = &cpu->env;

    memset(s, 0, sizeof(*s)); /* the padding too: states are compared whole */
    memcpy(s->gpr, env->gpr, sizeof(env->gpr));
    memcpy(s->crf, env->crf, sizeof(env->crf));
    s->lr = env->lr;
    s->ctr = env->ctr;
    s->nip = env->nip;
    s->so = env->so;
    s->ov = env->ov;
    s->ca = env->ca;
    s->ov32 = env->ov32;
    s->ca32 = env->ca32;
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
    s->lr = rnd64() & ~3ull;
    s->ctr = rnd64();
    s->so = rnd(2);
    s->ov = rnd(2);
    s->ca = rnd(2);
    s->ov32 = rnd(2);
    s->ca32 = rnd(2);
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
    g_test_message("%s%s: SO OV CA OV32 CA32 jit %d%d%d%d%d interp %d%d%d%d%d; LR %" PRIx64
                   " %" PRIx64 ", CTR %" PRIx64 " %" PRIx64 ", nip %" PRIx64 " %" PRIx64,
                   what, code->str, jit->so, jit->ov, jit->ca, jit->ov32, jit->ca32, ref->so,
                   ref->ov, ref->ca, ref->ov32, ref->ca32, jit->lr, ref->lr, jit->ctr, ref->ctr,
                   jit->nip, ref->nip);
    g_string_free(code, true);
    g_test_fail();
}

/* The block on both CPUs from state s (the JIT one twice: translated, then cached). */
static void check_block(const uint32_t *insns, unsigned n, const IntState *s)
{
    IntState ref, got;

    cpu_interp->env.msr = MSR_SF | MSR_ME;
    state_put(cpu_interp, s);
    harness_run(cpu_interp, insns, n);
    state_get(cpu_interp, &ref);
    /* All of them ran: none raised an interrupt (whose vector ends the run). */
    if (ref.nip != HARNESS_CODE + 4 * n + 4) {
        for (unsigned k = 0; k < n; k++) {
            g_test_message("insn %08x", insns[k]);
        }
        g_assert_cmphex(ref.nip, ==, HARNESS_CODE + 4 * n + 4);
    }
    for (int pass = 0; pass < 2; pass++) {
        cpu_jit->env.msr = MSR_SF | MSR_ME;
        state_put(cpu_jit, s);
        cpu_jit->env.nip = HARNESS_CODE;
        cpu_jit->env.exit_request = 0;
        ppc_cpu_exec(cpu_jit);
        state_get(cpu_jit, &got);
        assert_same(&got, &ref, pass ? "cached" : "translated", insns, n);
    }
}

/* ---- Encodings ------------------------------------------------------------ */

typedef enum Form {
    XO,    /* opcode 31: RT RA RB OE xo9 Rc */
    XO_RA, /* ... RB unused (addze, neg...) */
    X,     /* opcode 31: RS RA RB xo10 Rc (logical, shifts) */
    X_RS,  /* ... RB unused (extsb, cntlzw...) */
    X_SH,  /* srawi: RS RA SH */
    XS,    /* sradi: RS RA sh xo9 sh5 Rc */
    CMP,   /* opcode 31 cmp/cmpl: BF L RA RB */
    D,     /* opcode: RT RA SI */
    D_CMP, /* cmpi/cmpli: BF L RA SI */
    ISEL,  /* A-form: RT RA RB BC 15 */
    ANY,   /* the opcode with every other bit random (rotates) */
} Form;

typedef struct Spec {
    const char *name;
    Form form;
    unsigned op; /* primary opcode (D, D_CMP, ANY) or extended opcode */
    bool rc;     /* the form has an Rc (or OE) bit worth setting */
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
    /* their neighbours: sraw and srad take steps */
    { "sraw", X, 792, true },
    { "srad", X, 794, true },
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
};

/* A register number, often one of a few so that instructions share them. */
static unsigned rnd_reg(void)
{
    return rnd(2) ? 3 + rnd(4) : rnd(32);
}

static uint32_t encode(const Spec *sp)
{
    unsigned rt = rnd_reg(), ra = rnd_reg(), rb = rnd_reg();
    unsigned rc = sp->rc ? rnd(2) : 0;

    switch (sp->form) {
    case XO:
    case XO_RA: {
        /* OE set now and then (mulh* have none): those forms take steps */
        bool mulh = sp->op == 73 || sp->op == 9 || sp->op == 75 || sp->op == 11;

        return 31u << 26 | rt << 21 | ra << 16 | (sp->form == XO ? rb : 0) << 11 |
               (!mulh && rnd(4) == 0) << 10 | sp->op << 1 | rc;
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

/* Each form alone, then in blocks with random others. */
static void test_spec(gconstpointer data)
{
    const Spec *sp = data;
    IntState s;

    for (int t = 0; t < TRIALS; t++) {
        uint32_t insns[BLOCK_LEN];
        unsigned n = t < TRIALS / 3 ? 1 : 1 + rnd(BLOCK_LEN);

        for (unsigned k = 0; k < n; k++) {
            insns[k] = k == 0 ? encode(sp) : encode(&specs[rnd(G_N_ELEMENTS(specs))]);
        }
        random_state(&s);
        check_block(insns, n, &s);
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
        check_block(chains[t % G_N_ELEMENTS(chains)], BLOCK_LEN, &s);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rng = g_rand_new_with_seed(20261206);
    module_call_init();
    guest_ram_init(16 * MiB);
    cpu_jit = ppc_cpu_create(ppc_cpu_model_default(), 0);
    cpu_interp = ppc_cpu_create(ppc_cpu_model_default(), 1);
    ppc_cpu_set_vhyp(cpu_jit, NULL, &harness_vhyp);
    ppc_cpu_set_vhyp(cpu_interp, NULL, &harness_vhyp);
    harness_set_vectors();
    /* A CPU takes the JIT setting when it first runs. */
    ppc_cpu_set_jit(false);
    cpu_interp->env.msr = MSR_SF | MSR_ME;
    harness_run(cpu_interp, NULL, 0);
    ppc_cpu_set_jit(true);
    cpu_jit->env.msr = MSR_SF | MSR_ME;
    harness_run(cpu_jit, NULL, 0);
    for (size_t k = 0; k < G_N_ELEMENTS(specs); k++) {
        g_autofree char *path = g_strdup_printf("/ppc/jitint/%s", specs[k].name);

        g_test_add_data_func(path, &specs[k], test_spec);
    }
    g_test_add_func("/ppc/jitint/carry-chain", test_carry_chain);
    return g_test_run();
}

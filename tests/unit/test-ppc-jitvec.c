/*
 * The JIT's native vector instructions against the interpreter: each form
 * runs on random registers and memory on a CPU with the JIT and on one
 * without, big- and little-endian, and every piece of state must agree.
 */
#include "tests/unit/cpu-harness.h"

#define DATA_LO 0x1ff00 /* data window: accesses land here, some crossing 0x20000 */
#define DATA_LEN 0x300
#define TRIALS 40

/* The state a vector instruction can read or change. */
typedef struct VecState {
    uint64_t gpr[32];
    ppc_vsr_t vsr[64];
    uint32_t crf[8];
    uint64_t fpscr;
    uint32_t vscr;
    uint64_t nip;
    uint8_t mem[DATA_LEN];
} VecState;

static PowerPCCPU *cpu_jit, *cpu_interp;
static GRand *rng;

static void state_put(PowerPCCPU *cpu, const VecState *s)
{
    CPUPPCState *env = &cpu->env;

    memcpy(env->gpr, s->gpr, sizeof(env->gpr));
    memcpy(env->vsr, s->vsr, sizeof(env->vsr));
    memcpy(env->crf, s->crf, sizeof(env->crf));
    env->fpscr = s->fpscr;
    env->vscr = s->vscr;
    g_assert_true(guest_write(DATA_LO, s->mem, DATA_LEN));
}

static void state_get(PowerPCCPU *cpu, VecState *s)
{
    CPUPPCState *env = &cpu->env;

    memset(s, 0, sizeof(*s)); /* the padding too: states are compared whole */
    memcpy(s->gpr, env->gpr, sizeof(env->gpr));
    memcpy(s->vsr, env->vsr, sizeof(env->vsr));
    memcpy(s->crf, env->crf, sizeof(env->crf));
    s->fpscr = env->fpscr;
    s->vscr = env->vscr;
    s->nip = env->nip;
    g_assert_true(guest_read(DATA_LO, s->mem, DATA_LEN));
}

static uint64_t rnd64(void)
{
    return ((uint64_t)g_rand_int(rng) << 32) | g_rand_int(rng);
}

/*
 * Random vector registers, with elements that compare equal or are zero
 * often enough for the compares and byte searches to see every outcome.
 */
static void random_state(VecState *s)
{
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < 32; i++) {
        s->gpr[i] = rnd64();
    }
    for (int i = 0; i < 64; i++) {
        s->vsr[i].u64[0] = rnd64();
        s->vsr[i].u64[1] = rnd64();
        for (int k = 0; k < 16; k++) {
            unsigned r = g_rand_int_range(rng, 0, 16);

            if (r == 0) {
                s->vsr[i].u8[k] = 0;
            } else if (r == 1 && i) {
                s->vsr[i].u8[k] = s->vsr[i - 1].u8[k];
            }
        }
        if (i && g_rand_int_range(rng, 0, 8) == 0) {
            s->vsr[i] = s->vsr[i - 1];
        }
    }
    for (int i = 0; i < 8; i++) {
        s->crf[i] = g_rand_int_range(rng, 0, 16);
    }
    s->fpscr = 0;
    s->vscr = g_rand_boolean(rng) ? 0x00010000u /* VSCR[NJ] */ : 0;
    for (int i = 0; i < DATA_LEN; i++) {
        s->mem[i] = g_rand_int(rng);
    }
}

static void assert_same(const VecState *jit, const VecState *ref, const char *what, uint32_t insn)
{
    if (memcmp(jit, ref, sizeof(*jit)) == 0) {
        return;
    }
    for (int i = 0; i < 64; i++) {
        if (memcmp(&jit->vsr[i], &ref->vsr[i], 16)) {
            g_test_message("%s %08x: VSR%d jit %016" PRIx64 "%016" PRIx64 " interp %016" PRIx64
                           "%016" PRIx64,
                           what, insn, i, jit->vsr[i].u64[1], jit->vsr[i].u64[0],
                           ref->vsr[i].u64[1], ref->vsr[i].u64[0]);
        }
    }
    for (int i = 0; i < 8; i++) {
        if (jit->crf[i] != ref->crf[i]) {
            g_test_message("%s %08x: CR%d jit %x interp %x", what, insn, i, jit->crf[i],
                           ref->crf[i]);
        }
    }
    for (int i = 0; i < DATA_LEN; i++) {
        if (jit->mem[i] != ref->mem[i]) {
            g_test_message("%s %08x: byte %#x jit %02x interp %02x", what, insn, DATA_LO + i,
                           jit->mem[i], ref->mem[i]);
        }
    }
    if (jit->fpscr != ref->fpscr || jit->vscr != ref->vscr) {
        g_test_message("%s %08x: FPSCR jit %016" PRIx64 " interp %016" PRIx64 ", VSCR %x %x", what,
                       insn, jit->fpscr, ref->fpscr, jit->vscr, ref->vscr);
    }
    for (int i = 0; i < 32; i++) {
        if (jit->gpr[i] != ref->gpr[i]) {
            g_test_message("%s %08x: r%d jit %" PRIx64 " interp %" PRIx64, what, insn, i,
                           jit->gpr[i], ref->gpr[i]);
        }
    }
    g_test_message("%s %08x: nip jit %" PRIx64 " interp %" PRIx64, what, insn, jit->nip, ref->nip);
    g_test_fail();
}

/* insn on both CPUs from state s (the JIT one twice: cold and warm soft TLB). */
static void check_insn(uint32_t insn, const VecState *s, bool le)
{
    VecState ref, got;
    uint64_t msr = MSR_SF | MSR_ME | MSR_FP | MSR_VEC | MSR_VSX | (le ? MSR_LE : 0);

    cpu_interp->env.msr = msr;
    state_put(cpu_interp, s);
    harness_run(cpu_interp, &insn, 1);
    state_get(cpu_interp, &ref);
    for (int pass = 0; pass < 2; pass++) {
        cpu_jit->env.msr = msr;
        state_put(cpu_jit, s);
        cpu_jit->env.nip = HARNESS_CODE;
        cpu_jit->env.exit_request = 0;
        ppc_cpu_exec(cpu_jit);
        state_get(cpu_jit, &got);
        assert_same(&got, &ref, pass ? "warm" : "cold", insn);
    }
}

/* ---- Encodings ------------------------------------------------------------ */

typedef enum Form {
    VX,     /* opcode 4: vD vA vB xo11 */
    VXR,    /* VC compare: also with Rc */
    VA,     /* opcode 4: vD vA vB vC xo6 */
    VSLDOI, /* vD vA vB SHB */
    VIMM,   /* vD, A field an immediate, vB */
    XX3,    /* opcode 60: XT XA XB xo8 */
    XXPDI,  /* xxpermdi */
    XXSEL,  /* XX4 */
    XXSPLTW,
    XXSPLTIB,
    LDX,    /* opcode 31 X-form vector load/store: xo10, XT = TX || T */
    LVX,    /* lvx/stvx: VR */
    LDQ,    /* lxv/stxv DQ form: low 3 bits */
    XXSQRT, /* XX2: XT XB xo9 */
} Form;

typedef struct Spec {
    const char *name;
    Form form;
    unsigned xo;
    unsigned fp; /* VSX float: 8 (binary64 elements) or 4 (binary32) */
} Spec;

static const Spec specs[] = {
    { "vaddubm", VX, 0 },
    { "vadduhm", VX, 64 },
    { "vadduwm", VX, 128 },
    { "vaddudm", VX, 192 },
    { "vsububm", VX, 1024 },
    { "vsubuhm", VX, 1088 },
    { "vsubuwm", VX, 1152 },
    { "vsubudm", VX, 1216 },
    { "vmuluwm", VX, 137 },
    { "vmaxub", VX, 2 },
    { "vmaxuh", VX, 66 },
    { "vmaxuw", VX, 130 },
    { "vmaxsb", VX, 258 },
    { "vmaxsh", VX, 322 },
    { "vmaxsw", VX, 386 },
    { "vminub", VX, 514 },
    { "vminuh", VX, 578 },
    { "vminuw", VX, 642 },
    { "vminsb", VX, 770 },
    { "vminsh", VX, 834 },
    { "vminsw", VX, 898 },
    { "vmuleub", VX, 520 },
    { "vmuloub", VX, 8 },
    { "vmulesb", VX, 776 },
    { "vmulosb", VX, 264 },
    { "vand", VX, 1028 },
    { "vandc", VX, 1092 },
    { "vor", VX, 1156 },
    { "vxor", VX, 1220 },
    { "vnor", VX, 1284 },
    { "vorc", VX, 1348 },
    { "vnand", VX, 1412 },
    { "veqv", VX, 1668 },
    { "vmrghb", VX, 12 },
    { "vmrghh", VX, 76 },
    { "vmrghw", VX, 140 },
    { "vmrglb", VX, 268 },
    { "vmrglh", VX, 332 },
    { "vmrglw", VX, 396 },
    { "vcmpequb", VXR, 6 },
    { "vcmpequh", VXR, 70 },
    { "vcmpequw", VXR, 134 },
    { "vcmpequd", VXR, 199 },
    { "vcmpneb", VXR, 7 },
    { "vcmpneh", VXR, 71 },
    { "vcmpnew", VXR, 135 },
    { "vcmpnezb", VXR, 263 },
    { "vcmpnezh", VXR, 327 },
    { "vcmpnezw", VXR, 391 },
    { "vcmpgtub", VXR, 518 },
    { "vcmpgtuh", VXR, 582 },
    { "vcmpgtuw", VXR, 646 },
    { "vcmpgtud", VXR, 711 },
    { "vcmpgtsb", VXR, 774 },
    { "vcmpgtsh", VXR, 838 },
    { "vcmpgtsw", VXR, 902 },
    { "vcmpgtsd", VXR, 967 },
    { "vsel", VA, 42 },
    { "vperm", VA, 43 },
    { "vpermr", VA, 59 },
    { "vsldoi", VSLDOI, 44 },
    { "vspltb", VIMM, 524 },
    { "vsplth", VIMM, 588 },
    { "vspltw", VIMM, 652 },
    { "vspltisb", VIMM, 780 },
    { "vspltish", VIMM, 844 },
    { "vspltisw", VIMM, 908 },
    { "xxland", XX3, 130 },
    { "xxlandc", XX3, 138 },
    { "xxlor", XX3, 146 },
    { "xxlxor", XX3, 154 },
    { "xxlnor", XX3, 162 },
    { "xxlorc", XX3, 170 },
    { "xxlnand", XX3, 178 },
    { "xxleqv", XX3, 186 },
    { "xxmrghw", XX3, 18 },
    { "xxmrglw", XX3, 50 },
    { "xxperm", XX3, 26 },
    { "xxpermr", XX3, 58 },
    { "xxpermdi", XXPDI, 0 },
    { "xxsel", XXSEL, 0 },
    { "xxspltw", XXSPLTW, 0 },
    { "xxspltib", XXSPLTIB, 0 },
    { "lvx", LVX, 103 },
    { "lvxl", LVX, 359 },
    { "stvx", LVX, 231 },
    { "stvxl", LVX, 487 },
    { "lxvx", LDX, 268 },
    { "stxvx", LDX, 396 },
    { "lxvd2x", LDX, 844 },
    { "stxvd2x", LDX, 972 },
    { "lxvw4x", LDX, 780 },
    { "stxvw4x", LDX, 908 },
    { "lxvh8x", LDX, 812 },
    { "stxvh8x", LDX, 940 },
    { "lxvb16x", LDX, 876 },
    { "stxvb16x", LDX, 1004 },
    { "lxv", LDQ, 1 },
    { "stxv", LDQ, 5 },
    { "vslb", VX, 260 },
    { "vsrb", VX, 516 },
    { "vslw", VX, 388 },
    { "vsld", VX, 1476 },
    { "vsrw", VX, 644 },
    { "vsrd", VX, 1732 },
    { "vsraw", VX, 900 },
    { "xvadddp", XX3, 96, 8 },
    { "xvsubdp", XX3, 104, 8 },
    { "xvmuldp", XX3, 112, 8 },
    { "xvdivdp", XX3, 120, 8 },
    { "xvaddsp", XX3, 64, 4 },
    { "xvsubsp", XX3, 72, 4 },
    { "xvmulsp", XX3, 80, 4 },
    { "xvdivsp", XX3, 88, 4 },
    { "xvmaddadp", XX3, 97, 8 },
    { "xvmaddmdp", XX3, 105, 8 },
    { "xvmsubadp", XX3, 113, 8 },
    { "xvmsubmdp", XX3, 121, 8 },
    { "xvnmaddadp", XX3, 225, 8 },
    { "xvnmaddmdp", XX3, 233, 8 },
    { "xvnmsubadp", XX3, 241, 8 },
    { "xvnmsubmdp", XX3, 249, 8 },
    { "xvmaddasp", XX3, 65, 4 },
    { "xvmaddmsp", XX3, 73, 4 },
    { "xvmsubasp", XX3, 81, 4 },
    { "xvmsubmsp", XX3, 89, 4 },
    { "xvnmaddasp", XX3, 193, 4 },
    { "xvnmaddmsp", XX3, 201, 4 },
    { "xvnmsubasp", XX3, 209, 4 },
    { "xvnmsubmsp", XX3, 217, 4 },
    { "xvsqrtdp", XXSQRT, 203, 8 },
    { "xvsqrtsp", XXSQRT, 139, 4 },
};

static unsigned rnd(unsigned n)
{
    return g_rand_int_range(rng, 0, n);
}

/* An effective address in the data window, split over RA (maybe 0) and RB. */
static void place_ea(VecState *s, unsigned *ra, unsigned *rb)
{
    uint64_t ea = DATA_LO + 0x40 + rnd(DATA_LEN - 0x60);

    *rb = 1 + rnd(31);
    *ra = rnd(32);
    if (*ra == *rb) {
        *ra = 0;
    }
    if (*ra) {
        uint64_t part = rnd64();

        s->gpr[*ra] = part;
        s->gpr[*rb] = ea - part;
    } else {
        s->gpr[*rb] = ea;
    }
}

static uint32_t encode(const Spec *sp, VecState *s)
{
    unsigned t = rnd(64), a = rnd(64), b = rnd(64), c = rnd(64);
    uint32_t vx = (4u << 26) | ((t & 31) << 21) | ((a & 31) << 16) | ((b & 31) << 11);
    uint32_t xx = (60u << 26) | ((t & 31) << 21) | ((a & 31) << 16) | ((b & 31) << 11) |
                  ((a >> 5) << 2) | ((b >> 5) << 1) | (t >> 5);
    unsigned ra, rb;

    switch (sp->form) {
    case VX:
        return vx | sp->xo;
    case VXR:
        return vx | sp->xo | (rnd(2) << 10);
    case VA:
        return vx | ((c & 31) << 6) | sp->xo;
    case VSLDOI:
        return vx | (rnd(16) << 6) | sp->xo;
    case VIMM:
        /* vspltis*: vB must be 0; vsplt*: the UIM's unused high bits vary too */
        if (sp->xo >= 780) {
            vx &= ~(31u << 11);
        }
        return vx | sp->xo;
    case XX3:
        return xx | (sp->xo << 3);
    case XXPDI:
        return xx | 0x50 | (rnd(4) << 8);
    case XXSEL:
        return xx | 0x30 | ((c & 31) << 6) | ((c >> 5) << 3);
    case XXSPLTW:
        return (xx & ~(31u << 16) & ~4u) | (164 << 2) | (rnd(4) << 16);
    case XXSQRT:
        return (xx & ~(31u << 16) & ~4u) | (sp->xo << 2);
    case XXSPLTIB:
        return (60u << 26) | ((t & 31) << 21) | (rnd(256) << 11) | (360 << 1) | (t >> 5);
    case LDX:
    case LVX:
        place_ea(s, &ra, &rb);
        return (31u << 26) | ((t & 31) << 21) | (ra << 16) | (rb << 11) | (sp->xo << 1) |
               (sp->form == LDX ? t >> 5 : 0);
    case LDQ: {
        int dq = (int)rnd(32) - 16;
        uint64_t ea = DATA_LO + 0x80 + 16 * rnd((DATA_LEN - 0x100) / 16) + rnd(2) * 8;

        ra = 1 + rnd(31);
        s->gpr[ra] = ea - 16 * (int64_t)dq;
        return (61u << 26) | ((t & 31) << 21) | (ra << 16) | (((uint32_t)dq & 0xfff) << 4) |
               ((t >> 5) << 3) | sp->xo;
    }
    }
    g_assert_not_reached();
}

/*
 * A float operand: mostly ordinary values of moderate size (so most results
 * are inexact but otherwise exception-free), sometimes a special one.
 */
static uint64_t fp_value(unsigned size)
{
    static const uint64_t special64[] = {
        0,
        0x8000000000000000ull,
        0x7ff0000000000000ull,
        0xfff0000000000000ull,
        0x7ff8000000000000ull,
        0x7ff4000000000001ull,
        0x000fffffffffffffull,
        0x0010000000000000ull,
        0x0010000000000001ull,
        0x7fefffffffffffffull,
        0x3ff0000000000000ull,
        0x0020000000000000ull,
    };
    static const uint32_t special32[] = {
        0,           0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00001u,
        0x007fffffu, 0x00800000u, 0x00800001u, 0x7f7fffffu, 0x3f800000u, 0x01000000u,
    };
    unsigned r = rnd(16);
    uint64_t sign = rnd(2);

    if (size == 8) {
        if (r == 0) {
            return special64[rnd(G_N_ELEMENTS(special64))];
        }
        /* exponent within 2^-30 .. 2^30 */
        return (sign << 63) | ((uint64_t)(1023 - 30 + rnd(61)) << 52) | (rnd64() >> 12);
    }
    if (r == 0) {
        return special32[rnd(G_N_ELEMENTS(special32))];
    }
    return (sign << 31) | ((uint64_t)(127 - 20 + rnd(41)) << 23) | (g_rand_int(rng) >> 9);
}

/* FPSCR: rounding mode, XX/FX sticky bits, UE or XE enables (FEX stays 0). */
static uint64_t fp_fpscr(void)
{
    uint64_t f = 0;

    if (rnd(4) == 0) {
        f |= rnd(4); /* RN */
    }
    if (rnd(2)) {
        f |= 1ull << (63 - 38); /* XX */
    }
    if (rnd(2)) {
        f |= 1ull << (63 - 32); /* FX */
    }
    if (rnd(8) == 0) {
        f |= 1ull << (63 - 58); /* UE */
    }
    if (rnd(8) == 0) {
        f |= 1ull << (63 - 60); /* XE */
        f &= ~(1ull << (63 - 38));
    }
    return f;
}

static void test_spec(gconstpointer data)
{
    const Spec *sp = data;

    for (int trial = 0; trial < TRIALS; trial++) {
        VecState s;
        uint32_t insn;

        random_state(&s);
        if (sp->fp) {
            for (int i = 0; i < 64; i++) {
                for (unsigned k = 0; k < 16 / sp->fp; k++) {
                    uint64_t v = fp_value(sp->fp);

                    if (sp->fp == 8) {
                        s.vsr[i].u64[k] = v;
                    } else {
                        s.vsr[i].u32[k] = (uint32_t)v;
                    }
                }
            }
            s.fpscr = fp_fpscr();
        }
        insn = encode(sp, &s);
        for (int le = 0; le < 2; le++) {
            check_insn(insn, &s, le);
        }
    }
}

/*
 * The facility checks stay the interpreter's: with MSR[VEC]/[VSX] off the
 * compiled block raises the unavailable interrupt, like the interpreter.
 */
static void test_unavailable(void)
{
    static const uint32_t insns[] = {
        0x10011000u, /* vaddubm v0,v1,v2 */
        0xf0011490u, /* xxlor vs0,vs1,vs2 */
        0x7c0018ceu, /* lvx v0,0,r3 */
    };

    for (size_t k = 0; k < ARRAY_SIZE(insns); k++) {
        VecState s, ref, got;
        uint32_t insn = insns[k];

        random_state(&s);
        s.gpr[3] = DATA_LO + 0x100;
        cpu_interp->env.msr = MSR_SF | MSR_ME;
        state_put(cpu_interp, &s);
        harness_run(cpu_interp, &insn, 1);
        state_get(cpu_interp, &ref);
        g_assert_cmphex(ref.nip, ==, (k == 1 ? 0xf44 : 0xf24));
        cpu_jit->env.msr = MSR_SF | MSR_ME;
        state_put(cpu_jit, &s);
        harness_run(cpu_jit, &insn, 1);
        state_get(cpu_jit, &got);
        assert_same(&got, &ref, "unavailable", insn);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rng = g_rand_new_with_seed(20261205);
    harness_jit_pair(&cpu_jit, &cpu_interp);
    /* the vector- and VSX-unavailable vectors (0xf20, 0xf40) */
    guest_stl_be(0xf20, HARNESS_SC1);
    guest_stl_be(0xf40, HARNESS_SC1);
    for (size_t k = 0; k < ARRAY_SIZE(specs); k++) {
        g_autofree char *path = g_strdup_printf("/ppc/jitvec/%s", specs[k].name);

        g_test_add_data_func(path, &specs[k], test_spec);
    }
    g_test_add_func("/ppc/jitvec/unavailable", test_unavailable);
    return g_test_run();
}

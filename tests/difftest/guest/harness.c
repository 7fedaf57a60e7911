/* Difftest guest harness: for each generated test, seed the registers and the scratch buffer,
 * run the test blob, and print "T<n> <hash>" (or every register of one test in dump mode). */
#include <stdint.h>
#include "layout.h"

#define H_PUT_TERM_CHAR 0x58
#define H_RTAS 0xf000
#define H_SUCCESS 0
#define VTY_UNIT 0x71000000UL
#define HCALL_RETRIES 1000

/* The architected XER bits that the tests compare: SO OV CA OV32 CA32. */
#define XER_SO (1ULL << 31)
#define XER_OV (1ULL << 30)
#define XER_CA (1ULL << 29)
#define XER_OV32 (1ULL << 19)
#define XER_CA32 (1ULL << 18)
#define XER_COMPARED (XER_SO | XER_OV | XER_CA | XER_OV32 | XER_CA32)
#define CR0_LT_GT_EQ 0xe0000000U

/* A bit of a 64-bit register in the ISA's numbering (bit 0 is the most significant). */
#define PPC_BIT(n) (1ULL << (63 - (n)))

/* SRR1 after a program interrupt: the reason bits (33:36 and 42:47 are set by the
 * interrupt; 46 says a trap instruction fired), and the MSR bits copied from the
 * interrupted context that the tests control (mode, byte order, privilege, translation). */
#define SRR1_REASON                                                                                \
    (PPC_BIT(33) | PPC_BIT(34) | PPC_BIT(35) | PPC_BIT(36) | PPC_BIT(42) | PPC_BIT(43) |           \
     PPC_BIT(44) | PPC_BIT(45) | PPC_BIT(46) | PPC_BIT(47))
#define MSR_SF PPC_BIT(0)
#define MSR_EE PPC_BIT(48)
#define MSR_PR PPC_BIT(49)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define MSR_LE PPC_BIT(63)
#define SRR1_COMPARED (SRR1_REASON | MSR_SF | MSR_EE | MSR_PR | MSR_IR | MSR_DR | MSR_LE)
/* The facility and floating-point exception mode bits, which the vector classes control. */
#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)
#define MSR_FE0 PPC_BIT(52)
#define MSR_FE1 PPC_BIT(55)
#define SRR1_COMPARED_VEC (SRR1_COMPARED | MSR_VEC | MSR_VSX | MSR_FP | MSR_FE0 | MSR_FE1)

/* Flattened device tree structure tokens (devicetree specification, 5.4). */
#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* One generated test: its blob, the rule saying which result bits the ISA leaves undefined
 * (kind, RA, RB, RT in one word), flags, and CR bits left out of the comparison (vec.h:
 * copies of FPSCR bits where we follow the ISA and QEMU 7.2 does not). */
struct dt_test {
    uint32_t code;
    uint32_t undef;
    uint32_t flags;
    uint32_t crmask;
};
#define DT_F_MEM 1  /* the test addresses the scratch buffer */
#define DT_F_RC 2   /* the undefined-result instruction has Rc=1 */
#define DT_F_TRAP 4 /* a program interrupt (trap) ends the test and is compared */
#define DT_F_FIELD(f) (((f) >> 8) & 7)
#define DT_F_FE0 0x1000          /* the test runs with MSR[FE0]=1 */
#define DT_F_FE1 0x2000          /* the test runs with MSR[FE1]=1 */
#define DT_F_SINGLE 0x4000       /* FPRs mostly hold single-precision values */
#define DT_F_ENABLES 0x8000      /* FPSCR enable bits random (otherwise mostly 0) */
#define DT_F_FCMPO 0x10000       /* fcmpo/fcmpu: FPSCR[C] and VXVC left out (vec.h) */
#define DT_F_SINGLE_FPRF 0x20000 /* single-precision results: denormal FPRF as normal */
#define DT_F_NO_FPRF 0x40000     /* fcfid[u]s, fcfidu: FPRF left out (vec.h) */
#define DT_F_EST 0x80000         /* VSX reciprocal estimates: ZX and FI left out (vec.h) */
#define DT_F_UXOX 0x100000       /* VSX vector: UX left out when OX is set (vec.h) */
#define DT_F_NO_OEUE 0x200000    /* VSX max/min: the test starts with OE=UE=0 (vec.h) */
#define DT_F_FMA 0x400000        /* multiply-adds: VXSNAN left out with VXIMZ (vec.h) */
#define DT_F_QPO 0x1000000       /* xsnmsubqpo last: OX, FEX left out (vec.h) */

enum {
    UNDEF_NONE,
    UNDEF_HI32,
    UNDEF_DIVW,
    UNDEF_DIVWU,
    UNDEF_DIVWE,
    UNDEF_DIVWEU,
    UNDEF_DIVD,
    UNDEF_DIVDU,
    UNDEF_DIVDE,
    UNDEF_DIVDEU,
    UNDEF_MODSW,
    UNDEF_MODUW,
    UNDEF_MODSD,
    UNDEF_MODUD,
    UNDEF_MFOCRF,
    UNDEF_FPSCR_COPY, /* FPR RT holds FPSCR bits (mffs...): compared as the FPSCR is */
    UNDEF_FRE_ZERO,   /* fre[s] RT,RB: with RB = +-0, RT and the FPSCR are left out */
    UNDEF_VR_TARGET,  /* VR RT (VSR 32 + RT) is left out (vrldmi: the ISA over QEMU) */
};

extern const struct dt_test dt_tests[];
extern const uint32_t dt_ntests;
extern const uint64_t dt_image_seed;
extern const uint32_t dt_image_mode; /* 64, or 32: the tests run with MSR[SF]=0 */
/* 0, or the operand profile (vec.h) of a floating-point/vector class */
extern const uint32_t dt_image_vec;
void dt_run(uint32_t blob, uint64_t msr, uint64_t armed, uint64_t vecstate);

/* The fixed areas of layout.h (symbols set in head.S). */
extern volatile uint32_t dt_config[3];
extern volatile uint64_t dt_state_in[DT_ST_WORDS], dt_state_out[DT_ST_WORDS];
extern volatile uint64_t dt_scratch[DT_SCRATCH_SIZE / 8], dt_before[DT_SCRATCH_SIZE / 8];
extern volatile uint64_t dt_trap_rec[DT_TRAP_WORDS];
extern volatile uint64_t dt_vec_in[DT_VEC_WORDS], dt_vec_out[DT_VEC_WORDS];
#define STATE_IN dt_state_in
#define STATE_OUT dt_state_out
#define SCRATCH dt_scratch
#define BEFORE dt_before
#define TRAP_ARMED dt_trap_rec[(DT_TRAP_ARMED - DT_TRAP) / 8]
#define TRAP_VEC dt_trap_rec[(DT_TRAP_VEC - DT_TRAP) / 8]
#define TRAP_SRR0 dt_trap_rec[(DT_TRAP_SRR0 - DT_TRAP) / 8]
#define TRAP_SRR1 dt_trap_rec[(DT_TRAP_SRR1 - DT_TRAP) / 8]

static uint32_t power_off_token;
/* The DT_ST_* parts of the floating-point/vector state this image moves and compares. */
static uint32_t vec_state;

/* The floating-point and vector state of those classes (vec.h, included below). */
static void vec_seed(uint64_t *s, uint32_t flags);
static uint64_t vec_memory(uint64_t *s);
static uint64_t vec_hash(uint64_t h, const struct dt_test *t);
static void vec_dump(const struct dt_test *t);

static long hcall(unsigned long op, unsigned long a1, unsigned long a2, unsigned long a3,
                  unsigned long a4)
{
    register unsigned long r3 asm("r3") = op;
    register unsigned long r4 asm("r4") = a1;
    register unsigned long r5 asm("r5") = a2;
    register unsigned long r6 asm("r6") = a3;
    register unsigned long r7 asm("r7") = a4;

    asm volatile("sc 1"
                 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
                 :
                 : "r0", "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "cr1", "cr5", "cr6",
                   "cr7", "memory");
    return r3;
}

/* H_PUT_TERM_CHAR takes up to 16 bytes packed big-endian in two registers. */
static void put_chunk(const char *s, unsigned len)
{
    unsigned long w[2] = { 0, 0 };

    for (unsigned i = 0; i < len; i++) {
        w[i / 8] |= (unsigned long)(unsigned char)s[i] << (56 - 8 * (i % 8));
    }
    for (int tries = 0; tries < HCALL_RETRIES; tries++) {
        if (hcall(H_PUT_TERM_CHAR, VTY_UNIT, len, w[0], w[1]) == H_SUCCESS) {
            return;
        }
    }
}

static void put_str(const char *s)
{
    unsigned len = 0;

    while (s[len]) {
        len++;
    }
    for (unsigned off = 0; off < len; off += 16) {
        put_chunk(s + off, len - off < 16 ? len - off : 16);
    }
}

/* Line buffer: every output line is built here, then written in one go. */
static char line[160];
static unsigned line_len;

static void out_str(const char *s)
{
    while (*s && line_len < sizeof(line) - 2) {
        line[line_len++] = *s++;
    }
}

static void out_hex(uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";

    for (int i = digits - 1; i >= 0; i--) {
        if (line_len < sizeof(line) - 2) {
            line[line_len++] = hex[(v >> (4 * i)) & 15];
        }
    }
}

static void out_dec(uint32_t v)
{
    char buf[12];
    int n = 0;

    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n > 0 && line_len < sizeof(line) - 2) {
        line[line_len++] = buf[--n];
    }
}

static void out_end(void)
{
    line[line_len++] = '\n';
    line[line_len] = 0;
    put_str(line);
    line_len = 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The RTAS token of "power-off": a u32 property of the /rtas node. */
static uint32_t find_power_off(const uint8_t *fdt)
{
    const uint8_t *p = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    int depth = 0, in_rtas = 0;

    if (be32(fdt) != FDT_MAGIC) {
        return 0;
    }
    for (;;) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            unsigned n = 0;
            while (name[n]) {
                n++;
            }
            depth++;
            in_rtas = depth == 2 && str_eq(name, "rtas");
            p += (n + 4) & ~3U;
        } else if (tok == FDT_END_NODE) {
            depth--;
            in_rtas = 0;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(p);
            const char *name = strings + be32(p + 4);
            if (in_rtas && len == 4 && str_eq(name, "power-off")) {
                return be32(p + 8);
            }
            p += 8 + ((len + 3) & ~3U);
        } else if (tok != FDT_NOP) {
            return 0;
        }
    }
}

/* RTAS argument blocks are big-endian whatever the byte order the guest runs in. */
static uint32_t rtas_word(uint32_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

static void power_off(void)
{
    /* token, nargs 2, nret 1, args 0 and 0, one status word */
    static volatile uint32_t args[6] __attribute__((aligned(8)));

    args[0] = rtas_word(power_off_token);
    args[1] = rtas_word(2);
    args[2] = rtas_word(1);
    args[3] = 0;
    args[4] = 0;
    args[5] = 0;
    hcall(H_RTAS, (unsigned long)args, 0, 0, 0);
    for (;;) {
    }
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Register values biased toward the edges where arithmetic goes wrong. */
static uint64_t interesting(uint64_t *s)
{
    uint64_t r = splitmix(s), v = splitmix(s);

    switch (r & 15) {
    case 0:
        return 0;
    case 1:
        return ~0ULL;
    case 2:
        return v & 63;
    case 3:
        return -(v & 63);
    case 4:
        return 0x7fffffffULL + (int64_t)(int8_t)v % 3;
    case 5:
        return 0xffffffff80000000ULL + (int64_t)(int8_t)v % 3;
    case 6:
        return 0x7fffffffffffffffULL + (int64_t)(int8_t)v % 3;
    case 7:
        return 1ULL << (v & 63);
    case 8:
        return (int64_t)(int32_t)v;
    case 9:
        return (uint32_t)v;
    case 10:
        return 0xffffffffULL + (int64_t)(int8_t)v % 3;
    default:
        return v;
    }
}

static void seed_state(uint32_t index, int mem)
{
    uint64_t s = dt_image_seed ^ (0x2545f4914f6cdd1dULL * (index + 1));

    for (int i = 0; i < 32; i++) {
        STATE_IN[i] = interesting(&s);
    }
    STATE_IN[DT_ST_CR / 8] = (uint32_t)splitmix(&s);
    STATE_IN[DT_ST_XER / 8] = splitmix(&s) & XER_COMPARED;
    STATE_IN[DT_ST_LR / 8] = interesting(&s);
    if (dt_image_mode == 64) {
        STATE_IN[DT_ST_CTR / 8] = (splitmix(&s) & 1) ? splitmix(&s) & 3 : interesting(&s);
    } else {
        /* bdnz and friends test CTR[32:63] only, but decrement all 64 bits */
        uint64_t r = splitmix(&s), v = splitmix(&s);
        STATE_IN[DT_ST_CTR / 8] = (r & 3) == 0   ? v & 3
                                  : (r & 3) == 1 ? (v & ~0xffffffffULL) | ((r >> 8) & 3)
                                                 : interesting(&s);
    }
    if (dt_image_vec) {
        vec_seed(&s, dt_tests[index].flags);
    }
    if (mem) {
        for (int i = 0; i < DT_SCRATCH_SIZE / 8; i++) {
            SCRATCH[i] = BEFORE[i] = dt_image_vec ? vec_memory(&s) : splitmix(&s);
        }
    }
}

static int64_t sext32(uint64_t v)
{
    return (int32_t)v;
}

static uint64_t abs64(int64_t v)
{
    return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* Whether a divide or modulo of these operands has an undefined result (ISA 3.0 3.3.9). */
static int div_undefined(unsigned kind, uint64_t a, uint64_t b)
{
    switch (kind) {
    case UNDEF_DIVW:
    case UNDEF_MODSW:
        return (uint32_t)b == 0 || (sext32(a) == INT32_MIN && sext32(b) == -1);
    case UNDEF_DIVWU:
    case UNDEF_MODUW:
        return (uint32_t)b == 0;
    case UNDEF_DIVWE: {
        int64_t q;
        if ((uint32_t)b == 0) {
            return 1;
        }
        if (sext32(b) == -1) {
            /* the quotient is -(RA || 0^32): only 0 fits in 32 bits */
            return (uint32_t)a != 0;
        }
        q = (int64_t)((uint64_t)(uint32_t)a << 32) / sext32(b);
        return q < INT32_MIN || q > INT32_MAX;
    }
    case UNDEF_DIVWEU:
        return (uint32_t)b == 0 || (uint32_t)a >= (uint32_t)b;
    case UNDEF_DIVD:
    case UNDEF_MODSD:
        return b == 0 || (a == 1ULL << 63 && b == ~0ULL);
    case UNDEF_DIVDU:
    case UNDEF_MODUD:
        return b == 0;
    case UNDEF_DIVDE:
        /* The quotient (RA || 0^64) / RB fits in 64 signed bits when 2|RA| < |RB|; the one
         * case this misses (a quotient of exactly -2^63) is counted as undefined. */
        return b == 0 || abs64(a) >= (abs64(b) + 1) / 2;
    case UNDEF_DIVDEU:
        return b == 0 || a >= b;
    }
    return 0;
}

/* Fill in the bits of the result that the ISA leaves undefined for this test. */
static void undefined_bits(const struct dt_test *t, uint64_t *gpr_undef, uint32_t *cr_undef)
{
    unsigned kind = t->undef >> 24, ra = (t->undef >> 16) & 31;
    unsigned rb = (t->undef >> 8) & 31;
    int word = kind == UNDEF_HI32 || kind == UNDEF_DIVW || kind == UNDEF_DIVWU ||
               kind == UNDEF_DIVWE || kind == UNDEF_DIVWEU || kind == UNDEF_MODSW ||
               kind == UNDEF_MODUW;
    int rc = t->flags & DT_F_RC;

    *cr_undef = t->crmask;
    *gpr_undef = 0;
    if (kind == UNDEF_NONE || kind >= UNDEF_FPSCR_COPY) {
        return;
    }
    if (kind == UNDEF_MFOCRF) {
        /* Only the selected CR field is defined in RT. */
        *gpr_undef = ~(0xfULL << (28 - 4 * DT_F_FIELD(t->flags)));
        return;
    }
    if (word) {
        /* 32-bit multiply-high, divide and modulo leave RT[0:31] undefined, and with Rc=1
         * CR0 LT/GT/EQ, which are set from all 64 bits in 64-bit mode (from RT[32:63],
         * which is defined, in 32-bit mode). */
        *gpr_undef = 0xffffffff00000000ULL;
        *cr_undef |= rc && dt_image_mode == 64 ? CR0_LT_GT_EQ : 0;
    }
    if (kind != UNDEF_HI32 && div_undefined(kind, STATE_IN[ra], STATE_IN[rb])) {
        *gpr_undef = ~0ULL;
        *cr_undef |= rc ? CR0_LT_GT_EQ : 0;
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

/* A trap test's interrupt: vector (0 when no trap fired), SRR0 as an offset into the test
 * blob, SRR1 reduced to the bits the tests define. */
static uint64_t trap_value(const struct dt_test *t, unsigned what)
{
    if (!TRAP_VEC) {
        return 0;
    }
    switch (what) {
    case 0:
        return TRAP_VEC;
    case 1:
        return TRAP_SRR0 - t->code;
    default:
        return TRAP_SRR1 & (dt_image_vec ? SRR1_COMPARED_VEC : SRR1_COMPARED);
    }
}

static uint64_t hash_state(const struct dt_test *t)
{
    unsigned rt = t->undef & 31;
    uint64_t gpr_undef, h = 0xcbf29ce484222325ULL;
    uint32_t cr_undef;

    undefined_bits(t, &gpr_undef, &cr_undef);
    for (unsigned i = 0; i < 32; i++) {
        h = mix(h, STATE_OUT[i] & (i == rt ? ~gpr_undef : ~0ULL));
    }
    h = mix(h, STATE_OUT[DT_ST_CR / 8] & ~(uint64_t)cr_undef & 0xffffffffULL);
    h = mix(h, STATE_OUT[DT_ST_XER / 8] & XER_COMPARED);
    h = mix(h, STATE_OUT[DT_ST_LR / 8]);
    h = mix(h, STATE_OUT[DT_ST_CTR / 8]);
    if (t->flags & DT_F_MEM) {
        for (int i = 0; i < DT_SCRATCH_SIZE / 8; i++) {
            h = mix(h, SCRATCH[i]);
        }
    }
    if (dt_image_vec) {
        h = vec_hash(h, t);
    }
    if ((t->flags & DT_F_TRAP) || dt_image_vec) {
        for (unsigned i = 0; i < 3; i++) {
            h = mix(h, trap_value(t, i));
        }
    }
    return h;
}

static void dump_value(const char *name, uint64_t before, uint64_t after, uint64_t undef)
{
    out_str("D ");
    out_str(name);
    out_str(" ");
    out_hex(before, 16);
    out_str(" ");
    out_hex(after, 16);
    if (undef) {
        out_str(" undefined:");
        out_hex(undef, 16);
    }
    out_end();
}

#include "vec.h"

static void dump_reg(unsigned idx, uint64_t undef)
{
    static const char *const special[] = { "cr", "xer", "lr", "ctr" };
    char name[4] = { 'r', '0' + idx / 10, '0' + idx % 10, 0 };

    if (idx < 10) {
        name[1] = '0' + idx;
        name[2] = 0;
    }
    dump_value(idx < 32 ? name : special[idx - 32], STATE_IN[idx], STATE_OUT[idx], undef);
}

/* Every register before and after, and each changed doubleword of the scratch buffer. */
static void dump_state(const struct dt_test *t)
{
    static const char *const trap[] = { "trap", "srr0-off", "srr1" };
    unsigned rt = t->undef & 31;
    uint64_t gpr_undef;
    uint32_t cr_undef;

    undefined_bits(t, &gpr_undef, &cr_undef);
    for (unsigned i = 0; i < 32; i++) {
        dump_reg(i, i == rt ? gpr_undef : 0);
    }
    for (unsigned i = 0; i < 4; i++) {
        dump_reg(32 + i, i == 0 ? cr_undef : 0);
    }
    if ((t->flags & DT_F_TRAP) || dt_image_vec) {
        for (unsigned i = 0; i < 3; i++) {
            dump_value(trap[i], 0, trap_value(t, i), 0);
        }
    }
    if (dt_image_vec) {
        vec_dump(t);
    }
    if (!(t->flags & DT_F_MEM)) {
        return;
    }
    for (unsigned i = 0; i < DT_SCRATCH_SIZE / 8; i++) {
        if (SCRATCH[i] != BEFORE[i]) {
            out_str("D mem+");
            out_hex(i * 8, 3);
            out_str(" ");
            out_hex(BEFORE[i], 16);
            out_str(" ");
            out_hex(SCRATCH[i], 16);
            out_end();
        }
    }
}

static uint32_t current_test;

static uint64_t mfmsr(void)
{
    uint64_t v;

    asm volatile("mfmsr %0" : "=r"(v));
    return v;
}

static void mtmsrd(uint64_t v)
{
    asm volatile("mtmsrd %0, 0" : : "r"(v) : "memory");
}

/* The MSR a test runs in: the harness's, in 32-bit mode for 32-bit images, with the
 * floating-point exception mode the test asks for. */
static uint64_t test_msr(const struct dt_test *t)
{
    uint64_t msr = mfmsr();

    if (dt_image_mode == 32) {
        msr &= ~MSR_SF;
    }
    if (t->flags & DT_F_FE0) {
        msr |= MSR_FE0;
    }
    if (t->flags & DT_F_FE1) {
        msr |= MSR_FE1;
    }
    return msr;
}

void dt_trap_report(uint64_t vector, uint64_t srr0, uint64_t srr1);

/* An interrupt during a test: say where, then stop (the driver reports the run incomplete). */
void dt_trap_report(uint64_t vector, uint64_t srr0, uint64_t srr1)
{
    out_str("TRAP vector ");
    out_hex(vector, 3);
    out_str(" srr0 ");
    out_hex(srr0, 16);
    out_str(" srr1 ");
    out_hex(srr1, 16);
    out_str(" test ");
    out_dec(current_test);
    out_end();
    if (power_off_token) {
        power_off();
    }
    for (;;) {
    }
}

void dt_main(const uint8_t *fdt);

void dt_main(const uint8_t *fdt)
{
    uint32_t dump = dt_config[0];

    vec_state = dt_image_vec ? dt_config[2] & DT_ST_ALL : 0;

    power_off_token = find_power_off(fdt);
    if (!power_off_token) {
        put_str("difftest: no /rtas power-off token in the device tree\n");
        for (;;) {
        }
    }
    if (dt_image_vec) {
        /* the floating-point, vector and VSX facilities stay on in the harness */
        mtmsrd(mfmsr() | MSR_FP | MSR_VEC | MSR_VSX);
    }
    for (uint32_t i = 0; i < dt_ntests; i++) {
        const struct dt_test *t = &dt_tests[i];
        if (dump != 0xffffffffU && i != dump) {
            continue;
        }
        seed_state(i, t->flags & DT_F_MEM);
        current_test = i;
        TRAP_VEC = 0;
        dt_run(t->code, test_msr(t), dt_image_vec ? 2 : (t->flags & DT_F_TRAP) != 0, vec_state);
        out_str("T");
        out_dec(i);
        out_str(" ");
        out_hex(hash_state(t), 16);
        out_end();
        if (dump == i) {
            dump_state(t);
        }
    }
    out_str("END ");
    out_dec(dt_ntests);
    out_end();
    power_off();
}

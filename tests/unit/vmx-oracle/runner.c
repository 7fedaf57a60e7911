/*
 * Oracle runner for the VMX unit-test tables: a freestanding ppc64le Linux
 * program, run under Debian's qemu-ppc64le (QEMU 7.2), that executes one
 * instruction per input record and writes what it produced.  Not part of
 * the build; gen.py drives it (see README).
 *
 * Record in (192 bytes): insn, CR, GPR rA (r8), VSCR image, vA (v8), vB (v9),
 * vC (v10), vD/vT (v7), GPR rB (r9), GPR rT (r7), flags, 64 bytes of memory.
 * Flag 1: rA is an offset into that memory (loads and stores).
 * Record out (112 bytes): vT, CR, rT, VSCR image (mfvscr), the memory.
 */
typedef unsigned long u64;
typedef unsigned int u32;

#define REC_IN 192
#define REC_OUT 112
#define MAX_RECS 8192
#define TMPL_WORDS 32

static unsigned char inbuf[REC_IN * MAX_RECS] __attribute__((aligned(16)));
static unsigned char outbuf[REC_OUT * MAX_RECS] __attribute__((aligned(16)));

static long sys3(long nr, long a, long b, long c)
{
    register long r0 asm("r0") = nr;
    register long r3 asm("r3") = a;
    register long r4 asm("r4") = b;
    register long r5 asm("r5") = c;

    asm volatile("sc; bns+ 1f; neg %1,%1; 1:"
                 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                 :
                 : "memory", "cr0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr");
    return r3;
}

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r0 asm("r0") = nr;
    register long r3 asm("r3") = a;
    register long r4 asm("r4") = b;
    register long r5 asm("r5") = c;
    register long r6 asm("r6") = d;
    register long r7 asm("r7") = e;
    register long r8 asm("r8") = f;

    asm volatile("sc; bns+ 1f; neg %1,%1; 1:"
                 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
                 :
                 : "memory", "cr0", "r9", "r10", "r11", "r12", "ctr");
    return r3;
}

#define X31(rt, ra, rb, xo) ((31u << 26) | ((rt) << 21) | ((ra) << 16) | ((rb) << 11) | ((xo) << 1))
#define LI11(v) ((14u << 26) | (11u << 21) | (v))
#define LD(rt, off) ((58u << 26) | ((rt) << 21) | (3u << 16) | (off))
#define STD(rs, off) ((62u << 26) | ((rs) << 21) | (4u << 16) | (off))
#define LWZ(rt, off) ((32u << 26) | ((rt) << 21) | (3u << 16) | (off))
#define STW(rs, off) ((36u << 26) | ((rs) << 21) | (4u << 16) | (off))
#define LVX(vt, off) LI11(off), X31(vt, 3, 11, 103)
#define STVX(vs, off) LI11(off), X31(vs, 4, 11, 231)

/* r3 = record, r4 = output; the instruction uses v7-v10 and r7-r9. */
static const u32 tmpl[TMPL_WORDS] = {
    X31(12, 0, 0, 19), /* mfcr r12 */
    LVX(8, 32),
    LVX(9, 48),
    LVX(10, 64),
    LVX(7, 80),
    LVX(0, 16),
    (4u << 26) | 1604, /* mtvscr v0 */
    LD(8, 8),
    LD(9, 96),
    LD(7, 104),
    LWZ(11, 4),
    X31(11, 0, 0, 144) | (0xffu << 12), /* mtcrf 0xff, r11 */
    0,                                  /* the instruction */
    X31(11, 0, 0, 19),                  /* mfcr r11 */
    STW(11, 16),
    STD(7, 24),
    STVX(7, 0),
    (4u << 26) | (0u << 21) | 1540, /* mfvscr v0 */
    STVX(0, 32),
    X31(12, 0, 0, 144) | (0xffu << 12), /* mtcrf 0xff, r12 */
    0x4e800020,                         /* blr */
};
#define INSN_SLOT 17

void _start_c(void)
{
    long n = 0, r;
    u32 *code;

    while ((r = sys3(3, 0, (long)(inbuf + n), sizeof(inbuf) - n)) > 0) {
        n += r;
    }
    n /= REC_IN;
    code = (u32 *)sys6(90, 0, MAX_RECS * TMPL_WORDS * 4, 7, 0x22, -1, 0);
    for (long i = 0; i < n; i++) {
        unsigned char *rec = inbuf + i * REC_IN;
        u32 *c = code + i * TMPL_WORDS;

        for (int k = 0; k < TMPL_WORDS; k++) {
            c[k] = tmpl[k];
        }
        c[INSN_SLOT] = *(u32 *)rec;
        if (*(u32 *)(rec + 112) & 1) {
            *(u64 *)(rec + 8) += (u64)(rec + 128);
        }
        asm volatile("dcbst 0,%0; sync; icbi 0,%0; isync" ::"r"(c + INSN_SLOT) : "memory");
    }
    for (long i = 0; i < n; i++) {
        unsigned char *rec = inbuf + i * REC_IN;
        unsigned char *out = outbuf + i * REC_OUT;
        register unsigned char *r3 asm("r3") = rec;
        register unsigned char *r4 asm("r4") = out;
        register u32 *r12 asm("r12") = code + i * TMPL_WORDS;

        asm volatile("mtctr 12; bctrl"
                     : "+r"(r3), "+r"(r4), "+r"(r12)
                     :
                     : "memory", "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "ctr", "lr",
                       "cr0", "cr1", "cr5", "cr6", "cr7", "v0", "v7", "v8", "v9", "v10");
        for (int k = 0; k < 64; k++) {
            out[48 + k] = rec[128 + k];
        }
    }
    sys3(4, 1, (long)outbuf, n * REC_OUT);
    sys3(234, 0, 0, 0);
}

asm(".globl _start\n"
    "_start:\n"
    "  bl 1f\n"
    "1: mflr 12\n"
    "  addis 2,12,.TOC.-1b@ha\n"
    "  addi 2,2,.TOC.-1b@l\n"
    "  li 0,0\n"
    "  stdu 1,-128(1)\n"
    "  bl _start_c\n"
    "  nop\n");

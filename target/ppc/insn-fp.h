/*
 * The FPSCR (Power ISA 3.0B Book I 4.2.2) and how an operation's IEEE flags
 * update it: shared by the FP instructions and the VSX scalar ones.
 */
#ifndef TARGET_PPC_INSN_FP_H
#define TARGET_PPC_INSN_FP_H

#include "fpu/softfloat.h"
#include "target/ppc/internal.h"

/* FPSCR bits, big-endian numbering of the 64-bit register */
#define FPSCR_DRN PPC_BITMASK(29, 31) /* decimal rounding mode (storage only) */
#define FPSCR_FX PPC_BIT(32)          /* exception summary: an exception bit went 0 -> 1 */
#define FPSCR_FEX PPC_BIT(33)         /* enabled exception summary */
#define FPSCR_VX PPC_BIT(34)          /* invalid operation summary */
#define FPSCR_OX PPC_BIT(35)
#define FPSCR_UX PPC_BIT(36)
#define FPSCR_ZX PPC_BIT(37)
#define FPSCR_XX PPC_BIT(38)
#define FPSCR_VXSNAN PPC_BIT(39)
#define FPSCR_VXISI PPC_BIT(40)
#define FPSCR_VXIDI PPC_BIT(41)
#define FPSCR_VXZDZ PPC_BIT(42)
#define FPSCR_VXIMZ PPC_BIT(43)
#define FPSCR_VXVC PPC_BIT(44)
#define FPSCR_FR PPC_BIT(45) /* the last rounding incremented the fraction */
#define FPSCR_FI PPC_BIT(46) /* the last result was inexact */
#define FPSCR_FPRF PPC_BITMASK(47, 51)
#define FPSCR_FPCC PPC_BITMASK(48, 51) /* FL FG FE FU */
#define FPSCR_FPRF_SHIFT 12
#define FPSCR_VXSOFT PPC_BIT(53)
#define FPSCR_VXSQRT PPC_BIT(54)
#define FPSCR_VXCVI PPC_BIT(55)
#define FPSCR_VE PPC_BIT(56)
#define FPSCR_OE PPC_BIT(57)
#define FPSCR_UE PPC_BIT(58)
#define FPSCR_ZE PPC_BIT(59)
#define FPSCR_XE PPC_BIT(60)
#define FPSCR_NI PPC_BIT(61)
#define FPSCR_RN PPC_BITMASK(62, 63)

#define FPSCR_VX_ALL                                                                               \
    (FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC |           \
     FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)
/* The exception bits whose 0 -> 1 change sets FX. */
#define FPSCR_EXC_BITS (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)
#define FPSCR_ENABLES (FPSCR_VE | FPSCR_OE | FPSCR_UE | FPSCR_ZE | FPSCR_XE)
/* What mtfsf/mtfsfi/mtfsb* can write: DRN and the low word but FEX, VX and bit 52. */
#define FPSCR_WRITABLE (FPSCR_DRN | (PPC_BITMASK(32, 63) & ~(FPSCR_FEX | FPSCR_VX | PPC_BIT(52))))

/* FPRF codes (C FL FG FE FU) */
#define FPRF_QNAN 0x11
#define FPRF_NEG_INF 0x09
#define FPRF_NEG_NORMAL 0x08
#define FPRF_NEG_DENORMAL 0x18
#define FPRF_NEG_ZERO 0x12
#define FPRF_POS_ZERO 0x02
#define FPRF_POS_DENORMAL 0x14
#define FPRF_POS_NORMAL 0x04
#define FPRF_POS_INF 0x05

/* The float_status of an FP instruction: FPSCR[RN], and OE/UE's scaled results. */
static inline float_status ppc_fp_status(const CPUPPCState *env)
{
    float_status s = { .rounding_mode = (uint8_t)(env->fpscr & FPSCR_RN),
                       .rebias_overflow = (env->fpscr & FPSCR_OE) != 0,
                       .rebias_underflow = (env->fpscr & FPSCR_UE) != 0 };
    return s;
}

/* FPRF class of a binary64 result; single: classed as a binary32 value (denormal below 2^-126). */
static inline unsigned ppc_fprf_of(uint64_t r, bool single)
{
    bool neg = r >> 63;
    uint64_t m = r & ~PPC_BIT(0);
    uint64_t min_normal = single ? 0x3810000000000000ULL : 0x0010000000000000ULL;

    if (m > 0x7ff0000000000000ULL) {
        return FPRF_QNAN;
    }
    if (m == 0x7ff0000000000000ULL) {
        return neg ? FPRF_NEG_INF : FPRF_POS_INF;
    }
    if (!m) {
        return neg ? FPRF_NEG_ZERO : FPRF_POS_ZERO;
    }
    if (m < min_normal) {
        return neg ? FPRF_NEG_DENORMAL : FPRF_POS_DENORMAL;
    }
    return neg ? FPRF_NEG_NORMAL : FPRF_POS_NORMAL;
}

/* What ppc_fp_result() tells the instruction to do. */
#define PPC_FP_WRITE 1 /* write the target (no enabled invalid/zero-divide exception) */
#define PPC_FP_TRAP 2  /* an enabled exception occurred and MSR[FE0|FE1] != 0: interrupt */

/* How the instruction sets FPRF. */
enum {
    PPC_FPRF_NONE,   /* left alone (compares set FPCC themselves) */
    PPC_FPRF_CVT,    /* conversions to integer: left alone, but 0x11 for a VE=0 invalid */
    PPC_FPRF_DOUBLE, /* class of the binary64 result */
    PPC_FPRF_SINGLE, /* class of the binary32 result held as binary64 */
    PPC_FPRF_QUAD,   /* class of the binary128 result (r, r_lo): VSX quad precision */
    /*
     * VSX vector forms and the scalar max/min/compares: FR, FI and FPRF are
     * not set; an invalid operation other than a signalling NaN or VXVC,
     * or a zero divide, clears FR and FI (QEMU 7.2).  The flags are those
     * of all elements ORed, so several exception kinds may come at once.
     */
    PPC_FPRF_VECTOR,
};

/*
 * Record one operation in the FPSCR: the sticky exception bits its flags
 * raise, FX for any that went 0 -> 1, VX and FEX summaries, FR and FI, and
 * FPRF from result r when the target is written.  Enabled invalid and
 * zero-divide exceptions leave the target and FPRF alone (FR, FI cleared).
 */
unsigned ppc_fp_result(CPUPPCState *env, uint32_t sflags, uint64_t r, int fprf);
/* The same for a binary128 result (r high doubleword, r_lo low) or any other mode. */
unsigned ppc_fp_result_quad(CPUPPCState *env, uint32_t sflags, uint64_t r, uint64_t r_lo, int fprf);

/*
 * The function behind an FP arithmetic or compare handler that runs the
 * instruction without continuing into the next op (for the JIT's direct
 * calls): false after it raised an interrupt.  NULL for other handlers.
 */
typedef bool PPCFpHelper(CPUPPCState *env, const PPCOp *op);
PPCFpHelper *ppc_fp_helper_of(PPCOpFn *handler);
/* Which of the double-precision fadd, fsub, fmul, fdiv a handler is (the JIT inlines them). */
typedef enum {
    PPC_FP_KIND_OTHER,
    PPC_FP_KIND_ADD,
    PPC_FP_KIND_SUB,
    PPC_FP_KIND_MUL,
    PPC_FP_KIND_DIV,
} PPCFpKind;
PPCFpKind ppc_fp_kind_of(PPCOpFn *handler);
/* The same for the frequent VSX scalar instructions (insn-vsx-fp.c). */
PPCFpHelper *vsx_fp_helper_of(PPCOpFn *handler);

/* Recompute FEX and VX after FPSCR bits were written (mtfsf, mtfsb0/1, mcrfs). */
static inline uint64_t ppc_fpscr_summaries(uint64_t f)
{
    f &= ~(FPSCR_FEX | FPSCR_VX);
    if (f & FPSCR_VX_ALL) {
        f |= FPSCR_VX;
    }
    if (((f >> (63 - 38)) & (f >> (63 - 60)) & 0x1f) || ((f & FPSCR_VX) && (f & FPSCR_VE))) {
        f |= FPSCR_FEX;
    }
    return f;
}

/*
 * Write FPR i.  Doubleword 1 of the VSR becomes 0: the ISA leaves it
 * undefined, and QEMU 7.2 (hence the differential tests) zeroes it.
 */
static inline void ppc_fp_set(CPUPPCState *env, unsigned i, uint64_t v)
{
    VsrD(&env->vsr[i], 0) = v;
    VsrD(&env->vsr[i], 1) = 0;
}

/* CR1 of an FP record form: FX FEX VX OX. */
static inline void ppc_fp_set_cr1(CPUPPCState *env)
{
    env->crf[1] = (env->fpscr >> 28) & 0xf;
}

/*
 * fe_flag/fg_flag of ftdiv/ftsqrt and the VSX test forms (xstdivdp,
 * xvtdivdp/sp, xstsqrtdp, xvtsqrtdp/sp): for a format with the given
 * exponent width and fraction bits, as CR field bits 0b0 fg fe 0.
 */
typedef struct PPCFpTestFmt {
    unsigned frac_bits, exp_bits;
    int emin, emax;
} PPCFpTestFmt;

static const PPCFpTestFmt ppc_ftest_dp = { 52, 11, -1022, 1023 };
static const PPCFpTestFmt ppc_ftest_sp = { 23, 8, -126, 127 };

static inline int ppc_ftest_exp(const PPCFpTestFmt *f, uint64_t x)
{
    return (int)((x >> f->frac_bits) & ((1u << f->exp_bits) - 1)) - f->emax;
}

static inline bool ppc_ftest_is(const PPCFpTestFmt *f, uint64_t x, int what)
{
    uint64_t emask = (1ull << f->exp_bits) - 1;
    uint64_t e = (x >> f->frac_bits) & emask, m = x & ((1ull << f->frac_bits) - 1);

    switch (what) {
    case 0: /* zero */
        return !e && !m;
    case 1: /* infinity */
        return e == emask && !m;
    case 2: /* NaN */
        return e == emask && m;
    default: /* denormal */
        return !e && m;
    }
}

static inline unsigned ppc_ftdiv_flags(const PPCFpTestFmt *f, uint64_t a, uint64_t b)
{
    unsigned fe = 0, fg = 0;

    if (ppc_ftest_is(f, a, 1) || ppc_ftest_is(f, b, 1) || ppc_ftest_is(f, b, 0)) {
        return 4 | 2;
    }
    if (ppc_ftest_is(f, a, 2) || ppc_ftest_is(f, b, 2)) {
        fe = 1;
    } else if (ppc_ftest_exp(f, b) <= f->emin || ppc_ftest_exp(f, b) >= f->emax - 2) {
        fe = 1;
    } else if (!ppc_ftest_is(f, a, 0) &&
               (ppc_ftest_exp(f, a) - ppc_ftest_exp(f, b) >= f->emax ||
                ppc_ftest_exp(f, a) - ppc_ftest_exp(f, b) <= f->emin + 1 ||
                ppc_ftest_exp(f, a) <= f->emin + (int)f->frac_bits)) {
        fe = 1;
    }
    if (ppc_ftest_is(f, b, 3)) {
        fg = 1;
    }
    return (fg ? 4 : 0) | (fe ? 2 : 0);
}

static inline unsigned ppc_ftsqrt_flags(const PPCFpTestFmt *f, uint64_t b, bool neg)
{
    unsigned fe = 0, fg = 0;

    if (ppc_ftest_is(f, b, 1) || ppc_ftest_is(f, b, 0)) {
        return 4 | 2;
    }
    if (ppc_ftest_is(f, b, 2) || neg || ppc_ftest_exp(f, b) <= f->emin + (int)f->frac_bits) {
        fe = 1;
    }
    if (ppc_ftest_is(f, b, 3)) {
        fg = 1;
    }
    return (fg ? 4 : 0) | (fe ? 2 : 0);
}

#endif

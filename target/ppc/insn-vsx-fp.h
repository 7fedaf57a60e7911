/*
 * VSX floating point shared by the scalar, vector and quad-precision files:
 * the FPSCR update is the FP one (insn-fp.h: ppc_fp_result*, with the
 * PPC_FPRF_VECTOR and PPC_FPRF_QUAD modes), plus the FP-enabled interrupt.
 */
#ifndef TARGET_PPC_INSN_VSX_FP_H
#define TARGET_PPC_INSN_VSX_FP_H

#include "fpu/softfloat.h"
#include "target/ppc/insn-fp.h"
#include "target/ppc/insn-vsx.h"

/* The FP-enabled program interrupt for op (SRR1[43]). */
static inline const PPCOp *vsx_fp_trap(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise_program(env, op, SRR1_PROGRAM_FP);
}

/*
 * fe/fg of xvtdiv and xvtsqrt (Book I 7.6), per element, for a format
 * with the given exponent width, bias and fraction bits.
 */
typedef struct VsxTestFmt {
    unsigned frac_bits, exp_bits;
    int emin, emax;
} VsxTestFmt;

static const VsxTestFmt vsx_fmt_dp = { 52, 11, -1022, 1023 };
static const VsxTestFmt vsx_fmt_sp = { 23, 8, -126, 127 };

static inline int vsx_t_exp(const VsxTestFmt *f, uint64_t x)
{
    return (int)((x >> f->frac_bits) & ((1u << f->exp_bits) - 1)) - f->emax;
}

static inline bool vsx_t_is(const VsxTestFmt *f, uint64_t x, int what)
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

static inline unsigned vsx_tdiv_flags(const VsxTestFmt *f, uint64_t a, uint64_t b)
{
    unsigned fe = 0, fg = 0;

    if (vsx_t_is(f, a, 1) || vsx_t_is(f, b, 1) || vsx_t_is(f, b, 0)) {
        return 4 | 2;
    }
    if (vsx_t_is(f, a, 2) || vsx_t_is(f, b, 2)) {
        fe = 1;
    } else if (vsx_t_exp(f, b) <= f->emin || vsx_t_exp(f, b) >= f->emax - 2) {
        fe = 1;
    } else if (!vsx_t_is(f, a, 0) && (vsx_t_exp(f, a) - vsx_t_exp(f, b) >= f->emax ||
                                      vsx_t_exp(f, a) - vsx_t_exp(f, b) <= f->emin + 1 ||
                                      vsx_t_exp(f, a) <= f->emin + (int)f->frac_bits)) {
        fe = 1;
    }
    if (vsx_t_is(f, b, 3)) {
        fg = 1;
    }
    return (fg ? 4 : 0) | (fe ? 2 : 0);
}

static inline unsigned vsx_tsqrt_flags(const VsxTestFmt *f, uint64_t b, bool neg)
{
    unsigned fe = 0, fg = 0;

    if (vsx_t_is(f, b, 1) || vsx_t_is(f, b, 0)) {
        return 4 | 2;
    }
    if (vsx_t_is(f, b, 2) || neg || vsx_t_exp(f, b) <= f->emin + (int)f->frac_bits) {
        fe = 1;
    }
    if (vsx_t_is(f, b, 3)) {
        fg = 1;
    }
    return (fg ? 4 : 0) | (fe ? 2 : 0);
}

#endif

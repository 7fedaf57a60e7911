/*
 * Vector single-precision float instructions (Power ISA 3.0B Book I 6.12):
 * round to nearest even, no exception flags, VSCR[NJ] flushing denormals,
 * the Power NaN rules (the first NaN operand, quieted; 0x7fc00000 when an
 * invalid operation has none), estimates, rounding, conversions, compares.
 */
#include <math.h>

#include "fpu/host-float.h"
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

#define F32_SIGN 0x80000000u
#define F32_EXP 0x7f800000u
#define F32_FRAC 0x007fffffu
#define F32_QUIET 0x00400000u
#define F32_DEFAULT_NAN 0x7fc00000u
#define F32_MIN_NORMAL 0x00800000u

static inline bool f32_is_nan(uint32_t x)
{
    return (x & ~F32_SIGN) > F32_EXP;
}

static inline bool f32_is_denormal(uint32_t x)
{
    return !(x & F32_EXP) && (x & F32_FRAC);
}

/* With NJ, a denormal operand counts as a zero of its sign. */
static inline float f32_in(uint32_t x, bool nj)
{
    return host_float(nj && f32_is_denormal(x) ? x & F32_SIGN : x);
}

/*
 * Whether the exact value p + z (p, z doubles) is below the smallest normal
 * in magnitude: the rounded sum decides unless it is exactly 2^-126, where
 * the sign of the rounding error (Knuth's two-sum, exact) does.
 */
static inline bool below_min_normal(double p, double z)
{
    double s = p + z, bp = s - z, bz = s - bp, e = (p - bp) + (z - bz);

    if (fabs(s) != 0x1p-126) {
        return fabs(s) < 0x1p-126;
    }
    return s > 0 ? e < 0 : e > 0;
}

/*
 * A result: an invalid operation's NaN becomes the default NaN; with NJ a
 * result that is tiny before rounding (the exact value p + z below 2^-126)
 * becomes a zero of its sign, as QEMU's softfloat flushes it.
 */
static inline uint32_t f32_out(float r, double p, double z, bool nj)
{
    uint32_t x = host_float_bits(r);

    if (f32_is_nan(x)) {
        return F32_DEFAULT_NAN;
    }
    if (nj && (x & ~F32_SIGN) <= F32_MIN_NORMAL && (x & ~F32_SIGN) && below_min_normal(p, z)) {
        return x & F32_SIGN;
    }
    return x;
}

/* The first NaN of the operands in the ISA's order, quieted; 0 when none. */
static inline uint32_t f32_pick_nan2(uint32_t a, uint32_t b)
{
    if (f32_is_nan(a)) {
        return a | F32_QUIET;
    }
    if (f32_is_nan(b)) {
        return b | F32_QUIET;
    }
    return 0;
}

static inline uint32_t f32_add(uint32_t a, uint32_t b, bool nj)
{
    uint32_t n = f32_pick_nan2(a, b);
    float x = f32_in(a, nj), y = f32_in(b, nj);

    return n ? n : f32_out(x + y, x, y, nj);
}

static inline uint32_t f32_sub(uint32_t a, uint32_t b, bool nj)
{
    uint32_t n = f32_pick_nan2(a, b);
    float x = f32_in(a, nj), y = f32_in(b, nj);

    return n ? n : f32_out(x - y, x, -(double)y, nj);
}

/* a * c + b, one rounding; NaN order A, B, C.  negate: -(a * c - b). */
static inline uint32_t f32_madd(uint32_t a, uint32_t c, uint32_t b, bool negate, bool nj)
{
    float x = f32_in(a, nj), y = f32_in(c, nj), z = f32_in(b, nj), r;
    uint32_t n = f32_pick_nan2(a, b);

    if (!n && f32_is_nan(c)) {
        n = c | F32_QUIET;
    }
    if (n) {
        return n;
    }
    if (negate) {
        z = -z;
    }
    r = fmaf(x, y, z);
    if (negate && !f32_is_nan(host_float_bits(r))) {
        r = -r;
    }
    /* x * y is exact in double; tininess does not depend on the final negation */
    return f32_out(r, (double)x * y, z, nj);
}

#define VMX_F32_BINARY(name, expr)                                                                 \
    VMX_OP_BEGIN(name)                                                                             \
    bool nj = env->vscr & VSCR_NJ;                                                                 \
    for (unsigned i = 0; i < 4; i++) {                                                             \
        uint32_t x = a->u32[i], y = b->u32[i];                                                     \
        t.u32[i] = (expr);                                                                         \
    }                                                                                              \
    VMX_OP_END

#define VMX_F32_UNARY(name, expr)                                                                  \
    VMX_OP_BEGIN(name)                                                                             \
    bool nj = env->vscr & VSCR_NJ;                                                                 \
    for (unsigned i = 0; i < 4; i++) {                                                             \
        uint32_t x = b->u32[i];                                                                    \
        t.u32[i] = (expr);                                                                         \
    }                                                                                              \
    (void)nj;                                                                                      \
    VMX_OP_END

VMX_F32_BINARY(vaddfp, f32_add(x, y, nj))
VMX_F32_BINARY(vsubfp, f32_sub(x, y, nj))

VMX_OP_BEGIN(vmaddfp)
bool nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_madd(a->u32[i], c->u32[i], b->u32[i], false, nj);
}
VMX_OP_END

VMX_OP_BEGIN(vnmsubfp)
bool nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_madd(a->u32[i], c->u32[i], b->u32[i], true, nj);
}
VMX_OP_END

/* max/min: NaNs propagate; +0 is greater than -0. */
static inline uint32_t f32_max(uint32_t a, uint32_t b, bool nj, bool is_max)
{
    uint32_t n = f32_pick_nan2(a, b);
    float x = f32_in(a, nj), y = f32_in(b, nj);
    uint32_t xa = host_float_bits(x), yb = host_float_bits(y);
    bool a_wins;

    if (n) {
        return n;
    }
    if (x == y) {
        /* equal values: only the zeros' signs can differ */
        a_wins = is_max ? !(xa & F32_SIGN) : (xa & F32_SIGN);
    } else {
        a_wins = is_max ? x > y : x < y;
    }
    return a_wins ? xa : yb;
}

VMX_F32_BINARY(vmaxfp, f32_max(x, y, nj, true))
VMX_F32_BINARY(vminfp, f32_max(x, y, nj, false))

/* Reciprocal estimates, as QEMU 7.2 computes them: 1 / b and 1 / sqrt(b), rounded. */
static inline uint32_t f32_recip(uint32_t b, bool nj)
{
    float y = f32_in(b, nj);

    if (f32_is_nan(b)) {
        return b | F32_QUIET;
    }
    return f32_out(1.0f / y, 1.0 / y, 0, nj);
}

static inline uint32_t f32_rsqrt(uint32_t b, bool nj)
{
    float y = f32_in(b, nj), s;

    if (f32_is_nan(b)) {
        return b | F32_QUIET;
    }
    s = sqrtf(y);
    if (f32_is_nan(host_float_bits(s))) {
        return F32_DEFAULT_NAN;
    }
    return f32_out(1.0f / s, 1.0 / s, 0, nj);
}

VMX_F32_UNARY(vrefp, f32_recip(x, nj))
VMX_F32_UNARY(vrsqrtefp, f32_rsqrt(x, nj))

/* Round to integral in a fixed direction; NaNs quieted. */
static inline uint32_t f32_round(uint32_t b, bool nj, int mode)
{
    float y = f32_in(b, nj);

    if (f32_is_nan(b)) {
        return b | F32_QUIET;
    }
    switch (mode) {
    case 0:
        return host_float_bits(rintf(y));
    case 1:
        return host_float_bits(truncf(y));
    case 2:
        return host_float_bits(ceilf(y));
    default:
        return host_float_bits(floorf(y));
    }
}

VMX_F32_UNARY(vrfin, f32_round(x, nj, 0))
VMX_F32_UNARY(vrfiz, f32_round(x, nj, 1))
VMX_F32_UNARY(vrfip, f32_round(x, nj, 2))
VMX_F32_UNARY(vrfim, f32_round(x, nj, 3))

/* ---- Conversions: fixed point with UIM fraction bits (UIM in the A field) ---- */

VMX_OP_BEGIN(vcfsx)
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = host_float_bits(ldexpf((float)b->s32[i], -(int)op->aux));
}
VMX_OP_END

VMX_OP_BEGIN(vcfux)
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = host_float_bits(ldexpf((float)b->u32[i], -(int)op->aux));
}
VMX_OP_END

/* To fixed point: b * 2^UIM truncated, saturated (SAT); a NaN gives 0. */
static inline uint32_t f32_to_fixed(uint32_t b, unsigned uim, bool is_signed, bool nj, bool *sat)
{
    double v;

    if (f32_is_nan(b)) {
        return 0;
    }
    v = trunc(ldexp((double)f32_in(b, nj), uim));
    if (is_signed) {
        return vmx_clamp_s(v < -0x1p40  ? INT64_MIN / 2
                           : v > 0x1p40 ? INT64_MAX / 2
                                        : (int64_t)v,
                           INT32_MIN, INT32_MAX, sat);
    }
    return vmx_clamp_u(v < -0x1p40 ? -1 : v > 0x1p40 ? INT64_MAX / 2 : (int64_t)v, UINT32_MAX, sat);
}

VMX_OP_BEGIN(vctsxs)
bool sat = false, nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_to_fixed(b->u32[i], op->aux, true, nj, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vctuxs)
bool sat = false, nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_to_fixed(b->u32[i], op->aux, false, nj, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

/* ---- Compares (NaNs compare false); Rc=1 sets CR6 --------------------------- */

#define VMX_F32_CMP(name, expr)                                                                    \
    VMX_OP_BEGIN(name)                                                                             \
    bool nj = env->vscr & VSCR_NJ;                                                                 \
    for (unsigned i = 0; i < 4; i++) {                                                             \
        float x = f32_in(a->u32[i], nj), y = f32_in(b->u32[i], nj);                                \
        t.u32[i] = (expr) ? UINT32_MAX : 0;                                                        \
    }                                                                                              \
    if (op->flags & PPC_OPF_RC) {                                                                  \
        vmx_set_cr6(env, &t);                                                                      \
    }                                                                                              \
    VMX_OP_END

VMX_F32_CMP(vcmpeqfp, x == y)
VMX_F32_CMP(vcmpgefp, x >= y)
VMX_F32_CMP(vcmpgtfp, x > y)

/*
 * Bounds: bit 0 set unless a <= b, bit 1 unless a >= -b (both for a NaN);
 * CR6[EQ] when every element is within bounds.
 */
VMX_OP_BEGIN(vcmpbfp)
bool nj = env->vscr & VSCR_NJ, all_in = true;
for (unsigned i = 0; i < 4; i++) {
    float x = f32_in(a->u32[i], nj), y = f32_in(b->u32[i], nj);
    uint32_t r = (x <= y ? 0 : 0x80000000u) | (x >= -y ? 0 : 0x40000000u);
    t.u32[i] = r;
    all_in &= !r;
}
if (op->flags & PPC_OPF_RC) {
    env->crf[6] = all_in ? CRF_EQ : 0;
}
VMX_OP_END

/* ---- Definitions ---------------------------------------------------------- */

#define TAB(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_TAB, 0, op_##name                                                         \
    }
#define TABC(name, xo)                                                                             \
    {                                                                                              \
#name, xo, VMX_F_TABC, 0, op_##name                                                        \
    }
#define TB(name, xo)                                                                               \
    {                                                                                              \
#name, xo, VMX_F_TAB, VMX_RA_FIELD, op_##name                                              \
    }
#define IMM(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_IMM, 0, op_##name                                                         \
    }
#define CMP(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_CMP, 0, op_##name                                                         \
    }

static const VMXInsn vmx_float_insns[] = {
    TAB(vaddfp, 10),    TAB(vsubfp, 74),    TABC(vmaddfp, 46),  TABC(vnmsubfp, 47),
    TAB(vmaxfp, 1034),  TAB(vminfp, 1098),  TB(vrefp, 266),     TB(vrsqrtefp, 330),
    TB(vrfin, 522),     TB(vrfiz, 586),     TB(vrfip, 650),     TB(vrfim, 714),
    IMM(vcfsx, 842),    IMM(vcfux, 778),    IMM(vctsxs, 970),   IMM(vctuxs, 906),
    CMP(vcmpeqfp, 198), CMP(vcmpgefp, 454), CMP(vcmpgtfp, 710), CMP(vcmpbfp, 966),
};

static void ppc_vmx_float_register(void)
{
    ppc_vmx_register(vmx_float_insns, ARRAY_SIZE(vmx_float_insns));
}

module_init(ppc_vmx_float_register)

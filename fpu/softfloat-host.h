/*
 * Host-FPU fast paths of softfloat.c (included by it only): binary64 results
 * in round-to-nearest, binary32 results in the four FPSCR rounding modes.
 */
#ifndef FPU_SOFTFLOAT_HOST_H
#define FPU_SOFTFLOAT_HOST_H

#include <string.h>

#include "fpu/host-float.h"
#include "fpu/softfloat.h"

/* ---- The host FPU for the common binary64 cases ------------------------------------ */

/*
 * In round-to-nearest, with normal operands and a result well inside the
 * normal range, the host's (x86-64 SSE/FMA) result is the IEEE result, and
 * the exact rounding error can be computed with a few more host operations
 * (two-sum, fused multiply-add residuals): its being nonzero is "inexact",
 * its sign against the result's says whether the magnitude was rounded up.
 * Anything else (other modes, zeros, denormals, infinities, NaNs, results
 * near underflow or overflow, an inconclusive error sign) takes the
 * software path above.
 */
#if defined(__x86_64__)
#define HOST_FMA_TARGET __attribute__((target("fma")))
static bool host_fma;

static void __attribute__((constructor)) softfloat_host_init(void)
{
    __builtin_cpu_init();
    host_fma = __builtin_cpu_supports("fma");
}
#elif defined(__powerpc64__)
/* A ppc64 host (the KVM build): fused multiply-add is in the base ISA. */
#define HOST_FMA_TARGET
static const bool host_fma = true;
#else
#define HOST_FMA_TARGET
static const bool host_fma = false;
#endif

/* 2^-969: above it, product and quotient residuals are exact doubles. */
#define FAST_MIN 0x0360000000000000ULL
/* 2^-900 */
#define QUICK_MIN 0x07b0000000000000ULL
#define F64_INF 0x7ff0000000000000ULL

/* A finite nonzero operand at least FAST_MIN in magnitude. */
static inline bool fast_operand(uint64_t x)
{
    uint64_t m = x & ~(1ULL << 63);
    return m >= FAST_MIN && m < F64_INF;
}

static inline bool fast_mode(const float_status *s)
{
    return s->rounding_mode == float_round_nearest_even && !s->flush_inputs_to_zero &&
           !s->flush_to_zero && !s->no_fast_path;
}

/* r is the rounded result, err = exact - r (exact, or of the exact sign). */
static inline uint64_t fast_done(double r, double err, float_status *s)
{
    if (err != 0) {
        s->flags |= float_flag_inexact;
        if ((host_double_bits(err) ^ host_double_bits(r)) >> 63) {
            s->flags |= float_flag_rounded_up;
        }
    }
    return host_double_bits(r);
}

/* Exact a + b = r + err (Knuth's two-sum). */
static inline double two_sum(double a, double b, double r)
{
    double bb = r - a;
    return (a - (r - bb)) + (b - bb);
}

static bool fast_add(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r;

    if (!fast_mode(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x + y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    *out = fast_done(r, two_sum(x, y, r), s);
    return true;
}

static HOST_FMA_TARGET bool fast_mul(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r;

    if (!host_fma || !fast_mode(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x * y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    *out = fast_done(r, __builtin_fma(x, y, -r), s);
    return true;
}

static HOST_FMA_TARGET bool fast_div(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r, rem;

    if (!host_fma || !fast_mode(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x / y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    /* exact - r = rem / y */
    rem = __builtin_fma(-r, y, x);
    *out = fast_done(r, (host_double_bits(y) >> 63) ? -rem : rem, s);
    return true;
}

static HOST_FMA_TARGET bool fast_sqrt(uint64_t a, uint64_t *out, float_status *s)
{
    double x = host_double(a), r;

    if (!host_fma || !fast_mode(s) || !fast_operand(a) || (a >> 63)) {
        return false;
    }
    r = __builtin_sqrt(x);
    /* sign(sqrt(x) - r) = sign(x - r * r) */
    *out = fast_done(r, __builtin_fma(-r, r, x), s);
    return true;
}

/*
 * a * b + c (flags: the negations) rounded to nearest binary64 in *r, and
 * *rest of the sign of the exact value minus *r (0 when exact).  false when
 * an operand or the result is outside the fast range or the sign of the
 * error is inconclusive.
 */
static HOST_FMA_TARGET bool fast_muladd_core(uint64_t a, uint64_t b, uint64_t c, int flags,
                                             double *out_r, double *out_rest)
{
    double x, y, z, r, ph, pl, u, v, w, p1, q1, p2, q2, p3, q3, rest;

    if (!host_fma || !fast_operand(a) || !fast_operand(b) || !fast_operand(c)) {
        return false;
    }
    x = host_double(a ^ ((uint64_t) !!(flags & float_muladd_negate_product) << 63));
    y = host_double(b);
    z = host_double(c ^ ((uint64_t) !!(flags & float_muladd_negate_c) << 63));
    r = __builtin_fma(x, y, z);
    ph = x * y;
    if (!fast_operand(host_double_bits(r)) || !fast_operand(host_double_bits(ph))) {
        return false;
    }
    /*
     * The common case (an accumulation): z - r is exact (Sterbenz: same sign,
     * within a factor of 2), so x*y + (z - r), the error, is rounded once by
     * the host: of the error's sign, and 0 only when the error is (with the
     * product above 2^-900 the error is a multiple of 2^-1006, never lost).
     */
    if (!((host_double_bits(z) ^ host_double_bits(r)) >> 63) &&
        __builtin_fabs(r) <= 2 * __builtin_fabs(z) && __builtin_fabs(z) <= 2 * __builtin_fabs(r) &&
        (host_double_bits(ph) & ~(1ULL << 63)) >= QUICK_MIN) {
        rest = __builtin_fma(x, y, z - r);
        goto done;
    }
    /* x*y + z - r = (ph - r) + z + pl, summed exactly as an expansion. */
    pl = __builtin_fma(x, y, -ph);
    u = ph + z;
    v = two_sum(ph, z, u); /* ph + z = u + v */
    w = u - r;
    p1 = two_sum(u, -r, w); /* u - r = w + p1 */
    p2 = v + pl;
    q1 = two_sum(v, pl, p2);
    p3 = p1 + p2;
    q2 = two_sum(p1, p2, p3);
    rest = w + p3;
    q3 = two_sum(w, p3, rest);
    /* exact error = rest + q3 + q2 + q1; its sign is rest's when rest dominates */
    if (rest == 0) {
        if (q3 != 0 || q2 != 0 || q1 != 0) {
            return false;
        }
    } else if (__builtin_fabs(rest) <=
               4 * (__builtin_fabs(q3) + __builtin_fabs(q2) + __builtin_fabs(q1))) {
        return false;
    }
done:
    /* The software path rounds the negated value: negate before rounding. */
    if (flags & float_muladd_negate_result) {
        r = -r;
        rest = -rest;
    }
    *out_r = r;
    *out_rest = rest;
    return true;
}

static bool fast_muladd(uint64_t a, uint64_t b, uint64_t c, int flags, uint64_t *out,
                        float_status *s)
{
    double r, rest;

    if (!fast_mode(s) || !fast_muladd_core(a, b, c, flags, &r, &rest)) {
        return false;
    }
    *out = fast_done(r, rest, s);
    return true;
}

/* ---- The host FPU for binary32 results, in every rounding mode --------------------- */

/*
 * A binary32 result is the exact value rounded once to 24 bits.  The host
 * gives r, the exact value rounded to nearest binary64, and err, of the sign
 * of exact - r (0 when r is exact), as above.  From them, the exact value
 * rounded to binary64 "to odd" (truncated toward zero, then the last bit set
 * when inexact) is known; as binary64 has at least 24 + 2 bits, rounding
 * that to binary32 in any mode gives the same result and the same inexact
 * and rounded-up flags as rounding the exact value (no double rounding: a
 * value rounded to odd is never a binary32 tie, nor a binary32 number when
 * inexact).  Results whose magnitude is below binary32's smallest normal or
 * above its largest finite number (tiny or overflowing before rounding,
 * hence flags and rebiasing to work out) take the software path, as do
 * ties-away and round-to-odd and the flush modes.
 */
#define F32_MIN_NORMAL 0x3810000000000000ULL /* 2^-126 as binary64 */
#define F32_MAX 0x47efffffe0000000ULL        /* (2 - 2^-23) * 2^127 */

static inline bool fast_mode32(const float_status *s)
{
    return s->rounding_mode <= float_round_down && !s->flush_inputs_to_zero && !s->flush_to_zero &&
           !s->no_fast_path;
}

/*
 * r, err as above: the binary32 result as binary64 bits in *out.  false:
 * outside the normal binary32 range (nothing raised).
 */
static inline bool fast_round32(double r, double err, uint64_t *out, float_status *s)
{
    uint64_t x = host_double_bits(r), sign = x & (1ULL << 63), mag, low;
    const uint64_t half = 1ULL << 28;
    bool up;

    if (err != 0) {
        /* round to odd: toward zero (one ulp down when exact < |r|), then the last bit set */
        if ((host_double_bits(err) ^ x) >> 63) {
            x -= 1;
        }
        x |= 1;
    }
    mag = x & ~(1ULL << 63);
    if (mag < F32_MIN_NORMAL || mag > F32_MAX) {
        return false;
    }
    low = mag & (2 * half - 1);
    mag -= low;
    if (low) {
        switch (s->rounding_mode) {
        case float_round_nearest_even:
            up = low > half || (low == half && (mag & (2 * half)));
            break;
        case float_round_up:
            up = !sign;
            break;
        case float_round_down:
            up = sign;
            break;
        default:
            up = false;
            break;
        }
        s->flags |= float_flag_inexact;
        if (up) {
            mag += 2 * half;
            s->flags |= float_flag_rounded_up;
        }
    }
    *out = sign | mag;
    return true;
}

/* The binary64 form of a binary32 normal number (false for any other). */
static inline bool widen32_normal(float32 a, uint64_t *out)
{
    uint32_t e = (a >> 23) & 0xff;

    if (e == 0 || e == 0xff) {
        return false;
    }
    *out = ((uint64_t)(a >> 31) << 63) | ((uint64_t)(a & 0x7fffffff) << 29);
    *out += (uint64_t)(1023 - 127) << 52;
    return true;
}

/* A binary64 with binary32 precision and normal range, as binary32. */
static inline float32 narrow32(uint64_t x)
{
    return (float32)((x >> 63) << 31) | (float32)((((x >> 52) & 0x7ff) - (1023 - 127)) << 23) |
           (float32)((x >> 29) & 0x7fffff);
}

static bool fast32_add(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r;

    if (!fast_mode32(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x + y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    return fast_round32(r, two_sum(x, y, r), out, s);
}

static HOST_FMA_TARGET bool fast32_mul(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r;

    if (!host_fma || !fast_mode32(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x * y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    return fast_round32(r, __builtin_fma(x, y, -r), out, s);
}

static HOST_FMA_TARGET bool fast32_div(uint64_t a, uint64_t b, uint64_t *out, float_status *s)
{
    double x = host_double(a), y = host_double(b), r, rem;

    if (!host_fma || !fast_mode32(s) || !fast_operand(a) || !fast_operand(b)) {
        return false;
    }
    r = x / y;
    if (!fast_operand(host_double_bits(r))) {
        return false;
    }
    rem = __builtin_fma(-r, y, x);
    return fast_round32(r, (host_double_bits(y) >> 63) ? -rem : rem, out, s);
}

static HOST_FMA_TARGET bool fast32_sqrt(uint64_t a, uint64_t *out, float_status *s)
{
    double x = host_double(a), r;

    if (!host_fma || !fast_mode32(s) || !fast_operand(a) || (a >> 63)) {
        return false;
    }
    r = __builtin_sqrt(x);
    return fast_round32(r, __builtin_fma(-r, r, x), out, s);
}

/*
 * Multiply-add.  With factors of binary32 precision (their low 29 fraction
 * bits 0, as every binary32 operand), the product is exact in binary64 and
 * the error of the sum is a two-sum's: no fused-multiply-add expansion.
 */
static bool fast32_muladd(uint64_t a, uint64_t b, uint64_t c, int flags, uint64_t *out,
                          float_status *s)
{
    double r, rest;

    if (!fast_mode32(s)) {
        return false;
    }
    if (!((a | b) & 0x1fffffffULL) && fast_operand(a) && fast_operand(b) && fast_operand(c)) {
        double x = host_double(a ^ ((uint64_t) !!(flags & float_muladd_negate_product) << 63));
        double z = host_double(c ^ ((uint64_t) !!(flags & float_muladd_negate_c) << 63));
        double p = x * host_double(b);

        r = p + z;
        if (fast_operand(host_double_bits(p)) && fast_operand(host_double_bits(r))) {
            rest = two_sum(p, z, r);
            if (flags & float_muladd_negate_result) {
                r = -r;
                rest = -rest;
            }
            return fast_round32(r, rest, out, s);
        }
    }
    if (!fast_muladd_core(a, b, c, flags, &r, &rest)) {
        return false;
    }
    return fast_round32(r, rest, out, s);
}

/* frsp: an exact binary64 value rounded to binary32. */
static bool fast32_round(uint64_t a, uint64_t *out, float_status *s)
{
    if (!fast_mode32(s) || !fast_operand(a)) {
        return false;
    }
    return fast_round32(host_double(a), 0, out, s);
}

#endif

/*
 * Unit tests of fpu/softfloat.c: random operands against the host's IEEE
 * arithmetic (x86-64 SSE, and GCC's __float128 for binary128) in every
 * rounding mode, and the PowerPC specifics worked out by hand from Power
 * ISA 3.0B (NaN precedence, tininess before rounding, FR, rebias,
 * saturating conversions, DOUBLE/SINGLE).
 */
#include <fenv.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "fpu/softfloat.h"
#include "fpu/host-float.h"

static const int host_modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Operands that hit the edges: zeros, denormals, near-overflow, near-integers, NaNs. */
static uint64_t rnd_f64(void)
{
    uint64_t r = rnd64(), sign = r & (1ULL << 63);

    switch ((r >> 56) & 15) {
    case 0:
        return sign | (rnd64() & 0x000fffffffffffffULL); /* denormal or zero */
    case 1:
        return sign | 0x7fe0000000000000ULL | (rnd64() & 0x001fffffffffffffULL);
    case 2:
        return sign | (0x0010000000000000ULL + (rnd64() & 0x003fffffffffffffULL));
    case 3:
        return sign | ((0x3ff0000000000000ULL + ((rnd64() & 63) << 52)) | (rnd64() & 0xff));
    case 4:
        return sign | 0x3ff0000000000000ULL | (rnd64() & 0xfff0000000000000ULL >> 12);
    default:
        return sign | ((0x3c00000000000000ULL + (rnd64() % 0x0800000000000000ULL)));
    }
}

static uint32_t rnd_f32(void)
{
    uint64_t r = rnd64();
    uint32_t sign = (uint32_t)r & 0x80000000u;

    switch ((r >> 56) & 7) {
    case 0:
        return sign | ((uint32_t)rnd64() & 0x007fffffu);
    case 1:
        return sign | (0x7f000000u | ((uint32_t)rnd64() & 0x00ffffffu));
    case 2:
        return sign | (0x00800000u + ((uint32_t)rnd64() & 0x01ffffffu));
    default:
        return sign | (0x30000000u + (uint32_t)(rnd64() % 0x20000000u));
    }
}

/* Host exception flags in float_flag_* terms (underflow left out: x86 detects it after rounding). */
static int host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT), r = 0;

    r |= (e & FE_INEXACT) ? float_flag_inexact : 0;
    r |= (e & FE_OVERFLOW) ? float_flag_overflow : 0;
    r |= (e & FE_DIVBYZERO) ? float_flag_divbyzero : 0;
    r |= (e & FE_INVALID) ? 1 << 20 : 0;
    return r;
}

/*
 * The host's flags after a host operation in another rounding mode, and the
 * host's default mode back: softfloat's fast paths use the host FPU and
 * expect it in round-to-nearest, as the emulator always leaves it.
 */
static int host_flags_then_nearest(void)
{
    int r = host_flags();

    fesetround(FE_TONEAREST);
    return r;
}

static int sf_flags(const float_status *s)
{
    return (s->flags & (float_flag_inexact | float_flag_overflow | float_flag_divbyzero)) |
           ((s->flags & float_flag_invalid) ? 1 << 20 : 0);
}

/* NaN results differ from x86's (the default NaN is positive here): compare as "is NaN". */
static void check_random(const char *what, int op, int mode, uint64_t a, uint64_t b, uint64_t c,
                         uint64_t got, uint64_t want, bool nan_both, int gf, int wf)
{
    if ((got != want && !nan_both) || gf != wf) {
        g_error("%s op %d mode %d: %" G_GINT64_MODIFIER "x %" G_GINT64_MODIFIER
                "x %" G_GINT64_MODIFIER "x -> %" G_GINT64_MODIFIER
                "x flags %x, host %" G_GINT64_MODIFIER "x flags %x",
                what, op, mode, a, b, c, got, gf, want, wf);
    }
}

/*
 * 200,000 random operations per rounding mode (add, sub, mul, div, sqrt of
 * |a|, fma) of one format against the host's: bits is 64 or 32, ht the
 * host type, sfx the libm suffix ("" or f), abs_mask clears the sign.
 */
#define RANDOM_TEST(bits, ht, sfx, abs_mask)                                                       \
    static void test_random_f##bits(void)                                                          \
    {                                                                                              \
        for (int mode = 0; mode < 4; mode++) {                                                     \
            for (int i = 0; i < 200000; i++) {                                                     \
                uint##bits##_t a = rnd_f##bits(), b = rnd_f##bits(), c = rnd_f##bits(), r;         \
                float_status s = { .rounding_mode = mode };                                        \
                volatile ht ha = host_##ht(a), hb = host_##ht(b), hc = host_##ht(c), hr;           \
                int hf, op = i % 6;                                                                \
                fesetround(host_modes[mode]);                                                      \
                feclearexcept(FE_ALL_EXCEPT);                                                      \
                switch (op) {                                                                      \
                case 0:                                                                            \
                    hr = ha + hb;                                                                  \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_add(a, b, &s);                                               \
                    break;                                                                         \
                case 1:                                                                            \
                    hr = ha - hb;                                                                  \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_sub(a, b, &s);                                               \
                    break;                                                                         \
                case 2:                                                                            \
                    hr = ha * hb;                                                                  \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_mul(a, b, &s);                                               \
                    break;                                                                         \
                case 3:                                                                            \
                    hr = ha / hb;                                                                  \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_div(a, b, &s);                                               \
                    break;                                                                         \
                case 4:                                                                            \
                    hr = sqrt##sfx(fabs##sfx(ha));                                                 \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_sqrt(a & (abs_mask), &s);                                    \
                    break;                                                                         \
                default:                                                                           \
                    hr = fma##sfx(ha, hb, hc);                                                     \
                    hf = host_flags_then_nearest();                                                \
                    r = float##bits##_muladd(a, b, c, 0, &s);                                      \
                    break;                                                                         \
                }                                                                                  \
                fesetround(FE_TONEAREST);                                                          \
                check_random("f" #bits, op, mode, a, b, c, r, host_##ht##_bits(hr),                \
                             isnan(host_##ht(r)) && isnan(hr), sf_flags(&s), hf);                  \
            }                                                                                      \
        }                                                                                          \
    }

RANDOM_TEST(64, double, , ~(1ULL << 63))
RANDOM_TEST(32, float, f, 0x7fffffffu)

/* binary64 ops rounded to binary32: the host's float of the exact double result is NOT
 * the same (double rounding), so compare with binary32 ops on binary32 operands, which are. */
static void test_random_r32(void)
{
    for (int mode = 0; mode < 4; mode++) {
        for (int i = 0; i < 100000; i++) {
            uint32_t a = rnd_f32(), b = rnd_f32();
            float_status s = { .rounding_mode = mode }, t = { .rounding_mode = mode };
            uint64_t r;
            uint32_t want;

            switch (i % 4) {
            case 0:
                r = float64r32_add(float32_to_float64_raw(a), float32_to_float64_raw(b), &s);
                want = float32_add(a, b, &t);
                break;
            case 1:
                r = float64r32_mul(float32_to_float64_raw(a), float32_to_float64_raw(b), &s);
                want = float32_mul(a, b, &t);
                break;
            case 2:
                r = float64r32_div(float32_to_float64_raw(a), float32_to_float64_raw(b), &s);
                want = float32_div(a, b, &t);
                break;
            default:
                r = float64r32_muladd(float32_to_float64_raw(a), float32_to_float64_raw(b),
                                      float32_to_float64_raw(a), 0, &s);
                want = float32_muladd(a, b, a, 0, &t);
                break;
            }
            g_assert_cmphex(r, ==, float32_to_float64_raw(want));
            g_assert_cmphex(s.flags, ==, t.flags);
        }
    }
}

static float128 q_bits(__float128 q)
{
    float128 f;
    uint64_t w[2];

    memcpy(w, &q, 16);
    f.lo = w[0];
    f.hi = w[1];
    return f;
}

static __float128 q_val(float128 f)
{
    uint64_t w[2] = { f.lo, f.hi };
    __float128 q;

    memcpy(&q, w, 16);
    return q;
}

static float128 rnd_f128(void)
{
    float128 f;
    uint64_t e = (rnd64() % 0x800) + 0x3c00; /* around 1, +-1024 binades */

    if ((rnd64() & 15) == 0) {
        e = rnd64() & 1; /* denormal-ish */
    }
    f.hi = (rnd64() & (1ULL << 63)) | (e << 48) | (rnd64() & 0xffffffffffffULL);
    f.lo = rnd64();
    return f;
}

static void test_random_f128(void)
{
    for (int i = 0; i < 60000; i++) {
        float128 a = rnd_f128(), b = rnd_f128(), r;
        float_status s = { .rounding_mode = float_round_nearest_even };
        __float128 want;

        switch (i % 4) {
        case 0:
            r = float128_add(a, b, &s);
            want = q_val(a) + q_val(b);
            break;
        case 1:
            r = float128_sub(a, b, &s);
            want = q_val(a) - q_val(b);
            break;
        case 2:
            r = float128_mul(a, b, &s);
            want = q_val(a) * q_val(b);
            break;
        default:
            r = float128_div(a, b, &s);
            want = q_val(a) / q_val(b);
            break;
        }
        float128 w = q_bits(want);
        if (r.hi != w.hi || r.lo != w.lo) {
            g_error("f128 op %d: %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                    "x, %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                    "x -> %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                    "x want %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                    i % 4, a.hi, a.lo, b.hi, b.lo, r.hi, r.lo, w.hi, w.lo);
        }
    }
}

/* binary128 square root and fma, checked by identities that hold exactly. */
static void test_f128_sqrt_fma(void)
{
    float_status s = { 0 };
    float128 two = { 0x4000000000000000ULL, 0 }, four = { 0x4001000000000000ULL, 0 };
    float128 r = float128_sqrt(four, &s);

    g_assert_cmphex(r.hi, ==, two.hi);
    g_assert_cmphex(r.lo, ==, 0);
    g_assert_cmphex(s.flags, ==, 0);
    /* sqrt(2) = 1.6a09e667f3bcc908b2fb1366ea957d3e3adec1751... (round to nearest) */
    r = float128_sqrt(two, &s);
    g_assert_cmphex(r.hi, ==, 0x3fff6a09e667f3bcULL);
    g_assert_cmphex(r.lo, ==, 0xc908b2fb1366ea95ULL);
    g_assert_true(s.flags & float_flag_inexact);
    for (int i = 0; i < 20000; i++) {
        float128 a = rnd_f128(), b = rnd_f128();
        float_status t = { 0 };
        a.hi &= ~(1ULL << 63);
        float128 q = float128_sqrt(a, &t);
        /* The host's sqrtq is not in libgcc: check q*q - a against one ulp of a. */
        __float128 qq = q_val(q), av = q_val(a);
        __float128 lo = qq - qq * (__float128)1e-33Q, hi = qq + qq * (__float128)1e-33Q;
        g_assert_true(lo * lo <= av && hi * hi >= av);
        /* fma(a, b, -(a*b rounded)) is the exact rounding error: compare with long arithmetic. */
        float_status u = { 0 };
        float128 p = float128_mul(a, b, &u);
        float128 np = p;
        np.hi ^= 1ULL << 63;
        float128 err = float128_muladd(a, b, np, 0, &u);
        __float128 e = q_val(err);
        /* |err| <= half an ulp of p */
        __float128 ulp = q_val(p) * (__float128)1.0e-34Q;
        if (ulp < 0) {
            ulp = -ulp;
        }
        g_assert_true(e <= ulp && e >= -ulp);
    }
}

/*
 * The host fast path (round to nearest, normal operands and results) must
 * agree with the software path (no_fast_path), flags included (FR: the
 * error's sign), in every mode (the others take the software path).
 */
static void test_fast_path(void)
{
    for (int i = 0; i < 400000; i++) {
        uint64_t a = rnd_f64(), b = rnd_f64(), c = rnd_f64(), r1, r2;
        int op = i % 10, mode = (i >> 4) & 3;
        float_status f = { .rounding_mode = mode },
                     slow = { .rounding_mode = mode, .no_fast_path = true };

        if (op >= 6) {
            /* operands that make exact and cancelling results likely */
            b = (a & ~0xffffULL) ^ (rnd64() & 0x8000000000000003ULL);
            c = a ^ (1ULL << 63);
        } else if (op == 5 && (i & 32)) {
            /* an accumulation: a small product added to an addend near a */
            b = (b & 0x800fffffffffffffULL) | (uint64_t)(1023 - 10 - (i >> 6) % 40) << 52;
            c = (a & ~(1ULL << 63)) ^ (rnd64() & 0x800000000000ffffULL);
        }
        switch (op % 6) {
        case 0:
            r1 = float64_add(a, b, &f);
            r2 = float64_add(a, b, &slow);
            break;
        case 1:
            r1 = float64_sub(a, b, &f);
            r2 = float64_sub(a, b, &slow);
            break;
        case 2:
            r1 = float64_mul(a, b, &f);
            r2 = float64_mul(a, b, &slow);
            break;
        case 3:
            r1 = float64_div(a, b, &f);
            r2 = float64_div(a, b, &slow);
            break;
        case 4:
            r1 = float64_sqrt(a & ~(1ULL << 63), &f);
            r2 = float64_sqrt(a & ~(1ULL << 63), &slow);
            break;
        default:
            r1 = float64_muladd(a, b, c, i & 7, &f);
            r2 = float64_muladd(a, b, c, i & 7, &slow);
            break;
        }
        if (r1 != r2 || f.flags != slow.flags) {
            g_error("op %d: %016" G_GINT64_MODIFIER "x %016" G_GINT64_MODIFIER
                    "x %016" G_GINT64_MODIFIER "x: fast %016" G_GINT64_MODIFIER
                    "x %x, soft %016" G_GINT64_MODIFIER "x %x",
                    op, a, b, c, r1, f.flags, r2, slow.flags);
        }
    }
}

/* A binary64 operand for the binary32 fast path: mostly near binary32's range and its edges. */
static uint64_t rnd_r32_operand(void)
{
    uint64_t r = rnd64(), sign = r & (1ULL << 63);
    uint64_t exp;

    switch ((r >> 56) & 7) {
    case 0: /* a binary32 number (what lfs loads) */
        return host_double_bits((double)host_float(rnd_f32()));
    case 1: /* near the smallest binary32 normal, 2^-126 */
        exp = 1023 - 126 - 2 + (rnd64() % 5);
        break;
    case 2: /* near the largest binary32 finite number */
        exp = 1023 + 127 - 2 + (rnd64() % 4);
        break;
    case 3: /* binary32 precision, moderate exponents: exact results and ties are frequent */
        return sign | ((1023 - 20 + rnd64() % 40) << 52) | (rnd64() & 0x000fffffe0000000ULL);
    case 4: /* few significant bits */
        return sign | ((1023 - 8 + rnd64() % 16) << 52) | (rnd64() & 0x000ff00000000000ULL);
    default:
        exp = 1023 - 60 + rnd64() % 120;
        break;
    }
    return sign | (exp << 52) | (rnd64() & 0x000fffffffffffffULL);
}

/*
 * The binary32 fast paths (float64r32_* and float32_*, every FPSCR rounding
 * mode) agree with the software path bit for bit, flags included, and the
 * host's binary32 arithmetic agrees on binary32 operands.  Most operands are
 * in the fast range (checked), so the comparison is not vacuous.
 */
static void test_fast_path32(void)
{
    unsigned normal_results = 0;
    const unsigned n = 2000000;

    for (unsigned i = 0; i < n; i++) {
        uint64_t a = rnd_r32_operand(), b = rnd_r32_operand(), c = rnd_r32_operand(), r1, r2;
        int mode = (i >> 4) & 3, op = i % 16;
        float_status f = { .rounding_mode = mode },
                     slow = { .rounding_mode = mode, .no_fast_path = true };

        if (op >= 12) {
            /* cancelling and exactly representable results */
            b = (a & ~0x1fffffffULL) ^ (rnd64() & 0x8000000020000000ULL);
            c = a ^ (1ULL << 63);
        }
        if (op & 1) {
            /* binary32 operands: float32_* on their binary32 forms */
            uint32_t x = float64_to_float32_raw(a), y = float64_to_float32_raw(b);
            uint32_t z = float64_to_float32_raw(c);

            switch (op % 8) {
            case 1:
                r1 = float32_add(x, y, &f);
                r2 = float32_add(x, y, &slow);
                break;
            case 3:
                r1 = float32_sub(x, y, &f) ^ (uint64_t)float32_mul(x, z, &f) << 32;
                r2 = float32_sub(x, y, &slow) ^ (uint64_t)float32_mul(x, z, &slow) << 32;
                break;
            case 5:
                r1 = float32_div(x, y, &f) ^ (uint64_t)float32_sqrt(x & 0x7fffffffu, &f) << 32;
                r2 = float32_div(x, y, &slow) ^ (uint64_t)float32_sqrt(x & 0x7fffffffu, &slow)
                                                    << 32;
                break;
            default:
                r1 = float32_muladd(x, y, z, (i >> 6) & 7, &f);
                r2 = float32_muladd(x, y, z, (i >> 6) & 7, &slow);
                break;
            }
        } else {
            switch (op % 8) {
            case 0:
                r1 = float64r32_add(a, b, &f);
                r2 = float64r32_add(a, b, &slow);
                break;
            case 2:
                r1 = float64r32_sub(a, b, &f);
                r2 = float64r32_sub(a, b, &slow);
                break;
            case 4:
                r1 = float64r32_mul(a, c, &f);
                r2 = float64r32_mul(a, c, &slow);
                break;
            case 6:
                if (i & 32) {
                    r1 = float64r32_div(a, b, &f);
                    r2 = float64r32_div(a, b, &slow);
                } else if (i & 64) {
                    r1 = float64r32_sqrt(a & ~(1ULL << 63), &f);
                    r2 = float64r32_sqrt(a & ~(1ULL << 63), &slow);
                } else {
                    r1 = float64r32_round(a, &f);
                    r2 = float64r32_round(a, &slow);
                }
                break;
            default:
                r1 = float64r32_muladd(a, c, b, (i >> 6) & 7, &f);
                r2 = float64r32_muladd(a, c, b, (i >> 6) & 7, &slow);
                break;
            }
        }
        if (r1 != r2 || f.flags != slow.flags) {
            g_error("r32 op %d mode %d: %016" G_GINT64_MODIFIER "x %016" G_GINT64_MODIFIER
                    "x %016" G_GINT64_MODIFIER "x: fast %016" G_GINT64_MODIFIER
                    "x %x, soft %016" G_GINT64_MODIFIER "x %x",
                    op, mode, a, b, c, r1, f.flags, r2, slow.flags);
        }
        if (!(slow.flags & ~(float_flag_inexact | float_flag_rounded_up))) {
            normal_results++;
        }
    }
    /* the fast range (no exception but inexact) is most of what was tried */
    g_assert_cmpuint(normal_results, >, n / 2);
}

static void test_nan_rules(void)
{
    float_status s = { 0 };
    const uint64_t snan_a = 0x7ff0000000000a00ULL, qnan_b = 0xfff8000000000b00ULL;
    const uint64_t one = 0x3ff0000000000000ULL, inf = 0x7ff0000000000000ULL;

    /* The first NaN operand wins, quieted, payload kept. */
    g_assert_cmphex(float64_add(snan_a, qnan_b, &s), ==, 0x7ff8000000000a00ULL);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    s.flags = 0;
    g_assert_cmphex(float64_mul(one, qnan_b, &s), ==, qnan_b);
    g_assert_cmphex(s.flags, ==, 0);
    /* Subtracting a NaN does not flip its sign. */
    g_assert_cmphex(float64_sub(one, qnan_b, &s), ==, qnan_b);
    /* Invalid without NaN operands: the default NaN, one flag per class. */
    g_assert_cmphex(float64_sub(inf, inf, &s), ==, float64_default_nan);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_isi);
    s.flags = 0;
    g_assert_cmphex(float64_div(inf, inf | (1ULL << 63), &s), ==, float64_default_nan);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_idi);
    s.flags = 0;
    g_assert_cmphex(float64_div(0, 1ULL << 63, &s), ==, float64_default_nan);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_zdz);
    s.flags = 0;
    g_assert_cmphex(float64_mul(inf, 0, &s), ==, float64_default_nan);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_imz);
    s.flags = 0;
    g_assert_cmphex(float64_sqrt(0xbff0000000000000ULL, &s), ==, float64_default_nan);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_sqrt);
    s.flags = 0;
    g_assert_cmphex(float64_sqrt(1ULL << 63, &s), ==, 1ULL << 63);
    g_assert_cmphex(float64_div(one, 0, &s), ==, inf);
    g_assert_cmphex(s.flags, ==, float_flag_divbyzero);
    /* fmadd FRA*FRC+FRB: precedence FRA, FRB, FRC = muladd(a, b, c) order a, c, b. */
    s.flags = 0;
    g_assert_cmphex(float64_muladd(one, 0x7ff8000000000001ULL, 0x7ff8000000000002ULL, 0, &s), ==,
                    0x7ff8000000000002ULL);
    g_assert_cmphex(
        float64_muladd(0x7ff8000000000003ULL, 0x7ff8000000000001ULL, 0x7ff8000000000002ULL, 0, &s),
        ==, 0x7ff8000000000003ULL);
    /* inf * 0 + qNaN: VXIMZ and the NaN addend (what POWER and QEMU 7.2 do). */
    g_assert_cmphex(float64_muladd(inf, 0, 0x7ff8000000000001ULL, 0, &s), ==,
                    0x7ff8000000000001ULL);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_imz);
    /* negate_result does not touch a NaN, but does a zero. */
    g_assert_cmphex(float64_muladd(0x7ff8000000000003ULL, one, one, float_muladd_negate_result, &s),
                    ==, 0x7ff8000000000003ULL);
    g_assert_cmphex(float64_muladd(one, one, 0xbff0000000000000ULL, float_muladd_negate_result, &s),
                    ==, 1ULL << 63);
    /* Single-precision results: a NaN loses the fraction bits binary32 has not. */
    s.flags = 0;
    g_assert_cmphex(float64r32_add(0x7ff0000000000123ULL, one, &s), ==, 0x7ff8000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    g_assert_cmphex(float64r32_round(0x7ff8000020000000ULL, &s), ==, 0x7ff8000020000000ULL);
    g_assert_cmphex(float32_add(0x7f800001u, float32_one, &s), ==, 0x7fc00001u);
    g_assert_cmphex(float32_mul(0x7f800000u, 0, &s), ==, float32_default_nan);
}

static void test_rounding_details(void)
{
    float_status s = { 0 };

    /* 1 + 3*2^-54 rounds up (FR), 1 + 2^-54 rounds down (FR clear); both inexact. */
    g_assert_cmphex(float64_add(0x3ff0000000000000ULL, 0x3ca8000000000000ULL, &s), ==,
                    0x3ff0000000000001ULL);
    g_assert_cmphex(s.flags, ==, float_flag_inexact | float_flag_rounded_up);
    s.flags = 0;
    g_assert_cmphex(float64_add(0x3ff0000000000000ULL, 0x3c90000000000000ULL, &s), ==,
                    0x3ff0000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_inexact);
    /* Tininess before rounding: (1+2^-52) * (2^-1022 (1-2^-52)) rounds to 2^-1022 but is tiny. */
    s.flags = 0;
    g_assert_cmphex(float64_mul(0x3ff0000000000001ULL, 0x000fffffffffffffULL, &s), ==,
                    0x0010000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_inexact | float_flag_underflow | float_flag_rounded_up);
    /* Exact tiny result: no underflow unless enabled (rebias: scaled by 2^1536, flagged). */
    s.flags = 0;
    g_assert_cmphex(float64_mul(0x0010000000000000ULL, 0x3fe0000000000000ULL, &s), ==,
                    0x0008000000000000ULL);
    g_assert_cmphex(s.flags, ==, 0);
    s.rebias_underflow = true;
    g_assert_cmphex(float64_mul(0x0010000000000000ULL, 0x3fe0000000000000ULL, &s), ==,
                    0x6000000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_underflow);
    s = (float_status){ .rebias_overflow = true };
    g_assert_cmphex(float64_mul(0x7fe0000000000000ULL, 0x7fe0000000000000ULL, &s), ==,
                    0x5fd0000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_overflow);
    /* Overflow by mode: infinity or the largest finite value. */
    for (int m = 0; m < 4; m++) {
        static const uint64_t want[4] = { 0xfff0000000000000ULL, 0xffefffffffffffffULL,
                                          0xffefffffffffffffULL, 0xfff0000000000000ULL };
        s = (float_status){ .rounding_mode = m };
        g_assert_cmphex(float64_mul(0xffe0000000000000ULL, 0x7fe0000000000000ULL, &s), ==, want[m]);
        g_assert_cmphex(s.flags & (float_flag_overflow | float_flag_inexact), ==,
                        float_flag_overflow | float_flag_inexact);
    }
    /* Exact zero sums: +0, or -0 rounding down. */
    s = (float_status){ 0 };
    g_assert_cmphex(float64_sub(0x3ff0000000000000ULL, 0x3ff0000000000000ULL, &s), ==, 0);
    s.rounding_mode = float_round_down;
    g_assert_cmphex(float64_sub(0x3ff0000000000000ULL, 0x3ff0000000000000ULL, &s), ==, 1ULL << 63);
    /* Round to odd: inexact results get their last bit set. */
    s = (float_status){ .rounding_mode = float_round_to_odd };
    g_assert_cmphex(float64_add(0x3ff0000000000000ULL, 0x3c90000000000000ULL, &s), ==,
                    0x3ff0000000000001ULL);
    g_assert_cmphex(float64_add(0x3ff0000000000000ULL, 0x3cb0000000000000ULL, &s), ==,
                    0x3ff0000000000001ULL);
    g_assert_cmphex(float64_add(0x3ff0000000000002ULL, 0x3c90000000000000ULL, &s), ==,
                    0x3ff0000000000003ULL);
}

static void test_round_to_int(void)
{
    static const struct {
        uint64_t in;
        uint64_t out[6]; /* nearest-even, zero, up, down, ties-away, odd */
    } cases[] = {
        { 0x4004000000000000ULL, /* 2.5 */
          { 0x4000000000000000ULL, 0x4000000000000000ULL, 0x4008000000000000ULL,
            0x4000000000000000ULL, 0x4008000000000000ULL, 0x4008000000000000ULL } },
        { 0xbfe0000000000000ULL, /* -0.5 */
          { 1ULL << 63, 1ULL << 63, 1ULL << 63, 0xbff0000000000000ULL, 0xbff0000000000000ULL,
            0xbff0000000000000ULL } },
        { 0x3fe8000000000000ULL, /* 0.75 */
          { 0x3ff0000000000000ULL, 0, 0x3ff0000000000000ULL, 0, 0x3ff0000000000000ULL,
            0x3ff0000000000000ULL } },
        { 0x4330000000000001ULL, /* 2^52 + 1: already integral */
          { 0x4330000000000001ULL, 0x4330000000000001ULL, 0x4330000000000001ULL,
            0x4330000000000001ULL, 0x4330000000000001ULL, 0x4330000000000001ULL } },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (int m = 0; m < 6; m++) {
            float_status s = { .rounding_mode = m };
            g_assert_cmphex(float64_round_to_int(cases[i].in, &s), ==, cases[i].out[m]);
        }
    }
    float_status s = { 0 };
    g_assert_cmphex(float64_round_to_int(0x7ff0000000000001ULL, &s), ==, 0x7ff8000000000001ULL);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
}

static void test_int_conversions(void)
{
    float_status s = { 0 };

    g_assert_cmpint(float64_to_int32(0x3ff8000000000000ULL, &s), ==, 2); /* 1.5 */
    g_assert_cmphex(s.flags, ==, float_flag_inexact | float_flag_rounded_up);
    s.flags = 0;
    g_assert_cmpint(float64_to_int32(0x41e0000000000000ULL, &s), ==, INT32_MAX); /* 2^31 */
    g_assert_cmphex(s.flags, ==, float_flag_invalid_cvi);
    g_assert_cmpint(float64_to_int32(0xc1e0000000000000ULL, &s), ==, INT32_MIN); /* -2^31 fits */
    s.flags = 0;
    g_assert_cmpint(float64_to_int32(0x7ff8000000000000ULL, &s), ==, INT32_MIN);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_cvi);
    s.flags = 0;
    g_assert_cmpint(float64_to_int64(0x7ff0000000000001ULL, &s), ==, INT64_MIN);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_cvi | float_flag_invalid_snan);
    s.flags = 0;
    g_assert_cmpuint(float64_to_uint32(0xbff0000000000000ULL, &s), ==, 0);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_cvi);
    /* -0.25 rounds to zero: no invalid, only inexact */
    s.flags = 0;
    g_assert_cmpuint(float64_to_uint64(0xbfd0000000000000ULL, &s), ==, 0);
    g_assert_cmphex(s.flags, ==, float_flag_inexact);
    g_assert_cmpuint(float64_to_uint64(0x43f0000000000000ULL, &s), ==, UINT64_MAX); /* 2^64 */
    g_assert_cmpuint(float64_to_uint64(0x43efffffffffffffULL, &s), ==, 0xfffffffffffff800ULL);
    g_assert_cmpint(float64_to_int64(0xc3e0000000000000ULL, &s), ==, INT64_MIN);
    s = (float_status){ .rounding_mode = float_round_down };
    g_assert_cmpint(float64_to_int64(0xbfd0000000000000ULL, &s), ==, -1);
    s = (float_status){ .rounding_mode = float_round_up };
    g_assert_cmpint(float64_to_int64(0x3e00000000000000ULL, &s), ==, 1);
    /* And back. */
    s = (float_status){ 0 };
    g_assert_cmphex(int64_to_float64(-1, &s), ==, 0xbff0000000000000ULL);
    g_assert_cmphex(uint64_to_float64(UINT64_MAX, &s), ==, 0x43f0000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_inexact | float_flag_rounded_up);
    g_assert_cmphex(int64_to_float64(INT64_MIN, &s), ==, 0xc3e0000000000000ULL);
    g_assert_cmphex(int64_to_float64(0, &s), ==, 0);
    g_assert_cmphex(int64_to_float64r32(0x1000001, &s), ==, 0x4170000000000000ULL);
    g_assert_cmphex(int32_to_float32(-3, &s), ==, 0xc0400000u);
    float128 q = int64_to_float128(-3, &s);
    g_assert_cmphex(q.hi, ==, 0xc000800000000000ULL);
    g_assert_cmpint(float128_to_int64(q, &s), ==, -3);
    /* Random round trips through the host's conversions (nearest and toward zero). */
    for (int i = 0; i < 100000; i++) {
        uint64_t a = rnd_f64();
        double d = host_double(a);
        float_status t = { .rounding_mode = float_round_to_zero };
        if (isnan(d) || fabs(d) >= 9.2e18) {
            continue;
        }
        g_assert_cmpint(float64_to_int64(a, &t), ==, (int64_t)d);
        int64_t v = (int64_t)rnd64() >> (rnd64() & 63);
        t.rounding_mode = 0;
        g_assert_cmphex(int64_to_float64(v, &t), ==, host_double_bits((double)v));
    }
}

/*
 * The host fast paths of round-to-integral (every mode) and of the
 * truncating word conversions against the software path, on random
 * operands and on ones near the boundaries: 1, 2^31, 2^32, 2^52, halves.
 */
static void test_fast_round_convert(void)
{
    static const uint64_t near[] = { 0x3ff0000000000000ULL, 0x41e0000000000000ULL,
                                     0x41f0000000000000ULL, 0x4330000000000000ULL,
                                     0x3fe0000000000000ULL, 0x4004000000000000ULL };

    for (int i = 0; i < 300000; i++) {
        uint64_t a = rnd_f64();
        int mode = i % 6;
        float_status f = { .rounding_mode = mode },
                     slow = { .rounding_mode = mode, .no_fast_path = true };

        if (i & 8) {
            /* a few ulps around a boundary, or a value with a short fraction */
            a = near[(i >> 4) % G_N_ELEMENTS(near)] + (rnd64() & 7) - 3;
            a ^= rnd64() & (1ULL << 63);
        } else if (i & 16) {
            a = (a & 0x800fffffffff0000ULL) | (uint64_t)(1023 + (i >> 5) % 60) << 52;
        }
        g_assert_cmphex(float64_round_to_int(a, &f), ==, float64_round_to_int(a, &slow));
        g_assert_cmphex(f.flags, ==, slow.flags);
        f = (float_status){ .rounding_mode = float_round_to_zero };
        slow = (float_status){ .rounding_mode = float_round_to_zero, .no_fast_path = true };
        g_assert_cmpint(float64_to_int32(a, &f), ==, float64_to_int32(a, &slow));
        g_assert_cmpuint(float64_to_uint32(a, &f), ==, float64_to_uint32(a, &slow));
        g_assert_cmphex(f.flags, ==, slow.flags);
    }
}

static void test_format_conversions(void)
{
    float_status s = { 0 };

    g_assert_cmphex(float32_to_float64(0x7f800001u, &s), ==, 0x7ff8000020000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    s.flags = 0;
    g_assert_cmphex(float64_to_float32(0x3ff0000010000000ULL, &s), ==, 0x3f800000u); /* tie: even */
    g_assert_cmphex(float64_to_float32(0x3ff0000030000000ULL, &s), ==, 0x3f800002u);
    g_assert_cmphex(float64_to_float32(0x36a0000000000000ULL, &s), ==, 0x00000001u); /* 2^-149 */
    g_assert_cmphex(float64_to_float32(0x3690000000000000ULL, &s), ==, 0); /* 2^-150: tie to 0 */
    g_assert_true(s.flags & float_flag_underflow);
    float128 q = float64_to_float128(0x3ff8000000000000ULL, &s);
    g_assert_cmphex(q.hi, ==, 0x3fff800000000000ULL);
    g_assert_cmphex(q.lo, ==, 0);
    q.lo = 1;
    s.flags = 0;
    g_assert_cmphex(float128_to_float64(q, &s), ==, 0x3ff8000000000000ULL);
    g_assert_cmphex(s.flags, ==, float_flag_inexact);
    /* DOUBLE and SINGLE (lfs / stfs) */
    g_assert_cmphex(float32_to_float64_raw(0x00000001u), ==, 0x36a0000000000000ULL);
    g_assert_cmphex(float32_to_float64_raw(0x7f800001u), ==, 0x7ff0000020000000ULL);
    g_assert_cmphex(float32_to_float64_raw(0x80000000u), ==, 1ULL << 63);
    g_assert_cmphex(float64_to_float32_raw(0x36a0000000000000ULL), ==, 1);
    g_assert_cmphex(float64_to_float32_raw(0x3ff0000010000000ULL), ==, 0x3f800000u); /* truncates */
    g_assert_cmphex(float64_to_float32_raw(0x7ff0000020000000ULL), ==, 0x7f800001u);
    g_assert_cmphex(float64_to_float32_raw(0x8000000000000001ULL), ==, 0x80000000u);
    for (int i = 0; i < 100000; i++) {
        uint32_t f = rnd_f32();
        g_assert_cmphex(float64_to_float32_raw(float32_to_float64_raw(f)), ==, f);
    }
}

static void test_compare_minmax(void)
{
    float_status s = { 0 };

    g_assert_cmpint(float64_compare_quiet(0, 1ULL << 63, &s), ==, float_relation_equal);
    g_assert_cmpint(float64_compare_quiet(0xbff0000000000000ULL, 0, &s), ==, float_relation_less);
    g_assert_cmpint(float64_compare_quiet(0xbff0000000000000ULL, 0xc000000000000000ULL, &s), ==,
                    float_relation_greater);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmpint(float64_compare_quiet(0x7ff8000000000000ULL, 0, &s), ==,
                    float_relation_unordered);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmpint(float64_compare(0x7ff8000000000000ULL, 0, &s), ==, float_relation_unordered);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_vc);
    s.flags = 0;
    g_assert_cmpint(float64_compare_quiet(0x7ff0000000000001ULL, 0, &s), ==,
                    float_relation_unordered);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    s.flags = 0;
    g_assert_cmphex(float64_maxnum(0, 1ULL << 63, &s), ==, 0);
    g_assert_cmphex(float64_minnum(0, 1ULL << 63, &s), ==, 1ULL << 63);
    g_assert_cmphex(float64_maxnum(0x7ff8000000000000ULL, 0x3ff0000000000000ULL, &s), ==,
                    0x3ff0000000000000ULL);
    g_assert_cmphex(float64_minnum(0x3ff0000000000000ULL, 0x4000000000000000ULL, &s), ==,
                    0x3ff0000000000000ULL);
    g_assert_cmphex(s.flags, ==, 0);
    for (int i = 0; i < 100000; i++) {
        uint64_t a = rnd_f64(), b = rnd_f64();
        double x = host_double(a), y = host_double(b);
        int want = isnan(x) || isnan(y) ? float_relation_unordered : x < y ? -1 : x > y ? 1 : 0;
        g_assert_cmpint(float64_compare_quiet(a, b, &s), ==, want);
    }
    g_assert_cmpint(float64_classify(0x0000000000000001ULL), ==, float_class_denormal);
    g_assert_cmpint(float64_classify(0x7ff0000000000001ULL), ==, float_class_snan);
    g_assert_cmpint(float32_classify(0x7fc00000u), ==, float_class_qnan);
}

/* ---- binary16 and the 64-bit-significand rounding (VSX half precision, xsrqpxp) ---- */

static double h_val(uint16_t h)
{
    _Float16 f;

    memcpy(&f, &h, 2);
    return (double)f;
}

static uint16_t h_bits(_Float16 f)
{
    uint16_t h;

    memcpy(&h, &f, 2);
    return h;
}

/*
 * The flags a narrowing conversion of x must raise, from the host's
 * (GCC's _Float16/long double conversions, IEEE) and from x itself: UX is
 * POWER's "tiny before rounding" (0 < |x| < min_normal) and inexact, FR
 * that the result's magnitude exceeds x's.
 */
static int want_narrow_flags(int host, bool tiny, bool up)
{
    int f = host & ~float_flag_underflow;

    if (tiny && (host & float_flag_inexact)) {
        f |= float_flag_underflow;
    }
    if (up && !(host & float_flag_overflow)) {
        f |= float_flag_rounded_up;
    }
    return f;
}

static int all_flags(const float_status *s)
{
    return (s->flags & (float_flag_inexact | float_flag_overflow | float_flag_underflow |
                        float_flag_rounded_up)) |
           ((s->flags & float_flag_invalid) ? 1 << 20 : 0);
}

/* Every binary16 value widens exactly (an sNaN quieted, raising invalid). */
static void test_f16_widen(void)
{
    for (uint32_t h = 0; h < 0x10000; h++) {
        float_status s = { .rounding_mode = h & 3 };
        uint64_t d = float16_to_float64(h, &s);
        int df = all_flags(&s);
        uint32_t f;

        s.flags = 0;
        f = float16_to_float32(h, &s);
        if (float16_is_any_nan(h)) {
            /* quiet bit set, the 9 payload bits below it kept, the sign kept */
            g_assert_cmphex(d, ==,
                            ((uint64_t)(h >> 15) << 63) | 0x7ff8000000000000ULL |
                                ((uint64_t)(h & 0x1ff) << 42));
            g_assert_cmphex(
                f, ==, ((uint32_t)(h >> 15) << 31) | 0x7fc00000u | ((uint32_t)(h & 0x1ff) << 13));
            g_assert_cmpint(df, ==, float16_is_signaling_nan(h) ? 1 << 20 : 0);
            g_assert_cmphex(s.flags, ==, float16_is_signaling_nan(h) ? float_flag_invalid_snan : 0);
            continue;
        }
        g_assert_cmphex(d, ==, host_double_bits(h_val(h)));
        g_assert_cmphex(f, ==, host_float_bits((float)h_val(h)));
        g_assert_cmpint(df, ==, 0);
        g_assert_cmpint(all_flags(&s), ==, 0);
    }
    g_assert_cmpint(float16_classify(0x0001), ==, float_class_denormal);
    g_assert_cmpint(float16_classify(0x8400), ==, float_class_normal);
    g_assert_cmpint(float16_classify(0xfc00), ==, float_class_inf);
    g_assert_cmpint(float16_classify(0x7e00), ==, float_class_qnan);
    g_assert_cmpint(float16_classify(0x7c01), ==, float_class_snan);
    g_assert_cmpint(float16_classify(0x8000), ==, float_class_zero);
}

/* Doubles around binary16's range: normals, denormals, overflow, ties. */
static uint64_t rnd_f64_near_half(void)
{
    uint64_t r = rnd64(), sign = r & (1ULL << 63);
    uint64_t e = 1023 - 27 + (r >> 40) % 46; /* 2^-27 .. 2^18 */
    uint64_t frac = rnd64() & 0x000fffffffffffffULL;

    switch ((r >> 32) & 7) {
    case 0:
        frac &= 0xfffc000000000000ULL >> 12; /* exact or a tie at binary16's precision */
        break;
    case 1:
        return rnd_f64();
    default:
        break;
    }
    return sign | (e << 52) | frac;
}

static void test_f16_narrow(void)
{
    for (int mode = 0; mode < 4; mode++) {
        for (int i = 0; i < 200000; i++) {
            bool from32 = i & 1;
            volatile double hd = host_double(rnd_f64_near_half());
            volatile float hs = (float)hd; /* exact enough: any binary32 operand will do */
            double x = from32 ? (double)hs : hd;
            uint64_t a = host_double_bits(x);
            float_status s = { .rounding_mode = mode };
            uint16_t r, want;
            int hf;

            fesetround(host_modes[mode]);
            feclearexcept(FE_ALL_EXCEPT);
            want = from32 ? h_bits((_Float16)hs) : h_bits((_Float16)hd);
            hf = host_flags();
            fesetround(FE_TONEAREST);
            r = from32 ? float32_to_float16(host_float_bits(hs), &s) : float64_to_float16(a, &s);
            if (isnan(x)) {
                uint16_t q = ((a >> 48) & 0x8000) | 0x7e00 | ((a >> 42) & 0x1ff);
                g_assert_cmphex(r, ==, q);
                continue;
            }
            bool tiny = x != 0 && fabs(x) < 0x1p-14;
            bool up = fabs(h_val(want)) > fabs(x);
            int wf = want_narrow_flags(hf, tiny, up);
            if (r != want || all_flags(&s) != wf) {
                g_error("f%d->f16 mode %d: %016" G_GINT64_MODIFIER "x -> %04x flags %x, want %04x "
                        "flags %x",
                        from32 ? 32 : 64, mode, a, r, all_flags(&s), want, wf);
            }
        }
    }
}

/* PowerPC specifics of binary16, worked by hand. */
static void test_f16_details(void)
{
    float_status s = { 0 };

    /* sNaN: quieted, the payload's top 9 bits kept, sign kept */
    g_assert_cmphex(float64_to_float16(0xfff4020000000001ULL, &s), ==, 0xff00);
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    s.flags = 0;
    g_assert_cmphex(float32_to_float16(0x7fc00001u, &s), ==, 0x7e00);
    g_assert_cmphex(s.flags, ==, 0);
    /* 65520 is the midpoint of 65504 and 2^16: to nearest, it overflows */
    g_assert_cmphex(float64_to_float16(0x40effe0000000000ULL, &s), ==, 0x7c00);
    g_assert_cmphex(s.flags, ==, float_flag_overflow | float_flag_inexact);
    s.flags = 0;
    s.rounding_mode = float_round_to_zero;
    g_assert_cmphex(float64_to_float16(0x40effe0000000000ULL, &s), ==, 0x7bff);
    g_assert_cmphex(s.flags, ==, float_flag_inexact);
    /* 2^-25 (half the smallest denormal): a tie to 0 (nearest), tiny and inexact */
    s = (float_status){ 0 };
    g_assert_cmphex(float64_to_float16(0xbe60000000000000ULL, &s), ==, 0x8000);
    g_assert_cmphex(s.flags, ==, float_flag_underflow | float_flag_inexact);
    /* just below 2^-14 rounds up to the smallest normal: still tiny (before rounding) */
    s.flags = 0;
    g_assert_cmphex(float64_to_float16(0x3f0fffffffffffffULL, &s), ==, 0x0400);
    g_assert_cmphex(s.flags, ==, float_flag_underflow | float_flag_inexact | float_flag_rounded_up);
    /* an exact denormal raises nothing */
    s.flags = 0;
    g_assert_cmphex(float64_to_float16(0x3e80000000000000ULL, &s), ==, 0x0002);
    g_assert_cmphex(s.flags, ==, 0);
    /* enabled overflow / underflow: exponent adjusted by 24 */
    s = (float_status){ .rebias_overflow = true, .rebias_underflow = true };
    g_assert_cmphex(float64_to_float16(0x40f0000000000000ULL, &s), ==, 0x1c00); /* 2^16 -> 2^-8 */
    g_assert_cmphex(s.flags, ==, float_flag_overflow);
    s.flags = 0;
    g_assert_cmphex(float64_to_float16(0x3e80000000000000ULL, &s), ==, 0x4000); /* 2^-23 -> 2 */
    g_assert_cmphex(s.flags, ==, float_flag_underflow);
    /*
     * still too small after the adjustment: rounded as a normal value, the
     * exponent wrapping in its field (QEMU 7.2): 1.6 * 2^-128 -> 1.6 * 2^-8
     */
    s = (float_status){ .rounding_mode = float_round_to_zero, .rebias_underflow = true };
    g_assert_cmphex(float64_to_float16(0xb7f97f72b6220ce8ULL, &s), ==, 0x9e5f);
    g_assert_cmphex(s.flags, ==, float_flag_underflow | float_flag_inexact);
}

static float128 x80_via_host(float128 a, int mode, int *flags)
{
    volatile __float128 q = q_val(a);
    volatile long double x;
    float128 r;

    fesetround(host_modes[mode]);
    feclearexcept(FE_ALL_EXCEPT);
    x = (long double)q;
    *flags = host_flags();
    fesetround(FE_TONEAREST);
    r = q_bits((__float128)x);
    return r;
}

/* float128_round_to_x80 against the host's x87 double-extended format (same exponent range). */
static void test_round_to_x80(void)
{
    for (int mode = 0; mode < 4; mode++) {
        for (int i = 0; i < 100000; i++) {
            float128 a = rnd_f128(), r, want;
            float_status s = { .rounding_mode = mode };
            int hf;

            switch (i & 7) {
            case 0:
                a.lo &= ~((1ULL << 49) - 1); /* exact or close to it */
                a.lo |= (rnd64() & 1) << 48; /* ... or a tie */
                break;
            case 1:
                a.hi =
                    (a.hi & (1ULL << 63)) | (0x7ffeULL << 48) | (rnd64() >> 16); /* near overflow */
                break;
            case 2:
                a.hi &= (1ULL << 63) | 0xffffffffffffULL; /* denormal */
                a.hi |= (rnd64() & 0x3f) << 48;           /* ... or tiny for x80 */
                break;
            default:
                break;
            }
            want = x80_via_host(a, mode, &hf);
            r = float128_round_to_x80(a, &s);
            __float128 qa = q_val(a), qw = q_val(want);
            __float128 aa = qa < 0 ? -qa : qa, aw = qw < 0 ? -qw : qw;
            bool tiny = aa != 0 && aa < 0x1p-16382Q;
            int wf = want_narrow_flags(hf, tiny, aw > aa);
            if (r.hi != want.hi || r.lo != want.lo || all_flags(&s) != wf) {
                g_error("x80 mode %d: %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                        "x -> %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                        "x flags %x, want %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                        "x flags %x",
                        mode, a.hi, a.lo, r.hi, r.lo, all_flags(&s), want.hi, want.lo, wf);
            }
        }
    }
}

static void test_x80_details(void)
{
    float_status s = { 0 };
    /* 1 + 2^-64: a tie between 1 and 1 + 2^-63, to even (1) */
    float128 a = { 0x3fff000000000000ULL, 1ULL << 48 }, r;

    r = float128_round_to_x80(a, &s);
    g_assert_cmphex(r.hi, ==, 0x3fff000000000000ULL);
    g_assert_cmphex(r.lo, ==, 0);
    g_assert_cmphex(s.flags, ==, float_flag_inexact);
    /* ... 1 + 2^-64 + 2^-112 rounds up to 1 + 2^-63 */
    s.flags = 0;
    a.lo |= 1;
    r = float128_round_to_x80(a, &s);
    g_assert_cmphex(r.lo, ==, 1ULL << 49);
    g_assert_cmphex(s.flags, ==, float_flag_inexact | float_flag_rounded_up);
    /* an sNaN: quieted, fraction bits below the top 63 dropped */
    s.flags = 0;
    a = (float128){ 0xffff000012345678ULL, 0x9abcdef012345678ULL };
    r = float128_round_to_x80(a, &s);
    g_assert_cmphex(r.hi, ==, 0xffff800012345678ULL);
    g_assert_cmphex(r.lo, ==, 0x9abcdef012345678ULL & ~((1ULL << 49) - 1));
    g_assert_cmphex(s.flags, ==, float_flag_invalid_snan);
    /* the smallest binary128 denormal is far below x80's: to zero, tiny, inexact */
    s.flags = 0;
    a = (float128){ 0, 1 };
    r = float128_round_to_x80(a, &s);
    g_assert_cmphex(r.hi | r.lo, ==, 0);
    g_assert_cmphex(s.flags, ==, float_flag_underflow | float_flag_inexact);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/softfloat/random-f64", test_random_f64);
    g_test_add_func("/softfloat/random-f32", test_random_f32);
    g_test_add_func("/softfloat/random-r32", test_random_r32);
    g_test_add_func("/softfloat/random-f128", test_random_f128);
    g_test_add_func("/softfloat/f128-sqrt-fma", test_f128_sqrt_fma);
    g_test_add_func("/softfloat/fast-path", test_fast_path);
    g_test_add_func("/softfloat/fast-path-binary32", test_fast_path32);
    g_test_add_func("/softfloat/nan-rules", test_nan_rules);
    g_test_add_func("/softfloat/rounding-details", test_rounding_details);
    g_test_add_func("/softfloat/round-to-int", test_round_to_int);
    g_test_add_func("/softfloat/int-conversions", test_int_conversions);
    g_test_add_func("/softfloat/fast-round-convert", test_fast_round_convert);
    g_test_add_func("/softfloat/format-conversions", test_format_conversions);
    g_test_add_func("/softfloat/compare-minmax", test_compare_minmax);
    g_test_add_func("/softfloat/f16-widen", test_f16_widen);
    g_test_add_func("/softfloat/f16-narrow", test_f16_narrow);
    g_test_add_func("/softfloat/f16-details", test_f16_details);
    g_test_add_func("/softfloat/round-to-x80", test_round_to_x80);
    g_test_add_func("/softfloat/x80-details", test_x80_details);
    return g_test_run();
}

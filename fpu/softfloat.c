/*
 * IEEE 754 arithmetic in software for the POWER FPU, VSX and VMX: every
 * format is unpacked into one form (sign, exponent, 128-bit significand),
 * computed exactly or with a sticky bit, and rounded once (see softfloat.h).
 */
#include <string.h>

#include "fpu/softfloat.h"

/* The host fast paths compute exact rounding errors: no fused contractions. */
#ifdef __clang__
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif

typedef unsigned __int128 u128;

/* A binary interchange format: fraction bits, exponent bits, bias, rebias. */
typedef struct Fmt {
    int frac_bits;
    int exp_bits;
    int bias;
    int emax;   /* the all-ones biased exponent */
    int rebias; /* the ISA's exponent adjustment of enabled OX/UX */
} Fmt;

static const Fmt F16 = { 10, 5, 15, 31, 24 };
static const Fmt F32 = { 23, 8, 127, 255, 192 };
static const Fmt F64 = { 52, 11, 1023, 2047, 1536 };
static const Fmt F128 = { 112, 15, 16383, 32767, 24576 };
/* binary128's range with a 64-bit significand, packed in 79 bits (float128_round_to_x80). */
static const Fmt F128X = { 63, 15, 16383, 32767, 24576 };

enum { C_ZERO, C_NORMAL, C_INF, C_QNAN, C_SNAN };

/*
 * An unpacked value.  Normal (denormals are normalised): value =
 * sig * 2^(exp - 126), the leading 1 at bit 126, bits below the format's
 * precision zero (or sticky).  NaN: sig holds the fraction left-aligned
 * (its top bit, the quiet bit, at bit 127).
 */
typedef struct Parts {
    uint8_t cls;
    bool sign;
    int32_t exp;
    u128 sig;
} Parts;

#define SIG_TOP 126
#define U128_ONE ((u128)1)

static inline int clz128(u128 x)
{
    uint64_t hi = x >> 64;

    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)x);
}

/* x >> n, any set bit shifted out ORed into bit 0. */
static inline u128 shr_sticky(u128 x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x & ((U128_ONE << n) - 1)) != 0);
}

static inline u128 f128_raw(float128 a)
{
    return ((u128)a.hi << 64) | a.lo;
}

static inline float128 f128_make(u128 r)
{
    float128 f = { (uint64_t)(r >> 64), (uint64_t)r };
    return f;
}

static Parts unpack(const Fmt *f, u128 raw, const float_status *s)
{
    int fb = f->frac_bits;
    u128 frac = raw & ((U128_ONE << fb) - 1);
    int e = (int)(raw >> fb) & f->emax;
    Parts p = { C_NORMAL, (bool)((raw >> (fb + f->exp_bits)) & 1), 0, 0 };

    if (e == f->emax) {
        if (!frac) {
            p.cls = C_INF;
        } else {
            p.cls = (frac >> (fb - 1)) & 1 ? C_QNAN : C_SNAN;
            p.sig = frac << (128 - fb);
        }
    } else if (e == 0) {
        if (!frac || s->flush_inputs_to_zero) {
            p.cls = C_ZERO;
        } else {
            int lead = 127 - clz128(frac);

            p.sig = frac << (SIG_TOP - lead);
            p.exp = lead + 1 - f->bias - fb;
        }
    } else {
        p.sig = (frac | (U128_ONE << fb)) << (SIG_TOP - fb);
        p.exp = e - f->bias;
    }
    return p;
}

static inline u128 sign_bit(const Fmt *f, bool sign)
{
    return (u128)sign << (f->frac_bits + f->exp_bits);
}

static inline u128 pack_inf(const Fmt *f, bool sign)
{
    return sign_bit(f, sign) | ((u128)f->emax << f->frac_bits);
}

static inline u128 pack_zero(const Fmt *f, bool sign)
{
    return sign_bit(f, sign);
}

static inline u128 default_nan(const Fmt *f)
{
    return ((u128)f->emax << f->frac_bits) | (U128_ONE << (f->frac_bits - 1));
}

/* A NaN operand delivered in format f: quieted, fraction truncated or widened. */
static inline u128 pack_nan(const Fmt *f, const Parts *p)
{
    return sign_bit(f, p->sign) | default_nan(f) | (p->sig >> (128 - f->frac_bits));
}

/* Whether rounding increments: rem are the bits below the result, half their midpoint. */
static inline bool round_inc(int mode, bool sign, bool lsb, u128 rem, u128 half)
{
    switch (mode) {
    case float_round_nearest_even:
        return rem > half || (rem == half && lsb);
    case float_round_ties_away:
        return rem >= half;
    case float_round_up:
        return !sign && rem;
    case float_round_down:
        return sign && rem;
    default: /* to zero, to odd */
        return false;
    }
}

/* Overflow without rebias: infinity or the largest finite value, by mode. */
static u128 pack_overflow(const Fmt *f, bool sign, float_status *s)
{
    bool to_inf;

    s->flags |= float_flag_overflow | float_flag_inexact;
    switch (s->rounding_mode) {
    case float_round_nearest_even:
    case float_round_ties_away:
        to_inf = true;
        break;
    case float_round_up:
        to_inf = !sign;
        break;
    case float_round_down:
        to_inf = sign;
        break;
    default:
        to_inf = false;
        break;
    }
    if (to_inf) {
        return pack_inf(f, sign);
    }
    return sign_bit(f, sign) | (((u128)f->emax << f->frac_bits) - 1);
}

/*
 * Round a finite nonzero value (sig's leading 1 at bit 126, sticky bits
 * below) to format f and pack it.  Tininess is detected before rounding.
 */
static u128 round_pack(const Fmt *f, bool sign, int32_t exp, u128 sig, float_status *s)
{
    int fb = f->frac_bits;
    int sh = SIG_TOP - fb;
    int mode = s->rounding_mode;
    int32_t e = exp + f->bias;
    u128 half = U128_ONE << (sh - 1);
    u128 rem, q;
    bool inc;

    if (e <= 0 && s->flush_to_zero) {
        s->flags |= float_flag_underflow | float_flag_inexact;
        return pack_zero(f, sign);
    }
    if (e <= 0 && s->rebias_underflow) {
        /* Enabled underflow: deliver the value scaled into the normal range. */
        s->flags |= float_flag_underflow;
        e += f->rebias;
    }
    /*
     * Still below the range after the adjustment (a narrowing conversion):
     * rounded as a normal value, its exponent wraps in the field below (as
     * QEMU 7.2 does; the ISA leaves it open).
     */
    if (e <= 0 && !s->rebias_underflow) {
        /* Denormal: shift to the minimum exponent, round there. */
        sig = shr_sticky(sig, 1 - e);
        rem = sig & ((half << 1) - 1);
        q = sig >> sh;
        inc = round_inc(mode, sign, q & 1, rem, half);
        if (rem) {
            s->flags |= float_flag_inexact | float_flag_underflow;
            if (mode == float_round_to_odd) {
                q |= 1;
            }
        }
        if (inc) {
            s->flags |= float_flag_rounded_up;
            q++;
        }
        /* A carry into bit fb makes it the smallest normal: the encoding agrees. */
        return sign_bit(f, sign) | q;
    }
    rem = sig & ((half << 1) - 1);
    q = sig >> sh;
    inc = round_inc(mode, sign, q & 1, rem, half);
    if (rem) {
        s->flags |= float_flag_inexact;
        if (mode == float_round_to_odd) {
            q |= 1;
        }
    }
    if (inc) {
        s->flags |= float_flag_rounded_up;
        q++;
        if (q >> (fb + 1)) {
            q >>= 1;
            e++;
        }
    }
    if (e >= f->emax) {
        if (s->rebias_overflow) {
            s->flags |= float_flag_overflow;
            e -= f->rebias;
        } else {
            s->flags &= ~float_flag_rounded_up;
            return pack_overflow(f, sign, s);
        }
    }
    /*
     * An adjusted exponent still out of range wraps in the exponent field
     * (as QEMU 7.2's frsp does); it never reaches the sign.
     */
    return sign_bit(f, sign) | ((((u128)(e - 1) << fb) + q) & (sign_bit(f, true) - 1));
}

/* Round an exact value sig * 2^e0 (sig != 0, any width) to f. */
static u128 round_pack_int(const Fmt *f, bool sign, int32_t e0, u128 sig, float_status *s)
{
    int lead = 127 - clz128(sig);

    if (lead > SIG_TOP) {
        sig = shr_sticky(sig, lead - SIG_TOP);
    } else {
        sig <<= SIG_TOP - lead;
    }
    return round_pack(f, sign, e0 + lead, sig, s);
}

static inline bool is_nan(const Parts *p)
{
    return p->cls >= C_QNAN;
}

/* The NaN result of a two-operand operation: a's NaN first. */
static u128 nan2(const Fmt *f, const Parts *a, const Parts *b, float_status *s)
{
    if (a->cls == C_SNAN || b->cls == C_SNAN) {
        s->flags |= float_flag_invalid_snan;
    }
    return pack_nan(f, is_nan(a) ? a : b);
}

static u128 invalid(const Fmt *f, int flag, float_status *s)
{
    s->flags |= flag;
    return default_nan(f);
}

/* ---- Addition ------------------------------------------------------------ */

static u128 add_parts(const Fmt *f, Parts a, Parts b, bool subtract, float_status *s)
{
    b.sign ^= subtract;
    if (is_nan(&a) || is_nan(&b)) {
        b.sign ^= subtract; /* a NaN operand keeps its own sign */
        return nan2(f, &a, &b, s);
    }
    if (a.cls == C_INF || b.cls == C_INF) {
        if (a.cls == C_INF && b.cls == C_INF && a.sign != b.sign) {
            return invalid(f, float_flag_invalid_isi, s);
        }
        return pack_inf(f, a.cls == C_INF ? a.sign : b.sign);
    }
    if (a.cls == C_ZERO && b.cls == C_ZERO) {
        return pack_zero(f, a.sign == b.sign ? a.sign : s->rounding_mode == float_round_down);
    }
    if (b.cls == C_ZERO) {
        return round_pack(f, a.sign, a.exp, a.sig, s);
    }
    if (a.cls == C_ZERO) {
        return round_pack(f, b.sign, b.exp, b.sig, s);
    }
    if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
        Parts t = a;
        a = b;
        b = t;
    }
    b.sig = shr_sticky(b.sig, a.exp - b.exp);
    if (a.sign == b.sign) {
        u128 sum = a.sig + b.sig;

        if (sum >> (SIG_TOP + 1)) {
            sum = shr_sticky(sum, 1);
            a.exp++;
        }
        return round_pack(f, a.sign, a.exp, sum, s);
    }
    u128 diff = a.sig - b.sig;
    if (!diff) {
        return pack_zero(f, s->rounding_mode == float_round_down);
    }
    int shift = clz128(diff) - (127 - SIG_TOP);
    return round_pack(f, a.sign, a.exp - shift, diff << shift, s);
}

/* ---- 256-bit helpers for products ------------------------------------------ */

typedef struct U256 {
    u128 hi, lo;
} U256;

static inline U256 mul128(u128 a, u128 b)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    U256 r;

    r.lo = (mid << 64) | (uint64_t)p00;
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

static inline int clz256(U256 x)
{
    return x.hi ? clz128(x.hi) : 128 + clz128(x.lo);
}

static inline U256 shr256_sticky(U256 x, int n)
{
    U256 r;

    if (n <= 0) {
        return x;
    }
    if (n >= 256) {
        r.hi = 0;
        r.lo = (x.hi | x.lo) != 0;
    } else if (n >= 128) {
        r.hi = 0;
        r.lo = shr_sticky(x.hi, n - 128) | (x.lo != 0);
    } else {
        r.hi = x.hi >> n;
        r.lo = (x.lo >> n) | (x.hi << (128 - n)) | ((x.lo & ((U128_ONE << n) - 1)) != 0);
    }
    return r;
}

static inline U256 add256(U256 a, U256 b)
{
    U256 r = { a.hi + b.hi, a.lo + b.lo };

    r.hi += r.lo < a.lo;
    return r;
}

static inline U256 sub256(U256 a, U256 b)
{
    U256 r = { a.hi - b.hi, a.lo - b.lo };

    r.hi -= a.lo < b.lo;
    return r;
}

static inline bool lt256(U256 a, U256 b)
{
    return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

/* Round x * 2^e0 (x != 0) to f. */
static u128 round_pack_256(const Fmt *f, bool sign, int32_t e0, U256 x, float_status *s)
{
    int lead = 255 - clz256(x);

    if (lead >= 128) {
        U256 y = shr256_sticky(x, lead - SIG_TOP);
        return round_pack(f, sign, e0 + lead, y.lo, s);
    }
    return round_pack_int(f, sign, e0, x.lo, s);
}

/* ---- Multiplication, fused multiply-add --------------------------------------- */

static u128 mul_parts(const Fmt *f, Parts a, Parts b, float_status *s)
{
    bool sign = a.sign ^ b.sign;

    if (is_nan(&a) || is_nan(&b)) {
        return nan2(f, &a, &b, s);
    }
    if ((a.cls == C_INF && b.cls == C_ZERO) || (a.cls == C_ZERO && b.cls == C_INF)) {
        return invalid(f, float_flag_invalid_imz, s);
    }
    if (a.cls == C_INF || b.cls == C_INF) {
        return pack_inf(f, sign);
    }
    if (a.cls == C_ZERO || b.cls == C_ZERO) {
        return pack_zero(f, sign);
    }
    if (!(uint64_t)a.sig && !(uint64_t)b.sig) {
        /* At most 64 significant bits each (binary32/64): one 64x64 product. */
        u128 p = (u128)(uint64_t)(a.sig >> 64) * (uint64_t)(b.sig >> 64);
        return round_pack_int(f, sign, a.exp + b.exp - 2 * (SIG_TOP - 64), p, s);
    }
    return round_pack_256(f, sign, a.exp + b.exp - 2 * SIG_TOP, mul128(a.sig, b.sig), s);
}

static u128 muladd_parts(const Fmt *f, Parts a, Parts b, Parts c, int flags, float_status *s)
{
    bool infzero = (a.cls == C_INF && b.cls == C_ZERO) || (a.cls == C_ZERO && b.cls == C_INF);
    bool psign = a.sign ^ b.sign ^ !!(flags & float_muladd_negate_product);
    bool neg = flags & float_muladd_negate_result;
    U256 p, cv, r;
    int32_t e0;
    bool rsign;

    if (is_nan(&a) || is_nan(&b) || is_nan(&c)) {
        if (a.cls == C_SNAN || b.cls == C_SNAN || c.cls == C_SNAN) {
            s->flags |= float_flag_invalid_snan;
        }
        if (infzero) {
            s->flags |= float_flag_invalid_imz;
        }
        return pack_nan(f, is_nan(&a) ? &a : is_nan(&c) ? &c : &b);
    }
    if (infzero) {
        return invalid(f, float_flag_invalid_imz, s);
    }
    if (flags & float_muladd_negate_c) {
        c.sign ^= 1;
    }
    if (a.cls == C_INF || b.cls == C_INF) {
        if (c.cls == C_INF && c.sign != psign) {
            return invalid(f, float_flag_invalid_isi, s);
        }
        return pack_inf(f, psign ^ neg);
    }
    if (c.cls == C_INF) {
        return pack_inf(f, c.sign ^ neg);
    }
    if (a.cls == C_ZERO || b.cls == C_ZERO) {
        if (c.cls == C_ZERO) {
            bool zs = psign == c.sign ? psign : s->rounding_mode == float_round_down;
            return pack_zero(f, zs ^ neg);
        }
        return round_pack(f, c.sign ^ neg, c.exp, c.sig, s);
    }
    p = mul128(a.sig, b.sig); /* value p * 2^(a.exp + b.exp - 252) */
    e0 = a.exp + b.exp - 2 * SIG_TOP;
    if (c.cls == C_ZERO) {
        return round_pack_256(f, psign ^ neg, e0, p, s);
    }
    cv.hi = c.sig >> 2; /* c.sig << 126: leading bit at 252 */
    cv.lo = c.sig << 126;
    /* Align to the larger of the two bit-0 exponents, losing bits into sticky. */
    int32_t ce0 = c.exp - 2 * SIG_TOP;
    if (ce0 < e0) {
        cv = shr256_sticky(cv, e0 - ce0);
    } else {
        p = shr256_sticky(p, ce0 - e0);
        e0 = ce0;
    }
    if (psign == c.sign) {
        r = add256(p, cv);
        rsign = psign;
    } else if (lt256(p, cv)) {
        r = sub256(cv, p);
        rsign = c.sign;
    } else {
        r = sub256(p, cv);
        rsign = psign;
    }
    if (!r.hi && !r.lo) {
        return pack_zero(f, (s->rounding_mode == float_round_down) ^ neg);
    }
    return round_pack_256(f, rsign ^ neg, e0, r, s);
}

/* ---- Division and square root ---------------------------------------------- */

static u128 div_parts(const Fmt *f, Parts a, Parts b, float_status *s)
{
    bool sign = a.sign ^ b.sign;
    u128 q, r;
    int32_t e0;

    if (is_nan(&a) || is_nan(&b)) {
        return nan2(f, &a, &b, s);
    }
    if (a.cls == C_INF && b.cls == C_INF) {
        return invalid(f, float_flag_invalid_idi, s);
    }
    if (a.cls == C_ZERO && b.cls == C_ZERO) {
        return invalid(f, float_flag_invalid_zdz, s);
    }
    if (a.cls == C_INF) {
        return pack_inf(f, sign);
    }
    if (b.cls == C_INF || a.cls == C_ZERO) {
        return pack_zero(f, sign);
    }
    if (b.cls == C_ZERO) {
        s->flags |= float_flag_divbyzero;
        return pack_inf(f, sign);
    }
    if (f != &F128) {
        /* binary32/64 significands (53 bits): one 128/64 division gives 63 bits. */
        uint64_t bm = b.sig >> 64;
        u128 num = (a.sig >> 64) << 63;

        q = num / bm;
        r = num % bm;
        e0 = a.exp - b.exp - 63;
    } else {
        /* Restoring division, one quotient bit at a time (binary128). */
        r = a.sig;
        q = 0;
        for (int i = SIG_TOP; i >= 0; i--) {
            if (r >= b.sig) {
                r -= b.sig;
                q |= U128_ONE << i;
            }
            r <<= 1;
        }
        e0 = a.exp - b.exp - SIG_TOP;
    }
    if (r) {
        q = (q << 1) | 1;
        e0--;
    }
    return round_pack_int(f, sign, e0, q, s);
}

/* floor(sqrt(x)) of a 256-bit x, and whether it was exact. */
static u128 isqrt256(U256 x, bool *exact)
{
    U256 rem = { 0, 0 };
    u128 root = 0;

    for (int i = 127; i >= 0; i--) {
        /* Bring down the next two bits of x. */
        u128 two = i >= 64 ? (x.hi >> (2 * (i - 64))) & 3 : (x.lo >> (2 * i)) & 3;

        rem.hi = (rem.hi << 2) | (rem.lo >> 126);
        rem.lo = (rem.lo << 2) | two;
        U256 trial = { (root >> 126), (root << 2) | 1 }; /* 4 * root + 1 */
        root <<= 1;
        if (!lt256(rem, trial)) {
            rem = sub256(rem, trial);
            root |= 1;
        }
    }
    *exact = !rem.hi && !rem.lo;
    return root;
}

static u128 sqrt_parts(const Fmt *f, Parts a, float_status *s)
{
    bool exact;
    u128 root;
    int32_t e;

    if (is_nan(&a)) {
        if (a.cls == C_SNAN) {
            s->flags |= float_flag_invalid_snan;
        }
        return pack_nan(f, &a);
    }
    if (a.cls == C_ZERO) {
        return pack_zero(f, a.sign);
    }
    if (a.sign) {
        return invalid(f, float_flag_invalid_sqrt, s);
    }
    if (a.cls == C_INF) {
        return pack_inf(f, false);
    }
    /* value = sig * 2^(exp - 126); scale sig by 2^k so that exp - 126 - k is even. */
    e = a.exp;
    if (f != &F128) {
        /*
         * A binary32/64 significand (53 bits at most): m * 2^k with
         * e - 52 - k even, about 112 bits, has a 56-bit root.
         */
        int k = 58 + (e & 1);
        u128 x = (a.sig >> 74) << k;
        uint64_t r = (uint64_t)__builtin_sqrtl((long double)x);

        while ((u128)r * r > x) {
            r--;
        }
        while ((u128)(r + 1) * (r + 1) <= x) {
            r++;
        }
        root = ((u128)r << 1) | ((u128)r * r != x);
        return round_pack_int(f, false, (e - 52 - k) / 2 - 1, root, s);
    }
    {
        int k = 126 + (e & 1);
        U256 x = { a.sig >> (128 - k), a.sig << k };

        root = isqrt256(x, &exact);
        root = (root << 1) | !exact;
        return round_pack_int(f, false, (e - SIG_TOP - k) / 2 - 1, root, s);
    }
}

/* ---- Rounding to an integral value -------------------------------------------- */

static u128 round_to_int_parts(const Fmt *f, u128 raw, float_status *s)
{
    Parts a = unpack(f, raw, s);
    int mode = s->rounding_mode;
    u128 q, rem, half;
    int sh;
    bool inc;

    if (is_nan(&a)) {
        if (a.cls == C_SNAN) {
            s->flags |= float_flag_invalid_snan;
        }
        return pack_nan(f, &a);
    }
    if (a.cls != C_NORMAL || a.exp >= f->frac_bits) {
        return raw;
    }
    if (a.exp < 0) {
        /* Below 1: the result is 0 or 1 of the same sign. */
        switch (mode) {
        case float_round_nearest_even:
            inc = a.exp == -1 && a.sig > (U128_ONE << SIG_TOP);
            break;
        case float_round_ties_away:
            inc = a.exp == -1;
            break;
        case float_round_up:
            inc = !a.sign;
            break;
        case float_round_down:
            inc = a.sign;
            break;
        case float_round_to_odd:
            inc = true;
            break;
        default:
            inc = false;
            break;
        }
        s->flags |= float_flag_inexact;
        if (!inc) {
            return pack_zero(f, a.sign);
        }
        s->flags |= float_flag_rounded_up;
        return sign_bit(f, a.sign) | ((u128)f->bias << f->frac_bits);
    }
    sh = SIG_TOP - a.exp;
    half = U128_ONE << (sh - 1);
    q = a.sig >> sh;
    rem = a.sig & ((half << 1) - 1);
    if (!rem) {
        return raw;
    }
    s->flags |= float_flag_inexact;
    inc = round_inc(mode, a.sign, q & 1, rem, half);
    if (mode == float_round_to_odd) {
        q |= 1;
    }
    if (inc) {
        s->flags |= float_flag_rounded_up;
        q++;
    }
    if (!q) {
        return pack_zero(f, a.sign);
    }
    float_status exact = *s;
    return round_pack_int(f, a.sign, 0, q, &exact);
}

/* ---- Conversions to integers ------------------------------------------------- */

/*
 * Convert to a bits-wide integer (signed or not) in the status's rounding
 * mode, saturating as the ISA's conversions do.
 */
static u128 to_int_parts(const Fmt *f, u128 raw, int bits, bool is_signed, float_status *s)
{
    Parts a = unpack(f, raw, s);
    u128 max = is_signed ? (U128_ONE << (bits - 1)) - 1
                         : (bits == 128 ? ~(u128)0 : (U128_ONE << bits) - 1);
    u128 min_mag = is_signed ? U128_ONE << (bits - 1) : 0; /* magnitude of the most negative */
    u128 mask = bits == 128 ? ~(u128)0 : (U128_ONE << bits) - 1;
    u128 q, rem = 0, half;
    bool up = false;
    int sh;

    if (is_nan(&a)) {
        s->flags |= float_flag_invalid_cvi | (a.cls == C_SNAN ? float_flag_invalid_snan : 0);
        return min_mag ? (-min_mag) & mask : 0;
    }
    if (a.cls == C_ZERO) {
        return 0;
    }
    if (a.cls == C_INF || a.exp >= 127) {
        s->flags |= float_flag_invalid_cvi;
        return a.sign ? (-min_mag) & mask : max;
    }
    if (a.exp < -1) {
        q = 0;
        rem = 1;
        half = 2; /* below one half: only directed modes round up */
        sh = 0;
    } else {
        sh = SIG_TOP - a.exp;
        if (sh > 0) {
            half = U128_ONE << (sh - 1);
            q = a.sig >> sh;
            rem = a.sig & ((half << 1) - 1);
        } else {
            half = 0;
            q = a.sig << -sh;
        }
    }
    if (rem) {
        if (round_inc(s->rounding_mode, a.sign, q & 1, rem, half)) {
            q++;
            up = true;
        } else if (s->rounding_mode == float_round_to_odd) {
            q |= 1;
        }
    }
    if (a.sign ? q > min_mag : q > max) {
        s->flags |= float_flag_invalid_cvi;
        return a.sign ? (-min_mag) & mask : max;
    }
    if (rem) {
        s->flags |= float_flag_inexact | (up ? float_flag_rounded_up : 0);
    }
    return a.sign ? (-q) & mask : q;
}

/* ---- Compare, min/max ----------------------------------------------------------- */

static FloatRelation compare_raw(const Fmt *f, u128 a, u128 b, bool signalling, float_status *s)
{
    Parts pa = unpack(f, a, s), pb = unpack(f, b, s);
    u128 sb = sign_bit(f, true);
    u128 ma = a & (sb - 1), mb = b & (sb - 1);

    if (is_nan(&pa) || is_nan(&pb)) {
        if (pa.cls == C_SNAN || pb.cls == C_SNAN) {
            s->flags |= float_flag_invalid_snan;
        }
        if (signalling) {
            s->flags |= float_flag_invalid_vc;
        }
        return float_relation_unordered;
    }
    if (pa.cls == C_ZERO && pb.cls == C_ZERO) {
        return float_relation_equal;
    }
    if (pa.cls == C_ZERO) {
        ma = 0;
    }
    if (pb.cls == C_ZERO) {
        mb = 0;
    }
    if (pa.sign != pb.sign && (ma || mb)) {
        return pa.sign ? float_relation_less : float_relation_greater;
    }
    if (ma == mb) {
        return float_relation_equal;
    }
    return ((ma < mb) ^ pa.sign) ? float_relation_less : float_relation_greater;
}

static u128 minmax_raw(const Fmt *f, u128 a, u128 b, bool is_max, float_status *s)
{
    Parts pa = unpack(f, a, s), pb = unpack(f, b, s);
    FloatRelation rel;

    if (is_nan(&pa) || is_nan(&pb)) {
        if (pa.cls == C_SNAN || pb.cls == C_SNAN) {
            return nan2(f, &pa, &pb, s);
        }
        if (!is_nan(&pa)) {
            return a;
        }
        if (!is_nan(&pb)) {
            return b;
        }
        return pack_nan(f, &pa);
    }
    if (pa.cls == C_ZERO && pb.cls == C_ZERO) {
        /* -0 is below +0 */
        return (pa.sign == is_max) ? b : a;
    }
    rel = compare_raw(f, a, b, false, s);
    if (is_max) {
        return rel == float_relation_less ? b : a;
    }
    return rel == float_relation_greater ? b : a;
}

#include "fpu/softfloat-host.h"

/* ---- Public entry points --------------------------------------------------------- */

FloatClass float32_classify(float32 a)
{
    return float32_is_signaling_nan(a) ? float_class_snan
           : float32_is_any_nan(a)     ? float_class_qnan
           : float32_is_infinity(a)    ? float_class_inf
           : float32_is_zero(a)        ? float_class_zero
           : float32_is_denormal(a)    ? float_class_denormal
                                       : float_class_normal;
}

FloatClass float64_classify(float64 a)
{
    return float64_is_signaling_nan(a) ? float_class_snan
           : float64_is_any_nan(a)     ? float_class_qnan
           : float64_is_infinity(a)    ? float_class_inf
           : float64_is_zero(a)        ? float_class_zero
           : float64_is_denormal(a)    ? float_class_denormal
                                       : float_class_normal;
}

FloatClass float128_classify(float128 a)
{
    return float128_is_signaling_nan(a) ? float_class_snan
           : float128_is_any_nan(a)     ? float_class_qnan
           : float128_is_infinity(a)    ? float_class_inf
           : float128_is_zero(a)        ? float_class_zero
           : float128_is_denormal(a)    ? float_class_denormal
                                        : float_class_normal;
}

float128 float128_default_nan(void)
{
    return f128_make(default_nan(&F128));
}

#define UNPACK32(x) unpack(&F32, (x), s)
#define UNPACK64(x) unpack(&F64, (x), s)
#define UNPACK128(x) unpack(&F128, f128_raw(x), s)

/* binary32 bits to binary64 bits, exactly (used for the r32 forms' results). */
static inline float64 widen32(u128 r32)
{
    return float32_to_float64_raw((float32)r32);
}

float32 float32_add(float32 a, float32 b, float_status *s)
{
    uint64_t x, y, r;

    if (widen32_normal(a, &x) && widen32_normal(b, &y) && fast32_add(x, y, &r, s)) {
        return narrow32(r);
    }
    return add_parts(&F32, UNPACK32(a), UNPACK32(b), false, s);
}
float32 float32_sub(float32 a, float32 b, float_status *s)
{
    uint64_t x, y, r;

    if (widen32_normal(a, &x) && widen32_normal(b ^ 0x80000000u, &y) && fast32_add(x, y, &r, s)) {
        return narrow32(r);
    }
    return add_parts(&F32, UNPACK32(a), UNPACK32(b), true, s);
}
float32 float32_mul(float32 a, float32 b, float_status *s)
{
    uint64_t x, y, r;

    if (widen32_normal(a, &x) && widen32_normal(b, &y) && fast32_mul(x, y, &r, s)) {
        return narrow32(r);
    }
    return mul_parts(&F32, UNPACK32(a), UNPACK32(b), s);
}
float32 float32_div(float32 a, float32 b, float_status *s)
{
    uint64_t x, y, r;

    if (widen32_normal(a, &x) && widen32_normal(b, &y) && fast32_div(x, y, &r, s)) {
        return narrow32(r);
    }
    return div_parts(&F32, UNPACK32(a), UNPACK32(b), s);
}
float32 float32_sqrt(float32 a, float_status *s)
{
    uint64_t x, r;

    if (widen32_normal(a, &x) && fast32_sqrt(x, &r, s)) {
        return narrow32(r);
    }
    return sqrt_parts(&F32, UNPACK32(a), s);
}
float32 float32_muladd(float32 a, float32 b, float32 c, int flags, float_status *s)
{
    uint64_t x, y, z, r;

    if (widen32_normal(a, &x) && widen32_normal(b, &y) && widen32_normal(c, &z) &&
        fast32_muladd(x, y, z, flags, &r, s)) {
        return narrow32(r);
    }
    return muladd_parts(&F32, UNPACK32(a), UNPACK32(b), UNPACK32(c), flags, s);
}

float64 float64_add(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast_add(a, b, &r, s)) {
        return r;
    }
    return add_parts(&F64, UNPACK64(a), UNPACK64(b), false, s);
}
float64 float64_sub(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast_add(a, b ^ (1ULL << 63), &r, s)) {
        return r;
    }
    return add_parts(&F64, UNPACK64(a), UNPACK64(b), true, s);
}
float64 float64_mul(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast_mul(a, b, &r, s)) {
        return r;
    }
    return mul_parts(&F64, UNPACK64(a), UNPACK64(b), s);
}
float64 float64_div(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast_div(a, b, &r, s)) {
        return r;
    }
    return div_parts(&F64, UNPACK64(a), UNPACK64(b), s);
}
float64 float64_sqrt(float64 a, float_status *s)
{
    uint64_t r;

    if (fast_sqrt(a, &r, s)) {
        return r;
    }
    return sqrt_parts(&F64, UNPACK64(a), s);
}
/*
 * Out of line so that the host fast path below needs no stack frame (the
 * inlined software path saved and restored six registers on every call).
 */
static __attribute__((noinline, cold)) float64 float64_muladd_soft(float64 a, float64 b, float64 c,
                                                                   int flags, float_status *s)
{
    return muladd_parts(&F64, UNPACK64(a), UNPACK64(b), UNPACK64(c), flags, s);
}
float64 float64_muladd(float64 a, float64 b, float64 c, int flags, float_status *s)
{
    uint64_t r;

    if (fast_muladd(a, b, c, flags, &r, s)) {
        return r;
    }
    return float64_muladd_soft(a, b, c, flags, s);
}

float64 float64r32_add(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast32_add(a, b, &r, s)) {
        return r;
    }
    return widen32(add_parts(&F32, UNPACK64(a), UNPACK64(b), false, s));
}
float64 float64r32_sub(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast32_add(a, b ^ (1ULL << 63), &r, s)) {
        return r;
    }
    return widen32(add_parts(&F32, UNPACK64(a), UNPACK64(b), true, s));
}
float64 float64r32_mul(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast32_mul(a, b, &r, s)) {
        return r;
    }
    return widen32(mul_parts(&F32, UNPACK64(a), UNPACK64(b), s));
}
float64 float64r32_div(float64 a, float64 b, float_status *s)
{
    uint64_t r;

    if (fast32_div(a, b, &r, s)) {
        return r;
    }
    return widen32(div_parts(&F32, UNPACK64(a), UNPACK64(b), s));
}
float64 float64r32_sqrt(float64 a, float_status *s)
{
    uint64_t r;

    if (fast32_sqrt(a, &r, s)) {
        return r;
    }
    return widen32(sqrt_parts(&F32, UNPACK64(a), s));
}
float64 float64r32_muladd(float64 a, float64 b, float64 c, int flags, float_status *s)
{
    uint64_t r;

    if (fast32_muladd(a, b, c, flags, &r, s)) {
        return r;
    }
    return widen32(muladd_parts(&F32, UNPACK64(a), UNPACK64(b), UNPACK64(c), flags, s));
}
float64 float64r32_round(float64 a, float_status *s)
{
    uint64_t r;

    if (fast32_round(a, &r, s)) {
        return r;
    }
    return widen32(float64_to_float32(a, s));
}

float128 float128_add(float128 a, float128 b, float_status *s)
{
    return f128_make(add_parts(&F128, UNPACK128(a), UNPACK128(b), false, s));
}
float128 float128_sub(float128 a, float128 b, float_status *s)
{
    return f128_make(add_parts(&F128, UNPACK128(a), UNPACK128(b), true, s));
}
float128 float128_mul(float128 a, float128 b, float_status *s)
{
    return f128_make(mul_parts(&F128, UNPACK128(a), UNPACK128(b), s));
}
float128 float128_div(float128 a, float128 b, float_status *s)
{
    return f128_make(div_parts(&F128, UNPACK128(a), UNPACK128(b), s));
}
float128 float128_sqrt(float128 a, float_status *s)
{
    return f128_make(sqrt_parts(&F128, UNPACK128(a), s));
}
float128 float128_muladd(float128 a, float128 b, float128 c, int flags, float_status *s)
{
    return f128_make(muladd_parts(&F128, UNPACK128(a), UNPACK128(b), UNPACK128(c), flags, s));
}

float32 float32_round_to_int(float32 a, float_status *s)
{
    return round_to_int_parts(&F32, a, s);
}
/*
 * A binary64 of magnitude 1 <= |a| < 2^52 (the usual operand) rounds in
 * integer arithmetic: its integer part q and the fraction bits below it,
 * then q (below 2^53, so exact as a double) converted back.  The flags are
 * round_to_int_parts' for the same operand; everything else goes there.
 */
static inline bool fast_round_to_int64(float64 a, uint64_t *out, float_status *s)
{
    int e = (int)((a >> 52) & 0x7ff);
    uint64_t sig, q, rem, half;
    bool sign = a >> 63;
    int sh;

    if (e < 1023 || e >= 1075 || s->rounding_mode > float_round_to_odd || s->no_fast_path) {
        return false;
    }
    sh = 1075 - e; /* fraction bits below the units bit: 1..52 */
    sig = (a & ((1ULL << 52) - 1)) | (1ULL << 52);
    half = 1ULL << (sh - 1);
    q = sig >> sh;
    rem = sig & (2 * half - 1);
    if (!rem) {
        *out = a;
        return true;
    }
    s->flags |= float_flag_inexact;
    if (s->rounding_mode == float_round_to_odd) {
        q |= 1;
    } else if (round_inc(s->rounding_mode, sign, q & 1, rem, half)) {
        s->flags |= float_flag_rounded_up;
        q++;
    }
    *out = host_double_bits((double)q) | ((uint64_t)sign << 63);
    return true;
}
float64 float64_round_to_int(float64 a, float_status *s)
{
    uint64_t r;

    if (fast_round_to_int64(a, &r, s)) {
        return r;
    }
    return round_to_int_parts(&F64, a, s);
}
float128 float128_round_to_int(float128 a, float_status *s)
{
    return f128_make(round_to_int_parts(&F128, f128_raw(a), s));
}

float32 float32_minnum(float32 a, float32 b, float_status *s)
{
    return minmax_raw(&F32, a, b, false, s);
}
float32 float32_maxnum(float32 a, float32 b, float_status *s)
{
    return minmax_raw(&F32, a, b, true, s);
}
float64 float64_minnum(float64 a, float64 b, float_status *s)
{
    return minmax_raw(&F64, a, b, false, s);
}
float64 float64_maxnum(float64 a, float64 b, float_status *s)
{
    return minmax_raw(&F64, a, b, true, s);
}

FloatRelation float32_compare(float32 a, float32 b, float_status *s)
{
    return compare_raw(&F32, a, b, true, s);
}
FloatRelation float32_compare_quiet(float32 a, float32 b, float_status *s)
{
    return compare_raw(&F32, a, b, false, s);
}
FloatRelation float64_compare(float64 a, float64 b, float_status *s)
{
    return compare_raw(&F64, a, b, true, s);
}
FloatRelation float64_compare_quiet(float64 a, float64 b, float_status *s)
{
    return compare_raw(&F64, a, b, false, s);
}
FloatRelation float128_compare(float128 a, float128 b, float_status *s)
{
    return compare_raw(&F128, f128_raw(a), f128_raw(b), true, s);
}
FloatRelation float128_compare_quiet(float128 a, float128 b, float_status *s)
{
    return compare_raw(&F128, f128_raw(a), f128_raw(b), false, s);
}

/* Convert between formats: NaNs quieted, finite values rounded. */
static u128 convert(const Fmt *to, const Fmt *from, u128 raw, float_status *s)
{
    Parts p = unpack(from, raw, s);

    switch (p.cls) {
    case C_SNAN:
        s->flags |= float_flag_invalid_snan;
        /* fall through */
    case C_QNAN:
        return pack_nan(to, &p);
    case C_INF:
        return pack_inf(to, p.sign);
    case C_ZERO:
        return pack_zero(to, p.sign);
    default:
        return round_pack(to, p.sign, p.exp, p.sig, s);
    }
}

float64 float32_to_float64(float32 a, float_status *s)
{
    return convert(&F64, &F32, a, s);
}
float32 float64_to_float32(float64 a, float_status *s)
{
    return convert(&F32, &F64, a, s);
}
float128 float32_to_float128(float32 a, float_status *s)
{
    return f128_make(convert(&F128, &F32, a, s));
}
float128 float64_to_float128(float64 a, float_status *s)
{
    return f128_make(convert(&F128, &F64, a, s));
}
float64 float128_to_float64(float128 a, float_status *s)
{
    return convert(&F64, &F128, f128_raw(a), s);
}
float32 float128_to_float32(float128 a, float_status *s)
{
    return convert(&F32, &F128, f128_raw(a), s);
}
float32 float16_to_float32(float16 a, float_status *s)
{
    return convert(&F32, &F16, a, s);
}
float64 float16_to_float64(float16 a, float_status *s)
{
    return convert(&F64, &F16, a, s);
}
float16 float32_to_float16(float32 a, float_status *s)
{
    return convert(&F16, &F32, a, s);
}
float16 float64_to_float16(float64 a, float_status *s)
{
    return convert(&F16, &F64, a, s);
}
float128 float128_round_to_x80(float128 a, float_status *s)
{
    u128 r = convert(&F128X, &F128, f128_raw(a), s);

    /* Sign bit 78 to 127, exponent and fraction shifted up to binary128's places. */
    return f128_make(((r >> 78) << 127) | ((r & ((U128_ONE << 78) - 1)) << 49));
}

int32_t float32_to_int32(float32 a, float_status *s)
{
    return (int32_t)to_int_parts(&F32, a, 32, true, s);
}
uint32_t float32_to_uint32(float32 a, float_status *s)
{
    return (uint32_t)to_int_parts(&F32, a, 32, false, s);
}
int64_t float32_to_int64(float32 a, float_status *s)
{
    return (int64_t)to_int_parts(&F32, a, 64, true, s);
}
uint64_t float32_to_uint64(float32 a, float_status *s)
{
    return (uint64_t)to_int_parts(&F32, a, 64, false, s);
}
/*
 * Truncation of a value inside the range (for the unsigned word, a
 * non-negative one) is the host's conversion, as in float64_to_int64.
 */
int32_t float64_to_int32(float64 a, float_status *s)
{
    if (s->rounding_mode == float_round_to_zero && !s->flush_inputs_to_zero && !s->no_fast_path &&
        (a & ~(1ULL << 63)) < 0x41e0000000000000ULL) {
        double d = host_double(a);
        int32_t v = (int32_t)d;

        if ((double)v != d) {
            s->flags |= float_flag_inexact;
        }
        return v;
    }
    return (int32_t)to_int_parts(&F64, a, 32, true, s);
}
uint32_t float64_to_uint32(float64 a, float_status *s)
{
    if (s->rounding_mode == float_round_to_zero && !s->flush_inputs_to_zero && !s->no_fast_path &&
        a < 0x41f0000000000000ULL) {
        double d = host_double(a);
        uint32_t v = (uint32_t)(int64_t)d;

        if ((double)v != d) {
            s->flags |= float_flag_inexact;
        }
        return v;
    }
    return (uint32_t)to_int_parts(&F64, a, 32, false, s);
}
int64_t float64_to_int64(float64 a, float_status *s)
{
    /* Truncation of a value inside the range is the host's conversion. */
    if (s->rounding_mode == float_round_to_zero && !s->flush_inputs_to_zero &&
        (a & ~(1ULL << 63)) < 0x43e0000000000000ULL) {
        double d = host_double(a);
        int64_t v = (int64_t)d;

        if ((double)v != d) {
            s->flags |= float_flag_inexact;
        }
        return v;
    }
    return (int64_t)to_int_parts(&F64, a, 64, true, s);
}
uint64_t float64_to_uint64(float64 a, float_status *s)
{
    return (uint64_t)to_int_parts(&F64, a, 64, false, s);
}
int32_t float128_to_int32(float128 a, float_status *s)
{
    return (int32_t)to_int_parts(&F128, f128_raw(a), 32, true, s);
}
uint32_t float128_to_uint32(float128 a, float_status *s)
{
    return (uint32_t)to_int_parts(&F128, f128_raw(a), 32, false, s);
}
int64_t float128_to_int64(float128 a, float_status *s)
{
    return (int64_t)to_int_parts(&F128, f128_raw(a), 64, true, s);
}
uint64_t float128_to_uint64(float128 a, float_status *s)
{
    return (uint64_t)to_int_parts(&F128, f128_raw(a), 64, false, s);
}

static u128 from_int(const Fmt *f, bool neg, uint64_t mag, float_status *s)
{
    if (!mag) {
        return 0;
    }
    return round_pack_int(f, neg, 0, mag, s);
}

#define NEG(a) ((a) < 0)
#define MAG(a) ((a) < 0 ? -(uint64_t)(a) : (uint64_t)(a))

float32 int32_to_float32(int32_t a, float_status *s)
{
    return from_int(&F32, NEG(a), MAG((int64_t)a), s);
}
float32 uint32_to_float32(uint32_t a, float_status *s)
{
    return from_int(&F32, false, a, s);
}
float32 int64_to_float32(int64_t a, float_status *s)
{
    return from_int(&F32, NEG(a), MAG(a), s);
}
float32 uint64_to_float32(uint64_t a, float_status *s)
{
    return from_int(&F32, false, a, s);
}
float64 int32_to_float64(int32_t a, float_status *s)
{
    return from_int(&F64, NEG(a), MAG((int64_t)a), s);
}
float64 uint32_to_float64(uint32_t a, float_status *s)
{
    return from_int(&F64, false, a, s);
}
float64 int64_to_float64(int64_t a, float_status *s)
{
    /* Below 2^53 in magnitude the conversion is exact. */
    if (a >= -(1LL << 53) && a <= (1LL << 53)) {
        return host_double_bits((double)a);
    }
    return from_int(&F64, NEG(a), MAG(a), s);
}
float64 uint64_to_float64(uint64_t a, float_status *s)
{
    return from_int(&F64, false, a, s);
}
float128 int64_to_float128(int64_t a, float_status *s)
{
    return f128_make(from_int(&F128, NEG(a), MAG(a), s));
}
float128 uint64_to_float128(uint64_t a, float_status *s)
{
    return f128_make(from_int(&F128, false, a, s));
}
float64 int64_to_float64r32(int64_t a, float_status *s)
{
    return widen32(from_int(&F32, NEG(a), MAG(a), s));
}
float64 uint64_to_float64r32(uint64_t a, float_status *s)
{
    return widen32(from_int(&F32, false, a, s));
}

float64 float32_to_float64_raw(float32 a)
{
    uint64_t sign = (uint64_t)(a >> 31) << 63;
    uint32_t e = (a >> 23) & 0xff;
    uint64_t frac = a & 0x7fffff;

    if (e == 0xff) {
        return sign | 0x7ff0000000000000ULL | (frac << 29);
    }
    if (e) {
        return sign | ((uint64_t)(e - 127 + 1023) << 52) | (frac << 29);
    }
    if (!frac) {
        return sign;
    }
    /* A binary32 denormal is a binary64 normal. */
    int lead = 63 - __builtin_clzll(frac);
    return sign | ((uint64_t)(lead - 149 + 1023) << 52) |
           ((frac << (52 - lead)) & ((1ULL << 52) - 1));
}

float32 float64_to_float32_raw(float64 a)
{
    uint32_t sign = (uint32_t)(a >> 63) << 31;
    int e = (a >> 52) & 0x7ff;

    if (e > 896 || e == 0x7ff) {
        /* Bits 0:1 and 5:34 of the doubleword (exponent high bit kept, NaN/inf too). */
        return (uint32_t)((a >> 62) << 30) | (uint32_t)((a >> 29) & 0x3fffffff);
    }
    if (e >= 874) {
        /* Denormalise: the implicit bit joins the fraction, shifted into place. */
        uint64_t m = (1ULL << 52) | (a & ((1ULL << 52) - 1));
        return sign | (uint32_t)(m >> (896 + 30 - e));
    }
    /* Too small for binary32 (the ISA leaves it undefined): a zero of the sign. */
    return sign;
}

/*
 * vexptefp and vlogefp: the ISA only bounds their error, and QEMU 7.2 answers
 * with its softfloat float32_exp2/float32_log2; these reproduce those
 * computations bit for bit (a 64-bit-fraction working format with sticky
 * bits, a 15-term series for 2^x, bit-by-bit squaring for log2).
 */
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

typedef unsigned __int128 u128;

/* A normal working value: (-1)^sign * frac / 2^63 * 2^exp, frac bit 63 set. */
typedef struct Wide {
    bool sign;
    bool zero;
    int exp;
    uint64_t frac;
} Wide;

#define W_IMPLICIT (1ull << 63)

static inline uint64_t shr_jam64(uint64_t f, unsigned n)
{
    if (n == 0) {
        return f;
    }
    return n >= 64 ? f != 0 : (f >> n) | ((f << (64 - n)) != 0);
}

static inline u128 shr_jam128(u128 f, unsigned n)
{
    if (n == 0) {
        return f;
    }
    return n >= 128 ? f != 0 : (f >> n) | ((f << (128 - n)) != 0);
}

/* The high 64 bits, with the low ones ORed into the last bit. */
static inline uint64_t trunc_jam(u128 f)
{
    return (uint64_t)(f >> 64) | ((uint64_t)f != 0);
}

static inline unsigned clz128(u128 f)
{
    uint64_t hi = f >> 64;

    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)f);
}

static Wide wide_from_f64(uint64_t x)
{
    Wide w = { .sign = x >> 63, .exp = (int)((x >> 52) & 0x7ff) - 1023 };

    w.frac = ((x & ((1ull << 52) - 1)) | (1ull << 52)) << 11;
    return w;
}

static Wide wide_mul(Wide a, Wide b)
{
    Wide r = { .sign = a.sign ^ b.sign, .exp = a.exp + b.exp + 1 };

    r.frac = trunc_jam((u128)a.frac * b.frac);
    if (!(r.frac & W_IMPLICIT)) {
        r.frac <<= 1;
        r.exp--;
    }
    return r;
}

/* a * b + c, exact to 128 bits (then sticky), as one fused operation. */
static Wide wide_muladd(Wide a, Wide b, Wide c)
{
    Wide r = { .sign = a.sign ^ b.sign, .exp = a.exp + b.exp + 1 };
    u128 p = (u128)a.frac * b.frac, cw;
    int d;

    if (!(p >> 127)) {
        p <<= 1;
        r.exp--;
    }
    if (!c.zero) {
        cw = (u128)c.frac << 64;
        d = r.exp - c.exp;
        if (r.sign == c.sign) {
            if (d <= 0) {
                p = shr_jam128(p, -d);
                r.exp = c.exp;
            } else {
                cw = shr_jam128(cw, d);
            }
            p += cw;
            if (p < cw) {
                p = shr_jam128(p, 1) | ((u128)1 << 127);
                r.exp++;
            }
        } else {
            if (d < 0 || (d == 0 && p < cw)) {
                p = cw - shr_jam128(p, -d);
                r.exp = c.exp;
                r.sign ^= 1;
            } else {
                p -= shr_jam128(cw, d);
            }
            if (!p) {
                r.zero = true;
                r.sign = false;
                return r;
            }
            d = clz128(p);
            p <<= d;
            r.exp -= d;
        }
    }
    r.frac = trunc_jam(p);
    return r;
}

/* |a| + |b| or |a| - |b| with a's sign (both normal). */
static Wide wide_addsub(Wide a, Wide b, bool sub)
{
    int d = a.exp - b.exp;
    Wide r = a;

    if (!sub) {
        u128 x, y;

        if (d < 0) {
            a.frac = shr_jam64(a.frac, -d);
            r.exp = b.exp;
        } else {
            b.frac = shr_jam64(b.frac, d);
        }
        x = (u128)a.frac + b.frac;
        y = x >> 64 ? shr_jam128(x, 1) : x;
        r.exp += x >> 64 ? 1 : 0;
        r.frac = (uint64_t)y;
        return r;
    }
    if (d > 0) {
        r.frac = a.frac - shr_jam64(b.frac, d);
    } else if (d < 0) {
        r.frac = b.frac - shr_jam64(a.frac, -d);
        r.exp = b.exp;
        r.sign ^= 1;
    } else if (a.frac >= b.frac) {
        r.frac = a.frac - b.frac;
    } else {
        r.frac = b.frac - a.frac;
        r.sign ^= 1;
    }
    if (!r.frac) {
        r.zero = true;
        r.sign = false;
        return r;
    }
    d = __builtin_clzll(r.frac);
    r.frac <<= d;
    r.exp -= d;
    return r;
}

/* Round to single precision, to nearest even; with NJ a tiny result is a zero. */
static uint32_t wide_to_f32(Wide w, bool nj)
{
    uint32_t sign = (uint32_t)w.sign << 31;
    int e = w.exp + 127;
    uint64_t f = w.frac, inc;

    if (w.zero) {
        return sign;
    }
    if (e >= 1) {
        inc = (f & ((1ull << 41) - 1)) != (1ull << 39) ? 1ull << 39 : 0;
        if (f + inc < f) {
            f = ((f + inc) >> 1) | W_IMPLICIT;
            e++;
        } else {
            f += inc;
        }
        if (e >= 255) {
            return sign | 0x7f800000u;
        }
        return sign | (uint32_t)e << 23 | (uint32_t)((f >> 40) & 0x7fffff);
    }
    if (nj) {
        return sign;
    }
    f = shr_jam64(f, 1 - e);
    inc = (f & ((1ull << 41) - 1)) != (1ull << 39) ? 1ull << 39 : 0;
    f += inc;
    return sign | (f >> 63 ? 1u << 23 : 0) | (uint32_t)((f >> 40) & 0x7fffff);
}

/* A finite nonzero single (denormals already flushed by the caller if NJ). */
static Wide wide_from_f32(uint32_t x)
{
    Wide w = { .sign = x >> 31 };
    int e = (x >> 23) & 0xff;
    uint64_t m = x & 0x7fffff;

    if (e) {
        w.exp = e - 127;
        w.frac = (m | 0x800000) << 40;
    } else {
        unsigned s = __builtin_clzll(m << 40);

        w.frac = (m << 40) << s;
        w.exp = -126 - s;
    }
    return w;
}

static inline bool f32_is_nan(uint32_t x)
{
    return (x & 0x7fffffffu) > 0x7f800000u;
}

/* 1/n! for n = 1..15 and ln 2, as doubles. */
static uint64_t exp2_coeff[15];
#define F64_LN2 0x3fe62e42fefa39efull
#define F64_ONE 0x3ff0000000000000ull

static uint32_t f32_exp2(uint32_t x, bool nj)
{
    Wide xp, xn, r;

    if (f32_is_nan(x)) {
        return x | 0x00400000u;
    }
    if ((x & 0x7fffffffu) == 0x7f800000u) {
        return x >> 31 ? 0 : x;
    }
    if (!(x & 0x7f800000u) && (nj || !(x & 0x7fffffu))) {
        return 0x3f800000u;
    }
    xp = wide_mul(wide_from_f32(x), wide_from_f64(F64_LN2));
    xn = xp;
    r = wide_from_f64(F64_ONE);
    for (unsigned i = 0; i < 15; i++) {
        r = wide_muladd(wide_from_f64(exp2_coeff[i]), xn, r);
        xn = wide_mul(xn, xp);
    }
    return wide_to_f32(r, nj);
}

/* log2: the exponent, plus the fraction's bits found by repeated squaring. */
static uint32_t f32_log2(uint32_t x, bool nj)
{
    Wide a, f = { 0 };
    uint64_t a0, a1 = 0, r = 0, t = W_IMPLICIT;
    int a_exp, f_exp = -1, n;

    if (f32_is_nan(x)) {
        return x | 0x00400000u;
    }
    if (!(x & 0x7f800000u) && (nj || !(x & 0x7fffffu))) {
        return 0xff800000u; /* log2(0) = -inf */
    }
    if (x == 0x7f800000u) {
        return x;
    }
    if (x >> 31) {
        return 0x7fc00000u;
    }
    a = wide_from_f32(x);
    a_exp = a.exp;
    a0 = a.frac;
    n = a_exp == -1 ? 48 : 25;
    for (int i = 0; i < n; i++) {
        if (a1) {
            u128 lo = (u128)a1 * a1, mid = (u128)a0 * a1, hi = (u128)a0 * a0;
            u128 m2 = mid << 1, carry1 = mid >> 127;
            u128 low = lo + (m2 << 64);
            u128 c = (low < lo);
            u128 top = hi + (m2 >> 64) + (carry1 << 64) + c;

            (void)low;
            a0 = top >> 64;
            a1 = (uint64_t)top;
        } else if (a0 & 0xffffffffull) {
            u128 p = (u128)a0 * a0;

            a0 = p >> 64;
            a1 = (uint64_t)p;
        } else if (a0 & ~W_IMPLICIT) {
            a0 >>= 32;
            a0 *= a0;
        } else {
            goto exact;
        }
        if (a0 & W_IMPLICIT) {
            if (a_exp == 0 && r == 0) {
                /* restart at the first 1 after the binary point */
                f_exp -= i;
                t = r = W_IMPLICIT;
                i = 0;
            } else {
                r |= t;
            }
        } else {
            u128 v = ((u128)a0 << 64 | a1) << 1;

            a0 = v >> 64;
            a1 = (uint64_t)v;
        }
        t >>= 1;
    }
    r |= a1 || (a0 & ~W_IMPLICIT);
exact:
    /* the integer part */
    if (a_exp == 0) {
        a.zero = true;
    } else {
        uint64_t m = a_exp < 0 ? -(int64_t)a_exp : a_exp;
        unsigned s = __builtin_clzll(m);

        a.zero = false;
        a.sign = a_exp < 0;
        a.frac = m << s;
        a.exp = 63 - s;
    }
    if (!r) {
        return wide_to_f32(a, nj);
    }
    f.frac = r << __builtin_clzll(r);
    f.exp = f_exp - __builtin_clzll(r);
    if (a_exp < 0) {
        a = wide_addsub(a, f, true);
    } else if (a_exp > 0) {
        a = wide_addsub(a, f, false);
    } else {
        a = f;
    }
    return wide_to_f32(a, nj);
}

VMX_OP_BEGIN(vexptefp)
bool nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_exp2(b->u32[i], nj);
}
VMX_OP_END

VMX_OP_BEGIN(vlogefp)
bool nj = env->vscr & VSCR_NJ;
for (unsigned i = 0; i < 4; i++) {
    t.u32[i] = f32_log2(b->u32[i], nj);
}
VMX_OP_END

static const VMXInsn vmx_estimate_insns[] = {
    { "vexptefp", 394, VMX_F_TAB, VMX_RA_FIELD, op_vexptefp },
    { "vlogefp", 458, VMX_F_TAB, VMX_RA_FIELD, op_vlogefp },
};

static void ppc_vmx_estimate_register(void)
{
    double f = 1;

    for (unsigned n = 1; n <= 15; n++) {
        double c;

        f *= n;
        c = 1.0 / f;
        memcpy(&exp2_coeff[n - 1], &c, 8);
    }
    ppc_vmx_register(vmx_estimate_insns, ARRAY_SIZE(vmx_estimate_insns));
}

module_init(ppc_vmx_estimate_register)

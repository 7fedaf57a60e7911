/*
 * Decimal integer instructions (Power ISA 3.0B Book I 6.17): signed packed
 * decimal (31 digits and a sign nibble at the right) add, subtract, shift,
 * round, truncate, conversions to and from zoned, national and binary, as
 * QEMU 7.2 computes them (CR6 gets LT/GT/EQ/SO).
 */
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

typedef unsigned __int128 u128;

#define BCD_PLUS_C 0xc
#define BCD_PLUS_F 0xf
#define BCD_MINUS 0xd

/* Nibble n of v: 0 is the sign, 1..31 the digits from the least significant. */
static inline unsigned nib(u128 v, unsigned n)
{
    return (v >> (4 * n)) & 0xf;
}

static inline u128 set_nib(u128 v, unsigned n, unsigned d)
{
    return (v & ~((u128)0xf << (4 * n))) | ((u128)(d & 0xf) << (4 * n));
}

/* +1 for the plus signs (A, C, E, F), -1 for the minus ones (B, D), 0 otherwise. */
static inline int bcd_sign(u128 v)
{
    switch (v & 0xf) {
    case 0xa:
    case 0xc:
    case 0xe:
    case 0xf:
        return 1;
    case 0xb:
    case 0xd:
        return -1;
    default:
        return 0;
    }
}

static inline unsigned preferred_sign(int sign, unsigned ps)
{
    return sign >= 0 ? (ps ? BCD_PLUS_F : BCD_PLUS_C) : BCD_MINUS;
}

/* Digits first..31 all 0-9. */
static inline bool digits_valid(u128 v, unsigned first)
{
    for (unsigned i = first; i < 32; i++) {
        if (nib(v, i) > 9) {
            return false;
        }
    }
    return true;
}

static inline bool bcd_valid(u128 v)
{
    return bcd_sign(v) && digits_valid(v, 1);
}

/* EQ when the digits are all zero, else GT or LT by the sign (LT when not a plus). */
static inline unsigned cmp_zero(u128 v)
{
    if (!(v >> 4)) {
        return CRF_EQ;
    }
    return bcd_sign(v) == 1 ? CRF_GT : CRF_LT;
}

/* |a| + |b| into the digits of *r; the carry out is the overflow. */
static bool add_mag(u128 *r, u128 a, u128 b, bool *invalid, bool *overflow)
{
    unsigned carry = 0;
    bool zero = true;

    for (unsigned i = 1; i < 32; i++) {
        unsigned x = nib(a, i), y = nib(b, i), d;

        *invalid |= x > 9 || y > 9;
        d = x + y + carry;
        carry = d > 9;
        if (carry) {
            d -= 10;
        }
        zero &= d == 0;
        *r = set_nib(*r, i, d);
    }
    *overflow = carry;
    return zero;
}

static void sub_mag(u128 *r, u128 a, u128 b, bool *invalid, bool *overflow)
{
    int borrow = 0;

    for (unsigned i = 1; i < 32; i++) {
        int x = nib(a, i), y = nib(b, i), d;

        *invalid |= x > 9 || y > 9;
        d = x - y + borrow;
        borrow = d < 0 ? -1 : 0;
        if (d < 0) {
            d += 10;
        }
        *r = set_nib(*r, i, d);
    }
    *overflow = borrow < 0;
}

/*
 * Compare magnitudes digit by digit from the most significant; an invalid
 * digit met on the way makes them compare equal (QEMU 7.2).
 */
static int cmp_mag(u128 a, u128 b)
{
    for (unsigned i = 31; i > 0; i--) {
        unsigned x = nib(a, i), y = nib(b, i);

        if (x > 9 || y > 9) {
            return 0;
        }
        if (x != y) {
            return x > y ? 1 : -1;
        }
    }
    return 0;
}

static unsigned bcd_add(u128 *r, u128 a, u128 b, unsigned ps)
{
    int sa = bcd_sign(a), sb = bcd_sign(b);
    bool invalid = !sa || !sb, overflow = false, zero = false;
    unsigned cr = 0;
    u128 t = 0;

    if (!invalid) {
        if (sa == sb) {
            t = preferred_sign(sa, ps);
            zero = add_mag(&t, a, b, &invalid, &overflow);
            cr = sa > 0 ? CRF_GT : CRF_LT;
        } else {
            int m = cmp_mag(a, b);

            if (m > 0) {
                t = preferred_sign(sa, ps);
                sub_mag(&t, a, b, &invalid, &overflow);
                cr = sa > 0 ? CRF_GT : CRF_LT;
            } else if (m < 0) {
                t = preferred_sign(sb, ps);
                sub_mag(&t, b, a, &invalid, &overflow);
                cr = sb > 0 ? CRF_GT : CRF_LT;
            } else {
                t = preferred_sign(0, ps);
                cr = CRF_EQ;
            }
        }
    }
    if (invalid) {
        t = ~(u128)0;
        cr = CRF_SO;
    } else if (overflow) {
        cr |= CRF_SO;
    } else if (zero) {
        cr |= CRF_EQ;
    }
    *r = t;
    return cr;
}

/* The handlers: a result (unless the instruction leaves vD alone) and CR6. */
#define BCD_OP(name)                                                                               \
    static unsigned bcd_##name(u128 *r, u128 a, u128 b, unsigned ps);                              \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        ppc_vsr_t *t = VMX_VR(env, op->rt);                                                        \
        u128 r = t->u128;                                                                          \
        env->crf[6] =                                                                              \
            bcd_##name(&r, VMX_VR(env, op->ra)->u128, VMX_VR(env, op->rb)->u128, op->aux);         \
        t->u128 = r;                                                                               \
        return PPC_NEXT(env, op);                                                                  \
    }                                                                                              \
    static unsigned bcd_##name(u128 *r, u128 a, u128 b, unsigned ps)

BCD_OP(bcdadd)
{
    return bcd_add(r, a, b, ps);
}

/* bcdsub: bcdadd with vB's sign turned around (an invalid sign stays invalid). */
BCD_OP(bcdsub)
{
    int sb = bcd_sign(b);

    if (sb) {
        b = set_nib(b, 0, sb < 0 ? BCD_PLUS_C : BCD_MINUS);
    }
    return bcd_add(r, a, b, ps);
}

BCD_OP(bcdcpsgn)
{
    if (!bcd_sign(a) || !bcd_sign(b)) {
        return CRF_SO;
    }
    *r = set_nib(a, 0, nib(b, 0));
    if (!digits_valid(a, 1) || !digits_valid(b, 1)) {
        return CRF_SO;
    }
    return cmp_zero(*r);
}

/* National decimal: eight halfwords, the last the sign (0x2b plus, 0x2d minus). */
static inline unsigned national(u128 v, unsigned i)
{
    return (v >> (16 * i)) & 0xffff;
}

BCD_OP(bcdcfn)
{
    unsigned s = national(b, 0);
    bool invalid = s != 0x2b && s != 0x2d;
    u128 t = 0;

    for (unsigned i = 1; i < 8; i++) {
        unsigned n = national(b, i);

        if (n < 0x30 || n > 0x39) {
            invalid = true;
            break;
        }
        t = set_nib(t, i, n & 0xf);
    }
    t = set_nib(t, 0, s == 0x2b ? preferred_sign(1, ps) : BCD_MINUS);
    *r = t;
    return invalid ? CRF_SO : cmp_zero(t);
}

BCD_OP(bcdctn)
{
    int sb = bcd_sign(b);
    bool invalid = !sb;
    unsigned cr;
    u128 t = 0;

    for (unsigned i = 1; i < 8; i++) {
        unsigned d = nib(b, i);

        t |= (u128)(0x30 + d) << (16 * i);
        invalid |= d > 9;
        if (invalid) {
            break;
        }
    }
    t |= sb == -1 ? 0x2d : 0x2b;
    *r = t;
    cr = cmp_zero(b);
    if (b >> 32) {
        cr |= CRF_SO;
    }
    return invalid ? CRF_SO : cr;
}

/* Zoned decimal: sixteen bytes of zone (0x3, or 0xf with PS) and digit. */
BCD_OP(bcdcfz)
{
    unsigned zone = ps ? 0xf : 0x3, s = (b >> 4) & 0xf;
    bool invalid = s < 0xa && ps;
    u128 t = 0;

    for (unsigned i = 0; i < 16; i++) {
        unsigned byte = (b >> (8 * i)) & 0xff;
        unsigned z = i ? byte >> 4 : zone, d = byte & 0xf;

        if (z != zone || d > 9) {
            invalid = true;
            break;
        }
        t = set_nib(t, i + 1, d);
    }
    if ((ps && (s == 0xb || s == 0xd)) || (!ps && (s & 4))) {
        t = set_nib(t, 0, BCD_MINUS);
    } else {
        t = set_nib(t, 0, BCD_PLUS_C);
    }
    *r = t;
    return invalid ? CRF_SO : cmp_zero(t);
}

BCD_OP(bcdctz)
{
    unsigned zone = ps ? 0xf0 : 0x30;
    int sb = bcd_sign(b);
    bool invalid = !sb;
    unsigned cr;
    u128 t = 0;

    for (unsigned i = 0; i < 16; i++) {
        unsigned d = nib(b, i + 1);

        invalid |= d > 9;
        if (invalid) {
            break;
        }
        t |= (u128)(zone + d) << (8 * i);
    }
    t = set_nib(t, 1, ps ? (sb == 1 ? 0xc : 0xd) : (sb == 1 ? 0x3 : 0x7));
    *r = t;
    cr = cmp_zero(b);
    if ((uint64_t)(b >> 64) >> 4) {
        cr |= CRF_SO;
    }
    return invalid ? CRF_SO : cr;
}

/*
 * From a signed 128-bit binary integer.  A value of more than 31 digits
 * leaves vD unchanged and sets SO with LT or GT by its sign (QEMU 7.2).
 */
BCD_OP(bcdcfsq)
{
    bool neg = (int64_t)(b >> 64) < 0;
    u128 mag = neg ? -b : b, q;
    u128 t = neg ? BCD_MINUS : preferred_sign(0, ps);
    uint64_t rem, hi;

    q = mag / 1000000000000000ull;
    rem = mag % 1000000000000000ull;
    if ((q >> 64) || (uint64_t)q > 9999999999999999ull) {
        return (neg ? CRF_LT : CRF_GT) | CRF_SO;
    }
    hi = (uint64_t)q;
    for (unsigned i = 1; i < 16; i++, rem /= 10) {
        t = set_nib(t, i, rem % 10);
    }
    for (unsigned i = 16; i < 32; i++, hi /= 10) {
        t = set_nib(t, i, hi % 10);
    }
    *r = t;
    return cmp_zero(t);
}

/*
 * To a signed 128-bit binary integer.  As QEMU 7.2: the low doubleword's
 * carry out of adding a digit is lost, and an invalid digit stops the
 * conversion after it has been added.
 */
BCD_OP(bcdctsq)
{
    int sb = bcd_sign(b);
    bool invalid = !sb;
    uint64_t lo = nib(b, 31), hi = 0;

    invalid |= lo > 9;
    for (unsigned i = 30; i > 0; i--) {
        u128 p = (u128)lo * 10;
        unsigned d = nib(b, i);

        hi = hi * 10 + (uint64_t)(p >> 64);
        lo = (uint64_t)p + d;
        invalid |= d > 9;
        if (invalid) {
            break;
        }
    }
    if (sb == -1) {
        uint64_t nlo = -lo;

        *r = (u128)(~hi + !nlo) << 64 | nlo;
    } else {
        *r = (u128)hi << 64 | lo;
    }
    return invalid ? CRF_SO : cmp_zero(b);
}

BCD_OP(bcdsetsgn)
{
    *r = set_nib(b, 0, preferred_sign(bcd_sign(b), ps));
    return bcd_valid(b) ? cmp_zero(*r) : CRF_SO;
}

/* Shifts by the signed byte 7 of vA, in digits (left positive). */
static inline u128 shift_digits(u128 v, int n, bool *ox)
{
    if (n > 0) {
        *ox |= n >= 32 ? v != 0 : (v >> (128 - 4 * n)) != 0;
        return n >= 32 ? 0 : v << (4 * n);
    }
    return -n >= 32 ? 0 : v >> (-4 * n);
}

static inline int shift_count(u128 a)
{
    return (int8_t)(a >> 64);
}

BCD_OP(bcds)
{
    int n = shift_count(a), sb = bcd_sign(b);
    bool ox = false;
    u128 t = b & ~(u128)0xf;

    if (!bcd_valid(b)) {
        return CRF_SO;
    }
    n = n > 31 ? 31 : n < -31 ? -31 : n;
    t = shift_digits(t, n, &ox);
    t = set_nib(t, 0, preferred_sign(sb, ps));
    *r = t;
    return cmp_zero(t) | (ox ? CRF_SO : 0);
}

/* Unsigned: all 32 nibbles are digits; shifts of 32 or more clear the value. */
BCD_OP(bcdus)
{
    int n = shift_count(a);
    bool ox = false;
    u128 t = b;

    if (!digits_valid(b, 0)) {
        return CRF_SO;
    }
    if (n >= 32) {
        ox = true;
        t = 0;
    } else if (n <= -32) {
        t = 0;
    } else {
        t = shift_digits(t, n, &ox);
    }
    *r = t;
    return cmp_zero(t) | (ox ? CRF_SO : 0);
}

/* Shift and round: a right shift adds one when the first digit shifted out is 5 or more. */
BCD_OP(bcdsr)
{
    int n = shift_count(a), sb = bcd_sign(b);
    bool ox = false, invalid = false, unused;
    u128 t = b & ~(u128)0xf;

    if (!bcd_valid(b)) {
        return CRF_SO;
    }
    n = n > 31 ? 31 : n < -31 ? -31 : n;
    if (n > 0) {
        t = shift_digits(t, n, &ox);
    } else {
        t >>= -4 * n;
        if (nib(t, 0) >= 5) {
            add_mag(&t, t, 0x10, &invalid, &unused);
        }
    }
    t = set_nib(t, 0, preferred_sign(sb, ps));
    *r = t;
    return cmp_zero(t) | (ox ? CRF_SO : 0);
}

/*
 * Truncate to the number of digits in halfword 3 of vA (plus one for
 * bcdtrunc); SO when nonzero digits were dropped.  A count of 0 for bcdtrunc
 * keeps the low doubleword, as QEMU 7.2 does on x86 hosts.
 */
BCD_OP(bcdtrunc)
{
    int n = (int16_t)(a >> 64) + 1;
    uint64_t hi = b >> 64, lo = b, m;
    unsigned ox = 0;

    if (!bcd_valid(b)) {
        return CRF_SO;
    }
    if (n > 16 && n < 32) {
        m = ~0ull >> (128 - 4 * n);
        ox = hi & ~m ? CRF_SO : 0;
        hi &= m;
    } else if (n >= 0 && n <= 16) {
        m = n ? ~0ull >> (64 - 4 * n) : ~0ull;
        ox = hi || (lo & ~m) ? CRF_SO : 0;
        lo &= m;
        hi = 0;
    }
    *r = set_nib((u128)hi << 64 | lo, 0, preferred_sign(bcd_sign(b), ps));
    return cmp_zero(*r) | ox;
}

BCD_OP(bcdutrunc)
{
    int n = (int16_t)(a >> 64);
    uint64_t hi = b >> 64, lo = b, m;
    unsigned ox = 0;

    if (!digits_valid(b, 0)) {
        return CRF_SO;
    }
    if (n > 16 && n < 33) {
        m = ~0ull >> (128 - 4 * n);
        ox = hi & ~m ? CRF_SO : 0;
        hi &= m;
    } else if (n > 0 && n <= 16) {
        m = ~0ull >> (64 - 4 * n);
        ox = hi || (lo & ~m) ? CRF_SO : 0;
        lo &= m;
        hi = 0;
    } else if (n == 0) {
        ox = hi || lo ? CRF_SO : 0;
        hi = lo = 0;
    }
    *r = (u128)hi << 64 | lo;
    return ox | (*r ? CRF_GT : CRF_EQ);
}

/* ---- Definitions ---------------------------------------------------------- */

/* PS (bit 22): an operand, ignored (bcdus, bcdutrunc) or reserved (bcdctn) as in QEMU 7.2. */
#define PS(name, xo, inval)                                                                        \
    {                                                                                              \
#name ".", xo, VMX_F_PS, inval, op_##name                                                  \
    }
#define PSUB(name, a, inval)                                                                       \
    {                                                                                              \
#name ".", VMX_XO_SUB(1409, a), VMX_F_PS, inval, op_##name                                 \
    }

static const VMXInsn vmx_bcd_insns[] = {
    PS(bcdadd, 1025, 0),
    PS(bcdsub, 1089, 0),
    PS(bcdus, 1153 | VMX_XO_ISA300, 0),
    PS(bcds, 1217 | VMX_XO_ISA300, 0),
    PS(bcdtrunc, 1281 | VMX_XO_ISA300, 0),
    PS(bcdutrunc, 1345 | VMX_XO_ISA300, 0),
    PS(bcdsr, 1473 | VMX_XO_ISA300, 0),
    { "bcdcpsgn.", 833 | VMX_XO_ISA300, VMX_F_TAB, 0, op_bcdcpsgn },
    PSUB(bcdctsq, 0 | VMX_XO_ISA300, 0),
    PSUB(bcdcfsq, 2 | VMX_XO_ISA300, 0),
    PSUB(bcdctz, 4 | VMX_XO_ISA300, 0),
    PSUB(bcdctn, 5 | VMX_XO_ISA300, 0x200),
    PSUB(bcdcfz, 6 | VMX_XO_ISA300, 0),
    PSUB(bcdcfn, 7 | VMX_XO_ISA300, 0),
    PSUB(bcdsetsgn, 31 | VMX_XO_ISA300, 0),
};

static void ppc_vmx_bcd_register(void)
{
    ppc_vmx_register(vmx_bcd_insns, ARRAY_SIZE(vmx_bcd_insns));
}

module_init(ppc_vmx_bcd_register)

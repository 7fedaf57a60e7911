/*
 * Vector integer instructions (Power ISA 3.0B Book I 6.9-6.11): add and
 * subtract (modulo, saturating, carry, quadword), multiply and multiply-sum,
 * average, min/max, absolute difference, compares, logical, rotates, shifts,
 * counts, parity, sign extension and negation.
 */
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

typedef unsigned __int128 u128;

/* ---- Add and subtract ----------------------------------------------------- */

VMX_ELEMWISE(vaddubm, u8, x + y)
VMX_ELEMWISE(vadduhm, u16, x + y)
VMX_ELEMWISE(vadduwm, u32, x + y)
VMX_ELEMWISE(vaddudm, u64, x + y)
VMX_ELEMWISE(vsububm, u8, x - y)
VMX_ELEMWISE(vsubuhm, u16, x - y)
VMX_ELEMWISE(vsubuwm, u32, x - y)
VMX_ELEMWISE(vsubudm, u64, x - y)
/* Carry out of each word's sum; of a + ~b + 1 for the subtraction. */
VMX_ELEMWISE(vaddcuw, u32, (uint32_t)(x + y) < x)
VMX_ELEMWISE(vsubcuw, u32, x >= y)

VMX_OP_BEGIN(vadduqm)
t.u128 = a->u128 + b->u128;
VMX_OP_END

VMX_OP_BEGIN(vsubuqm)
t.u128 = a->u128 - b->u128;
VMX_OP_END

VMX_OP_BEGIN(vaddcuq)
t.u128 = a->u128 + b->u128 < a->u128;
VMX_OP_END

VMX_OP_BEGIN(vsubcuq)
t.u128 = a->u128 >= b->u128;
VMX_OP_END

/* The extended forms take the carry in from the low bit of vC. */
VMX_OP_BEGIN(vaddeuqm)
t.u128 = a->u128 + b->u128 + (c->u64[0] & 1);
VMX_OP_END

VMX_OP_BEGIN(vsubeuqm)
t.u128 = a->u128 + ~b->u128 + (c->u64[0] & 1);
VMX_OP_END

static inline u128 carry_add3(u128 x, u128 y, unsigned cin)
{
    u128 s = x + y;

    return (s < x) | (s + cin < s);
}

VMX_OP_BEGIN(vaddecuq)
t.u128 = carry_add3(a->u128, b->u128, c->u64[0] & 1);
VMX_OP_END

VMX_OP_BEGIN(vsubecuq)
t.u128 = carry_add3(a->u128, ~b->u128, c->u64[0] & 1);
VMX_OP_END

/* Saturating: the exact result in a wider type, clamped; SAT when clamped. */
#define VMX_SAT_U(name, field, max, expr)                                                          \
    VMX_OP_BEGIN(name)                                                                             \
    bool sat = false;                                                                              \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        int64_t x = a->field[i], y = b->field[i];                                                  \
        t.field[i] = vmx_clamp_u(expr, max, &sat);                                                 \
    }                                                                                              \
    vmx_set_sat(env, sat);                                                                         \
    VMX_OP_END

#define VMX_SAT_S(name, field, min, max, expr)                                                     \
    VMX_OP_BEGIN(name)                                                                             \
    bool sat = false;                                                                              \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        int64_t x = a->field[i], y = b->field[i];                                                  \
        t.field[i] = vmx_clamp_s(expr, min, max, &sat);                                            \
    }                                                                                              \
    vmx_set_sat(env, sat);                                                                         \
    VMX_OP_END

VMX_SAT_U(vaddubs, u8, UINT8_MAX, x + y)
VMX_SAT_U(vadduhs, u16, UINT16_MAX, x + y)
VMX_SAT_U(vadduws, u32, UINT32_MAX, x + y)
VMX_SAT_U(vsububs, u8, UINT8_MAX, x - y)
VMX_SAT_U(vsubuhs, u16, UINT16_MAX, x - y)
VMX_SAT_U(vsubuws, u32, UINT32_MAX, x - y)
VMX_SAT_S(vaddsbs, s8, INT8_MIN, INT8_MAX, x + y)
VMX_SAT_S(vaddshs, s16, INT16_MIN, INT16_MAX, x + y)
VMX_SAT_S(vaddsws, s32, INT32_MIN, INT32_MAX, x + y)
VMX_SAT_S(vsubsbs, s8, INT8_MIN, INT8_MAX, x - y)
VMX_SAT_S(vsubshs, s16, INT16_MIN, INT16_MAX, x - y)
VMX_SAT_S(vsubsws, s32, INT32_MIN, INT32_MAX, x - y)

/* ---- Min, max, average, absolute difference ------------------------------ */

#define VMX_MINMAX(sfx, field)                                                                     \
    VMX_ELEMWISE(vmax##sfx, field, x > y ? x : y)                                                  \
    VMX_ELEMWISE(vmin##sfx, field, x < y ? x : y)

VMX_MINMAX(ub, u8)
VMX_MINMAX(uh, u16)
VMX_MINMAX(uw, u32)
VMX_MINMAX(ud, u64)
VMX_MINMAX(sb, s8)
VMX_MINMAX(sh, s16)
VMX_MINMAX(sw, s32)
VMX_MINMAX(sd, s64)

VMX_ELEMWISE(vavgub, u8, ((uint32_t)x + y + 1) >> 1)
VMX_ELEMWISE(vavguh, u16, ((uint32_t)x + y + 1) >> 1)
VMX_ELEMWISE(vavguw, u32, ((uint64_t)x + y + 1) >> 1)
VMX_ELEMWISE(vavgsb, s8, ((int32_t)x + y + 1) >> 1)
VMX_ELEMWISE(vavgsh, s16, ((int32_t)x + y + 1) >> 1)
VMX_ELEMWISE(vavgsw, s32, ((int64_t)x + y + 1) >> 1)
VMX_ELEMWISE(vabsdub, u8, x > y ? x - y : y - x)
VMX_ELEMWISE(vabsduh, u16, x > y ? x - y : y - x)
VMX_ELEMWISE(vabsduw, u32, x > y ? x - y : y - x)

/* ---- Multiply ------------------------------------------------------------ */

/*
 * Even/odd: element 2i (even) or 2i + 1 (odd) of each pair, in the ISA's
 * numbering, multiplied into the double-width element i.
 */
#define VMX_MULEO(name, get, put, type, wtype, odd)                                                \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < 8 / sizeof(type); i++) {                                              \
        put(&t, i) = (wtype)(type)get(a, 2 * i + odd) * (wtype)(type)get(b, 2 * i + odd);          \
    }                                                                                              \
    VMX_OP_END

#define VMX_MULEO4(sfx, get, put, ut, st, uwt, swt)                                                \
    VMX_MULEO(vmuleu##sfx, get, put, ut, uwt, 0)                                                   \
    VMX_MULEO(vmulou##sfx, get, put, ut, uwt, 1)                                                   \
    VMX_MULEO(vmules##sfx, get, put, st, swt, 0)                                                   \
    VMX_MULEO(vmulos##sfx, get, put, st, swt, 1)

VMX_MULEO4(b, VsrB, VsrH, uint8_t, int8_t, uint16_t, int16_t)
VMX_MULEO4(h, VsrH, VsrW, uint16_t, int16_t, uint32_t, int32_t)
VMX_MULEO4(w, VsrW, VsrD, uint32_t, int32_t, uint64_t, int64_t)

VMX_ELEMWISE(vmuluwm, u32, x *y)

/* vmhaddshs/vmhraddshs: the high half of a * b (rounded), plus c, saturated. */
VMX_OP_BEGIN(vmhaddshs)
bool sat = false;
for (unsigned i = 0; i < 8; i++) {
    int32_t p = (int32_t)a->s16[i] * b->s16[i];
    t.s16[i] = vmx_clamp_s((p >> 15) + c->s16[i], INT16_MIN, INT16_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vmhraddshs)
bool sat = false;
for (unsigned i = 0; i < 8; i++) {
    int32_t p = (int32_t)a->s16[i] * b->s16[i] + 0x4000;
    t.s16[i] = vmx_clamp_s((p >> 15) + c->s16[i], INT16_MIN, INT16_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vmladduhm)
for (unsigned i = 0; i < 8; i++) {
    t.u16[i] = (uint32_t)a->u16[i] * b->u16[i] + c->u16[i];
}
VMX_OP_END

/*
 * Multiply-sum: each word of the result is c's word plus the products of
 * the narrower elements of a and b that lie in it.  Element order inside a
 * word does not matter for a sum, so host indices are used directly.
 */
#define VMX_MSUM(name, af, bf, n, sat_expr)                                                        \
    VMX_OP_BEGIN(name)                                                                             \
    bool sat = false;                                                                              \
    for (unsigned i = 0; i < 4; i++) {                                                             \
        int64_t s = 0;                                                                             \
        for (unsigned k = 0; k < n; k++) {                                                         \
            s += (int64_t)a->af[n * i + k] * b->bf[n * i + k];                                     \
        }                                                                                          \
        sat_expr;                                                                                  \
    }                                                                                              \
    (void)sat;                                                                                     \
    VMX_OP_END

VMX_MSUM(vmsumubm, u8, u8, 4, t.u32[i] = s + c->u32[i])
VMX_MSUM(vmsummbm, s8, u8, 4, t.u32[i] = s + c->s32[i])
VMX_MSUM(vmsumuhm, u16, u16, 2, t.u32[i] = s + c->u32[i])
VMX_MSUM(vmsumshm, s16, s16, 2, t.u32[i] = s + c->s32[i])
VMX_MSUM(vmsumuhs, u16, u16, 2, t.u32[i] = vmx_clamp_u(s + c->u32[i], UINT32_MAX, &sat);
         vmx_set_sat(env, sat))
VMX_MSUM(vmsumshs, s16, s16, 2, t.s32[i] = vmx_clamp_s(s + c->s32[i], INT32_MIN, INT32_MAX, &sat);
         vmx_set_sat(env, sat))

VMX_OP_BEGIN(vmsumudm)
t.u128 = (u128)a->u64[0] * b->u64[0] + (u128)a->u64[1] * b->u64[1] + c->u128;
VMX_OP_END

/* Sum across: vsum4 per word, vsum2sws per doubleword, vsumsws whole. */
VMX_OP_BEGIN(vsum4ubs)
bool sat = false;
for (unsigned i = 0; i < 4; i++) {
    int64_t s =
        (int64_t)b->u32[i] + a->u8[4 * i] + a->u8[4 * i + 1] + a->u8[4 * i + 2] + a->u8[4 * i + 3];
    t.u32[i] = vmx_clamp_u(s, UINT32_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vsum4sbs)
bool sat = false;
for (unsigned i = 0; i < 4; i++) {
    int64_t s =
        (int64_t)b->s32[i] + a->s8[4 * i] + a->s8[4 * i + 1] + a->s8[4 * i + 2] + a->s8[4 * i + 3];
    t.s32[i] = vmx_clamp_s(s, INT32_MIN, INT32_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vsum4shs)
bool sat = false;
for (unsigned i = 0; i < 4; i++) {
    int64_t s = (int64_t)b->s32[i] + a->s16[2 * i] + a->s16[2 * i + 1];
    t.s32[i] = vmx_clamp_s(s, INT32_MIN, INT32_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vsum2sws)
bool sat = false;
for (unsigned i = 0; i < 2; i++) {
    int64_t s = (int64_t)VsrSW(b, 2 * i + 1) + VsrSW(a, 2 * i) + VsrSW(a, 2 * i + 1);
    VsrW(&t, 2 * i) = 0;
    VsrSW(&t, 2 * i + 1) = vmx_clamp_s(s, INT32_MIN, INT32_MAX, &sat);
}
vmx_set_sat(env, sat);
VMX_OP_END

VMX_OP_BEGIN(vsumsws)
bool sat = false;
int64_t s = (int64_t)VsrSW(b, 3) + a->s32[0] + a->s32[1] + a->s32[2] + a->s32[3];
t.u128 = 0;
VsrSW(&t, 3) = vmx_clamp_s(s, INT32_MIN, INT32_MAX, &sat);
vmx_set_sat(env, sat);
VMX_OP_END

/* Multiply by 10 (decimal shifts of binary-coded values): low 128 bits or carry. */
static inline u128 mul10(u128 x, unsigned add, u128 *carry)
{
    u128 lo = (u128)(uint64_t)x * 10 + add;
    u128 hi = (u128)(uint64_t)(x >> 64) * 10 + (uint64_t)(lo >> 64);

    *carry = hi >> 64;
    return (hi << 64) | (uint64_t)lo;
}

VMX_OP_BEGIN(vmul10uq)
u128 cy;
t.u128 = mul10(a->u128, 0, &cy);
VMX_OP_END

VMX_OP_BEGIN(vmul10cuq)
mul10(a->u128, 0, &t.u128);
VMX_OP_END

VMX_OP_BEGIN(vmul10euq)
u128 cy;
t.u128 = mul10(a->u128, b->u8[0] & 0xf, &cy);
VMX_OP_END

VMX_OP_BEGIN(vmul10ecuq)
mul10(a->u128, b->u8[0] & 0xf, &t.u128);
VMX_OP_END

/* ---- Compares: all ones or zero per element; Rc=1 sets CR6 ---------------- */

#define VMX_CMP(name, field, expr)                                                                 \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        __typeof__(a->field[0]) x = a->field[i], y = b->field[i];                                  \
        t.field[i] = (expr) ? -1 : 0;                                                              \
    }                                                                                              \
    if (op->flags & PPC_OPF_RC) {                                                                  \
        vmx_set_cr6(env, &t);                                                                      \
    }                                                                                              \
    VMX_OP_END

VMX_CMP(vcmpequb, u8, x == y)
VMX_CMP(vcmpequh, u16, x == y)
VMX_CMP(vcmpequw, u32, x == y)
VMX_CMP(vcmpequd, u64, x == y)
VMX_CMP(vcmpneb, u8, x != y)
VMX_CMP(vcmpneh, u16, x != y)
VMX_CMP(vcmpnew, u32, x != y)
VMX_CMP(vcmpnezb, u8, x != y || !x || !y)
VMX_CMP(vcmpnezh, u16, x != y || !x || !y)
VMX_CMP(vcmpnezw, u32, x != y || !x || !y)
VMX_CMP(vcmpgtub, u8, x > y)
VMX_CMP(vcmpgtuh, u16, x > y)
VMX_CMP(vcmpgtuw, u32, x > y)
VMX_CMP(vcmpgtud, u64, x > y)
VMX_CMP(vcmpgtsb, s8, x > y)
VMX_CMP(vcmpgtsh, s16, x > y)
VMX_CMP(vcmpgtsw, s32, x > y)
VMX_CMP(vcmpgtsd, s64, x > y)

/* ---- Logical -------------------------------------------------------------- */

VMX_ELEMWISE(vand, u64, x &y)
VMX_ELEMWISE(vandc, u64, x & ~y)
VMX_ELEMWISE(vor, u64, x | y)
VMX_ELEMWISE(vxor, u64, x ^ y)
VMX_ELEMWISE(vnor, u64, ~(x | y))
VMX_ELEMWISE(vorc, u64, x | ~y)
VMX_ELEMWISE(vnand, u64, ~(x &y))
VMX_ELEMWISE(veqv, u64, ~(x ^ y))

VMX_OP_BEGIN(vsel)
for (unsigned i = 0; i < 2; i++) {
    t.u64[i] = (b->u64[i] & c->u64[i]) | (a->u64[i] & ~c->u64[i]);
}
VMX_OP_END

/* ---- Rotates and shifts (count: the low bits of vB's element) ------------ */

#define ROTL(x, n, bits)                                                                           \
    ((__typeof__(x))(((x) << ((n) & (bits - 1))) | ((x) >> ((bits - (n)) & (bits - 1)))))

VMX_ELEMWISE(vrlb, u8, ROTL(x, y, 8))
VMX_ELEMWISE(vrlh, u16, ROTL(x, y, 16))
VMX_ELEMWISE(vrlw, u32, ROTL(x, y, 32))
VMX_ELEMWISE(vrld, u64, ROTL(x, y, 64))
VMX_ELEMWISE(vslb, u8, x << (y & 7))
VMX_ELEMWISE(vslh, u16, x << (y & 15))
VMX_ELEMWISE(vslw, u32, x << (y & 31))
VMX_ELEMWISE(vsld, u64, x << (y & 63))
VMX_ELEMWISE(vsrb, u8, x >> (y & 7))
VMX_ELEMWISE(vsrh, u16, x >> (y & 15))
VMX_ELEMWISE(vsrw, u32, x >> (y & 31))
VMX_ELEMWISE(vsrd, u64, x >> (y & 63))
VMX_ELEMWISE(vsrab, s8, x >> (y & 7))
VMX_ELEMWISE(vsrah, s16, x >> (y & 15))
VMX_ELEMWISE(vsraw, s32, x >> (y & 31))
VMX_ELEMWISE(vsrad, s64, x >> (y & 63))

/* Mask of bits mb..me in the ISA's numbering (bit 0 = MSB), wrapping. */
static inline uint64_t rl_mask(unsigned mb, unsigned me, unsigned bits)
{
    uint64_t ones = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t m = (ones >> mb) ^ ((ones >> me) >> 1);

    return mb <= me ? m : ~((ones >> (me + 1)) ^ (ones >> mb)) & ones;
}

/*
 * vrlwnm/vrldnm and vrlwmi/vrldmi: vB's element holds mb (bits 11-15 of a
 * word, 10-15 of a doubleword, counted within the element's second byte),
 * me (third byte) and the shift (last byte); mi inserts into vD.
 */
#define VMX_RLNM(name, field, bits, insert)                                                        \
    VMX_OP_BEGIN(name)                                                                             \
    const ppc_vsr_t *d = VMX_VR(env, op->rt);                                                      \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        __typeof__(t.field[0]) x = a->field[i], y = b->field[i];                                   \
        unsigned mb = (y >> 16) & (bits - 1), me = (y >> 8) & (bits - 1);                          \
        uint64_t m = rl_mask(mb, me, bits), r = ROTL(x, y, bits);                                  \
        t.field[i] = insert ? (r & m) | (d->field[i] & ~m) : r & m;                                \
    }                                                                                              \
    VMX_OP_END

VMX_RLNM(vrlwnm, u32, 32, false)
VMX_RLNM(vrldnm, u64, 64, false)
VMX_RLNM(vrlwmi, u32, 32, true)
VMX_RLNM(vrldmi, u64, 64, true)

/* ---- Counts, parity, sign extension, negation ----------------------------- */

VMX_UNARY(vclzb, u8, x ? __builtin_clz(x) - 24 : 8)
VMX_UNARY(vclzh, u16, x ? __builtin_clz(x) - 16 : 16)
VMX_UNARY(vclzw, u32, x ? __builtin_clz(x) : 32)
VMX_UNARY(vclzd, u64, x ? __builtin_clzll(x) : 64)
VMX_UNARY(vctzb, u8, x ? __builtin_ctz(x) : 8)
VMX_UNARY(vctzh, u16, x ? __builtin_ctz(x) : 16)
VMX_UNARY(vctzw, u32, x ? __builtin_ctz(x) : 32)
VMX_UNARY(vctzd, u64, x ? __builtin_ctzll(x) : 64)
VMX_UNARY(vpopcntb, u8, __builtin_popcount(x))
VMX_UNARY(vpopcnth, u16, __builtin_popcount(x))
VMX_UNARY(vpopcntw, u32, __builtin_popcount(x))
VMX_UNARY(vpopcntd, u64, __builtin_popcountll(x))
VMX_UNARY(vnegw, u32, -x)
VMX_UNARY(vnegd, u64, -x)
VMX_UNARY(vextsb2w, u32, (int8_t)x)
VMX_UNARY(vextsh2w, u32, (int16_t)x)
VMX_UNARY(vextsb2d, u64, (int8_t)x)
VMX_UNARY(vextsh2d, u64, (int16_t)x)
VMX_UNARY(vextsw2d, u64, (int32_t)x)

/* Parity of the low bit of every byte of the element. */
#define LSB_PARITY(x) (__builtin_popcountll((uint64_t)(x)&0x0101010101010101ull) & 1)

VMX_UNARY(vprtybw, u32, LSB_PARITY(x))
VMX_UNARY(vprtybd, u64, LSB_PARITY(x))

VMX_OP_BEGIN(vprtybq)
t.u128 = LSB_PARITY(b->u64[0] ^ b->u64[1]);
VMX_OP_END

/* Leading/trailing bytes (ISA order) whose least significant bit is 0, into RT. */
static const PPCOp *op_vclzlsbb(CPUPPCState *env, const PPCOp *op)
{
    const ppc_vsr_t *b = VMX_VR(env, op->rb);
    unsigned n = 0;

    while (n < 16 && !(VsrB(b, n) & 1)) {
        n++;
    }
    env->gpr[op->rt] = n;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_vctzlsbb(CPUPPCState *env, const PPCOp *op)
{
    const ppc_vsr_t *b = VMX_VR(env, op->rb);
    unsigned n = 0;

    while (n < 16 && !(VsrB(b, 15 - n) & 1)) {
        n++;
    }
    env->gpr[op->rt] = n;
    return PPC_NEXT(env, op);
}

/* ---- Definitions ---------------------------------------------------------- */

#define TAB(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_TAB, 0, op_##name                                                         \
    }
#define TABC(name, xo)                                                                             \
    {                                                                                              \
#name, xo, VMX_F_TABC, 0, op_##name                                                        \
    }
#define CMP(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_CMP, 0, op_##name                                                         \
    }
/* One source (vB or vA); QEMU 7.2 makes some of the unused fields reserved. */
#define TB(name, xo, inval)                                                                        \
    {                                                                                              \
#name, xo, VMX_F_TAB, inval, op_##name                                                     \
    }
#define SUB(name, xo, a)                                                                           \
    {                                                                                              \
#name, VMX_XO_SUB(xo, a), VMX_F_TAB, 0, op_##name                                          \
    }

static const VMXInsn vmx_int_insns[] = {
    TAB(vaddubm, 0),
    TAB(vadduhm, 64),
    TAB(vadduwm, 128),
    TAB(vaddudm, 192),
    TAB(vadduqm, 256),
    TAB(vaddcuq, 320),
    TAB(vaddcuw, 384),
    TAB(vaddubs, 512),
    TAB(vadduhs, 576),
    TAB(vadduws, 640),
    TAB(vaddsbs, 768),
    TAB(vaddshs, 832),
    TAB(vaddsws, 896),
    TAB(vsububm, 1024),
    TAB(vsubuhm, 1088),
    TAB(vsubuwm, 1152),
    TAB(vsubudm, 1216),
    TAB(vsubuqm, 1280),
    TAB(vsubcuq, 1344),
    TAB(vsubcuw, 1408),
    TAB(vsububs, 1536),
    TAB(vsubuhs, 1600),
    TAB(vsubuws, 1664),
    TAB(vsubsbs, 1792),
    TAB(vsubshs, 1856),
    TAB(vsubsws, 1920),
    TABC(vaddeuqm, 60),
    TABC(vaddecuq, 61),
    TABC(vsubeuqm, 62),
    TABC(vsubecuq, 63),
    TAB(vmaxub, 2),
    TAB(vmaxuh, 66),
    TAB(vmaxuw, 130),
    TAB(vmaxud, 194),
    TAB(vmaxsb, 258),
    TAB(vmaxsh, 322),
    TAB(vmaxsw, 386),
    TAB(vmaxsd, 450),
    TAB(vminub, 514),
    TAB(vminuh, 578),
    TAB(vminuw, 642),
    TAB(vminud, 706),
    TAB(vminsb, 770),
    TAB(vminsh, 834),
    TAB(vminsw, 898),
    TAB(vminsd, 962),
    TAB(vavgub, 1026),
    TAB(vavguh, 1090),
    TAB(vavguw, 1154),
    TAB(vavgsb, 1282),
    TAB(vavgsh, 1346),
    TAB(vavgsw, 1410),
    TAB(vabsdub, 1027 | VMX_XO_ISA300),
    TAB(vabsduh, 1091 | VMX_XO_ISA300),
    TAB(vabsduw, 1155 | VMX_XO_ISA300),
    TAB(vmuloub, 8),
    TAB(vmulouh, 72),
    TAB(vmulouw, 136),
    TAB(vmuluwm, 137),
    TAB(vmulosb, 264),
    TAB(vmulosh, 328),
    TAB(vmulosw, 392),
    TAB(vmuleub, 520),
    TAB(vmuleuh, 584),
    TAB(vmuleuw, 648),
    TAB(vmulesb, 776),
    TAB(vmulesh, 840),
    TAB(vmulesw, 904),
    TABC(vmhaddshs, 32),
    TABC(vmhraddshs, 33),
    TABC(vmladduhm, 34),
    TABC(vmsumudm, 35 | VMX_XO_ISA300),
    TABC(vmsumubm, 36),
    TABC(vmsummbm, 37),
    TABC(vmsumuhm, 38),
    TABC(vmsumuhs, 39),
    TABC(vmsumshm, 40),
    TABC(vmsumshs, 41),
    TABC(vsel, 42),
    TAB(vsum4ubs, 1544),
    TAB(vsum4sbs, 1800),
    TAB(vsum4shs, 1608),
    TAB(vsum2sws, 1672),
    TAB(vsumsws, 1928),
    TB(vmul10uq, 513 | VMX_XO_ISA300, VMX_RB_FIELD),
    TB(vmul10cuq, 1 | VMX_XO_ISA300, VMX_RB_FIELD),
    TAB(vmul10euq, 577 | VMX_XO_ISA300),
    TAB(vmul10ecuq, 65 | VMX_XO_ISA300),
    CMP(vcmpequb, 6),
    CMP(vcmpequh, 70),
    CMP(vcmpequw, 134),
    CMP(vcmpequd, 199),
    CMP(vcmpneb, 7 | VMX_XO_ISA300),
    CMP(vcmpneh, 71 | VMX_XO_ISA300),
    CMP(vcmpnew, 135 | VMX_XO_ISA300),
    CMP(vcmpnezb, 263 | VMX_XO_ISA300),
    CMP(vcmpnezh, 327 | VMX_XO_ISA300),
    CMP(vcmpnezw, 391 | VMX_XO_ISA300),
    CMP(vcmpgtub, 518),
    CMP(vcmpgtuh, 582),
    CMP(vcmpgtuw, 646),
    CMP(vcmpgtud, 711),
    CMP(vcmpgtsb, 774),
    CMP(vcmpgtsh, 838),
    CMP(vcmpgtsw, 902),
    CMP(vcmpgtsd, 967),
    TAB(vand, 1028),
    TAB(vandc, 1092),
    TAB(vor, 1156),
    TAB(vxor, 1220),
    TAB(vnor, 1284),
    TAB(vorc, 1348),
    TAB(vnand, 1412),
    TAB(veqv, 1668),
    TAB(vrlb, 4),
    TAB(vrlh, 68),
    TAB(vrlw, 132),
    TAB(vrld, 196),
    TAB(vrlwmi, 133 | VMX_XO_ISA300),
    TAB(vrldmi, 197 | VMX_XO_ISA300),
    TAB(vrlwnm, 389 | VMX_XO_ISA300),
    TAB(vrldnm, 453 | VMX_XO_ISA300),
    TAB(vslb, 260),
    TAB(vslh, 324),
    TAB(vslw, 388),
    TAB(vsld, 1476),
    TAB(vsrb, 516),
    TAB(vsrh, 580),
    TAB(vsrw, 644),
    TAB(vsrd, 1732),
    TAB(vsrab, 772),
    TAB(vsrah, 836),
    TAB(vsraw, 900),
    TAB(vsrad, 964),
    TAB(vclzb, 1794),
    TAB(vclzh, 1858),
    TAB(vclzw, 1922),
    TAB(vclzd, 1986),
    TAB(vpopcntb, 1795),
    TAB(vpopcnth, 1859),
    TAB(vpopcntw, 1923),
    TAB(vpopcntd, 1987),
    SUB(vclzlsbb, 1538, 0 | VMX_XO_ISA300),
    SUB(vctzlsbb, 1538, 1 | VMX_XO_ISA300),
    SUB(vnegw, 1538, 6 | VMX_XO_ISA300),
    SUB(vnegd, 1538, 7 | VMX_XO_ISA300),
    SUB(vprtybw, 1538, 8 | VMX_XO_ISA300),
    SUB(vprtybd, 1538, 9 | VMX_XO_ISA300),
    SUB(vprtybq, 1538, 10 | VMX_XO_ISA300),
    SUB(vextsb2w, 1538, 16 | VMX_XO_ISA300),
    SUB(vextsh2w, 1538, 17 | VMX_XO_ISA300),
    SUB(vextsb2d, 1538, 24 | VMX_XO_ISA300),
    SUB(vextsh2d, 1538, 25 | VMX_XO_ISA300),
    SUB(vextsw2d, 1538, 26 | VMX_XO_ISA300),
    SUB(vctzb, 1538, 28 | VMX_XO_ISA300),
    SUB(vctzh, 1538, 29 | VMX_XO_ISA300),
    SUB(vctzw, 1538, 30 | VMX_XO_ISA300),
    SUB(vctzd, 1538, 31 | VMX_XO_ISA300),
};

static void ppc_vmx_int_register(void)
{
    ppc_vmx_register(vmx_int_insns, ARRAY_SIZE(vmx_int_insns));
}

module_init(ppc_vmx_int_register)

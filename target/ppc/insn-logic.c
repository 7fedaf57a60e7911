/*
 * Fixed-point logical, rotate, shift and count instructions (Power ISA 3.0B
 * Book I 3.3.13-3.3.14), plus cmpb, bpermd and darn.
 */
#include "qemu/module.h"
#include "target/ppc/internal.h"

#include <sys/random.h>

/* A definition with a handler per form: [0] plain, [1] record (Rc=1). */
typedef struct LogicInsn {
    PPCInsnDef def; /* first: the registry hands back &def */
    PPCOpFn *fn[2];
} LogicInsn;

/* X-form logical ops: RA = f(RS, RB); RS lives in op->rt. */
#define RS (env->gpr[op->rt])
#define RB (env->gpr[op->rb])

/* One handler per Rc form from an expression of RS and RB (s, b). */
#define LOGIC_OP(name, expr)                                                                       \
    static inline uint64_t calc_##name(CPUPPCState *env, const PPCOp *op, uint64_t s, uint64_t b)  \
    {                                                                                              \
        return expr;                                                                               \
    }                                                                                              \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        env->gpr[op->ra] = calc_##name(env, op, RS, RB);                                           \
        return PPC_NEXT(env, op);                                                                  \
    }                                                                                              \
    static const PPCOp *op_##name##_rc(CPUPPCState *env, const PPCOp *op)                          \
    {                                                                                              \
        uint64_t r = calc_##name(env, op, RS, RB);                                                 \
        env->gpr[op->ra] = r;                                                                      \
        set_cr0(env, op, r);                                                                       \
        return PPC_NEXT(env, op);                                                                  \
    }

#define LOGIC_FNS(name)                                                                            \
    {                                                                                              \
        op_##name, op_##name##_rc                                                                  \
    }

/* ---- Rotate helpers ---------------------------------------------------- */

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
    n &= 63;
    return n ? (x << n) | (x >> (64 - n)) : x;
}

/* The ISA's rotate of a word: the low word in both halves, rotated as 64 bits. */
static inline uint64_t rotl32_dup(uint64_t x, unsigned n)
{
    uint64_t w = (uint32_t)x;

    return rotl64(w | (w << 32), n & 31);
}

/* MASK(mb, me) in big-endian bit numbers; wraps around when mb > me. */
static uint64_t ppc_mask(unsigned mb, unsigned me)
{
    uint64_t from_mb = UINT64_MAX >> mb, to_me = UINT64_MAX << (63 - me);

    return mb <= me ? from_mb & to_me : from_mb | to_me;
}

/* ---- Logical --------------------------------------------------------------- */

LOGIC_OP(and, (s & b))
LOGIC_OP(andc, s & ~b)
LOGIC_OP(or, s | b)
LOGIC_OP(orc, s | ~b)
LOGIC_OP(xor, s ^ b)
LOGIC_OP(nand, ~s | ~b)
LOGIC_OP(nor, ~(s | b))
LOGIC_OP(eqv, ~(s ^ b))
LOGIC_OP(extsb, (int64_t)(int8_t)s)
LOGIC_OP(extsh, (int64_t)(int16_t)s)
LOGIC_OP(extsw, (int64_t)(int32_t)s)
LOGIC_OP(cntlzw, (uint32_t)s ? __builtin_clz((uint32_t)s) : 32)
LOGIC_OP(cntlzd, s ? __builtin_clzll(s) : 64)
LOGIC_OP(cnttzw, (uint32_t)s ? __builtin_ctz((uint32_t)s) : 32)
LOGIC_OP(cnttzd, s ? __builtin_ctzll(s) : 64)

/* Shifts by RB: 6 bits of amount for words (32..63: all out), 7 for doublewords. */
LOGIC_OP(slw, (b & 0x20) ? 0 : (uint32_t)(s << (b & 31)))
LOGIC_OP(srw, (b & 0x20) ? 0 : (uint32_t)s >> (b & 31))
LOGIC_OP(sld, (b & 0x40) ? 0 : s << (b & 63))
LOGIC_OP(srd, (b & 0x40) ? 0 : s >> (b & 63))

/* Rotates: aux holds SH, imm the mask; rlwnm/rldcl/rldcr rotate by RB. */
LOGIC_OP(rlwinm, rotl32_dup(s, op->aux) & op->imm)
LOGIC_OP(rlwnm, rotl32_dup(s, b) & op->imm)
LOGIC_OP(rlwimi, (rotl32_dup(s, op->aux) & op->imm) | (env->gpr[op->ra] & ~op->imm))
LOGIC_OP(rldic, rotl64(s, op->aux) & op->imm)
LOGIC_OP(rldc, rotl64(s, b) & op->imm)
LOGIC_OP(rldimi, (rotl64(s, op->aux) & op->imm) | (env->gpr[op->ra] & ~op->imm))
LOGIC_OP(extswsli, (uint64_t)(int64_t)(int32_t)s << op->aux)

/*
 * Superinstruction: an immediate shift (rldic/rldicl/rldicr) then xor, both
 * without Rc, as in an xorshift generator's steps.  The pair runs as one op
 * from the first; the second op keeps its fields.
 */
static const PPCOp *op_rldic_xor(CPUPPCState *env, const PPCOp *op)
{
    const PPCOp *x = op + 1;

    env->gpr[op->ra] = calc_rldic(env, op, RS, 0);
    env->gpr[x->ra] = calc_xor(env, x, env->gpr[x->rt], env->gpr[x->rb]);
    return PPC_NEXT(env, x);
}

PPCOpFn *ppc_logic_fused_fn(const PPCOp *first, const PPCOp *second)
{
    if (first->fn == op_rldic && second->fn == op_xor) {
        return op_rldic_xor;
    }
    return NULL;
}

/*
 * Algebraic shifts: CA and CA32 are set when the source is negative and
 * 1 bits were shifted out.  n is the amount, limit the operand width.
 */
static inline uint64_t sra_common(CPUPPCState *env, int64_t s, unsigned n, unsigned limit)
{
    int64_t r;
    bool ca;

    if (n < limit) {
        r = s >> n;
        ca = s < 0 && (s & ((1ULL << n) - 1)) != 0;
    } else {
        r = s >> 63;
        ca = s < 0;
    }
    env->ca = env->ca32 = ca;
    return r;
}

LOGIC_OP(sraw, sra_common(env, (int32_t)s, b & 0x3f, 32))
LOGIC_OP(srawi, sra_common(env, (int32_t)s, op->aux, 32))
LOGIC_OP(srad, sra_common(env, s, b & 0x7f, 64))
LOGIC_OP(sradi, sra_common(env, s, op->aux, 64))

/* ---- Population count and parity (no Rc form) ------------------------------ */

/* Bit counts of each byte, each in its own byte. */
static inline uint64_t popcnt_bytes(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    return (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
}

LOGIC_OP(popcntb, popcnt_bytes(s))
LOGIC_OP(popcntw, ((uint64_t)__builtin_popcount(s >> 32) << 32) | __builtin_popcount((uint32_t)s))
LOGIC_OP(popcntd, __builtin_popcountll(s))

/* Parity of the low bits of the bytes of each word (prtyw) or of the doubleword. */
static inline uint64_t prty_word_bits(uint64_t s)
{
    uint64_t x = s & 0x0101010101010101ULL;

    x ^= x >> 16;
    x ^= x >> 8;
    return x & 0x0000000100000001ULL;
}

LOGIC_OP(prtyw, prty_word_bits(s))
LOGIC_OP(prtyd, (prty_word_bits(s) ^ (prty_word_bits(s) >> 32)) & 1)

/* cmpb: each byte of RA is 0xff where the bytes of RS and RB are equal, else 0. */
static inline uint64_t cmpb_calc(uint64_t s, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 64; i += 8) {
        if ((uint8_t)(s >> i) == (uint8_t)(b >> i)) {
            r |= 0xffULL << i;
        }
    }
    return r;
}

/*
 * bpermd: byte i of RS (from the left) selects bit RS.byte[i] of RB (in
 * big-endian numbering; 0 when >= 64) as bit 56 + i of RA.
 */
static inline uint64_t bpermd_calc(uint64_t s, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        unsigned idx = (uint8_t)(s >> (56 - 8 * i));

        if (idx < 64 && ((b >> (63 - idx)) & 1)) {
            r |= 0x80 >> i;
        }
    }
    return r;
}

LOGIC_OP(cmpb, cmpb_calc(s, b))
LOGIC_OP(bpermd, bpermd_calc(s, b))

/* ---- Immediate forms (imm is already shifted for the "is" forms) ----------- */

static const PPCOp *op_ori(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->ra] = RS | op->imm;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xori(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->ra] = RS ^ op->imm;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_andi(CPUPPCState *env, const PPCOp *op)
{
    uint64_t r = RS & op->imm;

    env->gpr[op->ra] = r;
    set_cr0(env, op, r);
    return PPC_NEXT(env, op);
}

/* ---- darn ------------------------------------------------------------------ */

/*
 * Deliver a random number: L=0 a 32-bit one (zero-extended), L=1
 * (conditioned) and L=2 (raw) 64-bit ones; all ones is the architected
 * "no number available" value, so it is never returned for a good number.
 * L=3 is reserved and gives all ones, as QEMU does.
 */
static uint64_t darn_random(unsigned l)
{
    uint64_t v;

    if (l == 3) {
        return UINT64_MAX;
    }
    do {
        if (getrandom(&v, sizeof(v), 0) != sizeof(v)) {
            return l ? UINT64_MAX : UINT32_MAX;
        }
        if (l == 0) {
            v = (uint32_t)v;
        }
    } while (v == (l ? UINT64_MAX : UINT32_MAX));
    return v;
}

static const PPCOp *op_darn(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = darn_random(op->aux);
    return PPC_NEXT(env, op);
}

/* ---- Encodings ------------------------------------------------------------ */

#define X(xo) (0x7c000000u | ((xo) << 1))
#define X_MASK 0xfc0007feu
#define OPCD(n) ((uint32_t)(n) << 26)
#define OPCD_MASK 0xfc000000u
/* XS-form: 9-bit XO at 21:29, sh5 at 30. */
#define XS(xo) (0x7c000000u | ((xo) << 2))
#define XS_MASK 0xfc0007fcu
/* MD-form: XO at 27:29; MDS-form: XO at 27:30. */
#define MD(xo) (OPCD(30) | ((xo) << 2))
#define MD_MASK 0xfc00001cu
#define MDS(xo) (OPCD(30) | ((xo) << 1))
#define MDS_MASK 0xfc00001eu

/* ---- Decoders -------------------------------------------------------------- */

static inline PPCOpFn *pick_rc(const PPCInsnDef *def, uint32_t insn)
{
    return ((const LogicInsn *)def)->fn[INSN_RCBIT(insn)];
}

/* X-form: RS (op->rt), RA, RB, Rc. */
static bool decode_logic(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    op->fn = pick_rc(def, insn);
    return true;
}

/* srawi (X-form, SH at 16:20) and sradi/extswsli (XS-form, sh5 at bit 30). */
static bool decode_sh_imm(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->aux = insn_field(insn, 16, 20);
    if (def->mask == XS_MASK) {
        op->aux |= insn_field(insn, 30, 30) << 5;
    }
    return true;
}

/* M-form: rlwinm/rlwnm/rlwimi; SH (16:20), MB (21:25), ME (26:30). */
static bool decode_m(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->aux = insn_field(insn, 16, 20);
    op->imm = ppc_mask(insn_field(insn, 21, 25) + 32, insn_field(insn, 26, 30) + 32);
    return true;
}

/* MD/MDS-form fields: sh = sh5 || sh0:4, mb (or me) = mb5 || mb0:4. */
static unsigned md_sh(uint32_t insn)
{
    return insn_field(insn, 16, 20) | (insn_field(insn, 30, 30) << 5);
}

static unsigned md_mb(uint32_t insn)
{
    return insn_field(insn, 21, 25) | (insn_field(insn, 26, 26) << 5);
}

static bool decode_rldicl(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->aux = md_sh(insn);
    op->imm = ppc_mask(md_mb(insn), 63);
    return true;
}

static bool decode_rldicr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->aux = md_sh(insn);
    op->imm = ppc_mask(0, md_mb(insn));
    return true;
}

/* rldic and rldimi: MASK(mb, 63 - sh). */
static bool decode_rldic(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->aux = md_sh(insn);
    op->imm = ppc_mask(md_mb(insn), 63 - op->aux);
    return true;
}

/* rldcl (xo 8) keeps MASK(mb, 63), rldcr (xo 9) MASK(0, me). */
static bool decode_rldc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_logic(def, insn, op);
    op->imm = insn_field(insn, 30, 30) ? ppc_mask(0, md_mb(insn)) : ppc_mask(md_mb(insn), 63);
    return true;
}

/* D-form logical immediates: RS, RA, UI; the "is" forms shift it left 16. */
static bool decode_logic_imm(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_du(def, insn, op);
    if (INSN_OPCD(insn) & 1) {
        op->imm <<= 16;
    }
    return true;
}

static bool decode_darn(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    op->aux = insn_field(insn, 14, 15);
    return true;
}

/* ---- The tables ------------------------------------------------------------ */

#define LOGIC_INSN(nm, match, mask, dec)                                                           \
    {                                                                                              \
        { #nm, match, mask, dec, NULL, 0 }, LOGIC_FNS(nm)                                          \
    }
#define LOGIC_X(nm, xo) LOGIC_INSN(nm, X(xo), X_MASK, decode_logic)
/* Power ISA 3.0 instructions: illegal on POWER8. */
#define LOGIC_INSN300(nm, match, mask, dec)                                                        \
    {                                                                                              \
        { #nm, match, mask, dec, NULL, PPC_INSN_ISA300 }, LOGIC_FNS(nm)                            \
    }

static const LogicInsn logic_insns[] = {
    LOGIC_X(and, 28),
    LOGIC_X(andc, 60),
    LOGIC_X(or, 444),
    LOGIC_X(orc, 412),
    LOGIC_X(xor, 316),
    LOGIC_X(nand, 476),
    LOGIC_X(nor, 124),
    LOGIC_X(eqv, 284),
    LOGIC_X(extsb, 954),
    LOGIC_X(extsh, 922),
    LOGIC_X(extsw, 986),
    LOGIC_X(cntlzw, 26),
    LOGIC_X(cntlzd, 58),
    LOGIC_INSN300(cnttzw, X(538), X_MASK, decode_logic),
    LOGIC_INSN300(cnttzd, X(570), X_MASK, decode_logic),
    LOGIC_X(slw, 24),
    LOGIC_X(srw, 536),
    LOGIC_X(sld, 27),
    LOGIC_X(srd, 539),
    LOGIC_X(sraw, 792),
    LOGIC_X(srad, 794),
    LOGIC_INSN(srawi, X(824), X_MASK, decode_sh_imm),
    LOGIC_INSN(sradi, XS(413), XS_MASK, decode_sh_imm),
    LOGIC_INSN300(extswsli, XS(445), XS_MASK, decode_sh_imm),
    /* No Rc forms: QEMU checks RB (unary ones) and bit 31 reserved. */
    LOGIC_INSN(popcntb, X(122), X_MASK | 0xf801, decode_logic),
    LOGIC_INSN(popcntw, X(378), X_MASK | 0xf801, decode_logic),
    LOGIC_INSN(popcntd, X(506), X_MASK | 0xf801, decode_logic),
    LOGIC_INSN(prtyw, X(154), X_MASK | 0xf801, decode_logic),
    LOGIC_INSN(prtyd, X(186), X_MASK | 0xf801, decode_logic),
    LOGIC_INSN(cmpb, X(508), X_MASK | 1, decode_logic),
    LOGIC_INSN(bpermd, X(252), X_MASK | 1, decode_logic),
    LOGIC_INSN(rlwinm, OPCD(21), OPCD_MASK, decode_m),
    LOGIC_INSN(rlwnm, OPCD(23), OPCD_MASK, decode_m),
    LOGIC_INSN(rlwimi, OPCD(20), OPCD_MASK, decode_m),
    { { "rldicl", MD(0), MD_MASK, decode_rldicl, NULL, 0 }, LOGIC_FNS(rldic) },
    { { "rldicr", MD(1), MD_MASK, decode_rldicr, NULL, 0 }, LOGIC_FNS(rldic) },
    { { "rldic", MD(2), MD_MASK, decode_rldic, NULL, 0 }, LOGIC_FNS(rldic) },
    { { "rldimi", MD(3), MD_MASK, decode_rldic, NULL, 0 }, LOGIC_FNS(rldimi) },
    { { "rldcl", MDS(8), MDS_MASK, decode_rldc, NULL, 0 }, LOGIC_FNS(rldc) },
    { { "rldcr", MDS(9), MDS_MASK, decode_rldc, NULL, 0 }, LOGIC_FNS(rldc) },
};

static const PPCInsnDef logic_plain[] = {
    { "andi.", OPCD(28), OPCD_MASK, decode_logic_imm, op_andi, 0 },
    { "andis.", OPCD(29), OPCD_MASK, decode_logic_imm, op_andi, 0 },
    { "ori", OPCD(24), OPCD_MASK, decode_logic_imm, op_ori, 0 },
    { "oris", OPCD(25), OPCD_MASK, decode_logic_imm, op_ori, 0 },
    { "xori", OPCD(26), OPCD_MASK, decode_logic_imm, op_xori, 0 },
    { "xoris", OPCD(27), OPCD_MASK, decode_logic_imm, op_xori, 0 },
    /* QEMU checks bits 11:13, RB and Rc reserved. */
    { "darn", X(755), X_MASK | 0x001cf801, decode_darn, op_darn, PPC_INSN_ISA300 },
};

static void ppc_insn_logic_register(void)
{
    /* One at a time: each registered pointer heads a LogicInsn. */
    for (size_t i = 0; i < ARRAY_SIZE(logic_insns); i++) {
        ppc_insn_register(&logic_insns[i].def, 1);
    }
    ppc_insn_register(logic_plain, ARRAY_SIZE(logic_plain));
}

module_init(ppc_insn_logic_register)

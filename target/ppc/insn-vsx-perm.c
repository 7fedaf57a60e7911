/*
 * VSX logical, select, permute, merge, shift, splat, insert/extract and
 * byte-reverse instructions (Power ISA 3.0B Book I 7.6.1.8-7.6.1.9): whole
 * 128-bit register operations.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx.h"

#define T (&env->vsr[op->rt])
#define A (&env->vsr[op->ra])
#define B (&env->vsr[op->rb])

/* ---- Logical ------------------------------------------------------------- */

#define LOGICAL(name, expr)                                                                        \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        unsigned __int128 a = A->u128, b = B->u128;                                                \
                                                                                                   \
        T->u128 = (expr);                                                                          \
        return PPC_NEXT(env, op);                                                                  \
    }

LOGICAL(xxland, a &b)
LOGICAL(xxlandc, a & ~b)
LOGICAL(xxlor, a | b)
LOGICAL(xxlxor, a ^ b)
LOGICAL(xxlnor, ~(a | b))
LOGICAL(xxleqv, ~(a ^ b))
LOGICAL(xxlnand, ~(a &b))
LOGICAL(xxlorc, a | ~b)

/* xxsel: bits of XB where XC has ones, of XA elsewhere. */
static const PPCOp *op_xxsel(CPUPPCState *env, const PPCOp *op)
{
    unsigned __int128 c = env->vsr[op->rc].u128;

    T->u128 = (A->u128 & ~c) | (B->u128 & c);
    return PPC_NEXT(env, op);
}

/* ---- Permutes ----------------------------------------------------------- */

/*
 * xxperm: byte i of XT is byte (XB.byte[i] & 31) of XA || XT; xxpermr
 * counts that index from the right (31 - index).
 */
static inline const PPCOp *do_xxperm(CPUPPCState *env, const PPCOp *op, bool right)
{
    ppc_vsr_t src[2] = { *A, *T }, pcv = *B, r;

    for (unsigned i = 0; i < 16; i++) {
        unsigned idx = VsrB(&pcv, i) & 31;

        if (right) {
            idx = 31 - idx;
        }
        VsrB(&r, i) = VsrB(&src[idx >> 4], idx & 15);
    }
    *T = r;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxperm(CPUPPCState *env, const PPCOp *op)
{
    return do_xxperm(env, op, false);
}

static const PPCOp *op_xxpermr(CPUPPCState *env, const PPCOp *op)
{
    return do_xxperm(env, op, true);
}

/* xxpermdi: DM (aux) bit 0 picks XA's doubleword, bit 1 XB's. */
static const PPCOp *op_xxpermdi(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = VsrD(A, op->aux >> 1), lo = VsrD(B, op->aux & 1);

    VsrD(T, 0) = hi;
    VsrD(T, 1) = lo;
    return PPC_NEXT(env, op);
}

/* xxmrghw/xxmrglw: the words of XA and XB alternate, from word w of each. */
static inline const PPCOp *do_xxmrgw(CPUPPCState *env, const PPCOp *op, unsigned w)
{
    ppc_vsr_t a = *A, b = *B;

    VsrW(T, 0) = VsrW(&a, w);
    VsrW(T, 1) = VsrW(&b, w);
    VsrW(T, 2) = VsrW(&a, w + 1);
    VsrW(T, 3) = VsrW(&b, w + 1);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxmrghw(CPUPPCState *env, const PPCOp *op)
{
    return do_xxmrgw(env, op, 0);
}

static const PPCOp *op_xxmrglw(CPUPPCState *env, const PPCOp *op)
{
    return do_xxmrgw(env, op, 2);
}

/* xxsldwi: the 128 bits of XA || XB starting SHW (aux) words from the left. */
static const PPCOp *op_xxsldwi(CPUPPCState *env, const PPCOp *op)
{
    unsigned sh = op->aux * 32;

    if (sh) {
        T->u128 = (A->u128 << sh) | (B->u128 >> (128 - sh));
    } else {
        T->u128 = A->u128;
    }
    return PPC_NEXT(env, op);
}

/* ---- Splats, insert, extract ---------------------------------------------- */

static const PPCOp *op_xxspltw(CPUPPCState *env, const PPCOp *op)
{
    uint64_t w = VsrW(B, op->aux);

    VsrD(T, 0) = VsrD(T, 1) = w | (w << 32);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxspltib(CPUPPCState *env, const PPCOp *op)
{
    uint64_t v = 0x0101010101010101ull * op->aux;

    VsrD(T, 0) = VsrD(T, 1) = v;
    return PPC_NEXT(env, op);
}

/*
 * xxextractuw: the word at byte UIM of XB (bytes past 15 wrap to 0, as in
 * QEMU 7.2; the ISA leaves UIM > 12 undefined) into word 1, zeros elsewhere.
 */
static const PPCOp *op_xxextractuw(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t b = *B, r = { .u128 = 0 };

    for (unsigned i = 0; i < 4; i++) {
        VsrB(&r, 4 + i) = VsrB(&b, (op->aux + i) & 15);
    }
    *T = r;
    return PPC_NEXT(env, op);
}

/*
 * xxinsertw: word 1 of XB into XT at byte UIM; bytes that would land past
 * byte 15 are dropped (QEMU 7.2; undefined in the ISA).
 */
static const PPCOp *op_xxinsertw(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t b = *B;

    for (unsigned i = 0; i < 4 && op->aux + i < 16; i++) {
        VsrB(T, op->aux + i) = VsrB(&b, 4 + i);
    }
    return PPC_NEXT(env, op);
}

/* ---- Byte reverse -------------------------------------------------------- */

static const PPCOp *op_xxbrh(CPUPPCState *env, const PPCOp *op)
{
    const uint64_t m = 0x00ff00ff00ff00ffull;
    uint64_t hi = VsrD(B, 0), lo = VsrD(B, 1);

    VsrD(T, 0) = ((hi & m) << 8) | ((hi >> 8) & m);
    VsrD(T, 1) = ((lo & m) << 8) | ((lo >> 8) & m);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxbrw(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = __builtin_bswap64(VsrD(B, 0)), lo = __builtin_bswap64(VsrD(B, 1));

    VsrD(T, 0) = (hi >> 32) | (hi << 32);
    VsrD(T, 1) = (lo >> 32) | (lo << 32);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxbrd(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = VsrD(B, 0), lo = VsrD(B, 1);

    VsrD(T, 0) = __builtin_bswap64(hi);
    VsrD(T, 1) = __builtin_bswap64(lo);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_xxbrq(CPUPPCState *env, const PPCOp *op)
{
    uint64_t hi = VsrD(B, 0), lo = VsrD(B, 1);

    VsrD(T, 0) = __builtin_bswap64(lo);
    VsrD(T, 1) = __builtin_bswap64(hi);
    return PPC_NEXT(env, op);
}

/* ---- Decoders with immediates --------------------------------------------- */

/* xxpermdi DM, xxsldwi SHW: bits 22-23. */
static bool decode_xx3_imm2(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->aux = insn_field(insn, 22, 23);
    return vsx_decode_xx(def, insn, op);
}

/* xxspltw UIM: bits 14-15 (11-13 are ignored). */
static bool decode_xxspltw(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->aux = insn_field(insn, 14, 15);
    return vsx_decode_xx(def, insn, op);
}

/* xxspltib IMM8: bits 13-20; XT uses VSX or VEC by its number. */
static bool decode_xxspltib(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->aux = insn_field(insn, 13, 20);
    return vsx_decode_xx_split(def, insn, op);
}

/* xxextractuw/xxinsertw UIM: bits 12-15; bit 11 is reserved (set: invalid, as in QEMU). */
static bool decode_xx2_uim4(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (insn_field(insn, 11, 11)) {
        return false;
    }
    op->aux = insn_field(insn, 12, 15);
    return vsx_decode_xx(def, insn, op);
}

/* ---- Table ---------------------------------------------------------------- */

#define XX3_ROW(name, xo)                                                                          \
    {                                                                                              \
#name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, op_##name, 0                              \
    }
/* Power ISA 3.0 instructions: illegal on POWER8. */
#define XX3_ROW300(name, xo)                                                                       \
    {                                                                                              \
#name, VSX_XX3(xo), VSX_XX3_MASK, vsx_decode_xx, op_##name, PPC_INSN_ISA300                \
    }
#define I300 PPC_INSN_ISA300

static const PPCInsnDef vsx_perm_insns[] = {
    XX3_ROW(xxland, 130),
    XX3_ROW(xxlandc, 138),
    XX3_ROW(xxlor, 146),
    XX3_ROW(xxlxor, 154),
    XX3_ROW(xxlnor, 162),
    XX3_ROW(xxlorc, 170),
    XX3_ROW(xxlnand, 178),
    XX3_ROW(xxleqv, 186),
    XX3_ROW(xxmrghw, 18),
    XX3_ROW(xxmrglw, 50),
    XX3_ROW300(xxperm, 26),
    XX3_ROW300(xxpermr, 58),
    /* XX3 forms with a 2-bit immediate in bits 22-23 (bit 21 is 0) */
    { "xxsldwi", VSX_OPCD(60) | 0x010, 0xfc0004f8u, decode_xx3_imm2, op_xxsldwi, 0 },
    { "xxpermdi", VSX_OPCD(60) | 0x050, 0xfc0004f8u, decode_xx3_imm2, op_xxpermdi, 0 },
    /* XX4: xxsel (bits 26-27 = 11) */
    { "xxsel", VSX_OPCD(60) | 0x030, 0xfc000030u, vsx_decode_xx, op_xxsel, 0 },
    { "xxspltw", VSX_XX2(164), VSX_XX2_MASK, decode_xxspltw, op_xxspltw, 0 },
    { "xxspltib", VSX_X(60, 360), VSX_X_MASK | 0x00180000u, decode_xxspltib, op_xxspltib, I300 },
    { "xxextractuw", VSX_XX2(165), VSX_XX2_MASK, decode_xx2_uim4, op_xxextractuw, I300 },
    { "xxinsertw", VSX_XX2(181), VSX_XX2_MASK, decode_xx2_uim4, op_xxinsertw, I300 },
    { "xxbrh", VSX_XX2_EO(475, 7), VSX_XX2_EO_MASK, vsx_decode_xx, op_xxbrh, I300 },
    { "xxbrw", VSX_XX2_EO(475, 15), VSX_XX2_EO_MASK, vsx_decode_xx, op_xxbrw, I300 },
    { "xxbrd", VSX_XX2_EO(475, 23), VSX_XX2_EO_MASK, vsx_decode_xx, op_xxbrd, I300 },
    { "xxbrq", VSX_XX2_EO(475, 31), VSX_XX2_EO_MASK, vsx_decode_xx, op_xxbrq, I300 },
};

static void ppc_vsx_perm_register(void)
{
    ppc_insn_register(vsx_perm_insns, ARRAY_SIZE(vsx_perm_insns));
}

module_init(ppc_vsx_perm_register)

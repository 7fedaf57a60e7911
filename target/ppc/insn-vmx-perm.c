/*
 * Vector permute and formatting instructions (Power ISA 3.0B Book I 6.8):
 * vperm/vpermr/vpermxor, vsldoi, merges, splats, pack and unpack, whole-
 * register shifts (vsl, vslo, vslv ...), bit gathers and permutes, element
 * extract and insert.
 */
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

typedef unsigned __int128 u128;

/* ---- Permutes ------------------------------------------------------------- */

/* Byte i of the 32-byte concatenation a || b (i < 32). */
static inline uint8_t cat_byte(const ppc_vsr_t *a, const ppc_vsr_t *b, unsigned i)
{
    return i < 16 ? VsrB(a, i) : VsrB(b, i - 16);
}

VMX_OP_BEGIN(vperm)
for (unsigned i = 0; i < 16; i++) {
    VsrB(&t, i) = cat_byte(a, b, VsrB(c, i) & 31);
}
VMX_OP_END

VMX_OP_BEGIN(vpermr)
for (unsigned i = 0; i < 16; i++) {
    VsrB(&t, i) = cat_byte(a, b, 31 - (VsrB(c, i) & 31));
}
VMX_OP_END

VMX_OP_BEGIN(vpermxor)
for (unsigned i = 0; i < 16; i++) {
    VsrB(&t, i) = VsrB(a, VsrB(c, i) >> 4) ^ VsrB(b, VsrB(c, i) & 15);
}
VMX_OP_END

VMX_OP_BEGIN(vsldoi)
unsigned sh = op->aux;
t.u128 = sh ? (a->u128 << (8 * sh)) | (b->u128 >> (128 - 8 * sh)) : a->u128;
VMX_OP_END

/* ---- Merges and splats ---------------------------------------------------- */

#define VMX_MERGE(name, acc, n, base)                                                              \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < n / 2; i++) {                                                         \
        acc(&t, 2 * i) = acc(a, base + i);                                                         \
        acc(&t, 2 * i + 1) = acc(b, base + i);                                                     \
    }                                                                                              \
    VMX_OP_END

VMX_MERGE(vmrghb, VsrB, 16, 0)
VMX_MERGE(vmrghh, VsrH, 8, 0)
VMX_MERGE(vmrghw, VsrW, 4, 0)
VMX_MERGE(vmrglb, VsrB, 16, 8)
VMX_MERGE(vmrglh, VsrH, 8, 4)
VMX_MERGE(vmrglw, VsrW, 4, 2)

/* Even/odd words of a and b, interleaved. */
#define VMX_MERGE_EO(name, odd)                                                                    \
    VMX_OP_BEGIN(name)                                                                             \
    VsrW(&t, 0) = VsrW(a, odd);                                                                    \
    VsrW(&t, 1) = VsrW(b, odd);                                                                    \
    VsrW(&t, 2) = VsrW(a, 2 + odd);                                                                \
    VsrW(&t, 3) = VsrW(b, 2 + odd);                                                                \
    VMX_OP_END

VMX_MERGE_EO(vmrgew, 0)
VMX_MERGE_EO(vmrgow, 1)

/* vsplt[bhw]: element UIM of vB everywhere (the UIM's unused high bits are ignored). */
#define VMX_SPLAT(name, field, acc, n)                                                             \
    VMX_OP_BEGIN(name)                                                                             \
    __typeof__(t.field[0]) v = acc(b, op->aux & (n - 1));                                          \
    for (unsigned i = 0; i < n; i++) {                                                             \
        t.field[i] = v;                                                                            \
    }                                                                                              \
    VMX_OP_END

VMX_SPLAT(vspltb, u8, VsrB, 16)
VMX_SPLAT(vsplth, u16, VsrH, 8)
VMX_SPLAT(vspltw, u32, VsrW, 4)

/* vspltis[bhw]: the sign-extended 5-bit immediate in the A field. */
#define VMX_SPLTIS(name, field)                                                                    \
    VMX_OP_BEGIN(name)                                                                             \
    int v = (int32_t)((uint32_t)op->aux << 27) >> 27;                                              \
    for (unsigned i = 0; i < ARRAY_SIZE(t.field); i++) {                                           \
        t.field[i] = v;                                                                            \
    }                                                                                              \
    VMX_OP_END

VMX_SPLTIS(vspltisb, s8)
VMX_SPLTIS(vspltish, s16)
VMX_SPLTIS(vspltisw, s32)

/* ---- Pack and unpack ------------------------------------------------------ */

/*
 * Pack: the elements of a, then those of b, each narrowed (modulo, or
 * saturated from an unsigned or signed source to an unsigned or signed
 * result; SAT when any saturated).
 */
#define VMX_PACK(name, get, put, n, stype, expr)                                                   \
    VMX_OP_BEGIN(name)                                                                             \
    bool sat = false;                                                                              \
    for (unsigned i = 0; i < n; i++) {                                                             \
        stype x = get(a, i);                                                                       \
        put(&t, i) = (expr);                                                                       \
        x = get(b, i);                                                                             \
        put(&t, i + n) = (expr);                                                                   \
    }                                                                                              \
    vmx_set_sat(env, sat);                                                                         \
    VMX_OP_END

VMX_PACK(vpkuhum, VsrH, VsrB, 8, uint16_t, x)
VMX_PACK(vpkuwum, VsrW, VsrH, 4, uint32_t, x)
VMX_PACK(vpkudum, VsrD, VsrW, 2, uint64_t, x)
VMX_PACK(vpkuhus, VsrH, VsrB, 8, uint16_t, vmx_clamp_u(x, UINT8_MAX, &sat))
VMX_PACK(vpkuwus, VsrW, VsrH, 4, uint32_t, vmx_clamp_u(x, UINT16_MAX, &sat))
VMX_PACK(vpkudus, VsrD, VsrW, 2, uint64_t, x > UINT32_MAX ? (sat = true, UINT32_MAX) : (uint32_t)x)
VMX_PACK(vpkshus, VsrSH, VsrB, 8, int16_t, vmx_clamp_u(x, UINT8_MAX, &sat))
VMX_PACK(vpkswus, VsrSW, VsrH, 4, int32_t, vmx_clamp_u(x, UINT16_MAX, &sat))
VMX_PACK(vpksdus, VsrSD, VsrW, 2, int64_t, vmx_clamp_u(x, UINT32_MAX, &sat))
VMX_PACK(vpkshss, VsrSH, VsrSB, 8, int16_t, vmx_clamp_s(x, INT8_MIN, INT8_MAX, &sat))
VMX_PACK(vpkswss, VsrSW, VsrSH, 4, int32_t, vmx_clamp_s(x, INT16_MIN, INT16_MAX, &sat))
VMX_PACK(vpksdss, VsrSD, VsrSW, 2, int64_t, vmx_clamp_s(x, INT32_MIN, INT32_MAX, &sat))

/* 8:8:8:8 pixel words to 1:5:5:5 halfwords. */
static inline uint16_t pack_pixel(uint32_t w)
{
    return ((w >> 9) & 0xfc00) | ((w >> 6) & 0x3e0) | ((w >> 3) & 0x1f);
}

VMX_OP_BEGIN(vpkpx)
for (unsigned i = 0; i < 4; i++) {
    VsrH(&t, i) = pack_pixel(VsrW(a, i));
    VsrH(&t, i + 4) = pack_pixel(VsrW(b, i));
}
VMX_OP_END

/* Unpack: the high (first) or low half of vB's elements, sign-extended. */
#define VMX_UNPACK(name, get, put, n, base)                                                        \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < n; i++) {                                                             \
        put(&t, i) = get(b, base + i);                                                             \
    }                                                                                              \
    VMX_OP_END

VMX_UNPACK(vupkhsb, VsrSB, VsrSH, 8, 0)
VMX_UNPACK(vupklsb, VsrSB, VsrSH, 8, 8)
VMX_UNPACK(vupkhsh, VsrSH, VsrSW, 4, 0)
VMX_UNPACK(vupklsh, VsrSH, VsrSW, 4, 4)
VMX_UNPACK(vupkhsw, VsrSW, VsrSD, 2, 0)
VMX_UNPACK(vupklsw, VsrSW, VsrSD, 2, 2)

/* 1:5:5:5 halfwords to 8:8:8:8 words, the 1-bit field sign-extended to a byte. */
static inline uint32_t unpack_pixel(uint16_t h)
{
    return (h & 0x8000 ? 0xff000000u : 0) | ((h >> 10) & 0x1f) << 16 | ((h >> 5) & 0x1f) << 8 |
           (h & 0x1f);
}

VMX_OP_BEGIN(vupkhpx)
for (unsigned i = 0; i < 4; i++) {
    VsrW(&t, i) = unpack_pixel(VsrH(b, i));
}
VMX_OP_END

VMX_OP_BEGIN(vupklpx)
for (unsigned i = 0; i < 4; i++) {
    VsrW(&t, i) = unpack_pixel(VsrH(b, i + 4));
}
VMX_OP_END

/* ---- Whole-register shifts ------------------------------------------------ */

/* vsl/vsr by bits (the low 3 bits of vB's last byte), vslo/vsro by octets. */
VMX_OP_BEGIN(vsl)
t.u128 = a->u128 << (VsrB(b, 15) & 7);
VMX_OP_END

VMX_OP_BEGIN(vsr)
t.u128 = a->u128 >> (VsrB(b, 15) & 7);
VMX_OP_END

VMX_OP_BEGIN(vslo)
unsigned sh = (VsrB(b, 15) >> 3) & 15;
t.u128 = a->u128 << (8 * sh);
VMX_OP_END

VMX_OP_BEGIN(vsro)
unsigned sh = (VsrB(b, 15) >> 3) & 15;
t.u128 = a->u128 >> (8 * sh);
VMX_OP_END

/* vslv/vsrv: each byte shifted by its own count, pulling bits from its neighbour. */
VMX_OP_BEGIN(vslv)
for (unsigned i = 0; i < 16; i++) {
    unsigned v = VsrB(a, i) << 8 | (i < 15 ? VsrB(a, i + 1) : 0);
    VsrB(&t, i) = (v << (VsrB(b, i) & 7)) >> 8;
}
VMX_OP_END

VMX_OP_BEGIN(vsrv)
for (unsigned i = 0; i < 16; i++) {
    unsigned v = (i > 0 ? VsrB(a, i - 1) : 0) << 8 | VsrB(a, i);
    VsrB(&t, i) = v >> (VsrB(b, i) & 7);
}
VMX_OP_END

/* ---- Bit gathers and permutes --------------------------------------------- */

/* vgbbd: each doubleword as an 8x8 bit matrix (bytes = rows), transposed. */
static inline uint64_t transpose8x8(uint64_t x)
{
    uint64_t r = 0;

    for (unsigned j = 0; j < 8; j++) {
        for (unsigned k = 0; k < 8; k++) {
            /* bit k of byte j, big-endian numbering, goes to bit j of byte k */
            uint64_t bit = (x >> (63 - (8 * j + k))) & 1;
            r |= bit << (63 - (8 * k + j));
        }
    }
    return r;
}

VMX_OP_BEGIN(vgbbd)
t.u64[0] = transpose8x8(b->u64[0]);
t.u64[1] = transpose8x8(b->u64[1]);
VMX_OP_END

/* Bit i of a (bit 0 = the MSB), for i < 128. */
static inline unsigned bit128(const ppc_vsr_t *a, unsigned i)
{
    return (a->u128 >> (127 - i)) & 1;
}

VMX_OP_BEGIN(vbpermq)
uint64_t r = 0;
for (unsigned i = 0; i < 16; i++) {
    unsigned idx = VsrB(b, i);
    r |= (uint64_t)(idx < 128 ? bit128(a, idx) : 0) << (15 - i);
}
VsrD(&t, 0) = r;
VsrD(&t, 1) = 0;
VMX_OP_END

VMX_OP_BEGIN(vbpermd)
for (unsigned d = 0; d < 2; d++) {
    uint64_t r = 0, x = VsrD(a, d);
    for (unsigned j = 0; j < 8; j++) {
        unsigned idx = VsrB(b, 8 * d + j);
        r |= (idx < 64 ? (x >> (63 - idx)) & 1 : 0) << (7 - j);
    }
    VsrD(&t, d) = r;
}
VMX_OP_END

/* ---- Extract and insert --------------------------------------------------- */

/*
 * vextractu[bhw]/vextractd: size bytes at byte offset UIM of vB into
 * doubleword 0 (right-justified), the rest zero; vinsert* the converse
 * (vB's element in the middle of doubleword 0, into vD at offset UIM, the
 * rest of vD kept).  The ISA leaves UIM > 16 - size undefined; QEMU 7.2
 * extracts from offset 0 and inserts nothing, and so do we.
 */
static inline const PPCOp *vmx_extract(CPUPPCState *env, const PPCOp *op, unsigned size)
{
    const ppc_vsr_t *b = VMX_VR(env, op->rb);
    ppc_vsr_t *t = VMX_VR(env, op->rt);
    unsigned uim = op->aux & 15;
    uint64_t v = 0;

    if (uim > 16 - size) {
        uim = 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v = v << 8 | VsrB(b, uim + i);
    }
    VsrD(t, 0) = v;
    VsrD(t, 1) = 0;
    return PPC_NEXT(env, op);
}

static inline const PPCOp *vmx_insert(CPUPPCState *env, const PPCOp *op, unsigned size)
{
    const ppc_vsr_t *b = VMX_VR(env, op->rb);
    ppc_vsr_t *t = VMX_VR(env, op->rt);
    unsigned uim = op->aux & 15;
    ppc_vsr_t s = *b;

    if (uim <= 16 - size) {
        for (unsigned i = 0; i < size; i++) {
            VsrB(t, uim + i) = VsrB(&s, 8 - size + i);
        }
    }
    return PPC_NEXT(env, op);
}

#define VMX_EXT_INS(ext, ins, size)                                                                \
    static const PPCOp *op_##ext(CPUPPCState *env, const PPCOp *op)                                \
    {                                                                                              \
        return vmx_extract(env, op, size);                                                         \
    }                                                                                              \
    static const PPCOp *op_##ins(CPUPPCState *env, const PPCOp *op)                                \
    {                                                                                              \
        return vmx_insert(env, op, size);                                                          \
    }

VMX_EXT_INS(vextractub, vinsertb, 1)
VMX_EXT_INS(vextractuh, vinserth, 2)
VMX_EXT_INS(vextractuw, vinsertw, 4)
VMX_EXT_INS(vextractd, vinsertd, 8)

/*
 * vextu[bhw]lx/rx: the element at byte offset RA & 15 of vB, counted from
 * the left or from the right, zero-extended into GPR RT.  Past the end
 * (left offsets above 16 - size, right ones above 16 - size) the ISA leaves
 * the result undefined; QEMU 7.2 shifts the register as a signed 128-bit
 * number by the (mod 128) bit offset, and so do we.
 */
static inline const PPCOp *vmx_extu(CPUPPCState *env, const PPCOp *op, unsigned size, bool right)
{
    const ppc_vsr_t *b = VMX_VR(env, op->rb);
    unsigned idx = env->gpr[op->ra] & 15;
    unsigned sh = (right ? 8 * idx : 128 - 8 * idx - 8 * size) & 127;
    __int128 v = (__int128)b->u128;

    env->gpr[op->rt] = (uint64_t)(v >> sh) & ((1ull << (8 * size)) - 1);
    return PPC_NEXT(env, op);
}

#define VMX_EXTU(sfx, size)                                                                        \
    static const PPCOp *op_vextu##sfx##lx(CPUPPCState *env, const PPCOp *op)                       \
    {                                                                                              \
        return vmx_extu(env, op, size, false);                                                     \
    }                                                                                              \
    static const PPCOp *op_vextu##sfx##rx(CPUPPCState *env, const PPCOp *op)                       \
    {                                                                                              \
        return vmx_extu(env, op, size, true);                                                      \
    }

VMX_EXTU(b, 1)
VMX_EXTU(h, 2)
VMX_EXTU(w, 4)

/* ---- Definitions ---------------------------------------------------------- */

#define TAB(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_TAB, 0, op_##name                                                         \
    }
#define TABC(name, xo)                                                                             \
    {                                                                                              \
#name, xo, VMX_F_TABC, 0, op_##name                                                        \
    }
#define IMM(name, xo, inval)                                                                       \
    {                                                                                              \
#name, xo, VMX_F_IMM, inval, op_##name                                                     \
    }
#define TB(name, xo)                                                                               \
    {                                                                                              \
#name, xo, VMX_F_TAB, VMX_RA_FIELD, op_##name                                              \
    }

static const VMXInsn vmx_perm_insns[] = {
    TABC(vperm, 43),
    TABC(vpermr, 59 | VMX_XO_ISA300),
    TABC(vpermxor, 45),
    { "vsldoi", 44, VMX_F_SHB, 0, op_vsldoi },
    TAB(vmrghb, 12),
    TAB(vmrghh, 76),
    TAB(vmrghw, 140),
    TAB(vmrglb, 268),
    TAB(vmrglh, 332),
    TAB(vmrglw, 396),
    TAB(vmrgew, 1932),
    TAB(vmrgow, 1676),
    IMM(vspltb, 524, 0),
    IMM(vsplth, 588, 0),
    IMM(vspltw, 652, 0),
    IMM(vspltisb, 780, 0),
    IMM(vspltish, 844, 0),
    IMM(vspltisw, 908, 0),
    TAB(vpkuhum, 14),
    TAB(vpkuwum, 78),
    TAB(vpkudum, 1102),
    TAB(vpkuhus, 142),
    TAB(vpkuwus, 206),
    TAB(vpkudus, 1230),
    TAB(vpkshus, 270),
    TAB(vpkswus, 334),
    TAB(vpksdus, 1358),
    TAB(vpkshss, 398),
    TAB(vpkswss, 462),
    TAB(vpksdss, 1486),
    TAB(vpkpx, 782),
    TB(vupkhsb, 526),
    TB(vupkhsh, 590),
    TAB(vupkhsw, 1614),
    TB(vupklsb, 654),
    TB(vupklsh, 718),
    TAB(vupklsw, 1742),
    TB(vupkhpx, 846),
    TB(vupklpx, 974),
    TAB(vsl, 452),
    TAB(vsr, 708),
    TAB(vslo, 1036),
    TAB(vsro, 1100),
    TAB(vslv, 1860 | VMX_XO_ISA300),
    TAB(vsrv, 1796 | VMX_XO_ISA300),
    TAB(vgbbd, 1292),
    TAB(vbpermq, 1356),
    TAB(vbpermd, 1484 | VMX_XO_ISA300),
    IMM(vextractub, 525 | VMX_XO_ISA300, 0),
    IMM(vextractuh, 589 | VMX_XO_ISA300, 0),
    IMM(vextractuw, 653 | VMX_XO_ISA300, 0),
    IMM(vextractd, 717 | VMX_XO_ISA300, 0x100000),
    IMM(vinsertb, 781 | VMX_XO_ISA300, 0),
    IMM(vinserth, 845 | VMX_XO_ISA300, 0),
    IMM(vinsertw, 909 | VMX_XO_ISA300, 0),
    IMM(vinsertd, 973 | VMX_XO_ISA300, 0),
    TAB(vextublx, 1549 | VMX_XO_ISA300),
    TAB(vextuhlx, 1613 | VMX_XO_ISA300),
    TAB(vextuwlx, 1677 | VMX_XO_ISA300),
    TAB(vextubrx, 1805 | VMX_XO_ISA300),
    TAB(vextuhrx, 1869 | VMX_XO_ISA300),
    TAB(vextuwrx, 1933 | VMX_XO_ISA300),
};

static void ppc_vmx_perm_register(void)
{
    ppc_vmx_register(vmx_perm_insns, ARRAY_SIZE(vmx_perm_insns));
}

module_init(ppc_vmx_perm_register)

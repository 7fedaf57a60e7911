/*
 * VSX loads and stores (Power ISA 3.0B Book I 7.6.1: scalar, vector,
 * indexed, with length, splat) and the moves between GPRs and VSRs
 * (mtvsr*, mfvsr*), in both byte orders; also the VSX decoders.
 */
#include "qemu/module.h"
#include "target/ppc/insn-vsx.h"

/* ---- Decoders ------------------------------------------------------------ */

bool vsx_decode_xx(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = XX_T(insn);
    op->ra = XX_A(insn);
    op->rb = XX_B(insn);
    op->rc = XX_C(insn);
    if (ppc_decode_facility(op, PPC_OPF_VSX)) {
        op->fn = def->fn;
    }
    return true;
}

bool vsx_decode_xx_split(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = XX_T(insn);
    op->ra = XX_A(insn);
    op->rb = XX_B(insn);
    op->rc = XX_C(insn);
    if (ppc_decode_facility(op, op->rt < 32 ? PPC_OPF_VSX : PPC_OPF_VEC)) {
        op->fn = def->fn;
    }
    return true;
}

bool vsx_decode_vr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = 32 + INSN_RT(insn);
    op->ra = 32 + INSN_RA(insn);
    op->rb = 32 + INSN_RB(insn);
    op->aux = INSN_RCBIT(insn);
    if (ppc_decode_facility(op, PPC_OPF_VSX)) {
        op->fn = def->fn;
    }
    return true;
}

/*
 * X-form loads and stores of VSRs: XT/XS is T plus TX (bit 31); the
 * facility is MSR[VSX] unless the row asks for the VSR-number split.
 */
static bool decode_x_vsr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = XX_T(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    if (ppc_decode_facility(op, PPC_OPF_VSX)) {
        op->fn = def->fn;
    }
    return true;
}

static bool decode_x_vsr_split(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = XX_T(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    if (ppc_decode_facility(op, op->rt < 32 ? PPC_OPF_VSX : PPC_OPF_VEC)) {
        op->fn = def->fn;
    }
    return true;
}

/* lxsd, lxssp, stxsd, stxssp: DS form on VR VRT (VSR 32+VRT), MSR[VEC]. */
static bool decode_ds_vr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = 32 + INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->imm = (int16_t)(insn & 0xfffc);
    if (ppc_decode_facility(op, PPC_OPF_VEC)) {
        op->fn = def->fn;
    }
    return true;
}

/* lxv, stxv: DQ form, XT = TX (bit 28) || T. */
static bool decode_dq(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = INSN_RT(insn) | (insn_field(insn, 28, 28) << 5);
    op->ra = INSN_RA(insn);
    op->imm = (int16_t)(insn & 0xfff0);
    if (ppc_decode_facility(op, op->rt < 32 ? PPC_OPF_VSX : PPC_OPF_VEC)) {
        op->fn = def->fn;
    }
    return true;
}

/*
 * mfvsrd/mfvsrwz/mtvsrd/mtvsrwa/mtvsrwz: MSR[FP] for VSRs 0-31 (the FPRs),
 * MSR[VEC] for 32-63 (the VRs).  Bits 16-20 are reserved: set, the form is
 * invalid (QEMU 7.2 and POWER9 make it illegal).
 */
static bool decode_mv_fp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (INSN_RB(insn)) {
        return false;
    }
    op->rt = XX_T(insn);
    op->ra = INSN_RA(insn);
    if (ppc_decode_facility(op, op->rt < 32 ? PPC_OPF_FP : PPC_OPF_VEC)) {
        op->fn = def->fn;
    }
    return true;
}

/* mfvsrld/mtvsrws (bits 16-20 reserved): MSR[VSX] or MSR[VEC]. */
static bool decode_mv_vsx(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    return INSN_RB(insn) == 0 && decode_x_vsr_split(def, insn, op);
}

/* ---- Effective addresses ----------------------------------------------- */

static inline uint64_t ea_x(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]);
}

static inline uint64_t ea_d(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + op->imm);
}

/* ---- 16-byte accesses ---------------------------------------------------- */

/*
 * The 16 bytes at ea as two big-endian doublewords (hi: bytes ea..ea+7).
 * Off the fast path, two 8-byte accesses in the order QEMU 7.2 makes them
 * (the second doubleword first for lxv/lxvx in little-endian mode), so a
 * fault reports the same address.
 */
static bool __attribute__((noinline))
ld16_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool hi_last, uint64_t *hi, uint64_t *lo)
{
    bool rev = (op->flags & PPC_OPF_LE) != 0;
    uint64_t ea8 = ppc_ea(op, ea + 8);

    if (hi_last) {
        return ppc_load(env, op, ea8, 8, rev, lo) && ppc_load(env, op, ea, 8, rev, hi);
    }
    return ppc_load(env, op, ea, 8, rev, hi) && ppc_load(env, op, ea8, 8, rev, lo);
}

static inline uint64_t ld_be64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static inline void st_be64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, 8);
}

static inline bool ld16(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool hi_last, uint64_t *hi,
                        uint64_t *lo)
{
    uint8_t *p = ppc_tlb_read_ptr(env, ea, 16);

    if (likely(p)) {
        *hi = ld_be64(p);
        *lo = ld_be64(p + 8);
        return true;
    }
    return ld16_slow(env, op, ea, hi_last, hi, lo);
}

/* A store that faults on its second doubleword leaves the first written, as in QEMU. */
static bool __attribute__((noinline))
st16_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool hi_last, uint64_t hi, uint64_t lo)
{
    bool rev = (op->flags & PPC_OPF_LE) != 0;
    uint64_t ea8 = ppc_ea(op, ea + 8);

    if (hi_last) {
        return ppc_store(env, op, ea8, 8, rev, lo) && ppc_store(env, op, ea, 8, rev, hi);
    }
    return ppc_store(env, op, ea, 8, rev, hi) && ppc_store(env, op, ea8, 8, rev, lo);
}

static inline bool st16(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool hi_last, uint64_t hi,
                        uint64_t lo)
{
    uint8_t *p = ppc_tlb_write_ptr(env, ea, 16);

    if (likely(p)) {
        st_be64(p, hi);
        st_be64(p + 8, lo);
        return true;
    }
    return st16_slow(env, op, ea, hi_last, hi, lo);
}

/*
 * Little-endian mode reverses the bytes of each element of esz bytes
 * (16: the whole quadword); the same exchange maps memory to register and
 * back.  Big-endian mode and byte elements keep the memory order.
 */
static inline void swap_elements(uint64_t *hi, uint64_t *lo, unsigned esz)
{
    const uint64_t m8 = 0x00ff00ff00ff00ffull;
    uint64_t h = *hi, l = *lo;

    switch (esz) {
    case 2:
        h = ((h & m8) << 8) | ((h >> 8) & m8);
        l = ((l & m8) << 8) | ((l >> 8) & m8);
        break;
    case 4:
        h = __builtin_bswap64(h);
        l = __builtin_bswap64(l);
        h = (h >> 32) | (h << 32);
        l = (l >> 32) | (l << 32);
        break;
    case 8:
        h = __builtin_bswap64(h);
        l = __builtin_bswap64(l);
        break;
    case 16: {
        uint64_t t = __builtin_bswap64(h);

        h = __builtin_bswap64(l);
        l = t;
        break;
    }
    default:
        break;
    }
    *hi = h;
    *lo = l;
}

static inline const PPCOp *do_load_vector(CPUPPCState *env, const PPCOp *op, uint64_t ea,
                                          unsigned esz)
{
    bool le = (op->flags & PPC_OPF_LE) != 0;
    uint64_t hi, lo;
    ppc_vsr_t *t = vsx_reg(env, op->rt);

    if (!ld16(env, op, ea, le && esz == 16, &hi, &lo)) {
        return NULL;
    }
    if (le) {
        swap_elements(&hi, &lo, esz);
    }
    VsrD(t, 0) = hi;
    VsrD(t, 1) = lo;
    return PPC_NEXT(env, op);
}

static inline const PPCOp *do_store_vector(CPUPPCState *env, const PPCOp *op, uint64_t ea,
                                           unsigned esz)
{
    bool le = (op->flags & PPC_OPF_LE) != 0;
    const ppc_vsr_t *s = vsx_reg(env, op->rt);
    uint64_t hi = VsrD(s, 0), lo = VsrD(s, 1);

    if (le) {
        swap_elements(&hi, &lo, esz);
    }
    if (!st16(env, op, ea, le && esz == 16, hi, lo)) {
        return NULL;
    }
    return PPC_NEXT(env, op);
}

#define VECTOR_ACCESS(name, ea_fn, esz)                                                            \
    static const PPCOp *op_l##name(CPUPPCState *env, const PPCOp *op)                              \
    {                                                                                              \
        return do_load_vector(env, op, ea_fn(env, op), esz);                                       \
    }                                                                                              \
    static const PPCOp *op_st##name(CPUPPCState *env, const PPCOp *op)                             \
    {                                                                                              \
        return do_store_vector(env, op, ea_fn(env, op), esz);                                      \
    }

VECTOR_ACCESS(xv, ea_d, 16)
VECTOR_ACCESS(xvx, ea_x, 16)
VECTOR_ACCESS(xvd2x, ea_x, 8)
VECTOR_ACCESS(xvw4x, ea_x, 4)
VECTOR_ACCESS(xvh8x, ea_x, 2)
VECTOR_ACCESS(xvb16x, ea_x, 1)

/* ---- Splat loads --------------------------------------------------------- */

static const PPCOp *op_lxvdsx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t v;
    ppc_vsr_t *t = vsx_reg(env, op->rt);

    if (!ppc_load(env, op, ea_x(env, op), 8, false, &v)) {
        return NULL;
    }
    VsrD(t, 0) = v;
    VsrD(t, 1) = v;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_lxvwsx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t v;
    ppc_vsr_t *t = vsx_reg(env, op->rt);

    if (!ppc_load(env, op, ea_x(env, op), 4, false, &v)) {
        return NULL;
    }
    VsrD(t, 0) = VsrD(t, 1) = v | (v << 32);
    return PPC_NEXT(env, op);
}

/* ---- Scalar loads and stores: doubleword 0 ------------------------------- */

/*
 * The ISA 2.06/2.07 indexed forms leave doubleword 1 undefined; QEMU 7.2
 * (and POWER9) leave it unchanged.  The ISA 3.0 DS forms (lxsd, lxssp) set
 * it to zero.
 */
#define SCALAR_LOAD(name, ea_fn, size, conv, zero_dw1)                                             \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        uint64_t v;                                                                                \
        ppc_vsr_t *t = vsx_reg(env, op->rt);                                                       \
                                                                                                   \
        if (!ppc_load(env, op, ea_fn(env, op), size, false, &v)) {                                 \
            return NULL;                                                                           \
        }                                                                                          \
        VsrD(t, 0) = conv;                                                                         \
        if (zero_dw1) {                                                                            \
            VsrD(t, 1) = 0;                                                                        \
        }                                                                                          \
        return PPC_NEXT(env, op);                                                                  \
    }

SCALAR_LOAD(lxsdx, ea_x, 8, v, false)
SCALAR_LOAD(lxsiwzx, ea_x, 4, v, false)
SCALAR_LOAD(lxsiwax, ea_x, 4, (uint64_t)(int64_t)(int32_t)v, false)
SCALAR_LOAD(lxsibzx, ea_x, 1, v, false)
SCALAR_LOAD(lxsihzx, ea_x, 2, v, false)
SCALAR_LOAD(lxsspx, ea_x, 4, float32_to_float64_raw(v), false)
SCALAR_LOAD(lxsd, ea_d, 8, v, true)
SCALAR_LOAD(lxssp, ea_d, 4, float32_to_float64_raw(v), true)

#define SCALAR_STORE(name, ea_fn, size, value)                                                     \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        const ppc_vsr_t *s = vsx_reg(env, op->rt);                                                 \
                                                                                                   \
        if (!ppc_store(env, op, ea_fn(env, op), size, false, value)) {                             \
            return NULL;                                                                           \
        }                                                                                          \
        return PPC_NEXT(env, op);                                                                  \
    }

SCALAR_STORE(stxsdx, ea_x, 8, VsrD(s, 0))
SCALAR_STORE(stxsiwx, ea_x, 4, VsrW(s, 1))
SCALAR_STORE(stxsibx, ea_x, 1, VsrB(s, 7))
SCALAR_STORE(stxsihx, ea_x, 2, VsrH(s, 3))
SCALAR_STORE(stxsspx, ea_x, 4, float64_to_float32_raw(VsrD(s, 0)))
SCALAR_STORE(stxsd, ea_d, 8, VsrD(s, 0))
SCALAR_STORE(stxssp, ea_d, 4, float64_to_float32_raw(VsrD(s, 0)))

/* ---- Loads and stores with length -------------------------------------- */

/*
 * lxvl/stxvl move the first nb = min(GPR[RB][0:7], 16) bytes at EA =
 * (RA|0) (no RB in the address).  Big-endian mode: memory byte i is
 * register byte i; little-endian mode: register byte 15-i (the bytes land
 * at the low end, as a little-endian vector).  The left-justified forms
 * (lxvll/stxvll) use byte i in both modes.  Loads zero the other bytes.
 * Bytes are accessed in increasing address order (a fault names the first
 * inaccessible one).
 */
static inline unsigned length_nb(const CPUPPCState *env, const PPCOp *op)
{
    unsigned nb = env->gpr[op->rb] >> 56;

    return nb > 16 ? 16 : nb;
}

static inline uint64_t ea_ra(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, op->ra ? env->gpr[op->ra] : 0);
}

static const PPCOp *do_load_length(CPUPPCState *env, const PPCOp *op, bool left)
{
    unsigned nb = length_nb(env, op);
    uint64_t ea = ea_ra(env, op);
    bool mirror = !left && (op->flags & PPC_OPF_LE);
    ppc_vsr_t r = { .u128 = 0 };
    uint8_t *p = nb ? ppc_tlb_read_ptr(env, ea, nb) : NULL;

    for (unsigned i = 0; i < nb; i++) {
        uint64_t b;

        if (p) {
            b = p[i];
        } else if (!ppc_load(env, op, ppc_ea(op, ea + i), 1, false, &b)) {
            return NULL;
        }
        VsrB(&r, mirror ? 15 - i : i) = b;
    }
    *vsx_reg(env, op->rt) = r;
    return PPC_NEXT(env, op);
}

static const PPCOp *do_store_length(CPUPPCState *env, const PPCOp *op, bool left)
{
    unsigned nb = length_nb(env, op);
    uint64_t ea = ea_ra(env, op);
    bool mirror = !left && (op->flags & PPC_OPF_LE);
    ppc_vsr_t s = *vsx_reg(env, op->rt);
    uint8_t *p = nb ? ppc_tlb_write_ptr(env, ea, nb) : NULL;

    for (unsigned i = 0; i < nb; i++) {
        uint8_t b = VsrB(&s, mirror ? 15 - i : i);

        if (p) {
            p[i] = b;
        } else if (!ppc_store(env, op, ppc_ea(op, ea + i), 1, false, b)) {
            return NULL;
        }
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_lxvl(CPUPPCState *env, const PPCOp *op)
{
    return do_load_length(env, op, false);
}

static const PPCOp *op_lxvll(CPUPPCState *env, const PPCOp *op)
{
    return do_load_length(env, op, true);
}

static const PPCOp *op_stxvl(CPUPPCState *env, const PPCOp *op)
{
    return do_store_length(env, op, false);
}

static const PPCOp *op_stxvll(CPUPPCState *env, const PPCOp *op)
{
    return do_store_length(env, op, true);
}

/* ---- Moves between GPRs and VSRs ---------------------------------------- */

/*
 * The moves into doubleword 0 leave doubleword 1 unchanged (the ISA says
 * undefined; QEMU 7.2 and POWER9 keep it).
 */
static const PPCOp *op_mfvsrd(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->ra] = VsrD(vsx_reg(env, op->rt), 0);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfvsrwz(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->ra] = VsrW(vsx_reg(env, op->rt), 1);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfvsrld(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->ra] = VsrD(vsx_reg(env, op->rt), 1);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvsrd(CPUPPCState *env, const PPCOp *op)
{
    VsrD(vsx_reg(env, op->rt), 0) = env->gpr[op->ra];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvsrwa(CPUPPCState *env, const PPCOp *op)
{
    VsrD(vsx_reg(env, op->rt), 0) = (uint64_t)(int64_t)(int32_t)env->gpr[op->ra];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvsrwz(CPUPPCState *env, const PPCOp *op)
{
    VsrD(vsx_reg(env, op->rt), 0) = (uint32_t)env->gpr[op->ra];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvsrdd(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t *t = vsx_reg(env, op->rt);

    VsrD(t, 0) = op->ra ? env->gpr[op->ra] : 0;
    VsrD(t, 1) = env->gpr[op->rb];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvsrws(CPUPPCState *env, const PPCOp *op)
{
    uint64_t w = (uint32_t)env->gpr[op->ra];
    ppc_vsr_t *t = vsx_reg(env, op->rt);

    VsrD(t, 0) = VsrD(t, 1) = w | (w << 32);
    return PPC_NEXT(env, op);
}

/* ---- Table ---------------------------------------------------------------- */

#define X31_ROW(name, xo, dec)                                                                     \
    {                                                                                              \
#name, VSX_X(31, xo), VSX_X_MASK, dec, op_##name, 0                                        \
    }
/* Power ISA 3.0 instructions: illegal on POWER8. */
#define X31_ROW300(name, xo, dec)                                                                  \
    {                                                                                              \
#name, VSX_X(31, xo), VSX_X_MASK, dec, op_##name, PPC_INSN_ISA300                          \
    }
#define I300 PPC_INSN_ISA300

static const PPCInsnDef vsx_ldst_insns[] = {
    /* ISA 3.0 D-form loads and stores (DS: VRs, MSR[VEC]; DQ: VSRs) */
    { "lxsd", VSX_OPCD(57) | 2, 0xfc000003u, decode_ds_vr, op_lxsd, I300 },
    { "lxssp", VSX_OPCD(57) | 3, 0xfc000003u, decode_ds_vr, op_lxssp, I300 },
    { "stxsd", VSX_OPCD(61) | 2, 0xfc000003u, decode_ds_vr, op_stxsd, I300 },
    { "stxssp", VSX_OPCD(61) | 3, 0xfc000003u, decode_ds_vr, op_stxssp, I300 },
    { "lxv", VSX_OPCD(61) | 1, 0xfc000007u, decode_dq, op_lxv, I300 },
    { "stxv", VSX_OPCD(61) | 5, 0xfc000007u, decode_dq, op_stxv, I300 },
    /* lxvx ignores bit 25 of its extended opcode (QEMU 7.2 and POWER9) */
    X31_ROW300(lxvx, 268, decode_x_vsr_split),
    { "lxvx", VSX_X(31, 300), VSX_X_MASK, decode_x_vsr_split, op_lxvx, I300 },
    X31_ROW300(stxvx, 396, decode_x_vsr_split),
    X31_ROW(lxvd2x, 844, decode_x_vsr),
    X31_ROW(lxvw4x, 780, decode_x_vsr),
    X31_ROW300(lxvh8x, 812, decode_x_vsr),
    X31_ROW300(lxvb16x, 876, decode_x_vsr),
    X31_ROW(stxvd2x, 972, decode_x_vsr),
    X31_ROW(stxvw4x, 908, decode_x_vsr),
    X31_ROW300(stxvh8x, 940, decode_x_vsr),
    X31_ROW300(stxvb16x, 1004, decode_x_vsr),
    X31_ROW(lxvdsx, 332, decode_x_vsr),
    X31_ROW300(lxvwsx, 364, decode_x_vsr_split),
    X31_ROW300(lxvl, 269, decode_x_vsr_split),
    X31_ROW300(lxvll, 301, decode_x_vsr_split),
    X31_ROW300(stxvl, 397, decode_x_vsr_split),
    X31_ROW300(stxvll, 429, decode_x_vsr_split),
    X31_ROW(lxsdx, 588, decode_x_vsr),
    X31_ROW(lxsiwzx, 12, decode_x_vsr),
    X31_ROW(lxsiwax, 76, decode_x_vsr),
    X31_ROW300(lxsibzx, 781, decode_x_vsr),
    X31_ROW300(lxsihzx, 813, decode_x_vsr),
    X31_ROW(lxsspx, 524, decode_x_vsr),
    X31_ROW(stxsdx, 716, decode_x_vsr),
    X31_ROW(stxsiwx, 140, decode_x_vsr),
    X31_ROW300(stxsibx, 909, decode_x_vsr),
    X31_ROW300(stxsihx, 941, decode_x_vsr),
    X31_ROW(stxsspx, 652, decode_x_vsr),
    /* Moves: FP/VEC by register for the ISA 2.07 ones, VSX/VEC for ISA 3.0 */
    X31_ROW(mfvsrd, 51, decode_mv_fp),
    X31_ROW(mfvsrwz, 115, decode_mv_fp),
    X31_ROW(mtvsrd, 179, decode_mv_fp),
    X31_ROW(mtvsrwa, 211, decode_mv_fp),
    X31_ROW(mtvsrwz, 243, decode_mv_fp),
    X31_ROW300(mfvsrld, 307, decode_mv_vsx),
    X31_ROW300(mtvsrws, 403, decode_mv_vsx),
    X31_ROW300(mtvsrdd, 435, decode_x_vsr_split),
};

static void ppc_vsx_ldst_register(void)
{
    ppc_insn_register(vsx_ldst_insns, ARRAY_SIZE(vsx_ldst_insns));
}

module_init(ppc_vsx_ldst_register)

/*
 * Floating-point loads and stores, moves and FPSCR instructions (Power ISA
 * 3.0B Book I 4.6.2-4.6.5, 4.6.10); the arithmetic is in insn-fp-arith.c.
 * Decimal floating point (the other opcode 59/63 forms) is not implemented:
 * illegal, and logged.
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/insn-fp.h"

#define FRT (*ppc_fpr(env, op->rt))
#define FRB (*ppc_fpr(env, op->rb))

/* ---- Loads and stores ------------------------------------------------------- */

/* How memory and the FPR relate. */
enum {
    FP_DOUBLE, /* 8 bytes as they are */
    FP_SINGLE, /* 4 bytes: binary32 <-> binary64 (the ISA's DOUBLE and SINGLE) */
    FP_IWA,    /* lfiwax: word sign-extended */
    FP_IWZ,    /* lfiwzx / stfiwx: word zero-extended / low word */
};

static inline const PPCOp *fp_load(CPUPPCState *env, const PPCOp *op, uint64_t ea, int kind,
                                   bool update)
{
    uint64_t v;

    if (!ppc_load(env, op, ea, kind == FP_DOUBLE ? 8 : 4, false, &v)) {
        return NULL;
    }
    switch (kind) {
    case FP_SINGLE:
        v = float32_to_float64_raw((uint32_t)v);
        break;
    case FP_IWA:
        v = (uint64_t)(int64_t)(int32_t)v;
        break;
    default:
        break;
    }
    ppc_fp_set(env, op->rt, v);
    if (update) {
        env->gpr[op->ra] = ea;
    }
    return PPC_NEXT(env, op);
}

static inline const PPCOp *fp_store(CPUPPCState *env, const PPCOp *op, uint64_t ea, int kind,
                                    bool update)
{
    uint64_t v = FRT;

    if (kind == FP_SINGLE) {
        v = float64_to_float32_raw(v);
    }
    if (!ppc_store(env, op, ea, kind == FP_DOUBLE ? 8 : 4, false, v)) {
        return NULL;
    }
    if (update) {
        env->gpr[op->ra] = ea;
    }
    return PPC_NEXT(env, op);
}

static inline uint64_t ea_d(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + op->imm);
}

static inline uint64_t ea_x(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]);
}

#define FP_LDST(name, fn, ea, kind, update)                                                        \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return fn(env, op, ea(env, op), kind, update);                                             \
    }

FP_LDST(lfs, fp_load, ea_d, FP_SINGLE, false)
FP_LDST(lfsu, fp_load, ea_d, FP_SINGLE, true)
FP_LDST(lfd, fp_load, ea_d, FP_DOUBLE, false)
FP_LDST(lfdu, fp_load, ea_d, FP_DOUBLE, true)
FP_LDST(stfs, fp_store, ea_d, FP_SINGLE, false)
FP_LDST(stfsu, fp_store, ea_d, FP_SINGLE, true)
FP_LDST(stfd, fp_store, ea_d, FP_DOUBLE, false)
FP_LDST(stfdu, fp_store, ea_d, FP_DOUBLE, true)
FP_LDST(lfsx, fp_load, ea_x, FP_SINGLE, false)
FP_LDST(lfsux, fp_load, ea_x, FP_SINGLE, true)
FP_LDST(lfdx, fp_load, ea_x, FP_DOUBLE, false)
FP_LDST(lfdux, fp_load, ea_x, FP_DOUBLE, true)
FP_LDST(lfiwax, fp_load, ea_x, FP_IWA, false)
FP_LDST(lfiwzx, fp_load, ea_x, FP_IWZ, false)
FP_LDST(stfsx, fp_store, ea_x, FP_SINGLE, false)
FP_LDST(stfsux, fp_store, ea_x, FP_SINGLE, true)
FP_LDST(stfdx, fp_store, ea_x, FP_DOUBLE, false)
FP_LDST(stfdux, fp_store, ea_x, FP_DOUBLE, true)
FP_LDST(stfiwx, fp_store, ea_x, FP_IWZ, false)

/*
 * lfdp/stfdp: FRTp (even) and FRTp+1 from/to two doublewords.  As QEMU 7.2,
 * little-endian mode swaps which register goes with which doubleword.
 * Both loads happen before either register is written.
 */
static inline const PPCOp *fp_load_pair(CPUPPCState *env, const PPCOp *op, uint64_t ea)
{
    uint64_t v0, v1;
    bool le = op->flags & PPC_OPF_LE;

    if (!ppc_load(env, op, ea, 8, false, &v0) ||
        !ppc_load(env, op, ppc_ea(op, ea + 8), 8, false, &v1)) {
        return NULL;
    }
    ppc_fp_set(env, op->rt + le, v0);
    ppc_fp_set(env, op->rt + !le, v1);
    return PPC_NEXT(env, op);
}

static inline const PPCOp *fp_store_pair(CPUPPCState *env, const PPCOp *op, uint64_t ea)
{
    bool le = op->flags & PPC_OPF_LE;

    if (!ppc_store(env, op, ea, 8, false, *ppc_fpr(env, op->rt + le)) ||
        !ppc_store(env, op, ppc_ea(op, ea + 8), 8, false, *ppc_fpr(env, op->rt + !le))) {
        return NULL;
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_lfdp(CPUPPCState *env, const PPCOp *op)
{
    return fp_load_pair(env, op, ea_d(env, op));
}
static const PPCOp *op_lfdpx(CPUPPCState *env, const PPCOp *op)
{
    return fp_load_pair(env, op, ea_x(env, op));
}
static const PPCOp *op_stfdp(CPUPPCState *env, const PPCOp *op)
{
    return fp_store_pair(env, op, ea_d(env, op));
}
static const PPCOp *op_stfdpx(CPUPPCState *env, const PPCOp *op)
{
    return fp_store_pair(env, op, ea_x(env, op));
}

/* ---- Moves (no FPSCR change) ---------------------------------------------------- */

static inline const PPCOp *fp_move(CPUPPCState *env, const PPCOp *op, uint64_t r)
{
    ppc_fp_set(env, op->rt, r);
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_fmr(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, FRB);
}
static const PPCOp *op_fneg(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, FRB ^ PPC_BIT(0));
}
static const PPCOp *op_fabs(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, FRB & ~PPC_BIT(0));
}
static const PPCOp *op_fnabs(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, FRB | PPC_BIT(0));
}
/* fcpsgn: FRA's sign, FRB's magnitude. */
static const PPCOp *op_fcpsgn(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, (*ppc_fpr(env, op->ra) & PPC_BIT(0)) | (FRB & ~PPC_BIT(0)));
}
/* fmrgew/fmrgow: the even (high) or odd (low) words of FRA and FRB side by side. */
static const PPCOp *op_fmrgew(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, (*ppc_fpr(env, op->ra) & 0xffffffff00000000ULL) | (FRB >> 32));
}
static const PPCOp *op_fmrgow(CPUPPCState *env, const PPCOp *op)
{
    return fp_move(env, op, (*ppc_fpr(env, op->ra) << 32) | (uint32_t)FRB);
}

/* ---- FPSCR instructions -------------------------------------------------------- */

/* The control bits the mffs variants besides mffs and mffsce return. */
#define FPSCR_CONTROL (FPSCR_DRN | FPSCR_ENABLES | FPSCR_NI | FPSCR_RN)

/* After mtfsf/mtfsfi/mtfsb1 (QEMU 7.2 does the same): FEX with MSR[FE] raises now. */
static inline const PPCOp *fpscr_written(CPUPPCState *env, const PPCOp *op)
{
    /* CR1 of the record form is set even when the interrupt follows. */
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    if ((env->fpscr & FPSCR_FEX) && (env->msr & (MSR_FE0 | MSR_FE1))) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_FP);
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mffs(CPUPPCState *env, const PPCOp *op)
{
    ppc_fp_set(env, op->rt, env->fpscr);
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    return PPC_NEXT(env, op);
}

/* mffsce: read, then clear the enables. */
static const PPCOp *op_mffsce(CPUPPCState *env, const PPCOp *op)
{
    ppc_fp_set(env, op->rt, env->fpscr);
    env->fpscr = ppc_fpscr_summaries(env->fpscr & ~FPSCR_ENABLES);
    return PPC_NEXT(env, op);
}

/* mffsl: the light read: DRN, enables, NI, RN, FR, FI, FPRF. */
static const PPCOp *op_mffsl(CPUPPCState *env, const PPCOp *op)
{
    ppc_fp_set(env, op->rt, env->fpscr & (FPSCR_CONTROL | FPSCR_FR | FPSCR_FI | FPSCR_FPRF));
    return PPC_NEXT(env, op);
}

/* mffscrn[i] / mffscdrn[i]: read the control bits, then set RN or DRN. */
static inline const PPCOp *fp_mffs_set(CPUPPCState *env, const PPCOp *op, uint64_t mask,
                                       uint64_t value)
{
    ppc_fp_set(env, op->rt, env->fpscr & FPSCR_CONTROL);
    env->fpscr = (env->fpscr & ~mask) | (value & mask);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mffscrn(CPUPPCState *env, const PPCOp *op)
{
    return fp_mffs_set(env, op, FPSCR_RN, FRB);
}
static const PPCOp *op_mffscrni(CPUPPCState *env, const PPCOp *op)
{
    return fp_mffs_set(env, op, FPSCR_RN, op->imm);
}
static const PPCOp *op_mffscdrn(CPUPPCState *env, const PPCOp *op)
{
    return fp_mffs_set(env, op, FPSCR_DRN, FRB);
}
static const PPCOp *op_mffscdrni(CPUPPCState *env, const PPCOp *op)
{
    return fp_mffs_set(env, op, FPSCR_DRN, (uint64_t)op->imm << 32);
}

/*
 * mtfsf/mtfsfi: the selected 4-bit fields (op->imm: bit i = field 15 - i of
 * the 64-bit FPSCR) from value; FEX and VX follow from the rest, and FX is
 * written like any other bit.
 */
static inline const PPCOp *fp_mtfs(CPUPPCState *env, const PPCOp *op, uint64_t value)
{
    uint64_t mask = 0;

    for (int i = 0; i < 16; i++) {
        if (op->imm & (1 << i)) {
            mask |= 0xfULL << (4 * i);
        }
    }
    mask &= FPSCR_WRITABLE;
    env->fpscr = ppc_fpscr_summaries((env->fpscr & ~mask) | (value & mask));
    return fpscr_written(env, op);
}

static const PPCOp *op_mtfsf(CPUPPCState *env, const PPCOp *op)
{
    return fp_mtfs(env, op, FRB);
}

/* mtfsfi: the immediate is placed at every field; imm selects the one. */
static const PPCOp *op_mtfsfi(CPUPPCState *env, const PPCOp *op)
{
    return fp_mtfs(env, op, 0x1111111111111111ULL * op->aux);
}

/*
 * mtfsb0/mtfsb1 BT: FEX and VX cannot be written.  Setting an exception bit
 * that was 0 also sets FX (ISA; QEMU 7.2 does not).
 */
static const PPCOp *op_mtfsb0(CPUPPCState *env, const PPCOp *op)
{
    env->fpscr = ppc_fpscr_summaries(env->fpscr & ~(PPC_BIT(32 + op->rt) & FPSCR_WRITABLE));
    if (op->flags & PPC_OPF_RC) {
        ppc_fp_set_cr1(env);
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtfsb1(CPUPPCState *env, const PPCOp *op)
{
    /* Non-IEEE mode does not exist here: as QEMU 7.2, mtfsb1 leaves NI alone. */
    uint64_t bit = PPC_BIT(32 + op->rt) & FPSCR_WRITABLE & ~FPSCR_NI;

    if (bit & FPSCR_EXC_BITS & ~env->fpscr) {
        env->fpscr |= FPSCR_FX;
    }
    env->fpscr = ppc_fpscr_summaries(env->fpscr | bit);
    return fpscr_written(env, op);
}

/* mcrfs BF,BFA: CR field BF = FPSCR field BFA (of the low word); its exception bits reset. */
static const PPCOp *op_mcrfs(CPUPPCState *env, const PPCOp *op)
{
    unsigned shift = 28 - 4 * op->ra;
    uint64_t clear = (0xfULL << shift) & (FPSCR_FX | FPSCR_EXC_BITS);

    env->crf[op->rt] = (env->fpscr >> shift) & 0xf;
    env->fpscr = ppc_fpscr_summaries(env->fpscr & ~clear);
    return PPC_NEXT(env, op);
}

/* ---- Not implemented: decimal floating point --------------------------------------- */

static const PPCOp *op_unimplemented(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "unimplemented FP instruction 0x%08x at 0x%" PRIx64 "\n", op->insn,
                  op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

/* ---- Decoding ------------------------------------------------------------------------ */

/* Fields, Rc, then the facility (reserved fields are in each definition's mask). */
static bool decode_fp(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    if (INSN_RCBIT(insn)) {
        op->flags |= PPC_OPF_RC;
    }
    if (ppc_decode_facility(op, PPC_OPF_FP)) {
        op->fn = def->fn;
    }
    return true;
}

/* D-form loads and stores; the update forms with RA=0 are invalid. */
static bool decode_fp_d(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    bool update = INSN_OPCD(insn) & 1;

    if (update && INSN_RA(insn) == 0) {
        return false;
    }
    op->imm = INSN_SIMM(insn);
    return decode_fp(def, insn, op);
}

/* lfdp/stfdp (DS form): FRTp must be even. */
static bool decode_fp_ds(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (INSN_RT(insn) & 1) {
        return false;
    }
    op->imm = (int16_t)(insn & 0xfffc);
    return decode_fp(def, insn, op);
}

/* X-form loads and stores: the update forms (XO bit 25 of insn, 0x40) with RA=0 are invalid. */
static bool decode_fp_x(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    bool update =
        (insn & 0x40) && def->fn != op_lfiwax && def->fn != op_lfiwzx && def->fn != op_stfiwx;

    if (update && INSN_RA(insn) == 0) {
        return false;
    }
    if (def->fn == op_lfdpx || def->fn == op_stfdpx) {
        if (INSN_RT(insn) & 1) {
            return false;
        }
    }
    return decode_fp(def, insn, op);
}

/* mffscrni RM (bits 19-20) and mffscdrni DRM (bits 18-20). */
static bool decode_fp_imm(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->imm = def->fn == op_mffscrni ? insn_field(insn, 19, 20) : insn_field(insn, 18, 20);
    return decode_fp(def, insn, op);
}

/* mtfsf L FLM W: L=1 writes every field; otherwise FLM picks fields of word W. */
static bool decode_mtfsf(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    bool l = insn_field(insn, 6, 6), w = insn_field(insn, 15, 15);

    op->imm = l ? 0xffff : insn_field(insn, 7, 14) << (w ? 8 : 0);
    return decode_fp(def, insn, op);
}

/* mtfsfi BF,U,W: field BF of word W gets U. */
static bool decode_mtfsfi(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned bf = insn_field(insn, 6, 8), w = insn_field(insn, 15, 15);

    op->imm = 1 << (8 * w + 7 - bf);
    op->aux = insn_field(insn, 16, 19);
    return decode_fp(def, insn, op);
}

/* mcrfs BF,BFA */
static bool decode_mcrfs(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    decode_fp(def, insn, op);
    op->rt = insn_field(insn, 6, 8);
    op->ra = insn_field(insn, 11, 13);
    return true;
}

/*
 * Not the facility check first: an opcode 59/63 word that is no FP
 * instruction (an invalid form, say fadd with FRC set) is illegal whatever
 * MSR[FP] says.
 */
static bool decode_unimplemented(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_unimplemented;
    return true;
}

#define OPCD(po) ((uint32_t)(po) << 26)
#define OPCD_MASK 0xfc000000u
#define X_MASK 0xfc0007feu
#define R_FRA 0x001f0000u
#define R_FRB 0x0000f800u
#define R_RC 0x00000001u
#define E PPC_INSN_ENDS_BLOCK

#define D(name, po)                                                                                \
    {                                                                                              \
#name, OPCD(po), OPCD_MASK, decode_fp_d, op_##name, 0                                      \
    }
#define X(name, po, xo, resv, dec)                                                                 \
    {                                                                                              \
#name, OPCD(po) | (xo) << 1, X_MASK | (resv), dec, op_##name, 0                            \
    }
/* The mffs variants: XO 583 with bits 11-15 naming the variant (fl: PPC_INSN_*). */
#define MFFS(name, sel, resv, dec, fl)                                                             \
    {                                                                                              \
#name, OPCD(63) | (sel) << 16 | 583 << 1, X_MASK | R_FRA | (resv), dec, op_##name, fl      \
    }
#define I300 PPC_INSN_ISA300

static const PPCInsnDef fp_insns[] = {
    D(lfs, 48),
    D(lfsu, 49),
    D(lfd, 50),
    D(lfdu, 51),
    D(stfs, 52),
    D(stfsu, 53),
    D(stfd, 54),
    D(stfdu, 55),
    { "lfdp", OPCD(57), OPCD_MASK | 3, decode_fp_ds, op_lfdp, 0 },
    { "stfdp", OPCD(61), OPCD_MASK | 3, decode_fp_ds, op_stfdp, 0 },
    X(lfsx, 31, 535, R_RC, decode_fp_x),
    X(lfsux, 31, 567, R_RC, decode_fp_x),
    X(lfdx, 31, 599, R_RC, decode_fp_x),
    X(lfdux, 31, 631, R_RC, decode_fp_x),
    X(lfiwax, 31, 855, R_RC, decode_fp_x),
    X(lfiwzx, 31, 887, R_RC, decode_fp_x),
    X(stfsx, 31, 663, R_RC, decode_fp_x),
    X(stfsux, 31, 695, R_RC, decode_fp_x),
    X(stfdx, 31, 727, R_RC, decode_fp_x),
    X(stfdux, 31, 759, R_RC, decode_fp_x),
    X(stfiwx, 31, 983, R_RC, decode_fp_x),
    X(lfdpx, 31, 791, R_RC, decode_fp_x),
    X(stfdpx, 31, 919, R_RC, decode_fp_x),
    X(fmr, 63, 72, R_FRA, decode_fp),
    X(fneg, 63, 40, R_FRA, decode_fp),
    X(fabs, 63, 264, R_FRA, decode_fp),
    X(fnabs, 63, 136, R_FRA, decode_fp),
    X(fcpsgn, 63, 8, 0, decode_fp),
    X(fmrgew, 63, 966, R_RC, decode_fp),
    X(fmrgow, 63, 838, R_RC, decode_fp),
    MFFS(mffs, 0, R_FRB, decode_fp, 0),
    MFFS(mffsce, 1, R_FRB | R_RC, decode_fp, I300),
    MFFS(mffscdrn, 20, R_RC, decode_fp, I300),
    MFFS(mffscdrni, 21, 0x0000c000u | R_RC, decode_fp_imm, I300),
    MFFS(mffscrn, 22, R_RC, decode_fp, I300),
    MFFS(mffscrni, 23, 0x0000e000u | R_RC, decode_fp_imm, I300),
    MFFS(mffsl, 24, R_FRB | R_RC, decode_fp, I300),
    { "mtfsf", OPCD(63) | 711 << 1, X_MASK, decode_mtfsf, op_mtfsf, 0 },
    { "mtfsfi", OPCD(63) | 134 << 1, X_MASK | 0x006e0800u, decode_mtfsfi, op_mtfsfi, 0 },
    X(mtfsb0, 63, 70, 0x001ff800u, decode_fp),
    { "mtfsb1", OPCD(63) | 38 << 1, X_MASK | 0x001ff800u, decode_fp, op_mtfsb1, 0 },
    X(mcrfs, 63, 64, 0x0063f801u, decode_mcrfs),
    /* Everything else of opcodes 59 and 63: decimal floating point. */
    { "dfp-59", OPCD(59), OPCD_MASK, decode_unimplemented, NULL, E },
    { "dfp-63", OPCD(63), OPCD_MASK, decode_unimplemented, NULL, E },
};

static void ppc_fp_insns_register(void)
{
    ppc_insn_register(fp_insns, ARRAY_SIZE(fp_insns));
}

module_init(ppc_fp_insns_register)

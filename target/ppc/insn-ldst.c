/*
 * Fixed-point loads and stores (Power ISA 3.0B Book I 3.3): byte to
 * doubleword, update/indexed/byte-reversed forms, multiple and string (the
 * quadword and atomic ones: insn-atomic.c).
 */
#include "qemu/module.h"
#include "target/ppc/internal.h"

/* XER[57:63]: the byte count of lswx/stswx */
#define XER_BC_MASK 0x7f

/*
 * Alignment interrupt (Book III 6.5.8): SRR0 = the instruction, DAR = the
 * operand's EA.  The ISA leaves DSISR undefined; QEMU ORs the instruction's
 * RT/RS and RA fields into DSISR[22:31], and so do we.
 */
static const PPCOp *raise_alignment(CPUPPCState *env, const PPCOp *op, uint64_t ea)
{
    env->spr[SPR_DAR] = ea;
    env->spr[SPR_DSISR] |= insn_field(op->insn, 6, 15);
    return ppc_raise(env, PPC_VEC_ALIGNMENT, op->pc, 0);
}

/* (RA|0) + D and (RA|0) + RB, for the forms not split by RA=0 at decode. */
static inline uint64_t ea_d_any(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + op->imm);
}

static inline uint64_t ea_x_any(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]);
}

static inline uint64_t sign_extend(uint64_t v, unsigned size)
{
    return size == 2 ? (uint64_t)(int64_t)(int16_t)v : (uint64_t)(int64_t)(int32_t)v;
}

/*
 * The soft-TLB entry for an access of size bytes at ea, when it maps the
 * whole access.  Entries sit at the index of their own page, so comparing
 * the tag with the page of the access's last byte checks both that ea's
 * page is mapped and that the access does not cross into the next page.
 */
static inline uint8_t *tlb_fast_ptr(const PPCTLBEntry *tlb, uint64_t regime, uint64_t ea,
                                    unsigned size, bool *hit)
{
    const PPCTLBEntry *e = &tlb[(ea >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1)];

    /* another CPU may drop a write entry under our feet (a page became code) */
    *hit =
        __atomic_load_n(&e->tag, __ATOMIC_RELAXED) == (((ea + size - 1) & PPC_PAGE_MASK) | regime);
    return (uint8_t *)(uintptr_t)(ea + e->addend);
}

/* Misses: fill the TLB or go byte by byte, out of line so hits need no stack frame. */
static const PPCOp *__attribute__((noinline, cold))
access_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool store, unsigned size, bool sext,
            bool rev, bool update)
{
    if (store) {
        if (!ppc_store(env, op, ea, size, rev, env->gpr[op->rt])) {
            return NULL;
        }
    } else {
        uint64_t v;

        if (!ppc_load(env, op, ea, size, rev, &v)) {
            return NULL;
        }
        env->gpr[op->rt] = sext ? sign_extend(v, size) : v;
    }
    if (update) {
        env->gpr[op->ra] = ea;
    }
    return PPC_NEXT(env, op);
}

/*
 * One load or store of size bytes at ea with RT/RS; update forms then set RA
 * to the EA.  A failed access changes no register.  Every caller passes
 * constants for all but env, op and ea, so each handler is specialised.
 */
static inline const PPCOp *do_access(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool store,
                                     unsigned size, bool sext, bool rev, bool update)
{
    bool le = ((op->flags & PPC_OPF_LE) != 0) != rev;
    bool hit;
    uint8_t *p =
        tlb_fast_ptr(store ? env->tlb_write : env->tlb_read, env->tlb_regime, ea, size, &hit);

    if (unlikely(!hit)) {
        return access_slow(env, op, ea, store, size, sext, rev, update);
    }
    if (store) {
        ppc_val_to_mem(p, size, env->gpr[op->rt], le);
    } else {
        uint64_t v = ppc_mem_to_val(p, size, le);

        env->gpr[op->rt] = sext ? sign_extend(v, size) : v;
    }
    if (update) {
        env->gpr[op->ra] = ea;
    }
    return PPC_NEXT(env, op);
}

/* ---- Decoding of the plain forms ------------------------------------- */

/* The displacement bits of D (all 16) and DS (low 2 are XO) forms */
#define IMM_D 0xffff
#define IMM_DS 0xfffc

/*
 * The handler for the op's mode, so none tests it: fn64 uses the EA whole,
 * fn truncates it to 32 bits.
 */
static PPCOpFn *mode_fn(const PPCOp *op, PPCOpFn *fn, PPCOpFn *fn64)
{
    return (op->flags & PPC_OPF_SF) ? fn64 : fn;
}

/*
 * D/DS form: with RA=0 the EA is a constant, computed here; fn0 uses it,
 * fn (or fn64) adds RA.
 */
static bool decode_d_pair(uint32_t insn, PPCOp *op, uint32_t imm_mask, PPCOpFn *fn0, PPCOpFn *fn,
                          PPCOpFn *fn64)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->imm = (int16_t)(insn & imm_mask);
    if (op->ra == 0) {
        op->imm = ppc_ea(op, op->imm);
        op->fn = fn0;
    } else {
        op->fn = mode_fn(op, fn, fn64);
    }
    return true;
}

static bool decode_x_pair(uint32_t insn, PPCOp *op, PPCOpFn *fn0, PPCOpFn *fn, PPCOpFn *fn64)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    op->fn = op->ra ? mode_fn(op, fn, fn64) : fn0;
    return true;
}

/*
 * Update forms: RA=0 is invalid, and for loads so is RA=RT (QEMU raises the
 * illegal-instruction interrupt for both, as do we).
 */
static bool update_form_valid(const PPCOp *op, bool store)
{
    return op->ra != 0 && (store || op->ra != op->rt);
}

static bool decode_d_update(uint32_t insn, PPCOp *op, uint32_t imm_mask, bool store, PPCOpFn *fn,
                            PPCOpFn *fn64)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->imm = (int16_t)(insn & imm_mask);
    op->fn = mode_fn(op, fn, fn64);
    return update_form_valid(op, store);
}

static bool decode_x_update(uint32_t insn, PPCOp *op, bool store, PPCOpFn *fn, PPCOpFn *fn64)
{
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    op->fn = mode_fn(op, fn, fn64);
    return update_form_valid(op, store);
}

/* ---- Handlers of the plain forms, generated per width and form --------- */

/*
 * name for 32-bit mode (the EA truncated to 32 bits) and name_64 for 64-bit
 * mode, from the full-width EA expression.
 */
#define ACCESS_MODES(name, ea_expr, store, size, sext, rev, update)                                \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        return do_access(env, op, (uint32_t)(ea_expr), store, size, sext, rev, update);            \
    }                                                                                              \
    static const PPCOp *op_##name##_64(CPUPPCState *env, const PPCOp *op)                          \
    {                                                                                              \
        return do_access(env, op, ea_expr, store, size, sext, rev, update);                        \
    }

#define EA_D (env->gpr[op->ra] + op->imm)
#define EA_X (env->gpr[op->ra] + env->gpr[op->rb])

#define ACCESS_D(name, store, size, sext, imm_mask)                                                \
    static const PPCOp *op_##name##_ra0(CPUPPCState *env, const PPCOp *op)                         \
    {                                                                                              \
        return do_access(env, op, op->imm, store, size, sext, false, false);                       \
    }                                                                                              \
    ACCESS_MODES(name, EA_D, store, size, sext, false, false)                                      \
    static bool decode_##name(const PPCInsnDef *def, uint32_t insn, PPCOp *op)                     \
    {                                                                                              \
        return decode_d_pair(insn, op, imm_mask, op_##name##_ra0, op_##name, op_##name##_64);      \
    }

#define ACCESS_DU(name, store, size, sext, imm_mask)                                               \
    ACCESS_MODES(name, EA_D, store, size, sext, false, true)                                       \
    static bool decode_##name(const PPCInsnDef *def, uint32_t insn, PPCOp *op)                     \
    {                                                                                              \
        return decode_d_update(insn, op, imm_mask, store, op_##name, op_##name##_64);              \
    }

#define ACCESS_X(name, store, size, sext, rev)                                                     \
    static const PPCOp *op_##name##_ra0(CPUPPCState *env, const PPCOp *op)                         \
    {                                                                                              \
        return do_access(env, op, ppc_ea(op, env->gpr[op->rb]), store, size, sext, rev, false);    \
    }                                                                                              \
    ACCESS_MODES(name, EA_X, store, size, sext, rev, false)                                        \
    static bool decode_##name(const PPCInsnDef *def, uint32_t insn, PPCOp *op)                     \
    {                                                                                              \
        return decode_x_pair(insn, op, op_##name##_ra0, op_##name, op_##name##_64);                \
    }

#define ACCESS_XU(name, store, size, sext)                                                         \
    ACCESS_MODES(name, EA_X, store, size, sext, false, true)                                       \
    static bool decode_##name(const PPCInsnDef *def, uint32_t insn, PPCOp *op)                     \
    {                                                                                              \
        return decode_x_update(insn, op, store, op_##name, op_##name##_64);                        \
    }

/* Loads: zero-extending, and the algebraic (sign-extending) lha and lwa */
ACCESS_D(lbz, false, 1, false, IMM_D)
ACCESS_D(lhz, false, 2, false, IMM_D)
ACCESS_D(lha, false, 2, true, IMM_D)
ACCESS_D(lwz, false, 4, false, IMM_D)
ACCESS_D(lwa, false, 4, true, IMM_DS)
ACCESS_D(ld, false, 8, false, IMM_DS)
ACCESS_DU(lbzu, false, 1, false, IMM_D)
ACCESS_DU(lhzu, false, 2, false, IMM_D)
ACCESS_DU(lhau, false, 2, true, IMM_D)
ACCESS_DU(lwzu, false, 4, false, IMM_D)
ACCESS_DU(ldu, false, 8, false, IMM_DS)
ACCESS_X(lbzx, false, 1, false, false)
ACCESS_X(lhzx, false, 2, false, false)
ACCESS_X(lhax, false, 2, true, false)
ACCESS_X(lwzx, false, 4, false, false)
ACCESS_X(lwax, false, 4, true, false)
ACCESS_X(ldx, false, 8, false, false)
ACCESS_X(lhbrx, false, 2, false, true)
ACCESS_X(lwbrx, false, 4, false, true)
ACCESS_X(ldbrx, false, 8, false, true)
ACCESS_XU(lbzux, false, 1, false)
ACCESS_XU(lhzux, false, 2, false)
ACCESS_XU(lhaux, false, 2, true)
ACCESS_XU(lwzux, false, 4, false)
ACCESS_XU(lwaux, false, 4, true)
ACCESS_XU(ldux, false, 8, false)

/* Stores: the low size bytes of RS */
ACCESS_D(stb, true, 1, false, IMM_D)
ACCESS_D(sth, true, 2, false, IMM_D)
ACCESS_D(stw, true, 4, false, IMM_D)
ACCESS_D(std, true, 8, false, IMM_DS)
ACCESS_DU(stbu, true, 1, false, IMM_D)
ACCESS_DU(sthu, true, 2, false, IMM_D)
ACCESS_DU(stwu, true, 4, false, IMM_D)
ACCESS_DU(stdu, true, 8, false, IMM_DS)
ACCESS_X(stbx, true, 1, false, false)
ACCESS_X(sthx, true, 2, false, false)
ACCESS_X(stwx, true, 4, false, false)
ACCESS_X(stdx, true, 8, false, false)
ACCESS_X(sthbrx, true, 2, false, true)
ACCESS_X(stwbrx, true, 4, false, true)
ACCESS_X(stdbrx, true, 8, false, true)
ACCESS_XU(stbux, true, 1, false)
ACCESS_XU(sthux, true, 2, false)
ACCESS_XU(stwux, true, 4, false)
ACCESS_XU(stdux, true, 8, false)

/* ---- Load/store multiple word ------------------------------------------ */

/*
 * lmw/stmw move the low words of RT..r31 to/from consecutive words.  In
 * little-endian mode they cause an alignment interrupt.  QEMU executes the
 * invalid form (RA among the loaded registers): RA is overwritten.
 */
static const PPCOp *op_lmw(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_d_any(env, op), words[32];

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    for (unsigned r = op->rt; r < 32; r++) {
        if (!ppc_load(env, op, ppc_ea(op, ea + 4 * (r - op->rt)), 4, false, &words[r])) {
            return NULL;
        }
    }
    for (unsigned r = op->rt; r < 32; r++) {
        env->gpr[r] = words[r];
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_stmw(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_d_any(env, op);

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    for (unsigned r = op->rt; r < 32; r++) {
        if (!ppc_store(env, op, ppc_ea(op, ea + 4 * (r - op->rt)), 4, false, env->gpr[r])) {
            return NULL;
        }
    }
    return PPC_NEXT(env, op);
}

/* ---- Load/store string --------------------------------------------------- */

/* Whether register r is among the n registers from first on (wrapping at 32) */
static bool string_regs_hold(unsigned first, unsigned n, unsigned r)
{
    return ((r - first) & 31) < n;
}

/*
 * Load n bytes into RT, RT+1, ... (wrapping after r31), four per register
 * from its bit 32 on; bits 0:31 and any bytes past the last become 0.
 */
static const PPCOp *load_string(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned n)
{
    uint64_t regs[32] = { 0 };
    unsigned nregs = (n + 3) / 4;

    for (unsigned i = 0; i < n; i++) {
        uint64_t b;

        if (!ppc_load(env, op, ppc_ea(op, ea + i), 1, false, &b)) {
            return NULL;
        }
        regs[i / 4] |= b << (24 - 8 * (i % 4));
    }
    for (unsigned i = 0; i < nregs; i++) {
        env->gpr[(op->rt + i) & 31] = regs[i];
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *store_string(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t reg = env->gpr[(op->rt + i / 4) & 31];

        if (!ppc_store(env, op, ppc_ea(op, ea + i), 1, false, reg >> (24 - 8 * (i % 4)))) {
            return NULL;
        }
    }
    return PPC_NEXT(env, op);
}

/* lswi/stswi: EA = (RA|0), byte count in the NB field (op->aux, 0 means 32) */
static const PPCOp *op_lswi(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ppc_ea(op, op->ra ? env->gpr[op->ra] : 0);

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    return load_string(env, op, ea, op->aux);
}

static const PPCOp *op_stswi(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ppc_ea(op, op->ra ? env->gpr[op->ra] : 0);

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    return store_string(env, op, ea, op->aux);
}

/*
 * lswx/stswx: byte count from XER[57:63]; a count of 0 does nothing.  lswx
 * with RA (other than r0) or RB among the registers it would load is an
 * invalid form: QEMU raises the illegal-instruction interrupt then.
 */
static const PPCOp *op_lswx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_x_any(env, op);
    unsigned n = env->xer_rest & XER_BC_MASK, nregs = (n + 3) / 4;

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    if ((op->ra && string_regs_hold(op->rt, nregs, op->ra)) ||
        string_regs_hold(op->rt, nregs, op->rb)) {
        return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
    }
    return load_string(env, op, ea, n);
}

static const PPCOp *op_stswx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_x_any(env, op);

    if (op->flags & PPC_OPF_LE) {
        return raise_alignment(env, op, ea);
    }
    return store_string(env, op, ea, env->xer_rest & XER_BC_MASK);
}

/* lswi with RA among its target registers (r0 included) is invalid, as in QEMU */
static bool decode_string_imm(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    bool load = def->fn == op_lswi;

    ppc_decode_x(def, insn, op);
    op->aux = op->rb ? op->rb : 32;
    return !load || !string_regs_hold(op->rt, (op->aux + 3u) / 4, op->ra);
}

/* ---- The table ------------------------------------------------------------ */

#define OPCD(n) ((uint32_t)(n) << 26)
#define XO(n) ((uint32_t)(n) << 1)
#define MASK_D 0xfc000000u
#define MASK_DS 0xfc000003u
#define MASK_X 0xfc0007ffu /* bit 31 must be 0 */
/*
 * Bit 31 ignored: the EH hint of l*arx, and (as QEMU 7.2 decodes them) the
 * reserved bit of the plain indexed loads/stores, the byte-reversed stores
 * and st*cx., which behaves the same with it 0.
 */
#define MASK_XI 0xfc0007feu

/* clang-format off */
#define D_INSN(name, opcd) { #name, OPCD(opcd), MASK_D, decode_##name, NULL, 0 }
#define DS_INSN(name, opcd, xo) { #name, OPCD(opcd) | (xo), MASK_DS, decode_##name, NULL, 0 }
#define X_INSN(name, xo, mask) { #name, OPCD(31) | XO(xo), mask, decode_##name, NULL, 0 }
#define X_GENERIC(name, xo, mask, dec) { #name, OPCD(31) | XO(xo), mask, dec, op_##name, 0 }
/* clang-format on */

static const PPCInsnDef ldst_insns[] = {
    D_INSN(lbz, 34),
    D_INSN(lbzu, 35),
    D_INSN(lhz, 40),
    D_INSN(lhzu, 41),
    D_INSN(lha, 42),
    D_INSN(lhau, 43),
    D_INSN(lwz, 32),
    D_INSN(lwzu, 33),
    DS_INSN(ld, 58, 0),
    DS_INSN(ldu, 58, 1),
    DS_INSN(lwa, 58, 2),
    D_INSN(stb, 38),
    D_INSN(stbu, 39),
    D_INSN(sth, 44),
    D_INSN(sthu, 45),
    D_INSN(stw, 36),
    D_INSN(stwu, 37),
    DS_INSN(std, 62, 0),
    DS_INSN(stdu, 62, 1),

    X_INSN(lbzx, 87, MASK_XI),
    X_INSN(lbzux, 119, MASK_XI),
    X_INSN(lhzx, 279, MASK_XI),
    X_INSN(lhzux, 311, MASK_XI),
    X_INSN(lhax, 343, MASK_XI),
    X_INSN(lhaux, 375, MASK_XI),
    X_INSN(lwzx, 23, MASK_XI),
    X_INSN(lwzux, 55, MASK_XI),
    X_INSN(lwax, 341, MASK_XI),
    X_INSN(lwaux, 373, MASK_XI),
    X_INSN(ldx, 21, MASK_XI),
    X_INSN(ldux, 53, MASK_XI),
    X_INSN(stbx, 215, MASK_XI),
    X_INSN(stbux, 247, MASK_XI),
    X_INSN(sthx, 407, MASK_XI),
    X_INSN(sthux, 439, MASK_XI),
    X_INSN(stwx, 151, MASK_XI),
    X_INSN(stwux, 183, MASK_XI),
    X_INSN(stdx, 149, MASK_XI),
    X_INSN(stdux, 181, MASK_XI),
    X_INSN(lhbrx, 790, MASK_X),
    X_INSN(lwbrx, 534, MASK_X),
    X_INSN(ldbrx, 532, MASK_X),
    X_INSN(sthbrx, 918, MASK_XI),
    X_INSN(stwbrx, 662, MASK_XI),
    X_INSN(stdbrx, 660, MASK_XI),

    { "lmw", OPCD(46), MASK_D, ppc_decode_d, op_lmw, 0 },
    { "stmw", OPCD(47), MASK_D, ppc_decode_d, op_stmw, 0 },
    X_GENERIC(lswi, 597, MASK_X, decode_string_imm),
    X_GENERIC(stswi, 725, MASK_X, decode_string_imm),
    X_GENERIC(lswx, 533, MASK_X, ppc_decode_x),
    X_GENERIC(stswx, 661, MASK_X, ppc_decode_x),
};

static void ppc_insn_ldst_register(void)
{
    ppc_insn_register(ldst_insns, ARRAY_SIZE(ldst_insns));
}

module_init(ppc_insn_ldst_register)

/*
 * The x86-64 JIT for floating-point instructions: loads, stores and moves
 * natively, fadd, fsub, fmul and fdiv inline in their common case (see
 * emit_fp_arith()), the other arithmetic (and the VSX scalar arithmetic,
 * conversions and compares) as direct calls to the instructions' functions.
 *
 * FPR i is doubleword 0 of VSR i in CPUPPCState; writing it zeroes
 * doubleword 1 (as ppc_fp_set() does).  An FP instruction decoded with
 * MSR[FP]=0 is the FP-unavailable interrupt: it takes a step.  Loads and
 * stores share the integer ones' soft-TLB fast path; a miss, a page
 * crossing or a value the native conversion does not cover (lfs of a
 * zero, denormal, infinity or NaN; stfs of a value that must be
 * denormalised) takes a step, so those keep the interpreter's semantics.
 */
#include "target/ppc/insn-fp.h"
#include "target/ppc/jit-x86_64.h"

#define FPR_OFF(n) (ENV_OFF(vsr) + (int32_t)(sizeof(ppc_vsr_t) * (n) + 8 * PPC_VSR_IDX(2, 0)))
#define FPR_DW1_OFF(n) (ENV_OFF(vsr) + (int32_t)(sizeof(ppc_vsr_t) * (n) + 8 * PPC_VSR_IDX(2, 1)))

/* Parity (ucomisd: unordered). */
#define CC_P 0xa
/* Bit-test group 0x0fba /n: bt, bts, btr, btc. */
enum { BT_BTS = 5, BT_BTR = 6, BT_BTC = 7 };

/* FPR n = r (r is neither rbx nor the scratch the caller still needs). */
static void st_fpr(Asm *a, int r, unsigned n)
{
    rm(a, true, OPC_MOV_ST, r, RBX, FPR_OFF(n));
    rm(a, true, 0xc7, 0, RBX, FPR_DW1_OFF(n)); /* mov qword [dw1], 0 */
    b4(a, 0);
}

static void ld_fpr(Asm *a, int r, unsigned n)
{
    rm(a, true, OPC_MOV_LD, r, RBX, FPR_OFF(n));
}

/*
 * Before a call into C: every changed GPR back to env (the call may raise
 * an interrupt and leave), and the caller-saved host registers forgotten.
 */
static void cache_before_call(Block *b)
{
    RegCache *c = &b->rc;

    cache_writeback(&b->a, c);
    for (int k = 0; k < N_CACHE; k++) {
        int h = cache_host[k];

        if (c->gpr_of[k] >= 0 && h >= R8 && h <= R11) {
            c->slot_of[c->gpr_of[k]] = -1;
            c->gpr_of[k] = -1;
        }
    }
}

/*
 * lfs: binary32 in eax to binary64 in rax, for a normal value (exponent
 * field 1..254); anything else goes to the step.
 */
static void emit_single_to_double(Block *b, unsigned i)
{
    Asm *a = &b->a;

    rr(a, false, OPC_MOV_ST, RAX, RCX);
    shift_imm(a, false, SH_SHR, RCX, 23);
    alu_imm(a, false, ALU_AND, RCX, 0xff);
    alu_imm(a, false, ALU_SUB, RCX, 1);
    alu_imm(a, false, ALU_CMP, RCX, 253);
    stub_jcc(b, CC_A, i);
    /* sign to bit 63; exponent and fraction moved up 29 bits and rebiased by 1023 - 127 */
    rr(a, false, OPC_MOV_ST, RAX, RDX);
    alu_imm(a, false, ALU_AND, RDX, (int32_t)0x80000000u);
    shift_imm(a, true, SH_SHL, RDX, 32);
    alu_imm(a, false, ALU_AND, RAX, 0x7fffffff);
    shift_imm(a, true, SH_SHL, RAX, 29);
    mov_imm(a, RCX, (uint64_t)(1023 - 127) << 52);
    rr(a, true, OPC_ADD, RCX, RAX);
    rr(a, true, OPC_OR, RDX, RAX);
}

/*
 * stfs: the binary64 value in rax to the binary32 word in eax, for an
 * exponent above 896 (the ISA's no-denormalisation case, infinities and
 * NaNs included): bits 0:1 and 5:34 of the doubleword.
 */
static void emit_double_to_single(Block *b, unsigned i)
{
    Asm *a = &b->a;

    rr(a, true, OPC_MOV_ST, RAX, RCX);
    shift_imm(a, true, SH_SHR, RCX, 52);
    alu_imm(a, false, ALU_AND, RCX, 0x7ff);
    alu_imm(a, false, ALU_CMP, RCX, 896);
    stub_jcc(b, CC_BE, i);
    rr(a, true, OPC_MOV_ST, RAX, RCX);
    shift_imm(a, true, SH_SHR, RCX, 62);
    shift_imm(a, false, SH_SHL, RCX, 30);
    shift_imm(a, true, SH_SHR, RAX, 29);
    alu_imm(a, false, ALU_AND, RAX, 0x3fffffff);
    rr(a, false, OPC_OR, RCX, RAX);
}

/* lfs, lfd, stfs, stfd and their update and indexed forms. */
static int emit_fp_mem(Block *b, unsigned i, uint32_t insn, const MemOp *m, bool single,
                       int64_t disp)
{
    Asm *a = &b->a;
    bool be = !(jit_op(b, i)->flags & PPC_OPF_LE);
    unsigned rt = F_RT(insn), ra = F_RA(insn);
    unsigned first_stub = b->n_stubs;

    if (m->update && ra == 0) {
        return 0;
    }
    emit_mem_addr(b, insn, i, m, disp);
    if (m->store) {
        ld_fpr(a, RAX, rt);
        if (single) {
            emit_double_to_single(b, i);
            if (be) {
                bswap(a, false, RAX);
            }
            rm(a, false, OPC_MOV_ST, RAX, RSI, 0);
        } else {
            if (be) {
                bswap(a, true, RAX);
            }
            rm(a, true, OPC_MOV_ST, RAX, RSI, 0);
        }
    } else {
        if (single) {
            rm(a, false, OPC_MOV_LD, RAX, RSI, 0);
            if (be) {
                bswap(a, false, RAX);
            }
            emit_single_to_double(b, i);
        } else {
            rm(a, true, OPC_MOV_LD, RAX, RSI, 0);
            if (be) {
                bswap(a, true, RAX);
            }
        }
        st_fpr(a, RAX, rt);
    }
    if (m->update) {
        st_gpr(b, RDI, ra);
    }
    stubs_resume(b, first_stub);
    return 1;
}

/* fmr, fneg, fabs, fnabs, fcpsgn without Rc: bit operations on the doubleword. */
static int emit_fp_move(Block *b, uint32_t insn, unsigned xo)
{
    Asm *a = &b->a;

    if (insn & 1) {
        return 0;
    }
    ld_fpr(a, RAX, F_RB(insn));
    switch (xo) {
    case 40: /* fneg */
        rr(a, true, 0x0fba, BT_BTC, RAX);
        b1(a, 63);
        break;
    case 264: /* fabs */
        rr(a, true, 0x0fba, BT_BTR, RAX);
        b1(a, 63);
        break;
    case 136: /* fnabs */
        rr(a, true, 0x0fba, BT_BTS, RAX);
        b1(a, 63);
        break;
    case 8: /* fcpsgn: FRA's sign, FRB's magnitude */
        rr(a, true, 0x0fba, BT_BTR, RAX);
        b1(a, 63);
        ld_fpr(a, RCX, F_RA(insn));
        shift_imm(a, true, SH_SHR, RCX, 63);
        shift_imm(a, true, SH_SHL, RCX, 63);
        rr(a, true, OPC_OR, RCX, RAX);
        break;
    default: /* fmr */
        break;
    }
    st_fpr(a, RAX, F_RT(insn));
    return 1;
}

/*
 * fcmpu/fcmpo BF,FRA,FRB for ordered operands: CR field BF and FPCC get
 * LT, GT or EQ (ucomisd: CF below, ZF equal); FR, FI and the exception
 * bits do not change.  A NaN operand (unordered: PF) takes the step, which
 * sets FU and the invalid-operation bits.
 */
static int emit_fcmp(Block *b, unsigned i, uint32_t insn)
{
    Asm *a = &b->a;
    unsigned bf = insn_field(insn, 6, 8), first_stub = b->n_stubs;

    b1(a, 0xf3); /* movq xmm0, [FRA] */
    rm(a, false, 0x0f7e, 0, RBX, FPR_OFF(F_RA(insn)));
    b1(a, 0x66); /* ucomisd xmm0, [FRB] */
    rm(a, false, 0x0f2e, 0, RBX, FPR_OFF(F_RB(insn)));
    stub_jcc(b, CC_P, i);
    mov_imm(a, RCX, CRF_EQ);
    mov_imm(a, RDX, CRF_GT); /* mov does not touch the flags */
    cmov(a, false, CC_A, RCX, RDX);
    mov_imm(a, RDX, CRF_LT);
    cmov(a, false, CC_B, RCX, RDX);
    rm(a, false, OPC_MOV_ST, RCX, RBX, ENV_OFF(crf) + 4 * (int32_t)bf);
    rm(a, true, OPC_MOV_LD, RAX, RBX, ENV_OFF(fpscr));
    alu_imm(a, true, ALU_AND, RAX, (int32_t)~FPSCR_FPCC);
    shift_imm(a, false, SH_SHL, RCX, FPSCR_FPRF_SHIFT);
    rr(a, true, OPC_OR, RCX, RAX);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(fpscr));
    stubs_resume(b, first_stub);
    return 1;
}

/* SSE2 scalar-double opcodes (0xf2 prefix) and moves. */
enum { SD_ADD = 0x0f58, SD_MUL = 0x0f59, SD_SUB = 0x0f5c, SD_DIV = 0x0f5e };

/* op xmm d, xmm s: an arithmetic sd instruction. */
static void sd_rr(Asm *a, unsigned opc, int d, int s)
{
    b1(a, 0xf2);
    rr(a, false, opc, d, s);
}

/* movapd xmm d, xmm s */
static void movapd(Asm *a, int d, int s)
{
    b1(a, 0x66);
    rr(a, false, 0x0f28, d, s);
}

/* movq xmm x, FPR n */
static void ld_fpr_x(Asm *a, int x, unsigned n)
{
    b1(a, 0xf3);
    rm(a, false, 0x0f7e, x, RBX, FPR_OFF(n));
}

/* movq r64, xmm x */
static void movq_from_x(Asm *a, int r, int x)
{
    b1(a, 0x66);
    rr(a, true, 0x0f7e, x, r);
}

/*
 * A scalar-double FMA3 instruction d = op(d, s1, s2) (VEX.LIG.66.0F38.W1,
 * xmm0-7): 0xbb vfmsub231sd d = s1 * s2 - d, 0xbd vfnmadd231sd
 * d = -(s1 * s2) + d; each rounds once.
 */
static void fma_sd(Asm *a, unsigned opc, int d, int s1, int s2)
{
    b1(a, 0xc4);
    b1(a, 0xe2);
    b1(a, 0x80 | ((~s1 & 15) << 3) | 0x01);
    b1(a, opc);
    b1(a, 0xc0 | (d << 3) | s2);
}

static bool host_fma(void)
{
    static int have = -1;

    if (have < 0) {
        __builtin_cpu_init();
        /* "avx" is only reported when the OS saves the AVX state (XGETBV). */
        have = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    }
    return have;
}

/*
 * Step op i unless the biased exponent of the binary64 value in r is in
 * FAST_EXP_MIN..2046 (r is clobbered).
 */
#define FAST_EXP_MIN 0x100
static void exp_check(Block *b, unsigned i, int r)
{
    Asm *a = &b->a;

    shift_imm(a, true, SH_SHR, r, 52);
    alu_imm(a, false, ALU_AND, r, 0x7ff);
    alu_imm(a, false, ALU_SUB, r, FAST_EXP_MIN);
    alu_imm(a, false, ALU_CMP, r, 0x7fe - FAST_EXP_MIN);
    stub_jcc(b, CC_A, i);
}

/*
 * fadd, fsub, fmul, fdiv (Rc=0) inline, for the case ppc_fp_result()
 * handles first: FPSCR[RN] round to nearest and XE=0, and the host
 * operation raising nothing but inexact.  The enable bits VE, OE, UE, ZE
 * do not matter then, nor does NI (ppc_fp_status() ignores it).
 *
 * Instead of reading the host's exception flags the code checks the
 * result: a biased exponent of FAST_EXP_MIN..2046 (a normal number, far
 * from underflow, not infinite) rules out invalid (NaN), zero divide and
 * overflow (infinity) and underflow; SNaN and QNaN operands give a NaN.
 * Anything else jumps to a step of the instruction, which recomputes from
 * the FPRs: nothing is written before that decision.
 *
 * Inexact and FR (the result's magnitude above the exact one) come from
 * the rounding error, computed exactly: for the sum, Knuth's TwoSum (six
 * operations, exact in round to nearest unless an intermediate overflows,
 * which then shows as an infinite or NaN error and takes the step); for the
 * product, e = a * c - r by one FMA; for the quotient, the remainder
 * a - q * b by one FMA.  These are exact when the result (and for the
 * quotient the dividend) is far above the underflow range, hence
 * FAST_EXP_MIN.  FI = (e != 0); FR = FI and exact = r + e below r in
 * magnitude, i.e. e of the other sign than r; for the quotient a / b =
 * q + rem / b, so FR when rem has the other sign than a.
 *
 * The FPSCR then changes as ppc_fp_result()'s common case changes it:
 * FR, FI, FPRF (+/- normal), and XX and FX (FX only when XX was clear).
 */
static int emit_fp_arith(Block *b, unsigned i, PPCFpKind kind)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    unsigned first_stub = b->n_stubs;
    uint8_t *exact;
    int e;

    /* rax = FPSCR; xmm0 = FRA, xmm1 = FRB (FRC for fmul), xmm2 = result, rcx its bits */
    rm(a, true, OPC_MOV_LD, RAX, RBX, ENV_OFF(fpscr));
    rr(a, false, 0xf7, F7_TEST, RAX);
    b4(a, (uint32_t)(FPSCR_XE | FPSCR_RN));
    stub_jcc(b, CC_NE, i);
    ld_fpr_x(a, 0, op->ra);
    ld_fpr_x(a, 1, kind == PPC_FP_KIND_MUL ? op->rc : op->rb);
    movapd(a, 2, 0);
    sd_rr(a,
          kind == PPC_FP_KIND_ADD   ? SD_ADD
          : kind == PPC_FP_KIND_SUB ? SD_SUB
          : kind == PPC_FP_KIND_MUL ? SD_MUL
                                    : SD_DIV,
          2, 1);
    movq_from_x(a, RCX, 2);
    rr(a, true, OPC_MOV_ST, RCX, RDX);
    exp_check(b, i, RDX);

    switch (kind) {
    case PPC_FP_KIND_ADD:
    case PPC_FP_KIND_SUB:
        /*
         * TwoSum of a and b' (b' = b or -b): bv = s - a, av = s - bv,
         * e = (a - av) + (b' - bv); for the difference b' - bv = -(b + bv).
         */
        movapd(a, 3, 2);
        sd_rr(a, SD_SUB, 3, 0); /* xmm3 = bv */
        movapd(a, 4, 2);
        sd_rr(a, SD_SUB, 4, 3); /* xmm4 = av */
        sd_rr(a, SD_SUB, 0, 4); /* xmm0 = a - av */
        if (kind == PPC_FP_KIND_ADD) {
            sd_rr(a, SD_SUB, 1, 3); /* xmm1 = b - bv */
            sd_rr(a, SD_ADD, 0, 1);
        } else {
            sd_rr(a, SD_ADD, 1, 3); /* xmm1 = b + bv */
            sd_rr(a, SD_SUB, 0, 1);
        }
        e = 0;
        break;
    case PPC_FP_KIND_MUL:
        movapd(a, 3, 2);
        fma_sd(a, 0xbb, 3, 0, 1); /* xmm3 = a * c - r */
        e = 3;
        break;
    default:
        movq_from_x(a, RDI, 0); /* the dividend's sign decides FR */
        rr(a, true, OPC_MOV_ST, RDI, RDX);
        exp_check(b, i, RDX);
        fma_sd(a, 0xbd, 0, 2, 1); /* xmm0 = a - q * b */
        e = 0;
        break;
    }
    movq_from_x(a, RDX, e);
    if (kind == PPC_FP_KIND_ADD || kind == PPC_FP_KIND_SUB) {
        /* an overflow inside TwoSum: e infinite or NaN */
        rr(a, true, OPC_MOV_ST, RDX, RSI);
        shift_imm(a, true, SH_SHR, RSI, 52);
        alu_imm(a, false, ALU_AND, RSI, 0x7ff);
        alu_imm(a, false, ALU_CMP, RSI, 0x7ff);
        stub_jcc(b, CC_E, i);
    }

    /* The decision is made: the target and the FPSCR. */
    st_fpr(a, RCX, op->rt);
    alu_imm(a, true, ALU_AND, RAX, (int32_t) ~(FPSCR_FR | FPSCR_FI | FPSCR_FPRF));
    /* FPRF: FPRF_POS_NORMAL, or FPRF_NEG_NORMAL (the next bit up) for a negative result */
    _Static_assert(FPRF_NEG_NORMAL == FPRF_POS_NORMAL << 1, "FPRF of a negative normal");
    rr(a, true, OPC_MOV_ST, RCX, RSI);
    shift_imm(a, true, SH_SHR, RSI, 63);
    shift_imm(a, false, SH_SHL, RSI, FPSCR_FPRF_SHIFT + 2);
    alu_imm(a, false, ALU_ADD, RSI, FPRF_POS_NORMAL << FPSCR_FPRF_SHIFT);
    rr(a, true, OPC_OR, RSI, RAX);
    /* exact (e = +0 or -0): FR and FI stay clear */
    rr(a, true, OPC_MOV_ST, RDX, RSI);
    rr(a, true, OPC_ADD, RSI, RSI);
    exact = jcc(a, CC_E);
    /* FX when XX goes 0 -> 1 (both in the low word: FX is bit 31) */
    _Static_assert(FPSCR_FX == 1ULL << 31 && FPSCR_XX == 1ULL << 25, "FX is XX six bits up");
    rr(a, false, OPC_MOV_ST, RAX, RSI);
    rr(a, false, 0xf7, F7_NOT, RSI);
    alu_imm(a, false, ALU_AND, RSI, (int32_t)FPSCR_XX);
    shift_imm(a, false, SH_SHL, RSI, 6);
    rr(a, true, OPC_OR, RSI, RAX);
    alu_imm(a, true, ALU_OR, RAX, (int32_t)(FPSCR_FI | FPSCR_XX));
    /* FR: e's sign against the result's (the dividend's for the quotient) */
    rr(a, true, OPC_XOR, kind == PPC_FP_KIND_DIV ? RDI : RCX, RDX);
    shift_imm(a, true, SH_SHR, RDX, 63);
    _Static_assert(FPSCR_FR == 1ULL << 18, "FR is bit 18");
    shift_imm(a, false, SH_SHL, RDX, 18);
    rr(a, true, OPC_OR, RDX, RAX);
    patch(a, exact, a->p);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(fpscr));
    stubs_resume(b, first_stub);
    return 1;
}

/* A direct call of the instruction's function; leave the block when it raised an interrupt. */
static int emit_fp_call(Block *b, unsigned i, PPCFpHelper *fn)
{
    Asm *a = &b->a;

    if (!fn) {
        return 0;
    }
    cache_before_call(b);
    rr(a, true, OPC_MOV_ST, RBX, RDI); /* mov rdi, rbx */
    mov_imm(a, RSI, (uintptr_t)jit_op(b, i));
    mov_imm(a, RAX, (uintptr_t)fn);
    rr(a, false, 0xff, 2, RAX);   /* call rax */
    rr(a, false, 0x84, RAX, RAX); /* test al, al */
    jcc_to(a, CC_E, b->exit_null);
    return 1;
}

int jit_fp_emit(Block *b, unsigned i)
{
    const PPCOp *op = jit_op(b, i);
    uint32_t insn = op->insn;
    unsigned opcd = INSN_OPCD(insn), xo = F_XO10(insn);
    static const MemOp ld4 = { 4 }, ld8 = { 8 }, st4 = { 4, true }, st8 = { 8, true };
    MemOp m;
    bool fp_insn = true;

    if (opcd == 60) {
        /*
         * VSX scalar arithmetic, multiply-add, conversions and compares:
         * direct calls.  An op decoded with MSR[VSX]=0 holds the
         * VSX-unavailable handler, which has no helper: it takes a step.
         */
        PPCFpHelper *fn = vsx_fp_helper_of(b->fns[i]);

        return fn ? emit_fp_call(b, i, fn) : -1;
    }
    switch (opcd) {
    case 48 ... 55: /* lfs lfsu lfd lfdu stfs stfsu stfd stfdu */
    case 59:
    case 63:
        break;
    case 31:
        /* lfsx lfsux lfdx lfdux stfsx stfsux stfdx stfdux */
        fp_insn = xo >= 535 && xo <= 759 && (xo - 535) % 32 == 0;
        break;
    default:
        fp_insn = false;
        break;
    }
    if (!fp_insn) {
        return -1;
    }
    if (!(op->flags & PPC_OPF_FP)) {
        return 0; /* the FP-unavailable interrupt */
    }
    switch (opcd) {
    case 31:
        /* xo: 535 + 32 * k, k = 0..7: lfs lfsu lfd lfdu stfs stfsu stfd stfdu */
        if (insn & 1) {
            return 0;
        }
        {
            unsigned k = (xo - 535) / 32;

            m = (k & 4) ? ((k & 2) ? st8 : st4) : ((k & 2) ? ld8 : ld4);
            m.update = k & 1;
            m.indexed = true;
            return emit_fp_mem(b, i, insn, &m, !(k & 2), 0);
        }
    case 59:
    case 63:
        if (opcd == 63 && (xo == 72 || xo == 40 || xo == 264 || xo == 136 || xo == 8)) {
            return emit_fp_move(b, insn, xo);
        }
        if (opcd == 63 && (xo == 0 || xo == 32)) {
            return emit_fcmp(b, i, insn);
        }
        if (!(op->flags & PPC_OPF_RC)) {
            PPCFpKind kind = ppc_fp_kind_of(b->fns[i]);

            if (kind == PPC_FP_KIND_ADD || kind == PPC_FP_KIND_SUB ||
                ((kind == PPC_FP_KIND_MUL || kind == PPC_FP_KIND_DIV) && host_fma())) {
                return emit_fp_arith(b, i, kind);
            }
        }
        return emit_fp_call(b, i, ppc_fp_helper_of(b->fns[i]));
    default: {
        unsigned k = opcd - 48;

        m = (k & 4) ? ((k & 2) ? st8 : st4) : ((k & 2) ? ld8 : ld4);
        m.update = k & 1;
        return emit_fp_mem(b, i, insn, &m, !(k & 2), INSN_SIMM(insn));
    }
    }
}

/*
 * The x86-64 JIT for floating-point instructions: loads, stores and moves
 * natively, the arithmetic (and the VSX scalar arithmetic, conversions and
 * compares) as direct calls to the instructions' functions.
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
    bool be = !(b->ops[i].flags & PPC_OPF_LE);
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

/* A direct call of the instruction's function; leave the block when it raised an interrupt. */
static int emit_fp_call(Block *b, unsigned i, PPCFpHelper *fn)
{
    Asm *a = &b->a;

    if (!fn) {
        return 0;
    }
    cache_before_call(b);
    rr(a, true, OPC_MOV_ST, RBX, RDI); /* mov rdi, rbx */
    mov_imm(a, RSI, (uintptr_t)&b->ops[i]);
    mov_imm(a, RAX, (uintptr_t)fn);
    rr(a, false, 0xff, 2, RAX);   /* call rax */
    rr(a, false, 0x84, RAX, RAX); /* test al, al */
    jcc_to(a, CC_E, b->exit_null);
    return 1;
}

int jit_fp_emit(Block *b, unsigned i)
{
    const PPCOp *op = &b->ops[i];
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
        return emit_fp_call(b, i, ppc_fp_helper_of(b->fns[i]));
    default: {
        unsigned k = opcd - 48;

        m = (k & 4) ? ((k & 2) ? st8 : st4) : ((k & 2) ? ld8 : ld4);
        m.update = k & 1;
        return emit_fp_mem(b, i, insn, &m, !(k & 2), INSN_SIMM(insn));
    }
    }
}

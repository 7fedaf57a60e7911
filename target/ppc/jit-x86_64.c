/*
 * The x86-64 JIT: turns a translated block's ops into host code.
 *
 * The block's decoded ops stay the source of truth.  The compiled code is
 * installed as the handler of the block's first op, so the rest of the
 * engine (lookup, chaining, the loop) does not know whether a block is
 * compiled.  Each instruction becomes either
 *   - native code (the frequent integer, load/store and branch forms),
 *     which keeps guest GPRs in host registers within the block (the
 *     register cache, jit-x86_64.h: written back before a step, a slow
 *     path or leaving the block, so CPUPPCState is exact wherever an
 *     exception can be raised) and CR, XER, LR and CTR in CPUPPCState;
 *   - or a call to the op's interpreter handler ("a step"), which runs it
 *     and comes back because the next op's handler has been replaced by a
 *     sentinel that returns at once.
 * Native code takes a step for its own slow cases too (a soft-TLB miss, a
 * divisor of 0 or -1), so those keep the interpreter's exact semantics.
 *
 * Registers: rbx holds env (saved at entry); rax, rcx, rdx, rsi, rdi are
 * scratch; r8-r15 and rbp hold cached GPRs (cache_host).  The code is entered like an op handler, fn(env, op), and leaves
 * like one: returning NULL with env->nip set, or jumping to the next
 * block's first op.
 */
#include <sys/mman.h>

#include "exec/guest-memory.h"
#include "qemu/host-mem.h"
#include "qemu/log.h"
#include "sysemu/icount.h"
#include "target/ppc/jit-x86_64.h"

/* A CPU's host code: see exec.c's TB_ARENA_OPS for the size. */
#define JIT_CODE_SIZE (32u << 20)
/* Room one block may need at most: 128 ops of at most ~300 bytes, stubs. */
#define JIT_BLOCK_ROOM (96u << 10)
/* The least given back to the host at a reset (ppc_jit_reset). */
#define JIT_TRIM_MIN (1u << 20)
/* From a block's entry to where linked blocks enter it (after the prologue). */
#define JIT_LINK_OFFSET 17

struct PPCJit {
    uint8_t *base;
    size_t size;
    size_t used;
    size_t high; /* the most of the buffer touched since its last trim */
    bool has_lzcnt, has_popcnt, has_movbe;
};

/* PPC_JIT_STATS: count a step of op i where it is emitted (below). */
static void jit_stats_step(Block *b, unsigned i);

/*
 * The first bytes of the code buffer hold CRF_GT and CRF_LT, which set_crf()
 * moves with cmov (it has no immediate form); blocks start after them.
 */
#define JIT_CONSTS 16

/* lea r, [base + disp] (base may be r12, which needs a SIB byte) */
static void lea(Asm *a, int r, int base, int32_t disp)
{
    rex(a, true, r, base);
    b1(a, 0x8d);
    if ((base & 7) == RSP) {
        b1(a, 0x84 | ((r & 7) << 3));
        b1(a, 0x24); /* SIB: base only */
    } else {
        b1(a, 0x80 | ((r & 7) << 3) | (base & 7));
    }
    b4(a, (uint32_t)disp);
}

/*
 * movbe r, [rsi + off] (load) or movbe [rsi + off], r (store): size 2
 * (stores only), 4 or 8 bytes; a 4-byte load zero-extends.
 */
static void movbe_rsi(Asm *a, unsigned size, bool store, int r, int32_t off)
{
    if (size == 2) {
        b1(a, 0x66);
    }
    rex(a, size == 8, r, RSI);
    b1(a, 0x0f);
    b1(a, 0x38);
    b1(a, store ? 0xf1 : 0xf0);
    if (off == 0) {
        b1(a, ((r & 7) << 3) | (RSI & 7)); /* [rsi] */
    } else if (off == (int8_t)off) {
        b1(a, 0x40 | ((r & 7) << 3) | (RSI & 7)); /* [rsi + disp8] */
        b1(a, (uint8_t)off);
    } else {
        b1(a, 0x80 | ((r & 7) << 3) | (RSI & 7)); /* [rsi + disp32] */
        b4(a, (uint32_t)off);
    }
}

/* cmov<cc> r32, dword [rip + to k] */
static void cmov_rip(Asm *a, unsigned cc, int r, const uint32_t *k)
{
    rex(a, false, r, 0);
    b1(a, 0x0f);
    b1(a, 0x40 + cc);
    b1(a, ((r & 7) << 3) | 5);
    b4(a, 0);
    patch(a, a->p - 4, (const uint8_t *)k); /* rip: the end of the instruction */
}

/*
 * CR field bf from flags just set by a compare (or a test of the result):
 * LT/GT under the signed or unsigned conditions, else EQ; SO from XER.
 */
static void set_crf_flags(Block *b, bool is_signed)
{
    Asm *a = &b->a;

    mov_imm(a, RCX, CRF_EQ); /* mov does not touch the flags, but xor would */
    cmov_rip(a, is_signed ? CC_G : CC_A, RCX, b->crf_gt);
    cmov_rip(a, is_signed ? CC_L : CC_B, RCX, b->crf_lt);
}

/* The rest of set_crf(): SO added to ecx (flags clobbered), the field stored. */
static void set_crf_so(Block *b, unsigned bf)
{
    rm(&b->a, false, 0x0a, RCX, RBX, ENV_OFF(so)); /* or cl, byte [so] (0 or 1) */
    rm(&b->a, false, OPC_MOV_ST, RCX, RBX, CRF_OFF(bf));
}

/*
 * When op i is the last of the body and the block's last op is a bc that
 * tests LT, GT or EQ of this field and nothing else (no CTR, no link), that
 * bc branches on these flags (emit_branch(), or emit_side_exit() for the bc
 * in the middle of a trace) and each way completes the field in env;
 * emit_body() compiles the op again without this when code follows the
 * flags in it or it has a stub (which resumes after them).
 */
static void set_crf(Block *b, unsigned bf, bool is_signed)
{
    const PPCOp *next = jit_op(b, b->stamp);

    set_crf_flags(b, is_signed);
    if (!b->no_fuse && ((b->branch_last && b->stamp == b->n_ops - 1) || (int)b->stamp == b->mid) &&
        INSN_OPCD(next->insn) == 16 && !(next->insn & 1) && (F_RT(next->insn) & 0x14) == 0x04 &&
        F_RA(next->insn) >> 2 == bf && (F_RA(next->insn) & 3) != 3) {
        static const unsigned cc[2][3] = { { CC_B, CC_A, CC_E }, { CC_L, CC_G, CC_E } };

        b->fused_crf = bf;
        b->fused_cc = cc[is_signed][F_RA(next->insn) & 3];
        b->fused_end = b->a.p;
    } else {
        set_crf_so(b, bf);
    }
}

/* mov_imm(RCX, ...) above must not clear the flags: it must not use xor. */
_Static_assert(CRF_EQ != 0, "flag-preserving move");

/* CR0 from the result in r: compared as 64 bits, or as 32 in 32-bit mode. */
static void emit_cr0(Block *b, int r)
{
    rr(&b->a, b->flags & MSR_SF, OPC_TEST, r, r);
    set_crf(b, 0, true);
}

static void emit_stubs(Block *b)
{
    for (unsigned k = 0; k < b->n_stubs; k++) {
        Stub *st = &b->stubs[k];

        patch(&b->a, st->from, b->a.p);
        b->rc = st->pre;
        for (unsigned k = 0; k < st->n_step; k++) {
            emit_step(b, st->op + k);
        }
        for (int s = 0; s < N_CACHE; s++) {
            if (st->post.gpr_of[s] >= 0) {
                cache_load(&b->a, &st->post, s);
            }
        }
        jmp_to(&b->a, st->resume);
    }
}

/*
 * Enter the block whose first op is in rsi (rcx, rdx, rdi clobbered):
 * compiled code (its handler lies in this CPU's code buffer, as
 * ppc_jit_link() tests) where linked blocks enter it, in the frame this
 * block already has; any other handler after the epilogue, as the loop
 * would call it.  Either way the target checks for an exit request first.
 */
static void emit_enter_op(Block *b)
{
    Asm *a = &b->a;
    uint8_t *interp;

    rm(a, true, OPC_MOV_LD, RCX, RSI, offsetof(PPCOp, fn));
    mov_imm(a, RDX, -(uint64_t)(uintptr_t)b->code_base);
    rr(a, true, OPC_ADD, RCX, RDX);                        /* rdx = fn - base */
    alu_imm(a, true, ALU_CMP, RDX, (int32_t)b->code_size); /* unsigned: below base is above */
    interp = jcc(a, CC_AE);
    alu_imm(a, true, ALU_ADD, RCX, JIT_LINK_OFFSET);
    rr(a, false, 0xff, 4, RCX); /* jmp rcx */
    patch(a, interp, a->p);
    rr(a, true, OPC_MOV_ST, RBX, RDI); /* mov rdi, rbx */
    emit_epilogue(a);
    rm(a, false, 0xff, 4, RSI, offsetof(PPCOp, fn)); /* jmp [rsi + fn] */
}

/*
 * Enter the block the CPU's indirect-branch cache (env->ind_cache) holds
 * for the target in rax and this block's flags, when it holds one; index:
 * the entry, or -1 for the target's, computed here (rcx, rsi clobbered;
 * rdx too on a hit).  Falls through on a miss.
 */
static void emit_ind_cache_probe(Block *b, int index)
{
    Asm *a = &b->a;
    int32_t base = ENV_OFF(ind_cache);
    int reg = RBX;
    uint8_t *miss[2], *interp;

    _Static_assert(sizeof(PPCIndCacheEntry) == 32, "indirect cache entry size");
    if (index < 0) {
        rr(a, true, OPC_MOV_ST, RAX, RCX);
        shift_imm(a, true, SH_SHR, RCX, 2);
        alu_imm(a, false, ALU_AND, RCX, PPC_IND_CACHE_SIZE - 1);
        shift_imm(a, false, SH_SHL, RCX, 5);
        rr(a, true, OPC_ADD, RBX, RCX);
        reg = RCX;
    } else {
        base += index * (int32_t)sizeof(PPCIndCacheEntry);
    }
    rm(a, true, OPC_CMP + 2, RAX, reg, base + offsetof(PPCIndCacheEntry, pc));
    miss[0] = jcc(a, CC_NE);
    mov_imm(a, RSI, b->flags);
    rm(a, true, OPC_CMP + 2, RSI, reg, base + offsetof(PPCIndCacheEntry, flags));
    miss[1] = jcc(a, CC_NE);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(nip));
    /* compiled: straight into its code, as a linked jump enters it */
    rm(a, true, OPC_MOV_LD, RDX, reg, base + offsetof(PPCIndCacheEntry, code));
    rr(a, true, OPC_TEST, RDX, RDX);
    interp = jcc(a, CC_E);
    rr(a, false, 0xff, 4, RDX); /* jmp rdx */
    patch(a, interp, a->p);
    /* interpreted: its handler, after the epilogue, as the loop calls it */
    rm(a, true, OPC_MOV_LD, RSI, reg, base + offsetof(PPCIndCacheEntry, op));
    rr(a, true, OPC_MOV_ST, RBX, RDI); /* mov rdi, rbx */
    emit_epilogue(a);
    rm(a, false, 0xff, 4, RSI, offsetof(PPCOp, fn)); /* jmp [rsi + fn] */
    patch(a, miss[0], a->p);
    patch(a, miss[1], a->p);
}

/*
 * Leave for a target known now: a jump that the loop patches to the next
 * block's code once it has found it (see ppc_jit_link()); until then, back
 * to the loop, telling it what to link.
 */
static void emit_goto_static(Block *b, const PPCOp *op, uint64_t target)
{
    Asm *a = &b->a;
    uint8_t *site = jmp(a);

    patch(a, site, a->p);
    mov_imm(a, RAX, target);
    if ((b->flags & MSR_IR) && (target & PPC_PAGE_MASK) != (jit_op(b, 0)->pc & PPC_PAGE_MASK)) {
        /*
         * Into another page: the link may be refused (too many to undo at
         * the next TLB flush), so look in the indirect-branch cache first.
         */
        emit_ind_cache_probe(b, (target >> 2) & (PPC_IND_CACHE_SIZE - 1));
    }
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(nip));
    mov_imm(a, RDX, (uintptr_t)op);
    rm(a, true, OPC_MOV_ST, RDX, RBX, ENV_OFF(chain_from));
    mov_imm(a, RDX, (uintptr_t)site);
    rm(a, true, OPC_MOV_ST, RDX, RBX, ENV_OFF(jit_link));
    jmp_to(a, b->exit_null);
}

/*
 * Leave for the target in rax (a register branch): enter the block the
 * CPU's indirect-branch cache holds (env->ind_cache), else the one the op's
 * chain slots hold when it is the one, as ppc_goto_chain() does.  The cache
 * comes first: a branch with many targets (the NEXT of SLOF's Forth engine,
 * a bctr through a table) misses its two slots nearly always, and a hit in
 * the cache costs no more than one in the first slot.  The slots still
 * serve blocks the cache does not hold (supervisor blocks that are not
 * shared) and targets whose entry another took.
 * Blocks check for an exit request when they start, so none is needed here.
 */
static void emit_goto_indirect(Block *b, const PPCOp *op)
{
    Asm *a = &b->a;
    uint8_t *miss0, *miss1, *hit1, *go;
    /* the slots from the op: they follow its block's end op */
    int32_t chain = (int32_t)((uintptr_t)ppc_op_chain(op) - (uintptr_t)op);

    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(nip));
    emit_ind_cache_probe(b, -1);
    mov_imm(a, RDX, (uintptr_t)op);
    rm(a, true, OPC_MOV_LD, RSI, RDX, chain);
    rr(a, true, OPC_TEST, RSI, RSI);
    miss0 = jcc(a, CC_E);
    rm(a, true, OPC_CMP + 2, RAX, RSI, offsetof(PPCOp, pc));
    miss1 = jcc(a, CC_NE);
    go = a->p;
    emit_enter_op(b);
    patch(a, miss0, a->p);
    patch(a, miss1, a->p);
    rm(a, true, OPC_MOV_LD, RSI, RDX, chain + (int32_t)sizeof(PPCOp *));
    rr(a, true, OPC_TEST, RSI, RSI);
    hit1 = jcc(a, CC_E);
    rm(a, true, OPC_CMP + 2, RAX, RSI, offsetof(PPCOp, pc));
    jcc_to(a, CC_E, go);
    patch(a, hit1, a->p);
    rm(a, true, OPC_MOV_ST, RDX, RBX, ENV_OFF(chain_from));
    jmp_to(a, b->exit_null);
}

/*
 * The taken branch of a block to its own start (see ppc_jit_block()): the
 * cache is brought back to the state at the loop head (b->head, where
 * every cached GPR counts as changed): registers cached elsewhere are
 * written back when changed, the head's loaded where they differ.  Then
 * the exit request is checked, as a linked block does on entry; when set,
 * everything is written back and the block left at its start.
 */
static void emit_loop_back(Block *b)
{
    Asm *a = &b->a;
    RegCache c = b->rc, h = b->head;

    for (int k = 0; k < N_CACHE; k++) {
        if (c.gpr_of[k] >= 0 && c.gpr_of[k] != h.gpr_of[k] && c.dirty[k]) {
            cache_store(a, &c, k);
        }
    }
    for (int k = 0; k < N_CACHE; k++) {
        if (h.gpr_of[k] >= 0 && c.gpr_of[k] != h.gpr_of[k]) {
            cache_load(a, &h, k);
        }
    }
    rm(a, false, OPC_MOV_LD, RCX, RBX, ENV_OFF(exit_request));
    rm(a, false, OPC_OR + 2, RCX, RBX, ENV_OFF(chain_stop));
    jcc_to(a, CC_E, b->loop_head);
    cache_writeback(a, &h);
    mov_imm(a, RAX, jit_op(b, 0)->pc);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(nip));
    jmp_to(a, b->exit_null);
}

/* Leave through op i's interpreter handler (it ends the block). */
static void emit_tail_step(Block *b, unsigned i)
{
    Asm *a = &b->a;

    jit_stats_step(b, i);
    cache_flush(a, &b->rc);
    rr(a, true, OPC_MOV_ST, RBX, RDI);
    mov_imm(a, RSI, (uintptr_t)jit_op(b, i));
    mov_imm(a, RAX, (uintptr_t)b->fns[i]);
    emit_epilogue(a);
    rr(a, false, 0xff, 4, RAX); /* jmp rax */
}

/* ---- Instructions ---------------------------------------------------------------- */

/* MASK(mb, me) of the ISA: bits mb..me set (big-endian numbering), wrapping. */
static uint64_t ppc_mask(unsigned mb, unsigned me)
{
    uint64_t from_mb = ~0ULL >> mb;                           /* bits mb..63 */
    uint64_t to_me = me >= 63 ? ~0ULL : ~(~0ULL >> (me + 1)); /* bits 0..me */

    return mb <= me ? (from_mb & to_me) : (from_mb | to_me);
}

static void and_mask(Asm *a, int r, uint64_t mask)
{
    if (mask == ~0ULL) {
        return;
    }
    if (mask == 0xffffffffULL) {
        rr(a, false, OPC_MOV_ST, r, r); /* mov r32, r32 */
        return;
    }
    alu_imm64(a, ALU_AND, OPC_AND, r, mask, RDX);
}

/* Result in b->acc to RT (or RA for the logical forms), CR0 when Rc. */
static void finish(Block *b, unsigned reg, bool rc)
{
    st_gpr(b, b->acc, reg);
    if (rc) {
        emit_cr0(b, b->acc);
    }
}

/* Carry in of add_flags(): none, one, or XER[CA]. */
enum { CIN_0, CIN_1, CIN_CA };

/*
 * XER[OV], [OV32] and [SO] |= OV from the overflow bits in rdi (bit 63: of
 * the doubleword, bit 31: of the word); OV is the word's in 32-bit mode.
 * rdx clobbered.
 */
static void set_ov_rdi(Block *b)
{
    Asm *a = &b->a;

    rr(a, true, OPC_MOV_ST, RDI, RDX);
    shift_imm(a, true, SH_SHR, RDX, 31);
    alu_imm(a, false, ALU_AND, RDX, 1);
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ov32)); /* mov [ov32], dl */
    if (b->flags & MSR_SF) {
        shift_imm(a, true, SH_SHR, RDI, 63);
        rr(a, false, OPC_MOV_ST, RDI, RDX); /* mov edx, edi */
    }
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ov));
    rm(a, false, 0x08, RDX, RBX, ENV_OFF(so)); /* or [so], dl */
}

/* OV, OV32 and SO |= OV from the flag in dl (the multiplies: both the same). */
static void set_ov_dl(Asm *a)
{
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ov));
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ov32));
    rm(a, false, 0x08, RDX, RBX, ENV_OFF(so));
}

/*
 * RT = rax + rcx + carry in, as the ISA's add and subtract-from forms
 * compute it (the subtractions pass ~RA in rax).  With ca: XER[CA32] is the
 * carry out of bit 32, which is bit 32 of a ^ b ^ sum, and XER[CA] the carry
 * out of bit 0 in 64-bit mode, CA32's in 32-bit mode.  With oe: the signed
 * overflow, bit 63 (bit 31 for OV32) of (sum ^ a) & (sum ^ b), which holds
 * with a carry in too.
 */
static void add_flags(Block *b, unsigned rt, bool rc, int cin, bool ca, bool oe)
{
    Asm *a = &b->a;

    if (oe) {
        rr(a, true, OPC_MOV_ST, RAX, RDI); /* mov rdi, rax */
    }
    if (ca) {
        rr(a, true, OPC_MOV_ST, RCX, RDX); /* mov rdx, rcx */
        rr(a, true, OPC_XOR, RAX, RDX);    /* rdx = a ^ b */
    }
    if (cin == CIN_CA) {
        rm(a, false, 0x0fb6, RSI, RBX, ENV_OFF(ca)); /* movzx esi, byte [ca] */
        alu_imm(a, false, ALU_ADD, RSI, -1);         /* CF = (CA != 0) */
    } else if (cin == CIN_1) {
        b1(a, 0xf9); /* stc */
    }
    rr(a, true, cin == CIN_0 ? OPC_ADD : 0x11, RCX, RAX); /* add/adc rax, rcx */
    if (ca) {
        if (b->flags & MSR_SF) {
            rm(a, false, 0x0f92, 0, RBX, ENV_OFF(ca)); /* setc [ca] */
        }
        rr(a, true, OPC_XOR, RAX, RDX);
        shift_imm(a, true, SH_SHR, RDX, 32);
        alu_imm(a, false, ALU_AND, RDX, 1);
        rm(a, false, 0x88, RDX, RBX, ENV_OFF(ca32)); /* mov [ca32], dl */
        if (!(b->flags & MSR_SF)) {
            rm(a, false, 0x88, RDX, RBX, ENV_OFF(ca));
        }
    }
    if (oe) {
        rr(a, true, OPC_XOR, RAX, RDI); /* rdi = a ^ sum */
        rr(a, true, OPC_XOR, RAX, RCX); /* rcx = b ^ sum */
        rr(a, true, OPC_AND, RCX, RDI);
        set_ov_rdi(b);
    }
    finish(b, rt, rc);
}

/*
 * srawi and sradi: RA = RS >> sh (arithmetic; srawi on the sign-extended
 * low word). CA and CA32: RS negative and a 1 bit shifted out.
 */
static void emit_sra_imm(Block *b, unsigned rs, unsigned ra, unsigned sh, bool word, bool rc)
{
    Asm *a = &b->a;

    if (word) {
        ld_gpr_sx32(b, RAX, rs);
    } else {
        ld_gpr(b, RAX, rs);
    }
    if (sh == 0) {
        mov_imm(a, RCX, 0);
    } else {
        rr(a, true, OPC_MOV_ST, RAX, RCX);
        shift_imm(a, true, SH_SHL, RCX, 64 - sh); /* ZF: no 1 bit shifted out */
        rr(a, false, 0x0f95, 0, RCX);             /* setne cl */
        rr(a, true, OPC_MOV_ST, RAX, RDX);
        shift_imm(a, true, SH_SHR, RDX, 63); /* dl: the sign */
        rr(a, false, 0x20, RDX, RCX);        /* and cl, dl */
        shift_imm(a, true, SH_SAR, RAX, sh);
    }
    rm(a, false, 0x88, RCX, RBX, ENV_OFF(ca));
    rm(a, false, 0x88, RCX, RBX, ENV_OFF(ca32));
    finish(b, ra, rc);
}

/* rlwinm/rlwnm/rlwimi: the rotated low word in x (both halves), masked. */
static void rotlw_mask(Asm *a, int x, uint64_t mask)
{
    if (mask >> 32) {
        rr(a, true, OPC_MOV_ST, x, RCX);
        shift_imm(a, true, SH_SHL, RCX, 32);
        rr(a, true, OPC_OR, RCX, x);
        and_mask(a, x, mask);
    } else if (mask != 0xffffffffULL) {
        alu_imm64(a, ALU_AND, OPC_AND, x, mask, RDX);
    }
}

static bool emit_rlw(Block *b, uint32_t insn, unsigned opcd)
{
    Asm *a = &b->a;
    unsigned rs = F_RT(insn), ra = F_RA(insn);
    unsigned mb = insn_field(insn, 21, 25), me = insn_field(insn, 26, 30);
    uint64_t mask = ppc_mask(mb + 32, me + 32);
    /* rlwimi reads RA after the rotation */
    int x = opcd == 20 ? RAX : use_acc(b, ra, rs, opcd == 23 ? (int)F_RB(insn) : -1, -1);

    ld_gpr32(b, x, rs);
    if (opcd == 23) { /* rlwnm */
        ld_gpr32(b, RCX, F_RB(insn));
        shift_cl(a, false, SH_ROL, x);
    } else {
        shift_imm(a, false, SH_ROL, x, F_RB(insn));
    }
    rotlw_mask(a, x, mask);
    if (opcd == 20) { /* rlwimi */
        ld_gpr(b, RCX, ra);
        alu_imm64(a, ALU_AND, OPC_AND, RCX, ~mask, RDX);
        rr(a, true, OPC_OR, RCX, RAX);
    }
    finish(b, ra, insn & 1);
    return true;
}

/* MD/MDS forms (opcode 30). */
static bool emit_rld(Block *b, uint32_t insn)
{
    Asm *a = &b->a;
    unsigned rs = F_RT(insn), ra = F_RA(insn);
    unsigned sh = F_RB(insn) | ((insn & 2) << 4);
    unsigned m6 = insn_field(insn, 21, 26);
    unsigned mbe = ((m6 & 1) << 5) | (m6 >> 1);
    unsigned xo = insn_field(insn, 27, 29);
    uint64_t mask;
    /* rldimi reads RA after the rotation, rldcl/rldcr RB */
    int x = xo == 3 ? RAX : use_acc(b, ra, rs, xo == 4 ? (int)F_RB(insn) : -1, -1);

    ld_gpr(b, x, rs);
    if (xo == 4) { /* MDS: rldcl, rldcr */
        unsigned xo4 = insn_field(insn, 27, 30);

        if (xo4 != 8 && xo4 != 9) {
            return false;
        }
        ld_gpr(b, RCX, F_RB(insn));
        shift_cl(a, true, SH_ROL, x);
        mask = xo4 == 8 ? ppc_mask(mbe, 63) : ppc_mask(0, mbe);
        and_mask(a, x, mask);
        finish(b, ra, insn & 1);
        return true;
    }
    switch (xo) {
    case 0: /* rldicl */
        mask = ppc_mask(mbe, 63);
        break;
    case 1: /* rldicr */
        mask = ppc_mask(0, mbe);
        break;
    case 2: /* rldic */
        mask = ppc_mask(mbe, 63 - sh);
        break;
    case 3: /* rldimi */
        mask = ppc_mask(mbe, 63 - sh);
        break;
    default:
        return false;
    }
    if (xo == 0 && mbe == 64 - sh && sh) {
        shift_imm(a, true, SH_SHR, x, 64 - sh); /* srdi */
    } else if (xo == 1 && mbe == 63 - sh) {
        shift_imm(a, true, SH_SHL, x, sh); /* sldi */
    } else {
        shift_imm(a, true, SH_ROL, x, sh);
        and_mask(a, x, mask);
    }
    if (xo == 3) {
        ld_gpr(b, RCX, ra);
        alu_imm64(a, ALU_AND, OPC_AND, RCX, ~mask, RDX);
        rr(a, true, OPC_OR, RCX, RAX);
    }
    finish(b, ra, insn & 1);
    return true;
}

/* CR bit n (the whole CR's numbering) into bit 0 of r; the bits above it are garbage. */
static void ld_cr_bit(Asm *a, int r, unsigned n)
{
    rm(a, false, OPC_MOV_LD, r, RBX, CRF_OFF(n >> 2));
    shift_imm(a, false, SH_SHR, r, 3 - (n & 3));
}

/*
 * The CR logical operations (crand ... crorc: CR[BT] = CR[BA] op CR[BB])
 * and mcrf; false for anything else of opcode 19 (and for a reserved bit
 * 31 set, which the decoder made illegal).
 */
static bool emit_cr_logic(Block *b, uint32_t insn)
{
    Asm *a = &b->a;
    unsigned bt = F_RT(insn), ba = F_RA(insn), bb = F_RB(insn), xo = F_XO10(insn);
    unsigned shift = 3 - (bt & 3);
    int32_t dst = CRF_OFF(bt >> 2);

    if (insn & 1) {
        return false;
    }
    if (xo == 0) { /* mcrf BF, BFA */
        rm(a, false, OPC_MOV_LD, RAX, RBX, CRF_OFF(ba >> 2));
        rm(a, false, OPC_MOV_ST, RAX, RBX, dst);
        return true;
    }
    switch (xo) {
    case 257: /* crand */
    case 129: /* crandc */
    case 289: /* creqv */
    case 225: /* crnand */
    case 33:  /* crnor */
    case 449: /* cror */
    case 417: /* crorc */
    case 193: /* crxor */
        break;
    default:
        return false;
    }
    if (ba == bb && (xo == 193 || xo == 129 || xo == 289 || xo == 417)) {
        /* crclr (crxor, crandc of a bit with itself), crset (creqv, crorc) */
        rm(a, false, 0x83, xo == 193 || xo == 129 ? ALU_AND : ALU_OR, RBX, dst);
        b1(a, xo == 193 || xo == 129 ? (uint8_t) ~(1u << shift) : 1u << shift);
        return true;
    }
    ld_cr_bit(a, RAX, ba);
    if (ba != bb) {
        ld_cr_bit(a, RCX, bb);
    } else {
        rr(a, false, OPC_MOV_ST, RAX, RCX);
    }
    if (xo == 129 || xo == 417) { /* the complement of b */
        rr(a, false, 0xf7, F7_NOT, RCX);
    }
    switch (xo) {
    case 257:
    case 129:
    case 225:
        rr(a, false, OPC_AND, RCX, RAX);
        break;
    case 449:
    case 417:
    case 33:
        rr(a, false, OPC_OR, RCX, RAX);
        break;
    default: /* crxor, creqv */
        rr(a, false, OPC_XOR, RCX, RAX);
        break;
    }
    if (xo == 225 || xo == 33 || xo == 289) { /* nand, nor, eqv */
        rr(a, false, 0xf7, F7_NOT, RAX);
    }
    alu_imm(a, false, ALU_AND, RAX, 1);
    shift_imm(a, false, SH_SHL, RAX, shift);
    rm(a, false, OPC_MOV_LD, RCX, RBX, dst);
    alu_imm(a, false, ALU_AND, RCX, (int32_t) ~(1u << shift));
    rr(a, false, OPC_OR, RAX, RCX);
    rm(a, false, OPC_MOV_ST, RCX, RBX, dst);
    return true;
}

/* cmp/cmpl/cmpi/cmpli: rax (and rcx or an immediate) compared into BF. */
static bool emit_cmp(Block *b, uint32_t insn, bool is_signed, bool imm_form)
{
    Asm *a = &b->a;
    unsigned bf = insn_field(insn, 6, 8);
    bool l = insn_field(insn, 10, 10);
    unsigned ra = F_RA(insn);

    if (insn_field(insn, 9, 9)) {
        return false;
    }
    /*
     * The cached registers compared in place: a compare of the low words
     * (L = 0) orders them as the 64-bit compare of their extensions does,
     * and the immediate (sign-extended SI, or UI < 2^16) is the same in both.
     */
    int h = gpr_in(b, ra);

    if (imm_form) {
        int64_t v = is_signed ? INSN_SIMM(insn) : (int64_t)INSN_UIMM(insn);

        alu_imm(a, l, ALU_CMP, h, (int32_t)v);
    } else {
        rr(a, l, OPC_CMP, gpr_in(b, F_RB(insn)), h);
    }
    set_crf(b, bf, is_signed);
    return true;
}

/*
 * The data of a load or store whose host address is rsi + off: RT (a load's
 * value, in x: see use_acc()) from or to memory in byte order be.
 */
static void emit_mem_data(Block *b, const MemOp *m, bool be, unsigned rt, int x, int32_t off)
{
    Asm *a = &b->a;

    if (m->store && be && m->size > 1 && b->has_movbe) {
        movbe_rsi(a, m->size, true, gpr_in(b, rt), off);
    } else if (!m->store && be && m->size >= 4 && b->has_movbe) {
        movbe_rsi(a, m->size, false, x, off);
        if (m->sign) {
            rr(a, true, 0x63, x, x); /* movsxd x, x32 */
        }
        st_gpr(b, x, rt);
    } else if (m->store) {
        ld_gpr(b, RAX, rt);
        switch (m->size) {
        case 1:
            rm(a, false, 0x88, RAX, RSI, off);
            break;
        case 2:
            if (be) {
                bswap(a, false, RAX);
                shift_imm(a, false, SH_SHR, RAX, 16);
            }
            b1(a, 0x66);
            rm(a, false, OPC_MOV_ST, RAX, RSI, off);
            break;
        case 4:
            if (be) {
                bswap(a, false, RAX);
            }
            rm(a, false, OPC_MOV_ST, RAX, RSI, off);
            break;
        default:
            if (be) {
                bswap(a, true, RAX);
            }
            rm(a, true, OPC_MOV_ST, RAX, RSI, off);
            break;
        }
    } else {
        switch (m->size) {
        case 1:
            rm(a, false, 0x0fb6, x, RSI, off);
            break;
        case 2:
            rm(a, false, 0x0fb7, x, RSI, off);
            if (be) {
                bswap(a, false, x);
                shift_imm(a, false, m->sign ? SH_SAR : SH_SHR, x, 16);
            }
            if (m->sign) {
                rr(a, true, 0x0fbf, x, x); /* movsx rax, ax */
            }
            break;
        case 4:
            rm(a, false, OPC_MOV_LD, x, RSI, off);
            if (be) {
                bswap(a, false, x);
            }
            if (m->sign) {
                rr(a, true, 0x63, x, x); /* movsxd rax, eax */
            }
            break;
        default:
            rm(a, true, OPC_MOV_LD, x, RSI, off);
            if (be) {
                bswap(a, true, x);
            }
            break;
        }
        st_gpr(b, x, rt);
    }
}

static bool emit_mem(Block *b, unsigned i, uint32_t insn, const MemOp *m, int64_t disp)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    bool be = !(op->flags & PPC_OPF_LE) ^ m->rev;
    unsigned rt = F_RT(insn), ra = F_RA(insn);
    unsigned first_stub = b->n_stubs;

    /* Invalid update forms keep the interpreter's behaviour. */
    if (m->update && (ra == 0 || (!m->store && ra == rt))) {
        return false;
    }
    /*
     * An update form sets RA from RA's and RB's registers after the access
     * (one lea), unless the load's value has replaced RB; else from the
     * copy of the effective address the lookup leaves in rdi.
     */
    bool update_lea = m->update && !(m->indexed && !m->store && F_RB(insn) == rt);
    MemOp access = *m;

    access.update = m->update && !update_lea;
    /* a load's value goes to RT's own host register (see use_acc()) */
    int x = RAX;

    if (!m->store) {
        bool src = ra == rt || (m->indexed && F_RB(insn) == rt);

        x = use_acc(b, rt, src ? (int)rt : -1, -1, -1);
    }
    emit_mem_addr(b, insn, i, &access, disp);
    emit_mem_data(b, m, be, rt, x, 0);
    if (update_lea) {
        /* RA is not RT (see above), so it still holds the address's base */
        bool w = b->flags & MSR_SF;
        int k = cache_slot(b, ra, true), h = cache_host[k];

        if (m->indexed) {
            rm_sib(a, w, 0x8d, h, h, gpr_in(b, F_RB(insn)), 0); /* lea ra, [ra + rb] */
        } else if (disp || !w) {
            rm_sib(a, w, 0x8d, h, h, -1, (int32_t)disp); /* lea ra, [ra + disp] */
        }
        b->rc.dirty[k] = true;
    } else if (m->update) {
        st_gpr(b, RDI, ra);
    }
    stubs_resume(b, first_stub);
    return true;
}

/*
 * Runs of accesses off one base register (busybox's _savegpr/_restgpr, up
 * to 18 std or ld off r1 or r11; struct copies): consecutive D-form and
 * DS-form loads, or stores, without update, with the same RA (not 0) and
 * byte order, whose bytes lie within MEM_RUN_SPAN of each other, share one
 * soft-TLB check of their whole span; each then moves its data at its
 * offset from the span's host address.
 *
 * The run stops after a load into RA (its own address is still the old
 * RA's; the next one's would not be).  Nothing else in a run can change RA,
 * raise or leave the block: the members are the accesses alone.  The block's
 * flags fix the translation regime, so one check stands for all.
 *
 * A miss (a page not in the TLB, a span crossing pages, device memory,
 * a store to a page holding code, whose write entries do not exist) steps
 * every member in the interpreter in order, so each takes its own slow
 * path: a fault is raised by the member that caused it, with the earlier
 * ones done and the later ones not.
 *
 * Stores and code: a write entry exists only while its page holds no code
 * (tlb_fill); a CPU that makes the page code drops the entry in every CPU
 * and flags those that had it (code_store_raced), whose next icbi drops
 * their blocks (emit_icbi).  A run's later stores go through after such a
 * drop exactly as a single store between its check and its write does:
 * all before the storing CPU's icbi, which the ISA's code-modification
 * sequence puts after them, so the same flag covers the whole run.
 */
#define MEM_RUN_SPAN 256
_Static_assert(MEM_RUN_SPAN <= JIT_REAL_LOAD_SLACK, "a run's real-mode check covers its span");
#define MEM_RUN_MAX 32

/* Op's access when it may join a run: a D or DS form without update, RA not 0. */
static bool mem_run_member(const PPCOp *op, MemOp *m, int64_t *disp)
{
    static const MemOp lwz = { 4 }, lbz = { 1 }, lhz = { 2 }, lha = { 2, false, true };
    static const MemOp stw = { 4, true }, stb = { 1, true }, sth = { 2, true };
    static const MemOp ld = { 8 }, lwa = { 4, false, true }, std_ = { 8, true };
    uint32_t insn = op->insn;

    if (F_RA(insn) == 0) {
        return false;
    }
    *disp = INSN_SIMM(insn);
    switch (INSN_OPCD(insn)) {
    case 32:
        *m = lwz;
        return true;
    case 34:
        *m = lbz;
        return true;
    case 40:
        *m = lhz;
        return true;
    case 42:
        *m = lha;
        return true;
    case 36:
        *m = stw;
        return true;
    case 38:
        *m = stb;
        return true;
    case 44:
        *m = sth;
        return true;
    case 58:
        *disp = (int16_t)(insn & 0xfffc);
        *m = (insn & 3) == 0 ? ld : lwa;
        return (insn & 3) == 0 || (insn & 3) == 2;
    case 62:
        *disp = (int16_t)(insn & 0xfffc);
        *m = std_;
        return (insn & 3) == 0;
    default:
        return false;
    }
}

/* How many ops from op i (of the first end) form a run (1: none). */
static unsigned mem_run_len(const Block *b, unsigned i, unsigned end)
{
    const PPCOp *first = jit_op(b, i);
    MemOp m0, m;
    int64_t d, lo, hi;
    unsigned n = 1;

    if (!mem_run_member(first, &m0, &d)) {
        return 1;
    }
    lo = d;
    hi = d + m0.size;
    for (unsigned j = i; j + 1 < end && n < MEM_RUN_MAX; j++) {
        const PPCOp *op = jit_op(b, j), *next = jit_op(b, j + 1);

        if (!m0.store && F_RT(op->insn) == F_RA(first->insn)) {
            break; /* a load replaced the base */
        }
        if (!mem_run_member(next, &m, &d) || m.store != m0.store ||
            F_RA(next->insn) != F_RA(first->insn) ||
            (next->flags & PPC_OPF_LE) != (first->flags & PPC_OPF_LE) ||
            MAX(hi, d + (int64_t)m.size) - MIN(lo, d) > MEM_RUN_SPAN) {
            break;
        }
        lo = MIN(lo, d);
        hi = MAX(hi, d + (int64_t)m.size);
        n++;
    }
    return n;
}

/* The n accesses from op i, a run (mem_run_len()): one check, then each one's data. */
static void emit_mem_run(Block *b, unsigned i, unsigned n)
{
    MemOp m;
    int64_t d, lo = INT64_MAX, hi = INT64_MIN;
    unsigned first_stub = b->n_stubs;

    for (unsigned k = 0; k < n; k++) {
        mem_run_member(jit_op(b, i + k), &m, &d);
        lo = MIN(lo, d);
        hi = MAX(hi, d + (int64_t)m.size);
    }
    /* rsi: the host address of the lowest byte, EA(RA) + lo */
    mem_run_member(jit_op(b, i), &m, &d);
    emit_ea(b, jit_op(b, i)->insn, &m, lo);
    emit_tlb_lookup_ea(b, i, (unsigned)(hi - lo), m.store, false, true);
    if (b->n_stubs > first_stub) {
        b->stubs[first_stub].n_step = n;
    }
    for (unsigned k = 0; k < n; k++) {
        const PPCOp *op = jit_op(b, i + k);
        unsigned rt = F_RT(op->insn);

        b->stamp = i + k + 1;
        mem_run_member(op, &m, &d);
        /* the address is in rsi already: a load's RT need not be read */
        int x = m.store ? RAX : use_acc(b, rt, -1, -1, -1);

        emit_mem_data(b, &m, !(op->flags & PPC_OPF_LE), rt, x, (int32_t)(d - lo));
    }
    stubs_resume(b, first_stub);
}

/*
 * divide/modulo: rax / rcx; the divisors 0 and -1 take the interpreter's
 * path, so the quotient computed here never overflows (oe: OV = OV32 = 0).
 */
static bool emit_div(Block *b, unsigned i, uint32_t insn, bool dword, bool is_signed, bool mod,
                     bool oe)
{
    Asm *a = &b->a;
    unsigned first_stub = b->n_stubs;

    if (dword) {
        ld_gpr(b, RAX, F_RA(insn));
    } else {
        ld_gpr32(b, RAX, F_RA(insn));
    }
    /* The divisor where it is cached: the word forms test and divide by its low word. */
    int d = gpr_in(b, F_RB(insn));

    rr(a, dword, OPC_TEST, d, d);
    stub_jcc(b, CC_E, i);
    if (is_signed) {
        alu_imm(a, dword, ALU_CMP, d, -1);
        stub_jcc(b, CC_E, i);
        if (dword) {
            b1(a, 0x48); /* cqo */
        }
        b1(a, 0x99); /* cdq */
        rr(a, dword, 0xf7, F7_IDIV, d);
    } else {
        mov_imm(a, RDX, 0);
        rr(a, dword, 0xf7, F7_DIV, d);
    }
    if (mod) {
        /* the remainder is stored from rdx (the word forms' upper word: as before) */
        if (is_signed && !dword) {
            rr(a, true, 0x63, RDX, RDX); /* movsxd rdx, edx */
        }
        b->acc = RDX;
    }
    if (oe) {
        rm(a, false, 0xc6, 0, RBX, ENV_OFF(ov)); /* mov byte [ov], 0 */
        b1(a, 0);
        rm(a, false, 0xc6, 0, RBX, ENV_OFF(ov32));
        b1(a, 0);
    }
    finish(b, F_RT(insn), !mod && (insn & 1));
    stubs_resume(b, first_stub);
    return true;
}

/*
 * mfcr, mfocrf, mtcrf, mtocrf (XFX form), decoded as the interpreter does:
 * bits 20 and 31 reserved (illegal: false), bit 11 selects the one-field
 * forms, whose FXM must select exactly one field (else nothing happens).
 */
static bool emit_cr_move(Block *b, uint32_t insn, bool to_cr)
{
    Asm *a = &b->a;
    unsigned rt = F_RT(insn), fxm = insn_field(insn, 12, 19);
    bool one = insn_field(insn, 11, 11);

    if (insn & 0x801) {
        return false;
    }
    if (one && (fxm == 0 || (fxm & (fxm - 1)))) {
        return true; /* as QEMU 7.2: no change */
    }
    if (!one && !to_cr) {
        fxm = 0xff; /* mfcr: the whole CR (its FXM bits are ignored) */
    }
    if (to_cr) {
        int rs = gpr_in(b, rt);

        for (unsigned f = 0; f < 8; f++) {
            if (fxm & (0x80 >> f)) {
                rr(a, false, OPC_MOV_ST, rs, RAX); /* mov eax, rs32 */
                shift_imm(a, false, SH_SHR, RAX, 28 - 4 * f);
                alu_imm(a, false, ALU_AND, RAX, 0xf);
                rm(a, false, OPC_MOV_ST, RAX, RBX, CRF_OFF(f));
            }
        }
        return true;
    }
    mov_imm(a, RAX, 0);
    for (unsigned f = 0; f < 8; f++) {
        if (fxm & (0x80 >> f)) {
            rm(a, false, OPC_MOV_LD, RCX, RBX, CRF_OFF(f));
            alu_imm(a, false, ALU_AND, RCX, 0xf);
            shift_imm(a, false, SH_SHL, RCX, 28 - 4 * f);
            rr(a, false, OPC_OR, RCX, RAX);
        }
    }
    st_gpr(b, RAX, rt);
    return true;
}

/*
 * sraw and srad: RA = RS >> (RB & 0x3f or 0x7f), arithmetic (sraw on the
 * sign-extended low word); amounts of the width and above give the sign.
 * CA and CA32: RS negative and a 1 bit shifted out (any amount over 63 of
 * srad shifts them all out). sraw needs no clamp: for 32..63 the shift of
 * the sign-extended word gives its sign, and bit 31 is among the bits lost.
 */
static void emit_sra_reg(Block *b, unsigned rs, unsigned ra, unsigned rb, bool word, bool rc)
{
    Asm *a = &b->a;

    if (word) {
        ld_gpr_sx32(b, RAX, rs);
    } else {
        ld_gpr(b, RAX, rs);
    }
    ld_gpr32(b, RCX, rb);
    alu_imm(a, false, ALU_AND, RCX, word ? 0x3f : 0x7f);
    mov_imm(a, RDI, UINT64_MAX);
    rr(a, true, OPC_MOV_ST, RDI, RDX);
    shift_cl(a, true, SH_SHL, RDX); /* x86 takes cl & 63 */
    rr(a, true, 0xf7, F7_NOT, RDX); /* rdx: the bits shifted out */
    if (!word) {
        mov_imm(a, RSI, 63);
        alu_imm(a, false, ALU_CMP, RCX, 64);
        cmov(a, true, CC_AE, RDX, RDI);  /* 64..127: every bit, */
        cmov(a, false, CC_AE, RCX, RSI); /* by 63 */
    }
    rr(a, true, OPC_TEST, RAX, RDX);
    rr(a, false, 0x0f95, 0, RDX); /* setne dl */
    rr(a, true, OPC_MOV_ST, RAX, RDI);
    shift_imm(a, true, SH_SHR, RDI, 63);
    rr(a, false, OPC_AND, RDI, RDX); /* and edx, edi: and negative */
    shift_cl(a, true, SH_SAR, RAX);
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ca));
    rm(a, false, 0x88, RDX, RBX, ENV_OFF(ca32));
    finish(b, ra, rc);
}

/* cmpb: pcmpeqb on the two doublewords in xmm0 and xmm1. */
static void emit_cmpb(Block *b, unsigned rs, unsigned ra, unsigned rb)
{
    Asm *a = &b->a;

    ld_gpr(b, RAX, rs);
    ld_gpr(b, RCX, rb);
    b1(a, 0x66);
    rr(a, true, 0x0f6e, 0, RAX); /* movq xmm0, rax */
    b1(a, 0x66);
    rr(a, true, 0x0f6e, 1, RCX); /* movq xmm1, rcx */
    b1(a, 0x66);
    rr(a, false, 0x0f74, 0, 1); /* pcmpeqb xmm0, xmm1 */
    b1(a, 0x66);
    rr(a, true, 0x0f7e, 0, RAX); /* movq rax, xmm0 */
    st_gpr(b, RAX, ra);
}

/* popcntd, and popcntw: the count of each word in its word. */
static void emit_popcnt(Block *b, unsigned rs, unsigned ra, bool word)
{
    Asm *a = &b->a;

    ld_gpr(b, RCX, rs);
    if (!word) {
        b1(a, 0xf3);
        rr(a, true, 0x0fb8, RAX, RCX); /* popcnt rax, rcx */
    } else {
        b1(a, 0xf3);
        rr(a, false, 0x0fb8, RAX, RCX); /* popcnt eax, ecx (the high half cleared) */
        shift_imm(a, true, SH_SHR, RCX, 32);
        b1(a, 0xf3);
        rr(a, false, 0x0fb8, RCX, RCX);
        shift_imm(a, true, SH_SHL, RCX, 32);
        rr(a, true, OPC_OR, RCX, RAX);
    }
    st_gpr(b, RAX, ra);
}

/*
 * dcbz: the 128-byte block holding EA, zeroed by sixteen stores when the
 * write TLB entry covers it (it lies in one page); else a step.
 */
static void emit_dcbz(Block *b, unsigned i, uint32_t insn)
{
    Asm *a = &b->a;
    static const MemOp x = { 128, true, false, false, true };
    unsigned first_stub = b->n_stubs;

    emit_ea(b, insn, &x, 0);
    alu_imm(a, true, ALU_AND, RSI, -128);
    emit_tlb_lookup_ea(b, i, 128, true, false, true);
    rr(a, false, OPC_XOR, RAX, RAX);
    for (int k = 0; k < 128; k += 8) {
        rm(a, true, OPC_MOV_ST, RAX, RSI, k);
    }
    stubs_resume(b, first_stub);
}

/* icbi: nothing, unless a racing store asked this CPU to drop blocks (a step). */
static void emit_icbi(Block *b, unsigned i)
{
    Asm *a = &b->a;
    unsigned first_stub = b->n_stubs;

    _Static_assert(sizeof(((CPUPPCState *)0)->code_store_raced) == 4, "int");
    rm(a, false, 0x83, ALU_CMP, RBX, ENV_OFF(code_store_raced));
    b1(a, 0);
    stub_jcc(b, CC_NE, i);
    stubs_resume(b, first_stub);
}

/*
 * Load and reserve, store conditional (insn-atomic.c holds the model, and
 * the interpreter handlers these must agree with).  The host address of the
 * access is in rsi; rcx becomes the address of its granule's sequence word
 * (rax clobbered).
 */
static void emit_resv_word(Asm *a)
{
    rr(a, true, OPC_MOV_ST, RSI, RCX);
    shift_imm(a, true, SH_SHR, RCX, PPC_RESV_GRANULE_BITS);
    rr(a, true, OPC_MOV_ST, RCX, RAX);
    shift_imm(a, true, SH_SHR, RAX, PPC_RESV_HASH_SHIFT);
    rr(a, true, OPC_XOR, RAX, RCX);
    alu_imm(a, false, ALU_AND, RCX, PPC_RESV_BUCKETS - 1);
    shift_imm(a, false, SH_SHL, RCX, 3);
    mov_imm(a, RAX, (uintptr_t)ppc_resv_seq);
    rr(a, true, OPC_ADD, RAX, RCX);
}

/* A value of size bytes in register r between guest byte order (be) and host order. */
static void swap_value(Asm *a, int r, unsigned size, bool be)
{
    if (!be || size == 1) {
        return;
    }
    bswap(a, size == 8, r);
    if (size == 2) {
        shift_imm(a, false, SH_SHR, r, 16);
    }
}

/*
 * The effective address of l*arx/st*cx. in rsi, in the current mode; a
 * misaligned one steps (the handler raises the alignment interrupt).
 */
static void emit_resv_ea(Block *b, unsigned i, uint32_t insn, unsigned size)
{
    Asm *a = &b->a;
    static const MemOp x = { .indexed = true };

    emit_ea(b, insn, &x, 0); /* cut to the low word in 32-bit mode */
    if (size > 1) {
        rr(a, false, 0xf7, F7_TEST, RSI);
        b4(a, size - 1);
        stub_jcc(b, CC_NE, i);
    }
}

/*
 * lbarx/lharx/lwarx/ldarx: the granule's word (odd: busy) read before the
 * value, both kept with the EA, length and value as the reservation.  A
 * read-TLB miss steps.
 */
static void emit_larx(Block *b, unsigned i, uint32_t insn, unsigned size)
{
    Asm *a = &b->a;
    bool be = !(jit_op(b, i)->flags & PPC_OPF_LE);
    unsigned first_stub = b->n_stubs;

    emit_resv_ea(b, i, insn, size);
    emit_tlb_lookup_ea(b, i, size, false, true, true); /* rsi: host address, rdi: EA */
    emit_resv_word(a);
    rm(a, true, OPC_MOV_LD, RDX, RCX, 0);
    mov_imm(a, RAX, PPC_RESV_SEQ_BUSY);
    rr(a, false, 0xf7, F7_TEST, RDX);
    b4(a, 1);
    cmov(a, true, CC_NE, RDX, RAX);
    rm(a, true, OPC_MOV_ST, RDX, RBX, ENV_OFF(reserve_seq));
    switch (size) {
    case 1:
        rm(a, false, 0x0fb6, RAX, RSI, 0);
        break;
    case 2:
        rm(a, false, 0x0fb7, RAX, RSI, 0);
        break;
    default:
        rm(a, size == 8, OPC_MOV_LD, RAX, RSI, 0);
        break;
    }
    swap_value(a, RAX, size, be);
    rm(a, true, OPC_MOV_ST, RDI, RBX, ENV_OFF(reserve_addr));
    rm(a, true, 0xc7, 0, RBX, ENV_OFF(reserve_len)); /* mov qword [..], imm32 */
    b4(a, size);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(reserve_val));
    st_gpr(b, RAX, F_RT(insn));
    stubs_resume(b, first_stub);
}

/*
 * stbcx./sthcx./stwcx./stdcx.: without a reservation for this EA and
 * length, CR0 = SO and nothing is translated.  With one: a write-TLB miss
 * steps; else take the granule's word if it still holds the reservation's
 * sequence, compare-and-swap the value against the one l*arx saw, release
 * the word (bumped by 2 when stored).  Any st*cx. drops the reservation.
 */
static void emit_stcx(Block *b, unsigned i, uint32_t insn, unsigned size)
{
    Asm *a = &b->a;
    bool be = !(jit_op(b, i)->flags & PPC_OPF_LE);
    unsigned first_stub = b->n_stubs;
    int rs = gpr_in(b, F_RT(insn));
    uint8_t *fail[4], *restore, *done;

    emit_resv_ea(b, i, insn, size);
    rm(a, true, OPC_CMP + 2, RSI, RBX, ENV_OFF(reserve_addr));
    fail[0] = jcc(a, CC_NE);
    rm(a, true, 0x83, ALU_CMP, RBX, ENV_OFF(reserve_len));
    b1(a, size);
    fail[1] = jcc(a, CC_NE);
    emit_tlb_lookup_ea(b, i, size, true, false, true); /* rsi: host address */
    rm(a, true, OPC_MOV_LD, RDI, RBX, ENV_OFF(reserve_seq));
    alu_imm(a, true, ALU_CMP, RDI, PPC_RESV_SEQ_BUSY);
    fail[2] = jcc(a, CC_E);
    emit_resv_word(a);
    rr(a, true, OPC_MOV_ST, RDI, RAX);
    rm(a, true, 0x8d, RDX, RDI, 1); /* lea rdx, [rdi + 1] */
    b1(a, 0xf0);                    /* lock cmpxchg [rcx], rdx */
    rm(a, true, 0x0fb1, RDX, RCX, 0);
    fail[3] = jcc(a, CC_NE);
    rm(a, size == 8, OPC_MOV_LD, RAX, RBX, ENV_OFF(reserve_val));
    swap_value(a, RAX, size, be);
    rr(a, size == 8, OPC_MOV_ST, rs, RDX);
    swap_value(a, RDX, size, be);
    b1(a, 0xf0); /* lock cmpxchg [rsi], dl/dx/edx/rdx */
    if (size == 2) {
        b1(a, 0x66);
    }
    rm(a, size == 8, size == 1 ? 0x0fb0 : 0x0fb1, RDX, RSI, 0);
    restore = jcc(a, CC_NE);
    alu_imm(a, true, ALU_ADD, RDI, 2);
    rm(a, true, OPC_MOV_ST, RDI, RCX, 0);
    rm(a, false, 0x0fb6, RDX, RBX, ENV_OFF(so)); /* movzx edx, byte [so] */
    alu_imm(a, false, ALU_OR, RDX, CRF_EQ);
    done = jmp(a);
    patch(a, restore, a->p);
    rm(a, true, OPC_MOV_ST, RDI, RCX, 0);
    for (int k = 0; k < 4; k++) {
        patch(a, fail[k], a->p);
    }
    rm(a, false, 0x0fb6, RDX, RBX, ENV_OFF(so));
    patch(a, done, a->p);
    rm(a, false, OPC_MOV_ST, RDX, RBX, CRF_OFF(0));
    rm(a, true, 0xc7, 0, RBX, ENV_OFF(reserve_addr)); /* reserve_addr = -1 */
    b4(a, UINT32_MAX);
    stubs_resume(b, first_stub);
}

/* Opcode 31 (X/XO forms). */
static bool emit_x31(Block *b, unsigned i, uint32_t insn)
{
    Asm *a = &b->a;
    unsigned rt = F_RT(insn), ra = F_RA(insn), rb = F_RB(insn);
    unsigned xo = F_XO10(insn), xo9 = xo & 511;
    bool rc = insn & 1, oe = false;
    static const MemOp lbzx = { 1 }, lhzx = { 2 }, lwzx = { 4 }, ldx = { 8 };
    static const MemOp lhax = { 2, false, true }, lwax = { 4, false, true };
    static const MemOp stbx = { 1, true }, sthx = { 2, true }, stwx = { 4, true },
                       stdx = { 8, true };
    MemOp m;

    /* A-form isel: XO in bits 26-30. */
    if (insn_field(insn, 26, 30) == 15) {
        unsigned bc = insn_field(insn, 21, 25);
        int x = use_acc(b, rt, ra ? (int)ra : -1, rb, -1);

        ld_ra0(b, x, ra);
        ld_gpr(b, RCX, rb);
        rm(a, false, 0xf7, F7_TEST, RBX, CRF_OFF(bc >> 2));
        b4(a, 8 >> (bc & 3));
        cmov(a, true, CC_E, x, RCX);
        st_gpr(b, x, rt);
        return true;
    }
    /* Bit 31 is the EH hint of l*arx, and 1 (ignored) in st*cx. */
    switch (xo) {
    case 52:  /* lbarx */
    case 116: /* lharx */
    case 20:  /* lwarx */
    case 84:  /* ldarx */
        emit_larx(b, i, insn, xo == 52 ? 1 : xo == 116 ? 2 : xo == 20 ? 4 : 8);
        return true;
    case 694: /* stbcx. */
    case 726: /* sthcx. */
    case 150: /* stwcx. */
    case 214: /* stdcx. */
        emit_stcx(b, i, insn, xo == 694 ? 1 : xo == 726 ? 2 : xo == 150 ? 4 : 8);
        return true;
    }
    /* The XO forms with OE set: XO bit 21 (512) over the 9-bit opcode. */
    if (xo & 512) {
        switch (xo9) {
        case 266: /* addo */
        case 40:  /* subfo */
        case 104: /* nego */
        case 10:  /* addco */
        case 138: /* addeo */
        case 8:   /* subfco */
        case 136: /* subfeo */
        case 202: /* addzeo */
        case 234: /* addmeo */
        case 200: /* subfzeo */
        case 232: /* subfmeo */
        case 233: /* mulldo */
        case 235: /* mullwo */
        case 489: /* divdo */
        case 457: /* divduo */
        case 491: /* divwo */
        case 459: /* divwuo */
            oe = true;
            xo = xo9;
            break;
        }
    }
    switch (xo) {
    case 266: /* add */
        if (oe) {
            ld_gpr(b, RAX, ra);
            ld_gpr(b, RCX, rb);
            add_flags(b, rt, rc, CIN_0, false, true);
            return true;
        }
        if (rt == rb && rt != ra) { /* add is commutative: rt += ra */
            use_acc(b, rt, rb, -1, -1);
            op_gpr(b, true, OPC_ADD + 2, b->acc, ra);
        } else {
            use_acc(b, rt, ra, rb, -1);
            ld_gpr(b, b->acc, ra);
            op_gpr(b, true, OPC_ADD + 2, b->acc, rb);
        }
        finish(b, rt, rc);
        return true;
    case 40: /* subf */
        if (oe) {
            ld_gpr(b, RAX, ra);
            rr(a, true, 0xf7, F7_NOT, RAX);
            ld_gpr(b, RCX, rb);
            add_flags(b, rt, rc, CIN_1, false, true);
            return true;
        }
        use_acc(b, rt, rb, ra, -1);
        ld_gpr(b, b->acc, rb);
        op_gpr(b, true, OPC_SUB + 2, b->acc, ra);
        finish(b, rt, rc);
        return true;
    case 104: /* neg */
        if (oe) {
            ld_gpr(b, RAX, ra);
            rr(a, true, 0xf7, F7_NOT, RAX);
            mov_imm(a, RCX, 0);
            add_flags(b, rt, rc, CIN_1, false, true);
            return true;
        }
        use_acc(b, rt, ra, -1, -1);
        ld_gpr(b, b->acc, ra);
        rr(a, true, 0xf7, F7_NEG, b->acc);
        finish(b, rt, rc);
        return true;
    case 10:  /* addc */
    case 138: /* adde */
    case 8:   /* subfc */
    case 136: /* subfe */
        ld_gpr(b, RAX, ra);
        if (xo == 8 || xo == 136) {
            rr(a, true, 0xf7, F7_NOT, RAX);
        }
        ld_gpr(b, RCX, rb);
        add_flags(b, rt, rc, xo == 10 ? CIN_0 : xo == 8 ? CIN_1 : CIN_CA, true, oe);
        return true;
    case 202: /* addze */
    case 234: /* addme */
    case 200: /* subfze */
    case 232: /* subfme */
        ld_gpr(b, RAX, ra);
        if (xo == 200 || xo == 232) {
            rr(a, true, 0xf7, F7_NOT, RAX);
        }
        mov_imm(a, RCX, (xo == 234 || xo == 232) ? UINT64_MAX : 0);
        add_flags(b, rt, rc, CIN_CA, true, oe);
        return true;
    case 824: /* srawi */
        emit_sra_imm(b, rt, ra, rb, true, rc);
        return true;
    case 826: /* sradi */
    case 827:
        emit_sra_imm(b, rt, ra, rb | (xo & 1) << 5, false, rc);
        return true;
    case 51:  /* mfvsrd: doubleword 0 of VSR XS */
    case 115: /* mfvsrwz: its low word */
    case 179: /* mtvsrd: doubleword 0 of VSR XT (doubleword 1 kept) */
    case 211: /* mtvsrwa: the low word sign-extended */
    case 243: /* mtvsrwz: the low word zero-extended */
    {
        unsigned t = rt | (insn & 1) << 5;
        int32_t off = VSR_OFF(t) + 8 * PPC_VSR_IDX(2, 0);

        /* RB reserved; the facility off: the interrupt's step */
        if (rb || !(jit_op(b, i)->flags & (t < 32 ? PPC_OPF_FP : PPC_OPF_VEC))) {
            return false;
        }
        switch (xo) {
        case 51:
            rm(a, true, OPC_MOV_LD, RAX, RBX, off);
            st_gpr(b, RAX, ra);
            break;
        case 115:
            rm(a, false, OPC_MOV_LD, RAX, RBX, VSR_OFF(t) + 4 * PPC_VSR_IDX(4, 1));
            st_gpr(b, RAX, ra);
            break;
        default:
            if (xo == 179) {
                ld_gpr(b, RAX, ra);
            } else if (xo == 211) {
                ld_gpr_sx32(b, RAX, ra);
            } else {
                ld_gpr32(b, RAX, ra);
            }
            rm(a, true, OPC_MOV_ST, RAX, RBX, off);
            break;
        }
        return true;
    }
    case 278: /* dcbt, dcbtst, eieio: nothing to do */
    case 246:
        return !(insn & 1);
    case 854:
        return !(insn & 0x01fff801);
    case 792: /* sraw */
    case 794: /* srad */
        emit_sra_reg(b, rt, ra, rb, xo == 792, rc);
        return true;
    case 508: /* cmpb (no Rc form) */
        if (rc) {
            return false;
        }
        emit_cmpb(b, rt, ra, rb);
        return true;
    case 506: /* popcntd */
    case 378: /* popcntw */
        if (!b->has_popcnt || (insn & 0xf801)) {
            return false;
        }
        emit_popcnt(b, rt, ra, xo == 378);
        return true;
    case 54: /* dcbst: nothing to do */
        return !(insn & 0x03e00001);
    case 982: /* icbi */
        if (insn & 0x03e00001) {
            return false;
        }
        emit_icbi(b, i);
        return true;
    case 1014: /* dcbz */
        if (insn & 0x03c00001) {
            return false;
        }
        emit_dcbz(b, i, insn);
        return true;
    case 233: /* mulld */
        if (!oe) {
            use_acc(b, rt, ra, rb, -1);
        }
        ld_gpr(b, b->acc, ra);
        op_gpr(b, true, 0x0faf, b->acc, rb);
        if (oe) {
            rr(a, false, 0x0f90, 0, RDX); /* seto dl: the product needs over 64 bits */
            set_ov_dl(a);
        }
        finish(b, rt, rc);
        return true;
    case 235: /* mullw */
        if (!oe) {
            use_acc(b, rt, ra, rb, -1);
        }
        ld_gpr_sx32(b, b->acc, ra);
        ld_gpr_sx32(b, RCX, rb);
        rr(a, true, 0x0faf, b->acc, RCX);
        if (oe) {
            /* OV: the product needs more than 32 bits */
            rr(a, true, 0x63, RDX, RAX); /* movsxd rdx, eax */
            rr(a, true, OPC_CMP, RAX, RDX);
            rr(a, false, 0x0f95, 0, RDX); /* setne dl */
            set_ov_dl(a);
        }
        finish(b, rt, rc);
        return true;
    case 73: /* mulhd */
    case 9:  /* mulhdu */
        ld_gpr(b, RAX, ra);
        op_gpr(b, true, 0xf7, xo == 73 ? F7_IMUL : F7_MUL, rb);
        b->acc = RDX; /* the high doubleword, stored from where the multiply left it */
        finish(b, rt, rc);
        return true;
    case 75: /* mulhw */
    case 11: /* mulhwu */
        if (xo == 75) {
            ld_gpr_sx32(b, RAX, ra);
            ld_gpr_sx32(b, RCX, rb);
        } else {
            ld_gpr32(b, RAX, ra);
            ld_gpr32(b, RCX, rb);
        }
        rr(a, true, 0x0faf, RAX, RCX);
        shift_imm(a, true, SH_SHR, RAX, 32);
        finish(b, rt, rc);
        return true;
    case 489: /* divd */
        return emit_div(b, i, insn, true, true, false, oe);
    case 457: /* divdu */
        return emit_div(b, i, insn, true, false, false, oe);
    case 491: /* divw */
        return emit_div(b, i, insn, false, true, false, oe);
    case 459: /* divwu */
        return emit_div(b, i, insn, false, false, false, oe);
    case 777: /* modsd */
    case 265: /* modud */
    case 779: /* modsw */
    case 267: /* moduw */
        if (rc) {
            return false;
        }
        return emit_div(b, i, insn, xo == 777 || xo == 265, xo == 777 || xo == 779, true, false);
    case 28:  /* and */
    case 444: /* or */
    case 316: /* xor */
    case 60:  /* andc */
    case 412: /* orc */
    case 124: /* nor */
    case 476: /* nand */
    case 284: /* eqv */
    {
        bool commute = ra == rb && ra != rt && xo != 60 && xo != 412;
        /* and, or, xor, nor, nand, eqv commute: with RA = RB, RA op= RS */
        int x = commute ? use_acc(b, ra, rb, -1, -1) : use_acc(b, ra, rt, rb, -1);

        if (!commute) {
            ld_gpr(b, x, rt);
        }
        if (xo == 60 || xo == 412) {
            ld_gpr(b, RCX, rb);
            rr(a, true, 0xf7, F7_NOT, RCX);
            rr(a, true, xo == 60 ? OPC_AND : OPC_OR, RCX, x);
        } else if (!(xo == 444 && rt == rb)) {
            unsigned opc = (xo == 28 || xo == 476)    ? OPC_AND
                           : (xo == 316 || xo == 284) ? OPC_XOR
                                                      : OPC_OR;
            op_gpr(b, true, opc + 2, x, commute ? rt : rb);
        }
        if (xo == 124 || xo == 476 || xo == 284) {
            rr(a, true, 0xf7, F7_NOT, x);
        }
        finish(b, ra, rc);
        return true;
    }
    case 24:  /* slw */
    case 536: /* srw */
        use_acc(b, ra, rt, rb, -1);
        ld_gpr32(b, b->acc, rt);
        ld_gpr32(b, RCX, rb);
        shift_cl(a, true, xo == 24 ? SH_SHL : SH_SHR, b->acc);
        rr(a, false, OPC_MOV_ST, b->acc, b->acc);
        finish(b, ra, rc);
        return true;
    case 27:  /* sld */
    case 539: /* srd */
        use_acc(b, ra, rt, rb, -1);
        ld_gpr(b, b->acc, rt);
        ld_gpr(b, RCX, rb);
        shift_cl(a, true, xo == 27 ? SH_SHL : SH_SHR, b->acc);
        mov_imm(a, RDX, 0);
        rr(a, false, 0xf6, 0, RCX); /* test cl, 0x40 */
        b1(a, 0x40);
        cmov(a, true, CC_NE, b->acc, RDX);
        finish(b, ra, rc);
        return true;
    case 954: /* extsb */
    case 922: /* extsh */
    case 986: /* extsw */
        use_acc(b, ra, rt, -1, -1);
        if (xo == 986) {
            ld_gpr_sx32(b, b->acc, rt);
        } else {
            op_gpr(b, true, xo == 954 ? 0x0fbe : 0x0fbf, b->acc, rt);
        }
        finish(b, ra, rc);
        return true;
    case 26: /* cntlzw */
    case 58: /* cntlzd */
        if (!b->has_lzcnt) {
            return false;
        }
        {
            int h = gpr_in(b, rt); /* any load first: the prefix must precede lzcnt */

            b1(a, 0xf3);
            rr(a, xo == 58, 0x0fbd, RAX, h);
        }
        finish(b, ra, rc);
        return true;
    case 0:  /* cmp */
    case 32: /* cmpl */
        return emit_cmp(b, insn, xo == 0, false);
    case 19:  /* mfcr, mfocrf */
    case 144: /* mtcrf, mtocrf */
        return emit_cr_move(b, insn, xo == 144);
    case 598: /* sync: lwsync does nothing, hwsync and ptesync fence */
        if (insn & 0x039ff801) {
            return false; /* reserved bits: not this instruction */
        }
        if (insn_field(insn, 9, 10) != 1) {
            unsigned first_stub = b->n_stubs;

            b1(a, 0x0f); /* mfence */
            b1(a, 0xae);
            b1(a, 0xf0);
            /* a TLB shootdown this CPU started must be complete: the step waits */
            _Static_assert(sizeof(((CPUPPCState *)0)->tlb_sync_needed) == 4, "int");
            rm(a, false, 0x83, ALU_CMP, RBX, ENV_OFF(tlb_sync_needed));
            b1(a, 0);
            stub_jcc(b, CC_NE, i);
            stubs_resume(b, first_stub);
        }
        return true;
    case 339: /* mfspr LR/CTR */
    case 467: /* mtspr LR/CTR */
    {
        unsigned spr = F_RA(insn) | (F_RB(insn) << 5);
        int32_t off = spr == SPR_LR ? ENV_OFF(lr) : spr == SPR_CTR ? ENV_OFF(ctr) : -1;

        if (off < 0) {
            return false;
        }
        if (xo == 339) {
            int x = use_acc(b, rt, -1, -1, -1);

            rm(a, true, OPC_MOV_LD, x, RBX, off);
            st_gpr(b, x, rt);
        } else {
            rm(a, true, OPC_MOV_ST, gpr_in(b, rt), RBX, off);
        }
        return true;
    }
    }
    /* Byte-reversed loads and stores (no update forms: 566 is tlbsync). */
    m.size = 0;
    switch (xo) {
    case 790: /* lhbrx */
    case 918: /* sthbrx */
        m.size = 2;
        break;
    case 534: /* lwbrx */
    case 662: /* stwbrx */
        m.size = 4;
        break;
    case 532: /* ldbrx */
    case 660: /* stdbrx */
        m.size = 8;
        break;
    }
    if (m.size) {
        if (rc) {
            return false;
        }
        m.store = xo == 918 || xo == 662 || xo == 660;
        m.sign = m.update = false;
        m.indexed = m.rev = true;
        return emit_mem(b, i, insn, &m, 0);
    }
    /* Indexed loads and stores: XO bit 25 (value 32) marks the update forms. */
    switch (xo & ~32u) {
    case 87:
        m = lbzx;
        break;
    case 279:
        m = lhzx;
        break;
    case 343:
        m = lhax;
        break;
    case 23:
        m = lwzx;
        break;
    case 341:
        m = lwax;
        break;
    case 21:
        m = ldx;
        break;
    case 215:
        m = stbx;
        break;
    case 407:
        m = sthx;
        break;
    case 151:
        m = stwx;
        break;
    case 149:
        m = stdx;
        break;
    default:
        return false;
    }
    if (rc) {
        return false;
    }
    m.indexed = true;
    m.update = (xo & 32) != 0;
    return emit_mem(b, i, insn, &m, 0);
}

/*
 * One non-branch instruction natively; false: take a step instead (nothing
 * was emitted then).
 */
static bool emit_native(Block *b, unsigned i)
{
    const PPCOp *op = jit_op(b, i);
    uint32_t insn = op->insn;
    unsigned opcd = INSN_OPCD(insn);
    unsigned rt = F_RT(insn), ra = F_RA(insn);
    Asm *a = &b->a;
    static const MemOp lwz = { 4 }, lbz = { 1 }, lhz = { 2 }, lha = { 2, false, true };
    static const MemOp stw = { 4, true }, stb = { 1, true }, sth = { 2, true };
    static const MemOp ld = { 8 }, lwa = { 4, false, true }, std_ = { 8, true };
    MemOp m;

    int fp = jit_fp_emit(b, i);
    if (fp >= 0) {
        return fp;
    }
    if ((opcd == 4 || opcd == 31 || opcd == 60 || opcd == 61) && jit_emit_vec(b, i)) {
        return true;
    }
    switch (opcd) {
    case 14: /* addi */
    case 15: /* addis */
    {
        int64_t v = INSN_SIMM(insn) * (opcd == 15 ? 65536 : 1);
        int x = use_acc(b, rt, ra ? (int)ra : -1, -1, -1);

        if (ra && v && ra != rt) {
            lea(a, x, gpr_in(b, ra), (int32_t)v);
        } else if (ra) {
            ld_gpr(b, x, ra);
            if (v) {
                alu_imm(a, true, ALU_ADD, x, (int32_t)v);
            }
        } else {
            mov_imm(a, x, (uint64_t)v);
        }
        st_gpr(b, x, rt);
        return true;
    }
    case 7: /* mulli */
    {
        int x = use_acc(b, rt, ra, -1, -1);

        rr(a, true, 0x69, x, gpr_in(b, ra));
        b4(a, (uint32_t)(int32_t)INSN_SIMM(insn));
        st_gpr(b, x, rt);
        return true;
    }
    case 24: /* ori */
    case 25: /* oris */
    case 26: /* xori */
    case 27: /* xoris */
    case 28: /* andi. */
    case 29: /* andis. */
    {
        uint64_t v = INSN_UIMM(insn) << ((opcd & 1) ? 16 : 0);
        unsigned n = opcd >= 28 ? ALU_AND : opcd >= 26 ? ALU_XOR : ALU_OR;
        unsigned opc = opcd >= 28 ? OPC_AND : opcd >= 26 ? OPC_XOR : OPC_OR;
        int x = use_acc(b, ra, rt, -1, -1);

        ld_gpr(b, x, rt);
        if (v || n == ALU_AND) {
            alu_imm64(a, n, opc, x, v, RCX);
        }
        finish(b, ra, opcd >= 28);
        return true;
    }
    case 10: /* cmpli */
    case 11: /* cmpi */
        return emit_cmp(b, insn, opcd == 11, true);
    case 12: /* addic */
    case 13: /* addic. */
    case 8:  /* subfic */
        ld_gpr(b, RAX, ra);
        if (opcd == 8) {
            rr(a, true, 0xf7, F7_NOT, RAX);
        }
        mov_imm(a, RCX, (uint64_t)INSN_SIMM(insn));
        add_flags(b, rt, opcd == 13, opcd == 8 ? CIN_1 : CIN_0, true, false);
        return true;
    case 20: /* rlwimi */
    case 21: /* rlwinm */
    case 23: /* rlwnm */
        return emit_rlw(b, insn, opcd);
    case 30:
        return emit_rld(b, insn);
    case 4: /* maddld: RT = RA * RB + RC */
        if (insn_field(insn, 26, 31) != 51) {
            return false;
        }
        {
            unsigned rc = insn_field(insn, 21, 25);
            int x = use_acc(b, rt, ra, F_RB(insn), rc);

            ld_gpr(b, x, ra);
            op_gpr(b, true, 0x0faf, x, F_RB(insn));
            op_gpr(b, true, OPC_ADD + 2, x, rc);
            st_gpr(b, x, rt);
        }
        return true;
    case 19:
        return emit_cr_logic(b, insn);
    case 31:
        return emit_x31(b, i, insn);
    case 32:
    case 33:
        m = lwz;
        break;
    case 34:
    case 35:
        m = lbz;
        break;
    case 40:
    case 41:
        m = lhz;
        break;
    case 42:
    case 43:
        m = lha;
        break;
    case 36:
    case 37:
        m = stw;
        break;
    case 38:
    case 39:
        m = stb;
        break;
    case 44:
    case 45:
        m = sth;
        break;
    case 58: /* ld, ldu, lwa (DS form) */
    case 62: /* std, stdu */
    {
        unsigned ds = insn & 3;

        if (ds == 3 || (opcd == 62 && ds == 2)) {
            return false;
        }
        m = opcd == 62 ? std_ : ds == 2 ? lwa : ld;
        m.update = ds == 1;
        return emit_mem(b, i, insn, &m, (int16_t)(insn & 0xfffc));
    }
    default:
        return false;
    }
    m.update = opcd & 1;
    return emit_mem(b, i, insn, &m, INSN_SIMM(insn));
}

/* The TO bits of tw/td/twi/tdi and the condition each traps on, after cmp RA, b. */
static const struct {
    unsigned to, cc;
} trap_ccs[] = { { 0x10, CC_L }, { 0x08, CC_G }, { 0x04, CC_E }, { 0x02, CC_B }, { 0x01, CC_A } };

/*
 * tw, td, twi, tdi (they end their block): compare; when a condition of TO
 * holds, the interpreter's handler raises the trap, else on to the next
 * instruction.
 */
static void emit_trap(Block *b, unsigned i, bool word, bool imm)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    uint32_t insn = op->insn;
    unsigned to = F_RT(insn);
    uint8_t *trap[ARRAY_SIZE(trap_ccs)];
    unsigned n = 0;

    if (to) {
        rm(a, !word, OPC_MOV_LD, RAX, RBX, GPR_OFF(F_RA(insn)));
        if (imm) {
            alu_imm(a, !word, ALU_CMP, RAX, (int32_t)INSN_SIMM(insn));
        } else {
            rm(a, !word, OPC_CMP + 2, RAX, RBX, GPR_OFF(F_RB(insn)));
        }
        for (unsigned k = 0; k < ARRAY_SIZE(trap_ccs); k++) {
            if (to & trap_ccs[k].to) {
                trap[n++] = jcc(a, trap_ccs[k].cc);
            }
        }
    }
    emit_goto_static(b, op, ppc_next_pc(op));
    for (unsigned k = 0; k < n; k++) {
        patch(a, trap[k], a->p);
    }
    if (n) {
        emit_tail_step(b, i);
    }
}

/*
 * A block's last instruction when it ends the block: b, bc, bclr and bcctr
 * natively in 64-bit mode; anything else through its interpreter handler.
 */
static void emit_branch(Block *b, unsigned i)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    uint32_t insn = op->insn;
    unsigned opcd = INSN_OPCD(insn), bo = F_RT(insn), bi = F_RA(insn);
    bool lk = insn & 1, sf = (b->flags & MSR_SF) != 0, test_cr, dec_ctr, from_reg = false;
    unsigned xo = F_XO10(insn);
    uint8_t *not_taken[2] = { NULL, NULL };
    int32_t target_off = 0;

    if (opcd == 18) { /* b */
        if (lk) {
            mov_imm(a, RAX, ppc_next_pc(op));
            rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(lr));
        }
        emit_goto_static(b, op, (uint64_t)op->imm);
        return;
    }
    if (opcd == 19 && (xo == 16 || (xo == 528 && (bo & 4)))) {
        from_reg = true;
        target_off = xo == 16 ? ENV_OFF(lr) : ENV_OFF(ctr);
    } else if (opcd == 2 || opcd == 3) {
        emit_trap(b, i, opcd == 3, true);
        return;
    } else if (opcd == 31 && (xo == 4 || xo == 68)) {
        emit_trap(b, i, xo == 4, false);
        return;
    } else if (opcd != 16) {
        emit_tail_step(b, i);
        return;
    }
    test_cr = !(bo & 0x10);
    dec_ctr = !(bo & 0x04);
    /* The register target is read before LR is written (bclrl) and CTR decremented. */
    if (from_reg) {
        rm(a, true, OPC_MOV_LD, RDI, RBX, target_off);
        alu_imm(a, true, ALU_AND, RDI, -4);
        if (!sf) {
            rr(a, false, OPC_MOV_ST, RDI, RDI); /* mov edi, edi */
        }
    }
    if (lk) {
        mov_imm(a, RAX, ppc_next_pc(op));
        rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(lr));
    }
    if (dec_ctr) {
        /* The whole register counts down; 32-bit mode tests its low word. */
        rm(a, true, 0x83, ALU_SUB, RBX, ENV_OFF(ctr));
        b1(a, 1);
        if (!sf) {
            rm(a, false, 0x83, ALU_CMP, RBX, ENV_OFF(ctr));
            b1(a, 0);
        }
        not_taken[0] = jcc(a, (bo & 2) ? CC_NE : CC_E);
    }
    if (test_cr && b->fused_crf >= 0) {
        /* the flags of the compare before (emit_cmp()); ecx its field without SO */
        g_assert(!dec_ctr && !from_reg && !lk && (unsigned)b->fused_crf == bi >> 2);
        not_taken[1] = jcc(a, (bo & 8) ? b->fused_cc ^ 1 : b->fused_cc);
        set_crf_so(b, bi >> 2);
    } else if (test_cr) {
        rm(a, false, 0xf7, F7_TEST, RBX, CRF_OFF(bi >> 2));
        b4(a, 8 >> (bi & 3));
        not_taken[1] = jcc(a, (bo & 8) ? CC_E : CC_NE);
    }
    if (from_reg) {
        rr(a, true, OPC_MOV_ST, RDI, RAX);
        emit_goto_indirect(b, op);
    } else if (b->loop_head) {
        emit_loop_back(b);
    } else {
        emit_goto_static(b, op, (uint64_t)op->imm);
    }
    if (not_taken[0] || not_taken[1]) {
        for (int k = 0; k < 2; k++) {
            if (not_taken[k]) {
                patch(a, not_taken[k], a->p);
            }
        }
        if (test_cr && b->fused_crf >= 0) {
            set_crf_so(b, bi >> 2);
        }
        cache_writeback(a, &b->rc); /* a loop's registers (else nothing is left) */
        emit_goto_static(b, op, ppc_next_pc(op));
    }
}

/*
 * The bc in the middle of a trace (op i, ppc_jit_block()): it tests a CR
 * bit and nothing else, and the trace runs on into the next instruction or
 * into the target, whichever the extension starts with.  The other way
 * leaves as the block's branch did: what is dirty in the cache is written
 * back, then the jump the loop links to that way's block
 * (emit_goto_static(), whose chain_from is this bc: the loop patches that
 * jump and never touches the chain slots for it).  The way followed runs
 * on with the cache as it was.  Either way the CR field is in env, as
 * after a block's branch.
 */
static void emit_side_exit(Block *b, unsigned i)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    unsigned bo = F_RT(op->insn), bi = F_RA(op->insn), not_taken_cc;
    /* the extension starts at the target (when that is not the next instruction too) */
    bool follow_taken = jit_op(b, i + 1)->pc != ppc_next_pc(op);
    RegCache rc = b->rc;
    uint8_t *stay;

    g_assert(INSN_OPCD(op->insn) == 16 && !(op->insn & 1) && (bo & 0x14) == 0x04);
    if (b->fused_crf >= 0) {
        /* the flags of the compare before (set_crf()); ecx its field without SO */
        g_assert((unsigned)b->fused_crf == bi >> 2);
        not_taken_cc = (bo & 8) ? b->fused_cc ^ 1 : b->fused_cc;
    } else {
        rm(a, false, 0xf7, F7_TEST, RBX, CRF_OFF(bi >> 2));
        b4(a, 8 >> (bi & 3));
        not_taken_cc = (bo & 8) ? CC_E : CC_NE;
    }
    stay = jcc(a, follow_taken ? not_taken_cc ^ 1 : not_taken_cc);
    if (b->fused_crf >= 0) {
        set_crf_so(b, bi >> 2);
    }
    cache_writeback(a, &b->rc);
    emit_goto_static(b, op, follow_taken ? ppc_next_pc(op) : (uint64_t)op->imm);
    b->rc = rc;
    patch(a, stay, a->p);
    if (b->fused_crf >= 0) {
        set_crf_so(b, bi >> 2);
    }
    b->fused_crf = -1;
}

/*
 * PPC_JIT_STATS=1 in the environment: counts printed to stderr at exit (see
 * docs/devel/profiling.rst) - blocks compiled, ops compiled natively and as
 * steps, and how often each instruction's steps ran.  Off, nothing of it is
 * emitted.  The counters are plain increments: with several vCPUs some
 * increments may be lost, which a profile can afford.
 */
#define JIT_STATS_SLOTS 1024

typedef struct JitStatSlot {
    const PPCInsnDef *def; /* NULL: free */
    uint32_t insn;         /* one instance, for an unknown definition */
    uint64_t count;
} JitStatSlot;

static struct {
    bool on;
    pthread_mutex_t lock;           /* slot allocation (at translation) */
    uint64_t blocks, native, steps; /* compiled: blocks, their ops of each kind */
    uint64_t native_run;            /* native ops run (by the blocks entered) */
    JitStatSlot slot[JIT_STATS_SLOTS];
    JitStatSlot other; /* when the table is full */
} jit_stats = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int by_count(const void *x, const void *y)
{
    const JitStatSlot *a = x, *b = y;

    return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

static void jit_stats_print(void)
{
    JitStatSlot *sorted = g_new(JitStatSlot, JIT_STATS_SLOTS);
    uint64_t steps_run = jit_stats.other.count;

    memcpy(sorted, jit_stats.slot, sizeof(jit_stats.slot));
    qsort(sorted, JIT_STATS_SLOTS, sizeof(*sorted), by_count);
    for (unsigned k = 0; k < JIT_STATS_SLOTS; k++) {
        steps_run += sorted[k].count;
    }
    fprintf(stderr,
            "jit-stats: %" PRIu64 " blocks compiled: %" PRIu64 " ops native, %" PRIu64 " steps\n"
            "jit-stats: run: %" PRIu64 " native ops, %" PRIu64 " steps\n",
            jit_stats.blocks, jit_stats.native, jit_stats.steps, jit_stats.native_run, steps_run);
    for (unsigned k = 0; k < 25 && sorted[k].count; k++) {
        fprintf(stderr, "jit-stats: step %-12s %12" PRIu64 " (%.1f%%)\n", sorted[k].def->name,
                sorted[k].count, 100.0 * sorted[k].count / steps_run);
    }
    if (jit_stats.other.count) {
        fprintf(stderr, "jit-stats: step %-12s %12" PRIu64 "\n", "(others)", jit_stats.other.count);
    }
    g_free(sorted);
}

/* The step counter of op i's instruction (its definition's). */
static uint64_t *jit_stats_counter(const PPCOp *op)
{
    const PPCInsnDef *def = ppc_insn_lookup(op->insn);
    unsigned h = ((uintptr_t)def >> 4) % JIT_STATS_SLOTS;
    uint64_t *c = &jit_stats.other.count;

    if (!def) {
        return c;
    }
    pthread_mutex_lock(&jit_stats.lock);
    for (unsigned k = 0; k < JIT_STATS_SLOTS; k++) {
        JitStatSlot *sl = &jit_stats.slot[(h + k) % JIT_STATS_SLOTS];

        if (!sl->def) {
            sl->def = def;
            sl->insn = op->insn;
        }
        if (sl->def == def) {
            c = &sl->count;
            break;
        }
    }
    pthread_mutex_unlock(&jit_stats.lock);
    return c;
}

/* add qword [counter], n (rax clobbered); returns where n is, for patching. */
static uint8_t *jit_stats_add(Asm *a, uint64_t *counter, int32_t n)
{
    mov_imm(a, RAX, (uintptr_t)counter);
    rm(a, true, 0x81, ALU_ADD, RAX, 0); /* add qword [rax + 0], imm32 */
    b4(a, (uint32_t)n);
    return a->p - 4;
}

static void jit_stats_step(Block *b, unsigned i)
{
    if (jit_stats.on) {
        jit_stats_add(&b->a, jit_stats_counter(jit_op(b, i)), 1);
        jit_stats.steps++;
    }
}

/* ---- Interface -------------------------------------------------------------- */

/* What a replaced op handler does: return at once to the compiled code. */
static const PPCOp *op_jit_step_done(CPUPPCState *env, const PPCOp *op)
{
    return op;
}

static bool cpu_has_popcnt(void)
{
    unsigned eax, ebx, ecx, edx;

    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1u), "c"(0));
    return (ecx >> 23) & 1;
}

static bool cpu_has_movbe(void)
{
    unsigned eax, ebx, ecx, edx;

    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1u), "c"(0));
    return (ecx >> 22) & 1;
}

static bool cpu_has_lzcnt(void)
{
    unsigned eax, ebx, ecx, edx;

    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000001u), "c"(0));
    return (ecx >> 5) & 1;
}

PPCJit *ppc_jit_new(void)
{
    PPCJit *j;
    void *p = qemu_anon_map_cache(JIT_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);

    if (!p) {
        qemu_log_mask(LOG_UNIMP, "JIT: no executable memory, interpreting\n");
        return NULL;
    }
    j = g_new0(PPCJit, 1);
    j->base = p;
    j->size = JIT_CODE_SIZE;
    ((uint32_t *)p)[0] = CRF_GT;
    ((uint32_t *)p)[1] = CRF_LT;
    j->used = JIT_CONSTS;
    j->has_lzcnt = cpu_has_lzcnt();
    j->has_popcnt = cpu_has_popcnt();
    j->has_movbe = cpu_has_movbe() && !getenv("PPC_JIT_NO_MOVBE");
    if (!jit_stats.on && getenv("PPC_JIT_STATS")) {
        jit_stats.on = true;
        atexit(jit_stats_print);
    }
    return j;
}

void ppc_jit_free(PPCJit *j)
{
    if (j) {
        munmap(j->base, j->size);
        g_free(j);
    }
}

void ppc_jit_reset(PPCJit *j)
{
    /*
     * As the block arena (exec.c's tb_flush_now): the pages past this
     * filling's end go back to the host.  A block that did not fit may have
     * written up to JIT_BLOCK_ROOM past it.
     */
    j->high = MAX(j->high, MIN(j->used + JIT_BLOCK_ROOM, j->size));
    if (j->high - j->used >= JIT_TRIM_MIN && qemu_anon_trim_cache(j->base, j->used, j->high)) {
        /* the huge page this filling ends in stays */
        j->high = MIN(QEMU_ALIGN_UP(j->used, QEMU_HUGE_PAGE_SIZE), j->size);
    }
    j->used = JIT_CONSTS;
}

size_t ppc_jit_resident(const PPCJit *j)
{
    return j ? qemu_anon_resident(j->base, j->size) : 0;
}

bool ppc_jit_full(const PPCJit *j)
{
    return j->used + JIT_BLOCK_ROOM > j->size;
}

const void *ppc_jit_entry(PPCJit *j, const PPCOp *target)
{
    uint8_t *code = (uint8_t *)(uintptr_t)target->fn;

    if (!j || code < j->base || code >= j->base + j->used) {
        return NULL; /* an interpreted block */
    }
    return code + JIT_LINK_OFFSET;
}

bool ppc_jit_link(PPCJit *j, void *site, const PPCOp *target)
{
    const uint8_t *entry = ppc_jit_entry(j, target);
    int32_t rel;

    if (!entry) {
        return false;
    }
    rel = (int32_t)(entry - ((uint8_t *)site + 4));
    memcpy(site, &rel, 4);
    return true;
}

void ppc_jit_unlink(PPCJit *j, void *site)
{
    /* emit_goto_static's jump first went to the code right after it. */
    static const int32_t next = 0;

    memcpy(site, &next, 4);
}

/* -perfmap's file, or NULL; written by every vCPU thread (stdio locks each line). */
static FILE *perfmap;

bool ppc_cpu_open_perfmap(void)
{
    g_autofree char *path = g_strdup_printf("/tmp/perf-%d.map", (int)getpid());

    perfmap = fopen(path, "w");
    if (!perfmap) {
        return false;
    }
    /* Lines reach the file as blocks are made: perf may read it while we run. */
    setvbuf(perfmap, NULL, _IOLBF, 0);
    return true;
}

/* Ops from..end-1 natively or as steps; how many were native. */
static unsigned emit_body(Block *b, unsigned from, unsigned end)
{
    Asm *a = &b->a;
    unsigned n_native = 0;

    /* (a range of none leaves no flags for a branch, whatever the one before left) */
    b->fused_crf = -1;
    for (unsigned i = from; i < end; i++) {
        uint8_t *mark = a->p;
        unsigned stubs = b->n_stubs;
        RegCache rc = b->rc;

        b->stamp = i + 1;
        b->acc = RAX;
        b->fused_crf = -1;
        unsigned run = mem_run_len(b, i, end);

        if (run > 1) {
            emit_mem_run(b, i, run);
            n_native += run;
            i += run - 1;
            continue;
        }
        if (emit_native(b, i)) {
            if (b->fused_crf >= 0 && (a->p != b->fused_end || b->n_stubs != stubs)) {
                /*
                 * The flags do not reach the branch (see set_crf()): code
                 * follows them, or a stub resumes after them.
                 */
                a->p = mark;
                b->n_stubs = stubs;
                b->rc = rc;
                b->acc = RAX;
                b->fused_crf = -1;
                b->no_fuse = true;
                bool again = emit_native(b, i);

                g_assert(again);
                b->no_fuse = false;
            }
            n_native++;
        } else {
            a->p = mark;
            b->n_stubs = stubs;
            b->rc = rc;
            b->fused_crf = -1;
            jit_stats_step(b, i);
            emit_step(b, i);
        }
    }
    return n_native;
}

/*
 * The first body ops (all but a branch that ends the code): a trace's are
 * the block's up to its bc, the bc's side exit, then the extension's.
 */
static unsigned emit_ops(Block *b, unsigned body)
{
    unsigned n_native;

    if (b->mid < 0) {
        return emit_body(b, 0, body);
    }
    n_native = emit_body(b, 0, (unsigned)b->mid);
    emit_side_exit(b, (unsigned)b->mid);
    return n_native + emit_body(b, (unsigned)b->mid + 1, body);
}

/* bc without link whose target is pc (a block's own start). */
static bool is_self_loop(const PPCOp *op, uint64_t pc)
{
    return INSN_OPCD(op->insn) == 16 && !(op->insn & 1) && (uint64_t)op->imm == pc;
}

/*
 * Linked blocks and the entry both pass JIT_LINK_OFFSET, where the check of
 * the exit request starts: a jump there to the block's stop code (nip = the
 * block's start, return NULL) makes every way in leave at once.  Only the
 * owning CPU runs this buffer, and it retires blocks between blocks.
 */
void ppc_jit_retire(PPCJit *j, const PPCOp *first, void *stop)
{
    uint8_t *site = (uint8_t *)(uintptr_t)first->fn + JIT_LINK_OFFSET;
    int32_t rel = (int32_t)((uint8_t *)stop - (site + 5));

    g_assert(site >= j->base && site + 5 <= j->base + j->used);
    site[0] = 0xe9; /* jmp rel32 */
    memcpy(site + 1, &rel, 4);
}

/*
 * The range of real-mode effective addresses whose loads the block makes
 * straight from boot RAM (Block.real_end): with MSR[DR] = 0 the real address
 * is the effective one with its top four bits ignored (ppc_xlate; under the
 * virtual hypervisor no RMA limit, LPCR, HRMOR or hypervisor real mode
 * applies, as in QEMU's pseries), and a load that lies in boot RAM is a plain
 * host load there, the one its read entry gives (tlb_fill).  Anything
 * else (an address with any of the top four bits set, which ppc_xlate
 * ignores and Linux's real-mode exception and early boot code sets; at or
 * past the end) takes the soft-TLB probe as before, and its misses the
 * slow path, which gives them their result (devices, plugged memory, a
 * machine check).  Boot RAM is one mapping for the process's life
 * (guest_ram_init, before any CPU runs), so its place and size can be part
 * of the code.
 *
 * The end keeps JIT_REAL_LOAD_SLACK bytes below RAM's end, the widest span
 * one check covers (a run of loads, emit_mem_run), so one compare of the
 * first byte's address covers the whole access without an addition that
 * could wrap.  In 32-bit mode an access past 4 GiB wraps to address 0
 * (ppc_ea), so there the range also ends that far below 4 GiB.  The
 * debugger's watchpoints are checked on the slow path only: its blocks
 * (PPC_TB_DEBUG_ONE) get no range (they are interpreted today, TB_ONE_INSN;
 * this keeps them right if they are ever compiled).
 */
static void real_load_range(Block *b)
{
    uint64_t size = guest_ram_size();
    uint8_t *base = size > JIT_REAL_LOAD_SLACK ? guest_ram_ptr(0, size) : NULL;

    b->real_end = 0;
    b->real_base = (uintptr_t)base;
    if (!base || (b->flags & (MSR_DR | PPC_TB_DEBUG_ONE))) {
        return;
    }
    b->real_end = size - JIT_REAL_LOAD_SLACK;
    if (!(b->flags & MSR_SF)) {
        b->real_end = MIN(b->real_end, (1ULL << 32) - JIT_REAL_LOAD_SLACK);
    }
}

bool ppc_jit_block(PPCJit *j, PPCOp *ops, unsigned n, bool last_ends_block, PPCOp *ext,
                   unsigned n_ext, bool ext_ends_block, bool (*is_illegal)(const PPCOp *),
                   uint64_t flags, void **stop_out)
{
    g_autofree Block *b = g_new(Block, 1);
    PPCOpFn *fns[PPC_TB_MAX_INSNS];
    uint8_t *start = j->base + QEMU_ALIGN_UP(j->used, 16);
    Asm *a = &b->a;
    /* A trace is compiled as one block of all its ops that ends where the extension does. */
    unsigned n_all = n + n_ext;
    bool ends = n_ext ? ext_ends_block : last_ends_block;
    unsigned body = ends ? n_all - 1 : n_all;
    PPCOp *end_op = n_ext ? &ext[n_ext] : &ops[n];

    if (n == 0 || n_all > PPC_TB_MAX_INSNS || ppc_jit_full(j)) {
        return false;
    }
    g_assert(!n_ext || (last_ends_block && !is_illegal(&ops[n - 1])));
    b->ops = ops;
    b->ext = n_ext ? ext : NULL;
    b->n_base = n;
    b->n_ops = n_all;
    b->mid = n_ext ? (int)n - 1 : -1;
    for (unsigned i = 0; i < n_all; i++) {
        fns[i] = jit_op(b, i)->fn;
    }
    PPCOp *last = jit_op(b, n_all - 1);
    b->flags = flags;
    a->p = start;
    a->end = start + JIT_BLOCK_ROOM;
    a->overflow = false;
    b->fns = fns;
    b->n_stubs = 0;
    b->has_lzcnt = j->has_lzcnt;
    b->has_popcnt = j->has_popcnt;
    b->has_movbe = j->has_movbe;
    real_load_range(b);
    b->acc = RAX;
    b->branch_last = ends && !is_illegal(last);
    b->fused_crf = -1;
    b->no_fuse = false;
    b->code_base = j->base;
    b->code_size = j->size;
    b->crf_gt = (const uint32_t *)j->base;
    b->crf_lt = (const uint32_t *)j->base + 1;
    /* exit_null: return NULL to the loop; the entry follows. */
    b->exit_null = a->p;
    rr(a, false, 0x31, RAX, RAX); /* xor eax, eax */
    emit_epilogue(a);
    b1(a, 0xc3); /* ret */
    uint8_t *entry = a->p;
    emit_prologue(a);
    /* Linked blocks jump here: stop when asked to, at this block's start. */
    g_assert(a->overflow || a->p == entry + JIT_LINK_OFFSET);
    rm(a, false, OPC_MOV_LD, RCX, RBX, ENV_OFF(exit_request));
    rm(a, false, OPC_OR + 2, RCX, RBX, ENV_OFF(chain_stop));
    uint8_t *stop = jcc(a, CC_NE);
    cache_init(&b->rc);
    b->loop_head = NULL;
    if (b->branch_last && is_self_loop(last, ops[0].pc) && !icount_enabled()) {
        /*
         * A loop in one block (bc to its own start, as bdnz), or in one
         * trace: its registers stay cached from one turn to the next.  The
         * body is compiled once to learn which GPRs it leaves cached; those
         * are loaded before the loop head, and the taken branch jumps back
         * there (emit_loop_back()).  Not with -icount, where the loop must
         * see every block.
         */
        uint8_t *mark = a->p;
        unsigned stubs = b->n_stubs;

        emit_ops(b, body);
        RegCache end = b->rc;
        a->p = mark;
        b->n_stubs = stubs;
        cache_init(&b->rc);
        for (int k = 0; k < N_CACHE; k++) {
            if (end.gpr_of[k] >= 0) {
                b->rc.gpr_of[k] = end.gpr_of[k];
                b->rc.slot_of[end.gpr_of[k]] = k;
                b->rc.dirty[k] = true; /* changed, after the first turn */
                cache_load(a, &b->rc, k);
            }
        }
        b->head = b->rc;
        b->loop_head = a->p;
    }
    uint8_t *stats_site = NULL;
    if (jit_stats.on) {
        /* the native ops this block runs: patched below */
        stats_site = jit_stats_add(a, &jit_stats.native_run, 0);
    }
    unsigned n_native = emit_ops(b, body);
    if (!b->loop_head) {
        cache_writeback(a, &b->rc);
    }
    if (ends) {
        if (is_illegal(last)) {
            emit_tail_step(b, n_all - 1);
        } else {
            emit_branch(b, n_all - 1);
        }
    } else {
        emit_goto_static(b, end_op, end_op->pc);
    }
    patch(a, stop, a->p);
    uint8_t *stop_code = a->p;
    mov_imm(a, RAX, ops[0].pc);
    rm(a, true, OPC_MOV_ST, RAX, RBX, ENV_OFF(nip));
    jmp_to(a, b->exit_null);
    emit_stubs(b);
    if (a->overflow) {
        return false;
    }
    if (stats_site) {
        uint32_t k = n_native;

        memcpy(stats_site, &k, 4);
        jit_stats.blocks++;
        jit_stats.native += n_native;
    }
    j->used = a->p - j->base;
    if (qemu_loglevel_mask(CPU_LOG_TB_OUT_ASM)) {
        ppc_log_host_code(ops[0].pc, start, a->p - start);
    }
    if (perfmap) {
        fprintf(perfmap, "%" PRIxPTR " %tx guest-ppc-0x%" PRIx64 "\n", (uintptr_t)start,
                a->p - start, ops[0].pc);
    }
    /* Only the first op is ever entered; the others return to the code. */
    ops[0].fn = (PPCOpFn *)(uintptr_t)entry;
    *stop_out = stop_code;
    for (unsigned i = 1; i < n_all; i++) {
        jit_op(b, i)->fn = op_jit_step_done;
    }
    /*
     * The end op: compiled code goes to the next block itself, but a last
     * instruction that ends the block and runs in the interpreter (a trap
     * that did not trap, say) continues into it.  A trace's bc is always
     * compiled, so the block's own end op is never reached from it.
     */
    if (!ends) {
        end_op->fn = op_jit_step_done;
    }
    return true;
}

/*
 * The x86-64 JIT's emitter, shared by the files that compile instruction
 * classes (jit-x86_64.c: integer, branches; jit-x86_64-fp.c: floating point).
 */
#ifndef TARGET_PPC_JIT_X86_64_H
#define TARGET_PPC_JIT_X86_64_H

#include "target/ppc/internal.h"

#define JIT_MAX_STUBS (2 * 130)

/* ---- x86-64 encoding ------------------------------------------------------ */

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

/* Condition codes (the low nibble of Jcc/SETcc/CMOVcc). */
enum {
    CC_O = 0x0,
    CC_B = 0x2,
    CC_AE = 0x3,
    CC_E = 0x4,
    CC_NE = 0x5,
    CC_BE = 0x6,
    CC_A = 0x7,
    CC_S = 0x8,
    CC_L = 0xc,
    CC_GE = 0xd,
    CC_LE = 0xe,
    CC_G = 0xf,
};

/* Group opcodes: the /n of 0x81 (ALU with imm32), 0xC1/0xD3 (shifts), 0xF7. */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };
enum { SH_ROL = 0, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
enum { F7_TEST = 0, F7_NOT = 2, F7_NEG = 3, F7_MUL = 4, F7_IMUL = 5, F7_DIV = 6, F7_IDIV = 7 };
/* "op r/m, reg" opcodes, and their "op reg, r/m" twins (+2). */
enum { OPC_ADD = 0x01, OPC_OR = 0x09, OPC_AND = 0x21, OPC_SUB = 0x29, OPC_XOR = 0x31 };
#define OPC_CMP 0x39
#define OPC_TEST 0x85
#define OPC_MOV_ST 0x89
#define OPC_MOV_LD 0x8b

typedef struct Asm {
    uint8_t *p;
    uint8_t *end;
    bool overflow;
} Asm;

static inline void b1(Asm *a, unsigned v)
{
    if (a->p < a->end) {
        *a->p++ = v;
    } else {
        a->overflow = true;
    }
}

static inline void b4(Asm *a, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        b1(a, v >> (8 * i));
    }
}

static inline void b8(Asm *a, uint64_t v)
{
    b4(a, v);
    b4(a, v >> 32);
}

static inline bool fits_i32(int64_t v)
{
    return v == (int32_t)v;
}

/* REX prefix for operand size w, ModRM.reg r and ModRM.rm / base b. */
static inline void rex(Asm *a, bool w, int r, int b)
{
    unsigned v = 0x40 | (w ? 8 : 0) | ((r & 8) ? 4 : 0) | ((b & 8) ? 1 : 0);

    if (v != 0x40) {
        b1(a, v);
    }
}

/* Opcode of one byte, or two (0x0fXX). */
static inline void opcode(Asm *a, unsigned opc)
{
    if (opc > 0xff) {
        b1(a, opc >> 8);
    }
    b1(a, opc & 0xff);
}

/* opc with ModRM reg = r, rm = register m. */
static inline void rr(Asm *a, bool w, unsigned opc, int r, int m)
{
    rex(a, w, r, m);
    opcode(a, opc);
    b1(a, 0xc0 | ((r & 7) << 3) | (m & 7));
}

/* opc with ModRM reg = r, rm = [base + disp] (base is never rsp or r12). */
static inline void rm(Asm *a, bool w, unsigned opc, int r, int base, int32_t disp)
{
    rex(a, w, r, base);
    opcode(a, opc);
    if (disp == (int8_t)disp) {
        b1(a, 0x40 | ((r & 7) << 3) | (base & 7));
        b1(a, (uint8_t)disp);
    } else {
        b1(a, 0x80 | ((r & 7) << 3) | (base & 7));
        b4(a, (uint32_t)disp);
    }
}

/*
 * opc with ModRM reg = r, rm = [base + index + disp] (index < 0: none).
 * Any base (rsp and r12 take a SIB byte), any index but rsp.
 */
static inline void rm_sib(Asm *a, bool w, unsigned opc, int r, int base, int index, int32_t disp)
{
    bool sib = index >= 0 || (base & 7) == 4;
    unsigned mod = disp == 0 && (base & 7) != 5 ? 0x00 : disp == (int8_t)disp ? 0x40 : 0x80;
    unsigned v = 0x40 | (w ? 8 : 0) | ((r & 8) ? 4 : 0) | (index >= 0 && (index & 8) ? 2 : 0) |
                 ((base & 8) ? 1 : 0);

    if (v != 0x40) {
        b1(a, v);
    }
    opcode(a, opc);
    b1(a, mod | ((r & 7) << 3) | (sib ? 4 : (base & 7)));
    if (sib) {
        b1(a, ((index >= 0 ? index & 7 : 4) << 3) | (base & 7));
    }
    if (mod == 0x40) {
        b1(a, (uint8_t)disp);
    } else if (mod == 0x80) {
        b4(a, (uint32_t)disp);
    }
}

/* mov reg, imm (the shortest encoding for the value). */
static inline void mov_imm(Asm *a, int r, uint64_t v)
{
    if (v == 0) {
        rr(a, false, 0x31, r, r); /* xor r32, r32 */
    } else if (v <= UINT32_MAX) {
        rex(a, false, 0, r);
        b1(a, 0xb8 + (r & 7));
        b4(a, v);
    } else if (fits_i32((int64_t)v)) {
        rr(a, true, 0xc7, 0, r);
        b4(a, v);
    } else {
        rex(a, true, 0, r);
        b1(a, 0xb8 + (r & 7));
        b8(a, v);
    }
}

/* ALU reg, imm32 (sign-extended): group 0x81 /n, or 0x83 for an imm8. */
static inline void alu_imm(Asm *a, bool w, unsigned n, int r, int32_t imm)
{
    if (imm == (int8_t)imm) {
        rr(a, w, 0x83, n, r);
        b1(a, (uint8_t)imm);
    } else {
        rr(a, w, 0x81, n, r);
        b4(a, (uint32_t)imm);
    }
}

/* ALU reg, imm64: through a scratch register when it does not fit. */
static inline void alu_imm64(Asm *a, unsigned n, unsigned opc, int r, uint64_t imm, int scratch)
{
    if (fits_i32((int64_t)imm)) {
        alu_imm(a, true, n, r, (int32_t)imm);
    } else {
        mov_imm(a, scratch, imm);
        rr(a, true, opc, scratch, r);
    }
}

static inline void shift_imm(Asm *a, bool w, unsigned n, int r, unsigned count)
{
    if (count) {
        rr(a, w, 0xc1, n, r);
        b1(a, count);
    }
}

static inline void shift_cl(Asm *a, bool w, unsigned n, int r)
{
    rr(a, w, 0xd3, n, r);
}

/* Jumps: the rel32 field is returned for patching. */
static inline uint8_t *jcc(Asm *a, unsigned cc)
{
    b1(a, 0x0f);
    b1(a, 0x80 + cc);
    b4(a, 0);
    return a->p - 4;
}

static inline uint8_t *jmp(Asm *a)
{
    b1(a, 0xe9);
    b4(a, 0);
    return a->p - 4;
}

static inline void patch(Asm *a, uint8_t *field, const uint8_t *target)
{
    if (!a->overflow) {
        int32_t rel = (int32_t)(target - (field + 4));

        memcpy(field, &rel, 4);
    }
}

static inline void jcc_to(Asm *a, unsigned cc, const uint8_t *target)
{
    patch(a, jcc(a, cc), target);
}

static inline void jmp_to(Asm *a, const uint8_t *target)
{
    patch(a, jmp(a), target);
}

static inline void cmov(Asm *a, bool w, unsigned cc, int dst, int src)
{
    rr(a, w, 0x0f40 + cc, dst, src);
}

static inline void bswap(Asm *a, bool w, int r)
{
    rex(a, w, 0, r);
    b1(a, 0x0f);
    b1(a, 0xc8 + (r & 7));
}

/* The frame of compiled code: env in rbx, the cache's callee-saved registers. */
static inline void emit_prologue(Asm *a)
{
    b1(a, 0x53); /* push rbx */
    b1(a, 0x55); /* push rbp */
    for (int r = R12; r <= R15; r++) {
        b1(a, 0x41);
        b1(a, 0x50 + (r & 7));
    }
    alu_imm(a, true, ALU_SUB, RSP, 8); /* keep calls 16-byte aligned */
    rr(a, true, OPC_MOV_ST, RDI, RBX); /* mov rbx, rdi */
}

static inline void emit_epilogue(Asm *a)
{
    alu_imm(a, true, ALU_ADD, RSP, 8);
    for (int r = R15; r >= R12; r--) {
        b1(a, 0x41);
        b1(a, 0x58 + (r & 7));
    }
    b1(a, 0x5d); /* pop rbp */
    b1(a, 0x5b); /* pop rbx */
}

/* ---- Guest state ------------------------------------------------------------ */

#define ENV_OFF(field) ((int32_t)offsetof(CPUPPCState, field))
#define GPR_OFF(n) (ENV_OFF(gpr) + 8 * (int32_t)(n))
#define CRF_OFF(n) (ENV_OFF(crf) + 4 * (int32_t)(n))
#define VSR_OFF(n) (ENV_OFF(vsr) + 16 * (int32_t)(n))

/* ---- Blocks ------------------------------------------------------------------- */

/*
 * Guest GPRs cached in host registers within a block: loaded at first use,
 * written back (when changed) before a step, before the block is left and
 * when a register is needed for another GPR.  A slow-path stub writes back
 * what was dirty where it branched off and reloads what is cached where it
 * rejoins, so both paths meet with the same mapping.
 */
#define N_CACHE 9
static const int cache_host[N_CACHE] = { R8, R9, R10, R11, R12, R13, R14, R15, RBP };

typedef struct RegCache {
    int8_t slot_of[32];     /* guest GPR -> slot, or -1 */
    int8_t gpr_of[N_CACHE]; /* slot -> guest GPR, or -1 */
    bool dirty[N_CACHE];
    unsigned used[N_CACHE]; /* stamp of the op that last used the slot */
} RegCache;

typedef struct Stub {
    uint8_t *from;   /* rel32 of the jump to the stub */
    uint8_t *resume; /* where to continue after the step */
    unsigned op;     /* index of the first op to step */
    unsigned n_step; /* how many ops to step from there (a run of accesses: see emit_mem_run()) */
    RegCache pre;    /* the cache where the stub branches off */
    RegCache post;   /* ... and where it rejoins */
} Stub;

typedef struct Block {
    Asm a;
    RegCache rc;
    unsigned stamp; /* the op being emitted (+1): its registers are not evicted */
    /*
     * The ops compiled, numbered 0..n_ops-1 (see jit_op()): the block's
     * n_base, then a trace's extension (ext, or NULL), whose first op
     * follows the conditional branch at mid (-1: not a trace).
     */
    PPCOp *ops;
    PPCOp *ext;
    unsigned n_base, n_ops;
    int mid;
    PPCOpFn **fns; /* the interpreter handlers, before the JIT replaced any */
    const uint8_t *exit_null;
    Stub stubs[JIT_MAX_STUBS];
    unsigned n_stubs;
    bool has_lzcnt, has_popcnt, has_movbe;
    /*
     * Real-mode loads (MSR[DR] = 0): an effective address below real_end
     * (0: none) is loaded from real_base + address; see real_load_range().
     */
    uint64_t real_end;
    uintptr_t real_base;
    uint64_t flags; /* the block's key bits (MSR and mode), as the loop found it */
    int acc;        /* where the op being emitted computes its result: see use_acc() */
    /* A block that branches back to its own start: where, and the cache there */
    const uint8_t *loop_head;
    RegCache head;
    const uint32_t *crf_gt, *crf_lt; /* CRF_GT and CRF_LT in the code buffer (cmov sources) */
    /*
     * The last op is a branch emit_branch() compiles; fused_crf >= 0: the
     * op before that bc (or before a trace's bc at mid: emit_side_exit())
     * set that CR field from flags it left for the bc, and
     * ecx the field without SO (fused_cc: the condition of the bit the bc
     * tests; fused_end: where the code ended then; no_fuse: not this
     * time) - see set_crf().
     */
    bool branch_last, no_fuse;
    int fused_crf;
    unsigned fused_cc;
    const uint8_t *fused_end;
    const uint8_t *code_base; /* the CPU's code buffer (see emit_enter_op()) */
    size_t code_size;
} Block;

/* Op i of the code being compiled: of the block, or of a trace's extension. */
static inline PPCOp *jit_op(const Block *b, unsigned i)
{
    return i < b->n_base ? &b->ops[i] : &b->ext[i - b->n_base];
}

static inline void cache_init(RegCache *c)
{
    memset(c->slot_of, -1, sizeof(c->slot_of));
    memset(c->gpr_of, -1, sizeof(c->gpr_of));
    memset(c->dirty, 0, sizeof(c->dirty));
    memset(c->used, 0, sizeof(c->used));
}

static inline void cache_store(Asm *a, const RegCache *c, int k)
{
    rm(a, true, OPC_MOV_ST, cache_host[k], RBX, GPR_OFF(c->gpr_of[k]));
}

static inline void cache_load(Asm *a, const RegCache *c, int k)
{
    rm(a, true, OPC_MOV_LD, cache_host[k], RBX, GPR_OFF(c->gpr_of[k]));
}

/* Write every changed GPR back to env. */
static inline void cache_writeback(Asm *a, RegCache *c)
{
    for (int k = 0; k < N_CACHE; k++) {
        if (c->gpr_of[k] >= 0 && c->dirty[k]) {
            cache_store(a, c, k);
            c->dirty[k] = false;
        }
    }
}

/* ... and forget the mapping (env is about to be changed behind it). */
static inline void cache_flush(Asm *a, RegCache *c)
{
    cache_writeback(a, c);
    cache_init(c);
}

/*
 * How far ahead of the op being emitted GPR g is next named by a later op
 * of the block (in its RT, RA or RB field; fields that are not GPRs only
 * make the guess worse), looking at most CACHE_LOOKAHEAD ops ahead.
 */
#define CACHE_LOOKAHEAD 48
static inline unsigned cache_next_use(const Block *b, unsigned g)
{
    unsigned end = MIN(b->n_ops, b->stamp + CACHE_LOOKAHEAD);

    for (unsigned j = b->stamp; j < end; j++) {
        uint32_t insn = jit_op(b, j)->insn;

        if (((insn >> 21) & 31) == g || ((insn >> 16) & 31) == g || ((insn >> 11) & 31) == g) {
            return j - b->stamp;
        }
    }
    return CACHE_LOOKAHEAD;
}

/*
 * A slot for GPR n: its own, a free one, or the one whose GPR the block
 * names again latest (a clean one, then the least recently used, on a tie).
 * Which one is taken only changes the code's speed, never its result.
 */
static inline int cache_slot(Block *b, unsigned n, bool load)
{
    RegCache *c = &b->rc;
    int k = c->slot_of[n], victim = -1;
    unsigned victim_next = 0;

    if (k >= 0) {
        c->used[k] = b->stamp;
        return k;
    }
    for (k = 0; k < N_CACHE; k++) {
        if (c->gpr_of[k] < 0) {
            victim = k;
            break;
        }
        if (c->used[k] == b->stamp) {
            continue;
        }
        unsigned next = cache_next_use(b, (unsigned)c->gpr_of[k]);

        if (victim < 0 || next > victim_next ||
            (next == victim_next &&
             (c->dirty[victim] > c->dirty[k] ||
              (c->dirty[victim] == c->dirty[k] && c->used[k] < c->used[victim])))) {
            victim = k;
            victim_next = next;
        }
    }
    g_assert(victim >= 0);
    if (c->gpr_of[victim] >= 0) {
        if (c->dirty[victim]) {
            cache_store(&b->a, c, victim);
        }
        c->slot_of[c->gpr_of[victim]] = -1;
    }
    c->gpr_of[victim] = n;
    c->slot_of[n] = victim;
    c->dirty[victim] = false;
    c->used[victim] = b->stamp;
    if (load) {
        cache_load(&b->a, c, victim);
    }
    return victim;
}

/* The host register holding GPR n (loaded if needed). */
static inline int gpr_in(Block *b, unsigned n)
{
    return cache_host[cache_slot(b, n, true)];
}

static inline void ld_gpr(Block *b, int r, unsigned n)
{
    int h = gpr_in(b, n);

    if (h != r) {
        rr(&b->a, true, OPC_MOV_ST, h, r);
    }
}

/* The low word, zero-extended. */
static inline void ld_gpr32(Block *b, int r, unsigned n)
{
    rr(&b->a, false, OPC_MOV_ST, gpr_in(b, n), r);
}

/* The low word, sign-extended. */
static inline void ld_gpr_sx32(Block *b, int r, unsigned n)
{
    rr(&b->a, true, 0x63, r, gpr_in(b, n));
}

/* opc ("op reg, r/m" form) with r and GPR n. */
static inline void op_gpr(Block *b, bool w, unsigned opc, int r, unsigned n)
{
    rr(&b->a, w, opc, r, gpr_in(b, n));
}

/* GPR n = r (nothing to move when r is n's own host register: see use_acc()). */
static inline void st_gpr(Block *b, int r, unsigned n)
{
    int k = cache_slot(b, n, false);

    if (cache_host[k] != r) {
        rr(&b->a, true, OPC_MOV_ST, r, cache_host[k]);
    }
    b->rc.dirty[k] = true;
}

/*
 * The host register op i computes its result in (b->acc): GPR d's own
 * register, so that no move to it follows, when no operand read after the
 * first write of the result is d itself (later1, later2: -1 for none);
 * else rax.  first: the operand read first (copied into the result
 * register), -1 for none; when it is d, d's value is loaded.  d's slot is
 * taken now, so reading the operands cannot evict it (its stamp).
 */
static inline int use_acc(Block *b, unsigned d, int first, int later1, int later2)
{
    if ((int)d == later1 || (int)d == later2) {
        b->acc = RAX;
    } else {
        b->acc = cache_host[cache_slot(b, d, (int)d == first)];
    }
    return b->acc;
}

/* (RA|0) */
static inline void ld_ra0(Block *b, int r, unsigned n)
{
    if (n) {
        ld_gpr(b, r, n);
    } else {
        mov_imm(&b->a, r, 0);
    }
}

/* Run op i in the interpreter; leave the block when it did. */
static inline void emit_step(Block *b, unsigned i)
{
    Asm *a = &b->a;

    cache_flush(a, &b->rc);
    rr(a, true, OPC_MOV_ST, RBX, RDI); /* mov rdi, rbx */
    mov_imm(a, RSI, (uintptr_t)jit_op(b, i));
    mov_imm(a, RAX, (uintptr_t)b->fns[i]);
    rr(a, false, 0xff, 2, RAX); /* call rax */
    rr(a, true, OPC_TEST, RAX, RAX);
    jcc_to(a, CC_E, b->exit_null);
}

/* Jump to a stub that steps op i, then comes back here. */
static inline void stub_jcc(Block *b, unsigned cc, unsigned i)
{
    if (b->n_stubs >= JIT_MAX_STUBS) {
        b->a.overflow = true;
        return;
    }
    b->stubs[b->n_stubs].pre = b->rc;
    b->stubs[b->n_stubs].from = jcc(&b->a, cc);
    b->stubs[b->n_stubs].op = i;
    b->stubs[b->n_stubs].n_step = 1;
    b->stubs[b->n_stubs].resume = NULL;
    b->n_stubs++;
}

/* The stubs jumped to since resume_from now come back here. */
static inline void stubs_resume(Block *b, unsigned first)
{
    for (unsigned k = first; k < b->n_stubs; k++) {
        b->stubs[k].resume = b->a.p;
        b->stubs[k].post = b->rc;
    }
}

#define F_RT(i) insn_field(i, 6, 10)
#define F_RA(i) insn_field(i, 11, 15)
#define F_RB(i) insn_field(i, 16, 20)
#define F_XO10(i) insn_field(i, 21, 30)

/*
 * Loads and stores.  ea: in rsi; the soft-TLB hit path leaves the host
 * address in rsi and the effective address in rdi (for the update forms).
 */
/*
 * Real-mode loads: the bytes below boot RAM's end that no compiled range
 * check reaches (see real_load_range()), at least the widest access one
 * check covers.
 */
#define JIT_REAL_LOAD_SLACK 512

typedef struct MemOp {
    unsigned size;
    bool store, sign, update, indexed;
    bool rev; /* byte-reversed (lhbrx...): the other byte order than MSR[LE]'s */
} MemOp;

/*
 * The effective address in rsi, in 32-bit mode already cut to its low word:
 * one lea when it is a sum (a 32-bit lea truncates and zero-extends).
 */
static inline void emit_ea(Block *b, uint32_t insn, const MemOp *m, int64_t disp)
{
    Asm *a = &b->a;
    unsigned ra = F_RA(insn);
    bool w = b->flags & MSR_SF;

    if (m->indexed) {
        int hb = gpr_in(b, F_RB(insn));

        if (ra) {
            rm_sib(a, w, 0x8d, RSI, gpr_in(b, ra), hb, 0); /* lea rsi, [ra + rb] */
        } else {
            rr(a, w, OPC_MOV_ST, hb, RSI);
        }
    } else if (ra) {
        int h = gpr_in(b, ra);

        if (disp || !w) {
            rm_sib(a, w, 0x8d, RSI, h, -1, (int32_t)disp); /* lea rsi, [ra + disp] */
        } else {
            rr(a, true, OPC_MOV_ST, h, RSI);
        }
    } else {
        mov_imm(a, RSI, w ? (uint64_t)disp : (uint32_t)disp);
    }
}

/*
 * The effective address of memory op i in rsi, looked up in the soft TLB:
 * on a hit rsi becomes the host address (rdi the effective address, for
 * the update forms); a miss or a page crossing jumps to a stub that steps
 * the op.  The caller moves the data, then calls stubs_resume(b, first_stub).
 */
static inline void emit_tlb_lookup_ea(Block *b, unsigned i, unsigned size, bool store, bool update,
                                      bool ea32);

static inline void emit_mem_addr(Block *b, uint32_t insn, unsigned i, const MemOp *m, int64_t disp)
{
    emit_ea(b, insn, m, disp);
    emit_tlb_lookup_ea(b, i, m->size, m->store, m->update, true);
}

/*
 * The soft-TLB lookup of emit_mem_addr() for an effective address already
 * in rsi (ea32: already cut to its low word in 32-bit mode, as emit_ea()
 * leaves it).
 */
static inline void emit_tlb_lookup_ea(Block *b, unsigned i, unsigned size, bool store, bool update,
                                      bool ea32)
{
    Asm *a = &b->a;
    int32_t tlb = store ? ENV_OFF(tlb_write) : ENV_OFF(tlb_read);

    if (!(b->flags & MSR_SF) && !ea32) {
        rr(a, false, OPC_MOV_ST, RSI, RSI); /* 32-bit mode: mov esi, esi */
    }
    /*
     * A real-mode load in boot RAM (see real_load_range()): one compare
     * with the range's end, off the data's path (the branch is predicted),
     * and the host address is RAM's base plus the effective address.  An
     * address outside (Linux's real-mode code uses its 0xc000... addresses,
     * whose top four bits real mode ignores) takes the soft-TLB probe that
     * follows, as before.  Stores keep the write entry, whose absence on
     * pages that hold code sends their stores to the slow path that
     * retires the code.
     */
    uint8_t *fast = NULL;

    if (!store && b->real_end) {
        g_assert(size <= JIT_REAL_LOAD_SLACK); /* one compare covers the whole access */
        if (update) {
            rr(a, true, OPC_MOV_ST, RSI, RDI);
            update = false;
        }
        if (b->real_end <= INT32_MAX) {
            alu_imm(a, true, ALU_CMP, RSI, (int32_t)b->real_end);
        } else {
            mov_imm(a, RCX, b->real_end);
            rr(a, true, OPC_CMP, RCX, RSI); /* cmp rsi, rcx */
        }
        fast = jcc(a, CC_B);
    }
    /* rdx = &tlb[(ea >> 12) & mask] - tlb, as (ea >> 8) & (mask << 4); [rbx + rdx] the entry */
    _Static_assert(sizeof(PPCTLBEntry) == 16, "TLB entry size");
    rr(a, true, OPC_MOV_ST, RSI, RDX);
    shift_imm(a, true, SH_SHR, RDX, PPC_PAGE_BITS - 4);
    alu_imm(a, false, ALU_AND, RDX, (PPC_TLB_SIZE - 1) << 4);
    /* The last byte's page must be the entry's tag (a hit, not crossing). */
    if (size > 1) {
        rm(a, true, 0x8d, RCX, RSI, size - 1); /* lea rcx, [rsi + size - 1] */
    } else {
        rr(a, true, OPC_MOV_ST, RSI, RCX);
    }
    alu_imm(a, true, ALU_AND, RCX, (int32_t)PPC_PAGE_MASK);
    /* The block's translation regime is part of every TLB tag. */
    if (ppc_tlb_regime_of(b->flags)) {
        alu_imm(a, true, ALU_OR, RCX, (int32_t)ppc_tlb_regime_of(b->flags));
    }
    rm_sib(a, true, OPC_CMP + 2, RCX, RBX, RDX, tlb + (int32_t)offsetof(PPCTLBEntry, tag));
    stub_jcc(b, CC_NE, i);
    if (update) {
        rr(a, true, OPC_MOV_ST, RSI, RDI);
    }
    rm_sib(a, true, OPC_ADD + 2, RSI, RBX, RDX, tlb + (int32_t)offsetof(PPCTLBEntry, addend));
    if (fast) {
        uint8_t *done = jmp(a);

        patch(a, fast, a->p);
        mov_imm(a, RCX, b->real_base);
        rr(a, true, OPC_ADD, RCX, RSI); /* add rsi, rcx */
        patch(a, done, a->p);
    }
}

static inline void emit_tlb_lookup(Block *b, unsigned i, unsigned size, bool store, bool update)
{
    emit_tlb_lookup_ea(b, i, size, store, update, false);
}

/*
 * Floating-point instructions (jit-x86_64-fp.c): 1 when op i was compiled,
 * 0 when it takes a step (nothing emitted), -1 when it is not one of them.
 */
int jit_fp_emit(Block *b, unsigned i);

/* VMX/VSX instructions (jit-x86_64-vec.c): true when op i was compiled (else nothing emitted). */
bool jit_emit_vec(Block *b, unsigned i);

#endif

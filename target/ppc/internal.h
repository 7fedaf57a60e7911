/*
 * Inside the CPU: the decoded op every instruction becomes, the table the
 * instruction-class files register their decoders in, and the helpers they
 * share (fields, CR/XER updates, guest loads and stores, interrupts).
 */
#ifndef TARGET_PPC_INTERNAL_H
#define TARGET_PPC_INTERNAL_H

#include "target/ppc/cpu.h"

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/*
 * One decoded instruction.  fn runs it and continues: PPC_NEXT(env, op) to
 * fall through (a tail call into the next op), or returns NULL to leave the
 * block (env->nip then holds the next instruction's address, for branches,
 * interrupts and block ends).
 */
typedef struct PPCOp PPCOp;
typedef const PPCOp *PPCOpFn(CPUPPCState *env, const PPCOp *op);

struct PPCOp {
    PPCOpFn *fn;
    uint64_t pc;            /* effective address of this instruction */
    int64_t imm;            /* immediate, displacement or branch target */
    uint32_t insn;          /* the raw instruction word */
    uint8_t rt, ra, rb, rc; /* register fields (RT/RS/BF/BO, RA/BI, RB, RC/BC) */
    uint16_t flags;         /* PPC_OPF_* */
    uint8_t aux;            /* per-instruction extra field (SH, MB, ME, ...) */
    uint8_t aux2;
    /*
     * No chain slots here: only a block's last two ops can leave it, so the
     * block keeps one pair after its end op (ppc_op_chain()), 16 bytes a
     * block instead of 16 an op (40-byte ops: the block arena of a Linux
     * boot is about 3.5 MiB smaller).
     */
};

/* op->flags */
#define PPC_OPF_RC 0x01 /* record form: set CR0 (or CR1) */
#define PPC_OPF_OE 0x02 /* overflow-enable form: set XER[OV/SO] */
#define PPC_OPF_LK 0x04 /* link: set LR */
#define PPC_OPF_AA 0x08 /* absolute address */
#define PPC_OPF_LE 0x10 /* decoded under MSR[LE]=1: little-endian data */
#define PPC_OPF_SF 0x20 /* decoded under MSR[SF]=1: 64-bit mode */
/*
 * Decoded with the facility available (MSR[FP], [VEC], [VSX] = 1).  Blocks
 * are keyed by these MSR bits, so an FP/vector decoder can choose at decode
 * time between the instruction and its facility-unavailable interrupt.
 */
#define PPC_OPF_FP 0x40
#define PPC_OPF_VEC 0x80
#define PPC_OPF_VSX 0x100
/*
 * Decoded for a CPU model implementing Power ISA 3.0 (POWER9).  Decoders
 * that serve ISA 2.07 and 3.0 instructions from one row refuse the 3.0
 * ones without it; rows of 3.0 instructions only say PPC_INSN_ISA300.
 */
#define PPC_OPF_ISA300 0x200
/* Set by a decoder: the block ends after this instruction (mtspr MMCR0, pmu.c). */
#define PPC_OPF_ENDS_BLOCK 0x400
/*
 * The op after a block's last instruction (its end): its pc is the next
 * address, which is the next page's first when the block fills its page.
 */
#define PPC_OPF_BLOCK_END 0x800
/* Set by ppc_decode_facility(): the decoding depends on MSR[FP], [VEC] or [VSX]. */
#define PPC_OPF_FACILITY 0x1000
/* On a block-end op: the block serves every facility setting (exec.c's TB_FACILITY). */
#define PPC_OPF_SHARED 0x2000

/*
 * The chain slots of the block a branch or block-end op leaves (every op
 * that calls ppc_goto_chain() is one of the two): the first ops of the
 * blocks that followed last time (filled by the execution loop), so the next
 * block is entered by a direct tail call instead of a lookup.  They follow
 * the block-end op in the arena (exec.c's tb_gen): the op itself when
 * PPC_OPF_BLOCK_END, else the block's last instruction, which the end op
 * follows.  Valid until the next flush, which discards the block.
 */
#define PPC_CHAIN_SLOTS 2
static inline const PPCOp **ppc_op_chain(const PPCOp *op)
{
    return (const PPCOp **)(uintptr_t)(op + ((op->flags & PPC_OPF_BLOCK_END) ? 1 : 2));
}

/* The end op of the block a branch or block-end op leaves (see ppc_op_chain()). */
static inline const PPCOp *ppc_op_block_end(const PPCOp *op)
{
    return (op->flags & PPC_OPF_BLOCK_END) ? op : op + 1;
}

/* What decoding tells the block builder about an instruction. */
#define PPC_INSN_ENDS_BLOCK 0x1 /* branch, sc, rfid, mtmsr, isync, ... */
/* An FP/VSX-table instruction that needs MSR[VEC] (lxsd, lxssp, stxsd, stxssp). */
#define PPC_INSN_NEEDS_VEC 0x2
/*
 * A Power ISA 3.0 instruction: illegal on a 2.07 model (POWER8), whatever
 * the MSR says, as QEMU 7.2's PPC2_ISA300 gating makes it.
 */
#define PPC_INSN_ISA300 0x4

/*
 * An instruction definition: it matches when (insn & mask) == match.  decode
 * fills op (fn and fields); it may refuse (return false) for reserved
 * encodings, which then raise the illegal-instruction interrupt.
 */
typedef struct PPCInsnDef {
    const char *name;
    uint32_t match;
    uint32_t mask;
    bool (*decode)(const struct PPCInsnDef *def, uint32_t insn, PPCOp *op);
    PPCOpFn *fn;    /* used by the generic decoders */
    unsigned flags; /* PPC_INSN_* */
} PPCInsnDef;

/* Instruction-class files register their tables at start-up. */
void ppc_insn_register(const PPCInsnDef *defs, size_t count);
/* Decode one instruction word; NULL when no definition matches. */
const PPCInsnDef *ppc_insn_lookup(uint32_t insn);

/* ---- Fields (big-endian bit numbers of the 32-bit instruction) ------- */

static inline unsigned insn_field(uint32_t insn, unsigned first, unsigned last)
{
    return (insn >> (31 - last)) & ((1u << (last - first + 1)) - 1);
}

#define INSN_OPCD(i) insn_field(i, 0, 5)
#define INSN_RT(i) insn_field(i, 6, 10)
#define INSN_RA(i) insn_field(i, 11, 15)
#define INSN_RB(i) insn_field(i, 16, 20)
#define INSN_RC(i) insn_field(i, 21, 25)
#define INSN_SIMM(i) ((int64_t)(int16_t)((i)&0xffff))
#define INSN_UIMM(i) ((uint64_t)((i)&0xffff))
#define INSN_RCBIT(i) ((i)&1)

/* Generic decoders for the common forms. */
bool ppc_decode_d(const PPCInsnDef *def, uint32_t insn, PPCOp *op);  /* RT RA SIMM */
bool ppc_decode_du(const PPCInsnDef *def, uint32_t insn, PPCOp *op); /* RT RA UIMM */
bool ppc_decode_x(const PPCInsnDef *def, uint32_t insn, PPCOp *op);  /* RT RA RB Rc */
bool ppc_decode_xo(const PPCInsnDef *def, uint32_t insn, PPCOp *op); /* RT RA RB OE Rc */

/*
 * FP, VMX and VSX decoders: when the facility the instruction needs
 * (PPC_OPF_FP, _VEC or _VSX) was off at decode time, op becomes the
 * facility-unavailable interrupt (0x800, 0xf20, 0xf40; SRR0 = the
 * instruction) and this returns false: the decoder then stops filling op
 * but still returns true (the instruction is valid).  Check reserved fields
 * first: an invalid form is illegal whatever the MSR says.
 */
bool ppc_decode_facility(PPCOp *op, unsigned opf_facility);

/* ---- Condition register and XER -------------------------------------- */

#define CRF_LT 8
#define CRF_GT 4
#define CRF_EQ 2
#define CRF_SO 1

/* CR bit n (0 = CR0[LT]) */
static inline unsigned cr_bit(const CPUPPCState *env, unsigned n)
{
    return (env->crf[n >> 2] >> (3 - (n & 3))) & 1;
}

static inline void cr_set_bit(CPUPPCState *env, unsigned n, unsigned v)
{
    unsigned shift = 3 - (n & 3);

    env->crf[n >> 2] = (env->crf[n >> 2] & ~(1u << shift)) | ((v & 1) << shift);
}

/* CR0 from a result: compared with 0 as 64-bit, or 32-bit in 32-bit mode. */
static inline void set_cr0(CPUPPCState *env, const PPCOp *op, uint64_t result)
{
    int64_t v = (op->flags & PPC_OPF_SF) ? (int64_t)result : (int64_t)(int32_t)result;

    env->crf[0] = (v < 0 ? CRF_LT : v > 0 ? CRF_GT : CRF_EQ) | env->so;
}

static inline void set_ov(CPUPPCState *env, bool ov, bool ov32)
{
    env->ov = ov;
    env->ov32 = ov32;
    env->so |= ov;
}

/* ---- Guest memory through the soft TLB ------------------------------- */

/*
 * Slow paths: fill the TLB entry or do the access byte by byte (crossing a
 * page, outside RAM, code page).  They return false after raising the
 * interrupt the access caused; the op must then return NULL.
 */
bool ppc_ld_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size, uint64_t *val);
bool ppc_st_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size, uint64_t val);
/*
 * An access of size bytes at real address ra, bypassing translation and
 * the soft TLB (cache-inhibited loads and stores): RAM or a device of the
 * memory map, big-endian assembled; a hole raises the machine check (DAR =
 * ra) and returns false.
 */
/*
 * The big lock from inside guest code (hypercalls, device registers): the
 * CPU counts as out of guest code meanwhile and honours TLB shootdowns
 * when it comes back.
 */
void ppc_cpu_lock_iothread(CPUPPCState *env);
void ppc_cpu_unlock_iothread(CPUPPCState *env);
/* ptesync, tlbsync: wait until the CPUs this one shot down have flushed. */
void ppc_tlb_sync(CPUPPCState *env);
/*
 * Host address of an aligned atomic access of size bytes (a load and
 * reserve or a store conditional) at ea, translated as a store; NULL with
 * *ok: not plain RAM (device memory), without *ok: it faulted (raised).
 * *code: the page holds translated code (report the write after storing).
 */
uint8_t *ppc_atomic_host_ptr(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size,
                             bool *ok, uint64_t *ra);

bool ppc_ld_real(CPUPPCState *env, const PPCOp *op, uint64_t ra, unsigned size, uint64_t *val);
bool ppc_st_real(CPUPPCState *env, const PPCOp *op, uint64_t ra, unsigned size, uint64_t val);

/*
 * The reservation granules' sequence words (insn-atomic.c, which explains
 * them; the JIT's l*arx/st*cx. use them too): a granule of 2^7 bytes of
 * host memory hashes to one of PPC_RESV_BUCKETS words.  A reservation
 * taken while its word was odd (a st*cx. storing) holds PPC_RESV_SEQ_BUSY,
 * which no st*cx. accepts.
 */
#define PPC_RESV_BUCKETS 8192
#define PPC_RESV_GRANULE_BITS 7
#define PPC_RESV_HASH_SHIFT 13
#define PPC_RESV_SEQ_BUSY 1
extern uint64_t ppc_resv_seq[PPC_RESV_BUCKETS];

static inline unsigned ppc_resv_index(const void *host)
{
    uintptr_t g = (uintptr_t)host >> PPC_RESV_GRANULE_BITS;

    return (g ^ (g >> PPC_RESV_HASH_SHIFT)) & (PPC_RESV_BUCKETS - 1);
}

/* Effective address in the current mode: 64-bit, or truncated to 32. */
static inline uint64_t ppc_ea(const PPCOp *op, uint64_t ea)
{
    return (op->flags & PPC_OPF_SF) ? ea : (uint32_t)ea;
}

/* Host pointer for a read of size bytes at ea when the fast path applies. */
static inline uint8_t *ppc_tlb_read_ptr(CPUPPCState *env, uint64_t ea, unsigned size)
{
    PPCTLBEntry *e = &env->tlb_read[(ea >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1)];

    if (likely(__atomic_load_n(&e->tag, __ATOMIC_RELAXED) ==
                   ((ea & PPC_PAGE_MASK) | env->tlb_regime) &&
               ((ea & ~PPC_PAGE_MASK) + size) <= PPC_PAGE_SIZE)) {
        return (uint8_t *)(uintptr_t)(ea + e->addend);
    }
    return NULL;
}

static inline uint8_t *ppc_tlb_write_ptr(CPUPPCState *env, uint64_t ea, unsigned size)
{
    PPCTLBEntry *e = &env->tlb_write[(ea >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1)];

    if (likely(__atomic_load_n(&e->tag, __ATOMIC_RELAXED) ==
                   ((ea & PPC_PAGE_MASK) | env->tlb_regime) &&
               ((ea & ~PPC_PAGE_MASK) + size) <= PPC_PAGE_SIZE)) {
        return (uint8_t *)(uintptr_t)(ea + e->addend);
    }
    return NULL;
}

/* Raw host-order value of size bytes to/from guest byte order. */
static inline uint64_t ppc_mem_to_val(const uint8_t *p, unsigned size, bool le)
{
    switch (size) {
    case 1:
        return *p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return le ? GUINT16_FROM_LE(v) : GUINT16_FROM_BE(v);
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return le ? GUINT32_FROM_LE(v) : GUINT32_FROM_BE(v);
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return le ? GUINT64_FROM_LE(v) : GUINT64_FROM_BE(v);
    }
    }
}

static inline void ppc_val_to_mem(uint8_t *p, unsigned size, uint64_t val, bool le)
{
    switch (size) {
    case 1:
        *p = val;
        break;
    case 2: {
        uint16_t v = le ? GUINT16_TO_LE(val) : GUINT16_TO_BE(val);
        memcpy(p, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = le ? GUINT32_TO_LE(val) : GUINT32_TO_BE(val);
        memcpy(p, &v, 4);
        break;
    }
    default: {
        uint64_t v = le ? GUINT64_TO_LE(val) : GUINT64_TO_BE(val);
        memcpy(p, &v, 8);
        break;
    }
    }
}

/*
 * Load size bytes at ea in the op's byte order (reverse: the opposite one,
 * for the byte-reversed instructions).  false: an interrupt was raised.
 */
static inline bool ppc_load(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size,
                            bool reverse, uint64_t *val)
{
    bool le = ((op->flags & PPC_OPF_LE) != 0) != reverse;
    uint8_t *p = ppc_tlb_read_ptr(env, ea, size);

    if (likely(p)) {
        *val = ppc_mem_to_val(p, size, le);
        return true;
    }
    if (!ppc_ld_slow(env, op, ea, size, val)) {
        return false;
    }
    /* The slow path returns big-endian assembled bytes. */
    if (le && size > 1) {
        *val = size == 2   ? GUINT16_SWAP_LE_BE(*val)
               : size == 4 ? GUINT32_SWAP_LE_BE(*val)
                           : GUINT64_SWAP_LE_BE(*val);
    }
    return true;
}

static inline bool ppc_store(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size,
                             bool reverse, uint64_t val)
{
    bool le = ((op->flags & PPC_OPF_LE) != 0) != reverse;
    uint8_t *p = ppc_tlb_write_ptr(env, ea, size);

    if (likely(p)) {
        ppc_val_to_mem(p, size, val, le);
        return true;
    }
    if (le && size > 1) {
        val = size == 2   ? GUINT16_SWAP_LE_BE(val)
              : size == 4 ? GUINT32_SWAP_LE_BE(val)
                          : GUINT64_SWAP_LE_BE(val);
    }
    return ppc_st_slow(env, op, ea, size, val);
}

/* ---- Interrupts -------------------------------------------------------- */

/* Interrupt vectors */
#define PPC_VEC_SYSTEM_RESET 0x100
#define PPC_VEC_MACHINE_CHECK 0x200
#define PPC_VEC_DSI 0x300
#define PPC_VEC_DSEG 0x380
#define PPC_VEC_ISI 0x400
#define PPC_VEC_ISEG 0x480
#define PPC_VEC_EXTERNAL 0x500
#define PPC_VEC_ALIGNMENT 0x600
#define PPC_VEC_PROGRAM 0x700
#define PPC_VEC_FP_UNAVAIL 0x800
#define PPC_VEC_DECREMENTER 0x900
#define PPC_VEC_DOORBELL 0xa00 /* directed privileged doorbell */
#define PPC_VEC_SYSCALL 0xc00
#define PPC_VEC_TRACE 0xd00
#define PPC_VEC_VMX_UNAVAIL 0xf20
#define PPC_VEC_VSX_UNAVAIL 0xf40
#define PPC_VEC_PERFM 0xf00 /* performance monitor */
#define PPC_VEC_FAC_UNAVAIL 0xf60

/* SRR1 bits of a program interrupt: its reason (Book III 7.5.9) */
#define SRR1_PROGRAM_FP PPC_BIT(43)
#define SRR1_PROGRAM_ILLEGAL PPC_BIT(44)
#define SRR1_PROGRAM_PRIV PPC_BIT(45)
#define SRR1_PROGRAM_TRAP PPC_BIT(46)

/*
 * Deliver an interrupt for the instruction at op->pc: SRR0 = srr0, SRR1 =
 * the MSR's saved bits | srr1_bits, new MSR, nip = vector.  Returns NULL so
 * an op can `return ppc_raise(...)`.
 */
const PPCOp *ppc_raise(CPUPPCState *env, unsigned vector, uint64_t srr0, uint64_t srr1_bits);
const PPCOp *ppc_raise_program(CPUPPCState *env, const PPCOp *op, uint64_t reason);

/* mfspr DPDES (insn-dbell.c): the doorbells pending in this thread's core. */
const PPCOp *ppc_op_mfdpdes(CPUPPCState *env, const PPCOp *op);

/*
 * Continue with the next op of the block.  A tail call: at -O2 it compiles
 * to one indirect jump, so ops chain without returning to the loop (in an
 * unoptimised build the stack grows by at most one block's length).
 */
#define PPC_NEXT(env, op) ((op)[1].fn((env), (op) + 1))

/*
 * Leave the block for target, entering the next block directly when this op
 * has been chained to it and nothing asks the CPU to stop or flush.
 * Otherwise return to the loop, telling it which op to chain.
 */
static inline const PPCOp *ppc_goto_chain(CPUPPCState *env, const PPCOp *op, uint64_t target)
{
    const PPCOp **chain = ppc_op_chain(op);
    const PPCOp *next;

    env->nip = target;
    if (unlikely(ppc_exit_requested(env) | __atomic_load_n(&env->chain_stop, __ATOMIC_RELAXED)) ||
        unlikely(!--env->chain_budget)) {
        return NULL;
    }
    next = chain[0];
    if (!next || next->pc != target) {
        next = chain[1];
        if (!next || next->pc != target) {
            env->chain_from = op;
            return NULL;
        }
    }
    return next->fn(env, next);
}

/* Leave the block and continue at target. */
static inline const PPCOp *ppc_goto(CPUPPCState *env, uint64_t target)
{
    env->nip = target;
    return NULL;
}

/* The address after op, in the current mode. */
static inline uint64_t ppc_next_pc(const PPCOp *op)
{
    return (op->flags & PPC_OPF_SF) ? op->pc + 4 : (uint32_t)(op->pc + 4);
}

/* ---- Compare + branch superinstruction ------------------------------- */

/*
 * A cmp/cmpl/cmpi/cmpli immediately followed by a bc (no CTR, no link) that
 * tests a bit of the CR field the compare sets runs as one op: the block
 * builder swaps the compare's handler for its fused twin, which then takes
 * the branch of the bc op after it.
 */
bool ppc_bc_tests_crf(const PPCOp *bc, unsigned bf);
PPCOpFn *ppc_cmp_fused_fn(const PPCOp *cmp);

/* A handler running first and second (adjacent ops of a block) as one, or NULL. */
PPCOpFn *ppc_logic_fused_fn(const PPCOp *first, const PPCOp *second);

/* The bc part of a fused pair: crf is the value just written to its field. */
static inline const PPCOp *ppc_bc_cr_fused(CPUPPCState *env, const PPCOp *bc, unsigned crf)
{
    bool taken = ((crf >> (3 - (bc->ra & 3))) & 1) == bc->aux;

    return ppc_goto_chain(env, bc, taken ? (uint64_t)bc->imm : ppc_next_pc(bc));
}

/* ---- The JIT (jit-x86_64.c; absent on other hosts) ----------------------- */

/* Instructions in a block at most. */
#define PPC_TB_MAX_INSNS 128

/* A vCPU's buffer of host code, emptied with its translations. */
typedef struct PPCJit PPCJit;

/* NULL: no JIT on this host (or no executable memory): interpret. */
PPCJit *ppc_jit_new(void);
void ppc_jit_free(PPCJit *jit);
void ppc_jit_reset(PPCJit *jit);
/* Too little room left for one more block: flush before translating. */
bool ppc_jit_full(const PPCJit *jit);
/* Resident bytes of the code buffer (ppc_tb_resident). */
size_t ppc_jit_resident(const PPCJit *jit);
/*
 * Compile a block: ops[0..n-1] are its instructions, ops[n] the block-end
 * op; last_ends_block tells that ops[n-1] ends the block (a branch, sc,
 * rfid, an illegal instruction, ...); flags are the block's key (MSR bits).
 * A trace (n_ext > 0, exec.c's tb_jit): ops[n-1] is a bc testing a CR bit
 * (no CTR, no link), and ext[0..n_ext-1] the instructions from the next
 * one or from its target, laid out as a block's (ext[n_ext] their end op,
 * then its chain slots), which the code runs on into on that way (the
 * other leaves); ext_ends_block as last_ends_block for ext[n_ext-1].  On success the code becomes ops[0].fn and the other ops'
 * handlers are replaced (only the code uses them), and *stop is where the
 * code leaves for the loop at the block's start (see ppc_jit_retire); on
 * failure (no room) nothing is changed.
 */
bool ppc_jit_block(PPCJit *jit, PPCOp *ops, unsigned n, bool last_ends_block, PPCOp *ext,
                   unsigned n_ext, bool ext_ends_block, bool (*is_illegal)(const PPCOp *op),
                   uint64_t flags, void **stop);

/*
 * Retire a compiled block (its page was written): from now on every entry,
 * through first->fn or through a linked jump, leaves at once for the loop
 * with env->nip at the block's start.  stop: what ppc_jit_block gave.
 */
void ppc_jit_retire(PPCJit *jit, const PPCOp *first, void *stop);

/* Blocks the CPU has translated since it first ran (tests, PPC_TLB_STATS). */
uint64_t ppc_tb_blocks(PowerPCCPU *cpu);
/* Those compiled to host code (at their translation or a later run: ppc_cpu_set_jit_after). */
uint64_t ppc_tb_compiled(PowerPCCPU *cpu);
/* Of those, the ones compiled as traces (past their conditional branch: exec.c's tb_jit). */
uint64_t ppc_tb_traces(PowerPCCPU *cpu);

/*
 * The code left a block through a jump it wants linked (env->jit_link):
 * point it at target, the first op of the block found for it.  false when
 * target is not compiled (nothing is changed then).
 */
bool ppc_jit_link(PPCJit *jit, void *site, const PPCOp *target);
/* Undo ppc_jit_link(): the jump at site goes back to the loop again. */
void ppc_jit_unlink(PPCJit *jit, void *site);
/*
 * Where a jump from compiled code enters the block whose first op is
 * target (what ppc_jit_link() points a jump at), for the indirect-branch
 * cache; NULL when target is not compiled.
 */
const void *ppc_jit_entry(PPCJit *jit, const PPCOp *target);

/* ---- Logs (-d in_asm, exec, cpu) ---------------------------------------- */

void ppc_log_block_asm(uint64_t pc, const uint32_t *insns, unsigned n, bool le);
void ppc_log_cpu_state(const CPUPPCState *env);
/* -d out_asm: a block's host code, disassembled (x86-64 hosts). */
void ppc_log_host_code(uint64_t pc, const uint8_t *code, size_t size);

/* ---- Supervisor state -------------------------------------------------- */

/* MSR write with its side effects (TLB flush when translation/mode bits change). */
void ppc_store_msr(CPUPPCState *env, uint64_t msr);
uint64_t ppc_load_tb(CPUPPCState *env);
/* The decrementer as mfspr DEC shows it, and mtspr DEC (timebase.c). */
uint64_t ppc_load_decr(CPUPPCState *env);
void ppc_store_decr(CPUPPCState *env, uint64_t value);
void ppc_cpu_timebase_init(PowerPCCPU *cpu);
void ppc_cpu_timebase_reset(PowerPCCPU *cpu);
void ppc_cpu_timebase_free(PowerPCCPU *cpu);
/* Take the highest-priority pending interrupt the MSR allows (excp.c). */
void ppc_deliver_pending(CPUPPCState *env);

/* ---- MMU (mmu.c dispatches to mmu-radix64.c and mmu-hash64.c) ---------- */

typedef enum PPCAccessType {
    PPC_ACCESS_LOAD,
    PPC_ACCESS_STORE,
    PPC_ACCESS_FETCH,
} PPCAccessType;

/*
 * Why a translation failed: the interrupt to raise and its registers.  For
 * data accesses DAR = the effective address and DSISR = dsisr; for fetches
 * SRR1 gets srr1_bits (SRR0 is then the instruction's own address).
 */
typedef struct PPCXlateFault {
    unsigned vector; /* PPC_VEC_DSI, _DSEG, _ISI, _ISEG, _MACHINE_CHECK */
    uint64_t dsisr;
    uint64_t srr1_bits;
} PPCXlateFault;

/* DSISR / SRR1 bits shared by radix and hash faults (Book III 7.5.3/7.5.4) */
#define DSISR_NOPTE PPC_BIT(33)       /* no translation */
#define DSISR_PROTFAULT PPC_BIT(36)   /* storage protection */
#define DSISR_STORE PPC_BIT(38)       /* the access was a store */
#define DSISR_KEYFAULT PPC_BIT(42)    /* virtual page class key (AMR) */
#define DSISR_R_BADCONFIG PPC_BIT(44) /* radix: bad tree or table */
#define DSISR_ATOMIC_RC PPC_BIT(45)   /* radix: R/C update needed */
#define SRR1_NOPTE DSISR_NOPTE
#define SRR1_NOEXEC_GUARD PPC_BIT(35) /* fetch: no-execute or guarded */
#define SRR1_PROTFAULT DSISR_PROTFAULT
#define SRR1_KEYFAULT DSISR_KEYFAULT

/* icbi: drop every CPU's blocks when a store of this CPU may have escaped the code check. */
void ppc_icbi(CPUPPCState *env);

/*
 * Translate ea for one access in the CPU's current mode (MSR IR/DR/PR,
 * LPCR, PIDR, SLB ...).  Success: *ra is the real address (a guest RAM
 * offset), and R (and for stores C) are recorded in the page-table entry.
 * Failure: *fault says which interrupt to raise; nothing is changed.
 * probe: a look without side effects (no R/C update), for debuggers.
 */
bool ppc_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
               PPCXlateFault *fault);
/* Raise the interrupt a failed translation of ea, by the instruction at pc, asks for. */
void ppc_raise_xlate_fault(CPUPPCState *env, uint64_t pc, uint64_t ea, const PPCXlateFault *fault);
/* PPC_TLB_NO_PWC in the environment (read when the first CPU starts): no page-walk cache. */
extern bool ppc_pwc_off;
/* PPC_TLB_AMR_ALL in the environment: an AMR write empties every load and store entry. */
extern bool ppc_tlb_amr_all;
/* PPC_TLB_NO_QUADRANT: a PIDR write or whole-PID tlbie empties the whole soft TLB. */
extern bool ppc_tlb_quadrant_off;

/* The two translation schemes, for translated (IR/DR = 1) accesses. */
bool ppc_radix64_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
                       PPCXlateFault *fault);
bool ppc_hash64_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
                      PPCXlateFault *fault);
/* Radix is in use: the model has it and the machine set LPCR[HR]. */
bool ppc_mmu_is_radix(const CPUPPCState *env);

/*
 * The debugger (target/ppc/gdbstub.c).  PPC_TB_DEBUG_ONE, or'ed into the
 * block key from env->debug_flags (an MSR bit no block depends on), makes
 * one-instruction interpreted blocks after each of which the loop asks
 * ppc_debug_insn_done() whether to stop.  Breakpoints are seen when blocks
 * are built: a block ends before one, and a block at one is the single op
 * ppc_op_debug_break.
 */
#define PPC_TB_DEBUG_ONE PPC_BIT(1)
/*
 * -icount: a block of one instruction, run when the next timer deadline falls
 * within the block the loop would run (an MSR bit no block depends on).
 */
#define PPC_TB_ICOUNT_ONE PPC_BIT(2)
/*
 * The performance monitor (pmu.c).  While a PMC counts instructions, blocks
 * are looked up with one of these bits (an MSR bit no block depends on) from
 * env->pmu_tb_flags: such blocks are interpreted and never chained, and the
 * loop calls ppc_pmu_count_block() after each that ran to its end without an
 * interrupt.  _INLINE: PMC5 alone gets the block's count, whatever MMCR0
 * says by then; _RUNTIME: every PMC counting instructions at the end does.
 */
#define PPC_TB_PMU_INLINE PPC_BIT(4)
#define PPC_TB_PMU_RUNTIME PPC_BIT(5)
#define PPC_TB_PMU (PPC_TB_PMU_INLINE | PPC_TB_PMU_RUNTIME)
void ppc_pmu_init(PowerPCCPU *cpu);
void ppc_pmu_free(PowerPCCPU *cpu);
void ppc_pmu_reset(CPUPPCState *env);
/* The vCPU takes the PMU timer's request (PPC_INTERRUPT_PMU_TIMER). */
void ppc_pmu_timer_check(CPUPPCState *env);
void ppc_pmu_count_block(CPUPPCState *env, uint64_t tb_flags, unsigned n_insns);
/* The handlers of mfspr and mtspr of the PMU SPRs (768-782, 784-798), or NULL. */
PPCOpFn *ppc_pmu_mfspr_fn(unsigned sprn);
PPCOpFn *ppc_pmu_mtspr_fn(unsigned sprn, bool *ends_block);
bool ppc_debug_bp_at(PowerPCCPU *cpu, uint64_t pc);
const PPCOp *ppc_op_debug_break(CPUPPCState *env, const PPCOp *op);
bool ppc_debug_insn_done(PowerPCCPU *cpu);
/* A load or store that reached memory, in one-instruction mode. */
void ppc_debug_check_access(CPUPPCState *env, uint64_t ea, unsigned size, bool write);

#endif

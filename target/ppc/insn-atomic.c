/*
 * Quadword and atomic loads and stores (Power ISA 3.0B Book I 3.3.4, Book II
 * 4.4): lq/stq, load-and-reserve and store-conditional, atomic across vCPUs.
 */
#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

/*
 * How reservations work across vCPU threads (docs/devel/cpu.rst, "SMP"):
 * the reservation granule (128 bytes on POWER9) hashes to a sequence word,
 * even while free, odd while a st*cx. is storing into it.  l*arx remembers
 * the word and the value it loaded; st*cx. takes the word only if it still
 * holds what l*arx saw (no other st*cx. succeeded on the granule meanwhile,
 * whatever value it stored), then stores with a host compare-and-swap
 * against the loaded value (a plain store of another CPU to the location
 * made it differ), and bumps the word.  Unrelated granules sharing a word
 * only make a st*cx. fail, which the architecture allows at any time.
 */
uint64_t ppc_resv_seq[PPC_RESV_BUCKETS];

static inline uint64_t *resv_bucket(const void *host)
{
    return &ppc_resv_seq[ppc_resv_index(host)];
}

#define RESV_SEQ_BUSY PPC_RESV_SEQ_BUSY

/*
 * Alignment interrupt (Book III 6.5.8), as insn-ldst.c raises it: DAR = the
 * EA; QEMU ORs the instruction's RT/RS and RA fields into DSISR[22:31].
 */
static const PPCOp *raise_alignment(CPUPPCState *env, const PPCOp *op, uint64_t ea)
{
    env->spr[SPR_DAR] = ea;
    env->spr[SPR_DSISR] |= insn_field(op->insn, 6, 15);
    return ppc_raise(env, PPC_VEC_ALIGNMENT, op->pc, 0);
}

static inline uint64_t ea_x_any(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]);
}

static inline uint64_t ea_d_any(const CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + op->imm);
}

/* ---- 16-byte host atomics ---------------------------------------------- */

typedef struct Quad {
    uint64_t w[2]; /* host memory order: w[0] at the lower address */
} Quad;

static inline bool quad_cmpxchg(void *p, Quad *expect, Quad val)
{
#if defined(__x86_64__)
    bool ok;

    __asm__ __volatile__("lock cmpxchg16b %1"
                         : "=@ccz"(ok), "+m"(*(volatile __int128 *)p), "+a"(expect->w[0]),
                           "+d"(expect->w[1])
                         : "b"(val.w[0]), "c"(val.w[1])
                         : "memory");
    return ok;
#else
    unsigned __int128 e, n, old;

    memcpy(&e, expect->w, 16);
    memcpy(&n, val.w, 16);
    old = __sync_val_compare_and_swap((unsigned __int128 *)p, e, n);
    memcpy(expect->w, &old, 16);
    return old == e;
#endif
}

/* An atomic 16-byte read: a compare-and-swap that writes only what is there. */
static inline Quad quad_load(void *p)
{
    Quad q = { { 0, 0 } };

    quad_cmpxchg(p, &q, q);
    return q;
}

/* The quadword (hi: the even register) as bytes in the guest's order. */
static Quad quad_from_regs(uint64_t hi, uint64_t lo, bool le)
{
    Quad q;

    ppc_val_to_mem((uint8_t *)&q.w[0], 8, le ? lo : hi, le);
    ppc_val_to_mem((uint8_t *)&q.w[1], 8, le ? hi : lo, le);
    return q;
}

static void quad_to_regs(Quad q, bool le, uint64_t *hi, uint64_t *lo)
{
    uint64_t first = ppc_mem_to_val((uint8_t *)&q.w[0], 8, le);
    uint64_t second = ppc_mem_to_val((uint8_t *)&q.w[1], 8, le);

    *hi = le ? second : first;
    *lo = le ? first : second;
}

/* ---- lq / stq ----------------------------------------------------------- */

/*
 * A quadword is a 16-byte integer in the current byte order; the even
 * register of the pair holds its high doubleword, so in little-endian mode
 * that one sits at EA + 8.  Aligned, it is single-copy atomic (Book II
 * 1.4): one host 16-byte access.  Device memory gets two doublewords.
 */
static bool load_quad(CPUPPCState *env, const PPCOp *op, uint64_t ea, uint64_t *hi, uint64_t *lo)
{
    bool le = op->flags & PPC_OPF_LE;
    uint8_t *host = ppc_tlb_read_ptr(env, ea, 16);
    uint64_t first, second;

    if (!host) {
        if (!ppc_load(env, op, ea, 8, false, &first)) {
            return false;
        }
        host = ppc_tlb_read_ptr(env, ea, 16);
    }
    if (host) {
        quad_to_regs(quad_load(host), le, hi, lo);
        return true;
    }
    if (!ppc_load(env, op, ppc_ea(op, ea + 8), 8, false, &second)) {
        return false;
    }
    *hi = le ? second : first;
    *lo = le ? first : second;
    return true;
}

/* ea is quadword-aligned: both halves share a page. */
static bool store_quad(CPUPPCState *env, const PPCOp *op, uint64_t ea, uint64_t hi, uint64_t lo)
{
    bool le = op->flags & PPC_OPF_LE, ok;
    uint64_t ra;
    uint8_t *host = ppc_atomic_host_ptr(env, op, ea, 16, &ok, &ra);

    if (host) {
        Quad val = quad_from_regs(hi, lo, le), cur = quad_load(host);

        while (!quad_cmpxchg(host, &cur, val)) {
        }
        if (ra != (uint64_t)-1) {
            guest_ram_note_write(ra, 16);
        }
        return true;
    }
    return ok && ppc_store(env, op, ea, 8, false, le ? lo : hi) &&
           ppc_store(env, op, ppc_ea(op, ea + 8), 8, false, le ? hi : lo);
}

/* lq/stq: EA not quadword-aligned causes an alignment interrupt */
static const PPCOp *op_lq(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_d_any(env, op), hi, lo;

    if (ea & 15) {
        return raise_alignment(env, op, ea);
    }
    if (!load_quad(env, op, ea, &hi, &lo)) {
        return NULL;
    }
    env->gpr[op->rt] = hi;
    env->gpr[op->rt + 1] = lo;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_stq(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_d_any(env, op);

    if (ea & 15) {
        return raise_alignment(env, op, ea);
    }
    return store_quad(env, op, ea, env->gpr[op->rt], env->gpr[op->rt + 1]) ? op + 1 : NULL;
}

#define IMM_DS 0xfffc
#define IMM_DQ 0xfff0

/* lq RTp,DQ(RA): RTp odd or equal to RA is an invalid form */
static bool decode_lq(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_d(def, insn, op);
    op->imm = (int16_t)(insn & IMM_DQ);
    return !(op->rt & 1) && op->rt != op->ra;
}

/* stq RSp,DS(RA): RSp odd is an invalid form */
static bool decode_stq(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_d(def, insn, op);
    op->imm = (int16_t)(insn & IMM_DS);
    return !(op->rt & 1);
}

/* ---- Load and reserve ---------------------------------------------------- */

/*
 * The granule's sequence word, read before the value (acquire), so a st*cx.
 * that lands between them makes ours fail rather than succeed on a stale
 * view.  The host address names the location for every CPU.
 */
static inline uint64_t resv_begin(const uint8_t *host)
{
    uint64_t seq = __atomic_load_n(resv_bucket(host), __ATOMIC_ACQUIRE);

    return (seq & 1) ? RESV_SEQ_BUSY : seq;
}

/*
 * l*arx loads and makes a reservation for the EA and length, remembering the
 * value seen.  A misaligned EA causes an alignment interrupt.  The EH hint
 * (bit 31) changes nothing here.
 */
static inline const PPCOp *do_larx(CPUPPCState *env, const PPCOp *op, unsigned size)
{
    uint64_t ea = ea_x_any(env, op), v;
    uint8_t *host;

    if (unlikely(ea & (size - 1))) {
        return raise_alignment(env, op, ea);
    }
    host = ppc_tlb_read_ptr(env, ea, size);
    if (unlikely(!host)) {
        /* Translate (or fault) and fill the TLB; device memory has no host address. */
        if (!ppc_load(env, op, ea, size, false, &v)) {
            return NULL;
        }
        host = ppc_tlb_read_ptr(env, ea, size);
    }
    if (likely(host)) {
        env->reserve_seq = resv_begin(host);
        v = ppc_mem_to_val(host, size, op->flags & PPC_OPF_LE);
    } else {
        env->reserve_seq = RESV_SEQ_BUSY;
    }
    env->reserve_addr = ea;
    env->reserve_len = size;
    env->reserve_val = v;
    env->gpr[op->rt] = v;
    return PPC_NEXT(env, op);
}

/* Compare-and-swap of a naturally aligned host location holding guest bytes. */
#define CMPXCHG_HOST(type, p, expect_bytes, new_bytes)                                             \
    ({                                                                                             \
        type e_, n_;                                                                               \
        memcpy(&e_, expect_bytes, sizeof(type));                                                   \
        memcpy(&n_, new_bytes, sizeof(type));                                                      \
        __atomic_compare_exchange_n((type *)(p), &e_, n_, false, __ATOMIC_SEQ_CST,                 \
                                    __ATOMIC_SEQ_CST);                                             \
    })

static bool host_cmpxchg(uint8_t *p, unsigned size, bool le, uint64_t expect, uint64_t val)
{
    uint8_t e[8], n[8];

    ppc_val_to_mem(e, size, expect, le);
    ppc_val_to_mem(n, size, val, le);
    switch (size) {
    case 1:
        return CMPXCHG_HOST(uint8_t, p, e, n);
    case 2:
        return CMPXCHG_HOST(uint16_t, p, e, n);
    case 4:
        return CMPXCHG_HOST(uint32_t, p, e, n);
    default:
        return CMPXCHG_HOST(uint64_t, p, e, n);
    }
}

/*
 * The store of a st*cx. whose reservation this CPU holds: take the
 * granule's word if it is still as l*arx saw it, compare-and-swap the
 * value, release the word (bumped when stored).  Device memory (no host
 * address): compare and store, not atomic (no device offers reservations).
 * false: an interrupt (the translation faulted).
 */
static bool store_conditional(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size,
                              uint64_t hi, uint64_t lo, bool *stored)
{
    bool le = op->flags & PPC_OPF_LE, ok;
    uint64_t ra, seq = env->reserve_seq, *word;
    uint8_t *host = ppc_atomic_host_ptr(env, op, ea, size, &ok, &ra);

    *stored = false;
    if (!host) {
        uint64_t cur_hi, cur_lo = 0;

        if (!ok) {
            return false;
        }
        if (size == 16 ? !load_quad(env, op, ea, &cur_hi, &cur_lo)
                       : !ppc_load(env, op, ea, size, false, &cur_hi)) {
            return false;
        }
        if (cur_hi != env->reserve_val || (size == 16 && cur_lo != env->reserve_val2)) {
            return true;
        }
        *stored = true;
        return size == 16 ? store_quad(env, op, ea, hi, lo)
                          : ppc_store(env, op, ea, size, false, hi);
    }
    word = resv_bucket(host);
    if (seq == RESV_SEQ_BUSY || !__atomic_compare_exchange_n(word, &seq, seq + 1, false,
                                                             __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        return true;
    }
    if (size == 16) {
        Quad expect = quad_from_regs(env->reserve_val, env->reserve_val2, le);

        *stored = quad_cmpxchg(host, &expect, quad_from_regs(hi, lo, le));
    } else {
        *stored = host_cmpxchg(host, size, le, env->reserve_val, hi);
    }
    __atomic_store_n(word, *stored ? seq + 2 : seq, __ATOMIC_RELEASE);
    if (*stored && ra != (uint64_t)-1) {
        /* the page may hold translated code */
        guest_ram_note_write(ra, size);
    }
    return true;
}

/* CR0 after a store conditional: 0b00 || stored || XER[SO] */
static const PPCOp *stcx_done(CPUPPCState *env, const PPCOp *op, bool stored)
{
    env->reserve_addr = (uint64_t)-1;
    env->crf[0] = (stored ? CRF_EQ : 0) | env->so;
    return PPC_NEXT(env, op);
}

/*
 * st*cx. stores only with a reservation for this EA and length; any st*cx.
 * then clears the reservation.  A misaligned EA causes an alignment
 * interrupt whether or not a reservation exists.
 */
static inline const PPCOp *do_stcx(CPUPPCState *env, const PPCOp *op, unsigned size)
{
    uint64_t ea = ea_x_any(env, op);
    bool stored = false;

    if (unlikely(ea & (size - 1))) {
        return raise_alignment(env, op, ea);
    }
    if (env->reserve_addr == ea && env->reserve_len == size &&
        !store_conditional(env, op, ea, size, env->gpr[op->rt], 0, &stored)) {
        return NULL;
    }
    return stcx_done(env, op, stored);
}

#define ATOMIC_PAIR(sz, size)                                                                      \
    static const PPCOp *op_l##sz##arx(CPUPPCState *env, const PPCOp *op)                           \
    {                                                                                              \
        return do_larx(env, op, size);                                                             \
    }                                                                                              \
    static const PPCOp *op_st##sz##cx(CPUPPCState *env, const PPCOp *op)                           \
    {                                                                                              \
        return do_stcx(env, op, size);                                                             \
    }

ATOMIC_PAIR(b, 1)
ATOMIC_PAIR(h, 2)
ATOMIC_PAIR(w, 4)
ATOMIC_PAIR(d, 8)

/* lqarx: the reservation remembers both doublewords */
static const PPCOp *op_lqarx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_x_any(env, op), hi, lo;
    uint8_t *host;

    if (ea & 15) {
        return raise_alignment(env, op, ea);
    }
    host = ppc_tlb_read_ptr(env, ea, 16);
    env->reserve_seq = host ? resv_begin(host) : RESV_SEQ_BUSY;
    if (!load_quad(env, op, ea, &hi, &lo)) {
        return NULL;
    }
    if (!host) {
        /* The load filled the TLB: read again after taking the sequence. */
        host = ppc_tlb_read_ptr(env, ea, 16);
        if (host) {
            env->reserve_seq = resv_begin(host);
            quad_to_regs(quad_load(host), op->flags & PPC_OPF_LE, &hi, &lo);
        }
    }
    env->reserve_addr = ea;
    env->reserve_len = 16;
    env->reserve_val = hi;
    env->reserve_val2 = lo;
    env->gpr[op->rt] = hi;
    env->gpr[op->rt + 1] = lo;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_stqcx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = ea_x_any(env, op);
    bool stored = false;

    if (ea & 15) {
        return raise_alignment(env, op, ea);
    }
    if (env->reserve_addr == ea && env->reserve_len == 16 &&
        !store_conditional(env, op, ea, 16, env->gpr[op->rt], env->gpr[op->rt + 1], &stored)) {
        return NULL;
    }
    return stcx_done(env, op, stored);
}

/* lqarx RTp: odd, or equal to RA or RB, is an invalid form (as QEMU checks) */
static bool decode_lqarx(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    return !(op->rt & 1) && op->rt != op->ra && op->rt != op->rb;
}

/* stqcx. RSp odd is an invalid form */
static bool decode_stqcx(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    return !(op->rt & 1);
}

/* ---- The table ------------------------------------------------------------ */

#define OPCD(n) ((uint32_t)(n) << 26)
#define XO(n) ((uint32_t)(n) << 1)
#define MASK_D 0xfc000000u
#define MASK_DS 0xfc000003u
/*
 * Bit 31 ignored: the EH hint of l*arx and, as QEMU 7.2 decodes them, the
 * reserved bit of st*cx., which behaves the same with it 0.
 */
#define MASK_XI 0xfc0007feu

/* clang-format off */
#define X_ATOMIC(name, xo, dec) { #name, OPCD(31) | XO(xo), MASK_XI, dec, op_##name, 0 }
/* clang-format on */

static const PPCInsnDef atomic_insns[] = {
    { "lq", OPCD(56), MASK_D, decode_lq, op_lq, 0 },
    { "stq", OPCD(62) | 2, MASK_DS, decode_stq, op_stq, 0 },
    X_ATOMIC(lbarx, 52, ppc_decode_x),
    X_ATOMIC(lharx, 116, ppc_decode_x),
    X_ATOMIC(lwarx, 20, ppc_decode_x),
    X_ATOMIC(ldarx, 84, ppc_decode_x),
    X_ATOMIC(lqarx, 276, decode_lqarx),
    X_ATOMIC(stbcx, 694, ppc_decode_x),
    X_ATOMIC(sthcx, 726, ppc_decode_x),
    X_ATOMIC(stwcx, 150, ppc_decode_x),
    X_ATOMIC(stdcx, 214, ppc_decode_x),
    X_ATOMIC(stqcx, 182, decode_stqcx),
};

static void ppc_insn_atomic_register(void)
{
    ppc_insn_register(atomic_insns, ARRAY_SIZE(atomic_insns));
}

module_init(ppc_insn_atomic_register)

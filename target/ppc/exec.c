/*
 * The execution engine: translated blocks (decoded once, looked up by
 * address and the MSR bits that change meaning), the loop that runs them,
 * the soft TLB's slow paths, self-modifying-code detection and interrupts.
 */
#include <sys/mman.h>

#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "qemu/error-report.h"
#include "qemu/host-mem.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/icount.h"
#include "target/ppc/internal.h"

#define TB_MAX_INSNS PPC_TB_MAX_INSNS
#define TB_HASH_BITS 15
#define TB_JMP_CACHE_BITS 12
/*
 * At a flush, the arena's and the JIT buffer's pages past the filling that
 * ends go back to the host when they are at least this much: see tb_flush_now.
 */
#define TB_TRIM_MIN (1u << 20)
/*
 * Bytes of arena before a flush, a CPU.  A cache is emptied whole
 * only when full (or on request: reset, a store that raced); a write into
 * code retires that page's blocks, whose space stays used until then, and
 * a guest's rarely run code keeps adding blocks for a long time: its pages
 * stay resident up to this, with about as much again of host code.  The
 * size is the trade between translations and peak RSS: a VOF Linux boot to
 * power-off translates 112,000 blocks (3 full flushes) with 10 MiB and
 * 102,000 (2) with 14 MiB, whose peak RSS is 10 MB higher (154 against
 * 144 MB; QEMU 7.2's is 251 MB); docs/devel/profiling.rst.
 */
#define TB_ARENA_BYTES (10u << 20)
#define TB_XPAGE_LINKS 256   /* links across pages kept until a TLB flush */
#define PPC_CHAIN_BUDGET 64  /* chained blocks between two loop iterations */
#define TB_PAGE_HASH_BITS 12 /* blocks by the real page they were read from */
#define TB_INVAL_PAGES 64    /* written pages queued for a CPU, then a whole flush */
/*
 * A compiled block ending in a conditional branch continues past it as a
 * trace (see tb_jit): at most this many instructions after the branch, in
 * the arena after the block (TB_EXT_SIZE: the ops, an end op, chain slots).
 */
#define TB_EXT_MAX 32
#define TB_EXT_SIZE(m) (((m) + 1) * sizeof(PPCOp) + PPC_CHAIN_SLOTS * sizeof(PPCOp *))

/* The MSR bits a block's decoding depends on. */
#define TB_MSR_MASK                                                                                \
    (MSR_SF | MSR_HV | MSR_PR | MSR_IR | MSR_DR | MSR_LE | MSR_FP | MSR_VEC | MSR_VSX | MSR_SE |   \
     MSR_BE)
/*
 * The facility bits: a supervisor block without FP, VMX or VSX instructions
 * decodes the same under any of them, so it is one translation for all
 * (TranslationBlock.shared).  Linux runs its code with them on and off (on
 * while a task's registers are live), and a boot translated 40% of its
 * kernel ops again for another combination of them before blocks were shared.
 */
#define TB_FACILITY (MSR_FP | MSR_VEC | MSR_VSX)
/* Single-step or branch trace: blocks of one instruction, see trace_step(). */
#define TB_TRACED (MSR_SE | MSR_BE)
/* Blocks of one interpreted instruction: traced, or for the debugger. */
#define TB_ONE_INSN (TB_TRACED | PPC_TB_DEBUG_ONE | PPC_TB_ICOUNT_ONE)

typedef struct TranslationBlock TranslationBlock;
struct TranslationBlock {
    uint64_t pc;
    uint64_t ra; /* the real address pc translated to */
    uint64_t flags;
    uint16_t n_insns;
    uint16_t wait; /* jit_wait: the runs left before it is compiled */
    /*
     * Supervisor code with no op that needs a facility (PPC_OPF_FACILITY):
     * valid whatever TB_FACILITY bits the MSR has (flags holds those of its
     * translation); its end op says so too (PPC_OPF_SHARED).  User blocks are
     * never shared, so user code runs as before.
     */
    bool shared;
    /*
     * Interpreted until its jit_after'th run, then compiled (see
     * op_tb_wait): ops[0].fn counts its runs meanwhile, and first_fn is the
     * first op's own handler.  The header stays 56 bytes: the fields fill
     * padding, and a block has first_fn only until it has jit_stop.
     */
    bool jit_wait;
    bool ends_block; /* ppc_jit_block's last_ends_block, kept for then */
    TranslationBlock *hash_next;
    TranslationBlock *page_next; /* the next block in its page bucket */
    union {
        void *jit_stop;    /* compiled: where its code leaves at its start */
        PPCOpFn *first_fn; /* jit_wait */
    };
    PPCOp ops[]; /* n_insns ops, the block-end op, then the chain slots (ppc_op_chain()) */
};

/* The arena bytes of a block of n instructions. */
#define TB_SIZE(n)                                                                                 \
    (sizeof(TranslationBlock) + ((n) + 1) * sizeof(PPCOp) + PPC_CHAIN_SLOTS * sizeof(PPCOp *))

typedef struct JmpCacheEntry {
    uint64_t pc;
    uint64_t ra;
    uint64_t flags;
    TranslationBlock *tb;
} JmpCacheEntry;

struct PPCTBCache {
    uint8_t *arena;
    size_t arena_size;
    size_t arena_used;
    size_t arena_high; /* the most of the arena touched since its last trim */
    size_t n_tbs;      /* blocks translated since the last flush (ppc_tb_count) */
    TranslationBlock *hash[1 << TB_HASH_BITS];
    TranslationBlock *page_hash[1 << TB_PAGE_HASH_BITS];
    JmpCacheEntry jmp_cache[1 << TB_JMP_CACHE_BITS];
    volatile int flush_pending;
    /*
     * Real pages written since they were translated, whose blocks this CPU
     * drops at its next block boundary (any thread queues, under the lock);
     * a full queue becomes a whole flush.
     */
    QemuMutex inval_lock;
    volatile int inval_pending;
    unsigned n_inval;
    uint64_t inval[TB_INVAL_PAGES];
    unsigned generation; /* counts flushes */
    /* for PPC_TLB_STATS (a statistic, this CPU's own) */
    struct {
        uint64_t blocks;         /* translated */
        uint64_t flushes_full;   /* whole flushes: arena or code buffer full */
        uint64_t flushes_asked;  /* whole flushes: ppc_tb_flush (code written, reset...) */
        uint64_t pages_retired;  /* written pages whose blocks were dropped */
        uint64_t blocks_retired; /* their blocks */
        uint64_t compiled;       /* blocks compiled to host code */
        uint64_t traces;         /* of those, compiled with an extension (tb_jit) */
    } stats;
    PPCJit *jit;        /* NULL: blocks are interpreted */
    unsigned jit_after; /* a block is compiled at this run (1: when translated) */
    /*
     * Links from a block to one in another effective page, made with
     * instruction translation on: each holds only while that page's
     * translation does, so every soft-TLB flush undoes them.  An op whose
     * chain slots point there, or (jit_site) the compiled jump patched.
     */
    struct {
        PPCOp *from;
        void *jit_site;
        uint64_t to; /* the target's address */
    } xpage[TB_XPAGE_LINKS];
    unsigned n_xpage;
};

/* -accel tcg,x-jit=off turns the JIT off (for comparisons and debugging). */
static bool jit_enabled = true;

void ppc_cpu_set_jit(bool on)
{
    jit_enabled = on;
}

/*
 * -accel tcg,x-jit-after=N: a block is interpreted for its first N - 1
 * runs and compiled at its Nth.  About half the blocks of a Linux boot run
 * fewer than 8 times: compiling them costs more host time than it saves,
 * and their code fills the JIT buffer (its pages are the emulator's RSS).
 * Tests of the JIT use 1 (compile when translated), so that all code they
 * run is compiled.  Read by a CPU when it first runs, as jit_enabled.
 */
static unsigned jit_after = PPC_JIT_AFTER_DEFAULT;

void ppc_cpu_set_jit_after(unsigned n)
{
    jit_after = MIN(MAX(n, 1u), PPC_JIT_AFTER_MAX);
}

_Static_assert(PPC_JIT_AFTER_MAX - 1 <= UINT16_MAX, "TranslationBlock.wait holds the runs before");
_Static_assert(TB_MAX_INSNS <= UINT16_MAX, "TranslationBlock.n_insns holds a block's length");

/*
 * The CPUs that have run (their translations, TLBs and shootdown state):
 * added by their own threads, read by any; registration under a lock, the
 * array never moves (readers take a count, then the entries before it).
 */
#define PPC_MAX_CPUS 4096
static PowerPCCPU *all_cpus_list[PPC_MAX_CPUS];
static unsigned all_cpus_count;
static QemuMutex all_cpus_lock = QEMU_MUTEX_INITIALIZER;

static inline unsigned all_cpus_len(void)
{
    return __atomic_load_n(&all_cpus_count, __ATOMIC_ACQUIRE);
}

static inline PowerPCCPU *all_cpus_get(unsigned i)
{
    return __atomic_load_n(&all_cpus_list[i], __ATOMIC_RELAXED);
}
/* The CPU this thread is running, inside ppc_cpu_exec(). */
static __thread PowerPCCPU *current_cpu;

/* ---- Soft TLB ----------------------------------------------------------- */

static void tb_unlink_xpage(PPCTBCache *c);
static void tb_unlink_xpage_into(PPCTBCache *c, uint64_t ea, uint64_t size);

/* Every write entry emptied; atomic stores: other CPUs read them (tlb_drop_write_page). */
static inline void tlb_clear_write(CPUPPCState *env)
{
    for (unsigned i = 0; i < PPC_TLB_SIZE; i++) {
        __atomic_store_n(&env->tlb_write[i].tag, (uint64_t)-1, __ATOMIC_RELAXED);
    }
}

static inline PPCTLBEntry *tlb_table(CPUPPCState *env, unsigned table)
{
    return table == PPC_TLB_READ    ? env->tlb_read
           : table == PPC_TLB_WRITE ? env->tlb_write
                                    : env->tlb_code;
}

/*
 * Entry e of table is being filled: remember it for the next flush when it
 * was empty (an entry filled over another was listed when that one was).
 */
static inline void tlb_note_fill(CPUPPCState *env, const PPCTLBEntry *e, unsigned table)
{
    env->tlb_stats.fill[table]++;
    if (!env->tlb_listed || __atomic_load_n(&e->tag, __ATOMIC_RELAXED) != (uint64_t)-1) {
        return;
    }
    if (env->tlb_filled_n == PPC_TLB_FILLED_MAX) {
        env->tlb_listed = false; /* too many: the next flush empties everything */
        return;
    }
    env->tlb_filled[env->tlb_filled_n++] =
        (uint16_t)((table << PPC_TLB_BITS) | (unsigned)(e - tlb_table(env, table)));
}

_Static_assert(PPC_TLB_BITS + 2 <= 16, "tlb_filled codes are 16 bits");

/* Entry e of table, just filled, depends on AMR: an AMR write must empty it. */
static inline void tlb_note_amr(CPUPPCState *env, const PPCTLBEntry *e, unsigned table)
{
    if (!env->tlb_amr_listed) {
        return;
    }
    if (env->tlb_amr_n == PPC_TLB_AMR_MAX) {
        env->tlb_amr_listed = false; /* too many: the next AMR write empties all */
        return;
    }
    env->tlb_amr[env->tlb_amr_n++] =
        (uint16_t)((table << PPC_TLB_BITS) | (unsigned)(e - tlb_table(env, table)));
}

/* The entries of the tables in mask (1 << table) emptied; the others' stay listed. */
static void tlb_empty_filled(CPUPPCState *env, unsigned mask)
{
    unsigned kept = 0;

    if ((mask & 3) == 3) {
        /* every load and store entry goes: none is left depending on AMR */
        env->tlb_amr_n = 0;
        env->tlb_amr_listed = true;
    }
    if (!env->tlb_listed) {
        if (mask & (1u << PPC_TLB_READ)) {
            memset(env->tlb_read, 0xff, sizeof(env->tlb_read));
        }
        if (mask & (1u << PPC_TLB_WRITE)) {
            tlb_clear_write(env);
        }
        if (mask & (1u << PPC_TLB_CODE)) {
            memset(env->tlb_code, 0xff, sizeof(env->tlb_code));
        }
        /* with a table left, its entries are not all listed: stay unlisted */
        if (mask == 7) {
            env->tlb_filled_n = 0;
            env->tlb_listed = true;
            env->tlb_stats.flush_all++;
        }
        return;
    }
    for (unsigned i = 0; i < env->tlb_filled_n; i++) {
        unsigned code = env->tlb_filled[i], table = code >> PPC_TLB_BITS;

        if (mask & (1u << table)) {
            /* atomic: other CPUs read write entries (tlb_drop_write_page) */
            __atomic_store_n(&tlb_table(env, table)[code & (PPC_TLB_SIZE - 1)].tag, (uint64_t)-1,
                             __ATOMIC_RELAXED);
        } else {
            env->tlb_filled[kept++] = (uint16_t)code;
        }
    }
    env->tlb_filled_n = kept;
}

void ppc_tlb_flush_keep_pwc(CPUPPCState *env)
{
    /* CPUPPCState is the first member of PowerPCCPU. */
    PowerPCCPU *cpu = (PowerPCCPU *)env;

    if (cpu->tbs) {
        tb_unlink_xpage(cpu->tbs);
    }
    env->tlb_stats.flushes++;
    tlb_empty_filled(env, 7);
    memset(env->ind_cache, 0xff, sizeof(env->ind_cache));
}

/*
 * A PIDR write or a whole-PID tlbie changes one process's translations:
 * quadrant 0's (PIDR's process) or quadrant 3's (process 0).  The listed
 * entries of that quadrant are emptied, whatever their regime (real-mode
 * entries too: a superset), and so are the empty or dropped slots left in
 * the list; the rest stay listed.
 */
void ppc_tlb_flush_quadrant(CPUPPCState *env, unsigned quadrant)
{
    PowerPCCPU *cpu = (PowerPCCPU *)env;
    uint64_t base = (uint64_t)quadrant << 62;
    unsigned kept = 0;

    if (!env->tlb_listed) {
        ppc_tlb_flush_keep_pwc(env);
        return;
    }
    env->tlb_stats.flush_quadrant++;
    if (cpu->tbs) {
        tb_unlink_xpage_into(cpu->tbs, base, 1ULL << 62);
    }
    for (unsigned i = 0; i < env->tlb_filled_n; i++) {
        unsigned code = env->tlb_filled[i];
        PPCTLBEntry *e = &tlb_table(env, code >> PPC_TLB_BITS)[code & (PPC_TLB_SIZE - 1)];
        uint64_t tag = __atomic_load_n(&e->tag, __ATOMIC_RELAXED);

        if (tag >= PPC_TLB_DROPPED || tag >> 62 == quadrant) {
            /* atomic: other CPUs read write entries (tlb_drop_write_page) */
            __atomic_store_n(&e->tag, (uint64_t)-1, __ATOMIC_RELAXED);
        } else {
            env->tlb_filled[kept++] = (uint16_t)code;
        }
    }
    env->tlb_filled_n = kept;
    for (unsigned i = 0; i < PPC_IND_CACHE_SIZE; i++) {
        if (env->ind_cache[i].pc >> 62 == quadrant) {
            memset(&env->ind_cache[i], 0xff, sizeof(env->ind_cache[i]));
        }
    }
}

void ppc_tlb_flush(CPUPPCState *env)
{
    ppc_tlb_flush_keep_pwc(env);
    ppc_pwc_flush(env);
}

void ppc_pwc_flush(CPUPPCState *env)
{
    env->tlb_stats.pwc_flushes++;
    memset(env->pwc, 0xff, sizeof(env->pwc));
}

void ppc_pwc_flush_pid(CPUPPCState *env, uint64_t pid)
{
    for (unsigned i = 0; i < PPC_PWC_SIZE; i++) {
        if (env->pwc[i].pid == pid) {
            memset(&env->pwc[i], 0xff, sizeof(env->pwc[i]));
        }
    }
}

void ppc_pwc_flush_region(CPUPPCState *env, uint64_t ea)
{
    /* any quadrant: the index ignores it */
    memset(&env->pwc[(ea >> 21) & (PPC_PWC_SIZE - 1)], 0xff, sizeof(env->pwc[0]));
}

/*
 * The code TLB's index of pc's page: the page number with the address's top
 * 12 bits mixed in, so that a kernel page (0xc000...) and the user page with
 * the same low bits do not evict each other at every system call and return
 * (Linux's vectors at 0xc000000000004000 + n under AIL=3, and user code at
 * 0x10004000).  The load and store tables keep the plain page index, which
 * the JIT computes inline.
 */
static inline unsigned tlb_code_index(uint64_t pc)
{
    return (unsigned)((pc >> PPC_PAGE_BITS) ^ (pc >> 52)) & (PPC_TLB_SIZE - 1);
}

/*
 * An entry filled for an effective page in [ea, ea + size), of any regime.
 * An entry sits at its page's index (tlb_code_index() for code): a range
 * within the table's reach looks at those indexes only.  Atomic: other
 * CPUs read write entries (tlb_drop_write_page).
 */
static inline void tlb_drop_range(PPCTLBEntry *t, uint64_t ea, uint64_t size, bool code)
{
    bool all = size >= PPC_TLB_SIZE * PPC_PAGE_SIZE;
    unsigned n = all ? PPC_TLB_SIZE : (unsigned)(size >> PPC_PAGE_BITS);

    for (unsigned k = 0; k < n; k++) {
        uint64_t page = ea + ((uint64_t)k << PPC_PAGE_BITS);
        unsigned i = all    ? k
                     : code ? tlb_code_index(page)
                            : (unsigned)(page >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1);
        uint64_t tag = __atomic_load_n(&t[i].tag, __ATOMIC_RELAXED);

        if (tag < PPC_TLB_DROPPED && (tag & PPC_PAGE_MASK) - ea < size) {
            __atomic_store_n(&t[i].tag, (uint64_t)-1, __ATOMIC_RELAXED);
        }
    }
}

void ppc_tlb_flush_range(CPUPPCState *env, uint64_t ea, uint64_t size)
{
    PowerPCCPU *cpu = (PowerPCCPU *)env;

    ea &= PPC_PAGE_MASK;
    env->tlb_stats.ranges++;
    if (cpu->tbs) {
        tb_unlink_xpage_into(cpu->tbs, ea, size);
    }
    tlb_drop_range(env->tlb_read, ea, size, false);
    tlb_drop_range(env->tlb_write, ea, size, false);
    tlb_drop_range(env->tlb_code, ea, size, true);
    for (unsigned i = 0; i < PPC_IND_CACHE_SIZE; i++) {
        if (env->ind_cache[i].pc - ea < size) {
            memset(&env->ind_cache[i], 0xff, sizeof(env->ind_cache[i]));
        }
    }
}

/*
 * An AMR write.  Under radix, AMR (key 0) limits only supervisor accesses
 * to non-privileged pages: the entries such accesses filled, listed in
 * tlb_amr, are emptied and the others (problem state's, the kernel's own
 * pages') stay.  They are marked PPC_TLB_DROPPED, not emptied, as they
 * stay in tlb_filled.  Under the hash MMU, AMR limits every access through
 * the pages' keys: every load and store entry goes.
 */
void ppc_tlb_flush_data(CPUPPCState *env)
{
    env->tlb_stats.flush_data++;
    if (env->tlb_amr_listed && !ppc_tlb_amr_all && ppc_mmu_is_radix(env)) {
        for (unsigned i = 0; i < env->tlb_amr_n; i++) {
            unsigned code = env->tlb_amr[i];
            PPCTLBEntry *e = &tlb_table(env, code >> PPC_TLB_BITS)[code & (PPC_TLB_SIZE - 1)];

            /* atomic: other CPUs read write entries (tlb_drop_write_page) */
            if (__atomic_load_n(&e->tag, __ATOMIC_RELAXED) < PPC_TLB_DROPPED) {
                __atomic_store_n(&e->tag, PPC_TLB_DROPPED, __ATOMIC_RELAXED);
            }
        }
        env->tlb_amr_n = 0;
        return;
    }
    env->tlb_stats.flush_data_all++;
    tlb_empty_filled(env, (1u << PPC_TLB_READ) | (1u << PPC_TLB_WRITE));
}

/*
 * TLB shootdown.  A CPU running blocks on another thread is asked to flush
 * (a request it honours at its next block boundary: chain_stop makes
 * compiled and chained code return to the loop); the caller's own CPU then
 * owes a wait (tlb_sync_needed) that ppc_tlb_sync() pays at ptesync,
 * tlbsync or the end of the hypercall, so no CPU keeps using a stale
 * translation once the issuing CPU has passed that point.
 */
void ppc_tlb_flush_cpu(PowerPCCPU *cpu)
{
    if (cpu == current_cpu || !cpu->tbs) {
        ppc_tlb_flush(&cpu->env);
        return;
    }
    __atomic_fetch_add(&cpu->env.tlb_flush_req, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu->env.chain_stop, 1, __ATOMIC_SEQ_CST);
    if (current_cpu) {
        current_cpu->env.tlb_sync_needed = 1;
    }
}

void ppc_tlb_flush_others(void)
{
    for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
        PowerPCCPU *cpu = all_cpus_get(i);

        if (cpu != current_cpu) {
            ppc_tlb_flush_cpu(cpu);
        }
    }
}

void ppc_tlb_flush_all_cpus(void)
{
    /* the caller's own CPU (current_cpu) is flushed at once, in the loop */
    for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
        ppc_tlb_flush_cpu(all_cpus_get(i));
    }
}

/*
 * Every CPU drops its soft-TLB entries (write entries among them) and this
 * thread, which is no vCPU, waits until each has done so or is not running
 * blocks (it flushes before it runs one).  For the dirty-page tracking of
 * migration: after this, every store fills a write entry again, which
 * marks the page dirty.
 */
static void ppc_tlb_drop_writes_all_cpus(void)
{
    unsigned n = all_cpus_len();
    g_autofree uint32_t *want = g_new(uint32_t, MAX(n, 1));

    for (unsigned i = 0; i < n; i++) {
        CPUPPCState *env = &all_cpus_get(i)->env;

        want[i] = __atomic_add_fetch(&env->tlb_flush_req, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&env->chain_stop, 1, __ATOMIC_SEQ_CST);
    }
    for (unsigned i = 0; i < n; i++) {
        CPUPPCState *env = &all_cpus_get(i)->env;

        while (__atomic_load_n(&env->in_guest, __ATOMIC_SEQ_CST) &&
               (int32_t)(__atomic_load_n(&env->tlb_flush_done, __ATOMIC_ACQUIRE) - want[i]) < 0) {
            sched_yield();
        }
    }
}

/* A flush was asked of this CPU: empty its soft TLBs and say so. */
static inline void tlb_flush_if_requested(CPUPPCState *env)
{
    uint32_t req = __atomic_load_n(&env->tlb_flush_req, __ATOMIC_SEQ_CST);

    if (unlikely(req != env->tlb_flush_done)) {
        ppc_tlb_flush(env);
        __atomic_store_n(&env->tlb_flush_done, req, __ATOMIC_RELEASE);
    }
}

/*
 * Wait until every CPU this one asked to flush has done so, or is not
 * running blocks (it flushes before it runs one).  Meanwhile this CPU
 * honours requests aimed at itself, so two CPUs shooting each other down
 * cannot wait for each other.
 */
void ppc_tlb_sync(CPUPPCState *env)
{
    if (!env->tlb_sync_needed) {
        return;
    }
    env->tlb_sync_needed = 0;
    for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
        CPUPPCState *other = &all_cpus_get(i)->env;
        uint32_t want = __atomic_load_n(&other->tlb_flush_req, __ATOMIC_SEQ_CST);

        if (other == env) {
            continue;
        }
        while (__atomic_load_n(&other->in_guest, __ATOMIC_SEQ_CST) &&
               (int32_t)(__atomic_load_n(&other->tlb_flush_done, __ATOMIC_ACQUIRE) - want) < 0) {
            tlb_flush_if_requested(env);
            sched_yield();
        }
    }
}

/*
 * The big lock for a vCPU inside guest code (hypercalls, device registers,
 * the decrementer): while it waits for or holds the lock it uses no soft
 * TLB, so shootdowns do not wait for it; it catches up when it returns.
 */
void ppc_cpu_lock_iothread(CPUPPCState *env)
{
    __atomic_store_n(&env->in_guest, 0, __ATOMIC_SEQ_CST);
    qemu_mutex_lock_iothread();
}

void ppc_cpu_unlock_iothread(CPUPPCState *env)
{
    qemu_mutex_unlock_iothread();
    __atomic_store_n(&env->in_guest, 1, __ATOMIC_SEQ_CST);
    tlb_flush_if_requested(env);
    ppc_tlb_sync(env);
}

static inline bool tlb_drop_write_entry(PPCTLBEntry *e, uintptr_t host_page)
{
    uint64_t tag = __atomic_load_n(&e->tag, __ATOMIC_SEQ_CST);

    if (tag < PPC_TLB_DROPPED &&
        (tag & PPC_PAGE_MASK) + __atomic_load_n(&e->addend, __ATOMIC_RELAXED) == host_page) {
        __atomic_store_n(&e->tag, (uint64_t)-1, __ATOMIC_RELAXED);
        return true;
    }
    return false;
}

/*
 * A page became code: no CPU may keep a write entry that reaches it, or its
 * stores would miss the code-write check.  Other CPUs' entries are cleared
 * under their feet (one 8-byte store of the tag); a CPU filling an entry
 * concurrently checks the code bit again after filling (tlb_fill).  self
 * is the CPU this thread runs: its own table is searched through its list
 * of filled entries when complete (only it writes the list), another's
 * whole.
 */
static bool tlb_drop_write_page(CPUPPCState *self, CPUPPCState *env, uintptr_t host_page)
{
    bool dropped = false;

    if (env == self && env->tlb_listed) {
        for (unsigned i = 0; i < env->tlb_filled_n; i++) {
            unsigned code = env->tlb_filled[i];

            if (code >> PPC_TLB_BITS == PPC_TLB_WRITE) {
                dropped |=
                    tlb_drop_write_entry(&env->tlb_write[code & (PPC_TLB_SIZE - 1)], host_page);
            }
        }
        return dropped;
    }
    self->tlb_stats.code_drops++;
    for (unsigned i = 0; i < PPC_TLB_SIZE; i++) {
        dropped |= tlb_drop_write_entry(&env->tlb_write[i], host_page);
    }
    return dropped;
}

/*
 * The CPUs between making a page code and dropping every CPU's write entries
 * that reach it (tb_gen).  A CPU that finds its page already code must drop
 * its own entries only while another may still be on the way to its table:
 * that CPU counted itself before setting the bit, which this one has seen,
 * and uncounts itself after its scan.  Otherwise the entries are gone (the
 * scan cleared them, or the filler saw the bit), and the walk of this CPU's
 * filled entries at each translation (7% of a one-CPU Linux boot's samples) is
 * saved.
 */
static unsigned code_markers;

/*
 * Fill the TLB entry for ea's page, whose real page is ra_page; false when
 * it is not plain RAM (or, for writes, holds translated code).
 */
static bool tlb_fill(CPUPPCState *env, uint64_t ea, uint64_t ra_page, bool write)
{
    uint64_t page = ea & PPC_PAGE_MASK;
    uint8_t *host = guest_ram_ptr(ra_page, PPC_PAGE_SIZE);
    PPCTLBEntry *e;

    if (!host || (write && guest_ram_is_code(ra_page))) {
        return false;
    }
    if (unlikely(env->debug_flags)) {
        /* every access takes the slow path, where watchpoints are checked */
        return false;
    }
    e = write ? &env->tlb_write[(ea >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1)]
              : &env->tlb_read[(ea >> PPC_PAGE_BITS) & (PPC_TLB_SIZE - 1)];
    tlb_note_fill(env, e, write ? PPC_TLB_WRITE : PPC_TLB_READ);
    {
        /*
         * Statistics (PPC_TLB_STATS): a fill over a live entry is a conflict,
         * between a kernel and a user page (quadrants 3 and 0) or within one.
         */
        uint64_t prev = __atomic_load_n(&e->tag, __ATOMIC_RELAXED);

        if (prev < PPC_TLB_DROPPED) {
            if (prev >> 62 != page >> 62) {
                env->tlb_stats.evict_other++;
            } else {
                env->tlb_stats.evict_same++;
            }
        }
    }
    if (env->xlate_amr) {
        env->xlate_amr = false;
        tlb_note_amr(env, e, write ? PPC_TLB_WRITE : PPC_TLB_READ);
    }
    /* atomic: another CPU reads write entries (tlb_drop_write_page) */
    __atomic_store_n(&e->addend, (uintptr_t)host - page, __ATOMIC_RELAXED);
    if (!write) {
        e->tag = page | env->tlb_regime;
        return true;
    }
    /*
     * Dirty tracking (migration): the page is marked before a store can
     * reach it through the entry; guest_ram_dirty_sync() drops the entries
     * (ppc_tlb_drop_writes_all_cpus) after taking the marks.
     */
    guest_ram_mark_dirty(ra_page);
    /*
     * Another CPU may make the page code meanwhile (tb_gen): it sets the bit,
     * then looks at our tags; we set the tag, then look at the bit (both
     * sequentially consistent), so one of us sees the other.
     */
    __atomic_store_n(&e->tag, page | env->tlb_regime, __ATOMIC_SEQ_CST);
    if (unlikely(guest_ram_is_code(ra_page))) {
        __atomic_store_n(&e->tag, (uint64_t)-1, __ATOMIC_RELAXED);
        return false;
    }
    return true;
}

/* Translate ea for op's access; false after raising the interrupt it caused. */
static bool xlate(CPUPPCState *env, const PPCOp *op, uint64_t ea, PPCAccessType type, uint64_t *ra)
{
    PPCXlateFault fault;

    if (likely(ppc_xlate(env, ea, type, false, ra, &fault))) {
        return true;
    }
    ppc_raise_xlate_fault(env, op->pc, ea, &fault);
    return false;
}

/*
 * Machine check for a load or store that reached nothing (POWER9, as its
 * firmware and Linux decode it): a load sets SRR1[42] (the error is a
 * load/store one, described by DSISR) and DSISR[57] "load real address
 * error"; a store, which POWER9 reports asynchronously, sets SRR1[36,43,45]
 * "store real address error".  Both set DAR to the effective address; SRR0
 * is the instruction (our stores are precise).  QEMU 7.2 reads zeros and
 * drops the store instead.
 */
#define SRR1_MC_LOADSTORE PPC_BIT(42)
#define SRR1_MC_STORE_RA (PPC_BIT(36) | PPC_BIT(43) | PPC_BIT(45))
#define SRR1_MC_IFETCH_RA (PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45))
#define DSISR_MC_LOAD_RA PPC_BIT(57)

static bool access_fault(CPUPPCState *env, const PPCOp *op, uint64_t ea, bool store)
{
    qemu_log_mask(LOG_GUEST_ERROR,
                  "%s outside RAM and devices at 0x%" PRIx64 " (pc 0x%" PRIx64 ")\n",
                  store ? "store" : "load", ea, op->pc);
    env->spr[SPR_DAR] = ea;
    if (!store) {
        env->spr[SPR_DSISR] = DSISR_MC_LOAD_RA;
    }
    ppc_raise(env, PPC_VEC_MACHINE_CHECK, op->pc, store ? SRR1_MC_STORE_RA : SRR1_MC_LOADSTORE);
    return false;
}

/* The access stays inside ea's page. */
static inline bool in_one_page(uint64_t ea, unsigned size)
{
    return (ea & ~PPC_PAGE_MASK) + size <= PPC_PAGE_SIZE;
}

/*
 * A device register (the memory map), at real address ra: under the big
 * lock, which the device callbacks need.  Such pages never enter the soft
 * TLB, so every access to them comes here.  Big-endian assembly, as every
 * slow-path value.
 */
static bool mmio_load(CPUPPCState *env, const PPCOp *op, uint64_t ea, uint64_t ra, unsigned size,
                      uint64_t *val)
{
    bool ok;

    ppc_cpu_lock_iothread(env);
    ok = memory_map_read(ra, size, true, val);
    ppc_cpu_unlock_iothread(env);
    return ok || access_fault(env, op, ea, false);
}

static bool mmio_store(CPUPPCState *env, const PPCOp *op, uint64_t ea, uint64_t ra, unsigned size,
                       uint64_t val)
{
    bool ok;

    ppc_cpu_lock_iothread(env);
    ok = memory_map_write(ra, size, true, val);
    ppc_cpu_unlock_iothread(env);
    return ok || access_fault(env, op, ea, true);
}

bool ppc_ld_real(CPUPPCState *env, const PPCOp *op, uint64_t ra, unsigned size, uint64_t *val)
{
    return mmio_load(env, op, ra, ra, size, val);
}

bool ppc_st_real(CPUPPCState *env, const PPCOp *op, uint64_t ra, unsigned size, uint64_t val)
{
    return mmio_store(env, op, ra, ra, size, val);
}

bool ppc_ld_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size, uint64_t *val)
{
    uint64_t v = 0, ra;

    if (!xlate(env, op, ea, PPC_ACCESS_LOAD, &ra)) {
        return false;
    }
    if (unlikely(env->debug_flags)) {
        ppc_debug_check_access(env, ea, size, false);
    }
    if (in_one_page(ea, size)) {
        uint8_t *host;

        if (tlb_fill(env, ea, ra & PPC_PAGE_MASK, false)) {
            *val = ppc_mem_to_val(ppc_tlb_read_ptr(env, ea, size), size, false);
            return true;
        }
        host = unlikely(env->debug_flags) ? guest_ram_ptr(ra, size) : NULL;
        if (host) {
            *val = ppc_mem_to_val(host, size, false);
            return true;
        }
        return mmio_load(env, op, ea, (ra & PPC_PAGE_MASK) | (ea & ~PPC_PAGE_MASK), size, val);
    }
    /* Crossing a page: byte by byte in RAM (devices see no split accesses). */
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = ppc_ea(op, ea + i);
        uint8_t b;

        if (i && !(a & ~PPC_PAGE_MASK) && !xlate(env, op, a, PPC_ACCESS_LOAD, &ra)) {
            return false;
        }
        if (!guest_ldub((ra & PPC_PAGE_MASK) | (a & ~PPC_PAGE_MASK), &b)) {
            return access_fault(env, op, a, false);
        }
        v = (v << 8) | b;
    }
    *val = v;
    return true;
}

bool ppc_st_slow(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size, uint64_t val)
{
    uint64_t ra[8] = { 0 }, page_ra = 0;

    /* Translate and check every byte first: a failing store changes nothing. */
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = ppc_ea(op, ea + i);

        if ((!i || !(a & ~PPC_PAGE_MASK)) && !xlate(env, op, a, PPC_ACCESS_STORE, &page_ra)) {
            return false;
        }
        ra[i] = (page_ra & PPC_PAGE_MASK) | (a & ~PPC_PAGE_MASK);
        if (!guest_range_valid(ra[i], 1)) {
            if (!i && in_one_page(ea, size)) {
                return mmio_store(env, op, ea, ra[0], size, val);
            }
            return access_fault(env, op, a, true);
        }
    }
    if (unlikely(env->debug_flags)) {
        ppc_debug_check_access(env, ea, size, true);
    }
    if (in_one_page(ea, size)) {
        /*
         * One host store, as the fast path's: another CPU never sees an aligned
         * access half done (the ISA's single-copy atomicity; a byte loop let a
         * reader see a doubleword's first bytes new and its last byte old).
         */
        ppc_val_to_mem(guest_ram_ptr(ra[0], size), size, val, false);
        guest_ram_note_write(ra[0], size);
    } else {
        for (unsigned i = 0; i < size; i++) {
            /* guest_stb tells the code-write notifier when it hits code. */
            guest_stb(ra[i], val >> (8 * (size - 1 - i)));
        }
    }
    /* Next time, the fast path (unless the page still holds code). */
    tlb_fill(env, ea, ra[0] & PPC_PAGE_MASK, true);
    return true;
}

uint8_t *ppc_atomic_host_ptr(CPUPPCState *env, const PPCOp *op, uint64_t ea, unsigned size,
                             bool *ok, uint64_t *ra)
{
    uint8_t *p = ppc_tlb_write_ptr(env, ea, size);

    *ok = true;
    *ra = (uint64_t)-1;
    if (likely(p)) {
        return p;
    }
    if (!xlate(env, op, ea, PPC_ACCESS_STORE, ra)) {
        *ok = false;
        return NULL;
    }
    if (unlikely(env->debug_flags)) {
        ppc_debug_check_access(env, ea, size, true);
    }
    tlb_fill(env, ea, *ra & PPC_PAGE_MASK, true);
    return guest_ram_ptr(*ra, size);
}

/*
 * The real address of the code at pc, through the code TLB (whose addend
 * is real minus effective).  false: the fetch faults, *fault says how.
 */
static bool code_ra(CPUPPCState *env, uint64_t pc, uint64_t *ra, PPCXlateFault *fault)
{
    PPCTLBEntry *e = &env->tlb_code[tlb_code_index(pc)];
    uint64_t page = pc & PPC_PAGE_MASK, ra_page;

    if (likely(e->tag == (page | env->tlb_regime))) {
        *ra = pc + e->addend;
        return true;
    }
    if (!ppc_xlate(env, page, PPC_ACCESS_FETCH, false, &ra_page, fault)) {
        return false;
    }
    tlb_note_fill(env, e, PPC_TLB_CODE);
    e->tag = page | env->tlb_regime;
    e->addend = ra_page - page;
    *ra = pc + e->addend;
    return true;
}

/* ---- Translated blocks --------------------------------------------------- */

/* The effective page of the block a chaining op belongs to (see PPC_OPF_BLOCK_END). */
static inline uint64_t chain_origin_page(const PPCOp *from)
{
    return ((from->flags & PPC_OPF_BLOCK_END) ? from->pc - 4 : from->pc) & PPC_PAGE_MASK;
}

/*
 * The translations changed (or may have): a link into another page may now
 * lead to code some other mapping put there, so each goes back to the loop,
 * whose lookup translates the address again.
 */
static void tb_unlink_xpage(PPCTBCache *c)
{
    for (unsigned i = 0; i < c->n_xpage; i++) {
        PPCOp *from = c->xpage[i].from;
        const PPCOp **chain = ppc_op_chain(from);

        if (c->xpage[i].jit_site) {
            ppc_jit_unlink(c->jit, c->xpage[i].jit_site);
            continue;
        }
        for (int s = 0; s < PPC_CHAIN_SLOTS; s++) {
            if (chain[s] && (chain[s]->pc & PPC_PAGE_MASK) != chain_origin_page(from)) {
                chain[s] = NULL;
            }
        }
    }
    c->n_xpage = 0;
}

/* Only the links into [ea, ea + size): one page's translation changed. */
static void tb_unlink_xpage_into(PPCTBCache *c, uint64_t ea, uint64_t size)
{
    unsigned kept = 0;

    for (unsigned i = 0; i < c->n_xpage; i++) {
        PPCOp *from = c->xpage[i].from;

        if (c->xpage[i].to - ea >= size) {
            c->xpage[kept++] = c->xpage[i];
        } else if (c->xpage[i].jit_site) {
            ppc_jit_unlink(c->jit, c->xpage[i].jit_site);
        } else {
            const PPCOp **chain = ppc_op_chain(from);

            for (int s = 0; s < PPC_CHAIN_SLOTS; s++) {
                if (chain[s] && chain[s]->pc - ea < size) {
                    chain[s] = NULL;
                }
            }
        }
    }
    c->n_xpage = kept;
}

static PPCTBCache *tb_cache_new(void)
{
    PPCTBCache *c = g_new0(PPCTBCache, 1);

    c->arena_size = TB_ARENA_BYTES;
    /*
     * Mapped, not allocated: the host gives pages as blocks are decoded into
     * them, so a CPU that runs little code costs little memory and start-up.
     */
    c->arena = qemu_anon_map_cache(c->arena_size, PROT_READ | PROT_WRITE);
    if (!c->arena) {
        error_exit("cannot map %zu bytes for translated code", c->arena_size);
    }
    memset(c->jmp_cache, 0xff, sizeof(c->jmp_cache));
    qemu_mutex_init(&c->inval_lock);
    c->jit = jit_enabled ? ppc_jit_new() : NULL;
    c->jit_after = jit_after;
    return c;
}

static void tb_flush_now(PowerPCCPU *cpu)
{
    PPCTBCache *c = cpu->tbs;

    /*
     * The arena and the JIT buffer are refilled from their starts, so the
     * pages a former, fuller filling touched past this one's end would stay
     * resident for ever: the emulator's memory would be that of the fullest
     * filling ever, growing slowly as a guest's flushes (code written, pages
     * reused) happen to come late.  They go back to the host; what this
     * filling used is kept for the next one.
     */
    c->arena_high = MAX(c->arena_high, c->arena_used);
    if (c->arena_high - c->arena_used >= TB_TRIM_MIN &&
        qemu_anon_trim_cache(c->arena, c->arena_used, c->arena_high)) {
        /* the huge page this filling ends in stays */
        c->arena_high = MIN(QEMU_ALIGN_UP(c->arena_used, QEMU_HUGE_PAGE_SIZE), c->arena_size);
    }
    /* Pages queued until now go with everything else; later ones stay queued. */
    qemu_mutex_lock(&c->inval_lock);
    c->n_inval = 0;
    __atomic_store_n(&c->inval_pending, 0, __ATOMIC_SEQ_CST);
    qemu_mutex_unlock(&c->inval_lock);
    c->arena_used = 0;
    c->n_tbs = 0;
    c->generation++;
    memset(c->hash, 0, sizeof(c->hash));
    memset(c->page_hash, 0, sizeof(c->page_hash));
    memset(c->jmp_cache, 0xff, sizeof(c->jmp_cache));
    memset(cpu->env.ind_cache, 0xff, sizeof(cpu->env.ind_cache));
    c->n_xpage = 0; /* the blocks they linked are gone */
    __atomic_store_n(&c->flush_pending, 0, __ATOMIC_RELAXED);
    if (c->jit) {
        ppc_jit_reset(c->jit);
    }
    cpu->env.chain_from = NULL;
    /*
     * The code bits stay: other CPUs may still run blocks of those pages.
     * A page's bit is cleared when a write hits it (code_written), which
     * retires its blocks in every CPU.
     */
}

void ppc_tb_flush(PowerPCCPU *cpu)
{
    if (cpu->tbs) {
        __atomic_store_n(&cpu->tbs->flush_pending, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&cpu->env.chain_stop, 1, __ATOMIC_SEQ_CST);
    }
}

/*
 * PPC_TLB_STATS=1: each CPU's soft-TLB counters on stderr when it goes
 * away or at exit (docs/devel/profiling.rst).  Read while other vCPUs may
 * still run: a statistic.
 */
static bool tlb_stats_on;
/* PPC_TLB_NO_PWC=1: radix walks start at the root every time (for measurements). */
bool ppc_pwc_off;
/* PPC_TLB_AMR_ALL=1: every AMR write empties all load and store entries (for measurements). */
bool ppc_tlb_amr_all;
/* PPC_TLB_NO_QUADRANT=1: PIDR writes and whole-PID tlbies empty everything (for measurements). */
bool ppc_tlb_quadrant_off;

static void tlb_stats_print(PowerPCCPU *cpu)
{
    const PPCTLBStats *st = &cpu->env.tlb_stats;

    fprintf(stderr,
            "tlb-stats: cpu %d: fills read %" PRIu64 " write %" PRIu64 " code %" PRIu64
            ", radix walks %" PRIu64 " (page-walk cache hits %" PRIu64 "), flushes %" PRIu64
            " (every entry %" PRIu64 "), page-walk cache flushes %" PRIu64 ", data flushes %" PRIu64
            " (every entry %" PRIu64 "), quadrant flushes %" PRIu64 ", ranges %" PRIu64
            ", code-page scans %" PRIu64
            ", load/store fills evicting another quadrant's entry %" PRIu64
            " (the same quadrant's %" PRIu64 ")\n",
            cpu->cpu_index, st->fill[PPC_TLB_READ], st->fill[PPC_TLB_WRITE], st->fill[PPC_TLB_CODE],
            st->walks, st->pwc_hits, st->flushes, st->flush_all, st->pwc_flushes, st->flush_data,
            st->flush_data_all, st->flush_quadrant, st->ranges, st->code_drops, st->evict_other,
            st->evict_same);
    if (cpu->tbs) {
        const PPCTBCache *c = cpu->tbs;

        fprintf(stderr,
                "tb-stats: cpu %d: blocks %" PRIu64 " (compiled %" PRIu64 ", traces %" PRIu64
                "), whole flushes %" PRIu64 " (cache full %" PRIu64 "), pages retired %" PRIu64
                " (blocks %" PRIu64 "), arena high %zu KiB\n",
                cpu->cpu_index, c->stats.blocks, c->stats.compiled, c->stats.traces,
                c->stats.flushes_full + c->stats.flushes_asked, c->stats.flushes_full,
                c->stats.pages_retired, c->stats.blocks_retired,
                MAX(c->arena_high, c->arena_used) >> 10);
    }
}

static void tlb_stats_print_all(void)
{
    qemu_mutex_lock(&all_cpus_lock);
    for (unsigned i = 0; i < all_cpus_count; i++) {
        tlb_stats_print(all_cpus_list[i]);
    }
    qemu_mutex_unlock(&all_cpus_lock);
}

void ppc_tb_cache_free(PowerPCCPU *cpu)
{
    if (cpu->tbs) {
        if (tlb_stats_on) {
            tlb_stats_print(cpu);
        }
        /* The CPU goes away with every vCPU stopped. */
        qemu_mutex_lock(&all_cpus_lock);
        for (unsigned i = 0; i < all_cpus_count; i++) {
            if (all_cpus_list[i] == cpu) {
                all_cpus_list[i] = all_cpus_list[all_cpus_count - 1];
                __atomic_store_n(&all_cpus_count, all_cpus_count - 1, __ATOMIC_RELEASE);
                break;
            }
        }
        qemu_mutex_unlock(&all_cpus_lock);
        munmap(cpu->tbs->arena, cpu->tbs->arena_size);
        qemu_mutex_destroy(&cpu->tbs->inval_lock);
        ppc_jit_free(cpu->tbs->jit);
        g_clear_pointer(&cpu->tbs, g_free);
    }
}

size_t ppc_tb_count(PowerPCCPU *cpu)
{
    return cpu->tbs ? cpu->tbs->n_tbs : 0;
}

size_t ppc_tb_resident(PowerPCCPU *cpu)
{
    PPCTBCache *c = cpu->tbs;

    return c ? qemu_anon_resident(c->arena, c->arena_size) + ppc_jit_resident(c->jit) : 0;
}

uint64_t ppc_tb_blocks(PowerPCCPU *cpu)
{
    return cpu->tbs ? cpu->tbs->stats.blocks : 0;
}

uint64_t ppc_tb_compiled(PowerPCCPU *cpu)
{
    return cpu->tbs ? cpu->tbs->stats.compiled : 0;
}

uint64_t ppc_tb_traces(PowerPCCPU *cpu)
{
    return cpu->tbs ? cpu->tbs->stats.traces : 0;
}

static unsigned tb_hash(uint64_t pc, uint64_t flags);

static unsigned tb_page_hash(uint64_t ra)
{
    uint64_t page = ra >> GUEST_CODE_PAGE_BITS;

    return (page ^ (page >> TB_PAGE_HASH_BITS)) & ((1u << TB_PAGE_HASH_BITS) - 1);
}

static const PPCOp *op_retired(CPUPPCState *env, const PPCOp *op)
{
    env->nip = op->pc;
    return NULL;
}

/*
 * A block whose page was written: no lookup finds it again, and whatever
 * still leads to it (a chained op, a patched jump, a cache entry not
 * cleared) leaves for the loop at its start, which translates it anew.
 * Its arena and code stay used until the next whole flush.
 */
static void tb_retire(PowerPCCPU *cpu, TranslationBlock *tb)
{
    PPCTBCache *c = cpu->tbs;
    TranslationBlock **pp = &c->hash[tb_hash(tb->pc, tb->flags)];
    JmpCacheEntry *j = &c->jmp_cache[(tb->pc >> 2) & ((1u << TB_JMP_CACHE_BITS) - 1)];
    PPCIndCacheEntry *e = &cpu->env.ind_cache[(tb->pc >> 2) & (PPC_IND_CACHE_SIZE - 1)];

    while (*pp && *pp != tb) {
        pp = &(*pp)->hash_next;
    }
    if (*pp) {
        *pp = tb->hash_next;
    }
    if (j->tb == tb) {
        memset(j, 0xff, sizeof(*j));
    }
    if (e->op == tb->ops) {
        memset(e, 0xff, sizeof(*e));
    }
    if (tb->jit_wait) {
        tb->jit_wait = false; /* never compiled now: the loop does not find it */
        tb->ops[0].fn = op_retired;
    } else if (tb->jit_stop) {
        ppc_jit_retire(c->jit, tb->ops, tb->jit_stop);
    } else {
        tb->ops[0].fn = op_retired;
    }
}

/* This CPU's blocks read from the real page at ra. */
static void tb_retire_page(PowerPCCPU *cpu, uint64_t ra)
{
    TranslationBlock **pp = &cpu->tbs->page_hash[tb_page_hash(ra)];
    uint64_t before = cpu->tbs->stats.blocks_retired;

    while (*pp) {
        TranslationBlock *tb = *pp;

        if ((tb->ra ^ ra) >> GUEST_CODE_PAGE_BITS) {
            pp = &tb->page_next;
        } else {
            *pp = tb->page_next;
            tb_retire(cpu, tb);
            cpu->tbs->stats.blocks_retired++;
        }
    }
    cpu->tbs->stats.pages_retired += cpu->tbs->stats.blocks_retired != before;
}

/* The pages other threads (or this one) queued: called between blocks. */
static void tb_retire_queued(PowerPCCPU *cpu)
{
    PPCTBCache *c = cpu->tbs;
    uint64_t pages[TB_INVAL_PAGES];
    unsigned n;

    __atomic_store_n(&c->inval_pending, 0, __ATOMIC_SEQ_CST);
    qemu_mutex_lock(&c->inval_lock);
    n = c->n_inval;
    memcpy(pages, c->inval, n * sizeof(pages[0]));
    c->n_inval = 0;
    qemu_mutex_unlock(&c->inval_lock);
    for (unsigned i = 0; i < n; i++) {
        tb_retire_page(cpu, pages[i]);
    }
}

/* Ask cpu to drop its blocks of one page before its next block. */
static void tb_retire_page_request(PowerPCCPU *cpu, uint64_t ra)
{
    PPCTBCache *c = cpu->tbs;
    bool full;

    if (!c) {
        return;
    }
    qemu_mutex_lock(&c->inval_lock);
    full = c->n_inval == TB_INVAL_PAGES;
    if (!full) {
        c->inval[c->n_inval++] = ra;
    }
    qemu_mutex_unlock(&c->inval_lock);
    if (full) {
        ppc_tb_flush(cpu);
        return;
    }
    __atomic_store_n(&c->inval_pending, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu->env.chain_stop, 1, __ATOMIC_SEQ_CST);
}

static void code_written_all(void);
/* PPC_TB_NO_RETIRE=1: a code write drops every block, as before (for measurements). */
static bool tb_no_retire;
/* PPC_JIT_NO_TRACE=1: compiled blocks end at their conditional branch (tb_jit), for comparisons. */
static bool tb_no_trace;

/*
 * A host write or a guest store hit translated code on the page at ra:
 * every CPU drops its blocks of that page at its next block boundary (as
 * QEMU invalidates a page's blocks; the others stay).  The page's code bit
 * is cleared first, so a CPU that marks it meanwhile has a block there that
 * it then drops (the bit stays, stale and harmless).
 */
static void code_written(hwaddr ra)
{
    if (unlikely(tb_no_retire)) {
        code_written_all();
        return;
    }
    guest_ram_clear_code_page(ra);
    /* the requests' stores are sequentially consistent: after the clearing */
    for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
        tb_retire_page_request(all_cpus_get(i), ra);
    }
}

/*
 * A store raced with the marking of its page (ppc_icbi): which page is not
 * known, so every CPU drops all its blocks and every code bit is cleared.
 */
static void code_written_all(void)
{
    guest_ram_clear_code();
    /* ppc_tb_flush's stores are sequentially consistent: after the clearing. */
    for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
        ppc_tb_flush(all_cpus_get(i));
    }
}

/*
 * icbi, which a program that rewrote code runs after its stores (Book II
 * 1.9.2: store, dcbst, sync, icbi, sync, isync).  Stores into pages holding
 * code already drop the blocks, except a store on the fast path whose write
 * entry was checked just before another CPU marked the page and read it:
 * that CPU flagged this one (code_store_raced), and the icbi drops every
 * CPU's blocks.  Otherwise it does nothing, so loops of icbi cost little.
 */
void ppc_icbi(CPUPPCState *env)
{
    if (unlikely(__atomic_load_n(&env->code_store_raced, __ATOMIC_RELAXED)) &&
        __atomic_exchange_n(&env->code_store_raced, 0, __ATOMIC_SEQ_CST)) {
        code_written_all();
    }
}

/* Another thread asked this CPU to drop its blocks (ppc_tb_flush). */
static inline bool tb_flush_pending(PPCTBCache *c)
{
    return __atomic_load_n(&c->flush_pending, __ATOMIC_RELAXED);
}

/* Blocks that differ only in TB_FACILITY hash alike: a shared one serves them all. */
static unsigned tb_hash(uint64_t pc, uint64_t flags)
{
    flags &= ~(uint64_t)TB_FACILITY;
    uint64_t h = (pc >> 2) ^ (flags >> 32) ^ flags;

    return (h ^ (h >> TB_HASH_BITS)) & ((1u << TB_HASH_BITS) - 1);
}

static const PPCOp *op_illegal(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "illegal or unimplemented instruction 0x%08x at 0x%" PRIx64 "\n",
                  op->insn, op->pc);
    return ppc_raise_program(env, op, SRR1_PROGRAM_ILLEGAL);
}

static bool op_is_illegal(const PPCOp *op)
{
    return op->fn == op_illegal;
}

/* The op after a block's last instruction: continue at the next address. */
static const PPCOp *op_block_end(CPUPPCState *env, const PPCOp *op)
{
    return ppc_goto_chain(env, op, op->pc);
}

/*
 * Fetch failed (outside RAM: code never runs from device memory): a
 * machine check at the block's address, SRR1[36,44,45] "instruction fetch
 * real address error" as POWER9 reports it.
 */
static const PPCOp *op_fetch_fault(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_GUEST_ERROR, "instruction fetch outside RAM at 0x%" PRIx64 "\n", op->pc);
    return ppc_raise(env, PPC_VEC_MACHINE_CHECK, op->pc, SRR1_MC_IFETCH_RA);
}

/* A traced block's end: back to the loop, which takes the trace interrupt. */
static const PPCOp *op_trace_end(CPUPPCState *env, const PPCOp *op)
{
    return ppc_goto(env, op->pc);
}

/* A branch instruction (b, bc, bclr, bcctr, bctar), for branch trace. */
static bool insn_is_branch(uint32_t insn)
{
    unsigned xo = insn_field(insn, 21, 30);

    return INSN_OPCD(insn) == 18 || INSN_OPCD(insn) == 16 ||
           (INSN_OPCD(insn) == 19 && (xo == 16 || xo == 528 || xo == 560));
}

/* mtmsr, mtmsrd: they may clear SE or BE themselves. */
static bool insn_is_mtmsr(uint32_t insn)
{
    unsigned xo = insn_field(insn, 21, 30);

    return INSN_OPCD(insn) == 31 && (xo == 146 || xo == 178);
}

/* rfid, rfscv (hrfid is privileged for a partition: it always interrupts). */
static bool insn_is_rfi(uint32_t insn)
{
    unsigned xo = insn_field(insn, 21, 30);

    return INSN_OPCD(insn) == 19 && (xo == 18 || xo == 82);
}

#define SPR_SIAR 796

/*
 * After the one instruction of a traced block: a trace interrupt (0xd00,
 * SRR0 = the next instruction, SRR1 = the MSR with no reason bits, as
 * QEMU 7.2 sets it; SIAR = the traced instruction, Book III 6.5.15) after
 * every instruction that began with MSR[SE] on, after every branch, taken
 * or not (Book III, and QEMU 7.2), that began with MSR[BE] on.  An mtmsr[d]
 * that clears SE or BE is traced too, as QEMU 7.2 does; rfid and rfscv are
 * never traced (Book III excepts them: the first instruction traced is the
 * one they return to; QEMU 7.2 traces them).  An instruction that took an
 * interrupt is not traced: every interrupt clears SE and BE, and in
 * supervisor state mtmsr[d] takes none (in problem state it always takes
 * one).
 */
static void trace_step(CPUPPCState *env, const TranslationBlock *tb)
{
    uint32_t insn = tb->ops[0].insn;
    bool completed;

    if (!tb->n_insns || insn_is_rfi(insn)) {
        return;
    }
    completed = (env->msr & TB_TRACED) || (insn_is_mtmsr(insn) && !(tb->flags & MSR_PR));
    if (completed && ((tb->flags & MSR_SE) || insn_is_branch(insn))) {
        env->spr[SPR_SIAR] = tb->ops[0].pc;
        ppc_raise(env, PPC_VEC_TRACE, env->nip, 0);
    }
}

static void decode_one(CPUPPCState *env, uint64_t pc, uint32_t insn, PPCOp *op, unsigned *flags)
{
    const PPCInsnDef *def = ppc_insn_lookup(insn);

    memset(op, 0, sizeof(*op));
    op->pc = pc;
    op->insn = insn;
    op->flags = ((env->msr & MSR_LE) ? PPC_OPF_LE : 0) | ((env->msr & MSR_SF) ? PPC_OPF_SF : 0) |
                ((env->msr & MSR_FP) ? PPC_OPF_FP : 0) | ((env->msr & MSR_VEC) ? PPC_OPF_VEC : 0) |
                ((env->msr & MSR_VSX) ? PPC_OPF_VSX : 0) |
                (env_cpu(env)->model->isa300 ? PPC_OPF_ISA300 : 0);
    *flags = 0;
    if (def && (def->flags & PPC_INSN_ISA300) && !(op->flags & PPC_OPF_ISA300)) {
        def = NULL;
    }
    if (def && def->decode(def, insn, op)) {
        *flags = def->flags | ((op->flags & PPC_OPF_ENDS_BLOCK) ? PPC_INSN_ENDS_BLOCK : 0);
        return;
    }
    op->fn = op_illegal;
    *flags = PPC_INSN_ENDS_BLOCK;
}

static TranslationBlock *tb_alloc(PPCTBCache *c)
{
    size_t need = TB_SIZE(TB_MAX_INSNS);

    if (c->arena_used + need > c->arena_size) {
        return NULL;
    }
    return (TranslationBlock *)(c->arena + c->arena_used);
}

/*
 * Superinstructions: hot pairs of adjacent ops run as one from the first; a
 * block ending in compare + conditional branch runs that pair as one op.
 * Only a block's first op is ever entered from outside, so the second op of
 * a pair is never run on its own.
 */
static void tb_fuse(PPCOp *ops, unsigned n)
{
    PPCOpFn *fused;

    for (unsigned i = 0; i + 1 < n; i++) {
        fused = ppc_logic_fused_fn(&ops[i], &ops[i + 1]);
        if (fused) {
            ops[i].fn = fused;
            i++;
        }
    }
    if (n < 2 || !ppc_bc_tests_crf(&ops[n - 1], ops[n - 2].rt)) {
        return;
    }
    fused = ppc_cmp_fused_fn(&ops[n - 2]);
    if (fused) {
        ops[n - 2].fn = fused;
    }
}

/*
 * The first op of a block waiting to be compiled (TranslationBlock.jit_wait):
 * every way into a block (the loop, an interpreted block's chain slot, the
 * indirect-branch cache or a chain slot read by compiled code, which calls
 * a handler outside its buffer as the loop does) runs ops[0], so this counts
 * every run, and only this CPU runs its blocks.  A run that finds none left
 * leaves at the block's start without running anything, and the loop
 * compiles the block before running it (see tb_compile).
 */
static const PPCOp *op_tb_wait(CPUPPCState *env, const PPCOp *op)
{
    TranslationBlock *tb = (TranslationBlock *)((uintptr_t)op - offsetof(TranslationBlock, ops));

    if (likely(tb->wait)) {
        tb->wait--;
        return tb->first_fn(env, op);
    }
    env->nip = op->pc;
    return NULL;
}

/*
 * The bc that ends tb when a trace may continue past it (see tb_ext_wanted):
 * a bc testing a CR bit and nothing else (no CTR, no link), not to the
 * block's own start; else NULL.
 */
static const PPCOp *tb_trace_bc(const TranslationBlock *tb)
{
    const PPCOp *bc;

    if (!tb->ends_block || !tb->n_insns || tb->n_insns >= TB_MAX_INSNS) {
        return NULL;
    }
    bc = &tb->ops[tb->n_insns - 1];
    if (op_is_illegal(bc) || INSN_OPCD(bc->insn) != 16 || (bc->insn & 1) ||
        (insn_field(bc->insn, 6, 10) & 0x14) != 0x04 || (uint64_t)bc->imm == tb->pc) {
        return NULL;
    }
    return bc;
}

/*
 * The bc of a block waiting to be compiled (op_tb_wait) whose trace may
 * follow either way: it counts the ways it goes, then runs as itself.  Its
 * block's end op, of which the interpreter uses only the handler, address
 * and flags, keeps the bc's handler (imm) and the counts (insn: taken in
 * the high half, not taken in the low; a block waits fewer than 2^16 runs).
 */
static const PPCOp *op_bc_profile(CPUPPCState *env, const PPCOp *op)
{
    PPCOp *end = (PPCOp *)(uintptr_t)(op + 1);
    unsigned bo = insn_field(op->insn, 6, 10), bi = insn_field(op->insn, 11, 15);
    bool taken = ((env->crf[bi >> 2] >> (3 - (bi & 3))) & 1) == ((bo >> 3) & 1);

    end->insn += taken ? 0x10000 : 1;
    return ((PPCOpFn *)(uintptr_t)end->imm)(env, op);
}

_Static_assert(PPC_JIT_AFTER_MAX <= 0x10000, "op_bc_profile's counts");

/* Count tb's bc's ways while it waits (op_bc_profile), when a trace may follow it. */
static void tb_profile_bc(TranslationBlock *tb)
{
    PPCOp *bc = (PPCOp *)(uintptr_t)tb_trace_bc(tb);

    if (bc) {
        bc[1].imm = (int64_t)(uintptr_t)bc->fn;
        bc[1].insn = 0;
        bc->fn = op_bc_profile;
    }
}

/* ... and the bc as it was, when the block is compiled (the counts stay). */
static void tb_unprofile_bc(TranslationBlock *tb)
{
    PPCOp *bc = tb->n_insns ? &tb->ops[tb->n_insns - 1] : NULL;

    if (bc && bc->fn == op_bc_profile) {
        bc->fn = (PPCOpFn *)(uintptr_t)bc[1].imm;
    }
}

/*
 * Traces.  A compiled block that ends in a conditional branch testing a CR
 * bit (no CTR, no link, not to its own start) continues past it: the JIT
 * compiles the block and the instructions on one way out of the branch
 * (its "extension", up to the next block end, TB_EXT_MAX of them, within
 * the block's page) as one piece of code, which runs on that way with the
 * GPRs still in host registers, and leaves by the other way as the block's
 * branch did (jit-x86_64.c).  The way is the one the bc went more often
 * while the block waited to be compiled (op_bc_profile); without those
 * runs (compiled when translated), it is guessed as a CPU's static
 * prediction does: a branch backwards is a loop's and taken, the trace
 * follows its target; a branch forwards is not taken, the trace follows
 * the next instruction.  The interpreter and the block stay as
 * they are: the extension is decoded only when the block is compiled,
 * into the arena after it, laid out as a block's ops are (its ops, an end
 * op, chain slots), so that a step, a fault, an exit or a chain from an op
 * of the extension finds what it would in a block.  It is in the block's
 * page, so the page's retirement covers it.
 *
 * Not extended: branches that decrement CTR (the taken way is a loop's
 * back edge and the way past it its exit, run once a loop), branches to
 * the block's own start (the loop form keeps its registers across turns
 * already), branches whose way to follow leads into another page, and blocks under
 * -icount (the loop counts a block's instructions), a debugger
 * (breakpoints end blocks) or PPC_JIT_NO_TRACE.  True with *start, the
 * address of the extension's first instruction.
 */
static bool tb_ext_wanted(const PowerPCCPU *cpu, const TranslationBlock *tb, uint64_t *start)
{
    const PPCOp *bc = tb_trace_bc(tb), *end;
    bool follow_taken;

    if (!bc || tb_no_trace || cpu->debug || icount_enabled()) {
        return false;
    }
    end = bc + 1;
    if (end->insn) {
        /* the ways it went while it waited (op_bc_profile) */
        follow_taken = (end->insn >> 16) > (end->insn & 0xffff);
    } else {
        follow_taken = (uint64_t)bc->imm < bc->pc;
    }
    if (follow_taken) {
        *start = bc->imm;
        return (*start & PPC_PAGE_MASK) == (tb->pc & PPC_PAGE_MASK);
    }
    *start = ppc_next_pc(bc);
    return true;
}

/*
 * The end op after a block's (or a trace extension's) ops: fn, at next (the
 * address after the last op, wrapped in 32-bit mode), with its chain slots
 * empty.
 */
static void tb_end_op(CPUPPCState *env, PPCOp *end, PPCOpFn *fn, uint64_t next, bool shared)
{
    memset(end, 0, sizeof(PPCOp));
    end->fn = fn;
    end->pc = (env->msr & MSR_SF) ? next : (uint32_t)next;
    end->flags = PPC_OPF_BLOCK_END | (shared ? PPC_OPF_SHARED : 0);
    memset(ppc_op_chain(end), 0, PPC_CHAIN_SLOTS * sizeof(PPCOp *));
}

/*
 * Decode tb's extension from pc (in its page) into ext (room for
 * TB_EXT_SIZE(TB_EXT_MAX)): up to an instruction that ends a block (*ends
 * then), the page's end, TB_EXT_MAX or, with the block, TB_MAX_INSNS.  An
 * illegal instruction is left out (the block for it is made when it is
 * reached), and so is one that needs a facility after a shared block's (the
 * code of a shared block must not depend on the facility bits).  Returns
 * how many; the end op and the chain slots follow them.
 */
static unsigned tb_decode_ext(PowerPCCPU *cpu, const TranslationBlock *tb, uint64_t pc, PPCOp *ext,
                              bool *ends)
{
    CPUPPCState *env = &cpu->env;
    uint64_t page_end = (tb->pc & PPC_PAGE_MASK) + PPC_PAGE_SIZE;
    unsigned m = 0, max = MIN(TB_EXT_MAX, TB_MAX_INSNS - tb->n_insns);

    *ends = false;
    for (uint64_t a = pc; m < max && a < page_end; a += 4) {
        uint32_t insn;
        unsigned insn_flags;

        if (!guest_ldl_be((tb->ra & PPC_PAGE_MASK) + (a & ~PPC_PAGE_MASK), &insn)) {
            break;
        }
        if (env->msr & MSR_LE) {
            insn = GUINT32_SWAP_LE_BE(insn);
        }
        decode_one(env, a, insn, &ext[m], &insn_flags);
        if (op_is_illegal(&ext[m]) || (tb->shared && (ext[m].flags & PPC_OPF_FACILITY))) {
            break;
        }
        m++;
        if (insn_flags & PPC_INSN_ENDS_BLOCK) {
            *ends = true;
            break;
        }
    }
    tb_end_op(env, &ext[m], op_block_end, pc + 4 * m, tb->shared);
    return m;
}

/*
 * Compile tb (as a trace when tb_ext_wanted), under the flags of its key
 * (a shared block's without TB_FACILITY).  Its extension takes arena room
 * after c->arena_used, which must be past the block.  False: no room in
 * the code buffer (the extension's arena room is given back).
 */
static bool tb_jit(PowerPCCPU *cpu, TranslationBlock *tb)
{
    PPCTBCache *c = cpu->tbs;
    PPCOp *ext = (PPCOp *)(c->arena + c->arena_used);
    unsigned m = 0;
    bool ends = false;
    uint64_t start;

    if (tb_ext_wanted(cpu, tb, &start) &&
        c->arena_used + TB_EXT_SIZE(TB_EXT_MAX) <= c->arena_size) {
        m = tb_decode_ext(cpu, tb, start, ext, &ends);
    }
    if (!ppc_jit_block(c->jit, tb->ops, tb->n_insns, tb->ends_block, m ? ext : NULL, m, ends,
                       op_is_illegal, tb->shared ? tb->flags & ~(uint64_t)TB_FACILITY : tb->flags,
                       &tb->jit_stop)) {
        return false;
    }
    if (m) {
        c->stats.traces++;
        c->arena_used = QEMU_ALIGN_UP(c->arena_used + TB_EXT_SIZE(m), 16);
        if (qemu_loglevel_mask(CPU_LOG_TB_IN_ASM)) {
            uint32_t words[TB_EXT_MAX];

            for (unsigned i = 0; i < m; i++) {
                words[i] = ext[i].insn;
            }
            qemu_log("trace of the block at 0x%" PRIx64 " continues:\n", tb->pc);
            ppc_log_block_asm(ext[0].pc, words, m, cpu->env.msr & MSR_LE);
        }
    }
    return true;
}

/*
 * A block's jit_after'th run: compiled now, from the ops as they were
 * decoded (a waiting block is not fused: the JIT knows ops by handler).
 * Whatever already leads to it (chain slots, the indirect-branch cache)
 * reaches the code through ops[0].fn; compiled jumps link to it from now on
 * (ppc_jit_link refused while it was interpreted).  False: the code buffer
 * is full and everything was flushed, the block with it.
 */
static bool tb_compile(PowerPCCPU *cpu, TranslationBlock *tb)
{
    PPCTBCache *c = cpu->tbs;

    if (ppc_jit_full(c->jit)) {
        c->stats.flushes_full++;
        tb_flush_now(cpu);
        return false;
    }
    tb->ops[0].fn = tb->first_fn;
    tb_unprofile_bc(tb);
    tb->jit_wait = false;
    tb->jit_stop = NULL;
    if (tb_jit(cpu, tb)) {
        PPCIndCacheEntry *e = &cpu->env.ind_cache[(tb->pc >> 2) & (PPC_IND_CACHE_SIZE - 1)];

        c->stats.compiled++;
        /*
         * An indirect-branch cache entry made while the block waited names
         * no code, and a hit would keep entering it through ops[0].fn.
         */
        if (e->op == tb->ops) {
            e->code = ppc_jit_entry(c->jit, tb->ops);
        }
    } else {
        tb_fuse(tb->ops, tb->n_insns);
    }
    return true;
}

/* A new block: found by its key, and by its real page when that is written. */
static void tb_insert(PPCTBCache *c, TranslationBlock *tb)
{
    unsigned h = tb_hash(tb->pc, tb->flags), ph = tb_page_hash(tb->ra);

    tb->hash_next = c->hash[h];
    c->hash[h] = tb;
    tb->page_next = c->page_hash[ph];
    c->page_hash[ph] = tb;
}

static TranslationBlock *tb_gen(PowerPCCPU *cpu, uint64_t pc, uint64_t ra, uint64_t flags)
{
    CPUPPCState *env = &cpu->env;
    PPCTBCache *c = cpu->tbs;
    TranslationBlock *tb = tb_alloc(c);
    uint64_t page_end = (pc & PPC_PAGE_MASK) + PPC_PAGE_SIZE;
    uintptr_t host_page;
    unsigned n = 0, max_insns = (flags & TB_ONE_INSN) ? 1 : TB_MAX_INSNS;
    bool last_ends_block = false, marked = false;

    if (!tb || (c->jit && ppc_jit_full(c->jit))) {
        c->stats.flushes_full++;
        tb_flush_now(cpu);
        tb = tb_alloc(c);
    }
    c->stats.blocks++;
    tb->pc = pc;
    tb->ra = ra;
    tb->flags = flags;
    tb->jit_stop = NULL;
    tb->shared = false;
    tb->jit_wait = false;
    c->n_tbs++;
    if (!guest_range_valid(ra, 4)) {
        memset(&tb->ops[0], 0, sizeof(PPCOp));
        tb->ops[0].pc = pc;
        tb->ops[0].fn = op_fetch_fault;
        n = 0;
        tb->n_insns = 0;
        c->arena_used += sizeof(TranslationBlock) + sizeof(PPCOp);
        return tb;
    }
    if (unlikely(cpu->debug) && ppc_debug_bp_at(cpu, pc)) {
        /* a breakpoint: the block stops there before running anything */
        memset(&tb->ops[0], 0, sizeof(PPCOp));
        tb->ops[0].pc = pc;
        tb->ops[0].fn = ppc_op_debug_break;
        tb->n_insns = 0;
        c->arena_used += sizeof(TranslationBlock) + sizeof(PPCOp);
        c->arena_used = QEMU_ALIGN_UP(c->arena_used, 16);
        tb_insert(c, tb);
        return tb;
    }
    /*
     * Stores into this page must now take the slow path: drop the write
     * entries that reach its host page, through any effective address, in
     * every CPU when the page has just become code.
     */
    host_page = (uintptr_t)guest_ram_ptr(ra & PPC_PAGE_MASK, PPC_PAGE_SIZE);
    if (!guest_ram_is_code(ra)) {
        __atomic_add_fetch(&code_markers, 1, __ATOMIC_SEQ_CST);
        marked = guest_ram_mark_code(ra);
        if (marked) {
            for (unsigned i = 0, n = all_cpus_len(); i < n; i++) {
                CPUPPCState *other = &all_cpus_get(i)->env;

                if (tlb_drop_write_page(env, other, host_page) && other != env) {
                    /* its store may be under way: its icbi will tell (ppc_icbi) */
                    __atomic_store_n(&other->code_store_raced, 1, __ATOMIC_SEQ_CST);
                }
            }
        }
        __atomic_sub_fetch(&code_markers, 1, __ATOMIC_SEQ_CST);
    }
    if (!marked && __atomic_load_n(&code_markers, __ATOMIC_SEQ_CST)) {
        /* the CPU that marked the page may not have reached our table yet */
        tlb_drop_write_page(env, env, host_page);
    }
    for (uint64_t a = pc; n < max_insns && a < page_end; a += 4) {
        uint32_t insn;
        unsigned insn_flags;

        if (!guest_ldl_be(ra + (a - pc), &insn)) {
            break;
        }
        if (unlikely(cpu->debug) && n && ppc_debug_bp_at(cpu, a)) {
            break; /* the next block starts at the breakpoint */
        }
        if (env->msr & MSR_LE) {
            insn = GUINT32_SWAP_LE_BE(insn);
        }
        decode_one(env, a, insn, &tb->ops[n++], &insn_flags);
        if (insn_flags & PPC_INSN_ENDS_BLOCK) {
            last_ends_block = true;
            break;
        }
    }
    tb->n_insns = (uint16_t)n;
    tb->shared = !(flags & MSR_PR);
    for (unsigned i = 0; i < n && tb->shared; i++) {
        tb->shared = !(tb->ops[i].flags & PPC_OPF_FACILITY);
    }
    tb_end_op(env, &tb->ops[n], (flags & TB_ONE_INSN) ? op_trace_end : op_block_end, pc + 4 * n,
              tb->shared);
    tb->ends_block = last_ends_block;
    if (qemu_loglevel_mask(CPU_LOG_TB_IN_ASM)) {
        g_autofree uint32_t *words = g_new(uint32_t, n ? n : 1);

        for (unsigned i = 0; i < n; i++) {
            words[i] = tb->ops[i].insn;
        }
        ppc_log_block_asm(pc, words, n, env->msr & MSR_LE);
    }
    /* past the block: a trace's extension goes after it (tb_jit) */
    c->arena_used += TB_SIZE(n);
    c->arena_used = QEMU_ALIGN_UP(c->arena_used, 16);
    if (flags & TB_ONE_INSN) {
        /* interpreted, unfused and never chained: the loop sees every instruction */
    } else if (c->jit && !(flags & PPC_TB_PMU) && c->jit_after > 1) {
        tb->jit_wait = true;
        tb->wait = (uint16_t)(c->jit_after - 1);
        if (!tb_no_trace) {
            tb_profile_bc(tb);
        }
        tb->first_fn = tb->ops[0].fn;
        tb->ops[0].fn = op_tb_wait;
    } else if (!c->jit || (flags & PPC_TB_PMU) || !tb_jit(cpu, tb)) {
        tb_fuse(tb->ops, n);
    } else {
        c->stats.compiled++;
    }
    tb_insert(c, tb);
    return tb;
}

/* Whether tb runs in the mode flags: its own, or another facility setting when shared. */
static inline bool tb_serves(const TranslationBlock *tb, uint64_t flags)
{
    return tb->flags == flags || (tb->shared && !((tb->flags ^ flags) & ~(uint64_t)TB_FACILITY));
}

/*
 * The block for pc in the current mode.  Blocks are found by effective
 * address, mode and real address, so a block survives a change of
 * translation and is not used for another mapping.  NULL: the fetch
 * faulted, and its interrupt was raised.
 */
static inline TranslationBlock *tb_find(PowerPCCPU *cpu, uint64_t pc, uint64_t flags)
{
    PPCTBCache *c = cpu->tbs;
    JmpCacheEntry *j = &c->jmp_cache[(pc >> 2) & ((1u << TB_JMP_CACHE_BITS) - 1)];
    TranslationBlock *tb;
    PPCXlateFault fault;
    uint64_t ra;

    if (!(flags & MSR_IR)) {
        ra = pc & 0x0fffffffffffffffULL;
    } else if (!code_ra(&cpu->env, pc, &ra, &fault)) {
        ppc_raise_xlate_fault(&cpu->env, pc, pc, &fault);
        return NULL;
    }
    if (likely(j->pc == pc && j->flags == flags && j->ra == ra)) {
        return j->tb;
    }
    for (tb = c->hash[tb_hash(pc, flags)]; tb; tb = tb->hash_next) {
        if (tb->pc == pc && tb_serves(tb, flags) && tb->ra == ra) {
            break;
        }
    }
    if (!tb) {
        tb = tb_gen(cpu, pc, ra, flags);
    }
    j->pc = pc;
    j->ra = ra;
    j->flags = flags;
    j->tb = tb;
    return tb;
}

void ppc_cpu_exec(PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;
    bool icount = icount_enabled();
    uint64_t budget = 0;

    if (!cpu->tbs) {
        cpu->tbs = tb_cache_new();
        qemu_mutex_lock(&all_cpus_lock);
        if (all_cpus_count == PPC_MAX_CPUS) {
            error_exit("more than %d CPUs", PPC_MAX_CPUS);
        }
        guest_ram_set_code_write_notifier(code_written);
        guest_ram_set_dirty_flush(ppc_tlb_drop_writes_all_cpus);
        if (!all_cpus_count) {
            /*
             * The measurement switches are read by the first CPU only:
             * other CPUs' threads read them unlocked (tb_no_retire in
             * code_written, ppc_pwc_off in radix walks) once they are in
             * the list, which they enter under this lock after it.
             */
            ppc_pwc_off = getenv("PPC_TLB_NO_PWC") != NULL;
            tb_no_retire = getenv("PPC_TB_NO_RETIRE") != NULL;
            tb_no_trace = getenv("PPC_JIT_NO_TRACE") != NULL;
            ppc_tlb_amr_all = getenv("PPC_TLB_AMR_ALL") != NULL;
            ppc_tlb_quadrant_off = getenv("PPC_TLB_NO_QUADRANT") != NULL;
        }
        if (!tlb_stats_on && getenv("PPC_TLB_STATS")) {
            tlb_stats_on = true;
            atexit(tlb_stats_print_all);
        }
        all_cpus_list[all_cpus_count] = cpu;
        __atomic_store_n(&all_cpus_count, all_cpus_count + 1, __ATOMIC_RELEASE);
        qemu_mutex_unlock(&all_cpus_lock);
    }
    current_cpu = cpu;
    /* The machine or a test may have written the MSR directly. */
    env->tlb_regime = ppc_tlb_regime_of(env->msr);
    __atomic_store_n(&env->in_guest, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&env->chain_stop, 1, __ATOMIC_RELAXED);
    /* The block the last one went to, when linking it looked it up already. */
    TranslationBlock *found = NULL;

    while (!ppc_exit_requested(env)) {
        TranslationBlock *tb;
        const PPCOp *op;
        uint64_t flags;

        /*
         * -icount: timers due at this instruction count fire first (their
         * interrupts are taken below); a used-up time slice ends the run.
         */
        if (unlikely(icount) && !(budget = icount_budget())) {
            break;
        }
        /*
         * Requests from other threads set their flag, then chain_stop:
         * clearing chain_stop before reading the flags loses none.
         */
        if (unlikely(__atomic_load_n(&env->chain_stop, __ATOMIC_RELAXED))) {
            __atomic_store_n(&env->chain_stop, 0, __ATOMIC_SEQ_CST);
            if (tb_flush_pending(cpu->tbs)) {
                cpu->tbs->stats.flushes_asked++;
                tb_flush_now(cpu);
            } else if (__atomic_load_n(&cpu->tbs->inval_pending, __ATOMIC_RELAXED)) {
                tb_retire_queued(cpu);
            }
            tlb_flush_if_requested(env);
            found = NULL; /* the blocks or the translations may have gone */
        }
        if (unlikely(__atomic_load_n(&env->pending_interrupts, __ATOMIC_RELAXED))) {
            ppc_deliver_pending(env);
            found = NULL;
        }
        flags = (env->msr & TB_MSR_MASK) | env->debug_flags | env->pmu_tb_flags;
        if (found && found->pc == env->nip && tb_serves(found, flags)) {
            tb = found;
        } else {
            tb = tb_find(cpu, env->nip, flags);
        }
        found = NULL;
        if (unlikely(!tb)) {
            continue;
        }
        if (unlikely(tb->jit_wait) && !tb->wait && !tb_compile(cpu, tb)) {
            continue; /* flushed for room: translated again */
        }
        if (unlikely(icount)) {
            /* A deadline inside the block: one instruction at a time up to it. */
            if (tb->n_insns > budget) {
                flags |= PPC_TB_ICOUNT_ONE;
                tb = tb_find(cpu, env->nip, flags);
                if (unlikely(!tb)) {
                    continue;
                }
            }
            icount_account(tb->n_insns);
        }
        if (unlikely(qemu_loglevel_mask(CPU_LOG_EXEC | CPU_LOG_TB_CPU))) {
            if (qemu_loglevel_mask(CPU_LOG_TB_CPU)) {
                ppc_log_cpu_state(env);
            }
            qemu_log_mask(CPU_LOG_EXEC, "Trace %d: %p [%016" PRIx64 "/%016" PRIx64 "]\n",
                          cpu->cpu_index, (void *)tb, tb->pc, tb->flags);
        }
        op = tb->ops;
        env->chain_from = NULL;
        env->jit_link = NULL;
        env->chain_budget = PPC_CHAIN_BUDGET;
        if (unlikely(flags & PPC_TB_PMU)) {
            /* counted when it ran to its end: no interrupt cut it short */
            uint32_t excp = env->excp_count;

            do {
                op = op->fn(env, op);
            } while (op);
            if (excp == env->excp_count) {
                ppc_pmu_count_block(env, flags, tb->n_insns);
            }
        } else {
            do {
                op = op->fn(env, op);
            } while (op);
        }
        if (unlikely(flags & TB_ONE_INSN)) {
            if (flags & TB_TRACED) {
                trace_step(env, tb);
            }
            if ((flags & PPC_TB_DEBUG_ONE) && ppc_debug_insn_done(cpu)) {
                break;
            }
            continue;
        }
        /*
         * A branch or block end found no chained successor: chain it to the
         * block for where it went, unless a flush is due or blocks are being
         * traced (the trace shows every block only from this loop).  A
         * chained jump skips the translation check: within an effective
         * page, blocks were all translated through the same mapping; into
         * another page (instruction translation on), the link is recorded
         * and undone at the next soft-TLB flush, which every change of
         * translation makes (tlbie, PID or partition switch, slbie...).
         * The block also goes into the indirect-branch cache, emptied at
         * the same flushes: register branches look there, and so do jumps
         * into another page that found no room for a link (TB_XPAGE_LINKS).
         */
        if (env->chain_from && !icount && !tb_flush_pending(cpu->tbs) && !ppc_exit_requested(env) &&
            !qemu_loglevel_mask(CPU_LOG_EXEC | CPU_LOG_TB_CPU) &&
            (env->msr & TB_MSR_MASK) == flags) {
            PPCTBCache *c = cpu->tbs;
            PPCOp *from = (PPCOp *)env->chain_from;
            bool xpage = (flags & MSR_IR) && (env->nip & PPC_PAGE_MASK) != chain_origin_page(from);
            unsigned gen = c->generation;
            TranslationBlock *next = tb_find(cpu, env->nip, flags);
            PPCIndCacheEntry *e;

            if (!next || gen != c->generation) {
                /* the fetch faults, or translating the next block flushed everything */
                continue;
            }
            found = next;
            /*
             * A shared block may run under other facility bits than those
             * it was translated under: it jumps only to shared blocks (or
             * through the loop), and the indirect-branch cache, which
             * compiled code checks against the flags it was compiled for
             * (a shared block's without TB_FACILITY), holds supervisor
             * blocks only when shared, under those flags.
             */
            if (next->shared || (flags & MSR_PR)) {
                e = &env->ind_cache[(env->nip >> 2) & (PPC_IND_CACHE_SIZE - 1)];
                e->pc = env->nip;
                e->flags = next->shared ? flags & ~(uint64_t)TB_FACILITY : flags;
                e->op = next->ops;
                e->code = ppc_jit_entry(c->jit, next->ops);
            }
            if (!next->shared && (ppc_op_block_end(from)->flags & PPC_OPF_SHARED)) {
                continue;
            }
            if (xpage && c->n_xpage == TB_XPAGE_LINKS) {
                continue; /* no room to record a link */
            }
            if (env->jit_link) {
                if (ppc_jit_link(c->jit, env->jit_link, next->ops) && xpage) {
                    c->xpage[c->n_xpage].from = from;
                    c->xpage[c->n_xpage].to = env->nip;
                    c->xpage[c->n_xpage++].jit_site = env->jit_link;
                }
            } else {
                const PPCOp **chain = ppc_op_chain(from);

                chain[1] = chain[0];
                chain[0] = next->ops;
                if (xpage) {
                    c->xpage[c->n_xpage].from = from;
                    c->xpage[c->n_xpage].to = env->nip;
                    c->xpage[c->n_xpage++].jit_site = NULL;
                }
            }
        }
    }
    __atomic_store_n(&env->in_guest, 0, __ATOMIC_SEQ_CST);
}

/* ---- XER and CR as whole registers ------------------------------------ */

#define XER_SO PPC_BIT(32)
#define XER_OV PPC_BIT(33)
#define XER_CA PPC_BIT(34)
#define XER_OV32 PPC_BIT(44)
#define XER_CA32 PPC_BIT(45)
#define XER_STATUS (XER_SO | XER_OV | XER_CA | XER_OV32 | XER_CA32)
/*
 * What mtxer keeps besides the status bits: QEMU 7.2 keeps the whole low
 * word (the string byte count among it), as mtxer -1; mfxer shows.
 */
#define XER_REST_MASK (0xffffffffULL & ~XER_STATUS)

uint64_t ppc_get_xer(const CPUPPCState *env)
{
    return env->xer_rest | (env->so ? XER_SO : 0) | (env->ov ? XER_OV : 0) |
           (env->ca ? XER_CA : 0) | (env->ov32 ? XER_OV32 : 0) | (env->ca32 ? XER_CA32 : 0);
}

void ppc_set_xer(CPUPPCState *env, uint64_t xer)
{
    env->so = !!(xer & XER_SO);
    env->ov = !!(xer & XER_OV);
    env->ca = !!(xer & XER_CA);
    env->ov32 = !!(xer & XER_OV32);
    env->ca32 = !!(xer & XER_CA32);
    env->xer_rest = xer & XER_REST_MASK;
}

uint32_t ppc_get_cr(const CPUPPCState *env)
{
    uint32_t cr = 0;

    for (int i = 0; i < 8; i++) {
        cr = (cr << 4) | (env->crf[i] & 0xf);
    }
    return cr;
}

void ppc_set_cr(CPUPPCState *env, uint32_t cr)
{
    for (int i = 0; i < 8; i++) {
        env->crf[i] = (cr >> (28 - 4 * i)) & 0xf;
    }
}

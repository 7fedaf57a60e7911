/*
 * The POWER CPU's architected state and the models this emulator offers.
 * The CPU knows nothing of pseries: the machine reaches it only through the
 * virtual-hypervisor (vhyp) interface below.
 */
#ifndef TARGET_PPC_CPU_H
#define TARGET_PPC_CPU_H

#include "qemu/osdep.h"

/* MSR bits, named as in the ISA (bit numbers in big-endian order). */
#define MSR_SF PPC_BIT(0)
#define MSR_HV PPC_BIT(3)
#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_EE PPC_BIT(48)
#define MSR_PR PPC_BIT(49)
#define MSR_FP PPC_BIT(50)
#define MSR_ME PPC_BIT(51)
#define MSR_FE0 PPC_BIT(52)
#define MSR_SE PPC_BIT(53)
#define MSR_BE PPC_BIT(54)
#define MSR_FE1 PPC_BIT(55)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define MSR_RI PPC_BIT(62)
#define MSR_LE PPC_BIT(63)

/* Processor Version Register values (upper half: the processor family). */
#define CPU_POWERPC_POWER8_v20 0x004D0200
#define CPU_POWERPC_POWER9_v20 0x004E1200

typedef struct PowerPCCPUModel {
    const char *name;    /* "power9_v2.0" */
    const char *alias;   /* "power9" */
    const char *dt_name; /* "PowerPC,POWER9" */
    uint32_t pvr;
    bool has_radix;
    /* Implements Power ISA 3.0 (POWER9); otherwise 2.07 (POWER8): see PPC_INSN_ISA300. */
    bool isa300;
    uint32_t l1_dcache_size, l1_icache_size, cache_line_size;
    uint32_t slb_size;
} PowerPCCPUModel;

/* SPR numbers (Power ISA 3.0B, Book III) used outside the instruction code */
#define SPR_XER 1
#define SPR_LR 8
#define SPR_CTR 9
#define SPR_DSISR 18
#define SPR_DAR 19
#define SPR_DEC 22
#define SPR_SDR1 25 /* the hashed page table (KVM-PR reads it; vhyp machines do not) */
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_TAR 815
#define SPR_PVR 287
#define SPR_PIR 1023
#define SPR_PIDR 48
#define SPR_LPCR 318
#define SPR_LPIDR 319
#define SPR_UAMOR 157
#define SPR_AMR 29
#define SPR_IAMR 61
#define SPR_FSCR 153
#define SPR_CFAR 28
#define SPR_CTRL_READ 136
#define SPR_CTRL_WRITE 152
#define SPR_PSPB 159
#define SPR_SPRG0 272
#define SPR_SPRG1 273
#define SPR_SPRG2 274
#define SPR_SPRG3 275
#define SPR_PPR 896

/*
 * LPCR fields the CPU honours (Book III 2.2).  A partition cannot write
 * LPCR: the machine sets it (ppc_store_lpcr), e.g. for H_SET_MODE.
 */
#define LPCR_ILE PPC_BIT(38) /* interrupts are taken little-endian */
#define LPCR_AIL_SHIFT (63 - 40)
#define LPCR_AIL (3ULL << LPCR_AIL_SHIFT) /* alternate interrupt location */
#define LPCR_UPRT PPC_BIT(41)             /* use the process table */
#define LPCR_HR PPC_BIT(43)               /* host radix: radix translation */
#define LPCR_LD PPC_BIT(46)               /* large decrementer */
#define LPCR_GTSE PPC_BIT(53)             /* guest translation shootdown */
/* Power-saving exit causes (POWER9: PDEE, HDEE, EEE, DEE, OEE): what wakes a stop instruction. */
#define LPCR_PECE PPC_BITMASK(47, 51)
#define LPCR_LPES0 PPC_BIT(60) /* external interrupts go to the partition's OS */

/*
 * Asynchronous interrupts waiting for delivery (env->pending_interrupts).
 * They are level-triggered: a source raises and lowers its bit; the CPU
 * delivers when the MSR allows (system reset always, the others with EE).
 */
#define PPC_INTERRUPT_RESET 0x1 /* system reset (H_SIGNAL_SYS_RESET, NMI) */
#define PPC_INTERRUPT_EXT 0x2   /* external (the interrupt controller) */
#define PPC_INTERRUPT_DECR 0x4  /* decrementer negative */
/*
 * Directed privileged doorbell (msgsndp from a thread of the same core):
 * this thread's DPDES bit.  An edge: taking the interrupt clears it.
 */
#define PPC_INTERRUPT_DOORBELL 0x8
/* Performance monitor: a level, MMCR0[PMAO] (target/ppc/pmu.c). */
#define PPC_INTERRUPT_PERFM 0x10
/*
 * Not an interrupt: the PMU's timer asks the vCPU to bring its cycle counters
 * up to date (an overflow may raise PERFM); consumed by ppc_deliver_pending.
 */
#define PPC_INTERRUPT_PMU_TIMER 0x20

/*
 * Soft TLB: one direct-mapped table per access kind, 4 KiB pages.  4096
 * entries reach 16 MiB (Linux maps user data in 64 KiB pages, 16 entries
 * each); a whole flush empties only the entries filled since the last one
 * (tlb_filled), so its cost follows the misses, not the table's size.
 */
#define PPC_TLB_BITS 12
#define PPC_TLB_SIZE (1 << PPC_TLB_BITS)
/* Tables in tlb_filled's codes: (table << PPC_TLB_BITS) | index. */
#define PPC_TLB_READ 0
#define PPC_TLB_WRITE 1
#define PPC_TLB_CODE 2
/*
 * Filled entries a flush empties one by one; past that it empties all.
 * Every entry fits (a slot is listed once between flushes, more only when
 * a tlbie by address emptied it and it was filled again).
 */
#define PPC_TLB_FILLED_MAX (3 * PPC_TLB_SIZE)
/*
 * A tag no access matches (its offset bits hold more than a regime): an
 * entry an AMR write emptied, still in tlb_filled (so a new fill does not
 * list it twice).  Tags below it are entries; -1 is an empty, unlisted one.
 */
#define PPC_TLB_DROPPED ((uint64_t)-2)
/*
 * Load and store entries filled by a supervisor access to a non-privileged
 * radix page, whose rights AMR's key 0 limits: what an AMR write has to
 * empty.  Past that many between two AMR writes, it empties every load and
 * store entry.
 */
#define PPC_TLB_AMR_MAX 256
/*
 * Radix page-walk cache: direct-mapped by the 2 MiB region of the
 * effective address, the directory entry (level 2) that leads to the last
 * level's table, for the tree its process-table entry names.
 */
#define PPC_PWC_BITS 6
#define PPC_PWC_SIZE (1 << PPC_PWC_BITS)
#define PPC_PAGE_BITS 12
#define PPC_PAGE_SIZE (1ULL << PPC_PAGE_BITS)
#define PPC_PAGE_MASK (~(PPC_PAGE_SIZE - 1))

typedef struct PPCTLBEntry {
    uint64_t tag;     /* effective page address | translation regime, or -1: empty */
    uintptr_t addend; /* host address = effective address + addend */
} PPCTLBEntry;

typedef struct PPCPWCEntry {
    uint64_t prtbe0; /* the process-table entry's doubleword 0 (the tree), or -1: empty */
    uint64_t pid;    /* the process whose entry it is (PIDR, or 0 for quadrant 3) */
    uint64_t region; /* effective address >> 21, quadrant included */
    uint64_t pde;    /* the valid, non-leaf level-2 directory entry */
} PPCPWCEntry;

/* PPC_TLB_STATS=1: counted always (slow paths only), printed at exit. */
typedef struct PPCTLBStats {
    uint64_t fill[3];        /* entries filled, by table (PPC_TLB_READ...) */
    uint64_t walks;          /* radix translations */
    uint64_t pwc_hits;       /* of which started at the last level */
    uint64_t pwc_flushes;    /* page-walk cache emptied whole */
    uint64_t flushes;        /* whole flushes (ppc_tlb_flush) */
    uint64_t flush_all;      /* of which emptied every entry (too many filled) */
    uint64_t flush_data;     /* ppc_tlb_flush_data (AMR) */
    uint64_t flush_data_all; /* of which emptied every load and store entry */
    uint64_t flush_quadrant; /* ppc_tlb_flush_quadrant (PIDR, whole-PID tlbie) */
    uint64_t ranges;         /* ppc_tlb_flush_range (narrow tlbie) */
    uint64_t code_drops;     /* whole write tables searched for a new code page's entries */
    uint64_t evict_other;    /* load/store fills over another quadrant's entry (kernel/user) */
    uint64_t evict_same;     /* load/store fills over the same quadrant's entry */
} PPCTLBStats;

/*
 * The translation regime an entry was filled in: MSR[PR], [IR] and [DR]
 * packed into the tag's low (page offset) bits.  Entries of several
 * regimes live side by side, so switching between user and kernel mode or
 * turning translation on and off needs no flush: the tags just stop
 * matching.
 */
static inline uint64_t ppc_tlb_regime_of(uint64_t msr)
{
    return ((msr >> (63 - 49)) & 1) << 2 | ((msr >> (63 - 58)) & 1) << 1 | ((msr >> (63 - 59)) & 1);
}

#define PPC_IND_CACHE_SIZE 512
typedef struct PPCIndCacheEntry {
    uint64_t pc; /* -1: empty (a block starts at a multiple of 4) */
    uint64_t flags;
    const struct PPCOp *op;
    /*
     * Where compiled code enters the block's own code (past its prologue,
     * as a linked jump does), NULL when the block is interpreted: saves the
     * probe the load of op->fn and the test that it is compiled code.
     * 32 bytes in all: the code indexes with a shift.
     */
    const void *code;
} PPCIndCacheEntry;

/* Segment lookaside buffer entry (hash MMU), as slbmte writes it. */
#define PPC_SLB_MAX 32
typedef struct PPCSLBEntry {
    uint64_t esid; /* ESID, V (bit 36) */
    uint64_t vsid; /* B, VSID, Ks Kp N L C LP */
} PPCSLBEntry;

/*
 * One 128-bit VSX register.  The architecture numbers its bytes, halfwords,
 * words and doublewords from the left (element 0 is the most significant);
 * the register is stored as a host-order 128-bit number, so the element
 * accessors below map the ISA's index to the host's.  On a little-endian
 * host, ISA byte 0 is u8[15]: a whole register is one SSE value.
 */
typedef union ppc_vsr_t {
    uint8_t u8[16];
    uint16_t u16[8];
    uint32_t u32[4];
    uint64_t u64[2];
    int8_t s8[16];
    int16_t s16[8];
    int32_t s32[4];
    int64_t s64[2];
    float f32[4];
    double f64[2];
    unsigned __int128 u128;
} __attribute__((aligned(16))) ppc_vsr_t;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define PPC_VSR_IDX(n, i) ((n)-1 - (i))
#else
#define PPC_VSR_IDX(n, i) (i)
#endif
/* Element i in the ISA's numbering (0 = leftmost), as an lvalue. */
#define VsrB(v, i) ((v)->u8[PPC_VSR_IDX(16, i)])
#define VsrH(v, i) ((v)->u16[PPC_VSR_IDX(8, i)])
#define VsrW(v, i) ((v)->u32[PPC_VSR_IDX(4, i)])
#define VsrD(v, i) ((v)->u64[PPC_VSR_IDX(2, i)])
#define VsrSB(v, i) ((v)->s8[PPC_VSR_IDX(16, i)])
#define VsrSH(v, i) ((v)->s16[PPC_VSR_IDX(8, i)])
#define VsrSW(v, i) ((v)->s32[PPC_VSR_IDX(4, i)])
#define VsrSD(v, i) ((v)->s64[PPC_VSR_IDX(2, i)])

typedef struct CPUPPCState {
    uint64_t gpr[32];
    uint64_t nip;
    uint64_t msr;
    uint32_t crf[8]; /* CR fields 0..7, each 4 bits: LT GT EQ SO */
    uint64_t lr;
    uint64_t ctr;
    uint64_t tar;
    /* XER, kept apart: the status bits as 0/1, the rest as stored */
    uint8_t so, ov, ca, ov32, ca32;
    uint64_t xer_rest;
    /* larx/stcx. reservation: address, length, value(s) seen; addr -1: none */
    uint64_t reserve_addr;
    uint64_t reserve_len;
    uint64_t reserve_val;
    uint64_t reserve_val2;
    uint64_t spr[1024];
    /*
     * Floating point and vector: 64 VSX registers.  FPR i is doubleword 0
     * of VSR i (ppc_fpr()), VR i is VSR 32 + i (ppc_vr()).
     */
    ppc_vsr_t vsr[64];
    /* FPSCR, all 64 bits (DRN lives in the upper word). */
    uint64_t fpscr;
    /* VSCR: NJ and SAT (the other bits read 0). */
    uint32_t vscr;
    uint64_t tb_offset;
    /* PPC_INTERRUPT_* bits; changed atomically, from any thread. */
    uint32_t pending_interrupts;
    /*
     * The decrementer: DEC = decr_zero - TB, in 32 bits or (LPCR[LD]) 56
     * bits, sign-extended.  decr_zero is the TB at which it reads 0.
     */
    uint64_t decr_zero;

    PPCSLBEntry slb[PPC_SLB_MAX];

    /* ppc_tlb_regime_of(msr), kept with the MSR. */
    uint64_t tlb_regime;
    /* Code translation: effective page -> real page, for fetches. */
    PPCTLBEntry tlb_code[PPC_TLB_SIZE];

    PPCTLBEntry tlb_read[PPC_TLB_SIZE];
    PPCTLBEntry tlb_write[PPC_TLB_SIZE];
    /*
     * tlb_listed: every entry that is not empty is in tlb_filled, as a
     * code (table << PPC_TLB_BITS | index) written when it was filled
     * while empty, so a flush empties those alone.  False (also at reset,
     * and once more than PPC_TLB_FILLED_MAX were filled): the next whole
     * flush empties every entry.
     */
    uint16_t tlb_filled[PPC_TLB_FILLED_MAX];
    unsigned tlb_filled_n;
    bool tlb_listed;
    /*
     * tlb_amr_listed: every load or store entry whose rights depend on AMR
     * (filled under radix by a supervisor access to a non-privileged page)
     * is in tlb_amr, as a tlb_filled code, so an AMR write empties those
     * alone.  False at reset and once more than PPC_TLB_AMR_MAX were
     * filled: the next AMR write empties every load and store entry.
     * xlate_amr: a data translation since the last fill depended on AMR
     * (set by the radix MMU, taken by the fill).
     */
    uint16_t tlb_amr[PPC_TLB_AMR_MAX];
    unsigned tlb_amr_n;
    bool tlb_amr_listed;
    bool xlate_amr;
    /*
     * Radix page-walk cache (mmu-radix64.c).  Keyed by the process-table
     * entry, so a PIDR change keeps it; tlbie, tlbiel, slbia and every
     * whole flush but the PIDR write's empty it (ppc_pwc_flush()).
     */
    PPCPWCEntry pwc[PPC_PWC_SIZE];
    PPCTLBStats tlb_stats;
    /*
     * Where compiled indirect branches (blr, bctr) find their target's
     * block when their own two chain slots miss, without the loop: (pc,
     * block flags) -> first op.  Like a link across pages it skips the
     * translation, so it is emptied with the soft TLB, and with the blocks.
     */
    PPCIndCacheEntry ind_cache[PPC_IND_CACHE_SIZE];

    /* Set from any thread to make the CPU leave its block loop. */
    volatile int exit_request;
    /*
     * Set by another CPU that made a page code while this CPU held a write
     * entry for it: a store of this CPU's, past its entry check already,
     * may land after that CPU read the page.  The next icbi drops every
     * CPU's blocks (ppc_icbi()).
     */
    int code_store_raced;
    /*
     * TLB shootdown (ppc_tlb_flush_cpu from another thread): requesters bump
     * tlb_flush_req; the CPU copies the value it saw into tlb_flush_done
     * once its soft TLBs are empty.  in_guest: the vCPU may be using its
     * soft TLB (running blocks, not parked or waiting for the big lock).
     * tlb_sync_needed: this CPU asked others to flush and must see them done
     * before it passes ptesync, tlbsync or the end of a hypercall.
     */
    uint32_t tlb_flush_req;
    uint32_t tlb_flush_done;
    int in_guest;
    int tlb_sync_needed;
    /* lbarx..lqarx: the sequence of the reservation granule's lock (smp-atomic). */
    uint64_t reserve_seq;
    /* Set when translations must be flushed: blocks stop chaining. */
    volatile int chain_stop;
    /* The branch that left the last block unchained (exec.c chains it). */
    const struct PPCOp *chain_from;
    /* With chain_from, from compiled code: the jump to point at the next block. */
    void *jit_link;
    /*
     * Blocks entered by chaining since the loop last ran: bounded, so that a
     * build without tail calls (-O0) cannot grow the stack without limit.
     */
    unsigned chain_budget;
    /*
     * Or'ed into the key of every block looked up: PPC_TB_DEBUG_ONE while
     * the debugger single-steps or watches memory (target/ppc/gdbstub.c).
     */
    uint64_t debug_flags;
    /*
     * Performance monitor (pmu.c): the block-key bits while PMCs count
     * instructions (PPC_TB_PMU_*), which PMCs count instructions and which
     * cycles (bit n: PMCn), and the virtual time the cycle counts are up to.
     * excp_count counts interrupts taken, so the loop can tell that a block
     * was cut short.
     */
    uint64_t pmu_tb_flags;
    uint32_t pmu_ins_cnt;
    uint32_t pmu_cyc_cnt;
    int64_t pmu_base_ns;
    bool pmu_timer_armed;
    uint32_t excp_count;
} CPUPPCState;

static inline uint64_t *ppc_fpr(CPUPPCState *env, unsigned i)
{
    return &VsrD(&env->vsr[i], 0);
}

static inline ppc_vsr_t *ppc_vr(CPUPPCState *env, unsigned i)
{
    return &env->vsr[32 + i];
}

typedef struct PowerPCCPU PowerPCCPU;

/*
 * The virtual hypervisor: what a machine that runs the CPU as a partition
 * (pseries, or any board that serves `sc 1` itself) provides.  The CPU calls
 * hypercall() for `sc 1` in supervisor state; r3 holds the opcode, r4.. the
 * arguments, and the machine writes r3 and r4.. back.
 */
typedef struct PPCVirtualHypervisor PPCVirtualHypervisor;
typedef struct PPCVirtualHypervisorOps {
    void (*hypercall)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
    /*
     * Hash MMU: the hashed page table, which the machine owns (host memory,
     * not guest RAM).  Returns its host address and the number of PTE groups
     * minus one (groups are 128 bytes; PTEs big-endian), or NULL when the
     * partition has none.  The CPU reads PTEs and sets their R and C bits
     * in place; the machine changes them only under the big lock.
     */
    uint8_t *(*hpt)(PPCVirtualHypervisor *vhyp, uint64_t *pteg_mask);
    /* The CPU just set R or C of PTE ptex (any thread, no lock).  Optional. */
    void (*hpte_rc_set)(PPCVirtualHypervisor *vhyp, uint64_t ptex);
    /*
     * Radix MMU: the partition-table entry (two doublewords, as the
     * architecture lays them out: dw0 = radix tree of the partition, unused
     * under a virtual hypervisor; dw1 = process table base and size).
     * false when the partition registered no process table.
     */
    bool (*get_pate)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu, uint64_t pate[2]);
    /*
     * The vCPU starts or stops running guest code (big lock held): per-CPU
     * bookkeeping such as the VPA dispatch counter.  Optional.
     */
    void (*cpu_exec_enter)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
    void (*cpu_exec_exit)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
    /*
     * A system reset interrupt (an NMI, H_SIGNAL_SYS_RESET) was just taken at
     * 0x100: the machine may hand it to the guest elsewhere (PAPR FWNMI:
     * another vector, r3 pointing at the saved r3).  Optional.
     */
    void (*system_reset)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
} PPCVirtualHypervisorOps;

typedef struct PPCTBCache PPCTBCache;

struct PowerPCCPU {
    CPUPPCState env; /* first: an env pointer is a cpu pointer */
    int cpu_index;
    const PowerPCCPUModel *model;
    PPCVirtualHypervisor *vhyp;
    const PPCVirtualHypervisorOps *vhyp_ops;
    /* Idle (H_CEDE, or a secondary not started): the vCPU thread sleeps. */
    bool halted;
    struct QEMUTimer *decr_timer;
    /* A cycle counter's overflow is due, with an alert enabled (pmu.c). */
    struct QEMUTimer *pmu_timer;
    /* Hash MMU: the largest page size (log2) the machine allows; 0: 64K. */
    uint8_t hash_max_page_shift;
    PPCTBCache *tbs; /* translated blocks, owned by target/ppc/exec.c */
    /* Breakpoints, watchpoints and stepping (target/ppc/gdbstub.c); NULL: none yet. */
    struct PPCDebug *debug;
    /* Why the CPU left its loop for the debugger (PPC_DEBUG_*); 0: it did not. */
    int debug_stop;
    /* Its KVM vCPU (accel/kvm, ppc64 hosts); NULL under TCG. */
    struct KvmVcpu *kvm;
    /*
     * SMT: the threads of this CPU's core, indexed by thread number (TIR),
     * and this CPU's number among them (ppc_cpu_set_core; by default a core
     * of one thread).  msgsndp and DPDES reach the core's threads only.
     */
    PowerPCCPU *const *core_threads;
    unsigned core_nr_threads;
    unsigned core_thread;
};

static inline PowerPCCPU *env_cpu(CPUPPCState *env)
{
    return (PowerPCCPU *)env;
}

/*
 * The exit request, set from any thread (an interrupt, a stop, a halt) and
 * read by the CPU between blocks: atomic, so neither the compiler nor a
 * race detector sees a plain shared access.
 */
static inline void ppc_request_exit(CPUPPCState *env)
{
    __atomic_store_n(&env->exit_request, 1, __ATOMIC_SEQ_CST);
}

static inline bool ppc_exit_requested(const CPUPPCState *env)
{
    return __atomic_load_n(&env->exit_request, __ATOMIC_RELAXED);
}

/*
 * LPCR, which the machine may set from another thread (H_SET_MODE on every
 * CPU) while the CPU runs: read and written atomically.
 */
static inline uint64_t ppc_lpcr(const CPUPPCState *env)
{
    return __atomic_load_n(&env->spr[SPR_LPCR], __ATOMIC_RELAXED);
}

/* XER as the architecture shows it (mfxer). */
uint64_t ppc_get_xer(const CPUPPCState *env);
void ppc_set_xer(CPUPPCState *env, uint64_t xer);
/* CR as one 32-bit register (mfcr). */
uint32_t ppc_get_cr(const CPUPPCState *env);
void ppc_set_cr(CPUPPCState *env, uint32_t cr);

/*
 * Execute guest code until exit_request is set (returns then, with the CPU
 * state consistent at an instruction boundary).  Called by the vCPU thread.
 */
void ppc_cpu_exec(PowerPCCPU *cpu);
/* Around each ppc_cpu_exec() of a vCPU thread, with the big lock held. */
void ppc_cpu_exec_enter(PowerPCCPU *cpu);
void ppc_cpu_exec_exit(PowerPCCPU *cpu);
/*
 * Forget every translation of this CPU at its next block boundary: after a
 * reset, a loaded state, a breakpoint change, a full retirement list, or any
 * code write with PPC_TB_NO_RETIRE=1.  A write into code normally retires
 * only the written page's blocks.
 */
void ppc_tb_flush(PowerPCCPU *cpu);
/* Free the CPU's translations (the CPU goes away). */
void ppc_tb_cache_free(PowerPCCPU *cpu);
/*
 * The host memory the CPU's translations hold: resident bytes of the block
 * arena and of the JIT's code buffer (0 before the CPU first ran).
 */
size_t ppc_tb_resident(PowerPCCPU *cpu);
/* Blocks translated since the CPU's last flush (0 before it first ran). */
size_t ppc_tb_count(PowerPCCPU *cpu);
/* Compile blocks to host code (the default where a JIT exists) or interpret them. */
void ppc_cpu_set_jit(bool on);
/*
 * With the JIT, compile a block at its nth run, interpreting it before
 * (1: when it is translated); a CPU takes the setting when it first runs.
 */
#define PPC_JIT_AFTER_DEFAULT 8
#define PPC_JIT_AFTER_MAX 65536
void ppc_cpu_set_jit_after(unsigned n);
/*
 * -perfmap: name every compiled block in /tmp/perf-PID.map ("guest-ppc-0xPC"),
 * so host `perf report` shows guest addresses for time spent in generated
 * code.  false: the file could not be created (errno set).
 */
bool ppc_cpu_open_perfmap(void);
/*
 * Empty the soft TLBs (data and code) and the radix page-walk cache: after
 * an MSR change, a TLB invalidation, an SLB change, reset.  Translated
 * blocks survive: they are found again through the code translation.
 */
void ppc_tlb_flush(CPUPPCState *env);
/*
 * The same but the page-walk cache, whose entries name the tree they were
 * read from (a PIDR write: the process changes, no tree does).
 */
void ppc_tlb_flush_keep_pwc(CPUPPCState *env);
/*
 * Radix: the entries of one quadrant of effective addresses (0: the process
 * PIDR names; 3: process 0), and the links across pages into it; the other
 * quadrant's stay (keeps the page-walk cache).
 */
void ppc_tlb_flush_quadrant(CPUPPCState *env, unsigned quadrant);
/*
 * Empty the radix page-walk cache alone, or its entry for ea's 2 MiB
 * region, or the entries of one process.
 */
void ppc_pwc_flush(CPUPPCState *env);
void ppc_pwc_flush_region(CPUPPCState *env, uint64_t ea);
void ppc_pwc_flush_pid(CPUPPCState *env, uint64_t pid);

/*
 * Only what translates effective addresses in [ea, ea + size) (a tlbie of
 * one page): the entries of those pages, and the indirect-branch cache's
 * entries and links across pages that lead into them.
 */
void ppc_tlb_flush_range(CPUPPCState *env, uint64_t ea, uint64_t size);
/* Only the load and store entries: what changes data access rights alone (AMR). */
void ppc_tlb_flush_data(CPUPPCState *env);
/*
 * Empty cpu's soft TLBs from any thread (big lock held): at once for the
 * CPU this thread runs (or one that never ran), otherwise by a request the
 * CPU honours before it runs another block; it leaves the block it is in at
 * the next boundary.  The soft TLB is private to its vCPU thread: no other
 * thread writes it while it runs.
 */
void ppc_tlb_flush_cpu(PowerPCCPU *cpu);
/* The same for every CPU (a broadcast tlbie). */
void ppc_tlb_flush_all_cpus(void);
/* The same for every CPU but this thread's (a broadcast tlbie it honours itself). */
void ppc_tlb_flush_others(void);

/*
 * Interrupts from outside the CPU (timers, interrupt controller, machine).
 * Call with the big lock held.  Raising wakes a halted CPU that can take
 * the interrupt.
 */
void ppc_cpu_set_irq(PowerPCCPU *cpu, unsigned irq, bool level);
/* An interrupt is pending that the current MSR lets through (H_CEDE). */
bool ppc_cpu_has_work(PowerPCCPU *cpu);
/* The machine sets LPCR (AIL, ILE, HR, UPRT, LD ...): big lock held. */
void ppc_store_lpcr(PowerPCCPU *cpu, uint64_t lpcr);
/* The time base: 512 MHz of virtual time. */
#define PPC_TB_FREQ 512000000ULL
uint64_t ppc_cpu_load_tb(PowerPCCPU *cpu);

/*
 * The debugger's view (target/ppc/gdbstub.c), with the big lock held and the
 * CPU parked.  Registers are numbered as QEMU's powerpc64 target description
 * numbers them; their bytes are in the order the MSR[LE] of the moment gives
 * (big-endian when it is 0), as QEMU 7.2 sends them.  With has_xml false
 * (GDB has not read the description), FPRs are registers 32..63 and FPSCR
 * is 70, 8 bytes; with it they are left out of the core set.
 */
#define PPC_DEBUG_BREAK 1 /* reached a breakpoint */
#define PPC_DEBUG_STEP 2  /* finished a single step */
#define PPC_DEBUG_WATCH 3 /* an access hit a watchpoint */

#define PPC_GDB_NUM_CORE_REGS 71
/* Bytes of register n (0: no such register); buf holds at least 16. */
int ppc_gdb_read_register(PowerPCCPU *cpu, int n, bool has_xml, uint8_t *buf);
/* Write register n from len bytes; returns the bytes used, 0: no such register. */
int ppc_gdb_write_register(PowerPCCPU *cpu, int n, bool has_xml, const uint8_t *buf, int len);
/* The target description file annex ("target.xml", "power-fpu.xml"...), or NULL. */
const char *ppc_gdb_get_xml(const char *annex);
/* Read or write guest memory at an effective address, translated as the CPU would now. */
bool ppc_gdb_memory_rw(PowerPCCPU *cpu, uint64_t addr, uint8_t *buf, size_t len, bool write);
/* Breakpoints (at effective addresses); false: none to remove. */
void ppc_debug_breakpoint_insert(PowerPCCPU *cpu, uint64_t addr);
bool ppc_debug_breakpoint_remove(PowerPCCPU *cpu, uint64_t addr);
/* Watchpoints: kind 2 write, 3 read, 4 access (GDB's Z numbers). */
void ppc_debug_watchpoint_insert(PowerPCCPU *cpu, uint64_t addr, uint64_t len, int kind);
bool ppc_debug_watchpoint_remove(PowerPCCPU *cpu, uint64_t addr, uint64_t len, int kind);
void ppc_debug_remove_all(PowerPCCPU *cpu);
/* After PPC_DEBUG_WATCH: the watchpoint's address and kind. */
void ppc_debug_watch_hit(PowerPCCPU *cpu, uint64_t *addr, int *kind);
/* Stop after the next instruction. */
void ppc_debug_single_step(PowerPCCPU *cpu, bool on);
/* For an accelerator that runs the guest elsewhere (KVM): the breakpoints set, stepping. */
const uint64_t *ppc_debug_breakpoints(PowerPCCPU *cpu, unsigned *n);
bool ppc_debug_stepping(PowerPCCPU *cpu);

/* Find a model by name or alias, case-insensitively ("POWER9", "power8"). */
const PowerPCCPUModel *ppc_cpu_model_find(const char *name);
const PowerPCCPUModel *ppc_cpu_model_default(void);
void ppc_cpu_list(FILE *out);

PowerPCCPU *ppc_cpu_create(const PowerPCCPUModel *model, int index);
void ppc_cpu_free(PowerPCCPU *cpu);
/* Architected reset state; the board then sets the entry point and r3. */
void ppc_cpu_reset(PowerPCCPU *cpu);
void ppc_cpu_set_vhyp(PowerPCCPU *cpu, PPCVirtualHypervisor *vhyp,
                      const PPCVirtualHypervisorOps *ops);
/*
 * Place cpu as thread @thread of a core whose threads are threads[0..nr-1]
 * (the array outlives the CPU; NULL entries are threads not present).  The
 * machine calls it once, after creating its CPUs.
 */
void ppc_cpu_set_core(PowerPCCPU *cpu, PowerPCCPU *const *threads, unsigned nr, unsigned thread);
/* DPDES as this CPU reads it: bit 63 - n is thread n's doorbell, pending. */
uint64_t ppc_cpu_load_dpdes(PowerPCCPU *cpu);

#endif

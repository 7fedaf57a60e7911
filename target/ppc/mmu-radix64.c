/*
 * The radix MMU (Power ISA 3.0B Book III 5.7.6-5.7.12): process table, the
 * radix tree walk, storage protection (EAA, privilege, AMR/IAMR key 0, no
 * fetch from I/O pages) and reference/change recording, for a partition
 * whose partition-scoped translation is the identity (a virtual hypervisor).
 */
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "target/ppc/internal.h"

/*
 * Partition-table entry, doubleword 1: the process table's base (4 KiB
 * aligned) and its size, 2^(PRTS + 12) bytes.  Bit 0 (GR) says the guest
 * uses radix; it is not part of the address.
 */
#define PATE1_PRTB 0x0ffffffffffff000ULL
#define PATE1_PRTS 0x1fULL

/*
 * Process-table entry, doubleword 0 (16-byte entries indexed by PID): the
 * radix tree's size RTS = 31 + the 5-bit number split over bits 1:2 (high)
 * and 56:58 (low), the root directory's base RPDB and its index bits RPDS.
 */
#define PRTBE_SIZE 16
#define PRTBE_RPDB 0x0fffffffffffff00ULL
#define PRTBE_RPDS 0x1fULL

static inline unsigned prtbe_rts(uint64_t prtbe0)
{
    return (((prtbe0 >> 58) & 0x18) | ((prtbe0 >> 5) & 0x7)) + 31;
}

/* Page directory and page table entries (big-endian doublewords). */
#define RPTE_V PPC_BIT(0)                    /* valid */
#define RPTE_L PPC_BIT(1)                    /* leaf: a page, not a directory */
#define RPDE_NLB 0x0fffffffffffff00ULL       /* next level's base */
#define RPDE_NLS 0x1fULL                     /* next level's index bits */
#define RPTE_RPN 0x01fffffffffff000ULL       /* real page number */
#define RPTE_R PPC_BIT(55)                   /* referenced */
#define RPTE_C PPC_BIT(56)                   /* changed */
#define RPTE_ATT (PPC_BIT(58) | PPC_BIT(59)) /* storage attributes */
#define RPTE_ATT_NI_IO PPC_BIT(58)           /* non-idempotent I/O: guarded */
#define RPTE_EAA_PRIV PPC_BIT(60)            /* privileged page */
#define RPTE_EAA_READ PPC_BIT(61)
#define RPTE_EAA_RW PPC_BIT(62)
#define RPTE_EAA_EXEC PPC_BIT(63)

/*
 * The effective address: quadrant in bits 0:1, the tree indexes the rest.
 * Bits 2:11 lie beyond the largest (52-bit) tree: QEMU 7.2 raises a
 * segment interrupt when any is set.
 */
#define RADIX_QUADRANT(ea) ((ea) >> 62)
#define RADIX_EA_MASK 0x3fffffffffffffffULL
#define RADIX_EA_BEYOND_TREE 0x3ff0000000000000ULL

/* The access rights a translation grants. */
#define PROT_R 1u
#define PROT_W 2u
#define PROT_X 4u

/* Deepest tree: a root and three more levels (4 KiB or 64 KiB pages). */
#define RADIX_MAX_LEVELS 4

static bool si_fault(PPCAccessType type, uint64_t cause, PPCXlateFault *fault)
{
    if (type == PPC_ACCESS_FETCH) {
        fault->vector = PPC_VEC_ISI;
        fault->dsisr = 0;
        fault->srr1_bits = cause;
    } else {
        fault->vector = PPC_VEC_DSI;
        fault->dsisr = cause | (type == PPC_ACCESS_STORE ? DSISR_STORE : 0);
        fault->srr1_bits = 0;
    }
    return false;
}

static bool segment_fault(PPCAccessType type, PPCXlateFault *fault)
{
    fault->vector = type == PPC_ACCESS_FETCH ? PPC_VEC_ISEG : PPC_VEC_DSEG;
    fault->dsisr = 0;
    fault->srr1_bits = 0;
    return false;
}

/*
 * The tree shapes a POWER9 walks (its user's manual, "Supported Radix Tree
 * Configurations"): a 52-bit tree whose root has 2^13 entries, two levels
 * of 2^9 and a last level of 2^9 (4 KiB pages) or 2^5 (64 KiB pages).
 * QEMU 7.2 accepts exactly these; anything else is a bad configuration.
 */
static bool radix_level_ok(unsigned level, unsigned bits_left, unsigned nls)
{
    switch (level) {
    case 0:
        return bits_left == 52 && nls == 13;
    case 1:
    case 2:
        return nls == 9;
    case 3:
        return nls == 9 || nls == 5;
    default:
        return false;
    }
}

/* A directory or table entry; outside RAM it reads as zero (invalid). */
static uint64_t radix_load_entry(uint64_t addr)
{
    uint64_t v;

    return guest_ldq_be(addr, &v) ? v : 0;
}

/* The level the page-walk cache starts at, and the address bits left to it. */
#define RADIX_PWC_LEVEL 3
#define RADIX_PWC_BITS_LEFT 21

/*
 * Walk the tree from the directory at base (2^nls entries) at level for
 * ea, whose translated part has bits_left bits from there.  Success: the
 * leaf, its address, the real address and the page size (log2); *pde2,
 * when the walk passed level 2 through a directory entry, that entry (else
 * 0).  Failure: the DSISR cause.
 */
static bool radix_walk(uint64_t ea, unsigned level, uint64_t base, unsigned nls, unsigned bits_left,
                       uint64_t *pte, uint64_t *pte_addr, uint64_t *ra, unsigned *page_shift,
                       uint64_t *pde2, uint64_t *cause)
{
    *pde2 = 0;
    for (;; level++) {
        uint64_t index, addr, entry;

        if (!radix_level_ok(level, bits_left, nls)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "radix: bad tree at level %u (%u bits left, %u index bits)\n", level,
                          bits_left, nls);
            *cause = DSISR_R_BADCONFIG;
            return false;
        }
        /* A directory is aligned to its size; the low base bits are ignored. */
        base &= ~((1ULL << (nls + 3)) - 1);
        bits_left -= nls;
        index = (ea >> bits_left) & ((1ULL << nls) - 1);
        addr = base + index * 8;
        entry = radix_load_entry(addr);
        if (!(entry & RPTE_V)) {
            *cause = DSISR_NOPTE;
            return false;
        }
        if (entry & RPTE_L) {
            uint64_t offset_mask = (1ULL << bits_left) - 1;

            *pte = entry;
            *pte_addr = addr;
            *ra = ((entry & RPTE_RPN) & ~offset_mask) | (ea & offset_mask);
            *page_shift = bits_left;
            return true;
        }
        if (level == RADIX_PWC_LEVEL - 1) {
            *pde2 = entry;
        }
        base = entry & RPDE_NLB;
        nls = entry & RPDE_NLS;
    }
}

/*
 * The walk, through the page-walk cache: a 2 MiB region whose level-2
 * directory entry it holds for this process and tree (the process-table
 * entry, which names the root, is read every time) starts at the last
 * level.  The levels above are the same directories, unchanged until a TLB
 * invalidation empties the cache (ISA 3.0B Book III 5.7.7.1: a changed or
 * removed directory entry is invalidated with tlbie RIC=1 or 2; we drop the
 * process's entries on every whole-PID tlbie, the region's on one by
 * address, all of them on every whole flush but a PIDR write's).  Entries
 * are only made from valid directory entries, so a directory filled in
 * later needs no invalidation.
 */
static bool radix_walk_cached(CPUPPCState *env, uint64_t ea, uint64_t pid, uint64_t prtbe0,
                              uint64_t *pte, uint64_t *pte_addr, uint64_t *ra, unsigned *page_shift,
                              uint64_t *cause)
{
    uint64_t region = ea >> RADIX_PWC_BITS_LEFT, pde2;
    PPCPWCEntry *c = &env->pwc[region & (PPC_PWC_SIZE - 1)];

    env->tlb_stats.walks++;
    if (c->prtbe0 == prtbe0 && c->region == region && c->pid == pid && !ppc_pwc_off) {
        env->tlb_stats.pwc_hits++;
        return radix_walk(ea & RADIX_EA_MASK, RADIX_PWC_LEVEL, c->pde & RPDE_NLB, c->pde & RPDE_NLS,
                          RADIX_PWC_BITS_LEFT, pte, pte_addr, ra, page_shift, &pde2, cause);
    }
    if (!radix_walk(ea & RADIX_EA_MASK, 0, prtbe0 & PRTBE_RPDB, prtbe0 & PRTBE_RPDS,
                    prtbe_rts(prtbe0), pte, pte_addr, ra, page_shift, &pde2, cause)) {
        return false;
    }
    if (pde2) {
        c->prtbe0 = prtbe0;
        c->pid = pid;
        c->region = region;
        c->pde = pde2;
    }
    return true;
}

/*
 * The rights a leaf grants in the current state.  Problem state may not
 * touch a privileged page.  Supervisor accesses to a non-privileged page are
 * further limited by key 0 of AMR (bit 0: no store, bit 1: no load) and
 * IAMR (bit 1: no fetch): what Linux's KUAP and KUEP set.
 */
static unsigned radix_prot(const CPUPPCState *env, uint64_t pte)
{
    unsigned prot = 0;

    if ((pte & RPTE_EAA_PRIV) && (env->msr & MSR_PR)) {
        return 0;
    }
    if (pte & RPTE_EAA_READ) {
        prot |= PROT_R;
    }
    if (pte & RPTE_EAA_RW) {
        prot |= PROT_R | PROT_W;
    }
    if (pte & RPTE_EAA_EXEC) {
        prot |= PROT_X;
    }
    if (!(env->msr & MSR_PR) && !(pte & RPTE_EAA_PRIV)) {
        if (env->spr[SPR_AMR] & PPC_BIT(0)) {
            prot &= ~PROT_W;
        }
        if (env->spr[SPR_AMR] & PPC_BIT(1)) {
            prot &= ~PROT_R;
        }
        if (env->spr[SPR_IAMR] & PPC_BIT(1)) {
            prot &= ~PROT_X;
        }
    }
    return prot;
}

/*
 * Record the access in the leaf: R always, C for a store.  The bits are
 * ORed in atomically, as the hardware does, so another CPU's update of the
 * same entry is not lost.
 */
static void radix_set_rc(uint64_t pte, uint64_t pte_addr, PPCAccessType type)
{
    uint64_t set = RPTE_R | (type == PPC_ACCESS_STORE ? RPTE_C : 0);
    uint64_t *p;

    if ((pte & set) == set) {
        return;
    }
    p = guest_ram_ptr(pte_addr, sizeof(*p));
    if (!p) {
        return;
    }
    __atomic_fetch_or(p, GUINT64_TO_BE(set), __ATOMIC_RELAXED);
    guest_ram_note_write(pte_addr, sizeof(*p));
}

bool ppc_radix64_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
                       PPCXlateFault *fault)
{
    PowerPCCPU *cpu = env_cpu(env);
    uint64_t pate[2], prtb, prtb_size, pid, prtbe0, pte, pte_addr, cause;
    unsigned page_shift, prot, need;

    /*
     * A partition translates quadrant 0 (the process PIDR names) and
     * quadrant 3 (process 0, the operating system); 1 and 2 belong to the
     * hypervisor and take a segment interrupt.
     */
    if (ea & RADIX_EA_BEYOND_TREE) {
        return segment_fault(type, fault);
    }
    switch (RADIX_QUADRANT(ea)) {
    case 0:
        pid = (uint32_t)env->spr[SPR_PIDR];
        break;
    case 3:
        pid = 0;
        break;
    default:
        return segment_fault(type, fault);
    }

    if (!cpu->vhyp_ops || !cpu->vhyp_ops->get_pate ||
        !cpu->vhyp_ops->get_pate(cpu->vhyp, cpu, pate)) {
        return si_fault(type, DSISR_R_BADCONFIG, fault);
    }
    prtb = pate[1] & PATE1_PRTB;
    prtb_size = 1ULL << ((pate[1] & PATE1_PRTS) + 12);
    if (prtb & (prtb_size - 1)) {
        return si_fault(type, DSISR_R_BADCONFIG, fault);
    }
    if (pid >= prtb_size / PRTBE_SIZE) {
        return si_fault(type, DSISR_NOPTE, fault);
    }
    prtbe0 = radix_load_entry(prtb + pid * PRTBE_SIZE);
    if (!radix_walk_cached(env, ea, pid, prtbe0, &pte, &pte_addr, ra, &page_shift, &cause)) {
        return si_fault(type, cause, fault);
    }

    /* Instructions are never fetched from non-idempotent I/O (guarded) pages. */
    if (type == PPC_ACCESS_FETCH && (pte & RPTE_ATT) == RPTE_ATT_NI_IO) {
        return si_fault(type, SRR1_NOEXEC_GUARD, fault);
    }
    /* A fetch the page does not allow is reported as no-execute (SRR1 bit 35). */
    prot = radix_prot(env, pte);
    need = type == PPC_ACCESS_LOAD ? PROT_R : type == PPC_ACCESS_STORE ? PROT_W : PROT_X;
    if (!(prot & need)) {
        return si_fault(type, type == PPC_ACCESS_FETCH ? SRR1_NOEXEC_GUARD : DSISR_PROTFAULT,
                        fault);
    }
    if (!probe) {
        radix_set_rc(pte, pte_addr, type);
    }
    /* the rights AMR limited: the soft-TLB entry filled from this goes at the next AMR write */
    if (type != PPC_ACCESS_FETCH && !(env->msr & MSR_PR) && !(pte & RPTE_EAA_PRIV)) {
        env->xlate_amr = true;
    }
    return true;
}

/*
 * The 64-bit hash MMU (Book III 5.7.7): effective address -> SLB segment ->
 * virtual page -> PTE in the hashed page table the machine owns (vhyp hpt()),
 * with storage protection, keys and the R/C bits, as QEMU 7.2 does it.
 */
#include "qemu/log.h"
#include "target/ppc/internal.h"
#include "target/ppc/mmu-hash64.h"

/*
 * The segment and page sizes of POWER8 and POWER9 (as QEMU 7.2 models
 * them): 4 KB segments with 4 KB and 16 MB pages (multiple page sizes per
 * segment, MPSS), 64 KB segments with 64 KB and 16 MB pages, 16 MB and
 * 16 GB segments.  The processors also put 64 KB pages in 4 KB segments
 * (LP 0111), but neither KVM nor QEMU's pseries lets a partition use that
 * mix, so the table leaves it out.  LP encodings: the PTE's RPN bits from
 * bit 12 up to the page size.
 */
static const PPCHash64PageSize hash_page_sizes[] = {
    { 12, SLB_VSID_LLP_4K, 12, 0x0 },  { 12, SLB_VSID_LLP_4K, 24, 0x38 },
    { 16, SLB_VSID_LLP_64K, 16, 0x1 }, { 16, SLB_VSID_LLP_64K, 24, 0x8 },
    { 24, SLB_VSID_LLP_16M, 24, 0x0 }, { 34, SLB_VSID_LLP_16G, 34, 0x3 },
};

/* 16 MB: the one actual size a segment may hold besides its base size. */
#define MPSS_PAGE_SHIFT 24

const PPCHash64PageSize *ppc_hash64_page_size_table(size_t *count)
{
    *count = ARRAY_SIZE(hash_page_sizes);
    return hash_page_sizes;
}

bool ppc_hash64_page_size_allowed(unsigned max_shift, const PPCHash64PageSize *ps)
{
    return ps->shift <= max_shift && (ps->shift == ps->seg_shift || ps->shift == MPSS_PAGE_SHIFT);
}

/* The machine writes the limit before its CPUs run; translation only reads it. */
void ppc_hash64_set_max_page_shift(PowerPCCPU *cpu, unsigned shift)
{
    cpu->hash_max_page_shift = shift;
}

unsigned ppc_hash64_max_page_shift(const PowerPCCPU *cpu)
{
    return cpu->hash_max_page_shift ? cpu->hash_max_page_shift : PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT;
}

static unsigned slb_page_shift(unsigned max_shift, uint64_t vsid)
{
    for (size_t i = 0; i < ARRAY_SIZE(hash_page_sizes); i++) {
        const PPCHash64PageSize *ps = &hash_page_sizes[i];

        if ((vsid & SLB_VSID_LLP) == ps->slb_llp && ps->seg_shift <= max_shift) {
            return ps->seg_shift;
        }
    }
    return 0;
}

static unsigned pte_page_shift(unsigned max_shift, unsigned seg_shift, uint64_t pte0, uint64_t pte1)
{
    if (!(pte0 & HPTE64_V_LARGE)) {
        /* L = 0: a 4 KB page, which only a 4 KB segment holds */
        return seg_shift == 12 ? 12 : 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(hash_page_sizes); i++) {
        const PPCHash64PageSize *ps = &hash_page_sizes[i];
        uint64_t lp_mask = ((1ULL << ps->shift) - 1) & HPTE64_R_RPN;

        if (ps->seg_shift != seg_shift || ps->shift == 12 ||
            !ppc_hash64_page_size_allowed(max_shift, ps)) {
            continue;
        }
        /* The LP bits also say the RPN is aligned on the page size. */
        if ((pte1 & lp_mask) == ps->pte_enc << 12) {
            return ps->shift;
        }
    }
    return 0;
}

/*
 * Segment by segment, in table order, the first size whose encoding the
 * PTE has (the encodings are chosen so that at most one fits).
 */
static unsigned pte_page_shift_noslb(unsigned max_shift, uint64_t pte0, uint64_t pte1)
{
    if (!(pte0 & HPTE64_V_LARGE)) {
        return 12;
    }
    for (size_t i = 0; i < ARRAY_SIZE(hash_page_sizes); i++) {
        unsigned seg_shift = hash_page_sizes[i].seg_shift, shift;

        if (seg_shift > max_shift) {
            continue;
        }
        shift = pte_page_shift(max_shift, seg_shift, pte0, pte1);
        if (shift) {
            return shift;
        }
    }
    return 0;
}

unsigned ppc_hash64_cpu_slb_page_shift(const PowerPCCPU *cpu, uint64_t vsid)
{
    return slb_page_shift(ppc_hash64_max_page_shift(cpu), vsid);
}

unsigned ppc_hash64_cpu_pte_page_shift_noslb(const PowerPCCPU *cpu, uint64_t pte0, uint64_t pte1)
{
    return pte_page_shift_noslb(ppc_hash64_max_page_shift(cpu), pte0, pte1);
}

unsigned ppc_hash64_slb_page_shift(uint64_t vsid)
{
    return slb_page_shift(PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT, vsid);
}

unsigned ppc_hash64_pte_page_shift(unsigned seg_shift, uint64_t pte0, uint64_t pte1)
{
    return pte_page_shift(PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT, seg_shift, pte0, pte1);
}

unsigned ppc_hash64_pte_page_shift_noslb(uint64_t pte0, uint64_t pte1)
{
    return pte_page_shift_noslb(PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT, pte0, pte1);
}

/* The valid SLB entry translating ea, or NULL (a segment interrupt). */
static const PPCSLBEntry *slb_lookup(const CPUPPCState *env, uint64_t ea)
{
    uint64_t esid_256m = (ea & ~((1ULL << SEGMENT_SHIFT_256M) - 1)) | SLB_ESID_V;
    uint64_t esid_1t = (ea & ~((1ULL << SEGMENT_SHIFT_1T) - 1)) | SLB_ESID_V;

    for (unsigned i = 0; i < PPC_SLB_MAX; i++) {
        const PPCSLBEntry *slb = &env->slb[i];
        uint64_t b = slb->vsid & SLB_VSID_B;

        if ((b == SLB_VSID_B_256M && slb->esid == esid_256m) ||
            (b == SLB_VSID_B_1T && slb->esid == esid_1t)) {
            return slb;
        }
    }
    return NULL;
}

/*
 * Search one PTE group for ptem (B, AVPN, H, V) with a page size that fits
 * the segment.  Returns the PTE index, or -1.
 */
static int64_t pteg_search(const uint8_t *hpt, uint64_t pteg, unsigned max_shift,
                           unsigned seg_shift, uint64_t ptem, uint64_t *pte0, uint64_t *pte1,
                           unsigned *pshift)
{
    for (unsigned i = 0; i < HPTES_PER_GROUP; i++) {
        uint64_t ptex = pteg * HPTES_PER_GROUP + i;
        uint64_t v = hpte64_load(hpt, ptex, 0);
        uint64_t r;

        if ((v ^ ptem) & HPTE64_V_COMPARE_MASK) {
            continue;
        }
        r = hpte64_load(hpt, ptex, 1);
        /*
         * A PTE of another page size (left behind when a segment changed
         * its base page size) does not match; the search goes on.
         */
        *pshift = pte_page_shift(max_shift, seg_shift, v, r);
        if (*pshift) {
            *pte0 = v;
            *pte1 = r;
            return ptex;
        }
    }
    return -1;
}

/* Access authority from PP0||PP and the segment's key for the current state. */
#define PROT_R 1
#define PROT_W 2
#define PROT_X 4
#define PROT_RWX (PROT_R | PROT_W | PROT_X)

static unsigned pp_prot(const CPUPPCState *env, const PPCSLBEntry *slb, uint64_t pte1)
{
    bool key = (env->msr & MSR_PR) ? (slb->vsid & SLB_VSID_KP) : (slb->vsid & SLB_VSID_KS);
    unsigned pp = (pte1 & HPTE64_R_PP) | ((pte1 & HPTE64_R_PP0) >> 61);

    /* Combinations the architecture leaves undefined give no access, as in QEMU. */
    switch (pp) {
    case 0:
        return key ? 0 : PROT_RWX;
    case 1:
        return key ? PROT_R | PROT_X : PROT_RWX;
    case 2:
        return PROT_RWX;
    case 3:
        return PROT_R | PROT_X;
    case 6:
        return key ? 0 : PROT_R | PROT_X;
    default:
        return 0;
    }
}

/*
 * Virtual page class keys: the PTE's key selects two bits of AMR (bit 0 of
 * the pair: no stores, bit 1: no loads) and of IAMR (bit 1: no fetches).
 */
static unsigned key_prot(const CPUPPCState *env, uint64_t pte1)
{
    unsigned shift = 2 * (31 - hpte64_key(pte1));
    unsigned amr = (env->spr[SPR_AMR] >> shift) & 3;
    unsigned iamr = (env->spr[SPR_IAMR] >> shift) & 3;
    unsigned prot = PROT_RWX;

    if (amr & 2) {
        prot &= ~PROT_W;
    }
    if (amr & 1) {
        prot &= ~PROT_R;
    }
    if (iamr & 1) {
        prot &= ~PROT_X;
    }
    return prot;
}

static bool fault_nopte(PPCAccessType type, PPCXlateFault *fault)
{
    if (type == PPC_ACCESS_FETCH) {
        fault->vector = PPC_VEC_ISI;
        fault->srr1_bits = SRR1_NOPTE;
    } else {
        fault->vector = PPC_VEC_DSI;
        fault->dsisr = DSISR_NOPTE | (type == PPC_ACCESS_STORE ? DSISR_STORE : 0);
    }
    return false;
}

bool ppc_hash64_xlate(CPUPPCState *env, uint64_t ea, PPCAccessType type, bool probe, uint64_t *ra,
                      PPCXlateFault *fault)
{
    PowerPCCPU *cpu = env_cpu(env);
    const PPCSLBEntry *slb;
    uint8_t *hpt = NULL;
    uint64_t pteg_mask = 0, vsid, epn, hash, ptem, pte0 = 0, pte1 = 0;
    unsigned max_shift = ppc_hash64_max_page_shift(cpu);
    unsigned seg_shift, pshift = 0, need, exec_prot, prot_pp, prot_key;
    int64_t ptex;

    fault->dsisr = 0;
    fault->srr1_bits = 0;

    slb = slb_lookup(env, ea);
    if (!slb) {
        /* Data: DAR = ea (ppc_raise_xlate_fault); fetch: nothing more. */
        fault->vector = type == PPC_ACCESS_FETCH ? PPC_VEC_ISEG : PPC_VEC_DSEG;
        return false;
    }
    /* A no-execute segment refuses fetches before any PTE is looked at. */
    if (type == PPC_ACCESS_FETCH && (slb->vsid & SLB_VSID_N)) {
        fault->vector = PPC_VEC_ISI;
        fault->srr1_bits = SRR1_NOEXEC_GUARD;
        return false;
    }

    /*
     * The hash and the AVPN use the segment's base page size, whatever the
     * actual size of the page the PTE maps (MPSS: a 16 MB page in a 4 KB
     * segment has one PTE per 4 KB piece the guest touches, each with the
     * AVPN of that piece); the real address uses the actual size.
     */
    seg_shift = slb_page_shift(max_shift, slb->vsid);
    if (slb->vsid & SLB_VSID_B) {
        vsid = (slb->vsid & SLB_VSID_VSID) >> SLB_VSID_SHIFT_1T;
        epn = (ea & ((1ULL << SEGMENT_SHIFT_1T) - 1)) & ~((1ULL << seg_shift) - 1);
        hash = vsid ^ (vsid << 25) ^ (epn >> seg_shift);
    } else {
        vsid = (slb->vsid & SLB_VSID_VSID) >> SLB_VSID_SHIFT;
        epn = (ea & ((1ULL << SEGMENT_SHIFT_256M) - 1)) & ~((1ULL << seg_shift) - 1);
        hash = vsid ^ (epn >> seg_shift);
    }
    /* The abbreviated virtual page number: B, VSID and the page's top bits. */
    ptem = (slb->vsid & SLB_VSID_PTEM) | ((epn >> 16) & HPTE64_V_AVPN) | HPTE64_V_VALID;

    if (cpu->vhyp_ops && cpu->vhyp_ops->hpt) {
        hpt = cpu->vhyp_ops->hpt(cpu->vhyp, &pteg_mask);
    }
    if (!hpt) {
        /* No table (a radix partition): nothing translates. */
        return fault_nopte(type, fault);
    }
    ptex = pteg_search(hpt, hash & pteg_mask, max_shift, seg_shift, ptem, &pte0, &pte1, &pshift);
    if (ptex < 0) {
        ptex = pteg_search(hpt, ~hash & pteg_mask, max_shift, seg_shift, ptem | HPTE64_V_SECONDARY,
                           &pte0, &pte1, &pshift);
    }
    if (ptex < 0) {
        return fault_nopte(type, fault);
    }

    need = type == PPC_ACCESS_FETCH ? PROT_X : type == PPC_ACCESS_STORE ? PROT_W : PROT_R;
    /* N or G: no fetches (guarded storage is never executed from). */
    exec_prot = (pte1 & (HPTE64_R_N | HPTE64_R_G)) ? PROT_R | PROT_W : PROT_RWX;
    prot_pp = pp_prot(env, slb, pte1);
    prot_key = key_prot(env, pte1);
    if (need & ~(exec_prot & prot_pp & prot_key)) {
        if (type == PPC_ACCESS_FETCH) {
            fault->vector = PPC_VEC_ISI;
            if (!(exec_prot & PROT_X)) {
                fault->srr1_bits = SRR1_NOEXEC_GUARD;
            } else if (!(prot_pp & PROT_X)) {
                fault->srr1_bits = SRR1_PROTFAULT;
            }
            if (!(prot_key & PROT_X)) {
                fault->srr1_bits |= SRR1_KEYFAULT;
            }
        } else {
            fault->vector = PPC_VEC_DSI;
            fault->dsisr = (need & ~prot_pp ? DSISR_PROTFAULT : 0) |
                           (type == PPC_ACCESS_STORE ? DSISR_STORE : 0) |
                           (need & ~prot_key ? DSISR_KEYFAULT : 0);
        }
        return false;
    }

    /*
     * Record the access in the PTE as the hardware does, one byte at a time
     * (R is bit 55 of the second doubleword: byte 14 of the entry; C is bit
     * 56: byte 15).  A load of a page not yet changed leaves C alone: the
     * soft TLB's write side is filled only by stores, which come back here.
     */
    if (!probe) {
        uint8_t *pte = hpt + ptex * HASH_PTE_SIZE_64;

        if (!(pte1 & HPTE64_R_R)) {
            pte[14] |= HPTE64_R_R >> 8;
        }
        if (type == PPC_ACCESS_STORE && !(pte1 & HPTE64_R_C)) {
            pte[15] |= HPTE64_R_C;
        }
        if ((!(pte1 & HPTE64_R_R) || (type == PPC_ACCESS_STORE && !(pte1 & HPTE64_R_C))) &&
            cpu->vhyp_ops && cpu->vhyp_ops->hpte_rc_set) {
            cpu->vhyp_ops->hpte_rc_set(cpu->vhyp, ptex);
        }
    }

    *ra = (pte1 & HPTE64_R_RPN & ~((1ULL << pshift) - 1)) | (ea & ((1ULL << pshift) - 1));
    qemu_log_mask(CPU_LOG_MMU,
                  "hash: ea 0x%" PRIx64 " -> ra 0x%" PRIx64 " (pte %" PRId64 ": 0x%016" PRIx64
                  " 0x%016" PRIx64 ")\n",
                  ea, *ra, ptex, pte0, pte1);
    return true;
}

/*
 * The hashed page table and segment lookaside buffer of the 64-bit hash MMU
 * (Book III 5.7.7-5.7.8): field layouts shared by the CPU's translation and
 * by a machine that manages the table (pseries' H_ENTER and friends).
 */
#ifndef TARGET_PPC_MMU_HASH64_H
#define TARGET_PPC_MMU_HASH64_H

#include "target/ppc/cpu.h"

/* ---- SLB entries, as slbmte takes them (RB: ESID word, RS: VSID word) ---- */

#define SLB_ESID_ESID 0xfffffffff0000000ULL /* ESID, for a 256 MB segment */
#define SLB_ESID_V PPC_BIT(36)              /* valid */
#define SLB_RB_INDEX 0xfffULL               /* slbmte/slbmfee RB: the entry number */

#define SLB_VSID_B 0xc000000000000000ULL /* segment size: 00 256 MB, 01 1 TB */
#define SLB_VSID_B_256M 0ULL
#define SLB_VSID_B_1T PPC_BIT(1)
#define SLB_VSID_VSID 0x3ffffffffffff000ULL
#define SLB_VSID_SHIFT 12       /* VSID of a 256 MB segment: bits 2..51 */
#define SLB_VSID_SHIFT_1T 24    /* of a 1 TB segment: bits 2..39 */
#define SLB_VSID_KS PPC_BIT(52) /* supervisor key */
#define SLB_VSID_KP PPC_BIT(53) /* problem-state key */
#define SLB_VSID_N PPC_BIT(54)  /* no-execute segment */
#define SLB_VSID_L PPC_BIT(55)  /* large base page ... */
#define SLB_VSID_C PPC_BIT(56)  /* class (slbia IH=3 keeps class 0) */
#define SLB_VSID_LP 0x30ULL     /* ... whose size LP selects */
#define SLB_VSID_LLP (SLB_VSID_L | SLB_VSID_LP)
#define SLB_VSID_LLP_4K 0x000ULL
#define SLB_VSID_LLP_64K 0x110ULL
#define SLB_VSID_LLP_16M 0x100ULL
#define SLB_VSID_LLP_16G 0x120ULL
/* What an HPTE's first doubleword compares with: B and VSID. */
#define SLB_VSID_PTEM (SLB_VSID_B | SLB_VSID_VSID)

#define SEGMENT_SHIFT_256M 28
#define SEGMENT_SHIFT_1T 40

/* ---- Hash page table entries: two big-endian doublewords --------------- */

#define HPTES_PER_GROUP 8
#define HASH_PTE_SIZE_64 16
#define HASH_PTEG_SIZE_64 (HASH_PTE_SIZE_64 * HPTES_PER_GROUP)

/*
 * First doubleword.  Under a virtual hypervisor POWER9 keeps the ISA 2.07
 * layout with B in bits 0:1 (as QEMU 7.2 and the PAPR guest expect); only a
 * bare-metal ISA 3.0 table moves B to the second doubleword.
 */
#define HPTE64_V_SSIZE_SHIFT 62
#define HPTE64_V_SSIZE 0xc000000000000000ULL
#define HPTE64_V_AVPN_SHIFT 7
#define HPTE64_V_AVPN 0x3fffffffffffff80ULL
#define HPTE64_V_BOLTED 0x10ULL     /* software: bolted (H_ENTER keeps it) */
#define HPTE64_V_LARGE 0x4ULL       /* L: not a 4 KiB page */
#define HPTE64_V_SECONDARY 0x2ULL   /* H: in the secondary group */
#define HPTE64_V_VALID 0x1ULL       /* V */
#define HPTE64_V_HPTE_DIRTY 0x40ULL /* hypervisor software bit (QEMU's HPTE_DIRTY) */
/* The bits a search compares: B, AVPN, H and V (L is checked apart). */
#define HPTE64_V_COMPARE_MASK 0xffffffffffffff83ULL

/* Second doubleword */
#define HPTE64_R_PP0 PPC_BIT(0)
#define HPTE64_R_KEY_HI 0x3000000000000000ULL /* key bits 0:1 */
#define HPTE64_R_RPN 0x0ffffffffffff000ULL
#define HPTE64_R_KEY_LO 0xe00ULL /* key bits 2:4 */
#define HPTE64_R_R 0x100ULL      /* referenced */
#define HPTE64_R_C 0x80ULL       /* changed */
#define HPTE64_R_W 0x40ULL
#define HPTE64_R_I 0x20ULL
#define HPTE64_R_M 0x10ULL
#define HPTE64_R_G 0x8ULL
#define HPTE64_R_WIMG 0x78ULL
#define HPTE64_R_N 0x4ULL  /* no-execute page */
#define HPTE64_R_PP 0x3ULL /* page protection, with PP0 */

/* The virtual page class key of a PTE (0..31). */
static inline unsigned hpte64_key(uint64_t pte1)
{
    return ((pte1 & HPTE64_R_KEY_HI) >> 57) | ((pte1 & HPTE64_R_KEY_LO) >> 9);
}

static inline uint64_t hpte64_load(const uint8_t *hpt, uint64_t ptex, unsigned dw)
{
    uint64_t v;

    memcpy(&v, hpt + ptex * HASH_PTE_SIZE_64 + dw * 8, 8);
    return GUINT64_FROM_BE(v);
}

static inline void hpte64_store(uint8_t *hpt, uint64_t ptex, unsigned dw, uint64_t val)
{
    uint64_t v = GUINT64_TO_BE(val);

    memcpy(hpt + ptex * HASH_PTE_SIZE_64 + dw * 8, &v, 8);
}

/*
 * Segment (base) and page (actual) sizes of the hash MMU, as ibm,segment-
 * page-sizes lists them: the SLB L||LP encoding of the base size, and the
 * PTE's LP encoding of an actual size (the RPN bits below the page size,
 * shifted down to bit 0: 0x38 for a 16 MB page in a 4 KB segment).
 */
typedef struct PPCHash64PageSize {
    unsigned seg_shift; /* base page size of the segment */
    uint64_t slb_llp;   /* SLB L||LP selecting that base size */
    unsigned shift;     /* actual page size */
    uint64_t pte_enc;   /* LP bits, as the low RPN bits from bit 12 */
} PPCHash64PageSize;

/* Every size the model offers, grouped by segment, base size first. */
const PPCHash64PageSize *ppc_hash64_page_size_table(size_t *count);
/*
 * Whether a partition limited to max_shift (cap-hpt-max-page-size) may use
 * ps: its actual size fits, and (as QEMU 7.2 and KVM) a segment holds only
 * its base size and 16 MB pages.
 */
bool ppc_hash64_page_size_allowed(unsigned max_shift, const PPCHash64PageSize *ps);

/*
 * The largest page size (log2) a CPU's partition may use.  The machine
 * sets it (pseries: from cap-hpt-max-page-size) before the CPU translates;
 * unset, it is QEMU 7.2's default, 64 KiB.
 */
#define PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT 16
void ppc_hash64_set_max_page_shift(PowerPCCPU *cpu, unsigned shift);
unsigned ppc_hash64_max_page_shift(const PowerPCCPU *cpu);

/*
 * The base page size (log2) an SLB L||LP field selects for this CPU's
 * partition, or 0 when it does not offer it (slbmte refuses the entry).
 */
unsigned ppc_hash64_cpu_slb_page_shift(const PowerPCCPU *cpu, uint64_t vsid);
/*
 * The page size of a PTE whatever its segment (H_ENTER), 0 for an encoding
 * no segment of this CPU's partition accepts.
 */
unsigned ppc_hash64_cpu_pte_page_shift_noslb(const PowerPCCPU *cpu, uint64_t pte0, uint64_t pte1);

/*
 * The same with QEMU 7.2's default limit (64 KiB): the actual page size
 * (log2) of a PTE found in a segment of base size seg_shift (0 when its
 * L/LP encoding does not fit the segment), of a PTE whatever its segment,
 * and the base size of an SLB L||LP field.
 */
unsigned ppc_hash64_pte_page_shift(unsigned seg_shift, uint64_t pte0, uint64_t pte1);
unsigned ppc_hash64_pte_page_shift_noslb(uint64_t pte0, uint64_t pte1);
unsigned ppc_hash64_slb_page_shift(uint64_t vsid);

#endif

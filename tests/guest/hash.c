/* The hash MMU of a pseries partition: the page-frame hcalls (H_ENTER, H_READ,
 * H_REMOVE, H_BULK_REMOVE, H_PROTECT, H_CLEAR_REF/MOD) with their errors, the SLB
 * instructions, and translated loads, stores and fetches through 4K and 64K pages
 * in 256M and 1T segments, with R/C recording and the faults (segment, no PTE,
 * protection, no-execute, problem state). */
#include "insn.h"

/* hcalls, return codes and flags (PAPR; Linux asm/hvcall.h) */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_CLEAR_MOD 0x10
#define H_CLEAR_REF 0x14
#define H_PROTECT 0x18
#define H_BULK_REMOVE 0x124
#define H_FUNCTION (-2)
#define H_PARAMETER (-4)
#define H_PTEG_FULL (-6)
#define H_NOT_FOUND (-7)
#define H_EXACT PPC_BIT(24)
#define H_READ_4 PPC_BIT(26)
#define H_AVPN PPC_BIT(32)
#define H_ANDCOND PPC_BIT(33)
#define H_ZERO_PAGE PPC_BIT(48)

/* MSR, interrupt vectors, DSISR/SRR1 bits (Book III) */
#define MSR_EE PPC_BIT(48)
#define MSR_PR PPC_BIT(49)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define VEC_DSI 0x300
#define VEC_DSEG 0x380
#define VEC_ISI 0x400
#define VEC_ISEG 0x480
#define VEC_PROGRAM 0x700
#define VEC_SYSCALL 0xc00
#define DSISR_NOPTE PPC_BIT(33)
#define DSISR_PROT PPC_BIT(36)
#define DSISR_STORE PPC_BIT(38)
#define DSISR_KEY PPC_BIT(42)
#define SRR1_NOPTE PPC_BIT(33)
#define SRR1_NOEXEC PPC_BIT(35)
#define SRR1_PROT PPC_BIT(36)
#define SRR1_FAULT_BITS (PPC_BIT(33) | PPC_BIT(34) | PPC_BIT(35) | PPC_BIT(36) | PPC_BIT(42))
#define SRR1_ILLEGAL PPC_BIT(44)
#define SRR1_PRIV PPC_BIT(45)

/* SLB entry words */
#define SLB_V PPC_BIT(36)
#define SLB_B_1T PPC_BIT(1)
#define SLB_KS PPC_BIT(52)
#define SLB_KP PPC_BIT(53)
#define SLB_N PPC_BIT(54)
#define SLB_C PPC_BIT(56)
#define SLB_LLP_64K 0x110ULL
#define SLB_LLP_16M 0x100ULL

/* PTE bits */
#define V_VALID 0x1ULL
#define V_SECONDARY 0x2ULL
#define V_LARGE 0x4ULL
#define V_SW 0x60ULL    /* software bits H_ENTER clears */
#define V_DIRTY 0x40ULL /* QEMU's HPTE_DIRTY: in every PTE the hypervisor stores */
#define R_PP0 PPC_BIT(0)
#define R_R 0x100ULL
#define R_C 0x80ULL
#define R_I 0x20ULL
#define R_M 0x10ULL
#define R_G 0x8ULL
#define R_N 0x4ULL
#define R_LP_64K 0x1000ULL

#define PAGE_4K 12
#define PAGE_64K 16

/* ---- Helpers ------------------------------------------------------------- */

static uint64_t pteg_mask; /* PTE groups - 1 */
static uint64_t npte;
static bool power9;

static int64_t hcall4(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                      uint64_t out[9])
{
    uint64_t regs[9] = { a0, a1, a2, a3 };
    int64_t rc = guest_hcall(op, regs);

    if (out) {
        memcpy(out, regs, sizeof(regs));
    }
    return rc;
}

static int64_t h_enter(uint64_t flags, uint64_t ptex, uint64_t v, uint64_t r, uint64_t *index)
{
    uint64_t out[9];
    int64_t rc = hcall4(H_ENTER, flags, ptex, v, r, out);

    if (index) {
        *index = out[0];
    }
    return rc;
}

/* The PTE at ptex as H_READ shows it (both words 0xdead... when H_READ fails). */
static void h_read(uint64_t ptex, uint64_t *v, uint64_t *r)
{
    uint64_t out[9];

    if (hcall4(H_READ, 0, ptex, 0, 0, out) != H_SUCCESS) {
        out[0] = out[1] = 0xdeaddeaddeaddeadULL;
    }
    *v = out[0];
    *r = out[1];
}

static uint64_t read_v(uint64_t ptex)
{
    uint64_t v, r;

    h_read(ptex, &v, &r);
    return v;
}

static uint64_t read_r(uint64_t ptex)
{
    uint64_t v, r;

    h_read(ptex, &v, &r);
    return r;
}

static int64_t h_remove(uint64_t flags, uint64_t ptex, uint64_t avpn)
{
    return hcall4(H_REMOVE, flags, ptex, avpn, 0, NULL);
}

static void slbmte(uint64_t vsid_word, uint64_t esid_word)
{
    asm volatile("slbmte %0,%1" : : "r"(vsid_word), "r"(esid_word) : "memory");
}

static uint64_t slbmfee(uint64_t index)
{
    uint64_t v;

    asm volatile("slbmfee %0,%1" : "=r"(v) : "r"(index));
    return v;
}

static uint64_t slbmfev(uint64_t index)
{
    uint64_t v;

    asm volatile("slbmfev %0,%1" : "=r"(v) : "r"(index));
    return v;
}

static void slbie(uint64_t ea)
{
    asm volatile("slbie %0\n\tisync" : : "r"(ea) : "memory");
}

/* A segment: its SLB words and page size. */
struct seg {
    uint64_t ea;    /* first address */
    uint64_t vsid;  /* VSID */
    uint64_t flags; /* Ks Kp N L LP (C) */
    bool tera;      /* 1 TB segment */
};

static uint64_t seg_vsid_word(const struct seg *s)
{
    return s->tera ? (SLB_B_1T | (s->vsid << 24) | s->flags) : ((s->vsid << 12) | s->flags);
}

static uint64_t seg_esid_word(const struct seg *s, unsigned index)
{
    return s->ea | SLB_V | index;
}

static unsigned seg_pshift(const struct seg *s)
{
    return (s->flags & SLB_LLP_64K) == SLB_LLP_64K ? PAGE_64K : PAGE_4K;
}

/* First PTE index of the primary (or secondary) group for ea in segment s. */
static uint64_t pte_group(const struct seg *s, uint64_t ea, bool secondary)
{
    unsigned p = seg_pshift(s);
    uint64_t hash;

    if (s->tera) {
        hash = s->vsid ^ (s->vsid << 25) ^ ((ea & ((1ULL << 40) - 1)) >> p);
    } else {
        hash = s->vsid ^ ((ea & ((1ULL << 28) - 1)) >> p);
    }
    return ((secondary ? ~hash : hash) & pteg_mask) * 8;
}

/* The first PTE doubleword for the page holding ea. */
static uint64_t pte_v(const struct seg *s, uint64_t ea, bool secondary)
{
    unsigned p = seg_pshift(s);
    uint64_t off = ea & ((1ULL << (s->tera ? 40 : 28)) - 1) & ~((1ULL << p) - 1);
    uint64_t avpn = (seg_vsid_word(s) & 0xfffffffffffff000ULL) | ((off >> 16) & ~0x7fULL);

    return avpn | (p == PAGE_64K ? V_LARGE : 0) | (secondary ? V_SECONDARY : 0) | V_VALID;
}

/* The second doubleword: real page ra, protection pp (PP0 in bit 2), extra bits. */
static uint64_t pte_r(const struct seg *s, uint64_t ra, unsigned pp, uint64_t extra)
{
    uint64_t r = ra | R_M | (pp & 3) | ((pp & 4) ? R_PP0 : 0) | extra;

    return seg_pshift(s) == PAGE_64K ? r | R_LP_64K : r;
}

/* Map ea -> ra in segment s; the PTE index, or -1. */
static int64_t map(const struct seg *s, uint64_t ea, uint64_t ra, unsigned pp, uint64_t extra)
{
    uint64_t index;
    int64_t rc =
        h_enter(0, pte_group(s, ea, false), pte_v(s, ea, false), pte_r(s, ra, pp, extra), &index);

    CHECK_EQ(rc, H_SUCCESS);
    return rc == H_SUCCESS ? (int64_t)index : -1;
}

static void unmap(int64_t ptex)
{
    uint64_t out[9];

    CHECK_EQ(hcall4(H_REMOVE, 0, ptex, 0, 0, out), H_SUCCESS);
}

/* Fault helpers: run one access, return what the trap record shows. */
static uint64_t load64(uint64_t ea)
{
    return *(volatile uint64_t *)ea;
}

static void store64(uint64_t ea, uint64_t v)
{
    *(volatile uint64_t *)ea = v;
}

static struct guest_trap trap_load(uint64_t ea)
{
    struct guest_trap t;

    guest_trap_expect();
    (void)load64(ea);
    guest_trap_taken(&t);
    return t;
}

static struct guest_trap trap_store(uint64_t ea)
{
    struct guest_trap t;

    guest_trap_expect();
    store64(ea, 0x1234);
    guest_trap_taken(&t);
    return t;
}

/* The landing pad of faulting calls: back to the caller (LR is the return address). */
void hash_land(void);
asm(".text\n.globl hash_land\n.type hash_land,@function\nhash_land:\n\tblr\n"
    ".size hash_land,.-hash_land\n");

/*
 * Run problem-state code at ea (r3 = ea, r4 = arg), entered with rfid.  It comes
 * back through an interrupt that hash_trip arms to resume at hash_land in
 * supervisor state; the caller's LR is the return address all along.
 */
uint64_t hash_pr_enter(uint64_t ea, uint64_t arg);
asm(".text\n.globl hash_pr_enter\n.type hash_pr_enter,@function\nhash_pr_enter:\n"
    "\tmtsrr0 3\n"
    "\tmfmsr 5\n"
    "\tori 5,5,0x4000\n" /* MSR[PR] */
    "\tmtsrr1 5\n"
    "\trfid\n"
    ".size hash_pr_enter,.-hash_pr_enter\n");

static uint64_t pr_trip(uint64_t ea, uint64_t arg, struct guest_trap *t)
{
    uint64_t ret;

    guest_mtdec(0x7fffffff); /* no decrementer while EE is on in problem state */
    guest_trap_expect_resume(hash_land, MSR_PR | MSR_EE);
    ret = hash_pr_enter(ea, arg);
    guest_trap_taken(t);
    return ret;
}

/* Call code at ea (a fetch test); a fault resumes at hash_land, as if it returned. */
static uint64_t call_at(uint64_t ea, struct guest_trap *t)
{
    uint64_t (*volatile fn)(void) = (uint64_t(*)(void))ea;
    uint64_t ret;

    guest_trap_expect_resume(hash_land, 0);
    ret = fn();
    guest_trap_taken(t);
    return ret;
}

/* Instructions stored at ea (through the data side: translated or not). */
#define INSN_LI(rt, v) ((14u << 26) | ((rt) << 21) | ((v)&0xffff))
#define INSN_BLR 0x4e800020u
#define INSN_SC 0x44000002u
#define INSN_LD_R3_R4 0xe8640000u  /* ld 3,0(4) */
#define INSN_STD_R3_R4 0xf8640000u /* std 3,0(4) */
#define INSN_SLBMFEE_R3_R4 (0x7c000000u | (3 << 21) | (4 << 11) | (915 << 1))

static void put_code(uint64_t ea, const uint32_t *insns, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        *(volatile uint32_t *)(ea + 4 * i) = insns[i];
        asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0" : : "r"(ea + 4 * i) : "memory");
    }
    asm volatile("isync" ::: "memory");
}

/* ---- The page frame hcalls (real mode) ------------------------------------ */

/* A segment whose groups nothing else uses. */
static const struct seg hc_seg = { 0x10000000, 0x2345, 0, false };
#define HC_EA 0x10003000ULL
#define HC_RA 0x01200000ULL

static void test_enter_read_remove(void)
{
    uint64_t g = pte_group(&hc_seg, HC_EA, false);
    uint64_t v = pte_v(&hc_seg, HC_EA, false), r = pte_r(&hc_seg, HC_RA, 2, 0);
    uint64_t index, rv, rr, out[9];

    /* Software bits 0x60 are dropped; the hypervisor's dirty bit shows in H_READ. */
    CHECK_EQ(h_enter(0, g + 5, v | V_SW, r, &index), H_SUCCESS);
    CHECK_EQ(index, g); /* the first free slot of the group */
    h_read(g, &rv, &rr);
    CHECK_EQ(rv, v | V_DIRTY);
    CHECK_EQ(rr, r);

    /* H_EXACT: that slot or nothing. */
    CHECK_EQ(h_enter(H_EXACT, g + 3, v, r | R_N, &index), H_SUCCESS);
    CHECK_EQ(index, g + 3);
    CHECK_EQ(h_enter(H_EXACT, g + 3, v, r, &index), H_PTEG_FULL);
    CHECK_EQ(read_r(g + 3), r | R_N);
    /* Without H_EXACT the next free one (slot 1). */
    CHECK_EQ(h_enter(0, g + 3, v, r | R_R, &index), H_SUCCESS);
    CHECK_EQ(index, g + 1);

    /* H_READ_4: four PTEs from the index rounded down to a multiple of 4. */
    CHECK_EQ(hcall4(H_READ, H_READ_4, g + 2, 0, 0, out), H_SUCCESS);
    CHECK_EQ(out[0], v | V_DIRTY);
    CHECK_EQ(out[2], v | V_DIRTY);
    CHECK_EQ(out[3], r | R_R);
    /* A slot never used: QEMU's table starts with the dirty bit in every PTE. */
    CHECK_EQ(out[4], V_DIRTY);
    CHECK_EQ(out[5], 0);
    CHECK_EQ(out[6], v | V_DIRTY);
    CHECK_EQ(out[7], r | R_N);
    CHECK_EQ(hcall4(H_READ, H_READ_4, g + 7, 0, 0, out), H_SUCCESS);
    for (unsigned i = 0; i < 8; i++) {
        CHECK_EQ(out[i], i % 2 ? 0 : V_DIRTY); /* g+4 .. g+7: empty */
    }

    /* H_REMOVE: the old PTE in r4/r5; the slot keeps only the dirty bit. */
    CHECK_EQ(hcall4(H_REMOVE, 0, g + 1, 0, 0, out), H_SUCCESS);
    CHECK_EQ(out[0], v | V_DIRTY);
    CHECK_EQ(out[1], r | R_R);
    h_read(g + 1, &rv, &rr);
    CHECK_EQ(rv, V_DIRTY);
    CHECK_EQ(rr, 0);
    CHECK_EQ(h_remove(0, g + 1, 0), H_NOT_FOUND);

    /* H_AVPN: the AVPN (all but the low 7 bits) must match. */
    CHECK_EQ(h_remove(H_AVPN, g + 3, (v & ~0x7fULL) ^ 0x80), H_NOT_FOUND);
    CHECK_EQ(read_v(g + 3), v | V_DIRTY);
    CHECK_EQ(h_remove(H_AVPN, g + 3, v & ~0x7fULL), H_SUCCESS);
    /* H_ANDCOND: removed only when the PTE has none of the given bits. */
    CHECK_EQ(h_remove(H_ANDCOND, g, V_VALID), H_NOT_FOUND);
    CHECK_EQ(read_v(g), v | V_DIRTY);
    CHECK_EQ(h_remove(H_ANDCOND, g, 0x8), H_SUCCESS);
    CHECK_EQ(read_v(g), V_DIRTY);

    /* H_ENTER ignores its other flags: H_ZERO_PAGE does not clear the page. */
    *(volatile uint64_t *)(HC_RA + 0x80) = 0x5a5a;
    CHECK_EQ(h_enter(H_ZERO_PAGE | H_ANDCOND, g, v, r, &index), H_SUCCESS);
    CHECK_EQ(index, g);
    CHECK_EQ(*(volatile uint64_t *)(HC_RA + 0x80), 0x5a5a);
    CHECK_EQ(h_remove(0, g, 0), H_SUCCESS);
}

static void test_enter_errors(void)
{
    uint64_t g = pte_group(&hc_seg, HC_EA, false);
    uint64_t v = pte_v(&hc_seg, HC_EA, false), r = pte_r(&hc_seg, HC_RA, 2, 0);
    uint64_t index, slot;

    /* Page size: L with an LP the partition does not have (16M in a 4K segment, 0x2). */
    CHECK_EQ(h_enter(0, g, v | V_LARGE, r | 0x38000, &index), H_PARAMETER);
    CHECK_EQ(h_enter(0, g, v | V_LARGE, r | 0x2000, &index), H_PARAMETER);
    /* RAM must be mapped M only: not I, W or G, not without M. */
    CHECK_EQ(h_enter(0, g, v, r & ~R_M, &index), H_PARAMETER);
    CHECK_EQ(h_enter(0, g, v, r | R_I, &index), H_PARAMETER);
    CHECK_EQ(h_enter(0, g, v, r | R_G, &index), H_PARAMETER);
    CHECK_EQ(h_enter(0, g, v, r | 0x40, &index), H_PARAMETER);
    /* Outside RAM: I (or I|M) only. */
    CHECK_EQ(h_enter(0, g, v, 0x200000000ULL | R_M | 2, &index), H_PARAMETER);
    CHECK_EQ(h_enter(0, g, v, 0x200000000ULL | 2, &index), H_PARAMETER);
    /* The index must be inside the table. */
    CHECK_EQ(h_enter(0, npte, v, r, &index), H_PARAMETER);
    CHECK_EQ(h_enter(H_EXACT, -8ULL, v, r, &index), H_PARAMETER);
    for (slot = 0; slot < 8; slot++) {
        CHECK_EQ(read_v(g + slot) & V_VALID, 0);
    }
    CHECK_EQ(read_v(npte - 1) & V_VALID, 0);

    /* An I/O page outside RAM is accepted with I (G allowed). */
    CHECK_EQ(h_enter(0, g, v, 0x200000000ULL | R_I | R_G | 2, &index), H_SUCCESS);
    CHECK_EQ(index, g);
    CHECK_EQ(h_remove(0, g, 0), H_SUCCESS);

    /* A full group: H_PTEG_FULL, nothing changed. */
    for (slot = 0; slot < 8; slot++) {
        CHECK_EQ(h_enter(0, g, v, r | (slot << 12), &index), H_SUCCESS);
        CHECK_EQ(index, g + slot);
    }
    CHECK_EQ(h_enter(0, g + 2, v | 0x80, r, &index), H_PTEG_FULL);
    for (slot = 0; slot < 8; slot++) {
        CHECK_EQ(read_v(g + slot), v | V_DIRTY);
        CHECK_EQ(read_r(g + slot), r | (slot << 12));
    }
    for (slot = 0; slot < 8; slot++) {
        CHECK_EQ(h_remove(0, g + slot, 0), H_SUCCESS);
    }
}

static void test_other_errors(void)
{
    uint64_t g = pte_group(&hc_seg, HC_EA, false);
    uint64_t v = pte_v(&hc_seg, HC_EA, false), r = pte_r(&hc_seg, HC_RA, 2, 0);
    uint64_t out[9];

    CHECK_EQ(h_enter(H_EXACT, g + 4, v, r, NULL), H_SUCCESS);
    /* Bad indexes. */
    CHECK_EQ(hcall4(H_READ, 0, npte, 0, 0, out), H_PARAMETER);
    CHECK_EQ(hcall4(H_READ, H_READ_4, npte + 3, 0, 0, out), H_PARAMETER);
    CHECK_EQ(h_remove(0, npte, 0), H_PARAMETER);
    CHECK_EQ(hcall4(H_PROTECT, 0, npte, 0, 0, out), H_PARAMETER);
    /* H_PROTECT of an empty slot, or with a wrong AVPN. */
    CHECK_EQ(hcall4(H_PROTECT, 1, g + 5, 0, 0, out), H_NOT_FOUND);
    CHECK_EQ(hcall4(H_PROTECT, H_AVPN | 1, g + 4, (v & ~0x7fULL) ^ 0x80, 0, out), H_NOT_FOUND);
    CHECK_EQ(read_r(g + 4), r);
    CHECK_EQ(read_v(g + 5), V_DIRTY); /* removed earlier */

    /* H_PROTECT: PP0 from flags bit 55, N and PP from 61:63, the key from 50:54. */
    CHECK_EQ(hcall4(H_PROTECT, H_AVPN | 0x100 | R_N | 1, g + 4, v & ~0x7fULL, 0, out), H_SUCCESS);
    CHECK_EQ(read_r(g + 4), (r & ~3ULL) | R_PP0 | R_N | 1);
    CHECK_EQ(hcall4(H_PROTECT, 0x3000 | 0xe00 | 2, g + 4, 0, 0, out), H_SUCCESS);
    CHECK_EQ(read_r(g + 4), (r & ~3ULL) | 0x3000000000000000ULL | 0xe00 | 2);
    /* Other bits of the second doubleword are not touched (RPN, WIMG). */
    CHECK_EQ(hcall4(H_PROTECT, 0xffffffffffffffffULL & ~H_AVPN, g + 4, 0, 0, out), H_SUCCESS);
    CHECK_EQ(read_r(g + 4), (r & ~3ULL) | R_PP0 | 0x3000000000000000ULL | 0xe00 | R_N | 3);
    CHECK_EQ(read_v(g + 4), v | V_DIRTY);

    /* H_CLEAR_REF / H_CLEAR_MOD: QEMU 7.2 does not offer them (H_FUNCTION). */
    if (guest_oracle()) {
        CHECK_EQ(hcall4(H_CLEAR_REF, 0, g + 4, 0, 0, out), H_FUNCTION);
        CHECK_EQ(hcall4(H_CLEAR_MOD, 0, g + 4, 0, 0, out), H_FUNCTION);
    } else {
        CHECK_EQ(hcall4(H_CLEAR_REF, 0, npte, 0, 0, out), H_PARAMETER);
        CHECK_EQ(hcall4(H_CLEAR_MOD, 0, npte, 0, 0, out), H_PARAMETER);
        CHECK_EQ(hcall4(H_CLEAR_REF, 0, g + 5, 0, 0, out), H_NOT_FOUND);
        CHECK_EQ(hcall4(H_CLEAR_MOD, 0, g + 5, 0, 0, out), H_NOT_FOUND);
        CHECK_EQ(read_v(g + 5), V_DIRTY); /* removed earlier */
    }
    CHECK_EQ(h_remove(0, g + 4, 0), H_SUCCESS);
}

/* H_BULK_REMOVE: (high, low) pairs, each request answered in place. */
#define BULK_REQUEST PPC_BIT(1)
#define BULK_RESPONSE PPC_BIT(0)
#define BULK_END (PPC_BIT(0) | PPC_BIT(1))
#define BULK_ANDCOND PPC_BIT(7)
#define BULK_AVPN PPC_BIT(6)
#define BULK_NOT_FOUND PPC_BIT(3)
#define BULK_PARM PPC_BIT(2)

static void test_bulk_remove(void)
{
    uint64_t g = pte_group(&hc_seg, HC_EA, false);
    uint64_t v = pte_v(&hc_seg, HC_EA, false), r = pte_r(&hc_seg, HC_RA, 2, 0);
    uint64_t regs[9];

    CHECK_EQ(h_enter(H_EXACT, g + 1, v, r | R_R | R_C, NULL), H_SUCCESS);
    CHECK_EQ(h_enter(H_EXACT, g + 2, v, r, NULL), H_SUCCESS);
    CHECK_EQ(h_enter(H_EXACT, g + 3, v, r, NULL), H_SUCCESS);
    memset(regs, 0, sizeof(regs));
    regs[0] = BULK_REQUEST | (g + 1);
    regs[2] = BULK_REQUEST | BULK_AVPN | (g + 2);
    regs[3] = (v & ~0x7fULL) ^ 0x100; /* wrong AVPN: not found */
    regs[4] = BULK_REQUEST | (g + 5); /* empty: not found */
    regs[6] = BULK_END;
    regs[7] = 0x5555;
    CHECK_EQ(guest_hcall(H_BULK_REMOVE, regs), H_SUCCESS);
    /* R and C of the removed PTE come back shifted by 43 in QEMU 7.2 (and here). */
    CHECK_EQ(regs[0], BULK_RESPONSE | ((R_R | R_C) << 43) | (g + 1));
    CHECK_EQ(regs[2], BULK_RESPONSE | BULK_NOT_FOUND | BULK_AVPN | (g + 2));
    CHECK_EQ(regs[4], BULK_RESPONSE | BULK_NOT_FOUND | (g + 5));
    CHECK_EQ(regs[6], BULK_END);
    CHECK_EQ(read_v(g + 1), V_DIRTY);
    CHECK_EQ(read_v(g + 2), v | V_DIRTY);

    /* Both ANDCOND and AVPN: H_PARAMETER, that request answered with PARM. */
    memset(regs, 0, sizeof(regs));
    regs[0] = BULK_REQUEST | BULK_ANDCOND | BULK_AVPN | (g + 2);
    CHECK_EQ(guest_hcall(H_BULK_REMOVE, regs), H_PARAMETER);
    CHECK_EQ(regs[0], BULK_RESPONSE | BULK_PARM | BULK_ANDCOND | BULK_AVPN | (g + 2));
    CHECK_EQ(read_v(g + 2), v | V_DIRTY);
    /* A bad type (00 or a response): H_PARAMETER, nothing removed. */
    memset(regs, 0, sizeof(regs));
    regs[0] = g + 2;
    CHECK_EQ(guest_hcall(H_BULK_REMOVE, regs), H_PARAMETER);
    CHECK_EQ(read_v(g + 2), v | V_DIRTY);
    /* A bad index stops the list. */
    memset(regs, 0, sizeof(regs));
    regs[0] = BULK_REQUEST | npte;
    regs[2] = BULK_REQUEST | (g + 2);
    CHECK_EQ(guest_hcall(H_BULK_REMOVE, regs), H_PARAMETER);
    CHECK_EQ(regs[0], BULK_RESPONSE | BULK_PARM | npte);
    CHECK_EQ(regs[2], BULK_REQUEST | (g + 2));
    CHECK_EQ(read_v(g + 2), v | V_DIRTY);
    /* AVPN match and ANDCOND: both removed. */
    memset(regs, 0, sizeof(regs));
    regs[0] = BULK_REQUEST | BULK_AVPN | (g + 2);
    regs[1] = v & ~0x7fULL;
    regs[2] = BULK_REQUEST | BULK_ANDCOND | (g + 3);
    regs[3] = 0x8;
    regs[4] = BULK_END;
    CHECK_EQ(guest_hcall(H_BULK_REMOVE, regs), H_SUCCESS);
    CHECK_EQ(regs[0], BULK_RESPONSE | BULK_AVPN | (g + 2));
    CHECK_EQ(regs[2], BULK_RESPONSE | BULK_ANDCOND | (g + 3));
    CHECK_EQ(read_v(g + 2), V_DIRTY);
    CHECK_EQ(read_v(g + 3), V_DIRTY);
}

/* ---- SLB instructions (real mode) ----------------------------------------- */

static void test_slb_insns(void)
{
    struct guest_trap t;
    uint64_t vs = (0x12345ULL << 12) | SLB_KP | SLB_C, rt;
    uint32_t cr;

    slbmte(vs, 0x50000000 | SLB_V | 7);
    CHECK_EQ(slbmfee(7), 0x50000000 | SLB_V);
    CHECK_EQ(slbmfev(7), vs);
    /* slbmfee/slbmfev read only the index bits of RB. */
    CHECK_EQ(slbmfee(0xffffffffffff0007ULL), 0x50000000 | SLB_V);

    /* slbfee.: the entry translating RB, CR0[EQ]; none: RT = 0. */
    asm volatile("slbfee. %0,%2\n\tmfcr %1" : "=r"(rt), "=r"(cr) : "r"(0x50001234ULL) : "cr0");
    CHECK_EQ(rt, vs);
    CHECK_EQ(CR_FIELD(cr, 0), CR_EQ);
    asm volatile("slbfee. %0,%2\n\tmfcr %1" : "=r"(rt), "=r"(cr) : "r"(0x60001234ULL) : "cr0");
    CHECK_EQ(rt, 0);
    CHECK_EQ(CR_FIELD(cr, 0), 0);

    /* slbie: the entry goes invalid (V clear), the words stay. */
    slbie(0x50000000);
    CHECK_EQ(slbmfee(7), 0x50000000);
    CHECK_EQ(slbmfev(7), vs);

    /* Refused: an index past 31, reserved ESID bits, B = 10, 16M pages (not offered). */
    guest_trap_expect();
    slbmte(vs, 0x50000000 | SLB_V | 32);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr1 & (SRR1_ILLEGAL | SRR1_PRIV), SRR1_ILLEGAL);
    guest_trap_expect();
    slbmte(vs, 0x50000000 | SLB_V | 0x1000 | 6);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    guest_trap_expect();
    slbmte(vs | PPC_BIT(0), 0x50000000 | SLB_V | 6);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    guest_trap_expect();
    slbmte(vs | SLB_LLP_16M, 0x50000000 | SLB_V | 6);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr1 & (SRR1_ILLEGAL | SRR1_PRIV), SRR1_ILLEGAL);
    CHECK_EQ(slbmfee(6), 0); /* nothing was written */
    guest_trap_expect();
    (void)slbmfee(32);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr1 & (SRR1_ILLEGAL | SRR1_PRIV), SRR1_ILLEGAL);
    guest_trap_expect();
    (void)slbmfev(4095);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);

    /* slbia: every entry but entry 0 goes invalid. */
    slbmte(vs, 0x50000000 | SLB_V | 0);
    slbmte(vs, 0x60000000 | SLB_V | 1);
    slbmte(vs, 0x70000000 | SLB_V | 31);
    asm volatile("slbia\n\tisync" ::: "memory");
    CHECK_EQ(slbmfee(0), 0x50000000 | SLB_V);
    CHECK_EQ(slbmfee(1), 0x60000000);
    CHECK_EQ(slbmfee(31), 0x70000000);
    if (power9) {
        /* ISA 3.0 slbia IH=3: entry 0 too, but not class-0 entries. */
        slbmte(vs & ~SLB_C, 0x60000000 | SLB_V | 1);
        asm volatile(".long 0x7c6003e4\n\tisync" ::: "memory"); /* slbia 3 */
        CHECK_EQ(slbmfee(0), 0x50000000);
        CHECK_EQ(slbmfee(1), 0x60000000 | SLB_V);
        /* IH=7: no entry. */
        asm volatile(".long 0x7ce003e4\n\tisync" ::: "memory"); /* slbia 7 */
        CHECK_EQ(slbmfee(1), 0x60000000 | SLB_V);
        asm volatile(".long 0x7c8003e4\n\tisync" ::: "memory"); /* slbia 4 */
        CHECK_EQ(slbmfee(1), 0x60000000);
    }
    slbmte(0, 0);
    slbmte(0, 1);
    slbmte(0, 7);
    slbmte(0, 31);
}

/*
 * Encodings with reserved bits set, and slbieg/slbsync: what QEMU 7.2 does
 * with each (0: runs; 0x700 with the SRR1 reason).  r3 = r4 = 0 (entry 0, or
 * EA 0) for all of them; entry 0 is empty here.
 */
#define RUN_WORD(w)                                                                                \
    ({                                                                                             \
        struct guest_trap t_;                                                                      \
        guest_trap_expect();                                                                       \
        asm volatile("li 4,0\n\tli 3,0\n\t.long %0" : : "i"(w) : "r3", "r4", "cr0", "memory");     \
        guest_trap_taken(&t_);                                                                     \
        t_.vector ? t_.vector | (t_.srr1 & (SRR1_ILLEGAL | SRR1_PRIV)) : 0;                        \
    })

static void test_slb_encodings(void)
{
    /* QEMU 7.2 ignores the reserved fields: slbie with RS = 1, with RA = 1 */
    CHECK_EQ(RUN_WORD(0x7c000364 | (1 << 21) | (4 << 11)), 0);
    CHECK_EQ(RUN_WORD(0x7c000364 | (1 << 16) | (4 << 11)), 0);
    /* slbmte with RA = 1 (entry 0 := 0) */
    CHECK_EQ(RUN_WORD(0x7c000324 | (3 << 21) | (1 << 16) | (4 << 11)), 0);
    /* slbmfee / slbmfev with bit 15 set, slbmfee with Rc = 1 */
    CHECK_EQ(RUN_WORD(0x7c000726 | (3 << 21) | 0x10000 | (4 << 11)), 0);
    CHECK_EQ(RUN_WORD(0x7c0006a6 | (3 << 21) | 0x10000 | (4 << 11)), 0);
    CHECK_EQ(RUN_WORD(0x7c000727 | (3 << 21) | (4 << 11)), 0);
    /* slbia with bit 6 set, with RB = 4 */
    CHECK_EQ(RUN_WORD(0x7c0003e4 | 0x02000000), 0);
    CHECK_EQ(RUN_WORD(0x7c0003e4 | (4 << 11)), 0);
    /* slbfee needs its record bit */
    CHECK_EQ(RUN_WORD(0x7c0007a6 | (3 << 21) | (4 << 11)), VEC_PROGRAM | SRR1_ILLEGAL);
    /* slbieg RS,RB and slbsync run in supervisor state */
    CHECK_EQ(RUN_WORD(0x7c0003a4 | (3 << 21) | (4 << 11)), 0);
    CHECK_EQ(RUN_WORD(0x7c0002a4), 0);
    /* slbieg invalidates like slbie */
    slbmte(0x12345ULL << 12, 0x50000000 | SLB_V | 9);
    asm volatile("slbieg %0,%1" : : "r"(0ULL), "r"(0x50000000ULL) : "memory");
    CHECK_EQ(slbmfee(9), 0x50000000);
    slbmte(0, 9);
}

/* ---- Translated accesses -------------------------------------------------- */

/* Segment 0 maps the program itself, 1:1, with 64K pages. */
static const struct seg id_seg = { 0, 0x100, SLB_LLP_64K, false };
#define ID_SIZE 0x400000ULL
extern char __stack_top[];

static const struct seg seg4k = { 0x10000000, 0x2345, 0, false };                  /* slot 1 */
static const struct seg seg64k = { 0x20000000, 0x3456, SLB_LLP_64K, false };       /* slot 2 */
static const struct seg seg1t = { 0x10000000000ULL, 0x4567, 0, true };             /* slot 3 */
static const struct seg seg1t64 = { 0x20000000000ULL, 0x5678, SLB_LLP_64K, true }; /* slot 4 */
static const struct seg segnx = { 0x40000000, 0x6789, SLB_N, false };              /* slot 5 */
static const struct seg segkey = { 0x50000000, 0x789a, SLB_KP, false };            /* slot 6 */
static const struct seg segks = { 0x60000000, 0x89ab, SLB_KS, false };             /* slot 7 */
#define NO_SEG_EA 0x30000000ULL

/* Real pages behind the test mappings (far above the program). */
#define RA_A 0x01000000ULL
#define RA_B 0x01010000ULL
#define RA_C 0x01020000ULL
#define RA_D 0x01030000ULL
#define RA_E 0x01040000ULL

static int64_t id_ptes[ID_SIZE >> 16];
static volatile uint64_t pr_scratch;

static void map_program(void)
{
    CHECK((uint64_t)__stack_top < ID_SIZE);
    slbmte(seg_vsid_word(&id_seg), seg_esid_word(&id_seg, 0));
    for (uint64_t ea = 0; ea < ID_SIZE; ea += 1 << 16) {
        id_ptes[ea >> 16] = map(&id_seg, ea, ea, 2, 0);
    }
    slbmte(seg_vsid_word(&seg4k), seg_esid_word(&seg4k, 1));
    slbmte(seg_vsid_word(&seg64k), seg_esid_word(&seg64k, 2));
    slbmte(seg_vsid_word(&seg1t), seg_esid_word(&seg1t, 3));
    slbmte(seg_vsid_word(&seg1t64), seg_esid_word(&seg1t64, 4));
    slbmte(seg_vsid_word(&segnx), seg_esid_word(&segnx, 5));
    slbmte(seg_vsid_word(&segkey), seg_esid_word(&segkey, 6));
    slbmte(seg_vsid_word(&segks), seg_esid_word(&segks, 7));
}

static void unmap_program(void)
{
    for (unsigned i = 0; i < 8; i++) {
        slbmte(0, i);
    }
    for (uint64_t ea = 0; ea < ID_SIZE; ea += 1 << 16) {
        if (id_ptes[ea >> 16] >= 0) {
            unmap(id_ptes[ea >> 16]);
        }
    }
    asm volatile("slbia\n\tisync" ::: "memory");
}

/* Loads and stores through 4K and 64K pages, 256M and 1T segments; R and C. */
static void test_data_access(void)
{
    /* Fill the real pages in real mode first (translation off). */
    int64_t p4, p64, p1t, p1t64;
    uint64_t rv, rr, idx, idx_large;
    struct guest_trap t;

    *(volatile uint64_t *)(RA_A + 0x18) = 0x1111222233334444ULL;
    *(volatile uint64_t *)(RA_B + 0x5008) = 0x5555666677778888ULL;
    *(volatile uint64_t *)(RA_C + 0xff8) = 0x99990000aaaabbbbULL;
    *(volatile uint64_t *)(RA_D + 0xeff0) = 0xccccddddeeeeffffULL;

    p4 = map(&seg4k, 0x10007000, RA_A, 2, 0);
    p64 = map(&seg64k, 0x200b0000, RA_B, 2, 0);
    p1t = map(&seg1t, 0x10000000000ULL + 0x123456000ULL, RA_C, 2, 0);
    p1t64 = map(&seg1t64, 0x20000000000ULL + 0x9876540000ULL, RA_D, 2, 0);
    CHECK_EQ(read_r(p4) & (R_R | R_C), 0);

    guest_translation(true);
    CHECK_EQ(load64(0x10007018), 0x1111222233334444ULL);
    CHECK_EQ(load64(0x200b5008), 0x5555666677778888ULL);
    CHECK_EQ(load64(0x10000000000ULL + 0x123456ff8ULL), 0x99990000aaaabbbbULL);
    CHECK_EQ(load64(0x20000000000ULL + 0x987654eff0ULL), 0xccccddddeeeeffffULL);
    /* A load sets R only. */
    CHECK_EQ(read_r(p4) & (R_R | R_C), R_R);
    CHECK_EQ(read_r(p64) & (R_R | R_C), R_R);
    CHECK_EQ(read_r(p1t) & (R_R | R_C), R_R);
    CHECK_EQ(read_r(p1t64) & (R_R | R_C), R_R);
    /* A store sets C, even to a page already loaded from. */
    store64(0x10007020, 0xabcdef);
    store64(0x200bfff8, 0x123);
    store64(0x10000000000ULL + 0x123456000ULL, 0x456);
    CHECK_EQ(read_r(p4) & (R_R | R_C), R_R | R_C);
    CHECK_EQ(read_r(p64) & (R_R | R_C), R_R | R_C);
    CHECK_EQ(read_r(p1t) & (R_R | R_C), R_R | R_C);
    CHECK_EQ(read_r(p1t64) & (R_R | R_C), R_R);
    guest_translation(false);
    CHECK_EQ(*(volatile uint64_t *)(RA_A + 0x20), 0xabcdef);
    CHECK_EQ(*(volatile uint64_t *)(RA_B + 0xfff8), 0x123);
    CHECK_EQ(*(volatile uint64_t *)(RA_C), 0x456);

    if (!guest_oracle()) {
        uint64_t out[9];

        /* H_CLEAR_REF / H_CLEAR_MOD (ours): the old R/C back, and set again by the next access. */
        CHECK_EQ(hcall4(H_CLEAR_REF, 0, p4, 0, 0, out), H_SUCCESS);
        CHECK_EQ(out[0] & (R_R | R_C), R_R | R_C);
        CHECK_EQ(read_r(p4) & (R_R | R_C), R_C);
        CHECK_EQ(hcall4(H_CLEAR_MOD, 0, p4, 0, 0, out), H_SUCCESS);
        CHECK_EQ(out[0] & (R_R | R_C), R_C);
        CHECK_EQ(read_r(p4) & (R_R | R_C), 0);
        guest_translation(true);
        CHECK_EQ(load64(0x10007020), 0xabcdef);
        CHECK_EQ(read_r(p4) & (R_R | R_C), R_R);
        store64(0x10007028, 1);
        CHECK_EQ(read_r(p4) & (R_R | R_C), R_R | R_C);
        guest_translation(false);
    }

    /* The same page found through the secondary group. */
    unmap(p4);
    CHECK_EQ(h_enter(0, pte_group(&seg4k, 0x10007000, true), pte_v(&seg4k, 0x10007000, true),
                     pte_r(&seg4k, RA_A, 2, 0), &idx),
             H_SUCCESS);
    guest_translation(true);
    CHECK_EQ(load64(0x10007018), 0x1111222233334444ULL);
    guest_translation(false);
    h_read(idx, &rv, &rr);
    CHECK_EQ(rr & R_R, R_R);
    unmap(idx);

    /* A PTE with H set in the primary group does not match. */
    CHECK_EQ(h_enter(0, pte_group(&seg4k, 0x10007000, false), pte_v(&seg4k, 0x10007000, true),
                     pte_r(&seg4k, RA_A, 2, 0), &idx),
             H_SUCCESS);
    /* Nor does a 64K PTE (L=1) in a 4K segment. */
    CHECK_EQ(h_enter(0, pte_group(&seg4k, 0x10008000, false),
                     pte_v(&seg4k, 0x10008000, false) | V_LARGE, RA_B | R_LP_64K | R_M | 2,
                     &idx_large),
             H_SUCCESS);
    guest_translation(true);
    t = trap_load(0x10007018);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    t = trap_load(0x10008000);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    guest_translation(false);
    unmap(idx);
    unmap(idx_large);
    unmap(p64);
    unmap(p1t);
    unmap(p1t64);
}

/* Segment faults, no PTE, protection. */
static void test_data_faults(void)
{
    struct guest_trap t;
    int64_t pro, prw;

    /* PP=3: read-only for everyone (key 0). */
    pro = map(&seg4k, 0x10009000, RA_E, 3, 0);
    prw = map(&seg4k, 0x1000a000, RA_E, 2, 0);
    guest_translation(true);
    t = trap_load(NO_SEG_EA + 0x128);
    CHECK_EQ(t.vector, VEC_DSEG);
    CHECK_EQ(t.dar, NO_SEG_EA + 0x128);
    t = trap_store(0x10000000000ULL + 0x7000);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dar, 0x10000000000ULL + 0x7000);
    CHECK_EQ(t.dsisr, DSISR_NOPTE | DSISR_STORE);
    t = trap_load(0x1000b010);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    CHECK_EQ(t.dar, 0x1000b010);
    /* A load of the read-only page works, a store faults and changes nothing. */
    t = trap_load(0x10009008);
    CHECK_EQ(t.vector, 0);
    t = trap_store(0x10009010);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_PROT | DSISR_STORE);
    CHECK_EQ(t.dar, 0x10009010);
    CHECK_EQ(load64(0x1000a010), 0); /* the same real page, writable */
    /* Key 1 (Ks) with PP=0: no access at all; PP=1: read only. */
    guest_translation(false);
    CHECK_EQ(read_r(pro) & R_C, 0);
    unmap(pro);
    pro = map(&segks, 0x60001000, RA_E, 0, 0);
    {
        int64_t pr1 = map(&segks, 0x60002000, RA_E, 1, 0);

        guest_translation(true);
        t = trap_load(0x60001000);
        CHECK_EQ(t.vector, VEC_DSI);
        CHECK_EQ(t.dsisr, DSISR_PROT);
        t = trap_load(0x60002000);
        CHECK_EQ(t.vector, 0);
        t = trap_store(0x60002000);
        CHECK_EQ(t.vector, VEC_DSI);
        CHECK_EQ(t.dsisr, DSISR_PROT | DSISR_STORE);
        guest_translation(false);
        /* No R for the refused access. */
        CHECK_EQ(read_r(pro) & (R_R | R_C), 0);
        unmap(pr1);
    }
    /* H_PROTECT takes the write right away at once, and gives it back. */
    guest_translation(true);
    store64(0x1000a018, 7);
    guest_translation(false);
    CHECK_EQ(hcall4(H_PROTECT, 3, prw, 0, 0, NULL), H_SUCCESS);
    guest_translation(true);
    t = trap_store(0x1000a018);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_PROT | DSISR_STORE);
    CHECK_EQ(load64(0x1000a018), 7);
    guest_translation(false);
    CHECK_EQ(hcall4(H_PROTECT, 2, prw, 0, 0, NULL), H_SUCCESS);
    guest_translation(true);
    store64(0x1000a018, 8);
    CHECK_EQ(load64(0x1000a018), 8);
    guest_translation(false);
    /* H_REMOVE takes the translation away at once. */
    unmap(prw);
    guest_translation(true);
    t = trap_load(0x1000a018);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    guest_translation(false);
    unmap(pro);
    /* slbie takes the segment away at once. */
    slbie(seg64k.ea);
    guest_translation(true);
    t = trap_load(0x200b0000);
    CHECK_EQ(t.vector, VEC_DSEG);
    CHECK_EQ(t.dar, 0x200b0000);
    guest_translation(false);
    slbmte(seg_vsid_word(&seg64k), seg_esid_word(&seg64k, 2));
}

/*
 * Storage keys: the PTE's key selects two AMR bits (mtspr AMR is privileged).
 * Each check uses a page not accessed before: QEMU 7.2 keeps what its TLB holds
 * across an AMR write (the ISA wants the new AMR after the next context
 * synchronisation), so a stale grant would hide the fault there.
 */
static void test_keys(void)
{
    struct guest_trap t;
    /* Key 5 (KEY_LO = 5, KEY_HI = 0): AMR bits 10:11, (store, load) deny. */
    int64_t p1 = map(&seg4k, 0x1000c000, RA_E, 2, 5ULL << 9);
    int64_t p2 = map(&seg4k, 0x10010000, RA_E, 2, 5ULL << 9);
    uint64_t amr_store = 2ULL << (2 * (31 - 5)), amr_load = 1ULL << (2 * (31 - 5));

    guest_translation(true);
    asm volatile("mtspr 29,%0\n\tisync" : : "r"(amr_store) : "memory");
    t = trap_store(0x1000c000);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_KEY | DSISR_STORE);
    t = trap_load(0x1000c000);
    CHECK_EQ(t.vector, 0);
    asm volatile("mtspr 29,%0\n\tisync" : : "r"(amr_load) : "memory");
    t = trap_load(0x10010008);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_KEY);
    CHECK_EQ(t.dar, 0x10010008);
    t = trap_store(0x10010000);
    CHECK_EQ(t.vector, 0);
    asm volatile("mtspr 29,%0\n\tisync" : : "r"(0ULL) : "memory");
    guest_translation(false);
    CHECK_EQ(*(volatile uint64_t *)RA_E, 0x1234);
    unmap(p1);
    unmap(p2);
}

/* Instruction fetches: success, no segment, no PTE, N (segment and page), G, PP. */
static void test_fetch(void)
{
    static const uint32_t code[] = { INSN_LI(3, 0x77), INSN_BLR };
    struct guest_trap t;
    int64_t px, pn, pg, pks, pnx;

    put_code(RA_A + 0x100, code, 2);
    put_code(RA_B + 0x200, code, 2);
    px = map(&seg4k, 0x1000d000, RA_A, 2, 0);
    pn = map(&seg4k, 0x1000e000, RA_A, 2, R_N);
    pg = map(&seg4k, 0x1000f000, RA_A, 2, 0);
    pks = map(&segks, 0x60003000, RA_A, 1, 0); /* key 1, PP=1: read and execute */
    pnx = map(&segnx, 0x40000000, RA_A, 2, 0);
    /* pg's page: no PTE at all. */
    CHECK_EQ(hcall4(H_REMOVE, 0, pg, 0, 0, NULL), H_SUCCESS);
    guest_translation(true);
    CHECK_EQ(call_at(0x1000d100, &t), 0x77);
    CHECK_EQ(t.vector, 0);
    CHECK_EQ(call_at(0x60003100, &t), 0x77);
    CHECK_EQ(t.vector, 0);
    (void)call_at(NO_SEG_EA + 0x100, &t);
    CHECK_EQ(t.vector, VEC_ISEG);
    CHECK_EQ(t.srr0, NO_SEG_EA + 0x100);
    (void)call_at(0x1000f100, &t);
    CHECK_EQ(t.vector, VEC_ISI);
    CHECK_EQ(t.srr0, 0x1000f100);
    CHECK_EQ(t.srr1 & SRR1_FAULT_BITS, SRR1_NOPTE);
    (void)call_at(0x1000e100, &t);
    CHECK_EQ(t.vector, VEC_ISI);
    CHECK_EQ(t.srr0, 0x1000e100);
    CHECK_EQ(t.srr1 & SRR1_FAULT_BITS, SRR1_NOEXEC);
    (void)call_at(0x40000100, &t);
    CHECK_EQ(t.vector, VEC_ISI);
    CHECK_EQ(t.srr1 & SRR1_FAULT_BITS, SRR1_NOEXEC);
    /* Data accesses to the no-execute page and segment still work. */
    CHECK_EQ(*(volatile uint32_t *)0x1000e100, INSN_LI(3, 0x77));
    CHECK_EQ(*(volatile uint32_t *)0x40000104, INSN_BLR);
    guest_translation(false);
    /* Key 1, PP=0: no execute (an access authority fault). */
    CHECK_EQ(hcall4(H_PROTECT, 0, pks, 0, 0, NULL), H_SUCCESS);
    guest_translation(true);
    (void)call_at(0x60003100, &t);
    CHECK_EQ(t.vector, VEC_ISI);
    CHECK_EQ(t.srr1 & SRR1_FAULT_BITS, SRR1_PROT);
    guest_translation(false);
    /* A 64K page in a 1T segment executes. */
    {
        int64_t p = map(&seg1t64, 0x20000000000ULL + 0x30000, RA_B, 2, 0);

        guest_translation(true);
        CHECK_EQ(call_at(0x20000000000ULL + 0x30200, &t), 0x77);
        CHECK_EQ(t.vector, 0);
        guest_translation(false);
        unmap(p);
    }
    unmap(px);
    unmap(pn);
    unmap(pks);
    unmap(pnx);
}

/* Problem state: Kp selects the key; supervisor-only pages fault; SLB insns are privileged. */
static void test_problem_state(void)
{
    static const uint32_t code[] = {
        INSN_LD_R3_R4,      INSN_SC, /* 0x00: load, back */
        INSN_STD_R3_R4,     INSN_SC, /* 0x08: store, back */
        INSN_SLBMFEE_R3_R4, INSN_SC, /* 0x10: privileged */
    };
    struct guest_trap t;
    /* Code and data in the Kp segment: code PP=2 (all), data PP=0 (supervisor only) and PP=1. */
    int64_t pc = map(&segkey, 0x50000000, RA_C, 2, 0);
    int64_t psup = map(&segkey, 0x50001000, RA_D, 0, 0);
    int64_t pro = map(&segkey, 0x50002000, RA_D, 1, 0);
    uint64_t v;

    put_code(RA_C, code, 6);
    *(volatile uint64_t *)(RA_D + 0x40) = 0xfeedface;
    guest_translation(true);
    /* The supervisor (Ks = 0) may read and write the PP=0 page. */
    CHECK_EQ(load64(0x50001040), 0xfeedface);
    /* Problem state: a load from it faults (protection), at the ld. */
    (void)pr_trip(0x50000000, 0x50001040, &t);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.srr0, 0x50000000);
    CHECK_EQ(t.dar, 0x50001040);
    CHECK_EQ(t.dsisr, DSISR_PROT);
    CHECK(t.srr1 & MSR_PR);
    CHECK_EQ(guest_mfmsr() & MSR_PR, 0);
    /* The read-only page: the load works (back through sc), the store faults. */
    v = pr_trip(0x50000000, 0x50002040, &t);
    CHECK_EQ(t.vector, VEC_SYSCALL);
    CHECK_EQ(v, 0xfeedface);
    (void)pr_trip(0x50000008, 0x50002048, &t);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_PROT | DSISR_STORE);
    CHECK_EQ(t.srr0, 0x50000008);
    /* The program's own pages (key 0) are writable in problem state too. */
    (void)pr_trip(0x50000008, (uint64_t)&pr_scratch, &t);
    CHECK_EQ(t.vector, VEC_SYSCALL);
    CHECK_EQ(pr_scratch, 0x50000008); /* r3: the code's address */
    /* slbmfee in problem state: privileged instruction. */
    (void)pr_trip(0x50000010, 0, &t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr0, 0x50000010);
    CHECK_EQ(t.srr1 & (SRR1_ILLEGAL | SRR1_PRIV), SRR1_PRIV);
    guest_translation(false);
    unmap(pc);
    unmap(psup);
    unmap(pro);
}

static bool read_pft_size(void *fdt)
{
    static const char *const cpus[] = { "/cpus/PowerPC,POWER9@0", "/cpus/PowerPC,POWER8@0" };

    for (unsigned i = 0; i < 2; i++) {
        int node = guest_fdt_node(fdt, cpus[i]);
        uint32_t len;
        const void *p = node >= 0 ? guest_fdt_prop(fdt, node, "ibm,pft-size", &len) : NULL;

        if (p && len == 8) {
            unsigned shift = guest_be32((const uint8_t *)p + 4);

            pteg_mask = (1ULL << (shift - 7)) - 1;
            npte = 1ULL << (shift - 4);
            power9 = i == 0;
            return true;
        }
    }
    return false;
}

int main(void *fdt)
{
    if (!CHECK(read_pft_size(fdt))) {
        return 0;
    }
    test_enter_read_remove();
    test_enter_errors();
    test_other_errors();
    test_bulk_remove();
    test_slb_insns();
    test_slb_encodings();

    map_program();
    test_data_access();
    test_data_faults();
    test_keys();
    test_fetch();
    test_problem_state();
    unmap_program();
    return 0;
}

/* Large pages of the hash MMU and the cap-hpt-max-page-size machine property: the
 * page sizes ibm,segment-page-sizes offers, slbmte and H_ENTER accepting exactly
 * those, and (when 16M pages are offered) translation through 16M pages in 16M
 * segments (256M and 1T) and through 16M pages in 4K and 64K segments (MPSS), with
 * H_READ, H_PROTECT and H_REMOVE on 16M PTEs; with 16G pages offered, a 16G page in
 * a 1T segment too.  The program finds the limit in the device tree and prints it
 * ("hash16m: max page 16M"); the test scripts check that line against the machine
 * option they gave. */
#include "insn.h"

/* hcalls, return codes and flags (PAPR; Linux asm/hvcall.h) */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_PROTECT 0x18
#define H_PARAMETER (-4)
#define H_NOT_FOUND (-7)
#define H_AVPN PPC_BIT(32)

#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define VEC_DSI 0x300
#define VEC_PROGRAM 0x700
#define DSISR_NOPTE PPC_BIT(33)
#define DSISR_PROT PPC_BIT(36)
#define DSISR_STORE PPC_BIT(38)
#define SRR1_ILLEGAL PPC_BIT(44)
#define SRR1_PRIV PPC_BIT(45)

#define SLB_V PPC_BIT(36)
#define SLB_B_1T PPC_BIT(1)
#define SLB_LLP_4K 0x000ULL
#define SLB_LLP_64K 0x110ULL
#define SLB_LLP_16M 0x100ULL
#define SLB_LLP_16G 0x120ULL
#define SLB_LLP_BAD 0x130ULL /* L=1, LP=11: no size */

#define V_VALID 0x1ULL
#define V_LARGE 0x4ULL
#define V_DIRTY 0x40ULL /* QEMU's HPTE_DIRTY: in every PTE the hypervisor stores */
#define R_R 0x100ULL
#define R_C 0x80ULL
#define R_I 0x20ULL
#define R_M 0x10ULL
#define R_N 0x4ULL

#define MB16 0x1000000ULL

/* PTE LP encodings (the RPN bits from bit 12 up to the page size) */
#define LP_64K_IN_64K 0x1
#define LP_16M_IN_4K 0x38
#define LP_16M_IN_64K 0x8
#define LP_16M_IN_16M 0x0
#define LP_16G_IN_16G 0x3

/* ---- The device tree ----------------------------------------------------- */

/*
 * ibm,segment-page-sizes as QEMU 7.2 gives it for each limit: base shift, SLB
 * encoding, number of actual sizes, then (shift, PTE encoding) for each.
 */
static const uint32_t sps_4k[] = { 12, 0, 1, 12, 0 };
static const uint32_t sps_64k[] = { 12, 0, 1, 12, 0, 16, 0x110, 1, 16, 1 };
static const uint32_t sps_16m[] = { 12, 0, 2,  12, 0,  24,    0x38, 16, 0x110, 2,
                                    16, 1, 24, 8,  24, 0x100, 1,    24, 0 };
static const uint32_t sps_16g[] = { 12, 0, 2,  12,    0, 24, 0x38, 16, 0x110, 2, 16, 1,
                                    24, 8, 24, 0x100, 1, 24, 0,    34, 0x120, 1, 34, 3 };

static const struct {
    const char *name;
    unsigned shift;
    const uint32_t *cells;
    unsigned n;
} sps_tables[] = {
    { "4K", 12, sps_4k, sizeof(sps_4k) / 4 },
    { "64K", 16, sps_64k, sizeof(sps_64k) / 4 },
    { "16M", 24, sps_16m, sizeof(sps_16m) / 4 },
    { "16G", 34, sps_16g, sizeof(sps_16g) / 4 },
};

static unsigned max_shift; /* the largest page size offered (log2), 0: unknown */
static uint64_t pteg_mask; /* PTE groups - 1 */
static uint64_t npte;

/* The CPU node's properties; sets max_shift from the page size table. */
static bool read_cpu_node(void *fdt)
{
    static const char *const cpus[] = { "/cpus/PowerPC,POWER9@0", "/cpus/PowerPC,POWER8@0" };
    int node = -1;
    const uint8_t *p;
    uint32_t len;

    for (unsigned i = 0; i < 2 && node < 0; i++) {
        node = guest_fdt_node(fdt, cpus[i]);
    }
    if (!CHECK(node >= 0)) {
        return false;
    }
    p = guest_fdt_prop(fdt, node, "ibm,pft-size", &len);
    if (!CHECK(p && len == 8)) {
        return false;
    }
    pteg_mask = (1ULL << (guest_be32(p + 4) - 7)) - 1;
    npte = 1ULL << (guest_be32(p + 4) - 4);

    /* The table must be exactly one of QEMU's. */
    p = guest_fdt_prop(fdt, node, "ibm,segment-page-sizes", &len);
    if (!CHECK(p != NULL)) {
        return false;
    }
    for (unsigned t = 0; t < sizeof(sps_tables) / sizeof(sps_tables[0]); t++) {
        bool same = len == sps_tables[t].n * 4;

        for (unsigned i = 0; same && i < sps_tables[t].n; i++) {
            same = guest_be32(p + 4 * i) == sps_tables[t].cells[i];
        }
        if (same) {
            max_shift = sps_tables[t].shift;
            guest_printf("hash16m: max page %s\n", sps_tables[t].name);
        }
    }
    if (!CHECK(max_shift != 0)) {
        guest_printf("ibm,segment-page-sizes: %u bytes, not a table QEMU gives\n", len);
        return false;
    }
    /* ibm,pa-features byte 1 bit 2 (cache-inhibited large pages) goes with 64K pages. */
    p = guest_fdt_prop(fdt, node, "ibm,pa-features", &len);
    if (CHECK(p && len > 3)) {
        CHECK_EQ(p[3] & 0x20, max_shift >= 16 ? 0x20 : 0);
    }
    return true;
}

/* ---- Helpers ------------------------------------------------------------- */

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

static int64_t h_enter(uint64_t ptex, uint64_t v, uint64_t r, uint64_t *index)
{
    uint64_t out[9];
    int64_t rc = hcall4(H_ENTER, 0, ptex, v, r, out);

    *index = out[0];
    return rc;
}

/* The PTE at ptex as H_READ shows it. */
static void h_read(uint64_t ptex, uint64_t *v, uint64_t *r)
{
    uint64_t out[9];

    CHECK_EQ(hcall4(H_READ, 0, ptex, 0, 0, out), H_SUCCESS);
    *v = out[0];
    *r = out[1];
}

static void slbmte(uint64_t vsid_word, uint64_t esid_word)
{
    asm volatile("slbmte %0,%1\n\tisync" : : "r"(vsid_word), "r"(esid_word) : "memory");
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

/* A segment: where it starts, its VSID, base page size and segment size. */
struct seg {
    uint64_t ea;
    uint64_t vsid;
    uint64_t llp;  /* SLB L||LP: the base page size */
    unsigned base; /* that size, log2 */
    bool tera;     /* 1 TB segment */
};

static uint64_t seg_vsid_word(const struct seg *s)
{
    return s->tera ? (SLB_B_1T | (s->vsid << 24) | s->llp) : ((s->vsid << 12) | s->llp);
}

static uint64_t seg_offset(const struct seg *s, uint64_t ea)
{
    return ea & ((1ULL << (s->tera ? 40 : 28)) - 1);
}

/*
 * The primary PTE group for ea: the hash takes the page number in the segment's
 * base page size (for MPSS, the 4K or 64K piece, not the 16M page).
 */
static uint64_t pte_group(const struct seg *s, uint64_t ea)
{
    uint64_t hash = s->vsid ^ (seg_offset(s, ea) >> s->base);

    if (s->tera) {
        hash ^= s->vsid << 25;
    }
    return (hash & pteg_mask) * 8;
}

/* First doubleword for ea: B, VSID, AVPN of the base page, L for a large page. */
static uint64_t pte_v(const struct seg *s, uint64_t ea, bool large)
{
    uint64_t off = seg_offset(s, ea) & ~((1ULL << s->base) - 1);

    return (seg_vsid_word(s) & 0xfffffffffffff000ULL) | ((off >> 16) & ~0x7fULL) |
           (large ? V_LARGE : 0) | V_VALID;
}

/* Second doubleword: real page ra with the LP encoding, PP, M. */
static uint64_t pte_r(uint64_t ra, uint64_t lp, unsigned pp)
{
    return ra | (lp << 12) | R_M | pp;
}

/* Map ea (its base page) to a large page; the PTE index, or -1. */
static int64_t map_large(const struct seg *s, uint64_t ea, uint64_t ra, uint64_t lp, unsigned pp)
{
    uint64_t index;
    int64_t rc = h_enter(pte_group(s, ea), pte_v(s, ea, true), pte_r(ra, lp, pp), &index);

    CHECK_EQ(rc, H_SUCCESS);
    return rc == H_SUCCESS ? (int64_t)index : -1;
}

static void unmap(int64_t ptex)
{
    if (ptex >= 0) {
        CHECK_EQ(hcall4(H_REMOVE, 0, ptex, 0, 0, NULL), H_SUCCESS);
    }
}

static uint64_t load64(uint64_t ea)
{
    return *(volatile uint64_t *)ea;
}

static void store64(uint64_t ea, uint64_t v)
{
    *(volatile uint64_t *)ea = v;
}

/* slbmte of vsid_word into entry 9; the interrupt it raised (0: none). */
static uint64_t slbmte_trap(uint64_t vsid_word, uint64_t *srr1)
{
    struct guest_trap t;

    guest_trap_expect();
    slbmte(vsid_word, 0x70000000 | SLB_V | 9);
    guest_trap_taken(&t);
    *srr1 = t.srr1;
    return t.vector;
}

/* ---- What each limit allows ------------------------------------------------ */

/* A segment whose PTE groups nothing else uses, for the hcall checks. */
static const struct seg hc_seg = { 0x60000000, 0x6161, SLB_LLP_16M, 24, false };
#define HC_EA 0x63000000ULL
#define HC_RA 0x05000000ULL /* 16M-aligned RAM */

/* slbmte takes a segment page size exactly when the table offers it. */
static void test_slb_sizes(void)
{
    static const struct {
        uint64_t llp;
        unsigned shift;
    } sizes[] = {
        { SLB_LLP_4K, 12 },  { SLB_LLP_64K, 16 },  { SLB_LLP_16M, 24 },
        { SLB_LLP_16G, 34 }, { SLB_LLP_BAD, 255 },
    };
    uint64_t vs = 0x7171ULL << 12, srr1;

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint64_t vector = slbmte_trap(vs | sizes[i].llp, &srr1);

        if (sizes[i].shift <= max_shift) {
            CHECK_EQ(vector, 0);
            CHECK_EQ(slbmfee(9), 0x70000000 | SLB_V);
            CHECK_EQ(slbmfev(9), vs | sizes[i].llp);
        } else {
            /* An illegal instruction, and the entry unchanged (cleared below). */
            CHECK_EQ(vector, VEC_PROGRAM);
            CHECK_EQ(srr1 & (SRR1_ILLEGAL | SRR1_PRIV), SRR1_ILLEGAL);
            CHECK_EQ(slbmfee(9), 0);
            CHECK_EQ(slbmfev(9), 0);
        }
        slbmte(0, 9);
    }
    /* 1T segments follow the same rule. */
    CHECK_EQ(slbmte_trap(SLB_B_1T | (0x7171ULL << 24) | SLB_LLP_16M, &srr1),
             max_shift >= 24 ? 0 : VEC_PROGRAM);
    slbmte(0, 9);
}

/*
 * H_ENTER takes a PTE whose L/LP encoding names a size the table offers (any
 * segment's), and refuses the others with H_PARAMETER, changing nothing.
 */
static void test_enter_sizes(void)
{
    static const struct {
        uint64_t lp;
        unsigned shift;
        uint64_t ra;
    } sizes[] = {
        { LP_64K_IN_64K, 16, HC_RA },
        { LP_16M_IN_4K, 24, HC_RA },
        { LP_16M_IN_64K, 24, HC_RA },
        { LP_16M_IN_16M, 24, HC_RA },
        /* a 16G page: at 0, the one 16G-aligned RAM address */
        { LP_16G_IN_16G, 34, 0 },
        /* 64K pages in a 4K segment (0111): not offered at any limit */
        { 0x7, 255, HC_RA },
        /* LP bits that fit no size: a 16M page whose RPN is not 16M-aligned */
        { 0x100, 255, HC_RA },
        { 0x2, 255, HC_RA },
    };
    uint64_t g = pte_group(&hc_seg, HC_EA), v = pte_v(&hc_seg, HC_EA, true), index, rv, rr;

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint64_t r = pte_r(sizes[i].ra, sizes[i].lp, 2);
        int64_t rc = h_enter(g, v, r, &index);

        if (sizes[i].shift <= max_shift) {
            CHECK_EQ(rc, H_SUCCESS);
            CHECK_EQ(index, g);
            h_read(g, &rv, &rr);
            CHECK_EQ(rv, v | V_DIRTY);
            CHECK_EQ(rr, r);
            CHECK_EQ(hcall4(H_REMOVE, 0, g, 0, 0, NULL), H_SUCCESS);
        } else {
            CHECK_EQ(rc, H_PARAMETER);
        }
        h_read(g, &rv, &rr);
        CHECK_EQ(rv, V_DIRTY);
        CHECK_EQ(rr, 0);
    }
    if (max_shift < 24) {
        return;
    }
    /*
     * The WIMG check looks at the page's first byte: a 16M page at the top of
     * RAM (1G) is RAM (M), one starting past it needs I.
     */
    CHECK_EQ(h_enter(g, v, pte_r(0x3f000000, 0, 2), &index), H_SUCCESS);
    CHECK_EQ(hcall4(H_REMOVE, 0, index, 0, 0, NULL), H_SUCCESS);
    CHECK_EQ(h_enter(g, v, pte_r(0x40000000, 0, 2), &index), H_PARAMETER);
    CHECK_EQ(h_enter(g, v, 0x40000000 | R_I | 2, &index), H_SUCCESS);
    CHECK_EQ(hcall4(H_REMOVE, 0, index, 0, 0, NULL), H_SUCCESS);
    /* A 16M page's RAM must be M only (no I). */
    CHECK_EQ(h_enter(g, v, pte_r(HC_RA, 0, 2) | R_I, &index), H_PARAMETER);
    /* An index outside the table. */
    CHECK_EQ(h_enter(npte, v, pte_r(HC_RA, 0, 2), &index), H_PARAMETER);
    for (unsigned slot = 0; slot < 8; slot++) {
        h_read(g + slot, &rv, &rr);
        CHECK_EQ(rv & V_VALID, 0);
    }
}

/* H_READ, H_PROTECT and H_REMOVE (with H_AVPN) on a 16M PTE. */
static void test_hcalls_16m(void)
{
    uint64_t v = pte_v(&hc_seg, HC_EA, true), r = pte_r(HC_RA, 0, 2), rv, rr, out[9];
    int64_t p = map_large(&hc_seg, HC_EA, HC_RA, LP_16M_IN_16M, 2);

    if (p < 0) {
        return;
    }
    h_read(p, &rv, &rr);
    CHECK_EQ(rv, v | V_DIRTY);
    CHECK_EQ(rr, r);
    /* H_PROTECT: new PP and N, the page size encoding kept; a wrong AVPN: nothing. */
    CHECK_EQ(hcall4(H_PROTECT, H_AVPN | 3, p, (v & ~0x7fULL) ^ 0x80, 0, NULL), H_NOT_FOUND);
    h_read(p, &rv, &rr);
    CHECK_EQ(rr, r);
    CHECK_EQ(hcall4(H_PROTECT, H_AVPN | R_N | 3, p, v & ~0x7fULL, 0, NULL), H_SUCCESS);
    h_read(p, &rv, &rr);
    CHECK_EQ(rv, v | V_DIRTY);
    CHECK_EQ(rr, (r & ~3ULL) | R_N | 3);
    /* H_REMOVE with the AVPN: a wrong one first (nothing removed). */
    CHECK_EQ(hcall4(H_REMOVE, H_AVPN, p, (v & ~0x7fULL) ^ 0x1000, 0, NULL), H_NOT_FOUND);
    CHECK_EQ(hcall4(H_REMOVE, H_AVPN, p, v & ~0x7fULL, 0, out), H_SUCCESS);
    CHECK_EQ(out[0], v | V_DIRTY);
    CHECK_EQ(out[1], (r & ~3ULL) | R_N | 3);
    h_read(p, &rv, &rr);
    CHECK_EQ(rv, V_DIRTY);
}

/* ---- Translation through 16M pages ------------------------------------------ */

/* Segment 0 maps the program itself, 1:1, with one 16M page in a 16M segment. */
static const struct seg id_seg = { 0, 0x100, SLB_LLP_16M, 24, false };
static const struct seg seg16m = { 0x10000000, 0x2345, SLB_LLP_16M, 24, false };     /* slot 1 */
static const struct seg seg1t = { 0x10000000000ULL, 0x3456, SLB_LLP_16M, 24, true }; /* slot 2 */
static const struct seg seg4k = { 0x20000000, 0x4567, SLB_LLP_4K, 12, false };       /* slot 3 */
static const struct seg seg64k = { 0x30000000, 0x5678, SLB_LLP_64K, 16, false };     /* slot 4 */

/* Real 16M pages behind them. */
#define RA_A 0x02000000ULL
#define RA_B 0x03000000ULL
#define RA_C 0x04000000ULL
#define RA_D 0x06000000ULL

extern char __stack_top[];

/* Offsets in a 16M page that show every part of the address being kept. */
static const uint64_t offsets[] = { 0x0, 0x123458, 0x7ffff8, 0x800000, 0xabcde0, 0xfffff8 };
#define NOFF (sizeof(offsets) / sizeof(offsets[0]))

static uint64_t pattern(uint64_t ra)
{
    return 0x5a5a000000000000ULL ^ (ra * 0x9e3779b97f4a7c15ULL);
}

static void fill(uint64_t ra)
{
    for (unsigned i = 0; i < NOFF; i++) {
        store64(ra + offsets[i], pattern(ra + offsets[i]));
    }
}

/* Base 16M pages in 256M and 1T segments: loads, stores, R and C, protection. */
static void test_base_16m(void)
{
    uint64_t ea = seg16m.ea + 0x5000000, ea1t = seg1t.ea + 0x3f000000ULL, rv, rr;
    int64_t p, p1t;
    struct guest_trap t;
    bool ok = true;

    fill(RA_A);
    fill(RA_B);
    p = map_large(&seg16m, ea, RA_A, LP_16M_IN_16M, 2);
    p1t = map_large(&seg1t, ea1t, RA_B, LP_16M_IN_16M, 2);
    slbmte(seg_vsid_word(&seg16m), seg16m.ea | SLB_V | 1);
    slbmte(seg_vsid_word(&seg1t), seg1t.ea | SLB_V | 2);

    guest_translation(true);
    for (unsigned i = 0; i < NOFF; i++) {
        ok &= load64(ea + offsets[i]) == pattern(RA_A + offsets[i]);
        ok &= load64(ea1t + offsets[i]) == pattern(RA_B + offsets[i]);
    }
    guest_translation(false);
    CHECK(ok);
    /* A load sets R, not C. */
    h_read(p, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R);
    guest_translation(true);
    store64(ea + 0x987650, 0x1122334455667788ULL);
    store64(ea1t + 0xfffff0, 0x8877665544332211ULL);
    /* The next 16M page of each segment has no PTE. */
    guest_trap_expect();
    (void)load64(ea + MB16);
    guest_trap_taken(&t);
    guest_translation(false);
    CHECK_EQ(load64(RA_A + 0x987650), 0x1122334455667788ULL);
    CHECK_EQ(load64(RA_B + 0xfffff0), 0x8877665544332211ULL);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dar, ea + MB16);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    h_read(p, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R | R_C);
    h_read(p1t, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R | R_C);

    /* Read-only (PP=3) through H_PROTECT: loads work, a store faults. */
    CHECK_EQ(hcall4(H_PROTECT, 3, p, 0, 0, NULL), H_SUCCESS);
    guest_translation(true);
    CHECK_EQ(load64(ea + 0x987650), 0x1122334455667788ULL);
    guest_trap_expect();
    store64(ea + 0xabc000, 1);
    guest_trap_taken(&t);
    guest_translation(false);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dar, ea + 0xabc000);
    CHECK_EQ(t.dsisr, DSISR_PROT | DSISR_STORE);
    CHECK_EQ(load64(RA_A + 0xabc000), 0);

    /* Removed: no translation any more. */
    unmap(p);
    guest_translation(true);
    guest_trap_expect();
    (void)load64(ea + 0x10);
    guest_trap_taken(&t);
    guest_translation(false);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    unmap(p1t);
    slbmte(0, 1);
    slbmte(0, 2);
}

/*
 * MPSS: a 16M page in a 4K (or 64K) segment.  The search hashes the base page,
 * so each 4K (64K) piece the program touches has its own PTE, all naming the
 * same 16M real page with the segment's 16M encoding; a piece without one
 * faults.
 */
static void test_mpss(const struct seg *s, uint64_t lp, uint64_t ra)
{
    uint64_t page = s->ea + 0x3000000, piece = 1ULL << s->base;
    uint64_t a = page + 0x5000 + 0x10, b = page + 0x9ab000 + 0x28;
    int64_t pa, pb;
    struct guest_trap t;
    uint64_t rv, rr;

    store64(ra + 0x5010, 0xaaaa5010);
    store64(ra + 0x9ab028, 0xbbbb9ab0);
    pa = map_large(s, a, ra, lp, 2);
    pb = map_large(s, b, ra, lp, 2);
    /* A base-size page encoding in the other segment's table is no match here. */
    slbmte(seg_vsid_word(s), s->ea | SLB_V | 3);

    guest_translation(true);
    CHECK_EQ(load64(a), 0xaaaa5010);
    CHECK_EQ(load64(b), 0xbbbb9ab0);
    store64(b + 8, 0xcccc);
    /* The piece after a's: no PTE of its own. */
    guest_trap_expect();
    (void)load64((a & ~(piece - 1)) + piece);
    guest_trap_taken(&t);
    guest_translation(false);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    CHECK_EQ(load64(ra + 0x9ab030), 0xcccc);
    h_read(pa, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R);
    h_read(pb, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R | R_C);
    unmap(pa);
    unmap(pb);

    /*
     * The same PTE with the 16M-segment encoding (LP 0) does not fit a 4K or
     * 64K segment: not found.
     */
    pa = map_large(s, a, ra, LP_16M_IN_16M, 2);
    guest_translation(true);
    guest_trap_expect();
    (void)load64(a);
    guest_trap_taken(&t);
    guest_translation(false);
    CHECK_EQ(t.vector, VEC_DSI);
    CHECK_EQ(t.dsisr, DSISR_NOPTE);
    unmap(pa);
    slbmte(0, 3);
}

/* Code in a 16M page runs (the program itself does, through id_seg, all along). */
static void test_fetch_16m(void)
{
    uint64_t ea = seg16m.ea + 0x7000000;
    uint32_t *code = (uint32_t *)(RA_D + 0x345000);
    int64_t p = map_large(&seg16m, ea, RA_D, LP_16M_IN_16M, 2);
    uint64_t (*fn)(void) = (uint64_t(*)(void))(ea + 0x345000);
    uint64_t ret;

    code[0] = (14u << 26) | (3 << 21) | 0x1616; /* li 3,0x1616 */
    code[1] = 0x4e800020u;                      /* blr */
    for (unsigned i = 0; i < 2; i++) {
        asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0" : : "r"(&code[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");
    slbmte(seg_vsid_word(&seg16m), seg16m.ea | SLB_V | 1);
    guest_translation(true);
    ret = fn();
    guest_translation(false);
    CHECK_EQ(ret, 0x1616);
    unmap(p);
    slbmte(0, 1);
}

/*
 * A 16G page in a 1T segment (16G limit): the one 16G-aligned RAM page is at
 * 0, and only its first 1G is RAM; accesses stay there.
 */
static const struct seg seg16g = { 0x40000000000ULL, 0x6789, SLB_LLP_16G, 34, true }; /* slot 5 */

static void test_16g(void)
{
    uint64_t page = seg16g.ea + (3ULL << 34), rv, rr;
    int64_t p = map_large(&seg16g, page, 0, LP_16G_IN_16G, 2);
    bool ok = true;

    fill(RA_A);
    slbmte(seg_vsid_word(&seg16g), seg16g.ea | SLB_V | 5);
    guest_translation(true);
    for (unsigned i = 0; i < NOFF; i++) {
        ok &= load64(page + RA_A + offsets[i]) == pattern(RA_A + offsets[i]);
    }
    store64(page + RA_C + 0x40, 0x16161616);
    guest_translation(false);
    CHECK(ok);
    CHECK_EQ(load64(RA_C + 0x40), 0x16161616);
    h_read(p, &rv, &rr);
    CHECK_EQ(rr & (R_R | R_C), R_R | R_C);
    unmap(p);
    slbmte(0, 5);
}

static void test_translation(void)
{
    int64_t id;

    /* The program, its data and stack in the first 16M, 1:1. */
    CHECK((uint64_t)__stack_top < MB16);
    id = map_large(&id_seg, 0, 0, LP_16M_IN_16M, 2);
    slbmte(seg_vsid_word(&id_seg), 0 | SLB_V | 0);
    test_base_16m();
    test_mpss(&seg4k, LP_16M_IN_4K, RA_C);
    test_mpss(&seg64k, LP_16M_IN_64K, RA_C);
    test_fetch_16m();
    if (max_shift >= 34) {
        test_16g();
    }
    slbmte(0, 0);
    unmap(id);
}

int main(void *fdt)
{
    if (!read_cpu_node(fdt)) {
        return 0;
    }
    test_slb_sizes();
    test_enter_sizes();
    if (max_shift >= 24) {
        test_hcalls_16m();
        test_translation();
    }
    return 0;
}

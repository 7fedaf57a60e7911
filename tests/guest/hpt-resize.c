/* HPT resizing (H_RESIZE_HPT_PREPARE/COMMIT): the errors, growing and shrinking the
 * table while running translated with bolted 4K/64K pages in 256M and 1T segments
 * (primary and secondary groups), non-bolted PTEs dropped, a bolted collision. */
#include "insn.h"

#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_RESIZE_HPT_PREPARE 0x36c
#define H_RESIZE_HPT_COMMIT 0x370
#define H_CLOSED 2
#define H_LONG_BUSY_100MS 9902
#define H_PARAMETER (-4)
#define H_PTEG_FULL (-6)
#define H_AUTHORITY (-10)
#define H_RESOURCE (-16)
#define H_EXACT PPC_BIT(24)

#define VEC_DSI 0x300
#define DSISR_NOPTE PPC_BIT(33)

#define SLB_V PPC_BIT(36)
#define SLB_B_1T PPC_BIT(1)
#define SLB_LLP_64K 0x110ULL

#define V_VALID 0x1ULL
#define V_SECONDARY 0x2ULL
#define V_LARGE 0x4ULL
#define V_BOLTED 0x10ULL /* software bit: the guest's "keep me" (PAPR) */
#define V_DIRTY 0x40ULL  /* QEMU's HPTE_DIRTY, in every PTE H_ENTER stored */
#define R_M 0x10ULL
#define R_LP_64K 0x1000ULL

static unsigned hpt_shift; /* log2 bytes of the current table */
static unsigned ram_shift; /* what ibm,pft-size said at boot */

static int64_t hcall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                     uint64_t out[9])
{
    uint64_t regs[9] = { a0, a1, a2, a3 };
    int64_t rc = guest_hcall(op, regs);

    if (out) {
        memcpy(out, regs, sizeof(regs));
    }
    return rc;
}

/* A segment and its SLB words. */
struct seg {
    uint64_t ea, vsid, flags;
    bool tera;
};

static uint64_t seg_vsid_word(const struct seg *s)
{
    return s->tera ? (SLB_B_1T | (s->vsid << 24) | s->flags) : ((s->vsid << 12) | s->flags);
}

static unsigned seg_pshift(const struct seg *s)
{
    return (s->flags & SLB_LLP_64K) == SLB_LLP_64K ? 16 : 12;
}

/* The first PTE index of ea's primary or secondary group in a table of 2^shift bytes. */
static uint64_t group_of(const struct seg *s, uint64_t ea, bool secondary, unsigned shift)
{
    unsigned p = seg_pshift(s);
    uint64_t hash = s->tera ? s->vsid ^ (s->vsid << 25) ^ ((ea & ((1ULL << 40) - 1)) >> p)
                            : s->vsid ^ ((ea & ((1ULL << 28) - 1)) >> p);

    return ((secondary ? ~hash : hash) & ((1ULL << (shift - 7)) - 1)) * 8;
}

static uint64_t pte_v(const struct seg *s, uint64_t ea, bool secondary, bool bolted)
{
    unsigned p = seg_pshift(s);
    uint64_t off = ea & ((1ULL << (s->tera ? 40 : 28)) - 1) & ~((1ULL << p) - 1);
    uint64_t avpn = (seg_vsid_word(s) & 0xfffffffffffff000ULL) | ((off >> 16) & ~0x7fULL);

    return avpn | (p == 16 ? V_LARGE : 0) | (secondary ? V_SECONDARY : 0) |
           (bolted ? V_BOLTED : 0) | V_VALID;
}

static uint64_t pte_r(const struct seg *s, uint64_t ra)
{
    return ra | R_M | 2 | (seg_pshift(s) == 16 ? R_LP_64K : 0);
}

/* One test mapping: where it lives and what its page holds. */
struct mapping {
    const struct seg *seg;
    uint64_t ea, ra;
    bool secondary, bolted;
    uint64_t slot; /* 0..7, fixed with H_EXACT so the new index can be predicted */
    uint64_t marker;
};

static const struct seg id_seg = { 0, 0x100, SLB_LLP_64K, false };
static const struct seg seg4k = { 0x10000000, 0x2345, 0, false };
static const struct seg seg64k = { 0x20000000, 0x3456, SLB_LLP_64K, false };
static const struct seg seg1t = { 0x10000000000ULL, 0x4567, 0, true };
static const struct seg seg1t64 = { 0x20000000000ULL, 0x5678, SLB_LLP_64K, true };
#define ID_SIZE 0x400000ULL
extern char __stack_top[];

static struct mapping maps[] = {
    { &seg4k, 0x10007000, 0x01000000, false, true, 3, 0x1111222233334444ULL },
    { &seg64k, 0x200b0000, 0x01010000, false, true, 5, 0x5555666677778888ULL },
    { &seg1t, 0x10123456000ULL, 0x01020000, false, true, 6, 0x99990000aaaabbbbULL },
    { &seg1t64, 0x29876540000ULL, 0x01030000, true, true, 4, 0xccccddddeeeeffffULL },
    /* Not bolted: a resize drops it. */
    { &seg4k, 0x10009000, 0x01040000, false, false, 2, 0x0123456789abcdefULL },
};
#define N_MAPS (sizeof(maps) / sizeof(maps[0]))
#define UNBOLTED 4
/* test_collision's page, filled in real mode. */
#define COLLIDE_RA 0x01050000ULL
#define COLLIDE_MARKER 0x7777ULL

static uint64_t map_index(const struct mapping *m, unsigned shift)
{
    return group_of(m->seg, m->ea, m->secondary, shift) + m->slot;
}

static void enter(const struct mapping *m)
{
    uint64_t out[9];

    CHECK_EQ(hcall(H_ENTER, H_EXACT, map_index(m, hpt_shift),
                   pte_v(m->seg, m->ea, m->secondary, m->bolted), pte_r(m->seg, m->ra), out),
             H_SUCCESS);
}

static void slbmte(uint64_t vsid_word, uint64_t esid_word)
{
    asm volatile("slbmte %0,%1\n\tisync" : : "r"(vsid_word), "r"(esid_word) : "memory");
}

static uint64_t load64(uint64_t ea)
{
    return *(volatile uint64_t *)ea;
}

/* The program itself: bolted 64K pages mapping the first 4 MiB 1:1. */
static void map_all(void)
{
    uint64_t out[9];

    CHECK((uint64_t)__stack_top < ID_SIZE);
    slbmte(seg_vsid_word(&id_seg), 0 | SLB_V | 0);
    for (uint64_t ea = 0; ea < ID_SIZE; ea += 1 << 16) {
        uint64_t v = pte_v(&id_seg, ea, false, true);

        CHECK_EQ(
            hcall(H_ENTER, 0, group_of(&id_seg, ea, false, hpt_shift), v, pte_r(&id_seg, ea), out),
            H_SUCCESS);
    }
    slbmte(seg_vsid_word(&seg4k), seg4k.ea | SLB_V | 1);
    slbmte(seg_vsid_word(&seg64k), seg64k.ea | SLB_V | 2);
    slbmte(seg_vsid_word(&seg1t), seg1t.ea | SLB_V | 3);
    slbmte(seg_vsid_word(&seg1t64), seg1t64.ea | SLB_V | 4);
    for (unsigned i = 0; i < N_MAPS; i++) {
        *(volatile uint64_t *)(maps[i].ra + (maps[i].ea & 0xfff)) = maps[i].marker;
        enter(&maps[i]);
    }
    *(volatile uint64_t *)COLLIDE_RA = COLLIDE_MARKER;
}

/*
 * With translation on: every bolted mapping reads its marker, the others
 * fault.  The non-bolted page is never touched while it is mapped: a TLB may
 * keep a translation after its PTE is gone until the guest invalidates it
 * (QEMU 7.2 does, ours does not), so only the page table is looked at then.
 */
static void check_mappings(bool unbolted_present)
{
    for (unsigned i = 0; i < N_MAPS; i++) {
        struct guest_trap t;
        uint64_t v;

        if (i == UNBOLTED && unbolted_present) {
            continue;
        }
        guest_trap_expect();
        v = load64(maps[i].ea);
        if (guest_trap_taken(&t)) {
            CHECK_EQ(t.vector, VEC_DSI);
            CHECK_EQ(t.dsisr & DSISR_NOPTE, DSISR_NOPTE);
            CHECK_EQ(t.dar, maps[i].ea);
            CHECK(i == UNBOLTED && !unbolted_present);
        } else {
            CHECK_EQ(v, maps[i].marker);
            CHECK(i != UNBOLTED || unbolted_present);
        }
    }
}

/* Where H_READ shows each mapping in the current table. */
static void check_indices(bool unbolted_present)
{
    for (unsigned i = 0; i < N_MAPS; i++) {
        uint64_t out[9], want = 0;

        CHECK_EQ(hcall(H_READ, 0, map_index(&maps[i], hpt_shift), 0, 0, out), H_SUCCESS);
        if (maps[i].bolted || unbolted_present) {
            want = pte_v(maps[i].seg, maps[i].ea, maps[i].secondary, maps[i].bolted) | V_DIRTY;
        }
        CHECK_EQ(out[0] & ~V_DIRTY, want & ~V_DIRTY);
        if (want) {
            CHECK_EQ(out[1] & ~0x180ULL, pte_r(maps[i].seg, maps[i].ra)); /* R, C may be set */
        }
    }
}

static void spin_ms(unsigned ms)
{
    uint64_t end = guest_mftb() + 512000ULL * ms; /* 512 MHz timebase */

    while (guest_mftb() < end) {
    }
}

/* PREPARE as Linux does it: start, then ask again while busy.  The first answer. */
static int64_t prepare(unsigned shift, int64_t *final)
{
    int64_t first = hcall(H_RESIZE_HPT_PREPARE, 0, shift, 0, 0, NULL), rc = first;

    for (unsigned tries = 0; rc == H_LONG_BUSY_100MS && tries < 1000; tries++) {
        spin_ms(1);
        rc = hcall(H_RESIZE_HPT_PREPARE, 0, shift, 0, 0, NULL);
    }
    *final = rc;
    return first;
}

/* Resize to shift and check that the mappings followed. */
static void resize(unsigned shift)
{
    int64_t rc;
    uint64_t out[9];

    CHECK_EQ(prepare(shift, &rc), H_LONG_BUSY_100MS);
    CHECK_EQ(rc, H_SUCCESS);
    /* Asking again for the prepared size: done. */
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, shift, 0, 0, NULL), H_SUCCESS);
    /* A commit for another size is refused and keeps the preparation. */
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, shift + 1, 0, 0, NULL), H_CLOSED);
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, shift, 0, 0, NULL), H_SUCCESS);
    hpt_shift = shift;
    /* The preparation is used up. */
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, shift, 0, 0, NULL), H_CLOSED);

    check_mappings(false);
    check_indices(false);
    /* The last PTE of the new table is readable, the one after it is not. */
    CHECK_EQ(hcall(H_READ, 0, (1ULL << (shift - 4)) - 1, 0, 0, out), H_SUCCESS);
    /* QEMU's new table has no dirty bit in unused PTEs (its reset table does). */
    CHECK_EQ(out[0], 0);
    CHECK_EQ(out[1], 0);
    CHECK_EQ(hcall(H_READ, 0, 1ULL << (shift - 4), 0, 0, out), H_PARAMETER);
}

static void test_errors(void)
{
    int64_t rc;

    /* Nothing prepared. */
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift, 0, 0, NULL), H_CLOSED);
    /* No flags are defined; the architected sizes are 2^18 .. 2^46. */
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 1, hpt_shift, 0, 0, NULL), H_PARAMETER);
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, 17, 0, 0, NULL), H_PARAMETER);
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, 47, 0, 0, NULL), H_PARAMETER);
    /* At most one size above what the partition's RAM gets. */
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, ram_shift + 2, 0, 0, NULL), H_RESOURCE);
    /* 0: cancel (nothing to cancel yet). */
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, 0, 0, 0, NULL), H_SUCCESS);

    /* Prepared, then cancelled: the commit finds nothing. */
    CHECK_EQ(prepare(hpt_shift + 1, &rc), H_LONG_BUSY_100MS);
    CHECK_EQ(rc, H_SUCCESS);
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 1, hpt_shift + 1, 0, 0, NULL), H_PARAMETER);
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, 0, 0, 0, NULL), H_SUCCESS);
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift + 1, 0, 0, NULL), H_CLOSED);

    /* Another size replaces a preparation. */
    CHECK_EQ(prepare(hpt_shift + 1, &rc), H_LONG_BUSY_100MS);
    CHECK_EQ(prepare(hpt_shift, &rc), H_LONG_BUSY_100MS);
    CHECK_EQ(rc, H_SUCCESS);
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift + 1, 0, 0, NULL), H_CLOSED);
    CHECK_EQ(hcall(H_RESIZE_HPT_PREPARE, 0, 0, 0, 0, NULL), H_SUCCESS);
}

/*
 * Two bolted PTEs in the same slot of groups g and g + half the groups: in a
 * table half the size they share a slot, and the commit fails with H_PTEG_FULL,
 * leaving the table as it was.
 */
static void test_collision(void)
{
    uint64_t half = 1ULL << (hpt_shift - 8); /* groups / 2 */
    struct mapping a = { &seg1t, 0x10000000000ULL, COLLIDE_RA, false, true, 7, COLLIDE_MARKER };
    struct mapping b = a;
    uint64_t out[9];
    int64_t rc;

    /* The page number's bit that selects the upper half of the groups. */
    b.ea = a.ea + (half << 12);
    b.ra = 0x01060000;
    CHECK_EQ(map_index(&b, hpt_shift), map_index(&a, hpt_shift) + half * 8);
    CHECK_EQ(map_index(&b, hpt_shift - 1), map_index(&a, hpt_shift - 1));
    enter(&a);
    enter(&b);

    CHECK_EQ(prepare(hpt_shift - 1, &rc), H_LONG_BUSY_100MS);
    CHECK_EQ(rc, H_SUCCESS);
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift - 1, 0, 0, NULL), H_PTEG_FULL);
    /* The failed commit used the preparation up; the old table is intact. */
    CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift - 1, 0, 0, NULL), H_CLOSED);
    check_mappings(false);
    check_indices(false);
    CHECK_EQ(hcall(H_READ, 0, map_index(&b, hpt_shift), 0, 0, out), H_SUCCESS);
    CHECK_EQ(out[0] & ~V_DIRTY, pte_v(b.seg, b.ea, false, true));

    /* Without one of the pair the smaller table takes them all. */
    CHECK_EQ(hcall(H_REMOVE, 0, map_index(&b, hpt_shift), 0, 0, NULL), H_SUCCESS);
    resize(hpt_shift - 1);
    CHECK_EQ(hcall(H_READ, 0, map_index(&a, hpt_shift), 0, 0, out), H_SUCCESS);
    CHECK_EQ(out[0] & ~V_DIRTY, pte_v(a.seg, a.ea, false, true));
    CHECK_EQ(load64(a.ea), COLLIDE_MARKER);
    resize(hpt_shift + 1);
}

static bool read_pft_size(void *fdt)
{
    static const char *const cpus[] = { "/cpus/PowerPC,POWER9@0", "/cpus/PowerPC,POWER8@0" };

    for (unsigned i = 0; i < 2; i++) {
        int node = guest_fdt_node(fdt, cpus[i]);
        uint32_t len;
        const void *p = node >= 0 ? guest_fdt_prop(fdt, node, "ibm,pft-size", &len) : NULL;

        if (p && len == 8) {
            ram_shift = hpt_shift = guest_be32((const uint8_t *)p + 4);
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
    /* resize-hpt=disabled: the hcalls are refused. */
    if (hcall(H_RESIZE_HPT_PREPARE, 0, 0, 0, 0, NULL) == H_AUTHORITY) {
        CHECK_EQ(hcall(H_RESIZE_HPT_COMMIT, 0, hpt_shift, 0, 0, NULL), H_AUTHORITY);
        guest_printf("hpt-resize: disabled\n");
        return 0;
    }
    guest_printf("hpt-resize: enabled, %u\n", hpt_shift);
    /*
     * QEMU 7.2 aborts on an assertion (spapr_softmmu.c rehash_hpte) when a
     * bolted PTE sits in its secondary group; we move it like any other.
     */
    if (guest_oracle()) {
        maps[3].secondary = false;
    }
    test_errors();
    map_all();
    guest_translation(true);
    check_mappings(true);
    check_indices(true);
    resize(hpt_shift + 1);
    resize(hpt_shift - 1);
    /* A second shrink below the boot size: still one size of headroom above. */
    resize(hpt_shift - 1);
    resize(hpt_shift + 1);
    test_collision();
    guest_translation(false);
    return 0;
}

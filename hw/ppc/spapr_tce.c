/*
 * The sPAPR IOMMU: TCE tables by LIOBN, the hcalls that fill them (H_PUT_TCE,
 * H_GET_TCE, H_STUFF_TCE, H_PUT_TCE_INDIRECT) and DMA translated through them.
 */
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "qemu/module.h"

/* H_PUT_TCE_INDIRECT takes at most one 4 KiB page of TCEs. */
#define SPAPR_TCE_INDIRECT_MAX 512

static GPtrArray *tce_tables;
/* Generations of tables, never reused (migration tells windows apart by them). */
static uint64_t tce_generation;

/* A new layout: every chunk dirty, a new generation. */
static void tce_new_layout(SpaprTceTable *t)
{
    uint64_t chunks = (t->nb_table + SPAPR_TCE_CHUNK_ENTRIES - 1) / SPAPR_TCE_CHUNK_ENTRIES;
    size_t longs = (chunks + 8 * sizeof(long) - 1) / (8 * sizeof(long));

    g_free(t->dirty);
    t->dirty = longs ? g_new(unsigned long, longs) : NULL;
    if (t->dirty) {
        memset(t->dirty, 0xff, longs * sizeof(long));
    }
    t->gen = ++tce_generation;
}

/* Entries [first, first + n) changed. */
static void tce_mark_dirty(SpaprTceTable *t, uint64_t first, uint64_t n)
{
    const unsigned bits = 8 * sizeof(long);
    uint64_t c = first / SPAPR_TCE_CHUNK_ENTRIES, last = (first + n - 1) / SPAPR_TCE_CHUNK_ENTRIES;

    for (; n && t->dirty && c <= last; c++) {
        __atomic_fetch_or(&t->dirty[c / bits], 1UL << (c % bits), __ATOMIC_RELEASE);
    }
}

SpaprTceTable *spapr_tce_find_by_liobn(uint32_t liobn)
{
    for (guint i = 0; tce_tables && i < tce_tables->len; i++) {
        SpaprTceTable *t = g_ptr_array_index(tce_tables, i);

        if (t->liobn == liobn) {
            return t;
        }
    }
    return NULL;
}

void spapr_tce_foreach(void (*fn)(SpaprTceTable *tcet, void *opaque), void *opaque)
{
    for (guint i = 0; tce_tables && i < tce_tables->len; i++) {
        fn(g_ptr_array_index(tce_tables, i), opaque);
    }
}

SpaprTceTable *spapr_tce_new_table(uint32_t liobn)
{
    SpaprTceTable *t;

    g_assert(!spapr_tce_find_by_liobn(liobn));
    t = g_new0(SpaprTceTable, 1);
    t->liobn = liobn;
    t->page_shift = SPAPR_TCE_PAGE_SHIFT;
    tce_new_layout(t);
    if (!tce_tables) {
        tce_tables = g_ptr_array_new();
    }
    g_ptr_array_add(tce_tables, t);
    return t;
}

void spapr_tce_table_free(SpaprTceTable *tcet)
{
    if (!tcet) {
        return;
    }
    g_ptr_array_remove(tce_tables, tcet);
    g_free(tcet->table);
    g_free(tcet->dirty);
    g_free(tcet);
}

void spapr_tce_table_enable(SpaprTceTable *tcet, unsigned page_shift, uint64_t bus_offset,
                            uint64_t nb_table)
{
    g_free(tcet->table);
    tcet->page_shift = page_shift;
    tcet->bus_offset = bus_offset;
    tcet->nb_table = nb_table;
    tcet->table = nb_table ? g_new0(uint64_t, nb_table) : NULL;
    tce_new_layout(tcet);
}

void spapr_tce_table_disable(SpaprTceTable *tcet)
{
    g_free(tcet->table);
    tcet->table = NULL;
    tcet->nb_table = 0;
    tcet->bus_offset = 0;
    tce_new_layout(tcet);
}

void spapr_tce_table_clear(SpaprTceTable *tcet)
{
    if (tcet->table) {
        memset(tcet->table, 0, tcet->nb_table * sizeof(uint64_t));
        tce_mark_dirty(tcet, 0, tcet->nb_table);
    }
}

/* The entry for bus address ioba, or NULL outside the window. */
static uint64_t *tce_entry(SpaprTceTable *tcet, uint64_t ioba)
{
    uint64_t index = (ioba - tcet->bus_offset) >> tcet->page_shift;

    if (ioba < tcet->bus_offset || index >= tcet->nb_table) {
        return NULL;
    }
    return &tcet->table[index];
}

bool spapr_tce_translate(SpaprTceTable *tcet, uint64_t iova, bool is_write, hwaddr *gpa,
                         uint64_t *room)
{
    uint64_t page_mask = (1ULL << tcet->page_shift) - 1;
    uint64_t *e = tce_entry(tcet, iova);

    if (!e || !(*e & (is_write ? SPAPR_TCE_WRITE : SPAPR_TCE_READ))) {
        return false;
    }
    *gpa = (*e & ~page_mask) | (iova & page_mask);
    *room = page_mask + 1 - (iova & page_mask);
    return true;
}

/*
 * Walk [iova, iova + len) page by page: with buf NULL only check every
 * piece, else copy.  The translation cannot change in between: the big
 * lock is held, and hcalls are what change it.
 */
static bool tce_dma_walk(SpaprTceTable *tcet, uint64_t iova, uint8_t *buf, uint64_t len,
                         bool is_write)
{
    while (len) {
        uint64_t room, n;
        hwaddr gpa;

        if (!spapr_tce_translate(tcet, iova, is_write, &gpa, &room)) {
            qemu_log_mask(LOG_GUEST_ERROR, "spapr_tce: LIOBN 0x%x: no %s access at 0x%" PRIx64 "\n",
                          tcet->liobn, is_write ? "write" : "read", iova);
            return false;
        }
        n = MIN(room, len);
        if (!buf ? !guest_range_valid(gpa, n)
                 : !(is_write ? guest_write(gpa, buf, n) : guest_read(gpa, buf, n))) {
            return false;
        }
        if (buf) {
            buf += n;
        }
        iova += n;
        len -= n;
    }
    return true;
}

bool spapr_tce_dma_read(SpaprTceTable *tcet, uint64_t iova, void *buf, uint64_t len)
{
    return tce_dma_walk(tcet, iova, NULL, len, false) && tce_dma_walk(tcet, iova, buf, len, false);
}

bool spapr_tce_dma_write(SpaprTceTable *tcet, uint64_t iova, const void *buf, uint64_t len)
{
    return tce_dma_walk(tcet, iova, NULL, len, true) &&
           tce_dma_walk(tcet, iova, (uint8_t *)buf, len, true);
}

/* ---- Hypercalls ------------------------------------------------------------------ */

/*
 * The table a hypercall names.  LIOBNs are 32-bit: anything above is no
 * table (QEMU checks the high half explicitly).
 */
static SpaprTceTable *tce_table_arg(target_ulong liobn)
{
    return liobn >> 32 ? NULL : spapr_tce_find_by_liobn(liobn);
}

/* Check that npages entries from ioba (rounded down to the IOMMU page) are in the window. */
static bool tce_range_ok(SpaprTceTable *tcet, uint64_t ioba, uint64_t npages)
{
    uint64_t first = ioba - tcet->bus_offset;

    if (ioba < tcet->bus_offset || (first >> tcet->page_shift) >= tcet->nb_table) {
        return false;
    }
    return npages <= tcet->nb_table - (first >> tcet->page_shift);
}

/* H_PUT_TCE: liobn, ioba, tce.  The TCE is stored as given; the low bits grant access. */
static target_ulong h_put_tce(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = tce_table_arg(args[0]);
    uint64_t *e;

    if (!tcet || !(e = tce_entry(tcet, args[1]))) {
        return H_PARAMETER;
    }
    *e = args[2];
    tce_mark_dirty(tcet, e - tcet->table, 1);
    return H_SUCCESS;
}

/* H_GET_TCE: liobn, ioba; r4 = the TCE. */
static target_ulong h_get_tce(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = tce_table_arg(args[0]);
    uint64_t *e;

    if (!tcet || !(e = tce_entry(tcet, args[1]))) {
        return H_PARAMETER;
    }
    args[0] = *e;
    return H_SUCCESS;
}

/*
 * H_STUFF_TCE: liobn, ioba, tce, npages: the same TCE in npages entries.
 * No entry changes unless all are in the window; npages 0 is a parameter
 * error, as on QEMU 7.2.
 */
static target_ulong h_stuff_tce(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    SpaprTceTable *tcet = tce_table_arg(args[0]);
    uint64_t ioba = args[1], npages = args[3];

    if (!tcet || !npages || !tce_range_ok(tcet, ioba, npages)) {
        return H_PARAMETER;
    }
    for (uint64_t i = 0; i < npages; i++) {
        *tce_entry(tcet, ioba + (i << tcet->page_shift)) = args[2];
    }
    tce_mark_dirty(tcet, tce_entry(tcet, ioba) - tcet->table, npages);
    return H_SUCCESS;
}

/*
 * H_PUT_TCE_INDIRECT: liobn, ioba, tce_list, npages: npages (at most 512)
 * TCEs read big-endian from the 4 KiB-aligned list in guest memory.  All
 * are read and the range checked before any entry changes.
 */
static target_ulong h_put_tce_indirect(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args)
{
    SpaprTceTable *tcet = tce_table_arg(args[0]);
    uint64_t ioba = args[1], list = args[2], npages = args[3];
    uint64_t tces[SPAPR_TCE_INDIRECT_MAX];

    if (!tcet || !npages || npages > SPAPR_TCE_INDIRECT_MAX || (list & (SPAPR_TCE_PAGE_SIZE - 1)) ||
        !tce_range_ok(tcet, ioba, npages)) {
        return H_PARAMETER;
    }
    for (uint64_t i = 0; i < npages; i++) {
        if (!guest_ldq_be(list + 8 * i, &tces[i])) {
            return H_PARAMETER;
        }
    }
    for (uint64_t i = 0; i < npages; i++) {
        *tce_entry(tcet, ioba + (i << tcet->page_shift)) = tces[i];
    }
    tce_mark_dirty(tcet, tce_entry(tcet, ioba) - tcet->table, npages);
    return H_SUCCESS;
}

static void spapr_tce_register(void)
{
    spapr_register_hypercall(H_PUT_TCE, h_put_tce);
    spapr_register_hypercall(H_GET_TCE, h_get_tce);
    spapr_register_hypercall(H_STUFF_TCE, h_stuff_tce);
    spapr_register_hypercall(H_PUT_TCE_INDIRECT, h_put_tce_indirect);
}

module_init(spapr_tce_register)

/*
 * The pseries machine's part of a migration stream: its own section (caps,
 * the hashed page table's and TCE tables' layout, process table, CAS result,
 * per-CPU PAPR state such as VPA registrations, FWNMI, the PHBs' MSI
 * allocations), the pre-copy parts that carry the HPT's and TCE tables'
 * contents while the guest runs, and the per-CPU sections
 * (target/ppc/machine.c).
 */
#include "hw/ppc/spapr.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_tce.h"
#include "migration/vmbuf.h"
#include "qemu/host-mem.h"
#include "target/ppc/machine.h"
#include "target/ppc/mmu-hash64.h"

#define SPAPR_STATE_VERSION 2

static SpaprMachineState *spapr_of(MachineState *m)
{
    return (SpaprMachineState *)m;
}

/* The caps and properties that change what the guest sees: both sides must agree. */
static void caps_values(const SpaprCaps *c, uint32_t v[14])
{
    uint32_t vals[14] = { c->htm,
                          c->vsx,
                          c->dfp,
                          c->cfpc,
                          c->sbbc,
                          c->ibs,
                          c->hpt_max_page_shift,
                          c->nested_hv,
                          c->large_decr,
                          c->ccf_assist,
                          c->fwnmi,
                          c->rpt_invalidate,
                          c->ic_mode,
                          c->resize_hpt };

    memcpy(v, vals, sizeof(vals));
}

static const char *const caps_names[14] = {
    "cap-htm",
    "cap-vsx",
    "cap-dfp",
    "cap-cfpc",
    "cap-sbbc",
    "cap-ibs",
    "cap-hpt-max-page-size",
    "cap-nested-hv",
    "cap-large-decr",
    "cap-ccf-assist",
    "cap-fwnmi",
    "cap-rpt-invalidate",
    "ic-mode",
    "resize-hpt",
};

static void count_one(SpaprTceTable *t, void *opaque)
{
    (*(uint32_t *)opaque)++;
}

static void save_tce(SpaprTceTable *t, void *opaque)
{
    GByteArray *out = opaque;

    vmbuf_put_be32(out, t->liobn);
    vmbuf_put_be32(out, t->page_shift);
    vmbuf_put_be64(out, t->bus_offset);
    vmbuf_put_be64(out, t->nb_table);
}

static void count_phb(SpaprPhbState *phb, void *opaque)
{
    (*(uint32_t *)opaque)++;
}

static void save_msi(SpaprPhbState *phb, void *opaque)
{
    GByteArray *out = opaque;

    vmbuf_put_be32(out, phb->index);
    vmbuf_put_be32(out, phb->msi->len);
    for (guint i = 0; i < phb->msi->len; i++) {
        SpaprPciMsi *e = &g_array_index(phb->msi, SpaprPciMsi, i);

        vmbuf_put_be32(out, e->config_addr);
        vmbuf_put_be32(out, e->first_irq);
        vmbuf_put_be32(out, e->num);
    }
}

typedef struct TceStage TceStage;

/* What a load will apply to one TCE table, checked first. */
typedef struct TceLoad {
    SpaprTceTable *t;
    TceStage *staged; /* its entries, from the pre-copy parts */
    uint32_t page_shift;
    uint64_t bus_offset, nb_table;
} TceLoad;

typedef struct MsiLoad {
    SpaprPhbState *phb;
    uint32_t n;
    const uint8_t *entries; /* n of (config_addr, first_irq, num) */
} MsiLoad;

typedef struct PhbFind {
    uint32_t index;
    SpaprPhbState *found;
} PhbFind;

static void find_phb(SpaprPhbState *phb, void *opaque)
{
    PhbFind *f = opaque;

    if (phb->index == f->index) {
        f->found = phb;
    }
}

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64_at(const uint8_t *p)
{
    return (uint64_t)be32_at(p) << 32 | be32_at(p + 4);
}

/* ---- Pre-copy parts: the HPT and the TCE tables ---------------------------- */

/* Records of a pre-copy part (docs/specs/migration-stream.rst). */
enum {
    REC_HPT = 1,       /* u32 log2 of the size, 0: no HPT */
    REC_HPT_CHUNK = 2, /* u64 first PTE, u32 n, runs of 16-byte PTEs */
    REC_TCE = 3,       /* u32 LIOBN, u32 page shift, u64 bus offset, u64 entries */
    REC_TCE_CHUNK = 4, /* u32 LIOBN, u64 first entry, u32 n, runs of 8-byte TCEs */
};

#define HPTE_BYTES 16u
#define TCE_BYTES 8u
#define MAX_CHUNK_ENTRIES 4096u
#define MAX_TCE_ENTRIES (1ULL << 28)
/* An empty PTE as reset and H_REMOVE leave it: QEMU's HPTE_DIRTY bit only. */
static const uint8_t empty_hpte[HPTE_BYTES] = { [7] = HPTE64_V_HPTE_DIRTY };
static const uint8_t empty_tce[TCE_BYTES];

/* Atomic: vCPUs set bits of the HPT's map without the big lock (R/C updates). */
static bool bit_test(const unsigned long *map, uint64_t bit)
{
    return (__atomic_load_n(&map[bit / (8 * sizeof(long))], __ATOMIC_RELAXED) >>
            (bit % (8 * sizeof(long)))) &
           1;
}

static void bit_set(unsigned long *map, uint64_t bit)
{
    map[bit / (8 * sizeof(long))] |= 1UL << (bit % (8 * sizeof(long)));
}

/* Take a dirty bit (before the chunk is read: a change after that sets it again). */
static bool bit_take(unsigned long *map, uint64_t bit)
{
    unsigned long mask = 1UL << (bit % (8 * sizeof(long)));

    return __atomic_fetch_and(&map[bit / (8 * sizeof(long))], ~mask, __ATOMIC_ACQ_REL) & mask;
}

static void bits_fill(unsigned long *map, uint64_t nbits)
{
    for (uint64_t i = 0; i < nbits; i++) {
        __atomic_fetch_or(&map[i / (8 * sizeof(long))], 1UL << (i % (8 * sizeof(long))),
                          __ATOMIC_RELAXED);
    }
}

static uint64_t bits_count(const unsigned long *map, uint64_t nbits)
{
    uint64_t n = 0;

    for (uint64_t i = 0; map && i < nbits; i++) {
        n += bit_test(map, i);
    }
    return n;
}

static void put_be16(GByteArray *out, uint16_t v)
{
    vmbuf_put_u8(out, v >> 8);
    vmbuf_put_u8(out, v & 0xff);
}

/*
 * n entries of esz bytes (big-endian already) as runs: u16 count of empty
 * entries, u16 count of entries that follow, those entries; until n.
 */
static void put_runs(GByteArray *out, const uint8_t *e, uint32_t n, size_t esz,
                     const uint8_t *empty)
{
    uint32_t i = 0;

    while (i < n) {
        uint32_t skip = 0, take = 0;

        while (i + skip < n && !memcmp(e + (size_t)(i + skip) * esz, empty, esz)) {
            skip++;
        }
        while (i + skip + take < n && memcmp(e + (size_t)(i + skip + take) * esz, empty, esz)) {
            take++;
        }
        put_be16(out, skip);
        put_be16(out, take);
        g_byte_array_append(out, e + (size_t)(i + skip) * esz, take * esz);
        i += skip + take;
    }
}

static bool all_empty(const uint8_t *e, uint32_t n, size_t esz, const uint8_t *empty)
{
    for (uint32_t i = 0; i < n; i++) {
        if (memcmp(e + (size_t)i * esz, empty, esz)) {
            return false;
        }
    }
    return true;
}

/* What the source has sent of one table: its generation, chunks sent once. */
typedef struct Sent {
    uint64_t gen;
    unsigned long *chunks;
} Sent;

static void sent_free(gpointer p)
{
    Sent *s = p;

    g_free(s->chunks);
    g_free(s);
}

static struct {
    Sent hpt;
    GHashTable *tce; /* LIOBN -> Sent */
} it = { .hpt.gen = UINT64_MAX };

static void sent_reset(Sent *s, uint64_t gen, uint64_t nchunks)
{
    g_free(s->chunks);
    s->gen = gen;
    s->chunks = g_new0(unsigned long, nchunks / (8 * sizeof(long)) + 1);
}

void spapr_migration_iter_begin(MachineState *m)
{
    g_free(it.hpt.chunks);
    it.hpt.chunks = NULL;
    it.hpt.gen = UINT64_MAX;
    if (it.tce) {
        g_hash_table_remove_all(it.tce);
    } else {
        it.tce = g_hash_table_new_full(NULL, NULL, NULL, sent_free);
    }
}

static void rec_start(GByteArray *out, uint8_t kind)
{
    if (!out->len) {
        vmbuf_put_be32(out, SPAPR_STATE_VERSION);
    }
    vmbuf_put_u8(out, kind);
}

static uint64_t hpt_chunks(const SpaprMachineState *spapr)
{
    return spapr->htab ? (1ULL << (spapr->htab_shift - 4)) / SPAPR_HPT_CHUNK_PTES : 0;
}

static uint64_t tce_chunks(const SpaprTceTable *t)
{
    return (t->nb_table + SPAPR_TCE_CHUNK_ENTRIES - 1) / SPAPR_TCE_CHUNK_ENTRIES;
}

/* Room left in this part for one more chunk. */
static bool part_full(const GByteArray *out, size_t max)
{
    return out->len && out->len + 64 + SPAPR_HPT_CHUNK_PTES * HPTE_BYTES > max;
}

/* The HPT's changed chunks; false when the part is full before the end. */
static bool save_hpt(SpaprMachineState *spapr, GByteArray *out, size_t max)
{
    uint64_t n = hpt_chunks(spapr);

    if (spapr->htab_gen != it.hpt.gen) {
        rec_start(out, REC_HPT);
        vmbuf_put_be32(out, spapr->htab ? spapr->htab_shift : 0);
        sent_reset(&it.hpt, spapr->htab_gen, n);
        if (spapr->htab) {
            bits_fill(spapr->htab_dirty, n);
        }
    }
    for (uint64_t c = 0; c < n; c++) {
        const uint8_t *e = spapr->htab + c * SPAPR_HPT_CHUNK_PTES * HPTE_BYTES;

        if (!bit_test(spapr->htab_dirty, c)) {
            continue;
        }
        if (part_full(out, max)) {
            return false;
        }
        bit_take(spapr->htab_dirty, c);
        /* The destination starts from an empty table. */
        if (!bit_test(it.hpt.chunks, c) &&
            all_empty(e, SPAPR_HPT_CHUNK_PTES, HPTE_BYTES, empty_hpte)) {
            continue;
        }
        bit_set(it.hpt.chunks, c);
        rec_start(out, REC_HPT_CHUNK);
        vmbuf_put_be64(out, c * SPAPR_HPT_CHUNK_PTES);
        vmbuf_put_be32(out, SPAPR_HPT_CHUNK_PTES);
        put_runs(out, e, SPAPR_HPT_CHUNK_PTES, HPTE_BYTES, empty_hpte);
    }
    return true;
}

typedef struct TceSave {
    GByteArray *out;
    size_t max;
    bool full;
} TceSave;

static void save_tce_table(SpaprTceTable *t, void *opaque)
{
    TceSave *ts = opaque;
    uint64_t n = tce_chunks(t);
    Sent *s;

    if (ts->full) {
        return;
    }
    s = g_hash_table_lookup(it.tce, GUINT_TO_POINTER(t->liobn));
    if (!s || s->gen != t->gen) {
        if (!s) {
            s = g_new0(Sent, 1);
            g_hash_table_insert(it.tce, GUINT_TO_POINTER(t->liobn), s);
        }
        rec_start(ts->out, REC_TCE);
        vmbuf_put_be32(ts->out, t->liobn);
        vmbuf_put_be32(ts->out, t->page_shift);
        vmbuf_put_be64(ts->out, t->bus_offset);
        vmbuf_put_be64(ts->out, t->nb_table);
        sent_reset(s, t->gen, n);
        if (t->dirty) {
            bits_fill(t->dirty, n);
        }
    }
    for (uint64_t c = 0; c < n; c++) {
        uint64_t first = c * SPAPR_TCE_CHUNK_ENTRIES;
        uint32_t cnt = MIN(SPAPR_TCE_CHUNK_ENTRIES, t->nb_table - first);
        uint8_t be[SPAPR_TCE_CHUNK_ENTRIES * TCE_BYTES];

        if (!bit_test(t->dirty, c)) {
            continue;
        }
        if (part_full(ts->out, ts->max)) {
            ts->full = true;
            return;
        }
        bit_take(t->dirty, c);
        for (uint32_t i = 0; i < cnt; i++) {
            uint64_t v = GUINT64_TO_BE(t->table[first + i]);

            memcpy(be + i * TCE_BYTES, &v, TCE_BYTES);
        }
        if (!bit_test(s->chunks, c) && all_empty(be, cnt, TCE_BYTES, empty_tce)) {
            continue;
        }
        bit_set(s->chunks, c);
        rec_start(ts->out, REC_TCE_CHUNK);
        vmbuf_put_be32(ts->out, t->liobn);
        vmbuf_put_be64(ts->out, first);
        vmbuf_put_be32(ts->out, cnt);
        put_runs(ts->out, be, cnt, TCE_BYTES, empty_tce);
    }
}

bool spapr_migration_iter_save(MachineState *m, GByteArray *out, size_t max)
{
    TceSave ts = { .out = out, .max = max };

    if (!it.tce) {
        spapr_migration_iter_begin(m);
    }
    if (!save_hpt(spapr_of(m), out, max)) {
        return true;
    }
    spapr_tce_foreach(save_tce_table, &ts);
    return ts.full;
}

static void pending_tce(SpaprTceTable *t, void *opaque)
{
    Sent *s = it.tce ? g_hash_table_lookup(it.tce, GUINT_TO_POINTER(t->liobn)) : NULL;
    uint64_t n = tce_chunks(t);

    *(uint64_t *)opaque +=
        (s && s->gen == t->gen ? bits_count(t->dirty, n) : n) * SPAPR_TCE_CHUNK_ENTRIES * TCE_BYTES;
}

uint64_t spapr_migration_iter_pending(MachineState *m)
{
    SpaprMachineState *spapr = spapr_of(m);
    uint64_t n = hpt_chunks(spapr), bytes;

    bytes = (spapr->htab_gen == it.hpt.gen ? bits_count(spapr->htab_dirty, n) : n) *
            SPAPR_HPT_CHUNK_PTES * HPTE_BYTES;
    spapr_tce_foreach(pending_tce, &bytes);
    return bytes;
}

/* What the incoming side has received, installed by spapr_migration_load. */
struct TceStage {
    uint32_t page_shift;
    uint64_t bus_offset, nb_table;
    uint64_t *entries;
};

static void tce_stage_free(gpointer p)
{
    TceStage *t = p;

    g_free(t->entries);
    g_free(t);
}

static struct {
    bool hpt_seen;
    unsigned hpt_shift;
    uint8_t *hpt;
    GHashTable *tce; /* LIOBN -> TceStage */
} stage;

static void stage_hpt_free(void)
{
    qemu_anon_free(stage.hpt, stage.hpt ? 1ULL << stage.hpt_shift : 0);
    stage.hpt = NULL;
    stage.hpt_shift = 0;
    stage.hpt_seen = false;
}

static void stage_clear(void)
{
    stage_hpt_free();
    g_clear_pointer(&stage.tce, g_hash_table_unref);
}

static uint16_t get_be16(VMBufReader *r)
{
    const uint8_t *p = vmbuf_take(r, 2);

    return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

/*
 * Read runs covering n entries of esz bytes into dst (empty ones become
 * empty); checked whole before dst changes.
 */
static bool get_runs(VMBufReader *r, uint8_t *dst, uint32_t n, size_t esz, const uint8_t *empty,
                     bool big_endian_u64)
{
    size_t start = r->pos;
    uint32_t i = 0;

    while (i < n && !r->overrun) {
        uint32_t skip = get_be16(r), take = get_be16(r);

        if (r->overrun || skip + take == 0 || skip + take > n - i || !vmbuf_take(r, take * esz)) {
            return false;
        }
        i += skip + take;
    }
    if (r->overrun) {
        return false;
    }
    r->pos = start;
    for (i = 0; i < n;) {
        uint32_t skip = get_be16(r), take = get_be16(r);
        const uint8_t *src;

        for (uint32_t k = 0; k < skip; k++, i++) {
            memcpy(dst + (size_t)i * esz, empty, esz);
        }
        src = vmbuf_take(r, take * esz);
        for (uint32_t k = 0; k < take; k++, i++) {
            if (big_endian_u64) {
                uint64_t v = be64_at(src + (size_t)k * esz);

                memcpy(dst + (size_t)i * esz, &v, esz);
            } else {
                memcpy(dst + (size_t)i * esz, src + (size_t)k * esz, esz);
            }
        }
    }
    return true;
}

static bool load_hpt(SpaprMachineState *spapr, VMBufReader *r, Error **errp)
{
    unsigned shift = vmbuf_get_be32(r);
    unsigned max = MAX(spapr_hpt_initial_shift(spapr), spapr_hpt_shift(spapr->ram_size) + 1);

    if (r->overrun) {
        return true;
    }
    if (shift && (shift < 18 || shift > MIN(max, 46u))) {
        error_setg(errp, "hash page table of 2^%u bytes in the state", shift);
        return false;
    }
    stage_hpt_free();
    stage.hpt_seen = true;
    if (shift) {
        stage.hpt = qemu_anon_alloc(1ULL << shift, 1ULL << MIN(shift, 18u));
        stage.hpt_shift = shift;
        for (uint64_t ptex = 0; ptex < 1ULL << (shift - 4); ptex++) {
            memcpy(stage.hpt + ptex * HPTE_BYTES, empty_hpte, HPTE_BYTES);
        }
    }
    return true;
}

static bool load_hpt_chunk(VMBufReader *r, Error **errp)
{
    uint64_t first = vmbuf_get_be64(r);
    uint32_t n = vmbuf_get_be32(r);

    if (r->overrun) {
        return true;
    }
    if (!stage.hpt || n == 0 || n > MAX_CHUNK_ENTRIES ||
        first > (1ULL << (stage.hpt_shift - 4)) - n) {
        error_setg(errp, "hash page table part for %u PTEs at %" PRIu64 " does not fit", n, first);
        return false;
    }
    if (!get_runs(r, stage.hpt + first * HPTE_BYTES, n, HPTE_BYTES, empty_hpte, false)) {
        error_setg(errp, "hash page table part at PTE %" PRIu64 " is malformed", first);
        return false;
    }
    return true;
}

static bool load_tce(VMBufReader *r, Error **errp)
{
    uint32_t liobn = vmbuf_get_be32(r);
    TceStage *t = g_new0(TceStage, 1);

    t->page_shift = vmbuf_get_be32(r);
    t->bus_offset = vmbuf_get_be64(r);
    t->nb_table = vmbuf_get_be64(r);
    if (r->overrun) {
        g_free(t);
        return true;
    }
    if (!spapr_tce_find_by_liobn(liobn) || t->page_shift < 12 || t->page_shift > 34 ||
        t->nb_table > MAX_TCE_ENTRIES ||
        t->bus_offset > UINT64_MAX - (t->nb_table << t->page_shift) ||
        (t->nb_table && !(t->entries = g_try_new0(uint64_t, t->nb_table)))) {
        error_setg(errp, "TCE table 0x%x of the state does not fit here", liobn);
        g_free(t);
        return false;
    }
    if (!stage.tce) {
        stage.tce = g_hash_table_new_full(NULL, NULL, NULL, tce_stage_free);
    }
    g_hash_table_replace(stage.tce, GUINT_TO_POINTER(liobn), t);
    return true;
}

static bool load_tce_chunk(VMBufReader *r, Error **errp)
{
    uint32_t liobn = vmbuf_get_be32(r);
    uint64_t first = vmbuf_get_be64(r);
    uint32_t n = vmbuf_get_be32(r);
    TceStage *t;

    if (r->overrun) {
        return true;
    }
    t = stage.tce ? g_hash_table_lookup(stage.tce, GUINT_TO_POINTER(liobn)) : NULL;
    if (!t || n == 0 || n > MAX_CHUNK_ENTRIES || n > t->nb_table || first > t->nb_table - n) {
        error_setg(errp, "TCE table 0x%x part for %u entries at %" PRIu64 " does not fit", liobn, n,
                   first);
        return false;
    }
    if (!get_runs(r, (uint8_t *)(t->entries + first), n, TCE_BYTES, empty_tce, true)) {
        error_setg(errp, "TCE table 0x%x part at entry %" PRIu64 " is malformed", liobn, first);
        return false;
    }
    return true;
}

bool spapr_migration_iter_load(MachineState *m, const uint8_t *buf, size_t len, Error **errp)
{
    SpaprMachineState *spapr = spapr_of(m);
    VMBufReader r;
    uint32_t version;

    vmbuf_reader_init(&r, buf, len);
    version = vmbuf_get_be32(&r);
    if (version != SPAPR_STATE_VERSION) {
        error_setg(errp, "machine state version %u, expected %u", version, SPAPR_STATE_VERSION);
        return false;
    }
    while (!r.overrun && r.pos < r.len) {
        uint8_t kind = vmbuf_get_u8(&r);
        bool ok;

        switch (kind) {
        case REC_HPT:
            ok = load_hpt(spapr, &r, errp);
            break;
        case REC_HPT_CHUNK:
            ok = load_hpt_chunk(&r, errp);
            break;
        case REC_TCE:
            ok = load_tce(&r, errp);
            break;
        case REC_TCE_CHUNK:
            ok = load_tce_chunk(&r, errp);
            break;
        default:
            error_setg(errp, "machine pre-copy part: unknown record %u", kind);
            return false;
        }
        if (!ok) {
            return false;
        }
    }
    if (r.overrun) {
        error_setg(errp, "machine pre-copy part of %zu bytes is truncated", len);
        return false;
    }
    return true;
}

void spapr_migration_save(MachineState *m, GByteArray *out)
{
    SpaprMachineState *spapr = spapr_of(m);
    uint32_t caps[14], ntce, nphb;
    unsigned slots = spapr_cpu_slots(spapr);

    vmbuf_put_be32(out, SPAPR_STATE_VERSION);
    caps_values(&spapr->caps, caps);
    for (unsigned i = 0; i < 14; i++) {
        vmbuf_put_be32(out, caps[i]);
    }
    vmbuf_put_be32(out, spapr->htab ? spapr->htab_shift : 0);
    vmbuf_put_be64(out, spapr->patb_entry);
    vmbuf_put_be32(out, spapr->cas.compat_pvr);
    g_byte_array_append(out, spapr->cas.ov5, sizeof(spapr->cas.ov5));
    vmbuf_put_u8(out, spapr->cas.pre_isa3_guest);
    vmbuf_put_u8(out, spapr->cas.done);
    vmbuf_put_be64(out, spapr->fwnmi_system_reset_addr);
    vmbuf_put_be64(out, spapr->fwnmi_machine_check_addr);
    vmbuf_put_be32(out, (uint32_t)spapr->fwnmi_machine_check_interlock);
    vmbuf_put_be32(out, slots);
    for (unsigned i = 0; i < slots; i++) {
        SpaprCpuState s = spapr->cpu_states ? spapr->cpu_states[i] : (SpaprCpuState){ 0 };

        vmbuf_put_u8(out, spapr_cpu_present(spapr, i));
        vmbuf_put_be64(out, s.vpa_addr);
        vmbuf_put_be64(out, s.slb_shadow_addr);
        vmbuf_put_be32(out, s.slb_shadow_size);
        vmbuf_put_be64(out, s.dtl_addr);
        vmbuf_put_be32(out, s.dtl_size);
        vmbuf_put_u8(out, s.prod);
        vmbuf_put_u8(out, s.stopped);
    }
    ntce = 0;
    spapr_tce_foreach(count_one, &ntce);
    vmbuf_put_be32(out, ntce);
    spapr_tce_foreach(save_tce, out);
    nphb = 0;
    spapr_pci_foreach_phb(count_phb, &nphb);
    vmbuf_put_be32(out, nphb);
    spapr_pci_foreach_phb(save_msi, out);
}

bool spapr_migration_load(MachineState *m, const uint8_t *buf, size_t len, Error **errp)
{
    SpaprMachineState *spapr = spapr_of(m);
    VMBufReader r;
    uint32_t caps[14], version, shift, slots;
    const uint8_t *ov5;
    SpaprCasState cas;
    uint64_t patb, fwnmi_reset, fwnmi_mce;
    uint32_t interlock;
    g_autofree SpaprCpuState *states = NULL;
    g_autofree TceLoad *tces = NULL;
    g_autofree MsiLoad *msis = NULL;
    uint32_t ntce, nphb, have = 0;

    vmbuf_reader_init(&r, buf, len);
    version = vmbuf_get_be32(&r);
    if (version != SPAPR_STATE_VERSION) {
        /* Version 1 (the whole HPT and TCE tables in this section) is not read. */
        error_setg(errp, "machine state version %u, expected %u", version, SPAPR_STATE_VERSION);
        return false;
    }
    caps_values(&spapr->caps, caps);
    for (unsigned i = 0; i < 14; i++) {
        uint32_t v = vmbuf_get_be32(&r);

        if (!r.overrun && v != caps[i]) {
            error_setg(errp, "%s is %u in the state, %u here", caps_names[i], v, caps[i]);
            return false;
        }
    }
    shift = vmbuf_get_be32(&r);
    if (!r.overrun && (!stage.hpt_seen || shift != stage.hpt_shift)) {
        error_setg(errp, "hash page table of 2^%u bytes in the state, %s its pre-copy part", shift,
                   stage.hpt_seen ? "another size in" : "no");
        return false;
    }
    patb = vmbuf_get_be64(&r);
    cas.compat_pvr = vmbuf_get_be32(&r);
    ov5 = vmbuf_take(&r, sizeof(cas.ov5));
    cas.pre_isa3_guest = vmbuf_get_u8(&r) != 0;
    cas.done = vmbuf_get_u8(&r) != 0;
    fwnmi_reset = vmbuf_get_be64(&r);
    fwnmi_mce = vmbuf_get_be64(&r);
    interlock = vmbuf_get_be32(&r);
    slots = vmbuf_get_be32(&r);
    if (!r.overrun && slots != spapr_cpu_slots(spapr)) {
        error_setg(errp, "%u CPU slots in the state, %u here", slots, spapr_cpu_slots(spapr));
        return false;
    }
    states = g_new0(SpaprCpuState, spapr_cpu_slots(spapr));
    for (unsigned i = 0; i < slots && !r.overrun; i++) {
        bool present = vmbuf_get_u8(&r) != 0;

        if (!r.overrun && present != spapr_cpu_present(spapr, i)) {
            error_setg(errp, "CPU slot %u is %s in the state, not here", i,
                       present ? "present" : "empty");
            return false;
        }
        states[i].vpa_addr = vmbuf_get_be64(&r);
        states[i].slb_shadow_addr = vmbuf_get_be64(&r);
        states[i].slb_shadow_size = vmbuf_get_be32(&r);
        states[i].dtl_addr = vmbuf_get_be64(&r);
        states[i].dtl_size = vmbuf_get_be32(&r);
        states[i].prod = vmbuf_get_u8(&r) != 0;
        states[i].stopped = vmbuf_get_u8(&r) != 0;
    }
    ntce = vmbuf_get_be32(&r);
    spapr_tce_foreach(count_one, &have);
    if (!r.overrun && ntce != have) {
        error_setg(errp, "%u TCE tables in the state, %u here", ntce, have);
        return false;
    }
    tces = g_new0(TceLoad, have);
    for (uint32_t i = 0; i < ntce && !r.overrun; i++) {
        uint32_t liobn = vmbuf_get_be32(&r);
        TceLoad *l = &tces[i];

        l->page_shift = vmbuf_get_be32(&r);
        l->bus_offset = vmbuf_get_be64(&r);
        l->nb_table = vmbuf_get_be64(&r);
        l->t = spapr_tce_find_by_liobn(liobn);
        l->staged = stage.tce ? g_hash_table_lookup(stage.tce, GUINT_TO_POINTER(liobn)) : NULL;
        if (r.overrun) {
            break;
        }
        if (!l->t || !l->staged || l->staged->page_shift != l->page_shift ||
            l->staged->bus_offset != l->bus_offset || l->staged->nb_table != l->nb_table) {
            error_setg(errp, "TCE table 0x%x of the state does not match its pre-copy part", liobn);
            return false;
        }
    }
    nphb = vmbuf_get_be32(&r);
    have = 0;
    spapr_pci_foreach_phb(count_phb, &have);
    if (!r.overrun && nphb != have) {
        error_setg(errp, "%u PCI host bridges in the state, %u here", nphb, have);
        return false;
    }
    msis = g_new0(MsiLoad, have);
    for (uint32_t i = 0; i < nphb && !r.overrun; i++) {
        PhbFind f = { .index = vmbuf_get_be32(&r) };

        msis[i].n = vmbuf_get_be32(&r);
        spapr_pci_foreach_phb(find_phb, &f);
        if (r.overrun) {
            break;
        }
        if (!f.found || msis[i].n > (r.len - r.pos) / 12) {
            error_setg(errp, "PCI host bridge %u of the state does not fit here", f.index);
            return false;
        }
        msis[i].phb = f.found;
        msis[i].entries = vmbuf_take(&r, (size_t)msis[i].n * 12);
    }
    if (!vmbuf_reader_done(&r)) {
        error_setg(errp, "machine state of %zu bytes does not match its contents", len);
        return false;
    }

    /* All checked: apply. */
    if (shift) {
        spapr_hpt_resize_cancel(spapr);
        spapr_hpt_install(spapr, stage.hpt, shift);
        stage.hpt = NULL;
    } else {
        spapr_hpt_free(spapr);
    }
    spapr->patb_entry = patb;
    memcpy(cas.ov5, ov5, sizeof(cas.ov5));
    spapr->cas = cas;
    spapr->fwnmi_system_reset_addr = fwnmi_reset;
    spapr->fwnmi_machine_check_addr = fwnmi_mce;
    spapr->fwnmi_machine_check_interlock = (int)interlock;
    g_free(spapr->cpu_states);
    spapr->cpu_states = g_steal_pointer(&states);
    for (uint32_t i = 0; i < ntce; i++) {
        TceLoad *l = &tces[i];

        if (!l->nb_table) {
            spapr_tce_table_disable(l->t);
            continue;
        }
        spapr_tce_table_enable(l->t, l->page_shift, l->bus_offset, l->nb_table);
        memcpy(l->t->table, l->staged->entries, l->nb_table * sizeof(uint64_t));
    }
    for (uint32_t i = 0; i < nphb; i++) {
        GArray *msi = msis[i].phb->msi;

        g_array_set_size(msi, 0);
        for (uint32_t j = 0; j < msis[i].n; j++) {
            const uint8_t *p = msis[i].entries + j * 12;
            SpaprPciMsi e = { be32_at(p), be32_at(p + 4), be32_at(p + 8) };

            g_array_append_val(msi, e);
        }
    }
    stage_clear();
    return true;
}

static PowerPCCPU *present_cpu(SpaprMachineState *spapr, unsigned i)
{
    return i < spapr->nr_present ? spapr->cpus[spapr->cpu_order[i]] : NULL;
}

void spapr_migration_cpu_save(MachineState *m, unsigned i, GByteArray *out)
{
    ppc_cpu_state_save(present_cpu(spapr_of(m), i), out);
}

bool spapr_migration_cpu_load(MachineState *m, unsigned i, const uint8_t *buf, size_t len,
                              Error **errp)
{
    PowerPCCPU *cpu = present_cpu(spapr_of(m), i);

    if (!cpu) {
        error_setg(errp, "no CPU %u here", i);
        return false;
    }
    return ppc_cpu_state_load(cpu, buf, len, errp);
}

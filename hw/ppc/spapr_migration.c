/*
 * The pseries machine's part of a migration stream: its own section (caps,
 * hashed page table, process table, CAS result, per-CPU PAPR state such as
 * VPA registrations, FWNMI, the TCE tables of every DMA window and the PHBs'
 * MSI allocations) and the per-CPU sections (target/ppc/machine.c).
 */
#include "hw/ppc/spapr.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_tce.h"
#include "migration/vmbuf.h"
#include "qemu/host-mem.h"
#include "target/ppc/machine.h"

#define SPAPR_STATE_VERSION 1

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
    for (uint64_t i = 0; i < t->nb_table; i++) {
        vmbuf_put_be64(out, t->table[i]);
    }
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

/* What a load will apply to one TCE table, checked first. */
typedef struct TceLoad {
    SpaprTceTable *t;
    uint32_t page_shift;
    uint64_t bus_offset, nb_table;
    const uint8_t *entries; /* nb_table big-endian entries */
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
    if (spapr->htab) {
        g_byte_array_append(out, spapr->htab, 1U << spapr->htab_shift);
    }
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
    const uint8_t *htab = NULL, *ov5;
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
    if (shift && (shift < 18 || shift > 46)) {
        error_setg(errp, "hash page table of 2^%u bytes in the state", shift);
        return false;
    }
    if (shift) {
        htab = vmbuf_take(&r, (size_t)1 << shift);
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
        if (r.overrun) {
            break;
        }
        if (!l->t || l->page_shift < 12 || l->page_shift > 34 ||
            l->nb_table > (r.len - r.pos) / 8) {
            error_setg(errp, "TCE table 0x%x of the state does not fit here", liobn);
            return false;
        }
        l->entries = vmbuf_take(&r, l->nb_table * 8);
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
    spapr_hpt_free(spapr);
    if (shift) {
        spapr->htab = qemu_anon_alloc((size_t)1 << shift, (size_t)1 << MIN(shift, 18u));
        memcpy(spapr->htab, htab, (size_t)1 << shift);
        spapr->htab_shift = shift;
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
        for (uint64_t j = 0; j < l->nb_table; j++) {
            l->t->table[j] = be64_at(l->entries + j * 8);
        }
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

/*
 * HPT resizing (PAPR's hcall-hpt-resize): H_RESIZE_HPT_PREPARE builds a new,
 * empty hashed page table, H_RESIZE_HPT_COMMIT moves the bolted PTEs into it.
 */
#include "hw/ppc/spapr.h"
#include "qemu/host-mem.h"
#include "qemu/module.h"
#include "target/ppc/mmu-hash64.h"

/* The architected HPT sizes: 256 KiB to 64 TiB. */
#define HPT_MIN_SHIFT 18
#define HPT_MAX_SHIFT 46
/* Partition-table entry doubleword 1, bit 0: the guest uses radix (no HPT then). */
#define PATE1_GR PPC_BIT(0)

void spapr_hpt_resize_cancel(SpaprMachineState *spapr)
{
    qemu_anon_free(spapr->pending_htab, 1ULL << spapr->pending_htab_shift);
    spapr->pending_htab = NULL;
    spapr->pending_htab_shift = 0;
}

/*
 * The hcalls are refused with H_AUTHORITY when resize-hpt=disabled, and with
 * H_NOT_AVAILABLE when the partition has no HPT (it went radix).
 */
static target_ulong resize_allowed(const SpaprMachineState *spapr)
{
    if (spapr->caps.resize_hpt == SPAPR_RESIZE_HPT_DISABLED) {
        return H_AUTHORITY;
    }
    if (!spapr->htab || (spapr->patb_entry & PATE1_GR)) {
        return H_NOT_AVAILABLE;
    }
    return H_SUCCESS;
}

/*
 * H_RESIZE_HPT_PREPARE(flags, shift): get a table of 2^shift bytes ready.
 * shift 0 only cancels what was prepared.  The guest may ask for at most
 * one size above what its RAM gets at reset (H_RESOURCE).  As QEMU 7.2, the
 * call that starts a preparation answers "busy, come back in 100 ms"; the
 * same call again then returns how it went (H_SUCCESS).  A different size
 * drops the prepared table and starts over.
 */
static target_ulong h_resize_hpt_prepare(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                         target_ulong opcode, target_ulong *args)
{
    target_ulong flags = args[0], shift = args[1];
    target_ulong rc = resize_allowed(spapr);

    if (rc != H_SUCCESS) {
        return rc;
    }
    if (flags) {
        return H_PARAMETER;
    }
    if (shift && (shift < HPT_MIN_SHIFT || shift > HPT_MAX_SHIFT)) {
        return H_PARAMETER;
    }
    if (shift > spapr_hpt_shift(spapr->ram_size) + 1) {
        return H_RESOURCE;
    }
    if (spapr->pending_htab && spapr->pending_htab_shift == shift) {
        return H_SUCCESS;
    }
    spapr_hpt_resize_cancel(spapr);
    if (!shift) {
        return H_SUCCESS;
    }
    /* A new table holds no PTE at all (not even QEMU's dirty bit of a reset). */
    spapr->pending_htab = qemu_anon_alloc(1ULL << shift, 1ULL << MIN(shift, 18u));
    spapr->pending_htab_shift = shift;
    return H_LONG_BUSY_ORDER_100_MSEC;
}

/*
 * The PTE group a valid PTE found in group pteg of a table with groups
 * old_mask + 1 must go to in a table with new_mask + 1 groups.  The hash
 * is VSID ^ (segment offset >> page shift) for a 256 MiB segment, and
 * VSID ^ (VSID << 25) ^ (offset >> page shift) for a 1 TiB one; the AVPN
 * keeps the offset bits from 23 up, and the old group index gives the
 * hash's low bits, so the offset bits below 23 come back from those.
 * Returns false for a PTE that cannot be placed (bad segment size).
 */
static bool rehash_group(uint64_t v, unsigned pshift, uint64_t pteg, uint64_t old_mask,
                         uint64_t new_mask, uint64_t *new_pteg)
{
    uint64_t avpn = (v & HPTE64_V_AVPN) >> HPTE64_V_AVPN_SHIFT;
    uint64_t ssize = v & HPTE64_V_SSIZE;
    uint64_t low = ((v & HPTE64_V_SECONDARY) ? ~pteg : pteg) & old_mask; /* hash bits */
    unsigned off_bits = ssize ? 17 : 5; /* offset bits 23.. the AVPN holds */
    uint64_t vsid, offset, vsid_hash, hash;

    if (ssize != 0 && ssize != (1ULL << HPTE64_V_SSIZE_SHIFT)) {
        return false;
    }
    /* A large page's AVPN has its bits below the page size cleared. */
    avpn &= ~(((1ULL << pshift) - 1) >> 23);
    vsid = avpn >> off_bits;
    offset = (avpn & ((1ULL << off_bits) - 1)) << 23;
    vsid_hash = ssize ? vsid ^ (vsid << 25) : vsid;
    if (pshift < 23) {
        offset |= ((vsid_hash ^ low) & old_mask) << pshift;
    }
    hash = vsid_hash ^ (offset >> pshift);
    *new_pteg = ((v & HPTE64_V_SECONDARY) ? ~hash : hash) & new_mask;
    return true;
}

/*
 * Move every bolted valid PTE of the current table to its group in the new
 * one, same slot; other PTEs are dropped (the guest faults them back in).
 * Two bolted PTEs landing in one slot of a smaller table: H_PTEG_FULL.
 */
static target_ulong rehash(PowerPCCPU *cpu, SpaprMachineState *spapr)
{
    uint64_t old_mask = (1ULL << (spapr->htab_shift - 7)) - 1;
    uint64_t new_mask = (1ULL << (spapr->pending_htab_shift - 7)) - 1;
    uint8_t *dst = spapr->pending_htab;

    for (uint64_t pteg = 0; pteg <= old_mask; pteg++) {
        for (unsigned slot = 0; slot < HPTES_PER_GROUP; slot++) {
            uint64_t ptex = pteg * HPTES_PER_GROUP + slot;
            uint64_t v = hpte64_load(spapr->htab, ptex, 0);
            uint64_t r = hpte64_load(spapr->htab, ptex, 1);
            uint64_t dst_ptex, new_pteg;
            unsigned pshift;

            if (!(v & HPTE64_V_VALID) || !(v & HPTE64_V_BOLTED)) {
                continue;
            }
            /* H_ENTER let only encodings the partition has into the table. */
            pshift = ppc_hash64_cpu_pte_page_shift_noslb(cpu, v, r);
            if (!pshift || !rehash_group(v, pshift, pteg, old_mask, new_mask, &new_pteg)) {
                return H_HARDWARE;
            }
            dst_ptex = new_pteg * HPTES_PER_GROUP + slot;
            if (hpte64_load(dst, dst_ptex, 0) & HPTE64_V_VALID) {
                return H_PTEG_FULL;
            }
            hpte64_store(dst, dst_ptex, 1, r);
            hpte64_store(dst, dst_ptex, 0, v);
        }
    }
    return H_SUCCESS;
}

/*
 * H_RESIZE_HPT_COMMIT(flags, shift): switch to the table prepared for this
 * shift (H_CLOSED when there is none).  Success or not, the preparation is
 * used up; on failure the current table stays as it was.
 */
static target_ulong h_resize_hpt_commit(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                        target_ulong opcode, target_ulong *args)
{
    target_ulong flags = args[0], shift = args[1];
    target_ulong rc = resize_allowed(spapr);

    if (rc != H_SUCCESS) {
        return rc;
    }
    if (flags) {
        return H_PARAMETER;
    }
    if (!spapr->pending_htab || spapr->pending_htab_shift != shift) {
        return H_CLOSED;
    }
    rc = rehash(cpu, spapr);
    if (rc == H_SUCCESS) {
        spapr_hpt_install(spapr, spapr->pending_htab, spapr->pending_htab_shift);
        spapr->pending_htab = NULL;
        /* Translations cached from the old table (non-bolted ones are gone). */
        ppc_tlb_flush(&cpu->env);
        for (unsigned i = 0; spapr->cpus && i < spapr_cpu_slots(spapr); i++) {
            if (spapr->cpus[i] && spapr->cpus[i] != cpu) {
                ppc_tlb_flush_cpu(spapr->cpus[i]);
            }
        }
    }
    spapr_hpt_resize_cancel(spapr);
    return rc;
}

static void spapr_hpt_resize_register(void)
{
    /* hcall-hpt-resize */
    spapr_register_hypercall(H_RESIZE_HPT_PREPARE, h_resize_hpt_prepare);
    spapr_register_hypercall(H_RESIZE_HPT_COMMIT, h_resize_hpt_commit);
}

module_init(spapr_hpt_resize_register)

/*
 * H_REGISTER_PROC_TBL: the radix process table (or the hash MMU's segment
 * table choice) a partition registers, given to the CPU as its
 * partition-table entry, with the LPCR bits that select the MMU.
 */
#include "exec/guest-memory.h"
#include "hw/ppc/spapr.h"
#include "qemu/module.h"
#ifdef CONFIG_KVM
#include "sysemu/kvm-ppc.h"
#endif

/* r4 flags (Linux asm/hvcall.h PROC_TABLE_*) */
#define PROC_TABLE_GTSE 0x01    /* guest may use tlbie and tlbsync */
#define PROC_TABLE_HPT_PT 0x02  /* hash with process (segment) tables */
#define PROC_TABLE_RADIX 0x04   /* radix translation */
#define PROC_TABLE_NEW 0x08     /* register (with MODIFY), else deregister */
#define PROC_TABLE_OP_MASK 0x10 /* MODIFY: change the registration */
#define PROC_TABLE_FLAGS 0x1f

/* Partition-table entry doubleword 1: GR (guest radix), base and size. */
#define PATE1_GR PPC_BIT(0)
#define PATE1_PRTS_MAX 24 /* table of at most 2^(24 + 12) bytes */
#define PATE1_PAGE 0xfffULL

/*
 * Hash with the SLB: QEMU keeps the table address (below 2^38), the
 * segment-table page size (3 bits) and size as they would sit in a
 * partition-table entry, though nothing reads them.
 */
#define HASH_TBL_ADDR_BITS 38
#define HASH_TBL_PS_MASK 0x7ULL
#define HASH_TBL_ADDR_SHIFT 25
#define HASH_TBL_PS_SHIFT 5

/* The LPCR bits the registration decides. */
#define PROC_TBL_LPCR (LPCR_UPRT | LPCR_HR | LPCR_GTSE)

void spapr_proc_tbl_reset(SpaprMachineState *spapr)
{
    spapr->patb_entry = 0;
}

bool spapr_vhyp_get_pate(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu, uint64_t pate[2])
{
    SpaprMachineState *spapr = (SpaprMachineState *)vhyp;

    (void)cpu;
    if (!(spapr->patb_entry & PATE1_GR)) {
        return false;
    }
    pate[0] = 0;
    pate[1] = spapr->patb_entry;
    return true;
}

/*
 * A radix process table: 4 KiB aligned and below 2^60 (as QEMU checks:
 * H_P2), aligned to its size and entirely in RAM (our additions, also
 * H_P2: the MMU would otherwise walk a table that is not there); no page
 * size (H_P3); at most 2^24 pages (H_P4).
 */
static target_ulong radix_entry(uint64_t base, uint64_t page_size, uint64_t table_size,
                                uint64_t *entry)
{
    uint64_t bytes;

    if ((base & PATE1_PAGE) || (base >> 60)) {
        return H_P2;
    }
    if (page_size) {
        return H_P3;
    }
    if (table_size > PATE1_PRTS_MAX) {
        return H_P4;
    }
    bytes = 1ULL << (table_size + 12);
    if ((base & (bytes - 1)) || !guest_range_valid(base, bytes)) {
        return H_P2;
    }
    *entry = PATE1_GR | base | table_size;
    return H_SUCCESS;
}

/* Hash: only the SLB form is served; hash with segment tables is not (H_PARAMETER). */
static target_ulong hash_entry(target_ulong flags, uint64_t base, uint64_t page_size,
                               uint64_t table_size, uint64_t *entry)
{
    if (flags & PROC_TABLE_HPT_PT) {
        return H_PARAMETER;
    }
    if (base >> HASH_TBL_ADDR_BITS) {
        return H_P2;
    }
    if (page_size & ~HASH_TBL_PS_MASK) {
        return H_P3;
    }
    if (table_size > PATE1_PRTS_MAX) {
        return H_P4;
    }
    *entry = (base << HASH_TBL_ADDR_SHIFT) | (page_size << HASH_TBL_PS_SHIFT) | table_size;
    return H_SUCCESS;
}

/*
 * The hashed page table follows the MMU, as QEMU's spapr_check_setup_free_hpt:
 * a partition moving from hash (the state after reset) to radix no longer
 * needs it, and freeing it gives its pages back (8 MiB for 1 GiB of RAM);
 * one moving from radix back to hash gets a fresh, empty table.  Under KVM
 * the kernel owns the table and is left alone.
 */
static void spapr_proc_tbl_switch_hpt(SpaprMachineState *spapr, uint64_t old_entry,
                                      uint64_t new_entry)
{
    bool was_radix = old_entry & PATE1_GR, radix = new_entry & PATE1_GR;

#ifdef CONFIG_KVM
    if (kvm_enabled()) {
        return;
    }
#endif
    if (radix && !was_radix) {
        spapr_hpt_free(spapr);
    } else if (!radix && was_radix && !spapr->htab) {
        spapr_hpt_reset(spapr);
    }
}

/*
 * r4 = flags; r5 = table base; r6 = page size; r7 = table size (log2 of
 * 4 KiB pages).  MODIFY|NEW registers a table, MODIFY alone deregisters
 * it (keeping the radix/hash choice), no MODIFY keeps the registration if
 * its kind (RADIX) matches.  Then every CPU's LPCR gets UPRT|HR for radix,
 * UPRT for hash with tables, GTSE if asked; its other bits are kept.
 */
static target_ulong h_register_proc_tbl(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                        target_ulong opcode, target_ulong *args)
{
    target_ulong flags = args[0];
    uint64_t entry, lpcr = 0;
    target_ulong ret;

    (void)cpu;
    (void)opcode;
    if (flags & ~(target_ulong)PROC_TABLE_FLAGS) {
        return H_PARAMETER;
    }
    if (!(flags & PROC_TABLE_OP_MASK)) {
        if (!(flags & PROC_TABLE_RADIX) != !(spapr->patb_entry & PATE1_GR)) {
            return H_PARAMETER;
        }
        entry = spapr->patb_entry;
    } else if (!(flags & PROC_TABLE_NEW)) {
        entry = spapr->patb_entry & PATE1_GR;
    } else {
        ret = (flags & PROC_TABLE_RADIX) ? radix_entry(args[1], args[2], args[3], &entry)
                                         : hash_entry(flags, args[1], args[2], args[3], &entry);
        if (ret != H_SUCCESS) {
            return ret;
        }
    }

#ifdef CONFIG_KVM
    /* POWER9 KVM-HV: the kernel's partition table entry for the guest. */
    if (kvm_enabled() &&
        kvm_ppc_configure_v3_mmu(flags & PROC_TABLE_RADIX, flags & PROC_TABLE_GTSE, entry) < 0) {
        return H_PARAMETER;
    }
#endif
    spapr_proc_tbl_switch_hpt(spapr, spapr->patb_entry, entry);
    /*
     * Another table (or none) in the same MMU mode: the soft TLBs must not
     * keep translations made through the old one (a change of LPCR[HR] or
     * [UPRT] below flushes them anyway).  QEMU 7.2 leaves that to the
     * guest's tlbie; flushing more than the ISA asks is always allowed.
     */
    if (entry != spapr->patb_entry) {
        ppc_tlb_flush_all_cpus();
    }
    spapr->patb_entry = entry;
    if (flags & PROC_TABLE_RADIX) {
        lpcr |= LPCR_UPRT | LPCR_HR;
    } else if (flags & PROC_TABLE_HPT_PT) {
        lpcr |= LPCR_UPRT;
    }
    if (flags & PROC_TABLE_GTSE) {
        lpcr |= LPCR_GTSE;
    }
    for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
        spapr_cpu_update_lpcr(spapr->cpus[i], lpcr, PROC_TBL_LPCR);
    }
    return H_SUCCESS;
}

static void spapr_proc_tbl_init(void)
{
    spapr_register_hypercall(H_REGISTER_PROC_TBL, h_register_proc_tbl);
}

module_init(spapr_proc_tbl_init)

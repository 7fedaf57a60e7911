/*
 * The hashed page table a pseries partition's hash MMU uses: owned by the
 * hypervisor (host memory), sized from RAM and published as ibm,pft-size,
 * and the PAPR hcalls that manage it (H_ENTER, H_REMOVE, H_BULK_REMOVE,
 * H_READ, H_PROTECT, H_CLEAR_REF, H_CLEAR_MOD) with QEMU 7.2's checks.
 */
#include "hw/ppc/spapr.h"
#include "qemu/host-mem.h"
#include "qemu/module.h"
#include "target/ppc/mmu-hash64.h"
#include "sysemu/kvm.h"
#ifdef CONFIG_KVM
#include "qemu/error-report.h"
#include "sysemu/kvm-ppc.h"

#include <errno.h>
#endif

/* One PTE group per 128 bytes; the table is 1/128 of RAM, 256 KiB to 64 TiB. */
unsigned spapr_hpt_shift(uint64_t ram_size)
{
    unsigned shift = 64 - __builtin_clzll(MAX(ram_size, 2) - 1);

    return MIN(MAX(shift - 7, 18u), 46u);
}

/* PTEs in the table: 16 bytes each. */
static uint64_t hpt_npte(const SpaprMachineState *spapr)
{
    return 1ULL << (spapr->htab_shift - 4);
}

unsigned spapr_hpt_initial_shift(const SpaprMachineState *spapr)
{
    bool fixed = spapr->caps.resize_hpt == SPAPR_RESIZE_HPT_DISABLED;

    return spapr_hpt_shift(fixed ? spapr->maxmem : spapr->ram_size);
}

/* Generations of the HPT, never reused (migration tells tables apart by them). */
static uint64_t hpt_generation;

static void hpt_drop(SpaprMachineState *spapr)
{
    qemu_anon_free(spapr->htab, 1ULL << spapr->htab_shift);
    g_free(spapr->htab_dirty);
    spapr->htab = NULL;
    spapr->htab_dirty = NULL;
    spapr->htab_shift = 0;
    spapr->htab_gen = ++hpt_generation;
}

void spapr_hpt_free(SpaprMachineState *spapr)
{
    spapr_hpt_resize_cancel(spapr);
    hpt_drop(spapr);
}

void spapr_hpt_install(SpaprMachineState *spapr, uint8_t *table, unsigned shift)
{
    uint64_t chunks = (1ULL << (shift - 4)) / SPAPR_HPT_CHUNK_PTES;
    size_t longs = (chunks + 8 * sizeof(long) - 1) / (8 * sizeof(long));

    hpt_drop(spapr);
    spapr->htab = table;
    spapr->htab_shift = shift;
    spapr->htab_dirty = g_new(unsigned long, longs);
    memset(spapr->htab_dirty, 0xff, longs * sizeof(long));
}

void spapr_hpt_mark_dirty(SpaprMachineState *spapr, uint64_t ptex)
{
    uint64_t chunk = ptex / SPAPR_HPT_CHUNK_PTES;
    const unsigned bits = 8 * sizeof(long);

    if (spapr->htab_dirty) {
        __atomic_fetch_or(&spapr->htab_dirty[chunk / bits], 1UL << (chunk % bits),
                          __ATOMIC_RELEASE);
    }
}

/* A fresh, empty table at every reset, aligned on its size (up to 256 KiB). */
void spapr_hpt_reset(SpaprMachineState *spapr)
{
    unsigned shift = spapr_hpt_initial_shift(spapr);

    spapr_hpt_resize_cancel(spapr);
#ifdef CONFIG_KVM
    if (kvm_enabled() && spapr_hpt_reset_kvm(spapr, shift)) {
        return;
    }
#endif
    spapr_hpt_install(spapr, qemu_anon_alloc(1ULL << shift, 1ULL << MIN(shift, 18u)), shift);
    /*
     * QEMU marks every PTE with its HPTE_DIRTY software bit (for migration):
     * H_READ of a never-used slot shows 0x40 in the first doubleword there.
     */
    for (uint64_t ptex = 0; ptex < hpt_npte(spapr); ptex++) {
        hpte64_store(spapr->htab, ptex, 0, HPTE64_V_HPTE_DIRTY);
    }
#ifdef CONFIG_KVM
    /* KVM-PR reads the table from this process: SDR1 = its address | (size log2 - 18). */
    if (kvm_enabled()) {
        for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
            spapr->cpus[i]->env.spr[SPR_SDR1] = (uintptr_t)spapr->htab | (spapr->htab_shift - 18);
        }
    }
#endif
}

#ifdef CONFIG_KVM
/*
 * KVM-HV keeps the guest's hashed page table in the host kernel: it
 * allocates (or clears) a table of about 2^shift bytes and says which size
 * it chose.  true: done, no table in this process.  false: KVM-PR, whose
 * table stays here.
 */
bool spapr_hpt_reset_kvm(SpaprMachineState *spapr, unsigned shift)
{
    uint32_t kshift = shift;
    int r = kvm_ppc_allocate_htab(&kshift);

    if (r == -ENOSYS) {
        return false;
    }
    if (r < 0) {
        error_exit("Failed to allocate KVM HPT of order %u: %s", shift, g_strerror(-r));
    }
    hpt_drop(spapr);
    spapr->htab_shift = kshift;
    return true;
}
#endif

uint8_t *spapr_vhyp_hpt(PPCVirtualHypervisor *vhyp, uint64_t *pteg_mask)
{
    SpaprMachineState *spapr = (SpaprMachineState *)vhyp;

    if (!spapr->htab) {
        return NULL;
    }
    *pteg_mask = (1ULL << (spapr->htab_shift - 7)) - 1;
    return spapr->htab;
}

void spapr_vhyp_hpte_rc_set(PPCVirtualHypervisor *vhyp, uint64_t ptex)
{
    spapr_hpt_mark_dirty((SpaprMachineState *)vhyp, ptex);
}

/* ---- Helpers ------------------------------------------------------------- */

/* A PTE index inside the table (QEMU checks the group it falls in). */
static bool valid_ptex(const SpaprMachineState *spapr, target_ulong ptex)
{
    return ptex < hpt_npte(spapr);
}

static uint64_t pte_v(const SpaprMachineState *spapr, target_ulong ptex)
{
    return hpte64_load(spapr->htab, ptex, 0);
}

static uint64_t pte_r(const SpaprMachineState *spapr, target_ulong ptex)
{
    return hpte64_load(spapr->htab, ptex, 1);
}

/*
 * Store a PTE the way QEMU's pseries does: a valid one second doubleword
 * first, so a CPU never sees V with a stale second half.  QEMU keeps its
 * HPTE_DIRTY software bit (0x40) set in every PTE it writes, and H_READ
 * shows it: so do we.
 */
static void store_pte(SpaprMachineState *spapr, target_ulong ptex, uint64_t v, uint64_t r)
{
    v |= HPTE64_V_HPTE_DIRTY;
    if (v & HPTE64_V_VALID) {
        hpte64_store(spapr->htab, ptex, 1, r);
        hpte64_store(spapr->htab, ptex, 0, v);
    } else {
        hpte64_store(spapr->htab, ptex, 0, v);
        hpte64_store(spapr->htab, ptex, 1, r);
    }
    spapr_hpt_mark_dirty(spapr, ptex);
}

/*
 * A translation went away or lost rights: every CPU drops what its soft
 * TLB cached — the caller at once, the others before their next block
 * (ppc_tlb_flush_cpu), as a tlbie the hypervisor issued would.
 */
static void flush_all_cpus(SpaprMachineState *spapr, PowerPCCPU *cpu)
{
    ppc_tlb_flush(&cpu->env);
    for (unsigned i = 0; spapr->cpus && i < spapr_cpu_slots(spapr); i++) {
        if (spapr->cpus[i] && spapr->cpus[i] != cpu) {
            ppc_tlb_flush_cpu(spapr->cpus[i]);
        }
    }
}

/* ---- H_ENTER ------------------------------------------------------------- */

/*
 * H_ENTER(flags, ptex, pteh, ptel): put a PTE into the group of ptex, in
 * its first free slot, or (H_EXACT) exactly at ptex.  r4 = the index used.
 * QEMU 7.2 checks, in this order: the page size encoding (one of the sizes
 * cap-hpt-max-page-size allows; its LP bits in the low RPN bits also make a
 * large page's RPN aligned on its size), WIMG of the page's first byte (RAM
 * must be plain memory-coherent, M only; outside RAM, I or I|M), then the
 * index.
 * It ignores the other flags (H_ZERO_PAGE, H_ICACHE_*, H_ANDCOND ...) and
 * clears the PTE's software bits 0x60.
 */
static target_ulong h_enter(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                            target_ulong *args)
{
    target_ulong flags = args[0], ptex = args[1], pteh = args[2], ptel = args[3];
    unsigned pshift;
    uint64_t raddr, slot;

    if (!spapr->htab) {
        return H_FUNCTION;
    }
    pshift = ppc_hash64_cpu_pte_page_shift_noslb(cpu, pteh, ptel);
    if (!pshift) {
        return H_PARAMETER;
    }
    raddr = (ptel & HPTE64_R_RPN) & ~((1ULL << pshift) - 1);
    if (raddr < spapr->ram_size) {
        if ((ptel & HPTE64_R_WIMG) != HPTE64_R_M) {
            return H_PARAMETER;
        }
    } else {
        uint64_t wim = ptel & (HPTE64_R_W | HPTE64_R_I | HPTE64_R_M);

        if (wim != HPTE64_R_I && wim != (HPTE64_R_I | HPTE64_R_M)) {
            return H_PARAMETER;
        }
    }
    pteh &= ~0x60ULL;
    if (!valid_ptex(spapr, ptex)) {
        return H_PARAMETER;
    }

    slot = ptex & 7;
    ptex &= ~7ULL;
    if (!(flags & H_EXACT)) {
        for (slot = 0; slot < HPTES_PER_GROUP; slot++) {
            if (!(pte_v(spapr, ptex + slot) & HPTE64_V_VALID)) {
                break;
            }
        }
        if (slot == HPTES_PER_GROUP) {
            return H_PTEG_FULL;
        }
    } else if (pte_v(spapr, ptex + slot) & HPTE64_V_VALID) {
        return H_PTEG_FULL;
    }
    store_pte(spapr, ptex + slot, pteh, ptel);
    args[0] = ptex + slot;
    return H_SUCCESS;
}

/* ---- H_REMOVE, H_BULK_REMOVE ------------------------------------------- */

typedef enum RemoveResult {
    REMOVE_SUCCESS = 0,
    REMOVE_NOT_FOUND = 1,
    REMOVE_PARM = 2,
} RemoveResult;

/*
 * Remove the PTE at ptex if it is valid and (H_AVPN) its AVPN bits equal
 * avpn, or (H_ANDCOND) it has none of avpn's bits.  *v, *r: the old PTE.
 */
static RemoveResult remove_pte(SpaprMachineState *spapr, target_ulong ptex, target_ulong avpn,
                               target_ulong flags, uint64_t *v, uint64_t *r)
{
    if (!valid_ptex(spapr, ptex)) {
        return REMOVE_PARM;
    }
    *v = pte_v(spapr, ptex);
    *r = pte_r(spapr, ptex);
    if (!(*v & HPTE64_V_VALID) || ((flags & H_AVPN) && (*v & ~0x7fULL) != avpn) ||
        ((flags & H_ANDCOND) && (*v & avpn))) {
        return REMOVE_NOT_FOUND;
    }
    store_pte(spapr, ptex, 0, 0);
    return REMOVE_SUCCESS;
}

/* H_REMOVE(flags, ptex, avpn): r4, r5 = the PTE removed. */
static target_ulong h_remove(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    uint64_t v, r;

    if (!spapr->htab) {
        return H_FUNCTION;
    }
    switch (remove_pte(spapr, args[1], args[2], args[0], &v, &r)) {
    case REMOVE_SUCCESS:
        flush_all_cpus(spapr, cpu);
        args[0] = v;
        args[1] = r;
        return H_SUCCESS;
    case REMOVE_NOT_FOUND:
        return H_NOT_FOUND;
    default:
        return H_PARAMETER;
    }
}

/*
 * H_BULK_REMOVE: up to four (translation specifier high, low) pairs in
 * r4..r11.  The high word: type (bits 0:1: 01 request, 11 end of list),
 * flags (bits 6:7: 00 absolute, 01 ANDCOND, 10 AVPN) and the PTE index;
 * the low word the AVPN.  Each request becomes a response (type 10, code
 * in bits 2:3, and for a removal the old R and C), in place.  A bad type,
 * both flags, or a bad index stops the list with H_PARAMETER; what was
 * removed before stays removed.
 */
#define BULK_TYPE 0xc000000000000000ULL
#define BULK_REQUEST 0x4000000000000000ULL
#define BULK_RESPONSE 0x8000000000000000ULL
#define BULK_END 0xc000000000000000ULL
#define BULK_PARM 0x2000000000000000ULL
#define BULK_FLAGS 0x0300000000000000ULL
#define BULK_ANDCOND 0x0100000000000000ULL
#define BULK_AVPN 0x0200000000000000ULL
#define BULK_PTEX 0x00ffffffffffffffULL
#define BULK_CODE_SHIFT 60
/* The flags field moved down to H_ANDCOND / H_AVPN. */
#define BULK_FLAGS_SHIFT 26
/*
 * Where QEMU 7.2 puts the removed PTE's R and C: shifted by 43, i.e. bits
 * 12:13, not bits 4:5 as PAPR's RC field says.  Linux does not read them;
 * we place them as QEMU does.
 */
#define BULK_RC_SHIFT 43
#define BULK_MAX 4

static target_ulong h_bulk_remove(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                  target_ulong *args)
{
    target_ulong rc = H_SUCCESS;
    bool removed = false;

    if (!spapr->htab) {
        return H_FUNCTION;
    }
    for (unsigned i = 0; i < BULK_MAX; i++) {
        target_ulong *tsh = &args[i * 2];
        target_ulong tsl = args[i * 2 + 1];
        uint64_t v, r;
        RemoveResult ret;

        if ((*tsh & BULK_TYPE) == BULK_END) {
            break;
        }
        if ((*tsh & BULK_TYPE) != BULK_REQUEST) {
            rc = H_PARAMETER;
            break;
        }
        *tsh = (*tsh & (BULK_PTEX | BULK_FLAGS)) | BULK_RESPONSE;
        if ((*tsh & BULK_ANDCOND) && (*tsh & BULK_AVPN)) {
            *tsh |= BULK_PARM;
            rc = H_PARAMETER;
            break;
        }
        ret = remove_pte(spapr, *tsh & BULK_PTEX, tsl, (*tsh & BULK_FLAGS) >> BULK_FLAGS_SHIFT, &v,
                         &r);
        *tsh |= (uint64_t)ret << BULK_CODE_SHIFT;
        if (ret == REMOVE_SUCCESS) {
            *tsh |= (r & (HPTE64_R_R | HPTE64_R_C)) << BULK_RC_SHIFT;
            removed = true;
        } else if (ret == REMOVE_PARM) {
            rc = H_PARAMETER;
            break;
        }
    }
    if (removed) {
        flush_all_cpus(spapr, cpu);
    }
    return rc;
}

/* ---- H_PROTECT ----------------------------------------------------------- */

/*
 * H_PROTECT(flags, ptex, avpn): new PP0 (flags bit 55), PP (62:63), N (61)
 * and key (flags bits 50:51 and 52:54) for a valid PTE (whose AVPN matches,
 * with H_AVPN).
 */
#define PROTECT_PP0_SHIFT 55
#define PROTECT_KEY_HI_SHIFT 48

/*
 * The valid PTE at ptex, for the hcalls that change one: H_FUNCTION without
 * an HPT, H_PARAMETER for an index beyond it, H_NOT_FOUND when not valid.
 */
static target_ulong read_valid_pte(SpaprMachineState *spapr, target_ulong ptex, uint64_t *v,
                                   uint64_t *r)
{
    if (!spapr->htab) {
        return H_FUNCTION;
    }
    if (!valid_ptex(spapr, ptex)) {
        return H_PARAMETER;
    }
    *v = pte_v(spapr, ptex);
    *r = pte_r(spapr, ptex);
    return (*v & HPTE64_V_VALID) ? H_SUCCESS : H_NOT_FOUND;
}

static target_ulong h_protect(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    target_ulong flags = args[0], ptex = args[1], avpn = args[2];
    uint64_t v, r;
    target_ulong ret = read_valid_pte(spapr, ptex, &v, &r);

    if (ret != H_SUCCESS) {
        return ret;
    }
    if ((flags & H_AVPN) && (v & ~0x7fULL) != avpn) {
        return H_NOT_FOUND;
    }
    r &= ~(HPTE64_R_PP0 | HPTE64_R_PP | HPTE64_R_N | HPTE64_R_KEY_HI | HPTE64_R_KEY_LO);
    r |= (flags << PROTECT_PP0_SHIFT) & HPTE64_R_PP0;
    r |= (flags << PROTECT_KEY_HI_SHIFT) & HPTE64_R_KEY_HI;
    r |= flags & (HPTE64_R_PP | HPTE64_R_N | HPTE64_R_KEY_LO);
    store_pte(spapr, ptex, v, r);
    flush_all_cpus(spapr, cpu);
    return H_SUCCESS;
}

/* ---- H_READ ---------------------------------------------------------------- */

/* H_READ(flags, ptex): r4, r5 = the PTE; H_READ_4: four PTEs from ptex & ~3. */
static target_ulong h_read(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    target_ulong flags = args[0], ptex = args[1];
    unsigned n = 1;

    if (!spapr->htab) {
        return H_FUNCTION;
    }
    if (!valid_ptex(spapr, ptex)) {
        return H_PARAMETER;
    }
    if (flags & H_READ_4) {
        ptex &= ~3ULL;
        n = 4;
    }
    for (unsigned i = 0; i < n; i++) {
        args[2 * i] = pte_v(spapr, ptex + i);
        args[2 * i + 1] = pte_r(spapr, ptex + i);
    }
    return H_SUCCESS;
}

/* ---- H_CLEAR_REF, H_CLEAR_MOD ---------------------------------------------- */

/*
 * H_CLEAR_REF / H_CLEAR_MOD(flags, ptex): clear R (or C) of a valid PTE;
 * r4 = the second doubleword as it was.  QEMU 7.2 does not offer these
 * (H_FUNCTION there); we follow KVM: flags ignored, a bad index is
 * H_PARAMETER, an invalid PTE H_NOT_FOUND.
 */
static target_ulong clear_rc(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong *args,
                             uint64_t bit)
{
    target_ulong ptex = args[1];
    uint64_t v, r;
    target_ulong ret = read_valid_pte(spapr, ptex, &v, &r);

    if (ret != H_SUCCESS) {
        return ret;
    }
    if (r & bit) {
        hpte64_store(spapr->htab, ptex, 1, r & ~bit);
        spapr_hpt_mark_dirty(spapr, ptex);
        /* The next access must come back to the MMU to set the bit again. */
        flush_all_cpus(spapr, cpu);
    }
    args[0] = r;
    return H_SUCCESS;
}

static target_ulong h_clear_ref(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    return clear_rc(cpu, spapr, args, HPTE64_R_R);
}

static target_ulong h_clear_mod(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    return clear_rc(cpu, spapr, args, HPTE64_R_C);
}

static void spapr_hpt_register(void)
{
    /* hcall-pft */
    spapr_register_hypercall(H_ENTER, h_enter);
    spapr_register_hypercall(H_REMOVE, h_remove);
    spapr_register_hypercall(H_PROTECT, h_protect);
    spapr_register_hypercall(H_READ, h_read);
    spapr_register_hypercall(H_CLEAR_REF, h_clear_ref);
    spapr_register_hypercall(H_CLEAR_MOD, h_clear_mod);
    /* hcall-bulk */
    spapr_register_hypercall(H_BULK_REMOVE, h_bulk_remove);
}

module_init(spapr_hpt_register)

/*
 * ibm,client-architecture-support: H_CAS (SLOF's door), spapr_cas_negotiate (VOF's),
 * and H_UPDATE_DT, with which SLOF hands its own tree back.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include <libfdt.h>

/*
 * The buffer given to H_CAS starts with a header SLOF reads before the new
 * tree: a 32-bit version it requires to be at least 1.  QEMU 7.2 stores the
 * number in host byte order; on the x86 hosts it runs on that is 01 00 00 00,
 * which SLOF (big-endian) reads as 0x01000000: still >= 1.
 */
#define CAS_HEADER_SIZE 4
static const uint8_t cas_header[CAS_HEADER_SIZE] = { 1, 0, 0, 0 };

/* A PVR list has at most this many (mask, value) pairs before its terminator. */
#define CAS_MAX_PVRS 512
/* Option vectors are numbered from 1; the count byte allows up to 256 of them. */
#define CAS_OV1 1
#define CAS_OV5 5

/* The logical PVRs, oldest level first (PAPR "processor compatibility" values). */
static const uint32_t compat_levels[] = {
    SPAPR_PVR_COMPAT_2_05, SPAPR_PVR_COMPAT_2_06, SPAPR_PVR_COMPAT_2_06_PLUS,
    SPAPR_PVR_COMPAT_2_07, SPAPR_PVR_COMPAT_3_00, SPAPR_PVR_COMPAT_3_10,
};

/* 1 + index in compat_levels, 0 for a value that is no logical PVR. */
static unsigned compat_rank(uint32_t pvr)
{
    for (unsigned i = 0; i < ARRAY_SIZE(compat_levels); i++) {
        if (compat_levels[i] == pvr) {
            return i + 1;
        }
    }
    return 0;
}

/*
 * The newest level the processor runs: POWER9 down to 2.05, POWER8 (no radix)
 * up to 2.07.  2.06+ is 2.06 with extra instructions and runs where 2.06 does.
 */
static unsigned cpu_max_rank(const PowerPCCPUModel *m)
{
    return compat_rank(m->has_radix ? SPAPR_PVR_COMPAT_3_00 : SPAPR_PVR_COMPAT_2_07);
}

bool spapr_cas_isa300(SpaprMachineState *spapr)
{
    unsigned rank = compat_rank(SPAPR_PVR_COMPAT_3_00);
    uint32_t compat = spapr->cas.compat_pvr;

    return cpu_max_rank(spapr->cpu_model) >= rank && (!compat || compat_rank(compat) >= rank);
}

void spapr_cas_reset(SpaprMachineState *spapr)
{
    memset(&spapr->cas, 0, sizeof(spapr->cas));
    /* Processors start at the level max-cpu-compat names (QEMU sets it at CPU reset). */
    spapr->cas.compat_pvr = spapr->caps.max_compat_pvr;
}

/*
 * What QEMU 7.2's pseries puts in its vector 5: dynamic reconfiguration
 * memory (pseries-2.5 on), form 1 affinity and form 2 (pseries-6.2 on), the
 * hot-plug event source (unless modern-hotplug-events=off), HPT resizing
 * (when resize-hpt allows it and the hcalls are served), ibm,dynamic-memory-v2,
 * and radix with guest tlbie when the processor type and max-cpu-compat allow
 * ISA 3.00.  XIVE is not offered: there is no XIVE controller.
 */
void spapr_cas_ov5_offered(SpaprMachineState *spapr, uint8_t ov5[SPAPR_OV5_BYTES + 1])
{
    unsigned version = spapr->version ? spapr_version_number(spapr->version) : 9999;
    unsigned max = spapr->caps.max_compat_pvr ? compat_rank(spapr->caps.max_compat_pvr) : ~0u;

    memset(ov5, 0, SPAPR_OV5_BYTES + 1);
    if (version > 204) {
        ov5[OV5_DRCONF_MEMORY_BYTE] |= OV5_DRCONF_MEMORY;
    }
    ov5[OV5_AFFINITY_BYTE] |= OV5_FORM1_AFFINITY;
    if (version >= 602) {
        ov5[OV5_AFFINITY_BYTE] |= OV5_FORM2_AFFINITY;
    }
    if (spapr->caps.modern_hotplug_events) {
        ov5[OV5_HOTPLUG_BYTE] |= OV5_HP_EVT;
    }
    if (spapr->caps.resize_hpt != SPAPR_RESIZE_HPT_DISABLED &&
        spapr_hypercall_registered(H_RESIZE_HPT_PREPARE) &&
        spapr_hypercall_registered(H_RESIZE_HPT_COMMIT)) {
        ov5[OV5_HOTPLUG_BYTE] |= OV5_HPT_RESIZE;
    }
    ov5[OV5_DRMEM_V2_BYTE] |= OV5_DRMEM_V2;
    if (cpu_max_rank(spapr->cpu_model) >= compat_rank(SPAPR_PVR_COMPAT_3_00) &&
        max >= compat_rank(SPAPR_PVR_COMPAT_3_00)) {
        ov5[OV5_MMU_BYTE] |= OV5_MMU_RADIX_300;
        ov5[OV5_RADIX_GTSE_BYTE] |= OV5_MMU_RADIX_GTSE;
    }
}

/* ---- Reading the guest's vectors ------------------------------------ */

/* What the guest's block says, read and checked before anything is applied. */
typedef struct CasRequest {
    bool raw_ok;   /* the processor's own PVR is in the list */
    uint32_t best; /* the newest logical PVR listed both sides accept, 0: none */
    bool have_ov1;
    uint8_t ov1_isa3; /* vector 1 byte 3 */
    uint8_t ov5[SPAPR_OV5_BYTES + 1];
} CasRequest;

/*
 * The PVR list: (mask, value) pairs, big-endian, ended by a pair whose value
 * has a bit outside its mask.  *addr moves past the terminator.
 */
static bool cas_read_pvrs(SpaprMachineState *spapr, PowerPCCPU *cpu, target_ulong *addr,
                          CasRequest *req)
{
    uint32_t real_pvr = (uint32_t)cpu->env.spr[SPR_PVR];
    unsigned max = spapr->caps.max_compat_pvr ? compat_rank(spapr->caps.max_compat_pvr) : ~0u;
    unsigned best_rank = 0;

    for (unsigned i = 0; i < CAS_MAX_PVRS; i++) {
        uint32_t mask, pvr;
        unsigned rank;

        if (!guest_ldl_be(*addr, &mask) || !guest_ldl_be(*addr + 4, &pvr)) {
            return false;
        }
        *addr += 8;
        if (pvr & ~mask) {
            return true;
        }
        if ((real_pvr & mask) == (pvr & mask)) {
            req->raw_ok = true;
            continue;
        }
        rank = compat_rank(pvr);
        if (rank && rank >= best_rank && rank <= max && rank <= cpu_max_rank(spapr->cpu_model)) {
            best_rank = rank;
            req->best = pvr;
        }
    }
    /* QEMU stops after 512 pairs without a terminator and carries on from there. */
    return true;
}

/*
 * Option vector n of the table at addr: a byte holding the number of vectors
 * less one, then each vector as a length byte (bytes less one) and its bytes.
 * *found false when the table has fewer vectors; false when it leaves RAM.
 */
static bool cas_find_vector(target_ulong table, unsigned n, target_ulong *vec, unsigned *len,
                            bool *found)
{
    uint8_t count, l;
    target_ulong addr = table + 1;

    *found = false;
    if (!guest_ldub(table, &count)) {
        return false;
    }
    if (n > count + 1u) {
        return true;
    }
    for (unsigned i = 1; i < n; i++) {
        if (!guest_ldub(addr, &l)) {
            return false;
        }
        addr += l + 2u;
    }
    if (!guest_ldub(addr, &l)) {
        return false;
    }
    *vec = addr + 1;
    *len = l + 1u;
    *found = true;
    return guest_range_valid(*vec, *len);
}

static target_ulong cas_read_request(SpaprMachineState *spapr, PowerPCCPU *cpu, target_ulong addr,
                                     CasRequest *req)
{
    target_ulong vec;
    unsigned len;
    bool found;

    memset(req, 0, sizeof(*req));
    if (!cas_read_pvrs(spapr, cpu, &addr, req)) {
        return H_PARAMETER;
    }
    if (!cas_find_vector(addr, CAS_OV1, &vec, &len, &found)) {
        return H_PARAMETER;
    }
    if (found && len >= OV1_ISA3_BYTE) {
        guest_ldub(vec + OV1_ISA3_BYTE - 1, &req->ov1_isa3);
    }
    req->have_ov1 = found;
    if (!cas_find_vector(addr, CAS_OV5, &vec, &len, &found)) {
        return H_PARAMETER;
    }
    if (!found || !req->have_ov1) {
        /* QEMU: "guest didn't provide option vector 1" (or 5) */
        warn_report("guest didn't provide option vector %d", req->have_ov1 ? 5 : 1);
        return H_PARAMETER;
    }
    guest_read(vec, &req->ov5[1], MIN(len, (unsigned)SPAPR_OV5_BYTES));
    return H_SUCCESS;
}

/* ---- Applying the agreement ----------------------------------------- */

static bool other_cpus_running(SpaprMachineState *spapr, PowerPCCPU *cpu)
{
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        if (spapr->cpus[i] != cpu && !spapr->cpus[i]->halted) {
            return true;
        }
    }
    return false;
}

/*
 * Guest requests QEMU 7.2 refuses by stopping the machine: both MMUs or both
 * controllers, XIVE (not offered here), or a hash guest that cannot resize
 * its page table when resize-hpt=required.
 */
static void cas_check_modes(SpaprMachineState *spapr, const CasRequest *req)
{
    if (req->ov5[OV5_MMU_BYTE] & OV5_MMU_BOTH) {
        error_exit("guest requested hash and radix MMU, which is invalid.");
    }
    if (req->ov5[OV5_INTC_BYTE] & OV5_XIVE_BOTH) {
        error_exit("guest requested an invalid interrupt mode");
    }
    if (req->ov5[OV5_INTC_BYTE] & OV5_XIVE_EXPLOIT) {
        error_exit("Guest requested unavailable interrupt mode (XIVE), try the "
                   "ic-mode=xive or ic-mode=dual machine property");
    }
    if (spapr->caps.resize_hpt == SPAPR_RESIZE_HPT_REQUIRED &&
        !(req->ov5[OV5_MMU_BYTE] & OV5_MMU_RADIX_300) &&
        !(req->ov5[OV5_HOTPLUG_BYTE] & OV5_HPT_RESIZE)) {
        error_exit("h_client_architecture_support: Guest doesn't support HPT resizing, "
                   "but resize-hpt=required");
    }
}

/*
 * The MMU the guest chose.  A partition that had registered a radix process
 * table and now asks for hash gets a fresh hashed page table and leaves
 * radix (QEMU's spapr_setup_hpt on that path).
 */
static void cas_apply_mmu(SpaprMachineState *spapr, bool guest_radix)
{
    /* PPC_BIT(0) of the partition-table entry: GR, guest radix */
    if (guest_radix || !(spapr->patb_entry & PPC_BIT(0))) {
        return;
    }
    spapr_hpt_reset(spapr);
    spapr->patb_entry = 0;
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        spapr_cpu_update_lpcr(spapr->cpus[i], 0, LPCR_HR | LPCR_UPRT);
    }
}

/*
 * Validate, decide, build the new tree with the new state, and only then
 * commit: on any failure the machine is as it was.
 */
static target_ulong cas_negotiate(SpaprMachineState *spapr, PowerPCCPU *cpu, target_ulong vec_addr,
                                  void **fdt, uint32_t *fdt_size)
{
    SpaprCasState old = spapr->cas;
    uint8_t offered[SPAPR_OV5_BYTES + 1];
    CasRequest req;
    target_ulong ret;

    if (other_cpus_running(spapr, cpu)) {
        warn_report("guest has multiple active vCPUs at CAS, which is not allowed");
        return H_MULTI_THREADS_ACTIVE;
    }
    ret = cas_read_request(spapr, cpu, vec_addr, &req);
    if (ret != H_SUCCESS) {
        return ret;
    }
    if (!req.best && spapr->caps.max_compat_pvr) {
        /* No common level, and the user asked for one. */
        return H_HARDWARE;
    }
    if (!req.best && !req.raw_ok) {
        return H_HARDWARE;
    }
    cas_check_modes(spapr, &req);

    spapr_cas_ov5_offered(spapr, offered);
    spapr->cas.compat_pvr = req.best;
    for (unsigned i = 1; i <= SPAPR_OV5_BYTES; i++) {
        spapr->cas.ov5[i] = offered[i] & req.ov5[i];
    }
    spapr->cas.pre_isa3_guest = !(req.ov1_isa3 & OV1_PPC_3_00);
    spapr->cas.done = true;
    *fdt = spapr_build_fdt(spapr, fdt_size);
    if (!*fdt) {
        spapr->cas = old;
        return H_RESOURCE;
    }
    return H_SUCCESS;
}

/* The tree becomes the machine's (the caller checked where it goes). */
static void cas_commit(SpaprMachineState *spapr, void *fdt, uint32_t size)
{
    cas_apply_mmu(spapr, spapr_cas_ov5_test(&spapr->cas, OV5_MMU_BYTE, OV5_MMU_RADIX_300));
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = fdt;
    spapr->fdt_size = size;
    spapr->fdt_initial_size = size;
}

target_ulong spapr_cas_negotiate(SpaprMachineState *spapr, PowerPCCPU *cpu, target_ulong vec_addr)
{
    void *fdt = NULL;
    uint32_t size = 0;
    target_ulong ret = cas_negotiate(spapr, cpu, vec_addr, &fdt, &size);

    if (ret == H_SUCCESS) {
        cas_commit(spapr, fdt, size);
    }
    return ret;
}

/* Real-mode addresses ignore the top 4 bits (QEMU's ppc64_phys_to_real). */
static target_ulong phys_to_real(target_ulong addr)
{
    return addr & ~(0xfULL << 60);
}

/*
 * H_CAS: r4 = the PVR list and option vectors, r5 = a buffer for the
 * header and the new tree, r6 = its size.  A buffer smaller than the header
 * stops the machine (QEMU: SLOF gave too little); one that does not hold the
 * tree, or leaves RAM, gets H_PARAMETER with nothing changed.
 */
static target_ulong h_client_architecture_support(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                                  target_ulong opcode, target_ulong *args)
{
    target_ulong buf = args[1], bufsize = args[2];
    void *fdt = NULL;
    uint32_t size = 0;
    SpaprCasState old = spapr->cas;
    target_ulong ret;

    (void)opcode;
    if (bufsize < CAS_HEADER_SIZE) {
        error_exit("SLOF provided insufficient CAS buffer %" PRIu64 " (min: %d)", (uint64_t)bufsize,
                   CAS_HEADER_SIZE);
    }
    ret = cas_negotiate(spapr, cpu, phys_to_real(args[0]), &fdt, &size);
    if (ret != H_SUCCESS) {
        return ret;
    }
    if (size > bufsize - CAS_HEADER_SIZE || !guest_range_valid(buf, CAS_HEADER_SIZE + size)) {
        spapr->cas = old;
        g_free(fdt);
        return H_PARAMETER;
    }
    guest_write(buf, cas_header, CAS_HEADER_SIZE);
    guest_write(buf + CAS_HEADER_SIZE, fdt, size);
    cas_commit(spapr, fdt, size);
    return H_SUCCESS;
}

/*
 * H_UPDATE_DT: r4 = a flattened tree the firmware built (SLOF's own, before
 * it calls H_CAS).  It replaces the machine's copy when it is whole and no
 * more than twice the size of the tree the machine last gave; pseries-3.1
 * and older ignore it.
 */
static target_ulong h_update_dt(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    target_ulong dt = phys_to_real(args[0]);
    uint32_t size;
    void *fdt;

    (void)cpu;
    (void)opcode;
    if (spapr->version && spapr_version_number(spapr->version) <= 301) {
        return H_SUCCESS;
    }
    if (!guest_ldl_be(dt + 4, &size)) {
        return H_PARAMETER;
    }
    if ((uint64_t)size > 2ULL * spapr->fdt_initial_size || size < sizeof(struct fdt_header) ||
        !guest_range_valid(dt, size)) {
        return H_PARAMETER;
    }
    fdt = g_malloc(size);
    guest_read(dt, fdt, size);
    if (fdt_check_full(fdt, size)) {
        g_free(fdt);
        return H_PARAMETER;
    }
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = fdt;
    spapr->fdt_size = size;
    return H_SUCCESS;
}

static void spapr_cas_init(void)
{
    spapr_register_hypercall(KVMPPC_H_CAS, h_client_architecture_support);
    spapr_register_hypercall(KVMPPC_H_UPDATE_DT, h_update_dt);
}

module_init(spapr_cas_init)

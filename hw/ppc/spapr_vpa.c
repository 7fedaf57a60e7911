/*
 * H_REGISTER_VPA: the areas a partition shares with the hypervisor for each
 * processor - the Virtual Processor Area, the SLB shadow buffer and the
 * Dispatch Trace Log - with QEMU 7.2's rules for registering them.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "qemu/module.h"

/* The VPA: a 16-bit length at offset 4, at least 640 bytes long. */
#define VPA_SIZE_OFFSET 4
#define VPA_MIN_SIZE 640
/* Byte 9 holds the shared-processor flag (bit 6 of the byte: 0x02). */
#define VPA_SHARED_PROC_OFFSET 9
#define VPA_SHARED_PROC 0x02
/* SLB shadow and DTL: a 32-bit length at offset 4. */
#define AREA_SIZE_OFFSET 4
#define SLB_SHADOW_MIN_SIZE 8
#define DTL_MIN_SIZE 48
/* Neither the VPA nor the SLB shadow may cross a 4 KiB boundary. */
#define VPA_PAGE_SIZE 4096

static bool crosses_page(hwaddr addr, uint64_t size)
{
    return addr / VPA_PAGE_SIZE != (addr + size - 1) / VPA_PAGE_SIZE;
}

/*
 * Registering anything at address 0 is a hardware error in QEMU: 0 is how
 * it records "not registered".
 */
static target_ulong register_vpa(PowerPCCPU *cpu, SpaprCpuState *st, hwaddr addr)
{
    uint16_t size;
    uint8_t flags;

    if (addr == 0) {
        return H_HARDWARE;
    }
    /* It must start on a cache line (so it cannot cross one needlessly). */
    if (addr % cpu->model->cache_line_size) {
        return H_PARAMETER;
    }
    if (!guest_lduw_be(addr + VPA_SIZE_OFFSET, &size) || size < VPA_MIN_SIZE) {
        return H_PARAMETER;
    }
    if (crosses_page(addr, size) || !guest_range_valid(addr, size)) {
        return H_PARAMETER;
    }
    /* The partition runs on shared processors, as QEMU tells it here. */
    guest_ldub(addr + VPA_SHARED_PROC_OFFSET, &flags);
    guest_stb(addr + VPA_SHARED_PROC_OFFSET, flags | VPA_SHARED_PROC);
    st->vpa_addr = addr;
    return H_SUCCESS;
}

/* The other areas hang off the VPA: it stays until they are gone. */
static target_ulong deregister_vpa(SpaprCpuState *st)
{
    if (st->slb_shadow_addr || st->dtl_addr) {
        return H_RESOURCE;
    }
    st->vpa_addr = 0;
    return H_SUCCESS;
}

/* The length field of an SLB shadow or DTL at addr, or false. */
static bool area_size(hwaddr addr, uint32_t min, uint32_t *size)
{
    return guest_ldl_be(addr + AREA_SIZE_OFFSET, size) && *size >= min &&
           guest_range_valid(addr, *size);
}

/* The area's own checks come first: a bad area is H_PARAMETER even without a VPA. */
static target_ulong register_slb_shadow(SpaprCpuState *st, hwaddr addr)
{
    uint32_t size;

    if (addr == 0) {
        return H_HARDWARE;
    }
    if (!area_size(addr, SLB_SHADOW_MIN_SIZE, &size) || crosses_page(addr, size)) {
        return H_PARAMETER;
    }
    if (!st->vpa_addr) {
        return H_RESOURCE;
    }
    st->slb_shadow_addr = addr;
    st->slb_shadow_size = size;
    return H_SUCCESS;
}

/* Unlike the others, QEMU lets a DTL be anywhere and cross pages. */
static target_ulong register_dtl(SpaprCpuState *st, hwaddr addr)
{
    uint32_t size;

    if (addr == 0) {
        return H_HARDWARE;
    }
    if (!area_size(addr, DTL_MIN_SIZE, &size)) {
        return H_PARAMETER;
    }
    if (!st->vpa_addr) {
        return H_RESOURCE;
    }
    st->dtl_addr = addr;
    st->dtl_size = size;
    return H_SUCCESS;
}

/*
 * r4 = flags (the function in bits 16-18, nothing else set), r5 = the
 * processor number of the CPU whose area it is, r6 = the area's address
 * (ignored when deregistering).
 */
static target_ulong h_register_vpa(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                   target_ulong *args)
{
    target_ulong flags = args[0];
    PowerPCCPU *target = spapr_find_cpu(spapr, args[1]);
    hwaddr addr = args[2];
    SpaprCpuState *st;

    if (!target) {
        return H_PARAMETER;
    }
    st = spapr_cpu_state(spapr, target);
    switch (flags) {
    case H_VPA_REG_VPA:
        return register_vpa(target, st, addr);
    case H_VPA_DEREG_VPA:
        return deregister_vpa(st);
    case H_VPA_REG_SLB:
        return register_slb_shadow(st, addr);
    case H_VPA_DEREG_SLB:
        st->slb_shadow_addr = 0;
        st->slb_shadow_size = 0;
        return H_SUCCESS;
    case H_VPA_REG_DTL:
        return register_dtl(st, addr);
    case H_VPA_DEREG_DTL:
        st->dtl_addr = 0;
        st->dtl_size = 0;
        return H_SUCCESS;
    default:
        return H_PARAMETER;
    }
}

/*
 * The dispatch counter: a big-endian word at VPA + 0x100 that the
 * hypervisor makes even while the processor is dispatched (runs guest code)
 * and odd while it is not — as QEMU does under TCG, each time the vCPU
 * thread enters and leaves the CPU loop.  Linux reads it to tell whether
 * another processor is preempted.
 */
#define VPA_DISPATCH_COUNTER 0x100

static void bump_dispatch(SpaprCpuState *st, unsigned parity)
{
    uint32_t count;

    if (!st->vpa_addr || !guest_ldl_be(st->vpa_addr + VPA_DISPATCH_COUNTER, &count)) {
        return;
    }
    count++;
    if ((count & 1) != parity) {
        qemu_log_mask(LOG_GUEST_ERROR, "VPA: dispatch counter %u out of step, corrected\n", count);
        count++;
    }
    guest_stl_be(st->vpa_addr + VPA_DISPATCH_COUNTER, count);
}

void spapr_vpa_exec_enter(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    SpaprCpuState *st = spapr_cpu_state((SpaprMachineState *)vhyp, cpu);

    /* A prod is for a processor that is not running (QEMU forgets it here too). */
    st->prod = false;
    bump_dispatch(st, 0);
}

void spapr_vpa_exec_exit(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    bump_dispatch(spapr_cpu_state((SpaprMachineState *)vhyp, cpu), 1);
}

static void spapr_vpa_init(void)
{
    spapr_register_hypercall(H_REGISTER_VPA, h_register_vpa);
}

module_init(spapr_vpa_init)

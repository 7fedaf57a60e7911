/*
 * XICS on pseries: the interrupt hypercalls (H_CPPR, H_EOI, H_XIRR,
 * H_XIRR_X, H_IPI, H_IPOLL), the RTAS source services (ibm,set-xive,
 * ibm,get-xive, ibm,int-on, ibm,int-off) and the device-tree node.
 */
#include "hw/ppc/xics.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include <libfdt.h>

/* ---- Hypercalls: the caller's presentation controller ------------------ */

/* Every interrupt hcall works on the calling processor's ICP. */
#define CALLER_ICP(icp, spapr, cpu)                                                                \
    ICPState *icp = spapr_cpu_icp(spapr, cpu);                                                     \
    if (!icp) {                                                                                    \
        return H_HARDWARE;                                                                         \
    }

/* H_CPPR(r4 = new CPPR, low byte): interrupts at or below it are held off. */
static target_ulong h_cppr(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    CALLER_ICP(icp, spapr, cpu);
    icp_set_cppr(icp, args[0]);
    return H_SUCCESS;
}

/*
 * H_IPI(r4 = server, r5 = MFRR, low byte): request an IPI at that priority.
 * The server is the low 32 bits of r4, as QEMU 7.2 reads it.
 */
static target_ulong h_ipi(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                          target_ulong *args)
{
    ICPState *target = spapr->irq ? xics_icp_get(spapr->irq->ics, (uint32_t)args[0]) : NULL;

    if (!target) {
        return H_PARAMETER;
    }
    icp_set_mfrr(target, args[1]);
    return H_SUCCESS;
}

/* H_XIRR -> r4 = XIRR: accept the pending interrupt (XISR 0: none). */
static target_ulong h_xirr(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    CALLER_ICP(icp, spapr, cpu);
    args[0] = icp_accept(icp);
    return H_SUCCESS;
}

/*
 * H_XIRR_X -> r4 = XIRR, r5 = when it was accepted.  PAPR asks for the
 * time base; QEMU 7.2 returns the host's cycle counter, which the guest
 * cannot relate to anything: we return the time base.
 */
static target_ulong h_xirr_x(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    CALLER_ICP(icp, spapr, cpu);
    args[0] = icp_accept(icp);
    args[1] = ppc_cpu_load_tb(cpu);
    return H_SUCCESS;
}

/* H_EOI(r4 = XIRR as read, CPPR to go back to in the top byte). */
static target_ulong h_eoi(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                          target_ulong *args)
{
    CALLER_ICP(icp, spapr, cpu);
    icp_eoi(icp, args[0]);
    return H_SUCCESS;
}

/* H_IPOLL -> r4 = XIRR, r5 = MFRR: look without accepting. */
static target_ulong h_ipoll(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                            target_ulong *args)
{
    uint8_t mfrr;

    CALLER_ICP(icp, spapr, cpu);
    args[0] = icp_ipoll(icp, &mfrr);
    args[1] = mfrr;
    return H_SUCCESS;
}

/* ---- RTAS: source configuration ----------------------------------------- */

static ICSState *rtas_ics(SpaprMachineState *spapr)
{
    return spapr && spapr->irq ? spapr->irq->ics : NULL;
}

/*
 * Common checks: the exact argument and result counts (else -3), a
 * controller (else -1) and a source number it owns (else -3).  Returns the
 * source index, or -1 when the status has been stored.
 */
static int64_t rtas_xics_source(SpaprMachineState *spapr, const SpaprRtasCall *call, uint32_t nargs,
                                uint32_t nret)
{
    ICSState *ics = rtas_ics(spapr);
    uint32_t nr;

    if (call->nargs != nargs || call->nret != nret) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return -1;
    }
    if (!ics) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return -1;
    }
    nr = rtas_ld(call, 0);
    if (!ics_valid_irq(ics, nr)) {
        qemu_log_mask(LOG_GUEST_ERROR, "xics: no interrupt source %" PRIu32 "\n", nr);
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return -1;
    }
    return nr - ics->offset;
}

/*
 * ibm,set-xive(source, server, priority) -> status.  The server must be a
 * processor of the partition and the priority fit a byte; the priority is
 * also what a later ibm,int-on restores.
 */
static void rtas_set_xive(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    int64_t srcno = rtas_xics_source(spapr, call, 3, 1);
    ICSState *ics = rtas_ics(spapr);
    uint32_t server, priority;

    if (srcno < 0) {
        return;
    }
    server = rtas_ld(call, 1);
    priority = rtas_ld(call, 2);
    if (!xics_icp_get(ics, server) || priority > XICS_PRIORITY_MASKED) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    ics_write_xive(ics, srcno, server, priority, priority);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/* ibm,get-xive(source) -> status, server, priority. */
static void rtas_get_xive(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    int64_t srcno = rtas_xics_source(spapr, call, 1, 3);
    ICSIRQState *irq;

    if (srcno < 0) {
        return;
    }
    irq = &rtas_ics(spapr)->irqs[srcno];
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, irq->server);
    rtas_st(call, 2, irq->priority);
}

/*
 * ibm,int-off(source) -> status: mask it, keeping its priority for
 * ibm,int-on (a second int-off keeps 0xff, as QEMU does).
 */
static void rtas_int_off(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    int64_t srcno = rtas_xics_source(spapr, call, 1, 1);
    ICSState *ics = rtas_ics(spapr);
    ICSIRQState *irq;

    if (srcno < 0) {
        return;
    }
    irq = &ics->irqs[srcno];
    ics_write_xive(ics, srcno, irq->server, XICS_PRIORITY_MASKED, irq->priority);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/* ibm,int-on(source) -> status: back to the priority int-off saved. */
static void rtas_int_on(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    int64_t srcno = rtas_xics_source(spapr, call, 1, 1);
    ICSState *ics = rtas_ics(spapr);
    ICSIRQState *irq;

    if (srcno < 0) {
        return;
    }
    irq = &ics->irqs[srcno];
    ics_write_xive(ics, srcno, irq->server, irq->saved_priority, irq->saved_priority);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

/* ---- Device tree -------------------------------------------------------- */

/*
 * /interrupt-controller: the presentation layer, servers 0 .. n-1.  Its
 * sources are described by the devices' "interrupts" (number, sense).
 * Properties in QEMU's order (libfdt puts each new one first).
 */
int xics_spapr_dt(ICSState *ics, void *fdt, uint32_t phandle)
{
    fdt32_t ranges[2] = { cpu_to_fdt32(0), cpu_to_fdt32(ics->nr_servers) };
    int node = fdt_add_subnode(fdt, 0, "interrupt-controller");
    int ret = node < 0 ? node : 0;

    if (!ret) {
        ret =
            fdt_setprop_string(fdt, node, "device_type", "PowerPC-External-Interrupt-Presentation");
    }
    if (!ret) {
        ret = fdt_setprop_string(fdt, node, "compatible", "IBM,ppc-xicp");
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "ibm,interrupt-server-ranges", ranges, sizeof(ranges));
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#interrupt-cells", 2);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "linux,phandle", phandle);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "phandle", phandle);
    }
    return ret;
}

static void xics_spapr_init(void)
{
    spapr_register_hypercall(H_CPPR, h_cppr);
    spapr_register_hypercall(H_IPI, h_ipi);
    spapr_register_hypercall(H_XIRR, h_xirr);
    spapr_register_hypercall(H_XIRR_X, h_xirr_x);
    spapr_register_hypercall(H_EOI, h_eoi);
    spapr_register_hypercall(H_IPOLL, h_ipoll);
    spapr_rtas_register(RTAS_IBM_SET_XIVE, "ibm,set-xive", rtas_set_xive);
    spapr_rtas_register(RTAS_IBM_GET_XIVE, "ibm,get-xive", rtas_get_xive);
    spapr_rtas_register(RTAS_IBM_INT_OFF, "ibm,int-off", rtas_int_off);
    spapr_rtas_register(RTAS_IBM_INT_ON, "ibm,int-on", rtas_int_on);
}

module_init(xics_spapr_init)

/*
 * XICS state machines: sources (ICS) with their priority, server and
 * LSI/MSI life cycle, and per-processor presentation (ICP) with CPPR, MFRR,
 * acceptance, rejection and resend, as PAPR's interrupt architecture has them.
 */
#include "hw/ppc/xics.h"
#include "hw/qdev-properties.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#ifdef CONFIG_KVM
#include "sysemu/kvm-ppc.h"
#endif

#define BITS_PER_WORD 64
#define XICS_WORDS(n) (((n) + BITS_PER_WORD - 1) / BITS_PER_WORD)

static uint32_t icp_cppr(const ICPState *icp)
{
    return icp->xirr >> XICS_XIRR_CPPR_SHIFT;
}

static uint32_t icp_xisr(const ICPState *icp)
{
    return icp->xirr & XICS_XISR_MASK;
}

/* The ICP drives the processor's external interrupt input (vector 0x500). */
static void icp_set_output(ICPState *icp, bool level)
{
    icp->output = level;
#ifdef CONFIG_KVM
    if (icp->cpu && icp->cpu->kvm && kvm_ppc_xics_owns(icp->ics)) {
        return; /* the kernel's XICS drives the vCPU's line itself */
    }
    if (icp->cpu && icp->cpu->kvm) {
        /* The vCPU is in the kernel: the line goes there. */
        kvm_ppc_set_irq(icp->cpu, level);
        return;
    }
#endif
    if (icp->cpu) {
        ppc_cpu_set_irq(icp->cpu, PPC_INTERRUPT_EXT, level);
    }
}

/* ---- Sources ---------------------------------------------------------- */

static bool ics_is_lsi(const ICSIRQState *irq)
{
    return irq->flags & XICS_FLAGS_IRQ_LSI;
}

static bool ics_needs_resend(const ICSIRQState *irq)
{
    if (ics_is_lsi(irq)) {
        return (irq->status & XICS_STATUS_ASSERTED) && !(irq->status & XICS_STATUS_SENT);
    }
    return irq->status & XICS_STATUS_REJECTED;
}

static void ics_update_resend(ICSState *ics, uint32_t srcno)
{
    uint64_t bit = 1ULL << (srcno % BITS_PER_WORD);
    uint64_t *word = &ics->resend_map[srcno / BITS_PER_WORD];

    if (ics_needs_resend(&ics->irqs[srcno])) {
        *word |= bit;
    } else {
        *word &= ~bit;
    }
}

static void icp_irq(ICSState *ics, uint32_t server, uint32_t nr, uint8_t priority);

/* An ICP refused source nr (or gave it back): keep it for a resend. */
static void ics_reject(ICSState *ics, uint32_t nr)
{
    ICSIRQState *irq;
    uint32_t srcno;

    if (!ics_valid_irq(ics, nr)) {
        return; /* the IPI: its request stays in the MFRR */
    }
    srcno = nr - ics->offset;
    irq = &ics->irqs[srcno];
    if (ics_is_lsi(irq)) {
        irq->status &= ~XICS_STATUS_SENT;
    } else {
        irq->status |= XICS_STATUS_REJECTED;
    }
    ics_update_resend(ics, srcno);
}

/* An asserted LSI is presented whenever it is unmasked and not already out. */
static void ics_resend_lsi(ICSState *ics, uint32_t srcno)
{
    ICSIRQState *irq = &ics->irqs[srcno];

    if (irq->priority != XICS_PRIORITY_MASKED && (irq->status & XICS_STATUS_ASSERTED) &&
        !(irq->status & XICS_STATUS_SENT)) {
        irq->status |= XICS_STATUS_SENT;
        ics_update_resend(ics, srcno);
        icp_irq(ics, irq->server, srcno + ics->offset, irq->priority);
    }
}

/*
 * A rejected MSI goes back to its server; one masked meanwhile waits as
 * masked-pending for its priority to come back (QEMU 7.2 drops it).
 */
static void ics_resend_msi(ICSState *ics, uint32_t srcno)
{
    ICSIRQState *irq = &ics->irqs[srcno];

    if (!(irq->status & XICS_STATUS_REJECTED)) {
        return;
    }
    irq->status &= ~XICS_STATUS_REJECTED;
    ics_update_resend(ics, srcno);
    if (irq->priority == XICS_PRIORITY_MASKED) {
        irq->status |= XICS_STATUS_MASKED_PENDING;
        return;
    }
    icp_irq(ics, irq->server, srcno + ics->offset, irq->priority);
}

void ics_resend(ICSState *ics)
{
    uint64_t *map = ics->resend_map;
    uint32_t words = XICS_WORDS(ics->nr_irqs);

    for (uint32_t w = 0; w < words; w++) {
        uint64_t bits = map[w];

        while (bits) {
            uint32_t srcno = w * BITS_PER_WORD + __builtin_ctzll(bits);

            bits &= bits - 1;
            if (ics_is_lsi(&ics->irqs[srcno])) {
                ics_resend_lsi(ics, srcno);
            } else {
                ics_resend_msi(ics, srcno);
            }
        }
    }
}

/* The processor is done with source nr: an LSI may be presented again. */
static void ics_eoi(ICSState *ics, uint32_t nr)
{
    uint32_t srcno = nr - ics->offset;
    ICSIRQState *irq = &ics->irqs[srcno];

    if (ics_is_lsi(irq)) {
        irq->status &= ~XICS_STATUS_SENT;
        ics_update_resend(ics, srcno);
    }
}

void ics_set_irq(void *opaque, int srcno, int level)
{
    ICSState *ics = opaque;
    ICSIRQState *irq;

    if (srcno < 0 || (uint32_t)srcno >= ics->nr_irqs) {
        return;
    }
    irq = &ics->irqs[srcno];
#ifdef CONFIG_KVM
    if (kvm_ppc_xics_in_kernel()) {
        /* The kernel's XICS holds the sources' state and presents them. */
        kvm_ppc_xics_set_irq(ics, srcno, level);
        return;
    }
#endif
    if (ics_is_lsi(irq)) {
        if (level) {
            irq->status |= XICS_STATUS_ASSERTED;
        } else {
            irq->status &= ~XICS_STATUS_ASSERTED;
        }
        ics_update_resend(ics, srcno);
        ics_resend_lsi(ics, srcno);
        return;
    }
    if (!level) {
        return; /* a message is its rising edge */
    }
    if (irq->priority == XICS_PRIORITY_MASKED) {
        irq->status |= XICS_STATUS_MASKED_PENDING;
        return;
    }
    icp_irq(ics, irq->server, srcno + ics->offset, irq->priority);
}

void ics_write_xive(ICSState *ics, uint32_t srcno, uint32_t server, uint8_t priority,
                    uint8_t saved_priority)
{
    ICSIRQState *irq = &ics->irqs[srcno];

    irq->server = server;
    irq->priority = priority;
    irq->saved_priority = saved_priority;
    if (ics_is_lsi(irq)) {
        ics_resend_lsi(ics, srcno);
        return;
    }
    if (!(irq->status & XICS_STATUS_MASKED_PENDING) || priority == XICS_PRIORITY_MASKED) {
        return;
    }
    irq->status &= ~XICS_STATUS_MASKED_PENDING;
    icp_irq(ics, server, srcno + ics->offset, priority);
}

void ics_set_irq_type(ICSState *ics, uint32_t srcno, uint8_t flags)
{
    ics->irqs[srcno].flags = flags & XICS_FLAGS_IRQ_MASK;
    ics->irqs[srcno].status = 0;
    ics_update_resend(ics, srcno);
#ifdef CONFIG_KVM
    if (kvm_ppc_xics_in_kernel()) {
        kvm_ppc_xics_source_changed(ics, srcno); /* a source claimed later (hot plug) */
    }
#endif
}

bool ics_valid_irq(const ICSState *ics, uint32_t nr)
{
    return nr >= ics->offset && nr - ics->offset < ics->nr_irqs;
}

ICSIRQState *ics_irq(ICSState *ics, uint32_t nr)
{
    g_assert(ics_valid_irq(ics, nr));
    return &ics->irqs[nr - ics->offset];
}

qemu_irq ics_qirq(ICSState *ics, uint32_t nr)
{
    return ics_valid_irq(ics, nr) ? ics->qirqs[nr - ics->offset] : NULL;
}

void ics_init(ICSState *ics, uint32_t offset, uint32_t nr_irqs, uint32_t nr_servers)
{
    ics->offset = offset;
    ics->nr_irqs = nr_irqs;
    ics->irqs = g_new0(ICSIRQState, nr_irqs);
    ics->resend_map = g_new0(uint64_t, XICS_WORDS(nr_irqs));
    ics->qirqs = g_new0(qemu_irq, nr_irqs);
    for (uint32_t i = 0; i < nr_irqs; i++) {
        ics->qirqs[i] = qemu_allocate_irq(ics_set_irq, ics, i);
    }
    ics->nr_servers = nr_servers;
    ics->icps = g_new0(ICPState *, nr_servers);
    ics_reset(ics);
}

void ics_finalize(ICSState *ics)
{
    for (uint32_t i = 0; ics->qirqs && i < ics->nr_irqs; i++) {
        qemu_free_irq(ics->qirqs[i]);
    }
    g_free(ics->qirqs);
    g_free(ics->irqs);
    g_free(ics->resend_map);
    g_free(ics->icps);
    ics->qirqs = NULL;
    ics->irqs = NULL;
    ics->resend_map = NULL;
    ics->icps = NULL;
    ics->nr_irqs = 0;
    ics->nr_servers = 0;
}

void ics_reset(ICSState *ics)
{
    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        ICSIRQState *irq = &ics->irqs[i];

        irq->server = 0;
        irq->priority = XICS_PRIORITY_MASKED;
        irq->saved_priority = XICS_PRIORITY_MASKED;
        irq->status = 0;
    }
    memset(ics->resend_map, 0, XICS_WORDS(ics->nr_irqs) * sizeof(uint64_t));
}

/* ---- Presentation ----------------------------------------------------- */

ICPState *xics_icp_get(ICSState *ics, uint32_t server)
{
    return server < ics->nr_servers ? ics->icps[server] : NULL;
}

/* Make the IPI pending if the MFRR is more favoured than what is pending. */
static void icp_check_ipi(ICPState *icp)
{
    uint32_t old = icp_xisr(icp);

    if (old && icp->pending_priority <= icp->mfrr) {
        return;
    }
    icp->xirr = (icp->xirr & ~XICS_XISR_MASK) | XICS_XISR_IPI;
    icp->pending_priority = icp->mfrr;
    icp_set_output(icp, true);
    if (old) {
        ics_reject(icp->ics, old);
    }
}

/* The ICP can take more: the IPI request first, then refused sources. */
static void icp_resend(ICPState *icp)
{
    if (icp->mfrr < icp_cppr(icp)) {
        icp_check_ipi(icp);
    }
    ics_resend(icp->ics);
}

/*
 * A source arrives at its server: it is refused unless it is more favoured
 * than the CPPR and than what is already pending (which it then displaces).
 */
static void icp_irq(ICSState *ics, uint32_t server, uint32_t nr, uint8_t priority)
{
    ICPState *icp = xics_icp_get(ics, server);
    uint32_t old;

    if (!icp || priority >= icp_cppr(icp) || (icp_xisr(icp) && icp->pending_priority <= priority)) {
        ics_reject(ics, nr);
        return;
    }
    old = icp_xisr(icp);
    icp->xirr = (icp->xirr & ~XICS_XISR_MASK) | (nr & XICS_XISR_MASK);
    icp->pending_priority = priority;
    icp_set_output(icp, true);
    if (old) {
        ics_reject(ics, old);
    }
}

void icp_set_cppr(ICPState *icp, uint8_t cppr)
{
    uint8_t old_cppr = icp_cppr(icp);
    uint32_t old_xisr;

    icp->xirr = ((uint32_t)cppr << XICS_XIRR_CPPR_SHIFT) | icp_xisr(icp);
    if (cppr < old_cppr) {
        /* More restrictive: what is pending may no longer get through. */
        old_xisr = icp_xisr(icp);
        if (old_xisr && cppr <= icp->pending_priority) {
            icp->xirr &= ~XICS_XISR_MASK;
            icp->pending_priority = XICS_PRIORITY_MASKED;
            icp_set_output(icp, false);
            ics_reject(icp->ics, old_xisr);
        }
    } else if (!icp_xisr(icp)) {
        icp_resend(icp);
    }
}

void icp_set_mfrr(ICPState *icp, uint8_t mfrr)
{
    icp->mfrr = mfrr;
    if (mfrr < icp_cppr(icp)) {
        icp_check_ipi(icp);
    }
}

uint32_t icp_accept(ICPState *icp)
{
    uint32_t xirr = icp->xirr;

    icp_set_output(icp, false);
    icp->xirr = (uint32_t)icp->pending_priority << XICS_XIRR_CPPR_SHIFT;
    icp->pending_priority = XICS_PRIORITY_MASKED;
    return xirr;
}

uint32_t icp_ipoll(ICPState *icp, uint8_t *mfrr)
{
    *mfrr = icp->mfrr;
    return icp->xirr;
}

void icp_eoi(ICPState *icp, uint32_t xirr)
{
    uint32_t nr = xirr & XICS_XISR_MASK;

    icp->xirr = (icp->xirr & XICS_XISR_MASK) | (xirr & ~XICS_XISR_MASK);
    if (ics_valid_irq(icp->ics, nr)) {
        ics_eoi(icp->ics, nr);
    }
    if (!icp_xisr(icp)) {
        icp_resend(icp);
    }
}

void icp_init(ICPState *icp, ICSState *ics, uint32_t server, PowerPCCPU *cpu)
{
    g_assert(server < ics->nr_servers);
    icp->ics = ics;
    icp->server = server;
    icp->cpu = cpu;
    ics->icps[server] = icp;
    icp_reset(icp);
}

void icp_reset(ICPState *icp)
{
    icp->xirr = 0;
    icp->pending_priority = XICS_PRIORITY_MASKED;
    icp->mfrr = XICS_PRIORITY_MASKED;
    icp_set_output(icp, false);
}

/* ---- As devices ------------------------------------------------------- */

static bool ics_dev_realize(DeviceState *dev, Error **errp)
{
    ICSState *ics = (ICSState *)dev;

    if (!ics->nr_irqs) {
        error_setg(errp, "Number of interrupts needs to be greater 0");
        return false;
    }
    ics_init(ics, ics->offset, ics->nr_irqs, MAX(ics->nr_servers, 1));
    return true;
}

static void ics_dev_unrealize(DeviceState *dev)
{
    ICSState *ics = (ICSState *)dev;

    for (uint32_t i = 0; i < ics->nr_servers; i++) {
        if (ics->icps[i]) {
            ics->icps[i]->ics = NULL;
        }
    }
    ics_finalize(ics);
}

#ifdef CONFIG_KVM
/* Under KVM with the kernel's XICS, ICS and ICP state live there: a reset or a load goes to it. */
static void xics_kvm_report(int r, char *err)
{
    if (r < 0) {
        error_report("%s", err);
    }
    g_free(err);
}
#endif

static void ics_dev_reset(DeviceState *dev)
{
    ics_reset((ICSState *)dev);
#ifdef CONFIG_KVM
    char *err;

    xics_kvm_report(kvm_ppc_xics_ics_put((ICSState *)dev, &err), err);
#endif
}

static void ics_pre_save(DeviceState *dev)
{
#ifdef CONFIG_KVM
    kvm_ppc_xics_ics_get((ICSState *)dev);
#endif
    (void)dev;
}

/*
 * A migrated source must be one this model can be in: known flag and status
 * bits.  Then the resend map, which is derived, is rebuilt from the statuses.
 */
static bool ics_post_load(DeviceState *dev, Error **errp)
{
    ICSState *ics = (ICSState *)dev;
    const uint8_t status_bits =
        XICS_STATUS_ASSERTED | XICS_STATUS_SENT | XICS_STATUS_REJECTED | XICS_STATUS_MASKED_PENDING;

    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        const ICSIRQState *irq = &ics->irqs[i];

        if ((irq->flags & ~XICS_FLAGS_IRQ_MASK) || (irq->status & ~status_bits)) {
            error_setg(errp, "ics: source %" PRIu32 " has flags 0x%x, status 0x%x", ics->offset + i,
                       irq->flags, irq->status);
            return false;
        }
    }
    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        ics_update_resend(ics, i);
    }
#ifdef CONFIG_KVM
    {
        g_autofree char *err = NULL;

        if (kvm_ppc_xics_ics_put(ics, &err) < 0) {
            error_setg(errp, "%s", err);
            return false;
        }
    }
#endif
    return true;
}

static const VMStateField ics_irq_fields[] = {
    VMSTATE_UINT32(server, ICSIRQState),        VMSTATE_UINT8(priority, ICSIRQState),
    VMSTATE_UINT8(saved_priority, ICSIRQState), VMSTATE_UINT8(status, ICSIRQState),
    VMSTATE_UINT8(flags, ICSIRQState),          VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_ics_irq = {
    .name = "ics/irq",
    .version_id = 2,
    .fields = ics_irq_fields,
};

/* QEMU's "ics" section: the source count, which must match, then every source. */
static const VMStateField ics_fields[] = {
    VMSTATE_UINT32_EQUAL(nr_irqs, ICSState),
    VMSTATE_STRUCT_VARRAY_POINTER_UINT32(irqs, ICSState, nr_irqs, vmstate_ics_irq, ICSIRQState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_ics = {
    .name = "ics",
    .version_id = 1,
    .fields = ics_fields,
    .post_load = ics_post_load,
    .pre_save = ics_pre_save,
};

static const Property ics_props[] = {
    DEFINE_PROP_UINT32("nr-irqs", ICSState, nr_irqs, 0),
    DEFINE_PROP_LINK("xics", ICSState, xics, "xics-fabric"),
    DEFINE_PROP_END_OF_LIST(),
};

/* Board-only, as in QEMU: -device ics is "not a pluggable device type". */
static const DeviceClass ics_class = {
    .name = TYPE_ICS,
    .category = DEVICE_CATEGORY_NONE,
    .no_user = true,
    .instance_size = sizeof(ICSState),
    .props = ics_props,
    .vmsd = &vmstate_ics,
    .realize = ics_dev_realize,
    .unrealize = ics_dev_unrealize,
    .reset = ics_dev_reset,
};

/* pseries' ICS (QEMU's type of /machine/ics); the RTAS side is xics_spapr.c. */
static const DeviceClass ics_spapr_class = {
    .name = TYPE_ICS_SPAPR,
    .parent = &ics_class,
    .no_user = true,
};

ICSState *ics_create(const char *type, const char *name, uint32_t offset, uint32_t nr_irqs,
                     uint32_t nr_servers, Error **errp)
{
    DeviceState *dev = qdev_try_new(type, errp);
    ICSState *ics = (ICSState *)dev;

    if (!dev) {
        return NULL;
    }
    qdev_prop_set_uint32(dev, "nr-irqs", nr_irqs);
    qdev_set_child_name(dev, name);
    ics->offset = offset;
    ics->nr_servers = nr_servers;
    return qdev_realize_and_unref(dev, NULL, errp) ? ics : NULL;
}

static bool icp_dev_realize(DeviceState *dev, Error **errp)
{
    ICPState *icp = (ICPState *)dev;

    if (!icp->ics || icp->server >= icp->ics->nr_servers || icp->ics->icps[icp->server]) {
        error_setg(errp, "icp: server %" PRIu32 " has no free slot in the ICS", icp->server);
        return false;
    }
    icp_init(icp, icp->ics, icp->server, icp->cpu);
    return true;
}

static void icp_dev_unrealize(DeviceState *dev)
{
    ICPState *icp = (ICPState *)dev;

    if (icp->ics && icp->ics->icps && icp->ics->icps[icp->server] == icp) {
        icp->ics->icps[icp->server] = NULL;
    }
}

static void icp_dev_reset(DeviceState *dev)
{
    icp_reset((ICPState *)dev);
#ifdef CONFIG_KVM
    char *err;

    xics_kvm_report(kvm_ppc_xics_icp_put((ICPState *)dev, &err), err);
#endif
}

static void icp_pre_save(DeviceState *dev)
{
#ifdef CONFIG_KVM
    kvm_ppc_xics_icp_get((ICPState *)dev);
#endif
    (void)dev;
}

/* The ICP raises the processor's line exactly while an interrupt is pending. */
static bool icp_post_load(DeviceState *dev, Error **errp)
{
    ICPState *icp = (ICPState *)dev;

#ifdef CONFIG_KVM
    g_autofree char *err = NULL;

    if (kvm_ppc_xics_icp_put(icp, &err) < 0) {
        error_setg(errp, "%s", err);
        return false;
    }
#endif
    (void)errp;
    icp_set_output(icp, icp_xisr(icp) != XICS_XISR_NONE);
    return true;
}

/* QEMU's "icp/server" section. */
static const VMStateField icp_fields[] = {
    VMSTATE_UINT32(xirr, ICPState),
    VMSTATE_UINT8(pending_priority, ICPState),
    VMSTATE_UINT8(mfrr, ICPState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_icp = {
    .name = "icp/server",
    .version_id = 1,
    .fields = icp_fields,
    .post_load = icp_post_load,
    .pre_save = icp_pre_save,
};

static const Property icp_props[] = {
    DEFINE_PROP_LINK("cpu", ICPState, cpu_link, "cpu"),
    DEFINE_PROP_LINK("xics", ICPState, xics_link, "xics-fabric"),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass icp_class = {
    .name = TYPE_ICP,
    .category = DEVICE_CATEGORY_NONE,
    .no_user = true,
    .instance_size = sizeof(ICPState),
    .props = icp_props,
    .vmsd = &vmstate_icp,
    .realize = icp_dev_realize,
    .unrealize = icp_dev_unrealize,
    .reset = icp_dev_reset,
};

ICPState *icp_create(ICSState *ics, const char *name, uint32_t server, PowerPCCPU *cpu,
                     Error **errp)
{
    DeviceState *dev = qdev_try_new(TYPE_ICP, errp);
    ICPState *icp = (ICPState *)dev;

    if (!dev) {
        return NULL;
    }
    qdev_set_child_name(dev, name);
    icp->ics = ics;
    icp->server = server;
    icp->cpu = cpu;
    return qdev_realize_and_unref(dev, NULL, errp) ? icp : NULL;
}

static void xics_register_types(void)
{
    qdev_register_type(&ics_class);
    qdev_register_type(&ics_spapr_class);
    qdev_register_type(&icp_class);
}

module_init(xics_register_types)

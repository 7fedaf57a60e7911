/*
 * The in-kernel XICS (KVM_DEV_TYPE_XICS): the host kernel presents the
 * guest's interrupts itself and serves the XICS hcalls (H_XIRR, H_EOI,
 * H_CPPR, H_IPI...) and the four XICS RTAS services, whose tokens user space
 * gives it (the ones the device tree publishes).  The sources stay
 * described by the emulated ICS (which devices raise lines on): their
 * configuration is handed to the kernel when it connects, and each line
 * change becomes KVM_IRQ_LINE.  kernel-irqchip= decides as on QEMU: on
 * requires it, off never uses it, unset tries it and falls back to the
 * emulated XICS with a warning, split is refused.
 */
#include "sysemu/kvm-ppc.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/xics.h"
#include "qemu/error-report.h"

#include <errno.h>

static int xics_fd = -1;
static ICSState *kernel_ics;

/* The RTAS services the kernel runs with its XICS, and their tokens in /rtas. */
static const struct {
    uint32_t token;
    const char *name;
} kernel_rtas[] = {
    { RTAS_IBM_SET_XIVE, "ibm,set-xive" },
    { RTAS_IBM_GET_XIVE, "ibm,get-xive" },
    { RTAS_IBM_INT_ON, "ibm,int-on" },
    { RTAS_IBM_INT_OFF, "ibm,int-off" },
};

bool kvm_ppc_xics_in_kernel(void)
{
    return xics_fd >= 0;
}

/* Token 0 takes a service back: user space serves it again. */
static void undefine_tokens(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kernel_rtas); i++) {
        kvm_ppc_define_rtas_token(kernel_rtas[i].name, 0);
    }
}

void kvm_ppc_xics_disconnect(void)
{
    if (xics_fd >= 0) {
        kvm_ppc_close_fd(xics_fd);
        xics_fd = -1;
    }
    kernel_ics = NULL;
}

/* One source's configuration in the kernel's KVM_DEV_XICS_GRP_SOURCES layout. */
uint64_t kvm_ppc_xics_source_state(const ICSIRQState *irq)
{
    uint64_t state = irq->server & KVM_XICS_DESTINATION_MASK;

    /*
     * The field holds the priority int-on restores; a source int-off
     * masked (priority 0xff, another one saved) carries the MASKED bit.
     */
    state |= (uint64_t)(irq->saved_priority & KVM_XICS_PRIORITY_MASK) << KVM_XICS_PRIORITY_SHIFT;
    if (irq->priority != irq->saved_priority) {
        state |= KVM_XICS_MASKED;
    }
    if (irq->flags & XICS_FLAGS_IRQ_LSI) {
        state |= KVM_XICS_LEVEL_SENSITIVE;
        if (irq->status & XICS_STATUS_ASSERTED) {
            state |= KVM_XICS_PENDING;
        }
        if (irq->status & XICS_STATUS_SENT) {
            state |= KVM_XICS_PRESENTED; /* presented, not yet EOIed */
        }
    } else if (irq->status & (XICS_STATUS_REJECTED | XICS_STATUS_MASKED_PENDING)) {
        state |= KVM_XICS_PENDING;
    }
    return state;
}

static int set_attr(int fd, uint32_t group, uint64_t attr, void *val)
{
    struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

    return kvm_ppc_fd_ioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

static int put_source(ICSState *ics, uint32_t srcno, char **err)
{
    uint64_t state = kvm_ppc_xics_source_state(&ics->irqs[srcno]);
    int r = set_attr(xics_fd, KVM_DEV_XICS_GRP_SOURCES, srcno + ics->offset, &state);

    if (r < 0) {
        *err = g_strdup_printf("Unable to restore KVM interrupt controller state (0x%" PRIx64
                               ") for IRQ %" PRIu32 ": %s",
                               state, srcno + ics->offset, g_strerror(-r));
    }
    return r;
}

void kvm_ppc_xics_source_changed(ICSState *ics, uint32_t srcno)
{
    g_autofree char *err = NULL;

    if (ics == kernel_ics && put_source(ics, srcno, &err) < 0) {
        error_report("%s", err);
    }
}

/* -errno with *err: QEMU's message for the step that failed; nothing left behind. */
static int xics_connect(ICSState *ics, ICPState *const *icps, unsigned n, char **err)
{
    struct kvm_create_device cd = { .type = KVM_DEV_TYPE_XICS };
    struct kvm_device_attr nr = { .group = KVM_DEV_XICS_GRP_CTRL, .attr = KVM_DEV_XICS_NR_SERVERS };
    uint32_t nr_servers = ics->nr_servers;
    int r;

    if (!kvm_check_extension(KVM_CAP_IRQ_XICS)) {
        *err = g_strdup("KVM and IRQ_XICS capability must be present for in-kernel XICS");
        return -ENOSYS;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kernel_rtas); i++) {
        r = kvm_ppc_define_rtas_token(kernel_rtas[i].name, kernel_rtas[i].token);
        if (r < 0) {
            *err = g_strdup_printf("kvmppc_define_rtas_kernel_token: %s: %s", kernel_rtas[i].name,
                                   g_strerror(-r));
            goto fail;
        }
    }
    r = kvm_ppc_vm_ioctl(KVM_CREATE_DEVICE, &cd);
    if (r < 0) {
        *err = g_strdup_printf("Error on KVM_CREATE_DEVICE for XICS: %s", g_strerror(-r));
        goto fail;
    }
    xics_fd = cd.fd;
    /* POWER9 and later kernels size the device by the number of servers. */
    nr.addr = (uintptr_t)&nr_servers;
    if (kvm_ppc_fd_ioctl(xics_fd, KVM_HAS_DEVICE_ATTR, &nr) == 0) {
        r = set_attr(xics_fd, KVM_DEV_XICS_GRP_CTRL, KVM_DEV_XICS_NR_SERVERS, &nr_servers);
        if (r < 0) {
            *err = g_strdup_printf("KVM_SET_DEVICE_ATTR failed: Group %d attr 0x%016" PRIx64 ": %s",
                                   KVM_DEV_XICS_GRP_CTRL, (uint64_t)KVM_DEV_XICS_NR_SERVERS,
                                   g_strerror(-r));
            goto fail;
        }
    }
    /* The presenters: each vCPU joins the device under its server number. */
    for (unsigned i = 0; i < n; i++) {
        struct kvm_enable_cap cap = { .cap = KVM_CAP_IRQ_XICS };
        PowerPCCPU *cpu = icps[i] ? icps[i]->cpu : NULL;

        if (!cpu || !cpu->kvm) {
            continue;
        }
        cap.args[0] = xics_fd;
        cap.args[1] = icps[i]->server;
        r = kvm_ppc_fd_ioctl(cpu->kvm->fd, KVM_ENABLE_CAP, &cap);
        if (r < 0) {
            *err = g_strdup_printf("Unable to connect CPU%u to kernel XICS: %s", icps[i]->server,
                                   g_strerror(-r));
            goto fail;
        }
    }
    /* The sources the machine claimed, as configured now. */
    for (uint32_t s = 0; s < ics->nr_irqs; s++) {
        if (ics->irqs[s].flags) {
            r = put_source(ics, s, err);
            if (r < 0) {
                goto fail;
            }
        }
    }
    kernel_ics = ics;
    return 0;

fail:
    undefine_tokens();
    kvm_ppc_xics_disconnect();
    return r;
}

bool kvm_ppc_irqchip_init(ICSState *ics, ICPState *const *icps, unsigned n, char **err)
{
    const char *mode = kvm_irqchip_mode();
    g_autofree char *why = NULL;

    *err = NULL;
    if (mode && !strcmp(mode, "split")) {
        *err = g_strdup("kernel_irqchip split mode not supported on pseries");
        return false;
    }
    if (mode && !strcmp(mode, "off")) {
        return true;
    }
    if (xics_connect(ics, icps, n, &why) == 0) {
        return true;
    }
    if (mode) { /* "on": required */
        *err = g_strdup_printf("kernel_irqchip requested but unavailable: %s", why);
        return false;
    }
    warn_report("kernel_irqchip allowed but unavailable: %s\nFalling back to kernel-irqchip=off",
                why);
    return true;
}

void kvm_ppc_xics_set_irq(ICSState *ics, uint32_t srcno, bool level)
{
    struct kvm_irq_level line = { .irq = srcno + ics->offset };
    int r;

    if (ics->irqs[srcno].flags & XICS_FLAGS_IRQ_LSI) {
        line.level = level ? KVM_INTERRUPT_SET_LEVEL : KVM_INTERRUPT_UNSET;
    } else if (level) {
        line.level = KVM_INTERRUPT_SET; /* a message: its rising edge */
    } else {
        return;
    }
    r = kvm_ppc_vm_ioctl(KVM_IRQ_LINE, &line);
    if (r < 0) {
        error_report("KVM: KVM_IRQ_LINE for IRQ %" PRIu32 " failed: %s", line.irq, g_strerror(-r));
    }
}

/*
 * The state the kernel keeps once it serves the XICS: each claimed
 * source's configuration and status (KVM_DEV_XICS_GRP_SOURCES) and each
 * presenter's registers (ONE_REG KVM_REG_PPC_ICP_STATE).  The emulated
 * ICS and ICPs keep the copy migration saves and loads: before a save it
 * is read from the kernel, after a load or a machine reset it is written
 * back.
 */
static int get_attr(int fd, uint32_t group, uint64_t attr, void *val)
{
    struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

    return kvm_ppc_fd_ioctl(fd, KVM_GET_DEVICE_ATTR, &a);
}

/* The inverse of kvm_ppc_xics_source_state(), into a claimed source. */
void kvm_ppc_xics_source_from_state(ICSIRQState *irq, uint64_t state)
{
    bool lsi = state & KVM_XICS_LEVEL_SENSITIVE;

    irq->server = state & KVM_XICS_DESTINATION_MASK;
    irq->saved_priority = (state >> KVM_XICS_PRIORITY_SHIFT) & KVM_XICS_PRIORITY_MASK;
    irq->priority = (state & KVM_XICS_MASKED) ? XICS_PRIORITY_MASKED : irq->saved_priority;
    irq->flags = lsi ? XICS_FLAGS_IRQ_LSI : XICS_FLAGS_IRQ_MSI;
    irq->status = 0;
    if (lsi) {
        if (state & KVM_XICS_PENDING) {
            irq->status |= XICS_STATUS_ASSERTED;
        }
        if (state & KVM_XICS_PRESENTED) {
            irq->status |= XICS_STATUS_SENT;
        }
    } else if (state & KVM_XICS_PENDING) {
        /* The kernel says pending for both: fired while masked, or refused by its ICP. */
        irq->status |= irq->priority == XICS_PRIORITY_MASKED ? XICS_STATUS_MASKED_PENDING
                                                             : XICS_STATUS_REJECTED;
    }
}

bool kvm_ppc_xics_owns(const ICSState *ics)
{
    return xics_fd >= 0 && ics == kernel_ics;
}

int kvm_ppc_xics_ics_get(ICSState *ics)
{
    if (!kvm_ppc_xics_owns(ics)) {
        return 0;
    }
    for (uint32_t s = 0; s < ics->nr_irqs; s++) {
        uint64_t state;
        int r;

        if (!ics->irqs[s].flags) {
            continue;
        }
        r = get_attr(xics_fd, KVM_DEV_XICS_GRP_SOURCES, s + ics->offset, &state);
        if (r < 0) {
            error_report("Unable to retrieve KVM interrupt controller state for IRQ %" PRIu32
                         ": %s",
                         s + ics->offset, g_strerror(-r));
            return r;
        }
        kvm_ppc_xics_source_from_state(&ics->irqs[s], state);
    }
    return 0;
}

int kvm_ppc_xics_ics_put(ICSState *ics, char **err)
{
    *err = NULL;
    if (!kvm_ppc_xics_owns(ics)) {
        return 0;
    }
    for (uint32_t s = 0; s < ics->nr_irqs; s++) {
        int r;

        if (ics->irqs[s].flags && (r = put_source(ics, s, err)) < 0) {
            return r;
        }
    }
    return 0;
}

/* The ICP of a vCPU that joined the kernel's XICS; NULL otherwise. */
static KvmVcpu *icp_vcpu(const ICPState *icp)
{
    if (xics_fd < 0 || icp->ics != kernel_ics || !icp->cpu) {
        return NULL;
    }
    return icp->cpu->kvm;
}

uint64_t kvm_ppc_xics_icp_state(const ICPState *icp)
{
    uint64_t cppr = icp->xirr >> XICS_XIRR_CPPR_SHIFT;
    uint64_t xisr = icp->xirr & XICS_XISR_MASK;

    return (cppr & KVM_REG_PPC_ICP_CPPR_MASK) << KVM_REG_PPC_ICP_CPPR_SHIFT |
           (xisr & KVM_REG_PPC_ICP_XISR_MASK) << KVM_REG_PPC_ICP_XISR_SHIFT |
           (uint64_t)(icp->mfrr & KVM_REG_PPC_ICP_MFRR_MASK) << KVM_REG_PPC_ICP_MFRR_SHIFT |
           (uint64_t)(icp->pending_priority & KVM_REG_PPC_ICP_PPRI_MASK)
               << KVM_REG_PPC_ICP_PPRI_SHIFT;
}

static int icp_reg(KvmVcpu *vcpu, unsigned long req, uint64_t *val)
{
    struct kvm_one_reg reg = { .id = KVM_REG_PPC_ICP_STATE, .addr = (uintptr_t)val };

    return kvm_ppc_fd_ioctl(vcpu->fd, req, &reg);
}

int kvm_ppc_xics_icp_get(ICPState *icp)
{
    KvmVcpu *vcpu = icp_vcpu(icp);
    uint64_t state;
    int r;

    if (!vcpu) {
        return 0;
    }
    r = icp_reg(vcpu, KVM_GET_ONE_REG, &state);
    if (r < 0) {
        error_report("Unable to retrieve KVM interrupt controller state for CPU %d: %s",
                     icp->cpu->cpu_index, g_strerror(-r));
        return r;
    }
    icp->xirr = (uint32_t)((state >> KVM_REG_PPC_ICP_CPPR_SHIFT) & KVM_REG_PPC_ICP_CPPR_MASK)
                    << XICS_XIRR_CPPR_SHIFT |
                ((state >> KVM_REG_PPC_ICP_XISR_SHIFT) & KVM_REG_PPC_ICP_XISR_MASK);
    icp->mfrr = (state >> KVM_REG_PPC_ICP_MFRR_SHIFT) & KVM_REG_PPC_ICP_MFRR_MASK;
    icp->pending_priority = (state >> KVM_REG_PPC_ICP_PPRI_SHIFT) & KVM_REG_PPC_ICP_PPRI_MASK;
    /* The kernel drives the vCPU's interrupt line itself; the copy only mirrors it. */
    icp->output = (icp->xirr & XICS_XISR_MASK) != XICS_XISR_NONE;
    return 0;
}

int kvm_ppc_xics_icp_put(ICPState *icp, char **err)
{
    KvmVcpu *vcpu = icp_vcpu(icp);
    uint64_t state = kvm_ppc_xics_icp_state(icp);
    int r;

    *err = NULL;
    if (!vcpu) {
        return 0;
    }
    r = icp_reg(vcpu, KVM_SET_ONE_REG, &state);
    if (r < 0) {
        *err = g_strdup_printf("Unable to restore KVM interrupt controller state (0x%" PRIx64
                               ") for CPU %d: %s",
                               state, icp->cpu->cpu_index, g_strerror(-r));
    }
    return r;
}

/*
 * XICS, the PAPR interrupt controller: an interrupt source controller (ICS)
 * of numbered sources and one presentation controller (ICP) per processor.
 */
#ifndef HW_PPC_XICS_H
#define HW_PPC_XICS_H

#include "qemu/osdep.h"
#include "hw/irq.h"
#include "hw/qdev-core.h"
#include "target/ppc/cpu.h"

/*
 * Priorities: 0 is the most favoured, 0xff the least.  A source at 0xff is
 * masked; a processor at CPPR 0 takes nothing.
 */
#define XICS_PRIORITY_MASKED 0xff

/*
 * The External Interrupt Request Register a processor reads to accept an
 * interrupt: CPPR in the top byte, the source (XISR) in the low 24 bits.
 * XISR 0 means nothing pending; 2 is the inter-processor interrupt.
 */
#define XICS_XIRR_CPPR_SHIFT 24
#define XICS_XISR_MASK 0x00ffffffu
#define XICS_XISR_NONE 0
#define XICS_XISR_IPI 2

/* How a source signals (claimed sources only). */
#define XICS_FLAGS_IRQ_LSI 0x1 /* level: presented again while asserted */
#define XICS_FLAGS_IRQ_MSI 0x2 /* message (edge): presented once per event */
#define XICS_FLAGS_IRQ_MASK (XICS_FLAGS_IRQ_LSI | XICS_FLAGS_IRQ_MSI)

/* Where a source is in its life (ICSIRQState.status). */
#define XICS_STATUS_ASSERTED 0x1       /* LSI: the line is high */
#define XICS_STATUS_SENT 0x2           /* LSI: presented, not yet EOIed */
#define XICS_STATUS_REJECTED 0x4       /* MSI: an ICP refused it; resend later */
#define XICS_STATUS_MASKED_PENDING 0x8 /* MSI: fired while masked */

typedef struct ICSState ICSState;
typedef struct ICPState ICPState;

/* One source: where it goes and what it is waiting for. */
typedef struct ICSIRQState {
    uint32_t server;        /* the ICP (processor) it is presented to */
    uint8_t priority;       /* 0xff: masked */
    uint8_t saved_priority; /* what ibm,int-on restores */
    uint8_t status;         /* XICS_STATUS_* */
    uint8_t flags;          /* XICS_FLAGS_IRQ_*; 0 when unclaimed */
} ICSIRQState;

/*
 * The source controller: sources offset .. offset + nr_irqs - 1.  A device
 * of type "ics-spapr" on pseries (QEMU's /machine/ics); unit tests may also
 * use a bare one through ics_init.
 */
struct ICSState {
    DeviceState qdev;
    DeviceState *xics; /* property "xics": QEMU's link to the machine; unused */
    uint32_t offset;
    uint32_t nr_irqs; /* property "nr-irqs" */
    ICSIRQState *irqs;
    qemu_irq *qirqs; /* one line per source, for devices */
    /*
     * One bit per source that may have to be presented again when an ICP
     * becomes less restrictive (a rejected MSI, an asserted LSI not
     * presented), so a resend after each EOI reads a few words, not every
     * source.
     */
    uint64_t *resend_map;
    /* The presentation controllers by server number; NULL where none. */
    ICPState **icps;
    uint32_t nr_servers;
};

/* One processor's presentation controller (device type "icp"). */
struct ICPState {
    DeviceState qdev;
    DeviceState *xics_link; /* properties "xics" and "cpu": QEMU's links; unused */
    DeviceState *cpu_link;
    uint32_t server;
    uint32_t xirr;            /* CPPR << 24 | XISR of the pending interrupt */
    uint8_t pending_priority; /* priority of XISR; 0xff when none */
    uint8_t mfrr;             /* IPI request priority; 0xff: none */
    bool output;              /* the processor's external interrupt line */
    PowerPCCPU *cpu;          /* NULL: the line goes nowhere (unit tests) */
    ICSState *ics;
};

/* ---- Source controller ------------------------------------------------ */

/*
 * Set up nr_irqs sources numbered from offset, all unclaimed, masked and
 * aimed at server 0, with room for nr_servers ICPs.
 */
void ics_init(ICSState *ics, uint32_t offset, uint32_t nr_irqs, uint32_t nr_servers);
void ics_finalize(ICSState *ics);
/* Machine reset: every source masked at server 0, nothing pending; claims stay. */
void ics_reset(ICSState *ics);
/* nr is one of this controller's sources. */
bool ics_valid_irq(const ICSState *ics, uint32_t nr);
/* Source nr's state; nr must be valid. */
ICSIRQState *ics_irq(ICSState *ics, uint32_t nr);
/* The line a device raises for source nr (NULL when nr is not a source). */
qemu_irq ics_qirq(ICSState *ics, uint32_t nr);
/*
 * A device's line changed: an LSI follows the level, an MSI fires on a
 * rising edge (qemu_irq_pulse).  srcno counts from 0.
 */
void ics_set_irq(void *opaque, int srcno, int level);
/*
 * Aim source srcno at server with priority (and what int-on restores).
 * A masked MSI that fired meanwhile, or an asserted LSI, is presented now
 * if the new priority lets it through.
 */
void ics_write_xive(ICSState *ics, uint32_t srcno, uint32_t server, uint8_t priority,
                    uint8_t saved_priority);
/* Mark a source LSI or MSI (claimed) or unclaimed (flags 0). */
void ics_set_irq_type(ICSState *ics, uint32_t srcno, uint8_t flags);
/* Present again whatever was refused (an ICP became less restrictive). */
void ics_resend(ICSState *ics);

/* ---- Presentation controllers ----------------------------------------- */

/* Attach ICP icp for server (cpu may be NULL) and reset it. */
void icp_init(ICPState *icp, ICSState *ics, uint32_t server, PowerPCCPU *cpu);
/* Nothing pending, CPPR 0 (everything held off), no IPI requested. */
void icp_reset(ICPState *icp);
/* The ICP of a server number, or NULL. */
ICPState *xics_icp_get(ICSState *ics, uint32_t server);
/* H_CPPR: the processor's current priority; may hand back what it now blocks. */
void icp_set_cppr(ICPState *icp, uint8_t cppr);
/* H_IPI: request (mfrr < 0xff) or withdraw an inter-processor interrupt. */
void icp_set_mfrr(ICPState *icp, uint8_t mfrr);
/* H_XIRR: accept the pending interrupt; returns the XIRR before acceptance. */
uint32_t icp_accept(ICPState *icp);
/* H_IPOLL: the XIRR and MFRR, with nothing accepted. */
uint32_t icp_ipoll(ICPState *icp, uint8_t *mfrr);
/* H_EOI: end of interrupt; xirr's top byte becomes the CPPR. */
void icp_eoi(ICPState *icp, uint32_t xirr);

/* ---- As devices ------------------------------------------------------- */

#define TYPE_ICS "ics"
#define TYPE_ICS_SPAPR "ics-spapr"
#define TYPE_ICP "icp"

/*
 * An ICS device of type (TYPE_ICS_SPAPR on pseries) with nr_irqs sources
 * from offset and room for nr_servers ICPs, realized with no bus at
 * /machine/name (NULL: unattached).  NULL + errp when realize refuses (no
 * sources).
 */
ICSState *ics_create(const char *type, const char *name, uint32_t offset, uint32_t nr_irqs,
                     uint32_t nr_servers, Error **errp);
/* The ICP device of server (cpu may be NULL) at /machine/name, realized with no bus. */
ICPState *icp_create(ICSState *ics, const char *name, uint32_t server, PowerPCCPU *cpu,
                     Error **errp);

/* ---- On pseries (xics_spapr.c) ----------------------------------------- */

/*
 * The /interrupt-controller node of a XICS partition: the presentation
 * layer ("IBM,ppc-xicp") serving servers 0 .. ics->nr_servers - 1.
 * 0, or a negative libfdt error.
 */
int xics_spapr_dt(ICSState *ics, void *fdt, uint32_t phandle);

#endif

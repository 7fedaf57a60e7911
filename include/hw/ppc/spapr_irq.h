/*
 * The pseries interrupt layer: interrupt numbers (QEMU's, from 4096), the
 * controller the ic-mode picks (XICS; XIVE later), claiming numbers as LSI
 * or MSI, and the line a device raises for a number.
 */
#ifndef HW_PPC_SPAPR_IRQ_H
#define HW_PPC_SPAPR_IRQ_H

#include "hw/ppc/spapr.h"
#include "hw/irq.h"

/*
 * QEMU's fixed numbering (pseries-4.0 and later): the event sources, then
 * a block per device family, MSIs allocated from the top block.
 */
#define SPAPR_XIRQ_BASE 0x1000
#define SPAPR_NR_XIRQS 0x1000
#define SPAPR_IRQ_EPOW (SPAPR_XIRQ_BASE + 0x0000)
#define SPAPR_IRQ_HOTPLUG (SPAPR_XIRQ_BASE + 0x0001)
#define SPAPR_IRQ_PCI_LSI (SPAPR_XIRQ_BASE + 0x0200)
#define SPAPR_IRQ_MSI (SPAPR_XIRQ_BASE + 0x0300)
/* pseries-3.0 and older ("legacy" XICS) have 1024 sources, numbered by allocation. */
#define SPAPR_NR_XIRQS_LEGACY 0x400

/* The interrupt controller's phandle in the device tree (QEMU's). */
#define SPAPR_PHANDLE_INTC 0x1111

typedef struct ICSState ICSState;
typedef struct ICPState ICPState;

/* The interrupt controller the machine built (ic-mode). */
typedef enum SpaprIrqMode {
    SPAPR_IRQ_XICS,        /* ic-mode=xics, and dual until XIVE exists */
    SPAPR_IRQ_XICS_LEGACY, /* pseries-3.0 and older */
} SpaprIrqMode;

typedef struct SpaprIrqState {
    SpaprIrqMode mode;
    ICSState *ics;
    ICPState **icps; /* by CPU index, up to maxcpus: NULL where no core is plugged */
    unsigned nr_icps;
    /* CPU index i's core is QEMU's /machine/unattached/device[first_core + i]. */
    unsigned first_core;
} SpaprIrqState;

/*
 * Build the interrupt controller for the machine's ic-mode and CPUs: the
 * devices /machine/ics and one ICP per processor, which machine reset
 * resets through the device tree.  ic-mode=xive is refused (error_exit)
 * until XIVE exists.
 */
void spapr_irq_init(SpaprMachineState *spapr);
void spapr_irq_free_all(SpaprMachineState *spapr);
/*
 * CPU index i's presenter, made when its core is plugged and freed when it
 * goes; core is the core's path below /machine ("peripheral/core1").
 */
void spapr_irq_cpu_add(SpaprMachineState *spapr, unsigned i, const char *core);
void spapr_irq_cpu_remove(SpaprMachineState *spapr, unsigned i);
/*
 * Claim number irq for a device as a level (lsi) or message source.  false
 * and *err ("IRQ 4352 is not free", QEMU's words) when irq is no source or
 * is taken.
 */
bool spapr_irq_claim(SpaprMachineState *spapr, uint32_t irq, bool lsi, char **err);
/* Give back num numbers from irq. */
void spapr_irq_free(SpaprMachineState *spapr, uint32_t irq, uint32_t num);
/* The first unclaimed number (legacy allocation), or -1 with *err. */
int spapr_irq_findone(SpaprMachineState *spapr, char **err);
/* The line a device drives for interrupt number irq (NULL: no such source). */
qemu_irq spapr_qirq(SpaprMachineState *spapr, uint32_t irq);

/* The ICP of a processor, or NULL (tests without an interrupt controller). */
ICPState *spapr_cpu_icp(SpaprMachineState *spapr, PowerPCCPU *cpu);
/*
 * The ibm,arch-vec-5-platform-support byte for the interrupt controller
 * (option vector 5 byte 23): 0x00, XICS only, while XIVE does not exist,
 * whatever the ic-mode; H_CAS must answer the same.
 */
uint8_t spapr_irq_ov5_platform(SpaprMachineState *spapr);
/* Add the interrupt controller's node.  0, or a negative libfdt error. */
int spapr_irq_dt(SpaprMachineState *spapr, void *fdt);

#endif

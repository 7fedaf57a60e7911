/*
 * The sPAPR PCI host bridge (spapr-pci-host-bridge): a PAPR "logical PHB"
 * with its windows, interrupts, DMA windows and RTAS services.
 */
#ifndef HW_PCI_SPAPR_PCI_H
#define HW_PCI_SPAPR_PCI_H

#include "hw/pci/pci.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_tce.h"

#define TYPE_SPAPR_PCI_HOST_BRIDGE "spapr-pci-host-bridge"

/* QEMU 7.2's placement of PHB i: BUID base + i, windows from 32 TiB (spapr_phb_placement). */
#define SPAPR_PCI_BASE_BUID 0x800000020000000ULL
#define SPAPR_PCI_BASE (1ULL << 45)
#define SPAPR_PCI_LIMIT (1ULL << 46)
#define SPAPR_PCI_MEM32_WIN_SIZE 0x80000000ULL
#define SPAPR_PCI_MEM64_WIN_SIZE 0x10000000000ULL
#define SPAPR_PCI_IO_WIN_SIZE 0x10000ULL
#define SPAPR_PCI_MEM_WIN_BUS_OFFSET 0x80000000ULL
#define SPAPR_MAX_PHBS ((SPAPR_PCI_LIMIT - SPAPR_PCI_BASE) / SPAPR_PCI_MEM64_WIN_SIZE - 1)
/* Device MSI writes land here; the data is the interrupt number. */
#define SPAPR_PCI_MSI_WINDOW 0x40000000000ULL
#define SPAPR_PCI_MSI_WINDOW_SIZE 0x10000ULL
/* The default 32-bit DMA window and where a second (64-bit) one goes. */
#define SPAPR_PCI_DMA32_SIZE 0x40000000ULL
#define SPAPR_PCI_DMA64_START 0x800000000000000ULL
#define SPAPR_PCI_DMA_MAX_WINDOWS 2
/* DRC indexes: PHBs and PCI slots (PAPR dynamic reconfiguration connectors). */
#define SPAPR_DRC_PHB_BASE 0x20000000u
#define SPAPR_DRC_PCI_BASE 0x40000000u

/* One device's MSI block, keyed by the config address the guest used. */
typedef struct SpaprPciMsi {
    uint32_t config_addr;
    uint32_t first_irq;
    uint32_t num;
} SpaprPciMsi;

typedef struct SpaprPhbState {
    DeviceState qdev;
    SpaprMachineState
        *spapr; /* the machine (the board's PHB gets it before spapr_machine is set) */
    /* properties */
    uint32_t index;
    uint64_t mem_win_size, mem64_win_size, io_win_size;
    uint64_t dma_win_addr, dma_win_size, dma64_win_addr;
    uint64_t page_size_mask; /* "pgsz": IOMMU page sizes DDW offers */
    bool ddw_enabled;
    bool dr_enabled, pcie_ecs, pre_2_8_migration, pre_5_1_assoc, migrate_config, bypass_iommu;
    uint32_t numa_node;
    uint64_t gpa, atsd;

    /* placement (QEMU's spapr_phb_placement) */
    uint64_t buid;
    hwaddr io_win_addr, mem_win_addr, mem64_win_addr;
    MemoryWindow *win[3];       /* the IO, 32- and 64-bit windows' holes read as zeros */
    uint32_t lsi[PCI_NUM_PINS]; /* interrupt numbers of INTA-INTD */

    PCIBus *bus;
    SpaprTceTable *tcet[SPAPR_PCI_DMA_MAX_WINDOWS];
    GArray *msi; /* SpaprPciMsi */
} SpaprPhbState;

/* The PHB with that BUID, or NULL. */
SpaprPhbState *spapr_pci_find_phb(uint64_t buid);
/* The device an RTAS config address names (bus 23-16, devfn 15-8) on PHB buid. */
PCIDevice *spapr_pci_find_dev(uint64_t buid, uint32_t config_addr);
/* fn(phb) for every PHB, by ascending index. */
void spapr_pci_foreach_phb(void (*fn)(SpaprPhbState *phb, void *opaque), void *opaque);
/* The board's default PHB (index 0); returns its bus. */
PCIBus *spapr_pci_create_default(SpaprMachineState *spapr);
/* The PHB nodes under / (hw/ppc/spapr_pci_fdt.c).  0, or a negative libfdt error. */
int spapr_dt_phbs(void *fdt);
/* A device's firmware path below its PHB ("/pci@BUID/scsi@3"), or NULL (not on a PHB). */
char *spapr_pci_fw_path(DeviceState *dev);
/* Back to the one default DMA window (machine reset, ibm,reset-pe-dma-window). */
void spapr_phb_dma_reset(SpaprPhbState *phb);
/* Windows open now. */
unsigned spapr_phb_active_windows(SpaprPhbState *phb);
/* Forget every MSI block of the PHB (machine reset). */
void spapr_phb_msi_reset(SpaprPhbState *phb);

#endif

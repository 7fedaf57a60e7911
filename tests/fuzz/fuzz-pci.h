/*
 * What the PCI targets of tests/fuzz (mmio, virtio) share: the fuzz machine
 * with a set of PCI devices on its default host bridge, added as -device
 * adds them, and the guest's ways to configure them: RTAS config-space calls
 * and BARs placed in the bridge's windows as firmware places them.
 */
#ifndef TESTS_FUZZ_FUZZ_PCI_H
#define TESTS_FUZZ_FUZZ_PCI_H

#include "fuzz.h"
#include "hw/pci/spapr_pci.h"

/* Where the RTAS argument block of config-space calls goes (below the input window). */
#define FUZZ_PCI_RTAS_BLOCK 0x8000
#define FUZZ_PCI_MAX_DEVS 16

typedef struct FuzzPci {
    SpaprPhbState *phb;
    PCIDevice *devs[FUZZ_PCI_MAX_DEVS]; /* in the order they were added */
    const char *names[FUZZ_PCI_MAX_DEVS];
    unsigned ndevs;
} FuzzPci;

/*
 * The fuzz machine with virtio-blk (one through the IOMMU), virtio-net
 * (no backend: -nic none's NIC), virtio-serial with a console on a null
 * chardev, virtio-rng, virtio-scsi with a disk, virtio-balloon and
 * pci-testdev; disks are null-co.  Built once; idempotent.
 */
FuzzPci *fuzz_pci(void);

/*
 * One RTAS call on CPU 0 through H_RTAS, its block at FUZZ_PCI_RTAS_BLOCK:
 * the status, and in *val (if not NULL) the second result.
 */
int32_t fuzz_pci_rtas(uint32_t token, uint32_t nargs, uint32_t nret, const uint32_t *args,
                      uint32_t *val);
/* ibm,read/write-pci-config on CPU 0 through H_RTAS: the RTAS status. */
int32_t fuzz_pci_cfg_read(uint32_t config_addr, uint32_t size, uint32_t *val);
int32_t fuzz_pci_cfg_write(uint32_t config_addr, uint32_t size, uint32_t val);
/* The config address (bus 0) of a device, register reg. */
static inline uint32_t fuzz_pci_cfg_addr(const PCIDevice *dev, uint32_t reg)
{
    return (uint32_t)dev->devfn << 8 | (reg & 0xff) | (reg & 0xf00) << 20;
}

/*
 * Firmware's job: every BAR of every device placed in the bridge's windows
 * (naturally aligned, one after another) and memory and I/O decoding
 * enabled, all through config-space writes.
 */
void fuzz_pci_map_all(void);

/* The CPU address of BAR n of dev, or PCI_BAR_UNMAPPED. */
hwaddr fuzz_pci_bar_cpu(PCIDevice *dev, int n);

/*
 * Back to the state after machine reset for what an input can reach from
 * PCI: the host bridge with its devices (queues, BARs, MSIs, DMA windows)
 * and the input window.  Much cheaper than a system reset.
 */
void fuzz_pci_reset(void);

#endif

/*
 * The PCI devices of the mmio and virtio targets on the fuzz machine, and
 * the guest's ways to set them up (tests/fuzz/fuzz-pci.h).
 */
#include "fuzz-pci.h"
#include "chardev/char.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "hw/pci/pci_regs.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/qdev-monitor.h"
#include "sysemu/blockdev.h"
#include "sysemu/runstate.h"

static const char *const drives[] = {
    "if=none,id=fuzzd0,file=null-co://,format=raw,file.size=1M",
    "if=none,id=fuzzd1,file=null-co://,format=raw,file.size=1M",
    "if=none,id=fuzzd2,file=null-co://,format=raw,file.size=1M",
};

/* As -device would add them, in this order (slots 0, 1, ... of bus 0). */
static const char *const devices[] = {
    "virtio-blk-pci,id=fuzzblk,drive=fuzzd0",
    "virtio-blk-pci,id=fuzzblk2,drive=fuzzd1,iommu_platform=on",
    "virtio-net-pci,id=fuzznet,iommu_platform=on",
    "virtio-serial-pci,id=fuzzser",
    "virtio-rng-pci,id=fuzzrng,iommu_platform=on",
    "virtio-scsi-pci,id=fuzzscsi",
    "virtio-balloon-pci,id=fuzzballoon",
    "pci-testdev,id=fuzztestdev",
};

/* Devices on the buses of the ones above (not PCI functions themselves). */
static const char *const children[] = {
    "virtconsole,chardev=fuzzcon,bus=fuzzser.0",
    "scsi-hd,drive=fuzzd2,bus=fuzzscsi.0",
};

FuzzPci *fuzz_pci(void)
{
    static FuzzPci pci;
    Error *err = NULL;
    char *msg = NULL;

    if (pci.phb) {
        return &pci;
    }
    fuzz_machine();
    for (size_t i = 0; i < G_N_ELEMENTS(drives); i++) {
        if (!drive_new(drives[i], &msg)) {
            fuzz_fail("fuzz-pci: -drive %s: %s", drives[i], msg);
        }
    }
    if (!qemu_chr_new("fuzzcon", "null", &msg)) {
        fuzz_fail("fuzz-pci: chardev: %s", msg);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        DeviceState *dev = qdev_device_add_str(devices[i], &err);

        if (!dev) {
            fuzz_fail("fuzz-pci: -device %s: %s", devices[i], error_get_pretty(err));
        }
        g_assert_cmpuint(pci.ndevs, <, FUZZ_PCI_MAX_DEVS);
        pci.names[pci.ndevs] = devices[i];
        pci.devs[pci.ndevs++] = (PCIDevice *)dev;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(children); i++) {
        if (!qdev_device_add_str(children[i], &err)) {
            fuzz_fail("fuzz-pci: -device %s: %s", children[i], error_get_pretty(err));
        }
    }
    pci.phb = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
    g_assert_nonnull(pci.phb);
    /* As system/vl.c after the -device options. */
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    return &pci;
}

int32_t fuzz_pci_rtas(uint32_t token, uint32_t nargs, uint32_t nret, const uint32_t *args,
                      uint32_t *val)
{
    SpaprMachineState *spapr = fuzz_machine();
    target_ulong hargs[SPAPR_HCALL_NARGS] = { FUZZ_PCI_RTAS_BLOCK };
    hwaddr rets = FUZZ_PCI_RTAS_BLOCK + 12 + 4 * nargs;
    uint32_t status;

    g_assert_true(guest_stl_be(FUZZ_PCI_RTAS_BLOCK, token));
    g_assert_true(guest_stl_be(FUZZ_PCI_RTAS_BLOCK + 4, nargs));
    g_assert_true(guest_stl_be(FUZZ_PCI_RTAS_BLOCK + 8, nret));
    for (uint32_t i = 0; i < nargs; i++) {
        g_assert_true(guest_stl_be(FUZZ_PCI_RTAS_BLOCK + 12 + 4 * i, args[i]));
    }
    g_assert_true(guest_memset(rets, 0xee, 4 * nret));
    spapr_hypercall(spapr->cpus[0], KVMPPC_H_RTAS, hargs);
    g_assert_true(guest_ldl_be(rets, &status));
    if (val && nret > 1) {
        g_assert_true(guest_ldl_be(rets + 4, val));
    }
    return (int32_t)status;
}

int32_t fuzz_pci_cfg_read(uint32_t config_addr, uint32_t size, uint32_t *val)
{
    uint32_t args[4] = { config_addr, SPAPR_PCI_BASE_BUID >> 32, (uint32_t)SPAPR_PCI_BASE_BUID,
                         size };

    return fuzz_pci_rtas(RTAS_IBM_READ_PCI_CONFIG, 4, 2, args, val);
}

int32_t fuzz_pci_cfg_write(uint32_t config_addr, uint32_t size, uint32_t val)
{
    uint32_t args[5] = { config_addr, SPAPR_PCI_BASE_BUID >> 32, (uint32_t)SPAPR_PCI_BASE_BUID,
                         size, val };

    return fuzz_pci_rtas(RTAS_IBM_WRITE_PCI_CONFIG, 5, 1, args, NULL);
}

void fuzz_pci_map_all(void)
{
    FuzzPci *pci = fuzz_pci();
    uint64_t mem = SPAPR_PCI_MEM_WIN_BUS_OFFSET, io = 0x1000;

    for (unsigned d = 0; d < pci->ndevs; d++) {
        PCIDevice *dev = pci->devs[d];

        for (int n = 0; n < PCI_ROM_SLOT; n++) {
            PCIIORegion *r = &dev->io_regions[n];
            uint32_t reg = PCI_BASE_ADDRESS_0 + 4 * n;
            uint64_t *cursor = r->type & PCI_BASE_ADDRESS_SPACE_IO ? &io : &mem;
            uint64_t addr;

            if (!r->size) {
                continue;
            }
            addr = QEMU_ALIGN_UP(*cursor, r->size);
            *cursor = addr + r->size;
            g_assert_cmpint(fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, reg), 4, (uint32_t)addr), ==,
                            RTAS_OUT_SUCCESS);
            if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
                g_assert_cmpint(fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, reg + 4), 4, addr >> 32),
                                ==, RTAS_OUT_SUCCESS);
            }
        }
        g_assert_cmpint(
            fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, PCI_COMMAND), 2,
                               PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER),
            ==, RTAS_OUT_SUCCESS);
    }
}

hwaddr fuzz_pci_bar_cpu(PCIDevice *dev, int n)
{
    if (n < 0 || n >= PCI_NUM_REGIONS || !dev->io_regions[n].mr) {
        return PCI_BAR_UNMAPPED;
    }
    return memory_region_base(dev->io_regions[n].mr);
}

void fuzz_pci_reset(void)
{
    FuzzPci *pci = fuzz_pci();

    qdev_reset(&pci->phb->qdev);
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
}

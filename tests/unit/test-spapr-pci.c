/*
 * Unit tests of the PCI core, the sPAPR PHB and the TCE IOMMU: RTAS config
 * access and its argument checks, BAR sizing and mapping, INTx and MSI-X to
 * XICS sources, ibm,change-msi, dynamic DMA windows, the TCE hcalls and DMA.
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/xics.h"
#include "exec/memory.h"
#include "qemu/units.h"
#include "spapr-test-machine.h"

#define RAM (256 * MiB)
#define ARGS 0x1000
#define RETS 0x2000
#define BUID0 0x800000020000000ULL
#define LIOBN0 0x80000000u

/* ---- A PCI device for the tests: BAR0 4 KiB of registers, BAR1 I/O, MSI-X in BAR2 ---- */

typedef struct TestPci {
    PCIDevice pci;
    uint32_t regs[1024];
} TestPci;

static uint64_t tp_read(void *opaque, hwaddr off, unsigned size)
{
    return ((TestPci *)opaque)->regs[off / 4];
}

static void tp_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    ((TestPci *)opaque)->regs[off / 4] = val;
}

static const MemoryRegionOps tp_ops = {
    .read = tp_read,
    .write = tp_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .min_access_size = 4,
    .max_access_size = 4,
};

static bool tp_realize(PCIDevice *dev, Error **errp)
{
    TestPci *t = (TestPci *)dev;

    dev->config[PCI_INTERRUPT_PIN] = 1;
    pci_register_bar(dev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, 4096, &tp_ops, t);
    pci_register_bar(dev, 1, PCI_BASE_ADDRESS_SPACE_IO, 256, &tp_ops, t);
    return msix_init_exclusive_bar(dev, 4, 2, errp) && msi_init(dev, 0, 2, errp);
}

static const PCIDeviceClass test_pci_class = {
    .parent = {
        .name = "test-pci",
        .parent = &pci_device_class.parent,
        .instance_size = sizeof(TestPci),
    },
    .vendor_id = 0x1234,
    .device_id = 0x5678,
    .class_id = 0x0200,
    .realize = tp_realize,
};

typedef struct Fixture {
    SpaprMachineState *m;
    SpaprPhbState *phb;
    PCIDevice *dev; /* test-pci at 00:03.0 */
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    DeviceState *d;

    f->m = test_machine_new(RAM, 1, NULL, NULL);
    qdev_tree_reset();
    qdev_register_type(&test_pci_class.parent);
    spapr_irq_init(f->m);
    spapr_pci_create_default(f->m);
    f->phb = spapr_pci_find_phb(BUID0);
    g_assert_nonnull(f->phb);
    d = qdev_new("test-pci");
    g_assert_true(qdev_prop_parse(d, "addr", "3", PROP_SRC_CMDLINE, &error_abort));
    g_assert_true(qdev_realize_and_unref(d, &f->phb->bus->qbus, &error_abort));
    f->dev = (PCIDevice *)d;
    qdev_reset_all();
}

static void teardown(Fixture *f, gconstpointer data)
{
    /* The PHB gives its interrupts back to the controller: it goes first. */
    qdev_free(&f->phb->qdev);
    spapr_irq_free_all(f->m);
    qdev_tree_reset();
    memory_map_clear();
    test_machine_free(f->m);
}

static int32_t rtas(Fixture *f, int token, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                    uint32_t nret)
{
    for (uint32_t i = 0; i < nargs; i++) {
        g_assert_true(guest_stl_be(ARGS + 4 * i, args[i]));
    }
    for (uint32_t i = 0; i < 8; i++) {
        g_assert_true(guest_stl_be(RETS + 4 * i, 0xeeeeeeee));
    }
    g_assert_cmpint(spapr_rtas_call(f->m->cpus[0], f->m, token, nargs, ARGS, nret, RETS), ==,
                    H_SUCCESS);
    for (uint32_t i = 0; i < 8; i++) {
        g_assert_true(guest_ldl_be(RETS + 4 * i, &rets[i]));
    }
    return (int32_t)rets[0];
}

/* ibm,read-pci-config of bus 0 devfn, register reg. */
static int32_t cfg_read(Fixture *f, uint64_t buid, uint32_t devfn, uint32_t reg, uint32_t size,
                        uint32_t *val)
{
    uint32_t a[] = { devfn << 8 | reg, buid >> 32, (uint32_t)buid, size }, r[8];
    int32_t st = rtas(f, RTAS_IBM_READ_PCI_CONFIG, a, 4, r, 2);

    *val = r[1];
    return st;
}

static int32_t cfg_write(Fixture *f, uint32_t devfn, uint32_t reg, uint32_t size, uint32_t val)
{
    uint32_t a[] = { devfn << 8 | reg, BUID0 >> 32, (uint32_t)BUID0, size, val }, r[8];

    return rtas(f, RTAS_IBM_WRITE_PCI_CONFIG, a, 5, r, 1);
}

/* ---- Config space through RTAS ------------------------------------------------------- */

static void test_config_read(Fixture *f, gconstpointer data)
{
    uint32_t v;

    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_VENDOR_ID, 4, &v), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(v, ==, 0x56781234);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_DEVICE_ID, 2, &v), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(v, ==, 0x5678);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_CLASS_DEVICE + 1, 1, &v), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(v, ==, 0x02);
    /* QEMU's subsystem ids for a device that sets none */
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_SUBSYSTEM_VENDOR_ID, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x11001af4);
    /* the capability list: MSI (added last) first, then MSI-X */
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_STATUS, 2, &v), ==, 0);
    g_assert_true(v & PCI_STATUS_CAP_LIST);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_CAPABILITY_LIST, 1, &v), ==, 0);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, v, 1, &v), ==, 0);
    g_assert_cmphex(v, ==, PCI_CAP_ID_MSI);
}

static void test_config_bad_args(Fixture *f, gconstpointer data)
{
    uint32_t v, r[8];

    /* no device in the slot, another BUID, a size of 3, unaligned, beyond 256 bytes */
    g_assert_cmpint(cfg_read(f, BUID0, 0x20, 0, 4, &v), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0 + 1, 0x18, 0, 4, &v), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, 0, 3, &v), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, 0, 8, &v), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, 2, 4, &v), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, 1, 2, &v), ==, RTAS_OUT_HW_ERROR);
    /* extended register 0x100 (bits 28-31 of the address): past a PCI device's 256 */
    g_assert_cmpint(cfg_read(f, BUID0, 0x18 | 0x100000, 0, 4, &v), ==, RTAS_OUT_HW_ERROR);
    /* a bus number the PHB does not have */
    g_assert_cmpint(cfg_read(f, BUID0, 0x118, 0, 4, &v), ==, RTAS_OUT_HW_ERROR);
    /* wrong counts are hardware errors too (QEMU 7.2) */
    {
        uint32_t a[] = { 0x1800, BUID0 >> 32, (uint32_t)BUID0, 4 };

        g_assert_cmpint(rtas(f, RTAS_IBM_READ_PCI_CONFIG, a, 3, r, 2), ==, RTAS_OUT_HW_ERROR);
        g_assert_cmpint(rtas(f, RTAS_IBM_READ_PCI_CONFIG, a, 4, r, 1), ==, RTAS_OUT_HW_ERROR);
    }
    /* read-pci-config names no BUID: QEMU 7.2 finds no PHB */
    {
        uint32_t a[] = { 0x1800, 4 };

        g_assert_cmpint(rtas(f, RTAS_READ_PCI_CONFIG, a, 2, r, 2), ==, RTAS_OUT_HW_ERROR);
    }
    /* a refused write changes nothing */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND + 1, 2, 0xffff), ==, RTAS_OUT_HW_ERROR);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_COMMAND, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
}

/* ---- BARs ------------------------------------------------------------------------------ */

static void test_bar_sizing_and_mapping(Fixture *f, gconstpointer data)
{
    uint32_t v;
    uint64_t val = 0;
    hwaddr cpu = f->phb->mem_win_addr + 0x100000; /* bus 0x80100000 */

    /* sizing: all ones reads back the size mask and the type bits */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0, 4, 0xffffffff), ==, 0);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_BASE_ADDRESS_0, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0xfffff000);
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0 + 4, 4, 0xffffffff), ==, 0);
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_BASE_ADDRESS_0 + 4, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0xffffff01);

    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0, 4, 0x80100000), ==, 0);
    /* decoding off: nothing there */
    g_assert_null(memory_map_find(cpu));
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_MEMORY), ==, 0);
    g_assert_nonnull(memory_map_find(cpu));
    g_assert_cmphex(pci_bar_address(f->dev, 0), ==, 0x80100000);
    /* the device's registers, little-endian */
    g_assert_true(memory_map_write(cpu + 8, 4, false, 0xcafef00d));
    g_assert_cmphex(((TestPci *)f->dev)->regs[2], ==, 0xcafef00d);
    g_assert_true(memory_map_read(cpu + 8, 4, true, &val));
    g_assert_cmphex(val, ==, 0x0df0feca);
    /* moved, then decoding off again */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0, 4, 0x80200000), ==, 0);
    g_assert_null(memory_map_find(cpu));
    g_assert_nonnull(memory_map_find(cpu + 0x100000));
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, 0), ==, 0);
    g_assert_null(memory_map_find(cpu + 0x100000));
    /* I/O: port 0x1000 of the PHB's I/O window */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0 + 4, 4, 0x1000), ==, 0);
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_IO), ==, 0);
    g_assert_nonnull(memory_map_find(f->phb->io_win_addr + 0x1000));
    /* a BAR outside the 32-bit window is not mapped */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0, 4, 0x10000000), ==, 0);
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_MEMORY), ==, 0);
    g_assert_cmphex(pci_bar_address(f->dev, 0), ==, PCI_BAR_UNMAPPED);
    /* reset unmaps and clears the BARs */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0, 4, 0x80100000), ==, 0);
    g_assert_nonnull(memory_map_find(cpu));
    qdev_reset_all();
    g_assert_null(memory_map_find(cpu));
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, PCI_BASE_ADDRESS_0, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
}

/* ---- Interrupts ------------------------------------------------------------------------- */

static void test_intx(Fixture *f, gconstpointer data)
{
    ICSState *ics = f->m->irq->ics;
    /* slot 3, INTA: (3 + 1 - 1) % 4 = LSI 3 of the PHB, 0x1203 */
    uint32_t lsi = f->phb->lsi[3];

    g_assert_cmpuint(lsi, ==, 0x1203);
    pci_set_irq(f->dev, 1);
    g_assert_true(ics_irq(ics, lsi)->status & XICS_STATUS_ASSERTED);
    /* INTx disable takes the line down while the device holds it */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE), ==, 0);
    g_assert_false(ics_irq(ics, lsi)->status & XICS_STATUS_ASSERTED);
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, 0), ==, 0);
    g_assert_true(ics_irq(ics, lsi)->status & XICS_STATUS_ASSERTED);
    pci_set_irq(f->dev, 0);
    g_assert_false(ics_irq(ics, lsi)->status & XICS_STATUS_ASSERTED);
}

static int32_t change_msi(Fixture *f, uint32_t func, uint32_t req, uint32_t *r)
{
    uint32_t a[] = { 0x1800, BUID0 >> 32, (uint32_t)BUID0, func, req, 7 };

    return rtas(f, RTAS_IBM_CHANGE_MSI, a, 6, r, 4);
}

static void test_msix(Fixture *f, gconstpointer data)
{
    ICSState *ics = f->m->irq->ics;
    uint32_t r[8], v, irq;
    uint32_t q[] = { 0x1800, BUID0 >> 32, (uint32_t)BUID0, 0 };

    /* more vectors than the device has: its number back, nothing allocated */
    g_assert_cmpint(change_msi(f, 4, 9, r), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(r[1], ==, 4);
    g_assert_cmpuint(r[2], ==, 8);
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, q, 4, r, 3), ==,
                    RTAS_OUT_HW_ERROR);
    g_assert_cmpint(change_msi(f, 4, 2, r), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(r[1], ==, 2);
    g_assert_cmpuint(r[3], ==, 2); /* MSI-X */
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, q, 4, r, 3), ==, 0);
    irq = r[1];
    g_assert_cmpuint(irq, >=, SPAPR_IRQ_MSI);
    g_assert_cmpuint(r[2], ==, 1); /* edge */
    q[3] = 2;                      /* only two vectors given */
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, q, 4, r, 3), ==,
                    RTAS_OUT_HW_ERROR);

    /* the guest enables MSI-X; vector 1 fires to irq + 1 (masked at the ICS: pending) */
    g_assert_cmpint(cfg_read(f, BUID0, 0x18, f->dev->msix_cap + PCI_MSIX_FLAGS, 2, &v), ==, 0);
    g_assert_cmphex(v & PCI_MSIX_FLAGS_QSIZE, ==, 3);
    g_assert_cmpint(cfg_write(f, 0x18, f->dev->msix_cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE),
                    ==, 0);
    /* entries start masked: the message waits in the PBA */
    msix_notify(f->dev, 1);
    g_assert_false(ics_irq(ics, irq + 1)->status & XICS_STATUS_MASKED_PENDING);
    /* unmask vector 1 through the table in BAR2 (bus 0x80000000) */
    g_assert_cmpint(cfg_write(f, 0x18, PCI_BASE_ADDRESS_0 + 8, 4, 0x80000000), ==, 0);
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_MEMORY), ==, 0);
    g_assert_true(
        memory_map_write(f->phb->mem_win_addr + 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, false, 0));
    g_assert_true(ics_irq(ics, irq + 1)->status & XICS_STATUS_MASKED_PENDING);
    g_assert_false(ics_irq(ics, irq)->status & XICS_STATUS_MASKED_PENDING);

    /* release; then a release with nothing allocated is a hardware error */
    g_assert_cmpint(change_msi(f, 4, 0, r), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpint(change_msi(f, 4, 0, r), ==, RTAS_OUT_HW_ERROR);
    /* unknown function, no device */
    g_assert_cmpint(change_msi(f, 9, 1, r), ==, RTAS_OUT_PARAM_ERROR);
    {
        uint32_t a[] = { 0x2000, BUID0 >> 32, (uint32_t)BUID0, 1, 1, 0 };

        g_assert_cmpint(rtas(f, RTAS_IBM_CHANGE_MSI, a, 6, r, 4), ==, RTAS_OUT_PARAM_ERROR);
    }
}

/* ---- TCE hcalls --------------------------------------------------------------------------- */

static target_ulong hcall(Fixture *f, target_ulong opcode, target_ulong a0, target_ulong a1,
                          target_ulong a2, target_ulong a3, target_ulong *out)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };
    target_ulong ret = test_hcall(f->m, 0, opcode, args);

    if (out) {
        *out = args[0];
    }
    return ret;
}

static void test_tce_hcalls(Fixture *f, gconstpointer data)
{
    target_ulong tce;
    uint64_t top = SPAPR_PCI_DMA32_SIZE; /* the default window: 1 GiB from 0 */

    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0, 0x5000, 0x123003, 0, NULL), ==, H_SUCCESS);
    /* ioba is rounded down to the page; the TCE comes back as written */
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, 0x5abc, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmphex(tce, ==, 0x123003);
    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0, top, 1, 0, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, top - 1, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_PUT_TCE, 0x80000002, 0, 1, 0, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0 | (1ULL << 32), 0, 1, 0, NULL), ==, H_PARAMETER);
    /* the second window exists but is closed */
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0 + 1, 0, 0, 0, &tce), ==, H_PARAMETER);

    /* H_STUFF_TCE: all or nothing */
    g_assert_cmpint(hcall(f, H_STUFF_TCE, LIOBN0, top - 0x2000, 7, 3, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, top - 0x2000, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmpint(hcall(f, H_STUFF_TCE, LIOBN0, 0x4000, 7, 0, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_STUFF_TCE, LIOBN0, 0x4000, 7, 3, NULL), ==, H_SUCCESS);
    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, 0x4000 + i * 0x1000, 0, 0, &tce), ==, 0);
        g_assert_cmphex(tce, ==, 7);
    }

    /* H_PUT_TCE_INDIRECT: list alignment, count, range */
    for (int i = 0; i < 4; i++) {
        g_assert_true(guest_stq_be(0x10000 + 8 * i, 0x200000 + i * 0x1000 + 3));
    }
    g_assert_cmpint(hcall(f, H_PUT_TCE_INDIRECT, LIOBN0, 0x8000, 0x10008, 4, NULL), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_PUT_TCE_INDIRECT, LIOBN0, 0x8000, 0x10000, 513, NULL), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_PUT_TCE_INDIRECT, LIOBN0, 0x8000, RAM, 1, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_PUT_TCE_INDIRECT, LIOBN0, top - 0x3000, 0x10000, 4, NULL), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, top - 0x3000, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmpint(hcall(f, H_PUT_TCE_INDIRECT, LIOBN0, 0x8000, 0x10000, 4, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, 0xb000, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmphex(tce, ==, 0x203003);
    /* machine reset empties the window */
    qdev_reset_all();
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, 0xb000, 0, 0, &tce), ==, H_SUCCESS);
    g_assert_cmphex(tce, ==, 0);
}

/* ---- DMA ------------------------------------------------------------------------------- */

static void test_dma(Fixture *f, gconstpointer data)
{
    uint8_t buf[0x2000], back[0x2000];

    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 7;
    }
    /* bus 0x1000 -> RAM 0x300000 read/write, bus 0x2000 -> 0x301000 read-only */
    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0, 0x1000, 0x300000 | SPAPR_TCE_RW, 0, NULL), ==, 0);
    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0, 0x2000, 0x301000 | SPAPR_TCE_READ, 0, NULL), ==, 0);
    /* no bus mastering yet */
    g_assert_false(pci_dma_write(f->dev, 0x1000, buf, 16));
    g_assert_cmpint(cfg_write(f, 0x18, PCI_COMMAND, 2, PCI_COMMAND_MASTER), ==, 0);
    g_assert_true(pci_dma_write(f->dev, 0x1800, buf, 0x800));
    g_assert_true(guest_read(0x300800, back, 0x800));
    g_assert_cmpmem(back, 0x800, buf, 0x800);
    /* a write across into the read-only page fails whole: the first page keeps its bytes */
    g_assert_false(pci_dma_write(f->dev, 0x1000, buf + 1, 0x1800));
    g_assert_true(guest_read(0x300800, back, 0x800));
    g_assert_cmpmem(back, 0x800, buf, 0x800);
    /* reads may cross */
    g_assert_true(pci_dma_read(f->dev, 0x1800, back, 0x1000));
    g_assert_cmpmem(back, 0x800, buf, 0x800);
    /* outside the window, or an invalid entry */
    g_assert_false(pci_dma_read(f->dev, SPAPR_PCI_DMA32_SIZE, back, 4));
    g_assert_false(pci_dma_read(f->dev, 0x5000, back, 4));
    /* a TCE pointing past RAM */
    g_assert_cmpint(hcall(f, H_PUT_TCE, LIOBN0, 0x6000, RAM | SPAPR_TCE_RW, 0, NULL), ==, 0);
    g_assert_false(pci_dma_read(f->dev, 0x6000, back, 4));
}

/* ---- Dynamic DMA windows ------------------------------------------------------------------- */

static void test_ddw(Fixture *f, gconstpointer data)
{
    uint32_t r[8];
    uint32_t q[] = { 0x1800, BUID0 >> 32, (uint32_t)BUID0 };
    uint32_t c[] = { 0x1800, BUID0 >> 32, (uint32_t)BUID0, 16, 28 };
    target_ulong tce;

    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_PE_DMA_WINDOW, q, 3, r, 5), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);                      /* the default window is open */
    g_assert_cmphex(r[2], ==, 0x80000000);              /* QEMU 7.2's fixed answer */
    g_assert_cmphex(r[3], ==, 0x1 | 0x2 | 0x100 | 0x4); /* 4K 64K 2M 16M */
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_PE_DMA_WINDOW, q, 3, r, 6), ==, 0);
    g_assert_cmphex(r[2], ==, 0x20); /* 2^37 */
    g_assert_cmphex(r[3], ==, 0);
    g_assert_cmphex(r[4], ==, 0x107);
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_PE_DMA_WINDOW, q, 3, r, 4), ==, RTAS_OUT_PARAM_ERROR);

    /* a 256 MiB window of 64 KiB pages at 2^59 */
    g_assert_cmpint(rtas(f, RTAS_IBM_CREATE_PE_DMA_WINDOW, c, 5, r, 4), ==, 0);
    g_assert_cmphex(r[1], ==, LIOBN0 + 1);
    g_assert_cmphex((uint64_t)r[2] << 32 | r[3], ==, SPAPR_PCI_DMA64_START);
    g_assert_cmpint(
        hcall(f, H_PUT_TCE, LIOBN0 + 1, SPAPR_PCI_DMA64_START + 0x12345, 0x7003, 0, NULL), ==,
        H_SUCCESS);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0 + 1, SPAPR_PCI_DMA64_START + 0x10000, 0, 0, &tce),
                    ==, 0);
    g_assert_cmphex(tce, ==, 0x7003);
    /* no third window; bad page shift (8 KiB) or window smaller than a page */
    g_assert_cmpint(rtas(f, RTAS_IBM_CREATE_PE_DMA_WINDOW, c, 5, r, 4), ==, RTAS_OUT_HW_ERROR);
    c[3] = 13;
    g_assert_cmpint(rtas(f, RTAS_IBM_CREATE_PE_DMA_WINDOW, c, 5, r, 4), ==, RTAS_OUT_PARAM_ERROR);
    c[3] = 16;
    c[4] = 12;
    g_assert_cmpint(rtas(f, RTAS_IBM_CREATE_PE_DMA_WINDOW, c, 5, r, 4), ==, RTAS_OUT_PARAM_ERROR);

    /* Linux's way: remove the default window, create one at 0 */
    {
        uint32_t l[] = { LIOBN0 };

        g_assert_cmpint(rtas(f, RTAS_IBM_REMOVE_PE_DMA_WINDOW, l, 1, r, 1), ==, 0);
        g_assert_cmpint(rtas(f, RTAS_IBM_REMOVE_PE_DMA_WINDOW, l, 1, r, 1), ==,
                        RTAS_OUT_PARAM_ERROR);
        l[0] = 0x71000000; /* not a PHB's */
        g_assert_cmpint(rtas(f, RTAS_IBM_REMOVE_PE_DMA_WINDOW, l, 1, r, 1), ==,
                        RTAS_OUT_PARAM_ERROR);
    }
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_PE_DMA_WINDOW, q, 3, r, 5), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    c[4] = 28;
    g_assert_cmpint(rtas(f, RTAS_IBM_CREATE_PE_DMA_WINDOW, c, 5, r, 4), ==, 0);
    g_assert_cmphex(r[1], ==, LIOBN0);
    g_assert_cmphex((uint64_t)r[2] << 32 | r[3], ==, SPAPR_PCI_DMA64_START);
    /* reset: the default window back, alone */
    g_assert_cmpint(rtas(f, RTAS_IBM_RESET_PE_DMA_WINDOW, q, 3, r, 1), ==, 0);
    g_assert_cmpint(rtas(f, RTAS_IBM_QUERY_PE_DMA_WINDOW, q, 3, r, 5), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0 + 1, SPAPR_PCI_DMA64_START, 0, 0, &tce), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_GET_TCE, LIOBN0, 0x3fff0000, 0, 0, &tce), ==, H_SUCCESS);
}

/* ---- Placement ------------------------------------------------------------------------------- */

static void test_placement(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) unused = NULL;
    Error *err = NULL;
    DeviceState *d = qdev_new("test-pci");

    /* the first free slot */
    g_assert_true(qdev_realize_and_unref(d, &f->phb->bus->qbus, &error_abort));
    g_assert_cmpint(((PCIDevice *)d)->devfn, ==, 0);
    d = qdev_new("test-pci");
    g_assert_true(qdev_prop_parse(d, "addr", "3", PROP_SRC_CMDLINE, &error_abort));
    g_assert_false(qdev_realize_and_unref(d, &f->phb->bus->qbus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "PCI: slot 3 already occupied by test-pci");
    error_free(err);
    err = NULL;
    d = qdev_new("test-pci");
    g_assert_true(qdev_prop_parse(d, "addr", "3.2", PROP_SRC_CMDLINE, &error_abort));
    g_assert_false(qdev_realize_and_unref(d, &f->phb->bus->qbus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "PCI: single function device can't be populated in function 3.2");
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add("/spapr-pci/" path, Fixture, NULL, setup, fn, teardown)
    T("config/read", test_config_read);
    T("config/bad-args", test_config_bad_args);
    T("bar/sizing-mapping", test_bar_sizing_and_mapping);
    T("irq/intx", test_intx);
    T("irq/msix", test_msix);
    T("tce/hcalls", test_tce_hcalls);
    T("tce/dma", test_dma);
    T("ddw", test_ddw);
    T("placement", test_placement);
    return g_test_run();
}

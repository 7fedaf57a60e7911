/*
 * pci-testdev: QEMU's PCI test device (docs/specs/pci-testdev.txt), which
 * kvm-unit-tests drive to check MMIO and port I/O writes reach a device.
 */
#include "hw/pci/pci.h"
#include "hw/qdev-state.h"
#include "qemu/module.h"

#define PCI_VENDOR_ID_REDHAT 0x1b36
#define PCI_DEVICE_ID_REDHAT_TEST 0x0005
#define PCI_CLASS_TESTDEV 0x00ff /* base class 0xff: "other" */

/* Tests 0-2 on each BAR: no ioeventfd, a wildcard one, one matching the data. */
#define TESTDEV_KINDS 3
#define TESTDEV_TESTS (2 * TESTDEV_KINDS) /* the memory BAR's, then the I/O BAR's */
#define TESTDEV_MEM_SIZE 4096             /* two halves: the header, then the test bytes */
#define TESTDEV_IO_SIZE 256
#define TESTDEV_DATAMATCH 0xfa
#define TESTDEV_NOMATCH 0xce
#define TESTDEV_NONE UINT32_MAX /* no test selected */

/* The header a selected test shows at the start of either BAR (little-endian). */
enum {
    HDR_TEST = 0,   /* write: select a test; reads its number */
    HDR_WIDTH = 1,  /* bytes a test write takes */
    HDR_OFFSET = 4, /* 32-bit: where in its BAR the test writes go */
    HDR_DATA = 8,   /* the byte to write */
    HDR_COUNT = 12, /* 32-bit: test writes seen since the test was selected */
    HDR_NAME = 16,  /* "mmio-no-eventfd"..., NUL-terminated */
};

typedef struct PCITestDev {
    PCIDevice parent;
    uint64_t membar;  /* property: BAR 2's size, 0 for none */
    uint32_t current; /* the selected test, or TESTDEV_NONE */
    uint8_t hdr[TESTDEV_TESTS][HDR_NAME + 32];
    unsigned hdr_len[TESTDEV_TESTS];
} PCITestDev;

static bool test_matches_data(uint32_t t)
{
    return t % TESTDEV_KINDS != 1;
}

static uint32_t hdr_count(PCITestDev *d, uint32_t t)
{
    return pci_get_long(d->hdr[t] + HDR_COUNT);
}

static uint8_t testdev_read_byte(PCITestDev *d, hwaddr off)
{
    if (d->current == TESTDEV_NONE || off + 1 >= d->hdr_len[d->current]) {
        return 0;
    }
    return d->hdr[d->current][off];
}

static uint64_t testdev_read(void *opaque, hwaddr off, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)testdev_read_byte(opaque, off + i) << (8 * i);
    }
    return v;
}

/* One byte reaching the device's registers. */
static void testdev_write_byte(PCITestDev *d, hwaddr off, uint8_t val, unsigned bar_kind)
{
    uint32_t t = d->current;

    if (off == HDR_TEST) {
        d->current = TESTDEV_NONE;
        if (val < TESTDEV_KINDS) {
            d->current = bar_kind * TESTDEV_KINDS + val;
            pci_set_long(d->hdr[d->current] + HDR_COUNT, 0);
        }
        return;
    }
    if (t == TESTDEV_NONE || off != pci_get_long(d->hdr[t] + HDR_OFFSET)) {
        return;
    }
    if (test_matches_data(t) && val != d->hdr[t][HDR_DATA]) {
        return;
    }
    pci_set_long(d->hdr[t] + HDR_COUNT, hdr_count(d, t) + 1);
}

/*
 * A write as the guest made it.  The eventfd tests (1 and 2) stand for an
 * ioeventfd QEMU registers on the selected test's BAR: a one-byte write at the
 * test's offset (with the test's data for test 2) goes to the eventfd and never
 * reaches the device, so it is not counted; other writes reach it byte by byte.
 */
static void testdev_write(PCITestDev *d, hwaddr off, uint64_t val, unsigned size, unsigned bar_kind)
{
    uint32_t t = d->current;

    if (t != TESTDEV_NONE && t / TESTDEV_KINDS == bar_kind && t % TESTDEV_KINDS && size == 1 &&
        off == pci_get_long(d->hdr[t] + HDR_OFFSET) &&
        (!test_matches_data(t) || val == d->hdr[t][HDR_DATA])) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        testdev_write_byte(d, off + i, val >> (8 * i), bar_kind);
    }
}

static void testdev_mem_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    testdev_write(opaque, off, val, size, 0);
}

static void testdev_io_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    testdev_write(opaque, off, val, size, 1);
}

static const MemoryRegionOps testdev_mem_ops = {
    .read = testdev_read,
    .write = testdev_mem_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .max_access_size = 4,
};

static const MemoryRegionOps testdev_io_ops = {
    .read = testdev_read,
    .write = testdev_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .max_access_size = 4,
};

static bool testdev_realize(PCIDevice *pdev, Error **errp)
{
    PCITestDev *d = (PCITestDev *)pdev;
    static const char *const kinds[] = { "no-eventfd", "wildcard-eventfd", "datamatch-eventfd" };

    if (d->membar & (d->membar - 1)) {
        error_setg(errp, "pci-testdev: membar must be a power of two");
        return false;
    }
    pdev->config[PCI_INTERRUPT_PIN] = 0;
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, TESTDEV_MEM_SIZE, &testdev_mem_ops, d);
    pci_register_bar(pdev, 1, PCI_BASE_ADDRESS_SPACE_IO, TESTDEV_IO_SIZE, &testdev_io_ops, d);
    if (d->membar) {
        /* No registers behind it: for guests sizing a large 64-bit BAR. */
        pci_register_bar(pdev, 2,
                         PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_PREFETCH |
                             PCI_BASE_ADDRESS_MEM_TYPE_64,
                         d->membar, NULL, NULL);
    }
    for (int t = 0; t < TESTDEV_TESTS; t++) {
        bool io = t >= TESTDEV_KINDS;
        int n = snprintf((char *)d->hdr[t] + HDR_NAME, sizeof(d->hdr[t]) - HDR_NAME, "%s-%s",
                         io ? "portio" : "mmio", kinds[t % TESTDEV_KINDS]);

        d->hdr_len[t] = HDR_NAME + n + 1;
        d->hdr[t][HDR_TEST] = t;
        d->hdr[t][HDR_WIDTH] = 1;
        /* Each test writes its own byte in the second half of its BAR. */
        pci_set_long(d->hdr[t] + HDR_OFFSET, (io ? TESTDEV_IO_SIZE : TESTDEV_MEM_SIZE) / 2 + t);
        d->hdr[t][HDR_DATA] = test_matches_data(t) ? TESTDEV_DATAMATCH : TESTDEV_NOMATCH;
    }
    d->current = TESTDEV_NONE;
    return true;
}

static void testdev_reset(PCIDevice *pdev)
{
    ((PCITestDev *)pdev)->current = TESTDEV_NONE;
}

/* A stream's selected test must be one of ours; the headers are any bytes. */
static bool testdev_post_load(DeviceState *dev, Error **errp)
{
    PCITestDev *d = (PCITestDev *)dev;

    if (d->current != TESTDEV_NONE && d->current >= TESTDEV_TESTS) {
        error_setg(errp, "pci-testdev: selected test %u", d->current);
        return false;
    }
    return true;
}

/*
 * The PCI configuration, the selected test and the headers (whose counts
 * are what a guest reads back); the header lengths follow from realize.
 */
static const VMStateField testdev_fields[] = {
    VMSTATE_STRUCT(parent, PCITestDev, vmstate_pci_device, PCIDevice),
    VMSTATE_UINT32(current, PCITestDev),
    VMSTATE_BUFFER(hdr, PCITestDev),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_pci_testdev = {
    .name = "pci-testdev",
    .version_id = 1,
    .fields = testdev_fields,
    .post_load = testdev_post_load,
};

static const Property testdev_props[] = {
    DEFINE_PROP_SIZE("membar", PCITestDev, membar, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static const PCIDeviceClass pci_testdev_class = {
    .parent = {
        .name = "pci-testdev",
        .parent = &pci_device_class.parent,
        .desc = "PCI Test Device",
        .category = DEVICE_CATEGORY_MISC,
        .instance_size = sizeof(PCITestDev),
        .props = testdev_props,
        .vmsd = &vmstate_pci_testdev,
    },
    .vendor_id = PCI_VENDOR_ID_REDHAT,
    .device_id = PCI_DEVICE_ID_REDHAT_TEST,
    .class_id = PCI_CLASS_TESTDEV,
    .realize = testdev_realize,
    .reset = testdev_reset,
};

static void pci_testdev_register(void)
{
    qdev_register_type(&pci_testdev_class.parent);
}

module_init(pci_testdev_register)

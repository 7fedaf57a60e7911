/*
 * libFuzzer target: the virtio rings of the PCI devices of fuzz-pci.c
 * (virtio-blk, a second virtio-blk behind the IOMMU, virtio-net with no
 * backend and behind the IOMMU, virtio-serial with its console, virtio-rng
 * behind the IOMMU, virtio-scsi with a disk, virtio-balloon), driven as a
 * guest driver drives them: features and queues set up through the modern
 * common configuration or the legacy I/O BAR, descriptors, indirect tables
 * and the available ring written into guest RAM, the queue kicked through the
 * notify register, and for a device that negotiated VIRTIO_F_ACCESS_PLATFORM
 * the DMA window's TCEs filled by H_PUT_TCE, H_PUT_TCE_INDIRECT and
 * H_STUFF_TCE with the input's entries.
 *
 * Input: up to 96 operations, each an opcode byte and its operands (see the
 * OP_ list).  Queue q's rings sit in slot q % 3 of the input window (legacy
 * layout: descriptors, the available ring after them, the used ring at the
 * next 4 KiB); buffers and indirect tables go in the rest of the window.  A
 * device behind the IOMMU sees the window at bus address IOVA_BASE once the
 * input has put the TCEs there.
 *
 * Per input only the host bridge's subtree (devices, queues, DMA windows) and
 * the input window are reset; then every BAR is placed as firmware does.
 */
#include "fuzz-pci.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "block/block-backend.h"
#include "hw/virtio/virtio-pci.h"

#define MAX_OPS 96
#define SLOT_SIZE 0x3000
#define NSLOTS 3
#define BUF (FUZZ_WINDOW + NSLOTS * SLOT_SIZE)
#define BUF_SIZE (FUZZ_WINDOW + FUZZ_WINDOW_SIZE - BUF)
#define IOVA_BASE 0x1000000ULL
#define TCE_LIST 0x20000 /* a page of TCEs for H_PUT_TCE_INDIRECT */
#define MAX_POLL 16
#define DRV_QUEUES 64 /* queues the driver keeps state of (q % DRV_QUEUES) */

/* BAR 4's structures and the legacy header (virtio 1.0, 4.1.4; 0.9.5, 2.1). */
#define MODERN_BAR 4
#define MODERN_COMMON 0x0000
#define MODERN_ISR 0x1000
#define MODERN_DEVICE 0x2000
#define MODERN_NOTIFY 0x3000
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0c
#define COMMON_STATUS 0x14
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_MSIX 0x1a
#define COMMON_Q_ENABLE 0x1c
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2c
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34
#define COMMON_Q_RESET 0x3a
#define LEGACY_BAR 0
#define LEGACY_HOST_FEATURES 0
#define LEGACY_GUEST_FEATURES 4
#define LEGACY_QUEUE_PFN 8
#define LEGACY_QUEUE_NUM 12
#define LEGACY_QUEUE_SEL 14
#define LEGACY_QUEUE_NOTIFY 16
#define LEGACY_STATUS 18
#define LEGACY_CONFIG 20

enum {
    OP_INIT,
    OP_QUEUE,
    OP_DRIVER_OK,
    OP_DESC,
    OP_AVAIL,
    OP_KICK,
    OP_RAW,
    OP_CONFIG,
    OP_TCE,
    OP_MAP_WINDOW,
    OP_POLL,
    OP_QUEUE_RESET,
    OP_ISR,
    OP_COUNT,
};

typedef struct Queue {
    bool set;
    uint16_t num;
    uint16_t avail_idx; /* the driver's next available entry */
    hwaddr desc, avail; /* guest-physical, in the window */
} Queue;

/* The driver state of one input. */
typedef struct Driver {
    VirtIOPCIProxy *dev; /* the device the last OP_INIT chose */
    bool legacy;
    Queue q[DRV_QUEUES];
} Driver;

static VirtIOPCIProxy *vdevs[FUZZ_PCI_MAX_DEVS];
static unsigned nvdevs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    FuzzPci *pci = fuzz_pci();

    for (unsigned i = 0; i < pci->ndevs; i++) {
        if (g_str_has_prefix(pci->names[i], "virtio-")) {
            vdevs[nvdevs++] = (VirtIOPCIProxy *)pci->devs[i];
        }
    }
    g_assert_cmpuint(nvdevs, >, 0);
    return 0;
}

/* The device's registers, as the CPU reaches them (little-endian device). */
static uint64_t reg_read(Driver *drv, int bar, hwaddr off, unsigned size)
{
    hwaddr base = fuzz_pci_bar_cpu(&drv->dev->pci, bar);
    uint64_t v = 0;

    if (base != PCI_BAR_UNMAPPED) {
        memory_map_read(base + off, size, false, &v);
    }
    return v;
}

static void reg_write(Driver *drv, int bar, hwaddr off, unsigned size, uint64_t v)
{
    hwaddr base = fuzz_pci_bar_cpu(&drv->dev->pci, bar);

    if (base != PCI_BAR_UNMAPPED) {
        memory_map_write(base + off, size, false, v);
    }
}

static void set_status(Driver *drv, uint8_t status)
{
    if (drv->legacy) {
        reg_write(drv, LEGACY_BAR, LEGACY_STATUS, 1, status);
    } else {
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_STATUS, 1, status);
    }
}

/* Whether the device reads the window at IOVA_BASE (through the TCEs) or where it is. */
static bool via_iommu(Driver *drv)
{
    return virtio_vdev_has_feature(&drv->dev->vdev, VIRTIO_F_ACCESS_PLATFORM);
}

static uint64_t bus_addr(Driver *drv, hwaddr gpa)
{
    return via_iommu(drv) ? IOVA_BASE + (gpa - FUZZ_WINDOW) : gpa;
}

/* Reset, acknowledge, take the offered features the input's mask allows. */
static void op_init(Driver *drv, FuzzInput *in)
{
    uint8_t mode = fuzz_u8(in);
    uint64_t mask = fuzz_u64(in);

    drv->dev = vdevs[(mode & 0xf) % nvdevs];
    drv->legacy = (mode >> 4) & 1;
    memset(drv->q, 0, sizeof(drv->q));
    set_status(drv, 0);
    set_status(drv, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    if (drv->legacy) {
        uint64_t f = reg_read(drv, LEGACY_BAR, LEGACY_HOST_FEATURES, 4);

        reg_write(drv, LEGACY_BAR, LEGACY_GUEST_FEATURES, 4, f & mask);
        return;
    }
    for (uint32_t sel = 0; sel < 2; sel++) {
        uint64_t f;

        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_DFSELECT, 4, sel);
        f = reg_read(drv, MODERN_BAR, MODERN_COMMON + COMMON_DF, 4);
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_GFSELECT, 4, sel);
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_GF, 4, f & (mask >> (32 * sel)));
    }
    if (!(mode & 0x80)) {
        set_status(drv, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                            VIRTIO_CONFIG_S_FEATURES_OK);
    }
}

static unsigned pick_queue(Driver *drv, FuzzInput *in)
{
    uint8_t q = fuzz_u8(in);

    return q < 0xf0 && drv->dev->vdev.nvq ? q % drv->dev->vdev.nvq : q;
}

/* Select, size and place queue q in slot q % NSLOTS, then enable it. */
static void op_queue(Driver *drv, FuzzInput *in)
{
    unsigned q = pick_queue(drv, in);
    uint8_t sz = fuzz_u8(in);
    uint8_t vector = fuzz_u8(in);
    hwaddr slot = FUZZ_WINDOW + (q % NSLOTS) * SLOT_SIZE;
    Queue *s = &drv->q[q % DRV_QUEUES];
    hwaddr avail, used;
    unsigned num;

    if (drv->legacy) {
        reg_write(drv, LEGACY_BAR, LEGACY_QUEUE_SEL, 2, q);
        num = reg_read(drv, LEGACY_BAR, LEGACY_QUEUE_NUM, 2);
    } else {
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_SELECT, 2, q);
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_SIZE, 2, 1u << (sz % 9));
        num = reg_read(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_SIZE, 2);
    }
    avail = slot + 16ull * num;
    used = QEMU_ALIGN_UP(avail + 6 + 2ull * num, 0x1000);
    if (drv->legacy) {
        reg_write(drv, LEGACY_BAR, LEGACY_QUEUE_PFN, 4, slot >> 12);
    } else {
        static const struct {
            hwaddr lo, hi;
        } regs[3] = { { COMMON_Q_DESCLO, COMMON_Q_DESCHI },
                      { COMMON_Q_AVAILLO, COMMON_Q_AVAILHI },
                      { COMMON_Q_USEDLO, COMMON_Q_USEDHI } };
        uint64_t where[3] = { bus_addr(drv, slot), bus_addr(drv, avail), bus_addr(drv, used) };

        for (unsigned i = 0; i < 3; i++) {
            reg_write(drv, MODERN_BAR, MODERN_COMMON + regs[i].lo, 4, (uint32_t)where[i]);
            reg_write(drv, MODERN_BAR, MODERN_COMMON + regs[i].hi, 4, where[i] >> 32);
        }
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_MSIX, 2,
                  vector < 0xf0 ? 0xffff : vector & 0xf);
        reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_ENABLE, 2, 1);
    }
    /* A queue the device sizes at 0 (none, or unsized) is not one to fill. */
    *s = (Queue){ .set = num != 0, .num = num, .desc = slot, .avail = avail };
}

static bool ring_be(Driver *drv)
{
    return virtio_is_big_endian(&drv->dev->vdev);
}

static void put16(Driver *drv, hwaddr a, uint16_t v)
{
    ring_be(drv) ? guest_stw_be(a, v) : guest_stw_le(a, v);
}

static void put32(Driver *drv, hwaddr a, uint32_t v)
{
    ring_be(drv) ? guest_stl_be(a, v) : guest_stl_le(a, v);
}

static void put64(Driver *drv, hwaddr a, uint64_t v)
{
    ring_be(drv) ? guest_stq_be(a, v) : guest_stq_le(a, v);
}

/* A buffer address: in the buffer area or the rings (as the device sees them), or raw. */
static uint64_t pick_buf(Driver *drv, FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);
    uint16_t off = fuzz_u16(in);

    switch (sel % 4) {
    case 0:
    case 1:
        return bus_addr(drv, BUF + off % BUF_SIZE);
    case 2:
        return bus_addr(drv, FUZZ_WINDOW + off % FUZZ_WINDOW_SIZE);
    default:
        return fuzz_u64(in);
    }
}

/* A length: mostly a few bytes to a few KiB, sometimes anything. */
static uint32_t pick_len(FuzzInput *in)
{
    uint16_t l = fuzz_u16(in);

    return l < 0xf000 ? l % 0x2000 : fuzz_u32(in);
}

/*
 * One descriptor: into queue q's table (entry idx), or (kind bit 0) into
 * the buffer area's 16-byte slot idx, where indirect tables go (a
 * descriptor with VRING_DESC_F_INDIRECT and buffer offset 16 * idx points
 * at the table starting there).
 */
static void op_desc(Driver *drv, FuzzInput *in)
{
    uint8_t kind = fuzz_u8(in);
    unsigned q = pick_queue(drv, in) % DRV_QUEUES;
    uint16_t idx = fuzz_u16(in);
    uint64_t addr = pick_buf(drv, in);
    uint32_t len = pick_len(in);
    uint16_t flags = fuzz_u16(in);
    uint16_t next = fuzz_u16(in);
    hwaddr at;

    if (kind & 1) {
        at = BUF + (idx * 16u) % BUF_SIZE;
    } else {
        Queue *s = &drv->q[q];

        if (!s->set) {
            return;
        }
        at = s->desc + 16ull * (idx % s->num);
    }
    put64(drv, at, addr);
    put32(drv, at + 8, len);
    put16(drv, at + 12, flags);
    put16(drv, at + 14, next);
}

/* Offer head (or, kind bit 0, set the ring's index to anything). */
static void op_avail(Driver *drv, FuzzInput *in)
{
    uint8_t kind = fuzz_u8(in);
    Queue *s = &drv->q[pick_queue(drv, in) % DRV_QUEUES];
    uint16_t v = fuzz_u16(in);

    if (!s->set) {
        return;
    }
    if (kind & 1) {
        s->avail_idx = v;
    } else {
        put16(drv, s->avail + 4 + 2ull * (s->avail_idx % s->num), v % (kind & 2 ? 0xffff : s->num));
        s->avail_idx++;
    }
    put16(drv, s->avail, kind >> 7); /* flags: no interrupt wanted */
    put16(drv, s->avail + 2, s->avail_idx);
}

/*
 * What the main loop would do next: disk requests complete (their
 * callbacks write the used ring), then pending sources run.
 */
static void poll_main_loop(unsigned max)
{
    blk_drain_all();
    for (unsigned i = 0; i < max && g_main_context_iteration(NULL, false); i++) {
    }
}

static void op_kick(Driver *drv, FuzzInput *in)
{
    unsigned q = pick_queue(drv, in);

    if (drv->legacy) {
        reg_write(drv, LEGACY_BAR, LEGACY_QUEUE_NOTIFY, 2, q);
    } else {
        reg_write(drv, MODERN_BAR, MODERN_NOTIFY + 4ull * (q & 0x3ff), 2, q);
    }
    poll_main_loop(MAX_POLL);
}

static void op_raw(FuzzInput *in)
{
    uint16_t off = fuzz_u16(in) % FUZZ_WINDOW_SIZE;
    uint8_t want = fuzz_u8(in);
    size_t len;
    const uint8_t *p = fuzz_bytes(in, MIN(want, FUZZ_WINDOW_SIZE - off), &len);

    g_assert_true(guest_write(FUZZ_WINDOW + off, p, len));
}

static void op_config(Driver *drv, FuzzInput *in)
{
    uint8_t kind = fuzz_u8(in);
    uint8_t off = fuzz_u8(in);
    unsigned size = 1u << (kind % 3);
    uint32_t v = fuzz_u32(in);

    if (drv->legacy) {
        if (kind & 8) {
            reg_write(drv, LEGACY_BAR, LEGACY_CONFIG + off, size, v);
        } else {
            reg_read(drv, LEGACY_BAR, LEGACY_CONFIG + off, size);
        }
    } else if (kind & 8) {
        reg_write(drv, MODERN_BAR, MODERN_DEVICE + off, size, v);
    } else {
        reg_read(drv, MODERN_BAR, MODERN_DEVICE + off, size);
    }
}

static uint32_t liobn(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    return sel < 0xf0 ? fuzz_pci()->phb->tcet[0]->liobn : fuzz_u32(in);
}

/* A TCE: a window page with permissions, or raw. */
static uint64_t pick_tce(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel < 0xe0) {
        return (FUZZ_WINDOW + (sel % 16) * SPAPR_TCE_PAGE_SIZE) | (sel >> 4) % 4;
    }
    return fuzz_u64(in);
}

static uint64_t pick_ioba(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    return sel < 0xf0 ? IOVA_BASE + (sel % 32) * SPAPR_TCE_PAGE_SIZE : fuzz_u64(in);
}

static void op_tce(FuzzInput *in)
{
    SpaprMachineState *spapr = fuzz_machine();
    uint8_t kind = fuzz_u8(in);
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };

    args[0] = liobn(in);
    args[1] = pick_ioba(in);

    switch (kind % 3) {
    case 0:
        args[2] = pick_tce(in);
        spapr_hypercall(spapr->cpus[0], H_PUT_TCE, args);
        break;
    case 1: {
        unsigned n = fuzz_u8(in);

        for (unsigned i = 0; i < MIN(n, 32); i++) {
            g_assert_true(guest_stq_be(TCE_LIST + 8 * i, pick_tce(in)));
        }
        args[2] = kind & 0x80 ? fuzz_u64(in) : TCE_LIST;
        args[3] = n;
        spapr_hypercall(spapr->cpus[0], H_PUT_TCE_INDIRECT, args);
        break;
    }
    default:
        args[2] = pick_tce(in);
        args[3] = fuzz_u8(in);
        spapr_hypercall(spapr->cpus[0], H_STUFF_TCE, args);
        break;
    }
}

/* The whole window at IOVA_BASE, read-write, in one H_PUT_TCE_INDIRECT. */
static void op_map_window(void)
{
    SpaprMachineState *spapr = fuzz_machine();
    unsigned n = FUZZ_WINDOW_SIZE / SPAPR_TCE_PAGE_SIZE;
    target_ulong args[SPAPR_HCALL_NARGS] = { fuzz_pci()->phb->tcet[0]->liobn, IOVA_BASE, TCE_LIST,
                                             n };

    for (unsigned i = 0; i < n; i++) {
        g_assert_true(
            guest_stq_be(TCE_LIST + 8 * i, (FUZZ_WINDOW + i * SPAPR_TCE_PAGE_SIZE) | SPAPR_TCE_RW));
    }
    g_assert_cmpuint(spapr_hypercall(spapr->cpus[0], H_PUT_TCE_INDIRECT, args), ==, H_SUCCESS);
}

static void op_queue_reset(Driver *drv, FuzzInput *in)
{
    unsigned q = pick_queue(drv, in);

    if (drv->legacy) {
        return;
    }
    reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_SELECT, 2, q);
    reg_write(drv, MODERN_BAR, MODERN_COMMON + COMMON_Q_RESET, 2, 1);
    drv->q[q % DRV_QUEUES].set = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    Driver drv = { .dev = vdevs[0] };

    fuzz_pci_reset();
    fuzz_pci_map_all();
    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&in); n++) {
        switch (fuzz_u8(&in) % OP_COUNT) {
        case OP_INIT:
            op_init(&drv, &in);
            break;
        case OP_QUEUE:
            op_queue(&drv, &in);
            break;
        case OP_DRIVER_OK:
            set_status(&drv, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                 (drv.legacy ? 0 : VIRTIO_CONFIG_S_FEATURES_OK) |
                                 VIRTIO_CONFIG_S_DRIVER_OK);
            break;
        case OP_DESC:
            op_desc(&drv, &in);
            break;
        case OP_AVAIL:
            op_avail(&drv, &in);
            break;
        case OP_KICK:
            op_kick(&drv, &in);
            break;
        case OP_RAW:
            op_raw(&in);
            break;
        case OP_CONFIG:
            op_config(&drv, &in);
            break;
        case OP_TCE:
            op_tce(&in);
            break;
        case OP_MAP_WINDOW:
            op_map_window();
            break;
        case OP_POLL:
            poll_main_loop(MAX_POLL);
            break;
        case OP_QUEUE_RESET:
            op_queue_reset(&drv, &in);
            break;
        default:
            reg_read(&drv, drv.legacy ? LEGACY_BAR : MODERN_BAR, drv.legacy ? 19 : MODERN_ISR, 1);
            break;
        }
    }
    /* What the input left pending finishes before the reset of the next one. */
    poll_main_loop(MAX_POLL);
    return 0;
}

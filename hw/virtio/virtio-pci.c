/*
 * The virtio PCI transport (virtio 1.0, 4.1): vendor capabilities locating the
 * common, ISR, device and notify structures in BAR 4, the legacy I/O BAR 0,
 * MSI-X in BAR 1 and the INTx fallback, laid out as QEMU 7.2's -pci devices.
 */
#include "hw/virtio/virtio-pci.h"
#include "block/block-backend.h"
#include "exec/guest-memory.h"
#include "hw/qdev-state.h"
#include "qemu/log.h"
#include "qemu/module.h"

/* Vendor capability types (virtio 1.0, 4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* QEMU's modern BAR: four 4 KiB structures, BAR 4, 64-bit and prefetchable. */
#define MODERN_BAR 4
#define MSIX_BAR 1
#define LEGACY_BAR 0
#define MODERN_REGION_SIZE 0x1000
#define MODERN_COMMON 0x0000
#define MODERN_ISR 0x1000
#define MODERN_DEVICE 0x2000
#define MODERN_NOTIFY 0x3000
#define MODERN_BAR_SIZE 0x4000
#define NOTIFY_OFF_MULTIPLIER 4

/* The common configuration structure (virtio 1.0, 4.1.4.3). */
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0c
#define COMMON_MSIX 0x10
#define COMMON_NUMQ 0x12
#define COMMON_STATUS 0x14
#define COMMON_CFGGENERATION 0x15
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_MSIX 0x1a
#define COMMON_Q_ENABLE 0x1c
#define COMMON_Q_NOFF 0x1e
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2c
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34
/* virtio 1.2: the per-queue notification data (not offered: reads 0) and queue_reset. */
#define COMMON_Q_NOTIFY_DATA 0x38
#define COMMON_Q_RESET 0x3a

/* The legacy header in BAR 0 (virtio 0.9.5, 2.1); device config follows at 20, or 24 with MSI-X. */
#define LEGACY_HOST_FEATURES 0
#define LEGACY_GUEST_FEATURES 4
#define LEGACY_QUEUE_PFN 8
#define LEGACY_QUEUE_NUM 12
#define LEGACY_QUEUE_SEL 14
#define LEGACY_QUEUE_NOTIFY 16
#define LEGACY_STATUS 18
#define LEGACY_ISR 19
#define LEGACY_MSI_CONFIG_VECTOR 20
#define LEGACY_MSI_QUEUE_VECTOR 22

static const VirtIOPCIClass *vpci_class(const VirtIOPCIProxy *p)
{
    return (const VirtIOPCIClass *)p->pci.qdev.cls;
}

/* ---- What the core asks of the transport ------------------------------------- */

/*
 * Without VIRTIO_F_ACCESS_PLATFORM the driver hands out guest-physical
 * addresses and the device bypasses the IOMMU (QEMU 7.2 does the same, and
 * Linux then skips its DMA API); with it, DMA goes through the TCE window.
 */
static bool vpci_dma_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    VirtIOPCIProxy *p = opaque;

    if (virtio_vdev_has_feature(&p->vdev, VIRTIO_F_ACCESS_PLATFORM)) {
        return pci_dma_read(&p->pci, addr, buf, len);
    }
    return guest_read(addr, buf, len);
}

static bool vpci_dma_write(void *opaque, uint64_t addr, const void *buf, uint64_t len)
{
    VirtIOPCIProxy *p = opaque;

    if (virtio_vdev_has_feature(&p->vdev, VIRTIO_F_ACCESS_PLATFORM)) {
        return pci_dma_write(&p->pci, addr, buf, len);
    }
    return guest_write(addr, buf, len);
}

/* Without the IOMMU the device may work on guest RAM in place (no bounce copy). */
static void *vpci_dma_map(void *opaque, uint64_t addr, uint64_t len)
{
    VirtIOPCIProxy *p = opaque;

    if (virtio_vdev_has_feature(&p->vdev, VIRTIO_F_ACCESS_PLATFORM)) {
        return NULL;
    }
    return guest_ram_ptr(addr, len);
}

static void vpci_notify(void *opaque, uint16_t vector)
{
    VirtIOPCIProxy *p = opaque;

    if (msix_enabled(&p->pci)) {
        if (vector != VIRTIO_NO_VECTOR) {
            msix_notify(&p->pci, vector);
        }
        return;
    }
    pci_set_irq(&p->pci, p->vdev.isr & 1);
}

static const VirtIOTransportOps vpci_transport_ops = {
    .dma_read = vpci_dma_read,
    .dma_write = vpci_dma_write,
    .map = vpci_dma_map,
    .notify = vpci_notify,
};

/*
 * The driver kicked queue n: the device's block requests reach the host in
 * one batch, and those the host finished at once complete before the vCPU
 * goes on (no trip through the main loop).
 */
static void vpci_queue_notify(VirtIOPCIProxy *p, unsigned n)
{
    blk_io_plug();
    virtio_queue_notify(&p->vdev, n);
    blk_io_unplug();
}

/* The ISR is read-to-clear and deasserts INTx. */
static uint8_t vpci_isr_read(VirtIOPCIProxy *p)
{
    uint8_t v = p->vdev.isr;

    p->vdev.isr = 0;
    pci_set_irq(&p->pci, 0);
    return v;
}

static uint16_t vpci_vector_fix(VirtIOPCIProxy *p, uint16_t v)
{
    /* A vector beyond the table reads back as "no vector" (virtio 1.0, 4.1.5.1.2). */
    return v < p->nvectors ? v : VIRTIO_NO_VECTOR;
}

static void vpci_set_status(VirtIOPCIProxy *p, uint8_t val)
{
    virtio_set_status(&p->vdev, val);
    if (val == 0) {
        p->dfselect = p->gfselect = 0;
        p->guest_features[0] = p->guest_features[1] = 0;
        p->queue_sel = 0;
        pci_set_irq(&p->pci, 0);
    }
}

/* Device configuration: the bytes in the device's order, as the bus sees them. */
static uint64_t vpci_config_read(VirtIOPCIProxy *p, uint32_t off, unsigned size)
{
    VirtIODevice *vdev = &p->vdev;
    uint64_t v = 0;

    if (vdev->get_config) {
        vdev->get_config(vdev);
    }
    if (off + size > vdev->config_len) {
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)vdev->config[off + i] << (8 * i);
    }
    return v;
}

static void vpci_config_write(VirtIOPCIProxy *p, uint32_t off, uint64_t val, unsigned size)
{
    VirtIODevice *vdev = &p->vdev;

    if (off + size > vdev->config_len) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        vdev->config[off + i] = val >> (8 * i);
    }
    if (vdev->set_config) {
        vdev->set_config(vdev, off, size);
    }
}

/* ---- The modern BAR ------------------------------------------------------------ */

static uint64_t common_read(VirtIOPCIProxy *p, hwaddr off)
{
    VirtIODevice *vdev = &p->vdev;
    VirtQueue *vq = p->queue_sel < vdev->nvq ? &vdev->vq[p->queue_sel] : NULL;

    switch (off) {
    case COMMON_DFSELECT:
        return p->dfselect;
    case COMMON_DF:
        return p->dfselect < 2 ? (uint32_t)(vdev->host_features >> (32 * p->dfselect)) : 0;
    case COMMON_GFSELECT:
        return p->gfselect;
    case COMMON_GF:
        return p->gfselect < 2 ? p->guest_features[p->gfselect] : 0;
    case COMMON_MSIX:
        return vdev->config_vector;
    case COMMON_NUMQ:
        return vdev->nvq;
    case COMMON_STATUS:
        return vdev->status;
    case COMMON_CFGGENERATION:
        return vdev->generation;
    case COMMON_Q_SELECT:
        return p->queue_sel;
    case COMMON_Q_SIZE:
        return vq ? vq->num : 0;
    case COMMON_Q_MSIX:
        return vq ? vq->vector : VIRTIO_NO_VECTOR;
    case COMMON_Q_ENABLE:
        return vq ? vq->enabled : 0;
    case COMMON_Q_NOFF:
        return p->queue_sel; /* notify at queue * NOTIFY_OFF_MULTIPLIER */
    case COMMON_Q_DESCLO:
        return vq ? (uint32_t)vq->desc : 0;
    case COMMON_Q_DESCHI:
        return vq ? vq->desc >> 32 : 0;
    case COMMON_Q_AVAILLO:
        return vq ? (uint32_t)vq->avail : 0;
    case COMMON_Q_AVAILHI:
        return vq ? vq->avail >> 32 : 0;
    case COMMON_Q_USEDLO:
        return vq ? (uint32_t)vq->used : 0;
    case COMMON_Q_USEDHI:
        return vq ? vq->used >> 32 : 0;
    case COMMON_Q_RESET:
        /* The reset is done by the time the write returns: the driver reads 0 at once. */
        return 0;
    }
    return 0;
}

static void set_lo(uint64_t *r, uint64_t v)
{
    *r = (*r & ~0xffffffffull) | (uint32_t)v;
}

static void set_hi(uint64_t *r, uint64_t v)
{
    *r = (*r & 0xffffffffull) | v << 32;
}

static void common_write(VirtIOPCIProxy *p, hwaddr off, uint64_t val)
{
    VirtIODevice *vdev = &p->vdev;
    VirtQueue *vq = p->queue_sel < vdev->nvq ? &vdev->vq[p->queue_sel] : NULL;

    switch (off) {
    case COMMON_DFSELECT:
        p->dfselect = val;
        return;
    case COMMON_GFSELECT:
        p->gfselect = val;
        return;
    case COMMON_GF:
        if (p->gfselect < 2) {
            p->guest_features[p->gfselect] = val;
            virtio_set_features(vdev, (uint64_t)p->guest_features[1] << 32 | p->guest_features[0]);
        }
        return;
    case COMMON_MSIX:
        vdev->config_vector = vpci_vector_fix(p, val);
        return;
    case COMMON_STATUS:
        vpci_set_status(p, val);
        return;
    case COMMON_Q_SELECT:
        p->queue_sel = val;
        return;
    }
    /* The queue's size and addresses are fixed once it is enabled. */
    if (!vq) {
        return;
    }
    switch (off) {
    case COMMON_Q_MSIX:
        vq->vector = vpci_vector_fix(p, val);
        return;
    case COMMON_Q_ENABLE:
        if (val == 1) {
            vq->enabled = true;
        }
        return;
    case COMMON_Q_RESET:
        if (val == 1 && virtio_vdev_has_feature(vdev, VIRTIO_F_RING_RESET)) {
            virtio_queue_reset(vdev, p->queue_sel);
        }
        return;
    }
    if (vq->enabled) {
        return;
    }
    switch (off) {
    case COMMON_Q_SIZE:
        if (val && val <= vq->num_max) {
            vq->num = val;
        }
        return;
    case COMMON_Q_DESCLO:
        set_lo(&vq->desc, val);
        return;
    case COMMON_Q_DESCHI:
        set_hi(&vq->desc, val);
        return;
    case COMMON_Q_AVAILLO:
        set_lo(&vq->avail, val);
        return;
    case COMMON_Q_AVAILHI:
        set_hi(&vq->avail, val);
        return;
    case COMMON_Q_USEDLO:
        set_lo(&vq->used, val);
        return;
    case COMMON_Q_USEDHI:
        set_hi(&vq->used, val);
        return;
    }
}

/* Width of each common field: other sizes read 0 and are ignored. */
static unsigned common_width(hwaddr off)
{
    if (off < COMMON_MSIX) {
        return 4;
    }
    if (off == COMMON_STATUS || off == COMMON_CFGGENERATION) {
        return 1;
    }
    if (off < COMMON_Q_DESCLO || off >= COMMON_Q_NOTIFY_DATA) {
        return 2;
    }
    return 4;
}

static uint64_t modern_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    hwaddr off = addr % MODERN_REGION_SIZE;

    switch (addr - off) {
    case MODERN_COMMON:
        return off <= COMMON_Q_RESET && common_width(off) == size ? common_read(p, off) : 0;
    case MODERN_ISR:
        return off == 0 && size == 1 ? vpci_isr_read(p) : 0;
    case MODERN_DEVICE:
        return vpci_config_read(p, off, size);
    }
    return 0;
}

static void modern_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    hwaddr off = addr % MODERN_REGION_SIZE;

    switch (addr - off) {
    case MODERN_COMMON:
        if (off <= COMMON_Q_RESET && common_width(off) == size) {
            common_write(p, off, val);
        }
        return;
    case MODERN_DEVICE:
        vpci_config_write(p, off, val, size);
        return;
    case MODERN_NOTIFY:
        vpci_queue_notify(p, off / NOTIFY_OFF_MULTIPLIER);
        return;
    }
}

static const MemoryRegionOps modern_ops = {
    .read = modern_read,
    .write = modern_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .min_access_size = 1,
    .max_access_size = 4,
};

/* ---- The legacy I/O BAR --------------------------------------------------------- */

static unsigned legacy_header_size(VirtIOPCIProxy *p)
{
    return msix_enabled(&p->pci) ? 24 : 20;
}

static uint64_t legacy_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = &p->vdev;
    VirtQueue *vq = p->queue_sel < vdev->nvq ? &vdev->vq[p->queue_sel] : NULL;
    unsigned hdr = legacy_header_size(p);

    if (addr >= hdr) {
        return vpci_config_read(p, addr - hdr, size);
    }
    switch (addr) {
    case LEGACY_HOST_FEATURES:
        return size == 4 ? (uint32_t)vdev->host_features | 1u << VIRTIO_F_BAD_FEATURE : 0;
    case LEGACY_GUEST_FEATURES:
        return size == 4 ? (uint32_t)vdev->guest_features : 0;
    case LEGACY_QUEUE_PFN:
        return size == 4 && vq ? vq->desc >> 12 : 0;
    case LEGACY_QUEUE_NUM:
        return size == 2 && vq ? vq->num : 0;
    case LEGACY_QUEUE_SEL:
        return size == 2 ? p->queue_sel : 0;
    case LEGACY_STATUS:
        return size == 1 ? vdev->status : 0;
    case LEGACY_ISR:
        return size == 1 ? vpci_isr_read(p) : 0;
    case LEGACY_MSI_CONFIG_VECTOR:
        return size == 2 ? vdev->config_vector : 0;
    case LEGACY_MSI_QUEUE_VECTOR:
        return size == 2 && vq ? vq->vector : VIRTIO_NO_VECTOR;
    }
    return 0;
}

static void legacy_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = &p->vdev;
    VirtQueue *vq = p->queue_sel < vdev->nvq ? &vdev->vq[p->queue_sel] : NULL;
    unsigned hdr = legacy_header_size(p);

    if (addr >= hdr) {
        vpci_config_write(p, addr - hdr, val, size);
        return;
    }
    switch (addr) {
    case LEGACY_GUEST_FEATURES:
        if (size == 4) {
            virtio_set_features(vdev, (uint32_t)val);
        }
        return;
    case LEGACY_QUEUE_PFN:
        if (size != 4) {
            return;
        }
        if (val == 0) {
            /* Writing 0 is the legacy driver's reset. */
            vpci_set_status(p, 0);
        } else if (vq) {
            virtio_queue_set_legacy_pfn(vq, val);
        }
        return;
    case LEGACY_QUEUE_SEL:
        if (size == 2) {
            p->queue_sel = val;
        }
        return;
    case LEGACY_QUEUE_NOTIFY:
        if (size == 2) {
            vpci_queue_notify(p, val);
        }
        return;
    case LEGACY_STATUS:
        if (size == 1) {
            vpci_set_status(p, val);
        }
        return;
    case LEGACY_MSI_CONFIG_VECTOR:
        if (size == 2) {
            vdev->config_vector = vpci_vector_fix(p, val);
        }
        return;
    case LEGACY_MSI_QUEUE_VECTOR:
        if (size == 2 && vq) {
            vq->vector = vpci_vector_fix(p, val);
        }
        return;
    }
}

static const MemoryRegionOps legacy_ops = {
    .read = legacy_read,
    .write = legacy_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .min_access_size = 1,
    .max_access_size = 4,
};

/* ---- Capabilities and the PCI device --------------------------------------------- */

static bool add_vendor_cap(VirtIOPCIProxy *p, uint8_t type, uint32_t offset, uint32_t length,
                           unsigned cap_len, uint8_t *at, Error **errp)
{
    uint8_t *c;
    uint8_t pos = pci_add_capability(&p->pci, PCI_CAP_ID_VNDR, 0, cap_len, errp);

    if (!pos) {
        return false;
    }
    c = p->pci.config + pos;
    c[2] = cap_len;
    c[3] = type;
    c[4] = type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : MODERN_BAR;
    pci_set_long(c + 8, offset);
    pci_set_long(c + 12, length);
    if (at) {
        *at = pos;
    }
    return true;
}

/* The common feature switches (any_layout=off...) take their bit out of the offer. */
static void vpci_feature_switches(VirtIOPCIProxy *p)
{
    static const struct {
        size_t offset;
        unsigned bit;
    } switches[] = {
        { offsetof(VirtIOPCIProxy, any_layout), VIRTIO_F_ANY_LAYOUT },
        { offsetof(VirtIOPCIProxy, event_idx), VIRTIO_RING_F_EVENT_IDX },
        { offsetof(VirtIOPCIProxy, indirect_desc), VIRTIO_RING_F_INDIRECT_DESC },
        { offsetof(VirtIOPCIProxy, notify_on_empty), VIRTIO_F_NOTIFY_ON_EMPTY },
        { offsetof(VirtIOPCIProxy, queue_reset), VIRTIO_F_RING_RESET },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(switches); i++) {
        if (!*(bool *)((char *)p + switches[i].offset)) {
            p->vdev.host_features &= ~(1ull << switches[i].bit);
        }
    }
}
static bool virtio_pci_realize(PCIDevice *dev, Error **errp)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)dev;
    const VirtIOPCIClass *k = vpci_class(p);
    VirtIODevice *vdev = &p->vdev;
    const char *dl = p->disable_legacy ? p->disable_legacy : "auto";
    uint8_t pos;

    if (k->variant == VIRTIO_PCI_TRANSITIONAL) {
        p->legacy = true;
        p->disable_modern = false;
    } else if (k->variant == VIRTIO_PCI_NON_TRANSITIONAL) {
        p->legacy = false;
        p->disable_modern = false;
    } else if (!strcmp(dl, "on")) {
        p->legacy = false;
    } else if (!strcmp(dl, "off") || !strcmp(dl, "auto")) {
        p->legacy = true; /* auto: the PHB is a conventional PCI bus */
    } else {
        error_setg(errp, "Parameter 'disable-legacy' does not accept value '%s'", dl);
        return false;
    }
    p->modern = !p->disable_modern;
    if (!p->legacy && !p->modern) {
        error_setg(errp, "device cannot work as neither modern nor legacy mode is enabled");
        error_append_hint(errp, "Set either disable-modern or disable-legacy to off\n");
        return false;
    }
    vdev->tops = &vpci_transport_ops;
    vdev->topaque = p;
    if (!k->vdev_realize(p, errp)) {
        /* What virtio_init allocated before the device's own check failed. */
        virtio_cleanup(vdev);
        return false;
    }
    if (p->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        p->nvectors = 2;
    }
    if (p->iommu_platform) {
        vdev->host_features |= 1ull << VIRTIO_F_ACCESS_PLATFORM;
    }
    vpci_feature_switches(p);
    if (!p->modern) {
        vdev->host_features &= ~(1ull << VIRTIO_F_VERSION_1);
    }
    /* Legacy drivers on this machine were big-endian until they say otherwise. */
    vdev->legacy_big_endian = true;

    dev->config[PCI_INTERRUPT_PIN] = 1;
    if (p->legacy) {
        pci_set_word(dev->config + PCI_DEVICE_ID, k->legacy_device_id);
        pci_set_word(dev->config + PCI_SUBSYSTEM_ID, k->virtio_id);
        dev->config[PCI_REVISION_ID] = 0;
    } else {
        pci_set_word(dev->config + PCI_DEVICE_ID, PCI_DEVICE_ID_VIRTIO_10_BASE + k->virtio_id);
        dev->config[PCI_REVISION_ID] = 1;
    }
    if (p->modern) {
        uint8_t *c;

        if (!add_vendor_cap(p, VIRTIO_PCI_CAP_COMMON_CFG, MODERN_COMMON, MODERN_REGION_SIZE, 16,
                            NULL, errp) ||
            !add_vendor_cap(p, VIRTIO_PCI_CAP_ISR_CFG, MODERN_ISR, MODERN_REGION_SIZE, 16, NULL,
                            errp) ||
            !add_vendor_cap(p, VIRTIO_PCI_CAP_DEVICE_CFG, MODERN_DEVICE, MODERN_REGION_SIZE, 16,
                            NULL, errp) ||
            !add_vendor_cap(p, VIRTIO_PCI_CAP_NOTIFY_CFG, MODERN_NOTIFY, MODERN_REGION_SIZE, 20,
                            &pos, errp)) {
            goto fail;
        }
        pci_set_long(dev->config + pos + 16, NOTIFY_OFF_MULTIPLIER);
        /* The PCI configuration access structure: bar, offset and length are the driver's. */
        if (!add_vendor_cap(p, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 20, &pos, errp)) {
            goto fail;
        }
        c = dev->wmask + pos;
        c[4] = 0xff;
        memset(c + 8, 0xff, 12);
        pci_register_bar(dev, MODERN_BAR,
                         PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_TYPE_64 |
                             PCI_BASE_ADDRESS_MEM_PREFETCH,
                         MODERN_BAR_SIZE, &modern_ops, p);
    }
    if (p->nvectors) {
        if (!msix_init_exclusive_bar(dev, p->nvectors, MSIX_BAR, errp)) {
            goto fail;
        }
    }
    if (p->legacy) {
        uint64_t size = (p->nvectors ? 24 : 20) + vdev->config_len, bar = 4;

        while (bar < size) {
            bar *= 2;
        }
        pci_register_bar(dev, LEGACY_BAR, PCI_BASE_ADDRESS_SPACE_IO, bar, &legacy_ops, p);
    }
    return true;

fail:
    if (k->vdev_unrealize) {
        k->vdev_unrealize(p);
    }
    virtio_cleanup(vdev);
    return false;
}

static void virtio_pci_exit(PCIDevice *dev)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)dev;
    const VirtIOPCIClass *k = vpci_class(p);

    if (k->vdev_unrealize) {
        k->vdev_unrealize(p);
    }
    virtio_cleanup(&p->vdev);
}

static void virtio_pci_reset(PCIDevice *dev)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)dev;

    vpci_set_status(p, 0);
}

/* ---- Migration ------------------------------------------------------------------ */

static const VMStateField vmstate_virtio_pci_fields[] = {
    VMSTATE_STRUCT(pci, VirtIOPCIProxy, vmstate_pci_device, PCIDevice),
    VMSTATE_STRUCT(vdev, VirtIOPCIProxy, vmstate_virtio, VirtIODevice),
    VMSTATE_UINT32(dfselect, VirtIOPCIProxy),
    VMSTATE_UINT32(gfselect, VirtIOPCIProxy),
    VMSTATE_UINT32_ARRAY(guest_features, VirtIOPCIProxy, 2),
    VMSTATE_UINT16(queue_sel, VirtIOPCIProxy),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_virtio_pci = {
    .name = "virtio-pci",
    .version_id = 1,
    .fields = vmstate_virtio_pci_fields,
};

bool virtio_pci_check_loaded(VirtIOPCIProxy *p, Error **errp)
{
    if (p->queue_sel >= VIRTIO_QUEUE_MAX) {
        error_setg(errp, "%s: queue_select %u", p->vdev.name, p->queue_sel);
        return false;
    }
    return virtio_check_loaded(&p->vdev, errp);
}

void virtio_pci_post_load(VirtIOPCIProxy *p)
{
    virtio_post_load(&p->vdev);
    pci_device_post_load(&p->pci, NULL);
}

bool virtio_pci_plain_post_load(DeviceState *dev, Error **errp)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)dev;

    if (!virtio_pci_check_loaded(p, errp)) {
        return false;
    }
    virtio_pci_post_load(p);
    return true;
}

/* What every virtio PCI type has (QEMU 7.2's "virtio-pci"). */
static const Property virtio_pci_base_props[] = {
    DEFINE_PROP_BOOL("any_layout", VirtIOPCIProxy, any_layout, true),
    DEFINE_PROP_BOOL("event_idx", VirtIOPCIProxy, event_idx, true),
    DEFINE_PROP_BOOL("indirect_desc", VirtIOPCIProxy, indirect_desc, true),
    DEFINE_PROP_BOOL("iommu_platform", VirtIOPCIProxy, iommu_platform, false),
    DEFINE_PROP_BOOL("notify_on_empty", VirtIOPCIProxy, notify_on_empty, true),
    DEFINE_PROP_BOOL("queue_reset", VirtIOPCIProxy, queue_reset, true),
    DEFINE_PROP_UINT32("vectors", VirtIOPCIProxy, nvectors, DEV_NVECTORS_UNSPECIFIED),
    DEFINE_PROP_END_OF_LIST(),
};

static const VirtIOPCIClass virtio_pci_base_class = {
    .parent = {
        .parent = {
            .name = "virtio-pci",
            .parent = &pci_device_class.parent,
            .abstract = true,
            .instance_size = sizeof(VirtIOPCIProxy),
            .props = virtio_pci_base_props,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .realize = virtio_pci_realize,
        .exit = virtio_pci_exit,
        .reset = virtio_pci_reset,
    },
};

/* Only the generic types choose their interfaces; the variants have them fixed. */
static const Property virtio_pci_props[] = {
    /* on, off or auto (QEMU's OnOffAuto), kept as given. */
    { .name = "disable-legacy",
      .type = PROP_TYPE_STR,
      .offset = QDEV_PROP_OFFSET(VirtIOPCIProxy, disable_legacy, char *),
      .type_name = "OnOffAuto" },
    DEFINE_PROP_BOOL("disable-modern", VirtIOPCIProxy, disable_modern, false),
    DEFINE_PROP_END_OF_LIST(),
};

const VirtIOPCIClass virtio_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-pci-generic",
            .parent = &virtio_pci_base_class.parent.parent,
            .abstract = true,
            .props = virtio_pci_props,
        },
    },
};

/* The generic types that QEMU 7.2 also offers as "-transitional" and "-non-transitional". */
static const char *const variant_bases[] = {
    "virtio-blk-pci", "virtio-net-pci",    "virtio-scsi-pci",
    "virtio-rng-pci", "virtio-serial-pci", "virtio-balloon-pci",
};

/*
 * A variant is the generic type under another name, its parent the base type
 * (so without disable-legacy/disable-modern), its interfaces fixed.
 */
static void virtio_pci_register_variant(const VirtIOPCIClass *generic, uint8_t variant)
{
    VirtIOPCIClass *k = g_memdup2(generic, sizeof(*generic));
    DeviceClass *dc = &k->parent.parent;

    dc->name =
        g_strdup_printf("%s%s", generic->parent.parent.name,
                        variant == VIRTIO_PCI_TRANSITIONAL ? "-transitional" : "-non-transitional");
    dc->parent = &virtio_pci_base_class.parent.parent;
    dc->alias = NULL;
    dc->desc = NULL;
    k->variant = variant;
    qdev_register_type(dc);
}

/* Runs after every device type has registered (module_call_init runs late additions last). */
static void virtio_pci_register_variants(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(variant_bases); i++) {
        const DeviceClass *dc = qdev_find_type(variant_bases[i]);

        if (dc && dc->parent == &virtio_pci_class.parent.parent) {
            virtio_pci_register_variant((const VirtIOPCIClass *)dc, VIRTIO_PCI_TRANSITIONAL);
            virtio_pci_register_variant((const VirtIOPCIClass *)dc, VIRTIO_PCI_NON_TRANSITIONAL);
        }
    }
}

static void virtio_pci_register(void)
{
    qdev_register_type(&virtio_pci_base_class.parent.parent);
    qdev_register_type(&virtio_pci_class.parent.parent);
    register_module_init(virtio_pci_register_variants);
}

module_init(virtio_pci_register)

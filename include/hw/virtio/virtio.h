/*
 * The virtio core (virtio 1.0 and legacy 0.9.5): feature bits, device status,
 * split virtqueues read and written through the transport's DMA, interrupts.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "hw/qdev-core.h"

/* Device status bits (virtio 1.0, 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x01
#define VIRTIO_CONFIG_S_DRIVER 0x02
#define VIRTIO_CONFIG_S_DRIVER_OK 0x04
#define VIRTIO_CONFIG_S_FEATURES_OK 0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED 0x80

/* Transport-independent feature bits (virtio 1.0, 6; legacy ones from 0.9.5). */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VIRTIO_F_BAD_FEATURE 30
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
/* Queues reset one at a time (virtio 1.2, 6; the PCI common configuration's queue_reset). */
#define VIRTIO_F_RING_RESET 40

/* Descriptor flags and ring flags (virtio 1.0, 2.4.5 to 2.4.8). */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* ISR status bits. */
#define VIRTIO_ISR_QUEUE 0x1
#define VIRTIO_ISR_CONFIG 0x2

#define VIRTIO_NO_VECTOR 0xffff
#define VIRTQUEUE_MAX_SIZE 1024
#define VIRTIO_QUEUE_MAX 1024

/* Virtio device ids (virtio 1.0, 5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_BALLOON 5
#define VIRTIO_ID_SCSI 8

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/* The driver notified queue vq. */
typedef void VirtIOHandleOutput(VirtIODevice *vdev, VirtQueue *vq);

struct VirtQueue {
    VirtIODevice *vdev;
    unsigned index;
    uint16_t num;     /* ring size in use (0: the queue does not exist) */
    uint16_t num_max; /* the device's size, and the reset value of num */
    uint64_t desc, avail, used;
    bool enabled; /* modern queue_enable */
    uint16_t vector;
    uint16_t last_avail_idx; /* the next avail entry the device takes */
    uint16_t used_idx;       /* the device's copy of used->idx */
    uint16_t signalled_used; /* used->idx at the last interrupt (event index) */
    bool signalled_used_valid;
    unsigned inuse;       /* elements popped and not pushed */
    uint32_t reset_count; /* resets so far: an element popped before one is not pushed */
    VirtIOHandleOutput *handle;
    uint64_t max_bytes; /* the longest chain taken; longer ones break the device */
};

/* One guest buffer of a chain, as a bus address and length. */
typedef struct VirtQueueSeg {
    uint64_t addr;
    uint32_t len;
} VirtQueueSeg;

/*
 * A chain taken from the avail ring: the device-readable ("out") segments
 * first, then the device-writable ("in") ones.
 */
typedef struct VirtQueueElement {
    unsigned index; /* the head descriptor, returned in the used ring */
    unsigned out_num, in_num;
    uint64_t out_len, in_len; /* total bytes of each side */
    VirtQueueSeg *out_sg, *in_sg;
    uint32_t reset_count; /* the queue's, when popped */
} VirtQueueElement;

/* What the transport gives the core: DMA to guest memory and the interrupt. */
typedef struct VirtIOTransportOps {
    bool (*dma_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    bool (*dma_write)(void *opaque, uint64_t addr, const void *buf, uint64_t len);
    /*
     * Optional: a host pointer to len bytes of guest memory at addr the device
     * may read or write in place (until it returns the element), or NULL when
     * that range must go through dma_read/dma_write (an IOMMU, not RAM).  A
     * device that writes through it reports the range (guest_ram_note_write).
     */
    void *(*map)(void *opaque, uint64_t addr, uint64_t len);
    /* Signal vector (VIRTIO_NO_VECTOR: the transport's shared line); isr is set. */
    void (*notify)(void *opaque, uint16_t vector);
} VirtIOTransportOps;

/* The device side: configuration space and hooks of one virtio device type. */
struct VirtIODevice {
    const char *name; /* "virtio-blk", for log lines */
    uint16_t device_id;
    uint64_t host_features;
    uint64_t guest_features;
    uint8_t status;
    uint8_t isr;
    uint8_t generation;
    bool broken;            /* a malformed ring was seen: no request is taken until reset */
    bool legacy_big_endian; /* legacy interface: the guest's byte order at reset */
    uint16_t config_vector;
    uint32_t config_len;
    uint8_t *config; /* device-specific configuration, in the device's byte order */
    unsigned nvq;
    VirtQueue vq[VIRTIO_QUEUE_MAX];
    const VirtIOTransportOps *tops;
    void *topaque;
    /* Optional hooks of the device type. */
    void (*reset)(VirtIODevice *vdev);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    /* Refresh config before a driver read; see a driver write at offset. */
    void (*get_config)(VirtIODevice *vdev);
    void (*set_config)(VirtIODevice *vdev, uint32_t offset, unsigned len);
    /* Queue n is about to be reset alone: drop what the device holds of it. */
    void (*queue_reset)(VirtIODevice *vdev, unsigned n);
};

/* Set up vdev (zeroed by the caller) with config_len bytes of configuration. */
void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id, uint32_t config_len);
void virtio_cleanup(VirtIODevice *vdev);
/* A queue of queue_size entries (a power of two) serviced by handle. */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size, VirtIOHandleOutput *handle);
/* Chains describing more bytes than max break the device (256 MiB unless set). */
void virtio_queue_set_max_bytes(VirtQueue *vq, uint64_t max);
void virtio_reset(VirtIODevice *vdev);
/*
 * The driver reset queue n alone (VIRTIO_F_RING_RESET): the device lets go
 * of it, and the queue is as after a device reset (disabled, size and
 * addresses back to their defaults) until the driver enables it again.
 */
void virtio_queue_reset(VirtIODevice *vdev, unsigned n);
void virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* The driver's features: those the device does not offer are dropped. */
void virtio_set_features(VirtIODevice *vdev, uint64_t val);

static inline bool virtio_has_feature(uint64_t features, unsigned bit)
{
    return (features >> bit) & 1;
}
static inline bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return virtio_has_feature(vdev->guest_features, bit);
}
/* Fields in rings and configuration: little-endian unless a legacy big-endian guest. */
bool virtio_is_big_endian(const VirtIODevice *vdev);
void virtio_stw_p(VirtIODevice *vdev, void *p, uint16_t v);
void virtio_stl_p(VirtIODevice *vdev, void *p, uint32_t v);
void virtio_stq_p(VirtIODevice *vdev, void *p, uint64_t v);
uint16_t virtio_lduw_p(VirtIODevice *vdev, const void *p);
uint32_t virtio_ldl_p(VirtIODevice *vdev, const void *p);
uint64_t virtio_ldq_p(VirtIODevice *vdev, const void *p);

/*
 * The driver broke the rules (a malformed ring, a bad address): one log line,
 * the device stops taking requests, and a virtio 1.0 driver sees NEEDS_RESET.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Legacy queue placement: the ring at pfn * 4096 with 4096-byte alignment. */
void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn);
/* The queue is usable (size and addresses set). */
bool virtio_queue_ready(const VirtQueue *vq);
/* The driver kicked queue n. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);

/*
 * Take the next chain: an element of elem_size bytes (at least
 * sizeof(VirtQueueElement), the element first) to free with
 * virtqueue_elem_free, or NULL when the ring is empty or the device broken.
 */
void *virtqueue_pop(VirtQueue *vq, size_t elem_size);
void virtqueue_elem_free(VirtQueueElement *elem);
/* Copy between the element's segments (from byte off of its side) and buf: false after virtio_error. */
bool virtqueue_elem_read(VirtQueue *vq, const VirtQueueElement *elem, uint64_t off, void *buf,
                         uint64_t len);
bool virtqueue_elem_write(VirtQueue *vq, const VirtQueueElement *elem, uint64_t off,
                          const void *buf, uint64_t len);
/* Return elem with len bytes written to the used ring (elem is not freed). */
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len);
/*
 * Several elements published at once (a frame spread over merged receive
 * buffers): virtqueue_fill writes the idx-th used entry after the published
 * ones, virtqueue_flush then makes count entries visible to the driver.
 */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len, unsigned idx);
void virtqueue_flush(VirtQueue *vq, unsigned count);
/* Give back the last count popped elements (not used): the next pops return them again. */
void virtqueue_unpop(VirtQueue *vq, unsigned count);
/* No chain waiting in the avail ring (or the queue is not usable). */
bool virtqueue_empty(VirtQueue *vq);
/* Interrupt the driver for vq unless it suppressed it (flags or event index). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
void virtio_notify_config(VirtIODevice *vdev);

/*
 * Migration: the device's status, features, configuration and queues.  A
 * transport includes vmstate_virtio in its table (VMSTATE_STRUCT); its
 * post_load checks with virtio_check_loaded (nothing changed on refusal),
 * then calls virtio_post_load, which rebuilds what the device derives from
 * its features and makes the chains the source held pending again.
 */
extern const VMStateDescription vmstate_virtio;
bool virtio_check_loaded(VirtIODevice *vdev, Error **errp);
void virtio_post_load(VirtIODevice *vdev);

#endif

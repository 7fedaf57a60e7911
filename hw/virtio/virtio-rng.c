/*
 * virtio-rng-pci (virtio 1.0, 5.4): one queue the driver fills with writable
 * buffers, answered with the host's random bytes: getrandom, or the file of
 * the rng-random object named by rng=.
 */
#include "hw/qdev-state.h"
#include "hw/virtio/virtio-pci.h"
#include "qemu/module.h"
#include "qom/user-creatable.h"
#include <fcntl.h>
#include <sys/random.h>

#define RNG_QUEUE_SIZE 8
#define RNG_CHUNK 4096

typedef struct VirtIORngPCI {
    VirtIOPCIProxy proxy;
    uint64_t max_bytes; /* property: bytes per period (QEMU's default: unlimited) */
    uint32_t period_ms;
    int64_t period_start_us;
    uint64_t quota;
    char *rng;  /* property: id of an rng-random/rng-builtin object */
    int rng_fd; /* a duplicate of the rng-random's source, or -1: getrandom */
} VirtIORngPCI;

/* Random bytes into buf: how many the source had (it may have fewer). */
static size_t rng_fill(VirtIORngPCI *s, uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = s->rng_fd >= 0 ? read(s->rng_fd, buf + done, len - done)
                                   : getrandom(buf + done, len - done, 0);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; /* drained (EAGAIN) or broken: the guest gets what there is */
        }
        done += n;
    }
    return done;
}

/* The bytes the rate limit still allows now (max-bytes per period). */
static uint64_t rng_quota(VirtIORngPCI *s)
{
    int64_t now = g_get_monotonic_time();

    if (now - s->period_start_us >= (int64_t)s->period_ms * 1000) {
        s->period_start_us = now;
        s->quota = s->max_bytes;
    }
    return s->quota;
}

static void rng_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIORngPCI *s = (VirtIORngPCI *)virtio_pci_proxy(vdev);
    VirtQueueElement *e;
    bool pushed = false;
    uint8_t buf[RNG_CHUNK];

    while (rng_quota(s) && (e = virtqueue_pop(vq, sizeof(*e)))) {
        uint64_t len = MIN(MIN(e->in_len, sizeof(buf)), s->quota);

        len = rng_fill(s, buf, len);
        if (!virtqueue_elem_write(vq, e, 0, buf, len)) {
            virtqueue_elem_free(e);
            return;
        }
        s->quota -= len;
        virtqueue_push(vq, e, len);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static bool rng_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIORngPCI *s = (VirtIORngPCI *)p;

    s->rng_fd = -1;
    if (s->period_ms == 0) {
        error_setg(errp, "'period' parameter expects a positive integer");
        return false;
    }
    if ((int64_t)s->max_bytes < 0) {
        error_setg(errp, "'max-bytes' parameter must be non-negative, and less than 2^63");
        return false;
    }
    if (s->rng) {
        const char *type = user_creatable_type(s->rng);

        if (!type) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", s->rng);
            return false;
        }
        if (strcmp(type, "rng-random") && strcmp(type, "rng-builtin")) {
            error_setg(errp, "Invalid parameter type for 'rng', expected: rng-backend");
            return false;
        }
        /* Its own copy: object-del may close the object's descriptor. */
        if (!strcmp(type, "rng-random") &&
            (s->rng_fd = fcntl(rng_random_fd(s->rng), F_DUPFD_CLOEXEC, 0)) < 0) {
            error_setg(errp, "Could not use '%s': %s", s->rng, g_strerror(errno));
            return false;
        }
    }
    s->quota = s->max_bytes;
    s->period_start_us = g_get_monotonic_time();
    virtio_init(&p->vdev, "virtio-rng", VIRTIO_ID_RNG, 0);
    virtio_add_queue(&p->vdev, RNG_QUEUE_SIZE, rng_handle_output);
    return true;
}

static void rng_vdev_unrealize(VirtIOPCIProxy *p)
{
    VirtIORngPCI *s = (VirtIORngPCI *)p;

    if (s->rng_fd >= 0) {
        close(s->rng_fd);
        s->rng_fd = -1;
    }
}

static const Property virtio_rng_props[] = {
    DEFINE_PROP_UINT64("max-bytes", VirtIORngPCI, max_bytes, INT64_MAX),
    DEFINE_PROP_UINT32("period", VirtIORngPCI, period_ms, 1 << 16),
    /* The id of an rng-random or rng-builtin object (QEMU's link to it). */
    { .name = "rng",
      .type = PROP_TYPE_STR,
      .offset = QDEV_PROP_OFFSET(VirtIORngPCI, rng, char *),
      .type_name = "link<rng-backend>" },
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Migration: the transport and the queue.  The rate limit's period starts
 * again on the destination (QEMU does not migrate it either).
 */
static const VMStateField vmstate_virtio_rng_fields[] = {
    VMSTATE_STRUCT(proxy, VirtIORngPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_rng = {
    .name = "virtio-rng",
    .version_id = 1,
    .fields = vmstate_virtio_rng_fields,
    .post_load = virtio_pci_plain_post_load,
};

static const VirtIOPCIClass virtio_rng_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-rng-pci",
            .alias = "virtio-rng",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_MISC,
            .instance_size = sizeof(VirtIORngPCI),
            .props = virtio_rng_props,
            .vmsd = &vmstate_virtio_rng,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_RNG,
        .class_id = PCI_CLASS_OTHERS,
    },
    .virtio_id = VIRTIO_ID_RNG,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_RNG,
    .vdev_realize = rng_vdev_realize,
    .vdev_unrealize = rng_vdev_unrealize,
};

static void virtio_rng_register(void)
{
    qdev_register_type(&virtio_rng_pci_class.parent.parent);
}

module_init(virtio_rng_register)

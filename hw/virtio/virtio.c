/*
 * The virtio core: device status and features, and the split virtqueue
 * (descriptor table, avail and used rings) parsed defensively through DMA.
 */
#include "hw/virtio/virtio.h"
#include "hw/qdev-state.h"
#include "qemu/error-report.h"

/* Split ring layout (virtio 1.0, 2.4): sizes of the fixed parts. */
#define VRING_DESC_SIZE 16
#define VRING_AVAIL_RING 4 /* flags, idx, then ring[num], then used_event */
#define VRING_USED_RING 4  /* flags, idx, then ring[num] of {id, len}, then avail_event */
#define VRING_USED_ELEM_SIZE 8
#define VIRTIO_LEGACY_ALIGN 4096

/*
 * The most bytes one chain may describe by default (a bound on the device's
 * bounce buffers); a queue whose device copies less sets its own.
 */
#define VIRTQUEUE_MAX_BYTES (256ull << 20)

void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id, uint32_t config_len)
{
    vdev->name = name;
    vdev->device_id = device_id;
    vdev->config_len = config_len;
    vdev->config = config_len ? g_malloc0(config_len) : NULL;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    vdev->host_features |= 1ull << VIRTIO_F_NOTIFY_ON_EMPTY | 1ull << VIRTIO_F_ANY_LAYOUT |
                           1ull << VIRTIO_RING_F_INDIRECT_DESC | 1ull << VIRTIO_RING_F_EVENT_IDX |
                           1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_RING_RESET;
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].index = i;
        vdev->vq[i].vector = VIRTIO_NO_VECTOR;
    }
}

void virtio_cleanup(VirtIODevice *vdev)
{
    g_free(vdev->config);
    vdev->config = NULL;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size, VirtIOHandleOutput *handle)
{
    VirtQueue *vq;

    g_assert(vdev->nvq < VIRTIO_QUEUE_MAX && queue_size && queue_size <= VIRTQUEUE_MAX_SIZE);
    vq = &vdev->vq[vdev->nvq++];
    vq->num = vq->num_max = queue_size;
    vq->handle = handle;
    vq->max_bytes = VIRTQUEUE_MAX_BYTES;
    return vq;
}

void virtio_queue_set_max_bytes(VirtQueue *vq, uint64_t max)
{
    vq->max_bytes = max;
}

bool virtio_is_big_endian(const VirtIODevice *vdev)
{
    return !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) && vdev->legacy_big_endian;
}

void virtio_stw_p(VirtIODevice *vdev, void *p, uint16_t v)
{
    uint16_t x = virtio_is_big_endian(vdev) ? GUINT16_TO_BE(v) : GUINT16_TO_LE(v);
    memcpy(p, &x, 2);
}

void virtio_stl_p(VirtIODevice *vdev, void *p, uint32_t v)
{
    uint32_t x = virtio_is_big_endian(vdev) ? GUINT32_TO_BE(v) : GUINT32_TO_LE(v);
    memcpy(p, &x, 4);
}

void virtio_stq_p(VirtIODevice *vdev, void *p, uint64_t v)
{
    uint64_t x = virtio_is_big_endian(vdev) ? GUINT64_TO_BE(v) : GUINT64_TO_LE(v);
    memcpy(p, &x, 8);
}

uint16_t virtio_lduw_p(VirtIODevice *vdev, const void *p)
{
    uint16_t x;
    memcpy(&x, p, 2);
    return virtio_is_big_endian(vdev) ? GUINT16_FROM_BE(x) : GUINT16_FROM_LE(x);
}

uint32_t virtio_ldl_p(VirtIODevice *vdev, const void *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return virtio_is_big_endian(vdev) ? GUINT32_FROM_BE(x) : GUINT32_FROM_LE(x);
}

uint64_t virtio_ldq_p(VirtIODevice *vdev, const void *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return virtio_is_big_endian(vdev) ? GUINT64_FROM_BE(x) : GUINT64_FROM_LE(x);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* As QEMU 7.2: the message alone (QEMU's device messages name the device). */
    error_report("%s", msg);
    vdev->broken = true;
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

/* A queue as the driver first finds it: its default size, no ring, no vector. */
static void vq_reset(VirtQueue *vq)
{
    vq->num = vq->num_max;
    vq->desc = vq->avail = vq->used = 0;
    vq->enabled = false;
    vq->vector = VIRTIO_NO_VECTOR;
    vq->last_avail_idx = vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->inuse = 0;
    vq->reset_count++;
}

void virtio_queue_reset(VirtIODevice *vdev, unsigned n)
{
    if (n >= vdev->nvq) {
        return;
    }
    if (vdev->queue_reset) {
        vdev->queue_reset(vdev, n);
    }
    vq_reset(&vdev->vq[n]);
}

void virtio_reset(VirtIODevice *vdev)
{
    if (vdev->reset) {
        vdev->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->broken = false;
    vdev->guest_features = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    for (unsigned i = 0; i < vdev->nvq; i++) {
        vq_reset(&vdev->vq[i]);
    }
}

void virtio_set_features(VirtIODevice *vdev, uint64_t val)
{
    /* Features are fixed once the driver has said FEATURES_OK. */
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        return;
    }
    vdev->guest_features = val & vdev->host_features;
    if (vdev->set_features) {
        vdev->set_features(vdev, vdev->guest_features);
    }
}

void virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    if (val == 0) {
        virtio_reset(vdev);
        return;
    }
    vdev->status = val;
    if (vdev->set_status) {
        vdev->set_status(vdev, val);
    }
}

void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn)
{
    uint64_t avail_end;

    vq->desc = (uint64_t)pfn << 12;
    vq->avail = vq->desc + (uint64_t)vq->num * VRING_DESC_SIZE;
    avail_end = vq->avail + VRING_AVAIL_RING + 2ull * vq->num + 2;
    vq->used = (avail_end + VIRTIO_LEGACY_ALIGN - 1) & ~(uint64_t)(VIRTIO_LEGACY_ALIGN - 1);
    vq->enabled = pfn != 0;
}

bool virtio_queue_ready(const VirtQueue *vq)
{
    return vq->num && vq->desc && vq->enabled;
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    if (n >= vdev->nvq || vdev->broken) {
        return;
    }
    vq = &vdev->vq[n];
    if (virtio_queue_ready(vq) && vq->handle) {
        vq->handle(vdev, vq);
    }
}

/* ---- Ring access ---------------------------------------------------------- */

static bool vring_read(VirtQueue *vq, uint64_t addr, void *buf, uint64_t len)
{
    VirtIODevice *vdev = vq->vdev;

    if (!vdev->tops->dma_read(vdev->topaque, addr, buf, len)) {
        virtio_error(vdev, "%s: cannot read ring of queue %u at 0x%" PRIx64, vdev->name, vq->index,
                     addr);
        return false;
    }
    return true;
}

static bool vring_write(VirtQueue *vq, uint64_t addr, const void *buf, uint64_t len)
{
    VirtIODevice *vdev = vq->vdev;

    if (!vdev->tops->dma_write(vdev->topaque, addr, buf, len)) {
        virtio_error(vdev, "%s: cannot write ring of queue %u at 0x%" PRIx64, vdev->name, vq->index,
                     addr);
        return false;
    }
    return true;
}

static bool vring_read16(VirtQueue *vq, uint64_t addr, uint16_t *v)
{
    uint8_t b[2];

    if (!vring_read(vq, addr, b, 2)) {
        return false;
    }
    *v = virtio_lduw_p(vq->vdev, b);
    return true;
}

static bool vring_write16(VirtQueue *vq, uint64_t addr, uint16_t v)
{
    uint8_t b[2];

    virtio_stw_p(vq->vdev, b, v);
    return vring_write(vq, addr, b, 2);
}

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

static bool vring_read_desc(VirtQueue *vq, uint64_t table, unsigned i, VRingDesc *d)
{
    uint8_t b[VRING_DESC_SIZE];

    if (!vring_read(vq, table + (uint64_t)i * VRING_DESC_SIZE, b, sizeof(b))) {
        return false;
    }
    d->addr = virtio_ldq_p(vq->vdev, b);
    d->len = virtio_ldl_p(vq->vdev, b + 8);
    d->flags = virtio_lduw_p(vq->vdev, b + 12);
    d->next = virtio_lduw_p(vq->vdev, b + 14);
    return true;
}

/* The avail index, or -1 after virtio_error. */
static int vring_avail_idx(VirtQueue *vq)
{
    uint16_t idx;

    if (!vring_read16(vq, vq->avail + 2, &idx)) {
        return -1;
    }
    if ((uint16_t)(idx - vq->last_avail_idx) > vq->num) {
        virtio_error(vq->vdev, "Guest moved used index from %u to %u", vq->last_avail_idx, idx);
        return -1;
    }
    return idx;
}

/* With the event index, tell the driver which avail entry the device wants a kick for. */
static bool vring_set_avail_event(VirtQueue *vq)
{
    if (!virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return true;
    }
    return vring_write16(vq, vq->used + VRING_USED_RING + VRING_USED_ELEM_SIZE * vq->num,
                         vq->last_avail_idx);
}

typedef struct ChainBuilder {
    GArray *out, *in;
    uint64_t out_len, in_len;
} ChainBuilder;

static bool chain_add(VirtQueue *vq, ChainBuilder *cb, const VRingDesc *d)
{
    VirtQueueSeg seg = { .addr = d->addr, .len = d->len };

    if (d->len && d->addr + d->len - 1 < d->addr) {
        virtio_error(vq->vdev, "descriptor address 0x%" PRIx64 " length %u wraps", d->addr, d->len);
        return false;
    }
    if (d->flags & VRING_DESC_F_WRITE) {
        g_array_append_val(cb->in, seg);
        cb->in_len += d->len;
    } else {
        if (cb->in->len) {
            virtio_error(vq->vdev, "Incorrect order for descriptors");
            return false;
        }
        g_array_append_val(cb->out, seg);
        cb->out_len += d->len;
    }
    if (cb->out_len + cb->in_len > vq->max_bytes) {
        virtio_error(vq->vdev, "chain of queue %u is longer than %" PRIu64 " bytes", vq->index,
                     vq->max_bytes);
        return false;
    }
    return true;
}

/*
 * Walk the chain from head: a table of max entries at table (the ring's or
 * an indirect one).  Each descriptor is visited at most once per table, so
 * a loop shows up as a chain longer than the table.
 */
static bool vring_walk(VirtQueue *vq, ChainBuilder *cb, uint64_t table, unsigned max, unsigned head,
                       bool indirect)
{
    unsigned i = head, count = 0;
    VRingDesc d;

    for (;;) {
        if (++count > max) {
            virtio_error(vq->vdev, "Looped descriptor");
            return false;
        }
        if (!vring_read_desc(vq, table, i, &d)) {
            return false;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            uint64_t n;

            if (indirect) {
                virtio_error(vq->vdev, "Nested indirect descriptor");
                return false;
            }
            if (!virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_INDIRECT_DESC)) {
                virtio_error(vq->vdev, "Indirect descriptor without the feature");
                return false;
            }
            if (count != 1 || (d.flags & VRING_DESC_F_NEXT)) {
                virtio_error(vq->vdev, "Indirect descriptor inside a chain");
                return false;
            }
            if (d.len == 0 || d.len % VRING_DESC_SIZE) {
                virtio_error(vq->vdev, "Invalid size for indirect buffer table");
                return false;
            }
            n = d.len / VRING_DESC_SIZE;
            if (n > VIRTQUEUE_MAX_SIZE) {
                virtio_error(vq->vdev, "Indirect buffer table of %" PRIu64 " entries", n);
                return false;
            }
            return vring_walk(vq, cb, d.addr, n, 0, true);
        }
        if (!chain_add(vq, cb, &d)) {
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        if (d.next >= max) {
            virtio_error(vq->vdev, "Desc next is %u", d.next);
            return false;
        }
        i = d.next;
    }
}

void *virtqueue_pop(VirtQueue *vq, size_t elem_size)
{
    VirtIODevice *vdev = vq->vdev;
    ChainBuilder cb = { 0 };
    VirtQueueElement *elem;
    uint16_t head;
    int avail;

    g_assert(elem_size >= sizeof(VirtQueueElement));
    if (vdev->broken || !virtio_queue_ready(vq)) {
        return NULL;
    }
    avail = vring_avail_idx(vq);
    if (avail < 0) {
        return NULL;
    }
    if (avail == vq->last_avail_idx) {
        /* Ask for a kick on the next entry, then look again in case it raced us. */
        if (!vring_set_avail_event(vq)) {
            return NULL;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        avail = vring_avail_idx(vq);
        if (avail < 0 || avail == vq->last_avail_idx) {
            return NULL;
        }
    }
    /* The ring entries and descriptors are read after the index. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "Virtqueue size exceeded");
        return NULL;
    }
    if (!vring_read16(vq, vq->avail + VRING_AVAIL_RING + 2ull * (vq->last_avail_idx % vq->num),
                      &head)) {
        return NULL;
    }
    if (head >= vq->num) {
        virtio_error(vdev, "Guest says index %u is available", head);
        return NULL;
    }
    cb.out = g_array_new(false, false, sizeof(VirtQueueSeg));
    cb.in = g_array_new(false, false, sizeof(VirtQueueSeg));
    if (!vring_walk(vq, &cb, vq->desc, vq->num, head, false)) {
        g_array_free(cb.out, true);
        g_array_free(cb.in, true);
        return NULL;
    }
    vq->last_avail_idx++;
    vq->inuse++;
    elem = g_malloc0(elem_size);
    elem->index = head;
    elem->reset_count = vq->reset_count;
    elem->out_num = cb.out->len;
    elem->in_num = cb.in->len;
    elem->out_len = cb.out_len;
    elem->in_len = cb.in_len;
    elem->out_sg = (VirtQueueSeg *)g_array_free(cb.out, false);
    elem->in_sg = (VirtQueueSeg *)g_array_free(cb.in, false);
    if (!vring_set_avail_event(vq)) {
        virtqueue_elem_free(elem);
        return NULL;
    }
    return elem;
}

void virtqueue_elem_free(VirtQueueElement *elem)
{
    if (elem) {
        g_free(elem->out_sg);
        g_free(elem->in_sg);
        g_free(elem);
    }
}

/* Copy len bytes at byte off of the segments sg[0..n) from or to buf. */
static bool elem_copy(VirtQueue *vq, const VirtQueueSeg *sg, unsigned n, uint64_t off, void *buf,
                      uint64_t len, bool to_guest)
{
    VirtIODevice *vdev = vq->vdev;
    uint8_t *p = buf;

    for (unsigned i = 0; i < n && len; i++) {
        uint64_t chunk;
        bool ok;

        if (off >= sg[i].len) {
            off -= sg[i].len;
            continue;
        }
        chunk = MIN(len, sg[i].len - off);
        ok = to_guest ? vdev->tops->dma_write(vdev->topaque, sg[i].addr + off, p, chunk)
                      : vdev->tops->dma_read(vdev->topaque, sg[i].addr + off, p, chunk);
        if (!ok) {
            virtio_error(vdev, "bogus descriptor or out of resources: 0x%" PRIx64 "+0x%x",
                         sg[i].addr, sg[i].len);
            return false;
        }
        p += chunk;
        len -= chunk;
        off = 0;
    }
    return len == 0;
}

bool virtqueue_elem_read(VirtQueue *vq, const VirtQueueElement *elem, uint64_t off, void *buf,
                         uint64_t len)
{
    return elem_copy(vq, elem->out_sg, elem->out_num, off, buf, len, false);
}

bool virtqueue_elem_write(VirtQueue *vq, const VirtQueueElement *elem, uint64_t off,
                          const void *buf, uint64_t len)
{
    return elem_copy(vq, elem->in_sg, elem->in_num, off, (void *)buf, len, true);
}

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len, unsigned idx)
{
    VirtIODevice *vdev = vq->vdev;
    uint8_t b[VRING_USED_ELEM_SIZE];
    uint64_t at;

    if (vdev->broken || !virtio_queue_ready(vq)) {
        return;
    }
    at = vq->used + VRING_USED_RING +
         VRING_USED_ELEM_SIZE * (uint64_t)((uint16_t)(vq->used_idx + idx) % vq->num);
    virtio_stl_p(vdev, b, elem->index);
    virtio_stl_p(vdev, b + 4, len);
    vring_write(vq, at, b, sizeof(b));
}

void virtqueue_flush(VirtQueue *vq, unsigned count)
{
    VirtIODevice *vdev = vq->vdev;
    uint16_t old = vq->used_idx;

    vq->inuse -= MIN(vq->inuse, count);
    if (vdev->broken || !virtio_queue_ready(vq)) {
        return;
    }
    /* The driver must see the entries before the index that publishes them. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx += count;
    if (!vring_write16(vq, vq->used + 2, vq->used_idx)) {
        return;
    }
    /* A driver that waits past a wrap of 2^16 entries must still be told. */
    if ((uint16_t)(vq->used_idx - vq->signalled_used) < (uint16_t)(vq->used_idx - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len)
{
    /* A request that finishes after its queue (or the device) was reset is forgotten. */
    if (elem->reset_count != vq->reset_count) {
        return;
    }
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

void virtqueue_unpop(VirtQueue *vq, unsigned count)
{
    count = MIN(count, vq->inuse);
    vq->last_avail_idx -= count;
    vq->inuse -= count;
}

bool virtqueue_empty(VirtQueue *vq)
{
    int avail;

    if (vq->vdev->broken || !virtio_queue_ready(vq)) {
        return true;
    }
    avail = vring_avail_idx(vq);
    return avail < 0 || avail == vq->last_avail_idx;
}

static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, event, flags;
    bool valid;

    /* The used index is visible before the suppression fields are read. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && !vq->inuse &&
        vq->last_avail_idx == vq->used_idx) {
        /* Nothing in flight: NOTIFY_ON_EMPTY asks for an interrupt anyway. */
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        if (!vring_read16(vq, vq->avail, &flags)) {
            return false;
        }
        return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    old = vq->signalled_used;
    valid = vq->signalled_used_valid;
    vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (!valid) {
        return true;
    }
    if (!vring_read16(vq, vq->avail + VRING_AVAIL_RING + 2ull * vq->num, &event)) {
        return false;
    }
    /* Notify when used_event lies in (old, new]: virtio 1.0, 2.4.7.2. */
    return (uint16_t)(vq->used_idx - event - 1) < (uint16_t)(vq->used_idx - old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (vdev->broken || !virtio_queue_ready(vq) || !virtio_should_notify(vdev, vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    vdev->tops->notify(vdev->topaque, vq->vector);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    /*
     * Both bits, as QEMU 7.2 sets them: drivers (and QEMU's own qtests) that
     * poll the queue bit after a configuration change see it too.
     */
    vdev->isr |= VIRTIO_ISR_CONFIG | VIRTIO_ISR_QUEUE;
    vdev->generation++;
    vdev->tops->notify(vdev->topaque, vdev->config_vector);
}

/* ---- Migration ------------------------------------------------------------- */

static const VMStateField vmstate_virtqueue_fields[] = {
    VMSTATE_UINT16_EQUAL(num_max, VirtQueue),
    VMSTATE_UINT16(num, VirtQueue),
    VMSTATE_UINT64(desc, VirtQueue),
    VMSTATE_UINT64(avail, VirtQueue),
    VMSTATE_UINT64(used, VirtQueue),
    VMSTATE_BOOL(enabled, VirtQueue),
    VMSTATE_UINT16(vector, VirtQueue),
    VMSTATE_UINT16(last_avail_idx, VirtQueue),
    VMSTATE_UINT16(used_idx, VirtQueue),
    VMSTATE_UINT16(signalled_used, VirtQueue),
    VMSTATE_BOOL(signalled_used_valid, VirtQueue),
    VMSTATE_UINT32(inuse, VirtQueue),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_virtqueue = {
    .name = "virtqueue_state",
    .version_id = 1,
    .fields = vmstate_virtqueue_fields,
};

static const VMStateField vmstate_virtio_fields[] = {
    VMSTATE_UINT64_EQUAL(host_features, VirtIODevice),
    VMSTATE_UINT64(guest_features, VirtIODevice),
    VMSTATE_UINT8(status, VirtIODevice),
    VMSTATE_UINT8(isr, VirtIODevice),
    VMSTATE_UINT8(generation, VirtIODevice),
    VMSTATE_BOOL(broken, VirtIODevice),
    VMSTATE_BOOL(legacy_big_endian, VirtIODevice),
    VMSTATE_UINT16(config_vector, VirtIODevice),
    VMSTATE_UINT32_EQUAL(config_len, VirtIODevice),
    VMSTATE_VBUFFER_UINT32(config, VirtIODevice, config_len),
    VMSTATE_UINT32_EQUAL(nvq, VirtIODevice),
    VMSTATE_STRUCT_VARRAY_UINT32(vq, VirtIODevice, nvq, vmstate_virtqueue, VirtQueue),
    VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_virtio = {
    .name = "virtio",
    .version_id = 1,
    .fields = vmstate_virtio_fields,
};

bool virtio_check_loaded(VirtIODevice *vdev, Error **errp)
{
    if (vdev->guest_features & ~vdev->host_features) {
        error_setg(errp, "%s: features 0x%" PRIx64 " were not offered (0x%" PRIx64 ")", vdev->name,
                   vdev->guest_features, vdev->host_features);
        return false;
    }
    for (unsigned i = 0; i < vdev->nvq; i++) {
        VirtQueue *vq = &vdev->vq[i];

        if (vq->num > vq->num_max || (vq->num & (vq->num - 1)) ||
            (vq->num == 0 && virtio_queue_ready(vq)) ||
            (uint16_t)(vq->last_avail_idx - vq->used_idx) > vq->num || vq->inuse > vq->num) {
            error_setg(errp, "%s: queue %u: size %u (at most %u), avail %u, used %u, in use %u",
                       vdev->name, i, vq->num, vq->num_max, vq->last_avail_idx, vq->used_idx,
                       vq->inuse);
            return false;
        }
    }
    return true;
}

void virtio_post_load(VirtIODevice *vdev)
{
    for (unsigned i = 0; i < vdev->nvq; i++) {
        VirtQueue *vq = &vdev->vq[i];

        /*
         * Chains the source had taken and not returned are taken again here
         * (the device on this side holds nothing): the driver sees each
         * request completed once, as the source never completed it.
         */
        vq->last_avail_idx -= vq->inuse;
        vq->inuse = 0;
    }
    if (vdev->set_features) {
        vdev->set_features(vdev, vdev->guest_features);
    }
}

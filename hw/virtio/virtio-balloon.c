/*
 * virtio-balloon-pci (virtio 1.0, 5.5): the host asks for a balloon size in
 * 4 KiB pages, the guest hands pages over (inflate) or takes them back
 * (deflate), reports memory statistics and, optionally, free pages.
 */
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-state.h"
#include "hw/virtio/virtio-balloon.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "exec/guest-memory.h"
#include "sysemu/runstate.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include <sys/mman.h>

/* Feature bits (5.5.3). */
#define VIRTIO_BALLOON_F_STATS_VQ 1
#define VIRTIO_BALLOON_F_DEFLATE_ON_OOM 2
#define VIRTIO_BALLOON_F_FREE_PAGE_HINT 3
#define VIRTIO_BALLOON_F_PAGE_POISON 4
#define VIRTIO_BALLOON_F_REPORTING 5

/* struct virtio_balloon_config: num_pages, actual, free_page_hint_cmd_id, poison_val. */
#define CFG_NUM_PAGES 0
#define CFG_ACTUAL 4
#define CFG_POISON_VAL 12
#define CFG_SIZE 16

/* Balloon page numbers count 4 KiB pages whatever the guest's page size. */
#define BALLOON_PFN_SHIFT 12
#define BALLOON_PAGE_SIZE (1u << BALLOON_PFN_SHIFT)

/* Memory statistics (5.5.6.3): a tag (le16) and a value (le64), packed. */
#define STAT_ENTRY_SIZE 10
#define STAT_NR 10

#define BALLOON_QUEUE_SIZE 128
#define REPORTING_QUEUE_SIZE 32

/* The names QEMU gives the statistics in "guest-stats", by tag. */
static const char *const stat_names[STAT_NR] = {
    "stat-swap-in",      "stat-swap-out",     "stat-major-faults",     "stat-minor-faults",
    "stat-free-memory",  "stat-total-memory", "stat-available-memory", "stat-disk-caches",
    "stat-htlb-pgalloc", "stat-htlb-pgfail",
};
/* The tags in the order QEMU 7.2's "stats" dictionary prints them (its hash order). */
static const uint8_t stat_print_order[STAT_NR] = { 8, 1, 6, 9, 4, 3, 2, 5, 0, 7 };

typedef struct VirtIOBalloonPCI {
    VirtIOPCIProxy proxy;
    /* properties */
    bool deflate_on_oom, free_page_hint, page_poison, free_page_reporting, qemu_4_0_config_size;
    char *poll_interval_str; /* guest-stats-polling-interval given on -device */
    /* state */
    uint32_t num_pages; /* the size the host asks for */
    uint32_t actual;    /* the size the guest reports */
    uint32_t poison_val;
    VirtQueue *ivq, *dvq, *svq, *rvq;
    VirtQueueElement *stats_elem; /* the stats buffer held until the next poll */
    uint64_t stats[STAT_NR];
    int64_t stats_last_update; /* seconds since the epoch */
    int64_t stats_poll_interval;
    QEMUTimer *stats_timer;
} VirtIOBalloonPCI;

/* QEMU has one balloon: the first realized one answers the monitor. */
static VirtIOBalloonPCI *active_balloon;

static const VirtIOPCIClass virtio_balloon_pci_class;

static uint64_t balloon_ram_size(void)
{
    return current_machine ? current_machine->ram_size : guest_ram_size();
}

/* The host takes the page back: its contents are gone, the guest may not rely on them. */
static void balloon_discard(VirtIOBalloonPCI *s, uint64_t addr, uint64_t len)
{
    void *p;

    if (s->poison_val || getpagesize() != (int)BALLOON_PAGE_SIZE ||
        (addr | len) % BALLOON_PAGE_SIZE) {
        return;
    }
    p = guest_ram_ptr(addr, len);
    if (!p || addr + len > balloon_ram_size()) {
        return;
    }
    if (madvise(p, len, MADV_DONTNEED) == 0) {
        /* The page now reads as zeroes: translated code from it is stale. */
        guest_ram_note_write(addr, len);
    }
}

/* Inflate and deflate: each chain is a list of le32 page numbers. */
static void balloon_handle_pages(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        for (uint64_t off = 0; off + 4 <= e->out_len; off += 4) {
            uint8_t raw[4];
            uint64_t pa;

            if (!virtqueue_elem_read(vq, e, off, raw, sizeof(raw))) {
                virtqueue_elem_free(e);
                return;
            }
            pa = (uint64_t)virtio_ldl_p(vdev, raw) << BALLOON_PFN_SHIFT;
            /* Deflated pages come back on the guest's next touch: nothing to do. */
            if (vq == s->ivq) {
                balloon_discard(s, pa, BALLOON_PAGE_SIZE);
            }
        }
        virtqueue_push(vq, e, 0);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* Free page reporting: each chain's writable buffers are free guest pages. */
static void balloon_handle_reporting(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        for (unsigned i = 0; i < e->in_num; i++) {
            balloon_discard(s, e->in_sg[i].addr, e->in_sg[i].len);
        }
        virtqueue_push(vq, e, 0);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void balloon_stats_arm(VirtIOBalloonPCI *s, int64_t secs)
{
    timer_mod(s->stats_timer,
              qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + secs * NANOSECONDS_PER_SECOND);
}

/* A poll: give the held buffer back so the driver refills it with fresh numbers. */
static void balloon_stats_poll(void *opaque)
{
    VirtIOBalloonPCI *s = opaque;
    VirtIODevice *vdev = &s->proxy.vdev;

    if (!s->stats_elem || !virtio_vdev_has_feature(vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
        balloon_stats_arm(s, s->stats_poll_interval);
        return;
    }
    virtqueue_push(s->svq, s->stats_elem, 0);
    virtio_notify(vdev, s->svq);
    virtqueue_elem_free(s->stats_elem);
    s->stats_elem = NULL;
}

static void balloon_stats_reset(VirtIOBalloonPCI *s)
{
    for (unsigned i = 0; i < STAT_NR; i++) {
        s->stats[i] = UINT64_MAX;
    }
}

/* The driver's statistics buffer: read it and keep it until the next poll. */
static void balloon_handle_stats(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);
    VirtQueueElement *e = virtqueue_pop(vq, sizeof(*e));

    if (e) {
        if (s->stats_elem) {
            /* A driver that follows the spec never has two outstanding. */
            virtqueue_push(vq, s->stats_elem, 0);
            virtio_notify(vdev, vq);
            virtqueue_elem_free(s->stats_elem);
        }
        s->stats_elem = e;
        balloon_stats_reset(s);
        for (uint64_t off = 0; off + STAT_ENTRY_SIZE <= e->out_len; off += STAT_ENTRY_SIZE) {
            uint8_t raw[STAT_ENTRY_SIZE];
            uint16_t tag;

            if (!virtqueue_elem_read(vq, e, off, raw, sizeof(raw))) {
                s->stats_elem = NULL;
                virtqueue_elem_free(e);
                return;
            }
            tag = virtio_lduw_p(vdev, raw);
            if (tag < STAT_NR) {
                s->stats[tag] = virtio_ldq_p(vdev, raw + 2);
            }
        }
        s->stats_last_update = g_get_real_time() / G_USEC_PER_SEC;
    }
    if (s->stats_poll_interval > 0) {
        balloon_stats_arm(s, s->stats_poll_interval);
    }
}

static void balloon_get_config(VirtIODevice *vdev)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);

    virtio_stl_p(vdev, vdev->config + CFG_NUM_PAGES, s->num_pages);
    virtio_stl_p(vdev, vdev->config + CFG_ACTUAL, s->actual);
    if (vdev->config_len >= CFG_SIZE) {
        virtio_stl_p(vdev, vdev->config + CFG_POISON_VAL, s->poison_val);
    }
}

/* The driver writes "actual" (and the poison value): a change is a BALLOON_CHANGE event. */
static void balloon_set_config(VirtIODevice *vdev, uint32_t offset, unsigned len)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);
    uint32_t old = s->actual;

    (void)offset;
    (void)len;
    s->actual = virtio_ldl_p(vdev, vdev->config + CFG_ACTUAL);
    s->poison_val = 0;
    if (vdev->config_len >= CFG_SIZE &&
        virtio_vdev_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)) {
        s->poison_val = virtio_ldl_p(vdev, vdev->config + CFG_POISON_VAL);
    }
    if (s->actual != old && s == active_balloon) {
        g_autofree char *data = g_strdup_printf(
            "{\"actual\": %" PRId64 "}",
            (int64_t)(balloon_ram_size() - ((uint64_t)s->actual << BALLOON_PFN_SHIFT)));

        runstate_emit_event("BALLOON_CHANGE", data);
    }
}

/* A device reset drops the held statistics buffer; the sizes stay, as in QEMU. */
static void balloon_reset(VirtIODevice *vdev)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);

    if (s->stats_elem) {
        virtqueue_elem_free(s->stats_elem);
        s->stats_elem = NULL;
    }
    s->poison_val = 0;
}

/* The statistics queue reset alone: the buffer held from it goes. */
static void balloon_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)virtio_pci_proxy(vdev);

    if (&vdev->vq[n] == s->svq && s->stats_elem) {
        virtqueue_elem_free(s->stats_elem);
        s->stats_elem = NULL;
    }
}

static bool balloon_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)p;
    VirtIODevice *vdev = &p->vdev;
    uint32_t config_len = 8;
    int64_t interval = 0;

    if (s->poll_interval_str) {
        char *end;

        errno = 0;
        interval = g_ascii_strtoll(s->poll_interval_str, &end, 0);
        if (errno || end == s->poll_interval_str || *end) {
            error_setg(errp, "Parameter 'guest-stats-polling-interval' expects integer");
            return false;
        }
        if (interval < 0) {
            error_setg(errp, "timer value must be greater than zero");
            return false;
        }
        if (interval > UINT32_MAX) {
            error_setg(errp, "timer value is too big");
            return false;
        }
    }
    /* QEMU's balloon has no MSI-X and so no "vectors" property. */
    if (qdev_prop_is_set(&p->pci.qdev, "vectors")) {
        error_setg(errp, "Property 'virtio-balloon-pci.vectors' not found");
        return false;
    }
    if (s->free_page_hint) {
        /* QEMU runs the hinting on an iothread, which is a required property there. */
        error_setg(errp, "'free-page-hint' requires 'iothread' to be set");
        return false;
    }
    if (active_balloon) {
        error_setg(errp, "Only one balloon device is supported");
        return false;
    }
    /* QEMU 7.2's configuration size: up to the last field a feature uses. */
    if (s->page_poison || s->qemu_4_0_config_size) {
        config_len = CFG_SIZE;
    }
    virtio_init(vdev, "virtio-balloon", VIRTIO_ID_BALLOON, config_len);
    vdev->host_features |= 1ull << VIRTIO_BALLOON_F_STATS_VQ;
    if (s->deflate_on_oom) {
        vdev->host_features |= 1ull << VIRTIO_BALLOON_F_DEFLATE_ON_OOM;
    }
    if (s->page_poison) {
        vdev->host_features |= 1ull << VIRTIO_BALLOON_F_PAGE_POISON;
    }
    if (s->free_page_reporting) {
        vdev->host_features |= 1ull << VIRTIO_BALLOON_F_REPORTING;
    }
    vdev->get_config = balloon_get_config;
    vdev->set_config = balloon_set_config;
    vdev->reset = balloon_reset;
    vdev->queue_reset = balloon_queue_reset;
    s->ivq = virtio_add_queue(vdev, BALLOON_QUEUE_SIZE, balloon_handle_pages);
    s->dvq = virtio_add_queue(vdev, BALLOON_QUEUE_SIZE, balloon_handle_pages);
    s->svq = virtio_add_queue(vdev, BALLOON_QUEUE_SIZE, balloon_handle_stats);
    if (s->free_page_reporting) {
        s->rvq = virtio_add_queue(vdev, REPORTING_QUEUE_SIZE, balloon_handle_reporting);
    }
    /* QEMU's virtio-balloon-pci has no MSI-X: it interrupts through INTx. */
    p->nvectors = 0;
    balloon_stats_reset(s);
    s->stats_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, balloon_stats_poll, s);
    if (interval > 0) {
        /* As a qom-set before the guest runs: the first poll comes at once. */
        s->stats_poll_interval = interval;
        balloon_stats_arm(s, 0);
    }
    balloon_get_config(vdev);
    active_balloon = s;
    return true;
}

static void balloon_vdev_unrealize(VirtIOPCIProxy *p)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)p;

    if (s->stats_elem) {
        virtqueue_elem_free(s->stats_elem);
        s->stats_elem = NULL;
    }
    if (s->stats_timer) {
        timer_free(s->stats_timer);
        s->stats_timer = NULL;
    }
    if (active_balloon == s) {
        active_balloon = NULL;
    }
}

/* ---- The monitor's view ---------------------------------------------------- */

bool virtio_balloon_active(void)
{
    return active_balloon != NULL;
}

void virtio_balloon_set_target(uint64_t target)
{
    VirtIOBalloonPCI *s = active_balloon;
    uint64_t ram = balloon_ram_size();

    if (!s) {
        return;
    }
    target = MIN(target, ram);
    if (target) {
        s->num_pages = (ram - target) >> BALLOON_PFN_SHIFT;
        virtio_notify_config(&s->proxy.vdev);
    }
}

uint64_t virtio_balloon_actual(void)
{
    VirtIOBalloonPCI *s = active_balloon;

    return s ? balloon_ram_size() - ((uint64_t)s->actual << BALLOON_PFN_SHIFT) : 0;
}

static VirtIOBalloonPCI *balloon_of(DeviceState *dev)
{
    return qdev_class_is(dev->cls, &virtio_balloon_pci_class.parent.parent)
               ? (VirtIOBalloonPCI *)dev
               : NULL;
}

bool virtio_balloon_qom_get(DeviceState *dev, const char *prop, JsonNode **ret, QmpError *err)
{
    VirtIOBalloonPCI *s = dev ? balloon_of(dev) : NULL;
    JsonObject *o, *stats;

    (void)err;
    if (!s) {
        return false;
    }
    if (!strcmp(prop, "guest-stats-polling-interval")) {
        *ret = qmp_node_int(s->stats_poll_interval);
        return true;
    }
    if (strcmp(prop, "guest-stats")) {
        return false;
    }
    o = json_object_new();
    stats = json_object_new();
    for (unsigned i = 0; i < STAT_NR; i++) {
        unsigned tag = stat_print_order[i];

        /* Unreported statistics are all-ones: 18446744073709551615 on the wire. */
        json_object_set_member(stats, stat_names[tag], qmp_node_uint64(s->stats[tag]));
    }
    json_object_set_object_member(o, "stats", stats);
    json_object_set_int_member(o, "last-update", s->stats_last_update);
    *ret = qmp_node_object(o);
    return true;
}

bool virtio_balloon_qom_set(DeviceState *dev, const char *prop, JsonNode *value, QmpError *err)
{
    VirtIOBalloonPCI *s = dev ? balloon_of(dev) : NULL;
    int64_t v;

    if (!s) {
        return false;
    }
    if (!strcmp(prop, "guest-stats")) {
        qmp_error_setg(err, "Insufficient permission to perform this operation");
        return true;
    }
    if (strcmp(prop, "guest-stats-polling-interval")) {
        return false;
    }
    if (JSON_NODE_TYPE(value) != JSON_NODE_VALUE ||
        json_node_get_value_type(value) != G_TYPE_INT64) {
        qmp_error_setg(err, "Invalid parameter type for 'guest-stats-polling-interval', expected: "
                            "integer");
        return true;
    }
    v = json_node_get_int(value);
    if (v < 0) {
        qmp_error_setg(err, "timer value must be greater than zero");
        return true;
    }
    if (v > UINT32_MAX) {
        qmp_error_setg(err, "timer value is too big");
        return true;
    }
    if (v == s->stats_poll_interval) {
        return true;
    }
    if (v == 0) {
        timer_del(s->stats_timer);
        s->stats_poll_interval = 0;
        return true;
    }
    /* A new poller starts at once; a running one keeps its rhythm with the new period. */
    balloon_stats_arm(s, s->stats_poll_interval > 0 ? v : 0);
    s->stats_poll_interval = v;
    return true;
}

static const Property virtio_balloon_props[] = {
    DEFINE_PROP_BOOL("deflate-on-oom", VirtIOBalloonPCI, deflate_on_oom, false),
    DEFINE_PROP_BOOL("free-page-hint", VirtIOBalloonPCI, free_page_hint, false),
    DEFINE_PROP_BOOL("page-poison", VirtIOBalloonPCI, page_poison, true),
    DEFINE_PROP_BOOL("free-page-reporting", VirtIOBalloonPCI, free_page_reporting, false),
    /* QEMU's QOM "int" property, parsed at realize with its messages; qom-get/set are the hooks'. */
    { .name = "guest-stats-polling-interval",
      .type = PROP_TYPE_STR,
      .offset = offsetof(VirtIOBalloonPCI, poll_interval_str),
      .type_name = "int" },
    DEFINE_PROP_BOOL("qemu-4-0-config-size", VirtIOBalloonPCI, qemu_4_0_config_size, false),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Migration: the target and the guest's report, its last statistics and the
 * polling interval.  The statistics buffer the source held goes back to the
 * avail ring (virtio_post_load) and is taken again here; polling restarts.
 */
static bool balloon_post_load(DeviceState *dev, Error **errp)
{
    VirtIOBalloonPCI *s = (VirtIOBalloonPCI *)dev;
    VirtIODevice *vdev = &s->proxy.vdev;

    if (s->stats_poll_interval < 0 || s->stats_poll_interval > UINT32_MAX) {
        error_setg(errp, "virtio-balloon: polling interval %" PRId64, s->stats_poll_interval);
        return false;
    }
    if (!virtio_pci_plain_post_load(dev, errp)) {
        return false;
    }
    if ((vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
        virtio_vdev_has_feature(vdev, VIRTIO_BALLOON_F_STATS_VQ) && virtio_queue_ready(s->svq)) {
        balloon_handle_stats(vdev, s->svq);
    }
    if (s->stats_poll_interval > 0) {
        balloon_stats_arm(s, s->stats_poll_interval);
    }
    return true;
}

static const VMStateField vmstate_virtio_balloon_fields[] = {
    VMSTATE_STRUCT(proxy, VirtIOBalloonPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_UINT32(num_pages, VirtIOBalloonPCI),
    VMSTATE_UINT32(actual, VirtIOBalloonPCI),
    VMSTATE_UINT32(poison_val, VirtIOBalloonPCI),
    VMSTATE_UINT64_ARRAY(stats, VirtIOBalloonPCI, STAT_NR),
    VMSTATE_FIELD_OF(VirtIOBalloonPCI, stats_last_update, int64_t, VMS_UINT64, 1),
    VMSTATE_FIELD_OF(VirtIOBalloonPCI, stats_poll_interval, int64_t, VMS_UINT64, 1),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_balloon = {
    .name = "virtio-balloon",
    .version_id = 1,
    .fields = vmstate_virtio_balloon_fields,
    .post_load = balloon_post_load,
};

static const VirtIOPCIClass virtio_balloon_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-balloon-pci",
            .alias = "virtio-balloon",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_MISC,
            .instance_size = sizeof(VirtIOBalloonPCI),
            .props = virtio_balloon_props,
            .vmsd = &vmstate_virtio_balloon,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_BALLOON,
        .class_id = PCI_CLASS_OTHERS,
    },
    .virtio_id = VIRTIO_ID_BALLOON,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_BALLOON,
    .vdev_realize = balloon_vdev_realize,
    .vdev_unrealize = balloon_vdev_unrealize,
};

static void virtio_balloon_register(void)
{
    qdev_register_type(&virtio_balloon_pci_class.parent.parent);
}

module_init(virtio_balloon_register)

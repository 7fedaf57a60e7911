/*
 * virtio-balloon-pci (hw/virtio/virtio-balloon.c) driven as Linux's
 * virtio_balloon would: the target in the configuration, inflate (the host
 * drops the pages) and deflate, the statistics queue and its polling, the
 * monitor's view (actual, BALLOON_CHANGE), malformed chains, QEMU's errors.
 */
#include "virtio-test-driver.h"
#include "hw/virtio/virtio-balloon.h"
#include "hw/qdev-properties.h"
#include "sysemu/runstate.h"
#include "qemu/timer.h"

#define F_STATS_VQ 1
#define F_DEFLATE_ON_OOM 2
#define F_PAGE_POISON 4
#define F_REPORTING 5
#define F_VERSION_1 32

#define INFLATE 0
#define DEFLATE 1
#define STATS 2
#define REPORTING 3

typedef struct Fixture {
    VtDriver d;
    DeviceState *dev;
} Fixture;

static GPtrArray *events; /* "NAME data" of every event emitted */

static void record_event(const char *event, const char *data)
{
    g_ptr_array_add(events, g_strdup_printf("%s %s", event, data ? data : ""));
}

static void setup(Fixture *f, gconstpointer data)
{
    vt_machine_new(&f->d);
    f->dev = vt_try_add(&f->d, "virtio-balloon-pci", data, &error_abort);
    f->d.dev = (PCIDevice *)f->dev;
    qdev_reset_all();
    events = g_ptr_array_new_with_free_func(g_free);
    runstate_set_event_hook(record_event);
}

static void teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    runstate_set_event_hook(NULL);
    g_ptr_array_free(events, TRUE);
    qdev_free(f->dev);
    vt_machine_free(&f->d);
}

static uint32_t cfg(Fixture *f, unsigned off)
{
    return vt_read(&f->d, VT_DEVICE_CFG + off, 4);
}

/* QEMU 7.2's offer: statistics and page poisoning; 16 bytes of configuration; no MSI-X. */
static void test_features_config(Fixture *f, gconstpointer data)
{
    uint64_t feat = vt_host_features(&f->d);

    (void)data;
    g_assert_cmphex(feat & 0xffffff, ==, 1u << F_STATS_VQ | 1u << F_PAGE_POISON);
    g_assert_true(feat >> F_VERSION_1 & 1);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_NUMQ, 2), ==, 3);
    g_assert_cmpuint(pci_get_word(f->d.dev->config + PCI_DEVICE_ID), ==, 0x1002);
    g_assert_cmpuint(pci_get_word(f->d.dev->config + PCI_CLASS_DEVICE), ==, 0x00ff);
    g_assert_cmpuint(f->d.dev->msix_cap, ==, 0);
    /* The legacy window: 20 bytes of header without MSI-X, 16 of configuration. */
    g_assert_cmpuint(f->d.dev->io_regions[0].size, ==, 64);
    g_assert_cmpuint(cfg(f, 0), ==, 0);
    g_assert_cmpuint(cfg(f, 4), ==, 0);
    g_assert_true(virtio_balloon_active());
    g_assert_cmpuint(virtio_balloon_actual(), ==, VT_RAM);
}

/* The optional features appear with their properties. */
static void test_feature_props(Fixture *f, gconstpointer data)
{
    uint64_t feat = vt_host_features(&f->d);

    (void)data;
    g_assert_true(feat >> F_DEFLATE_ON_OOM & 1);
    g_assert_true(feat >> F_REPORTING & 1);
    g_assert_false(feat >> F_PAGE_POISON & 1);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_NUMQ, 2), ==, 4);
    /* Without page poisoning the configuration ends before free_page_hint_cmd_id. */
    g_assert_cmpuint(f->d.dev->io_regions[0].size, ==, 32);
}

/* A target becomes num_pages and a configuration interrupt; "actual" makes BALLOON_CHANGE. */
static void test_target_actual(Fixture *f, gconstpointer data)
{
    g_autofree char *want = NULL;

    (void)data;
    vt_start(&f->d, 0, 3);
    vt_read(&f->d, VT_ISR, 1); /* clear */
    virtio_balloon_set_target(VT_RAM - 16 * MiB);
    g_assert_cmpuint(cfg(f, 0), ==, 16 * MiB / 4096);
    g_assert_cmpuint(vt_read(&f->d, VT_ISR, 1), ==, 3); /* config and queue bits, as QEMU */
    /* Targets above the RAM size mean an empty balloon. */
    virtio_balloon_set_target(VT_RAM * 4);
    g_assert_cmpuint(cfg(f, 0), ==, 0);
    virtio_balloon_set_target(VT_RAM - 8 * MiB);
    g_assert_cmpuint(cfg(f, 0), ==, 2048);

    g_assert_cmpuint(events->len, ==, 0);
    vt_write(&f->d, VT_DEVICE_CFG + 4, 2048, 4);
    g_assert_cmpuint(virtio_balloon_actual(), ==, VT_RAM - 8 * MiB);
    g_assert_cmpuint(events->len, ==, 1);
    want =
        g_strdup_printf("BALLOON_CHANGE {\"actual\": %" PRIu64 "}", (uint64_t)(VT_RAM - 8 * MiB));
    g_assert_cmpstr(g_ptr_array_index(events, 0), ==, want);
    /* The same value again is no change. */
    vt_write(&f->d, VT_DEVICE_CFG + 4, 2048, 4);
    g_assert_cmpuint(events->len, ==, 1);
    /* The driver cannot change num_pages. */
    vt_write(&f->d, VT_DEVICE_CFG, 5, 4);
    g_assert_cmpuint(cfg(f, 0), ==, 2048);
}

/* Inflated pages are given back to the host (they read as zero); deflated ones keep theirs. */
static void test_inflate_deflate(Fixture *f, gconstpointer data)
{
    const uint64_t page_a = 0x2000000, page_b = 0x2001000, page_c = 0x2002000;
    uint8_t pfns[12];
    uint32_t head, len;
    uint8_t v;

    (void)data;
    vt_start(&f->d, 0, 3);
    g_assert_true(guest_memset(page_a, 0xaa, 3 * 4096));
    stl_le_p(pfns, page_a >> 12);
    stl_le_p(pfns + 4, page_c >> 12);
    stl_le_p(pfns + 8, (uint32_t)(VT_RAM * 2 >> 12)); /* outside RAM: ignored */
    vt_add_buf(&f->d, INFLATE, VT_BUF(INFLATE, 0), pfns, sizeof(pfns), false);
    vt_kick(&f->d, INFLATE);
    vt_take_used(&f->d, INFLATE, &head, &len);
    g_assert_cmpuint(len, ==, 0);
    g_assert_true(guest_ldub(page_a + 100, &v));
    g_assert_cmpuint(v, ==, 0);
    g_assert_true(guest_ldub(page_c + 4095, &v));
    g_assert_cmpuint(v, ==, 0);
    g_assert_true(guest_ldub(page_b, &v));
    g_assert_cmpuint(v, ==, 0xaa);

    g_assert_true(guest_memset(page_a, 0x55, 4096));
    stl_le_p(pfns, page_a >> 12);
    vt_add_buf(&f->d, DEFLATE, VT_BUF(DEFLATE, 0), pfns, 4, false);
    vt_kick(&f->d, DEFLATE);
    vt_take_used(&f->d, DEFLATE, &head, &len);
    g_assert_true(guest_ldub(page_a, &v));
    g_assert_cmpuint(v, ==, 0x55);
}

/* A non-zero poison value keeps the pages: the guest checks them on deflate. */
static void test_poison_keeps_pages(Fixture *f, gconstpointer data)
{
    uint8_t pfn[4];
    uint8_t v;

    (void)data;
    vt_start(&f->d, 0, 3);
    vt_write(&f->d, VT_DEVICE_CFG + 12, 0xaaaaaaaa, 4);
    g_assert_true(guest_memset(0x3000000, 0xaa, 4096));
    stl_le_p(pfn, 0x3000000 >> 12);
    vt_add_buf(&f->d, INFLATE, VT_BUF(INFLATE, 0), pfn, 4, false);
    vt_kick(&f->d, INFLATE);
    g_assert_cmpuint(vt_used_pending(&f->d, INFLATE), ==, 1);
    g_assert_true(guest_ldub(0x3000000, &v));
    g_assert_cmpuint(v, ==, 0xaa);
}

static JsonObject *guest_stats(Fixture *f, int64_t *last_update)
{
    JsonNode *n = NULL;
    JsonObject *o;
    QmpError err = { 0 };

    g_assert_true(virtio_balloon_qom_get(f->dev, "guest-stats", &n, &err));
    g_assert_nonnull(n);
    o = json_node_get_object(n);
    *last_update = json_object_get_int_member(o, "last-update");
    json_object_ref(json_object_get_object_member(o, "stats"));
    o = json_object_get_object_member(o, "stats");
    json_node_unref(n);
    return o;
}

static void put_stats(Fixture *f, unsigned slot, uint64_t free_mem)
{
    uint8_t buf[30];

    stw_le_p(buf, 4); /* free memory */
    stq_le_p(buf + 2, free_mem);
    stw_le_p(buf + 10, 5); /* total memory */
    stq_le_p(buf + 12, 5678);
    stw_le_p(buf + 20, 99); /* a tag this device does not know */
    stq_le_p(buf + 22, 1);
    vt_add_buf(&f->d, STATS, VT_BUF(STATS, slot), buf, sizeof(buf), false);
    vt_kick(&f->d, STATS);
}

/* The statistics buffer is read and held; each poll gives it back for fresh numbers. */
static void test_stats(Fixture *f, gconstpointer data)
{
    JsonObject *st;
    JsonNode *n = NULL;
    QmpError err = { 0 };
    int64_t last;

    (void)data;
    qemu_clock_virtual_set_manual(true);
    vt_start(&f->d, 0, 3);
    st = guest_stats(f, &last);
    g_assert_cmpint(last, ==, 0);
    g_assert_cmpuint(qmp_node_get_uint64(json_object_get_member(st, "stat-free-memory")), ==,
                     UINT64_MAX);
    json_object_unref(st);

    put_stats(f, 0, 1234);
    g_assert_cmpuint(vt_used_pending(&f->d, STATS), ==, 0);
    st = guest_stats(f, &last);
    g_assert_cmpint(last, >, 0);
    g_assert_cmpint(json_object_get_int_member(st, "stat-free-memory"), ==, 1234);
    g_assert_cmpint(json_object_get_int_member(st, "stat-total-memory"), ==, 5678);
    g_assert_cmpuint(qmp_node_get_uint64(json_object_get_member(st, "stat-swap-in")), ==,
                     UINT64_MAX);
    g_assert_cmpuint(json_object_get_size(st), ==, 10);
    json_object_unref(st);

    /* Polling every 2 s: the first poll is at once, the next after the period. */
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_int(n, 2);
    g_assert_true(virtio_balloon_qom_set(f->dev, "guest-stats-polling-interval", n, &err));
    g_assert_null(err.desc);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1);
    g_assert_cmpuint(vt_used_pending(&f->d, STATS), ==, 1);
    put_stats(f, 1, 999);
    st = guest_stats(f, &last);
    g_assert_cmpint(json_object_get_int_member(st, "stat-free-memory"), ==, 999);
    json_object_unref(st);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(vt_used_pending(&f->d, STATS), ==, 1);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(vt_used_pending(&f->d, STATS), ==, 2);
    json_node_unref(n);

    g_assert_true(virtio_balloon_qom_get(f->dev, "guest-stats-polling-interval", &n, &err));
    g_assert_cmpint(json_node_get_int(n), ==, 2);
    json_node_unref(n);

    /* QEMU's errors for bad intervals. */
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_int(n, -1);
    g_assert_true(virtio_balloon_qom_set(f->dev, "guest-stats-polling-interval", n, &err));
    g_assert_cmpstr(err.desc, ==, "timer value must be greater than zero");
    g_clear_pointer(&err.desc, g_free);
    json_node_set_int(n, 1ll << 32);
    g_assert_true(virtio_balloon_qom_set(f->dev, "guest-stats-polling-interval", n, &err));
    g_assert_cmpstr(err.desc, ==, "timer value is too big");
    g_clear_pointer(&err.desc, g_free);
    json_node_set_string(n, "5");
    g_assert_true(virtio_balloon_qom_set(f->dev, "guest-stats-polling-interval", n, &err));
    g_assert_nonnull(err.desc);
    g_clear_pointer(&err.desc, g_free);
    json_node_unref(n);
    /* Not a balloon property: the caller goes on to its own error. */
    g_assert_false(virtio_balloon_qom_get(f->dev, "nope", &n, &err));
    qemu_clock_virtual_set_manual(false);
}

/* Free page reporting: the reported ranges are dropped and the chain returned. */
static void test_reporting(Fixture *f, gconstpointer data)
{
    uint32_t head, len;
    uint8_t v;

    (void)data;
    vt_start(&f->d, 0, 4);
    g_assert_true(guest_memset(0x2800000, 0x77, 8192));
    vt_add_chain(&f->d, REPORTING, (VtSeg[]){ { 0x2800000, 8192, true } }, 1);
    vt_kick(&f->d, REPORTING);
    vt_take_used(&f->d, REPORTING, &head, &len);
    g_assert_true(guest_ldub(0x2801fff, &v));
    g_assert_cmpuint(v, ==, 0);
}

/* Malformed chains break the device (no crash), a reset heals it. */
static void test_malformed(Fixture *f, gconstpointer data)
{
    uint8_t pfn[4];

    (void)data;
    vt_start(&f->d, 0, 3);
    vt_put_desc(INFLATE, 0, VT_BUF(INFLATE, 0), 4, VT_DESC_NEXT, 1);
    vt_put_desc(INFLATE, 1, VT_BUF(INFLATE, 1), 4, VT_DESC_NEXT, 0);
    vt_publish(&f->d, INFLATE, 0);
    vt_kick(&f->d, INFLATE);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);

    /* A page list outside guest RAM. */
    vt_start(&f->d, 0, 3);
    vt_add_buf(&f->d, DEFLATE, VT_RAM - 2, NULL, 4, false);
    vt_kick(&f->d, DEFLATE);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);

    /* A statistics buffer outside guest RAM. */
    vt_start(&f->d, 0, 3);
    vt_add_buf(&f->d, STATS, VT_RAM + 4096, NULL, 10, false);
    vt_kick(&f->d, STATS);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);

    vt_start(&f->d, 0, 3);
    stl_le_p(pfn, 0x100);
    vt_add_buf(&f->d, INFLATE, VT_BUF(INFLATE, 0), pfn, 4, false);
    vt_kick(&f->d, INFLATE);
    g_assert_cmpuint(vt_used_pending(&f->d, INFLATE), ==, 1);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, 0);
}

/* One balloon only; free-page-hint needs QEMU's iothread. */
static void test_errors(void)
{
    VtDriver d;
    DeviceState *dev;
    Error *err = NULL;

    vt_machine_new(&d);
    g_assert_false(virtio_balloon_active());
    dev = vt_try_add(&d, "virtio-balloon-pci", NULL, &error_abort);
    g_assert_null(vt_try_add(&d, "virtio-balloon-pci", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Only one balloon device is supported");
    g_clear_pointer(&err, error_free);
    qdev_free(dev);
    g_assert_false(virtio_balloon_active());
    g_assert_null(vt_try_add(&d, "virtio-balloon-pci",
                             (const char *const[]){ "free-page-hint", "on", NULL }, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "'free-page-hint' requires 'iothread' to be set");
    g_clear_pointer(&err, error_free);
    g_assert_null(
        vt_try_add(&d, "virtio-balloon-pci", (const char *const[]){ "vectors", "3", NULL }, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Property 'virtio-balloon-pci.vectors' not found");
    g_clear_pointer(&err, error_free);
    vt_machine_free(&d);
}

/*
 * VIRTIO_F_RING_RESET: the driver resets the statistics queue alone.  The
 * held buffer is dropped (never written to the old ring), the queue reads as
 * after a device reset, and once set up again at a new place it works there.
 */
static void test_ring_reset(Fixture *f, gconstpointer data)
{
    const uint64_t new_ring = VT_RING(VT_MAXQ - 1);
    JsonNode *n = json_node_init_int(json_node_alloc(), 1);
    QmpError err = { 0 };
    uint32_t id, len;
    uint16_t used;

    (void)data;
    qemu_clock_virtual_set_manual(true);
    g_assert_true(vt_host_features(&f->d) >> VT_F_RING_RESET & 1);
    vt_start(&f->d, 0, 3);
    put_stats(f, 0, 1234);
    g_assert_cmpuint(vt_used_pending(&f->d, STATS), ==, 0); /* held */
    vt_write(&f->d, VT_COMMON + VT_C_QSELECT, STATS, 2);
    vt_write(&f->d, VT_COMMON + VT_C_QRESET, 1, 2);
    /* Done at once: Linux waits for queue_reset and queue_enable to read 0. */
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QRESET, 2), ==, 0);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QENABLE, 2), ==, 0);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QSIZE, 2), ==, 128);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QDESC, 4), ==, 0);
    /* The other queues are untouched. */
    vt_write(&f->d, VT_COMMON + VT_C_QSELECT, 0, 2);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QENABLE, 2), ==, 1);
    /* A poll now has nothing to give back, and the old ring stays as it was. */
    g_assert_true(virtio_balloon_qom_set(f->dev, "guest-stats-polling-interval", n, &err));
    g_assert_null(err.desc);
    json_node_unref(n);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1);
    g_assert_cmpuint(vt_used_idx(STATS), ==, 0);
    /* The queue set up again elsewhere: a new buffer is held, then given back there. */
    g_assert_true(guest_memset(new_ring, 0, 0x3000));
    vt_write(&f->d, VT_COMMON + VT_C_QSELECT, STATS, 2);
    vt_write(&f->d, VT_COMMON + VT_C_QSIZE, 1, 2);
    vt_write(&f->d, VT_COMMON + VT_C_QDESC, new_ring, 4);
    vt_write(&f->d, VT_COMMON + VT_C_QAVAIL, new_ring + 0x1000, 4);
    vt_write(&f->d, VT_COMMON + VT_C_QUSED, new_ring + 0x2000, 4);
    vt_write(&f->d, VT_COMMON + VT_C_QENABLE, 1, 2);
    vt_put_desc(VT_MAXQ - 1, 0, VT_BUF(STATS, 1), 10, 0, 0);
    g_assert_true(guest_stw_le(new_ring + 0x1000 + 4, 0));
    g_assert_true(guest_stw_le(new_ring + 0x1000 + 2, 1));
    g_assert_true(guest_stw_le(VT_BUF(STATS, 1), 4));
    g_assert_true(guest_stq_le(VT_BUF(STATS, 1) + 2, 4321));
    vt_kick(&f->d, STATS);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + NANOSECONDS_PER_SECOND);
    g_assert_true(guest_ldl_le(new_ring + 0x2000 + 4, &id));
    g_assert_true(guest_ldl_le(new_ring + 0x2000 + 8, &len));
    g_assert_true(guest_lduw_le(new_ring + 0x2000 + 2, &used));
    g_assert_cmpuint(used, ==, 1);
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpuint(vt_used_idx(STATS), ==, 0);
    qemu_clock_virtual_set_manual(false);
}

/* Without the feature negotiated, or with queue_reset=off, queue_reset does nothing. */
static void test_ring_reset_off(Fixture *f, gconstpointer data)
{
    if (data) {
        g_assert_false(vt_host_features(&f->d) >> VT_F_RING_RESET & 1);
    }
    vt_start(&f->d, 1ull << VT_F_RING_RESET, 3);
    vt_write(&f->d, VT_COMMON + VT_C_QSELECT, STATS, 2);
    vt_write(&f->d, VT_COMMON + VT_C_QRESET, 1, 2);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QENABLE, 2), ==, 1);
    g_assert_cmpuint(vt_read(&f->d, VT_COMMON + VT_C_QDESC, 4), ==, VT_DESC(STATS));
}

#define T(name, fn, props) g_test_add(name, Fixture, props, setup, fn, teardown)

int main(int argc, char **argv)
{
    static const char *const opt_props[] = { "deflate-on-oom",      "on", "page-poison", "off",
                                             "free-page-reporting", "on", NULL };
    /* Static: the fixtures read it after main's statement that names it has ended. */
    static const char *const no_reset[] = { "queue_reset", "off", NULL };

    g_test_init(&argc, &argv, NULL);
    T("/virtio-balloon/features-config", test_features_config, NULL);
    T("/virtio-balloon/feature-props", test_feature_props, opt_props);
    T("/virtio-balloon/target-actual", test_target_actual, NULL);
    T("/virtio-balloon/inflate-deflate", test_inflate_deflate, NULL);
    T("/virtio-balloon/poison-keeps-pages", test_poison_keeps_pages, NULL);
    T("/virtio-balloon/stats", test_stats, NULL);
    T("/virtio-balloon/reporting", test_reporting, opt_props);
    T("/virtio-balloon/malformed", test_malformed, NULL);
    g_test_add_func("/virtio-balloon/errors", test_errors);
    T("/virtio-balloon/ring-reset", test_ring_reset, NULL);
    T("/virtio-balloon/ring-reset-not-negotiated", test_ring_reset_off, NULL);
    T("/virtio-balloon/ring-reset-off", test_ring_reset_off, no_reset);
    return g_test_run();
}

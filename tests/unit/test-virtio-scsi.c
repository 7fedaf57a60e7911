/*
 * virtio-scsi-pci's event queue (hw/virtio/virtio-scsi.c) driven as Linux's
 * virtio_scsi would: units hot-plugged and unplugged report TRANSPORT_RESET
 * events with their LUN, an event without a buffer is lost and the next one
 * says EVENTS_MISSED, a driver without the feature gets none, a buffer too
 * small breaks the device; the bus's REPORTED LUNS DATA HAS CHANGED.
 */
#include "virtio-test-driver.h"
#include "hw/qdev-hotplug.h"
#include "hw/qdev-properties.h"
#include "hw/scsi/scsi.h"
#include "block/block-backend.h"
#include "sysemu/blockdev.h"

#define F_HOTPLUG 1
#define F_CHANGE 2

#define CTRL 0
#define EVENT 1
#define REQ 2

#define T_NO_EVENT 0
#define T_TRANSPORT_RESET 1
#define T_EVENTS_MISSED 0x80000000u
#define EVT_RESCAN 1
#define EVT_REMOVED 2

typedef struct Fixture {
    VtDriver d;
    DeviceState *dev;
    SCSIBus *bus;
} Fixture;

static const char *const one_queue[] = { "num_queues", "1", NULL };

static void setup(Fixture *f, gconstpointer data)
{
    (void)data;
    vt_machine_new(&f->d);
    f->dev = vt_try_add(&f->d, "virtio-scsi-pci", one_queue, &error_abort);
    f->d.dev = (PCIDevice *)f->dev;
    f->bus = (SCSIBus *)g_ptr_array_index(f->dev->child_buses, 0);
    qdev_reset_all();
}

static void teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    qdev_free(f->dev);
    vt_machine_free(&f->d);
}

/* A scsi-hd at target id on a null drive, plugged as device_add plugs it. */
static DeviceState *plug(Fixture *f, const char *drive, int id)
{
    g_autofree char *spec = g_strdup_printf("if=none,id=%s,file=null-co://,format=raw", drive);
    g_autofree char *sid = g_strdup_printf("%d", id);
    char *err = NULL;
    DeviceState *dev;

    g_assert_nonnull(drive_new(spec, &err));
    dev = qdev_new("scsi-hd");
    g_assert_true(qdev_prop_set_text(dev, "drive", drive, &error_abort));
    g_assert_true(qdev_prop_parse(dev, "scsi-id", sid, PROP_SRC_CMDLINE, &error_abort));
    qdev_hotplug = true;
    g_assert_true(qdev_realize_and_unref(dev, &f->bus->qbus, &error_abort));
    qdev_hotplug = false;
    return dev;
}

static void unplug(Fixture *f, DeviceState *dev)
{
    const HotplugHandler *h = qbus_get_hotplug_handler(&f->bus->qbus);

    g_assert_nonnull(h);
    g_assert_true(h->unplug_request(&f->bus->qbus, dev, &error_abort));
}

/* Give the event queue n buffers of len bytes. */
static void give(Fixture *f, unsigned n, uint32_t len)
{
    for (unsigned i = 0; i < n; i++) {
        vt_add_buf(&f->d, EVENT, VT_BUF(EVENT, f->d.next_desc[EVENT]), NULL, len, true);
    }
    vt_kick(&f->d, EVENT);
}

/* The next event: its type, LUN bytes and reason. */
static void take_event(Fixture *f, uint32_t *event, uint8_t lun[8], uint32_t *reason)
{
    uint32_t id, len;
    uint8_t ev[16];

    vt_take_used(&f->d, EVENT, &id, &len);
    g_assert_cmpuint(len, ==, 16);
    g_assert_true(guest_read(VT_BUF(EVENT, id), ev, 16));
    *event = ldl_le_p(ev);
    memcpy(lun, ev + 4, 8);
    *reason = ldl_le_p(ev + 12);
}

static void test_plug_unplug(Fixture *f, gconstpointer data)
{
    static const uint8_t lun3[8] = { 1, 3, 0, 0 };
    uint32_t event, reason;
    uint8_t lun[8];
    DeviceState *dev;

    (void)data;
    g_assert_true(vt_host_features(&f->d) >> F_HOTPLUG & 1);
    g_assert_true(vt_host_features(&f->d) >> F_CHANGE & 1);
    vt_start(&f->d, 0, 3);
    give(f, 4, 16);
    dev = plug(f, "hp0", 3);
    g_assert_cmpuint(vt_used_pending(&f->d, EVENT), ==, 1);
    take_event(f, &event, lun, &reason);
    g_assert_cmpuint(event, ==, T_TRANSPORT_RESET);
    g_assert_cmpmem(lun, 8, lun3, 8);
    g_assert_cmpuint(reason, ==, EVT_RESCAN);
    g_assert_cmpuint(f->bus->unit_attention.asc, ==, 0x3f);
    g_assert_cmpuint(f->bus->unit_attention.ascq, ==, 0x0e);
    unplug(f, dev);
    g_assert_null(scsi_device_find(f->bus, 0, 3, 0));
    g_assert_null(blk_by_name("hp0")); /* the -drive went with it */
    take_event(f, &event, lun, &reason);
    g_assert_cmpuint(event, ==, T_TRANSPORT_RESET);
    g_assert_cmpmem(lun, 8, lun3, 8);
    g_assert_cmpuint(reason, ==, EVT_REMOVED);
}

/* No buffer: the event is lost; the next buffer brings NO_EVENT | EVENTS_MISSED. */
static void test_missed(Fixture *f, gconstpointer data)
{
    static const uint8_t none[8] = { 0 };
    uint32_t event, reason;
    uint8_t lun[8];

    (void)data;
    vt_start(&f->d, 0, 3);
    plug(f, "hp1", 1);
    g_assert_cmpuint(vt_used_pending(&f->d, EVENT), ==, 0);
    give(f, 1, 16);
    take_event(f, &event, lun, &reason);
    g_assert_cmpuint(event, ==, T_NO_EVENT | T_EVENTS_MISSED);
    g_assert_cmpmem(lun, 8, none, 8);
    g_assert_cmpuint(reason, ==, 0);
    /* Reported once: the next event is plain. */
    give(f, 1, 16);
    g_assert_cmpuint(vt_used_pending(&f->d, EVENT), ==, 0);
    plug(f, "hp2", 2);
    take_event(f, &event, lun, &reason);
    g_assert_cmpuint(event, ==, T_TRANSPORT_RESET);
}

/* A driver without VIRTIO_SCSI_F_HOTPLUG hears nothing, and the bus sets no unit attention. */
static void test_no_feature(Fixture *f, gconstpointer data)
{
    (void)data;
    vt_start(&f->d, 1ull << F_HOTPLUG, 3);
    give(f, 2, 16);
    plug(f, "hp3", 4);
    g_assert_cmpuint(vt_used_pending(&f->d, EVENT), ==, 0);
    g_assert_cmpuint(f->bus->unit_attention.key, ==, 0);
}

/* An event buffer shorter than an event: the device is broken, as a malformed request. */
static void test_short_buffer(Fixture *f, gconstpointer data)
{
    (void)data;
    vt_start(&f->d, 0, 3);
    give(f, 1, 8);
    plug(f, "hp4", 5);
    g_assert_cmpuint(vt_used_pending(&f->d, EVENT), ==, 0);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
#define T(name, fn) g_test_add(name, Fixture, NULL, setup, fn, teardown)
    T("/virtio-scsi/plug-unplug", test_plug_unplug);
    T("/virtio-scsi/events-missed", test_missed);
    T("/virtio-scsi/no-hotplug-feature", test_no_feature);
    T("/virtio-scsi/short-event-buffer", test_short_buffer);
#undef T
    return g_test_run();
}

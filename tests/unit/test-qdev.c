/*
 * The device core: typed properties (good and bad values, QEMU's exact
 * errors), defaults, -global, buses and their reset order, interrupt lines,
 * paths and ids, help output, state fields; and the VIO bus on it.
 */
#include "hw/qdev-core.h"
#include "hw/qdev-monitor.h"
#include "hw/qdev-properties.h"
#include "hw/ppc/spapr_vio.h"
#include "chardev/char-internal.h"
#include "qemu/module.h"
#include <json-glib/json-glib.h>
#include <libfdt.h>

/* ---- A test device with one property of every type ---------------------------- */

typedef struct TestDev {
    DeviceState qdev;
    char *name;
    bool flag;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    uint64_t size;
    struct Chardev *chr;
    DeviceState *peer;
    uint32_t counter; /* state, not a property */
} TestDev;

static GString *events; /* "realize:a reset:b ..." */

static void log_event(const char *what, DeviceState *dev)
{
    g_string_append_printf(events, "%s:%s ", what, dev->id ? dev->id : "?");
}

static bool test_realize(DeviceState *dev, Error **errp)
{
    TestDev *t = (TestDev *)dev;

    if (t->u8 == 99) {
        error_setg(errp, "u8 may not be 99");
        return false;
    }
    log_event("realize", dev);
    return true;
}

static void test_reset(DeviceState *dev)
{
    ((TestDev *)dev)->counter = 0;
    log_event("reset", dev);
}

static void test_unrealize(DeviceState *dev)
{
    log_event("unrealize", dev);
}

static const Property test_props[] = {
    DEFINE_PROP_STRING("name", TestDev, name),
    DEFINE_PROP_BOOL("flag", TestDev, flag, true),
    DEFINE_PROP_UINT8("u8", TestDev, u8, 7),
    DEFINE_PROP_UINT16("u16", TestDev, u16, 0xffff),
    DEFINE_PROP_UINT32("u32", TestDev, u32, UINT32_MAX),
    DEFINE_PROP_UINT64("u64", TestDev, u64, 1ULL << 40),
    DEFINE_PROP_INT32("i32", TestDev, i32, -1),
    DEFINE_PROP_SIZE("size", TestDev, size, 4096),
    DEFINE_PROP_CHR("chardev", TestDev, chr),
    DEFINE_PROP_LINK("peer", TestDev, peer, "test-dev"),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateField test_fields[] = {
    VMSTATE_UINT32(counter, TestDev),
    VMSTATE_UINT16(u16, TestDev),
    VMSTATE_BOOL(flag, TestDev),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription test_vmsd = {
    .name = "test_dev",
    .version_id = 1,
    .fields = test_fields,
};

/* A bus kind whose children sort by u32, and whose plug refuses u16 == 0. */
static bool test_bus_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    if (((TestDev *)dev)->u16 == 0) {
        error_setg(errp, "u16 0 is no address");
        return false;
    }
    return true;
}

static int test_bus_compare(DeviceState *a, DeviceState *b)
{
    uint32_t x = ((TestDev *)a)->u32, y = ((TestDev *)b)->u32;

    return x < y ? -1 : x > y;
}

static const BusClass test_bus_class = {
    .name = "test-bus",
    .instance_size = sizeof(BusState),
    .plug = test_bus_plug,
    .compare = test_bus_compare,
};

static const DeviceClass test_dev_class = {
    .name = "test-dev",
    .desc = "A device for tests",
    .category = DEVICE_CATEGORY_MISC,
    .instance_size = sizeof(TestDev),
    .props = test_props,
    .vmsd = &test_vmsd,
    .num_irq_out = 2,
    .realize = test_realize,
    .unrealize = test_unrealize,
    .reset = test_reset,
};

/* A child type on test-bus: inherits the properties, adds none. */
static const DeviceClass test_child_class = {
    .name = "test-child",
    .parent = &test_dev_class,
    .bus_type = "test-bus",
    .category = DEVICE_CATEGORY_MISC,
};

static const DeviceClass test_hidden_class = {
    .name = "test-hidden",
    .parent = &test_dev_class,
    .no_user = true,
};

static void setup(void)
{
    qdev_tree_reset();
    qdev_global_clear();
    qemu_chr_cleanup_all();
    if (!events) {
        events = g_string_new(NULL);
    }
    g_string_truncate(events, 0);
}

static TestDev *new_test(const char *id)
{
    DeviceState *dev = qdev_try_new("test-dev", &error_abort);

    qdev_set_id(dev, id, &error_abort);
    return (TestDev *)dev;
}

/* The error of setting name=value from the command line, or NULL on success. */
static char *parse_err(DeviceState *dev, const char *name, const char *value, PropSource src)
{
    Error *err = NULL;

    return qdev_prop_parse(dev, name, value, src, &err) ? NULL : error_steal_message(err);
}

#define assert_parse_err(dev, name, value, src, want)                                              \
    do {                                                                                           \
        g_autofree char *e_ = parse_err(dev, name, value, src);                                    \
        g_assert_cmpstr(e_, ==, want);                                                             \
    } while (0)

/* ---- Properties ---------------------------------------------------------------- */

static void test_defaults(void)
{
    TestDev *t;

    setup();
    t = new_test(NULL);
    g_assert_null(t->name);
    g_assert_true(t->flag);
    g_assert_cmpuint(t->u8, ==, 7);
    g_assert_cmpuint(t->u16, ==, 0xffff);
    g_assert_cmpuint(t->u32, ==, 0xffffffff);
    g_assert_cmpuint(t->u64, ==, 0x10000000000ULL);
    g_assert_cmpint(t->i32, ==, -1);
    g_assert_cmpuint(t->size, ==, 4096);
    g_assert_null(t->chr);
    g_assert_false(qdev_prop_is_set(&t->qdev, "u8"));
    qdev_free(&t->qdev);
}

static void test_parse_good(void)
{
    static const char *const on[] = { "on", "yes", "true" };
    static const char *const off[] = { "off", "no", "false" };
    TestDev *t;

    setup();
    t = new_test(NULL);
    for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
        g_assert_null(parse_err(&t->qdev, "flag", off[i], PROP_SRC_CMDLINE));
        g_assert_false(t->flag);
        g_assert_null(parse_err(&t->qdev, "flag", on[i], PROP_SRC_CMDLINE));
        g_assert_true(t->flag);
    }
    g_assert_null(parse_err(&t->qdev, "u8", "255", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->u8, ==, 255);
    g_assert_null(parse_err(&t->qdev, "u16", "0x1234", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->u16, ==, 0x1234);
    g_assert_null(parse_err(&t->qdev, "u32", "0x71000000", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->u32, ==, 0x71000000);
    /* A negative uint64 wraps (QEMU takes "-1" as all ones). */
    g_assert_null(parse_err(&t->qdev, "u64", "-1", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->u64, ==, UINT64_MAX);
    g_assert_null(parse_err(&t->qdev, "i32", "-2147483648", PROP_SRC_CMDLINE));
    g_assert_cmpint(t->i32, ==, INT32_MIN);
    g_assert_null(parse_err(&t->qdev, "size", "2M", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->size, ==, 2 * 1024 * 1024);
    g_assert_null(parse_err(&t->qdev, "size", "1.5k", PROP_SRC_CMDLINE));
    g_assert_cmpuint(t->size, ==, 1536);
    g_assert_null(parse_err(&t->qdev, "name", "hello, world", PROP_SRC_CMDLINE));
    g_assert_cmpstr(t->name, ==, "hello, world");
    g_assert_true(qdev_prop_is_set(&t->qdev, "u8"));
    g_assert_false(qdev_prop_is_set(&t->qdev, "chardev"));
    qdev_free(&t->qdev);
}

/* Every message below is what QEMU 7.2 prints for the same value. */
static void test_parse_bad(void)
{
    TestDev *t;

    setup();
    t = new_test(NULL);
    assert_parse_err(&t->qdev, "nope", "1", PROP_SRC_CMDLINE, "Property 'test-dev.nope' not found");
    assert_parse_err(&t->qdev, "flag", "maybe", PROP_SRC_CMDLINE,
                     "Parameter 'flag' expects 'on' or 'off'");
    assert_parse_err(&t->qdev, "flag", "", PROP_SRC_CMDLINE,
                     "Parameter 'flag' expects 'on' or 'off'");
    assert_parse_err(&t->qdev, "u8", "abc", PROP_SRC_CMDLINE, "Parameter 'u8' expects integer");
    assert_parse_err(&t->qdev, "u8", "1k", PROP_SRC_CMDLINE, "Parameter 'u8' expects integer");
    assert_parse_err(&t->qdev, "u8", "", PROP_SRC_CMDLINE, "Parameter 'u8' expects integer");
    assert_parse_err(&t->qdev, "u8", "256", PROP_SRC_CMDLINE, "Parameter 'u8' expects uint8_t");
    assert_parse_err(&t->qdev, "u8", "-1", PROP_SRC_CMDLINE, "Parameter 'u8' expects uint8_t");
    assert_parse_err(&t->qdev, "u16", "65536", PROP_SRC_CMDLINE,
                     "Parameter 'u16' expects uint16_t");
    assert_parse_err(&t->qdev, "u32", "0x100000000", PROP_SRC_CMDLINE,
                     "Parameter 'u32' expects uint32_t");
    assert_parse_err(&t->qdev, "u64", "0x1ffffffffffffffff", PROP_SRC_CMDLINE,
                     "Parameter 'u64' expects integer");
    assert_parse_err(&t->qdev, "i32", "2147483648", PROP_SRC_CMDLINE,
                     "Parameter 'i32' expects int32_t");
    assert_parse_err(&t->qdev, "size", "1k2", PROP_SRC_CMDLINE, "Parameter 'size' expects size");
    assert_parse_err(&t->qdev, "size", "-1", PROP_SRC_CMDLINE, "Parameter 'size' expects size");
    assert_parse_err(&t->qdev, "size", "16E", PROP_SRC_CMDLINE, "Parameter 'size' expects size");
    assert_parse_err(&t->qdev, "chardev", "nope", PROP_SRC_CMDLINE,
                     "Property 'test-dev.chardev' can't find value 'nope'");
    assert_parse_err(&t->qdev, "peer", "nope", PROP_SRC_CMDLINE, "Device 'nope' not found");
    /* -global words a non-number differently from -device. */
    assert_parse_err(&t->qdev, "u32", "abc", PROP_SRC_GLOBAL, "Parameter 'u32' expects uint64");
    assert_parse_err(&t->qdev, "u32", "-1", PROP_SRC_GLOBAL, "Parameter 'u32' expects uint32_t");
    /* Nothing was changed by the failures. */
    g_assert_cmpuint(t->u8, ==, 7);
    g_assert_cmpuint(t->u32, ==, UINT32_MAX);
    g_assert_cmpuint(t->size, ==, 4096);
    g_assert_false(qdev_prop_is_set(&t->qdev, "u8"));
    qdev_free(&t->qdev);
}

/* JSON values are typed: the wrong kind is an error, in QEMU's words. */
static void test_json_values(void)
{
    Error *err = NULL;
    TestDev *t;

    setup();
    t = new_test(NULL);
    g_assert_true(qdev_prop_set_integer(&t->qdev, "u32", 0x71000010, false, &error_abort));
    g_assert_cmpuint(t->u32, ==, 0x71000010);
    g_assert_false(qdev_prop_set_integer(&t->qdev, "u32", -1, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'u32' expects uint32_t");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_prop_set_integer(&t->qdev, "u32", 1LL << 32, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'u32' expects uint32_t");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_prop_set_text(&t->qdev, "u32", "0x10", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'u32' expects uint64");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_prop_set_integer(&t->qdev, "name", 5, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'name', expected: string");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_prop_set_text(&t->qdev, "flag", "on", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'flag', expected: boolean");
    g_clear_pointer(&err, error_free);
    g_assert_true(qdev_prop_set_boolean(&t->qdev, "flag", false, &error_abort));
    g_assert_false(t->flag);
    qdev_free(&t->qdev);
}

static void test_globals(void)
{
    Error *err = NULL;
    TestDev *t;

    setup();
    g_assert_true(qdev_global_add("test-dev.u8=42", &error_abort));
    g_assert_true(qdev_global_add("driver=test-dev,property=name,value=g", &error_abort));
    /* A type that never appears is ignored, as in QEMU. */
    g_assert_true(qdev_global_add("no-such-type.x=1", &error_abort));
    /* Everything after the first '=' is the value. */
    g_assert_true(qdev_global_add("test-child.name=a,b=c", &error_abort));
    t = new_test(NULL);
    g_assert_cmpuint(t->u8, ==, 42);
    g_assert_cmpstr(t->name, ==, "g");
    g_assert_true(qdev_prop_is_set(&t->qdev, "u8"));
    qdev_free(&t->qdev);
    /* A parent type's global applies to its children too, in order. */
    t = (TestDev *)qdev_try_new("test-child", &error_abort);
    g_assert_cmpuint(t->u8, ==, 42);
    g_assert_cmpstr(t->name, ==, "a,b=c");
    qdev_free(&t->qdev);

    g_assert_false(qdev_global_add("test-dev", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'test-dev'");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_add(".u8=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter '.u8'");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_add("test-dev.=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'test-dev.'");
    g_clear_pointer(&err, error_free);

    g_assert_true(qdev_global_add("test-dev.u32=abc", &error_abort));
    g_assert_null(qdev_try_new("test-dev", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.u32=abc: Parameter 'u32' expects uint64");
    g_clear_pointer(&err, error_free);
    qdev_global_clear();
    g_assert_true(qdev_global_add("test-dev.bogus=1", &error_abort));
    g_assert_null(qdev_try_new("test-dev", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.bogus=1: Property 'test-dev.bogus' not found");
    g_clear_pointer(&err, error_free);
    qdev_global_clear();
}

/* ---- Buses, reset order, realize failures -------------------------------------------- */

static TestDev *plug_child(BusState *bus, const char *id, uint32_t order)
{
    TestDev *t = (TestDev *)qdev_try_new("test-child", &error_abort);

    qdev_set_id(&t->qdev, id, &error_abort);
    t->u32 = order;
    g_assert_true(qdev_realize(&t->qdev, bus, &error_abort));
    return t;
}

static void test_bus_reset_order(void)
{
    TestDev *top = new_test("top");
    BusState *bus, *sub;
    TestDev *c2;

    setup();
    qdev_free(&top->qdev);
    top = new_test("top");
    g_assert_true(qdev_realize(&top->qdev, NULL, &error_abort));
    bus = qbus_new(&test_bus_class, &top->qdev, "tb0");
    /* Plugged out of order: the bus keeps them sorted by its compare (u32). */
    plug_child(bus, "c3", 3);
    c2 = plug_child(bus, "c2", 2);
    plug_child(bus, "c1", 1);
    sub = qbus_new(&test_bus_class, &c2->qdev, "tb1");
    plug_child(sub, "g2", 20);
    plug_child(sub, "g1", 10);
    g_assert_true(qbus_find_by_type("test-bus") == bus);
    g_string_truncate(events, 0);
    c2->counter = 5;
    qdev_reset_all();
    /* Depth-first: a device's buses (in order) before the device itself. */
    g_assert_cmpstr(events->str, ==, "reset:c1 reset:g1 reset:g2 reset:c2 reset:c3 reset:top ");
    g_assert_cmpuint(c2->counter, ==, 0);
    /* Freeing the top frees everything below it, children first. */
    g_string_truncate(events, 0);
    qdev_free(&top->qdev);
    g_assert_cmpstr(events->str, ==,
                    "unrealize:c3 unrealize:g2 unrealize:g1 unrealize:c2 unrealize:c1 "
                    "unrealize:top ");
    g_assert_null(qdev_find_by_id("c1"));
}

static void test_realize_errors(void)
{
    Error *err = NULL;
    TestDev *top, *t;
    BusState *bus;

    setup();
    top = new_test("top");
    g_assert_true(qdev_realize(&top->qdev, NULL, &error_abort));
    bus = qbus_new(&test_bus_class, &top->qdev, "tb0");
    /* A device that needs a bus, given none. */
    t = (TestDev *)qdev_try_new("test-child", &error_abort);
    g_assert_false(qdev_realize(&t->qdev, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "No 'test-bus' bus found for device 'test-child'");
    g_clear_pointer(&err, error_free);
    /* The bus's plug hook refuses it: not on the bus, not realized. */
    t->u16 = 0;
    g_assert_false(qdev_realize(&t->qdev, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "u16 0 is no address");
    g_clear_pointer(&err, error_free);
    g_assert_cmpuint(bus->children->len, ==, 0);
    /* Its realize refuses it. */
    t->u16 = 1;
    t->u8 = 99;
    g_assert_false(qdev_realize(&t->qdev, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "u8 may not be 99");
    g_clear_pointer(&err, error_free);
    g_assert_false(t->qdev.realized);
    g_assert_cmpuint(bus->children->len, ==, 0);
    qdev_free(&t->qdev);
    /* A bus-less device on a bus. */
    t = new_test(NULL);
    g_assert_false(qdev_realize(&t->qdev, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'test-dev' can't go on test-bus bus");
    g_clear_pointer(&err, error_free);
    qdev_free(&t->qdev);
    qdev_tree_reset();
}

/* ---- Interrupt lines -------------------------------------------------------------- */

typedef struct Sink {
    int level[8];
    int changes;
} Sink;

static void sink_set(void *opaque, int n, int level)
{
    Sink *s = opaque;

    s->level[n] = level;
    s->changes++;
}

static void test_irq_wiring(void)
{
    TestDev *src, *ctl;
    Sink s = { 0 };
    qemu_irq line;

    setup();
    src = new_test("src");
    ctl = new_test("ctl");
    g_assert_cmpuint(src->qdev.num_irq_out, ==, 2);
    /* Unwired lines are ignored. */
    qemu_irq_raise(qdev_get_irq_out(&src->qdev, 1));
    /* The controller side: input lines that call its handler with their number. */
    qdev_init_irq_in(&ctl->qdev, NULL, 0);
    line = qemu_allocate_irq(sink_set, &s, 5);
    qdev_connect_irq_out(&src->qdev, 1, line);
    qemu_irq_raise(qdev_get_irq_out(&src->qdev, 1));
    g_assert_cmpint(s.level[5], ==, 1);
    qemu_irq_pulse(qdev_get_irq_out(&src->qdev, 1));
    g_assert_cmpint(s.level[5], ==, 0);
    g_assert_cmpint(s.changes, ==, 3);
    qemu_free_irq(line);
    qdev_free(&src->qdev);
    qdev_free(&ctl->qdev);
}

static Sink in_sink;

static void in_handler(void *opaque, int n, int level)
{
    g_assert_nonnull(opaque); /* the device that owns the input */
    sink_set(&in_sink, n, level);
}

static void test_irq_in(void)
{
    TestDev *src, *ctl;

    setup();
    memset(&in_sink, 0, sizeof(in_sink));
    src = new_test("src");
    ctl = new_test("ctl");
    qdev_init_irq_in(&ctl->qdev, in_handler, 4);
    qdev_connect_irq_out(&src->qdev, 0, qdev_get_irq_in(&ctl->qdev, 3));
    qemu_irq_raise(qdev_get_irq_out(&src->qdev, 0));
    g_assert_cmpint(in_sink.level[3], ==, 1);
    g_assert_cmpint(in_sink.level[2], ==, 0);
    qdev_free(&src->qdev);
    qdev_free(&ctl->qdev);
}

/* ---- Paths, ids, -device -------------------------------------------------------------- */

static void test_paths_and_ids(void)
{
    Error *err = NULL;
    DeviceState *a, *b, *board, *named;

    setup();
    a = qdev_device_add_str("test-dev,id=con0,u8=1", &error_abort);
    b = qdev_device_add_str("test-dev,u8=2", &error_abort);
    board = qdev_new("test-hidden");
    g_assert_true(qdev_realize_and_unref(board, NULL, &error_abort));
    named = qdev_new("test-hidden");
    qdev_set_child_name(named, "ics");
    g_assert_true(qdev_realize_and_unref(named, NULL, &error_abort));
    g_assert_cmpstr(a->path, ==, "/machine/peripheral/con0");
    g_assert_cmpstr(b->path, ==, "/machine/peripheral-anon/device[0]");
    g_assert_cmpstr(board->path, ==, "/machine/unattached/device[0]");
    g_assert_cmpstr(named->path, ==, "/machine/ics");
    g_assert_true(qdev_find_by_id("con0") == a);
    g_assert_true(qdev_find_by_path("/machine/peripheral-anon/device[0]") == b);
    g_assert_true(qdev_find_by_path("/machine/ics") == named);
    g_assert_null(qdev_find_by_path("/machine/peripheral/nope"));
    /* Links resolve by id or by path. */
    g_assert_nonnull(qdev_device_add_str("test-dev,id=l1,peer=con0", &error_abort));
    g_assert_true(((TestDev *)qdev_find_by_id("l1"))->peer == a);
    g_assert_nonnull(
        qdev_device_add_str("test-dev,peer=/machine/peripheral-anon/device[0]", &error_abort));
    g_assert_null(qdev_device_add_str("test-dev,id=con0", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'con0' for device");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("test-hidden", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'driver' expects a pluggable device type");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("nosuch,u8=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "'nosuch' is not a valid device model name");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("u8=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'driver' is missing");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("test-child", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "No 'test-bus' bus found for device 'test-child'");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("test-dev,bus=nope", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Bus 'nope' not found");
    g_clear_pointer(&err, error_free);
    /* A failed -device leaves no device behind and takes no anon number. */
    g_assert_null(qdev_device_add_str("test-dev,id=bad,u8=99", &err));
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_find_by_id("bad"));
    b = qdev_device_add_str("test-dev", &error_abort);
    g_assert_cmpstr(b->path, ==, "/machine/peripheral-anon/device[2]");
    qdev_tree_reset();
}

static void test_device_arg_checks(void)
{
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    Error *err = NULL;

    g_assert_true(qdev_device_check_arg("test-dev,id=a.b-c_d", ids, &error_abort));
    g_assert_false(qdev_device_check_arg("nosuch,id=a.b-c_d", ids, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'a.b-c_d' for device");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_device_check_arg("test-dev,id=1a", ids, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'id' expects an identifier");
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Identifiers consist of letters, digits, '-', '.', '_', starting with a "
                    "letter.\n");
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_device_check_arg("{\"driver\":\"x\",\"id\":\"a.b-c_d\"}", ids, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'a.b-c_d' for device");
    g_clear_pointer(&err, error_free);
}

static void test_device_add_forms(void)
{
    Error *err = NULL;
    TestDev *t;

    setup();
    /* A repeated key: the last value wins. */
    t = (TestDev *)qdev_device_add_str("test-dev,u8=1,u8=9,flag=off", &error_abort);
    g_assert_cmpuint(t->u8, ==, 9);
    g_assert_false(t->flag);
    t = (TestDev *)qdev_device_add_str(
        "{\"driver\":\"test-dev\",\"id\":\"j\",\"u32\":1895825424,\"flag\":false,\"name\":\"x\"}",
        &error_abort);
    g_assert_cmpuint(t->u32, ==, 0x71000010);
    g_assert_false(t->flag);
    g_assert_cmpstr(t->name, ==, "x");
    g_assert_cmpstr(t->qdev.path, ==, "/machine/peripheral/j");
    g_assert_null(qdev_device_add_str("{\"driver\":\"test-dev\",\"u32\":null}", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'u32' expects uint64");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("{\"driver\":\"test-dev\",\"nope\":1}", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Property 'test-dev.nope' not found");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("{\"u8\":1}", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'driver' is missing");
    g_clear_pointer(&err, error_free);
    qdev_tree_reset();
}

static char *capture(bool (*fn)(const char *, FILE *, Error **), const char *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    g_assert_true(fn(arg, f, &error_abort));
    fclose(f);
    return buf;
}

static void test_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    g_autofree char *props = NULL;
    g_autofree char *vty = NULL;

    qdev_list_types(f);
    fclose(f);
    /* Grouped by category in QEMU's order; board-only and abstract types hidden. */
    g_assert_nonnull(strstr(buf, "Input devices:\nname \"spapr-vty\", bus spapr-vio-bus\n"));
    g_assert_nonnull(strstr(buf, "\n\nMisc devices:\nname \"pci-testdev\", bus PCI, desc "
                                 "\"PCI Test Device\"\nname \"test-child\", bus test-bus\n"
                                 "name \"test-dev\", desc \"A device for tests\"\n"));
    g_assert_null(strstr(buf, "test-hidden"));
    g_assert_null(strstr(buf, "vio-spapr-device"));
    /* QEMU's first group, the PCI host bridge; later Network (spapr-vlan). */
    g_assert_true(g_str_has_prefix(buf, "Controller/Bridge/Hub devices:\n"));
    g_assert_nonnull(strstr(buf, "Controller/Bridge/Hub devices:\n"
                                 "name \"spapr-pci-host-bridge\", bus System\n\n"));
    g_assert_nonnull(strstr(buf, "Network devices:\n"
                                 "name \"spapr-vlan\", bus spapr-vio-bus\n"));
    free(buf);

    /* QEMU's layout: name=<type> padded to 22, " - ", description, default. */
    vty = capture(qdev_print_type_props, "spapr-vty");
    g_assert_cmpstr(vty, ==,
                    "spapr-vty options:\n"
                    "  chardev=<str>          - ID of a chardev to use as a backend\n"
                    "  reg=<uint32>           -  (default: 4294967295)\n");
    props = capture(qdev_print_type_props, "test-dev");
    g_assert_cmpstr(props, ==,
                    "test-dev options:\n"
                    "  chardev=<str>          - ID of a chardev to use as a backend\n"
                    "  flag=<bool>            - on/off (default: true)\n"
                    "  i32=<int32>            -  (default: -1)\n"
                    "  name=<str>\n"
                    "  peer=<link<test-dev>>\n"
                    "  size=<size>            -  (default: 4096)\n"
                    "  u16=<uint16>           -  (default: 65535)\n"
                    "  u32=<uint32>           -  (default: 4294967295)\n"
                    "  u64=<uint64>           -  (default: 1099511627776)\n"
                    "  u8=<uint8>             -  (default: 7)\n");
}

static void test_state_fields(void)
{
    TestDev *a, *b;
    g_autoptr(GByteArray) st = NULL;
    Error *err = NULL;
    static const uint8_t want[] = { 0x12, 0x34, 0x56, 0x78, 0xab, 0xcd, 0x00 };

    setup();
    a = new_test(NULL);
    b = new_test(NULL);
    a->counter = 0x12345678;
    a->u16 = 0xabcd;
    a->flag = false;
    st = qdev_state_save(&a->qdev);
    /* Big-endian, field by field, in table order. */
    g_assert_cmpmem(st->data, st->len, want, sizeof(want));
    g_assert_true(qdev_state_load(&b->qdev, st->data, st->len, &error_abort));
    g_assert_cmpuint(b->counter, ==, 0x12345678);
    g_assert_cmpuint(b->u16, ==, 0xabcd);
    g_assert_false(b->flag);
    b->counter = 1;
    g_assert_false(qdev_state_load(&b->qdev, st->data, st->len - 1, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "test-dev: state is 6 bytes, expected 7");
    error_free(err);
    g_assert_cmpuint(b->counter, ==, 1);
    qdev_free(&a->qdev);
    qdev_free(&b->qdev);
}

static void test_errors(void)
{
    Error *err = NULL;

    error_setg(&err, "first %d", 1);
    /* A second error does not replace the first. */
    error_setg(&err, "second");
    error_prepend(&err, "ctx: ");
    g_assert_cmpstr(error_get_pretty(err), ==, "ctx: first 1");
    error_free(err);
    error_setg(NULL, "ignored");
}

/* ---- The VIO bus --------------------------------------------------------------------- */

typedef struct IrqBoard {
    GHashTable *taken;
    Sink sink;
    qemu_irq lines[4];
} IrqBoard;

static bool board_claim(void *opaque, uint32_t irq, Error **errp)
{
    IrqBoard *b = opaque;

    if (g_hash_table_contains(b->taken, GUINT_TO_POINTER(irq))) {
        error_setg(errp, "IRQ %u is not free", irq);
        return false;
    }
    g_hash_table_add(b->taken, GUINT_TO_POINTER(irq));
    return true;
}

static void board_release(void *opaque, uint32_t irq)
{
    g_hash_table_remove(((IrqBoard *)opaque)->taken, GUINT_TO_POINTER(irq));
}

/* Lines for the first sources (0x1100..0x1103); none for the others. */
static qemu_irq board_line(void *opaque, uint32_t irq)
{
    IrqBoard *b = opaque;

    return irq >= 0x1100 && irq < 0x1104 ? b->lines[irq - 0x1100] : NULL;
}

static const SpaprVioIrqOps board_ops = { board_claim, board_release, board_line };

static void test_vio_irq_numbers(void)
{
    /* What QEMU 7.2 puts in "interrupts" for these unit addresses (its dumped trees). */
    static const uint32_t pairs[][2] = {
        { 0x71000000, 0x1100 }, { 0x71000001, 0x1101 }, { 0x710000ff, 0x11ff },
        { 0x80000001, 0x1101 }, { 0x30000010, 0x11f0 }, { 0x30001000, 0x11f1 },
        { 0x3000ff00, 0x11ff }, { 0x70ff0000, 0x11f0 }, { 0x40005000, 0x11f5 },
        { 0x2fffffff, 0x11ff }, { 0x12345678, 0x1145 }, { 0x1000, 0x1101 },
        { 0x80000, 0x1180 },    { 0x100000, 0x1100 },   { 0x800, 0x1100 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
        g_assert_cmphex(spapr_vio_reg_to_irq(pairs[i][0]), ==, pairs[i][1]);
    }
}

static void test_vio_bus(void)
{
    IrqBoard b = { .taken = g_hash_table_new(NULL, NULL) };
    g_autofree char *perr = NULL;
    Chardev *c1, *c2, *c3;
    SpaprVioBus *bus;
    SpaprVioDevice *v1, *v2, *v3;
    Error *err = NULL;
    void *fdt = g_malloc0(65536);

    setup();
    for (int i = 0; i < 4; i++) {
        b.lines[i] = qemu_allocate_irq(sink_set, &b.sink, i);
    }
    c1 = qemu_chr_new("c1", "null", &perr);
    c2 = qemu_chr_new("c2", "null", &perr);
    c3 = qemu_chr_new("c3", "null", &perr);
    bus = spapr_vio_bus_new(&board_ops, &b);
    v1 = spapr_vty_create(bus, c1, &error_abort);
    v2 = (SpaprVioDevice *)qdev_device_add_str("spapr-vty,chardev=c2,reg=0x30000010,id=v2",
                                               &error_abort);
    v3 = (SpaprVioDevice *)qdev_device_add_str("spapr-vty,chardev=c3", &error_abort);
    g_assert_cmphex(v1->reg, ==, 0x71000000);
    g_assert_cmphex(v1->irq, ==, 0x1100);
    g_assert_cmphex(v2->reg, ==, 0x30000010);
    g_assert_cmphex(v2->irq, ==, 0x11f0);
    /* The explicit reg did not use up a platform address. */
    g_assert_cmphex(v3->reg, ==, 0x71000001);
    g_assert_cmphex(v3->irq, ==, 0x1101);
    g_assert_cmpstr(v1->qdev.path, ==, "/machine/unattached/device[1]");
    g_assert_cmpstr(v3->qdev.path, ==, "/machine/peripheral-anon/device[0]");
    /* Lowest reg first: the bus's order, and the default console. */
    g_assert_true(spapr_vty_get_default(bus) == v2);
    g_assert_true(spapr_vio_find_by_reg(bus, 0x71000001) == v3);
    g_assert_true(g_ptr_array_index(bus->bus.children, 0) == v2);

    /* Conflicts, in QEMU's words; nothing is left behind. */
    g_assert_null(qdev_device_add_str("spapr-vty,chardev=c1,reg=0x71000000", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Property 'spapr-vty.chardev' can't take value 'c1': Device 'c1' is in use");
    g_clear_pointer(&err, error_free);
    qemu_chr_new("c4", "null", &perr);
    g_assert_null(qdev_device_add_str("spapr-vty,chardev=c4,reg=0x71000000", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "spapr-vty and spapr-vty devices conflict at address 0x71000000");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("spapr-vty,chardev=c4,reg=0x1000", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "IRQ 4353 is not free");
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_device_add_str("spapr-vty", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "chardev property not set");
    g_clear_pointer(&err, error_free);
    g_assert_cmpuint(bus->bus.children->len, ==, 3);
    g_assert_cmpuint(g_hash_table_size(b.taken), ==, 3);

    /* Input to an empty buffer pulses the device's line: up, then down. */
    g_assert_cmpint(chr_be_can_write(c3), ==, 16);
    chr_be_write(c3, (const uint8_t *)"ab", 2);
    g_assert_cmpint(b.sink.changes, ==, 2);
    g_assert_cmpint(b.sink.level[1], ==, 0);
    chr_be_write(c3, (const uint8_t *)"c", 1);
    g_assert_cmpint(b.sink.changes, ==, 2); /* not empty: no new edge */
    g_assert_cmpint(chr_be_can_write(c3), ==, 13);
    /* A device whose source has no line yet: input is kept, nothing raised. */
    chr_be_write(c2, (const uint8_t *)"x", 1);
    g_assert_cmpint(b.sink.changes, ==, 2);

    /* /vdevice: nodes in reg order with QEMU's interrupts cells. */
    g_assert_cmpint(fdt_create_empty_tree(fdt, 65536), ==, 0);
    g_assert_cmpint(spapr_dt_vdevice(bus, fdt), >=, 0);
    {
        int node = fdt_path_offset(fdt, "/vdevice/vty@30000010");
        const fdt32_t *cells;
        int len;

        g_assert_cmpint(node, >=, 0);
        cells = fdt_getprop(fdt, node, "interrupts", &len);
        g_assert_cmpint(len, ==, 8);
        g_assert_cmphex(fdt32_to_cpu(cells[0]), ==, 0x11f0);
        g_assert_cmphex(fdt32_to_cpu(cells[1]), ==, 0);
        g_assert_cmpstr(fdt_getprop(fdt, node, "compatible", NULL), ==, "hvterm1");
        g_assert_cmpint(fdt_first_subnode(fdt, fdt_path_offset(fdt, "/vdevice")), ==, node);
    }

    /* The state fields carry the buffered input. */
    {
        g_autoptr(GByteArray) st = qdev_state_save(&v3->qdev);

        /* reg, irq, signal, in, out: 5 words, then the 16-byte buffer. */
        g_assert_cmpuint(st->len, ==, 5 * 4 + 16);
        g_assert_cmpmem(st->data, 8, ((uint8_t[]){ 0x71, 0, 0, 1, 0, 0, 0x11, 0x01 }), 8);
        g_assert_cmpmem(st->data + 20, 3, "abc", 3);
    }

    /* Unplugging gives the interrupt number back. */
    qdev_free(&v3->qdev);
    g_assert_cmpuint(g_hash_table_size(b.taken), ==, 2);
    g_assert_nonnull(qdev_device_add_str("spapr-vty,chardev=c4,reg=0x1000", &error_abort));
    spapr_vio_bus_free(bus);
    g_assert_cmpuint(g_hash_table_size(b.taken), ==, 0);
    for (int i = 0; i < 4; i++) {
        qemu_free_irq(b.lines[i]);
    }
    g_hash_table_destroy(b.taken);
    g_free(fdt);
    qdev_tree_reset();
    qemu_chr_cleanup_all();
}

/*
 * info qtree: QEMU's layout.  The VIO part is the oracle's (-nodefaults
 * -serial), except that QEMU names VIO devices "vty@71000000" as their id.
 */
static void test_qtree(void)
{
    g_autofree char *perr = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    SpaprVioBus *vio;
    BusState *tb;
    TestDev *c1, *c2;
    Chardev *serial;

    setup();
    serial = qemu_chr_new("serial0", "null", &perr);
    vio = spapr_vio_bus_new(NULL, NULL);
    spapr_vty_create(vio, serial, &error_abort);
    spapr_nvram_create(vio, &error_abort);
    tb = qbus_new(&test_bus_class, vio->bus.parent, "tb");
    c1 = plug_child(tb, "c1", 1);
    c2 = plug_child(tb, "c2", 2);
    qdev_prop_parse(&c2->qdev, "name", "x", PROP_SRC_CMDLINE, &error_abort);
    qdev_prop_parse(&c2->qdev, "size", "1536", PROP_SRC_CMDLINE, &error_abort);
    qdev_prop_parse(&c2->qdev, "flag", "off", PROP_SRC_CMDLINE, &error_abort);
    qdev_prop_set_link(&c2->qdev, "peer", &c1->qdev);
    qdev_print_tree(out);
    g_assert_cmpstr(out->str, ==,
                    "bus: main-system-bus\n"
                    "  type System\n"
                    "  dev: spapr-vio-bridge, id \"\"\n"
                    "    bus: spapr-vio\n"
                    "      type spapr-vio-bus\n"
                    "      dev: spapr-nvram, id \"\"\n"
                    "        reg = 1895825409 (0x71000001)\n"
                    "        drive = \"\"\n"
                    "      dev: spapr-vty, id \"\"\n"
                    "        reg = 1895825408 (0x71000000)\n"
                    "        chardev = \"serial0\"\n"
                    "    bus: tb\n"
                    "      type test-bus\n"
                    "      dev: test-child, id \"c2\"\n"
                    "        name = \"x\"\n"
                    "        flag = false\n"
                    "        u8 = 7 (0x7)\n"
                    "        u16 = 65535 (0xffff)\n"
                    "        u32 = 2 (0x2)\n"
                    "        u64 = 1099511627776 (0x10000000000)\n"
                    "        i32 = -1 (0xffffffffffffffff)\n"
                    "        size = 1536 (1.5 KiB)\n"
                    "        chardev = \"\"\n"
                    "        peer = \"/machine/peripheral/c1\"\n"
                    "      dev: test-child, id \"c1\"\n"
                    "        name = \"\"\n"
                    "        flag = true\n"
                    "        u8 = 7 (0x7)\n"
                    "        u16 = 65535 (0xffff)\n"
                    "        u32 = 1 (0x1)\n"
                    "        u64 = 1099511627776 (0x10000000000)\n"
                    "        i32 = -1 (0xffffffffffffffff)\n"
                    "        size = 4096 (4 KiB)\n"
                    "        chardev = \"\"\n"
                    "        peer = \"\"\n");
    qdev_tree_reset();
    qemu_chr_cleanup_all();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
    qdev_register_type(&test_dev_class);
    qdev_register_type(&test_child_class);
    qdev_register_type(&test_hidden_class);
    g_test_add_func("/qdev/props/defaults", test_defaults);
    g_test_add_func("/qdev/props/parse-good", test_parse_good);
    g_test_add_func("/qdev/props/parse-bad", test_parse_bad);
    g_test_add_func("/qdev/props/json", test_json_values);
    g_test_add_func("/qdev/props/global", test_globals);
    g_test_add_func("/qdev/bus/reset-order", test_bus_reset_order);
    g_test_add_func("/qdev/bus/realize-errors", test_realize_errors);
    g_test_add_func("/qdev/irq/wiring", test_irq_wiring);
    g_test_add_func("/qdev/irq/inputs", test_irq_in);
    g_test_add_func("/qdev/paths-and-ids", test_paths_and_ids);
    g_test_add_func("/qdev/device-arg-checks", test_device_arg_checks);
    g_test_add_func("/qdev/device-add-forms", test_device_add_forms);
    g_test_add_func("/qdev/help", test_help);
    g_test_add_func("/qdev/state-fields", test_state_fields);
    g_test_add_func("/qdev/errors", test_errors);
    g_test_add_func("/qdev/qtree", test_qtree);
    g_test_add_func("/vio/irq-numbers", test_vio_irq_numbers);
    g_test_add_func("/vio/bus", test_vio_bus);
    return g_test_run();
}

/*
 * PCI hot-plug and the DR connector protocol through the real binary: QMP
 * device_add/device_del, then RTAS check-exception, get-sensor-state,
 * set-indicator and ibm,configure-connector driven as Linux's drmgr does.
 * Expected values are QEMU 7.2's (Debian's binary, same calls).
 */
#include "libqtest.h"

#include <string.h>

#define H_SUCCESS 0
#define ARGS_ADDR 0x201000
#define RETS_ADDR 0x202000
#define LOG_ADDR 0x300000
#define WA_ADDR 0x310000
#define MAX_CELLS 8

#define RTAS_OK 0
#define RTAS_NO_EVENT 1
#define RTAS_HW_ERROR 0xffffffffu
#define RTAS_PARAM_ERROR 0xfffffffdu    /* -3 */
#define CC_NOT_CONFIGURABLE 0xffffdcd5u /* -9003 */
#define CC_SUCCESS 0
#define CC_NEXT_CHILD 2
#define CC_NEXT_PROPERTY 3
#define CC_PREV_PARENT 4

#define ISOLATION 9001
#define DR_INDICATOR 9002
#define ALLOCATION 9003
#define ENTITY_SENSE 9003
#define SENSE_EMPTY 0
#define SENSE_PRESENT 1
#define SENSE_UNUSABLE 2

/* PCI slot 3 of PHB 0 (devfn 0x18), and others. */
#define DRC_SLOT(n) (0x40000000u | (n) << 3)

/* A cell the call must not touch. */
#define MARK 0xeeeeeeeeu

static uint32_t rets[MAX_CELLS];

/* Call a service with args; the return cells land in rets[]; returns rets[0]. */
static uint32_t rtas(QTestState *s, const char *name, const uint32_t *args, uint32_t nargs,
                     uint32_t nret)
{
    for (uint32_t i = 0; i < nargs; i++) {
        qtest_writel(s, ARGS_ADDR + 4 * i, args[i]);
    }
    for (uint32_t i = 0; i < MAX_CELLS; i++) {
        qtest_writel(s, RETS_ADDR + 4 * i, MARK);
    }
    g_assert_cmphex(qtest_rtas_call(s, name, nargs, ARGS_ADDR, nret, RETS_ADDR), ==, H_SUCCESS);
    for (uint32_t i = 0; i < MAX_CELLS; i++) {
        rets[i] = qtest_readl(s, RETS_ADDR + 4 * i);
    }
    return rets[0];
}

static uint32_t sense(QTestState *s, uint32_t index)
{
    const uint32_t a[] = { ENTITY_SENSE, index };

    g_assert_cmphex(rtas(s, "get-sensor-state", a, 2, 2), ==, RTAS_OK);
    return rets[1];
}

static uint32_t set_indicator(QTestState *s, uint32_t type, uint32_t index, uint32_t state)
{
    const uint32_t a[] = { type, index, state };

    return rtas(s, "set-indicator", a, 3, 1);
}

/* check-exception for every class into LOG_ADDR; its status. */
static uint32_t check_exception(QTestState *s)
{
    const uint32_t a[] = { 0x500, 0, 0xffffffff, 0, LOG_ADDR, 2048 };

    return rtas(s, "check-exception", a, 6, 1);
}

/*
 * The next event must be a hot-plug log: the fixed part as QEMU 7.2 writes
 * it (version 6, event, not recovered, extended, initiator hot plug, type
 * 0xe5; 108 bytes of extended log) and the "HP" section (PCI, action, by
 * DRC index).
 */
static void expect_hotplug_event(QTestState *s, uint8_t action, uint32_t index)
{
    uint8_t log[8 + 108];
    const uint8_t *hp = log + 8 + 16 + 48 + 24;
    const uint8_t *mb = log + 8 + 16 + 48;

    g_assert_cmphex(check_exception(s), ==, RTAS_OK);
    qtest_memread(s, LOG_ADDR, log, sizeof(log));
    g_assert_cmphex(log[0] << 24 | log[1] << 16 | log[2] << 8 | log[3], ==, 0x063460e5);
    g_assert_cmphex(log[4] << 24 | log[5] << 16 | log[6] << 8 | log[7], ==, 108);
    /* Main-B: hot-plug subsystem 0x80 */
    g_assert_cmphex(mb[0] << 8 | mb[1], ==, 0x5548);
    g_assert_cmphex(mb[8], ==, 0x80);
    /* "HP", 20 bytes, version 1; PCI (5), action, identified by index (2) */
    g_assert_cmphex(hp[0] << 8 | hp[1], ==, 0x4850);
    g_assert_cmphex(hp[2] << 8 | hp[3], ==, 20);
    g_assert_cmphex(hp[4], ==, 1);
    g_assert_cmphex(hp[8], ==, 5);
    g_assert_cmphex(hp[9], ==, action);
    g_assert_cmphex(hp[10], ==, 2);
    g_assert_cmphex(hp[12] << 24 | hp[13] << 16 | hp[14] << 8 | hp[15], ==, index);
}

static void expect_no_event(QTestState *s)
{
    g_assert_cmphex(check_exception(s), ==, RTAS_NO_EVENT);
}

static uint32_t configure_connector(QTestState *s, uint32_t index)
{
    const uint32_t a[] = { WA_ADDR, 0 };

    qtest_writel(s, WA_ADDR, index);
    qtest_writel(s, WA_ADDR + 4, 0);
    return rtas(s, "ibm,configure-connector", a, 2, 1);
}

/* The name (node or property) configure-connector left in the work area. */
static char *wa_name(QTestState *s)
{
    char buf[64] = { 0 };
    uint32_t off = qtest_readl(s, WA_ADDR + 8);

    g_assert_cmpuint(off, ==, 20);
    qtest_memread(s, WA_ADDR + off, buf, sizeof(buf) - 1);
    return g_strdup(buf);
}

/* A property's value as one cell (the first four bytes). */
static uint32_t wa_prop_cell(QTestState *s)
{
    return qtest_readl(s, WA_ADDR + qtest_readl(s, WA_ADDR + 16));
}

/*
 * Walk the whole fragment as drmgr does, after unisolate: the node, its
 * properties (last set first, as libfdt stores them), then success.
 * Checks what matters of a virtio-rng-pci at slot `slot`.
 */
static void configure_rng(QTestState *s, unsigned slot)
{
    uint32_t index = DRC_SLOT(slot), r;
    g_autofree char *node = NULL;
    g_autofree char *expect_node = g_strdup_printf("legacy-device@%x", slot);
    unsigned props = 0;
    bool vendor = false, drc = false, reg = false;

    g_assert_cmphex(configure_connector(s, index), ==, CC_NEXT_CHILD);
    node = wa_name(s);
    g_assert_cmpstr(node, ==, expect_node);
    while ((r = configure_connector(s, index)) == CC_NEXT_PROPERTY) {
        g_autofree char *name = wa_name(s);
        uint32_t len = qtest_readl(s, WA_ADDR + 12);

        /* The value follows the name's terminator. */
        g_assert_cmpuint(qtest_readl(s, WA_ADDR + 16), ==, 20 + strlen(name) + 1);
        if (props == 0) {
            g_assert_cmpstr(name, ==, "max-latency");
        }
        if (!strcmp(name, "vendor-id")) {
            g_assert_cmpuint(len, ==, 4);
            g_assert_cmphex(wa_prop_cell(s), ==, 0x1af4);
            vendor = true;
        } else if (!strcmp(name, "device-id")) {
            g_assert_cmphex(wa_prop_cell(s), ==, 0x1005);
        } else if (!strcmp(name, "ibm,my-drc-index")) {
            g_assert_cmphex(wa_prop_cell(s), ==, index);
            drc = true;
        } else if (!strcmp(name, "reg")) {
            /* config space first: bus 0, devfn */
            g_assert_cmphex(wa_prop_cell(s), ==, slot << 11);
            g_assert_cmpuint(len % 20, ==, 0);
            reg = true;
        }
        props++;
        g_assert_cmpuint(props, <, 40);
    }
    g_assert_cmphex(r, ==, CC_SUCCESS);
    g_assert_true(vendor && drc && reg);
    g_assert_cmpuint(props, >=, 14);
}

static void expect_error(JsonObject *reply, const char *cls, const char *desc)
{
    JsonObject *err;

    g_assert_true(json_object_has_member(reply, "error"));
    err = json_object_get_object_member(reply, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    json_object_unref(reply);
}

static void expect_return(JsonObject *reply)
{
    if (!json_object_has_member(reply, "return")) {
        JsonObject *err = json_object_get_object_member(reply, "error");

        g_error("QMP error: %s", json_object_get_string_member(err, "desc"));
    }
    json_object_unref(reply);
}

/* DEVICE_DELETED: the virtio backend's, then the device's with its id. */
static void expect_deleted(QTestState *s, const char *id)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    g_autofree char *backend = g_strdup_printf("%s/virtio-backend", path);
    JsonObject *ev = qtest_qmp_eventwait(s, "DEVICE_DELETED");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==, backend);
    g_assert_false(json_object_has_member(data, "device"));
    json_object_unref(ev);
    ev = qtest_qmp_eventwait(s, "DEVICE_DELETED");
    data = json_object_get_object_member(ev, "data");
    g_assert_cmpstr(json_object_get_string_member(data, "device"), ==, id);
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==, path);
    json_object_unref(ev);
}

static void expect_gone(QTestState *s, const char *id)
{
    g_autofree char *desc = g_strdup_printf("Device '%s' not found", id);

    expect_error(qtest_qmp(s, "{'execute': 'device_del', 'arguments': {'id': '%s'}}", id),
                 "DeviceNotFound", desc);
}

static void add_rng(QTestState *s, const char *id, unsigned slot)
{
    expect_return(qtest_qmp(s,
                            "{'execute': 'device_add', 'arguments': {'driver': 'virtio-rng-pci',"
                            " 'id': '%s', 'bus': 'pci.0', 'addr': '%x', 'romfile': ''}}",
                            id, slot));
}

static JsonObject *del(QTestState *s, const char *id)
{
    return qtest_qmp(s, "{'execute': 'device_del', 'arguments': {'id': '%s'}}", id);
}

/*
 * Plug, the add event, the slot's sensor, configure-connector's refusals
 * before unisolate, the whole fragment, isolate; device_del of an isolated
 * slot completes at once.
 */
static void test_pci_plug_protocol(void)
{
    QTestState *s = qtest_init("");
    uint32_t idx = DRC_SLOT(3);

    add_rng(s, "rng1", 3);
    expect_hotplug_event(s, 1, idx);
    expect_no_event(s);

    g_assert_cmpuint(sense(s, idx), ==, SENSE_PRESENT);
    g_assert_cmpuint(sense(s, DRC_SLOT(4)), ==, SENSE_EMPTY);
    g_assert_cmphex(configure_connector(s, idx), ==, CC_NOT_CONFIGURABLE);
    /* A slot has no allocation state, but a DR indicator. */
    g_assert_cmphex(set_indicator(s, ALLOCATION, idx, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, DR_INDICATOR, idx, 1), ==, RTAS_OK);
    /* An empty slot cannot be unisolated; isolating it is a no-op. */
    g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(4), 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(4), 0), ==, RTAS_OK);

    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    /* Half-way through configure-connector, isolation is refused. */
    g_assert_cmphex(configure_connector(s, idx), ==, CC_NEXT_CHILD);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 0), ==, RTAS_PARAM_ERROR);
    /* Unisolating again does not restart the walk. */
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    g_assert_cmphex(configure_connector(s, idx), ==, CC_NEXT_PROPERTY);
    {
        g_autofree char *name = wa_name(s);

        g_assert_cmpstr(name, ==, "max-latency");
    }
    qtest_quit(s);

    s = qtest_init("");
    add_rng(s, "rng1", 3);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    configure_rng(s, 3);
    /* Configured: the fragment may be asked for again. */
    configure_rng(s, 3);
    g_assert_cmpuint(sense(s, idx), ==, SENSE_PRESENT);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 0), ==, RTAS_OK);
    expect_hotplug_event(s, 1, idx);

    /* Isolated: nothing to ask of the guest, the device goes at once, silently. */
    expect_return(del(s, "rng1"));
    expect_deleted(s, "rng1");
    expect_no_event(s);
    expect_gone(s, "rng1");
    g_assert_cmpuint(sense(s, idx), ==, SENSE_EMPTY);
    /* The slot is free again. */
    add_rng(s, "rng1", 3);
    expect_hotplug_event(s, 1, idx);
    qtest_quit(s);
}

/* device_del of a configured device: a remove event, then the guest isolates it. */
static void test_pci_unplug_waits_for_guest(void)
{
    QTestState *s = qtest_init("");
    uint32_t idx = DRC_SLOT(3);

    add_rng(s, "rng1", 3);
    expect_hotplug_event(s, 1, idx);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    configure_rng(s, 3);

    expect_return(del(s, "rng1"));
    expect_hotplug_event(s, 2, idx);
    expect_error(del(s, "rng1"), "GenericError",
                 "PCI device unplug already in progress for device rng1");
    expect_no_event(s);
    /* Still there until the guest lets go. */
    g_assert_cmpuint(sense(s, idx), ==, SENSE_PRESENT);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 0), ==, RTAS_OK);
    expect_deleted(s, "rng1");
    expect_gone(s, "rng1");
    g_assert_cmpuint(sense(s, idx), ==, SENSE_EMPTY);
    qtest_quit(s);
}

/* A reset completes an unplug the guest never acknowledged. */
static void test_pci_unplug_at_reset(void)
{
    QTestState *s = qtest_init("");
    uint32_t idx = DRC_SLOT(3);

    add_rng(s, "rng1", 3);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 1), ==, RTAS_OK);
    expect_return(del(s, "rng1"));
    /* Unisolated but not configured: the guest still holds it. */
    g_assert_cmpuint(sense(s, idx), ==, SENSE_PRESENT);
    expect_return(qtest_qmp(s, "{'execute': 'system_reset'}"));
    expect_deleted(s, "rng1");
    g_assert_cmpuint(sense(s, idx), ==, SENSE_EMPTY);
    expect_no_event(s);
    qtest_quit(s);
}

/*
 * A cold-plugged device sits configured in its slot: configure-connector
 * describes it without unisolate, device_del asks the guest.
 */
static void test_pci_coldplug_unplug(void)
{
    QTestState *s = qtest_init("-device virtio-rng-pci,id=r0,addr=5,romfile=");
    uint32_t idx = DRC_SLOT(5);

    g_assert_cmpuint(sense(s, idx), ==, SENSE_PRESENT);
    configure_rng(s, 5);
    expect_return(del(s, "r0"));
    expect_error(del(s, "r0"), "GenericError",
                 "PCI device unplug already in progress for device r0");
    expect_hotplug_event(s, 2, idx);
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 0), ==, RTAS_OK);
    expect_deleted(s, "r0");
    g_assert_cmphex(set_indicator(s, ISOLATION, idx, 0), ==, RTAS_OK);
    qtest_quit(s);
}

/* QEMU 7.2's refusals. */
static void test_hotplug_errors(void)
{
    QTestState *s = qtest_init("-chardev null,id=c0 -device spapr-vty,id=vty0,chardev=c0");

    expect_error(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': 'spapr-vty',"
                              " 'id': 'vty3'}}"),
                 "GenericError", "Bus 'spapr-vio' does not support hotplugging");
    expect_error(del(s, "vty0"), "GenericError", "Bus 'spapr-vio' does not support hotplugging");
    expect_error(del(s, "nonexist"), "DeviceNotFound", "Device 'nonexist' not found");
    add_rng(s, "rng1", 3);
    expect_error(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                              "'virtio-rng-pci', 'id': 'rng2', 'addr': '3', 'romfile': ''}}"),
                 "GenericError", "PCI: slot 3 already occupied by virtio-rng-pci");
    expect_error(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                              "'virtio-rng-pci', 'id': 'rng2', 'addr': '3.1', 'romfile': ''}}"),
                 "GenericError",
                 "PCI: slot 3 function 0 already occupied by virtio-rng-pci, additional "
                 "functions can no longer be exposed to guest.");
    expect_error(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                              "'virtio-rng-pci', 'id': 'rng1', 'addr': '7', 'romfile': ''}}"),
                 "GenericError", "Duplicate device ID 'rng1'");
    /* The slot is still free after the refusals, and no event went out for them. */
    expect_hotplug_event(s, 1, DRC_SLOT(3));
    expect_no_event(s);
    g_assert_cmpuint(sense(s, DRC_SLOT(7)), ==, SENSE_EMPTY);
    /* Without addr: the first free slot (0). */
    expect_return(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                               "'virtio-rng-pci', 'id': 'rng2', 'romfile': ''}}"));
    expect_hotplug_event(s, 1, DRC_SLOT(0));
    expect_error(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                              "'virtio-rng-pci', 'id': 'rng4', 'addr': '7.0', 'romfile': '',"
                              " 'multifunction': 'bogus'}}"),
                 "GenericError", "Parameter 'multifunction' expects 'on' or 'off'");
    qtest_quit(s);
}

/*
 * A slot's functions: others may come before function 0, which announces
 * them all; deleting function 0 takes the slot (nothing to tell a guest
 * that never took it).  Then, configured: another function is only marked,
 * function 0 sends remove events for all, the last function first.
 */
static void test_pci_multifunction(void)
{
    QTestState *s = qtest_init("");

    expect_return(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                               "'virtio-rng-pci', 'id': 'f1', 'addr': '4.1', 'romfile': ''}}"));
    expect_no_event(s);
    expect_return(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                               "'virtio-rng-pci', 'id': 'f0', 'addr': '4.0', 'romfile': '',"
                               " 'multifunction': 'on'}}"));
    expect_hotplug_event(s, 1, DRC_SLOT(4));
    expect_hotplug_event(s, 1, DRC_SLOT(4) | 1);
    expect_no_event(s);
    expect_return(del(s, "f0"));
    expect_deleted(s, "f1");
    expect_deleted(s, "f0");
    expect_no_event(s);
    expect_gone(s, "f1");

    /* Values may be typed too: QEMU turns them into text. */
    expect_return(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                               "'virtio-rng-pci', 'id': 'f1', 'addr': '4.1', 'romfile': ''}}"));
    expect_return(qtest_qmp(s, "{'execute': 'device_add', 'arguments': {'driver': "
                               "'virtio-rng-pci', 'id': 'f0', 'addr': 4, 'romfile': '',"
                               " 'multifunction': true}}"));
    expect_hotplug_event(s, 1, DRC_SLOT(4));
    expect_hotplug_event(s, 1, DRC_SLOT(4) | 1);
    for (uint32_t f = 0; f < 2; f++) {
        uint32_t r;

        g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(4) | f, 1), ==, RTAS_OK);
        while ((r = configure_connector(s, DRC_SLOT(4) | f)) == CC_NEXT_PROPERTY ||
               r == CC_NEXT_CHILD) {
        }
        g_assert_cmphex(r, ==, CC_SUCCESS);
    }
    expect_return(del(s, "f1"));
    expect_no_event(s);
    expect_error(del(s, "f1"), "GenericError",
                 "PCI device unplug already in progress for device f1");
    expect_return(del(s, "f0"));
    expect_hotplug_event(s, 2, DRC_SLOT(4) | 1);
    expect_hotplug_event(s, 2, DRC_SLOT(4));
    expect_no_event(s);
    g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(4), 0), ==, RTAS_OK);
    expect_deleted(s, "f0");
    g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(4) | 1, 0), ==, RTAS_OK);
    expect_deleted(s, "f1");
    qtest_quit(s);
}

/*
 * Logical connectors (cores, LMBs, PHBs) and the argument checks, with
 * -smp 2,maxcpus=4 and hot-pluggable memory from 1 GiB to 2 GiB.
 */
static void test_logical_connectors(void)
{
    QTestState *s = qtest_init("-smp 2,maxcpus=4 -m 1G,maxmem=2G,slots=2");
    static const struct {
        uint32_t index, status, sense;
    } cases[] = {
        { 0x20000000, RTAS_OK, SENSE_PRESENT },         { 0x20000001, RTAS_OK, SENSE_UNUSABLE },
        { 0x2000001e, RTAS_OK, SENSE_UNUSABLE },        { 0x20000020, RTAS_PARAM_ERROR, 0 },
        { 0x10000000, RTAS_OK, SENSE_PRESENT },         { 0x10000001, RTAS_OK, SENSE_PRESENT },
        { 0x10000003, RTAS_OK, SENSE_UNUSABLE },        { 0x10000004, RTAS_PARAM_ERROR, 0 },
        { 0x80000004, RTAS_OK, SENSE_UNUSABLE },        { 0x80000003, RTAS_PARAM_ERROR, 0 },
        { 0x80000007, RTAS_OK, SENSE_UNUSABLE },        { 0x80000008, RTAS_PARAM_ERROR, 0 },
        { DRC_SLOT(0) | 0x10000, RTAS_PARAM_ERROR, 0 }, { 0x30000000, RTAS_PARAM_ERROR, 0 },
    };
    const uint32_t bad_type[] = { ISOLATION, 0x10000000 };
    const uint32_t short_args[] = { ENTITY_SENSE };
    const uint32_t cc_args[] = { WA_ADDR, 0 };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const uint32_t a[] = { ENTITY_SENSE, cases[i].index };

        g_assert_cmphex(rtas(s, "get-sensor-state", a, 2, 2), ==, cases[i].status);
        /* The state cell is written on errors too (0). */
        g_assert_cmphex(rets[1], ==, cases[i].sense);
    }
    g_assert_cmphex(rtas(s, "get-sensor-state", bad_type, 2, 2), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "get-sensor-state", short_args, 1, 2), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rets[1], ==, 0);

    /* The boot PHB: isolate, deallocate (now unusable), allocate again. */
    g_assert_cmphex(set_indicator(s, ISOLATION, 0x20000000, 0), ==, RTAS_OK);
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x20000000, 0), ==, RTAS_OK);
    g_assert_cmpuint(sense(s, 0x20000000), ==, SENSE_UNUSABLE);
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x20000000, 1), ==, RTAS_OK);
    g_assert_cmpuint(sense(s, 0x20000000), ==, SENSE_PRESENT);
    /* A boot core: allocated and unisolated already. */
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x10000001, 1), ==, RTAS_OK);
    g_assert_cmphex(set_indicator(s, ISOLATION, 0x10000001, 1), ==, RTAS_OK);
    /* An empty core or LMB cannot be allocated; isolating it is a no-op. */
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x10000003, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ISOLATION, 0x10000003, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x80000004, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ISOLATION, 0x80000004, 0), ==, RTAS_OK);
    /* Logical connectors have no DR indicator; unknown types and states. */
    g_assert_cmphex(set_indicator(s, DR_INDICATOR, 0x10000000, 0), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, 9005, 0x10000000, 0), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ISOLATION, DRC_SLOT(3), 7), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ALLOCATION, 0x10000000, 7), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(set_indicator(s, ISOLATION, 0x40000fff, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "set-indicator", bad_type, 2, 1), ==, RTAS_PARAM_ERROR);

    /* configure-connector: unknown connector, argument counts (rets[1] untouched). */
    g_assert_cmphex(configure_connector(s, 0x40000fff), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,configure-connector", cc_args, 1, 1), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rtas(s, "ibm,configure-connector", cc_args, 2, 2), ==, RTAS_PARAM_ERROR);
    g_assert_cmphex(rets[1], ==, MARK);
    /* A work area outside RAM. */
    {
        const uint32_t far[] = { 0xfffff000, 0 };

        g_assert_cmphex(rtas(s, "ibm,configure-connector", far, 2, 1), ==, RTAS_PARAM_ERROR);
    }
    qtest_quit(s);
}

/*
 * A boot core's connector is configured: configure-connector describes its
 * /cpus node (with "name" first, as QEMU 7.2 adds it last), and an empty
 * core's connector refuses.
 */
static void test_core_fragment(void)
{
    QTestState *s = qtest_init("-smp 2,maxcpus=4");
    g_autofree char *node = NULL;
    bool reg = false, drc = false, servers = false;
    unsigned props = 0;
    uint32_t r;

    g_assert_cmphex(configure_connector(s, 0x10000001), ==, CC_NEXT_CHILD);
    node = wa_name(s);
    g_assert_cmpstr(node, ==, "PowerPC,POWER9@1");
    while ((r = configure_connector(s, 0x10000001)) == CC_NEXT_PROPERTY) {
        g_autofree char *name = wa_name(s);
        uint32_t len = qtest_readl(s, WA_ADDR + 12);

        if (props++ == 0) {
            char value[32] = { 0 };

            g_assert_cmpstr(name, ==, "name");
            g_assert_cmpuint(len, ==, strlen("PowerPC,POWER9@1") + 1);
            qtest_memread(s, WA_ADDR + qtest_readl(s, WA_ADDR + 16), value, len);
            g_assert_cmpstr(value, ==, "PowerPC,POWER9@1");
        } else if (!strcmp(name, "reg")) {
            g_assert_cmphex(wa_prop_cell(s), ==, 1);
            reg = true;
        } else if (!strcmp(name, "ibm,my-drc-index")) {
            g_assert_cmphex(wa_prop_cell(s), ==, 0x10000001);
            drc = true;
        } else if (!strcmp(name, "ibm,ppc-interrupt-server#s")) {
            g_assert_cmpuint(len, ==, 4);
            g_assert_cmphex(wa_prop_cell(s), ==, 1);
            servers = true;
        }
        g_assert_cmpuint(props, <, 60);
    }
    g_assert_cmphex(r, ==, CC_SUCCESS);
    g_assert_true(reg && drc && servers);
    /* QEMU 7.2's node has 31 properties with these capabilities. */
    g_assert_cmpuint(props, >=, 25);
    g_assert_cmphex(configure_connector(s, 0x10000003), ==, CC_NOT_CONFIGURABLE);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hotplug/pci/plug-protocol", test_pci_plug_protocol);
    g_test_add_func("/hotplug/pci/unplug-waits-for-guest", test_pci_unplug_waits_for_guest);
    g_test_add_func("/hotplug/pci/unplug-at-reset", test_pci_unplug_at_reset);
    g_test_add_func("/hotplug/pci/coldplug-unplug", test_pci_coldplug_unplug);
    g_test_add_func("/hotplug/pci/multifunction", test_pci_multifunction);
    g_test_add_func("/hotplug/errors", test_hotplug_errors);
    g_test_add_func("/hotplug/drc/logical", test_logical_connectors);
    g_test_add_func("/hotplug/drc/core-fragment", test_core_fragment);
    return g_test_run();
}

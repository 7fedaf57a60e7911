/*
 * virtio-serial-pci (hw/virtio/virtio-serial.c) driven as Linux's
 * virtio_console would: the multiport control messages, data both ways
 * between ports and their chardevs, emergency writes, malformed chains and
 * QEMU 7.2's property errors.
 */
#include "virtio-test-driver.h"
#include "chardev/char-internal.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-state.h"
#include "qemu/timer.h"

#include <sys/eventfd.h>

/* Feature bits and control events (virtio 1.0, 5.3). */
#define F_MULTIPORT 1
#define F_EMERG_WRITE 2
#define F_VERSION_1 32
#define DEVICE_READY 0
#define DEVICE_ADD 1
#define DEVICE_REMOVE 2
#define PORT_READY 3
#define CONSOLE_PORT 4
#define PORT_OPEN 6
#define PORT_NAME 7

/* Queues with max_ports=2: port 0, the control pair, port 1. */
#define P0_RX 0
#define P0_TX 1
#define C_RX 2
#define C_TX 3
#define P1_RX 4
#define P1_TX 5
#define NQ 6

#define AGENT "org.qemu.guest_agent.0"
/* The device hands its chardev at most this much at once (PORT_CHUNK). */
#define PORT_CHUNK_TEST 4096

/*
 * A chardev whose peer is the test: what the device writes is kept.  Like a
 * socket it takes what its peer has room for without waiting: budget bytes
 * (-1: any amount); its watch descriptor (an eventfd) is always writable.
 */
typedef struct TestChr {
    Chardev chr;
    GByteArray *out;
    int budget;
    int efd;
} TestChr;

static bool testchr_open(Chardev *chr, QemuOpts *opts, char **err)
{
    TestChr *t = (TestChr *)chr;

    (void)opts;
    (void)err;
    t->out = g_byte_array_new();
    t->budget = -1;
    t->efd = eventfd(0, EFD_CLOEXEC);
    return t->efd >= 0;
}

static int testchr_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_byte_array_append(((TestChr *)chr)->out, buf, len);
    return len;
}

static int testchr_write_nb(Chardev *chr, const uint8_t *buf, int len)
{
    TestChr *t = (TestChr *)chr;
    int n = t->budget < 0 ? len : MIN(len, t->budget);

    if (t->budget >= 0) {
        t->budget -= n;
    }
    g_byte_array_append(t->out, buf, n);
    return n;
}

static int testchr_out_fd(Chardev *chr)
{
    return ((TestChr *)chr)->efd;
}

static void testchr_close(Chardev *chr)
{
    g_byte_array_unref(((TestChr *)chr)->out);
    close(((TestChr *)chr)->efd);
}

static const ChardevOps testchr_ops = {
    .name = "test",
    .size = sizeof(TestChr),
    .open = testchr_open,
    .write = testchr_write,
    .write_nb = testchr_write_nb,
    .out_fd = testchr_out_fd,
    .close = testchr_close,
};

typedef struct Fixture {
    VtDriver d;
    TestChr *con, *port; /* the virtconsole's and the agent port's chardevs */
    DeviceState *vser;
} Fixture;

static TestChr *new_chr(const char *id)
{
    char *err = NULL;
    Chardev *chr = chr_create_with_ops(id, &testchr_ops, NULL, &err);

    g_assert_null(err);
    return (TestChr *)chr;
}

static DeviceState *add_port(const char *type, const char *const *props, Error **errp)
{
    BusState *bus = qbus_find_by_type("virtio-serial-bus");
    DeviceState *dev = qdev_new(type);

    g_assert_nonnull(bus);
    for (unsigned i = 0; props && props[i]; i += 2) {
        if (!qdev_prop_parse(dev, props[i], props[i + 1], PROP_SRC_CMDLINE, errp)) {
            qdev_free(dev);
            return NULL;
        }
    }
    return qdev_realize_and_unref(dev, bus, errp) ? dev : NULL;
}

/* virtio-serial-pci,id=vs,max_ports=2 with a virtconsole (con) and the agent port (agent) on vs.0. */
static void setup(Fixture *f, gconstpointer data)
{
    static const char *const vprops[] = { "max_ports", "2", NULL };

    (void)data;
    vt_machine_new(&f->d);
    f->con = new_chr("con");
    f->port = new_chr("agent");
    f->vser = qdev_new("virtio-serial-pci");
    g_assert_true(qdev_set_id(f->vser, "vs", &error_abort));
    g_assert_true(qdev_prop_parse(f->vser, vprops[0], vprops[1], PROP_SRC_CMDLINE, &error_abort));
    g_assert_true(qdev_realize_and_unref(f->vser, &f->d.phb->bus->qbus, &error_abort));
    f->d.dev = (PCIDevice *)f->vser;
    /* The console's peer is there from the start; the agent's connects later. */
    chr_be_set_open(&f->con->chr, true);
    g_assert_nonnull(
        add_port("virtconsole", (const char *const[]){ "chardev", "con", NULL }, &error_abort));
    g_assert_nonnull(add_port(
        "virtserialport",
        (const char *const[]){ "nr", "1", "chardev", "agent", "name", AGENT, NULL }, &error_abort));
    qdev_reset_all();
}

static void teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    qdev_free(f->vser);
    vt_machine_free(&f->d);
    qemu_chr_cleanup_all();
}

/* ---- Control messages ------------------------------------------------------------------------ */

static void give_ctrl_buffers(Fixture *f, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        vt_add_buf(&f->d, C_RX, VT_BUF(C_RX, f->d.avail_idx[C_RX] % VT_QSIZE), NULL, 64, true);
    }
    vt_kick(&f->d, C_RX);
}

static void send_ctrl(Fixture *f, uint32_t id, uint16_t event, uint16_t value)
{
    uint8_t msg[8];

    stl_le_p(msg, id);
    stw_le_p(msg + 4, event);
    stw_le_p(msg + 6, value);
    vt_add_buf(&f->d, C_TX, VT_BUF(C_TX, f->d.avail_idx[C_TX] % VT_QSIZE), msg, sizeof(msg), false);
    vt_kick(&f->d, C_TX);
}

typedef struct Msg {
    uint32_t id;
    uint16_t event, value;
    char payload[64];
} Msg;

/* The next control message from the device; false when none is waiting. */
static bool next_ctrl(Fixture *f, Msg *m)
{
    uint32_t head, len;
    uint8_t buf[72] = { 0 };

    if (!vt_used_pending(&f->d, C_RX)) {
        return false;
    }
    vt_take_used(&f->d, C_RX, &head, &len);
    g_assert_cmpuint(len, >=, 8);
    g_assert_cmpuint(len, <=, 64);
    g_assert_true(guest_read(VT_BUF(C_RX, head), buf, len));
    m->id = ldl_le_p(buf);
    m->event = lduw_le_p(buf + 4);
    m->value = lduw_le_p(buf + 6);
    memcpy(m->payload, buf + 8, len - 8);
    m->payload[len - 8] = 0;
    if (len > 8) {
        /* A name carries its NUL. */
        g_assert_cmpuint(buf[len - 1], ==, 0);
    }
    return true;
}

static void expect_ctrl(Fixture *f, uint32_t id, uint16_t event, uint16_t value)
{
    Msg m;

    g_assert_true(next_ctrl(f, &m));
    g_assert_cmpuint(m.id, ==, id);
    g_assert_cmpuint(m.event, ==, event);
    g_assert_cmpuint(m.value, ==, value);
}

/* Linux's start-up: DEVICE_READY, then PORT_READY for each port the device adds. */
static void bring_up(Fixture *f)
{
    vt_start(&f->d, 0, NQ);
    give_ctrl_buffers(f, 8);
    send_ctrl(f, 0, DEVICE_READY, 1);
    expect_ctrl(f, 0, DEVICE_ADD, 1);
    expect_ctrl(f, 1, DEVICE_ADD, 1);
    send_ctrl(f, 0, PORT_READY, 1);
    send_ctrl(f, 1, PORT_READY, 1);
}

/* QEMU 7.2's offer and configuration: multiport and emergency write, 31 ports by default. */
static void test_features_config(void)
{
    VtDriver d;
    DeviceState *dev;
    uint64_t feat;

    vt_machine_new(&d);
    dev = vt_try_add(&d, "virtio-serial-pci", NULL, &error_abort);
    d.dev = (PCIDevice *)dev;
    feat = vt_host_features(&d);
    g_assert_true(feat >> F_MULTIPORT & 1);
    g_assert_true(feat >> F_EMERG_WRITE & 1);
    g_assert_true(feat >> F_VERSION_1 & 1);
    g_assert_false(feat & 1); /* no console size */
    /* The configuration in the negotiated (virtio 1.0: little-endian) byte order. */
    vt_start(&d, 0, 0);
    g_assert_cmpuint(vt_read(&d, VT_DEVICE_CFG + 4, 4), ==, 31);
    g_assert_cmpuint(vt_read(&d, VT_COMMON + VT_C_NUMQ, 2), ==, 64);
    g_assert_cmpuint(pci_get_word(d.dev->config + PCI_DEVICE_ID), ==, 0x1003);
    g_assert_cmpuint(pci_get_word(d.dev->config + PCI_CLASS_DEVICE), ==, 0x0780);
    g_assert_cmpuint(pci_get_word(d.dev->config + PCI_SUBSYSTEM_ID), ==, 3);
    /* Two MSI-X vectors; the legacy window is 24 bytes of header and 12 of configuration. */
    g_assert_cmpuint((pci_get_word(d.dev->config + d.dev->msix_cap + 2) & 0x7ff) + 1, ==, 2);
    g_assert_cmpuint(d.dev->io_regions[0].size, ==, 64);
    /* The bus of a device without an id has QEMU's generic name. */
    g_assert_nonnull(qbus_find_by_type("virtio-serial-bus"));
    g_assert_cmpstr(qbus_find_by_type("virtio-serial-bus")->name, ==, "virtio-serial-bus.0");
    qdev_free(dev);
    vt_machine_free(&d);
}

/* DEVICE_READY lists the ports; PORT_READY names them, marks the console, opens connected ones. */
static void test_control(Fixture *f, gconstpointer data)
{
    Msg m;

    (void)data;
    g_assert_cmpstr(qbus_find_by_type("virtio-serial-bus")->name, ==, "vs.0");
    bring_up(f);
    expect_ctrl(f, 0, CONSOLE_PORT, 1);
    expect_ctrl(f, 0, PORT_OPEN, 1);
    g_assert_true(next_ctrl(f, &m));
    g_assert_cmpuint(m.id, ==, 1);
    g_assert_cmpuint(m.event, ==, PORT_NAME);
    g_assert_cmpstr(m.payload, ==, AGENT);
    /* The agent's peer is not connected yet: no PORT_OPEN for port 1. */
    g_assert_false(next_ctrl(f, &m));

    /* The host side connects and hangs up: the guest is told each time. */
    chr_be_set_open(&f->port->chr, true);
    expect_ctrl(f, 1, PORT_OPEN, 1);
    chr_be_set_open(&f->port->chr, false);
    expect_ctrl(f, 1, PORT_OPEN, 0);
    g_assert_false(next_ctrl(f, &m));

    /* Messages wait for control buffers instead of being lost. */
    vt_start(&f->d, 0, NQ);
    send_ctrl(f, 0, DEVICE_READY, 1);
    g_assert_false(next_ctrl(f, &m));
    give_ctrl_buffers(f, 2);
    expect_ctrl(f, 0, DEVICE_ADD, 1);
    expect_ctrl(f, 1, DEVICE_ADD, 1);
}

/* Bytes go both ways between the ports' queues and their chardevs. */
static void test_data(Fixture *f, gconstpointer data)
{
    static const char out[] = "guest to host";
    uint32_t head, len;
    char buf[32] = { 0 };

    (void)data;
    bring_up(f);
    chr_be_set_open(&f->port->chr, true);

    /* Guest to host, on the console and on the named port. */
    vt_add_buf(&f->d, P0_TX, VT_BUF(P0_TX, 0), "hvc0", 4, false);
    vt_kick(&f->d, P0_TX);
    g_assert_cmpmem(f->con->out->data, f->con->out->len, "hvc0", 4);
    vt_add_buf(&f->d, P1_TX, VT_BUF(P1_TX, 0), out, sizeof(out) - 1, false);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpmem(f->port->out->data, f->port->out->len, out, sizeof(out) - 1);
    vt_take_used(&f->d, P1_TX, &head, &len);
    g_assert_cmpuint(head, ==, 0);

    /* Host to guest: nothing is taken until the guest opens the port and gives buffers. */
    g_assert_cmpint(chr_be_can_write(&f->port->chr), ==, 0);
    send_ctrl(f, 1, PORT_OPEN, 1);
    g_assert_cmpint(chr_be_can_write(&f->port->chr), ==, 0);
    vt_add_buf(&f->d, P1_RX, VT_BUF(P1_RX, 0), NULL, 8, true);
    vt_kick(&f->d, P1_RX);
    g_assert_cmpint(chr_be_can_write(&f->port->chr), >, 0);
    chr_be_write(&f->port->chr, (const uint8_t *)"host to guest", 13);
    /* Eight bytes fit the one buffer; the rest waits for the next. */
    vt_take_used(&f->d, P1_RX, &head, &len);
    g_assert_cmpuint(len, ==, 8);
    g_assert_true(guest_read(VT_BUF(P1_RX, 0), buf, len));
    g_assert_cmpmem(buf, len, "host to ", 8);
    g_assert_cmpint(chr_be_can_write(&f->port->chr), ==, 0);
    vt_add_buf(&f->d, P1_RX, VT_BUF(P1_RX, 1), NULL, 32, true);
    vt_kick(&f->d, P1_RX);
    vt_take_used(&f->d, P1_RX, &head, &len);
    g_assert_cmpuint(len, ==, 5);
    g_assert_true(guest_read(VT_BUF(P1_RX, 1), buf, len));
    g_assert_cmpmem(buf, len, "guest", 5);

    /* The guest closes the port: the host's bytes stop again. */
    vt_add_buf(&f->d, P1_RX, VT_BUF(P1_RX, 2), NULL, 32, true);
    vt_kick(&f->d, P1_RX);
    send_ctrl(f, 1, PORT_OPEN, 0);
    g_assert_cmpint(chr_be_can_write(&f->port->chr), ==, 0);

    /* With multiport even the console waits for the guest's PORT_OPEN (Linux sends one). */
    g_assert_cmpint(chr_be_can_write(&f->con->chr), ==, 0);
    send_ctrl(f, 0, PORT_OPEN, 1);
    vt_add_buf(&f->d, P0_RX, VT_BUF(P0_RX, 0), NULL, 32, true);
    vt_kick(&f->d, P0_RX);
    chr_be_write(&f->con->chr, (const uint8_t *)"ls\r", 3);
    vt_take_used(&f->d, P0_RX, &head, &len);
    g_assert_cmpuint(len, ==, 3);
}

/*
 * A serial port whose peer takes less than the guest wrote is throttled:
 * the chain is held (no used entry), later chains wait behind it, and the
 * rest goes when the peer takes more (the watch, from the main loop).  A
 * console's peer that takes less loses the rest, as in QEMU.
 */
static void test_throttle(Fixture *f, gconstpointer data)
{
    static uint8_t big[3 * PORT_CHUNK_TEST];
    uint32_t head, len;

    (void)data;
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 7 + 1);
    }
    bring_up(f);
    chr_be_set_open(&f->port->chr, true);
    f->port->budget = 5000;
    g_assert_true(guest_write(0x1000000, big, sizeof(big)));
    vt_add_chain(&f->d, P1_TX, (VtSeg[]){ { 0x1000000, sizeof(big), false } }, 1);
    vt_add_buf(&f->d, P1_TX, VT_BUF(P1_TX, 1), "next", 4, false);
    vt_kick(&f->d, P1_TX);
    /* The vCPU goes on: 5000 bytes out, the chain held, the next one not read. */
    g_assert_cmpuint(f->port->out->len, ==, 5000);
    g_assert_cmpuint(vt_used_pending(&f->d, P1_TX), ==, 0);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpuint(f->port->out->len, ==, 5000);
    /* The peer takes a little more: still held. */
    f->port->budget = 100;
    g_main_context_iteration(NULL, false);
    g_assert_cmpuint(f->port->out->len, ==, 5100);
    g_assert_cmpuint(vt_used_pending(&f->d, P1_TX), ==, 0);
    /* Then everything: both chains, in order, and their used entries. */
    f->port->budget = -1;
    g_main_context_iteration(NULL, false);
    g_assert_cmpuint(f->port->out->len, ==, sizeof(big) + 4);
    g_assert_cmpmem(f->port->out->data, sizeof(big), big, sizeof(big));
    g_assert_cmpmem(f->port->out->data + sizeof(big), 4, "next", 4);
    vt_take_used(&f->d, P1_TX, &head, &len);
    g_assert_cmpuint(head, ==, 0);
    vt_take_used(&f->d, P1_TX, &head, &len);
    g_assert_cmpuint(head, ==, 1);
    /* A console drops what its peer does not take. */
    f->con->budget = 2;
    vt_add_buf(&f->d, P0_TX, VT_BUF(P0_TX, 0), "hvc0", 4, false);
    vt_kick(&f->d, P0_TX);
    g_assert_cmpmem(f->con->out->data, f->con->out->len, "hv", 2);
    vt_take_used(&f->d, P0_TX, &head, &len);
    /* A device reset while a chain is held lets it go. */
    f->port->budget = 0;
    vt_add_buf(&f->d, P1_TX, VT_BUF(P1_TX, 2), "held", 4, false);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpuint(vt_used_pending(&f->d, P1_TX), ==, 0);
    vt_write(&f->d, VT_COMMON + VT_C_STATUS, 0, 1);
    g_main_context_iteration(NULL, false);
}

/* Without multiport (a legacy console driver) port 0 works alone, open once the driver is. */
static void test_no_multiport(Fixture *f, gconstpointer data)
{
    uint32_t head, len;
    Msg m;

    (void)data;
    vt_start(&f->d, 1ull << F_MULTIPORT, NQ);
    g_assert_cmpint(chr_be_can_write(&f->con->chr), ==, 0);
    vt_add_buf(&f->d, P0_RX, VT_BUF(P0_RX, 0), NULL, 32, true);
    vt_kick(&f->d, P0_RX);
    g_assert_cmpint(chr_be_can_write(&f->con->chr), >, 0);
    chr_be_write(&f->con->chr, (const uint8_t *)"x", 1);
    vt_take_used(&f->d, P0_RX, &head, &len);
    g_assert_cmpuint(len, ==, 1);
    /* No control messages are sent without multiport. */
    give_ctrl_buffers(f, 2);
    chr_be_set_open(&f->port->chr, true);
    g_assert_false(next_ctrl(f, &m));
}

/* An emergency write goes to port 0's chardev, one byte. */
static void test_emergency_write(Fixture *f, gconstpointer data)
{
    (void)data;
    bring_up(f);
    vt_write(&f->d, VT_DEVICE_CFG + 8, 'Z', 4);
    g_assert_cmpmem(f->con->out->data, f->con->out->len, "Z", 1);
    g_assert_cmpuint(vt_read(&f->d, VT_DEVICE_CFG + 8, 4), ==, 0);
}

/* Bad control messages are ignored; malformed chains break the device until reset. */
static void test_malformed(Fixture *f, gconstpointer data)
{
    uint8_t shortmsg[4] = { 0 };
    Msg m;

    (void)data;
    bring_up(f);
    while (next_ctrl(f, &m)) {
    }
    /* A message too short, an unknown port, a failed DEVICE_READY: nothing happens. */
    vt_add_buf(&f->d, C_TX, VT_BUF(C_TX, 10), shortmsg, sizeof(shortmsg), false);
    vt_kick(&f->d, C_TX);
    send_ctrl(f, 9, PORT_READY, 1);
    send_ctrl(f, 0, DEVICE_READY, 0);
    send_ctrl(f, 1, PORT_READY, 0);
    send_ctrl(f, 1, 77, 1);
    g_assert_false(next_ctrl(f, &m));
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, 0);

    /* A descriptor loop in the control transmit queue. */
    vt_put_desc(C_TX, 0, VT_BUF(C_TX, 0), 8, VT_DESC_NEXT, 1);
    vt_put_desc(C_TX, 1, VT_BUF(C_TX, 1), 8, VT_DESC_NEXT, 0);
    vt_publish(&f->d, C_TX, 0);
    vt_kick(&f->d, C_TX);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);

    /* Data for a read-only receive buffer. */
    bring_up(f);
    chr_be_set_open(&f->port->chr, true);
    send_ctrl(f, 1, PORT_OPEN, 1);
    vt_add_buf(&f->d, P1_RX, VT_BUF(P1_RX, 0), NULL, 32, false);
    vt_kick(&f->d, P1_RX);
    chr_be_write(&f->port->chr, (const uint8_t *)"abc", 3);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);
    g_assert_cmpint(chr_be_can_write(&f->port->chr), ==, 0);

    /* A transmit buffer outside guest RAM. */
    bring_up(f);
    vt_add_buf(&f->d, P1_TX, VT_RAM - 4, NULL, 64, false);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpuint(vt_status(&f->d) & VT_S_NEEDS_RESET, ==, VT_S_NEEDS_RESET);

    /* After a reset all works again. */
    bring_up(f);
    vt_add_buf(&f->d, P1_TX, VT_BUF(P1_TX, 0), "ok", 2, false);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpmem(f->port->out->data, f->port->out->len, "ok", 2);
}

/* A port plugged or unplugged while the driver runs is announced. */
static void test_hotplug(Fixture *f, gconstpointer data)
{
    DeviceState *p;
    Msg m;

    (void)data;
    bring_up(f);
    while (next_ctrl(f, &m)) {
    }
    /* The agent port is the bus's second device. */
    p = g_ptr_array_index(qbus_find_by_type("virtio-serial-bus")->children, 1);
    qdev_free(p);
    expect_ctrl(f, 1, DEVICE_REMOVE, 1);
    p = add_port("virtserialport", (const char *const[]){ "name", "late", NULL }, &error_abort);
    g_assert_nonnull(p);
    expect_ctrl(f, 1, DEVICE_ADD, 1);
}

/* Port and device errors with QEMU 7.2's wording. */
static void test_errors(void)
{
    static const char *const nr0[] = { "nr", "0", NULL };
    static const char *const nr2[] = { "nr", "2", NULL };
    static const char *const nr1[] = { "nr", "1", NULL };
    static const char *const taken[] = { "name", "taken", NULL };
    static const char *const used[] = { "chardev", "used", NULL };
    static const struct {
        const char *type;
        const char *const *props;
        const char *error;
    } cases[] = {
        { "virtserialport", nr0,
          "Port number 0 on virtio-serial devices reserved for virtconsole devices for backward "
          "compatibility." },
        { "virtserialport", nr2,
          "virtio-serial-bus: Out-of-range port id specified, max. allowed: 1" },
        { "virtserialport", nr1, "virtio-serial-bus: A port already exists at id 1" },
        { "virtserialport", taken, "virtio-serial-bus: A port already exists by name taken" },
        /* Ids are taken a word of 32 at a time: the next free one (2) is out of range. */
        { "virtserialport", NULL,
          "virtio-serial-bus: Out-of-range port id specified, max. allowed: 1" },
        { "virtconsole", used,
          "Property 'virtconsole.chardev' can't take value 'used': Device 'used' is in use" },
    };
    static const struct {
        const char *max_ports, *error;
    } dcases[] = {
        { "0", "Maximum number of serial ports not specified" },
        { "600", "maximum ports supported: 511" },
    };
    VtDriver d;
    DeviceState *vser;

    vt_machine_new(&d);
    new_chr("used");
    vser = vt_try_add(&d, "virtio-serial-pci", (const char *const[]){ "max_ports", "2", NULL },
                      &error_abort);
    g_assert_nonnull(add_port("virtserialport",
                              (const char *const[]){ "name", "taken", "chardev", "used", NULL },
                              &error_abort));
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;

        g_assert_null(add_port(cases[i].type, cases[i].props, &err));
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(dcases); i++) {
        Error *err = NULL;

        g_assert_null(vt_try_add(&d, "virtio-serial-pci",
                                 (const char *const[]){ "max_ports", dcases[i].max_ports, NULL },
                                 &err));
        g_assert_cmpstr(error_get_pretty(err), ==, dcases[i].error);
        error_free(err);
    }
    qdev_free(vser);
    vt_machine_free(&d);
    qemu_chr_cleanup_all();
}

/* QEMU's largest device: 511 ports, 1024 queues, the last port id 510. */
static void test_max_ports(void)
{
    VtDriver d;
    DeviceState *vser, *port;
    Error *err = NULL;

    vt_machine_new(&d);
    vser = vt_try_add(&d, "virtio-serial-pci", (const char *const[]){ "max_ports", "511", NULL },
                      &error_abort);
    d.dev = (PCIDevice *)vser;
    vt_start(&d, 0, 0);
    g_assert_cmpuint(vt_read(&d, VT_DEVICE_CFG + 4, 4), ==, 511);
    g_assert_cmpuint(vt_read(&d, VT_COMMON + VT_C_NUMQ, 2), ==, 1024);
    port = add_port("virtserialport", (const char *const[]){ "nr", "510", NULL }, &error_abort);
    g_assert_nonnull(port);
    g_assert_null(add_port("virtserialport", (const char *const[]){ "nr", "511", NULL }, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "virtio-serial-bus: Out-of-range port id specified, max. allowed: 510");
    error_free(err);
    qdev_free(port);
    qdev_free(vser);
    vt_machine_free(&d);
}

/* ---- Migration ------------------------------------------------------------------------------ */

static DeviceState *port_dev(unsigned i)
{
    BusState *bus = qbus_find_by_type("virtio-serial-bus");

    g_assert_cmpuint(i, <, bus->children->len);
    return g_ptr_array_index(bus->children, i);
}

/* The stream's big-endian number of size bytes at off. */
static uint64_t be_at(const GByteArray *state, size_t off, unsigned size)
{
    uint64_t v = 0;

    g_assert_cmpuint(off + size, <=, state->len);
    for (unsigned i = 0; i < size; i++) {
        v = v << 8 | state->data[off + i];
    }
    return v;
}

/* The stream with the big-endian u32 at off replaced by v. */
static GByteArray *with_u32(const GByteArray *state, size_t off, uint32_t v)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_append(b, state->data, state->len);
    g_assert_cmpuint(off + 4, <=, b->len);
    for (unsigned i = 0; i < 4; i++) {
        b->data[off + i] = v >> (24 - 8 * i);
    }
    return b;
}

static void expect_refused(DeviceState *dev, const GByteArray *state, const char *want)
{
    Error *err = NULL;

    g_assert_false(qdev_state_load(dev, state->data, state->len, &err));
    g_assert_nonnull(err);
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), want));
    error_free(err);
}

/*
 * A port throttled when the state is saved: on load its chain goes back to
 * the ring, and once the VM runs (the virtual clock) the port takes it again
 * and sends only what the source had not: the peer gets every byte once.
 * Streams with impossible values are refused and change nothing.
 */
static void test_migrate_throttled(Fixture *f, gconstpointer data)
{
    static uint8_t big[3 * PORT_CHUNK_TEST];
    DeviceState *port = port_dev(1);
    g_autoptr(GByteArray) vs_state = NULL, port_state = NULL, bad = NULL, bad2 = NULL;
    g_autoptr(GByteArray) bad3 = NULL, after = NULL;
    uint32_t head, len;

    (void)data;
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 11 + 3);
    }
    bring_up(f);
    chr_be_set_open(&f->port->chr, true);
    f->port->budget = 5000;
    g_assert_true(guest_write(0x1000000, big, sizeof(big)));
    vt_add_chain(&f->d, P1_TX, (VtSeg[]){ { 0x1000000, sizeof(big), false } }, 1);
    vt_kick(&f->d, P1_TX);
    g_assert_cmpuint(f->port->out->len, ==, 5000);
    g_assert_cmpuint(vt_used_pending(&f->d, P1_TX), ==, 0);

    vs_state = qdev_state_save(f->vser);
    port_state = qdev_state_save(port);
    /* Port section: id u32, three flags, bytes sent u64, held host bytes u32 + 4096. */
    g_assert_cmpuint(port_state->len, ==, 4 + 3 + 8 + 4 + PORT_CHUNK_TEST);
    g_assert_cmpuint(be_at(port_state, 0, 4), ==, 1);
    g_assert_cmpuint(port_state->data[6], ==, 1); /* a chain held */
    g_assert_cmpuint(be_at(port_state, 7, 8), ==, 5000);

    /* Refused: another port number, more held bytes than a chunk, a control ring overflowing. */
    bad = with_u32(port_state, 0, 0);
    expect_refused(port, bad, "id is 0 in the state, 1 here");
    bad2 = with_u32(port_state, 15, PORT_CHUNK_TEST + 1);
    expect_refused(port, bad2, "port 1 holds 4097 bytes (at most 4096)");
    bad3 = with_u32(vs_state, vs_state->len - 256 * 8 - 4, 257);
    expect_refused(f->vser, bad3, "control queue of 257 messages");
    after = qdev_state_save(port);
    g_assert_cmpmem(after->data, after->len, port_state->data, port_state->len);

    /* The destination (this machine, its rings as they were saved) loads the state. */
    g_assert_true(qdev_state_load(f->vser, vs_state->data, vs_state->len, &error_abort));
    g_assert_true(qdev_state_load(port, port_state->data, port_state->len, &error_abort));
    /* Its peer takes everything, but nothing moves before the VM runs. */
    f->port->budget = -1;
    g_main_context_iteration(NULL, false);
    g_assert_cmpuint(f->port->out->len, ==, 5000);
    qemu_clock_virtual_set_manual(true);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1);
    qemu_clock_virtual_set_manual(false);
    g_assert_cmpuint(f->port->out->len, ==, sizeof(big));
    g_assert_cmpmem(f->port->out->data, f->port->out->len, big, sizeof(big));
    vt_take_used(&f->d, P1_TX, &head, &len);
    g_assert_cmpuint(head, ==, 0);
    g_assert_cmpuint(vt_used_pending(&f->d, P1_TX), ==, 0);
}

/*
 * Control messages waiting for guest buffers go with the state (a name with
 * the port's name), and the chardevs are the destination's: a port whose
 * peer is gone there tells the guest once the VM runs (PORT_OPEN 0 after
 * the source's PORT_OPEN 1), as QEMU 7.2 does.
 */
static void test_migrate_host_side(Fixture *f, gconstpointer data)
{
    DeviceState *port = port_dev(1);
    g_autoptr(GByteArray) vs_state = NULL, port_state = NULL;
    Msg m;

    (void)data;
    bring_up(f);
    expect_ctrl(f, 0, CONSOLE_PORT, 1);
    expect_ctrl(f, 0, PORT_OPEN, 1);
    expect_ctrl(f, 1, PORT_NAME, 1);
    chr_be_set_open(&f->port->chr, true);
    expect_ctrl(f, 1, PORT_OPEN, 1);
    /* The last two of the eight control buffers, then none. */
    send_ctrl(f, 1, PORT_READY, 1);
    expect_ctrl(f, 1, PORT_NAME, 1);
    expect_ctrl(f, 1, PORT_OPEN, 1);
    send_ctrl(f, 1, PORT_READY, 1);
    g_assert_false(next_ctrl(f, &m));

    vs_state = qdev_state_save(f->vser);
    port_state = qdev_state_save(port);
    /* The destination's peer is not there: its own message goes with the load. */
    chr_be_set_open(&f->port->chr, false);
    g_assert_true(qdev_state_load(f->vser, vs_state->data, vs_state->len, &error_abort));
    g_assert_true(qdev_state_load(port, port_state->data, port_state->len, &error_abort));
    qemu_clock_virtual_set_manual(true);
    qemu_clock_virtual_advance_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1);
    qemu_clock_virtual_set_manual(false);
    g_assert_false(next_ctrl(f, &m));
    give_ctrl_buffers(f, 4);
    g_assert_true(next_ctrl(f, &m));
    g_assert_cmpuint(m.id, ==, 1);
    g_assert_cmpuint(m.event, ==, PORT_NAME);
    g_assert_cmpstr(m.payload, ==, AGENT);
    expect_ctrl(f, 1, PORT_OPEN, 1);
    expect_ctrl(f, 1, PORT_OPEN, 0);
    g_assert_false(next_ctrl(f, &m));
}

#define T(name, fn) g_test_add(name, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-serial/features-config", test_features_config);
    g_test_add_func("/virtio-serial/max-ports", test_max_ports);
    T("/virtio-serial/control", test_control);
    T("/virtio-serial/data", test_data);
    T("/virtio-serial/throttle", test_throttle);
    T("/virtio-serial/no-multiport", test_no_multiport);
    T("/virtio-serial/emergency-write", test_emergency_write);
    T("/virtio-serial/malformed", test_malformed);
    T("/virtio-serial/hotplug", test_hotplug);
    T("/virtio-serial/migrate-throttled", test_migrate_throttled);
    T("/virtio-serial/migrate-host-side", test_migrate_host_side);
    g_test_add_func("/virtio-serial/errors", test_errors);
    return g_test_run();
}

/*
 * virtio-net-pci (hw/virtio/virtio-net.c) driven as a virtio 1.0 driver would,
 * through its BAR 4 registers and rings in guest RAM: offered features and
 * configuration, transmit chains, receive into merged buffers, the control
 * queue's filter commands, and malformed chains that break the device.
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "exec/memory.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "net/net.h"
#include "qemu/units.h"
#include "sysemu/runstate.h"
#include "spapr-test-machine.h"

#define RAM (64 * MiB)
#define BUID0 0x800000020000000ULL

/* The modern BAR's structures (virtio 1.0, 4.1.4) as QEMU places them. */
#define COMMON 0x0000
#define ISR 0x1000
#define DEVICE_CFG 0x2000
#define NOTIFY 0x3000
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_NUMQ 0x12
#define C_STATUS 0x14
#define C_QSELECT 0x16
#define C_QSIZE 0x18
#define C_QENABLE 0x1c
#define C_QNOFF 0x1e
#define C_QDESC 0x20
#define C_QAVAIL 0x28
#define C_QUSED 0x30

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40

/* Feature bits (virtio 1.0, 5.1.3 and 6). */
#define F_CSUM 0
#define F_GUEST_CSUM 1
#define F_CTRL_GUEST_OFFLOADS 2
#define F_MAC 5
#define F_MRG_RXBUF 15
#define F_STATUS 16
#define F_CTRL_VQ 17
#define F_CTRL_RX 18
#define F_CTRL_VLAN 19
#define F_GUEST_ANNOUNCE 21
#define F_MQ 22
#define F_CTRL_MAC_ADDR 23
#define F_VERSION_1 32

#define DESC_NEXT 1
#define DESC_WRITE 2

/* Queues of 16 entries (the driver may make them smaller than the device's). */
#define QSIZE 16
#define RX 0
#define TX 1
#define CTRL 2
#define RING(q) (0x100000ULL + (q)*0x10000ULL)
#define DESC(q) RING(q)
#define AVAIL(q) (RING(q) + 0x1000)
#define USED(q) (RING(q) + 0x2000)
#define BUF(q, i) (0x200000ULL + (q)*0x40000ULL + (i)*0x1000ULL)

#define HDR 12

typedef struct Fixture {
    SpaprMachineState *m;
    SpaprPhbState *phb;
    PCIDevice *dev;
    NetClientState *sink; /* the netdev */
    GPtrArray *frames;    /* of GBytes *: what the device sent */
    uint16_t avail_idx[3], used_seen[3];
    uint16_t next_desc[3];
} Fixture;

static ssize_t sink_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    Fixture *f = nc->opaque;

    g_ptr_array_add(f->frames, g_bytes_new(buf, len));
    return len;
}

static const NetClientInfo sink_info = {
    .type = NET_CLIENT_DRIVER_USER,
    .receive = sink_receive,
};

static uint64_t bar_read(Fixture *f, uint64_t off, unsigned size)
{
    PCIIORegion *r = &f->dev->io_regions[4];

    return r->ops->read(r->opaque, off, size);
}

static void bar_write(Fixture *f, uint64_t off, uint64_t val, unsigned size)
{
    PCIIORegion *r = &f->dev->io_regions[4];

    r->ops->write(r->opaque, off, val, size);
}

static uint64_t host_features(Fixture *f)
{
    uint64_t v;

    bar_write(f, COMMON + C_DFSELECT, 0, 4);
    v = bar_read(f, COMMON + C_DF, 4);
    bar_write(f, COMMON + C_DFSELECT, 1, 4);
    return v | bar_read(f, COMMON + C_DF, 4) << 32;
}

static uint8_t status(Fixture *f)
{
    return bar_read(f, COMMON + C_STATUS, 1);
}

static void setup_queue(Fixture *f, unsigned q)
{
    bar_write(f, COMMON + C_QSELECT, q, 2);
    g_assert_cmpuint(bar_read(f, COMMON + C_QSIZE, 2), >=, QSIZE);
    bar_write(f, COMMON + C_QSIZE, QSIZE, 2);
    bar_write(f, COMMON + C_QDESC, DESC(q), 4);
    bar_write(f, COMMON + C_QDESC + 4, 0, 4);
    bar_write(f, COMMON + C_QAVAIL, AVAIL(q), 4);
    bar_write(f, COMMON + C_QAVAIL + 4, 0, 4);
    bar_write(f, COMMON + C_QUSED, USED(q), 4);
    bar_write(f, COMMON + C_QUSED + 4, 0, 4);
    bar_write(f, COMMON + C_QENABLE, 1, 2);
}

/* The driver's start-up: acknowledge, features (the device's minus drop), queues, DRIVER_OK. */
static void driver_start(Fixture *f, uint64_t drop)
{
    uint64_t feat = host_features(f) & ~drop;

    bar_write(f, COMMON + C_STATUS, 0, 1);
    bar_write(f, COMMON + C_STATUS, S_ACK | S_DRIVER, 1);
    bar_write(f, COMMON + C_GFSELECT, 0, 4);
    bar_write(f, COMMON + C_GF, (uint32_t)feat, 4);
    bar_write(f, COMMON + C_GFSELECT, 1, 4);
    bar_write(f, COMMON + C_GF, feat >> 32, 4);
    bar_write(f, COMMON + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK, 1);
    g_assert_cmpuint(status(f) & S_FEATURES_OK, ==, S_FEATURES_OK);
    for (unsigned q = 0; q < 3; q++) {
        setup_queue(f, q);
        f->avail_idx[q] = f->used_seen[q] = f->next_desc[q] = 0;
    }
    bar_write(f, COMMON + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK, 1);
}

static void create(Fixture *f, const char *const *props)
{
    DeviceState *d;

    f->m = test_machine_new(RAM, 1, NULL, NULL);
    qdev_tree_reset();
    spapr_irq_init(f->m);
    spapr_pci_create_default(f->m);
    f->phb = spapr_pci_find_phb(BUID0);
    f->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    f->sink = qemu_new_net_client(&sink_info, NULL, "user", "net0", f);
    f->sink->is_netdev = true;
    d = qdev_new("virtio-net-pci");
    qdev_prop_set_string(d, "netdev", "net0");
    qdev_prop_set_string(d, "mac", "52:54:00:aa:bb:cc");
    for (unsigned i = 0; props && props[i]; i += 2) {
        g_assert_true(qdev_prop_parse(d, props[i], props[i + 1], PROP_SRC_CMDLINE, &error_abort));
    }
    g_assert_true(qdev_realize_and_unref(d, &f->phb->bus->qbus, &error_abort));
    f->dev = (PCIDevice *)d;
    qdev_reset_all();
}

static void setup(Fixture *f, gconstpointer data)
{
    create(f, data);
    driver_start(f, 0);
}

static void teardown(Fixture *f, gconstpointer data)
{
    qdev_free(&f->dev->qdev);
    qdev_free(&f->phb->qdev);
    spapr_irq_free_all(f->m);
    qdev_tree_reset();
    memory_map_clear();
    qemu_del_net_client(f->sink);
    g_ptr_array_free(f->frames, TRUE);
    test_machine_free(f->m);
}

/* ---- The driver's side of the rings (little-endian: virtio 1.0) ---------------------------- */

typedef struct Seg {
    uint64_t addr;
    uint32_t len;
    bool write;
} Seg;

static void put_desc(unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint64_t d = DESC(q) + 16ULL * i;

    g_assert_true(guest_stq_le(d, addr));
    g_assert_true(guest_stl_le(d + 8, len));
    g_assert_true(guest_stw_le(d + 12, flags));
    g_assert_true(guest_stw_le(d + 14, next));
}

/* Make a chain of the segments available; returns its head. */
static unsigned add_chain(Fixture *f, unsigned q, const Seg *segs, unsigned n)
{
    unsigned head = f->next_desc[q];

    for (unsigned i = 0; i < n; i++) {
        unsigned d = (head + i) % QSIZE;

        put_desc(q, d, segs[i].addr, segs[i].len,
                 (segs[i].write ? DESC_WRITE : 0) | (i + 1 < n ? DESC_NEXT : 0), (d + 1) % QSIZE);
    }
    f->next_desc[q] = (head + n) % QSIZE;
    g_assert_true(guest_stw_le(AVAIL(q) + 4 + 2 * (f->avail_idx[q] % QSIZE), head));
    f->avail_idx[q]++;
    g_assert_true(guest_stw_le(AVAIL(q) + 2, f->avail_idx[q]));
    return head;
}

static void kick(Fixture *f, unsigned q)
{
    bar_write(f, COMMON + C_QSELECT, q, 2);
    bar_write(f, NOTIFY + 4 * bar_read(f, COMMON + C_QNOFF, 2), q, 2);
}

static uint16_t used_idx(unsigned q)
{
    uint16_t v;

    g_assert_true(guest_lduw_le(USED(q) + 2, &v));
    return v;
}

/* The next used entry of q: its head and length. */
static void take_used(Fixture *f, unsigned q, uint32_t *id, uint32_t *len)
{
    uint64_t e = USED(q) + 4 + 8ULL * (f->used_seen[q]++ % QSIZE);

    g_assert_cmpuint((uint16_t)(used_idx(q) - f->used_seen[q]), <, 0x8000);
    g_assert_true(guest_ldl_le(e, id));
    g_assert_true(guest_ldl_le(e + 4, len));
}

static void fill(uint64_t addr, uint8_t v, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        g_assert_true(guest_stb(addr + i, v));
    }
}

static void frame(uint8_t *buf, size_t len, const uint8_t *dst, unsigned seed)
{
    memcpy(buf, dst, 6);
    for (size_t i = 6; i < len; i++) {
        buf[i] = (uint8_t)(i * 13 + seed);
    }
}

static const uint8_t MY_MAC[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };

/* ---- Tests ----------------------------------------------------------------------------------- */

/* QEMU 7.2's offer over a netdev without a virtio-net header, and its 8-byte configuration. */
static void test_features_config(Fixture *f, gconstpointer data)
{
    uint64_t feat = host_features(f);
    static const unsigned want[] = { F_MAC,
                                     F_MRG_RXBUF,
                                     F_STATUS,
                                     F_CTRL_VQ,
                                     F_CTRL_RX,
                                     F_CTRL_VLAN,
                                     F_GUEST_ANNOUNCE,
                                     F_CTRL_MAC_ADDR,
                                     F_CTRL_GUEST_OFFLOADS,
                                     F_VERSION_1 };

    for (unsigned i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_true(feat >> want[i] & 1);
    }
    g_assert_false(feat >> F_CSUM & 1);
    g_assert_false(feat >> F_GUEST_CSUM & 1);
    g_assert_false(feat >> F_MQ & 1);
    for (unsigned i = 0; i < 6; i++) {
        g_assert_cmpuint(bar_read(f, DEVICE_CFG + i, 1), ==, MY_MAC[i]);
    }
    g_assert_cmpuint(bar_read(f, DEVICE_CFG + 6, 2), ==, 1); /* link up */
    g_assert_cmpuint(bar_read(f, COMMON + C_NUMQ, 2), ==, 3);
    /* Four MSI-X vectors by default, as QEMU's 2 * pairs + 2. */
    g_assert_cmpuint((pci_get_word(f->dev->config + f->dev->msix_cap + 2) & 0x7ff) + 1, ==, 4);
    /* The BAR 0 legacy window: 24 bytes of header with MSI-X and 8 of configuration. */
    g_assert_cmpuint(f->dev->io_regions[0].size, ==, 32);
}

/* A frame split over several descriptors after the header reaches the netdev whole. */
static void test_transmit(Fixture *f, gconstpointer data)
{
    uint8_t fr[300];
    GBytes *got;
    uint32_t id, len;
    unsigned head;

    frame(fr, sizeof(fr), MY_MAC, 1);
    fill(BUF(TX, 0), 0, HDR);
    for (size_t i = 0; i < sizeof(fr); i++) {
        guest_stb(BUF(TX, 1) + i, fr[i]);
    }
    head = add_chain(
        f, TX, (Seg[]){ { BUF(TX, 0), HDR }, { BUF(TX, 1), 100 }, { BUF(TX, 1) + 100, 200 } }, 3);
    kick(f, TX);
    g_assert_cmpuint(f->frames->len, ==, 1);
    got = g_ptr_array_index(f->frames, 0);
    g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), fr, sizeof(fr));
    take_used(f, TX, &id, &len);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 0);
    /* The header and the frame in one buffer (any layout) work too. */
    head = add_chain(f, TX, (Seg[]){ { BUF(TX, 0), HDR + 60 } }, 1);
    kick(f, TX);
    g_assert_cmpuint(f->frames->len, ==, 2);
    g_assert_cmpuint(g_bytes_get_size(g_ptr_array_index(f->frames, 1)), ==, 60);
    take_used(f, TX, &id, &len);
    g_assert_cmpuint(id, ==, head);
    /*
     * Frames longer than the net layer carries (4 KiB + 64 KiB) are dropped and
     * their chains used, as QEMU 7.2 (its qos-test large_tx): just over the limit,
     * and 1 GiB through descriptors that all point at one buffer.  The device keeps
     * working.
     */
    head = add_chain(f, TX, (Seg[]){ { BUF(TX, 0), HDR }, { BUF(TX, 1), 69633 } }, 2);
    kick(f, TX);
    take_used(f, TX, &id, &len);
    g_assert_cmpuint(id, ==, head);
    {
        Seg big[9] = { { BUF(TX, 0), HDR } };

        for (unsigned i = 1; i < 9; i++) {
            big[i] = (Seg){ BUF(TX, 1), 128u << 20 };
        }
        head = add_chain(f, TX, big, 9);
    }
    kick(f, TX);
    take_used(f, TX, &id, &len);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(status(f) & S_NEEDS_RESET, ==, 0);
    g_assert_cmpuint(f->frames->len, ==, 2);
    head = add_chain(f, TX, (Seg[]){ { BUF(TX, 0), HDR + 60 } }, 1);
    kick(f, TX);
    g_assert_cmpuint(f->frames->len, ==, 3);
}

/* With MRG_RXBUF a frame spreads over buffers; num_buffers in the first header says how many. */
static void test_receive_merged(Fixture *f, gconstpointer data)
{
    uint8_t fr[250], back[250];
    uint32_t id, len;
    uint16_t nbuf;
    unsigned heads[3];

    frame(fr, sizeof(fr), MY_MAC, 2);
    for (unsigned i = 0; i < 3; i++) {
        heads[i] = add_chain(f, RX, (Seg[]){ { BUF(RX, i), 100, true } }, 1);
    }
    kick(f, RX);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, sizeof(fr)), ==, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, 3);
    /* 12 + 250 bytes: 100, 100, 62. */
    for (unsigned i = 0; i < 3; i++) {
        take_used(f, RX, &id, &len);
        g_assert_cmpuint(id, ==, heads[i]);
        g_assert_cmpuint(len, ==, i < 2 ? 100 : 62);
    }
    g_assert_true(guest_lduw_le(BUF(RX, 0) + 10, &nbuf));
    g_assert_cmpuint(nbuf, ==, 3);
    g_assert_true(guest_read(BUF(RX, 0) + HDR, back, 88));
    g_assert_true(guest_read(BUF(RX, 1), back + 88, 100));
    g_assert_true(guest_read(BUF(RX, 2), back + 188, 62));
    g_assert_cmpmem(back, sizeof(back), fr, sizeof(fr));
}

/* Too few buffers: the frame waits in the network layer until the driver adds more and kicks. */
static void test_receive_waits(Fixture *f, gconstpointer data)
{
    uint8_t fr[250];

    frame(fr, sizeof(fr), MY_MAC, 3);
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 100, true } }, 1);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, sizeof(fr)), ==, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, 0);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 1);
    add_chain(f, RX, (Seg[]){ { BUF(RX, 1), 200, true } }, 1);
    kick(f, RX);
    g_assert_cmpuint(used_idx(RX), ==, 2);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 0);
}

/* Without MRG_RXBUF a frame larger than its buffer is dropped and the buffer reused. */
static void test_receive_single(Fixture *f, gconstpointer data)
{
    uint8_t fr[250];
    uint32_t id, len;
    uint16_t nbuf;
    unsigned head;

    driver_start(f, 1ULL << F_MRG_RXBUF);
    frame(fr, sizeof(fr), MY_MAC, 4);
    head = add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 100, true } }, 1);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, sizeof(fr)), ==, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, 0);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 0);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, 80), ==, 80);
    take_used(f, RX, &id, &len);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, HDR + 80);
    /* virtio 1.0's header still has num_buffers, and it is 1. */
    g_assert_true(guest_lduw_le(BUF(RX, 0) + 10, &nbuf));
    g_assert_cmpuint(nbuf, ==, 1);
}

/* A control command: class, command, data in one readable buffer, then the ack byte. */
static uint8_t ctrl(Fixture *f, uint8_t cls, uint8_t cmd, const void *data, size_t len)
{
    uint8_t ack = 0xee;
    uint32_t id, ulen;

    guest_stb(BUF(CTRL, 0), cls);
    guest_stb(BUF(CTRL, 0) + 1, cmd);
    g_assert_true(guest_write(BUF(CTRL, 0) + 2, data, len));
    guest_stb(BUF(CTRL, 1), 0xee);
    add_chain(f, CTRL, (Seg[]){ { BUF(CTRL, 0), 2 + len }, { BUF(CTRL, 1), 1, true } }, 2);
    kick(f, CTRL);
    take_used(f, CTRL, &id, &ulen);
    g_assert_cmpuint(ulen, ==, 1);
    g_assert_true(guest_ldub(BUF(CTRL, 1), &ack));
    return ack;
}

/* Offer a frame to address dst: whether the device put it in the ring. */
static bool delivered(Fixture *f, const uint8_t *dst)
{
    uint8_t fr[64];
    uint16_t before = used_idx(RX);

    frame(fr, sizeof(fr), dst, 5);
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 2048, true } }, 1);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    if (used_idx(RX) != before) {
        f->used_seen[RX] = used_idx(RX);
        return true;
    }
    /* Take the unused buffer back out of the ring. */
    f->avail_idx[RX]--;
    guest_stw_le(AVAIL(RX) + 2, f->avail_idx[RX]);
    f->next_desc[RX] = (f->next_desc[RX] + QSIZE - 1) % QSIZE;
    return false;
}

static void test_filter(Fixture *f, gconstpointer data)
{
    static const uint8_t other[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x33 };
    static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    static const uint8_t mcast2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t on = 1, off = 0, table[4 + 4 + 6] = { 0 };
    uint8_t bad[4 + 4 + 6 + 1] = { 0 };
    uint8_t big[4 + 65 * 6 + 4] = { 0 };

    /* After reset the device is promiscuous. */
    g_assert_true(delivered(f, other));
    g_assert_cmpuint(ctrl(f, 0, 0, &off, 1), ==, 0); /* PROMISC off */
    g_assert_false(delivered(f, other));
    g_assert_true(delivered(f, MY_MAC));
    g_assert_true(delivered(f, bcast));
    g_assert_false(delivered(f, mcast));
    /* MAC_TABLE_SET: no unicast, one multicast address. */
    table[4] = 1;
    memcpy(table + 8, mcast, 6);
    g_assert_cmpuint(ctrl(f, 1, 0, table, sizeof(table)), ==, 0);
    g_assert_true(delivered(f, mcast));
    g_assert_false(delivered(f, mcast2));
    /* A table whose sizes do not add up is refused, and the old one stays. */
    bad[4] = 1;
    g_assert_cmpuint(ctrl(f, 1, 0, bad, sizeof(bad)), ==, 1);
    g_assert_cmpuint(ctrl(f, 1, 0, bad, 3), ==, 1);
    g_assert_true(delivered(f, mcast));
    /* 65 unicast entries overflow the table: every unicast address passes. */
    big[0] = 65;
    g_assert_cmpuint(ctrl(f, 1, 0, big, sizeof(big)), ==, 0);
    g_assert_true(delivered(f, other));
    g_assert_false(delivered(f, mcast));
    /* ALLMULTI, NOBCAST; MAC_ADDR_SET moves the unicast filter. */
    g_assert_cmpuint(ctrl(f, 0, 1, &on, 1), ==, 0);
    g_assert_true(delivered(f, mcast2));
    g_assert_cmpuint(ctrl(f, 0, 5, &on, 1), ==, 0);
    g_assert_false(delivered(f, bcast));
    g_assert_cmpuint(ctrl(f, 1, 0, table, sizeof(table)), ==, 0);
    g_assert_cmpuint(ctrl(f, 1, 1, other, 6), ==, 0);
    g_assert_true(delivered(f, other));
    g_assert_false(delivered(f, MY_MAC));
    /* Unknown classes and commands, and wrong lengths, are VIRTIO_NET_ERR. */
    g_assert_cmpuint(ctrl(f, 9, 0, &on, 1), ==, 1);
    g_assert_cmpuint(ctrl(f, 0, 9, &on, 1), ==, 1);
    g_assert_cmpuint(ctrl(f, 0, 0, table, 2), ==, 1);
    g_assert_cmpuint(ctrl(f, 1, 1, other, 5), ==, 1);
    /* No offload can be enabled: only 0 is accepted; MQ is not offered. */
    g_assert_cmpuint(ctrl(f, 5, 0, (uint8_t[8]){ 0 }, 8), ==, 0);
    g_assert_cmpuint(ctrl(f, 5, 0, (uint8_t[8]){ 2 }, 8), ==, 1);
    g_assert_cmpuint(ctrl(f, 4, 0, (uint8_t[2]){ 1 }, 2), ==, 1);
    /* A device reset makes it promiscuous again with its own address. */
    driver_start(f, 0);
    g_assert_true(delivered(f, other));
}

/* VLAN filtering: tagged frames pass only for the ids the driver added. */
static void test_vlan(Fixture *f, gconstpointer data)
{
    uint8_t off = 0, vid[2] = { 5, 0 };
    uint8_t fr[64];
    uint16_t before;

    g_assert_cmpuint(ctrl(f, 0, 0, &off, 1), ==, 0);
    frame(fr, sizeof(fr), MY_MAC, 6);
    fr[12] = 0x81;
    fr[13] = 0x00;
    fr[14] = 0x00;
    fr[15] = 0x05;
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 2048, true } }, 1);
    before = used_idx(RX);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before);
    g_assert_cmpuint(ctrl(f, 2, 0, vid, 2), ==, 0);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before + 1);
    g_assert_cmpuint(ctrl(f, 2, 0, (uint8_t[2]){ 0x00, 0x10 }, 2), ==, 1); /* 4096 */
}

/* Malformed chains break the device (NEEDS_RESET), nothing reaches the netdev, reset heals. */
static void test_malformed(Fixture *f, gconstpointer data)
{
    uint8_t fr[64];

    /* A transmit chain shorter than the header. */
    add_chain(f, TX, (Seg[]){ { BUF(TX, 0), 4 } }, 1);
    kick(f, TX);
    g_assert_cmpuint(f->frames->len, ==, 0);
    g_assert_cmpuint(status(f) & S_NEEDS_RESET, ==, S_NEEDS_RESET);
    driver_start(f, 0);

    /* A receive buffer the device may not write. */
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 2048 } }, 1);
    frame(fr, sizeof(fr), MY_MAC, 7);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, sizeof(fr)), ==, sizeof(fr));
    g_assert_cmpuint(status(f) & S_NEEDS_RESET, ==, S_NEEDS_RESET);
    g_assert_cmpuint(used_idx(RX), ==, 0);
    driver_start(f, 0);

    /* A receive buffer outside guest RAM. */
    add_chain(f, RX, (Seg[]){ { RAM - 16, 2048, true } }, 1);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(status(f) & S_NEEDS_RESET, ==, S_NEEDS_RESET);
    driver_start(f, 0);

    /* A control command without its ack byte. */
    add_chain(f, CTRL, (Seg[]){ { BUF(CTRL, 0), 3 } }, 1);
    kick(f, CTRL);
    g_assert_cmpuint(status(f) & S_NEEDS_RESET, ==, S_NEEDS_RESET);
    driver_start(f, 0);

    /* After the resets it works again. */
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 2048, true } }, 1);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, 1);
}

/* Property checks with QEMU 7.2's messages. */
static void test_properties(void)
{
    static const struct {
        const char *prop, *value, *error;
    } cases[] = {
        { "rx_queue_size", "100",
          "Invalid rx_queue_size (= 100), must be a power of 2 between 256 and 1024." },
        { "rx_queue_size", "2048",
          "Invalid rx_queue_size (= 2048), must be a power of 2 between 256 and 1024." },
        { "tx_queue_size", "128",
          "Invalid tx_queue_size (= 128), must be a power of 2 between 256 and 1024" },
        { "mac", "52:54:00:12:34:5",
          "Property 'virtio-net-device.mac' doesn't take value "
          "'52:54:00:12:34:5'" },
        { "netdev", "nope", "Property 'virtio-net-device.netdev' can't find value 'nope'" },
        { "duplex", "quarter", "'duplex' must be 'half' or 'full'" },
        { "speed", "-2", "'speed' must be between 0 and INT_MAX" },
    };
    SpaprMachineState *m = test_machine_new(RAM, 1, NULL, NULL);
    SpaprPhbState *phb;

    qdev_tree_reset();
    spapr_irq_init(m);
    spapr_pci_create_default(m);
    phb = spapr_pci_find_phb(BUID0);
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        DeviceState *d = qdev_new("virtio-net-pci");
        Error *err = NULL;

        g_assert_true(
            qdev_prop_parse(d, cases[i].prop, cases[i].value, PROP_SRC_CMDLINE, &error_abort));
        g_assert_false(qdev_realize_and_unref(d, &phb->bus->qbus, &err));
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
    }
    qdev_free(&phb->qdev);
    spapr_irq_free_all(m);
    qdev_tree_reset();
    memory_map_clear();
    test_machine_free(m);
}

/* ---- The monitor's view: set_link, query-rx-filter, NIC_RX_FILTER_CHANGED ------------------ */

static GPtrArray *events;

static void record_event(const char *event, const char *data)
{
    g_ptr_array_add(events, g_strdup_printf("%s %s", event, data ? data : ""));
}

static void capture(void *opaque, const char *text, size_t len)
{
    g_string_append_len(opaque, text, len);
}

/* One QMP command in a fresh session: the reply's "return" or "error" member, as text. */
static char *qmp(const char *cmd)
{
    static const char caps[] = "{\"execute\": \"qmp_capabilities\"}";
    g_autoptr(GString) out = g_string_new(NULL);
    QmpSession *s = qmp_session_new(false, capture, out);
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    JsonObject *r;
    const char *nl;

    qmp_session_open(s);
    g_string_truncate(out, 0);
    qmp_session_input(s, (const uint8_t *)caps, strlen(caps));
    while (qmp_session_dispatch_one(s)) {
    }
    g_string_truncate(out, 0);
    qmp_session_input(s, (const uint8_t *)cmd, strlen(cmd));
    while (qmp_session_dispatch_one(s)) {
    }
    qmp_session_free(s);
    /* Events may come first: the reply is the last line. */
    g_strchomp(out->str);
    nl = strrchr(out->str, '\n');
    g_assert_true(json_parser_load_from_data(p, nl ? nl + 1 : out->str, -1, NULL));
    r = json_node_get_object(json_parser_get_root(p));
    json_generator_set_root(
        gen, json_object_get_member(r, json_object_has_member(r, "return") ? "return" : "error"));
    return json_generator_to_data(gen, NULL);
}

static uint16_t link_status(Fixture *f)
{
    return bar_read(f, DEVICE_CFG + 6, 2);
}

/*
 * set_link on the NIC or its netdev: the LINK_UP bit follows with a
 * configuration interrupt (only on a change), and no frame passes either
 * way while a link is down; frames sent meanwhile are gone, not queued.  As
 * in QEMU, the netdev's name moves the NIC's link too, the NIC's name only
 * its own.
 */
static void test_link(Fixture *f, gconstpointer data)
{
    static const char nic_down[] = "{\"execute\": \"set_link\", \"arguments\": "
                                   "{\"name\": \"virtio-net-pci.0\", \"up\": false}}";
    static const char nic_up[] = "{\"execute\": \"set_link\", \"arguments\": "
                                 "{\"name\": \"virtio-net-pci.0\", \"up\": true}}";
    static const char net_down[] = "{\"execute\": \"set_link\", \"arguments\": "
                                   "{\"name\": \"net0\", \"up\": false}}";
    static const char net_up[] = "{\"execute\": \"set_link\", \"arguments\": "
                                 "{\"name\": \"net0\", \"up\": true}}";
    uint8_t fr[64];
    g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL, *r6 = NULL;
    uint16_t before;
    uint32_t id, len;

    g_assert_cmpuint(link_status(f), ==, 1);
    bar_read(f, ISR, 1); /* reading clears it */
    r1 = qmp(nic_down);
    g_assert_cmpstr(r1, ==, "{}");
    g_assert_cmpuint(link_status(f), ==, 0);
    g_assert_cmpuint(bar_read(f, ISR, 1) & 2, ==, 2);
    /* The driver's frame is consumed and dropped. */
    frame(fr, sizeof(fr), MY_MAC, 3);
    fill(BUF(TX, 0), 0, HDR);
    g_assert_true(guest_write(BUF(TX, 1), fr, sizeof(fr)));
    add_chain(f, TX, (Seg[]){ { BUF(TX, 0), HDR }, { BUF(TX, 1), sizeof(fr) } }, 2);
    kick(f, TX);
    take_used(f, TX, &id, &len);
    g_assert_cmpuint(f->frames->len, ==, 0);
    /* The netdev's frame is dropped, not held for later. */
    add_chain(f, RX, (Seg[]){ { BUF(RX, 0), 2048, true } }, 1);
    before = used_idx(RX);
    g_assert_cmpint(qemu_send_packet(f->sink, fr, sizeof(fr)), ==, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 0);
    /* The NIC by its own name: up again, one interrupt; frames pass. */
    r2 = qmp(nic_up);
    g_assert_cmpstr(r2, ==, "{}");
    g_assert_cmpuint(link_status(f), ==, 1);
    g_assert_cmpuint(bar_read(f, ISR, 1) & 2, ==, 2);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before + 1);
    /* No change, no interrupt. */
    r3 = qmp(nic_up);
    g_assert_cmpuint(bar_read(f, ISR, 1) & 2, ==, 0);
    /* The netdev's name takes both down; the NIC's name brings only the NIC back. */
    r4 = qmp(net_down);
    g_assert_cmpuint(link_status(f), ==, 0);
    g_assert_true(f->sink->link_down);
    r5 = qmp(nic_up);
    g_assert_cmpuint(link_status(f), ==, 1);
    add_chain(f, RX, (Seg[]){ { BUF(RX, 2), 2048, true } }, 1);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before + 1);
    g_free(r5);
    r5 = qmp(net_up);
    g_assert_false(f->sink->link_down);
    qemu_send_packet(f->sink, fr, sizeof(fr));
    g_assert_cmpuint(used_idx(RX), ==, before + 2);
    r6 = qmp("{\"execute\": \"set_link\", \"arguments\": {\"name\": \"eth9\", \"up\": true}}");
    g_assert_cmpstr(r6, ==, "{\"class\":\"DeviceNotFound\",\"desc\":\"Device 'eth9' not found\"}");
}

/*
 * The filter the driver programmed, as query-rx-filter shows it (tables
 * and VLAN ids last first, as QEMU's), and NIC_RX_FILTER_CHANGED: one event
 * until the next query.
 */
static void test_rx_filter_query(Fixture *f, gconstpointer data)
{
    static const uint8_t table[4 + 6 + 4 + 12] = {
        1,    0,    0,    0,    0x52, 0x54, 0,    0x11, 0x22, 0x33, /* unicast */
        2,    0,    0,    0,    0x01, 0,    0x5e, 0,    0,    1,
        0x33, 0x33, 0xff, 0x12, 0x34, 0x56 /* multicast */
    };
    uint8_t on = 1, off = 0;
    g_autofree char *r1 = NULL, *r2 = NULL;
    g_autofree char *path = g_strdup_printf("%s/virtio-backend", f->dev->qdev.path);
    g_autofree char *ev = g_strdup_printf("NIC_RX_FILTER_CHANGED {\"path\": \"%s\"}", path);

    events = g_ptr_array_new_with_free_func(g_free);
    runstate_set_event_hook(record_event);
    g_assert_cmpuint(ctrl(f, 0, 0, &off, 1), ==, 0); /* PROMISC off */
    g_assert_cmpuint(ctrl(f, 0, 1, &on, 1), ==, 0);  /* ALLMULTI on: no second event */
    g_assert_cmpuint(ctrl(f, 1, 0, table, sizeof(table)), ==, 0);
    g_assert_cmpuint(ctrl(f, 2, 0, (uint8_t[2]){ 5, 0 }, 2), ==, 0);
    g_assert_cmpuint(ctrl(f, 2, 0, (uint8_t[2]){ 0x2c, 0x01 }, 2), ==, 0); /* 300 */
    g_assert_cmpuint(ctrl(f, 1, 1, (uint8_t[6]){ 0x52, 0x54, 0, 1, 2, 3 }, 6), ==, 0);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(events, 0), ==, ev);
    r1 = qmp("{\"execute\": \"query-rx-filter\"}");
    g_assert_cmpstr(r1, ==,
                    "[{\"promiscuous\":false,\"name\":\"virtio-net-pci.0\","
                    "\"main-mac\":\"52:54:00:01:02:03\",\"unicast\":\"normal\",\"vlan\":\"normal\","
                    "\"vlan-table\":[300,5],\"unicast-table\":[\"52:54:00:11:22:33\"],"
                    "\"multicast\":\"all\",\"multicast-overflow\":false,\"unicast-overflow\":false,"
                    "\"multicast-table\":[\"33:33:ff:12:34:56\",\"01:00:5e:00:00:01\"],"
                    "\"broadcast-allowed\":false}]");
    /* After the query, the next change is an event again; a refused command is none. */
    g_assert_cmpuint(ctrl(f, 0, 5, (uint8_t[2]){ 1, 1 }, 2), ==, 1);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpuint(ctrl(f, 0, 5, &on, 1), ==, 0); /* NOBCAST */
    g_assert_cmpuint(events->len, ==, 2);
    r2 = qmp("{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"net0\"}}");
    g_assert_cmpstr(r2, ==,
                    "{\"class\":\"GenericError\",\"desc\":\"net client(net0) isn't a NIC\"}");
    runstate_set_event_hook(NULL);
    g_ptr_array_free(events, TRUE);
}

#define T(name, fn, props) g_test_add(name, Fixture, props, setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    T("/virtio-net/features-config", test_features_config, NULL);
    T("/virtio-net/transmit", test_transmit, NULL);
    T("/virtio-net/receive-merged", test_receive_merged, NULL);
    T("/virtio-net/receive-waits", test_receive_waits, NULL);
    T("/virtio-net/receive-single", test_receive_single, NULL);
    T("/virtio-net/filter", test_filter, NULL);
    T("/virtio-net/vlan", test_vlan, NULL);
    T("/virtio-net/malformed", test_malformed, NULL);
    T("/virtio-net/link", test_link, NULL);
    T("/virtio-net/rx-filter-query", test_rx_filter_query, NULL);
    g_test_add_func("/virtio-net/properties", test_properties);
    return g_test_run();
}

/*
 * The network layer's delivery rules (net/net.c): frames reach a ready peer
 * at once, wait in its queue while it is not, keep their order, and are
 * bounded; MAC address parsing and QEMU's default sequence.
 */
#include "net/net.h"

#include <glib.h>

typedef struct Sink {
    bool ready;        /* can_receive */
    int refuse;        /* receive answers 0 (not now) this many times */
    GPtrArray *frames; /* of GBytes *: what was received */
    NetClientState *nc;
    bool echo; /* send each frame back from inside receive */
} Sink;

static bool sink_can_receive(NetClientState *nc)
{
    return ((Sink *)nc->opaque)->ready;
}

static ssize_t sink_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    Sink *s = nc->opaque;

    if (s->refuse > 0) {
        s->refuse--;
        return 0;
    }
    g_ptr_array_add(s->frames, g_bytes_new(buf, len));
    if (s->echo) {
        s->echo = false;
        qemu_send_packet(nc, buf, len);
    }
    return len;
}

static const NetClientInfo sink_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .receive = sink_receive,
    .can_receive = sink_can_receive,
};

static void sink_init(Sink *s, NetClientState *peer, const char *name)
{
    s->ready = true;
    s->refuse = 0;
    s->echo = false;
    s->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    s->nc = qemu_new_net_client(&sink_info, peer, "sink", name, s);
}

static void sink_free(Sink *s)
{
    qemu_del_net_client(s->nc);
    g_ptr_array_free(s->frames, TRUE);
}

static uint8_t frame_byte(Sink *s, guint i)
{
    gsize n;
    const uint8_t *d = g_bytes_get_data(g_ptr_array_index(s->frames, i), &n);

    g_assert_cmpuint(n, >, 0);
    return d[0];
}

static void test_direct_and_queued(void)
{
    Sink a, b;
    uint8_t f[3] = { 1, 2, 3 };

    sink_init(&a, NULL, "a");
    sink_init(&b, a.nc, "b");
    g_assert_true(a.nc->peer == b.nc && b.nc->peer == a.nc);

    /* Ready: delivered at once. */
    g_assert_cmpint(qemu_send_packet(a.nc, f, 3), ==, 3);
    g_assert_cmpuint(b.frames->len, ==, 1);

    /* Not ready: queued, in order, delivered by a flush. */
    b.ready = false;
    g_assert_false(qemu_can_send_packet(a.nc));
    for (uint8_t i = 10; i < 15; i++) {
        f[0] = i;
        g_assert_cmpint(qemu_send_packet(a.nc, f, 3), ==, 3);
    }
    g_assert_cmpuint(b.frames->len, ==, 1);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 5);
    b.ready = true;
    qemu_flush_queued_packets(b.nc);
    g_assert_cmpuint(b.frames->len, ==, 6);
    for (guint i = 1; i < 6; i++) {
        g_assert_cmpuint(frame_byte(&b, i), ==, 9 + i);
    }
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 0);
    sink_free(&b);
    g_assert_null(a.nc->peer);
    /* No peer: the frame goes nowhere. */
    g_assert_cmpint(qemu_send_packet(a.nc, f, 3), ==, 0);
    sink_free(&a);
}

/* A receive that answers "not now" keeps the frame and stops delivery until a flush. */
static void test_refused_frame_is_kept(void)
{
    Sink a, b;
    uint8_t f[1];

    sink_init(&a, NULL, "a");
    sink_init(&b, a.nc, "b");
    b.refuse = 1;
    f[0] = 7;
    g_assert_cmpint(qemu_send_packet(a.nc, f, 1), ==, 1);
    g_assert_cmpuint(b.frames->len, ==, 0);
    g_assert_true(b.nc->receive_disabled);
    f[0] = 8;
    qemu_send_packet(a.nc, f, 1);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 2);
    qemu_flush_queued_packets(b.nc);
    g_assert_cmpuint(b.frames->len, ==, 2);
    g_assert_cmpuint(frame_byte(&b, 0), ==, 7);
    g_assert_cmpuint(frame_byte(&b, 1), ==, 8);
    sink_free(&b);
    sink_free(&a);
}

/*
 * An empty frame is dropped before the peer sees it: its receive answering 0
 * (the size it took) must not leave it queued ahead of the frames after it.
 */
static void test_empty_frame_dropped(void)
{
    Sink a, b;
    uint8_t f[1] = { 9 };

    sink_init(&a, NULL, "a");
    sink_init(&b, a.nc, "b");
    g_assert_cmpint(qemu_send_packet(a.nc, f, 0), ==, 0);
    g_assert_cmpuint(b.frames->len, ==, 0);
    g_assert_false(b.nc->receive_disabled);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 0);
    g_assert_cmpint(qemu_send_packet(a.nc, f, 1), ==, 1);
    g_assert_cmpuint(b.frames->len, ==, 1);
    g_assert_cmpuint(frame_byte(&b, 0), ==, 9);
    /* Nor does one wait in the queue while the peer is not ready. */
    b.ready = false;
    qemu_send_packet(a.nc, f, 0);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 0);
    b.ready = true;
    qemu_flush_queued_packets(b.nc);
    g_assert_cmpuint(b.frames->len, ==, 1);
    sink_free(&b);
    sink_free(&a);
}

/* The queue is bounded: beyond the limit frames are dropped (send returns 0). */
static void test_queue_limit(void)
{
    Sink a, b;
    uint8_t f[1] = { 0 };

    sink_init(&a, NULL, "a");
    sink_init(&b, a.nc, "b");
    b.ready = false;
    b.nc->queue_limit = 4;
    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(qemu_send_packet(a.nc, f, 1), ==, 1);
    }
    g_assert_cmpint(qemu_send_packet(a.nc, f, 1), ==, 0);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 4);
    /* Deleting the sender drops what it queued for the peer. */
    sink_free(&a);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 0);
    sink_free(&b);
}

/* A frame sent back from inside a receive does not recurse into the sender's receive. */
static void test_send_from_receive(void)
{
    Sink a, b;
    uint8_t f[1] = { 5 };

    sink_init(&a, NULL, "a");
    sink_init(&b, a.nc, "b");
    b.echo = true;
    a.echo = true;
    /*
     * b echoes to a, whose echo comes back while b is still inside its
     * receive: that frame waits in b's queue and is delivered after.
     */
    qemu_send_packet(a.nc, f, 1);
    g_assert_cmpuint(a.frames->len, ==, 1);
    g_assert_cmpuint(b.frames->len, ==, 2);
    g_assert_cmpuint(qemu_net_queue_length(b.nc), ==, 0);
    sink_free(&b);
    sink_free(&a);
}

static void test_macaddr(void)
{
    MACAddr m;

    g_assert_true(net_parse_macaddr(&m, "52:54:00:ab:CD:ef"));
    g_assert_cmpuint(m.a[0], ==, 0x52);
    g_assert_cmpuint(m.a[5], ==, 0xef);
    g_assert_true(net_parse_macaddr(&m, "01-02-03-04-05-06"));
    g_assert_cmpuint(m.a[5], ==, 6);
    g_assert_false(net_parse_macaddr(&m, "zz"));
    g_assert_false(net_parse_macaddr(&m, "52:54:00:12:34"));
    g_assert_false(net_parse_macaddr(&m, "52:54:00:12:34:56:78"));
    g_assert_false(net_parse_macaddr(&m, "5:54:00:12:34:56"));
    g_assert_false(net_parse_macaddr(&m, ""));

    /* QEMU's sequence from 52:54:00:12:34:56, skipping claimed addresses. */
    net_parse_macaddr(&m, "52:54:00:12:34:57");
    qemu_macaddr_claim(&m);
    qemu_macaddr_default(&m);
    g_assert_cmpuint(m.a[5], ==, 0x56);
    g_assert_cmpuint(m.a[4], ==, 0x34);
    qemu_macaddr_default(&m);
    g_assert_cmpuint(m.a[5], ==, 0x58);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net/queue/direct-and-queued", test_direct_and_queued);
    g_test_add_func("/net/queue/refused-frame-kept", test_refused_frame_is_kept);
    g_test_add_func("/net/queue/limit", test_queue_limit);
    g_test_add_func("/net/queue/empty-frame-dropped", test_empty_frame_dropped);
    g_test_add_func("/net/queue/send-from-receive", test_send_from_receive);
    g_test_add_func("/net/macaddr", test_macaddr);
    return g_test_run();
}

/*
 * spapr-vlan's hypercalls with good and malformed descriptors (hw/net/spapr_llan.c):
 * pages and buffers checked against the TCE window before anything changes,
 * frames in both directions laid out as PAPR and Linux's ibmveth expect.
 */
#include "spapr-test-machine.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr_vio.h"
#include "net/net.h"

#include <glib.h>

#define RAM (256 * 1024 * 1024ULL)
#define REG 0x71000000u
#define PAGE 4096ULL
#define VALID PPC_BIT(0)
#define TOGGLE PPC_BIT(1)

/* Bus addresses used by the tests, mapped 1:1 onto guest RAM at GPA_BASE + ioba. */
#define GPA_BASE 0x1000000ULL
#define BUF_LIST 0x0000ULL
#define FILTER 0x1000ULL
#define RXQ 0x2000ULL
#define RXBUF 0x10000ULL
#define TXBUF 0x20000ULL

typedef struct Fixture {
    SpaprMachineState *m;
    NetClientState *sink;
    GPtrArray *frames; /* of GBytes *: what the device sent */
    bool sink_ready;
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

static uint64_t bd(uint64_t addr, uint32_t len)
{
    return VALID | (uint64_t)len << 32 | addr;
}

static target_ulong hcall(Fixture *f, target_ulong op, target_ulong a0, target_ulong a1,
                          target_ulong a2, target_ulong a3, target_ulong a4)
{
    target_ulong args[10] = { a0, a1, a2, a3, a4 };

    return test_hcall(f->m, 0, op, args);
}

/* Map n pages from ioba with access (SPAPR_TCE_READ/WRITE). */
static void map(Fixture *f, uint64_t ioba, unsigned n, uint64_t access)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t io = ioba + i * PAGE;

        g_assert_cmpint(hcall(f, H_PUT_TCE, REG, io, (GPA_BASE + io) | access, 0, 0), ==,
                        H_SUCCESS);
    }
}

static uint64_t ldq(uint64_t ioba)
{
    uint64_t v = 0;

    g_assert_true(guest_ldq_be(GPA_BASE + ioba, &v));
    return v;
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    DeviceState *dev;

    f->m = test_machine_new(RAM, 1, NULL, NULL);
    f->m->vio_bus = spapr_vio_bus_new(NULL, NULL);
    f->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    f->sink = qemu_new_net_client(&sink_info, NULL, "sink", "sink", f);
    f->sink->is_netdev = true;
    dev = qdev_new("spapr-vlan");
    qdev_prop_set_string(dev, "netdev", "sink");
    qdev_prop_set_string(dev, "mac", "52:54:00:aa:bb:cc");
    if (data) {
        qdev_prop_set_bit(dev, "use-rx-buffer-pools", false); /* buffers in the list page */
    }
    g_assert_true(qdev_realize_and_unref(dev, &f->m->vio_bus->bus, &error_abort));
    /* Buffer list, filter list, a 64-byte receive queue (4 entries), buffers. */
    map(f, BUF_LIST, 3, SPAPR_TCE_RW);
    map(f, RXBUF, 4, SPAPR_TCE_RW);
    map(f, TXBUF, 2, SPAPR_TCE_READ);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    spapr_vio_bus_free(f->m->vio_bus);
    qemu_del_net_client(f->sink);
    g_ptr_array_free(f->frames, TRUE);
    test_machine_free(f->m);
}

static target_ulong do_register(Fixture *f, uint64_t rxq_bd)
{
    return hcall(f, H_REGISTER_LOGICAL_LAN, REG, BUF_LIST, rxq_bd, FILTER, 0x525400aabbccULL);
}

static void test_register_checks(Fixture *f, gconstpointer data)
{
    uint64_t rxq = bd(RXQ, 64);

    /* Every bad argument is refused, and nothing is written to guest memory. */
    guest_stq_be(GPA_BASE + BUF_LIST, 0x1234);
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG + 1, BUF_LIST, rxq, FILTER, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG, BUF_LIST + 8, rxq, FILTER, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG, 0x8000, rxq, FILTER, 0), ==,
                    H_PARAMETER); /* not mapped */
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG, TXBUF, rxq, FILTER, 0), ==,
                    H_PARAMETER); /* read-only */
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG, 1ULL << 32, rxq, FILTER, 0), ==,
                    H_PARAMETER); /* above 32 bits */
    g_assert_cmpint(hcall(f, H_REGISTER_LOGICAL_LAN, REG, BUF_LIST, rxq, FILTER + 4, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(do_register(f, rxq & ~VALID), ==, H_PARAMETER);
    g_assert_cmpint(do_register(f, bd(RXQ, 40)), ==, H_PARAMETER);         /* length % 16 */
    g_assert_cmpint(do_register(f, bd(RXQ + 8, 64)), ==, H_PARAMETER);     /* address % 16 */
    g_assert_cmpint(do_register(f, bd(RXQ + 0xff0, 64)), ==, H_PARAMETER); /* runs off */
    g_assert_cmpint(do_register(f, bd(0x0fffff00, 64)), ==, H_PARAMETER);  /* in window, unmapped */
    g_assert_cmpint(do_register(f, bd(0x10000000, 64)), ==, H_PARAMETER);  /* past window */
    g_assert_cmpuint(ldq(BUF_LIST), ==, 0x1234);

    /* A good call fills the buffer list's header; a second is refused. */
    g_assert_cmpint(do_register(f, rxq | TOGGLE), ==, H_SUCCESS);
    g_assert_cmpuint(ldq(BUF_LIST), ==, rxq);
    g_assert_cmpuint(ldq(BUF_LIST + 8), ==, bd(FILTER, 4096));
    g_assert_cmpint(do_register(f, rxq), ==, H_RESOURCE);

    g_assert_cmpint(hcall(f, H_FREE_LOGICAL_LAN, REG, 0, 0, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_FREE_LOGICAL_LAN, REG, 0, 0, 0, 0), ==, H_STATE);
    g_assert_cmpint(hcall(f, H_FREE_LOGICAL_LAN, REG + 1, 0, 0, 0, 0), ==, H_PARAMETER);
    g_assert_cmpint(do_register(f, rxq), ==, H_SUCCESS);
}

static void test_add_buffer_checks(Fixture *f, gconstpointer data)
{
    /* Not registered: a good buffer is H_RESOURCE, a bad one H_PARAMETER first. */
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 2048), 0, 0, 0), ==,
                    H_RESOURCE);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 2, 2048), 0, 0, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG + 1, bd(RXBUF, 2048), 0, 0, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 2048) & ~VALID, 0, 0, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 2046), 0, 0, 0), ==,
                    H_PARAMETER);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(TXBUF, 2048), 0, 0, 0), ==,
                    H_PARAMETER); /* read-only */
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 3 * PAGE, 8192), 0, 0, 0),
                    ==, H_PARAMETER); /* second page unmapped */
    /* Five pools of one size each: a sixth size has no room. */
    for (uint32_t i = 0; i < 5; i++) {
        g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 64 + 64 * i), 0, 0, 0),
                        ==, H_SUCCESS);
    }
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 1024), 0, 0, 0), ==,
                    H_RESOURCE);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 64), 0, 0, 0), ==, H_SUCCESS);
}

/* Frames from the network land in the smallest buffer that fits, with their queue entry. */
static void test_receive(Fixture *f, gconstpointer data)
{
    uint8_t frame[200];
    uint64_t rxq = bd(RXQ, 32); /* two entries: the third frame wraps */

    for (unsigned i = 0; i < sizeof(frame); i++) {
        frame[i] = i * 7;
    }
    /* Nothing registered: the frame waits in the queue. */
    qemu_send_packet(f->sink, frame, 60);
    g_assert_cmpint(do_register(f, rxq), ==, H_SUCCESS);
    /* Correlators at the start of each buffer, as ibmveth keeps them. */
    guest_stq_be(GPA_BASE + RXBUF, 0xc0ffee01);
    guest_stq_be(GPA_BASE + RXBUF + 0x800, 0xc0ffee02);
    guest_stq_be(GPA_BASE + RXBUF + 0x1000, 0xc0ffee03);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 256), 0, 0, 0), ==,
                    H_SUCCESS);
    /* The waiting frame was delivered into it. */
    g_assert_cmpuint(ldq(RXQ) >> 56, ==, 0xc0); /* valid, toggle (descriptor's is 0) */
    g_assert_cmpuint((ldq(RXQ) >> 32) & 0xffff, ==, 8);
    g_assert_cmpuint(ldq(RXQ) & 0xffffffff, ==, 60);
    g_assert_cmpuint(ldq(RXQ + 8), ==, 0xc0ffee01);
    g_assert_cmpmem(guest_ram_ptr(GPA_BASE + RXBUF + 8, 60), 60, frame, 60);

    /* 200 bytes need 208: not the 200-byte buffer, the 2048-byte one. */
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 0x800, 2048), 0, 0, 0), ==,
                    H_SUCCESS);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 0x1000, 200), 0, 0, 0), ==,
                    H_SUCCESS);
    qemu_send_packet(f->sink, frame, 200);
    g_assert_cmpuint(ldq(RXQ + 16) & 0xffffffff, ==, 200);
    g_assert_cmpuint(ldq(RXQ + 24), ==, 0xc0ffee02);
    /* The queue wrapped: the descriptor's toggle flipped, the next entry has toggle 0. */
    g_assert_cmpuint(ldq(BUF_LIST), ==, rxq | TOGGLE);
    qemu_send_packet(f->sink, frame, 100);
    g_assert_cmpuint(ldq(RXQ) >> 56, ==, 0x40);
    g_assert_cmpuint(ldq(RXQ + 8), ==, 0xc0ffee03);

    /*
     * No buffer left: the frame waits.  A buffer too small for it counts a
     * frame dropped for want of a buffer in the list's last doubleword.
     */
    qemu_send_packet(f->sink, frame, 100);
    g_assert_cmpuint(ldq(BUF_LIST + 4088), ==, 0);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 1);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 0x1000, 64), 0, 0, 0), ==,
                    H_SUCCESS);
    g_assert_cmpuint(ldq(BUF_LIST + 4088), ==, 1);
    g_assert_cmpuint(ldq(RXQ + 16) >> 56, ==, 0xc0); /* the old entry, untouched */
}

static void test_send(Fixture *f, gconstpointer data)
{
    target_ulong args[10] = { REG };
    gsize len;
    const uint8_t *got;

    for (unsigned i = 0; i < 300; i++) {
        guest_stb(GPA_BASE + TXBUF + i, i);
    }
    args[1] = bd(TXBUF, 100);
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_DROPPED);
    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_SUCCESS);

    /* Two pieces make one frame; the first invalid descriptor ends the list. */
    args[1] = bd(TXBUF, 100);
    args[2] = bd(TXBUF + 100, 50);
    args[3] = bd(TXBUF, 10) & ~VALID;
    args[4] = bd(TXBUF, 10);
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_SUCCESS);
    g_assert_cmpuint(f->frames->len, ==, 1);
    got = g_bytes_get_data(g_ptr_array_index(f->frames, 0), &len);
    g_assert_cmpuint(len, ==, 150);
    for (unsigned i = 0; i < 150; i++) {
        g_assert_cmpuint(got[i], ==, i);
    }

    /* Malformed: nothing is sent. */
    memset(args + 1, 0, 9 * sizeof(args[0]));
    args[0] = REG;
    args[1] = bd(0x30000, 64); /* unmapped */
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_DEST_PARM);
    args[1] = bd(TXBUF, 64);
    args[2] = bd(0x0ffff000, 64);
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_DEST_PARM);
    args[2] = 0;
    args[7] = 1; /* continuation token */
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_HARDWARE);
    args[7] = 0;
    for (int i = 1; i <= 6; i++) {
        args[i] = bd(TXBUF, 0xffffff & ~3); /* six times 16 MiB */
    }
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_RESOURCE);
    memset(args + 1, 0, 9 * sizeof(args[0]));
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_SUCCESS);
    args[0] = REG + 1;
    g_assert_cmpint(test_hcall(f->m, 0, H_SEND_LOGICAL_LAN, args), ==, H_PARAMETER);
    g_assert_cmpuint(f->frames->len, ==, 1);
}

static void test_misc_hcalls(Fixture *f, gconstpointer data)
{
    g_assert_cmpint(hcall(f, H_MULTICAST_CTRL, REG, 0, 0, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_MULTICAST_CTRL, REG + 5, 0, 0, 0, 0), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_CHANGE_LOGICAL_LAN_MAC, REG, 0x020000000001ULL, 0, 0, 0), ==,
                    H_SUCCESS);
    g_assert_cmpint(hcall(f, H_CHANGE_LOGICAL_LAN_MAC, 7, 0, 0, 0, 0), ==, H_PARAMETER);
    /* H_VIO_SIGNAL: bit 63 is the receive interrupt; other bits are refused. */
    g_assert_cmpint(hcall(f, H_VIO_SIGNAL, REG, 1, 0, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_VIO_SIGNAL, REG, 2, 0, 0, 0), ==, H_PARAMETER);
    /* Reset frees the device and clears its TCEs. */
    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_SUCCESS);
    qdev_reset_all();
    g_assert_cmpint(hcall(f, H_FREE_LOGICAL_LAN, REG, 0, 0, 0, 0), ==, H_STATE);
    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_PARAMETER);
}

/*
 * Without pools the guest owns the slots: with every one marked valid by the
 * guest, a new buffer is refused (H_RESOURCE) instead of searching forever;
 * a slot freed again takes it.
 */
static void test_page_list_full(Fixture *f, gconstpointer data)
{
    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_SUCCESS);
    for (uint64_t off = 16; off < PAGE - 8; off += 8) {
        g_assert_true(guest_stq_be(GPA_BASE + BUF_LIST + off, bd(RXBUF, 64)));
    }
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 2048), 0, 0, 0), ==,
                    H_RESOURCE);
    g_assert_true(guest_stq_be(GPA_BASE + BUF_LIST + 0x100, 0));
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 2048), 0, 0, 0), ==,
                    H_SUCCESS);
    g_assert_cmphex(ldq(BUF_LIST + 0x100), ==, bd(RXBUF, 2048));
}

/*
 * Without pools, the first frame after registration that fits no buffer in
 * the list: one search over the slots, a drop counted, the frame waits for
 * a buffer that fits.
 */
static void test_page_no_fit(Fixture *f, gconstpointer data)
{
    uint8_t frame[100] = { 0x5a };

    g_assert_cmpint(do_register(f, bd(RXQ, 64)), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF, 64), 0, 0, 0), ==, H_SUCCESS);
    qemu_send_packet(f->sink, frame, sizeof(frame));
    g_assert_cmpuint(ldq(BUF_LIST + 4088), ==, 1);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 1);
    g_assert_cmpint(hcall(f, H_ADD_LOGICAL_LAN_BUFFER, REG, bd(RXBUF + 0x800, 2048), 0, 0, 0), ==,
                    H_SUCCESS);
    g_assert_cmpuint(qemu_net_queue_length(f->sink->peer), ==, 0);
    g_assert_cmpuint(ldq(RXQ) & 0xffffffff, ==, sizeof(frame));
    g_assert_cmpmem(guest_ram_ptr(GPA_BASE + RXBUF + 0x808, sizeof(frame)), sizeof(frame), frame,
                    sizeof(frame));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
    g_test_add("/spapr-llan/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("register", test_register_checks);
    ADD("add-buffer", test_add_buffer_checks);
    ADD("receive", test_receive);
    ADD("send", test_send);
    ADD("misc", test_misc_hcalls);
    g_test_add("/spapr-llan/page-list-full", Fixture, "page", fixture_setup, test_page_list_full,
               fixture_teardown);
    g_test_add("/spapr-llan/page-no-fit", Fixture, "page", fixture_setup, test_page_no_fit,
               fixture_teardown);
    return g_test_run();
}

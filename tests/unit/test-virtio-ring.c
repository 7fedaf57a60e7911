/*
 * Unit tests of the virtio split-ring parser (hw/virtio/virtio.c): good chains,
 * and malformed rings that must break the device with no crash or stray access.
 */
#include "hw/virtio/virtio.h"

#define MEM_SIZE 0x10000
#define QSIZE 8
#define DESC 0x1000
#define AVAIL 0x2000
#define USED 0x3000
#define INDIRECT 0x4000
#define DATA 0x8000

static uint8_t mem[MEM_SIZE];
static unsigned notifies, config_notifies, bad_dma;

static bool fake_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    if (addr > MEM_SIZE || len > MEM_SIZE - addr) {
        bad_dma++;
        return false;
    }
    memcpy(buf, mem + addr, len);
    return true;
}

static bool fake_write(void *opaque, uint64_t addr, const void *buf, uint64_t len)
{
    if (addr > MEM_SIZE || len > MEM_SIZE - addr) {
        bad_dma++;
        return false;
    }
    memcpy(mem + addr, buf, len);
    return true;
}

static void fake_notify(void *opaque, uint16_t vector)
{
    VirtIODevice *vdev = opaque;

    if (vdev->isr & VIRTIO_ISR_CONFIG) {
        config_notifies++;
    } else {
        notifies++;
    }
    vdev->isr = 0;
}

static const VirtIOTransportOps fake_ops = {
    .dma_read = fake_read,
    .dma_write = fake_write,
    .notify = fake_notify,
};

static VirtIODevice vdev;
static VirtQueue *vq;

static void put16(uint64_t a, uint16_t v)
{
    mem[a] = v;
    mem[a + 1] = v >> 8;
}

static uint16_t get16(uint64_t a)
{
    return mem[a] | mem[a + 1] << 8;
}

static uint32_t get32(uint64_t a)
{
    return get16(a) | (uint32_t)get16(a + 2) << 16;
}

/* A little-endian descriptor (virtio 1.0 layout) in the table at table. */
static void desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    uint8_t *d = mem + table + 16 * i;

    for (int b = 0; b < 8; b++) {
        d[b] = addr >> (8 * b);
    }
    for (int b = 0; b < 4; b++) {
        d[8 + b] = len >> (8 * b);
    }
    d[12] = flags;
    d[13] = flags >> 8;
    d[14] = next;
    d[15] = next >> 8;
}

/* The driver offers head in the next avail slot. */
static void offer(uint16_t head)
{
    uint16_t idx = get16(AVAIL + 2);

    put16(AVAIL + 4 + 2 * (idx % QSIZE), head);
    put16(AVAIL + 2, idx + 1);
}

static void setup(uint64_t features)
{
    memset(mem, 0, sizeof(mem));
    virtio_cleanup(&vdev);
    memset(&vdev, 0, sizeof(vdev));
    virtio_init(&vdev, "virtio-test", VIRTIO_ID_BLOCK, 0);
    vdev.tops = &fake_ops;
    vdev.topaque = &vdev;
    vq = virtio_add_queue(&vdev, QSIZE, NULL);
    vdev.guest_features = features;
    vdev.status = VIRTIO_CONFIG_S_DRIVER_OK;
    vq->desc = DESC;
    vq->avail = AVAIL;
    vq->used = USED;
    vq->enabled = true;
    notifies = config_notifies = bad_dma = 0;
}

#define ALL_FEATURES                                                                               \
    (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_RING_F_INDIRECT_DESC |                            \
     1ull << VIRTIO_RING_F_EVENT_IDX)

/* A malformed ring: pop gives nothing, the device is broken and says NEEDS_RESET. */
static void assert_broken(void)
{
    VirtQueueElement *e = virtqueue_pop(vq, sizeof(*e));

    g_assert_null(e);
    g_assert_true(vdev.broken);
    g_assert_cmphex(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET, ==, VIRTIO_CONFIG_S_NEEDS_RESET);
    g_assert_cmpuint(config_notifies, ==, 1);
    /* Nothing more is taken until reset. */
    g_assert_null(virtqueue_pop(vq, sizeof(*e)));
}

static void test_good_chain(void)
{
    VirtQueueElement *e;
    uint8_t buf[4];

    setup(ALL_FEATURES);
    memcpy(mem + DATA, "abcd", 4);
    desc(DESC, 3, DATA, 4, VRING_DESC_F_NEXT, 5);
    desc(DESC, 5, DATA + 0x100, 16, VRING_DESC_F_WRITE, 0);
    offer(3);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->index, ==, 3);
    g_assert_cmpuint(e->out_num, ==, 1);
    g_assert_cmpuint(e->in_num, ==, 1);
    g_assert_cmpuint(e->out_len, ==, 4);
    g_assert_cmpuint(e->in_len, ==, 16);
    g_assert_true(virtqueue_elem_read(vq, e, 1, buf, 3));
    g_assert_cmpmem(buf, 3, "bcd", 3);
    g_assert_true(virtqueue_elem_write(vq, e, 2, "xy", 2));
    g_assert_cmpmem(mem + DATA + 0x102, 2, "xy", 2);
    /* A read past the element's bytes is refused without breaking the device. */
    g_assert_false(virtqueue_elem_read(vq, e, 2, buf, 4));
    g_assert_false(vdev.broken);
    /* With the event index, the device asks for a kick at the next entry. */
    g_assert_cmpuint(get16(USED + 4 + 8 * QSIZE), ==, 1);
    virtqueue_push(vq, e, 7);
    g_assert_cmpuint(get16(USED + 2), ==, 1);
    g_assert_cmpuint(get32(USED + 4), ==, 3);
    g_assert_cmpuint(get32(USED + 8), ==, 7);
    virtio_notify(&vdev, vq);
    g_assert_cmpuint(notifies, ==, 1);
    g_assert_null(virtqueue_pop(vq, sizeof(*e)));
    virtqueue_elem_free(e);
}

static void test_indirect_good(void)
{
    VirtQueueElement *e;

    setup(ALL_FEATURES);
    desc(INDIRECT, 0, DATA, 16, VRING_DESC_F_NEXT, 1);
    desc(INDIRECT, 1, DATA + 16, 512, VRING_DESC_F_NEXT, 2);
    desc(INDIRECT, 2, DATA + 1024, 1, VRING_DESC_F_WRITE, 0);
    desc(DESC, 0, INDIRECT, 3 * 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->out_num, ==, 2);
    g_assert_cmpuint(e->in_num, ==, 1);
    g_assert_cmpuint(e->out_len, ==, 528);
    g_assert_cmpuint(e->in_len, ==, 1);
    virtqueue_elem_free(e);
}

static void test_loop(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, DATA, 4, VRING_DESC_F_NEXT, 1);
    desc(DESC, 1, DATA, 4, VRING_DESC_F_NEXT, 0);
    offer(0);
    assert_broken();
}

static void test_self_loop_indirect(void)
{
    setup(ALL_FEATURES);
    desc(INDIRECT, 0, DATA, 4, VRING_DESC_F_NEXT, 1);
    desc(INDIRECT, 1, DATA, 4, VRING_DESC_F_NEXT, 1);
    desc(DESC, 0, INDIRECT, 2 * 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
}

static void test_next_out_of_range(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, DATA, 4, VRING_DESC_F_NEXT, QSIZE);
    offer(0);
    assert_broken();
}

static void test_head_out_of_range(void)
{
    setup(ALL_FEATURES);
    offer(QSIZE + 3);
    assert_broken();
}

static void test_avail_idx_jump(void)
{
    setup(ALL_FEATURES);
    put16(AVAIL + 2, QSIZE + 1);
    assert_broken();
}

static void test_nested_indirect(void)
{
    setup(ALL_FEATURES);
    desc(INDIRECT, 0, INDIRECT + 0x100, 16, VRING_DESC_F_INDIRECT, 0);
    desc(DESC, 0, INDIRECT, 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
}

static void test_indirect_zero_len(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, INDIRECT, 0, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
}

static void test_indirect_bad_len(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, INDIRECT, 24, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
}

static void test_indirect_without_feature(void)
{
    setup(1ull << VIRTIO_F_VERSION_1);
    desc(INDIRECT, 0, DATA, 4, 0, 0);
    desc(DESC, 0, INDIRECT, 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
}

static void test_indirect_table_outside(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, MEM_SIZE - 8, 32, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken();
    g_assert_cmpuint(bad_dma, >=, 1);
}

static void test_ring_outside(void)
{
    setup(ALL_FEATURES);
    vq->avail = MEM_SIZE - 1;
    assert_broken();
    g_assert_cmpuint(bad_dma, >=, 1);
}

static void test_data_outside(void)
{
    VirtQueueElement *e;
    uint8_t buf[16];

    setup(ALL_FEATURES);
    desc(DESC, 0, 0xfffffffffffff000ull, 16, 0, 0);
    offer(0);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_false(virtqueue_elem_read(vq, e, 0, buf, sizeof(buf)));
    g_assert_true(vdev.broken);
    g_assert_cmpuint(config_notifies, ==, 1);
    virtqueue_elem_free(e);
}

static void test_address_wraps(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, 0xfffffffffffffff0ull, 0x100, 0, 0);
    offer(0);
    assert_broken();
}

static void test_in_before_out(void)
{
    setup(ALL_FEATURES);
    desc(DESC, 0, DATA, 4, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    desc(DESC, 1, DATA, 4, 0, 0);
    offer(0);
    assert_broken();
}

static void test_chain_too_big(void)
{
    setup(ALL_FEATURES);
    for (unsigned i = 0; i < QSIZE; i++) {
        desc(DESC, i, DATA, 0xffffffffu, i + 1 < QSIZE ? VRING_DESC_F_NEXT : 0, i + 1);
    }
    offer(0);
    assert_broken();
}

static void test_reset_recovers(void)
{
    VirtQueueElement *e;

    setup(ALL_FEATURES);
    desc(DESC, 0, DATA, 4, VRING_DESC_F_NEXT, 0);
    offer(0);
    assert_broken();
    virtio_reset(&vdev);
    g_assert_false(vdev.broken);
    g_assert_cmpuint(vdev.status, ==, 0);
    memset(mem, 0, sizeof(mem));
    vdev.guest_features = ALL_FEATURES;
    vq->desc = DESC;
    vq->avail = AVAIL;
    vq->used = USED;
    vq->enabled = true;
    desc(DESC, 0, DATA, 4, 0, 0);
    offer(0);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    virtqueue_elem_free(e);
}

/* A legacy driver without a 1.0 interface sees no NEEDS_RESET, only a stopped device. */
static void test_legacy_no_needs_reset(void)
{
    setup(1ull << VIRTIO_RING_F_INDIRECT_DESC);
    offer(QSIZE);
    g_assert_null(virtqueue_pop(vq, sizeof(VirtQueueElement)));
    g_assert_true(vdev.broken);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET, ==, 0);
    g_assert_cmpuint(config_notifies, ==, 0);
}

/* Interrupt suppression: the used_event field, and NO_INTERRUPT without the event index. */
static void test_event_idx_suppresses(void)
{
    VirtQueueElement *e;

    setup(ALL_FEATURES);
    for (unsigned i = 0; i < 3; i++) {
        desc(DESC, i, DATA, 4, 0, 0);
        offer(i);
    }
    /* The driver wants an interrupt once used->idx passes 2 (used_event = 2). */
    put16(AVAIL + 4 + 2 * QSIZE, 2);
    for (unsigned i = 0; i < 3; i++) {
        e = virtqueue_pop(vq, sizeof(*e));
        g_assert_nonnull(e);
        virtqueue_push(vq, e, 0);
        virtio_notify(&vdev, vq);
        virtqueue_elem_free(e);
    }
    /* The first interrupt is always sent; then only the one crossing used_event. */
    g_assert_cmpuint(notifies, ==, 2);

    setup(1ull << VIRTIO_F_VERSION_1);
    put16(AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
    desc(DESC, 0, DATA, 4, 0, 0);
    offer(0);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    virtqueue_push(vq, e, 0);
    virtio_notify(&vdev, vq);
    g_assert_cmpuint(notifies, ==, 0);
    virtqueue_elem_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio/ring/good-chain", test_good_chain);
    g_test_add_func("/virtio/ring/indirect-good", test_indirect_good);
    g_test_add_func("/virtio/ring/loop", test_loop);
    g_test_add_func("/virtio/ring/indirect-loop", test_self_loop_indirect);
    g_test_add_func("/virtio/ring/next-out-of-range", test_next_out_of_range);
    g_test_add_func("/virtio/ring/head-out-of-range", test_head_out_of_range);
    g_test_add_func("/virtio/ring/avail-idx-jump", test_avail_idx_jump);
    g_test_add_func("/virtio/ring/nested-indirect", test_nested_indirect);
    g_test_add_func("/virtio/ring/indirect-zero-len", test_indirect_zero_len);
    g_test_add_func("/virtio/ring/indirect-bad-len", test_indirect_bad_len);
    g_test_add_func("/virtio/ring/indirect-without-feature", test_indirect_without_feature);
    g_test_add_func("/virtio/ring/indirect-table-outside", test_indirect_table_outside);
    g_test_add_func("/virtio/ring/ring-outside", test_ring_outside);
    g_test_add_func("/virtio/ring/data-outside", test_data_outside);
    g_test_add_func("/virtio/ring/address-wraps", test_address_wraps);
    g_test_add_func("/virtio/ring/in-before-out", test_in_before_out);
    g_test_add_func("/virtio/ring/chain-too-big", test_chain_too_big);
    g_test_add_func("/virtio/ring/reset-recovers", test_reset_recovers);
    g_test_add_func("/virtio/ring/legacy-no-needs-reset", test_legacy_no_needs_reset);
    g_test_add_func("/virtio/ring/event-idx", test_event_idx_suppresses);
    return g_test_run();
}

/*
 * A minimal virtio 1.0 driver for unit tests of virtio PCI devices: BAR 4
 * registers, split rings in guest RAM at fixed places, chains, kicks and
 * used entries, on a pseries test machine with the default PHB.
 */
#ifndef TESTS_UNIT_VIRTIO_TEST_DRIVER_H
#define TESTS_UNIT_VIRTIO_TEST_DRIVER_H

#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "exec/memory.h"
#include "qemu/units.h"
#include "spapr-test-machine.h"

#define VT_RAM (64 * MiB)
#define VT_BUID0 0x800000020000000ULL

/* The modern BAR's structures (virtio 1.0, 4.1.4) as QEMU places them. */
#define VT_COMMON 0x0000
#define VT_ISR 0x1000
#define VT_DEVICE_CFG 0x2000
#define VT_NOTIFY 0x3000
#define VT_C_DFSELECT 0x00
#define VT_C_DF 0x04
#define VT_C_GFSELECT 0x08
#define VT_C_GF 0x0c
#define VT_C_NUMQ 0x12
#define VT_C_STATUS 0x14
#define VT_C_QSELECT 0x16
#define VT_C_QSIZE 0x18
#define VT_C_QENABLE 0x1c
#define VT_C_QNOFF 0x1e
#define VT_C_QDESC 0x20
#define VT_C_QAVAIL 0x28
#define VT_C_QUSED 0x30
#define VT_C_QRESET 0x3a
#define VT_F_RING_RESET 40

#define VT_S_ACK 1
#define VT_S_DRIVER 2
#define VT_S_DRIVER_OK 4
#define VT_S_FEATURES_OK 8
#define VT_S_NEEDS_RESET 0x40

#define VT_DESC_NEXT 1
#define VT_DESC_WRITE 2

/* Rings of 16 entries for up to 16 queues; 16 buffers of 4 KiB per queue. */
#define VT_QSIZE 16
#define VT_MAXQ 16
#define VT_RING(q) (0x100000ULL + (q)*0x10000ULL)
#define VT_DESC(q) VT_RING(q)
#define VT_AVAIL(q) (VT_RING(q) + 0x1000)
#define VT_USED(q) (VT_RING(q) + 0x2000)
#define VT_BUF(q, i) (0x400000ULL + (q)*0x10000ULL + (i)*0x1000ULL)

/* Little-endian fields in a byte buffer (virtio 1.0 structures). */
static inline void stw_le_p(void *p, uint16_t v)
{
    uint8_t *b = p;

    b[0] = v;
    b[1] = v >> 8;
}

static inline void stl_le_p(void *p, uint32_t v)
{
    stw_le_p(p, v);
    stw_le_p((uint8_t *)p + 2, v >> 16);
}

static inline void stq_le_p(void *p, uint64_t v)
{
    stl_le_p(p, v);
    stl_le_p((uint8_t *)p + 4, v >> 32);
}

static inline uint16_t lduw_le_p(const void *p)
{
    const uint8_t *b = p;

    return b[0] | b[1] << 8;
}

static inline uint32_t ldl_le_p(const void *p)
{
    return lduw_le_p(p) | (uint32_t)lduw_le_p((const uint8_t *)p + 2) << 16;
}

typedef struct VtDriver {
    SpaprMachineState *m;
    SpaprPhbState *phb;
    PCIDevice *dev;
    unsigned nq; /* queues set up by vt_start */
    uint16_t avail_idx[VT_MAXQ], used_seen[VT_MAXQ], next_desc[VT_MAXQ];
} VtDriver;

typedef struct VtSeg {
    uint64_t addr;
    uint32_t len;
    bool write;
} VtSeg;

/* The machine and its PHB; devices are added with vt_add_device. */
static inline void vt_machine_new(VtDriver *d)
{
    memset(d, 0, sizeof(*d));
    d->m = test_machine_new(VT_RAM, 1, NULL, NULL);
    qdev_tree_reset();
    spapr_irq_init(d->m);
    spapr_pci_create_default(d->m);
    d->phb = spapr_pci_find_phb(VT_BUID0);
}

/* A device on the PHB with "name", "value" pairs; NULL + errp when realize fails. */
static inline DeviceState *vt_try_add(VtDriver *d, const char *type, const char *const *props,
                                      Error **errp)
{
    DeviceState *dev = qdev_new(type);

    for (unsigned i = 0; props && props[i]; i += 2) {
        if (!qdev_prop_parse(dev, props[i], props[i + 1], PROP_SRC_CMDLINE, errp)) {
            qdev_free(dev);
            return NULL;
        }
    }
    return qdev_realize_and_unref(dev, &d->phb->bus->qbus, errp) ? dev : NULL;
}

static inline void vt_machine_free(VtDriver *d)
{
    qdev_free(&d->phb->qdev);
    spapr_irq_free_all(d->m);
    qdev_tree_reset();
    memory_map_clear();
    test_machine_free(d->m);
}

static inline uint64_t vt_read(VtDriver *d, uint64_t off, unsigned size)
{
    PCIIORegion *r = &d->dev->io_regions[4];

    return r->ops->read(r->opaque, off, size);
}

static inline void vt_write(VtDriver *d, uint64_t off, uint64_t val, unsigned size)
{
    PCIIORegion *r = &d->dev->io_regions[4];

    r->ops->write(r->opaque, off, val, size);
}

static inline uint64_t vt_host_features(VtDriver *d)
{
    uint64_t v;

    vt_write(d, VT_COMMON + VT_C_DFSELECT, 0, 4);
    v = vt_read(d, VT_COMMON + VT_C_DF, 4);
    vt_write(d, VT_COMMON + VT_C_DFSELECT, 1, 4);
    return v | vt_read(d, VT_COMMON + VT_C_DF, 4) << 32;
}

static inline uint8_t vt_status(VtDriver *d)
{
    return vt_read(d, VT_COMMON + VT_C_STATUS, 1);
}

/* The driver's start-up: the device's features minus drop, queues 0..nq-1, DRIVER_OK. */
static inline void vt_start(VtDriver *d, uint64_t drop, unsigned nq)
{
    uint64_t feat = vt_host_features(d) & ~drop;

    g_assert_cmpuint(nq, <=, VT_MAXQ);
    vt_write(d, VT_COMMON + VT_C_STATUS, 0, 1);
    vt_write(d, VT_COMMON + VT_C_STATUS, VT_S_ACK | VT_S_DRIVER, 1);
    vt_write(d, VT_COMMON + VT_C_GFSELECT, 0, 4);
    vt_write(d, VT_COMMON + VT_C_GF, (uint32_t)feat, 4);
    vt_write(d, VT_COMMON + VT_C_GFSELECT, 1, 4);
    vt_write(d, VT_COMMON + VT_C_GF, feat >> 32, 4);
    vt_write(d, VT_COMMON + VT_C_STATUS, VT_S_ACK | VT_S_DRIVER | VT_S_FEATURES_OK, 1);
    g_assert_cmpuint(vt_status(d) & VT_S_FEATURES_OK, ==, VT_S_FEATURES_OK);
    for (unsigned q = 0; q < nq; q++) {
        vt_write(d, VT_COMMON + VT_C_QSELECT, q, 2);
        g_assert_cmpuint(vt_read(d, VT_COMMON + VT_C_QSIZE, 2), >=, VT_QSIZE);
        vt_write(d, VT_COMMON + VT_C_QSIZE, VT_QSIZE, 2);
        vt_write(d, VT_COMMON + VT_C_QDESC, VT_DESC(q), 4);
        vt_write(d, VT_COMMON + VT_C_QDESC + 4, 0, 4);
        vt_write(d, VT_COMMON + VT_C_QAVAIL, VT_AVAIL(q), 4);
        vt_write(d, VT_COMMON + VT_C_QAVAIL + 4, 0, 4);
        vt_write(d, VT_COMMON + VT_C_QUSED, VT_USED(q), 4);
        vt_write(d, VT_COMMON + VT_C_QUSED + 4, 0, 4);
        vt_write(d, VT_COMMON + VT_C_QENABLE, 1, 2);
        d->avail_idx[q] = d->used_seen[q] = d->next_desc[q] = 0;
        g_assert_true(guest_memset(VT_RING(q), 0, 0x3000));
    }
    d->nq = nq;
    vt_write(d, VT_COMMON + VT_C_STATUS, VT_S_ACK | VT_S_DRIVER | VT_S_FEATURES_OK | VT_S_DRIVER_OK,
             1);
}

static inline void vt_put_desc(unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                               uint16_t next)
{
    uint64_t a = VT_DESC(q) + 16ULL * i;

    g_assert_true(guest_stq_le(a, addr));
    g_assert_true(guest_stl_le(a + 8, len));
    g_assert_true(guest_stw_le(a + 12, flags));
    g_assert_true(guest_stw_le(a + 14, next));
}

/* Publish head in the avail ring. */
static inline void vt_publish(VtDriver *d, unsigned q, unsigned head)
{
    g_assert_true(guest_stw_le(VT_AVAIL(q) + 4 + 2 * (d->avail_idx[q] % VT_QSIZE), head));
    d->avail_idx[q]++;
    g_assert_true(guest_stw_le(VT_AVAIL(q) + 2, d->avail_idx[q]));
}

/* Make a chain of the segments available; returns its head. */
static inline unsigned vt_add_chain(VtDriver *d, unsigned q, const VtSeg *segs, unsigned n)
{
    unsigned head = d->next_desc[q];

    for (unsigned i = 0; i < n; i++) {
        unsigned x = (head + i) % VT_QSIZE;

        vt_put_desc(q, x, segs[i].addr, segs[i].len,
                    (segs[i].write ? VT_DESC_WRITE : 0) | (i + 1 < n ? VT_DESC_NEXT : 0),
                    (x + 1) % VT_QSIZE);
    }
    d->next_desc[q] = (head + n) % VT_QSIZE;
    vt_publish(d, q, head);
    return head;
}

/* One buffer: out (device-readable) holding len bytes of data, or in (writable). */
static inline unsigned vt_add_buf(VtDriver *d, unsigned q, uint64_t addr, const void *data,
                                  uint32_t len, bool write)
{
    if (data) {
        g_assert_true(guest_write(addr, data, len));
    }
    return vt_add_chain(d, q, (VtSeg[]){ { addr, len, write } }, 1);
}

static inline void vt_kick(VtDriver *d, unsigned q)
{
    vt_write(d, VT_COMMON + VT_C_QSELECT, q, 2);
    vt_write(d, VT_NOTIFY + 4 * vt_read(d, VT_COMMON + VT_C_QNOFF, 2), q, 2);
}

static inline uint16_t vt_used_idx(unsigned q)
{
    uint16_t v;

    g_assert_true(guest_lduw_le(VT_USED(q) + 2, &v));
    return v;
}

/* Used entries of q the test has not taken yet. */
static inline unsigned vt_used_pending(VtDriver *d, unsigned q)
{
    return (uint16_t)(vt_used_idx(q) - d->used_seen[q]);
}

/* The next used entry of q: its head and length. */
static inline void vt_take_used(VtDriver *d, unsigned q, uint32_t *id, uint32_t *len)
{
    uint64_t e = VT_USED(q) + 4 + 8ULL * (d->used_seen[q] % VT_QSIZE);

    g_assert_cmpuint(vt_used_pending(d, q), >, 0);
    d->used_seen[q]++;
    g_assert_true(guest_ldl_le(e, id));
    g_assert_true(guest_ldl_le(e + 4, len));
}

#endif

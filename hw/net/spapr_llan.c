/*
 * spapr-vlan: the PAPR interpartition logical LAN ("l-lan", Linux's ibmveth)
 * on the VIO bus: its hypercalls, receive buffers and queue in guest memory
 * reached through the device's TCE window, and a netdev behind it.
 */
#include "hw/ppc/spapr_vio.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/qdev-state.h"
#include "net/net.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include <libfdt.h>

#define TYPE_SPAPR_VLAN "spapr-vlan"

/*
 * A buffer descriptor (PAPR): valid and toggle bits, flags, a 24-bit length
 * and a 32-bit I/O bus address.
 */
#define VLAN_BD_VALID PPC_BIT(0)
#define VLAN_BD_TOGGLE PPC_BIT(1)
#define VLAN_BD_LEN(bd) (((bd) >> 32) & 0xffffff)
#define VLAN_BD_ADDR(bd) ((bd)&0xffffffffULL)
#define VLAN_VALID_BD(addr, len) (VLAN_BD_VALID | ((uint64_t)(len) << 32) | (addr))

/*
 * The buffer-list page the guest registers: the receive-queue descriptor
 * (its toggle bit flips each time the queue wraps), the filter-list
 * descriptor, then (without pools) the receive buffer descriptors; its last
 * doubleword counts the frames dropped for want of a buffer.
 */
#define VLAN_PAGE_SIZE 4096
#define VLAN_RXQ_BD_OFF 0
#define VLAN_FILTER_BD_OFF 8
#define VLAN_RX_BDS_OFF 16
#define VLAN_RX_BDS_END (VLAN_PAGE_SIZE - 8)
#define VLAN_DROPPED_OFF (VLAN_PAGE_SIZE - 8)

/*
 * A receive-queue entry, 16 bytes: a control byte (toggle, valid), a
 * reserved byte, the data offset in the buffer (2 bytes), the length (4) and
 * the buffer's correlator (8), which the guest keeps in the buffer's first
 * doubleword; the frame follows it.
 */
#define VLAN_RXQ_ENTRY 16
#define VLAN_RXQC_TOGGLE 0x80
#define VLAN_RXQC_VALID 0x40
#define VLAN_RX_DATA_OFF 8

/* Receive buffers are kept in pools of one size each, smallest first. */
#define VLAN_RX_POOLS 5
#define VLAN_RX_POOL_MAX 4096

/* The largest frame H_SEND_LOGICAL_LAN gathers. */
#define VLAN_MAX_FRAME 65536
/* H_VIO_SIGNAL: bit 63 enables the receive interrupt. */
#define VLAN_SIGNAL_RX 1

typedef struct VlanRxPool {
    uint32_t bufsize; /* 0: unused */
    uint32_t count;
    uint64_t bds[VLAN_RX_POOL_MAX];
} VlanRxPool;

typedef struct SpaprVlan {
    SpaprVioDevice sdev;
    char *netdev_id;   /* property "netdev" */
    char *mac_str;     /* property "mac" */
    bool use_pools;    /* property "use-rx-buffer-pools" */
    int32_t bootindex; /* property "bootindex": accepted, no network boot yet */
    NetClientState *nc;
    MACAddr perm_mac; /* the configured address; the guest may change the live one */
    MACAddr mac;
    bool isopen;
    uint64_t buf_list;    /* bus address of the buffer-list page */
    uint32_t add_buf_ptr; /* without pools: where the last descriptor went */
    uint32_t use_buf_ptr; /* without pools: where the next search starts */
    uint32_t rx_bufs;
    uint32_t rxq_ptr; /* offset of the next receive-queue entry */
    VlanRxPool *pools[VLAN_RX_POOLS];
} SpaprVlan;

static const SpaprVioDeviceClass spapr_vlan_class;

static SpaprVlan *vlan_lookup(SpaprMachineState *spapr, target_ulong reg)
{
    SpaprVioDevice *dev;

    if (!spapr || !spapr->vio_bus || reg > UINT32_MAX) {
        return NULL;
    }
    dev = spapr_vio_find_by_reg(spapr->vio_bus, reg);
    return dev && qdev_class_is(dev->qdev.cls, &spapr_vlan_class.parent) ? (SpaprVlan *)dev : NULL;
}

static bool vlan_ldq(SpaprVlan *s, uint64_t ioba, uint64_t *val)
{
    uint64_t be;

    if (!spapr_vio_dma_read(&s->sdev, ioba, &be, 8)) {
        return false;
    }
    *val = GUINT64_FROM_BE(be);
    return true;
}

static bool vlan_stq(SpaprVlan *s, uint64_t ioba, uint64_t val)
{
    uint64_t be = GUINT64_TO_BE(val);

    return spapr_vio_dma_write(&s->sdev, ioba, &be, 8);
}

/*
 * A descriptor the device will use: valid, address and length multiples of
 * align, and the whole range mapped for reading and writing.
 */
static bool vlan_check_bd(SpaprVlan *s, uint64_t bd, uint32_t align)
{
    uint64_t addr = VLAN_BD_ADDR(bd), len = VLAN_BD_LEN(bd);

    return (bd & VLAN_BD_VALID) && addr % align == 0 && len % align == 0 &&
           spapr_vio_dma_valid(&s->sdev, addr, len, false) &&
           spapr_vio_dma_valid(&s->sdev, addr, len, true);
}

/* ---- Receive buffers ------------------------------------------------------------ */

static void vlan_pools_reset(SpaprVlan *s)
{
    for (int i = 0; i < VLAN_RX_POOLS; i++) {
        s->pools[i]->bufsize = 0;
        s->pools[i]->count = 0;
    }
}

static int pool_compare(const void *a, const void *b)
{
    const VlanRxPool *pa = *(VlanRxPool *const *)a, *pb = *(VlanRxPool *const *)b;

    /* Unused pools go last; the others by size. */
    if (!pa->bufsize || !pb->bufsize) {
        return !pa->bufsize - !pb->bufsize;
    }
    return pa->bufsize < pb->bufsize ? -1 : pa->bufsize > pb->bufsize;
}

/* A buffer joins the pool of its size; a new size takes an empty pool. */
static target_ulong vlan_add_to_pool(SpaprVlan *s, uint64_t bd)
{
    uint32_t size = VLAN_BD_LEN(bd);
    VlanRxPool *pool = NULL;

    for (int i = 0; i < VLAN_RX_POOLS && !pool; i++) {
        if (s->pools[i]->bufsize == size) {
            pool = s->pools[i];
        }
    }
    if (!pool) {
        for (int i = 0; i < VLAN_RX_POOLS && !pool; i++) {
            if (!s->pools[i]->count) {
                pool = s->pools[i];
            }
        }
        if (!pool) {
            qemu_log_mask(LOG_GUEST_ERROR, "spapr-vlan: no pool left for buffers of %u bytes\n",
                          size);
            return H_RESOURCE;
        }
        pool->bufsize = size;
        qsort(s->pools, VLAN_RX_POOLS, sizeof(s->pools[0]), pool_compare);
    }
    if (pool->count >= VLAN_RX_POOL_MAX) {
        return H_RESOURCE;
    }
    pool->bds[pool->count++] = bd;
    return H_SUCCESS;
}

/*
 * Without pools the buffer list page holds the descriptors: the next free
 * slot after the last one used (a slot is free when its valid bit is clear).
 * The guest owns the page and may mark every slot valid itself: one pass
 * over the slots, then the list is full.
 */
static target_ulong vlan_add_to_page(SpaprVlan *s, uint64_t bd)
{
    const unsigned nslots = (VLAN_RX_BDS_END - VLAN_RX_BDS_OFF) / 8;
    uint64_t slot;

    if (s->rx_bufs >= nslots - 1) {
        return H_RESOURCE;
    }
    for (unsigned n = 0; n < nslots; n++) {
        s->add_buf_ptr += 8;
        if (s->add_buf_ptr >= VLAN_RX_BDS_END) {
            s->add_buf_ptr = VLAN_RX_BDS_OFF;
        }
        if (!vlan_ldq(s, s->buf_list + s->add_buf_ptr, &slot)) {
            return H_PARAMETER;
        }
        if (!(slot & VLAN_BD_VALID)) {
            return vlan_stq(s, s->buf_list + s->add_buf_ptr, bd) ? H_SUCCESS : H_PARAMETER;
        }
    }
    qemu_log_mask(LOG_GUEST_ERROR, "spapr-vlan: every slot of the buffer list is in use\n");
    return H_RESOURCE;
}

/* Take a buffer for a frame of size bytes (plus the correlator), or 0. */
static uint64_t vlan_take_from_pool(SpaprVlan *s, size_t size)
{
    for (int i = 0; i < VLAN_RX_POOLS; i++) {
        VlanRxPool *pool = s->pools[i];

        if (pool->count && pool->bufsize >= size + VLAN_RX_DATA_OFF) {
            return pool->bds[--pool->count];
        }
    }
    return 0;
}

/*
 * One pass over the slots from where the last search stopped.  (Counted, not
 * "until back at the start": after registration the start is the slot before
 * the first, which the search never visits.)
 */
static uint64_t vlan_take_from_page(SpaprVlan *s, size_t size)
{
    uint64_t bd;

    for (unsigned n = 0; n < (VLAN_RX_BDS_END - VLAN_RX_BDS_OFF) / 8; n++) {
        s->use_buf_ptr += 8;
        if (s->use_buf_ptr >= VLAN_RX_BDS_END) {
            s->use_buf_ptr = VLAN_RX_BDS_OFF;
        }
        if (!vlan_ldq(s, s->buf_list + s->use_buf_ptr, &bd)) {
            return 0;
        }
        if ((bd & VLAN_BD_VALID) && VLAN_BD_LEN(bd) >= size + VLAN_RX_DATA_OFF) {
            vlan_stq(s, s->buf_list + s->use_buf_ptr, 0);
            return bd;
        }
    }
    return 0;
}

static void vlan_count_dropped(SpaprVlan *s)
{
    uint64_t n;

    if (vlan_ldq(s, s->buf_list + VLAN_DROPPED_OFF, &n)) {
        vlan_stq(s, s->buf_list + VLAN_DROPPED_OFF, n + 1);
    }
}

/* ---- The network client ----------------------------------------------------------- */

static bool vlan_can_receive(NetClientState *nc)
{
    SpaprVlan *s = nc->opaque;

    return s->isopen && s->rx_bufs > 0;
}

/*
 * A frame for the guest: into a receive buffer after its correlator, then
 * an entry in the receive queue, then the interrupt if the guest enabled it.
 */
static ssize_t vlan_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    SpaprVlan *s = nc->opaque;
    uint64_t bd, rxq_bd, handle, entry;
    uint8_t ent[VLAN_RXQ_ENTRY];

    if (!s->isopen) {
        return -1;
    }
    if (!s->rx_bufs) {
        vlan_count_dropped(s);
        return 0;
    }
    bd = s->use_pools ? vlan_take_from_pool(s, size) : vlan_take_from_page(s, size);
    if (!bd) {
        vlan_count_dropped(s);
        return 0;
    }
    s->rx_bufs--;
    if (!vlan_ldq(s, s->buf_list + VLAN_RXQ_BD_OFF, &rxq_bd) ||
        !spapr_vio_dma_write(&s->sdev, VLAN_BD_ADDR(bd) + VLAN_RX_DATA_OFF, buf, size) ||
        !vlan_ldq(s, VLAN_BD_ADDR(bd), &handle)) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vlan: receive buffer no longer mapped\n");
        return -1;
    }
    /* The valid entries of one pass carry the opposite of the descriptor's toggle. */
    ent[0] = VLAN_RXQC_VALID | (rxq_bd & VLAN_BD_TOGGLE ? 0 : VLAN_RXQC_TOGGLE);
    ent[1] = 0;
    ent[2] = VLAN_RX_DATA_OFF >> 8;
    ent[3] = VLAN_RX_DATA_OFF & 0xff;
    for (int i = 0; i < 4; i++) {
        ent[4 + i] = (uint32_t)size >> (24 - 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        ent[8 + i] = handle >> (56 - 8 * i);
    }
    entry = VLAN_BD_ADDR(rxq_bd) + s->rxq_ptr;
    /* The control byte goes last: the guest polls it. */
    if (!spapr_vio_dma_write(&s->sdev, entry + 1, ent + 1, VLAN_RXQ_ENTRY - 1) ||
        !spapr_vio_dma_write(&s->sdev, entry, ent, 1)) {
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-vlan: receive queue no longer mapped\n");
        return -1;
    }
    s->rxq_ptr += VLAN_RXQ_ENTRY;
    if (s->rxq_ptr >= VLAN_BD_LEN(rxq_bd)) {
        s->rxq_ptr = 0;
        vlan_stq(s, s->buf_list + VLAN_RXQ_BD_OFF, rxq_bd ^ VLAN_BD_TOGGLE);
    }
    if (s->sdev.signal_state & VLAN_SIGNAL_RX) {
        qemu_irq_pulse(qdev_get_irq_out(&s->sdev.qdev, 0));
    }
    return size;
}

static const NetClientInfo vlan_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .receive = vlan_receive,
    .can_receive = vlan_can_receive,
};

/* ---- Hypercalls ---------------------------------------------------------------------- */

/*
 * H_REGISTER_LOGICAL_LAN(unit, buffer list, receive queue, filter list, mac):
 * the guest hands over its pages; the device starts receiving.
 */
static target_ulong h_register_logical_lan(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                           target_ulong opcode, target_ulong *args)
{
    SpaprVlan *s = vlan_lookup(spapr, args[0]);
    uint64_t buf_list = args[1], rec_queue = args[2], filter_list = args[3];
    uint64_t filter_bd = VLAN_VALID_BD(filter_list & 0xffffffffULL, VLAN_PAGE_SIZE);
    static const uint8_t zero[VLAN_PAGE_SIZE];

    if (!s) {
        return H_PARAMETER;
    }
    if (s->isopen) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_REGISTER_LOGICAL_LAN: already registered\n");
        return H_RESOURCE;
    }
    if (buf_list > UINT32_MAX || filter_list > UINT32_MAX ||
        !vlan_check_bd(s, VLAN_VALID_BD(buf_list, VLAN_PAGE_SIZE), VLAN_PAGE_SIZE) ||
        !vlan_check_bd(s, filter_bd, VLAN_PAGE_SIZE) || !vlan_check_bd(s, rec_queue, 16)) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_REGISTER_LOGICAL_LAN: bad buffer list, filter "
                                       "list or receive queue\n");
        return H_PARAMETER;
    }
    rec_queue &= ~VLAN_BD_TOGGLE;
    /* All checked above: these DMAs stay inside mapped, writable pages. */
    vlan_stq(s, buf_list + VLAN_RXQ_BD_OFF, rec_queue);
    vlan_stq(s, buf_list + VLAN_FILTER_BD_OFF, filter_bd);
    spapr_vio_dma_write(&s->sdev, buf_list + VLAN_RX_BDS_OFF, zero,
                        VLAN_PAGE_SIZE - VLAN_RX_BDS_OFF);
    spapr_vio_dma_write(&s->sdev, VLAN_BD_ADDR(rec_queue), zero,
                        MIN(VLAN_BD_LEN(rec_queue), sizeof(zero)));
    for (uint64_t off = sizeof(zero); off < VLAN_BD_LEN(rec_queue); off += sizeof(zero)) {
        spapr_vio_dma_write(&s->sdev, VLAN_BD_ADDR(rec_queue) + off, zero,
                            MIN(VLAN_BD_LEN(rec_queue) - off, sizeof(zero)));
    }
    s->buf_list = buf_list;
    s->sdev.signal_state = 0;
    s->add_buf_ptr = s->use_buf_ptr = VLAN_RX_BDS_OFF - 8;
    s->rx_bufs = 0;
    s->rxq_ptr = 0;
    vlan_pools_reset(s);
    s->isopen = true;
    return H_SUCCESS;
}

static void vlan_close(SpaprVlan *s)
{
    s->isopen = false;
    s->buf_list = 0;
    s->rx_bufs = 0;
    s->rxq_ptr = 0;
    s->add_buf_ptr = s->use_buf_ptr = VLAN_RX_BDS_OFF - 8;
    vlan_pools_reset(s);
}

/* H_FREE_LOGICAL_LAN(unit): the device lets go of the guest's pages. */
static target_ulong h_free_logical_lan(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args)
{
    SpaprVlan *s = vlan_lookup(spapr, args[0]);

    if (!s) {
        return H_PARAMETER;
    }
    if (!s->isopen) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_FREE_LOGICAL_LAN: not registered\n");
        return H_STATE;
    }
    vlan_close(s);
    s->mac = s->perm_mac;
    return H_SUCCESS;
}

/* H_ADD_LOGICAL_LAN_BUFFER(unit, descriptor): one more receive buffer. */
static target_ulong h_add_logical_lan_buffer(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                             target_ulong opcode, target_ulong *args)
{
    SpaprVlan *s = vlan_lookup(spapr, args[0]);
    uint64_t bd = args[1];
    target_ulong ret;

    if (!s) {
        return H_PARAMETER;
    }
    if (!vlan_check_bd(s, bd, 4)) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_ADD_LOGICAL_LAN_BUFFER: bad buffer 0x%" PRIx64 "\n", bd);
        return H_PARAMETER;
    }
    if (!s->isopen) {
        return H_RESOURCE;
    }
    ret = s->use_pools ? vlan_add_to_pool(s, bd) : vlan_add_to_page(s, bd);
    if (ret != H_SUCCESS) {
        return ret;
    }
    s->rx_bufs++;
    qemu_flush_queued_packets(s->nc);
    return H_SUCCESS;
}

/*
 * H_SEND_LOGICAL_LAN(unit, bd0..bd5, continue token): one frame gathered
 * from up to six buffers; the first descriptor without its valid bit ends
 * the list.
 */
static target_ulong h_send_logical_lan(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args)
{
    SpaprVlan *s = vlan_lookup(spapr, args[0]);
    uint64_t total = 0;
    g_autofree uint8_t *frame = NULL;
    int nbufs;

    if (!s) {
        return H_PARAMETER;
    }
    if (args[7]) {
        /* Continuing a partly sent frame is not offered (QEMU 7.2 neither). */
        return H_HARDWARE;
    }
    if (!s->isopen) {
        return H_DROPPED;
    }
    for (nbufs = 0; nbufs < 6 && (args[1 + nbufs] & VLAN_BD_VALID); nbufs++) {
        total += VLAN_BD_LEN(args[1 + nbufs]);
    }
    if (!total) {
        return H_SUCCESS;
    }
    if (total > VLAN_MAX_FRAME) {
        return H_RESOURCE;
    }
    frame = g_malloc(total);
    for (int i = 0, off = 0; i < nbufs; i++) {
        uint32_t len = VLAN_BD_LEN(args[1 + i]);

        if (!spapr_vio_dma_read(&s->sdev, VLAN_BD_ADDR(args[1 + i]), frame + off, len)) {
            return H_DEST_PARM;
        }
        off += len;
    }
    qemu_send_packet(s->nc, frame, total);
    return H_SUCCESS;
}

/* H_MULTICAST_CTRL(unit, command, address): every frame is received anyway. */
static target_ulong h_multicast_ctrl(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                     target_ulong *args)
{
    return vlan_lookup(spapr, args[0]) ? H_SUCCESS : H_PARAMETER;
}

/* H_CHANGE_LOGICAL_LAN_MAC(unit, mac): the address in the low 48 bits. */
static target_ulong h_change_logical_lan_mac(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                             target_ulong opcode, target_ulong *args)
{
    SpaprVlan *s = vlan_lookup(spapr, args[0]);

    if (!s) {
        return H_PARAMETER;
    }
    for (int i = 0; i < 6; i++) {
        s->mac.a[i] = args[1] >> (40 - 8 * i);
    }
    return H_SUCCESS;
}

/* ---- The device ------------------------------------------------------------------------- */

static bool vlan_realize(DeviceState *dev, Error **errp)
{
    SpaprVlan *s = (SpaprVlan *)dev;
    NetClientState *peer = NULL;
    g_autofree char *name = NULL;

    if (s->mac_str) {
        if (!net_parse_macaddr(&s->perm_mac, s->mac_str)) {
            error_setg(errp, "Property 'spapr-vlan.mac' doesn't take value '%s'", s->mac_str);
            return false;
        }
        qemu_macaddr_claim(&s->perm_mac);
    }
    if (s->netdev_id) {
        peer = qemu_find_netdev(s->netdev_id);
        if (!peer) {
            error_setg(errp, "Property 'spapr-vlan.netdev' can't find value '%s'", s->netdev_id);
            return false;
        }
        if (peer->peer) {
            error_setg(errp, "Property 'spapr-vlan.netdev' can't take value '%s', it's in use",
                       s->netdev_id);
            return false;
        }
    }
    if (!s->mac_str) {
        /* The property then shows the address given (info network, qom-get), as QEMU's. */
        qemu_macaddr_default(&s->perm_mac);
        s->mac_str = qemu_mac_strdup(&s->perm_mac);
    }
    s->mac = s->perm_mac;
    for (int i = 0; i < VLAN_RX_POOLS; i++) {
        s->pools[i] = g_new0(VlanRxPool, 1);
    }
    name = dev->id ? g_strdup(dev->id) : g_strdup_printf("l-lan@%x", s->sdev.reg);
    s->nc = qemu_new_net_client(&vlan_net_info, peer, TYPE_SPAPR_VLAN, name, s);
    s->nc->macaddr = &s->perm_mac;
    return true;
}

static void vlan_unrealize(DeviceState *dev)
{
    SpaprVlan *s = (SpaprVlan *)dev;

    qemu_del_net_client(s->nc);
    s->nc = NULL;
    for (int i = 0; i < VLAN_RX_POOLS; i++) {
        g_free(s->pools[i]);
        s->pools[i] = NULL;
    }
}

static void vlan_reset(DeviceState *dev)
{
    SpaprVlan *s = (SpaprVlan *)dev;

    spapr_vio_device_reset(&s->sdev);
    vlan_close(s);
    s->mac = s->perm_mac;
}

/* Its node: the MAC address the guest starts with, and no hardware filters. */
static int vlan_fdt(DeviceState *dev, void *fdt, int node)
{
    SpaprVlan *s = (SpaprVlan *)dev;
    int ret = fdt_setprop(fdt, node, "local-mac-address", s->perm_mac.a, 6);

    return ret ? ret : fdt_setprop_cell(fdt, node, "ibm,mac-address-filters", 0);
}

static const Property vlan_props[] = {
    /* QEMU lists it without a default (its "unset" is -1, set at instance creation). */
    { .name = "bootindex", .type = PROP_TYPE_INT32, .offset = offsetof(SpaprVlan, bootindex) },
    { .name = "mac",
      .type = PROP_TYPE_STR,
      .offset = offsetof(SpaprVlan, mac_str),
      .desc = "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56" },
    { .name = "netdev",
      .type = PROP_TYPE_STR,
      .offset = offsetof(SpaprVlan, netdev_id),
      .desc = "ID of a netdev to use as a backend" },
    DEFINE_PROP_BOOL("use-rx-buffer-pools", SpaprVlan, use_pools, true),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- Migration ---------------------------------------------------------------------- */

static const VMStateField vmstate_vlan_pool_fields[] = {
    VMSTATE_UINT32(bufsize, VlanRxPool),
    VMSTATE_UINT32(count, VlanRxPool),
    VMSTATE_UINT64_ARRAY(bds, VlanRxPool, VLAN_RX_POOL_MAX),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_vlan_pool = {
    .name = "spapr_llan/rx_pool",
    .version_id = 1,
    .fields = vmstate_vlan_pool_fields,
};

static bool vlan_post_load(DeviceState *dev, Error **errp)
{
    SpaprVlan *s = (SpaprVlan *)dev;

    if (!spapr_vio_check_loaded(&s->sdev, errp)) {
        return false;
    }
    for (int i = 0; i < VLAN_RX_POOLS; i++) {
        if (s->pools[i]->count > VLAN_RX_POOL_MAX) {
            error_setg(errp, "spapr-vlan: receive pool %d holds %u buffers", i, s->pools[i]->count);
            return false;
        }
    }
    if (s->add_buf_ptr >= VLAN_RX_BDS_END || s->use_buf_ptr >= VLAN_RX_BDS_END ||
        (s->add_buf_ptr | s->use_buf_ptr) % 8) {
        error_setg(errp, "spapr-vlan: buffer list positions %u, %u", s->add_buf_ptr,
                   s->use_buf_ptr);
        return false;
    }
    if (s->isopen && s->nc) {
        qemu_flush_queued_packets(s->nc);
    }
    return true;
}

/*
 * What QEMU's "spapr_llan" carries: the registration (buffer list, receive
 * queue position, the buffers the guest added, in the list or the pools)
 * and the address the guest set.
 */
static const VMStateField vmstate_spapr_llan_fields[] = {
    VMSTATE_STRUCT(sdev, SpaprVlan, vmstate_spapr_vio, SpaprVioDevice),
    VMSTATE_BUFFER(mac, SpaprVlan),
    VMSTATE_BOOL(isopen, SpaprVlan),
    VMSTATE_UINT64(buf_list, SpaprVlan),
    VMSTATE_UINT32(add_buf_ptr, SpaprVlan),
    VMSTATE_UINT32(use_buf_ptr, SpaprVlan),
    VMSTATE_UINT32(rx_bufs, SpaprVlan),
    VMSTATE_UINT32(rxq_ptr, SpaprVlan),
    VMSTATE_STRUCT_POINTER(pools[0], SpaprVlan, vmstate_vlan_pool, VlanRxPool),
    VMSTATE_STRUCT_POINTER(pools[1], SpaprVlan, vmstate_vlan_pool, VlanRxPool),
    VMSTATE_STRUCT_POINTER(pools[2], SpaprVlan, vmstate_vlan_pool, VlanRxPool),
    VMSTATE_STRUCT_POINTER(pools[3], SpaprVlan, vmstate_vlan_pool, VlanRxPool),
    VMSTATE_STRUCT_POINTER(pools[4], SpaprVlan, vmstate_vlan_pool, VlanRxPool),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_llan = {
    .name = "spapr_llan",
    .version_id = 1,
    .fields = vmstate_spapr_llan_fields,
    .post_load = vlan_post_load,
};

static const SpaprVioDeviceClass spapr_vlan_class = {
    .parent = {
        .name = TYPE_SPAPR_VLAN,
        .parent = &spapr_vio_device_class.parent,
        .category = DEVICE_CATEGORY_NETWORK,
        .instance_size = sizeof(SpaprVlan),
        .props = vlan_props,
        .realize = vlan_realize,
        .unrealize = vlan_unrealize,
        .reset = vlan_reset,
        .fdt = vlan_fdt,
        .vmsd = &vmstate_spapr_llan,
    },
    .dt_name = "l-lan",
    .dt_type = "network",
    .dt_compatible = "IBM,l-lan",
    .signal_mask = VLAN_SIGNAL_RX,
    .rtce_window_size = SPAPR_VIO_DMA_WINDOW_SIZE,
};

bool spapr_vlan_create_nics(SpaprVioBus *bus, Error **errp)
{
    for (unsigned i = 0; i < net_nic_count(); i++) {
        NICInfo *nd = net_nic_get(i);
        g_autofree char *mac = NULL;
        DeviceState *dev;

        /*
         * spapr-vlan is the default model, "ibmveth" its other name; any other
         * model (and "help") is a PCI NIC's, for virtio_net_create_nics().
         */
        if (nd->model && strcmp(nd->model, TYPE_SPAPR_VLAN) && strcmp(nd->model, "ibmveth")) {
            continue;
        }
        mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", nd->mac.a[0], nd->mac.a[1],
                              nd->mac.a[2], nd->mac.a[3], nd->mac.a[4], nd->mac.a[5]);
        dev = qdev_new(TYPE_SPAPR_VLAN);
        qdev_prop_set_string(dev, "mac", mac);
        if (nd->netdev) {
            qdev_prop_set_string(dev, "netdev", nd->netdev->name);
        }
        if (!qdev_realize_and_unref(dev, &bus->bus, errp)) {
            return false;
        }
        nd->used = true;
    }
    return true;
}

static void spapr_vlan_register(void)
{
    qdev_register_type(&spapr_vlan_class.parent);
    spapr_register_hypercall(H_REGISTER_LOGICAL_LAN, h_register_logical_lan);
    spapr_register_hypercall(H_FREE_LOGICAL_LAN, h_free_logical_lan);
    spapr_register_hypercall(H_ADD_LOGICAL_LAN_BUFFER, h_add_logical_lan_buffer);
    spapr_register_hypercall(H_SEND_LOGICAL_LAN, h_send_logical_lan);
    spapr_register_hypercall(H_MULTICAST_CTRL, h_multicast_ctrl);
    spapr_register_hypercall(H_CHANGE_LOGICAL_LAN_MAC, h_change_logical_lan_mac);
}

module_init(spapr_vlan_register)

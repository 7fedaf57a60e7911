/*
 * virtio-net-pci (virtio 1.0, 5.1): a receive queue the driver fills with
 * buffers (merged when MRG_RXBUF is on), a transmit queue of header + frame
 * chains, and a control queue for the receive filter, on a netdev.
 */
#include "hw/qdev-state.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-pci.h"
#include "net/net.h"
#include "qemu/module.h"
#include "sysemu/runstate.h"

/* QEMU 7.2's queue sizes: rx_queue_size 256 to 1024, tx fixed at 256 without vhost-user. */
#define VNET_QUEUE_MIN 256
#define VNET_CTRL_QUEUE_SIZE 64
/* The header before every frame: 10 bytes, 12 with num_buffers (MRG_RXBUF or virtio 1.0). */
#define VNET_HDR_LEN 10
#define VNET_HDR_MRG_LEN 12
#define VNET_HDR_NUM_BUFFERS 10
/*
 * The longest frame the net layer carries, as QEMU's (NET_BUFSIZE: 4 KiB
 * plus 64 KiB); a longer one is dropped, its buffer given back.
 */
#define VNET_MAX_FRAME (4096 + 65536)
/* A control command longer than this is refused (two full MAC tables fit). */
#define VNET_CTRL_MAX 4096
#define ETH_ALEN 6

typedef struct VirtIONetPCI {
    VirtIOPCIProxy proxy;
    /* properties */
    char *mac_str;
    char *netdev_id;
    char *duplex_str;
    int32_t bootindex;
    int32_t speed;
    uint16_t host_mtu;
    uint16_t rx_queue_size, tx_queue_size;
    bool csum, guest_csum, gso, guest_tso4, guest_tso6, guest_ecn, guest_ufo;
    bool host_tso4, host_tso6, host_ecn, host_ufo;
    bool mrg_rxbuf, status, ctrl_vq, ctrl_rx, ctrl_vlan, ctrl_rx_extra, ctrl_mac_addr;
    bool ctrl_guest_offloads, guest_announce, mq;

    NetClientState *nc;
    VirtQueue *rx, *tx, *ctrl;
    MACAddr perm_mac; /* mac=, or the next default address */
    MACAddr mac;      /* the address the filter accepts (the driver may change it) */
    unsigned hdr_len;
    bool mergeable;
    uint16_t link_status;
    /* The receive filter (QEMU's receive_filter). */
    bool promisc, allmulti, alluni, nomulti, nouni, nobcast;
    unsigned mac_in_use, mac_first_multi;
    bool uni_overflow, multi_overflow;
    uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * ETH_ALEN];
    uint32_t vlans[VIRTIO_NET_MAX_VLAN / 32];
    /* Receive buffers popped for the frame being delivered. */
    VirtQueueElement *rx_elems[VIRTQUEUE_MAX_SIZE];
    uint8_t tx_buf[VNET_MAX_FRAME];
} VirtIONetPCI;

static VirtIONetPCI *vnet_of(VirtIODevice *vdev)
{
    return (VirtIONetPCI *)virtio_pci_proxy(vdev);
}

static bool vnet_driver_ok(VirtIONetPCI *s)
{
    VirtIODevice *vdev = &s->proxy.vdev;

    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken;
}

/*
 * The driver changed the receive filter: NIC_RX_FILTER_CHANGED names the
 * device (its id, when it has one) and the virtio device's QOM path, once
 * until a query-rx-filter reads the filter (so a busy guest cannot flood).
 */
static void vnet_rx_filter_changed(VirtIONetPCI *s)
{
    DeviceState *dev = &s->proxy.pci.qdev;
    g_autoptr(GString) data = g_string_new("{");

    if (!s->nc->rxfilter_notify_enabled) {
        return;
    }
    s->nc->rxfilter_notify_enabled = false;
    if (dev->id) {
        g_string_append_printf(data, "\"name\": \"%s\", ", dev->id);
    }
    g_string_append_printf(data, "\"path\": \"%s/virtio-backend\"}", dev->path);
    runstate_emit_event("NIC_RX_FILTER_CHANGED", data->str);
}

/* ---- Receive ---------------------------------------------------------------------------- */

static bool vnet_mac_in_table(VirtIONetPCI *s, const uint8_t *addr, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++) {
        if (!memcmp(addr, &s->macs[i * ETH_ALEN], ETH_ALEN)) {
            return true;
        }
    }
    return false;
}

/* Whether the driver wants the frame: promiscuous mode, VLAN table, then address filters. */
static bool vnet_rx_filter(VirtIONetPCI *s, const uint8_t *buf, size_t size)
{
    static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    if (s->promisc) {
        return true;
    }
    if (size < ETH_ALEN) {
        return false;
    }
    /* An 802.1Q tag (TPID 0x8100 after the two addresses): its VLAN id must be in the table. */
    if (size >= 16 && buf[12] == 0x81 && buf[13] == 0x00) {
        unsigned vid = (buf[14] << 8 | buf[15]) & 0xfff;

        if (!(s->vlans[vid >> 5] & (1u << (vid & 31)))) {
            return false;
        }
    }
    if (buf[0] & 1) {
        if (!memcmp(buf, bcast, ETH_ALEN)) {
            return !s->nobcast;
        }
        if (s->nomulti) {
            return false;
        }
        if (s->allmulti || s->multi_overflow) {
            return true;
        }
        return vnet_mac_in_table(s, buf, s->mac_first_multi, s->mac_in_use);
    }
    if (s->nouni) {
        return false;
    }
    if (s->alluni || s->uni_overflow || !memcmp(buf, s->mac.a, ETH_ALEN)) {
        return true;
    }
    return vnet_mac_in_table(s, buf, 0, s->mac_first_multi);
}

static bool vnet_can_receive(NetClientState *nc)
{
    VirtIONetPCI *s = nc->opaque;

    return vnet_driver_ok(s) && virtio_queue_ready(s->rx);
}

static void vnet_rx_release(VirtIONetPCI *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        virtqueue_elem_free(s->rx_elems[i]);
        s->rx_elems[i] = NULL;
    }
}

/*
 * A frame from the netdev into the driver's receive buffers: the header, then
 * the frame, over as many buffers as it needs (one without MRG_RXBUF, where a
 * frame that does not fit is dropped and its buffer given back).  Returns 0
 * when the ring holds too little: the network layer keeps the frame until the
 * driver adds buffers and kicks.
 */
static ssize_t vnet_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    VirtIONetPCI *s = nc->opaque;
    VirtIODevice *vdev = &s->proxy.vdev;
    VirtQueue *vq = s->rx;
    uint8_t hdr[VNET_HDR_MRG_LEN] = { 0 };
    uint32_t lens[VIRTQUEUE_MAX_SIZE];
    size_t done = 0;
    unsigned n = 0;

    if (!vnet_can_receive(nc)) {
        return 0;
    }
    if (!vnet_rx_filter(s, buf, size)) {
        return size;
    }
    while (done < size || n == 0) {
        VirtQueueElement *e;
        size_t room, chunk;
        unsigned off = 0;

        if (n == vq->num || !(e = virtqueue_pop(vq, sizeof(*e)))) {
            if (vdev->broken) {
                vnet_rx_release(s, n);
                return size;
            }
            /* Not enough buffers: give them back and wait for the driver's kick. */
            virtqueue_unpop(vq, n);
            vnet_rx_release(s, n);
            return 0;
        }
        s->rx_elems[n] = e;
        if (e->in_num == 0) {
            virtio_error(vdev, "virtio-net receive queue contains no in buffers");
            vnet_rx_release(s, n + 1);
            return size;
        }
        if (n == 0) {
            off = MIN(s->hdr_len, e->in_len);
        }
        room = e->in_len - off;
        chunk = MIN(room, size - done);
        if (chunk && !virtqueue_elem_write(vq, e, off, buf + done, chunk)) {
            vnet_rx_release(s, n + 1);
            return size;
        }
        lens[n++] = off + chunk;
        done += chunk;
        if (!s->mergeable && done < size) {
            /* Too big for one buffer: dropped, the buffer goes back to the ring. */
            virtqueue_unpop(vq, n);
            vnet_rx_release(s, n);
            return size;
        }
    }
    /* The header goes in last: only now is the number of buffers known. */
    if (s->hdr_len == VNET_HDR_MRG_LEN) {
        virtio_stw_p(vdev, hdr + VNET_HDR_NUM_BUFFERS, n);
    }
    if (!virtqueue_elem_write(vq, s->rx_elems[0], 0, hdr,
                              MIN(s->hdr_len, s->rx_elems[0]->in_len))) {
        vnet_rx_release(s, n);
        return size;
    }
    for (unsigned i = 0; i < n; i++) {
        virtqueue_fill(vq, s->rx_elems[i], lens[i], i);
    }
    virtqueue_flush(vq, n);
    vnet_rx_release(s, n);
    virtio_notify(vdev, vq);
    return size;
}

/* The driver added receive buffers: frames the network layer held come now. */
static void vnet_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    qemu_flush_queued_packets(vnet_of(vdev)->nc);
}

/* ---- Transmit ---------------------------------------------------------------------------- */

/* Each chain is the header (ignored: no offloads are offered) and one frame. */
static void vnet_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONetPCI *s = vnet_of(vdev);
    VirtQueueElement *e;
    bool pushed = false;

    if (!vnet_driver_ok(s)) {
        return;
    }
    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        uint64_t len;

        if (e->out_num < 1 || e->out_len < s->hdr_len) {
            virtio_error(vdev, "virtio-net header not in first element");
            virtqueue_elem_free(e);
            return;
        }
        len = e->out_len - s->hdr_len;
        if (len > sizeof(s->tx_buf)) {
            /* Dropped and used, as QEMU 7.2 (its net layer ignores such a frame). */
            virtqueue_push(vq, e, 0);
            virtqueue_elem_free(e);
            pushed = true;
            continue;
        }
        if (!virtqueue_elem_read(vq, e, s->hdr_len, s->tx_buf, len)) {
            virtqueue_elem_free(e);
            return;
        }
        if (s->link_status & VIRTIO_NET_S_LINK_UP) {
            qemu_send_packet(s->nc, s->tx_buf, len);
        }
        virtqueue_push(vq, e, 0);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* ---- Control queue ------------------------------------------------------------------------ */

static uint8_t vnet_ctrl_rx(VirtIONetPCI *s, uint8_t cmd, const uint8_t *data, size_t len)
{
    bool on;

    if (len != 1) {
        return VIRTIO_NET_ERR;
    }
    on = data[0] != 0;
    switch (cmd) {
    case VIRTIO_NET_CTRL_RX_PROMISC:
        s->promisc = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLMULTI:
        s->allmulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLUNI:
        s->alluni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOMULTI:
        s->nomulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOUNI:
        s->nouni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOBCAST:
        s->nobcast = on;
        break;
    default:
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

/*
 * MAC_TABLE_SET: a unicast table then a multicast table, each a 32-bit count
 * and that many addresses; a table over the 64 entries turns the filter off
 * for its kind (overflow).  Nothing changes unless the whole command is good.
 */
static uint8_t vnet_ctrl_mac_table(VirtIONetPCI *s, const uint8_t *data, size_t len)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * ETH_ALEN] = { 0 };
    unsigned in_use = 0, first_multi;
    bool uni_overflow = false, multi_overflow = false;
    uint64_t entries;

    if (len < 4) {
        return VIRTIO_NET_ERR;
    }
    entries = virtio_ldl_p(vdev, data);
    data += 4;
    len -= 4;
    if (entries * ETH_ALEN > len) {
        return VIRTIO_NET_ERR;
    }
    if (entries <= VIRTIO_NET_MAC_TABLE_ENTRIES) {
        memcpy(macs, data, entries * ETH_ALEN);
        in_use = entries;
    } else {
        uni_overflow = true;
    }
    data += entries * ETH_ALEN;
    len -= entries * ETH_ALEN;
    first_multi = in_use;
    if (len < 4) {
        return VIRTIO_NET_ERR;
    }
    entries = virtio_ldl_p(vdev, data);
    data += 4;
    len -= 4;
    if (entries * ETH_ALEN != len) {
        return VIRTIO_NET_ERR;
    }
    if (entries <= VIRTIO_NET_MAC_TABLE_ENTRIES - in_use) {
        memcpy(&macs[in_use * ETH_ALEN], data, entries * ETH_ALEN);
        in_use += entries;
    } else {
        multi_overflow = true;
    }
    memcpy(s->macs, macs, sizeof(macs));
    s->mac_in_use = in_use;
    s->mac_first_multi = first_multi;
    s->uni_overflow = uni_overflow;
    s->multi_overflow = multi_overflow;
    return VIRTIO_NET_OK;
}

static uint8_t vnet_ctrl_mac(VirtIONetPCI *s, uint8_t cmd, const uint8_t *data, size_t len)
{
    if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
        if (len != ETH_ALEN) {
            return VIRTIO_NET_ERR;
        }
        memcpy(s->mac.a, data, ETH_ALEN);
        return VIRTIO_NET_OK;
    }
    if (cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET) {
        return vnet_ctrl_mac_table(s, data, len);
    }
    return VIRTIO_NET_ERR;
}

static uint8_t vnet_ctrl_vlan(VirtIONetPCI *s, uint8_t cmd, const uint8_t *data, size_t len)
{
    uint16_t vid;

    if (len != 2) {
        return VIRTIO_NET_ERR;
    }
    vid = virtio_lduw_p(&s->proxy.vdev, data);
    if (vid >= VIRTIO_NET_MAX_VLAN) {
        return VIRTIO_NET_ERR;
    }
    if (cmd == VIRTIO_NET_CTRL_VLAN_ADD) {
        s->vlans[vid >> 5] |= 1u << (vid & 31);
    } else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL) {
        s->vlans[vid >> 5] &= ~(1u << (vid & 31));
    } else {
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

static uint8_t vnet_ctrl_command(VirtIONetPCI *s, uint8_t cls, uint8_t cmd, const uint8_t *data,
                                 size_t len)
{
    VirtIODevice *vdev = &s->proxy.vdev;

    uint8_t ack;

    switch (cls) {
    case VIRTIO_NET_CTRL_RX:
    case VIRTIO_NET_CTRL_MAC:
    case VIRTIO_NET_CTRL_VLAN:
        ack = cls == VIRTIO_NET_CTRL_RX    ? vnet_ctrl_rx(s, cmd, data, len)
              : cls == VIRTIO_NET_CTRL_MAC ? vnet_ctrl_mac(s, cmd, data, len)
                                           : vnet_ctrl_vlan(s, cmd, data, len);
        if (ack == VIRTIO_NET_OK) {
            vnet_rx_filter_changed(s);
        }
        return ack;
    case VIRTIO_NET_CTRL_ANNOUNCE:
        if (cmd != VIRTIO_NET_CTRL_ANNOUNCE_ACK || !(s->link_status & VIRTIO_NET_S_ANNOUNCE)) {
            return VIRTIO_NET_ERR;
        }
        s->link_status &= ~VIRTIO_NET_S_ANNOUNCE;
        return VIRTIO_NET_OK;
    case VIRTIO_NET_CTRL_MQ:
        /* One queue pair is all a user or tap netdev has. */
        if (cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET || len != 2 ||
            !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_MQ) || virtio_lduw_p(vdev, data) != 1) {
            return VIRTIO_NET_ERR;
        }
        return VIRTIO_NET_OK;
    case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
        /* No receive offload is offered (the netdev has no virtio-net header): only 0. */
        if (cmd != VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET || len != 8 ||
            !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) ||
            virtio_ldq_p(vdev, data) != 0) {
            return VIRTIO_NET_ERR;
        }
        return VIRTIO_NET_OK;
    }
    return VIRTIO_NET_ERR;
}

static void vnet_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONetPCI *s = vnet_of(vdev);
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        uint8_t cmd[VNET_CTRL_MAX];
        uint8_t ack = VIRTIO_NET_ERR;

        if (e->out_len < 2 || e->in_len < 1) {
            virtio_error(vdev, "virtio-net ctrl missing headers");
            virtqueue_elem_free(e);
            return;
        }
        if (e->out_len <= sizeof(cmd)) {
            if (!virtqueue_elem_read(vq, e, 0, cmd, e->out_len)) {
                virtqueue_elem_free(e);
                return;
            }
            ack = vnet_ctrl_command(s, cmd[0], cmd[1], cmd + 2, e->out_len - 2);
        }
        if (!virtqueue_elem_write(vq, e, 0, &ack, 1)) {
            virtqueue_elem_free(e);
            return;
        }
        virtqueue_push(vq, e, 1);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* ---- Configuration, features, status ---------------------------------------------------- */

static void vnet_get_config(VirtIODevice *vdev)
{
    VirtIONetPCI *s = vnet_of(vdev);
    uint8_t *c = vdev->config;

    memcpy(c + VIRTIO_NET_CFG_MAC, s->mac.a, ETH_ALEN);
    if (vdev->config_len >= VIRTIO_NET_CFG_STATUS + 2) {
        virtio_stw_p(vdev, c + VIRTIO_NET_CFG_STATUS, s->link_status);
    }
    if (vdev->config_len >= VIRTIO_NET_CFG_MAX_PAIRS + 2) {
        virtio_stw_p(vdev, c + VIRTIO_NET_CFG_MAX_PAIRS, 1);
    }
    if (vdev->config_len >= VIRTIO_NET_CFG_MTU + 2) {
        virtio_stw_p(vdev, c + VIRTIO_NET_CFG_MTU, s->host_mtu);
    }
    if (vdev->config_len > VIRTIO_NET_CFG_DUPLEX) {
        virtio_stl_p(vdev, c + VIRTIO_NET_CFG_SPEED, (uint32_t)s->speed);
        c[VIRTIO_NET_CFG_DUPLEX] = !s->duplex_str                   ? 0xff
                                   : !strcmp(s->duplex_str, "full") ? 0x01
                                                                    : 0x00;
    }
}

/* A legacy driver without CTRL_MAC_ADDR sets the address by writing the configuration. */
static void vnet_set_config(VirtIODevice *vdev, uint32_t offset, unsigned len)
{
    VirtIONetPCI *s = vnet_of(vdev);

    if (offset < ETH_ALEN && !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        memcpy(s->mac.a, vdev->config + VIRTIO_NET_CFG_MAC, ETH_ALEN);
    }
}

static void vnet_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONetPCI *s = vnet_of(vdev);

    s->mergeable = virtio_has_feature(features, VIRTIO_NET_F_MRG_RXBUF);
    s->hdr_len = s->mergeable || virtio_has_feature(features, VIRTIO_F_VERSION_1) ? VNET_HDR_MRG_LEN
                                                                                  : VNET_HDR_LEN;
    /* Without VLAN filtering every VLAN passes; with it, none until the driver adds them. */
    memset(s->vlans, virtio_has_feature(features, VIRTIO_NET_F_CTRL_VLAN) ? 0 : 0xff,
           sizeof(s->vlans));
}

static void vnet_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONetPCI *s = vnet_of(vdev);

    if (vnet_driver_ok(s)) {
        qemu_flush_queued_packets(s->nc);
    }
}

/*
 * Device reset (QEMU's virtio_net_reset): promiscuous, filters empty, the
 * configured address; the features are none again, so every VLAN passes.
 */
static void vnet_reset(VirtIODevice *vdev)
{
    VirtIONetPCI *s = vnet_of(vdev);

    s->promisc = true;
    s->allmulti = s->alluni = s->nomulti = s->nouni = s->nobcast = false;
    s->mac_in_use = s->mac_first_multi = 0;
    s->uni_overflow = s->multi_overflow = false;
    memset(s->macs, 0, sizeof(s->macs));
    memset(s->vlans, 0xff, sizeof(s->vlans));
    s->mac = s->perm_mac;
    s->link_status &= ~VIRTIO_NET_S_ANNOUNCE;
    s->mergeable = false;
    s->hdr_len = VNET_HDR_LEN;
}

/*
 * The driver reset one queue (RING_RESET, e.g. to resize it): frames this
 * device sent that its backend has not taken yet go (QEMU's purge); frames
 * held for the receive queue wait for it to come back.
 */
static void vnet_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtIONetPCI *s = vnet_of(vdev);

    if (&vdev->vq[n] == s->tx && s->nc->peer) {
        qemu_purge_queued_packets(s->nc->peer);
    }
}

/* ---- Link and filter seen from the monitor ----------------------------------------------- */

/*
 * set_link: the LINK_UP bit of the configuration's status follows the
 * client's link, and a change raises a configuration interrupt (Linux turns
 * the carrier off and on).  Frames held while the link was down come now.
 */
static void vnet_link_status_changed(NetClientState *nc)
{
    VirtIONetPCI *s = nc->opaque;
    uint16_t old = s->link_status;

    if (nc->link_down) {
        s->link_status &= ~VIRTIO_NET_S_LINK_UP;
    } else {
        s->link_status |= VIRTIO_NET_S_LINK_UP;
    }
    if (s->link_status != old) {
        virtio_notify_config(&s->proxy.vdev);
    }
    if (!nc->link_down && vnet_driver_ok(s)) {
        qemu_flush_queued_packets(nc);
    }
}

static const char *vnet_rx_state(bool none, bool all)
{
    return none ? "none" : all ? "all" : "normal";
}

static JsonArray *vnet_mac_list(VirtIONetPCI *s, unsigned from, unsigned to)
{
    JsonArray *a = json_array_new();

    /* QEMU lists each table last entry first. */
    for (unsigned i = to; i-- > from;) {
        g_autofree char *str = NULL;
        MACAddr m;

        memcpy(m.a, &s->macs[i * ETH_ALEN], ETH_ALEN);
        str = qemu_mac_strdup(&m);
        json_array_add_string_element(a, str);
    }
    return a;
}

/*
 * query-rx-filter's view (QEMU 7.2's, field for field: "broadcast-allowed"
 * carries the NOBCAST flag there, and so here; tables and VLAN ids are listed
 * last first; "vlan" is "all" with every id in the table, as without
 * CTRL_VLAN, "none" with none, else "normal").
 */
static JsonObject *vnet_query_rx_filter(NetClientState *nc)
{
    VirtIONetPCI *s = nc->opaque;
    JsonObject *o = json_object_new();
    JsonArray *vlans = json_array_new();
    g_autofree char *main_mac = qemu_mac_strdup(&s->mac);
    unsigned n_vlans;

    for (unsigned vid = VIRTIO_NET_MAX_VLAN; vid-- > 0;) {
        if (s->vlans[vid >> 5] & (1u << (vid & 31))) {
            json_array_add_int_element(vlans, vid);
        }
    }
    n_vlans = json_array_get_length(vlans);
    /* Members in the order QEMU 7.2's reply has them (its dictionary's hash order). */
    json_object_set_boolean_member(o, "promiscuous", s->promisc);
    json_object_set_string_member(o, "name", nc->name);
    json_object_set_string_member(o, "main-mac", main_mac);
    json_object_set_string_member(o, "unicast", vnet_rx_state(s->nouni, s->alluni));
    json_object_set_string_member(o, "vlan",
                                  vnet_rx_state(n_vlans == 0, n_vlans == VIRTIO_NET_MAX_VLAN));
    json_object_set_array_member(o, "vlan-table", vlans);
    json_object_set_array_member(o, "unicast-table", vnet_mac_list(s, 0, s->mac_first_multi));
    json_object_set_string_member(o, "multicast", vnet_rx_state(s->nomulti, s->allmulti));
    json_object_set_boolean_member(o, "multicast-overflow", s->multi_overflow);
    json_object_set_boolean_member(o, "unicast-overflow", s->uni_overflow);
    json_object_set_array_member(o, "multicast-table",
                                 vnet_mac_list(s, s->mac_first_multi, s->mac_in_use));
    json_object_set_boolean_member(o, "broadcast-allowed", s->nobcast);
    return o;
}

/* ---- The device ------------------------------------------------------------------------------ */

static const NetClientInfo vnet_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .receive = vnet_receive,
    .can_receive = vnet_can_receive,
    .link_status_changed = vnet_link_status_changed,
    .query_rx_filter = vnet_query_rx_filter,
};

static bool is_power_of_2(unsigned v)
{
    return v && !(v & (v - 1));
}

/* mac= and netdev=, with QEMU's messages (they name the inner virtio-net-device). */
static bool vnet_backend(VirtIONetPCI *s, NetClientState **peer, Error **errp)
{
    *peer = NULL;
    if (s->mac_str) {
        if (!net_parse_macaddr(&s->perm_mac, s->mac_str)) {
            error_setg(errp, "Property 'virtio-net-device.mac' doesn't take value '%s'",
                       s->mac_str);
            return false;
        }
    }
    if (s->netdev_id) {
        *peer = qemu_find_netdev(s->netdev_id);
        if (!*peer) {
            error_setg(errp, "Property 'virtio-net-device.netdev' can't find value '%s'",
                       s->netdev_id);
            return false;
        }
        if ((*peer)->peer) {
            error_setg(errp,
                       "Property 'virtio-net-device.netdev' can't take value '%s', it's in use",
                       s->netdev_id);
            return false;
        }
    }
    return true;
}

/* The features QEMU 7.2 offers over a netdev without a virtio-net header (user, tap here). */
static uint64_t vnet_host_features(VirtIONetPCI *s)
{
    static const struct {
        size_t offset;
        unsigned bit;
    } bits[] = {
        { offsetof(VirtIONetPCI, mrg_rxbuf), VIRTIO_NET_F_MRG_RXBUF },
        { offsetof(VirtIONetPCI, status), VIRTIO_NET_F_STATUS },
        { offsetof(VirtIONetPCI, ctrl_vq), VIRTIO_NET_F_CTRL_VQ },
        { offsetof(VirtIONetPCI, ctrl_rx), VIRTIO_NET_F_CTRL_RX },
        { offsetof(VirtIONetPCI, ctrl_vlan), VIRTIO_NET_F_CTRL_VLAN },
        { offsetof(VirtIONetPCI, ctrl_rx_extra), VIRTIO_NET_F_CTRL_RX_EXTRA },
        { offsetof(VirtIONetPCI, ctrl_mac_addr), VIRTIO_NET_F_CTRL_MAC_ADDR },
        { offsetof(VirtIONetPCI, ctrl_guest_offloads), VIRTIO_NET_F_CTRL_GUEST_OFFLOADS },
        { offsetof(VirtIONetPCI, guest_announce), VIRTIO_NET_F_GUEST_ANNOUNCE },
        { offsetof(VirtIONetPCI, mq), VIRTIO_NET_F_MQ },
    };
    uint64_t f = 1ull << VIRTIO_NET_F_MAC;

    for (size_t i = 0; i < G_N_ELEMENTS(bits); i++) {
        if (*(bool *)((char *)s + bits[i].offset)) {
            f |= 1ull << bits[i].bit;
        }
    }
    /*
     * The checksum and segmentation offloads (csum, gso, guest_*, host_*) need a
     * netdev that carries the header; QEMU drops them for the others, as here.
     * The control-queue features go with the queue.
     */
    if (!s->ctrl_vq) {
        f &= ~(1ull << VIRTIO_NET_F_CTRL_RX | 1ull << VIRTIO_NET_F_CTRL_VLAN |
               1ull << VIRTIO_NET_F_CTRL_RX_EXTRA | 1ull << VIRTIO_NET_F_CTRL_MAC_ADDR |
               1ull << VIRTIO_NET_F_GUEST_ANNOUNCE | 1ull << VIRTIO_NET_F_MQ |
               1ull << VIRTIO_NET_F_CTRL_GUEST_OFFLOADS);
    }
    if (s->host_mtu) {
        f |= 1ull << VIRTIO_NET_F_MTU;
    }
    if (s->speed >= 0) {
        f |= 1ull << VIRTIO_NET_F_SPEED_DUPLEX;
    }
    return f;
}

/* The configuration ends after the last field an offered feature brings (QEMU's sizes). */
static uint32_t vnet_config_size(uint64_t f)
{
    if (virtio_has_feature(f, VIRTIO_NET_F_SPEED_DUPLEX)) {
        return VIRTIO_NET_CFG_DUPLEX + 1;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_MTU)) {
        return VIRTIO_NET_CFG_MTU + 2;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_MQ)) {
        return VIRTIO_NET_CFG_MAX_PAIRS + 2;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_STATUS)) {
        return VIRTIO_NET_CFG_STATUS + 2;
    }
    return ETH_ALEN;
}

static bool vnet_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIONetPCI *s = (VirtIONetPCI *)p;
    VirtIODevice *vdev = &p->vdev;
    DeviceState *dev = &p->pci.qdev;
    NetClientState *peer;
    g_autofree char *name = NULL;
    uint64_t features;

    if (s->rx_queue_size < VNET_QUEUE_MIN || s->rx_queue_size > VIRTQUEUE_MAX_SIZE ||
        !is_power_of_2(s->rx_queue_size)) {
        error_setg(errp, "Invalid rx_queue_size (= %u), must be a power of 2 between %d and %d.",
                   s->rx_queue_size, VNET_QUEUE_MIN, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (s->tx_queue_size < VNET_QUEUE_MIN || s->tx_queue_size > VIRTQUEUE_MAX_SIZE ||
        !is_power_of_2(s->tx_queue_size)) {
        error_setg(errp, "Invalid tx_queue_size (= %u), must be a power of 2 between %d and %d",
                   s->tx_queue_size, VNET_QUEUE_MIN, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (s->duplex_str && strcmp(s->duplex_str, "half") && strcmp(s->duplex_str, "full")) {
        error_setg(errp, "'duplex' must be 'half' or 'full'");
        return false;
    }
    if (s->speed < -1) {
        error_setg(errp, "'speed' must be between 0 and INT_MAX");
        return false;
    }
    if (!vnet_backend(s, &peer, errp)) {
        return false;
    }
    if (s->mac_str) {
        qemu_macaddr_claim(&s->perm_mac);
    } else {
        /* The property then shows the address given (info network, qom-get), as QEMU's. */
        qemu_macaddr_default(&s->perm_mac);
        s->mac_str = qemu_mac_strdup(&s->perm_mac);
    }
    features = vnet_host_features(s);
    virtio_init(vdev, "virtio-net", VIRTIO_ID_NET, vnet_config_size(features));
    vdev->host_features |= features;
    vdev->get_config = vnet_get_config;
    vdev->set_config = vnet_set_config;
    vdev->set_features = vnet_set_features;
    vdev->set_status = vnet_set_status;
    vdev->reset = vnet_reset;
    vdev->queue_reset = vnet_queue_reset;
    s->rx = virtio_add_queue(vdev, s->rx_queue_size, vnet_handle_rx);
    /* Without vhost-user the transmit queue stays at 256 entries (QEMU 7.2). */
    s->tx = virtio_add_queue(vdev, VNET_QUEUE_MIN, vnet_handle_tx);
    /* TX copies one frame at most: a chain of any length is only walked. */
    virtio_queue_set_max_bytes(s->tx, UINT64_MAX);
    if (s->ctrl_vq) {
        s->ctrl = virtio_add_queue(vdev, VNET_CTRL_QUEUE_SIZE, vnet_handle_ctrl);
    }
    /* QEMU's default: a vector per queue of the pair, the control queue and the configuration. */
    if (p->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        p->nvectors = 4;
    }
    s->link_status = VIRTIO_NET_S_LINK_UP;
    vnet_reset(vdev);
    name = dev->id ? g_strdup(dev->id) : qemu_net_default_name(TYPE_VIRTIO_NET_PCI);
    s->nc = qemu_new_net_client(&vnet_net_info, peer, TYPE_VIRTIO_NET_PCI, name, s);
    s->nc->macaddr = &s->perm_mac;
    return true;
}

static void vnet_vdev_unrealize(VirtIOPCIProxy *p)
{
    VirtIONetPCI *s = (VirtIONetPCI *)p;

    qemu_del_net_client(s->nc);
    s->nc = NULL;
}

static const Property virtio_net_props[] = {
    DEFINE_PROP_INT32("bootindex", VirtIONetPCI, bootindex, -1),
    DEFINE_PROP_BOOL("csum", VirtIONetPCI, csum, true),
    DEFINE_PROP_BOOL("ctrl_guest_offloads", VirtIONetPCI, ctrl_guest_offloads, true),
    DEFINE_PROP_BOOL("ctrl_mac_addr", VirtIONetPCI, ctrl_mac_addr, true),
    DEFINE_PROP_BOOL("ctrl_rx", VirtIONetPCI, ctrl_rx, true),
    DEFINE_PROP_BOOL("ctrl_rx_extra", VirtIONetPCI, ctrl_rx_extra, true),
    DEFINE_PROP_BOOL("ctrl_vlan", VirtIONetPCI, ctrl_vlan, true),
    DEFINE_PROP_BOOL("ctrl_vq", VirtIONetPCI, ctrl_vq, true),
    DEFINE_PROP_STRING("duplex", VirtIONetPCI, duplex_str),
    DEFINE_PROP_BOOL("gso", VirtIONetPCI, gso, true),
    DEFINE_PROP_BOOL("guest_announce", VirtIONetPCI, guest_announce, true),
    DEFINE_PROP_BOOL("guest_csum", VirtIONetPCI, guest_csum, true),
    DEFINE_PROP_BOOL("guest_ecn", VirtIONetPCI, guest_ecn, true),
    DEFINE_PROP_BOOL("guest_tso4", VirtIONetPCI, guest_tso4, true),
    DEFINE_PROP_BOOL("guest_tso6", VirtIONetPCI, guest_tso6, true),
    DEFINE_PROP_BOOL("guest_ufo", VirtIONetPCI, guest_ufo, true),
    DEFINE_PROP_BOOL("host_ecn", VirtIONetPCI, host_ecn, true),
    DEFINE_PROP_UINT16("host_mtu", VirtIONetPCI, host_mtu, 0),
    DEFINE_PROP_BOOL("host_tso4", VirtIONetPCI, host_tso4, true),
    DEFINE_PROP_BOOL("host_tso6", VirtIONetPCI, host_tso6, true),
    DEFINE_PROP_BOOL("host_ufo", VirtIONetPCI, host_ufo, true),
    { .name = "mac",
      .type = PROP_TYPE_STR,
      .offset = offsetof(VirtIONetPCI, mac_str),
      .desc = "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56" },
    DEFINE_PROP_BOOL("mq", VirtIONetPCI, mq, false),
    DEFINE_PROP_BOOL("mrg_rxbuf", VirtIONetPCI, mrg_rxbuf, true),
    { .name = "netdev",
      .type = PROP_TYPE_STR,
      .offset = offsetof(VirtIONetPCI, netdev_id),
      .desc = "ID of a netdev to use as a backend" },
    DEFINE_PROP_UINT16("rx_queue_size", VirtIONetPCI, rx_queue_size, 256),
    DEFINE_PROP_INT32("speed", VirtIONetPCI, speed, -1),
    DEFINE_PROP_BOOL("status", VirtIONetPCI, status, true),
    DEFINE_PROP_UINT16("tx_queue_size", VirtIONetPCI, tx_queue_size, 256),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- Migration ---------------------------------------------------------------------------- */

static bool vnet_post_load(DeviceState *dev, Error **errp)
{
    VirtIONetPCI *s = (VirtIONetPCI *)dev;
    uint32_t vlans[G_N_ELEMENTS(s->vlans)];

    if (s->mac_in_use > VIRTIO_NET_MAC_TABLE_ENTRIES || s->mac_first_multi > s->mac_in_use) {
        error_setg(errp, "virtio-net: MAC table of %u entries, %u unicast", s->mac_in_use,
                   s->mac_first_multi);
        return false;
    }
    if (!virtio_pci_check_loaded(&s->proxy, errp)) {
        return false;
    }
    /* The features set the header length again, and reset the VLAN filter: keep the stream's. */
    memcpy(vlans, s->vlans, sizeof(vlans));
    virtio_pci_post_load(&s->proxy);
    memcpy(s->vlans, vlans, sizeof(vlans));
    /* The link is this side's netdev's. */
    if (s->nc->link_down) {
        s->link_status &= ~VIRTIO_NET_S_LINK_UP;
    } else {
        s->link_status |= VIRTIO_NET_S_LINK_UP;
    }
    return true;
}

static const VMStateField vmstate_virtio_net_fields[] = {
    VMSTATE_STRUCT(proxy, VirtIONetPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_BUFFER(mac, VirtIONetPCI),
    VMSTATE_UINT16(link_status, VirtIONetPCI),
    VMSTATE_BOOL(promisc, VirtIONetPCI),
    VMSTATE_BOOL(allmulti, VirtIONetPCI),
    VMSTATE_BOOL(alluni, VirtIONetPCI),
    VMSTATE_BOOL(nomulti, VirtIONetPCI),
    VMSTATE_BOOL(nouni, VirtIONetPCI),
    VMSTATE_BOOL(nobcast, VirtIONetPCI),
    VMSTATE_UINT32(mac_in_use, VirtIONetPCI),
    VMSTATE_UINT32(mac_first_multi, VirtIONetPCI),
    VMSTATE_BOOL(uni_overflow, VirtIONetPCI),
    VMSTATE_BOOL(multi_overflow, VirtIONetPCI),
    VMSTATE_BUFFER(macs, VirtIONetPCI),
    VMSTATE_UINT32_ARRAY(vlans, VirtIONetPCI, VIRTIO_NET_MAX_VLAN / 32),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_net = {
    .name = "virtio-net",
    .version_id = 1,
    .fields = vmstate_virtio_net_fields,
    .post_load = vnet_post_load,
};

static const VirtIOPCIClass virtio_net_pci_class = {
    .parent = {
        .parent = {
            .name = TYPE_VIRTIO_NET_PCI,
            .alias = "virtio-net",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_NETWORK,
            .instance_size = sizeof(VirtIONetPCI),
            .props = virtio_net_props,
            .vmsd = &vmstate_virtio_net,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_NET,
        .class_id = PCI_CLASS_NETWORK_ETHERNET,
    },
    .virtio_id = VIRTIO_ID_NET,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_NET,
    .vdev_realize = vnet_vdev_realize,
    .vdev_unrealize = vnet_vdev_unrealize,
};

/* ---- -nic and -net nic with a PCI model ------------------------------------------------------ */

static const char *const pci_nic_models[] = { TYPE_VIRTIO_NET_PCI, NULL };

bool virtio_net_create_nics(PCIBus *bus, Error **errp)
{
    for (unsigned i = 0; i < net_nic_count(); i++) {
        NICInfo *nd = net_nic_get(i);
        g_autofree char *mac = NULL;
        DeviceState *dev;

        if (nd->used) {
            continue;
        }
        if (!net_nic_check_model(nd, pci_nic_models, TYPE_VIRTIO_NET_PCI, errp)) {
            return false;
        }
        mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", nd->mac.a[0], nd->mac.a[1],
                              nd->mac.a[2], nd->mac.a[3], nd->mac.a[4], nd->mac.a[5]);
        dev = qdev_new(nd->model);
        qdev_prop_set_string(dev, "mac", mac);
        if (nd->netdev) {
            qdev_prop_set_string(dev, "netdev", nd->netdev->name);
        }
        if (!qdev_realize_and_unref(dev, &bus->qbus, errp)) {
            return false;
        }
        nd->used = true;
    }
    return true;
}

static void virtio_net_register(void)
{
    qdev_register_type(&virtio_net_pci_class.parent.parent);
}

module_init(virtio_net_register)

/*
 * virtio-serial-pci (virtio 1.0, 5.3, the console device) with its bus of
 * ports: virtconsole and virtserialport, each on a chardev, announced to the
 * guest through the multiport control queues.
 */
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-state.h"
#include "chardev/char.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"

/* Feature bits (5.3.3). */
#define VIRTIO_CONSOLE_F_SIZE 0
#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr. */
#define CFG_COLS 0
#define CFG_ROWS 2
#define CFG_MAX_NR_PORTS 4
#define CFG_EMERG_WR 8
#define CFG_SIZE 12

/* Control messages (5.3.6.2): id (le32), event (le16), value (le16), then any payload. */
#define CTRL_HDR 8
#define VIRTIO_CONSOLE_DEVICE_READY 0
#define VIRTIO_CONSOLE_DEVICE_ADD 1
#define VIRTIO_CONSOLE_DEVICE_REMOVE 2
#define VIRTIO_CONSOLE_PORT_READY 3
#define VIRTIO_CONSOLE_CONSOLE_PORT 4
#define VIRTIO_CONSOLE_RESIZE 5
#define VIRTIO_CONSOLE_PORT_OPEN 6
#define VIRTIO_CONSOLE_PORT_NAME 7

/* QEMU 7.2's queue sizes. */
#define PORT_QUEUE_SIZE 128
#define CTRL_QUEUE_SIZE 32
/* A pair of queues per port plus the control pair: 511 ports fill the core's 1024 queues. */
#define QEMU_MAX_PORTS 511
#define MAX_PORTS QEMU_MAX_PORTS
G_STATIC_ASSERT(2 * (MAX_PORTS + 1) <= VIRTIO_QUEUE_MAX);
#define PORT_BAD_ID UINT32_MAX

/* Queues: port 0's receive and transmit, the control pair, then two per further port. */
#define CTRL_RX_QUEUE 2
#define CTRL_TX_QUEUE 3

/* Control messages waiting for a guest buffer; beyond this the oldest are dropped. */
#define CTRL_PENDING_MAX 256
/* Host bytes held for one port until the guest gives receive buffers. */
#define PORT_CHUNK 4096

#define TYPE_VIRTIO_SERIAL_BUS "virtio-serial-bus"

typedef struct VirtIOSerialPCI VirtIOSerialPCI;

typedef struct VirtIOSerialPort {
    DeviceState qdev;
    /* properties */
    Chardev *chr;
    uint32_t id; /* "nr" */
    char *name;
    /* state */
    VirtIOSerialPCI *vser;
    bool is_console;
    bool host_connected;  /* the chardev's peer is there */
    bool guest_connected; /* the guest opened the port */
    /* Host bytes not yet in a guest buffer (at most one chunk from the chardev). */
    uint8_t pending[PORT_CHUNK];
    uint32_t pending_len;
    /*
     * Guest output the chardev's peer could not take yet (a full socket):
     * the chain is held at tx_off and the port's transmit queue is not read
     * until the watch says the peer takes more (QEMU's port throttling).
     */
    VirtQueueElement *tx_elem;
    uint64_t tx_off;
    guint tx_watch;
    /*
     * Migration.  The held chain is not in the stream: the virtio core
     * gives it back to the ring (the source took it and did not return it),
     * so the destination takes it again and sends from tx_off on
     * (tx_resume).  host_connected is this side's chardev's: the source's
     * value (mig_host_connected) only tells whether the guest must hear of
     * a change.
     */
    bool mig_tx_held;
    bool mig_host_connected;
    bool tx_resume;
    bool loaded; /* vser_resume has this port's load to finish */
} VirtIOSerialPort;

typedef struct VirtIOSerialBus {
    BusState qbus;
    VirtIOSerialPCI *vser;
} VirtIOSerialBus;

struct VirtIOSerialPCI {
    VirtIOPCIProxy proxy;
    /* properties */
    uint32_t max_ports;
    bool emergency_write;
    uint32_t class_code;
    /* state */
    VirtIOSerialBus *bus;
    VirtIOSerialPort *ports[MAX_PORTS];
    /*
     * Messages for the control receive queue, a ring of id << 32 | event <<
     * 16 | value (a PORT_NAME's payload is the port's name, read when sent).
     */
    uint64_t ctrl_msgs[CTRL_PENDING_MAX];
    uint32_t ctrl_head, ctrl_count;
    QEMUTimer *resume_timer; /* after a load, once the VM runs: vser_resume */
};

static const DeviceClass virtio_serial_port_class;
static const DeviceClass virtconsole_class;

static unsigned port_rx_queue(uint32_t id)
{
    return id == 0 ? 0 : 2 * id + 2;
}

static unsigned port_tx_queue(uint32_t id)
{
    return port_rx_queue(id) + 1;
}

static bool use_multiport(VirtIOSerialPCI *s)
{
    return virtio_vdev_has_feature(&s->proxy.vdev, VIRTIO_CONSOLE_F_MULTIPORT);
}

static VirtIOSerialPort *find_port(VirtIOSerialPCI *s, uint32_t id)
{
    return id < MAX_PORTS ? s->ports[id] : NULL;
}

/* ---- The control queues ----------------------------------------------------------------------- */

/* Put waiting control messages into the guest's control receive buffers. */
static void ctrl_flush(VirtIOSerialPCI *s)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    VirtQueue *vq = &vdev->vq[CTRL_RX_QUEUE];
    bool pushed = false;

    while (s->ctrl_count && virtio_queue_ready(vq)) {
        uint64_t m = s->ctrl_msgs[s->ctrl_head];
        uint32_t id = m >> 32;
        uint16_t event = m >> 16;
        VirtIOSerialPort *port = find_port(s, id);
        const char *name = event == VIRTIO_CONSOLE_PORT_NAME && port ? port->name : NULL;
        g_autofree uint8_t *msg = NULL;
        size_t msg_len = CTRL_HDR + (name ? strlen(name) + 1 : 0);
        VirtQueueElement *e;
        uint32_t len;

        if (event == VIRTIO_CONSOLE_PORT_NAME && !name) {
            /* The port went (unplugged) before its name could be sent. */
            s->ctrl_head = (s->ctrl_head + 1) % CTRL_PENDING_MAX;
            s->ctrl_count--;
            continue;
        }
        e = virtqueue_pop(vq, sizeof(*e));
        if (!e) {
            break;
        }
        msg = g_malloc(msg_len);
        virtio_stl_p(vdev, msg, id);
        virtio_stw_p(vdev, msg + 4, event);
        virtio_stw_p(vdev, msg + 6, (uint16_t)m);
        if (name) {
            /* The port name goes with its terminating NUL, as QEMU sends it. */
            memcpy(msg + CTRL_HDR, name, strlen(name) + 1);
        }
        len = MIN(msg_len, e->in_len);
        if (!virtqueue_elem_write(vq, e, 0, msg, len)) {
            virtqueue_elem_free(e);
            return;
        }
        virtqueue_push(vq, e, len);
        virtqueue_elem_free(e);
        s->ctrl_head = (s->ctrl_head + 1) % CTRL_PENDING_MAX;
        s->ctrl_count--;
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void ctrl_send(VirtIOSerialPCI *s, uint32_t id, uint16_t event, uint16_t value)
{
    if (!use_multiport(s)) {
        return;
    }
    if (s->ctrl_count == CTRL_PENDING_MAX) {
        s->ctrl_head = (s->ctrl_head + 1) % CTRL_PENDING_MAX;
        s->ctrl_count--;
    }
    s->ctrl_msgs[(s->ctrl_head + s->ctrl_count) % CTRL_PENDING_MAX] =
        (uint64_t)id << 32 | (uint32_t)event << 16 | value;
    s->ctrl_count++;
    ctrl_flush(s);
}

static void port_set_guest_connected(VirtIOSerialPort *port, bool connected);

/* One message from the guest's control transmit queue. */
static void ctrl_handle(VirtIOSerialPCI *s, const uint8_t *buf, uint64_t len)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    VirtIOSerialPort *port;
    uint32_t id;
    uint16_t event, value;

    if (len < CTRL_HDR) {
        return;
    }
    id = virtio_ldl_p(vdev, buf);
    event = virtio_lduw_p(vdev, buf + 4);
    value = virtio_lduw_p(vdev, buf + 6);
    port = find_port(s, id);
    if (!port && event != VIRTIO_CONSOLE_DEVICE_READY) {
        error_report("virtio-serial-bus: Unexpected port id %u for device %s", id,
                     s->bus->qbus.name);
        return;
    }
    switch (event) {
    case VIRTIO_CONSOLE_DEVICE_READY:
        if (!value) {
            error_report("virtio-serial-bus: Guest failure in adding device %s", s->bus->qbus.name);
            break;
        }
        /* The guest's driver is up: tell it about every port. */
        for (uint32_t i = 0; i < MAX_PORTS; i++) {
            if (s->ports[i]) {
                ctrl_send(s, i, VIRTIO_CONSOLE_DEVICE_ADD, 1);
            }
        }
        break;
    case VIRTIO_CONSOLE_PORT_READY:
        if (!value) {
            error_report("virtio-serial-bus: Guest failure in adding port %u for device %s", id,
                         s->bus->qbus.name);
            break;
        }
        if (port->is_console) {
            ctrl_send(s, id, VIRTIO_CONSOLE_CONSOLE_PORT, 1);
        }
        if (port->name) {
            ctrl_send(s, id, VIRTIO_CONSOLE_PORT_NAME, 1);
        }
        if (port->host_connected) {
            ctrl_send(s, id, VIRTIO_CONSOLE_PORT_OPEN, 1);
        }
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        port_set_guest_connected(port, value);
        break;
    default:
        /* Other events are the device's to send; QEMU ignores them from the guest. */
        break;
    }
}

static void ctrl_rx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    (void)vq;
    ctrl_flush((VirtIOSerialPCI *)virtio_pci_proxy(vdev));
}

static void ctrl_tx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        /* A name or a resize is the longest message: anything beyond is ignored. */
        uint64_t len = MIN(e->out_len, (uint64_t)PORT_CHUNK);
        g_autofree uint8_t *buf = g_malloc(len ? len : 1);

        if (!virtqueue_elem_read(vq, e, 0, buf, len)) {
            virtqueue_elem_free(e);
            return;
        }
        ctrl_handle(s, buf, len);
        virtqueue_push(vq, e, 0);
        virtqueue_elem_free(e);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* ---- Port data ------------------------------------------------------------------------------- */

/* The guest takes data on the port: its driver is up and, with multiport, the port open. */
static bool port_guest_ready(VirtIOSerialPort *port)
{
    VirtIODevice *vdev = &port->vser->proxy.vdev;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) || vdev->broken) {
        return false;
    }
    return !use_multiport(port->vser) || port->guest_connected;
}

/* Move held host bytes into the guest's receive buffers; true when none are left. */
static bool port_flush_to_guest(VirtIOSerialPort *port)
{
    VirtIODevice *vdev = &port->vser->proxy.vdev;
    VirtQueue *vq = &vdev->vq[port_rx_queue(port->id)];
    bool pushed = false;

    while (port->pending_len && port_guest_ready(port) && virtio_queue_ready(vq)) {
        VirtQueueElement *e = virtqueue_pop(vq, sizeof(*e));
        uint32_t len;

        if (!e) {
            break;
        }
        if (!e->in_len) {
            virtio_error(vdev, "receive buffer without device-writable space");
            virtqueue_elem_free(e);
            return false;
        }
        len = MIN(port->pending_len, e->in_len);
        if (!virtqueue_elem_write(vq, e, 0, port->pending, len)) {
            virtqueue_elem_free(e);
            return false;
        }
        virtqueue_push(vq, e, len);
        virtqueue_elem_free(e);
        port->pending_len -= len;
        memmove(port->pending, port->pending + len, port->pending_len);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
    return port->pending_len == 0;
}

static int port_chr_can_read(void *opaque)
{
    VirtIOSerialPort *port = opaque;
    VirtQueue *vq = &port->vser->proxy.vdev.vq[port_rx_queue(port->id)];

    if (port->pending_len || !port_guest_ready(port) || virtqueue_empty(vq)) {
        return 0;
    }
    return PORT_CHUNK;
}

static void port_chr_read(void *opaque, const uint8_t *buf, int size)
{
    VirtIOSerialPort *port = opaque;

    /* can_read offered at most the free room: a chardev never gives more. */
    size = MIN((uint32_t)size, PORT_CHUNK - port->pending_len);
    memcpy(port->pending + port->pending_len, buf, size);
    port->pending_len += size;
    port_flush_to_guest(port);
}

/* The guest gave receive buffers: held bytes go first, then the chardev may send more. */
static void port_rx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);
    unsigned n = vq->index;
    VirtIOSerialPort *port = find_port(s, n == 0 ? 0 : n / 2 - 1);

    if (port && port_flush_to_guest(port) && port->chr) {
        qemu_chr_fe_accept_input(port->chr);
    }
}

/*
 * Guest data for the port's chardev: how many bytes are done with.  Without
 * a chardev they are dropped, as QEMU does; a console's peer that takes less
 * loses the rest (QEMU: Linux's hvc driver writes with locks held and must
 * not wait); a serial port's peer that takes less throttles the port.
 */
static uint64_t port_write_host(VirtIOSerialPort *port, const uint8_t *buf, uint64_t len)
{
    int n;

    if (!port || !port->chr || !len) {
        return len;
    }
    n = qemu_chr_fe_write(port->chr, buf, len);
    if (n < 0 || port->is_console) {
        return len; /* hung up (the bytes are lost), or a console */
    }
    return n;
}

static void port_tx_drop_held(VirtIOSerialPort *port)
{
    if (port->tx_watch) {
        g_source_remove(port->tx_watch);
        port->tx_watch = 0;
    }
    virtqueue_elem_free(port->tx_elem);
    port->tx_elem = NULL;
    port->tx_off = 0;
    port->tx_resume = false;
}

static void port_tx_unblocked(void *opaque);

/*
 * Send the port's transmit chains to its chardev, the held one first.  A
 * peer that stops taking bytes leaves the rest of the chain held and a watch
 * on the chardev; nothing more is read from the queue until it fires, so the
 * vCPU never waits for a slow peer.
 */
static void port_tx_flush(VirtIOSerialPCI *s, VirtIOSerialPort *port, VirtQueue *vq)
{
    VirtIODevice *vdev = &s->proxy.vdev;
    bool pushed = false;

    if (port && port->tx_watch) {
        return;
    }
    for (;;) {
        VirtQueueElement *e = port && port->tx_elem ? port->tx_elem : virtqueue_pop(vq, sizeof(*e));
        uint64_t off = port && port->tx_elem ? port->tx_off : 0;

        if (!e) {
            break;
        }
        if (port && !port->tx_elem && port->tx_resume) {
            /* The chain the source held, taken again: its first tx_off bytes went out there. */
            off = MIN(port->tx_off, e->out_len);
        }
        if (port) {
            port->tx_elem = NULL;
            port->tx_resume = false;
        }
        while (off < e->out_len) {
            uint8_t buf[PORT_CHUNK];
            uint64_t len = MIN(e->out_len - off, sizeof(buf)), done;

            if (!virtqueue_elem_read(vq, e, off, buf, len)) {
                virtqueue_elem_free(e);
                return;
            }
            done = port_write_host(port, buf, len);
            off += done;
            if (done < len) {
                port->tx_elem = e;
                port->tx_off = off;
                port->tx_watch = qemu_chr_fe_add_watch(port->chr, port_tx_unblocked, port);
                if (!port->tx_watch) {
                    /* Nothing to wait on: the bytes the backend refused are lost. */
                    port->tx_elem = NULL;
                    off = e->out_len;
                    continue;
                }
                goto out;
            }
        }
        virtqueue_push(vq, e, 0);
        virtqueue_elem_free(e);
        pushed = true;
    }
out:
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* The chardev's peer takes bytes again (or hung up): the port goes on. */
static void port_tx_unblocked(void *opaque)
{
    VirtIOSerialPort *port = opaque;
    VirtIOSerialPCI *s = port->vser;

    port->tx_watch = 0;
    if (s) {
        port_tx_flush(s, port, &s->proxy.vdev.vq[port_tx_queue(port->id)]);
    }
}

static void port_tx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);
    unsigned n = vq->index;

    port_tx_flush(s, find_port(s, n == 1 ? 0 : n / 2 - 1), vq);
}

static void port_set_guest_connected(VirtIOSerialPort *port, bool connected)
{
    port->guest_connected = connected;
    if (connected && port_flush_to_guest(port) && port->chr) {
        qemu_chr_fe_accept_input(port->chr);
    }
}

/* The chardev's peer came or went: the guest sees the port open or close. */
static void port_chr_event(void *opaque, QEMUChrEvent event)
{
    VirtIOSerialPort *port = opaque;
    bool open = event == CHR_EVENT_OPENED;

    if (port->host_connected == open) {
        return;
    }
    port->host_connected = open;
    ctrl_send(port->vser, port->id, VIRTIO_CONSOLE_PORT_OPEN, open);
}

/* ---- The device ------------------------------------------------------------------------------- */

static void vser_get_config(VirtIODevice *vdev)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);

    virtio_stw_p(vdev, vdev->config + CFG_COLS, 0);
    virtio_stw_p(vdev, vdev->config + CFG_ROWS, 0);
    virtio_stl_p(vdev, vdev->config + CFG_MAX_NR_PORTS, s->max_ports);
    if (vdev->config_len >= CFG_SIZE) {
        virtio_stl_p(vdev, vdev->config + CFG_EMERG_WR, 0);
    }
}

/* An emergency write: one character for port 0, before the queues work. */
static void vser_set_config(VirtIODevice *vdev, uint32_t offset, unsigned len)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);
    uint32_t c;
    uint8_t byte;

    if (vdev->config_len < CFG_SIZE || offset + len <= CFG_EMERG_WR ||
        !virtio_vdev_has_feature(vdev, VIRTIO_CONSOLE_F_EMERG_WRITE)) {
        return;
    }
    c = virtio_ldl_p(vdev, vdev->config + CFG_EMERG_WR);
    if (c) {
        byte = c;
        port_write_host(s->ports[0], &byte, 1);
        virtio_stl_p(vdev, vdev->config + CFG_EMERG_WR, 0);
    }
}

static void vser_reset(VirtIODevice *vdev)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);

    s->ctrl_head = s->ctrl_count = 0;
    for (unsigned i = 0; i < MAX_PORTS; i++) {
        if (s->ports[i]) {
            s->ports[i]->guest_connected = false;
            port_tx_drop_held(s->ports[i]);
        }
    }
}

/* A port's transmit queue reset alone: the chain held from it goes. */
static void vser_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)virtio_pci_proxy(vdev);
    VirtIOSerialPort *port = n == 1            ? find_port(s, 0)
                             : n >= 4 && n % 2 ? find_port(s, n / 2 - 1)
                                               : NULL;

    if (port) {
        port_tx_drop_held(port);
    }
}

static void vser_resume(void *opaque);

static const BusClass virtio_serial_bus_class = {
    .name = TYPE_VIRTIO_SERIAL_BUS,
    .instance_size = sizeof(VirtIOSerialBus),
};

static bool vser_vdev_realize(VirtIOPCIProxy *p, Error **errp)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)p;
    VirtIODevice *vdev = &p->vdev;
    DeviceState *dev = &p->pci.qdev;
    g_autofree char *name = NULL;

    if (!s->max_ports) {
        error_setg(errp, "Maximum number of serial ports not specified");
        return false;
    }
    if (s->max_ports > QEMU_MAX_PORTS) {
        error_setg(errp, "maximum ports supported: %u", QEMU_MAX_PORTS);
        return false;
    }
    /* QEMU keeps "other communication", QEMU 0.10's "other display" and "other"; else the first. */
    if (s->class_code != PCI_CLASS_COMMUNICATION_OTHER && s->class_code != 0x0380 &&
        s->class_code != PCI_CLASS_OTHERS) {
        s->class_code = PCI_CLASS_COMMUNICATION_OTHER;
    }
    pci_set_word(p->pci.config + PCI_CLASS_DEVICE, s->class_code);
    virtio_init(vdev, "virtio-serial", VIRTIO_ID_CONSOLE,
                s->emergency_write ? CFG_SIZE : CFG_EMERG_WR);
    vdev->host_features |= 1ull << VIRTIO_CONSOLE_F_MULTIPORT;
    if (s->emergency_write) {
        vdev->host_features |= 1ull << VIRTIO_CONSOLE_F_EMERG_WRITE;
    }
    vdev->get_config = vser_get_config;
    vdev->set_config = vser_set_config;
    vdev->reset = vser_reset;
    vdev->queue_reset = vser_queue_reset;
    virtio_add_queue(vdev, PORT_QUEUE_SIZE, port_rx_kick);
    virtio_add_queue(vdev, PORT_QUEUE_SIZE, port_tx_kick);
    virtio_add_queue(vdev, CTRL_QUEUE_SIZE, ctrl_rx_kick);
    virtio_add_queue(vdev, CTRL_QUEUE_SIZE, ctrl_tx_kick);
    for (uint32_t i = 1; i < s->max_ports; i++) {
        virtio_add_queue(vdev, PORT_QUEUE_SIZE, port_rx_kick);
        virtio_add_queue(vdev, PORT_QUEUE_SIZE, port_tx_kick);
    }
    vser_get_config(vdev);
    s->resume_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vser_resume, s);
    /* The bus is "<id>.0", or "virtio-serial-bus.0" for a device without an id, as QEMU names it. */
    name = dev->id ? g_strdup_printf("%s.0", dev->id) : g_strdup(TYPE_VIRTIO_SERIAL_BUS ".0");
    s->bus = (VirtIOSerialBus *)qbus_new(&virtio_serial_bus_class, dev, name);
    s->bus->vser = s;
    return true;
}

static void vser_vdev_unrealize(VirtIOPCIProxy *p)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)p;

    if (s->resume_timer) {
        timer_free(s->resume_timer);
        s->resume_timer = NULL;
    }
}

/* ---- Migration -------------------------------------------------------------------------------- */

/*
 * What the source left, done once the VM runs on this side (as QEMU does,
 * from a virtual-clock timer): the guest hears of a port whose host side
 * differs from the source's (this side's chardev is its own), a port the
 * source had throttled sends the rest of its held chain, and held host
 * bytes and control messages go to the guest if it gave buffers.
 */
static void vser_resume(void *opaque)
{
    VirtIOSerialPCI *s = opaque;

    for (unsigned i = 0; i < MAX_PORTS; i++) {
        VirtIOSerialPort *port = s->ports[i];

        if (!port || !port->loaded) {
            continue;
        }
        port->loaded = false;
        if (port->mig_host_connected != port->host_connected) {
            port->mig_host_connected = port->host_connected;
            ctrl_send(s, port->id, VIRTIO_CONSOLE_PORT_OPEN, port->host_connected);
        }
        if (port->tx_resume) {
            port_tx_flush(s, port, &s->proxy.vdev.vq[port_tx_queue(port->id)]);
        }
        if (port_flush_to_guest(port) && port->chr) {
            qemu_chr_fe_accept_input(port->chr);
        }
    }
    ctrl_flush(s);
}

static void vser_schedule_resume(VirtIOSerialPCI *s)
{
    timer_mod(s->resume_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

static bool vser_post_load(DeviceState *dev, Error **errp)
{
    VirtIOSerialPCI *s = (VirtIOSerialPCI *)dev;

    if (s->ctrl_head >= CTRL_PENDING_MAX || s->ctrl_count > CTRL_PENDING_MAX) {
        error_setg(errp, "virtio-serial: control queue of %u messages from %u (at most %u)",
                   s->ctrl_count, s->ctrl_head, CTRL_PENDING_MAX);
        return false;
    }
    if (!virtio_pci_check_loaded(&s->proxy, errp)) {
        return false;
    }
    /* Every chain a port held goes back to its ring here: the ports take them again. */
    virtio_pci_post_load(&s->proxy);
    vser_schedule_resume(s);
    return true;
}

/*
 * The transport and virtio core (queues included), then the control
 * messages the guest has not taken yet; the ports are sections of their own.
 */
static const VMStateField vmstate_virtio_serial_fields[] = {
    VMSTATE_UINT32_EQUAL(max_ports, VirtIOSerialPCI),
    VMSTATE_STRUCT(proxy, VirtIOSerialPCI, vmstate_virtio_pci, VirtIOPCIProxy),
    VMSTATE_UINT32(ctrl_head, VirtIOSerialPCI),
    VMSTATE_UINT32(ctrl_count, VirtIOSerialPCI),
    VMSTATE_UINT64_ARRAY(ctrl_msgs, VirtIOSerialPCI, CTRL_PENDING_MAX),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_serial = {
    .name = "virtio-console",
    .version_id = 1,
    .fields = vmstate_virtio_serial_fields,
    .post_load = vser_post_load,
};

static const Property virtio_serial_props[] = {
    DEFINE_PROP_UINT32("class", VirtIOSerialPCI, class_code, 0),
    DEFINE_PROP_UINT32("max_ports", VirtIOSerialPCI, max_ports, 31),
    DEFINE_PROP_BOOL("emergency-write", VirtIOSerialPCI, emergency_write, true),
    DEFINE_PROP_END_OF_LIST(),
};

static const VirtIOPCIClass virtio_serial_pci_class = {
    .parent = {
        .parent = {
            .name = "virtio-serial-pci",
            .alias = "virtio-serial",
            .parent = &virtio_pci_class.parent.parent,
            .category = DEVICE_CATEGORY_INPUT,
            .instance_size = sizeof(VirtIOSerialPCI),
            .props = virtio_serial_props,
            .vmsd = &vmstate_virtio_serial,
        },
        .vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET,
        .device_id = PCI_DEVICE_ID_VIRTIO_CONSOLE,
        .class_id = PCI_CLASS_COMMUNICATION_OTHER,
    },
    .virtio_id = VIRTIO_ID_CONSOLE,
    .legacy_device_id = PCI_DEVICE_ID_VIRTIO_CONSOLE,
    .vdev_realize = vser_vdev_realize,
    .vdev_unrealize = vser_vdev_unrealize,
};

/* ---- The ports --------------------------------------------------------------------------------- */

static bool port_name_in_use(BusState *bus, const char *name);

/* Any bus of any virtio-serial device: QEMU keeps port names unique machine-wide. */
static bool port_name_in_use_dev(DeviceState *dev, const char *name)
{
    for (guint i = 0; dev->child_buses && i < dev->child_buses->len; i++) {
        if (port_name_in_use(g_ptr_array_index(dev->child_buses, i), name)) {
            return true;
        }
    }
    return false;
}

static bool port_name_in_use(BusState *bus, const char *name)
{
    for (guint i = 0; i < bus->children->len; i++) {
        DeviceState *d = g_ptr_array_index(bus->children, i);

        if (qdev_class_is(d->cls, &virtio_serial_port_class)) {
            VirtIOSerialPort *other = (VirtIOSerialPort *)d;

            if (other->name && !strcmp(other->name, name)) {
                return true;
            }
        }
        if (port_name_in_use_dev(d, name)) {
            return true;
        }
    }
    return false;
}

/* QEMU's free-id search: the lowest free id above 0 in whole 32-bit words of max_ports. */
static uint32_t port_free_id(VirtIOSerialPCI *s)
{
    uint32_t limit = (s->max_ports + 31) / 32 * 32;

    for (uint32_t i = 1; i < limit; i++) {
        if (!find_port(s, i)) {
            return i;
        }
    }
    return PORT_BAD_ID;
}

static bool port_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *port = (VirtIOSerialPort *)dev;
    VirtIOSerialPCI *s = ((VirtIOSerialBus *)dev->parent_bus)->vser;
    bool plugging_port0;

    port->is_console = qdev_class_is(dev->cls, &virtconsole_class);
    plugging_port0 = port->is_console && !find_port(s, 0);
    if (port->id != PORT_BAD_ID && find_port(s, port->id)) {
        error_setg(errp, "virtio-serial-bus: A port already exists at id %u", port->id);
        return false;
    }
    if (port->name && port_name_in_use(qdev_root_bus(), port->name)) {
        error_setg(errp, "virtio-serial-bus: A port already exists by name %s", port->name);
        return false;
    }
    if (port->id == PORT_BAD_ID) {
        port->id = plugging_port0 ? 0 : port_free_id(s);
        if (port->id == PORT_BAD_ID) {
            error_setg(errp, "virtio-serial-bus: Maximum port limit for this device reached");
            return false;
        }
    }
    if (port->id >= s->max_ports) {
        error_setg(errp, "virtio-serial-bus: Out-of-range port id specified, max. allowed: %u",
                   s->max_ports - 1);
        return false;
    }
    if (port->id == 0 && !port->is_console) {
        error_setg(errp, "Port number 0 on virtio-serial devices reserved for virtconsole "
                         "devices for backward compatibility.");
        return false;
    }
    port->vser = s;
    port->pending_len = 0;
    s->ports[port->id] = port;
    if (port->chr) {
        /* A console is always open to the guest; a serial port follows its chardev's peer. */
        if (port->is_console) {
            port->host_connected = true;
        }
        if (!qemu_chr_fe_set_handlers(port->chr, port_chr_can_read, port_chr_read,
                                      port->is_console ? NULL : port_chr_event, port)) {
            error_setg(errp, "Property '%s.chardev' can't take value '%s': Device '%s' is in use",
                       dev->cls->name, qemu_chr_id(port->chr), qemu_chr_id(port->chr));
            s->ports[port->id] = NULL;
            return false;
        }
    }
    /* A port added while the driver runs (hotplug) is announced at once. */
    if (port->vser->proxy.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) {
        ctrl_send(s, port->id, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    }
    return true;
}

static void port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *port = (VirtIOSerialPort *)dev;
    VirtIOSerialPCI *s = port->vser;

    if (!s) {
        return;
    }
    if (port->chr) {
        qemu_chr_fe_set_handlers(port->chr, NULL, NULL, NULL, port);
    }
    if (s->proxy.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) {
        ctrl_send(s, port->id, VIRTIO_CONSOLE_DEVICE_REMOVE, 1);
    }
    s->ports[port->id] = NULL;
    port_tx_drop_held(port);
    port->pending_len = 0;
    port->vser = NULL;
}

static void port_pre_save(DeviceState *dev)
{
    VirtIOSerialPort *port = (VirtIOSerialPort *)dev;

    port->mig_tx_held = port->tx_elem != NULL;
    if (!port->tx_elem) {
        port->tx_off = 0;
    }
    port->mig_host_connected = port->host_connected;
}

static bool port_post_load(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *port = (VirtIOSerialPort *)dev;
    uint64_t sent = port->tx_off;

    if (!port->vser) {
        error_setg(errp, "virtio-serial-bus: port %u is not plugged", port->id);
        return false;
    }
    if (port->pending_len > PORT_CHUNK) {
        error_setg(errp, "virtio-serial-bus: port %u holds %u bytes (at most %u)", port->id,
                   port->pending_len, PORT_CHUNK);
        return false;
    }
    /* A chain held here before (a snapshot loaded) went back to the ring with the load. */
    port_tx_drop_held(port);
    port->tx_off = sent;
    port->tx_resume = port->mig_tx_held;
    port->loaded = true;
    vser_schedule_resume(port->vser);
    return true;
}

/*
 * Per port, as QEMU migrates it: its id, whether the guest opened it,
 * whether the source's chardev had a peer, and a chain held because the
 * peer took no more (the bytes of it already sent).  The host bytes read
 * from the chardev and not yet in a guest buffer go too.
 */
static const VMStateField vmstate_virtio_serial_port_fields[] = {
    VMSTATE_UINT32_EQUAL(id, VirtIOSerialPort),
    VMSTATE_BOOL(guest_connected, VirtIOSerialPort),
    VMSTATE_BOOL(mig_host_connected, VirtIOSerialPort),
    VMSTATE_BOOL(mig_tx_held, VirtIOSerialPort),
    VMSTATE_UINT64(tx_off, VirtIOSerialPort),
    VMSTATE_UINT32(pending_len, VirtIOSerialPort),
    VMSTATE_BUFFER(pending, VirtIOSerialPort),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_virtio_serial_port = {
    .name = "virtio-serial-port",
    .version_id = 1,
    .fields = vmstate_virtio_serial_port_fields,
    .pre_save = port_pre_save,
    .post_load = port_post_load,
};

static const Property virtio_serial_port_props[] = {
    DEFINE_PROP_UINT32("nr", VirtIOSerialPort, id, PORT_BAD_ID),
    DEFINE_PROP_STRING("name", VirtIOSerialPort, name),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtio_serial_port_class = {
    .name = "virtio-serial-port",
    .abstract = true,
    .bus_type = TYPE_VIRTIO_SERIAL_BUS,
    .instance_size = sizeof(VirtIOSerialPort),
    .props = virtio_serial_port_props,
    .vmsd = &vmstate_virtio_serial_port,
    .realize = port_realize,
    .unrealize = port_unrealize,
};

static const Property virtserialport_props[] = {
    DEFINE_PROP_CHR("chardev", VirtIOSerialPort, chr),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtserialport_class = {
    .name = "virtserialport",
    .parent = &virtio_serial_port_class,
    .category = DEVICE_CATEGORY_INPUT,
    .props = virtserialport_props,
};

static const DeviceClass virtconsole_class = {
    .name = "virtconsole",
    .parent = &virtserialport_class,
    .category = DEVICE_CATEGORY_INPUT,
};

static void virtio_serial_register(void)
{
    qdev_register_type(&virtio_serial_pci_class.parent.parent);
    qdev_register_type(&virtio_serial_port_class);
    qdev_register_type(&virtserialport_class);
    qdev_register_type(&virtconsole_class);
}

module_init(virtio_serial_register)

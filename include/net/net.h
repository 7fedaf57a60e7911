/*
 * The network layer: a frontend (a NIC) peered with a backend (user, tap),
 * packets sent to the peer or queued until it can take them, and the
 * -netdev, -nic and -net options that create them.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/option.h"
#include <json-glib/json-glib.h>

typedef struct MACAddr {
    uint8_t a[6];
} MACAddr;

typedef enum NetClientDriver {
    NET_CLIENT_DRIVER_NIC,
    NET_CLIENT_DRIVER_USER,
    NET_CLIENT_DRIVER_TAP,
    NET_CLIENT_DRIVER_HUBPORT,
    NET_CLIENT_DRIVER_SOCKET,
    NET_CLIENT_DRIVER_STREAM,
    NET_CLIENT_DRIVER_DGRAM,
} NetClientDriver;

typedef struct NetClientState NetClientState;

/* What a kind of client does with the packets its peer sends it. */
typedef struct NetClientInfo {
    NetClientDriver type;
    /*
     * Take one frame.  > 0: consumed (or dropped on purpose); 0: not now,
     * the layer keeps it and stops delivering until qemu_flush_queued_packets();
     * < 0: an error, the frame is dropped.
     */
    ssize_t (*receive)(NetClientState *nc, const uint8_t *buf, size_t len);
    /* May a frame be delivered now?  NULL: always. */
    bool (*can_receive)(NetClientState *nc);
    /* The peer has taken every frame queued for it: a paused sender resumes. */
    void (*sender_resume)(NetClientState *nc);
    /* The client is going away: release what it holds (not nc itself). */
    void (*cleanup)(NetClientState *nc);
    /* QMP set_link changed nc->link_down (a NIC tells its driver). */
    void (*link_status_changed)(NetClientState *nc);
    /* A NIC's receive filter as QMP query-rx-filter's RxFilterInfo; NULL: not supported. */
    JsonObject *(*query_rx_filter)(NetClientState *nc);
} NetClientInfo;

typedef struct NetPacket NetPacket;

struct NetClientState {
    const NetClientInfo *info;
    NetClientState *peer;
    char *model;           /* "user", "tap", or the NIC's type */
    char *name;            /* the netdev id, or the NIC's name */
    void *opaque;          /* the owner's state */
    bool receive_disabled; /* the last receive said "not now" */
    bool delivering;       /* inside a receive: new frames go to the queue */
    bool is_netdev;        /* created by -netdev/-nic/netdev_add (not a NIC, not a -net port) */
    /*
     * netdev_del took it while a NIC was its peer: it is closed and out of
     * the list, but the NIC still names it (info network) until the NIC goes.
     */
    bool removed;
    char *info_str;       /* what info network shows after "type=": "net=10.0.2.0,restrict=off" */
    GQueue incoming;      /* of NetPacket *: frames waiting for this client */
    unsigned queue_limit; /* frames kept before the oldest new ones are dropped */
    bool link_down;       /* set_link off: frames it sends or would receive are dropped */
    /* A NIC's configured address (announce-self's RARP source), or NULL. */
    const MACAddr *macaddr;
    /* A NIC sends NIC_RX_FILTER_CHANGED once, then again only after a query-rx-filter. */
    bool rxfilter_notify_enabled;
};

/* The most frames a client keeps queued (QEMU's limit). */
#define NET_QUEUE_MAX_PACKETS 10000

/*
 * A client of info's kind.  A backend passes peer = NULL (the NIC attaches
 * later); a NIC passes its backend.
 */
NetClientState *qemu_new_net_client(const NetClientInfo *info, NetClientState *peer,
                                    const char *model, const char *name, void *opaque);
/* Make a and b (both without a peer) each other's peer. */
void qemu_net_connect(NetClientState *a, NetClientState *b);
/*
 * Remove a client: its peer loses it, queued frames are dropped.  A backend
 * whose peer is a NIC is closed and unlisted, and the NIC's link goes down,
 * but it lives on as the NIC's peer until the NIC is deleted (QEMU's rule).
 */
void qemu_del_net_client(NetClientState *nc);

/*
 * Send a frame from nc to its peer.  Returns len when it was delivered or
 * queued (the peer takes it later), 0 when it was dropped (no peer, queue
 * full).  The caller's buffer is not kept.
 */
ssize_t qemu_send_packet(NetClientState *nc, const uint8_t *buf, size_t len);
/* Would a frame sent from nc be taken now (the peer is ready)? */
bool qemu_can_send_packet(NetClientState *nc);
/* nc can receive again: deliver its queued frames until it says "not now". */
void qemu_flush_queued_packets(NetClientState *nc);
/* Drop the frames queued for nc. */
void qemu_purge_queued_packets(NetClientState *nc);
/*
 * From now on frames wait in their receivers' queues while the VM is not
 * running and go when it runs (QEMU's rule; the program calls it at start-up).
 */
void net_hold_while_stopped(void);
/* Frames queued for nc (tests). */
unsigned qemu_net_queue_length(NetClientState *nc);

/* ---- Backends by id ----------------------------------------------------- */

/* The backend (any client but a NIC) with this name, or NULL. */
NetClientState *qemu_find_netdev(const char *id);
/* The first client (backend or NIC) named name, from index *pos on (start at 0). */
NetClientState *qemu_find_net_client_from(const char *name, unsigned *pos);
/* Every client, in creation order: fn(nc) for each. */
void qemu_foreach_net_client(void (*fn)(NetClientState *nc, void *opaque), void *opaque);

/* ---- MAC addresses -------------------------------------------------------- */

/* "52:54:00:12:34:56" (or with '-'): false when it is not six hex bytes. */
bool net_parse_macaddr(MACAddr *mac, const char *str);
/* The next default address: 52:54:00:12:34:56, then :57 and so on, as QEMU. */
void qemu_macaddr_default(MACAddr *mac);
/* An address given by the user is taken out of the default sequence. */
void qemu_macaddr_claim(const MACAddr *mac);
/* "52:54:00:12:34:56": the text of an address (free it). */
char *qemu_mac_strdup(const MACAddr *mac);
/*
 * The name QEMU gives a NIC without an id: its model and the number of
 * clients of that model made before it ("virtio-net-pci.1").
 */
char *qemu_net_default_name(const char *model);

/* ---- NICs asked for by -nic / -net nic ---------------------------------------- */

typedef struct NICInfo {
    char *model; /* NULL: the board's default */
    char *id;    /* the NIC device's id, or NULL */
    MACAddr mac;
    bool has_mac;
    NetClientState *netdev; /* its backend */
    bool used;
} NICInfo;

/* The NICs in command-line order. */
unsigned net_nic_count(void);
NICInfo *net_nic_get(unsigned i);
/*
 * The board creates NICs of the models it knows: the default when the -nic
 * gave none, "help" prints supported (a NULL-terminated list) and exits.
 * A model outside the list is "Unsupported NIC model: X".
 */
bool net_nic_check_model(NICInfo *nd, const char *const *supported, const char *def, Error **errp);

/* ---- The options ---------------------------------------------------------- */

/* Remember a -netdev, -nic or -net argument; syntax errors exit at once. */
void net_option_netdev(const char *arg);
void net_option_nic(const char *arg);
void net_option_net(const char *arg);
/* No -net, -nic or -netdev and no -nodefaults: QEMU's "-net nic -net user". */
void net_option_default(void);
/* Forget the -net, -nic and -netdev options read (none was acted on yet). */
void net_options_reset(void);
/* Create the backends, in command-line order; errors exit. */
void net_init_clients(void);
/* After the machine: warn about clients without a peer, as QEMU does. */
void net_check_clients(void);
/* Run the tap down scripts; close everything. */
void net_cleanup(void);

/* ---- Run time (QMP netdev_add / netdev_del, HMP) ------------------------- */

/*
 * HMP netdev_add's option list, checked as QEMU parses it: an id that is
 * no identifier, or that -netdev or an earlier HMP netdev_add took
 * ("Duplicate ID 'x' for netdev").
 */
bool net_netdev_hmp_id_check(QemuOpts *opts, Error **errp);
/*
 * HMP netdev_add: opts parsed from "TYPE,id=ID,key=value..." as -netdev
 * takes it (its messages: "Invalid parameter 'k'").
 */
bool net_netdev_add_hmp(QemuOpts *opts, Error **errp);
/* QMP netdev_add: opts hold the schema-checked arguments as -netdev keys. */
bool net_netdev_add_opts(QemuOpts *opts, Error **errp);
/* netdev_del: QEMU's "Device 'x' not found" (class DeviceNotFound: *not_found). */
bool net_netdev_del(const char *id, bool *not_found, Error **errp);
/* "Available netdev backend types:" and ours, one a line (netdev_add help). */
void net_print_netdev_help(GString *out);
/* The hubs, newest first (QEMU's order), and each hub's ports in creation order. */
unsigned net_hub_count(void);
int net_hub_id(unsigned i);
unsigned net_hub_port_count(int hub_id);
NetClientState *net_hub_port(int hub_id, unsigned i);

/*
 * After an incoming migration: every NIC sends rounds RARP announcements
 * (the first at once, then initial + n * step ms apart, at most max).
 */
void net_announce_after_migration(int64_t initial, int64_t max, int64_t rounds, int64_t step);

#endif

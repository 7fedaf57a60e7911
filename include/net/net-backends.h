/*
 * The backends' entry points, for the option code (net/netdev.c): each reads
 * its keys from opts and creates its client, or fails with QEMU's message.
 */
#ifndef NET_NET_BACKENDS_H
#define NET_NET_BACKENDS_H

#include "net/net.h"
#include "qemu/option.h"

/* Keys each backend takes (NULL-terminated), checked before any value is read. */
extern const char *const net_slirp_keys[];
extern const char *const net_tap_keys[];
extern const char *const net_socket_keys[];
extern const char *const net_hubport_keys[];
/* { "*", NULL }: stream and dgram check their own (nested) keys. */
extern const char *const net_stream_keys[];

/* -netdev user: libslirp.  NULL + errp. */
NetClientState *net_init_slirp(QemuOpts *opts, const char *name, Error **errp);
/* -netdev tap: a Linux tap device (ifname=, fd=), with its up/down scripts. */
NetClientState *net_init_tap(QemuOpts *opts, const char *name, Error **errp);
/* Run the down scripts of the taps that have one (at exit). */
void net_tap_cleanup_all(void);

/* -netdev socket: listen=, connect=, fd=, mcast=, udp= (QEMU 7.2's wire formats). */
NetClientState *net_init_socket(QemuOpts *opts, const char *name, Error **errp);
/* -netdev stream (addr.type=inet|unix|fd, server=) and dgram (local.*, remote.*). */
NetClientState *net_init_stream(QemuOpts *opts, const char *name, Error **errp);
NetClientState *net_init_dgram(QemuOpts *opts, const char *name, Error **errp);
/* -netdev hubport,hubid=N[,netdev=ID]: a port on hub N, joined to ID. */
NetClientState *net_init_hubport(QemuOpts *opts, const char *name, Error **errp);

/* -net: the legacy hub every -net client joins; a new port on it. */
NetClientState *net_hub_add_port(const char *name);
/* A new port on hub hub_id (made on first use); name NULL: "hubNportM". */
NetClientState *net_hub_add_port_to(int hub_id, const char *name);
/* Warnings for a hub without a NIC or without a backend. */
void net_hub_check_clients(void);

#endif

/*
 * The engine under -netdev socket, stream and dgram (net/socket.c): one
 * connection or datagram socket carrying frames in QEMU 7.2's formats, a
 * listener that takes one peer at a time, a non-blocking connect.
 */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#include "net/net-backends.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The largest frame a stream may carry, and a datagram's buffer (QEMU's NET_BUFSIZE). */
#define SOCKET_BUFSIZE (4096 + 65536)

typedef enum NetSocketKind { NET_SOCKET_SOCKET, NET_SOCKET_STREAM, NET_SOCKET_DGRAM } NetSocketKind;

typedef struct NetSocket {
    NetSocketKind kind; /* which option made it: its type and info strings */
    NetClientState *nc;
    int fd;        /* the connection or datagram socket, -1 while there is none */
    int listen_fd; /* listen=: the socket waiting for the peer, else -1 */
    bool dgram;
    bool connecting;               /* connect=: not yet established */
    bool has_dst;                  /* mcast=, udp=: frames go to dst */
    struct sockaddr_in dst;        /* where mcast= and udp= send */
    guint read_watch, write_watch; /* on fd */
    guint listen_watch;            /* on listen_fd */
    /* Stream input: the length word, then the frame it announces. */
    uint8_t len_bytes[4];
    size_t len_got;
    uint32_t frame_len;
    size_t frame_got;
    /* Stream output a full socket did not take yet. */
    GByteArray *out;
    size_t out_off;
    char *unix_path;             /* stream: the unix socket path (info network) */
    bool unix_listen;            /* stream server=on, dgram: unix_path is ours, unlinked at close */
    char *connect_info;          /* stream: info network once the connect completes */
    struct sockaddr_un unix_dst; /* dgram unix: where frames go (unix_dst_len > 0) */
    socklen_t unix_dst_len;
    uint8_t buf[SOCKET_BUFSIZE];
} NetSocket;

/* A client of kind with fd (-1: none yet); dgram: one frame per datagram. */
NetSocket *net_socket_new(NetSocketKind kind, const char *name, int fd, bool dgram);
/* Wait for peers on the listening socket fd (link down until one comes). */
void net_socket_listen_on(NetSocket *s, int fd);
/* s->fd is connecting (done: it connected at once). */
void net_socket_connect_on(NetSocket *s, bool done);
/* s->fd is ready: read frames from it. */
void net_socket_start(NetSocket *s);
void net_socket_set_info(NetSocket *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* QEMU's "host:port" (IPv4, a name, or empty for any; the port as strtol reads it). */
bool net_parse_host_port(struct sockaddr_in *sa, const char *str, Error **errp);
/* mcast=GROUP:PORT: a member of the group (on local's interface), loopback on. */
NetClientState *net_socket_mcast(NetSocketKind kind, const char *name, const char *addr,
                                 const char *local, Error **errp);
/* A UDP socket with SO_REUSEADDR bound to bind_to; -1 + errp. */
int net_socket_dgram_bound(const struct sockaddr_in *bind_to, Error **errp);

#endif

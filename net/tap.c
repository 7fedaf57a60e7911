/*
 * -netdev tap: frames go to and come from a Linux tap interface, opened here
 * (ifname=, /dev/net/tun) or handed over open (fd=), with QEMU's up and down
 * scripts.
 */
#include "net/net-backends.h"
#include "qemu/error-report.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_NETWORK_SCRIPT "/etc/qemu-ifup"
#define DEFAULT_NETWORK_DOWN_SCRIPT "/etc/qemu-ifdown"
/* The largest frame read in one go: 64 KiB and an Ethernet header. */
#define TAP_BUFSIZE (65536 + 14)

const char *const net_tap_keys[] = {
    "ifname",   "fd",    "fds",     "script",   "downscript", "br",     "helper",  "sndbuf",
    "vnet_hdr", "vhost", "vhostfd", "vhostfds", "vhostforce", "queues", "poll-us", NULL,
};

typedef struct NetTap {
    NetClientState *nc;
    int fd;
    guint watch; /* the read watch, 0 while the peer's queue is full */
    char *ifname;
    char *downscript; /* run at exit, or NULL */
    uint8_t buf[TAP_BUFSIZE];
} NetTap;

static GPtrArray *taps; /* of NetTap *, for the down scripts */

/* Run "script ifname"; false + errp when it does not exit with status 0. */
static bool run_script(const char *script, const char *ifname, Error **errp)
{
    int status;
    pid_t pid = fork();

    if (pid < 0) {
        error_setg(errp, "could not launch network script %s: %s", script, g_strerror(errno));
        return false;
    }
    if (pid == 0) {
        execl(script, script, ifname, (char *)NULL);
        _exit(1);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            error_setg(errp, "%s: could not wait: %s", script, g_strerror(errno));
            return false;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error_setg(errp, "network script %s failed with status %d", script, status);
        return false;
    }
    return true;
}

static gboolean tap_readable(gint fd, GIOCondition cond, gpointer opaque);

static void tap_watch(NetTap *t, bool on)
{
    if (on && !t->watch) {
        t->watch = g_unix_fd_add(t->fd, G_IO_IN, tap_readable, t);
    } else if (!on && t->watch) {
        g_source_remove(t->watch);
        t->watch = 0;
    }
}

/* Frames from the host: to the NIC; a full NIC queue pauses reading. */
static gboolean tap_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    NetTap *t = opaque;

    for (int n = 0; n < 64; n++) {
        ssize_t len = read(t->fd, t->buf, sizeof(t->buf));

        if (len <= 0) {
            break;
        }
        qemu_send_packet(t->nc, t->buf, len);
        if (t->nc->peer && qemu_net_queue_length(t->nc->peer)) {
            t->watch = 0;
            return G_SOURCE_REMOVE;
        }
    }
    return G_SOURCE_CONTINUE;
}

/* The NIC took what was queued: read again. */
static void tap_sender_resume(NetClientState *nc)
{
    tap_watch(nc->opaque, true);
}

/* A frame from the guest; a full host queue drops it (TCP recovers). */
static ssize_t tap_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetTap *t = nc->opaque;
    ssize_t ret;

    do {
        ret = write(t->fd, buf, len);
    } while (ret < 0 && errno == EINTR);
    return len;
}

static void tap_cleanup(NetClientState *nc)
{
    NetTap *t = nc->opaque;

    tap_watch(t, false);
    if (t->downscript) {
        Error *err = NULL;

        if (!run_script(t->downscript, t->ifname, &err)) {
            warn_report("%s", error_get_pretty(err));
            error_free(err);
        }
    }
    close(t->fd);
    g_ptr_array_remove(taps, t);
    g_free(t->ifname);
    g_free(t->downscript);
    g_free(t);
}

static const NetClientInfo tap_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .receive = tap_receive,
    .cleanup = tap_cleanup,
    .sender_resume = tap_sender_resume,
};

/* Open /dev/net/tun as a tap named after ifname ("tap%d" when NULL). */
static int tap_open(const char *ifname, char **actual, Error **errp)
{
    struct ifreq ifr = { 0 };
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        error_setg(errp, "could not open /dev/net/tun: %s", g_strerror(errno));
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    g_strlcpy(ifr.ifr_name, ifname ? ifname : "tap%d", sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        if (ifname) {
            error_setg(errp, "could not configure /dev/net/tun (%s): %s", ifname,
                       g_strerror(errno));
        } else {
            error_setg(errp, "could not configure /dev/net/tun: %s", g_strerror(errno));
        }
        close(fd);
        return -1;
    }
    *actual = g_strndup(ifr.ifr_name, sizeof(ifr.ifr_name));
    return fd;
}

static bool tap_script_opt(QemuOpts *opts, const char *key, const char *def, char **out)
{
    const char *s = qemu_opt_get(opts, key);

    if (!s) {
        s = def;
    }
    *out = s[0] && strcmp(s, "no") ? g_strdup(s) : NULL;
    return true;
}

NetClientState *net_init_tap(QemuOpts *opts, const char *name, Error **errp)
{
    const char *fdstr = qemu_opt_get(opts, "fd");
    g_autofree char *script = NULL, *downscript = NULL, *ifname = NULL;
    bool vhost = false;
    NetTap *t;
    int fd;

    for (const char *const *k =
             (const char *const[]){ "br", "helper", "fds", "vhostfd", "vhostfds", NULL };
         *k; k++) {
        if (qemu_opt_get(opts, *k)) {
            error_setg(errp, "tap: %s= is not supported", *k);
            return NULL;
        }
    }
    if (qemu_opt_get(opts, "vhost")) {
        char *err = NULL;

        if (!qemu_opt_get_bool(opts, "vhost", false, &vhost, &err)) {
            g_free(err);
            error_setg(errp, "Parameter 'vhost' expects 'on' or 'off'");
            return NULL;
        }
        if (vhost) {
            error_setg(errp, "vhost-net requested but could not be initialized");
            return NULL;
        }
    }
    qemu_opt_get(opts, "sndbuf");
    qemu_opt_get(opts, "vhostforce");
    qemu_opt_get(opts, "poll-us");
    qemu_opt_get(opts, "vnet_hdr");
    qemu_opt_get(opts, "queues");

    if (fdstr) {
        uint64_t v;

        if (qemu_opt_has(opts, "ifname") || qemu_opt_has(opts, "script") ||
            qemu_opt_has(opts, "downscript") || qemu_opt_has(opts, "vnet_hdr") ||
            qemu_opt_has(opts, "queues")) {
            error_setg(errp, "ifname=, script=, downscript=, vnet_hdr=, helper=, queues=, fds=, "
                             "and vhostfds= are invalid with fd=");
            return NULL;
        }
        if (!qemu_strtou64(fdstr, &v) || v > INT_MAX) {
            error_setg(errp, "%s: Can't use file descriptor %s: Bad file descriptor", name, fdstr);
            return NULL;
        }
        fd = (int)v;
        if (fcntl(fd, F_GETFD) < 0) {
            error_setg(errp, "%s: Can't use file descriptor %d: %s", name, fd, g_strerror(errno));
            return NULL;
        }
        /* It must be a tap device (QEMU 7.2 asks it for its header support). */
        if (ioctl(fd, TUNGETIFF, &(struct ifreq){ 0 }) != 0) {
            error_setg(errp, "Unable to query TUNGETIFF on FD %d: %s", fd, g_strerror(errno));
            return NULL;
        }
        ifname = g_strdup("");
    } else {
        tap_script_opt(opts, "script", DEFAULT_NETWORK_SCRIPT, &script);
        tap_script_opt(opts, "downscript", DEFAULT_NETWORK_DOWN_SCRIPT, &downscript);
        fd = tap_open(qemu_opt_get(opts, "ifname"), &ifname, errp);
        if (fd < 0) {
            return NULL;
        }
        if (script && !run_script(script, ifname, errp)) {
            close(fd);
            return NULL;
        }
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    t = g_new0(NetTap, 1);
    t->fd = fd;
    t->ifname = g_steal_pointer(&ifname);
    t->downscript = g_steal_pointer(&downscript);
    t->nc = qemu_new_net_client(&tap_info, NULL, "tap", name, t);
    if (fdstr) {
        t->nc->info_str = g_strdup_printf("fd=%d", fd);
    } else {
        /* The scripts as given ("no" included), else QEMU's defaults. */
        const char *up = qemu_opt_get(opts, "script"), *down = qemu_opt_get(opts, "downscript");

        t->nc->info_str = g_strdup_printf("ifname=%s,script=%s,downscript=%s", t->ifname,
                                          up ? up : DEFAULT_NETWORK_SCRIPT,
                                          down ? down : DEFAULT_NETWORK_DOWN_SCRIPT);
    }
    if (!taps) {
        taps = g_ptr_array_new();
    }
    g_ptr_array_add(taps, t);
    tap_watch(t, true);
    return t->nc;
}

void net_tap_cleanup_all(void)
{
    while (taps && taps->len) {
        NetTap *t = g_ptr_array_index(taps, taps->len - 1);

        qemu_del_net_client(t->nc);
    }
}

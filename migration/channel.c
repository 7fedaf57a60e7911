/* Migration channels over descriptors: exec: children, unix: and tcp: sockets, fd:. */
#include "migration/channel.h"
#include "monitor/monitor.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

/* /bin/sh -c CMD with one end of a pipe as its stdin (out) or stdout (!out). */
static bool spawn_exec(const char *cmd, bool out, MigChannel *ch, Error **errp)
{
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autoptr(GError) gerr = NULL;
    int in_fd = -1, out_fd = -1;

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &ch->child, out ? &in_fd : NULL, out ? NULL : &out_fd, NULL,
                                  &gerr)) {
        error_setg(errp, "failed to start '%s': %s", cmd, gerr->message);
        return false;
    }
    ch->fd = out ? in_fd : out_fd;
    return true;
}

/* "HOST:PORT" (HOST may be empty or [v6]) split into its parts. */
static bool split_host_port(const char *s, char **host, char **port, Error **errp)
{
    const char *colon = strrchr(s, ':');

    if (!colon || !colon[1]) {
        error_setg(errp, "address '%s' lacks a port", s);
        return false;
    }
    if (s[0] == '[' && colon > s && colon[-1] == ']') {
        *host = g_strndup(s + 1, colon - s - 2);
    } else {
        *host = g_strndup(s, colon - s);
    }
    *port = g_strdup(colon + 1);
    return true;
}

static int tcp_socket(const char *addr, bool listen_on, Error **errp)
{
    g_autofree char *host = NULL, *port = NULL;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res, *ai;
    int fd = -1, rc, err = 0;

    if (!split_host_port(addr, &host, &port, errp)) {
        return -1;
    }
    hints.ai_flags = listen_on ? AI_PASSIVE : 0;
    rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
    if (rc) {
        error_setg(errp, "address resolution failed for %s:%s: %s", host, port, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (listen_on) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0) {
                break;
            }
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg(errp, "Failed to %s to '%s:%s': %s", listen_on ? "bind socket" : "connect", host,
                   port, g_strerror(err));
    }
    return fd;
}

static int unix_socket(const char *path, bool listen_on, Error **errp)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sun.sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    strcpy(sun.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg(errp, "Failed to create socket: %s", g_strerror(errno));
        return -1;
    }
    if (listen_on) {
        unlink(path);
        if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 1) < 0) {
            error_setg(errp, "Failed to bind socket to %s: %s", path, g_strerror(errno));
            close(fd);
            return -1;
        }
    } else if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg(errp, "Failed to connect to '%s': %s", path, g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* QEMU 7.2's wording for a URI of no known transport. */
static void unknown_uri(const char *uri, Error **errp)
{
    error_setg(errp, "Parameter 'uri' expects a valid migration protocol");
    (void)uri;
}

bool mig_channel_open_out(const char *uri, MigChannel *ch, Error **errp)
{
    *ch = (MigChannel){ .fd = -1 };
    if (g_str_has_prefix(uri, "exec:")) {
        return spawn_exec(uri + 5, true, ch, errp);
    } else if (g_str_has_prefix(uri, "unix:")) {
        ch->fd = unix_socket(uri + 5, false, errp);
    } else if (g_str_has_prefix(uri, "tcp:")) {
        ch->fd = tcp_socket(uri + 4, false, errp);
    } else if (g_str_has_prefix(uri, "fd:")) {
        ch->fd = monitor_take_named_fd(uri + 3);
        if (ch->fd < 0) {
            error_setg(errp, "File descriptor named '%s' has not been found", uri + 3);
        }
    } else {
        unknown_uri(uri, errp);
    }
    return ch->fd >= 0;
}

bool mig_channel_open_in(const char *uri, MigChannel *ch, bool *listening, Error **errp)
{
    *ch = (MigChannel){ .fd = -1 };
    *listening = false;
    if (g_str_has_prefix(uri, "exec:")) {
        return spawn_exec(uri + 5, false, ch, errp);
    } else if (g_str_has_prefix(uri, "unix:")) {
        ch->fd = unix_socket(uri + 5, true, errp);
        *listening = true;
    } else if (g_str_has_prefix(uri, "tcp:")) {
        ch->fd = tcp_socket(uri + 4, true, errp);
        *listening = true;
    } else if (g_str_has_prefix(uri, "fd:")) {
        char *end;
        long n = strtol(uri + 3, &end, 10);

        if (*end || end == uri + 3 || n < 0 || n > INT_MAX) {
            ch->fd = monitor_take_named_fd(uri + 3);
        } else {
            ch->fd = (int)n;
        }
        if (ch->fd < 0) {
            error_setg(errp, "File descriptor named '%s' has not been found", uri + 3);
        }
    } else {
        error_setg(errp, "unknown migration protocol: %s", uri);
    }
    return ch->fd >= 0;
}

bool mig_channel_write(MigChannel *ch, const void *buf, size_t len, Error **errp)
{
    const uint8_t *p = buf;

    if (ch->ops) {
        return ch->ops->write(ch->opaque, buf, len, errp);
    }
    while (len) {
        ssize_t n;

        if (ch->cancellable) {
            struct pollfd pfd[2] = { { .fd = ch->fd, .events = POLLOUT },
                                     { .fd = ch->cancel_fd, .events = POLLIN } };

            if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
                error_setg(errp, "Unable to write to migration channel: %s", g_strerror(errno));
                return false;
            }
            if (pfd[1].revents) {
                error_setg(errp, "cancelled");
                return false;
            }
            if (!pfd[0].revents) {
                continue;
            }
            if (!(fcntl(ch->fd, F_GETFL) & O_NONBLOCK)) {
                fcntl(ch->fd, F_SETFL, fcntl(ch->fd, F_GETFL) | O_NONBLOCK);
            }
        }
        n = write(ch->fd, p, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            error_setg(errp, "Unable to write to migration channel: %s",
                       n < 0 ? g_strerror(errno) : "closed");
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

ssize_t mig_channel_read(MigChannel *ch, void *buf, size_t len)
{
    size_t got = 0;

    if (ch->ops) {
        return ch->ops->read(ch->opaque, buf, len);
    }
    while (got < len) {
        ssize_t n = read(ch->fd, (uint8_t *)buf + got, len - got);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        got += n;
    }
    return got;
}

bool mig_channel_close(MigChannel *ch)
{
    bool ok = true;

    if (ch->fd >= 0) {
        close(ch->fd);
        ch->fd = -1;
    }
    if (ch->child) {
        int status;

        while (waitpid(ch->child, &status, 0) < 0 && errno == EINTR) {
        }
        ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        g_spawn_close_pid(ch->child);
        ch->child = 0;
    }
    return ok;
}

"""Networking on user networking (slirp): the guest's NIC, a DHCP lease, a file from a
host HTTP server through 10.0.2.2, and a guest web server the host reaches through
hostfwd (net.sh).  netbench.py uses net.sh's netbench mode."""

import http.server
import os
import secrets
import socket
import threading
import time
import urllib.request

from ftlib import Case, QUIET, check_boot, check_init, ended

KMODS = {'ibmveth': ['drivers/net/ethernet/ibm/ibmveth']}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class HostNet:
    """The host side: an HTTP server on loopback serving host.txt (a fresh token), and a
    free loopback port for the guest's hostfwd."""

    def __init__(self, tmpdir):
        self.token = 'token-' + secrets.token_hex(8)
        self.dir = os.path.join(tmpdir, 'www')
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, 'host.txt'), 'w') as f:
            f.write(self.token + '\n')
        handler = lambda *a, **k: QuietHandler(*a, directory=self.dir, **k)  # noqa: E731
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.fwd_port = s.getsockname()[1]

    def nic(self, model):
        return ['-nic', 'user,model=%s,hostfwd=tcp:127.0.0.1:%d-:8080' % (model, self.fwd_port)]

    def fetch_guest(self, timeout):
        """The guest's /guest.txt through hostfwd, or an error text."""
        url = 'http://127.0.0.1:%d/guest.txt' % self.fwd_port
        end = time.monotonic() + timeout
        err = 'not tried'
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    return r.read().decode().strip()
            except OSError as e:
                err = 'error: %s' % e
                time.sleep(1)
        return err

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def setup_vlan(ctx):
    ctx.net = HostNet(ctx.tmpdir)
    ctx.append += ' functest.port=%d functest.nic=ibmveth' % ctx.net.port
    ctx.extra += ctx.net.nic('spapr-vlan')


def setup_virtio(ctx):
    ctx.net = HostNet(ctx.tmpdir)
    ctx.append += ' functest.port=%d functest.nic=virtio' % ctx.net.port
    # romfile= because Debian's QEMU looks for iPXE's efi-virtio.rom otherwise.
    ctx.extra += ['-netdev', 'user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080' % ctx.net.fwd_port,
                  '-device', 'virtio-net-pci,netdev=n0,romfile=']


def cleanup(ctx):
    if getattr(ctx, 'net', None):
        ctx.net.close()


def play_net(tap, m, ctx):
    net = ctx.net
    serving = m.wait_line('^FUNCTEST net-serving$', 1, ctx.limit)
    tap.ok(serving, '/init brought eth0 up and serves HTTP')
    got = net.fetch_guest(30) if serving else 'the guest never served'
    tap.ok(got == 'guest-got-' + net.token,
           'the host fetches the guest\'s file through hostfwd', got)
    m.type('done\n')
    st = m.wait(60, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0', ended(m, st))
    res = {ln.split()[2]: ' '.join(ln.split()[3:]) for ln in m.lines
           if ln.startswith('FUNCTEST result net-')}
    check_init(tap, m.lines, ['net-module', 'net-eth0', 'net-dhcp'])
    tap.ok(res.get('net-mac') == '52:54:00:12:34:56', 'eth0 has QEMU\'s first MAC address',
           '%r' % res.get('net-mac'))
    tap.ok(res.get('net-lease') == '10.0.2.15', 'DHCP lease 10.0.2.15 from slirp',
           '%r' % res.get('net-lease'))
    tap.ok(res.get('net-router') == '10.0.2.2', 'the router is 10.0.2.2',
           '%r' % res.get('net-router'))
    tap.ok(res.get('net-dns') == '10.0.2.3', 'the DNS server is 10.0.2.3',
           '%r' % res.get('net-dns'))
    tap.ok(res.get('net-wget') == net.token, 'the guest fetched host.txt from 10.0.2.2',
           '%r' % res.get('net-wget'))
    check_boot(tap, m.lines, ctx.host_fp)


# The feature bits Linux's virtio_net and QEMU 7.2's virtio-net-pci agree on over user
# networking (/sys/bus/virtio/devices/virtio0/features, bit 0 first): CTRL_GUEST_OFFLOADS,
# MAC, MRG_RXBUF, STATUS, CTRL_VQ, CTRL_RX, CTRL_VLAN, GUEST_ANNOUNCE, CTRL_MAC_ADDR,
# INDIRECT_DESC, EVENT_IDX, VERSION_1; no checksum or segmentation offload (slirp has no
# virtio-net header). Bits 40 and up (RING_RESET) are the transport's, not compared.
VIRTIO_NET_FEATURES = '0010010000000001111101010000110010000000'


def play_virtio(tap, m, ctx):
    play_net(tap, m, ctx)
    res = {ln.split()[2]: ' '.join(ln.split()[3:]) for ln in m.lines
           if ln.startswith('FUNCTEST result net-')}
    feat = res.get('net-virtio-features', '')
    tap.ok(feat[:len(VIRTIO_NET_FEATURES)] == VIRTIO_NET_FEATURES,
           'virtio_net negotiated QEMU 7.2\'s features', '%r' % feat)
    tap.ok(res.get('net-virtio-irqs') == 'virtio0-config virtio0-input.0 virtio0-output.0',
           'MSI-X vectors for the configuration and both queues',
           '%r' % res.get('net-virtio-irqs'))
    rx = res.get('net-virtio-rx-irqs', '')
    tap.ok(rx.isdigit() and int(rx) > 0, 'the receive queue\'s interrupt fired', '%r' % rx)


CASES = {
    'net-vlan': Case('net', ['-no-reboot'], 180, play_net, setup=setup_vlan,
                     cleanup=cleanup),
    # virtio-net-pci (-netdev user + -device) with Linux's virtio_net: the same checks.
    'net-virtio': Case('net', ['-no-reboot'], 180, play_virtio, setup=setup_virtio,
                       cleanup=cleanup),
}

#!/usr/bin/env python3
"""`make bench`: TCP throughput over user networking on Debian's QEMU 7.2 and on ours,
with each NIC: spapr-vlan (Linux's ibmveth) and virtio-net-pci (virtio_net). The
functional kernel boots to init.sh's netbench mode, sends BYTES of zeros to a host port
through 10.0.2.2, then receives as many. Best of RUNS per emulator, NIC and direction.

  netbench.py --qemu OURS [--oracle-qemu QEMU] --build DIR [--mib N] [--runs N]
              [--nic spapr-vlan|virtio-net-pci ...]
"""

import argparse
import os
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ftlib  # noqa: E402


class Sink:
    """The host side: the first connection is read until BYTES arrived (the upload,
    timed from its first byte), the second is sent BYTES (the download)."""

    def __init__(self, nbytes):
        self.nbytes = nbytes
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(2)
        self.port = self.sock.getsockname()[1]
        self.up = None
        self.down_start = None
        self.error = None
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        try:
            c, _ = self.sock.accept()
            got, t0 = 0, None
            while got < self.nbytes:
                b = c.recv(1 << 20)
                if not b:
                    break
                if t0 is None:
                    t0 = time.monotonic()
                got += len(b)
            if got == self.nbytes:
                self.up = time.monotonic() - t0
            else:
                self.error = 'upload: %d of %d bytes' % (got, self.nbytes)
            c.close()
            c, _ = self.sock.accept()
            self.down_start = time.monotonic()
            chunk = b'\0' * (1 << 16)
            for _ in range(self.nbytes // len(chunk)):
                c.sendall(chunk)
            c.close()
        except OSError as e:
            self.error = str(e)


# Each NIC: the emulator options and what the guest's /init loads for it.
NICS = {
    'spapr-vlan': (['-nic', 'user,model=spapr-vlan'], ' functest.nic=ibmveth'),
    # romfile= because Debian's QEMU looks for iPXE's efi-virtio.rom otherwise.
    'virtio-net-pci': (['-netdev', 'user,id=n0', '-device',
                        'virtio-net-pci,netdev=n0,romfile='], ' functest.nic=virtio'),
}


def run_once(qemu, oracle, vmlinux, initrd, nic, nbytes, limit):
    """(upload s, download s) or a reason."""
    sink = Sink(nbytes)
    opts, append = NICS[nic]
    with tempfile.TemporaryDirectory(prefix='netbench-') as tmpdir:
        m = ftlib.Machine(qemu, 'vof', oracle, vmlinux, initrd,
                          'console=hvc0 functest=netbench functest.port=%d '
                          'functest.bytes=%d%s' % (sink.port, nbytes, append),
                          ['-no-reboot'] + opts, tmpdir)
        st = m.wait(limit, ftlib.QUIET)
    sink.sock.close()
    if st != 0:
        return m.timed_out or 'exit status %s' % st
    if sink.error or sink.up is None or sink.down_start is None:
        return sink.error or 'the guest did not connect twice'
    line = 'FUNCTEST result netbench-down-bytes %d' % nbytes
    if line not in m.lines:
        got = [ln for ln in m.lines if 'netbench-down-bytes' in ln]
        return 'download: %s' % (got[0] if got else 'no result')
    # The guest printed its count when the last byte arrived: its console stamp.
    down_end = m.t0 + m.stamps[m.lines.index(line)]
    return sink.up, down_end - sink.down_start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    ap.add_argument('--build', required=True)
    ap.add_argument('--mib', type=int, default=32)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--nic', action='append', choices=sorted(NICS),
                    help='the NICs to measure (default: all)')
    args = ap.parse_args()
    vmlinux, initrd = ftlib.prepare(args.build)
    nbytes = args.mib << 20
    for nic in args.nic or ['spapr-vlan', 'virtio-net-pci']:
        print('== TCP over user networking (%s, slirp): %d MiB each way, best of %d' %
              (nic, args.mib, args.runs))
        best = {}
        for tag, qemu, oracle in [('QEMU 7.2 TCG', args.oracle_qemu, True),
                                  ('ours', args.qemu, False)]:
            runs = []
            for _ in range(args.runs):
                r = run_once(qemu, oracle, vmlinux, initrd, nic, nbytes, 300)
                if not isinstance(r, tuple):
                    print('  %-13s FAILED: %s' % (tag + ':', r))
                    break
                runs.append(r)
            else:
                up, down = min(r[0] for r in runs), min(r[1] for r in runs)
                best[tag] = (up, down)
                print('  %-13s guest->host %.1f MiB/s, host->guest %.1f MiB/s' %
                      (tag + ':', args.mib / up, args.mib / down))
        if len(best) == 2:
            (ou, od), (qu, qd) = best['ours'], best['QEMU 7.2 TCG']
            print('  ratio ours/QEMU throughput: guest->host %.2f, host->guest %.2f '
                  '(above 1: ours is faster)' % (qu / ou, qd / od))
        else:
            print('  ratio ours/QEMU: n/a')
    return 0


if __name__ == '__main__':
    sys.exit(main())

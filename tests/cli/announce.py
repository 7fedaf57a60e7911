"""The RARP frames announce-self and an incoming migration send, against QEMU 7.2
(test-announce.sh diffs the transcripts). A virtio-net NIC on -netdev socket,udp=
sends to a socket here; only RARP frames (ethertype 0x8035) are counted.

Usage: announce.py QEMU DIR [oracle]. Counts are awaited (up to a minute), then
the socket is watched for one more second for frames that should not come."""
import os
import socket
import subprocess
import sys
import time

import qmpsock

QEMU, DIR = sys.argv[1], sys.argv[2]
ORACLE = len(sys.argv) > 3

cap = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cap.bind(('127.0.0.1', 0))
cap.settimeout(0.2)
PORT = cap.getsockname()[1]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def launch(name, mac, to, args):
    path = os.path.join(DIR, name + '.qmp')
    cmd = [QEMU, '-display', 'none', '-M', 'pseries', '-nodefaults',
           '-qmp', 'unix:%s,server=on,wait=off' % path,
           '-netdev', 'socket,id=s0,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d' % (to, free_port()),
           '-device', 'virtio-net-pci,romfile=,netdev=s0,id=net0,mac=' + mac] + args
    if ORACLE:
        cmd += ['-vga', 'none']
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(DIR, name + '.err'), 'w'))
    return proc, qmpsock.Qmp(qmpsock.connect(path))


def frames(want, extra=1.0):
    """RARP frames until want came (or a minute passed), then extra seconds more."""
    got, end = [], time.time() + 60
    while time.time() < end:
        if len(got) >= want:
            end = min(end, time.time() + extra)
        try:
            b = cap.recv(2048)
        except socket.timeout:
            continue
        if b[12:14] == b'\x80\x35':
            got.append(b.hex())
    return '%d frame(s)%s' % (len(got), ''.join(sorted(set(' ' + g for g in got))))


timing = {'initial': 50, 'max': 550, 'step': 100}
p, q = launch('a', '52:54:00:12:34:56', PORT, [])  # running (the firmware waits)
print('announce-self', q.cmd('announce-self', dict(rounds=3, **timing)), frames(3))
print('announce-self other NIC', q.cmd('announce-self', dict(rounds=2, interfaces=['nope'], **timing)),
      frames(0, 1.5))
print('announce-self net0', q.cmd('announce-self', dict(rounds=2, interfaces=['net0'], **timing)),
      frames(2))
print('announce-self no rounds', q.cmd('announce-self', dict(rounds=0, **timing)), frames(0, 1.5))
q.cmd('quit')
p.wait()

# After a migration: the destination's announce-* parameters; a stopped guest's
# frames wait for cont. The source's NIC sends elsewhere.
uri = 'unix:' + os.path.join(DIR, 'mig')
dp, dq = launch('dst', '52:54:00:12:34:57', PORT, ['-S', '-incoming', 'defer'])
sp, sq = launch('src', '52:54:00:12:34:57', free_port(), ['-S'])
print('dst parameters', dq.cmd('migrate-set-parameters', {
    'announce-rounds': 4, 'announce-initial': 10, 'announce-step': 10, 'announce-max': 100}))
print('dst migrate-incoming', dq.cmd('migrate-incoming', {'uri': uri}))
print('migrate', sq.cmd('migrate', {'uri': uri}))
for _ in range(1200):
    st = dq.cmd('query-status')['return']['status']
    if st != 'inmigrate':
        break
    time.sleep(0.1)
print('dst status', st, 'before cont', frames(0, 1.5))
print('cont', dq.cmd('cont'), frames(4))
for pr, qm in ((sp, sq), (dp, dq)):
    qm.cmd('quit')
    pr.wait()

#!/usr/bin/env python3
# test-virtio-net.py BINARY [oracle]: the NICs' addresses and names (info
# network, qom-get mac), set_link and query-rx-filter over QMP before any
# driver runs, and the balloon's statistics (uint64s) and polling interval
# given on -device; prints each command and its reply (events too), so
# test-virtio-net.sh diffs ours against QEMU 7.2.
import json
import os
import re
import subprocess
import sys
import tempfile

import qmpsock

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
args = [qemu, '-display', 'none', '-M', 'pseries', '-S', '-nodefaults',
        '-qmp', 'unix:%s,server=on,wait=off' % path,
        '-nic', 'user',
        '-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0,romfile=,id=vn',
        '-netdev', 'user,id=n1', '-device', 'spapr-vlan,netdev=n1,id=vl',
        '-netdev', 'user,id=n2', '-device', 'virtio-net-pci,netdev=n2,romfile=',
        '-netdev', 'user,id=n3', '-device', 'virtio-net-pci,netdev=n3,romfile=,mac=52:54:00:12:34:5a',
        '-netdev', 'user,id=n4', '-device', 'spapr-vlan,netdev=n4',
        '-netdev', 'user,id=lonely',
        '-device', 'virtio-balloon-pci,id=b,guest-stats-polling-interval=7']
if 'oracle' in sys.argv[2:]:
    args += ['-vga', 'none']
proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
# Retried until it connects: the socket's file exists before the server listens.
sock = qmpsock.connect(path, 400, qemu)
reader = sock.makefile('rb')


def shorten(v):
    """A VLAN table of 4096 ids prints as its length and ends."""
    if isinstance(v, dict):
        return {k: shorten(x) for k, x in v.items()}
    if isinstance(v, list):
        if len(v) > 8 and all(isinstance(x, int) for x in v):
            return ['%d ids' % len(v), v[0], v[-1]]
        return [shorten(x) for x in v]
    return v


def reply():
    while True:
        msg = json.loads(reader.readline())
        if 'event' in msg:
            if msg['event'] == 'SHUTDOWN':
                continue  # quit's event, not what this test is about
            msg.pop('timestamp', None)
            print('event', json.dumps(msg, sort_keys=True))
            continue
        return msg


def cmd(command, **a):
    c = {'execute': command}
    if a:
        c['arguments'] = a
    sock.sendall((json.dumps(c) + '\n').encode())
    out = json.dumps(shorten(reply()))
    # QEMU's generated netdev ids end in two random digits.
    out = re.sub(r'#net(\d+)\d\d:', r'#net\1NN:', out)
    print(json.dumps(c, sort_keys=True), '->', out)


def hmp(line):
    cmd('human-monitor-command', **{'command-line': line})


reply()
cmd('qmp_capabilities')
hmp('info network')
for dev in ('vn', 'vl', '/machine/peripheral-anon/device[0]', '/machine/peripheral-anon/device[1]',
            '/machine/peripheral-anon/device[2]'):
    cmd('qom-get', path=dev, property='mac')
cmd('query-rx-filter')
for name in ('vn', 'virtio-net-pci.1', 'virtio-net-pci.2', 'vl', 'n0', 'lonely', 'nope', ''):
    cmd('query-rx-filter', name=name)
cmd('set_link', name='vn', up=False)
cmd('set_link', name='n1', up=False)
cmd('set_link', name='lonely', up=False)
cmd('set_link', name='nope', up=False)
cmd('set_link', name='vn')
cmd('set_link', up=True)
cmd('set_link', name='vn', up='off')
cmd('set_link', name='vn', up=True, extra=1)
cmd('set_link', name='vn', up=True)
for line in ('help set_link', 'set_link vn off', 'set_link vn on', 'set_link nope off',
             'set_link vn maybe', 'set_link vn', 'set_link vn on extra'):
    hmp(line)
cmd('query-rx-filter', name='vn')
hmp('info network')
# Unreported balloon statistics are all-ones, printed unsigned.
cmd('qom-get', path='/machine/peripheral/b', property='guest-stats')
cmd('qom-get', path='/machine/peripheral/b', property='guest-stats-polling-interval')
cmd('quit')
proc.wait()

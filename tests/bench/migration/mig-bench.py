#!/usr/bin/env python3
# Live migration benchmark (make bench): a 1 GiB pseries guest migrated over unix:
# between two processes of the same binary, with default parameters (max-bandwidth
# 128 MiB/s, downtime-limit 300 ms), ours and QEMU 7.2's in the same run.
#   busy: migdirty rewrites 2000 pages (8 MiB) a second of a 32 MiB array
#   idle: the same image stopped (-S), so only what the firmware wrote is RAM in use
# Prints total time and downtime as query-migrate reports them, median of RUNS.
# Usage: mig-bench.py OURS QEMU IMAGE [RUNS]
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ours, qemu, image = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
tmp = tempfile.mkdtemp()


class Vm:
    def __init__(self, binary, tag, opts):
        path = os.path.join(tmp, tag + '.qmp')
        self.proc = subprocess.Popen(
            [binary, '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display',
             'none', '-serial', 'file:/dev/null', '-bios', image,
             '-qmp', 'unix:%s,server=on,wait=off' % path] + opts,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.time() + 20
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.02)
        self.f = self.sock.makefile('r')
        self.f.readline()
        self.cmd('qmp_capabilities')

    def cmd(self, command, args=None):
        msg = {'execute': command}
        if args is not None:
            msg['arguments'] = args
        self.sock.sendall((json.dumps(msg) + '\n').encode())
        while True:
            reply = json.loads(self.f.readline())
            if 'event' not in reply:
                return reply

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def one(binary, busy, n):
    sock = os.path.join(tmp, 'mig%d.sock' % n)
    dst = Vm(binary, 'dst%d' % n, ['-incoming', 'unix:' + sock])
    src = Vm(binary, 'src%d' % n, [] if busy else ['-S'])
    try:
        time.sleep(1.0)  # the guest fills its array and dirties at its pace
        src.cmd('migrate', {'uri': 'unix:' + sock})
        end = time.time() + 120
        while time.time() < end:
            info = src.cmd('query-migrate')['return']
            if info.get('status') in ('completed', 'failed'):
                break
            time.sleep(0.02)
        if info.get('status') != 'completed':
            return None
        return info['total-time'], info['downtime'], info['ram']['dirty-sync-count']
    finally:
        src.kill()
        dst.kill()


def measure(name, binary, busy):
    results = [r for r in (one(binary, busy, i) for i in range(runs)) if r]
    if not results:
        print('%-12s FAILED' % name)
        return None
    total = statistics.median(r[0] for r in results)
    down = statistics.median(r[1] for r in results)
    passes = statistics.median(r[2] for r in results)
    print('%-12s total %6d ms  downtime %5d ms  passes %d  (%d runs)' %
          (name, total, down, passes, len(results)))
    return total, down


for busy in (True, False):
    print('%s 1 GiB guest:' % ('busy' if busy else 'idle'))
    q = measure('QEMU 7.2:', qemu, busy) if os.path.exists(qemu) else None
    o = measure('ours:', ours, busy)
    if q and o:
        print('ratio ours/QEMU: total %.2f, downtime %.2f (below 1: ours is faster)' %
              (o[0] / max(q[0], 1), o[1] / max(q[1], 1)))

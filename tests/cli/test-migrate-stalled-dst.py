#!/usr/bin/env python3
# A live migration whose destination stalled for a while (SIGSTOP for 3 s while
# the first pass was being sent) still completes once the destination reads
# again: an idle source finds nothing dirty, and the throughput measured while
# the destination was not reading must not decide for ever whether the stop
# fits downtime-limit (20 ms here).  Before the fix it stayed active with
# thousands of passes; QEMU 7.2 completes too (checked on it as well).
import os
import signal
import subprocess
import sys
import tempfile
import time

import qmpsock
import tap
from tap import check

QEMU = os.environ.get('QEMU', 'build/qemu-system-ppc64')
ORACLE = '/usr/bin/qemu-system-ppc64'


def run(qemu, oracle):
    tmp = tempfile.mkdtemp()
    procs = []

    def launch(name, args):
        path = os.path.join(tmp, name + '.qmp')
        cmd = [qemu, '-display', 'none', '-M', 'pseries', '-nodefaults', '-m', '1G', '-S',
               '-qmp', 'unix:%s,server=on,wait=off' % path] + args
        if oracle:
            cmd += ['-vga', 'none']
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        return p, qmpsock.Qmp(qmpsock.connect(path, 400, qemu))

    uri = 'unix:' + os.path.join(tmp, 'mig')
    try:
        dp, dq = launch('dst', ['-incoming', uri])
        sp, sq = launch('src', [])
        sq.cmd('migrate-set-parameters', {'downtime-limit': 20})
        os.kill(dp.pid, signal.SIGSTOP)
        reply = sq.cmd('migrate', {'uri': uri})
        time.sleep(3)
        os.kill(dp.pid, signal.SIGCONT)
        status, r = None, {}
        for _ in range(600):  # a minute at most
            r = sq.cmd('query-migrate')['return']
            status = r.get('status')
            if status in ('completed', 'failed', 'cancelled'):
                break
            time.sleep(0.1)
        return reply, status, r
    finally:
        for p in procs:
            p.kill()
            p.wait()


for qemu, oracle, who in ((QEMU, False, 'ours'), (ORACLE, True, 'QEMU 7.2')):
    if oracle and not os.access(ORACLE, os.X_OK):
        check(False, 'QEMU 7.2 at %s (scripts/install-deps.sh installs qemu-system-ppc)' % ORACLE)
        continue
    reply, status, r = run(qemu, oracle)
    check(reply == {'return': {}} and status == 'completed',
          '%s: migrate after a destination stalled 3 s completes (%s)' % (who, status),
          'expected-downtime %s, dirty-sync-count %s' %
          (r.get('expected-downtime'), r.get('ram', {}).get('dirty-sync-count')))
tap.finish()

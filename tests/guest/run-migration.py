#!/usr/bin/env python3
# Migrate a guest mid-run and check it finishes as an unmigrated run does; prints TAP.
# Usage: run-migration.py QEMU IMAGE NAME MODE
#   MODE exec: the source migrates to "exec:cat > FILE", stays in postmigrate and
#              quits; a new process loads it with -incoming "exec:cat FILE".
#   MODE unix / tcp: the destination waits with -incoming unix:PATH / tcp:127.0.0.1:PORT
#              and the source migrates straight to it (unix: the destination has -S and
#              gets cont while it waits).
# The program prints "NAME-ish: round N ..." lines and a "checksum" line (migwork.c).
# The source migrates once it has printed round AFTER (GUEST_MIGRATE_AFTER, default 20).
# Checks: the destination's checksum is the unmigrated run's, its first round
# follows the source's last, the MIGRATION events and run states on both sides.
# Environment: GUEST_EXTRA (more options for both), GUEST_TIMEOUT (default 60).
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

qemu, image, name, mode = sys.argv[1:5]
limit = float(os.environ.get('GUEST_TIMEOUT', '60'))
after = int(os.environ.get('GUEST_MIGRATE_AFTER', '20'))
extra = os.environ.get('GUEST_EXTRA', '').split()
tmp = tempfile.mkdtemp()
base = [qemu, '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display', 'none',
        '-serial', 'stdio', '-bios', image] + extra
checks = []


def check(ok, what):
    checks.append((bool(ok), what))


class Guest:
    """A running QEMU: its console lines (a thread reads them) and a QMP socket."""

    def __init__(self, tag, opts):
        self.qmp_path = os.path.join(tmp, tag + '.qmp')
        self.lines, self.events, self.raw = [], [], []
        self.proc = subprocess.Popen(
            base + ['-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path] + opts,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.sock = None
        end = time.time() + 10
        while self.sock is None and time.time() < end:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.qmp_path)
                self.sock = s
            except OSError:
                time.sleep(0.02)
        # Reads only: a text file's write() drops what it had read ahead.
        self.f = self.sock.makefile('r')
        self.f.readline()
        self.cmd('qmp_capabilities')
        self.cmd('migrate-set-capabilities',
                 {'capabilities': [{'capability': 'events', 'state': True}]})

    def _read(self):
        for raw in self.proc.stdout:
            self.raw.append(raw)
            self.lines.append(raw.decode(errors='replace').rstrip('\r\n'))

    def cmd(self, command, args=None):
        msg = {'execute': command}
        if args is not None:
            msg['arguments'] = args
        self.sock.sendall((json.dumps(msg) + '\n').encode())
        while True:
            raw = self.f.readline()
            if os.environ.get("MIG_DEBUG"):
                sys.stderr.write(raw)
            reply = json.loads(raw)
            if 'event' in reply:
                self.events.append(reply)
                continue
            return reply

    def wait_line(self, regex, timeout):
        end = time.time() + timeout
        while time.time() < end:
            for line in self.lines:
                if re.search(regex, line):
                    return line
            if self.proc.poll() is not None and not self.reader.is_alive():
                return None
            time.sleep(0.01)
        return None

    def status(self):
        return self.cmd('query-status')['return']['status']

    def finish(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(5)
        self.stderr = self.proc.stderr.read().decode(errors='replace')
        if os.environ.get('MIG_DEBUG'):
            sys.stderr.write(self.stderr)
        return self.proc.returncode

    def migration_statuses(self):
        return [e['data']['status'] for e in self.events if e['event'] == 'MIGRATION']


def rounds(lines):
    return [int(m.group(1)) for m in (re.search(r': round (\d+) ', l) for l in lines) if m]


def checksum(lines):
    found = [l for l in lines if ': checksum ' in l]
    return found[-1].split(': checksum ')[1] if found else None


# The reference: the same program, not migrated.
ref = subprocess.run(base, stdin=subprocess.DEVNULL, capture_output=True, timeout=limit)
ref_lines = ref.stdout.decode(errors='replace').replace('\r', '').split('\n')
ref_sum = checksum(ref_lines)
check(ref.returncode == 0 and ref_sum, 'unmigrated run ends with a checksum (%s)' % ref_sum)

dst = None
if mode == 'exec':
    uri = 'exec:cat > %s' % os.path.join(tmp, 'state')
elif mode == 'unix':
    # Started with -S, then cont while it waits: it must run once loaded (QEMU 7.2).
    uri = 'unix:' + os.path.join(tmp, 'mig.sock')
    dst = Guest('dst', ['-S', '-incoming', uri])
    reply = dst.cmd('cont')
    check(reply.get('return') == {} and dst.status() == 'inmigrate',
          'cont while inmigrate is accepted and waits for the stream (%s)' % reply)
else:
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    uri = 'tcp:127.0.0.1:%d' % port
    dst = Guest('dst', ['-incoming', uri])
if dst:
    check(dst.status() == 'inmigrate', 'destination waits in inmigrate')

src = Guest('src', [])
seen = src.wait_line(r': round %d ' % after, limit)
check(seen, 'source reached round %d' % after)
reply = src.cmd('migrate', {'uri': uri})
check(reply.get('return') == {}, 'migrate %s: %s' % (uri, reply))
end = time.time() + limit
info = {}
while time.time() < end:
    info = src.cmd('query-migrate')['return']
    if info.get('status') in ('completed', 'failed'):
        break
    time.sleep(0.05)
check(info.get('status') == 'completed', 'source query-migrate completed (%s)' % info.get('status'))
check(info.get('ram', {}).get('total') == 1 << 30 and info.get('total-time', -1) >= 0,
      'query-migrate reports the RAM and times')
check(src.status() == 'postmigrate', 'source stays stopped in postmigrate')
check(src.migration_statuses() == ['setup', 'active', 'completed'],
      'source MIGRATION events setup, active, completed (%s)' % src.migration_statuses())
src.cmd('quit')
src.finish(10)
check(ref_sum not in '\n'.join(src.lines) or not ref_sum,
      'the source did not finish the computation itself')

if mode == 'exec':
    dst = Guest('dst', ['-incoming', 'exec:cat %s' % os.path.join(tmp, 'state')])
deadline = time.time() + limit
first = dst.wait_line(r': round ', limit)
check(first and dst.status() == 'running', 'destination runs after the load')
line = dst.wait_line(r': checksum ', max(0, deadline - time.time()))
dst_sum = checksum(dst.lines)
check(dst_sum == ref_sum, 'destination checksum %s equals the unmigrated one %s' % (dst_sum, ref_sum))
# The guest may be stopped mid-line: the console goes on where the source's ended.
both = b''.join(src.raw + dst.raw).decode(errors='replace').replace('\r', '').split('\n')
check(rounds(both) == rounds(ref_lines) and rounds(src.lines) and rounds(dst.lines),
      'source then destination print every round once, in order (source to %s)' %
      rounds(src.lines)[-1:])
if mode != 'exec':
    check(dst.migration_statuses()[-1:] == ['completed'],
          'destination MIGRATION completed (%s)' % dst.migration_statuses())
# No checksum in time: the guest is lost (a fault loop, a hang); do not wait longer.
status = dst.finish(limit if line else 1)
check(status == 0, 'destination exit status 0 (got %s)' % status)
check(any(re.match(r'^%s: [1-9][0-9]* checks, 0 failed$' % re.escape(name), l) for l in dst.lines),
      'destination summary line with 0 failed')

print('1..%d' % len(checks))
for i, (ok, what) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
sys.exit(0 if all(ok for ok, _ in checks) else 1)

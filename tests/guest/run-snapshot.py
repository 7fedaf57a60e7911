#!/usr/bin/env python3
# savevm mid-run, run on, loadvm: the guest finishes as an unsnapshotted run does;
# then -loadvm at start, and delvm; qemu-img check and snapshot -l after each. TAP.
# Usage: run-snapshot.py QEMU IMAGE NAME
# The program prints "NAME: round N ..." lines and a "checksum" line (migwork.c).
# The VM is saved once round AFTER (GUEST_SNAPSHOT_AFTER, default 20) is printed and
# loaded again after round AFTER + 15.  Environment: GUEST_TIMEOUT (default 60),
# GUEST_EXTRA (more options for every run, e.g. -sandbox).
# The console is a byte stream that loadvm does not cut: a line is sent in 16-byte
# hypercalls, so the guest may be stopped in the middle of one (for savevm and for loadvm
# alike), and the restored guest's first bytes then finish the line the running guest had
# begun ("migwork: round 4" + "1 sum <round 21's sum>" reads as round 41).  So the output is
# compared as bytes with the unsnapshotted run's: the part before the restart is a prefix
# of it, the part after a suffix of it, and -loadvm prints exactly that suffix.
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

qemu, image, name = sys.argv[1:4]
limit = float(os.environ.get('GUEST_TIMEOUT', '60'))
after = int(os.environ.get('GUEST_SNAPSHOT_AFTER', '20'))
tmp = tempfile.mkdtemp()
disk = os.path.join(tmp, 'disk.qcow2')
base = [qemu, '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display', 'none',
        '-serial', 'stdio', '-bios', image] + shlex.split(os.environ.get('GUEST_EXTRA', ''))
drive = ['-drive', 'file=%s,if=none,id=drive0,format=qcow2' % disk]
checks = []


def check(ok, what):
    checks.append((bool(ok), what))


class Guest:
    """A running emulator: its console lines (a thread reads them) and a QMP socket."""

    def __init__(self, tag, opts):
        self.qmp_path = os.path.join(tmp, tag + '.qmp')
        self.lines = []
        self.raw = []  # the console's bytes, line by line as read
        self.proc = subprocess.Popen(
            base + drive + ['-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path] + opts,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._type_q, daemon=True).start()
        self.sock = None
        end = time.time() + 10
        while self.sock is None and time.time() < end and self.proc.poll() is None:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.qmp_path)
                self.sock = s
            except OSError:
                time.sleep(0.02)
        if self.sock:
            self.f = self.sock.makefile('r')
            self.f.readline()
            self.cmd('qmp_capabilities')

    def _type_q(self):
        """migwork waits for a 'q' on its console after its rounds: keep typing one."""
        while self.proc.poll() is None:
            try:
                self.proc.stdin.write(b'q')
                self.proc.stdin.flush()
            except OSError:
                return
            time.sleep(0.3)

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
            reply = json.loads(self.f.readline())
            if 'event' not in reply:
                return reply

    def hmp(self, line):
        return self.cmd('human-monitor-command', {'command-line': line}).get('return')

    def wait_line(self, regex, timeout, start=0):
        end = time.time() + timeout
        while time.time() < end:
            for line in self.lines[start:]:
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
        return self.proc.returncode


def rounds(lines):
    return [int(m.group(1)) for m in (re.search(r': round (\d+) ', l) for l in lines) if m]


def rounds_before(out, pos):
    """How many whole round lines out[:pos] holds: the round the guest prints next."""
    return len(rounds(out[:pos].decode(errors='replace').split('\n')[:-1]))


def where(out, pos):
    """'round N, K bytes into its line': where a guest stopped at out[:pos] goes on."""
    return 'round %d, %d bytes into its line' % (rounds_before(out, pos),
                                                 pos - out.rfind(b'\n', 0, pos) - 1)


def common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def checksum(lines):
    found = [l for l in lines if ': checksum ' in l]
    return found[-1].split(': checksum ')[1] if found else None


def img(*args):
    r = subprocess.run(['qemu-img'] + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def image_clean(what):
    rc, out = img('check', '-U', disk)
    check(rc == 0 and 'No errors were found' in out, 'qemu-img check clean %s (%d %s)' %
          (what, rc, out.strip().split('\n')[0]))


def listed(tags, what):
    rc, out = img('snapshot', '-U', '-l', disk)
    found = [l.split()[1] for l in out.split('\n')[2:] if l.strip()]
    check(rc == 0 and found == tags, 'qemu-img snapshot -l %s lists %s (%s)' % (what, tags, found))


ref = subprocess.run(base, input=b'q', capture_output=True, timeout=limit)
ref_out = ref.stdout
ref_lines = ref_out.decode(errors='replace').replace('\r', '').split('\n')
ref_sum = checksum(ref_lines)
check(ref.returncode == 0 and ref_sum, 'unsnapshotted run ends with a checksum (%s)' % ref_sum)
subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', disk, '64M'], check=True)

# savevm mid-run; the guest runs on; loadvm takes it back; it finishes right.
g = Guest('a', [])
check(g.wait_line(r': round %d ' % after, limit), 'guest reached round %d' % after)
reply = g.hmp('savevm snap1')
check(reply == '' and g.status() == 'running',
      'savevm snap1 replies nothing and the guest runs on (%r)' % reply)
image_clean('after savevm')
listed(['snap1'], 'after savevm')
info = g.hmp('info snapshots')
check(re.search(r'^--\s+snap1\s+[0-9.]+ [KMG]iB ', info or '', re.M),
      'info snapshots lists snap1 with its VM state size (%r)' % info)
check(g.wait_line(r': round %d ' % (after + 15), limit), 'guest went on to round %d' % (after + 15))
mark = len(g.lines)
reply = g.hmp('loadvm snap1')
# loadvm resets the machine: QEMU 7.2 prints that reset's TCG capability warnings to the
# monitor (tests/cli/test-tcg-caps.sh checks which), nothing else.
rest = re.sub(r"warning: TCG doesn't support requested feature, cap-[a-z-]+=[a-z-]+\r?\n", '',
              reply or 'None')
check(rest == '' and g.status() == 'running',
      'loadvm snap1 replies nothing but the reset\'s TCG warnings, guest runs (%r)' % reply)
line = g.wait_line(r': checksum ', limit, mark)
status = g.finish(limit if line else 1)
# The whole console: the unsnapshotted run's first `stop` bytes (where loadvm stopped the
# guest, which may be inside a line), then its bytes from `snap` on (where savevm stopped
# it), once.  Where both stops came after the same bytes ("\nmigwork: round ") the cut
# could be anywhere among them: from the common tail's start to the common prefix's end;
# a line's start is taken when there is one.
out_a = b''.join(g.raw)
head = common_prefix(out_a, ref_out)
lo = len(out_a) - common_prefix(out_a[::-1], ref_out[::-1])
stop = next((k for k in range(lo, head + 1) if out_a[k - 1:k] == b'\n'), lo)
snap = len(ref_out) - (len(out_a) - stop)
ok = (lo <= head and 0 <= snap < stop and out_a[stop:] == ref_out[snap:] and
      rounds_before(ref_out, snap) > after and rounds_before(ref_out, head) > after + 15)
check(ok, 'after loadvm the console goes on once from where savevm stopped the guest (%s), '
      'before it the unsnapshotted run\'s up to where loadvm did (%s)' %
      (where(ref_out, snap), where(ref_out, stop)))
check(checksum(g.lines[mark:]) == ref_sum,
      'checksum after loadvm %s equals the unsnapshotted one %s' %
      (checksum(g.lines[mark:]), ref_sum))
check(status == 0, 'exit status 0 (got %s)' % status)
image_clean('after the run')
listed(['snap1'], 'after the run')

# -loadvm: a new process starts from the snapshot.
g = Guest('b', ['-loadvm', 'snap1'])
line = g.wait_line(r': checksum ', limit)
status = g.finish(limit if line else 1)
out_b = b''.join(g.raw)
check(out_b and out_a.endswith(out_b) and ref_out.endswith(out_b) and
      common_prefix(out_a, ref_out) >= len(out_a) - len(out_b),
      '-loadvm snap1 prints what loadvm\'s restart did, from the same byte (%s; loadvm: %s)' %
      (where(ref_out, len(ref_out) - len(out_b)), where(ref_out, snap)))
check(checksum(g.lines) == ref_sum, 'checksum with -loadvm %s equals %s' %
      (checksum(g.lines), ref_sum))
check(status == 0, '-loadvm run exit status 0 (got %s)' % status)
image_clean('after the -loadvm run')

# Errors, then delvm.
g = Guest('c', ['-S'])
reply = g.hmp('loadvm nope')
check(reply == "Error: Snapshot 'nope' does not exist in one or more devices\r\n",
      'loadvm of a missing tag: QEMU 7.2\'s error (%r)' % reply)
reply = g.hmp('delvm snap1')
check(reply == '', 'delvm snap1 replies nothing (%r)' % reply)
reply = g.hmp('info snapshots')
check(reply == 'There is no snapshot available.\r\n', 'info snapshots: none left (%r)' % reply)
g.cmd('quit')
g.finish(10)
image_clean('after delvm')
listed([], 'after delvm')
r = subprocess.run(base + drive + ['-loadvm', 'snap1'], capture_output=True, text=True,
                   timeout=limit)
check(r.returncode == 1 and r.stderr.endswith(
    "qemu-system-ppc64: Snapshot 'snap1' does not exist in one or more devices\n"),
    '-loadvm of a deleted tag: exit 1 and QEMU 7.2\'s error (%d %r)' % (r.returncode, r.stderr))

print('1..%d' % len(checks))
for i, (ok, what) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
sys.exit(0 if all(ok for ok, _ in checks) else 1)

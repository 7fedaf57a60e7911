#!/usr/bin/env python3
"""The functional suite: Debian 12's ppc64el kernel booted to a busybox /init on a pseries
machine (ours or Debian's QEMU 7.2), with VOF or SLOF; prints TAP. Also times the boot
for `make bench`.

  functest.py run --qemu Q --build DIR --case CASE --firmware vof|slof [--oracle]
  functest.py bench --qemu OURS --oracle-qemu QEMU --build DIR
"""

import argparse
import gzip
import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import fcntl
import hashlib
import http.server
import json
import secrets
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

# A machine whose console stays silent this long (seconds) is stuck: Linux and SLOF print
# all along, and so does /init until it idles.
QUIET = 60

# The checks /init must report ok (init.sh), every boot.
INIT_CHECKS = ['cpuinfo-power9', 'cpuinfo-timebase', 'cpuinfo-platform',
               'interrupts-xics-vty', 'vio-vty', 'vio-vty-name', 'vio-nvram',
               'pci-phb-node', 'pci-bus']

# ---- the initramfs: a newc cpio archive written here, gzip-compressed ----


def cpio_entry(ino, name, mode, data=b'', rdev=(0, 0)):
    """One newc ("070701") record: a header of 13 hex fields, the NUL-terminated name
    and the data, each padded to 4 bytes."""
    nameb = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0, len(data), 0, 0,
              rdev[0], rdev[1], len(nameb), 0]
    head = b'070701' + b''.join(b'%08x' % f for f in fields)
    rec = head + nameb
    rec += b'\0' * (-len(rec) % 4)
    rec += data
    rec += b'\0' * (-len(rec) % 4)
    return rec


# The virtio modules /init loads for the virtio cases (Debian builds them as modules),
# in dependency order, from the kernel package's /lib/modules.
VIRTIO_MODULES = ['drivers/virtio/virtio_ring', 'drivers/virtio/virtio',
                  'drivers/virtio/virtio_pci_modern_dev', 'drivers/virtio/virtio_pci_legacy_dev',
                  'drivers/virtio/virtio_pci', 'drivers/block/virtio_blk',
                  'drivers/char/hw_random/virtio-rng', 'net/core/failover',
                  'drivers/net/net_failover', 'drivers/net/virtio_net']



def build_initramfs(out, busybox, fpcheck, modules=()):
    entries = []

    def add(name, mode, data=b'', rdev=(0, 0)):
        entries.append(cpio_entry(len(entries) + 1, name, mode, data, rdev))

    for d in ['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/sbin', 'lib',
              'lib/modules']:
        add(d, 0o040755)
    # Kernel modules /init loads by hand (insmod /lib/modules/NAME.ko).
    for path in modules:
        with open(path, 'rb') as f:
            add('lib/modules/' + os.path.basename(path), 0o100644, f.read())
    add('dev/console', 0o020600, rdev=(5, 1))
    with open(busybox, 'rb') as f:
        add('bin/busybox', 0o100755, f.read())
    # The programs the kernel may run before /init installed the applet links.
    for link in ['bin/sh', 'bin/false']:
        add(link, 0o120777, b'busybox')
    with open(os.path.join(HERE, 'init.sh'), 'rb') as f:
        add('init', 0o100755, f.read())
    with open(os.path.join(HERE, 'poweroff.sh'), 'rb') as f:
        add('sbin/poweroff', 0o100755, f.read())
    with open(fpcheck, 'rb') as f:
        add('bin/fpcheck', 0o100755, f.read())
    # The order /init loads the virtio modules in (init.sh).
    add('lib/modules/virtio-order', 0o100644,
        ''.join(os.path.basename(m) + '\n' for m in VIRTIO_MODULES).encode())
    entries.append(cpio_entry(0, 'TRAILER!!!', 0))
    tmp = out + '.tmp'
    with gzip.open(tmp, 'wb', compresslevel=6) as f:
        f.write(b''.join(entries))
    os.replace(tmp, out)


def fetch_assets():
    """vmlinux and busybox paths from fetch-assets.sh (downloads them the first time)."""
    r = subprocess.run(['sh', os.path.join(HERE, 'fetch-assets.sh')], stdout=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        raise SystemExit('functest: fetching the kernel and busybox failed (see above)')
    paths = dict(line.split(' ', 1) for line in r.stdout.splitlines() if ' ' in line)
    return paths['vmlinux'], paths['busybox'], paths['modules']


def prepare(build):
    """Kernel and initramfs for a run; the initramfs is rebuilt when an input is newer."""
    vmlinux, busybox, moddir = fetch_assets()
    fpcheck = os.path.join(build, 'fpcheck-ppc64le')
    if not os.path.exists(fpcheck):
        raise SystemExit('functest: %s is missing (powerpc64le-linux-gnu-gcc with '
                         'libc6-dev-ppc64el-cross builds it)' % fpcheck)
    out = os.path.join(build, 'initramfs.cpio.gz')
    modules = kernel_modules(vmlinux, moddir)
    inputs = [busybox, fpcheck, os.path.join(HERE, 'init.sh'),
              os.path.join(HERE, 'poweroff.sh'), os.path.abspath(__file__)] + modules
    with open(os.path.join(build, 'initramfs.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (not os.path.exists(out) or
                os.path.getmtime(out) < max(os.path.getmtime(p) for p in inputs)):
            build_initramfs(out, busybox, fpcheck, modules)
    return vmlinux, out


# The modules the initramfs carries, from the kernel package unpacked beside vmlinux.
MODULES = (['kernel/drivers/net/ethernet/ibm/ibmveth.ko'] +
           ['kernel/' + m + '.ko' for m in VIRTIO_MODULES])


def kernel_modules(vmlinux, root):
    version = os.path.basename(vmlinux)[len('vmlinux-'):]
    paths = [os.path.join(root, 'lib', 'modules', version, m) for m in MODULES]
    for p in paths:
        if not os.path.exists(p):
            raise SystemExit('functest: %s is missing from the kernel package' % p)
    return paths


# ---- running a machine ----


class Machine:
    """One emulator process: its console (stdin/stdout) line by line, QMP, wall time
    and peak RSS."""

    def __init__(self, qemu, firmware, oracle, kernel, initrd, append, extra, tmpdir):
        self.qmp_path = os.path.join(tmpdir, 'qmp.sock')
        # XICS on both: ours has no XIVE yet, and QEMU's default (dual) gives Linux XIVE.
        machine = 'pseries,ic-mode=xics' + (',x-vof=on' if firmware == 'vof' else '')
        self.cmd = [qemu, '-M', machine, '-m', '1G', '-nodefaults', '-nographic',
                    '-display', 'none', '-serial', 'stdio',
                    '-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path,
                    '-kernel', kernel, '-initrd', initrd, '-append', append] + extra
        if oracle:
            self.cmd += ['-accel', 'tcg']
        self.lines = []
        self.stamps = []
        self.last_line = None
        self.newline = threading.Condition()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.status = None
        self.timed_out = None
        self.rss_kib = None
        self.wall = None
        self.stderr = b''
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.errq = queue.Queue()
        threading.Thread(target=lambda: self.errq.put(self.proc.stderr.read()),
                         daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode('utf-8', 'replace').rstrip('\r\n').replace('\r', '')
            with self.newline:
                self.last_line = time.monotonic()
                self.lines.append(line)
                self.stamps.append(self.last_line - self.t0)
                self.newline.notify_all()
        with self.newline:
            self.newline.notify_all()

    def wait_line(self, pattern, count=1, timeout=60):
        """Waits until COUNT console lines match PATTERN; False on timeout, exit, or a
        console silent for QUIET seconds."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        with self.newline:
            while True:
                if sum(1 for ln in self.lines if rx.search(ln)) >= count:
                    return True
                left = end - time.monotonic()
                since = time.monotonic() - (self.last_line or self.t0)
                if left <= 0 or since >= QUIET or not self.reader.is_alive():
                    return False
                self.newline.wait(min(left, 0.5))

    def type(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def qmp(self, *commands):
        """Runs QMP commands (name or (name, arguments)); returns their answers, or
        one {"error": ...} each when QMP cannot be reached or answers garbage."""
        try:
            return self._qmp(commands)
        except (OSError, ValueError) as e:
            return [{'error': {'desc': 'QMP: %s' % e}}] * len(commands)

    def _qmp(self, commands):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(self.qmp_path)
        f = s.makefile('rw')
        json.loads(f.readline())
        answers = []
        for c in ('qmp_capabilities',) + commands:
            name, args = (c, None) if isinstance(c, str) else c
            msg = {'execute': name}
            if args:
                msg['arguments'] = args
            f.write(json.dumps(msg) + '\n')
            f.flush()
            while True:
                a = json.loads(f.readline())
                if 'return' in a or 'error' in a:
                    answers.append(a)
                    break
        s.close()
        return answers[1:]

    def alive(self):
        """Whether the emulator still runs (without reaping it: wait() does, for the
        peak RSS)."""
        if self.proc.returncode is not None:
            return False
        return os.waitid(os.P_PID, self.proc.pid,
                         os.WEXITED | os.WNOHANG | os.WNOWAIT) is None

    def quiet_for(self):
        """Seconds since the console last printed a line (or since the start)."""
        with self.newline:
            if self.last_line is None:
                return time.monotonic() - self.t0
            return time.monotonic() - self.last_line

    def wait(self, timeout, quiet=None):
        """Waits for the exit; kills on timeout, or when the console stayed silent for
        QUIET seconds (status None). Records the wall time and peak RSS."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and (quiet is None or self.quiet_for() < quiet):
            pid, st, ru = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.wall = time.monotonic() - self.t0
                self.status = os.waitstatus_to_exitcode(st)
                self.rss_kib = ru.ru_maxrss
                self.proc.returncode = self.status
                break
            time.sleep(0.02)
        else:
            self.proc.kill()
            self.proc.wait()
            self.timed_out = 'no exit within %d s' % timeout
            if time.monotonic() < end:
                self.timed_out = 'the console printed nothing for %d s' % quiet
        self.reader.join(5)
        try:
            self.stderr = self.errq.get(timeout=5).decode('utf-8', 'replace')
        except queue.Empty:
            pass
        return self.status


# ---- what the guest printed, checked against the host ----


def shell_sum():
    s = 0
    for n in range(2000):
        s = (s * 31 + n * n + (n ^ 0x5a5a)) % 1000000007
    return s


def ordered(bits, width):
    """IEEE bits as an integer that orders like the value (for ulp distances)."""
    sign = 1 << (width - 1)
    return -(bits & (sign - 1)) if bits & sign else bits


def compare_fpcheck(guest, host):
    """Problems between the guest's fpcheck lines and the host's; [] when they agree."""
    problems = []
    if len(guest) != len(host):
        problems.append('%d result lines, the host has %d' % (len(guest), len(host)))
    for g, h in zip(guest, host):
        gk, hk = g.split(), h.split()
        if len(gk) != 3 or gk[:2] != hk[:2]:
            if g != h:
                problems.append('guest %r, host %r' % (g, h))
            continue
        if gk[0] == 'libm':
            width = 4 * (len(hk[2]) - 2)
            d = abs(ordered(int(gk[2], 16), width) - ordered(int(hk[2], 16), width))
            if d > 1:
                problems.append('%s: guest %s, host %s (%d ulp)' % (gk[1], gk[2], hk[2], d))
        elif gk[2] != hk[2]:
            problems.append('%s: guest %s, host %s' % (gk[1], gk[2], hk[2]))
    return problems


def section(lines, name):
    try:
        a = lines.index('FUNCTEST %s-begin' % name)
        b = lines.index('FUNCTEST %s-end' % name)
    except ValueError:
        return None
    return lines[a + 1:b]


class Tap:
    def __init__(self, label):
        self.label = label
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=''):
        self.n += 1
        if cond:
            print('ok %d - %s: %s' % (self.n, self.label, what))
        else:
            self.failed += 1
            print('not ok %d - %s: %s%s' % (self.n, self.label, what,
                                            (': ' + detail) if detail else ''))
        return cond

    def end(self):
        print('1..%d' % self.n)
        return 1 if self.failed else 0


def check_boot(tap, lines, host_fp, boot_no=1):
    """The checks of one pass through /init (the BOOT_NO-th in the log)."""
    starts = [i for i, ln in enumerate(lines) if ln.startswith('FUNCTEST start')]
    if not tap.ok(len(starts) >= boot_no, 'boot %d reached /init' % boot_no,
                  'last console lines: %r' % lines[-5:]):
        return
    lo = starts[boot_no - 1]
    hi = starts[boot_no] if boot_no < len(starts) else len(lines)
    part = lines[lo:hi]
    for name in INIT_CHECKS:
        good = 'FUNCTEST ok ' + name in part
        bad = [ln for ln in part if ln.startswith('FUNCTEST not-ok ' + name)]
        tap.ok(good and not bad, 'boot %d: /init check %s' % (boot_no, name),
               bad[0] if bad else 'not reported')
    res = {ln.split()[2]: ln.split()[3] for ln in part
           if ln.startswith('FUNCTEST result ') and len(ln.split()) == 4}
    tap.ok(res.get('shell-sum') == str(shell_sum()), 'boot %d: shell integer work' % boot_no,
           'guest %s, host %d' % (res.get('shell-sum'), shell_sum()))
    fp = section(part, 'fpcheck')
    if fp is None:
        tap.ok(False, 'boot %d: static libm program ran' % boot_no, 'no fpcheck output')
        return
    status = [ln for ln in fp if ln.startswith('FUNCTEST fpcheck-status')]
    fp = [ln for ln in fp if not ln.startswith('FUNCTEST')]
    tap.ok(status == ['FUNCTEST fpcheck-status 0'] and fp[-1:] == ['fpcheck done'],
           'boot %d: static libm program exits 0' % boot_no, '%r' % status)
    problems = compare_fpcheck(fp, host_fp)
    tap.ok(not problems, 'boot %d: libm program results equal the host\'s' % boot_no,
           '; '.join(problems[:4]))


# Each case: the /init mode, more emulator options, and the time limit (seconds).
CASES = {
    'boot': ('boot', ['-no-reboot'], 120),
    'reboot': ('reboot', [], 180),
    'reboot-noreboot': ('reboot', ['-no-reboot'], 120),
    'powerdown': ('idle', ['-no-reboot'], 120),
    'nmi': ('idle', ['-no-reboot'], 120),
    'panic-noreboot': ('panic', ['-no-reboot'], 120),
    'panic-noshutdown': ('panic', ['-no-shutdown'], 120),
    'net-vlan': ('net', ['-no-reboot'], 180),
    'smp4': ('smp4', ['-no-reboot', '-smp', '4'], 240),
    'smp4-threads2': ('smp4', ['-no-reboot', '-smp', '4,threads=2'], 240),
    # A virtio-blk disk from -drive if=virtio (the image is made per run), and virtio-rng.
    'virtio-blk-raw': ('virtio-blk', ['-no-reboot'], 120),
    'virtio-blk-qcow2': ('virtio-blk', ['-no-reboot'], 120),
    'virtio-rng': ('virtio-rng', ['-no-reboot', '-device', 'virtio-rng-pci'], 120),
}


class HostNet:
    """The host side of the network case: an HTTP server on loopback serving host.txt
    (a fresh token), and a free loopback port for the guest's hostfwd."""

    def __init__(self, tmpdir):
        self.token = 'token-' + secrets.token_hex(8)
        self.dir = os.path.join(tmpdir, 'www')
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, 'host.txt'), 'w') as f:
            f.write(self.token + '\n')
        handler = lambda *a, **k: QuietHandler(*a, directory=self.dir, **k)
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.fwd_port = s.getsockname()[1]

    def nic(self):
        return ['-nic', 'user,model=spapr-vlan,hostfwd=tcp:127.0.0.1:%d-:8080' % self.fwd_port]

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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# What /init checks in the SMP mode, besides the checks of every boot.
SMP_CHECKS = ['smp-cpuinfo-count', 'smp-online-all', 'smp-parallel', 'smp-offline',
              'smp-offline-cpuinfo', 'smp-online-again', 'smp-parallel-again']

# What the host puts at the start of a virtio-blk disk for the guest to read.
DISK_HEAD = 'HOST-WROTE-THIS-0123456789abcdef'
DISK_SIZE = 16 << 20


def make_disk(tmpdir, fmt):
    """A DISK_SIZE image holding DISK_HEAD at 0, raw or converted to qcow2 by qemu-img."""
    raw = os.path.join(tmpdir, 'disk.raw')
    with open(raw, 'wb') as f:
        f.write(DISK_HEAD.encode())
        f.truncate(DISK_SIZE)
    if fmt == 'raw':
        return raw
    img = os.path.join(tmpdir, 'disk.qcow2')
    subprocess.run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', raw, img], check=True)
    os.unlink(raw)
    return img


def disk_bytes(tmpdir, img, fmt):
    """The guest-visible contents of the image after the run."""
    if fmt == 'qcow2':
        out = os.path.join(tmpdir, 'after.raw')
        subprocess.run(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', img, out],
                       check=True)
        img = out
    with open(img, 'rb') as f:
        return f.read()

PANIC_LINE = r'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100'


def run_case(args):
    mode, extra, limit = CASES[args.case]
    label = '%s-%s%s' % (args.case, args.firmware, '-oracle' if args.oracle else '')
    tap = Tap(label)
    os.makedirs(args.build, exist_ok=True)
    vmlinux, initrd = prepare(args.build)
    host_fp = subprocess.run([os.path.join(args.build, 'fpcheck-host')], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.splitlines()
    append = 'console=hvc0 functest=%s' % mode
    if mode == 'panic':
        append += ' rdinit=/bin/false'
    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        net = None
        if mode == 'net':
            net = HostNet(tmpdir)
            append += ' functest.port=%d' % net.port
            extra = extra + net.nic()
        disk = None
        if args.case.startswith('virtio-blk-'):
            fmt = args.case.split('-')[-1]
            disk = (make_disk(tmpdir, fmt), fmt, tmpdir)
            extra = extra + ['-drive', 'file=%s,if=virtio,format=%s' % disk[:2]]
        m = Machine(args.qemu, args.firmware, args.oracle, vmlinux, initrd, append, extra,
                    tmpdir)
        m.disk = disk
        try:
            if net:
                play_net(tap, m, net, limit, host_fp)
            else:
                play(tap, m, args.case, limit, host_fp)
        finally:
            if m.proc.returncode is None:
                m.wait(1)
            if net:
                net.close()
        if os.environ.get('FUNCTEST_LOG'):
            with open(os.environ['FUNCTEST_LOG'], 'w') as f:
                f.write('\n'.join(m.lines) + '\n')
        if tap.failed:
            sys.stdout.write('# command: %s\n' % ' '.join(m.cmd))
            for ln in m.lines[-40:]:
                sys.stdout.write('# console: %s\n' % ln)
            for ln in m.stderr.splitlines()[-10:]:
                sys.stdout.write('# stderr: %s\n' % ln)
    return tap.end()


def ended(m, status):
    """How the run ended, for a failure message."""
    return m.timed_out or 'exit status %s' % status


def results(lines):
    """The FUNCTEST result NAME VALUE lines: {NAME: VALUE} (VALUE may hold spaces)."""
    out = {}
    for ln in lines:
        if ln.startswith('FUNCTEST result '):
            parts = ln.split(' ', 3)
            out[parts[2]] = parts[3] if len(parts) > 3 else ''
    return out


def play_virtio_blk(tap, m, limit):
    st = m.wait(limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0 within %d s' % limit, ended(m, st))
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load and /dev/vda appears', '%r' % bad)
    tap.ok('FUNCTEST ok vda' in m.lines, '/dev/vda is there')
    res = results(m.lines)
    tap.ok(res.get('vda-size') == str(DISK_SIZE // 512), 'the disk has %d sectors'
           % (DISK_SIZE // 512), '%r' % res.get('vda-size'))
    tap.ok(res.get('vda-head') == DISK_HEAD, 'the guest reads what the host wrote',
           '%r' % res.get('vda-head'))
    tap.ok(res.get('big-written') and res.get('big-written') == res.get('big-read'),
           'the guest reads back 1 MiB it wrote', '%r' % res)
    img, fmt, tmpdir = m.disk
    if fmt == 'qcow2':
        r = subprocess.run(['qemu-img', 'check', img], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        tap.ok(r.returncode == 0, 'qemu-img check is clean', r.stdout.strip()[-200:])
    data = disk_bytes(tmpdir, img, fmt)
    want = 'GUEST-WROTE-THIS-%d\n' % (DISK_SIZE // 512)
    tap.ok(data[4096:4096 + len(want)] == want.encode(),
           'the image holds the sector the guest wrote', '%r' % data[4096:4096 + 32])
    tap.ok(data[4096 + len(want):4096 + 512] == bytes(512 - len(want)),
           'the rest of that sector is zero-padded')
    md5 = hashlib.md5(data[1 << 20:2 << 20]).hexdigest()
    tap.ok(md5 == res.get('big-written'), 'the image holds the 1 MiB the guest wrote',
           'image %s, guest %r' % (md5, res.get('big-written')))
    tap.ok(data[:len(DISK_HEAD)] == DISK_HEAD.encode(), 'the first sector is unchanged')


def play_virtio_rng(tap, m, limit):
    st = m.wait(limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0 within %d s' % limit, ended(m, st))
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load and /dev/hwrng appears', '%r' % bad)
    res = results(m.lines)
    tap.ok(res.get('rng-current', '').startswith('virtio_rng'),
           'the hwrng is virtio_rng', '%r' % res.get('rng-current'))
    tap.ok(res.get('rng-bytes', '').strip() == '256', '/dev/hwrng gives 256 bytes',
           '%r' % res.get('rng-bytes'))
    # 256 random bytes take about 162 distinct values; fewer than 100 means no randomness.
    distinct = int(res.get('rng-distinct', '0').strip() or 0)
    tap.ok(distinct >= 100, 'the bytes look random (%d distinct of 256)' % distinct)


def play(tap, m, case, limit, host_fp):
    if case.startswith('virtio-blk-'):
        play_virtio_blk(tap, m, limit)
    elif case == 'virtio-rng':
        play_virtio_rng(tap, m, limit)
    elif case == 'boot' or case.startswith('smp'):
        st = m.wait(limit, QUIET)
        tap.ok(st == 0, 'powers off with exit status 0 within %d s' % limit, ended(m, st))
        check_boot(tap, m.lines, host_fp)
        tap.ok('FUNCTEST powering off' in m.lines, '/init reached poweroff')
        tap.ok(any('reboot: Power down' in ln for ln in m.lines), 'Linux says "Power down"')
        for name in SMP_CHECKS if case.startswith('smp') else []:
            bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok ' + name)]
            tap.ok('FUNCTEST ok ' + name in m.lines and not bad, '/init check ' + name,
                   bad[0] if bad else 'not reported')
    elif case in ('reboot', 'reboot-noreboot'):
        if tap.ok(m.wait_line('^FUNCTEST reboot-ask$', 1, limit), 'first boot asks'):
            m.type('reboot\n')
        if case == 'reboot':
            if tap.ok(m.wait_line('^FUNCTEST reboot-ask$', 2, limit), 'second boot asks'):
                m.type('poweroff\n')
        st = m.wait(limit, QUIET)
        tap.ok(st == 0, 'exits with status 0', ended(m, st))
        boots = sum(1 for ln in m.lines if ln.startswith('FUNCTEST start'))
        want = 2 if case == 'reboot' else 1
        tap.ok(boots == want, 'Linux booted %d time(s)' % want, '%d boots' % boots)
        restarts = sum(1 for ln in m.lines if 'reboot: Restarting system' in ln)
        tap.ok(restarts == 1, 'Linux restarted once', '%d times' % restarts)
        for i in range(1, boots + 1):
            check_boot(tap, m.lines, host_fp, i)
        if case == 'reboot':
            tap.ok(any('reboot: Power down' in ln for ln in m.lines),
                   'Linux says "Power down" after the second boot')
    elif case == 'powerdown':
        if tap.ok(m.wait_line('^FUNCTEST idle$', 1, limit), '/init is idle'):
            time.sleep(0.5)
            a = m.qmp('system_powerdown')
            tap.ok(a == [{'return': {}}], 'QMP system_powerdown answers {}', '%r' % a)
        st = m.wait(60, QUIET)
        tap.ok(st == 0, 'exits with status 0 after system_powerdown', ended(m, st))
        tap.ok('FUNCTEST /sbin/poweroff called' in m.lines,
               'Linux ran /sbin/poweroff (orderly power-off on the EPOW event)')
        tap.ok(any('reboot: Power down' in ln for ln in m.lines), 'Linux says "Power down"')
        check_boot(tap, m.lines, host_fp)
    elif case == 'panic-noreboot':
        seen = m.wait_line(re.escape(PANIC_LINE), 1, limit)
        tap.ok(seen, 'the console shows the panic: ' + PANIC_LINE)
        st = m.wait(30)
        tap.ok(st == 0, 'exits with status 0 (ibm,os-term, -no-reboot)', ended(m, st))
        tap.ok(not any(ln.startswith('FUNCTEST start') for ln in m.lines), '/init never ran')
    elif case == 'panic-noshutdown':
        seen = m.wait_line(re.escape(PANIC_LINE), 1, limit)
        tap.ok(seen, 'the console shows the panic: ' + PANIC_LINE)
        a = None
        for _ in range(100 if seen else 1):
            a = m.qmp('query-status')[0]
            if a.get('return', {}).get('status') != 'running':
                break
            time.sleep(0.2)
        tap.ok(a.get('return', {}).get('status') == 'guest-panicked',
               'QMP query-status says guest-panicked', '%r' % a)
        time.sleep(1)
        tap.ok(m.alive(), 'the emulator stays (-no-shutdown)')
        m.qmp('quit')
        st = m.wait(30)
        tap.ok(st == 0, 'QMP quit ends it with status 0', ended(m, st))


def play_net(tap, m, net, limit, host_fp):
    """spapr-vlan on user networking: lease, guest-to-host HTTP, host-to-guest hostfwd."""
    serving = m.wait_line('^FUNCTEST net-serving$', 1, limit)
    tap.ok(serving, '/init brought eth0 up and serves HTTP')
    got = net.fetch_guest(30) if serving else 'the guest never served'
    tap.ok(got == 'guest-got-' + net.token,
           'the host fetches the guest\'s file through hostfwd', got)
    m.type('done\n')
    st = m.wait(60, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0', ended(m, st))
    res = {ln.split()[2]: ' '.join(ln.split()[3:]) for ln in m.lines
           if ln.startswith('FUNCTEST result net-')}
    for name in ['net-ibmveth-module', 'net-eth0', 'net-dhcp']:
        bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok ' + name)]
        tap.ok('FUNCTEST ok ' + name in m.lines and not bad, '/init check ' + name,
               bad[0] if bad else 'not reported')
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
    check_boot(tap, m.lines, host_fp)


def boot_once(qemu, oracle, firmware, vmlinux, initrd, host_fp, limit):
    """One functional boot for the benchmark: (wall seconds, peak RSS KiB) when it
    powered off with every check passing, else a one-line reason."""
    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        m = Machine(qemu, firmware, oracle, vmlinux, initrd, 'console=hvc0 functest=boot',
                    ['-no-reboot'], tmpdir)
        st = m.wait(limit, QUIET)
        if st is None:
            return m.timed_out
        if st != 0:
            err = m.stderr.strip().splitlines()
            return 'exit status %d: %s' % (st, err[-1] if err else '')
        with open(os.devnull, 'w') as null:
            out = sys.stdout
            sys.stdout = null
            tap = Tap('bench')
            check_boot(tap, m.lines, host_fp)
            sys.stdout = out
        if tap.failed:
            return '%d of the /init checks failed' % tap.failed
        # When the first timestamped kernel line came (firmware, prom_init and early boot
        # are over by then)
        # and when /init started.
        first = next((i for i, ln in enumerate(m.lines) if re.match(r'\[ *0\.0', ln)), 0)
        at_init = m.stamps[m.lines.index('FUNCTEST start mode=boot')]
        return m.wall, m.rss_kib, m.stamps[first], at_init


def bench(args):
    """`make bench`: the functional boot timed on Debian's QEMU and on ours, VOF and SLOF,
    best of RUNS, with the peak RSS of the best run."""
    vmlinux, initrd = prepare(args.build)
    host_fp = subprocess.run([os.path.join(args.build, 'fpcheck-host')], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.splitlines()
    print('== Linux boot: start to power-off of the functional boot (Debian %s, busybox '
          '/init with its checks), best of %d wall-clock runs' %
          (os.path.basename(vmlinux).replace('vmlinux-', ''), args.runs))
    for firmware in ['vof', 'slof']:
        print('%s:' % ('x-vof=on' if firmware == 'vof' else 'SLOF (default firmware)'))
        best = {}
        limit = 300
        for tag, qemu, oracle in [('QEMU 7.2 TCG', args.oracle_qemu, True),
                                  ('ours', args.qemu, False)]:
            results = []
            for _ in range(args.runs):
                r = boot_once(qemu, oracle, firmware, vmlinux, initrd, host_fp, limit)
                if not isinstance(r, tuple):
                    print('  %-13s FAILED: %s' % (tag + ':', r))
                    break
                results.append(r)
            else:
                wall, rss, at_linux, at_init = min(results)
                best[tag] = (wall, rss)
                print('  %-13s %.3f s  peak RSS %.1f MiB  (first kernel log line at '
                      '%.3f s, /init at %.3f s)' % (tag + ':', wall, rss / 1024, at_linux,
                                                    at_init))
                if oracle:
                    limit = int(wall * 10) + 10
        if len(best) == 2:
            (ow, orss), (qw, qrss) = best['ours'], best['QEMU 7.2 TCG']
            print('  ratio ours/QEMU: time %.2f, peak RSS %.2f (below 1: ours is better)' %
                  (ow / qw, orss / qrss))
        else:
            print('  ratio ours/QEMU: n/a')
    return 0


def selftest(args):
    """The suite's own checks, without an emulator: the comparison of fpcheck results
    rejects what it must, and cpio(1) reads the initramfs writer's archive back."""
    tap = Tap('selftest')
    host = ['int crc32 0x0000000059016a9e', 'libm sin.0 0x3fdeaee8744b05f0',
            'exact sqrt.0 0x3fe6a09e667f3bcd', 'libm sinf.0 0x3ef57744',
            'fpcheck done']

    def change(i, text):
        return host[:i] + [text] + host[i + 1:]

    tap.ok(compare_fpcheck(host, host) == [], 'equal results agree')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0x3fdeaee8744b05f1'), host) == [],
           'a libm result 1 ulp away agrees')
    tap.ok(compare_fpcheck(change(3, 'libm sinf.0 0x3ef57743'), host) == [],
           'a float libm result 1 ulp away agrees')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0x3fdeaee8744b05f2'), host) != [],
           'a libm result 2 ulp away differs')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0xbfdeaee8744b05f0'), host) != [],
           'a libm result of the other sign differs')
    tap.ok(compare_fpcheck(change(2, 'exact sqrt.0 0x3fe6a09e667f3bcc'), host) != [],
           'an exact result 1 ulp away differs')
    tap.ok(compare_fpcheck(change(0, 'int crc32 0x0000000059016a9f'), host) != [],
           'an integer result differs')
    tap.ok(compare_fpcheck(host[:-1], host) != [], 'a missing line differs')
    tap.ok(compare_fpcheck(change(1, 'libm cos.0 0x3fdeaee8744b05f0'), host) != [],
           'another name differs')

    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        fake = {}
        for name in ['busybox', 'fpcheck']:
            fake[name] = os.path.join(tmpdir, name)
            with open(fake[name], 'wb') as f:
                f.write(name.encode() * 333 + b'\0\1\2')
        out = os.path.join(tmpdir, 'initramfs.cpio.gz')
        build_initramfs(out, fake['busybox'], fake['fpcheck'])
        with gzip.open(out) as f:
            archive = f.read()
        listing = subprocess.run(['cpio', '-t', '-v', '--quiet'], input=archive,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        tap.ok(listing.returncode == 0, 'cpio -t reads the archive',
               listing.stderr.decode(errors='replace').strip())
        names = {}
        for line in listing.stdout.decode().splitlines():
            f = line.split()
            if len(f) >= 9:
                names[f[8] if f[0][0] != 'c' else f[-1]] = f[0]
        want = {'init': '-rwxr-xr-x', 'bin/busybox': '-rwxr-xr-x', 'bin/fpcheck': '-rwxr-xr-x',
                'sbin/poweroff': '-rwxr-xr-x', 'bin/sh': 'lrwxrwxrwx',
                'bin/false': 'lrwxrwxrwx', 'dev/console': 'crw-------', 'proc': 'drwxr-xr-x'}
        for name, mode in want.items():
            tap.ok(names.get(name) == mode, 'the archive holds %s as %s' % (name, mode),
                   'listed as %r' % names.get(name))
        dest = os.path.join(tmpdir, 'x')
        os.mkdir(dest)
        r = subprocess.run(['cpio', '-i', '-d', '--quiet', '--no-absolute-filenames',
                            'bin/fpcheck', 'init'], input=archive, cwd=dest,
                           stderr=subprocess.PIPE)
        same = r.returncode == 0
        for got, src in [('bin/fpcheck', fake['fpcheck']),
                         ('init', os.path.join(HERE, 'init.sh'))]:
            try:
                with open(os.path.join(dest, got), 'rb') as a, open(src, 'rb') as b:
                    same = same and a.read() == b.read()
            except OSError:
                same = False
        tap.ok(same, 'cpio -i gives back the files\' contents',
               r.stderr.decode(errors='replace').strip())
    return tap.end()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--qemu', required=True)
    r.add_argument('--build', required=True)
    r.add_argument('--case', required=True, choices=sorted(CASES))
    r.add_argument('--firmware', required=True, choices=['vof', 'slof'])
    r.add_argument('--oracle', action='store_true')
    b = sub.add_parser('bench')
    b.add_argument('--qemu', required=True)
    b.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    b.add_argument('--build', required=True)
    b.add_argument('--runs', type=int, default=3)
    p = sub.add_parser('prepare', help='print the kernel and initramfs paths (make run-linux)')
    p.add_argument('--build', required=True)
    t = sub.add_parser('selftest')
    t.add_argument('--build')
    args = ap.parse_args()
    if args.cmd == 'selftest':
        return selftest(args)
    if args.cmd == 'prepare':
        vmlinux, initrd = prepare(args.build)
        print('vmlinux=%s initrd=%s' % (shlex.quote(vmlinux), shlex.quote(initrd)))
        return 0
    for q in [args.qemu] + ([args.oracle_qemu] if args.cmd == 'bench' else []):
        if not os.access(q, os.X_OK):
            print('functest: %s is missing or not executable' % q)
            return 1
    if args.cmd == 'run':
        return run_case(args)
    if args.cmd == 'bench':
        return bench(args)
    return 2


if __name__ == '__main__':
    sys.exit(main())

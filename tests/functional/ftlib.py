"""What every functional case shares: the initramfs, the kernel and busybox from
fetch-assets.sh, one emulator run (Machine), TAP output, and the checks /init reports on
every boot.  The cases themselves are in cases/*.py (see cases/__init__.py)."""

import fcntl
import gzip
import os
import queue
import re
import socket
import subprocess
import threading
import time
import json

HERE = os.path.dirname(os.path.abspath(__file__))

# A machine whose console stays silent this long (seconds) is stuck: Linux and SLOF print
# all along, and so does /init until it idles.  GUEST_TIMEOUT_SCALE (make check-tsan
# sets it: ThreadSanitizer runs the emulator 5 to 15 times slower) stretches it.
SCALE = max(1, int(os.environ.get('GUEST_TIMEOUT_SCALE', '1')))
QUIET = 60 * SCALE

# The checks /init must report ok (init.sh), every boot.
INIT_CHECKS = ['cpuinfo-power9', 'cpuinfo-timebase', 'cpuinfo-platform',
               'interrupts-xics-vty', 'vio-vty', 'vio-vty-name', 'vio-nvram',
               'pci-phb-node', 'pci-bus']


class Case:
    """One functional case: the /init mode (functest= on the kernel command line; the
    guest side is init.sh or a cases/*.sh fragment), more emulator options, the time
    limit in seconds, and PLAY(tap, machine, ctx), which drives the run and checks it.
    SETUP(ctx), when given, runs before the machine starts (in ctx.tmpdir) and may add to
    ctx.extra and ctx.append; CLEANUP(ctx) runs after.  FIRMWARES and ORACLE say where the
    case is registered (meson asks `functest.py list`)."""

    def __init__(self, mode, extra, limit, play, setup=None, cleanup=None,
                 firmwares=('vof', 'slof'), oracle=True, append='', boot='kernel'):
        self.mode = mode
        # 'kernel': -kernel/-initrd/-append (the suite's initramfs); 'disk': the firmware
        # boots what the setup put in ctx.extra (SLOF -> a disk's boot loader).
        self.boot = boot
        self.extra = extra
        self.limit = limit
        self.play = play
        self.setup = setup
        self.cleanup = cleanup
        self.firmwares = firmwares
        self.oracle = oracle
        self.append = append


class Ctx:
    """What a case's SETUP and PLAY get: the case name, the firmware, whether this is the
    oracle, the build directory, a temporary directory, the emulator options and kernel
    command line being built, the host's fpcheck lines and the time limit.  Setups
    keep their own state on it as attributes."""

    def __init__(self, name, case, args, tmpdir, host_fp):
        self.name = name
        self.case = case
        self.firmware = args.firmware
        self.oracle = args.oracle
        self.build = args.build
        self.tmpdir = tmpdir
        self.extra = list(case.extra)
        self.append = 'console=hvc0 functest=%s' % case.mode + (
            ' ' + case.append if case.append else '')
        self.host_fp = host_fp
        # A slow emulator (valgrind, make check-valgrind) gets GUEST_TIMEOUT_SCALE times
        # the case's time limit too.
        self.limit = case.limit * SCALE


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


def build_initramfs(out, busybox, fpcheck, modules=(), orders=None, fragments=()):
    """The initramfs: busybox and its applet links, /init (init.sh) and the cases'
    fragments in /lib/functest, /sbin/poweroff, fpcheck, and the kernel MODULES flat in
    /lib/modules with ORDERS ({name: [module stems]}) as /lib/modules/NAME.order."""
    entries = []

    def add(name, mode, data=b'', rdev=(0, 0)):
        entries.append(cpio_entry(len(entries) + 1, name, mode, data, rdev))

    def add_file(name, mode, path):
        with open(path, 'rb') as f:
            add(name, mode, f.read())

    for d in ['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/sbin', 'lib',
              'lib/modules', 'lib/functest']:
        add(d, 0o040755)
    # Kernel modules /init loads by hand (insmod /lib/modules/NAME.ko), in the orders
    # the cases give.
    for path in modules:
        add_file('lib/modules/' + os.path.basename(path), 0o100644, path)
    for name, stems in sorted((orders or {}).items()):
        add('lib/modules/%s.order' % name, 0o100644, ''.join(s + '\n' for s in stems).encode())
    add('dev/console', 0o020600, rdev=(5, 1))
    add_file('bin/busybox', 0o100755, busybox)
    # The programs the kernel may run before /init installed the applet links.
    for link in ['bin/sh', 'bin/false']:
        add(link, 0o120777, b'busybox')
    add_file('init', 0o100755, os.path.join(HERE, 'init.sh'))
    for path in fragments:
        add_file('lib/functest/' + os.path.basename(path), 0o100644, path)
    add_file('sbin/poweroff', 0o100755, os.path.join(HERE, 'poweroff.sh'))
    add_file('bin/fpcheck', 0o100755, fpcheck)
    entries.append(cpio_entry(0, 'TRAILER!!!', 0))
    tmp = out + '.tmp'
    with gzip.open(tmp, 'wb', compresslevel=6) as f:
        f.write(b''.join(entries))
    os.replace(tmp, out)


def fetch_assets(modules=()):
    """vmlinux, busybox and the directory holding MODULES (paths under the kernel's
    lib/modules/VERSION/kernel, without .ko) from fetch-assets.sh, which downloads and
    unpacks them the first time."""
    r = subprocess.run(['sh', os.path.join(HERE, 'fetch-assets.sh')] + list(modules),
                       stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit('functest: fetching the kernel and busybox failed (see above)')
    paths = dict(line.split(' ', 1) for line in r.stdout.splitlines() if ' ' in line)
    return paths['vmlinux'], paths['busybox'], paths['modules']


def prepare(build):
    """Kernel and initramfs for a run (with every case's modules and /init fragments);
    the initramfs is rebuilt when an input is newer."""
    import cases
    orders = cases.module_orders()
    stems = [m for ms in orders.values() for m in ms]
    wanted = list(dict.fromkeys(stems))
    vmlinux, busybox, moddir = fetch_assets(wanted)
    fpcheck = os.path.join(build, 'fpcheck-ppc64le')
    if not os.path.exists(fpcheck):
        raise SystemExit('functest: %s is missing (powerpc64le-linux-gnu-gcc with '
                         'libc6-dev-ppc64el-cross builds it)' % fpcheck)
    out = os.path.join(build, 'initramfs.cpio.gz')
    version = os.path.basename(vmlinux)[len('vmlinux-'):]
    modules = [os.path.join(moddir, 'lib', 'modules', version, 'kernel', m + '.ko')
               for m in wanted]
    for p in modules:
        if not os.path.exists(p):
            raise SystemExit('functest: %s is missing from the kernel package' % p)
    base = {os.path.basename(m) for m in wanted}
    if len(base) != len(wanted):
        raise SystemExit('functest: two kernel modules with one name in %r' % wanted)
    short = {name: [os.path.basename(m) for m in ms] for name, ms in orders.items()}
    fragments = cases.fragments()
    inputs = [busybox, fpcheck, os.path.join(HERE, 'init.sh'),
              os.path.join(HERE, 'poweroff.sh'), os.path.abspath(__file__)] + modules + \
        fragments + cases.sources()
    with open(os.path.join(build, 'initramfs.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (not os.path.exists(out) or
                os.path.getmtime(out) < max(os.path.getmtime(p) for p in inputs)):
            build_initramfs(out, busybox, fpcheck, modules, short, fragments)
    return vmlinux, out


# ---- running a machine ----


class Machine:
    """One emulator process: its console (stdin/stdout) line by line, QMP, wall time
    and peak RSS."""

    def __init__(self, qemu, firmware, oracle, kernel, initrd, append, extra, tmpdir):
        """KERNEL None: no -kernel, -initrd, -append (the firmware boots from a disk);
        the console is then cut into lines at carriage returns too, without escape
        sequences, as boot loaders draw their menus."""
        self.qmp_path = os.path.join(tmpdir, 'qmp.sock')
        # XICS on both: ours has no XIVE yet, and QEMU's default (dual) gives Linux XIVE.
        machine = 'pseries,ic-mode=xics' + (',x-vof=on' if firmware == 'vof' else '')
        self.cmd = [qemu, '-M', machine, '-m', '1G', '-nodefaults', '-nographic',
                    '-display', 'none', '-serial', 'stdio',
                    '-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path]
        if kernel:
            self.cmd += ['-kernel', kernel, '-initrd', initrd, '-append', append]
        self.cmd += extra
        self.menus = kernel is None
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
        self.cpu = None
        self.wall = None
        self.stderr = b''
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.errq = queue.Queue()
        threading.Thread(target=lambda: self.errq.put(self.proc.stderr.read()),
                         daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            text = raw.decode('utf-8', 'replace')
            if self.menus:
                # A menu redraws with escape sequences and bare carriage returns: a line
                # is what lies between any two of \r, \n and form feed.
                text = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', ' ', text)
                parts = [p.rstrip() for p in re.split(r'[\r\n\x0c]', text) if p.strip()]
            else:
                parts = [text.rstrip('\r\n').replace('\r', '')]
            with self.newline:
                self.last_line = time.monotonic()
                for line in parts:
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
        QUIET seconds (status None). Records the wall time, the CPU time (user + system,
        every thread) and the peak RSS."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and (quiet is None or self.quiet_for() < quiet):
            pid, st, ru = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.wall = time.monotonic() - self.t0
                self.status = os.waitstatus_to_exitcode(st)
                self.rss_kib = ru.ru_maxrss
                self.cpu = ru.ru_utime + ru.ru_stime
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
        # A case that checked nothing is a failure, not a skip.
        if self.n == 0:
            self.ok(False, 'the case made its checks', 'nothing was checked')
        print('1..%d' % self.n)
        return 1 if self.failed else 0


# A kernel message on the console: timestamp, text, newline.
PRINTK = re.compile(r'\[ *[0-9]+\.[0-9]{6}\] [^\n]*\n')


def without_printk(lines):
    """The console lines with kernel messages cut out.  With several CPUs the kernel
    may print in the middle of a line /init is writing ("FUNCTEST ok inter[ 2.31]
    nvram: ...\nrupts-xics-vty"); cutting each message with its newline gives the
    line back whole."""
    return PRINTK.sub('', '\n'.join(lines) + '\n').split('\n')[:-1]


def check_boot(tap, lines, host_fp, boot_no=1):
    """The checks of one pass through /init (the BOOT_NO-th in the log)."""
    starts = [i for i, ln in enumerate(lines) if ln.startswith('FUNCTEST start')]
    if not tap.ok(len(starts) >= boot_no, 'boot %d reached /init' % boot_no,
                  'last console lines: %r' % lines[-5:]):
        return
    lo = starts[boot_no - 1]
    hi = starts[boot_no] if boot_no < len(starts) else len(lines)
    part = without_printk(lines[lo:hi])
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




def check_init(tap, lines, names):
    """Each of NAMES reported ok by /init (check in init.sh) and never not-ok."""
    for name in names:
        bad = [ln for ln in lines if ln.startswith('FUNCTEST not-ok ' + name)]
        tap.ok('FUNCTEST ok ' + name in lines and not bad, '/init check ' + name,
               bad[0] if bad else 'not reported')


def powers_off(tap, m, limit):
    """Waits for the power-off /init asks for; checks the exit status."""
    st = m.wait(limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0 within %d s' % limit, ended(m, st))
    return st

#!/usr/bin/env python3
# libvirt end to end: a private libvirtd (its own config, socket and state under a
# temporary directory, run as an unprivileged user) drives this build's
# qemu-system-ppc64 through domcapabilities, define/start of a pseries domain with
# Debian's kernel and a busybox initramfs, the pty console, QMP and HMP monitor
# commands, suspend/resume, shutdown (EPOW), reboot, destroy and undefine.  TAP output.
# With --migrate: two private libvirtds (each its own root, socket and host UUID), the
# domain started on the first and moved to the second by `virsh migrate --live`; its
# console answers there with its state carried over, and it is gone from the first.
# --modes p2p,tunnelled,unix,managed: the same domain goes back and forth, one
# migration per mode, each checked the same way.
import argparse
import glob
import gzip
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = ['libvirt-daemon', 'libvirt-daemon-driver-qemu', 'libvirt-clients']

# ---- TAP ---------------------------------------------------------------------

tap_n = 0
tap_failed = 0


def ok(cond, what, detail=''):
    global tap_n, tap_failed
    tap_n += 1
    if cond:
        print('ok %d - %s' % (tap_n, what), flush=True)
    else:
        tap_failed += 1
        print('not ok %d - %s' % (tap_n, what), flush=True)
        for line in str(detail).splitlines()[-30:]:
            print('# ' + line, flush=True)
    return cond


def note(text):
    for line in text.splitlines():
        print('# ' + line, flush=True)


def bail(why):
    print('Bail out! ' + why, flush=True)
    sys.exit(1)

# ---- The guest: Debian's kernel and a busybox initramfs -------------------------


INIT = b'''#!/bin/busybox sh
# /init of the libvirt test guest: answers each console line with the vCPU count.
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox --install -s
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "LVGUEST ready"
n=0
while true; do
    read -r line || sleep 1
    n=$((n + 1))
    echo "LVGUEST echo $line cpus=$(grep -c ^processor /proc/cpuinfo) n=$n"
done
'''

# What Linux runs for an orderly power-off (the EPOW event of system_powerdown).
POWEROFF = b'''#!/bin/busybox sh
echo "LVGUEST poweroff" >/dev/console
exec /bin/busybox poweroff -f
'''


def newc(ino, name, mode, data=b'', rdev=(0, 0)):
    """A newc cpio record: 13 hex header fields, the name and the data, 4-byte aligned."""
    nm = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(nm), 0]
    rec = b'070701' + b''.join(b'%08x' % f for f in fields) + nm
    rec += b'\0' * (-len(rec) % 4) + data
    return rec + b'\0' * (-len(rec) % 4)


def make_initramfs(path, busybox):
    recs = []

    def add(*a, **k):
        recs.append(newc(len(recs) + 1, *a, **k))

    for d in ['bin', 'sbin', 'dev', 'proc', 'sys']:
        add(d, 0o040755)
    add('dev/console', 0o020600, rdev=(5, 1))
    with open(busybox, 'rb') as f:
        add('bin/busybox', 0o100755, f.read())
    add('bin/sh', 0o120777, b'busybox')
    add('init', 0o100755, INIT)
    add('sbin/poweroff', 0o100755, POWEROFF)
    recs.append(newc(0, 'TRAILER!!!', 0))
    with gzip.open(path, 'wb', compresslevel=6) as f:
        f.write(b''.join(recs))


def fetch_assets():
    script = os.path.join(HERE, '..', 'functional', 'fetch-assets.sh')
    r = subprocess.run(['sh', script], stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        bail('fetching the kernel and busybox failed (tests/functional/fetch-assets.sh)')
    paths = dict(line.split(' ', 1) for line in r.stdout.splitlines() if ' ' in line)
    return paths['vmlinux'], paths['busybox']

# ---- libvirt: packages, a private daemon, virsh ----------------------------------


def ensure_packages():
    if shutil.which('virsh') and os.path.exists('/usr/sbin/libvirtd'):
        return
    sudo = [] if os.geteuid() == 0 else ['sudo', '-n']
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    cmd = sudo + ['apt-get', 'install', '-y', '-q', '--no-install-recommends'] + PACKAGES
    if subprocess.run(cmd, env=env, stdout=sys.stderr).returncode != 0:
        subprocess.run(sudo + ['apt-get', 'update', '-q'], env=env, stdout=sys.stderr)
        if subprocess.run(cmd, env=env, stdout=sys.stderr).returncode != 0:
            bail('cannot install %s (run as root or with sudo -n)' % ' '.join(PACKAGES))
    if not (shutil.which('virsh') and os.path.exists('/usr/sbin/libvirtd')):
        bail('virsh or libvirtd missing after installing %s' % ' '.join(PACKAGES))


class Libvirt:
    """libvirtd in session mode with every directory under one private root."""

    def __init__(self, root, host_uuid=None):
        self.root = root
        # As root, the daemon runs as nobody: no system-wide state is touched.
        self.drop = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam('nobody')
            self.drop = ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid,
                         '--clear-groups', '--']
        self.env = dict(os.environ, HOME=root + '/home', XDG_CONFIG_HOME=root + '/config',
                        XDG_CACHE_HOME=root + '/cache', XDG_RUNTIME_DIR=root + '/run',
                        XDG_DATA_HOME=root + '/data', LC_ALL='C')
        for d in ['home', 'config/libvirt', 'cache', 'run', 'data']:
            os.makedirs(os.path.join(root, d), exist_ok=True)
        os.chmod(root + '/run', 0o700)
        self.log = root + '/libvirtd.log'
        with open(root + '/config/libvirt/libvirtd.conf', 'w') as f:
            f.write('log_filters="1:qemu.qemu_monitor 3:*"\n')
            f.write('log_outputs="1:file:%s"\n' % self.log)
            # Two daemons on one host migrate between each other only when their host
            # UUIDs differ (libvirt refuses a migration "to the same host").
            if host_uuid:
                f.write('host_uuid="%s"\n' % host_uuid)
        if self.drop:
            pw = pwd.getpwnam('nobody')
            for dirpath, dirnames, filenames in os.walk(root):
                for n in [dirpath] + [os.path.join(dirpath, x) for x in filenames]:
                    os.chown(n, pw.pw_uid, pw.pw_gid)
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.drop + ['/usr/sbin/libvirtd'], env=self.env,
                                     stdout=open(self.root + '/daemon.out', 'w'),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        sock = self.root + '/run/libvirt/libvirt-sock'
        for _ in range(300):
            if os.path.exists(sock) or self.proc.poll() is not None:
                break
            time.sleep(0.1)
        return os.path.exists(sock)

    def uri(self):
        """A URI naming this daemon from anywhere (another daemon, another user's virsh)."""
        return 'qemu+unix:///session?socket=%s/run/libvirt/libvirt-sock' % self.root

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        # libvirtd leaves its domains running when it exits: end any QEMU it started (its
        # pid file is under this root, and so are paths on its command line).
        for pidfile in glob.glob(self.root + '/run/libvirt/qemu/**/*.pid', recursive=True):
            try:
                pid = int(open(pidfile).read().strip())
                with open('/proc/%d/cmdline' % pid, 'rb') as f:
                    mine = self.root.encode() in f.read()
                if mine:
                    os.kill(pid, signal.SIGKILL)
                    note('killed QEMU %d left by the daemon under %s' % (pid, self.root))
            except (OSError, ValueError):
                pass

    def virsh(self, *args, timeout=120):
        try:
            r = subprocess.run(self.drop + ['virsh', '-q', '-c', 'qemu:///session'] + list(args),
                               env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=timeout)
            return r.returncode, r.stdout.strip(), r.stderr.strip()
        except subprocess.TimeoutExpired:
            return -1, '', 'virsh %s: timed out after %d s' % (' '.join(args), timeout)

    def domstate(self, name):
        return self.virsh('domstate', name)[1]

    def wait_state(self, name, state, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if self.domstate(name) == state:
                return True
            time.sleep(0.5)
        return False

    def qemu_log(self, name):
        path = self.root + '/cache/libvirt/qemu/log/%s.log' % name
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ''

# ---- The console ------------------------------------------------------------


class Console:
    """Reads the domain's pty in a thread; lines typed are answered by the guest's /init."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        self.buf = b''
        self.lock = threading.Lock()
        self.done = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.done:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                data = b''
            if not data:
                time.sleep(0.05)
                continue
            with self.lock:
                self.buf += data

    def text(self):
        with self.lock:
            return self.buf.decode(errors='replace')

    def ask(self, word, timeout):
        """Type word until the guest echoes it; its reply line, or None."""
        end = time.time() + timeout
        pat = re.compile(r'LVGUEST echo %s cpus=(\d+) n=(\d+)' % re.escape(word))
        while time.time() < end:
            try:
                os.write(self.fd, (word + '\r').encode())
            except OSError:
                pass
            step = time.time() + 2
            while time.time() < min(step, end):
                m = pat.search(self.text())
                if m:
                    return m
                time.sleep(0.1)
        return None

    def ask_cpus(self, n, timeout):
        """Ask until the guest reports n processors; False after timeout seconds."""
        end = time.time() + timeout
        k = 0
        while time.time() < end:
            k += 1
            m = self.ask('cpus%d-%d' % (n, k), max(1, end - time.time()))
            if m and int(m.group(1)) == n:
                return True
            time.sleep(1)
        return False

    def wait_for(self, text, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.text():
                return True
            time.sleep(0.2)
        return False

    def close(self):
        self.done = True
        self.thread.join(2)
        os.close(self.fd)

# ---- QMP traffic in libvirtd's log -------------------------------------------------


def qmp_traffic(log):
    """The commands libvirt sent, in order: [name, 'return' / error class / None]."""
    pending, sent = {}, []
    for line in log.splitlines():
        m = re.search(r'QEMU_MONITOR_IO_WRITE: mon=(\w+) buf=(\{.*\})', line)
        if m:
            c = re.search(r'"execute":\s*"([^"]+)"', m.group(2))
            # The message's id is its last member (device_add's arguments have one too).
            i = re.findall(r'"id":\s*"([^"]+)"', m.group(2))
            if c and i:
                sent.append([c.group(1), None])
                pending[(m.group(1), i[-1])] = sent[-1]
            continue
        m = re.search(r'QEMU_MONITOR_RECV_REPLY: mon=(\w+) reply=(\{.*\})', line)
        i = re.search(r'"id":\s*"([^"]+)"', m.group(2)) if m else None
        if i and (m.group(1), i.group(1)) in pending:
            e = re.search(r'"error":\s*\{\s*"class":\s*"([^"]+)"', m.group(2))
            pending.pop((m.group(1), i.group(1)))[1] = e.group(1) if e else 'return'
    return sent


# ---- The test --------------------------------------------------------------------


DOMAIN = '''<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>512</memory>
  <vcpu{current}>{maxvcpus}</vcpu>
  <os>
    <type arch='ppc64' machine='pseries'>hvm</type>
    <kernel>{kernel}</kernel>
    <initrd>{initrd}</initrd>
    <cmdline>console=hvc0 quiet</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <devices>
    <emulator>{emulator}</emulator>
    <console type='pty'><target type='serial'/></console>
    <controller type='usb' model='none'/>
  </devices>
</domain>
'''


def console_path(lv, name):
    rc, out, err = lv.virsh('ttyconsole', name)
    return out if rc == 0 and out.startswith('/dev/') else None


def run_domain(lv, args, name, vcpus, kernel, initrd, timeout):
    xml = os.path.join(lv.root, name + '.xml')
    with open(xml, 'w') as f:
        # The SMP domain has room for one more vCPU: virsh setvcpus --live plugs a core.
        f.write(DOMAIN.format(name=name, maxvcpus=vcpus + (vcpus > 1),
                              current=" current='%d'" % vcpus if vcpus > 1 else '',
                              kernel=kernel, initrd=initrd, emulator=args.qemu))
    rc, out, err = lv.virsh('define', xml)
    if not ok(rc == 0, '%s: define' % name, out + err):
        return
    t0 = time.time()
    rc, out, err = lv.virsh('start', name)
    latency = time.time() - t0
    log = lv.qemu_log(name)
    m = re.search(r'^(LC_ALL=.*?)^(?:char device|\d{4}-)', log, re.M | re.S)
    note('QEMU command line libvirt generated for %s:\n%s' %
         (name, m.group(1).strip() if m else log[:4000]))
    if not ok(rc == 0, '%s: start (%.2f s to running)' % (name, latency), out + err + log[-2000:]):
        lv.virsh('undefine', name)
        return
    ok(lv.domstate(name) == 'running', '%s: domstate running' % name, lv.domstate(name))
    pty = console_path(lv, name)
    if not ok(pty is not None, '%s: the serial console is a pty (%s)' % (name, pty)):
        lv.virsh('destroy', name)
        lv.virsh('undefine', name)
        return
    con = Console(pty)
    try:
        t0 = time.time()
        m = con.ask('ping1', timeout)
        ok(m is not None, '%s: the guest answers on the console (%.1f s)' % (name, time.time() - t0),
           con.text()[-3000:] + lv.qemu_log(name)[-2000:])
        ok(m is not None and int(m.group(1)) == vcpus, '%s: Linux sees %d vCPU(s)' % (name, vcpus),
           m.group(0) if m else '')
        rc, out, err = lv.virsh('qemu-monitor-command', name, '{"execute":"query-status"}')
        ok(rc == 0 and '"status":"running"' in out.replace(' ', ''),
           '%s: qemu-monitor-command query-status' % name, out + err)
        rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'info status')
        ok(rc == 0 and out == 'VM status: running', '%s: --hmp info status' % name, out + err)
        rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'info cpus')
        ok(rc == 0 and len(re.findall(r'CPU #\d+: thread_id=\d+', out)) == vcpus,
           '%s: --hmp info cpus lists %d vCPU(s)' % (name, vcpus), out + err)
        rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'info chardev')
        ok(rc == 0 and ('charserial0: filename=pty:' + pty) in out,
           '%s: --hmp info chardev shows the pty' % name, out + err)
        rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'bogus')
        ok(rc == 0 and "unknown command: 'bogus'" in out, '%s: --hmp unknown command' % name,
           out + err)
        # libvirt's default balloon (virtio-balloon-pci): its size, and a new target (the
        # guest has no balloon driver loaded, so the size stays).
        rc, out, err = lv.virsh('dommemstat', name)
        ok(rc == 0 and re.search(r'^actual 524288$', out, re.M),
           '%s: dommemstat shows the balloon (actual 512 MiB)' % name, out + err)
        rc, out, err = lv.virsh('setmem', name, '393216', '--live')
        ok(rc == 0, '%s: setmem --live sets the balloon target' % name, out + err)
        rc, out, err = lv.virsh('dommemstat', name)
        ok(rc == 0 and re.search(r'^actual 524288$', out, re.M),
           '%s: dommemstat after setmem' % name, out + err)

        rc, out, err = lv.virsh('suspend', name)
        ok(rc == 0 and lv.domstate(name) == 'paused', '%s: suspend' % name, out + err)
        rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'info status')
        ok(out == 'VM status: paused', '%s: --hmp info status while paused' % name, out + err)
        rc, out, err = lv.virsh('resume', name)
        ok(rc == 0 and lv.domstate(name) == 'running', '%s: resume' % name, out + err)
        ok(con.ask('ping2', 60) is not None, '%s: the guest runs on after resume' % name,
           con.text()[-2000:])

        if vcpus == 1:
            t0 = time.time()
            rc, out, err = lv.virsh('shutdown', name)
            down = rc == 0 and lv.wait_state(name, 'shut off', timeout)
            ok(down, '%s: shutdown: the guest powers off through EPOW (%.1f s)' %
               (name, time.time() - t0), out + err + con.text()[-2000:])
            ok(con.wait_for('LVGUEST poweroff', 5), '%s: Linux ran /sbin/poweroff' % name,
               con.text()[-2000:])
            rc, out, err = lv.virsh('start', name)
            ok(rc == 0 and lv.domstate(name) == 'running', '%s: starts again' % name, out + err)
        else:
            # CPU hot-plug: libvirt device_adds a spapr CPU core, Linux onlines it;
            # back down, it device_dels it and waits for DEVICE_DELETED.
            rc, out, err = lv.virsh('setvcpus', name, str(vcpus + 1), '--live')
            ok(rc == 0, '%s: setvcpus %d --live' % (name, vcpus + 1), out + err)
            ok(con.ask_cpus(vcpus + 1, 60), '%s: Linux onlines the plugged vCPU' % name,
               con.text()[-2000:])
            rc, out, err = lv.virsh('qemu-monitor-command', name, '--hmp', 'info cpus')
            ok(rc == 0 and len(re.findall(r'CPU #\d+: thread_id=\d+', out)) == vcpus + 1,
               '%s: --hmp info cpus lists %d vCPUs' % (name, vcpus + 1), out + err)
            rc, out, err = lv.virsh('setvcpus', name, str(vcpus), '--live')
            ok(rc == 0, '%s: setvcpus %d --live (unplug, DEVICE_DELETED)' % (name, vcpus),
               out + err)
            ok(con.ask_cpus(vcpus, 60), '%s: Linux gave the vCPU back' % name,
               con.text()[-2000:])
            rc, out, err = lv.virsh('vcpucount', name, '--live', '--active')
            ok(rc == 0 and out == str(vcpus), '%s: vcpucount --live is %d' % (name, vcpus),
               out + err)
            rc, out, err = lv.virsh('reboot', name)
            ok(rc == 0, '%s: reboot' % name, out + err)
            con.close()
            con = None
            pty = console_path(lv, name)
            con = Console(pty) if pty else None
            m = con.ask('ping3', timeout) if con else None
            ok(m is not None and lv.domstate(name) == 'running',
               '%s: the guest is back after reboot' % name,
               (con.text()[-2000:] if con else '') + lv.qemu_log(name)[-2000:])
    finally:
        if con:
            con.close()
    rc, out, err = lv.virsh('destroy', name)
    ok(rc == 0 and lv.domstate(name) == 'shut off', '%s: destroy' % name, out + err)
    rc, out, err = lv.virsh('undefine', name)
    ok(rc == 0 and name not in lv.virsh('list', '--all', '--name')[1].split(),
       '%s: undefine' % name, out + err)


def qemu_cmdline(lv, name):
    """The command line libvirt logged for the domain's QEMU (its last start)."""
    log = lv.qemu_log(name)
    found = re.findall(r'^(LC_ALL=.*?)^(?:char device|\d{4}-)', log, re.M | re.S)
    return found[-1].strip() if found else log[-4000:]


def migration_qmp(lv):
    """The QMP messages between libvirt and the migrated domain's QEMU, in order, from
    its log: the monitor that carried migrate or migrate-incoming, from its handshake on
    (the capability probe's QEMU before it is left out).  Long replies are cut,
    commands are whole."""
    with open(lv.log) as f:
        lines = f.read().splitlines()
    msgs = []
    for line in lines:
        m = re.search(r'QEMU_MONITOR_IO_WRITE: mon=(\w+) buf=(\{.*\})', line)
        if m:
            msgs.append((m.group(1), '-> ' + m.group(2)))
            continue
        m = re.search(r'QEMU_MONITOR_RECV_(?:REPLY|EVENT): mon=(\w+) (?:reply|event)=(\{.*\})',
                      line)
        if m:
            msgs.append((m.group(1), '<- ' + m.group(2)))
    mig = [i for i, (mon, text) in enumerate(msgs)
           if re.search(r'"execute":\s*"migrate(-incoming)?"', text)]
    if not mig:
        return []
    mon = msgs[mig[0]][0]
    start = max([i for i, (n, text) in enumerate(msgs[:mig[0]])
                 if n == mon and '"qmp_capabilities"' in text] or [0])
    return [text if len(text) < 300 or text.startswith('->') else text[:300] + ' ...'
            for n, text in msgs[start:] if n == mon]


def migration_times(lv):
    """total-time and downtime (ms) from the source's last query-migrate reply."""
    with open(lv.log) as f:
        done = re.findall(r'"status": "completed", "downtime": (\d+), .*?"total-time": (\d+)',
                          f.read())
    return (int(done[-1][1]), int(done[-1][0])) if done else (None, None)


def report_qmp(tag, lv):
    """Note the QMP traffic of one daemon; the commands sent with their results."""
    with open(lv.log) as f:
        sent = qmp_traffic(f.read())
    errors = {}
    for n, r in sent:
        if r not in (None, 'return'):
            errors.setdefault(n, set()).add(r)
    note('%s: libvirt sent %d QMP commands: %s' % (tag, len(sent), ' '.join(n for n, r in sent)))
    if errors:
        note('%s: commands answered with an error: %s' %
             (tag, ', '.join('%s (%s)' % (n, '/'.join(sorted(c)))
                             for n, c in sorted(errors.items()))))
    return sent, errors


def run_migration(src, dst, args, name, kernel, initrd, timeout, modes):
    xml = os.path.join(src.root, name + '.xml')
    with open(xml, 'w') as f:
        f.write(DOMAIN.format(name=name, maxvcpus=1, current='', kernel=kernel, initrd=initrd,
                              emulator=args.qemu))
    os.chmod(xml, 0o644)
    rc, out, err = src.virsh('define', xml)
    if not ok(rc == 0, '%s: define on the source daemon' % name, out + err):
        return
    rc, out, err = src.virsh('start', name)
    note('QEMU command line on the source:\n' + qemu_cmdline(src, name))
    if not ok(rc == 0, '%s: start on the source daemon' % name, out + err +
              src.qemu_log(name)[-2000:]):
        return
    pty = console_path(src, name)
    con = Console(pty) if pty else None
    t0 = time.time()
    before = con.ask('before1', timeout) if con else None
    ok(before is not None, '%s: the guest answers on the source console (%.1f s)' %
       (name, time.time() - t0), (con.text()[-3000:] if con else 'no pty') +
       src.qemu_log(name)[-2000:])
    if con:
        con.close()
    if before is None:
        return
    n_before = int(before.group(2))
    holder = src
    for i, mode in enumerate(modes):
        frm, to = (src, dst) if i % 2 == 0 else (dst, src)
        n_before = migrate_once(frm, to, name, mode, n_before)
        if n_before is None:
            return
        holder = to
    rc, out, err = holder.virsh('destroy', name)
    ok(rc == 0 and holder.domstate(name) == 'shut off', '%s: destroy on the daemon holding it' %
       name, out + err)
    rc, out, err = holder.virsh('undefine', name)
    ok(rc == 0, '%s: undefine on the daemon holding it' % name, out + err)


def migrate_command(src, dst, name, mode):
    """virsh's arguments for one migration mode (src's daemon is the one virsh talks to)."""
    cmd = ['migrate', '--live', '--verbose', '--persistent', '--undefinesource']
    if mode == 'managed':
        # Managed (client-driven): virsh talks to both daemons; the data goes over TCP
        # on the loopback, to a port the destination daemon picks and listens on.
        return cmd + [name, dst.uri(), '--migrateuri', 'tcp://127.0.0.1',
                      '--listen-address', '127.0.0.1']
    if mode == 'p2p':
        # Peer to peer: the source daemon itself connects to the destination daemon.
        return cmd + ['--p2p', name, dst.uri(), '--migrateuri', 'tcp://127.0.0.1',
                      '--listen-address', '127.0.0.1']
    if mode == 'tunnelled':
        # The data goes through the daemons' own connection: each QEMU gets one end of
        # a pipe from its daemon (migrate to and migrate-incoming from an fd).
        return cmd + ['--p2p', '--tunnelled', name, dst.uri()]
    if mode == 'unix':
        # Both QEMUs run as the same user; the destination listens on a unix socket in
        # a directory they can both reach.
        return cmd + [name, dst.uri(), '--migrateuri', 'unix://' + unix_socket_path(src)]
    raise ValueError(mode)


def unix_socket_path(lv):
    d = os.path.join(os.path.dirname(lv.root), os.path.basename(lv.root) + '-sock')
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    path = os.path.join(d, 'mig.sock')
    if os.path.exists(path):
        os.unlink(path)
    return path


def migrate_once(src, dst, name, mode, n_before):
    """Move the running domain from src's daemon to dst's by virsh migrate in one mode;
    the console's line count on dst (it continues from n_before), or None."""
    tag = '%s [%s]' % (name, mode)
    cmd = migrate_command(src, dst, name, mode)
    note('virsh -c %s %s' % (src.uri(), ' '.join(cmd)))
    t0 = time.time()
    rc, out, err = src.virsh(*cmd, timeout=600)
    took = time.time() - t0
    note('virsh migrate: exit %d after %.2f s; output: %s' % (rc, took, (out + ' ' + err).strip()))
    note('QEMU command line on the destination:\n' + qemu_cmdline(dst, name))
    migrated = ok(rc == 0, '%s: virsh migrate --live to the other daemon (%.2f s)' %
                  (tag, took), out + err + '\n' + dst.qemu_log(name)[-3000:] +
                  src.qemu_log(name)[-2000:])
    ok('-incoming defer' in qemu_cmdline(dst, name),
       '%s: the destination QEMU was started with -incoming defer' % tag,
       qemu_cmdline(dst, name))
    total, downtime = migration_times(src)
    note('migration time: %s ms in QEMU (query-migrate total-time), downtime %s ms; '
         'virsh migrate took %.2f s' % (total, downtime, took))
    if not migrated:
        return None
    ok(dst.domstate(name) == 'running', '%s: running on the other daemon' % tag,
       dst.domstate(name))
    listed = src.virsh('list', '--all', '--name')[1].split()
    ok(name not in listed, '%s: gone from the daemon it left' % tag, listed)
    rc, out, err = dst.virsh('list', '--persistent', '--name')
    ok(name in out.split(), '%s: defined (persistent) on the other daemon' % tag, out + err)
    rc, out, err = dst.virsh('qemu-monitor-command', name, '{"execute":"query-status"}')
    ok(rc == 0 and '"status":"running"' in out.replace(' ', ''),
       '%s: query-status on the destination QEMU is running' % tag, out + err)
    rc, out, err = dst.virsh('qemu-monitor-command', name, '{"execute":"query-migrate"}')
    ok(rc == 0 and '"status":"completed"' in out.replace(' ', ''),
       '%s: query-migrate on the destination says completed' % tag, out + err)

    # The console continues: the destination's pty reaches the same shell, whose line
    # counter goes on from where it was on the source (no reboot, its memory came over).
    pty = console_path(dst, name)
    if not ok(pty is not None, '%s: the destination has a pty console (%s)' % (tag, pty)):
        return None
    con = Console(pty)
    try:
        t0 = time.time()
        after = con.ask('after-' + mode, 120)
        ok(after is not None, '%s: the guest answers on the destination console (%.1f s)' %
           (tag, time.time() - t0), con.text()[-3000:] + dst.qemu_log(name)[-2000:])
        n_after = int(after.group(2)) if after else 0
        ok(after is not None and n_after > n_before and 'LVGUEST ready' not in con.text(),
           '%s: the shell continues (line %d before, %d after)' %
           (tag, n_before, n_after), con.text()[-2000:])
    finally:
        con.close()
    return n_after if after else None


def main_migrate(args, kernel, initrd):
    """Two private daemons; the domain moves from the first to the second."""
    roots = [tempfile.mkdtemp(prefix='libvirt-mig%d-' % i) for i in (1, 2)]
    for r in roots:
        os.chmod(r, 0o755)
    # Distinct, random host UUIDs (libvirt refuses a UUID whose digits are all the same).
    src, dst = [Libvirt(r, host_uuid=str(uuid.uuid4())) for r in roots]
    kcopy = os.path.join(roots[0], 'vmlinux')
    icopy = os.path.join(roots[0], 'initrd.gz')
    shutil.copyfile(kernel, kcopy)
    shutil.copyfile(initrd, icopy)
    os.chmod(kcopy, 0o644)
    os.chmod(icopy, 0o644)
    name = 'lvmig'
    try:
        if not ok(src.start() and dst.start(), 'two private libvirtds start'):
            for lv in (src, dst):
                note(open(lv.root + '/daemon.out').read())
            return
        run_migration(src, dst, args, name, kcopy, icopy, args.timeout, args.modes)
        note('QMP traffic of the source daemon (-> sent, <- received):')
        for line in migration_qmp(src):
            note(line)
        note('QMP traffic of the destination daemon:')
        for line in migration_qmp(dst):
            note(line)
        # libvirt turns pause-before-switchover on where QEMU lists it: the source then
        # stops in pre-switchover until libvirt sends migrate-continue.
        traffic = migration_qmp(src)
        paused = [t for t in traffic if '"pause-before-switchover","state":true' in t]
        cont = [re.search(r'"id":"([^"]+)"\}$', t) for t in traffic
                if '"execute":"migrate-continue"' in t]
        answered = [t for t in traffic if cont and cont[0] and t.startswith('<- {"return": {}') and
                    '"id": "%s"' % cont[0].group(1) in t]
        ok(paused and '"status": "pre-switchover"' in '\n'.join(traffic) and answered,
           'source: paused in pre-switchover, libvirt sent migrate-continue',
           [t for t in traffic if 'switchover' in t or 'continue' in t])
        for tag, lv in (('source', src), ('destination', dst)):
            sent, errors = report_qmp(tag, lv)
            unanswered = sorted(set(n for n, r in sent if r is None))
            ok(sent and not unanswered, '%s: every QMP command libvirt sent was answered' % tag,
               unanswered or 'no QMP traffic in the log')
            ok(not [n for n, c in errors.items() if 'CommandNotFound' in c],
               '%s: no QMP command libvirt sent is unknown' % tag, errors)
    finally:
        for lv in (src, dst):
            if lv.proc and lv.proc.poll() is None:
                lv.virsh('destroy', name, timeout=30)
                lv.virsh('undefine', name, timeout=30)
            lv.stop()
        for i, lv in enumerate((src, dst)):
            if tap_failed:
                keep = tempfile.mkdtemp(prefix='libvirt-mig%d-logs-' % (i + 1))
                for p in [lv.log, lv.root + '/daemon.out'] + \
                        glob.glob(lv.root + '/cache/libvirt/qemu/log/*'):
                    if os.path.exists(p):
                        shutil.copy(p, keep)
                note('logs of daemon %d kept in %s' % (i + 1, keep))
            shutil.rmtree(lv.root, ignore_errors=True)
            shutil.rmtree(lv.root + '-sock', ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--timeout', type=int, default=240, help='seconds for a guest to boot')
    ap.add_argument('--migrate', action='store_true',
                    help='virsh migrate --live between two private daemons instead')
    ap.add_argument('--modes', default='managed', type=lambda v: v.split(','),
                    help='with --migrate: the modes, comma separated, the guest going back '
                    'and forth (managed, p2p, tunnelled, unix)')
    args = ap.parse_args()
    args.qemu = os.path.abspath(args.qemu)

    ensure_packages()
    kernel, busybox = fetch_assets()
    root = tempfile.mkdtemp(prefix='libvirt-e2e-')
    os.chmod(root, 0o755)
    initrd = os.path.join(root, 'initrd.gz')
    make_initramfs(initrd, busybox)
    if args.migrate:
        try:
            main_migrate(args, kernel, initrd)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        print('1..%d' % tap_n)
        return 1 if tap_failed else 0
    lv = Libvirt(root)
    kcopy = os.path.join(root, 'vmlinux')
    shutil.copyfile(kernel, kcopy)
    os.chmod(initrd, 0o644)
    os.chmod(kcopy, 0o644)
    try:
        if not ok(lv.start(), 'a private libvirtd starts'):
            note(open(root + '/daemon.out').read())
            return 1
        rc, out, err = lv.virsh('domcapabilities', '--emulatorbin', args.qemu, '--machine',
                                'pseries', '--arch', 'ppc64', '--virttype', 'qemu')
        ok(rc == 0 and '<path>%s</path>' % args.qemu in out and 'pseries' in out,
           'virsh domcapabilities for this binary', out[-2000:] + err)
        ok(re.search(r"<model[^>]*>POWER9</model>", out) is not None,
           'domcapabilities: POWER9 is a usable CPU model', out[-2000:])
        run_domain(lv, args, 'lvt1', 1, kcopy, initrd, args.timeout)
        run_domain(lv, args, 'lvt2', 2, kcopy, initrd, args.timeout)

        with open(lv.log) as f:
            sent = qmp_traffic(f.read())
        names = sorted(set(n for n, r in sent))
        unanswered = sorted(set(n for n, r in sent if r is None))
        errors = {}
        for n, r in sent:
            if r not in (None, 'return'):
                errors.setdefault(n, set()).add(r)
        note('QMP: libvirt sent %d commands (%d distinct), %d answered, %d with an error: %s' %
             (len(sent), len(names), len([r for n, r in sent if r]),
              len([r for n, r in sent if r not in (None, 'return')]),
              ', '.join('%s (%s)' % (n, '/'.join(sorted(c))) for n, c in sorted(errors.items()))))
        note('QMP commands: ' + ' '.join(names))
        ok(sent and not unanswered, 'every QMP command libvirt sent was answered',
           unanswered or 'no QMP traffic in the log')
        ok(not [n for n, c in errors.items() if 'CommandNotFound' in c],
           'no QMP command libvirt sent is unknown', errors)
    finally:
        for name in ['lvt1', 'lvt2']:
            if lv.proc and lv.proc.poll() is None:
                lv.virsh('destroy', name, timeout=30)
                lv.virsh('undefine', name, timeout=30)
        lv.stop()
        if tap_failed:
            keep = tempfile.mkdtemp(prefix='libvirt-e2e-logs-')
            for p in [lv.log, root + '/daemon.out'] + glob.glob(root + '/cache/libvirt/qemu/log/*'):
                if os.path.exists(p):
                    shutil.copy(p, keep)
            note('logs kept in ' + keep)
        shutil.rmtree(root, ignore_errors=True)
    print('1..%d' % tap_n)
    return 1 if tap_failed else 0


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    sys.exit(main())

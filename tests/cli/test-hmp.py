#!/usr/bin/env python3
# The human monitor (HMP) over a unix socket, against QEMU 7.2 where both can
# show the same thing: command texts and errors, x/xp on a raw -kernel image,
# the readline editor byte for byte, -nographic's mux with C-a c on a pty,
# and x-query-hcalls / info hcalls after a bare-metal guest's known hypercalls.
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import tap
from tap import check

QEMU = os.environ.get('QEMU', 'build/qemu-system-ppc64')
BUILDDIR = os.environ.get('BUILDDIR', 'build')
ORACLE = '/usr/bin/qemu-system-ppc64'
TMP = tempfile.mkdtemp()


class Monitor:
    """A binary run with -S and an HMP monitor on a unix socket."""

    def __init__(self, binary, args, name):
        self.path = os.path.join(TMP, name + '.sock')
        cmd = [binary, '-M', 'pseries', '-S', '-display', 'none', '-nodefaults',
               '-monitor', 'unix:%s,server=on,wait=off' % self.path] + args
        if binary == ORACLE:
            cmd += ['-vga', 'none']
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        self.s = None
        for _ in range(300):
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.path)
                self.s = s
                break
            except OSError:
                if self.p.poll() is not None:
                    break
                time.sleep(0.05)
        if not self.s:
            raise SystemExit('cannot start %s: %s' % (cmd, self.p.stderr.read().decode()))
        self.s.settimeout(30)
        self.buf = b''
        self.banner = self.until_prompts(1)

    def until_prompts(self, count):
        """Bytes up to and including the count-th "(qemu) " prompt."""
        out = b''
        for _ in range(count):
            while b'(qemu) ' not in self.buf:
                d = self.s.recv(65536)
                if not d:
                    return out + self.buf
                self.buf += d
            head, _, self.buf = self.buf.partition(b'(qemu) ')
            out += head + b'(qemu) '
        return out

    def raw(self, data, prompts=1):
        self.s.sendall(data)
        return self.until_prompts(prompts)

    def cmd(self, line):
        """The command's output (text after the echoed line, before the prompt)."""
        out = self.raw(line.encode() + b'\r').decode(errors='replace')
        out = out[:-len('(qemu) ')]
        return out.split('\r\n', 1)[1] if '\r\n' in out else out

    def close(self):
        try:
            self.s.sendall(b'quit\r')
            self.p.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
            self.p.wait()
        return self.p.returncode


def both(args, name):
    return Monitor(QEMU, args, name), Monitor(ORACLE, args, name + '-oracle')


def same(ours, oracle, line, norm=lambda s: s):
    a = norm(ours.cmd(line))
    b = norm(oracle.cmd(line))
    check(a == b, 'HMP %r as QEMU 7.2' % line, 'ours:', a, 'QEMU:', b)
    return a


# ---- Commands and their errors, against the oracle ---------------------------------------


def elf_image(payload):
    """A big-endian ppc64 ELF with one segment at 0, which both load at 0x400000."""
    eh = b'\x7fELF' + bytes([2, 2, 1, 0]) + bytes(8)
    eh += struct.pack('>HHIQQQIHHHHHH', 2, 21, 1, 0, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    ph = struct.pack('>IIQQQQQQ', 1, 7, 64 + 56, 0, 0, len(payload), len(payload), 4)
    return eh + ph + payload


def reg_shape(s):
    """info registers with the values that are QEMU's TCG bookkeeping or timing left out."""
    s = re.sub(r'HF [0-9a-f]+ iidx \d didx \d', 'HF', s)
    s = re.sub(r'TB \d+ \d+ DECR \d+', 'TB', s)
    return s


# Known bytes at 0x400000 for x and xp: code, quotes, control and high bytes.
image = os.path.join(TMP, 'image.elf')
with open(image, 'wb') as f:
    f.write(elf_image(bytes.fromhex('48003f00deadbee07c0802a660000000') +
                      b"Hi'\\\n\r\x7f\x80 ok" + bytes(range(0, 48))))
ours, oracle = both(['-smp', '2', '-kernel', image], 'cmds')
check(ours.banner == oracle.banner, 'banner as QEMU 7.2', ours.banner, oracle.banner)
# Before anything ran: the boot CPU as the board set it up (MSR 0, LPCR with the
# power-saving exit causes, as QEMU 7.2's reset leaves it).
same(ours, oracle, 'info registers', reg_shape)
for line in ['help stop', 'help x', 'help xp', 'help gdbserver', 'help cpu', 'help nmi',
             'help device_add', 'help device_del', 'help balloon', 'help logfile',
             'help info registers', 'help info mtree', 'help info block',
             'info status', 'info name', 'info uuid', 'info kvm', 'info irq', 'info tlb',
             'info history', 'info balloon', 'balloon 100', 'balloon', 'info qom-tree /nope',
             'bogus', 'info bogus', 'stop x', 'info status x', 'nmi x', 'help bogus',
             'xp /16xb 0x400000', 'xp /8xh 0x400000', 'xp /5xw 0x400000', 'xp /3xg 0x400000',
             'xp /6d 0x400000', 'xp /6u 0x400000', 'xp /6o 0x400000', 'xp /3dg 0x400000',
             'xp /2dh 0x400004', 'xp /24c 0x400000', 'xp /2h 0x400010',
             'xp /3i 0x400000', 'xp /x 0x400000', 'x /4x 0x400000', 'x /2i 0x400004',
             'xp /2x 0x400000+2*(4|4)', 'xp /2x -8+0x400010', "xp /xb 'a'+0x3fff9f",
             'xp /2x 0x10000000000', 'x /0x 0x400000', 'x', 'x /', 'x /2z 0', 'x /-2x 0',
             'x /2x foo', 'x (1', 'x 1/0', 'x 99999999999999999999999', 'x 0 5', 'x 0x10-',
             'x $nosuchreg', 'x /2s 0', 'cpu', 'cpu x', 'cpu 5', 'cpu 1', 'info cpus x',
             'device_del', 'device_del nope', 'device_add nope', 'device_add',
             'log', 'logfile', 'gdbserver bogus:x', 'stop', 'cont', 'info status', 'stop',
             'info status']:
    same(ours, oracle, line)
# The listing: every info subcommand we have is QEMU's, with QEMU's text (hcalls is ours).
mine = ours.cmd('info').splitlines()
theirs = set(oracle.cmd('info').splitlines())
extra = [l for l in mine if l not in theirs and not l.startswith('info hcalls ')]
check(not extra and len(mine) > 15, 'info: our subcommands with QEMU 7.2 help texts', extra)
mine = ours.cmd('help').splitlines()
theirs = set(oracle.cmd('help').splitlines())
extra = [l for l in mine if l not in theirs]
check(not extra and len(mine) > 15, 'help: our commands with QEMU 7.2 help texts', extra)

# Thread ids, heap addresses and timing differ; the rest must not.
tid = lambda s: re.sub(r'thread_id=\d+', 'thread_id=N', s)
same(ours, oracle, 'info cpus', tid)
ptr = lambda s: re.sub(r'0x[0-9a-f]{6,}|\(0x[0-9a-f]+\)', 'PTR', s)
same(ours, oracle, 'info pic', ptr)
same(ours, oracle, 'info hotpluggable-cpus')


regs = same(ours, oracle, 'info registers 1', reg_shape)
check('PVR 00000000004e1200' in regs and 'CPU#1' in regs, 'info registers: POWER9 PVR, CPU#1', regs)
got = ours.cmd('info registers -a')
check(got.startswith('\r\nCPU#0\r\nNIP ') and '\r\nCPU#1\r\nNIP ' in got and
      got.count('\r\nFPSCR ') == 2, 'info registers -a: both CPUs', got)
port = 20000 + os.getpid() % 20000
got = ours.cmd('gdbserver tcp::%d' % port)
check(got == "Waiting for gdb connection on device 'tcp::%d'\r\n" % port, 'gdbserver tcp::PORT', got)
got = ours.cmd('gdbserver tcp::%d' % (port + 1))
check(got == "duplicate yank instance\r\nCould not open gdbserver on device 'tcp::%d'\r\n"
      % (port + 1), 'a second gdbserver socket: QEMU 7.2\'s error', got)
gdb = socket.socket()
try:
    gdb.connect(('127.0.0.1', port))
    gdb.sendall(b'$?#3f')
    # The ack and the packet may come in separate segments: read to the checksum.
    gdb.settimeout(30)
    reply = b''
    while not re.search(rb'#[0-9a-f]{2}', reply):
        part = gdb.recv(100)
        if not part:
            break
        reply += part
except OSError as e:
    reply = repr(e)
gdb.close()
check(reply.startswith(b'+$T05'), 'gdbserver started at run time answers GDB', reply)
got = ours.cmd('gdbserver none')
check(got == 'Disabled gdbserver\r\n', 'gdbserver none', got)
s = socket.socket()
check(s.connect_ex(('127.0.0.1', port)) != 0, 'gdbserver none closes the port')
s.close()
got = ours.cmd('info mtree')
check('\r\naddress-space: memory\r\n  0000000000000000-ffffffffffffffff (prio 0, i/o): '
      'system\r\n    0000000000000000-000000001fffffff (prio 0, ram): ppc_spapr.ram' in got,
      'info mtree: system memory with RAM (test-mtree.sh compares it all)', got)
got = ours.cmd('info qom-tree')
check(got.startswith('/machine (pseries-7.2-machine)\r\n  /') and '/unattached (container)' in got,
      'info qom-tree', got[:300])
got = ours.cmd('info qtree')
check(got.startswith('bus: main-system-bus\r\n  type System\r\n') and 'spapr-vio' in got,
      'info qtree', got[:300])
got = ours.cmd('info hcalls')
check(re.match(r'hypercall +calls +errors +total us +max us\r\n', got) and
      '\r\nRTAS service ' in got, 'info hcalls: the two tables', got)
check(ours.close() == 0 and oracle.close() == 0, 'quit ends both with status 0')

# Devices: the PCI view, the network and the block devices.
disk = os.path.join(TMP, 'disk.img')
with open(disk, 'wb') as f:
    f.truncate(1 << 20)
devs = ['-netdev', 'user,id=n0', '-device', 'spapr-vlan,netdev=n0', '-netdev', 'user,id=n1',
        '-device', 'virtio-net-pci,netdev=n1,id=vn,romfile=',
        '-drive', 'if=none,id=d0,file=%s,format=raw,file.locking=off' % disk,
        '-device', 'virtio-blk-pci,drive=d0']
ours, oracle = both(devs, 'devs')
same(ours, oracle, 'info pci')
# Our NICs' default MACs are not shown yet, nor query-block's "qdev" (hmp report).
same(ours, oracle, 'info network', lambda s: re.sub(r',macaddr=[0-9a-f:]+', '', s))
same(ours, oracle, 'info block',
     lambda s: re.sub(r' \(#block\d+\)|    Attached to: .*\r\n', '', s))
ours.close()
oracle.close()

# info block's -n (named nodes) and -v (image chains: a qcow2 overlay on a qcow2 base with
# an internal snapshot), its flags in QEMU's order-sensitive parsing, against QEMU 7.2.
base, overlay = os.path.join(TMP, 'base.qcow2'), os.path.join(TMP, 'overlay.qcow2')
for argv in (['create', '-q', '-f', 'qcow2', base, '64M'], ['snapshot', '-c', 'snap1', base],
             ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', overlay]):
    subprocess.run(['qemu-img'] + argv, check=True)
ours, oracle = both(['-drive', 'if=none,id=d0,node-name=n0,readonly=on,file.locking=off,file=' + base,
                     '-drive', 'if=none,id=d1,file.locking=off,file=' + overlay, '-device', 'spapr-vscsi',
                     '-device', 'scsi-hd,drive=d0', '-device', 'scsi-cd,drive=d1,id=cd0'],
                    'nodes')
for line in ['info block -n', 'info block -v', 'info block -n -v', 'info block -v d1',
             'info block -n n0', 'info block -n -v n0', 'info block -nv', 'info block -v -n',
             'info block -vn', 'info block -x', 'info block -', 'info block -n -n',
             'info block nosuch', 'info block -n d0 x']:
    same(ours, oracle, line, lambda s: re.sub(r'#block\d+', '#blockN', s))
ours.close()
oracle.close()

# The balloon, and devices plugged and unplugged while the machine waits (-S).
ours, oracle = both(['-device', 'virtio-balloon-pci,id=bal', '-netdev', 'user,id=n9'], 'hot')
for line in ['info balloon', 'balloon 256', 'balloon 0', 'info balloon',
             'device_add virtio-net-pci,id=hp1,netdev=n9,romfile=',
             'device_add virtio-net-pci,id=hp2,addr=7,romfile=',
             'device_add virtio-net-pci,id=hp3,addr=zz', 'device_add virtio-net-pci,id=hp1',
             'info pci', 'device_del hp1', 'device_del hp1', 'info pci']:
    same(ours, oracle, line)
ours.close()
oracle.close()

# ---- The line editor, byte for byte ------------------------------------------------------

ours, oracle = both([], 'rl')
for data, prompts in [
        (b'info stax\x7ftus\r', 1),
        (b'abc\x1b[D\x1b[Dx\x1b[H\x01\x05\x1b[3~\x08\r', 1),  # cursor keys, Home/End, Delete
        (b'\x1b[A\x1b[A\x1b[B\x1b[A\r', 1),  # history
        (b'info st\x01\x0babc def\x17\x15xy\x1b[D\x1b[D\x1bOH\x1bOF\x1b[1~\x1b[4~\x1b[D\x1b[3~\r', 1),
        (b'info uui\t\r', 1),  # completion of a unique name
        (b'in\tstatus\r', 1),
        (b'\x0cinfo name\r', 2),  # Ctrl-L redraws the prompt
        (b'info status\r\n', 2),  # CR LF: two lines
        (b'\xc3\xa9\r', 1),
        (b'\x1b[F\x1b[E\x1b[5~\x1bx\r', 1),  # QEMU's odd CSI F/E, unknown keys
        (b'info history\r', 1)]:
    a, b = ours.raw(data, prompts), oracle.raw(data, prompts)
    check(a == b, 'readline %r as QEMU 7.2' % data, 'ours: %r' % a, 'QEMU: %r' % b)
# Several candidates: completed to the common prefix and listed in 80 columns.
got = ours.raw(b'info h\t\x15\r', 2)
want = (b'i\x1b[K\x1b[Din\x1b[K\x1b[D\x1b[Dinf\x1b[K\x1b[D\x1b[D\x1b[Dinfo\x1b[K'
        b'\x1b[D\x1b[D\x1b[D\x1b[Dinfo \x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo h\x1b[K'
        b'\r\nhcalls             history            hotpluggable-cpus  \r\n(qemu) info h\x1b[K'
        b'\r\nunknown command: \'info h\'\r\n(qemu) ')
check(got == want, 'completion lists the candidates in columns', 'got: %r' % got)
ours.close()
oracle.close()

# ---- -nographic: the console and the monitor share stdio (C-a c) --------------------------


def pty_session(binary, steps):
    args = [binary, '-M', 'pseries', '-S', '-display', 'none', '-nodefaults', '-nographic',
            '-serial', 'mon:stdio']
    if binary == ORACLE:
        args += ['-vga', 'none']
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'dumb'
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.execv(binary, args)

    def read_until(marker, limit=20.0):
        out = b''
        end = time.time() + limit
        while marker not in out and time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    d = os.read(fd, 65536)
                except OSError:
                    break
                if not d:
                    break
                out += d
        return out

    results = []
    # Until the emulator has the terminal in raw mode, the tty itself would echo.
    time.sleep(3)
    for data, marker in steps:
        os.write(fd, data)
        results.append(read_until(marker))
    status = None
    for _ in range(100):
        wpid, st = os.waitpid(pid, os.WNOHANG)
        if wpid:
            status = os.WEXITSTATUS(st) if os.WIFEXITED(st) else -1
            break
        time.sleep(0.1)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return results, status


steps = [(b'\x01c', b'(qemu) '), (b'info status\r', b'(qemu) '), (b'\x01c', b'\n'),
         (b'\x01c', b'(qemu) '), (b'\x01h', b'C-a C-a  sends C-a\n\r'),
         (b'\x01x', b'QEMU: Terminated')]
mine, rc = pty_session(QEMU, steps)
theirs, orc = pty_session(ORACLE, steps)
for (data, _), a, b in zip(steps, mine, theirs):
    check(a == b, '-nographic: %r as QEMU 7.2' % data, 'ours: %r' % a, 'QEMU: %r' % b)
check(rc == 0 and orc == 0, '-nographic: C-a x ends with status 0', rc, orc)

# ---- x-query-hcalls after a guest made known hypercalls -----------------------------------

img = os.path.join(BUILDDIR, 'tests/bench/hcall-bench.img')
if not os.path.exists(img):
    check(False, 'the hcall-bench guest exists', img)
else:
    qsock = os.path.join(TMP, 'qmp.sock')
    p = subprocess.Popen([QEMU, '-M', 'pseries', '-m', '1G', '-nodefaults', '-display', 'none',
                          '-nographic', '-serial', 'file:' + os.path.join(TMP, 'serial.txt'),
                          '-bios', img, '-no-shutdown', '-qmp',
                          'unix:%s,server=on,wait=on' % qsock],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            q = socket.socket(socket.AF_UNIX)
            q.connect(qsock)
            break
        except OSError:
            time.sleep(0.05)
    q.settimeout(120)
    qf = q.makefile('rw')
    qf.readline()

    def qmp(cmd, args=None):
        qf.write(json.dumps({'execute': cmd, 'arguments': args or {}}) + '\n')
        qf.flush()
        while True:
            r = json.loads(qf.readline())
            if 'event' not in r:
                return r

    qmp('qmp_capabilities')
    while True:
        ev = json.loads(qf.readline())
        if ev.get('event') == 'SHUTDOWN':
            break
    r = qmp('x-query-hcalls').get('return', {})
    hc = {e['name']: e for e in r.get('hcalls', [])}
    rt = {e['name']: e for e in r.get('rtas', [])}
    sprg = hc.get('H_SET_SPRG0', {})
    check(sprg.get('count') == 2000000 and sprg.get('errors') == 0 and sprg.get('number') == 0x24,
          'x-query-hcalls: the guest\'s 2,000,000 H_SET_SPRG0, no error', sprg)
    check(0 < sprg.get('max-ns', 0) <= sprg.get('total-ns', 0) < 2000000 * 100000,
          'x-query-hcalls: host time, total above max', sprg)
    # The first 1024 calls are timed, then the calls made when 64 divides the count.
    want = 1024 + sum(1 for c in range(1024, 2000000) if c % 64 == 0)
    check(sprg.get('timed') == want, 'x-query-hcalls: %d calls timed' % want, sprg)
    check(hc.get('H_CEDE', {}).get('count', 0) >= 200, 'x-query-hcalls: H_CEDE naps', hc.get('H_CEDE'))
    check(hc.get('H_PUT_TERM_CHAR', {}).get('count', 0) > 0, 'x-query-hcalls: console output',
          hc.get('H_PUT_TERM_CHAR'))
    check(rt.get('power-off', {}).get('count') == 1 and rt['power-off']['number'] == 0x2003 and
          rt['power-off']['timed'] == 1,
          'x-query-hcalls: one RTAS power-off', r.get('rtas'))
    check([e['number'] for e in r.get('hcalls', [])] == sorted(e['number'] for e in r.get('hcalls', [])),
          'x-query-hcalls: by opcode')
    h = qmp('human-monitor-command', {'command-line': 'info hcalls'}).get('return', '')
    check(re.search(r'\r\nH_SET_SPRG0 +2000000 +0 +[0-9.]+ +[0-9.]+\r\n', h) and
          re.search(r'\r\npower-off +1 +0 ', h), 'info hcalls shows the same counts', h)
    qmp('quit')
    p.wait(10)

shutil.rmtree(TMP, ignore_errors=True)
tap.finish()

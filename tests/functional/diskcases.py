#!/usr/bin/env python3
"""Functional cases of a real disk: SLOF boots the image of diskimage.sh through GRUB
(PReP partition) to Debian's kernel, whose /init (diskinit.sh) writes a token to the ext4
root; the host then finds it in the image. Prints TAP.

  diskcases.py run --qemu Q --case CASE [--oracle]
  diskcases.py bench --qemu OURS --oracle-qemu QEMU --diskbench PROG  (make bench)
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from ftlib import Tap  # one TAP writer for the whole suite

HERE = os.path.dirname(os.path.abspath(__file__))

# Seconds a whole run may take, and how long the console may stay silent (SLOF, GRUB and
# Linux print all along; loading the kernel through SLOF is the longest pause).
LIMIT = 540
QUIET = 120


def disk_assets():
    """The paths diskimage.sh prints (raw, qcow2, initrd, vmlinux, root-offset)."""
    r = subprocess.run(['sh', os.path.join(HERE, 'diskimage.sh')], stdout=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        raise RuntimeError('diskimage.sh failed (exit status %d)' % r.returncode)
    out = {}
    for ln in r.stdout.splitlines():
        k, _, v = ln.partition(' ')
        out[k] = v
    return out


def md5(path):
    h = hashlib.md5()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


class Run:
    """One emulator process on the console of stdio, until it exits."""

    def __init__(self, qemu, oracle, extra, machine='pseries,ic-mode=xics'):
        self.cmd = [qemu, '-M', machine, '-m', '1G', '-nodefaults',
                    '-nographic', '-display', 'none', '-serial', 'stdio',
                    '-no-reboot'] + extra
        if oracle:
            self.cmd += ['-accel', 'tcg']
        self.lines = []
        self.last = time.monotonic()
        self.t0 = self.last
        # The console's input is a pipe nobody writes: any byte would stop GRUB's menu.
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.stderr = ''
        self.status = None
        self.timed_out = None
        self.wall = None

    def _read(self):
        # GRUB's menu draws with escape sequences and bare carriage returns: a line is
        # what lies between any two of \r and \n, the sequences removed.
        for raw in self.proc.stdout:
            text = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', ' ',
                          raw.decode('utf-8', 'replace'))
            for part in re.split(r'[\r\n\x0c]', text):
                if part.strip():
                    self.lines.append(part.rstrip())
            self.last = time.monotonic()

    def wait(self):
        while True:
            try:
                self.status = self.proc.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if now - self.t0 > LIMIT or now - self.last > QUIET:
                    self.timed_out = ('no exit within %d s' % LIMIT if now - self.t0 > LIMIT
                                      else 'the console printed nothing for %d s' % QUIET)
                    self.proc.kill()
                    self.proc.wait()
                    break
        self.wall = time.monotonic() - self.t0
        self.reader.join(5)
        self.stderr = self.proc.stderr.read().decode('utf-8', 'replace')
        return self.status

    def find(self, pattern):
        """The first match of PATTERN in the console lines, or None."""
        rx = re.compile(pattern)
        for ln in self.lines:
            m = rx.search(ln)
            if m:
                return m
        return None

    def index(self, pattern):
        rx = re.compile(pattern)
        for i, ln in enumerate(self.lines):
            if rx.search(ln):
                return i
        return -1


def debugfs_cat(image, offset, path):
    """PATH's contents in the ext4 file system at OFFSET of the raw IMAGE, or None."""
    r = subprocess.run(['debugfs', '-R', 'cat %s' % path, '%s?offset=%d' % (image, offset)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0 or b'not found' in r.stderr:
        return None
    return r.stdout.decode('utf-8', 'replace')


def fsck_clean(image, offset):
    """e2fsck -fn on the root partition: (clean, last lines of its report)."""
    r = subprocess.run(['e2fsck', '-fn', '%s?offset=%d' % (image, offset)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode == 0, ' | '.join(r.stdout.strip().splitlines()[-2:])


def check_boot(tap, run, assets, disk_node):
    """The console of one SLOF -> GRUB -> Linux -> /init pass that wrote a token; returns
    the token (or None)."""
    st = run.wait()
    tap.ok(st == 0, 'the emulator powered off with status 0',
           run.timed_out or 'exit status %s: %s' % (st, run.stderr.strip()[-300:]))
    m = run.find(r'Trying to load: .* from: (\S+) \.\.\.')
    tap.ok(m is not None and re.fullmatch(disk_node, m.group(1)) is not None,
           'SLOF loads the boot partition from the disk',
           'got %r' % (m.group(0) if m else None))
    tap.ok(run.find(r'Successfully loaded') is not None, 'SLOF loaded GRUB')
    tap.ok(run.find(r'GNU GRUB +version 2\.06') is not None, 'GRUB shows its menu')
    tap.ok(run.find(r'Debian GNU/Linux \(spapr disk image\)') is not None,
           'the menu has the image\'s entry')
    order = [run.index(p) for p in (r'Loading Linux \.\.\.', r'Loading initial ramdisk',
                                    r'Linux version 6\.1', r'DISKINIT start mode=write')]
    tap.ok(-1 not in order and order == sorted(order),
           'GRUB loads the kernel and the initramfs, Linux runs /init', 'at lines %s' % order)
    tap.ok(run.find(r'command line: BOOT_IMAGE=/boot/vmlinux console=hvc0 diskinit=write')
           is not None, 'the kernel command line is grub.cfg\'s')
    m = run.find(r'^DISKINIT root (\S+)$')
    tap.ok(m is not None, '/init found the root partition', m.group(1) if m else '')
    m = run.find(r'^DISKINIT image-id (.*)$')
    want = 'spapr-diskimage %s' % os.path.basename(assets['vmlinux'])
    tap.ok(m is not None and m.group(1) == want, 'the guest reads the image\'s files',
           'got %r' % (m.group(1) if m else None))
    m = run.find(r'^DISKINIT kernel-md5 ([0-9a-f]{32})$')
    host = md5(assets['vmlinux'])
    tap.ok(m is not None and m.group(1) == host, 'the guest reads the whole kernel back',
           'guest %s, host %s' % (m.group(1) if m else None, host))
    tap.ok(run.find(r'^DISKINIT error') is None, '/init reported no error',
           (run.find(r'^DISKINIT error.*') or [''])[0])
    m = run.find(r'^DISKINIT wrote ([0-9a-f-]{36})$')
    tap.ok(m is not None, 'the guest wrote its token and unmounted')
    return m.group(1) if m else None


# ---- the cases ----

def case_virtio_blk(tap, args, assets, tmp):
    """A private copy of the raw image on virtio-blk: the token reaches the image."""
    img = os.path.join(tmp, 'disk.raw')
    subprocess.run(['cp', '--sparse=always', assets['raw'], img], check=True)
    run = Run(args.qemu, args.oracle, ['-drive', 'file=%s,if=virtio,format=raw' % img])
    token = check_boot(tap, run, assets, r'/pci@800000020000000/scsi@0')
    off = int(assets['root-offset'])
    got = debugfs_cat(img, off, '/guest-wrote')
    tap.ok(token is not None and got == token + '\n',
           'the host reads the guest\'s token from the image (debugfs)', 'got %r' % got)
    clean, report = fsck_clean(img, off)
    tap.ok(clean, 'e2fsck -fn finds the file system clean', report)
    return run


def case_qcow2_backing(tap, args, assets, tmp):
    """A qcow2 overlay on the cached qcow2 image: the write lands in the overlay only."""
    base = os.path.join(tmp, 'base.qcow2')
    subprocess.run(['cp', assets['qcow2'], base], check=True)
    before = md5(base)
    top = os.path.join(tmp, 'top.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', top],
                   check=True)
    run = Run(args.qemu, args.oracle, ['-drive', 'file=%s,if=virtio' % top])
    token = check_boot(tap, run, assets, r'/pci@800000020000000/scsi@0')
    tap.ok(md5(base) == before, 'the backing file is unchanged')
    r = subprocess.run(['qemu-img', 'check', top], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    tap.ok(r.returncode == 0, 'qemu-img check finds the overlay clean', r.stdout.strip()[-200:])
    flat = os.path.join(tmp, 'flat.raw')
    subprocess.run(['qemu-img', 'convert', '-O', 'raw', top, flat], check=True)
    off = int(assets['root-offset'])
    got = debugfs_cat(flat, off, '/guest-wrote')
    tap.ok(token is not None and got == token + '\n',
           'the overlay holds the guest\'s token', 'got %r' % got)
    flat_base = os.path.join(tmp, 'flat-base.raw')
    subprocess.run(['qemu-img', 'convert', '-O', 'raw', base, flat_base], check=True)
    tap.ok(debugfs_cat(flat_base, off, '/guest-wrote') is None,
           'the backing file has no token')
    return run


def case_snapshot(tap, args, assets, tmp):
    """snapshot=on: the guest writes, but nothing reaches the image."""
    img = os.path.join(tmp, 'disk.raw')
    subprocess.run(['cp', '--sparse=always', assets['raw'], img], check=True)
    before = md5(img)
    run = Run(args.qemu, args.oracle,
              ['-drive', 'file=%s,if=virtio,format=raw,snapshot=on' % img])
    check_boot(tap, run, assets, r'/pci@800000020000000/scsi@0')
    tap.ok(md5(img) == before, 'the image is unchanged after the run')
    return run


def case_bootindex(tap, args, assets, tmp):
    """Two disks: an empty one in slot 3 (bootindex 2) and the image in slot 5 (bootindex
    1). SLOF follows qemu,boot-list and boots the image; Linux sees it as the second disk."""
    blank = os.path.join(tmp, 'blank.raw')
    with open(blank, 'wb') as f:
        f.truncate(64 << 20)
    img = os.path.join(tmp, 'disk.raw')
    subprocess.run(['cp', '--sparse=always', assets['raw'], img], check=True)
    run = Run(args.qemu, args.oracle,
              ['-drive', 'file=%s,if=none,id=blank,format=raw' % blank,
               '-device', 'virtio-blk-pci,drive=blank,addr=3,bootindex=2',
               '-drive', 'file=%s,if=none,id=boot,format=raw' % img,
               '-device', 'virtio-blk-pci,drive=boot,addr=5,bootindex=1'])
    token = check_boot(tap, run, assets, r'/pci@800000020000000/scsi@5')
    m = run.find(r'^DISKINIT root (\S+)$')
    tap.ok(m is not None and m.group(1) == '/dev/vdb2', 'the root is on the second disk',
           m.group(1) if m else '')
    got = debugfs_cat(img, int(assets['root-offset']), '/guest-wrote')
    tap.ok(token is not None and got == token + '\n', 'the token reached the boot disk',
           'got %r' % got)
    with open(blank, 'rb') as f:
        tap.ok(f.read(1 << 20).count(0) == 1 << 20, 'the empty disk stayed empty')
    return run


def case_scsi(tap, args, assets, tmp, hba, disk_node):
    """The raw image as a scsi-hd on HBA (virtio-scsi-pci or spapr-vscsi)."""
    img = os.path.join(tmp, 'disk.raw')
    subprocess.run(['cp', '--sparse=always', assets['raw'], img], check=True)
    run = Run(args.qemu, args.oracle,
              ['-device', '%s,id=hba0' % hba,
               '-drive', 'file=%s,if=none,id=d0,format=raw' % img,
               '-device', 'scsi-hd,drive=d0,bus=hba0.0'])
    token = check_boot(tap, run, assets, disk_node)
    m = run.find(r'^DISKINIT root (\S+)$')
    tap.ok(m is not None and m.group(1) == '/dev/sda2', 'the root is the SCSI disk\'s',
           m.group(1) if m else '')
    off = int(assets['root-offset'])
    got = debugfs_cat(img, off, '/guest-wrote')
    tap.ok(token is not None and got == token + '\n',
           'the host reads the guest\'s token from the image (debugfs)', 'got %r' % got)
    clean, report = fsck_clean(img, off)
    tap.ok(clean, 'e2fsck -fn finds the file system clean', report)
    return run


def case_virtio_scsi(tap, args, assets, tmp):
    return case_scsi(tap, args, assets, tmp, 'virtio-scsi-pci',
                     r'/pci@800000020000000/scsi@0/disk@[0-9a-f]+')


def case_vscsi(tap, args, assets, tmp):
    return case_scsi(tap, args, assets, tmp, 'spapr-vscsi',
                     r'/vdevice/v-scsi@[0-9a-f]+/disk@[0-9a-f]+')


CASES = {
    'grub-virtio-scsi': case_virtio_scsi,
    'grub-vscsi': case_vscsi,
    'grub-bootindex': case_bootindex,
    'grub-virtio-blk': case_virtio_blk,
    'grub-virtio-blk-qcow2': case_qcow2_backing,
    'grub-virtio-blk-snapshot': case_snapshot,
}


def run_case(args):
    label = '%s%s' % (args.case, '-oracle' if args.oracle else '')
    tap = Tap(label)
    try:
        assets = disk_assets()
    except RuntimeError as e:
        tap.ok(False, 'the disk image is built', str(e))
        return tap.end()
    with tempfile.TemporaryDirectory(prefix='diskcase-') as tmp:
        run = CASES[args.case](tap, args, assets, tmp)
        if os.environ.get('FUNCTEST_LOG'):
            with open(os.environ['FUNCTEST_LOG'], 'w') as f:
                f.write('\n'.join(run.lines) + '\n')
        print('# %s: %.1f s' % (label, run.wall or 0))
        if tap.failed:
            print('# command: %s' % ' '.join(run.cmd))
            for ln in run.lines[-40:]:
                print('# console: %s' % ln)
            for ln in run.stderr.splitlines()[-10:]:
                print('# stderr: %s' % ln)
    return tap.end()


# ---- make bench: disk throughput inside the guest ----

BENCH_PATTERNS = ['seq-read', 'seq-write', 'rand-read-4k', 'rand-write-4k']


def bench_initrd(assets, diskbench, tmp):
    """The image's initramfs with /bin/diskbench appended (Linux unpacks every archive
    of a concatenation)."""
    stage = os.path.join(tmp, 'stage')
    os.makedirs(os.path.join(stage, 'bin'))
    shutil.copy(diskbench, os.path.join(stage, 'bin', 'diskbench'))
    os.chmod(os.path.join(stage, 'bin', 'diskbench'), 0o755)
    extra = subprocess.run('find bin | cpio --quiet -o -H newc -R 0:0 | gzip -n', shell=True,
                           cwd=stage, check=True, stdout=subprocess.PIPE).stdout
    out = os.path.join(tmp, 'bench-initrd.gz')
    with open(out, 'wb') as f, open(assets['initrd'], 'rb') as base:
        f.write(base.read())
        f.write(extra)
    return out


def bench_run(qemu, oracle, assets, initrd, disk):
    """One boot (VOF) that runs diskbench on DISK; {pattern: (MB/s, IOPS)} or an error."""
    run = Run(qemu, oracle, ['-kernel', assets['vmlinux'], '-initrd', initrd,
                             '-append', 'console=hvc0 diskinit=bench',
                             '-drive', 'file=%s,if=virtio,format=raw' % disk],
              machine='pseries,ic-mode=xics,x-vof=on')
    st = run.wait()
    res = {}
    for p in BENCH_PATTERNS:
        m = run.find(r'^DISKBENCH %s ([0-9.]+) MB/s ([0-9]+) IOPS' % re.escape(p))
        if m:
            res[p] = (float(m.group(1)), int(m.group(2)))
    if st != 0 or len(res) != len(BENCH_PATTERNS):
        err = run.find(r'DISKBENCH error.*')
        return 'FAILED: %s%s' % (run.timed_out or 'exit status %s' % st,
                                 ': ' + err.group(0) if err else '')
    return res


def bench(args):
    runs = args.runs
    print('== disk: virtio-blk on a 256 MiB raw file (cache=writeback), O_DIRECT in the'
          ' guest;')
    print('   sequential 1 MiB and random 4 KiB, 3 s each, best of %d boots (VOF)' % runs)
    try:
        assets = disk_assets()
    except RuntimeError as e:
        print('disk: %s' % e)
        return 1
    with tempfile.TemporaryDirectory(prefix='diskbench-') as tmp:
        initrd = bench_initrd(assets, args.diskbench, tmp)
        disk = os.path.join(tmp, 'bench.raw')
        with open(disk, 'wb') as f:
            f.write(os.urandom(256 << 20))
        best = {}
        for tag, qemu, oracle in (('QEMU 7.2', args.oracle_qemu, True),
                                  ('ours', args.qemu, False)):
            for _ in range(runs):
                r = bench_run(qemu, oracle, assets, initrd, disk)
                if isinstance(r, str):
                    best[tag] = r
                    break
                prev = best.setdefault(tag, {})
                for p, v in r.items():
                    if p not in prev or v[0] > prev[p][0]:
                        prev[p] = v
        print('%-14s %22s %22s %8s' % ('pattern', 'QEMU 7.2', 'ours', 'ours/QEMU'))
        for p in BENCH_PATTERNS:
            cols = []
            for tag in ('QEMU 7.2', 'ours'):
                b = best.get(tag)
                cols.append('%8.1f MB/s %6d IOPS' % b[p] if isinstance(b, dict) else 'n/a')
            q, o = best.get('QEMU 7.2'), best.get('ours')
            ratio = ('%.2f' % (o[p][0] / q[p][0]) if isinstance(q, dict) and isinstance(o, dict)
                     and q[p][0] > 0 else 'n/a')
            print('%-14s %22s %22s %8s' % (p, cols[0], cols[1], ratio))
        for tag in ('QEMU 7.2', 'ours'):
            if isinstance(best.get(tag), str):
                print('%s: %s' % (tag, best[tag]))
        print('(ratio above 1: ours is faster)')
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--qemu', required=True)
    r.add_argument('--case', required=True, choices=sorted(CASES))
    r.add_argument('--oracle', action='store_true')
    b = sub.add_parser('bench')
    b.add_argument('--qemu', required=True)
    b.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    b.add_argument('--diskbench', required=True)
    b.add_argument('--runs', type=int, default=2)
    args = ap.parse_args()
    for q in [args.qemu] + ([args.oracle_qemu] if args.cmd == 'bench' else []):
        if not os.access(q, os.X_OK):
            print('diskcases: %s is missing or not executable' % q)
            return 1
    for tool in ('debugfs', 'e2fsck', 'qemu-img'):
        if shutil.which(tool) is None and not os.path.exists('/usr/sbin/' + tool) \
                and not os.path.exists('/sbin/' + tool):
            print('diskcases: %s is missing' % tool)
            return 1
    os.environ['PATH'] += ':/usr/sbin:/sbin'
    if args.cmd == 'bench':
        return bench(args)
    return run_case(args)


if __name__ == '__main__':
    sys.exit(main())

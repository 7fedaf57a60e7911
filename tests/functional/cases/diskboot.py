"""Booting a real disk (the diskboot family): SLOF boots the image diskimage.sh builds,
without -kernel, through GRUB (PReP partition) to Debian's kernel, whose /init
(diskinit.sh, in the image) writes a token to the ext4 root; the host then finds it in
the image.  Each case's setup gives the machine its disk; play checks the console of the
whole pass and the image afterwards."""

import hashlib
import os
import re
import subprocess

from ftlib import HERE, Case, ended

# debugfs and e2fsck live in the sbin directories.
for _d in ('/usr/sbin', '/sbin'):
    if _d not in os.environ.get('PATH', '').split(':'):
        os.environ['PATH'] = os.environ.get('PATH', '') + ':' + _d

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


def find(m, pattern):
    """The first match of PATTERN in the console lines, or None."""
    rx = re.compile(pattern)
    for ln in m.lines:
        hit = rx.search(ln)
        if hit:
            return hit
    return None


def index(m, pattern):
    rx = re.compile(pattern)
    for i, ln in enumerate(m.lines):
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


def copy_image(ctx):
    img = os.path.join(ctx.tmpdir, 'disk.raw')
    subprocess.run(['cp', '--sparse=always', ctx.assets['raw'], img], check=True)
    return img


def check_pass(tap, m, ctx, disk_node):
    """The console of one SLOF -> GRUB -> Linux -> /init pass that wrote a token; returns
    the token (or None)."""
    st = m.wait(ctx.limit, QUIET)
    tap.ok(st == 0, 'the emulator powered off with status 0',
           '%s: %s' % (ended(m, st), m.stderr.strip()[-300:]))
    hit = find(m, r'Trying to load: .* from: (\S+) \.\.\.')
    tap.ok(hit is not None and re.fullmatch(disk_node, hit.group(1)) is not None,
           'SLOF loads the boot partition from the disk',
           'got %r' % (hit.group(0) if hit else None))
    tap.ok(find(m, r'Successfully loaded') is not None, 'SLOF loaded GRUB')
    tap.ok(find(m, r'GNU GRUB +version 2\.06') is not None, 'GRUB shows its menu')
    tap.ok(find(m, r'Debian GNU/Linux \(spapr disk image\)') is not None,
           'the menu has the image\'s entry')
    order = [index(m, p) for p in (r'Loading Linux \.\.\.', r'Loading initial ramdisk',
                                   r'Linux version 6\.1', r'DISKINIT start mode=write')]
    tap.ok(-1 not in order and order == sorted(order),
           'GRUB loads the kernel and the initramfs, Linux runs /init', 'at lines %s' % order)
    tap.ok(find(m, r'command line: BOOT_IMAGE=/boot/vmlinux console=hvc0 diskinit=write')
           is not None, 'the kernel command line is grub.cfg\'s')
    hit = find(m, r'^DISKINIT root (\S+)$')
    tap.ok(hit is not None, '/init found the root partition', hit.group(1) if hit else '')
    hit = find(m, r'^DISKINIT image-id (.*)$')
    want = 'spapr-diskimage %s' % os.path.basename(ctx.assets['vmlinux'])
    tap.ok(hit is not None and hit.group(1) == want, 'the guest reads the image\'s files',
           'got %r' % (hit.group(1) if hit else None))
    hit = find(m, r'^DISKINIT kernel-md5 ([0-9a-f]{32})$')
    host = md5(ctx.assets['vmlinux'])
    tap.ok(hit is not None and hit.group(1) == host, 'the guest reads the whole kernel back',
           'guest %s, host %s' % (hit.group(1) if hit else None, host))
    err = find(m, r'^DISKINIT error.*')
    tap.ok(err is None, '/init reported no error', err.group(0) if err else '')
    hit = find(m, r'^DISKINIT wrote ([0-9a-f-]{36})$')
    tap.ok(hit is not None, 'the guest wrote its token and unmounted')
    return hit.group(1) if hit else None


def assets_ok(tap, m, ctx):
    """False (the machine stopped) when the image could not be built."""
    if tap.ok(ctx.assets is not None, 'the disk image is built', ctx.assets_error):
        return True
    m.proc.kill()
    m.wait(10)
    return False


def check_token(tap, ctx, img, token):
    off = int(ctx.assets['root-offset'])
    got = debugfs_cat(img, off, '/guest-wrote')
    tap.ok(token is not None and got == token + '\n',
           'the host reads the guest\'s token from the image (debugfs)', 'got %r' % got)
    clean, report = fsck_clean(img, off)
    tap.ok(clean, 'e2fsck -fn finds the file system clean', report)


# ---- the cases: setup(ctx) adds the disks, play(tap, m, ctx) checks the run ----

def setup_assets(ctx):
    try:
        ctx.assets, ctx.assets_error = disk_assets(), ''
    except RuntimeError as e:
        ctx.assets, ctx.assets_error = None, str(e)
    return ctx.assets is not None


def setup_virtio_blk(ctx):
    """A private copy of the raw image on virtio-blk."""
    if setup_assets(ctx):
        ctx.img = copy_image(ctx)
        ctx.extra += ['-drive', 'file=%s,if=virtio,format=raw' % ctx.img]


def play_virtio_blk(tap, m, ctx):
    if assets_ok(tap, m, ctx):
        token = check_pass(tap, m, ctx, r'/pci@800000020000000/scsi@0')
        check_token(tap, ctx, ctx.img, token)


def setup_qcow2(ctx):
    """A qcow2 overlay on a copy of the cached qcow2 image."""
    if not setup_assets(ctx):
        return
    ctx.base = os.path.join(ctx.tmpdir, 'base.qcow2')
    subprocess.run(['cp', ctx.assets['qcow2'], ctx.base], check=True)
    ctx.base_md5 = md5(ctx.base)
    ctx.top = os.path.join(ctx.tmpdir, 'top.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', ctx.base, '-F', 'qcow2',
                    ctx.top], check=True)
    ctx.extra += ['-drive', 'file=%s,if=virtio' % ctx.top]


def play_qcow2(tap, m, ctx):
    """The write lands in the overlay only."""
    if not assets_ok(tap, m, ctx):
        return
    token = check_pass(tap, m, ctx, r'/pci@800000020000000/scsi@0')
    tap.ok(md5(ctx.base) == ctx.base_md5, 'the backing file is unchanged')
    r = subprocess.run(['qemu-img', 'check', ctx.top], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    tap.ok(r.returncode == 0, 'qemu-img check finds the overlay clean', r.stdout.strip()[-200:])
    off = int(ctx.assets['root-offset'])
    flat = os.path.join(ctx.tmpdir, 'flat.raw')
    subprocess.run(['qemu-img', 'convert', '-O', 'raw', ctx.top, flat], check=True)
    got = debugfs_cat(flat, off, '/guest-wrote')
    tap.ok(token is not None and got == token + '\n', 'the overlay holds the guest\'s token',
           'got %r' % got)
    flat_base = os.path.join(ctx.tmpdir, 'flat-base.raw')
    subprocess.run(['qemu-img', 'convert', '-O', 'raw', ctx.base, flat_base], check=True)
    tap.ok(debugfs_cat(flat_base, off, '/guest-wrote') is None, 'the backing file has no token')


def setup_snapshot(ctx):
    if setup_assets(ctx):
        ctx.img = copy_image(ctx)
        ctx.img_md5 = md5(ctx.img)
        ctx.extra += ['-drive', 'file=%s,if=virtio,format=raw,snapshot=on' % ctx.img]


def play_snapshot(tap, m, ctx):
    """snapshot=on: the guest writes, but nothing reaches the image."""
    if assets_ok(tap, m, ctx):
        check_pass(tap, m, ctx, r'/pci@800000020000000/scsi@0')
        tap.ok(md5(ctx.img) == ctx.img_md5, 'the image is unchanged after the run')


def setup_bootindex(ctx):
    """An empty disk in slot 3 (bootindex 2) and the image in slot 5 (bootindex 1)."""
    if not setup_assets(ctx):
        return
    ctx.blank = os.path.join(ctx.tmpdir, 'blank.raw')
    with open(ctx.blank, 'wb') as f:
        f.truncate(64 << 20)
    ctx.img = copy_image(ctx)
    ctx.extra += ['-drive', 'file=%s,if=none,id=blank,format=raw' % ctx.blank,
                  '-device', 'virtio-blk-pci,drive=blank,addr=3,bootindex=2',
                  '-drive', 'file=%s,if=none,id=boot,format=raw' % ctx.img,
                  '-device', 'virtio-blk-pci,drive=boot,addr=5,bootindex=1']


def play_bootindex(tap, m, ctx):
    """SLOF follows qemu,boot-list and boots the image; Linux sees it as the second disk."""
    if not assets_ok(tap, m, ctx):
        return
    token = check_pass(tap, m, ctx, r'/pci@800000020000000/scsi@5')
    hit = find(m, r'^DISKINIT root (\S+)$')
    tap.ok(hit is not None and hit.group(1) == '/dev/vdb2', 'the root is on the second disk',
           hit.group(1) if hit else '')
    got = debugfs_cat(ctx.img, int(ctx.assets['root-offset']), '/guest-wrote')
    tap.ok(token is not None and got == token + '\n', 'the token reached the boot disk',
           'got %r' % got)
    with open(ctx.blank, 'rb') as f:
        tap.ok(f.read(1 << 20).count(0) == 1 << 20, 'the empty disk stayed empty')


def setup_scsi(hba):
    def setup(ctx):
        """The raw image as a scsi-hd on HBA (virtio-scsi-pci or spapr-vscsi)."""
        if setup_assets(ctx):
            ctx.img = copy_image(ctx)
            ctx.extra += ['-device', '%s,id=hba0' % hba,
                          '-drive', 'file=%s,if=none,id=d0,format=raw' % ctx.img,
                          '-device', 'scsi-hd,drive=d0,bus=hba0.0']
    return setup


def play_scsi(disk_node):
    def play(tap, m, ctx):
        if not assets_ok(tap, m, ctx):
            return
        token = check_pass(tap, m, ctx, disk_node)
        hit = find(m, r'^DISKINIT root (\S+)$')
        tap.ok(hit is not None and hit.group(1) == '/dev/sda2', 'the root is the SCSI disk\'s',
               hit.group(1) if hit else '')
        check_token(tap, ctx, ctx.img, token)
    return play


def case(setup, play):
    # The console's input is a pipe nobody writes: any byte would stop GRUB's menu.
    return Case('diskboot', ['-no-reboot'], LIMIT, play, setup=setup, firmwares=('slof',),
                boot='disk')


CASES = {
    'grub-virtio-blk': case(setup_virtio_blk, play_virtio_blk),
    'grub-virtio-blk-qcow2': case(setup_qcow2, play_qcow2),
    'grub-virtio-blk-snapshot': case(setup_snapshot, play_snapshot),
    'grub-bootindex': case(setup_bootindex, play_bootindex),
    'grub-virtio-scsi': case(setup_scsi('virtio-scsi-pci'),
                             play_scsi(r'/pci@800000020000000/scsi@0/disk@[0-9a-f]+')),
    'grub-vscsi': case(setup_scsi('spapr-vscsi'),
                       play_scsi(r'/vdevice/v-scsi@[0-9a-f]+/disk@[0-9a-f]+')),
}

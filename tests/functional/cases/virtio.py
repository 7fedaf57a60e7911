"""virtio devices (hw/virtio) with Debian's virtio modules: a virtio-blk disk from
-drive if=virtio (an image made per run, raw or qcow2) and virtio-rng (virtio.sh).  These
modes skip the checks of every boot."""

import hashlib
import os
import subprocess

from ftlib import Case, powers_off, results

KMODS = {'virtio': ['drivers/virtio/virtio_ring', 'drivers/virtio/virtio',
                    'drivers/virtio/virtio_pci_modern_dev',
                    'drivers/virtio/virtio_pci_legacy_dev', 'drivers/virtio/virtio_pci',
                    'drivers/block/virtio_blk', 'drivers/char/hw_random/virtio-rng',
                    'net/core/failover', 'drivers/net/net_failover',
                    'drivers/net/virtio_net']}

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


def setup_blk(ctx):
    ctx.fmt = ctx.name.split('-')[-1]
    ctx.disk = make_disk(ctx.tmpdir, ctx.fmt)
    ctx.extra += ['-drive', 'file=%s,if=virtio,format=%s' % (ctx.disk, ctx.fmt)]


def play_blk(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
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
    if ctx.fmt == 'qcow2':
        r = subprocess.run(['qemu-img', 'check', ctx.disk], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        tap.ok(r.returncode == 0, 'qemu-img check is clean', r.stdout.strip()[-200:])
    data = disk_bytes(ctx.tmpdir, ctx.disk, ctx.fmt)
    want = 'GUEST-WROTE-THIS-%d\n' % (DISK_SIZE // 512)
    tap.ok(data[4096:4096 + len(want)] == want.encode(),
           'the image holds the sector the guest wrote', '%r' % data[4096:4096 + 32])
    tap.ok(data[4096 + len(want):4096 + 512] == bytes(512 - len(want)),
           'the rest of that sector is zero-padded')
    md5 = hashlib.md5(data[1 << 20:2 << 20]).hexdigest()
    tap.ok(md5 == res.get('big-written'), 'the image holds the 1 MiB the guest wrote',
           'image %s, guest %r' % (md5, res.get('big-written')))
    tap.ok(data[:len(DISK_HEAD)] == DISK_HEAD.encode(), 'the first sector is unchanged')


def play_rng(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
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


CASES = {
    'virtio-blk-raw': Case('virtio-blk', ['-no-reboot'], 120, play_blk, setup=setup_blk),
    'virtio-blk-qcow2': Case('virtio-blk', ['-no-reboot'], 120, play_blk, setup=setup_blk),
    'virtio-rng': Case('virtio-rng', ['-no-reboot', '-device', 'virtio-rng-pci'], 120,
                       play_rng),
}

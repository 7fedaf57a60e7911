"""The disk checks the virtio and scsi families share: an image made per run that holds a
known head (raw or qcow2), and after the run what the guest wrote through
disk_write_readback (cases/disk.sh): its results and the bytes that reached the image."""

import hashlib
import os
import subprocess

# What the host puts at the start of a disk for the guest to read.
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


def check_disk(tap, res, dev, tmpdir, img, fmt):
    """The guest's view of DEV (size, head) and its writes, in its results and in IMG."""
    tap.ok(res.get(dev + '-size') == str(DISK_SIZE // 512), 'the disk has %d sectors'
           % (DISK_SIZE // 512), '%r' % res.get(dev + '-size'))
    tap.ok(res.get(dev + '-head') == DISK_HEAD, 'the guest reads what the host wrote on the disk',
           '%r' % res.get(dev + '-head'))
    tap.ok(res.get('big-written') and res.get('big-written') == res.get('big-read'),
           'the guest reads back 1 MiB it wrote', '%r' % res)
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

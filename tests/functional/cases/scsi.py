"""SCSI disks and CDs (hw/scsi): Debian's sd_mod and sr_mod find a scsi-hd (an image made
per run, raw or qcow2) and a scsi-cd behind spapr-vscsi (-drive if=scsi, as pseries
places it: Linux's ibmvscsi over the VIO CRQ) or virtio-scsi-pci (virtio_scsi); the guest
reads what the host put on both, writes and syncs, powers off, and the host finds the
writes in the image (scsi.sh).  These modes skip the checks of every boot."""

import hashlib
import os
import subprocess

from diskcheck import check_disk, make_disk
from ftlib import Case, powers_off, results

# sd_mod needs the CRCs of T10 protection information; each adapter its transport.
KMODS = {
    'scsi': ['lib/crc64', 'crypto/crc64_rocksoft_generic', 'lib/crc64-rocksoft',
             'crypto/crct10dif_common', 'crypto/crct10dif_generic', 'lib/crc-t10dif',
             'block/t10-pi', 'drivers/scsi/sd_mod', 'drivers/cdrom/cdrom',
             'drivers/scsi/sr_mod'],
    'scsi-vscsi': ['drivers/scsi/scsi_transport_srp', 'drivers/scsi/ibmvscsi/ibmvscsi'],
    'scsi-virtio': ['drivers/scsi/virtio_scsi'],
}

# What the host puts on the CD: a header, then a byte per 4 KiB that gives it a known md5.
CD_HEAD = 'HOST-CDROM-DATA-0123456789abcdef'
CD_SIZE = 2 << 20


def make_cd(tmpdir):
    data = bytearray(CD_SIZE)
    data[:len(CD_HEAD)] = CD_HEAD.encode()
    for i in range(4096, CD_SIZE, 4096):
        data[i] = (i // 4096) & 0xff
    path = os.path.join(tmpdir, 'cd.raw')
    with open(path, 'wb') as f:
        f.write(data)
    return path, hashlib.md5(data).hexdigest()


def setup(ctx):
    """spapr-vscsi from -drive if=scsi (units 0 and 1), or virtio-scsi-pci with -device."""
    ctx.fmt = ctx.name.split('-')[-1]
    ctx.disk = make_disk(ctx.tmpdir, ctx.fmt)
    cd, ctx.cd_md5 = make_cd(ctx.tmpdir)
    if ctx.case.mode == 'scsi-vscsi':
        ctx.extra += ['-drive', 'file=%s,if=scsi,format=%s' % (ctx.disk, ctx.fmt),
                      '-drive', 'file=%s,if=scsi,media=cdrom,format=raw' % cd]
    else:
        ctx.extra += ['-device', 'virtio-scsi-pci,id=vs0',
                      '-drive', 'file=%s,if=none,id=hd0,format=%s' % (ctx.disk, ctx.fmt),
                      '-device', 'scsi-hd,drive=hd0,bus=vs0.0,scsi-id=0,lun=0',
                      '-drive', 'file=%s,if=none,id=cd0,media=cdrom,format=raw' % cd,
                      '-device', 'scsi-cd,drive=cd0,bus=vs0.0,scsi-id=1,lun=0']


def play(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/sda and /dev/sr0 appear', '%r' % bad)
    res = results(m.lines)
    tap.ok(res.get('sda-model', '').split() == ['QEMU', 'QEMU', 'HARDDISK'],
           'the disk is a QEMU HARDDISK', '%r' % res.get('sda-model'))
    tap.ok(res.get('sr0-model', '').split() == ['QEMU', 'QEMU', 'CD-ROM'],
           'the CD is a QEMU CD-ROM', '%r' % res.get('sr0-model'))
    tap.ok(res.get('sr0-size') == str(CD_SIZE // 512), 'the CD has %d sectors'
           % (CD_SIZE // 512), '%r' % res.get('sr0-size'))
    tap.ok(res.get('sr0-head') == CD_HEAD, 'the guest reads what the host wrote on the CD',
           '%r' % res.get('sr0-head'))
    tap.ok(res.get('sr0-md5') == ctx.cd_md5, 'the whole CD reads back',
           '%r' % res.get('sr0-md5'))
    tap.ok(res.get('sda-cache') == 'write back', 'the disk has a write-back cache (WCE)',
           '%r' % res.get('sda-cache'))
    check_disk(tap, res, 'sda', ctx.tmpdir, ctx.disk, ctx.fmt)


def case(mode, firmwares=('vof', 'slof')):
    return Case(mode, ['-no-reboot'], 150, play, setup=setup, firmwares=firmwares)


CASES = {
    'scsi-vscsi-raw': case('scsi-vscsi'),
    'scsi-vscsi-qcow2': case('scsi-vscsi', ('vof',)),
    'scsi-virtio-raw': case('scsi-virtio', ('vof',)),
    'scsi-virtio-qcow2': case('scsi-virtio'),
}

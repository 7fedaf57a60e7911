"""block_resize and SCSI hot-plug while Linux runs (monitor/qmp-block-resize.c,
hw/virtio/virtio-blk.c, hw/virtio/virtio-scsi.c): /init reads /sys/block/vda/size of a
1 MiB raw disk on virtio-blk-pci, the host grows it to 3 MiB over QMP, and Debian's
virtio_blk takes the configuration-change interrupt, re-reads the capacity (6144
sectors) and logs "detected capacity change" (resize.sh).  On virtio-scsi-pci the host
grows sda the same way (the parameter-change event makes Linux re-read it), adds a
second disk with device_add (the rescan event makes sdb appear) and takes it away with
device_del (the removal event makes it go)."""

import os

from ftlib import Case, QUIET, ended, results


def setup(ctx):
    ctx.disk = os.path.join(ctx.tmpdir, 'vd.raw')
    with open(ctx.disk, 'wb') as f:
        f.truncate(1 << 20)
    ctx.extra += ['-drive', 'file=%s,if=none,id=vd,format=raw' % ctx.disk,
                  '-device', 'virtio-blk-pci,drive=vd']


def play(tap, m, ctx):
    if tap.ok(m.wait_line('^FUNCTEST resize-step 1$', 1, ctx.limit), '/init: /dev/vda read',
              'console silent or exited'):
        a = m.qmp(('block_resize', {'device': 'vd', 'size': 3 << 20}))[0]
        tap.ok(a == {'return': {}}, 'block_resize answers {}', '%r' % a)
        m.type('go\n')
    st = m.wait(ctx.limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0', ended(m, st))
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/vda appears', '%r' % bad)
    res = results(m.lines)
    tap.ok(res.get('vda-size1') == '2048', 'the disk has 2048 sectors',
           '%r' % res.get('vda-size1'))
    tap.ok(res.get('vda-size2') == '6144', 'after block_resize the guest sees 6144 sectors',
           '%r' % res.get('vda-size2'))
    tap.ok(res.get('vda-changed') == 'logged', 'the kernel logs the capacity change',
           '%r' % res.get('vda-changed'))


def setup_scsi(ctx):
    for name in ('sd.raw', 'hp.raw'):
        with open(os.path.join(ctx.tmpdir, name), 'wb') as f:
            f.truncate(1 << 20)
    ctx.extra += ['-device', 'virtio-scsi-pci,id=s0',
                  '-drive', 'file=%s,if=none,id=sd,format=raw' % os.path.join(ctx.tmpdir, 'sd.raw'),
                  '-device', 'scsi-hd,drive=sd,bus=s0.0,scsi-id=0',
                  '-drive', 'file=%s,if=none,id=hp,format=raw' % os.path.join(ctx.tmpdir, 'hp.raw')]


def play_scsi(tap, m, ctx):
    if tap.ok(m.wait_line('^FUNCTEST resize-step 1$', 1, ctx.limit), '/init: /dev/sda read',
              'console silent or exited'):
        a = m.qmp(('block_resize', {'device': 'sd', 'size': 3 << 20}))[0]
        tap.ok(a == {'return': {}}, 'block_resize answers {}', '%r' % a)
        a = m.qmp(('device_add', {'driver': 'scsi-hd', 'drive': 'hp', 'id': 'hp0',
                                  'bus': 's0.0', 'scsi-id': 1}))[0]
        tap.ok(a == {'return': {}}, 'device_add scsi-hd answers {}', '%r' % a)
        m.type('go\n')
    if tap.ok(m.wait_line('^FUNCTEST resize-step 2$', 1, ctx.limit), '/init: asks for the removal',
              'console silent or exited'):
        a = m.qmp(('device_del', {'id': 'hp0'}))[0]
        tap.ok(a == {'return': {}}, 'device_del answers {}', '%r' % a)
        m.type('go\n')
    st = m.wait(ctx.limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0', ended(m, st))
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/sda appears', '%r' % bad)
    res = results(m.lines)
    for key, want, what in (('sda-size1', '2048', 'sda has 2048 sectors'),
                            ('sda-size2', '6144', 'after block_resize sda has 6144 sectors'),
                            ('sdb-size', '2048', 'the hot-plugged disk appears with 2048 sectors'),
                            ('sdb-gone', 'yes', 'after device_del the disk that came goes')):
        tap.ok(res.get(key) == want, what, '%r' % res.get(key))


CASES = {
    'resize-virtio-blk': Case('resize', ['-no-reboot'], 150, play, setup=setup,
                              firmwares=('vof',)),
    'resize-virtio-scsi': Case('resize-scsi', ['-no-reboot'], 150, play_scsi, setup=setup_scsi,
                               firmwares=('vof',)),
}

"""block_resize while Linux runs (monitor/qmp-block-resize.c, hw/virtio/virtio-blk.c):
/init reads /sys/block/vda/size of a 1 MiB raw disk on virtio-blk-pci, the host grows
it to 3 MiB over QMP, and Debian's virtio_blk takes the configuration-change interrupt,
re-reads the capacity (6144 sectors) and logs "detected capacity change" (resize.sh)."""

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


CASES = {
    'resize-virtio-blk': Case('resize', ['-no-reboot'], 150, play, setup=setup,
                              firmwares=('vof',)),
}

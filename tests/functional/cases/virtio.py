"""virtio devices (hw/virtio) with Debian's virtio modules: a virtio-blk disk from
-drive if=virtio (an image made per run, raw or qcow2) and virtio-rng (virtio.sh).  These
modes skip the checks of every boot."""

from diskcheck import check_disk, make_disk
from ftlib import Case, powers_off, results

KMODS = {'virtio': ['drivers/virtio/virtio_ring', 'drivers/virtio/virtio',
                    'drivers/virtio/virtio_pci_modern_dev',
                    'drivers/virtio/virtio_pci_legacy_dev', 'drivers/virtio/virtio_pci',
                    'drivers/block/virtio_blk', 'drivers/char/hw_random/virtio-rng',
                    'net/core/failover', 'drivers/net/net_failover',
                    'drivers/net/virtio_net']}


def setup_blk(ctx):
    ctx.fmt = ctx.name.split('-')[-1]
    ctx.disk = make_disk(ctx.tmpdir, ctx.fmt)
    ctx.extra += ['-drive', 'file=%s,if=virtio,format=%s' % (ctx.disk, ctx.fmt)]


def play_blk(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load and /dev/vda appears', '%r' % bad)
    tap.ok('FUNCTEST ok vda' in m.lines, '/dev/vda is there')
    check_disk(tap, results(m.lines), 'vda', ctx.tmpdir, ctx.disk, ctx.fmt)


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

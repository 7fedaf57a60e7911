"""Removable media while Linux runs (QMP eject and blockdev-change-medium, hw/scsi's
scsi-cd): Debian's sr_mod reads a CD on spapr-vscsi; while /init holds /dev/sr0 open
(the door locked), QMP eject without force fails as QEMU's and query-block says locked;
once /init lets go, blockdev-change-medium puts another image in, and the guest reads the
new medium's size and contents at its next open; after an eject the guest finds no
medium (media.sh).  The host answers /init's questions on the console."""

import hashlib
import os

from ftlib import Case, QUIET, ended, results

KMODS = {
    'media': ['drivers/cdrom/cdrom', 'drivers/scsi/sr_mod', 'drivers/scsi/scsi_transport_srp',
              'drivers/scsi/ibmvscsi/ibmvscsi'],
}

LOCKED = ("Device 'cd' is locked and force was not specified, wait for tray to open and try "
          "again")


def make_cd(tmpdir, name, head, size):
    """An image holding HEAD, then a byte per 4 KiB: (path, md5)."""
    data = bytearray(size)
    data[:len(head)] = head.encode()
    for i in range(4096, size, 4096):
        data[i] = (i // 4096 * 7) & 0xff
    path = os.path.join(tmpdir, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path, hashlib.md5(data).hexdigest()


def setup(ctx):
    ctx.cd1, ctx.md5_1 = make_cd(ctx.tmpdir, 'cd1.raw', 'FIRST-MEDIUM-0123456789abcdefghi', 1 << 20)
    ctx.cd2, ctx.md5_2 = make_cd(ctx.tmpdir, 'cd2.raw', 'SECOND-MEDIUM-abcdefghij01234567', 3 << 20)
    ctx.extra += ['-drive', 'file=%s,if=none,id=cd,media=cdrom,format=raw' % ctx.cd1,
                  '-device', 'spapr-vscsi', '-device', 'scsi-cd,drive=cd,id=cd0']


def block(m):
    """query-block's entry for the CD (or the error)."""
    a = m.qmp('query-block')[0]
    for b in a.get('return', []):
        if b.get('device') == 'cd':
            return b
    return a


def step(tap, m, ctx, n, what):
    """Waits for /init's question N; False when it did not come."""
    return tap.ok(m.wait_line('^FUNCTEST media-step %d$' % n, 1, ctx.limit),
                  '/init: %s' % what, 'console silent or exited')


def play(tap, m, ctx):
    if step(tap, m, ctx, 1, 'the first CD read, /dev/sr0 held open'):
        b = block(m)
        tap.ok(b.get('locked') is True and b.get('tray_open') is False,
               'query-block: the guest locked the tray', '%r' % b)
        a = m.qmp(('eject', {'device': 'cd'}))[0]
        tap.ok(a.get('error', {}).get('desc') == LOCKED,
               'eject without force fails: %s' % LOCKED, '%r' % a)
        b = block(m)
        tap.ok(b.get('inserted', {}).get('file') == ctx.cd1, 'the medium is still in', '%r' % b)
        m.type('go\n')
    if step(tap, m, ctx, 2, '/dev/sr0 closed'):
        b = block(m)
        tap.ok(b.get('locked') is False, 'query-block: unlocked', '%r' % b)
        a = m.qmp(('blockdev-change-medium', {'id': 'cd0', 'filename': ctx.cd2,
                                              'format': 'raw'}))[0]
        tap.ok(a == {'return': {}}, 'blockdev-change-medium answers {}', '%r' % a)
        b = block(m)
        tap.ok(b.get('inserted', {}).get('file') == ctx.cd2 and b.get('tray_open') is False,
               'query-block: the new medium, tray closed', '%r' % b)
        m.type('go\n')
    if step(tap, m, ctx, 3, 'the second CD read'):
        a = m.qmp(('eject', {'id': 'cd0'}))[0]
        tap.ok(a == {'return': {}}, 'eject answers {}', '%r' % a)
        b = block(m)
        tap.ok('inserted' not in b and b.get('tray_open') is True,
               'query-block: tray open, no medium', '%r' % b)
        m.type('go\n')
    st = m.wait(ctx.limit, QUIET)
    tap.ok(st == 0, 'powers off with exit status 0', ended(m, st))
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/sr0 appears', '%r' % bad)
    res = results(m.lines)
    tap.ok(res.get('cd1-size') == str((1 << 20) // 512), 'the first CD has 2048 sectors',
           '%r' % res.get('cd1-size'))
    tap.ok(res.get('cd1-md5') == ctx.md5_1, 'the guest reads the first CD',
           '%r' % res.get('cd1-md5'))
    tap.ok(res.get('cd2-size') == str((3 << 20) // 512),
           'after the change the guest sees the new size (6144 sectors)',
           '%r' % res.get('cd2-size'))
    tap.ok(res.get('cd2-head') == 'SECOND-MEDIUM-abcdefghij01234567',
           'the guest reads the new medium at its next open', '%r' % res.get('cd2-head'))
    tap.ok(res.get('cd2-md5') == ctx.md5_2, 'the whole new medium reads back',
           '%r' % res.get('cd2-md5'))
    tap.ok(res.get('cd3-read') == 'no-medium', 'after the eject the guest finds no medium',
           '%r' % res.get('cd3-read'))


CASES = {
    'media-cd-change': Case('media', ['-no-reboot'], 150, play, setup=setup, firmwares=('vof',)),
}

"""Migration of a running Linux guest (migration/ and the device state tables): the
guest reads and writes its disk in a loop and uses its NIC on user networking
(migrate.sh) -- virtio-blk and virtio-net, or (migrate-vio-*) a scsi-hd on spapr-vscsi
and spapr-vlan; after a few rounds the host migrates it to a second emulator started
with -incoming (unix: or exec:).  The destination's console carries on with the next
round, every round reads the right data, the image holds every round's marker and is
consistent (qemu-img check for qcow2), and the guest reaches the host through the
destination's user network.  These modes skip the checks of every boot."""

import hashlib
import os
import subprocess
import time

from cases.net import HostNet
from diskcheck import DISK_HEAD, DISK_SIZE, disk_bytes, make_disk
from ftlib import Case, Machine, ended, results

ROUNDS = 20
# The source migrates once the guest has printed this round.
MIGRATE_AFTER = 3
MARKER_SECTOR = 24576


def setup(ctx):
    """migrate-[vio-|block-]TRANSPORT-FORMAT: virtio-blk and virtio-net, or (vio) a
    scsi-hd on spapr-vscsi and spapr-vlan; block: the destination has its own image."""
    parts = ctx.name.split('-')
    ctx.fmt, ctx.transport = parts[-1], parts[-2]
    ctx.disk = make_disk(ctx.tmpdir, ctx.fmt)
    ctx.net = HostNet(ctx.tmpdir)
    ctx.extra += ['-drive', 'file=%s,if=none,id=d0,format=%s' % (ctx.disk, ctx.fmt),
                  '-netdev', 'user,id=n0']
    if 'vio' in parts:
        ctx.append += ' functest.nic=ibmveth functest.mods=scsi,scsi-vscsi functest.disk=sda'
        ctx.extra += ['-device', 'spapr-vscsi', '-device', 'scsi-hd,drive=d0',
                      '-device', 'spapr-vlan,netdev=n0']
    else:
        ctx.append += ' functest.nic=virtio functest.disk=vda'
        ctx.extra += ['-device', 'virtio-blk-pci,drive=d0',
                      '-device', 'virtio-net-pci,netdev=n0,romfile=']
    ctx.append += ' functest.port=%d functest.rounds=%d' % (ctx.net.port, ROUNDS)


def cleanup(ctx):
    ctx.net.close()


def rounds(lines):
    """{round: md5} from the FUNCTEST round lines."""
    out = {}
    for ln in lines:
        w = ln.split()
        if len(w) == 4 and w[:2] == ['FUNCTEST', 'round']:
            out[int(w[2])] = w[3]
    return out


def wait_migrated(m, timeout):
    end = time.monotonic() + timeout
    st = None
    while time.monotonic() < end:
        st = m.qmp('query-migrate')[0].get('return', {}).get('status')
        if st in ('completed', 'failed'):
            return st
        time.sleep(0.2)
    return st


def play(tap, m, ctx):
    src_ready = m.wait_line('^FUNCTEST round %d ' % MIGRATE_AFTER, timeout=ctx.limit)
    tap.ok(src_ready, 'the workload runs on the source (round %d)' % MIGRATE_AFTER,
           '%r' % m.lines[-5:])
    if not src_ready:
        return
    kernel = m.cmd[m.cmd.index('-kernel') + 1]
    initrd = m.cmd[m.cmd.index('-initrd') + 1]
    ddir = os.path.join(ctx.tmpdir, 'dest')
    os.makedirs(ddir)
    stream = os.path.join(ctx.tmpdir, 'stream')
    if ctx.transport == 'unix':
        sock = os.path.join(ctx.tmpdir, 'mig.sock')
        d = Machine(m.cmd[0], ctx.firmware, ctx.oracle, kernel, initrd, ctx.append,
                    ctx.extra + ['-incoming', 'unix:' + sock], ddir)
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        uri = 'unix:' + sock
    else:
        uri = 'exec:cat > ' + stream
    r = m.qmp(('migrate', {'uri': uri}))[0]
    tap.ok('return' in r, 'migrate is accepted', '%r' % r)
    st = wait_migrated(m, 120)
    tap.ok(st == 'completed', 'the migration completes', '%r (stderr %r)' % (st, m.stderr))
    status = m.qmp('query-status')[0].get('return', {}).get('status')
    tap.ok(status == 'postmigrate', 'the source is in postmigrate', '%r' % status)
    last_src = max(rounds(m.lines) or [0])
    m.qmp('quit')
    m.wait(30)
    if ctx.transport == 'exec':
        d = Machine(m.cmd[0], ctx.firmware, ctx.oracle, kernel, initrd, ctx.append,
                    ctx.extra + ['-incoming', 'exec:cat ' + stream], ddir)
    done = d.wait_line('^FUNCTEST result net-after', timeout=ctx.limit)
    st = d.wait(60)
    tap.ok(done and st == 0, 'the destination runs the workload to its end and powers off',
           '%s; %r; stderr %r' % (ended(d, st), d.lines[-8:], d.stderr[-400:]))
    # The destination prints no boot: its console starts where the source's stopped.
    tap.ok(not any('Linux version' in ln for ln in d.lines),
           'the destination did not boot the guest again')
    src, dst = rounds(m.lines), rounds(d.lines)
    res = results(m.lines)
    want = res.get('data-md5')
    tap.ok(dst and min(dst) in (last_src, last_src + 1) and max(dst) == ROUNDS,
           'the console carries on at round %d on the destination' % (last_src + 1),
           'source 1..%d, destination %r' % (last_src, sorted(dst)))
    every = dict(src)
    every.update(dst)
    tap.ok(sorted(every) == list(range(1, ROUNDS + 1)) and
           all(v == want for v in every.values()),
           'every round read the data written before the migration (%s)' % want,
           '%r' % every)
    tap.ok(results(d.lines).get('net-after') == ctx.net.token,
           'the guest reaches the host through the destination\'s network',
           '%r' % results(d.lines).get('net-after'))
    if ctx.fmt == 'qcow2':
        r = subprocess.run(['qemu-img', 'check', ctx.disk], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        tap.ok(r.returncode == 0, 'qemu-img check is clean', r.stdout.strip()[-300:])
        raw = os.path.join(ctx.tmpdir, 'after.raw')
        subprocess.run(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', ctx.disk, raw],
                       check=True)
    else:
        raw = ctx.disk
    with open(raw, 'rb') as f:
        data = f.read()
    marks = [data[(MARKER_SECTOR + i) * 512:(MARKER_SECTOR + i) * 512 + 10].split(b'\n')[0]
             for i in range(1, ROUNDS + 1)]
    tap.ok(marks == [b'ROUND-%d' % i for i in range(1, ROUNDS + 1)],
           'the image holds the marker of every round, before and after the migration',
           '%r' % marks)


def play_block(tap, m, ctx):
    """Block migration: the destination starts on an empty image of its own; the source
    copies the disk in the stream (QMP migrate blk=true for raw, the capability block
    for qcow2) while the guest goes on writing a marker a round.  The migration is held
    to a section per 100 ms until a round has been written after the disk's first pass
    (query-migrate's disk counters), so that round's marker reaches the destination
    only as a chunk written during the copy and sent again."""
    src_ready = m.wait_line('^FUNCTEST round %d ' % MIGRATE_AFTER, timeout=ctx.limit)
    tap.ok(src_ready, 'the workload runs on the source (round %d)' % MIGRATE_AFTER,
           '%r' % m.lines[-5:])
    if not src_ready:
        return
    kernel = m.cmd[m.cmd.index('-kernel') + 1]
    initrd = m.cmd[m.cmd.index('-initrd') + 1]
    ddir = os.path.join(ctx.tmpdir, 'dest')
    os.makedirs(ddir)
    dimg = os.path.join(ddir, 'disk.' + ctx.fmt)
    if ctx.fmt == 'qcow2':
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', dimg, str(DISK_SIZE)],
                       check=True)
    else:
        with open(dimg, 'wb') as f:
            f.truncate(DISK_SIZE)
    sock = os.path.join(ctx.tmpdir, 'mig.sock')
    dextra = [x.replace(ctx.disk, dimg) for x in ctx.extra]
    d = Machine(m.cmd[0], ctx.firmware, ctx.oracle, kernel, initrd, ctx.append,
                dextra + ['-incoming', 'unix:' + sock], ddir)
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.1)
    r = m.qmp(('migrate-set-parameters', {'max-bandwidth': 1000}))[0]
    tap.ok('return' in r, 'max-bandwidth 1000: a section per 100 ms', '%r' % r)
    if ctx.fmt == 'qcow2':
        r = m.qmp(('migrate-set-capabilities',
                   {'capabilities': [{'capability': 'block', 'state': True}]}),
                  ('migrate', {'uri': 'unix:' + sock}))
    else:
        r = m.qmp(('migrate', {'uri': 'unix:' + sock, 'blk': True}))
    tap.ok(all('return' in x for x in r), 'migrate with block migration is accepted', '%r' % r)
    # The disk's first pass: every chunk sent once.
    disk, end = {}, time.monotonic() + 300
    while time.monotonic() < end:
        disk = m.qmp('query-migrate')[0].get('return', {}).get('disk', {})
        if disk.get('total') and disk.get('transferred', 0) >= disk['total']:
            break
        time.sleep(0.2)
    tap.ok(disk.get('total') == DISK_SIZE and disk.get('transferred', 0) >= DISK_SIZE,
           'query-migrate shows the disk (%d bytes) sent once' % DISK_SIZE, '%r' % disk)
    r0 = max(rounds(m.lines) or [0])
    during = m.wait_line('^FUNCTEST round %d ' % (r0 + 2), timeout=120)
    st = m.qmp('query-migrate')[0].get('return', {}).get('status')
    tap.ok(during and st == 'active',
           'round %d was written after the disk\'s first pass, the migration still active'
           % (r0 + 2), '%r %r' % (st, m.lines[-3:]))
    m.qmp(('migrate-set-parameters', {'max-bandwidth': 1 << 40}))
    st = wait_migrated(m, 300)
    tap.ok(st == 'completed', 'the migration completes', '%r (stderr %r)' % (st, m.stderr))
    last_src = max(rounds(m.lines) or [0])
    caps = m.qmp('query-migrate-capabilities')[0].get('return', [])
    blk_cap = [c['state'] for c in caps if c['capability'] == 'block']
    tap.ok(blk_cap == [ctx.fmt == 'qcow2'],
           'the capability block is %s after the migration' %
           ('still on (set by the user)' if ctx.fmt == 'qcow2' else 'off again (blk=true)'),
           '%r' % blk_cap)
    m.qmp('quit')
    m.wait(30)
    done = d.wait_line('^FUNCTEST result net-after', timeout=ctx.limit)
    st = d.wait(60)
    tap.ok(done and st == 0, 'the destination runs the workload to its end and powers off',
           '%s; %r; stderr %r' % (ended(d, st), d.lines[-8:], d.stderr[-400:]))
    src, dst = rounds(m.lines), rounds(d.lines)
    want = results(m.lines).get('data-md5')
    every = dict(src)
    every.update(dst)
    tap.ok(last_src >= r0 + 2 and sorted(every) == list(range(1, ROUNDS + 1)) and
           all(v == want for v in every.values()),
           'every round on both sides read the data written before the migration (%s)'
           % want, '%r' % every)
    if ctx.fmt == 'qcow2':
        r = subprocess.run(['qemu-img', 'check', dimg], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        tap.ok(r.returncode == 0, 'qemu-img check of the destination\'s image is clean',
               r.stdout.strip()[-300:])
    data = disk_bytes(ddir, dimg, ctx.fmt)
    tap.ok(data.startswith(DISK_HEAD.encode()),
           'the destination\'s image holds the head the host wrote on the source\'s')
    tap.ok(hashlib.md5(data[2 << 20:6 << 20]).hexdigest() == want,
           'the destination\'s image holds the 4 MiB the guest wrote on the source')
    marks = [data[(MARKER_SECTOR + i) * 512:(MARKER_SECTOR + i) * 512 + 10].split(b'\n')[0]
             for i in range(1, ROUNDS + 1)]
    tap.ok(marks == [b'ROUND-%d' % i for i in range(1, ROUNDS + 1)],
           'the destination\'s image holds rounds 1..%d (source, %d..%d during the copy) '
           'and %d..%d (its own)' % (last_src, r0 + 1, last_src, last_src + 1, ROUNDS),
           '%r' % marks)
    sdata = disk_bytes(ctx.tmpdir, ctx.disk, ctx.fmt)
    tap.ok(sdata[:MARKER_SECTOR * 512 + (last_src + 1) * 512] ==
           data[:MARKER_SECTOR * 512 + (last_src + 1) * 512],
           'the destination\'s image equals the source\'s up to the last source round')


# No oracle runs: on Debian's QEMU 7.2 the migration completes but the destination often
# never prints another round (the vio case twice in a row; exec-raw in 2 of 4 runs in
# session 34, after passing for weeks).  The likely cause: QEMU 7.2 does not carry the
# decrementer across a TCG migration (later QEMU does), so a guest idle at the switch-over
# can wait forever.
# These cases check ours; the checks themselves passed on QEMU 7.2 when it did not hang.
CASES = {
    # unix: the destination opens the image while the source still writes it.
    'migrate-unix-qcow2': Case('migrate', [], 600, play, setup=setup, cleanup=cleanup,
                               firmwares=('vof',), oracle=False),
    'migrate-exec-raw': Case('migrate', [], 600, play, setup=setup, cleanup=cleanup,
                             firmwares=('vof',), oracle=False),
    # spapr-vscsi with a scsi-hd and spapr-vlan (CRQ, SRP, the receive buffers).
    # Block migration (blk=true / the capability block): the destination's own image.
    'migrate-block-unix-raw': Case('migrate', [], 600, play_block, setup=setup,
                                   cleanup=cleanup, firmwares=('vof',), oracle=False),
    'migrate-block-unix-qcow2': Case('migrate', [], 600, play_block, setup=setup,
                                     cleanup=cleanup, firmwares=('vof',), oracle=False),
    'migrate-vio-unix-raw': Case('migrate', [], 600, play, setup=setup, cleanup=cleanup,
                                 firmwares=('vof',), oracle=False),
}

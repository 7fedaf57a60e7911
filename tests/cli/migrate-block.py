"""Block migration's cases against QEMU 7.2 (test-migrate-block.sh diffs the transcripts):
inc over a qcow2 overlay (only the top layer's chunks), a drive with no -drive id, a
-blockdev node (no name: the destination refuses it), the exec: and fd: transports, and
info migrate's disk lines and migrate_cancel in the middle of the copy.

Usage: migrate-block.py QEMU DIR [oracle].  Every line printed is compared; sizes vary
with the machine's RAM stream, so only comparisons against bounds are printed."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import qmpsock

QEMU, DIR = sys.argv[1], sys.argv[2]
ORACLE = len(sys.argv) > 3
MIB = 1 << 20


def sh(cmd):
    return subprocess.run(cmd, shell=True, cwd=DIR, capture_output=True, text=True, check=False)


def launch(name, args, **popen):
    path = os.path.join(DIR, name + '.qmp')
    cmd = [QEMU, '-display', 'none', '-M', 'pseries', '-nodefaults',
           '-qmp', 'unix:%s,server=on,wait=off' % path, '-S'] + args
    if ORACLE:
        cmd += ['-vga', 'none']
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(DIR, name + '.err'), 'w'), **popen)
    return proc, qmpsock.Qmp(qmpsock.connect(path))


def images(kind):
    """base.qcow2 (64 MiB of 0x11) and overlays src/dst over it; src's own clusters:
    64 KiB at 5 MiB, 3 MiB at 20 MiB, a zero cluster run at 40 MiB."""
    for f in os.listdir(DIR):
        os.unlink(os.path.join(DIR, f))
    if kind == 'raw':
        sh('qemu-img create -f raw src.img 64M; qemu-img create -f raw dst.img 64M;'
           "qemu-io -f raw -c 'write -P 0x44 0 64M' src.img")
        return 'raw'
    sh("qemu-img create -f qcow2 base.qcow2 64M; qemu-io -f qcow2 -c 'write -P 0x11 0 64M' base.qcow2;"
       'qemu-img create -f qcow2 -b base.qcow2 -F qcow2 src.img;'
       'qemu-img create -f qcow2 -b base.qcow2 -F qcow2 dst.img;'
       "qemu-io -f qcow2 -c 'write -P 0x22 5M 64k' -c 'write -P 0x33 20M 3M' -c 'write -z 40M 1M' src.img")
    return 'qcow2'


def drive(side, fmt, how='id'):
    img = os.path.join(DIR, side + '.img')
    if how == 'id':
        return ['-drive', 'file=%s,format=%s,if=none,id=d0' % (img, fmt),
                '-device', 'virtio-blk-pci,drive=d0']
    if how == 'noid':
        return ['-drive', 'file=%s,format=%s,if=none' % (img, fmt),
                '-device', 'virtio-blk-pci,drive=none0']
    return ['-blockdev', 'driver=%s,node-name=n0,file.driver=file,file.filename=%s' % (fmt, img),
            '-device', 'virtio-blk-pci,drive=n0']


def wait_end(q):
    for _ in range(1200):
        r = q.cmd('query-migrate')['return']
        if r.get('status') in ('completed', 'failed', 'cancelled'):
            return r
        time.sleep(0.1)
    return r


def finish(procs, qmps):
    for p, q in zip(procs, qmps):
        if p.poll() is None:
            q.cmd('quit')
    return [p.wait(timeout=60) for p in procs]


def top_map():
    """The MiB the destination overlay allocates itself (qemu-img map, depth 0)."""
    out = json.loads(sh('qemu-img map --output=json -f qcow2 dst.img').stdout)
    return ['%d%s' % (m, ' zero' if e['zero'] else '') for e in out if e['depth'] == 0
            for m in range(e['start'] // MIB, (e['start'] + e['length'] + MIB - 1) // MIB)]


def compare(fmt):
    r = sh('qemu-img compare -f %s -F %s src.img dst.img' % (fmt, fmt))
    return r.stdout.strip() or r.stderr.strip()


def over_socket(case, how, args):
    fmt = images('qcow2')
    uri = 'unix:' + os.path.join(DIR, 'mig')
    dp, dq = launch('dst', drive('dst', fmt, how) + ['-incoming', uri])
    sp, sq = launch('src', drive('src', fmt, how))
    print(case, 'query-block', [b['device'] for b in sq.cmd('query-block')['return']])
    print(case, 'migrate', sq.cmd('migrate', dict(uri=uri, **args)))
    r = wait_end(sq)
    print(case, 'source', r['status'], 'error' if r.get('error-desc') else '')
    for _ in range(100):
        if dp.poll() is not None or dq.cmd('query-status')['return']['status'] != 'inmigrate':
            break
        time.sleep(0.1)
    print(case, 'destination', 'exited %d' % dp.poll() if dp.poll() is not None
          else dq.cmd('query-status')['return']['status'])
    print(case, 'exit', finish([sp, dp], [sq, dq]))
    print(case, 'compare', compare(fmt))
    print(case, 'destination overlay', top_map())


def over_exec(case, fmt, args, bound):
    images(fmt)
    stream = os.path.join(DIR, 'stream')
    sp, sq = launch('src', drive('src', fmt))
    print(case, 'migrate', sq.cmd('migrate', dict(uri='exec:cat > ' + stream, **args)))
    print(case, 'source', wait_end(sq)['status'])
    print(case, 'exit', finish([sp], [sq]))
    size = os.path.getsize(stream)
    print(case, 'stream %s %d MiB' % ('<' if size < bound * MIB else '>=', bound))
    dp, dq = launch('dst', drive('dst', fmt) + ['-incoming', 'exec:cat ' + stream])
    for _ in range(600):
        if dq.cmd('query-status')['return']['status'] != 'inmigrate':
            break
        time.sleep(0.1)
    print(case, 'destination', dq.cmd('query-status')['return']['status'])
    print(case, 'exit', finish([dp], [dq]))
    print(case, 'compare', compare(fmt))
    if fmt == 'qcow2':
        print(case, 'destination overlay', top_map())


def over_fd():
    fmt = images('raw')
    a, b = socket.socketpair()
    dp, dq = launch('dst', drive('dst', fmt) + ['-incoming', 'fd:%d' % b.fileno()],
                    pass_fds=[b.fileno()])
    b.close()
    sp, sq = launch('src', drive('src', fmt))
    socket.send_fds(sq.sock, [b'{"execute": "getfd", "arguments": {"fdname": "mig"}}\n'],
                    [a.fileno()])
    print('fd getfd', qmpsock.next_reply(sq.reader))
    a.close()
    print('fd migrate', sq.cmd('migrate', {'uri': 'fd:mig', 'blk': True}))
    print('fd source', wait_end(sq)['status'])
    for _ in range(100):
        if dq.cmd('query-status')['return']['status'] != 'inmigrate':
            break
        time.sleep(0.1)
    print('fd destination', dq.cmd('query-status')['return']['status'])
    print('fd exit', finish([sp, dp], [sq, dq]))
    print('fd compare', compare(fmt))


def cancel():
    """info migrate's disk lines while the copy is held back, then migrate_cancel."""
    fmt = images('raw')
    uri = 'unix:' + os.path.join(DIR, 'mig')
    dp, dq = launch('dst', drive('dst', fmt) + ['-incoming', uri])
    sp, sq = launch('src', drive('src', fmt))
    print('cancel set', sq.cmd('migrate-set-parameters', {'max-bandwidth': 1000}))
    print('cancel migrate', sq.cmd('migrate', {'uri': uri, 'blk': True}))
    for _ in range(600):
        r = sq.cmd('query-migrate')['return']
        if r.get('disk', {}).get('transferred', 0) > 0:
            break
        time.sleep(0.1)
    info = sq.cmd('human-monitor-command', {'command-line': 'info migrate'})['return']
    disk = [re.sub(r'\d+', 'N', l) for l in info.splitlines() if ' disk: ' in l]
    print('cancel info migrate', disk, 'last' if info.splitlines()[-1] == 'total disk: %d kbytes'
          % (r['disk']['total'] >> 10) else info.splitlines()[-1])
    print('cancel total', r['disk']['total'] == 64 * MIB)
    print('cancel migrate_cancel', sq.cmd('migrate_cancel'))
    print('cancel source', wait_end(sq)['status'], sq.cmd('query-status')['return']['status'])
    print('cancel info after', [l for l in sq.cmd('human-monitor-command', {
        'command-line': 'info migrate'})['return'].splitlines() if 'disk' in l])
    for _ in range(600):
        if dp.poll() is not None:
            break
        time.sleep(0.1)
    print('cancel destination', 'exited %s' % dp.poll())
    print('cancel exit', finish([sp, dp], [sq, dq]))
    print('cancel source image', sh("qemu-io -f raw -r -c 'read -P 0x44 0 64M' src.img").stdout.split('\n')[0])


over_socket('inc', 'id', {'inc': True})
over_socket('noid', 'noid', {'inc': True})
over_socket('blockdev', 'blockdev', {'blk': True})
over_exec('exec-inc', 'qcow2', {'inc': True}, 16)
over_exec('exec-blk', 'raw', {'blk': True}, 64)
over_fd()
cancel()

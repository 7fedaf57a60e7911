#!/usr/bin/env python3
"""`make bench`'s disk throughput inside the guest: the disk image's kernel and
initramfs (VOF) with diskbench.c's program appended as a second archive, on a 256 MiB
raw file on virtio-blk: sequential 1 MiB and random 4 KiB reads and writes with O_DIRECT,
3 s each, on QEMU 7.2 and on ours, best of RUNS boots.

  diskperf.py --qemu OURS --oracle-qemu QEMU --diskbench PROG [--runs N]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases.diskboot import LIMIT, QUIET, disk_assets, find  # noqa: E402
from ftlib import Machine, ended  # noqa: E402

PATTERNS = ['seq-read', 'seq-write', 'rand-read-4k', 'rand-write-4k']


def bench_initrd(assets, diskbench, tmp):
    """The image's initramfs with /bin/diskbench appended (Linux unpacks every archive
    of a concatenation)."""
    stage = os.path.join(tmp, 'stage')
    os.makedirs(os.path.join(stage, 'bin'))
    shutil.copy(diskbench, os.path.join(stage, 'bin', 'diskbench'))
    os.chmod(os.path.join(stage, 'bin', 'diskbench'), 0o755)
    extra = subprocess.run('find bin | cpio --quiet -o -H newc -R 0:0 | gzip -n', shell=True,
                           cwd=stage, check=True, stdout=subprocess.PIPE).stdout
    out = os.path.join(tmp, 'bench-initrd.gz')
    with open(out, 'wb') as f, open(assets['initrd'], 'rb') as base:
        f.write(base.read())
        f.write(extra)
    return out


def bench_run(qemu, oracle, assets, initrd, disk, tmp):
    """One boot (VOF) that runs diskbench on DISK; {pattern: (MB/s, IOPS)} or an error."""
    m = Machine(qemu, 'vof', oracle, assets['vmlinux'], initrd, 'console=hvc0 diskinit=bench',
                ['-no-reboot', '-drive', 'file=%s,if=virtio,format=raw' % disk], tmp)
    st = m.wait(LIMIT, QUIET)
    res = {}
    for p in PATTERNS:
        hit = find(m, r'^DISKBENCH %s ([0-9.]+) MB/s ([0-9]+) IOPS' % re.escape(p))
        if hit:
            res[p] = (float(hit.group(1)), int(hit.group(2)))
    if st != 0 or len(res) != len(PATTERNS):
        err = find(m, r'DISKBENCH error.*')
        return 'FAILED: %s%s' % (ended(m, st), ': ' + err.group(0) if err else '')
    return res


def bench(args):
    print('== disk: virtio-blk on a 256 MiB raw file (cache=writeback), O_DIRECT in the'
          ' guest;')
    print('   sequential 1 MiB and random 4 KiB, 3 s each, best of %d boots (VOF)' % args.runs)
    try:
        assets = disk_assets()
    except RuntimeError as e:
        print('disk: %s' % e)
        return 1
    with tempfile.TemporaryDirectory(prefix='diskbench-') as tmp:
        initrd = bench_initrd(assets, args.diskbench, tmp)
        disk = os.path.join(tmp, 'bench.raw')
        with open(disk, 'wb') as f:
            f.write(os.urandom(256 << 20))
        best = {}
        for tag, qemu, oracle in (('QEMU 7.2', args.oracle_qemu, True),
                                  ('ours', args.qemu, False)):
            for _ in range(args.runs):
                r = bench_run(qemu, oracle, assets, initrd, disk, tmp)
                if isinstance(r, str):
                    best[tag] = r
                    break
                prev = best.setdefault(tag, {})
                for p, v in r.items():
                    if p not in prev or v[0] > prev[p][0]:
                        prev[p] = v
        print('%-14s %22s %22s %8s' % ('pattern', 'QEMU 7.2', 'ours', 'ours/QEMU'))
        for p in PATTERNS:
            cols = []
            for tag in ('QEMU 7.2', 'ours'):
                b = best.get(tag)
                cols.append('%8.1f MB/s %6d IOPS' % b[p] if isinstance(b, dict) else 'n/a')
            q, o = best.get('QEMU 7.2'), best.get('ours')
            ratio = ('%.2f' % (o[p][0] / q[p][0]) if isinstance(q, dict) and isinstance(o, dict)
                     and q[p][0] > 0 else 'n/a')
            print('%-14s %22s %22s %8s' % (p, cols[0], cols[1], ratio))
        for tag in ('QEMU 7.2', 'ours'):
            if isinstance(best.get(tag), str):
                print('%s: %s' % (tag, best[tag]))
        print('(ratio above 1: ours is faster)')
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    ap.add_argument('--diskbench', required=True)
    ap.add_argument('--runs', type=int, default=2)
    args = ap.parse_args()
    for q in (args.qemu, args.oracle_qemu):
        if not os.access(q, os.X_OK):
            print('diskperf: %s is missing or not executable' % q)
            return 1
    return bench(args)


if __name__ == '__main__':
    sys.exit(main())

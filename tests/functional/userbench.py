#!/usr/bin/env python3
"""`make bench`: a Linux userspace workload on Debian's QEMU 7.2 and on ours: the
functional kernel (VOF) boots to init.sh's userwork mode (cases/userwork.sh), which
makes MIB MiB of text with fpcheck, then runs md5sum, gzip -c and gzip -dc back, sort,
and an n-body simulation of STEPS steps (floating point).  Every result is checked
against the host's (cases/userwork.py), so a wrong one fails the run.  The time is the
workload's alone, without the boot: by the guest clock (/proc/uptime) and by the host
(the console lines that open and close it).  Best of RUNS, the emulators interleaved.

  userbench.py --qemu OURS [--oracle-qemu QEMU] --build DIR [--mib N] [--steps N]
               [--runs N] [--ours-only] [--extra OPTION ...]
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ftlib  # noqa: E402
from cases import userwork  # noqa: E402


def run_once(qemu, oracle, vmlinux, initrd, mib, steps, ref, extra):
    """({step: guest s}, host s) for one run, or a one-line reason."""
    with tempfile.TemporaryDirectory(prefix='userbench-') as tmpdir:
        m = ftlib.Machine(qemu, 'vof', oracle, vmlinux, initrd,
                          'console=hvc0 functest=userwork functest.mib=%d '
                          'functest.steps=%d' % (mib, steps),
                          ['-no-reboot'] + extra, tmpdir)
        # A step prints nothing while it runs: allow a long silence.
        st = m.wait(1800, 600)
    if st != 0:
        err = m.stderr.strip().splitlines()
        return m.timed_out or 'exit status %s: %s' % (st, err[-1] if err else '')
    lines = ftlib.without_printk(m.lines)
    bad = userwork.problems(lines, ref)
    if bad:
        return 'wrong results: ' + '; '.join(bad[:3])
    try:
        a = m.lines.index('FUNCTEST userwork-begin')
        b = m.lines.index('FUNCTEST userwork-end')
    except ValueError:
        return 'the workload did not open and close on the console'
    return userwork.times(lines), m.stamps[b] - m.stamps[a]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    ap.add_argument('--build', required=True)
    ap.add_argument('--mib', type=int, default=32)
    ap.add_argument('--steps', type=int, default=500000)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--ours-only', action='store_true',
                    help='no QEMU runs (profiling ours)')
    ap.add_argument('--extra', action='append', default=[],
                    help='one more option for our emulator (e.g. -perfmap)')
    args = ap.parse_args()
    vmlinux, initrd = ftlib.prepare(args.build)
    ref = userwork.reference(args.build, args.mib, args.steps)
    print('== Linux userspace workload (VOF, -m 1G): %d MiB of text made by a static program,'
          % args.mib)
    print('   md5sum, gzip -c and gzip -dc back, sort, n-body %d steps (FP); results checked'
          % args.steps)
    print('   against the host\'s; boot excluded; best of %d, interleaved; host load: %s' %
          (args.runs, open('/proc/loadavg').read().split(' ', 3)[:3]))
    emus = [('ours', args.qemu, False, args.extra)]
    if not args.ours_only:
        emus.insert(0, ('QEMU 7.2 TCG', args.oracle_qemu, True, []))
    best = {}
    failed = set()
    for _ in range(args.runs):
        for tag, qemu, oracle, extra in emus:
            if tag in failed:
                continue
            r = run_once(qemu, oracle, vmlinux, initrd, args.mib, args.steps, ref, extra)
            if not isinstance(r, tuple):
                print('  %-13s FAILED: %s' % (tag + ':', r))
                failed.add(tag)
                best.pop(tag, None)
                continue
            steps, host = r
            old = best.get(tag)
            if old is None or host < old[1]:
                best[tag] = (steps, host)
    for tag, _, _, _ in emus:
        if tag in best:
            steps, host = best[tag]
            print('  %-13s %.2f s by the host, %.2f s by the guest (%s)' %
                  (tag + ':', host, steps['total'],
                   ', '.join('%s %.2f' % (s, steps[s]) for s in userwork.STEPS)))
    if len(best) == 2:
        (os_, oh), (qs, qh) = best['ours'], best['QEMU 7.2 TCG']
        print('  ratio ours/QEMU: %.2f by the host, %.2f by the guest (below 1: ours is '
              'faster); per step: %s' %
              (oh / qh, os_['total'] / qs['total'],
               ', '.join('%s %.2f' % (s, os_[s] / qs[s]) if qs[s] else '%s n/a' % s
                         for s in userwork.STEPS)))
    elif not args.ours_only:
        print('  ratio ours/QEMU: n/a')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

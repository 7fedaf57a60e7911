#!/usr/bin/env python3
"""The functional suite: Debian 12's ppc64el kernel booted to a busybox /init on a pseries
machine (ours or Debian's QEMU 7.2), with VOF or SLOF; prints TAP. Also times the boot
for `make bench`.  The cases are in cases/*.py, what they share in ftlib.py.

  functest.py run --qemu Q --build DIR --case CASE --firmware vof|slof [--oracle]
  functest.py list FAMILY      (for meson: "CASE FIRMWARE ours|oracle" per registered run)
  functest.py bench --qemu OURS --oracle-qemu QEMU --build DIR
  functest.py prepare --build DIR   (make run-linux)
  functest.py selftest
"""

import argparse
import gzip
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402
from ftlib import (HERE, QUIET, Ctx, Machine, Tap, build_initramfs, check_boot,  # noqa: E402
                   compare_fpcheck, prepare)


def host_fpcheck(build):
    return subprocess.run([os.path.join(build, 'fpcheck-host')], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.splitlines()


# The first line of a Linux oops, BUG, warning or panic report.
KERNEL_REPORT = re.compile(r'Oops|BUG:|WARNING:|Kernel panic|Unable to handle|'
                           r'rcu_sched self-detected|watchdog: BUG')


def run_case(args):
    _, case = cases.all_cases()[args.case]
    label = '%s-%s%s' % (args.case, args.firmware, '-oracle' if args.oracle else '')
    tap = Tap(label)
    os.makedirs(args.build, exist_ok=True)
    vmlinux, initrd = prepare(args.build)
    host_fp = host_fpcheck(args.build)
    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        ctx = Ctx(args.case, case, args, tmpdir, host_fp)
        m = None
        try:
            if case.setup:
                case.setup(ctx)
            disk = case.boot == 'disk'
            m = Machine(args.qemu, args.firmware, args.oracle, None if disk else vmlinux,
                        initrd, ctx.append, ctx.extra, tmpdir)
            case.play(tap, m, ctx)
        finally:
            if m and m.proc.returncode is None:
                m.wait(1)
            if case.cleanup:
                case.cleanup(ctx)
        if os.environ.get('FUNCTEST_LOG'):
            with open(os.environ['FUNCTEST_LOG'], 'w') as f:
                f.write('\n'.join(m.lines) + '\n')
        if tap.failed:
            sys.stdout.write('# command: %s\n' % ' '.join(m.cmd))
            # A kernel report early in the boot explains a later failure: its
            # first 30 lines, wherever it is, before the console's tail.
            first = next((i for i, ln in enumerate(m.lines[:-40]) if KERNEL_REPORT.search(ln)),
                         None)
            if first is not None:
                for ln in m.lines[first:min(first + 30, len(m.lines) - 40)]:
                    sys.stdout.write('# console (earlier): %s\n' % ln)
            for ln in m.lines[-40:]:
                sys.stdout.write('# console: %s\n' % ln)
            for ln in m.stderr.splitlines()[-60:]:
                sys.stdout.write('# stderr: %s\n' % ln)
    return tap.end()


def list_family(args):
    """The runs meson registers for a family: each case on ours with each of its
    firmwares, and on the oracle where the case says so."""
    for name, case in cases.family(args.family).CASES.items():
        for fw in case.firmwares:
            print('%s %s ours' % (name, fw))
            if case.oracle:
                print('%s %s oracle' % (name, fw))
    return 0


def boot_once(qemu, oracle, firmware, vmlinux, initrd, host_fp, limit, extra=()):
    """One functional boot for the benchmark (EXTRA: more emulator options, -smp 2):
    (wall seconds, CPU seconds, peak RSS KiB, ...) when it powered off with every check
    passing, else a one-line reason."""
    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        m = Machine(qemu, firmware, oracle, vmlinux, initrd, 'console=hvc0 functest=boot',
                    ['-no-reboot'] + list(extra), tmpdir)
        st = m.wait(limit, QUIET)
        if st is None:
            return m.timed_out
        if st != 0:
            err = m.stderr.strip().splitlines()
            return 'exit status %d: %s' % (st, err[-1] if err else '')
        with open(os.devnull, 'w') as null:
            out = sys.stdout
            sys.stdout = null
            tap = Tap('bench')
            check_boot(tap, m.lines, host_fp)
            sys.stdout = out
        if tap.failed:
            return '%d of the /init checks failed' % tap.failed
        # When the first timestamped kernel line came (firmware, prom_init and early boot
        # are over by then)
        # and when /init started.
        first = next((i for i, ln in enumerate(m.lines) if re.match(r'\[ *0\.0', ln)), 0)
        at_init = m.stamps[m.lines.index('FUNCTEST start mode=boot')]
        return m.wall, m.cpu, m.rss_kib, m.stamps[first], at_init


def bench(args):
    """`make bench`: the functional boot timed on Debian's QEMU and on ours, VOF and SLOF,
    best of RUNS by wall time and by CPU time (user + system: on a loaded machine wall time
    is mostly waiting for a core), with the peak RSS of the best-wall run."""
    vmlinux, initrd = prepare(args.build)
    host_fp = host_fpcheck(args.build)
    print('== Linux boot: start to power-off of the functional boot (Debian %s, busybox '
          '/init with its checks), best of %d wall-clock runs' %
          (os.path.basename(vmlinux).replace('vmlinux-', ''), args.runs))
    # The same boot with two processors (VOF): Linux brings the secondary up through
    # RTAS start-cpu; both emulators run one host thread per vCPU.
    for firmware, extra in [('vof', []), ('slof', []), ('vof', ['-smp', '2'])]:
        print('%s%s:' % ('x-vof=on' if firmware == 'vof' else 'SLOF (default firmware)',
                         ' ' + ' '.join(extra) if extra else ''))
        best = {}
        limit = 300
        for tag, qemu, oracle in [('QEMU 7.2 TCG', args.oracle_qemu, True),
                                  ('ours', args.qemu, False)]:
            results = []
            for _ in range(args.runs):
                r = boot_once(qemu, oracle, firmware, vmlinux, initrd, host_fp, limit,
                              extra)
                if not isinstance(r, tuple):
                    print('  %-13s FAILED: %s' % (tag + ':', r))
                    break
                results.append(r)
            else:
                wall, _, rss, at_linux, at_init = min(results)
                cpu = min(r[1] for r in results)
                best[tag] = (wall, cpu, rss)
                print('  %-13s %.3f s  CPU %.3f s  peak RSS %.1f MiB  (first kernel log line '
                      'at %.3f s, /init at %.3f s)' % (tag + ':', wall, cpu, rss / 1024,
                                                       at_linux, at_init))
                if oracle:
                    limit = int(wall * 10) + 10
        if len(best) == 2:
            (ow, oc, orss), (qw, qc, qrss) = best['ours'], best['QEMU 7.2 TCG']
            print('  ratio ours/QEMU: time %.2f, CPU time %.2f, peak RSS %.2f (below 1: '
                  'ours is better)' % (ow / qw, oc / qc, orss / qrss))
        else:
            print('  ratio ours/QEMU: n/a')
    return 0


def selftest(args):
    """The suite's own checks, without an emulator: the comparison of fpcheck results
    rejects what it must, and cpio(1) reads the initramfs writer's archive back."""
    tap = Tap('selftest')
    host = ['int crc32 0x0000000059016a9e', 'libm sin.0 0x3fdeaee8744b05f0',
            'exact sqrt.0 0x3fe6a09e667f3bcd', 'libm sinf.0 0x3ef57744',
            'fpcheck done']

    def change(i, text):
        return host[:i] + [text] + host[i + 1:]

    tap.ok(compare_fpcheck(host, host) == [], 'equal results agree')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0x3fdeaee8744b05f1'), host) == [],
           'a libm result 1 ulp away agrees')
    tap.ok(compare_fpcheck(change(3, 'libm sinf.0 0x3ef57743'), host) == [],
           'a float libm result 1 ulp away agrees')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0x3fdeaee8744b05f2'), host) != [],
           'a libm result 2 ulp away differs')
    tap.ok(compare_fpcheck(change(1, 'libm sin.0 0xbfdeaee8744b05f0'), host) != [],
           'a libm result of the other sign differs')
    tap.ok(compare_fpcheck(change(2, 'exact sqrt.0 0x3fe6a09e667f3bcc'), host) != [],
           'an exact result 1 ulp away differs')
    tap.ok(compare_fpcheck(change(0, 'int crc32 0x0000000059016a9f'), host) != [],
           'an integer result differs')
    tap.ok(compare_fpcheck(host[:-1], host) != [], 'a missing line differs')
    tap.ok(compare_fpcheck(change(1, 'libm cos.0 0x3fdeaee8744b05f0'), host) != [],
           'another name differs')

    with tempfile.TemporaryDirectory(prefix='functest-') as tmpdir:
        fake = {}
        for name in ['busybox', 'fpcheck']:
            fake[name] = os.path.join(tmpdir, name)
            with open(fake[name], 'wb') as f:
                f.write(name.encode() * 333 + b'\0\1\2')
        kmod = os.path.join(tmpdir, 'fake_mod.ko')
        with open(kmod, 'wb') as f:
            f.write(b'\x7fELF fake module')
        out = os.path.join(tmpdir, 'initramfs.cpio.gz')
        build_initramfs(out, fake['busybox'], fake['fpcheck'], [kmod], {'fake': ['fake_mod']},
                        cases.fragments())
        with gzip.open(out) as f:
            archive = f.read()
        listing = subprocess.run(['cpio', '-t', '-v', '--quiet'], input=archive,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        tap.ok(listing.returncode == 0, 'cpio -t reads the archive',
               listing.stderr.decode(errors='replace').strip())
        names = {}
        for line in listing.stdout.decode().splitlines():
            f = line.split()
            if len(f) >= 9:
                names[f[8] if f[0][0] != 'c' else f[-1]] = f[0]
        want = {'init': '-rwxr-xr-x', 'bin/busybox': '-rwxr-xr-x', 'bin/fpcheck': '-rwxr-xr-x',
                'sbin/poweroff': '-rwxr-xr-x', 'bin/sh': 'lrwxrwxrwx',
                'bin/false': 'lrwxrwxrwx', 'dev/console': 'crw-------', 'proc': 'drwxr-xr-x',
                'lib/modules/fake_mod.ko': '-rw-r--r--',
                'lib/modules/fake.order': '-rw-r--r--'}
        for frag in cases.fragments():
            want['lib/functest/' + os.path.basename(frag)] = '-rw-r--r--'
        for name, mode in want.items():
            tap.ok(names.get(name) == mode, 'the archive holds %s as %s' % (name, mode),
                   'listed as %r' % names.get(name))
        dest = os.path.join(tmpdir, 'x')
        os.mkdir(dest)
        r = subprocess.run(['cpio', '-i', '-d', '--quiet', '--no-absolute-filenames',
                            'bin/fpcheck', 'init'], input=archive, cwd=dest,
                           stderr=subprocess.PIPE)
        same = r.returncode == 0
        for got, src in [('bin/fpcheck', fake['fpcheck']),
                         ('init', os.path.join(HERE, 'init.sh'))]:
            try:
                with open(os.path.join(dest, got), 'rb') as a, open(src, 'rb') as b:
                    same = same and a.read() == b.read()
            except OSError:
                same = False
        tap.ok(same, 'cpio -i gives back the files\' contents',
               r.stderr.decode(errors='replace').strip())
    return tap.end()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--qemu', required=True)
    r.add_argument('--build', required=True)
    r.add_argument('--case', required=True, choices=sorted(cases.all_cases()))
    r.add_argument('--firmware', required=True, choices=['vof', 'slof'])
    r.add_argument('--oracle', action='store_true')
    b = sub.add_parser('bench')
    b.add_argument('--qemu', required=True)
    b.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    b.add_argument('--build', required=True)
    b.add_argument('--runs', type=int, default=3)
    p = sub.add_parser('prepare', help='print the kernel and initramfs paths (make run-linux)')
    p.add_argument('--build', required=True)
    lf = sub.add_parser('list')
    lf.add_argument('family', choices=cases.families())
    t = sub.add_parser('selftest')
    t.add_argument('--build')
    args = ap.parse_args()
    if args.cmd == 'selftest':
        return selftest(args)
    if args.cmd == 'list':
        return list_family(args)
    if args.cmd == 'prepare':
        vmlinux, initrd = prepare(args.build)
        print('vmlinux=%s initrd=%s' % (shlex.quote(vmlinux), shlex.quote(initrd)))
        return 0
    for q in [args.qemu] + ([args.oracle_qemu] if args.cmd == 'bench' else []):
        if not os.access(q, os.X_OK):
            print('functest: %s is missing or not executable' % q)
            return 1
    if args.cmd == 'run':
        return run_case(args)
    if args.cmd == 'bench':
        return bench(args)
    return 2


if __name__ == '__main__':
    sys.exit(main())

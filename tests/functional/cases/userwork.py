"""A userspace workload (userwork.sh): text data made in the guest by fpcheck, its
md5sum, gzip and back, sort, and an n-body simulation; every result recomputed on the
host from the same program.  The case runs it small, to keep `make bench`'s userbench.py
(the same mode over tens of MiB) from rotting."""

import hashlib
import os
import subprocess

from ftlib import Case, check_boot, powers_off, results, without_printk

STEPS = ['gen', 'md5', 'gzip', 'gunzip', 'sort', 'nbody']


def reference(build, mib, steps):
    """{result name: value} the guest must print, from the host build of fpcheck."""
    host = os.path.join(build, 'fpcheck-host')
    data = subprocess.run([host, 'data', str(mib)], check=True,
                          stdout=subprocess.PIPE).stdout
    lines = data.splitlines(keepends=True)
    lines.sort()
    ref = {
        'userwork-bytes': str(len(data)),
        'userwork-md5': hashlib.md5(data).hexdigest(),
        'userwork-gunzip-md5': hashlib.md5(data).hexdigest(),
        'userwork-sort-md5': hashlib.md5(b''.join(lines)).hexdigest(),
    }
    nb = subprocess.run([host, 'nbody', str(steps)], check=True, stdout=subprocess.PIPE,
                        text=True).stdout
    for ln in nb.splitlines():
        kind, name, value = ln.split()
        ref['userwork-' + name] = value
    return ref


def problems(lines, ref):
    """What the guest's workload got wrong against REF: [] when every step exited 0 and
    every result is the host's."""
    out = []
    for step in STEPS:
        if 'FUNCTEST ok userwork-' + step not in lines:
            bad = [ln for ln in lines if ln.startswith('FUNCTEST not-ok userwork-' + step)]
            out.append(bad[0] if bad else 'step %s not reported' % step)
    got = results(lines)
    for name, value in sorted(ref.items()):
        if got.get(name) != value:
            out.append('%s: guest %s, host %s' % (name, got.get(name), value))
    return out


def times(lines):
    """{step or 'total': guest seconds} from the userwork-time lines."""
    out = {}
    for ln in lines:
        w = ln.split()
        if len(w) == 4 and w[:2] == ['FUNCTEST', 'userwork-time']:
            out[w[2]] = int(w[3]) / 100
    return out


def play_userwork(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    check_boot(tap, m.lines, ctx.host_fp)
    lines = without_printk(m.lines)
    ref = reference(ctx.build, MIB, NBODY_STEPS)
    bad = problems(lines, ref)
    tap.ok(not bad, 'the workload (%d MiB: md5sum, gzip and back, sort; n-body %d steps) '
           'gives the host\'s results' % (MIB, NBODY_STEPS), '; '.join(bad[:4]))
    t = times(lines)
    tap.ok(sorted(t) == sorted(STEPS + ['total']), 'the guest timed each step and the whole',
           '%r' % t)
    tap.ok(int(ref['userwork-bytes']) > 0 and
           0 < int(results(lines).get('userwork-gz-bytes', '0')) < int(ref['userwork-bytes']),
           'gzip made the data smaller', results(lines).get('userwork-gz-bytes', 'none'))


# Small: a correctness run of the benchmark's mode.
MIB = 2
NBODY_STEPS = 20000
CASES = {
    'userwork': Case('userwork', ['-no-reboot'], 300, play_userwork, firmwares=('vof',),
                     append='functest.mib=%d functest.steps=%d' % (MIB, NBODY_STEPS)),
}

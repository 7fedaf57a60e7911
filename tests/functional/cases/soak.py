"""Soak (make soak, not in CI; not in meson.build's functest_families): Linux with
SOAK_CPUS processors (default 2) doing userspace work (soak.sh: gzip, md5sum, sort in
parallel, each round checked) for SOAK_MINUTES (default 30) while QMP is polled and the
console is read; then QMP system_powerdown. Fails on a bad round, a QMP command without
its answer or with an error, a console silent for QUIET seconds, a kernel report, or the
emulator's own memory growing by more than SOAK_RSS_GROWTH_MIB (default 16) between the
first sample after SOAK_WARM_MINUTES (default 3) of work and the last.

The resident set is sampled from /proc/PID/smaps each SOAK_SAMPLE seconds (default 60),
in two parts: the guest's RAM (the one anonymous mapping of -m's size, which grows as
Linux touches pages and is not a leak) and everything else (heap, translated code,
stacks, libraries): the bound applies to the second. The samples are printed as
"# rss MINUTE TOTAL_MIB GUEST_RAM_MIB EMULATOR_MIB JIT_MIB", the last being the part of
the emulator's that is the vCPUs' host code (anonymous executable mappings), which
grows until each CPU's buffer is full (32 MiB) and then stays."""

import os
import re
import time

from ftlib import QUIET, Case, check_boot, ended

GUEST_RAM = 1 << 30    # Machine's -m 1G
# A kernel splat during the work (a boot-time "WARNING: nvram corruption" is not one).
KERNEL_REPORT = re.compile(r'Oops|BUG:|WARNING: CPU:|Kernel panic|Unable to handle|'
                           r'self-detected stall|rcu_sched detected stalls|soft lockup|'
                           r'hung_task|segfault')


def env_int(name, default):
    return int(os.environ.get(name, str(default)))


def rss_parts(pid):
    """(total, guest RAM, rest, JIT) resident KiB from /proc/PID/smaps; None when gone."""
    total = guest = jit = 0
    size = 0
    code = False
    try:
        with open('/proc/%d/smaps' % pid) as f:
            for ln in f:
                if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', ln):
                    fields = ln.split()
                    lo, hi = fields[0].split('-')
                    size = int(hi, 16) - int(lo, 16)
                    code = 'x' in fields[1] and len(fields) == 5
                elif ln.startswith('Rss:'):
                    kib = int(ln.split()[1])
                    total += kib
                    if size == GUEST_RAM:
                        guest += kib
                    if code:
                        jit += kib
    except OSError:
        return None
    return total, guest, total - guest, jit


def setup_soak(ctx):
    cpus = env_int('SOAK_CPUS', 2)
    ctx.extra += ['-smp', str(cpus)]
    ctx.append += ' functest.cpus=%d' % cpus
    # A disk for query-block to describe (Linux leaves it alone).
    disk = os.path.join(ctx.tmpdir, 'soak.raw')
    with open(disk, 'wb') as f:
        f.truncate(16 << 20)
    ctx.extra += ['-drive', 'if=none,id=soak0,format=raw,file=' + disk,
                  '-device', 'virtio-blk-pci,drive=soak0']


POLL = ['query-status', 'query-cpus-fast', 'query-block', 'query-memory-size-summary',
        'query-name', 'query-version']


def play_soak(tap, m, ctx):
    minutes = env_int('SOAK_MINUTES', 30)
    warm = env_int('SOAK_WARM_MINUTES', 3)
    every = env_int('SOAK_SAMPLE', 60)
    bound = env_int('SOAK_RSS_GROWTH_MIB', 16)
    cpus = env_int('SOAK_CPUS', 2)
    if not tap.ok(m.wait_line('^FUNCTEST soak-start$', 1, ctx.limit), 'the work starts',
                  'last console lines: %r' % m.lines[-5:]):
        m.wait(1)
        return
    t0 = time.monotonic()
    end = t0 + minutes * 60
    polls = lost = bad_answers = 0
    first_bad = ''
    stall = 0.0
    samples = []
    next_sample = t0
    while time.monotonic() < end and m.alive():
        now = time.monotonic()
        if now >= next_sample:
            parts = rss_parts(m.proc.pid)
            if parts:
                samples.append(((now - t0) / 60,) + parts)
                print('# rss %.1f %.1f %.1f %.1f %.1f' %
                      (((now - t0) / 60,) + tuple(p / 1024 for p in parts)), flush=True)
            next_sample += every
        answers = m.qmp(*POLL)
        polls += 1
        for name, a in zip(POLL, answers):
            if 'return' not in a:
                if 'QMP:' in str(a):
                    lost += 1
                else:
                    bad_answers += 1
                first_bad = first_bad or '%s: %r' % (name, a)
        st = answers[0].get('return', {})
        if st.get('status') != 'running' and not first_bad:
            first_bad = 'query-status: %r' % st
            bad_answers += 1
        cpu = answers[1].get('return')
        if (not isinstance(cpu, list) or len(cpu) != cpus) and not first_bad:
            first_bad = 'query-cpus-fast: %r' % cpu
            bad_answers += 1
        stall = max(stall, m.quiet_for())
        time.sleep(1)
    alive = m.alive()
    rounds = [ln for ln in m.lines if ln.startswith('FUNCTEST soak-round ')]
    bad_rounds = [ln for ln in rounds if not ln.endswith(' ok')]
    print('# %d rounds, %d QMP polls of %d commands, longest console silence %.0f s' %
          (len(rounds), polls, len(POLL), stall), flush=True)
    tap.ok(alive, 'the emulator runs for %d minutes of work' % minutes,
           ended(m, m.proc.returncode))
    tap.ok(rounds and not bad_rounds, 'every round of gzip/md5sum/sort gives the '
           'expected results (%d rounds)' % len(rounds),
           bad_rounds[0] if bad_rounds else 'no round finished')
    tap.ok(lost == 0, 'every QMP command answered (%d polls)' % polls,
           '%d lost; first %s' % (lost, first_bad))
    tap.ok(bad_answers == 0, 'every QMP answer as expected (running, %d CPUs)' % cpus,
           '%d bad; first %s' % (bad_answers, first_bad))
    tap.ok(stall < QUIET, 'the console never silent for %d s' % QUIET,
           'silent for %.0f s' % stall)
    work = m.lines[m.lines.index('FUNCTEST soak-start'):]
    reports = [ln for ln in work if KERNEL_REPORT.search(ln)]
    tap.ok(not reports, 'no kernel oops, warning, stall or segfault report during the work',
           reports[0] if reports else '')
    warm_samples = [s for s in samples if s[0] >= warm]
    if tap.ok(len(warm_samples) >= 2, 'RSS sampled after %d minutes of work' % warm,
              '%d samples' % len(warm_samples)):
        base = warm_samples[0][3]
        peak = max(s[3] for s in warm_samples)
        tap.ok(peak - base <= bound * 1024,
               'emulator RSS (without guest RAM) grows by at most %d MiB after minute %d: '
               '%.1f -> peak %.1f MiB' % (bound, warm, base / 1024, peak / 1024),
               'grew by %.1f MiB' % ((peak - base) / 1024))
    if alive:
        a = m.qmp('system_powerdown')
        tap.ok(a == [{'return': {}}], 'QMP system_powerdown answers {}', '%r' % a)
        st = m.wait(120, QUIET)
        tap.ok(st == 0, 'exits with status 0 after system_powerdown', ended(m, st))
    check_boot(tap, m.lines, ctx.host_fp)


# Run by `make soak` only; the time limit covers the boot (the work's length is
# SOAK_MINUTES, counted from its start).
CASES = {
    'soak': Case('soak', ['-no-reboot'], 600, play_soak, setup=setup_soak,
                 firmwares=('vof',), oracle=False),
}

"""SMP: Linux with several processors (smp.sh): all online, parallel userspace work with
the output of a serial run, every secondary offline (RTAS stop-self) and back online
(start-cpu) through sysfs, the parallel work again, power-off."""

from ftlib import Case, check_boot, check_init, powers_off

SMP_CHECKS = ['smp-cpuinfo-count', 'smp-online-all', 'smp-parallel', 'smp-offline',
              'smp-offline-cpuinfo', 'smp-online-again', 'smp-parallel-again']


def play_smp(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    check_boot(tap, m.lines, ctx.host_fp)
    tap.ok('FUNCTEST powering off' in m.lines, '/init reached poweroff')
    tap.ok(any('reboot: Power down' in ln for ln in m.lines), 'Linux says "Power down"')
    check_init(tap, m.lines, SMP_CHECKS)


# VOF only.  smp4-threads2: Linux sends IPIs between SMT siblings with msgsndp
# (doorbells); QEMU 7.2 refuses threads under TCG, so it has no oracle run.
CASES = {
    'smp4': Case('smp', ['-no-reboot', '-smp', '4'], 240, play_smp, firmwares=('vof',),
                 append='functest.cpus=4'),
    'smp4-threads2': Case('smp', ['-no-reboot', '-smp', '4,threads=2'], 240, play_smp,
                          firmwares=('vof',), oracle=False, append='functest.cpus=4'),
    # Two cores of four threads: doorbells among four siblings (ours only, as above).
    'smp8-threads4': Case('smp', ['-no-reboot', '-smp', '8,threads=4'], 400, play_smp,
                          firmwares=('vof',), oracle=False, append='functest.cpus=8'),
}

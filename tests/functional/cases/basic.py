"""Boot, reboot, power-down, NMI and panic: the machine's life cycle with the checks of
every boot (init.sh's modes boot, reboot, idle; panic runs no /init)."""

import re
import time

from ftlib import Case, QUIET, SCALE, check_boot, ended, powers_off

PANIC_LINE = r'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100'


def play_boot(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    check_boot(tap, m.lines, ctx.host_fp)
    tap.ok('FUNCTEST powering off' in m.lines, '/init reached poweroff')
    tap.ok(any('reboot: Power down' in ln for ln in m.lines), 'Linux says "Power down"')


def play_reboot(tap, m, ctx):
    twice = ctx.name == 'reboot'
    if tap.ok(m.wait_line('^FUNCTEST reboot-ask$', 1, ctx.limit), 'first boot asks'):
        m.type('reboot\n')
    if twice:
        if tap.ok(m.wait_line('^FUNCTEST reboot-ask$', 2, ctx.limit), 'second boot asks'):
            m.type('poweroff\n')
    st = m.wait(ctx.limit, QUIET)
    tap.ok(st == 0, 'exits with status 0', ended(m, st))
    boots = sum(1 for ln in m.lines if ln.startswith('FUNCTEST start'))
    want = 2 if twice else 1
    tap.ok(boots == want, 'Linux booted %d time(s)' % want, '%d boots' % boots)
    restarts = sum(1 for ln in m.lines if 'reboot: Restarting system' in ln)
    tap.ok(restarts == 1, 'Linux restarted once', '%d times' % restarts)
    for i in range(1, boots + 1):
        check_boot(tap, m.lines, ctx.host_fp, i)
    if twice:
        tap.ok(any('reboot: Power down' in ln for ln in m.lines),
               'Linux says "Power down" after the second boot')


def play_powerdown(tap, m, ctx):
    if tap.ok(m.wait_line('^FUNCTEST idle$', 1, ctx.limit), '/init is idle'):
        time.sleep(0.5)
        a = m.qmp('system_powerdown')
        tap.ok(a == [{'return': {}}], 'QMP system_powerdown answers {}', '%r' % a)
    st = m.wait(60 * SCALE, QUIET)
    tap.ok(st == 0, 'exits with status 0 after system_powerdown', ended(m, st))
    tap.ok('FUNCTEST /sbin/poweroff called' in m.lines,
           'Linux ran /sbin/poweroff (orderly power-off on the EPOW event)')
    tap.ok(any('reboot: Power down' in ln for ln in m.lines), 'Linux says "Power down"')
    check_boot(tap, m.lines, ctx.host_fp)


def play_nmi(tap, m, ctx):
    # QMP inject-nmi: a system reset on the processor, delivered to the handler Linux
    # registered with ibm,nmi-register (FWNMI); with no debugger Linux oopses, panics and
    # ends through ibm,os-term (-no-reboot: exit status 0).
    if tap.ok(m.wait_line('^FUNCTEST idle$', 1, ctx.limit), '/init is idle'):
        time.sleep(0.5)
        a = m.qmp('inject-nmi')
        tap.ok(a == [{'return': {}}], 'QMP inject-nmi answers {}', '%r' % a)
    tap.ok(m.wait_line(r'Oops: System Reset, sig: 6', 1, 60), 'Linux reports the System Reset')
    tap.ok(m.wait_line(re.escape('Kernel panic - not syncing: System Reset'), 1, 60),
           'Linux panics on it')
    tap.ok(any(re.search(r'REGS: .* TRAP: 0100 ', ln) for ln in m.lines),
           'the oops shows trap 0x100 with the interrupted registers')
    st = m.wait(60)
    tap.ok(st == 0, 'exits with status 0 (ibm,os-term, -no-reboot)', ended(m, st))
    check_boot(tap, m.lines, ctx.host_fp)


def play_panic_noreboot(tap, m, ctx):
    seen = m.wait_line(re.escape(PANIC_LINE), 1, ctx.limit)
    tap.ok(seen, 'the console shows the panic: ' + PANIC_LINE)
    st = m.wait(30)
    tap.ok(st == 0, 'exits with status 0 (ibm,os-term, -no-reboot)', ended(m, st))
    tap.ok(not any(ln.startswith('FUNCTEST start') for ln in m.lines), '/init never ran')


def play_panic_noshutdown(tap, m, ctx):
    seen = m.wait_line(re.escape(PANIC_LINE), 1, ctx.limit)
    tap.ok(seen, 'the console shows the panic: ' + PANIC_LINE)
    a = None
    for _ in range(100 if seen else 1):
        a = m.qmp('query-status')[0]
        if a.get('return', {}).get('status') != 'running':
            break
        time.sleep(0.2)
    tap.ok(a.get('return', {}).get('status') == 'guest-panicked',
           'QMP query-status says guest-panicked', '%r' % a)
    time.sleep(1)
    tap.ok(m.alive(), 'the emulator stays (-no-shutdown)')
    m.qmp('quit')
    st = m.wait(30)
    tap.ok(st == 0, 'QMP quit ends it with status 0', ended(m, st))


# The panic cases run /bin/false as init: Linux panics when it exits.
CASES = {
    'boot': Case('boot', ['-no-reboot'], 120, play_boot),
    'reboot': Case('reboot', [], 180, play_reboot),
    'reboot-noreboot': Case('reboot', ['-no-reboot'], 120, play_reboot),
    'powerdown': Case('idle', ['-no-reboot'], 120, play_powerdown),
    'nmi': Case('idle', ['-no-reboot'], 120, play_nmi),
    'panic-noreboot': Case('panic', ['-no-reboot'], 120, play_panic_noreboot,
                           append='rdinit=/bin/false'),
    'panic-noshutdown': Case('panic', ['-no-shutdown'], 120, play_panic_noshutdown,
                             append='rdinit=/bin/false'),
}

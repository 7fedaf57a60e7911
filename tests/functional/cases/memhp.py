"""Memory hot-plug (memhp.sh): a 1 GiB pc-dimm plugged into a running Linux with
device_add and unplugged with device_del; the guest sees four more 256 MiB blocks online
and its MemTotal grow, then both back; the host sees query-memory-devices and
query-memory-size-summary follow, on QEMU 7.2 and on ours."""

import time

from ftlib import Case, check_boot, check_init, ended

MEMHP_CHECKS = ['memhp-boot-blocks', 'memhp-added-blocks', 'memhp-added-online',
                'memhp-added-range', 'memhp-added-memtotal', 'memhp-added-free',
                'memhp-removed-blocks', 'memhp-removed-memtotal']

GIB = 1 << 30


def qmp_until(m, command, want, timeout):
    """Asks COMMAND until it answers WANT (the guest works on its own time); the
    last answer."""
    end = time.monotonic() + timeout
    while True:
        a = m.qmp(command)
        if a == [want] or time.monotonic() > end:
            return a
        time.sleep(0.2)


def play_memhp(tap, m, ctx):
    if tap.ok(m.wait_line('^FUNCTEST memhp ready$', 1, ctx.limit), '/init is ready'):
        a = m.qmp(('object-add', {'qom-type': 'memory-backend-ram', 'id': 'mem1',
                                  'size': GIB}),
                  ('device_add', {'driver': 'pc-dimm', 'id': 'dimm1', 'memdev': 'mem1'}))
        tap.ok(a == [{'return': {}}] * 2, 'object-add and device_add pc-dimm answer {}',
               '%r' % a)
        dimm = {'type': 'dimm', 'data': {'memdev': '/objects/mem1', 'hotplugged': True,
                                         'addr': GIB, 'hotpluggable': True, 'size': GIB,
                                         'slot': 0, 'node': 0, 'id': 'dimm1'}}
        a = m.qmp('query-memory-devices', 'query-memory-size-summary')
        tap.ok(a == [{'return': [dimm]},
                     {'return': {'base-memory': GIB, 'plugged-memory': GIB}}],
               'query-memory-devices: dimm1 at 1 GiB; plugged-memory 1 GiB', '%r' % a)
    if tap.ok(m.wait_line('^FUNCTEST memhp added$', 1, 120), 'Linux onlined the new blocks'):
        a = m.qmp(('device_del', {'id': 'dimm1'}))
        tap.ok(a == [{'return': {}}], 'device_del answers {}', '%r' % a)
    if tap.ok(m.wait_line('^FUNCTEST memhp removed$', 1, 120), 'Linux removed the blocks'):
        # Gone once the guest released every block (DEVICE_DELETED).
        a = qmp_until(m, 'query-memory-devices', {'return': []}, 20)
        tap.ok(a == [{'return': []}], 'the DIMM is gone after the guest released it',
               '%r' % a)
        a = m.qmp('query-memory-size-summary', ('object-del', {'id': 'mem1'}))
        tap.ok(a == [{'return': {'base-memory': GIB, 'plugged-memory': 0}}, {'return': {}}],
               'plugged-memory back to 0; the backend can be deleted', '%r' % a)
    m.type('done\n')
    st = m.wait(60)
    tap.ok(st == 0, 'powers off with status 0', ended(m, st))
    check_boot(tap, m.lines, ctx.host_fp)
    check_init(tap, m.lines, MEMHP_CHECKS)


COLD_CHECKS = ['memhpcold-boot-blocks', 'memhpcold-boot-range', 'memhpcold-boot-memtotal',
               'memhpcold-kept-blocks']


def play_memhp_cold(tap, m, ctx):
    dimm = {'type': 'dimm', 'data': {'memdev': '/objects/m1', 'hotplugged': False,
                                     'addr': GIB, 'hotpluggable': True, 'size': GIB // 2,
                                     'slot': 0, 'node': 0, 'id': 'cold'}}
    if tap.ok(m.wait_line('^FUNCTEST memhp ready$', 1, ctx.limit), '/init is ready'):
        a = m.qmp('query-memory-devices', ('device_del', {'id': 'cold'}))
        tap.ok(a == [{'return': [dimm]}, {'return': {}}],
               'query-memory-devices lists the cold-plugged module; device_del answers {}',
               '%r' % a)
    # Boot memory in use cannot go: Linux gives the blocks back (unisolates them).
    if tap.ok(m.wait_line('Memory indexed-count-remove failed', 1, 120),
              'Linux fails to remove the blocks'):
        time.sleep(2)
        a = m.qmp('query-memory-devices')
        tap.ok(a == [{'return': [dimm]}], 'the module stays', '%r' % a)
    m.type('done\n')
    st = m.wait(60)
    tap.ok(st == 0, 'powers off with status 0', ended(m, st))
    tap.ok('Device hotunplug rejected by the guest for device cold' in m.stderr,
           'the rejection is reported on stderr', m.stderr)
    check_boot(tap, m.lines, ctx.host_fp)
    check_init(tap, m.lines, COLD_CHECKS)


# VOF only: the hot-plug protocol is the kernel's, the same under SLOF.
CASES = {
    'memhp': Case('memhp', ['-no-reboot', '-m', '1G,slots=4,maxmem=4G'], 240, play_memhp,
                  firmwares=('vof',)),
    'memhp-cold': Case('memhpcold', ['-no-reboot', '-m', '1G,slots=4,maxmem=4G', '-object',
                                     'memory-backend-ram,id=m1,size=512M', '-device',
                                     'pc-dimm,id=cold,memdev=m1'], 240, play_memhp_cold,
                       firmwares=('vof',)),
}

"""CPU core hot-plug with Linux (cpuhp.sh): QMP device_add of a spapr CPU core, Linux's
kernel DLPAR takes it (hot-plug event, DR connector, configure-connector, start-cpu) and
onlines its threads; device_del: Linux offlines them (stop-self), releases the
connector, DEVICE_DELETED arrives; the same core is plugged again, and Linux reboots
with it: the new device tree has it and Linux starts it with the boot processors."""

import json
import socket
import time

from ftlib import Case, check_boot, check_init, powers_off

CPUHP_CHECKS = ['cpuhp-boot-count', 'cpuhp-plugged', 'cpuhp-plugged-online',
                'cpuhp-plugged-sysfs', 'cpuhp-parallel', 'cpuhp-unplugged',
                'cpuhp-unplugged-online', 'cpuhp-replugged', 'cpuhp-parallel-again',
                'cpuhp-reboot-parallel']
CORE = 'power9_v2.0-spapr-cpu-core'


class Qmp:
    """A QMP session kept open, so that events (DEVICE_DELETED) are seen."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(5)
        self.sock.connect(path)
        self.f = self.sock.makefile('rw')
        self.events = []
        json.loads(self.f.readline())
        self.cmd('qmp_capabilities')

    def _read(self):
        msg = json.loads(self.f.readline())
        if 'event' in msg:
            self.events.append(msg)
        return msg

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.f.write(json.dumps(msg) + '\n')
        self.f.flush()
        while True:
            a = self._read()
            if 'return' in a or 'error' in a:
                return a

    def wait_event(self, name, pred, timeout):
        end = time.monotonic() + timeout
        while True:
            for e in self.events:
                if e['event'] == name and pred(e.get('data', {})):
                    return e
            if time.monotonic() >= end:
                return None
            try:
                self._read()
            except socket.timeout:
                pass

    def close(self):
        self.sock.close()


def slot_path(q, core_id):
    """The qom-path query-hotpluggable-cpus shows for a core-id (None: empty slot)."""
    for s in q.cmd('query-hotpluggable-cpus').get('return', []):
        if s['props'].get('core-id') == core_id:
            return s.get('qom-path')
    return 'no such slot'


def cpus_of(q):
    return {c['cpu-index']: c['qom-path'] for c in q.cmd('query-cpus-fast').get('return', [])}


def plug(tap, m, q, core_id, threads, what):
    a = q.cmd('device_add', driver=CORE, id='core1', **{'core-id': core_id})
    tap.ok(a == {'return': {}}, '%s: device_add %s core-id=%d answers {}' % (what, CORE, core_id),
           '%r' % a)
    p = slot_path(q, core_id)
    tap.ok(p == '/machine/peripheral/core1',
           '%s: query-hotpluggable-cpus shows the core\'s qom-path' % what, '%r' % p)
    cpus = cpus_of(q)
    want = {core_id + t: '/machine/peripheral/core1/thread[%d]' % t for t in range(threads)}
    tap.ok(all(cpus.get(i) == p for i, p in want.items()),
           '%s: query-cpus-fast lists the core\'s threads' % what, '%r' % cpus)


def play_cpuhp(tap, m, ctx):
    core_id, threads = ctx.core_id, ctx.threads
    q = None
    if tap.ok(m.wait_line('^FUNCTEST cpuhp ask$', 1, ctx.limit), 'first boot asks'):
        m.type('plug\n')
    if tap.ok(m.wait_line('^FUNCTEST cpuhp ready$', 1, 60), '/init is ready'):
        q = Qmp(m.qmp_path)
        p = slot_path(q, core_id)
        tap.ok(p is None, 'the slot of core-id %d is empty before device_add' % core_id, '%r' % p)
        plug(tap, m, q, core_id, threads, 'plug')
    if q and tap.ok(m.wait_line('^FUNCTEST cpuhp plugged$', 1, 180), 'Linux onlined the core'):
        a = q.cmd('device_del', id='core1')
        tap.ok(a == {'return': {}}, 'device_del core1 answers {}', '%r' % a)
        e = q.wait_event('DEVICE_DELETED', lambda d: d.get('device') == 'core1', 120)
        tap.ok(e is not None and e['data'].get('path') == '/machine/peripheral/core1',
               'DEVICE_DELETED for core1 once Linux released it', '%r' % q.events)
        threads_gone = [e for e in q.events if e['event'] == 'DEVICE_DELETED' and
                        e['data'].get('path', '').startswith('/machine/peripheral/core1/thread')]
        tap.ok(len(threads_gone) >= threads, 'DEVICE_DELETED for each thread before the core',
               '%r' % q.events)
        p = slot_path(q, core_id)
        tap.ok(p is None, 'the slot is empty again after DEVICE_DELETED', '%r' % p)
        cpus = cpus_of(q)
        tap.ok(all(core_id + t not in cpus for t in range(threads)),
               'query-cpus-fast no longer lists its threads', '%r' % cpus)
    if q and tap.ok(m.wait_line('^FUNCTEST cpuhp unplugged$', 1, 120),
                    'Linux shows the boot processors only'):
        q.events.clear()
        plug(tap, m, q, core_id, threads, 'replug')
    if q:
        q.close()
    # Linux reboots: the plugged core is in the new device tree and starts with the rest.
    tap.ok(m.wait_line('^FUNCTEST cpuhp replugged$', 1, 180),
           'Linux onlined the core plugged again')
    if tap.ok(m.wait_line('^FUNCTEST cpuhp ask$', 2, 180), 'second boot asks'):
        m.type('poweroff\n')
    powers_off(tap, m, ctx.limit)
    boots = [ln for ln in m.lines if ln.startswith('FUNCTEST cpuhp boot-cpus ')]
    want = ['FUNCTEST cpuhp boot-cpus %d online %s' % (n, '0' if n == 1 else '0-%d' % (n - 1))
            for n in (ctx.boot, ctx.boot + threads)]
    tap.ok(boots == want, 'Linux sees %d then, after the reboot, %d processors' %
           (ctx.boot, ctx.boot + threads), '%r' % boots)
    tap.ok(sum('reboot: Restarting system' in ln for ln in m.lines) == 1, 'Linux restarted once')
    check_boot(tap, m.lines, ctx.host_fp, 1)
    check_boot(tap, m.lines, ctx.host_fp, 2)
    check_init(tap, m.lines, CPUHP_CHECKS)


BOOTCORE_CHECKS = ['cpuhpboot-count', 'cpuhpboot-unplugged', 'cpuhpboot-unplugged-online',
                   'cpuhpboot-parallel']


def play_bootcore(tap, m, ctx):
    """-smp 2: device_del of the second boot core by its QOM path (QEMU 7.2's
    /machine/unattached/device[N]); Linux releases it, one processor is left.  The first
    boot core is refused."""
    q = None
    if tap.ok(m.wait_line('^FUNCTEST cpuhpboot ready$', 1, ctx.limit), '/init is ready'):
        q = Qmp(m.qmp_path)
        p0, p1 = slot_path(q, 0), slot_path(q, 1)
        tap.ok(p0 is not None and p1 is not None and
               p0.startswith('/machine/unattached/device[') and
               p1.startswith('/machine/unattached/device['),
               'query-hotpluggable-cpus: the boot cores are /machine/unattached devices',
               '%r %r' % (p0, p1))
        a = q.cmd('device_del', id=p0)
        tap.ok(a.get('error', {}).get('desc') == 'Boot CPU core may not be unplugged',
               'device_del of the first boot core is refused', '%r' % a)
        a = q.cmd('device_del', id=p1)
        tap.ok(a == {'return': {}}, 'device_del of the second boot core answers {}', '%r' % a)
        e = q.wait_event('DEVICE_DELETED', lambda d: d.get('path') == p1, 120)
        tap.ok(e is not None and 'device' not in e['data'],
               'DEVICE_DELETED for the core (no id) once Linux released it', '%r' % q.events)
        tap.ok(any(e['event'] == 'DEVICE_DELETED' and e['data'].get('path') == p1 + '/thread[0]'
                   for e in q.events), 'DEVICE_DELETED for its thread', '%r' % q.events)
        p = slot_path(q, 1)
        tap.ok(p is None, 'the slot of core-id 1 is empty after DEVICE_DELETED', '%r' % p)
        cpus = cpus_of(q)
        tap.ok(list(cpus) == [0], 'query-cpus-fast lists CPU 0 only', '%r' % cpus)
        q.close()
    tap.ok(m.wait_line('^FUNCTEST cpuhpboot unplugged$', 1, 180),
           'Linux runs on one processor')
    powers_off(tap, m, ctx.limit)
    check_boot(tap, m.lines, ctx.host_fp, 1)
    check_init(tap, m.lines, BOOTCORE_CHECKS)


def setup(boot, maxcpus, threads, core_id):
    def f(ctx):
        ctx.boot, ctx.core_id, ctx.threads = boot, core_id, threads
        ctx.extra += ['-smp', '%d,maxcpus=%d,threads=%d' % (boot, maxcpus, threads)]
        ctx.append += ' functest.cpus=%d functest.plugged=%d' % (boot, boot + threads)
    return f


# VOF only.  threads=2: QEMU 7.2 refuses threads under TCG, so it has no oracle run.
CASES = {
    'cpuhp': Case('cpuhp', [], 300, play_cpuhp, firmwares=('vof',),
                  setup=setup(1, 4, 1, 2)),
    'cpuhp-threads2': Case('cpuhp', [], 300, play_cpuhp, firmwares=('vof',),
                           oracle=False, setup=setup(2, 6, 2, 4)),
    'cpuhp-bootcore': Case('cpuhpboot', ['-smp', '2'], 300, play_bootcore, firmwares=('vof',)),
}

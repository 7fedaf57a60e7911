"""virtio-serial-pci and virtio-balloon-pci with Debian's virtio_console and virtio_balloon
modules (vdev.sh): lines both ways between the guest's /dev/hvc1 (a virtconsole) or its
org.qemu.guest_agent.0 port (libvirt's channel, with libvirt's options) and socket
chardevs on the host, also across an exec: migration to a destination with its own
sockets (vdev-serial-migrate); the balloon inflated and deflated by QMP and seen in the
guest's /proc/meminfo.  These modes skip the checks of every boot."""

import os
import socket
import time

from ftlib import Case, Machine, powers_off, results

KMODS = {'vdev': ['drivers/virtio/virtio_ring', 'drivers/virtio/virtio',
                  'drivers/virtio/virtio_pci_modern_dev',
                  'drivers/virtio/virtio_pci_legacy_dev', 'drivers/virtio/virtio_pci',
                  'drivers/char/virtio_console', 'drivers/virtio/virtio_balloon']}

AGENT = 'org.qemu.guest_agent.0'
# Feature bits 0-39 Linux 6.1 negotiates with QEMU 7.2's devices (sysfs "features", bit 0
# first), by virtio device id: console MULTIPORT, INDIRECT_DESC, EVENT_IDX, VERSION_1;
# balloon STATS_VQ, EVENT_IDX, VERSION_1, and INDIRECT_DESC with Debian's 6.1.176 and later
# (its balloon driver took indirect descriptors; QEMU 7.2 negotiates the same).  Bit 40
# (RING_RESET) is left out: the virtio core here does not offer it yet.
ORACLE_FEATURES = {'0x0003': ('0100000000000000000000000000110010000000',),
                   '0x0005': ('0100000000000000000000000000010010000000',
                              '0100000000000000000000000000110010000000')}
MiB = 1 << 20
RAM = 1024 * MiB


def setup_serial(ctx):
    ctx.con_path = os.path.join(ctx.tmpdir, 'con.sock')
    ctx.agent_path = os.path.join(ctx.tmpdir, 'agent.sock')
    ctx.extra += [
        '-chardev', 'socket,id=c0,path=%s,server=on,wait=off' % ctx.con_path,
        '-chardev', 'socket,id=charchannel0,path=%s,server=on,wait=off' % ctx.agent_path,
        '-device', 'virtio-serial-pci,id=virtio-serial0',
        '-device', 'virtconsole,chardev=c0',
        '-device', 'virtserialport,bus=virtio-serial0.0,nr=1,chardev=charchannel0,'
        'id=channel0,name=%s' % AGENT]


def connect(path, timeout=30):
    end = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            s.settimeout(30)
            return s
        except OSError:
            s.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def recv_until(s, want):
    """Bytes from s until WANT is among them (or the peer closes, or 30 s pass)."""
    got = b''
    try:
        while want not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except OSError:
        pass
    return got


def check_features(tap, res, dev):
    got = res.get('vdev-features-' + dev, '')[:40]
    tap.ok(got in ORACLE_FEATURES[dev], 'device %s: the negotiated features (bits 0-39) are '
           'QEMU 7.2\'s' % dev, 'got %r, QEMU 7.2 one of %r' % (got, ORACLE_FEATURES[dev]))


def play_serial(tap, m, ctx):
    con = connect(ctx.con_path)
    agent = connect(ctx.agent_path)
    ready = m.wait_line('^FUNCTEST vdev-ready', timeout=ctx.limit)
    tap.ok(ready, 'the guest opened /dev/hvc1 and the agent port', '%r' % m.lines[-5:])
    con.sendall(b'host-to-guest-console\n')
    got_con = recv_until(con, b'guest-to-host-console')
    agent.sendall(b'host-to-guest-port\n')
    got_agent = recv_until(agent, b'guest-to-host-port')
    agent.close()
    m.wait_line('^FUNCTEST result vdev-port-in', timeout=30)
    m.type('closed\n')
    powers_off(tap, m, ctx.limit)
    con.close()
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/hvc1 appears', '%r' % bad)
    res = results(m.lines)
    check_features(tap, res, '0x0003')
    tap.ok(res.get('vdev-port', '').startswith('/dev/vport'),
           'the named port is a /dev/vportNpM with name %s' % AGENT, '%r' % res)
    tap.ok(res.get('vdev-console-in') == 'host-to-guest-console',
           'the guest reads the host\'s line on /dev/hvc1', '%r' % res.get('vdev-console-in'))
    tap.ok(b'guest-to-host-console\n' in got_con,
           'the host reads the guest\'s line from the virtconsole\'s socket', '%r' % got_con)
    tap.ok(res.get('vdev-port-in') == 'host-to-guest-port',
           'the guest reads the host\'s line on the agent port', '%r' % res.get('vdev-port-in'))
    tap.ok(got_agent == b'guest-to-host-port\n',
           'the host reads exactly the guest\'s line from the agent\'s socket', '%r' % got_agent)
    tap.ok(res.get('vdev-port-eof') == '0',
           'after the host hangs up the guest reads end of file', '%r' % res.get('vdev-port-eof'))


def play_serial_migrate(tap, m, ctx):
    """Lines both ways on the virtconsole and the agent port, then an exec: migration to a
    destination with its own sockets: the lines the host sent before it are read there,
    and the guest's next lines reach the destination's sockets (and only they)."""
    con = connect(ctx.con_path)
    agent = connect(ctx.agent_path)
    ready = m.wait_line('^FUNCTEST vdev-ready', timeout=ctx.limit)
    tap.ok(ready, 'the guest opened /dev/hvc1 and the agent port', '%r' % m.lines[-5:])
    # Two lines in one write: the device takes both; the guest reads the second after.
    con.sendall(b'console-in\nconsole-across\n')
    got_con = recv_until(con, b'console-before\n')
    agent.sendall(b'port-in\nport-across\n')
    got_agent = recv_until(agent, b'port-before\n')
    tap.ok(got_con == b'console-before\n' and got_agent == b'port-before\n',
           'the host reads the guest\'s lines on the source', '%r %r' % (got_con, got_agent))
    mig_ready = m.wait_line('^FUNCTEST vdev-migrate-ready', timeout=60)
    tap.ok(mig_ready, 'the guest waits to be migrated', '%r' % m.lines[-5:])
    stream = os.path.join(ctx.tmpdir, 'stream')
    r = m.qmp(('migrate', {'uri': 'exec:cat > ' + stream}))[0]
    tap.ok('return' in r, 'migrate is accepted (virtio-serial is not a blocker)', '%r' % r)
    st = None
    for _ in range(600):
        st = m.qmp('query-migrate')[0].get('return', {}).get('status')
        if st in ('completed', 'failed'):
            break
        time.sleep(0.2)
    tap.ok(st == 'completed', 'the migration completes', '%r (stderr %r)' % (st, m.stderr))
    m.qmp('quit')
    m.wait(30)
    con.close()
    agent.close()
    if st != 'completed':
        return
    # The destination's chardevs are its own sockets.
    ddir = os.path.join(ctx.tmpdir, 'dest')
    os.makedirs(ddir)
    dcon_path, dagent_path = os.path.join(ddir, 'con.sock'), os.path.join(ddir, 'agent.sock')
    extra = [a.replace(ctx.con_path, dcon_path).replace(ctx.agent_path, dagent_path)
             for a in ctx.extra]
    kernel = m.cmd[m.cmd.index('-kernel') + 1]
    initrd = m.cmd[m.cmd.index('-initrd') + 1]
    d = Machine(m.cmd[0], ctx.firmware, ctx.oracle, kernel, initrd, ctx.append,
                extra + ['-incoming', 'exec:cat ' + stream], ddir)
    dcon = connect(dcon_path)
    dagent = connect(dagent_path)
    # Typed before the load ends, the line would be lost with the spapr-vty's buffer.
    status = None
    for _ in range(600):
        status = d.qmp('query-status')[0].get('return', {}).get('status')
        if status == 'running':
            break
        time.sleep(0.2)
    tap.ok(status == 'running', 'the destination runs', '%r (stderr %r)' % (status, d.stderr))
    d.type('go\n')
    got_dcon = recv_until(dcon, b'console-after\n')
    got_dagent = recv_until(dagent, b'port-after\n')
    d.wait_line('^FUNCTEST vdev-after-written', timeout=60)
    d.type('done\n')
    powers_off(tap, d, ctx.limit)
    dcon.close()
    dagent.close()
    bad = [ln for ln in m.lines + d.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, /dev/hvc1 appears', '%r' % bad)
    tap.ok(not any('Linux version' in ln for ln in d.lines),
           'the destination did not boot the guest again')
    res = results(m.lines)
    res.update(results(d.lines))
    tap.ok(res.get('vdev-console-in') == 'console-in' and res.get('vdev-port-in') == 'port-in',
           'the guest reads the host\'s first lines on the source', '%r' % res)
    tap.ok(res.get('vdev-console-across') == 'console-across',
           'the destination\'s guest reads the console line sent before the migration',
           '%r' % res.get('vdev-console-across'))
    tap.ok(res.get('vdev-port-across') == 'port-across',
           'the destination\'s guest reads the port line sent before the migration',
           '%r' % res.get('vdev-port-across'))
    tap.ok(got_dcon == b'console-after\n',
           'the destination\'s console socket gets the guest\'s next line, only it',
           '%r' % got_dcon)
    tap.ok(got_dagent == b'port-after\n',
           'the destination\'s agent socket gets the guest\'s next line, only it',
           '%r' % got_dagent)


def balloon_actual(m):
    a = m.qmp('query-balloon')[0]
    return a.get('return', {}).get('actual')


def wait_actual(m, want, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if balloon_actual(m) == want:
            return True
        time.sleep(0.5)
    return False


def play_balloon(tap, m, ctx):
    ready = m.wait_line('^FUNCTEST vdev-balloon-ready', timeout=ctx.limit)
    tap.ok(ready, 'the guest loaded virtio_balloon', '%r' % m.lines[-5:])
    tap.ok(balloon_actual(m) == RAM, 'query-balloon: actual is the RAM size',
           '%r' % balloon_actual(m))
    path = m.qmp(('qom-list', {'path': '/machine/peripheral'}))
    setp = m.qmp(('qom-set', {'path': '/machine/peripheral/balloon0',
                              'property': 'guest-stats-polling-interval', 'value': 1}))
    tap.ok('return' in setp[0], 'qom-set guest-stats-polling-interval', '%r %r' % (setp, path))
    answer = m.qmp(('balloon', {'value': 768 * MiB}))[0]
    tap.ok(answer == {'return': {}}, 'balloon 768 MiB is accepted', '%r' % answer)
    tap.ok(wait_actual(m, 768 * MiB), 'the guest inflates to 256 MiB (actual 768 MiB)',
           '%r' % balloon_actual(m))
    time.sleep(2)
    stats = m.qmp(('qom-get', {'path': '/machine/peripheral/balloon0',
                               'property': 'guest-stats'}))[0].get('return', {})
    total = stats.get('stats', {}).get('stat-total-memory', -1)
    tap.ok(0 < total <= 768 * MiB and stats.get('last-update', 0) > 0,
           'guest-stats: the guest reports its total memory (%r)' % total, '%r' % stats)
    m.type('inflated\n')
    m.wait_line('^FUNCTEST vdev-inflated-reported', timeout=30)
    answer = m.qmp(('balloon', {'value': RAM}))[0]
    tap.ok(answer == {'return': {}}, 'balloon back to 1 GiB is accepted', '%r' % answer)
    tap.ok(wait_actual(m, RAM), 'the guest deflates (actual 1 GiB)', '%r' % balloon_actual(m))
    m.type('deflated\n')
    powers_off(tap, m, ctx.limit)
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load', '%r' % bad)
    res = results(m.lines)
    check_features(tap, res, '0x0005')
    try:
        start, infl, defl = (int(res['vdev-%s-total' % k]) for k in
                             ('start', 'inflated', 'deflated'))
    except (KeyError, ValueError):
        tap.ok(False, 'the guest reported MemTotal three times', '%r' % res)
        return
    # The balloon's 256 MiB leave MemTotal (in KiB) while inflated.
    tap.ok(start - infl == 256 * 1024, 'MemTotal drops by 256 MiB while inflated',
           'start %d kB, inflated %d kB' % (start, infl))
    tap.ok(defl == start, 'MemTotal is back after deflating',
           'start %d kB, deflated %d kB' % (start, defl))


CASES = {
    'vdev-serial': Case('vdev-serial', ['-no-reboot'], 180, play_serial, setup=setup_serial),
    # The same devices migrated (exec:) while the guest holds both open.
    'vdev-serial-migrate': Case('vdev-serial-migrate', ['-no-reboot'], 300, play_serial_migrate,
                                setup=setup_serial, firmwares=('vof',)),
    'vdev-balloon': Case('vdev-balloon',
                         ['-no-reboot', '-device', 'virtio-balloon-pci,id=balloon0'], 180,
                         play_balloon),
}

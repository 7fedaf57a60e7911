"""virtio-net-pci seen from the monitor while Linux's virtio_net runs it (vnet.sh):
NIC_RX_FILTER_CHANGED when the driver programs its filter, query-rx-filter showing the
multicast groups the guest joined, and QMP set_link turning the guest's carrier off and
on again.  These modes skip the checks of every boot."""

import json
import os
import socket
import threading
import time

from ftlib import Case, powers_off, results

MAC = '52:54:00:12:34:56'
PATH = '/machine/peripheral/nic0/virtio-backend'


class Qmp:
    """One QMP connection kept for the whole run, so no event is missed."""

    def __init__(self, path, timeout=60):
        end = time.monotonic() + timeout
        while True:
            self.s = socket.socket(socket.AF_UNIX)
            try:
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        self.s.settimeout(60)
        self.f = self.s.makefile('rw')
        self.events = []
        self.lock = threading.Condition()
        json.loads(self.f.readline())
        self.cmd('qmp_capabilities')

    def cmd(self, command, **args):
        msg = {'execute': command}
        if args:
            msg['arguments'] = args
        self.f.write(json.dumps(msg) + '\n')
        self.f.flush()
        while True:
            a = json.loads(self.f.readline())
            if 'event' in a:
                self.events.append(a)
                continue
            return a

    def filter_events(self):
        # Pick up events that came while no command ran.
        self.cmd('query-status')
        return [e for e in self.events if e['event'] == 'NIC_RX_FILTER_CHANGED']

    def close(self):
        self.s.close()


def setup_link(ctx):
    # romfile= because Debian's QEMU looks for iPXE's efi-virtio.rom otherwise.
    ctx.extra += ['-netdev', 'user,id=n0', '-device',
                  'virtio-net-pci,netdev=n0,id=nic0,romfile=']


def play_link(tap, m, ctx):
    q = Qmp(m.qmp_path)
    ready = m.wait_line('^FUNCTEST vnet-ready', timeout=ctx.limit)
    tap.ok(ready, 'the guest brought eth0 up with an IPv6 address', '%r' % m.lines[-5:])
    ev = q.filter_events()
    tap.ok(len(ev) == 1 and ev[0].get('data') == {'name': 'nic0', 'path': PATH},
           'one NIC_RX_FILTER_CHANGED (name and path) until the filter is read', '%r' % ev)
    r = q.cmd('query-rx-filter', name='nic0').get('return', [{}])[0]
    mcast = r.get('multicast-table', [])
    print('# query-rx-filter: %s' % json.dumps(r, sort_keys=True))
    tap.ok(r.get('name') == 'nic0' and r.get('main-mac') == MAC and
           r.get('promiscuous') is False and r.get('unicast') == 'normal' and
           r.get('unicast-table') == [],
           'query-rx-filter: not promiscuous, the NIC\'s own address only', '%r' % r)
    tap.ok('33:33:ff:ab:12:34' in mcast and '33:33:00:00:00:01' in mcast,
           'the multicast table has the groups the guest joined', '%r' % mcast)
    # virtio_net takes CTRL_VLAN and adds no VLAN: QEMU 7.2 says "none" then.
    tap.ok(r.get('vlan') == 'none' and r.get('vlan-table') == [],
           'query-rx-filter: VLAN filtering on, no VLAN', '%r' % r)
    m.type('join\n')
    m.wait_line('^FUNCTEST vnet-joined', timeout=60)
    time.sleep(1)
    ev = q.filter_events()
    tap.ok(len(ev) == 2, 'after the query, the next change is an event again', '%r' % ev)
    r2 = q.cmd('query-rx-filter', name='nic0').get('return', [{}])[0]
    mcast2 = r2.get('multicast-table', [])
    tap.ok('33:33:ff:ef:ca:fe' in mcast2 and set(mcast) <= set(mcast2),
           'a second IPv6 address adds its group to the table', '%r' % mcast2)
    down = q.cmd('set_link', name='nic0', up=False)
    tap.ok(down == {'return': {}}, 'set_link nic0 off', '%r' % down)
    m.type('down\n')
    m.wait_line('^FUNCTEST vnet-saw-down', timeout=60)
    up = q.cmd('set_link', name='nic0', up=True)
    tap.ok(up == {'return': {}}, 'set_link nic0 on', '%r' % up)
    m.type('up\n')
    powers_off(tap, m, ctx.limit)
    q.close()
    res = results(m.lines)
    bad = [ln for ln in m.lines if ln.startswith('FUNCTEST not-ok')]
    tap.ok(not bad, 'modules load, IPv6 addresses added', '%r' % bad)
    tap.ok(res.get('vnet-mac') == MAC, 'eth0 has QEMU\'s first MAC', '%r' % res.get('vnet-mac'))
    tap.ok(res.get('vnet-carrier-start') == '1', 'carrier at start', '%r' % res)
    tap.ok(res.get('vnet-carrier-down') == '0' and 'NO-CARRIER' in res.get('vnet-flags-down', ''),
           'after set_link off the guest loses the carrier (ip link: NO-CARRIER)', '%r' % res)
    tap.ok(res.get('vnet-carrier-up') == '1' and 'NO-CARRIER' not in res.get('vnet-flags-up', '-')
           and 'LOWER_UP' in res.get('vnet-flags-up', ''),
           'after set_link on the carrier is back (ip link: LOWER_UP)', '%r' % res)


CASES = {
    'vnet-link': Case('vnet-link', ['-no-reboot'], 180, play_link, setup=setup_link),
}

#!/usr/bin/env python3
# qmp-migrate-switchover.py BINARY [oracle]: the capability pause-before-switchover
# and migrate-continue, as libvirt uses them: migrate-continue outside a migration and
# with a bad state, then a migration that stops in pre-switchover (the MIGRATION events,
# query-status and query-migrate's status there, migrate-continue in the wrong state,
# migrate while paused), goes on through device to completed on migrate-continue; and a
# second one cancelled in pre-switchover, after which the source runs again.  Prints a
# transcript (no numbers) so the test diffs ours against QEMU 7.2.
import json
import os
import sys
import tempfile

import qmpsock

qemu = sys.argv[1]
oracle = 'oracle' in sys.argv[2:]
tmp = tempfile.mkdtemp()
procs = []


class Mon:
    def __init__(self, name, args):
        path = os.path.join(tmp, '%s-%d.qmp' % (name, len(procs)))
        proc, self.sock = qmpsock.launch(qemu, path, args, oracle, tries=600)
        procs.append(proc)
        self.name = name
        self.f = self.sock.makefile('rb')
        self.events = []
        self.f.readline()
        self.cmd({'execute': 'qmp_capabilities'})

    def read(self):
        msg = json.loads(self.f.readline())
        if 'event' in msg:
            self.events.append(msg)
        return msg

    def cmd(self, c):
        self.sock.sendall((json.dumps(c) + '\n').encode())
        while True:
            msg = self.read()
            if 'event' not in msg:
                return msg

    def show(self, c, keys=None):
        r = self.cmd(c)
        if keys and 'return' in r:
            r = {'return': {k: r['return'][k] for k in keys if k in r['return']}}
        text = '%s %s\n  %s' % (self.name, json.dumps(c), json.dumps(r, sort_keys=True))
        print(text.replace(tmp, 'TMP'))
        return r

    def wait_status(self, wanted):
        """MIGRATION events until one of wanted; print their statuses."""
        seen = []
        while True:
            for e in self.events:
                if e['event'] == 'MIGRATION':
                    seen.append(e['data']['status'])
            self.events = []
            if seen and seen[-1] in wanted:
                break
            self.read()
        # QEMU 7.2's migration thread, woken from pre-switchover by the cancel, may
        # first move to device (a race in QEMU: the state ends cancelled either way).
        if seen[:2] == ['device', 'cancelling']:
            seen = seen[1:]
        print('%s MIGRATION events: %s' % (self.name, ' '.join(seen)))


def caps(mon, pause):
    mon.show({'execute': 'migrate-set-capabilities', 'arguments': {'capabilities': [
        {'capability': 'events', 'state': True},
        {'capability': 'pause-before-switchover', 'state': pause}]}})


src = Mon('src', [])
src.show({'execute': 'migrate-continue', 'arguments': {'state': 'pre-switchover'}})
src.show({'execute': 'migrate-continue', 'arguments': {'state': 'none'}})
src.show({'execute': 'migrate-continue', 'arguments': {'state': 'bogus'}})
src.show({'execute': 'migrate-continue', 'arguments': {}})
src.show({'execute': 'migrate-continue', 'arguments': {'state': 'active', 'x': 1}})
caps(src, True)
src.show({'execute': 'query-migrate-capabilities'})

for n, end in ((1, 'continue'), (2, 'cancel')):
    sock = os.path.join(tmp, 'mig%d.sock' % n)
    dst = Mon('dst%d' % n, ['-incoming', 'defer'])
    caps(dst, False)
    dst.show({'execute': 'migrate-incoming', 'arguments': {'uri': 'unix:' + sock}})
    src.show({'execute': 'migrate', 'arguments': {'uri': 'unix:' + sock}})
    src.wait_status(['pre-switchover', 'completed', 'failed'])
    src.show({'execute': 'query-status'}, ['status', 'running'])
    src.show({'execute': 'query-migrate'}, ['status'])
    src.show({'execute': 'migrate-continue', 'arguments': {'state': 'active'}})
    src.show({'execute': 'migrate', 'arguments': {'uri': 'unix:' + sock}})
    if end == 'continue':
        src.show({'execute': 'migrate-continue', 'arguments': {'state': 'pre-switchover'}})
        src.wait_status(['completed', 'failed'])
        # (query-status is left out here: QEMU's source leaves finish-migrate a little after.)
        src.show({'execute': 'query-migrate'}, ['status'])
        dst.wait_status(['completed', 'failed'])
        dst.show({'execute': 'query-status'}, ['status', 'running'])
        src.show({'execute': 'migrate-continue', 'arguments': {'state': 'completed'}})
        # The next migration needs a source that can run: a fresh one.
        src.cmd({'execute': 'quit'})
        src = Mon('src', [])
        caps(src, True)
    else:
        src.show({'execute': 'migrate_cancel'})
        src.wait_status(['cancelled', 'failed'])
        src.show({'execute': 'query-status'}, ['status', 'running'])
        src.show({'execute': 'query-migrate'}, ['status'])
        src.show({'execute': 'migrate-continue', 'arguments': {'state': 'pre-switchover'}})
    dst.sock.close()
    dst.f.close()

src.cmd({'execute': 'quit'})
for p in procs:
    if p.poll() is None:
        p.kill()
    p.wait()

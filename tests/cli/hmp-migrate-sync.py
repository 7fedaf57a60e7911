#!/usr/bin/env python3
# hmp-migrate-sync.py BINARY [oracle]: HMP migrate on a socket monitor
# (-monitor unix:...), where QEMU 7.2 waits for the migration's end before
# its next prompt: a failed connection, migrate -b/-i/-r and their errors,
# a machine that refuses to migrate, then a real migration to a second process
# at 2 MiB/s, and human-monitor-command's "continuing detached"; info migrate and
# migrate on a machine waiting for an incoming migration. Prints
# each command line and its output (numbers masked), the reason lines on
# stderr, and what QMP said of the migration when the prompt came back, so
# the test diffs ours against QEMU 7.2.
import os
import re
import subprocess
import sys
import tempfile
import time

import qmpsock

qemu = sys.argv[1]
oracle = 'oracle' in sys.argv[2:]
tmp = tempfile.mkdtemp()
procs = []


def launch(name, args):
    """qemu with a QMP socket and an HMP socket monitor; (qmp, hmp, stderr path)."""
    qmp_path = os.path.join(tmp, name + '.qmp')
    mon_path = os.path.join(tmp, name + '.mon')
    err_path = os.path.join(tmp, name + '.err')
    cmdline = [qemu, '-display', 'none', '-M', 'pseries', '-m', '512M', '-nodefaults', '-S',
               '-qmp', 'unix:%s,server=on,wait=off' % qmp_path,
               '-monitor', 'unix:%s,server=on,wait=off' % mon_path] + args
    if oracle:
        cmdline += ['-vga', 'none']
    # (appending: reasons() empties the file between commands)
    with open(err_path, 'ab') as err:
        procs.append(subprocess.Popen(cmdline, stdout=subprocess.DEVNULL, stderr=err))
    qmp = qmpsock.Qmp(qmpsock.connect(qmp_path, 600, qemu))
    mon = Hmp(qmpsock.connect(mon_path, 600, qemu))
    return qmp, mon, err_path


class Hmp:
    """A monitor on a socket: the banner and prompt, then one command at a time."""

    def __init__(self, s):
        self.s, self.buf = s, b''
        self.until_prompt()

    def until_prompt(self):
        while b'(qemu) ' not in self.buf:
            data = self.s.recv(4096)
            if not data:
                raise SystemExit('%s: the monitor closed' % qemu)
            self.buf += data
        out, self.buf = self.buf.split(b'(qemu) ', 1)
        return out.decode(errors='replace')

    def run(self, line, then=None):
        """Type line (and then, at once, another), read to the next prompt: the output."""
        self.s.sendall(line.encode() + b'\n' + (then.encode() + b'\n' if then else b''))
        return self.output()

    def output(self):
        """What came before the next prompt, without the echoed line (to the first CR LF)."""
        out = self.until_prompt()
        return out.split('\r\n', 1)[1] if '\r\n' in out else out


def show(line, out):
    out = re.sub(r': [0-9.]+ ', ': N ', out.replace('\r\n', '\n'))
    out = re.sub(r': [0-9]+\n', ': N\n', out)
    out = re.sub(r'(dirty pages rate|downtime ram|precopy ram): N.*\n', '', out)
    print('(%s)' % line.replace(tmp, 'TMP'))
    print(out.replace(tmp, 'TMP'), end='')


def reasons(err_path):
    """The migration errors on stderr (what QEMU reports there), then forget them."""
    with open(err_path, 'rb') as f:
        lines = f.read().decode(errors='replace').splitlines()
    open(err_path, 'wb').close()
    return [l.replace(tmp, 'TMP') for l in lines if 'Failed to connect' in l]


qmp, mon, err = launch('src', [])
nowhere = 'unix:' + os.path.join(tmp, 'nowhere.sock')
for line in ['info migrate', 'migrate ' + nowhere, 'info migrate', 'migrate -b ' + nowhere,
             'migrate -i ' + nowhere, 'migrate -r ' + nowhere,
             'migrate -d -r ' + nowhere, 'migrate -r -d ' + nowhere, 'migrate -b -b ' + nowhere,
             'migrate -x ' + nowhere, 'migrate_set_capability block on',
             'migrate -b ' + nowhere, 'migrate -i ' + nowhere, 'migrate_set_capability block off',
             'info migrate']:
    show(line, mon.run(line))
    # A synchronous migrate returns its prompt once the migration has ended.
    print('  query-migrate: %s' % qmp.cmd('query-migrate')['return'].get('status'))
    print('  stderr: %s' % reasons(err))
# human-monitor-command cannot wait: QEMU says so and goes on detached.
r = qmp.cmd('human-monitor-command', {'command-line': 'migrate ' + nowhere})
print('(human-monitor-command migrate)')
print(r.get('return', r))
for _ in range(600):
    if qmp.cmd('query-migrate')['return'].get('status') != 'setup':
        break
    time.sleep(0.05)
print('  stderr: %s' % reasons(err))

# A machine that cannot migrate: one waiting for an incoming migration
# (-incoming defer). QEMU 7.2 and ours refuse migrate there with the same
# error, and info migrate shows no device blocker: every device of ours has a
# state table now (virtio-serial was the last), so no device of ours is
# unmigratable, and QEMU 7.2's (ivshmem in peer mode, ...) are not emulated.
bqmp, bmon, berr = launch('blocked', ['-incoming', 'defer'])
for line in ['info migrate', 'migrate ' + nowhere, 'info migrate']:
    show(line, bmon.run(line))
reply = bqmp.cmd('query-migrate')['return']
print('  query-migrate: %s, %d blocked-reasons' % (sorted(reply),
                                                   len(reply.get('blocked-reasons', []))))
print('  status: %s' % bqmp.cmd('query-status')['return']['status'])
bqmp.cmd('quit')

# A real migration, slowed to 2 MiB/s so that it lasts while the monitor waits;
# info status typed with it runs only once the prompt is back.
sock = os.path.join(tmp, 'mig.sock')
dqmp, dmon, derr = launch('dst', ['-incoming', 'unix:' + sock])
show('migrate_set_parameter max-bandwidth 2M', mon.run('migrate_set_parameter max-bandwidth 2M'))
out = mon.run('migrate unix:' + sock, then='info status')
show('migrate unix:TMP/mig.sock', out)
print('  query-migrate: %s' % qmp.cmd('query-migrate')['return'].get('status'))
show('info status (typed with it)', mon.output())
show('info migrate', mon.run('info migrate'))
for _ in range(600):
    if dqmp.cmd('query-status')['return']['status'] != 'inmigrate':
        break
    time.sleep(0.05)
show('info status (destination)', dmon.run('info status'))
for q in (qmp, dqmp):
    q.cmd('quit')
for p in procs:
    p.wait(30)

#!/usr/bin/env python3
# Run one abuse.c guest (a flood of hypercalls, console output, interrupts or
# exceptions that never ends) and check the host holds: QMP answers every poll,
# HMP answers too, the process's RSS and its stderr stay bounded, and `quit` ends
# it with status 0. Prints TAP, with the QMP reply times measured (the numbers the
# note reports; the check only bounds them loosely, the machine may be loaded).
# Usage: run-abuse.py QEMU IMAGE MODE
# Environment: ABUSE_POLLS (default 40), ABUSE_LIMIT (seconds one reply may take,
# default 5).
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

qemu, image, mode = sys.argv[1:4]
polls = int(os.environ.get('ABUSE_POLLS', '40'))
limit = float(os.environ.get('ABUSE_LIMIT', '5'))
tmp = tempfile.mkdtemp()
qmp_path = os.path.join(tmp, 'qmp.sock')
checks = []


def check(ok, what):
    checks.append((bool(ok), what))


def done():
    print('1..%d' % len(checks))
    for i, (ok, what) in enumerate(checks, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
    sys.exit(0 if all(ok for ok, _ in checks) else 1)


proc = subprocess.Popen([qemu, '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic',
                         '-display', 'none', '-serial', 'stdio', '-bios', image,
                         '-qmp', 'unix:%s,server=on,wait=off' % qmp_path],
                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE)
console = {'bytes': 0, 'head': b'', 'started': threading.Event()}
stderr = []


def read_console():
    while True:
        chunk = proc.stdout.read1(65536)
        if not chunk:
            return
        console['bytes'] += len(chunk)
        if len(console['head']) < 4096:
            console['head'] += chunk
            if b'started' in console['head']:
                console['started'].set()


def read_stderr():
    for line in proc.stderr:
        stderr.append(line)


threads = [threading.Thread(target=f, daemon=True) for f in (read_console, read_stderr)]
for t in threads:
    t.start()


def rss_kib():
    with open('/proc/%d/status' % proc.pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


try:
    sock = None
    end = time.time() + 10
    while sock is None and time.time() < end:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(qmp_path)
            sock = s
        except OSError:
            time.sleep(0.02)
    f = sock.makefile('r')
    f.readline()

    def cmd(command, args=None):
        msg = {'execute': command}
        if args is not None:
            msg['arguments'] = args
        sock.settimeout(limit * 4)
        sock.sendall((json.dumps(msg) + '\n').encode())
        while True:
            reply = json.loads(f.readline())
            if 'event' not in reply:
                return reply

    cmd('qmp_capabilities')
    check(console['started'].wait(30), 'the guest started its %s loop' % mode)
    time.sleep(0.5)
    rss0 = rss_kib()
    times, answers = [], []
    for i in range(polls):
        t0 = time.monotonic()
        answers.append(cmd('query-status').get('return', {}).get('status'))
        times.append(time.monotonic() - t0)
        if os.environ.get('ABUSE_DEBUG'):
            sys.stderr.write('poll %d: %.3f s\n' % (i, times[-1]))
        time.sleep(0.05)
    times.sort()
    check(answers == ['running'] * polls,
          'QMP answered %d query-status polls, running (%s)' % (polls, sorted(set(map(str, answers)))))
    check(times[-1] < limit, 'QMP reply time under %s s: median %.1f ms, max %.1f ms' %
          (limit, 1000 * times[len(times) // 2], 1000 * times[-1]))
    t0 = time.monotonic()
    hmp = cmd('human-monitor-command', {'command-line': 'info registers'}).get('return', '')
    check('NIP' in hmp, 'HMP info registers answered in %.1f ms' % (1000 * (time.monotonic() - t0)))
    if mode == 'exception':
        nip = [w for w in hmp.split('NIP')[1].split()[:1]]
        check(nip and int(nip[0], 16) in range(0x700, 0x710),
              'the guest is in its program-interrupt loop at 0x700 (NIP %s)' % nip)
    rss1 = rss_kib()
    # pageinit and memop touch the guest's RAM (1 GiB): that much may become resident.
    bound = (64 << 10) + ((1 << 20) if mode in ('pageinit', 'memop') else 0)
    check(rss1 - rss0 < bound, 'RSS grew by %d KiB while the guest ran (bound %d KiB)' %
          (rss1 - rss0, bound))
    if mode == 'console':
        check(console['bytes'] > 1 << 20, 'the console flood reached the host (%d bytes)' %
              console['bytes'])
    cmd('quit')
    status = proc.wait(limit * 4)
finally:
    if proc.poll() is None:
        proc.kill()
        status = proc.wait()
for t in threads:
    t.join(5)
check(status == 0, 'quit ends the process with status 0 (got %s)' % status)
err = b''.join(stderr)
# The reset's TCG capability warnings, and nothing the flood repeats.
check(len(err) < 4096 and err.count(b'\n') < 16, 'stderr stays bounded (%d bytes, %d lines)' %
      (len(err), err.count(b'\n')))
done()

#!/usr/bin/env python3
# Run one guest image with a QMP socket, acting on its console output (QMP
# commands, typed text), and check how the run ended; prints TAP.
# Usage: run-qmp-guest.py QEMU IMAGE NAME [--on REGEX (--qmp CMD | --type TEXT)]...
#        [--events EV,EV,...] [--status N] [--opt OPTION]... [--summary N]
#   --on REGEX --qmp CMD: once a console line matches REGEX (extended regex),
#     send CMD ("system_powerdown", or 'NAME {json arguments}'), or type TEXT
#     on the console; steps run in order, and one line may set off several.
#   --events: QMP events that must arrive in this order (others may come
#     between); an event written NAME:reason also wants data.reason to match.
#   --status: the exit status wanted (default 0); --summary: how many summary
#     lines "NAME: N checks, 0 failed" (a rebooting guest prints one per boot).
# Environment as run-guest.sh: GUEST_QEMU, GUEST_ORACLE=1 (Debian's QEMU),
# GUEST_EXTRA (ours only), GUEST_TIMEOUT (seconds, default 20).
import json
import os
import re
import select
import shlex
import socket
import subprocess
import sys
import tempfile
import time


def parse(argv):
    a = {'qemu': os.environ.get('GUEST_QEMU') or argv[0], 'image': argv[1], 'name': argv[2],
         'steps': [], 'events': [], 'status': 0, 'opts': [], 'summary': 1}
    i = 3
    while i < len(argv):
        k, v = argv[i], argv[i + 1]
        if k == '--on':
            a['steps'].append([v, argv[i + 2], argv[i + 3]])
            i += 4
            continue
        if k == '--events':
            a['events'] = [e for e in v.split(',') if e]
        elif k == '--status':
            a['status'] = int(v)
        elif k == '--summary':
            a['summary'] = int(v)
        elif k == '--opt':
            a['opts'] += shlex.split(v)
        else:
            sys.exit('run-qmp-guest.py: unknown argument ' + k)
        i += 2
    return a


def main():
    a = parse(sys.argv[1:])
    oracle = os.environ.get('GUEST_ORACLE') == '1'
    limit = float(os.environ.get('GUEST_TIMEOUT', '20'))
    tmp = tempfile.mkdtemp()
    sock_path = os.path.join(tmp, 'qmp.sock')
    cmd = [a['qemu'], '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display',
           'none', '-serial', 'stdio', '-qmp', 'unix:%s,server=on,wait=off' % sock_path]
    if oracle:
        cmd += ['-accel', 'tcg', '-name', 'guest-oracle']
    elif os.environ.get('GUEST_EXTRA'):
        cmd += shlex.split(os.environ['GUEST_EXTRA'])
    cmd += a['opts'] + ['-bios', a['image'], '-S']
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    os.set_blocking(proc.stdout.fileno(), False)
    os.set_blocking(proc.stderr.fileno(), False)
    console, err, events, log = b'', b'', [], []
    qmp, qbuf = None, b''
    end = time.time() + limit
    while qmp is None and time.time() < end and proc.poll() is None:
        try:
            qmp = socket.socket(socket.AF_UNIX)
            qmp.connect(sock_path)
        except OSError:
            qmp = None
            time.sleep(0.02)

    def qmp_send(obj):
        try:
            qmp.sendall((json.dumps(obj) + '\n').encode())
        except OSError as e:
            log.append('QMP send failed: %s' % e)

    if qmp:
        # -S holds the guest until the capabilities are negotiated, so no
        # event is lost; then cont.
        qmp_send({'execute': 'qmp_capabilities'})
        qmp_send({'execute': 'cont'})
    steps = list(a['steps'])
    seen_lines = 0
    timed_out = False
    open_pipes = [proc.stdout, proc.stderr]
    while True:
        fds = open_pipes + ([qmp] if qmp else [])
        ready, _, _ = select.select(fds, [], [], 0.1)
        for f in ready:
            if f is qmp:
                data = qmp.recv(65536)
                if not data:
                    qmp = None
                qbuf += data
                while b'\n' in qbuf:
                    line, qbuf = qbuf.split(b'\n', 1)
                    msg = json.loads(line)
                    if 'event' in msg:
                        events.append(msg)
                    log.append('QMP ' + line.decode(errors='replace'))
            else:
                data = f.read()
                if data == b'':
                    open_pipes.remove(f)
                data = data or b''
                if f is proc.stdout:
                    console += data
                else:
                    err += data
        lines = console.decode(errors='replace').split('\n')
        complete = lines[:-1]
        while steps and seen_lines < len(complete):
            line = complete[seen_lines].rstrip('\r')
            regex, kind, what = steps[0]
            if not re.search(regex, line):
                seen_lines += 1
                continue
            steps.pop(0)
            if kind == '--qmp':
                name, _, js = what.partition(' ')
                obj = {'execute': name}
                if js:
                    obj['arguments'] = json.loads(js)
                qmp_send(obj)
            else:
                proc.stdin.write(what.encode())
                proc.stdin.flush()
        if not steps:
            seen_lines = len(complete)
        if proc.poll() is not None and not open_pipes:
            break
        if time.time() > end:
            timed_out = True
            proc.kill()
            proc.wait()
            break
    status = proc.returncode
    console_text = console.decode(errors='replace').replace('\r', '')
    err_text = err.decode(errors='replace')

    checks = []

    def check(ok, what):
        checks.append((ok, what))

    check(not timed_out and status == a['status'],
          'exit status %d (got %s)' % (a['status'], 'a timeout' if timed_out else status))
    summaries = re.findall(r'^%s: [1-9][0-9]* checks, 0 failed$' % re.escape(a['name']),
                           console_text, re.M)
    check(len(summaries) == a['summary'],
          '%d summary line(s) with 0 failed (got %d)' % (a['summary'], len(summaries)))
    check('OS terminated' not in err_text, 'no ibm,os-term')
    check(not steps, 'every console step was reached')
    pos = 0
    for want in a['events']:
        name, _, reason = want.partition(':')
        found = False
        while pos < len(events):
            ev = events[pos]
            pos += 1
            if ev['event'] == name and (not reason or ev.get('data', {}).get('reason') == reason):
                found = True
                break
        check(found, 'QMP event %s in order' % want)
    print('1..%d' % len(checks))
    for n, (ok, what) in enumerate(checks, 1):
        print('%s %d - %s: %s' % ('ok' if ok else 'not ok', n, a['name'], what))
    if not all(ok for ok, _ in checks):
        print('# command: ' + ' '.join(cmd))
        for line in console_text.split('\n') + ['stderr:'] + err_text.split('\n') + log:
            print('# ' + line)
    try:
        os.unlink(sock_path)
        os.rmdir(tmp)
    except OSError:
        pass


main()

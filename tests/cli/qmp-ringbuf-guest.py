#!/usr/bin/env python3
# qmp-ringbuf-guest.py BINARY IMAGE BACKEND [options...]: a bare-metal guest's
# console (spapr-vty) on a ringbuf chardev given as BACKEND ("ringbuf,size=N",
# "memory"); once the guest has powered off (-no-shutdown), what QMP
# ringbuf-read returns is printed, one reply a line, for a diff against QEMU 7.2.
import atexit
import base64
import json
import subprocess
import sys

qemu, image, backend = sys.argv[1:4]
kind, _, opts = backend.partition(',')
spec = kind + ',id=con' + (',' + opts if opts else '')
p = subprocess.Popen([qemu, '-M', 'pseries', '-m', '1G', '-nodefaults', '-display', 'none', '-S',
                      '-no-shutdown', '-qmp', 'stdio', '-bios', image, '-chardev', spec,
                      '-serial', 'chardev:con'] + sys.argv[4:],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                     text=True)
# Never left running, whatever goes wrong below.
atexit.register(p.kill)


def send(cmd, args=None):
    msg = {'execute': cmd}
    if args:
        msg['arguments'] = args
    p.stdin.write(json.dumps(msg) + '\n')
    p.stdin.flush()
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit('no reply to ' + cmd)
        m = json.loads(line)
        if 'event' not in m:
            return m


def wait_event(name):
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit('no event ' + name)
        if json.loads(line).get('event') == name:
            return


p.stdout.readline()
send('qmp_capabilities')
send('cont')
wait_event('SHUTDOWN')
print(json.dumps(send('ringbuf-read', {'device': 'con', 'size': 30})))
rest = send('ringbuf-read', {'device': 'con', 'size': 1 << 20, 'format': 'base64'})
# The rest, decoded: its last line (the guest's summary; the MSR line before it
# is a known departure of ours).
text = base64.b64decode(rest['return']).decode(errors='replace')
print(json.dumps(text.splitlines()[-1:]))
print(json.dumps(send('ringbuf-read', {'device': 'con', 'size': 10})))
send('quit')
p.wait()

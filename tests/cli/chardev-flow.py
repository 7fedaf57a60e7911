#!/usr/bin/env python3
# chardev-flow.py BINARY KIND [options...]: an HMP monitor on a chardev of KIND
# (udp, pipe, serial: a pty's slave as the host tty), driven from the other
# end: "ringbuf_write r WORD" goes in, "ringbuf_read r N" must bring WORD back
# out.  Prints "ok" with what came back, or what went wrong (exit 1).
import atexit
import os
import pty
import re
import select
import socket
import subprocess
import sys
import tempfile
import time

qemu, kind = sys.argv[1:3]
tmp = tempfile.mkdtemp()
word = 'via-' + kind
if kind == 'udp':
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.bind(('127.0.0.1', 0))
    local = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    local.bind(('127.0.0.1', 0))
    lport = local.getsockname()[1]
    local.close()
    peer.connect(('127.0.0.1', lport))
    spec = 'udp,id=c,host=127.0.0.1,port=%d,localaddr=127.0.0.1,localport=%d' % (
        peer.getsockname()[1], lport)
    send = peer.send
    rfd = peer.fileno()
elif kind == 'pipe':
    base = os.path.join(tmp, 'p')
    os.mkfifo(base + '.in')
    os.mkfifo(base + '.out')
    spec = 'pipe,id=c,path=' + base
    # Read-write, as the emulator opens them: neither open waits for the other end.
    wfd = os.open(base + '.in', os.O_RDWR)
    rfd = os.open(base + '.out', os.O_RDWR)
    def send(b):
        os.write(wfd, b)
else:
    master, slave = pty.openpty()
    spec = 'serial,id=c,path=' + os.ttyname(slave)
    rfd = master
    def send(b):
        os.write(master, b)
p = subprocess.Popen([qemu, '-M', 'pseries', '-nodefaults', '-display', 'none', '-S',
                      '-chardev', 'ringbuf,id=r', '-chardev', spec,
                      '-mon', 'chardev=c,mode=readline'] + sys.argv[3:],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
# Never left running, whatever goes wrong below.
atexit.register(p.kill)
got = b''


def read_until(marker, limit=10):
    global got
    end = time.time() + limit
    while marker not in got and time.time() < end:
        r, _, _ = select.select([rfd], [], [], 0.2)
        if r:
            try:
                got += os.read(rfd, 4096)
            except ConnectionRefusedError:
                pass  # an ICMP error from before the emulator was up
    return marker in got


ok = True
if kind == 'udp':
    # QEMU 7.2's udp chardev never reports a peer, so no banner: an empty line
    # until the monitor answers it with a prompt.
    for _ in range(50):
        try:
            send(b'\n')
        except ConnectionRefusedError:
            pass
        if read_until(b'(qemu) ', 0.3):
            break
    if b'QEMU' in got:
        print('failed: a banner over udp: %r' % got)
        ok = False
if not read_until(b'(qemu) '):
    ok = False
else:
    send(('ringbuf_write r ' + word + '\n').encode())
    time.sleep(0.3)
    send(b'ringbuf_read r 100\n')
    ok = read_until(('\r\n' + word + '\r\n').encode())
p.kill()
p.wait()
if ok:
    # What the monitor said first (its version masked): the banner when the
    # backend reported a peer, else the prompt.
    first = re.sub(rb'QEMU [0-9.]+ ', b'QEMU X ', got.split(b'\r\n')[0])
    print('first line: %r' % first)
    print('ok ' + word + ' came back')
else:
    print('failed; received: %r; stderr: %r' % (got[-300:], p.stderr.read()[-300:]))
    sys.exit(1)

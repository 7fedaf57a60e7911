"""What the tests/cli QMP scripts share: the binary started with its QMP server on a
unix socket, the connection to it, and replies read past the events between them."""
import json
import socket
import subprocess
import time


def launch(qemu, path, args, oracle, tries=400, **popen):
    """Start qemu -M pseries -nodefaults with QMP at path, then args; return (proc, sock).

    Debian's QEMU (oracle) also gets -vga none: it would add a VGA device otherwise."""
    cmdline = [qemu, '-display', 'none', '-M', 'pseries', '-nodefaults',
               '-qmp', 'unix:%s,server=on,wait=off' % path] + list(args)
    if oracle:
        cmdline += ['-vga', 'none']
    proc = subprocess.Popen(cmdline, stderr=subprocess.DEVNULL, **popen)
    return proc, connect(path, tries, qemu)


def connect(path, tries=400, what='qemu'):
    """A connection to the unix socket at path, tried every 50 ms while it is not there."""
    for _ in range(tries):
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            time.sleep(0.05)
    raise SystemExit('%s: no socket at %s' % (what, path))


def next_reply(reader):
    """The next message from reader (sock.makefile('rb')) that is not an event."""
    while True:
        msg = json.loads(reader.readline())
        if 'event' not in msg:
            return msg


class Qmp:
    """A QMP connection past its greeting and qmp_capabilities; cmd() returns each reply."""

    def __init__(self, sock):
        self.sock, self.reader = sock, sock.makefile('rb')
        self.reader.readline()
        self.cmd('qmp_capabilities')

    def cmd(self, name, args=None):
        msg = {'execute': name}
        if args is not None:
            msg['arguments'] = args
        self.sock.sendall((json.dumps(msg) + '\n').encode())
        return next_reply(self.reader)

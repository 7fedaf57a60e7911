#!/usr/bin/env python3
# Out-of-band QMP (exec-oob) while an in-band command waits, the scenario of
# QEMU 7.2's qmp-test: blockdev-add of a blkdebug node whose config is a FIFO
# holds the in-band queue until a writer opens and closes the FIFO; an
# exec-oob sent after it is answered first, and a malformed in-band request
# is answered in its place in the queue.  Run on ours and on QEMU 7.2.
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import qmpsock
import tap
from tap import check

QEMU = os.environ.get('QEMU', 'build/qemu-system-ppc64')
ORACLE = '/usr/bin/qemu-system-ppc64'
TMP = tempfile.mkdtemp()
FIFO = os.path.join(TMP, 'fifo')


def on_alarm(signum, frame):
    raise TimeoutError('no progress in 10 s')


def run(binary, extra):
    """The replies' ids in arrival order, and the replies themselves."""
    sock = os.path.join(TMP, 'qmp.sock')
    if os.path.exists(sock):
        os.unlink(sock)
    proc = subprocess.Popen([binary, '-M', 'pseries', '-nodefaults', '-display', 'none', '-S',
                             '-qmp', 'unix:%s,server=on,wait=on' % sock] + extra,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # Retried until it connects: the socket's file exists before the server listens.
    s = qmpsock.connect(sock, 200, binary)
    f = s.makefile('rb')
    replies = []

    def send(obj):
        s.sendall((json.dumps(obj) + '\n').encode())

    def recv():
        while True:
            msg = json.loads(f.readline())
            if 'event' not in msg:
                replies.append(msg)
                return msg

    def blocks(i):
        send({'execute': 'blockdev-add', 'id': i,
              'arguments': {'driver': 'blkdebug', 'node-name': i, 'config': FIFO,
                            'image': {'driver': 'null-co', 'read-zeroes': True}}})

    def unblock():
        # As the qtest: a blocking open waits for the reader, then the close ends the file.
        os.close(os.open(FIFO, os.O_WRONLY))

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(10)
    try:
        recv()
        send({'execute': 'qmp_capabilities', 'arguments': {'enable': ['oob']}})
        recv()
        blocks('ib-blocks-1')
        send({'execute': 'query-name', 'id': 'ib-quick-1'})
        send({'exec-oob': 'migrate-pause', 'id': 'oob-1'})
        recv()
        unblock()
        recv()
        recv()
        blocks('blocks-2')
        send({'id': 'err-2'})
        unblock()
        recv()
        recv()
        send({'execute': 'query-named-block-nodes', 'arguments': {'flat': True}})
        recv()
    except (TimeoutError, ValueError) as e:
        replies.append({'failure': str(e)})
    finally:
        signal.alarm(0)
        proc.kill()
        proc.wait()
    return replies


os.mkfifo(FIFO)
want = ['oob-1', 'ib-blocks-1', 'ib-quick-1', 'blocks-2', 'err-2']
for name, binary, extra in (('ours', QEMU, ['-accel', 'qtest']), ('QEMU 7.2', ORACLE, [])):
    replies = run(binary, extra)
    ids = [r.get('id') for r in replies[2:7]]
    check(ids == want, '%s: exec-oob overtakes the waiting blockdev-add, in-band order kept'
          % name, 'ids: %s' % ids, json.dumps(replies[:7]))
    ok = len(replies) > 7 and all('return' in r for r in replies[3:6])
    nodes = sorted(x['node-name'] for x in replies[-1].get('return', []) if 'node-name' in x)
    check(ok and 'ib-blocks-1' in nodes and 'blocks-2' in nodes,
          '%s: both blkdebug nodes were added once the FIFO was closed' % name,
          json.dumps(replies[:7]))
    err = replies[6].get('error', {}) if len(replies) > 6 else {}
    check(err.get('desc') == "QMP input lacks member 'execute'",
          "%s: the malformed in-band request's error" % name, json.dumps(replies[:7]))

# The config file's rules are not implemented: a file with any refuses the node.
with open(os.path.join(TMP, 'rules.conf'), 'w') as f:
    f.write('[inject-error]\nevent = "read_aio"\n')
out = subprocess.run([QEMU, '-M', 'pseries', '-nodefaults', '-display', 'none', '-blockdev',
                      'driver=blkdebug,node-name=b,config=%s/rules.conf,image.driver=null-co' % TMP],
                     stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
check(out.returncode == 1 and 'not supported' in out.stderr,
      'a blkdebug config with rules is refused', out.stderr)
shutil.rmtree(TMP)
tap.finish()

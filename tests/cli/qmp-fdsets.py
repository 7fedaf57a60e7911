#!/usr/bin/env python3
# qmp-fdsets.py BINARY: fd sets and passed descriptors over a QMP unix socket
# (add-fd/getfd with SCM_RIGHTS, remove-fd, query-fdsets, closefd), with an
# -add-fd from the command line; prints each command and its reply, the
# descriptor numbers replaced by N (they are the process's own), so the
# test diffs ours against QEMU 7.2.
import array
import json
import os
import socket
import sys
import tempfile

import qmpsock

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
r, w = os.pipe()
proc, sock = qmpsock.launch(qemu, path, ['-S', '-add-fd', 'fd=%d,set=2,opaque=pipe-r' % r],
                             'oracle' in sys.argv[2:], pass_fds=(r,))
reader = sock.makefile('rb')


def reply():
    return qmpsock.next_reply(reader)


def cmd(c, fds=None):
    data = (json.dumps(c) + '\n').encode()
    if fds:
        sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))])
    else:
        sock.sendall(data)
    out = json.dumps(reply(), sort_keys=True)
    for k in ('"fd": ',):
        parts = out.split(k)
        out = parts[0] + ''.join(k + 'N' + p.lstrip('0123456789') for p in parts[1:])
    print(json.dumps(c, sort_keys=True), '->', out)


reply()
cmd({'execute': 'qmp_capabilities'})
cmd({'execute': 'query-fdsets'})
a = os.open(os.path.join(tmp, 'a'), os.O_RDWR | os.O_CREAT)
b = os.open(os.path.join(tmp, 'b'), os.O_RDONLY | os.O_CREAT)
cmd({'execute': 'add-fd'})
cmd({'execute': 'add-fd', 'arguments': {'opaque': 'A'}}, [a])
cmd({'execute': 'add-fd', 'arguments': {'fdset-id': 2, 'opaque': 'B'}}, [b])
cmd({'execute': 'add-fd', 'arguments': {'fdset-id': 7}}, [b])
cmd({'execute': 'add-fd', 'arguments': {}}, [b])
cmd({'execute': 'add-fd', 'arguments': {'fdset-id': -1}}, [b])
cmd({'execute': 'getfd', 'arguments': {'fdname': 'y'}})
cmd({'execute': 'query-fdsets'})
cmd({'execute': 'remove-fd', 'arguments': {'fdset-id': 9}})
cmd({'execute': 'remove-fd', 'arguments': {'fdset-id': 2, 'fd': 99}})
cmd({'execute': 'remove-fd', 'arguments': {'fdset-id': 7}})
cmd({'execute': 'query-fdsets'})
cmd({'execute': 'getfd', 'arguments': {'fdname': 'x'}})
cmd({'execute': 'getfd', 'arguments': {'fdname': '1x'}}, [a])
cmd({'execute': 'getfd', 'arguments': {'fdname': 'x'}}, [a])
cmd({'execute': 'getfd', 'arguments': {'fdname': 'x'}}, [b])
cmd({'execute': 'closefd', 'arguments': {'fdname': 'x'}})
cmd({'execute': 'closefd', 'arguments': {'fdname': 'x'}})
cmd({'execute': 'getfd'})
cmd({'execute': 'remove-fd'})
cmd({'execute': 'cont'})
cmd({'execute': 'remove-fd', 'arguments': {'fdset-id': 2}})
cmd({'execute': 'query-fdsets'})
cmd({'execute': 'quit'})
proc.wait(timeout=20)

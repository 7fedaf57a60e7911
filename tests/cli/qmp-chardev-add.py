#!/usr/bin/env python3
# qmp-chardev-add.py BINARY [oracle]: QMP chardev-add (null and socket
# backends) and a socket on a descriptor named with getfd (SCM_RIGHTS); prints
# each command and its reply (paths masked; query-chardev sorted by label, its
# order being QEMU's hash table's) so the test diffs ours against QEMU 7.2.
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
proc, sock = qmpsock.launch(qemu, path, ['-S'], 'oracle' in sys.argv[2:])
reader = sock.makefile('rb')
reader.readline()


def cmd(c, fd=None):
    data = (json.dumps(c) + '\n').encode()
    if fd is None:
        sock.sendall(data)
    else:
        sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [fd]))])
    r = qmpsock.next_reply(reader)
    if c['execute'] == 'query-chardev' and 'return' in r:
        r['return'].sort(key=lambda x: x['label'])
    print(json.dumps(c).replace(tmp, 'TMP'), '->', json.dumps(r).replace(tmp, 'TMP'))


def add(cid, backend_type, data):
    cmd({'execute': 'chardev-add',
         'arguments': {'id': cid, 'backend': {'type': backend_type, 'data': data}}})


def fd_addr(name):
    return {'addr': {'type': 'fd', 'data': {'str': name}}, 'server': False}


cmd({'execute': 'qmp_capabilities'})
a, b = socket.socketpair()
cmd({'execute': 'getfd', 'arguments': {'fdname': 'myfd'}}, a.fileno())
add('c1', 'socket', fd_addr('nosuch'))
add('c2', 'socket', fd_addr('99'))
add('c3', 'socket', fd_addr('myfd'))
add('c3', 'socket', fd_addr('myfd'))
add('c4', 'socket', fd_addr('myfd'))
cmd({'execute': 'closefd', 'arguments': {'fdname': 'myfd'}})
add('n1', 'null', {})
add('n1', 'null', {})
add('u1', 'socket', {'addr': {'type': 'unix', 'data': {'path': os.path.join(tmp, 'c.sock')}},
                     'server': True})
add('u2', 'socket', {'addr': {'type': 'unix', 'data': {'path': os.path.join(tmp, 'none.sock')}},
                     'server': False})
add('x1', 'nosuch', {})
add('x2', 'socket', {'addr': {'type': 'fd'}})
cmd({'execute': 'query-chardev'})
# A mux over a chardev made before: its base is busy while the mux exists, a mux
# is busy while a frontend (here a mux over it) uses it.
add('mb', 'null', {})
add('mx1', 'mux', {'chardev': 'mb'})
add('mx2', 'mux', {'chardev': 'nosuch'})
add('mx3', 'mux', {})
cmd({'execute': 'query-chardev'})
add('mx4', 'mux', {'chardev': 'mx1'})
for cid in ['mb', 'mx1', 'mx4', 'mx1', 'mb', 'mb']:
    cmd({'execute': 'chardev-remove', 'arguments': {'id': cid}})
proc.kill()
proc.wait()

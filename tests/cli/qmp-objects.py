#!/usr/bin/env python3
# qmp-objects.py BINARY [oracle]: qom-list and qom-get below /objects (every
# user-creatable type, the machine's RAM backend, object-add/object-del) and
# virtio-rng-pci's rng= link, over a QMP unix socket; prints each command and
# its reply so the test diffs ours against QEMU 7.2.
import json
import os
import re
import sys
import tempfile

import qmpsock

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
args = ['-S',
        '-object', 'rng-random,id=rng0,filename=/dev/urandom',
        '-object', 'rng-builtin,id=rng1',
        '-object', 'rng-random,id=rng2',
        '-object', 'secret,id=sec0,data=abc',
        '-object', 'memory-backend-ram,id=mem0,size=64M',
        '-object', 'iothread,id=io0,poll-max-ns=1000',
        '-object', 'memory-backend-file,id=mf,size=32M,mem-path=%s,share=on' % os.path.join(tmp, 'mf'),
        '-object', 'memory-backend-memfd,id=mm,size=32M,seal=off',
        '-device', 'virtio-rng-pci,rng=rng0,id=r0',
        '-device', 'virtio-rng-pci,rng=rng1,id=r1',
        '-device', 'virtio-rng-pci,id=r2']
proc, sock = qmpsock.launch(qemu, path, args, 'oracle' in sys.argv[2:])
reader = sock.makefile('rb')


def reply():
    return qmpsock.next_reply(reader)


def cmd(name, **arguments):
    c = {'execute': name}
    if arguments:
        c['arguments'] = arguments
    sock.sendall((json.dumps(c) + '\n').encode())
    out = json.dumps(reply())
    print(json.dumps(c), '->', re.sub(r'"thread-id": \d+', '"thread-id": N', out))


reply()
cmd('qmp_capabilities')
cmd('qom-list', path='/objects')
props = {}
for obj in ('rng0', 'rng1', 'rng2', 'sec0', 'mem0', 'io0', 'mf', 'mm', 'ppc_spapr.ram'):
    sock.sendall((json.dumps({'execute': 'qom-list', 'arguments': {'path': '/objects/' + obj}}) + '\n').encode())
    listed = reply()
    print('qom-list /objects/%s ->' % obj, json.dumps(listed))
    for p in listed.get('return', []):
        if p['name'] != 'mem-path':
            cmd('qom-get', path='/objects/' + obj, property=p['name'])
cmd('qom-get', path='/objects', property='type')
cmd('qom-get', path='/objects', property='nope')
cmd('qom-get', path='/objects/nope', property='type')
cmd('qom-list', path='/objects/nope')
cmd('qom-get', path='/objects/rng0', property='nope')
cmd('qom-get', path='/objects/mem0', property='nope')
# Where an object lands in QEMU's table depends on the deleted ones too.
cmd('object-add', **{'qom-type': 'rng-builtin', 'id': 'added'})
cmd('object-add', **{'qom-type': 'secret', 'id': 'sec1', 'data': 'eHl6', 'format': 'base64'})
cmd('qom-list', path='/objects')
cmd('qom-get', path='/objects/sec1', property='format')
cmd('qom-get', path='/objects/sec1', property='data')
cmd('qom-list', path='/objects/added')
cmd('object-del', id='added')
cmd('qom-list', path='/objects')
cmd('object-del', id='rng0')
cmd('qom-list', path='/objects')
cmd('qom-get', path='/objects/rng0', property='type')
for i in range(12):
    cmd('object-add', **{'qom-type': 'rng-builtin', 'id': 'x%d' % i})
for i in range(0, 12, 3):
    cmd('object-del', id='x%d' % i)
cmd('object-add', **{'qom-type': 'rng-builtin', 'id': 'rng0'})
cmd('object-add', **{'qom-type': 'iothread', 'id': 'late-io'})
cmd('qom-list', path='/objects')
cmd('query-iothreads')
cmd('device_add', driver='virtio-rng-pci', id='r3', rng='nope')
cmd('device_add', driver='virtio-rng-pci', id='r3', rng='sec0')
cmd('device_add', driver='virtio-rng-pci', id='r3', rng='io0')
cmd('device_add', driver='virtio-rng-pci', id='r3', rng='rng2')
proc.kill()
proc.wait()

#!/usr/bin/env python3
# qmp-migrate-params.py BINARY [oracle]: migrate-set-parameters over a QMP
# unix socket, every field at and past its limits, wrong types, several
# fields with one refused; query-migrate-parameters after each group.  Prints
# each command and its reply so the test diffs ours against QEMU 7.2.
import json
import os
import sys
import tempfile

import qmpsock

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
proc, sock = qmpsock.launch(qemu, path, ['-S'], 'oracle' in sys.argv[2:])
reader = sock.makefile('rb')


def reply():
    return qmpsock.next_reply(reader)


def send(c):
    sock.sendall((json.dumps(c) + '\n').encode())
    print(json.dumps(c), '->', json.dumps(reply()))


def setp(**kw):
    send({'execute': 'migrate-set-parameters', 'arguments': kw})


def query():
    send({'execute': 'query-migrate-parameters'})


reply()
send({'execute': 'qmp_capabilities'})
query()
# Each integer field at its edges, past them, negative, and as the wrong type.
ints = {
    'announce-initial': [0, 1, 100000, 100001, -1],
    'announce-max': [0, 100000, 100001, -1],
    'announce-rounds': [0, 1000, 1001, -1],
    'announce-step': [0, 1, 10000, 10001, -1],
    'compress-level': [0, 9, 10, 255, 256, -1, (1 << 64) - 1],
    'compress-threads': [0, 1, 255, 256, -1],
    'decompress-threads': [0, 1, 255, 256],
    'throttle-trigger-threshold': [0, 1, 100, 101, 256],
    'cpu-throttle-initial': [0, 1, 99, 100, 256],
    'cpu-throttle-increment': [0, 1, 99, 100, 256],
    # QEMU reads 2^63..2^64-1 as unsigned: a uint64 takes them, wider is refused.
    'max-bandwidth': [0, 1, 1 << 40, (1 << 63) - 1, (1 << 64) - 1, 1 << 64, -(1 << 63),
                      -(1 << 63) - 1, -1, 1 << 63],
    'downtime-limit': [0, 2000000, 2000001, (1 << 63) - 1, 1 << 63, -1],
    'x-checkpoint-delay': [0, 4294967295, 4294967296, -1],
    'multifd-channels': [0, 1, 255, 256],
    'xbzrle-cache-size': [0, 1, 4095, 4096, 8192, 12288, 1 << 30, -1, (1 << 64) - 1, 1 << 63],
    'max-postcopy-bandwidth': [0, 12345, -1],
    'max-cpu-throttle': [0, 19, 20, 99, 100],
    'multifd-zlib-level': [0, 9, 10],
    'multifd-zstd-level': [0, 20, 21],
}
for name, values in ints.items():
    for v in values:
        setp(**{name: v})
    setp(**{name: 'x'})
    setp(**{name: True})
    setp(**{name: 1.5})
    query()
for name in ('compress-wait-thread', 'cpu-throttle-tailslow', 'block-incremental'):
    setp(**{name: True})
    setp(**{name: False})
    setp(**{name: 1})
    setp(**{name: 'on'})
for name in ('tls-creds', 'tls-hostname', 'tls-authz'):
    setp(**{name: 'abc'})
    query()
    setp(**{name: None})
    setp(**{name: ''})
    setp(**{name: 5})
for v in ('none', 'zlib', 'zstd', 'lz4', 1):
    setp(**{'multifd-compression': v})
query()
# The cross-field check: max-cpu-throttle against cpu-throttle-initial, old or new.
setp(**{'cpu-throttle-initial': 50})
setp(**{'max-cpu-throttle': 40})
setp(**{'max-cpu-throttle': 50})
setp(**{'cpu-throttle-initial': 60})
setp(**{'cpu-throttle-initial': 30, 'max-cpu-throttle': 40})
setp(**{'cpu-throttle-initial': 45, 'max-cpu-throttle': 40})
query()
# One field refused: nothing of the command is applied.
setp(**{'downtime-limit': 1234, 'max-bandwidth': 5678, 'compress-level': 10})
setp(**{'downtime-limit': 1234, 'announce-step': 0})
setp(**{'max-bandwidth': 5678, 'compress-level': 300})
setp(**{'tls-creds': 'zz', 'xbzrle-cache-size': 5000})
query()
setp(**{'downtime-limit': 1234, 'max-bandwidth': 5678, 'compress-level': 7})
query()
# Unknown members and an empty command.
setp(**{'nope': 1})
setp(**{'downtime-limit': 10, 'nope': 1})
setp()
query()
# Integers past INT64_MAX where the schema wants an int, a string, a boolean
# or an enum, and as the command's id (echoed as it came).
big = (1 << 64) - 1
send({'execute': 'balloon', 'arguments': {'value': big}})
send({'execute': 'balloon', 'arguments': {'value': 1 << 63}})
send({'execute': 'balloon', 'arguments': {'value': -(1 << 63)}})
setp(**{'tls-creds': big})
setp(**{'block-incremental': big})
setp(**{'multifd-compression': big})
send({'execute': 'migrate-set-parameters', 'arguments': {}, 'id': big})
send({'execute': 'migrate-set-parameters', 'arguments': {}, 'id': 1 << 64})
send({'execute': 'quit'})
proc.wait()

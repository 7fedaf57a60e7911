#!/usr/bin/env python3
# qmp-preconfig.py BINARY [oracle]: --preconfig over QMP: which commands run
# before the machine exists, set-numa-node (and its errors), x-exit-preconfig
# building the machine with that NUMA layout, and quit while waiting; prints
# each command and its reply (thread ids masked, events left out) so the
# test diffs ours against QEMU 7.2; query-hotpluggable-cpus before the build
# (the slots, node-id only where -numa or set-numa-node gave one).
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
extra = ['-vga', 'none'] if 'oracle' in sys.argv[2:] else []


def start(args):
    global sock, reader, proc
    if os.path.exists(path):
        os.unlink(path)
    proc = subprocess.Popen([qemu, '-display', 'none', '-M', 'pseries', '-nodefaults',
                             '-qmp', 'unix:%s,server=on,wait=off' % path] + args + extra,
                            stderr=subprocess.DEVNULL)
    # Until the greeting arrives: under load a first connection can end before it.
    for _ in range(400):
        try:
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(path)
            reader = sock.makefile('rb')
            if '"QMP"' in line():
                return
            sock.close()
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit('qmp-preconfig: no QMP greeting from ' + qemu)


def line():
    text = reader.readline().decode()
    text = re.sub(r'"thread-id": \d+', '"thread-id": N', text)
    return re.sub(r'"seconds": \d+, "microseconds": \d+', '"seconds": S, "microseconds": U', text)


def cmd(name, **arguments):
    c = {'execute': name}
    if arguments:
        c['arguments'] = arguments
    sock.sendall((json.dumps(c) + '\n').encode())
    out = line()
    while '"event"' in out:
        out = line()  # events race with replies in QEMU: left out
    print(json.dumps(c), '->', out.strip())


start(['--preconfig', '-smp', '2', '-m', '1G',
       '-object', 'memory-backend-ram,id=m0,size=512M',
       '-object', 'memory-backend-ram,id=m1,size=512M'])
cmd('qmp_capabilities')
for name in ('query-status', 'stop', 'cont', 'query-cpus-fast', 'query-machines', 'query-target',
             'query-cpu-definitions', 'system_reset', 'device_del', 'query-memdev',
             'query-iothreads', 'query-name', 'query-uuid', 'query-block',
             'query-named-block-nodes'):
    cmd(name)
cmd('qom-get', path='/objects/m0', property='size')
cmd('query-hotpluggable-cpus')
cmd('set-numa-node', type='node', nodeid=0, memdev='m0', cpus=[0])
cmd('query-hotpluggable-cpus')
cmd('set-numa-node', type='node', nodeid=1, memdev='m1', cpus=[1])
cmd('set-numa-node', type='dist', src=0, dst=1, val=40)
cmd('set-numa-node', type='hmat-lb', initiator=0, target=0, hierarchy='memory',
    **{'data-type': 'access-latency'})
cmd('set-numa-node', type='node', nodeid=1)
cmd('set-numa-node', type='node', nodeid=300)
cmd('set-numa-node', type='node', nodeid=5, memdev='nope')
cmd('set-numa-node', type='cpu', **{'node-id': 0, 'core-id': 0})
cmd('set-numa-node')
cmd('query-hotpluggable-cpus')
cmd('x-exit-preconfig')
cmd('query-hotpluggable-cpus')
cmd('query-status')
cmd('x-exit-preconfig')
cmd('set-numa-node', type='node', nodeid=2)
cmd('query-cpus-fast')
cmd('query-memdev')
cmd('cont')
cmd('query-status')
proc.kill()
proc.wait()

# The slots before the build: maxcpus, threads, -cpu, -numa node,cpus= and
# cpu,node-id=, set-numa-node cpu; a machine type without CPU hot-plug.
for args in (['-smp', '2,maxcpus=4', '-numa', 'node', '-numa', 'node,cpus=3',
              '-numa', 'cpu,node-id=0,core-id=1'],
             ['-smp', '4,threads=2,maxcpus=8', '-cpu', 'POWER8'],
             ['-M', 'pseries-2.6', '-smp', '2']):
    start(['--preconfig'] + args)
    cmd('qmp_capabilities')
    cmd('query-hotpluggable-cpus')
    cmd('set-numa-node', type='cpu', **{'node-id': 1, 'core-id': 2})
    cmd('query-hotpluggable-cpus')
    proc.kill()
    proc.wait()

# quit while waiting: the process ends with status 0.
start(['--preconfig'])
cmd('qmp_capabilities')
cmd('quit')
print('exit status', proc.wait(timeout=10))

# Without --preconfig the machine is there from the start.
start(['-S'])
cmd('qmp_capabilities')
cmd('x-exit-preconfig')
cmd('set-numa-node', type='node')
proc.kill()
proc.wait()

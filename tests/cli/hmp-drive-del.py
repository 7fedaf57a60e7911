#!/usr/bin/env python3
# hmp-drive-del.py BINARY [oracle]: HMP drive_add and drive_del, and drives
# going with their device (device_del), over QMP; prints each command and its
# reply (node names masked, events kept apart) so that the test diffs ours
# against QEMU 7.2.
import json
import re
import signal
import subprocess
import sys

qemu = sys.argv[1]
extra = ['-vga', 'none'] if 'oracle' in sys.argv[2:] else []
IMG = '/etc/hostname'


def start(args):
    global proc
    proc = subprocess.Popen([qemu, '-display', 'none', '-M', 'pseries', '-nodefaults',
                             '-qmp', 'stdio'] + args + extra,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    read()
    send({'execute': 'qmp_capabilities'})


def read():
    text = proc.stdout.readline().decode()
    return json.loads(text) if text else None


events = []


def send(c):
    proc.stdin.write((json.dumps(c) + '\n').encode())
    proc.stdin.flush()
    while True:
        r = read()
        if r is None or 'event' not in r:
            return r
        events.append(r['event'])  # events race with replies in QEMU


def show(c, r):
    text = json.dumps(r, sort_keys=True)
    print(json.dumps(c), '->', re.sub(r'#block\d+', '#blockN', text))


def qmp(name, **arguments):
    c = {'execute': name}
    if arguments:
        c['arguments'] = arguments
    show(c, send(c))


def hmp(line):
    show(line, send({'execute': 'human-monitor-command', 'arguments': {'command-line': line}}))


class Expired(Exception):
    pass


def expire(signum, frame):
    raise Expired()


def wait_event(name, limit=10):
    """Up to LIMIT seconds: QEMU 7.2 now and then never sends the event (after
    system_reset completes a PCI unplug), and the caller retries the whole run."""
    signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    try:
        while name not in events:
            r = read()
            if r is None:
                break
            events.append(r.get('event'))
    except Expired:
        pass
    finally:
        signal.alarm(0)
    if name not in events:
        print('event', name, 'never came')
        return
    events.remove(name)
    print('event', name)


def stop():
    proc.stdin.close()
    proc.kill()
    proc.wait()


# A drive no device uses: its errors, deletion, adding it again.
start(['-drive', 'if=none,id=drive0'])
for line in ('drive_del', 'drive_del nosuch', 'drive_del drive0', 'drive_del drive0',
             'drive_add 0 if=none,id=drive0', 'drive_add 0 if=none,id=drive0', 'drive_add',
             'drive_add 0', 'drive_add 0 id=x,if=scsi', 'drive_add 0 id=y,if=virtio',
             'drive_add 0 id=z,if=pflash', 'drive_add 0 file=' + IMG,
             'drive_add 0 if=none,id=d1,file=/nonexistent', 'drive_add 0 if=none,id=d2,bogus=1',
             'drive_add 0 if=none,id=d3 extra', 'drive_del drive0 extra', 'info block',
             'help drive_add', 'help drive_del'):
    hmp(line)
qmp('blockdev-add', driver='file', filename=IMG, **{'node-name': 'n0'})
hmp('drive_del n0')
hmp('drive_del n0')
qmp('query-named-block-nodes')
stop()

# A drive a device uses: the device keeps an empty backend, the id stays taken.
start(['-drive', 'if=none,id=drive0,file=%s,format=raw' % IMG, '-device', 'spapr-vscsi',
       '-device', 'scsi-hd,drive=drive0,id=dev0'])
hmp('drive_del drive0')
hmp('info block')
qmp('query-block')
hmp('drive_del drive0')
hmp('drive_add 0 if=none,id=drive0')
stop()

# device_del of a virtio-blk-pci takes its -drive with it.
start(['-drive', 'if=none,id=drive0,file=%s,format=raw' % IMG,
       '-device', 'virtio-blk-pci,drive=drive0,id=dev0'])
qmp('device_del', id='dev0')
qmp('system_reset')
wait_event('DEVICE_DELETED')
qmp('query-block')
hmp('drive_add 0 if=none,id=drive0')
stop()

# drive_del, then device_del: no named drive is left.  (QEMU frees the device
# after DEVICE_DELETED, in an RCU callback: its nameless backend may still be
# listed, and the id still taken, when the next command comes.)
start(['-drive', 'if=none,id=drive0,file=%s,format=raw' % IMG,
       '-device', 'virtio-blk-pci,drive=drive0,id=dev0'])
hmp('drive_del drive0')
qmp('device_del', id='dev0')
qmp('system_reset')
wait_event('DEVICE_DELETED')
r = send({'execute': 'query-block'})
print('named drives after device_del:', [b['device'] for b in r['return'] if b['device']])
stop()

# A device_add that fails leaves the drive free; a -blockdev node outlives its device.
start(['-drive', 'if=none,id=drive0'])
qmp('device_add', driver='virtio-blk-pci', drive='drive0')
hmp('drive_del drive0')
hmp('drive_add 0 if=none,id=drive0')
qmp('blockdev-add', driver='file', filename=IMG, **{'node-name': 'n1'})
qmp('device_add', driver='virtio-blk-pci', drive='n1', id='dev1')
qmp('device_del', id='dev1')
qmp('system_reset')
wait_event('DEVICE_DELETED')
qmp('query-named-block-nodes')
stop()

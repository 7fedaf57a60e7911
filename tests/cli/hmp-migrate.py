#!/usr/bin/env python3
# hmp-migrate.py BINARY [oracle]: the HMP migration commands over QMP's
# human-monitor-command: migrate_set_parameter and migrate_set_capability
# with good and bad values, the info subcommands, migrate_incoming on an
# "-incoming defer" destination, migrate -d to it, info migrate on both
# sides (numbers masked), and the errors after it.  Prints each line and its
# output so the test diffs ours against QEMU 7.2.
import json
import os
import re
import sys
import tempfile
import time

import qmpsock

qemu = sys.argv[1]
oracle = 'oracle' in sys.argv[2:]
tmp = tempfile.mkdtemp()
procs = []


def start(name, args):
    path = os.path.join(tmp, name)
    proc, s = qmpsock.launch(qemu, path, args, oracle, tries=600)
    procs.append(proc)
    f = s.makefile('rb')
    f.readline()

    def cmd(c):
        s.sendall((json.dumps(c) + '\n').encode())
        return qmpsock.next_reply(f)
    cmd({'execute': 'qmp_capabilities'})
    return cmd


def hmp(mon, line, mask=False):
    r = mon({'execute': 'human-monitor-command', 'arguments': {'command-line': line}})
    text = r.get('return', json.dumps(r))
    if mask:
        text = re.sub(r': [0-9.]+ ', ': N ', text)
        text = re.sub(r': [0-9]+(\r?\n)', r': N\1', text)
        # present or not with the timing of the copy
        text = re.sub(r'(dirty pages rate|downtime ram): N.*\n', '', text)
    print('(%s)' % line.replace(tmp, 'TMP'))
    print(text.replace(tmp, 'TMP'), end='')


src = start('src', [])
for line in ['info migrate', 'info migrate_parameters', 'info migrate_capabilities',
             'migrate_set_parameter', 'migrate_set_parameter downtime-limit',
             'migrate_set_parameter downtime-limit 500', 'migrate_set_parameter downtime-limit 2k',
             'migrate_set_parameter downtime-limit 5000000', 'migrate_set_parameter downtime-limit x',
             'migrate_set_parameter downtime-limit 1.5', 'migrate_set_parameter nope 1',
             'migrate_set_parameter max-bandwidth 1G', 'migrate_set_parameter max-bandwidth 100',
             'migrate_set_parameter max-bandwidth 1k', 'migrate_set_parameter max-bandwidth x',
             'migrate_set_parameter max-bandwidth 9E', 'migrate_set_parameter max-bandwidth -1',
             'migrate_set_parameter xbzrle-cache-size 1M', 'migrate_set_parameter xbzrle-cache-size -1',
             'migrate_set_parameter xbzrle-cache-size 5000', 'migrate_set_parameter tls-creds foo',
             'migrate_set_parameter tls-hostname "a b"',
             'migrate_set_parameter compress-wait-thread off', 'migrate_set_parameter compress-wait-thread x',
             'migrate_set_parameter compress-wait-thread yes', 'migrate_set_parameter block-incremental y',
             'migrate_set_parameter multifd-compression zstd', 'migrate_set_parameter multifd-compression x',
             'migrate_set_parameter compress-level 300', 'migrate_set_parameter compress-level -1',
             'migrate_set_parameter compress-level x', 'migrate_set_parameter compress-level 1k',
             'migrate_set_parameter compress-level 10', 'migrate_set_parameter compress-level 9',
             'migrate_set_parameter x-checkpoint-delay 5000000000', 'migrate_set_parameter x-checkpoint-delay 7',
             'migrate_set_parameter announce-step 0', 'migrate_set_parameter announce-max 1k',
             'migrate_set_parameter cpu-throttle-initial 0x10', 'migrate_set_parameter cpu-throttle-initial 010',
             'migrate_set_parameter max-cpu-throttle 5', 'migrate_set_parameter max-postcopy-bandwidth 1k',
             'migrate_set_parameter block-bitmap-mapping x', 'migrate_set_parameter a b c',
             'info migrate_parameters',
             'migrate_set_capability', 'migrate_set_capability events',
             'migrate_set_capability events x', 'migrate_set_capability events yes',
             'migrate_set_capability events on x', 'migrate_set_capability nope on',
             'migrate_set_capability xbzrle on', 'migrate_set_capability xbzrle off',
             'migrate_set_capability events on', 'info migrate_capabilities',
             'migrate_incoming tcp:127.0.0.1:1', 'migrate', 'migrate -d', 'migrate nope:',
             'migrate_cancel', 'info migrate']:
    hmp(src, line)
hmp(src, 'migrate_set_parameter max-bandwidth 0')
hmp(src, 'migrate_set_parameter downtime-limit 300')
hmp(src, 'migrate_set_parameter tls-creds ""')
hmp(src, 'migrate_set_parameter tls-hostname ""')

sock = os.path.join(tmp, 'mig.sock')
dst = start('dst', ['-incoming', 'defer'])
hmp(dst, 'info migrate')
hmp(dst, 'migrate_incoming')
hmp(dst, 'migrate_incoming nope:x')
hmp(dst, 'migrate_incoming unix:' + sock)
hmp(dst, 'migrate_incoming unix:' + sock)
hmp(dst, 'info status')
hmp(src, 'migrate -d unix:' + sock)
for _ in range(600):
    if src({'execute': 'query-migrate'})['return'].get('status') in ('completed', 'failed'):
        break
    time.sleep(0.1)
hmp(src, 'info migrate', mask=True)
for _ in range(600):
    if dst({'execute': 'query-status'})['return']['status'] != 'inmigrate':
        break
    time.sleep(0.1)
hmp(dst, 'info migrate', mask=True)
hmp(dst, 'info status')
hmp(src, 'migrate -d unix:' + sock)
hmp(src, 'migrate_cancel')
for mon in (src, dst):
    mon({'execute': 'quit'})
for p in procs:
    p.wait()

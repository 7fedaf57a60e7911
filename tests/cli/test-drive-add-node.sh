#!/bin/bash
# HMP drive_add -n (a node the monitor owns, as blockdev-add) against QEMU 7.2:
# each reply, then the nodes query-named-block-nodes lists (name, driver, read-only),
# before and after blockdev-del of one.
. "$(dirname "$0")/lib.sh"
need_oracle

nodes_norm() {
    python3 -c '
import json, re, sys
for line in sys.stdin:
    m = json.loads(line)
    r = m.get("return")
    if isinstance(r, list):
        # Implicit nodes are named #blockNNN from a counter of every node made.
        m["return"] = sorted([re.sub(r"^#block[0-9]+$", "#blockN", n.get("node-name")),
                              n.get("drv"), n.get("ro")] for n in r)
    print(json.dumps(m, sort_keys=True))
'
}
QMP_SAME_FILTER=nodes_norm

hmp() {
    printf '{"execute":"human-monitor-command","arguments":{"command-line":"%s"}}\n' "$1"
}
{
    hmp 'drive_add -n 0 driver=null-co,node-name=n1'
    hmp 'drive_add -n 0 driver=null-co'
    hmp 'drive_add -n 0 driver=null-co,node-name=n1'
    hmp 'drive_add -n 0 driver=bogus,node-name=n2'
    hmp 'drive_add -n 0 driver=null-co,node-name=n4,read-only=on'
    hmp 'drive_add -n 0 node-name=x,if=ide'
    hmp 'drive_add -n 0'
    hmp 'drive_add -n'
    hmp 'drive_add -n 0 driver=raw,node-name=n5,file.driver=null-co'
    echo '{"execute":"query-named-block-nodes"}'
    echo '{"execute":"blockdev-del","arguments":{"node-name":"n1"}}'
    echo '{"execute":"query-named-block-nodes"}'
} >"$TMP/session"
qmp_same "drive_add -n" -M pseries -nodefaults <"$TMP/session"

tap_done

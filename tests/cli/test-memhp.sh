# Memory hot-plug over QMP and HMP against QEMU 7.2: device_add pc-dimm (slots,
# addresses, every refusal), query-memory-devices, query-memory-size-summary,
# info memory-devices / memory_size_summary, device_del before the guest runs, -m
# slots= errors.  The Linux side is the functional family memhp.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

# session BINARY ARGS... < LINES: each line a QMP command, or "hmp: CMD"; prints the
# replies and events (timestamps dropped) in order.
session() {
    local q=$1
    shift
    local extra=
    [ "$q" = "$ORACLE" ] && extra="-vga none"
    python3 - "$q" $extra -display none -M pseries -S -nodefaults "$@" <<'PY'
import json, subprocess, sys
cmds = ['{"execute":"qmp_capabilities"}']
for line in open('/dev/fd/3'):
    line = line.strip()
    if line.startswith('hmp: '):
        line = json.dumps({'execute': 'human-monitor-command',
                           'arguments': {'command-line': line[5:]}})
    if line:
        cmds.append(line)
cmds.append('{"execute":"quit"}')
p = subprocess.run(sys.argv[1:] + ['-qmp', 'stdio'], input='\n'.join(cmds) + '\n',
                   capture_output=True, text=True, timeout=30)
out = []
for ln in p.stdout.splitlines()[1:]:
    o = json.loads(ln)
    o.pop('timestamp', None)
    if o.get('event') != 'SHUTDOWN':
        out.append(json.dumps(o, sort_keys=True))
# the last reply is quit's
print('\n'.join(out[:-1]))
PY
}

# same NAME ARGS... < LINES: ours answers as QEMU 7.2.
same() {
    local name=$1
    shift
    cat >"$TMP/cmds"
    local ours theirs
    ours=$(session "$QEMU" "$@" 3<"$TMP/cmds" 2>&1)
    theirs=$(session "$ORACLE" "$@" 3<"$TMP/cmds" 2>&1)
    if [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
        ok "as QEMU 7.2: $name"
    else
        not_ok "as QEMU 7.2: $name" "$(diff <(echo "$ours") <(echo "$theirs"))"
    fi
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
fi

same "plug, list, refusals, unplug before the guest runs" -m 1G,slots=4,maxmem=4G <<'EOF2'
{"execute":"query-memory-devices"}
{"execute":"query-memory-size-summary"}
hmp: info memory-devices
hmp: info memory_size_summary
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem1","size":1073741824}}
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem2","size":134217728}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm1","memdev":"mem1"}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm2","memdev":"mem1"}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm3","memdev":"mem2"}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm4"}}
{"execute":"query-memory-devices"}
{"execute":"query-memory-size-summary"}
hmp: info memory-devices
hmp: info memory_size_summary
{"execute":"object-del","arguments":{"id":"mem1"}}
{"execute":"device_del","arguments":{"id":"dimm1"}}
{"execute":"query-memory-devices"}
{"execute":"query-memory-size-summary"}
{"execute":"object-del","arguments":{"id":"mem1"}}
EOF2

same "slots, node, addresses, first fit, full" -m 1G,slots=3,maxmem=3G <<'EOF2'
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem1","size":1073741824}}
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem2","size":536870912}}
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem3","size":536870912}}
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem4","size":268435456}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","node":3}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","slot":5}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","addr":1}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","addr":4096}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","addr":536870912}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d0","memdev":"mem4","addr":1342177280}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d1","memdev":"mem2","slot":1}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d2","memdev":"mem3","slot":1}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d2","memdev":"mem3"}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d3","memdev":"mem1"}}
{"execute":"query-memory-devices"}
hmp: info memory-devices
hmp: device_add pc-dimm,id=d9,memdev=mem1
{"execute":"device_del","arguments":{"id":"d1"}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"d3","memdev":"mem1"}}
{"execute":"query-memory-devices"}
EOF2

same "no slots given" -m 1G,maxmem=2G <<'EOF2'
{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem1","size":268435456}}
{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm1","memdev":"mem1"}}
EOF2

same "cold-plugged -device pc-dimm" -m 1G,slots=2,maxmem=2G \
    -object memory-backend-ram,id=m1,size=512M -device pc-dimm,id=cold,memdev=m1,node=0 <<'EOF2'
{"execute":"query-memory-devices"}
{"execute":"query-memory-size-summary"}
hmp: info memory-devices
EOF2

# info mtree's RAM regions (the rest of the map is not ours to check here): the
# machine's, its backend, the NUMA nodes' backends, the device memory and its modules.
mtree_ram() {
    local q=$1
    shift
    local extra=
    [ "$q" = "$ORACLE" ] && extra="-vga none"
    printf '%s\n' '{"execute":"qmp_capabilities"}' \
        '{"execute":"human-monitor-command","arguments":{"command-line":"info mtree"}}' \
        '{"execute":"quit"}' |
        timeout 20 "$q" $extra -display none -M pseries -S -nodefaults -qmp stdio "$@" 2>/dev/null |
        sed -n 3p | python3 -c 'import json,sys; print(json.load(sys.stdin)["return"], end="")' |
        tr -d '\r' | sed -n '/^address-space: memory/,/^$/p' |
        grep -E 'address-space|: system$|ram\)|ppc_spapr.ram|device-memory'
}
for a in "-m 1G,slots=2,maxmem=2G -object memory-backend-ram,id=m1,size=512M -device pc-dimm,id=d1,memdev=m1" \
    "-m 1G -object memory-backend-ram,id=m0,size=1G -M pseries,memory-backend=m0" \
    "-m 1G -object memory-backend-ram,id=a,size=512M -object memory-backend-ram,id=b,size=512M -numa node,memdev=a -numa node,memdev=b" \
    "-m 2G,slots=1,maxmem=3G"; do
    ours=$(mtree_ram "$QEMU" $a)
    theirs=$(mtree_ram "$ORACLE" $a)
    [ -n "$theirs" ] && [ "$ours" = "$theirs" ] && ok "info mtree RAM regions as QEMU 7.2: $a" ||
        not_ok "info mtree RAM regions as QEMU 7.2: $a" "ours:" "$ours" "QEMU:" "$theirs"
done

# -m slots= errors
for m in 1G,slots=2 1G,slots=2,maxmem=1G 1G,slots=33,maxmem=2G; do
    ours=$(timeout 10 "$QEMU" -display none -M pseries -S -nodefaults -m $m 2>&1 </dev/null)
    rc=$?
    theirs=$(timeout 10 "$ORACLE" -vga none -display none -M pseries -S -nodefaults -m $m 2>&1 \
        </dev/null)
    [ "$rc" = 1 ] && [ -n "$theirs" ] && [ "$ours" = "$theirs" ] && ok "-m $m: $ours" ||
        not_ok "-m $m as QEMU 7.2" "ours ($rc): $ours" "QEMU: $theirs"
done

tap_done

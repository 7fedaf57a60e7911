# --preconfig against QEMU 7.2 (system/preconfig.c): qmp-preconfig.py's
# exchange diffed (commands refused before the build, set-numa-node and its
# errors, query-hotpluggable-cpus before the build, x-exit-preconfig, quit
# while waiting), then key replies on ours.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 60 python3 "$SRCDIR/tests/cli/qmp-preconfig.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 60 python3 "$SRCDIR/tests/cli/qmp-preconfig.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 50 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "--preconfig answers as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
    else
        not_ok "--preconfig answers as QEMU 7.2" "$(head -60 "$TMP/diff")"
    fi
fi

has() {
    if grep -qF -- "$1" "$TMP/ours"; then
        ok "$2"
    else
        not_ok "$2" "wanted: $1"
    fi
}
has '{"execute": "stop"} -> {"error": {"class": "GenericError", "desc": "The command '"'"'stop'"'"' is permitted only after machine initialization has completed"}}' \
    "stop is refused before the build"
has '{"execute": "query-status"} -> {"return": {"status": "prelaunch", "singlestep": false, "running": false}}' \
    "query-status runs before the build"
has '"nodeid": 1}} -> {"error": {"class": "GenericError", "desc": "Duplicate NUMA nodeid: 1"}}' \
    "set-numa-node refuses a duplicate node"
has '{"execute": "x-exit-preconfig"} -> {"return": {}}' "x-exit-preconfig builds the machine"
has '"props": {"core-id": 1, "node-id": 1}' "set-numa-node placed CPU 1 on node 1"
has '{"execute": "x-exit-preconfig"} -> {"error": {"class": "GenericError", "desc": "The command is permitted only before machine initialization"}}' \
    "x-exit-preconfig once built"
has 'exit status 0' "quit while waiting ends the process"
has '{"execute": "query-hotpluggable-cpus"} -> {"return": [{"props": {"core-id": 1}, "vcpus-count": 1, "type": "power9_v2.0-spapr-cpu-core"}, {"props": {"core-id": 0}, "vcpus-count": 1, "type": "power9_v2.0-spapr-cpu-core"}]}' \
    "query-hotpluggable-cpus lists the slots before the build"
has '{"props": {"core-id": 3, "node-id": 1}, "vcpus-count": 1, "type": "power9_v2.0-spapr-cpu-core"}, {"props": {"core-id": 2}' \
    "a slot has a node-id before the build only where -numa put one"
has '{"props": {"core-id": 6}, "vcpus-count": 2, "type": "power8_v2.0-spapr-cpu-core"}' \
    "the slots follow -smp threads and -cpu"
has 'Invalid node-id=1, NUMA node must be defined with -numa node,nodeid=ID before' \
    "set-numa-node cpu refuses an undeclared node"

# set-numa-node with mem=: QEMU 7.2 warns during the command (before its reply,
# not again at the build), or refuses it where the machine type takes no mem=.
# stdout and stderr merged, the greeting (its package differs) dropped.
numa_mem_transcript() {
    printf '%s\n' '{"execute":"qmp_capabilities"}' \
        '{"execute":"set-numa-node","arguments":{"type":"node","nodeid":0,"mem":536870912}}' \
        '{"execute":"set-numa-node","arguments":{"type":"node","nodeid":1,"mem":536870912}}' \
        '{"execute":"x-exit-preconfig"}' '{"execute":"quit"}' |
        timeout 60 "$1" -M "$2",accel=tcg -m 1G --preconfig -nodefaults -S -display none \
            -qmp stdio 2>&1 | tail -n +2 | sed 's/"timestamp": {[^}]*}/TS/'
}
if [ -x "$ORACLE" ]; then
    for m in pseries-5.0 pseries; do
        numa_mem_transcript "$QEMU" $m >"$TMP/ours"
        numa_mem_transcript "$ORACLE" $m >"$TMP/oracle"
        if grep -q "node,mem" "$TMP/oracle" && cmp -s "$TMP/ours" "$TMP/oracle"; then
            ok "-M $m: set-numa-node mem= warns or fails as QEMU 7.2"
        else
            not_ok "-M $m: set-numa-node mem= warns or fails as QEMU 7.2" \
                "$(diff "$TMP/oracle" "$TMP/ours")"
        fi
    done
fi

tap_done

# CPU core hot-plug's QMP and HMP side against QEMU 7.2: device_add and device_del of
# <model>-spapr-cpu-core (its errors for a taken, misaligned or out-of-range core-id, a
# wrong type or thread count, a negative id, the boot core), the DEVICE_DELETED events
# of a core the guest never took, query-hotpluggable-cpus and query-cpus-fast before and
# after, "info hotpluggable-cpus" and "info cpus", and -device cores at start-up (their
# errors and their /cpus nodes), device_del of the boot cores by their QOM path.  SMT cores are ours only: QEMU 7.2's TCG refuses threads.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
CORE=power9_v2.0-spapr-cpu-core

# session BINARY ARGS...: the QMP commands on stdin, one JSON object a line, sent in
# order (-S, -qmp stdio); prints each reply and event on a line of its own, with time
# stamps and host thread ids masked.
session() {
    python3 - "$@" 3<&0 <<'PY'
import json, os, re, subprocess, sys
cmds = [l for l in os.fdopen(3).read().splitlines() if l.strip()]
text = "".join(c + "\n" for c in ['{"execute": "qmp_capabilities"}'] + cmds +
               ['{"execute": "quit"}'])
try:
    p = subprocess.run(sys.argv[1:] + ["-S", "-display", "none", "-qmp", "stdio"], input=text,
                       capture_output=True, text=True, timeout=120)
except subprocess.TimeoutExpired:
    sys.exit("no answer within 120 s")
for line in p.stdout.splitlines()[2:]:
    try:
        msg = json.loads(line)
    except ValueError:
        print("not JSON: " + line)
        continue
    if msg.get("event") == "SHUTDOWN":
        continue
    msg.pop("timestamp", None)
    out = json.dumps(msg, sort_keys=True)
    print(re.sub(r'("thread-id": |thread_id=)[0-9]+', r'\1N', out))
PY
}

# same NAME ARGS...: the session (commands on stdin) gives the same lines on ours and the
# oracle; one TAP line per command's reply or event.
same() {
    local name=$1
    shift
    cat >"$TMP/cmds"
    session "$QEMU" "$@" <"$TMP/cmds" >"$TMP/ours"
    session "$ORACLE" -vga none "$@" <"$TMP/cmds" >"$TMP/theirs" 2>"$TMP/theirs-err"
    if [ ! -s "$TMP/theirs" ]; then
        not_ok "$name: the oracle ran" "$(cat "$TMP/theirs-err")"
        return
    fi
    same_lines "$name"
}

add() {
    printf '{"execute": "device_add", "arguments": {"driver": "%s"%s}}\n' "$1" "$2"
}

# Hot-plug into the slots of -smp 1,maxcpus=4: refusals, a core added, its threads
# listed, device_del of a core the guest never took (gone at once, with its thread's
# presenters and the thread), of the boot core (refused), of a cold-plugged one.
same hotplug -M pseries -nodefaults -smp 1,maxcpus=4 <<CMDS
{"execute": "query-hotpluggable-cpus"}
$(add $CORE ', "id": "c0", "core-id": 0')
$(add $CORE ', "id": "c4", "core-id": 4')
$(add $CORE ', "id": "c5", "core-id": -1')
$(add $CORE ', "id": "c6"')
$(add power8_v2.0-spapr-cpu-core ', "id": "c7", "core-id": 1')
$(add $CORE ', "id": "c8", "core-id": 1, "nr-threads": 2')
$(add $CORE ', "id": "c8", "core-id": 1, "nr-threads": 0')
$(add $CORE ', "id": "c9", "core-id": "x"')
$(add $CORE ', "id": "c10", "core-id": 2, "node-id": 3')
$(add $CORE ', "id": "c11", "core-id": 2, "foo": 1')
$(add spapr-cpu-core ', "id": "c12", "core-id": 2')
$(add $CORE ', "id": "c1", "core-id": 1')
$(add $CORE ', "id": "c1", "core-id": 2')
$(add $CORE ', "id": "c1b", "core-id": 1')
$(add $CORE ', "core-id": 3')
{"execute": "query-hotpluggable-cpus"}
{"execute": "query-cpus-fast"}
{"execute": "human-monitor-command", "arguments": {"command-line": "info hotpluggable-cpus"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info cpus"}}
{"execute": "device_del", "arguments": {"id": "c1"}}
{"execute": "device_del", "arguments": {"id": "/machine/peripheral-anon/device[0]"}}
{"execute": "query-hotpluggable-cpus"}
{"execute": "query-cpus-fast"}
$(add $CORE ', "id": "c1", "core-id": 1')
{"execute": "query-cpus-fast"}
CMDS

# Boot cores are devices at /machine/unattached/device[N]: device_del of the first is
# refused, of the second asked (again), and a reset releases it with its presenters and
# thread (no id in the events; the reset's events before system_reset's answer, as QEMU
# 7.2); its slot is empty then and takes a new core.  Machine types without CPU hot-plug
# refuse both.
same bootcore -M pseries -nodefaults -smp 2,maxcpus=4 <<CMDS
{"execute": "query-hotpluggable-cpus"}
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[1]"}}
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[2]"}}
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[2]"}}
{"execute": "query-cpus-fast"}
{"execute": "system_reset"}
{"execute": "query-hotpluggable-cpus"}
{"execute": "query-cpus-fast"}
$(add $CORE ', "id": "c1", "core-id": 1')
{"execute": "query-cpus-fast"}
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[2]"}}
CMDS
same bootcore-old -M pseries-2.6 -nodefaults -smp 2 <<CMDS
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[0]"}}
{"execute": "device_del", "arguments": {"id": "/machine/unattached/device[1]"}}
CMDS

# ic-mode=xics: no XIVE thread context to delete.  (QEMU 7.2 aborts at random here,
# "free(): corrupted unsorted chunks", a third of its runs: its lines, from runs that
# lived, are written out.)
session "$QEMU" -M pseries,ic-mode=xics -nodefaults -smp 2,maxcpus=3 >"$TMP/xics" <<CMDS
$(add $CORE ', "id": "c2", "core-id": 2')
{"execute": "device_del", "arguments": {"id": "c2"}}
CMDS
cat >"$TMP/xics-want" <<'WANT'
{"return": {}}
{"data": {"path": "/machine/peripheral/c2/thread[0]/icp"}, "event": "DEVICE_DELETED"}
{"data": {"path": "/machine/peripheral/c2/thread[0]"}, "event": "DEVICE_DELETED"}
{"data": {"device": "c2", "path": "/machine/peripheral/c2"}, "event": "DEVICE_DELETED"}
{"return": {}}
{"return": {}}
WANT
if cmp -s "$TMP/xics" "$TMP/xics-want"; then
    ok "ic-mode=xics: device_del of a core never taken: its presenter, thread, core deleted"
else
    not_ok "ic-mode=xics: device_del of a core never taken" "$(diff "$TMP/xics" "$TMP/xics-want")"
fi

# POWER8: its own core type.
same power8 -M pseries -cpu POWER8 -nodefaults -smp 1,maxcpus=2 <<CMDS
$(add $CORE ', "id": "c1", "core-id": 1')
$(add power8_v2.0-spapr-cpu-core ', "id": "c1", "core-id": 1')
{"execute": "query-hotpluggable-cpus"}
CMDS

# Cores on the command line: present from the start, in the device tree and the queries.
same coldplug -M pseries -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=2,id=c2 \
    -device $CORE,core-id=3 <<CMDS
{"execute": "query-hotpluggable-cpus"}
{"execute": "query-cpus-fast"}
{"execute": "device_del", "arguments": {"id": "c2"}}
{"execute": "query-cpus-fast"}
CMDS

# same_stderr ARGS...: ours and the oracle refuse the command line with the same words.
same_stderr() {
    local want
    want=$(timeout 10 "$ORACLE" -vga none -display none -S "$@" </dev/null 2>&1 >/dev/null |
        grep -v "warning: TCG doesn't support")
    run -display none -S "$@"
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "$*: $want"
    else
        not_ok "$*: as the oracle" "ours: exit $RC, $ERR" "oracle: $want"
    fi
}

same_stderr -M pseries -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=0
same_stderr -M pseries -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=4
same_stderr -M pseries -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=2 -device $CORE,core-id=2
same_stderr -M pseries -nodefaults -smp 1,maxcpus=4 -device power8_v2.0-spapr-cpu-core,core-id=2
same_stderr -M pseries -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=2,nr-threads=2

# The cold-plugged core's /cpus node, as QEMU 7.2 writes it (its DRC index, its servers).
for q in ours oracle; do
    if [ $q = ours ]; then
        run -M pseries,dumpdtb="$TMP/$q.dtb" -nodefaults -smp 1,maxcpus=4 -device $CORE,core-id=2
    else
        timeout 10 "$ORACLE" -vga none -M pseries,dumpdtb="$TMP/$q.dtb" -nodefaults -smp 1,maxcpus=4 \
            -device $CORE,core-id=2 >/dev/null 2>&1
    fi
done
for prop in reg ibm,my-drc-index ibm,ppc-interrupt-server#s ibm,ppc-interrupt-gserver#s; do
    got=$(fdtget -t x "$TMP/ours.dtb" /cpus/PowerPC,POWER9@2 "$prop" 2>&1)
    want=$(fdtget -t x "$TMP/oracle.dtb" /cpus/PowerPC,POWER9@2 "$prop" 2>&1)
    if [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "-device core-id=2: /cpus/PowerPC,POWER9@2 $prop = $want"
    else
        not_ok "-device core-id=2: /cpus/PowerPC,POWER9@2 $prop" "ours: $got" "oracle: $want"
    fi
done
got=$(fdtget -l "$TMP/ours.dtb" /cpus | sort | tr '\n' ' ')
want=$(fdtget -l "$TMP/oracle.dtb" /cpus | sort | tr '\n' ' ')
if [ "$got" = "$want" ]; then
    ok "-device core-id=2: /cpus nodes $want"
else
    not_ok "-device core-id=2: /cpus nodes" "ours: $got" "oracle: $want"
fi

# SMT cores (ours only, QEMU 7.2's texts from its KVM path): a core-id inside a core, a
# thread count other than the machine's, the slot past maxcpus; a two-thread core added
# lists both threads and goes with both.
session "$QEMU" -M pseries -nodefaults -smp 2,threads=2,maxcpus=6 >"$TMP/smt" <<CMDS
$(add $CORE ', "id": "c3", "core-id": 3')
$(add $CORE ', "id": "c3", "core-id": 2, "nr-threads": 1')
$(add $CORE ', "id": "c3", "core-id": 6')
$(add $CORE ', "id": "c4", "core-id": 4')
{"execute": "query-cpus-fast"}
{"execute": "device_del", "arguments": {"id": "c4"}}
{"execute": "query-cpus-fast"}
CMDS
expect_line() {
    local n=$1 want=$2 got
    got=$(sed -n "${n}p" "$TMP/smt")
    if [ "$got" = "$want" ]; then
        ok "threads=2 $n: ${want:0:150}"
    else
        not_ok "threads=2 $n" "got:    $got" "wanted: $want"
    fi
}
err() {
    printf '{"error": {"class": "GenericError", "desc": "%s"}}' "$1"
}
expect_line 1 "$(err 'invalid core id 3')"
expect_line 2 "$(err 'invalid nr-threads 1, must be 2')"
expect_line 3 "$(err 'core id 6 out of range')"
expect_line 4 '{"return": {}}'
cpu() {
    printf '{"cpu-index": %d, "props": {"core-id": %d, "node-id": 0}, "qom-path": "%s", "target": "ppc64", "thread-id": N}' "$@"
}
expect_line 5 "{\"return\": [$(cpu 0 0 '/machine/unattached/device[1]/thread[0]'), $(cpu 1 0 '/machine/unattached/device[1]/thread[1]'), $(cpu 4 4 '/machine/peripheral/c4/thread[0]'), $(cpu 5 4 '/machine/peripheral/c4/thread[1]')]}"
n=6
for t in 0 1; do
    for what in "/thread[$t]/icp" "/thread[$t]/xive-tctx" "/thread[$t]"; do
        expect_line $n "{\"data\": {\"path\": \"/machine/peripheral/c4$what\"}, \"event\": \"DEVICE_DELETED\"}"
        n=$((n + 1))
    done
done
expect_line $n '{"data": {"device": "c4", "path": "/machine/peripheral/c4"}, "event": "DEVICE_DELETED"}'
expect_line $((n + 1)) '{"return": {}}'
expect_line $((n + 2)) "{\"return\": [$(cpu 0 0 '/machine/unattached/device[1]/thread[0]'), $(cpu 1 0 '/machine/unattached/device[1]/thread[1]')]}"

echo "1..$tap_n"
[ "$tap_failed" = 0 ]

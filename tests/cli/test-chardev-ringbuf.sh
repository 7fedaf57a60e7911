# The ringbuf and memory chardevs (chardev/char-ringbuf.c): -chardev, QMP and
# HMP chardev-add, ringbuf-write/ringbuf-read (QMP, HMP), query-chardev and
# query-chardev-backends, diffed against QEMU 7.2; a bare-metal guest's
# console on a ring, read back after the guest powered off.
. "$(dirname "$0")/lib.sh"

need_oracle

QMP_SAME_FILTER=chardev_norm

qmp_same ringbuf -M pseries -nodefaults -chardev null,id=ser0 <<'EOF2'
{"execute": "chardev-add", "arguments": {"id": "r1", "backend": {"type": "ringbuf", "data": {"size": 16}}}}
{"execute": "chardev-add", "arguments": {"id": "r2", "backend": {"type": "ringbuf", "data": {"size": 15}}}}
{"execute": "chardev-add", "arguments": {"id": "r2", "backend": {"type": "ringbuf", "data": {"size": -4}}}}
{"execute": "chardev-add", "arguments": {"id": "r3", "backend": {"type": "memory", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "r3", "backend": {"type": "ringbuf", "data": {}}}}
{"execute": "ringbuf-write", "arguments": {"device": "r1", "data": "hello world, this is long"}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": 100}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": 100}}
{"execute": "ringbuf-write", "arguments": {"device": "r1", "data": "aGVsbG8=", "format": "base64"}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": 3, "format": "base64"}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": 3, "format": "utf8"}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": -1}}
{"execute": "ringbuf-read", "arguments": {"device": "r1", "size": 0}}
{"execute": "ringbuf-read", "arguments": {"device": "nope", "size": 1}}
{"execute": "ringbuf-read", "arguments": {"device": "ser0", "size": 1}}
{"execute": "ringbuf-write", "arguments": {"device": "ser0", "data": "x"}}
{"execute": "ringbuf-write", "arguments": {"device": "nope", "data": "!!", "format": "base64"}}
{"execute": "ringbuf-write", "arguments": {"device": "r1", "data": "!!!", "format": "base64"}}
{"execute": "ringbuf-write", "arguments": {"device": "r1", "data": "x", "format": "bogus"}}
{"execute": "ringbuf-write", "arguments": {"device": "r1"}}
{"execute": "ringbuf-write", "arguments": {"data": "x"}}
{"execute": "ringbuf-read", "arguments": {"device": "r1"}}
{"execute": "ringbuf-write", "arguments": {"device": "r3", "data": "AP8BCgk=", "format": "base64"}}
{"execute": "ringbuf-read", "arguments": {"device": "r3", "size": 100, "format": "base64"}}
{"execute": "ringbuf-write", "arguments": {"device": "r3", "data": "YWL/Y2QBXAp4", "format": "base64"}}
{"execute": "ringbuf-read", "arguments": {"device": "r3", "size": 100}}
{"execute": "ringbuf-write", "arguments": {"device": "r3", "data": "YWL/Y2QBXAp4CX8AeQ==", "format": "base64"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r3 100"}}
{"execute": "query-chardev"}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write r1 abc"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write r1 \"d e\\\\f\""}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1 10"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1 x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1 0"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1 -1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read r1 4 5"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read nope 10"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_read ser0 10"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write r1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write r1 a b c"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "ringbuf_write nope x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h1,size=3"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h1,size=1k"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h1,size=1k"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h2,size=x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add memory,id=h3,size=8"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h4,path=x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add ringbuf,id=h5,bogus=x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help ringbuf_read"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help ringbuf_write"}}
EOF2
if [ "$(wc -l <"$TMP/theirs")" -lt 50 ]; then
    not_ok "the oracle gave at least 50 replies" "$(cat "$TMP/theirs")"
fi

# query-chardev-backends: QEMU 7.2 has backends we do not (msmouse, vc...);
# each of ours is one of its, and the rings are there.
backends() {
    echo '{"execute": "query-chardev-backends"}' | qmp_session "$1" -M pseries -nodefaults \
        "${@:2}" 2>/dev/null |
        python3 -c 'import json, sys; print(" ".join(sorted(b["name"] for b in json.loads(sys.stdin.readline())["return"])))'
}
ours=$(backends "$QEMU")
theirs=$(backends "$ORACLE" -vga none)
for b in ringbuf memory; do
    if [[ " $ours " == *" $b "* ]] && [[ " $theirs " == *" $b "* ]]; then
        ok "query-chardev-backends lists $b"
    else
        not_ok "query-chardev-backends lists $b" "ours: $ours" "QEMU 7.2: $theirs"
    fi
done
for b in $ours; do
    if [[ " $theirs " != *" $b "* ]]; then
        not_ok "backend $b is one of QEMU 7.2's" "QEMU 7.2: $theirs"
    fi
done

# -chardev: the same one-line errors (the size hint on two more lines).
for spec in ringbuf,id=a,size=3 ringbuf,id=a,size=x ringbuf,id=a,bogus=1 memory,id=a,size=12; do
    timeout 10 "$QEMU" -M pseries -display none -S -nodefaults -chardev "$spec" \
        </dev/null >/dev/null 2>"$TMP/ours"
    echo "exit $?" >>"$TMP/ours"
    timeout 10 "$ORACLE" -M pseries -vga none -display none -S -nodefaults -chardev "$spec" \
        </dev/null 2>&1 >/dev/null | grep -v 'TCG doesn' >"$TMP/theirs"
    echo "exit ${PIPESTATUS[0]}" >>"$TMP/theirs"
    same_lines "-chardev $spec"
done

# A guest's console on a ring: what it printed, read back once it powered
# off; a 16-byte ring keeps the last 16 bytes.
for backend in ringbuf memory,size=16; do
    timeout 60 python3 "$(dirname "$0")/qmp-ringbuf-guest.py" "$QEMU" \
        "$BUILDDIR/tests/guest/hello-be.bin" "$backend" >"$TMP/ours" 2>"$TMP/ours-err"
    timeout 60 python3 "$(dirname "$0")/qmp-ringbuf-guest.py" "$ORACLE" \
        "$BUILDDIR/tests/guest/hello-be.bin" "$backend" -accel tcg -vga none >"$TMP/theirs"
    same_lines "guest console on $backend"
done
if grep -q 'hello-be: 10 checks, 0 failed' "$TMP/theirs" 2>/dev/null ||
   grep -q 'hecks, 0 failed' "$TMP/theirs"; then
    ok "the oracle's guest ran to its summary"
else
    not_ok "the oracle's guest ran to its summary" "$(cat "$TMP/theirs")"
fi

tap_done

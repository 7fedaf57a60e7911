# The pipe, udp and serial (tty) chardevs and the file backend's in=
# (chardev/char-fd.c, char-udp.c, char-file.c): -chardev, QMP and HMP
# chardev-add, query-chardev, diffed against QEMU 7.2; bytes carried both
# ways by an HMP monitor on a udp socket, a FIFO pair and a pty slave, and
# by the gdb stub on a file chardev with in=.
. "$(dirname "$0")/lib.sh"

need_oracle

QMP_SAME_FILTER=chardev_norm

D=$TMP/d
mkdir -p "$D"
mkfifo "$D/p1.in" "$D/p1.out"
: >"$D/plain"
echo hi >"$D/infile"
port=$((20000 + $$ % 20000))
remote() { # HOST PORT
    echo "{\"type\": \"inet\", \"data\": {\"host\": \"$1\", \"port\": \"$2\"}}"
}
qmp_same backends -M pseries -nodefaults -chardev null,id=ser0 <<EOF2
{"execute": "chardev-add", "arguments": {"id": "p0", "backend": {"type": "pipe", "data": {"device": "$D/nonexist/x"}}}}
{"execute": "chardev-add", "arguments": {"id": "p1", "backend": {"type": "pipe", "data": {"device": "$D/p1"}}}}
{"execute": "chardev-add", "arguments": {"id": "p2", "backend": {"type": "pipe", "data": {"device": "$D/plain"}}}}
{"execute": "chardev-add", "arguments": {"id": "p3", "backend": {"type": "pipe", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "u1", "backend": {"type": "udp", "data": {"remote": $(remote 127.0.0.1 $port)}}}}
{"execute": "chardev-add", "arguments": {"id": "u2", "backend": {"type": "udp", "data": {"remote": $(remote 127.0.0.1 $port), "local": $(remote 127.0.0.1 $((port + 1)))}}}}
{"execute": "chardev-add", "arguments": {"id": "u3", "backend": {"type": "udp", "data": {"remote": $(remote 127.0.0.1 $port), "local": $(remote 127.0.0.1 $((port + 1)))}}}}
{"execute": "chardev-add", "arguments": {"id": "u4", "backend": {"type": "udp", "data": {"remote": {"type": "unix", "data": {"path": "$D/x"}}}}}}
{"execute": "chardev-add", "arguments": {"id": "u5", "backend": {"type": "udp", "data": {"remote": $(remote no.such.host.invalid $port)}}}}
{"execute": "chardev-add", "arguments": {"id": "u6", "backend": {"type": "udp", "data": {"remote": $(remote 127.0.0.1 $port), "local": {"type": "unix", "data": {"path": "$D/x"}}}}}}
{"execute": "chardev-add", "arguments": {"id": "u7", "backend": {"type": "udp", "data": {"remote": $(remote 127.0.0.1 $port), "local": $(remote 192.0.2.1 $port)}}}}
{"execute": "chardev-add", "arguments": {"id": "u8", "backend": {"type": "udp", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "s1", "backend": {"type": "serial", "data": {"device": "$D/nonexist"}}}}
{"execute": "chardev-add", "arguments": {"id": "s2", "backend": {"type": "serial", "data": {"device": "$D/plain"}}}}
{"execute": "chardev-add", "arguments": {"id": "s3", "backend": {"type": "serial", "data": {"device": "/dev/null"}}}}
{"execute": "chardev-add", "arguments": {"id": "s4", "backend": {"type": "tty", "data": {"device": "/dev/null"}}}}
{"execute": "chardev-add", "arguments": {"id": "f1", "backend": {"type": "file", "data": {"in": "$D/infile", "out": "$D/fout"}}}}
{"execute": "chardev-add", "arguments": {"id": "f2", "backend": {"type": "file", "data": {"in": "$D/nonexist", "out": "$D/fout2"}}}}
{"execute": "chardev-add", "arguments": {"id": "f3", "backend": {"type": "file", "data": {"in": "$D/infile"}}}}
{"execute": "query-chardev"}
{"execute": "chardev-remove", "arguments": {"id": "u2"}}
{"execute": "chardev-remove", "arguments": {"id": "f1"}}
{"execute": "chardev-remove", "arguments": {"id": "p1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add pipe,id=h1,path=$D/plain"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add pipe,id=h2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add udp,id=h3,port=$((port + 2))"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add udp,id=h4"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add udp,id=h5,host=127.0.0.1,port=$port,localaddr=127.0.0.1,localport=$((port + 3))"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add udp,id=h6,port=$port,localport=$((port + 4))"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add udp,id=h6,port=x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add serial,id=h7,path=/dev/null"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add tty,id=h8,path=$D/plain"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add serial,id=h9"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add file,id=h10,path=$D/fo3,in=$D/infile"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
EOF2
if [ "$(wc -l <"$TMP/theirs")" -lt 30 ]; then
    not_ok "the oracle gave at least 30 replies" "$(cat "$TMP/theirs")"
fi

# query-chardev-backends names them (not the tty alias), as QEMU 7.2.
backends() {
    echo '{"execute": "query-chardev-backends"}' | qmp_session "$1" -M pseries -nodefaults \
        "${@:2}" 2>/dev/null |
        python3 -c 'import json, sys; print(" ".join(sorted(b["name"] for b in json.loads(sys.stdin.readline())["return"])))'
}
ours=$(backends "$QEMU")
theirs=$(backends "$ORACLE" -vga none)
for b in pipe udp serial; do
    if [[ " $ours " == *" $b "* ]] && [[ " $theirs " == *" $b "* ]]; then
        ok "query-chardev-backends lists $b"
    else
        not_ok "query-chardev-backends lists $b" "ours: $ours" "QEMU 7.2: $theirs"
    fi
done
if [[ " $ours " != *" tty "* ]]; then
    ok "query-chardev-backends: no tty"
else
    not_ok "query-chardev-backends: no tty" "ours: $ours"
fi

# -chardev: the same errors and warnings (an accepted one runs into the timeout).
for spec in pipe,id=a pipe,id=a,path=$D/nonexist/x udp,id=a "udp,id=a,port=$port,host=no.such.invalid" \
        udp,id=a,port=x "udp,id=a,port=$port,localport=y" "udp,id=a,port=$port,localaddr=192.0.2.1" \
        serial,id=a tty,id=a,path=/dev/null serial,id=a,path=$D/nonexist \
        "file,id=a,path=$D/o,in=$D/infile" "pipe,id=a,path=$D/p1"; do
    timeout 2 "$QEMU" -M pseries -display none -S -nodefaults -chardev "$spec" \
        </dev/null >/dev/null 2>"$TMP/ours-err"
    echo "exit $?" >>"$TMP/ours-err"
    # Both sides without the reset's TCG warnings: within 2 s a loaded host
    # may stop either one before its reset (test-tcg-caps.sh checks them).
    grep -v -e 'TCG doesn' -e 'terminating on signal' "$TMP/ours-err" | sed "s|$TMP|TMP|g" \
        >"$TMP/ours"
    timeout 2 "$ORACLE" -M pseries -vga none -display none -S -nodefaults -chardev "$spec" \
        </dev/null 2>&1 >/dev/null | grep -v -e 'TCG doesn' -e 'terminating on signal' |
        sed "s|$TMP|TMP|g" >"$TMP/theirs"
    echo "exit ${PIPESTATUS[0]}" >>"$TMP/theirs"
    same_lines "-chardev $spec"
done

# Bytes both ways: an HMP monitor on each backend, driven from its other end.
for kind in udp pipe serial; do
    timeout 60 python3 "$(dirname "$0")/chardev-flow.py" "$QEMU" "$kind" >"$TMP/ours" \
        2>"$TMP/ours-err"
    timeout 60 python3 "$(dirname "$0")/chardev-flow.py" "$ORACLE" "$kind" -vga none \
        >"$TMP/theirs" 2>&1
    same_lines "monitor on $kind"
    if grep -q "^ok via-$kind came back" "$TMP/ours"; then
        ok "$kind carried a command in and its answer out"
    else
        not_ok "$kind carried a command in and its answer out" "$(cat "$TMP/ours")"
    fi
done

# file in=: the gdb stub on a file chardev reads a packet from in= and
# answers into out= (QMP chardev-add, then HMP gdbserver chardev:ID).
printf '+$?#3f' >"$D/gdbin"
gdb_session() {
    rm -f "$D/gdbout"
    qmp_session "$@" -M pseries -nodefaults >/dev/null 2>&1 <<EOF2
{"execute": "chardev-add", "arguments": {"id": "f1", "backend": {"type": "file", "data": {"in": "$D/gdbin", "out": "$D/gdbout"}}}}
{"execute": "human-monitor-command", "arguments": {"command-line": "gdbserver chardev:f1"}}
EOF2
    cat "$D/gdbout" 2>&1
    echo
}
gdb_session "$QEMU" >"$TMP/ours"
gdb_session "$ORACLE" -vga none >"$TMP/theirs"
same_lines "gdb stub on file in="
if grep -q '^+\$T05' "$TMP/ours"; then
    ok "file in= fed the frontend, out= took its answer"
else
    not_ok "file in= fed the frontend, out= took its answer" "$(cat "$TMP/ours")"
fi

tap_done

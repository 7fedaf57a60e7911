# QMP/HMP chardev-change and chardev-send-break (chardev/char-qmp.c,
# monitor/hmp-char.c) and where a pty's "char device redirected to" line
# goes (-chardev: stdout; HMP chardev-add: that monitor only; QMP: nowhere),
# diffed against QEMU 7.2.
. "$(dirname "$0")/lib.sh"

need_oracle

QMP_SAME_FILTER=chardev_norm

qmp_same change -M pseries -nodefaults -chardev null,id=free -chardev null,id=vty \
    -device spapr-vty,chardev=vty -chardev null,id=mx,mux=on \
    -chardev socket,id=mon,path="$TMP/mon.sock",server=on,wait=off \
    -mon chardev=mon,mode=readline <<EOF2
{"execute": "chardev-change", "arguments": {"id": "nope", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "free", "backend": {"type": "ringbuf", "data": {"size": 16}}}}
{"execute": "query-chardev"}
{"execute": "chardev-change", "arguments": {"id": "free", "backend": {"type": "ringbuf", "data": {"size": 15}}}}
{"execute": "query-chardev"}
{"execute": "chardev-change", "arguments": {"id": "free", "backend": {"type": "pty", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "vty", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "mx", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "mx-base", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "mon", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "compat_monitor0", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "vty"}}
{"execute": "chardev-send-break", "arguments": {"id": "nope"}}
{"execute": "chardev-send-break", "arguments": {"id": "vty"}}
{"execute": "chardev-send-break", "arguments": {"id": "mx"}}
{"execute": "chardev-send-break", "arguments": {"id": "mon"}}
{"execute": "chardev-send-break", "arguments": {}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-send-break vty"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-send-break nope"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-send-break"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-send-break a b"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help chardev-send-break"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help chardev-change"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add null,id=free2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 ringbuf,size=16"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 ringbuf,bogus=1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 ringbuf,size=x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 nosuch"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change vty null"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change mx null"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change nope null"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 file,path=$TMP/changed.out"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-change free2 ringbuf,size=3"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
{"execute": "chardev-add", "arguments": {"id": "free3", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "free3", "backend": {"type": "pty", "data": {}}}}
{"execute": "query-chardev"}
EOF2
if [ "$(wc -l <"$TMP/theirs")" -lt 35 ]; then
    not_ok "the oracle gave at least 35 replies" "$(cat "$TMP/theirs")"
fi

# frontend-open of muxes and their bases: true once a frontend uses the mux.
qmp_same mux-open -M pseries -nodefaults -chardev null,id=s,mux=on -mon chardev=s \
    -device spapr-vty,chardev=s -chardev null,id=m2,mux=on -device spapr-vty,chardev=m2 \
    -chardev null,id=m3,mux=on <<EOF2
{"execute": "query-chardev"}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
EOF2

# -chardev mux,chardev=BASE: a mux on an existing chardev; its errors.
qmp_same mux-backend -M pseries -nodefaults -chardev null,id=b -chardev mux,id=m,chardev=b \
    -mon chardev=m -device spapr-vty,chardev=m -chardev null,id=b2 -chardev mux,id=m2,chardev=b2 <<EOF2
{"execute": "query-chardev"}
{"execute": "chardev-remove", "arguments": {"id": "b"}}
{"execute": "chardev-remove", "arguments": {"id": "b2"}}
{"execute": "chardev-change", "arguments": {"id": "m2", "backend": {"type": "null", "data": {}}}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add mux,id=h1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add mux,id=h1,chardev=nope"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add null,id=hb"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add mux,id=h1,chardev=hb"}}
{"execute": "query-chardev"}
EOF2
for spec in mux,id=m mux,id=m,chardev=nope mux,id=m,chardev=vb; do
    for q in "$QEMU" "$ORACLE"; do
        timeout 2 "$q" -M pseries -vga none -display none -S -nodefaults -chardev null,id=vb \
            -device spapr-vty,chardev=vb -chardev "$spec" </dev/null 2>&1 >/dev/null |
            grep -v -e 'TCG doesn' -e 'terminating on signal'
        echo "exit ${PIPESTATUS[0]}"
    done >"$TMP/both"
    head -2 "$TMP/both" >"$TMP/ours"
    tail -2 "$TMP/both" >"$TMP/theirs"
    same_lines "-chardev $spec"
done
if echo '{"execute": "query-chardev-backends"}' | qmp_session "$QEMU" 2>/dev/null |
   grep -q '"name": "mux"'; then
    ok "query-chardev-backends lists mux"
else
    not_ok "query-chardev-backends lists mux"
fi

# Where the pty line goes: counted on stdout, stderr and in the replies.
pty_lines() {
    printf '%s\n' \
        '{"execute": "chardev-add", "arguments": {"id": "q1", "backend": {"type": "pty", "data": {}}}}' \
        '{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add pty,id=h1"}}' \
        '{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add pty,id=h2,mux=on"}}' |
        python3 -c '
import subprocess, sys
cmds = "{\"execute\": \"qmp_capabilities\"}\n" + sys.stdin.read() + "{\"execute\": \"quit\"}\n"
p = subprocess.run(sys.argv[1:] + ["-M", "pseries", "-nodefaults", "-display", "none", "-S",
                   "-chardev", "pty,id=c1", "-chardev", "pty,id=c2,mux=on", "-qmp", "stdio"],
                   input=cmds, capture_output=True,
                   text=True, timeout=60)
out = [l for l in p.stdout.splitlines() if "redirected" in l]
err = [l for l in p.stderr.splitlines() if "redirected" in l]
# The -chardev line is plain text on stdout; the HMP one inside a reply.
print("stdout plain: %s" % [l.split(" to ")[0] + " (label " + l.split("(label ")[1]
                           for l in out if not l.startswith("{")])
print("replies: %s" % [l.split("(label ")[1] for l in out if l.startswith("{")])
print("stderr: %d" % len(err))
' "$@"
}
pty_lines "$QEMU" >"$TMP/ours" 2>"$TMP/ours-err"
cat "$TMP/ours" | sed "s/^/# ours: /"
pty_lines "$ORACLE" -vga none >"$TMP/theirs" 2>&1
same_lines "pty line"
if grep -q "stdout plain: \['char device redirected (label c1)', 'char device redirected (label c2-base)'\]" "$TMP/ours" &&
   grep -q "stderr: 0" "$TMP/ours"; then
    ok "-chardev pty on stdout; nothing on stderr"
else
    not_ok "-chardev pty on stdout; nothing on stderr" "$(cat "$TMP/ours")"
fi

tap_done

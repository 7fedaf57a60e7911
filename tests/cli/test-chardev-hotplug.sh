# QMP chardev-add of the file and pty backends, chardev-remove, HMP chardev-add
# and chardev-remove (chardev/char-qmp.c, monitor/hmp-net.c), diffed against
# QEMU 7.2.  QEMU lists chardevs in hash order: query-chardev's list and info
# chardev's lines are sorted on both sides; pty numbers are masked.
. "$(dirname "$0")/lib.sh"

need_oracle

D="$TMP/files"
mkdir -p "$D"
cat >"$TMP/cmds" <<EOF2
{"execute": "chardev-add", "arguments": {"id": "f1", "backend": {"type": "file", "data": {"out": "$D/f1.out"}}}}
{"execute": "chardev-add", "arguments": {"id": "f2", "backend": {"type": "file", "data": {"out": "$D/f2.out", "append": true}}}}
{"execute": "chardev-add", "arguments": {"id": "f3", "backend": {"type": "file", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "f3", "backend": {"type": "file", "data": {"out": "/nonexistent/x"}}}}
{"execute": "chardev-add", "arguments": {"id": "f1", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "p1", "backend": {"type": "pty", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "x2", "backend": {"type": "bogus", "data": {}}}}
{"execute": "query-chardev"}
{"execute": "chardev-remove", "arguments": {"id": "f1"}}
{"execute": "chardev-remove", "arguments": {"id": "f1"}}
{"execute": "chardev-remove", "arguments": {"id": "mon0"}}
{"execute": "chardev-remove", "arguments": {"id": "ser0"}}
{"execute": "chardev-remove", "arguments": {"id": "compat_monitor0"}}
{"execute": "chardev-remove", "arguments": {"id": "p1"}}
{"execute": "chardev-remove", "arguments": {}}
{"execute": "query-chardev"}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add file,id=h1,path=$D/h1.out"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add file,id=h1,path=$D/h1.out"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add pty,id=h2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add null,id=h3,bogus=1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add null,id=3h"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add nosuch,id=h4"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-add null"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-remove h1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-remove h1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-remove ser0"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-remove"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "chardev-remove h2 x"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help chardev-add"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "help chardev-remove"}}
EOF2
args=(-M pseries -nodefaults -chardev null,id=ser0 -device spapr-vty,chardev=ser0)
qmp_session "$QEMU" "${args[@]}" <"$TMP/cmds" 2>"$TMP/ours-err" | chardev_norm >"$TMP/ours"
rm -f "$D"/*
qmp_session "$ORACLE" -vga none "${args[@]}" <"$TMP/cmds" 2>/dev/null | chardev_norm >"$TMP/theirs"
same_lines chardev
if [ "$(wc -l <"$TMP/theirs")" -lt 30 ]; then
    not_ok "the oracle gave at least 30 replies" "$(cat "$TMP/theirs")"
fi

# What a file chardev added at run time writes: a frontend-less chardev takes no
# bytes, so the files exist, f1 truncated and f2 appended to.
printf 'old\n' >"$D/f2.out"
printf 'old\n' >"$D/f1.out"
qmp_session "$QEMU" -M pseries -nodefaults <<EOF2 >/dev/null 2>&1
{"execute": "chardev-add", "arguments": {"id": "f1", "backend": {"type": "file", "data": {"out": "$D/f1.out"}}}}
{"execute": "chardev-add", "arguments": {"id": "f2", "backend": {"type": "file", "data": {"out": "$D/f2.out", "append": true}}}}
EOF2
if [ -e "$D/f1.out" ] && [ ! -s "$D/f1.out" ] && [ "$(cat "$D/f2.out")" = old ]; then
    ok "file out= truncates, append=true keeps the file"
else
    not_ok "file out= truncates, append=true keeps the file" "f1: $(cat "$D/f1.out")" "f2: $(cat "$D/f2.out")"
fi

tap_done

# The QMP JSON reader and envelope against QEMU 7.2 (monitor/json-stream.c,
# monitor/qmp.c): qmp-lexer.py's garbage battery, exec-oob and the envelope
# rules, diffed byte for byte; then key replies checked on ours alone.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 100 python3 "$SRCDIR/tests/cli/qmp-lexer.py" "$QEMU" >"$TMP/ours" 2>&1
ncases=$(grep -c ': [0-9]* replies$' "$TMP/ours")
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 100 python3 "$SRCDIR/tests/cli/qmp-lexer.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c ': [0-9]* replies$' "$TMP/oracle")" -ge 140 ] &&
        diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "QMP garbage battery answers as QEMU 7.2 ($ncases cases)"
    else
        not_ok "QMP garbage battery answers as QEMU 7.2" "$(head -80 "$TMP/diff")"
    fi
fi

# expect CASE LINE: the replies to CASE in our transcript include LINE exactly.
expect() {
    if awk -v c="$1: " -v l="    $2" '
        index($0, c) == 1 { on = 1; next }
        on && /^    / { if ($0 == l) found = 1; next }
        { on = 0 }
        END { exit !found }' "$TMP/ours"; then
        ok "$1"
    else
        not_ok "$1" "expected: $2" "$(grep -A4 -F "$1: " "$TMP/ours" | head -8)"
    fi
}

expect 'control byte 0x01' '{"error": {"class": "GenericError", "desc": "JSON parse error, stray '"'"'\u0001'"'"'"}}'
expect 'byte 0xff outside a string' '{"error": {"class": "GenericError", "desc": "JSON parse error, stray '"'"'\uFFFD'"'"'"}}'
expect 'unterminated object then 0xff then command' '{"return": {"enabled": false, "present": false}, "id": "after"}'
expect 'garbage between commands' '{"return": {"enabled": false, "present": false}, "id": 4}'
expect 'deep nesting 1025' '{"error": {"class": "GenericError", "desc": "JSON nesting depth limit exceeded"}}'
expect 'duplicate key' '{"error": {"class": "GenericError", "desc": "JSON parse error, duplicate key"}}'
expect 'invalid UTF-8 in a string' '{"error": {"class": "GenericError", "desc": "JSON parse error, invalid UTF-8 sequence in string"}}'
expect 'two unexpected members' '{"error": {"class": "GenericError", "desc": "QMP input member '"'"'mmm'"'"' is unexpected"}}'
expect 'exec-oob without the capability' '{"id": 1, "error": {"class": "GenericError", "desc": "QMP input member '"'"'exec-oob'"'"' is unexpected"}}'
expect 'exec-oob allowed' '{"return": [{"type": "chardev", "id": "compat_monitor0"}], "id": "oob-1"}'
expect 'exec-oob not allowed' '{"id": "oob-2", "error": {"class": "GenericError", "desc": "The command query-status does not support OOB"}}'
expect 'execute and exec-oob' '{"error": {"class": "GenericError", "desc": "QMP input member '"'"'execute'"'"' clashes with '"'"'exec-oob'"'"'"}}'
expect 'float ids' '{"return": {"status": "prelaunch", "singlestep": false, "running": false}, "id": [0.10000000000000001, 1.0000000000000001e+300, inf, -0, 2.4999999999999999e-08, 100, 100]}'
[ "$(tail -1 "$TMP/ours" | cut -c1-4)" = "    " ] && ok "the session outlived the battery ($ncases cases)" ||
    not_ok "the session outlived the battery" "$(tail -5 "$TMP/ours")"

tap_done

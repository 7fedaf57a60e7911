# RTAS quiesce (what SLOF calls before it hands over to Linux), get-power-level and
# set-power-level: the same qtest script on ours and on QEMU 7.2 must give the same
# replies (statuses, returned cells, and the cells left alone), call by call.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
SCRIPT=$SRCDIR/tests/cli/rtas/power-quiesce.qtest

replies() {
    timeout 20 "$@" -M pseries -m 512M -display none -nodefaults -qtest stdio -S \
        <"$SCRIPT" 2>/dev/null | grep -v '^\['
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit
fi
replies "$ORACLE" -vga none >"$TMP/oracle.out"
replies "$QEMU" >"$TMP/ours.out"
n=$(grep -c . "$SCRIPT")
if [ "$(grep -c '^OK' "$TMP/oracle.out")" = "$n" ]; then
    ok "QEMU 7.2 answers all $n lines"
else
    not_ok "QEMU 7.2 answers all $n lines" "$(cat "$TMP/oracle.out")"
fi
paste -d '|' "$SCRIPT" "$TMP/oracle.out" "$TMP/ours.out" >"$TMP/side"
while IFS='|' read -r line theirs ours; do
    if [ "$theirs" = "$ours" ]; then
        ok "$line: $ours"
    else
        not_ok "$line" "QEMU 7.2: $theirs" "ours:     $ours"
    fi
done <"$TMP/side"
tap_done

# `make run` (scripts/demo.sh), the README's first quick-start command, keeps
# working: console output, the RTAS time of day, power-off with status 0.
. "$(dirname "$0")/lib.sh"

# The guest console goes to stderr, the demo's own messages to stdout.
timeout 30 bash "$SRCDIR/scripts/demo.sh" "$QEMU" >"$TMP/out" 2>"$TMP/console"
rc=$?
out=$(cat "$TMP/console" "$TMP/out")
year=$(date -u +%Y)
check() {
    if printf '%s' "$out" | grep -Eq -- "$1"; then
        ok "$2"
    else
        not_ok "$2" "exit $rc, output: $out"
    fi
}
check 'Hello from the pseries machine!' "console output through H_PUT_TERM_CHAR"
check "RTAS time of day: $year-[0-9]{2}-[0-9]{2} " "time of day from RTAS"
check 'the machine exited with status 0' "RTAS power-off ends the machine with status 0"
if [ "$rc" = 0 ]; then
    ok "the demo exits 0"
else
    not_ok "the demo exits 0" "exit $rc"
fi
tap_done

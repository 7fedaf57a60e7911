# The HMP migration commands against QEMU 7.2 (monitor/hmp-migrate.c):
# hmp-migrate.py's transcript diffed (parameters, capabilities, the info
# subcommands, migrate_incoming and migrate -d between two processes).
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 150 python3 "$SRCDIR/tests/cli/hmp-migrate.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 150 python3 "$SRCDIR/tests/cli/hmp-migrate.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c "^(" "$TMP/oracle")" -ge 70 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "HMP migration commands print as QEMU 7.2's ($(grep -c '^(' "$TMP/ours") commands)"
    else
        not_ok "HMP migration commands print as QEMU 7.2's" "$(head -60 "$TMP/diff")"
    fi
fi
# The migration went through on ours: both sides report it completed.
if [ "$(grep -c '^Migration status: completed' "$TMP/ours")" = 2 ] &&
    grep -q '^VM status: running' "$TMP/ours"; then
    ok "migrate -d completes; the destination runs"
else
    not_ok "migrate -d completes; the destination runs" "$(tail -40 "$TMP/ours")"
fi

tap_done

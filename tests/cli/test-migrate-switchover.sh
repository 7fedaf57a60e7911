# pause-before-switchover and migrate-continue against QEMU 7.2 (migration/migration.c):
# qmp-migrate-switchover.py's transcript diffed, and on ours the migration that was
# continued completed while the cancelled one left the source running.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 150 python3 "$SRCDIR/tests/cli/qmp-migrate-switchover.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 150 python3 "$SRCDIR/tests/cli/qmp-migrate-switchover.py" "$ORACLE" oracle \
        >"$TMP/oracle" 2>&1
    if [ "$(grep -c "^src\|^dst" "$TMP/oracle")" -ge 30 ] &&
        diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "pause-before-switchover and migrate-continue answer as QEMU 7.2's ($(grep -c '^src {' "$TMP/ours") source commands)"
    else
        not_ok "pause-before-switchover and migrate-continue answer as QEMU 7.2's" "$(head -60 "$TMP/diff")"
    fi
fi
if grep -q '^src MIGRATION events: device completed$' "$TMP/ours" &&
    grep -q '^src MIGRATION events: setup active pre-switchover$' "$TMP/ours" &&
    grep -q '^src MIGRATION events: cancelling cancelled$' "$TMP/ours"; then
    ok "ours: paused in pre-switchover, completed on migrate-continue, cancelled on migrate_cancel"
else
    not_ok "ours: paused in pre-switchover, completed on migrate-continue, cancelled on migrate_cancel" \
        "$(cat "$TMP/ours")"
fi

tap_done

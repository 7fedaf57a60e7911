# HMP migrate on a socket monitor (monitor/hmp-monitor.c, hmp-migrate.c):
# without -d the monitor waits for the migration's end before its next
# prompt, as QEMU 7.2 suspends it; -b/-i/-r and their errors, the failure
# reasons on stderr and in info migrate; human-monitor-command continues
# detached. hmp-migrate-sync.py's transcript diffed against QEMU 7.2's.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 100 python3 "$SRCDIR/tests/cli/hmp-migrate-sync.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 100 python3 "$SRCDIR/tests/cli/hmp-migrate-sync.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c "^(" "$TMP/oracle")" -ge 20 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "migrate on a socket monitor prints as QEMU 7.2's ($(grep -c '^(' "$TMP/ours") commands)"
    else
        not_ok "migrate on a socket monitor prints as QEMU 7.2's" "$(head -60 "$TMP/diff")"
    fi
fi
# Ours on its own: the prompt came back only once the 2 MiB/s migration had completed,
# and the line typed with migrate ran after it.
if grep -A1 '^(migrate unix:TMP/mig.sock)' "$TMP/ours" | grep -q 'query-migrate: completed' &&
    grep -A1 '^(info status (typed with it))' "$TMP/ours" | grep -q 'postmigrate'; then
    ok "migrate without -d waits for the end of the migration"
else
    not_ok "migrate without -d waits for the end of the migration" "$(tail -40 "$TMP/ours")"
fi
# A failed connection: its reason on stderr twice (the connection, the end of the wait).
if [ "$(grep -A2 '^(migrate unix:TMP/nowhere.sock)' "$TMP/ours" | grep -o 'Failed to connect' |
    wc -l)" = 2 ] && grep -q '^terminal does not allow synchronous migration' "$TMP/ours"; then
    ok "a failed migrate reports its reason; human-monitor-command continues detached"
else
    not_ok "a failed migrate reports its reason; human-monitor-command continues detached" \
        "$(head -40 "$TMP/ours")"
fi
# A machine waiting for an incoming migration refuses migrate; no device blocks
# (virtio-serial-pci, the last device without a state table, has one now).
if grep -A1 "^(migrate unix:TMP/nowhere.sock)" "$TMP/ours" |
    grep -q '^Error: Guest is waiting for an incoming migration' &&
    grep -q "0 blocked-reasons" "$TMP/ours" &&
    ! grep -q '^Outgoing migration blocked:' "$TMP/ours"; then
    ok "a machine waiting for an incoming migration refuses migrate, with no blocker listed"
else
    not_ok "a machine waiting for an incoming migration refuses migrate, with no blocker listed" \
        "$(grep -B2 -A12 'waiting' "$TMP/ours")"
fi

tap_done

# QMP chardev-add (chardev/char-qmp.c) and a socket on a descriptor named with
# getfd, against QEMU 7.2: qmp-chardev-add.py's exchange diffed, then key replies.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 60 python3 "$SRCDIR/tests/cli/qmp-chardev-add.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 60 python3 "$SRCDIR/tests/cli/qmp-chardev-add.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 15 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "chardev-add answers as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
    else
        not_ok "chardev-add answers as QEMU 7.2" "$(head -60 "$TMP/diff")"
    fi
fi

has() {
    if grep -qF -- "$1" "$TMP/ours"; then
        ok "$2"
    else
        not_ok "$2" "wanted: $1"
    fi
}
has '"str": "myfd"}}, "server": false}}}} -> {"return": {}}' "a socket on a getfd name"
has "Failed to add chardev 'c1': File descriptor named 'nosuch' has not been found" \
    "an unknown name is refused"
has "Failed to add chardev 'c4': File descriptor named 'myfd' has not been found" \
    "a name is used once"
has "File descriptor named 'myfd' not found" "the monitor forgets a name it handed over"
has "Chardev with id 'n1' already exists" "a duplicate id is refused"
has '{"frontend-open": false, "filename": "unix:", "label": "c3"}' "query-chardev shows the fd socket"

tap_done

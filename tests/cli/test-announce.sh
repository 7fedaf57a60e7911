# announce-self and the self-announce after an incoming migration against QEMU 7.2
# (announce.py): the RARP frames a virtio-net NIC sends to a -netdev socket,udp=, how
# many (rounds, interfaces, the destination's announce-* parameters) and their bytes.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
SCRIPT=$SRCDIR/tests/cli/announce.py
# broadcast, from the MAC, RARP; Ethernet/IPv4, 6/4, request reverse; MAC, 0.0.0.0, MAC, 0.0.0.0; padding
RARP56=ffffffffffff525400123456803500010800060400035254001234560000000052540012345600000000000000000000000000000000000000000000
RARP57=ffffffffffff525400123457803500010800060400035254001234570000000052540012345700000000000000000000000000000000000000000000

mkdir -p "$TMP/ours" "$TMP/oracle"
(cd "$SRCDIR/tests/cli" && timeout 200 python3 "$SCRIPT" "$QEMU" "$TMP/ours") >"$TMP/ours.txt" 2>&1
check() {
    if grep -qxF "$2" "$TMP/ours.txt"; then
        ok "$1"
    else
        not_ok "$1" "missing: $2" "$(cut -c1-160 "$TMP/ours.txt")"
    fi
}
check "announce-self rounds=3: three RARP requests from the NIC's address" \
    "announce-self {'return': {}} 3 frame(s) $RARP56"
check "announce-self for interfaces the machine lacks sends nothing" \
    "announce-self other NIC {'return': {}} 0 frame(s)"
check "announce-self for interfaces=net0, rounds=2: two" "announce-self net0 {'return': {}} 2 frame(s) $RARP56"
check "announce-self rounds=0 sends nothing" "announce-self no rounds {'return': {}} 0 frame(s)"
check "after migration a stopped destination sends nothing before cont" \
    "dst status prelaunch before cont 0 frame(s)"
check "then announce-rounds=4 RARP requests from the migrated NIC" "cont {'return': {}} 4 frame(s) $RARP57"
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    (cd "$SRCDIR/tests/cli" && timeout 200 python3 "$SCRIPT" "$ORACLE" "$TMP/oracle" oracle) >"$TMP/oracle.txt" 2>&1
    if [ "$(grep -c . "$TMP/oracle.txt")" = 9 ] && diff -u "$TMP/oracle.txt" "$TMP/ours.txt" >"$TMP/diff"; then
        ok "the frames are QEMU 7.2's (9 lines)"
    else
        not_ok "the frames are QEMU 7.2's" "$(cut -c1-160 "$TMP/diff")" "QEMU 7.2's:" "$(cut -c1-160 "$TMP/oracle.txt")"
    fi
fi

tap_done

#!/bin/bash
# virtio-net-pci and spapr-vlan seen from the monitor, against QEMU 7.2: the
# default MAC addresses and NIC names (info network, qom-get mac), set_link
# and query-rx-filter with their errors, the balloon's statistics as uint64s
# (test-virtio-net.py); virtio-serial-pci's 511 ports.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    check_line "unreported balloon statistics print as QEMU's uint64" \
    '"stat-htlb-pgalloc": 18446744073709551615, "stat-swap-out": 18446744073709551615'
check_line "guest-stats-polling-interval given on -device" \
    '"property": "guest-stats-polling-interval"}, "execute": "qom-get"} -> {"return": 7}'

# virtio-serial-pci: QEMU's 511 ports (1024 queues), the last id 510.
run -M pseries,dumpdtb="$TMP/vs.dtb" -display none -nodefaults \
    -device virtio-serial-pci,id=vs,max_ports=511 -device virtserialport,bus=vs.0,nr=510
if [ "$RC" = 0 ]; then ok "max_ports=511 with a port at nr=510"; else not_ok "max_ports=511" "$ERR"; fi
for bad in "max_ports=511 -device virtserialport,bus=vs.0,nr=511" "max_ports=512"; do
    # shellcheck disable=SC2086
    want=$(timeout 10 "$ORACLE" -M pseries -display none -vga none -nodefaults -S \
           -device virtio-serial-pci,id=vs,$bad </dev/null 2>&1 >/dev/null | grep -v warning)
    # shellcheck disable=SC2086
    run -M pseries -display none -nodefaults -S -device virtio-serial-pci,id=vs,$bad
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "same error: $bad"
    else
        not_ok "same error: $bad" "ours (exit $RC): $ERR" "QEMU 7.2: $want"
    fi
done
tap_done
    exit 1
fi

timeout 60 python3 "$SRCDIR/tests/cli/test-virtio-net.py" "$QEMU" >"$TMP/ours" 2>&1
timeout 60 python3 "$SRCDIR/tests/cli/test-virtio-net.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 25 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
    ok "info network, qom-get mac, set_link, query-rx-filter answer as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
else
    not_ok "info network, qom-get mac, set_link, query-rx-filter answer as QEMU 7.2" \
        "$(head -80 "$TMP/diff")"
fi
# The replies themselves, so a broken oracle cannot hide a regression.
check_line() {
    if grep -qF -- "$2" "$TMP/ours"; then ok "$1"; else not_ok "$1" "want: $2"; fi
}
check_line "default MACs in creation order, names as QEMU's" \
    'virtio-net-pci.1: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:59'
check_line "qom-get mac of a NIC given none" \
    '{"arguments": {"path": "vn", "property": "mac"}, "execute": "qom-get"} -> {"return": "52:54:00:12:34:57"}'
check_line "query-rx-filter of a fresh virtio-net: promiscuous, every VLAN" \
    '{"promiscuous": true, "name": "vn", "main-mac": "52:54:00:12:34:57", "unicast": "normal", "vlan": "all", "vlan-table": ["4096 ids", 4095, 0], "unicast-table": [], "multicast": "normal", "multicast-overflow": false, "unicast-overflow": false, "multicast-table": [], "broadcast-allowed": false}'
check_line "query-rx-filter of spapr-vlan" \
    '{"error": {"class": "GenericError", "desc": "net client(vl) doesn'"'"'t support rx-filter querying"}}'
check_line "set_link of an unknown client" \
    '{"error": {"class": "DeviceNotFound", "desc": "Device '"'"'nope'"'"' not found"}}'
check_line "unreported balloon statistics print as QEMU's uint64" \
    '"stat-htlb-pgalloc": 18446744073709551615, "stat-swap-out": 18446744073709551615'
check_line "guest-stats-polling-interval given on -device" \
    '"property": "guest-stats-polling-interval"}, "execute": "qom-get"} -> {"return": 7}'

# virtio-serial-pci: QEMU's 511 ports (1024 queues), the last id 510.
run -M pseries,dumpdtb="$TMP/vs.dtb" -display none -nodefaults \
    -device virtio-serial-pci,id=vs,max_ports=511 -device virtserialport,bus=vs.0,nr=510
if [ "$RC" = 0 ]; then ok "max_ports=511 with a port at nr=510"; else not_ok "max_ports=511" "$ERR"; fi
for bad in "max_ports=511 -device virtserialport,bus=vs.0,nr=511" "max_ports=512"; do
    # shellcheck disable=SC2086
    want=$(timeout 10 "$ORACLE" -M pseries -display none -vga none -nodefaults -S \
           -device virtio-serial-pci,id=vs,$bad </dev/null 2>&1 >/dev/null | grep -v warning)
    # shellcheck disable=SC2086
    run -M pseries -display none -nodefaults -S -device virtio-serial-pci,id=vs,$bad
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "same error: $bad"
    else
        not_ok "same error: $bad" "ours (exit $RC): $ERR" "QEMU 7.2: $want"
    fi
done
tap_done

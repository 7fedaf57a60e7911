#!/bin/bash
# QEMU's default network ("-net nic -net user" unless -net, -nic, -netdev or
# -nodefaults is given) against QEMU 7.2: the VIO addresses the board hands out
# (the default spapr-vlan takes 71000002, so the default CD-ROM's spapr-vscsi
# gets 71000003) and the warnings, or their absence, on stderr.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi

# vio EMULATOR ARGS...: the /vdevice children of the dumped tree, then stderr.
vio() {
    local emu=$1
    shift
    rm -f "$TMP/t.dtb"
    timeout 20 "$emu" -M pseries,dumpdtb="$TMP/t.dtb" -display none -vga none "$@" \
        </dev/null 2>"$TMP/e" >/dev/null
    fdtget -l "$TMP/t.dtb" /vdevice 2>&1 | tr '\n' ' '
    grep -v -e "TCG doesn't support" -e 'dtb dumped' "$TMP/e"
}

same_vio() {
    local want got
    want=$(vio "$ORACLE" "$@")
    got=$(vio "$QEMU" "$@")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "VIO devices as QEMU: ${*:-(defaults)}"
    else
        not_ok "VIO devices as QEMU: ${*:-(defaults)}" "ours: $got" "QEMU 7.2: $want"
    fi
}

same_vio
same_vio -nodefaults
same_vio -nic none
same_vio -net none
same_vio -nic user
same_vio -net user
same_vio -net nic
same_vio -netdev user,id=n0
same_vio -device spapr-vlan
same_vio -device spapr-vscsi
same_vio -drive if=none,id=d -device spapr-vlan

# The machine without a board NIC: QEMU says nothing about the default hub.
want=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
       timeout 10 "$ORACLE" -M none -display none -S -qmp stdio 2>&1 >/dev/null)
got=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
      timeout 10 "$QEMU" -M none -display none -S -qmp stdio 2>&1 >/dev/null)
if [ "$got" = "$want" ]; then
    ok "-M none: stderr as QEMU's (${want:-empty})"
else
    not_ok "-M none: stderr as QEMU's" "ours: $got" "QEMU 7.2: $want"
fi

tap_done

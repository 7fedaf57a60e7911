# The PCI buses of several spapr-pci-host-bridge devices are named as QEMU
# 7.2 names them (hw/ppc/spapr_pci.c): "ID.0" for a bridge with an id, else
# "pci.N" counting the anonymous buses in creation order (the board's PHB is
# pci.0), whatever the index.  Devices placed by those names land there.
# info qtree's bus lines and hosts compared with QEMU 7.2's.
. "$(dirname "$0")/lib.sh"
need_oracle

# buses BINARY ARGS...: info qtree's bus, device and index lines.
buses() {
    local bin=$1
    shift
    printf 'info qtree\nquit\n' | timeout 60 "$bin" -M pseries -nodefaults -S -display none \
        -monitor stdio "$@" 2>&1 | tr -d '\r' |
        grep -E '^ *(bus: pci|bus: hb|dev: spapr-pci-host-bridge|dev: pci-testdev|index =)|Bus'
}

phb_same() {
    local name=$1
    shift
    buses "$QEMU" "$@" >"$TMP/ours"
    buses "$ORACLE" "$@" >"$TMP/theirs"
    if grep -qE "bus: pci.0|Bus 'pci" "$TMP/theirs" && cmp -s "$TMP/ours" "$TMP/theirs"; then
        ok "$name"
    else
        not_ok "$name: as QEMU 7.2" "$(diff "$TMP/theirs" "$TMP/ours")"
    fi
}

phb_same "anonymous PHBs count from pci.1, an id gives ID.0" \
    -device spapr-pci-host-bridge,index=3 -device spapr-pci-host-bridge,index=1,id=hb1 \
    -device spapr-pci-host-bridge,index=2 -device pci-testdev,bus=pci.1 \
    -device pci-testdev,bus=pci.2 -device pci-testdev,bus=hb1.0
phb_same "one PHB with an id" -device spapr-pci-host-bridge,index=5,id=x \
    -device pci-testdev,bus=x.0
phb_same "pci.2 with two PHBs at index 4 and 7" -device spapr-pci-host-bridge,index=7 \
    -device spapr-pci-host-bridge,index=4 -device pci-testdev,bus=pci.2
# A name taken by index is no longer one: pci.3 does not exist here.
phb_same "no pci.3 for index=3" -device spapr-pci-host-bridge,index=3 \
    -device pci-testdev,bus=pci.3

tap_done

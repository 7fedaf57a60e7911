#!/bin/bash
# The virtio PCI type families against QEMU 7.2: the generic, -transitional and
# -non-transitional names, disable-legacy/disable-modern, and each device's node
# in the PHB (vendor/device/subsystem ids, revision, class, the BARs in "reg").
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi

# Both emulators' messages for the same bad options.
same_error() {
    local want
    want=$(timeout 10 "$ORACLE" -M pseries -display none -vga none -nodefaults -S "$@" \
           </dev/null 2>&1 >/dev/null | grep -v -e warning -e 'module ui-')
    run -M pseries -display none -nodefaults -S "$@"
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "same error: $*"
    else
        not_ok "same error: $*" "ours (exit $RC): $ERR" "QEMU 7.2: $want"
    fi
}

# -device help lists the same virtio PCI names for the families we have.
want=$("$ORACLE" -M pseries -device help 2>/dev/null |
       grep -E '^name "virtio-(blk|net|scsi|rng|serial|balloon)-pci(-non-transitional|-transitional)?"')
run -M pseries -device help
got=$(printf '%s\n' "$OUT" |
      grep -E '^name "virtio-(blk|net|scsi|rng|serial|balloon)-pci(-non-transitional|-transitional)?"')
if [ "$(echo "$want" | grep -c '')" = 18 ] && [ "$want" = "$got" ]; then
    ok "-device help: the 18 virtio-{blk,net,scsi,rng,serial,balloon}-pci names as QEMU 7.2"
else
    not_ok "-device help: virtio PCI names" "QEMU 7.2: $want" "ours: $got"
fi

# The variants have no disable-legacy/disable-modern; the generic types check them.
same_error -device virtio-rng-pci-transitional,disable-legacy=on
same_error -device virtio-rng-pci-non-transitional,disable-modern=on
same_error -device virtio-rng-pci,disable-legacy=on,disable-modern=on
same_error -device virtio-blk-pci-non-transitional
same_error -device virtio-rng-pci-transitional,vectors=1,foo=2

# Each device's node, property by property, as QEMU 7.2 writes it.
for i in 0 1 2 3; do
    qemu-img create -f raw "$TMP/d$i.raw" 1M >/dev/null
done
args=(-drive if=none,id=d0,file="$TMP/d0.raw",format=raw
      -drive if=none,id=d1,file="$TMP/d1.raw",format=raw
      -drive if=none,id=d2,file="$TMP/d2.raw",format=raw
      -drive if=none,id=d3,file="$TMP/d3.raw",format=raw
      -device virtio-blk-pci,drive=d0
      -device virtio-blk-pci-transitional,drive=d1
      -device virtio-blk-pci-non-transitional,drive=d2
      -device virtio-blk-pci,drive=d3,disable-legacy=on
      -device virtio-rng-pci-transitional
      -device virtio-rng-pci-non-transitional
      -device virtio-rng-pci,disable-modern=on
      -device virtio-rng-pci,disable-legacy=off,vectors=0
      -device virtio-scsi-pci-non-transitional
      -device virtio-net-pci-transitional,romfile=
      -device virtio-serial-pci-non-transitional
      -device virtio-balloon-pci-transitional)
ODTB=$TMP/oracle.dtb
DTB=$TMP/ours.dtb
timeout 20 "$ORACLE" -M pseries,dumpdtb="$ODTB" -vga none -nodefaults "${args[@]}" \
    >/dev/null 2>&1
run -M pseries,dumpdtb="$DTB" -nodefaults "${args[@]}"
phb=/pci@800000020000000
nodes=$(fdtget -l "$ODTB" $phb 2>&1)
if [ "$(echo "$nodes" | grep -c "@")" = 12 ] && [ "$(fdtget -l "$DTB" $phb 2>&1)" = "$nodes" ]; then
    ok "the PHB has the same 12 device nodes: $(echo $nodes)"
else
    not_ok "the PHB has the same device nodes" "QEMU 7.2: $nodes" "ours: $(fdtget -l "$DTB" $phb 2>&1)"
fi
for n in $nodes; do
    bad=""
    for p in $(fdtget -p "$ODTB" $phb/$n); do
        want=$(fdtget -t x "$ODTB" $phb/$n "$p" 2>&1)
        got=$(fdtget -t x "$DTB" $phb/$n "$p" 2>&1)
        [ "$want" = "$got" ] || bad="$bad $p (QEMU 7.2: $want; ours: $got)"
    done
    if [ -z "$bad" ] && [ "$(fdtget -p "$ODTB" $phb/$n | sort)" = "$(fdtget -p "$DTB" $phb/$n | sort)" ]; then
        ok "$n: every property as QEMU 7.2 (device-id $(fdtget -t x "$DTB" $phb/$n device-id))"
    else
        not_ok "$n: every property as QEMU 7.2" "differs:$bad" \
            "properties: $(fdtget -p "$DTB" $phb/$n | tr '\n' ' ')"
    fi
done

tap_done

# -device help and the properties
if diff <("$ORACLE" -device pci-testdev,help 2>&1; "$ORACLE" -device help 2>&1 |
          grep '"pci-testdev"') \
        <("$QEMU" -device pci-testdev,help 2>&1; "$QEMU" -device help 2>&1 |
          grep '"pci-testdev"') >"$TMP/d"; then
    ok "-device help, pci-testdev,help as QEMU 7.2"
else
    not_ok "-device help, pci-testdev,help as QEMU 7.2" "$(cat "$TMP/d")"
fi

#!/bin/bash
# pci-testdev (hw/misc/pci-testdev.c) against QEMU 7.2 over qtest: its config
# header and BARs (with and without membar=), then the tests kvm-unit-tests
# runs: select a test through either BAR, read its header, write its byte with
# matching and other data, read the count back.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi

qt=$TMP/testdev.qtest
{
    # cfg_read REG SIZE / cfg_write REG SIZE VALUE: RTAS config access to 00:02.0.
    cfg_read() {
        printf 'writel 0x1000 0x%x\nwritel 0x1004 0x08000000\nwritel 0x1008 0x20000000\n' \
            $((0x1000 + $1))
        echo "writel 0x100c $2"
        echo "rtas ibm,read-pci-config 4 0x1000 2 0x2000"
        echo "read 0x2000 8"
    }
    cfg_write() {
        printf 'writel 0x1000 0x%x\nwritel 0x1004 0x08000000\nwritel 0x1008 0x20000000\n' \
            $((0x1000 + $1))
        echo "writel 0x100c $2"; echo "writel 0x1010 $3"
        echo "rtas ibm,write-pci-config 5 0x1000 1 0x2000"
        echo "readl 0x2000"
    }
    for r in 0 8 0x2c 0x3c; do cfg_read $r 4; done
    for r in 0x10 0x14 0x18 0x1c; do
        cfg_write $r 4 0xffffffff; cfg_read $r 4
    done
    cfg_write 0x10 4 0x80000000
    cfg_write 0x14 4 0x1000
    cfg_write 0x04 2 3
    M=0x200080000000
    IO=0x200000001000
    # nothing selected: zeros
    echo "read $M 32"; echo "readl $M"
    for t in 0 1 2; do
        echo "writeb $M $t"; echo "read $M 40"
        off=$(printf '0x%x' $((M + 2048 + t)))
        echo "writeb $off 0xfa"; echo "writeb $off 0x11"; echo "writeb $((M + 2048 + t + 1)) 0xfa"
        echo "readl $((M + 12))"; echo "readb $((M + 12))"
    done
    # the port I/O tests, selected through the I/O BAR, and a word write over two test bytes
    for t in 0 1 2; do
        echo "writeb $IO $t"; echo "read $IO 40"
        off=$(printf '0x%x' $((IO + 128 + 3 + t)))
        echo "writew $off 0xfafa"; echo "writeb $off 0xce"
        echo "readl $((IO + 12))"
    done
    # an I/O test's byte written through the memory BAR counts as well (one selection)
    echo "writeb $IO 1"; echo "writeb $((M + 132)) 5"; echo "readl $((M + 12))"
    # a test number past the last: nothing selected
    echo "writeb $M 3"; echo "readl $M"; echo "writel $M 0x100"; echo "readq $M"
} >"$qt"

# same ARGS...: the qtest transcript of both emulators with ARGS.
same() {
    local want got
    want=$( (cat "$qt"; sleep 1) | timeout 30 "$ORACLE" -M pseries -S -qtest stdio \
            -display none -vga none -nodefaults "$@" 2>/dev/null)
    got=$( (cat "$qt"; sleep 1) | timeout 30 "$QEMU" -M pseries -S -qtest stdio \
           -display none -nodefaults "$@" 2>/dev/null)
    n=$(echo "$want" | grep -c '^OK')
    if [ "$n" -gt 100 ] && [ "$want" = "$got" ]; then
        ok "pci-testdev as QEMU 7.2 ($n answers): $*"
    else
        not_ok "pci-testdev as QEMU 7.2: $*" "$(diff <(echo "$want") <(echo "$got") | head -20)"
    fi
}
same -device pci-testdev,addr=2
same -device pci-testdev,addr=2,membar=1M

# -device help and the properties
for emu in "$ORACLE" "$QEMU"; do
    "$emu" -device pci-testdev,help 2>&1 >"$TMP/$(basename "$emu").props"
    "$emu" -device help 2>&1 | grep '"pci-testdev"' >>"$TMP/$(basename "$emu").props"
done
if cmp -s "$TMP/qemu-system-ppc64.props" "$TMP/qemu-system-ppc64.props" &&
   diff <("$ORACLE" -device pci-testdev,help 2>&1; "$ORACLE" -device help 2>&1 |
          grep '"pci-testdev"') \
        <("$QEMU" -device pci-testdev,help 2>&1; "$QEMU" -device help 2>&1 |
          grep '"pci-testdev"') >"$TMP/d"; then
    ok "-device help, pci-testdev,help as QEMU 7.2"
else
    not_ok "-device help, pci-testdev,help as QEMU 7.2" "$(cat "$TMP/d")"
fi

tap_done

# bootindex= on virtio-blk-pci: /chosen qemu,boot-list (the devices' firmware paths,
# lowest index first, as SLOF reads them) and the property's errors, against QEMU 7.2.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "the oracle $ORACLE is installed"
    tap_done
    exit
fi
for i in 0 1 2; do
    truncate -s 16M "$TMP/d$i.raw"
done
DRIVES="-drive file=$TMP/d0.raw,if=none,id=d0,format=raw
        -drive file=$TMP/d1.raw,if=none,id=d1,format=raw
        -drive file=$TMP/d2.raw,if=none,id=d2,format=raw"

# boot_list EMULATOR ARGS...: the tree's /chosen qemu,boot-list, or "(none)".
boot_list() {
    local emu=$1
    shift
    rm -f "$TMP/t.dtb"
    # shellcheck disable=SC2086 # DRIVES is a list of options
    timeout 10 "$emu" -M "pseries,dumpdtb=$TMP/t.dtb" -nodefaults -display none $DRIVES "$@" \
        </dev/null >/dev/null 2>"$TMP/err" || {
        echo "(failed: $(grep -v warning "$TMP/err" | head -n 1))"
        return
    }
    fdtget -t s "$TMP/t.dtb" /chosen qemu,boot-list 2>/dev/null || echo "(none)"
}

# same WHAT ARGS...: ours and the oracle give the same boot list.
same() {
    local what=$1 want got
    shift
    want=$(boot_list "$ORACLE" "$@")
    got=$(boot_list "$QEMU" "$@")
    if [ "$want" = "$got" ]; then
        ok "$what: qemu,boot-list '$got' as QEMU 7.2"
    else
        not_ok "$what: qemu,boot-list as QEMU 7.2" "QEMU 7.2: $want" "ours: $got"
    fi
}

same "no bootindex"
same "one disk" -device virtio-blk-pci,drive=d0,bootindex=0
same "two disks, reversed" -device virtio-blk-pci,drive=d0,bootindex=2 \
    -device virtio-blk-pci,drive=d1,bootindex=1
same "slots and one disk without an index" -device virtio-blk-pci,drive=d0,addr=5,bootindex=7 \
    -device virtio-blk-pci,drive=d1,addr=3 -device virtio-blk-pci,drive=d2,addr=4,bootindex=3
same "a second function" -device virtio-blk-pci,drive=d0,addr=6.0,multifunction=on \
    -device virtio-blk-pci,drive=d1,addr=6.2,bootindex=1
same "a negative index is no index" -device virtio-blk-pci,drive=d0,bootindex=-2
# The value appears only once the list is not empty: that a test sees the property at
# all is checked here, so the comparisons above cannot all pass on "(none)".
got=$(boot_list "$QEMU" -device virtio-blk-pci,drive=d0,addr=5,bootindex=1)
if [ "$got" = "/pci@800000020000000/scsi@5" ]; then
    ok "the path names the PHB and the slot"
else
    not_ok "the path names the PHB and the slot" "got: $got"
fi

# Errors: ours prints QEMU 7.2's message.
for args in "-device virtio-blk-pci,drive=d0,bootindex=1 -device virtio-blk-pci,drive=d1,bootindex=1" \
    "-device virtio-blk-pci,drive=d0,bootindex=x" \
    "-device virtio-blk-pci,drive=d0,bootindex=99999999999"; do
    # shellcheck disable=SC2086
    want=$(timeout 10 "$ORACLE" -M pseries -nodefaults -display none $DRIVES $args \
        </dev/null 2>&1 >/dev/null | grep -v warning)
    # shellcheck disable=SC2086
    expect_stderr "$want" -M pseries -nodefaults -display none $DRIVES $args
done

tap_done

# spapr-nvram and -drive: contents kept across a reboot and, with an image,
# written through to the file and found again by the next run; sizes, the
# device-tree node, and every refused -drive.
. "$(dirname "$0")/lib.sh"

IMG=$TMP/nvram.img
DTB=$TMP/n.dtb
ARGS=0x2000 # RTAS argument cells
RETS=0x3000 # RTAS result cells
BUF=0x1000  # guest buffer

# qt "CMD;CMD;..." ARGS...: run the machine under `-qtest stdio` with those
# protocol lines; OUT gets the replies (one per line), RC and ERR as run().
qt() {
    local cmds=$1
    shift
    printf '%s\n' "${cmds%;}" | tr ';' '\n' |
        timeout 10 "$QEMU" -M pseries -nodefaults -display none -accel qtest -qtest stdio \
            "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

# rtas_cmds SERVICE OFFSET LEN: the lines that call an nvram service on BUF
# and read back both result cells.
rtas_cmds() {
    printf 'writel %s %s;writel 0x2004 %s;writel 0x2008 %s;' $ARGS "$2" $BUF "$3"
    printf 'writel %s 0xeeeeeeee;writel 0x3004 0xeeeeeeee;' $RETS
    printf 'rtas %s 3 %s 2 %s;readl %s;readl 0x3004;' "$1" $ARGS $RETS $RETS
}

# expect_replies NAME "REPLY;REPLY;...": OUT must be exactly those lines.
expect_replies() {
    local want
    want=$(printf '%s' "$2" | tr ';' '\n')
    if [ "$RC" = 0 ] && [ "$OUT" = "$want" ]; then
        ok "$1"
    else
        not_ok "$1" "exit $RC, replies:" "$OUT" "wanted:" "$want" "stderr: $ERR"
    fi
}

# file_bytes OFFSET COUNT: the image's bytes there, as hex.
file_bytes() {
    od -An -tx1 -j "$1" -N "$2" "$IMG" | tr -d ' \n'
}

check_eq() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1" "got: $2" "wanted: $3"
    fi
}

head -c 16384 /dev/zero >"$IMG"

# First run: store 8 bytes at offset 0x100; the file has them at once.
qt "writeq $BUF 0x0123456789abcdef;$(rtas_cmds nvram-store 0x100 8)" \
    -drive if=pflash,file="$IMG",format=raw
expect_replies "run 1: nvram-store" "OK;OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008"
check_eq "run 1: written through to the image" "$(file_bytes 256 8)" 0123456789abcdef
check_eq "run 1: nothing else in the image" "$(file_bytes 264 8)" 0000000000000000

# Second run: the contents come back from the file.
qt "$(rtas_cmds nvram-fetch 0x100 8)readq $BUF" -drive if=pflash,file="$IMG",format=raw
expect_replies "run 2: nvram-fetch finds them" \
    "OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008;OK 0x0123456789abcdef"

# snapshot=on and -snapshot: the guest's writes go to a temporary qcow2
# overlay; the image keeps its bytes and no overlay file is left behind.
mkdir -p "$TMP/overlays"
for snap in "-drive if=pflash,file=$IMG,format=raw,snapshot=on" \
            "-snapshot -drive if=pflash,file=$IMG,format=raw"; do
    # shellcheck disable=SC2086
    TMPDIR=$TMP/overlays qt "writeq $BUF 0x1122334455667788;$(rtas_cmds nvram-store 0x100 8)writeq $BUF 0;$(rtas_cmds nvram-fetch 0x100 8)readq $BUF" $snap
    expect_replies "$snap: the guest reads its own write" \
        "OK;OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008;OK;OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008;OK 0x1122334455667788"
    check_eq "$snap: the image is unchanged" "$(file_bytes 256 8)" 0123456789abcdef
    check_eq "$snap: no overlay file left" "$(ls "$TMP/overlays")" ""
done

# A qcow2 nvram image: stores land in it, qemu-img finds them and a clean image.
qemu-img create -q -f qcow2 -o cluster_size=4096 "$TMP/nv.qcow2" 16K
qt "writeq $BUF 0x8877665544332211;$(rtas_cmds nvram-store 0x2000 8)" \
    -drive if=pflash,file="$TMP/nv.qcow2",format=qcow2
expect_replies "qcow2 image: nvram-store" "OK;OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008"
if qemu-img check -q "$TMP/nv.qcow2" && qemu-img convert -O raw "$TMP/nv.qcow2" "$TMP/nv.raw"; then
    check_eq "qcow2 image: qemu-img reads the stored bytes" \
        "$(od -An -tx1 -j 8192 -N 8 "$TMP/nv.raw" | tr -d ' \n')" 8877665544332211
else
    not_ok "qcow2 image: qemu-img check and convert"
fi

# The same image as if=none, named by -global spapr-nvram.drive=ID.
qt "$(rtas_cmds nvram-fetch 0x100 8)readq $BUF" -drive if=none,id=nv,file="$IMG",format=raw \
    -global spapr-nvram.drive=nv
expect_replies "if=none + -global spapr-nvram.drive: the same contents" \
    "OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008;OK 0x0123456789abcdef"
expect_error "Property 'spapr-nvram.drive' can't find value 'n1'" \
    -drive if=none,id=n0,file="$IMG",format=raw -global spapr-nvram.drive=n1

# Out of range: -3 and neither the image nor the guest buffer changes (the length
# cell: 0 from nvram-fetch, untouched by nvram-store, as QEMU 7.2).
cp "$IMG" "$TMP/before.img"
qt "writeq $BUF 0x1111111111111111;$(rtas_cmds nvram-store 0x3ffc 8)$(rtas_cmds nvram-fetch 0x3ffc 8)readq $BUF" \
    -drive if=pflash,file="$IMG",format=raw
expect_replies "out of range: -3, nothing written" \
    "OK;OK;OK;OK;OK;OK;OK 0;OK 0x00000000fffffffd;OK 0x00000000eeeeeeee;OK;OK;OK;OK;OK;OK 0;OK 0x00000000fffffffd;OK 0x0000000000000000;OK 0x1111111111111111"
if cmp -s "$IMG" "$TMP/before.img"; then
    ok "out of range: image unchanged"
else
    not_ok "out of range: image unchanged"
fi

# Without an image: 64 KiB of zeros (kept across a reset: test-nvram-qtest).
qt "writeq $BUF 0xfeedfacecafebeef;$(rtas_cmds nvram-fetch 0xfff8 8)readq $BUF;$(rtas_cmds nvram-fetch 0xfff9 8)"
expect_replies "no image: 64 KiB of zeros" \
    "OK;OK;OK;OK;OK;OK;OK 0;OK 0x0000000000000000;OK 0x0000000000000008;OK 0x0000000000000000;OK;OK;OK;OK;OK;OK 0;OK 0x00000000fffffffd;OK 0x0000000000000000"

# The device tree: nvram after the consoles, #bytes the image's size in sectors.
dtb() {
    rm -f "$DTB"
    run -display none -M "pseries,dumpdtb=$DTB" "$@"
}
dtb -nodefaults
check_eq "no image: #bytes" "$(fdtget -tx "$DTB" /vdevice/nvram@71000000 '#bytes')" 10000
check_eq "compatible" "$(fdtget -ts "$DTB" /vdevice/nvram@71000000 compatible)" qemu,spapr-nvram
check_eq "device_type" "$(fdtget -ts "$DTB" /vdevice/nvram@71000000 device_type)" nvram
check_eq "interrupts" "$(fdtget -tx "$DTB" /vdevice/nvram@71000000 interrupts)" "1100 0"
dtb -serial null
check_eq "after the console" "$(fdtget -tx "$DTB" /vdevice/nvram@71000001 reg)" 71000001
head -c 10000 /dev/zero >"$TMP/odd.img"
dtb -nodefaults -drive if=pflash,file="$TMP/odd.img",format=raw
check_eq "10000-byte image: #bytes 0x2800" \
    "$(fdtget -tx "$DTB" /vdevice/nvram@71000000 '#bytes')" 2800

# Refused sizes and drives.
head -c 4096 /dev/zero >"$TMP/small.img"
head -c 2097152 /dev/zero >"$TMP/big.img"
SIZE_MSG="spapr-nvram must be between 8192 and 1048576 bytes in size"
expect_error "$SIZE_MSG" -nodefaults -drive if=pflash,file="$TMP/small.img",format=raw
expect_error "$SIZE_MSG" -nodefaults -drive if=pflash,file="$TMP/big.img",format=raw
expect_error "^qemu-system-ppc64: -drive if=pflash,file=$TMP/none,format=raw: Could not open '$TMP/none': No such file or directory$" \
    -drive if=pflash,file="$TMP/none",format=raw
expect_error "Block node is read-only" -drive if=pflash,file="$IMG",format=raw,readonly=on
expect_error "machine type does not support if=pflash,bus=0,unit=1$" \
    -drive if=pflash,file="$IMG",format=raw,unit=1
expect_error "-drive if=pflash,file=$TMP/odd.img,format=raw: machine type does not support if=pflash,bus=0,unit=1$" \
    -drive if=pflash,file="$IMG",format=raw -drive if=pflash,file="$TMP/odd.img",format=raw
expect_error 'A block device must be specified for "file"' -drive if=pflash,format=raw
expect_error "Block format 'raw' does not support the option 'foo'" \
    -drive if=pflash,file="$IMG",format=raw,foo=1
expect_error "Duplicate ID 'n0' for drive" -drive if=none,id=n0,file="$IMG",format=raw \
    -drive if=none,id=n0,file="$TMP/odd.img",format=raw
expect_error "Image is not in qcow2 format" -drive if=pflash,file="$IMG",format=qcow2
expect_error "unsupported bus type 'bogus'" -drive if=bogus,file="$IMG",format=raw
# Not here: clear errors, not silence (the rest of -drive: tests/cli/test-drive.sh).
expect_error "format=vmdk is not supported yet" -drive if=pflash,file="$IMG",format=vmdk
# Only the machine creates the nvram (as in QEMU).
expect_error "-device spapr-nvram: Parameter 'driver' expects a pluggable device type" \
    -device spapr-nvram
run -device help
if printf '%s' "$OUT" | grep -q nvram; then
    not_ok "-device help does not list spapr-nvram"
else
    ok "-device help does not list spapr-nvram"
fi
# Without format=, a raw image works with QEMU's warning.
dtb -nodefaults -drive if=pflash,file="$TMP/odd.img"
if [ "$RC" = 0 ] && printf '%s' "$ERR" | grep -q "^WARNING: Image format was not specified"; then
    ok "no format: probed as raw with a warning"
else
    not_ok "no format: probed as raw with a warning" "exit $RC, stderr: $ERR"
fi

tap_done

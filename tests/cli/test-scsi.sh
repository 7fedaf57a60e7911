# SCSI adapters and units against QEMU 7.2: where -drive if=scsi puts its drives
# (spapr-vscsi), the v-scsi node, bootindex paths of scsi-hd/scsi-cd under spapr-vscsi and
# virtio-scsi-pci, and the messages for bad addresses and missing buses or drives.
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
D="file.locking=off,format=raw"
DRIVES="-drive file=$TMP/d0.raw,if=none,id=d0,$D
        -drive file=$TMP/d1.raw,if=none,id=d1,$D
        -drive file=$TMP/d2.raw,if=none,id=d2,$D"

# tree EMULATOR WHAT ARGS...: from the tree of a run, WHAT: "vdevice" (its children),
# "boot-list" (/chosen qemu,boot-list) or a property of the first v-scsi node.
tree() {
    local emu=$1 what=$2 node
    shift 2
    rm -f "$TMP/t.dtb"
    # shellcheck disable=SC2086 # DRIVES is a list of options
    timeout 10 "$emu" -M "pseries,dumpdtb=$TMP/t.dtb" -nodefaults -display none $DRIVES "$@" \
        </dev/null >/dev/null 2>"$TMP/err" || {
        echo "(failed: $(grep -v warning "$TMP/err" | head -n 1))"
        return
    }
    case $what in
    vdevice) fdtget -l "$TMP/t.dtb" /vdevice | sort | tr '\n' ' ' ;;
    boot-list) fdtget -t s "$TMP/t.dtb" /chosen qemu,boot-list 2>/dev/null || echo "(none)" ;;
    *)
        node=$(fdtget -l "$TMP/t.dtb" /vdevice | grep '^v-scsi@' | head -n 1)
        fdtget -t x "$TMP/t.dtb" "/vdevice/$node" "$what" 2>&1
        ;;
    esac
}

# same WHAT DESCRIPTION ARGS...: ours and the oracle give the same WHAT.
same() {
    local what=$1 desc=$2 want got
    shift 2
    want=$(tree "$ORACLE" "$what" "$@")
    got=$(tree "$QEMU" "$what" "$@")
    if [ "$want" = "$got" ] && [ -n "$got" ] && [ "${got#(failed}" = "$got" ]; then
        ok "$desc: $what '$got' as QEMU 7.2"
    else
        not_ok "$desc: $what as QEMU 7.2" "QEMU 7.2: $want" "ours: $got"
    fi
}

# -drive if=scsi: one spapr-vscsi per SCSI bus number, after the nvram.
same vdevice "if=scsi" -drive "file=$TMP/d0.raw,if=scsi,$D"
same vdevice "if=scsi on buses 0 and 1" -drive "file=$TMP/d0.raw,if=scsi,$D" \
    -drive "file=$TMP/d1.raw,if=scsi,bus=1,unit=3,$D"
same vdevice "-device spapr-vscsi" -device spapr-vscsi
for p in compatible device_type reg interrupts ibm,my-dma-window ibm,#dma-address-cells \
    ibm,#dma-size-cells '#address-cells' '#size-cells'; do
    same "$p" "the v-scsi node" -drive "file=$TMP/d0.raw,if=scsi,$D"
done

# bootindex: SLOF's unit addresses below each adapter.
same boot-list "scsi-hd on spapr-vscsi" -device spapr-vscsi,id=v \
    -device scsi-hd,drive=d0,bus=v.0,bootindex=1
same boot-list "targets, LUNs and buses" -device spapr-vscsi,id=v \
    -device scsi-hd,drive=d0,bus=v.0,scsi-id=10,lun=2,bootindex=3 \
    -device scsi-cd,drive=d1,bus=v.0,channel=1,scsi-id=63,lun=31,bootindex=2
same boot-list "virtio-scsi-pci" -device virtio-scsi-pci,id=s \
    -device scsi-hd,drive=d0,bus=s.0,scsi-id=3,lun=300,bootindex=2 \
    -device scsi-cd,drive=d1,bus=s.0,scsi-id=200,bootindex=1
same boot-list "a legacy drive has no index" -drive "file=$TMP/d2.raw,if=scsi,index=1,$D" \
    -device spapr-vscsi,id=v -device scsi-hd,drive=d0,bus=v.0,bootindex=0

# Errors: QEMU 7.2's messages.
for args in "-device scsi-hd,drive=d0" \
    "-device spapr-vscsi -device scsi-hd" \
    "-device spapr-vscsi -device scsi-hd,drive=d0,scsi-id=64" \
    "-device spapr-vscsi -device scsi-hd,drive=d0,lun=32" \
    "-device spapr-vscsi -device scsi-cd,channel=8" \
    "-device virtio-scsi-pci -device scsi-hd,drive=d0,scsi-id=256" \
    "-device spapr-vscsi -device scsi-hd,drive=d0,scsi-id=1,lun=0 -device scsi-hd,drive=d1,scsi-id=1,lun=0" \
    "-device spapr-vscsi,id=v -device scsi-hd,drive=d0,bus=v.0,bootindex=1 -device scsi-hd,drive=d1,bus=v.0,bootindex=1" \
    "-device spapr-vscsi -device scsi-hd,drive=d0 -device scsi-hd,drive=d0" \
    "-device virtio-scsi-pci,num_queues=0" \
    "-device virtio-scsi-pci,num_queues=1023" \
    "-device virtio-scsi-pci,virtqueue_size=2"; do
    # shellcheck disable=SC2086
    want=$(timeout 10 "$ORACLE" -M pseries -nodefaults -display none $DRIVES $args \
        </dev/null 2>&1 >/dev/null | grep -v warning)
    # shellcheck disable=SC2086
    expect_stderr "$want" -M pseries -nodefaults -display none $DRIVES $args
done

tap_done

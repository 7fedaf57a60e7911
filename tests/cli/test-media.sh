#!/bin/bash
# Removable media over QMP and HMP against QEMU 7.2: eject, blockdev-change-medium,
# the tray commands, DEVICE_TRAY_MOVED, query-block's tray_open/locked/removable/
# io-status/qdev members and the errors, as transcripts (qmp-media.py) of the same
# commands sent to both emulators.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi
cd "$TMP" || exit 1
qemu-img create -q -f raw a.raw 1M
qemu-img create -q -f raw b.raw 2M
qemu-img create -q -f raw hd.raw 1M
qemu-img create -q -f raw vd.raw 1M
qemu-img create -q -f qcow2 c.qcow2 3M

# same_transcript NAME ARGS...: the COMMANDS transcript is QEMU 7.2's.
same_transcript() {
    local name=$1 want got
    shift
    want=$(python3 "$SRCDIR/tests/cli/qmp-media.py" "$ORACLE" -M pseries -display none \
           -vga none -S "$@" 2>&1)
    got=$(python3 "$SRCDIR/tests/cli/qmp-media.py" "$QEMU" -M pseries -display none -S "$@" 2>&1)
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        ok "QMP transcript as QEMU 7.2: $name"
    else
        not_ok "QMP transcript as QEMU 7.2: $name" \
            "$(diff <(echo "$want") <(echo "$got") | head -40)"
    fi
}

CD="-nodefaults -drive if=none,id=cd,media=cdrom -device spapr-vscsi
    -device scsi-cd,drive=cd,id=cd0"
DISKS="-drive if=none,id=hd,file=hd.raw,format=raw -device scsi-hd,drive=hd
       -drive if=none,id=vdisk,file=vd.raw,format=raw -device virtio-blk-pci,drive=vdisk,id=vd"

# Changing and ejecting a CD: events before the reply, the medium's read-only
# state ("retain" keeps media=cdrom's), the errors of each lookup.
export COMMANDS='{"execute": "query-block"}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "a.raw", "format": "raw"}}
{"execute": "query-block"}
{"execute": "eject", "arguments": {"id": "cd0"}}
{"execute": "query-block"}
{"execute": "eject", "arguments": {"id": "cd0"}}
{"execute": "eject", "arguments": {"device": "cd"}}
{"execute": "eject", "arguments": {"device": "hd"}}
{"execute": "eject", "arguments": {"id": "vd"}}
{"execute": "eject", "arguments": {"id": "nope"}}
{"execute": "eject", "arguments": {"device": "nope"}}
{"execute": "eject", "arguments": {}}
{"execute": "eject", "arguments": {"id": "cd0", "device": "cd"}}
{"execute": "blockdev-change-medium", "arguments": {"device": "cd", "filename": "b.raw"}}
{"execute": "blockdev-change-medium", "arguments": {"device": "hd", "filename": "a.raw", "format": "raw"}}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "nonexistent"}}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "a.raw", "format": "qcow2"}}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "a.raw", "format": "bogus"}}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "a.raw", "read-only-mode": "bogus"}}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "c.qcow2", "format": "raw", "read-only-mode": "read-write"}}
{"execute": "query-block"}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "c.qcow2", "read-only-mode": "read-only", "force": true}}
{"execute": "query-block"}'
same_transcript "change and eject" $CD $DISKS

# The tray commands and node insertion.
export COMMANDS='{"execute": "blockdev-open-tray", "arguments": {"id": "cd0"}}
{"execute": "blockdev-open-tray", "arguments": {"id": "cd0"}}
{"execute": "query-block"}
{"execute": "blockdev-insert-medium", "arguments": {"id": "cd0", "node-name": "zz"}}
{"execute": "blockdev-add", "arguments": {"driver": "raw", "node-name": "zz", "file": {"driver": "file", "filename": "a.raw"}, "read-only": true}}
{"execute": "blockdev-insert-medium", "arguments": {"id": "cd0", "node-name": "zz"}}
{"execute": "blockdev-insert-medium", "arguments": {"id": "cd0", "node-name": "zz"}}
{"execute": "blockdev-del", "arguments": {"node-name": "zz"}}
{"execute": "query-block"}
{"execute": "blockdev-close-tray", "arguments": {"id": "cd0"}}
{"execute": "blockdev-close-tray", "arguments": {"id": "cd0"}}
{"execute": "blockdev-remove-medium", "arguments": {"id": "cd0"}}
{"execute": "blockdev-insert-medium", "arguments": {"id": "cd0", "node-name": "zz"}}
{"execute": "blockdev-open-tray", "arguments": {"device": "cd"}}
{"execute": "blockdev-remove-medium", "arguments": {"id": "cd0"}}
{"execute": "blockdev-remove-medium", "arguments": {"id": "cd0"}}
{"execute": "blockdev-del", "arguments": {"node-name": "zz"}}
{"execute": "blockdev-close-tray", "arguments": {"device": "cd"}}
{"execute": "query-block"}
{"execute": "blockdev-open-tray", "arguments": {"device": "hd"}}
{"execute": "blockdev-close-tray", "arguments": {"device": "hd"}}
{"execute": "blockdev-remove-medium", "arguments": {"id": "vd"}}
{"execute": "blockdev-close-tray", "arguments": {}}
{"execute": "blockdev-remove-medium", "arguments": {"device": "cd"}}'
same_transcript "trays and inserted nodes" $CD $DISKS

# Drives the board attached (if=scsi, if=virtio, the nvram) and one nobody uses:
# the device names (qdev, the event's id) and what is removable.
qemu-img create -q -f raw nv.raw 64K
export COMMANDS='{"execute": "query-block"}
{"execute": "blockdev-change-medium", "arguments": {"device": "scsi0-cd3", "filename": "a.raw", "format": "raw"}}
{"execute": "eject", "arguments": {"device": "scsi0-cd3"}}
{"execute": "blockdev-change-medium", "arguments": {"device": "spare", "filename": "b.raw", "format": "raw"}}
{"execute": "query-block"}
{"execute": "eject", "arguments": {"device": "spare"}}
{"execute": "eject", "arguments": {"device": "virtio0"}}
{"execute": "eject", "arguments": {"device": "pflash0"}}
{"execute": "query-block"}'
same_transcript "board drives" -nodefaults -drive if=scsi,index=3,media=cdrom \
    -drive if=scsi,index=1,file=hd.raw,format=raw -drive if=virtio,file=vd.raw,format=raw \
    -drive if=pflash,file=nv.raw,format=raw -drive if=none,id=spare
export COMMANDS='{"execute": "query-block"}
{"execute": "eject", "arguments": {"device": "hd"}}
{"execute": "blockdev-change-medium", "arguments": {"device": "hd", "filename": "b.raw", "format": "raw"}}
{"execute": "query-block"}
{"execute": "blockdev-change-medium", "arguments": {"device": "cd", "filename": "a.raw", "format": "raw"}}
{"execute": "eject", "arguments": {"device": "v"}}'
same_transcript "anonymous devices" -nodefaults -device spapr-vscsi \
    -drive if=none,id=cd,media=cdrom -device scsi-cd,drive=cd \
    -drive if=none,id=hd,file=hd.raw,format=raw -device scsi-hd,drive=hd,removable=on \
    -drive if=none,id=v,file=vd.raw,format=raw -device virtio-blk-pci,drive=v

# HMP's change and eject (human-monitor-command).
hmp() { printf '{"execute": "human-monitor-command", "arguments": {"command-line": "%s"}}\n' "$1"; }
export COMMANDS="$(hmp 'help change')
$(hmp 'help eject')
$(hmp 'eject')
$(hmp 'eject nope')
$(hmp 'eject -f nope')
$(hmp 'change nope a.raw')
$(hmp 'change cd a.raw')
$(hmp 'info block')
$(hmp 'eject cd')
$(hmp 'eject cd')
$(hmp 'info block')
$(hmp 'change cd a.raw raw')
$(hmp 'change cd -f b.raw raw read-only')
$(hmp 'change cd a.raw raw bogus')
$(hmp 'change cd a.raw bogus')
$(hmp 'change hd a.raw raw')
$(hmp 'eject hd')
$(hmp 'eject -f cd')
$(hmp 'change')
$(hmp 'change cd')
$(hmp 'change cd a b c d')
$(hmp 'eject cd x')
$(hmp 'info block')"
same_transcript "HMP change and eject" $CD $DISKS

tap_done

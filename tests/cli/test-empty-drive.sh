#!/bin/bash
# Empty drives (-drive without file=) and the board's default empty CD-ROM against
# QEMU 7.2: which options make a drive empty or fail, the errors of devices that need a
# medium, and the drives query-block lists (names, no "inserted" without a medium).
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi

# Both emulators' first stderr line (exit 1) for the same options.
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

same_error -drive id=x,readonly=on
same_error -drive id=x,snapshot=on
same_error -drive id=x,aio=threads
same_error -drive id=x,if=virtio
same_error -drive if=scsi,index=1
same_error -drive id=x,cache=writeback
same_error -drive id=x,discard=unmap
same_error -drive id=x,format=raw
same_error -drive if=none,id=x -device virtio-blk-pci,drive=x
same_error -drive if=none,id=x -device spapr-vscsi -device scsi-hd,drive=x
same_error -drive if=pflash
same_error -drive if=none,id=n -global spapr-nvram.drive=n

# The drives query-block lists: "device:inserted-or-empty" sorted, without QEMU's own
# floppy0 and sd0 (this board has no floppy or SD interfaces: see docs/devel/block.rst).
blocks() { # EMULATOR ARGS...
    local emu=$1
    shift
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-block"}' \
        '{"execute":"quit"}' |
        timeout 20 "$emu" -M pseries -display none -S -qmp stdio "$@" 2>/dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if isinstance(m.get("return"), list):
        for b in sorted(m["return"], key=lambda b: b["device"]):
            if b["device"] not in ("floppy0", "sd0"):
                print("%s:%s" % (b["device"], "inserted" if "inserted" in b else "empty"))'
}
same_blocks() {
    local want got
    want=$(blocks "$ORACLE" -vga none "$@")
    got=$(blocks "$QEMU" "$@")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        ok "query-block as QEMU 7.2 ($(echo $want)): ${*:-no options}"
    else
        not_ok "query-block as QEMU 7.2: ${*:-no options}" "QEMU 7.2: $(echo $want)" \
            "ours: $(echo $got)"
    fi
}
raw=$TMP/d.raw
qemu-img create -f raw "$raw" 1M >/dev/null
same_blocks
same_blocks -drive if=scsi,index=3,media=cdrom
same_blocks -drive if=scsi,index=2,media=cdrom,file="$raw",format=raw
same_blocks -drive if=scsi,index=0,file="$raw",format=raw
same_blocks -device virtio-scsi-pci
same_blocks -nodefaults -drive if=none,id=cd
same_blocks -nodefaults -drive if=none,id=cd,media=cdrom -device spapr-vscsi -device scsi-cd,drive=cd
same_blocks -drive if=none,id=cd -device spapr-vscsi -device scsi-cd,drive=cd
same_blocks -drive if=none,id=hd,file="$raw",format=raw -device spapr-vscsi -device scsi-hd,drive=hd

# Without -nodefaults the empty CD sits on a spapr-vscsi of its own: a v-scsi node with
# a CD at target 2 for the firmware to find (QEMU 7.2's l-lan before it is not there yet).
DTB=$TMP/ours.dtb
run -M pseries,dumpdtb="$DTB"
vscsi=$(fdtget -l "$DTB" /vdevice | grep '^v-scsi@')
if [ "$RC" = 0 ] && [ -n "$vscsi" ] &&
   [ "$(fdtget -t s "$DTB" /vdevice/$vscsi compatible)" = "IBM,v-scsi" ]; then
    ok "the default machine has a v-scsi adapter ($vscsi)"
else
    not_ok "the default machine has a v-scsi adapter" "exit $RC: $ERR" \
        "vdevice: $(fdtget -l "$DTB" /vdevice 2>&1 | tr '\n' ' ')"
fi
run -M pseries,dumpdtb="$DTB" -nodefaults
if [ "$RC" = 0 ] && ! fdtget -l "$DTB" /vdevice | grep -q '^v-scsi@'; then
    ok "-nodefaults: no v-scsi adapter"
else
    not_ok "-nodefaults: no v-scsi adapter" "vdevice: $(fdtget -l "$DTB" /vdevice 2>&1 | tr '\n' ' ')"
fi

tap_done

#!/bin/bash
# Image locks of drives and their devices against QEMU 7.2: two drives (or two
# processes, ours and QEMU) on one image exclude each other as QEMU's permissions
# say (a writable disk shares no writes, a CD shares no writes nor resizes,
# share-rw=on and read-only users coexist), with QEMU's messages; the bytes our
# process locks are the bytes QEMU locks; a medium change respects other users.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi
cd "$TMP" || exit 1
qemu-img create -q -f raw a.raw 1M
qemu-img create -q -f raw b.raw 1M
qemu-img create -q -f qcow2 -b a.raw -F raw ov.qcow2

# same ARGS...: exit status and stderr are QEMU 7.2's, its TCG capability
# warnings included (a machine that starts dumps its tree at reset and exits 0).
same() {
    local ours theirs orc
    timeout 20 "$QEMU" -M pseries,dumpdtb="$TMP/o.dtb" -nodefaults -display none "$@" \
        </dev/null >/dev/null 2>"$TMP/ours.err"
    RC=$?
    timeout 20 "$ORACLE" -M pseries,dumpdtb="$TMP/q.dtb" -nodefaults -display none -vga none \
        "$@" </dev/null >/dev/null 2>"$TMP/oracle.err"
    orc=$?
    ours=$(sed "s|$TMP/o.dtb|DTB|" "$TMP/ours.err")
    theirs=$(sed "s|$TMP/q.dtb|DTB|" "$TMP/oracle.err")
    if [ "$RC" = "$orc" ] && [ "$ours" = "$theirs" ]; then
        ok "as QEMU 7.2 (exit $RC): $*"
    else
        not_ok "as QEMU 7.2: $*" "ours: exit $RC: $ours" "QEMU: exit $orc: $theirs"
    fi
}

R=file=a.raw,format=raw
same -drive $R,if=virtio -drive $R,if=virtio
same -drive $R,if=virtio -cdrom a.raw
same -cdrom a.raw -drive $R,if=virtio
same -drive $R,if=scsi -drive $R,if=scsi,index=1
same -drive $R,if=none,id=x -drive $R,if=none,id=y
same -drive $R,if=none,id=x -device virtio-blk-pci,drive=x -drive $R,if=none,id=y \
    -device virtio-blk-pci,drive=y
same -drive $R,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on -drive $R,if=none,id=y \
    -device virtio-blk-pci,drive=y,share-rw=on
same -drive $R,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on -drive $R,if=none,id=y \
    -device virtio-blk-pci,drive=y
same -drive $R,if=virtio,readonly=on -drive $R,if=virtio,readonly=on
same -drive $R,if=virtio -drive $R,if=virtio,readonly=on
same -drive $R,if=virtio,readonly=on -drive $R,if=virtio
same -drive $R,if=virtio,file.locking=off -drive $R,if=virtio,file.locking=off
same -drive $R,if=virtio -drive $R,if=virtio,file.locking=off
same -drive $R,if=pflash -drive $R,if=virtio
same -drive $R,if=pflash -drive $R,if=pflash,unit=1
same -cdrom a.raw -drive $R,if=scsi,index=3,media=cdrom
same -drive $R,if=none,id=x -device spapr-vscsi -device scsi-hd,drive=x,share-rw=on \
    -drive $R,if=none,id=y -device scsi-cd,drive=y
same -drive $R,if=none,id=x -device spapr-vscsi -device scsi-hd,drive=x,share-rw=on \
    -drive $R,if=none,id=y -device scsi-cd,drive=y,share-rw=on
# A qcow2 overlay reads its backing file and shares no writes to it (unless its
# device shares writes): readers coexist, a writer of the backing file is refused.
qemu-img create -q -f qcow2 -b ov.qcow2 -F qcow2 ov2.qcow2
O=file=ov.qcow2,format=qcow2
same -drive $O,if=virtio -drive $R,if=virtio,readonly=on
same -drive $O,if=virtio -drive $O,if=virtio
same -drive $O,if=virtio -drive $R,if=virtio
same -drive $R,if=virtio -drive $O,if=virtio
same -drive file=ov2.qcow2,format=qcow2,if=virtio -drive $R,if=virtio
same -drive $O,if=virtio,readonly=on -drive $R,if=virtio
same -drive $O,if=none,id=x -drive $R,if=virtio
same -drive $O,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on -drive $R,if=virtio
same -drive $O,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on -drive $R,if=none,id=y \
    -device virtio-blk-pci,drive=y,share-rw=on
same -drive $R,if=virtio,snapshot=on -drive $R,if=virtio
same -drive $O,if=virtio -cdrom a.raw

# locks EMULATOR ARGS...: the byte ranges held on a.raw (OFD locks have no pid in
# /proc/locks: the process is the image's only user), once it runs.
locks() {
    local emu=$1 pid ino out=""
    shift
    "$emu" -M pseries -nodefaults -display none -S "$@" </dev/null >/dev/null 2>&1 &
    pid=$!
    ino=$(stat -c %i a.raw)
    # The set once it stops changing (under load the devices take their
    # permissions a while after the drives open).
    local prev=""
    for _ in $(seq 40); do
        sleep 0.5
        out=$(awk -v i=":$ino\$" '$6 ~ i {print $7 "-" $8}' /proc/locks |
              sort -n | tr '\n' ' ')
        [ -n "$out" ] && [ "$out" = "$prev" ] && break
        prev=$out
    done
    echo "$out"
    kill "$pid"
    wait "$pid" 2>/dev/null
}
same_locks() {
    local want got
    want=$(locks "$ORACLE" -vga none "$@")
    got=$(locks "$QEMU" "$@")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        ok "locked bytes as QEMU 7.2 ($want): $*"
    else
        not_ok "locked bytes as QEMU 7.2: $*" "QEMU 7.2: $want" "ours: $got"
    fi
}
same_locks -drive $R,if=none,id=x
same_locks -drive $R,if=virtio
same_locks -drive $R,if=virtio,readonly=on
same_locks -cdrom a.raw
same_locks -drive $R,if=scsi
same_locks -drive $R,if=pflash
same_locks -drive $R,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on
same_locks -drive $R,if=none,id=x -device spapr-vscsi -device scsi-hd,drive=x,share-rw=on
# a.raw as a backing file
same_locks -drive $O,if=virtio
same_locks -drive file=ov2.qcow2,format=qcow2,if=virtio
same_locks -drive $O,if=none,id=x -device virtio-blk-pci,drive=x,share-rw=on

# Two processes: ours and QEMU keep each other off a written image, both ways.
other_refuses() { # HOLDER TRY DESCRIPTION: HOLDER runs with a writable disk on a.raw
    local holder=$1 try=$2 what=$3 pid err
    "$holder" -M pseries -nodefaults -display none -S $4 -drive $R,if=virtio \
        </dev/null >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 50); do
        grep -q ":$(stat -c %i a.raw) 201 201" /proc/locks && break
        sleep 0.1
    done
    err=$(timeout 20 "$try" -M pseries,dumpdtb="$TMP/x.dtb" -nodefaults -display none $5 \
          -drive $R,if=virtio,readonly=on </dev/null 2>&1 >/dev/null |
          grep -v "TCG doesn't support")
    kill "$pid"
    wait "$pid" 2>/dev/null
    if [ "$err" = "qemu-system-ppc64: -drive $R,if=virtio,readonly=on: Failed to get shared \"write\" lock
Is another process using the image [a.raw]?" ]; then
        ok "$what"
    else
        not_ok "$what" "got: $err"
    fi
}
other_refuses "$QEMU" "$ORACLE" "QEMU 7.2 cannot read an image our disk writes" "" "-vga none"
other_refuses "$ORACLE" "$QEMU" "we cannot read an image QEMU 7.2's disk writes" "-vga none" ""

# A new medium respects the image's other users: a CD refuses an image another
# process writes; readers share.
"$ORACLE" -M pseries -nodefaults -display none -vga none -S -drive file=b.raw,format=raw,if=virtio \
    </dev/null >/dev/null 2>&1 &
HOLDER=$!
for _ in $(seq 50); do
    grep -q ":$(stat -c %i b.raw) 201 201" /proc/locks && break
    sleep 0.1
done
export COMMANDS='{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "b.raw", "format": "raw"}}
{"execute": "query-block"}
{"execute": "blockdev-change-medium", "arguments": {"id": "cd0", "filename": "a.raw", "format": "raw"}}
{"execute": "blockdev-add", "arguments": {"driver": "raw", "node-name": "n", "file": {"driver": "file", "filename": "b.raw"}, "read-only": true}}
{"execute": "blockdev-open-tray", "arguments": {"id": "cd0"}}
{"execute": "blockdev-remove-medium", "arguments": {"id": "cd0"}}
{"execute": "blockdev-insert-medium", "arguments": {"id": "cd0", "node-name": "n"}}
{"execute": "query-block"}'
CDARGS="-nodefaults -drive if=none,id=cd,media=cdrom -device spapr-vscsi -device scsi-cd,drive=cd,id=cd0"
want=$(python3 "$SRCDIR/tests/cli/qmp-media.py" "$ORACLE" -M pseries -display none -vga none -S \
       $CDARGS 2>&1)
got=$(python3 "$SRCDIR/tests/cli/qmp-media.py" "$QEMU" -M pseries -display none -S $CDARGS 2>&1)
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
if [ -n "$want" ] && [ "$want" = "$got" ] && echo "$got" | grep -q 'shared \\"write\\" lock'; then
    ok "a medium change respects another process's locks as QEMU 7.2"
else
    not_ok "a medium change respects another process's locks as QEMU 7.2" \
        "$(diff <(echo "$want") <(echo "$got") | head -30)"
fi

tap_done

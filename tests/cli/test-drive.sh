# -drive and -blockdev against QEMU 7.2 (Debian's qemu-system-ppc64) run
# with the same arguments: messages and exit status for bad options, the
# probing warning, and the QMP block queries' replies.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
P=qemu-system-ppc64
cd "$TMP" || exit 1
head -c 1048576 /dev/zero >r.img
head -c 4096 /dev/zero >small.img
qemu-img create -q -f qcow2 q.qcow2 4M
qemu-img create -q -f qcow2 -b r.img -F raw ov.qcow2
qemu-img create -q -f qcow2 -o compat=0.10,cluster_size=4096 v2.qcow2 2M

# same ARGS...: our exit status and stderr are QEMU 7.2's (its TCG capability
# warnings aside), with the machine dumping its tree and exiting at reset.
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

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit 1
fi

# -drive: bad values, names and files.
same -drive file=nope.img
same -drive file=r.img,format=foo
same -drive file=r.img,if=none,foo=bar
same -drive file=q.qcow2,if=none,format=raw,foo=bar
same -drive file=q.qcow2,if=none,foo=1
same -drive file=r.img,if=none,format=qcow2
same -drive file=r.img,if=none,cache=bogus
same -drive file=r.img,if=none,media=disk2
same -drive file=r.img,if=none,discard=foo
same -drive file=r.img,if=none,aio=foo
same -drive file=r.img,if=ide,format=raw
same -drive file=r.img,if=bogus
same -drive file=r.img,if=virtio,unit=2,index=1,format=raw
same -drive file=r.img,if=scsi,unit=7,format=raw
same -drive file=r.img,if=none,format=raw,snapshot=foo
same -drive file=r.img,if=none,format=raw,readonly=foo
same -drive file=r.img,format=raw,if=none,node-name=1x
same -drive file=r.img,format=raw,if=none,id=1x
same -drive file=r.img,format=raw,if=none,werror=bogus
same -drive file=r.img,format=raw,if=none,rerror=enospc
same -drive file=r.img,format=raw,if=none,file.locking=bad
same -drive if=none,format=raw
same -drive if=none,id=a,file=r.img,format=raw -drive if=none,id=a,file=r.img,format=raw
same -drive file=r.img,format=raw,if=none,node-name=x -drive file=r.img,format=raw,if=none,node-name=x
same -drive file=r.img,format=raw,if=none,offset=2000000
same -drive file=v2.qcow2,if=none,format=qcow2,backing.driver=foo
# Accepted (the probing warning is QEMU's three lines, read-only images spared).
same -drive file=r.img,if=none
same -drive file=r.img,if=none,readonly=on
same -drive file=r.img,if=none,snapshot=on
same -drive file=r.img,if=none,media=cdrom
same -drive file=r.img,if=none,format=raw,cache=none
same -drive file=r.img,if=none,format=raw,cache=unsafe,aio=io_uring,discard=unmap
same -drive file=ov.qcow2,if=none,format=qcow2,cache=writethrough,snapshot=on
same -drive file=v2.qcow2,if=none
same -drive file=r.img,format=raw,if=none,offset=512,size=1024
same -snapshot -drive file=q.qcow2,if=none,format=qcow2

# The legacy disk options and a lone image argument.
same nope.img
same -hdd nope.img
# They go to the spapr-vscsi QEMU's pseries creates for SCSI drives (after the nvram:
# v-scsi@71000001 under -nodefaults), QEMU's names and units, nothing orphaned.
head -c 1048576 /dev/zero >cd.img
run -M pseries,dumpdtb="$TMP/o.dtb" -nodefaults -display none r.img -hdb q.qcow2 -cdrom cd.img
if [ "$RC" = 0 ] && ! printf '%s' "$ERR" | grep -q "Orphaned" &&
   [ "$(fdtget "$TMP/o.dtb" /vdevice/v-scsi@71000001 compatible 2>&1)" = "IBM,v-scsi" ]; then
    ok "an image argument, -hdb and -cdrom: drives on spapr-vscsi v-scsi@71000001"
else
    not_ok "an image argument, -hdb and -cdrom" "exit $RC, stderr: $ERR"
fi
same -hda r.img -drive file=r.img,index=0

# -blockdev, key=value and JSON.
same -blockdev driver=file
same -blockdev node-name=a
same -blockdev driver=foo,node-name=a
same -blockdev driver=file,filename=r.img,foo=1
same -blockdev driver=file,filename=r.img
same -blockdev driver=raw,file=zz,node-name=a
same -blockdev driver=raw,file.filename=r.img,node-name=a
same -blockdev driver=raw,file.driver=file,file.filename=r.img,file.bar=1,node-name=a
same -blockdev driver=qcow2,file.driver=file,file.filename=r.img,node-name=a
same -blockdev driver=file,filename=r.img,node-name=1a
same -blockdev driver=file,filename=r.img,node-name=a,read-only=maybe
same -blockdev driver=file,filename=r.img,node-name=a,discard=x
same -blockdev driver=file,filename=nope.img,node-name=a
same -blockdev driver=file,filename=r.img,node-name=a -blockdev driver=file,filename=r.img,node-name=a
same -blockdev driver=file,filename=r.img,node-name=a -drive if=none,id=a,file=r.img,format=raw
same -blockdev driver=raw,file.driver=file,file.filename=r.img,node-name=a,cache.direct=on
same -blockdev '{"driver":"file","filename":"r.img","node-name":"j"}'
same -blockdev '{"driver":"raw","file":{"driver":"file","filename":"r.img"},"node-name":"j","foo":1}'
same -blockdev '{"driver":"qcow2","file":{"driver":"file","filename":"ov.qcow2"},"node-name":"j"}'
same -blockdev driver=file,filename=r.img,node-name=f -blockdev driver=raw,file=f,node-name=r

# QMP: query-block and query-named-block-nodes as QEMU answers them.
qmp_same() {
    local name=$1
    shift
    python3 "$SRCDIR/tests/cli/qmp-block.py" "$QEMU" -M pseries -nodefaults -display none -S \
        "$@" >"$TMP/ours.json" 2>"$TMP/ours.qerr"
    python3 "$SRCDIR/tests/cli/qmp-block.py" "$ORACLE" -M pseries -nodefaults -display none \
        -vga none -S "$@" >"$TMP/oracle.json" 2>/dev/null
    if cmp -s "$TMP/ours.json" "$TMP/oracle.json"; then
        ok "QMP as QEMU 7.2: $name"
    else
        not_ok "QMP as QEMU 7.2: $name" "$(diff "$TMP/oracle.json" "$TMP/ours.json" | head -40)" \
            "$(cat "$TMP/ours.qerr")"
    fi
}
export COMMANDS='{"execute":"query-block"}
{"execute":"query-named-block-nodes"}
{"execute":"query-named-block-nodes","arguments":{"flat":true}}'
qmp_same "a qcow2 drive with a raw backing file" \
    -drive if=none,id=d0,file="$TMP/ov.qcow2",format=qcow2
qmp_same "cache=none, readonly" -drive if=none,id=d1,file="$TMP/r.img",format=raw,cache=none,readonly=on
qmp_same "cache=unsafe, v2 qcow2" -drive if=none,id=d2,file="$TMP/v2.qcow2",format=qcow2,cache=unsafe
qmp_same "a -blockdev node" \
    -blockdev driver=raw,file.driver=file,file.filename="$TMP/r.img",node-name=b1,read-only=on
export COMMANDS='{"execute":"blockdev-add","arguments":{"driver":"file","filename":"'"$TMP"'/r.img","node-name":"n2"}}
{"execute":"blockdev-add","arguments":{"driver":"file","filename":"'"$TMP"'/r.img","node-name":"n2"}}
{"execute":"blockdev-add","arguments":{"driver":"raw","file":"n2","node-name":"n3"}}
{"execute":"blockdev-add","arguments":{"file":"n2","node-name":"n4"}}
{"execute":"blockdev-add","arguments":{"driver":"raw","file":"n2"}}
{"execute":"query-named-block-nodes"}
{"execute":"blockdev-del","arguments":{"node-name":"n3"}}
{"execute":"blockdev-del","arguments":{"node-name":"n3"}}
{"execute":"blockdev-del","arguments":{"node-name":"n2"}}
{"execute":"blockdev-del","arguments":{}}
{"execute":"query-named-block-nodes"}'
qmp_same "blockdev-add and blockdev-del"

tap_done

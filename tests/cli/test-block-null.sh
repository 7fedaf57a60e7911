# The null-co and null-aio protocol drivers (block/null.c) against QEMU 7.2
# (Debian's qemu-system-ppc64) run with the same arguments: messages and exit
# status, and the QMP block queries' replies.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
cd "$TMP" || exit 1

# same ARGS...: our exit status and stderr are QEMU 7.2's, its TCG capability warnings included.
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

# qmp_same NAME ARGS...: the replies to $COMMANDS are QEMU 7.2's.
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

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit 1
fi

# -drive file=PROTOCOL:...: the protocol prefix picks the driver.
same -drive if=none,id=d0,file=null-co://
same -drive if=none,id=d0,file=null-co://,file.read-zeroes=on,format=raw
same -drive if=none,id=d0,file=null-aio://,format=raw,file.size=1M,file.latency-ns=1000
same -drive if=none,id=d0,file=null-co://x
same -drive if=none,id=d0,file=null-aio:foo
same -drive if=none,id=d0,file=foo:bar
same -drive if=none,id=d0,file=null-co://,format=qcow2
same -drive if=none,id=d0,file=null-co://,file.foo=1,format=raw
same -blockdev driver=null-co,node-name=n0,read-zeroes=maybe
same -drive if=none,id=d0,file=null-co://,format=raw,aio=native,cache=none
same -drive if=none,id=d0,driver=null-co,read-zeroes=on
same -drive if=none,id=d0,driver=null-co,format=raw
same -drive if=virtio,file=null-co://,file.read-zeroes=on,format=raw
# -blockdev driver=null-co|null-aio.
same -blockdev driver=null-co,node-name=n0
same -blockdev driver=null-aio,node-name=n0,size=4096,read-zeroes=on,latency-ns=5
same -blockdev driver=null-co,node-name=n0,latency-ns=-1
same -blockdev driver=null-co,node-name=n0,filename=null-co://
same -blockdev driver=raw,node-name=n1,file.driver=null-co,file.size=1000
same -blockdev '{"driver":"null-co","node-name":"j","read-zeroes":true,"size":65536}'

export COMMANDS='{"execute":"query-block"}
{"execute":"query-named-block-nodes"}
{"execute":"query-named-block-nodes","arguments":{"flat":true}}'
qmp_same "-drive file=null-co:// (probed raw)" -drive if=none,id=d0,file=null-co://
qmp_same "-drive file=null-aio://,format=raw" -drive if=none,id=d0,file=null-aio://,format=raw
qmp_same "-blockdev driver=null-co" -blockdev driver=null-co,node-name=n0,latency-ns=10
export COMMANDS='{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"a"}}
{"execute":"blockdev-add","arguments":{"driver":"null-aio","node-name":"b","latency-ns":-5}}
{"execute":"blockdev-add","arguments":{"driver":"raw","node-name":"c","file":"a"}}
{"execute":"query-named-block-nodes","arguments":{"flat":true}}
{"execute":"blockdev-del","arguments":{"node-name":"c"}}
{"execute":"blockdev-del","arguments":{"node-name":"a"}}'
qmp_same "blockdev-add and blockdev-del of null-co nodes"

tap_done

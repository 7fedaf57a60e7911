#!/bin/bash
# -chardev logfile= and logappend= (every backend) and QMP chardev-add's
# logfile/logappend against QEMU 7.2: the log holds what the frontend wrote
# (an HMP monitor's banner and prompt), appended to or emptied first, and the
# errors.
. "$(dirname "$0")/lib.sh"
need_oracle

# logged BINARY TAG CHARDEV-OPTS: a readline monitor on a file chardev with the
# options; prints the log's bytes (octal dump).
logged() {
    local q=$1 tag=$2
    shift 2
    printf 'old\n' >"$TMP/$tag.log"
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
        timeout 20 "$q" -M none -display none -chardev "file,id=c,path=$TMP/$tag.out,$*" \
            -mon chardev=c,mode=readline -qmp stdio >/dev/null 2>&1
    od -c "$TMP/$tag.log"
}

for o in "logfile=$TMP/L.log,logappend=on" "logfile=$TMP/L.log,logappend=off" \
    "logfile=$TMP/L.log"; do
    ours=$(logged "$QEMU" L "$o")
    theirs=$(logged "$ORACLE" L "$o")
    [ -n "$theirs" ] && [ "$ours" = "$theirs" ] && ok "-chardev file,$o: the log as QEMU 7.2's" ||
        not_ok "-chardev file,$o: the log as QEMU 7.2's" "ours:" "$ours" "QEMU:" "$theirs"
done

# Every backend takes the keys.
for b in null "ringbuf,size=4096" "socket,path=$TMP/s,server=on,wait=off" "pty" \
    "udp,port=0,localport=0" "file,path=$TMP/f"; do
    timeout 2 "$QEMU" -M none -display none -monitor none -chardev "$b,id=c,logfile=$TMP/b.log" \
        -S </dev/null >/dev/null 2>"$TMP/ours-err"
    rc="$? $([ -e "$TMP/b.log" ] && echo logged)"
    rm -f "$TMP/b.log"
    timeout 2 "$ORACLE" -M none -display none -monitor none -chardev "$b,id=c,logfile=$TMP/b.log" \
        -S </dev/null >/dev/null 2>"$TMP/theirs-err"
    rc2="$? $([ -e "$TMP/b.log" ] && echo logged)"
    rm -f "$TMP/b.log"
    [ "$rc" = "$rc2" ] && ok "-chardev $b,logfile=: as QEMU 7.2 (exit $rc)" ||
        not_ok "-chardev $b,logfile=: as QEMU 7.2" "ours: exit $rc $(cat "$TMP/ours-err")" \
            "QEMU: exit $rc2 $(cat "$TMP/theirs-err")"
done

for o in "logfile=/nonexistent/x" "logfile=$TMP/x.log,logappend=maybe"; do
    run -M none -display none -chardev "null,id=c,$o"
    ours="$RC $ERR"
    theirs="$(timeout 10 "$ORACLE" -M none -display none -chardev "null,id=c,$o" </dev/null 2>&1 \
        >/dev/null; echo "rc $?")"
    theirs="${theirs##*rc } ${theirs%$'\n'rc *}"
    [ "$ours" = "$theirs" ] && ok "-chardev null,$o: $ERR" ||
        not_ok "-chardev null,$o: as QEMU 7.2" "ours: $ours" "QEMU: $theirs"
done

# QMP chardev-add with a log (query-chardev in QEMU's hash order: sorted).
QMP_SAME_FILTER=chardev_norm qmp_same "chardev-add logfile" -M none -nodefaults <<EOF2
{"execute":"chardev-add","arguments":{"id":"a","backend":{"type":"null","data":{"logfile":"$TMP/q.log","logappend":true}}}}
{"execute":"chardev-add","arguments":{"id":"b","backend":{"type":"file","data":{"out":"$TMP/q2","logfile":"/nonexistent/x"}}}}
{"execute":"query-chardev"}
EOF2

tap_done

# query-memdev and query-iothreads against QEMU 7.2: every memory backend (and the
# machine's own RAM backend when no backend gives the RAM) and every iothread, in
# QEMU's /objects order (GLib's hash table order, qom/qom-order.c), with their
# properties; each iothread has a host thread of its own.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

# replies BINARY ARGS...: the query-memdev and query-iothreads replies, thread ids as T.
replies() {
    local q=$1
    shift
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-memdev"}' \
        '{"execute":"query-iothreads"}' '{"execute":"quit"}' |
        timeout 20 "$q" -display none -M pseries -S -nodefaults -qmp stdio "$@" 2>/dev/null |
        sed -n '3,4p' | sed 's/"thread-id": [0-9]*/"thread-id": T/g'
}

# same ARGS...: ours answers as QEMU 7.2.
same() {
    local ours theirs
    ours=$(replies "$QEMU" "$@")
    theirs=$(replies "$ORACLE" -vga none "$@")
    if [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
        ok "query-memdev/iothreads as QEMU 7.2: $*"
    else
        not_ok "query-memdev/iothreads as QEMU 7.2: $*" "ours: $ours" "QEMU: $theirs"
    fi
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
fi
same -m 1G
same -m 1G -object iothread,id=io1 -object memory-backend-ram,id=m0,size=1G -object iothread,id=zz \
    -object memory-backend-memfd,id=m9,size=256M,share=on -object iothread,id=io2
same -m 1G $(for i in $(seq 1 12); do echo -object memory-backend-ram,id=mem$i,size=64M; done) \
    -object iothread,id=t1 -object iothread,id=t2
same -m 1G -M pseries,memory-backend=m0 -object memory-backend-ram,id=m0,size=1G,dump=off,merge=off,prealloc=on
same -m 2G -object memory-backend-ram,id=a,size=1G -object memory-backend-ram,id=b,size=1G \
    -object memory-backend-ram,id=c,size=1G -numa node,memdev=a -numa node,memdev=b
same -m 1G $(for i in $(seq 1 20); do echo -object iothread,id=iothread-$i; done)

# Each iothread's thread-id is a thread of the process, not the main one.
exec 3< <(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-iothreads"}'; sleep 3)
"$QEMU" -display none -M pseries -S -nodefaults -qmp stdio -object iothread,id=a \
    -object iothread,id=b <&3 >"$TMP/io" 2>/dev/null &
pid=$!
sleep 2
tids=$(sed -n 3p "$TMP/io" | grep -o '"thread-id": [0-9]*' | grep -o '[0-9]*$')
good=0
for t in $tids; do
    [ "$t" != "$pid" ] && [ -d "/proc/$pid/task/$t" ] && good=$((good + 1))
done
kill $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$good" = 2 ] && ok "two iothreads, two threads of their own" ||
    not_ok "two iothreads, two threads of their own" "pid $pid, reply: $(cat "$TMP/io")"

tap_done

# query-chardev and info chardev list the chardevs in QEMU 7.2's order (its
# chardevs container's hash table, built by the same additions and removals:
# -chardev and the monitors' chardevs in command-line order, then -serial's,
# then chardev-add's), each with QEMU's frontend-open: a mux and its base
# open once a frontend uses the mux.  -nographic with a monitor given puts
# the serial port alone on stdio.  -chardev udp's ipv4= and ipv6= choose
# the remote address's family (the local one follows), with QEMU's errors.
# Every reply and message is compared with QEMU 7.2's.
. "$(dirname "$0")/lib.sh"
need_oracle

q='{"execute": "query-chardev"}'
hmp='{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}'

# list_same NAME ARGS...: query-chardev and info chardev as QEMU 7.2's.
list_same() {
    qmp_sock_same "$@" <<<"$q
$hmp"
}

list_same "ten chardevs" -M pseries -nodefaults \
    -chardev null,id=a -chardev null,id=b -chardev null,id=c -chardev null,id=d \
    -chardev null,id=e -chardev null,id=f -chardev null,id=g -chardev null,id=h -serial null
list_same "-serial mon:stdio" -M pseries -serial mon:stdio
list_same "-serial mon:stdio -monitor none" -M pseries \
    -serial mon:stdio -monitor none
list_same "-serial mon:null -monitor null" -M pseries -nodefaults \
    -serial mon:null -monitor null
list_same "-nographic with -qmp: serial0 is stdio alone" -M pseries \
    -nographic
list_same "-nographic -monitor none" -M pseries -nographic -monitor none
# The default serial port without -nographic is a virtual console ("vc"),
# whatever else is given; -monitor vc is one too.
list_same "default serial0 with -display none" -M pseries
list_same "default serial0, -monitor none" -M pseries -monitor none
list_same "default serial0, -monitor stdio" -M pseries -monitor stdio
list_same "-monitor vc" -M pseries -monitor vc
list_same "-serial vc" -M pseries -serial vc
list_same "-nodefaults -serial vc:80Cx24C" -M pseries -nodefaults -serial vc:80Cx24C
list_same "-chardev vc" -M pseries -nodefaults -chardev vc,id=v,cols=80,rows=24 -serial chardev:v
list_same "-serial none: no serial0" -M pseries -serial none
list_same "-nographic -serial none" -M pseries -nographic -serial none
list_same "a mux nobody uses" -M none -nodefaults \
    -chardev null,id=a,mux=on
list_same "a mux with two monitors" -M none -nodefaults \
    -chardev null,id=a,mux=on -mon a -mon a
list_same "a mux with a serial port" -M pseries -nodefaults \
    -chardev null,id=a,mux=on -serial chardev:a
list_same "a mux with a serial port and -monitor" -M pseries -nodefaults \
    -chardev null,id=a,mux=on -serial chardev:a -monitor chardev:a
list_same "-monitor chardev: before its -chardev" -M pseries -nodefaults \
    -monitor chardev:a -chardev null,id=a,mux=on -serial chardev:a
qmp_sock_same "chardev-add, chardev-remove, chardev-change" -M pseries -nodefaults \
    -chardev null,id=k1 -monitor null -chardev null,id=k2 -chardev null,id=k3 \
    -serial mon:null -chardev null,id=k4 <<'QMP'
{"execute": "chardev-add", "arguments": {"id": "x1", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-add", "arguments": {"id": "x2", "backend": {"type": "ringbuf", "data": {}}}}
{"execute": "query-chardev"}
{"execute": "chardev-remove", "arguments": {"id": "k2"}}
{"execute": "chardev-add", "arguments": {"id": "x3", "backend": {"type": "null", "data": {}}}}
{"execute": "chardev-change", "arguments": {"id": "k3", "backend": {"type": "ringbuf", "data": {}}}}
{"execute": "query-chardev"}
{"execute": "human-monitor-command", "arguments": {"command-line": "info chardev"}}
QMP

# -chardev udp: stderr and exit status as QEMU 7.2's.
udp_same() {
    local rc1 rc2
    timeout 20 "$QEMU" -M none -display none -S -nodefaults -monitor none \
        -chardev "udp,id=u,$1" </dev/null >"$TMP/ours" 2>&1
    rc1=$?
    timeout 20 "$ORACLE" -M none -display none -S -nodefaults -monitor none \
        -chardev "udp,id=u,$1" </dev/null >"$TMP/theirs" 2>&1
    rc2=$?
    if [ "$rc2" = 1 ] && [ "$rc1" = "$rc2" ] && cmp -s "$TMP/ours" "$TMP/theirs"; then
        ok "udp,$1: $(cat "$TMP/theirs")"
    else
        not_ok "udp,$1: as QEMU 7.2" "ours (exit $rc1): $(cat "$TMP/ours")" \
            "oracle (exit $rc2): $(cat "$TMP/theirs")"
    fi
}
udp_same host=::1,port=5555,ipv4=on
udp_same host=127.0.0.1,port=5555,ipv4=off,ipv6=off
udp_same host=x,ipv4=off,ipv6=off
udp_same host=127.0.0.1,port=5555,ipv4=x
udp_same host=127.0.0.1,port=5555,ipv6=x
udp_same host=127.0.0.1,port=5555,localaddr=::1,ipv4=on
udp_same host=::1,port=5555,localaddr=127.0.0.1
udp_same host=127.0.0.1,port=5555,localaddr=::1,localport=5556
udp_same port=5555,localaddr=::,ipv4=on
udp_same host=localhost,port=5555,ipv6=off,localaddr=::1
udp_same host=localhost,port=5555,ipv4=off,localaddr=127.0.0.1
udp_same host=127.0.0.1,port=5555,ipv6=on,localaddr=127.0.0.1

# The ones that open: IPv4 mapped into IPv6 with ipv6=on, both families allowed.
list_same "udp ipv6=on to an IPv4 address" -M none -nodefaults \
    -chardev udp,id=u,host=127.0.0.1,port=5555,ipv6=on
list_same "udp ipv4=on,ipv6=on" -M none -nodefaults \
    -chardev udp,id=u,host=localhost,port=5555,ipv4=on,ipv6=on,localport=5557
qmp_sock_same "chardev-add udp with ipv4/ipv6" -M none -nodefaults <<'QMP'
{"execute": "chardev-add", "arguments": {"id": "u", "backend": {"type": "udp", "data": {"remote": {"type": "inet", "data": {"host": "::1", "port": "5555", "ipv4": true}}}}}}
{"execute": "chardev-add", "arguments": {"id": "v", "backend": {"type": "udp", "data": {"remote": {"type": "inet", "data": {"host": "127.0.0.1", "port": "5555", "ipv4": false, "ipv6": false}}}}}}
{"execute": "chardev-add", "arguments": {"id": "w", "backend": {"type": "udp", "data": {"remote": {"type": "inet", "data": {"host": "127.0.0.1", "port": "5555", "ipv6": true}}}}}}
{"execute": "query-chardev"}
QMP

tap_done

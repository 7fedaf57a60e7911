# QMP and HMP netdev_add / netdev_del (net/netdev.c, monitor/qmp-net.c,
# monitor/hmp-net.c), device_add of a NIC onto a backend added at run time,
# and info network's layout, each session diffed against QEMU 7.2.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
# A tap interface name of this run (both binaries use it, one after the other).
TAPIF="ndhp$$"
TAPIF=${TAPIF:0:15}

# same NAME ARGS...: the QMP session on stdin (a file: a pipe would run it in a
# subshell and lose its TAP counts), on ours and on QEMU 7.2, line by
# line; QEMU's generated ids (#net, a counter, two random digits) are masked
# and DEVICE_DELETED events (their timing is QEMU's main loop's) dropped.
same() {
    QMP_SAME_FILTER=mask qmp_same "$@"
}

mask() {
    sed -E 's/#net([0-9]*)[0-9]{2}/#net\1XX/g' | grep -v '"event": "DEVICE_DELETED"'
}

# hmp LINE...: each line as a human-monitor-command.
hmp() {
    for l in "$@"; do
        printf '{"execute": "human-monitor-command", "arguments": {"command-line": "%s"}}\n' "$l"
    done
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit
fi

same "qmp netdev_add" -M pseries -nodefaults -net nic -net user <<EOF2
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n1"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n1"}}
{"execute": "netdev_add", "arguments": {"type": "foo", "id": "n2"}}
{"execute": "netdev_add", "arguments": {"type": "user"}}
{"execute": "netdev_add", "arguments": {"id": "n3"}}
{"execute": "netdev_add", "arguments": {"type": "l2tpv3", "id": "n3"}}
{"execute": "netdev_add", "arguments": {"type": "nic", "id": "n3"}}
{"execute": "netdev_add", "arguments": {"type": "nic", "id": "n1"}}
{"execute": "netdev_add", "arguments": {"type": "none", "id": "n3"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "3x"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n4", "bogus": 1}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n4", "restrict": "on"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n4", "net": "10.1.0.0/24", "restrict": true}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n5", "net": "bad"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "n5", "hostfwd": [{"str": "tcp:127.0.0.1:0-:22"}], "dnssearch": [{"str": "example.com"}]}}
{"execute": "netdev_add", "arguments": {"type": "tap", "id": "t1", "fd": "999"}}
{"execute": "netdev_add", "arguments": {"type": "tap", "id": "t1", "fd": "nosuchname"}}
{"execute": "netdev_add", "arguments": {"type": "tap", "id": "t1", "ifname": "$TAPIF", "script": "no"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
{"execute": "netdev_del", "arguments": {"id": "n1"}}
{"execute": "netdev_del", "arguments": {"id": "n1"}}
{"execute": "netdev_del", "arguments": {"id": "hub0port0"}}
{"execute": "netdev_del", "arguments": {"id": "t1"}}
{"execute": "netdev_del", "arguments": {}}
{"execute": "netdev_del", "arguments": {"id": "n4", "x": 1}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
EOF2

# A NIC on a backend added at run time; deleting the backend under it.
same "qmp device_add on netdev_add" -M pseries -nodefaults -net nic -net user <<'EOF2'
{"execute": "netdev_add", "arguments": {"type": "user", "id": "u1"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "u2"}}
{"execute": "device_add", "arguments": {"driver": "virtio-net-pci", "netdev": "u2", "id": "nic2", "romfile": ""}}
{"execute": "device_add", "arguments": {"driver": "virtio-net-pci", "netdev": "u2", "id": "nic3", "romfile": ""}}
{"execute": "device_add", "arguments": {"driver": "virtio-net-pci", "netdev": "hub0port1", "id": "nic3", "romfile": ""}}
{"execute": "device_add", "arguments": {"driver": "spapr-vlan", "netdev": "u1", "id": "vlan1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
{"execute": "netdev_del", "arguments": {"id": "u2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
{"execute": "netdev_del", "arguments": {"id": "u2"}}
{"execute": "netdev_del", "arguments": {"id": "nic2"}}
{"execute": "netdev_add", "arguments": {"type": "user", "id": "u2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
{"execute": "device_add", "arguments": {"driver": "virtio-net-pci", "netdev": "u2", "id": "nic4", "romfile": ""}}
{"execute": "device_del", "arguments": {"id": "nic2"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
EOF2

hmp "netdev_add user,id=a1" "netdev_add user,id=a1" "netdev_add" "netdev_add foo,id=x" \
    "netdev_add user" "netdev_add user,id=a2,bogus=1" "netdev_add user,id=a3,restrict=maybe" \
    "netdev_add id=a4" "netdev_add tap,id=a5,fd=abc" "netdev_add user,id=9a" \
    "netdev_add user,id=b1,ipv6-prefixlen=abc" "netdev_add user,id=b5,net=10.9.0.0/8,restrict=on" \
    "info network" "netdev_del" "netdev_del a1 x" "netdev_del a1" \
    "netdev_del a1" "netdev_del hub0port0" "netdev_add user,id=a1" "info network" \
    "help netdev_add" "help netdev_del" >"$TMP/in"
same "hmp netdev_add" -M pseries -nodefaults -net user -netdev user,id=c1 <"$TMP/in"

# A backend named on the command line is taken by HMP's duplicate check, QMP's own after netdev_del.
{
    hmp "netdev_add user,id=c1"
    echo '{"execute": "netdev_add", "arguments": {"type": "user", "id": "c1"}}'
    hmp "netdev_del c1" "netdev_add user,id=c1" "netdev_del c1"
    echo '{"execute": "netdev_add", "arguments": {"type": "user", "id": "c1"}}'
    hmp "netdev_add user,id=c1" "info network"
} >"$TMP/in"
same "hmp and qmp ids" -M pseries -nodefaults -netdev user,id=c1 <"$TMP/in"

# info network for the ways -net, -nic and -netdev join clients (hub ports newest first).
for cfg in "-net nic -net user" "-net user" "-net user,id=foo" "-nic user" \
    "-net nic -net nic -netdev user,id=u1" "-nic user -net nic -net user" \
    "-net nic,id=x -net user" "-net nic,netdev=u1 -netdev user,id=u1"; do
    # shellcheck disable=SC2086
    hmp "info network" >"$TMP/in"
    same "info network ($cfg)" -M pseries -nodefaults $cfg <"$TMP/in"
done

# Ours lists the backends it has, as -netdev help does (QEMU 7.2 lists its eleven).
hmp "netdev_add help" | qmp_session "$QEMU" -M pseries -nodefaults >"$TMP/help"
want=$(printf '%s' "$("$QEMU" -netdev help)" | sed 's/$/\\r\\n/' | tr -d '\n')
if grep -qF "{\"return\": \"$want\"}" "$TMP/help"; then
    ok "netdev_add help lists -netdev help's types"
else
    not_ok "netdev_add help lists -netdev help's types" "$(cat "$TMP/help")" "wanted: $want"
fi

# QEMU 7.2's -net takes no name=.
for a in "user,name=foo" "nic,name=bar"; do
    run -M pseries -nodefaults -net "$a"
    want=$(timeout 10 "$ORACLE" -M pseries -nodefaults -net "$a" -display none </dev/null 2>&1 | grep -v TCG)
    if [ "$RC" = 1 ] && [ "$ERR" = "$want" ]; then
        ok "-net $a: $ERR"
    else
        not_ok "-net $a as QEMU 7.2" "ours ($RC): $ERR" "oracle: $want"
    fi
done

# socket and hubport at run time: QMP and HMP errors, then hubs and sockets in info network.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
same "socket and hubport" -M pseries -nodefaults -net nic -net user <<EOF2
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "listen": ":1", "connect": ":2"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "udp": ":1"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "listen": "nocolon"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "fd": "nosuchname"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "fd": "999"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "mcast": "1.2.3.4:5"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "bogus": "x"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s1", "listen": "127.0.0.1:$port"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "s2", "listen": "127.0.0.1:$port"}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h1"}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h1", "hubid": "x"}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h1", "hubid": 4, "netdev": "zz"}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h1", "hubid": 4, "netdev": "s1"}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h2", "hubid": 4}}
{"execute": "netdev_add", "arguments": {"type": "hubport", "id": "h3", "hubid": 0}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "m1", "mcast": "239.255.1.2:$port", "localaddr": "127.0.0.1"}}
{"execute": "netdev_add", "arguments": {"type": "socket", "id": "u1", "udp": "127.0.0.1:$port", "localaddr": "127.0.0.1:0"}}
$(hmp "netdev_add socket,id=s3" "netdev_add socket,id=s3,listen=:x" "netdev_add hubport,id=h5" \
      "netdev_add hubport,id=h5,hubid=7" "netdev_add socket,id=s4,listen=127.0.0.1:$port" \
      "info network")
{"execute": "netdev_del", "arguments": {"id": "h1"}}
{"execute": "netdev_del", "arguments": {"id": "s1"}}
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
EOF2

# stream and dgram at run time: the schema's errors, then theirs; info network.
same "stream and dgram" -M pseries -nodefaults <<EOF2
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1"}}
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1", "addr": {"type": "inet"}}}
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1", "addr": {"type": "bad"}}}
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1", "addr": {"type": "inet", "host": "127.0.0.1", "port": "1", "x": 1}}}
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1", "server": "yes", "addr": {"type": "inet", "host": "127.0.0.1", "port": "1"}}}
{"execute": "netdev_add", "arguments": {"type": "stream", "id": "s1", "server": true, "addr": {"type": "inet", "host": "127.0.0.1", "port": "0"}}}
{"execute": "netdev_add", "arguments": {"type": "dgram", "id": "d1"}}
{"execute": "netdev_add", "arguments": {"type": "dgram", "id": "d1", "local": {"type": "inet", "host": "127.0.0.1", "port": "0"}}}
{"execute": "netdev_add", "arguments": {"type": "dgram", "id": "d1", "local": {"type": "unix", "path": "/x"}, "remote": {"type": "inet", "host": "127.0.0.1", "port": "1"}}}
{"execute": "netdev_add", "arguments": {"type": "dgram", "id": "d1", "local": {"type": "inet", "host": "127.0.0.1", "port": "0"}, "remote": {"type": "inet", "host": "127.0.0.1", "port": "$port"}}}
$(hmp "netdev_add stream,id=s2" "netdev_add dgram,id=d2" "info network")
{"execute": "netdev_del", "arguments": {"id": "s1"}}
{"execute": "netdev_del", "arguments": {"id": "d1"}}
EOF2

tap_done

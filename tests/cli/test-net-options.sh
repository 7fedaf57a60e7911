# -netdev, -nic and -net: every malformed option gets QEMU 7.2's one-line
# error, word for word (Debian's qemu-system-ppc64 runs beside ours), and the
# help requests print what we offer.
. "$(dirname "$0")/lib.sh"

ORACLE=${ORACLE:-/usr/bin/qemu-system-ppc64}

# same_error ARGS...: ours exits 1 with the oracle's error (and hint) lines.
same_error() {
    local want
    want=$(timeout 10 "$ORACLE" -M pseries -vga none -nographic -nodefaults -S "$@" \
           </dev/null 2>&1 >/dev/null | grep -v "TCG doesn't support")
    run -M pseries -nographic -nodefaults -S "$@"
    if [ "$RC" = 1 ] && [ "$ERR" = "$want" ] && [ -n "$want" ]; then
        ok "as QEMU: $*"
    else
        not_ok "as QEMU: $*" "exit $RC, stderr: $ERR" "QEMU 7.2: $want"
    fi
}

if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE is installed"
    tap_done
    exit 1
fi

same_error -netdev user
same_error -netdev foo,id=a
same_error -netdev user,id=a,foo=1
same_error -netdev user,id=1a
same_error -netdev user,id=n1 -netdev user,id=n1
same_error -netdev user,id=a,restrict=maybe
same_error -netdev user,id=a,ipv4=maybe
same_error -netdev user,id=a,ipv6=off,ipv4=off
same_error -netdev user,id=a,net=10.0.0.0/33
same_error -netdev user,id=a,net=300.0.0.0/8
same_error -netdev user,id=a,host=10.0.3.2
same_error -netdev user,id=a,net=10.0.2.0/24,host=10.0.3.2
same_error -netdev user,id=a,dhcpstart=1.2.3.4
same_error -netdev user,id=a,net=10.0.2.0/24,dhcpstart=10.0.2.2
same_error -netdev user,id=a,dns=10.0.2.2
same_error -netdev user,id=a,ipv6-net=fec0::/200
same_error -nic user,hostfwd=bad
same_error -netdev user,id=a,hostfwd=xyz::1-:2
same_error -netdev user,id=a,hostfwd=tcp:1.2.3.4.5:1-:2
same_error -netdev user,id=a,hostfwd=tcp::99999-:22
same_error -netdev user,id=a,hostfwd=tcp::1-
same_error -netdev user,id=a,hostfwd=tcp::1-:99999
same_error -netdev user,id=a,hostfwd=tcp::1-:2,hostfwd=tcp::1-:2
same_error -netdev tap,id=t,fd=99
same_error -netdev tap,id=t,fd=0,ifname=x
# an open descriptor that is not a tap device
same_error -netdev tap,id=t,fd=0
same_error -netdev tap,id=t,ifname=x,script=/nonexistent-script
same_error -nic user,mac=zz
same_error -nic user,model=nosuchnic
same_error -device spapr-vlan,mac=zz
same_error -device spapr-vlan,netdev=zz
same_error -netdev user,id=a -device spapr-vlan,netdev=a -device spapr-vlan,netdev=a
same_error -nic foo
same_error -nic ,id=x
same_error -nic help
same_error -nic user,model=spapr-vlan,id=x,netdev=y
same_error -netdev user,id=a -nic user,id=a
same_error -net foo
same_error -net nic,foo=1
same_error -nic
# -netdev socket and hubport (net/socket.c, net/hub.c).
same_error -netdev socket,id=n
same_error -netdev socket,id=n,listen=:1234,connect=:1234
same_error -netdev socket,id=n,localaddr=1.2.3.4
same_error -netdev socket,id=n,listen=:1234,localaddr=1.2.3.4
same_error -netdev socket,id=n,udp=:1234
same_error -netdev socket,id=n,fd=abc
same_error -netdev socket,id=n,fd=-1
same_error -netdev socket,id=n,fd=99
same_error -netdev socket,id=n,fd=0
same_error -netdev socket,id=n,fd=1,listen=:1
same_error -netdev socket,id=n,foo=bar
same_error -netdev socket,id=n,listen=
same_error -netdev socket,id=n,listen=1234
same_error -netdev socket,id=n,listen=nosuchhost.invalid:1234
same_error -netdev socket,id=n,listen=:abc
same_error -netdev socket,id=n,listen=[::1]:1234
same_error -netdev socket,id=n,connect=:
same_error -netdev socket,id=n,connect=1.2.3.4.5:80
same_error -netdev socket,id=n,connect=255.255.255.255:80
same_error -netdev socket,id=n,mcast=xx
same_error -netdev socket,id=n,mcast=1.2.3.4:5
same_error -netdev socket,id=n,mcast=230.0.0.1:abc
same_error -netdev socket,id=n,mcast=1.2.3.4:5,localaddr=zz
same_error -netdev socket,id=n,mcast=230.0.0.1:1234,localaddr=999.0.0.1
same_error -netdev socket,id=n,mcast=230.0.0.1:5000,localaddr=1.2.3.4
same_error -netdev socket,id=n,udp=xx,localaddr=yy
same_error -netdev socket,id=n,udp=127.0.0.1:5,localaddr=xx
same_error -netdev socket,id=n,udp=999.1.1.1:5,localaddr=127.0.0.1:6000
same_error -netdev socket,id=n,udp=127.0.0.1:5,localaddr=1.2.3.4:5
same_error -netdev hubport,id=h
same_error -netdev hubport,id=h,hubid=x
same_error -netdev hubport,id=h,hubid=99999999999
same_error -netdev hubport,id=h,hubid=1,foo=1
same_error -netdev hubport,id=h,hubid=1,netdev=zz
same_error -netdev hubport,id=h,hubid=1,netdev=h
same_error -netdev user,id=u -netdev hubport,id=h,hubid=1,netdev=u -device spapr-vlan,netdev=u
same_error -net hubport,hubid=1
# -netdev stream and dgram (net/stream.c): QEMU's visitor messages, then its own.
same_error -netdev stream,id=n
same_error -netdev stream,id=n,bogus=1
same_error -netdev stream,id=n,addr.type=inet
same_error -netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1
same_error -netdev stream,id=n,addr.type=foo
same_error -netdev stream,id=n,addr.type=unix
same_error -netdev stream,id=n,addr.type=fd
same_error -netdev stream,id=n,addr.type=vsock,addr.cid=1
same_error -netdev stream,id=n,server=maybe,addr.type=inet,addr.host=a,addr.port=1
same_error -netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1,addr.port=1,addr.foo=1
same_error -netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1,addr.port=1,bogus=1
same_error -netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1,addr.port=5,addr.to=x
same_error -netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1,addr.port=5,addr.ipv4=x
same_error -netdev stream,id=n,addr.type=unix,addr.path=/x,addr.abstract=x
same_error -netdev dgram,id=n
same_error -netdev dgram,id=n,bogus=1
same_error -netdev dgram,id=n,remote.type=inet,remote.host=127.0.0.1,remote.port=5
same_error -netdev dgram,id=n,remote.type=unix,remote.path=/x
same_error -netdev dgram,id=n,local.type=inet,local.host=127.0.0.1,local.port=23610
same_error -netdev dgram,id=n,local.type=unix,local.path=/tmp/x
same_error -netdev dgram,id=n,local.type=fd,local.str=99
same_error -netdev dgram,id=n,local.type=fd,local.str=0
same_error -netdev dgram,id=n,local.type=fd,local.str=5,remote.type=fd,remote.str=5
same_error -netdev dgram,id=n,remote.type=inet,remote.host=230.0.0.1,remote.port=5,remote.foo=1
same_error -netdev dgram,id=n,local.type=unix,local.path=/x,remote.type=inet,remote.host=230.0.0.1,remote.port=5
same_error -netdev dgram,id=n,local.type=inet,local.host=127.0.0.1,local.port=1,remote.type=unix,remote.path=/x
same_error -netdev dgram,id=n,local.type=vsock,local.cid=1,local.port=2,remote.type=vsock,remote.cid=1,remote.port=2
same_error -netdev dgram,id=n,local.type=inet,local.host=127.0.0.1,local.port=0,remote.type=inet,remote.host=127.0.0.1,remote.port=x
same_error -netdev dgram,id=n,local.type=inet,local.host=1.2.3.4,local.port=5,remote.type=inet,remote.host=127.0.0.1,remote.port=6
same_error -netdev dgram,id=n,local.type=inet,local.host=nosuch.invalid,local.port=5,remote.type=inet,remote.host=127.0.0.1,remote.port=6
same_error -netdev dgram,id=n,local.type=unix,local.path=/nonexistent/d,remote.type=unix,remote.path=/tmp/x
# Two listeners on one port: the second cannot bind.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
same_error -netdev socket,id=a,listen=127.0.0.1:$port -netdev socket,id=b,listen=127.0.0.1:$port

# The /vdevice nodes of NICs from -nic, -net nic and -device, with QEMU's default MAC
# sequence around an address the user took, are the oracle's.
nets="-nic user,mac=52:54:00:12:34:57 -nic user -device spapr-vlan -netdev user,id=z
      -device spapr-vlan,netdev=z,reg=0x71000010 -net nic,model=spapr-vlan -net user"
# shellcheck disable=SC2086 # the option list splits on purpose
timeout 10 "$ORACLE" -M pseries,dumpdtb="$TMP/q.dtb" -vga none -nodefaults $nets \
    </dev/null >/dev/null 2>&1
# shellcheck disable=SC2086
run -M pseries,dumpdtb="$TMP/o.dtb" -nodefaults $nets
dtc -I dtb -O dts "$TMP/q.dtb" 2>/dev/null | sed -n '/vdevice {/,/^\t};/p' >"$TMP/q.dts"
dtc -I dtb -O dts "$TMP/o.dtb" 2>/dev/null | sed -n '/vdevice {/,/^\t};/p' >"$TMP/o.dts"
if [ "$RC" = 0 ] && grep -q 'l-lan@71000010' "$TMP/q.dts" && cmp -s "$TMP/q.dts" "$TMP/o.dts"; then
    ok "/vdevice with five spapr-vlan NICs equals QEMU 7.2's"
else
    not_ok "/vdevice with five spapr-vlan NICs equals QEMU 7.2's" "exit $RC: $ERR" \
        "$(diff "$TMP/q.dts" "$TMP/o.dts" | head -20)"
fi
DTB="$TMP/o.dtb"
fdt_prop bx /vdevice/l-lan@71000001 local-mac-address "52 54 0 12 34 57"
fdt_prop x /vdevice/l-lan@71000002 ibm,my-dma-window "71000002 0 0 0 10000000"
fdt_prop x /vdevice/l-lan@71000002 ibm,mac-address-filters "0"

# -device spapr-vlan,help as QEMU prints it.
want=$(timeout 10 "$ORACLE" -M pseries -device spapr-vlan,help 2>/dev/null)
run -M pseries -device spapr-vlan,help
if [ "$RC" = 0 ] && [ -n "$want" ] && [ "$OUT" = "$want" ]; then
    ok "-device spapr-vlan,help as QEMU"
else
    not_ok "-device spapr-vlan,help as QEMU" "exit $RC, stdout: $OUT" "QEMU 7.2: $want"
fi

# Help: the backends and NIC models this program offers.
expect_exit0 '^Available netdev backend types:' -netdev help
run -netdev help
if [ "$OUT" = "Available netdev backend types:
socket
stream
dgram
hubport
tap
user" ]; then
    ok "-netdev help lists socket, stream, dgram, hubport, tap and user (QEMU 7.2's order)"
else
    not_ok "-netdev help lists socket, stream, dgram, hubport, tap and user (QEMU 7.2's order)" \
        "stdout: $OUT"
fi

# Accepted: the backends start and the machine waits (-S) until killed.
accepts() {
    timeout 3 "$QEMU" -M pseries -nographic -nodefaults -S "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    # Besides: the reset's TCG capability warnings (test-tcg-caps.sh checks them).
    if [ "$RC" = 124 ] &&
       ! grep -v "has no peer\|terminating on signal\|TCG doesn't support requested feature" \
           "$TMP/err" | grep -q .; then
        ok "accepted: $*"
    else
        not_ok "accepted: $*" "exit $RC, stderr: $(cat "$TMP/err")"
    fi
}
accepts -netdev user,id=a,hostfwd=udp::0-:53,hostfwd=tcp:127.0.0.1:0-:22,restrict=on
accepts -netdev user,id=a,net=10.0.0.0/255.0.0.0,dns=10.0.3.3
accepts -netdev user,id=a,hostname=foo,domainname=x.y,dnssearch=a.b,dnssearch=c.d,tftp=/tmp,bootfile=x
accepts -netdev user,id=a,ipv6=on,ipv6-prefix=fd00::,ipv6-prefixlen=64

# A netdev without a device gets QEMU's warning.
timeout 3 "$QEMU" -M pseries -nographic -nodefaults -S -netdev user,id=lonely </dev/null \
    >/dev/null 2>"$TMP/err"
if grep -qx "qemu-system-ppc64: warning: netdev lonely has no peer" "$TMP/err"; then
    ok "warning: netdev without a NIC"
else
    not_ok "warning: netdev without a NIC" "stderr: $(cat "$TMP/err")"
fi

tap_done

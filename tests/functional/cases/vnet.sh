# The /init fragment of cases/vnet.py (sourced by init.sh): virtio_net's carrier and
# receive filter while the host switches the link (QMP set_link) and reads the filter
# (query-rx-filter).  The host types on the console (hvc0) when the guest should go on.

# Up to 10 s for eth0's carrier to read $1; prints what it reads last.
vnet_carrier_is() {
    n=0
    while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != "$1" ] && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    cat /sys/class/net/eth0/carrier 2>/dev/null
}

# The flags ip link prints for eth0 ("<NO-CARRIER,BROADCAST,...>").
vnet_link_flags() {
    ip link show eth0 | sed -n 's/^[0-9]*: eth0: \(<[^>]*>\).*/\1/p'
}

early_vnet_link() {
    check vnet-modules load_modules virtio
    check vnet-eth0 wait_for /sys/class/net/eth0
    echo "FUNCTEST result vnet-mac $(cat /sys/class/net/eth0/address)"
    ip link set eth0 up
    echo "FUNCTEST result vnet-carrier-start $(vnet_carrier_is 1)"
    # An IPv6 address joins its solicited-node group: 33:33:ff and its last three bytes.
    check vnet-addr1 ip -6 addr add fd00::ab:1234/64 dev eth0
    sleep 1
    echo "FUNCTEST vnet-ready"
    read -r step
    check vnet-addr2 ip -6 addr add fd00::1:beef:cafe/64 dev eth0
    sleep 1
    echo "FUNCTEST vnet-joined"
    read -r step
    echo "FUNCTEST result vnet-carrier-down $(vnet_carrier_is 0)"
    echo "FUNCTEST result vnet-flags-down $(vnet_link_flags)"
    echo "FUNCTEST vnet-saw-down"
    read -r step
    echo "FUNCTEST result vnet-carrier-up $(vnet_carrier_is 1)"
    echo "FUNCTEST result vnet-flags-up $(vnet_link_flags)"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

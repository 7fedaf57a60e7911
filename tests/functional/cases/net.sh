# The /init fragment of cases/net.py and netbench.py (sourced by init.sh).
# The NIC's driver loaded (functest.nic=ORDER: the modules of that order), eth0 configured
# by DHCP (udhcpc); the host port and byte count from functest.port= and functest.bytes=.
net_up() {
    port=$(arg functest.port)
    bytes=$(arg functest.bytes)
    check net-module load_modules "$(arg functest.nic)"
    check net-eth0 wait_for /sys/class/net/eth0
    if [ "$(arg functest.nic)" = virtio ]; then
        echo "FUNCTEST result net-virtio-features $(cat /sys/bus/virtio/devices/virtio0/features)"
    fi
    echo "FUNCTEST result net-mac $(cat /sys/class/net/eth0/address)"
    printf '%s\n' '#!/bin/sh' \
        'if [ "$1" = bound ]; then' \
        '  ifconfig "$interface" "$ip" netmask "$subnet" up' \
        '  route add default gw "$router" dev "$interface"' \
        '  echo "FUNCTEST result net-lease $ip" >>/tmp/lease' \
        '  echo "FUNCTEST result net-router $router" >>/tmp/lease' \
        '  echo "FUNCTEST result net-dns $dns" >>/tmp/lease' \
        'fi' >/tmp/dhcp.sh
    chmod +x /tmp/dhcp.sh
    ifconfig lo 127.0.0.1 up
    ifconfig eth0 up
    check net-dhcp udhcpc -i eth0 -n -q -t 10 -T 2 -s /tmp/dhcp.sh
    cat /tmp/lease
}

# A DHCP lease, a file from the host's HTTP server through 10.0.2.2, and a web server the
# host reaches through hostfwd; the host types "done" when it has fetched our file.
mode_net() {
    net_up
    # HTTP/1.0 by hand (busybox's static wget crashes resolving names without NSS): the
    # body is the response's last line.
    printf 'GET /host.txt HTTP/1.0\r\n\r\n' | nc -w 20 10.0.2.2 "$port" >/tmp/reply.txt
    tail -n 1 /tmp/reply.txt | tr -d '\r' >/tmp/host.txt
    echo "FUNCTEST result net-wget $(cat /tmp/host.txt)"
    if [ "$(arg functest.nic)" = virtio ]; then
        # The device's MSI-X interrupts by name, and how often the receive queue's fired.
        echo "FUNCTEST result net-virtio-irqs $(awk '/virtio0/ { print $NF }' /proc/interrupts | tr '\n' ' ' | sed 's/ $//')"
        echo "FUNCTEST result net-virtio-rx-irqs $(awk '/virtio0-input.0/ { print $2 }' /proc/interrupts)"
    fi
    mkdir -p /www
    echo "guest-got-$(cat /tmp/host.txt)" >/www/guest.txt
    httpd -p 8080 -h /www
    echo "FUNCTEST net-serving"
    read -r answer
    echo "FUNCTEST answer $answer"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# TCP throughput (netbench.py): $bytes of zeros to the host's port, then as many from it.
early_netbench() {
    net_up
    echo "FUNCTEST netbench-up-start"
    dd if=/dev/zero bs=65536 count=$((bytes / 65536)) 2>/dev/null | nc 10.0.2.2 "$port"
    echo "FUNCTEST netbench-up-done"
    nc 10.0.2.2 "$port" </dev/null | wc -c >/tmp/down
    echo "FUNCTEST result netbench-down-bytes $(cat /tmp/down)"
    /bin/busybox poweroff -f
}

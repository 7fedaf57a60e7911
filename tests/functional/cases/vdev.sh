# The /init fragment of cases/vdev.py (sourced by init.sh): virtio-serial ports and the
# virtio balloon with Debian's virtio_console and virtio_balloon modules.  The host talks
# to the ports through socket chardevs and drives the balloon through QMP; it types on the
# console (hvc0) when the guest should go on.

# The /dev/vportNpM whose name (sysfs) is $1; empty when none.
vdev_port_by_name() {
    for d in /sys/class/virtio-ports/*; do
        if [ "$(cat "$d/name" 2>/dev/null)" = "$1" ]; then
            echo "/dev/$(basename "$d")"
        fi
    done
}

# The feature bits the driver negotiated with each virtio device, by device id.
vdev_features() {
    for d in /sys/bus/virtio/devices/*; do
        echo "FUNCTEST result vdev-features-$(cat "$d/device") $(cat "$d/features")"
    done
}

# Lines both ways on the virtconsole (/dev/hvc1) and on the guest agent's named port.
early_vdev_serial() {
    check vdev-modules load_modules vdev
    n=0
    while [ -z "$(vdev_port_by_name org.qemu.guest_agent.0)" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    port=$(vdev_port_by_name org.qemu.guest_agent.0)
    echo "FUNCTEST result vdev-port $port"
    echo "FUNCTEST result vdev-ports $(ls /sys/class/virtio-ports | tr '\n' ' ')"
    vdev_features
    check vdev-hvc1 wait_for /dev/hvc1
    # One open of each (a port admits one): raw, so the host's bytes come back unchanged.
    exec 4<>/dev/hvc1
    stty raw -echo <&4
    exec 3<>"$port"
    echo "FUNCTEST vdev-ready"
    read -r line <&4
    echo "FUNCTEST result vdev-console-in $line"
    echo "guest-to-host-console" >&4
    read -r line <&3
    echo "FUNCTEST result vdev-port-in $line"
    echo "guest-to-host-port" >&3
    # The host hangs up on the port: the guest reads end of file.
    read -r gone
    echo "FUNCTEST result vdev-port-eof $(head -c 16 <&3 | wc -c)"
    exec 3<&- 4<&-
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# The virtconsole and the agent port across a migration: the host's second line on each,
# sent with the first, is read on the destination; the lines written there reach the
# destination's sockets.  The host types on hvc0 once it has migrated the guest.
early_vdev_serial_migrate() {
    check vdev-modules load_modules vdev
    n=0
    while [ -z "$(vdev_port_by_name org.qemu.guest_agent.0)" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    port=$(vdev_port_by_name org.qemu.guest_agent.0)
    echo "FUNCTEST result vdev-port $port"
    check vdev-hvc1 wait_for /dev/hvc1
    exec 4<>/dev/hvc1
    stty raw -echo <&4
    exec 3<>"$port"
    echo "FUNCTEST vdev-ready"
    read -r line <&4
    echo "FUNCTEST result vdev-console-in $line"
    echo "console-before" >&4
    read -r line <&3
    echo "FUNCTEST result vdev-port-in $line"
    echo "port-before" >&3
    echo "FUNCTEST vdev-migrate-ready"
    read -r go
    read -r line <&4
    echo "FUNCTEST result vdev-console-across $line"
    read -r line <&3
    echo "FUNCTEST result vdev-port-across $line"
    echo "console-after" >&4
    echo "port-after" >&3
    echo "FUNCTEST vdev-after-written"
    read -r done
    exec 3<&- 4<&-
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

vdev_meminfo() {
    echo "FUNCTEST result vdev-$1-total $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
    echo "FUNCTEST result vdev-$1-free $(awk '/^MemFree:/ { print $2 }' /proc/meminfo)"
}

# The host inflates the balloon and deflates it again; the guest reports its memory after each.
early_vdev_balloon() {
    check vdev-modules load_modules vdev
    vdev_features
    vdev_meminfo start
    echo "FUNCTEST vdev-balloon-ready"
    read -r step
    vdev_meminfo inflated
    echo "FUNCTEST vdev-inflated-reported"
    read -r step
    vdev_meminfo deflated
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

#!/bin/busybox sh
# /init of the functional suite's initramfs (busybox-static): checks what Linux sees of the
# pseries machine, runs userspace work, then does what the kernel's functest= asks.
# Every check prints "FUNCTEST ok NAME" or "FUNCTEST not-ok NAME: why"; the host side
# (functest.py) requires each expected NAME to be ok and compares the printed results.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

check() {
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "FUNCTEST ok $name"
    else
        echo "FUNCTEST not-ok $name: failed: $*"
    fi
}

mode=boot
for word in $(cat /proc/cmdline); do
    case $word in
    functest=*) mode=${word#functest=} ;;
    esac
done
echo "FUNCTEST start mode=$mode"

# `make run-linux`: an interactive shell on the console instead of the checks.
if [ "$mode" = shell ]; then
    echo "Debian's kernel on a busybox initramfs; 'poweroff -f' or Ctrl-D powers off."
    /bin/busybox setsid /bin/busybox cttyhack /bin/sh -l
    /bin/busybox poweroff -f
fi

# The virtio cases (functest.py virtio-*): load Debian's virtio modules, use the device
# the host gave, power off.  The host checks what was printed and what reached the image.
case $mode in
virtio-*)
    for m in $(cat /lib/modules/virtio-order); do
        insmod /lib/modules/$m.ko || echo "FUNCTEST not-ok insmod-$m"
    done
    ;;
esac
# Wait up to 5 s for a device node.
wait_for() {
    n=0
    while [ ! -e "$1" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    test -e "$1"
}
case $mode in
virtio-blk)
    check vda wait_for /dev/vda
    echo "FUNCTEST result vda-size $(cat /sys/block/vda/size)"
    echo "FUNCTEST result vda-head $(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c 32)"
    # One sector at 4 KiB, then 1 MiB of random data at 1 MiB, flushed; read back uncached.
    echo "GUEST-WROTE-THIS-$(cat /sys/block/vda/size)" | dd of=/dev/vda bs=512 seek=8 conv=sync,fsync 2>/dev/null
    dd if=/dev/urandom of=/tmp/big bs=64k count=16 2>/dev/null
    dd if=/tmp/big of=/dev/vda bs=64k seek=16 conv=fsync 2>/dev/null
    sync
    echo 3 >/proc/sys/vm/drop_caches
    echo "FUNCTEST result big-written $(md5sum </tmp/big | cut -d' ' -f1)"
    echo "FUNCTEST result big-read $(dd if=/dev/vda bs=64k skip=16 count=16 2>/dev/null | md5sum | cut -d' ' -f1)"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
    ;;
virtio-rng)
    check hwrng wait_for /dev/hwrng
    echo "FUNCTEST result rng-current $(cat /sys/class/misc/hw_random/rng_current)"
    echo "FUNCTEST result rng-bytes $(dd if=/dev/hwrng bs=64 count=4 2>/dev/null | wc -c)"
    echo "FUNCTEST result rng-distinct $(dd if=/dev/hwrng bs=256 count=1 2>/dev/null | od -An -v -tx1 | tr ' ' '\n' | grep . | sort -u | wc -l)"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
    ;;
esac

# What the CPU and the platform look like to Linux.
echo "FUNCTEST cpuinfo-begin"
cat /proc/cpuinfo
echo "FUNCTEST cpuinfo-end"
check cpuinfo-power9 grep -Eq '^cpu[[:space:]]+: POWER9' /proc/cpuinfo
check cpuinfo-timebase grep -Eq '^timebase[[:space:]]+: 512000000$' /proc/cpuinfo
check cpuinfo-platform grep -Eq '^platform[[:space:]]+: pSeries$' /proc/cpuinfo

# The console's interrupt comes through the XICS.
echo "FUNCTEST interrupts-begin"
cat /proc/interrupts
echo "FUNCTEST interrupts-end"
check interrupts-xics-vty grep -Eq 'XICS.*hvc_console' /proc/interrupts

# The vio bus: the console and the nvram.
echo "FUNCTEST vio $(ls /sys/bus/vio/devices | tr '\n' ' ')"
check vio-vty test -e /sys/bus/vio/devices/30000000 -o -e /sys/bus/vio/devices/71000000
check vio-vty-name grep -q 'vty' /sys/bus/vio/devices/71000000/name
check vio-nvram grep -rqs nvram /sys/bus/vio/devices/71000001/name

# The default PCI host bridge: its node, and the bus Linux probed behind it.
check pci-phb-node test -d /proc/device-tree/pci@800000020000000
check pci-bus test -e /sys/class/pci_bus/0000:00

# Integer work in the shell: the host recomputes the sum.
n=0
sum=0
while [ $n -lt 2000 ]; do
    sum=$(((sum * 31 + n * n + (n ^ 0x5a5a)) % 1000000007))
    n=$((n + 1))
done
echo "FUNCTEST result shell-sum $sum"

# A statically linked C program: integer kernels and libm; the host compares its lines.
echo "FUNCTEST fpcheck-begin"
/bin/fpcheck
echo "FUNCTEST fpcheck-status $?"
echo "FUNCTEST fpcheck-end"

# The network modes: ibmveth loaded, eth0 configured by DHCP (udhcpc), the host port and
# byte count from the kernel command line (functest.port=, functest.bytes=).
net_up() {
    for word in $(cat /proc/cmdline); do
        case $word in
        functest.port=*) port=${word#functest.port=} ;;
        functest.bytes=*) bytes=${word#functest.bytes=} ;;
        esac
    done
    check net-ibmveth-module insmod /lib/modules/ibmveth.ko
    check net-eth0 test -e /sys/class/net/eth0
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

case $mode in
boot)
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
    ;;
reboot)
    # The host answers on the console: "reboot" the first time, "poweroff" the next.
    echo "FUNCTEST reboot-ask"
    read -r answer
    echo "FUNCTEST answer $answer"
    case $answer in
    reboot) /bin/busybox reboot -f ;;
    *) /bin/busybox poweroff -f ;;
    esac
    ;;
smp*)
    # SMP (functest=smpN: N processors): all of them online, N copies of the libm program
    # at once with the same output, every secondary taken offline (RTAS stop-self) and
    # brought back (start-cpu) through sysfs, the parallel run again, then power-off.
    want=${mode#smp}
    last=$((want - 1))
    check smp-cpuinfo-count test "$(grep -c '^processor' /proc/cpuinfo)" = "$want"
    check smp-online-all test "$(cat /sys/devices/system/cpu/online)" = "0-$last"
    parallel() {
        i=0
        while [ $i -lt "$want" ]; do
            /bin/fpcheck >/tmp/fp$i 2>&1 &
            i=$((i + 1))
        done
        wait
        i=0
        while [ $i -lt "$want" ]; do
            cmp -s /tmp/fp0 /tmp/fp$i || return 1
            i=$((i + 1))
        done
        test "$(tail -n 1 /tmp/fp0)" = "fpcheck done" && cmp -s /tmp/fp0 /tmp/fpcheck-serial
    }
    /bin/fpcheck >/tmp/fpcheck-serial 2>&1
    check smp-parallel parallel
    for c in $(seq 1 $last); do
        echo 0 >/sys/devices/system/cpu/cpu$c/online
    done
    check smp-offline test "$(cat /sys/devices/system/cpu/online)" = 0
    check smp-offline-cpuinfo test "$(grep -c '^processor' /proc/cpuinfo)" = 1
    for c in $(seq 1 $last); do
        echo 1 >/sys/devices/system/cpu/cpu$c/online
    done
    check smp-online-again test "$(cat /sys/devices/system/cpu/online)" = "0-$last"
    check smp-parallel-again parallel
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
    ;;
idle)
    # An idle system; QMP system_powerdown raises an EPOW event, and Linux calls
    # /sbin/poweroff (orderly_poweroff).
    echo "FUNCTEST idle"
    while :; do
        sleep 1
    done
    ;;
net)
    # spapr-vlan (Linux's ibmveth) on user networking: a DHCP lease, a file from the
    # host's HTTP server through 10.0.2.2, and a web server the host reaches through
    # hostfwd; the host types "done" when it has fetched our file.
    net_up
    # HTTP/1.0 by hand (busybox's static wget crashes resolving names without NSS): the
    # body is the response's last line.
    printf 'GET /host.txt HTTP/1.0\r\n\r\n' | nc -w 20 10.0.2.2 "$port" >/tmp/reply.txt
    tail -n 1 /tmp/reply.txt | tr -d '\r' >/tmp/host.txt
    echo "FUNCTEST result net-wget $(cat /tmp/host.txt)"
    mkdir -p /www
    echo "guest-got-$(cat /tmp/host.txt)" >/www/guest.txt
    httpd -p 8080 -h /www
    echo "FUNCTEST net-serving"
    read -r answer
    echo "FUNCTEST answer $answer"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
    ;;
netbench)
    # TCP throughput over user networking (tests/functional/netbench.py): $bytes of zeros
    # to the host's port, then as many from it.
    net_up
    echo "FUNCTEST netbench-up-start"
    dd if=/dev/zero bs=65536 count=$((bytes / 65536)) 2>/dev/null | nc 10.0.2.2 "$port"
    echo "FUNCTEST netbench-up-done"
    nc 10.0.2.2 "$port" </dev/null | wc -c >/tmp/down
    echo "FUNCTEST result netbench-down-bytes $(cat /tmp/down)"
    /bin/busybox poweroff -f
    ;;
esac
echo "FUNCTEST not-ok mode: unknown mode $mode"
/bin/busybox poweroff -f

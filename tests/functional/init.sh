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

# Helpers for the fragments.
# arg NAME: the value of NAME= on the kernel command line.
arg() {
    for word in $(cat /proc/cmdline); do
        case $word in
        "$1"=*) echo "${word#*=}" ;;
        esac
    done
}

# Wait up to 5 s for a device node or sysfs entry.
wait_for() {
    n=0
    while [ ! -e "$1" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    test -e "$1"
}

# load_modules ORDER: the kernel modules of /lib/modules/ORDER.order, in that order
# (functest.py's KMODS); each failure is reported, and the status says whether all loaded.
load_modules() {
    test -f "/lib/modules/$1.order" || return 1
    ok=0
    for m in $(cat "/lib/modules/$1.order"); do
        insmod "/lib/modules/$m.ko" || {
            echo "FUNCTEST not-ok insmod-$m"
            ok=1
        }
    done
    return $ok
}

# The cases' fragments (tests/functional/cases/*.sh) define mode_M for the mode M they
# run after the checks of every boot, early_M for one that skips them ('-' in a mode is
# '_' in its function's name).
for f in /lib/functest/*.sh; do
    . "$f"
done
fn=$(echo "$mode" | tr '-' '_')
if type "early_$fn" >/dev/null 2>&1; then
    "early_$fn"
fi

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
idle)
    # An idle system; QMP system_powerdown raises an EPOW event, and Linux calls
    # /sbin/poweroff (orderly_poweroff).
    echo "FUNCTEST idle"
    while :; do
        sleep 1
    done
    ;;
esac
if type "mode_$fn" >/dev/null 2>&1; then
    "mode_$fn"
fi
echo "FUNCTEST not-ok mode: unknown mode $mode"
/bin/busybox poweroff -f

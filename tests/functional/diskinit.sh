#!/bin/busybox sh
# /init of the disk image's initramfs (diskimage.sh): loads Debian's block and ext4 modules,
# then does what diskinit= on the kernel command line asks. Prints "DISKINIT ..." lines
# that cases/diskboot.py and diskperf.py read: the root partition it found, a token it wrote there, benchmarks.
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

mode=write
for word in $(cat /proc/cmdline); do
    case $word in
    diskinit=*) mode=${word#diskinit=} ;;
    esac
done
echo "DISKINIT start mode=$mode"

# The module list is in load order (dependencies first); a module the kernel has built in,
# or one whose device is absent, may fail to load without harm.
for m in $(cat /lib/modules/order); do
    insmod "/lib/modules/$m.ko" 2>/dev/null || echo "DISKINIT insmod-failed $m"
done

# The partition labelled spapr-root, on whichever disk the host gave (vda, sda); disks
# are probed asynchronously, so wait up to 10 s.
find_root() {
    n=0
    while [ $n -lt 100 ]; do
        dev=$(findfs LABEL=spapr-root 2>/dev/null) && [ -b "$dev" ] && echo "$dev" && return 0
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}

finish() {
    echo "DISKINIT powering off"
    poweroff -f
}

case $mode in
write)
    # Read what the image builder put there, write a fresh token, flush it to the disk.
    dev=$(find_root) || {
        echo "DISKINIT error no spapr-root partition"
        ls /sys/block
        finish
    }
    echo "DISKINIT root $dev"
    mount -t ext4 "$dev" /mnt || {
        echo "DISKINIT error mount $dev failed"
        finish
    }
    echo "DISKINIT image-id $(cat /mnt/etc/diskimage-id)"
    echo "DISKINIT kernel-md5 $(md5sum </mnt/boot/vmlinux | cut -d' ' -f1)"
    token=$(cat /proc/sys/kernel/random/uuid)
    echo "$token" >/mnt/guest-wrote
    sync
    umount /mnt || echo "DISKINIT error umount failed"
    echo "DISKINIT wrote $token"
    finish
    ;;
bench)
    # diskperf.py (make bench): sequential and random reads and writes, O_DIRECT, on /dev/vda
    # (the host appends /bin/diskbench to this initramfs).
    n=0
    while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    /bin/diskbench /dev/vda
    finish
    ;;
shell)
    setsid cttyhack sh -l
    finish
    ;;
*)
    echo "DISKINIT error unknown mode $mode"
    finish
    ;;
esac

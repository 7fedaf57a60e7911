# The /init fragment of cases/resize.py (sourced by init.sh): the size of /dev/vda
# before and after the host's block_resize ("FUNCTEST resize-step 1" asks for it; the
# host answers on the console), and the kernel's line about the change.
early_resize() {
    load_modules virtio
    check vda wait_for /dev/vda
    first=$(cat /sys/block/vda/size)
    echo "FUNCTEST result vda-size1 $first"
    echo "FUNCTEST resize-step 1"
    read -r answer
    # The configuration-change interrupt is handled by a work item: give it 5 s.
    n=0
    while [ "$(cat /sys/block/vda/size)" = "$first" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    echo "FUNCTEST result vda-size2 $(cat /sys/block/vda/size)"
    if dmesg | grep -q 'vda: detected capacity change'; then
        echo "FUNCTEST result vda-changed logged"
    fi
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# cases/resize.py's SCSI case: sda grows (the parameter-change event), then a second disk
# comes (the rescan event) and goes (the removal event); 10 s for each.
wait_until() {
    n=0
    while ! eval "$1" && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
}

early_resize_scsi() {
    load_modules virtio
    load_modules scsi
    load_modules scsi-virtio
    check sda wait_for /dev/sda
    first=$(cat /sys/block/sda/size)
    echo "FUNCTEST result sda-size1 $first"
    echo "FUNCTEST resize-step 1"
    read -r answer
    wait_until '[ "$(cat /sys/block/sda/size)" != "$first" ] && [ -e /sys/block/sdb ]'
    echo "FUNCTEST result sda-size2 $(cat /sys/block/sda/size)"
    echo "FUNCTEST result sdb-size $(cat /sys/block/sdb/size 2>/dev/null)"
    came=$(cat /sys/block/sdb/size 2>/dev/null)
    echo "FUNCTEST resize-step 2"
    read -r answer
    wait_until '[ ! -e /sys/block/sdb ]'
    if [ -n "$came" ] && [ ! -e /sys/block/sdb ]; then
        echo "FUNCTEST result sdb-gone yes"
    fi
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

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

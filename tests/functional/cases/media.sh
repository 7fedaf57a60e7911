# The /init fragment of cases/media.py (sourced by init.sh): a CD on spapr-vscsi read,
# held open while the host tries to eject it, read again after the host changed the
# medium, and found empty after the host ejected it.  "FUNCTEST media-step N" asks the
# host to act; it answers on the console.
media_wait_host() {
    echo "FUNCTEST media-step $1"
    read -r answer
}

early_media() {
    load_modules media
    check sr0 wait_for /dev/sr0
    echo "FUNCTEST result cd1-size $(cat /sys/block/sr0/size)"
    echo "FUNCTEST result cd1-md5 $(dd if=/dev/sr0 bs=2048 2>/dev/null | md5sum | cut -d' ' -f1)"
    # An open /dev/sr0 keeps the door locked (sr's PREVENT ALLOW MEDIUM REMOVAL).
    exec 3</dev/sr0
    media_wait_host 1
    exec 3<&-
    media_wait_host 2
    # The next open sees the medium change (unit attentions) and rereads the capacity.
    dd if=/dev/sr0 bs=2048 count=1 of=/tmp/head 2>/dev/null
    echo "FUNCTEST result cd2-size $(cat /sys/block/sr0/size)"
    echo "FUNCTEST result cd2-head $(head -c 32 /tmp/head)"
    echo "FUNCTEST result cd2-md5 $(dd if=/dev/sr0 bs=2048 2>/dev/null | md5sum | cut -d' ' -f1)"
    media_wait_host 3
    if dd if=/dev/sr0 bs=2048 count=1 of=/dev/null 2>/dev/null; then
        echo "FUNCTEST result cd3-read read"
    else
        echo "FUNCTEST result cd3-read no-medium"
    fi
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

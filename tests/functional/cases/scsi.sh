# The /init fragment of cases/scsi.py (sourced by init.sh): Debian's SCSI disk and CD
# drivers and the adapter's driver loaded, a disk at target 0 and a CD at target 1 used,
# power-off.  The host checks what was printed and what reached the image.
scsi_common() {
    check sda wait_for /dev/sda
    check sr0 wait_for /dev/sr0
    echo "FUNCTEST result sda-model $(cat /sys/block/sda/device/vendor) $(cat /sys/block/sda/device/model)"
    echo "FUNCTEST result sr0-model $(cat /sys/block/sr0/device/vendor) $(cat /sys/block/sr0/device/model)"
    echo "FUNCTEST result sr0-size $(cat /sys/block/sr0/size)"
    echo "FUNCTEST result sr0-head $(dd if=/dev/sr0 bs=2048 count=1 2>/dev/null | head -c 32)"
    echo "FUNCTEST result sr0-md5 $(dd if=/dev/sr0 bs=2048 2>/dev/null | md5sum | cut -d' ' -f1)"
    echo "FUNCTEST result sda-cache $(cat /sys/block/sda/device/scsi_disk/*/cache_type)"
    disk_write_readback sda
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

early_scsi_vscsi() {
    load_modules scsi
    load_modules scsi-vscsi
    scsi_common
}

early_scsi_virtio() {
    load_modules virtio
    load_modules scsi
    load_modules scsi-virtio
    scsi_common
}

# The /init fragment of cases/virtio.py (sourced by init.sh): Debian's virtio modules loaded,
# the device the host gave used, power-off.  The host checks what was printed and what
# reached the image.
early_virtio_blk() {
    load_modules virtio
    check vda wait_for /dev/vda
    disk_write_readback vda
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

early_virtio_rng() {
    load_modules virtio
    check hwrng wait_for /dev/hwrng
    echo "FUNCTEST result rng-current $(cat /sys/class/misc/hw_random/rng_current)"
    echo "FUNCTEST result rng-bytes $(dd if=/dev/hwrng bs=64 count=4 2>/dev/null | wc -c)"
    echo "FUNCTEST result rng-distinct $(dd if=/dev/hwrng bs=256 count=1 2>/dev/null |
        od -An -v -tx1 | tr ' ' '\n' | grep . | sort -u | wc -l)"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# The /init fragment of cases/virtio.py (sourced by init.sh): Debian's virtio modules loaded,
# the device the host gave used, power-off.  The host checks what was printed and what
# reached the image.
early_virtio_blk() {
    load_modules virtio
    check vda wait_for /dev/vda
    echo "FUNCTEST result vda-size $(cat /sys/block/vda/size)"
    echo "FUNCTEST result vda-head $(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c 32)"
    # One sector at 4 KiB, then 1 MiB of random data at 1 MiB, flushed; read back uncached.
    echo "GUEST-WROTE-THIS-$(cat /sys/block/vda/size)" |
        dd of=/dev/vda bs=512 seek=8 conv=sync,fsync 2>/dev/null
    dd if=/dev/urandom of=/tmp/big bs=64k count=16 2>/dev/null
    dd if=/tmp/big of=/dev/vda bs=64k seek=16 conv=fsync 2>/dev/null
    sync
    echo 3 >/proc/sys/vm/drop_caches
    echo "FUNCTEST result big-written $(md5sum </tmp/big | cut -d' ' -f1)"
    echo "FUNCTEST result big-read $(dd if=/dev/vda bs=64k skip=16 count=16 2>/dev/null |
        md5sum | cut -d' ' -f1)"
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

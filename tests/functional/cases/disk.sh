# Shared by the /init fragments of cases/virtio.py and cases/scsi.py (no cases of its own):
# the disk checks whose results diskcheck.py compares with the image after the run.
# disk_write_readback NAME: /dev/NAME's size and first 32 bytes, one sector written at
# 4 KiB, then 1 MiB of random data at 1 MiB, flushed and read back uncached.
disk_write_readback() {
    echo "FUNCTEST result $1-size $(cat /sys/block/$1/size)"
    echo "FUNCTEST result $1-head $(dd if=/dev/$1 bs=512 count=1 2>/dev/null | head -c 32)"
    echo "GUEST-WROTE-THIS-$(cat /sys/block/$1/size)" |
        dd of=/dev/$1 bs=512 seek=8 conv=sync,fsync 2>/dev/null
    dd if=/dev/urandom of=/tmp/big bs=64k count=16 2>/dev/null
    dd if=/tmp/big of=/dev/$1 bs=64k seek=16 conv=fsync 2>/dev/null
    sync
    echo 3 >/proc/sys/vm/drop_caches
    echo "FUNCTEST result big-written $(md5sum </tmp/big | cut -d' ' -f1)"
    echo "FUNCTEST result big-read $(dd if=/dev/$1 bs=64k skip=16 count=16 2>/dev/null |
        md5sum | cut -d' ' -f1)"
}

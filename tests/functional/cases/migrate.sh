# The /init fragment of cases/migrate.py (sourced by init.sh): a disk and network workload
# that the host migrates to another emulator while it runs.  4 MiB of random data go to
# the disk at 2 MiB; each round reads them back uncached and prints their md5 and writes a
# marker sector at 12 MiB + round, then sleeps a second; after the last round the host's file is fetched through
# 10.0.2.2 again (the destination's user network).
early_migrate() {
    net_up
    # functest.mods: more module orders, comma-separated; functest.disk: the disk's name.
    for order in $(arg functest.mods | tr ',' ' '); do
        check "mods-$order" load_modules "$order"
    done
    disk=$(arg functest.disk)
    check "$disk" wait_for "/dev/$disk"
    dd if=/dev/urandom of=/tmp/data bs=64k count=64 2>/dev/null
    dd if=/tmp/data of=/dev/$disk bs=64k seek=32 conv=fsync 2>/dev/null
    echo "FUNCTEST result data-md5 $(md5sum </tmp/data | cut -d' ' -f1)"
    rounds=$(arg functest.rounds)
    i=1
    while [ "$i" -le "$rounds" ]; do
        echo 3 >/proc/sys/vm/drop_caches
        sum=$(dd if=/dev/$disk bs=64k skip=32 count=64 2>/dev/null | md5sum | cut -d' ' -f1)
        echo "ROUND-$i" | dd of=/dev/$disk bs=512 seek=$((24576 + i)) conv=sync,fsync 2>/dev/null
        echo "FUNCTEST round $i $sum"
        # A second a round: the host's migration lands in the middle of the loop.
        sleep 1
        i=$((i + 1))
    done
    printf 'GET /host.txt HTTP/1.0\r\n\r\n' | nc -w 20 10.0.2.2 "$(arg functest.port)" >/tmp/reply.txt
    echo "FUNCTEST result net-after $(tail -n 1 /tmp/reply.txt | tr -d '\r')"
    sync
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

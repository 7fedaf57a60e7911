# The /init fragment of cases/numa.py (sourced by init.sh).
# functest=numa functest.dist=D: two nodes of 512 MiB, CPUs 0-1 on node 0 and 2-3 on
# node 1, the distance between them D (10 to themselves); sysfs only, no numactl.
mode_numa() {
    d=$(arg functest.dist)
    n=/sys/devices/system/node
    for f in $n/online $n/node*/cpulist $n/node*/distance; do
        echo "FUNCTEST numa $f: $(cat $f)"
    done
    grep MemTotal $n/node*/meminfo | sed 's/^/FUNCTEST numa /'
    check numa-nodes test "$(cat $n/online)" = 0-1
    check numa-node0-cpus test "$(cat $n/node0/cpulist)" = 0-1
    check numa-node1-cpus test "$(cat $n/node1/cpulist)" = 2-3
    check numa-node0-mem numa_mem 0
    check numa-node1-mem numa_mem 1
    check numa-distance0 test "$(cat $n/node0/distance)" = "10 $d"
    check numa-distance1 test "$(cat $n/node1/distance)" = "$d 10"
    check numa-cpu-node test -e $n/node1/cpu3 -a -e $n/node0/cpu1 -a ! -e $n/node0/cpu2
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# numa_mem N: node N holds most of its 512 MiB (the kernel's reservations aside).
numa_mem() {
    kb=$(sed -n 's/.*MemTotal: *\([0-9]*\) kB/\1/p' /sys/devices/system/node/node$1/meminfo)
    test "$kb" -gt 300000 -a "$kb" -le 524288
}

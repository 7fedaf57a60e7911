# The /init fragment of cases/smp.py (sourced by init.sh).
# functest=smp functest.cpus=N: N processors online, N copies of the libm program at once
# with the output of a serial run, every secondary taken offline (RTAS stop-self) and
# brought back (start-cpu) through sysfs, the parallel run again, then power-off.
mode_smp() {
    want=$(arg functest.cpus)
    last=$((want - 1))
    check smp-cpuinfo-count test "$(grep -c '^processor' /proc/cpuinfo)" = "$want"
    check smp-online-all test "$(cat /sys/devices/system/cpu/online)" = "0-$last"
    /bin/fpcheck >/tmp/fpcheck-serial 2>&1
    check smp-parallel smp_parallel "$want"
    for c in $(seq 1 $last); do
        echo 0 >/sys/devices/system/cpu/cpu$c/online
    done
    check smp-offline test "$(cat /sys/devices/system/cpu/online)" = 0
    check smp-offline-cpuinfo test "$(grep -c '^processor' /proc/cpuinfo)" = 1
    for c in $(seq 1 $last); do
        echo 1 >/sys/devices/system/cpu/cpu$c/online
    done
    check smp-online-again test "$(cat /sys/devices/system/cpu/online)" = "0-$last"
    check smp-parallel-again smp_parallel "$want"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# N copies of fpcheck at once; all print what the serial run printed.
smp_parallel() {
    i=0
    while [ $i -lt "$1" ]; do
        /bin/fpcheck >/tmp/fp$i 2>&1 &
        i=$((i + 1))
    done
    wait
    i=0
    while [ $i -lt "$1" ]; do
        cmp -s /tmp/fp0 /tmp/fp$i || return 1
        i=$((i + 1))
    done
    test "$(tail -n 1 /tmp/fp0)" = "fpcheck done" && cmp -s /tmp/fp0 /tmp/fpcheck-serial
}

# The /init fragment of cases/cpuhp.py (sourced by init.sh).
# functest=cpuhp functest.cpus=N functest.plugged=M: the host answers "plug" on the
# console; it plugs a core (QMP device_add) and Linux's kernel DLPAR onlines its threads:
# M processors, parallel work; the host unplugs it (device_del), Linux offlines and
# releases it: N again; the host plugs it once more: M again; then the machine reboots
# with the core plugged.  On the next boot the host answers "poweroff".
mode_cpuhp() {
    boot=$(arg functest.cpus)
    plugged=$(arg functest.plugged)
    echo "FUNCTEST cpuhp boot-cpus $(cpuhp_count) online $(cat /sys/devices/system/cpu/online)"
    echo "FUNCTEST cpuhp ask"
    read -r answer
    if [ "$answer" != plug ]; then
        check cpuhp-reboot-parallel smp_parallel_fresh "$plugged"
        echo "FUNCTEST powering off"
        /bin/busybox poweroff -f
    fi
    check cpuhp-boot-count test "$(cpuhp_count)" = "$boot"
    /bin/fpcheck >/tmp/fpcheck-serial 2>&1
    echo "FUNCTEST cpuhp ready"
    check cpuhp-plugged cpuhp_wait "$plugged"
    check cpuhp-plugged-online test "$(cat /sys/devices/system/cpu/online)" = "$(cpuhp_range "$plugged")"
    check cpuhp-plugged-sysfs cpuhp_sysfs_online "$plugged"
    check cpuhp-parallel smp_parallel "$plugged"
    echo "FUNCTEST cpuhp plugged"
    check cpuhp-unplugged cpuhp_wait "$boot"
    check cpuhp-unplugged-online test "$(cat /sys/devices/system/cpu/online)" = "$(cpuhp_range "$boot")"
    echo "FUNCTEST cpuhp unplugged"
    check cpuhp-replugged cpuhp_wait "$plugged"
    check cpuhp-parallel-again smp_parallel "$plugged"
    echo "FUNCTEST cpuhp replugged"
    /bin/busybox reboot -f
}

# functest=cpuhpboot (-smp 2): the host unplugs the second boot core (QMP device_del of
# its QOM path); Linux offlines and releases it and goes on with one processor.
mode_cpuhpboot() {
    check cpuhpboot-count test "$(cpuhp_count)" = 2
    echo "FUNCTEST cpuhpboot ready"
    check cpuhpboot-unplugged cpuhp_wait 1
    check cpuhpboot-unplugged-online test "$(cat /sys/devices/system/cpu/online)" = 0
    check cpuhpboot-parallel smp_parallel_fresh 2
    echo "FUNCTEST cpuhpboot unplugged"
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# N copies of the libm program at once after a serial run of it.
smp_parallel_fresh() {
    /bin/fpcheck >/tmp/fpcheck-serial 2>&1
    smp_parallel "$1"
}

# Processors Linux runs (online ones are the ones /proc/cpuinfo lists).
cpuhp_count() {
    grep -c '^processor' /proc/cpuinfo
}

# The online list of processors 0 .. N-1, as sysfs prints it.
cpuhp_range() {
    if [ "$1" = 1 ]; then
        echo 0
    else
        echo "0-$(($1 - 1))"
    fi
}

# Wait up to 120 s for N processors.
cpuhp_wait() {
    n=0
    while [ "$(cpuhp_count)" != "$1" ] && [ $n -lt 240 ]; do
        sleep 0.5
        n=$((n + 1))
    done
    test "$(cpuhp_count)" = "$1"
}

# cpu1 .. cpuN-1 say online in sysfs.
cpuhp_sysfs_online() {
    c=1
    while [ $c -lt "$1" ]; do
        test "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 || return 1
        c=$((c + 1))
    done
}

# The /init fragment of cases/memhp.py (sourced by init.sh).
# functest=memhp: 1 GiB of boot RAM in 256 MiB blocks; the host plugs a 1 GiB pc-dimm
# (device_add), then unplugs it (device_del); Linux's pseries dlpar code adds, onlines,
# offlines and removes the blocks; sysfs and /proc/meminfo before and after.
mode_memhp() {
    echo "FUNCTEST memhp boot: $(memhp_state)"
    check memhp-boot-blocks test "$(memhp_blocks)" = 4 -a "$(memhp_online)" = 4
    echo "FUNCTEST memhp ready"
    memhp_wait 8
    echo "FUNCTEST memhp plugged: $(memhp_state)"
    check memhp-added-blocks test "$(memhp_blocks)" = 8
    check memhp-added-online test "$(memhp_online)" = 8
    check memhp-added-range test "$(cat /sys/devices/system/memory/memory4/phys_index)" = \
        00000004 -a "$(cat /sys/devices/system/memory/memory7/phys_index)" = 00000007
    check memhp-added-memtotal test "$(memhp_kb)" -gt 1800000
    check memhp-added-free test "$(sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo)" -gt 1048576
    echo "FUNCTEST memhp added"
    memhp_wait 4
    echo "FUNCTEST memhp unplugged: $(memhp_state)"
    check memhp-removed-blocks test "$(memhp_blocks)" = 4 -a "$(memhp_online)" = 4
    check memhp-removed-memtotal test "$(memhp_kb)" -lt 1048576
    echo "FUNCTEST memhp removed"
    # the host checks its side, then answers on the console
    read -t 60 reply
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

# functest=memhpcold: a 512 MiB module cold-plugged with -device (the tree CAS built
# lists its blocks as assigned); the host asks to unplug it, Linux cannot offline boot
# memory in use and puts the blocks back (the host sees the rejection).
mode_memhpcold() {
    echo "FUNCTEST memhp boot: $(memhp_state)"
    check memhpcold-boot-blocks test "$(memhp_blocks)" = 6 -a "$(memhp_online)" = 6
    check memhpcold-boot-range test "$(cat /sys/devices/system/memory/memory5/phys_index)" = \
        00000005
    check memhpcold-boot-memtotal test "$(memhp_kb)" -gt 1300000
    echo "FUNCTEST memhp ready"
    # the host answers once it saw the refusal
    read -t 120 reply
    echo "FUNCTEST memhp after: $(memhp_state)"
    check memhpcold-kept-blocks test "$(memhp_blocks)" = 6 -a "$(memhp_online)" = 6
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}

memhp_blocks() {
    ls -d /sys/devices/system/memory/memory* | wc -l
}

memhp_online() {
    cat /sys/devices/system/memory/memory*/online | grep -c 1
}

memhp_kb() {
    sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

memhp_state() {
    echo "blocks $(memhp_blocks) online $(memhp_online) MemTotal $(memhp_kb) kB"
}

# memhp_wait N: up to 60 s for N memory blocks, all online.
memhp_wait() {
    i=0
    while [ $i -lt 600 ]; do
        [ "$(memhp_blocks)" = "$1" ] && [ "$(memhp_online)" = "$1" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

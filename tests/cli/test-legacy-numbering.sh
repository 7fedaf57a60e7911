# Versioned numbering in the device tree: vCPU ids spaced by vsmt (8 on
# pseries-4.1 and older), the chip (socket) of each vCPU, VIO interrupts
# handed out in order on pseries-3.0 and older.  Every expected value was
# read from QEMU 7.2's (Debian's qemu-system-ppc64) dumped tree with the same
# arguments; the script passes with QEMU=/usr/bin/qemu-system-ppc64 too.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/l.dtb

# dtb MACHINE ARGS...: dump the tree of -M MACHINE with a console on null.
dtb() {
    local m=$1
    shift
    rm -f "$DTB"
    timeout 20 "$QEMU" -M "$m,dumpdtb=$DTB" -nodefaults -display none -serial null "$@" \
        </dev/null >/dev/null 2>"$TMP/err"
    if [ ! -s "$DTB" ]; then
        not_ok "-M $m $*: tree dumped" "$(cat "$TMP/err")"
        return 1
    fi
}

# prop NAME NODE PROPERTY WANT: fdtget -tx (or "absent").
prop() {
    local got
    got=$(fdtget -tx "$DTB" "$2" "$3" 2>/dev/null || echo absent)
    check_eq "$1: $2 $3" "$got" "$4"
}

check_eq() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1" "got: $2" "wanted: $3"
    fi
}

cpus() {
    fdtget -l "$DTB" /cpus | sort | tr '\n' ' '
}

# pseries-4.1 and older: vCPU ids 0, 8, ...; servers up to maxcpus * 8.
for m in pseries-4.1 pseries-3.0 pseries-2.12; do
    dtb $m -smp 2 || continue
    cpu=$(fdtget -l "$DTB" /cpus | grep -m1 '@8$')
    check_eq "$m -smp 2: cpu nodes" "$(cpus)" "${cpu%@8}@0 ${cpu} "
    prop "$m" /interrupt-controller ibm,interrupt-server-ranges "0 10"
    prop "$m" "/cpus/$cpu" reg 8
    prop "$m" "/cpus/$cpu" ibm,ppc-interrupt-server#s 8
    prop "$m" "/cpus/$cpu" ibm,ppc-interrupt-gserver#s "8 0"
    prop "$m" "/cpus/$cpu" ibm,my-drc-index 10000008
    prop "$m" "/cpus/$cpu" ibm,chip-id 1
    prop "$m" /chosen linux,pci-probe-only absent
done
dtb pseries-4.1 -smp 2,maxcpus=4 &&
    prop "pseries-4.1 maxcpus=4" /interrupt-controller ibm,interrupt-server-ranges "0 20"

# pseries-4.2: consecutive ids; sockets first (chip 1), PCI probing on.
dtb pseries-4.2 -smp 2 && {
    check_eq "pseries-4.2 -smp 2: cpu nodes" "$(cpus)" "PowerPC,POWER9@0 PowerPC,POWER9@1 "
    prop pseries-4.2 /interrupt-controller ibm,interrupt-server-ranges "0 2"
    prop pseries-4.2 /cpus/PowerPC,POWER9@1 reg 1
    prop pseries-4.2 /cpus/PowerPC,POWER9@1 ibm,ppc-interrupt-gserver#s "1 0"
    prop pseries-4.2 /cpus/PowerPC,POWER9@1 ibm,chip-id 1
    prop pseries-4.2 /chosen linux,pci-probe-only 0
}
# pseries-6.2 and newer fill cores first: one chip.
dtb pseries-7.2 -smp 2 && prop pseries-7.2 /cpus/PowerPC,POWER9@1 ibm,chip-id 0
dtb pseries-6.1 -smp 2 && prop pseries-6.1 /cpus/PowerPC,POWER9@1 ibm,chip-id 1
dtb pseries-7.2 -smp 2,sockets=2 && prop "pseries-7.2 sockets=2" /cpus/PowerPC,POWER9@1 ibm,chip-id 1
# vsmt= spaces ids on any version.
dtb pseries,vsmt=8 -smp 2 && {
    check_eq "vsmt=8: cpu nodes" "$(cpus)" "PowerPC,POWER9@0 PowerPC,POWER9@8 "
    prop vsmt=8 /interrupt-controller ibm,interrupt-server-ranges "0 10"
}
dtb pseries,vsmt=3 -smp 2 && {
    check_eq "vsmt=3: cpu nodes" "$(cpus)" "PowerPC,POWER9@0 PowerPC,POWER9@3 "
    prop vsmt=3 /interrupt-controller ibm,interrupt-server-ranges "0 6"
}
dtb pseries-4.1,vsmt=1 -smp 2 &&
    check_eq "pseries-4.1,vsmt=1: cpu nodes" "$(cpus)" "PowerPC,POWER9@0 PowerPC,POWER9@1 "

# VIO interrupts in order on pseries-3.0 and older: after the RTAS event
# sources (two, or one without modern hot-plug events before pseries-2.8),
# and -device after the PCI host bridge's four LSIs.
VTY2="-chardev null,id=c2 -device spapr-vty,chardev=c2"
for m in "pseries-3.0 1002 1003 1008" "pseries-2.12 1002 1003 1008" \
         "pseries-2.7 1001 1002 1007" "pseries-2.1 1001 1002 1007" \
         "pseries-3.1 1100 1101 1102" "pseries-7.2 1100 1101 1102"; do
    set -- $m
    dtb "$1" $VTY2 || continue
    prop "$1" /vdevice/vty@71000000 interrupts "$2 0"
    prop "$1" /vdevice/nvram@71000001 interrupts "$3 0"
    prop "$1" /vdevice/vty@71000002 interrupts "$4 0"
done
dtb pseries-3.0,modern-hotplug-events=off && prop "3.0 no hot-plug events" /vdevice/vty@71000000 interrupts "1001 0"

tap_done

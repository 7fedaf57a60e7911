# -machine dumpdtb=FILE: the device tree the pseries machine gives its guest,
# checked property by property against QEMU 7.2's values.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/t.dtb

# hexbin HEX: write the bytes a hex string spells.
hexbin() {
    local h=$1 out=
    while [ -n "$h" ]; do
        out+="\\x${h:0:2}"
        h=${h:2}
    done
    printf "$out"
}

# field ENDIAN DIGITS VALUE: VALUE as DIGITS hex digits in that byte order.
field() {
    local h r=
    h=$(printf "%0${2}x" "$3")
    if [ "$1" = be ]; then
        printf %s "$h"
        return
    fi
    while [ -n "$h" ]; do
        r="${h:0:2}$r"
        h=${h:2}
    done
    printf %s "$r"
}

# mkelf64 FILE ENDIAN PADDR SIZE: a PowerPC64 executable with one PT_LOAD
# segment of SIZE 'K' bytes at PADDR (the entry point).
mkelf64() {
    local e=$2 data=02
    [ "$e" = le ] && data=01
    {
        hexbin "7f454c4602${data}0100$(printf '0%.0s' {1..16})"
        hexbin "$(field $e 4 2)$(field $e 4 21)$(field $e 8 1)$(field $e 16 $3)"
        hexbin "$(field $e 16 64)$(field $e 16 0)$(field $e 8 0)$(field $e 4 64)"
        hexbin "$(field $e 4 56)$(field $e 4 1)$(field $e 4 64)$(field $e 4 0)$(field $e 4 0)"
        hexbin "$(field $e 8 1)$(field $e 8 5)$(field $e 16 120)$(field $e 16 $3)"
        hexbin "$(field $e 16 $3)$(field $e 16 $4)$(field $e 16 $4)$(field $e 16 65536)"
        head -c "$(($4))" /dev/zero | tr '\0' K
    } >"$1"
}

# dump ARGS...: build the tree with these options; it must exit 0 with the
# "dtb dumped" message and dtc must accept the blob.
dump() {
    rm -f "$DTB"
    run -display none -M "pseries,dumpdtb=$DTB" "$@"
    if [ "$RC" = 0 ] && printf '%s' "$ERR" | grep -q "info: dtb dumped to $DTB. Exiting." &&
       dtc -I dtb -O dts -o /dev/null "$DTB" 2>/dev/null; then
        ok "dumpdtb $*"
    else
        not_ok "dumpdtb $*" "exit $RC, stderr: $ERR"
    fi
}


# has NODE NAME / hasnt NODE NAME: the property is there / absent.
has() {
    if fdtget -t bx "$DTB" "$1" "$2" >/dev/null 2>&1; then
        ok "$1 has $2"
    else
        not_ok "$1 has $2"
    fi
}

hasnt() {
    if fdtget -t bx "$DTB" "$1" "$2" >/dev/null 2>&1; then
        not_ok "$1 has no $2"
    else
        ok "$1 has no $2"
    fi
}

# node_absent PATH
node_absent() {
    if fdtget -l "$DTB" "$1" >/dev/null 2>&1; then
        not_ok "no node $1"
    else
        ok "no node $1"
    fi
}

check_root() {
    fdt_prop s / model "IBM pSeries (emulated by qemu)"
    fdt_prop s / compatible "qemu,pseries"
    fdt_prop s / device_type chrp
    fdt_prop x / '#address-cells' 2
    fdt_prop x / '#size-cells' 2
    fdt_prop s / vm,uuid 00000000-0000-0000-0000-000000000000
}

# check_cpu NODE FAMILY RADIX PFT_SHIFT: one CPU node.
check_cpu() {
    local n=$1
    fdt_prop s "$n" device_type cpu
    fdt_prop x "$n" timebase-frequency 1e848000
    fdt_prop x "$n" clock-frequency 3b9aca00
    fdt_prop x "$n" ibm,vmx 2
    fdt_prop x "$n" ibm,dfp 1
    fdt_prop x "$n" ibm,purr 1
    fdt_prop x "$n" ibm,spurr 1
    fdt_prop x "$n" ibm,slb-size 20
    fdt_prop x "$n" ibm,pft-size "0 $4"
    fdt_prop x "$n" ibm,segment-page-sizes "c 0 1 c 0 10 110 1 10 1"
    fdt_prop x "$n" ibm,processor-segment-sizes "1c 28 ffffffff ffffffff"
    fdt_prop x "$n" d-cache-line-size 80
    fdt_prop x "$n" i-cache-block-size 80
    fdt_prop x "$n" i-cache-size 8000
    fdt_prop s "$n" status okay
    has "$n" 64-bit
    local pvr
    pvr=$(fdtget -t x "$DTB" "$n" cpu-version 2>/dev/null)
    if [ $((0x${pvr:-0} >> 16)) = $(($2)) ]; then
        ok "$n cpu-version family $2"
    else
        not_ok "$n cpu-version family $2" "got: $pvr"
    fi
    if [ "$3" = radix ]; then
        fdt_prop x "$n" ibm,processor-radix-AP-encodings "c a0000010 20000015 4000001e"
        fdt_prop x "$n" ibm,dec-bits 38
        local pa="4200f63f c7c080f0 80000000 0 8000 80008000 8000 80008000 80008000"
        pa+=" c0008000 80008000 80008000 80008000 80008000 80008000 80008000 80000000"
        fdt_prop x "$n" ibm,pa-features "$pa"
    else
        hasnt "$n" ibm,processor-radix-AP-encodings
        hasnt "$n" ibm,dec-bits
        fdt_prop bx "$n" ibm,pa-features \
            "18 0 f6 3f c7 c0 80 f0 80 0 0 0 0 0 0 0 0 0 80 0 80 0 80 0 0 0"
    fi
}

# The RTAS stub sits 64 KiB below the device tree, itself 2 MiB below the
# top of the RMA or 2 GiB.
check_rtas() {
    fdt_prop x /rtas linux,rtas-base "$1"
    fdt_prop x /rtas linux,rtas-entry "$1"
    has /rtas rtas-size
    has /rtas display-character
}

check_vty() {
    fdt_prop s /vdevice device_type vdevice
    fdt_prop s /vdevice compatible IBM,vdevice
    fdt_prop x /vdevice '#address-cells' 1
    fdt_prop x /vdevice '#size-cells' 0
    fdt_prop s /vdevice/vty@71000000 device_type serial
    fdt_prop s /vdevice/vty@71000000 compatible hvterm1
    fdt_prop x /vdevice/vty@71000000 reg 71000000
    fdt_prop s /chosen linux,stdout-path /vdevice/vty@71000000
    fdt_prop s /chosen stdout-path /vdevice/vty@71000000
}

# Processor models and memory sizes
for cpu in power9 power8; do
    for mem in 1G 2G 4G; do
        dump -cpu $cpu -m $mem
        check_root
        case $mem in
        1G) size="0 40000000"; shift=17; rtas=3fdf0000 ;;
        2G) size="0 80000000"; shift=18; rtas=7fdf0000 ;;
        4G) size="1 0"; shift=19; rtas=7fdf0000 ;;
        esac
        fdt_prop s /memory@0 device_type memory
        fdt_prop x /memory@0 reg "0 0 $size"
        if [ $cpu = power9 ]; then
            check_cpu /cpus/PowerPC,POWER9@0 0x004e radix $shift
            # Byte 23: XICS only (QEMU's dual says 0x80, either); no XIVE yet.
            fdt_prop x /chosen ibm,arch-vec-5-platform-support "170018c0 19001a40"
        else
            check_cpu /cpus/PowerPC,POWER8@0 0x004d hash $shift
            fdt_prop x /chosen ibm,arch-vec-5-platform-support "17001800 19001a40"
        fi
        check_rtas $rtas
        check_vty
    done
done

# Default machine: 512 MiB, one POWER9, a random seed for the kernel.
dump
fdt_prop x /memory@0 reg "0 0 0 20000000"
fdt_prop x /cpus/PowerPC,POWER9@0 ibm,pft-size "0 16"
fdt_prop x /cpus '#address-cells' 1
fdt_prop x /cpus '#size-cells' 0
seed=$(fdtget -t bx "$DTB" /chosen rng-seed 2>/dev/null | wc -w)
if [ "$seed" = 32 ]; then
    ok "/chosen rng-seed has 32 bytes"
else
    not_ok "/chosen rng-seed has 32 bytes" "got $seed"
fi
hasnt /chosen bootargs
hasnt /chosen qemu,boot-kernel
hasnt /chosen linux,initrd-start

# The HPT is sized from RAM while the guest may resize it, else from maxmem
# (QEMU 7.2: 0x17 and 0x1a for 1G with maxmem=8G); the resize hcalls are listed.
dump -m 1G,maxmem=8G,slots=4
fdt_prop x /cpus/PowerPC,POWER9@0 ibm,pft-size "0 17"
hypertas=$(fdtget "$DTB" /rtas ibm,hypertas-functions 2>/dev/null)
case " $hypertas " in
*" hcall-hpt-resize "*) ok "/rtas lists hcall-hpt-resize" ;;
*) not_ok "/rtas lists hcall-hpt-resize" "got: $hypertas" ;;
esac
dump -m 1G,maxmem=8G,slots=4 -M resize-hpt=disabled
fdt_prop x /cpus/PowerPC,POWER9@0 ibm,pft-size "0 1a"

# One node per CPU, interrupt server numbers following the CPU index.
dump -smp 2
fdt_prop x /cpus/PowerPC,POWER9@1 reg 1
fdt_prop x /cpus/PowerPC,POWER9@1 ibm,ppc-interrupt-server#s 1
fdt_prop x /cpus/PowerPC,POWER9@0 ibm,ppc-interrupt-server#s 0

# No console without defaults; -device adds one.
dump -nodefaults
node_absent /vdevice/vty@71000000
hasnt /chosen stdout-path
hasnt /chosen linux,stdout-path
dump -nodefaults -chardev null,id=c1 -device spapr-vty,chardev=c1,reg=0x1000
fdt_prop x /vdevice/vty@1000 reg 1000
fdt_prop s /chosen stdout-path /vdevice/vty@1000
# The nvram and the default CD's adapter (made with the machine) sit between the
# console and -device, as QEMU 7.2 places them without its default NIC (-nic none).
dump -nic none -chardev null,id=c1 -device spapr-vty,chardev=c1
fdt_prop x /vdevice/nvram@71000001 reg 71000001
fdt_prop x /vdevice/v-scsi@71000002 reg 71000002
fdt_prop x /vdevice/vty@71000003 reg 71000003
fdt_prop s /chosen stdout-path /vdevice/vty@71000000

# Boot images: ELF kernels land at 0x400000, the initrd 64 KiB-aligned after.
printf 'initrd data' >"$TMP/initrd"
mkelf64 "$TMP/be.elf" be 0xc000000000000000 0x1234
dump -kernel "$TMP/be.elf" -initrd "$TMP/initrd" -append "console=hvc0 foo"
fdt_prop x /chosen qemu,boot-kernel "0 400000 0 1234"
hasnt /chosen qemu,boot-kernel-le
fdt_prop x /chosen linux,initrd-start 420000
fdt_prop x /chosen linux,initrd-end 42000b
fdt_prop s /chosen bootargs "console=hvc0 foo"
mkelf64 "$TMP/le.elf" le 0 0x20000
dump -kernel "$TMP/le.elf" -initrd "$TMP/initrd"
fdt_prop x /chosen qemu,boot-kernel "0 400000 0 20000"
has /chosen qemu,boot-kernel-le
fdt_prop x /chosen linux,initrd-start 430000
printf 'raw kernel image' >"$TMP/raw"
dump -kernel "$TMP/raw"
fdt_prop x /chosen qemu,boot-kernel "0 400000 0 10"
mkelf64 "$TMP/hi.elf" be 0xc000000000100000 0x100
dump -kernel "$TMP/hi.elf"
fdt_prop x /chosen qemu,boot-kernel "0 500000 0 100"
if printf '%s' "$ERR" | grep -q 'kernel_addr changed from 0x400000 to 0x500000'; then
    ok "kernel moved: warning"
else
    not_ok "kernel moved: warning" "stderr: $ERR"
fi
dump -M kernel="$TMP/be.elf",append=viaprop
fdt_prop x /chosen qemu,boot-kernel "0 400000 0 1234"
fdt_prop s /chosen bootargs viaprop

# Properties that change the tree.
dump -M dt-compatible=foo,cap-vsx=off,cap-dfp=off,cap-large-decr=off,ic-mode=xics
fdt_prop s / compatible foo
fdt_prop x /cpus/PowerPC,POWER9@0 ibm,vmx 1
hasnt /cpus/PowerPC,POWER9@0 ibm,dfp
hasnt /cpus/PowerPC,POWER9@0 ibm,dec-bits
fdt_prop x /chosen ibm,arch-vec-5-platform-support "170018c0 19001a40"
# XICS: the presentation controller node, as QEMU 7.2 has it.
fdt_prop s /interrupt-controller device_type PowerPC-External-Interrupt-Presentation
fdt_prop s /interrupt-controller compatible IBM,ppc-xicp
has /interrupt-controller interrupt-controller
fdt_prop x /interrupt-controller ibm,interrupt-server-ranges "0 1"
fdt_prop x /interrupt-controller "#interrupt-cells" 2
fdt_prop x /interrupt-controller phandle 1111
fdt_prop x /interrupt-controller linux,phandle 1111
dump -M ic-mode=dual -smp 2,maxcpus=4
fdt_prop x /interrupt-controller ibm,interrupt-server-ranges "0 4"
fdt_prop x /chosen ibm,arch-vec-5-platform-support "170018c0 19001a40"
# XIVE does not exist yet.
expect_error "ic-mode=xive: the XIVE interrupt controller is not implemented yet" -display none \
    -M pseries,ic-mode=xive,dumpdtb=$DTB

# A file that cannot be written is an error.
expect_error_at_reset "Failed dumping dtb to /nonexistent/x.dtb" -display none \
    -M pseries,dumpdtb=/nonexistent/x.dtb

tap_done

# -drive and -global spapr-nvram.drive= together: every message and exit
# status here was taken from QEMU 7.2 (Debian's qemu-system-ppc64) run with
# the same arguments.
. "$(dirname "$0")/lib.sh"

P=qemu-system-ppc64
head -c 16384 /dev/zero >"$TMP/a.img"
head -c 32768 /dev/zero >"$TMP/b.img"
head -c 1000 /dev/zero >"$TMP/small.img"
A="file=$TMP/a.img,format=raw"
B="file=$TMP/b.img,format=raw"
DTB=$TMP/g.dtb

# accepted BYTES ARGS...: the machine is built (dumpdtb exits 0 at reset)
# with an nvram of BYTES (hex): 10000 in memory, 4000 a.img, 8000 b.img.
accepted() {
    local bytes=$1
    shift
    rm -f "$DTB"
    run -nodefaults -display none -M "pseries,dumpdtb=$DTB" "$@"
    if [ "$RC" = 0 ] && [ -s "$DTB" ] &&
       [ "$(fdtget -tx "$DTB" /vdevice/nvram@71000000 '#bytes')" = "$bytes" ]; then
        ok "accepted: $*"
    else
        not_ok "accepted: $*" "exit $RC, stderr: $ERR"
    fi
}

# The flash drive after a -global naming another: refused, whatever the order.
expect_stderr "$P: -global spapr-nvram.drive=... conflicts with drive=pflash0" \
    -nodefaults -drive if=pflash,$A -global spapr-nvram.drive=n0 -drive if=none,id=n0,$B
expect_stderr "$P: -global spapr-nvram.drive=... conflicts with drive=pflash0" \
    -nodefaults -global spapr-nvram.drive=n0 -drive if=none,id=n0,$B -drive if=pflash,$A
expect_stderr "$P: -global spapr-nvram.drive=... conflicts with drive=pflash0" \
    -nodefaults -drive if=pflash,$A -global spapr-nvram.drive=pflash0
expect_stderr "$P: -global spapr-nvram.drive=... conflicts with drive=p" \
    -nodefaults -drive if=pflash,id=p,$A -global spapr-nvram.drive=p
# A second -global for the same property conflicts with the first.
expect_stderr "$P: can't apply global spapr-nvram.drive=n1: -global spapr-nvram.drive=... conflicts with drive=n1" \
    -nodefaults -global spapr-nvram.drive=n0 -drive if=none,id=n0,$A -drive if=none,id=n1,$B \
    -global spapr-nvram.drive=n1
expect_stderr "$P: can't apply global spapr-nvram.drive=n0: -global spapr-nvram.drive=... conflicts with drive=n0" \
    -nodefaults -global spapr-nvram.drive=n0 -drive if=none,id=n0,$A -global spapr-nvram.drive=n0
# A drive id that does not exist is the global's error.
expect_stderr "$P: can't apply global spapr-nvram.drive=nope: Property 'spapr-nvram.drive' can't find value 'nope'" \
    -nodefaults -global spapr-nvram.drive=nope
expect_stderr "$P: can't apply global spapr-nvram.drive=zz: Property 'spapr-nvram.drive' can't find value 'zz'" \
    -nodefaults -global driver=spapr-nvram,property=drive,value=zz
expect_stderr "$P: can't apply global spapr-nvram.foo=1: Property 'spapr-nvram.foo' not found" \
    -nodefaults -global spapr-nvram.foo=1
# ...but realize-time checks carry no prefix.
expect_stderr "$P: Block node is read-only" \
    -nodefaults -drive if=none,id=n0,$A,readonly=on -global spapr-nvram.drive=n0
expect_stderr "$P: spapr-nvram must be between 8192 and 1048576 bytes in size" \
    -nodefaults -drive if=none,id=n0,file=$TMP/small.img,format=raw -global spapr-nvram.drive=n0
expect_stderr "$P: -device spapr-vty,id=x: can't apply global spapr-vty.chardev=zz: Property 'spapr-vty.chardev' can't find value 'zz'" \
    -nodefaults -device spapr-vty,id=x -global spapr-vty.chardev=zz
# "drive=" is no drive; unnamed drives are named after interface and unit.
accepted 10000 -global spapr-nvram.drive=
accepted 4000 -drive if=none,$A -global spapr-nvram.drive=none0
accepted 8000 -drive if=none,$A -drive if=none,$B -global spapr-nvram.drive=none1
accepted 8000 -drive if=none,id=a,$A -drive if=none,$B -global spapr-nvram.drive=none1
accepted 4000 -drive if=none,unit=3,$A -global spapr-nvram.drive=none3
expect_stderr "$P: can't apply global spapr-nvram.drive=none0: Property 'spapr-nvram.drive' can't find value 'none0'" \
    -nodefaults -drive if=none,id=a,$A -drive if=none,$B -global spapr-nvram.drive=none0
# Units and ids of -drive.
expect_stderr "$P: -drive if=none,unit=0,$B: drive with bus=0, unit=0 (index=-1) exists" \
    -nodefaults -drive if=none,unit=0,$A -drive if=none,unit=0,$B
expect_stderr "$P: -drive if=none,unit=2,$B: drive with bus=0, unit=2 (index=-1) exists" \
    -nodefaults -drive if=none,index=2,$A -drive if=none,unit=2,$B
expect_stderr "$P: -drive if=none,unit=1,index=1,$A: index cannot be used with bus and unit" \
    -nodefaults -drive if=none,unit=1,index=1,$A
expect_stderr "$P: -drive if=none,$B: Device with id 'none1' already exists" \
    -nodefaults -drive if=none,id=none1,$A -drive if=none,$B
expect_stderr "$P: -drive if=none,id=none0,$B: Device with id 'none0' already exists" \
    -nodefaults -drive if=none,$A -drive if=none,id=none0,$B
expect_stderr "$P: -drive if=none,id=a,$B: Duplicate ID 'a' for drive" \
    -nodefaults -drive if=none,id=a,$A -drive if=none,id=a,$B

tap_done

# -boot: what the firmware is told in /chosen (qemu,boot-device, qemu,boot-menu) and the
# option's errors, with QEMU 7.2's values and messages; -bios under x-vof=on.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/t.dtb

dump() {
    rm -f "$DTB"
    run -display none -M "pseries,dumpdtb=$DTB" "$@"
    if [ "$RC" = 0 ] && [ -s "$DTB" ]; then
        ok "dumpdtb $*"
    else
        not_ok "dumpdtb $*" "exit $RC, stderr: $ERR"
    fi
}

absent() {
    if fdtget -t bx "$DTB" /chosen "$1" >/dev/null 2>&1; then
        not_ok "/chosen has no $1 ($2)"
    else
        ok "/chosen has no $1 ($2)"
    fi
}

dump
absent qemu,boot-device "no -boot"
absent qemu,boot-menu "no -boot"
dump -boot menu=on
fdt_prop x /chosen qemu,boot-menu 1
dump -boot menu=off,splash-time=3,reboot-timeout=5,strict=on
absent qemu,boot-menu "menu=off"
# once= is published for the first boot; order= alone is not (QEMU 7.2).
dump -boot once=d
fdt_prop s /chosen qemu,boot-device d
dump -boot order=cd
absent qemu,boot-device "order= alone"
dump -boot cn,once=nc
fdt_prop s /chosen qemu,boot-device nc
# Later -boot options override earlier keys.
dump -boot once=c -boot once=d,menu=on
fdt_prop s /chosen qemu,boot-device d
fdt_prop x /chosen qemu,boot-menu 1

expect_error "^qemu-system-ppc64: Invalid boot device 'z'$" -boot order=cz
expect_error "^qemu-system-ppc64: Boot device 'c' was given twice$" -boot order=cc
expect_error "^qemu-system-ppc64: Invalid boot device 'q'$" -boot once=q
expect_error "^qemu-system-ppc64: Parameter 'boot.menu' expects 'on' or 'off'$" -boot menu=maybe
expect_error "^qemu-system-ppc64: Parameter 'boot.strict' expects 'on' or 'off'$" -boot strict=x
expect_error "^qemu-system-ppc64: Parameter 'boot.splash-time' expects integer$" \
    -boot splash-time=abc
expect_error "^qemu-system-ppc64: Parameter 'boot.foo' is unexpected$" -boot foo=bar

# -bios under x-vof=on replaces QEMU's vof.bin: the image runs at 0x100 with VOF's
# registers (r3 = the initrd base, 0 here: no device tree), not our client stub.
# The hello guest says so, then waits (as on QEMU 7.2).
timeout 5 "$QEMU" -M pseries,x-vof=on -m 1G -nodefaults -nographic -display none \
    -serial stdio -bios "$BUILDDIR/tests/guest/hello-le.bin" </dev/null >"$TMP/out" 2>&1
if grep -q "^guest: r3 does not point to a device tree" "$TMP/out"; then
    ok "x-vof=on -bios runs the image as the firmware"
else
    not_ok "x-vof=on -bios runs the image as the firmware" "output: $(head -c 300 "$TMP/out")"
fi

tap_done

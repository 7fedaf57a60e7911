# -machine x-vof=on: the tree served at reset, a hand-made client calling the
# interface, and Linux's prom_init running to the jump into the kernel proper.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/vof.dtb
KERNEL=${VOF_KERNEL:-/var/cache/spapr-assets/k/boot/vmlinux-6.1.0-57-powerpc64le}


# The tree as served at reset, without a kernel (values from QEMU 7.2's dumpdtb).
run -M pseries,x-vof=on,dumpdtb=$DTB -m 1G -nographic
if [ "$RC" = 0 ]; then
    ok "dumpdtb with x-vof=on"
else
    not_ok "dumpdtb with x-vof=on" "exit $RC: $ERR"
fi
# the firmware (0..0xda0) and its stack (0x8000..0x10000) are claimed
fdt_prop x /memory@0 available "0 da0 0 7260 0 10000 0 3fff0000"
# stdout is the first ihandle: the console, opened at reset
fdt_prop u /chosen stdout 1
# every node has a phandle, all different
dtc -I dtb -O dts -o "$TMP/vof.dts" "$DTB" 2>/dev/null
nodes=$(grep -c '{$' "$TMP/vof.dts")
phandles=$(grep -E '^[[:space:]]*phandle = <0x[0-9a-f]+>;$' "$TMP/vof.dts" | sort -u | wc -l)
if [ "$nodes" -gt 5 ] && [ "$nodes" = "$phandles" ]; then
    ok "every node has its own phandle ($nodes nodes)"
else
    not_ok "every node has its own phandle" "$nodes nodes, $phandles phandles"
fi

# No kernel: the firmware gives up with "exit" and the VM pauses, as QEMU's.
timeout 3 "$QEMU" -M pseries,x-vof=on -m 1G -nographic </dev/null >"$TMP/out" 2>"$TMP/err"
if grep -q 'qemu-system-ppc64: Stopped as the VM requested "exit"' "$TMP/err"; then
    ok "no kernel: exit"
else
    not_ok "no kernel: exit" "stderr: $(cat "$TMP/err")"
fi

# A raw image at 0x400000 entered in 32-bit big-endian mode with r5 = the
# client-interface entry: it writes to stdout (ihandle 1) and calls exit.
words="7cbf2b78 7fe903a6 3c600040 60630100 4e800421 7fe903a6 3c600040 60630180
       4e800421 48000000"
{
    for w in $words; do printf "\\x${w:0:2}\\x${w:2:2}\\x${w:4:2}\\x${w:6:2}"; done
    head -c $((0x100 - 40)) /dev/zero
    # 0x100: write ( ihandle=1 buf=0x400160 len=15 -- actual )
    printf '\x00\x40\x01\x40\x00\x00\x00\x03\x00\x00\x00\x01'
    printf '\x00\x00\x00\x01\x00\x40\x01\x60\x00\x00\x00\x0f\x00\x00\x00\x00'
    head -c $((0x40 - 28)) /dev/zero
    printf 'write\0'
    head -c $((0x20 - 6)) /dev/zero
    printf 'hello from VOF\n'
    head -c $((0x20 - 15)) /dev/zero
    # 0x180: exit ( -- )
    printf '\x00\x40\x01\xa0\x00\x00\x00\x00\x00\x00\x00\x00'
    head -c $((0x20 - 12)) /dev/zero
    printf 'exit\0'
} >"$TMP/client.bin"
timeout 5 "$QEMU" -M pseries,x-vof=on -m 1G -nographic -kernel "$TMP/client.bin" \
    </dev/null >"$TMP/out" 2>"$TMP/err"
if grep -q '^hello from VOF' "$TMP/out" &&
   grep -q 'Stopped as the VM requested "exit"' "$TMP/err"; then
    ok "a raw client writes to stdout and exits"
else
    not_ok "a raw client writes to stdout and exits" "stdout: $(cat "$TMP/out")" \
        "stderr: $(cat "$TMP/err")"
fi

# Linux: prom_init runs to its end and jumps into the kernel proper, whose
# first console output (udbg through H_PUT_TERM_CHAR) follows.
if [ -r "$KERNEL" ]; then
    timeout 60 "$QEMU" -M pseries,x-vof=on -m 1G -nographic -kernel "$KERNEL" \
        -append console=hvc0 -no-reboot </dev/null >"$TMP/out" 2>"$TMP/err"
    tr -d '\r' <"$TMP/out" >"$TMP/console"
    if grep -q '^Calling ibm,client-architecture-support... done' "$TMP/console" &&
       grep -q '^instantiating rtas at 0x000000002fff0000... done' "$TMP/console" &&
       grep -q '^Quiescing Open Firmware ...' "$TMP/console" &&
       grep -A1 '^Booting Linux via __start() @ 0x0000000000400000 ...' "$TMP/console" |
           grep -q '^\[    0.000000\] '; then
        ok "Linux: prom_init quiesces and enters the kernel proper"
    else
        not_ok "Linux: prom_init quiesces and enters the kernel proper" \
            "console: $(head -c 3000 "$TMP/console")" "stderr: $(cat "$TMP/err")"
    fi
else
    ok "Linux: prom_init quiesces and enters the kernel proper # SKIP no kernel at $KERNEL"
fi

tap_done

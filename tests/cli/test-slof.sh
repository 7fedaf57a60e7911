# The default firmware: SLOF from the data directories (-L, then the built-in
# ones), its prompt on the vty answering Forth typed on stdin, and a -kernel
# booted through its client interface, as with QEMU 7.2.
. "$(dirname "$0")/lib.sh"

KERNEL=${SLOF_KERNEL:?the big-endian test kernel (tests/cli/slof/kernel.c)}
KERNEL_LE=${SLOF_KERNEL_LE:?the little-endian build of it}
DTB=$TMP/s.dtb

# Firmware lookup: -L help lists the -L directories first; -bios names are
# found there; a name found nowhere and an empty image are refused.
run -L "$TMP" -L help
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | head -1)" = "$TMP" ] &&
   printf '%s\n' "$OUT" | grep -qx /usr/share/qemu; then
    ok "-L help lists -L directories first, then /usr/share/qemu"
else
    not_ok "-L help" "exit $RC, stdout: $OUT"
fi
printf 'fw' >"$TMP/mine.bin"
: >"$TMP/empty.bin"
run -L "$TMP" -bios mine.bin -M "pseries,dumpdtb=$DTB"
if [ "$RC" = 0 ]; then ok "-bios NAME found in a -L directory"; else
    not_ok "-bios NAME found in a -L directory" "exit $RC: $ERR"; fi
expect_error "^qemu-system-ppc64: Could not find LPAR firmware 'mine.bin'$" -bios mine.bin
expect_error "^qemu-system-ppc64: Could not load LPAR firmware '$TMP/empty.bin'$" \
    -L "$TMP" -bios empty.bin

# The tree SLOF reads: its console size, and the kernel QEMU has loaded.
run -M "pseries,dumpdtb=$DTB" -kernel "$KERNEL"
for p in "qemu,graphic-width 800" "qemu,graphic-height 600" "qemu,graphic-depth 32"; do
    got=$(fdtget -t u "$DTB" /chosen "${p% *}" 2>&1)
    if [ "$got" = "${p#* }" ]; then ok "/chosen ${p% *} = ${p#* }"; else
        not_ok "/chosen ${p% *}" "got $got"; fi
done
got=$(fdtget -t x "$DTB" /chosen qemu,boot-kernel 2>&1)
if [ "$got" = "0 400000 0 10480" ] && ! fdtget "$DTB" /chosen qemu,boot-kernel-le >/dev/null 2>&1; then
    ok "/chosen qemu,boot-kernel, no qemu,boot-kernel-le for a big-endian kernel"
else
    not_ok "/chosen qemu,boot-kernel" "got $got"
fi
run -M "pseries,dumpdtb=$DTB" -kernel "$KERNEL_LE"
if [ "$RC" = 0 ] && [ "$(fdtget -t x "$DTB" /chosen qemu,boot-kernel-le 2>&1)" = "" ]; then
    ok "/chosen qemu,boot-kernel-le (empty) for a little-endian kernel"
else
    not_ok "/chosen qemu,boot-kernel-le" "exit $RC: $ERR"
fi

# slof_run TIMEOUT INPUT ARGS...: run with SLOF on a -nographic console; once
# the output shows the "0 >" prompt, type INPUT (if any) and stop after 5 s.
slof_run() {
    local limit=$1 input=$2 pid i
    shift 2
    rm -f "$TMP/in" "$TMP/out"
    mkfifo "$TMP/in"
    "$QEMU" -M pseries -m 1G -nographic "$@" <"$TMP/in" >"$TMP/out" 2>&1 &
    pid=$!
    exec 3>"$TMP/in"
    RC=
    for ((i = 0; i < limit * 4; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            RC=$?
            break
        fi
        if [ -n "$input" ] && grep -q '^0 > ' "$TMP/out"; then
            printf '%s\r' "$input" >&3
            input=
            i=$((limit * 4 - 20))
        fi
        sleep 0.25
    done
    if [ -z "$RC" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        RC=killed
    fi
    exec 3>&-
    OUT=$(tr -d '\r' <"$TMP/out")
}

# No kernel: the banner, no boot device, and the prompt answering Forth.
slof_run 100 '1 2 + . hex 7fff 1+ .'
for want in '^SLOF' 'FW Version = release 20220719' 'Press "s" to enter Open Firmware' \
    'E3407: Load failed' '^0 > .*3 8000  ok$'; do
    if printf '%s\n' "$OUT" | grep -q -- "$want"; then ok "no kernel: output has $want"; else
        not_ok "no kernel: output has $want" "${OUT: -600}"; fi
done

# A small -kernel: SLOF finds it in memory and enters it with the client
# interface, through which it prints and finds the power-off RTAS token.
slof_run 100 '' -kernel "$KERNEL"
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q 'Detected RAM kernel at 400000 (10480 bytes)' &&
   printf '%s\n' "$OUT" | grep -q '^slof-kernel: hello through the client interface$' &&
   printf '%s\n' "$OUT" | grep -q '^slof-kernel: powering off$' &&
   ! printf '%s\n' "$OUT" | grep -q 'still running'; then
    ok "-kernel booted by SLOF prints through the client interface and powers off"
else
    not_ok "-kernel booted by SLOF" "exit $RC" "${OUT: -800}"
fi

tap_done

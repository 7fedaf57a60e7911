# A guest stuck in an interrupt loop (zeroed firmware: an illegal instruction at
# 0x100, then at the program-interrupt vector 0x700 over and over) with -d int
# must not fill the disk: identical lines are counted, and the log stays small.
. "$(dirname "$0")/lib.sh"

head -c 65536 /dev/zero >"$TMP/zero.bin"
timeout -s TERM 3 "$QEMU" -M pseries -m 1G -nodefaults -display none -bios "$TMP/zero.bin" \
    -d int -D "$TMP/log" </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$? # 124: timeout ended it, as intended
size=$(stat -c %s "$TMP/log" 2>/dev/null || echo 0)
log=$(head -c 4000 "$TMP/log")
if [ "$rc" = 124 ] && [ "$size" -gt 0 ] && [ "$size" -lt 4096 ]; then
    ok "the log of an interrupt loop stays under 4 KiB ($size bytes)"
else
    not_ok "the log of an interrupt loop stays under 4 KiB" "exit $rc, $size bytes" "$log"
fi
# The loop shows twice, then one line counts the rest (at exit, after SIGTERM).
n=$(grep -c '^interrupt 0x700 at 0x700 ' "$TMP/log")
count=$(sed -nE 's/^\.\.\. ([0-9]+) identical lines$/\1/p' "$TMP/log")
if [ "$n" = 2 ] && [ -n "$count" ] && [ "$count" -gt 10000 ]; then
    ok "two repetitions shown, $count counted"
else
    not_ok "two repetitions shown, the rest counted" "$log"
fi
if grep -q '^interrupt 0x700 at 0x100 ' "$TMP/log"; then
    ok "the first interrupt is logged"
else
    not_ok "the first interrupt is logged" "$log"
fi
tap_done

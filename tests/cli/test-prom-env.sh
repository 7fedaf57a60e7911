# -prom-env: the variables in the nvram's CHRP system partition, byte for byte as
# QEMU 7.2 writes them (read back over qtest with RTAS nvram-fetch), its errors, and
# where we differ on purpose (a system partition longer than 2 KiB).
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
LEN=4096

# nvram BINARY ARGS...: the first LEN bytes of the nvram as one hex line (or an error).
nvram() {
    local bin=$1
    shift
    printf '%s\n' "writel 0x1000 0" "writel 0x1004 0x100000" "writel 0x1008 $LEN" \
        "rtas nvram-fetch 3 0x1000 2 0x2000" "readl 0x2000" "read 0x100000 $LEN" |
        timeout 20 "$bin" -M pseries -m 512M -display none -nodefaults -qtest stdio -S "$@" \
            2>"$TMP/err" | grep -v '^\[' | tail -2 | tr '\n' ' '
}

# same NAME ARGS...: ours and QEMU 7.2 give the same nvram.
same() {
    local name=$1 theirs ours
    shift
    theirs=$(nvram "$ORACLE" -vga none "$@")
    ours=$(nvram "$QEMU" "$@")
    if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
        ok "$name: the nvram as QEMU 7.2's"
    else
        not_ok "$name: the nvram as QEMU 7.2's" "QEMU 7.2: ${theirs:0:300}" \
            "ours:     ${ours:0:300}" "stderr: $(cat "$TMP/err")"
    fi
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit
fi

same "no -prom-env"
same "two variables" -prom-env 'boot-command=boot' -prom-env 'input-device=hvterm'
same "odd strings" -prom-env 'auto-boot?=false' -prom-env 'novalue' -prom-env 'empty=' \
    -prom-env 'commas=a,b,c' -prom-env 'spaces=a b'
many=()
for i in $(seq 1 128); do
    many+=(-prom-env "var$i=value$i")
done
same "128 variables" "${many[@]}"
truncate -s 16K "$TMP/nv.img"
printf 'IMAGE' | dd of="$TMP/nv.img" conv=notrunc 2>/dev/null
same "an nvram image wins over -prom-env" -drive "if=pflash,format=raw,file=$TMP/nv.img" \
    -prom-env 'boot-command=boot'

# More than 128: QEMU 7.2's message.
run "${many[@]}" -prom-env 'one=too-many'
theirs=$("$ORACLE" -M pseries -display none -vga none -S "${many[@]}" -prom-env 'one=too-many' \
    2>&1 >/dev/null | grep -v 'module ui-')
if [ "$RC" = 1 ] && [ "$ERR" = "$theirs" ]; then
    ok "129 variables: $ERR"
else
    not_ok "129 variables: QEMU 7.2's message" "exit $RC, ours: $ERR" "QEMU 7.2: $theirs"
fi

# A long variable: the system partition grows past 2 KiB and the free partition
# follows it (QEMU 7.2 writes the free header at 2 KiB, inside the variable). The
# headers are checked with Linux's nvram_checksum, written again here.
check_layout() {
    python3 - "$1" "$2" <<'PY'
import sys
data = bytes.fromhex(sys.argv[1].split()[-1][2:])
want_var = sys.argv[2]

def checksum(h):
    s = h[0] + (h[2] << 8 | h[3]) + sum(h[4 + i] << 8 | h[5 + i] for i in range(0, 12, 2))
    s = ((s & 0xffff) + (s >> 16)) & 0xffff
    return ((s + ((s >> 8) + (s << 8))) >> 8) & 0xff

sys_len = (data[2] << 8 | data[3]) * 16
problems = []
if data[0] != 0x70 or data[4:16] != b'system' + bytes(6) or data[1] != checksum(data[:16]):
    problems.append('system header %s' % data[:16].hex())
strings = data[16:sys_len].split(b'\0')
if strings[0].decode() != want_var or strings[1] != b'':
    problems.append('first strings %r' % strings[:2])
free = data[sys_len:sys_len + 16]
if free[0] != 0x7f or free[4:16] != b'free' + bytes(8) or free[1] != checksum(free):
    problems.append('free header at %d: %s' % (sys_len, free.hex()))
if (free[2] << 8 | free[3]) * 16 + sys_len != 65536:
    problems.append('free length %d' % ((free[2] << 8 | free[3]) * 16))
print('; '.join(problems) if problems else 'ok %d' % sys_len)
PY
}
long="long=$(head -c 3000 /dev/zero | tr '\0' x)"
got=$(check_layout "$(nvram "$QEMU" -prom-env "$long")" "$long")
if [ "$got" = "ok 3024" ]; then
    ok "a 3005-byte variable: a 3024-byte system partition, the free one after it"
else
    not_ok "a 3005-byte variable: a 3024-byte system partition, the free one after it" "$got"
fi
got=$(check_layout "$(nvram "$QEMU" -prom-env 'a=b')" 'a=b')
if [ "$got" = "ok 2048" ]; then
    ok "a short variable: QEMU's 2 KiB system partition, valid checksums"
else
    not_ok "a short variable: QEMU's 2 KiB system partition, valid checksums" "$got"
fi

# A variable larger than the nvram: left out with a warning; the partitions stay valid.
huge="huge=$(head -c 70000 /dev/zero | tr '\0' x)"
got=$(check_layout "$(nvram "$QEMU" -prom-env 'first=1' -prom-env "$huge")" 'first=1')
if [ "$got" = "ok 2048" ] && grep -q 'Variable partition is too small' "$TMP/err"; then
    ok "a variable larger than the nvram: left out, with a warning"
else
    not_ok "a variable larger than the nvram: left out, with a warning" "$got" \
        "stderr: $(cat "$TMP/err")"
fi
tap_done

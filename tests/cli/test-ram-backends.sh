# Memory backends really back guest RAM: what qtest writes into guest RAM is in
# the backend's host file (memory-backend-file,share=on; memfd through
# /proc/PID/fd), in the right node's backend; private ones keep the file
# untouched; prealloc=on populates at start; the errors as QEMU 7.2.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

# qtest_run CMDS ARGS...: feed qtest commands to the binary (stopped), wait for it.
qtest_run() {
    local cmds=$1
    shift
    printf '%b' "$cmds" | timeout 20 "$QEMU" -display none -M pseries -S -nodefaults \
        -qtest stdio "$@" >"$TMP/qt" 2>"$TMP/qterr"
}

# hex_at FILE OFFSET: the 8 bytes at OFFSET, as 16 hex digits.
hex_at() {
    od -A n -t x1 -j "$(($2))" -N 8 "$1" | tr -d ' \n'
}

check() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1" "got: $2" "wanted: $3"
    fi
}

# -machine memory-backend= with a shared file: guest RAM is the file.
qtest_run 'writeq 0x1000 0x1122334455667788\nwriteq 0x3ffffff8 0x0102030405060708\n' \
    -m 1G -M pseries,memory-backend=m0 \
    -object memory-backend-file,id=m0,size=1G,mem-path="$TMP/ram.img",share=on
check "memory-backend-file share=on: the write at 0x1000 is in the file" \
    "$(hex_at "$TMP/ram.img" 0x1000)" 1122334455667788
check "memory-backend-file share=on: the last bytes of RAM are the file's last bytes" \
    "$(hex_at "$TMP/ram.img" 0x3ffffff8)" 0102030405060708

# A file made before: its contents are what the guest reads (no -kernel needed).
printf '\xde\xad\xbe\xef\x01\x02\x03\x04' | dd of="$TMP/ram.img" bs=1 seek=$((0x30000000)) conv=notrunc \
    2>/dev/null
qtest_run 'readq 0x30000000\n' -m 1G -M pseries,memory-backend=m0 \
    -object memory-backend-file,id=m0,size=1G,mem-path="$TMP/ram.img",share=on
check "memory-backend-file: the guest reads the file's bytes" "$(cat "$TMP/qt")" \
    "OK 0xdeadbeef01020304"

# share=off: a private copy, the file stays as it was.
qtest_run 'writeq 0x30000000 0x5555555555555555\nreadq 0x30000000\n' -m 1G -M pseries,memory-backend=m0 \
    -object memory-backend-file,id=m0,size=1G,mem-path="$TMP/ram.img",share=off
check "memory-backend-file share=off: the guest sees its write" "$(tail -1 "$TMP/qt")" \
    "OK 0x5555555555555555"
check "memory-backend-file share=off: the file is untouched" "$(hex_at "$TMP/ram.img" 0x30000000)" \
    deadbeef01020304

# -numa node,memdev=: node 1's range (from 1 GiB) is its backend's file.
qtest_run 'writeq 0x3ffffff8 0x1111111111111111\nwriteq 0x40000010 0x2222222222222222\n' \
    -m 2G -object memory-backend-file,id=a,size=1G,mem-path="$TMP/n0.img",share=on \
    -object memory-backend-file,id=b,size=1G,mem-path="$TMP/n1.img",share=on \
    -numa node,memdev=a -numa node,memdev=b
check "-numa memdev: node 0's last bytes are in its file" "$(hex_at "$TMP/n0.img" 0x3ffffff8)" \
    1111111111111111
check "-numa memdev: node 1 starts at 1 GiB in its own file" "$(hex_at "$TMP/n1.img" 0x10)" \
    2222222222222222
check "-numa memdev: node 1's file has nothing of node 0" "$(hex_at "$TMP/n1.img" 0)" \
    0000000000000000

# memfd share=on: the running process's memfd holds the write.
exec 3< <(printf 'writeq 0x100 0xcafef00dcafef00d\n'; sleep 4)
"$QEMU" -display none -M pseries,memory-backend=mf -S -nodefaults -m 512M -qtest stdio \
    -object memory-backend-memfd,id=mf,size=512M,share=on <&3 >"$TMP/mfd" 2>/dev/null &
pid=$!
sleep 2
fd=$(ls -l /proc/$pid/fd 2>/dev/null | grep 'memfd:memory-backend-memfd' | awk '{print $9}')
got=
[ -n "$fd" ] && got=$(hex_at /proc/$pid/fd/"$fd" 0x100)
rss=$(awk '/^RssShmem/ {print $2}' /proc/$pid/status)
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exec 3<&-
check "memory-backend-memfd share=on: the write is in /proc/PID/fd/$fd" "$got" cafef00dcafef00d
# Without prealloc only the touched pages are resident.
[ -n "$rss" ] && [ "$rss" -lt 65536 ] && ok "without prealloc few pages are resident ($rss kB)" ||
    not_ok "without prealloc few pages are resident" "RssShmem: $rss kB"

# memfd_write SHARE: the memfd of a backend with SHARE (empty: not given) after the
# guest wrote 0xcafef00dcafef00d at 0x100, read through /proc/PID/fd.
memfd_write() {
    exec 3< <(printf 'writeq 0x100 0xcafef00dcafef00d\n'; sleep 4)
    "$QEMU" -display none -M pseries,memory-backend=mf -S -nodefaults -m 512M -qtest stdio \
        -object memory-backend-memfd,id=mf,size=512M$1 <&3 >/dev/null 2>&1 &
    local pid=$! fd
    sleep 2
    fd=$(ls -l /proc/$pid/fd 2>/dev/null | grep 'memfd:memory-backend-memfd' | awk '{print $9}')
    [ -n "$fd" ] && hex_at /proc/$pid/fd/"$fd" 0x100
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    exec 3<&-
}
# QEMU 7.2 shares a memfd unless told otherwise (qom-get share: true).
check "memory-backend-memfd without share=: shared, the write is in the memfd" \
    "$(memfd_write)" cafef00dcafef00d
check "memory-backend-memfd share=off: a private copy, the memfd stays zero" \
    "$(memfd_write ,share=off)" 0000000000000000

# align= of a file backend: a multiple of the page size and a power of two (QEMU 7.2's words).
for a in 3 12288 0x1001; do
    want=$(/usr/bin/qemu-system-ppc64 -M pseries -nodefaults -m 512M -S -display none \
        -monitor none -object memory-backend-file,id=m,size=512M,mem-path="$TMP/ram.img",align=$a \
        -machine memory-backend=m </dev/null 2>&1 | grep -v "TCG doesn't support")
    expect_stderr "$want" -M pseries -nodefaults -m 512M -S -display none -monitor none \
        -object memory-backend-file,id=m,size=512M,mem-path="$TMP/ram.img",align=$a \
        -machine memory-backend=m
done

# prealloc=on: every page of the backend is resident at start.
exec 3< <(sleep 4)
"$QEMU" -display none -M pseries,memory-backend=m -S -nodefaults -m 512M -qmp stdio \
    -object memory-backend-memfd,id=m,size=512M,share=on,prealloc=on <&3 >/dev/null 2>&1 &
pid=$!
sleep 3
rss=$(awk '/^RssShmem/ {print $2}' /proc/$pid/status)
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exec 3<&-
[ -n "$rss" ] && [ "$rss" -ge 524288 ] && ok "prealloc=on: all 512 MiB resident ($rss kB)" ||
    not_ok "prealloc=on: all 512 MiB resident" "RssShmem: $rss kB"

# The errors, each the same as QEMU 7.2's (message and exit status).
same_error() {
    local ours theirs
    ours=$(timeout 10 "$QEMU" -display none -M pseries -S -nodefaults "$@" 2>&1 </dev/null)
    local rc=$?
    theirs=$(timeout 10 "$ORACLE" -vga none -display none -M pseries -S -nodefaults "$@" 2>&1 \
        </dev/null | grep -v 'TCG doesn.t support')
    if [ "$rc" = 1 ] && [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
        ok "error as QEMU 7.2: $ours"
    else
        not_ok "error as QEMU 7.2: $*" "ours ($rc): $ours" "QEMU: $theirs"
    fi
}
same_error -m 1G -object memory-backend-file,id=m0,size=1G,mem-path=/nonexistent/dir/ram \
    -M pseries,memory-backend=m0
same_error -m 2G -object memory-backend-ram,id=m0,size=1G -M pseries,memory-backend=m0
same_error -m 1G -object memory-backend-ram,id=m0,size=512M -numa node,memdev=m0 \
    -numa node,memdev=m0
same_error -m 1G -object memory-backend-ram,id=m0,size=1G -numa node,memdev=m0 \
    -M pseries,memory-backend=m0
same_error -m 1G -object memory-backend-ram,id=m0,size=512M -numa node,memdev=m0 -numa node,mem=512M
same_error -m 1G -M pseries,memory-backend=nope
same_error -m 1G -object memory-backend-ram,id=m0,size=0 -M pseries,memory-backend=m0
# Huge pages the host cannot give (none reserved here: HugePages_Total is 0).
if [ "$(awk '/^HugePages_Free/ {print $2}' /proc/meminfo)" = 0 ]; then
    same_error -m 1G -object memory-backend-memfd,id=m0,size=1G,hugetlb=on \
        -M pseries,memory-backend=m0
else
    out=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
        timeout 20 "$QEMU" -display none -M pseries,memory-backend=m0 -S -nodefaults -m 2M \
            -qmp stdio -object memory-backend-memfd,id=m0,size=2M,hugetlb=on 2>&1)
    printf '%s' "$out" | grep -q '"return"' && ok "hugetlb memfd backend with free huge pages" ||
        not_ok "hugetlb memfd backend with free huge pages" "$out"
fi

tap_done

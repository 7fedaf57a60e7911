# fd sets: -add-fd, QMP add-fd/remove-fd/query-fdsets and getfd/closefd with
# descriptors passed over the socket (qmp-fdsets.py), diffed against QEMU 7.2;
# /dev/fdset/N opened by -drive, -chardev file and ordering of -add-fd.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 60 python3 "$SRCDIR/tests/cli/qmp-fdsets.py" "$QEMU" >"$TMP/ours" 2>&1
    timeout 60 python3 "$SRCDIR/tests/cli/qmp-fdsets.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 25 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "QMP fd commands answer as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
    else
        not_ok "QMP fd commands answer as QEMU 7.2" "$(cat "$TMP/diff" "$TMP/oracle" | head -60)"
    fi
fi
# The replies themselves, so a broken oracle cannot hide a regression.
grep -q '{"arguments": {"opaque": "A"}, "execute": "add-fd"} -> {"return": {"fd": N, "fdset-id": 0}}' "$TMP/ours" &&
    ok "add-fd without fdset-id takes set 0" || not_ok "add-fd without fdset-id takes set 0" "$(cat "$TMP/ours")"
grep -q '{"execute": "add-fd"} -> {"error": {"class": "GenericError", "desc": "No file descriptor supplied via SCM_RIGHTS"}}' "$TMP/ours" &&
    ok "add-fd without a descriptor" || not_ok "add-fd without a descriptor"
grep -q '"fdset-id": 2}, {"fds": \[{"fd": N}\], "fdset-id": 1}, {"fds": \[{"fd": N, "opaque": "A"}\], "fdset-id": 0}\]}$' "$TMP/ours" &&
    ok "query-fdsets: highest set first" || not_ok "query-fdsets: highest set first"

# /dev/fdset/N: the descriptor whose access mode fits, wherever -add-fd is.
IMG=$TMP/img.raw
truncate -s 1M "$IMG"
timeout 3 "$QEMU" -display none -M pseries -S -nodefaults \
    -drive if=none,id=d0,format=raw,file=/dev/fdset/3 -add-fd fd=3,set=3 3<>"$IMG" 2>"$TMP/err"
rc=$?
[ $rc = 124 ] && ! grep -q "Could not" "$TMP/err" &&
    ok "-drive file=/dev/fdset/3 before its -add-fd" || not_ok "-drive file=/dev/fdset/3" "$(cat "$TMP/err")"
expect_error "Permission denied" -display none -M pseries -S -nodefaults -add-fd fd=3,set=3 \
    -drive if=none,id=d0,format=raw,file=/dev/fdset/3 3<"$IMG"
expect_error "No such file or directory" -display none -M pseries -S -nodefaults \
    -drive if=none,id=d0,format=raw,file=/dev/fdset/9
expect_error "can't open backing store /dev/fdset/5 for guest RAM: No such file or directory" \
    -display none -M pseries -nodefaults -object memory-backend-file,id=m,size=512M,mem-path=/dev/fdset/5
timeout 10 "$QEMU" -display none -M pseries -nodefaults -chardev file,id=c,path=/dev/fdset/4 \
    -serial chardev:c -bios "$BUILDDIR/tests/guest/hello-be.bin" -add-fd fd=4,set=4 4>"$TMP/out" 2>/dev/null
grep -q "Hello from the guest" "$TMP/out" && ok "-chardev file,path=/dev/fdset/4 writes to the set's fd" ||
    not_ok "-chardev file,path=/dev/fdset/4" "$(head -3 "$TMP/out")"

tap_done

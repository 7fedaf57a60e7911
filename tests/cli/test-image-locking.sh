# Image locking of -drive files as QEMU 7.2 does it (byte-range OFD locks
# that every QEMU process honours): two nvram users share the image, a
# holder refusing to share writes (or reads) makes the nvram fail with
# QEMU's message, file.locking=off skips the locks.  Messages were taken
# from Debian's qemu-system-ppc64 in the same situations.
. "$(dirname "$0")/lib.sh"

P=qemu-system-ppc64
ORACLE=/usr/bin/qemu-system-ppc64
IMG=$TMP/nv.img
head -c 65536 /dev/zero >"$IMG"
D="file=$IMG,format=raw"

# hold SECONDS BYTE...: a process holding shared locks on those bytes of the
# image, as a QEMU user refusing to share "consistent read" (200) or "write"
# (201) does; returns once they are held.
hold() {
    local secs=$1
    shift
    rm -f "$TMP/held"
    python3 - "$IMG" "$secs" "$@" >"$TMP/held" <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
for b in sys.argv[3:]:
    fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, int(b))
print("held", flush=True)
time.sleep(float(sys.argv[2]))
PY
    HOLDER=$!
    for _ in $(seq 100); do
        grep -q held "$TMP/held" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# starts ARGS...: the machine gets as far as its first reset (dumpdtb exits 0).
starts() {
    rm -f "$TMP/s.dtb"
    run -M "pseries,dumpdtb=$TMP/s.dtb" -nodefaults -display none "$@"
    if [ "$RC" = 0 ] && [ -s "$TMP/s.dtb" ]; then
        ok "starts: $*"
    else
        not_ok "starts: $*" "exit $RC, stderr: $ERR"
    fi
}

# A writer that does not share writes: the nvram cannot take its "write" lock.
hold 20 201
expect_stderr "$P: Failed to get \"write\" lock
Is another process using the image [$IMG]?" -M pseries -nodefaults -display none -S \
    -drive if=pflash,$D
expect_stderr "$P: Failed to get \"write\" lock
Is another process using the image [$IMG]?" -M pseries -nodefaults -display none -S \
    -drive if=none,id=d,$D -global spapr-nvram.drive=d
# ...a drive nobody writes through is fine, and so is file.locking=off.
starts -drive if=none,id=d,$D
starts -drive if=pflash,$D,file.locking=off
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null

# Refusing to share consistent reads: the image cannot even be opened.
hold 20 200
expect_stderr "$P: -drive if=pflash,$D: Failed to get \"consistent read\" lock" \
    -M pseries -nodefaults -display none -S -drive if=pflash,$D
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null

# Locks a holder takes for permissions it merely uses (100, 101) conflict with nothing.
hold 20 100 101
starts -drive if=pflash,$D
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null

expect_stderr "$P: -drive if=pflash,$D,file.locking=bad: invalid parameter value: bad" \
    -M pseries -nodefaults -display none -S -drive if=pflash,$D,file.locking=bad

# Two machines with the same nvram image share it, as two QEMUs do.
timeout 20 "$QEMU" -M pseries -nodefaults -display none -S -drive if=pflash,$D \
    </dev/null >/dev/null 2>"$TMP/first.err" &
FIRST=$!
sleep 1
starts -drive if=pflash,$D

# Against QEMU itself: our nvram's locks keep QEMU's virtio disk (which does
# not share writes) off the image, and the other way round.
if [ -x "$ORACLE" ]; then
    timeout 10 "$ORACLE" -M pseries -nodefaults -display none -S -drive if=none,id=d,$D \
        -device virtio-blk-pci,drive=d </dev/null >/dev/null 2>"$TMP/oracle.err"
    if grep -q "^qemu-system-ppc64: -device virtio-blk-pci,drive=d: Failed to get shared \"write\" lock$" \
        "$TMP/oracle.err"; then
        ok "QEMU's virtio-blk sees our nvram's write lock"
    else
        not_ok "QEMU's virtio-blk sees our nvram's write lock" "$(cat "$TMP/oracle.err")"
    fi
    kill "$FIRST"
    wait "$FIRST" 2>/dev/null
    timeout 20 "$ORACLE" -M pseries -nodefaults -display none -S -drive if=none,id=d,$D \
        -device virtio-blk-pci,drive=d </dev/null >/dev/null 2>&1 &
    FIRST=$!
    for _ in $(seq 100); do
        grep -q "$(stat -c %i "$IMG") 201 201" /proc/locks 2>/dev/null && break
        sleep 0.1
    done
    expect_stderr "$P: Failed to get \"write\" lock
Is another process using the image [$IMG]?" -M pseries -nodefaults -display none -S \
        -drive if=pflash,$D
else
    echo "ok $((tap_n += 1)) # SKIP no $ORACLE to check against"
    echo "ok $((tap_n += 1)) # SKIP no $ORACLE to check against"
fi
kill "$FIRST" 2>/dev/null
wait "$FIRST" 2>/dev/null

tap_done

# Block migration against QEMU 7.2 (migrate-block.py): inc copies only what a qcow2
# overlay allocates itself; a drive without a -drive id goes as QEMU names it (none0);
# a -blockdev node goes without a name and the destination refuses it; the exec: and
# fd: transports; info migrate's disk lines; migrate_cancel in the middle of the copy.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
SCRIPT=$SRCDIR/tests/cli/migrate-block.py

mkdir -p "$TMP/ours" "$TMP/oracle"
(cd "$SRCDIR/tests/cli" && timeout 400 python3 "$SCRIPT" "$QEMU" "$TMP/ours") >"$TMP/ours.txt" 2>&1
# expect LINE...: each line is in our transcript.
expect() {
    local what=$1
    shift
    for l in "$@"; do
        if ! grep -qxF "$l" "$TMP/ours.txt"; then
            not_ok "$what" "missing: $l" "$(tail -30 "$TMP/ours.txt")"
            return
        fi
    done
    ok "$what"
}
expect "inc: the overlay's own chunks only, the same contents (a 0x11 base, 5M/20-22M data, 40M zero)" \
    "inc source completed " "inc compare Images are identical." \
    "inc destination overlay ['5', '20', '21', '22', '40 zero']"
expect "a -drive without id goes as none0 and lands in the destination's none0" \
    "noid query-block ['none0']" "noid source completed " "noid compare Images are identical."
expect "a -blockdev node goes with no name: the destination exits 1, the source fails" \
    "blockdev source failed error" "blockdev destination exited 1" "blockdev exit [0, 1]"
expect "exec: inc sends under 16 MiB for a 64 MiB disk; the destination loads it" \
    "exec-inc stream < 16 MiB" "exec-inc destination prelaunch" "exec-inc compare Images are identical." \
    "exec-inc destination overlay ['5', '20', '21', '22', '40 zero']"
expect "exec: blk sends the whole disk; the destination loads it" \
    "exec-blk stream >= 64 MiB" "exec-blk destination prelaunch" "exec-blk compare Images are identical."
expect "fd: (getfd, -incoming fd:N) copies the disk" \
    "fd source completed" "fd destination prelaunch" "fd compare Images are identical."
expect "info migrate ends with the disk lines while the copy runs" \
    "cancel info migrate ['transferred disk: N kbytes', 'remaining disk: N kbytes', 'total disk: N kbytes'] last" \
    "cancel total True" "cancel info after []"
expect "migrate_cancel mid-copy: the source stays as it was, its image untouched; the destination exits 1" \
    "cancel source cancelled prelaunch" "cancel destination exited 1" \
    "cancel source image read 67108864/67108864 bytes at offset 0"
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    # The oracle is the reference, not what is tested: a QEMU 7.2 run that ends short
    # (once, under load, its QMP socket was reset mid-script) is run again, once.
    for try in 1 2; do
        rm -rf "$TMP/oracle" && mkdir -p "$TMP/oracle"
        (cd "$SRCDIR/tests/cli" && timeout 400 python3 "$SCRIPT" "$ORACLE" "$TMP/oracle" oracle) >"$TMP/oracle.txt" 2>&1
        if [ "$(grep -c . "$TMP/oracle.txt")" -ge 50 ]; then
            break
        fi
        echo "# QEMU 7.2's run $try ended short:" && tail -n 12 "$TMP/oracle.txt" | sed 's/^/#   /'
    done
    if [ "$(grep -c . "$TMP/oracle.txt")" -ge 50 ] && diff -u "$TMP/oracle.txt" "$TMP/ours.txt" >"$TMP/diff"; then
        ok "the transcript is QEMU 7.2's ($(grep -c . "$TMP/ours.txt") lines)"
    else
        not_ok "the transcript is QEMU 7.2's" "$(head -60 "$TMP/diff")" "QEMU 7.2's ends:" "$(tail -8 "$TMP/oracle.txt")"
    fi
fi

tap_done

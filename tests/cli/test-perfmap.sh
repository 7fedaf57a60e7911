#!/bin/bash
# -perfmap: /tmp/perf-PID.map names the host code of every compiled block after its
# guest address, in the format perf reads ("START SIZE NAME", hexadecimal); nothing
# is written without the option, an interpreted run writes no line; and
# scripts/perfmap-latest.py keeps one name per host address when a flush reused it.
. "$(dirname "$0")/lib.sh"

LATEST=$(dirname "$0")/../../scripts/perfmap-latest.py
MAPS=()
trap 'rm -rf "$TMP" "${MAPS[@]}"' EXIT

# guest IMAGE [OPTIONS...]: run a bare-metal test program to its end; sets PID
# (the emulator's own process id: its map file's name) and GOUT.
guest() {
    local img=$BUILDDIR/tests/guest/$1.bin
    shift
    "$QEMU" -M pseries -m 1G -nodefaults -nographic -display none -serial stdio \
        -bios "$img" "$@" </dev/null >"$TMP/gout" 2>&1 &
    PID=$!
    MAPS+=("/tmp/perf-$PID.map")
    # at most 60 s (the sleeper's output is not the test's, or meson waits for it)
    (sleep 60 && kill "$PID") >/dev/null 2>&1 &
    local watchdog=$!
    wait "$PID"
    pkill -P "$watchdog" sleep 2>/dev/null
    kill "$watchdog" 2>/dev/null
    GOUT=$(tr -d '\r' <"$TMP/gout")
}

# well_formed FILE: every line is "START SIZE guest-ppc-0xPC" with a non-zero size.
well_formed() {
    awk '!/^[0-9a-f]+ [0-9a-f]+ guest-ppc-0x[0-9a-f]+$/ || $2 ~ /^0+$/ { bad = 1 }
         END { exit bad }' "$1"
}

# Every block compiled when translated (by default, at its 8th run: see below).
guest hello-be -perfmap -accel tcg,x-jit-after=1
map=/tmp/perf-$PID.map
all_lines=$(grep -c '' "$map")
if printf '%s' "$GOUT" | grep -q 'hello-be: [1-9][0-9]* checks, 0 failed'; then
    ok "-perfmap: the program runs"
else
    not_ok "-perfmap: the program runs" "$GOUT"
fi
if [ -s "$map" ] && well_formed "$map"; then
    ok "-perfmap: $(grep -c '' "$map") well-formed lines in /tmp/perf-PID.map"
else
    not_ok "-perfmap: well-formed lines in /tmp/perf-PID.map" "$(head -n 5 "$map" 2>&1)"
fi
# The firmware is entered at 0x100: the first block compiled is that one.
if [ "$(head -n 1 "$map" | cut -d' ' -f3)" = guest-ppc-0x100 ]; then
    ok "-perfmap: the first block is the entry point 0x100"
else
    not_ok "-perfmap: the first block is the entry point 0x100" "$(head -n 1 "$map")"
fi
# Every host range lies in one buffer of host code (a few MiB).
span=$(python3 -c '
import sys
r = [(int(a, 16), int(a, 16) + int(b, 16)) for a, b, _ in (l.split() for l in open(sys.argv[1]))]
print(max(e for _, e in r) - min(s for s, _ in r))' "$map")
if [ "$span" -gt 0 ] && [ "$span" -lt $((256 << 20)) ]; then
    ok "-perfmap: host ranges within one code buffer ($span bytes)"
else
    not_ok "-perfmap: host ranges within one code buffer" "span $span"
fi

# Flushes reuse host addresses: the script keeps, per address, the last line.  A
# write into code retires only its page's blocks, whose host code stays until the
# buffer fills, so this program reuses none by default: PPC_TB_NO_RETIRE=1 brings
# back a whole flush at each code write (docs/devel/profiling.rst).
PPC_TB_NO_RETIRE=1 guest hello-be -perfmap -accel tcg,x-jit-after=1
map=/tmp/perf-$PID.map
dups=$(cut -d' ' -f1 "$map" | sort | uniq -d | grep -c '')
cp "$map" "$TMP/all.map"
python3 "$LATEST" "$map" >/dev/null
# kept: no two overlap; a line is kept exactly when no later line overlaps it.
check=$(python3 -c '
import sys
def rng(l):
    a, b, _ = l.split()
    return int(a, 16), int(a, 16) + int(b, 16)
old = [l.rstrip("\n") for l in open(sys.argv[1])]
kept = [l.rstrip("\n") for l in open(sys.argv[2])]
ks = sorted(rng(l) for l in kept)
if any(ks[i][1] > ks[i + 1][0] for i in range(len(ks) - 1)):
    print("overlap"); sys.exit()
want = []
for i, l in enumerate(old):
    s, e = rng(l)
    if not any(rng(m)[0] < e and s < rng(m)[1] for m in old[i + 1:]):
        want.append(l)
print("ok" if sorted(want) == sorted(kept) else "wrong: %d kept, %d wanted" % (len(kept), len(want)))
' "$TMP/all.map" "$map")
if [ "$dups" -gt 0 ] && [ "$check" = ok ] && [ "$(grep -c '' "$map")" -lt "$(grep -c '' "$TMP/all.map")" ]; then
    ok "perfmap-latest.py: $dups reused addresses, no overlap left, the last name kept"
else
    not_ok "perfmap-latest.py: one name per address, the last" "reused $dups: $check"
fi
printf '%s\n' "1000 20 guest-ppc-0x100" "1020 10 guest-ppc-0x200" "1000 8 guest-ppc-0x300" \
    "1040 8 guest-ppc-0x400" >"$TMP/syn.map"
python3 "$LATEST" "$TMP/syn.map" >/dev/null
if [ "$(cat "$TMP/syn.map")" = "$(printf '%s\n' "1000 8 guest-ppc-0x300" \
    "1020 10 guest-ppc-0x200" "1040 8 guest-ppc-0x400")" ]; then
    ok "perfmap-latest.py: an older block under a newer one is dropped, the rest sorted"
else
    not_ok "perfmap-latest.py: older blocks dropped" "$(cat "$TMP/syn.map")"
fi

# By default a block is compiled at its 8th run: the entry block, run once, is not, and
# fewer blocks are compiled, but the program's loops are.
guest hello-be -perfmap
map=/tmp/perf-$PID.map
lines=$(grep -c '' "$map")
if printf '%s' "$GOUT" | grep -q 'hello-be: [1-9][0-9]* checks, 0 failed' && well_formed "$map" &&
    ! grep -q ' guest-ppc-0x100$' "$map" && [ "$lines" -gt 0 ] && [ "$lines" -lt "$all_lines" ]; then
    ok "-perfmap by default: $lines of $all_lines blocks compiled, not the entry point"
else
    not_ok "-perfmap by default: blocks run fewer than 8 times not compiled" "$GOUT" \
        "$lines lines against $all_lines" "$(head -n 3 "$map")"
fi

# The interpreter compiles nothing: the file exists, empty.
guest hello-be -perfmap -accel tcg,x-jit=off
if [ -e "/tmp/perf-$PID.map" ] && [ ! -s "/tmp/perf-$PID.map" ] &&
    printf '%s' "$GOUT" | grep -q 'hello-be: [1-9][0-9]* checks, 0 failed'; then
    ok "-perfmap with x-jit=off: an empty map"
else
    not_ok "-perfmap with x-jit=off: an empty map" "$GOUT" "$(ls -l "/tmp/perf-$PID.map" 2>&1)"
fi

# Without the option, no file.
guest hello-be
if [ ! -e "/tmp/perf-$PID.map" ]; then
    ok "no -perfmap: no map file"
else
    not_ok "no -perfmap: no map file"
fi

# A stray argument is refused as for any option without one.
expect_error "^qemu-system-ppc64: -perfmap=1: invalid option$" -perfmap=1 -M pseries
tap_done

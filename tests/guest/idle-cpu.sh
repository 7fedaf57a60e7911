#!/bin/bash
# An idle guest must not keep the host busy: run the idle program (ten 100 ms
# H_CEDE naps) and check that the process used under a quarter of the wall
# time in CPU (user + system). Prints TAP.
# Usage: idle-cpu.sh QEMU IMAGE
set -u
qemu=$1
image=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT

TIMEFORMAT='%U %S %R'
t=$( { time timeout -k 5 30 "$qemu" -M pseries -m 1G -nodefaults -nographic -display none \
    -serial stdio -bios "$image" </dev/null >"$out" 2>/dev/null; } 2>&1 )
read -r user sys real <<<"$t"
echo "1..2"
if grep -Eq "^idle-(be|le): [1-9][0-9]* checks, 0 failed\$" "$out"; then
    echo "ok 1 - the idle guest passed its checks"
else
    echo "not ok 1 - the idle guest passed its checks"
    sed 's/^/# /' "$out"
fi
if awk -v u="$user" -v s="$sys" -v r="$real" 'BEGIN { exit !(r >= 1.0 && u + s < 0.25 * r) }'; then
    echo "ok 2 - CPU ${user}s user + ${sys}s system in ${real}s while idle"
else
    echo "not ok 2 - CPU ${user}s user + ${sys}s system in ${real}s while idle (limit: a quarter)"
fi

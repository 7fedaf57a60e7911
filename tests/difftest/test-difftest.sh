#!/bin/bash
# Quick difftest slice for one instruction class, byte order (be, the default, or le), mode
# (64, the default, or 32: MSR[SF]=0) and, for the FP/vector classes, the state compared
# (full, the default, or fp, vmx, vsx): our qemu-system-ppc64 ($QEMU) against Debian's QEMU on
# a few thousand random sequences; prints TAP.
set -u
cls=$1
endian=${2:-be}
mode=${3:-64}
state=${4:-full}
tests=${DIFFTEST_TESTS:-3000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/difftest-$cls-$endian-$mode.XXXXXX")
what="$cls ($endian, $mode-bit mode$([ "$state" = full ] || echo ", state $state"))"

echo "1..1"
if out=$(python3 "$here/difftest.py" run --qemu "$QEMU" --class "$cls" --endian "$endian" \
         --mode "$mode" --state "$state" --tests "$tests" --seed 1 --workdir "$work" 2>&1); then
    echo "ok 1 - $what: $tests sequences agree with the oracle"
    rm -rf "$work"
else
    echo "not ok 1 - $what: differs from the oracle (images in $work)"
fi
printf '%s\n' "$out" | sed 's/^/# /'

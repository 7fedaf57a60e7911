#!/bin/bash
# Quick difftest slice for one instruction class and byte order (be, the default, or le): our
# qemu-system-ppc64 ($QEMU) against Debian's QEMU on a few thousand random sequences; prints TAP.
set -u
cls=$1
endian=${2:-be}
tests=${DIFFTEST_TESTS:-3000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/difftest-$cls-$endian.XXXXXX")

echo "1..1"
if out=$(python3 "$here/difftest.py" run --qemu "$QEMU" --class "$cls" --endian "$endian" \
         --tests "$tests" --seed 1 --workdir "$work" 2>&1); then
    echo "ok 1 - $cls ($endian): $tests sequences agree with the oracle"
    rm -rf "$work"
else
    echo "not ok 1 - $cls ($endian): differs from the oracle (images in $work)"
fi
printf '%s\n' "$out" | sed 's/^/# /'

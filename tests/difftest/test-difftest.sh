#!/bin/bash
# Quick difftest slice for one instruction class: our qemu-system-ppc64 ($QEMU) against
# Debian's QEMU on a few thousand random sequences; prints TAP.
set -u
cls=$1
tests=${DIFFTEST_TESTS:-3000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/difftest-$cls.XXXXXX")

echo "1..1"
if out=$(python3 "$here/difftest.py" run --qemu "$QEMU" --class "$cls" --tests "$tests" \
         --seed 1 --workdir "$work" 2>&1); then
    echo "ok 1 - $cls: $tests sequences agree with the oracle"
    rm -rf "$work"
else
    echo "not ok 1 - $cls: differs from the oracle (images in $work)"
fi
printf '%s\n' "$out" | sed 's/^/# /'

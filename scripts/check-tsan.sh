#!/bin/sh
# `make check-tsan`: the multi-vCPU tests under ThreadSanitizer, in a build
# configured with --enable-tsan: every guest program that starts secondary
# CPUs (JIT, interpreter, thread=single, SMT) and Linux with -smp 4.  A report
# makes the emulator exit with status 66, which fails the test.  Suppressions
# (scripts/tsan.supp) cover only races the guest makes on its own memory.
set -e
builddir=${1:-build-tsan}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
TSAN_OPTIONS="suppressions=$srcdir/scripts/tsan.supp exitcode=66 ${TSAN_OPTIONS:-}"
# ThreadSanitizer runs the emulator 5 to 15 times slower.
GUEST_TIMEOUT_SCALE=${GUEST_TIMEOUT_SCALE:-8}
export TSAN_OPTIONS GUEST_TIMEOUT_SCALE
# TSAN_TESTS names other tests instead (and TSAN_EXTRA_TESTS replaces the Linux one).
tests=${TSAN_TESTS:-$(meson test -C "$builddir" --list 2>/dev/null |
    sed -n 's|^[^ ]*:guest / \(guest-smp-[a-z0-9-]*\)$|\1|p')}
if [ -z "$tests" ]; then
    echo "check-tsan: no SMP guest tests in $builddir" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086 # one argument per test name
meson test -C "$builddir" --num-processes 1 --timeout-multiplier 8 $tests \
    ${TSAN_EXTRA_TESTS-functional-smp4-vof} | tee "$out" || true
# The summary line .ci/run adds up, as scripts/run-tests.sh prints it.
pass=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$out")
fail=$(sed -n 's/^\(Fail\|Timeout\): *\([0-9]*\).*/\2/p' "$out" | awk '{ n += $1 } END { print n + 0 }')
if [ -z "$pass" ]; then
    pass=0
    fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

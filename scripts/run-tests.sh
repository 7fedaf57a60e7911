#!/bin/sh
# Run every test of one build directory with meson and close with one line
# "N passed, N failed"; exit non-zero on any failure (a skip counts as one).
set -u
builddir=${1:-build}
shift || true
log=$(mktemp)
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@" 2>&1 | tee "$log"
count() {
    sed -n "s/^$1:[[:space:]]*\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1
}
ok=$(count "Ok"); xfail=$(count "Expected Fail"); fail=$(count "Fail")
xpass=$(count "Unexpected Pass"); skip=$(count "Skipped"); tmo=$(count "Timeout")
rm -f "$log"
passed=$(( ${ok:-0} + ${xfail:-0} ))
failed=$(( ${fail:-0} + ${xpass:-0} + ${skip:-0} + ${tmo:-0} ))
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then
    echo "run-tests: no test ran" >&2
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
